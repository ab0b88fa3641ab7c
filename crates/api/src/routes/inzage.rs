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
    description = "For a data-subject request handled by the organisation's privacy officer (rule INZAGE_EIGEN_ORGANISATIE): only for a person the organisation holds data on or received data on through the service; any other id is answered as unknown (404, and the attempt is in the audit trail). The report holds what the organisation holds, the statements the person added to its records, its own processing of the person's data (when, purpose, legal basis, who in the organisation), and to which organisations it disclosed the data; never another organisation's records or processing. The reporter's identity is withheld where the law protects it, and police-only fields from a non-police requester. `Accept: text/html` gives a readable page to hand to the person.",
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
        Ok(res
            .content_type("text/html; charset=utf-8")
            .body(html(&rapport)))
    } else {
        Ok(res.json(rapport))
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plain page a parent can be handed (printable; no scripts, no external resources).
fn html(r: &InzageRapport) -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Inzage</title>\
         <style>body{font-family:sans-serif;max-width:50em;margin:2em auto}table{border-collapse:collapse}\
         td,th{border:1px solid #999;padding:.3em;text-align:left}</style></head><body>",
    );
    s.push_str("<h1>Wat er over u is vastgelegd</h1>");
    s.push_str(&format!(
        "<p>Opgesteld door {} op {}.</p>",
        esc(&r.opgesteld_door),
        r.opgesteld_op.format("%d-%m-%Y %H:%M")
    ));
    s.push_str("<h2>Gegevens</h2>");
    if r.gegevens.is_empty() {
        s.push_str("<p>Geen.</p>");
    }
    for g in &r.gegevens {
        s.push_str(&format!(
            "<h3>{} (verantwoordelijk: {})</h3><table>",
            esc(&g.soort),
            esc(&g.eigenaar)
        ));
        if let Some(obj) = g.gegevens.as_object() {
            for (k, v) in obj {
                let waarde = match v {
                    serde_json::Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                s.push_str(&format!(
                    "<tr><th>{}</th><td>{}</td></tr>",
                    esc(k),
                    esc(&waarde)
                ));
            }
        }
        s.push_str("</table>");
        for a in &g.achtergehouden {
            s.push_str(&format!("<p><em>Niet getoond: {}</em></p>", esc(a)));
        }
    }
    s.push_str("<h2>Uw eigen verklaringen</h2>");
    if r.eigen_verklaringen.is_empty() {
        s.push_str("<p>Geen.</p>");
    }
    for v in &r.eigen_verklaringen {
        s.push_str(&format!(
            "<blockquote>{}</blockquote><p>Bij {}, vastgelegd door {} op {}</p>",
            esc(&v.tekst),
            esc(&v.bij),
            esc(&v.vastgelegd_door),
            v.aangemaakt_op.format("%d-%m-%Y")
        ));
    }
    s.push_str("<h2>Wie uw gegevens verwerkte</h2><table><tr><th>Wanneer</th><th>Organisatie</th><th>Door</th><th>Doel</th><th>Grondslag</th></tr>");
    for v in &r.verwerkingen {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
            v.tijdstip.format("%d-%m-%Y %H:%M"),
            esc(&v.organisatie),
            esc(&v.verwerkt_door.join(", ")),
            esc(&v.doel),
            if v.doorbraak { " (noodtoegang)" } else { "" },
            esc(&v.grondslag)
        ));
    }
    s.push_str("</table>");
    s.push_str("<h2>Aan wie uw gegevens zijn verstrekt</h2>");
    if r.verstrekkingen.is_empty() {
        s.push_str("<p>Aan niemand.</p>");
    } else {
        s.push_str("<table><tr><th>Wanneer</th><th>Aan</th><th>Doel</th><th>Grondslag</th></tr>");
        for v in &r.verstrekkingen {
            s.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                v.tijdstip.format("%d-%m-%Y %H:%M"),
                esc(&v.aan),
                esc(&v.doel),
                esc(&v.grondslag)
            ));
        }
        s.push_str("</table>");
    }
    s.push_str("</body></html>");
    s
}
