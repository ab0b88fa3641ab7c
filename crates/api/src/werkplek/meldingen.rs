//! The zorgmelding screens: police file one (the whole structured form, every problem at
//! its field, concepts, submit) and follow it in their outbox; the quality checker's
//! queue; the receiver's inbox sorted by deadline, a melding's detail with only the
//! lifecycle's allowed next steps, and feedback. Every page calls the use cases of
//! `ketenregie_referral` and `ketenregie_feedback` inside `verwerking::tx` (through
//! `routes::zorgmeldingen::uitvoeren`, as the API handlers do).

use super::formulier::Formulier;
use super::{Fout, Kader, Probleem, Scherm, Sessie, naar, pagina, veld_id};
use crate::problem::AppError;
use crate::routes::zorgmeldingen::uitvoeren;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use ketenregie_common::Vertrouwelijkheid;
use ketenregie_feedback::terugkoppeling::{
    self, NieuweTerugkoppeling, Terugkoppeling, TerugkoppelingInvoer,
};
use ketenregie_privacy::Context;
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_referral::inhoud::{MeldingInvoer, Relatie, Risiconiveau, Verklaarder};
use ketenregie_referral::levenscyclus::{Beoordelingsuitkomst, OVERGANGEN, REDEN_VERPLICHT};
use ketenregie_referral::opslag::{Filter, Kop};
use ketenregie_referral::{
    self as referral, Beoordeling, Indiening, Kwaliteitsoordeel, Meldingstatus, Oordeel, Partij,
    Stapverzoek, TaakStatus, Wijziging,
};
use ketenregie_store::DbPool;
use serde_json::{Value, json};
use std::collections::HashMap;
use strum::VariantNames;
use uuid::Uuid;

/// Children, parents and statements the form has room for; an empty slot is left out.
const KINDEREN: usize = 3;
const OUDERS: usize = 2;
const VERKLARINGEN: usize = 3;

/// A date and time as the Dutch read it (Europe/Amsterdam).
pub fn tijd(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

fn tijd_db(t: chrono::NaiveDateTime) -> String {
    tijd(t.and_utc())
}

/// The processing context for the session's actor (and a stated reason, if any).
pub fn context(
    req: &HttpRequest,
    s: &Sessie,
    toelichting: Option<String>,
) -> Result<Context, Fout> {
    Ok(crate::verwerking::context(
        req,
        s.actor.clone(),
        toelichting,
        false,
    )?)
}

fn mag(s: &Sessie, scherm: &Scherm) -> Result<(), Fout> {
    if s.heeft_een(scherm.rollen) {
        Ok(())
    } else {
        Err(Fout::niet_voor_rol(scherm))
    }
}

// ---- the form -------------------------------------------------------------------------

/// One field of the form.
#[derive(Debug, Clone)]
pub struct Veld {
    /// The API's JSON path, also the form field's name (`kinderen[0].bsn`).
    pub naam: String,
    pub id: String,
    pub label: String,
    /// `tekst`, `datum`, `tekstvak`, `keuze` or `janee`.
    pub soort: &'static str,
    pub hint: String,
    pub waarde: String,
    /// (value, label) for `keuze` and `janee`.
    pub opties: Vec<(String, String)>,
    pub fout: Option<String>,
    /// `autocomplete="off"` for identifying numbers.
    pub geen_aanvulling: bool,
}

impl Veld {
    /// The chosen option's label (for the read-only view).
    pub fn weergave(&self) -> String {
        self.opties
            .iter()
            .find(|(w, _)| *w == self.waarde)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| self.waarde.clone())
    }
}

/// A group of fields (a fieldset).
#[derive(Debug, Clone)]
pub struct Groep {
    pub id: String,
    pub titel: String,
    pub uitleg: String,
    pub velden: Vec<Veld>,
}

fn opties(varianten: &[&str]) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "Kies".to_string())];
    v.extend(
        varianten
            .iter()
            .map(|s| (s.to_string(), s.replace('-', " "))),
    );
    v
}

fn ja_nee() -> Vec<(String, String)> {
    vec![("ja".into(), "Ja".into()), ("nee".into(), "Nee".into())]
}

struct Bouwer<'a> {
    waarden: &'a HashMap<String, String>,
    fouten: &'a HashMap<String, String>,
}

impl Bouwer<'_> {
    fn veld(&self, naam: String, label: &str, soort: &'static str, hint: &str) -> Veld {
        Veld {
            id: veld_id(&naam),
            waarde: self.waarden.get(&naam).cloned().unwrap_or_default(),
            fout: self.fouten.get(&naam).cloned(),
            naam,
            label: label.into(),
            soort,
            hint: hint.into(),
            opties: vec![],
            geen_aanvulling: false,
        }
    }
    fn keuze(
        &self,
        naam: String,
        label: &str,
        o: Vec<(String, String)>,
        soort: &'static str,
    ) -> Veld {
        Veld {
            opties: o,
            ..self.veld(naam, label, soort, "")
        }
    }
}

