//! The shapes of `/zorgmeldingen` on the wire: what is answered, and the loose input the
//! handlers parse into `ketenregie_referral`'s typed input.

use crate::problem::AppError;
use chrono::{DateTime, Utc};
use ketenregie_common::{Gegevenscategorie, Validatie, Vertrouwelijkheid, regelcode};
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave;
use ketenregie_referral::Oordeel;
use ketenregie_referral::inhoud::Inhoud;
use ketenregie_referral::levenscyclus::Beoordelingsuitkomst;
use ketenregie_referral::opslag::{Kop, Stap};
use ketenregie_referral::termijnen::Termijn;
use ketenregie_referral::{Meldingstatus, TaakStatus, Zorgmelding};
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
    pub vertrouwelijkheid: Vertrouwelijkheid,
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
    /// The own statements of the children and parents in it (Jeugdwet art. 7.3.8),
    /// oldest first, with the content: always shown with it, as far as the caller may see
    /// them; absent where the content is (lists, state changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eigen_verklaringen: Option<Vec<EigenVerklaringWeergave>>,
}

impl ZorgmeldingDto {
    /// The header only (lists, state changes).
    pub fn kop(k: &Kop) -> Self {
        ZorgmeldingDto {
            id: k.id,
            groep: k.groep_id,
            bovenliggend: k.bovenliggend_id,
            afzender: k.afzender.clone(),
            ontvanger: k.ontvanger.clone(),
            meldingstatus: k.meldingstatus,
            taakstatus: k.taakstatus,
            bedrijfsstatus: k.bedrijfsstatus.clone(),
            acuut: k.acuut,
            gemeenten: k.gemeentecodes(),
            vertrouwelijkheid: k.vertrouwelijkheid,
            versie: k.versie,
            aangemaakt_op: ketenregie_common::time::from_db(k.aangemaakt_op),
            ingediend_op: k.ingediend_op.map(ketenregie_common::time::from_db),
            gewijzigd_op: k.gewijzigd(),
            inhoud: None,
            geredigeerd: vec![],
            termijnen: None,
            eigen_verklaringen: None,
        }
    }

    /// A melding as a use case returned it; `nu` decides which duties are late.
    pub fn van(m: &Zorgmelding, nu: DateTime<Utc>) -> Self {
        ZorgmeldingDto {
            inhoud: m.inhoud.clone(),
            geredigeerd: m.geredigeerd.clone(),
            termijnen: m
                .termijnen
                .as_ref()
                .map(|t| t.iter().map(|t| TermijnDto::van(t, nu)).collect()),
            eigen_verklaringen: m.eigen_verklaringen.clone(),
            ..Self::kop(&m.kop)
        }
    }
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

impl TermijnDto {
    pub fn van(t: &Termijn, nu: DateTime<Utc>) -> Self {
        TermijnDto {
            zorgmelding: t.zorgmelding_id,
            moment: t.moment,
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

impl From<Stap> for StapDto {
    fn from(s: Stap) -> Self {
        StapDto {
            stap: s.stap,
            van: s.van_status,
            naar: s.naar_status,
            reden: s.reden,
            gegevens: s.gegevens.and_then(|g| serde_json::from_str(&g).ok()),
            gebruiker: s.gebruiker,
            gebruiker_naam: s.gebruiker_naam,
            organisatie: s.organisatie,
            tijdstip: ketenregie_common::time::from_db(s.tijdstip),
        }
    }
}

/// The outcome of submitting: the melding(s) as sent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Indiening {
    pub meldingen: Vec<ZorgmeldingDto>,
}

impl Indiening {
    pub fn van(meldingen: &[Kop]) -> Self {
        Indiening {
            meldingen: meldingen.iter().map(ZorgmeldingDto::kop).collect(),
        }
    }
}

/// A quality checker's verdict.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KwaliteitsoordeelInvoer {
    #[schema(required = true, value_type = bool)]
    pub goedgekeurd: Option<bool>,
    /// Remarks; required when sent back.
    #[schema(max_length = 5000)]
    pub opmerkingen: Option<String>,
}

/// A state change with its reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StapInvoer {
    /// Required for rejected, cancelled, on-hold and failed.
    pub reden: Option<String>,
}

/// A state change that needs its reason (rejected, cancelled, on-hold, failed): on the
/// wire as `StapInvoer`, published with `reden` required (rule `required`, checked after
/// the transition itself).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub struct RedenStapInvoer {
    /// Why; not blank.
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"\S")]
    reden: Option<String>,
}

/// The veiligheidsbeoordeling (triage).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BeoordelingInvoer {
    #[schema(required = true, value_type = Beoordelingsuitkomst)]
    pub uitkomst: Option<String>,
    /// Acute unsafety found.
    pub acuut: Option<bool>,
    #[schema(max_length = 5000)]
    pub toelichting: Option<String>,
}

