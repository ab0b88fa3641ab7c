//! The case registry's part of an inzage report (DOMAIN.md §3 flow 7): what the asked
//! organisation holds on the person's identity through the service — its person records,
//! the incidents they are involved in with the statements, gezag, and its involvement
//! signals. Other organisations answer for their own records. Police
//! statements by others (the other parent, witnesses, officers) are police data
//! (Wpg): withheld from a non-police requester, and from the subject their own statements
//! only are shown.

use crate::{gezag, incidenten, personen};
use diesel::prelude::*;
use ketenregie_common::{Actor, OrganisatieSoort};
use ketenregie_privacy::inzage::{InzageBron, InzageOnderdeel};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom;
use ketenregie_store::schema::{betrokkenheden, incident_betrokkenen, personen as personen_t};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

pub struct CaseBron {
    pub versleuteling: Arc<Versleuteling>,
}

impl CaseBron {
    /// The identity of a person record, or the identity itself when `persoon` is one.
    fn identiteit_van(conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<String>> {
        let via_record: Option<String> = personen_t::table
            .find(persoon.to_string())
            .select(personen_t::betrokkene)
            .first(conn)
            .optional()?;
        if via_record.is_some() {
            return Ok(via_record);
        }
        let bestaat: i64 = personen_t::table
            .filter(personen_t::betrokkene.eq(persoon.to_string()))
            .count()
            .get_result(conn)?;
        Ok((bestaat > 0).then(|| persoon.to_string()))
    }
}

impl InzageBron for CaseBron {
    fn identiteit(&self, conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<Uuid>> {
        Self::identiteit_van(conn, persoon)?
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

    fn verzamel(
        &self,
        conn: &mut DbConnection,
        persoon: Uuid,
        aanvrager: &Actor,
        soort: Option<OrganisatieSoort>,
    ) -> QueryResult<Vec<InzageOnderdeel>> {
        let Some(identiteit) = Self::identiteit_van(conn, persoon)? else {
            return Ok(vec![]);
        };
        let v = &self.versleuteling;
        let rijen: Vec<personen::PersoonRij> = personen_t::table
            .filter(personen_t::betrokkene.eq(&identiteit))
            .filter(personen_t::eigenaar.eq(&aanvrager.organisatie))
            .select(personen::PersoonRij::as_select())
            .load(conn)?;
        let mut uit = Vec::new();
        let record_ids: Vec<String> = rijen.iter().map(|r| r.id.clone()).collect();
        for r in rijen {
            let p = r.ontsleutel(v)?;
            uit.push(InzageOnderdeel {
                soort: "persoon".into(),
                id: p.id.to_string(),
                eigenaar: p.eigenaar.clone(),
                gegevens: json!({
                    "bsn": p.gegevens.bsn,
                    "voornamen": p.gegevens.voornamen,
                    "achternaam": p.gegevens.achternaam,
                    "geboortedatum": p.gegevens.geboortedatum,
                    "adres": p.gegevens.adres,
                }),
                achtergehouden: vec![],
            });
        }
        let incident_ids: Vec<String> = incident_betrokkenen::table
            .filter(incident_betrokkenen::persoon_id.eq_any(&record_ids))
            .select(incident_betrokkenen::incident_id)
            .load(conn)?;
        let politie = soort == Some(OrganisatieSoort::Politie);
        let incs = incidenten::lees_veel(conn, v, &incident_ids)?;
        for i in incs
            .into_iter()
            .filter(|i| i.eigenaar == aanvrager.organisatie)
        {
            let (eigen, andere): (Vec<_>, Vec<_>) = i.verklaringen.iter().partition(|s| {
                s.persoon
                    .is_some_and(|p| record_ids.contains(&p.to_string()))
            });
            let mut achtergehouden = Vec::new();
            let verklaringen: Vec<_> = if politie {
                i.verklaringen.iter().collect()
            } else {
                if !andere.is_empty() {
                    achtergehouden.push(format!(
                        "{} verklaring(en) van anderen: politiegegevens (Wpg), op te vragen bij de politie",
                        andere.len()
                    ));
                }
                eigen
            };
            uit.push(InzageOnderdeel {
                soort: "incident".into(),
                id: i.id.to_string(),
                eigenaar: i.eigenaar.clone(),
                gegevens: json!({
                    "tijdstip": i.tijdstip,
                    "soort": i.soort,
                    "politieReferentie": i.politie_referentie,
                    "samenvatting": i.samenvatting,
                    "wederhoor": i.wederhoor,
                    "verklaringen": verklaringen.iter().map(|s| json!({
                        "afgelegdDoor": s.afgelegd_door, "tekst": s.tekst, "afgelegdOp": s.afgelegd_op
                    })).collect::<Vec<_>>(),
                }),
                achtergehouden,
            });
        }
        for g in gezag::van_kinderen(conn, &record_ids)?
            .into_iter()
            .filter(|g| g.eigenaar == aanvrager.organisatie)
        {
            uit.push(InzageOnderdeel {
                soort: "gezag".into(),
                id: g.id.to_string(),
                eigenaar: g.eigenaar.clone(),
                gegevens: json!({"vorm": g.vorm, "bron": g.bron, "geverifieerdOp": g.geverifieerd_op}),
                achtergehouden: vec![],
            });
        }
        let signalen: Vec<(String, String, chrono::NaiveDate, chrono::NaiveDate)> =
            betrokkenheden::table
                .filter(betrokkenheden::betrokkene.eq(&identiteit))
                .filter(betrokkenheden::organisatie.eq(&aanvrager.organisatie))
                .select((
                    betrokkenheden::id,
                    betrokkenheden::organisatie,
                    betrokkenheden::sinds,
                    betrokkenheden::vervalt_op,
                ))
                .load(conn)?;
        for s in signalen {
            uit.push(InzageOnderdeel {
                soort: "betrokkenheid".into(),
                id: s.0,
                eigenaar: s.1.clone(),
                gegevens: json!({"organisatie": s.1, "sinds": s.2, "vervaltOp": s.3}),
                achtergehouden: vec![],
            });
        }
        Ok(uit)
    }
}