/// The whole structured form (DOMAIN.md §3 flow 1), filled with `waarden` and with the
/// problems in `fouten` at their fields.
fn groepen(waarden: &HashMap<String, String>, fouten: &HashMap<String, String>) -> Vec<Groep> {
    let b = Bouwer { waarden, fouten };
    let mut g = Vec::new();
    for i in 0..KINDEREN {
        let p = |f: &str| format!("kinderen[{i}].{f}");
        let mut bsn = b.veld(
            p("bsn"),
            "BSN",
            "tekst",
            "9 cijfers; of vul de geboortedatum in",
        );
        bsn.geen_aanvulling = true;
        g.push(Groep {
            id: format!("groep-kind-{i}"),
            titel: format!("Kind {}", i + 1),
            uitleg: if i == 0 {
                "Ten minste één kind. Laat de volgende leeg als er geen andere kinderen zijn.".into()
            } else {
                "Laat leeg als er geen ander kind is.".into()
            },
            velden: vec![
                b.veld(p("voornaam"), "Voornaam", "tekst", ""),
                b.veld(p("achternaam"), "Achternaam", "tekst", ""),
                b.veld(p("geboortedatum"), "Geboortedatum", "datum", ""),
                bsn,
                b.veld(
                    p("gemeente"),
                    "Woongemeente (CBS-code)",
                    "tekst",
                    "4 cijfers, bijvoorbeeld 0518 voor 's-Gravenhage. Bepaalt welk Veilig Thuis de melding krijgt.",
                ),
                b.veld(p("eigenWoorden"), "Wat het kind zelf zei", "tekstvak", "In de woorden van het kind, als het iets zei"),
            ],
        });
    }
    for i in 0..OUDERS {
        let p = |f: &str| format!("ouders[{i}].{f}");
        let mut bsn = b.veld(p("bsn"), "BSN", "tekst", "9 cijfers, als bekend");
        bsn.geen_aanvulling = true;
        g.push(Groep {
            id: format!("groep-ouder-{i}"),
            titel: format!("Ouder of verzorger {}", i + 1),
            uitleg: "Laat leeg als niet bekend.".into(),
            velden: vec![
                b.veld(p("voornaam"), "Voornaam", "tekst", ""),
                b.veld(p("achternaam"), "Achternaam", "tekst", ""),
                b.keuze(
                    p("relatie"),
                    "Relatie tot het kind",
                    opties(Relatie::VARIANTS),
                    "keuze",
                ),
                bsn,
                b.keuze(
                    p("gezag"),
                    "Heeft gezag",
                    vec![
                        (String::new(), "Niet bekend".into()),
                        ("ja".into(), "Ja".into()),
                        ("nee".into(), "Nee".into()),
                    ],
                    "keuze",
                ),
            ],
        });
    }
    g.push(Groep {
        id: "groep-incident".into(),
        titel: "Het incident en uw zorgen".into(),
        uitleg: String::new(),
        velden: vec![
            b.veld(
                "incidentReferentie".into(),
                "Registratienummer van het incident",
                "tekst",
                "Als er een is",
            ),
            b.veld(
                "incidentDatum".into(),
                "Datum van het incident",
                "datum",
                "",
            ),
            b.veld("omschrijving".into(), "Wat is er gebeurd?", "tekstvak", ""),
            b.veld(
                "zorgen".into(),
                "Wat zijn uw zorgen over het kind?",
                "tekstvak",
                "",
            ),
            b.keuze("acuut".into(), "Is er acuut gevaar?", ja_nee(), "janee"),
            b.keuze(
                "risiconiveau".into(),
                "Uw inschatting van de veiligheid",
                opties(Risiconiveau::VARIANTS),
                "keuze",
            ),
        ],
    });
    for i in 0..VERKLARINGEN {
        let p = |f: &str| format!("verklaringen[{i}].{f}");
        g.push(Groep {
            id: format!("groep-verklaring-{i}"),
            titel: format!("Verklaring {}", i + 1),
            uitleg:
                "Wie zei wat, ieder in eigen woorden (hoor en wederhoor). Laat leeg als er geen is."
                    .into(),
            velden: vec![
                b.veld(p("persoon"), "Naam van wie het zei", "tekst", ""),
                b.keuze(
                    p("rol"),
                    "Wie is dat?",
                    opties(Verklaarder::VARIANTS),
                    "keuze",
                ),
                b.veld(p("tekst"), "Wat zei deze persoon?", "tekstvak", ""),
            ],
        });
    }
    g.push(Groep {
        id: "groep-ouders-geinformeerd".into(),
        titel: "Ouders geïnformeerd".into(),
        uitleg: String::new(),
        velden: vec![
            b.keuze(
                "oudersGeinformeerd".into(),
                "Weten de ouders van deze melding?",
                ja_nee(),
                "janee",
            ),
            b.veld(
                "redenNietGeinformeerd".into(),
                "Zo nee: waarom niet?",
                "tekstvak",
                "",
            ),
            b.keuze(
                "terugkoppelingGewenst".into(),
                "Wilt u horen wat er met de melding gebeurt?",
                ja_nee(),
                "janee",
            ),
        ],
    });
    g.push(Groep {
        id: "groep-melder".into(),
        titel: "Melder".into(),
        uitleg: "Een professional wordt bij naam genoemd, tenzij dat het gezin, u of collega's in gevaar brengt.".into(),
        velden: vec![
            b.veld("melder.naam".into(), "Uw naam", "tekst", ""),
            b.veld("melder.functie".into(), "Uw functie", "tekst", ""),
            b.keuze("melder.identiteitDelen".into(), "Mag het gezin weten dat u meldde?", ja_nee(), "janee"),
            b.veld("melder.reden".into(), "Zo nee: waarom niet?", "tekstvak", ""),
        ],
    });
    let mut v = b.keuze(
        "vertrouwelijkheid".into(),
        "Vertrouwelijkheid",
        Vertrouwelijkheid::VARIANTS
            .iter()
            .map(|s| (s.to_string(), s.replace('-', " ")))
            .collect(),
        "keuze",
    );
    if v.waarde.is_empty() {
        v.waarde = "vertrouwelijk".into();
    }
    g.push(Groep {
        id: "groep-vertrouwelijkheid".into(),
        titel: "Vertrouwelijkheid".into(),
        uitleg: String::new(),
        velden: vec![v],
    });
    g
}

