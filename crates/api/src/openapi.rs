//! The OpenAPI document, generated from the handlers' annotations and then completed so
//! that it follows the Dutch API Design Rules without every handler repeating it:
//! `API-Version` on every 2xx/3xx response, problem+json on every 4xx/5xx, a 400 wherever
//! input is taken, 401/403 wherever a token is needed.

use crate::problem::Problem;
use crate::routes::{
    abonnementen, berichten, betrokkenheden, bewaartermijnen, briefings, contactpunten,
    convenanten, dode_berichten, eigen_verklaringen, gezinnen, incidenten, organisaties, personen,
    rapportages, terugkoppelingen, verwerkingen, zorgmeldingen,
};
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
    paths(
        document,
        organisaties::lijst,
        organisaties::registreer,
        organisaties::een,
        organisaties::wijzig,
        contactpunten::voeg_toe,
        contactpunten::zoek,
        contactpunten::een,
        contactpunten::wijzig,
        contactpunten::verwijder,
        convenanten::lijst,
        convenanten::maak,
        convenanten::een,
        convenanten::wijzig,
        convenanten::nieuwe_versie,
        convenanten::onderteken,
        convenanten::treed_uit,
        convenanten::trek_in,
        convenanten::audittrail,
        verwerkingen::zoek,
        verwerkingen::doorbraken,
        verwerkingen::inzage,
        eigen_verklaringen::voeg_toe,
        eigen_verklaringen::lijst,
        zorgmeldingen::maak,
        zorgmeldingen::lijst,
        zorgmeldingen::een,
        zorgmeldingen::wijzig,
        zorgmeldingen::indien,
        zorgmeldingen::kwaliteit,
        zorgmeldingen::ontvang,
        zorgmeldingen::beoordeel,
        zorgmeldingen::draag_over,
        zorgmeldingen::accepteer,
        zorgmeldingen::wijs_af,
        zorgmeldingen::sluit_af,
        zorgmeldingen::annuleer,
        zorgmeldingen::schort_op,
        zorgmeldingen::hervat,
        zorgmeldingen::mislukt,
        zorgmeldingen::stappen,
        zorgmeldingen::zet_kwaliteitscontrole,
        zorgmeldingen::termijnen_lijst,
        personen::registreer,
        personen::een,
        personen::gezag_vastleggen,
        personen::gezag_lijst,
        gezinnen::maak,
        gezinnen::een,
        gezinnen::beschikking,
        gezinnen::regeling,
        incidenten::maak,
        incidenten::een,
        incidenten::verklaring,
        incidenten::wederhoor,
        betrokkenheden::registreer,
        betrokkenheden::beeindig,
        betrokkenheden::lijst,
        betrokkenheden::een,
        briefings::zoek,
        crate::routes::demo_klok::verschuif,
        terugkoppelingen::geef,
        terugkoppelingen::lijst,
        berichten::lijst,
        crate::routes::quotumoverschrijdingen::een,
        dode_berichten::lijst,
        dode_berichten::opnieuw,
        abonnementen::maak,
        abonnementen::lijst,
        abonnementen::een,
        abonnementen::verwijder,
        rapportages::terugkoppeling,
        bewaartermijnen::lijst,
        bewaartermijnen::zet,
        crate::routes::sluitingsdagen::lijst,
        crate::routes::sluitingsdagen::zet,
        crate::routes::sluitingsdagen::verwijder,
    ),
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
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("OpenAPI serialises");
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
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            afwerken_operatie(method, op);
        }
    }
}

fn afwerken_operatie(method: &str, op: &mut Map<String, Value>) {
    let has_params = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    let has_body = op.contains_key("requestBody");
    let secured = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter()
                .any(|r| r.as_object().is_some_and(|o| !o.is_empty()))
        });
    // An operation without security is public: say so explicitly.
    if !secured {
        op.insert("security".into(), json!([]));
    }
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("responses is an object");
    let takes_input = matches!(method, "post" | "put" | "patch") || has_params;
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
        responses
            .entry("413")
            .or_insert_with(|| problem_response("Verzoek te groot"));
        responses
            .entry("415")
            .or_insert_with(|| problem_response("Content-Type moet application/json zijn"));
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
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl MethodeTabel {
    /// From the finished document; paths are taken relative to `prefix` (`/api/v1`).
    pub fn uit(doc: &Value, prefix: &str) -> Self {
        let mut routes = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let full = format!("{prefix}{path}");
                let segments = full.split('/').map(str::to_string).collect();
                let methods = METHODS
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .map(|m| m.to_uppercase())
                    .collect();
                routes.push((segments, methods));
            }
        }
        Self { routes }
    }

    /// The allowed methods for `path`, if it is a documented path.
    pub fn toegestaan(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(s, p)| {
                        (s.starts_with('{') && s.ends_with('}') && !p.is_empty()) || s == p
                    })
            })
            .map(|(_, methods)| methods.join(", "))
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
            Some("GET, POST")
        );
        assert_eq!(
            t.toegestaan("/api/v1/organisaties/abc").as_deref(),
            Some("GET, PUT")
        );
        assert_eq!(t.toegestaan("/api/v1/organisaties/"), None);
        assert_eq!(t.toegestaan("/api/v1/nergens"), None);
    }
}
