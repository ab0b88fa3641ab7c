//! Log rows inserted column by column on PostgreSQL (issue 17, h18):
//!
//! ```sql
//! INSERT INTO audittrail (id, keten, ...) SELECT * FROM unnest($1, $2, ...)
//! ```
//!
//! with one array bind per column, instead of diesel's multi-row `VALUES ($1, ..), ($22,
//! ..), ..` with one bind per value. Why: the text of a multi-row `VALUES` insert differs
//! with every row count, so diesel never keeps it prepared and PostgreSQL parses,
//! analyses (a type coercion per value) and plans it for every batch of the log writer;
//! measured with `pg_stat_statements`, planning alone was a fifth of the batch statement,
//! and the batch statement the largest PostgreSQL cost of a logged read
//! (benches/load/KETEN.md "h18"). The `unnest` form has one text per table whatever the
//! number of rows, so it is prepared once per connection (diesel's statement cache, keyed
//! by the text: the statement contains nothing diesel deems unsafe to cache), and a
//! `Bundel` of such parts is too. The rows are the same rows: the same columns, `NULL`
//! for `None`, in the same order (`unnest` of several arrays yields their elements
//! position by position; PostgreSQL manual §9.19, "unnest ( anyarray, anyarray [, ... ] )").
//! The arrays are binary binds (their element type travels with them), so no value is in
//! the SQL text. SQLite has neither arrays nor a network round trip to save: it keeps the
//! multi-row insert (`schrijver::voeg_in`).

use super::schrijver::MAX_BINDS;
use super::{AuditInvoeg, VerwerkingInvoeg};
use crate::verstrekking::VerstrekkingInvoeg;
use chrono::NaiveDateTime;
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::SqliteConnection;
use ketenregie_store::DbConnection;

/// `$naam<'a>`: the rows of `$rij` as one column-wise insert into `$tabel`, one array per
/// column (`$kolom` of SQL type `$st`, Rust type `$t` in the row). The column list is
/// written once, here, and the compiler checks each against the row's field type; the
/// names are the table's (`ketenregie_store::schema`) and the `Insertable` row's.
macro_rules! kolominvoeg {
    ($(#[$m:meta])* $naam:ident, $rij:ty, $tabel:ident, [$($kolom:ident: $st:ty = $t:ty),+ $(,)?]) => {
        $(#[$m])*
        pub(crate) struct $naam<'a> {
            $($kolom: Vec<&'a $t>,)+
        }

        impl<'a> $naam<'a> {
            /// The columns of `rijen` (borrowed, nothing copied but the references).
            pub(crate) fn van(rijen: &'a [$rij]) -> Self {
                Self { $($kolom: rijen.iter().map(|r| &r.$kolom).collect(),)+ }
            }
        }

        impl Omvang for $rij {
            fn omvang(&self) -> usize {
                0 $(+ Omvang::omvang(&self.$kolom))+
            }
        }

        impl QueryId for $naam<'_> {
            type QueryId = ();
            // Keyed by its SQL text in diesel's statement cache (the text is fixed).
            const HAS_STATIC_QUERY_ID: bool = false;
        }

        impl QueryFragment<Pg> for $naam<'_> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
                out.push_sql(concat!(
                    "INSERT INTO ", stringify!($tabel), " (",
                    kolominvoeg!(@namen $($kolom),+),
                    ") SELECT * FROM unnest("
                ));
                let mut eerste = true;
                $(
                    if !std::mem::take(&mut eerste) {
                        out.push_sql(", ");
                    }
                    out.push_bind_param::<Array<$st>, _>(&self.$kolom)?;
                )+
                out.push_sql(")");
                Ok(())
            }
        }

        impl RunQueryDsl<PgConnection> for $naam<'_> {}

        impl Logrij for $rij {
            const KOLOMMEN: usize = [$(stringify!($kolom)),+].len();

            fn pg(deel: &[Self], c: &mut PgConnection) -> QueryResult<usize> {
                $naam::van(deel).execute(c)
            }

            fn sqlite(deel: &[Self], c: &mut SqliteConnection) -> QueryResult<usize> {
                diesel::insert_into(ketenregie_store::schema::$tabel::table)
                    .values(deel)
                    .execute(c)
            }
        }
    };
    (@namen $eerste:ident $(, $rest:ident)*) => {
        concat!(stringify!($eerste) $(, ", ", stringify!($rest))*)
    };
}

