//! `/api/v1/zorgmeldingen`: police file a structured care report; it is routed to the
//! Veilig Thuis serving each child's municipality; the receiver's handling follows the
//! published FHIR Task transition table (`ketenregie_referral::levenscyclus`). Every read
//! and write passes the privacy decision and writes both logs.

use crate::db;
use crate::idempotentie::Idempotentie;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::{etag, if_match_versie, zicht};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::{
    Actie, Actor, Doel, Gegevenscategorie, OrganisatieSoort, Rol, Validatie, is_gemeentecode,
};
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use ketenregie_referral::inhoud::{Inhoud, MeldingInvoer};
use ketenregie_referral::levenscyclus::{self, Beoordelingsuitkomst, Partij, TaakStatus};
use ketenregie_referral::opslag::{self, Kop, Meldingstatus};
use ketenregie_referral::routering;
use ketenregie_referral::termijnen::{self, Termijn};
use ketenregie_store::{DbConnection, DbPool, directory, outbox};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A zorgmelding as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZorgmeldingDto {
    pub id: Uuid,
    /// Meldingen split per region share a group.
    pub groep: Uuid,
    /// For a hand-over task: the melding it came from.
    pub bovenliggend: Option<Uuid>,
    pub afzender: String,
    pub ontvanger: Option<String>,
    pub meldingstatus: Meldingstatus,
    /// FHIR Task status of the handling, once sent.
    pub taakstatus: Option<TaakStatus>,
    /// The triage outcome (DOMAIN.md §3 flow 2), once assessed.
    pub bedrijfsstatus: Option<String>,
    pub acuut: bool,
    pub gemeenten: Vec<String>,
    pub vertrouwelijkheid: ketenregie_common::Vertrouwelijkheid,
    pub versie: i64,
    pub aangemaakt_op: DateTime<Utc>,
    pub ingediend_op: Option<DateTime<Utc>>,
    pub gewijzigd_op: DateTime<Utc>,
    /// The content, redacted to what the caller may see; absent in lists.
    #[schema(value_type = Option<Inhoud>)]
    pub inhoud: Option<serde_json::Value>,
    /// Categories left out by the privacy decision.
    pub geredigeerd: Vec<Gegevenscategorie>,
    /// The feedback owed on this melding and by when (one melding only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termijnen: Option<Vec<TermijnDto>>,
}

/// A feedback duty: which moment, due when, met when.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermijnDto {
    pub zorgmelding: Uuid,
    pub moment: Terugkoppelmoment,
    /// Who owes it.
    pub ontvanger: String,
    /// To whom.
    pub afzender: String,
    pub verschuldigd_op: DateTime<Utc>,
    pub voldaan_op: Option<DateTime<Utc>>,
    /// Not met by its due time.
    pub te_laat: bool,
    /// Where the term comes from: the agreement (id and version) or the defaults.
    pub bron: String,
    /// When the receiver was reminded, the duty escalated, the sender told it is late.
    pub herinnerd_op: Option<DateTime<Utc>>,
    pub geescaleerd_op: Option<DateTime<Utc>>,
    pub laat_gemeld_op: Option<DateTime<Utc>>,
}

fn termijn_dto(t: &Termijn, nu: DateTime<Utc>) -> TermijnDto {
    TermijnDto {
        zorgmelding: t.zorgmelding_id.parse().expect("uuid"),
        moment: t.moment.parse().expect("CHECK constraint"),
        ontvanger: t.ontvanger.clone(),
        afzender: t.afzender.clone(),
        verschuldigd_op: t.verschuldigd(),
        voldaan_op: t.voldaan(),
        te_laat: t.te_laat(nu),
        bron: t.bron.clone(),
        herinnerd_op: t.herinnerd_op.map(ketenregie_common::time::from_db),
        geescaleerd_op: t.geescaleerd_op.map(ketenregie_common::time::from_db),
        laat_gemeld_op: t.laat_gemeld_op.map(ketenregie_common::time::from_db),
    }
}

fn dto(
    k: &Kop,
    inhoud: Option<serde_json::Value>,
    geredigeerd: Vec<Gegevenscategorie>,
) -> ZorgmeldingDto {
    ZorgmeldingDto {
        id: k.uuid(),
        groep: k.groep_id.parse().expect("uuid"),
        bovenliggend: k
            .bovenliggend_id
            .as_deref()
            .map(|s| s.parse().expect("uuid")),
        afzender: k.afzender.clone(),
        ontvanger: k.ontvanger.clone(),
        meldingstatus: k.meldingstatus(),
        taakstatus: k.taakstatus(),
        bedrijfsstatus: k.bedrijfsstatus.clone(),
        acuut: k.acuut,
        gemeenten: k.gemeentecodes(),
        vertrouwelijkheid: k.vertrouwelijkheid(),
        versie: k.versie,
        aangemaakt_op: ketenregie_common::time::from_db(k.aangemaakt_op),
        ingediend_op: k.ingediend_op.map(ketenregie_common::time::from_db),
        gewijzigd_op: k.gewijzigd(),
        inhoud,
        geredigeerd,
        termijnen: None,
    }
}

/// Leave out what the decision redacts. Which field belongs to which category:
/// identificatie (names, dates of birth), bsn, gezinssituatie (parents, concerns, the
/// child's words), politiegegevens (incident and statements), melder-identiteit.
fn redigeer(i: &Inhoud, t: &Toestemming) -> (serde_json::Value, Vec<Gegevenscategorie>) {
    let mut v = serde_json::to_value(i).expect("serialises");
    let mut weg = Vec::new();
    if !t.mag_zien(Gegevenscategorie::Bsn) {
        for lijst in ["kinderen", "ouders"] {
            for k in v[lijst].as_array_mut().into_iter().flatten() {
                k["bsn"] = serde_json::Value::Null;
            }
        }
        weg.push(Gegevenscategorie::Bsn);
    }
    if !t.mag_zien(Gegevenscategorie::Politiegegevens) {
        for f in ["incidentReferentie", "incidentDatum", "omschrijving"] {
            v[f] = serde_json::Value::Null;
        }
        v["verklaringen"] = serde_json::json!([]);
        weg.push(Gegevenscategorie::Politiegegevens);
    }
    if !t.mag_zien(Gegevenscategorie::MelderIdentiteit) {
        v["melder"]["naam"] = serde_json::Value::Null;
        v["melder"]["functie"] = serde_json::Value::Null;
        weg.push(Gegevenscategorie::MelderIdentiteit);
    }
    (v, weg)
}

