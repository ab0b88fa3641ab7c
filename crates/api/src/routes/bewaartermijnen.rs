//! `/api/v1/bewaartermijnen`: the retention rules in force for the caller's organisation,
//! the defaults of DOMAIN.md §4 overridable per organisation by its functional admin
//! (`ketenregie_privacy::bewaring::zet`, which records the change).

use crate::db;
use crate::paging;
use crate::problem::{AppError, Problem};
use crate::verwerking::Verwerking;
use actix_web::{HttpResponse, web};
use ketenregie_common::Validatie;
use ketenregie_privacy::bewaring::{self, Bewaarregel};
use ketenregie_store::DbPool;
use serde::Deserialize;
use utoipa::ToSchema;

#[utoipa::path(
    get, path = "/bewaartermijnen", tag = "bewaartermijnen", operation_id = "bewaartermijnenOpvragen",
    summary = "Bewaartermijnen van de eigen organisatie",
    responses((status = 200, description = "Per soort gegevens de termijn die geldt", body = Vec<Bewaarregel>)),
    security(("bearer" = []))
)]
pub async fn lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    let regels = db::run(&pool, move |c| Ok(bewaring::geldend(c, &ctx)?)).await?;
    Ok(HttpResponse::Ok().json(regels))
}

/// An organisation's own retention term for one kind of record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TermijnInvoer {
    /// 1 day to 100 years (36,500 days).
    #[schema(required = true, value_type = i64, minimum = 1, maximum = 36500, example = 1825)]
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub termijn_dagen: Option<i64>,
    /// Why this term: the decision or rule it follows.
    #[schema(required = true, value_type = String, max_length = 500)]
    pub toelichting: Option<String>,
}

#[utoipa::path(
    put, path = "/bewaartermijnen/{soort}", tag = "bewaartermijnen", operation_id = "bewaartermijnZetten",
    summary = "Eigen bewaartermijn zetten",
    description = "The functional admin sets the organisation's own term for one kind of record, overriding the default.",
    params(("soort" = String, Path, description = "Kind of record, e.g. vt-dossier, politiegegevens, verwerkingslog")),
    request_body = TermijnInvoer,
    responses(
        (status = 200, description = "De regels die nu gelden", body = Vec<Bewaarregel>),
        (status = 404, description = "Onbekende soort", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn zet(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    soort: web::Path<String>,
    body: web::Json<TermijnInvoer>,
) -> Result<HttpResponse, AppError> {
    let std = bewaring::standaard(&soort)?;
    let mut v = Validatie::new();
    let dagen = v.verplicht("termijnDagen", body.termijn_dagen);
    if let Some(d) = dagen
        && !(1..=100 * 365).contains(&d)
    {
        v.fout(
            "termijnDagen",
            if d < 1 { "minimum" } else { "maximum" },
            "een termijn ligt tussen 1 dag en 100 jaar",
        );
    }
    let toelichting = v.tekst("toelichting", body.toelichting.as_deref(), 500);
    paging::check(v)?;
    let (dagen, toelichting) = (dagen.unwrap_or(std.dagen), toelichting.unwrap_or_default());
    let regels = db::tx(&pool, move |c| {
        Ok(bewaring::zet(c, &ctx, std, dagen, &toelichting)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(regels))
}
