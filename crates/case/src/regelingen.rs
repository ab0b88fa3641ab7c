//! Regelingen: an omgangsregeling (contact for a parent without gezag) or a zorgregeling
//! (care division between parents with joint gezag), with its source (parenting plan or
//! court decision), a summary of the schedule (encrypted: it names days and places) and
//! its validity.

use crate::{CaseFout, id, invoer};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::Validatie;
use ketenregie_common::ids;
use ketenregie_common::time::to_db;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::regelingen;
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
pub enum Regelingsoort {
    Omgangsregeling,
    Zorgregeling,
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
pub enum Regelingbron {
    Ouderschapsplan,
    Beschikking,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegelingInvoer {
    #[schema(required = true, value_type = Regelingsoort)]
    pub soort: Option<String>,
    #[schema(required = true, value_type = Regelingbron)]
    pub bron: Option<String>,
    /// The decision it comes from, when `bron` is `beschikking`.
    pub beschikking: Option<Uuid>,
    /// The schedule in short, e.g. "om het weekend vr 17:00 - zo 17:00 bij vader; overdracht op school".
    #[schema(required = true, value_type = String)]
    pub samenvatting: Option<String>,
    #[schema(required = true, value_type = String, format = Date)]
    pub van: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub tot: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Regeling {
    pub id: Uuid,
    pub eigenaar: String,
    pub gezin: Uuid,
    pub soort: Regelingsoort,
    pub bron: Regelingbron,
    pub beschikking: Option<Uuid>,
    pub samenvatting: String,
    pub van: NaiveDate,
    pub tot: Option<NaiveDate>,
}

impl Regeling {
    pub fn in_werking(&self, dag: NaiveDate) -> bool {
        self.van <= dag && self.tot.is_none_or(|t| dag <= t)
    }
}

impl RegelingInvoer {
    pub fn valideer(&self, gezin: Uuid) -> Result<Regeling, CaseFout> {
        let mut v = Validatie::new();
        let soort = v.keuze("soort", self.soort.as_deref());
        let bron: Option<Regelingbron> = v.keuze("bron", self.bron.as_deref());
        let samenvatting = v.tekst("samenvatting", self.samenvatting.as_deref(), 4000);
        let van = invoer::verplichte_datum(&mut v, "van", self.van.as_deref(), None);
        let tot = v.datum("tot", self.tot.as_deref(), None);
        if let (Some(a), Some(b)) = (van, tot)
            && b < a
        {
            v.fout("tot", "minimum", "`tot` ligt voor `van`");
        }
        if bron == Some(Regelingbron::Beschikking) && self.beschikking.is_none() {
            v.fout(
                "beschikking",
                "required",
                "met bron `beschikking` is de beschikking verplicht",
            );
        }
        v.afronden(|| Regeling {
            id: ids::new_id(),
            eigenaar: String::new(),
            gezin,
            soort: soort.unwrap_or(Regelingsoort::Omgangsregeling),
            bron: bron.unwrap_or(Regelingbron::Ouderschapsplan),
            beschikking: self.beschikking,
            samenvatting: samenvatting.unwrap_or_default(),
            van: van.unwrap_or_default(),
            tot,
        })
        .map_err(CaseFout::Ongeldig)
    }
}

pub fn maak(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    mut r: Regeling,
    nu: DateTime<Utc>,
) -> Result<Regeling, CaseFout> {
    r.eigenaar = eigenaar.to_string();
    diesel::insert_into(regelingen::table)
        .values((
            regelingen::id.eq(r.id.to_string()),
            regelingen::eigenaar.eq(eigenaar),
            regelingen::gezin_id.eq(r.gezin.to_string()),
            regelingen::soort.eq(r.soort.as_ref()),
            regelingen::bron.eq(r.bron.as_ref()),
            regelingen::beschikking_id.eq(r.beschikking.map(|b| b.to_string())),
            regelingen::samenvatting.eq(v.versleutel(&r.samenvatting)),
            regelingen::van.eq(r.van),
            regelingen::tot.eq(r.tot),
            regelingen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    Ok(r)
}

pub fn van_gezinnen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    gezinnen: &[String],
) -> QueryResult<Vec<Regeling>> {
    type Rij = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        NaiveDate,
        Option<NaiveDate>,
    );
    let rijen: Vec<Rij> = regelingen::table
        .filter(regelingen::gezin_id.eq_any(gezinnen))
        .order(regelingen::van.desc())
        .select((
            regelingen::id,
            regelingen::eigenaar,
            regelingen::gezin_id,
            regelingen::soort,
            regelingen::bron,
            regelingen::beschikking_id,
            regelingen::samenvatting,
            regelingen::van,
            regelingen::tot,
        ))
        .load(conn)?;
    Ok(rijen
        .into_iter()
        .map(|r| Regeling {
            id: id(&r.0),
            eigenaar: r.1,
            gezin: id(&r.2),
            soort: r.3.parse().unwrap_or(Regelingsoort::Omgangsregeling),
            bron: r.4.parse().unwrap_or(Regelingbron::Ouderschapsplan),
            beschikking: r.5.as_deref().map(id),
            samenvatting: v.ontsleutel(&r.6).unwrap_or_default(),
            van: r.7,
            tot: r.8,
        })
        .collect())
}
