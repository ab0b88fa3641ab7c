//! The OpenAPI document, generated from the handlers' annotations and then completed so
//! that it follows the Dutch API Design Rules without every handler repeating it:
//! `API-Version` on every 2xx/3xx response, problem+json on every 4xx/5xx, a 400 wherever
//! input is taken, 401/403 wherever a token is needed.

use crate::problem::Problem;
use ketenregie_common::InvalidParam;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ketenregie",
        version = "1.0.0",
        description = "Police, Veilig Thuis, jeugdzorg, the OM and wijkteams working one case together: zorgmeldingen with feedback deadlines, briefings before arrival, and every access within the data-sharing agreements and logged.\n\nAll operations except this document need `Authorization: Bearer <JWT>`; the token names the organisation (`organisatie`) and roles (`rollen`). Errors are `application/problem+json`.",
        contact(name = "ketenregie ontwikkelaars", url = "https://ketenregie.nl", email = "ontwikkelaars@ketenregie.nl"),
        license(name = "EUPL-1.2", url = "https://eupl.eu/1.2/nl/")
    ),
    servers((url = "/api/v1", description = "This instance")),
    // The operations come from the one route list (`routes::tabel::RoutePaden`), merged
    // in `document_json`; only this document's own path is listed here.
    paths(document),
    components(schemas(Problem, InvalidParam)),
    tags(
        (name = "openapi", description = "This document"),
        (name = "organisaties", description = "Partner organisations and the municipalities they serve"),
        (name = "contactpunten", description = "Whom to call at each organisation, and when"),
        (name = "convenanten", description = "Data-sharing agreements: who may do what with which data, for which purpose, on which legal basis. A version binds only when every party has signed its exact content (`inhoudHash`); a party leaves by its own act; withdrawing needs every remaining party or the platform admin"),
        (name = "zorgmeldingen", description = "Care reports from police to Veilig Thuis, and their handling as a task with FHIR Task status codes. Transition table (also in the README):"),
        (name = "dossiers", description = "The case registry: persons, families, gezag, court decisions, arrangements, police incidents with both sides' statements, involvement signals and their matches, and the briefing before arrival"),
        (name = "terugkoppelingen", description = "Feedback from the receiver of a melding or hand-over to whoever sent it; meets the feedback duties"),
        (name = "berichten", description = "Notifications to the caller's organisation: type and reference, never personal data; and deliveries that failed"),
        (name = "abonnementen", description = "Webhook subscriptions: CloudEvents signed with HMAC-SHA256 in `Ketenregie-Signatuur`"),
        (name = "rapportages", description = "Feedback figures per pair of organisations"),
        (name = "demo", description = "Development mode only: the demo clock"),
        (name = "bewaartermijnen", description = "Retention rules per organisation and kind of record"),
        (name = "sluitingsdagen", description = "An organisation's own closed days, skipped by the feedback deadlines it owes"),
        (name = "verwerkingen", description = "The processing log, break-glass review and inzage, for the privacy officer"),
    )
)]
struct ApiDoc;

/// The OpenAPI document of this API (public, no token needed).
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "openapi",
    operation_id = "openapiDocument",
    summary = "Dit OpenAPI-document",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)),
    security(())
)]
#[allow(dead_code)]
fn document() {}

/// The finished document as JSON.
pub fn document_json() -> Value {
    let mut api = ApiDoc::openapi();
    api.merge(crate::routes::tabel::RoutePaden::openapi());
    let mut doc = serde_json::to_value(api).expect("OpenAPI serialises");
    afwerken(&mut doc);
    doc
}

