//! `/api/v1/personen/{id}/eigen-verklaringen`: a person's own statement (Jeugdwet art.
//! 7.3.8), recorded through an organisation that holds data on them. It never alters
//! any record, is returned with the person's data and in every inzage, and is logged like
//! any write. Which organisations hold data on the person comes from the domain crates'
//! `InzageBron` sources; the rules are `ketenregie_privacy::verantwoording::verklaringen`,
//! and the handlers parse, call one use case and answer.

use crate::paging::{self};
use crate::problem::{AppError, Problem};
use crate::routes::inzage::InzageBronnen;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Validatie, Vertrouwelijkheid};
use ketenregie_privacy::eigen_verklaring::EigenVerklaring;
use ketenregie_privacy::verantwoording::{self, verklaringen};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A statement by the person themselves.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EigenVerklaringDto {
    pub id: Uuid,
    /// The person whose statement it is.
    pub persoon: Uuid,
    pub tekst: String,
    /// The organisation that recorded it on the person's behalf.
    pub vastgelegd_door: String,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub aangemaakt_op: DateTime<Utc>,
}

impl From<EigenVerklaring> for EigenVerklaringDto {
    fn from(v: EigenVerklaring) -> Self {
        Self {
            id: v.id,
            persoon: v.betrokkene_id,
            tekst: v.tekst,
            vastgelegd_door: v.vastgelegd_door,
            vertrouwelijkheid: v.vertrouwelijkheid,
            aangemaakt_op: v.aangemaakt_op,
        }
    }
}

/// A new statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EigenVerklaringInvoer {
    /// The statement in the person's own words (at most 10,000 characters).
    #[schema(required = true, value_type = String, min_length = 1, max_length = 10_000, pattern = r"\S", example = "Ik ben het niet eens met wat in de melding staat over het overdrachtsmoment.")]
    pub tekst: Option<String>,
    /// Defaults to `zaakvertrouwelijk`.
    pub vertrouwelijkheid: Option<Vertrouwelijkheid>,
}

/// How a statement appears in its audit row: as this API shows it.
fn toon(v: &EigenVerklaring) -> serde_json::Value {
    serde_json::to_value(EigenVerklaringDto::from(v.clone())).unwrap_or_default()
}

#[utoipa::path(
    post, path = "/personen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringToevoegen",
    summary = "Eigen verklaring toevoegen",
    description = "Records a person's own statement on their data. It never changes a record and is always shown with it.",
    params(("id" = Uuid, Path, description = "Id of the person")),
    request_body = EigenVerklaringInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = EigenVerklaringDto,
            headers(("Location" = String, description = "The person's statements"))),
        (status = 403, description = "Uw organisatie houdt over deze persoon geen gegevens vast, of het id is een record van een andere organisatie", body = Problem),
        (status = 404, description = "Onbekend, of een persoon waarover uw organisatie niets heeft", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn voeg_toe(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    bronnen: web::Data<InzageBronnen>,
    id: web::Path<Uuid>,
    body: web::Json<EigenVerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    let persoon = id.into_inner();
    let mut v = Validatie::new();
    let tekst = v.tekst("tekst", body.tekst.as_deref(), 10_000);
    paging::check(v)?;
    let tekst = tekst.unwrap_or_default();
    let niveau = body
        .vertrouwelijkheid
        .unwrap_or(Vertrouwelijkheid::STANDAARD);
    let (c, object) = (ctx.clone(), verantwoording::persoon_object(&ctx, persoon));
    let bronnen = bronnen.get_ref().clone();
    let verklaring = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(verklaringen::voeg_toe(
            conn, &c, &bronnen, persoon, tekst, niveau, toon,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/personen/{persoon}/eigen-verklaringen"),
        ))
        .json(EigenVerklaringDto::from(verklaring)))
}

#[utoipa::path(
    get, path = "/personen/{id}/eigen-verklaringen", tag = "verwerkingen", operation_id = "eigenVerklaringenOpvragen",
    summary = "Eigen verklaringen van een persoon",
    params(("id" = Uuid, Path, description = "Id of the person")),
    responses(
        (status = 200, description = "De verklaringen, oudste eerst", body = Vec<EigenVerklaringDto>),
        (status = 404, description = "Onbekend, of een persoon waarover uw organisatie niets heeft", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "inzage", "categorieen": ["identificatie"]})))
)]
pub async fn lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    bronnen: web::Data<InzageBronnen>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let persoon = id.into_inner();
    let (c, object) = (ctx.clone(), verantwoording::persoon_object(&ctx, persoon));
    let bronnen = bronnen.get_ref().clone();
    let lijst = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verklaringen::lijst(conn, &c, &bronnen, persoon)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        lijst
            .into_iter()
            .map(EigenVerklaringDto::from)
            .collect::<Vec<_>>(),
    ))
}
