//! `/api/v1/incidenten`: police mutation summaries with the statements of each side and
//! the hoor-en-wederhoor status (`ketenregie_case::incidenten`). Only police
//! organisations record incidents (`INCIDENT_DOOR_POLITIE`).

use crate::problem::{AppError, Problem};
use crate::routes::{dossier, zicht};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_case::incidenten::{
    self, Incident, IncidentInvoer, Incidentsoort, Verklaarder, VerklaringInvoer, Wederhoor,
    WederhoorInvoer,
};
use ketenregie_case::personen;
use ketenregie_common::{Gegevenscategorie as C, OrganisatieSoort, Validatie};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_store::{DbConnection, DbPool, directory};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncidentBetrokkeneDto {
    pub persoon: Uuid,
    pub rol: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerklaringDto {
    pub id: Uuid,
    pub afgelegd_door: Verklaarder,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persoon: Option<Uuid>,
    pub tekst: String,
    pub afgelegd_op: DateTime<Utc>,
    pub vastgelegd_door: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncidentDto {
    pub id: Uuid,
    pub eigenaar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gezin: Option<Uuid>,
    pub tijdstip: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gemeente: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaats: Option<String>,
    pub soort: Incidentsoort,
    pub politie_referentie: String,
    pub samenvatting: String,
    pub betrokkenen: Vec<IncidentBetrokkeneDto>,
    /// Each statement attributed to who made it, oldest first.
    pub verklaringen: Vec<VerklaringDto>,
    pub wederhoor: Wederhoor,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wederhoor_op: Option<DateTime<Utc>>,
    /// Only one parent's story, the other not heard (`HOOR_EN_WEDERHOOR`).
    pub eenzijdig: bool,
}

fn dto(i: &Incident) -> IncidentDto {
    IncidentDto {
        id: i.id,
        eigenaar: i.eigenaar.clone(),
        gezin: i.gezin,
        tijdstip: i.tijdstip,
        gemeente: i.gemeente.clone(),
        plaats: i.plaats.clone(),
        soort: i.soort,
        politie_referentie: i.politie_referentie.clone(),
        samenvatting: i.samenvatting.clone(),
        betrokkenen: i
            .betrokkenen
            .iter()
            .map(|(p, r)| IncidentBetrokkeneDto {
                persoon: *p,
                rol: r.clone(),
            })
            .collect(),
        verklaringen: i
            .verklaringen
            .iter()
            .map(|s| VerklaringDto {
                id: s.id,
                afgelegd_door: s.afgelegd_door,
                persoon: s.persoon,
                tekst: s.tekst.clone(),
                afgelegd_op: s.afgelegd_op,
                vastgelegd_door: s.vastgelegd_door.clone(),
            })
            .collect(),
        wederhoor: i.wederhoor,
        wederhoor_op: i.wederhoor_op,
        eenzijdig: i.eenzijdig(),
    }
}

/// The kind of record, as named in a 404.
const INCIDENT: &str = "incident";

/// An incident of the caller's organisation to add to; another's is refused within the
/// view (`EEN_ORGANISATIE_ZICHT`).
fn eigen_incident(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<(), AppError> {
    let i = incidenten::lees_veel(conn, &ctx.versleuteling, &[id.to_string()])?
        .pop()
        .ok_or_else(|| zicht::onbekend(INCIDENT))?;
    if i.eigenaar != ctx.actor.organisatie {
        return Err(dossier::niet_eigen(
            conn,
            ctx,
            INCIDENT,
            &i.eigenaar,
            &[C::Politiegegevens],
            i.vertrouwelijkheid,
        )?);
    }
    Ok(())
}

fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "incidenten",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// `INCIDENT_DOOR_POLITIE`: incidents are police records (Wpg).
fn alleen_politie(conn: &mut DbConnection, ctx: &Context) -> Result<(), AppError> {
    let soort = directory::kern_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.2);
    if soort == Some(OrganisatieSoort::Politie) {
        Ok(())
    } else {
        Err(AppError::GeenToegang(
            "Alleen de politie legt incidenten vast (politiegegevens, Wpg); registreer uw betrokkenheid met POST /betrokkenheden".into(),
        ))
    }
}

/// The identities of an incident's persons, for the processing log.
fn subjecten(conn: &mut DbConnection, ctx: &Context, i: &Incident) -> Result<Vec<Uuid>, AppError> {
    let ids: Vec<String> = i
        .betrokkenen
        .iter()
        .map(|(p, _)| *p)
        .chain(i.verklaringen.iter().filter_map(|s| s.persoon))
        .map(|p| p.to_string())
        .collect();
    Ok(personen::lees_veel(conn, &ctx.versleuteling, &ids)?
        .iter()
        .map(|p| p.betrokkene)
        .collect())
}

#[utoipa::path(
    post, path = "/incidenten", tag = "dossiers", operation_id = "incidentVastleggen",
    summary = "Incident vastleggen (politie)",
    description = "A police mutation summary: time, place, kind, the persons involved and their role, the police reference, and the statements of each side (the child's own voice as its own statement). `wederhoor` records whether the other parent was heard (rule HOOR_EN_WEDERHOOR); without it the incident is `nee` and shown as one-sided where only one parent made a statement.",
    request_body = IncidentInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = IncidentDto, headers(("Location" = String, description = "The new incident"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Geen politieorganisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["politiegegevens"], "alleenEigen": true})))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<IncidentInvoer>,
) -> Result<HttpResponse, AppError> {
    let nieuw = body.valideer(ctx.nu)?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object("nieuw", &eigenaar), move |conn| {
        alleen_politie(conn, &c2)?;
        if let Some(g) = &nieuw.gemeente {
            crate::routes::organisaties::controleer_gemeentecodes(conn, &[("gemeente".into(), g.clone())])?;
        }
        let i = incidenten::maak(conn, &c2.versleuteling, &c2.actor.organisatie, nieuw, c2.nu)?;
        let s = subjecten(conn, &c2, &i)?;
        dossier::schrijf_eigen(
            conn,
            &c2,
            &[C::Politiegegevens],
            object(&i.id.to_string(), &i.eigenaar),
            json!({"incident": i.id, "soort": i.soort, "verklaringen": i.verklaringen.len(), "wederhoor": i.wederhoor}),
            &s,
        )?;
        Ok(dto(&i))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/incidenten/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(
    get, path = "/incidenten/{id}", tag = "dossiers", operation_id = "incidentOpvragen",
    summary = "Incident opvragen",
    description = "The incident with every statement. Another organisation reads it only as an agreement allows (category `politiegegevens`).",
    params(("id" = Uuid, Path, description = "Id of the incident")),
    responses(
        (status = 200, description = "Het incident", body = IncidentDto),
        (status = 403, description = "Uw organisatie kan dit zien, maar niet met deze rol of niet zonder reden (X-Audit-Toelichting)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["politiegegevens"]})))
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c2 = ctx.clone();
    let dto = verwerking::tx(
        &pool,
        &ctx,
        "lezen",
        object(&id.to_string(), ""),
        move |conn| {
            let i = incidenten::lees_veel(conn, &c2.versleuteling, &[id.to_string()])?
                .pop()
                .ok_or_else(|| zicht::onbekend(INCIDENT))?;
            let t = dossier::lees(
                conn,
                &c2,
                INCIDENT,
                &i.eigenaar,
                &[C::Politiegegevens],
                &[],
                i.vertrouwelijkheid,
            )?;
            let s = subjecten(conn, &c2, &i)?;
            logboek::lezing(conn, &c2, &t, object(&i.id.to_string(), &i.eigenaar), &s)?;
            Ok(dto(&i))
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(
    post, path = "/incidenten/{id}/verklaringen", tag = "dossiers", operation_id = "verklaringToevoegen",
    summary = "Verklaring toevoegen",
    description = "Adds a statement to an incident of your organisation, attributed to who made it (moeder, vader, kind, getuige, agent). Hearing the other parent later is exactly this, followed by `PUT /incidenten/{id}/wederhoor`.",
    params(("id" = Uuid, Path, description = "An incident of your organisation")),
    request_body = VerklaringInvoer,
    responses(
        (status = 201, description = "Toegevoegd", body = IncidentDto),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["politiegegevens"], "alleenEigen": true})))
)]
pub async fn verklaring(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<VerklaringInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let s = body.valideer(&mut v, "", ctx.nu);
    v.afronden(|| ()).map_err(AppError::validatie)?;
    let s = s.ok_or_else(|| AppError::intern("verklaring zonder fouten maar leeg"))?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(
        &pool,
        &ctx,
        "wijzigen",
        object(&id.to_string(), &eigenaar),
        move |conn| {
            eigen_incident(conn, &c2, id)?;
            let i = incidenten::voeg_verklaring_toe(
                conn,
                &c2.versleuteling,
                &c2.actor.organisatie,
                id,
                s,
                c2.nu,
            )?;
            let subj = subjecten(conn, &c2, &i)?;
            dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::Politiegegevens],
                object(&i.id.to_string(), &i.eigenaar),
                json!({"incident": i.id, "verklaringen": i.verklaringen.len()}),
                &subj,
            )?;
            Ok(dto(&i))
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/incidenten/{id}")))
        .json(dto))
}

#[utoipa::path(
    put, path = "/incidenten/{id}/wederhoor", tag = "dossiers", operation_id = "wederhoorVastleggen",
    summary = "Hoor en wederhoor vastleggen",
    description = "Whether the other parent was heard: `ja`, `nee`, `niet-bereikbaar` or `geweigerd`, and when (required unless `nee`). Rule HOOR_EN_WEDERHOOR.",
    params(("id" = Uuid, Path, description = "An incident of your organisation")),
    request_body = WederhoorInvoer,
    responses(
        (status = 200, description = "Vastgelegd", body = IncidentDto),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["politiegegevens"], "alleenEigen": true})))
)]
pub async fn wederhoor(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<WederhoorInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let w = body.valideer(&mut v, "", ctx.nu);
    v.afronden(|| ()).map_err(AppError::validatie)?;
    let (status, op) = w.ok_or_else(|| AppError::intern("wederhoor zonder fouten maar leeg"))?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(
        &pool,
        &ctx,
        "wijzigen",
        object(&id.to_string(), &eigenaar),
        move |conn| {
            eigen_incident(conn, &c2, id)?;
            let i = incidenten::zet_wederhoor(
                conn,
                &c2.versleuteling,
                &c2.actor.organisatie,
                id,
                status,
                op,
            )?;
            let subj = subjecten(conn, &c2, &i)?;
            dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::Politiegegevens],
                object(&i.id.to_string(), &i.eigenaar),
                json!({"incident": i.id, "wederhoor": i.wederhoor}),
                &subj,
            )?;
            Ok(dto(&i))
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}
