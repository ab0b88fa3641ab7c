//! Both migration trees, embedded in the binary and run at start-up and by
//! `ketenregie migrate`, and the rest of the start-up work after them.
//!
//! On PostgreSQL everything an instance does at start (the migrations, then the reference
//! data, `VERSLEUTEL_BIJ_START` and whatever else `start` is given) runs under one session
//! advisory lock: several instances starting together against a new database queue on
//! the lock, each migration runs once, and each later step sees the finished work of the
//! instance before it (issue 14, finding 7: reference data loaded after the lock was
//! released, by count-then-insert, killed two of three instances). Work done later by the
//! CLI (`ketenregie import`) takes the same lock for its transaction (`onder_slot`).

use crate::conn::{self, Backend, DbConnection, DbUrl, PoolFout};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Arbitrary but fixed: the key of the advisory lock around start-up work ("ketenreg" in
/// ASCII). The session lock (`start`) and the transaction lock (`onder_slot`) share it.
const ADVISORY_LOCK_KEY: i64 = 0x6b65_7465_6e72_6567;

/// Run every pending migration; returns the versions applied by this call.
pub fn run(url: &DbUrl) -> Result<Vec<String>, PoolFout> {
    start(url, |_| Ok(())).map(|(applied, ())| applied)
}

/// Run every pending migration, then `daarna` on the same connection, all under the
/// start-up lock (PostgreSQL; SQLite serves one instance and `daarna` writes with
/// `conn::schrijf`, which takes SQLite's write lock). Returns the versions applied and
/// what `daarna` returned. The lock is released whatever happens (closing the connection
/// would release it too).
pub fn start<T>(
    url: &DbUrl,
    daarna: impl FnOnce(&mut DbConnection) -> Result<T, PoolFout>,
) -> Result<(Vec<String>, T), PoolFout> {
    let mut c = url.connect()?;
    match url.backend() {
        Backend::Sqlite => {
            // WAL lets readers go on while one writer commits; stored in the file.
            c.batch_execute("PRAGMA journal_mode = WAL;")?;
            let applied = apply(&mut c)?;
            Ok((applied, daarna(&mut c)?))
        }
        Backend::Postgres => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({ADVISORY_LOCK_KEY})"))?;
            let result = apply(&mut c).and_then(|applied| Ok((applied, daarna(&mut c)?)));
            let _ = c.batch_execute(&format!("SELECT pg_advisory_unlock({ADVISORY_LOCK_KEY})"));
            result
        }
    }
}

/// Run `f` in a write transaction (`conn::schrijf`) that first takes the start-up lock
/// (PostgreSQL: `pg_advisory_xact_lock`, released at commit or rollback), so it never
/// interleaves with an instance's start-up work or another `onder_slot`.
pub fn onder_slot<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn::schrijf(conn, |c| {
        if c.backend() == Backend::Postgres {
            c.batch_execute(&format!(
                "SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})"
            ))?;
        }
        f(c)
    })
}

/// The pending migrations, then the data a migration could not compute in SQL: the
/// organisations' name keys (`directory::vul_naamsleutels`; a no-op once filled).
fn apply(c: &mut DbConnection) -> Result<Vec<String>, PoolFout> {
    let applied = match c {
        DbConnection::Sqlite(c) => apply_tree(c, SQLITE),
        DbConnection::Pg(c) => apply_tree(c, POSTGRES),
    }?;
    let dubbel = crate::conn::schrijf(c, crate::directory::vul_naamsleutels)?;
    for (code, _) in &dubbel {
        // Said at every start until renamed: the name looks like that of an organisation
        // registered before it (NAAM_UNIEK), so it keeps no name key. Codes only; a name
        // is no personal data, but the log line need not carry it.
        tracing::warn!(
            organisatie = %code,
            "organisatie zonder naamsleutel: haar naam lijkt op die van een eerder geregistreerde organisatie (NAAM_UNIEK); de platformbeheerder moet haar hernoemen"
        );
    }
    Ok(applied)
}

fn apply_tree<C>(c: &mut C, tree: EmbeddedMigrations) -> Result<Vec<String>, PoolFout>
where
    C: MigrationHarness<C::Backend> + Connection,
{
    c.run_pending_migrations(tree)
        .map(|v| v.into_iter().map(|m| m.to_string()).collect())
        .map_err(|e| PoolFout::Migratie(e.to_string()))
}
