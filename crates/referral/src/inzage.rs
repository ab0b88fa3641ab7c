//! The zorgmeldingen in a data subject's inzage report (DOMAIN.md §3 flows 1, 4 and 7):
//! every melding naming the person that the asked organisation holds — sent (the police)
//! or received (Veilig Thuis) — with its lifecycle steps, and every hand-over it gave or
//! received. Each item names its source, its date and its legal basis: the organisation's
//! own task for what it sent or handed over, the basis it received the melding on (its
//! first allowed row on it in the audit trail) for what it received.
//!
//! What is shown follows the rules of DOMAIN.md §4 and §3 flow 7:
//! - the reporter's identity (`melder`) only when the choice stored with the melding says
//!   it may be shared (Wmo 2015: a professional is named unless that threatens the family,
//!   the reporter or colleagues, or the trust relationship), whoever asks;
//! - police data (Wpg): the statements of others and the police reference number only in
//!   the police's own report; what happened and the person's own statements also where
//!   Veilig Thuis received it; an organisation a melding was handed over to shows neither;
//! - of other persons only their names (and relation) as the melding gives them; the
//!   children's own words are the children's data and stay out of another person's report
//!   (`KINDERWOORDEN_ALLEEN_AAN_HET_KIND`, `ketenregie_privacy::inzage`): a child's
//!   `eigenWoorden` and every statement made by a child (`rol: kind`, or a child the
//!   melding names), in every organisation's report, the police's own included; a
//!   child's own report shows the child's own words and statements;
//! - the steps by organisation, never by employee (the first step would name the
//!   reporter);
//! - `INZAGE_ZOALS_EIGEN_LEZING` (`ketenregie_privacy::inzage`): a melding or hand-over
//!   task of another organisation (one it received, handed over, or was handed) shows no
//!   more than the organisation's own read of it (`melding::lees`): the read's decision
//!   (`toegang::beslis_met`: the sender as owner, the same categories, the melding's
//!   confidentiality level against the agreement's cap, the purpose of the organisation's
//!   relation) taken for the organisation (`inzage::als_organisatie`), and the read's
//!   redaction (`toegang::redigeer`: what it leaves out stays out here too — the BSN, the
//!   police data, the reporter's identity). A refused decision shows the item without its
//!   content and steps; an allowed one is logged as that read.

use crate::opslag::{self, Kop, Stap};
use crate::{partij, toegang};
use diesel::prelude::*;
use ketenregie_common::time::from_db;
use ketenregie_common::{Actie, Fout, Gegevenscategorie, OrganisatieSoort};
use ketenregie_privacy::inzage::{
    self as privacy_inzage, Bijdrage, InzageBron, InzageOnderdeel, Lezing, herkomst,
};
use ketenregie_privacy::versleuteling::{Versleuteling, normaliseer_naam};
use ketenregie_privacy::{Context, Toestemming};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{zorgmelding_betrokkenen as zb, zorgmeldingen};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use uuid::Uuid;

use crate::inhoud::{Inhoud, Verklaarder};

/// The zorgmeldingen as an inzage source.
pub struct ReferralBron {
    pub versleuteling: Arc<Versleuteling>,
}

/// The identity `persoon` stands for: that of a person record (the case registry), or
/// `persoon` itself when a melding names that identity.
pub fn identiteit(conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<String>> {
    if let Some(i) = ketenregie_case::inzage::identiteit_van(conn, persoon)? {
        return Ok(Some(i));
    }
    let n: i64 = zb::table
        .filter(zb::betrokkene.eq(persoon.to_string()))
        .count()
        .get_result(conn)?;
    Ok((n > 0).then(|| persoon.to_string()))
}

/// The meldingen and hand-over tasks naming `identiteit`, oldest first.
fn meldingen_over(conn: &mut DbConnection, identiteit: &str) -> QueryResult<Vec<Kop>> {
    zorgmeldingen::table
        .filter(
            zorgmeldingen::id.eq_any(
                zb::table
                    .filter(zb::betrokkene.eq(identiteit))
                    .select(zb::zorgmelding_id),
            ),
        )
        .order((zorgmeldingen::aangemaakt_op, zorgmeldingen::id))
        .select(Kop::as_select())
        .load(conn)
}

/// The asking organisation's relation to a melding or hand-over task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relatie {
    /// It filed the melding.
    Verzonden,
    /// It received the melding.
    Ontvangen,
    /// It handed the task over (it received the melding the task came from).
    OverdrachtGegeven,
    /// The task was handed over to it.
    OverdrachtOntvangen,
}

