//! Every way a request body breaks its operation's published schema (README "Invalid
//! input: 400 or 422"; the outside reviews of 1 Dec 2026: a body with a wrong type or an
//! unknown field named only the first problem, because serde stops there).
//!
//! The schema is the one the document states (`openapi::document_json`, the committed
//! `openapi/openapi.json`): the operation's `requestBody` schema, with the `$ref`s to the
//! document's components resolved, checked by the `jsonschema` crate (JSON Schema 2020-12,
//! formats asserted, as the contract test `tests/it/common/contract.rs` checks every
//! request). It runs only when a body is refused: by serde (or a text holds a NUL, or a key
//! is given twice: `lees_voor`), or by its use case after it read (`schema_bij_weigering`);
//! an accepted body costs nothing extra. Each operation's validator is compiled the first time one
//! of its bodies is refused, once per process.
//!
//! Each error becomes one `InvalidParam`: the field as an RFC 6901 pointer, the JSON Schema
//! keyword it breaks as `code` (`unknown` for `additionalProperties: false`, the API's own
//! name), and a Dutch reason that says what was expected, never the value sent (it may be
//! personal data).

use ketenregie_common::InvalidParam;
use serde_json::{Value, json};
use std::sync::OnceLock;

/// The request body schemas of every documented operation that takes a JSON body.
#[derive(Debug)]
pub struct Verzoekschemas {
    /// The document's `components`, the target of every `$ref`.
    components: Value,
    operaties: Vec<Operatie>,
}

#[derive(Debug)]
struct Operatie {
    /// Upper case (`POST`).
    methode: String,
    /// The full path as segments (`["", "api", "v1", "personen", "{id}", "gezag"]`).
    segmenten: Vec<String>,
    schema: Value,
    validator: OnceLock<Option<jsonschema::Validator>>,
}

impl Verzoekschemas {
    /// From the finished document; paths are taken relative to `prefix` (`/api/v1`).
    pub fn uit(doc: &Value, prefix: &str) -> Self {
        let mut operaties = Vec::new();
        for (pad, item) in doc["paths"].as_object().into_iter().flatten() {
            for (methode, op) in item.as_object().into_iter().flatten() {
                let schema = &op["requestBody"]["content"]["application/json"]["schema"];
                if schema.is_null() {
                    continue;
                }
                operaties.push(Operatie {
                    methode: methode.to_uppercase(),
                    segmenten: format!("{prefix}{pad}")
                        .split('/')
                        .map(str::to_string)
                        .collect(),
                    schema: schema.clone(),
                    validator: OnceLock::new(),
                });
            }
        }
        Self {
            components: doc["components"].clone(),
            operaties,
        }
    }

    /// The operation `methode pad` (a literal segment wins over a template:
    /// `/briefings/_zoek` before `/briefings/{id}`).
    fn operatie(&self, methode: &str, pad: &str) -> Option<&Operatie> {
        let delen: Vec<&str> = pad.split('/').collect();
        self.operaties
            .iter()
            .filter(|o| o.methode == methode && o.segmenten.len() == delen.len())
            .filter(|o| {
                o.segmenten.iter().zip(&delen).all(|(s, p)| {
                    (s.starts_with('{') && s.ends_with('}') && !p.is_empty()) || s == p
                })
            })
            .min_by_key(|o| o.segmenten.iter().filter(|s| s.starts_with('{')).count())
    }

    /// Every way `waarde` breaks the body schema of `methode pad`; `None` when the
    /// document has no JSON body for that operation (or its schema does not compile).
    pub fn problemen(&self, methode: &str, pad: &str, waarde: &Value) -> Option<Vec<InvalidParam>> {
        let o = self.operatie(methode, pad)?;
        let validator = o
            .validator
            .get_or_init(|| {
                let omhulsel = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": self.components,
                    "allOf": [o.schema],
                });
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&omhulsel)
                    .inspect_err(|e| tracing::error!(fout = %e, "verzoekschema compileert niet"))
                    .ok()
            })
            .as_ref()?;
        let mut uit = Vec::new();
        for e in validator.iter_errors(waarde) {
            naar_params(&e, &mut uit);
        }
        // A value of the wrong type breaks its field's other rules too (`enum` of a
        // text): the type says it.
        let verkeerd: Vec<String> = uit
            .iter()
            .filter(|p| p.code == "type")
            .map(|p| p.name.clone())
            .collect();
        uit.retain(|p| p.code == "type" || !verkeerd.contains(&p.name));
        // An empty text breaks `minLength` and the pattern `\S` alike: the first says it.
        let leeg: Vec<String> = uit
            .iter()
            .filter(|p| p.code == "minLength")
            .map(|p| p.name.clone())
            .collect();
        uit.retain(|p| p.code != "pattern" || !leeg.contains(&p.name));
        Some(uit)
    }
}

