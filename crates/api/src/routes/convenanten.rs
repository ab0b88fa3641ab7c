//! `/api/v1/convenanten`: data-sharing agreements as data, and the acts that make them
//! bind (issue 11; the rules `ONDERTEKENAARS`, `INHOUDHASH`, `ALLE_HANDTEKENINGEN`,
//! `UITTREDEN`, `INTREKKEN` are described in `ketenregie_privacy::convenant`).
//!
//! A party's signatory creates a concept, edits it, makes new versions; each party signs
//! the exact content (`POST .../ondertekeningen`) and the version is active once all have;
//! a party leaves (`POST .../uittredingen`) or asks to withdraw (`POST .../intrekkingen`);
//! the platform admin withdraws at once. Readable by every party; to anyone else an
//! agreement does not exist (the same 404 as an unknown id, with a denied audit row).
//! Every act is in the agreement's audit trail. The use cases and their rules are
//! `ketenregie_privacy::convenant::handelingen`; the handlers parse, call one and answer.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::werkdagen::Kalendernaam;
use ketenregie_common::{Doel, Fout, Gegevenscategorie, Rol, Validatie};
use ketenregie_privacy::Context;
use ketenregie_privacy::convenant::{
    self as convenant, Bewaartermijn, ConvenantStatus, Doorbraakrol, Partij, Regel,
    Terugkoppelplicht, Volledig, handelingen,
};
use ketenregie_privacy::logboek;
use ketenregie_store::{DbConnection, DbPool};

mod weergave;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Whether a party has signed the version's current content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Ondertekenstatus {
    Ondertekend,
    Open,
}

/// One party's signature state on this version.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OndertekeningDto {
    /// The party's organisation code.
    pub organisatie: String,
    /// `ondertekend` when the party signed the current `inhoudHash`, else `open`.
    pub status: Ondertekenstatus,
    /// User id (`sub`) of the signatory; never a name.
    pub ondertekend_door: Option<String>,
    /// The signatory role it signed in.
    pub rol: Option<Rol>,
    pub ondertekend_op: Option<DateTime<Utc>>,
    /// The content hash signed (equal to the version's `inhoudHash`).
    #[schema(example = "sha256:9f2c0e5d0c1b4f6e8a7d3b2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f")]
    pub inhoud_hash: Option<String>,
}

/// A party's leaving, or its request to withdraw the whole version.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartijHandelingDto {
    pub organisatie: String,
    /// User id (`sub`) of the signatory who acted.
    pub door: String,
    pub op: DateTime<Utc>,
    pub reden: String,
}

/// One version of an agreement, with each party's signature state.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConvenantDto {
    pub id: Uuid,
    /// The agreement across its versions.
    pub reeks_id: Uuid,
    pub versie: i64,
    pub titel: String,
    pub status: ConvenantStatus,
    pub geldig_van: DateTime<Utc>,
    pub geldig_tot: Option<DateTime<Utc>>,
    pub partijen: Vec<Partij>,
    pub doelen: Vec<Doel>,
    pub categorieen: Vec<Gegevenscategorie>,
    pub regels: Vec<Regel>,
    pub terugkoppelplichten: Vec<Terugkoppelplicht>,
    pub bewaartermijnen: Vec<Bewaartermijn>,
    pub doorbraakrollen: Vec<Doorbraakrol>,
    /// The national calendar the feedback terms are counted in (in the receiver's working
    /// days, minus its own closed days).
    pub kalender: Kalendernaam,
    /// `sha256:<hex>` over the canonical serialisation of title, period and content: what
    /// a signatory reviews and names when signing. Changes with every change to a concept.
    #[schema(example = "sha256:9f2c0e5d0c1b4f6e8a7d3b2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f")]
    pub inhoud_hash: String,
    /// Per party, in the order of `partijen`: signed this content, or open.
    pub ondertekeningen: Vec<OndertekeningDto>,
    /// Parties that left this version: no data flows to or from them under it.
    pub uittredingen: Vec<PartijHandelingDto>,
    /// Parties that asked to withdraw this version; it is withdrawn when every party that
    /// has not left has asked.
    pub intrekkingsverzoeken: Vec<PartijHandelingDto>,
    /// The organisation whose signatory created it.
    pub eigenaar: String,
    pub aangemaakt_op: DateTime<Utc>,
    /// When the last party signed.
    pub geactiveerd_op: Option<DateTime<Utc>>,
    pub ingetrokken_op: Option<DateTime<Utc>>,
    pub intrekkingsreden: Option<String>,
}

