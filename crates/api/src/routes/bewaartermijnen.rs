//! `/api/v1/bewaartermijnen`: the retention rules in force for the caller's organisation,
//! the defaults of DOMAIN.md §4 overridable per organisation by its functional admin
//! (`ketenregie_privacy::bewaring::zet`, which records the change). Each rule has a
//! version: a strong `ETag` on its read and its change, and `If-Match` on the change
//! (RFC 9110 §13.1.1), as contact points have.

use crate::db;
use crate::paging;
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::Verwerking;
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::Validatie;
use ketenregie_privacy::bewaring::{self, Bewaarregel, Standaardtermijn};
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
    get, path = "/bewaartermijnen/{soort}", tag = "bewaartermijnen", operation_id = "bewaartermijnOpvragen",
    summary = "Eén bewaartermijn van de eigen organisatie",
    description = "The term in force for one kind of record, with its version as a strong ETag (\"0\" while the default holds) for If-Match on a change.",
    params(("soort" = String, Path, description = "Kind of record, e.g. vt-dossier, politiegegevens, verwerkingslog")),
    responses(
        (status = 200, description = "De termijn die geldt", body = Bewaarregel, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 404, description = "Onbekende soort", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    soort: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let std = bewaring::standaard(&soort)?;
    let regel = db::run(&pool, move |c| Ok(bewaring::geldend_voor(c, &ctx, std)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(regel.versie))
        .json(regel))
}

#[utoipa::path(
    put, path = "/bewaartermijnen/{soort}", tag = "bewaartermijnen", operation_id = "bewaartermijnZetten",
    summary = "Eigen bewaartermijn zetten",
    description = "The functional admin sets the organisation's own term for one kind of record, overriding the default. With If-Match (the ETag of an earlier read; \"0\" for the default) the change applies only to that version: 412 otherwise. A term below the kind's legal floor (`BEWAARTERMIJN_ONDERGRENS`: the processing log at least 5 years, DOMAIN.md §4) is a 422 naming `termijnDagen`.",
    params(
        ("soort" = String, Path, description = "Kind of record, e.g. vt-dossier, politiegegevens, verwerkingslog"),
        ("If-Match" = Option<String>, Header, description = "ETag from an earlier read"),
    ),
    request_body = TermijnInvoer,
    responses(
        (status = 200, description = "De termijn die nu geldt", body = Bewaarregel, headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "Onbekende soort", body = Problem),
        (status = 412, description = "De bewaartermijn is intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn zet(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    soort: web::Path<String>,
    body: crate::lichaam::Json<TermijnInvoer>,
) -> Result<HttpResponse, AppError> {
    let std = bewaring::standaard(&soort)?;
    let voorwaarde = if_match(&req)?;
    let (dagen, toelichting) = body.valideer(Some(std), false)?;
    // Through `verwerking::tx`: a refusal (another role than the functional admin) is a
    // row in the organisation's audit trail, as every refused write is; a 409 too.
    let object = ketenregie_privacy::logboek::Object {
        soort: "bewaartermijnen",
        id: std.soort.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c = ctx.clone();
    let regel = crate::verwerking::tx(&pool, &ctx, "wijzigen", object, move |conn| {
        Ok(bewaring::zet(
            conn,
            &c,
            std,
            dagen,
            &toelichting,
            &voorwaarde,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(regel.versie))
        .json(regel))
}

impl TermijnInvoer {
    /// The term and its reason, or every problem: the form, and when the body is refused
    /// for it (or was `geweigerd` already, by its schema), the kind's floor too (`BEWAARTERMIJN_ONDERGRENS`, of `std`, the kind in the
    /// path; the use case checks the floor of a body without other problems, after the
    /// role, so a refusal is recorded as every refused write is). The outside test of
    /// 2 Dec 2026: `{"termijnDagen": 1}` for the processing log named only `toelichting`.
    fn valideer(
        &self,
        std: Option<&Standaardtermijn>,
        geweigerd: bool,
    ) -> Result<(i64, String), AppError> {
        let mut v = Validatie::new();
        let dagen = v.verplicht("termijnDagen", self.termijn_dagen);
        if let Some(d) = dagen
            && !(1..=100 * 365).contains(&d)
        {
            v.fout(
                "termijnDagen",
                if d < 1 { "minimum" } else { "maximum" },
                "een termijn ligt tussen 1 dag en 100 jaar",
            );
        }
        let toelichting = v.tekst("toelichting", self.toelichting.as_deref(), 500);
        if (geweigerd || !v.is_leeg())
            && let (Some(d), Some(std)) = (dagen, std)
            && !v.noemt("termijnDagen")
            && let Some(p) = bewaring::onder_ondergrens(std, d)
        {
            v.fout(p.name, &p.code, p.reason);
        }
        paging::check(v)?;
        Ok((dagen.unwrap_or_default(), toelichting.unwrap_or_default()))
    }
}

impl crate::lichaam::Invoer for TermijnInvoer {
    /// The form and the floor of the kind in the path (`{soort}`).
    fn regels_bij(
        &self,
        _nu: chrono::DateTime<chrono::Utc>,
        req: &HttpRequest,
    ) -> Vec<ketenregie_common::InvalidParam> {
        let std = req
            .match_info()
            .get("soort")
            .and_then(|s| bewaring::standaard(s).ok());
        crate::lichaam::regels::uit_apperror(self.valideer(std, true))
    }
}
