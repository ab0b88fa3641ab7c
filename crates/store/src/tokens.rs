//! Token ids already seen (`jti`), kept in the database until the token expires so that
//! replay protection holds across every instance.
//!
//! A `jti` is bound to the token that first carried it (by a SHA-256 fingerprint the
//! caller computes): presenting that same token again within its lifetime is the normal
//! use of a bearer token, but a *different* token carrying an already-used `jti` is a
//! replay or a forgery and is refused. With `eenmalig` each token is accepted once only.

use crate::DbConnection;
use crate::schema::gebruikte_tokens::dsl as t;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JtiUitkomst {
    /// First time this `jti` is seen.
    Nieuw,
    /// The same token again (allowed unless tokens are single-use).
    ZelfdeToken,
    /// Another token with this `jti`: refuse.
    AnderToken,
}

/// Record `jti` for a token with fingerprint `hash`, valid until `verloopt_op`.
pub fn registreer(
    conn: &mut DbConnection,
    jti: &str,
    hash: &str,
    verloopt_op: NaiveDateTime,
) -> QueryResult<JtiUitkomst> {
    // Insert, and on a unique violation read the row that is there: two instances racing
    // on the same new token both end up comparing with the one row that won. The insert
    // runs in its own (nested) transaction so a violation cannot poison a caller's
    // PostgreSQL transaction. (Diesel's ON CONFLICT is not available over MultiBackend.)
    let inserted = conn.transaction(|c| {
        diesel::insert_into(t::gebruikte_tokens)
            .values((
                t::jti.eq(jti),
                t::token_hash.eq(hash),
                t::verloopt_op.eq(verloopt_op),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => return Ok(JtiUitkomst::Nieuw),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(e) => return Err(e),
    }
    let bestaand: String = t::gebruikte_tokens
        .filter(t::jti.eq(jti))
        .select(t::token_hash)
        .first(conn)?;
    Ok(if bestaand == hash {
        JtiUitkomst::ZelfdeToken
    } else {
        JtiUitkomst::AnderToken
    })
}

/// The fingerprint of the token that first carried `jti`, if it was seen. The common case
/// (a bearer token reused within its lifetime) is answered by this read alone, without a
/// write transaction.
pub fn gezien(conn: &mut DbConnection, jti: &str) -> QueryResult<Option<String>> {
    t::gebruikte_tokens
        .filter(t::jti.eq(jti))
        .select(t::token_hash)
        .first(conn)
        .optional()
}

/// Forget token ids whose tokens have expired (they cannot be replayed any more).
pub fn opruimen(conn: &mut DbConnection, nu: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(t::gebruikte_tokens.filter(t::verloopt_op.lt(nu))).execute(conn)
}

/// The retention of token ids (`opruimen`), with a dry run: the number of ids whose
/// tokens expired before `nu` (removed unless `proef`).
pub fn bewaar(conn: &mut DbConnection, nu: NaiveDateTime, proef: bool) -> QueryResult<usize> {
    if proef {
        let n: i64 = t::gebruikte_tokens
            .filter(t::verloopt_op.lt(nu))
            .count()
            .get_result(conn)?;
        Ok(n as usize)
    } else {
        opruimen(conn, nu)
    }
}