/// The names of every field of the form.
fn veldnamen() -> Vec<String> {
    groepen(&HashMap::new(), &HashMap::new())
        .into_iter()
        .flat_map(|g| g.velden.into_iter().map(|v| v.naam))
        .collect()
}

/// The form's values as the API's input (`MeldingInvoer`): empty slots left out, `ja`/`nee`
/// as booleans. Also returns, per list, which form slot each item came from (to put a
/// problem on `kinderen[1]` back at the slot it was typed in).
fn naar_invoer(w: &HashMap<String, String>) -> (MeldingInvoer, HashMap<String, Vec<usize>>) {
    let tekst = |k: &str| w.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let jn = |k: &str| match w.get(k).map(String::as_str) {
        Some("ja") => Value::Bool(true),
        Some("nee") => Value::Bool(false),
        _ => Value::Null,
    };
    let mut slots = HashMap::new();
    let mut lijst = |naam: &str, n: usize, velden: &[&str]| -> Vec<Value> {
        let mut items = Vec::new();
        let mut herkomst = Vec::new();
        for i in 0..n {
            let mut o = serde_json::Map::new();
            for f in velden {
                let k = format!("{naam}[{i}].{f}");
                if *f == "gezag" {
                    o.insert(f.to_string(), jn(&k));
                } else if let Some(v) = tekst(&k) {
                    o.insert(f.to_string(), Value::String(v));
                }
            }
            if o.values().any(|v| !v.is_null()) {
                items.push(Value::Object(o));
                herkomst.push(i);
            }
        }
        slots.insert(naam.to_string(), herkomst);
        items
    };
    let kinderen = lijst(
        "kinderen",
        KINDEREN,
        &[
            "voornaam",
            "achternaam",
            "geboortedatum",
            "bsn",
            "gemeente",
            "eigenWoorden",
        ],
    );
    let ouders = lijst(
        "ouders",
        OUDERS,
        &["voornaam", "achternaam", "relatie", "bsn", "gezag"],
    );
    let verklaringen = lijst("verklaringen", VERKLARINGEN, &["persoon", "rol", "tekst"]);
    let v = json!({
        "kinderen": kinderen,
        "ouders": ouders,
        "incidentReferentie": tekst("incidentReferentie"),
        "incidentDatum": tekst("incidentDatum"),
        "omschrijving": tekst("omschrijving"),
        "zorgen": tekst("zorgen"),
        "acuut": jn("acuut"),
        "risiconiveau": tekst("risiconiveau"),
        "verklaringen": verklaringen,
        "oudersGeinformeerd": jn("oudersGeinformeerd"),
        "redenNietGeinformeerd": tekst("redenNietGeinformeerd"),
        "terugkoppelingGewenst": jn("terugkoppelingGewenst"),
        "melder": {
            "naam": tekst("melder.naam"),
            "functie": tekst("melder.functie"),
            "identiteitDelen": jn("melder.identiteitDelen"),
            "reden": tekst("melder.reden"),
        },
        "vertrouwelijkheid": tekst("vertrouwelijkheid"),
    });
    let invoer = serde_json::from_value(v).unwrap_or_default();
    (invoer, slots)
}

/// A problem's field name with list indexes mapped back to the form's slots.
fn naar_slot(naam: &str, slots: &HashMap<String, Vec<usize>>) -> String {
    for (lijst, herkomst) in slots {
        let prefix = format!("{lijst}[");
        if let Some(rest) = naam.strip_prefix(&prefix)
            && let Some((i, staart)) = rest.split_once(']')
            && let Ok(i) = i.parse::<usize>()
            && let Some(slot) = herkomst.get(i)
        {
            return format!("{lijst}[{slot}]{staart}");
        }
    }
    naam.to_string()
}

/// A stored melding's content (as `Inhoud` serialises) as the form's values.
fn uit_inhoud(inhoud: &Value) -> HashMap<String, String> {
    let mut w = HashMap::new();
    fn plat(prefix: &str, v: &Value, w: &mut HashMap<String, String>) {
        match v {
            Value::Object(o) => {
                for (k, v) in o {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    plat(&p, v, w);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    plat(&format!("{prefix}[{i}]"), v, w);
                }
            }
            Value::Bool(b) => {
                w.insert(
                    prefix.to_string(),
                    if *b { "ja" } else { "nee" }.to_string(),
                );
            }
            Value::String(s) => {
                w.insert(prefix.to_string(), s.clone());
            }
            Value::Number(n) => {
                w.insert(prefix.to_string(), n.to_string());
            }
            Value::Null => {}
        }
    }
    plat("", inhoud, &mut w);
    w
}

