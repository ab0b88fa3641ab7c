//! The disclosure register (issue 15 point 4; AVG art. 30 lid 1 sub d and Wpg art. 32:
//! the recipients to whom data were disclosed): every read of an organisation's record by
//! another organisation, written in the reading transaction by `logboek::lezing` and
//! `logboek::lezingen` beside the audit row it repeats (the same trace id, in the owner's
//! audit trail, which stays the proof), with what that row does not hold: the reader's
//! roles and the purpose. The owner's privacy officer reads it
//! (`verantwoording::verstrekkingen`); the reader's log holds the same read as its own
//! processing.
//!
//! `EIGENAAR_INFORMEREN`: when the read was by break-glass, or under an agreement rule
//! marked `eigenaarInformeren`, and the owner subscribed to `privacy.gegevens-verstrekt`,
//! the owner is notified in the same transaction (an outbox event, delivered by e-mail
//! and webhook like every other): the record id, the reader, the purpose and the time —
//! never personal data. As NHS CP-IS tells the owning organisation of every access to
//! its child-protection flag.

use crate::besluit::Toestemming;
use crate::context::Context;
use crate::logboek::Object;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_store::DbConnection;
use ketenregie_store::outbox;
use ketenregie_store::schema::verstrekkingen;
use ketenregie_store::venster::{Pagina, Venster};
use serde::Serialize;
use uuid::Uuid;

/// The rule's name.
pub const EIGENAAR_INFORMEREN: &str = "EIGENAAR_INFORMEREN";

/// The event type of the owner's notice (after `nl.ketenregie.`; channel `privacy`).
pub const SOORT_VERSTREKT: &str = "privacy.gegevens-verstrekt";

/// The API path of disclosure `id`.
pub fn pad(id: &str) -> String {
    format!("/api/v1/verwerkingen/verstrekkingen/{id}")
}

/// One disclosure: a read of `eigenaar`'s record by `ontvanger`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
// `None` is NULL, not DEFAULT (no column of the table has a default, so the same row):
// with a DEFAULT in any row diesel inserts a SQLite batch row by row, each in a savepoint
// of its own, instead of one multi-row statement (issue 17, h18).
#[diesel(table_name = verstrekkingen, treat_none_as_default_value = false)]
pub struct Verstrekking {
    pub id: String,
    /// The owning organisation.
    pub eigenaar: String,
    /// The reading organisation.
    pub ontvanger: String,
    /// The reader's roles, comma-separated.
    pub rollen: String,
    pub object_type: String,
    pub object_id: String,
    /// The purpose of the read.
    pub doel: String,
    /// The legal basis, with agreement id and version.
    pub grondslag: String,
    pub convenant_id: Option<String>,
    pub convenant_versie: Option<i64>,
    pub doorbraak: bool,
    /// The request's trace id (the owner's audit row has the same).
    pub trace_id: String,
    pub tijdstip: chrono::NaiveDateTime,
}

impl Verstrekking {
    pub fn tijdstip_utc(&self) -> DateTime<Utc> {
        from_db(self.tijdstip)
    }