/// The bytes a value takes in a bind message (its text's length, or its fixed width plus
/// the array element's 4-byte length word): what bounds one statement's size.
pub(crate) trait Omvang {
    fn omvang(&self) -> usize;
}

impl Omvang for String {
    fn omvang(&self) -> usize {
        4 + self.len()
    }
}

impl<T: Omvang> Omvang for Option<T> {
    fn omvang(&self) -> usize {
        self.as_ref().map_or(4, Omvang::omvang)
    }
}

macro_rules! vaste_omvang {
    ($($t:ty = $n:expr),+) => {
        $(impl Omvang for $t {
            fn omvang(&self) -> usize {
                4 + $n
            }
        })+
    };
}
vaste_omvang!(i64 = 8, i32 = 4, bool = 1, NaiveDateTime = 8);

/// A log table's row type, written by [`voeg_in`] (generated with its column list by
/// `kolominvoeg!`, so the column count and both backends' inserts cannot drift apart).
pub(crate) trait Logrij: Omvang + Sized {
    /// The table's columns: the bind parameters one row takes in a multi-row insert.
    const KOLOMMEN: usize;
    /// Insert `deel` column-wise (PostgreSQL).
    fn pg(deel: &[Self], c: &mut PgConnection) -> QueryResult<usize>;
    /// Insert `deel` as one multi-row `VALUES` statement (SQLite).
    fn sqlite(deel: &[Self], c: &mut SqliteConnection) -> QueryResult<usize>;
}

/// The rows a multi-row statement of `R` may take: within [`MAX_BINDS`] bind parameters.
pub(crate) const fn rijen_per_insert<R: Logrij>() -> usize {
    MAX_BINDS / R::KOLOMMEN
}

/// Write `rijen` in the caller's transaction, in parts: on PostgreSQL column-wise (one
/// text, prepared once) within [`rijen_per_insert`] rows and [`MAX_BYTES`]; on SQLite as
/// multi-row inserts within [`rijen_per_insert`] rows (its variable limit).
pub(crate) fn voeg_in<R: Logrij>(conn: &mut DbConnection, rijen: &[R]) -> QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => {
            for deel in delen(rijen, rijen_per_insert::<R>()) {
                R::pg(deel, c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for deel in rijen.chunks(rijen_per_insert::<R>()) {
                R::sqlite(deel, c)?;
            }
        }
    }
    Ok(())
}

/// The most bytes of values one column-wise statement carries. PostgreSQL refuses any
/// protocol message over 1 GiB and closes the connection (`PQ_LARGE_MESSAGE_LIMIT`,
/// src/include/libpq/libpq.h; the hostile review of h18 filled one batch with 1.2 GB of
/// processing-log rows: every read in it failed). 64 MiB keeps a statement far below that
/// and still takes thousands of ordinary rows.
pub(crate) const MAX_BYTES: usize = 64 * 1024 * 1024;

/// `rijen` cut into consecutive parts of at most `max_rijen` rows and [`MAX_BYTES`] bytes
/// of values each (a row larger than that alone is a part of its own).
pub(crate) fn delen<T: Omvang>(rijen: &[T], max_rijen: usize) -> Vec<&[T]> {
    let mut delen = Vec::new();
    let (mut begin, mut bytes) = (0, 0);
    for (i, r) in rijen.iter().enumerate() {
        let n = r.omvang();
        if i > begin && (i - begin >= max_rijen || bytes + n > MAX_BYTES) {
            delen.push(&rijen[begin..i]);
            (begin, bytes) = (i, 0);
        }
        bytes += n;
    }
    if begin < rijen.len() {
        delen.push(&rijen[begin..]);
    }
    delen
}

/// The bytes of values of `rijen` (see [`Omvang`]).
pub(crate) fn omvang<T: Omvang>(rijen: &[T]) -> usize {
    rijen.iter().map(Omvang::omvang).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R(usize);
    impl Omvang for R {
        fn omvang(&self) -> usize {
            self.0
        }
    }

    fn maten(d: &[&[R]]) -> Vec<usize> {
        d.iter().map(|x| x.len()).collect()
    }

    #[test]
    fn delen_naar_rijen_en_bytes() {
        let rijen: Vec<R> = (0..10).map(|_| R(10)).collect();
        assert_eq!(maten(&delen(&rijen, 4)), vec![4, 4, 2]);
        assert_eq!(maten(&delen(&rijen, 100)), vec![10]);
        let groot = [
            R(MAX_BYTES / 2),
            R(MAX_BYTES / 2),
            R(1),
            R(MAX_BYTES + 1),
            R(1),
        ];
        assert_eq!(maten(&delen(&groot, 100)), vec![2, 1, 1, 1]);
        assert!(delen::<R>(&[], 4).is_empty());
    }
}

