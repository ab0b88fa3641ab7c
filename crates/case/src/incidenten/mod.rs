//! Incidenten: a police mutation summary (time, place, kind, the persons involved and
//! their role, the police reference) with verklaringen: each statement attributed to who
//! made it, the child's own voice as its own statement. `HOOR_EN_WEDERHOOR` (DOMAIN.md §1
//! point 4): every incident carries whether the other parent was heard (yes, no, not
//! reachable, declined) and when; an incident where only one parent has a statement and
//! the other was not heard is flagged one-sided wherever it is shown; parents are counted
//! per person, not per role (`OUDERS_GETELD_PER_PERSOON`: two mothers, BW 1:198). Only police
//! organisations record incidents (`INCIDENT_DOOR_POLITIE`).
//!
//! Use cases: `maak` (`POST /incidenten`), `lees` (`GET /incidenten/{id}`),
//! `verklaring_toevoegen` (`POST /incidenten/{id}/verklaringen`) and
//! `wederhoor_vastleggen` (`PUT /incidenten/{id}/wederhoor`).

//!
//! This module holds the kinds, the input and its validation and the rules on an
//! incident itself; `handelingen` the use cases, `opslag` the rows and queries.

mod handelingen;
mod opslag;

pub use handelingen::{
    INCIDENT, IncidentBetrokkeneWeergave, IncidentWeergave, VerklaringWeergave, lees, maak, object,
    verklaring_toevoegen, verklaringen, wederhoor_vastleggen,
};
pub use opslag::{kort_van, lees_veel, vind, voeg_in};

