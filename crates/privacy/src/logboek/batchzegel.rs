//! Sealing a read batch's log rows at insert (issue 17 point 2, "in the log writer").
//!
//! The log writer (`schrijver`) commits the rows of many reads in one transaction. Rather
//! than insert them unsealed and have the sealer (`verzegelaar`) UPDATE each row once more
//! (on PostgreSQL a non-HOT update: `volgnummer` is in the partial indexes, so every seal
//! wrote a new tuple and an entry in every index of the log, and left a dead tuple for
//! vacuum: a third of PostgreSQL's CPU per logged read), the writer links the rows itself
//! and inserts them sealed:
//!
//! 1. before the transaction, create the chain heads this writer has not seen yet
//!    (`INSERT ... ON CONFLICT DO NOTHING` in a short transaction of its own, so no head
//!    is created while a batch holds other heads' locks; remembered per writer, since a
//!    head is never removed);
//! 2. in the batch transaction, lock the heads of every chain the batch touches in one
//!    statement, sorted by id (`SELECT ... WHERE id = ANY(...) ORDER BY id FOR UPDATE` on
//!    PostgreSQL; SQLite's `BEGIN IMMEDIATE` already excludes every other writer);
//! 3. give each chain's rows (in order-key order: the id, a UUIDv7) the positions after
//!    the head and their hashes exactly as the sealer does (`keten::hash` over the
//!    predecessor's hash and the row's `inhoud()`, which is `AuditRij::inhoud` /
//!    `VerwerkingRij::inhoud` of the stored row: one macro builds both);
//! 4. the caller inserts the rows (multi-row inserts, as before) and then moves every
//!    head in one statement (`zet_koppen`).
//!
//! Round trips per batch: the lock, the inserts, the head move (plus `BEGIN`/`COMMIT`);
//! the head creation only on a chain's first batch in this writer's life.
//!
//! Several instances stay safe: two writers' batches on one chain serialise on the head's
//! row lock (the second reads the head after the first one's commit). Lock order: heads
//! before log tables, heads in id order; the sealer holds one head per transaction, and
//! retention takes heads sorted before its table lock (ARCHITECTURE.md, "Sealing").

use super::schrijver::Logrijen;
use super::verzegelaar::tekst;
use crate::keten;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use ketenregie_store::schema::logketens;
use ketenregie_store::{DbConnection, conn};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The head id of a chain of the audit trail (as `verzegelaar` and `verificatie` name it).
fn audit_kop(keten: &str) -> String {
    format!("audit:{keten}")
}

/// The head id of a chain of the processing log.
fn verwerking_kop(keten: &str) -> String {
    format!("verwerking:{keten}")
}

/// The head ids of every chain `rijen` touch, sorted (the lock order).
pub(crate) fn koppen_van(rijen: &Logrijen) -> BTreeSet<String> {
    rijen
        .audit
        .iter()
        .map(|r| audit_kop(&r.keten))
        .chain(rijen.verwerking.iter().map(|r| verwerking_kop(&r.keten)))
        .collect()
}

/// Create the heads in `koppen` that `bekend` (this writer's memory) does not hold yet, in
/// a short write transaction of their own (never while holding another head's lock), and
/// remember them. A head another instance created meanwhile is left as it is.
///
/// Errors: the `INSERT`'s own error through `fout_in_rijen`, the transaction's
/// `BEGIN`/`COMMIT` through `E::from`, so the log writer can tell a refused statement from
/// a database it cannot write to (`schrijver::Mislukking`). The connection is not probed
/// after a failure (`conn::schrijf_zonder_controle`): the caller does it.
pub(crate) fn maak_koppen<E: From<diesel::result::Error>>(
    c: &mut DbConnection,
    koppen: &BTreeSet<String>,
    bekend: &mut HashSet<String>,
    fout_in_rijen: impl FnOnce(diesel::result::Error) -> E,
) -> Result<(), E> {
    let nieuw: Vec<&String> = koppen.iter().filter(|k| !bekend.contains(*k)).collect();
    if nieuw.is_empty() {
        return Ok(());
    }
    let waarden: Vec<String> = nieuw
        .iter()
        .map(|k| format!("({}, 0, {})", tekst(k), tekst(keten::BEGIN)))
        .collect();
    let sql = format!(
        "INSERT INTO logketens (id, volgnummer, laatste_hash) VALUES {} ON CONFLICT (id) DO NOTHING",
        waarden.join(", ")
    );
    conn::schrijf_zonder_controle(c, |c| c.batch_execute(&sql).map_err(fout_in_rijen))?;
    bekend.extend(nieuw.into_iter().cloned());
    Ok(())
}

