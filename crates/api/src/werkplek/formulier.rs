//! A posted form, checked against the session's CSRF token before anything else is read.

use super::{Fout, Sessie};
use crate::problem::AppError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use std::future::Future;
use std::pin::Pin;

/// The largest form body (1 MiB: a zorgmelding's texts).
pub const MAX_BODY: usize = 1024 * 1024;
/// The hidden field every form carries.
pub const CSRF_VELD: &str = "_csrf";

/// An `application/x-www-form-urlencoded` POST of a signed-in user, as a handler argument:
/// the session (`Sessie`) and the fields. Refused with 403 when `_csrf` is missing or is
/// not the session's token (a forged cross-site post), before the handler runs.
#[derive(Debug, Clone)]
pub struct Formulier {
    pub sessie: Sessie,
    pub velden: Vec<(String, String)>,
}

impl Formulier {
    /// The value of `naam`, trimmed; `None` when absent or empty.
    pub fn waarde(&self, naam: &str) -> Option<String> {
        self.velden
            .iter()
            .find(|(k, _)| k == naam)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// Whether the form sent field `naam` at all (also empty): which form a post came from.
    pub fn heeft(&self, naam: &str) -> bool {
        self.velden.iter().any(|(k, _)| k == naam)
    }

    /// The version the page showed (hidden field `_versie`) as the write's precondition,
    /// as an API client's `If-Match: "v"` (RFC 9110 §13.1.1); no version, no precondition.
    /// A version that is no number is a crafted post: a 422 at `_versie`, never a write
    /// without its precondition (the outside test of 2 Dec 2026: `_versie=abc` was saved
    /// unconditionally).
    pub fn voorwaarde(&self) -> Result<ketenregie_common::IfMatch, Fout> {
        match self.waarde("_versie") {
            None => Ok(ketenregie_common::IfMatch::default()),
            Some(v) => v
                .parse()
                .map(ketenregie_common::IfMatch::versie)
                .map_err(|_| {
                    Fout(AppError::ongeldig(
                        "_versie",
                        "type",
                        "De versie van dit formulier is onleesbaar; open de pagina opnieuw. Er is niets gewijzigd.",
                    ))
                }),
        }
    }

    /// `ja` / `nee` as a boolean; anything else is `None`.
    pub fn ja_nee(&self, naam: &str) -> Option<bool> {
        match self.waarde(naam).as_deref() {
            Some("ja") => Some(true),
            Some("nee") => Some(false),
            _ => None,
        }
    }
}

/// Read the body and check the token against the session.
pub async fn lees(req: &HttpRequest, mut payload: Payload) -> Result<Formulier, Fout> {
    let sessie = Sessie::extract(req).await?;
    let mut body = web::BytesMut::new();
    while let Some(deel) = payload.next().await {
        let deel = deel.map_err(|e| {
            Fout(AppError::ongeldig(
                "body",
                "onleesbaar",
                format!("Het formulier kwam niet goed aan: {e}"),
            ))
        })?;
        if body.len() + deel.len() > MAX_BODY {
            return Err(Fout(AppError::TeGroot(format!(
                "Het formulier is groter dan {MAX_BODY} bytes"
            ))));
        }
        body.extend_from_slice(&deel);
    }
    let velden: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| {
        Fout(AppError::ongeldig(
            "body",
            "formulier",
            "Het formulier is onleesbaar",
        ))
    })?;
    let token = velden
        .iter()
        .find(|(k, _)| k == CSRF_VELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if !super::sessie::gelijk(token, &sessie.csrf) {
        return Err(Fout(AppError::GeenToegang(
            "Dit formulier is verlopen of komt niet van de werkplek (CSRF-token ontbreekt of klopt niet); open de pagina opnieuw".into(),
        )));
    }
    dubbel(&velden)?;
    Ok(Formulier { sessie, velden })
}

/// No werkplek form sends a field twice (each has one input, or one radio group, per
/// name): a field given twice (`verplicht=ja&verplicht=nee`) is a crafted post whose
/// meaning is ambiguous, refused with a 422 before anything is read, rather than one of
/// the values silently winning (the outside test of 2 Dec 2026). Fields a form does not
/// have are ignored, as a browser's extra fields are: no handler reads them.
fn dubbel(velden: &[(String, String)]) -> Result<(), Fout> {
    let mut gezien = std::collections::HashSet::new();
    if velden.iter().any(|(k, _)| !gezien.insert(k.as_str())) {
        return Err(Fout(AppError::ongeldig(
            "body",
            "dubbel",
            "Het formulier noemt een veld twee keer; open de pagina opnieuw en verstuur het formulier zoals getoond. Er is niets gewijzigd.",
        )));
    }
    Ok(())
}

/// The fields of an anonymous post (the sign-in page: no session yet), with the same
/// check that none is given twice.
pub fn zonder_dubbel(velden: Vec<(String, String)>) -> Result<Vec<(String, String)>, Fout> {
    dubbel(&velden)?;
    Ok(velden)
}

impl FromRequest for Formulier {
    type Error = Fout;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Fout>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move { lees(&req, payload).await })
    }
}
