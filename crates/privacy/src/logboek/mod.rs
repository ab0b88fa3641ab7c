//! The two logs (DESIGN.md §6), written in the caller's transaction:
//!
//! - the **audit trail**: per main object, who (user id and display name), organisation,
//!   client application, action, result, reason, old and new values; denied attempts too.
//! - the **processing log** ("Logboek dataverwerkingen"): one row per processing and per
//!   data subject, with trace and span ids, the processing activity (purpose), the legal
//!   basis and agreement version, the pseudonymised subject, result and times; no user.
//!
//! Both are append-only (no update or delete path here; triggers refuse one, on both
//! backends, except the sealer's one update of an unsealed row) and hash-chained (`keten`).
//! A change's rows are appended unsealed and without a chain-head lock; `verzegelaar` links
//! them into their chain after commit (issue 17 point 2). A read's rows are collected in
//! read mode and committed by the instance's log writer, many reads in one commit
//! (`schrijver`, issue 17 point 1), sealed as they are inserted (`batchzegel`). `verifieer` (module `verificatie`) walks every chain and checks it against
//! its head; retention removes processing-log rows only as a chain prefix and leaves a
//! checkpoint row (`bewaar_keten`).
//!
//! `AUDIT_VERSLEUTELD` (issue 11 point 5): the stated reason (`X-Audit-Toelichting`,
//! which users fill with case details) and the old and new values of every audit row are
//! stored AES-GCM encrypted, whatever the object kind: this module cannot know what a
//! caller puts in them, and one rule is easier to keep than a list of kinds. The chain
//! hashes the stored ciphertext, not the plain text, so `verifieer` (and
//! `ketenregie audit verify`) needs no key: whoever checks that nothing was altered,
//! removed or inserted need not be able to read the content, and an altered ciphertext
//! breaks the chain like any other altered column. Rows written before this rule keep
//! their plain text (their hash covers it; rewriting them would break the chain they
//! prove); readers accept both (`AuditRij::ontsleuteld`).
//!
//! Split along its seams: writing is this module, reading back is `lezen`, the
//! processing log's retention as a chain prefix is `bewaring`, and the chain verification
//! is `crate::verificatie` (all re-exported here, so `logboek::X` names every item).

