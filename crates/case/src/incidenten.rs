//! Incidenten: a police mutation summary (time, place, kind, the persons involved and
//! their role, the police reference) with verklaringen: each statement attributed to who
//! made it, the child's own voice as its own statement. `HOOR_EN_WEDERHOOR` (DOMAIN.md §1
//! point 4): every incident carries whether the other parent was heard (yes, no, not
//! reachable, declined) and when; an incident where only one parent has a statement and
//! the other was not heard is flagged one-sided wherever it is shown. Only police
//! organisations record incidents (`INCIDENT_DOOR_POLITIE`).
//!
//! Use cases: `maak` (`POST /incidenten`), `lees` (`GET /incidenten/{id}`),
//! `verklaring_toevoegen` (`POST /incidenten/{id}/verklaringen`) and
//! `wederhoor_vastleggen` (`PUT /incidenten/{id}/wederhoor`).

use crate::kolom::{Tekst, tekst_kolom};
use crate::{gezinnen, invoer, personen, toegang};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{
    Fout, Gegevenscategorie as C, OrganisatieSoort, Validatie, Vertrouwelijkheid, ids,
};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::schema::{incident_betrokkenen, incidenten, verklaringen};
use ketenregie_store::{DbConnection, directory};
use serde::{Deserialize, Serialize};
use serde_json::json;
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// The descriptions of the incident operations in the API document: the rules as a
/// caller meets them.
pub mod uitleg {
    pub const MAAK: &str = "A police mutation summary: time, place, kind, the persons involved and their role, the police reference, and the statements of each side (the child's own voice as its own statement). `wederhoor` records whether the other parent was heard (rule HOOR_EN_WEDERHOOR); without it the incident is `nee` and shown as one-sided where only one parent made a statement.";
    pub const WEDERHOOR: &str = "Whether the other parent was heard: `ja`, `nee`, `niet-bereikbaar` or `geweigerd`, and when (required unless `nee`). Rule HOOR_EN_WEDERHOOR.";
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Incidentsoort {
    OverdrachtKindMislukt,
    Ruzie,
    Bedreiging,
    OnttrekkingGezag,
    Mishandeling,
    Overig,
}

impl Incidentsoort {
    /// Kinds that point at a conflict between the parents (used by `VECHTSCHEIDING`).
    pub fn is_ouderconflict(self) -> bool {
        matches!(
            self,
            Self::OverdrachtKindMislukt | Self::Ruzie | Self::Bedreiging | Self::OnttrekkingGezag
        )
    }
}

/// Whether the other parent was heard.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Wederhoor {
    Ja,
    Nee,
    NietBereikbaar,
    Geweigerd,
}

/// Who made a statement.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Verklaarder {
    Moeder,
    Vader,
    Kind,
    Getuige,
    Agent,
    Overig,
}

