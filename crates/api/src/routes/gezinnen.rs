//! `/api/v1/gezinnen`: a family dossier of the caller's organisation with its members and
//! their relation, and the family-law facts recorded on it: beschikkingen (with the
//! duration rules of DOMAIN.md §4, see `ketenregie_case::beschikkingen`) and regelingen.

use crate::problem::{AppError, Problem};
use crate::routes::{dossier, zicht};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use ketenregie_case::beschikkingen::{self, BeschikkingInvoer};
use ketenregie_case::briefing::{
    BeschikkingKort, GezagKort, PersoonRef, RegelingKort, beschikking_kort, gezag_kort,
    persoon_ref, regeling_kort,
};
use ketenregie_case::gezinnen::{self, Gezin, GezinInvoer, Relatie};
use ketenregie_case::regelingen::{self, RegelingInvoer};
use ketenregie_case::{gezag, personen};
use ketenregie_common::Gegevenscategorie as C;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Context, Toestemming};
use ketenregie_store::{DbConnection, DbPool};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GezinslidDto {
    pub persoon: PersoonRef,
    pub relatie: Relatie,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub van: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tot: Option<NaiveDate>,
}

/// A family with the facts recorded on it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GezinDto {
    pub id: Uuid,
    pub eigenaar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kenmerk: Option<String>,
    pub leden: Vec<GezinslidDto>,
    /// Per child, the gezag records (newest verification first).
    pub gezag: Vec<GezagKort>,
    /// All decisions, each with whether it is in force today.
    pub beschikkingen: Vec<BeschikkingKort>,
    pub regelingen: Vec<RegelingKort>,
}

/// The kind of record, as named in a 404.
const GEZIN: &str = "gezin";

/// A family of the caller's organisation to add to; another's is refused within the view
/// (`EEN_ORGANISATIE_ZICHT`).
fn eigen_gezin(conn: &mut DbConnection, ctx: &Context, gezin: Uuid) -> Result<Gezin, AppError> {
    let g = gezinnen::lees(conn, gezin)?.ok_or_else(|| zicht::onbekend(GEZIN))?;
    if g.eigenaar != ctx.actor.organisatie {
        return Err(dossier::niet_eigen(
            conn,
            ctx,
            GEZIN,
            &g.eigenaar,
            &[C::Identificatie, C::Gezinssituatie],
            g.vertrouwelijkheid,
        )?);
    }
    Ok(g)
}

fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "gezinnen",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// The whole family as the permission allows, with its log rows.
fn gezin_dto(
    conn: &mut DbConnection,
    ctx: &Context,
    g: &Gezin,
    t: &Toestemming,
) -> Result<GezinDto, AppError> {
    let vandaag = ctx.vandaag();
    let ids: Vec<String> = g.leden.iter().map(|l| l.persoon.to_string()).collect();
    let leden = personen::lees_veel(conn, &ctx.versleuteling, &ids)?;
    let naam = |u: &Uuid| persoon_ref(&leden, u);
    let kinderen: Vec<String> = g.kinderen().map(|k| k.to_string()).collect();
    let feiten = t.mag_zien(C::GezagEnOmgang);
    let gezag_ = if feiten {
        gezag::van_kinderen(conn, &kinderen)?
    } else {
        vec![]
    };
    let beschikkingen_ = if feiten {
        beschikkingen::van_gezinnen(conn, &ctx.versleuteling, &[g.id.to_string()])?
    } else {
        vec![]
    };
    let regelingen_ = if feiten {
        regelingen::van_gezinnen(conn, &ctx.versleuteling, &[g.id.to_string()])?
    } else {
        vec![]
    };
    let subjecten: Vec<Uuid> = leden.iter().map(|p| p.betrokkene).collect();
    logboek::lezing(
        conn,
        ctx,
        t,
        object(&g.id.to_string(), &g.eigenaar),
        &subjecten,
    )?;
    Ok(GezinDto {
        id: g.id,
        eigenaar: g.eigenaar.clone(),
        kenmerk: g.kenmerk.clone(),
        leden: g
            .leden
            .iter()
            .map(|l| GezinslidDto {
                persoon: naam(&l.persoon),
                relatie: l.relatie,
                van: l.van,
                tot: l.tot,
            })
            .collect(),
        gezag: gezag_.iter().map(|x| gezag_kort(x, &naam)).collect(),
        beschikkingen: beschikkingen_
            .iter()
            .map(|x| beschikking_kort(x, vandaag, &naam))
            .collect(),
        regelingen: regelingen_.iter().map(regeling_kort).collect(),
    })
}

