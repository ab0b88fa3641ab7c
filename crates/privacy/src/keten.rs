//! Hash chains for the append-only logs. Each row carries the hash of its predecessor in
//! its chain (one chain per log and organisation, so organisations do not queue behind
//! each other), and its own hash over its content and that predecessor. Changing,
//! removing or inserting a row breaks the chain at that point, which `verifieer` finds.
//!
//! Linking is serialised per chain: the chain head row in `logketens` is updated first in
//! the transaction, which locks it on PostgreSQL until commit; SQLite has one writer.
//! Since issue 17 only the sealer (`logboek::verzegelaar`), the log writer sealing a read
//! batch (`logboek::batchzegel`, all the batch's heads in one sorted statement) and
//! retention's checkpoint row take that lock; requests never wait for it.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::logketens;
use sha2::{Digest, Sha256};

/// The "previous hash" of the first row of every chain.
pub const BEGIN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Reserve the next position in chain `id`: returns (sequence number, previous hash).
/// Call `sluit` with the new row's hash in the same transaction.
pub fn volgende(conn: &mut DbConnection, id: &str) -> QueryResult<(i64, String)> {
    reserveer(conn, id, 1)
}

/// Reserve `n` consecutive positions: returns the first sequence number and the hash
/// before it. One statement: the update locks the head row until commit and returns the
/// new counter with the (still unchanged) previous hash.
pub fn reserveer(conn: &mut DbConnection, id: &str, n: i64) -> QueryResult<(i64, String)> {
    for _ in 0..3 {
        let kop: Option<(String, i64, String)> =
            diesel::update(logketens::table.filter(logketens::id.eq(id)))
                .set(logketens::volgnummer.eq(logketens::volgnummer + n))
                .returning(logketens::all_columns)
                .get_result(conn)
                .optional()?;
        if let Some((_, volgnummer, laatste)) = kop {
            return Ok((volgnummer - n + 1, laatste));
        }
        // A new chain. Another transaction may create it at the same moment: the nested
        // transaction keeps a unique violation from poisoning ours, and we retry.
        let created = conn.transaction(|c| {
            diesel::insert_into(logketens::table)
                .values((
                    logketens::id.eq(id),
                    logketens::volgnummer.eq(n),
                    logketens::laatste_hash.eq(BEGIN),
                ))
                .execute(c)
        });
        match created {
            Ok(_) => return Ok((1, BEGIN.to_string())),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(DieselError::RollbackTransaction)
}

/// Record the hash of the row just appended as the chain's head.
pub fn sluit(conn: &mut DbConnection, id: &str, hash: &str) -> QueryResult<()> {
    diesel::update(logketens::table.filter(logketens::id.eq(id)))
        .set(logketens::laatste_hash.eq(hash))
        .execute(conn)
        .map(|_| ())
}

/// Move the head of chain `id` to row `volgnummer` with hash `hash` (the sealer, after it
/// sealed up to there under the head's lock).
pub fn zet(conn: &mut DbConnection, id: &str, volgnummer: i64, hash: &str) -> QueryResult<()> {
    diesel::update(logketens::table.filter(logketens::id.eq(id)))
        .set((
            logketens::volgnummer.eq(volgnummer),
            logketens::laatste_hash.eq(hash),
        ))
        .execute(conn)
        .map(|_| ())
}

/// SHA-256 over the previous hash and the row's canonical content.
pub fn hash(vorige: &str, inhoud: &str) -> String {
    let mut h = Sha256::new();
    h.update(vorige.as_bytes());
    h.update(b"\n");
    h.update(inhoud.as_bytes());
    hex::encode(h.finalize())
}

/// The chain heads, for checking that no row was removed from a chain's end.
pub fn koppen(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64, String)>> {
    logketens::table
        .select((
            logketens::id,
            logketens::volgnummer,
            logketens::laatste_hash,
        ))
        .order(logketens::id)
        .load(conn)
}
