//! The connection type over SQLite and PostgreSQL and its r2d2 pool.
//!
//! The backend is chosen by the URL scheme, never by trial: diesel's derived `establish`
//! tries each variant in turn and SQLite accepts any string as a file name, so a mistyped
//! PostgreSQL URL would silently become a local file.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use std::time::Duration;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

impl std::fmt::Debug for DbConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DbConnection::Sqlite(_) => "DbConnection::Sqlite",
            DbConnection::Pg(_) => "DbConnection::Pg",
        })
    }
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Pg(_) => Backend::Postgres,
        }
    }
}

/// Let the current transaction commit without waiting for the disk flush. Atomicity is
/// unchanged (everything in the transaction commits together or not at all); only the
/// last moments before a database crash may be lost. The service never uses it (every
/// commit of log rows is durable before the answer, README "Reliability"); the cost
/// benchmark `crates/privacy/benches/logkosten.rs` uses it to show what the flush costs.
pub fn snelle_commit(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute("SET LOCAL synchronous_commit = off"),
        // SQLite cannot change `synchronous` inside a transaction; the pool's connections
        // are set per transaction by `zet_sqlite_duurzaamheid` instead.
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// SQLite: choose FULL (fsync every commit) or NORMAL (WAL: fsync at checkpoints) for the
/// next transaction on this connection. A no-op on PostgreSQL.
pub fn zet_sqlite_duurzaamheid(conn: &mut DbConnection, volledig: bool) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute(if volledig {
            "PRAGMA synchronous = FULL"
        } else {
            "PRAGMA synchronous = NORMAL"
        }),
        DbConnection::Pg(_) => Ok(()),
    }
}

/// Run `f` in a write transaction. On SQLite it begins with `BEGIN IMMEDIATE`: the write
/// lock is taken at the start, waiting up to `busy_timeout` for another writer (in this
/// process or another: the CLI while the service runs), so a transaction that reads first
/// and writes later can never fail half-way with SQLITE_BUSY (a deferred transaction
/// cannot wait for the lock it upgrades to, <https://sqlite.org/lang_transaction.html>).
/// No lock in this process is involved: unrelated database files never wait on each
/// other. PostgreSQL begins as usual (`BEGIN`, READ COMMITTED). Inside a transaction
/// already, `f` runs in a savepoint.
///
/// When `f`, the begin or the commit fails, the connection is checked (`controleer_na_fout`):
/// a connection the database dropped is marked broken and leaves the pool on return.
pub fn schrijf<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let uitkomst = schrijf_zonder_controle(conn, f);
    if uitkomst.is_err() {
        controleer_na_fout(conn);
    }
    uitkomst
}

/// `schrijf` without the check of the connection after a failure (the caller does it).
pub fn schrijf_zonder_controle<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Tm = <DbConnection as Connection>::TransactionManager;
    // Held until the transaction ended (this function's end).
    let mut beurt: Option<crate::schrijfslot::Beurt> = None;
    let onmiddellijk = match conn {
        DbConnection::Sqlite(c) => {
            let diepte = AnsiTransactionManager::transaction_manager_status_mut(c)
                .transaction_depth()
                .map_err(E::from)?;
            if diepte.is_none() {
                // This process's writers of the file take turns (`schrijfslot`) rather
                // than poll for the lock in SQLite's busy handler.
                let max = Duration::from_millis(BUSY_TIMEOUT_MS);
                let aangevraagd = std::time::Instant::now();
                beurt = Some(crate::schrijfslot::neem(&sqlite_pad(c), max));
                begin_onmiddellijk(c, max.saturating_sub(aangevraagd.elapsed()))
                    .map_err(E::from)?;
                true
            } else {
                false
            }
        }
        DbConnection::Pg(_) => false,
    };
    if !onmiddellijk {
        return conn.transaction(f);
    }
    let uitkomst = match f(conn) {
        Ok(waarde) => Tm::commit_transaction(conn)
            .map(|()| waarde)
            .map_err(E::from),
        Err(fout) => match Tm::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(fout),
            Err(e) => Err(E::from(e)),
        },
    };
    drop(beurt);
    uitkomst
}

