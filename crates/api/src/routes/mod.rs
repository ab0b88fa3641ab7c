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
pub mod inzage;
pub mod organisaties;
pub mod personen;
pub mod quotumoverschrijdingen;
pub mod rapportages;
pub mod sluitingsdagen;
pub mod tabel;
pub mod terugkoppelingen;
pub mod verwerkingen;
pub mod zorgmeldingen;

use crate::problem::AppError;
use actix_web::HttpRequest;
use actix_web::http::header;
use ketenregie_common::IfMatch;

/// The request's `If-Match` (RFC 9110 §13.1.1): `IfMatch::Geen` only when absent;
/// several header lines are one list. Malformed syntax is a 400 naming the header, rule `pattern`.
///
/// IF_MATCH_LIJSTSYNTAX (RFC 9110 §13.1.1 `If-Match = "*" / #entity-tag`, §5.6.1.2): empty
/// list members are ignored, and a field value with no entity tag at all (an empty
/// header, or only commas) is the empty list: it matches no version, so the write is a
/// 412, never done as "no precondition". The document's pattern (`IF_MATCH_PATROON`)
/// admits it, as the RFC's grammar does.
pub fn if_match(req: &HttpRequest) -> Result<IfMatch, AppError> {
    let regels: Vec<&str> = req
        .headers()
        .get_all(header::IF_MATCH)
        // Tabs are allowed around list members (OWS), and `to_str` refuses them.
        .map(|v| std::str::from_utf8(v.as_bytes()).unwrap_or("\u{0}"))
        .collect();
    if regels.is_empty() {
        return Ok(IfMatch::Geen);
    }
    IfMatch::parse(&regels.join(", "))
        .map_err(|e| AppError::ongeldig("If-Match", "pattern", e.to_string()))
}

/// The pattern the document gives `If-Match` (IF_MATCH_LIJSTSYNTAX): `*`, or a
/// comma-separated list of entity tags, each `"..."` or `W/"..."` (RFC 9110
/// §8.8.3), where empty list members (`"1",`, `, "1"`, `"1",,"2"`) are allowed and ignored
/// (RFC 9110 §5.6.1.2), as the server reads them; or the empty list (blank or only commas),
/// which no version matches (412).
pub const IF_MATCH_PATROON: &str = r#"^([ \t,]*|[ \t]*(\*|[ \t,]*(W/)?"[\x21\x23-\x7E]*"([ \t]*,[ \t,]*((W/)?"[\x21\x23-\x7E]*")?)*)[ \t]*)$"#;

/// The ETag of a versioned object.
pub fn etag(versie: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{versie}\""))
}