#[utoipa::path(
    post, path = "/gezinnen", tag = "dossiers", operation_id = "gezinAanmaken",
    summary = "Gezin (dossier) aanmaken",
    description = "A family grouping owned by the caller's organisation: children, parents, carers and other household members with their relation. Members are persons the organisation registered (`POST /personen`); a person may be in several families over time (`van`/`tot`).",
    request_body = GezinInvoer,
    responses(
        (status = 201, description = "Aangemaakt", body = GezinDto, headers(("Location" = String, description = "The new family"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezinssituatie"], "alleenEigen": true})))
)]
pub async fn maak(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<GezinInvoer>,
) -> Result<HttpResponse, AppError> {
    let nieuw = body.valideer()?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(
        &pool,
        &ctx,
        "aanmaken",
        object("nieuw", &eigenaar),
        move |conn| {
            let g = gezinnen::maak(conn, &c2.actor.organisatie, &nieuw, c2.nu)?;
            let ids: Vec<String> = g.leden.iter().map(|l| l.persoon.to_string()).collect();
            let leden = personen::lees_veel(conn, &c2.versleuteling, &ids)?;
            let t = dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::Gezinssituatie],
                object(&g.id.to_string(), &g.eigenaar),
                json!({"gezin": g.id, "leden": g.leden.len()}),
                &leden.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
            )?;
            gezin_dto(conn, &c2, &g, &t)
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/gezinnen/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(
    get, path = "/gezinnen/{id}", tag = "dossiers", operation_id = "gezinOpvragen",
    summary = "Gezin opvragen",
    description = "The family with its members, gezag per child, all decisions (each with `werking` today) and arrangements. Another organisation's family only as an agreement allows; family-law facts are left out where not covered.",
    params(("id" = Uuid, Path, description = "Id of the family")),
    responses(
        (status = 200, description = "Het gezin", body = GezinDto),
        (status = 403, description = "Uw organisatie kan dit zien, maar niet met deze rol of niet zonder reden (X-Audit-Toelichting)", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "briefing", "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang"]})))
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
            let g = gezinnen::lees(conn, id)?.ok_or_else(|| zicht::onbekend(GEZIN))?;
            let t = dossier::lees(
                conn,
                &c2,
                GEZIN,
                &g.eigenaar,
                &[C::Identificatie, C::Gezinssituatie],
                &[C::GezagEnOmgang],
                g.vertrouwelijkheid,
            )?;
            gezin_dto(conn, &c2, &g, &t)
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(
    post, path = "/gezinnen/{id}/beschikkingen", tag = "dossiers", operation_id = "beschikkingVastleggen",
    summary = "Beschikking vastleggen",
    description = "A court decision (or the burgemeester's huisverbod) on the family. Duration rules, each a 400 naming `tot` and the rule: VOORLOPIGE_OTS_MAX_DRIE_MAANDEN, OTS_MAX_EEN_JAAR, UHP_MAX_EEN_JAAR, HUISVERBOD_MAX_28_DAGEN (a huisverbod without `tot` runs 10 days: HUISVERBOD_TIEN_DAGEN). A UHP unused for 3 months lapses (UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT). `sterkeArm` true needs the clause's text (STERKE_ARM_MET_TEKST).",
    params(("id" = Uuid, Path, description = "A family of your organisation")),
    request_body = BeschikkingInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = BeschikkingKort),
        (status = 400, description = "Ongeldige invoer of een duurregel geschonden", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezag-en-omgang"], "alleenEigen": true})))
)]
pub async fn beschikking(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<BeschikkingInvoer>,
) -> Result<HttpResponse, AppError> {
    let gezin = id.into_inner();
    let b = body.valideer(gezin, ctx.vandaag())?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object(&gezin.to_string(), &eigenaar), move |conn| {
        let g = eigen_gezin(conn, &c2, gezin)?;
        let b = beschikkingen::maak(conn, &c2.versleuteling, &c2.actor.organisatie, b, c2.nu)?;
        let ids: Vec<String> = g.leden.iter().map(|l| l.persoon.to_string()).collect();
        let leden = personen::lees_veel(conn, &c2.versleuteling, &ids)?;
        dossier::schrijf_eigen(
            conn,
            &c2,
            &[C::GezagEnOmgang],
            Object { soort: "beschikkingen", id: b.id.to_string(), eigenaar: b.eigenaar.clone() },
            json!({"gezin": gezin, "soort": b.soort, "van": b.van, "tot": b.tot, "sterkeArm": b.sterke_arm}),
            &leden.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
        )?;
        let naam = |u: &Uuid| persoon_ref(&leden, u);
        Ok(beschikking_kort(&b, c2.vandaag(), &naam))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/gezinnen/{gezin}")))
        .json(dto))
}

#[utoipa::path(
    post, path = "/gezinnen/{id}/regelingen", tag = "dossiers", operation_id = "regelingVastleggen",
    summary = "Omgangs- of zorgregeling vastleggen",
    description = "An omgangsregeling (a parent without gezag) or zorgregeling (joint gezag), its source and a summary of the schedule (encrypted at rest).",
    params(("id" = Uuid, Path, description = "A family of your organisation")),
    request_body = RegelingInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = RegelingKort),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["gezag-en-omgang"], "alleenEigen": true})))
)]
pub async fn regeling(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<RegelingInvoer>,
) -> Result<HttpResponse, AppError> {
    let gezin = id.into_inner();
    let r = body.valideer(gezin)?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(
        &pool,
        &ctx,
        "aanmaken",
        object(&gezin.to_string(), &eigenaar),
        move |conn| {
            let g = eigen_gezin(conn, &c2, gezin)?;
            let r = regelingen::maak(conn, &c2.versleuteling, &c2.actor.organisatie, r, c2.nu)?;
            let ids: Vec<String> = g.leden.iter().map(|l| l.persoon.to_string()).collect();
            let leden = personen::lees_veel(conn, &c2.versleuteling, &ids)?;
            dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::GezagEnOmgang],
                Object {
                    soort: "regelingen",
                    id: r.id.to_string(),
                    eigenaar: r.eigenaar.clone(),
                },
                json!({"gezin": gezin, "soort": r.soort, "van": r.van, "tot": r.tot}),
                &leden.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
            )?;
            Ok(regeling_kort(&r))
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/gezinnen/{gezin}")))
        .json(dto))
}
