//! `/api/v1/personen/{id}/inzage`: the data-subject access report of one organisation
//! (`ketenregie_privacy::inzage`), for its privacy officer. Who may, and what is logged, is
//! `ketenregie_privacy::verantwoording`; the handler parses, calls the one use case and
//! answers: the report as JSON, or as the printable page of `crate::inzage_html`.

use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_privacy::inzage::InzageRapport;
pub use ketenregie_privacy::verantwoording::InzageBronnen;
use ketenregie_privacy::verantwoording::{self, InzageUitkomst};
use ketenregie_store::DbPool;
use uuid::Uuid;

#[utoipa::path(
    get, path = "/personen/{id}/inzage", tag = "verwerkingen", operation_id = "inzageOpstellen",
    summary = "Inzage: wat uw organisatie over één persoon heeft",
    description = "For a data-subject request handled by the organisation's privacy officer (rule INZAGE_EIGEN_ORGANISATIE): only for a person the organisation holds data on or received data on through the service; any other id is answered as unknown (404, and the attempt is in the audit trail). The report holds what the organisation holds, another organisation's melding, hand-over or feedback no more than the organisation's own read of it shows (same decision and redaction, logged as that read, with a row in the owner's disclosure register: rule INZAGE_ZOALS_EIGEN_LEZING), the statements the person added to its records, its own processing of the person's data (when, purpose, legal basis, who in the organisation), and to which organisations it disclosed the data; never another organisation's records or processing. The reporter's identity is withheld where the law protects it, and police-only fields from a non-police requester. `Accept: text/html` gives the printable page to hand to the person: plain Dutch, everything in words, dates and times in Dutch time, the person's rights and whom to contact; its Content-Security-Policy allows only its own style block.",
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
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let persoon = id.into_inner();
    let bronnen = bronnen.get_ref().clone();
    let (c, object) = (ctx.clone(), verantwoording::persoon_object(&ctx, persoon));
    let InzageUitkomst { rapport, doorbraak } =
        verwerking::tx(&pool, &ctx, "inzage", object, move |conn| {
            Ok(verantwoording::inzage(conn, &c, &bronnen, persoon)?)
        })
        .await?;
    let wil_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
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
