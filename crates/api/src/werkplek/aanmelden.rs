//! Signing in and out. In development mode the sign-in page lists the demo roles
//! (`dev_token::DEMO_ROLLEN`, the same `ketenregie demo` prints tokens for): choosing one
//! starts a session whose actor has that organisation and role, the same fields a
//! development token gives the API. With `[oidc]` configured (production) the page sends
//! the user to the organisation's OpenID Connect provider (`oidc`: code flow with PKCE,
//! state and nonce) and the answer starts the session; until it is configured the page
//! says so. Sign-out ends the session in the database and, when the provider offers it,
//! at the provider too (RP-initiated logout).

use super::oidc::{self, Oidc, POGING_COOKIE};
use super::sessie::{self, AANMELD_COOKIE, SESSIE_COOKIE};
use super::{Fout, Kader, Sessie};
use crate::dev_token::DEMO_ROLLEN;
use crate::problem::AppError;
use crate::routes::demo_klok::Ontwikkeling;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_common::{Actor, Rol};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbPool;
use std::collections::HashMap;
use std::str::FromStr;

/// A demo role on the sign-in page.
#[derive(Debug)]
pub struct DemoRol {
    pub label: &'static str,
    /// The organisation's name in the partner register (its code when not registered).
    pub organisatie: String,
    /// The role as a word ("officier van justitie").
    pub rol: String,
}

#[derive(Template)]
#[template(path = "werkplek/aanmelden.html")]
struct Aanmeldpagina {
    kader: Kader,
    ontwikkeling: bool,
    /// The production sign-in is configured.
    oidc: bool,
    rollen: Vec<DemoRol>,
    token: String,
}

/// A page that sends the browser on (`<meta http-equiv="refresh">`, with a link for
/// whoever has refresh switched off).
#[derive(Template)]
#[template(path = "werkplek/doorsturen.html")]
struct Doorsturen {
    kader: Kader,
    uitleg: String,
    naar: String,
    verder: String,
}

#[derive(Template)]
#[template(path = "werkplek/start.html")]
struct Startpagina {
    kader: Kader,
}

fn ontwikkeling(req: &HttpRequest) -> bool {
    req.app_data::<web::Data<Ontwikkeling>>()
        .is_some_and(|o| o.0)
}

/// `GET /werkplek/`: the start page with the user's screens; the sign-in page if there is
/// no session.
pub async fn start(req: HttpRequest) -> Result<HttpResponse, Fout> {
    use actix_web::FromRequest;
    match Sessie::extract(&req).await {
        Ok(s) => super::pagina(
            &Startpagina {
                kader: Kader::voor(&s, "Werkplek", ""),
            },
            StatusCode::OK,
        ),
        Err(_) => Ok(super::naar("/werkplek/aanmelden")),
    }
}

/// `GET /werkplek/aanmelden`. The demo roles' organisations are named as the partner
/// register names them (`namen::Weergavenamen`), a code without a row (the platform
/// organisation, or before `ketenregie demo` ran) as the code.
pub async fn pagina(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    oidc: Option<web::Data<Oidc>>,
) -> Result<HttpResponse, Fout> {
    let ontw = ontwikkeling(&req);
    let token = sessie::willekeurig();
    let namen = if ontw {
        crate::db::run(&pool, |c| {
            super::namen::Weergavenamen::laad(c, DEMO_ROLLEN.iter().map(|(_, o, _)| *o), [])
                .map_err(crate::db::db_fout)
        })
        .await?
    } else {
        Default::default()
    };
    let t = Aanmeldpagina {
        kader: Kader::anoniem("Aanmelden"),
        ontwikkeling: ontw,
        oidc: oidc.is_some(),
        rollen: DEMO_ROLLEN
            .iter()
            .map(|(label, organisatie, rol)| DemoRol {
                label,
                organisatie: namen.organisatie(organisatie),
                rol: crate::werkplek::namen::als_woorden(rol),
            })
            .collect(),
        token: token.clone(),
    };
    let mut res = super::pagina(&t, StatusCode::OK)?;
    zet(
        &mut res,
        &sessie::cookie(AANMELD_COOKIE, &token, sessie::veilig(&req)),
    )?;
    Ok(res)
}