use crate::besluit::{Toestemming, Weigering};
use crate::context::Context;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_common::{Actie, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{audittrail, verwerkingslog};
use serde::Serialize;
use uuid::Uuid;

/// The hashed content of an audit row (`AuditInhoud` as canonical JSON) from any value
/// with the audit trail's columns as fields: the row read back (`AuditRij`, which the
/// verification and the sealer hash) and the row about to be inserted (`AuditInvoeg`, which
/// the log writer seals at insert). One macro, so both hash the same fields the same way.
macro_rules! audit_inhoud {
    ($r:expr) => {{
        let r = $r;
        serde_json::to_string(&AuditInhoud {
            id: &r.id,
            keten: &r.keten,
            volgnummer: r.volgnummer,
            tijdstip: tijd(r.tijdstip),
            trace_id: &r.trace_id,
            gebruiker: &r.gebruiker,
            gebruiker_naam: &r.gebruiker_naam,
            organisatie: &r.organisatie,
            applicatie: &r.applicatie,
            actie: &r.actie,
            object_type: &r.object_type,
            object_id: &r.object_id,
            eigenaar: &r.eigenaar,
            resultaat: r.resultaat,
            toelichting: r.toelichting.as_deref(),
            doorbraak: r.doorbraak,
            grondslag: r.grondslag.as_deref(),
            oude_waarde: r.oude_waarde.as_deref(),
            nieuwe_waarde: r.nieuwe_waarde.as_deref(),
        })
        .expect("serialises")
    }};
}

/// The hashed content of a processing-log row (`VerwerkingInhoud` as canonical JSON), as
/// `audit_inhoud!` for the processing log (`VerwerkingRij`, `VerwerkingInvoeg`).
macro_rules! verwerking_inhoud {
    ($r:expr) => {{
        let r = $r;
        serde_json::to_string(&VerwerkingInhoud {
            id: &r.id,
            keten: &r.keten,
            volgnummer: r.volgnummer,
            trace_id: &r.trace_id,
            span_id: &r.span_id,
            parent_span_id: r.parent_span_id.as_deref(),
            organisatie: &r.organisatie,
            activiteit: &r.activiteit,
            grondslag: &r.grondslag,
            convenant_id: r.convenant_id.as_deref(),
            convenant_versie: r.convenant_versie,
            betrokkene: &r.betrokkene,
            resultaat: &r.resultaat,
            doorbraak: r.doorbraak,
            start_op: tijd(r.start_op),
            eind_op: tijd(r.eind_op),
        })
        .expect("serialises")
    }};
}

mod batchzegel;
mod bewaring;
pub mod bundel;
pub(crate) mod kolommen;
mod lezen;
pub mod schrijver;
pub mod verzegelaar;

pub use crate::verificatie::{Breuk, Verificatie, verifieer};
pub use bewaring::*;
pub use bundel::Bundel;
pub use lezen::*;
pub use schrijver::{Groepslog, Logfout, Logrijen, Logschrijver};

/// The object an audit row is about.
#[derive(Debug, Clone)]
pub struct Object {
    /// The resource name, e.g. "convenanten", "personen".
    pub soort: &'static str,
    pub id: String,
    /// Code of the owning organisation (whose audit chain the row joins).
    pub eigenaar: String,
}

fn tijd(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The hashed content of an audit row: every column but `hash`, in a fixed order.
#[derive(Serialize)]
struct AuditInhoud<'a> {
    id: &'a str,
    keten: &'a str,
    volgnummer: i64,
    tijdstip: String,
    trace_id: &'a str,
    gebruiker: &'a str,
    gebruiker_naam: &'a str,
    organisatie: &'a str,
    applicatie: &'a str,
    actie: &'a str,
    object_type: &'a str,
    object_id: &'a str,
    eigenaar: &'a str,
    resultaat: i32,
    toelichting: Option<&'a str>,
    doorbraak: bool,
    grondslag: Option<&'a str>,
    oude_waarde: Option<&'a str>,
    nieuwe_waarde: Option<&'a str>,
}

/// One audit row to write.
#[derive(Debug, Clone)]
pub struct AuditRegel {
    pub actie: String,
    pub object: Object,
    pub resultaat: u16,
    pub doorbraak: bool,
    pub grondslag: Option<String>,
    pub oud: Option<serde_json::Value>,
    pub nieuw: Option<serde_json::Value>,
}

impl AuditRegel {
    /// A row for `actie` on `object` with status `resultaat`: no break-glass, no stated
    /// basis, no old or new values (set them with `waarden`, `grondslag`).
    pub fn nieuw(actie: &str, object: Object, resultaat: u16) -> Self {
        Self {
            actie: actie.into(),
            object,
            resultaat,
            doorbraak: false,
            grondslag: None,
            oud: None,
            nieuw: None,
        }
    }

    /// With the old and the new value (`None`: none, as for an addition or a removal).
    pub fn waarden(self, oud: Option<serde_json::Value>, nieuw: Option<serde_json::Value>) -> Self {
        Self { oud, nieuw, ..self }
    }

    /// With the stated basis.
    pub fn grondslag(self, grondslag: impl Into<String>) -> Self {
        Self {
            grondslag: Some(grondslag.into()),
            ..self
        }
    }
}

/// One audit row as inserted: unsealed (`volgnummer` 0, empty hashes) until the sealer
/// links it (`verzegelaar`), or, a read's row in the log writer, sealed at insert
/// (`batchzegel`).
#[derive(Debug, Clone, Insertable)]
// `None` is NULL, not DEFAULT (no column of the table has a default, so the same row):
// with a DEFAULT in any row diesel inserts a SQLite batch row by row, each in a savepoint
// of its own, instead of one multi-row statement (issue 17, h18).
#[diesel(table_name = audittrail, treat_none_as_default_value = false)]
pub struct AuditInvoeg {
    id: String,
    keten: String,
    volgnummer: i64,
    vorige_hash: String,
    hash: String,
    tijdstip: NaiveDateTime,
    trace_id: String,
    gebruiker: String,
    gebruiker_naam: String,
    organisatie: String,
    applicatie: String,
    actie: String,
    object_type: String,
    object_id: String,
    eigenaar: String,
    resultaat: i32,
    toelichting: Option<String>,
    doorbraak: bool,
    grondslag: Option<String>,
    oude_waarde: Option<String>,
    nieuwe_waarde: Option<String>,
}

impl AuditInvoeg {
    /// The hashed content, as `AuditRij::inhoud` computes it once the row is stored.
    fn inhoud(&self) -> String {
        audit_inhoud!(self)
    }
}

/// Append one row to the audit trail of `regel.object.eigenaar` (its chain: the owner's
/// code). The row is appended unsealed, without a chain-head lock; the sealer links it
/// shortly after commit (issue 17 point 2). In read mode (`Context::groepslog`) the row is
/// collected for the instance's log writer instead (issue 17 point 1); otherwise it is
/// written now, in the caller's transaction.
pub fn audit(conn: &mut DbConnection, ctx: &Context, regel: &AuditRegel) -> QueryResult<()> {
    let rij = audit_rij(ctx, regel);
    match ctx.groepslog.audit(rij) {
        None => Ok(()),
        Some(rij) => kolommen::voeg_in(conn, std::slice::from_ref(&rij)),
    }
}

fn audit_rij(ctx: &Context, regel: &AuditRegel) -> AuditInvoeg {
    // AUDIT_VERSLEUTELD: stored, and hashed, as ciphertext.
    let v = &ctx.versleuteling;
    AuditInvoeg {
        id: ids::new_id().to_string(),
        keten: regel.object.eigenaar.clone(),
        volgnummer: 0,
        vorige_hash: String::new(),
        hash: String::new(),
        tijdstip: to_db(ctx.nu),
        trace_id: ctx.trace_id.clone(),
        gebruiker: ctx.actor.gebruiker.clone(),
        gebruiker_naam: ctx.actor.weergavenaam.clone(),
        organisatie: ctx.actor.organisatie.clone(),
        applicatie: ctx.actor.applicatie.clone(),
        actie: regel.actie.clone(),
        object_type: regel.object.soort.to_string(),
        object_id: regel.object.id.clone(),
        eigenaar: regel.object.eigenaar.clone(),
        resultaat: i32::from(regel.resultaat),
        toelichting: v.versleutel_optie(ctx.toelichting.as_deref()),
        doorbraak: regel.doorbraak,
        grondslag: regel.grondslag.clone(),
        oude_waarde: v.versleutel_optie(regel.oud.as_ref().map(|w| w.to_string()).as_deref()),
        nieuwe_waarde: v.versleutel_optie(regel.nieuw.as_ref().map(|w| w.to_string()).as_deref()),
    }
}

/// One processing-log row as inserted: unsealed until the sealer links it, or sealed at
/// insert by the log writer (`batchzegel`).
#[derive(Debug, Clone, Insertable)]
// `None` is NULL, not DEFAULT (no column of the table has a default, so the same row):
// with a DEFAULT in any row diesel inserts a SQLite batch row by row, each in a savepoint
// of its own, instead of one multi-row statement (issue 17, h18).
#[diesel(table_name = verwerkingslog, treat_none_as_default_value = false)]
pub struct VerwerkingInvoeg {
    id: String,
    keten: String,
    volgnummer: i64,
    vorige_hash: String,
    hash: String,
    trace_id: String,
    span_id: String,
    parent_span_id: Option<String>,
    organisatie: String,
    activiteit: String,
    grondslag: String,
    convenant_id: Option<String>,
    convenant_versie: Option<i64>,
    betrokkene: String,
    resultaat: String,
    doorbraak: bool,
    start_op: NaiveDateTime,
    eind_op: NaiveDateTime,
}

impl VerwerkingInvoeg {
    /// The hashed content, as `VerwerkingRij::inhoud` computes it once the row is stored.
    fn inhoud(&self) -> String {
        verwerking_inhoud!(self)
    }
}

#[derive(Serialize)]
struct VerwerkingInhoud<'a> {
    id: &'a str,
    keten: &'a str,
    volgnummer: i64,
    trace_id: &'a str,
    span_id: &'a str,
    parent_span_id: Option<&'a str>,
    organisatie: &'a str,
    activiteit: &'a str,
    grondslag: &'a str,
    convenant_id: Option<&'a str>,
    convenant_versie: Option<i64>,
    betrokkene: &'a str,
    resultaat: &'a str,
    doorbraak: bool,
    start_op: String,
    eind_op: String,
}