tekst_kolom!(Incidentsoort, Wederhoor, Verklaarder);

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentBetrokkeneInvoer {
    #[schema(required = true, value_type = Uuid)]
    pub persoon: Option<Uuid>,
    /// Role in the incident, e.g. melder, moeder, vader, kind, verdachte, slachtoffer.
    #[schema(required = true, value_type = String, example = "moeder")]
    pub rol: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerklaringInvoer {
    #[schema(required = true, value_type = Verklaarder)]
    pub afgelegd_door: Option<String>,
    /// The person who made it, when registered.
    pub persoon: Option<Uuid>,
    #[schema(required = true, value_type = String)]
    pub tekst: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub afgelegd_op: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WederhoorInvoer {
    #[schema(required = true, value_type = Wederhoor)]
    pub status: Option<String>,
    /// When the other parent was heard or tried; required unless `nee`.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub op: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentInvoer {
    /// The family dossier of your organisation it belongs to, if any.
    pub gezin: Option<Uuid>,
    #[schema(required = true, value_type = String, format = DateTime)]
    pub tijdstip: Option<String>,
    /// CBS code of the municipality where it happened.
    #[schema(example = "0518")]
    pub gemeente: Option<String>,
    /// The place (encrypted at rest).
    pub plaats: Option<String>,
    #[schema(required = true, value_type = Incidentsoort)]
    pub soort: Option<String>,
    /// The police mutation number.
    #[schema(required = true, value_type = String, example = "PL1500-2026123456")]
    pub politie_referentie: Option<String>,
    /// What happened, in short (encrypted at rest).
    #[schema(required = true, value_type = String)]
    pub samenvatting: Option<String>,
    #[serde(default)]
    pub betrokkenen: Vec<IncidentBetrokkeneInvoer>,
    #[serde(default)]
    pub verklaringen: Vec<VerklaringInvoer>,
    /// Hoor en wederhoor; defaults to `nee`.
    pub wederhoor: Option<WederhoorInvoer>,
    #[schema(value_type = Option<Vertrouwelijkheid>)]
    pub vertrouwelijkheid: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Inhoud {
    plaats: Option<String>,
    samenvatting: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verklaring {
    pub id: Uuid,
    pub afgelegd_door: Verklaarder,
    pub persoon: Option<Uuid>,
    pub tekst: String,
    pub afgelegd_op: DateTime<Utc>,
    /// The officer's organisation that recorded it.
    pub vastgelegd_door: String,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: Uuid,
    pub eigenaar: String,
    pub gezin: Option<Uuid>,
    pub tijdstip: DateTime<Utc>,
    pub gemeente: Option<String>,
    pub plaats: Option<String>,
    pub soort: Incidentsoort,
    pub politie_referentie: String,
    pub samenvatting: String,
    pub betrokkenen: Vec<(Uuid, String)>,
    pub verklaringen: Vec<Verklaring>,
    pub wederhoor: Wederhoor,
    pub wederhoor_op: Option<DateTime<Utc>>,
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

/// `HOOR_EN_WEDERHOOR`: one parent made a statement, the other none, and the other was
/// not heard.
fn eenzijdig(verklaarders: impl Iterator<Item = Verklaarder>, wederhoor: Wederhoor) -> bool {
    let (mut moeder, mut vader) = (false, false);
    for v in verklaarders {
        moeder |= v == Verklaarder::Moeder;
        vader |= v == Verklaarder::Vader;
    }
    moeder != vader && wederhoor != Wederhoor::Ja
}

impl Incident {
    /// `HOOR_EN_WEDERHOOR`: one parent has a statement, the other none, and the other
    /// was not heard.
    pub fn eenzijdig(&self) -> bool {
        eenzijdig(
            self.verklaringen.iter().map(|v| v.afgelegd_door),
            self.wederhoor,
        )
    }
}

impl VerklaringInvoer {
    pub fn valideer(&self, v: &mut Validatie, pad: &str, nu: DateTime<Utc>) -> Option<Verklaring> {
        let p = |f: &str| {
            if pad.is_empty() {
                f.to_string()
            } else {
                format!("{pad}.{f}")
            }
        };
        let door = v.keuze(&p("afgelegdDoor"), self.afgelegd_door.as_deref());
        let tekst = v.tekst(&p("tekst"), self.tekst.as_deref(), 20_000);
        let op = invoer::tijdstip(v, &p("afgelegdOp"), self.afgelegd_op.as_deref(), Some(nu));
        Some(Verklaring {
            id: ids::new_id(),
            afgelegd_door: door?,
            persoon: self.persoon,
            tekst: tekst?,
            afgelegd_op: op.unwrap_or(nu),
            vastgelegd_door: String::new(),
        })
    }
}

impl VerklaringInvoer {
    /// `POST /incidenten/{id}/verklaringen`: the statement, or every problem named.
    pub fn nieuw(&self, nu: DateTime<Utc>) -> Result<Verklaring, Fout> {
        let mut v = Validatie::new();
        let s = self.valideer(&mut v, "", nu);
        v.afronden(|| s.ok_or_else(|| Fout::intern("verklaring zonder fouten maar leeg")))
            .map_err(Fout::Ongeldig)?
    }
}

/// Hoor en wederhoor as recorded on an incident.
#[derive(Debug, Clone, Copy)]
pub struct Wederhoorvastlegging {
    pub status: Wederhoor,
    pub op: Option<DateTime<Utc>>,
}

impl WederhoorInvoer {
    /// `PUT /incidenten/{id}/wederhoor`: the hearing, or every problem named.
    pub fn nieuw(&self, nu: DateTime<Utc>) -> Result<Wederhoorvastlegging, Fout> {
        let mut v = Validatie::new();
        let w = self.valideer(&mut v, "", nu);
        v.afronden(|| {
            w.map(|(status, op)| Wederhoorvastlegging { status, op })
                .ok_or_else(|| Fout::intern("wederhoor zonder fouten maar leeg"))
        })
        .map_err(Fout::Ongeldig)?
    }

    pub fn valideer(
        &self,
        v: &mut Validatie,
        pad: &str,
        nu: DateTime<Utc>,
    ) -> Option<(Wederhoor, Option<DateTime<Utc>>)> {
        let p = |f: &str| {
            if pad.is_empty() {
                f.to_string()
            } else {
                format!("{pad}.{f}")
            }
        };
        let status: Option<Wederhoor> = v.keuze(&p("status"), self.status.as_deref());
        let op = invoer::tijdstip(v, &p("op"), self.op.as_deref(), Some(nu));
        if status.is_some_and(|s| s != Wederhoor::Nee) && self.op.is_none() {
            v.fout(
                p("op"),
                "required",
                "vermeld wanneer de andere ouder is gehoord of geprobeerd is te horen (regel HOOR_EN_WEDERHOOR)",
            );
        }
        Some((status?, op))
    }
}

impl IncidentInvoer {
    pub fn valideer(&self, nu: DateTime<Utc>) -> Result<Incident, Fout> {
        let mut v = Validatie::new();
        let tijdstip = invoer::tijdstip(&mut v, "tijdstip", self.tijdstip.as_deref(), Some(nu));
        if self.tijdstip.is_none() {
            v.fout("tijdstip", "required", "`tijdstip` is verplicht");
        }
        let gemeente = invoer::gemeentecode(&mut v, "gemeente", self.gemeente.as_deref());
        let plaats = v.optionele_tekst("plaats", self.plaats.as_deref(), 200);
        let soort = v.keuze("soort", self.soort.as_deref());
        let referentie = v.tekst("politieReferentie", self.politie_referentie.as_deref(), 64);
        let samenvatting = v.tekst("samenvatting", self.samenvatting.as_deref(), 20_000);
        let mut betrokkenen = Vec::new();
        for (i, b) in self.betrokkenen.iter().enumerate() {
            let p = v.verplicht(&format!("betrokkenen[{i}].persoon"), b.persoon);
            let r = v.tekst(&format!("betrokkenen[{i}].rol"), b.rol.as_deref(), 40);
            if let (Some(p), Some(r)) = (p, r) {
                if betrokkenen.iter().any(|(q, _)| *q == p) {
                    v.fout(
                        format!("betrokkenen[{i}].persoon"),
                        "uniqueItems",
                        "deze persoon staat al bij het incident",
                    );
                }
                betrokkenen.push((p, r));
            }
        }
        let verklaringen: Vec<Verklaring> = self
            .verklaringen
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.valideer(&mut v, &format!("verklaringen[{i}]"), nu))
            .collect();
        let (wederhoor, wederhoor_op) = match &self.wederhoor {
            None => (Some(Wederhoor::Nee), None),
            Some(w) => match w.valideer(&mut v, "wederhoor", nu) {
                Some((s, o)) => (Some(s), o),
                None => (None, None),
            },
        };
        let niveau = invoer::keuze_of(
            &mut v,
            "vertrouwelijkheid",
            self.vertrouwelijkheid.as_deref(),
            Vertrouwelijkheid::STANDAARD,
        );
        v.afronden(|| Incident {
            id: ids::new_id(),
            eigenaar: String::new(),
            gezin: self.gezin,
            tijdstip: tijdstip.unwrap_or(nu),
            gemeente,
            plaats,
            soort: soort.unwrap_or(Incidentsoort::Overig),
            politie_referentie: referentie.unwrap_or_default(),
            samenvatting: samenvatting.unwrap_or_default(),
            betrokkenen,
            verklaringen,
            wederhoor: wederhoor.unwrap_or(Wederhoor::Nee),
            wederhoor_op,
            vertrouwelijkheid: niveau.unwrap_or(Vertrouwelijkheid::STANDAARD),
        })
        .map_err(Fout::Ongeldig)
    }
}

/// The persons an incident refers to, with their field names, for the ownership check.
pub fn verwijzingen(i: &Incident) -> Vec<(String, Uuid)> {
    let mut uit: Vec<(String, Uuid)> = i
        .betrokkenen
        .iter()
        .enumerate()
        .map(|(n, (p, _))| (format!("betrokkenen[{n}].persoon"), *p))
        .collect();
    uit.extend(
        i.verklaringen
            .iter()
            .enumerate()
            .filter_map(|(n, s)| s.persoon.map(|p| (format!("verklaringen[{n}].persoon"), p))),
    );
    uit
}

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
pub fn maak(conn: &mut DbConnection, ctx: &Context, i: Incident) -> Result<IncidentWeergave, Fout> {
    alleen_politie(conn, ctx)?;
    if let Some(g) = &i.gemeente {
        invoer::bestaande_gemeenten(conn, &[("gemeente".into(), g.clone())])?;
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
    let s = subjecten(conn, ctx, &i)?;
    logboek::lezing(conn, ctx, &t, object(&i.id.to_string(), &i.eigenaar), &s)?;
    Ok(IncidentWeergave::from(&i))
}

/// `POST /incidenten/{id}/verklaringen`: add statement `s` to an incident of the caller's
/// organisation (another's is refused within the view); the person who made it, when
/// named, must be one of its persons. Hearing the other parent later is exactly this.
pub fn verklaring_toevoegen(
    conn: &mut DbConnection,
    ctx: &Context,
    incident: Uuid,
    mut s: Verklaring,
) -> Result<IncidentWeergave, Fout> {
    eigen(conn, ctx, incident)?;
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
/// (`HOOR_EN_WEDERHOOR`) on an incident of the caller's organisation.
pub fn wederhoor_vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    incident: Uuid,
    w: Wederhoorvastlegging,
) -> Result<IncidentWeergave, Fout> {
    eigen(conn, ctx, incident)?;
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

/// Log a write to incident `i` of one's own (`EIGEN_ORGANISATIE`) with `samenvatting`,
/// and answer it.
fn schrijf(
    conn: &mut DbConnection,
    ctx: &Context,
    i: &Incident,
    samenvatting: serde_json::Value,
) -> Result<IncidentWeergave, Fout> {
    let s = subjecten(conn, ctx, i)?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[C::Politiegegevens],
        object(&i.id.to_string(), &i.eigenaar),
        samenvatting,
        &s,
    )?;
    Ok(IncidentWeergave::from(i))
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

/// Store incident `i` of `eigenaar` with its persons and statements; the persons and the
/// family must be its own.
pub fn voeg_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    mut i: Incident,
    nu: DateTime<Utc>,
) -> Result<Incident, Fout> {
    personen::eigen_personen(conn, eigenaar, &verwijzingen(&i))?;
    if let Some(g) = i.gezin
        && !gezinnen::is_van(conn, eigenaar, g)?
    {
        return Err(Fout::veld(
            "gezin",
            "reference",
            format!("`gezin`: uw organisatie heeft geen gezin {g}"),
        ));
    }
    i.eigenaar = eigenaar.to_string();
    let inhoud = Inhoud {
        plaats: i.plaats.clone(),
        samenvatting: i.samenvatting.clone(),
    };
    diesel::insert_into(incidenten::table)
        .values((
            incidenten::id.eq(i.id.to_string()),
            incidenten::eigenaar.eq(eigenaar),
            incidenten::gezin_id.eq(i.gezin.map(|g| g.to_string())),
            incidenten::tijdstip.eq(to_db(i.tijdstip)),
            incidenten::gemeente.eq(&i.gemeente),
            incidenten::soort.eq(i.soort),
            incidenten::politie_referentie.eq(&i.politie_referentie),
            incidenten::inhoud
                .eq(v.versleutel(&serde_json::to_string(&inhoud).expect("serialises"))),
            incidenten::wederhoor.eq(i.wederhoor),
            incidenten::wederhoor_op.eq(i.wederhoor_op.map(to_db)),
            incidenten::vertrouwelijkheid.eq(i.vertrouwelijkheid.as_ref()),
            incidenten::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    for (p, rol) in &i.betrokkenen {
        diesel::insert_into(incident_betrokkenen::table)
            .values((
                incident_betrokkenen::incident_id.eq(i.id.to_string()),
                incident_betrokkenen::persoon_id.eq(p.to_string()),
                incident_betrokkenen::rol.eq(rol),
            ))
            .execute(conn)?;
    }
    for s in &mut i.verklaringen {
        s.vastgelegd_door = eigenaar.to_string();
        voeg_verklaring_in(conn, v, i.id, s, nu)?;
    }
    Ok(i)
}

fn voeg_verklaring_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    incident: Uuid,
    s: &Verklaring,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(verklaringen::table)
        .values((
            verklaringen::id.eq(s.id.to_string()),
            verklaringen::incident_id.eq(incident.to_string()),
            verklaringen::persoon_id.eq(s.persoon.map(|p| p.to_string())),
            verklaringen::afgelegd_door.eq(s.afgelegd_door),
            verklaringen::tekst.eq(v.versleutel(&s.tekst)),
            verklaringen::afgelegd_op.eq(to_db(s.afgelegd_op)),
            verklaringen::vastgelegd_door.eq(&s.vastgelegd_door),
            verklaringen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A stored incident.
#[derive(Queryable, Selectable)]
#[diesel(table_name = incidenten)]
struct IncidentRij {
    id: Tekst<Uuid>,
    eigenaar: String,
    gezin_id: Option<Tekst<Uuid>>,
    tijdstip: chrono::NaiveDateTime,
    gemeente: Option<String>,
    soort: Incidentsoort,
    politie_referentie: String,
    inhoud: String,
    wederhoor: Wederhoor,
    wederhoor_op: Option<chrono::NaiveDateTime>,
    vertrouwelijkheid: Tekst<Vertrouwelijkheid>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = incident_betrokkenen)]
struct BetrokkeneRij {
    incident_id: Tekst<Uuid>,
    persoon_id: Tekst<Uuid>,
    rol: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = verklaringen)]
struct VerklaringRij {
    id: Tekst<Uuid>,
    incident_id: Tekst<Uuid>,
    persoon_id: Option<Tekst<Uuid>>,
    afgelegd_door: Verklaarder,
    tekst: String,
    afgelegd_op: chrono::NaiveDateTime,
    vastgelegd_door: String,
}

/// One incident by id, decrypted, with persons and statements.
pub fn vind(conn: &mut DbConnection, v: &Versleuteling, id: Uuid) -> QueryResult<Option<Incident>> {
    Ok(lees_veel(conn, v, &[id.to_string()])?.pop())
}

/// Incidents by id, decrypted, with persons and statements; newest first.
pub fn lees_veel(
    conn: &mut DbConnection,
    v: &Versleuteling,
    ids: &[String],
) -> QueryResult<Vec<Incident>> {
    let mut uit = Vec::new();
    for deel in ids.chunks(500) {
        let rijen: Vec<IncidentRij> = incidenten::table
            .filter(incidenten::id.eq_any(deel))
            .order(incidenten::tijdstip.desc())
            .select(IncidentRij::as_select())
            .load(conn)?;
        let betr: Vec<BetrokkeneRij> = incident_betrokkenen::table
            .filter(incident_betrokkenen::incident_id.eq_any(deel))
            .select(BetrokkeneRij::as_select())
            .load(conn)?;
        let verk: Vec<VerklaringRij> = verklaringen::table
            .filter(verklaringen::incident_id.eq_any(deel))
            .order(verklaringen::afgelegd_op.asc())
            .select(VerklaringRij::as_select())
            .load(conn)?;
        for r in rijen {
            let inhoud: Inhoud = v
                .ontsleutel(&r.inhoud)
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .ok_or_else(|| {
                    diesel::result::Error::DeserializationError(
                        format!("incident {} kan niet worden ontsleuteld", r.id.0).into(),
                    )
                })?;
            let verklaringen = verk
                .iter()
                .filter(|s| s.incident_id == r.id)
                .map(|s| {
                    Ok(Verklaring {
                        id: s.id.0,
                        afgelegd_door: s.afgelegd_door,
                        persoon: s.persoon_id.map(|p| p.0),
                        tekst: v.ontsleutel(&s.tekst)?,
                        afgelegd_op: from_db(s.afgelegd_op),
                        vastgelegd_door: s.vastgelegd_door.clone(),
                    })
                })
                .collect::<QueryResult<Vec<_>>>()?;
            uit.push(Incident {
                betrokkenen: betr
                    .iter()
                    .filter(|b| b.incident_id == r.id)
                    .map(|b| (b.persoon_id.0, b.rol.clone()))
                    .collect(),
                verklaringen,
                id: r.id.0,
                eigenaar: r.eigenaar,
                gezin: r.gezin_id.map(|g| g.0),
                tijdstip: from_db(r.tijdstip),
                gemeente: r.gemeente,
                plaats: inhoud.plaats,
                soort: r.soort,
                politie_referentie: r.politie_referentie,
                samenvatting: inhoud.samenvatting,
                wederhoor: r.wederhoor,
                wederhoor_op: r.wederhoor_op.map(from_db),
                vertrouwelijkheid: r.vertrouwelijkheid.0,
            });
        }
    }
    uit.sort_by_key(|i| std::cmp::Reverse(i.tijdstip));
    Ok(uit)
}

/// A short view of an incident for the briefing, without decrypting it: when, what kind,
/// who owns it, the hearing status and who made statements.
#[derive(Debug, Clone)]
pub struct IncidentKort {
    pub id: Uuid,
    pub eigenaar: String,
    pub tijdstip: DateTime<Utc>,
    pub soort: Incidentsoort,
    pub wederhoor: Wederhoor,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub verklaarders: Vec<Verklaarder>,
}

impl IncidentKort {
    pub fn eenzijdig(&self) -> bool {
        eenzijdig(self.verklaarders.iter().copied(), self.wederhoor)
    }
}

/// The incidents involving any of these persons or recorded in any of these families.
pub fn kort_van(
    conn: &mut DbConnection,
    persoon_ids: &[String],
    gezin_ids: &[String],
) -> QueryResult<Vec<IncidentKort>> {
    let mut incident_ids: Vec<String> = Vec::new();
    for deel in persoon_ids.chunks(500) {
        incident_ids.extend(
            incident_betrokkenen::table
                .filter(incident_betrokkenen::persoon_id.eq_any(deel))
                .select(incident_betrokkenen::incident_id)
                .load::<String>(conn)?,
        );
    }
    for deel in gezin_ids.chunks(500) {
        incident_ids.extend(
            incidenten::table
                .filter(incidenten::gezin_id.eq_any(deel))
                .select(incidenten::id)
                .load::<String>(conn)?,
        );
    }
    incident_ids.sort();
    incident_ids.dedup();
    let mut uit = Vec::new();
    for deel in incident_ids.chunks(500) {
        let rijen: Vec<KortRij> = incidenten::table
            .filter(incidenten::id.eq_any(deel))
            .select(KortRij::as_select())
            .load(conn)?;
        let verk: Vec<(Tekst<Uuid>, Verklaarder)> = verklaringen::table
            .filter(verklaringen::incident_id.eq_any(deel))
            .select((verklaringen::incident_id, verklaringen::afgelegd_door))
            .load(conn)?;
        uit.extend(rijen.into_iter().map(|r| IncidentKort {
            verklaarders: verk.iter().filter(|s| s.0 == r.id).map(|s| s.1).collect(),
            id: r.id.0,
            eigenaar: r.eigenaar,
            tijdstip: from_db(r.tijdstip),
            soort: r.soort,
            wederhoor: r.wederhoor,
            vertrouwelijkheid: r.vertrouwelijkheid.0,
        }));
    }
    uit.sort_by_key(|i| std::cmp::Reverse(i.tijdstip));
    Ok(uit)
}

/// What the briefing reads of an incident.
#[derive(Queryable, Selectable)]
#[diesel(table_name = incidenten)]
struct KortRij {
    id: Tekst<Uuid>,
    eigenaar: String,
    tijdstip: chrono::NaiveDateTime,
    soort: Incidentsoort,
    wederhoor: Wederhoor,
    vertrouwelijkheid: Tekst<Vertrouwelijkheid>,
}
