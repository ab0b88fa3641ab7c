//! The incident use cases: each decides (`INCIDENT_DOOR_POLITIE`, one's own records,
//! the view), writes, and logs one processing-log row per person.

use super::opslag::{vind, voeg_in, voeg_verklaring_in};
use super::{
    Incident, IncidentInvoer, Incidentsoort, Verklaarder, Verklaring, Wederhoor,
    Wederhoorvastlegging, niet_voor_het_incident,
};
use crate::{gezinnen, personen, toegang};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_common::{
    Fout, Gegevenscategorie as C, IfMatch, OrganisatieSoort, Validatie, Vertrouwelijkheid,
};
use ketenregie_privacy::Context;
use ketenregie_privacy::eigen_verklaring::{self, EigenVerklaringWeergave, Recordsoort};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_store::schema::incidenten;
use ketenregie_store::{DbConnection, directory};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = IncidentBetrokkeneDto)]
#[serde(rename_all = "camelCase")]
pub struct IncidentBetrokkeneWeergave {
    pub persoon: Uuid,
    pub rol: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = VerklaringDto)]
#[serde(rename_all = "camelCase")]
pub struct VerklaringWeergave {
    pub id: Uuid,
    pub afgelegd_door: Verklaarder,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persoon: Option<Uuid>,
    pub tekst: String,
    pub afgelegd_op: DateTime<Utc>,
    pub vastgelegd_door: String,
}

/// A police incident with every statement and whether the other parent was heard.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = IncidentDto)]
#[serde(rename_all = "camelCase")]
pub struct IncidentWeergave {
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
    pub betrokkenen: Vec<IncidentBetrokkeneWeergave>,
    /// Each statement attributed to who made it, oldest first.
    pub verklaringen: Vec<VerklaringWeergave>,
    pub wederhoor: Wederhoor,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wederhoor_op: Option<DateTime<Utc>>,
    /// Only one parent's story, the other not heard (`HOOR_EN_WEDERHOOR`).
    pub eenzijdig: bool,
    /// The own statements of the persons it names (Jeugdwet art. 7.3.8), oldest first:
    /// always shown with it, as far as the reader may see them. Apart from `verklaringen`,
    /// which the police recorded.
    pub eigen_verklaringen: Vec<EigenVerklaringWeergave>,
    /// The version, answered as the `ETag` header, not in the body.
    #[serde(skip)]
    pub versie: i64,
}

