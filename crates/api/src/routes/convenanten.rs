//! `/api/v1/convenanten`: data-sharing agreements as data. Created, changed (as concept),
//! activated and withdrawn by a functional admin of a party; readable by every party.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::verwerking::Verwerking;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actor, Doel, Gegevenscategorie, Rol, Validatie};
use ketenregie_privacy::convenant::{
    self, Bewaartermijn, Convenant, ConvenantGegevens, ConvenantStatus, Doorbraakrol, Inhoud,
    Partij, Regel, Terugkoppelplicht,
};
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_store::DbPool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One version of an agreement.
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
    /// The organisation whose admin created it.
    pub eigenaar: String,
    pub aangemaakt_op: DateTime<Utc>,
    pub geactiveerd_op: Option<DateTime<Utc>>,
    pub ingetrokken_op: Option<DateTime<Utc>>,
    pub intrekkingsreden: Option<String>,
}

impl ConvenantDto {
    fn van(c: Convenant, nu: DateTime<Utc>) -> Self {
        Self {
            id: c.id,
            reeks_id: c.reeks_id,
            versie: c.versie,
            titel: c.titel.clone(),
            status: c.status(nu),
            geldig_van: c.geldig_van,
            geldig_tot: c.geldig_tot,
            partijen: c.inhoud.partijen,
            doelen: c.inhoud.doelen,
            categorieen: c.inhoud.categorieen,
            regels: c.inhoud.regels,
            terugkoppelplichten: c.inhoud.terugkoppelplichten,
            bewaartermijnen: c.inhoud.bewaartermijnen,
            doorbraakrollen: c.inhoud.doorbraakrollen,
            eigenaar: c.eigenaar,
            aangemaakt_op: c.aangemaakt_op,
            geactiveerd_op: c.geactiveerd_op,
            ingetrokken_op: c.ingetrokken_op,
            intrekkingsreden: c.intrekkingsreden,
        }
    }
}

/// A new agreement, or a change to a concept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConvenantInvoer {
    #[schema(example = "Convenant Veiligheidshuis Haaglanden")]
    pub titel: Option<String>,
    pub geldig_van: Option<DateTime<Utc>>,
    pub geldig_tot: Option<DateTime<Utc>>,
    pub partijen: Option<Vec<Partij>>,
    pub doelen: Option<Vec<Doel>>,
    pub categorieen: Option<Vec<Gegevenscategorie>>,
    pub regels: Option<Vec<Regel>>,
    pub terugkoppelplichten: Option<Vec<Terugkoppelplicht>>,
    pub bewaartermijnen: Option<Vec<Bewaartermijn>>,
    pub doorbraakrollen: Option<Vec<Doorbraakrol>>,
}

impl ConvenantInvoer {
    fn valideer(self, nu: DateTime<Utc>) -> Result<ConvenantGegevens, AppError> {
        let mut v = Validatie::new();
        let titel = v.tekst("titel", self.titel.as_deref(), 300);
        let geldig_van = self.geldig_van.unwrap_or(nu);
        if let Some(tot) = self.geldig_tot
            && tot <= geldig_van
        {
            v.fout("geldigTot", "minimum", "`geldigTot` ligt na `geldigVan`");
        }
        let partijen = v.verplicht("partijen", self.partijen);
        let doelen = v.verplicht("doelen", self.doelen);
        let categorieen = v.verplicht("categorieen", self.categorieen);
        let regels = v.verplicht("regels", self.regels);
        let inhoud = match (partijen, doelen, categorieen, regels) {
            (Some(partijen), Some(doelen), Some(categorieen), Some(regels)) => {
                let i = Inhoud {
                    partijen,
                    doelen,
                    categorieen,
                    regels,
                    terugkoppelplichten: self.terugkoppelplichten.unwrap_or_default(),
                    bewaartermijnen: self.bewaartermijnen.unwrap_or_default(),
                    doorbraakrollen: self.doorbraakrollen.unwrap_or_default(),
                };
                i.valideer(&mut v);
                Some(i)
            }
            _ => None,
        };
        let fouten = v.afronden(|| ()).err();
        match (fouten, titel, inhoud) {
            (None, Some(titel), Some(inhoud)) => Ok(ConvenantGegevens {
                titel,
                geldig_van,
                geldig_tot: self.geldig_tot,
                inhoud,
            }),
            (Some(f), ..) => Err(AppError::validatie(f)),
            _ => Err(AppError::intern(
                "validation returned no value and no error",
            )),
        }
    }
}

fn object(c: &Convenant) -> Object {
    Object {
        soort: "convenanten",
        id: c.id.to_string(),
        eigenaar: c.eigenaar.clone(),
    }
}