use crate::invoer;
use chrono::{DateTime, Utc};
use diesel::sql_types::Text;
use ketenregie_common::{Fout, Validatie, Vertrouwelijkheid, ids, regelcode};
use ketenregie_store::tekst_kolom;
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// The descriptions of the incident operations in the API document: the rules as a
/// caller meets them.
pub mod uitleg {
    pub const MAAK: &str = "A police mutation summary: time, place, kind, the persons involved and their role, the police reference, and the statements of each side (the child's own voice as its own statement). `wederhoor` records whether the other parent was heard (rule HOOR_EN_WEDERHOOR); without it the incident is `nee` and shown as one-sided (`eenzijdig`) where only one parent made a statement. Parents are counted per person (rule OUDERS_GETELD_PER_PERSOON): a child may have two mothers or two fathers (BW 1:198), so name each parent's `persoon`; two `moeder` (or `vader`) statements count as both parents only when they name different persons, unnamed ones of one role as one parent. A statement's `afgelegdOp` or the hearing's `op` before `tijdstip` is a 422 `niet-voor-het-incident` naming that field (rule NIET_VOOR_HET_INCIDENT).";
    pub const VERKLARING: &str = "Adds a statement to an incident of your organisation, attributed to who made it (moeder, vader, kind, getuige, agent) and, best, the `persoon` (parents heard are counted per person, rule OUDERS_GETELD_PER_PERSOON). Hearing the other parent later is exactly this, followed by `PUT /incidenten/{id}/wederhoor`. An `afgelegdOp` before the incident's `tijdstip` is a 422 `niet-voor-het-incident` naming `/afgelegdOp` (rule NIET_VOOR_HET_INCIDENT); a statement without it is dated now, or at the incident's `tijdstip` when that is later (within the allowed clock skew).";
    pub const WEDERHOOR: &str = "Whether the other parent was heard: `ja`, `nee`, `niet-bereikbaar` or `geweigerd`, and when (required unless `nee`, else a 422 `verplicht-bij` naming `/op`). Rule HOOR_EN_WEDERHOOR. An `op` before the incident's `tijdstip` is a 422 `niet-voor-het-incident` naming `/op` (rule NIET_VOOR_HET_INCIDENT).";
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
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub persoon: Option<Uuid>,
    /// Role in the incident, e.g. melder, moeder, vader, kind, verdachte, slachtoffer.
    #[schema(required = true, value_type = String, example = "moeder", max_length = 40)]
    pub rol: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerklaringInvoer {
    #[schema(required = true, value_type = Verklaarder)]
    pub afgelegd_door: Option<String>,
    /// The person who made it, when registered (a person of your organisation). Name it for each parent's statement: parents heard are counted per person (rule OUDERS_GETELD_PER_PERSOON), so two `moeder` statements count as two parents (BW 1:198) only when each names a different person.
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub persoon: Option<Uuid>,
    #[schema(required = true, value_type = String, max_length = 20000)]
    pub tekst: Option<String>,
    /// When the statement was made: RFC 3339 date-time, from 1900-01-01 up to now (5 minutes of clock skew allowed); a later time is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub afgelegd_op: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WederhoorInvoer {
    #[schema(required = true, value_type = Wederhoor)]
    pub status: Option<String>,
    /// When the other parent was heard or tried; required unless `nee`. RFC 3339 date-time, from 1900-01-01 up to now (5 minutes of clock skew allowed); a later time is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub op: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentInvoer {
    /// The family dossier of your organisation it belongs to, if any.
    #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
    pub gezin: Option<Uuid>,
    /// When it happened: RFC 3339 date-time, from 1900-01-01 up to now (5 minutes of clock skew allowed); a later time is a 422 `toekomst`, an earlier one a 422 `bereik`, naming this field.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub tijdstip: Option<String>,
    /// CBS code of the municipality where it happened.
    #[schema(example = "0518")]
    pub gemeente: Option<String>,
    /// The place (encrypted at rest).
    #[schema(max_length = 200)]
    pub plaats: Option<String>,
    #[schema(required = true, value_type = Incidentsoort)]
    pub soort: Option<String>,
    /// The police mutation number.
    #[schema(required = true, value_type = String, example = "PL1500-2026123456", max_length = 64)]
    pub politie_referentie: Option<String>,
    /// What happened, in short (encrypted at rest).
    #[schema(required = true, value_type = String, max_length = 20000)]
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

#[derive(Debug, Clone, Serialize)]
pub struct Verklaring {
    pub id: Uuid,
    pub afgelegd_door: Verklaarder,
    pub persoon: Option<Uuid>,
    pub tekst: String,
    pub afgelegd_op: DateTime<Utc>,
    /// Whether `afgelegd_op` was stated (else it is the moment it was recorded, or the
    /// incident's moment when that lies ahead within the clock skew): only a stated
    /// moment is judged by `NIET_VOOR_HET_INCIDENT`; an unstated one is never before it.
    #[serde(skip)]
    pub afgelegd_op_gegeven: bool,
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
    /// Raised by every change (a statement added, hoor en wederhoor recorded): the strong
    /// ETag that `If-Match` names (RFC 9110 §13.1.1). A new incident is version 1.
    pub versie: i64,
}

/// Rule `NIET_VOOR_HET_INCIDENT`: what is recorded about an incident happened on or
/// after it: a statement about it (`afgelegdOp`) and the hearing of the other parent
/// (`wederhoor.op`, `HOOR_EN_WEDERHOOR`) are not dated before the incident's own moment
/// (`tijdstip`). One dated before it is a 422 with this code naming the field, when the
/// incident is recorded with it and when it is added later (`POST
/// /incidenten/{id}/verklaringen`, `PUT /incidenten/{id}/wederhoor`).
pub const NIET_VOOR_HET_INCIDENT: &str = "niet-voor-het-incident";

/// `NIET_VOOR_HET_INCIDENT` for moment `op` of field `naam`, against the incident's
/// `tijdstip` (either unknown: nothing to compare).
pub fn niet_voor_het_incident(
    v: &mut Validatie,
    naam: &str,
    op: Option<DateTime<Utc>>,
    tijdstip: Option<DateTime<Utc>>,
) {
    if let (Some(op), Some(t)) = (op, tijdstip)
        && op < t
    {
        v.fout(
            naam,
            NIET_VOOR_HET_INCIDENT,
            format!("`{naam}` ligt vóór het tijdstip van het incident; wat over een incident wordt vastgelegd, gebeurde op of na dat moment (regel NIET_VOOR_HET_INCIDENT)"),
        );
    }
}

/// Who made a statement, as far as `HOOR_EN_WEDERHOOR` counts: the role and, when
/// named, the person (`persoon`, a person record of the incident's organisation).
pub type Spreker = (Verklaarder, Option<Uuid>);

/// Rule `OUDERS_GETELD_PER_PERSOON` (part of `HOOR_EN_WEDERHOOR`, DOMAIN.md §1 point 4):
/// the parents heard on an incident are counted as distinct persons, not as the roles
/// `moeder` and `vader`: a child may have two legal mothers (BW 1:198 lid 1 sub b, since
/// 2014) or two fathers (adoption, BW 1:227), so two `moeder` statements may be both
/// parents. A statement by a parent (`afgelegdDoor` `moeder` or `vader`) that names its
/// `persoon` counts as that person; one that names none counts only when no statement in
/// the same role names a person (it may be that same person heard twice), and all such
/// statements of one role count once (one mother heard twice cannot be told from two
/// mothers). So two `moeder` statements count as two parents only when each names a
/// different `persoon`. Errs towards "one-sided": the flag asks to hear the other side,
/// a missing flag would hide that nobody did.
pub const OUDERS_GETELD_PER_PERSOON: &str = "ouders-geteld-per-persoon";

/// The number of distinct parents with a statement (`OUDERS_GETELD_PER_PERSOON`).
pub fn gehoorde_ouders(sprekers: impl Iterator<Item = Spreker>) -> usize {
    let mut personen: Vec<Uuid> = Vec::new();
    let mut rollen_met_persoon: Vec<Verklaarder> = Vec::new();
    let mut rollen_zonder: Vec<Verklaarder> = Vec::new();
    for (rol, persoon) in sprekers {
        if !matches!(rol, Verklaarder::Moeder | Verklaarder::Vader) {
            continue;
        }
        match persoon {
            Some(p) => {
                if !personen.contains(&p) {
                    personen.push(p);
                }
                if !rollen_met_persoon.contains(&rol) {
                    rollen_met_persoon.push(rol);
                }
            }
            None if !rollen_zonder.contains(&rol) => rollen_zonder.push(rol),
            None => {}
        }
    }
    personen.len()
        + rollen_zonder
            .iter()
            .filter(|r| !rollen_met_persoon.contains(r))
            .count()
}

/// `HOOR_EN_WEDERHOOR`: exactly one parent made a statement (counted per person,
/// `OUDERS_GETELD_PER_PERSOON`), and the other was not heard.
fn eenzijdig(sprekers: impl Iterator<Item = Spreker>, wederhoor: Wederhoor) -> bool {
    gehoorde_ouders(sprekers) == 1 && wederhoor != Wederhoor::Ja
}

impl Incident {
    /// `HOOR_EN_WEDERHOOR`: one parent has a statement, no other parent has one, and the
    /// other was not heard.
    pub fn eenzijdig(&self) -> bool {
        eenzijdig(
            self.verklaringen
                .iter()
                .map(|v| (v.afgelegd_door, v.persoon)),
            self.wederhoor,
        )
    }
}

impl VerklaringInvoer {
    /// The statement, its problems named in `v`; `na`: the incident's moment, when known
    /// (`NIET_VOOR_HET_INCIDENT`).
    pub fn valideer(
        &self,
        v: &mut Validatie,
        pad: &str,
        nu: DateTime<Utc>,
        na: Option<DateTime<Utc>>,
    ) -> Option<Verklaring> {
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
        let mut s = Verklaring {
            id: ids::new_id(),
            afgelegd_door: door?,
            persoon: self.persoon,
            tekst: tekst?,
            afgelegd_op: op.unwrap_or(nu),
            afgelegd_op_gegeven: op.is_some(),
            vastgelegd_door: String::new(),
        };
        if let Some(t) = na {
            s.na_het_incident(v, &p("afgelegdOp"), t);
        }
        Some(s)
    }
}

impl Verklaring {
    /// `NIET_VOOR_HET_INCIDENT` against the incident's moment `tijdstip`: a stated
    /// `afgelegdOp` before it is named in `v` at `naam`; an unstated one (recorded now)
    /// is moved up to it, as the incident's moment may lie up to the allowed clock skew
    /// ahead of now. For a statement recorded with its incident and one added later.
    pub fn na_het_incident(&mut self, v: &mut Validatie, naam: &str, tijdstip: DateTime<Utc>) {
        if self.afgelegd_op_gegeven {
            niet_voor_het_incident(v, naam, Some(self.afgelegd_op), Some(tijdstip));
        } else {
            self.afgelegd_op = self.afgelegd_op.max(tijdstip);
        }
    }
}

impl VerklaringInvoer {
    /// `POST /incidenten/{id}/verklaringen`: the statement, or every problem named.
    pub fn nieuw(&self, nu: DateTime<Utc>) -> Result<Verklaring, Fout> {
        let mut v = Validatie::new();
        let s = self.valideer(&mut v, "", nu, None);
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
        let w = self.valideer(&mut v, "", nu, None);
        v.afronden(|| {
            w.map(|(status, op)| Wederhoorvastlegging { status, op })
                .ok_or_else(|| Fout::intern("wederhoor zonder fouten maar leeg"))
        })
        .map_err(Fout::Ongeldig)?
    }

    /// The hearing, its problems named in `v`; `na`: the incident's moment, when known
    /// (`NIET_VOOR_HET_INCIDENT`).
    pub fn valideer(
        &self,
        v: &mut Validatie,
        pad: &str,
        nu: DateTime<Utc>,
        na: Option<DateTime<Utc>>,
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
        niet_voor_het_incident(v, &p("op"), op, na);
        if status.is_some_and(|s| s != Wederhoor::Nee) && self.op.is_none() {
            v.fout(
                p("op"),
                regelcode::VERPLICHT_BIJ,
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
        let plaats = v.optionele_tekstregel("plaats", self.plaats.as_deref(), 200);
        let soort = v.keuze("soort", self.soort.as_deref());
        let referentie = v.tekstregel("politieReferentie", self.politie_referentie.as_deref(), 64);
        let samenvatting = v.tekst("samenvatting", self.samenvatting.as_deref(), 20_000);
        let mut betrokkenen = Vec::new();
        for (i, b) in self.betrokkenen.iter().enumerate() {
            let p = v.verplicht(&format!("betrokkenen[{i}].persoon"), b.persoon);
            let r = v.tekstregel(&format!("betrokkenen[{i}].rol"), b.rol.as_deref(), 40);
            if let (Some(p), Some(r)) = (p, r) {
                if betrokkenen.iter().any(|(q, _)| *q == p) {
                    v.fout(
                        format!("betrokkenen[{i}].persoon"),
                        regelcode::DUBBEL,
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
            .filter_map(|(i, s)| s.valideer(&mut v, &format!("verklaringen[{i}]"), nu, tijdstip))
            .collect();
        let (wederhoor, wederhoor_op) = match &self.wederhoor {
            None => (Some(Wederhoor::Nee), None),
            Some(w) => match w.valideer(&mut v, "wederhoor", nu, tijdstip) {
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
            versie: 1,
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
/// A short view of an incident for the briefing, without decrypting it: when, what kind,
/// who owns it, the hearing status and who made statements (role and person, for
/// `OUDERS_GETELD_PER_PERSOON`).
#[derive(Debug, Clone)]
pub struct IncidentKort {
    pub id: Uuid,
    pub eigenaar: String,
    pub tijdstip: DateTime<Utc>,
    pub soort: Incidentsoort,
    pub wederhoor: Wederhoor,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub verklaarders: Vec<Spreker>,
}

impl IncidentKort {
    pub fn eenzijdig(&self) -> bool {
        eenzijdig(self.verklaarders.iter().copied(), self.wederhoor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verklaarder::{Agent, Kind, Moeder, Vader};

    #[test]
    fn ouders_geteld_per_persoon() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let n = |s: &[Spreker]| gehoorde_ouders(s.iter().copied());
        assert_eq!(n(&[]), 0);
        assert_eq!(n(&[(Kind, None), (Agent, None)]), 0);
        assert_eq!(n(&[(Moeder, None)]), 1);
        assert_eq!(n(&[(Moeder, None), (Vader, None)]), 2);
        // One mother heard twice cannot be told from two mothers: one.
        assert_eq!(n(&[(Moeder, None), (Moeder, None)]), 1);
        // Two mothers, each named (BW 1:198): two.
        assert_eq!(n(&[(Moeder, Some(a)), (Moeder, Some(b))]), 2);
        assert_eq!(n(&[(Moeder, Some(a)), (Moeder, Some(a))]), 1);
        // An unnamed one may be the named one again.
        assert_eq!(n(&[(Moeder, Some(a)), (Moeder, None)]), 1);
        assert_eq!(n(&[(Moeder, Some(a)), (Vader, None)]), 2);
        assert_eq!(n(&[(Vader, Some(a)), (Vader, Some(b)), (Vader, None)]), 2);
        assert!(eenzijdig(
            [(Moeder, None), (Moeder, None)].into_iter(),
            Wederhoor::Nee
        ));
        assert!(!eenzijdig(
            [(Moeder, Some(a)), (Moeder, Some(b))].into_iter(),
            Wederhoor::Nee
        ));
        assert!(!eenzijdig([(Moeder, None)].into_iter(), Wederhoor::Ja));
    }
}
