//! The terugkoppelingen in a data subject's inzage report (DOMAIN.md §3 flows 3 and 7):
//! every feedback item on a melding naming the person that the asked organisation gave
//! (as the receiver of the melding or hand-over) or received (as the one owed it). Each
//! item names its source, its date and its legal basis: the organisation's own task for
//! what it gave; for what it received, the basis it first read it on, else the duty to
//! inform the reporter (Wmo 2015 art. 4.1.1 lid 2 onder g). The giver's employee is not
//! named.
//!
//! `INZAGE_ZOALS_EIGEN_LEZING` (`ketenregie_privacy::inzage`): feedback the organisation
//! received from another shows no more than its own read of it
//! (`terugkoppeling::lijst`): the read's decision (`terugkoppeling::aanvraag`, the
//! melding's receiver as owner) taken for the organisation (`inzage::als_organisatie`).
//! Refused, the item shows who gave it when and for which moment, its content withheld;
//! allowed, it is logged as that read (once per melding).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ketenregie_common::time::from_db;
use ketenregie_common::{Actie, Fout, OrganisatieSoort};
use ketenregie_privacy::inzage::{
    self as privacy_inzage, Bijdrage, InzageBron, InzageOnderdeel, Lezing, herkomst,
};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_privacy::{Context, besluit};
use ketenregie_referral::opslag;

use crate::terugkoppeling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Json;
use ketenregie_store::schema::{terugkoppelingen, zorgmelding_betrokkenen};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// The legal basis of feedback received, when the receiver never read it.
pub const GRONDSLAG_TERUGKOPPELING: &str = "Wmo 2015 artikel 4.1.1 lid 2 onder g: Veilig Thuis vertelt de melder wat er met de melding gebeurt";

/// The terugkoppelingen as an inzage source.
pub struct FeedbackBron {
    pub versleuteling: Arc<Versleuteling>,
}

/// The encrypted part of a feedback item (as `terugkoppeling` stores it).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Geheim {
    contact: Option<String>,
    veiligheidsvoorwaarden: Option<String>,
    monitoringsafspraken: Option<String>,
    toelichting: Option<String>,
}

type Rij = (
    String,
    String,
    String,
    String,
    String,
    bool,
    Option<String>,
    bool,
    String,
    Json<Vec<Uuid>>,
    NaiveDateTime,
);

