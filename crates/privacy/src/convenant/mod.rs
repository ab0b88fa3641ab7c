//! Agreements (convenanten) as data (DESIGN.md §6): parties, purposes, data categories,
//! rules, legal bases, period, feedback duties, retention and break-glass roles.
//!
//! An agreement is a multi-party act (issue 11). Rules, each findable by name:
//! - `ONDERTEKENAARS`: each party names the roles that act for it (default its functional
//!   admin and privacy officer); only they create, edit, sign, leave or ask to withdraw,
//!   and only for their own organisation. The creator's organisation is a party, and
//!   every party is registered in the partner directory.
//! - `INHOUDHASH`: a version's content (title, period, parties, rules...) has a hash,
//!   `sha256:<hex>` over a canonical serialisation (`inhoud_hash`). A signature names the
//!   hash the signatory reviewed; a change to a concept changes the hash and voids every
//!   signature on it.
//! - `ALLE_HANDTEKENINGEN`: a version becomes `actief` only when every party has signed
//!   its current hash; activation time is the last signature. A new version (a new
//!   concept in the same series) needs every signature again, must keep every remaining
//!   party of the active version it replaces (a party leaves only by its own act), and
//!   the active version stays in force until the new one is signed by all; it is then
//!   withdrawn as "vervangen door versie N". A party is thus only ever added by its own
//!   signature.
//! - `UITTREDEN`: a party leaves an active version by its own act; from the next request
//!   no rule of that version lets data flow to or from it (`Convenant::is_partij`); the
//!   other parties keep theirs. With fewer than two parties left the version is withdrawn.
//!   Leaving ends the organisation's part in the whole series (`uitgetreden_in_reeks`):
//!   it no longer changes, signs, discards, asks to withdraw, leaves or makes a new
//!   version of any version of it (`ConvenantFout::Uitgetreden`, 403 naming `UITTREDEN`;
//!   otherwise a party that left could void the others' signatures, discard their concept,
//!   or sign itself back in through a concept made before it left). No later content of
//!   the series names it (a new version or a changed concept: 422 `uitgetreden` naming
//!   `partijen[i].organisatie`), so a leaver is never carried into a new version by a copy
//!   of the old party list; a concept that still names it is signed by nobody (409) until
//!   it is changed without it, and its own signatures on open concepts lapse when it
//!   leaves. To take part again it is invited to a new agreement (`POST /convenanten`),
//!   which it signs as any party: the parties' choice is then explicit, never a copy.
//! - `INTREKKEN`: the whole version is withdrawn at once by the platform admin; a party
//!   can only ask, and the withdrawal takes effect when every remaining party has asked.
//!   A concept grants nothing: any party's signatory may discard it at once.
//!
//! Lifecycle: `concept` -> `actief` -> `ingetrokken`; an active agreement whose period has
//! ended reads as `verlopen`. Every decision cites agreement id and version.
//!
//! Every mutating function locks the agreement's series first (PostgreSQL: `FOR UPDATE`;
//! SQLite has one writer), so two last signatures or two withdrawal requests arriving
//! together cannot both miss that they completed the set.
//!
//! The use cases the API calls — each act for the request's context, with its audit
//! rows, and who may read an agreement — are in `handelingen`.

pub mod handelingen;

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::werkdagen::Kalendernaam;
use ketenregie_common::{
    Actie, Actor, Doel, Fout, Gegevenscategorie, IfMatch, InvalidParam, OrganisatieSoort, Rol,
    Validatie, Vertrouwelijkheid, ids, regelcode,
};
use ketenregie_store::schema::{
    convenant_intrekkingsverzoeken, convenant_ondertekeningen, convenant_partijen,
    convenant_uittredingen, convenanten,
};
use ketenregie_store::venster::{Pagina, Venster};
use ketenregie_store::{DbConnection, directory};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use strum::{AsRefStr, Display, EnumString, VariantArray, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// The roles that may sign for a party when the agreement names none: its functional admin
/// and its privacy officer (`ONDERTEKENAARS`).
pub const STANDAARD_ONDERTEKENAARS: [Rol; 2] =
    [Rol::FunctioneelBeheerder, Rol::Privacyfunctionaris];

fn standaard_ondertekenaars() -> Vec<Rol> {
    STANDAARD_ONDERTEKENAARS.to_vec()
}

/// A party to the agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Partij {
    /// The organisation's code in the partner directory (it must be registered there).
    pub organisatie: String,
    /// Its role in the agreement, e.g. "verstrekker", "ontvanger", "voor-gezien" (OM).
    pub rol: String,
    /// `ONDERTEKENAARS`: the roles of this organisation that act for it on this agreement:
    /// sign a version, leave it, ask to withdraw it, edit or discard a concept. Part of the
    /// signed content. Default: `functioneel-beheerder` and `privacyfunctionaris`; only
    /// those two roles may be named.
    #[serde(default = "standaard_ondertekenaars")]
    #[schema(default = json!(["functioneel-beheerder", "privacyfunctionaris"]), min_items = 1)]
    pub ondertekenaars: Vec<Rol>,
}

/// The longest legal basis citation (`Grondslag::code`), in characters. The hostile review
/// of h18 wrote a 200,000-character "code" into an agreement: every processing-log row
/// under it then carried 200 KB (one read of a melding with 2,000 children wrote 110 MB of
/// log). A citation such as "Wet maatschappelijke ondersteuning 2015 art. 5.2.6 lid 1" is
/// under 100.
pub const GRONDSLAG_CODE_MAX: usize = 200;

/// The rule's name: the OM never gets a standing grant. DOMAIN.md §4 "Parties and legal
/// regimes": the OM signs covenants "voor gezien" and tests case by case; OM access is
/// per request with a stated reason, never a blanket grant. Both ends hold it: an
/// agreement's content (`Inhoud::valideer`) refuses a rule for `organisatieSoort: om`
/// without `redenVerplicht: true` (422 at `/regels/N/redenVerplicht`), and the decision
/// (`besluit`, through [`Regel::vraagt_reden`]) asks a reason of every access by an OM
/// actor to another organisation's data whatever the rule says, so an agreement stored
/// before this rule existed grants no standing access either. Break-glass always needs a
/// reason (`DOORBRAAK`).
pub const OM_PER_VERZOEK_MET_REDEN: &str = "OM_PER_VERZOEK_MET_REDEN";

/// The legal basis of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Grondslag {
    /// E.g. "Wpg art. 18" or "Wmo 2015 art. 5.2.6": a citation, at most
    /// [`GRONDSLAG_CODE_MAX`] characters. It is copied into every processing-log row the
    /// rule allows (Logboek dataverwerkingen), so its length multiplies with the log.
    // `max_length` is written out: utoipa's attribute takes no constant (juhaku/utoipa
    // issue 1322); the test `convenanten::grondslag_is_een_korte_verwijzing` ties the two.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub code: String,
    pub omschrijving: String,
}

/// Who may do what with which data, for which purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Regel {
    /// The kind of organisation the rule is for.
    pub organisatie_soort: OrganisatieSoort,
    /// Roles within such an organisation the rule is for.
    #[schema(min_items = 1)]
    pub rollen: Vec<Rol>,
    #[schema(min_items = 1)]
    pub acties: Vec<Actie>,
    #[schema(min_items = 1)]
    pub categorieen: Vec<Gegevenscategorie>,
    pub doel: Doel,
    /// Each access needs a stated reason (`X-Audit-Toelichting`). Must be true for a rule
    /// for the OM (rule OM_PER_VERZOEK_MET_REDEN, DOMAIN.md §4: per request with a stated
    /// reason, never a blanket grant), which needs a reason for every access in any case.
    #[serde(default)]
    pub reden_verplicht: bool,
    /// The highest confidentiality level this rule reaches.
    pub max_vertrouwelijkheid: Vertrouwelijkheid,
    pub grondslag: Grondslag,
    /// `EIGENAAR_INFORMEREN`: every read of an owner's record under this rule is told to
    /// that owner, when it subscribed to it (`privacy.gegevens-verstrekt`: record id,
    /// reader, purpose, time; no personal data), as NHS CP-IS tells the owner of every
    /// access to its child-protection flag. Left out of the serialisation when false, so
    /// the content hash of an agreement without it is unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub eigenaar_informeren: bool,
}