/// The finished document as pretty JSON with a trailing newline (the committed form).
pub fn document_text() -> String {
    let mut s = serde_json::to_string_pretty(&document_json()).expect("JSON serialises");
    s.push('\n');
    s
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// The default `server.body_limit_bytes` (256 KiB), as the document states it.
const STANDAARD_LICHAAMSGRENS: usize = 256 * 1024;

/// The 422 of an operation whose input can break a rule of the domain.
const REGEL_GESCHONDEN: &str = "De invoer past bij het schema maar breekt een regel (een elfproef, een gemeentecode die niet bestaat, een regel over velden heen, een datum ten opzichte van vandaag); invalidParams noemt elk veld en elke regel";

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

fn afwerken(doc: &mut Value) {
    let components = doc
        .as_object_mut()
        .expect("document is an object")
        .entry("components")
        .or_insert_with(|| json!({}));
    components["headers"] = json!({
        "API-Version": {
            "description": "The full version of this API (semver)",
            "schema": {"type": "string", "example": crate::API_VERSION}
        }
    });
    components["securitySchemes"] = json!({
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token (typ at+jwt) from the configured identity provider, with claims iss, aud, exp, jti, sub, organisatie, rollen and client_id."
        }
    });

    // Publish the zorgmelding transition table with the tag that uses it.
    if let Some(tags) = doc.get_mut("tags").and_then(Value::as_array_mut) {
        for t in tags.iter_mut() {
            if t["name"] == "zorgmeldingen" {
                let tabel = ketenregie_referral::levenscyclus::tabel_markdown();
                let beschrijving = t["description"].as_str().unwrap_or_default().to_string();
                t["description"] = Value::String(format!("{beschrijving}\n\n{tabel}"));
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (naam, schema) in schemas.iter_mut() {
            domeinpatronen(schema);
            niet_leeg(naam, schema);
        }
        aanvullen(schemas);
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (pad, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            afwerken_operatie(pad, method, op);
        }
    }
}

/// The patterns of the domain's identifiers, stated wherever a field carries one, as the
/// server checks them everywhere (`ketenregie_common::validatie`): a BSN is nine digits
/// (`Bsn::parse`, which also applies the elfproef), a municipality a CBS code of four digits
/// (`is_gemeentecode`), an OIN twenty digits (`is_oin`), a postcode four digits and two
/// letters.
const DOMEINPATRONEN: &[(&str, &str)] = &[
    ("bsn", "^[0-9]{9}$"),
    ("gemeente", "^[0-9]{4}$"),
    ("gemeenten", "^[0-9]{4}$"),
    ("oin", "^[0-9]{20}$"),
    // `ketenregie_case::invoer::postcode`: four digits (not starting with 0), two letters.
    ("postcode", "^[1-9][0-9]{3} ?[A-Za-z]{2}$"),
];

fn domeinpatronen(schema: &mut Value) {
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (naam, prop) in props.iter_mut() {
            if let Some((_, patroon)) = DOMEINPATRONEN.iter().find(|(n, _)| n == naam) {
                let doel = if prop.get("items").is_some() {
                    &mut prop["items"]
                } else {
                    &mut *prop
                };
                let tekst = match &doel["type"] {
                    Value::String(t) => t == "string",
                    Value::Array(a) => a.iter().any(|t| t == "string"),
                    _ => false,
                };
                if tekst && doel.get("pattern").is_none() {
                    doel["pattern"] = json!(patroon);
                }
            }
            domeinpatronen(prop);
        }
    }
    for sleutel in ["items", "allOf", "oneOf", "anyOf"] {
        match schema.get_mut(sleutel) {
            Some(Value::Array(a)) => a.iter_mut().for_each(domeinpatronen),
            Some(v @ Value::Object(_)) => domeinpatronen(v),
            _ => {}
        }
    }
}

/// What the schemas of types outside this crate's care leave out, stated here where the
/// rule is known: the channels of a webhook subscription are an enum of at least one
/// (`ketenregie_feedback::abonnement::KANALEN`), its URL an absolute URI.
fn aanvullen(schemas: &mut Map<String, Value>) {
    if let Some(a) = schemas.get_mut("AbonnementInvoer") {
        a["properties"]["kanalen"]["minItems"] = json!(1);
        a["properties"]["kanalen"]["items"] =
            json!({"type": "string", "enum": ketenregie_feedback::abonnement::KANALEN});
        a["properties"]["url"]["format"] = json!("uri");
    }
    // `ketenregie_privacy::convenant`: only the standard signatory roles sign for a party.
    if let Some(p) = schemas.get_mut("Partij") {
        p["properties"]["ondertekenaars"]["items"] = json!({
            "type": "string",
            "enum": ketenregie_privacy::convenant::STANDAARD_ONDERTEKENAARS
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        });
    }
    // `ketenregie_case::gezinnen`: a family has at least one member.
    if let Some(g) = schemas.get_mut("GezinInvoer")
        && g["properties"].get("leden").is_some()
    {
        g["properties"]["leden"]["minItems"] = json!(1);
    }
}

/// The header parameters whose format the server enforces, documented once here:
/// `If-Match` (RFC 9110 §13.1.1, `crate::routes::if_match`) and `Idempotency-Key`
/// (`crate::idempotentie`: 1 to 255 visible ASCII characters).
fn kopformaten(op: &mut Map<String, Value>) -> (bool, bool) {
    let (mut if_match, mut idempotentie) = (false, false);
    for p in op
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if p["in"] != "header" {
            continue;
        }
        if p["name"] == "If-Match" {
            if_match = true;
            p["description"] = json!(
                "`*`, or the ETag of your last read (`\"3\"`), or a list of them (empty list members are ignored); a weak ETag (`W/\"3\"`) never matches, and tags compare character by character (`\"03\"` is not `\"3\"`; RFC 9110 §13.1.1, §8.8.3.2). Without it the write is unconditional; an empty value is the empty list, which no version matches (412), as RFC 9110 §13.1.1 reads it."
            );
            p["schema"] = json!({"type": "string", "pattern": crate::routes::IF_MATCH_PATROON});
        }
        if p["name"] == "Idempotency-Key" {
            idempotentie = true;
            p["schema"] = json!({
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "pattern": "^[\\x20-\\x7E]*[\\x21-\\x7E][\\x20-\\x7E]*$"
            });
        }
    }
    (if_match, idempotentie)
}

