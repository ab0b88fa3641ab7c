//! One reader for every JSON request body (issue 13 points 4 and 6).
//!
//! Every route reads its body through `Json<T>` (a required body) or `OptioneleJson<T>` (a
//! body the operation may go without), or, where it needs the bytes too (the
//! `Idempotency-Key` compares them), through `lees`. All three apply the same rules:
//!
//! - the route's body limit (`middleware::lichaamsgrens`: 4 MiB for a zorgmelding's
//!   content, `server.body_limit_bytes` elsewhere), also for a chunked body whose length
//!   the head did not state: a 413 problem+json naming the limit. The content type was
//!   checked before (`middleware::lichaamsbeleid`: `application/json` or 415);
//! - a body that breaks the operation's schema as serde reads it is a 400 whose
//!   `invalidParams` names the field as an RFC 6901 JSON pointer, found by
//!   `serde_path_to_error` however deep it lies (`/kinderen/0/bsn`), with the JSON Schema
//!   rule it breaks as `code`: `unknown` (a field the schema does not list, where it says
//!   `additionalProperties: false`), `required`, `type`, `enum`, `json` (not JSON at all,
//!   named `""`, the whole body), `schema` (any other shape serde refuses). Values are
//!   never echoed (they may be personal data), only what was expected. The body is
//!   parsed to a JSON value first and the type read from that value strictly (`streng`):
//!   an object only from a JSON object, at any depth, where serde's own readers take an
//!   array for a struct, field by position. A key given twice counts once, the last (as
//!   a JSON Schema validator reads it).
//!
//! Rules of the domain (an elfproef, a municipality code that does not exist) are checked
//! after reading, by the use case, and are a 422 (`common::validatie::SCHEMAREGELS`).

use crate::middleware::{Lichaamsgrens, lichaamsgrens};
use crate::problem::AppError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use ketenregie_common::InvalidParam;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

mod streng;

/// A required JSON body of type `T` (see the module documentation for the rules).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A JSON body the operation may go without: no body (or an empty one) is `None`; a body
/// that is there is read as strictly as `Json<T>` (a broken one is a 400, never ignored).
#[derive(Debug)]
pub struct OptioneleJson<T>(pub Option<T>);

impl<T> OptioneleJson<T> {
    pub fn into_inner(self) -> Option<T> {
        self.0
    }
}

/// The raw body, for a route that needs its bytes as well as its value (the
/// `Idempotency-Key` compares them): the same limit as `Json<T>`; read the value with
/// `lees`.
#[derive(Debug)]
pub struct Ruw(pub web::Bytes);

impl std::ops::Deref for Ruw {
    type Target = web::Bytes;
    fn deref(&self) -> &web::Bytes {
        &self.0
    }
}

impl FromRequest for Ruw {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move { Ok(Ruw(bytes(&req, &mut payload).await?)) })
    }
}

/// The body's bytes, at most the route's limit (a 413 naming it past that).
async fn bytes(req: &HttpRequest, payload: &mut Payload) -> Result<web::Bytes, AppError> {
    let standaard = req
        .app_data::<web::Data<Lichaamsgrens>>()
        .map(|g| g.standaard)
        .unwrap_or(256 * 1024);
    let grens = lichaamsgrens(req.path(), standaard);
    let mut buf = web::BytesMut::new();
    while let Some(deel) = payload.next().await {
        let deel = deel.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => te_groot(grens),
            other => AppError::ongeldig("", "json", format!("De body is onleesbaar: {other}")),
        })?;
        if buf.len() + deel.len() > grens {
            return Err(te_groot(grens));
        }
        buf.extend_from_slice(&deel);
    }
    Ok(buf.freeze())
}

fn te_groot(grens: usize) -> AppError {
    AppError::TeGroot(format!(
        "De body is groter dan de grens van deze route: {grens} bytes ({} KiB)",
        grens / 1024
    ))
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let b = bytes(&req, &mut payload).await?;
            Ok(Json(lees(&b)?))
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for OptioneleJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let b = bytes(&req, &mut payload).await?;
            if b.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptioneleJson(None));
            }
            Ok(OptioneleJson(Some(lees(&b)?)))
        })
    }
}

