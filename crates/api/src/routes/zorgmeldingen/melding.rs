//! The melding itself: draft, read, change, withdraw a concept, its steps, the inbox and
//! outbox.

use super::dto::{StapDto, ZoekParams, ZorgmeldingDto, richting};
use super::uitvoeren;
use crate::db;
use crate::idempotentie::Idempotentie;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::{Validatie, is_gemeentecode};
use ketenregie_referral::inhoud::MeldingInvoer;
use ketenregie_referral::opslag::{self, Filter};
use ketenregie_referral::{self as referral, Verwijdering, Wijziging, partij};
use ketenregie_store::DbPool;

#[utoipa::path(
    post, path = "/zorgmeldingen", tag = "zorgmeldingen", operation_id = "zorgmeldingAanmaken",
    summary = "Zorgmelding opstellen (concept)",
    description = "Police (wijkagent, jeugdcoördinator, noodhulp) draft a zorgmelding. Send `Idempotency-Key` to make a retry safe: the same key with the same body returns the first result (status, `Location`, `ETag` and body); with another body a 422; while the first request with the key is still running a 409 with Retry-After. Keys are scoped to your organisation and expire after `privacy.idempotency_hours`.",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried POST safe")),
    request_body = MeldingInvoer,
    responses(
        (status = 201, description = "Concept aangemaakt", body = ZorgmeldingDto,
            headers(("Location" = String, description = "URL of the melding"), ("ETag" = String, description = "Version"))),
        (status = 409, description = "Het eerste verzoek met deze Idempotency-Key is nog in behandeling (met Retry-After)", body = Problem),
        (status = 422, description = "Idempotency-Key al gebruikt voor een ander verzoek (andere body of andere gebruiker)", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]})))
)]
pub async fn maak(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Ruw,
) -> Result<HttpResponse, AppError> {
    let invoer: MeldingInvoer = body.lees().await?;
    let idem = Idempotentie::uit(&req, &ctx, &body)?;
    if let Some(eerder) = idem.eerder(&pool, &ctx).await? {
        return Ok(eerder);
    }
    let melding =
        crate::lichaam::met_registers(&pool, &invoer, invoer.naar_melding(ctx.vandaag())).await?;
    let (c, i) = (ctx.clone(), idem.clone());
    let object = partij::verzoekobject(None, &ctx.actor);
    let uitkomst = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        let m = referral::maak(conn, &c, melding)?;
        let antwoord = serde_json::to_string(&ZorgmeldingDto::van(&m, c.nu)).expect("serialises");
        i.bewaar(
            conn,
            201,
            Some(&m.kop.pad()),
            Some(m.kop.versie),
            &antwoord,
            c.nu,
        )?;
        Ok((m.kop, antwoord))
    })
    .await;
    let (kop, antwoord) = match idem.na_afloop(&pool, &ctx, uitkomst).await? {
        Ok(v) => v,
        Err(eerder) => return Ok(eerder),
    };
    Ok(HttpResponse::Created()
        .insert_header(("Location", kop.pad()))
        .insert_header(etag(kop.versie))
        .content_type("application/json")
        .body(antwoord))
}

#[utoipa::path(
    get, path = "/zorgmeldingen/{id}", tag = "zorgmeldingen", operation_id = "zorgmeldingOpvragen",
    summary = "Eén zorgmelding",
    description = "For the sender and the receiver only; the content is redacted by the agreement (e.g. the reporter's identity).",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    responses(
        (status = 200, description = "De zorgmelding", body = ZorgmeldingDto, headers(("ETag" = String, description = "Version, for If-Match"))),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "veiligheidsbeoordeling", "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]})))
)]
pub async fn een(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Only reads, in one statement that also reads the register's version stamp
    // (`referral::melding::lees_met_stempel`): no transaction (`verwerking::lezing`), and
    // the authentication's provisional check of the register confirmed at that stamp
    // (`auth::bevestig`) before anything is answered or logged.
    let x = ctx.clone();
    let voorlopig = crate::auth::Voorlopig::van(&req);
    let object = partij::verzoekobject(Some(id), &ctx.actor);
    let m = verwerking::lezing(&pool, &ctx, object, move |c| {
        let gelezen = referral::melding::lees_met_stempel(c, &x, id);
        let stempel = gelezen.as_ref().ok().map(|(_, s)| *s);
        crate::auth::bevestig(c, &x.stamgegevens, voorlopig.as_ref(), stempel)?;
        Ok(gelezen?.0)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(m.kop.versie))
        .json(ZorgmeldingDto::van(&m, ctx.nu)))
}