/// `BEGIN IMMEDIATE`, waiting for another process's write lock at most `rest`: what is
/// left of `busy_timeout` after the wait for this process's turn (`schrijfslot`), so a
/// write blocked by another process gives up after one `busy_timeout` in all, not one for
/// the turn and another for the lock (h19review measured 19.5 s against the README's
/// 10 s).
///
/// The handler's timeout is changed only when the turn took `VERKORT_NA` or longer and put
/// back right after `BEGIN`: the common case (the turn at once or soon) sends no extra
/// statement, at the price of a bound of `busy_timeout` plus `VERKORT_NA`.
fn begin_onmiddellijk(c: &mut SqliteConnection, rest: Duration) -> diesel::QueryResult<()> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let max = Duration::from_millis(BUSY_TIMEOUT_MS);
    if max.saturating_sub(rest) < VERKORT_NA {
        return AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE");
    }
    c.batch_execute(&format!("PRAGMA busy_timeout = {}", rest.as_millis()))?;
    let begin = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE");
    let terug = c.batch_execute(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"));
    match (begin, terug) {
        (begin, Ok(())) => begin,
        // The timeout could not be put back: never leave a transaction open behind the
        // error, and let the pool drop the connection (a short busy_timeout would fail
        // every later write on it at once).
        (begin, Err(e)) => {
            if begin.is_ok() {
                let _ = AnsiTransactionManager::rollback_transaction(c);
            }
            AnsiTransactionManager::transaction_manager_status_mut(c).set_in_error();
            Err(begin.err().unwrap_or(e))
        }
    }
}

/// How long a wait for the writer's turn goes before `BEGIN IMMEDIATE` gets only the rest
/// of `busy_timeout` (`begin_onmiddellijk`). An engineering choice, no standard sets it:
/// short against the 10 s timeout, long against a turn in the common case (a write
/// transaction of a few milliseconds).
const VERKORT_NA: Duration = Duration::from_millis(100);

