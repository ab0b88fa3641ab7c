//! The inzage report turned into what the page shows: every label and value in words
//! (`woorden`), dates and times in Dutch (`tijd`), organisations by name, an address as an
//! address, statements as quotes with who said them and when, a melding's steps as a
//! short history. No field name and no code reaches the page; the template only lays it
//! out.

use super::{tijd, woorden};
use ketenregie_privacy::inzage::{InzageOnderdeel, InzageRapport};
use serde_json::{Map, Value};

/// The report as shown.
#[derive(Debug)]
pub struct Rapport {
    /// The person's name, or a description when no record names them.
    pub naam: String,
    pub organisatie: String,
    pub opgesteld: String,
    pub onderdelen: Vec<Onderdeel>,
    pub verklaringen: Vec<Verklaring>,
    pub verwerkingen: Vec<Verwerking>,
    pub verstrekkingen: Vec<Verstrekking>,
    pub contactpunten: Vec<Contact>,
}

/// One record.
#[derive(Debug)]
pub struct Onderdeel {
    /// The fragment id of its heading.
    pub anker: String,
    pub titel: String,
    pub datum: String,
    pub bron: String,
    pub grondslag: String,
    pub velden: Vec<Veld>,
    pub niet_getoond: Vec<String>,
}

#[derive(Debug)]
pub struct Veld {
    pub label: String,
    pub waarde: Waarde,
}

#[derive(Debug)]
pub enum Waarde {
    Tekst(String),
    /// Several short lines (names, a contact).
    Regels(Vec<String>),
    /// An address, line by line.
    Adres(Vec<String>),
    Citaten(Vec<Citaat>),
    Stappen(Vec<Stap>),
}

/// A statement: its words, who said them and when.
#[derive(Debug)]
pub struct Citaat {
    pub tekst: String,
    pub wie: String,
    pub wanneer: Option<String>,
}

/// A step in a melding's handling.
#[derive(Debug)]
pub struct Stap {
    pub wanneer: String,
    pub wat: String,
    pub wie: String,
    pub meer: Vec<String>,
}

/// The person's own statement.
#[derive(Debug)]
pub struct Verklaring {
    pub tekst: String,
    pub bij: String,
    pub door: String,
    pub wanneer: String,
}

/// A processing by the organisation.
#[derive(Debug)]
pub struct Verwerking {
    pub wanneer: String,
    pub wie: String,
    pub waarvoor: String,
    pub grondslag: String,
    pub noodtoegang: bool,
}

/// A disclosure to another organisation.
#[derive(Debug)]
pub struct Verstrekking {
    pub wanneer: String,
    pub aan: String,
    pub waarvoor: String,
    pub grondslag: String,
}

#[derive(Debug)]
pub struct Contact {
    pub naam: String,
    pub telefoon: Option<String>,
    /// The number to dial (`tel:` link): its digits and a leading `+`.
    pub bel: String,
    pub email: Option<String>,
    pub openingstijden: Option<String>,
}

/// The order the fields of an item are shown in (anything else follows, in its own
/// order).
const VOLGORDE: &[&str] = &[
    "voornamen",
    "achternaam",
    "geboortedatum",
    "bsn",
    "adres",
    "relatie",
    "kenmerk",
    "leden",
    "afzender",
    "ontvanger",
    "door",
    "aan",
    "ingediendOp",
    "moment",
    "soort",
    "tijdstip",
    "incidentDatum",
    "plaats",
    "gemeente",
    "rol",
    "samenvatting",
    "omschrijving",
    "zorgen",
    "acuut",
    "risiconiveau",
    "kinderen",
    "ouders",
    "verklaringen",
    "eigenWoorden",
    "wederhoor",
    "wederhoorOp",
    "oudersGeinformeerd",
    "redenNietGeinformeerd",
    "melder",
];

/// Fields that only steer how others are shown.
const NIET_TONEN: &[&str] = &["richting", "u", "eigen"];

