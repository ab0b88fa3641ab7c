//! `/api/v1/zorgmeldingen/{id}/terugkoppelingen`: the receiver of a melding or hand-over
//! task gives feedback to whoever sent it; sender and receiver read it. The domain rules
//! live in `ketenregie_feedback::terugkoppeling`; both run through the privacy decision
//! (purpose `terugkoppeling`) with their log rows in the same transaction.

use crate::problem::{AppError, Problem};
use crate::routes::zorgmeldingen;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use ketenregie_feedback::terugkoppeling::{self, Terugkoppeling, TerugkoppelingInvoer};
use ketenregie_privacy::logboek::Object;
use ketenregie_store::{DbConnection, DbPool};
use uuid::Uuid;

/// `EEN_ORGANISATIE_ZICHT`: the melding exists and the caller's organisation is one of
/// its parties; else the answer of an unknown id (the domain's own checks then refuse a
/// party that may not do this with a 403).
fn zichtbaar(c: &mut DbConnection, organisatie: &str, id: Uuid) -> Result<(), AppError> {
    let k = zorgmeldingen::laad(c, id)?;
    zorgmeldingen::in_zicht(c, organisatie, &k)
}

fn doel_object(id: Uuid, org: &str) -> Object {
    Object {
        soort: "terugkoppelingen",
        id: id.to_string(),
        eigenaar: org.to_string(),
    }
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/terugkoppelingen", tag = "terugkoppelingen", operation_id = "terugkoppelingGeven",
    summary = "Terugkoppeling geven",
    description = "The receiver of a sent melding or hand-over task tells the sender what happened: the moment (an interim item never closes the loop; `eindresultaat` does and closes every open duty), whether a follow-up route started, who took over, and free text. `veiligheidsvoorwaarden` and `monitoringsafspraken` only with `melderHeeftRol: true` (DOMAIN.md §3 flow 3); otherwise a 400 naming the field. Meets the matching feedback duty and notifies the sender (`terugkoppelingen.terugkoppeling-ontvangen`).",
    params(("id" = Uuid, Path, description = "Id of the melding or hand-over task")),
    request_body = TerugkoppelingInvoer,
    responses(
        (status = 201, description = "Gegeven", body = Terugkoppeling,
            headers(("Location" = String, description = "The feedback of this melding"))),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Er is al een eindresultaat teruggekoppeld", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "terugkoppeling", "categorieen": ["hulpverlening"]})))
)]
pub async fn geef(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<TerugkoppelingInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let invoer = body.into_inner();
    let c2 = ctx.clone();
    let t = verwerking::tx(
        &pool,
        &ctx,
        "aanmaken",
        doel_object(id, &ctx.actor.organisatie),
        move |c| {
            zichtbaar(c, &c2.actor.organisatie, id)?;
            terugkoppeling::geef(c, &c2, id, &invoer).map_err(AppError::from)
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen"),
        ))
        .json(t))
}

#[utoipa::path(
    get, path = "/zorgmeldingen/{id}/terugkoppelingen", tag = "terugkoppelingen", operation_id = "terugkoppelingenOpvragen",
    summary = "Terugkoppelingen op een zorgmelding",
    description = "Every feedback item on the melding or hand-over task, oldest first, with who gave it on behalf of which organisation and when. For the receiver, whoever is owed the feedback, and the melding's sender; the sender reads under an agreement with purpose `terugkoppeling`.",
    params(("id" = Uuid, Path, description = "Id of the melding or hand-over task")),
    responses(
        (status = 200, description = "De terugkoppelingen", body = Vec<Terugkoppeling>),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "terugkoppeling", "categorieen": ["hulpverlening"]})))
)]
pub async fn lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c2 = ctx.clone();
    let l = verwerking::tx(
        &pool,
        &ctx,
        "lezen",
        doel_object(id, &ctx.actor.organisatie),
        move |c| {
            zichtbaar(c, &c2.actor.organisatie, id)?;
            terugkoppeling::lijst(c, &c2, id).map_err(AppError::from)
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(l))
}
