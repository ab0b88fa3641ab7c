//! `/api/v1/gezinnen`: a family dossier of the caller's organisation with its members and
//! their relation, and the family-law facts recorded on it: beschikkingen (with the
//! duration rules of DOMAIN.md §4, see `ketenregie_case::beschikkingen`) and regelingen.
//! Each handler parses, calls one use case of `ketenregie_case` and answers.

use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use ketenregie_case::beschikkingen::{self, BeschikkingInvoer};
use ketenregie_case::gezinnen::{self, GezinInvoer, Gezinsdossier};
use ketenregie_case::regelingen::{self, RegelingInvoer};
use ketenregie_case::weergave::{BeschikkingKort, RegelingKort};
use ketenregie_store::DbPool;

#[utoipa::path(
    post, path = "/gezinnen", tag = "dossiers", operation_id = "gezinAanmaken",
    summary = "Gezin (dossier) aanmaken",
    description = "A family grouping owned by the caller's organisation: children, parents, carers and other household members with their relation. Members are persons the organisation registered (`POST /personen`); a person may be in several families over time (`van`/`tot`).",
    request_body = GezinInvoer,
    responses(
        (status = 201, description = "Aangemaakt", body = Gezinsdossier, headers(("Location" = String, description = "The new family"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezinssituatie"], "alleenEigen": true})))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Json<GezinInvoer>,
) -> Result<HttpResponse, AppError> {
    let invoer = body.into_inner();
    let object = gezinnen::object("nieuw", &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(gezinnen::maak(conn, &c, &invoer)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/gezinnen/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(
    get, path = "/gezinnen/{id}", tag = "dossiers", operation_id = "gezinOpvragen",
    summary = "Gezin opvragen",
    description = "The family with its members, gezag per child, all decisions (each with `werking` today) and arrangements. Another organisation's family only as an agreement allows; family-law facts are left out where not covered.",
    params(("id" = Uuid, Path, description = "Id of the family")),
    responses(
        (status = 200, description = "Het gezin", body = Gezinsdossier),
        (status = 403, description = "Uw organisatie kan dit zien, maar niet met deze rol of niet zonder reden (X-Audit-Toelichting)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang"]})))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let object = gezinnen::object(&id.to_string(), "");
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(gezinnen::lees(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(
    post, path = "/gezinnen/{id}/beschikkingen", tag = "dossiers", operation_id = "beschikkingVastleggen",
    summary = "Beschikking vastleggen",
    description = beschikkingen::uitleg::VASTLEGGEN,
    params(("id" = Uuid, Path, description = "A family of your organisation")),
    request_body = BeschikkingInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = BeschikkingKort, headers(("Location" = String, description = "The family the decision is part of"))),
        (status = 400, description = "Ongeldige invoer: de body past niet bij het schema (een duurregel of een andere regel van het domein is een 422)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezag-en-omgang"], "alleenEigen": true})))
)]
pub async fn beschikking(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<BeschikkingInvoer>,
) -> Result<HttpResponse, AppError> {
    let gezin = id.into_inner();
    let invoer = body.into_inner();
    let object = gezinnen::object(&gezin.to_string(), &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(beschikkingen::vastleggen(conn, &c, gezin, &invoer)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/gezinnen/{gezin}")))
        .json(dto))
}

#[utoipa::path(
    post, path = "/gezinnen/{id}/regelingen", tag = "dossiers", operation_id = "regelingVastleggen",
    summary = "Omgangs- of zorgregeling vastleggen",
    description = regelingen::uitleg::VASTLEGGEN,
    params(("id" = Uuid, Path, description = "A family of your organisation")),
    request_body = RegelingInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = RegelingKort, headers(("Location" = String, description = "The family the arrangement is part of"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezag-en-omgang"], "alleenEigen": true})))
)]
pub async fn regeling(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<RegelingInvoer>,
) -> Result<HttpResponse, AppError> {
    let gezin = id.into_inner();
    let invoer = body.into_inner();
    let object = gezinnen::object(&gezin.to_string(), &ctx.actor.organisatie);
    let c = ctx.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(regelingen::vastleggen(conn, &c, gezin, &invoer)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/gezinnen/{gezin}")))
        .json(dto))
}
