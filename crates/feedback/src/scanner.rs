//! The deadline scanner (issue 6 point 3): finds feedback duties coming due and overdue
//! and queues, each exactly once, a reminder to the receiving organisation before the
//! deadline, an escalation to its escalation contact once it passed, and a notice to the
//! sender that the feedback is late. Each sent notice is marked on the duty
//! (`herinnerd_op`, `geescaleerd_op`, `laat_gemeld_op`) in the same transaction as the
//! outbox row, so a notice exists exactly when its mark does.
//!
//! Safe with several instances: on PostgreSQL each batch is claimed with
//! `FOR UPDATE SKIP LOCKED` (a row another scanner holds is skipped, and once it commits
//! its marks exclude the row); on SQLite, one instance, writers queue on the store's
//! write lock.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ketenregie_common::Klok;
use ketenregie_common::time::to_db;
use ketenregie_store::schema::termijnen;
use ketenregie_store::{DbConnection, DbPool, conn, outbox};

/// Event to the receiver before a feedback deadline.
pub const HERINNERING: &str = "termijnen.herinnering";
/// Event to the receiver's escalation contact once a deadline passed.
pub const ESCALATIE: &str = "termijnen.escalatie";
/// Event to the sender that the feedback on its melding is late.
pub const TE_LAAT: &str = "termijnen.terugkoppeling-te-laat";

/// How the scanner works.
#[derive(Debug, Clone)]
pub struct ScanInstelling {
    /// A reminder goes out this long before a duty is due, but not before half its term
    /// has passed (`referral::termijnen::HERINNERING_NA_HALVE_TERMIJN`).
    pub herinnering_vooraf: Duration,
    /// Duties per transaction.
    pub batch: i64,
}

impl Default for ScanInstelling {
    fn default() -> Self {
        Self {
            herinnering_vooraf: Duration::hours(24),
            batch: 500,
        }
    }
}

/// What one pass queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanResultaat {
    pub herinneringen: usize,
    pub escalaties: usize,
    pub laatmeldingen: usize,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = termijnen)]
struct Open {
    id: String,
    zorgmelding_id: String,
    afzender: String,
    ontvanger: String,
    verschuldigd_op: chrono::NaiveDateTime,
    herinnerd_op: Option<chrono::NaiveDateTime>,
    geescaleerd_op: Option<chrono::NaiveDateTime>,
    laat_gemeld_op: Option<chrono::NaiveDateTime>,
}

/// Claim up to `batch` duties that need a notice now.
fn claim(c: &mut DbConnection, nu: DateTime<Utc>, inst: &ScanInstelling) -> QueryResult<Vec<Open>> {
    let nu_db = to_db(nu);
    // Built per backend: `as_select` fixes the backend in the query's type.
    macro_rules! q {
        () => {
            termijnen::table
                .filter(termijnen::voldaan_op.is_null())
                .filter(termijnen::vervallen_op.is_null())
                .filter(termijnen::verschuldigd_op.le(to_db(nu + inst.herinnering_vooraf)))
                .filter(
                    termijnen::herinnerd_op
                        .is_null()
                        .and(termijnen::verschuldigd_op.ge(nu_db))
                        // HERINNERING_NA_HALVE_TERMIJN (referral::termijnen)
                        .and(termijnen::herinneren_vanaf.le(nu_db))
                        .or(termijnen::verschuldigd_op.lt(nu_db).and(
                            termijnen::geescaleerd_op
                                .is_null()
                                .or(termijnen::laat_gemeld_op.is_null()),
                        )),
                )
                .order((termijnen::verschuldigd_op, termijnen::id))
                .limit(inst.batch)
                .select(Open::as_select())
        };
    }
    match c {
        DbConnection::Pg(pg) => q!().for_update().skip_locked().load(pg),
        DbConnection::Sqlite(s) => q!().load(s),
    }
}

