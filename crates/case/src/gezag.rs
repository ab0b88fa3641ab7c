//! Gezag (parental authority) per child: the holders, the form, the source and the date it
//! was verified (DOMAIN.md §4). The newest verified record is the one that counts.
//! `GEZAG_HOUDERS_PASSEN_BIJ_VORM`: joint gezag has two holders, one-parent gezag one,
//! voogdij one or two persons or an institution, "temporarily none" and "cannot be
//! determined" none. `GEZAG_BRON_BESCHIKKING`: a court decision as source is named.

use crate::{CaseFout, id, invoer};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::Validatie;
use ketenregie_common::ids;
use ketenregie_common::time::to_db;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::gezag;
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

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
pub enum Gezagsvorm {
    Gezamenlijk,
    Eenhoofdig,
    Voogdij,
    TijdelijkGeen,
    NietTeBepalen,
}

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
pub enum Gezagsbron {
    Gezagsregister,
    Brp,
    Beschikking,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GezagInvoer {
    #[schema(required = true, value_type = Gezagsvorm)]
    pub vorm: Option<String>,
    /// The persons holding gezag (persons your organisation registered).
    #[serde(default)]
    pub houders: Vec<Uuid>,
    /// For voogdij by an institution: its organisation code.
    pub houder_instelling: Option<String>,
    #[schema(required = true, value_type = Gezagsbron)]
    pub bron: Option<String>,
    /// The decision it rests on, when `bron` is `beschikking`.
    pub beschikking: Option<Uuid>,
    #[schema(required = true, value_type = String, format = Date)]
    pub geverifieerd_op: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gezag {
    pub id: Uuid,
    pub eigenaar: String,
    pub kind: Uuid,
    pub vorm: Gezagsvorm,
    pub houders: Vec<Uuid>,
    pub houder_instelling: Option<String>,
    pub bron: Gezagsbron,
    pub beschikking: Option<Uuid>,
    pub geverifieerd_op: NaiveDate,
}

impl GezagInvoer {
    pub fn valideer(&self, kind: Uuid, vandaag: NaiveDate) -> Result<Gezag, CaseFout> {
        let mut v = Validatie::new();
        let vorm: Option<Gezagsvorm> = v.keuze("vorm", self.vorm.as_deref());
        let bron: Option<Gezagsbron> = v.keuze("bron", self.bron.as_deref());
        let geverifieerd = invoer::verplichte_datum(
            &mut v,
            "geverifieerdOp",
            self.geverifieerd_op.as_deref(),
            Some(vandaag),
        );
        let instelling =
            v.optionele_tekst("houderInstelling", self.houder_instelling.as_deref(), 64);
        let mut houders = self.houders.clone();
        houders.sort();
        houders.dedup();
        if houders.contains(&kind) {
            v.fout(
                "houders",
                "gezag-houders-passen-bij-vorm",
                "een kind heeft geen gezag over zichzelf",
            );
        }
        if let Some(vorm) = vorm {
            use Gezagsvorm as G;
            let (ok, eis) = match vorm {
                G::Gezamenlijk => (
                    houders.len() == 2 && instelling.is_none(),
                    "precies twee houders",
                ),
                G::Eenhoofdig => (
                    houders.len() == 1 && instelling.is_none(),
                    "precies één houder",
                ),
                G::Voogdij => (
                    (1..=2).contains(&houders.len()) != instelling.is_some(),
                    "één of twee voogden, of een instelling (`houderInstelling`)",
                ),
                G::TijdelijkGeen | G::NietTeBepalen => {
                    (houders.is_empty() && instelling.is_none(), "geen houders")
                }
            };
            if !ok {
                v.fout(
                    "houders",
                    "gezag-houders-passen-bij-vorm",
                    format!("gezag `{vorm}` heeft {eis} (regel GEZAG_HOUDERS_PASSEN_BIJ_VORM)"),
                );
            }
        }
        if bron == Some(Gezagsbron::Beschikking) && self.beschikking.is_none() {
            v.fout(
                "beschikking",
                "gezag-bron-beschikking",
                "met bron `beschikking` is de beschikking verplicht (regel GEZAG_BRON_BESCHIKKING)",
            );
        }
        v.afronden(|| Gezag {
            id: ids::new_id(),
            eigenaar: String::new(),
            kind,
            vorm: vorm.unwrap_or(Gezagsvorm::NietTeBepalen),
            houders,
            houder_instelling: instelling,
            bron: bron.unwrap_or(Gezagsbron::Brp),
            beschikking: self.beschikking,
            geverifieerd_op: geverifieerd.unwrap_or_default(),
        })
        .map_err(CaseFout::Ongeldig)
    }
}

pub fn maak(
    conn: &mut DbConnection,
    eigenaar: &str,
    mut g: Gezag,
    nu: DateTime<Utc>,
) -> Result<Gezag, CaseFout> {
    let mut verwijzingen = vec![("kind".to_string(), g.kind)];
    verwijzingen.extend(
        g.houders
            .iter()
            .enumerate()
            .map(|(i, h)| (format!("houders[{i}]"), *h)),
    );
    crate::personen::eigen_personen(conn, eigenaar, &verwijzingen)?;
    g.eigenaar = eigenaar.to_string();
    diesel::insert_into(gezag::table)
        .values((
            gezag::id.eq(g.id.to_string()),
            gezag::eigenaar.eq(eigenaar),
            gezag::kind_id.eq(g.kind.to_string()),
            gezag::vorm.eq(g.vorm.as_ref()),
            gezag::houders.eq(serde_json::to_string(&g.houders).expect("serialises")),
            gezag::houder_instelling.eq(&g.houder_instelling),
            gezag::bron.eq(g.bron.as_ref()),
            gezag::beschikking_id.eq(g.beschikking.map(|b| b.to_string())),
            gezag::geverifieerd_op.eq(g.geverifieerd_op),
            gezag::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    Ok(g)
}

/// Gezag records of these children, newest verification first.
pub fn van_kinderen(conn: &mut DbConnection, kinderen: &[String]) -> QueryResult<Vec<Gezag>> {
    type Rij = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        NaiveDate,
    );
    let rijen: Vec<Rij> = gezag::table
        .filter(gezag::kind_id.eq_any(kinderen))
        .order((gezag::geverifieerd_op.desc(), gezag::aangemaakt_op.desc()))
        .select((
            gezag::id,
            gezag::eigenaar,
            gezag::kind_id,
            gezag::vorm,
            gezag::houders,
            gezag::houder_instelling,
            gezag::bron,
            gezag::beschikking_id,
            gezag::geverifieerd_op,
        ))
        .load(conn)?;
    Ok(rijen
        .into_iter()
        .map(|r| Gezag {
            id: id(&r.0),
            eigenaar: r.1,
            kind: id(&r.2),
            vorm: r.3.parse().unwrap_or(Gezagsvorm::NietTeBepalen),
            houders: serde_json::from_str(&r.4).unwrap_or_default(),
            houder_instelling: r.5,
            bron: r.6.parse().unwrap_or(Gezagsbron::Brp),
            beschikking: r.7.as_deref().map(id),
            geverifieerd_op: r.8,
        })
        .collect())
}
