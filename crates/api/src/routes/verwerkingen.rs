//! `/api/v1/verwerkingen`: the processing log and the break-glass review, for an
//! organisation's privacy officer; and `/api/v1/personen/{id}/inzage`, the data-subject
//! access report of one organisation (`ketenregie_privacy::inzage`). Who may, and what is
//! logged, is `ketenregie_privacy::verantwoording`; the handlers parse, call one use case
//! and answer (the report as JSON or as a printable page).

use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::convenanten::AuditRegelDto;
use crate::verwerking::{self, Verwerking};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Doel, Validatie};
use ketenregie_privacy::inzage::InzageRapport;
use ketenregie_privacy::logboek;
pub use ketenregie_privacy::verantwoording::InzageBronnen;
use ketenregie_privacy::verantwoording::{self, InzageUitkomst, Zoekvraag};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A search of the own organisation's processing log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerwerkingZoekInvoer {
    /// The data subject's id (a person id); pseudonymised before searching.
    pub betrokkene: Option<Uuid>,
    /// From this moment (inclusive).
    pub van: Option<DateTime<Utc>>,
    /// Until this moment (exclusive).
    pub tot: Option<DateTime<Utc>>,
    pub doel: Option<Doel>,
    pub convenant: Option<Uuid>,
    /// Page number, from 1 (default 1).
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub page_size: Option<u32>,
}

/// One processing of one data subject (Logboek dataverwerkingen).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerwerkingDto {
    pub id: String,
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: Option<String>,
    /// The processing activity: the purpose.
    pub activiteit: String,
    pub grondslag: String,
    pub convenant: Option<String>,
    pub convenant_versie: Option<i64>,
    /// Pseudonymised subject id (keyed hash).
    pub betrokkene: String,
    pub resultaat: String,
    pub doorbraak: bool,
    pub start_op: DateTime<Utc>,
    pub eind_op: DateTime<Utc>,
}

impl From<logboek::VerwerkingRij> for VerwerkingDto {
    fn from(r: logboek::VerwerkingRij) -> Self {
        Self {
            id: r.id,
            trace_id: r.trace_id,
            span_id: r.span_id,
            parent_span_id: r.parent_span_id,
            activiteit: r.activiteit,
            grondslag: r.grondslag,
            convenant: r.convenant_id,
            convenant_versie: r.convenant_versie,
            betrokkene: r.betrokkene,
            resultaat: r.resultaat,
            doorbraak: r.doorbraak,
            start_op: ketenregie_common::time::from_db(r.start_op),
            eind_op: ketenregie_common::time::from_db(r.eind_op),
        }
    }
}

#[utoipa::path(
    post, path = "/verwerkingen/_zoek", tag = "verwerkingen", operation_id = "verwerkingenZoeken",
    summary = "Verwerkingslog doorzoeken",
    description = "The privacy officer searches the own organisation's processing log by subject, period, purpose and agreement. Subjects are pseudonymised: pass the person id, the service hashes it.",
    request_body = VerwerkingZoekInvoer,
    responses((status = 200, description = "Een pagina verwerkingen, nieuwste eerst", body = inline(Lijst<VerwerkingDto>))),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "kwaliteit-en-verantwoording", "categorieen": ["identificatie"]})))
)]
pub async fn zoek(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<VerwerkingZoekInvoer>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::uit_getallen(&mut v, b.page, b.page_size);
    paging::check(v)?;
    let z = Zoekvraag {
        betrokkene: b.betrokkene,
        van: b.van,
        tot: b.tot,
        doel: b.doel,
        convenant: b.convenant,
    };
    let (c, object) = (ctx.clone(), verantwoording::object(&ctx, "_zoek"));
    let (rijen, totaal) = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verantwoording::zoek_verwerkingen(
            conn,
            &c,
            z,
            p.offset(),
            p.limit(),
        )?)
    })
    .await?;
    let items = rijen.into_iter().map(VerwerkingDto::from).collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct PaginaParams {
    /// Page number, from 1 (default 1).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
}

#[utoipa::path(
    get, path = "/verwerkingen/doorbraken", tag = "verwerkingen", operation_id = "doorbrakenOpvragen",
    summary = "Doorbraken ter toetsing",
    description = "Break-glass reads by or on data of the own organisation, newest first, for review by the privacy officer.",
    params(PaginaParams),
    responses((status = 200, description = "Een pagina doorbraken", body = inline(Lijst<AuditRegelDto>))),
    security(("bearer" = []))
)]
pub async fn doorbraken(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<PaginaParams>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let p = Paginering::uit(&mut v, q.page.as_deref(), q.page_size.as_deref());
    paging::check(v)?;
    let (c, object) = (ctx.clone(), verantwoording::object(&ctx, "doorbraken"));
    let (rijen, totaal) = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verantwoording::doorbraken(conn, &c, p.offset(), p.limit())?)
    })
    .await?;
    let items = rijen.into_iter().map(AuditRegelDto::from).collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}

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