/// The basis of one processing-log row.
struct Rijbasis<'a> {
    activiteit: &'a str,
    grondslag: String,
    convenant: Option<(Uuid, i64)>,
    doorbraak: bool,
}

/// One processing-log row per data subject, in the chain of the processing organisation.
#[allow(clippy::too_many_arguments)]
pub fn verwerking(
    conn: &mut DbConnection,
    ctx: &Context,
    activiteit: &str,
    grondslag: &str,
    convenant: Option<(Uuid, i64)>,
    doorbraak: bool,
    betrokkenen: &[Uuid],
    resultaat: &str,
) -> QueryResult<()> {
    let basis = Rijbasis {
        activiteit,
        grondslag: grondslag.to_string(),
        convenant,
        doorbraak,
    };
    let rijen: Vec<(&Rijbasis, Uuid)> = betrokkenen.iter().map(|b| (&basis, *b)).collect();
    schrijf_verwerkingen(conn, ctx, &rijen, resultaat)
}

/// Several processings of one activity, each on its own legal-basis text with its own
/// subjects, appended to the actor's chain with one reservation (the retention run logs
/// every record it removed this way: one row per record and subject).
pub fn verwerkingen(
    conn: &mut DbConnection,
    ctx: &Context,
    activiteit: &str,
    items: &[(String, Vec<Uuid>)],
    resultaat: &str,
) -> QueryResult<()> {
    let bases: Vec<Rijbasis> = items
        .iter()
        .map(|(grondslag, _)| Rijbasis {
            activiteit,
            grondslag: grondslag.clone(),
            convenant: None,
            doorbraak: false,
        })
        .collect();
    let rijen: Vec<(&Rijbasis, Uuid)> = bases
        .iter()
        .zip(items)
        .flat_map(|(b, (_, subjecten))| subjecten.iter().map(move |s| (b, *s)))
        .collect();
    schrijf_verwerkingen(conn, ctx, &rijen, resultaat)
}

