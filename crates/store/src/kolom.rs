//! Columns with types (issue 12 point 4, vaultwarden's pattern), shared by every domain
//! crate: statuses, kinds and ids are stored as TEXT and read back as their Rust types, so
//! an unknown value in the database is a deserialization error at the row, never a
//! `parse().expect` or a silent default later. Every impl is generic over the backend
//! (`DB: Backend` with `str: ToSql<Text, DB>` / `String: FromSql<Text, DB>`), so it serves
//! SQLite, PostgreSQL and the `MultiConnection` backend of [`crate::DbConnection`] alike.
//!
//! - `ketenregie_store::tekst_kolom!(T, U, ..)` for types with `AsRef<str>` and `FromStr`
//!   (strum's `AsRefStr`/`EnumString`): `ToSql` and `FromSql` on `Text`; the type derives
//!   `diesel::AsExpression` and `diesel::FromSqlRow` with `#[diesel(sql_type = Text)]`.
//! - [`Tekst<T>`] / [`TekstOptie<T>`] for a foreign type (`Uuid`, `Vertrouwelijkheid`) that
//!   the orphan rule keeps from having the impls in the using crate: a row field of that
//!   wrapper type, or `#[diesel(deserialize_as = Tekst<T>)]` on a field of type `T`.
//! - [`Json<T>`] for a JSON document stored as TEXT (a list of ids).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::{Nullable, Text};
use std::convert::Infallible;
use std::fmt::Display;
use std::str::FromStr;

/// `ToSql`/`FromSql` on `Text` for `$t` via `AsRef<str>` and `FromStr`, for every backend.
#[macro_export]
macro_rules! tekst_kolom {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB> for $t
        where
            DB: ::diesel::backend::Backend,
            str: ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut ::diesel::serialize::Output<'b, '_, DB>,
            ) -> ::diesel::serialize::Result {
                <str as ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>>::to_sql(
                    ::core::convert::AsRef::<str>::as_ref(self),
                    out,
                )
            }
        }
        impl<DB> ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB> for $t
        where
            DB: ::diesel::backend::Backend,
            String: ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> ::diesel::deserialize::Result<Self> {
                $crate::kolom::lees::<Self, DB>(bytes)
            }
        }
    )+};
}

/// Read a TEXT value as `T`; an unknown value is a deserialization error naming it.
pub fn lees<T, DB>(bytes: DB::RawValue<'_>) -> deserialize::Result<T>
where
    T: FromStr,
    T::Err: Display,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    let s = <String as FromSql<Text, DB>>::from_sql(bytes)?;
    s.parse::<T>().map_err(|e| {
        format!(
            "`{s}` is geen geldige {}: {e}",
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("waarde")
        )
        .into()
    })
}

/// A foreign type read from TEXT (see the module documentation).
#[derive(Debug, FromSqlRow)]
pub struct Tekst<T>(pub T);

impl<T, DB> FromSql<Text, DB> for Tekst<T>
where
    T: FromStr,
    T::Err: Display,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        lees::<T, DB>(bytes).map(Tekst)
    }
}

impl<T> Tekst<T> {
    /// What `#[diesel(deserialize_as = ..)]` calls to reach the field's type (an inherent
    /// method, as the orphan rule forbids `From<Tekst<T>> for T`).
    pub fn try_into(self) -> Result<T, Infallible> {
        Ok(self.0)
    }
}

/// A foreign type read from nullable TEXT.
#[derive(Debug, FromSqlRow)]
pub struct TekstOptie<T>(pub Option<T>);

impl<T, DB> FromSql<Nullable<Text>, DB> for TekstOptie<T>
where
    T: FromStr,
    T::Err: Display,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        lees::<T, DB>(bytes).map(|t| TekstOptie(Some(t)))
    }

    fn from_nullable_sql(bytes: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match bytes {
            Some(b) => Self::from_sql(b),
            None => Ok(TekstOptie(None)),
        }
    }
}

impl<T> TekstOptie<T> {
    /// See `Tekst::try_into`.
    pub fn try_into(self) -> Result<Option<T>, Infallible> {
        Ok(self.0)
    }
}

/// A JSON document in a TEXT column, read as `T`; malformed JSON is an error at the row.
#[derive(Debug, FromSqlRow)]
pub struct Json<T>(pub T);

impl<T, DB> FromSql<Text, DB> for Json<T>
where
    T: serde::de::DeserializeOwned,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, DB>>::from_sql(bytes)?;
        Ok(Json(serde_json::from_str(&s)?))
    }
}

impl<T> Json<T> {
    /// See `Tekst::try_into`.
    pub fn try_into(self) -> Result<T, Infallible> {
        Ok(self.0)
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
    use crate::DbConnection;
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use ketenregie_common::Vertrouwelijkheid;
    use uuid::Uuid;

    #[derive(
        Debug,
        PartialEq,
        strum::AsRefStr,
        strum::EnumString,
        diesel::expression::AsExpression,
        diesel::deserialize::FromSqlRow,
    )]
    #[strum(serialize_all = "kebab-case")]
    #[diesel(sql_type = Text)]
    enum TaakStatus {
        InProgress,
        OnHold,
    }
    crate::tekst_kolom!(TaakStatus);

    fn db() -> DbConnection {
        DbConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap())
    }

    #[test]
    fn bekende_waarden_komen_als_hun_type_terug() {
        let mut c = db();
        let t: TaakStatus = diesel::select(sql::<Text>("'in-progress'"))
            .get_result(&mut c)
            .unwrap();
        assert_eq!(t, TaakStatus::InProgress);
        let m: Option<TaakStatus> = diesel::select(sql::<Nullable<Text>>("NULL"))
            .get_result(&mut c)
            .unwrap();
        assert_eq!(m, None);
        let Tekst(v): Tekst<Vertrouwelijkheid> = diesel::select(sql::<Text>("'geheim'"))
            .get_result(&mut c)
            .unwrap();
        assert_eq!(v, Vertrouwelijkheid::Geheim);
        let id = Uuid::now_v7();
        let TekstOptie(terug): TekstOptie<Uuid> =
            diesel::select(sql::<Nullable<Text>>(&format!("'{id}'")))
                .get_result(&mut c)
                .unwrap();
        assert_eq!(terug, Some(id));
        // Written as its name.
        let s: String = diesel::select(TaakStatus::OnHold.into_sql::<Text>())
            .get_result(&mut c)
            .unwrap();
        assert_eq!(s, "on-hold");
    }

    #[test]
    fn een_onbekende_waarde_is_een_fout_bij_de_rij() {
        let mut c = db();
        let e = diesel::select(sql::<Text>("'half-klaar'"))
            .get_result::<TaakStatus>(&mut c)
            .unwrap_err();
        assert!(
            matches!(e, diesel::result::Error::DeserializationError(_)),
            "{e:?}"
        );
        assert!(e.to_string().contains("half-klaar"), "{e}");
        assert!(
            diesel::select(sql::<Text>("'geen-uuid'"))
                .get_result::<Tekst<Uuid>>(&mut c)
                .is_err()
        );
        assert!(
            diesel::select(sql::<Text>("'[1, 2'"))
                .get_result::<Json<Vec<Uuid>>>(&mut c)
                .is_err()
        );
    }
}