/// Query and path parameters that carry a domain identifier get its pattern
/// (`DOMEINPATRONEN`); `richting` (inbox or outbox) is an enum wherever it is taken.
fn parameterregels(op: &mut Map<String, Value>) {
    for p in op
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let naam = p["name"].as_str().unwrap_or_default().to_string();
        if let Some((_, patroon)) = DOMEINPATRONEN.iter().find(|(n, _)| *n == naam)
            && p["schema"].get("pattern").is_none()
        {
            p["schema"]["pattern"] = json!(patroon);
        }
        if naam == "richting" && p["in"] == "query" {
            p["schema"]["enum"] = json!(["ontvangen", "verzonden"]);
        }
    }
}

/// An input schema (`...Invoer`, `...Vraag`) states what `Validatie::tekst` enforces on
/// every required text: present and not blank. Formats, enums and patterns of their own
/// say more and are left as they are.
fn niet_leeg(naam: &str, schema: &mut Value) {
    if !(naam.ends_with("Invoer") || naam.ends_with("Vraag")) {
        return;
    }
    let verplicht: Vec<String> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for veld in verplicht {
        let Some(p) = props.get_mut(&veld) else {
            continue;
        };
        if p["type"] == "string"
            && p.get("format").is_none()
            && p.get("enum").is_none()
            && p.get("pattern").is_none()
        {
            p["minLength"] = json!(1);
            p["pattern"] = json!("\\S");
        }
    }
}

/// `X-Audit-Toelichting` on every secured operation (each reads it, `verwerking::Verwerking`):
/// the reason for this processing, 10 to 500 characters as sent (else a 400 naming the
/// header), with at least 10 letters or digits and no control characters
/// (`verwerking::TOELICHTING_ZEGT_IETS`, else a 422 naming it). Replaces a declaration of
/// its own (`POST /briefings/_zoek`), keeping its description.
fn toelichtingskop(op: &mut Map<String, Value>) {
    let params = op
        .entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("parameters is an array");
    let eigen = params
        .iter()
        .position(|p| p["in"] == "header" && p["name"] == "X-Audit-Toelichting");
    let uitleg = eigen
        .and_then(|i| params[i]["description"].as_str().map(str::to_string))
        .unwrap_or_else(|| {
            "The reason for this processing, where an agreement requires one (the OM: case by case) or for break-glass".into()
        });
    let kop = json!({
        "name": "X-Audit-Toelichting",
        "in": "header",
        "required": false,
        "description": format!("{uitleg}. 10 to 500 characters (else a 400 naming the header), with at least 10 letters or digits and no control characters (rule TOELICHTING_ZEGT_IETS, else a 422 naming the header)."),
        "schema": {"type": "string", "minLength": 10, "maxLength": 500}
    });
    match eigen {
        Some(i) => params[i] = kop,
        None => params.push(kop),
    }
}

