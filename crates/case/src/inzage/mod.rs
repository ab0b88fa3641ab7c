//! The case registry's part of an inzage report (DOMAIN.md §3 flow 7; AVG art. 15, Wpg
//! art. 25): everything the asked organisation holds on the person's identity in the case
//! registry — its person records (`dossier`), the families they are in with the
//! beschikkingen and regelingen of those families, the gezag records naming them as child
//! or holder, the incidents they are involved in with the statements (`incidenten`), and
//! its involvement signals and their coordination matches (`betrokkenheid`). Each item
//! names its source, the date it was recorded and the legal basis: the organisation's own
//! task under its regime (`herkomst::grondslag_eigen`). Other organisations answer for
//! their own records.

mod betrokkenheid;
mod dossier;
mod incidenten;

use diesel::prelude::*;
use ketenregie_common::{Actor, OrganisatieSoort};
use ketenregie_privacy::betrokkene;
use ketenregie_privacy::inzage::{InzageBron, InzageOnderdeel, herkomst};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom;
use ketenregie_store::schema::{gemeenten, personen as personen_t};
use std::sync::Arc;
use uuid::Uuid;

use crate::personen::{self, Persoon};

pub struct CaseBron {
    pub versleuteling: Arc<Versleuteling>,
}

/// The identity of a person record, or the identity itself when `persoon` is one that a
/// person record carries; `None` for an id the case registry does not know. Other crates'
/// inzage sources resolve the id asked about with it. The record -> identity step is the
/// one every crate shares (`privacy::betrokkene::van_persoon`).
pub fn identiteit_van(conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<String>> {
    let identiteit = betrokkene::van_persoon(conn, persoon)?;
    if identiteit != persoon {
        return Ok(Some(identiteit.to_string()));
    }
    // Not a record id: an identity, when some record carries it.
    Ok(betrokkene::records_van(conn, persoon)?
        .first()
        .map(|_| persoon.to_string()))
}

/// What one organisation holds on one identity, as the parts below read it.
pub(crate) struct Vraag<'a> {
    pub v: &'a Versleuteling,
    /// The asking organisation's code.
    pub org: &'a str,
    pub soort: Option<OrganisatieSoort>,
    /// The legal basis of its own records.
    pub grondslag: String,
    /// The identity (`betrokkene`).
    pub identiteit: String,
    /// Its person records on that identity, decrypted.
    pub personen: Vec<Persoon>,
}

impl Vraag<'_> {
    pub fn record_ids(&self) -> Vec<String> {
        self.personen.iter().map(|p| p.id.to_string()).collect()
    }

    /// An item of the asking organisation's own, recorded by itself.
    pub fn onderdeel(
        &self,
        soort: &str,
        id: String,
        vastgelegd_op: chrono::DateTime<chrono::Utc>,
        gegevens: serde_json::Value,
        achtergehouden: Vec<String>,
    ) -> InzageOnderdeel {
        InzageOnderdeel {
            soort: soort.into(),
            id,
            eigenaar: self.org.to_string(),
            bron: self.org.to_string(),
            bron_naam: String::new(),
            vastgelegd_op,
            grondslag: self.grondslag.clone(),
            gegevens,
            achtergehouden,
        }
    }
}

/// The name of municipality `code` from the reference data, if loaded.
pub(crate) fn gemeentenaam(conn: &mut DbConnection, code: &str) -> QueryResult<Option<String>> {
    gemeenten::table
        .find(code)
        .select(gemeenten::naam)
        .first(conn)
        .optional()
}

/// The organisation's person records on `identiteit`, decrypted.
fn eigen_records(
    conn: &mut DbConnection,
    v: &Versleuteling,
    identiteit: &str,
    org: &str,
) -> QueryResult<Vec<Persoon>> {
    let rijen: Vec<personen::PersoonRij> = personen_t::table
        .filter(personen_t::betrokkene.eq(identiteit))
        .filter(personen_t::eigenaar.eq(org))
        .order(personen_t::aangemaakt_op)
        .select(personen::PersoonRij::as_select())
        .load(conn)?;
    rijen.into_iter().map(|r| r.ontsleutel(v)).collect()
}

impl InzageBron for CaseBron {
    fn identiteit(&self, conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<Uuid>> {
        identiteit_van(conn, persoon)?
            .map(|s| kolom::rij(kolom::uuid(&s)))
            .transpose()
    }

    fn eigenaar(&self, conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<String>> {
        personen_t::table
            .find(persoon.to_string())
            .select(personen_t::eigenaar)
            .first(conn)
            .optional()
    }

    fn naam(
        &self,
        conn: &mut DbConnection,
        persoon: Uuid,
        aanvrager: &Actor,
    ) -> QueryResult<Option<String>> {
        let Some(identiteit) = identiteit_van(conn, persoon)? else {
            return Ok(None);
        };
        Ok(eigen_records(
            conn,
            &self.versleuteling,
            &identiteit,
            &aanvrager.organisatie,
        )?
        .first()
        .map(Persoon::naam))
    }

    fn verzamel(
        &self,
        conn: &mut DbConnection,
        persoon: Uuid,
        aanvrager: &Actor,
        soort: Option<OrganisatieSoort>,
    ) -> QueryResult<Vec<InzageOnderdeel>> {
        let Some(identiteit) = identiteit_van(conn, persoon)? else {
            return Ok(vec![]);
        };
        let org = aanvrager.organisatie.as_str();
        let v = &self.versleuteling;
        let vraag = Vraag {
            v,
            org,
            soort,
            grondslag: herkomst::grondslag_eigen(conn, org)?,
            personen: eigen_records(conn, v, &identiteit, org)?,
            identiteit,
        };
        let mut uit = dossier::verzamel(conn, &vraag)?;
        uit.extend(incidenten::verzamel(conn, &vraag)?);
        uit.extend(betrokkenheid::verzamel(conn, &vraag)?);
        Ok(uit)
    }
}