#[utoipa::path(
    put, path = "/zorgmeldingen/{id}", tag = "zorgmeldingen", operation_id = "zorgmeldingWijzigen",
    summary = "Concept wijzigen",
    description = "Only a concept, only by the author's organisation. The body is judged before the `If-Match` precondition (RFC 9110 §13.2.1, the order of STAP_VOOR_REDEN): a body with a problem is a 400 or 422 whatever version it names; a body that holds, at a version that is no longer current, is the 412.",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = MeldingInvoer,
    responses(
        (status = 200, description = "Gewijzigd", body = ZorgmeldingDto, headers(("ETag" = String, description = "New version"))),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Geen concept meer", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]})))
)]
pub async fn wijzig(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<MeldingInvoer>,
) -> Result<HttpResponse, AppError> {
    let w = Wijziging {
        id: id.into_inner(),
        verwacht_versie: if_match(&req)?,
        melding: crate::lichaam::met_registers(&pool, &*body, body.naar_melding(ctx.vandaag()))
            .await?,
    };
    let m = uitvoeren(&pool, &ctx, "wijzigen", Some(w.id), move |c, x| {
        referral::wijzig(c, x, w)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(m.kop.versie))
        .json(ZorgmeldingDto::van(&m, ctx.nu)))
}

#[utoipa::path(
    delete, path = "/zorgmeldingen/{id}", tag = "zorgmeldingen", operation_id = "zorgmeldingVerwijderen",
    summary = "Concept verwijderen",
    description = "Withdraws a concept that was started by mistake (wrong family, a duplicate): the melding goes with everything stored for it (its encrypted content, its steps, the identities of its children and parents, own statements on it, a stored idempotent answer that repeated it). Only a concept (rule `CONCEPT_VERWIJDERBAAR`: a submitted melding is kept and lapses under retention), only by the author's organisation (rule `AFZENDER_BEHEERT_CONCEPT`). With `If-Match` only the version it names; without it the removal is unconditional, as for `PUT`. The audit trail gets a `verwijderen` row and the processing log one `verwijdering` row per child and parent, in the same transaction.",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    responses(
        (status = 204, description = "Verwijderd"),
        (status = 403, description = "Niet de organisatie van de opsteller (regel AFZENDER_BEHEERT_CONCEPT), of geen toestemming volgens het besluit", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Geen concept meer (regel CONCEPT_VERWIJDERBAAR); de huidige status staat erbij", body = Problem),
        (status = 412, description = "Intussen gewijzigd of ingediend", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]})))
)]
pub async fn verwijder(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let v = Verwijdering {
        id: id.into_inner(),
        verwacht_versie: if_match(&req)?,
    };
    uitvoeren(&pool, &ctx, "verwijderen", Some(v.id), move |c, x| {
        referral::verwijder_concept(c, x, v)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get, path = "/zorgmeldingen/{id}/stappen", tag = "zorgmeldingen", operation_id = "zorgmeldingStappen",
    summary = "Alle stappen van een zorgmelding",
    description = "Every step: who, on behalf of which organisation, when, from which status to which, and why. Hand-over steps are shown on both linked tasks.",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    responses((status = 200, description = "De stappen, oudste eerst", body = Vec<StapDto>), (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem)),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "veiligheidsbeoordeling", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn stappen(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = uitvoeren(&pool, &ctx, "lezen", Some(id), move |c, x| {
        referral::stappen(c, x, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(s.into_iter().map(StapDto::from).collect::<Vec<_>>()))
}

#[utoipa::path(
    get, path = "/zorgmeldingen", tag = "zorgmeldingen", operation_id = "zorgmeldingenOpvragen",
    summary = "Inbox en outbox",
    description = "The receiver sees what was routed or handed over to it, the sender what it sent; status and dates, no personal content (read one melding for that). Paged by cursor: follow `next` and `previous` (each carries `cursor`); a page costs the same however long the history. `page` jumps from the start instead (not with `cursor`). `count` is exact up to 1,000 (`countIsExact`).",
    params(ZoekParams),
    responses((status = 200, description = "Een pagina zorgmeldingen, laatst gewijzigd eerst", body = inline(Lijst<ZorgmeldingDto>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<ZoekParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    let ontvangen = richting(&mut v, q.richting.as_deref());
    v.periode("van", q.van, "tot", q.tot);
    if q.gemeente.as_deref().is_some_and(|g| !is_gemeentecode(g)) {
        v.fout(
            "gemeente",
            "pattern",
            "een CBS-gemeentecode bestaat uit 4 cijfers",
        );
    }
    paging::check(v)?;
    let f = Filter {
        organisatie: String::new(),
        ontvangen,
        taakstatus: q.taakstatus,
        meldingstatus: q.meldingstatus,
        van: q.van,
        tot: q.tot,
        gemeente: q.gemeente,
        gewijzigd_sinds: q.gewijzigd_sinds,
    };
    let venster = p.venster(opslag::LIJST, q.cursor.as_deref())?;
    let c = ctx.clone();
    let pagina = db::run(&pool, move |conn| {
        Ok(referral::pagina(conn, &c, f, &venster)?)
    })
    .await?;
    let pagina = pagina.map(|k| ZorgmeldingDto::kop(&k));
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, opslag::LIJST, pagina)))
}