/// An optional body (`request_body = Option<T>`: `required` left out) is either absent or
/// a `T`; utoipa also writes `oneOf: [null, T]`, which would let a client send the JSON
/// `null`, a body no handler reads. The schema becomes `T` again.
fn optioneel_lichaam(op: &mut Map<String, Value>) {
    let Some(inhoud) = op
        .get_mut("requestBody")
        .and_then(|b| b.get_mut("content"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for soort in inhoud.values_mut() {
        let Some(schema) = soort.get_mut("schema") else {
            continue;
        };
        if let Some([a, b]) = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            && a == &json!({"type": "null"})
        {
            *schema = b.clone();
        }
    }
}

fn afwerken_operatie(pad: &str, method: &str, op: &mut Map<String, Value>) {
    optioneel_lichaam(op);
    parameterregels(op);
    let (if_match, idempotentie) = kopformaten(op);
    let has_params = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    let has_body = op.contains_key("requestBody");
    // Query parameters other than paging: filters whose values a rule may refuse.
    let has_filters = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| p["in"] == "query" && p["name"] != "page" && p["name"] != "pageSize");
    let secured = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter()
                .any(|r| r.as_object().is_some_and(|o| !o.is_empty()))
        });
    if secured {
        toelichtingskop(op);
    }
    // An operation without security is public: say so explicitly.
    if !secured {
        op.insert("security".into(), json!([]));
    }
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("responses is an object");
    let takes_input = matches!(method, "post" | "put" | "patch") || has_params || secured;
    if takes_input && !responses.contains_key("400") {
        responses.insert(
            "400".into(),
            problem_response("Ongeldige invoer; invalidParams noemt elk ongeldig veld"),
        );
    }
    if secured {
        responses
            .entry("401")
            .or_insert_with(|| problem_response("Geen, of geen geldig, token"));
        responses
            .entry("403")
            .or_insert_with(|| problem_response("Geen toegang"));
    }
    if has_body {
        // The limits `middleware::lichaamsbeleid` applies, with the default
        // `server.body_limit_bytes`.
        let grens = crate::middleware::lichaamsgrens(
            &format!("{}{pad}", crate::app::API_PREFIX),
            STANDAARD_LICHAAMSGRENS,
        );
        responses.entry("413").or_insert_with(|| {
            problem_response(&format!(
                "De body is groter dan {} KiB, de grens van deze operatie ({}); de detail noemt de grens",
                grens / 1024,
                if grens == STANDAARD_LICHAAMSGRENS {
                    "server.body_limit_bytes, standaard 256 KiB"
                } else {
                    "vast, voor de lange teksten van een zorgmelding"
                }
            ))
        });
        responses.entry("415").or_insert_with(|| {
            problem_response("Een body moet Content-Type: application/json hebben")
        });
    }
    // A path with an id names something that may not exist (or lie outside the caller's
    // view, answered the same): 404 on every such operation.
    if pad.contains('{') {
        responses.entry("404").or_insert_with(|| {
            problem_response("Onbekend, of buiten het zicht van uw organisatie")
        });
    }
    if if_match {
        responses.entry("412").or_insert_with(|| {
            problem_response("If-Match past niet bij de huidige versie: haal het object opnieuw op")
        });
    }
    // Input the schema allows can still break a rule of the domain: a 422 naming field and
    // rule (`problem::schendt_schema`). Possible wherever a body or a filter is taken.
    // A secured operation reads `X-Audit-Toelichting`, whose content is a rule too.
    let regels = has_body || has_filters || secured;
    if idempotentie {
        responses.entry("409").or_insert_with(|| {
            problem_response("Idempotency-Key nog in behandeling (met Retry-After)")
        });
    }
    let onverwerkbaar = match (regels, idempotentie) {
        (true, true) => Some(format!(
            "{REGEL_GESCHONDEN}; of de Idempotency-Key is al gebruikt voor een ander verzoek"
        )),
        (true, false) => Some(REGEL_GESCHONDEN.to_string()),
        (false, true) => Some("Idempotency-Key al gebruikt voor een ander verzoek".to_string()),
        (false, false) => None,
    };
    if let Some(b) = onverwerkbaar {
        responses
            .entry("422")
            .or_insert_with(|| problem_response(&b));
    }
    // Every operation is under the request rate limits (crate::limieten).
    responses.entry("429").or_insert_with(|| {
        let mut r = problem_response(
            "Te veel verzoeken (snelheidslimiet of dagquotum); probeer het na Retry-After seconden opnieuw",
        );
        r["headers"] = json!({"Retry-After": {
            "description": "Seconds to wait before the next request (RFC 9110 §10.2.3)",
            "schema": {"type": "integer", "minimum": 1}
        }});
        r
    });
    responses
        .entry("500")
        .or_insert_with(|| problem_response("Interne fout; noem de traceId"));
    // Every operation needs the database: while it is away (or, on SQLite, its disk is
    // full) the answer is a 503 with Retry-After (crate::db).
    responses.entry("503").or_insert_with(|| {
        let mut r = problem_response(
            "Tijdelijk niet beschikbaar (database); probeer het na Retry-After seconden opnieuw",
        );
        r["headers"] = json!({"Retry-After": {
            "description": "Seconds to wait before trying again (RFC 9110 §10.2.3)",
            "schema": {"type": "integer", "minimum": 1}
        }});
        r
    });
    for (code, response) in responses.iter_mut() {
        let Some(r) = response.as_object_mut() else {
            continue;
        };
        if code.starts_with('2') || code.starts_with('3') {
            let headers = r
                .entry("headers")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("headers is an object");
            headers.insert(
                "API-Version".into(),
                json!({"$ref": "#/components/headers/API-Version"}),
            );
        } else if code.starts_with('4') || code.starts_with('5') {
            r.insert(
                "content".into(),
                json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}),
            );
        }
    }
}

