//! `/api/v1/sluitingsdagen`: the caller's organisation's own closed days (issue 14, finding
//! 11). Every user of the organisation reads them; its functional admin sets and removes
//! them. The feedback deadlines the organisation owes skip them from the moment they are
//! set (`ketenregie_referral::sluitingsdagen`); deadlines already recorded keep their due
//! time. Dates are Dutch calendar days; no personal data.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::verwerking::Verwerking;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ketenregie_common::{Actor, Rol, Validatie};
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_referral::sluitingsdagen::{self, Sluitingsdag};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How far ahead a closed day may be set (years).
pub const MAX_JAREN_VOORUIT: i64 = 5;

/// Register the routes (one line in `app.rs`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sluitingsdagen").route(web::get().to(lijst)))
        .service(
            web::resource("/sluitingsdagen/{datum}")
                .route(web::put().to(zet))
                .route(web::delete().to(verwijder)),
        );
}

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
    pub vanaf: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
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
    let p = Paginering::uit(&mut v, q.page, q.page_size);
    let vanaf = v.datum("vanaf", q.vanaf.as_deref(), None);
    paging::check(v)?;
    let vanaf = vanaf.unwrap_or_else(|| ctx.vandaag());
    let org = ctx.actor.organisatie.clone();
    let dagen = db::run(&pool, move |c| {
        sluitingsdagen::van_organisatie(c, &org, vanaf).map_err(AppError::from)
    })
    .await?;
    let totaal = dagen.len() as i64;
    let pagina = dagen
        .into_iter()
        .skip(p.offset() as usize)
        .take(p.limit() as usize)
        .map(SluitingsdagDto::from)
        .collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, pagina)))
}

/// A closed day to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SluitingsdagInvoer {
    /// Why the organisation is closed, e.g. "teamdag" (no personal data; at most 200 characters).
    #[schema(required = true, value_type = String, example = "vrijdag na Hemelvaart (cao)")]
    pub omschrijving: Option<String>,
}

fn beheerder(actor: &Actor) -> Result<(), AppError> {
    if actor.heeft_rol(Rol::FunctioneelBeheerder) {
        Ok(())
    } else {
        Err(AppError::GeenToegang(
            "Alleen de functioneel beheerder legt sluitingsdagen vast".into(),
        ))
    }
}

/// The date in the path: a Dutch calendar day from today up to `MAX_JAREN_VOORUIT` years on.
fn datum_uit_pad(v: &mut Validatie, s: &str, vandaag: NaiveDate) -> Option<NaiveDate> {
    let d = v.datum("datum", Some(s), None)?;
    if d < vandaag {
        v.fout(
            "datum",
            "minimum",
            "een sluitingsdag ligt vandaag of later (termijnen die al lopen veranderen niet)",
        );
        return None;
    }
    if d > vandaag + Duration::days(366 * MAX_JAREN_VOORUIT) {
        v.fout(
            "datum",
            "maximum",
            format!("een sluitingsdag ligt hooguit {MAX_JAREN_VOORUIT} jaar vooruit"),
        );
        return None;
    }
    Some(d)
}

#[utoipa::path(
    put, path = "/sluitingsdagen/{datum}", tag = "sluitingsdagen", operation_id = "sluitingsdagZetten",
    summary = "Sluitingsdag vastleggen",
    description = "The functional admin marks a Dutch calendar day (today or later) as a closed day of the organisation. Deadlines computed from now on skip it; deadlines already recorded keep their due time.",
    params(("datum" = String, Path, description = "The day, YYYY-MM-DD (Europe/Amsterdam)")),
    request_body = SluitingsdagInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = SluitingsdagDto),
        (status = 200, description = "Omschrijving bijgewerkt", body = SluitingsdagDto),
    ),
    security(("bearer" = []))
)]
pub async fn zet(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    datum: web::Path<String>,
    body: web::Json<SluitingsdagInvoer>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let dag = datum_uit_pad(&mut v, &datum, ctx.vandaag());
    let omschrijving = v.tekst("omschrijving", body.omschrijving.as_deref(), 200);
    paging::check(v)?;
    beheerder(&ctx.actor)?;
    let (dag, omschrijving) = (dag.expect("checked"), omschrijving.expect("checked"));
    let (oud, opgeslagen) = db::tx(&pool, move |c| {
        let org = ctx.actor.organisatie.clone();
        let oud = sluitingsdagen::zet(c, &org, dag, &omschrijving, &ctx.actor.gebruiker, ctx.nu)?;
        logboek::audit(
            c,
            &ctx,
            &AuditRegel {
                actie: if oud.is_some() {
                    "wijzigen"
                } else {
                    "aanmaken"
                }
                .into(),
                object: Object {
                    soort: "sluitingsdagen",
                    id: dag.to_string(),
                    eigenaar: org.clone(),
                },
                resultaat: if oud.is_some() { 200 } else { 201 },
                doorbraak: false,
                grondslag: None,
                oud: oud.as_ref().map(|o| serde_json::json!({"omschrijving": o})),
                nieuw: Some(serde_json::json!({"omschrijving": omschrijving})),
            },
        )?;
        let opgeslagen = sluitingsdagen::van_organisatie(c, &org, dag)?
            .into_iter()
            .next()
            .expect("just stored");
        Ok((oud, opgeslagen))
    })
    .await?;
    let mut res = if oud.is_some() {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    if oud.is_none() {
        res.insert_header((
            "Location",
            format!("/api/v1/sluitingsdagen/{}", opgeslagen.datum),
        ));
    }
    Ok(res.json(SluitingsdagDto::from(opgeslagen)))
}

#[utoipa::path(
    delete, path = "/sluitingsdagen/{datum}", tag = "sluitingsdagen", operation_id = "sluitingsdagVerwijderen",
    summary = "Sluitingsdag intrekken",
    description = "The functional admin removes a closed day. Deadlines already computed with it keep their due time.",
    params(("datum" = String, Path, description = "The day, YYYY-MM-DD (Europe/Amsterdam)")),
    responses(
        (status = 204, description = "Ingetrokken"),
        (status = 404, description = "Geen sluitingsdag op die datum", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn verwijder(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    datum: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let dag = v.datum("datum", Some(&datum), None);
    paging::check(v)?;
    beheerder(&ctx.actor)?;
    let dag = dag.expect("checked");
    db::tx(&pool, move |c| {
        let org = ctx.actor.organisatie.clone();
        if !sluitingsdagen::verwijder(c, &org, dag)? {
            return Err(AppError::NietGevonden(format!(
                "Er is geen sluitingsdag op {dag}"
            )));
        }
        logboek::audit(
            c,
            &ctx,
            &AuditRegel {
                actie: "verwijderen".into(),
                object: Object {
                    soort: "sluitingsdagen",
                    id: dag.to_string(),
                    eigenaar: org,
                },
                resultaat: 204,
                doorbraak: false,
                grondslag: None,
                oud: None,
                nieuw: None,
            },
        )
        .map_err(AppError::from)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