#[derive(Template)]
#[template(path = "werkplek/melding_formulier.html")]
struct MeldingFormulier {
    kader: Kader,
    actie: String,
    groepen: Vec<Groep>,
    problemen: Vec<Probleem>,
    melding: Option<Uuid>,
    versie: i64,
}

fn formulier_pagina(
    s: &Sessie,
    melding: Option<(Uuid, i64)>,
    waarden: &HashMap<String, String>,
    fouten: Vec<Probleem>,
) -> Result<HttpResponse, Fout> {
    let map: HashMap<String, String> = fouten
        .iter()
        .map(|p| (p.veld.clone(), p.tekst.clone()))
        .collect();
    let namen = veldnamen();
    // A problem on a field the form has is linked to it; one on a whole list or the
    // melder (`kinderen`, `melder`) to its first field.
    let problemen = fouten
        .into_iter()
        .map(|p| {
            let doel = if namen.contains(&p.veld) {
                p.veld.clone()
            } else {
                namen
                    .iter()
                    .find(|n| n.starts_with(&p.veld))
                    .cloned()
                    .unwrap_or_else(|| p.veld.clone())
            };
            Probleem {
                id: veld_id(&doel),
                ..p
            }
        })
        .collect::<Vec<_>>();
    let mut map = map;
    for p in &problemen {
        let naam = namen.iter().find(|n| veld_id(n) == p.id);
        if let Some(n) = naam {
            map.entry(n.clone()).or_insert_with(|| p.tekst.clone());
        }
    }
    let status = if problemen.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = MeldingFormulier {
        kader: Kader::voor(
            s,
            if melding.is_some() {
                "Concept bewerken"
            } else {
                "Nieuwe zorgmelding"
            },
            super::NIEUWE_MELDING.pad,
        ),
        actie: match melding {
            Some((id, _)) => format!("/werkplek/meldingen/{id}"),
            None => "/werkplek/meldingen".into(),
        },
        groepen: groepen(waarden, &map),
        problemen,
        melding: melding.map(|(id, _)| id),
        versie: melding.map(|(_, v)| v).unwrap_or(0),
    };
    pagina(&t, status)
}

/// `GET /werkplek/meldingen/nieuw`: the empty form.
pub async fn nieuw(s: Sessie) -> Result<HttpResponse, Fout> {
    mag(&s, &super::NIEUWE_MELDING)?;
    let mut w = HashMap::new();
    w.insert("melder.naam".into(), s.actor.weergavenaam.clone());
    formulier_pagina(&s, None, &w, vec![])
}

/// Validation problems of a use case as the form's problems (slots mapped back).
fn problemen(e: &AppError, slots: &HashMap<String, Vec<usize>>) -> Option<Vec<Probleem>> {
    match e {
        AppError::Validatie { fouten, .. } if !fouten.is_empty() => Some(
            fouten
                .iter()
                .map(|f| {
                    let veld = naar_slot(&f.name, slots);
                    Probleem {
                        id: veld_id(&veld),
                        veld,
                        tekst: f.reason.clone(),
                    }
                })
                .collect(),
        ),
        _ => None,
    }
}

fn waarden(f: &Formulier) -> HashMap<String, String> {
    f.velden
        .iter()
        .filter(|(k, _)| k != super::formulier::CSRF_VELD)
        .cloned()
        .collect()
}

/// Save the form as a new concept (`id` none) or over concept `id`; then, with
/// `actie=indienen`, submit it. A problem re-renders the form with it at its field.
async fn opslaan(
    req: &HttpRequest,
    pool: &DbPool,
    f: Formulier,
    bestaand: Option<(Uuid, i64)>,
) -> Result<HttpResponse, Fout> {
    let s = f.sessie.clone();
    mag(&s, &super::NIEUWE_MELDING)?;
    let w = waarden(&f);
    let ctx = context(req, &s, None)?;
    let (invoer, slots) = naar_invoer(&w);
    let melding = match invoer.naar_melding(ctx.vandaag()) {
        Ok(m) => m,
        Err(e) => {
            let e = AppError::from(e);
            return match problemen(&e, &slots) {
                Some(p) => formulier_pagina(&s, bestaand, &w, p),
                None => Err(Fout(e)),
            };
        }
    };
    let uitkomst = match bestaand {
        None => {
            uitvoeren(pool, &ctx, "aanmaken", None, move |c, x| {
                referral::maak(c, x, melding)
            })
            .await
        }
        Some((id, versie)) => {
            let w = Wijziging {
                id,
                verwacht_versie: Some(versie),
                melding,
            };
            uitvoeren(pool, &ctx, "wijzigen", Some(id), move |c, x| {
                referral::wijzig(c, x, w)
            })
            .await
        }
    };
    let m = match uitkomst {
        Ok(m) => m,
        Err(e) => {
            return match problemen(&e, &slots) {
                Some(p) => formulier_pagina(&s, bestaand, &w, p),
                None => Err(Fout(e)),
            };
        }
    };
    let id = m.kop.id;
    if f.waarde("actie").as_deref() == Some("indienen") {
        let i = Indiening {
            id,
            verwacht_versie: Some(m.kop.versie),
        };
        uitvoeren(pool, &ctx, "indienen", Some(id), move |c, x| {
            referral::dien_in(c, x, i)
        })
        .await?;
    }
    Ok(naar(&format!("/werkplek/meldingen/{id}")))
}

/// `POST /werkplek/meldingen`: a new concept (and submit, with `actie=indienen`).
pub async fn bewaar_nieuw(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    opslaan(&req, &pool, f, None).await
}

