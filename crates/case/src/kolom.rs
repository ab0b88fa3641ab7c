//! Typed TEXT columns (issue 12 "typed columns", vaultwarden's pattern): the case
//! registry's statuses and kinds are read back as their Rust types, so a value the code
//! does not know is a deserialization error at the row, never a silent default later.
//!
//! - `tekst_kolom!(Type)` implements `FromSql`/`ToSql` on `Text` through the type's
//!   `FromStr`/`AsRef<str>` (strum), generic over the backend: SQLite, PostgreSQL and the
//!   `DbConnection` multi-backend alike. The type itself derives `AsExpression` and
//!   `FromSqlRow` with `#[diesel(sql_type = Text)]`.
//! - `Tekst<T>` does the same for a type this crate does not own (a `Uuid`, the shared
//!   `Vertrouwelijkheid`), which the orphan rule keeps from getting the impls directly.
//! - `Json<T>` reads a JSON document stored as TEXT (a list of ids).
//!
//! Kept local to this crate until `ketenregie_store::kolom` (the shared helper of issue
//! 12) lands; then the macro moves there and this module keeps only the wrappers.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::sql_types::Text;
use std::str::FromStr;

/// `FromSql`/`ToSql` on `Text` for enums with strum's `EnumString` and `AsRefStr`.
macro_rules! tekst_kolom {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(waarde: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let s = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(waarde)?;
                s.parse().map_err(|_| {
                    format!("onbekende waarde `{s}` voor {}", stringify!($t)).into()
                })
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.as_ref(),
                    out,
                )
            }
        }
    )+};
}
pub(crate) use tekst_kolom;

/// A value of a type this crate does not own, stored as its text form (`Display`) and
/// read back through `FromStr`; an unparsable value fails the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tekst<T>(pub T);

impl<T, DB> FromSql<Text, DB> for Tekst<T>
where
    DB: Backend,
    T: FromStr,
    String: FromSql<Text, DB>,
{
    fn from_sql(waarde: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let s = String::from_sql(waarde)?;
        s.parse().map(Tekst).map_err(|_| {
            format!("onbekende waarde `{s}` voor {}", std::any::type_name::<T>()).into()
        })
    }
}

impl<T, DB> Queryable<Text, DB> for Tekst<T>
where
    DB: Backend,
    T: FromStr,
    String: FromSql<Text, DB>,
{
    type Row = Self;
    fn build(rij: Self) -> deserialize::Result<Self> {
        Ok(rij)
    }
}

/// A JSON document stored as TEXT; a document that does not fit `T` fails the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T, DB> FromSql<Text, DB> for Json<T>
where
    DB: Backend,
    T: serde::de::DeserializeOwned,
    String: FromSql<Text, DB>,
{
    fn from_sql(waarde: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let s = String::from_sql(waarde)?;
        Ok(Json(serde_json::from_str(&s)?))
    }
}

impl<T, DB> Queryable<Text, DB> for Json<T>
where
    DB: Backend,
    T: serde::de::DeserializeOwned,
    String: FromSql<Text, DB>,
{
    type Row = Self;
    fn build(rij: Self) -> deserialize::Result<Self> {
        Ok(rij)
    }
}

/// A stored id in a `String` column of a public row struct (the command-line tools read
/// those as text): parsed, or the row fails.
pub fn uuid(s: &str) -> deserialize::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|_| format!("geen UUID in een id-kolom: `{s}`").into())
}

/// `deserialize::Result` as a query error, for row mapping after `load`.
pub fn rij<T>(r: deserialize::Result<T>) -> diesel::QueryResult<T> {
    r.map_err(diesel::result::Error::DeserializationError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gezag::Gezagsvorm;
    use crate::incidenten::Wederhoor;
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use ketenregie_common::Vertrouwelijkheid;
    use ketenregie_store::DbConnection;
    use uuid::Uuid;

    /// Through the same multi-backend connection the service uses.
    fn conn() -> DbConnection {
        DbConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap())
    }

    fn lees<T>(c: &mut DbConnection, waarde: &str) -> QueryResult<T>
    where
        T: Queryable<Text, <DbConnection as diesel::Connection>::Backend> + 'static,
    {
        diesel::select(sql::<Text>(&format!("'{waarde}'"))).get_result(c)
    }

    #[test]
    fn a_known_value_reads_as_its_type_and_writes_back_as_text() {
        let mut c = conn();
        assert_eq!(
            lees::<Gezagsvorm>(&mut c, "tijdelijk-geen").unwrap(),
            Gezagsvorm::TijdelijkGeen
        );
        assert_eq!(
            lees::<Tekst<Vertrouwelijkheid>>(&mut c, "vertrouwelijk")
                .unwrap()
                .0,
            Vertrouwelijkheid::Vertrouwelijk
        );
        let id = Uuid::nil();
        assert_eq!(lees::<Tekst<Uuid>>(&mut c, &id.to_string()).unwrap().0, id);
        assert_eq!(
            lees::<Json<Vec<Uuid>>>(&mut c, &format!("[\"{id}\"]"))
                .unwrap()
                .0,
            vec![id]
        );
        let terug: String = diesel::select(Wederhoor::NietBereikbaar.into_sql::<Text>())
            .get_result(&mut c)
            .unwrap();
        assert_eq!(terug, "niet-bereikbaar");
    }

    #[test]
    fn an_unknown_value_fails_the_row_instead_of_becoming_a_default() {
        let mut c = conn();
        for fout in [
            lees::<Gezagsvorm>(&mut c, "gedeeld").map(|_| ()),
            lees::<Tekst<Vertrouwelijkheid>>(&mut c, "topgeheim").map(|_| ()),
            lees::<Tekst<Uuid>>(&mut c, "geen-uuid").map(|_| ()),
            lees::<Json<Vec<Uuid>>>(&mut c, "[1, 2]").map(|_| ()),
        ] {
            assert!(
                matches!(fout, Err(diesel::result::Error::DeserializationError(_))),
                "{fout:?}"
            );
        }
    }
}