fn object(k: &Kop) -> Object {
    Object {
        soort: "zorgmeldingen",
        id: k.id.clone(),
        eigenaar: k.afzender.clone(),
    }
}

/// The caller's relation to a melding, and the purpose its processing serves.
fn relatie(conn: &mut DbConnection, actor: &Actor, k: &Kop) -> Result<(Partij, Doel), AppError> {
    if actor.organisatie == k.afzender {
        return Ok((Partij::Afzender, Doel::Zorgmelding));
    }
    // A hand-over task's sender is also the organisation that handed over: the receiver
    // of the melding it came from.
    if let Some(ouder) = &k.bovenliggend_id
        && let Some(o) = opslag::kop(conn, ouder)?
        && o.ontvanger.as_deref() == Some(actor.organisatie.as_str())
    {
        return Ok((Partij::Afzender, Doel::Veiligheidsbeoordeling));
    }
    if k.ontvanger.as_deref() == Some(actor.organisatie.as_str()) && k.taakstatus.is_some() {
        let soort = directory::organisatie_op_code(conn, &actor.organisatie)?.map(|o| o.soort);
        let doel = if soort == Some(OrganisatieSoort::VeiligThuis) {
            Doel::Veiligheidsbeoordeling
        } else {
            Doel::Coordinatie
        };
        return Ok((Partij::Ontvanger, doel));
    }
    // EEN_ORGANISATIE_ZICHT: neither sender nor receiver, so outside the view.
    Err(zicht::verborgen(
        ZORGMELDING,
        &k.afzender,
        format!(
            "organisatie `{}` is geen afzender of ontvanger van deze zorgmelding",
            actor.organisatie
        ),
    ))
}

/// The kind of record, as named in a 404.
pub const ZORGMELDING: &str = "zorgmelding";

/// Is `organisatie` a party of melding (or hand-over task) `k` at all: its sender, its
/// receiver, or the organisation that handed it over? Outside these, the melding is
/// outside its view (`EEN_ORGANISATIE_ZICHT`).
pub fn betrokken(conn: &mut DbConnection, organisatie: &str, k: &Kop) -> Result<bool, AppError> {
    if k.afzender == organisatie || k.ontvanger.as_deref() == Some(organisatie) {
        return Ok(true);
    }
    if let Some(ouder) = &k.bovenliggend_id
        && let Some(o) = opslag::kop(conn, ouder)?
        && o.ontvanger.as_deref() == Some(organisatie)
    {
        return Ok(true);
    }
    Ok(false)
}

/// `betrokken`, or the answer for a melding outside the caller's view.
pub fn in_zicht(conn: &mut DbConnection, organisatie: &str, k: &Kop) -> Result<(), AppError> {
    if betrokken(conn, organisatie, k)? {
        Ok(())
    } else {
        Err(zicht::verborgen(
            ZORGMELDING,
            &k.afzender,
            format!("organisatie `{organisatie}` is geen partij bij deze zorgmelding"),
        ))
    }
}

fn beslis(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    actie: Actie,
) -> Result<(Partij, Toestemming), AppError> {
    let (partij, doel) = relatie(conn, &ctx.actor, k)?;
    let t = besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie,
            doel,
            categorieen: vec![
                Gegevenscategorie::Identificatie,
                Gegevenscategorie::Gezinssituatie,
            ],
            optioneel: vec![
                Gegevenscategorie::Bsn,
                Gegevenscategorie::Politiegegevens,
                Gegevenscategorie::MelderIdentiteit,
            ],
            eigenaren: vec![k.afzender.clone()],
            vertrouwelijkheid: k.vertrouwelijkheid(),
        },
    )?;
    Ok((partij, t))
}

/// The melding `id`; an unknown id is a 404 naming no id (`EEN_ORGANISATIE_ZICHT`).
pub fn laad(conn: &mut DbConnection, id: Uuid) -> Result<Kop, AppError> {
    opslag::kop(conn, &id.to_string())?.ok_or_else(|| zicht::onbekend(ZORGMELDING))
}

/// Police roles that file zorgmeldingen.
const INDIENERS: &[Rol] = &[Rol::Wijkagent, Rol::Jeugdcoordinator, Rol::Noodhulp];

fn mag_indienen(conn: &mut DbConnection, actor: &Actor) -> Result<(), AppError> {
    let soort = directory::organisatie_op_code(conn, &actor.organisatie)?.map(|o| o.soort);
    if soort == Some(OrganisatieSoort::Politie) && INDIENERS.iter().any(|r| actor.heeft_rol(*r)) {
        Ok(())
    } else {
        Err(AppError::GeenToegang(
            "Zorgmeldingen worden ingediend door politie (wijkagent, jeugdcoördinator of noodhulp)"
                .into(),
        ))
    }
}

fn eigen_toestemming(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: Actie,
) -> Result<Toestemming, AppError> {
    Ok(besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie,
            doel: Doel::Zorgmelding,
            categorieen: vec![
                Gegevenscategorie::Identificatie,
                Gegevenscategorie::Gezinssituatie,
                Gegevenscategorie::Politiegegevens,
            ],
            optioneel: vec![Gegevenscategorie::Bsn, Gegevenscategorie::MelderIdentiteit],
            eigenaren: vec![ctx.actor.organisatie.clone()],
            vertrouwelijkheid: ketenregie_common::Vertrouwelijkheid::ZeerGeheim,
        },
    )?)
}

fn valideer(
    body: &MeldingInvoer,
    ctx: &Context,
) -> Result<(Inhoud, ketenregie_common::Vertrouwelijkheid), AppError> {
    body.valideer(ctx.vandaag()).map_err(AppError::validatie)
}

fn controleer_gemeenten(conn: &mut DbConnection, i: &Inhoud) -> Result<(), AppError> {
    let velden: Vec<(String, String)> = i
        .kinderen
        .iter()
        .enumerate()
        .map(|(n, k)| (format!("kinderen[{n}].gemeente"), k.gemeente.clone()))
        .collect();
    crate::routes::organisaties::controleer_gemeentecodes(conn, &velden)
}