    pub fn rollen(&self) -> Vec<String> {
        self.rollen
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// One disclosure row as inserted (`leg_vast`; in read mode collected and inserted with
/// the other reads' rows of the log writer's batch in one multi-row statement).
#[derive(Debug, Clone, Insertable)]
// `None` is NULL, not DEFAULT (no column of the table has a default, so the same row):
// with a DEFAULT in any row diesel inserts a SQLite batch row by row, each in a savepoint
// of its own, instead of one multi-row statement (issue 17, h18).
#[diesel(table_name = verstrekkingen, treat_none_as_default_value = false)]
pub struct VerstrekkingInvoeg {
    pub(crate) id: String,
    pub(crate) eigenaar: String,
    pub(crate) ontvanger: String,
    pub(crate) rollen: String,
    pub(crate) object_type: String,
    pub(crate) object_id: String,
    pub(crate) doel: String,
    pub(crate) grondslag: String,
    pub(crate) convenant_id: Option<String>,
    pub(crate) convenant_versie: Option<i64>,
    pub(crate) doorbraak: bool,
    pub(crate) trace_id: String,
    pub(crate) tijdstip: chrono::NaiveDateTime,
}

/// Record a permitted read of `object` under `t` when the record is another
/// organisation's, and notify the owner where `EIGENAAR_INFORMEREN` says so and it
/// subscribed. In the reading transaction, or, in read mode (issue 17 point 1), in the
/// log writer's batch transaction with the read's log rows: the row is collected like
/// the log rows (one multi-row insert per batch), and only the rare notification is
/// deferred as a write of its own (it needs the subscription look-up).
pub fn leg_vast(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    object: &Object,
) -> QueryResult<()> {
    let eigenaar = object.eigenaar.as_str();
    if eigenaar.is_empty() || eigenaar == ctx.actor.organisatie {
        return Ok(());
    }
    let id = ids::new_id().to_string();
    let convenant = t.convenant();
    let doel = t.doel().to_string();
    let rij = VerstrekkingInvoeg {
        id: id.clone(),
        eigenaar: eigenaar.to_string(),
        ontvanger: ctx.actor.organisatie.clone(),
        rollen: ctx
            .actor
            .rollen
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(","),
        object_type: object.soort.to_string(),
        object_id: object.id.clone(),
        doel: doel.clone(),
        grondslag: t.grondslag_tekst(),
        convenant_id: convenant.map(|(c, _)| c.to_string()),
        convenant_versie: convenant.map(|(_, v)| v),
        doorbraak: t.is_doorbraak(),
        trace_id: ctx.trace_id.clone(),
        tijdstip: to_db(ctx.nu),
    };
    if let Some(rij) = ctx.groepslog.verstrekking(rij) {
        crate::logboek::kolommen::voeg_in(conn, std::slice::from_ref(&rij))?;
    }
    if !t.informeert(eigenaar) {
        return Ok(());
    }
    let (c, o, doorbraak) = (ctx.clone(), object.clone(), t.is_doorbraak());
    let melding: crate::logboek::schrijver::Uitgesteld =
        Box::new(move |conn| informeer(conn, &c, &o, &id, &doel, doorbraak));
    match ctx.groepslog.uitstellen(melding) {
        None => Ok(()),
        Some(f) => f(conn),
    }
}

/// `EIGENAAR_INFORMEREN`: the owner's notice of disclosure `id`, when it subscribed.
fn informeer(
    conn: &mut DbConnection,
    ctx: &Context,
    object: &Object,
    id: &str,
    doel: &str,
    doorbraak: bool,
) -> QueryResult<()> {
    let eigenaar = object.eigenaar.as_str();
    if outbox::geabonneerd(conn, eigenaar, SOORT_VERSTREKT)? {
        outbox::enqueue_met_gegevens(
            conn,
            &outbox::Gebeurtenis {
                soort: SOORT_VERSTREKT.into(),
                organisatie: eigenaar.into(),
                onderwerp: object.id.clone(),
                dataref: pad(id),
            },
            &serde_json::json!({
                "record": object.id,
                "soort": object.soort,
                "gelezenDoor": ctx.actor.organisatie,
                "doel": doel,
                "doorbraak": doorbraak,
                "tijdstip": ctx.nu.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }),
            ctx.nu,
        )?;
    }
    Ok(())
}

/// A search of the disclosures of one owner.
#[derive(Debug, Clone, Default)]
pub struct Verstrekkingvraag {
    /// From this moment (inclusive).
    pub van: Option<DateTime<Utc>>,
    /// Until this moment (exclusive).
    pub tot: Option<DateTime<Utc>>,
    /// Only to this organisation (its code).
    pub aan: Option<String>,
    /// Only for this purpose.
    pub doel: Option<ketenregie_common::Doel>,
    /// Only break-glass reads (`true`) or only the others (`false`).
    pub doorbraak: Option<bool>,
}

/// The sort key of the disclosure register: newest first, then id (the
/// `(eigenaar, tijdstip, id)` index).
pub type VerstrekkingSleutel = (chrono::NaiveDateTime, String);

/// The cursor list name of the disclosure register (`store::venster::Cursor`).
pub const LIJST: &str = "verstrekkingen";

/// One page of the disclosures of `eigenaar`'s records under the question `v`, newest
/// first (keyset pagination and a bounded count, `store::venster`).
pub fn van_eigenaar(
    conn: &mut DbConnection,
    eigenaar: &str,
    v: &Verstrekkingvraag,
    venster: &Venster<VerstrekkingSleutel>,
) -> QueryResult<Pagina<Verstrekking, VerstrekkingSleutel>> {
    let bouw = || {
        let mut q = verstrekkingen::table
            .filter(verstrekkingen::eigenaar.eq(eigenaar.to_string()))
            .into_boxed();
        if let Some(van) = v.van {
            q = q.filter(verstrekkingen::tijdstip.ge(to_db(van)));
        }
        if let Some(t) = v.tot {
            q = q.filter(verstrekkingen::tijdstip.lt(to_db(t)));
        }
        if let Some(a) = &v.aan {
            q = q.filter(verstrekkingen::ontvanger.eq(a.clone()));
        }
        if let Some(d) = v.doel {
            q = q.filter(verstrekkingen::doel.eq(d.to_string()));
        }
        if let Some(d) = v.doorbraak {
            q = q.filter(verstrekkingen::doorbraak.eq(d));
        }
        q
    };
    let rijen: Vec<Verstrekking> = ketenregie_store::venster_aflopend!(
        bouw(),
        venster,
        verstrekkingen::tijdstip,
        verstrekkingen::id
    )
    .offset(venster.overslaan())
    .limit(venster.op_te_halen())
    .select(Verstrekking::as_select())
    .load(conn)?;
    let telling = ketenregie_store::telling_aflopend!(
        conn,
        venster,
        rijen.len(),
        bouw,
        verstrekkingen::tijdstip,
        verstrekkingen::id
    )?;
    Ok(venster.pagina(rijen, |r| (r.tijdstip, r.id.clone()), telling))
}

/// One disclosure, with its owner.
pub fn een(conn: &mut DbConnection, id: Uuid) -> QueryResult<Option<Verstrekking>> {
    verstrekkingen::table
        .find(id.to_string())
        .select(Verstrekking::as_select())
        .first(conn)
        .optional()
}

/// Retention of the register: a disclosure is kept for the owner's processing-log term
/// (`verwerkingslog`, DOMAIN.md §4 "processing logs"), like the log rows it repeats.
#[derive(Debug, Clone, Copy)]
pub struct Verstrekkingbron;

impl crate::bewaring::Bewaarbron for Verstrekkingbron {
    fn soorten(&self) -> &'static [&'static str] {
        &["verstrekkingen"]
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<crate::bewaring::Verwijderd>> {
        let eigenaren: Vec<String> = verstrekkingen::table
            .select(verstrekkingen::eigenaar)
            .distinct()
            .load(conn)?;
        let mut termijnen = crate::bewaring::Houdertermijnen::default();
        let mut uit = Vec::new();
        for e in eigenaren {
            let grond = termijnen.van_soort(conn, &e, "verwerkingslog")?;
            let Some(dagen) = grond.termijn_dagen else {
                continue;
            };
            let q = verstrekkingen::table
                .filter(verstrekkingen::eigenaar.eq(&e))
                .filter(verstrekkingen::tijdstip.lt(to_db(nu - chrono::Duration::days(dagen))));
            let ids: Vec<String> = q.select(verstrekkingen::id).load(conn)?;
            if !proef {
                diesel::delete(q).execute(conn)?;
            }
            uit.extend(
                ids.into_iter()
                    .map(|id| crate::bewaring::Verwijderd::mee("verstrekkingen", id, &grond)),
            );
        }
        Ok(uit)
    }
}
