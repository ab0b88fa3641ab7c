//! `POST /api/v1/briefings/_zoek`: the officer's one call before arrival
//! (`ketenregie_case::briefing::stel_op`, with the open zorgmeldingen from the
//! `ZorgmeldingBron` wired in `app.rs`). The search key travels in the body, never the URL.

use crate::metrics::Metrics;
use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use ketenregie_case::briefing::{self, Briefing, BriefingVraag, ZorgmeldingBron};
use ketenregie_privacy::logboek::Object;
use ketenregie_store::DbPool;

#[utoipa::path(
    post, path = "/briefings/_zoek", tag = "dossiers", operation_id = "briefingZoeken",
    summary = "Briefing voor aankomst",
    description = "Search with exactly one of: a BSN; first names + surname + date of birth; postcode + house number. Returns for the family or families found: the persons, incidents in the last 12 months and in total (dates, kinds, hoor-en-wederhoor), court decisions in force with the sterke-arm clause spelled out, OTS/UHP/huisverbod in force, gezag holders, arrangements in force, the organisations involved with their contact and 24/7 number, open zorgmeldingen and their state, and flags (`vechtscheiding`, `eenzijdige-verslaglegging`, `ouder-zonder-gezag`; rules in the README). Everything is filtered per owning organisation by the privacy decision for purpose `briefing` (the OM: `strafrechtelijke-beoordeling`, with `X-Audit-Toelichting` required). One processing-log row per person shown under the basis of each owner whose data on that person are shown, also when the caller holds the person too (LOG_ONDER_GRONDSLAG_EIGENAAR). Nothing found is a 200 with `gevonden: false`. A name search matching more than one identity lists `kandidaten` and merges nothing (`meerduidig: true`).",
    request_body = BriefingVraag,
    params(("X-Audit-Toelichting" = Option<String>, Header, description = "The reason for the consultation; required for the OM")),
    responses(
        (status = 200, description = "De briefing (ook als niets is gevonden)", body = Briefing),
        (status = 400, description = "Ongeldige zoekvraag", body = Problem),
        (status = 403, description = "Een reden (X-Audit-Toelichting) is vereist", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening"]})))
)]
pub async fn zoek(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    meldingen: web::Data<dyn ZorgmeldingBron>,
    metrics: web::Data<Metrics>,
    body: crate::lichaam::Json<BriefingVraag>,
) -> Result<HttpResponse, AppError> {
    let vraag = body.valideer(ctx.vandaag())?;
    let c2 = ctx.clone();
    let object = Object {
        soort: "briefings",
        id: "zoek".into(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let (b, rondes) = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(briefing::stel_op_geteld(conn, &c2, &**meldingen, &vraag)?)
    })
    .await?;
    metrics.briefing_rondes(rondes);
    Ok(HttpResponse::Ok().json(b))
}