fn verwerking_rijen(
    conn: &mut DbConnection,
    ctx: &Context,
    rijen: &[(&Toestemming, Uuid)],
    resultaat: &str,
) -> QueryResult<()> {
    let bases: Vec<Rijbasis> = rijen
        .iter()
        .map(|(t, _)| Rijbasis {
            activiteit: <&'static str>::from(t.doel()),
            grondslag: t.grondslag_tekst(),
            convenant: t.convenant(),
            doorbraak: t.is_doorbraak(),
        })
        .collect();
    let paren: Vec<(&Rijbasis, Uuid)> = bases.iter().zip(rijen.iter().map(|(_, s)| *s)).collect();
    schrijf_verwerkingen(conn, ctx, &paren, resultaat)
}

fn schrijf_verwerkingen(
    conn: &mut DbConnection,
    ctx: &Context,
    rijen: &[(&Rijbasis, Uuid)],
    resultaat: &str,
) -> QueryResult<()> {
    let invoeg = verwerking_invoeg(ctx, rijen, resultaat);
    if invoeg.is_empty() {
        return Ok(());
    }
    // Appended unsealed in one multi-row statement, without a chain-head lock; in read
    // mode collected for the log writer.
    match ctx.groepslog.verwerking(invoeg) {
        None => Ok(()),
        Some(invoeg) => kolommen::voeg_in(conn, &invoeg),
    }
}

