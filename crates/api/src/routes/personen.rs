//! `/api/v1/personen` and `/personen/{id}/gezag`: register the persons of a case (BSN and
//! names encrypted, found only through `POST /briefings/_zoek`, never by BSN in a URL) and
//! the gezag over a child.

use crate::problem::{AppError, Problem};
use crate::routes::{dossier, zicht};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use ketenregie_case::briefing::{GezagKort, PersoonKort, gezag_kort, persoon_ref};
use ketenregie_case::gezag::{self, GezagInvoer};
use ketenregie_case::personen::{self, Persoon, PersoonInvoer};
use ketenregie_common::Gegevenscategorie as C;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_store::DbPool;
use serde_json::json;
use uuid::Uuid;

pub fn dto(p: &Persoon, bsn: bool, adres: bool) -> PersoonKort {
    PersoonKort {
        id: p.id,
        voornamen: p.gegevens.voornamen.clone(),
        achternaam: p.gegevens.achternaam.clone(),
        geboortedatum: p.gegevens.geboortedatum,
        bsn: if bsn { p.gegevens.bsn.clone() } else { None },
        adres: if adres {
            p.gegevens.adres.clone()
        } else {
            None
        },
        geregistreerd_door: p.eigenaar.clone(),
    }
}

/// The kind of record, as named in a 404.
const PERSOON: &str = "persoon";

fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "personen",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