/// A new agreement, or a change to a concept.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConvenantInvoer {
    #[schema(value_type = String, required = true, min_length = 1, max_length = 300, pattern = r"\S", example = "Convenant Veiligheidshuis Haaglanden")]
    pub titel: Option<String>,
    /// In force from (default: now). RFC 3339 date-time; its day (Europe/Amsterdam) from 1900-01-01 up to and including 1 year after today; another is a 422 `bereik` naming this field.
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub geldig_van: Option<DateTime<Utc>>,
    /// After `geldigVan`. RFC 3339 date-time; its day (Europe/Amsterdam) from 1900-01-01 up to and including 20 years after today; another is a 422 `bereik` naming this field.
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub geldig_tot: Option<DateTime<Utc>>,
    /// At least two, each registered in the partner directory (rule `geregistreerd`); the
    /// caller's organisation among them.
    #[schema(value_type = Vec<Partij>, required = true, min_items = 2)]
    pub partijen: Option<Vec<Partij>>,
    #[schema(value_type = Vec<Doel>, required = true, min_items = 1)]
    pub doelen: Option<Vec<Doel>>,
    #[schema(value_type = Vec<Gegevenscategorie>, required = true)]
    pub categorieen: Option<Vec<Gegevenscategorie>>,
    /// Each rule's purpose among `doelen` (rule `convenantdoel`), its categories among
    /// `categorieen` (rule `convenantcategorie`).
    #[schema(value_type = Vec<Regel>, required = true, min_items = 1)]
    pub regels: Option<Vec<Regel>>,
    pub terugkoppelplichten: Option<Vec<Terugkoppelplicht>>,
    pub bewaartermijnen: Option<Vec<Bewaartermijn>>,
    pub doorbraakrollen: Option<Vec<Doorbraakrol>>,
    /// The national calendar the feedback terms are counted in: `algemene-termijnenwet`
    /// (the default: 5 May every year, Good Friday a holiday) or `cao-lustrum` (the
    /// collective-agreement variant: 5 May only in lustrum years, Good Friday a working
    /// day). Another value is a 400 naming `kalender`.
    #[schema(value_type = Option<Kalendernaam>, example = "algemene-termijnenwet")]
    pub kalender: Option<String>,
}

/// A version as the answer: its representation at `nu` with its revision as the strong
/// `ETag` (RFC 9110 §8.8.3), which a later `PUT` names in `If-Match`.
fn antwoord(
    mut res: actix_web::HttpResponseBuilder,
    v: &Volledig,
    nu: DateTime<Utc>,
) -> HttpResponse {
    res.insert_header(etag(v.convenant.revisie))
        .json(ConvenantDto::van(v, nu))
}

/// How a version appears in its audit rows: as this API shows it.
pub(crate) fn toon(v: &Volledig, nu: DateTime<Utc>) -> serde_json::Value {
    serde_json::to_value(ConvenantDto::van(v, nu)).unwrap_or_default()
}

