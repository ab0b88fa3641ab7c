//! `/api/v1/personen` and `/personen/{id}/gezag`: register the persons of a case (BSN and
//! names encrypted, found only through `POST /briefings/_zoek`, never by BSN in a URL) and
//! the gezag over a child. Each handler parses, calls one use case of
//! `ketenregie_case::{personen, gezag}` and answers.

use crate::idempotentie::Idempotentie;
use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_case::gezag::{self, GezagInvoer};
use ketenregie_case::personen::{self, PersoonInvoer};
use ketenregie_case::weergave::{GezagKort, PersoonKort};
use ketenregie_store::DbPool;
use ketenregie_store::quota::Quotumsoort;

#[utoipa::path(
    post, path = "/personen", tag = "dossiers", operation_id = "persoonRegistreren",
    summary = "Persoon registreren",
    description = "Registers a person for the caller's organisation. BSN (elfproef) and names are encrypted at rest; look-up is by keyed hash through `POST /briefings/_zoek`. Registering a BSN the organisation already has answers 409 with the existing person's `Location`, never a copy. A registration with a BSN counts as a person look-up towards the daily quota (`QUOTUM_PER_GEBRUIKER`, 429 past it). Send `Idempotency-Key` to make a retry safe: the same key with the same body returns the first result (status, `Location` and body, not counted again); with another body a 422; while the first request with the key is still running a 409 with Retry-After.",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried POST safe")),
    request_body = PersoonInvoer,
    responses(
        (status = 201, description = "Geregistreerd", body = PersoonKort, headers(("Location" = String, description = "The new person"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 409, description = "Deze organisatie heeft dit BSN al (`Location` wijst de bestaande persoon), of het eerste verzoek met deze Idempotency-Key is nog in behandeling (met Retry-After)", body = Problem, headers(("Location" = String, description = "The existing person, when the BSN is already registered"))),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["identificatie", "bsn", "contactgegevens"], "alleenEigen": true})))
)]
pub async fn registreer(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Ruw,
) -> Result<HttpResponse, AppError> {
    let invoer: PersoonInvoer = body.lees().await?;
    let idem = Idempotentie::uit(&req, &ctx, &body)?;
    if let Some(eerder) = idem.eerder(&pool, &ctx).await? {
        return Ok(eerder);
    }
    let nieuw =
        crate::lichaam::met_registers(&pool, &invoer, invoer.valideer(ctx.vandaag())).await?;
    if nieuw.bsn.is_some() {
        crate::limieten::tel_quotum(&req, Quotumsoort::Persoon).await?;
    }
    let object = personen::object("nieuw", &ctx.actor.organisatie);
    let (c, i) = (ctx.clone(), idem.clone());
    let uitkomst = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        let p = personen::registreer(conn, &c, nieuw)?;
        let pad = format!("/api/v1/personen/{}", p.id);
        let antwoord = serde_json::to_string(&p).expect("serialises");
        i.bewaar(conn, 201, Some(&pad), None, &antwoord, c.nu)?;
        Ok((pad, antwoord))
    })
    .await;
    let (pad, antwoord) = match idem.na_afloop(&pool, &ctx, uitkomst).await? {
        Ok(v) => v,
        Err(eerder) => return Ok(eerder),
    };
    Ok(HttpResponse::Created()
        .insert_header(("Location", pad))
        .content_type("application/json")
        .body(antwoord))
}

#[utoipa::path(
    get, path = "/personen/{id}", tag = "dossiers", operation_id = "persoonOpvragen",
    summary = "Persoon opvragen",
    description = "A person record. Another organisation's record only as an agreement allows (BSN and address are separate categories and left out where not covered); every read is logged.",
    params(("id" = Uuid, Path, description = "Id of the person")),
    responses(
        (status = 200, description = "De persoon", body = PersoonKort),
        (status = 403, description = "Uw organisatie kan dit zien, maar niet met deze rol of niet zonder reden (X-Audit-Toelichting)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["identificatie", "bsn", "contactgegevens"]})))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = ctx.clone();
    let object = personen::object(&id.to_string(), "");
    let p = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(personen::lees(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(
    post, path = "/personen/{id}/gezag", tag = "dossiers", operation_id = "gezagVastleggen",
    summary = "Gezag over een kind vastleggen",
    description = gezag::uitleg::VASTLEGGEN,
    params(("id" = Uuid, Path, description = "The child (a person of your organisation)")),
    request_body = GezagInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = GezagKort, headers(("Location" = String, description = "The child's authority"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Een persoon van een andere organisatie die uw organisatie mag zien", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezag-en-omgang"], "alleenEigen": true})))
)]
pub async fn gezag_vastleggen(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<GezagInvoer>,
) -> Result<HttpResponse, AppError> {
    let kind = id.into_inner();
    let object = personen::object(&kind.to_string(), &ctx.actor.organisatie);
    let c = ctx.clone();
    let invoer = body.into_inner();
    let registers = crate::lichaam::Registervelden::van(&invoer);
    let uit = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(gezag::vastleggen(conn, &c, kind, &invoer)?)
    })
    .await;
    let uit = crate::lichaam::met_registervelden(&pool, registers, uit).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/personen/{kind}/gezag")))
        .json(uit))
}

#[utoipa::path(
    get, path = "/personen/{id}/gezag", tag = "dossiers", operation_id = "gezagOpvragen",
    summary = "Gezag over een kind",
    description = "The gezag records on this child, newest verification first (the first is the one that counts). No record is logged as the audit row alone, no processing-log row and no disclosure (LOG_ALLEEN_WAT_GETOOND).",
    params(("id" = Uuid, Path, description = "The child")),
    responses(
        (status = 200, description = "Gezag", body = Vec<GezagKort>),
        (status = 403, description = "Uw organisatie kan dit zien, maar niet met deze rol of niet zonder reden (X-Audit-Toelichting)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["gezag-en-omgang"]})))
)]
pub async fn gezag_lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let kind = id.into_inner();
    let c = ctx.clone();
    let object = personen::object(&kind.to_string(), "");
    let uit = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(gezag::van_kind(conn, &c, kind)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(uit))
}
