//! The two logs (DESIGN.md §6), written in the caller's transaction:
//!
//! - the **audit trail**: per main object, who (user id and display name), organisation,
//!   client application, action, result, reason, old and new values; denied attempts too.
//! - the **processing log** ("Logboek dataverwerkingen"): one row per processing and per
//!   data subject, with trace and span ids, the processing activity (purpose), the legal
//!   basis and agreement version, the pseudonymised subject, result and times; no user.
//!
//! Both are append-only (no update or delete path here; triggers refuse one, on both
//! backends) and hash-chained (`keten`). `verifieer` (module `verificatie`) walks every
//! chain and checks it against its head; retention removes processing-log rows only as a
//! chain prefix and leaves a checkpoint row (`bewaar_keten`).
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
use crate::keten;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_common::{Actie, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{audittrail, verwerkingslog};
use serde::Serialize;
use uuid::Uuid;

mod bewaring;
mod lezen;

pub use crate::verificatie::{Breuk, Verificatie, verifieer};
pub use bewaring::*;
pub use lezen::*;

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

/// Append one row to the audit trail of `regel.object.eigenaar`.
/// `KETEN_SCHIJVEN`: each log of each organisation is this many independent hash chains
/// ("org", "org#1" ... "org#7"). A transaction appends to one of them, picked from its span
/// id, so concurrent requests of one organisation (every noodhulp officer of a unit
/// asking for briefings) do not queue on a single chain head lock. Every chain is verified
/// on its own; shard 0 keeps the plain organisation code, so chains written before
/// sharding continue unchanged. All chains of one transaction use the same shard and are
/// locked in owner order, so two transactions never wait on each other crosswise.
pub const KETEN_SCHIJVEN: u64 = 8;

fn ketennaam(organisatie: &str, ctx: &Context) -> String {
    let schijf =
        u64::from_str_radix(ctx.span_id.get(..4).unwrap_or("0"), 16).unwrap_or(0) % KETEN_SCHIJVEN;
    if schijf == 0 {
        organisatie.to_string()
    } else {
        format!("{organisatie}#{schijf}")
    }
}

pub fn audit(conn: &mut DbConnection, ctx: &Context, regel: &AuditRegel) -> QueryResult<()> {
    let keten = ketennaam(&regel.object.eigenaar, ctx);
    let keten_id = format!("audit:{keten}");
    let (volgnummer, vorige) = keten::volgende(conn, &keten_id)?;
    let id = ids::new_id().to_string();
    let tijdstip = to_db(ctx.nu);
    // AUDIT_VERSLEUTELD: stored, and hashed, as ciphertext.
    let v = &ctx.versleuteling;
    let toelichting = v.versleutel_optie(ctx.toelichting.as_deref());
    let oud = v.versleutel_optie(regel.oud.as_ref().map(|w| w.to_string()).as_deref());
    let nieuw = v.versleutel_optie(regel.nieuw.as_ref().map(|w| w.to_string()).as_deref());
    let inhoud = AuditInhoud {
        id: &id,
        keten: &keten,
        volgnummer,
        tijdstip: tijd(tijdstip),
        trace_id: &ctx.trace_id,
        gebruiker: &ctx.actor.gebruiker,
        gebruiker_naam: &ctx.actor.weergavenaam,
        organisatie: &ctx.actor.organisatie,
        applicatie: &ctx.actor.applicatie,
        actie: &regel.actie,
        object_type: regel.object.soort,
        object_id: &regel.object.id,
        eigenaar: &regel.object.eigenaar,
        resultaat: i32::from(regel.resultaat),
        toelichting: toelichting.as_deref(),
        doorbraak: regel.doorbraak,
        grondslag: regel.grondslag.as_deref(),
        oude_waarde: oud.as_deref(),
        nieuwe_waarde: nieuw.as_deref(),
    };
    let hash = keten::hash(
        &vorige,
        &serde_json::to_string(&inhoud).expect("serialises"),
    );
    diesel::insert_into(audittrail::table)
        .values((
            audittrail::id.eq(&id),
            audittrail::keten.eq(&keten),
            audittrail::volgnummer.eq(volgnummer),
            audittrail::vorige_hash.eq(&vorige),
            audittrail::hash.eq(&hash),
            audittrail::tijdstip.eq(tijdstip),
            audittrail::trace_id.eq(&ctx.trace_id),
            audittrail::gebruiker.eq(&ctx.actor.gebruiker),
            audittrail::gebruiker_naam.eq(&ctx.actor.weergavenaam),
            audittrail::organisatie.eq(&ctx.actor.organisatie),
            audittrail::applicatie.eq(&ctx.actor.applicatie),
            audittrail::actie.eq(&regel.actie),
            audittrail::object_type.eq(regel.object.soort),
            audittrail::object_id.eq(&regel.object.id),
            audittrail::eigenaar.eq(&regel.object.eigenaar),
            audittrail::resultaat.eq(i32::from(regel.resultaat)),
            audittrail::toelichting.eq(toelichting.as_deref()),
            audittrail::doorbraak.eq(regel.doorbraak),
            audittrail::grondslag.eq(regel.grondslag.as_deref()),
            audittrail::oude_waarde.eq(oud.as_deref()),
            audittrail::nieuwe_waarde.eq(nieuw.as_deref()),
        ))
        .execute(conn)?;
    keten::sluit(conn, &keten_id, &hash)
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
    let keten = ketennaam(&ctx.actor.organisatie, ctx);
    let keten_id = format!("verwerking:{keten}");
    let start = to_db(ctx.nu);
    let eind = to_db(ketenregie_common::time::now_utc().max(ctx.nu));
    // One row per subject and basis (the same subject under two owners' bases is two
    // processings).
    let mut gezien = std::collections::BTreeSet::new();
    let uniek: Vec<(&Rijbasis, Uuid)> = rijen
        .iter()
        .copied()
        .filter(|(b, s)| gezien.insert((b.grondslag.clone(), *s)))
        .collect();
    if uniek.is_empty() {
        return Ok(());
    }
    // Reserve all positions at once: one locking statement per processing, not per row.
    let (eerste, mut vorige) = keten::reserveer(conn, &keten_id, uniek.len() as i64)?;
    let mut rijen = Vec::with_capacity(uniek.len());
    for (i, (basis, subject)) in uniek.iter().enumerate() {
        let Rijbasis {
            activiteit,
            grondslag,
            convenant,
            doorbraak,
        } = basis;
        let (activiteit, grondslag, convenant, doorbraak) =
            (*activiteit, grondslag.as_str(), *convenant, *doorbraak);
        let convenant_id = convenant.map(|(id, _)| id.to_string());
        let volgnummer = eerste + i as i64;
        let id = ids::new_id().to_string();
        let betrokkene = ctx.pseudoniemen.van(*subject);
        let inhoud = VerwerkingInhoud {
            id: &id,
            keten: &keten,
            volgnummer,
            trace_id: &ctx.trace_id,
            span_id: &ctx.span_id,
            parent_span_id: ctx.parent_span_id.as_deref(),
            organisatie: &ctx.actor.organisatie,
            activiteit,
            grondslag,
            convenant_id: convenant_id.as_deref(),
            convenant_versie: convenant.map(|(_, v)| v),
            betrokkene: &betrokkene,
            resultaat,
            doorbraak,
            start_op: tijd(start),
            eind_op: tijd(eind),
        };
        let hash = keten::hash(
            &vorige,
            &serde_json::to_string(&inhoud).expect("serialises"),
        );
        rijen.push((
            verwerkingslog::id.eq(id.clone()),
            verwerkingslog::keten.eq(keten.clone()),
            verwerkingslog::volgnummer.eq(volgnummer),
            verwerkingslog::vorige_hash.eq(vorige.clone()),
            verwerkingslog::hash.eq(hash.clone()),
            verwerkingslog::trace_id.eq(ctx.trace_id.clone()),
            verwerkingslog::span_id.eq(ctx.span_id.clone()),
            verwerkingslog::parent_span_id.eq(ctx.parent_span_id.clone()),
            verwerkingslog::organisatie.eq(ctx.actor.organisatie.clone()),
            verwerkingslog::activiteit.eq(activiteit.to_string()),
            verwerkingslog::grondslag.eq(grondslag.to_string()),
            verwerkingslog::convenant_id.eq(convenant_id.clone()),
            verwerkingslog::convenant_versie.eq(convenant.map(|(_, v)| v)),
            verwerkingslog::betrokkene.eq(betrokkene.clone()),
            verwerkingslog::resultaat.eq(resultaat.to_string()),
            verwerkingslog::doorbraak.eq(doorbraak),
            verwerkingslog::start_op.eq(start),
            verwerkingslog::eind_op.eq(eind),
        ));
        vorige = hash;
    }
    // Multi-row statements (diesel batches only on a concrete backend connection), within
    // PostgreSQL's 65,535 bind parameters (18 per row).
    for deel in rijen.chunks(1000) {
        match conn {
            DbConnection::Pg(c) => diesel::insert_into(verwerkingslog::table)
                .values(deel)
                .execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(verwerkingslog::table)
                .values(deel)
                .execute(c)?,
        };
    }
    keten::sluit(conn, &keten_id, &vorige)?;
    Ok(())
}

/// A permitted read of personal data: one audit row for the object, one processing-log
/// row per subject; a read of another organisation's record also enters the disclosure
/// register (and may notify the owner: `verstrekking::leg_vast`).
pub fn lezing(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    object: Object,
    betrokkenen: &[Uuid],
) -> QueryResult<()> {
    crate::verstrekking::leg_vast(conn, ctx, t, &object)?;
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
/// own permission's basis, appended to the actor's chain with one reservation.
pub fn lezingen(
    conn: &mut DbConnection,
    ctx: &Context,
    items: &[(&Toestemming, Object, Vec<Uuid>)],
) -> QueryResult<()> {
    for (t, object, _) in items {
        crate::verstrekking::leg_vast(conn, ctx, t, object)?;
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

/// A permitted write: one audit row with old and new values, one processing-log row per
/// subject.
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
    let status = if actie == Actie::Aanmaken { 201 } else { 200 };
    audit(
        conn,
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

/// A refused attempt: one audit row (result 403) in its own transaction, written by the
/// API layer after the refused operation rolled back.
pub fn weigering(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: &str,
    object: Object,
    w: &Weigering,
) -> QueryResult<()> {
    audit(
        conn,
        ctx,
        &AuditRegel {
            actie: actie.to_string(),
            object,
            resultaat: 403,
            doorbraak: false,
            grondslag: Some(format!("geweigerd: {}", w.reden)),
            oud: None,
            nieuw: None,
        },
    )
}
