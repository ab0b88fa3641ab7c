//! The contract check (issue 13): every request a test sends and every answer it gets is
//! held against the committed `openapi/openapi.json`. The harness puts a small proxy in
//! front of the application (`TestApp::base` is the proxy, `TestApp::direct` the
//! application itself); the proxy forwards each exchange unchanged and records every
//! mismatch, and the test fails when its `TestApp` is dropped with mismatches recorded.
//!
//! What is a mismatch:
//! - an operation the document does not have, answered with anything but 404 or 405;
//! - a request the document calls invalid (parameters, headers, body: JSON Schema 2020-12
//!   with `$ref`s resolved to the document's components, formats asserted) that is
//!   answered 2xx or 3xx;
//! - a request the document calls valid that is answered 415, or 400 (the server answers
//!   400 only for a rule a schema states: `required`, `maxLength`, `pattern`, `enum`, ...,
//!   `ketenregie_common::validatie::SCHEMAREGELS`; any other rule is a 422);
//! - an answer with a status the operation does not document, a content type it does not
//!   document for that status, or a body that does not match that status's schema;
//! - an answer carrying `ETag` or `Location` where that status does not declare it.
//!
//! Paths outside `/api/v1` (health, metrics, the docs UI, the web console) are not checked.

use ketenregie_common::validatie::SCHEMAREGELS;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Response headers that must be declared on the documented status when an answer
/// carries them (README "Preconditions", "`POST` answers 201 with `Location`").
const KOPPEN_MET_VERKLARING: [&str; 2] = ["ETag", "Location"];

/// The prefix of every documented path (`servers[0].url`).
pub const PREFIX: &str = "/api/v1";

/// One operation of the document, with the path-level parameters merged in.
struct Operatie {
    methode: String,
    segmenten: Vec<String>,
    sjabloon: String,
    op: Value,
}

/// The document, its operations and the compiled schemas.
pub struct Contract {
    doc: Value,
    operaties: Vec<Operatie>,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// One exchange as the proxy saw it.
pub struct Uitwisseling<'a> {
    pub methode: &'a str,
    /// Path and query, as sent (`/api/v1/zorgmeldingen?page=1`).
    pub uri: &'a str,
    /// Request headers, names in lower case.
    pub verzoekkoppen: &'a [(String, String)],
    pub verzoek: &'a [u8],
    pub status: u16,
    /// Response headers, names in lower case.
    pub antwoordkoppen: &'a [(String, String)],
    pub antwoord: &'a [u8],
}

fn kop<'a>(koppen: &'a [(String, String)], naam: &str) -> Option<&'a str> {
    koppen
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(naam))
        .map(|(_, v)| v.as_str())
}

fn mediatype(v: Option<&str>) -> Option<String> {
    v.map(|v| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    })
}

fn procent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut uit = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(x) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            uit.push(x);
            i += 3;
        } else if b[i] == b'+' {
            uit.push(b' ');
            i += 1;
        } else {
            uit.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&uit).into_owned()
}