kolominvoeg!(
    /// Audit rows (`AuditInvoeg`) as one column-wise insert into `audittrail`.
    AuditKolommen,
    AuditInvoeg,
    audittrail,
    [
        id: Text = String,
        keten: Text = String,
        volgnummer: BigInt = i64,
        vorige_hash: Text = String,
        hash: Text = String,
        tijdstip: Timestamp = NaiveDateTime,
        trace_id: Text = String,
        gebruiker: Text = String,
        gebruiker_naam: Text = String,
        organisatie: Text = String,
        applicatie: Text = String,
        actie: Text = String,
        object_type: Text = String,
        object_id: Text = String,
        eigenaar: Text = String,
        resultaat: Integer = i32,
        toelichting: Nullable<Text> = Option<String>,
        doorbraak: Bool = bool,
        grondslag: Nullable<Text> = Option<String>,
        oude_waarde: Nullable<Text> = Option<String>,
        nieuwe_waarde: Nullable<Text> = Option<String>,
    ]
);

kolominvoeg!(
    /// Processing-log rows (`VerwerkingInvoeg`) as one column-wise insert into
    /// `verwerkingslog`.
    VerwerkingKolommen,
    VerwerkingInvoeg,
    verwerkingslog,
    [
        id: Text = String,
        keten: Text = String,
        volgnummer: BigInt = i64,
        vorige_hash: Text = String,
        hash: Text = String,
        trace_id: Text = String,
        span_id: Text = String,
        parent_span_id: Nullable<Text> = Option<String>,
        organisatie: Text = String,
        activiteit: Text = String,
        grondslag: Text = String,
        convenant_id: Nullable<Text> = Option<String>,
        convenant_versie: Nullable<BigInt> = Option<i64>,
        betrokkene: Text = String,
        resultaat: Text = String,
        doorbraak: Bool = bool,
        start_op: Timestamp = NaiveDateTime,
        eind_op: Timestamp = NaiveDateTime,
    ]
);

kolominvoeg!(
    /// Disclosure rows (`VerstrekkingInvoeg`) as one column-wise insert into
    /// `verstrekkingen`.
    VerstrekkingKolommen,
    VerstrekkingInvoeg,
    verstrekkingen,
    [
        id: Text = String,
        eigenaar: Text = String,
        ontvanger: Text = String,
        rollen: Text = String,
        object_type: Text = String,
        object_id: Text = String,
        doel: Text = String,
        grondslag: Text = String,
        convenant_id: Nullable<Text> = Option<String>,
        convenant_versie: Nullable<BigInt> = Option<i64>,
        doorbraak: Bool = bool,
        trace_id: Text = String,
        tijdstip: Timestamp = NaiveDateTime,
    ]
);

/// The chain heads' move of a log writer's batch (`batchzegel`) column-wise:
/// `UPDATE logketens SET .. FROM unnest($1, $2, $3) AS k(id, volgnummer, laatste_hash)
/// WHERE logketens.id = k.id`, one text whatever the number of heads (see the module).
pub(crate) struct KopKolommen<'a> {
    id: Vec<&'a str>,
    volgnummer: Vec<i64>,
    laatste_hash: Vec<&'a str>,
}

impl<'a> KopKolommen<'a> {
    /// The heads' new state: (chain head id, last position, last hash).
    pub(crate) fn van(koppen: impl IntoIterator<Item = (&'a str, i64, &'a str)>) -> Self {
        let mut k = Self {
            id: Vec::new(),
            volgnummer: Vec::new(),
            laatste_hash: Vec::new(),
        };
        for (id, n, hash) in koppen {
            k.id.push(id);
            k.volgnummer.push(n);
            k.laatste_hash.push(hash);
        }
        k
    }

    pub(crate) fn is_leeg(&self) -> bool {
        self.id.is_empty()
    }
}

impl QueryId for KopKolommen<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Pg> for KopKolommen<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "UPDATE logketens SET volgnummer = k.volgnummer, laatste_hash = k.laatste_hash \
             FROM unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.volgnummer)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.laatste_hash)?;
        out.push_sql(") AS k(id, volgnummer, laatste_hash) WHERE logketens.id = k.id");
        Ok(())
    }
}

impl RunQueryDsl<PgConnection> for KopKolommen<'_> {}
