//! `/api/v1/personen/{id}/eigen-verklaringen`: a person's own statement (Jeugdwet art.
//! 7.3.8), recorded through an organisation that holds data on them. It never alters
//! any record, is returned with the person's data and in every inzage, and is logged like
//! any write. Which organisations hold data on the person comes from the domain crates'
//! `InzageBron` sources; the decision then applies as for any write or read.

use crate::paging::{self};
use crate::problem::{AppError, Problem};
use crate::routes::verwerkingen::{self, InzageBronnen};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actie, Doel, Gegevenscategorie, Validatie, Vertrouwelijkheid};
use ketenregie_privacy::eigen_verklaring::{self, EigenVerklaring, Nieuw};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, besluit};
use ketenregie_store::{DbConnection, DbPool};
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

/// The decision for `actie` on the person's statements within the caller's organisation
/// (`INZAGE_EIGEN_ORGANISATIE`): only for a person it holds or received data on (any other
/// id is answered as unknown); adding a statement needs a record it holds, which the
/// statement then accompanies (Jeugdwet art. 7.3.8).
fn beslis(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
    actie: Actie,
) -> Result<ketenregie_privacy::Toestemming, AppError> {
    let rapport = verwerkingen::rapport_van(conn, ctx, bronnen, persoon)?;
    if actie == Actie::Aanmaken && rapport.gegevens.is_empty() {
        return Err(AppError::GeenToegang(
            "Uw organisatie houdt over deze persoon geen gegevens vast; een eigen verklaring wordt vastgelegd door de organisatie bij wier gegevens zij hoort".into(),
        ));
    }
    // The statement accompanies the record it is added to: never another organisation's
    // record (which the caller may know from data it received), only its own or the
    // identity.
    if actie == Actie::Aanmaken {
        for b in &bronnen.0 {
            if let Some(eigenaar) = b.eigenaar(conn, persoon)? {
                if eigenaar != ctx.actor.organisatie {
                    return Err(AppError::GeenToegang(
                        "Dit is een record van een andere organisatie; een eigen verklaring hoort bij een record van uw organisatie: gebruik het id daarvan".into(),
                    ));
                }
                break;
            }
        }
    }
    Ok(besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie,
            doel: Doel::Inzage,
            categorieen: vec![Gegevenscategorie::Identificatie],
            optioneel: vec![],
            eigenaren: vec![ctx.actor.organisatie.clone()],
            vertrouwelijkheid: Vertrouwelijkheid::STANDAARD,
        },
    )?)
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
    let object = Object {
        soort: "personen",
        id: persoon.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let bronnen = bronnen.get_ref().clone();
    let verklaring = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        let t = beslis(conn, &c2, &bronnen, persoon, Actie::Aanmaken)?;
        let eigenaar = c2.actor.organisatie.clone();
        let v = eigen_verklaring::voeg_toe(
            conn,
            &c2.versleuteling,
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
    let object = Object {
        soort: "personen",
        id: persoon.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let bronnen = bronnen.get_ref().clone();
    let lijst = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        let t = beslis(conn, &c2, &bronnen, persoon, Actie::Lezen)?;
        let alle = eigen_verklaring::bij_object(
            conn,
            &c2.versleuteling,
            &t,
            "personen",
            &persoon.to_string(),
        )?;
        // Only those of the own organisation's view; lists filter silently to the levels
        // the caller may see.
        let org = c2.actor.organisatie.as_str();
        let zichtbaar: Vec<EigenVerklaring> = alle
            .into_iter()
            .filter(|v| v.vastgelegd_door == org || v.eigenaar == org)
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
