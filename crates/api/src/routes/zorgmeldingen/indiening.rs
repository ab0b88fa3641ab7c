//! Submitting a concept and the organisation's quality check.

use super::dto::{Indiening, KwaliteitsoordeelInvoer};
use super::uitvoeren;
use crate::problem::{AppError, Problem};
use crate::routes::if_match;
use crate::verwerking::Verwerking;
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_referral::{self as referral, Kwaliteitsoordeel, indiening};
use ketenregie_store::DbPool;

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/indieningen", tag = "zorgmeldingen", operation_id = "zorgmeldingIndienen",
    summary = "Concept indienen",
    description = "Submits the concept: to the organisation's quality check if it has one, else routed at once to the Veilig Thuis of each child's municipality (one melding per region). Children no Veilig Thuis serves, and children whose Veilig Thuis no agreement in force with the sender covers for reading and handling the melding (ROUTERING_BINNEN_CONVENANT), are held as `niet-routeerbaar` in the sender's outbox, the step saying why (`gegevens.reden`: `geen-veilig-thuis` or `buiten-convenant`).",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    responses(
        (status = 200, description = "Ingediend", body = Indiening),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Geen concept", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn indien(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let i = indiening::Indiening {
        id: id.into_inner(),
        verwacht_versie: if_match(&req)?,
    };
    let meldingen = uitvoeren(&pool, &ctx, "indienen", Some(i.id), move |c, x| {
        referral::dien_in(c, x, i)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Indiening::van(&meldingen)))
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/kwaliteitsbeoordelingen", tag = "zorgmeldingen", operation_id = "zorgmeldingKwaliteitBeoordelen",
    summary = "Kwaliteitscontrole",
    description = "A kwaliteitscontroleur of the same police organisation approves (the melding is routed) or sends back with remarks (it becomes a concept again), at the version read: with `If-Match` a verdict on a melding changed since is a 412. Never one who drafted, changed or submitted it (KWALITEITSCONTROLE_VIER_OGEN, 403). Answered in the order of a step (STAP_VOOR_REDEN): a melding out of view 404; not the caller's verdict 403; not ter controle 409; a send-back without remarks 422 (`verplicht-bij` naming `/opmerkingen`); a stale `If-Match` 412.",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = KwaliteitsoordeelInvoer,
    responses(
        (status = 200, description = "Beoordeeld", body = Indiening),
        (status = 409, description = "Niet ter controle", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn kwaliteit(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<KwaliteitsoordeelInvoer>,
) -> Result<HttpResponse, AppError> {
    let o = Kwaliteitsoordeel {
        verwacht_versie: if_match(&req)?,
        id: id.into_inner(),
        oordeel: body.valideer()?,
    };
    let meldingen = uitvoeren(
        &pool,
        &ctx,
        "kwaliteitscontrole",
        Some(o.id),
        move |c, x| referral::kwaliteit(c, x, o),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Indiening::van(&meldingen)))
}