/// The processing-log rows of `rijen` (one per subject and basis), unsealed.
fn verwerking_invoeg(
    ctx: &Context,
    rijen: &[(&Rijbasis, Uuid)],
    resultaat: &str,
) -> Vec<VerwerkingInvoeg> {
    let start = to_db(ctx.nu);
    let eind = to_db(ketenregie_common::time::now_utc().max(ctx.nu));
    // One row per subject and basis (the same subject under two owners' bases is two
    // processings).
    let mut gezien = std::collections::BTreeSet::new();
    rijen
        .iter()
        .filter(|(b, s)| gezien.insert((b.grondslag.clone(), *s)))
        .map(|(basis, subject)| VerwerkingInvoeg {
            id: ids::new_id().to_string(),
            keten: ctx.actor.organisatie.clone(),
            volgnummer: 0,
            vorige_hash: String::new(),
            hash: String::new(),
            trace_id: ctx.trace_id.clone(),
            span_id: ctx.span_id.clone(),
            parent_span_id: ctx.parent_span_id.clone(),
            organisatie: ctx.actor.organisatie.clone(),
            activiteit: basis.activiteit.to_string(),
            grondslag: basis.grondslag.clone(),
            convenant_id: basis.convenant.map(|(id, _)| id.to_string()),
            convenant_versie: basis.convenant.map(|(_, v)| v),
            betrokkene: ctx.pseudoniemen.van(*subject),
            resultaat: resultaat.to_string(),
            doorbraak: basis.doorbraak,
            start_op: start,
            eind_op: eind,
        })
        .collect()
}

/// The rule's name: the logs record the processing that happened, of the data that were
/// returned. A read's subjects (`betrokkenen`) are the persons whose data the answer shows,
/// counted from what it shows, not from the parent record it was read through (a melding's
/// persons for its feedback list, a family's for a list of statements); the disclosure is
/// entered in the register of each owner whose data on a person were shown, and only then.
/// An answer that shows no personal data (an empty list) writes its audit row (the request
/// was made and answered), no processing-log row and no disclosure. A non-empty answer
/// still logs in the same transaction. Source: DOMAIN.md §4 "Logging" (each processing of
/// personal data is logged, with purpose and legal basis, about which data subject); AVG
/// art. 30 lid 1 sub d and Wpg art. 32 (the recipients to whom data *were* disclosed).
pub const LOG_ALLEEN_WAT_GETOOND: &str = "LOG_ALLEEN_WAT_GETOOND";

/// The rule's name: a read that shows several organisations' data (the briefing, an
/// inzage report) logs each person whose data of owner X it shows against X's basis (its
/// permission: purpose, legal basis, agreement and version), with the disclosure in X's
/// register, also when the caller, or another owner, holds the same person and shows
/// its own record of them: the same person under two owners' bases is two processings.
/// Source: DOMAIN.md §4 "Logging" (every processing with its purpose and legal basis);
/// README "Inzage" (the report shows to which organisations the data were disclosed).
pub const LOG_ONDER_GRONDSLAG_EIGENAAR: &str = "LOG_ONDER_GRONDSLAG_EIGENAAR";

