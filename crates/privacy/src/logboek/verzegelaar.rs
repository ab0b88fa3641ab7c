//! The sealer (issue 17 point 2): hash chains off the request path.
//!
//! The rows of reads are sealed by the log writer as it inserts them (`batchzegel`); what
//! is left here are the rows of changes, written in the change's own transaction. Such a
//! log row is appended *unsealed*: `volgnummer = 0`, `vorige_hash = ''`, `hash = ''`, in
//! the chain named in `keten` (the owner for the audit trail, the processing organisation
//! for the processing log), with no chain-head lock. `verzegel` then gives each chain's
//! unsealed rows their positions and links, in order of their order key (the id, a UUIDv7:
//! the time of writing), after the chain's last sealed row:
//!
//! - per chain, in one write transaction: lock the chain head (`logketens`, the same row
//!   lock retention takes), read the unsealed rows committed so far, compute each row's
//!   hash over its content (now with its position) and its predecessor's hash exactly as
//!   before (`keten::hash`), update the rows' three seal columns in one statement, and move
//!   the head. The database lets a log row be updated only this once and only in these
//!   columns (migration `2026-12-02-000101_h17_verzegeling`).
//! - Several instances are safe: the chain head's row lock orders sealers on one chain (a
//!   second sealer reads the rows after the first one's commit and finds them sealed), and
//!   a lease (`logverzegelaar`) keeps all but one instance idle, so they do not queue.
//! - A row that commits late with an earlier order key (its transaction was slower) is
//!   sealed in a later round, after rows sealed before it: the chain's order is the order
//!   of sealing, which is what the verification checks.
//!
//! Tamper evidence of sealed rows is unchanged (`verificatie`). An unsealed row is in the
//! window this gives up: it is committed and searchable, but no hash covers it yet; the
//! window is bounded by the sealer's interval (200 ms by default) and shown by
//! `ketenregie audit verify` (`Verificatie::onverzegeld`).

use crate::keten;
use crate::logboek::{AuditRij, VerwerkingRij};
use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{audittrail, logverzegelaar, verwerkingslog};

/// At most this many rows of one chain per transaction.
pub const MAX_PER_KETEN: i64 = 5_000;

/// How long a lease holds without renewal.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(5);

/// What one round sealed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verzegeling {
    pub rijen: usize,
    pub ketens: usize,
    /// Some chain had more unsealed rows than one round takes: run again at once.
    pub meer: bool,
}

