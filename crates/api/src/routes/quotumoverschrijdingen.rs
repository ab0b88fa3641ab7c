//! `/api/v1/quotumoverschrijdingen/{id}`: a user's daily quota of briefings or person
//! look-ups crossed (counted by `crate::limieten`). The notification
//! `nl.ketenregie.privacy.quotum-overschreden` links here; who may read it is
//! `ketenregie_privacy::quotum`. The handler parses, calls the use case and answers.

use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_privacy::quotum;
use ketenregie_store::DbPool;
use serde::Serialize;
use utoipa::ToSchema;

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
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner().to_string();
    let (c, object) = (ctx.clone(), quotum::object(&ctx, &id));
    let teller = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(quotum::lees(conn, &c, &id)?)
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
