//! Signing in and out. In development mode the sign-in page lists the demo roles
//! (`dev_token::DEMO_ROLLEN`, the same `ketenregie demo` prints tokens for): choosing one
//! starts a session whose actor has that organisation and role, the same fields a
//! development token gives the API. In production the werkplek signs in through the
//! organisation's OpenID Connect provider; until that is configured the page says so.

use super::sessie::{self, AANMELD_COOKIE, SESSIE_COOKIE};
use super::{Fout, Kader, Sessie};
use crate::dev_token::DEMO_ROLLEN;
use crate::problem::AppError;
use crate::routes::demo_klok::Ontwikkeling;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use ketenregie_common::{Actor, Rol};
use ketenregie_store::DbPool;
use std::collections::HashMap;
use std::str::FromStr;

/// A demo role on the sign-in page.
#[derive(Debug)]
pub struct DemoRol {
    pub label: &'static str,
    pub organisatie: &'static str,
    pub rol: &'static str,
}

#[derive(Template)]
#[template(path = "werkplek/aanmelden.html")]
struct Aanmeldpagina {
    kader: Kader,
    ontwikkeling: bool,
    rollen: Vec<DemoRol>,
    token: String,
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

/// `GET /werkplek/aanmelden`.
pub async fn pagina(req: HttpRequest) -> Result<HttpResponse, Fout> {
    let ontw = ontwikkeling(&req);
    let token = sessie::willekeurig();
    let t = Aanmeldpagina {
        kader: Kader::anoniem("Aanmelden"),
        ontwikkeling: ontw,
        rollen: DEMO_ROLLEN
            .iter()
            .map(|(label, organisatie, rol)| DemoRol {
                label,
                organisatie,
                rol,
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
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, Fout> {
    if !ontwikkeling(&req) {
        return Err(Fout(AppError::NietGevonden(
            "Aanmelden met een demorol kan alleen in ontwikkelmodus".into(),
        )));
    }
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
            Fout(AppError::ongeldig(
                "rol",
                "enum",
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
    let id = sessie::maak(&pool, actor).await?;
    let veilig = sessie::veilig(&req);
    let mut res = super::naar("/werkplek/");
    zet(&mut res, &sessie::cookie(SESSIE_COOKIE, &id, veilig))?;
    zet(&mut res, &sessie::weg(AANMELD_COOKIE, veilig))?;
    Ok(res)
}

/// `POST /werkplek/afmelden`: end the session on every instance.
pub async fn meld_af(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    form: super::formulier::Formulier,
) -> Result<HttpResponse, Fout> {
    if let Some(c) = sessie::lees_cookie(&req, SESSIE_COOKIE) {
        sessie::verwijder(&pool, &c).await?;
    }
    let mut res = super::naar("/werkplek/aanmelden");
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