fn relatie(conn: &mut DbConnection, org: &str, k: &Kop) -> QueryResult<Option<Relatie>> {
    let ontvangen = k.ontvanger.as_deref() == Some(org) && k.taakstatus.is_some();
    Ok(match k.bovenliggend_id {
        None if k.afzender == org => Some(Relatie::Verzonden),
        None if ontvangen => Some(Relatie::Ontvangen),
        None => None,
        Some(_) if ontvangen => Some(Relatie::OverdrachtOntvangen),
        Some(_) => partij::overdrager(conn, k)?
            .filter(|o| o == org)
            .map(|_| Relatie::OverdrachtGegeven),
    })
}

/// Which police data the report shows.
#[derive(Debug, Clone, Copy)]
struct Zicht {
    /// Everything the police recorded (the police's own report, Wpg art. 25).
    politie: bool,
    /// What happened and the person's own statements (the police, and Veilig Thuis that
    /// received the melding to assess it).
    politiegegevens: bool,
    /// The person's own BSN (unless the organisation's read leaves the BSN out).
    bsn: bool,
    /// The reporter's identity, where the choice stored with the melding allows it (unless
    /// the organisation's read leaves it out).
    melder: bool,
}

impl Zicht {
    /// At most what the organisation's own read shows: the categories the read's
    /// redaction (`toegang::redigeer` under permission `t`) leaves out are left out here.
    fn binnen_lezing(self, i: &Inhoud, t: &Toestemming) -> Self {
        let (_, weg) = toegang::redigeer(i, t);
        let mag = |c| !weg.contains(&c);
        Zicht {
            politie: self.politie && mag(Gegevenscategorie::Politiegegevens),
            politiegegevens: self.politiegegevens && mag(Gegevenscategorie::Politiegegevens),
            bsn: self.bsn && mag(Gegevenscategorie::Bsn),
            melder: self.melder && mag(Gegevenscategorie::MelderIdentiteit),
        }
    }
}