impl Contract {
    /// The committed document, read once per test process.
    pub fn gedeeld() -> Arc<Contract> {
        static C: OnceLock<Arc<Contract>> = OnceLock::new();
        C.get_or_init(|| {
            let pad = format!("{}/openapi/openapi.json", env!("CARGO_MANIFEST_DIR"));
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(pad).expect("openapi/openapi.json"))
                    .expect("openapi/openapi.json is JSON");
            Arc::new(Contract::uit(doc))
        })
        .clone()
    }

    /// A contract from any document (a test gives a deliberately wrong one).
    pub fn uit(doc: Value) -> Contract {
        let mut operaties = Vec::new();
        for (pad, item) in doc["paths"].as_object().expect("paths") {
            let gedeeld = item["parameters"].as_array().cloned().unwrap_or_default();
            for methode in ["get", "put", "post", "delete", "patch"] {
                let Some(op) = item.get(methode) else {
                    continue;
                };
                let mut op = op.clone();
                if !gedeeld.is_empty() {
                    let mut p = gedeeld.clone();
                    p.extend(op["parameters"].as_array().cloned().unwrap_or_default());
                    op["parameters"] = Value::Array(p);
                }
                operaties.push(Operatie {
                    methode: methode.to_uppercase(),
                    segmenten: format!("{PREFIX}{pad}")
                        .split('/')
                        .map(str::to_string)
                        .collect(),
                    sjabloon: pad.clone(),
                    op,
                });
            }
        }
        Contract {
            doc,
            operaties,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// Follow a local `$ref` (`#/components/...`).
    fn los_op<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.trim_start_matches('#');
                self.los_op(self.doc.pointer(pointer).unwrap_or(&Value::Null))
            }
            None => v,
        }
    }

    fn validator(&self, schema: &Value) -> Arc<jsonschema::Validator> {
        let sleutel = schema.to_string();
        if let Some(v) = self.validators.lock().unwrap().get(&sleutel) {
            return v.clone();
        }
        let omhulsel = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
            "allOf": [schema],
        });
        let v = Arc::new(
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&omhulsel)
                .unwrap_or_else(|e| panic!("schema {sleutel} compiles: {e}")),
        );
        self.validators.lock().unwrap().insert(sleutel, v.clone());
        v
    }

    /// Every way `waarde` breaks `schema`, each prefixed with `waar`.
    fn toets_waarde(&self, waar: &str, schema: &Value, waarde: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(waarde)
            .take(5)
            .map(|e| format!("{waar}{}: {e}", e.instance_path()))
            .collect()
    }

    /// A parameter's text as the JSON value its schema describes.
    fn als_json(&self, schema: &Value, tekst: &str) -> Value {
        let s = self.los_op(schema);
        let soorten: Vec<&str> = match &s["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if soorten.contains(&"integer") || soorten.contains(&"number") {
            if let Ok(n) = tekst.parse::<i64>() {
                return json!(n);
            }
            if let Ok(n) = tekst.parse::<f64>()
                && soorten.contains(&"number")
            {
                return json!(n);
            }
        }
        if soorten.contains(&"boolean") && (tekst == "true" || tekst == "false") {
            return json!(tekst == "true");
        }
        if soorten.contains(&"array") {
            let items = &s["items"];
            return Value::Array(tekst.split(',').map(|t| self.als_json(items, t)).collect());
        }
        Value::String(tekst.to_string())
    }

    fn operatie(&self, methode: &str, pad: &str) -> Option<&Operatie> {
        let delen: Vec<&str> = pad.split('/').collect();
        let past = |o: &&Operatie| {
            o.segmenten.len() == delen.len()
                && o.segmenten.iter().zip(&delen).all(|(s, p)| {
                    (s.starts_with('{') && s.ends_with('}') && !p.is_empty()) || s == p
                })
        };
        // A literal segment wins over a template (`/x/zoek` before `/x/{id}`).
        let mut kandidaten: Vec<&Operatie> = self
            .operaties
            .iter()
            .filter(|o| o.methode == methode)
            .filter(past)
            .collect();
        kandidaten.sort_by_key(|o| o.segmenten.iter().filter(|s| s.starts_with('{')).count());
        kandidaten.into_iter().next()
    }

    /// Every mismatch between the exchange and the document (empty when they agree).
    pub fn toets(&self, u: &Uitwisseling<'_>) -> Vec<String> {
        let (pad, query) = u.uri.split_once('?').unwrap_or((u.uri, ""));
        if !pad.starts_with(PREFIX) || matches!(u.methode, "HEAD" | "OPTIONS") {
            return vec![];
        }
        let wat = format!("{} {} → {}", u.methode, u.uri, u.status);
        let Some(o) = self.operatie(u.methode, pad) else {
            return if matches!(u.status, 404 | 405) {
                vec![]
            } else {
                vec![format!("{wat}: the document has no such operation")]
            };
        };
        let op = &o.op;
        let verzoekfouten = self.toets_verzoek(o, pad, query, u);
        let mut fouten = Vec::new();
        if !verzoekfouten.is_empty() && u.status < 400 {
            fouten.push(format!(
                "{wat}: the document calls this request invalid ({}), the server accepted it",
                verzoekfouten.join("; ")
            ));
        }
        if verzoekfouten.is_empty()
            && (u.status == 415 || (u.status == 400 && schemaregel(u.antwoord)))
        {
            fouten.push(format!(
                "{wat}: the document calls this request valid, the server refused it: {}",
                String::from_utf8_lossy(u.antwoord)
            ));
        }
        // The answer.
        let antwoorden = &op["responses"];
        let status = u.status.to_string();
        let klasse = format!("{}XX", &status[..1]);
        let Some(antwoord) = antwoorden
            .get(&status)
            .or_else(|| antwoorden.get(&klasse))
            .or_else(|| antwoorden.get("default"))
        else {
            fouten.push(format!(
                "{wat}: status {status} is not documented for {} {} (documented: {:?})",
                o.methode,
                o.sjabloon,
                antwoorden.as_object().map(|a| a.keys().collect::<Vec<_>>())
            ));
            return fouten;
        };
        let antwoord = self.los_op(antwoord);
        // A header the client needs to go on (the ETag for its next `If-Match`, the
        // `Location` of what was made or already exists) is declared on the status that
        // carries it, or a generated client has no accessor for it.
        for naam in KOPPEN_MET_VERKLARING {
            if kop(u.antwoordkoppen, naam).is_some()
                && !antwoord["headers"]
                    .as_object()
                    .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case(naam)))
            {
                fouten.push(format!(
                    "{wat}: the answer carries {naam}, the document does not declare it for {status}"
                ));
            }
        }
        if u.antwoord.is_empty() || u.status == 304 {
            if antwoord
                .get("content")
                .is_some_and(|c| c.as_object().is_some_and(|c| !c.is_empty()))
                && u.status != 304
            {
                fouten.push(format!(
                    "{wat}: the document promises a body, there is none"
                ));
            }
            return fouten;
        }
        let Some(ct) = mediatype(kop(u.antwoordkoppen, "content-type")) else {
            fouten.push(format!("{wat}: a body without Content-Type"));
            return fouten;
        };
        let Some(media) = antwoord["content"].get(&ct) else {
            fouten.push(format!(
                "{wat}: content type {ct} is not documented for {status} (documented: {:?})",
                antwoord["content"]
                    .as_object()
                    .map(|a| a.keys().collect::<Vec<_>>())
            ));
            return fouten;
        };
        if !(ct.ends_with("json")) {
            return fouten;
        }
        let gecodeerd = kop(u.antwoordkoppen, "content-encoding").unwrap_or("identity");
        let tekst = match gecodeerd {
            "gzip" => {
                use std::io::Read;
                let mut s = Vec::new();
                if flate2::read::GzDecoder::new(u.antwoord)
                    .read_to_end(&mut s)
                    .is_err()
                {
                    fouten.push(format!("{wat}: gzip body does not decode"));
                    return fouten;
                }
                s
            }
            "identity" => u.antwoord.to_vec(),
            _ => return fouten,
        };
        match serde_json::from_slice::<Value>(&tekst) {
            Err(e) => fouten.push(format!("{wat}: the body is not JSON: {e}")),
            Ok(body) => {
                if let Some(schema) = media.get("schema") {
                    fouten.extend(
                        self.toets_waarde("answer body ", schema, &body)
                            .into_iter()
                            .map(|f| format!("{wat}: {f}")),
                    );
                }
                let sleutels: Vec<String> = query
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| procent_decode(p.split_once('=').map_or(p, |(k, _)| k)))
                    .collect();
                fouten.extend(
                    self.toets_namen(o, &sleutels, &body)
                        .into_iter()
                        .map(|f| format!("{wat}: {f}")),
                );
            }
        }
        fouten
    }

    /// Issue 13 point 6: every `invalidParams[].name` of a problem is a parameter the
    /// operation declares (query key, header, path parameter) or a key of the request's
    /// query string (`sleutels`: an undeclared one is named by its key), or an RFC 6901
    /// JSON pointer into its request body's schema (`""` the whole body; for `unknown` the
    /// object the field was found in), and every problem names its rule (`code`) and a
    /// reason.
    fn toets_namen(&self, o: &Operatie, sleutels: &[String], body: &Value) -> Vec<String> {
        let Some(problemen) = body["invalidParams"].as_array() else {
            return vec![];
        };
        let mut fouten = Vec::new();
        for p in problemen {
            let naam = p["name"].as_str().unwrap_or_default();
            let code = p["code"].as_str().unwrap_or_default();
            if code.is_empty() || p["reason"].as_str().unwrap_or_default().is_empty() {
                fouten.push(format!("invalidParams entry {p} names no rule or reason"));
            }
            let gedeclareerd = o.op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| self.los_op(p))
                .any(|p| {
                    let n = p["name"].as_str().unwrap_or_default();
                    if p["in"] == "header" {
                        n.eq_ignore_ascii_case(naam)
                    } else {
                        n == naam
                    }
                });
            if gedeclareerd
                || sleutels.iter().any(|k| k == naam)
                || (naam == "query" && code == "unknown")
                // The key sent to an operation that does not declare it: the refusal
                // names the header it refuses (README "Idempotency").
                || (naam == "Idempotency-Key" && code == "niet-ondersteund")
            {
                continue;
            }
            let schema = {
                let r = self.los_op(&o.op["requestBody"]);
                r["content"]["application/json"]["schema"].clone()
            };
            let pointer = naam.is_empty() || naam.starts_with('/');
            let mut tokens: Vec<String> = naam
                .split('/')
                .skip(1)
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect();
            if code == "unknown" {
                tokens.pop();
            }
            if !pointer || schema.is_null() || !self.in_schema(&schema, &tokens, 0) {
                fouten.push(format!(
                    "invalidParams name `{naam}` ({code}) is neither a parameter of {} {} nor a JSON pointer into its request body",
                    o.methode, o.sjabloon
                ));
            }
        }
        fouten
    }

    /// Whether the pointer `tokens` leads somewhere inside `schema`.
    fn in_schema(&self, schema: &Value, tokens: &[String], diepte: usize) -> bool {
        let s = self.los_op(schema);
        if tokens.is_empty() {
            return true;
        }
        if diepte > 32 {
            return false;
        }
        for combinatie in ["allOf", "anyOf", "oneOf"] {
            if s[combinatie]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| self.in_schema(t, tokens, diepte + 1))
            {
                return true;
            }
        }
        let (eerste, rest) = (&tokens[0], &tokens[1..]);
        if eerste.parse::<usize>().is_ok() && s.get("items").is_some() {
            return self.in_schema(&s["items"], rest, diepte + 1);
        }
        if let Some(veld) = s["properties"].get(eerste.as_str()) {
            return self.in_schema(veld, rest, diepte + 1);
        }
        if s["additionalProperties"].is_object() {
            return self.in_schema(&s["additionalProperties"], rest, diepte + 1);
        }
        false
    }

    /// Why the document calls this request invalid (empty when it calls it valid).
    fn toets_verzoek(
        &self,
        o: &Operatie,
        pad: &str,
        query: &str,
        u: &Uitwisseling<'_>,
    ) -> Vec<String> {
        let mut fouten = Vec::new();
        let delen: Vec<&str> = pad.split('/').collect();
        let queryparen: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (procent_decode(k), procent_decode(v))
            })
            .collect();
        // The convention (README "API conventions"): an undocumented query key is a 400.
        for (k, _) in &queryparen {
            let gedocumenteerd = o.op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| {
                    let p = self.los_op(p);
                    p["in"] == "query" && p["name"] == k.as_str()
                });
            if !gedocumenteerd {
                fouten.push(format!("query parameter {k} is not documented"));
            }
        }
        for p in o.op["parameters"].as_array().into_iter().flatten() {
            let p = self.los_op(p);
            let naam = p["name"].as_str().unwrap_or_default();
            let plek = p["in"].as_str().unwrap_or_default();
            let waarden: Vec<String> = match plek {
                "path" => o
                    .segmenten
                    .iter()
                    .zip(&delen)
                    .filter(|(s, _)| s.as_str() == format!("{{{naam}}}"))
                    .map(|(_, d)| procent_decode(d))
                    .collect(),
                "query" => queryparen
                    .iter()
                    .filter(|(k, _)| k == naam)
                    .map(|(_, v)| v.clone())
                    .collect(),
                "header" => kop(u.verzoekkoppen, naam)
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
                _ => vec![],
            };
            if waarden.is_empty() {
                if p["required"] == true {
                    fouten.push(format!("{plek} parameter {naam} is required"));
                }
                continue;
            }
            let schema = &p["schema"];
            let waarde = if self.los_op(schema)["type"] == "array" && waarden.len() > 1 {
                Value::Array(
                    waarden
                        .iter()
                        .map(|w| self.als_json(&self.los_op(schema)["items"], w))
                        .collect(),
                )
            } else {
                if waarden.len() > 1 {
                    fouten.push(format!(
                        "{plek} parameter {naam} given {} times",
                        waarden.len()
                    ));
                }
                self.als_json(schema, &waarden[0])
            };
            fouten.extend(self.toets_waarde(&format!("{plek} parameter {naam}"), schema, &waarde));
        }
        let verzoek = &o.op["requestBody"];
        let ct = mediatype(kop(u.verzoekkoppen, "content-type"));
        if verzoek.is_null() {
            // A body on an operation that takes none is ignored by the server (README
            // "API conventions"), so the document does not call it invalid.
            return fouten;
        }
        let verzoek = self.los_op(verzoek);
        if u.verzoek.is_empty() && ct.is_none() {
            if verzoek["required"] == true {
                fouten.push("the request body is required".into());
            }
            return fouten;
        }
        let Some(ct) = ct else {
            fouten.push("a body without Content-Type".into());
            return fouten;
        };
        let Some(media) = verzoek["content"].get(&ct) else {
            fouten.push(format!("content type {ct} is not documented"));
            return fouten;
        };
        if heeft_dubbele_sleutel(u.verzoek) {
            // RFC 8259 §4 leaves such an object's meaning open; README "Invalid input"
            // refuses it (`dubbele-sleutel`), which no JSON Schema can state.
            fouten.push("an object of the body holds a key twice".into());
        }
        match serde_json::from_slice::<Value>(u.verzoek) {
            Err(e) => fouten.push(format!("the body is not JSON: {e}")),
            Ok(body) => {
                if let Some(schema) = media.get("schema") {
                    fouten.extend(self.toets_waarde("body ", schema, &body));
                }
            }
        }
        fouten
    }
}