/// `pad` + `/sleutel`, the key escaped as RFC 6901 says.
pub(super) fn onder(pad: &str, sleutel: &str) -> String {
    format!("{pad}/{}", sleutel.replace('~', "~0").replace('/', "~1"))
}

/// Whether a key sent may be named back: a property name the published document declares
/// somewhere (`veldnamen`), or a key of the API's own form (lower camel case, ASCII
/// letters only, as every field of the document is), so a misspelt field is named where
/// it stands (`/kleur`, `/ditVeldBestaatNiet`) while a key carrying a number or a name
/// with its capital is not echoed (the outside tester's finding of Dec 2026:
/// `"Visser999990020"` came back as `/Visser999990020`). Any other key is named by the
/// object it was found in.
pub(super) fn toonbare_sleutel(k: &str) -> bool {
    let vorm_van_een_veld = k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars().all(|c| c.is_ascii_alphabetic());
    k.len() <= 60
        && k.starts_with(|c: char| c.is_ascii_alphabetic())
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (vorm_van_een_veld || veldnamen().contains(k))
}

/// Every property name the published document declares (in any schema, request or
/// answer), read once from the committed `openapi/openapi.json` (`openapi::document_json`).
fn veldnamen() -> &'static std::collections::HashSet<String> {
    static NAMEN: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    NAMEN.get_or_init(|| {
        fn verzamel(w: &Value, uit: &mut std::collections::HashSet<String>) {
            match w {
                Value::Object(o) => {
                    if let Some(Value::Object(props)) = o.get("properties") {
                        uit.extend(props.keys().cloned());
                    }
                    o.values().for_each(|x| verzamel(x, uit));
                }
                Value::Array(a) => a.iter().for_each(|x| verzamel(x, uit)),
                _ => {}
            }
        }
        let mut uit = std::collections::HashSet::new();
        verzamel(&crate::openapi::document_json(), &mut uit);
        uit
    })
}

/// A JSON type in Dutch.
fn soort(t: jsonschema::JsonType) -> &'static str {
    use jsonschema::JsonType as J;
    match t {
        J::Array => "een lijst",
        J::Boolean => "true of false",
        J::Integer => "een geheel getal",
        J::Null => "null",
        J::Number => "een getal",
        J::Object => "een object",
        J::String => "een tekst",
    }
}

/// A `format` in Dutch.
fn vorm(format: &str) -> String {
    match format {
        "date" => "een datum JJJJ-MM-DD".into(),
        "date-time" => {
            "een tijdstip volgens RFC 3339 met tijdzone (2026-12-01T09:30:00+01:00)".into()
        }
        "uuid" => "een UUID (8-4-4-4-12 hexadecimale tekens)".into(),
        "email" => "een e-mailadres".into(),
        "uri" => "een absolute URI".into(),
        "time" => "een tijd volgens RFC 3339".into(),
        ander => format!("de vorm `{ander}`"),
    }
}

/// A limit from the schema as text (`5`, not `5.0`).
fn grens(v: &Value) -> String {
    match v.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => v.to_string(),
    }
}

