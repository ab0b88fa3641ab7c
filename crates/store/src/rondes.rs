//! Round trips to the database, counted per thread: every statement a pooled connection
//! sends (queries, `BEGIN`/`COMMIT`, `batch_execute`) is one round trip, counted by
//! diesel's instrumentation (`InstrumentationEvent::StartQuery`) on the thread that sent
//! it. A use case runs on one blocking thread with one connection from start to end, so
//! the difference of `geteld()` before and after it is the number of round trips it
//! made (issue 17: "the briefing in a handful of queries, count them in a test").
//!
//! The count is a thread-local `u64`, so counting costs no lock and no allocation; a
//! connection used on another thread counts there. Beside it one process-wide total
//! (`totaal`, a relaxed atomic add per statement), published as the metric
//! `ketenregie_db_rondes_total`: round trips per request under load are its difference
//! divided by the requests served (`benches/load/kosten.py`).
//!
//! And one count per database (`van_database`): the statements this process sent to the
//! database a pool was built for, whichever thread sent them (the authentication's hop,
//! the use case, the log writer's batch). A test counts one request's round trips with it
//! exactly, while other tests run on their own databases in the same process
//! (`tests/it/rondes.rs`).

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

static TOTAAL: AtomicU64 = AtomicU64::new(0);

/// The per-database counts, by the target the pool was built for (`DbUrl::target`: a
/// file path or a PostgreSQL URL). Few entries: one per database a process opened.
static PER_DATABASE: OnceLock<Mutex<HashMap<String, Arc<AtomicU64>>>> = OnceLock::new();

/// The shared count of the statements sent to database `target` (created at first use).
pub fn teller_van(target: &str) -> Arc<AtomicU64> {
    let kaart = PER_DATABASE.get_or_init(Mutex::default);
    let mut kaart = kaart.lock().unwrap_or_else(|e| e.into_inner());
    kaart.entry(target.to_string()).or_default().clone()
}

/// The statements this process sent to database `target` through pooled connections
/// (`conn::pool_met`) since it started: take differences.
pub fn van_database(target: &str) -> u64 {
    teller_van(target).load(Ordering::Relaxed)
}

thread_local! {
    static GETELD: Cell<u64> = const { Cell::new(0) };
}

/// The instrumentation every connection carries (`DbUrl::connect`); a pooled one also
/// counts for its database (`Teller::voor`).
#[derive(Debug, Clone, Default)]
pub struct Teller {
    database: Option<Arc<AtomicU64>>,
}

impl Teller {
    /// A teller that also counts for database `target` (`van_database`).
    pub fn voor(target: &str) -> Self {
        Self {
            database: Some(teller_van(target)),
        }
    }
}

impl Instrumentation for Teller {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            GETELD.with(|g| g.set(g.get().wrapping_add(1)));
            TOTAAL.fetch_add(1, Ordering::Relaxed);
            if let Some(d) = &self.database {
                d.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// The statements sent on this thread so far (a running count: take differences).
pub fn geteld() -> u64 {
    GETELD.with(Cell::get)
}

/// The statements sent by every pooled connection of this process since it started.
pub fn totaal() -> u64 {
    TOTAAL.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    #[test]
    fn telt_elke_opdracht() {
        let mut c = diesel::sqlite::SqliteConnection::establish(":memory:").unwrap();
        c.set_instrumentation(Teller::voor("geheugen"));
        let voor = geteld();
        c.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        diesel::sql_query("INSERT INTO t VALUES (1)")
            .execute(&mut c)
            .unwrap();
        c.transaction(|c| diesel::sql_query("SELECT 1").execute(c))
            .unwrap();
        // CREATE, INSERT, BEGIN, SELECT, COMMIT.
        assert_eq!(geteld() - voor, 5);
        assert_eq!(van_database("geheugen"), 5);
    }
}
