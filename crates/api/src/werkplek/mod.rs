//! De werkplek: the web console for the pilot's people at `/werkplek/` (issue 16), in the
//! same binary as the API and on the same use cases.
//!
//! Server-rendered HTML from compile-time checked askama templates
//! (`crates/api/templates/werkplek/`), styled with the NL Design System (the Utrecht
//! community component CSS and design tokens, vendored in `crates/api/assets/nlds/` by
//! `scripts/vendor-nlds.sh` and embedded in the binary), working without JavaScript.
//!
//! The console is a module of `api`, not a crate of its own: its handlers need exactly
//! what the API handlers use (the transaction helper `verwerking::tx` that records
//! refusals, the processing context, the error kinds), and a crate beside `api` would
//! have to depend on `api` while `api` wires it in. Like an API handler, each page parses
//! its input, calls the domain use case (`ketenregie_referral`, `ketenregie_case`,
//! `ketenregie_feedback`) inside `verwerking::tx` with the actor from the session and
//! renders the answer; it holds no domain rule. So a page goes through the same policy
//! decision and writes the same audit and processing-log rows as the API call.
//!
//! Safe by construction:
//! - sessions in the database with idle and absolute time-outs, an `HttpOnly`,
//!   `SameSite=Strict` (and `Secure`) cookie, a CSRF token on every form (`sessie`,
//!   `formulier`);
//! - every response: `Content-Security-Policy` without `unsafe-inline` (no script at all,
//!   styles only from the werkplek's own path), `Cache-Control: no-store` on every page;
//! - no personal data in any URL: searches are POSTs, pages are addressed by random ids.
//!
//! Which role sees which screen is navigation only (`SCHERMEN`); the use case decides
//! every access again, exactly as for the API.

pub mod aanmelden;
pub mod bdi;
pub mod beheer;
pub mod briefing;
pub mod cijfers;
pub mod dashboard;
pub mod formulier;
pub mod inzage;
pub mod meldingen;
pub mod namen;
pub mod oidc;
pub mod overdrachten;
pub mod sessie;
pub mod statisch;
pub mod verantwoording;
pub mod verstrekkingen;
pub mod weigeringen;

use crate::problem::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpResponse, ResponseError, web};
use askama::Template;
use ketenregie_common::Rol;
use ketenregie_referral::toegang::INDIENERS;
pub use sessie::Sessie;

/// Where the werkplek lives.
pub const PREFIX: &str = "/werkplek";
/// The client application recorded in the audit trail for what the werkplek does.
pub const APPLICATIE: &str = "ketenregie-werkplek";
/// The Content-Security-Policy of every werkplek response: nothing but the werkplek's own
/// style sheets and images; no script, no inline style, forms only to itself, never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A screen of the werkplek and the roles it is meant for.
#[derive(Debug)]
pub struct Scherm {
    pub pad: &'static str,
    pub label: &'static str,
    pub rollen: &'static [Rol],
}

pub const NIEUWE_MELDING: Scherm = Scherm {
    pad: "/werkplek/meldingen/nieuw",
    label: "Nieuwe zorgmelding",
    rollen: INDIENERS,
};
pub const UITGAAND: Scherm = Scherm {
    pad: "/werkplek/uitgaand",
    label: "Mijn meldingen",
    rollen: INDIENERS,
};
pub const KWALITEIT: Scherm = Scherm {
    pad: "/werkplek/kwaliteitscontrole",
    label: "Kwaliteitscontrole",
    rollen: &[Rol::Kwaliteitscontroleur],
};
pub const INBOX: Scherm = Scherm {
    pad: "/werkplek/inbox",
    label: "Inbox",
    rollen: &[
        Rol::Triagist,
        Rol::Onderzoeker,
        Rol::Gezinsvoogd,
        Rol::Wijkteammedewerker,
    ],
};
pub const BRIEFING: Scherm = Scherm {
    pad: "/werkplek/briefing",
    label: "Briefing",
    rollen: &[
        Rol::Noodhulp,
        Rol::Wijkagent,
        Rol::Jeugdcoordinator,
        Rol::OfficierVanJustitie,
    ],
};

