//! `/api/v1/verwerkingen`: the organisation's log searched (processing and refused
//! attempts), the disclosures of its records and the break-glass review, for an
//! organisation's privacy officer (the inzage report is `routes::inzage`). Who may, and
//! what is logged, is `ketenregie_privacy::verantwoording`; the handlers parse, call one
//! use case and answer.

use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::convenanten::AuditRegelDto;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Bsn, Doel, Validatie};
use ketenregie_privacy::logboek::{self, Logregel, Uitkomst};
use ketenregie_privacy::verantwoording::{self, Persoonsvraag, Zoekvraag};
use ketenregie_privacy::verstrekking::{self, Verstrekking, Verstrekkingvraag};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A search of the own organisation's log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerwerkingZoekInvoer {
    /// The data subject: a person id any route of your organisation returned (a person
    /// record, yours or another organisation's, or the identity). Not with `bsn`.
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub betrokkene: Option<Uuid>,
    /// The data subject by BSN (nine digits, elfproef), in the body, never in a URL. Not
    /// with `betrokkene`.
    #[schema(value_type = Option<String>, pattern = r"^[0-9]{9}$")]
    pub bsn: Option<String>,
    /// From this moment (inclusive). A filter: any moment, since nothing is stored.
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub van: Option<DateTime<Utc>>,
    /// Until this moment (exclusive). A filter: any moment, since nothing is stored.
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub tot: Option<DateTime<Utc>>,
    /// The purpose (a refused attempt has none: with this filter none are listed).
    pub doel: Option<Doel>,
    /// The agreement (a refused attempt has none: with this filter none are listed).
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub convenant: Option<Uuid>,
    /// Allowed by the rules, refused, or by break-glass.
    pub uitkomst: Option<Uitkomst>,
    /// Page number, from 1 (default 1): a jump from the start (its cost grows with the
    /// page number). Not with the query parameter `cursor` (422 naming `cursor`); to page
    /// on, post the same body to the `next` or `previous` link.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    #[schema(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub page_size: Option<u32>,
}

/// What a refused attempt was (only on a refused row).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PogingDto {
    /// The action tried, e.g. `lezen`.
    pub actie: String,
    pub object_type: String,
    pub object_id: String,
    /// The organisation whose record it was.
    pub eigenaar: String,
    /// Who tried (user id and display name; the organisation is `organisatie`).
    pub gebruiker: String,
    pub gebruiker_naam: String,
}

/// One row of the organisation's log: a processing of one data subject (Logboek
/// dataverwerkingen), or a refused attempt (from the audit trail).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerwerkingDto {
    pub id: String,
    /// Allowed by the rules, refused, or by break-glass.
    pub uitkomst: Uitkomst,
    /// The organisation that processed (your own), or that tried.
    pub organisatie: String,
    pub trace_id: String,
    /// Absent on a refused attempt.
    pub span_id: Option<String>,
    pub parent_span_id: Option<String>,
    /// The processing activity: the purpose. Absent on a refused attempt.
    pub activiteit: Option<String>,
    /// The legal basis; on a refused attempt, the reason of the refusal.
    pub grondslag: String,
    pub convenant: Option<String>,
    pub convenant_versie: Option<i64>,
    /// Pseudonymised subject id (keyed hash); on a refused attempt, that of the person
    /// searched for, if any.
    pub betrokkene: Option<String>,
    pub resultaat: String,
    pub doorbraak: bool,
    pub start_op: DateTime<Utc>,
    pub eind_op: DateTime<Utc>,
    /// What was tried (refused attempts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poging: Option<PogingDto>,
}