/// Which methods each documented path allows; answers 405 with `Allow` for a known path
/// and 404 for an unknown one.
#[derive(Debug, Clone)]
pub struct MethodeTabel {
    /// Per documented path (as segments): its operations in `METHODS` order, each with the
    /// query parameters it declares (name, schema with `$ref`s resolved).
    routes: Vec<(Vec<String>, Vec<Operatie>)>,
}

/// One documented operation: its method (upper case), its declared query parameters, and
/// the names of its other declared parameters (headers and path parameters).
type Operatie = (String, Vec<(String, Value)>, Vec<String>);

/// One declared query parameter's value against its schema: the rule it breaks (`format`,
/// `enum`, `type`, `minimum`, `maximum`, `minLength`, `maxLength`), if any, with what was
/// expected in Dutch (never the value). Only what the document states is checked: UUIDs,
/// dates and times, enumerations, whole numbers and their bounds, booleans, lengths.
fn breekt(schema: &Value, waarde: &str) -> Option<(&'static str, String)> {
    if let Some(opties) = schema.get("enum").and_then(Value::as_array) {
        let lijst: Vec<&str> = opties.iter().filter_map(Value::as_str).collect();
        return (!lijst.contains(&waarde))
            .then(|| ("enum", format!("een van: {}", lijst.join(", "))));
    }
    let grens = |k: &str| schema.get(k).and_then(Value::as_i64);
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("uuid")) => ketenregie_common::ids::lees_uuid(waarde)
            .is_none()
            .then(|| ("format", "een UUID".into())),
        (Some("string"), Some("date")) => ketenregie_common::time::lees_datum(waarde)
            .is_none()
            .then(|| ("format", "een datum JJJJ-MM-DD".into())),
        (Some("string"), Some("date-time")) => ketenregie_common::time::lees_tijdstip(waarde)
            .is_none()
            .then(|| {
                (
                    "format",
                    "een tijdstip volgens RFC 3339 met tijdzone".into(),
                )
            }),
        (Some("string"), _) => {
            let n = waarde.chars().count() as i64;
            if let Some(min) = grens("minLength").filter(|m| n < *m) {
                return Some(("minLength", format!("ten minste {min} tekens")));
            }
            grens("maxLength")
                .filter(|m| n > *m)
                .map(|max| ("maxLength", format!("ten hoogste {max} tekens")))
        }
        (Some("integer"), _) => {
            let Ok(n) = waarde.parse::<i64>() else {
                return Some(("type", "een geheel getal".into()));
            };
            if let Some(min) = grens("minimum").filter(|m| n < *m) {
                return Some(("minimum", format!("ten minste {min}")));
            }
            grens("maximum")
                .filter(|m| n > *m)
                .map(|max| ("maximum", format!("ten hoogste {max}")))
        }
        (Some("boolean"), _) => {
            (!matches!(waarde, "true" | "false")).then(|| ("type", "true of false".into()))
        }
        _ => None,
    }
}