/// The content of melding `i` as the person sees it, and what was left out. `onderwerp`
/// is the person's identity.
fn inhoud_json(
    v: &Versleuteling,
    i: &Inhoud,
    onderwerp: &str,
    zicht: Zicht,
) -> (Value, Vec<String>) {
    let ids: Vec<String> = opslag::betrokkenen(v, i)
        .iter()
        .map(Uuid::to_string)
        .collect();
    let (kinderen_ids, ouders_ids) = ids.split_at(i.kinderen.len());
    let mut achtergehouden = Vec::new();
    let mut eigen_naam: Option<String> = None;
    let mut kinderen = Vec::new();
    // KINDERWOORDEN_ALLEEN_AAN_HET_KIND: how many of a child's words are left out.
    let mut kinderwoorden_weg = 0;
    for (k, id) in i.kinderen.iter().zip(kinderen_ids) {
        let u = id == onderwerp;
        let naam = format!("{} {}", k.voornaam, k.achternaam);
        if u {
            eigen_naam = Some(naam.clone());
        }
        let mut e = json!({"naam": naam, "geboortedatum": k.geboortedatum, "u": u});
        if u {
            if zicht.bsn {
                e["bsn"] = json!(k.bsn);
            }
            e["eigenWoorden"] = json!(k.eigen_woorden);
        } else if k.eigen_woorden.is_some() {
            kinderwoorden_weg += 1;
        }
        kinderen.push(e);
    }
    let mut ouders = Vec::new();
    for (o, id) in i.ouders.iter().zip(ouders_ids) {
        let u = id == onderwerp;
        let naam = format!("{} {}", o.voornaam, o.achternaam);
        if u {
            eigen_naam = Some(naam.clone());
        }
        let mut e = json!({"naam": naam, "relatie": o.relatie, "gezag": o.gezag, "u": u});
        if u && zicht.bsn {
            e["bsn"] = json!(o.bsn);
        }
        ouders.push(e);
    }
    let eigen_bsn = i
        .kinderen
        .iter()
        .zip(kinderen_ids)
        .map(|(k, id)| (k.bsn.is_some(), id))
        .chain(
            i.ouders
                .iter()
                .zip(ouders_ids)
                .map(|(o, id)| (o.bsn.is_some(), id)),
        )
        .any(|(bsn, id)| bsn && id == onderwerp);
    if eigen_bsn && !zicht.bsn {
        achtergehouden.push(
            "Uw burgerservicenummer: de afspraken waaronder wij de melding kregen geven ons dat niet; op te vragen bij de organisatie die de melding deed".into(),
        );
    }
    let eigen_sleutel = eigen_naam.as_deref().map(normaliseer_naam);
    let kindnamen: Vec<String> = i
        .kinderen
        .iter()
        .map(|k| normaliseer_naam(&format!("{} {}", k.voornaam, k.achternaam)))
        .collect();
    let mut verklaringen = Vec::new();
    let mut anderen = 0;
    for s in &i.verklaringen {
        // INZAGE_ZOALS_EIGEN_LEZING (outside test of 2 Dec 2026, F5): the statements are
        // police data; where the report shows none (the organisation's own read leaves
        // them out, as a hand-over receiver's does), they are neither shown nor counted,
        // not even as a child's words: the read shows `verklaringen: []` without a number,
        // so the report names them only in the line on police data below, without one.
        if !zicht.politiegegevens {
            continue;
        }
        let sleutel = normaliseer_naam(&s.persoon);
        let eigen = eigen_sleutel.as_deref() == Some(sleutel.as_str());
        // A child's statement: made in the role of a child, or by a child the melding names.
        let van_kind = s.rol == Verklaarder::Kind || kindnamen.contains(&sleutel);
        if van_kind && !eigen {
            kinderwoorden_weg += 1;
        } else if zicht.politie || (zicht.politiegegevens && eigen) {
            verklaringen.push(
                json!({"persoon": s.persoon, "rol": s.rol, "tekst": s.tekst, "eigen": eigen}),
            );
        } else {
            anderen += 1;
        }
    }
    if anderen > 0 {
        achtergehouden.push(format!(
            "{anderen} verklaring(en) van anderen: politiegegevens (Wpg), op te vragen bij de politie"
        ));
    }
    if kinderwoorden_weg > 0 {
        achtergehouden.push(privacy_inzage::kinderwoorden_achtergehouden(
            kinderwoorden_weg,
        ));
    }
    let mut g = json!({
        "acuut": i.acuut,
        "risiconiveau": i.risiconiveau,
        "zorgen": i.zorgen,
        "kinderen": kinderen,
        "ouders": ouders,
        "verklaringen": verklaringen,
        "oudersGeinformeerd": i.ouders_geinformeerd,
        "redenNietGeinformeerd": i.reden_niet_geinformeerd,
    });
    if zicht.politiegegevens {
        g["incidentDatum"] = json!(i.incident_datum);
        g["omschrijving"] = json!(i.omschrijving);
    } else {
        achtergehouden.push(
            "Wat er volgens de politie gebeurde en wie daarover iets verklaarde: politiegegevens (Wpg), op te vragen bij de politie"
                .into(),
        );
    }
    if zicht.politie {
        g["incidentReferentie"] = json!(i.incident_referentie);
    } else if i.incident_referentie.is_some() {
        achtergehouden.push(
            "Het registratienummer van de politie: politiegegevens (Wpg), op te vragen bij de politie"
                .into(),
        );
    }
    // DOMAIN.md §4 "Reporter identity": the choice stored with the melding decides, within
    // what the organisation's read shows.
    if i.melder.identiteit_delen && zicht.melder {
        g["melder"] = json!({"naam": i.melder.naam, "functie": i.melder.functie});
    } else if i.melder.identiteit_delen {
        achtergehouden.push(
            "Wie de melding deed: de afspraken waaronder wij de melding kregen geven ons de naam van de melder niet; op te vragen bij de organisatie die de melding deed"
                .into(),
        );
    } else {
        achtergehouden.push(
            "Wie de melding deed: bij de melding is vastgelegd dat de naam van de melder niet wordt gedeeld. Dat mag volgens de wet (Wmo 2015) als het noemen van de melder gevaar of schade kan geven voor u, uw gezin, de melder of de hulp"
                .into(),
        );
    }
    (g, achtergehouden)
}

