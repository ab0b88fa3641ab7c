//! Inzage (DOMAIN.md §3 flow 7; AVG art. 15, Wpg art. 25, Jeugdwet art. 7.3.10): a data
//! subject asks an organisation what it records about them. The answer stays inside that
//! one organisation's view (issue 11 point 3, `INZAGE_EIGEN_ORGANISATIE`):
//!
//! - only for a person the organisation holds data on (a source's record it owns, a
//!   statement it recorded) or received and processed data on through the service (rows
//!   in its own processing log); for any other person the answer is that of an unknown
//!   id. Asked by another organisation's record id, only an organisation that received
//!   that owner's data on the person answers (`AnderRecord` otherwise, even when it holds
//!   records of its own on the same identity: the id must not tell it that the owner
//!   holds a record on that person);
//! - the report holds what the organisation holds (each domain crate contributes its
//!   records through `InzageBron`: `referral`, `feedback` and `case`), each item with its
//!   source organisation by name, its date and its legal basis (`herkomst`; AVG art. 15
//!   lid 1 sub c and g), the statements it recorded or holds, its own processing of the
//!   person's data with who in the organisation did it (the audit trail, linked by trace
//!   id), and to which organisations it disclosed the data (their reads of its records,
//!   linked the same way), every organisation by name and every agreement by its title,
//!   and whom the person contacts (the organisation's contact points);
//! - never another organisation's records, statements or processing;
//! - `INZAGE_ZOALS_EIGEN_LEZING`: an item the organisation holds through another
//!   organisation (a melding or hand-over it received, feedback it received) shows no more
//!   than the organisation's own read of that record: the source takes the read's own
//!   decision (same owner, categories and confidentiality cap) for the purpose the
//!   organisation's relation to the record serves, for the organisation as a whole
//!   (`als_organisatie`: any of its case roles, no break-glass, no reason), and the read's
//!   redaction; what that decision refuses is withheld, and what it allows is logged
//!   like that read (`Lezing`: audit row, processing-log rows and the disclosure row in
//!   the owner's register), in the same transaction as the report;
//! - `KINDERWOORDEN_ALLEEN_AAN_HET_KIND`: what a child said — a statement attributed to
//!   a child in an incident or a zorgmelding, a child's own words in a melding — is shown
//!   only in the report about that child (see the constant).

pub mod herkomst;

use crate::besluit::Toestemming;
use crate::context::Context;
use crate::eigen_verklaring;
use crate::logboek::{self, AuditRij, Object, VerwerkingRij};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::{Actor, Fout, OrganisatieSoort, Rol};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::audittrail;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;
use uuid::Uuid;

/// The rule's name: the words of a child stay out of every report but that child's own
/// (DOMAIN.md §3 flow 7, README "Inzage": "the children's own words never in a parent's
/// report"; AVG art. 15 lid 4: the copy must not harm the rights and freedoms of others,
/// and Wpg art. 27 lid 1 [check] for the police's reports). Every statement attributed to
/// a child is withheld from a report about anyone else — parent, sibling, other adult —
/// whichever organisation answers, the police's own report included: an incident's
/// statement made by a child (`afgelegdDoor: kind`, or by a person the incident names in
/// the role `kind`), a melding's statement made by a child (`rol: kind`, or by a child the
/// melding names), a child's `eigenWoorden` in a melding. The item says how many and why
/// (`kinderwoorden_achtergehouden`). In the report about the child the child's own
/// statements are shown (they are the child's own data, AVG art. 15; Wpg art. 25), a
/// statement that cannot be tied to that child (a child's statement naming no person) is
/// withheld there as well. Who may receive a child's report (under 12 the parents with
/// gezag, 12 to 15 the child and the parents, from 16 the child alone, except where safety
/// is at stake: DOMAIN.md §4 "Consent ages") is the privacy officer's check when
/// handing it out, as for every report. A child's eigen verklaring is already only in
/// the child's own report (`eigen_verklaring::van_betrokkene`). Free text (an incident's
/// summary, a melding's description) is not attributed to anyone and is not searched.
pub const KINDERWOORDEN_ALLEEN_AAN_HET_KIND: &str = "KINDERWOORDEN_ALLEEN_AAN_HET_KIND";

