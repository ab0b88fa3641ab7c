//! Running database work from async handlers: on actix's blocking pool, in one
//! transaction, so a request either commits whole or changes nothing.

use crate::problem::AppError;
use actix_web::web;
use diesel::Connection;
use ketenregie_store::{Backend, DbConnection, DbPool};
use std::sync::Mutex;

/// SQLite has one writer at a time. A deferred SQLite transaction that reads first and
/// writes later fails with SQLITE_BUSY when another connection committed in between
/// (busy_timeout does not help there), so write transactions are queued here instead.
/// PostgreSQL needs no such lock. SQLite serves one instance only (DESIGN.md §3).
static SQLITE_SCHRIJVER: Mutex<()> = Mutex::new(());

/// Run `f` on a pooled connection inside a transaction. Any `Err` rolls everything back.
pub async fn tx<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        let c: &mut DbConnection = &mut conn;
        let _slot = (c.backend() == Backend::Sqlite)
            .then(|| SQLITE_SCHRIJVER.lock().unwrap_or_else(|e| e.into_inner()));
        c.transaction(f)
    })
    .await
    .map_err(AppError::intern)?
}

/// Run `f` on a pooled connection without an explicit transaction: for reads only (a
/// write belongs in `tx`, which queues SQLite writers).
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(AppError::intern)?
}