pub const CIJFERS: Scherm = Scherm {
    pad: "/werkplek/cijfers",
    label: "Terugkoppeling in cijfers",
    rollen: &[Rol::FunctioneelBeheerder, Rol::Privacyfunctionaris],
};

pub use beheer::{BEHEER, CONVENANTEN};
pub use dashboard::DASHBOARD;
pub use inzage::INZAGE;
pub use overdrachten::{OVERDRACHTEN, VERSCHULDIGD};
pub use verantwoording::VERANTWOORDING;
pub use verstrekkingen::VERSTREKKINGEN;
pub use weigeringen::WEIGERINGEN;

/// Every screen, in menu order.
pub const SCHERMEN: &[&Scherm] = &[
    &NIEUWE_MELDING,
    &UITGAAND,
    &KWALITEIT,
    &INBOX,
    &OVERDRACHTEN,
    &VERSCHULDIGD,
    &BRIEFING,
    &CIJFERS,
    &BEHEER,
    &CONVENANTEN,
    &VERANTWOORDING,
    &WEIGERINGEN,
    &VERSTREKKINGEN,
    &INZAGE,
    &DASHBOARD,
];

/// One menu item.
#[derive(Debug, Clone)]
pub struct Menu {
    pub pad: &'static str,
    pub label: &'static str,
    pub actief: bool,
}

/// Who is signed in, for the page header.
#[derive(Debug, Clone)]
pub struct Gebruiker {
    pub naam: String,
    pub organisatie: String,
    pub rollen: String,
}

/// What the base layout needs: the title, the user, the session's CSRF token for the
/// sign-out form and the menu.
#[derive(Debug, Clone)]
pub struct Kader {
    pub titel: String,
    pub gebruiker: Option<Gebruiker>,
    pub csrf: String,
    pub menu: Vec<Menu>,
}