/// The `achtergehouden` line of an item from which `aantal` statements or words of a
/// child were withheld (`KINDERWOORDEN_ALLEEN_AAN_HET_KIND`).
pub fn kinderwoorden_achtergehouden(aantal: usize) -> String {
    format!(
        "Wat de kinderen zelf zeiden ({aantal}): dat zijn gegevens van het kind, niet van u; het staat alleen in het overzicht over dat kind (regel {KINDERWOORDEN_ALLEEN_AAN_HET_KIND}; AVG artikel 15 lid 4, Wpg artikel 27)"
    )
}

/// One record from a source, already redacted for the requester (DOMAIN.md §3 flow 7:
/// per item where it came from, when, and on which legal basis).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageOnderdeel {
    /// The kind of record, e.g. "persoon", "incident", "zorgmelding", "terugkoppeling".
    pub soort: String,
    pub id: String,
    /// The organisation that holds it and answers for it in this report: always the
    /// asking organisation (`stel_op` drops anything else).
    pub eigenaar: String,
    /// Where it came from: the organisation that recorded it, or for a received melding,
    /// hand-over or feedback the one that sent it (its code).
    pub bron: String,
    /// The source organisation's name in the partner register (filled in by `stel_op`).
    pub bron_naam: String,
    /// When it was recorded, or received.
    pub vastgelegd_op: DateTime<Utc>,
    /// The legal basis on which the organisation holds it: its own task under its regime
    /// (`herkomst::grondslag_eigen`), or the basis it received the record on.
    pub grondslag: String,
    /// The record as the subject may see it.
    #[schema(value_type = Object)]
    pub gegevens: serde_json::Value,
    /// What was withheld and why (e.g. the reporter's identity, police-only fields).
    pub achtergehouden: Vec<String>,
}

/// A source's contribution to a report: its items, and the reads of other organisations'
/// records that showing them is (`INZAGE_ZOALS_EIGEN_LEZING`), logged when the report is
/// handed out.
#[derive(Debug, Clone, Default)]
pub struct Bijdrage {
    pub onderdelen: Vec<InzageOnderdeel>,
    pub lezingen: Vec<Lezing>,
}

/// A read of another organisation's record by the organisation, as its own read of it
/// would log it (`logboek::lezingen`): the decision, the record and its data subjects.
#[derive(Debug, Clone)]
pub struct Lezing {
    pub toestemming: Toestemming,
    pub object: Object,
    pub betrokkenen: Vec<Uuid>,
}

/// The context in which a source takes the decision of the organisation's own read of a
/// record it holds through another organisation (`INZAGE_ZOALS_EIGEN_LEZING`): the
/// privacy officer answers for what the organisation holds, so the decision is taken for
/// the organisation with every case role (not the platform's, steering group's or
/// functional admin's), without break-glass and without a reason: what any of its
/// employees' ordinary reads of the record may show, never more.
pub fn als_organisatie(ctx: &Context) -> Context {
    use strum::VariantArray;
    let mut c = ctx.clone();
    c.actor.rollen = Rol::VARIANTS
        .iter()
        .copied()
        .filter(|r| {
            !matches!(
                r,
                Rol::Platformbeheerder | Rol::Stuurgroep | Rol::FunctioneelBeheerder
            )
        })
        .collect();
    c.doorbraak = false;
    c.toelichting = None;
    c
}

/// The outcome of such a decision for a source: the permission, `None` when a rule refuses
/// (the item is then shown without its content), any other failure as it is.
pub fn toegestaan<T>(uitkomst: Result<T, Fout>) -> Result<Option<T>, Fout> {
    match uitkomst {
        Ok(t) => Ok(Some(t)),
        Err(f)
            if f.is_weigering()
                || matches!(f, Fout::GeenToegang { .. } | Fout::Verborgen { .. }) =>
        {
            Ok(None)
        }
        Err(f) => Err(f),
    }
}

/// A domain crate's contribution to an inzage report.
pub trait InzageBron: Send + Sync {
    /// What organisation `aanvrager.organisatie` (of kind `soort`) holds on `persoon` in
    /// this source — its own records only — redacted for the data subject: police-only
    /// fields are withheld from a non-police requester, and a reporter's identity where
    /// the law protects it. (`stel_op` drops anything owned by another organisation.) A
    /// source that also shows records the organisation holds through another organisation
    /// implements `bijdrage` instead.
    fn verzamel(
        &self,
        _conn: &mut DbConnection,
        _persoon: Uuid,
        _aanvrager: &Actor,
        _soort: Option<OrganisatieSoort>,
    ) -> QueryResult<Vec<InzageOnderdeel>> {
        Ok(vec![])
    }

