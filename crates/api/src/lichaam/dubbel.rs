//! A JSON body read to a `serde_json::Value` in the one pass serde_json makes over its
//! text, noting every key an object holds twice (README "Invalid input: 400 or 422"; the
//! outside test of 1 Dec 2026: `{"voornamen": "a", "voornamen": "b", ...}` was a 201 with
//! `b`). RFC 8259 §4 leaves the meaning of such an object open ("the names within an
//! object SHOULD be unique"): one reader takes the first, another the last, so what the
//! client meant and what a proxy, a log or a signature checked in between saw may differ.
//! The API reads strictly: a key given twice, at any depth, is a 400 (`CODE`) naming it,
//! beside every other problem of the body.
//!
//! Why no crate: serde_json has no option to refuse duplicate keys (its `Value` keeps the
//! last), and the crates that add one replace the parser or the value type; this is the
//! `Value` visitor serde_json itself uses (the same values: numbers as `u64`, `i64` or
//! `f64`, a non-finite float as `null`), with one map-entry lookup per key instead of the
//! insert it makes anyway. A key's pointer is built only for a key given twice (from the
//! inside out, as each nested value returns), so an ordinary body allocates nothing extra.
//! Depth stays bounded by serde_json's own recursion limit (128).

use ketenregie_common::InvalidParam;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};
use std::fmt;

/// The code of a key given twice (`common::validatie::SCHEMAREGELS`: a 400).
pub(super) const CODE: &str = "dubbele-sleutel";

/// `body` as one JSON value (trailing text after it refused as serde_json refuses it), and
/// one problem per key an object of it holds twice (the pointer of that key; a key that
/// does not look like a field name is not echoed: then its object is named).
pub(super) fn lees(body: &[u8]) -> Result<(Value, Vec<InvalidParam>), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut dubbel = Vec::new();
    let waarde = Bouwer(&mut dubbel).deserialize(&mut de)?;
    de.end()?;
    let problemen = dubbel
        .into_iter()
        .map(|(pad, sleutel)| {
            let reason = match (sleutel, pad.is_empty()) {
                (true, _) => format!(
                    "`{pad}` staat meer dan eens in zijn object; stuur elke sleutel één keer"
                ),
                (false, true) => {
                    "De body bevat een sleutel meer dan eens; stuur elke sleutel één keer".into()
                }
                (false, false) => {
                    format!("`{pad}` bevat een sleutel meer dan eens; stuur elke sleutel één keer")
                }
            };
            InvalidParam {
                name: pad,
                code: CODE.into(),
                reason,
            }
        })
        .collect();
    Ok((waarde, problemen))
}

/// The `Value` visitor, collecting into `.0` the pointers (relative to the value it
/// builds) of the keys given twice, each with whether it names the key itself (else the
/// object around a key not echoed).
struct Bouwer<'a>(&'a mut Vec<(String, bool)>);

/// Put `/token` before each pointer: the value they were found in is the `token` of its
/// parent.
fn voor(pointers: &mut [(String, bool)], token: &str) {
    let token = super::schema::onder("", token);
    for (p, _) in pointers {
        p.insert_str(0, &token);
    }
}

impl<'de> DeserializeSeed<'de> for Bouwer<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bouwer<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut lijst = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let vanaf = self.0.len();
            let Some(w) = seq.next_element_seed(Bouwer(&mut *self.0))? else {
                break;
            };
            if self.0.len() > vanaf {
                voor(&mut self.0[vanaf..], &lijst.len().to_string());
            }
            lijst.push(w);
        }
        Ok(Value::Array(lijst))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let begin = self.0.len();
        while let Some(sleutel) = map.next_key::<String>()? {
            let vanaf = self.0.len();
            let w = map.next_value_seed(Bouwer(&mut *self.0))?;
            if self.0.len() > vanaf {
                voor(&mut self.0[vanaf..], &sleutel);
            }
            match object.entry(sleutel) {
                Entry::Vacant(v) => {
                    v.insert(w);
                }
                Entry::Occupied(mut o) => {
                    // The last counts (as serde_json and a JSON Schema validator read it);
                    // the key is named once however often it was repeated.
                    let sleutel = super::schema::toonbare_sleutel(o.key());
                    let pad = if sleutel {
                        super::schema::onder("", o.key())
                    } else {
                        String::new()
                    };
                    if !self.0[begin..].iter().any(|(p, _)| *p == pad) {
                        self.0.push((pad, sleutel));
                    }
                    o.insert(w);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paren(body: &str) -> Vec<String> {
        let (_, p) = lees(body.as_bytes()).expect("JSON");
        p.into_iter().map(|p| p.name).collect()
    }

    /// Every key given twice by its pointer, at any depth, once however often; a key that
    /// is no name by its object; the value is the one serde_json builds (the last counts).
    #[test]
    fn dubbele_sleutels() {
        assert!(paren(r#"{"a": 1, "b": [1, {"c": 2}], "d": {"e": null}}"#).is_empty());
        assert_eq!(paren(r#"{"a": 1, "a": 2}"#), ["/a"]);
        assert_eq!(paren(r#"{"a": 1, "a": 2, "a": 3}"#), ["/a"]);
        assert_eq!(
            paren(r#"{"k": [{}, {"x": 1, "x": 2}], "m": {"y": {"z": 1, "z": 1}}}"#),
            ["/k/1/x", "/m/y/z"]
        );
        assert_eq!(
            paren(r#"{"k": [{"999990032": 1, "999990032": 2}]}"#),
            ["/k/0"]
        );
        assert_eq!(paren(r#"{"a/b": 1, "a/b": 2}"#), [""]);
        assert_eq!(
            paren(r#"{"a": {"b": 1}, "a": {"b": 2, "b": 3}}"#),
            ["/a/b", "/a"]
        );
        for body in [
            r#"{"a": 1, "a": 2, "b": [1.5, -3, 18446744073709551615, "x", true, null]}"#,
            r#"[{"x": {"y": [[]]}}]"#,
        ] {
            let (w, _) = lees(body.as_bytes()).unwrap();
            assert_eq!(w, serde_json::from_str::<Value>(body).unwrap(), "{body}");
        }
        assert!(lees(br#"{"a": 1} {}"#).is_err());
        assert!(lees(br#"{"a": tru"#).is_err());
    }
}