#[utoipa::path(
    post, path = "/zorgmeldingen", tag = "zorgmeldingen", operation_id = "zorgmeldingAanmaken",
    summary = "Zorgmelding opstellen (concept)",
    description = "Police (wijkagent, jeugdcoördinator, noodhulp) draft a zorgmelding. Send `Idempotency-Key` to make a retry safe: the same key with the same body returns the first result; with another body a 409.",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried POST safe")),
    request_body = MeldingInvoer,
    responses(
        (status = 201, description = "Concept aangemaakt", body = ZorgmeldingDto,
            headers(("Location" = String, description = "URL of the melding"), ("ETag" = String, description = "Version"))),
        (status = 409, description = "Idempotency-Key hergebruikt voor een ander verzoek (of door een andere gebruiker), of het eerste verzoek met deze sleutel is nog in behandeling (dan met Retry-After)", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]})))
)]
pub async fn maak(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let invoer: MeldingInvoer = serde_json::from_slice(&body)
        .map_err(|e| AppError::ongeldig("body", "json", format!("De JSON-body klopt niet: {e}")))?;
    let idem = Idempotentie::uit(&req, &ctx, &body)?;
    if let Some(eerder) = idem.eerder(&pool, ctx.nu).await? {
        return Ok(eerder);
    }
    let idem2 = idem.clone();
    let (inhoud, niveau) = valideer(&invoer, &ctx)?;
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: "*".into(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let uitkomst = verwerking::tx(&pool, &ctx, "aanmaken", doel_object, move |conn| {
        mag_indienen(conn, &c2.actor)?;
        controleer_gemeenten(conn, &inhoud)?;
        let t = eigen_toestemming(conn, &c2, Actie::Aanmaken)?;
        let org = c2.actor.organisatie.clone();
        let k = opslag::maak(
            conn,
            &t,
            &c2.versleuteling,
            &c2.actor,
            None,
            None,
            None,
            Meldingstatus::Concept,
            None,
            &inhoud,
            niveau,
            &org,
            c2.nu,
        )?;
        opslag::stap(
            conn,
            &c2.versleuteling,
            &k.id,
            &c2.actor,
            "aangemaakt",
            None,
            Some("concept".into()),
            None,
            None,
            c2.nu,
        )?;
        let betrokkenen = opslag::betrokkenen(&c2.versleuteling, &inhoud);
        let (zicht, weg) = redigeer(&inhoud, &t);
        logboek::wijziging(
            conn,
            &c2,
            &t,
            Actie::Aanmaken,
            object(&k),
            None,
            None,
            &betrokkenen,
        )?;
        let antwoord = serde_json::to_string(&dto(&k, Some(zicht), weg)).expect("serialises");
        idem2.bewaar(
            conn,
            201,
            Some(&format!("/api/v1/zorgmeldingen/{}", k.id)),
            &antwoord,
            c2.nu,
        )?;
        Ok((k, antwoord))
    })
    .await;
    let (kop, antwoord) = match idem.na_afloop(&pool, ctx.nu, uitkomst).await? {
        Ok(v) => v,
        Err(eerder) => return Ok(eerder),
    };
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/zorgmeldingen/{}", kop.id)))
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
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let (k, d) = verwerking::tx(&pool, &ctx, "lezen", doel_object, move |conn| {
        let k = laad(conn, id)?;
        let (_, t) = beslis(conn, &c2, &k, Actie::Lezen)?;
        let i = opslag::inhoud(conn, &t, &c2.versleuteling, &k.id)?;
        let (zicht, weg) = redigeer(&i, &t);
        logboek::lezing(
            conn,
            &c2,
            &t,
            object(&k),
            &opslag::betrokkenen(&c2.versleuteling, &i),
        )?;
        let mut d = dto(&k, Some(zicht), weg);
        d.termijnen = Some(
            termijnen::van_melding(conn, &k.id)?
                .iter()
                .map(|t| termijn_dto(t, c2.nu))
                .collect(),
        );
        Ok((k, d))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(k.versie)).json(d))
}

#[utoipa::path(
    put, path = "/zorgmeldingen/{id}", tag = "zorgmeldingen", operation_id = "zorgmeldingWijzigen",
    summary = "Concept wijzigen",
    description = "Only a concept, only by the author's organisation.",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = MeldingInvoer,
    responses(
        (status = 200, description = "Gewijzigd", body = ZorgmeldingDto),
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
    id: web::Path<Uuid>,
    body: web::Json<MeldingInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let verwacht = if_match_versie(&req)?;
    let (inhoud, niveau) = valideer(&body, &ctx)?;
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let d = verwerking::tx(&pool, &ctx, "wijzigen", doel_object, move |conn| {
        let k = laad(conn, id)?;
        in_zicht(conn, &c2.actor.organisatie, &k)?;
        if k.afzender != c2.actor.organisatie {
            return Err(AppError::GeenToegang(
                "Alleen de organisatie van de opsteller wijzigt een concept".into(),
            ));
        }
        if k.meldingstatus() != Meldingstatus::Concept {
            return Err(AppError::Conflict {
                detail: format!(
                    "De zorgmelding is `{}`; alleen een concept wordt gewijzigd",
                    k.meldingstatus()
                ),
                location: None,
            });
        }
        versie_check(&k, verwacht)?;
        controleer_gemeenten(conn, &inhoud)?;
        let t = eigen_toestemming(conn, &c2, Actie::Wijzigen)?;
        opslag::vervang_inhoud(conn, &t, &c2.versleuteling, &k.id, &inhoud, niveau, c2.nu)?;
        opslag::stap(
            conn,
            &c2.versleuteling,
            &k.id,
            &c2.actor,
            "gewijzigd",
            None,
            None,
            None,
            None,
            c2.nu,
        )?;
        logboek::wijziging(
            conn,
            &c2,
            &t,
            Actie::Wijzigen,
            object(&k),
            None,
            None,
            &opslag::betrokkenen(&c2.versleuteling, &inhoud),
        )?;
        let k = laad(conn, id)?;
        let (zicht, weg) = redigeer(&inhoud, &t);
        Ok(dto(&k, Some(zicht), weg))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(d.versie)).json(d))
}

fn versie_check(k: &Kop, verwacht: Option<i64>) -> Result<(), AppError> {
    match verwacht {
        Some(v) if v != k.versie => Err(AppError::VoorwaardeMislukt(format!(
            "If-Match verwacht versie {v} maar de huidige versie is {}; haal de zorgmelding opnieuw op",
            k.versie
        ))),
        _ => Ok(()),
    }
}

/// Send a checked melding: one melding per Veilig Thuis region, linked in one group;
/// children no Veilig Thuis serves are held as `niet-routeerbaar`.
fn routeer(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    k: &Kop,
) -> Result<Vec<Kop>, AppError> {
    let inhoud = opslag::inhoud(conn, t, &ctx.versleuteling, &k.id)?;
    let per_gemeente = routering::veilig_thuis_voor(conn, &inhoud.gemeenten())?;
    let mut groepen: std::collections::BTreeMap<Option<String>, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, kind) in inhoud.kinderen.iter().enumerate() {
        groepen
            .entry(per_gemeente.get(&kind.gemeente).cloned().flatten())
            .or_default()
            .push(i);
    }
    let mut uit = Vec::new();
    for (n, (vt, kinderen)) in groepen.into_iter().enumerate() {
        let deel = Inhoud {
            kinderen: kinderen
                .iter()
                .map(|i| inhoud.kinderen[*i].clone())
                .collect(),
            ..inhoud.clone()
        };
        let (status, taak) = match &vt {
            Some(_) => (Meldingstatus::Verzonden, Some(TaakStatus::Requested)),
            None => (Meldingstatus::NietRouteerbaar, None),
        };
        let id = if n == 0 {
            // The first region keeps the melding itself.
            opslag::vervang_inhoud(
                conn,
                t,
                &ctx.versleuteling,
                &k.id,
                &deel,
                k.vertrouwelijkheid(),
                ctx.nu,
            )?;
            let nu_k = laad(conn, k.uuid())?;
            if !opslag::zet_status(
                conn,
                &k.id,
                nu_k.versie,
                Some(status),
                taak,
                None,
                vt.as_deref(),
                ctx.nu,
            )? {
                return Err(AppError::VoorwaardeMislukt(
                    "De zorgmelding is intussen gewijzigd".into(),
                ));
            }
            k.id.clone()
        } else {
            opslag::maak(
                conn,
                t,
                &ctx.versleuteling,
                &ctx.actor,
                Some(&k.groep_id),
                None,
                vt.as_deref(),
                status,
                taak,
                &deel,
                k.vertrouwelijkheid(),
                &k.afzender,
                ctx.nu,
            )?
            .id
        };
        if let Some(code) = &vt {
            termijnen::maak(conn, &id, &k.afzender, code, deel.acuut, ctx.nu)?;
        }
        // Tell the receiving Veilig Thuis there is a new melding in its inbox; tell the
        // sender's organisation when no Veilig Thuis serves a child (held, never dropped).
        let (soort, aan) = match &vt {
            Some(code) => ("zorgmeldingen.zorgmelding-ontvangen", code.clone()),
            None => (
                "zorgmeldingen.zorgmelding-niet-routeerbaar",
                k.afzender.clone(),
            ),
        };
        outbox::enqueue(
            conn,
            &outbox::Gebeurtenis {
                soort: soort.into(),
                organisatie: aan,
                onderwerp: id.clone(),
                dataref: format!("/api/v1/zorgmeldingen/{id}"),
            },
            ctx.nu,
        )?;
        opslag::stap(
            conn,
            &ctx.versleuteling,
            &id,
            &ctx.actor,
            if vt.is_some() {
                "verzonden"
            } else {
                "niet-routeerbaar"
            },
            None,
            taak.map(|t| t.to_string()).or(Some(status.to_string())),
            None,
            Some(serde_json::json!({"ontvanger": vt, "gemeenten": deel.gemeenten()})),
            ctx.nu,
        )?;
        uit.push(laad(conn, id.parse().expect("uuid"))?);
    }
    Ok(uit)
}

