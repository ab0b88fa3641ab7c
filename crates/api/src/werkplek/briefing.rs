//! The briefing before arrival (noodhulp, wijkagent; the OM with its mandatory reason):
//! one screen, usable on a 375 px phone, flags first. The search key is posted, never put
//! in a URL; a name search that matches several identities lists the candidates and merges
//! nothing. Calls `ketenregie_case::briefing::stel_op` inside `verwerking::tx`, exactly as
//! `POST /api/v1/briefings/_zoek` does.

use super::meldingen::{context, tijd};
use super::namen::Weergavenamen;
use super::{Fout, Kader, Probleem, Sessie, pagina, veld_id};
use crate::problem::AppError;
use crate::werkplek::bdi::MetNamen;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_case::briefing::{self, Briefing, BriefingVraag, ZorgmeldingBron};
use ketenregie_common::Rol;
use ketenregie_privacy::logboek::Object;
use ketenregie_store::DbPool;

/// What the briefing form says when the agreement asks a reason for every consultation
/// (the decision's `toelichting_vereist`, DOMAIN.md "toelichting") and none was given.
const REDEN_VEREIST: &str = "Het convenant vereist bij elke raadpleging een reden: vul hierboven de reden van deze raadpleging in";
use serde::Serialize;

/// A value's wire name, readable (`voorlopige-ots` -> `voorlopige ots`).
fn naam<T: Serialize>(t: &T) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(crate::werkplek::namen::als_woorden))
        .unwrap_or_default()
}

/// A contact to call.
#[derive(Debug, Clone)]
pub struct Contactregel {
    pub wie: MetNamen,
    pub telefoon: Option<String>,
    /// The `tel:` URI (digits and `+` only).
    pub bel: String,
}

/// The briefing as the page shows it.
#[derive(Debug, Clone, Default)]
pub struct Weergave {
    pub gevonden: bool,
    pub meerduidig: bool,
    pub kandidaten: Vec<String>,
    pub vlaggen: Vec<MetNamen>,
    pub personen: Vec<MetNamen>,
    pub beschikkingen: Vec<String>,
    pub incidenten_12: usize,
    pub incidenten_totaal: usize,
    pub incidenten: Vec<String>,
    pub meldingen: Vec<String>,
    pub contacten: Vec<Contactregel>,
}