/// `POST /werkplek/meldingen/{id}`: change concept `id` at the version it was read.
pub async fn bewaar(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let versie = f
        .waarde("_versie")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    opslaan(&req, &pool, f, Some((id.into_inner(), versie))).await
}

/// `GET /werkplek/meldingen/{id}/bewerken`: a concept in the form.
pub async fn bewerk(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &super::NIEUWE_MELDING)?;
    let id = id.into_inner();
    let ctx = context(&req, &s, None)?;
    let m = uitvoeren(&pool, &ctx, "lezen", Some(id), move |c, x| {
        referral::lees(c, x, id)
    })
    .await?;
    if m.kop.meldingstatus != Meldingstatus::Concept {
        return Err(Fout(AppError::Conflict {
            detail: "Alleen een concept kan nog worden bewerkt".into(),
            location: None,
        }));
    }
    let w = m.inhoud.as_ref().map(uit_inhoud).unwrap_or_default();
    formulier_pagina(&s, Some((id, m.kop.versie)), &w, vec![])
}

// ---- lists ----------------------------------------------------------------------------

/// A row of the inbox, outbox or quality queue.
#[derive(Debug, Clone)]
pub struct Regel {
    pub id: Uuid,
    pub partner: String,
    pub status: String,
    pub gemeenten: String,
    pub acuut: bool,
    pub datum: String,
    /// The earliest open feedback duty: (moment, due), and whether it is overdue.
    pub termijn: Option<(String, String)>,
    pub te_laat: bool,
    verschuldigd: Option<chrono::NaiveDateTime>,
}

/// The state as a reader sees it.
pub fn status(k: &Kop) -> String {
    match (k.meldingstatus, k.taakstatus) {
        (_, Some(t)) => match &k.bedrijfsstatus {
            Some(b) => format!("{} ({})", taak_nl(t), b.replace('-', " ")),
            None => taak_nl(t).to_string(),
        },
        (Meldingstatus::Concept, None) => "concept".into(),
        (Meldingstatus::TerControle, None) => "ter controle".into(),
        (Meldingstatus::NietRouteerbaar, None) => "niet te routeren".into(),
        (Meldingstatus::Verzonden, None) => "verzonden".into(),
    }
}

/// A task state in Dutch.
pub fn taak_nl(t: TaakStatus) -> &'static str {
    match t {
        TaakStatus::Requested => "verzonden, nog niet ontvangen",
        TaakStatus::Received => "ontvangen",
        TaakStatus::Accepted => "geaccepteerd",
        TaakStatus::Rejected => "afgewezen",
        TaakStatus::InProgress => "in behandeling",
        TaakStatus::OnHold => "opgeschort",
        TaakStatus::Completed => "afgerond",
        TaakStatus::Cancelled => "geannuleerd",
        TaakStatus::Failed => "mislukt",
        TaakStatus::EnteredInError => "foutief ingevoerd",
    }
}

#[derive(Template)]
#[template(path = "werkplek/lijst.html")]
struct Lijstpagina {
    kader: Kader,
    uitleg: String,
    regels: Vec<Regel>,
    partner_kop: String,
}

async fn regels(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    filter: Filter,
    als_ontvanger: bool,
) -> Result<Vec<Regel>, Fout> {
    let ctx = context(req, s, None)?;
    let c = ctx.clone();
    let (koppen, termijnen) = crate::db::run(pool, move |conn| {
        let (k, _) = referral::lijst(conn, &c, filter, 0, 500)?;
        let (t, _) = referral::open_termijnen(conn, &c, als_ontvanger, 0, 2000)?;
        Ok((k, t))
    })
    .await?;
    let nu = ctx.nu.naive_utc();
    let mut regels: Vec<Regel> = koppen
        .iter()
        .map(|k| {
            let t = termijnen
                .iter()
                .filter(|t| t.zorgmelding_id == k.id)
                .min_by_key(|t| t.verschuldigd_op);
            Regel {
                id: k.id,
                partner: if als_ontvanger {
                    k.afzender.clone()
                } else {
                    k.ontvanger
                        .clone()
                        .unwrap_or_else(|| "nog niet verzonden".into())
                },
                status: status(k),
                gemeenten: k.gemeentecodes().join(", "),
                acuut: k.acuut,
                datum: tijd_db(k.ingediend_op.unwrap_or(k.gewijzigd_op)),
                termijn: t.map(|t| {
                    (
                        t.moment.to_string().replace('-', " "),
                        tijd_db(t.verschuldigd_op),
                    )
                }),
                te_laat: t.is_some_and(|t| t.verschuldigd_op < nu),
                verschuldigd: t.map(|t| t.verschuldigd_op),
            }
        })
        .collect();
    if als_ontvanger {
        // By deadline, the earliest (most overdue) first; without an open duty last.
        regels.sort_by_key(|r| (r.verschuldigd.is_none(), r.verschuldigd));
    }
    Ok(regels)
}