    /// `verzamel`, for a source that shows records the organisation holds through another
    /// organisation (a melding or hand-over it received, feedback it received): each no
    /// more than the organisation's own read of it shows (`INZAGE_ZOALS_EIGEN_LEZING`: the
    /// read's decision in the context `als_organisatie(ctx)` gives, and its redaction), and
    /// each such read returned in `lezingen` to be logged as that read is.
    fn bijdrage(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        persoon: Uuid,
        soort: Option<OrganisatieSoort>,
    ) -> Result<Bijdrage, Fout> {
        Ok(Bijdrage {
            onderdelen: self.verzamel(conn, persoon, &ctx.actor, soort)?,
            lezingen: vec![],
        })
    }

    /// The data subject's identity in the processing log, when `persoon` is a record id
    /// of this source that stands for an identity (the case registry logs persons by
    /// identity, so one person recorded by two organisations is one subject).
    fn identiteit(&self, _conn: &mut DbConnection, _persoon: Uuid) -> QueryResult<Option<Uuid>> {
        Ok(None)
    }

    /// The organisation that owns record `persoon`, when `persoon` is a record id of this
    /// source (not an identity): `stel_op` answers another organisation's record only to
    /// an organisation that received its data through the service.
    fn eigenaar(&self, _conn: &mut DbConnection, _persoon: Uuid) -> QueryResult<Option<String>> {
        Ok(None)
    }

    /// The person's name as organisation `aanvrager.organisatie` records it in this source
    /// (for the heading of the report), when it holds a record that names them.
    fn naam(
        &self,
        _conn: &mut DbConnection,
        _persoon: Uuid,
        _aanvrager: &Actor,
    ) -> QueryResult<Option<String>> {
        Ok(None)
    }

    /// `naam`, for a source that takes the name from records the organisation holds through
    /// another organisation: only from one whose read may show it
    /// (`INZAGE_ZOALS_EIGEN_LEZING`).
    fn naam_voor(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        persoon: Uuid,
    ) -> Result<Option<String>, Fout> {
        Ok(self.naam(conn, persoon, &ctx.actor)?)
    }
}

/// One processing of the subject's data by the organisation, as shown to them.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageVerwerking {
    pub organisatie: String,
    /// The organisation's name in the partner register.
    pub organisatie_naam: String,
    /// The purpose of the processing.
    pub doel: String,
    pub grondslag: String,
    pub tijdstip: DateTime<Utc>,
    pub doorbraak: bool,
    /// Who in the organisation processed it: the display names in its audit trail for
    /// this processing (empty for the service's own jobs, such as retention).
    pub verwerkt_door: Vec<String>,
}

/// A disclosure: another organisation received the organisation's data on the person
/// through the service (it read a record of the organisation under an agreement).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageVerstrekking {
    /// The receiving organisation's code.
    pub aan: String,
    /// Its name in the partner register.
    pub aan_naam: String,
    /// The purpose it received the data for.
    pub doel: String,
    /// The legal basis, with agreement id and version.
    pub grondslag: String,
    pub tijdstip: DateTime<Utc>,
}

/// A statement the person added.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageVerklaring {
    pub id: Uuid,
    pub bij: String,
    pub tekst: String,
    pub vastgelegd_door: String,
    /// The recording organisation's name in the partner register.
    pub vastgelegd_door_naam: String,
    pub aangemaakt_op: DateTime<Utc>,
}

/// The report handed to the data subject: one organisation's view.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageRapport {
    pub persoon: Uuid,
    /// The person's name as the organisation records it, when one of its records names
    /// them.
    pub naam: Option<String>,
    pub opgesteld_door: String,
    /// The organisation's name in the partner register.
    pub opgesteld_door_naam: String,
    pub opgesteld_op: DateTime<Utc>,
    /// Whom the person contacts at the organisation about this report (its contact points
    /// in the partner register: the privacy contact, else its daily contact or its
    /// meldingen desk).
    pub contactpunten: Vec<herkomst::InzageContactpunt>,
    /// What the organisation holds on the person.
    pub gegevens: Vec<InzageOnderdeel>,
    /// The person's own statements the organisation recorded or holds with its records.
    pub eigen_verklaringen: Vec<InzageVerklaring>,
    /// The organisation's own processing of the person's data, oldest first.
    pub verwerkingen: Vec<InzageVerwerking>,
    /// To which organisations it disclosed the person's data, oldest first.
    pub verstrekkingen: Vec<InzageVerstrekking>,
}