#[utoipa::path(
    post, path = "/personen", tag = "dossiers", operation_id = "persoonRegistreren",
    summary = "Persoon registreren",
    description = "Registers a person for the caller's organisation. BSN (elfproef) and names are encrypted at rest; look-up is by keyed hash through `POST /briefings/_zoek`. Registering a BSN the organisation already has answers 409 with the existing person's `Location`, never a copy.",
    request_body = PersoonInvoer,
    responses(
        (status = 201, description = "Geregistreerd", body = PersoonKort, headers(("Location" = String, description = "The new person"))),
        (status = 400, description = "Ongeldige invoer (elk veld benoemd)", body = Problem),
        (status = 409, description = "Deze organisatie heeft dit BSN al; `Location` wijst de bestaande persoon", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["identificatie", "bsn", "contactgegevens"], "alleenEigen": true})))
)]
pub async fn registreer(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<PersoonInvoer>,
) -> Result<HttpResponse, AppError> {
    let nieuw = body.valideer(ctx.vandaag())?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let p = verwerking::tx(
        &pool,
        &ctx,
        "aanmaken",
        object("nieuw", &eigenaar),
        move |conn| {
            let codes: Vec<(String, String)> = personen::gemeenten(&nieuw)
                .into_iter()
                .map(|c| ("adres.gemeente".to_string(), c))
                .collect();
            crate::routes::organisaties::controleer_gemeentecodes(conn, &codes)?;
            let p = personen::registreer(
                conn,
                &c2.versleuteling,
                &c2.actor.organisatie,
                &nieuw,
                c2.nu,
            )?;
            dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::Identificatie],
                object(&p.id.to_string(), &p.eigenaar),
                json!({"persoon": p.id, "bsnBekend": p.gegevens.bsn.is_some()}),
                &[p.betrokkene],
            )?;
            Ok(p)
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/personen/{}", p.id)))
        .json(dto(&p, true, true)))
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
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c2 = ctx.clone();
    let object = object(&id.to_string(), "");
    let p = verwerking::tx(&pool, &ctx, "lezen", object, move |conn| {
        let p =
            personen::lees(conn, &c2.versleuteling, id)?.ok_or_else(|| zicht::onbekend(PERSOON))?;
        let t = dossier::lees(
            conn,
            &c2,
            PERSOON,
            &p.eigenaar,
            &[C::Identificatie],
            &[C::Bsn, C::Contactgegevens],
            p.vertrouwelijkheid,
        )?;
        logboek::lezing(
            conn,
            &c2,
            &t,
            self::object(&id.to_string(), &p.eigenaar),
            &[p.betrokkene],
        )?;
        Ok(dto(&p, t.mag_zien(C::Bsn), t.mag_zien(C::Contactgegevens)))
    })
    .await?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(
    post, path = "/personen/{id}/gezag", tag = "dossiers", operation_id = "gezagVastleggen",
    summary = "Gezag over een kind vastleggen",
    description = "Records who holds parental authority over the child, in which form, from which source and verified when. Rule GEZAG_HOUDERS_PASSEN_BIJ_VORM: joint gezag has two holders, one-parent gezag one, voogdij one or two persons or an institution, `tijdelijk-geen` and `niet-te-bepalen` none.",
    params(("id" = Uuid, Path, description = "The child (a person of your organisation)")),
    request_body = GezagInvoer,
    responses(
        (status = 201, description = "Vastgelegd", body = GezagKort),
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
    id: web::Path<Uuid>,
    body: web::Json<GezagInvoer>,
) -> Result<HttpResponse, AppError> {
    let kind = id.into_inner();
    let g = body.valideer(kind, ctx.vandaag())?;
    let c2 = ctx.clone();
    let eigenaar = ctx.actor.organisatie.clone();
    let uit = verwerking::tx(
        &pool,
        &ctx,
        "aanmaken",
        object(&kind.to_string(), &eigenaar),
        move |conn| {
            // The child in the path: an own record, else refused within the view.
            let p = personen::lees(conn, &c2.versleuteling, kind)?
                .ok_or_else(|| zicht::onbekend(PERSOON))?;
            if p.eigenaar != c2.actor.organisatie {
                return Err(dossier::niet_eigen(
                    conn,
                    &c2,
                    PERSOON,
                    &p.eigenaar,
                    &[C::Identificatie],
                    p.vertrouwelijkheid,
                )?);
            }
            let g = gezag::maak(conn, &c2.actor.organisatie, g, c2.nu)?;
            let betrokken: Vec<String> = std::iter::once(g.kind)
                .chain(g.houders.iter().copied())
                .map(|u| u.to_string())
                .collect();
            let personen_ = personen::lees_veel(conn, &c2.versleuteling, &betrokken)?;
            let naam = |u: &Uuid| persoon_ref(&personen_, u);
            dossier::schrijf_eigen(
                conn,
                &c2,
                &[C::GezagEnOmgang],
                Object {
                    soort: "gezag",
                    id: g.id.to_string(),
                    eigenaar: g.eigenaar.clone(),
                },
                json!({"kind": g.kind, "vorm": g.vorm, "bron": g.bron, "houders": g.houders.len()}),
                &personen_.iter().map(|p| p.betrokkene).collect::<Vec<_>>(),
            )?;
            Ok(gezag_kort(&g, &naam))
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/personen/{kind}/gezag")))
        .json(uit))
}

#[utoipa::path(
    get, path = "/personen/{id}/gezag", tag = "dossiers", operation_id = "gezagOpvragen",
    summary = "Gezag over een kind",
    description = "The gezag records on this child, newest verification first (the first is the one that counts).",
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
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let kind = id.into_inner();
    let c2 = ctx.clone();
    let uit = verwerking::tx(
        &pool,
        &ctx,
        "lezen",
        object(&kind.to_string(), ""),
        move |conn| {
            let p = personen::lees(conn, &c2.versleuteling, kind)?
                .ok_or_else(|| zicht::onbekend(PERSOON))?;
            let t = dossier::lees(
                conn,
                &c2,
                PERSOON,
                &p.eigenaar,
                &[C::Identificatie, C::GezagEnOmgang],
                &[],
                p.vertrouwelijkheid,
            )?;
            let records = gezag::van_kinderen(conn, &[kind.to_string()])?;
            let ids: Vec<String> = records
                .iter()
                .flat_map(|g| g.houders.iter().map(Uuid::to_string))
                .collect();
            let mut getoond = personen::lees_veel(conn, &c2.versleuteling, &ids)?;
            getoond.push(p.clone());
            let naam = |u: &Uuid| persoon_ref(&getoond, u);
            let uit: Vec<GezagKort> = records.iter().map(|g| gezag_kort(g, &naam)).collect();
            let subjecten: Vec<Uuid> = getoond.iter().map(|h| h.betrokkene).collect();
            logboek::lezing(
                conn,
                &c2,
                &t,
                self::object(&kind.to_string(), &p.eigenaar),
                &subjecten,
            )?;
            Ok(uit)
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(uit))
}