/// The file of a SQLite connection's main database (empty in memory): the key of its
/// writers' turns. An in-process pragma, no I/O.
fn sqlite_pad(c: &mut SqliteConnection) -> String {
    #[derive(diesel::QueryableByName)]
    struct Pad {
        #[diesel(sql_type = diesel::sql_types::Text)]
        file: String,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .get_result::<Pad>(c)
        .map(|p| p.file)
        .unwrap_or_default()
}

/// SQLite's `busy_timeout` on every pooled connection (`sqlite_setup`), milliseconds.
pub const BUSY_TIMEOUT_MS: u64 = 10_000;

/// After a failed statement: is the connection still alive? A cheap `SELECT 1` tells; when
/// it fails the connection is marked broken (its transaction manager put in the error
/// state), so the pool's `has_broken` drops it on return instead of handing a dead
/// connection to the next request (issue 14, finding 1). Returns whether it is alive.
pub fn controleer_na_fout(conn: &mut DbConnection) -> bool {
    use diesel::connection::TransactionManager;
    type Tm = <DbConnection as Connection>::TransactionManager;
    match Tm::transaction_manager_status_mut(conn).transaction_depth() {
        // A rollback that could not reach the server left the transaction manager in its
        // error state: the pool drops the connection on return; report it lost.
        Err(_) => return false,
        // The caller's transaction is still open: a probe would run inside it. The
        // outermost `schrijf` checks when it has ended.
        Ok(Some(_)) => return true,
        Ok(None) => {}
    }
    match conn.batch_execute("SELECT 1") {
        Ok(()) => true,
        Err(_) => {
            markeer_gebroken(conn);
            false
        }
    }
}

/// Mark `conn` as broken: the pool drops it when it is returned.
pub fn markeer_gebroken(conn: &mut DbConnection) {
    use diesel::connection::TransactionManager;
    type Tm = <DbConnection as Connection>::TransactionManager;
    Tm::transaction_manager_status_mut(conn).set_in_error();
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL whose scheme has been checked.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    backend: Backend,
    /// For SQLite the file path; for PostgreSQL the whole URL.
    target: String,
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PoolFout {
    #[error(
        "database URL must start with `sqlite://` (a file path follows) or `postgres://` / `postgresql://`"
    )]
    OnbekendSchema,
    #[error("could not open the database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("could not connect to the database: {0}")]
    Verbinding(#[from] diesel::ConnectionError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migratie(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, PoolFout> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(PoolFout::OnbekendSchema);
            }
            Ok(Self {
                backend: Backend::Sqlite,
                target: path.to_string(),
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self {
                backend: Backend::Postgres,
                target: url.to_string(),
            })
        } else {
            Err(PoolFout::OnbekendSchema)
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn target(&self) -> &str {
        &self.target
    }

    /// The URL with any password replaced, safe to print.
    pub fn masked(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.target),
            Backend::Postgres => mask_password(&self.target),
        }
    }

    /// The same URL with libpq's `connect_timeout` (whole seconds, at least 1) added when it
    /// names none: a connect to an unreachable server then fails within `timeout` instead
    /// of the TCP default (minutes). SQLite: unchanged.
    pub fn met_verbind_timeout(&self, timeout: Duration) -> DbUrl {
        match self.backend {
            Backend::Sqlite => self.clone(),
            Backend::Postgres if self.target.contains("connect_timeout=") => self.clone(),
            Backend::Postgres => {
                let sep = if self.target.contains('?') { '&' } else { '?' };
                DbUrl {
                    backend: Backend::Postgres,
                    target: format!(
                        "{}{sep}connect_timeout={}",
                        self.target,
                        timeout.as_secs().max(1)
                    ),
                }
            }
        }
    }

    /// Open one connection with the per-backend setup applied.
    pub fn connect(&self) -> Result<DbConnection, PoolFout> {
        self.connect_geteld(crate::rondes::Teller::default())
    }

    /// `connect`, its statements counted by `teller` (a pool's: `rondes::van_database`).
    pub fn connect_geteld(&self, teller: crate::rondes::Teller) -> Result<DbConnection, PoolFout> {
        match self.backend {
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(&self.target)?;
                c.set_instrumentation(teller);
                sqlite_setup(&mut c)?;
                Ok(DbConnection::Sqlite(c))
            }
            Backend::Postgres => {
                let mut c = PgConnection::establish(&self.target)?;
                c.set_instrumentation(teller);
                c.batch_execute("SET TIME ZONE 'UTC'")?;
                Ok(DbConnection::Pg(c))
            }
        }
    }
}

fn mask_password(url: &str) -> String {
    // postgres://user:secret@host/db -> postgres://user:***@host/db
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && let Some((user, _)) = userinfo.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// Per-connection SQLite setup. `busy_timeout` comes first: the other statements may
/// already need the lock while another pooled connection is starting.
///
/// `synchronous = FULL`: every commit is fsynced. ketenregie's commits carry audit and
/// processing-log rows that must never vanish after the caller was told "done"; NORMAL in
/// WAL mode can lose the last commits on power loss. The cost (one fsync per commit) is
/// small at the volumes one SQLite instance serves; larger installations use PostgreSQL.
/// WAL itself is switched on once by the migration step: it is stored in the file.
pub(crate) fn sqlite_setup(c: &mut SqliteConnection) -> Result<(), diesel::result::Error> {
    c.batch_execute(&format!(
        "PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
    ))
}

/// The r2d2 manager: connects by the checked URL.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DbUrl,
    /// Counts every statement for the database the pool was built for
    /// (`rondes::van_database` of the target given to `pool_met`).
    teller: crate::rondes::Teller,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = PoolFout;

    fn connect(&self) -> Result<DbConnection, PoolFout> {
        self.url.connect_geteld(self.teller.clone())
    }

    /// The cheapest statement that needs the server: `SELECT 1`.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), PoolFout> {
        conn.batch_execute("SELECT 1").map_err(PoolFout::from)
    }

    /// Broken: a transaction left open, a transaction manager in its error state (a
    /// rollback that could not reach the server, or `markeer_gebroken` after a failed
    /// probe), or a panic while it was checked out. No round trip: r2d2 calls this on
    /// every return.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type DbPool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// How the pool behaves (`[database]` in the configuration).
