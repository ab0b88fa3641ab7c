//! The answer of a briefing: what the officer sees, per kind of record.

use super::vraag::Zoekwijze;
use crate::betrokkenheid::Contact;
use crate::gezinnen::Relatie;
use crate::incidenten::{Incidentsoort, Wederhoor};
use crate::weergave::{BeschikkingKort, GezagKort, PersoonKort, PersoonRef, RegelingKort};
use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_common::Doel;
use ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GezinslidKort {
    pub persoon: PersoonRef,
    pub relatie: Relatie,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GezinKort {
    pub id: Uuid,
    pub eigenaar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kenmerk: Option<String>,
    pub leden: Vec<GezinslidKort>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncidentRegel {
    pub id: Uuid,
    pub tijdstip: DateTime<Utc>,
    pub soort: Incidentsoort,
    pub eigenaar: String,
    /// Whether the other parent was heard.
    pub wederhoor: Wederhoor,
    /// Only one parent has a statement and the other was not heard (`HOOR_EN_WEDERHOOR`).
    pub eenzijdig: bool,
    /// The own statements of the persons it names (Jeugdwet art. 7.3.8): always shown
    /// with it, as far as the officer may see them.
    pub eigen_verklaringen: Vec<EigenVerklaringWeergave>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Incidentoverzicht {
    pub laatste12_maanden: usize,
    pub totaal: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub laatste: Option<DateTime<Utc>>,
    /// Newest first, at most 50.
    pub lijst: Vec<IncidentRegel>,
}

/// A number that answers day and night, from the contact directory.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bereikbaar {
    pub naam: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telefoon: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BetrokkenOrganisatie {
    pub organisatie: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub naam: Option<String>,
    pub kind: PersoonRef,
    pub contact: Contact,
    pub sinds: NaiveDate,
    /// The organisation's 24/7 contact points.
    pub dag_en_nacht: Vec<Bereikbaar>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ZorgmeldingKort {
    pub id: Uuid,
    pub afzender: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ontvanger: Option<String>,
    pub meldingstatus: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taakstatus: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingediend_op: Option<DateTime<Utc>>,
    /// The own statements of the children and parents in it (Jeugdwet art. 7.3.8): always
    /// shown with it, as far as the officer may see them.
    pub eigen_verklaringen: Vec<EigenVerklaringWeergave>,
}

/// A derived flag, with the rule that raised it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Signaal {
    /// `vechtscheiding`, `eenzijdige-verslaglegging`, `ouder-zonder-gezag`,
    /// `gezag-niet-te-bepalen` (gezag unknown: no parent is said to lack it).
    pub code: String,
    pub uitleg: String,
}

/// A candidate of an ambiguous name search.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kandidaat {
    pub persoon: Uuid,
    pub geboortedatum: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gemeente: Option<String>,
    pub geregistreerd_door: String,
    /// Whether a BSN is known for this candidate (the number itself is not shown).
    pub bsn_bekend: bool,
}

/// The answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Briefing {
    pub zoekwijze: Zoekwijze,
    pub gevonden: bool,
    /// The name search matched more than one identity: see `kandidaten`, and search
    /// again with a BSN or address (`MEERDUIDIG_NIET_SAMENVOEGEN`).
    pub meerduidig: bool,
    pub kandidaten: Vec<Kandidaat>,
    /// The persons the search key matched.
    pub personen: Vec<PersoonKort>,
    pub gezinnen: Vec<GezinKort>,
    /// Other persons shown (family members), by id.
    pub gezinsleden: Vec<PersoonKort>,
    pub incidenten: Incidentoverzicht,
    /// Court decisions in force (of any kind).
    pub beschikkingen_in_werking: Vec<BeschikkingKort>,
    /// OTS, voorlopige OTS, UHP, huisverbod and straatverbod in force.
    pub maatregelen_in_werking: Vec<BeschikkingKort>,
    pub gezag: Vec<GezagKort>,
    pub regelingen_in_werking: Vec<RegelingKort>,
    pub betrokken_organisaties: Vec<BetrokkenOrganisatie>,
    pub open_zorgmeldingen: Vec<ZorgmeldingKort>,
    pub signalen: Vec<Signaal>,
    /// The purpose the data were shown for.
    pub doel: Doel,
}

impl Briefing {
    /// A briefing that shows nothing yet.
    pub fn leeg(zoekwijze: Zoekwijze, doel: Doel) -> Self {
        Briefing {
            zoekwijze,
            gevonden: false,
            meerduidig: false,
            kandidaten: vec![],
            personen: vec![],
            gezinnen: vec![],
            gezinsleden: vec![],
            incidenten: Incidentoverzicht {
                laatste12_maanden: 0,
                totaal: 0,
                laatste: None,
                lijst: vec![],
            },
            beschikkingen_in_werking: vec![],
            maatregelen_in_werking: vec![],
            gezag: vec![],
            regelingen_in_werking: vec![],
            betrokken_organisaties: vec![],
            open_zorgmeldingen: vec![],
            signalen: vec![],
            doel,
        }
    }
}