impl From<Logregel> for VerwerkingDto {
    fn from(r: Logregel) -> Self {
        let uitkomst = r.uitkomst();
        match r {
            Logregel::Verwerking(r) => Self {
                id: r.id,
                uitkomst,
                organisatie: r.organisatie,
                trace_id: r.trace_id,
                span_id: Some(r.span_id),
                parent_span_id: r.parent_span_id,
                activiteit: Some(r.activiteit),
                grondslag: r.grondslag,
                convenant: r.convenant_id,
                convenant_versie: r.convenant_versie,
                betrokkene: Some(r.betrokkene),
                resultaat: r.resultaat,
                doorbraak: r.doorbraak,
                start_op: ketenregie_common::time::from_db(r.start_op),
                eind_op: ketenregie_common::time::from_db(r.eind_op),
                poging: None,
            },
            Logregel::Weigering { rij, betrokkene } => Self {
                id: rij.id,
                uitkomst,
                organisatie: rij.organisatie,
                trace_id: rij.trace_id,
                span_id: None,
                parent_span_id: None,
                activiteit: None,
                grondslag: rij.grondslag.unwrap_or_default(),
                convenant: None,
                convenant_versie: None,
                betrokkene,
                resultaat: "geweigerd".into(),
                doorbraak: rij.doorbraak,
                start_op: ketenregie_common::time::from_db(rij.tijdstip),
                eind_op: ketenregie_common::time::from_db(rij.tijdstip),
                poging: Some(PogingDto {
                    actie: rij.actie,
                    object_type: rij.object_type,
                    object_id: rij.object_id,
                    eigenaar: rij.eigenaar,
                    gebruiker: rij.gebruiker,
                    gebruiker_naam: rij.gebruiker_naam,
                }),
            },
        }
    }
}

