//! Whole numbers in a JSON body as the published schema reads them. `type: integer` in
//! JSON Schema 2020-12 (the dialect of OpenAPI 3.1) is any number whose fractional part is
//! zero, so `350.0` is an integer (JSON Schema Validation §6.1.1, Core §4.2.2), while serde
//! takes only `350` for an integer field. With `#[serde(deserialize_with = "...")]` a
//! field takes both, so a body valid under the document is read (issue 13: "a schema-valid
//! request is never refused as invalid").
//!
//! `geheel::lees` for `T`, `geheel::optie` for `Option<T>` (with `#[serde(default)]`).

use serde::Deserializer;
use serde::de::{self, Visitor};
use std::fmt;
use std::marker::PhantomData;

struct Geheel<T>(PhantomData<T>);

impl<T: TryFrom<i64> + TryFrom<u64>> Visitor<'_> for Geheel<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // Exactly representable whole numbers only (|v| < 2^63): `1e300` is no i64.
        if v.fract() == 0.0 && v.abs() < 9.2e18 {
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// A whole number: `350` or `350.0`.
pub fn lees<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    d.deserialize_any(Geheel(PhantomData))
}

/// An optional whole number: absent or `null` is `None`.
pub fn optie<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    struct Optie<T>(PhantomData<T>);
    impl<'de, T: TryFrom<i64> + TryFrom<u64>> Visitor<'de> for Optie<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            lees(d).map(Some)
        }
    }
    d.deserialize_option(Optie(PhantomData))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct B {
        #[serde(deserialize_with = "super::lees")]
        n: u32,
        #[serde(default, deserialize_with = "super::optie")]
        m: Option<i64>,
    }

    fn lees(s: &str) -> Result<B, serde_json::Error> {
        serde_json::from_str(s)
    }

    #[test]
    fn json_schema_integers() {
        let b = lees(r#"{"n": 350.0, "m": -2.0}"#).unwrap();
        assert_eq!((b.n, b.m), (350, Some(-2)));
        let b = lees(r#"{"n": 7}"#).unwrap();
        assert_eq!((b.n, b.m), (7, None));
        assert_eq!(lees(r#"{"n": 1, "m": null}"#).unwrap().m, None);
        for fout in [
            r#"{"n": 1.5}"#,
            r#"{"n": -1}"#,
            r#"{"n": 5000000000}"#,
            r#"{"n": "1"}"#,
            r#"{"n": 1e300}"#,
        ] {
            assert!(lees(fout).is_err(), "{fout}");
        }
    }
}