/// A step as the person sees it: what happened, when, by which organisation (never which
/// employee), the new state, the reason and the details in words; empty fields left out.
fn stap_json(conn: &mut DbConnection, namen: &mut herkomst::Namen, s: &Stap) -> QueryResult<Value> {
    let gegevens: Map<String, Value> = s
        .gegevens
        .as_deref()
        .and_then(|g| serde_json::from_str(g).ok())
        .unwrap_or_default();
    let naar = gegevens
        .get("naar")
        .or_else(|| gegevens.get("ontvanger"))
        .and_then(Value::as_str);
    let naar = match naar {
        Some(code) => json!({"code": code, "naam": namen.van(conn, code)?}),
        None => Value::Null,
    };
    let mut uit = Map::new();
    uit.insert("stap".into(), json!(s.stap));
    uit.insert("tijdstip".into(), json!(from_db(s.tijdstip)));
    uit.insert(
        "organisatie".into(),
        json!({"code": s.organisatie, "naam": namen.van(conn, &s.organisatie)?}),
    );
    uit.insert("naarStatus".into(), json!(s.naar_status));
    uit.insert("reden".into(), json!(s.reden));
    for veld in ["uitkomst", "toelichting", "uitvoer"] {
        uit.insert(
            veld.into(),
            gegevens.get(veld).cloned().unwrap_or(Value::Null),
        );
    }
    uit.insert("naar".into(), naar);
    uit.retain(|_, v| !v.is_null());
    Ok(Value::Object(uit))
}

/// The steps of melding `k` and of the hand-over tasks made from it, oldest first (as
/// `melding::stappen` gives them to its parties).
fn stappen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    namen: &mut herkomst::Namen,
    k: &Kop,
) -> QueryResult<Vec<Value>> {
    let mut alle = opslag::stappen(conn, v, k.id)?;
    let taken: Vec<String> = zorgmeldingen::table
        .filter(zorgmeldingen::bovenliggend_id.eq(k.id.to_string()))
        .select(zorgmeldingen::id)
        .load(conn)?;
    for t in taken {
        if let Ok(id) = t.parse() {
            alle.extend(opslag::stappen(conn, v, id)?);
        }
    }
    alle.sort_by(|a, b| a.tijdstip.cmp(&b.tijdstip).then(a.id.cmp(&b.id)));
    alle.iter().map(|s| stap_json(conn, namen, s)).collect()
}

/// `INZAGE_ZOALS_EIGEN_LEZING`: for melding `k` of another organisation, the decision of
/// the organisation's own read of it (`toegang::beslis_met`, taken in `als_org`:
/// `inzage::als_organisatie`), `None` when a rule refuses it; for its own melding, `None`
/// as well (no read of another's data: `Eigen`).
enum Lezingbesluit {
    /// The organisation's own melding: shown as the organisation holds it.
    Eigen,
    /// Another organisation's melding the organisation's read may show, under this
    /// permission.
    Toegestaan(Toestemming),
    /// Another organisation's melding the organisation's read may not show.
    Geweigerd,
}