pub fn van(r: &InzageRapport) -> Rapport {
    let organisatie = r.opgesteld_door_naam.clone();
    let onderdelen: Vec<Onderdeel> = r
        .gegevens
        .iter()
        .enumerate()
        .map(|(i, o)| onderdeel(i, o))
        .collect();
    let verklaringen = r
        .eigen_verklaringen
        .iter()
        .map(|v| {
            let (soort, id) = v.bij.split_once('/').unwrap_or(("", ""));
            let bij = r
                .gegevens
                .iter()
                .zip(&onderdelen)
                .find(|(g, _)| g.id == id)
                .map_or_else(
                    || woorden::bij(soort).to_string(),
                    |(_, o)| format!("Bij: {} ({})", o.titel, o.datum),
                );
            Verklaring {
                tekst: v.tekst.clone(),
                bij,
                door: v.vastgelegd_door_naam.clone(),
                wanneer: tijd::datum_tijd(v.aangemaakt_op),
            }
        })
        .collect();
    let verwerkingen = r
        .verwerkingen
        .iter()
        .map(|v| Verwerking {
            wanneer: tijd::datum_tijd(v.tijdstip),
            wie: if v.verwerkt_door.is_empty() {
                v.organisatie_naam.clone()
            } else {
                format!("{} ({})", v.verwerkt_door.join(", "), v.organisatie_naam)
            },
            waarvoor: woorden::doel(&v.doel),
            grondslag: woorden::grondslag(&v.grondslag),
            noodtoegang: v.doorbraak,
        })
        .collect();
    let verstrekkingen = r
        .verstrekkingen
        .iter()
        .map(|v| Verstrekking {
            wanneer: tijd::datum_tijd(v.tijdstip),
            aan: v.aan_naam.clone(),
            waarvoor: woorden::doel(&v.doel),
            grondslag: woorden::grondslag(&v.grondslag),
        })
        .collect();
    let contactpunten = r
        .contactpunten
        .iter()
        .map(|c| Contact {
            naam: c.naam.clone(),
            bel: c
                .telefoon
                .as_deref()
                .unwrap_or_default()
                .chars()
                .filter(|x| x.is_ascii_digit() || *x == '+')
                .collect(),
            telefoon: c.telefoon.clone(),
            email: c.email.clone(),
            openingstijden: c.openingstijden.clone(),
        })
        .collect();
    Rapport {
        naam: r
            .naam
            .clone()
            .unwrap_or_else(|| "de persoon over wie dit overzicht gaat".into()),
        organisatie,
        opgesteld: tijd::datum_tijd(r.opgesteld_op),
        onderdelen,
        verklaringen,
        verwerkingen,
        verstrekkingen,
        contactpunten,
    }
}

fn onderdeel(i: usize, o: &InzageOnderdeel) -> Onderdeel {
    let richting = o.gegevens.get("richting").and_then(Value::as_str);
    let leeg = Map::new();
    let g = o.gegevens.as_object().unwrap_or(&leeg);
    let mut sleutels: Vec<&String> = g.keys().collect();
    sleutels.sort_by_key(|k| VOLGORDE.iter().position(|v| v == k).unwrap_or(usize::MAX));
    let velden = sleutels
        .into_iter()
        .filter(|k| !NIET_TONEN.contains(&k.as_str()))
        .filter_map(|k| {
            let waarde = waarde(&o.soort, k, &g[k], o.vastgelegd_op)?;
            Some(Veld {
                label: woorden::label(&o.soort, k),
                waarde,
            })
        })
        .collect();
    Onderdeel {
        anker: format!("onderdeel-{}", i + 1),
        titel: woorden::titel(&o.soort, richting),
        datum: tijd::datum_tijd(o.vastgelegd_op),
        bron: o.bron_naam.clone(),
        grondslag: woorden::grondslag(&o.grondslag),
        velden,
        niet_getoond: o.achtergehouden.clone(),
    }
}