/// A chain head while the batch is being sealed: the last position given and its hash.
type Kop = (i64, String);

/// In the batch transaction: lock the heads in `koppen` (sorted, one statement), seal the
/// rows of `rijen` in place (positions after each head, in id order per chain; the rows'
/// order in the vectors is left as it is) and return the heads' new state for
/// `zet_koppen`. A head that is missing (removed after this writer created it: tampering,
/// which `audit verify` reports) fails the batch; `bekend` is cleared so the next batch
/// creates it again.
pub(crate) fn verzegel(
    c: &mut DbConnection,
    koppen: &BTreeSet<String>,
    rijen: &mut Logrijen,
    bekend: &mut HashSet<String>,
) -> QueryResult<BTreeMap<String, Kop>> {
    let ids: Vec<&str> = koppen.iter().map(String::as_str).collect();
    let q = logketens::table
        .filter(logketens::id.eq_any(&ids))
        .order(logketens::id)
        .select((
            logketens::id,
            logketens::volgnummer,
            logketens::laatste_hash,
        ));
    let gelezen: Vec<(String, i64, String)> = match c {
        DbConnection::Pg(pg) => q.for_update().load(pg)?,
        // `BEGIN IMMEDIATE` (`conn::schrijf`): no other writer until commit.
        DbConnection::Sqlite(s) => q.load(s)?,
    };
    if gelezen.len() != koppen.len() {
        bekend.clear();
        return Err(diesel::result::Error::QueryBuilderError(
            "een ketenkop ontbreekt in logketens".into(),
        ));
    }
    let mut stand: BTreeMap<String, Kop> =
        gelezen.into_iter().map(|(id, n, h)| (id, (n, h))).collect();
    // Per chain in order-key order, as the sealer orders a chain's unsealed rows. The
    // vectors themselves keep their order (each request's rows one run after the other,
    // `schrijver::lus`), so a failed batch can be split back per request: an order of
    // indexes is sorted instead (insert order means nothing, the positions say it).
    // The same steps for both logs' rows (the two row types share these fields).
    macro_rules! verzegel_log {
        ($rijen:expr, $kop:path) => {{
            let rijen = &mut $rijen;
            let mut volgorde: Vec<usize> = (0..rijen.len()).collect();
            volgorde.sort_unstable_by(|&a, &b| {
                let (a, b) = (&rijen[a], &rijen[b]);
                (&a.keten, &a.id).cmp(&(&b.keten, &b.id))
            });
            for i in volgorde {
                let r = &mut rijen[i];
                let (n, vorige) = stand.get_mut(&$kop(&r.keten)).expect("locked above");
                r.volgnummer = *n + 1;
                r.vorige_hash = std::mem::take(vorige);
                r.hash = keten::hash(&r.vorige_hash, &r.inhoud());
                *n += 1;
                vorige.clone_from(&r.hash);
            }
        }};
    }
    verzegel_log!(rijen.audit, audit_kop);
    verzegel_log!(rijen.verwerking, verwerking_kop);
    Ok(stand)
}

/// Move every head to its new state in one statement (a CTE of values joined in
/// `UPDATE ... FROM`, as the sealer's `zet_zegels`; both PostgreSQL and SQLite >= 3.33).
pub(crate) fn zet_koppen(c: &mut DbConnection, stand: &BTreeMap<String, Kop>) -> QueryResult<()> {
    if stand.is_empty() {
        return Ok(());
    }
    let waarden: Vec<String> = stand
        .iter()
        .map(|(id, (n, h))| format!("({}, {n}, {})", tekst(id), tekst(h)))
        .collect();
    c.batch_execute(&format!(
        "WITH k(id, volgnummer, laatste_hash) AS (VALUES {}) \
         UPDATE logketens SET volgnummer = k.volgnummer, laatste_hash = k.laatste_hash \
         FROM k WHERE logketens.id = k.id",
        waarden.join(", ")
    ))
}