fn lezingbesluit(
    conn: &mut DbConnection,
    als_org: &Context,
    k: &Kop,
) -> Result<Lezingbesluit, Fout> {
    if k.afzender == als_org.actor.organisatie {
        return Ok(Lezingbesluit::Eigen);
    }
    Ok(
        match privacy_inzage::toegestaan(toegang::beslis_met(conn, als_org, k, Actie::Lezen, None))?
        {
            Some((_, t)) => Lezingbesluit::Toegestaan(t),
            None => Lezingbesluit::Geweigerd,
        },
    )
}

impl InzageBron for ReferralBron {
    fn identiteit(&self, conn: &mut DbConnection, persoon: Uuid) -> QueryResult<Option<Uuid>> {
        // A person record is the case registry's to answer; an identity only a melding
        // names is this source's.
        if ketenregie_case::inzage::identiteit_van(conn, persoon)?.is_some() {
            return Ok(None);
        }
        Ok(identiteit(conn, persoon)?.map(|_| persoon))
    }

    fn naam_voor(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        persoon: Uuid,
    ) -> Result<Option<String>, Fout> {
        let Some(onderwerp) = identiteit(conn, persoon)? else {
            return Ok(None);
        };
        let v = &self.versleuteling;
        let als_org = privacy_inzage::als_organisatie(ctx);
        for k in meldingen_over(conn, &onderwerp)? {
            if relatie(conn, &ctx.actor.organisatie, &k)?.is_none()
                || matches!(lezingbesluit(conn, &als_org, &k)?, Lezingbesluit::Geweigerd)
            {
                continue;
            }
            let i = opslag::ontsleutel_inhoud(conn, v, k.id)?;
            let ids = opslag::betrokkenen(v, &i);
            let namen = i
                .kinderen
                .iter()
                .map(|k| format!("{} {}", k.voornaam, k.achternaam))
                .chain(
                    i.ouders
                        .iter()
                        .map(|o| format!("{} {}", o.voornaam, o.achternaam)),
                );
            if let Some((_, n)) = ids
                .iter()
                .zip(namen)
                .find(|(id, _)| id.to_string() == onderwerp)
            {
                return Ok(Some(n));
            }
        }
        Ok(None)
    }

