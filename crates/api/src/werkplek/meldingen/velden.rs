//! The zorgmelding form as fields: the groups and fields of the whole structured form, and the conversion between the posted fields, the use case's input and a stored concept.

use super::*;
use std::sync::LazyLock;

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
    /// The value as the read-only view shows it: a chosen option by its label, a date as
    /// the Dutch write it (`04-05-2016`, as every other date of the werkplek; the form's
    /// own `<input type="date">` keeps ISO 8601).
    pub fn weergave(&self) -> String {
        if self.soort == "datum"
            && let Ok(d) = chrono::NaiveDate::parse_from_str(&self.waarde, "%Y-%m-%d")
        {
            return d.format("%d-%m-%Y").to_string();
        }
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

pub(super) fn opties(varianten: &[&str]) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "Kies".to_string())];
    v.extend(
        varianten
            .iter()
            .map(|s| (s.to_string(), crate::werkplek::namen::als_woorden(s))),
    );
    v
}

pub(super) fn ja_nee() -> Vec<(String, String)> {
    vec![("ja".into(), "Ja".into()), ("nee".into(), "Nee".into())]
}

pub(super) struct Bouwer<'a> {
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
    /// A municipality field: a choice of every municipality by name, its value the CBS
    /// code; a value that is not in the list (a concept from before an import) is kept as
    /// an option of its own, so showing a form never loses what was entered.
    fn gemeente(&self, naam: String, label: &str, hint: &str) -> Veld {
        let mut opties = vec![(String::new(), "Kies een gemeente".to_string())];
        opties.extend(GEMEENTEKEUZE.iter().cloned());
        let waarde = self.waarden.get(&naam).cloned().unwrap_or_default();
        if !waarde.is_empty() && !opties.iter().any(|(c, _)| *c == waarde) {
            opties.push((waarde.clone(), waarde));
        }
        Veld {
            opties,
            ..self.veld(naam, label, "keuze", hint)
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

/// The municipalities a form offers, (CBS code, name) by name: the reference data this
/// binary carries (`ketenregie_store::referentie::GEMEENTEN_CSV`), read once. A person
/// picks "'s-Gravenhage", the form sends `0518` (WCAG 2.1 SC 3.3.2: a label and a choice
/// instead of a code to know). The use case still checks the code against the database's
/// reference data, so a list older than an import is refused there, by name of the field.
static GEMEENTEKEUZE: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut g: Vec<(String, String)> =
        ketenregie_store::referentie::lees_gemeenten(ketenregie_store::referentie::GEMEENTEN_CSV)
            .map(|g| g.into_iter().map(|g| (g.code, g.naam)).collect())
            .unwrap_or_default();
    g.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    g
});