/// Read `T` from a JSON body; every refusal named as the module documentation says.
pub fn lees<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::ongeldig(
            "",
            "required",
            "De body ontbreekt; stuur een JSON-object zoals /api/v1/openapi.json het beschrijft",
        ));
    }
    // Every request body of this API is one JSON object (`openapi::tests`): first whether
    // the body is JSON at all (reading a type straight from the text would name an unknown
    // key met before the text broke off), then the type from the value, strictly (`streng`).
    let waarde: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        AppError::ongeldig(
            "",
            "json",
            format!(
                "De body is geen geldige JSON (regel {}, kolom {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    // No text of this API holds a NUL (U+0000): PostgreSQL's `text` cannot store one, so it
    // was a 500 there (a contact point's name) and stored as sent on SQLite (task h17review).
    if let Some(pad) = nul_in(&waarde, "") {
        return Err(AppError::ongeldig(
            &pad,
            "nul-teken",
            format!(
                "`{pad}` bevat een NUL-teken (U+0000); geen tekst van deze API mag er een bevatten"
            ),
        ));
    }
    serde_path_to_error::deserialize(streng::Streng(&waarde)).map_err(probleem)
}

/// The RFC 6901 pointer of the first text in `waarde` (a value, or a key: then its
/// object's pointer) holding a NUL character, if any.
fn nul_in(waarde: &serde_json::Value, pad: &str) -> Option<String> {
    use serde_json::Value;
    let deel = |k: &str| format!("{pad}/{}", k.replace('~', "~0").replace('/', "~1"));
    match waarde {
        Value::String(s) if s.contains('\0') => Some(pad.to_string()),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, w)| nul_in(w, &format!("{pad}/{i}"))),
        Value::Object(o) => o.iter().find_map(|(k, w)| {
            if k.contains('\0') {
                Some(pad.to_string())
            } else {
                nul_in(w, &deel(k))
            }
        }),
        _ => None,
    }
}