/// The outcome of an inzage request (`INZAGE_EIGEN_ORGANISATIE`).
#[derive(Debug, Clone)]
pub enum Inzage {
    /// The organisation holds or received data on the person: its report, and the reads of
    /// other organisations' records showing it is (`INZAGE_ZOALS_EIGEN_LEZING`), to log.
    Rapport(Box<InzageRapport>, Vec<Lezing>),
    /// The person is known to the service, but the organisation neither holds nor
    /// received anything on them: answered as `Onbekend`, recorded as a refusal.
    BuitenZicht,
    /// The id is a record of this other organisation, whose data on the person the
    /// organisation never received through the service: answered as `Onbekend`, recorded
    /// as a refusal in the owner's audit trail — even when the organisation holds records
    /// of its own on the same identity (else the id would tell it that the owner holds a
    /// record on that person: `EEN_ORGANISATIE_ZICHT`).
    AnderRecord(String),
    /// Nothing at all is known under this id.
    Onbekend,
}

/// The audit rows of these traces.
fn audit_van_traces(conn: &mut DbConnection, traces: &[String]) -> QueryResult<Vec<AuditRij>> {
    let mut uit = Vec::new();
    for deel in traces.chunks(500) {
        uit.extend(
            audittrail::table
                .filter(audittrail::trace_id.eq_any(deel))
                .select(AuditRij::as_select())
                .load(conn)?,
        );
    }
    Ok(uit)
}