impl Regel {
    /// Does an access under this rule need a stated reason? When the rule says so, and
    /// always for the OM (`OM_PER_VERZOEK_MET_REDEN`), whatever an agreement stored
    /// before that rule says. Every decision asks this, never the field.
    pub fn vraagt_reden(&self) -> bool {
        self.reden_verplicht || self.organisatie_soort == OrganisatieSoort::Om
    }
}

/// The moments at which feedback is owed to the sender of a melding or hand-over.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Terugkoppelmoment {
    Ontvangstbevestiging,
    NaBeoordeling,
    Tussentijds,
    NaOnderzoek,
    Eindresultaat,
}

/// A feedback duty: which moment, within how many working days (and, for acute meldingen,
/// within how many hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Terugkoppelplicht {
    pub moment: Terugkoppelmoment,
    #[serde(deserialize_with = "ketenregie_common::geheel::lees")]
    pub binnen_werkdagen: u32,
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub acuut_binnen_uren: Option<u32>,
}

/// How long data of one category is kept under this agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Bewaartermijn {
    pub categorie: Gegevenscategorie,
    #[serde(deserialize_with = "ketenregie_common::geheel::lees")]
    pub termijn_dagen: u32,
}

/// A role that may break the glass (read outside the rules in an emergency, with a
/// mandatory reason, flagged and reviewed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Doorbraakrol {
    pub organisatie_soort: OrganisatieSoort,
    pub rol: Rol,
}

/// The content of one version of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = ConvenantInhoud)]
pub struct Inhoud {
    pub partijen: Vec<Partij>,
    pub doelen: Vec<Doel>,
    pub categorieen: Vec<Gegevenscategorie>,
    pub regels: Vec<Regel>,
    #[serde(default)]
    pub terugkoppelplichten: Vec<Terugkoppelplicht>,
    #[serde(default)]
    pub bewaartermijnen: Vec<Bewaartermijn>,
    #[serde(default)]
    pub doorbraakrollen: Vec<Doorbraakrol>,
    /// The national calendar the feedback terms (`terugkoppelplichten`, and the default
    /// terms when it names none) are counted in, in the receiver's working days; the
    /// Algemene termijnenwet when absent. Left out of the serialisation when it is that
    /// default, so the content hash of content without it is unchanged.
    #[serde(default, skip_serializing_if = "Kalendernaam::is_standaard")]
    pub kalender: Kalendernaam,
}

/// `regelcode::DUBBEL` over a list: each element whose key an earlier element already has
/// is named at its own index (`pad[j]`), with `uitleg`. A list in an agreement is a set
/// (a role twice grants nothing more) or keyed (two retention terms for one category, or
/// two terms for one feedback moment, contradict each other): a repeat is a mistake in
/// the text the parties sign, so it is refused rather than silently merged.
fn eenmaal<T, K: PartialEq>(
    v: &mut Validatie,
    pad: &str,
    lijst: &[T],
    sleutel: impl Fn(&T) -> K,
    uitleg: &str,
) {
    let sleutels: Vec<K> = lijst.iter().map(sleutel).collect();
    for (j, k) in sleutels.iter().enumerate() {
        if sleutels[..j].contains(k) {
            v.fout(format!("{pad}[{j}]"), regelcode::DUBBEL, uitleg.to_string());
        }
    }
}

impl Inhoud {
    /// Check internal consistency: every rule's purpose and categories are among the
    /// agreement's, parties are unique, at least two parties, and no list names an element
    /// twice (`eenmaal`).
    pub fn valideer(&self, v: &mut Validatie) {
        eenmaal(
            v,
            "doelen",
            &self.doelen,
            |d| *d,
            "elk doel staat één keer in `doelen`",
        );
        eenmaal(
            v,
            "categorieen",
            &self.categorieen,
            |c| *c,
            "elke categorie staat één keer in `categorieen`",
        );
        eenmaal(
            v,
            "terugkoppelplichten",
            &self.terugkoppelplichten,
            |t| t.moment,
            "elk terugkoppelmoment heeft één termijn",
        );
        eenmaal(
            v,
            "bewaartermijnen",
            &self.bewaartermijnen,
            |b| b.categorie,
            "elke categorie heeft één bewaartermijn",
        );
        eenmaal(
            v,
            "doorbraakrollen",
            &self.doorbraakrollen,
            |d| (d.organisatie_soort, d.rol),
            "elke doorbraakrol staat één keer in `doorbraakrollen`",
        );
        for (i, p) in self.partijen.iter().enumerate() {
            eenmaal(
                v,
                &format!("partijen[{i}].ondertekenaars"),
                &p.ondertekenaars,
                |r| *r,
                "elke rol staat één keer bij de ondertekenaars",
            );
        }
        for (i, r) in self.regels.iter().enumerate() {
            eenmaal(
                v,
                &format!("regels[{i}].rollen"),
                &r.rollen,
                |x| *x,
                "elke rol staat één keer in een regel",
            );
            eenmaal(
                v,
                &format!("regels[{i}].acties"),
                &r.acties,
                |x| *x,
                "elke actie staat één keer in een regel",
            );
            eenmaal(
                v,
                &format!("regels[{i}].categorieen"),
                &r.categorieen,
                |x| *x,
                "elke categorie staat één keer in een regel",
            );
        }
        if self.partijen.len() < 2 {
            v.fout(
                "partijen",
                "minItems",
                "een convenant heeft ten minste twee partijen",
            );
        }
        let mut codes: Vec<&str> = self
            .partijen
            .iter()
            .map(|p| p.organisatie.as_str())
            .collect();
        codes.sort();
        codes.dedup();
        if codes.len() != self.partijen.len() {
            v.fout(
                "partijen",
                regelcode::DUBBEL,
                "elke organisatie is één keer partij",
            );
        }
        for (i, p) in self.partijen.iter().enumerate() {
            if p.ondertekenaars.is_empty() {
                v.fout(
                    format!("partijen[{i}].ondertekenaars"),
                    "minItems",
                    "noem ten minste één rol die voor deze partij ondertekent",
                );
            }
            for r in &p.ondertekenaars {
                if !STANDAARD_ONDERTEKENAARS.contains(r) {
                    v.fout(
                        format!("partijen[{i}].ondertekenaars"),
                        "enum",
                        format!(
                            "`partijen[{i}].ondertekenaars` noemt een rol die geen convenant ondertekent; kies uit `functioneel-beheerder` en `privacyfunctionaris`"
                        ),
                    );
                }
            }
        }
        if self.doelen.is_empty() {
            v.fout("doelen", "minItems", "noem ten minste één doel");
        }
        if self.regels.is_empty() {
            v.fout("regels", "minItems", "noem ten minste één regel");
        }
        for (i, r) in self.regels.iter().enumerate() {
            if r.organisatie_soort == OrganisatieSoort::Om && !r.reden_verplicht {
                v.fout(
                    format!("regels[{i}].redenVerplicht"),
                    regelcode::VERPLICHT_BIJ,
                    format!(
                        "een regel voor het OM vraagt per raadpleging een reden: zet `regels[{i}].redenVerplicht` op true (regel {OM_PER_VERZOEK_MET_REDEN}, DOMAIN.md §4: per verzoek met een reden, nooit een algemene toegang)"
                    ),
                );
            }
            if !self.doelen.contains(&r.doel) {
                v.fout(
                    format!("regels[{i}].doel"),
                    "convenantdoel",
                    format!("`regels[{i}].doel` staat niet in de `doelen` van het convenant"),
                );
            }
            for c in &r.categorieen {
                if !self.categorieen.contains(c) {
                    v.fout(
                        format!("regels[{i}].categorieen"),
                        "convenantcategorie",
                        format!(
                            "`regels[{i}].categorieen` noemt een categorie die niet in de `categorieen` van het convenant staat"
                        ),
                    );
                }
            }
            for (veld, leeg) in [
                ("rollen", r.rollen.is_empty()),
                ("acties", r.acties.is_empty()),
                ("categorieen", r.categorieen.is_empty()),
            ] {
                if leeg {
                    v.fout(
                        format!("regels[{i}].{veld}"),
                        "minItems",
                        "een regel noemt ten minste één rol, actie en categorie",
                    );
                }
            }
            if r.grondslag.code.trim().is_empty() {
                v.fout(
                    format!("regels[{i}].grondslag.code"),
                    "minLength",
                    "elke regel noemt zijn wettelijke grondslag",
                );
            }
            if r.grondslag.code.chars().count() > GRONDSLAG_CODE_MAX {
                v.fout(
                    format!("regels[{i}].grondslag.code"),
                    "maxLength",
                    format!(
                        "de grondslag is een verwijzing naar een wetsartikel van ten hoogste {GRONDSLAG_CODE_MAX} tekens; de toelichting hoort in `omschrijving`"
                    ),
                );
            }
        }
        for (i, t) in self.terugkoppelplichten.iter().enumerate() {
            if t.binnen_werkdagen == 0 && t.acuut_binnen_uren.is_none() {
                v.fout(
                    format!("terugkoppelplichten[{i}].binnenWerkdagen"),
                    regelcode::EEN_VAN,
                    "een termijn van 0 werkdagen is geen termijn; geef ten minste 1 werkdag of `acuutBinnenUren`",
                );
            }
        }
    }

