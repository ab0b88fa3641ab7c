//! The briefing (DOMAIN.md §3 flow 5): before arrival, police (and the OM, case by case)
//! look up a person or an address and get, in one answer, what the partners know: the
//! family, incidents in the last 12 months and in total, court decisions in force with
//! the sterke-arm clause spelled out, gezag holders, arrangements, OTS/UHP/huisverbod, the
//! organisations involved with their named contact and 24/7 number, open zorgmeldingen,
//! and derived flags.
//!
//! How the family is found: the search key (BSN hash, name + date-of-birth hash, or
//! address hash) finds person records of any organisation; their identities
//! (`betrokkene`) lead to every family any organisation recorded them in; the members'
//! identities lead to every other organisation's records on the same people. Nothing is
//! decrypted before the privacy decision.
//!
//! What is shown: the decision is taken per owning organisation, for purpose `briefing`
//! (the OM: `strafrechtelijke-beoordeling`, which agreements grant only with a stated
//! reason). An owner the caller has no agreement with contributes nothing and its
//! existence is not revealed; categories no rule covers are left out; records above the
//! permitted confidentiality level are left out. Each person shown is one
//! processing-log row.
//!
//! `MEERDUIDIG_NIET_SAMENVOEGEN`: a name + date-of-birth search that finds more than one
//! identity returns the candidates (date of birth, municipality, who registered them),
//! never a merged family; the officer narrows the search with a BSN or address.

use crate::beschikkingen::{self, Beschikking, Beschikkingsoort, Werking};
use crate::betrokkenheid::{self, Contact};
use crate::gezag::{self, Gezagsbron, Gezagsvorm};
use crate::gezinnen::{self, Relatie};
use crate::incidenten::{self, IncidentKort, Incidentsoort, Wederhoor};
use crate::personen::{self, Persoon, PersoonRij};
use crate::regelingen::{self, Regelingbron, Regelingsoort};
use crate::{CaseFout, id, identiteit, invoer};
use chrono::{DateTime, Months, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::{
    Actie, Bsn, Doel, Gegevenscategorie as C, OrganisatieSoort, Validatie, Vertrouwelijkheid,
};
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use ketenregie_store::DbConnection;
use ketenregie_store::directory;
use ketenregie_store::schema::{personen as personen_t, zorgmelding_betrokkenen, zorgmeldingen};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;
use uuid::Uuid;

/// At most this many families in one briefing: a search that reaches more is almost
/// certainly a data-quality problem, and the officer needs the nearest ones.
pub const MAX_GEZINNEN: usize = 20;
/// At most this many incidents listed (all are counted).
pub const MAX_INCIDENTEN_IN_LIJST: usize = 50;
/// `VECHTSCHEIDING`: at least this many parental-conflict incidents (failed hand-over,
/// quarrel, threat, removal from gezag) in the last 12 months...
pub const VECHTSCHEIDING_MIN_INCIDENTEN: usize = 3;
// ...or at least one such incident while a court decision on omgang, zorgregeling or
// gezag exists for the family: the parents are fighting over the children in court and at
// the door.

/// The question (`POST /briefings/_zoek`): exactly one of a BSN, name + date of birth, or
/// an address. Personal data travels in the body, never in the URL.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BriefingVraag {
    #[schema(example = "111222333")]
    pub bsn: Option<String>,
    pub voornamen: Option<String>,
    pub achternaam: Option<String>,
    #[schema(format = Date)]
    pub geboortedatum: Option<String>,
    #[schema(example = "2511BT")]
    pub postcode: Option<String>,
    #[schema(example = "70")]
    pub huisnummer: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Zoekvraag {
    Bsn(Bsn),
    Naam {
        voornamen: String,
        achternaam: String,
        geboortedatum: NaiveDate,
    },
    Adres {
        postcode: String,
        huisnummer: String,
    },
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Zoekwijze {
    Bsn,
    NaamGeboortedatum,
    Adres,
}

impl BriefingVraag {
    pub fn valideer(&self, vandaag: NaiveDate) -> Result<Zoekvraag, CaseFout> {
        let mut v = Validatie::new();
        let naam =
            self.voornamen.is_some() || self.achternaam.is_some() || self.geboortedatum.is_some();
        let adres = self.postcode.is_some() || self.huisnummer.is_some();
        let wijzen = [self.bsn.is_some(), naam, adres]
            .iter()
            .filter(|b| **b)
            .count();
        if wijzen != 1 {
            v.fout(
                "bsn",
                "oneOf",
                "zoek met precies één van: `bsn`; `voornamen` + `achternaam` + `geboortedatum`; `postcode` + `huisnummer`",
            );
            return Err(CaseFout::Ongeldig(v.afronden(|| ()).unwrap_err()));
        }
        let vraag = if self.bsn.is_some() {
            v.bsn("bsn", self.bsn.as_deref()).map(Zoekvraag::Bsn)
        } else if naam {
            let vn = v.tekst("voornamen", self.voornamen.as_deref(), 200);
            let an = v.tekst("achternaam", self.achternaam.as_deref(), 200);
            let gd = invoer::verplichte_datum(
                &mut v,
                "geboortedatum",
                self.geboortedatum.as_deref(),
                Some(vandaag),
            );
            match (vn, an, gd) {
                (Some(voornamen), Some(achternaam), Some(geboortedatum)) => Some(Zoekvraag::Naam {
                    voornamen,
                    achternaam,
                    geboortedatum,
                }),
                _ => None,
            }
        } else {
            let pc = match self.postcode.as_deref() {
                None => {
                    v.fout(
                        "postcode",
                        "required",
                        "`postcode` is verplicht bij zoeken op adres",
                    );
                    None
                }
                s => invoer::postcode(&mut v, "postcode", s),
            };
            let hn = v.tekst("huisnummer", self.huisnummer.as_deref(), 20);
            match (pc, hn) {
                (Some(postcode), Some(huisnummer)) => Some(Zoekvraag::Adres {
                    postcode,
                    huisnummer,
                }),
                _ => None,
            }
        };
        v.afronden(|| vraag.expect("valid when no problems"))
            .map_err(CaseFout::Ongeldig)
    }
}

impl Zoekvraag {
    pub fn wijze(&self) -> Zoekwijze {
        match self {
            Zoekvraag::Bsn(_) => Zoekwijze::Bsn,
            Zoekvraag::Naam { .. } => Zoekwijze::NaamGeboortedatum,
            Zoekvraag::Adres { .. } => Zoekwijze::Adres,
        }
    }
}

/// A person as shown in a briefing.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersoonKort {
    pub id: Uuid,
    pub voornamen: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    /// Only where an agreement covers the BSN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bsn: Option<String>,
    /// Only where an agreement covers contact data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adres: Option<personen::Adres>,
    /// The organisation that registered this record.
    pub geregistreerd_door: String,
}

/// A reference to a person: the name only when the caller may see that person.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersoonRef {
    pub id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub naam: Option<String>,
}

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

