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

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

static TOTAAL: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static GETELD: Cell<u64> = const { Cell::new(0) };
}

/// The instrumentation every pooled connection carries (`DbUrl::connect`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Teller;

impl Instrumentation for Teller {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            GETELD.with(|g| g.set(g.get().wrapping_add(1)));
            TOTAAL.fetch_add(1, Ordering::Relaxed);
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
        c.set_instrumentation(Teller);
        let voor = geteld();
        c.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        diesel::sql_query("INSERT INTO t VALUES (1)")
            .execute(&mut c)
            .unwrap();
        c.transaction(|c| diesel::sql_query("SELECT 1").execute(c))
            .unwrap();
        // CREATE, INSERT, BEGIN, SELECT, COMMIT.
        assert_eq!(geteld() - voor, 5);
    }
}