    /// Does the content name `organisatie` as a party? Content only: a party that left an
    /// active version is still named. Decisions ask `Convenant::is_partij`.
    pub fn noemt_partij(&self, organisatie: &str) -> bool {
        self.partij(organisatie).is_some()
    }

    /// The party entry of `organisatie`.
    pub fn partij(&self, organisatie: &str) -> Option<&Partij> {
        self.partijen.iter().find(|p| p.organisatie == organisatie)
    }

    /// `ONDERTEKENAARS`: the role in which `actor` acts for its organisation on this
    /// content, if its organisation is a party and it holds one of that party's signatory
    /// roles.
    pub fn ondertekenrol(&self, actor: &Actor) -> Option<Rol> {
        self.partij(&actor.organisatie)?
            .ondertekenaars
            .iter()
            .copied()
            .find(|r| actor.heeft_rol(*r))
    }
}

/// Stored status. `verlopen` is not stored: it is an active agreement past its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, AsRefStr, Display)]
#[strum(serialize_all = "kebab-case")]
pub enum OpgeslagenStatus {
    Concept,
    Actief,
    Ingetrokken,
}

/// The status as shown and as the decision treats it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsRefStr, Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ConvenantStatus {
    Concept,
    Actief,
    Ingetrokken,
    Verlopen,
}

/// A party's leaving of an active version (`UITTREDEN`).
#[derive(Debug, Clone, PartialEq)]
pub struct Uittreding {
    pub organisatie: String,
    /// User id (`sub`) of the signatory who declared it.
    pub door: String,
    pub op: DateTime<Utc>,
    pub reden: String,
}

/// A party's request to withdraw the whole version (`INTREKKEN`).
#[derive(Debug, Clone, PartialEq)]
pub struct Intrekkingsverzoek {
    pub organisatie: String,
    /// User id (`sub`) of the signatory who asked.
    pub door: String,
    pub op: DateTime<Utc>,
    pub reden: String,
}

/// A signature on a version's content (`ALLE_HANDTEKENINGEN`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ondertekening {
    pub organisatie: String,
    /// User id (`sub`) of the signatory; never the display name.
    pub ondertekend_door: String,
    /// The signatory role it signed in (one of the party's `ondertekenaars`).
    pub rol: Rol,
    pub ondertekend_op: DateTime<Utc>,
    /// The `INHOUDHASH` the signatory reviewed.
    pub inhoud_hash: String,
}

/// One version of an agreement, with the parties that left it (the decision needs them).
#[derive(Debug, Clone)]
pub struct Convenant {
    pub id: Uuid,
    pub reeks_id: Uuid,
    pub versie: i64,
    pub titel: String,
    pub(crate) opgeslagen: OpgeslagenStatus,
    pub geldig_van: DateTime<Utc>,
    pub geldig_tot: Option<DateTime<Utc>>,
    pub inhoud: Inhoud,
    pub eigenaar: String,
    pub aangemaakt_door: String,
    pub aangemaakt_op: DateTime<Utc>,
    pub geactiveerd_op: Option<DateTime<Utc>>,
    pub ingetrokken_op: Option<DateTime<Utc>>,
    pub intrekkingsreden: Option<String>,
    /// Raised by every act on this version (a change, a signature, a leave, a withdrawal
    /// request, a withdrawal): its strong ETag (RFC 9110 §8.8.3), which `If-Match` names.
    pub revisie: i64,
    /// Parties that left this version (`UITTREDEN`).
    pub uittredingen: Vec<Uittreding>,
}

impl Convenant {
    /// The status at time `nu`.
    pub fn status(&self, nu: DateTime<Utc>) -> ConvenantStatus {
        match self.opgeslagen {
            OpgeslagenStatus::Concept => ConvenantStatus::Concept,
            OpgeslagenStatus::Ingetrokken => ConvenantStatus::Ingetrokken,
            OpgeslagenStatus::Actief => match self.geldig_tot {
                Some(tot) if tot <= nu => ConvenantStatus::Verlopen,
                _ => ConvenantStatus::Actief,
            },
        }
    }

    /// In force at `nu`: active, and `nu` within its period.
    pub fn van_kracht(&self, nu: DateTime<Utc>) -> bool {
        self.status(nu) == ConvenantStatus::Actief && self.geldig_van <= nu
    }

    /// Is `organisatie` a party that takes part in this version: named in its content and
    /// not left (`UITTREDEN`)? Every decision asks this, for the reader and for every
    /// owner; `Inhoud::noemt_partij` is the content alone.
    pub fn is_partij(&self, organisatie: &str) -> bool {
        self.inhoud.noemt_partij(organisatie) && !self.is_uitgetreden(organisatie)
    }

    /// Did `organisatie` leave this version?
    pub fn is_uitgetreden(&self, organisatie: &str) -> bool {
        self.uittredingen
            .iter()
            .any(|u| u.organisatie == organisatie)
    }

    /// The parties that have not left, in the content's order.
    pub fn resterende_partijen(&self) -> Vec<&str> {
        self.inhoud
            .partijen
            .iter()
            .map(|p| p.organisatie.as_str())
            .filter(|o| !self.is_uitgetreden(o))
            .collect()
    }

    /// `INHOUDHASH` of this version as stored.
    pub fn inhoud_hash(&self) -> String {
        inhoud_hash(&self.titel, self.geldig_van, self.geldig_tot, &self.inhoud)
    }
}

/// A version with its signature state, for showing it (`GET /convenanten/{id}`).
#[derive(Debug, Clone)]
pub struct Volledig {
    pub convenant: Convenant,
    /// The signatures that count: on the version's current hash, not voided.
    pub ondertekeningen: Vec<Ondertekening>,
    pub intrekkingsverzoeken: Vec<Intrekkingsverzoek>,
}

impl Volledig {
    /// The signature of `organisatie` on the current content, if any.
    pub fn ondertekening_van(&self, organisatie: &str) -> Option<&Ondertekening> {
        self.ondertekeningen
            .iter()
            .find(|o| o.organisatie == organisatie)
    }
}

fn tijd_canoniek(t: DateTime<Utc>) -> String {
    t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// JSON with object keys sorted and no whitespace, so that equal content always gives
/// equal bytes whatever the map implementation.
fn canoniek(v: &serde_json::Value, uit: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let gesorteerd: BTreeMap<&String, &Value> = m.iter().collect();
            uit.push('{');
            for (i, (k, v)) in gesorteerd.into_iter().enumerate() {
                if i > 0 {
                    uit.push(',');
                }
                uit.push_str(&serde_json::to_string(k).expect("a string serialises"));
                uit.push(':');
                canoniek(v, uit);
            }
            uit.push('}');
        }
        Value::Array(a) => {
            uit.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    uit.push(',');
                }
                canoniek(v, uit);
            }
            uit.push(']');
        }
        anders => uit.push_str(&anders.to_string()),
    }
}

/// `INHOUDHASH`: `sha256:<64 hex>` over the canonical JSON (keys sorted, no whitespace,
/// times as `YYYY-MM-DDTHH:MM:SS.ffffffZ`) of `{"titel", "geldigVan", "geldigTot",
/// "inhoud"}`, where `inhoud` is the content as the API shows it (parties with their
/// signatory roles, purposes, categories, rules, feedback duties, retention, break-glass
/// roles). Lists keep their order: a reordered list is a different text.
pub fn inhoud_hash(
    titel: &str,
    geldig_van: DateTime<Utc>,
    geldig_tot: Option<DateTime<Utc>>,
    inhoud: &Inhoud,
) -> String {
    let v = serde_json::json!({
        "titel": titel,
        "geldigVan": tijd_canoniek(geldig_van),
        "geldigTot": geldig_tot.map(tijd_canoniek),
        "inhoud": serde_json::to_value(inhoud).expect("content serialises"),
    });
    let mut tekst = String::new();
    canoniek(&v, &mut tekst);
    format!("sha256:{}", hex::encode(Sha256::digest(tekst.as_bytes())))
}

