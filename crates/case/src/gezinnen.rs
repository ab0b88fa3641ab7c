//! Gezinnen (dossiers): a family grouping owned by the organisation that made it, with
//! each member's relation. One person may be in several families over time (`van`/`tot`).

use crate::{CaseFout, id, invoer, personen};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Validatie, Vertrouwelijkheid};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{gezinnen, gezinsleden};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// A member's relation to the family.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Relatie {
    Kind,
    Ouder,
    Verzorger,
    Huisgenoot,
    Overig,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GezinslidInvoer {
    /// A person your organisation registered.
    #[schema(required = true, value_type = Uuid)]
    pub persoon: Option<Uuid>,
    #[schema(required = true, value_type = Relatie)]
    pub relatie: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub van: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub tot: Option<String>,
}

/// Input for a new family (`POST /gezinnen`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GezinInvoer {
    /// Your organisation's own reference for the dossier (no personal data).
    #[schema(example = "GI-2026-0412")]
    pub kenmerk: Option<String>,
    #[schema(required = true, value_type = Vec<GezinslidInvoer>)]
    pub leden: Option<Vec<GezinslidInvoer>>,
    #[schema(value_type = Option<Vertrouwelijkheid>)]
    pub vertrouwelijkheid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Lid {
    pub persoon: Uuid,
    pub relatie: Relatie,
    pub van: Option<NaiveDate>,
    pub tot: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct NieuwGezin {
    pub kenmerk: Option<String>,
    pub leden: Vec<Lid>,
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

impl GezinslidInvoer {
    fn valideer(&self, v: &mut Validatie, pad: &str) -> Option<Lid> {
        let p = |f: &str| format!("{pad}.{f}");
        let persoon = v.verplicht(&p("persoon"), self.persoon);
        let relatie = v.keuze(&p("relatie"), self.relatie.as_deref());
        let van = v.datum(&p("van"), self.van.as_deref(), None);
        let tot = v.datum(&p("tot"), self.tot.as_deref(), None);
        if let (Some(a), Some(b)) = (van, tot)
            && b < a
        {
            v.fout(
                p("tot"),
                "minimum",
                format!("`{}` ligt voor `{}`", p("tot"), p("van")),
            );
        }
        Some(Lid {
            persoon: persoon?,
            relatie: relatie?,
            van,
            tot,
        })
    }
}

impl GezinInvoer {
    pub fn valideer(&self) -> Result<NieuwGezin, CaseFout> {
        let mut v = Validatie::new();
        let kenmerk = v.optionele_tekst("kenmerk", self.kenmerk.as_deref(), 100);
        let mut leden = Vec::new();
        match &self.leden {
            None => v.fout("leden", "required", "een gezin heeft ten minste één lid"),
            Some(l) if l.is_empty() => {
                v.fout("leden", "minItems", "een gezin heeft ten minste één lid")
            }
            Some(l) => {
                for (i, lid) in l.iter().enumerate() {
                    if let Some(lid) = lid.valideer(&mut v, &format!("leden[{i}]")) {
                        if leden.iter().any(|x: &Lid| x.persoon == lid.persoon) {
                            v.fout(
                                format!("leden[{i}].persoon"),
                                "uniqueItems",
                                "deze persoon staat al in het gezin",
                            );
                        }
                        leden.push(lid);
                    }
                }
            }
        }
        let niveau = invoer::keuze_of(
            &mut v,
            "vertrouwelijkheid",
            self.vertrouwelijkheid.as_deref(),
            Vertrouwelijkheid::STANDAARD,
        );
        v.afronden(|| NieuwGezin {
            kenmerk,
            leden,
            vertrouwelijkheid: niveau.unwrap_or(Vertrouwelijkheid::STANDAARD),
        })
        .map_err(CaseFout::Ongeldig)
    }
}

#[derive(Debug, Clone)]
pub struct Gezin {
    pub id: Uuid,
    pub eigenaar: String,
    pub kenmerk: Option<String>,
    pub leden: Vec<Lid>,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub aangemaakt_op: DateTime<Utc>,
}

impl Gezin {
    pub fn kinderen(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.leden
            .iter()
            .filter(|l| l.relatie == Relatie::Kind)
            .map(|l| l.persoon)
    }
}

/// Record a family; every member must be a person of `eigenaar`.
pub fn maak(
    conn: &mut DbConnection,
    eigenaar: &str,
    g: &NieuwGezin,
    nu: DateTime<Utc>,
) -> Result<Gezin, CaseFout> {
    let verwijzingen: Vec<(String, Uuid)> = g
        .leden
        .iter()
        .enumerate()
        .map(|(i, l)| (format!("leden[{i}].persoon"), l.persoon))
        .collect();
    personen::eigen_personen(conn, eigenaar, &verwijzingen)?;
    let gid = ids::new_id();
    diesel::insert_into(gezinnen::table)
        .values((
            gezinnen::id.eq(gid.to_string()),
            gezinnen::eigenaar.eq(eigenaar),
            gezinnen::kenmerk.eq(&g.kenmerk),
            gezinnen::vertrouwelijkheid.eq(g.vertrouwelijkheid.as_ref()),
            gezinnen::aangemaakt_op.eq(to_db(nu)),
            gezinnen::gewijzigd_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    for l in &g.leden {
        voeg_lid_in(conn, gid, l)?;
    }
    Ok(Gezin {
        id: gid,
        eigenaar: eigenaar.into(),
        kenmerk: g.kenmerk.clone(),
        leden: g.leden.clone(),
        vertrouwelijkheid: g.vertrouwelijkheid,
        aangemaakt_op: nu,
    })
}

fn voeg_lid_in(conn: &mut DbConnection, gezin: Uuid, l: &Lid) -> QueryResult<()> {
    diesel::insert_into(gezinsleden::table)
        .values((
            gezinsleden::gezin_id.eq(gezin.to_string()),
            gezinsleden::persoon_id.eq(l.persoon.to_string()),
            gezinsleden::relatie.eq(l.relatie.as_ref()),
            gezinsleden::van.eq(l.van),
            gezinsleden::tot.eq(l.tot),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Queryable)]
struct GezinRij {
    id: String,
    eigenaar: String,
    kenmerk: Option<String>,
    vertrouwelijkheid: String,
    aangemaakt_op: chrono::NaiveDateTime,
}

/// Families by id, with their members.
pub fn lees_veel(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Gezin>> {
    let rijen: Vec<GezinRij> = gezinnen::table
        .filter(gezinnen::id.eq_any(ids))
        .select((
            gezinnen::id,
            gezinnen::eigenaar,
            gezinnen::kenmerk,
            gezinnen::vertrouwelijkheid,
            gezinnen::aangemaakt_op,
        ))
        .load(conn)?;
    type LidRij = (String, String, String, Option<NaiveDate>, Option<NaiveDate>);
    let leden: Vec<LidRij> = gezinsleden::table
        .filter(gezinsleden::gezin_id.eq_any(ids))
        .select((
            gezinsleden::gezin_id,
            gezinsleden::persoon_id,
            gezinsleden::relatie,
            gezinsleden::van,
            gezinsleden::tot,
        ))
        .load(conn)?;
    Ok(rijen
        .into_iter()
        .map(|r| Gezin {
            leden: leden
                .iter()
                .filter(|l| l.0 == r.id)
                .map(|l| Lid {
                    persoon: id(&l.1),
                    relatie: l.2.parse().unwrap_or(Relatie::Overig),
                    van: l.3,
                    tot: l.4,
                })
                .collect(),
            id: id(&r.id),
            eigenaar: r.eigenaar,
            kenmerk: r.kenmerk,
            vertrouwelijkheid: r
                .vertrouwelijkheid
                .parse()
                .unwrap_or(Vertrouwelijkheid::STANDAARD),
            aangemaakt_op: from_db(r.aangemaakt_op),
        })
        .collect())
}

pub fn lees(conn: &mut DbConnection, gezin: Uuid) -> QueryResult<Option<Gezin>> {
    Ok(lees_veel(conn, &[gezin.to_string()])?.into_iter().next())
}

/// A family of `eigenaar` to write to, or a 404 naming it.
pub fn eigen(conn: &mut DbConnection, eigenaar: &str, gezin: Uuid) -> Result<Gezin, CaseFout> {
    match lees(conn, gezin)? {
        Some(g) if g.eigenaar == eigenaar => Ok(g),
        _ => Err(CaseFout::NietGevonden(format!(
            "Uw organisatie heeft geen gezin {gezin}; u kunt alleen aan eigen dossiers toevoegen"
        ))),
    }
}

/// The families containing any of these persons.
pub fn met_personen(conn: &mut DbConnection, persoon_ids: &[String]) -> QueryResult<Vec<String>> {
    let mut uit: Vec<String> = Vec::new();
    for deel in persoon_ids.chunks(500) {
        uit.extend(
            gezinsleden::table
                .filter(gezinsleden::persoon_id.eq_any(deel))
                .select(gezinsleden::gezin_id)
                .load::<String>(conn)?,
        );
    }
    uit.sort();
    uit.dedup();
    Ok(uit)
}

/// The identities (`betrokkene`) of the members of these families, in one query.
pub fn identiteiten_van_leden(
    conn: &mut DbConnection,
    gezin_ids: &[String],
) -> QueryResult<Vec<String>> {
    use ketenregie_store::schema::personen;
    gezinsleden::table
        .inner_join(personen::table)
        .filter(gezinsleden::gezin_id.eq_any(gezin_ids))
        .select(personen::betrokkene)
        .distinct()
        .load(conn)
}
