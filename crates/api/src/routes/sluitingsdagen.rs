//! `/api/v1/sluitingsdagen`: the caller's organisation's own closed days (issue 14, finding
//! 11). Every user of the organisation reads them; its functional admin sets and removes
//! them. The rules and the use cases live in `ketenregie_referral::sluitingsdagen`; the
//! feedback deadlines the organisation owes skip them from the moment they are set;
//! deadlines already recorded keep their due time. Dates are Dutch calendar days; no
//! personal data.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_common::Validatie;
use ketenregie_referral::sluitingsdagen::{self, NieuweSluitingsdag, Sluitingsdag};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A day the organisation is closed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SluitingsdagDto {
    /// The Dutch calendar day (YYYY-MM-DD).
    pub datum: NaiveDate,
    pub omschrijving: String,
    pub vastgelegd_op: DateTime<Utc>,
}

impl From<Sluitingsdag> for SluitingsdagDto {
    fn from(s: Sluitingsdag) -> Self {
        Self {
            vastgelegd_op: s.vastgelegd(),
            datum: s.datum,
            omschrijving: s.omschrijving,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct SluitingsdagParams {
    /// From this Dutch calendar day on (YYYY-MM-DD); default today.
    #[param(format = Date)]
    pub vanaf: Option<String>,
    /// Page number, from 1 (default 1): a jump from the start, not with `cursor`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`).
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/sluitingsdagen", tag = "sluitingsdagen", operation_id = "sluitingsdagenOpvragen",
    summary = "Sluitingsdagen van de eigen organisatie",
    description = "The organisation's own closed days from `vanaf` on, earliest first. Feedback deadlines the organisation owes skip them, besides weekends and the holidays of the Algemene termijnenwet.",
    params(SluitingsdagParams),
    responses((status = 200, description = "Een pagina sluitingsdagen", body = inline(Lijst<SluitingsdagDto>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<SluitingsdagParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    let vanaf = v.opzoekdatum("vanaf", q.vanaf.as_deref());
    paging::check(v)?;
    let vanaf = vanaf.unwrap_or_else(|| ctx.vandaag());
    let venster = p.venster(sluitingsdagen::LIJST, q.cursor.as_deref())?;
    let c = ctx.clone();
    let pagina = db::run(&pool, move |conn| {
        Ok(sluitingsdagen::opvragen(conn, &c, vanaf, &venster)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Lijst::pagina(
        &req,
        sluitingsdagen::LIJST,
        pagina.map(SluitingsdagDto::from),
    )))
}

/// A closed day to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SluitingsdagInvoer {
    /// Why the organisation is closed, e.g. "teamdag" (no personal data; at most 200 characters).
    #[schema(required = true, value_type = String, example = "vrijdag na Hemelvaart (cao)", max_length = 200)]
    pub omschrijving: Option<String>,
}

#[utoipa::path(
    put, path = "/sluitingsdagen/{datum}", tag = "sluitingsdagen", operation_id = "sluitingsdagZetten",
    summary = "Sluitingsdag vastleggen",
    description = "The functional admin marks a Dutch calendar day (today or later) as a closed day of the organisation, or changes its description. Deadlines computed from now on skip it; deadlines already recorded keep their due time. At most 10 closed days per calendar year (rule SLUITINGSDAGEN_BEGRENSD: they stretch the deadlines the organisation owes others): an eleventh new day of a year is a 422 naming `datum` (a removed day a deadline ran across still counts, SLUITINGSDAG_TELT_NA_GEBRUIK). With `If-Match` the change applies only to the version it names; on a day without a closed day any `If-Match` fails (412).",
    params(("datum" = String, Path, format = Date, description = "The day, YYYY-MM-DD (Europe/Amsterdam)"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = SluitingsdagInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = SluitingsdagDto,
            headers(("Location" = String, description = "URL of the closed day"), ("ETag" = String, description = "The version, for If-Match"))),
        (status = 200, description = "Omschrijving bijgewerkt", body = SluitingsdagDto, headers(("ETag" = String, description = "The new version"))),
    ),
    security(("bearer" = []))
)]
pub async fn zet(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    datum: web::Path<String>,
    body: crate::lichaam::Json<SluitingsdagInvoer>,
) -> Result<HttpResponse, AppError> {
    let voorwaarde = if_match(&req)?;
    let d = body.valideer(&datum, ctx.vandaag())?;
    let (c, object) = (ctx.clone(), sluitingsdagen::object(&ctx, d.datum));
    let gezet = verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(sluitingsdagen::vastleggen(conn, &c, d, &voorwaarde)?)
    })
    .await?;
    let mut res = if gezet.nieuw {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    if gezet.nieuw {
        res.insert_header((
            "Location",
            format!("/api/v1/sluitingsdagen/{}", gezet.dag.datum),
        ));
    }
    Ok(res
        .insert_header(etag(gezet.dag.versie))
        .json(SluitingsdagDto::from(gezet.dag)))
}

#[utoipa::path(
    get, path = "/sluitingsdagen/{datum}", tag = "sluitingsdagen", operation_id = "sluitingsdagOpvragen",
    summary = "Eén sluitingsdag van de eigen organisatie",
    description = "The organisation's closed day on this date, with its version as `ETag` for a later `PUT` or `DELETE` with `If-Match`.",
    params(("datum" = String, Path, format = Date, description = "The day, YYYY-MM-DD (Europe/Amsterdam)")),
    responses(
        (status = 200, description = "De sluitingsdag", body = SluitingsdagDto, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 404, description = "Geen sluitingsdag op die datum", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    datum: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let dag = v.opzoekdatum("datum", Some(&datum));
    paging::check(v)?;
    let dag: NaiveDate = dag.expect("checked");
    let c = ctx.clone();
    let d = db::run(&pool, move |conn| Ok(sluitingsdagen::een(conn, &c, dag)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(d.versie))
        .json(SluitingsdagDto::from(d)))
}

#[utoipa::path(
    delete, path = "/sluitingsdagen/{datum}", tag = "sluitingsdagen", operation_id = "sluitingsdagVerwijderen",
    summary = "Sluitingsdag intrekken",
    description = "The functional admin removes a closed day (with `If-Match`: only the version it names). Deadlines already computed with it keep their due time; so when a deadline the organisation owes already ran across the day, it still counts toward the year's 10 (rule SLUITINGSDAG_TELT_NA_GEBRUIK) until set again.",
    params(("datum" = String, Path, format = Date, description = "The day, YYYY-MM-DD (Europe/Amsterdam)"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    responses(
        (status = 204, description = "Ingetrokken"),
        (status = 404, description = "Geen sluitingsdag op die datum", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn verwijder(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    datum: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let voorwaarde = if_match(&req)?;
    let mut v = Validatie::new();
    let dag = v.opzoekdatum("datum", Some(&datum));
    paging::check(v)?;
    let dag: NaiveDate = dag.expect("checked");
    let (c, object) = (ctx.clone(), sluitingsdagen::object(&ctx, dag));
    verwerking::tx(&pool, &ctx, "verwijderen", object, move |conn| {
        Ok(sluitingsdagen::intrekken(conn, &c, dag, &voorwaarde)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

impl SluitingsdagInvoer {
    /// The closed day `datum` (the path's) with this description, or every problem of
    /// both: the day's rules (`sluitingsdagen::nieuwe_dag`: a date, not in the past) and
    /// the description's.
    fn valideer(&self, datum: &str, vandaag: NaiveDate) -> Result<NieuweSluitingsdag, AppError> {
        let mut v = Validatie::new();
        let dag = sluitingsdagen::nieuwe_dag(&mut v, datum, vandaag);
        let omschrijving = v.tekstregel("omschrijving", self.omschrijving.as_deref(), 200);
        paging::check(v)?;
        match (dag, omschrijving) {
            (Some(datum), Some(omschrijving)) => Ok(NieuweSluitingsdag {
                datum,
                omschrijving,
            }),
            _ => Err(AppError::intern(
                "validation returned no value and no error",
            )),
        }
    }
}

impl crate::lichaam::Invoer for SluitingsdagInvoer {
    /// The day in the path is checked beside a refused body (the outside test of
    /// 2 Dec 2026: `PUT /sluitingsdagen/2020-01-01 {"omschrijving": 5}` named only
    /// `/omschrijving`, not `verleden` on `datum`).
    fn regels_bij(
        &self,
        nu: DateTime<Utc>,
        req: &HttpRequest,
    ) -> Vec<ketenregie_common::InvalidParam> {
        let datum = req.match_info().get("datum").unwrap_or_default();
        crate::lichaam::regels::uit_apperror(
            self.valideer(datum, ketenregie_common::werkdagen::nl_datum(nu)),
        )
    }
}
