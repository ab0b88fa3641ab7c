//! `/api/v1/betrokkenheden` and `/api/v1/matches`: the Verwijsindex-style signal "we are
//! involved with this child" (fact, contact, date; no content) and the coordination
//! matches it produces (`ketenregie_case::betrokkenheid`).

use crate::problem::{AppError, Problem};
use crate::routes::{dossier, zicht};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_case::betrokkenheid::{
    self, Betrokkenheid, BetrokkenheidInvoer, Contact, Match, MatchReden,
};
use ketenregie_common::Gegevenscategorie as C;
use ketenregie_privacy::logboek::Object;
use ketenregie_store::{DbPool, directory};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchDto {
    pub id: Uuid,
    pub reden: MatchReden,
    /// Your organisation's signal.
    pub eigen_betrokkenheid: Uuid,
    pub andere_organisatie: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub andere_organisatie_naam: Option<String>,
    pub ander_contact: Contact,
    pub aangemaakt_op: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BetrokkenheidDto {
    pub id: Uuid,
    pub organisatie: String,
    pub persoon: Uuid,
    pub contact: Contact,
    pub sinds: NaiveDate,
    /// VERWIJSINDEX_VERVALTERMIJN: the earliest of 2 years and the child's 23rd birthday.
    pub vervalt_op: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beeindigd_op: Option<NaiveDate>,
    /// The matches this registration produced.
    pub matches: Vec<MatchDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchLijst {
    pub count: usize,
    pub results: Vec<MatchDto>,
}

fn match_dto(conn: &mut ketenregie_store::DbConnection, m: Match) -> Result<MatchDto, AppError> {
    let naam = directory::kern_op_code(conn, &m.andere_organisatie)?.map(|o| o.1);
    Ok(MatchDto {
        id: m.id,
        reden: m.reden,
        eigen_betrokkenheid: m.eigen_betrokkenheid,
        andere_organisatie: m.andere_organisatie,
        andere_organisatie_naam: naam,
        ander_contact: m.ander_contact,
        aangemaakt_op: m.aangemaakt_op,
    })
}

fn dto(b: Betrokkenheid, matches: Vec<MatchDto>) -> BetrokkenheidDto {
    BetrokkenheidDto {
        id: b.id,
        organisatie: b.organisatie,
        persoon: b.persoon,
        contact: b.contact,
        sinds: b.sinds,
        vervalt_op: b.vervalt_op,
        beeindigd_op: b.beeindigd_op,
        matches,
    }
}

/// Kinds of record, as named in a 404.
const BETROKKENHEID: &str = "betrokkenheid";
const MATCH: &str = "match";

fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "betrokkenheden",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

#[utoipa::path(
    post, path = "/betrokkenheden", tag = "dossiers", operation_id = "betrokkenheidRegistreren",
    summary = "Betrokkenheid bij een kind registreren",
    description = "Registers only the fact that your organisation is involved with this child, a named contact and a date (no content), as the Verwijsindex does. Only for those entitled (COORDINATIE_CONVENANT): an agreement in force must have a rule for your organisation's kind and one of your roles with purpose `coordinatie`, action `aanmaken` and category `hulpverlening` (else 403), and the child must be a person your organisation registered (else 400 naming `persoon`). When another organisation is registered with the same child (ZELFDE_KIND) or with a child sharing a parent (GEDEELDE_OUDER), and both organisations are parties of one agreement in force with such a rule for each (MATCH_BINNEN_CONVENANT), both get a match: in the answer, in `GET /matches` and as a notification `nl.ketenregie.matches.match-gevonden`; otherwise neither hears of the other. The signal lapses by VERWIJSINDEX_VERVALTERMIJN.",
    request_body = BetrokkenheidInvoer,
    responses(
        (status = 201, description = "Geregistreerd, met de gevonden matches", body = BetrokkenheidDto, headers(("Location" = String, description = "The signal"))),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Geen convenant met een coördinatieregel voor uw organisatie en rol", body = Problem),
        (status = 409, description = "Uw organisatie heeft al een actieve betrokkenheid bij dit kind", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["hulpverlening"], "alleenEigen": true})))
)]
pub async fn registreer(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<BetrokkenheidInvoer>,
) -> Result<HttpResponse, AppError> {
    let n = body.valideer(ctx.vandaag())?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let dto = verwerking::tx(&pool, &ctx, "aanmaken", object("nieuw", &eigenaar), move |conn| {
        let (b, matches) = betrokkenheid::registreer(conn, &c2, &n)?;
        dossier::schrijf_eigen(
            conn,
            &c2,
            &[C::Hulpverlening],
            object(&b.id.to_string(), &b.organisatie),
            json!({"betrokkenheid": b.id, "sinds": b.sinds, "vervaltOp": b.vervalt_op, "matches": matches.len()}),
            &[b.betrokkene],
        )?;
        let m = matches.into_iter().map(|m| match_dto(conn, m)).collect::<Result<Vec<_>, _>>()?;
        Ok(dto(b, m))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/betrokkenheden/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(
    delete, path = "/betrokkenheden/{id}", tag = "dossiers", operation_id = "betrokkenheidBeeindigen",
    summary = "Betrokkenheid beëindigen",
    description = "Ends your organisation's signal (no longer involved, or no longer justified): it stops matching and showing at once.",
    params(("id" = Uuid, Path, description = "A signal of your organisation")),
    responses(
        (status = 204, description = "Beëindigd"),
        (status = 404, description = "Onbekend, of niet van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["hulpverlening"], "alleenEigen": true})))
)]
pub async fn beeindig(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    verwerking::tx(
        &pool,
        &ctx,
        "wijzigen",
        object(&id.to_string(), &eigenaar),
        move |conn| {
            // Another organisation's signal is outside the caller's view, as an unknown id.
            match betrokkenheid::lees(conn, &c2.versleuteling, id)? {
                None => return Err(zicht::onbekend(BETROKKENHEID)),
                Some(b) if b.organisatie != c2.actor.organisatie => {
                    return Err(zicht::verborgen(
                        BETROKKENHEID,
                        &b.organisatie,
                        "beëindigen van de betrokkenheid van een andere organisatie",
                    ));
                }
                Some(_) => {}
            }
            let b = betrokkenheid::beeindig(
                conn,
                &c2.versleuteling,
                &c2.actor.organisatie,
                id,
                c2.vandaag(),
            )?;
            dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::Hulpverlening],
                object(&b.id.to_string(), &b.organisatie),
                json!({"betrokkenheid": b.id, "beeindigdOp": b.beeindigd_op}),
                &[b.betrokkene],
            )?;
            Ok(())
        },
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get, path = "/matches", tag = "dossiers", operation_id = "matchesOpvragen",
    summary = "Coördinatiematches van de eigen organisatie",
    description = "Every match involving your organisation, newest first (at most 500): the other organisation, its contact and the reason; only while both share an agreement in force with coordination rules for each (MATCH_BINNEN_CONVENANT). A match carries no content about the child.",
    responses((status = 200, description = "De matches", body = MatchLijst)),
    security(("bearer" = [])),
)]
pub async fn lijst(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, AppError> {
    let (org, nu, v) = (
        ctx.actor.organisatie.clone(),
        ctx.nu,
        ctx.versleuteling.clone(),
    );
    let uit = crate::db::run(&pool, move |conn| {
        let m = betrokkenheid::matches_van(conn, &v, &org, None, nu)?;
        m.into_iter()
            .map(|m| match_dto(conn, m))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    Ok(HttpResponse::Ok().json(MatchLijst {
        count: uit.len(),
        results: uit,
    }))
}

#[utoipa::path(
    get, path = "/matches/{id}", tag = "dossiers", operation_id = "matchOpvragen",
    summary = "Eén coördinatiematch",
    description = "A match of your organisation, while it shares an agreement in force with coordination rules for both sides (MATCH_BINNEN_CONVENANT).",
    params(("id" = Uuid, Path, description = "Id of the match")),
    responses(
        (status = 200, description = "De match", body = MatchDto),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
    ),
    security(("bearer" = [])),
)]
pub async fn een(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c2 = ctx.clone();
    let m = verwerking::tx(
        &pool,
        &ctx,
        "lezen",
        Object {
            soort: "matches",
            id: id.to_string(),
            eigenaar: ctx.actor.organisatie.clone(),
        },
        move |conn| {
            let org = c2.actor.organisatie.as_str();
            let (a, b) =
                betrokkenheid::match_partijen(conn, id)?.ok_or_else(|| zicht::onbekend(MATCH))?;
            match betrokkenheid::matches_van(conn, &c2.versleuteling, org, Some(id), c2.nu)?.pop() {
                Some(m) => match_dto(conn, m),
                // Not a party, or no longer sharing an agreement: as unknown.
                None => Err(zicht::verborgen(
                    MATCH,
                    if a == org { &b } else { &a },
                    "een match buiten de eigen organisatie of buiten een gedeeld convenant",
                )),
            }
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(m))
}
