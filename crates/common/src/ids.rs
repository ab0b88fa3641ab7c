//! Identifiers: UUIDv7 everywhere, stored as TEXT (DESIGN.md §3). Version 7 sorts by time,
//! which keeps B-tree inserts local and makes ids usable as a stable paging order.
//!
//! Every UUID read from input (a body field, a path or query parameter) is read by
//! `lees_uuid` (rule `UUID_CANONIEK`): the `uuid` crate's own parser, and so its serde
//! `Deserialize` and actix's `web::Path` of a `Uuid`, also take the forms without hyphens, in
//! braces and as a URN, which the published document (`format: uuid`) calls invalid.

use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// A new time-ordered identifier.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Rule `UUID_CANONIEK`: an id in input is a UUID in its string representation of RFC 9562
/// §4 (`format: uuid` of OpenAPI and JSON Schema): 36 characters, hexadecimal digits in
/// groups of 8-4-4-4-12 separated by hyphens, either case. No braces, no `urn:uuid:`, no
/// form without hyphens: any other form is a 400 `format` naming the field or parameter
/// (the outside tester of Dec 2026: those were accepted where the schema check of the same
/// body called them invalid, and rules were judged on them).
pub const UUID_CANONIEK: &str = "uuid-canoniek";

/// The UUID `s` holds in the canonical form of `UUID_CANONIEK`; `None` for any other text.
pub fn lees_uuid(s: &str) -> Option<Uuid> {
    let b = s.as_bytes();
    let vorm = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    if vorm { Uuid::parse_str(s).ok() } else { None }
}

/// A UUID read strictly (`UUID_CANONIEK`) by serde: for path parameters
/// (`web::Path<StrikteUuid>`) and as the element type the field readers below use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StrikteUuid(pub Uuid);

impl<'de> Deserialize<'de> for StrikteUuid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bezoeker;
        impl serde::de::Visitor<'_> for Bezoeker {
            type Value = StrikteUuid;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a UUID in the form 8-4-4-4-12 (RFC 9562 §4)")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<StrikteUuid, E> {
                lees_uuid(s)
                    .map(StrikteUuid)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Other("a text"), &self))
            }
        }
        d.deserialize_str(Bezoeker)
    }
}

/// A field type a UUID field reader (`strikt`) fills: `Uuid`, `Option<Uuid>`, `Vec<Uuid>`,
/// `Option<Vec<Uuid>>`.
pub trait StriktVeld: Sized {
    fn lees<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

impl StriktVeld for Uuid {
    fn lees<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StrikteUuid::deserialize(d).map(|u| u.0)
    }
}

impl StriktVeld for Option<Uuid> {
    fn lees<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<StrikteUuid>::deserialize(d)?.map(|u| u.0))
    }
}

impl StriktVeld for Vec<Uuid> {
    fn lees<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<StrikteUuid>::deserialize(d)?
            .into_iter()
            .map(|u| u.0)
            .collect())
    }
}

impl StriktVeld for Option<Vec<Uuid>> {
    fn lees<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<Vec<StrikteUuid>>::deserialize(d)?
            .map(|v| v.into_iter().map(|u| u.0).collect()))
    }
}

/// `#[serde(deserialize_with = "ketenregie_common::ids::strikt")]` on every UUID field of
/// an input type (with `default` on an optional one): the field read by `lees_uuid`
/// (`UUID_CANONIEK`). The field keeps its type (`Uuid`, `Option<Uuid>`, `Vec<Uuid>`,
/// `Option<Vec<Uuid>>`) and its published schema (`format: uuid`).
pub fn strikt<'de, D: Deserializer<'de>, T: StriktVeld>(d: D) -> Result<T, D::Error> {
    T::lees(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f90";

    #[test]
    fn only_the_hyphenated_form() {
        let u = Uuid::parse_str(ID).unwrap();
        assert_eq!(lees_uuid(ID), Some(u));
        assert_eq!(lees_uuid(&ID.to_uppercase()), Some(u));
        for ander in [
            ID.replace('-', ""),
            format!("{{{ID}}}"),
            format!("urn:uuid:{ID}"),
            format!(" {ID}"),
            format!("{ID} "),
            "0190f5a27-b1c-7d2e-8f3a-4b5c6d7e8f90".into(),
            "0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f9g".into(),
            "0190f5a2+7b1c-7d2e-8f3a-4b5c6d7e8f90".into(),
            String::new(),
        ] {
            assert_eq!(lees_uuid(&ander), None, "{ander}");
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Invoer {
        #[serde(deserialize_with = "crate::ids::strikt")]
        een: Uuid,
        #[serde(default, deserialize_with = "crate::ids::strikt")]
        optie: Option<Uuid>,
        #[serde(default, deserialize_with = "crate::ids::strikt")]
        lijst: Vec<Uuid>,
        #[serde(default, deserialize_with = "crate::ids::strikt")]
        optielijst: Option<Vec<Uuid>>,
    }

    #[test]
    fn fields_read_strictly() {
        let goed = serde_json::json!({"een": ID, "optie": null, "lijst": [ID], "optielijst": [ID]});
        assert!(serde_json::from_value::<Invoer>(goed).is_ok());
        assert!(serde_json::from_value::<Invoer>(serde_json::json!({"een": ID})).is_ok());
        let kaal = ID.replace('-', "");
        for slecht in [
            serde_json::json!({"een": kaal}),
            serde_json::json!({"een": ID, "optie": format!("{{{ID}}}")}),
            serde_json::json!({"een": ID, "lijst": [ID, format!("urn:uuid:{ID}")]}),
            serde_json::json!({"een": ID, "optielijst": [kaal]}),
        ] {
            let e = serde_json::from_value::<Invoer>(slecht.clone()).unwrap_err();
            // The value is never echoed.
            assert!(!e.to_string().contains(&ID[..8]), "{e}");
        }
    }
}