/// The fields of a new agreement or a new concept.
#[derive(Debug, Clone)]
pub struct ConvenantGegevens {
    pub titel: String,
    pub geldig_van: DateTime<Utc>,
    pub geldig_tot: Option<DateTime<Utc>>,
    pub inhoud: Inhoud,
}

#[derive(Debug, thiserror::Error)]
pub enum ConvenantFout {
    /// No such agreement, or the caller's organisation is not a party to it: the same
    /// answer for both, so an id reveals nothing to an outsider.
    #[error("niet gevonden")]
    NietGevonden,
    #[error("{0}")]
    GeenToegang(String),
    /// The operation does not fit the agreement's state (409).
    #[error("{0}")]
    Toestand(String),
    /// The signatory reviewed other content than the version holds now (409).
    #[error("inhoudHash `{gegeven}` is niet de huidige inhoudHash `{huidig}`")]
    HashVerschil { huidig: String, gegeven: String },
    /// Invalid input that needs the database to see (unknown party codes, a party of the
    /// active version left out): each named, a 422 (its codes are rules of the domain,
    /// not of the schema: `common::validatie::SCHEMAREGELS`).
    #[error("ongeldige invoer")]
    Ongeldig(Vec<InvalidParam>),
    /// `UITTREDEN`: the actor's organisation left a version of this series and acts on
    /// none of its versions any more (403, audited as a refusal).
    #[error("{0}")]
    Uitgetreden(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = convenanten)]
struct Rij {
    id: String,
    reeks_id: String,
    versie: i64,
    titel: String,
    status: String,
    geldig_van: chrono::NaiveDateTime,
    geldig_tot: Option<chrono::NaiveDateTime>,
    inhoud: String,
    eigenaar: String,
    aangemaakt_door: String,
    aangemaakt_op: chrono::NaiveDateTime,
    geactiveerd_op: Option<chrono::NaiveDateTime>,
    ingetrokken_op: Option<chrono::NaiveDateTime>,
    intrekkingsreden: Option<String>,
    revisie: i64,
}

impl Rij {
    fn met(self, uittredingen: Vec<Uittreding>) -> Convenant {
        Convenant {
            id: self.id.parse().expect("uuid"),
            reeks_id: self.reeks_id.parse().expect("uuid"),
            versie: self.versie,
            titel: self.titel,
            opgeslagen: self
                .status
                .parse()
                .expect("convenanten.status violates its CHECK"),
            geldig_van: from_db(self.geldig_van),
            geldig_tot: self.geldig_tot.map(from_db),
            inhoud: serde_json::from_str(&self.inhoud)
                .expect("convenanten.inhoud is written by this code"),
            eigenaar: self.eigenaar,
            aangemaakt_door: self.aangemaakt_door,
            aangemaakt_op: from_db(self.aangemaakt_op),
            geactiveerd_op: self.geactiveerd_op.map(from_db),
            ingetrokken_op: self.ingetrokken_op.map(from_db),
            intrekkingsreden: self.intrekkingsreden,
            revisie: self.revisie,
            uittredingen,
        }
    }
}

type PartijRij = (String, String, String, chrono::NaiveDateTime, String);

/// The leavers of each of `ids`.
fn uittredingen_van(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<BTreeMap<String, Vec<Uittreding>>> {
    let mut per: BTreeMap<String, Vec<Uittreding>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(per);
    }
    let rijen: Vec<PartijRij> = convenant_uittredingen::table
        .filter(convenant_uittredingen::convenant_id.eq_any(ids))
        .order((
            convenant_uittredingen::op,
            convenant_uittredingen::organisatie,
        ))
        .select((
            convenant_uittredingen::convenant_id,
            convenant_uittredingen::organisatie,
            convenant_uittredingen::door,
            convenant_uittredingen::op,
            convenant_uittredingen::reden,
        ))
        .load(conn)?;
    for (c, organisatie, door, op, reden) in rijen {
        per.entry(c).or_default().push(Uittreding {
            organisatie,
            door,
            op: from_db(op),
            reden,
        });
    }
    Ok(per)
}

fn met_uittredingen(conn: &mut DbConnection, rijen: Vec<Rij>) -> QueryResult<Vec<Convenant>> {
    let ids: Vec<String> = rijen.iter().map(|r| r.id.clone()).collect();
    let mut per = uittredingen_van(conn, &ids)?;
    Ok(rijen
        .into_iter()
        .map(|r| {
            let u = per.remove(&r.id).unwrap_or_default();
            r.met(u)
        })
        .collect())
}

/// Signatures on the current content and withdrawal requests of each of `convenanten`.
fn volledig(conn: &mut DbConnection, convenanten: Vec<Convenant>) -> QueryResult<Vec<Volledig>> {
    let ids: Vec<String> = convenanten.iter().map(|c| c.id.to_string()).collect();
    let mut handtekeningen: BTreeMap<String, Vec<Ondertekening>> = BTreeMap::new();
    let mut verzoeken: BTreeMap<String, Vec<Intrekkingsverzoek>> = BTreeMap::new();
    if !ids.is_empty() {
        let rijen: Vec<(
            String,
            String,
            String,
            String,
            chrono::NaiveDateTime,
            String,
        )> = convenant_ondertekeningen::table
            .filter(convenant_ondertekeningen::convenant_id.eq_any(&ids))
            .filter(convenant_ondertekeningen::vervallen_op.is_null())
            .order(convenant_ondertekeningen::ondertekend_op)
            .select((
                convenant_ondertekeningen::convenant_id,
                convenant_ondertekeningen::organisatie,
                convenant_ondertekeningen::ondertekend_door,
                convenant_ondertekeningen::rol,
                convenant_ondertekeningen::ondertekend_op,
                convenant_ondertekeningen::inhoud_hash,
            ))
            .load(conn)?;
        for (c, organisatie, door, rol, op, hash) in rijen {
            handtekeningen.entry(c).or_default().push(Ondertekening {
                organisatie,
                ondertekend_door: door,
                rol: rol.parse().expect("a signatory role written by this code"),
                ondertekend_op: from_db(op),
                inhoud_hash: hash,
            });
        }
        let rijen: Vec<PartijRij> = convenant_intrekkingsverzoeken::table
            .filter(convenant_intrekkingsverzoeken::convenant_id.eq_any(&ids))
            .order((
                convenant_intrekkingsverzoeken::op,
                convenant_intrekkingsverzoeken::organisatie,
            ))
            .select((
                convenant_intrekkingsverzoeken::convenant_id,
                convenant_intrekkingsverzoeken::organisatie,
                convenant_intrekkingsverzoeken::door,
                convenant_intrekkingsverzoeken::op,
                convenant_intrekkingsverzoeken::reden,
            ))
            .load(conn)?;
        for (c, organisatie, door, op, reden) in rijen {
            verzoeken.entry(c).or_default().push(Intrekkingsverzoek {
                organisatie,
                door,
                op: from_db(op),
                reden,
            });
        }
    }
    Ok(convenanten
        .into_iter()
        .map(|c| {
            let id = c.id.to_string();
            let hash = c.inhoud_hash();
            let ondertekeningen = handtekeningen
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .filter(|o| o.inhoud_hash == hash && c.inhoud.noemt_partij(&o.organisatie))
                .collect();
            Volledig {
                ondertekeningen,
                intrekkingsverzoeken: verzoeken.remove(&id).unwrap_or_default(),
                convenant: c,
            }
        })
        .collect())
}

/// `ONDERTEKENAARS`: the role in which `actor` acts for its party on `inhoud`, or a
/// refusal naming the roles that may.
fn ondertekenaar(actor: &Actor, inhoud: &Inhoud, wat: &str) -> Result<Rol, ConvenantFout> {
    inhoud.ondertekenrol(actor).ok_or_else(|| {
        let rollen = inhoud
            .partij(&actor.organisatie)
            .map(|p| {
                p.ondertekenaars
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" of ")
            })
            .unwrap_or_else(|| "een ondertekenaar van een partij".into());
        ConvenantFout::GeenToegang(format!(
            "Alleen {rollen} van `{}` mag namens die partij {wat}",
            actor.organisatie
        ))
    })
}