fn schrijf_audit(
    conn: &mut ketenregie_store::DbConnection,
    ctx: &ketenregie_privacy::Context,
    actie: &str,
    c: &Convenant,
    oud: Option<&Convenant>,
    status: u16,
) -> Result<(), AppError> {
    let json = |c: &Convenant| serde_json::to_value(ConvenantDto::van(c.clone(), ctx.nu)).ok();
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: actie.into(),
            object: object(c),
            resultaat: status,
            doorbraak: false,
            grondslag: None,
            oud: oud.and_then(json),
            nieuw: json(c),
        },
    )
    .map_err(AppError::from)
}

fn lees_als_partij(
    conn: &mut ketenregie_store::DbConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Convenant, AppError> {
    let c = convenant::lees(conn, id)?
        .ok_or_else(|| AppError::NietGevonden(format!("Er is geen convenant met id {id}")))?;
    if !c.inhoud.is_partij(&actor.organisatie) {
        return Err(AppError::GeenToegang(format!(
            "Organisatie `{}` is geen partij bij dit convenant",
            actor.organisatie
        )));
    }
    Ok(c)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ConvenantZoekParams {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    pub page_size: Option<u32>,
}

#[utoipa::path(
    get, path = "/convenanten", tag = "convenanten", operation_id = "convenantenOpvragen",
    summary = "Convenanten van de eigen organisatie",
    description = "Every version of every agreement the caller's organisation is a party to, newest first.",
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
    let p = Paginering::uit(&mut v, q.page, q.page_size);
    paging::check(v)?;
    let org = ctx.actor.organisatie.clone();
    let (items, totaal) = db::run(&pool, move |c| {
        convenant::van_partij(c, &org, p.offset(), p.limit()).map_err(AppError::from)
    })
    .await?;
    let items = items
        .into_iter()
        .map(|c| ConvenantDto::van(c, ctx.nu))
        .collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}

#[utoipa::path(
    post, path = "/convenanten", tag = "convenanten", operation_id = "convenantAanmaken",
    summary = "Convenant aanmaken (concept)",
    description = "A functional admin of one of the parties creates version 1 as a concept.",
    request_body = ConvenantInvoer,
    responses(
        (status = 201, description = "Aangemaakt als concept", body = ConvenantDto,
            headers(("Location" = String, description = "URL of the new agreement"))),
    ),
    security(("bearer" = []))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<ConvenantInvoer>,
) -> Result<HttpResponse, AppError> {
    let g = body.into_inner().valideer(ctx.nu)?;
    let nu = ctx.nu;
    let c = db::tx(&pool, move |conn| {
        let c = convenant::maak(conn, &ctx.actor, g, None, ctx.nu)?;
        schrijf_audit(conn, &ctx, "aanmaken", &c, None, 201)?;
        Ok(c)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/convenanten/{}", c.id)))
        .json(ConvenantDto::van(c, nu)))
}

#[utoipa::path(
    get, path = "/convenanten/{id}", tag = "convenanten", operation_id = "convenantOpvragen",
    summary = "Eén convenantversie",
    params(("id" = Uuid, Path, description = "Id of the agreement version")),
    responses(
        (status = 200, description = "Het convenant", body = ConvenantDto),
        (status = 404, description = "Bestaat niet", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = ctx.actor.clone();
    let c = db::run(&pool, move |conn| lees_als_partij(conn, &actor, id)).await?;
    Ok(HttpResponse::Ok().json(ConvenantDto::van(c, ctx.nu)))
}

#[utoipa::path(
    put, path = "/convenanten/{id}", tag = "convenanten", operation_id = "convenantWijzigen",
    summary = "Concept wijzigen",
    description = "Only a concept is changed in place; an active agreement gets a new version (`POST /convenanten/{id}/versies`): 409 otherwise.",
    params(("id" = Uuid, Path, description = "Id of the concept")),
    request_body = ConvenantInvoer,
    responses(
        (status = 200, description = "Gewijzigd", body = ConvenantDto),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 409, description = "Geen concept", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn wijzig(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<ConvenantInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let g = body.into_inner().valideer(ctx.nu)?;
    let nu = ctx.nu;
    let c = db::tx(&pool, move |conn| {
        let (oud, nieuw) = convenant::wijzig_concept(conn, &ctx.actor, id, g)?;
        schrijf_audit(conn, &ctx, "wijzigen", &nieuw, Some(&oud), 200)?;
        Ok(nieuw)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ConvenantDto::van(c, nu)))
}

#[utoipa::path(
    post, path = "/convenanten/{id}/versies", tag = "convenanten", operation_id = "convenantVersieAanmaken",
    summary = "Nieuwe versie (concept) van een convenant",
    description = "Changes to an active agreement are made as a new concept version in the same series; activating it withdraws the version it replaces.",
    params(("id" = Uuid, Path, description = "Id of the version to start from")),
    request_body = ConvenantInvoer,
    responses(
        (status = 201, description = "Nieuwe conceptversie", body = ConvenantDto,
            headers(("Location" = String, description = "URL of the new version"))),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 409, description = "Er is al een concept", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn nieuwe_versie(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<ConvenantInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let g = body.into_inner().valideer(ctx.nu)?;
    let nu = ctx.nu;
    let c = db::tx(&pool, move |conn| {
        let c = convenant::nieuwe_versie(conn, &ctx.actor, id, g, ctx.nu)?;
        schrijf_audit(conn, &ctx, "versie-aanmaken", &c, None, 201)?;
        Ok(c)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/convenanten/{}", c.id)))
        .json(ConvenantDto::van(c, nu)))
}

#[utoipa::path(
    post, path = "/convenanten/{id}/activeringen", tag = "convenanten", operation_id = "convenantActiveren",
    summary = "Concept activeren",
    params(("id" = Uuid, Path, description = "Id of the concept")),
    responses(
        (status = 200, description = "Actief", body = ConvenantDto),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 409, description = "Geen concept", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn activeer(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let nu = ctx.nu;
    let c = db::tx(&pool, move |conn| {
        let c = convenant::activeer(conn, &ctx.actor, id, ctx.nu)?;
        schrijf_audit(conn, &ctx, "activeren", &c, None, 200)?;
        Ok(c)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ConvenantDto::van(c, nu)))
}

/// Why an agreement is withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntrekkingInvoer {
    #[schema(required = true, value_type = String, example = "Convenant opgezegd door partij")]
    pub reden: Option<String>,
}

#[utoipa::path(
    post, path = "/convenanten/{id}/intrekkingen", tag = "convenanten", operation_id = "convenantIntrekken",
    summary = "Convenant intrekken",
    description = "Takes effect on the next request: every decision reads the agreements anew.",
    params(("id" = Uuid, Path, description = "Id of the agreement version")),
    request_body = IntrekkingInvoer,
    responses(
        (status = 200, description = "Ingetrokken", body = ConvenantDto),
        (status = 404, description = "Bestaat niet", body = Problem),
        (status = 409, description = "Al ingetrokken", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn trek_in(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<IntrekkingInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let reden = v.tekst("reden", body.reden.as_deref(), 500);
    paging::check(v)?;
    let reden = reden.unwrap_or_default();
    let nu = ctx.nu;
    let c = db::tx(&pool, move |conn| {
        let c = convenant::trek_in(conn, &ctx.actor, id, &reden, ctx.nu)?;
        schrijf_audit(conn, &ctx, "intrekken", &c, None, 200)?;
        Ok(c)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ConvenantDto::van(c, nu)))
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

impl From<logboek::AuditRij> for AuditRegelDto {
    fn from(r: logboek::AuditRij) -> Self {
        Self {
            id: r.id.clone(),
            tijdstip: r.tijdstip_utc(),
            trace_id: r.trace_id,
            gebruiker: r.gebruiker,
            gebruiker_naam: r.gebruiker_naam,
            organisatie: r.organisatie,
            applicatie: r.applicatie,
            actie: r.actie,
            object_type: r.object_type,
            object_id: r.object_id,
            resultaat: r.resultaat,
            toelichting: r.toelichting,
            doorbraak: r.doorbraak,
            grondslag: r.grondslag,
            oude_waarde: r.oude_waarde.and_then(|s| serde_json::from_str(&s).ok()),
            nieuwe_waarde: r.nieuwe_waarde.and_then(|s| serde_json::from_str(&s).ok()),
            hash: r.hash,
        }
    }
}

/// May this actor read the audit trail of objects owned by `eigenaar`?
pub fn mag_audittrail_lezen(actor: &Actor, eigenaar: &str) -> Result<(), AppError> {
    if actor.organisatie == eigenaar
        && (actor.heeft_rol(Rol::FunctioneelBeheerder) || actor.heeft_rol(Rol::Privacyfunctionaris))
    {
        Ok(())
    } else {
        Err(AppError::GeenToegang(format!(
            "De audittrail is alleen leesbaar voor de functioneel beheerder of privacyfunctionaris van `{eigenaar}`"
        )))
    }
}

#[utoipa::path(
    get, path = "/convenanten/{id}/audittrail", tag = "convenanten", operation_id = "convenantAudittrail",
    summary = "Audittrail van een convenantversie",
    params(("id" = Uuid, Path, description = "Id of the agreement version"), ConvenantZoekParams),
    responses(
        (status = 200, description = "De audittrail, oudste eerst", body = inline(Lijst<AuditRegelDto>)),
        (status = 404, description = "Bestaat niet", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn audittrail(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    q: web::Query<ConvenantZoekParams>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::uit(&mut v, q.page, q.page_size);
    paging::check(v)?;
    let (rijen, totaal) = db::run(&pool, move |conn| {
        let c = convenant::lees(conn, id)?
            .ok_or_else(|| AppError::NietGevonden(format!("Er is geen convenant met id {id}")))?;
        mag_audittrail_lezen(&ctx.actor, &c.eigenaar)?;
        logboek::audittrail_van(conn, "convenanten", &id.to_string(), p.offset(), p.limit())
            .map_err(AppError::from)
    })
    .await?;
    let items = rijen.into_iter().map(AuditRegelDto::from).collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}