/// `GET /werkplek/inbox`: what was sent or handed over to the organisation, by deadline.
pub async fn inbox(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &super::INBOX)?;
    let f = Filter {
        ontvangen: Some(true),
        ..Filter::default()
    };
    let regels = regels(&req, &s, &pool, f, true).await?;
    pagina(
        &Lijstpagina {
            kader: Kader::voor(&s, "Inbox", super::INBOX.pad),
            uitleg: "Zorgmeldingen en overdrachten aan uw organisatie, de eerste termijn bovenaan. Te laat staat erbij.".into(),
            regels,
            partner_kop: "Van".into(),
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/uitgaand`: what the organisation filed, with state and deadlines.
pub async fn uitgaand(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &super::UITGAAND)?;
    let f = Filter {
        ontvangen: Some(false),
        ..Filter::default()
    };
    let regels = regels(&req, &s, &pool, f, false).await?;
    pagina(
        &Lijstpagina {
            kader: Kader::voor(&s, "Mijn meldingen", super::UITGAAND.pad),
            uitleg: "De zorgmeldingen van uw organisatie: concepten, verzonden meldingen en hoe ver ze zijn. Open een melding voor de termijnen en de terugkoppeling.".into(),
            regels,
            partner_kop: "Aan".into(),
        },
        StatusCode::OK,
    )
}

/// `GET /werkplek/kwaliteitscontrole`: meldingen of the own organisation waiting for the
/// quality check.
pub async fn kwaliteitswachtrij(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, Fout> {
    mag(&s, &super::KWALITEIT)?;
    let f = Filter {
        ontvangen: Some(false),
        meldingstatus: Some(Meldingstatus::TerControle),
        ..Filter::default()
    };
    let regels = regels(&req, &s, &pool, f, false).await?;
    pagina(
        &Lijstpagina {
            kader: Kader::voor(&s, "Kwaliteitscontrole", super::KWALITEIT.pad),
            uitleg: "Zorgmeldingen van uw organisatie die op uw controle wachten voordat ze verzonden worden.".into(),
            regels,
            partner_kop: "Aan".into(),
        },
        StatusCode::OK,
    )
}

// ---- one melding ----------------------------------------------------------------------

/// A next step the lifecycle allows the caller.
#[derive(Debug, Clone)]
pub struct Stapknop {
    pub naar: String,
    pub label: String,
    pub reden_verplicht: bool,
    /// The triage (to in-progress from received or accepted) asks for the outcome.
    pub beoordeling: bool,
}

/// A feedback duty, met or not, on time or late.
#[derive(Debug, Clone)]
pub struct TermijnRegel {
    pub moment: String,
    pub verschuldigd: String,
    /// The same moment in RFC 3339 (UTC), for `<time datetime>`.
    pub verschuldigd_iso: String,
    pub voldaan: Option<String>,
    pub te_laat: bool,
    pub herinnerd: bool,
    pub geescaleerd: bool,
}

#[derive(Template)]
#[template(path = "werkplek/melding.html")]
struct Meldingpagina {
    kader: Kader,
    id: Uuid,
    versie: i64,
    kop: Vec<(String, String)>,
    inhoud: Vec<Groep>,
    geredigeerd: String,
    termijnen: Vec<TermijnRegel>,
    terugkoppelingen: Vec<Terugkoppeling>,
    concept: bool,
    kwaliteit: bool,
    stappen: Vec<Stapknop>,
    uitkomsten: Vec<(String, String)>,
    terugkoppelen: bool,
    momenten: Vec<(String, String)>,
    /// Organisations to hand over to (code, name), when the receiver may hand over.
    overdragen: Vec<(String, String)>,
    probleem: Option<String>,
}

fn stap_label(t: TaakStatus) -> &'static str {
    match t {
        TaakStatus::Received => "Ontvangst bevestigen",
        TaakStatus::Accepted => "Accepteren",
        TaakStatus::Rejected => "Afwijzen",
        TaakStatus::InProgress => "Beoordeling vastleggen / in behandeling nemen",
        TaakStatus::OnHold => "Opschorten",
        TaakStatus::Completed => "Afronden",
        TaakStatus::Cancelled => "Annuleren",
        TaakStatus::Failed => "Mislukt",
        TaakStatus::Requested | TaakStatus::EnteredInError => "",
    }
}

/// `GET /werkplek/meldingen/{id}`.
pub async fn detail(
    req: HttpRequest,
    s: Sessie,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Fout> {
    detail_pagina(&req, &s, &pool, id.into_inner(), None).await
}

async fn detail_pagina(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    id: Uuid,
    probleem: Option<(StatusCode, String)>,
) -> Result<HttpResponse, Fout> {
    let ctx = context(req, s, None)?;
    let m = uitvoeren(pool, &ctx, "lezen", Some(id), move |c, x| {
        referral::lees(c, x, id)
    })
    .await?;
    let k = &m.kop;
    let org = &s.actor.organisatie;
    let partij = if k.ontvanger.as_deref() == Some(org.as_str()) {
        Some(Partij::Ontvanger)
    } else if &k.afzender == org {
        Some(Partij::Afzender)
    } else {
        None
    };
    // The feedback on it, for whoever may read it (sender and receiver, by agreement);
    // none yet before it was sent.
    let terugkoppelingen = if k.taakstatus.is_some() {
        let c = ctx.clone();
        let object = terugkoppeling::verzoekobject(id, &ctx);
        crate::verwerking::tx(pool, &ctx, "lezen", object, move |conn| {
            Ok(terugkoppeling::lijst(conn, &c, id)?)
        })
        .await
        .unwrap_or_default()
    } else {
        vec![]
    };
    let nu = ctx.nu.naive_utc();
    let termijnen = m
        .termijnen
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|t| TermijnRegel {
            moment: t.moment.to_string().replace('-', " "),
            verschuldigd: tijd_db(t.verschuldigd_op),
            verschuldigd_iso: t
                .verschuldigd_op
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            voldaan: t
                .voldaan_op
                .map(tijd_db)
                .or_else(|| t.vervallen_op.map(|v| format!("vervallen {}", tijd_db(v)))),
            te_laat: t.voldaan_op.unwrap_or(nu) > t.verschuldigd_op && t.vervallen_op.is_none(),
            herinnerd: t.herinnerd_op.is_some(),
            geescaleerd: t.geescaleerd_op.is_some(),
        })
        .collect();
    let stappen = match (k.taakstatus, partij) {
        (Some(huidig), Some(p)) => OVERGANGEN
            .iter()
            .filter(|(van, _, wie)| *van == huidig && *wie == p)
            .map(|(_, naar, _)| Stapknop {
                naar: naar.to_string(),
                label: stap_label(*naar).into(),
                reden_verplicht: REDEN_VERPLICHT.contains(naar),
                beoordeling: *naar == TaakStatus::InProgress && huidig != TaakStatus::OnHold,
            })
            .collect(),
        _ => vec![],
    };
    let mut kop = vec![
        ("Status".to_string(), status(k)),
        ("Van".to_string(), k.afzender.clone()),
        (
            "Aan".to_string(),
            k.ontvanger
                .clone()
                .unwrap_or_else(|| "nog niet verzonden".into()),
        ),
        ("Gemeente(n)".to_string(), k.gemeentecodes().join(", ")),
        (
            "Acuut".to_string(),
            if k.acuut { "ja" } else { "nee" }.into(),
        ),
        ("Aangemaakt".to_string(), tijd_db(k.aangemaakt_op)),
    ];
    if let Some(i) = k.ingediend_op {
        kop.push(("Ingediend".into(), tijd_db(i)));
    }
    let waarden = m.inhoud.as_ref().map(uit_inhoud).unwrap_or_default();
    let inhoud = groepen(&waarden, &HashMap::new())
        .into_iter()
        .map(|mut g| {
            g.velden.retain(|v| !v.waarde.is_empty());
            g
        })
        .filter(|g| !g.velden.is_empty())
        .collect();
    // The receiver may hand over from accepted or in progress (`draag_over` decides).
    let overdragen = if partij == Some(Partij::Ontvanger)
        && matches!(
            k.taakstatus,
            Some(TaakStatus::Accepted | TaakStatus::InProgress)
        ) {
        let eigen = org.clone();
        crate::db::run(pool, move |c| {
            let p = ketenregie_store::directory::organisaties(
                c,
                &ketenregie_store::directory::OrganisatieFilter::default(),
                0,
                500,
            )
            .map_err(crate::db::db_fout)?;
            Ok(p.items
                .into_iter()
                .filter(|o| o.code != eigen)
                .map(|o| (o.code, o.naam))
                .collect())
        })
        .await?
    } else {
        vec![]
    };
    let (status_code, probleem) = match probleem {
        Some((c, p)) => (c, Some(p)),
        None => (StatusCode::OK, None),
    };
    let t = Meldingpagina {
        kader: Kader::voor(s, "Zorgmelding", ""),
        id,
        versie: k.versie,
        kop,
        inhoud,
        geredigeerd: m
            .geredigeerd
            .iter()
            .map(|g| g.to_string().replace('-', " "))
            .collect::<Vec<_>>()
            .join(", "),
        termijnen,
        terugkoppelingen,
        concept: k.meldingstatus == Meldingstatus::Concept
            && partij == Some(Partij::Afzender)
            && s.heeft_een(super::NIEUWE_MELDING.rollen),
        kwaliteit: k.meldingstatus == Meldingstatus::TerControle
            && s.heeft_een(super::KWALITEIT.rollen),
        stappen,
        uitkomsten: opties(Beoordelingsuitkomst::VARIANTS),
        terugkoppelen: partij == Some(Partij::Ontvanger)
            && k.taakstatus
                .is_some_and(|t| !matches!(t, TaakStatus::Cancelled | TaakStatus::EnteredInError)),
        momenten: Terugkoppelmoment::VARIANTS
            .iter()
            .map(|m| (m.to_string(), m.replace('-', " ")))
            .collect(),
        overdragen,
        probleem,
    };
    pagina(&t, status_code)
}

/// Run a step; a refusal or conflict shows the melding again with the reason on top.
async fn na_stap<T>(
    req: &HttpRequest,
    s: &Sessie,
    pool: &DbPool,
    id: Uuid,
    uitkomst: Result<T, AppError>,
) -> Result<HttpResponse, Fout> {
    match uitkomst {
        Ok(_) => Ok(naar(&format!("/werkplek/meldingen/{id}"))),
        Err(e) => {
            let status = actix_web::ResponseError::status_code(&e);
            if matches!(status.as_u16(), 400 | 403 | 409 | 412) {
                let p = e.problem();
                let mut tekst = p.detail.clone();
                for f in &p.invalid_params {
                    tekst.push_str(&format!(" {}", f.reason));
                }
                detail_pagina(req, s, pool, id, Some((status, tekst))).await
            } else {
                Err(Fout(e))
            }
        }
    }
}

/// `POST /werkplek/meldingen/{id}/indienen`: submit a concept.
pub async fn indienen(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let i = Indiening {
        id,
        verwacht_versie: f.waarde("_versie").and_then(|v| v.parse().ok()),
    };
    let u = uitvoeren(&pool, &ctx, "indienen", Some(id), move |c, x| {
        referral::dien_in(c, x, i)
    })
    .await;
    na_stap(&req, &f.sessie, &pool, id, u).await
}

/// `POST /werkplek/meldingen/{id}/kwaliteit`: approve (`oordeel=goedgekeurd`) or send
/// back with remarks.
pub async fn kwaliteit(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let oordeel = match f.waarde("oordeel").as_deref() {
        Some("goedgekeurd") => Oordeel::Goedgekeurd,
        _ => Oordeel::Teruggestuurd {
            opmerkingen: f.waarde("opmerkingen").unwrap_or_default(),
        },
    };
    let k = Kwaliteitsoordeel { id, oordeel };
    let u = uitvoeren(
        &pool,
        &ctx,
        "kwaliteitsbeoordeling",
        Some(id),
        move |c, x| referral::kwaliteit(c, x, k),
    )
    .await;
    na_stap(&req, &f.sessie, &pool, id, u).await
}

/// `POST /werkplek/meldingen/{id}/stap`: one lifecycle step (`naar` = the target state).
pub async fn stap(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let s = Stapverzoek {
        id,
        verwacht_versie: f.waarde("_versie").and_then(|v| v.parse().ok()),
        reden: f.waarde("reden"),
    };
    let naar_status: Option<TaakStatus> = f.waarde("naar").and_then(|n| n.parse().ok());
    let beoordeling = f.waarde("uitkomst").is_some();
    let u = match naar_status {
        Some(TaakStatus::Received) => {
            uitvoeren(&pool, &ctx, "ontvangen", Some(id), move |c, x| {
                referral::ontvang(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Accepted) => {
            uitvoeren(&pool, &ctx, "accepteren", Some(id), move |c, x| {
                referral::accepteer(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Rejected) => {
            uitvoeren(&pool, &ctx, "afwijzen", Some(id), move |c, x| {
                referral::wijs_af(c, x, s)
            })
            .await
        }
        Some(TaakStatus::InProgress) if beoordeling => {
            let b = Beoordeling {
                stap: s,
                uitkomst: f.waarde("uitkomst").and_then(|u| u.parse().ok()),
                acuut: f.ja_nee("acuut"),
                toelichting: f.waarde("toelichting"),
            };
            uitvoeren(&pool, &ctx, "beoordelen", Some(id), move |c, x| {
                referral::beoordeel(c, x, b)
            })
            .await
        }
        Some(TaakStatus::InProgress) => {
            uitvoeren(&pool, &ctx, "hervatten", Some(id), move |c, x| {
                referral::hervat(c, x, s)
            })
            .await
        }
        Some(TaakStatus::OnHold) => {
            uitvoeren(&pool, &ctx, "opschorten", Some(id), move |c, x| {
                referral::schort_op(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Completed) => {
            let uitvoer = f.waarde("toelichting");
            uitvoeren(&pool, &ctx, "afsluiten", Some(id), move |c, x| {
                referral::sluit_af(c, x, s, uitvoer)
            })
            .await
        }
        Some(TaakStatus::Cancelled) => {
            uitvoeren(&pool, &ctx, "annuleren", Some(id), move |c, x| {
                referral::annuleer(c, x, s)
            })
            .await
        }
        Some(TaakStatus::Failed) => {
            uitvoeren(&pool, &ctx, "mislukken", Some(id), move |c, x| {
                referral::mislukt(c, x, s)
            })
            .await
        }
        _ => Err(AppError::ongeldig(
            "naar",
            "enum",
            "Kies een stap die de melding nu toelaat",
        )),
    };
    na_stap(&req, &f.sessie, &pool, id, u).await
}

/// `POST /werkplek/meldingen/{id}/terugkoppeling`: the receiver's feedback to the sender.
pub async fn terugkoppeling(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let invoer: TerugkoppelingInvoer = serde_json::from_value(json!({
        "moment": f.waarde("moment"),
        "vervolgtrajectGestart": f.ja_nee("vervolgtrajectGestart"),
        "toelichting": f.waarde("toelichting"),
    }))
    .map_err(|e| Fout(AppError::intern(e)))?;
    let n = NieuweTerugkoppeling { id, invoer };
    let c = ctx.clone();
    let object = terugkoppeling::verzoekobject(id, &ctx);
    let u = crate::verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(terugkoppeling::geef(conn, &c, n)?)
    })
    .await;
    na_stap(&req, &f.sessie, &pool, id, u).await
}

/// `POST /werkplek/meldingen/{id}/overdracht`: the receiver hands over to organisation
/// `naar`, which gets its own linked task (`referral::draag_over`).
pub async fn overdracht(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    f: Formulier,
) -> Result<HttpResponse, Fout> {
    let id = id.into_inner();
    let ctx = context(&req, &f.sessie, None)?;
    let o = referral::Overdracht {
        id,
        naar: f.waarde("naar").unwrap_or_default(),
        toelichting: f.waarde("toelichting"),
    };
    let u = uitvoeren(&pool, &ctx, "overdragen", Some(id), move |c, x| {
        referral::draag_over(c, x, o)
    })
    .await;
    na_stap(&req, &f.sessie, &pool, id, u).await
}