/// The RFC 6901 pointer of a `serde_path_to_error` path (`""` for the root).
fn pointer(pad: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut uit = String::new();
    for s in pad.iter() {
        let token = match s {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        uit.push('/');
        uit.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    uit
}

/// The text between the first pair of backticks of a serde message (a field's name).
fn tussen_backticks(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

/// What serde expected, from "..., expected X at line 1 column 5" (never the value sent).
fn verwacht(msg: &str) -> Option<&str> {
    let i = msg.find(", expected ")? + ", expected ".len();
    let rest = &msg[i..];
    Some(rest.find(" at line ").map_or(rest, |j| &rest[..j]))
}

/// A serde refusal as one named problem.
fn probleem(e: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let binnen = e.inner();
    let plek = pointer(e.path());
    if binnen.is_syntax() || binnen.is_eof() {
        // The text is JSON (`lees` checked it first): serde_json reports a value of the
        // wrong kind for an enumeration (`"rol": 7`) as "expected value".
        return AppError::validatie(vec![InvalidParam {
            reason: format!("`{plek}` heeft het verkeerde type"),
            name: plek,
            code: "type".into(),
        }]);
    }
    let msg = binnen.to_string();
    // A field's own name, under the object it belongs to (serde names it in the message;
    // the path may already end with it).
    let veld = |naam: &str| {
        let token = format!("/{}", naam.replace('~', "~0").replace('/', "~1"));
        if plek.ends_with(&token) {
            plek.clone()
        } else {
            format!("{plek}{token}")
        }
    };
    let (name, code, reason) = if msg.starts_with("unknown field") {
        let naam = tussen_backticks(&msg).unwrap_or_default();
        // A name is echoed only when it looks like one (nothing personal typed as a key).
        let toonbaar = naam.len() <= 60
            && naam.starts_with(|c: char| c.is_ascii_alphabetic())
            && naam.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let name = if toonbaar {
            veld(naam)
        } else {
            // The object it was found in (the path may end with the key itself).
            let token = format!("/{}", naam.replace('~', "~0").replace('/', "~1"));
            plek.strip_suffix(&token).unwrap_or(&plek).to_string()
        };
        let bekend = verwacht(&msg)
            .map(|v| format!("; bekend zijn: {v}"))
            .unwrap_or_default();
        (
            name.clone(),
            "unknown",
            format!("`{name}` is geen veld van dit schema{bekend}"),
        )
    } else if msg.starts_with("missing field") {
        let name = veld(tussen_backticks(&msg).unwrap_or_default());
        let reason = format!("`{name}` is verplicht");
        (name, "required", reason)
    } else if msg.starts_with("invalid type")
        || (msg.starts_with("invalid length")
            && verwacht(&msg).is_some_and(|v| v.starts_with("struct ")))
    {
        let reason = match verwacht(&msg) {
            Some(v) if v.starts_with("struct ") => {
                format!("`{plek}` heeft het verkeerde type; verwacht een object")
            }
            Some(v) => format!("`{plek}` heeft het verkeerde type; verwacht {v}"),
            None => format!("`{plek}` heeft het verkeerde type"),
        };
        (plek, "type", reason)
    } else if msg.starts_with("unknown variant") {
        let reason = match verwacht(&msg) {
            Some(v) => format!("`{plek}` is geen toegestane waarde; toegestaan: {v}"),
            None => format!("`{plek}` is geen toegestane waarde"),
        };
        (plek, "enum", reason)
    } else {
        let reason = match verwacht(&msg) {
            Some(v) => format!("`{plek}` past niet in het schema; verwacht {v}"),
            None => format!("`{plek}` past niet in het schema van deze operatie"),
        };
        (plek, "schema", reason)
    };
    AppError::validatie(vec![InvalidParam {
        name,
        code: code.into(),
        reason,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Kind {
        voornaam: Option<String>,
        bsn: Option<String>,
        gezag: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Melder {
        naam: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Invoer {
        kinderen: Option<Vec<Kind>>,
        melder: Option<Melder>,
        acuut: Option<bool>,
    }

    fn naam_en_code(body: &str) -> (String, String, String) {
        let Err(AppError::Validatie { fouten, .. }) = lees::<Invoer>(body.as_bytes()) else {
            panic!("{body} is refused as invalid input");
        };
        assert_eq!(fouten.len(), 1, "{fouten:?}");
        let f = &fouten[0];
        (f.name.clone(), f.code.clone(), f.reason.clone())
    }

    /// Every serde refusal named by its JSON pointer and the rule it breaks (issue 13
    /// point 6), nested and in arrays, without echoing a value.
    #[test]
    fn names_are_json_pointers() {
        for (body, naam, code) in [
            (
                r#"{"kinderen": [{}, {"bsn": 999990032}]}"#,
                "/kinderen/1/bsn",
                "type",
            ),
            (
                r#"{"kinderen": [{"kleur": "rood"}]}"#,
                "/kinderen/0/kleur",
                "unknown",
            ),
            (r#"{"melder": {}}"#, "/melder/naam", "required"),
            (
                r#"{"melder": {"naam": "A", "rang": 1}}"#,
                "/melder/rang",
                "unknown",
            ),
            (r#"{"acuut": "ja"}"#, "/acuut", "type"),
            (r#"{"onbekend": 1}"#, "/onbekend", "unknown"),
            (r#"[]"#, "", "type"),
            (r#"{"acuut": tru"#, "", "json"),
            (r#"{} {}"#, "", "json"),
            ("", "", "required"),
            (r#"{"melder": ["A"]}"#, "/melder", "type"),
            (
                r#"{"kinderen": [[null, null, null]]}"#,
                "/kinderen/0",
                "type",
            ),
            (r#"{"kinderen": {"0": {}}}"#, "/kinderen", "type"),
        ] {
            let (n, c, reason) = naam_en_code(body);
            assert_eq!((n.as_str(), c.as_str()), (naam, code), "{body}: {reason}");
            assert!(
                !reason.contains("999990032") && !reason.contains("rood"),
                "{reason}"
            );
        }
        // A key that does not look like a name is not echoed.
        let (n, c, _) = naam_en_code(r#"{"kinderen": [{"999990032": 1}]}"#);
        assert_eq!((n.as_str(), c.as_str()), ("/kinderen/0", "unknown"));
        assert!(lees::<Invoer>(br#"{"kinderen": [{"bsn": "999990032"}]}"#).is_ok());
    }
}