impl From<&Incident> for IncidentWeergave {
    fn from(i: &Incident) -> Self {
        IncidentWeergave {
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
                .map(|(p, r)| IncidentBetrokkeneWeergave {
                    persoon: *p,
                    rol: r.clone(),
                })
                .collect(),
            verklaringen: i
                .verklaringen
                .iter()
                .map(|s| VerklaringWeergave {
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
            eigen_verklaringen: vec![],
            versie: i.versie,
        }
    }
}

/// The kind of record, as named in a 404.
pub const INCIDENT: &str = "incident";

/// The audit object of incident `id` of `eigenaar`.
pub fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "incidenten",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// `INCIDENT_DOOR_POLITIE`: incidents are police records (Wpg); only a police
/// organisation records one.
fn alleen_politie(conn: &mut DbConnection, ctx: &Context) -> Result<(), Fout> {
    let soort = directory::kern_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.2);
    if soort == Some(OrganisatieSoort::Politie) {
        Ok(())
    } else {
        Err(Fout::geweigerd(
            "INCIDENT_DOOR_POLITIE",
            "Alleen de politie legt incidenten vast (politiegegevens, Wpg); registreer uw betrokkenheid met POST /betrokkenheden",
        ))
    }
}

/// `POST /incidenten`: record incident `i` for the caller's police organisation
/// (`INCIDENT_DOOR_POLITIE`); its persons and family must be the organisation's own, its
/// municipality a known one. Logged as a write of one's own record, one processing-log
/// row per person involved or making a statement.
///
/// Every problem is named at once: the body's own (`IncidentInvoer::valideer`) and the
/// references looked up on what could be read (a person or family that is not the
/// organisation's: `reference`), `invoer::samen`.
pub fn maak(
    conn: &mut DbConnection,
    ctx: &Context,
    invoer: &IncidentInvoer,
) -> Result<IncidentWeergave, Fout> {
    let eerste = invoer.valideer(ctx.nu);
    if let Err(e) = alleen_politie(conn, ctx) {
        return Err(crate::invoer::eerst_de_body(&eerste, e));
    }
    let eigenaar = &ctx.actor.organisatie;
    let mut verwijzingen: Vec<(String, Uuid)> = Vec::new();
    let betrokkenen = invoer.betrokkenen.iter().enumerate();
    for (n, p) in betrokkenen.filter_map(|(n, b)| b.persoon.map(|p| (n, p))) {
        verwijzingen.push((format!("betrokkenen[{n}].persoon"), p));
    }
    let verklaringen = invoer.verklaringen.iter().enumerate();
    for (n, p) in verklaringen.filter_map(|(n, s)| s.persoon.map(|p| (n, p))) {
        verwijzingen.push((format!("verklaringen[{n}].persoon"), p));
    }
    let mut naslag =
        crate::invoer::problemen(personen::eigen_personen(conn, eigenaar, &verwijzingen))?;
    if let Some(g) = invoer.gezin
        && !gezinnen::is_van(conn, eigenaar, g)?
    {
        naslag.push(ketenregie_common::InvalidParam {
            name: "gezin".into(),
            code: "reference".into(),
            reason: "`gezin` noemt geen gezin van uw organisatie".into(),
        });
    }
    let i = crate::invoer::samen(eerste, naslag)?;
    if let Some(g) = &i.gemeente {
        ketenregie_store::referentie::bestaande_gemeenten(conn, &[("gemeente".into(), g.clone())])?;
    }
    let i = voeg_in(conn, &ctx.versleuteling, &ctx.actor.organisatie, i, ctx.nu)?;
    schrijf(
        conn,
        ctx,
        &i,
        json!({"incident": i.id, "soort": i.soort, "verklaringen": i.verklaringen.len(), "wederhoor": i.wederhoor}),
    )
}

/// `GET /incidenten/{id}`: the incident with every statement; another organisation reads
/// it only as an agreement allows (category `politiegegevens`), outside the caller's view
/// as an unknown id. One processing-log row per person.
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<IncidentWeergave, Fout> {
    lees_getoond(conn, ctx, id, |_| true)
}

/// `GET /incidenten/{id}/eigen-verklaringen`: the statements `lees` shows with the
/// incident, as that read (`VERKLARING_LEZEN_ALS_RECORD`: its decision, 404 and logs),
/// logged only when a statement is returned (`LOG_ALLEEN_WAT_GETOOND`: an empty list is
/// the audit row alone, no processing-log row and no disclosure).
pub fn verklaringen(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave>, Fout> {
    Ok(lees_getoond(conn, ctx, id, |w| !w.eigen_verklaringen.is_empty())?.eigen_verklaringen)
}

/// `lees`, the persons' data logged as processed when `getoond` says the answer shows
/// them (`LOG_ALLEEN_WAT_GETOOND`), else the audit row alone.
fn lees_getoond(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    getoond: impl FnOnce(&IncidentWeergave) -> bool,
) -> Result<IncidentWeergave, Fout> {
    let i = vind(conn, &ctx.versleuteling, id)?.ok_or_else(|| toegang::onbekend(INCIDENT))?;
    let t = toegang::lees(
        conn,
        ctx,
        INCIDENT,
        &i.eigenaar,
        &[C::Politiegegevens],
        &[],
        i.vertrouwelijkheid,
    )?;
    let w = weergave(conn, ctx, &i, t.max_vertrouwelijkheid())?;
    let s = if getoond(&w) {
        subjecten(conn, ctx, &i)?
    } else {
        vec![]
    };
    logboek::lezing(conn, ctx, &t, object(&i.id.to_string(), &i.eigenaar), &s)?;
    logboek::verklaringen(conn, ctx, &t, &w.eigen_verklaringen)?;
    Ok(w)
}

/// `POST /incidenten/{id}/verklaringen`: add statement `s` to an incident of the caller's
/// organisation (another's is refused within the view); the person who made it, when
/// named, must be one of its persons. Hearing the other parent later is exactly this.
/// A stated `afgelegdOp` before the incident's moment is refused
/// (`NIET_VOOR_HET_INCIDENT`).
pub fn verklaring_toevoegen(
    conn: &mut DbConnection,
    ctx: &Context,
    incident: Uuid,
    mut s: Verklaring,
    voorwaarde: &IfMatch,
) -> Result<IncidentWeergave, Fout> {
    let huidig = eigen(conn, ctx, incident)?;
    // The body before the precondition (RFC 9110 §13.2.1, as STAP_VOOR_REDEN).
    let mut v = Validatie::new();
    s.na_het_incident(&mut v, "afgelegdOp", huidig.tijdstip);
    v.afronden(|| ()).map_err(Fout::Ongeldig)?;
    volgende_versie(conn, &huidig, voorwaarde)?;
    if let Some(p) = s.persoon {
        personen::eigen_personen(conn, &ctx.actor.organisatie, &[("persoon".into(), p)])?;
    }
    s.vastgelegd_door = ctx.actor.organisatie.clone();
    voeg_verklaring_in(conn, &ctx.versleuteling, incident, &s, ctx.nu)?;
    let i = vind(conn, &ctx.versleuteling, incident)?.ok_or_else(|| toegang::onbekend(INCIDENT))?;
    schrijf(
        conn,
        ctx,
        &i,
        json!({"incident": i.id, "verklaringen": i.verklaringen.len()}),
    )
}

/// `PUT /incidenten/{id}/wederhoor`: record whether the other parent was heard
/// (`HOOR_EN_WEDERHOOR`) on an incident of the caller's organisation; not before the
/// incident's moment (`NIET_VOOR_HET_INCIDENT`).
pub fn wederhoor_vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    incident: Uuid,
    w: Wederhoorvastlegging,
    voorwaarde: &IfMatch,
) -> Result<IncidentWeergave, Fout> {
    let huidig = eigen(conn, ctx, incident)?;
    // The body before the precondition (RFC 9110 §13.2.1, as STAP_VOOR_REDEN).
    let mut v = Validatie::new();
    niet_voor_het_incident(&mut v, "op", w.op, Some(huidig.tijdstip));
    v.afronden(|| ()).map_err(Fout::Ongeldig)?;
    volgende_versie(conn, &huidig, voorwaarde)?;
    diesel::update(incidenten::table.find(incident.to_string()))
        .set((
            incidenten::wederhoor.eq(w.status),
            incidenten::wederhoor_op.eq(w.op.map(to_db)),
        ))
        .execute(conn)?;
    let i = vind(conn, &ctx.versleuteling, incident)?.ok_or_else(|| toegang::onbekend(INCIDENT))?;
    schrijf(
        conn,
        ctx,
        &i,
        json!({"incident": i.id, "wederhoor": i.wederhoor}),
    )
}

/// Raise the version of incident `i` for a change under precondition `voorwaarde` (RFC
/// 9110 §13.1.1), checked and raised in one conditional update: of two writers that read
/// one version, one gets `VoorwaardeMislukt`.
fn volgende_versie(
    conn: &mut DbConnection,
    i: &Incident,
    voorwaarde: &IfMatch,
) -> Result<(), Fout> {
    voorwaarde
        .controleer(i.versie, "het incident")
        .map_err(Fout::VoorwaardeMislukt)?;
    let n = diesel::update(
        incidenten::table
            .find(i.id.to_string())
            .filter(incidenten::versie.eq(i.versie)),
    )
    .set(incidenten::versie.eq(i.versie + 1))
    .execute(conn)?;
    if n == 0 {
        return Err(Fout::VoorwaardeMislukt(format!(
            "het incident is intussen gewijzigd (versie {} is niet meer de huidige); haal het opnieuw op",
            i.versie
        )));
    }
    Ok(())
}

/// Log a write to incident `i` of one's own (`EIGEN_ORGANISATIE`) with `samenvatting`,
/// and answer it.
fn schrijf(
    conn: &mut DbConnection,
    ctx: &Context,
    i: &Incident,
    samenvatting: serde_json::Value,
) -> Result<IncidentWeergave, Fout> {
    let s = subjecten(conn, ctx, i)?;
    let t = toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::Politiegegevens],
        object(&i.id.to_string(), &i.eigenaar),
        samenvatting,
        &s,
    )?;
    let w = weergave(conn, ctx, i, t.max_vertrouwelijkheid())?;
    logboek::verklaringen(conn, ctx, &t, &w.eigen_verklaringen)?;
    Ok(w)
}

