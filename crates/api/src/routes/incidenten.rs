//! `/api/v1/incidenten`: police mutation summaries with the statements of each side and
//! the hoor-en-wederhoor status. Each handler parses, calls one use case of
//! `ketenregie_case::incidenten` (which holds the rules: who records incidents, whose
//! records one adds to) and answers.

use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_case::incidenten::{
    self, IncidentInvoer, IncidentWeergave, VerklaringInvoer, WederhoorInvoer,
};
use ketenregie_store::DbPool;

#[utoipa::path(
    post, path = "/incidenten", tag = "dossiers", operation_id = "incidentVastleggen",
    summary = "Incident vastleggen (politie)",
    description = incidenten::uitleg::MAAK,
    request_body = IncidentInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = IncidentWeergave, headers(("Location" = String, description = "The new incident"), ("ETag" = String, description = "The version, for If-Match"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Geen politieorganisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["politiegegevens"], "alleenEigen": true})))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Json<IncidentInvoer>,
) -> Result<HttpResponse, AppError> {
    let invoer = body.into_inner();
    let registers = crate::lichaam::Registervelden::van(&invoer);
    let object = incidenten::object("nieuw", &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(incidenten::maak(conn, &c, &invoer)?)
    })
    .await;
    let dto = crate::lichaam::met_registervelden(&pool, registers, dto).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/incidenten/{}", dto.id)))
        .insert_header(etag(dto.versie))
        .json(dto))
}

#[utoipa::path(
    get, path = "/incidenten/{id}", tag = "dossiers", operation_id = "incidentOpvragen",
    summary = "Incident opvragen",
    description = "The incident with every statement. Another organisation reads it only as an agreement allows (category `politiegegevens`).",
    params(("id" = Uuid, Path, description = "Id of the incident")),
    responses(
        (status = 200, description = "Het incident", body = IncidentWeergave, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Uw organisatie kan dit zien, maar niet met deze rol of niet zonder reden (X-Audit-Toelichting)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["politiegegevens"]})))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let object = incidenten::object(&id.to_string(), "");
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(incidenten::lees(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(dto.versie)).json(dto))
}

#[utoipa::path(
    post, path = "/incidenten/{id}/verklaringen", tag = "dossiers", operation_id = "verklaringToevoegen",
    summary = "Verklaring toevoegen",
    description = incidenten::uitleg::VERKLARING,
    params(("id" = Uuid, Path, description = "An incident of your organisation"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = VerklaringInvoer,
    responses(
        (status = 201, description = "Toegevoegd", body = IncidentWeergave, headers(("Location" = String, description = "URL of the incident"), ("ETag" = String, description = "The new version"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["politiegegevens"], "alleenEigen": true})))
)]
pub async fn verklaring(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<VerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let s = body.nieuw(ctx.nu)?;
    let object = incidenten::object(&id.to_string(), &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(incidenten::verklaring_toevoegen(
            conn,
            &c,
            id,
            s,
            &voorwaarde,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/incidenten/{id}")))
        .insert_header(etag(dto.versie))
        .json(dto))
}

#[utoipa::path(
    put, path = "/incidenten/{id}/wederhoor", tag = "dossiers", operation_id = "wederhoorVastleggen",
    summary = "Hoor en wederhoor vastleggen",
    description = incidenten::uitleg::WEDERHOOR,
    params(("id" = Uuid, Path, description = "An incident of your organisation"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = WederhoorInvoer,
    responses(
        (status = 200, description = "Vastgelegd", body = IncidentWeergave, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["politiegegevens"], "alleenEigen": true})))
)]
pub async fn wederhoor(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<WederhoorInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let w = body.nieuw(ctx.nu)?;
    let object = incidenten::object(&id.to_string(), &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(incidenten::wederhoor_vastleggen(
            conn,
            &c,
            id,
            w,
            &voorwaarde,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(dto.versie)).json(dto))
}
