//! `/api/v1/personen/{id}/inzage`: the data-subject access report of one organisation
//! (`ketenregie_privacy::inzage`), for its privacy officer. Who may, and what is logged, is
//! `ketenregie_privacy::verantwoording`; the handler parses, calls the one use case and
//! answers: the report as JSON, or as the printable page of `crate::inzage_html`.

use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::http::header;
use actix_web::mime;
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_privacy::inzage::InzageRapport;
pub use ketenregie_privacy::verantwoording::InzageBronnen;
use ketenregie_privacy::verantwoording::{self, InzageUitkomst};
use ketenregie_store::DbPool;

#[utoipa::path(
    get, path = "/personen/{id}/inzage", tag = "verwerkingen", operation_id = "inzageOpstellen",
    summary = "Inzage: wat uw organisatie over één persoon heeft",
    description = "For a data-subject request handled by the organisation's privacy officer (rule INZAGE_EIGEN_ORGANISATIE): only for a person the organisation holds data on or received data on through the service; any other id is answered as unknown (404, and the attempt is in the audit trail). The report holds what the organisation holds, another organisation's melding, hand-over or feedback no more than the organisation's own read of it shows (same decision and redaction, logged as that read, with a row in the owner's disclosure register: rule INZAGE_ZOALS_EIGEN_LEZING), the statements the person added to its records, its own processing of the person's data (when, purpose, legal basis, who in the organisation), and to which organisations it disclosed the data; never another organisation's records or processing. The reporter's identity is withheld where the law protects it, and police-only fields from a non-police requester. `Accept: text/html` gives the printable page (Accept is read with its weights, RFC 9110 §12.5.1: the page when `text/html` weighs more than `application/json`, each by its most specific matching range, a tie going to the more specific match; `q=0` is never chosen; JSON otherwise) to hand to the person: plain Dutch, everything in words, dates and times in Dutch time, the person's rights and whom to contact; its Content-Security-Policy allows only its own style block.",
    params(("id" = Uuid, Path, description = "Id of the person: a record of your organisation, the identity, or another organisation's record whose data your organisation received through the service")),
    responses(
        (status = 200, description = "Het inzagerapport", content(
            (InzageRapport = "application/json"),
            (String = "text/html")
        )),
        (status = 403, description = "Geen privacyfunctionaris", body = Problem),
        (status = 404, description = "Onbekend, of een persoon waarover uw organisatie niets heeft", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie", "contactgegevens", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening"]})))
)]
pub async fn inzage(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    bronnen: web::Data<InzageBronnen>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let persoon = id.into_inner();
    let bronnen = bronnen.get_ref().clone();
    let (c, object) = (ctx.clone(), verantwoording::persoon_object(&ctx, persoon));
    let InzageUitkomst { rapport, doorbraak } =
        verwerking::tx(&pool, &ctx, "inzage", object, move |conn| {
            Ok(verantwoording::inzage(conn, &c, &bronnen, persoon)?)
        })
        .await?;
    let wil_html = wil_html(&req);
    let mut res = HttpResponse::Ok();
    if doorbraak {
        // Say so: the reader must know this was an emergency read outside the rules.
        res.insert_header((crate::verwerking::DOORBRAAK, "true"));
    }
    if wil_html {
        let pagina = crate::inzage_html::document(&rapport);
        Ok(res
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, pagina.csp))
            .body(pagina.html))
    } else {
        Ok(res.json(rapport))
    }
}

/// INZAGE_ONDERHANDELING (RFC 9110 §12.5.1 `Accept`, §12.4.2 quality values): the report is
/// the printable page when the request weighs `text/html` above `application/json`, and
/// JSON otherwise (also without `Accept`, or with one that does not parse). Each offer's
/// weight is that of the most specific media range matching it (`text/html` over `text/*`
/// over `*/*`); a weight of 0 means "not acceptable", so it is never chosen; at equal
/// weights the more specific match wins (a browser's `text/html, */*;q=0.8`, or
/// `text/html, */*`), and a full tie stays JSON. Not a search for the text `text/html`:
/// `text/html;q=0` and `application/json, text/html;q=0.1` ask for JSON (the outside
/// tester's finding F7 of Dec 2026).
fn wil_html(req: &HttpRequest) -> bool {
    use actix_web::http::header::{Accept, Header, Quality};
    let Ok(accept) = Accept::parse(req) else {
        return false;
    };
    // (weight, specificity) of the most specific range that matches `soort/sub`.
    let gewicht = |soort: &str, sub: &str| -> (Quality, u8) {
        let mut beste: Option<(u8, Quality)> = None;
        for q in &accept.0 {
            let m = &q.item;
            let specifiek = if m.type_() == soort && m.subtype() == sub {
                2
            } else if m.type_() == soort && m.subtype() == mime::STAR {
                1
            } else if m.type_() == mime::STAR && m.subtype() == mime::STAR {
                0
            } else {
                continue;
            };
            if beste.is_none_or(|(s, _)| specifiek > s) {
                beste = Some((specifiek, q.quality));
            }
        }
        beste.map_or((Quality::ZERO, 0), |(s, q)| (q, s))
    };
    let html = gewicht("text", "html");
    let json = gewicht("application", "json");
    html.0 > Quality::ZERO && html > json
}