fn bel(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

impl Weergave {
    /// The page's lines for briefing `b`, organisations and municipalities by name
    /// (`namen`: the briefing's codes, looked up with it).
    fn van(b: &Briefing, namen: &Weergavenamen) -> Self {
        let mut vlaggen = Vec::new();
        for m in b
            .beschikkingen_in_werking
            .iter()
            .chain(&b.maatregelen_in_werking)
        {
            if m.sterke_arm.toegestaan {
                vlaggen.push(
                    MetNamen::new().tekst(format!("Sterke arm toegestaan ({})", naam(&m.soort))),
                );
            }
        }
        for m in &b.maatregelen_in_werking {
            vlaggen.push(MetNamen::new().tekst(format!(
                "{} in werking{}",
                naam(&m.soort).to_uppercase(),
                m.tot
                    .map(|t| format!(" tot {}", t.format("%d-%m-%Y")))
                    .unwrap_or_default()
            )));
        }
        for g in &b.gezag {
            let mut regel = MetNamen::new().tekst("Gezag over ");
            regel = match &g.kind.naam {
                Some(n) => regel.naam(n.clone()),
                None => regel.tekst("kind"),
            };
            regel = regel.tekst(format!(": {}", naam(&g.vorm)));
            // `tijdelijk-geen` and `niet-te-bepalen` have no holders: no empty brackets.
            if g.houders.is_empty() && g.houder_instelling.is_none() {
                vlaggen.push(regel);
                continue;
            }
            regel = regel.tekst(" (");
            for (i, h) in g.houders.iter().enumerate() {
                if i > 0 {
                    regel = regel.tekst(", ");
                }
                regel = match &h.naam {
                    Some(n) => regel.naam(n.clone()),
                    None => regel.tekst("onbekend"),
                };
            }
            if let Some(inst) = &g.houder_instelling {
                if !g.houders.is_empty() {
                    regel = regel.tekst(", ");
                }
                regel = regel.tekst(inst.clone());
            }
            vlaggen.push(regel.tekst(")"));
        }
        for s in &b.signalen {
            // The explanation names parents ("Mark de Boer heeft geen gezag over ..."):
            // isolated as a whole.
            vlaggen.push(
                MetNamen::new()
                    .tekst(format!(
                        "{}: ",
                        crate::werkplek::namen::als_woorden(&s.code)
                    ))
                    .naam(s.uitleg.clone()),
            );
        }
        let persoon = |p: &ketenregie_case::weergave::PersoonKort| {
            MetNamen::new()
                .naam(format!("{} {}", p.voornamen, p.achternaam))
                .tekst(format!(", geboren {}", p.geboortedatum.format("%d-%m-%Y")))
        };
        let mut contacten = Vec::new();
        for o in &b.betrokken_organisaties {
            let org = o.naam.clone().unwrap_or_else(|| o.organisatie.clone());
            contacten.push(Contactregel {
                wie: MetNamen::new()
                    .naam(o.contact.naam.clone())
                    .tekst(format!(" ({org})")),
                bel: o.contact.telefoon.as_deref().map(bel).unwrap_or_default(),
                telefoon: o.contact.telefoon.clone(),
            });
            for d in &o.dag_en_nacht {
                contacten.push(Contactregel {
                    wie: MetNamen::new()
                        .naam(d.naam.clone())
                        .tekst(format!(" ({org}, dag en nacht)")),
                    bel: d.telefoon.as_deref().map(bel).unwrap_or_default(),
                    telefoon: d.telefoon.clone(),
                });
            }
        }
        Weergave {
            gevonden: b.gevonden,
            meerduidig: b.meerduidig,
            kandidaten: b
                .kandidaten
                .iter()
                .map(|k| {
                    format!(
                        "Geboren {}{}, geregistreerd door {}{}",
                        k.geboortedatum.format("%d-%m-%Y"),
                        k.gemeente
                            .as_ref()
                            .map(|g| format!(
                                ", gemeente {}",
                                namen.gemeenten(std::slice::from_ref(g))
                            ))
                            .unwrap_or_default(),
                        namen.organisatie(&k.geregistreerd_door),
                        if k.bsn_bekend { ", BSN bekend" } else { "" }
                    )
                })
                .collect(),
            vlaggen,
            personen: b
                .personen
                .iter()
                .chain(&b.gezinsleden)
                .map(persoon)
                .collect(),
            beschikkingen: b
                .beschikkingen_in_werking
                .iter()
                .map(|m| {
                    format!(
                        "{} ({}, {}), van {}{}. Sterke arm: {}",
                        naam(&m.soort),
                        m.rechtbank,
                        m.zaaknummer,
                        m.van.format("%d-%m-%Y"),
                        m.tot
                            .map(|t| format!(" tot {}", t.format("%d-%m-%Y")))
                            .unwrap_or_default(),
                        m.sterke_arm.uitleg
                    )
                })
                .collect(),
            incidenten_12: b.incidenten.laatste12_maanden,
            incidenten_totaal: b.incidenten.totaal,
            incidenten: b
                .incidenten
                .lijst
                .iter()
                .take(10)
                .map(|i| {
                    format!(
                        "{}: {} ({}){}",
                        tijd(i.tijdstip),
                        naam(&i.soort),
                        namen.organisatie(&i.eigenaar),
                        if i.eenzijdig {
                            ", alleen één kant gehoord"
                        } else {
                            ""
                        }
                    )
                })
                .collect(),
            meldingen: b
                .open_zorgmeldingen
                .iter()
                .map(|m| {
                    format!(
                        "Van {} aan {}: {}{}",
                        namen.organisatie(&m.afzender),
                        m.ontvanger
                            .as_deref()
                            .map(|o| namen.organisatie(o))
                            .unwrap_or_else(|| "-".into()),
                        m.taakstatus
                            .as_deref()
                            .and_then(|t| t.parse().ok())
                            .map(|t| super::meldingen::taak_nl(t).to_string())
                            .unwrap_or_else(|| crate::werkplek::namen::als_woorden(
                                &m.meldingstatus
                            )),
                        m.ingediend_op
                            .map(|t| format!(", ingediend {}", tijd(t)))
                            .unwrap_or_default()
                    )
                })
                .collect(),
            contacten,
        }
    }
}

/// The names of the organisations and municipalities briefing `b` names by code, in two
/// queries (the partner register and the reference data; no personal data).
fn briefingnamen(
    conn: &mut ketenregie_store::DbConnection,
    b: &Briefing,
) -> diesel::QueryResult<Weergavenamen> {
    let organisaties = b
        .incidenten
        .lijst
        .iter()
        .map(|i| i.eigenaar.as_str())
        .chain(b.open_zorgmeldingen.iter().flat_map(|m| {
            [Some(m.afzender.as_str()), m.ontvanger.as_deref()]
                .into_iter()
                .flatten()
        }))
        .chain(b.kandidaten.iter().map(|k| k.geregistreerd_door.as_str()));
    let gemeenten = b.kandidaten.iter().filter_map(|k| k.gemeente.as_deref());
    Weergavenamen::laad(conn, organisaties, gemeenten)
}

/// The search key's fields as the briefing and inzage pages have them: (the use case's
/// name, the form's field, its label). The pages have no address search.
const ZOEKVELDEN: &[(&str, &str, &str)] = &[
    ("bsn", "bsn", "BSN"),
    ("voornamen", "voornamen", "Voornamen"),
    ("achternaam", "achternaam", "Achternaam"),
    ("geboortedatum", "geboortedatum", "Geboortedatum"),
];

/// What a search form says when not exactly one way to search was filled in (the use
/// case's `regelcode::EEN_VAN`, which also names the address search these pages lack).
const EEN_MANIER: &str =
    "Zoek met het BSN, of met voornamen, achternaam en geboortedatum (niet met allebei)";

/// The problems of a refused search key (`BriefingVraag::valideer`) as the briefing and
/// inzage pages show them: each at its field by label ("Achternaam is verplicht"), the
/// choice of a way to search in the words of the page, a problem without a field at the
/// BSN (the first field).
pub(super) fn zoekproblemen(
    fouten: Vec<ketenregie_common::InvalidParam>,
    detail: String,
) -> Vec<Probleem> {
    if fouten.is_empty() {
        return vec![Probleem {
            veld: "bsn".into(),
            id: veld_id("bsn"),
            tekst: super::in_woorden(&detail, &[]),
        }];
    }
    let (keuze, rest): (Vec<_>, Vec<_>) = fouten
        .into_iter()
        .partition(|f| f.code == ketenregie_common::regelcode::EEN_VAN);
    let mut p: Vec<Probleem> = keuze
        .iter()
        .take(1)
        .map(|_| Probleem {
            veld: "bsn".into(),
            id: veld_id("bsn"),
            tekst: EEN_MANIER.into(),
        })
        .collect();
    p.extend(super::problemen_in_woorden(rest, ZOEKVELDEN, &[], "bsn"));
    p
}

#[derive(Template)]
#[template(path = "werkplek/briefing.html")]
struct Briefingpagina {
    kader: Kader,
    om: bool,
    bsn: String,
    voornamen: String,
    achternaam: String,
    geboortedatum: String,
    reden: String,
    problemen: Vec<Probleem>,
    uitkomst: Option<Weergave>,
}

impl Briefingpagina {
    fn fout(&self, veld: &str) -> Option<String> {
        super::probleem_bij(&self.problemen, veld)
    }
}

fn leeg(s: &Sessie) -> Briefingpagina {
    Briefingpagina {
        kader: Kader::voor(s, "Briefing voor aankomst", super::BRIEFING.pad),
        om: s.actor.heeft_rol(Rol::OfficierVanJustitie),
        bsn: String::new(),
        voornamen: String::new(),
        achternaam: String::new(),
        geboortedatum: String::new(),
        reden: String::new(),
        problemen: vec![],
        uitkomst: None,
    }
}

/// `GET /werkplek/briefing`: the search form.
pub async fn formulier(s: Sessie) -> Result<HttpResponse, Fout> {
    if !s.heeft_een(super::BRIEFING.rollen) {
        return Err(Fout::niet_voor_rol(&super::BRIEFING));
    }
    pagina(&leeg(&s), StatusCode::OK)
}

/// `POST /werkplek/briefing`: search and show (the key only in the body).
pub async fn zoek(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    meldingen: web::Data<dyn ZorgmeldingBron>,
    f: super::formulier::Formulier,
) -> Result<HttpResponse, Fout> {
    let s = f.sessie.clone();
    if !s.heeft_een(super::BRIEFING.rollen) {
        return Err(Fout::niet_voor_rol(&super::BRIEFING));
    }
    let mut p = leeg(&s);
    p.bsn = f.waarde("bsn").unwrap_or_default();
    p.voornamen = f.waarde("voornamen").unwrap_or_default();
    p.achternaam = f.waarde("achternaam").unwrap_or_default();
    p.geboortedatum = f.waarde("geboortedatum").unwrap_or_default();
    p.reden = f.waarde("reden").unwrap_or_default();
    let vraag = BriefingVraag {
        bsn: f.waarde("bsn"),
        voornamen: f.waarde("voornamen"),
        achternaam: f.waarde("achternaam"),
        geboortedatum: f.waarde("geboortedatum"),
        postcode: None,
        huisnummer: None,
    };
    let ctx = context(&req, &s, f.waarde("reden"))?;
    let uitkomst = match vraag.valideer(ctx.vandaag()) {
        Err(e) => Err(AppError::from(e)),
        Ok(vraag) => {
            let c2 = ctx.clone();
            let object = Object {
                soort: "briefings",
                id: "zoek".into(),
                eigenaar: ctx.actor.organisatie.clone(),
            };
            crate::verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
                let b = briefing::stel_op(conn, &c2, &**meldingen, &vraag)?;
                let namen = briefingnamen(conn, &b).map_err(crate::db::db_fout)?;
                Ok((b, namen))
            })
            .await
        }
    };
    match uitkomst {
        Ok((b, namen)) => {
            p.uitkomst = Some(Weergave::van(&b, &namen));
            pagina(&p, StatusCode::OK)
        }
        Err(AppError::Validatie { fouten, detail }) => {
            p.problemen = zoekproblemen(fouten, detail);
            pagina(&p, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::Geweigerd(w) | AppError::GeweigerdBij { weigering: w, .. })
            if w.toelichting_vereist =>
        {
            // The decision's own reason speaks to API clients (it names the
            // `X-Audit-Toelichting` header); a person at this form fills in a field.
            p.problemen = vec![Probleem {
                veld: "reden".into(),
                id: veld_id("reden"),
                tekst: REDEN_VEREIST.into(),
            }];
            pagina(&p, StatusCode::FORBIDDEN)
        }
        Err(e) => Err(Fout(e)),
    }
}
