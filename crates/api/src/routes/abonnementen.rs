//! `/api/v1/abonnementen`: webhook subscriptions of the caller's organisation, managed by
//! its functional admin. The rules (who manages them, whose one sees, the signing secret
//! shown once) are `ketenregie_feedback::beheer::abonnementen`; the handlers parse (the
//! URL check resolves the host), call the use case and answer.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::Validatie;
use ketenregie_feedback::abonnement::{self, Abonnement, AbonnementInvoer};
use ketenregie_feedback::beheer::abonnementen;
use ketenregie_feedback::webhook::{self, UrlRegels};
use ketenregie_store::DbPool;
use serde::Deserialize;
use utoipa::IntoParams;

#[utoipa::path(
    post, path = "/abonnementen", tag = "abonnementen", operation_id = "abonnementAanmaken",
    summary = "Webhook-abonnement aanmaken",
    description = "Subscribe a callback URL to channels (zorgmeldingen, terugkoppelingen, matches, termijnen, privacy), optionally only some event types. Events are CloudEvents (NL profile) without personal data, signed per Standard Webhooks: `webhook-id` (the delivery id, the same on every retry), `webhook-timestamp` (unix seconds of the attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">` with the secret `whsec_<base64>`. The secret is in this answer only. The URL must be https (http only for loopback in development mode) and may not resolve to an internal address unless the service is configured to allow it.",
    request_body = AbonnementInvoer,
    responses(
        (status = 201, description = "Aangemaakt, met het geheim (eenmalig)", body = Abonnement,
            headers(("Location" = String, description = "URL of the subscription"))),
    ),
    security(("bearer" = []))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    regels: web::Data<UrlRegels>,
    body: crate::lichaam::Json<AbonnementInvoer>,
) -> Result<HttpResponse, AppError> {
    abonnementen::beheerder(&ctx.actor)?;
    let invoer = body.into_inner();
    let url_fout = match invoer.url.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => webhook::controleer_url(u, **regels).await.err(),
        _ => None,
    };
    let a = invoer.valideer(url_fout).map_err(AppError::validatie)?;
    let c = ctx.clone();
    let nieuw = db::tx(&pool, move |conn| Ok(abonnementen::maak(conn, &c, &a)?)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/abonnementen/{}", nieuw.id)))
        .json(nieuw))
}

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
    get, path = "/abonnementen", tag = "abonnementen", operation_id = "abonnementenOpvragen",
    summary = "Abonnementen van de eigen organisatie",
    description = "Subscriptions on the `privacy` channel are listed only to a functional admin who is the privacy officer too (rule PRIVACYKANAAL_ALLEEN_FG, as for their creation); to any other admin they are not there.",
    params(LijstParams),
    responses((status = 200, description = "Een pagina abonnementen", body = inline(Lijst<Abonnement>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<LijstParams>,
) -> Result<HttpResponse, AppError> {
    abonnementen::beheerder(&ctx.actor)?;
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    paging::check(v)?;
    let venster = p.venster(abonnement::LIJST, q.cursor.as_deref())?;
    let c = ctx.clone();
    let pagina = db::run(&pool, move |conn| {
        Ok(abonnementen::lijst(conn, &c, &venster)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, abonnement::LIJST, pagina)))
}

#[utoipa::path(
    get, path = "/abonnementen/{id}", tag = "abonnementen", operation_id = "abonnementOpvragen",
    summary = "Eén abonnement (zonder geheim)",
    description = "A subscription on the `privacy` channel only for a functional admin who is the privacy officer too (rule PRIVACYKANAAL_ALLEEN_FG); for anyone else a 404, as an unknown id.",
    params(("id" = Uuid, Path, description = "Id of the subscription")),
    responses(
        (status = 200, description = "Het abonnement", body = Abonnement),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    abonnementen::beheerder(&ctx.actor)?;
    let id = id.into_inner();
    let (c, object) = (ctx.clone(), abonnementen::object(&ctx, id));
    let a = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(abonnementen::lees(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(a))
}

#[utoipa::path(
    delete, path = "/abonnementen/{id}", tag = "abonnementen", operation_id = "abonnementVerwijderen",
    summary = "Abonnement opzeggen",
    description = "Deliveries still pending for it are dropped. A subscription on the `privacy` channel is ended only by a functional admin who is the privacy officer too (rule PRIVACYKANAAL_ALLEEN_FG); for anyone else a 404, as an unknown id.",
    params(("id" = Uuid, Path, description = "Id of the subscription")),
    responses(
        (status = 204, description = "Opgezegd"),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn verwijder(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    abonnementen::beheerder(&ctx.actor)?;
    let id = id.into_inner();
    let (c, object) = (ctx.clone(), abonnementen::object(&ctx, id));
    verwerking::tx(&pool, &ctx, "verwijderen", object, move |conn| {
        Ok(abonnementen::zeg_op(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