/// Run use case `f` on version `id` in one transaction, a refusal recorded in the
/// version's audit trail (`handelingen::object`: its owner's, or for an unknown id the
/// caller's).
pub(crate) async fn handel<T, F>(
    pool: &DbPool,
    ctx: &Context,
    actie: &'static str,
    id: Uuid,
    f: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &Context) -> Result<T, Fout> + Send + 'static,
{
    let c = ctx.clone();
    let object = db::run(pool, move |conn| Ok(handelingen::object(conn, &c, id)?)).await?;
    let c = ctx.clone();
    verwerking::tx(pool, ctx, actie, object, move |conn| Ok(f(conn, &c)?)).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ConvenantZoekParams {
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
    get, path = "/convenanten", tag = "convenanten", operation_id = "convenantenOpvragen",
    summary = "Convenanten van de eigen organisatie",
    description = "Every version of every agreement that names the caller's organisation as a party (also those it left), newest first, each with its parties' signature state.",
    params(ConvenantZoekParams),
    responses((status = 200, description = "Een pagina convenanten", body = inline(Lijst<ConvenantDto>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<ConvenantZoekParams>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    paging::check(v)?;
    let venster = p.venster(convenant::LIJST, q.cursor.as_deref())?;
    let c = ctx.clone();
    let pagina = db::run(&pool, move |conn| {
        Ok(handelingen::lijst(conn, &c, &venster)?)
    })
    .await?;
    let pagina = pagina.map(|c| ConvenantDto::van(&c, ctx.nu));
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, convenant::LIJST, pagina)))
}

#[utoipa::path(
    post, path = "/convenanten", tag = "convenanten", operation_id = "convenantAanmaken",
    summary = "Convenant aanmaken (concept)",
    description = "A signatory (`partijen[].ondertekenaars`, default `functioneel-beheerder` or `privacyfunctionaris`) of one of the parties creates version 1 as a concept. It binds nobody until every party has signed it (`POST /convenanten/{id}/ondertekeningen`). Every party must be registered in the partner directory (422 `geregistreerd` naming `partijen[i].organisatie`); the caller's organisation must be a party (403). A rule for the OM asks a reason per request (422 `verplicht-bij` at `regels[i].redenVerplicht` without `redenVerplicht: true`; OM_PER_VERZOEK_MET_REDEN, DOMAIN.md §4).",
    request_body = ConvenantInvoer,
    responses(
        (status = 201, description = "Aangemaakt als concept", body = ConvenantDto,
            headers(("Location" = String, description = "URL of the new agreement"), ("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Ongeldige invoer: de body past niet bij het schema", body = Problem),
        (status = 403, description = "De organisatie van de aanroeper is geen partij, of de aanroeper geen ondertekenaar", body = Problem),
        (status = 422, description = "Een regel van het domein geschonden, o.a. een partij die niet in de partnerlijst staat (`geregistreerd`) of een regel voor het OM zonder `redenVerplicht: true` (`verplicht-bij`, OM_PER_VERZOEK_MET_REDEN)", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Json<ConvenantInvoer>,
) -> Result<HttpResponse, AppError> {
    let velden = crate::lichaam::Registervelden::van(&*body);
    let g = crate::lichaam::met_registervelden(&pool, velden, body.into_inner().valideer(ctx.nu))
        .await?;
    let nu = ctx.nu;
    let (c2, object) = (ctx.clone(), handelingen::object_nieuw(&ctx));
    let c = verwerking::tx(&pool, &ctx, "aanmaken", object, move |conn| {
        Ok(handelingen::maak(conn, &c2, g, toon)?)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((
        "Location",
        format!("/api/v1/convenanten/{}", c.convenant.id),
    ));
    Ok(antwoord(res, &c, nu))
}

#[utoipa::path(
    get, path = "/convenanten/{id}", tag = "convenanten", operation_id = "convenantOpvragen",
    summary = "Eén convenantversie, met de ondertekeningen",
    description = "Readable by every organisation named as a party and by the platform admin; to anyone else the same 404 as an unknown id (the attempt is in the audit trail). Shows `inhoudHash`, each party's signature state, the parties that left and the withdrawal requests.",
    params(("id" = Uuid, Path, description = "Id of the agreement version")),
    responses(
        (status = 200, description = "Het convenant", body = ConvenantDto, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let v = handel(&pool, &ctx, "lezen", id, move |conn, c| {
        handelingen::lees(conn, c, id)
    })
    .await?;
    Ok(antwoord(HttpResponse::Ok(), &v, ctx.nu))
}

#[utoipa::path(
    put, path = "/convenanten/{id}", tag = "convenanten", operation_id = "convenantWijzigen",
    summary = "Concept wijzigen",
    description = "A party's signatory changes a concept in place. A change to the content changes its `inhoudHash` and voids every signature on it: every party signs again. An active agreement gets a new version (`POST /convenanten/{id}/versies`): 409 otherwise. Every act on a version (a change, a signature, a leave, a withdrawal request) raises its revision, the `ETag` of each answer; with `If-Match` the change applies only to the revision it names (412 otherwise). An organisation that left a version of the series changes none of it (403, `UITTREDEN`), and the content names no such organisation (422 `uitgetreden`).",
    params(("id" = Uuid, Path, description = "Id of the concept"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = ConvenantInvoer,
    responses(
        (status = 200, description = "Gewijzigd; eerdere ondertekeningen vervallen", body = ConvenantDto, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Ongeldige invoer: de body past niet bij het schema", body = Problem),
        (status = 403, description = "Geen ondertekenaar van een partij, of uitgetreden (`UITTREDEN`)", body = Problem),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
        (status = 409, description = "Geen concept", body = Problem),
        (status = 422, description = "Een regel van het domein geschonden: een partij die uit het convenant trad (`uitgetreden`), die niet in de partnerlijst staat (`geregistreerd`), of een partij van de actieve versie die ontbreekt (`contains`)", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn wijzig(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<ConvenantInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let velden = crate::lichaam::Registervelden::van(&*body);
    let g = crate::lichaam::met_registervelden(&pool, velden, body.into_inner().valideer(ctx.nu))
        .await?;
    let v = handel(&pool, &ctx, "wijzigen", id, move |conn, c| {
        handelingen::wijzig(conn, c, id, g, &voorwaarde, toon)
    })
    .await?;
    Ok(antwoord(HttpResponse::Ok(), &v, ctx.nu))
}

#[utoipa::path(
    post, path = "/convenanten/{id}/versies", tag = "convenanten", operation_id = "convenantVersieAanmaken",
    summary = "Nieuwe versie (concept) van een convenant",
    description = "Changes to an active agreement are made as a new concept version in the same series. It needs every party's signature again; the active version stays in force until then, and is withdrawn (\"vervangen door versie N\") when the new one is signed by all. It keeps every party of the active version that has not left: a party leaves only by its own act. It names no organisation that left a version of the series (422 `uitgetreden` naming `partijen[i].organisatie`): to take part again, a leaver is invited to a new agreement. A leaver makes no new version (403, `UITTREDEN`).",
    params(("id" = Uuid, Path, description = "Id of the version to start from")),
    request_body = ConvenantInvoer,
    responses(
        (status = 201, description = "Nieuwe conceptversie", body = ConvenantDto,
            headers(("Location" = String, description = "URL of the new version"), ("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Ongeldige invoer: de body past niet bij het schema", body = Problem),
        (status = 403, description = "Geen ondertekenaar van een partij, of uitgetreden (`UITTREDEN`)", body = Problem),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
        (status = 409, description = "Er is al een concept", body = Problem),
        (status = 422, description = "Een regel van het domein geschonden: een partij die uit het convenant trad (`uitgetreden`), die niet in de partnerlijst staat (`geregistreerd`), of een partij van de actieve versie die ontbreekt (`contains`)", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn nieuwe_versie(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<ConvenantInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let velden = crate::lichaam::Registervelden::van(&*body);
    let g = crate::lichaam::met_registervelden(&pool, velden, body.into_inner().valideer(ctx.nu))
        .await?;
    let v = handel(&pool, &ctx, "versie-aanmaken", id, move |conn, c| {
        handelingen::nieuwe_versie(conn, c, id, g, toon)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((
        "Location",
        format!("/api/v1/convenanten/{}", v.convenant.id),
    ));
    Ok(antwoord(res, &v, ctx.nu))
}

/// A signature: the content hash the signatory reviewed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OndertekeningInvoer {
    /// The `inhoudHash` of the version as the signatory read it (from `GET
    /// /convenanten/{id}`); 409 when the concept changed since.
    #[schema(required = true, value_type = String, example = "sha256:9f2c0e5d0c1b4f6e8a7d3b2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f", max_length = 100)]
    pub inhoud_hash: Option<String>,
}

#[utoipa::path(
    post, path = "/convenanten/{id}/ondertekeningen", tag = "convenanten", operation_id = "convenantOndertekenen",
    summary = "Concept ondertekenen namens de eigen organisatie",
    description = "A signatory of a party (`partijen[].ondertekenaars`, default `functioneel-beheerder` or `privacyfunctionaris`) signs the concept for its own organisation, naming the `inhoudHash` it reviewed. When every party has signed that exact hash the version becomes `actief` (activation time: the last signature) and the active version it replaces in the series is withdrawn. An organisation that left a version of the series signs none of it (403, `UITTREDEN`), and a concept that still names such an organisation is signed by nobody (409) until it is changed without it. Recorded in the audit trail.",
    params(("id" = Uuid, Path, description = "Id of the concept"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read: the act applies only to that revision")),
    request_body = OndertekeningInvoer,
    responses(
        (status = 200, description = "Ondertekend; `status` is `actief` als dit de laatste handtekening was", body = ConvenantDto, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "`inhoudHash` ontbreekt", body = Problem),
        (status = 403, description = "Geen ondertekenaar van deze partij, of uitgetreden (`UITTREDEN`)", body = Problem),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
        (status = 409, description = "De inhoud veranderde (de huidige en de gegeven hash staan in `detail`), al ondertekend, geen concept, of het concept noemt een uitgetreden partij", body = Problem),
        (status = 412, description = "`If-Match` noemt een andere revisie; er is niets veranderd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn onderteken(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<OndertekeningInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let mut v = Validatie::new();
    let hash = v.tekstregel("inhoudHash", body.inhoud_hash.as_deref(), 100);
    paging::check(v)?;
    let hash = hash.unwrap_or_default();
    let v = handel(&pool, &ctx, "ondertekenen", id, move |conn, c| {
        handelingen::onderteken(conn, c, id, &hash, &voorwaarde, toon)
    })
    .await?;
    Ok(antwoord(HttpResponse::Ok(), &v, ctx.nu))
}

/// Why a party leaves.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UittredingInvoer {
    #[schema(required = true, value_type = String, example = "Deelname aan de pilot beëindigd", max_length = 500)]
    pub reden: Option<String>,
}

#[utoipa::path(
    post, path = "/convenanten/{id}/uittredingen", tag = "convenanten", operation_id = "convenantUittreden",
    summary = "Uittreden: de eigen organisatie verlaat een actieve versie",
    description = "A signatory of a party ends its organisation's participation in the active version. From the next request no rule of this version lets data flow to or from that organisation, as reader or as owner; the other parties keep theirs. With fewer than two parties left, or when every remaining party had asked to withdraw, the version is withdrawn. Leaving ends the organisation's part in the whole series: it changes, signs, discards, asks to withdraw, leaves or makes a new version of none of its versions again (403, `UITTREDEN`, audited), and its signatures on the series' open concepts lapse. Recorded in the audit trail.",
    params(("id" = Uuid, Path, description = "Id of the active version"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read: the act applies only to that revision")),
    request_body = UittredingInvoer,
    responses(
        (status = 200, description = "Uitgetreden", body = ConvenantDto, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "`reden` ontbreekt", body = Problem),
        (status = 403, description = "Geen ondertekenaar van deze partij, of al uitgetreden uit een versie van dit convenant (`UITTREDEN`)", body = Problem),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
        (status = 409, description = "Niet actief", body = Problem),
        (status = 412, description = "`If-Match` noemt een andere revisie; er is niets veranderd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn treed_uit(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<UittredingInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let mut v = Validatie::new();
    let reden = v.tekst("reden", body.reden.as_deref(), 500);
    paging::check(v)?;
    let reden = reden.unwrap_or_default();
    let v = handel(&pool, &ctx, "uittreden", id, move |conn, c| {
        handelingen::treed_uit(conn, c, id, &reden, &voorwaarde, toon)
    })
    .await?;
    Ok(antwoord(HttpResponse::Ok(), &v, ctx.nu))
}

/// Why an agreement is withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntrekkingInvoer {
    #[schema(required = true, value_type = String, example = "Convenant opgezegd door partij", max_length = 500)]
    pub reden: Option<String>,
}

#[utoipa::path(
    post, path = "/convenanten/{id}/intrekkingen", tag = "convenanten", operation_id = "convenantIntrekken",
    summary = "Convenant intrekken, of daarom verzoeken",
    description = "The platform admin (`platformbeheerder`) withdraws any version at once. A party's signatory discards a concept at once (it grants nothing); for an active version it records its party's request, and the version is withdrawn when every party that has not left has asked (`intrekkingsverzoeken`). A withdrawal takes effect on the next request: every decision reads the agreements anew. Recorded in the audit trail.",
    params(("id" = Uuid, Path, description = "Id of the agreement version"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read: the act applies only to that revision")),
    request_body = IntrekkingInvoer,
    responses(
        (status = 200, description = "Ingetrokken, verworpen, of het verzoek van deze partij vastgelegd (`status` blijft dan `actief`)", body = ConvenantDto, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "`reden` ontbreekt", body = Problem),
        (status = 403, description = "Geen ondertekenaar van deze partij, of uitgetreden uit een versie van dit convenant (`UITTREDEN`)", body = Problem),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
        (status = 409, description = "Al ingetrokken, of al verzocht", body = Problem),
        (status = 412, description = "`If-Match` noemt een andere revisie; er is niets veranderd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn trek_in(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    body: crate::lichaam::Json<IntrekkingInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let voorwaarde = if_match(&req)?;
    let mut v = Validatie::new();
    let reden = v.tekst("reden", body.reden.as_deref(), 500);
    paging::check(v)?;
    let reden = reden.unwrap_or_default();
    let v = handel(&pool, &ctx, "intrekken", id, move |conn, c| {
        handelingen::trek_in(conn, c, id, &reden, &voorwaarde, toon)
    })
    .await?;
    Ok(antwoord(HttpResponse::Ok(), &v, ctx.nu))
}

/// One row of an audit trail.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditRegelDto {
    pub id: String,
    pub tijdstip: DateTime<Utc>,
    pub trace_id: String,
    pub gebruiker: String,
    pub gebruiker_naam: String,
    pub organisatie: String,
    pub applicatie: String,
    pub actie: String,
    pub object_type: String,
    pub object_id: String,
    /// The HTTP status of the operation (403 for a refusal).
    pub resultaat: i32,
    pub toelichting: Option<String>,
    pub doorbraak: bool,
    pub grondslag: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub oude_waarde: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub nieuwe_waarde: Option<serde_json::Value>,
    /// Hash of this row, chained to its predecessor.
    pub hash: String,
}

#[utoipa::path(
    get, path = "/convenanten/{id}/audittrail", tag = "convenanten", operation_id = "convenantAudittrail",
    summary = "Audittrail van een convenantversie",
    description = "Every act on the version: created, changed, each signature, activation, each leave and withdrawal request, withdrawal; refused attempts too. For the functional admin or privacy officer of any party. Paged by cursor (follow `next` and `previous`); `count` is exact up to 1,000 (`countIsExact`).",
    params(("id" = Uuid, Path, description = "Id of the agreement version"), crate::routes::verwerkingen::PaginaParams),
    responses(
        (status = 200, description = "De audittrail, oudste eerst", body = inline(Lijst<AuditRegelDto>)),
        (status = 422, description = "Een `cursor` die deze lijst niet uitgaf, of `cursor` met `page`", body = Problem),
        (status = 403, description = "Geen functioneel beheerder of privacyfunctionaris van een partij", body = Problem),
        (status = 404, description = "Bestaat niet, of de organisatie is geen partij", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn audittrail(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: crate::pad::PadId,
    q: web::Query<crate::routes::verwerkingen::PaginaParams>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    paging::check(v)?;
    let venster = p.venster(logboek::LIJST_AUDITTRAIL, q.cursor.as_deref())?;
    let pagina = handel(&pool, &ctx, "audittrail-lezen", id, move |conn, c| {
        handelingen::audittrail(conn, c, id, &venster)
    })
    .await?;
    let pagina = pagina.map(AuditRegelDto::from);
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, logboek::LIJST_AUDITTRAIL, pagina)))
}

impl crate::lichaam::Invoer for ConvenantInvoer {
    fn regels(&self, nu: chrono::DateTime<chrono::Utc>) -> Vec<ketenregie_common::InvalidParam> {
        crate::lichaam::regels::uit_apperror(self.clone().valideer(nu))
    }
    fn organisaties(&self) -> Vec<(String, String)> {
        self.partijen
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| (format!("partijen[{i}].organisatie"), p.organisatie.clone()))
            .collect()
    }
}
impl crate::lichaam::Invoer for OndertekeningInvoer {}
impl crate::lichaam::Invoer for UittredingInvoer {}
impl crate::lichaam::Invoer for IntrekkingInvoer {}
