//! `/api/v1/dode-berichten`: deliveries (e-mail or webhook) that failed every attempt
//! (`dood`), and those whose instance died while sending them (`onzeker`: perhaps
//! received, so never sent again by themselves).
//! Who sees and re-queues which is `ketenregie_feedback::beheer::dode_berichten`; the
//! handlers parse, call the use case and answer.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::Validatie;
use ketenregie_feedback::beheer::dode_berichten;
use ketenregie_feedback::bezorging::{self, DoodBericht};
use ketenregie_store::DbPool;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct LijstParams {
    /// Page number, from 1 (default 1): a jump from the start, not with `cursor`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`).
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/dode-berichten", tag = "berichten", operation_id = "dodeBerichtenOpvragen",
    summary = "Berichten die niet bezorgd konden worden",
    description = "Deliveries that failed `dispatcher.max_attempts` times (`status: dood`) and deliveries whose instance died while sending them (`status: onzeker`: the receiver may have them; they are not sent again unless re-queued), newest first, with the last error. Paged by cursor: follow `next` and `previous` (each carries `cursor`); a page costs the same however much was ever delivered. `page` jumps from the start instead (not with `cursor`). `count` is exact up to 1,000 (`countIsExact`). Deliveries of the `privacy` channel (which record was read, by whom) are listed only to the privacy officer of their organisation (rule PRIVACYKANAAL_ALLEEN_FG, as in `GET /berichten`); for any other admin, the platform admin included, they are not there.",
    params(LijstParams),
    responses((status = 200, description = "Een pagina dode berichten", body = inline(Lijst<DoodBericht>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<LijstParams>,
) -> Result<HttpResponse, AppError> {
    dode_berichten::bereik(&ctx.actor)?;
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    paging::check(v)?;
    let venster = p.venster(bezorging::LIJST_DOOD, q.cursor.as_deref())?;
    let c = ctx.clone();
    let pagina = db::run(&pool, move |conn| {
        Ok(dode_berichten::lijst(conn, &c, &venster)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, bezorging::LIJST_DOOD, pagina)))
}

#[utoipa::path(
    post, path = "/dode-berichten/{id}/_opnieuw", tag = "berichten", operation_id = "doodBerichtOpnieuw",
    summary = "Een dood bericht opnieuw aanbieden",
    description = "Puts a dead or uncertain delivery back in the queue, due now, with its attempts counted afresh. For an uncertain one, first ask the receiver whether it has the id (the e-mail Message-ID, the `webhook-id`). A delivery of the `privacy` channel only by the privacy officer of its organisation (rule PRIVACYKANAAL_ALLEEN_FG); for anyone else a 404, as an unknown id.",
    params(("id" = Uuid, Path, description = "Id of the dead delivery")),
    responses(
        (status = 200, description = "Weer in de wachtrij", body = DoodBericht),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Niet dood of onzeker", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn opnieuw(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    dode_berichten::bereik(&ctx.actor)?;
    let id = id.into_inner();
    let (c, object) = (ctx.clone(), dode_berichten::object(&ctx, id));
    let b = verwerking::tx(&pool, &ctx, "opnieuw", object, move |conn| {
        Ok(dode_berichten::opnieuw(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(b))
}