/// The outcome of submitting: the melding(s) as sent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Indiening {
    pub meldingen: Vec<ZorgmeldingDto>,
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/indieningen", tag = "zorgmeldingen", operation_id = "zorgmeldingIndienen",
    summary = "Concept indienen",
    description = "Submits the concept: to the organisation's quality check if it has one, else routed at once to the Veilig Thuis of each child's municipality (one melding per region). Unroutable children are held as `niet-routeerbaar`.",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    responses(
        (status = 200, description = "Ingediend", body = Indiening),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Geen concept", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn indien(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let verwacht = if_match_versie(&req)?;
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let meldingen = verwerking::tx(&pool, &ctx, "indienen", doel_object, move |conn| {
        let k = laad(conn, id)?;
        in_zicht(conn, &c2.actor.organisatie, &k)?;
        if k.afzender != c2.actor.organisatie {
            return Err(AppError::GeenToegang(
                "Alleen de organisatie van de opsteller dient een concept in".into(),
            ));
        }
        mag_indienen(conn, &c2.actor)?;
        if k.meldingstatus() != Meldingstatus::Concept {
            return Err(AppError::Conflict {
                detail: format!(
                    "De zorgmelding is `{}`; alleen een concept wordt ingediend",
                    k.meldingstatus()
                ),
                location: None,
            });
        }
        versie_check(&k, verwacht)?;
        let t = eigen_toestemming(conn, &c2, Actie::Wijzigen)?;
        let uit = if opslag::kwaliteitscontrole_verplicht(conn, &c2.actor.organisatie)? {
            opslag::zet_status(
                conn,
                &k.id,
                k.versie,
                Some(Meldingstatus::TerControle),
                None,
                None,
                None,
                c2.nu,
            )?;
            opslag::stap(
                conn,
                &c2.versleuteling,
                &k.id,
                &c2.actor,
                "ter-controle",
                Some("concept".into()),
                Some("ter-controle".into()),
                None,
                None,
                c2.nu,
            )?;
            vec![laad(conn, id)?]
        } else {
            routeer(conn, &c2, &t, &k)?
        };
        logboek::wijziging(conn, &c2, &t, Actie::Wijzigen, object(&k), None, None, &[])?;
        Ok(uit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Indiening {
        meldingen: meldingen.iter().map(|k| dto(k, None, vec![])).collect(),
    }))
}

/// A quality checker's verdict.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KwaliteitsoordeelInvoer {
    #[schema(required = true, value_type = bool)]
    pub goedgekeurd: Option<bool>,
    /// Remarks; required when sent back.
    pub opmerkingen: Option<String>,
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/kwaliteitsbeoordelingen", tag = "zorgmeldingen", operation_id = "zorgmeldingKwaliteitBeoordelen",
    summary = "Kwaliteitscontrole",
    description = "A kwaliteitscontroleur of the same police organisation approves (the melding is routed) or sends back with remarks (it becomes a concept again).",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    request_body = KwaliteitsoordeelInvoer,
    responses(
        (status = 200, description = "Beoordeeld", body = Indiening),
        (status = 409, description = "Niet ter controle", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "zorgmelding", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn kwaliteit(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<KwaliteitsoordeelInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let goed = v.verplicht("goedgekeurd", body.goedgekeurd);
    let opm = v.optionele_tekst("opmerkingen", body.opmerkingen.as_deref(), 5000);
    if goed == Some(false) && opm.is_none() {
        v.fout(
            "opmerkingen",
            "required",
            "geef bij terugsturen aan wat er beter moet",
        );
    }
    paging::check(v)?;
    let goed = goed.unwrap_or(false);
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let meldingen = verwerking::tx(
        &pool,
        &ctx,
        "kwaliteitscontrole",
        doel_object,
        move |conn| {
            let k = laad(conn, id)?;
            in_zicht(conn, &c2.actor.organisatie, &k)?;
            if k.afzender != c2.actor.organisatie || !c2.actor.heeft_rol(Rol::Kwaliteitscontroleur)
            {
                return Err(AppError::GeenToegang(
                    "Alleen een kwaliteitscontroleur van de indienende organisatie beoordeelt"
                        .into(),
                ));
            }
            if k.meldingstatus() != Meldingstatus::TerControle {
                return Err(AppError::Conflict {
                    detail: format!(
                        "De zorgmelding is `{}`, niet ter controle",
                        k.meldingstatus()
                    ),
                    location: None,
                });
            }
            let t = eigen_toestemming(conn, &c2, Actie::Wijzigen)?;
            let uit = if goed {
                opslag::stap(
                    conn,
                    &c2.versleuteling,
                    &k.id,
                    &c2.actor,
                    "goedgekeurd",
                    Some("ter-controle".into()),
                    None,
                    None,
                    None,
                    c2.nu,
                )?;
                routeer(conn, &c2, &t, &k)?
            } else {
                opslag::zet_status(
                    conn,
                    &k.id,
                    k.versie,
                    Some(Meldingstatus::Concept),
                    None,
                    None,
                    None,
                    c2.nu,
                )?;
                opslag::stap(
                    conn,
                    &c2.versleuteling,
                    &k.id,
                    &c2.actor,
                    "teruggestuurd",
                    Some("ter-controle".into()),
                    Some("concept".into()),
                    opm.as_deref(),
                    None,
                    c2.nu,
                )?;
                vec![laad(conn, id)?]
            };
            logboek::wijziging(conn, &c2, &t, Actie::Wijzigen, object(&k), None, None, &[])?;
            Ok(uit)
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(Indiening {
        meldingen: meldingen.iter().map(|k| dto(k, None, vec![])).collect(),
    }))
}

/// A state change with its reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StapInvoer {
    /// Required for rejected, cancelled, on-hold and failed.
    pub reden: Option<String>,
}

/// One transition through the table, by sender or receiver, with If-Match, the step
/// history and both logs.
#[allow(clippy::too_many_arguments)]
async fn overgang(
    req: HttpRequest,
    ctx: Context,
    pool: web::Data<DbPool>,
    id: Uuid,
    naar: TaakStatus,
    reden: Option<String>,
    stapnaam: &'static str,
    bedrijfsstatus: Option<String>,
    gegevens: Option<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let verwacht = if_match_versie(&req)?;
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let k = verwerking::tx(&pool, &ctx, stapnaam, doel_object, move |conn| {
        let k = laad(conn, id)?;
        let (partij, t) = beslis(conn, &c2, &k, Actie::Wijzigen)?;
        let huidig = k.taakstatus().ok_or_else(|| AppError::Conflict {
            detail: format!(
                "De zorgmelding is `{}` en nog niet verzonden: er is geen taak om te wijzigen",
                k.meldingstatus()
            ),
            location: None,
        })?;
        // A stale If-Match first: whoever lost the race hears that, not a state error.
        versie_check(&k, verwacht)?;
        levenscyclus::controleer(huidig, naar, partij, reden.as_deref()).map_err(|e| match e {
            levenscyclus::OvergangFout::RedenVerplicht(_) => {
                AppError::ongeldig("reden", "required", e.to_string())
            }
            levenscyclus::OvergangFout::VerkeerdePartij { .. } => {
                AppError::GeenToegang(format!("Deze stap is niet aan u: {e}"))
            }
            levenscyclus::OvergangFout::Ongeldig { .. } => AppError::Conflict {
                detail: format!("Ongeldige statusovergang: {e}"),
                location: None,
            },
        })?;
        if !opslag::zet_status(
            conn,
            &k.id,
            k.versie,
            None,
            Some(naar),
            bedrijfsstatus.as_deref(),
            None,
            c2.nu,
        )? {
            return Err(AppError::VoorwaardeMislukt(
                "De zorgmelding is intussen door iemand anders gewijzigd; haal haar opnieuw op"
                    .into(),
            ));
        }
        opslag::stap(
            conn,
            &c2.versleuteling,
            &k.id,
            &c2.actor,
            stapnaam,
            Some(huidig.to_string()),
            Some(naar.to_string()),
            reden.as_deref(),
            gegevens,
            c2.nu,
        )?;
        // The step that delivers a feedback moment meets its duty; an ended task's open
        // duties lapse.
        match naar {
            TaakStatus::Received | TaakStatus::Accepted => {
                termijnen::voldaan(conn, &k.id, Terugkoppelmoment::Ontvangstbevestiging, c2.nu)?
            }
            TaakStatus::InProgress if stapnaam == "beoordeling" => {
                termijnen::voldaan(conn, &k.id, Terugkoppelmoment::Ontvangstbevestiging, c2.nu)?;
                termijnen::voldaan(conn, &k.id, Terugkoppelmoment::NaBeoordeling, c2.nu)?;
            }
            TaakStatus::Completed => {
                termijnen::voldaan(conn, &k.id, Terugkoppelmoment::NaBeoordeling, c2.nu)?;
                termijnen::voldaan(conn, &k.id, Terugkoppelmoment::Eindresultaat, c2.nu)?;
            }
            TaakStatus::Rejected
            | TaakStatus::Cancelled
            | TaakStatus::Failed
            | TaakStatus::EnteredInError => termijnen::vervallen(conn, &k.id, c2.nu)?,
            _ => {}
        }
        // The other party hears of every step (no content: a reference).
        let ander = match partij {
            Partij::Ontvanger => k.afzender.clone(),
            Partij::Afzender => k.ontvanger.clone().unwrap_or_default(),
        };
        if !ander.is_empty() {
            outbox::enqueue(
                conn,
                &outbox::Gebeurtenis {
                    soort: "zorgmeldingen.status-gewijzigd".into(),
                    organisatie: ander,
                    onderwerp: k.id.clone(),
                    dataref: format!("/api/v1/zorgmeldingen/{}", k.id),
                },
                c2.nu,
            )?;
        }
        logboek::wijziging(
            conn,
            &c2,
            &t,
            Actie::Wijzigen,
            object(&k),
            Some(serde_json::json!({"taakstatus": huidig})),
            Some(serde_json::json!({"taakstatus": naar, "bedrijfsstatus": bedrijfsstatus})),
            &[],
        )?;
        laad(conn, id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(k.versie))
        .json(dto(&k, None, vec![])))
}

macro_rules! stap_route {
    ($naam:ident, $pad:literal, $op:literal, $samenvatting:literal, $naar:expr, $stap:literal) => {
        #[utoipa::path(
            post, path = $pad, tag = "zorgmeldingen", operation_id = $op, summary = $samenvatting,
            params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
            request_body = StapInvoer,
            responses(
                (status = 200, description = "Gewijzigd", body = ZorgmeldingDto, headers(("ETag" = String, description = "New version"))),
                (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
                (status = 409, description = "Ongeldige statusovergang: noemt de huidige en de toegestane", body = Problem),
                (status = 412, description = "Intussen gewijzigd", body = Problem),
            ),
            security(("bearer" = []))
        )]
        pub async fn $naam(req: HttpRequest, Verwerking(ctx): Verwerking, pool: web::Data<DbPool>, id: web::Path<Uuid>, body: Option<web::Json<StapInvoer>>) -> Result<HttpResponse, AppError> {
            let reden = body.and_then(|b| b.into_inner().reden);
            overgang(req, ctx, pool, id.into_inner(), $naar, reden, $stap, None, None).await
        }
    };
}

stap_route!(
    ontvang,
    "/zorgmeldingen/{id}/ontvangsten",
    "zorgmeldingOntvangen",
    "Ontvangst bevestigen (received)",
    TaakStatus::Received,
    "ontvangst"
);
stap_route!(
    accepteer,
    "/zorgmeldingen/{id}/acceptaties",
    "zorgmeldingAccepteren",
    "Accepteren (accepted), bv. een overdracht",
    TaakStatus::Accepted,
    "acceptatie"
);
stap_route!(
    wijs_af,
    "/zorgmeldingen/{id}/afwijzingen",
    "zorgmeldingAfwijzen",
    "Afwijzen met reden (rejected)",
    TaakStatus::Rejected,
    "afwijzing"
);
stap_route!(
    annuleer,
    "/zorgmeldingen/{id}/annuleringen",
    "zorgmeldingAnnuleren",
    "Annuleren door de afzender, met reden (cancelled)",
    TaakStatus::Cancelled,
    "annulering"
);
stap_route!(
    schort_op,
    "/zorgmeldingen/{id}/opschortingen",
    "zorgmeldingOpschorten",
    "Opschorten met reden (on-hold)",
    TaakStatus::OnHold,
    "opschorting"
);
stap_route!(
    hervat,
    "/zorgmeldingen/{id}/hervattingen",
    "zorgmeldingHervatten",
    "Hervatten (in-progress)",
    TaakStatus::InProgress,
    "hervatting"
);
stap_route!(
    mislukt,
    "/zorgmeldingen/{id}/mislukkingen",
    "zorgmeldingMislukt",
    "Mislukt met reden (failed)",
    TaakStatus::Failed,
    "mislukking"
);

/// The veiligheidsbeoordeling (triage).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BeoordelingInvoer {
    #[schema(required = true, value_type = Beoordelingsuitkomst)]
    pub uitkomst: Option<String>,
    /// Acute unsafety found.
    pub acuut: Option<bool>,
    pub toelichting: Option<String>,
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/beoordelingen", tag = "zorgmeldingen", operation_id = "zorgmeldingBeoordelen",
    summary = "Veiligheidsbeoordeling",
    description = "The receiving Veilig Thuis records the triage outcome as business status; the task goes to in-progress.",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = BeoordelingInvoer,
    responses(
        (status = 200, description = "Beoordeeld", body = ZorgmeldingDto),
        (status = 409, description = "Ongeldige statusovergang", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn beoordeel(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<BeoordelingInvoer>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let uitkomst: Option<Beoordelingsuitkomst> = v.keuze("uitkomst", body.uitkomst.as_deref());
    let toelichting = v.optionele_tekst("toelichting", body.toelichting.as_deref(), 5000);
    paging::check(v)?;
    let uitkomst = uitkomst.map(|u| u.to_string());
    let gegevens =
        serde_json::json!({"uitkomst": uitkomst, "acuut": body.acuut, "toelichting": toelichting});
    overgang(
        req,
        ctx,
        pool,
        id.into_inner(),
        TaakStatus::InProgress,
        None,
        "beoordeling",
        uitkomst,
        Some(gegevens),
    )
    .await
}

/// The output on completion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AfsluitingInvoer {
    /// What was done and decided.
    #[schema(required = true, value_type = String)]
    pub uitvoer: Option<String>,
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/afsluitingen", tag = "zorgmeldingen", operation_id = "zorgmeldingAfsluiten",
    summary = "Afsluiten (completed)",
    params(("id" = Uuid, Path, description = "Id of the melding"), ("If-Match" = Option<String>, Header, description = "ETag from an earlier read")),
    request_body = AfsluitingInvoer,
    responses(
        (status = 200, description = "Afgesloten", body = ZorgmeldingDto),
        (status = 409, description = "Ongeldige statusovergang", body = Problem),
        (status = 412, description = "Intussen gewijzigd", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn sluit_af(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<AfsluitingInvoer>,
) -> Result<HttpResponse, AppError> {
    let mut v = Validatie::new();
    let uitvoer = v.tekst("uitvoer", body.uitvoer.as_deref(), 5000);
    paging::check(v)?;
    overgang(
        req,
        ctx,
        pool,
        id.into_inner(),
        TaakStatus::Completed,
        None,
        "afsluiting",
        None,
        Some(serde_json::json!({"uitvoer": uitvoer})),
    )
    .await
}

/// A hand-over to another organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdrachtInvoer {
    /// The receiving organisation's code.
    #[schema(required = true, value_type = String, example = "wijkteam-den-haag-centrum")]
    pub organisatie: Option<String>,
    pub toelichting: Option<String>,
}

#[utoipa::path(
    post, path = "/zorgmeldingen/{id}/overdrachten", tag = "zorgmeldingen", operation_id = "zorgmeldingOverdragen",
    summary = "Overdragen aan een andere organisatie",
    description = "The receiver hands over: the other organisation gets its own linked task (requested), which it accepts or rejects with a reason and completes in turn.",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    request_body = OverdrachtInvoer,
    responses(
        (status = 201, description = "Overdrachtstaak aangemaakt", body = ZorgmeldingDto,
            headers(("Location" = String, description = "URL of the linked task"))),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Niet in behandeling", body = Problem),
    ),
    security(("bearer" = [])),
    extensions(("x-persoonsgegevens" = json!({"doel": "coordinatie", "categorieen": ["identificatie", "gezinssituatie"]})))
)]
pub async fn draag_over(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
    body: web::Json<OverdrachtInvoer>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut v = Validatie::new();
    let naar = v.tekst("organisatie", body.organisatie.as_deref(), 63);
    let toelichting = v.optionele_tekst("toelichting", body.toelichting.as_deref(), 5000);
    paging::check(v)?;
    let naar = naar.unwrap_or_default();
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let nieuw = verwerking::tx(&pool, &ctx, "overdracht", doel_object, move |conn| {
        let k = laad(conn, id)?;
        let (partij, t) = beslis(conn, &c2, &k, Actie::Lezen)?;
        if partij != Partij::Ontvanger {
            return Err(AppError::GeenToegang("Alleen de ontvanger draagt over".into()));
        }
        if !matches!(k.taakstatus(), Some(TaakStatus::InProgress | TaakStatus::Accepted)) {
            return Err(AppError::Conflict {
                detail: format!("Overdragen kan vanuit accepted of in-progress; de taak is `{}`", k.taakstatus().map(|s| s.to_string()).unwrap_or_default()),
                location: None,
            });
        }
        if directory::organisatie_op_code(conn, &naar)?.is_none() {
            return Err(AppError::ongeldig("organisatie", "unknown", format!("`{naar}` is geen geregistreerde organisatie")));
        }
        let i = opslag::inhoud(conn, &t, &c2.versleuteling, &k.id)?;
        let n = opslag::maak(conn, &t, &c2.versleuteling, &c2.actor, Some(&k.groep_id), Some(&k.id), Some(&naar), Meldingstatus::Verzonden, Some(TaakStatus::Requested), &i, k.vertrouwelijkheid(), &k.afzender, c2.nu)?;
        let gegevens = serde_json::json!({"naar": naar, "taak": n.id, "toelichting": toelichting, "door": c2.actor.organisatie});
        opslag::stap(conn, &c2.versleuteling, &k.id, &c2.actor, "overdracht", None, None, None, Some(gegevens.clone()), c2.nu)?;
        opslag::stap(conn, &c2.versleuteling, &n.id, &c2.actor, "overdracht-ontvangen", None, Some("requested".into()), None, Some(gegevens), c2.nu)?;
        // The receiver of the hand-over owes feedback to whoever handed over.
        termijnen::maak(conn, &n.id, &c2.actor.organisatie, &naar, i.acuut, c2.nu)?;
        outbox::enqueue(
            conn,
            &outbox::Gebeurtenis {
                soort: "zorgmeldingen.overdracht-ontvangen".into(),
                organisatie: naar.clone(),
                onderwerp: n.id.clone(),
                dataref: format!("/api/v1/zorgmeldingen/{}", n.id),
            },
            c2.nu,
        )?;
        logboek::wijziging(conn, &c2, &t, Actie::Aanmaken, object(&n), None, None, &opslag::betrokkenen(&c2.versleuteling, &i))?;
        Ok(n)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/zorgmeldingen/{}", nieuw.id)))
        .json(dto(&nieuw, None, vec![])))
}

/// One step in the history.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StapDto {
    pub stap: String,
    pub van: Option<String>,
    pub naar: Option<String>,
    pub reden: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub gegevens: Option<serde_json::Value>,
    /// Who, on behalf of which organisation, when.
    pub gebruiker: String,
    pub gebruiker_naam: String,
    pub organisatie: String,
    pub tijdstip: DateTime<Utc>,
}

#[utoipa::path(
    get, path = "/zorgmeldingen/{id}/stappen", tag = "zorgmeldingen", operation_id = "zorgmeldingStappen",
    summary = "Alle stappen van een zorgmelding",
    description = "Every step: who, on behalf of which organisation, when, from which status to which, and why. Hand-over steps are shown on both linked tasks.",
    params(("id" = Uuid, Path, description = "Id of the melding")),
    responses((status = 200, description = "De stappen, oudste eerst", body = Vec<StapDto>), (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem)),
    security(("bearer" = []))
)]
pub async fn stappen(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let doel_object = Object {
        soort: "zorgmeldingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c2 = ctx.clone();
    let s = verwerking::tx(&pool, &ctx, "lezen", doel_object, move |conn| {
        let k = laad(conn, id)?;
        relatie(conn, &c2.actor, &k)?;
        // The sender follows its melding through hand-overs: include linked tasks' steps.
        let mut alle = opslag::stappen(conn, &c2.versleuteling, &k.id)?;
        let (kinderen, _) = opslag::lijst(
            conn,
            &opslag::Filter {
                organisatie: k.afzender.clone(),
                ontvangen: Some(false),
                ..Default::default()
            },
            0,
            1000,
        )?;
        for kind in kinderen
            .iter()
            .filter(|c| c.bovenliggend_id.as_deref() == Some(k.id.as_str()))
        {
            alle.extend(opslag::stappen(conn, &c2.versleuteling, &kind.id)?);
        }
        alle.sort_by(|a, b| a.tijdstip.cmp(&b.tijdstip).then(a.id.cmp(&b.id)));
        Ok(alle)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        s.into_iter()
            .map(|s| StapDto {
                stap: s.stap,
                van: s.van_status,
                naar: s.naar_status,
                reden: s.reden,
                gegevens: s.gegevens.and_then(|g| serde_json::from_str(&g).ok()),
                gebruiker: s.gebruiker,
                gebruiker_naam: s.gebruiker_naam,
                organisatie: s.organisatie,
                tijdstip: ketenregie_common::time::from_db(s.tijdstip),
            })
            .collect::<Vec<_>>(),
    ))
}

/// `richting`: `ontvangen` (inbox, Some(true)), `verzonden` (outbox, Some(false)), absent
/// (None); anything else is recorded as invalid.
fn richting(v: &mut Validatie, r: Option<&str>) -> Option<bool> {
    match r {
        None => None,
        Some("ontvangen") => Some(true),
        Some("verzonden") => Some(false),
        Some(x) => {
            v.fout(
                "richting",
                "enum",
                format!("`{x}`: kies ontvangen of verzonden"),
            );
            None
        }
    }
}

/// Inbox and outbox filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ZoekParams {
    /// `ontvangen` (inbox), `verzonden` (outbox); both when absent.
    pub richting: Option<String>,
    pub taakstatus: Option<TaakStatus>,
    pub meldingstatus: Option<Meldingstatus>,
    /// Created from (inclusive).
    pub van: Option<DateTime<Utc>>,
    /// Created until (exclusive).
    pub tot: Option<DateTime<Utc>>,
    /// A child's municipality (CBS code).
    pub gemeente: Option<String>,
    /// Only those changed after this moment (for polling systems).
    pub gewijzigd_sinds: Option<DateTime<Utc>>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
}

#[utoipa::path(
    get, path = "/zorgmeldingen", tag = "zorgmeldingen", operation_id = "zorgmeldingenOpvragen",
    summary = "Inbox en outbox",
    description = "The receiver sees what was routed or handed over to it, the sender what it sent; status and dates, no personal content (read one melding for that).",
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
    let p = Paginering::uit(&mut v, q.page, q.page_size);
    let ontvangen = richting(&mut v, q.richting.as_deref());
    if let Some(g) = &q.gemeente
        && !is_gemeentecode(g)
    {
        v.fout(
            "gemeente",
            "pattern",
            "een CBS-gemeentecode bestaat uit 4 cijfers",
        );
    }
    paging::check(v)?;
    let f = opslag::Filter {
        organisatie: ctx.actor.organisatie.clone(),
        ontvangen,
        taakstatus: q.taakstatus,
        meldingstatus: q.meldingstatus,
        van: q.van,
        tot: q.tot,
        gemeente: q.gemeente,
        gewijzigd_sinds: q.gewijzigd_sinds,
    };
    let (rijen, totaal) = db::run(&pool, move |c| {
        opslag::lijst(c, &f, p.offset(), p.limit()).map_err(AppError::from)
    })
    .await?;
    let items = rijen.iter().map(|k| dto(k, None, vec![])).collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}

/// Whether the organisation's zorgmeldingen pass a quality check before sending.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KwaliteitscontroleInstelling {
    pub verplicht: bool,
}

