//! `/api/v1/quotumoverschrijdingen/{id}`: a user's daily quota of briefings or person
//! look-ups crossed (`QUOTUM_PER_GEBRUIKER`, `crate::limieten`). The notification
//! `nl.ketenregie.privacy.quotum-overschreden` links here; the organisation's privacy
//! officer reads who (the token's `sub`, never a name), what, which day, how many and the
//! limit. Nothing about the persons looked up.

use crate::problem::{AppError, Problem};
use crate::routes::zicht;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_common::Rol;
use ketenregie_privacy::logboek::Object;
use ketenregie_store::DbPool;
use ketenregie_store::quota;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The kind of record, as named in a 404.
const QUOTUMOVERSCHRIJDING: &str = "quotumoverschrijding";

/// A crossed daily quota.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuotumoverschrijdingDto {
    pub id: String,
    /// The user (the token's `sub`) within the caller's organisation.
    pub gebruiker: String,
    /// `briefing` or `persoon`.
    pub soort: String,
    /// The day (UTC) counted.
    pub periode: NaiveDate,
    /// Look-ups counted that day so far, refused ones included.
    pub aantal: i64,
    /// The quota per day.
    pub limiet: i64,
    /// When the quota was crossed.
    pub overschreden_op: DateTime<Utc>,
}

#[utoipa::path(
    get, path = "/quotumoverschrijdingen/{id}", tag = "berichten", operation_id = "quotumoverschrijdingOpvragen",
    summary = "Een overschreden dagquotum",
    description = "For the privacy officer of the user's organisation (OWASP API6: bulk look-ups). Unknown and another organisation's give the same 404.",
    params(("id" = Uuid, Path, description = "Id from the notification")),
    responses(
        (status = 200, description = "Het overschreden quotum", body = QuotumoverschrijdingDto),
        (status = 403, description = "Alleen voor de privacyfunctionaris", body = Problem),
        (status = 404, description = "Bestaat niet", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner().to_string();
    let object = Object {
        soort: "quotumoverschrijdingen",
        id: id.clone(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    // Every refusal — another role, another organisation's counter (EEN_ORGANISATIE_ZICHT:
    // answered as unknown, recorded in that organisation's audit trail) — is audited.
    let teller = verwerking::tx(&pool, &ctx, "lezen", object, move |c| {
        if !c2.actor.heeft_rol(Rol::Privacyfunctionaris) {
            return Err(AppError::GeenToegang(
                "Alleen de privacyfunctionaris van de organisatie leest quotumoverschrijdingen"
                    .into(),
            ));
        }
        match quota::overschrijding(c, &id)? {
            Some(t) if t.organisatie == c2.actor.organisatie => Ok(t),
            Some(t) => Err(zicht::verborgen(
                QUOTUMOVERSCHRIJDING,
                &t.organisatie,
                "een quotumoverschrijding van een andere organisatie",
            )),
            None => Err(zicht::onbekend(QUOTUMOVERSCHRIJDING)),
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(QuotumoverschrijdingDto {
        overschreden_op: teller.overschreden().unwrap_or_default(),
        id: teller.id,
        gebruiker: teller.gebruiker,
        soort: teller.soort,
        periode: teller.periode,
        aantal: teller.aantal,
        limiet: teller.limiet,
    }))
}
