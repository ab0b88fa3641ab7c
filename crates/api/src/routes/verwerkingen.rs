//! `/api/v1/verwerkingen`: the processing log and the break-glass review, for an
//! organisation's privacy officer (the inzage report is `routes::inzage`). Who may, and
//! what is logged, is `ketenregie_privacy::verantwoording`; the handlers parse, call one
//! use case and answer.

use crate::paging::{self, Lijst, Paginering};
use crate::problem::AppError;
use crate::routes::convenanten::AuditRegelDto;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Doel, Validatie};
use ketenregie_privacy::logboek;
use ketenregie_privacy::verantwoording::{self, Zoekvraag};
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
    pub page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    #[schema(minimum = 1, maximum = 100)]
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
