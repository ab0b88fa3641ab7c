//! `/api/v1/personen/{id}/eigen-verklaringen`: a person's own statement (Jeugdwet art.
//! 7.3.8), recorded through an organisation that holds data on them. It never alters
//! any record, is returned with the person's data and in every inzage, and is logged like
//! any write. Which organisations hold data on the person comes from the domain crates'
//! `InzageBron` sources; the decision then applies as for any write or read.

use crate::paging::{self};
use crate::problem::{AppError, Problem};
use crate::routes::verwerkingen::{Eigenaren, InzageBronnen};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actie, Doel, Gegevenscategorie, Validatie, Vertrouwelijkheid};
use ketenregie_privacy::eigen_verklaring::{self, EigenVerklaring, Nieuw};
use ketenregie_privacy::inzage;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, besluit};
use ketenregie_store::{DbConnection, DbPool, directory};
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
    #[schema(required = true, value_type = String, example = "Ik ben het niet eens met wat in de melding staat over het overdrachtsmoment.")]
    pub tekst: Option<String>,
    /// Defaults to `zaakvertrouwelijk`.
    pub vertrouwelijkheid: Option<Vertrouwelijkheid>,
}

/// The organisations holding data on `persoon`, and the decision for `actie` on them.
fn beslis(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
    actie: Actie,
) -> Result<(ketenregie_privacy::Toestemming, Vec<String>), AppError> {
    let soort = directory::organisatie_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.soort);
    let rapport = inzage::stel_op(
        conn,
        &ctx.actor,
        soort,
        persoon,
        &bronnen.0,
        &ctx.pseudoniemen,
        ctx.nu,
    )?;
    let eigenaren = rapport.eigenaren();
    if eigenaren.is_empty() {
        return Err(AppError::NietGevonden(format!(
            "Over persoon {persoon} is niets vastgelegd; een eigen verklaring hoort bij vastgelegde gegevens"
        )));
    }
    let t = besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie,
            doel: Doel::Inzage,
            categorieen: vec![Gegevenscategorie::Identificatie],
            optioneel: vec![],
            eigenaren: eigenaren.clone(),
            vertrouwelijkheid: Vertrouwelijkheid::STANDAARD,
        },
    )?;
    Ok((t, eigenaren))
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
        (status = 404, description = "Over deze persoon is niets vastgelegd", body = Problem),
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
    let object = Object {
        soort: "personen",
        id: persoon.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let bronnen = bronnen.get_ref().clone();
    let verklaring = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        let (t, eigenaren) = beslis(conn, &c2, &bronnen, persoon, Actie::Aanmaken)?;
        let eigenaar = if eigenaren.contains(&c2.actor.organisatie) {
            c2.actor.organisatie.clone()
        } else {
            eigenaren[0].clone()
        };
        let v = eigen_verklaring::voeg_toe(
            conn,
            &t,
            Nieuw {
                object_type: "personen".into(),
                object_id: persoon.to_string(),
                eigenaar: eigenaar.clone(),
                betrokkene_id: persoon,
                tekst,
                vastgelegd_door: c2.actor.organisatie.clone(),
                vertrouwelijkheid: niveau,
            },
            c2.nu,
        )?;
        logboek::wijziging(
            conn,
            &c2,
            &t,
            Actie::Aanmaken,
            Object {
                soort: "eigen-verklaringen",
                id: v.id.to_string(),
                eigenaar,
            },
            None,
            serde_json::to_value(EigenVerklaringDto::from(v.clone())).ok(),
            &[persoon],
        )?;
        Ok(v)
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
        (status = 404, description = "Over deze persoon is niets vastgelegd", body = Problem),
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
    let object = Object {
        soort: "personen",
        id: persoon.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let bronnen = bronnen.get_ref().clone();
    let lijst = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        let (t, _) = beslis(conn, &c2, &bronnen, persoon, Actie::Lezen)?;
        let alle = eigen_verklaring::bij_object(conn, &t, "personen", &persoon.to_string())?;
        // Lists filter silently to the levels the caller may see.
        let zichtbaar: Vec<EigenVerklaring> = alle
            .into_iter()
            .filter(|v| v.vertrouwelijkheid <= t.max_vertrouwelijkheid())
            .collect();
        logboek::lezing(
            conn,
            &c2,
            &t,
            Object {
                soort: "personen",
                id: persoon.to_string(),
                eigenaar: c2.actor.organisatie.clone(),
            },
            &[persoon],
        )?;
        Ok(zichtbaar)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        lijst
            .into_iter()
            .map(EigenVerklaringDto::from)
            .collect::<Vec<_>>(),
    ))
}