/// A permitted read of personal data: one audit row for the object, one processing-log
/// row per subject; a read of another organisation's record also enters the disclosure
/// register (and may notify the owner: `verstrekking::leg_vast`). `LOG_ALLEEN_WAT_GETOOND`:
/// `betrokkenen` are the persons whose data the answer shows; none (an empty answer) is the
/// audit row alone, no processing-log row and no disclosure.
pub fn lezing(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    object: Object,
    betrokkenen: &[Uuid],
) -> QueryResult<()> {
    if !betrokkenen.is_empty() {
        crate::verstrekking::leg_vast(conn, ctx, t, &object)?;
    }
    audit(
        conn,
        ctx,
        &AuditRegel {
            actie: Actie::Lezen.to_string(),
            object,
            resultaat: 200,
            doorbraak: t.is_doorbraak(),
            grondslag: Some(t.grondslag_tekst()),
            oud: None,
            nieuw: None,
        },
    )?;
    verwerking(
        conn,
        ctx,
        t.doel().as_ref(),
        &t.grondslag_tekst(),
        t.convenant(),
        t.is_doorbraak(),
        betrokkenen,
        "geslaagd",
    )
}

/// Several permitted reads in one request (the briefing shows records of several owners):
/// one audit row per object, and the processing-log rows of all subjects, each under its
/// own permission's basis, appended to the actor's chain with one reservation. As for
/// `lezing` (`LOG_ALLEEN_WAT_GETOOND`): an item without subjects showed no personal data
/// and is its audit row alone, no disclosure.
pub fn lezingen(
    conn: &mut DbConnection,
    ctx: &Context,
    items: &[(&Toestemming, Object, Vec<Uuid>)],
) -> QueryResult<()> {
    for (t, object, subjecten) in items {
        if !subjecten.is_empty() {
            crate::verstrekking::leg_vast(conn, ctx, t, object)?;
        }
        audit(
            conn,
            ctx,
            &AuditRegel {
                actie: Actie::Lezen.to_string(),
                object: object.clone(),
                resultaat: 200,
                doorbraak: t.is_doorbraak(),
                grondslag: Some(t.grondslag_tekst()),
                oud: None,
                nieuw: None,
            },
        )?;
    }
    let rijen: Vec<(&Toestemming, Uuid)> = items
        .iter()
        .flat_map(|(t, _, subjecten)| subjecten.iter().map(move |s| (*t, *s)))
        .collect();
    verwerking_rijen(conn, ctx, &rijen, "geslaagd")
}

