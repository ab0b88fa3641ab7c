//! Incidenten: a police mutation summary (time, place, kind, the persons involved and
//! their role, the police reference) with verklaringen: each statement attributed to who
//! made it, the child's own voice as its own statement. `HOOR_EN_WEDERHOOR` (DOMAIN.md §1
//! point 4): every incident carries whether the other parent was heard (yes, no, not
//! reachable, declined) and when; an incident where only one parent has a statement and
//! the other was not heard is flagged one-sided wherever it is shown. Only police
//! organisations record incidents (`INCIDENT_DOOR_POLITIE`).

use crate::{CaseFout, id, invoer};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::Validatie;
use ketenregie_common::Vertrouwelijkheid;
use ketenregie_common::ids;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{incident_betrokkenen, incidenten, verklaringen};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

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
)]
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
)]
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
)]
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

impl WederhoorInvoer {
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
    pub fn valideer(&self, nu: DateTime<Utc>) -> Result<Incident, CaseFout> {
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
        .map_err(CaseFout::Ongeldig)
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

pub fn maak(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    mut i: Incident,
    nu: DateTime<Utc>,
) -> Result<Incident, CaseFout> {
    crate::personen::eigen_personen(conn, eigenaar, &verwijzingen(&i))?;
    if let Some(g) = i.gezin {
        crate::gezinnen::eigen(conn, eigenaar, g).map_err(|_| {
            CaseFout::veld(
                "gezin",
                "reference",
                format!("`gezin`: uw organisatie heeft geen gezin {g}"),
            )
        })?;
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
            incidenten::soort.eq(i.soort.as_ref()),
            incidenten::politie_referentie.eq(&i.politie_referentie),
            incidenten::inhoud
                .eq(v.versleutel(&serde_json::to_string(&inhoud).expect("serialises"))),
            incidenten::wederhoor.eq(i.wederhoor.as_ref()),
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
            verklaringen::afgelegd_door.eq(s.afgelegd_door.as_ref()),
            verklaringen::tekst.eq(v.versleutel(&s.tekst)),
            verklaringen::afgelegd_op.eq(to_db(s.afgelegd_op)),
            verklaringen::vastgelegd_door.eq(&s.vastgelegd_door),
            verklaringen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Add a statement to an incident of `eigenaar`.
pub fn voeg_verklaring_toe(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    incident: Uuid,
    mut s: Verklaring,
    nu: DateTime<Utc>,
) -> Result<Incident, CaseFout> {
    let i = eigen(conn, v, eigenaar, incident)?;
    if let Some(p) = s.persoon {
        crate::personen::eigen_personen(conn, eigenaar, &[("persoon".into(), p)])?;
    }
    s.vastgelegd_door = eigenaar.to_string();
    voeg_verklaring_in(conn, v, i.id, &s, nu)?;
    Ok(lees_veel(conn, v, &[incident.to_string()])?.remove(0))
}

/// Record hoor en wederhoor on an incident of `eigenaar`.
pub fn zet_wederhoor(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    incident: Uuid,
    status: Wederhoor,
    op: Option<DateTime<Utc>>,
) -> Result<Incident, CaseFout> {
    eigen(conn, v, eigenaar, incident)?;
    diesel::update(incidenten::table.find(incident.to_string()))
        .set((
            incidenten::wederhoor.eq(status.as_ref()),
            incidenten::wederhoor_op.eq(op.map(to_db)),
        ))
        .execute(conn)?;
    Ok(lees_veel(conn, v, &[incident.to_string()])?.remove(0))
}

/// An incident of `eigenaar`, or a 404.
pub fn eigen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    incident: Uuid,
) -> Result<Incident, CaseFout> {
    lees_veel(conn, v, &[incident.to_string()])?
        .into_iter()
        .find(|i| i.eigenaar == eigenaar)
        .ok_or_else(|| {
            CaseFout::NietGevonden(format!("Uw organisatie heeft geen incident {incident}"))
        })
}

type IncidentRij = (
    String,
    String,
    Option<String>,
    chrono::NaiveDateTime,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<chrono::NaiveDateTime>,
    String,
);

/// Incidents by id, decrypted, with persons and statements; newest first.
pub fn lees_veel(
    conn: &mut DbConnection,
    v: &Versleuteling,
    ids: &[String],
) -> Result<Vec<Incident>, CaseFout> {
    let mut uit = Vec::new();
    for deel in ids.chunks(500) {
        let rijen: Vec<IncidentRij> = incidenten::table
            .filter(incidenten::id.eq_any(deel))
            .order(incidenten::tijdstip.desc())
            .select((
                incidenten::id,
                incidenten::eigenaar,
                incidenten::gezin_id,
                incidenten::tijdstip,
                incidenten::gemeente,
                incidenten::soort,
                incidenten::politie_referentie,
                incidenten::inhoud,
                incidenten::wederhoor,
                incidenten::wederhoor_op,
                incidenten::vertrouwelijkheid,
            ))
            .load(conn)?;
        let betr: Vec<(String, String, String)> = incident_betrokkenen::table
            .filter(incident_betrokkenen::incident_id.eq_any(deel))
            .select((
                incident_betrokkenen::incident_id,
                incident_betrokkenen::persoon_id,
                incident_betrokkenen::rol,
            ))
            .load(conn)?;
        type VRij = (
            String,
            String,
            Option<String>,
            String,
            String,
            chrono::NaiveDateTime,
            String,
        );
        let verk: Vec<VRij> = verklaringen::table
            .filter(verklaringen::incident_id.eq_any(deel))
            .order(verklaringen::afgelegd_op.asc())
            .select((
                verklaringen::id,
                verklaringen::incident_id,
                verklaringen::persoon_id,
                verklaringen::afgelegd_door,
                verklaringen::tekst,
                verklaringen::afgelegd_op,
                verklaringen::vastgelegd_door,
            ))
            .load(conn)?;
        for r in rijen {
            let inhoud: Inhoud = v
                .ontsleutel(&r.7)
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .ok_or_else(|| {
                    diesel::result::Error::DeserializationError(
                        format!("incident {} kan niet worden ontsleuteld", r.0).into(),
                    )
                })?;
            uit.push(Incident {
                betrokkenen: betr
                    .iter()
                    .filter(|b| b.0 == r.0)
                    .map(|b| (id(&b.1), b.2.clone()))
                    .collect(),
                verklaringen: verk
                    .iter()
                    .filter(|s| s.1 == r.0)
                    .map(|s| Verklaring {
                        id: id(&s.0),
                        afgelegd_door: s.3.parse().unwrap_or(Verklaarder::Overig),
                        persoon: s.2.as_deref().map(id),
                        tekst: v.ontsleutel(&s.4).unwrap_or_default(),
                        afgelegd_op: from_db(s.5),
                        vastgelegd_door: s.6.clone(),
                    })
                    .collect(),
                id: id(&r.0),
                eigenaar: r.1,
                gezin: r.2.as_deref().map(id),
                tijdstip: from_db(r.3),
                gemeente: r.4,
                plaats: inhoud.plaats,
                soort: r.5.parse().unwrap_or(Incidentsoort::Overig),
                politie_referentie: r.6,
                samenvatting: inhoud.samenvatting,
                wederhoor: r.8.parse().unwrap_or(Wederhoor::Nee),
                wederhoor_op: r.9.map(from_db),
                vertrouwelijkheid: r.10.parse().unwrap_or(Vertrouwelijkheid::STANDAARD),
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
        type Rij = (
            String,
            String,
            chrono::NaiveDateTime,
            String,
            String,
            String,
        );
        let rijen: Vec<Rij> = incidenten::table
            .filter(incidenten::id.eq_any(deel))
            .select((
                incidenten::id,
                incidenten::eigenaar,
                incidenten::tijdstip,
                incidenten::soort,
                incidenten::wederhoor,
                incidenten::vertrouwelijkheid,
            ))
            .load(conn)?;
        let verk: Vec<(String, String)> = verklaringen::table
            .filter(verklaringen::incident_id.eq_any(deel))
            .select((verklaringen::incident_id, verklaringen::afgelegd_door))
            .load(conn)?;
        uit.extend(rijen.into_iter().map(|r| {
            IncidentKort {
                verklaarders: verk
                    .iter()
                    .filter(|s| s.0 == r.0)
                    .filter_map(|s| s.1.parse().ok())
                    .collect(),
                id: id(&r.0),
                eigenaar: r.1,
                tijdstip: from_db(r.2),
                soort: r.3.parse().unwrap_or(Incidentsoort::Overig),
                wederhoor: r.4.parse().unwrap_or(Wederhoor::Nee),
                vertrouwelijkheid: r.5.parse().unwrap_or(Vertrouwelijkheid::STANDAARD),
            }
        }));
    }
    uit.sort_by_key(|i| std::cmp::Reverse(i.tijdstip));
    Ok(uit)
}
