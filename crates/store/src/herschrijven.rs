//! Rewriting a column's values in place, for the data changes a migration's SQL cannot
//! make: encrypting values still stored in plain text (issue 11 point 5, migration
//! `2026-11-30-000005_versleuteling_rest`) needs the key, which lives in the service's
//! configuration, not in the database. The domain crates name their columns (`Kolom`);
//! the service runs the rewrite at start-up (`VERSLEUTEL_BIJ_START`).
//!
//! Safe to run by several instances at once and again after an interruption: a value is
//! replaced only while it still holds what was read (`WHERE kolom = old`), each batch is
//! one transaction, and a value once rewritten is no longer selected.

use crate::DbConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// A text column identified by its table and the table's single text primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kolom {
    pub tabel: &'static str,
    pub sleutel: &'static str,
    pub kolom: &'static str,
}

/// Rows read per batch.
const BATCH: i64 = 500;

#[derive(QueryableByName)]
struct Waarde {
    #[diesel(sql_type = Text)]
    sleutel: String,
    #[diesel(sql_type = Text)]
    waarde: String,
}

fn is_naam(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// Replace every non-null value of `k` that does not begin with `voorvoegsel` (compared
/// case-sensitively) by `f(value)`, which must begin with it. Returns how many values were
/// replaced.
///
/// # Panics
/// When a name in `k` is not a plain lowercase SQL name, or `voorvoegsel` holds a quote:
/// both are constants of the code, never input.
pub fn herschrijf_zonder_voorvoegsel(
    conn: &mut DbConnection,
    k: Kolom,
    voorvoegsel: &str,
    f: impl Fn(&str) -> String,
) -> QueryResult<usize> {
    assert!(is_naam(k.tabel) && is_naam(k.sleutel) && is_naam(k.kolom));
    assert!(!voorvoegsel.is_empty() && !voorvoegsel.contains('\''));
    let Kolom {
        tabel,
        sleutel,
        kolom,
    } = k;
    let lees = format!(
        "SELECT {sleutel} AS sleutel, {kolom} AS waarde FROM {tabel} \
         WHERE {kolom} IS NOT NULL AND substr({kolom}, 1, {n}) <> '{voorvoegsel}' \
         ORDER BY {sleutel} LIMIT {BATCH}",
        n = voorvoegsel.chars().count(),
    );
    let mut totaal = 0;
    loop {
        let n = conn.transaction(|c| {
            let rijen: Vec<Waarde> = diesel::sql_query(&lees).load(c)?;
            let mut n = 0;
            for r in &rijen {
                let nieuw = f(&r.waarde);
                debug_assert!(nieuw.starts_with(voorvoegsel));
                n += match c {
                    DbConnection::Pg(pg) => diesel::sql_query(format!(
                        "UPDATE {tabel} SET {kolom} = $1 WHERE {sleutel} = $2 AND {kolom} = $3"
                    ))
                    .bind::<Text, _>(&nieuw)
                    .bind::<Text, _>(&r.sleutel)
                    .bind::<Text, _>(&r.waarde)
                    .execute(pg)?,
                    DbConnection::Sqlite(s) => diesel::sql_query(format!(
                        "UPDATE {tabel} SET {kolom} = ? WHERE {sleutel} = ? AND {kolom} = ?"
                    ))
                    .bind::<Text, _>(&nieuw)
                    .bind::<Text, _>(&r.sleutel)
                    .bind::<Text, _>(&r.waarde)
                    .execute(s)?,
                };
            }
            QueryResult::Ok((rijen.len(), n))
        })?;
        totaal += n.1;
        // Done when nothing is left, or when nothing of a batch could be replaced (each
        // value changed under us: whoever changed it also encrypted it).
        if (n.0 as i64) < BATCH || n.1 == 0 {
            return Ok(totaal);
        }
    }
}
