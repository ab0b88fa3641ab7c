//! Monthly partitions of the two logs on PostgreSQL (issue 17 point 6): `verwerkingslog`
//! by `start_op` and `audittrail` by `tijdstip`, one partition per calendar month (UTC),
//! named `<table>_pYYYY_MM`, and a DEFAULT partition `<table>_standaard` for a row whose
//! month has none. The partitions are made by the SQL function `ketenregie_logpartitie`
//! (migration `2026-12-03-000101_h17part_logpartities`), serialised by an advisory lock,
//! so several instances may make them at once. SQLite has no partitions: every function
//! here does nothing there.

use crate::conn::{Backend, DbConnection};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Date, Nullable, Text, Timestamp};

/// The partitioned log tables and their partition key.
pub const LOGTABELLEN: [(&str, &str); 2] =
    [("verwerkingslog", "start_op"), ("audittrail", "tijdstip")];

/// How many months after the current one `maak_vooruit` makes by default.
pub const MAANDEN_VOORUIT: u32 = 2;

#[derive(QueryableByName)]
struct Gemaakt {
    #[diesel(sql_type = Nullable<Text>)]
    naam: Option<String>,
}

/// The first day of the month `n` months after `d`'s.
pub fn maand_plus(d: NaiveDate, n: u32) -> NaiveDate {
    let m0 = d.year() * 12 + d.month0() as i32 + n as i32;
    NaiveDate::from_ymd_opt(m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1, 1).expect("valid")
}

/// Make, on PostgreSQL, the partitions of both logs for the month of `nu` and the
/// `vooruit` months after it (those that exist are left as they are). Returns the names
/// of the partitions now in place; a month whose rows already went to the DEFAULT
/// partition gets none (it stays there; retention removes those rows row by row). Runs in
/// the caller's transaction or its own statement; the advisory lock is held to the end
/// of the transaction. On SQLite: nothing, an empty list.
pub fn maak_vooruit(
    conn: &mut DbConnection,
    nu: NaiveDateTime,
    vooruit: u32,
) -> QueryResult<Vec<String>> {
    if conn.backend() != Backend::Postgres {
        return Ok(vec![]);
    }
    let mut uit = Vec::new();
    for (tabel, _) in LOGTABELLEN {
        for n in 0..=vooruit {
            let maand = maand_plus(nu.date(), n);
            let r: Gemaakt = diesel::sql_query("SELECT ketenregie_logpartitie($1, $2) AS naam")
                .bind::<Text, _>(tabel)
                .bind::<Date, _>(maand)
                .get_result(conn)?;
            uit.extend(r.naam);
        }
    }
    Ok(uit)
}

/// One monthly partition of a log table: its name and its bounds `[van, tot)`.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Partitie {
    #[diesel(sql_type = Text)]
    pub naam: String,
    #[diesel(sql_type = Timestamp)]
    pub van: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    pub tot: NaiveDateTime,
}

/// The monthly partitions of `tabel` (one of `LOGTABELLEN`), oldest first, without the
/// DEFAULT partition; read from the catalogue (`pg_inherits`) and the names, which carry
/// the month. On SQLite: none.
pub fn maandpartities(conn: &mut DbConnection, tabel: &str) -> QueryResult<Vec<Partitie>> {
    if conn.backend() != Backend::Postgres {
        return Ok(vec![]);
    }
    diesel::sql_query(
        "SELECT c.relname::text AS naam,
                to_timestamp(substr(c.relname, length($1) + 3), 'YYYY_MM')::timestamp AS van,
                (to_timestamp(substr(c.relname, length($1) + 3), 'YYYY_MM') + interval '1 month')::timestamp AS tot
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = $1::regclass AND c.relname ~ ('^' || $1 || '_p[0-9]{4}_[0-9]{2}$')
         ORDER BY c.relname",
    )
    .bind::<Text, _>(tabel)
    .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maand_plus_over_de_jaargrens() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(
            maand_plus(d, 0),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert_eq!(
            maand_plus(d, 2),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        assert_eq!(
            maand_plus(d, 14),
            NaiveDate::from_ymd_opt(2028, 1, 1).unwrap()
        );
    }
}