/// The sterke-arm clause, spelled out for the officer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SterkeArm {
    pub toegestaan: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tekst: Option<String>,
    pub uitleg: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeschikkingKort {
    pub id: Uuid,
    pub soort: Beschikkingsoort,
    pub rechtbank: String,
    pub zaaknummer: String,
    pub datum: NaiveDate,
    pub van: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tot: Option<NaiveDate>,
    pub werking: Werking,
    pub uitvoerbaar_bij_voorraad: bool,
    pub sterke_arm: SterkeArm,
    pub kinderen: Vec<PersoonRef>,
    pub eigenaar: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GezagKort {
    pub kind: PersoonRef,
    pub vorm: Gezagsvorm,
    pub houders: Vec<PersoonRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub houder_instelling: Option<String>,
    pub bron: Gezagsbron,
    pub geverifieerd_op: NaiveDate,
    pub eigenaar: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegelingKort {
    pub id: Uuid,
    pub soort: Regelingsoort,
    pub bron: Regelingbron,
    pub samenvatting: String,
    pub van: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tot: Option<NaiveDate>,
    pub eigenaar: String,
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
}

/// A derived flag, with the rule that raised it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Signaal {
    /// `vechtscheiding`, `eenzijdige-verslaglegging`, `ouder-zonder-gezag`.
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

/// The purpose of a briefing for the caller's organisation: the OM consults for a
/// criminal-law assessment, everyone else for a briefing.
pub fn doel_voor(soort: Option<OrganisatieSoort>) -> Doel {
    if soort == Some(OrganisatieSoort::Om) {
        Doel::StrafrechtelijkeBeoordeling
    } else {
        Doel::Briefing
    }
}

const OPTIONEEL: [C; 6] = [
    C::Bsn,
    C::Contactgegevens,
    C::Gezinssituatie,
    C::GezagEnOmgang,
    C::Politiegegevens,
    C::Hulpverlening,
];

/// The permissions per owning organisation; an owner without one contributes nothing.
struct Toegang {
    per_eigenaar: BTreeMap<String, Option<Toestemming>>,
}

impl Toegang {
    /// Does `eigenaar` contribute anything to this caller at level `niveau` (any category
    /// at all)? An owner that does not contributes nothing, not even a link.
    fn draagt_bij(&self, eigenaar: &str, niveau: Vertrouwelijkheid) -> bool {
        matches!(self.per_eigenaar.get(eigenaar), Some(Some(t)) if niveau <= t.max_vertrouwelijkheid())
    }

    fn mag(&self, eigenaar: &str, c: C, niveau: Vertrouwelijkheid) -> bool {
        matches!(self.per_eigenaar.get(eigenaar), Some(Some(t)) if t.mag_zien(c) && niveau <= t.max_vertrouwelijkheid())
    }
}

fn beslis_per_eigenaar(
    ctx: &Context,
    beslisser: &besluit::Beslisser,
    doel: Doel,
    eigenaren: BTreeSet<String>,
) -> Result<Toegang, CaseFout> {
    let mut per_eigenaar = BTreeMap::new();
    for e in eigenaren {
        let r = beslisser.beslis(
            ctx,
            &Aanvraag {
                actie: Actie::Lezen,
                doel,
                categorieen: vec![C::Identificatie],
                optioneel: OPTIONEEL.to_vec(),
                eigenaren: vec![e.clone()],
                vertrouwelijkheid: Vertrouwelijkheid::Openbaar,
            },
        );
        match r {
            Ok(t) => {
                per_eigenaar.insert(e, Some(t));
            }
            // The OM without a reason: the whole briefing is refused with what to do.
            Err(w) if w.toelichting_vereist => {
                return Err(CaseFout::Domein(w.into()));
            }
            Err(_) => {
                per_eigenaar.insert(e, None);
            }
        }
    }
    Ok(Toegang { per_eigenaar })
}

/// Of families `ids`, those whose owner contributes anything to the caller at the family's
/// level, in their order: only through those does a briefing reach further persons. A
/// family of an owner that grants the caller nothing must not tell it who belongs with
/// whom — not even by naming its own records of the other members (EEN_ORGANISATIE_ZICHT).
fn bijdragende_gezinnen(
    conn: &mut DbConnection,
    ctx: &Context,
    beslisser: &besluit::Beslisser,
    doel: Doel,
    mut ids: Vec<String>,
) -> Result<Vec<String>, CaseFout> {
    if ids.is_empty() {
        return Ok(ids);
    }
    let gezinnen_ = gezinnen::lees_veel(conn, &ids)?;
    let toegang = beslis_per_eigenaar(
        ctx,
        beslisser,
        doel,
        gezinnen_.iter().map(|g| g.eigenaar.clone()).collect(),
    )?;
    let zichtbaar: BTreeSet<String> = gezinnen_
        .iter()
        .filter(|g| toegang.draagt_bij(&g.eigenaar, g.vertrouwelijkheid))
        .map(|g| g.id.to_string())
        .collect();
    ids.retain(|i| zichtbaar.contains(i));
    Ok(ids)
}

fn rijen_waar(
    conn: &mut DbConnection,
    vraag: &Zoekvraag,
    v: &ketenregie_privacy::versleuteling::Versleuteling,
) -> QueryResult<Vec<PersoonRij>> {
    let q = personen_t::table.select(PersoonRij::as_select());
    match vraag {
        Zoekvraag::Bsn(b) => q
            .filter(personen_t::bsn_hash.eq(identiteit::bsn_hash(v, b)))
            .load(conn),
        Zoekvraag::Naam {
            voornamen,
            achternaam,
            geboortedatum,
        } => q
            .filter(personen_t::naam_hash.eq(identiteit::naam_hash(
                v,
                voornamen,
                achternaam,
                *geboortedatum,
            )))
            .load(conn),
        Zoekvraag::Adres {
            postcode,
            huisnummer,
        } => q
            .filter(personen_t::adres_hash.eq(identiteit::adres_hash(v, postcode, huisnummer)))
            .load(conn),
    }
}

fn met_identiteiten(
    conn: &mut DbConnection,
    ids: &BTreeSet<String>,
) -> QueryResult<Vec<PersoonRij>> {
    let ids: Vec<&String> = ids.iter().collect();
    let mut uit = Vec::new();
    for deel in ids.chunks(500) {
        uit.extend(
            personen_t::table
                .filter(personen_t::betrokkene.eq_any(deel))
                .select(PersoonRij::as_select())
                .load(conn)?,
        );
    }
    Ok(uit)
}

fn leeg(wijze: Zoekwijze, doel: Doel) -> Briefing {
    Briefing {
        zoekwijze: wijze,
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

/// Assemble the briefing inside the caller's transaction, with its log rows.
pub fn stel_op(
    conn: &mut DbConnection,
    ctx: &Context,
    vraag: &Zoekvraag,
) -> Result<Briefing, CaseFout> {
    let v = ctx.versleuteling.clone();
    let nu = ctx.nu;
    let vandaag = ketenregie_common::werkdagen::nl_datum(nu);
    let beslisser = besluit::Beslisser::laad(conn, ctx)?;
    let doel = doel_voor(beslisser.soort());
    let wijze = vraag.wijze();
    let briefing_id = ketenregie_common::ids::new_id();
    let mut b = leeg(wijze, doel);

    // 1. The records the key matches, of any organisation. Only those the caller may see
    //    lead anywhere (EEN_ORGANISATIE_ZICHT): a match in a record it may not see makes
    //    no search ambiguous and leads to no family.
    let gevonden = rijen_waar(conn, vraag, &v)?;
    let zoek_toegang = beslis_per_eigenaar(
        ctx,
        &beslisser,
        doel,
        gevonden.iter().map(|r| r.eigenaar.clone()).collect(),
    )?;
    let zoek_identiteiten: BTreeSet<String> = gevonden
        .iter()
        .filter(|r| {
            let niveau = r
                .vertrouwelijkheid
                .parse()
                .unwrap_or(Vertrouwelijkheid::STANDAARD);
            zoek_toegang.mag(&r.eigenaar, C::Identificatie, niveau)
        })
        .map(|r| r.betrokkene.clone())
        .collect();

    // 2. Everything reachable from those identities.
    let mut alle: BTreeMap<String, PersoonRij> = BTreeMap::new();
    let mut gezin_ids: Vec<String> = Vec::new();
    let meerduidig = matches!(vraag, Zoekvraag::Naam { .. }) && zoek_identiteiten.len() > 1;
    if !zoek_identiteiten.is_empty() && !meerduidig {
        // The searched identities' records, their families, the members' identities, and
        // every record of those identities: four queries, whatever the number of owners.
        let eerste = met_identiteiten(conn, &zoek_identiteiten)?;
        let ids: Vec<String> = eerste.iter().map(|r| r.id.clone()).collect();
        gezin_ids = gezinnen::met_personen(conn, &ids)?;
        gezin_ids = bijdragende_gezinnen(conn, ctx, &beslisser, doel, gezin_ids)?;
        gezin_ids.truncate(MAX_GEZINNEN);
        let mut identiteiten = zoek_identiteiten.clone();
        identiteiten.extend(gezinnen::identiteiten_van_leden(conn, &gezin_ids)?);
        for r in met_identiteiten(conn, &identiteiten)? {
            alle.insert(r.id.clone(), r);
        }
        // Families other organisations recorded the same people in.
        let ids: Vec<String> = alle.keys().cloned().collect();
        let andere = gezinnen::met_personen(conn, &ids)?;
        for g in bijdragende_gezinnen(conn, ctx, &beslisser, doel, andere)? {
            if gezin_ids.len() >= MAX_GEZINNEN {
                break;
            }
            if !gezin_ids.contains(&g) {
                gezin_ids.push(g);
            }
        }
    }
    let gezinnen_ = gezinnen::lees_veel(conn, &gezin_ids)?;
    // Members of a family found only in the second step (rare) by their ids.
    let ontbrekend: Vec<String> = gezinnen_
        .iter()
        .flat_map(|g| g.leden.iter().map(|l| l.persoon.to_string()))
        .filter(|p| !alle.contains_key(p))
        .collect();
    if !ontbrekend.is_empty() {
        for r in personen_t::table
            .filter(personen_t::id.eq_any(&ontbrekend))
            .select(PersoonRij::as_select())
            .load::<PersoonRij>(conn)?
        {
            alle.insert(r.id.clone(), r);
        }
    }
    let persoon_ids: Vec<String> = alle.keys().cloned().collect();
    let identiteiten: BTreeSet<String> = alle.values().map(|r| r.betrokkene.clone()).collect();
    let identiteit_lijst: Vec<String> = identiteiten.iter().cloned().collect();
    let gezag_ = gezag::van_kinderen(conn, &persoon_ids)?;
    let beschikkingen_ = beschikkingen::van_gezinnen(conn, &v, &gezin_ids)?;
    let regelingen_ = regelingen::van_gezinnen(conn, &v, &gezin_ids)?;
    let incidenten_ = incidenten::kort_van(conn, &persoon_ids, &gezin_ids)?;
    let betrokkenheden = betrokkenheid::actief_op(conn, &v, &identiteit_lijst, vandaag)?;
    type ZRij = (
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<chrono::NaiveDateTime>,
        String,
    );
    let meldingen: Vec<ZRij> = zorgmeldingen::table
        .filter(
            zorgmeldingen::id.eq_any(
                zorgmelding_betrokkenen::table
                    .filter(zorgmelding_betrokkenen::betrokkene.eq_any(&identiteit_lijst))
                    .select(zorgmelding_betrokkenen::zorgmelding_id),
            ),
        )
        .filter(zorgmeldingen::meldingstatus.eq_any(["ter-controle", "verzonden"]))
        .select((
            zorgmeldingen::id,
            zorgmeldingen::afzender,
            zorgmeldingen::ontvanger,
            zorgmeldingen::meldingstatus,
            zorgmeldingen::taakstatus,
            zorgmeldingen::ingediend_op,
            zorgmeldingen::vertrouwelijkheid,
        ))
        .load(conn)?;
    let meldingen: Vec<ZRij> = meldingen
        .into_iter()
        .filter(|m| {
            !matches!(
                m.4.as_deref(),
                Some("completed" | "cancelled" | "entered-in-error" | "failed" | "rejected")
            )
        })
        .collect();

    // 3. The decision, per owner of anything found (candidates included).
    let mut eigenaren: BTreeSet<String> = gevonden.iter().map(|r| r.eigenaar.clone()).collect();
    eigenaren.extend(alle.values().map(|r| r.eigenaar.clone()));
    eigenaren.extend(gezinnen_.iter().map(|g| g.eigenaar.clone()));
    eigenaren.extend(gezag_.iter().map(|g| g.eigenaar.clone()));
    eigenaren.extend(beschikkingen_.iter().map(|g| g.eigenaar.clone()));
    eigenaren.extend(regelingen_.iter().map(|g| g.eigenaar.clone()));
    eigenaren.extend(incidenten_.iter().map(|g| g.eigenaar.clone()));
    eigenaren.extend(betrokkenheden.iter().map(|g| g.organisatie.clone()));
    eigenaren.extend(meldingen.iter().map(|m| m.1.clone()));
    let toegang = beslis_per_eigenaar(ctx, &beslisser, doel, eigenaren)?;

    // Subjects shown, per owner, for the processing log.
    let mut getoond: BTreeMap<String, BTreeSet<Uuid>> = BTreeMap::new();
    let niveau = |r: &PersoonRij| {
        r.vertrouwelijkheid
            .parse()
            .unwrap_or(Vertrouwelijkheid::STANDAARD)
    };

    // Ambiguous name search: candidates only.
    if meerduidig {
        b.meerduidig = true;
        for r in &gevonden {
            if !toegang.mag(&r.eigenaar, C::Identificatie, niveau(r)) {
                continue;
            }
            let p = r.clone().ontsleutel(&v)?;
            getoond
                .entry(r.eigenaar.clone())
                .or_default()
                .insert(p.betrokkene);
            b.kandidaten.push(Kandidaat {
                persoon: p.id,
                geboortedatum: p.gegevens.geboortedatum,
                gemeente: r.gemeente.clone(),
                geregistreerd_door: p.eigenaar,
                bsn_bekend: r.bsn_hash.is_some(),
            });
        }
        b.gevonden = !b.kandidaten.is_empty();
        log(conn, ctx, &toegang, briefing_id, &getoond)?;
        return Ok(b);
    }

    // 4. Persons the caller may see, decrypted once.
    let mut zichtbaar: BTreeMap<String, Persoon> = BTreeMap::new();
    for r in alle.values() {
        if toegang.mag(&r.eigenaar, C::Identificatie, niveau(r)) {
            let bsn_ok = toegang.mag(&r.eigenaar, C::Bsn, niveau(r));
            let adres_ok = toegang.mag(&r.eigenaar, C::Contactgegevens, niveau(r));
            let mut p = r.clone().ontsleutel(&v)?;
            if !bsn_ok {
                p.gegevens.bsn = None;
            }
            if !adres_ok {
                p.gegevens.adres = None;
            }
            zichtbaar.insert(r.id.clone(), p);
        }
    }
    // A reference by record id; the name comes from any visible record of the same
    // identity, so a GI family's member is named by the police's own record.
    let naam_per_identiteit: BTreeMap<Uuid, String> = zichtbaar
        .values()
        .map(|p| {
            (
                p.betrokkene,
                format!("{} {}", p.gegevens.voornamen, p.gegevens.achternaam),
            )
        })
        .collect();
    let identiteit_van = |pid: &Uuid| alle.get(&pid.to_string()).map(|r| id(&r.betrokkene));
    let pref = |pid: &Uuid| PersoonRef {
        id: *pid,
        naam: identiteit_van(pid).and_then(|i| naam_per_identiteit.get(&i).cloned()),
    };
    let kort = |p: &Persoon| PersoonKort {
        id: p.id,
        voornamen: p.gegevens.voornamen.clone(),
        achternaam: p.gegevens.achternaam.clone(),
        geboortedatum: p.gegevens.geboortedatum,
        bsn: p.gegevens.bsn.clone(),
        adres: p.gegevens.adres.clone(),
        geregistreerd_door: p.eigenaar.clone(),
    };
    // One entry per identity: the caller's own record when it has one (it may show more,
    // such as the BSN), else the first visible one.
    let mut per_identiteit: BTreeMap<Uuid, &Persoon> = BTreeMap::new();
    for p in zichtbaar.values() {
        let e = per_identiteit.entry(p.betrokkene).or_insert(p);
        if p.eigenaar == ctx.actor.organisatie && e.eigenaar != ctx.actor.organisatie {
            *e = p;
        }
    }
    for p in per_identiteit.values() {
        getoond
            .entry(p.eigenaar.clone())
            .or_default()
            .insert(p.betrokkene);
        if zoek_identiteiten.contains(&p.betrokkene.to_string()) {
            b.personen.push(kort(p));
        } else {
            b.gezinsleden.push(kort(p));
        }
    }

    // 5. Families.
    for g in &gezinnen_ {
        if toegang.mag(&g.eigenaar, C::Gezinssituatie, g.vertrouwelijkheid) {
            b.gezinnen.push(GezinKort {
                id: g.id,
                eigenaar: g.eigenaar.clone(),
                kenmerk: g.kenmerk.clone(),
                leden: g
                    .leden
                    .iter()
                    .filter(|l| l.tot.is_none_or(|t| t >= vandaag))
                    .map(|l| GezinslidKort {
                        persoon: pref(&l.persoon),
                        relatie: l.relatie,
                    })
                    .collect(),
            });
        }
    }
    let gezin_niveau: BTreeMap<Uuid, Vertrouwelijkheid> = gezinnen_
        .iter()
        .map(|g| (g.id, g.vertrouwelijkheid))
        .collect();
    let niveau_gezin = |g: &Uuid| {
        gezin_niveau
            .get(g)
            .copied()
            .unwrap_or(Vertrouwelijkheid::STANDAARD)
    };

    // 6. Gezag: the newest verified record per child identity, from what may be seen.
    let mut gezien_kind: BTreeSet<Uuid> = BTreeSet::new();
    for g in &gezag_ {
        let Some(kind_id) = identiteit_van(&g.kind) else {
            continue;
        };
        if !toegang.mag(&g.eigenaar, C::GezagEnOmgang, Vertrouwelijkheid::STANDAARD)
            || !gezien_kind.insert(kind_id)
        {
            continue;
        }
        b.gezag.push(gezag_kort(g, &pref));
    }

    // 7. Decisions and arrangements in force.
    let beschikking_kort = |x: &Beschikking| beschikking_kort(x, vandaag, &pref);
    let zichtbare_beschikkingen: Vec<&Beschikking> = beschikkingen_
        .iter()
        .filter(|x| toegang.mag(&x.eigenaar, C::GezagEnOmgang, niveau_gezin(&x.gezin)))
        .collect();
    for x in &zichtbare_beschikkingen {
        if x.werking(vandaag) == Werking::InWerking {
            let k = beschikking_kort(x);
            if x.soort.is_maatregel() {
                b.maatregelen_in_werking.push(k.clone());
            }
            b.beschikkingen_in_werking.push(k);
        }
    }
    for r in &regelingen_ {
        if r.in_werking(vandaag)
            && toegang.mag(&r.eigenaar, C::GezagEnOmgang, niveau_gezin(&r.gezin))
        {
            b.regelingen_in_werking.push(regeling_kort(r));
        }
    }

    // 8. Incidents.
    let jaar_terug = nu - Months::new(12);
    let zichtbare_incidenten: Vec<&IncidentKort> = incidenten_
        .iter()
        .filter(|i| toegang.mag(&i.eigenaar, C::Politiegegevens, i.vertrouwelijkheid))
        .collect();
    b.incidenten = Incidentoverzicht {
        laatste12_maanden: zichtbare_incidenten
            .iter()
            .filter(|i| i.tijdstip >= jaar_terug)
            .count(),
        totaal: zichtbare_incidenten.len(),
        laatste: zichtbare_incidenten.first().map(|i| i.tijdstip),
        lijst: zichtbare_incidenten
            .iter()
            .take(MAX_INCIDENTEN_IN_LIJST)
            .map(|i| IncidentRegel {
                id: i.id,
                tijdstip: i.tijdstip,
                soort: i.soort,
                eigenaar: i.eigenaar.clone(),
                wederhoor: i.wederhoor,
                eenzijdig: i.eenzijdig(),
            })
            .collect(),
    };

    // 9. Involved organisations, with their 24/7 numbers.
    let mut organisaties_gezien: BTreeSet<(String, Uuid)> = BTreeSet::new();
    let mut organisaties: BTreeMap<String, Option<(Uuid, String, OrganisatieSoort)>> =
        BTreeMap::new();
    for x in &betrokkenheden {
        if !toegang.mag(
            &x.organisatie,
            C::Hulpverlening,
            Vertrouwelijkheid::STANDAARD,
        ) || !organisaties_gezien.insert((x.organisatie.clone(), x.betrokkene))
        {
            continue;
        }
        let org = match organisaties.get(&x.organisatie) {
            Some(o) => o.clone(),
            None => {
                let o = directory::kern_op_code(conn, &x.organisatie)?;
                organisaties.insert(x.organisatie.clone(), o.clone());
                o
            }
        };
        let dag_en_nacht = match &org {
            Some((id, _, _)) => directory::altijd_bereikbaar(conn, *id)?
                .into_iter()
                .map(|c| Bereikbaar {
                    naam: c.naam,
                    telefoon: c.telefoon,
                })
                .collect(),
            None => vec![],
        };
        b.betrokken_organisaties.push(BetrokkenOrganisatie {
            organisatie: x.organisatie.clone(),
            naam: org.map(|o| o.1),
            kind: pref(&x.persoon),
            contact: x.contact.clone(),
            sinds: x.sinds,
            dag_en_nacht,
        });
    }

    // 10. Open zorgmeldingen (their state, not their content).
    for m in &meldingen {
        let niveau = m.6.parse().unwrap_or(Vertrouwelijkheid::STANDAARD);
        if toegang.mag(&m.1, C::Hulpverlening, niveau) {
            b.open_zorgmeldingen.push(ZorgmeldingKort {
                id: id(&m.0),
                afzender: m.1.clone(),
                ontvanger: m.2.clone(),
                meldingstatus: m.3.clone(),
                taakstatus: m.4.clone(),
                ingediend_op: m.5.map(ketenregie_common::time::from_db),
            });
        }
    }

    // 11. Flags.
    b.signalen = signalen(
        &b,
        &zichtbare_incidenten,
        &zichtbare_beschikkingen,
        &gezinnen_,
        &alle,
        jaar_terug,
    );

    // Owners that contributed non-person data log the searched identities.
    let zoek_uuids: Vec<Uuid> = zoek_identiteiten.iter().map(|s| id(s)).collect();
    let mut bijdragers: BTreeSet<String> = BTreeSet::new();
    bijdragers.extend(b.gezinnen.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(b.gezag.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(
        b.beschikkingen_in_werking
            .iter()
            .map(|x| x.eigenaar.clone()),
    );
    bijdragers.extend(b.regelingen_in_werking.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(b.incidenten.lijst.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(
        b.betrokken_organisaties
            .iter()
            .map(|x| x.organisatie.clone()),
    );
    bijdragers.extend(b.open_zorgmeldingen.iter().map(|x| x.afzender.clone()));
    for e in bijdragers {
        let s = getoond.entry(e).or_default();
        if s.is_empty() {
            s.extend(zoek_uuids.iter().copied());
        }
    }
    b.gevonden = !b.personen.is_empty() || !b.gezinnen.is_empty() || b.incidenten.totaal > 0;
    log(conn, ctx, &toegang, briefing_id, &getoond)?;
    Ok(b)
}

/// A reference to `id`, named when it is among the (decrypted, permitted) `personen`.
pub fn persoon_ref(personen: &[Persoon], id: &Uuid) -> PersoonRef {
    PersoonRef {
        id: *id,
        naam: personen.iter().find(|p| p.id == *id).map(Persoon::naam),
    }
}

/// A gezag record as shown.
pub fn gezag_kort(g: &gezag::Gezag, pref: &dyn Fn(&Uuid) -> PersoonRef) -> GezagKort {
    GezagKort {
        kind: pref(&g.kind),
        vorm: g.vorm,
        houders: g.houders.iter().map(pref).collect(),
        houder_instelling: g.houder_instelling.clone(),
        bron: g.bron,
        geverifieerd_op: g.geverifieerd_op,
        eigenaar: g.eigenaar.clone(),
    }
}

/// An arrangement as shown.
pub fn regeling_kort(r: &regelingen::Regeling) -> RegelingKort {
    RegelingKort {
        id: r.id,
        soort: r.soort,
        bron: r.bron,
        samenvatting: r.samenvatting.clone(),
        van: r.van,
        tot: r.tot,
        eigenaar: r.eigenaar.clone(),
    }
}

/// The sterke-arm clause in words an officer can act on.
pub fn sterke_arm(x: &Beschikking) -> SterkeArm {
    SterkeArm {
        toegestaan: x.sterke_arm,
        tekst: x.sterke_arm_tekst.clone(),
        uitleg: if x.sterke_arm {
            "De beschikking staat tenuitvoerlegging met behulp van de sterke arm toe. De politie is niet verplicht te assisteren (sinds 2009) en weegt de veiligheid van het kind.".into()
        } else {
            "Geen sterke-arm-clausule: de politie kan deze beschikking niet met dwang helpen uitvoeren; verwijs naar de civiele weg.".into()
        },
    }
}

/// A decision as shown, with whether it is in force on `dag`.
pub fn beschikking_kort(
    x: &Beschikking,
    dag: NaiveDate,
    pref: &dyn Fn(&Uuid) -> PersoonRef,
) -> BeschikkingKort {
    BeschikkingKort {
        id: x.id,
        soort: x.soort,
        rechtbank: x.rechtbank.clone(),
        zaaknummer: x.zaaknummer.clone(),
        datum: x.datum,
        van: x.van,
        tot: x.effectief_tot(),
        werking: x.werking(dag),
        uitvoerbaar_bij_voorraad: x.uitvoerbaar_bij_voorraad,
        sterke_arm: sterke_arm(x),
        kinderen: x.kinderen.iter().map(pref).collect(),
        eigenaar: x.eigenaar.clone(),
    }
}

/// The derived flags, each rule by name.
fn signalen(
    b: &Briefing,
    incidenten: &[&IncidentKort],
    beschikkingen: &[&Beschikking],
    gezinnen_: &[gezinnen::Gezin],
    alle: &BTreeMap<String, PersoonRij>,
    jaar_terug: DateTime<Utc>,
) -> Vec<Signaal> {
    let mut uit = Vec::new();
    let conflicten = incidenten
        .iter()
        .filter(|i| i.tijdstip >= jaar_terug && i.soort.is_ouderconflict())
        .count();
    let familierecht = beschikkingen.iter().any(|x| {
        matches!(
            x.soort,
            Beschikkingsoort::Omgang | Beschikkingsoort::Zorgregeling | Beschikkingsoort::Gezag
        )
    });
    // `VECHTSCHEIDING`
    if conflicten >= VECHTSCHEIDING_MIN_INCIDENTEN || (familierecht && conflicten >= 1) {
        uit.push(Signaal {
            code: "vechtscheiding".into(),
            uitleg: format!(
                "{conflicten} incident(en) over omgang, overdracht of gezag in de laatste 12 maanden{}: hoor beide ouders en neem geen partij (regel VECHTSCHEIDING)",
                if familierecht { ", en een familierechtelijke beschikking" } else { "" }
            ),
        });
    }
    // `HOOR_EN_WEDERHOOR`
    let eenzijdig = b.incidenten.lijst.iter().filter(|i| i.eenzijdig).count();
    if eenzijdig > 0 {
        uit.push(Signaal {
            code: "eenzijdige-verslaglegging".into(),
            uitleg: format!(
                "{eenzijdig} incident(en) met alleen het verhaal van één ouder, zonder wederhoor (regel HOOR_EN_WEDERHOOR)"
            ),
        });
    }
    // `OUDER_ZONDER_GEZAG`: a parent in a shown family who is not among the holders of a
    // child's (shown) gezag — art. 279 Sr does not apply to them; only the civil route.
    let identiteit = |p: &Uuid| alle.get(&p.to_string()).map(|r| r.betrokkene.clone());
    for g in &b.gezag {
        if matches!(g.vorm, Gezagsvorm::Gezamenlijk) {
            continue;
        }
        let houders: BTreeSet<String> =
            g.houders.iter().filter_map(|h| identiteit(&h.id)).collect();
        let kind = identiteit(&g.kind.id);
        for gezin in gezinnen_ {
            let in_gezin = gezin.kinderen().any(|k| identiteit(&k) == kind);
            if !in_gezin || !b.gezinnen.iter().any(|x| x.id == gezin.id) {
                continue;
            }
            for l in gezin.leden.iter().filter(|l| l.relatie == Relatie::Ouder) {
                if identiteit(&l.persoon).is_some_and(|o| !houders.contains(&o)) {
                    let naam = b
                        .gezinnen
                        .iter()
                        .flat_map(|x| x.leden.iter())
                        .find(|x| x.persoon.id == l.persoon)
                        .and_then(|x| x.persoon.naam.clone())
                        .unwrap_or_else(|| "een ouder".into());
                    let kindnaam = g.kind.naam.clone().unwrap_or_else(|| "het kind".into());
                    let tekst = format!(
                        "{naam} heeft geen gezag over {kindnaam} ({}): meenemen van het kind is voor deze ouder geen onttrekking aan het gezag (art. 279 Sr); alleen de civiele weg (regel OUDER_ZONDER_GEZAG)",
                        g.vorm
                    );
                    if !uit.iter().any(|s: &Signaal| s.uitleg == tekst) {
                        uit.push(Signaal {
                            code: "ouder-zonder-gezag".into(),
                            uitleg: tekst,
                        });
                    }
                }
            }
        }
    }
    uit
}

/// The log rows: one audit row for the search, and per owner that showed anything one
/// processing-log row per person shown, on that owner's legal basis.
fn log(
    conn: &mut DbConnection,
    ctx: &Context,
    toegang: &Toegang,
    briefing: Uuid,
    getoond: &BTreeMap<String, BTreeSet<Uuid>>,
) -> Result<(), CaseFout> {
    let items: Vec<(&Toestemming, Object, Vec<Uuid>)> = getoond
        .iter()
        .filter_map(
            |(eigenaar, subjecten)| match toegang.per_eigenaar.get(eigenaar) {
                Some(Some(t)) => Some((
                    t,
                    Object {
                        soort: "briefings",
                        id: briefing.to_string(),
                        eigenaar: eigenaar.clone(),
                    },
                    subjecten.iter().copied().collect(),
                )),
                _ => None,
            },
        )
        .collect();
    if !items.is_empty() {
        logboek::lezingen(conn, ctx, &items)?;
        return Ok(());
    }
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: Actie::Lezen.to_string(),
            object: Object {
                soort: "briefings",
                id: briefing.to_string(),
                eigenaar: ctx.actor.organisatie.clone(),
            },
            resultaat: 200,
            doorbraak: false,
            grondslag: None,
            oud: None,
            nieuw: None,
        },
    )?;
    Ok(())
}
