//! Idempotency keys: a retried POST with the same `Idempotency-Key` and the same body gets
//! the first answer; the same key with another body is refused. Kept in the database, so
//! it holds across instances.

use crate::DbConnection;
use crate::schema::idempotentie;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotentie)]
pub struct Eerder {
    pub verzoek_hash: String,
    pub status: i32,
    pub locatie: Option<String>,
    pub antwoord: String,
}

pub fn hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

pub fn zoek(
    conn: &mut DbConnection,
    sleutel: &str,
    organisatie: &str,
) -> QueryResult<Option<Eerder>> {
    idempotentie::table
        .find((sleutel, organisatie))
        .select(Eerder::as_select())
        .first(conn)
        .optional()
}

/// Record the answer, in the same transaction as the operation it answers.
#[allow(clippy::too_many_arguments)]
pub fn bewaar(
    conn: &mut DbConnection,
    sleutel: &str,
    organisatie: &str,
    verzoek_hash: &str,
    status: i32,
    locatie: Option<&str>,
    antwoord: &str,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(idempotentie::table)
        .values((
            idempotentie::sleutel.eq(sleutel),
            idempotentie::organisatie.eq(organisatie),
            idempotentie::verzoek_hash.eq(verzoek_hash),
            idempotentie::status.eq(status),
            idempotentie::locatie.eq(locatie),
            idempotentie::antwoord.eq(antwoord),
            idempotentie::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)
        .map(|_| ())
}