    fn bijdrage(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        persoon: Uuid,
        soort: Option<OrganisatieSoort>,
    ) -> Result<Bijdrage, Fout> {
        let Some(onderwerp) = identiteit(conn, persoon)? else {
            return Ok(Bijdrage::default());
        };
        let org = ctx.actor.organisatie.as_str();
        let als_org = privacy_inzage::als_organisatie(ctx);
        let v = &self.versleuteling;
        let mut namen = herkomst::Namen::default();
        let mut eigen_grondslag: Option<String> = None;
        let mut uit = Bijdrage::default();
        for k in meldingen_over(conn, &onderwerp)? {
            let Some(r) = relatie(conn, org, &k)? else {
                continue;
            };
            let eigen = match &eigen_grondslag {
                Some(g) => g.clone(),
                None => {
                    let g = herkomst::grondslag_eigen(conn, org)?;
                    eigen_grondslag = Some(g.clone());
                    g
                }
            };
            let id = k.id.to_string();
            let ontvangen_op = |k: &Kop| from_db(k.ingediend_op.unwrap_or(k.aangemaakt_op));
            let (soort_item, bron, datum, grondslag) = match r {
                Relatie::Verzonden => (
                    "zorgmelding",
                    org.to_string(),
                    from_db(k.aangemaakt_op),
                    eigen,
                ),
                Relatie::OverdrachtGegeven => (
                    "overdracht",
                    org.to_string(),
                    from_db(k.aangemaakt_op),
                    eigen,
                ),
                Relatie::Ontvangen => (
                    "zorgmelding",
                    k.afzender.clone(),
                    ontvangen_op(&k),
                    herkomst::grondslag_ontvangen(conn, org, "zorgmeldingen", &id)?
                        .unwrap_or(eigen),
                ),
                Relatie::OverdrachtOntvangen => (
                    "overdracht",
                    partij::overdrager(conn, &k)?.unwrap_or_else(|| k.afzender.clone()),
                    ontvangen_op(&k),
                    herkomst::grondslag_ontvangen(conn, org, "zorgmeldingen", &id)?
                        .unwrap_or(eigen),
                ),
            };
            let richting = match r {
                Relatie::Verzonden | Relatie::OverdrachtGegeven => "gegeven",
                Relatie::Ontvangen | Relatie::OverdrachtOntvangen => "ontvangen",
            };
            let mut gegevens = json!({
                "richting": richting,
                "afzender": herkomst::organisatie(conn, &bron)?,
                "ontvanger": match &k.ontvanger {
                    Some(o) => herkomst::organisatie(conn, o)?,
                    None => Value::Null,
                },
                "meldingstatus": k.meldingstatus,
                "taakstatus": k.taakstatus,
                "uitkomst": k.bedrijfsstatus,
                "ingediendOp": k.ingediend_op.map(from_db),
            });
            let mut achtergehouden = Vec::new();
            let besluit = lezingbesluit(conn, &als_org, &k)?;
            if let Lezingbesluit::Geweigerd = besluit {
                // INZAGE_ZOALS_EIGEN_LEZING: the organisation's own read may not show it.
                let eigenaar = herkomst::naam(conn, &k.afzender)?;
                achtergehouden.push(format!(
                    "De inhoud en het verloop: de afspraken met {eigenaar} geven ons geen inzage daarin; op te vragen bij {eigenaar}"
                ));
            } else {
                let i = opslag::ontsleutel_inhoud(conn, v, k.id)?;
                if r != Relatie::OverdrachtGegeven {
                    let mut zicht = Zicht {
                        politie: soort == Some(OrganisatieSoort::Politie)
                            && r == Relatie::Verzonden,
                        politiegegevens: r == Relatie::Verzonden
                            || (r == Relatie::Ontvangen
                                && soort == Some(OrganisatieSoort::VeiligThuis)),
                        bsn: true,
                        melder: true,
                    };
                    if let Lezingbesluit::Toegestaan(t) = &besluit {
                        zicht = zicht.binnen_lezing(&i, t);
                    }
                    let (inhoud, weg) = inhoud_json(v, &i, &onderwerp, zicht);
                    if let (Value::Object(g), Value::Object(i)) = (&mut gegevens, inhoud) {
                        g.extend(i);
                    }
                    achtergehouden = weg;
                }
                gegevens["stappen"] = json!(stappen(conn, v, &mut namen, &k)?);
                if let Lezingbesluit::Toegestaan(t) = besluit {
                    // Logged as the organisation's own read of it (`melding::lees`).
                    uit.lezingen.push(Lezing {
                        toestemming: t,
                        object: partij::object(&k),
                        betrokkenen: opslag::betrokkenen(v, &i),
                    });
                }
            }
            uit.onderdelen.push(InzageOnderdeel {
                soort: soort_item.into(),
                id,
                eigenaar: org.to_string(),
                bron,
                bron_naam: String::new(),
                vastgelegd_op: datum,
                grondslag,
                gegevens,
                achtergehouden,
            });
        }
        Ok(uit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inhoud::{
        Kind, Melder, Relatie as OuderRelatie, Risiconiveau, Verklaarder, Verklaring, Volwassene,
    };

    fn inhoud(delen: bool) -> Inhoud {
        Inhoud {
            kinderen: vec![Kind {
                voornaam: "Sem".into(),
                achternaam: "de Boer".into(),
                geboortedatum: chrono::NaiveDate::from_ymd_opt(2016, 5, 4),
                bsn: Some("999990032".into()),
                gemeente: "0518".into(),
                eigen_woorden: Some("Ik wil dat ze ophouden.".into()),
            }],
            ouders: vec![
                Volwassene {
                    voornaam: "Lisa".into(),
                    achternaam: "Visser".into(),
                    relatie: OuderRelatie::Moeder,
                    bsn: Some("999990020".into()),
                    gezag: Some(true),
                },
                Volwassene {
                    voornaam: "Mark".into(),
                    achternaam: "de Boer".into(),
                    relatie: OuderRelatie::Vader,
                    bsn: None,
                    gezag: Some(false),
                },
            ],
            incident_referentie: Some("PL-1".into()),
            incident_datum: None,
            omschrijving: "Overdracht mislukt.".into(),
            zorgen: "Herhaalde conflicten.".into(),
            acuut: false,
            risiconiveau: Risiconiveau::Verhoogd,
            verklaringen: vec![
                Verklaring {
                    persoon: "Lisa  Visser".into(),
                    rol: Verklaarder::Moeder,
                    tekst: "Hij kwam niet.".into(),
                },
                Verklaring {
                    persoon: "Mark de Boer".into(),
                    rol: Verklaarder::Vader,
                    tekst: "Ik stond er wel.".into(),
                },
            ],
            ouders_geinformeerd: true,
            reden_niet_geinformeerd: None,
            terugkoppeling_gewenst: true,
            melder: Melder {
                naam: "agent P. Pietersen".into(),
                functie: "wijkagent".into(),
                identiteit_delen: delen,
                reden: (!delen).then(|| "dreiging".into()),
            },
        }
    }

    fn sleutel() -> Versleuteling {
        Versleuteling::new(&[7u8; 32])
    }

    /// The mother's identity in the melding.
    fn moeder(v: &Versleuteling, i: &Inhoud) -> String {
        opslag::betrokkenen(v, i)[1].to_string()
    }

    #[test]
    fn melder_volgens_de_keuze_bij_de_melding() {
        let v = sleutel();
        let politie = Zicht {
            politie: true,
            politiegegevens: true,
            bsn: true,
            melder: true,
        };
        let i = inhoud(true);
        let (g, weg) = inhoud_json(&v, &i, &moeder(&v, &i), politie);
        assert_eq!(g["melder"]["naam"], "agent P. Pietersen");
        assert!(!weg.iter().any(|w| w.contains("melder")));
        let i = inhoud(false);
        let (g, weg) = inhoud_json(&v, &i, &moeder(&v, &i), politie);
        assert!(g.get("melder").is_none() && !g.to_string().contains("Pietersen"));
        assert!(
            !g.to_string().contains("dreiging"),
            "the stored reason is the organisation's"
        );
        assert!(weg.iter().any(|w| w.contains("melder")));
    }

    #[test]
    fn politiegegevens_en_anderen() {
        let v = sleutel();
        let i = inhoud(true);
        let wie = moeder(&v, &i);
        // The police's own report: every statement and its reference.
        let (g, _) = inhoud_json(
            &v,
            &i,
            &wie,
            Zicht {
                politie: true,
                politiegegevens: true,
                bsn: true,
                melder: true,
            },
        );
        assert_eq!(g["verklaringen"].as_array().unwrap().len(), 2);
        assert_eq!(g["incidentReferentie"], "PL-1");
        // Veilig Thuis: what happened and her own statement, not the father's or the number.
        let (g, weg) = inhoud_json(
            &v,
            &i,
            &wie,
            Zicht {
                politie: false,
                politiegegevens: true,
                bsn: true,
                melder: true,
            },
        );
        let verklaringen = g["verklaringen"].as_array().unwrap();
        assert_eq!(verklaringen.len(), 1);
        assert_eq!(verklaringen[0]["tekst"], "Hij kwam niet.");
        assert_eq!(verklaringen[0]["eigen"], true);
        assert!(
            g.get("incidentReferentie").is_none() && g["omschrijving"] == "Overdracht mislukt."
        );
        assert_eq!(weg.len(), 3, "{weg:?}");
        // A hand-over's receiver: neither. (With a child's statement to the police too.)
        let mut i = i;
        i.verklaringen.push(Verklaring {
            persoon: "Sem de Boer".into(),
            rol: Verklaarder::Kind,
            tekst: "Ik was bang.".into(),
        });
        let (g, weg) = inhoud_json(
            &v,
            &i,
            &wie,
            Zicht {
                politie: false,
                politiegegevens: false,
                bsn: true,
                melder: true,
            },
        );
        assert!(
            g.get("omschrijving").is_none() && g["verklaringen"].as_array().unwrap().is_empty()
        );
        // INZAGE_ZOALS_EIGEN_LEZING: its read shows no statements and no number of them,
        // so neither does the report (not the others', not a child's).
        // Only the child's own words in the melding, which its read shows, are counted.
        assert!(!weg.iter().any(|w| w.contains("verklaring(en)")), "{weg:?}");
        assert!(
            weg.iter()
                .any(|w| w.contains("zelf zeiden (1)") && !w.contains("(2)")),
            "{weg:?}"
        );
        // Her own entry carries her BSN and "u"; the child's own words stay out of hers.
        assert_eq!(g["ouders"][0]["u"], true);
        assert_eq!(g["ouders"][0]["bsn"], "999990020");
        assert!(g["ouders"][1].get("bsn").is_none());
        assert!(!g.to_string().contains("ophouden"));
        // The child's own report shows the child's own words.
        let kind = opslag::betrokkenen(&v, &i)[0].to_string();
        let (g, _) = inhoud_json(
            &v,
            &i,
            &kind,
            Zicht {
                politie: false,
                politiegegevens: true,
                bsn: true,
                melder: true,
            },
        );
        assert_eq!(g["kinderen"][0]["eigenWoorden"], "Ik wil dat ze ophouden.");
    }

    /// KINDERWOORDEN_ALLEEN_AAN_HET_KIND: a child's statement is in no one's report but
    /// the child's, not even the police's own report about a parent.
    #[test]
    fn kinderwoorden_alleen_aan_het_kind() {
        let v = sleutel();
        let mut i = inhoud(true);
        i.verklaringen.push(Verklaring {
            persoon: "Sem de Boer".into(),
            rol: Verklaarder::Kind,
            tekst: "Ik was bang.".into(),
        });
        // Named as the child the melding names, in another role.
        i.verklaringen.push(Verklaring {
            persoon: "sem  de boer".into(),
            rol: Verklaarder::Anders,
            tekst: "Papa schreeuwde.".into(),
        });
        let politie = Zicht {
            politie: true,
            politiegegevens: true,
            bsn: true,
            melder: true,
        };
        let (g, weg) = inhoud_json(&v, &i, &moeder(&v, &i), politie);
        let tekst = g.to_string();
        assert!(
            !tekst.contains("Ik was bang") && !tekst.contains("Papa schreeuwde"),
            "{g}"
        );
        assert!(tekst.contains("Ik stond er wel."), "{g}");
        assert!(
            weg.iter()
                .any(|w| w.contains("(3)") && w.contains("KINDERWOORDEN_ALLEEN_AAN_HET_KIND")),
            "{weg:?}"
        );
        let kind = opslag::betrokkenen(&v, &i)[0].to_string();
        let (g, weg) = inhoud_json(&v, &i, &kind, politie);
        let tekst = g.to_string();
        assert!(
            tekst.contains("Ik was bang") && tekst.contains("Papa schreeuwde"),
            "{g}"
        );
        assert!(!weg.iter().any(|w| w.contains("KINDERWOORDEN")), "{weg:?}");
    }
}