/// Whether a JSON text holds an object with a key twice, at any depth (false for no JSON).
/// Written here apart from the server's reader (`api::lichaam`), so the contract does not
/// check the server against itself.
fn heeft_dubbele_sleutel(body: &[u8]) -> bool {
    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
    struct Zoek;
    impl<'de> serde::de::DeserializeSeed<'de> for Zoek {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Zoek {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<bool, A::Error> {
            let mut gevonden = false;
            while let Some(d) = a.next_element_seed(Zoek)? {
                gevonden |= d;
            }
            Ok(gevonden)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<bool, A::Error> {
            let mut gezien = std::collections::HashSet::new();
            let mut gevonden = false;
            while let Some(k) = m.next_key::<String>()? {
                gevonden |= !gezien.insert(k);
                gevonden |= m.next_value_seed(Zoek)?;
            }
            Ok(gevonden)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    serde::de::DeserializeSeed::deserialize(Zoek, &mut de).unwrap_or(false)
}

/// Whether a 400 names a rule a schema states: the server answers 400 only then
/// (`ketenregie_common::validatie::SCHEMAREGELS`; every other rule is a 422), so a 400 to a
/// request the document calls valid means the document left out a rule the server applies.
fn schemaregel(antwoord: &[u8]) -> bool {
    let Ok(p) = serde_json::from_slice::<Value>(antwoord) else {
        return true;
    };
    match p["invalidParams"].as_array() {
        Some(a) if !a.is_empty() => a
            .iter()
            .any(|i| SCHEMAREGELS.contains(&i["code"].as_str().unwrap_or("required"))),
        _ => true,
    }
}

/// The proxy's state: where to forward, what to hold the exchanges against, and what it
/// found.
struct Proxy {
    doel: String,
    contract: Arc<Contract>,
    client: reqwest::Client,
    fouten: Arc<Mutex<Vec<String>>>,
    schrijvingen: Arc<Mutex<Vec<Schrijving>>>,
}

/// A write the application answered as done (a 2xx to an API `POST`, `PUT`, `PATCH` or
/// `DELETE`, a 303 to a werkplek form), with the W3C trace id it ran under: the test app
/// holds it against the audit trail when it is dropped (`TestApp::toets_auditdekking`).
#[derive(Debug, Clone)]
pub struct Schrijving {
    pub trace_id: String,
    pub methode: String,
    pub uri: String,
    pub status: u16,
}

/// Whether an exchange is a write done: the API's mutating methods answered 2xx, or a
/// werkplek form answered with its redirect after the change (Post/Redirect/Get), signing
/// in and out included (a session begun or ended is a row, `aanmelden`/`afmelden`). The
/// identity provider's return is a GET (`/werkplek/aanmelden/terug`).
fn is_schrijving(methode: &str, uri: &str, status: u16) -> bool {
    if !matches!(methode, "POST" | "PUT" | "PATCH" | "DELETE") {
        return false;
    }
    if uri.starts_with("/api/") {
        return (200..300).contains(&status);
    }
    uri.starts_with("/werkplek/") && status == 303
}

async fn doorgeven(
    req: actix_web::HttpRequest,
    body: actix_web::web::Bytes,
    p: actix_web::web::Data<Proxy>,
) -> actix_web::HttpResponse {
    let uri = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let methode = reqwest::Method::from_bytes(req.method().as_str().as_bytes()).unwrap();
    let mut verzoekkoppen = Vec::new();
    let mut rb = p.client.request(methode, format!("{}{uri}", p.doel));
    // Every exchange runs under a trace id the proxy knows: the client's valid
    // `traceparent`, or one the proxy sets (W3C Trace Context §3.2).
    let gegeven = req
        .headers()
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .and_then(ketenregie_api::middleware::traceparent_delen)
        .map(|(t, _)| t.to_string());
    let trace_id = match gegeven {
        Some(t) => t,
        None => {
            let t = uuid::Uuid::new_v4().simple().to_string();
            rb = rb.header("traceparent", format!("00-{t}-00f067aa0ba902b7-01"));
            t
        }
    };
    for (k, v) in req.headers() {
        let naam = k.as_str().to_ascii_lowercase();
        if matches!(
            naam.as_str(),
            "host" | "content-length" | "transfer-encoding" | "connection"
        ) {
            continue;
        }
        verzoekkoppen.push((
            naam.clone(),
            String::from_utf8_lossy(v.as_bytes()).into_owned(),
        ));
        rb = rb.header(naam, v.as_bytes());
    }
    let res = match rb.body(body.clone()).send().await {
        Ok(r) => r,
        Err(e) => {
            return actix_web::HttpResponse::BadGateway().body(format!("contract proxy: {e}"));
        }
    };
    let status = res.status().as_u16();
    if is_schrijving(req.method().as_str(), &uri, status) {
        p.schrijvingen.lock().unwrap().push(Schrijving {
            trace_id,
            methode: req.method().as_str().to_string(),
            uri: uri.clone(),
            status,
        });
    }
    let antwoordkoppen: Vec<(String, String)> = res
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let ruw: Vec<(String, Vec<u8>)> = res
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.as_bytes().to_vec()))
        .collect();
    let antwoord = res.bytes().await.unwrap_or_default();
    let fouten = p.contract.toets(&Uitwisseling {
        methode: req.method().as_str(),
        uri: &uri,
        verzoekkoppen: &verzoekkoppen,
        verzoek: &body,
        status,
        antwoordkoppen: &antwoordkoppen,
        antwoord: &antwoord,
    });
    if !fouten.is_empty() {
        p.fouten.lock().unwrap().extend(fouten);
    }
    let mut b =
        actix_web::HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
    for (k, v) in ruw {
        if matches!(
            k.as_str(),
            "content-length" | "transfer-encoding" | "connection" | "date"
        ) {
            continue;
        }
        b.append_header((k, v));
    }
    b.body(antwoord)
}

/// Start a proxy to `doel` (an application's base URL) that holds every exchange against
/// `contract`; returns its base URL, the list it records mismatches in and the list of
/// writes done (`Schrijving`).
pub async fn start_proxy(
    doel: &str,
    contract: Arc<Contract>,
) -> (String, Arc<Mutex<Vec<String>>>, Arc<Mutex<Vec<Schrijving>>>) {
    let fouten = Arc::new(Mutex::new(Vec::new()));
    let schrijvingen = Arc::new(Mutex::new(Vec::new()));
    let data = actix_web::web::Data::new(Proxy {
        doel: doel.to_string(),
        contract,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Below the app's keep-alive of 5 s (see `TestApp::client`).
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap(),
        fouten: fouten.clone(),
        schrijvingen: schrijvingen.clone(),
    });
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            .app_data(actix_web::web::PayloadConfig::new(usize::MAX))
            .default_service(actix_web::web::to(doorgeven))
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .expect("the contract proxy binds");
    let poort = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    (format!("http://127.0.0.1:{poort}"), fouten, schrijvingen)
}