/// The values an `enum` allows, as a list.
fn opties(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|o| match o {
                    Value::String(s) => s.clone(),
                    ander => ander.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Whether a `oneOf`/`anyOf` branch's errors say only "not null" (the branch utoipa adds
/// for an optional field: `oneOf: [{type: null}, {$ref}]`).
fn alleen_niet_null(tak: &[jsonschema::ValidationError<'_>]) -> bool {
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    tak.len() == 1
        && matches!(
            tak[0].kind(),
            K::Type {
                kind: TypeKind::Single(jsonschema::JsonType::Null)
            }
        )
}

/// One validation error as the problems it names.
fn naar_params(e: &jsonschema::ValidationError<'_>, uit: &mut Vec<InvalidParam>) {
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    let pad = e.instance_path().as_str().to_string();
    let mut een = |name: String, code: &str, reason: String| {
        if !uit.iter().any(|p| p.name == name && p.code == code) {
            uit.push(InvalidParam {
                name,
                code: code.into(),
                reason,
            });
        }
    };
    let veld = if pad.is_empty() {
        "de body".to_string()
    } else {
        format!("`{pad}`")
    };
    match e.kind() {
        K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
            for k in unexpected {
                if toonbare_sleutel(k) {
                    let naam = onder(&pad, k);
                    een(
                        naam.clone(),
                        "unknown",
                        format!(
                            "`{naam}` is geen veld van dit schema; laat het weg (zie /api/v1/openapi.json)"
                        ),
                    );
                } else {
                    een(
                        pad.clone(),
                        "unknown",
                        format!(
                            "{veld} bevat een veld dat dit schema niet kent; laat het weg (zie /api/v1/openapi.json)"
                        ),
                    );
                }
            }
        }
        K::Required { property } => {
            let naam = onder(&pad, property.as_str().unwrap_or_default());
            een(naam.clone(), "required", format!("`{naam}` is verplicht"));
        }
        K::Type { kind } => {
            let soorten: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![soort(*t)],
                TypeKind::Multiple(ts) => ts.iter().map(soort).collect(),
            };
            een(
                pad.clone(),
                "type",
                format!(
                    "{veld} heeft het verkeerde type; verwacht {}",
                    soorten.join(" of ")
                ),
            );
        }
        K::Enum { options } => een(
            pad.clone(),
            "enum",
            format!(
                "{veld} is geen toegestane waarde; toegestaan: {}",
                opties(options)
            ),
        ),
        K::Constant { expected_value } => een(
            pad.clone(),
            "const",
            format!("{veld} moet precies {expected_value} zijn"),
        ),
        K::Format { format } => een(
            pad.clone(),
            "format",
            format!("{veld} is geen geldige waarde; verwacht {}", vorm(format)),
        ),
        K::Pattern { pattern } => een(
            pad.clone(),
            "pattern",
            if pattern.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                format!("{veld} voldoet niet aan het patroon `{pattern}`")
            } else {
                // The document's "not blank" (`\S`, written out as a class of white space).
                format!("{veld} bevat alleen witruimte")
            },
        ),
        K::BacktrackLimitExceeded { .. } => een(
            pad.clone(),
            "pattern",
            format!("{veld} voldoet niet aan het patroon van dit veld"),
        ),
        K::MinLength { limit } => een(
            pad.clone(),
            "minLength",
            if *limit == 1 {
                format!("{veld} mag niet leeg zijn")
            } else {
                format!("{veld} is korter dan {limit} tekens")
            },
        ),
        K::MaxLength { limit } => een(
            pad.clone(),
            "maxLength",
            format!("{veld} is langer dan {limit} tekens"),
        ),
        K::Minimum { limit } => een(
            pad.clone(),
            "minimum",
            format!("{veld} is kleiner dan {}", grens(limit)),
        ),
        K::Maximum { limit } => een(
            pad.clone(),
            "maximum",
            format!("{veld} is groter dan {}", grens(limit)),
        ),
        K::ExclusiveMinimum { limit } => een(
            pad.clone(),
            "exclusiveMinimum",
            format!("{veld} moet groter zijn dan {}", grens(limit)),
        ),
        K::ExclusiveMaximum { limit } => een(
            pad.clone(),
            "exclusiveMaximum",
            format!("{veld} moet kleiner zijn dan {}", grens(limit)),
        ),
        K::MinItems { limit } => een(
            pad.clone(),
            "minItems",
            format!("{veld} bevat minder dan {limit} elementen"),
        ),
        K::MaxItems { limit } => een(
            pad.clone(),
            "maxItems",
            format!("{veld} bevat meer dan {limit} elementen"),
        ),
        K::UniqueItems => een(
            pad.clone(),
            "uniqueItems",
            format!("{veld} bevat een element twee keer"),
        ),
        K::MinProperties { limit } => een(
            pad.clone(),
            "minProperties",
            format!("{veld} bevat minder dan {limit} velden"),
        ),
        K::MaxProperties { limit } => een(
            pad.clone(),
            "maxProperties",
            format!("{veld} bevat meer dan {limit} velden"),
        ),
        K::OneOfNotValid { context } | K::AnyOf { context } => {
            // An optional field (`oneOf: [{type: null}, {$ref}]`): the problems of the
            // branch that describes the value; otherwise the field as a whole.
            let takken: Vec<_> = context.iter().filter(|t| !alleen_niet_null(t)).collect();
            if let [tak] = takken.as_slice() {
                for f in tak.iter() {
                    naar_params(f, uit);
                }
            } else {
                een(
                    pad.clone(),
                    "schema",
                    format!(
                        "{veld} past bij geen van de vormen die /api/v1/openapi.json voor dit veld beschrijft"
                    ),
                );
            }
        }
        _ => een(
            pad.clone(),
            "schema",
            format!("{veld} past niet in het schema van dit veld in /api/v1/openapi.json"),
        ),
    }
}