#[derive(Debug, Clone, Copy)]
pub struct PoolInstelling {
    /// Connections per instance (SQLite: at most 8).
    pub max_size: u32,
    /// How long a request waits for a connection (a free one, or a new one to the server)
    /// before it is answered 503; also libpq's `connect_timeout`. r2d2 retries a failed
    /// connect after 200 ms, doubling up to half of this: it bounds how long the pool
    /// takes to notice that the database is back.
    pub verbind_timeout: Duration,
}

impl Default for PoolInstelling {
    fn default() -> Self {
        Self {
            max_size: 16,
            verbind_timeout: Duration::from_secs(5),
        }
    }
}

/// A connection idle for longer than this is probed (`SELECT 1`) by `haal` before it is
/// handed out; one that worked more recently is trusted (a failure on it is still caught
/// by `controleer_na_fout`). HikariCP skips its alive check the same way (500 ms).
pub const CONTROLE_NA: Duration = Duration::from_secs(1);

/// The last time a pooled connection was seen working (a per-connection extension).
#[derive(Debug, Clone, Copy)]
struct LaatstGoed(std::time::Instant);

/// Build the pool with the default behaviour and `max_size` connections.
pub fn pool(url: &DbUrl, max_size: u32) -> Result<DbPool, PoolFout> {
    pool_met(
        url,
        &PoolInstelling {
            max_size,
            ..PoolInstelling::default()
        },
    )
}

/// Build the pool. SQLite is one file written by one instance: a small pool is enough and
/// keeps writers from queueing on the file lock. The pool is built without waiting for its
/// connections (`build_unchecked`): an instance whose database is briefly away still
/// starts its listener, answers readiness with 503, and heals when the database returns.
pub fn pool_met(url: &DbUrl, instelling: &PoolInstelling) -> Result<DbPool, PoolFout> {
    let size = match url.backend {
        Backend::Sqlite => instelling.max_size.min(8),
        Backend::Postgres => instelling.max_size,
    };
    let teller = crate::rondes::Teller::voor(url.target());
    let url = url.met_verbind_timeout(instelling.verbind_timeout);
    Ok(r2d2::Pool::builder()
        .max_size(size.max(1))
        .connection_timeout(instelling.verbind_timeout.max(Duration::from_millis(100)))
        // Checked out healthy by `haal` (a probe after `CONTROLE_NA` idle), not by r2d2 on
        // every checkout: a busy pool pays no extra round trip.
        .test_on_check_out(false)
        // Connections do not live for ever: a server-side change (a failover to a new
        // primary behind the same name, a new `search_path`) reaches every connection.
        .max_lifetime(Some(Duration::from_secs(30 * 60)))
        .idle_timeout(Some(Duration::from_secs(10 * 60)))
        .build_unchecked(Manager { url, teller }))
}

/// A connection from the pool, checked out healthy: one idle for longer than
/// `CONTROLE_NA` is probed first, and a dead one is dropped and the next tried, so the
/// connections the database closed while they sat in the pool never reach a request.
/// Errors as `Pool::get`: no connection within the connection timeout.
pub fn haal(pool: &DbPool) -> Result<PooledConn, r2d2::Error> {
    haal_binnen(pool, pool.connection_timeout())
}

/// The least time a request (`api::db::op_verbinding`) or the log writer waits for a
/// connection, even when its deadline has passed while it queued: a request whose turn
/// came just in time is not failed for that alone. An engineering choice; no standard
/// sets it.
pub const MIN_VERBINDINGSWACHT: Duration = Duration::from_millis(100);

/// How long to wait for a connection with deadline `uiterlijk`: what is left of it, at
/// least `MIN_VERBINDINGSWACHT`. The one rule of a request's connection budget
/// (`api::db::op_verbinding`, the log writer's `schrijf_batch`).
pub fn wachttijd_tot(uiterlijk: std::time::Instant) -> Duration {
    uiterlijk
        .saturating_duration_since(std::time::Instant::now())
        .max(MIN_VERBINDINGSWACHT)
}