impl InzageBron for FeedbackBron {
    fn bijdrage(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        persoon: Uuid,
        _soort: Option<OrganisatieSoort>,
    ) -> Result<Bijdrage, Fout> {
        let Some(onderwerp) = ketenregie_referral::inzage::identiteit(conn, persoon)? else {
            return Ok(Bijdrage::default());
        };
        let org = ctx.actor.organisatie.as_str();
        let als_org = privacy_inzage::als_organisatie(ctx);
        // Through the meldingen index (`zorgmelding_betrokkenen`), then the subjects the
        // item itself recorded.
        let meldingen: Vec<String> = zorgmelding_betrokkenen::table
            .filter(zorgmelding_betrokkenen::betrokkene.eq(&onderwerp))
            .select(zorgmelding_betrokkenen::zorgmelding_id)
            .load(conn)?;
        let rijen: Vec<Rij> = terugkoppelingen::table
            .filter(terugkoppelingen::zorgmelding_id.eq_any(&meldingen))
            .filter(terugkoppelingen::betrokkenen.like(format!("%{onderwerp}%")))
            .filter(
                terugkoppelingen::ontvanger
                    .eq(org)
                    .or(terugkoppelingen::afzender.eq(org)),
            )
            .order((terugkoppelingen::aangemaakt_op, terugkoppelingen::id))
            .select((
                terugkoppelingen::id,
                terugkoppelingen::zorgmelding_id,
                terugkoppelingen::afzender,
                terugkoppelingen::ontvanger,
                terugkoppelingen::moment,
                terugkoppelingen::vervolgtraject_gestart,
                terugkoppelingen::overgenomen_door,
                terugkoppelingen::melder_heeft_rol,
                terugkoppelingen::inhoud,
                terugkoppelingen::betrokkenen,
                terugkoppelingen::aangemaakt_op,
            ))
            .load(conn)?;
        let mut uit = Bijdrage::default();
        let mut eigen: Option<String> = None;
        for (id, melding, aan, door, moment, gestart, overgenomen, rol, inhoud, onderwerpen, op) in
            rijen
        {
            let gegeven = door == org;
            let grondslag = if gegeven {
                match &eigen {
                    Some(g) => g.clone(),
                    None => {
                        let g = herkomst::grondslag_eigen(conn, org)?;
                        eigen = Some(g.clone());
                        g
                    }
                }
            } else {
                herkomst::grondslag_ontvangen(conn, org, "terugkoppelingen", &melding)?
                    .unwrap_or_else(|| GRONDSLAG_TERUGKOPPELING.into())
            };
            // INZAGE_ZOALS_EIGEN_LEZING: received feedback of another organisation as the
            // organisation's own read of it (`terugkoppeling::lijst`) may show it.
            let mut lezing = None;
            if !gegeven {
                let melding_id: Uuid = melding
                    .parse()
                    .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
                let Some(k) = opslag::kop(conn, melding_id)? else {
                    continue;
                };
                let eigenaar = k.ontvanger.clone().unwrap_or_default();
                if eigenaar != org {
                    let aanvraag = terugkoppeling::aanvraag(Actie::Lezen, &eigenaar, &k);
                    match privacy_inzage::toegestaan(besluit::toegang(conn, &als_org, &aanvraag))? {
                        Some(t) => {
                            // LOG_ALLEEN_WAT_GETOOND: the subjects of the item shown
                            // (stored with it), not of the melding it is about.
                            let mut betrokkenen = onderwerpen.0;
                            betrokkenen.sort();
                            betrokkenen.dedup();
                            lezing = Some(Lezing {
                                toestemming: t,
                                object: terugkoppeling::object(&k),
                                betrokkenen,
                            });
                        }
                        None => {
                            let van = herkomst::naam(conn, &eigenaar)?;
                            uit.onderdelen.push(InzageOnderdeel {
                                soort: "terugkoppeling".into(),
                                id,
                                eigenaar: org.to_string(),
                                bron: door.clone(),
                                bron_naam: String::new(),
                                vastgelegd_op: from_db(op),
                                grondslag,
                                gegevens: json!({
                                    "richting": "ontvangen",
                                    "door": herkomst::organisatie(conn, &door)?,
                                    "aan": herkomst::organisatie(conn, &aan)?,
                                    "moment": moment,
                                }),
                                achtergehouden: vec![format!(
                                    "De inhoud van de terugkoppeling: de afspraken met {van} geven ons geen inzage daarin; op te vragen bij {van}"
                                )],
                            });
                            continue;
                        }
                    }
                }
            }
            uit.lezingen.extend(lezing);
            let tekst = self
                .versleuteling
                .lees_kolom(&inhoud)
                .map_err(diesel::result::Error::from)?;
            let g: Geheim = serde_json::from_str(&tekst)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
            let overgenomen_door = match &overgenomen {
                Some(o) => {
                    let mut v = herkomst::organisatie(conn, o)?;
                    v["contact"] = json!(g.contact);
                    v
                }
                None => Value::Null,
            };
            uit.onderdelen.push(InzageOnderdeel {
                soort: "terugkoppeling".into(),
                id,
                eigenaar: org.to_string(),
                bron: door.clone(),
                bron_naam: String::new(),
                vastgelegd_op: from_db(op),
                grondslag,
                gegevens: json!({
                    "richting": if gegeven { "gegeven" } else { "ontvangen" },
                    "door": herkomst::organisatie(conn, &door)?,
                    "aan": herkomst::organisatie(conn, &aan)?,
                    "moment": moment,
                    "vervolgtrajectGestart": gestart,
                    "overgenomenDoor": overgenomen_door,
                    "melderHeeftRol": rol,
                    "veiligheidsvoorwaarden": g.veiligheidsvoorwaarden,
                    "monitoringsafspraken": g.monitoringsafspraken,
                    "toelichting": g.toelichting,
                }),
                achtergehouden: vec![],
            });
        }
        Ok(uit)
    }
}
