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
/// last moments before a database crash may be lost. Used, when configured, for
/// transactions that only read personal data and write their log rows: see
/// `privacy.read_log_commit` in the README for the trade-off.
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

/// SQLite has one writer at a time. A deferred SQLite transaction that reads first and
/// writes later fails with SQLITE_BUSY when another connection committed in between
/// (busy_timeout does not help there), so write transactions are queued on this lock
/// instead: the API's requests and the background jobs (deadline scanner, dispatcher)
/// alike. PostgreSQL needs no such lock. SQLite serves one instance only (DESIGN.md §3).
static SQLITE_SCHRIJVER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Hold this while running a write transaction on `conn` (None on PostgreSQL).
pub fn schrijfslot(conn: &DbConnection) -> Option<std::sync::MutexGuard<'static, ()>> {
    (conn.backend() == Backend::Sqlite)
        .then(|| SQLITE_SCHRIJVER.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Run `f` in a write transaction, queued behind other SQLite writers.
pub fn schrijf<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let _slot = schrijfslot(conn);
    conn.transaction(f)
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

    /// Open one connection with the per-backend setup applied.
    pub fn connect(&self) -> Result<DbConnection, PoolFout> {
        match self.backend {
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(&self.target)?;
                sqlite_setup(&mut c)?;
                Ok(DbConnection::Sqlite(c))
            }
            Backend::Postgres => {
                let mut c = PgConnection::establish(&self.target)?;
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
    c.batch_execute(
        "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
    )
}

/// The r2d2 manager: connects by the checked URL.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DbUrl,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = PoolFout;

    fn connect(&self) -> Result<DbConnection, PoolFout> {
        self.url.connect()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), PoolFout> {
        conn.batch_execute("SELECT 1").map_err(PoolFout::from)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type DbPool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Build the pool. SQLite is one file written by one instance: a small pool is enough and
/// keeps writers from queueing on the file lock.
pub fn pool(url: &DbUrl, max_size: u32) -> Result<DbPool, PoolFout> {
    let size = match url.backend {
        Backend::Sqlite => max_size.min(8),
        Backend::Postgres => max_size,
    };
    Ok(r2d2::Pool::builder()
        .max_size(size.max(1))
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(false)
        .build(Manager { url: url.clone() })?)
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

    #[test]
    fn password_masked() {
        let u = DbUrl::parse("postgres://app:geheim@db:5432/k").unwrap();
        assert_eq!(u.masked(), "postgres://app:***@db:5432/k");
        assert!(!format!("{u:?}").contains("geheim"));
    }
}