/// `haal`, waiting at most `wachttijd` for a connection (readiness answers sooner than a
/// request would wait).
pub fn haal_binnen(pool: &DbPool, wachttijd: Duration) -> Result<PooledConn, r2d2::Error> {
    // Every connection in the pool may be dead (the server restarted): try each once,
    // then one that r2d2 opens anew, which is handed out unprobed (if it fails too, the
    // caller's statement fails and is answered 503 like any lost connection).
    let pogingen = pool.max_size() + 1;
    for poging in 1..=pogingen {
        let mut c = pool.get_timeout(wachttijd)?;
        let vers = r2d2::PooledConnection::extensions(&c)
            .get::<LaatstGoed>()
            .is_some_and(|t| t.0.elapsed() < CONTROLE_NA);
        if vers || poging == pogingen {
            return Ok(c);
        }
        if c.batch_execute("SELECT 1").is_ok() {
            gezien_werken(&mut c);
            return Ok(c);
        }
        markeer_gebroken(&mut c);
    }
    unreachable!("the last attempt returns")
}

/// Note that `conn` just worked (after a successful request): it is not probed before its
/// next use within `CONTROLE_NA`.
pub fn gezien_werken(conn: &mut PooledConn) {
    r2d2::PooledConnection::extensions_mut(conn).insert(LaatstGoed(std::time::Instant::now()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_picks_backend() {
        assert_eq!(
            DbUrl::parse("sqlite://x.db").unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            DbUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert!(DbUrl::parse("x.db").is_err());
        assert!(DbUrl::parse("mysql://h/db").is_err());
    }

    /// `begin_onmiddellijk` with a shortened rest: the write lock held elsewhere makes it
    /// give up after about that rest (not `busy_timeout`), and either way the connection
    /// has its `busy_timeout` back afterwards.
    #[test]
    fn kort_begin_zet_busy_timeout_terug() {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Waarde {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            timeout: i64,
        }
        let pad = std::env::temp_dir().join(format!(
            "ketenregie-begin-{}-{:?}.db",
            std::process::id(),
            std::thread::current().id()
        ));
        let pad = pad.to_str().unwrap().to_string();
        let mut houder = SqliteConnection::establish(&pad).unwrap();
        houder
            .batch_execute("PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS t (x)")
            .unwrap();
        let mut c = SqliteConnection::establish(&pad).unwrap();
        sqlite_setup(&mut c).unwrap();
        let timeout = |c: &mut SqliteConnection| {
            diesel::sql_query("PRAGMA busy_timeout")
                .get_result::<Waarde>(c)
                .unwrap()
                .timeout
        };

        // Free: begins, and the timeout is back.
        begin_onmiddellijk(&mut c, Duration::from_millis(200)).unwrap();
        {
            use diesel::connection::{AnsiTransactionManager, TransactionManager};
            AnsiTransactionManager::rollback_transaction(&mut c).unwrap();
        }
        assert_eq!(timeout(&mut c), BUSY_TIMEOUT_MS as i64);

        // Held elsewhere: gives up after the rest, and the timeout is back.
        houder.batch_execute("BEGIN IMMEDIATE").unwrap();
        let begon = std::time::Instant::now();
        assert!(begin_onmiddellijk(&mut c, Duration::from_millis(200)).is_err());
        let duur = begon.elapsed();
        assert!(
            duur >= Duration::from_millis(150) && duur < Duration::from_secs(3),
            "{duur:?}"
        );
        assert_eq!(timeout(&mut c), BUSY_TIMEOUT_MS as i64);
        houder.batch_execute("ROLLBACK").unwrap();
        drop((c, houder));
        for achter in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{pad}{achter}"));
        }
    }

    #[test]
    fn password_masked() {
        let u = DbUrl::parse("postgres://app:geheim@db:5432/k").unwrap();
        assert_eq!(u.masked(), "postgres://app:***@db:5432/k");
        assert!(!format!("{u:?}").contains("geheim"));
    }
}