/// A scalar in words: a code of this field, a date, yes or no, or the text itself.
fn tekst(soort: &str, sleutel: &str, v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(true) => Some("Ja".into()),
        Value::Bool(false) => Some("Nee".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(
            woorden::waarde(soort, sleutel, s)
                .map(str::to_string)
                .or_else(|| tijd::uit_tekst(s))
                .unwrap_or_else(|| s.clone()),
        ),
        Value::Object(o) => o.get("naam").and_then(Value::as_str).map(str::to_string),
        Value::Array(_) => None,
    }
}

/// "2511AA" as "2511 AA".
fn postcode(p: &str) -> String {
    let p: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    if p.len() == 6 && p.is_char_boundary(4) {
        format!("{} {}", &p[..4], p[4..].to_uppercase())
    } else {
        p
    }
}

fn waarde(
    soort: &str,
    sleutel: &str,
    v: &Value,
    datum: chrono::DateTime<chrono::Utc>,
) -> Option<Waarde> {
    match (sleutel, v) {
        (_, Value::Null) => None,
        (_, Value::Array(a)) if a.is_empty() => None,
        ("adres", Value::Object(a)) => {
            let s = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or_default();
            Some(Waarde::Adres(vec![
                format!("{} {}", s("straat"), s("huisnummer")),
                format!("{}  {}", postcode(s("postcode")), s("woonplaats"))
                    .trim()
                    .to_string(),
            ]))
        }
        ("verklaringen", Value::Array(a)) => Some(Waarde::Citaten(
            a.iter().map(|s| citaat(soort, s, datum)).collect(),
        )),
        ("eigenWoorden", Value::String(t)) => Some(Waarde::Citaten(vec![Citaat {
            tekst: t.clone(),
            wie: "U".into(),
            wanneer: Some(format!("in de melding van {}", tijd::datum_tijd(datum))),
        }])),
        ("stappen", Value::Array(a)) => Some(Waarde::Stappen(a.iter().map(stap).collect())),
        ("kinderen" | "ouders" | "leden" | "houders", Value::Array(a)) => Some(Waarde::Regels(
            a.iter().map(|p| persoon(soort, p)).collect(),
        )),
        ("melder", Value::Object(m)) => Some(Waarde::Regels(
            ["naam", "functie"]
                .iter()
                .filter_map(|k| m.get(*k).and_then(Value::as_str).map(str::to_string))
                .collect(),
        )),
        ("contact", Value::Object(c)) => Some(Waarde::Regels(regels(soort, c))),
        ("overgenomenDoor", Value::Object(o)) => {
            let mut r = vec![
                o.get("naam")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ];
            if let Some(c) = o.get("contact").and_then(Value::as_str) {
                r.push(format!("Contact: {c}"));
            }
            Some(Waarde::Regels(r))
        }
        (_, Value::Array(a)) => Some(Waarde::Regels(
            a.iter()
                .filter_map(|x| match x {
                    Value::Object(o) => Some(regels(soort, o).join(", ")),
                    x => tekst(soort, sleutel, x),
                })
                .collect(),
        )),
        (_, Value::Object(o)) if !o.contains_key("naam") => Some(Waarde::Regels(regels(soort, o))),
        _ => tekst(soort, sleutel, v).map(Waarde::Tekst),
    }
}

/// An object's fields as "Label: waarde" lines.
fn regels(soort: &str, o: &Map<String, Value>) -> Vec<String> {
    o.iter()
        .filter(|(k, _)| !NIET_TONEN.contains(&k.as_str()) && k.as_str() != "code")
        .filter_map(|(k, v)| {
            tekst(soort, k, v).map(|t| {
                if k == "naam" {
                    t
                } else {
                    format!("{}: {t}", woorden::label(soort, k))
                }
            })
        })
        .collect()
}