/// The output on completion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AfsluitingInvoer {
    /// What was done and decided.
    #[schema(required = true, value_type = String, max_length = 5000)]
    pub uitvoer: Option<String>,
}

/// A hand-over to another organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdrachtInvoer {
    /// The receiving organisation's code.
    #[schema(required = true, value_type = String, example = "wijkteam-den-haag-centrum", max_length = 63)]
    pub organisatie: Option<String>,
    #[schema(max_length = 5000)]
    pub toelichting: Option<String>,
}

/// `richting`: `ontvangen` (inbox, Some(true)), `verzonden` (outbox, Some(false)), absent
/// (None); anything else is recorded as invalid.
pub fn richting(v: &mut Validatie, r: Option<&str>) -> Option<bool> {
    match r {
        None => None,
        Some("ontvangen") => Some(true),
        Some("verzonden") => Some(false),
        Some(_) => {
            v.fout(
                "richting",
                "enum",
                "`richting` is geen toegestane waarde; kies ontvangen of verzonden",
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
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub van: Option<DateTime<Utc>>,
    /// Created until (exclusive).
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub tot: Option<DateTime<Utc>>,
    /// A child's municipality (CBS code; one that does not exist is a 422 naming
    /// `gemeente`).
    pub gemeente: Option<String>,
    /// Only those changed after this moment (for polling systems).
    #[serde(
        default,
        deserialize_with = "ketenregie_common::time::strikt_tijdstip_optie"
    )]
    pub gewijzigd_sinds: Option<DateTime<Utc>>,
    /// Page number, from 1 (default 1): a jump from the start, not with `cursor`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`).
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

/// Whether the organisation's zorgmeldingen pass a quality check before sending.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KwaliteitscontroleInstelling {
    pub verplicht: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct TermijnParams {
    /// `ontvangen` (default): what the caller owes on meldingen it received; `verzonden`:
    /// what is owed to the caller on meldingen it sent.
    pub richting: Option<String>,
    /// Page number, from 1 (default 1): a jump from the start, not with `cursor`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`).
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

impl crate::lichaam::Invoer for StapInvoer {}
impl crate::lichaam::Invoer for BeoordelingInvoer {}
impl crate::lichaam::Invoer for AfsluitingInvoer {}
impl KwaliteitsoordeelInvoer {
    /// The judgement, or every problem of its form: `goedgekeurd` required, `opmerkingen`
    /// a text. A send-back without remarks is the use case's 422 (`referral::kwaliteit`),
    /// answered after the caller's right and the melding's state, as a step's reason is
    /// (`STAP_VOOR_REDEN`): a caller who may not judge, or a melding no longer ter
    /// controle, hears that first (the outside tester's finding, round three).
    pub(super) fn valideer(&self) -> Result<Oordeel, AppError> {
        self.valideer_met(false)
    }

    /// `valideer`, with the remarks' rule (`verplicht-bij`) among the problems when
    /// `opmerkingen_verplicht`: for a body that fails its schema, which names every
    /// problem at once (`lichaam::Invoer::regels`).
    fn valideer_met(&self, opmerkingen_verplicht: bool) -> Result<Oordeel, AppError> {
        let mut v = Validatie::new();
        let goed = v.verplicht("goedgekeurd", self.goedgekeurd);
        let opm = v.optionele_tekst("opmerkingen", self.opmerkingen.as_deref(), 5000);
        if opmerkingen_verplicht && goed == Some(false) && opm.is_none() && !v.noemt("opmerkingen")
        {
            v.fout(
                "opmerkingen",
                regelcode::VERPLICHT_BIJ,
                "geef bij terugsturen aan wat er beter moet",
            );
        }
        crate::paging::check(v)?;
        Ok(match (goed, opm) {
            (Some(true), _) => Oordeel::Goedgekeurd,
            (_, opmerkingen) => Oordeel::Teruggestuurd {
                opmerkingen: opmerkingen.unwrap_or_default(),
            },
        })
    }
}

impl crate::lichaam::Invoer for KwaliteitsoordeelInvoer {
    fn regels(&self, _nu: chrono::DateTime<chrono::Utc>) -> Vec<ketenregie_common::InvalidParam> {
        crate::lichaam::regels::uit_apperror(self.valideer_met(true))
    }
}
impl crate::lichaam::Invoer for KwaliteitscontroleInstelling {}
impl crate::lichaam::Invoer for OverdrachtInvoer {
    fn organisaties(&self) -> Vec<(String, String)> {
        self.organisatie
            .iter()
            .map(|o| ("organisatie".to_string(), o.clone()))
            .collect()
    }
}
