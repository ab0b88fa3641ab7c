//! Answers for what the extractors cannot read (path, query, JSON body), for unknown
//! routes and methods, and the OpenAPI document itself.

use super::*;

/// The OpenAPI document: public, and readable from any origin (API rule).
pub(super) async fn openapi_document(doc: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(doc.json.as_str().to_owned())
}

/// No route answered: 405 with `Allow` for a known path, else 404 (also for a trailing
/// slash: `/organisaties/` is not `/organisaties`).
pub(crate) async fn geen_route(
    req: HttpRequest,
    doc: web::Data<ApiDocument>,
) -> Result<HttpResponse, AppError> {
    match doc.methodes.toegestaan(req.path()) {
        Some(allow) => Err(AppError::MethodeNietToegestaan { allow }),
        None => Err(AppError::NietGevonden(
            "Er is geen resource op dit pad; controleer het pad (zonder slash aan het eind) in /api/v1/openapi.json".into(),
        )),
    }
}

/// The field named in a serde message like "unknown field `foo`, expected ...".
pub(super) fn veld_uit(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(msg[start..start + len].to_string())
}

/// actix's own JSON extractor's errors. Every route reads its body with
/// `crate::lichaam::Json` (which names a refused field by its JSON pointer); this answers
/// what is left without a position, naming the whole body (`""`).
pub(crate) fn json_fout(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        JsonPayloadError::ContentType => AppError::MediaType(
            "Stuur de body als JSON met `Content-Type: application/json`".into(),
        ),
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            AppError::TeGroot(format!("De body is groter dan {limit} bytes"))
        }
        JsonPayloadError::Deserialize(e) => AppError::ongeldig(
            "",
            if e.is_syntax() || e.is_eof() {
                "json"
            } else {
                "schema"
            },
            "De JSON-body past niet in het schema van deze operatie; zie /api/v1/openapi.json",
        ),
        other => AppError::ongeldig("", "json", format!("De body is onleesbaar: {other}")),
    }
    .into()
}

pub(super) fn query_fout(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let msg = match &err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    // Undeclared keys and values that break their schema were answered before, named by
    // their key (`middleware::queryregels`); what is left here is named only when serde
    // names a field (its backticks otherwise hold the value, never a name to echo).
    let veld = if msg.contains("field") {
        veld_uit(&msg)
    } else {
        None
    };
    let code = if msg.contains("unknown field") {
        "unknown"
    } else {
        "invalid"
    };
    AppError::ongeldig(
        veld.as_deref().unwrap_or("query"),
        code,
        "Ongeldige queryparameter; zie de parameters van deze operatie in /api/v1/openapi.json",
    )
    .into()
}

/// A path parameter that is not what its type says, named by the route's parameter and
/// the rule it breaks. Every typed path parameter is a UUID (`crate::pad::PadId`, read strictly; `datum` and
/// `soort` are read as text and checked by their handlers, naming their own rule). The
/// parser's own message is never shown: it quotes the value and its position, and names the
/// library (the tester's finding of 30 Nov 2026); it goes to the debug log only.
pub(super) fn path_fout(err: PathError, req: &HttpRequest) -> actix_web::Error {
    tracing::debug!(fout = %err, "padparameter onleesbaar");
    let naam = req
        .match_info()
        .iter()
        .next()
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| "id".into());
    AppError::ongeldig(
        &naam,
        "format",
        format!(
            "Ongeldige padparameter `{naam}`: verwacht een UUID (format uuid), zoals 0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f90"
        ),
    )
    .into()
}