/// A person named in a record: "Sem de Boer, geboren op 4 mei 2016", "Lisa Visser
/// (moeder, met gezag) — dat bent u".
fn persoon(soort: &str, p: &Value) -> String {
    let Value::Object(o) = p else {
        return tekst(soort, "naam", p).unwrap_or_default();
    };
    let mut s = o
        .get("naam")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut extra = Vec::new();
    if let Some(r) = o.get("relatie").and_then(Value::as_str) {
        extra.push(
            woorden::waarde(soort, "relatie", r).map_or_else(|| r.to_string(), str::to_string),
        );
    }
    match o.get("gezag").and_then(Value::as_bool) {
        Some(true) => extra.push("met gezag".into()),
        Some(false) => extra.push("zonder gezag".into()),
        None => {}
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    if let Some(d) = o.get("geboortedatum").and_then(Value::as_str) {
        s.push_str(&format!(
            ", geboren op {}",
            tijd::uit_tekst(d).unwrap_or_default()
        ));
    }
    if let Some(b) = o.get("bsn").and_then(Value::as_str) {
        s.push_str(&format!(", BSN {b}"));
    }
    if o.get("u").and_then(Value::as_bool) == Some(true) {
        s.push_str(" — dat bent u");
    }
    s
}

fn citaat(soort: &str, s: &Value, datum: chrono::DateTime<chrono::Utc>) -> Citaat {
    let veld = |k: &str| s.get(k).and_then(Value::as_str);
    let eigen = s.get("eigen").and_then(Value::as_bool) == Some(true);
    let rol = veld("afgelegdDoor")
        .or_else(|| veld("rol"))
        .map(|r| woorden::waarde(soort, "rol", r).map_or_else(|| r.to_string(), str::to_string));
    let wie = match (eigen, veld("persoon"), rol) {
        (true, _, _) => "U".to_string(),
        (false, Some(p), Some(r)) => format!("{p} ({r})"),
        (false, Some(p), None) => p.to_string(),
        (false, None, Some(r)) => format!("De {r}"),
        (false, None, None) => "Iemand anders".into(),
    };
    let wanneer = match veld("afgelegdOp").and_then(tijd::uit_tekst) {
        Some(t) => Some(t),
        None => Some(format!("in de melding van {}", tijd::datum_tijd(datum))),
    };
    Citaat {
        tekst: veld("tekst").unwrap_or_default().to_string(),
        wie,
        wanneer,
    }
}

fn stap(s: &Value) -> Stap {
    let veld = |k: &str| s.get(k).and_then(Value::as_str);
    let mut meer = Vec::new();
    if let Some(n) = s
        .get("naar")
        .and_then(|n| n.get("naam"))
        .and_then(Value::as_str)
    {
        meer.push(format!("Naar: {n}"));
    }
    if let Some(st) =
        veld("naarStatus").and_then(|c| woorden::waarde("zorgmelding", "taakstatus", c))
    {
        meer.push(format!("Stand: {st}"));
    }
    if let Some(u) = veld("uitkomst") {
        meer.push(format!(
            "Uitkomst: {}",
            woorden::waarde("zorgmelding", "uitkomst", u).unwrap_or(u)
        ));
    }
    for (k, label) in [
        ("reden", "Reden"),
        ("toelichting", "Toelichting"),
        ("uitvoer", "Wat er is gedaan"),
    ] {
        if let Some(t) = veld(k) {
            meer.push(format!("{label}: {t}"));
        }
    }
    let code = veld("stap").unwrap_or_default();
    Stap {
        wanneer: veld("tijdstip")
            .and_then(tijd::uit_tekst)
            .unwrap_or_default(),
        wat: woorden::stap(code).map_or_else(|| woorden::zin(code), str::to_string),
        wie: s
            .get("organisatie")
            .and_then(|o| o.get("naam"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        meer,
    }
}
