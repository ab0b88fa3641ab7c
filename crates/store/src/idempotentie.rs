//! Idempotency keys (DESIGN.md §4; draft-ietf-httpapi-idempotency-key-header): a retried
//! POST with the same `Idempotency-Key` and the same request gets the first answer; the
//! same key with another request is refused. Kept in the database, so it holds across
//! instances.
//!
//! The answer repeats the created resource, personal data included, so this module never
//! sees it in the clear: the caller passes the answer already encrypted (AES-GCM, the
//! privacy crate's `Versleuteling`, which this crate cannot depend on) and a keyed hash
//! of the request as its fingerprint. Every answer expires at `verloopt_op`; an expired
//! key counts as unused (`zoek` does not return it, `bewaar` replaces it) and `opruimen`
//! removes it (the retention run).

use crate::DbConnection;
use crate::schema::idempotentie;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::to_db;

/// A stored answer, still encrypted.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotentie)]
pub struct Eerder {
    /// The keyed hash of the first request (caller-defined).
    pub verzoek_hash: String,
    /// The HTTP status of the first answer.
    pub status: i32,
    /// Its `Location`, if any.
    pub locatie: Option<String>,
    /// Its body, encrypted by the caller.
    pub antwoord: String,
    /// Its strong `ETag` (the created resource's version), if it had one.
    pub etag: Option<String>,
}

/// Why an answer could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum BewaarFout {
    /// Another request with this key recorded its answer first (a concurrent retry): the
    /// caller's transaction must roll back and answer with the stored result.
    #[error("idempotency key already used by a concurrent request")]
    AlGebruikt,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The unexpired answer recorded for `sleutel` in `organisatie`, if any.
pub fn zoek(
    conn: &mut DbConnection,
    sleutel: &str,
    organisatie: &str,
    nu: DateTime<Utc>,
) -> QueryResult<Option<Eerder>> {
    idempotentie::table
        .find((sleutel, organisatie))
        .filter(idempotentie::verloopt_op.gt(to_db(nu)))
        .select(Eerder::as_select())
        .first(conn)
        .optional()
}

/// Record the answer, in the same transaction as the operation it answers. An expired row
/// with the same key is replaced; an unexpired one (a concurrent request that committed
/// first) gives `BewaarFout::AlGebruikt`. The insert runs in a nested transaction
/// (savepoint), so the violation does not poison the caller's PostgreSQL transaction.
#[allow(clippy::too_many_arguments)]
pub fn bewaar(
    conn: &mut DbConnection,
    sleutel: &str,
    organisatie: &str,
    verzoek_hash: &str,
    status: i32,
    locatie: Option<&str>,
    etag: Option<&str>,
    versleuteld_antwoord: &str,
    nu: DateTime<Utc>,
    verloopt_op: DateTime<Utc>,
) -> Result<(), BewaarFout> {
    diesel::delete(
        idempotentie::table
            .find((sleutel, organisatie))
            .filter(idempotentie::verloopt_op.le(to_db(nu))),
    )
    .execute(conn)?;
    let ingevoegd = conn.transaction(|c| {
        diesel::insert_into(idempotentie::table)
            .values((
                idempotentie::sleutel.eq(sleutel),
                idempotentie::organisatie.eq(organisatie),
                idempotentie::verzoek_hash.eq(verzoek_hash),
                idempotentie::status.eq(status),
                idempotentie::locatie.eq(locatie),
                idempotentie::etag.eq(etag),
                idempotentie::antwoord.eq(versleuteld_antwoord),
                idempotentie::aangemaakt_op.eq(to_db(nu)),
                idempotentie::verloopt_op.eq(to_db(verloopt_op)),
            ))
            .execute(c)
    });
    match ingevoegd {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(BewaarFout::AlGebruikt),
        Err(e) => Err(e.into()),
    }
}

/// Remove (or with `proef`, only count) the answers expired at `nu`.
pub fn opruimen(conn: &mut DbConnection, nu: DateTime<Utc>, proef: bool) -> QueryResult<usize> {
    let verlopen = idempotentie::verloopt_op.le(to_db(nu));
    if proef {
        idempotentie::table
            .filter(verlopen)
            .count()
            .get_result::<i64>(conn)
            .map(|n| n as usize)
    } else {
        diesel::delete(idempotentie::table.filter(verlopen)).execute(conn)
    }
}

/// Remove the stored answers whose `Location` is the resource at `pad` or one under it
/// (`pad/...`), for any key and organisation: the resource itself was removed (a concept
/// zorgmelding withdrawn), and an answer repeating its content must not outlive it (AVG
/// art. 5 lid 1 c and e). A retry with such a key then counts as a new request. Returns
/// how many went.
pub fn vergeet_locatie(conn: &mut DbConnection, pad: &str) -> QueryResult<usize> {
    diesel::delete(
        idempotentie::table.filter(
            idempotentie::locatie
                .eq(pad)
                .or(idempotentie::locatie.like(format!("{pad}/%"))),
        ),
    )
    .execute(conn)
}