/// The query of a search posted with a JSON body: only the position of a page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct CursorParams {
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`). Not with `page`.
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

/// `cursor` (in the query) and `page` (in the body) together: a problem at `cursor`, as on
/// the lists paged in the query (`Paginering::met_cursor`).
fn cursor_zonder_page(v: &mut Validatie, p: &Paginering, cursor: Option<&str>) {
    if cursor.is_some() && p.page_gegeven {
        v.fout(
            "cursor",
            ketenregie_store::venster::CURSOR_CODE,
            "`cursor` en `page` gaan niet samen: volg `next` en `previous`, of begin met `page`",
        );
    }
}

#[utoipa::path(
    post, path = "/verwerkingen/_zoek", tag = "verwerkingen", operation_id = "verwerkingenZoeken",
    summary = "Verwerkingslog doorzoeken",
    description = "The privacy officer searches the own organisation's log: its processing of personal data (the processing log) and the refused attempts of other organisations on its records (its audit trail: who tried, what, when and why refused; those answered as an unknown id included), by person, period, purpose, agreement and outcome (toegestaan, geweigerd, doorbraak). By person (`betrokkene`: any person id your routes returned; or `bsn`, in the body only) it finds every row about that person, whichever id is given: subjects are pseudonymised under one subject id per person. A refused attempt is about the person when it was on a record their data was processed under (linked by trace id) or on the person. Paged by cursor (keyset: a page costs the same however often the person was read): post the same body to the `next` or `previous` link, which carries the query parameter `cursor`; `count` is exact up to 1,000 (`countIsExact`).",
    params(CursorParams),
    request_body = VerwerkingZoekInvoer,
    responses(
        (status = 200, description = "Een pagina verwerkingen en geweigerde pogingen, nieuwste eerst", body = inline(Lijst<VerwerkingDto>)),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Geen privacyfunctionaris", body = Problem),
        (status = 422, description = "Een `cursor` die deze lijst niet uitgaf, of `cursor` met `page`", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "kwaliteit-en-verantwoording", "categorieen": ["identificatie"]})))
)]
pub async fn zoek(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<CursorParams>,
    body: crate::lichaam::Json<VerwerkingZoekInvoer>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let mut v = Validatie::new();
    let (p, bsn) = b.valideer(&mut v, q.cursor.as_deref());
    paging::check(v)?;
    let persoon = match (b.betrokkene, bsn) {
        (Some(id), _) => Some(Persoonsvraag::Id(id)),
        (None, Some(bsn)) => Some(Persoonsvraag::Bsn(bsn)),
        (None, None) => None,
    };
    let z = Zoekvraag {
        persoon,
        van: b.van,
        tot: b.tot,
        doel: b.doel,
        convenant: b.convenant,
        uitkomst: b.uitkomst,
    };
    let venster = p.venster(logboek::LIJST_ZOEK, q.cursor.as_deref())?;
    let (c, object) = (ctx.clone(), verantwoording::object(&ctx, "_zoek"));
    let pagina = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verantwoording::zoek_verwerkingen(conn, &c, z, &venster)?)
    })
    .await?;
    let pagina = pagina.map(VerwerkingDto::from);
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, logboek::LIJST_ZOEK, pagina)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct PaginaParams {
    /// Page number, from 1 (default 1): a jump from the start. Not with `cursor`.
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
    get, path = "/verwerkingen/doorbraken", tag = "verwerkingen", operation_id = "doorbrakenOpvragen",
    summary = "Doorbraken ter toetsing",
    description = "Break-glass reads by or on data of the own organisation, newest first, for review by the privacy officer. Paged by cursor (follow `next` and `previous`); `count` is exact up to 1,000 (`countIsExact`).",
    params(PaginaParams),
    responses(
        (status = 200, description = "Een pagina doorbraken", body = inline(Lijst<AuditRegelDto>)),
        (status = 422, description = "Een `cursor` die deze lijst niet uitgaf, of `cursor` met `page`", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn doorbraken(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<PaginaParams>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    paging::check(v)?;
    let venster = p.venster(logboek::LIJST_DOORBRAKEN, q.cursor.as_deref())?;
    let (c, object) = (ctx.clone(), verantwoording::object(&ctx, "doorbraken"));
    let pagina = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verantwoording::doorbraken(conn, &c, &venster)?)
    })
    .await?;
    let pagina = pagina.map(AuditRegelDto::from);
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, logboek::LIJST_DOORBRAKEN, pagina)))
}

/// The filters of the disclosure view.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct VerstrekkingParams {
    /// From this moment (inclusive), RFC 3339.
    #[param(value_type = Option<String>, format = DateTime)]
    pub van: Option<String>,
    /// Until this moment (exclusive), RFC 3339.
    #[param(value_type = Option<String>, format = DateTime)]
    pub tot: Option<String>,
    /// Only to this organisation (its code; a code that is not registered is a 422 naming
    /// `aan`).
    pub aan: Option<String>,
    /// Only for this purpose.
    #[param(value_type = Option<Doel>)]
    pub doel: Option<String>,
    /// Only break-glass reads (`true`) or only the others (`false`).
    #[param(value_type = Option<bool>)]
    pub doorbraak: Option<String>,
    /// Page number, from 1 (default 1).
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

/// A disclosure: a read of one of your organisation's records by another organisation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerstrekkingDto {
    pub id: String,
    pub tijdstip: DateTime<Utc>,
    /// The reading organisation's code.
    pub aan: String,
    /// The reader's roles.
    pub rollen: Vec<String>,
    /// The purpose of the read.
    pub doel: String,
    /// The legal basis, with agreement id and version.
    pub grondslag: String,
    pub convenant: Option<String>,
    pub convenant_versie: Option<i64>,
    /// A break-glass read (outside the rules, with a reason; reviewed).
    pub doorbraak: bool,
    /// The record read.
    pub object_type: String,
    pub object_id: String,
    /// The request's trace id: the same as the read's row in your audit trail.
    pub trace_id: String,
}

impl From<Verstrekking> for VerstrekkingDto {
    fn from(v: Verstrekking) -> Self {
        Self {
            tijdstip: v.tijdstip_utc(),
            rollen: v.rollen(),
            id: v.id,
            aan: v.ontvanger,
            doel: v.doel,
            grondslag: v.grondslag,
            convenant: v.convenant_id,
            convenant_versie: v.convenant_versie,
            doorbraak: v.doorbraak,
            object_type: v.object_type,
            object_id: v.object_id,
            trace_id: v.trace_id,
        }
    }
}

fn moment(v: &mut Validatie, naam: &str, s: Option<&str>) -> Option<DateTime<Utc>> {
    let s = s?;
    match ketenregie_common::time::lees_tijdstip(s) {
        // TIJDSTIP_IN_OPSLAGBEREIK: compared with stored moments (text on SQLite).
        Some(t) => Some(ketenregie_common::time::in_opslagbereik(
            t.with_timezone(&Utc),
        )),
        None => {
            v.fout(
                naam,
                "format",
                format!("`{naam}` is een tijdstip als 2026-04-01T00:00:00Z"),
            );
            None
        }
    }
}

#[utoipa::path(
    get, path = "/verwerkingen/verstrekkingen", tag = "verwerkingen", operation_id = "verstrekkingenOpvragen",
    summary = "Verstrekkingen: wie las gegevens van uw organisatie",
    description = "For the owner's privacy officer only: every read of your organisation's records by another organisation (through an agreement or by break-glass), newest first, with who (organisation and roles), when, for which purpose, on which legal basis and agreement version, and the trace id of the read's row in your audit trail. The reader's own log holds the same read as its processing.",
    params(VerstrekkingParams),
    responses(
        (status = 200, description = "Een pagina verstrekkingen, nieuwste eerst", body = inline(Lijst<VerstrekkingDto>)),
        (status = 403, description = "Geen privacyfunctionaris", body = Problem),
        (status = 422, description = "Een periode waarin `van` na `tot` ligt, of `aan` noemt geen geregistreerde organisatie", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn verstrekkingen(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<VerstrekkingParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    let van = moment(&mut v, "van", q.van.as_deref());
    let tot = moment(&mut v, "tot", q.tot.as_deref());
    v.periode("van", van, "tot", tot);
    let doel = q
        .doel
        .as_deref()
        .and_then(|d| v.keuze::<Doel>("doel", Some(d)));
    let doorbraak = match q.doorbraak.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            v.fout("doorbraak", "enum", "`doorbraak` is `true` of `false`");
            None
        }
    };
    paging::check(v)?;
    let vraag = Verstrekkingvraag {
        van,
        tot,
        aan: q.aan,
        doel,
        doorbraak,
    };
    let venster = p.venster(verstrekking::LIJST, q.cursor.as_deref())?;
    let (c, object) = (ctx.clone(), verantwoording::object(&ctx, "verstrekkingen"));
    let pagina = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verantwoording::verstrekkingen(conn, &c, vraag, &venster)?)
    })
    .await?;
    let pagina = pagina.map(VerstrekkingDto::from);
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, verstrekking::LIJST, pagina)))
}

#[utoipa::path(
    get, path = "/verwerkingen/verstrekkingen/{id}", tag = "verwerkingen", operation_id = "verstrekkingOpvragen",
    summary = "Eén verstrekking",
    description = "One read of your organisation's records by another organisation, for the owner's privacy officer; the notice `nl.ketenregie.privacy.gegevens-verstrekt` links here. Another organisation's disclosure is answered as unknown.",
    params(("id" = Uuid, Path, description = "Id of the disclosure")),
    responses(
        (status = 200, description = "De verstrekking", body = VerstrekkingDto),
        (status = 403, description = "Geen privacyfunctionaris", body = Problem),
        (status = 404, description = "Onbekend", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn verstrekking(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (c, object) = (
        ctx.clone(),
        verantwoording::object(&ctx, &format!("verstrekkingen/{id}")),
    );
    let v = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        Ok(verantwoording::verstrekking(conn, &c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(VerstrekkingDto::from(v)))
}

impl VerwerkingZoekInvoer {
    /// Every rule of the search into `v`: the paging (with the query's `cursor`), the
    /// BSN's elfproef, the period's order (`volgorde`), one way to name the person.
    fn valideer(&self, v: &mut Validatie, cursor: Option<&str>) -> (Paginering, Option<Bsn>) {
        let p = Paginering::uit_getallen(v, self.page, self.page_size);
        cursor_zonder_page(v, &p, cursor);
        let bsn = v.bsn("bsn", self.bsn.as_deref());
        v.periode("van", self.van, "tot", self.tot);
        if self.betrokkene.is_some() && self.bsn.is_some() {
            v.fout(
                "bsn",
                "oneOf",
                "zoek met `betrokkene` of met `bsn`, niet met beide",
            );
        }
        (p, bsn)
    }
}

impl crate::lichaam::Invoer for VerwerkingZoekInvoer {
    fn regels_bij(
        &self,
        _nu: chrono::DateTime<chrono::Utc>,
        req: &HttpRequest,
    ) -> Vec<ketenregie_common::InvalidParam> {
        let cursor = web::Query::<CursorParams>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.into_inner().cursor);
        let mut v = Validatie::new();
        self.valideer(&mut v, cursor.as_deref());
        crate::lichaam::regels::uit_apperror(paging::check(v))
    }
}
