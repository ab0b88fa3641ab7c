//! The organisation's quality-check setting and its open feedback duties.

use super::dto::{KwaliteitscontroleInstelling, TermijnDto, TermijnParams, richting};
use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::AppError;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::Validatie;
use ketenregie_referral::{self as referral, melding, termijnen};
use ketenregie_store::DbPool;

#[utoipa::path(
    put, path = "/kwaliteitscontrole", tag = "zorgmeldingen", operation_id = "kwaliteitscontroleInstellen",
    summary = "Kwaliteitscontrole aan of uit (eigen politieorganisatie)",
    request_body = KwaliteitscontroleInstelling,
    responses((status = 200, description = "Ingesteld", body = KwaliteitscontroleInstelling)),
    security(("bearer" = []))
)]
pub async fn zet_kwaliteitscontrole(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Json<KwaliteitscontroleInstelling>,
) -> Result<HttpResponse, AppError> {
    let verplicht = body.verplicht;
    let (c, object) = (ctx.clone(), melding::kwaliteitscontrole_object(&ctx));
    let verplicht = verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(referral::zet_kwaliteitscontrole(conn, &c, verplicht)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(KwaliteitscontroleInstelling { verplicht }))
}

#[utoipa::path(
    get, path = "/termijnen", tag = "zorgmeldingen", operation_id = "termijnenOpvragen",
    summary = "Openstaande terugkoppeltermijnen",
    description = "The caller's open feedback duties (or those owed to it), earliest due first, so the overdue ones lead. Terms come from the agreement between sender and receiver, else the defaults (receipt 1 working day, triage outcome 5, final outcome 10 calendar weeks; acute in hours); working days skip weekends and Dutch public holidays, and a term starting outside working days counts from the next working day. Paged by cursor: follow `next` and `previous` (each carries `cursor`); a page costs the same however many duties were ever met. `page` jumps from the start instead (not with `cursor`). `count` is exact up to 1,000 (`countIsExact`).",
    params(TermijnParams),
    responses((status = 200, description = "Een pagina termijnen", body = inline(Lijst<TermijnDto>))),
    security(("bearer" = []))
)]
pub async fn termijnen_lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<TermijnParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    let als_ontvanger = richting(&mut v, q.richting.as_deref()).unwrap_or(true);
    paging::check(v)?;
    let venster = p.venster(termijnen::LIJST, q.cursor.as_deref())?;
    let c = ctx.clone();
    let pagina = db::run(&pool, move |conn| {
        Ok(referral::open_termijnen(conn, &c, als_ontvanger, &venster)?)
    })
    .await?;
    let pagina = pagina.map(|t| TermijnDto::van(&t, ctx.nu));
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, termijnen::LIJST, pagina)))
}