fn melding(
    conn: &mut DbConnection,
    soort: &str,
    aan: &str,
    t: &Open,
    nu: DateTime<Utc>,
    cache: &mut outbox::BestemmingenCache,
) -> QueryResult<()> {
    outbox::enqueue_met(
        conn,
        &outbox::Gebeurtenis {
            soort: soort.into(),
            organisatie: aan.into(),
            onderwerp: t.id.clone(),
            dataref: format!("/api/v1/zorgmeldingen/{}", t.zorgmelding_id),
        },
        nu,
        cache,
    )
}

/// One batch in one transaction; returns what it queued and whether the batch was full.
fn batch(
    conn: &mut DbConnection,
    nu: DateTime<Utc>,
    inst: &ScanInstelling,
) -> QueryResult<(ScanResultaat, bool)> {
    conn::schrijf(conn, |c| {
        let rijen = claim(c, nu, inst)?;
        let vol = rijen.len() as i64 == inst.batch;
        let mut r = ScanResultaat::default();
        let nu_db = to_db(nu);
        let mut cache = outbox::BestemmingenCache::new();
        let (mut herinnerd, mut geescaleerd, mut laat) = (vec![], vec![], vec![]);
        for t in &rijen {
            if t.verschuldigd_op >= nu_db {
                if t.herinnerd_op.is_none() {
                    melding(c, HERINNERING, &t.ontvanger, t, nu, &mut cache)?;
                    herinnerd.push(t.id.as_str());
                }
                continue;
            }
            if t.geescaleerd_op.is_none() {
                melding(c, ESCALATIE, &t.ontvanger, t, nu, &mut cache)?;
                geescaleerd.push(t.id.as_str());
            }
            if t.laat_gemeld_op.is_none() {
                melding(c, TE_LAAT, &t.afzender, t, nu, &mut cache)?;
                laat.push(t.id.as_str());
            }
        }
        // The marks, one statement each for the whole batch.
        if !herinnerd.is_empty() {
            diesel::update(termijnen::table.filter(termijnen::id.eq_any(&herinnerd)))
                .set(termijnen::herinnerd_op.eq(Some(nu_db)))
                .execute(c)?;
        }
        if !geescaleerd.is_empty() {
            diesel::update(termijnen::table.filter(termijnen::id.eq_any(&geescaleerd)))
                .set(termijnen::geescaleerd_op.eq(Some(nu_db)))
                .execute(c)?;
        }
        if !laat.is_empty() {
            diesel::update(termijnen::table.filter(termijnen::id.eq_any(&laat)))
                .set(termijnen::laat_gemeld_op.eq(Some(nu_db)))
                .execute(c)?;
        }
        r.herinneringen = herinnerd.len();
        r.escalaties = geescaleerd.len();
        r.laatmeldingen = laat.len();
        Ok((r, vol))
    })
}

/// One full pass at time `nu`.
pub fn ronde(
    conn: &mut DbConnection,
    nu: DateTime<Utc>,
    inst: &ScanInstelling,
) -> QueryResult<ScanResultaat> {
    let mut totaal = ScanResultaat::default();
    loop {
        let (r, vol) = batch(conn, nu, inst)?;
        totaal.herinneringen += r.herinneringen;
        totaal.escalaties += r.escalaties;
        totaal.laatmeldingen += r.laatmeldingen;
        if !vol {
            return Ok(totaal);
        }
    }
}

/// The scanner as a background job's handle.
#[derive(Clone)]
pub struct Scanner {
    pub pool: DbPool,
    pub klok: Klok,
    pub instelling: ScanInstelling,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("instelling", &self.instelling)
            .finish()
    }
}

impl Scanner {
    /// One pass now, on the blocking pool.
    pub async fn ronde(&self) -> Result<ScanResultaat, String> {
        let (pool, nu, inst) = (self.pool.clone(), self.klok.nu(), self.instelling.clone());
        tokio::task::spawn_blocking(move || {
            let mut c = pool.get().map_err(|e| e.to_string())?;
            ronde(&mut c, nu, &inst).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }
}