/// `LOG_ONDER_GRONDSLAG_EIGENAAR` for own statements (`eigen_verklaring`): a read that
/// returns statements recorded by an organisation other than the reader and other than
/// the record's owner (whose data the record's own log rows already cover) shows that
/// recorder's data on the statement's subject. Per such statement: an audit row in the
/// recorder's trail, a disclosure in its register (its inzage report names the reader as
/// recipient) and a processing-log row for the subject, under the recorder's basis for the
/// reader (its decision for the read's purpose, identification, the statement's level);
/// where that decision refuses (the statement is shown with the record all the same,
/// `VERKLARING_BIJ_RECORD`), under the agreement the reader and the recorder are both
/// parties of (`VERKLARING_DOOR_HOUDER`; `besluit::GRONDSLAG_EIGEN_VERKLARING`), and
/// without one (it ended since) under `t`, the permission the record was read on. The same
/// `lezingen` the briefing logs its owners with. Call after the record's own log rows,
/// with what the answer returns (`LOG_ALLEEN_WAT_GETOOND`).
pub fn verklaringen<'a>(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    getoond: impl IntoIterator<Item = &'a crate::eigen_verklaring::EigenVerklaringWeergave>,
) -> Result<(), ketenregie_common::Fout> {
    let lezer = ctx.actor.organisatie.as_str();
    let vreemd: Vec<_> = getoond
        .into_iter()
        .filter(|v| v.vastgelegd_door != lezer && v.vastgelegd_door != v.eigenaar)
        .collect();
    if vreemd.is_empty() {
        return Ok(());
    }
    let beslisser = crate::besluit::Beslisser::laad(conn, ctx)?;
    let toestemmingen: Vec<Toestemming> = vreemd
        .iter()
        .map(|v| {
            beslisser.beslis(
                ctx,
                &crate::besluit::Aanvraag {
                    actie: Actie::Lezen,
                    doel: t.doel(),
                    categorieen: vec![ketenregie_common::Gegevenscategorie::Identificatie],
                    optioneel: vec![],
                    eigenaren: vec![v.vastgelegd_door.clone()],
                    vertrouwelijkheid: v.vertrouwelijkheid,
                },
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .zip(&vreemd)
        .map(|(besluit, v)| match besluit {
            Ok(tv) => Ok(tv),
            Err(_) => Ok(
                crate::convenant::gedeeld(conn, lezer, &v.vastgelegd_door, ctx.nu)?
                    .map(|c| {
                        Toestemming::eigen_verklaring(
                            (c.id, c.versie),
                            t.doel(),
                            v.vertrouwelijkheid,
                        )
                    })
                    .unwrap_or_else(|| t.clone()),
            ),
        })
        .collect::<Result<_, ketenregie_common::Fout>>()?;
    let items: Vec<(&Toestemming, Object, Vec<Uuid>)> = vreemd
        .iter()
        .zip(&toestemmingen)
        .map(|(v, tv)| {
            (
                tv,
                Object {
                    soort: "eigen-verklaringen",
                    id: v.id.to_string(),
                    eigenaar: v.vastgelegd_door.clone(),
                },
                vec![v.betrokkene],
            )
        })
        .collect();
    lezingen(conn, ctx, &items)?;
    Ok(())
}

/// A permitted write: one audit row with old and new values, one processing-log row per
/// subject (`Wijzigingslog::schrijf`: two statements).
#[allow(clippy::too_many_arguments)]
pub fn wijziging(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    actie: Actie,
    object: Object,
    oud: Option<serde_json::Value>,
    nieuw: Option<serde_json::Value>,
    betrokkenen: &[Uuid],
) -> QueryResult<()> {
    Wijzigingslog::van(ctx, t, actie, object, oud, nieuw, betrokkenen).schrijf(conn)
}

/// The processing activity of a record's withdrawal by the organisation that made it
/// (`verwijdering`): a concept zorgmelding removed before it was sent. A noun, as the
/// retention run's `vernietiging` is, and apart from it: a data subject's inzage shows
/// that the record was processed and then removed at the maker's request, not that its
/// term passed.
pub const VERWIJDERING: &str = "verwijdering";

/// A permitted removal of a record with personal data (`VERWIJDERING`): one audit row
/// (action `verwijderen`, result 204, the decision's legal basis) and one processing-log
/// row per subject of the removed record, on the basis of permission `t`. Written now, in
/// the caller's transaction, with the removal itself.
pub fn verwijdering(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    object: Object,
    betrokkenen: &[Uuid],
) -> QueryResult<()> {
    audit(
        conn,
        ctx,
        &AuditRegel {
            actie: "verwijderen".into(),
            object,
            resultaat: 204,
            doorbraak: t.is_doorbraak(),
            grondslag: Some(t.grondslag_tekst()),
            oud: None,
            nieuw: None,
        },
    )?;
    verwerking(
        conn,
        ctx,
        VERWIJDERING,
        &t.grondslag_tekst(),
        t.convenant(),
        t.is_doorbraak(),
        betrokkenen,
        "geslaagd",
    )
}

/// The log rows of a permitted write (`wijziging`), built but not yet written, so a caller
/// can insert them in the same statement as its own rows on PostgreSQL (`voeg_aan`, a
/// `Bundel`) or as separate statements (`schrijf`). The same rows either way: one audit row
/// with old and new values, one processing-log row per subject, unsealed (the sealer links
/// them after commit). In read mode (`Context::groepslog`) they went to the log writer when
/// built, and nothing is left to write here.
pub struct Wijzigingslog {
    audit: Option<AuditInvoeg>,
    verwerking: Vec<VerwerkingInvoeg>,
}

impl Wijzigingslog {
    /// The rows of a write by `ctx`'s actor under permission `t` on `object`, about
    /// `betrokkenen`; result 201 for `Actie::Aanmaken`, else 200.
    #[allow(clippy::too_many_arguments)]
    pub fn van(
        ctx: &Context,
        t: &Toestemming,
        actie: Actie,
        object: Object,
        oud: Option<serde_json::Value>,
        nieuw: Option<serde_json::Value>,
        betrokkenen: &[Uuid],
    ) -> Self {
        let status = if actie == Actie::Aanmaken { 201 } else { 200 };
        let rij = audit_rij(
            ctx,
            &AuditRegel {
                actie: actie.to_string(),
                object,
                resultaat: status,
                doorbraak: t.is_doorbraak(),
                grondslag: Some(t.grondslag_tekst()),
                oud,
                nieuw,
            },
        );
        let basis = Rijbasis {
            activiteit: <&'static str>::from(t.doel()),
            grondslag: t.grondslag_tekst(),
            convenant: t.convenant(),
            doorbraak: t.is_doorbraak(),
        };
        let rijen: Vec<(&Rijbasis, Uuid)> = betrokkenen.iter().map(|b| (&basis, *b)).collect();
        let verwerking = verwerking_invoeg(ctx, &rijen, "geslaagd");
        Self {
            audit: ctx.groepslog.audit(rij),
            verwerking: if verwerking.is_empty() {
                verwerking
            } else {
                ctx.groepslog.verwerking(verwerking).unwrap_or_default()
            },
        }
    }

    /// Write the rows now, one statement per log, in the caller's transaction.
    pub fn schrijf(self, conn: &mut DbConnection) -> QueryResult<()> {
        if let Some(rij) = &self.audit {
            kolommen::voeg_in(conn, std::slice::from_ref(rij))?;
        }
        if !self.verwerking.is_empty() {
            kolommen::voeg_in(conn, &self.verwerking)?;
        }
        Ok(())
    }

    /// Add the rows' inserts to `bundel` (PostgreSQL: one statement with the caller's
    /// own inserts). Only while `past_in_bundel` (one statement's binds, about 800
    /// processing-log rows): more go as separate statements by `schrijf`.
    pub fn voeg_aan<'a>(&'a self, bundel: &mut Bundel<'a>) {
        if let Some(rij) = &self.audit {
            bundel.voeg(kolommen::AuditKolommen::van(std::slice::from_ref(rij)));
        }
        if !self.verwerking.is_empty() {
            bundel.voeg(kolommen::VerwerkingKolommen::van(&self.verwerking));
        }
    }

    /// Whether `voeg_aan` takes these rows in one statement (see there): the log rows'
    /// bind parameters at most half of `schrijver::MAX_BINDS`, leaving the other half to
    /// the change's own rows in the same statement (a filing: header, identities, step).
    pub fn past_in_bundel(&self) -> bool {
        self.audit.iter().count() * <AuditInvoeg as kolommen::Logrij>::KOLOMMEN
            + self.verwerking.len() * <VerwerkingInvoeg as kolommen::Logrij>::KOLOMMEN
            <= schrijver::MAX_BINDS / 2
            && kolommen::omvang(self.audit.as_slice()) + kolommen::omvang(&self.verwerking)
                <= kolommen::MAX_BYTES / 2
    }
}

/// A refused attempt: one audit row (result 403) in its own transaction, written by the
/// API layer after the refused operation rolled back.
pub fn weigering(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: &str,
    object: Object,
    w: &Weigering,
) -> QueryResult<()> {
    afgewezen(conn, ctx, actie, object, 403, &w.reden)
}

/// A write refused by the object's state rather than by the rules (a 409: a signature on
/// a content hash that is not the current one, a step the state does not allow): one
/// audit row with the status and the reason, as a refusal by the rules has (README
/// "Audit trail": every refused attempt is recorded).
pub fn afgewezen(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: &str,
    object: Object,
    resultaat: u16,
    reden: &str,
) -> QueryResult<()> {
    audit(
        conn,
        ctx,
        &AuditRegel::nieuw(actie, object, resultaat).grondslag(format!("geweigerd: {reden}")),
    )
}