/// `POST /werkplek/aanmelden` (development mode only): start a session as demo role
/// `rol`. The form's `_csrf` must equal the sign-in cookie (login CSRF).
pub async fn meld_aan(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, Fout> {
    if !ontwikkeling(&req) {
        return Err(Fout(AppError::NietGevonden(
            "Aanmelden met een demorol kan alleen in ontwikkelmodus".into(),
        )));
    }
    // A role given twice is no choice (`formulier::dubbel`).
    let form: HashMap<String, String> = super::formulier::zonder_dubbel(form.into_inner())?
        .into_iter()
        .collect();
    let cookie = sessie::lees_cookie(&req, AANMELD_COOKIE);
    let token = form
        .get(super::formulier::CSRF_VELD)
        .cloned()
        .unwrap_or_default();
    if cookie.is_none_or(|c| !sessie::gelijk(&c, token.as_str())) {
        return Err(Fout(AppError::GeenToegang(
            "Het aanmeldformulier is verlopen of komt niet van de werkplek; open de pagina opnieuw"
                .into(),
        )));
    }
    let label = form.get("rol").cloned().unwrap_or_default();
    let (label, organisatie, rol) = DEMO_ROLLEN
        .iter()
        .find(|(l, _, _)| *l == label)
        .ok_or_else(|| {
            // A value the page does not offer: a 422 as for any choice on a werkplek form.
            Fout(AppError::ongeldig(
                "rol",
                "demorol",
                "Kies een van de demorollen",
            ))
        })?;
    let rol = Rol::from_str(rol).map_err(|e| Fout(AppError::intern(e)))?;
    let actor = Actor {
        gebruiker: format!("demo-{label}"),
        weergavenaam: format!("Demo {label}"),
        organisatie: organisatie.to_string(),
        rollen: vec![rol],
        applicatie: super::APPLICATIE.into(),
    };
    crate::auth::toets_rollen_vastgelegd(&req, &actor)
        .await
        .map_err(sessie::aanmeldweigering(sessie::PLATFORMROL_ELDERS))?;
    beeindig_huidige(&req, &pool).await?;
    let ctx = crate::verwerking::context(&req, actor.clone(), None, false)?;
    let id = sessie::maak(&pool, crate::auth::Toegang::van(&req)?, actor, ctx).await?;
    let veilig = sessie::veilig(&req);
    let mut res = super::naar("/werkplek/");
    zet(&mut res, &sessie::cookie(SESSIE_COOKIE, &id, veilig))?;
    zet(&mut res, &sessie::weg(AANMELD_COOKIE, veilig))?;
    Ok(res)
}

/// Signing in again ends the session the browser still holds, on every instance (OWASP
/// Session Management: renew the session at authentication; the tester's fault of
/// 30 Nov 2026: the old cookie stayed valid for its 10 hours beside the new one). Whether
/// there was one.
async fn beeindig_huidige(req: &HttpRequest, pool: &DbPool) -> Result<bool, Fout> {
    match sessie::lees_cookie(req, SESSIE_COOKIE) {
        Some(c) => {
            // The old session's user, when it is still valid, for its `afmelden` row.
            let ctx = match <Sessie as actix_web::FromRequest>::extract(req).await {
                Ok(s) => Some(crate::verwerking::context(req, s.actor, None, false)?),
                Err(_) => None,
            };
            sessie::verwijder(pool, &c, ctx).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

fn versleuteling(req: &HttpRequest) -> Result<web::Data<Versleuteling>, Fout> {
    req.app_data::<web::Data<Versleuteling>>()
        .cloned()
        .ok_or_else(|| Fout(AppError::intern("versleuteling missing")))
}

fn oidc_uit(oidc: Option<web::Data<Oidc>>) -> Result<web::Data<Oidc>, Fout> {
    oidc.ok_or_else(|| {
        Fout(AppError::NietGevonden(
            "Aanmelden via OpenID Connect is voor deze installatie niet ingesteld".into(),
        ))
    })
}

/// `GET /werkplek/aanmelden/oidc`: start the sign-in at the organisation's provider (a
/// link, not a form: the redirect leaves the werkplek, which its CSP's `form-action`
/// would block after a form post).
pub async fn begin_oidc(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    oidc: Option<web::Data<Oidc>>,
) -> Result<HttpResponse, Fout> {
    let oidc = oidc_uit(oidc)?;
    let v = versleuteling(&req)?;
    // The provider's answer arrives without the session cookie (`SameSite=Strict`), so a
    // session still open in this browser ends here, where the new sign-in starts.
    let beeindigd = beeindig_huidige(&req, &pool).await?;
    let (cookie, url) = oidc.begin(&pool, &v).await?;
    let mut res = super::naar(&url);
    if beeindigd {
        zet(&mut res, &sessie::weg(SESSIE_COOKIE, sessie::veilig(&req)))?;
    }
    zet(
        &mut res,
        &format!(
            "{POGING_COOKIE}={cookie}; Path=/werkplek/aanmelden; HttpOnly; SameSite=Lax; Max-Age={}{}",
            oidc::POGING_DUUR.num_seconds(),
            if sessie::veilig(&req) { "; Secure" } else { "" }
        ),
    )?;
    Ok(res)
}

/// `GET /werkplek/aanmelden/terug?code=..&state=..`: the provider's answer. On success a
/// session starts and the browser goes on to the start page by a page of the werkplek's
/// own (the session cookie is `SameSite=Strict`: a redirect straight from the provider's
/// answer would arrive without it).
pub async fn terug(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    oidc: Option<web::Data<Oidc>>,
) -> Result<HttpResponse, Fout> {
    let oidc = oidc_uit(oidc)?;
    let veilig = sessie::veilig(&req);
    let velden: HashMap<String, String> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let weg_poging = format!(
        "{POGING_COOKIE}=; Path=/werkplek/aanmelden; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if veilig { "; Secure" } else { "" }
    );
    let uitkomst = match (velden.get("code"), velden.get("state")) {
        (Some(code), Some(state)) => {
            let v = versleuteling(&req)?;
            oidc.terug(
                &pool,
                &v,
                sessie::lees_cookie(&req, POGING_COOKIE).as_deref(),
                code,
                state,
            )
            .await
        }
        // The provider's error answer (RFC 6749 §4.1.2.1): its code is a fixed word.
        _ => Err(AppError::GeenToegang(format!(
            "De aanmelding is niet gelukt ({}). Meld u opnieuw aan.",
            velden
                .get("error")
                .map(|e| e
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>())
                .unwrap_or_else(|| "geen code".into())
        ))),
    };
    let (actor, tokens) = match uitkomst {
        Ok(u) => u,
        Err(e) => {
            let mut res = actix_web::ResponseError::error_response(&Fout(e));
            zet(&mut res, &weg_poging)?;
            return Ok(res);
        }
    };
    crate::auth::toets_rollen_vastgelegd(&req, &actor)
        .await
        .map_err(sessie::aanmeldweigering(sessie::PLATFORMROL_ELDERS))?;
    let ctx = crate::verwerking::context(&req, actor.clone(), None, false)?;
    let id = sessie::maak_met_tokens(
        &pool,
        crate::auth::Toegang::van(&req)?,
        actor,
        Some(tokens),
        ctx,
    )
    .await?;
    let mut res = super::pagina(
        &Doorsturen {
            kader: Kader::anoniem("Aangemeld"),
            uitleg: "U bent aangemeld.".into(),
            naar: "/werkplek/".into(),
            verder: "Verder naar de werkplek".into(),
        },
        StatusCode::OK,
    )?;
    zet(&mut res, &sessie::cookie(SESSIE_COOKIE, &id, veilig))?;
    zet(&mut res, &weg_poging)?;
    Ok(res)
}

/// `POST /werkplek/afmelden`: end the session on every instance; when the session came
/// from the provider and the provider offers RP-initiated logout, the browser goes on to
/// the provider's sign-out (a page of the werkplek's own with the link: a redirect away
/// after a form post would be blocked by the CSP's `form-action`).
pub async fn meld_af(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    oidc: Option<web::Data<Oidc>>,
    form: super::formulier::Formulier,
) -> Result<HttpResponse, Fout> {
    let mut tokens = None;
    if let Some(c) = sessie::lees_cookie(&req, SESSIE_COOKIE) {
        let ctx = crate::verwerking::context(&req, form.sessie.actor.clone(), None, false)?;
        tokens = sessie::verwijder(&pool, &c, Some(ctx)).await?;
    }
    let bij_provider = match (&oidc, &tokens) {
        (Some(o), Some(_)) => {
            let v = versleuteling(&req)?;
            o.afmeld_url(&v, tokens.as_deref()).await
        }
        _ => None,
    };
    let mut res = match bij_provider {
        Some(url) => super::pagina(
            &Doorsturen {
                kader: Kader::anoniem("Afgemeld"),
                uitleg: "U bent afgemeld bij de werkplek. U wordt nu ook afgemeld bij het aanmeldsysteem van uw organisatie.".into(),
                naar: url,
                verder: "Afmelden bij uw organisatie afronden".into(),
            },
            StatusCode::OK,
        )?,
        None => super::naar("/werkplek/aanmelden"),
    };
    zet(&mut res, &sessie::weg(SESSIE_COOKIE, form.sessie.veilig))?;
    Ok(res)
}

/// Add a `Set-Cookie` header.
fn zet(res: &mut HttpResponse, waarde: &str) -> Result<(), Fout> {
    let v = actix_web::http::header::HeaderValue::from_str(waarde)
        .map_err(|e| Fout(AppError::intern(e)))?;
    res.headers_mut()
        .append(actix_web::http::header::SET_COOKIE, v);
    Ok(())
}
