//! The incidents of the asked organisation the person is involved in, with the statements
//! (DOMAIN.md §1 point 4, hoor en wederhoor). Police statements by others (the other
//! parent, witnesses, officers) are police data (Wpg): the police show them in their own
//! report (Wpg art. 25), any other organisation shows the person's own statements only and
//! says how many it left out and where to ask for them.
//!
//! `KINDERWOORDEN_ALLEEN_AAN_HET_KIND` (`ketenregie_privacy::inzage`): a statement made by
//! a child — `afgelegdDoor: kind`, or by a person the incident names in the role `kind` —
//! is shown only in the report about that child (its `persoon` one of the child's
//! records), in every organisation's report, the police's own included; the item says how
//! many were withheld and why.

use super::{Vraag, gemeentenaam};
use crate::incidenten;
use diesel::prelude::*;
use ketenregie_common::OrganisatieSoort;
use ketenregie_common::time::from_db;
use ketenregie_privacy::inzage::{InzageOnderdeel, kinderwoorden_achtergehouden};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{incident_betrokkenen, incidenten as incidenten_t};
use serde_json::json;
use std::collections::BTreeMap;

pub(super) fn verzamel(conn: &mut DbConnection, q: &Vraag) -> QueryResult<Vec<InzageOnderdeel>> {
    let record_ids = q.record_ids();
    let eigen: Vec<uuid::Uuid> = q.personen.iter().map(|p| p.id).collect();
    let incident_ids: Vec<String> = incident_betrokkenen::table
        .filter(incident_betrokkenen::persoon_id.eq_any(&record_ids))
        .select(incident_betrokkenen::incident_id)
        .load(conn)?;
    let vastgelegd: BTreeMap<String, chrono::NaiveDateTime> = incidenten_t::table
        .filter(incidenten_t::id.eq_any(&incident_ids))
        .select((incidenten_t::id, incidenten_t::aangemaakt_op))
        .load::<(String, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .collect();
    let politie = q.soort == Some(OrganisatieSoort::Politie);
    let mut uit = Vec::new();
    for i in incidenten::lees_veel(conn, q.v, &incident_ids)?
        .into_iter()
        .filter(|i| i.eigenaar == q.org)
    {
        let is_eigen = |s: &incidenten::Verklaring| s.persoon.is_some_and(|p| eigen.contains(&p));
        // KINDERWOORDEN_ALLEEN_AAN_HET_KIND: a child's statement not the person's own.
        let kinderen: Vec<uuid::Uuid> = i
            .betrokkenen
            .iter()
            .filter(|(_, r)| r.trim().eq_ignore_ascii_case("kind"))
            .map(|(p, _)| *p)
            .collect();
        let van_kind = |s: &incidenten::Verklaring| {
            s.afgelegd_door == incidenten::Verklaarder::Kind
                || s.persoon.is_some_and(|p| kinderen.contains(&p))
        };
        let (kinderwoorden, toonbaar): (Vec<_>, Vec<_>) = i
            .verklaringen
            .iter()
            .partition(|s| van_kind(s) && !is_eigen(s));
        let (eigen_verklaringen, andere): (Vec<_>, Vec<_>) =
            toonbaar.iter().copied().partition(|s| is_eigen(s));
        let mut achtergehouden = Vec::new();
        if !kinderwoorden.is_empty() {
            achtergehouden.push(kinderwoorden_achtergehouden(kinderwoorden.len()));
        }
        let verklaringen: Vec<_> = if politie {
            toonbaar
        } else {
            if !andere.is_empty() {
                achtergehouden.push(format!(
                    "{} verklaring(en) van anderen: politiegegevens (Wpg), op te vragen bij de politie",
                    andere.len()
                ));
            }
            eigen_verklaringen
        };
        let rol = i
            .betrokkenen
            .iter()
            .find(|(p, _)| eigen.contains(p))
            .map(|(_, r)| r.clone());
        let gemeente = match &i.gemeente {
            Some(g) => gemeentenaam(conn, g)?,
            None => None,
        };
        let id = i.id.to_string();
        let datum = vastgelegd.get(&id).map_or(i.tijdstip, |t| from_db(*t));
        uit.push(q.onderdeel(
            "incident",
            id,
            datum,
            json!({
                "soort": i.soort,
                "tijdstip": i.tijdstip,
                "plaats": i.plaats,
                "gemeente": gemeente,
                "rol": rol,
                "politieReferentie": i.politie_referentie,
                "samenvatting": i.samenvatting,
                "wederhoor": i.wederhoor,
                "wederhoorOp": i.wederhoor_op,
                "verklaringen": verklaringen.iter().map(|s| json!({
                    "afgelegdDoor": s.afgelegd_door,
                    "eigen": s.persoon.is_some_and(|p| eigen.contains(&p)),
                    "tekst": s.tekst,
                    "afgelegdOp": s.afgelegd_op,
                })).collect::<Vec<_>>(),
            }),
            achtergehouden,
        ));
    }
    Ok(uit)
}