impl Kader {
    /// The layout for a signed-in user on the screen at `actief`.
    pub fn voor(s: &Sessie, titel: impl Into<String>, actief: &str) -> Self {
        Kader {
            titel: titel.into(),
            gebruiker: Some(Gebruiker {
                naam: s.actor.weergavenaam.clone(),
                organisatie: s.organisatienaam.clone(),
                rollen: s
                    .actor
                    .rollen
                    .iter()
                    // As a word, as the sign-in page shows it ("functioneel beheerder").
                    .map(|r| crate::werkplek::namen::als_woorden(r.as_ref()))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
            csrf: s.csrf.clone(),
            menu: SCHERMEN
                .iter()
                .filter(|m| s.heeft_een(m.rollen))
                .map(|m| Menu {
                    pad: m.pad,
                    label: m.label,
                    actief: m.pad == actief,
                })
                .collect(),
        }
    }

    /// The layout without a user (sign-in, errors before sign-in).
    pub fn anoniem(titel: impl Into<String>) -> Self {
        Kader {
            titel: titel.into(),
            gebruiker: None,
            csrf: String::new(),
            menu: vec![],
        }
    }
}

/// A field's problem, shown at the field and in the summary above the form.
#[derive(Debug, Clone)]
pub struct Probleem {
    /// The field's name (the API's JSON path, e.g. `kinderen[0].bsn`).
    pub veld: String,
    /// The field's element id.
    pub id: String,
    pub tekst: String,
}

/// The text of the problem at field `veld`, if any: what a form template shows beside the
/// field (each page's `fout_bij`).
pub fn probleem_bij(problemen: &[Probleem], veld: &str) -> Option<String> {
    problemen
        .iter()
        .find(|p| p.veld == veld)
        .map(|p| p.tekst.clone())
}

/// A use case's reason in the words of the page that asked (WCAG 2.1 SC 3.3.1, 3.3.3: a
/// problem named as the person reads the form): every name in backticks is replaced by
/// the page's word for it in `woorden` (a field's label, a state's Dutch name); a name
/// the page has no word for loses its backticks. A reason that opens with a field's name
/// (`` `achternaam` is verplicht``) thus reads "Achternaam is verplicht".
pub fn in_woorden(reden: &str, woorden: &[(&str, &str)]) -> String {
    hoofdletter(&vervang(reden, woorden))
}

/// A refusal's explanation for a person: each named problem's reason in the page's words
/// (behind its field's label from `woorden`, unless the reason opens with the field's
/// name), or, when the problem names no field, its `detail` in words. Never the API's
/// summary ("2 velden zijn ongeldig; zie invalidParams": the outside test of 2 Dec 2026).
pub fn uitleg(p: &crate::problem::Problem, woorden: &[(&str, &str)]) -> String {
    if p.invalid_params.is_empty() {
        return if p.detail.is_empty() {
            p.title.clone()
        } else {
            in_woorden(&p.detail, woorden)
        };
    }
    p.invalid_params
        .iter()
        .map(|f| {
            let label = woorden
                .iter()
                .find(|(n, _)| *n == f.name)
                .filter(|_| !f.reason.starts_with('`'))
                .map(|(_, l)| format!("{l}: "))
                .unwrap_or_default();
            let reden = in_woorden(&f.reason, woorden);
            let reden = if reden.ends_with('.') {
                reden
            } else {
                reden + "."
            };
            format!("{label}{reden}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `in_woorden` without the capital: for a reason behind a label. A rule's name in front
/// (`OVERDRACHT_AAN_EEN_ANDER: ...`, for the audit trail and API clients) is left out.
fn vervang(reden: &str, woorden: &[(&str, &str)]) -> String {
    let reden = match reden.split_once(": ") {
        Some((regel, rest)) if is_regelnaam(regel) => rest,
        _ => reden,
    };
    let reden = &datums_als_nl(reden);
    // The page's word for a field or state; any other code as words (`coordinatie`
    // reads "coördinatie").
    namen::per_code(&zonder_regelnamen(reden), |code| {
        match woorden.iter().find(|(naam, _)| *naam == code) {
            Some((_, w)) => (*w).to_string(),
            None => namen::als_woorden(code),
        }
    })
}

/// `WERKPLEK_DATUM_DD_MM_JJJJ`: the werkplek shows dates as `dd-mm-jjjj` (README
/// "Werkplek"), also inside the reasons the use cases give in the API's ISO 8601 (a birth
/// date "ligt van 1900-01-01 tot en met vandaag": hc finding M2). Every problem text a
/// werkplek page shows passes `vervang` (or, on the melding form, `meldingen::invullen`),
/// which apply this.
pub const WERKPLEK_DATUM_DD_MM_JJJJ: &str = "WERKPLEK_DATUM_DD_MM_JJJJ";

/// `tekst` with every stand-alone ISO date `JJJJ-MM-DD` (a real date, not part of a longer
/// run of digits, dashes or a date-time) written `dd-mm-jjjj`
/// (`WERKPLEK_DATUM_DD_MM_JJJJ`). The format name "JJJJ-MM-DD" itself is no date and stays.
pub fn datums_als_nl(tekst: &str) -> String {
    let b = tekst.as_bytes();
    let mut uit = String::with_capacity(tekst.len());
    let mut i = 0;
    while i < b.len() {
        let past = i + 10 <= b.len()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-'))
            && (i + 10 == b.len()
                || !(b[i + 10].is_ascii_alphanumeric() || b[i + 10] == b'-' || b[i + 10] == b':'));
        if past
            && let Some(d) = tekst
                .get(i..i + 10)
                .filter(|s| s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-')
                .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            uit.push_str(&d.format("%d-%m-%Y").to_string());
            i += 10;
            continue;
        }
        let c = tekst[i..].chars().next().expect("inside the text");
        uit.push(c);
        i += c.len_utf8();
    }
    uit
}

/// Whether `s` is a rule's name as the code and the audit trail write it
/// (`ALLEEN_AFZENDER_ANNULEERT`): capitals and underscores.
fn is_regelnaam(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

/// A reason without the rule names an API answer carries for clients and the audit trail
/// (`" (regel ALLEEN_AFZENDER_ANNULEERT)"`, `"; regel X"`): a person at the werkplek reads
/// what the rule says, not its name (the outside test of 1 Dec 2026).
pub fn zonder_regelnamen(tekst: &str) -> String {
    let mut uit = tekst.to_string();
    while let Some(i) = uit.find("(regel ") {
        let rest = &uit[i + 7..];
        let Some(eind) = rest.find(')') else { break };
        if !is_regelnaam(&rest[..eind]) {
            break;
        }
        let begin = if uit[..i].ends_with(' ') { i - 1 } else { i };
        uit.replace_range(begin..i + 7 + eind + 1, "");
    }
    uit
}

/// `s` with its first letter a capital (a reason that starts a sentence on the page).
pub fn hoofdletter(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(eerste) => eerste.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The problems of a refused form, each at its field and in the page's words: `velden`
/// maps a use case's field name to the page's field (its `name`, whose element id is
/// `veld_id(name)`) and label; `woorden` gives the page's words for other names a reason
/// may quote (a state's Dutch name). A missing value reads "Achternaam is verplicht"; a
/// reason that opens with its field's name reads with the label instead ("Geboortedatum
/// is geen datum JJJJ-MM-DD"); any other gets the label in front ("Reden: ..."). A
/// problem on a field the page does not have is put at `standaard` (the form's first
/// field), its reason in the page's words.
pub fn problemen_in_woorden(
    fouten: Vec<ketenregie_common::InvalidParam>,
    velden: &[(&str, &str, &str)],
    woorden: &[(&str, &str)],
    standaard: &str,
) -> Vec<Probleem> {
    let woorden: Vec<(&str, &str)> = velden
        .iter()
        .map(|(api, _, label)| (*api, *label))
        .chain(woorden.iter().copied())
        .collect();
    fouten
        .into_iter()
        .map(|f| {
            let eigen = velden.iter().find(|(api, _, _)| *api == f.name);
            let opent_met_naam = f.reason.starts_with(&format!("`{}`", f.name));
            let tekst = match eigen {
                Some((_, _, label)) if f.code == "required" => format!("{label} is verplicht"),
                // An organisation code that names no registered organisation: the page
                // offers the registered ones.
                Some((_, _, label)) if f.code == ketenregie_common::regelcode::GEREGISTREERD => {
                    format!("{label}: kies een organisatie uit de lijst")
                }
                Some((_, _, label)) if !opent_met_naam => {
                    format!("{label}: {}", vervang(&f.reason, &woorden))
                }
                _ => in_woorden(&f.reason, &woorden),
            };
            let veld = eigen.map_or(standaard, |(_, veld, _)| *veld).to_string();
            Probleem {
                id: veld_id(&veld),
                veld,
                tekst,
            }
        })
        .collect()
}

/// The element id for a field name: letters, digits and dashes only.
pub fn veld_id(naam: &str) -> String {
    let mut id = String::from("veld-");
    for c in naam.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id.trim_end_matches('-').to_string()
}

/// Render a template as a page: HTML, with the werkplek's headers (`koppen`).
pub fn pagina(t: &impl Template, status: StatusCode) -> Result<HttpResponse, Fout> {
    let html = t
        .render()
        .map_err(|e| Fout(AppError::intern(format!("template: {e}"))))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// A redirect after a successful POST (303 See Other: the browser GETs the new page).
pub fn naar(pad: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, pad))
        .finish()
}

#[derive(Template)]
#[template(path = "werkplek/fout.html")]
struct Foutpagina {
    kader: Kader,
    status: u16,
    uitleg: String,
}

/// An error of a werkplek page, answered as an HTML page with the error's status (401:
/// a redirect to the sign-in page). The detail is the same Dutch text the API gives.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Fout(pub AppError);

impl From<AppError> for Fout {
    fn from(e: AppError) -> Self {
        Fout(e)
    }
}

impl From<ketenregie_common::Fout> for Fout {
    fn from(e: ketenregie_common::Fout) -> Self {
        Fout(AppError::from(e))
    }
}

impl Fout {
    /// 403: this screen is not for the user's roles.
    pub fn niet_voor_rol(scherm: &Scherm) -> Self {
        Fout(AppError::GeenToegang(format!(
            "Het scherm \"{}\" is voor: {}",
            scherm.label,
            scherm
                .rollen
                .iter()
                .map(|r| namen::als_woorden(r.as_ref()))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}

impl ResponseError for Fout {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::UNAUTHORIZED {
            return naar("/werkplek/aanmelden");
        }
        let p = self.0.problem();
        let uitleg = uitleg(&p, &[]);
        let t = Foutpagina {
            kader: Kader::anoniem(p.title),
            status: status.as_u16(),
            uitleg,
        };
        match t.render() {
            Ok(html) => HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(html),
            Err(_) => HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body("Er ging iets mis"),
        }
    }
}

/// The werkplek's headers on every response: the CSP unless the page set a policy of its
/// own (only the printable inzage report, whose policy allows its one style block by hash
/// and nothing else), and `Cache-Control: no-store` unless the response set its own (the
/// static assets).
async fn koppen(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut res = next.call(req).await?.map_into_boxed_body();
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // A rate limit or quota (`limieten`, answered as problem+json for the API) is shown
    // as a werkplek page, with its `Retry-After`.
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() == StatusCode::TOO_MANY_REQUESTS && !html {
        let wacht = res
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let pagina = te_veel(wacht);
        let (req, oud) = res.into_parts();
        let mut nieuw = pagina;
        for (k, v) in oud.headers() {
            if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                nieuw.headers_mut().insert(k.clone(), v.clone());
            }
        }
        res = ServiceResponse::new(req, nieuw);
    }
    Ok(res)
}

/// The page for 429: how long to wait, in words.
fn te_veel(wacht: Option<u64>) -> HttpResponse {
    let wanneer = match wacht {
        Some(s) if s < 120 => format!("over {s} seconden"),
        Some(s) if s < 7200 => format!("over {} minuten", s.div_ceil(60)),
        Some(s) => format!("over {} uur", s.div_ceil(3600)),
        None => "straks".into(),
    };
    let t = Foutpagina {
        kader: Kader::anoniem("Even wachten"),
        status: 429,
        uitleg: format!(
            "U heeft in korte tijd te veel gevraagd, of uw maximum voor vandaag is bereikt. Probeer het {wanneer} opnieuw."
        ),
    };
    match t.render() {
        Ok(html) => HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(_) => HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
            .content_type("text/plain; charset=utf-8")
            .body("Te veel verzoeken"),
    }
}

/// Resolve the session once per request (not for the style sheets): the `Sessie`
/// extractor then reads it from the request, and the actor is recorded for the per-user
/// rate limit and the briefing quota (`limieten::per_gebruiker`, `limieten::quotum_briefing`),
/// the same limits as the API's.
///
/// A screen (`SCHERMEN`, its page and the posts under its path) that is not for the
/// user's roles is refused here with 403, and the refusal is written to the audit trail
/// of the user's organisation as the API writes a role refusal (`verwerking::tx`: rule
/// `GEEN_TOEGANG`, the request's trace id), object `werkplek-scherm` with the screen's
/// path. The handlers check the role again (`meldingen::mag`).
async fn aanroeper(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !req.path().starts_with("/werkplek/statisch/") {
        use actix_web::FromRequest;
        if let Ok(s) = Sessie::extract(req.request()).await {
            crate::auth::zet_actor(req.request(), s.actor.clone());
            if let Some(scherm) = scherm_van(req.path())
                && !s.heeft_een(scherm.rollen)
            {
                let fout = match weigering_vastleggen(&req, &s, scherm).await {
                    Ok(()) => Fout::niet_voor_rol(scherm),
                    Err(e) => Fout(e),
                };
                return Ok(req.into_response(fout.error_response()));
            }
        }
    }
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// The screen a path belongs to: its own path, or a path under it.
pub fn scherm_van(pad: &str) -> Option<&'static Scherm> {
    SCHERMEN.iter().copied().find(|s| {
        pad == s.pad
            || pad
                .strip_prefix(s.pad)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('.'))
    })
}

/// The audit object of a screen refused to a user: in the user's organisation's trail.
pub fn scherm_object(s: &Sessie, scherm: &Scherm) -> ketenregie_privacy::logboek::Object {
    ketenregie_privacy::logboek::Object {
        soort: "werkplek-scherm",
        id: scherm.pad.to_string(),
        eigenaar: s.actor.organisatie.clone(),
    }
}

/// Write the refusal of `scherm` to `s`'s user in its own transaction.
async fn weigering_vastleggen(
    req: &ServiceRequest,
    s: &Sessie,
    scherm: &'static Scherm,
) -> Result<(), AppError> {
    let ctx = crate::verwerking::context(req.request(), s.actor.clone(), None, false)?;
    let pool = req
        .app_data::<web::Data<ketenregie_store::DbPool>>()
        .cloned()
        .ok_or_else(|| AppError::intern("pool missing"))?;
    let actie = if req.method() == actix_web::http::Method::GET {
        "lezen"
    } else {
        "wijzigen"
    };
    let object = scherm_object(s, scherm);
    let w = ketenregie_privacy::Weigering {
        regel: "GEEN_TOEGANG",
        reden: match Fout::niet_voor_rol(scherm).0 {
            AppError::GeenToegang(d) => d,
            _ => String::new(),
        },
        toelichting_vereist: false,
    };
    crate::db::tx(&pool, move |c| {
        ketenregie_privacy::logboek::weigering(c, &ctx, actie, object, &w)
            .map_err(|e| AppError::from(ketenregie_common::Fout::from(e)))
    })
    .await
}

/// The werkplek's routes, under `PREFIX`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(PREFIX)
            .wrap(from_fn(crate::limieten::per_gebruiker))
            .wrap(from_fn(aanroeper))
            .wrap(from_fn(koppen))
            .app_data(web::FormConfig::default().limit(formulier::MAX_BODY))
            .app_data(web::PathConfig::default().error_handler(pad_onleesbaar))
            .route("", web::get().to(aanmelden::start))
            .route("/", web::get().to(aanmelden::start))
            .route("/statisch/{naam}", web::get().to(statisch::bestand))
            .route("/aanmelden", web::get().to(aanmelden::pagina))
            .route("/aanmelden", web::post().to(aanmelden::meld_aan))
            .route("/aanmelden/oidc", web::get().to(aanmelden::begin_oidc))
            .route("/aanmelden/terug", web::get().to(aanmelden::terug))
            .route("/afmelden", web::post().to(aanmelden::meld_af))
            .route("/meldingen/nieuw", web::get().to(meldingen::nieuw))
            .route("/meldingen", web::post().to(meldingen::bewaar_nieuw))
            .route("/meldingen/{id}", web::get().to(meldingen::detail))
            .route("/meldingen/{id}/bewerken", web::get().to(meldingen::bewerk))
            .route("/meldingen/{id}", web::post().to(meldingen::bewaar))
            .route(
                "/meldingen/{id}/indienen",
                web::post().to(meldingen::indienen),
            )
            .route(
                "/meldingen/{id}/kwaliteit",
                web::post().to(meldingen::kwaliteit),
            )
            .route(
                "/meldingen/{id}/verwijderen",
                web::get().to(meldingen::verwijder_vraag),
            )
            .route(
                "/meldingen/{id}/verwijderen",
                web::post().to(meldingen::verwijder),
            )
            .route("/meldingen/{id}/stap", web::post().to(meldingen::stap))
            .route(
                "/meldingen/{id}/overdracht",
                web::post().to(meldingen::overdracht),
            )
            .route(
                "/meldingen/{id}/terugkoppeling",
                web::post().to(meldingen::terugkoppeling),
            )
            .route("/uitgaand", web::get().to(meldingen::uitgaand))
            .route("/inbox", web::get().to(meldingen::inbox))
            .route("/overdrachten", web::get().to(overdrachten::overdrachten))
            .route("/terugkoppeling", web::get().to(overdrachten::verschuldigd))
            .route(
                "/kwaliteitscontrole",
                web::get().to(meldingen::kwaliteitswachtrij),
            )
            .route("/beheer", web::get().to(beheer::beheer))
            .route(
                "/beheer/kwaliteitscontrole",
                web::post().to(beheer::kwaliteitscontrole),
            )
            .route("/contactpunten/{id}", web::post().to(beheer::contactpunt))
            .route("/convenanten", web::get().to(beheer::convenanten))
            .route(
                "/convenanten/{id}/ondertekenen",
                web::post().to(beheer::onderteken),
            )
            .route(
                "/convenanten/{id}/versies",
                web::post().to(beheer::nieuwe_versie),
            )
            .route("/cijfers", web::get().to(cijfers::pagina))
            .route("/cijfers.csv", web::get().to(cijfers::csv))
            .route("/verantwoording", web::get().to(verantwoording::pagina_get))
            .route("/verantwoording", web::post().to(verantwoording::zoek))
            .route("/weigeringen", web::get().to(weigeringen::pagina_get))
            .route("/weigeringen", web::post().to(weigeringen::zoek))
            .route("/verstrekkingen", web::get().to(verstrekkingen::pagina_get))
            .route("/verstrekkingen", web::post().to(verstrekkingen::zoek))
            .route("/inzage", web::get().to(inzage::formulier))
            .route("/inzage", web::post().to(inzage::zoek))
            .route("/dashboard", web::get().to(dashboard::pagina))
            .route("/dashboard.csv", web::get().to(dashboard::csv))
            .service(
                web::resource("/briefing")
                    .wrap(from_fn(crate::limieten::quotum_briefing))
                    .route(web::get().to(briefing::formulier))
                    .route(web::post().to(briefing::zoek)),
            )
            .default_service(web::to(niet_gevonden)),
    );
}

/// A page's id that is no UUID in its hyphenated form (`UUID_CANONIEK`): the page does
/// not exist, answered as the werkplek's own 404 page in Dutch, not as the API's
/// problem+json naming a parameter (pages speak to people; outside test of 3 Dec 2026,
/// round four).
fn pad_onleesbaar(
    _err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    Fout(AppError::NietGevonden(
        "Deze pagina bestaat niet; controleer het adres".into(),
    ))
    .into()
}

async fn niet_gevonden() -> Result<HttpResponse, Fout> {
    Err(Fout(AppError::NietGevonden(
        "Deze pagina bestaat niet in de werkplek".into(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WERKPLEK_DATUM_DD_MM_JJJJ (hc finding M2): ISO dates in a reason read dd-mm-jjjj;
    /// a date-time, a format name and a longer code stay as they are.
    #[test]
    fn datums_in_redenen_als_dd_mm_jjjj() {
        assert_eq!(
            in_woorden(
                "`geboortedatum` ligt in de toekomst; een geboortedatum ligt van 1900-01-01 tot en met vandaag",
                &[("geboortedatum", "Geboortedatum")]
            ),
            "Geboortedatum ligt in de toekomst; een geboortedatum ligt van 01-01-1900 tot en met vandaag"
        );
        assert_eq!(
            datums_als_nl("van 2026-12-02 tot en met 2046-12-02."),
            "van 02-12-2026 tot en met 02-12-2046."
        );
        for blijft in [
            "geen datum JJJJ-MM-DD",
            "om 2026-12-02T10:00:00Z",
            "code 12026-12-02",
            "2026-13-40",
            "x-2026-12-02",
        ] {
            assert_eq!(datums_als_nl(blijft), blijft);
        }
    }

    /// A rule's name is for clients and the audit trail; the page says what the rule says.
    #[test]
    fn regelnamen_niet_op_de_pagina() {
        assert_eq!(
            zonder_regelnamen("Alleen de afzender annuleert (regel ALLEEN_AFZENDER_ANNULEERT)"),
            "Alleen de afzender annuleert"
        );
        assert_eq!(
            in_woorden(
                "OVERDRACHT_BINNEN_CONVENANT: geen convenant (regel X_Y) hier",
                &[]
            ),
            "Geen convenant hier"
        );
        // A parenthesis that is no rule's name stays.
        assert_eq!(
            zonder_regelnamen("zie (regel 3, kolom 4)"),
            "zie (regel 3, kolom 4)"
        );
    }
}
