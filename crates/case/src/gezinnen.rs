//! Gezinnen (dossiers): a family grouping owned by the organisation that made it, with
//! each member's relation. One person may be in several families over time (`van`/`tot`).
//!
//! Use cases: `maak` (`POST /gezinnen`) and `lees` (`GET /gezinnen/{id}`); the facts
//! recorded on a family are `beschikkingen::vastleggen` and `regelingen::vastleggen`.

use crate::weergave::{
    BeschikkingKort, GezagKort, PersoonRef, RegelingKort, beschikking_kort, gezag_kort,
    persoon_ref, regeling_kort,
};
use crate::{beschikkingen, gezag, invoer, personen, regelingen, toegang};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{
    Fout, Gegevenscategorie as C, Validatie, Vertrouwelijkheid, ids, regelcode,
};
use ketenregie_privacy::eigen_verklaring::{Recordsoort, Verklaringen};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Context, Toestemming};
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::{gezinnen, gezinsleden};
use ketenregie_store::tekst_kolom;
use serde::{Deserialize, Serialize};
use serde_json::json;
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
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Relatie {
    Kind,
    Ouder,
    Verzorger,
    Huisgenoot,
    Overig,
}

tekst_kolom!(Relatie);

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GezinslidInvoer {
    /// A person your organisation registered.
    #[schema(required = true, value_type = Uuid)]
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub persoon: Option<Uuid>,
    #[schema(required = true, value_type = Relatie)]
    pub relatie: Option<String>,
    /// First day of membership: `JJJJ-MM-DD`, from 1900-01-01 up to and including 1 year after today (Europe/Amsterdam); another date is a 422 `bereik` naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub van: Option<String>,
    /// Last day of membership, not before `van`: `JJJJ-MM-DD`, from 1900-01-01 up to and including 20 years after today (Europe/Amsterdam); another date is a 422 `bereik` naming this field.
    #[schema(value_type = Option<String>, format = Date)]
    pub tot: Option<String>,
}

/// Input for a new family (`POST /gezinnen`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GezinInvoer {
    /// Your organisation's own reference for the dossier (no personal data).
    #[schema(example = "GI-2026-0412", max_length = 100)]
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
    fn valideer(&self, v: &mut Validatie, pad: &str, vandaag: NaiveDate) -> Option<Lid> {
        let p = |f: &str| format!("{pad}.{f}");
        let persoon = v.verplicht(&p("persoon"), self.persoon);
        let relatie = v.keuze(&p("relatie"), self.relatie.as_deref());
        let van = v.datum(
            &p("van"),
            self.van.as_deref(),
            ketenregie_common::Datumbereik::vooruit("het begin van een lidmaatschap", vandaag, 1),
        );
        let tot = v.datum(
            &p("tot"),
            self.tot.as_deref(),
            ketenregie_common::Datumbereik::vooruit("het einde van een lidmaatschap", vandaag, 20),
        );
        v.termijn(&p("van"), van, &p("tot"), tot);
        Some(Lid {
            persoon: persoon?,
            relatie: relatie?,
            van,
            tot,
        })
    }
}