/// Did `organisatie` receive data of `eigenaar` on a subject (one of its `pseudoniemen`)
/// through the service: a processing of the subject by `organisatie` in a request in which
/// it was allowed to read a record of `eigenaar` (the same link as a disclosure in the
/// owner's report)?
pub fn ontving_van(
    conn: &mut DbConnection,
    organisatie: &str,
    eigenaar: &str,
    pseudoniemen: &[String],
) -> QueryResult<bool> {
    use ketenregie_store::schema::verwerkingslog;
    let traces: Vec<String> = verwerkingslog::table
        .filter(verwerkingslog::betrokkene.eq_any(pseudoniemen))
        .filter(verwerkingslog::organisatie.eq(organisatie))
        .select(verwerkingslog::trace_id)
        .distinct()
        .load(conn)?;
    for deel in traces.chunks(500) {
        let n: i64 = audittrail::table
            .filter(audittrail::trace_id.eq_any(deel))
            .filter(audittrail::organisatie.eq(organisatie))
            .filter(audittrail::eigenaar.eq(eigenaar))
            .filter(audittrail::resultaat.between(200, 299))
            .count()
            .get_result(conn)?;
        if n > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// May organisation `ctx.actor.organisatie` know person record `record` — answer for it
/// as the person it stands for — under `EEN_ORGANISATIE_ZICHT`? Yes for an id that is no
/// person record (an identity, or unknown: answered as such), for its own record, and for
/// another organisation's record it received: a disclosure of that record to it, an
/// allowed read of it in its audit trail, its own processing of the subject under that
/// record's id, or its processing of the subject in a request in which it read a record of
/// that owner (`ontving_van`, as the inzage report asks). Any other record must be
/// answered exactly as an unknown id: else the id would tell the organisation whether a
/// foreign record is the same person it knows.
pub fn record_in_zicht(conn: &mut DbConnection, ctx: &Context, record: Uuid) -> QueryResult<bool> {
    use ketenregie_store::schema::{personen, verstrekkingen, verwerkingslog};
    let org = ctx.actor.organisatie.as_str();
    let rij: Option<(String, String)> = personen::table
        .find(record.to_string())
        .select((personen::eigenaar, personen::betrokkene))
        .first(conn)
        .optional()?;
    let Some((eigenaar, identiteit)) = rij else {
        return Ok(true);
    };
    if eigenaar == org {
        return Ok(true);
    }
    let id = record.to_string();
    let verstrekt: i64 = verstrekkingen::table
        .filter(verstrekkingen::ontvanger.eq(org))
        .filter(verstrekkingen::object_type.eq("personen"))
        .filter(verstrekkingen::object_id.eq(&id))
        .count()
        .get_result(conn)?;
    if verstrekt > 0 {
        return Ok(true);
    }
    let gelezen: i64 = audittrail::table
        .filter(audittrail::organisatie.eq(org))
        .filter(audittrail::object_type.eq("personen"))
        .filter(audittrail::object_id.eq(&id))
        .filter(audittrail::resultaat.between(200, 299))
        .count()
        .get_result(conn)?;
    if gelezen > 0 {
        return Ok(true);
    }
    let onder_record = ctx.pseudoniemen.van(record);
    let verwerkt: i64 = verwerkingslog::table
        .filter(verwerkingslog::organisatie.eq(org))
        .filter(verwerkingslog::betrokkene.eq(&onder_record))
        .count()
        .get_result(conn)?;
    if verwerkt > 0 {
        return Ok(true);
    }
    let mut pseudoniemen = vec![onder_record];
    if let Ok(i) = identiteit.parse::<Uuid>() {
        pseudoniemen.push(ctx.pseudoniemen.van(i));
    }
    ontving_van(conn, org, &eigenaar, &pseudoniemen)
}

/// `herkomst::in_woorden`, each distinct text looked up once.
fn grondslag_in_woorden(
    conn: &mut DbConnection,
    gezien: &mut BTreeMap<String, String>,
    grondslag: &str,
) -> QueryResult<String> {
    if let Some(w) = gezien.get(grondslag) {
        return Ok(w.clone());
    }
    let w = herkomst::in_woorden(conn, grondslag)?;
    gezien.insert(grondslag.to_string(), w.clone());
    Ok(w)
}

/// Assemble the report for the organisation of `ctx`'s actor (of kind `soort`), or say
/// why there is none. `ctx` gives the actor, the clock, the pseudonyms of the processing
/// log and the key of the statements.
pub fn stel_op(
    conn: &mut DbConnection,
    ctx: &Context,
    soort: Option<OrganisatieSoort>,
    persoon: Uuid,
    bronnen: &[std::sync::Arc<dyn InzageBron>],
) -> Result<Inzage, Fout> {
    let (actor, nu) = (&ctx.actor, ctx.nu);
    let (pseudoniemen, versleuteling) = (&ctx.pseudoniemen, &ctx.versleuteling);
    let org = actor.organisatie.as_str();
    let mut bekend = false;
    let mut gegevens = Vec::new();
    let mut namen = herkomst::Namen::default();
    let mut lezingen: Vec<Lezing> = Vec::new();
    for b in bronnen {
        let Bijdrage {
            onderdelen: items,
            lezingen: gelezen,
        } = b.bijdrage(conn, ctx, persoon, soort)?;
        bekend |= !items.is_empty();
        lezingen.extend(gelezen);
        for mut i in items.into_iter().filter(|i| i.eigenaar == org) {
            i.bron_naam = namen.van(conn, &i.bron)?;
            i.grondslag = herkomst::in_woorden(conn, &i.grondslag)?;
            gegevens.push(i);
        }
    }
    gegevens.sort_by(|a, b| {
        a.vastgelegd_op
            .cmp(&b.vastgelegd_op)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut subject = None;
    for b in bronnen {
        if let Some(i) = b.identiteit(conn, persoon)? {
            subject = Some(i);
            break;
        }
    }
    bekend |= subject.is_some();
    let mut ids = vec![persoon];
    ids.extend(subject.filter(|s| *s != persoon));

    // A record of another organisation: only for an organisation that received that
    // owner's data on the person; it asks about the person by its own record otherwise.
    for b in bronnen {
        if let Some(eigenaar) = b.eigenaar(conn, persoon)? {
            let pseudoniemen: Vec<String> = ids.iter().map(|i| pseudoniemen.van(*i)).collect();
            if eigenaar != org && !ontving_van(conn, org, &eigenaar, &pseudoniemen)? {
                return Ok(Inzage::AnderRecord(eigenaar));
            }
            break;
        }
    }

    let mut verklaringen: BTreeMap<Uuid, InzageVerklaring> = BTreeMap::new();
    for i in &ids {
        for v in eigen_verklaring::van_betrokkene(conn, versleuteling, *i)? {
            bekend = true;
            if v.vastgelegd_door == org || v.eigenaar == org {
                let vastgelegd_door_naam = namen.van(conn, &v.vastgelegd_door)?;
                verklaringen.insert(
                    v.id,
                    InzageVerklaring {
                        id: v.id,
                        bij: format!("{}/{}", v.object_type, v.object_id),
                        tekst: v.tekst,
                        vastgelegd_door: v.vastgelegd_door,
                        vastgelegd_door_naam,
                        aangemaakt_op: v.aangemaakt_op,
                    },
                );
            }
        }
    }

    let mut rijen: Vec<VerwerkingRij> = Vec::new();
    for i in &ids {
        rijen.extend(logboek::verwerkingen_van_betrokkene(
            conn,
            &pseudoniemen.van(*i),
        )?);
    }
    bekend |= !rijen.is_empty();
    let (eigen, anderen): (Vec<VerwerkingRij>, Vec<VerwerkingRij>) =
        rijen.into_iter().partition(|r| r.organisatie == org);

    if gegevens.is_empty() && verklaringen.is_empty() && eigen.is_empty() {
        return Ok(if bekend {
            Inzage::BuitenZicht
        } else {
            Inzage::Onbekend
        });
    }

    let traces: Vec<String> = eigen
        .iter()
        .chain(anderen.iter())
        .map(|r| r.trace_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let audit = audit_van_traces(conn, &traces)?;

    // Who in the organisation processed it: its own audit rows of the same request.
    let mut door: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for a in audit.iter().filter(|a| a.organisatie == org) {
        door.entry(a.trace_id.as_str())
            .or_default()
            .insert(a.gebruiker_naam.clone());
    }
    let mut grondslagen = BTreeMap::new();
    let mut verwerkingen: Vec<InzageVerwerking> = Vec::with_capacity(eigen.len());
    for r in &eigen {
        verwerkingen.push(InzageVerwerking {
            organisatie: r.organisatie.clone(),
            organisatie_naam: namen.van(conn, &r.organisatie)?,
            doel: r.activiteit.clone(),
            grondslag: grondslag_in_woorden(conn, &mut grondslagen, &r.grondslag)?,
            tijdstip: ketenregie_common::time::from_db(r.start_op),
            doorbraak: r.doorbraak,
            verwerkt_door: door
                .get(r.trace_id.as_str())
                .map(|d| d.iter().cloned().collect())
                .unwrap_or_default(),
        });
    }
    verwerkingen.sort_by_key(|v| v.tijdstip);

    // Disclosures: another organisation's processing of the person in a request in which
    // it read a record of this organisation on the same legal basis.
    let mut gezien = BTreeSet::new();
    let mut verstrekkingen: Vec<InzageVerstrekking> = Vec::new();
    for r in anderen
        .iter()
        .filter(|r| {
            audit.iter().any(|a| {
                a.trace_id == r.trace_id
                    && a.organisatie == r.organisatie
                    && a.eigenaar == org
                    && (200..300).contains(&a.resultaat)
                    && a.grondslag.as_deref() == Some(r.grondslag.as_str())
            })
        })
        .filter(|r| gezien.insert((r.trace_id.clone(), r.grondslag.clone())))
    {
        verstrekkingen.push(InzageVerstrekking {
            aan: r.organisatie.clone(),
            aan_naam: namen.van(conn, &r.organisatie)?,
            doel: r.activiteit.clone(),
            grondslag: grondslag_in_woorden(conn, &mut grondslagen, &r.grondslag)?,
            tijdstip: ketenregie_common::time::from_db(r.start_op),
        });
    }
    verstrekkingen.sort_by_key(|v| v.tijdstip);

    let mut naam = None;
    for b in bronnen {
        if let Some(n) = b.naam_voor(conn, ctx, persoon)? {
            naam = Some(n);
            break;
        }
    }

    // Each record read once, however many items show it, with the subjects of every item
    // that showed it (`LOG_ALLEEN_WAT_GETOOND`).
    let mut gelezen: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    let mut samen: Vec<Lezing> = Vec::new();
    for l in lezingen {
        match gelezen.get(&(l.object.soort, l.object.id.clone())) {
            Some(&i) => {
                let b = &mut samen[i].betrokkenen;
                b.extend(l.betrokkenen);
                b.sort();
                b.dedup();
            }
            None => {
                gelezen.insert((l.object.soort, l.object.id.clone()), samen.len());
                samen.push(l);
            }
        }
    }
    let lezingen = samen;

    Ok(Inzage::Rapport(
        Box::new(InzageRapport {
            persoon,
            naam,
            opgesteld_door: actor.organisatie.clone(),
            opgesteld_door_naam: namen.van(conn, org)?,
            opgesteld_op: nu,
            contactpunten: herkomst::contactpunten(conn, org)?,
            gegevens,
            eigen_verklaringen: verklaringen.into_values().collect(),
            verwerkingen,
            verstrekkingen,
        }),
        lezingen,
    ))
}