/// Incident `i` as shown to the caller, with the own statements on it it may see at
/// levels up to `max` (`eigen_verklaring::VERKLARING_BIJ_RECORD`).
fn weergave(
    conn: &mut DbConnection,
    ctx: &Context,
    i: &Incident,
    max: Vertrouwelijkheid,
) -> Result<IncidentWeergave, Fout> {
    let mut w = IncidentWeergave::from(i);
    w.eigen_verklaringen = eigen_verklaring::bij_record(
        conn,
        &ctx.versleuteling,
        Recordsoort::Incident,
        i.id,
        &ctx.actor.organisatie,
        max,
    )?;
    Ok(w)
}

/// An incident of the caller's organisation to add to; another's is refused within the
/// view (`EIGEN_ORGANISATIE`, `EEN_ORGANISATIE_ZICHT`).
fn eigen(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Incident, Fout> {
    let i = vind(conn, &ctx.versleuteling, id)?.ok_or_else(|| toegang::onbekend(INCIDENT))?;
    if i.eigenaar != ctx.actor.organisatie {
        return Err(toegang::niet_eigen(
            conn,
            ctx,
            INCIDENT,
            &i.eigenaar,
            &[C::Politiegegevens],
            i.vertrouwelijkheid,
        ));
    }
    Ok(i)
}

/// The identities of an incident's persons, for the processing log.
fn subjecten(conn: &mut DbConnection, ctx: &Context, i: &Incident) -> QueryResult<Vec<Uuid>> {
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