impl MethodeTabel {
    /// From the finished document; paths are taken relative to `prefix` (`/api/v1`).
    pub fn uit(doc: &Value, prefix: &str) -> Self {
        let mut routes = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let segments = format!("{prefix}{path}")
                    .split('/')
                    .map(str::to_string)
                    .collect();
                let operaties = METHODS
                    .iter()
                    .filter_map(|m| {
                        let op = item.get(*m)?;
                        Some((
                            m.to_uppercase(),
                            queryparams(doc, op),
                            andere_params(item, op),
                        ))
                    })
                    .collect();
                routes.push((segments, operaties));
            }
        }
        Self { routes }
    }

    /// The operations of the documented path `path` matches.
    fn operaties(&self, path: &str) -> Option<&[Operatie]> {
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(segments, _)| past(segments, &parts))
            .map(|(_, ops)| ops.as_slice())
    }

    /// The query parameters the operation `methode path` declares; `None` for a path or
    /// method the document does not have.
    fn queryparameters(&self, methode: &str, path: &str) -> Option<&[(String, Value)]> {
        self.operaties(path)?
            .iter()
            .find(|(m, ..)| m == methode)
            .map(|(_, ps, _)| ps.as_slice())
    }

    /// The problems of a query string for the operation `methode path`: every key the
    /// operation does not declare (`unknown`; Dutch API Design Rules: unknown parameters
    /// are an error, and a key never travels on in `next`/`previous` links), and every
    /// declared value that breaks its schema's format, enumeration or type (named by its
    /// key, never by its value). Empty for an undocumented path (the router answers it).
    pub fn queryproblemen(&self, methode: &str, path: &str, query: &str) -> Vec<InvalidParam> {
        let Some(params) = self.queryparameters(methode, path) else {
            return vec![];
        };
        let paren: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let mut uit = Vec::new();
        // A parameter of one value given twice (`page=1&page=2`): the document's form style
        // gives a scalar one value, and which one counts would be a guess. Named beside the
        // other problems (outside test, 2 Dec 2026: only `pageSize` was named).
        for (i, (sleutel, _)) in paren.iter().enumerate() {
            let eenmalig = params.iter().any(|(n, schema)| {
                n == sleutel && schema.get("type") != Some(&Value::from("array"))
            });
            if eenmalig
                && paren[..i].iter().any(|(k, _)| k == sleutel)
                && !uit.iter().any(|p: &InvalidParam| &p.name == sleutel)
            {
                uit.push(InvalidParam {
                    name: sleutel.clone(),
                    code: "invalid".into(),
                    reason: format!(
                        "`{sleutel}` staat meer dan één keer in de query; deze parameter heeft één waarde"
                    ),
                });
            }
        }
        for (sleutel, waarde) in &paren {
            match params.iter().find(|(n, _)| n == sleutel) {
                None => {
                    // A key is named back only when it looks like a parameter name, so
                    // nothing personal typed as a key is echoed.
                    let naam = if sleutel.len() <= 40
                        && sleutel.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
                    {
                        sleutel.clone()
                    } else {
                        "query".to_string()
                    };
                    let bekend: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
                    uit.push(InvalidParam {
                        reason: if bekend.is_empty() {
                            format!("`{naam}` is geen parameter van deze operatie; zij kent geen queryparameters")
                        } else {
                            format!("`{naam}` is geen parameter van deze operatie; bekend zijn: {}", bekend.join(", "))
                        },
                        name: naam,
                        code: "unknown".into(),
                    });
                }
                Some((_, schema)) => {
                    if let Some((regel, verwacht)) = breekt(schema, waarde) {
                        uit.push(InvalidParam {
                            name: sleutel.clone(),
                            code: regel.into(),
                            reason: format!("`{sleutel}` is ongeldig; verwacht {verwacht}"),
                        });
                    }
                }
            }
        }
        // A `pattern` costs a regular expression, so it is checked here only once the query
        // is refused anyway: then the answer names it beside the other problems. A query
        // whose only fault is a pattern goes on to the operation, whose own reading names
        // it (`gemeente=12`, a malformed `cursor`).
        if !uit.is_empty() {
            for (sleutel, waarde) in &paren {
                let patroon = params
                    .iter()
                    .find(|(n, _)| n == sleutel)
                    .and_then(|(_, schema)| schema.get("pattern").and_then(Value::as_str));
                if let Some(patroon) = patroon
                    && !uit.iter().any(|p| &p.name == sleutel)
                    && !jsonschema::is_valid(
                        &serde_json::json!({"type": "string", "pattern": patroon}),
                        &Value::String(waarde.clone()),
                    )
                {
                    uit.push(InvalidParam {
                        name: sleutel.clone(),
                        code: "pattern".into(),
                        reason: format!(
                            "`{sleutel}` heeft niet de vorm die deze operatie verwacht (patroon `{patroon}`)"
                        ),
                    });
                }
            }
        }
        uit
    }

    /// Does the operation `methode path` declare the header or path parameter `naam` (case
    /// ignored)? `None` for a path or method the document does not have.
    pub fn kent_parameter(&self, methode: &str, path: &str, naam: &str) -> Option<bool> {
        self.operaties(path)?
            .iter()
            .find(|(m, ..)| m == methode)
            .map(|(_, _, andere)| andere.iter().any(|n| n.eq_ignore_ascii_case(naam)))
    }

    /// The allowed methods for `path`, if it is a documented path: HEAD after GET.
    pub fn toegestaan(&self, path: &str) -> Option<String> {
        // HEAD wherever GET is (RFC 9110 §9.3.2; `middleware::head_als_get` answers it).
        let methods: Vec<&str> = self
            .operaties(path)?
            .iter()
            .flat_map(|(m, ..)| match m.as_str() {
                "GET" => vec!["GET", "HEAD"],
                m => vec![m],
            })
            .collect();
        Some(methods.join(", "))
    }

    /// `invalidParams[].name` as the API publishes it (issue 13 point 6): a name the operation
    /// `methode path` declares as a parameter (query key, header, path parameter; a header's
    /// case ignored), or a key of the request's query string `sleutels` (an undeclared one,
    /// refused by `middleware::queryregels` before any handler reads the body), stays as it
    /// is; any other name is a body field and becomes its RFC 6901 JSON pointer
    /// (`kinderen[0].bsn` -> `/kinderen/0/bsn`, `common::validatie::json_pointer`). No
    /// operation declares a parameter with the name of a top-level field of its body (a test
    /// over the document), so the two never meet. The name `query` (an undeclared key that
    /// does not look like a name, not echoed) stays. For an undocumented operation the
    /// names are left alone.
    pub fn publieke_naam(
        &self,
        methode: &str,
        path: &str,
        sleutels: &[String],
        naam: &str,
    ) -> String {
        let Some((_, query, andere)) = self
            .operaties(path)
            .and_then(|ops| ops.iter().find(|(m, ..)| m == methode))
        else {
            return naam.to_string();
        };
        // `Authorization` is the security scheme's header (`bearer`), declared there and
        // not as a parameter; a problem with it names the header. So does a problem with
        // `Idempotency-Key` on an operation that does not declare it (it refuses the key),
        // and every single-value header sent twice, declared there or not
        // (`middleware::EENMALIGE_KOPPEN`, one list for both).
        let gedeclareerd = naam == "query"
            || naam == "Authorization"
            || crate::middleware::EENMALIGE_KOPPEN
                .iter()
                .any(|(_, kop)| *kop == naam)
            || sleutels.iter().any(|k| k == naam)
            || query.iter().any(|(n, _)| n == naam)
            || andere.iter().any(|n| n.eq_ignore_ascii_case(naam));
        if gedeclareerd {
            naam.to_string()
        } else {
            ketenregie_common::validatie::json_pointer(naam)
        }
    }
}

