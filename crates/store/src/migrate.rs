//! Both migration trees, embedded in the binary and run at start-up and by
//! `ketenregie migrate`. On PostgreSQL under an advisory lock: several instances starting
//! together against a new database queue on the lock and each migration runs once.

use crate::conn::{Backend, DbUrl, PoolFout, sqlite_setup};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Arbitrary but fixed: the key of the session advisory lock around migrations
/// ("ketenreg" in ASCII).
const ADVISORY_LOCK_KEY: i64 = 0x6b65_7465_6e72_6567;

/// Run every pending migration; returns the versions applied by this call.
pub fn run(url: &DbUrl) -> Result<Vec<String>, PoolFout> {
    match url.backend() {
        Backend::Sqlite => {
            let mut c = SqliteConnection::establish(url.target())?;
            sqlite_setup(&mut c)?;
            // WAL lets readers go on while one writer commits; stored in the file.
            c.batch_execute("PRAGMA journal_mode = WAL;")?;
            apply(&mut c, SQLITE)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(url.target())?;
            c.batch_execute(&format!("SELECT pg_advisory_lock({ADVISORY_LOCK_KEY})"))?;
            let result = apply(&mut c, POSTGRES);
            // Unlock even when a migration failed; closing the connection would also do.
            let _ = c.batch_execute(&format!("SELECT pg_advisory_unlock({ADVISORY_LOCK_KEY})"));
            result
        }
    }
}

fn apply<C>(c: &mut C, tree: EmbeddedMigrations) -> Result<Vec<String>, PoolFout>
where
    C: MigrationHarness<C::Backend> + Connection,
{
    c.run_pending_migrations(tree)
        .map(|v| v.into_iter().map(|m| m.to_string()).collect())
        .map_err(|e| PoolFout::Migratie(e.to_string()))
}