impl GezinInvoer {
    /// Validate; `vandaag` bounds each member's `van` (at most a year ahead) and `tot` (at
    /// most 20 years ahead), both from 1900-01-01 (`Datumbereik::vooruit`).
    pub fn valideer(&self, vandaag: NaiveDate) -> Result<NieuwGezin, Fout> {
        let mut v = Validatie::new();
        let kenmerk = v.optionele_tekstregel("kenmerk", self.kenmerk.as_deref(), 100);
        let mut leden = Vec::new();
        match &self.leden {
            None => v.fout("leden", "required", "een gezin heeft ten minste één lid"),
            Some(l) if l.is_empty() => {
                v.fout("leden", "minItems", "een gezin heeft ten minste één lid")
            }
            Some(l) => {
                for (i, lid) in l.iter().enumerate() {
                    if let Some(lid) = lid.valideer(&mut v, &format!("leden[{i}]"), vandaag) {
                        if leden.iter().any(|x: &Lid| x.persoon == lid.persoon) {
                            v.fout(
                                format!("leden[{i}].persoon"),
                                regelcode::DUBBEL,
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
        .map_err(Fout::Ongeldig)
    }
}

/// A member of a family, with their relation and period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = GezinslidDto)]
#[serde(rename_all = "camelCase")]
pub struct GezinslidWeergave {
    pub persoon: PersoonRef,
    pub relatie: Relatie,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub van: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tot: Option<NaiveDate>,
}

/// A family with the facts recorded on it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = GezinDto)]
#[serde(rename_all = "camelCase")]
pub struct Gezinsdossier {
    pub id: Uuid,
    pub eigenaar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kenmerk: Option<String>,
    pub leden: Vec<GezinslidWeergave>,
    /// Per child, the gezag records (newest verification first).
    pub gezag: Vec<GezagKort>,
    /// All decisions, each with whether it is in force today.
    pub beschikkingen: Vec<BeschikkingKort>,
    pub regelingen: Vec<RegelingKort>,
}

/// The kind of record, as named in a 404.
pub const GEZIN: &str = "gezin";

/// The audit object of family `id` of `eigenaar`.
pub fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "gezinnen",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// `POST /gezinnen`: a family of the caller's organisation; every member a person it
/// registered. Logged as a write of one's own record, one processing-log row per member;
/// the answer is the new dossier (read under the write's permission, logged as a read).
///
/// Every problem is named at once: the body's own (`GezinInvoer::valideer`) and each
/// member that is no person of the caller's organisation (`reference`), looked up on
/// what could be read (`invoer::samen`).
pub fn maak(
    conn: &mut DbConnection,
    ctx: &Context,
    invoer: &GezinInvoer,
) -> Result<Gezinsdossier, Fout> {
    let eerste = invoer.valideer(ctx.vandaag());
    let mut verwijzingen: Vec<(String, Uuid)> = Vec::new();
    for (i, lid) in invoer.leden.iter().flatten().enumerate() {
        if let Some(p) = lid.persoon
            && !verwijzingen.iter().any(|(_, x)| *x == p)
        {
            verwijzingen.push((format!("leden[{i}].persoon"), p));
        }
    }
    let naslag = crate::invoer::problemen(personen::eigen_personen(
        conn,
        &ctx.actor.organisatie,
        &verwijzingen,
    ))?;
    let g = crate::invoer::samen(eerste, naslag)?;
    let g = voeg_in(conn, &ctx.actor.organisatie, &g, ctx.nu)?;
    let leden = personen::lees_veel(conn, &ctx.versleuteling, &lid_ids(&g))?;
    let t = toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::Gezinssituatie],
        object(&g.id.to_string(), &g.eigenaar),
        json!({"gezin": g.id, "leden": g.leden.len()}),
        &leden.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
    )?;
    dossier(conn, ctx, &g, &t)
}

/// `GET /gezinnen/{id}`: the family with its members, gezag per child, all decisions and
/// arrangements; another organisation's only as an agreement allows (the family-law
/// facts left out where not covered), outside the caller's view as an unknown id.
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Gezinsdossier, Fout> {
    let g = vind(conn, id)?.ok_or_else(|| toegang::onbekend(GEZIN))?;
    let t = toegang::lees(
        conn,
        ctx,
        GEZIN,
        &g.eigenaar,
        &[C::Identificatie, C::Gezinssituatie],
        &[C::GezagEnOmgang],
        g.vertrouwelijkheid,
    )?;
    dossier(conn, ctx, &g, &t)
}

/// The own statements on decision `beschikking` (of `eigenaar`) in family `gezin`, read
/// outside the dossier (`eigen_verklaringen::beschikking_lijst`): exactly the dossier's
/// decision (`lees`: the owner, the caller's purpose, the family's level, the same 404 or
/// 403), with `gezag-en-omgang` required, since the dossier shows a decision only where
/// that category is allowed; each statement at most at the level it allows. Logged as a
/// read of the decision: its audit row under the owner's basis and, when a statement is
/// returned, the disclosure in the owner's register and one processing-log row per member
/// of the family (`LOG_ALLEEN_WAT_GETOOND`: an empty list is the audit row alone).
pub fn beschikking_verklaringen(
    conn: &mut DbConnection,
    ctx: &Context,
    gezin: Uuid,
    beschikking: Uuid,
    eigenaar: &str,
) -> Result<Vec<ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave>, Fout> {
    let g = vind(conn, gezin)?
        .ok_or_else(|| toegang::onbekend(crate::eigen_verklaringen::BESCHIKKING))?;
    let t = toegang::lees(
        conn,
        ctx,
        crate::eigen_verklaringen::BESCHIKKING,
        eigenaar,
        &[C::Identificatie, C::Gezinssituatie, C::GezagEnOmgang],
        &[],
        g.vertrouwelijkheid,
    )?;
    let uit = ketenregie_privacy::eigen_verklaring::bij_record(
        conn,
        &ctx.versleuteling,
        ketenregie_privacy::eigen_verklaring::Recordsoort::Beschikking,
        beschikking,
        &ctx.actor.organisatie,
        t.max_vertrouwelijkheid(),
    )?;
    let subjecten: Vec<Uuid> = if uit.is_empty() {
        vec![]
    } else {
        personen::lees_veel(conn, &ctx.versleuteling, &lid_ids(&g))?
            .iter()
            .map(|p| p.betrokkene)
            .collect()
    };
    logboek::lezing(
        conn,
        ctx,
        &t,
        Object {
            soort: "beschikkingen",
            id: beschikking.to_string(),
            eigenaar: eigenaar.to_string(),
        },
        &subjecten,
    )?;
    logboek::verklaringen(conn, ctx, &t, &uit)?;
    Ok(uit)
}

/// A family of the caller's organisation to add facts to; another's is refused within
/// the view (`EIGEN_ORGANISATIE`, `EEN_ORGANISATIE_ZICHT`).
pub fn eigen(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Gezin, Fout> {
    let g = vind(conn, id)?.ok_or_else(|| toegang::onbekend(GEZIN))?;
    if g.eigenaar != ctx.actor.organisatie {
        return Err(toegang::niet_eigen(
            conn,
            ctx,
            GEZIN,
            &g.eigenaar,
            &[C::Identificatie, C::Gezinssituatie],
            g.vertrouwelijkheid,
        ));
    }
    Ok(g)
}

/// The ids of a family's members.
pub fn lid_ids(g: &Gezin) -> Vec<String> {
    g.leden.iter().map(|l| l.persoon.to_string()).collect()
}

/// The whole family as permission `t` allows, with its read logged: one processing-log
/// row per member, and per gezag holder shown who is no member. Each decision with the own statements on it the caller may see
/// (`eigen_verklaring::VERKLARING_BIJ_RECORD`), read in one query.
fn dossier(
    conn: &mut DbConnection,
    ctx: &Context,
    g: &Gezin,
    t: &Toestemming,
) -> Result<Gezinsdossier, Fout> {
    let vandaag = ctx.vandaag();
    let kinderen: Vec<String> = g.kinderen().map(|k| k.to_string()).collect();
    let gezin_ids = [g.id.to_string()];
    let (gezag_, beschikkingen_, regelingen_) = if t.mag_zien(C::GezagEnOmgang) {
        (
            gezag::van_kinderen(conn, &kinderen)?,
            beschikkingen::van_gezinnen(conn, &ctx.versleuteling, &gezin_ids)?,
            regelingen::van_gezinnen(conn, &ctx.versleuteling, &gezin_ids)?,
        )
    } else {
        (vec![], vec![], vec![])
    };
    // The members and, read with them, the gezag holders who are no member (a voogd who
    // is a grandparent, `GEZAGHOUDER_BUITEN_GEZIN_BIJ_NAAM`): named and logged like the
    // members. A gezag record is the family owner's, and so are its holders.
    let mut ids = lid_ids(g);
    for h in gezag_.iter().flat_map(|x| x.houders.iter()) {
        let h = h.to_string();
        if !ids.contains(&h) {
            ids.push(h);
        }
    }
    let leden: Vec<personen::Persoon> = personen::lees_veel(conn, &ctx.versleuteling, &ids)?
        .into_iter()
        .filter(|p| p.eigenaar == g.eigenaar)
        .collect();
    let naam = |u: &Uuid| persoon_ref(&leden, u);
    let verklaringen = Verklaringen::lees_ids(
        conn,
        &ctx.versleuteling,
        beschikkingen_.iter().map(|x| &x.id),
    )?;
    let org = ctx.actor.organisatie.as_str();
    let subjecten: Vec<Uuid> = leden.iter().map(|p| p.betrokkene).collect();
    logboek::lezing(
        conn,
        ctx,
        t,
        object(&g.id.to_string(), &g.eigenaar),
        &subjecten,
    )?;
    let uit = Gezinsdossier {
        id: g.id,
        eigenaar: g.eigenaar.clone(),
        kenmerk: g.kenmerk.clone(),
        leden: g
            .leden
            .iter()
            .map(|l| GezinslidWeergave {
                persoon: naam(&l.persoon),
                relatie: l.relatie,
                van: l.van,
                tot: l.tot,
            })
            .collect(),
        gezag: gezag_.iter().map(|x| gezag_kort(x, &naam)).collect(),
        beschikkingen: beschikkingen_
            .iter()
            .map(|x| {
                let mut k = beschikking_kort(x, vandaag, &naam, &|u| {
                    beschikkingen::geboren_van(&leden, u)
                });
                k.eigen_verklaringen =
                    verklaringen.voor(Recordsoort::Beschikking, &x.id, org, |n| {
                        n <= t.max_vertrouwelijkheid()
                    });
                k
            })
            .collect(),
        regelingen: regelingen_.iter().map(regeling_kort).collect(),
    };
    logboek::verklaringen(
        conn,
        ctx,
        t,
        uit.beschikkingen.iter().flat_map(|b| &b.eigen_verklaringen),
    )?;
    Ok(uit)
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

/// Store a family; every member must be a person of `eigenaar`.
pub fn voeg_in(
    conn: &mut DbConnection,
    eigenaar: &str,
    g: &NieuwGezin,
    nu: DateTime<Utc>,
) -> Result<Gezin, Fout> {
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
            gezinsleden::relatie.eq(l.relatie),
            gezinsleden::van.eq(l.van),
            gezinsleden::tot.eq(l.tot),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = gezinnen)]
struct GezinRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    eigenaar: String,
    kenmerk: Option<String>,
    #[diesel(deserialize_as = Tekst<Vertrouwelijkheid>)]
    vertrouwelijkheid: Vertrouwelijkheid,
    aangemaakt_op: chrono::NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = gezinsleden)]
struct LidRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    gezin_id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    persoon_id: Uuid,
    relatie: Relatie,
    van: Option<NaiveDate>,
    tot: Option<NaiveDate>,
}

/// Families by id, with their members.
pub fn lees_veel(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Gezin>> {
    let rijen: Vec<GezinRij> = gezinnen::table
        .filter(gezinnen::id.eq_any(ids))
        .select(GezinRij::as_select())
        .load(conn)?;
    let leden: Vec<LidRij> = gezinsleden::table
        .filter(gezinsleden::gezin_id.eq_any(ids))
        .select(LidRij::as_select())
        .load(conn)?;
    Ok(rijen
        .into_iter()
        .map(|r| Gezin {
            leden: leden
                .iter()
                .filter(|l| l.gezin_id == r.id)
                .map(|l| Lid {
                    persoon: l.persoon_id,
                    relatie: l.relatie,
                    van: l.van,
                    tot: l.tot,
                })
                .collect(),
            id: r.id,
            eigenaar: r.eigenaar,
            kenmerk: r.kenmerk,
            vertrouwelijkheid: r.vertrouwelijkheid,
            aangemaakt_op: from_db(r.aangemaakt_op),
        })
        .collect())
}

/// One family by id, with its members.
pub fn vind(conn: &mut DbConnection, gezin: Uuid) -> QueryResult<Option<Gezin>> {
    Ok(lees_veel(conn, &[gezin.to_string()])?.into_iter().next())
}

/// Is `gezin` a family of `eigenaar`?
pub fn is_van(conn: &mut DbConnection, eigenaar: &str, gezin: Uuid) -> QueryResult<bool> {
    Ok(vind(conn, gezin)?.is_some_and(|g| g.eigenaar == eigenaar))
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