/// Every party is registered in the partner directory (a 422 `geregistreerd` naming
/// `partijen[i].organisatie` otherwise).
fn controleer_partijen(conn: &mut DbConnection, inhoud: &Inhoud) -> Result<(), ConvenantFout> {
    let mut fouten = Vec::new();
    for (i, p) in inhoud.partijen.iter().enumerate() {
        if directory::kern_op_code(conn, &p.organisatie)?.is_none() {
            fouten.push(InvalidParam {
                name: format!("partijen[{i}].organisatie"),
                code: regelcode::GEREGISTREERD.into(),
                reason: format!(
                    "`partijen[{i}].organisatie` is geen organisatie uit de partnerlijst (/organisaties); alleen geregistreerde organisaties zijn partij"
                ),
            });
        }
    }
    if fouten.is_empty() {
        Ok(())
    } else {
        Err(ConvenantFout::Ongeldig(fouten))
    }
}

/// A new version keeps every remaining party of the active version it would replace: a
/// party leaves only by its own act (`UITTREDEN`), never by the others' new version.
fn behoudt_partijen(
    conn: &mut DbConnection,
    reeks_id: Uuid,
    inhoud: &Inhoud,
) -> Result<(), ConvenantFout> {
    let Some(actief) = actief_in_reeks(conn, reeks_id)? else {
        return Ok(());
    };
    let fouten: Vec<InvalidParam> = actief
        .resterende_partijen()
        .into_iter()
        .filter(|o| !inhoud.noemt_partij(o))
        .map(|o| InvalidParam {
            name: "partijen".into(),
            code: "contains".into(),
            reason: format!(
                "`{o}` is partij bij de actieve versie {}; een partij verlaat een convenant alleen zelf (POST .../uittredingen)",
                actief.versie
            ),
        })
        .collect();
    if fouten.is_empty() {
        Ok(())
    } else {
        Err(ConvenantFout::Ongeldig(fouten))
    }
}

/// Lock the versions of series `reeks_id` until the transaction ends (PostgreSQL; SQLite
/// has one writer at a time).
fn vergrendel(conn: &mut DbConnection, reeks_id: Uuid) -> QueryResult<()> {
    if let DbConnection::Pg(pg) = conn {
        // The id is a UUID we formatted ourselves: safe to inline.
        pg.batch_execute(&format!(
            "SELECT id FROM convenanten WHERE reeks_id = '{reeks_id}' ORDER BY id FOR UPDATE"
        ))?;
    }
    Ok(())
}

/// Read version `id` for an act by `actor`'s organisation: locked, hidden
/// (`NietGevonden`) when that organisation is not named as a party, and refused
/// (`UITTREDEN`) when it left a version of the series: every act of a party (change, new
/// version, sign, leave, discard, ask to withdraw) starts here.
fn lees_voor_partij(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Convenant, ConvenantFout> {
    let c = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    if !c.inhoud.noemt_partij(&actor.organisatie) {
        return Err(ConvenantFout::NietGevonden);
    }
    vergrendel(conn, c.reeks_id)?;
    let c = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    if let Some(u) = uitgetreden_in_reeks(conn, c.reeks_id)?
        .into_iter()
        .find(|u| u.organisatie == actor.organisatie)
    {
        return Err(ConvenantFout::Uitgetreden(format!(
            "`{}` is op {} uitgetreden uit versie {} van dit convenant en handelt niet meer in een versie ervan (wijzigen, ondertekenen, intrekken, uittreden of een nieuwe versie maken); deelnemen kan alleen weer via een nieuw convenant",
            actor.organisatie,
            u.op.to_rfc3339(),
            u.versie
        )));
    }
    Ok(c)
}

/// The `code` of an invalid party that left the series (`UITTREDEN`).
pub const UITGETREDEN: &str = "uitgetreden";

/// A leaving (`UITTREDEN`) of some version of a series, with that version's number.
#[derive(Debug, Clone)]
pub struct UittredingInReeks {
    pub organisatie: String,
    pub versie: i64,
    pub op: DateTime<Utc>,
}

/// Every organisation that left a version of series `reeks_id` (`UITTREDEN`), earliest
/// first: it takes part in no version of the series any more.
pub fn uitgetreden_in_reeks(
    conn: &mut DbConnection,
    reeks_id: Uuid,
) -> QueryResult<Vec<UittredingInReeks>> {
    let rijen: Vec<(String, i64, chrono::NaiveDateTime)> = convenant_uittredingen::table
        .inner_join(convenanten::table.on(convenanten::id.eq(convenant_uittredingen::convenant_id)))
        .filter(convenanten::reeks_id.eq(reeks_id.to_string()))
        .order((
            convenant_uittredingen::op,
            convenant_uittredingen::organisatie,
        ))
        .select((
            convenant_uittredingen::organisatie,
            convenanten::versie,
            convenant_uittredingen::op,
        ))
        .load(conn)?;
    Ok(rijen
        .into_iter()
        .map(|(organisatie, versie, op)| UittredingInReeks {
            organisatie,
            versie,
            op: from_db(op),
        })
        .collect())
}

/// `UITTREDEN`: new content of series `reeks_id` (a new version, a changed concept) names
/// no organisation that left a version of it (422 `uitgetreden` naming
/// `partijen[i].organisatie`): a copy of an old party list never carries a leaver back in.
fn noemt_geen_uitgetredene(
    conn: &mut DbConnection,
    reeks_id: Uuid,
    inhoud: &Inhoud,
) -> Result<(), ConvenantFout> {
    let weg = uitgetreden_in_reeks(conn, reeks_id)?;
    let fouten: Vec<InvalidParam> = inhoud
        .partijen
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let u = weg.iter().find(|u| u.organisatie == p.organisatie)?;
            Some(InvalidParam {
                name: format!("partijen[{i}].organisatie"),
                code: UITGETREDEN.into(),
                reason: format!(
                    "UITTREDEN: `{}` is uitgetreden uit versie {} van dit convenant en is geen partij meer bij een versie ervan; laat haar weg, of nodig haar uit voor een nieuw convenant (POST /convenanten)",
                    u.organisatie, u.versie
                ),
            })
        })
        .collect();
    if fouten.is_empty() {
        Ok(())
    } else {
        Err(ConvenantFout::Ongeldig(fouten))
    }
}