/// The whole structured form (DOMAIN.md §3 flow 1), filled with `waarden` and with the
/// problems in `fouten` at their fields.
pub(super) fn groepen(
    waarden: &HashMap<String, String>,
    fouten: &HashMap<String, String>,
) -> Vec<Groep> {
    let b = Bouwer { waarden, fouten };
    let mut g = Vec::new();
    for i in 0..aantal(waarden, "kinderen", KINDEREN) {
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
                "Ten minste één kind. Laat de volgende leeg als er geen andere kinderen zijn."
                    .into()
            } else {
                "Laat leeg als er geen ander kind is.".into()
            },
            velden: vec![
                b.veld(p("voornaam"), "Voornaam", "tekst", ""),
                b.veld(p("achternaam"), "Achternaam", "tekst", ""),
                b.veld(p("geboortedatum"), "Geboortedatum", "datum", ""),
                bsn,
                b.gemeente(
                    p("gemeente"),
                    "Woongemeente",
                    "Bepaalt welk Veilig Thuis de melding krijgt.",
                ),
                b.veld(
                    p("eigenWoorden"),
                    "Wat het kind zelf zei",
                    "tekstvak",
                    "In de woorden van het kind, als het iets zei",
                ),
            ],
        });
    }
    for i in 0..aantal(waarden, "ouders", OUDERS) {
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
    for i in 0..aantal(waarden, "verklaringen", VERKLARINGEN) {
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
    let v = b.keuze(
        "vertrouwelijkheid".into(),
        "Vertrouwelijkheid",
        Vertrouwelijkheid::VARIANTS
            .iter()
            .map(|s| (s.to_string(), crate::werkplek::namen::als_woorden(s)))
            .collect(),
        "keuze",
    );
    g.push(Groep {
        id: "groep-vertrouwelijkheid".into(),
        titel: "Vertrouwelijkheid".into(),
        uitleg: String::new(),
        velden: vec![v],
    });
    g
}

/// The slots a list of the form has: the standard number (`KINDEREN`, ...), or as many
/// as `waarden` fill (a concept filed through the API with a fourth child shows, and
/// saves back, all four).
pub(super) fn aantal(waarden: &HashMap<String, String>, lijst: &str, standaard: usize) -> usize {
    let prefix = format!("{lijst}[");
    waarden
        .keys()
        .filter_map(|k| {
            k.strip_prefix(&prefix)?
                .split_once(']')?
                .0
                .parse::<usize>()
                .ok()
        })
        .map(|i| i + 1)
        .fold(standaard, usize::max)
}

/// The names of every field of the form (with the slots `waarden` fill).
pub(super) fn veldnamen(waarden: &HashMap<String, String>) -> Vec<String> {
    groepen(waarden, &HashMap::new())
        .into_iter()
        .flat_map(|g| g.velden.into_iter().map(|v| v.naam))
        .collect()
}

/// Per field name (`kinderen[0].achternaam`): its label with its group's title as a person
/// reads it on the form ("Kind 1: Achternaam"), and the label alone.
pub(super) fn veldlabels(waarden: &HashMap<String, String>) -> HashMap<String, (String, String)> {
    groepen(waarden, &HashMap::new())
        .into_iter()
        .flat_map(|g| {
            let titel = g.titel;
            g.velden
                .into_iter()
                .map(move |v| (v.naam, (format!("{titel}: {}", v.label), v.label)))
        })
        .collect()
}

/// A use case's reason as a person at the form reads it: the field's path that opens it
/// (`` `kinderen[0].achternaam` is verplicht``) replaced by the field's label ("Achternaam
/// is verplicht"); a reason that does not open with it gets the label in front.
pub(super) fn leesbaar(reden: &str, label: &str) -> String {
    if let Some(rest) = reden.strip_prefix('`')
        && let Some(eind) = rest.find('`')
    {
        return format!("{label}{}", &rest[eind + 1..]);
    }
    format!("{label}: {reden}")
}

/// The form's values as the API's input (`MeldingInvoer`): empty slots left out, `ja`/`nee`
/// as booleans. Also returns, per list, which form slot each item came from (to put a
/// problem on `kinderen[1]` back at the slot it was typed in).
pub(super) fn naar_invoer(
    w: &HashMap<String, String>,
) -> (MeldingInvoer, HashMap<String, Vec<usize>>) {
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
        aantal(w, "kinderen", KINDEREN),
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
        aantal(w, "ouders", OUDERS),
        &["voornaam", "achternaam", "relatie", "bsn", "gezag"],
    );
    let verklaringen = lijst(
        "verklaringen",
        aantal(w, "verklaringen", VERKLARINGEN),
        &["persoon", "rol", "tekst"],
    );
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
pub(super) fn naar_slot(naam: &str, slots: &HashMap<String, Vec<usize>>) -> String {
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

/// A stored melding's form values with its confidentiality level, which the store keeps
/// beside the content (`Kop::vertrouwelijkheid`, not in `Inhoud`): the detail shows the
/// stored level and the edit form preselects it, so saving a concept unchanged keeps it.
pub(super) fn met_niveau(mut w: HashMap<String, String>, kop: &Kop) -> HashMap<String, String> {
    w.insert(
        "vertrouwelijkheid".into(),
        kop.vertrouwelijkheid.as_ref().to_string(),
    );
    w
}

/// A stored melding's content (as `Inhoud` serialises) as the form's values.
pub(super) fn uit_inhoud(inhoud: &Value) -> HashMap<String, String> {
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
