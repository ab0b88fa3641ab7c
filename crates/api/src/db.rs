//! Running database work from async handlers: on actix's blocking pool, in one
//! transaction, so a request either commits whole or changes nothing.

use crate::problem::AppError;
use actix_web::web;
use diesel::Connection;
use ketenregie_store::{DbConnection, DbPool};

/// Run `f` on a pooled connection inside a transaction. Any `Err` rolls everything back.
/// SQLite writers queue on one lock (`ketenregie_store::conn::schrijfslot`), shared with
/// the background jobs.
pub async fn tx<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        let c: &mut DbConnection = &mut conn;
        let _slot = ketenregie_store::conn::schrijfslot(c);
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