fn schrijf_partijen(conn: &mut DbConnection, id: &str, inhoud: &Inhoud) -> QueryResult<()> {
    diesel::delete(convenant_partijen::table.filter(convenant_partijen::convenant_id.eq(id)))
        .execute(conn)?;
    for p in &inhoud.partijen {
        diesel::insert_into(convenant_partijen::table)
            .values((
                convenant_partijen::convenant_id.eq(id),
                convenant_partijen::organisatie.eq(&p.organisatie),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn invoegen(
    conn: &mut DbConnection,
    actor: &Actor,
    g: &ConvenantGegevens,
    reeks: Option<(Uuid, i64)>,
    nu: DateTime<Utc>,
) -> Result<Uuid, ConvenantFout> {
    let id = ids::new_id();
    let (reeks_id, versie) = reeks.unwrap_or((id, 1));
    diesel::insert_into(convenanten::table)
        .values((
            convenanten::id.eq(id.to_string()),
            convenanten::reeks_id.eq(reeks_id.to_string()),
            convenanten::versie.eq(versie),
            convenanten::titel.eq(&g.titel),
            convenanten::status.eq(OpgeslagenStatus::Concept.as_ref()),
            convenanten::geldig_van.eq(to_db(g.geldig_van)),
            convenanten::geldig_tot.eq(g.geldig_tot.map(to_db)),
            convenanten::inhoud.eq(serde_json::to_string(&g.inhoud).expect("serialises")),
            convenanten::eigenaar.eq(&actor.organisatie),
            convenanten::aangemaakt_door.eq(&actor.gebruiker),
            convenanten::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    schrijf_partijen(conn, &id.to_string(), &g.inhoud)?;
    Ok(id)
}

/// A new agreement: version 1, concept, signed by nobody yet. The creator acts for its
/// own organisation, which must be a party (`ONDERTEKENAARS`); every party must be
/// registered.
pub fn maak(
    conn: &mut DbConnection,
    actor: &Actor,
    g: ConvenantGegevens,
    nu: DateTime<Utc>,
) -> Result<Volledig, ConvenantFout> {
    ondertekenaar(actor, &g.inhoud, "een convenant aanmaken")?;
    controleer_partijen(conn, &g.inhoud)?;
    let id = invoegen(conn, actor, &g, None, nu)?;
    lees_volledig(conn, id)?.ok_or(ConvenantFout::NietGevonden)
}

/// A new concept version of an existing agreement (`ALLE_HANDTEKENINGEN`: it needs every
/// signature again; the active version stays in force meanwhile). One open concept per
/// series.
pub fn nieuwe_versie(
    conn: &mut DbConnection,
    actor: &Actor,
    basis: Uuid,
    g: ConvenantGegevens,
    nu: DateTime<Utc>,
) -> Result<Volledig, ConvenantFout> {
    let b = lees_voor_partij(conn, actor, basis)?;
    ondertekenaar(actor, &b.inhoud, "een nieuwe versie maken")?;
    ondertekenaar(actor, &g.inhoud, "een nieuwe versie maken")?;
    controleer_partijen(conn, &g.inhoud)?;
    behoudt_partijen(conn, b.reeks_id, &g.inhoud)?;
    noemt_geen_uitgetredene(conn, b.reeks_id, &g.inhoud)?;
    let hoogste: i64 = convenanten::table
        .filter(convenanten::reeks_id.eq(b.reeks_id.to_string()))
        .select(diesel::dsl::max(convenanten::versie))
        .first::<Option<i64>>(conn)?
        .unwrap_or(b.versie);
    let open_concept = convenanten::table
        .filter(convenanten::reeks_id.eq(b.reeks_id.to_string()))
        .filter(convenanten::status.eq(OpgeslagenStatus::Concept.as_ref()))
        .select(convenanten::id)
        .first::<String>(conn)
        .optional()?;
    if let Some(c) = open_concept {
        return Err(ConvenantFout::Toestand(format!(
            "Er is al een conceptversie ({c}) van dit convenant; wijzig of onderteken die"
        )));
    }
    let id = invoegen(conn, actor, &g, Some((b.reeks_id, hoogste + 1)), nu)?;
    lees_volledig(conn, id)?.ok_or(ConvenantFout::NietGevonden)
}

/// Change a concept in place. An active or withdrawn version is never edited. When the
/// content changes, so does its hash, and every signature on the concept is void
/// (`INHOUDHASH`). Returns the version before and after.
pub fn wijzig_concept(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    g: ConvenantGegevens,
    nu: DateTime<Utc>,
) -> Result<(Volledig, Volledig), ConvenantFout> {
    let oud = lees_voor_partij(conn, actor, id)?;
    ondertekenaar(actor, &oud.inhoud, "een concept wijzigen")?;
    ondertekenaar(actor, &g.inhoud, "een concept wijzigen")?;
    if oud.opgeslagen != OpgeslagenStatus::Concept {
        return Err(ConvenantFout::Toestand(format!(
            "Dit convenant is `{}`: alleen een concept wordt gewijzigd; maak een nieuwe versie (POST .../versies)",
            oud.opgeslagen
        )));
    }
    controleer_partijen(conn, &g.inhoud)?;
    behoudt_partijen(conn, oud.reeks_id, &g.inhoud)?;
    noemt_geen_uitgetredene(conn, oud.reeks_id, &g.inhoud)?;
    let oud = volledig(conn, vec![oud])?.remove(0);
    diesel::update(convenanten::table.filter(convenanten::id.eq(id.to_string())))
        .set((
            convenanten::titel.eq(&g.titel),
            convenanten::geldig_van.eq(to_db(g.geldig_van)),
            convenanten::geldig_tot.eq(g.geldig_tot.map(to_db)),
            convenanten::inhoud.eq(serde_json::to_string(&g.inhoud).expect("serialises")),
        ))
        .execute(conn)?;
    schrijf_partijen(conn, &id.to_string(), &g.inhoud)?;
    let nieuw = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    if nieuw.inhoud_hash() != oud.convenant.inhoud_hash() {
        diesel::update(
            convenant_ondertekeningen::table
                .filter(convenant_ondertekeningen::convenant_id.eq(id.to_string()))
                .filter(convenant_ondertekeningen::vervallen_op.is_null()),
        )
        .set(convenant_ondertekeningen::vervallen_op.eq(Some(to_db(nu))))
        .execute(conn)?;
    }
    let nieuw = volledig(conn, vec![nieuw])?.remove(0);
    Ok((oud, nieuw))
}

/// What a signature did.
#[derive(Debug, Clone)]
pub struct Ondertekend {
    /// The version after the signature (`actief` if it was the last one).
    pub convenant: Volledig,
    /// This signature completed the set: the version is now active.
    pub geactiveerd: bool,
    /// The active version of the series it replaced, now withdrawn.
    pub vervangen: Option<Convenant>,
}

/// Sign a concept for `actor`'s organisation (`ALLE_HANDTEKENINGEN`). `inhoud_hash` is the
/// hash the signatory reviewed; it must be the concept's current hash (`HashVerschil`).
/// When every party has now signed this hash, the version becomes active (activation
/// time: `nu`) and the active version it replaces in the series is withdrawn.
pub fn onderteken(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    gegeven_hash: &str,
    nu: DateTime<Utc>,
) -> Result<Ondertekend, ConvenantFout> {
    let c = lees_voor_partij(conn, actor, id)?;
    let rol = ondertekenaar(actor, &c.inhoud, "ondertekenen")?;
    if c.opgeslagen != OpgeslagenStatus::Concept {
        return Err(ConvenantFout::Toestand(format!(
            "Dit convenant is `{}`; alleen een concept wordt ondertekend (een wijziging is een nieuwe versie: POST .../versies)",
            c.status(nu)
        )));
    }
    if let Some(tot) = c.geldig_tot
        && tot <= nu
    {
        return Err(ConvenantFout::Toestand(format!(
            "De looptijd van dit convenant is voorbij ({}); pas `geldigTot` aan",
            tot.to_rfc3339()
        )));
    }
    // `UITTREDEN`: a concept that names a party that left the series binds nobody; not
    // even a signature it gave before it left brings it back in.
    if let Some(u) = uitgetreden_in_reeks(conn, c.reeks_id)?
        .into_iter()
        .find(|u| c.inhoud.noemt_partij(&u.organisatie))
    {
        return Err(ConvenantFout::Toestand(format!(
            "UITTREDEN: `{}` is uitgetreden uit versie {} van dit convenant en dit concept noemt haar nog als partij; het wordt niet ondertekend tot het zonder haar is gewijzigd (PUT op dit convenant)",
            u.organisatie, u.versie
        )));
    }
    let huidig = c.inhoud_hash();
    if gegeven_hash != huidig {
        return Err(ConvenantFout::HashVerschil {
            huidig,
            gegeven: gegeven_hash.to_string(),
        });
    }
    let v = volledig(conn, vec![c])?.remove(0);
    if let Some(o) = v.ondertekening_van(&actor.organisatie) {
        return Err(ConvenantFout::Toestand(format!(
            "`{}` heeft deze inhoud al ondertekend (op {})",
            actor.organisatie,
            o.ondertekend_op.to_rfc3339()
        )));
    }
    diesel::insert_into(convenant_ondertekeningen::table)
        .values((
            convenant_ondertekeningen::id.eq(ids::new_id().to_string()),
            convenant_ondertekeningen::convenant_id.eq(id.to_string()),
            convenant_ondertekeningen::organisatie.eq(&actor.organisatie),
            convenant_ondertekeningen::ondertekend_door.eq(&actor.gebruiker),
            convenant_ondertekeningen::rol.eq(rol.as_ref()),
            convenant_ondertekeningen::ondertekend_op.eq(to_db(nu)),
            convenant_ondertekeningen::inhoud_hash.eq(&huidig),
        ))
        .execute(conn)?;
    let c = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    let v = volledig(conn, vec![c])?.remove(0);
    let compleet = v
        .convenant
        .inhoud
        .partijen
        .iter()
        .all(|p| v.ondertekening_van(&p.organisatie).is_some());
    if !compleet {
        return Ok(Ondertekend {
            convenant: v,
            geactiveerd: false,
            vervangen: None,
        });
    }
    // Every party signed this exact content: the version binds.
    let vervangen = actief_in_reeks(conn, v.convenant.reeks_id)?;
    if let Some(oud) = &vervangen {
        // A party of the version it replaces leaves only by its own act.
        if let Some(o) = oud
            .resterende_partijen()
            .into_iter()
            .find(|o| !v.convenant.inhoud.noemt_partij(o))
        {
            return Err(ConvenantFout::Toestand(format!(
                "`{o}` is partij bij de actieve versie {} en ontbreekt in deze versie",
                oud.versie
            )));
        }
        zet_ingetrokken(
            conn,
            oud.id,
            &format!("vervangen door versie {}", v.convenant.versie),
            nu,
        )?;
    }
    diesel::update(convenanten::table.filter(convenanten::id.eq(id.to_string())))
        .set((
            convenanten::status.eq(OpgeslagenStatus::Actief.as_ref()),
            convenanten::geactiveerd_op.eq(Some(to_db(nu))),
        ))
        .execute(conn)?;
    Ok(Ondertekend {
        convenant: lees_volledig(conn, id)?.ok_or(ConvenantFout::NietGevonden)?,
        geactiveerd: true,
        vervangen: match vervangen {
            Some(o) => lees(conn, o.id)?,
            None => None,
        },
    })
}

fn zet_ingetrokken(
    conn: &mut DbConnection,
    id: Uuid,
    reden: &str,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(convenanten::table.filter(convenanten::id.eq(id.to_string())))
        .set((
            convenanten::status.eq(OpgeslagenStatus::Ingetrokken.as_ref()),
            convenanten::ingetrokken_op.eq(Some(to_db(nu))),
            convenanten::intrekkingsreden.eq(Some(reden)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// After a leave or a withdrawal request: is the version now withdrawn? When every
/// remaining party asked (`INTREKKEN`), or fewer than two parties remain (`UITTREDEN`).
fn misschien_ingetrokken(
    conn: &mut DbConnection,
    id: Uuid,
    nu: DateTime<Utc>,
) -> Result<Volledig, ConvenantFout> {
    let v = lees_volledig(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
    if v.convenant.opgeslagen != OpgeslagenStatus::Actief {
        return Ok(v);
    }
    let resterend = v.convenant.resterende_partijen();
    let reden = if resterend.len() < 2 {
        Some("minder dan twee partijen over na uittreden".to_string())
    } else if resterend
        .iter()
        .all(|o| v.intrekkingsverzoeken.iter().any(|r| r.organisatie == *o))
    {
        Some("ingetrokken op verzoek van alle partijen".to_string())
    } else {
        None
    };
    match reden {
        Some(r) => {
            zet_ingetrokken(conn, id, &r, nu)?;
            Ok(lees_volledig(conn, id)?.ok_or(ConvenantFout::NietGevonden)?)
        }
        None => Ok(v),
    }
}

/// `actor`'s organisation leaves active version `id` (`UITTREDEN`): from the next request
/// no rule of it lets data flow to or from that organisation, and it acts on no version of
/// the series again (`lees_voor_partij`; leaving twice is refused the same way); its
/// signatures on the series' open concepts lapse. Other parties keep theirs; with fewer
/// than two parties left, or when every remaining party had asked to withdraw, the
/// version is withdrawn.
pub fn treed_uit(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    reden: &str,
    nu: DateTime<Utc>,
) -> Result<Volledig, ConvenantFout> {
    let c = lees_voor_partij(conn, actor, id)?;
    ondertekenaar(actor, &c.inhoud, "uittreden")?;
    if c.opgeslagen != OpgeslagenStatus::Actief {
        return Err(ConvenantFout::Toestand(format!(
            "Dit convenant is `{}`; uittreden kan alleen uit een actieve versie (een concept wordt gewijzigd of verworpen)",
            c.status(nu)
        )));
    }
    // A leaver's signatures on the series' open concepts lapse with it (`UITTREDEN`).
    let concepten = convenanten::table
        .filter(convenanten::reeks_id.eq(c.reeks_id.to_string()))
        .filter(convenanten::status.eq(OpgeslagenStatus::Concept.as_ref()))
        .select(convenanten::id);
    diesel::update(
        convenant_ondertekeningen::table
            .filter(convenant_ondertekeningen::convenant_id.eq_any(concepten))
            .filter(convenant_ondertekeningen::organisatie.eq(&actor.organisatie))
            .filter(convenant_ondertekeningen::vervallen_op.is_null()),
    )
    .set(convenant_ondertekeningen::vervallen_op.eq(Some(to_db(nu))))
    .execute(conn)?;
    diesel::insert_into(convenant_uittredingen::table)
        .values((
            convenant_uittredingen::convenant_id.eq(id.to_string()),
            convenant_uittredingen::organisatie.eq(&actor.organisatie),
            convenant_uittredingen::door.eq(&actor.gebruiker),
            convenant_uittredingen::op.eq(to_db(nu)),
            convenant_uittredingen::reden.eq(reden),
        ))
        .execute(conn)?;
    misschien_ingetrokken(conn, id, nu)
}

/// What a withdrawal did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intrekking {
    /// Withdrawn now (by the platform admin, or the last remaining party's request).
    Ingetrokken,
    /// A concept discarded by a party's signatory.
    Verworpen,
    /// Recorded as this party's request; other parties have yet to ask.
    Verzocht,
}

/// Withdraw version `id` (`INTREKKEN`). The platform admin withdraws any version at once.
/// A party's signatory discards a concept at once; for an active version it records its
/// party's request, and the version is withdrawn when every remaining party has asked. A
/// party that left the series does neither (`UITTREDEN`, `lees_voor_partij`).
/// Takes effect on the next request: decisions read the agreements every time.
pub fn trek_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: Uuid,
    reden: &str,
    nu: DateTime<Utc>,
) -> Result<(Volledig, Intrekking), ConvenantFout> {
    let platform = actor.heeft_rol(Rol::Platformbeheerder);
    let c = if platform {
        let c = lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?;
        vergrendel(conn, c.reeks_id)?;
        lees(conn, id)?.ok_or(ConvenantFout::NietGevonden)?
    } else {
        let c = lees_voor_partij(conn, actor, id)?;
        ondertekenaar(actor, &c.inhoud, "intrekken")?;
        c
    };
    if c.opgeslagen == OpgeslagenStatus::Ingetrokken {
        return Err(ConvenantFout::Toestand(
            "Dit convenant is al ingetrokken".into(),
        ));
    }
    if platform || c.opgeslagen == OpgeslagenStatus::Concept {
        zet_ingetrokken(conn, id, reden, nu)?;
        let soort = if c.opgeslagen == OpgeslagenStatus::Concept && !platform {
            Intrekking::Verworpen
        } else {
            Intrekking::Ingetrokken
        };
        return Ok((
            lees_volledig(conn, id)?.ok_or(ConvenantFout::NietGevonden)?,
            soort,
        ));
    }
    let al = convenant_intrekkingsverzoeken::table
        .filter(convenant_intrekkingsverzoeken::convenant_id.eq(id.to_string()))
        .filter(convenant_intrekkingsverzoeken::organisatie.eq(&actor.organisatie))
        .count()
        .get_result::<i64>(conn)?;
    if al > 0 {
        return Err(ConvenantFout::Toestand(format!(
            "`{}` heeft al om intrekking van dit convenant gevraagd",
            actor.organisatie
        )));
    }
    diesel::insert_into(convenant_intrekkingsverzoeken::table)
        .values((
            convenant_intrekkingsverzoeken::convenant_id.eq(id.to_string()),
            convenant_intrekkingsverzoeken::organisatie.eq(&actor.organisatie),
            convenant_intrekkingsverzoeken::door.eq(&actor.gebruiker),
            convenant_intrekkingsverzoeken::op.eq(to_db(nu)),
            convenant_intrekkingsverzoeken::reden.eq(reden),
        ))
        .execute(conn)?;
    let v = misschien_ingetrokken(conn, id, nu)?;
    let soort = if v.convenant.opgeslagen == OpgeslagenStatus::Ingetrokken {
        Intrekking::Ingetrokken
    } else {
        Intrekking::Verzocht
    };
    Ok((v, soort))
}

/// The next revision of version `id`, for an act on it under precondition `voorwaarde`
/// (RFC 9110 §13.1.1: `*` or absent, any; a list, when it names the current revision).
/// Checked and raised in one conditional update, so of two writers that read the same
/// revision one gets `VoorwaardeMislukt`, also between instances.
pub fn volgende_revisie(
    conn: &mut DbConnection,
    id: Uuid,
    voorwaarde: &IfMatch,
) -> Result<i64, Fout> {
    let huidig: i64 = convenanten::table
        .filter(convenanten::id.eq(id.to_string()))
        .select(convenanten::revisie)
        .first(conn)
        .optional()?
        .ok_or_else(|| Fout::NietGevonden("Er is geen convenant met dit id".into()))?;
    voorwaarde
        .controleer(huidig, "het convenant")
        .map_err(Fout::VoorwaardeMislukt)?;
    let n = diesel::update(
        convenanten::table
            .filter(convenanten::id.eq(id.to_string()))
            .filter(convenanten::revisie.eq(huidig)),
    )
    .set(convenanten::revisie.eq(huidig + 1))
    .execute(conn)?;
    if n == 0 {
        return Err(Fout::VoorwaardeMislukt(format!(
            "het convenant is intussen gewijzigd (revisie {huidig} is niet meer de huidige); haal het opnieuw op"
        )));
    }
    Ok(huidig + 1)
}

/// Version `id` with its leavers, whoever asks (callers check the party).
pub fn lees(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Convenant>> {
    let rij = convenanten::table
        .filter(convenanten::id.eq(id.to_string()))
        .select(Rij::as_select())
        .first(conn)
        .optional()?;
    Ok(match rij {
        Some(r) => met_uittredingen(conn, vec![r])?.pop(),
        None => None,
    })
}

/// Version `id` with its signature state.
pub fn lees_volledig(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Volledig>> {
    Ok(match lees(conn, id)? {
        Some(c) => volledig(conn, vec![c])?.pop(),
        None => None,
    })
}

/// The stored-active version of series `reeks_id`, if any.
fn actief_in_reeks(conn: &mut DbConnection, reeks_id: Uuid) -> QueryResult<Option<Convenant>> {
    let rij = convenanten::table
        .filter(convenanten::reeks_id.eq(reeks_id.to_string()))
        .filter(convenanten::status.eq(OpgeslagenStatus::Actief.as_ref()))
        .select(Rij::as_select())
        .first(conn)
        .optional()?;
    Ok(match rij {
        Some(r) => met_uittredingen(conn, vec![r])?.pop(),
        None => None,
    })
}

/// The cursor list name of `GET /convenanten` (`store::venster::Cursor`).
pub const LIJST: &str = "convenanten";

/// One page of the agreements that name `organisatie` as a party (also those it left),
/// newest first by id (UUIDv7), with their signature state: keyset on the primary key
/// (`id < cursor` forward) over the ids of the organisation's party rows, and the bounded
/// count (`store::venster`).
pub fn van_partij(
    conn: &mut DbConnection,
    organisatie: &str,
    v: &Venster<String>,
) -> QueryResult<Pagina<Volledig, String>> {
    let bouw = || {
        let ids = convenant_partijen::table
            .filter(convenant_partijen::organisatie.eq(organisatie.to_string()))
            .select(convenant_partijen::convenant_id);
        convenanten::table
            .filter(convenanten::id.eq_any(ids))
            .into_boxed()
    };
    // Newest first: the mirror image of `venster_op_id!`.
    let mut q = bouw();
    if let Some(i) = v.na() {
        q = q.filter(convenanten::id.lt(i.clone()));
    }
    if let Some(i) = v.voor() {
        q = q.filter(convenanten::id.gt(i.clone()));
    }
    let q = if v.achteruit() {
        q.order(convenanten::id.asc())
    } else {
        q.order(convenanten::id.desc())
    };
    let rijen: Vec<Rij> = q
        .offset(v.overslaan())
        .limit(v.op_te_halen())
        .select(Rij::as_select())
        .load(conn)?;
    let telling = ketenregie_store::telling!(
        conn,
        v,
        rijen.len(),
        bouw,
        convenanten::id.desc(),
        convenanten::id,
        String
    )?;
    let pagina = v.pagina(rijen, |r| r.id.clone(), telling);
    let c = met_uittredingen(conn, pagina.rijen)?;
    Ok(Pagina {
        rijen: volledig(conn, c)?,
        volgende: pagina.volgende,
        vorige: pagina.vorige,
        telling: pagina.telling,
    })
}

/// The stored-active agreements `organisatie` takes part in: a party, and not left
/// (`UITTREDEN`). Each carries its leavers, so the decision also drops owners that left
/// (`Convenant::is_partij`). The decision's input; the period is checked by the caller
/// with the request's clock.
/// The first agreement in force at `nu` that `een` and `ander` are both parties of
/// (`Convenant::is_partij`: named and not left), if any: what `VERKLARING_DOOR_HOUDER`,
/// `STROOM_BINNEN_CONVENANT` and the log basis of another's own statement ask.
pub fn gedeeld(
    conn: &mut DbConnection,
    een: &str,
    ander: &str,
    nu: chrono::DateTime<chrono::Utc>,
) -> QueryResult<Option<Convenant>> {
    Ok(actief_voor(conn, een)?
        .into_iter()
        .find(|c| c.van_kracht(nu) && c.is_partij(een) && c.is_partij(ander)))
}

pub fn actief_voor(conn: &mut DbConnection, organisatie: &str) -> QueryResult<Vec<Convenant>> {
    let ids = convenant_partijen::table
        .filter(convenant_partijen::organisatie.eq(organisatie.to_string()))
        .select(convenant_partijen::convenant_id);
    let rijen = convenanten::table
        .filter(convenanten::id.eq_any(ids))
        .filter(convenanten::status.eq(OpgeslagenStatus::Actief.as_ref()))
        // A fixed order, so a decision cites the same agreement every time.
        .order(convenanten::id)
        .select(Rij::as_select())
        .load(conn)?;
    Ok(met_uittredingen(conn, rijen)?
        .into_iter()
        .filter(|c| c.is_partij(organisatie))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inhoud() -> Inhoud {
        serde_json::from_value(serde_json::json!({
            "partijen": [{"organisatie": "politie", "rol": "melder"}, {"organisatie": "vt", "rol": "ontvanger"}],
            "doelen": ["briefing"],
            "categorieen": ["identificatie"],
            "regels": [{"organisatieSoort": "politie", "rollen": ["noodhulp"], "acties": ["lezen"],
                        "categorieen": ["identificatie"], "doel": "briefing", "maxVertrouwelijkheid": "intern",
                        "grondslag": {"code": "Wpg art. 18", "omschrijving": "t"}}]
        }))
        .unwrap()
    }

    #[test]
    fn ondertekenaars_standaard_beheerder_en_privacyfunctionaris() {
        let i = inhoud();
        assert_eq!(
            i.partijen[0].ondertekenaars,
            STANDAARD_ONDERTEKENAARS.to_vec()
        );
        let actor = |org: &str, rol| Actor {
            gebruiker: "u".into(),
            weergavenaam: "U".into(),
            organisatie: org.into(),
            rollen: vec![rol],
            applicatie: "t".into(),
        };
        assert_eq!(
            i.ondertekenrol(&actor("vt", Rol::Privacyfunctionaris)),
            Some(Rol::Privacyfunctionaris)
        );
        assert_eq!(i.ondertekenrol(&actor("vt", Rol::Triagist)), None);
        assert_eq!(
            i.ondertekenrol(&actor("om", Rol::FunctioneelBeheerder)),
            None
        );
        let mut v = Validatie::new();
        let mut fout = i.clone();
        fout.partijen[1].ondertekenaars = vec![Rol::Triagist];
        fout.valideer(&mut v);
        assert_eq!(
            v.afronden(|| ()).unwrap_err()[0].name,
            "partijen[1].ondertekenaars"
        );
    }

    /// `INHOUDHASH`: fixed format, changes with any part of the content, the same for the
    /// same content.
    #[test]
    fn inhoudhash_volgt_de_inhoud() {
        let van = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let h = inhoud_hash("Pilot", van, None, &inhoud());
        assert!(h.starts_with("sha256:") && h.len() == 71, "{h}");
        assert!(h[7..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, inhoud_hash("Pilot", van, None, &inhoud()));
        assert_ne!(h, inhoud_hash("Pilot 2", van, None, &inhoud()));
        assert_ne!(
            h,
            inhoud_hash(
                "Pilot",
                van + chrono::Duration::microseconds(1),
                None,
                &inhoud()
            )
        );
        assert_ne!(
            h,
            inhoud_hash(
                "Pilot",
                van,
                Some(van + chrono::Duration::days(1)),
                &inhoud()
            )
        );
        let mut anders = inhoud();
        anders.partijen[1].ondertekenaars = vec![Rol::Privacyfunctionaris];
        assert_ne!(h, inhoud_hash("Pilot", van, None, &anders));
        let mut canoniek_tekst = String::new();
        canoniek(
            &serde_json::json!({"b": 1, "a": [true, null, "x"]}),
            &mut canoniek_tekst,
        );
        assert_eq!(canoniek_tekst, r#"{"a":[true,null,"x"],"b":1}"#);
    }
}
