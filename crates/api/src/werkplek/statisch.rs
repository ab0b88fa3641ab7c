//! The werkplek's style sheets, embedded in the binary (so `cargo run` needs no Node): the
//! vendored NL Design System files (`assets/nlds/`, refreshed by `scripts/vendor-nlds.sh`)
//! and the werkplek's own few rules (`assets/werkplek.css`).

use super::Fout;
use crate::problem::AppError;
use actix_web::{HttpResponse, web};

/// (name, content type, bytes).
const BESTANDEN: &[(&str, &str, &[u8])] = &[
    (
        "utrecht-tokens.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/nlds/utrecht-tokens.css"),
    ),
    (
        "utrecht-componenten.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/nlds/utrecht-componenten.css"),
    ),
    (
        "werkplek.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/werkplek.css"),
    ),
    (
        "LICENSE-nlds.md",
        "text/markdown; charset=utf-8",
        include_bytes!("../../assets/nlds/LICENSE.md"),
    ),
];

/// `GET /werkplek/statisch/{naam}`: public, cached for a day (no personal data).
pub async fn bestand(naam: web::Path<String>) -> Result<HttpResponse, Fout> {
    let (_, soort, inhoud) = BESTANDEN
        .iter()
        .find(|(n, _, _)| *n == naam.as_str())
        .ok_or_else(|| Fout(AppError::NietGevonden("Onbekend bestand".into())))?;
    Ok(HttpResponse::Ok()
        .content_type(*soort)
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(*inhoud))
}
