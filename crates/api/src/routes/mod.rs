//! The HTTP routes, one module per resource.

pub mod abonnementen;
pub mod berichten;
pub mod betrokkenheden;
pub mod bewaartermijnen;
pub mod briefings;
pub mod contactpunten;
pub mod convenanten;
pub mod demo_klok;
pub mod dode_berichten;
pub mod eigen_verklaringen;
pub mod gezinnen;
pub mod gezondheid;
pub mod incidenten;
pub mod organisaties;
pub mod personen;
pub mod quotumoverschrijdingen;
pub mod rapportages;
pub mod sluitingsdagen;
pub mod terugkoppelingen;
pub mod verwerkingen;
pub mod zorgmeldingen;

use crate::problem::AppError;
use actix_web::HttpRequest;
use actix_web::http::header;

/// The version expected by `If-Match: "<versie>"`, if the header is present.
pub fn if_match_versie(req: &HttpRequest) -> Result<Option<i64>, AppError> {
    let Some(v) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or("").trim();
    let s = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
    s.parse().map(Some).map_err(|_| {
        AppError::ongeldig(
            "If-Match",
            "pattern",
            "If-Match moet de ETag uit een eerdere GET zijn, zoals \"3\"",
        )
    })
}

/// The ETag of a versioned object.
pub fn etag(versie: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{versie}\""))
}
