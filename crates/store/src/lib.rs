//! Storage: the diesel schema, one connection type over SQLite and PostgreSQL, the pool,
//! the embedded migrations, and the queries on the foundation tables (the partner
//! directory and the token-replay record) that every domain crate needs.

pub mod conn;
pub mod directory;
pub mod herschrijven;
pub mod idempotentie;
pub mod kolom;
pub mod migrate;
pub mod outbox;
pub mod partities;
pub mod quota;
pub mod referentie;
pub mod rondes;
pub mod schema;
pub mod schrijfslot;
pub mod tokens;
pub mod venster;
pub mod voorbereid;

pub use conn::{Backend, DbConnection, DbPool, DbUrl, PoolFout};

/// A diesel error or a pool error, for callers that only pass them on.
#[derive(Debug, thiserror::Error)]
pub enum StoreFout {
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
}
