//! `/api/v1/betrokkenheden` and `/api/v1/matches`: the Verwijsindex-style signal "we are
//! involved with this child" (fact, contact, date; no content) and the coordination
//! matches it produces. Each handler parses, calls one use case of
//! `ketenregie_case::betrokkenheid` (which holds who may register and who is told) and
//! answers.

use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_case::betrokkenheid::{
    self, BetrokkenheidInvoer, BetrokkenheidWeergave, LIJST_MATCHES, MatchWeergave,
};
use ketenregie_common::Validatie;
use ketenregie_privacy::logboek::Object;
use ketenregie_store::DbPool;
use serde::Deserialize;
use utoipa::IntoParams;

/// The query of `GET /matches`: a page by cursor (or `page` from the start).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct MatchParams {
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
    post, path = "/betrokkenheden", tag = "dossiers", operation_id = "betrokkenheidRegistreren",
    summary = "Betrokkenheid bij een kind registreren",
    description = betrokkenheid::uitleg::REGISTREER,
    request_body = BetrokkenheidInvoer,
    responses(
        (status = 201, description = "Geregistreerd, met de gevonden matches", body = BetrokkenheidWeergave, headers(("Location" = String, description = "The signal"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Geen convenant met een coördinatieregel voor uw organisatie en rol", body = Problem),
        (status = 409, description = "Uw organisatie heeft al een actieve betrokkenheid bij dit kind", body = Problem, headers(("Location" = String, description = "The existing involvement"))),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["hulpverlening"], "alleenEigen": true})))
)]
pub async fn registreer(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Json<BetrokkenheidInvoer>,
) -> Result<HttpResponse, AppError> {
    let invoer = body.into_inner();
    let object = betrokkenheid::object("nieuw", &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(betrokkenheid::registreer(conn, &c, &invoer)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/betrokkenheden/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(
    delete, path = "/betrokkenheden/{id}", tag = "dossiers", operation_id = "betrokkenheidBeeindigen",
    summary = "Betrokkenheid beëindigen",
    description = "Ends your organisation's signal (no longer involved, or no longer justified): it stops matching and showing at once.",
    params(("id" = Uuid, Path, description = "A signal of your organisation")),
    responses(
        (status = 204, description = "Beëindigd"),
        (status = 404, description = "Onbekend, of niet van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["hulpverlening"], "alleenEigen": true})))
)]
pub async fn beeindig(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let object = betrokkenheid::object(&id.to_string(), &ctx.actor.organisatie);
    let c = ctx.clone();
    verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(betrokkenheid::beeindig(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get, path = "/matches", tag = "dossiers", operation_id = "matchesOpvragen",
    summary = "Coördinatiematches van de eigen organisatie",
    description = betrokkenheid::uitleg::MATCHES,
    params(MatchParams),
    responses((status = 200, description = "Een pagina matches", body = inline(Lijst<MatchWeergave>))),
    security(("bearer" = [])),
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<MatchParams>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    paging::check(v)?;
    let venster = p.venster(LIJST_MATCHES, q.cursor.as_deref())?;
    let pagina = crate::db::run(&pool, move |conn| {
        Ok(betrokkenheid::matches(conn, &ctx, &venster)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, LIJST_MATCHES, pagina)))
}

#[utoipa::path(
    get, path = "/matches/{id}", tag = "dossiers", operation_id = "matchOpvragen",
    summary = "Eén coördinatiematch",
    description = betrokkenheid::uitleg::MATCH,
    params(("id" = Uuid, Path, description = "Id of the match")),
    responses(
        (status = 200, description = "De match", body = MatchWeergave),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let object = Object {
        soort: "matches",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c = ctx.clone();
    let m = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(betrokkenheid::een_match(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(m))
}