/// Take or renew the sealer's lease for `houder` (an instance id) at `nu`. Returns
/// whether `houder` holds it. A lease held with more than half its term left is not
/// written again (an idle service does not write every pass). In the caller's short
/// transaction.
pub fn neem_lease(conn: &mut DbConnection, houder: &str, nu: DateTime<Utc>) -> QueryResult<bool> {
    let (nu_db, tot) = (to_db(nu), to_db(nu + LEASE));
    let huidig: Option<(String, chrono::NaiveDateTime)> = logverzegelaar::table
        .filter(logverzegelaar::id.eq("verzegelaar"))
        .select((logverzegelaar::houder, logverzegelaar::geldig_tot))
        .first(conn)
        .optional()?;
    if let Some((h, geldig_tot)) = &huidig
        && h == houder
        && *geldig_tot > to_db(nu + LEASE / 2)
    {
        return Ok(true);
    }
    let n = diesel::update(
        logverzegelaar::table
            .filter(logverzegelaar::id.eq("verzegelaar"))
            .filter(
                logverzegelaar::houder
                    .eq(houder)
                    .or(logverzegelaar::geldig_tot.lt(nu_db)),
            ),
    )
    .set((
        logverzegelaar::houder.eq(houder),
        logverzegelaar::geldig_tot.eq(tot),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Seal every chain's unsealed rows (up to `MAX_PER_KETEN` per chain), each chain in a
/// write transaction of its own (`ketenregie_store::conn::schrijf`). The caller holds the
/// lease, or does not care (the CLI, tests): correctness rests on the head locks.
pub fn verzegel(conn: &mut DbConnection) -> QueryResult<Verzegeling> {
    let mut uit = Verzegeling::default();
    let audit: Vec<String> = audittrail::table
        .filter(audittrail::volgnummer.eq(0))
        .select(audittrail::keten)
        .distinct()
        .load(conn)?;
    for k in audit {
        let n = ketenregie_store::conn::schrijf(conn, |c| verzegel_audit(c, &k))?;
        uit.rijen += n;
        uit.ketens += usize::from(n > 0);
        uit.meer |= n as i64 >= MAX_PER_KETEN;
    }
    let verwerking: Vec<String> = verwerkingslog::table
        .filter(verwerkingslog::volgnummer.eq(0))
        .select(verwerkingslog::keten)
        .distinct()
        .load(conn)?;
    for k in verwerking {
        let n = ketenregie_store::conn::schrijf(conn, |c| verzegel_verwerking(c, &k))?;
        uit.rijen += n;
        uit.ketens += usize::from(n > 0);
        uit.meer |= n as i64 >= MAX_PER_KETEN;
    }
    Ok(uit)
}

/// Seal until nothing is left (the CLI's `audit seal`, tests, the drill).
pub fn verzegel_alles(conn: &mut DbConnection) -> QueryResult<usize> {
    let mut totaal = 0;
    loop {
        let v = verzegel(conn)?;
        totaal += v.rijen;
        if !v.meer {
            return Ok(totaal);
        }
    }
}

/// The seal of one row: (id, sequence number, previous hash, hash).
type Zegel = (String, i64, String, String);

fn verzegel_audit(conn: &mut DbConnection, k: &str) -> QueryResult<usize> {
    let kop_id = format!("audit:{k}");
    // Lock the head first: a row read after this is not sealed by anyone else meanwhile.
    let (volgende, vorige) = keten::reserveer(conn, &kop_id, 0)?;
    let rijen: Vec<AuditRij> = audittrail::table
        .filter(audittrail::keten.eq(k))
        .filter(audittrail::volgnummer.eq(0))
        .order(audittrail::id)
        .limit(MAX_PER_KETEN)
        .select(AuditRij::as_select())
        .load(conn)?;
    let zegels = reeks(rijen, volgende, vorige, |r, n, v| {
        r.volgnummer = n;
        r.vorige_hash = v.to_string();
        (r.id.clone(), r.inhoud())
    });
    sluit(conn, "audittrail", &kop_id, &zegels)
}

pub(crate) fn verzegel_verwerking(conn: &mut DbConnection, k: &str) -> QueryResult<usize> {
    let kop_id = format!("verwerking:{k}");
    let (volgende, vorige) = keten::reserveer(conn, &kop_id, 0)?;
    let rijen: Vec<VerwerkingRij> = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(k))
        .filter(verwerkingslog::volgnummer.eq(0))
        .order(verwerkingslog::id)
        .limit(MAX_PER_KETEN)
        .select(VerwerkingRij::as_select())
        .load(conn)?;
    let zegels = reeks(rijen, volgende, vorige, |r, n, v| {
        r.volgnummer = n;
        r.vorige_hash = v.to_string();
        (r.id.clone(), r.inhoud())
    });
    sluit(conn, "verwerkingslog", &kop_id, &zegels)
}

/// The seals of `rijen` in order, the first at position `volgende` after hash `vorige`:
/// `plaats` gives a row its position and predecessor and returns its id and its hashed
/// content (`keten::hash` over the predecessor's hash and that content, as `verificatie`
/// checks it).
fn reeks<R>(
    rijen: Vec<R>,
    mut volgende: i64,
    mut vorige: String,
    plaats: impl Fn(&mut R, i64, &str) -> (String, String),
) -> Vec<Zegel> {
    let mut zegels: Vec<Zegel> = Vec::with_capacity(rijen.len());
    for mut r in rijen {
        let (id, inhoud) = plaats(&mut r, volgende, &vorige);
        let hash = keten::hash(&vorige, &inhoud);
        zegels.push((id, volgende, vorige, hash.clone()));
        vorige = hash;
        volgende += 1;
    }
    zegels
}

/// Write `zegels` into `tabel` and move the chain head `kop_id` to the last one. Returns
/// how many rows were sealed.
fn sluit(
    conn: &mut DbConnection,
    tabel: &str,
    kop_id: &str,
    zegels: &[Zegel],
) -> QueryResult<usize> {
    zet_zegels(conn, tabel, zegels)?;
    if let Some((_, n, _, h)) = zegels.last() {
        keten::zet(conn, kop_id, *n, h)?;
    }
    Ok(zegels.len())
}

/// SQL text literal: ids, chain names and hashes are ours (UUIDs, organisation codes, hex),
/// but quote anyway. Also used by `batchzegel`.
pub(crate) fn tekst(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Update the seal columns of many rows in one statement per 500 rows (a CTE of values
/// joined in `UPDATE ... FROM`, which both PostgreSQL and SQLite >= 3.33 take).
fn zet_zegels(conn: &mut DbConnection, tabel: &str, zegels: &[Zegel]) -> QueryResult<()> {
    for deel in zegels.chunks(500) {
        let waarden: Vec<String> = deel
            .iter()
            .map(|(id, n, v, h)| format!("({}, {n}, {}, {})", tekst(id), tekst(v), tekst(h)))
            .collect();
        let sql = format!(
            "WITH z(id, volgnummer, vorige_hash, hash) AS (VALUES {}) \
             UPDATE {tabel} SET volgnummer = z.volgnummer, vorige_hash = z.vorige_hash, hash = z.hash \
             FROM z WHERE {tabel}.id = z.id AND {tabel}.volgnummer = 0",
            waarden.join(", ")
        );
        conn.batch_execute(&sql)?;
    }
    Ok(())
}
