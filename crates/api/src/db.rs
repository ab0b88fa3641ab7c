//! Running database work from async handlers: on actix's blocking pool, in one
//! transaction, so a request either commits whole or changes nothing.
//!
//! Both helpers take a connection checked out healthy (`conn::haal`) and, when the work
//! fails, check that the connection still answers: a connection the database dropped is
//! marked broken (the pool discards it) and the failure is answered as the database being
//! unavailable, 503 with `Retry-After`, never as a 500 or a 401 with the driver's words
//! (issue 14, findings 1 and 2).

use crate::problem::AppError;
use actix_web::web;
use ketenregie_common::Fout;
use ketenregie_store::conn::{self, PooledConn};
use ketenregie_store::{DbConnection, DbPool};

/// Run `f` on a pooled connection inside a write transaction (`conn::schrijf`: on SQLite
/// `BEGIN IMMEDIATE`, waiting up to `busy_timeout` for another writer, in this process or
/// another). Any `Err` rolls everything back.
pub async fn tx<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    op_verbinding(pool, move |c| {
        conn::schrijf_zonder_controle(c, |c| f(c).map_err(Mislukt::App)).map_err(Mislukt::naar_app)
    })
    .await
}

/// Run `f` on a pooled connection inside a read transaction: on SQLite a deferred `BEGIN`
/// (no writer lock: reads run side by side with each other and with the writer, on WAL's
/// snapshot), on PostgreSQL a normal transaction. For reads in read mode
/// (`verwerking::tx` with action `lezen`), whose log rows the log writer commits; a write
/// in `f` still works, but on SQLite may meet a busy database (503). Any `Err` rolls back.
pub async fn lees_tx<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    op_verbinding(pool, move |c| lees_transactie(c, f)).await
}

/// A read whose use case sends only reads and needs no snapshot across its statements
/// (`verwerking::lezing`; issue 17: fewer round trips): `f` runs without `BEGIN`/`COMMIT`,
/// on both backends.
///
/// Why that keeps consistency: PostgreSQL runs at READ COMMITTED here, where every
/// statement takes its own snapshot inside a transaction as well, so an explicit
/// transaction around statements that only read gives them nothing they lack without
/// one; a single statement is consistent by itself. On SQLite (WAL) a statement outside a
/// transaction reads one snapshot of its own, which is the same guarantee; the one use
/// case (`GET /zorgmeldingen/{id}`) reads the melding, its duties, its statements and the
/// register's version stamp in one statement, and what it may read after (the decision's
/// inputs on a cache miss) is filed under that stamp, so it is at least as new as the
/// stamp says (`privacy::stamgegevens`), as on PostgreSQL. Nothing is written through the
/// connection (the read's log rows go to the log writer, which commits them before the
/// answer), so there is nothing a failure could leave half done.
pub async fn lees_los<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    op_verbinding(pool, f).await
}

/// Run `f` on a pooled connection without an explicit transaction: for reads only (a
/// write belongs in `tx`).
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    op_verbinding(pool, f).await
}

/// The one way the helpers above reach the database: on actix's blocking pool, a
/// connection checked out healthy (`conn::haal_binnen`), `werk` on it, and after a failure
/// the check that the connection still answers (`na_afloop`).
///
/// The blocking pool of a worker has only its share of the connections
/// (`verbinding::blokkerende_threads`), so under load a request may first wait in the
/// worker's blocking queue. That wait counts against the pool's connection timeout: a
/// request that has waited it out already is answered 503 without asking the pool, and
/// otherwise waits for a connection only for what is left (`conn::wachttijd_tot`: at
/// least 100 ms). So with the database away every request is answered within about that
/// timeout, as when each waited in a thread of its own, and not one timeout per request
/// ahead of it in the queue.
async fn op_verbinding<T, F>(pool: &DbPool, werk: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    let aangekomen = std::time::Instant::now();
    let uiterlijk = aangekomen + pool.connection_timeout();
    web::block(move || {
        if std::time::Instant::now() >= uiterlijk {
            tracing::warn!(
                gewacht_ms = aangekomen.elapsed().as_millis() as u64,
                "te lang in de wachtrij voor de database"
            );
            return Err(AppError::database_onbereikbaar());
        }
        let mut c = conn::haal_binnen(&pool, conn::wachttijd_tot(uiterlijk))?;
        let uitkomst = werk(&mut c);
        na_afloop(&mut c, uitkomst)
    })
    .await
    .map_err(AppError::intern)?
}

/// `f` in a read transaction (on SQLite a deferred `BEGIN`): any `Err` rolls back.
fn lees_transactie<T>(
    c: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use diesel::Connection;
    c.transaction(|c| f(c).map_err(Mislukt::App))
        .map_err(Mislukt::naar_app)
}

/// A database error as the caller should see it: by kind (`ketenregie_common::Fout`: a
/// lost connection or a busy database is 503), and a full disk as 503 too (the service
/// cannot write now; readiness says so as well).
pub fn db_fout(e: diesel::result::Error) -> AppError {
    if let diesel::result::Error::DatabaseError(_, info) = &e
        && is_schijf_vol(info.message())
    {
        tracing::error!(fout = %info.message(), "database kan niet schrijven");
        return AppError::NietBeschikbaar(SCHIJF_VOL.into());
    }
    AppError::from(Fout::from(e))
}

const SCHIJF_VOL: &str =
    "De database kan op dit moment niet schrijven (geen schijfruimte); probeer het later opnieuw";

fn is_schijf_vol(bericht: &str) -> bool {
    let b = bericht.to_ascii_lowercase();
    // SQLite: SQLITE_FULL; PostgreSQL: ENOSPC on its data or WAL files.
    b.contains("disk is full") || b.contains("no space left on device")
}

/// The failure of a transaction: the work's own answer, or the database's at begin or
/// commit.
enum Mislukt {
    App(AppError),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for Mislukt {
    fn from(e: diesel::result::Error) -> Self {
        Mislukt::Db(e)
    }
}

impl Mislukt {
    fn naar_app(self) -> AppError {
        match self {
            Mislukt::App(a) => a,
            Mislukt::Db(e) => db_fout(e),
        }
    }
}

/// After the work: a connection that worked is trusted for its next use; after a failure
/// that may be the database's (500 or 503), the connection is checked, and a lost one is
/// dropped and answered 503.
fn na_afloop<T>(c: &mut PooledConn, uitkomst: Result<T, AppError>) -> Result<T, AppError> {
    match uitkomst {
        Ok(v) => {
            conn::gezien_werken(c);
            Ok(v)
        }
        Err(AppError::Intern(oorzaak)) if is_schijf_vol(&oorzaak) => {
            tracing::error!(fout = %oorzaak, "database kan niet schrijven");
            Err(AppError::NietBeschikbaar(SCHIJF_VOL.into()))
        }
        Err(e @ (AppError::Intern(_) | AppError::NietBeschikbaar(_))) => {
            if conn::controleer_na_fout(c) {
                Err(e)
            } else {
                tracing::warn!(fout = %e, "databaseverbinding verloren; verbinding verwijderd");
                Err(AppError::database_onbereikbaar())
            }
        }
        Err(e) => Err(e),
    }
}
