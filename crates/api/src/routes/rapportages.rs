//! `/api/v1/rapportages/terugkoppeling`: the pilot's headline figures (issue 6 point 7):
//! per sender → receiver pair of the caller's organisation, how often and how fast
//! feedback came. Counts only, no personal data.

use crate::db;
use crate::paging;
use crate::problem::AppError;
use crate::verwerking::Verwerking;
use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDate};
use ketenregie_common::{Validatie, werkdagen};
use ketenregie_feedback::rapportage::{self, Paar};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct RapportParams {
    /// First day (YYYY-MM-DD, a Dutch calendar day: from 00:00 Europe/Amsterdam) of the period in which meldingen were sent; default 90 days before `tot`.
    #[param(format = Date)]
    pub van: Option<String>,
    /// Dutch calendar day after the period (exclusive, until 00:00 Europe/Amsterdam); default tomorrow.
    #[param(format = Date)]
    pub tot: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TerugkoppelRapport {
    pub organisatie: String,
    pub van: NaiveDate,
    pub tot: NaiveDate,
    pub paren: Vec<Paar>,
}

fn datum(v: &mut Validatie, naam: &str, s: Option<&str>) -> Option<NaiveDate> {
    let s = s?;
    match ketenregie_common::time::lees_datum(s) {
        Some(d) => Some(d),
        None => {
            v.fout(
                naam,
                "format",
                format!("`{naam}` is een datum als 2026-04-01"),
            );
            None
        }
    }
}

#[utoipa::path(
    get, path = "/rapportages/terugkoppeling", tag = "rapportages", operation_id = "terugkoppelRapportage",
    summary = "Terugkoppeling per organisatiepaar",
    description = "Per sender → receiver pair of the caller's organisation (as either), over the meldingen and hand-overs sent in [van, tot): the number, per moment the share of feedback on time (over the duties met or past due), the median and 90th percentile of the hours to it, and the duties open and past due now.",
    params(RapportParams),
    responses((status = 200, description = "Het rapport", body = TerugkoppelRapport)),
    security(("bearer" = []))
)]
pub async fn terugkoppeling(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<RapportParams>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let tot =
        datum(&mut v, "tot", q.tot.as_deref()).unwrap_or_else(|| ctx.vandaag() + Duration::days(1));
    let van = datum(&mut v, "van", q.van.as_deref()).unwrap_or(tot - Duration::days(90));
    v.periode("van", Some(van), "tot", Some(tot));
    paging::check(v)?;
    let (org, nu) = (ctx.actor.organisatie.clone(), ctx.nu);
    // Days are Dutch calendar days: the period runs from local midnight to local midnight.
    let begin = werkdagen::begin_van_dag(van);
    let eind = werkdagen::begin_van_dag(tot);
    let o2 = org.clone();
    let paren = db::run(&pool, move |c| {
        rapportage::rapport(c, &o2, begin, eind, nu).map_err(AppError::from)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TerugkoppelRapport {
        organisatie: org,
        van,
        tot,
        paren,
    }))
}