#[utoipa::path(
    put, path = "/kwaliteitscontrole", tag = "zorgmeldingen", operation_id = "kwaliteitscontroleInstellen",
    summary = "Kwaliteitscontrole aan of uit (eigen politieorganisatie)",
    request_body = KwaliteitscontroleInstelling,
    responses((status = 200, description = "Ingesteld", body = KwaliteitscontroleInstelling)),
    security(("bearer" = []))
)]
pub async fn zet_kwaliteitscontrole(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    body: web::Json<KwaliteitscontroleInstelling>,
) -> Result<HttpResponse, AppError> {
    if !ctx.actor.heeft_rol(Rol::FunctioneelBeheerder) {
        return Err(AppError::GeenToegang(
            "Alleen de functioneel beheerder stelt de kwaliteitscontrole in".into(),
        ));
    }
    let verplicht = body.verplicht;
    db::tx(&pool, move |c| {
        opslag::zet_kwaliteitscontrole(c, &ctx.actor.organisatie, verplicht)?;
        logboek::audit(
            c,
            &ctx,
            &logboek::AuditRegel {
                actie: "wijzigen".into(),
                object: Object {
                    soort: "kwaliteitscontrole",
                    id: ctx.actor.organisatie.clone(),
                    eigenaar: ctx.actor.organisatie.clone(),
                },
                resultaat: 200,
                doorbraak: false,
                grondslag: None,
                oud: None,
                nieuw: Some(serde_json::json!({"verplicht": verplicht})),
            },
        )
        .map_err(AppError::from)
    })
    .await?;
    Ok(HttpResponse::Ok().json(KwaliteitscontroleInstelling { verplicht }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct TermijnParams {
    /// `ontvangen` (default): what the caller owes on meldingen it received; `verzonden`:
    /// what is owed to the caller on meldingen it sent.
    pub richting: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
}

#[utoipa::path(
    get, path = "/termijnen", tag = "zorgmeldingen", operation_id = "termijnenOpvragen",
    summary = "Openstaande terugkoppeltermijnen",
    description = "The caller's open feedback duties (or those owed to it), earliest due first, so the overdue ones lead. Terms come from the agreement between sender and receiver, else the defaults (receipt 1 working day, triage outcome 5, final outcome 50; acute in hours); working days skip weekends and Dutch public holidays.",
    params(TermijnParams),
    responses((status = 200, description = "Een pagina termijnen", body = inline(Lijst<TermijnDto>))),
    security(("bearer" = []))
)]
pub async fn termijnen_lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<TermijnParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::uit(&mut v, q.page, q.page_size);
    let als_ontvanger = richting(&mut v, q.richting.as_deref()).unwrap_or(true);
    paging::check(v)?;
    let org = ctx.actor.organisatie.clone();
    let (rijen, totaal) = db::run(&pool, move |c| {
        termijnen::open_voor(c, &org, als_ontvanger, p.offset(), p.limit()).map_err(AppError::from)
    })
    .await?;
    let items = rijen.iter().map(|t| termijn_dto(t, ctx.nu)).collect();
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}