/// Whether a request path (split on `/`) matches a documented path's segments.
fn past(segments: &[String], parts: &[&str]) -> bool {
    segments.len() == parts.len()
        && segments
            .iter()
            .zip(parts)
            .all(|(s, p)| (s.starts_with('{') && s.ends_with('}') && !p.is_empty()) || s == p)
}

/// The names of the header and path parameters an operation declares (its own and its
/// path item's).
fn andere_params(item: &Value, op: &Value) -> Vec<String> {
    [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter(|p| p["in"] != "query")
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect()
}

/// The query parameters an operation object declares: (name, schema with `$ref` resolved).
fn queryparams(doc: &Value, op: &Value) -> Vec<(String, Value)> {
    op.get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| Some((p["name"].as_str()?.to_string(), los_op(doc, &p["schema"]))))
                .collect()
        })
        .unwrap_or_default()
}

/// A schema with a local `$ref` (`#/components/schemas/X`) replaced by its target.
fn los_op(doc: &Value, schema: &Value) -> Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null),
        None => schema.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_problem_json_and_every_success_has_version() {
        let doc = document_json();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (code, r) in op["responses"].as_object().unwrap() {
                    if code.starts_with('2') {
                        assert!(
                            r["headers"]["API-Version"].is_object(),
                            "{method} {path} {code}"
                        );
                    } else {
                        assert!(
                            r["content"]["application/problem+json"].is_object(),
                            "{method} {path} {code}"
                        );
                    }
                }
            }
        }
    }

    /// Every Rust type that derives `ToSchema`, by the component name it publishes: the
    /// type's name, or its `#[schema(as = ...)]`. utoipa keeps one schema per name and
    /// silently drops the others, so two types with one name publish the wrong shape for
    /// one of them (issue 13: `VerklaringInvoer` of an incident shown for a zorgmelding's).
    fn schemanamen() -> Vec<(String, String)> {
        fn bestanden(dir: &std::path::Path, uit: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    bestanden(&p, uit);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    uit.push(p);
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut paden = Vec::new();
        bestanden(&crates, &mut paden);
        let mut namen = Vec::new();
        for pad in paden {
            let tekst = std::fs::read_to_string(&pad).unwrap();
            let mut regels = tekst.lines().map(str::trim);
            while let Some(regel) = regels.next() {
                if !regel.starts_with("#[derive(") {
                    continue;
                }
                let mut derive = regel.to_string();
                while !derive.contains(")]") {
                    let Some(r) = regels.next() else { break };
                    derive.push_str(r);
                }
                if !derive.contains("ToSchema") {
                    continue;
                }
                let mut als = None;
                for r in regels.by_ref() {
                    if r.starts_with("#[schema(")
                        && let Some(i) = r.find("as = ")
                    {
                        let rest = &r[i + 5..];
                        let eind = rest.find([',', ')']).unwrap_or(rest.len());
                        als = Some(rest[..eind].trim().replace("::", "."));
                    }
                    let zonder_pub = r
                        .strip_prefix("pub(crate) ")
                        .or_else(|| r.strip_prefix("pub "))
                        .unwrap_or(r);
                    if let Some(naam) = zonder_pub
                        .strip_prefix("struct ")
                        .or_else(|| zonder_pub.strip_prefix("enum "))
                    {
                        let naam: String = naam
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        namen.push((als.unwrap_or(naam), pad.display().to_string()));
                        break;
                    }
                }
            }
        }
        namen
    }

    #[test]
    fn every_schema_name_belongs_to_one_rust_type() {
        let namen = schemanamen();
        assert!(namen.len() > 100, "the scan finds the schema types");
        let mut per_naam: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for (naam, pad) in &namen {
            per_naam.entry(naam).or_default().push(pad);
        }
        let dubbel: Vec<_> = per_naam.iter().filter(|(_, p)| p.len() > 1).collect();
        assert!(
            dubbel.is_empty(),
            "component names used by more than one Rust type (give one `#[schema(as = ...)]`): {dubbel:?}"
        );
        // And every component in the document is one of them (or the handful declared in
        // this module), so the scan sees what the document publishes.
        let doc = document_json();
        for naam in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(
                per_naam.contains_key(naam.as_str()),
                "component {naam} not found by the scan"
            );
        }
    }

    #[test]
    fn method_table_matches_templates() {
        let t = MethodeTabel::uit(&document_json(), "/api/v1");
        assert_eq!(
            t.toegestaan("/api/v1/organisaties").as_deref(),
            Some("GET, HEAD, POST")
        );
        assert_eq!(
            t.toegestaan("/api/v1/organisaties/abc").as_deref(),
            Some("GET, HEAD, PUT")
        );
        assert_eq!(t.toegestaan("/api/v1/organisaties/"), None);
        assert_eq!(t.toegestaan("/api/v1/nergens"), None);
    }

    /// Issue 13 point 6: a declared parameter keeps its key, a body field becomes a JSON
    /// pointer; which is which is decided by the declarations, so no operation may declare
    /// a parameter with the name of a top-level field of its own body.
    #[test]
    fn invalid_param_names_as_published() {
        let doc = document_json();
        let t = MethodeTabel::uit(&doc, "/api/v1");
        let m = "/api/v1/zorgmeldingen";
        assert_eq!(
            t.publieke_naam("POST", m, &[], "kinderen[0].bsn"),
            "/kinderen/0/bsn"
        );
        assert_eq!(
            t.publieke_naam("POST", m, &[], "Idempotency-Key"),
            "Idempotency-Key"
        );
        assert_eq!(
            t.publieke_naam("POST", m, &[], "idempotency-key"),
            "idempotency-key"
        );
        assert_eq!(t.publieke_naam("GET", m, &[], "pageSize"), "pageSize");
        assert_eq!(t.publieke_naam("GET", m, &[], "query"), "query");
        // An undeclared key of the query string stays a key.
        let bsn = vec!["bsn".to_string()];
        assert_eq!(
            t.publieke_naam("POST", "/api/v1/briefings/_zoek", &bsn, "bsn"),
            "bsn"
        );
        assert_eq!(
            t.publieke_naam("POST", "/api/v1/briefings/_zoek", &[], "bsn"),
            "/bsn"
        );
        let stap = "/api/v1/zorgmeldingen/0192/afwijzingen";
        assert_eq!(t.publieke_naam("POST", stap, &[], "reden"), "/reden");
        assert_eq!(t.publieke_naam("POST", stap, &[], "id"), "id");
        assert_eq!(t.publieke_naam("POST", stap, &[], "If-Match"), "If-Match");
        assert_eq!(
            t.publieke_naam("POST", "/api/v1/nergens", &[], "x.y"),
            "x.y"
        );

        let mut botsingen = Vec::new();
        for (pad, item) in doc["paths"].as_object().unwrap() {
            for (methode, op) in item.as_object().unwrap() {
                let schema = los_op(
                    &doc,
                    &op["requestBody"]["content"]["application/json"]["schema"],
                );
                let Some(velden) = schema["properties"].as_object() else {
                    continue;
                };
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let naam = p["name"].as_str().unwrap_or_default();
                    if velden.keys().any(|v| v.eq_ignore_ascii_case(naam)) {
                        botsingen.push(format!("{methode} {pad}: {naam}"));
                    }
                }
            }
        }
        assert!(botsingen.is_empty(), "{botsingen:?}");

        // And every request body is one JSON object (`lichaam::lees` refuses anything else
        // at the top).
        for (pad, item) in doc["paths"].as_object().unwrap() {
            for (methode, op) in item.as_object().unwrap() {
                let schema = &op["requestBody"]["content"]["application/json"]["schema"];
                if !schema.is_null() {
                    assert_eq!(los_op(&doc, schema)["type"], "object", "{methode} {pad}");
                }
            }
        }
    }
}
