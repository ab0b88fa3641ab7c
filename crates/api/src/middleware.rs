//! The outer middleware every request passes (DESIGN.md §2 step 1): trace id, the request
//! span and its log line, `API-Version` and security headers, metrics, and the completion
//! of every error response as problem+json; and the deadline for a request's body
//! (`verzoektijd`).

use crate::API_VERSION;
use crate::metrics::Metrics;
use crate::problem::{AppError, PROBLEM_JSON, problem_voor_status};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use futures_core::Stream;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The W3C trace id of a request (32 lowercase hex digits).
#[derive(Debug, Clone)]
pub struct TraceId(pub String);

/// The trace id and the parent's span id of a valid W3C `traceparent` (Trace Context §3.2:
/// `version-traceid-parentid-flags`, lowercase hex of 2, 32, 16 and 2 digits, version not
/// `ff`, neither id all zeros); `None` for anything else. Both the trace id and the parent
/// span id end up in log rows, so neither is taken from an invalid header.
pub fn traceparent_delen(tp: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = tp.trim().split('-').collect();
    let geldig = parts.len() == 4
        && parts[0].len() == 2
        && parts[0] != "ff"
        && parts[1].len() == 32
        && parts[2].len() == 16
        && parts[3].len() == 2
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
        && parts[1] != "00000000000000000000000000000000"
        && parts[2] != "0000000000000000";
    geldig.then(|| (parts[1], parts[2]))
}

/// Take the trace id from a valid W3C `traceparent`, or make a new one.
pub fn trace_id_uit(traceparent: Option<&str>) -> String {
    match traceparent.and_then(traceparent_delen) {
        Some((trace, _)) => trace.to_string(),
        None => hex::encode(rand::random::<[u8; 16]>()),
    }
}

/// Security headers of the API Design Rules (transport security module), on every
/// response including errors.
const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("cache-control", "no-store"),
    ("content-security-policy", "frame-ancestors 'none'"),
    (
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
];

pub async fn kern(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let start = Instant::now();
    let trace_id = trace_id_uit(
        req.headers()
            .get("traceparent")
            .and_then(|v| v.to_str().ok()),
    );
    req.extensions_mut().insert(TraceId(trace_id.clone()));
    // The method as sent: a HEAD runs as its GET (`head_als_get`) but is logged as HEAD.
    let method = if req.extensions().contains::<WasHead>() {
        "HEAD".to_string()
    } else {
        req.method().to_string()
    };
    let path = req.path().to_string();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();

    let span = tracing::info_span!(
        "verzoek",
        trace_id = %trace_id,
        method = %method,
        route = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
        organisatie = tracing::field::Empty,
    );

    // Handlers and extractors turn their errors into responses; an `Err` here would be a
    // service-level failure, which actix answers with the error's own (problem+json for
    // every `AppError`) response. No request clone is kept across the call: routing
    // needs sole ownership of the request.
    let res = next
        .call(req)
        .instrument(span.clone())
        .await?
        .map_into_boxed_body();

    // An HTML error page (the werkplek's) stays HTML; every other error becomes
    // problem+json.
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut res = if res.status().as_u16() >= 400 && !html {
        complete_problem(res, &path, &trace_id)
    } else {
        res
    };

    let headers = res.headers_mut();
    headers.insert(
        HeaderName::from_static("api-version"),
        HeaderValue::from_static(API_VERSION),
    );
    for (k, v) in SECURITY_HEADERS {
        if !headers.contains_key(*k) {
            headers.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
    }
    if let Ok(v) = HeaderValue::from_str(&format!(
        "00-{trace_id}-{}-01",
        hex::encode(rand::random::<[u8; 8]>())
    )) {
        headers.insert(HeaderName::from_static("traceparent"), v);
    }

    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(geen route)".to_string());
    let status = res.status().as_u16();
    let secs = start.elapsed().as_secs_f64();
    if let Some(m) = metrics {
        m.observe(&route, &method, status, secs);
    }
    span.record("route", route.as_str());
    span.record("status", status);
    span.record("latency_ms", (secs * 1000.0 * 1000.0).round() / 1000.0);
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!("verzoek afgehandeld");
        } else {
            tracing::info!("verzoek afgehandeld");
        }
    });
    Ok(res)
}

/// Rewrite an error response's body as the complete problem+json document, with every
/// `invalidParams[].name` as the API publishes it.
fn complete_problem(
    res: ServiceResponse<BoxBody>,
    path: &str,
    trace_id: &str,
) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let mut problem = res
        .response()
        .extensions()
        .get::<EigenProbleem>()
        .map(|p| p.0.clone())
        .or_else(|| {
            res.response()
                .error()
                .and_then(|e| e.as_error::<AppError>())
                .map(AppError::problem)
        })
        .unwrap_or_else(|| problem_voor_status(status));
    problem.status = status.as_u16();
    // Every name as the API publishes it: a declared parameter by its key, a body field
    // by its JSON pointer (issue 13 point 6; `MethodeTabel::publieke_naam`).
    if !problem.invalid_params.is_empty()
        && let Some(doc) = res
            .request()
            .app_data::<web::Data<crate::app::ApiDocument>>()
    {
        let methode = res.request().method().as_str().to_string();
        let sleutels: Vec<String> =
            serde_urlencoded::from_str::<Vec<(String, String)>>(res.request().query_string())
                .unwrap_or_default()
                .into_iter()
                .map(|(k, _)| k)
                .collect();
        for p in &mut problem.invalid_params {
            let naam = doc
                .methodes
                .publieke_naam(&methode, path, &sleutels, &p.name);
            // The reason and the detail name the field as the name does
            // (`kinderen[0].bsn` becomes `/kinderen/0/bsn` in all three; the tester's
            // finding of 1 Dec 2026: a PUT's detail kept the dotted path). A body path
            // beside it in the reason (`leden[1].van`) becomes its pointer too.
            if naam != p.name {
                let (oud, nieuw) = (format!("`{}`", p.name), format!("`{naam}`"));
                p.reason = lichaampaden_als_pointer(&p.reason.replace(&oud, &nieuw));
                problem.detail = lichaampaden_als_pointer(&problem.detail.replace(&oud, &nieuw));
                p.name = naam;
            }
        }
    }
    problem.instance = Some(instantie(res.request(), path));
    problem.trace_id = Some(trace_id.to_string());
    let body = serde_json::to_vec(&problem).expect("problem serialises");
    let (req, resp) = res.into_parts();
    let mut resp = resp.set_body(BoxBody::new(body));
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    resp.headers_mut().remove(header::CONTENT_LENGTH);
    // The new body is plain: whatever encoding described the old one no longer applies
    // (issue 11 fault 7: a gzip label on an uncompressed body).
    resp.headers_mut().remove(header::CONTENT_ENCODING);
    ServiceResponse::new(req, resp)
}

/// A problem's `instance`: the route's template (`/api/v1/personen/{id}`), never the path
/// asked for, whose parameters may be personal data (a BSN, a name typed into a URL; the
/// outside tester's finding of Dec 2026: every 404 echoed the id it did not find). A path
/// that matches no route keeps its segments up to the first that could be a value (one
/// with a character other than a lower-case letter, `-` or `_`, or `v1`).
fn instantie(req: &actix_web::HttpRequest, path: &str) -> String {
    if let Some(p) = req.match_pattern() {
        return p;
    }
    let mut uit = String::new();
    for deel in path.split('/').skip(1) {
        let woord = deel == "v1"
            || (!deel.is_empty()
                && deel
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_'));
        if !woord {
            break;
        }
        uit.push('/');
        uit.push_str(deel);
    }
    if uit.is_empty() { "/".into() } else { uit }
}

/// `tekst` with every quoted body path in dotted form (`` `leden[1].van` ``, a name with a
/// `.` or `[`) as its RFC 6901 pointer (`` `/leden/1/van` ``), as `invalidParams[].name`
/// writes it. Only a quoted word of field-name characters counts: a quoted value or a
/// sentence is left alone.
fn lichaampaden_als_pointer(tekst: &str) -> String {
    let delen: Vec<&str> = tekst.split('`').collect();
    let mut uit = String::with_capacity(tekst.len());
    for (i, deel) in delen.iter().enumerate() {
        if i > 0 {
            uit.push('`');
        }
        // Odd parts lie between two backticks (the last odd part only if it is closed).
        let tussen = i % 2 == 1 && i + 1 < delen.len();
        let pad = tussen
            && (deel.contains('.') || deel.contains('['))
            && !deel.starts_with(['.', '['])
            && deel
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_'));
        if pad {
            uit.push_str(&ketenregie_common::validatie::json_pointer(deel));
        } else {
            uit.push_str(deel);
        }
    }
    uit
}

/// A problem this module made itself (no `AppError` kind fits it), carried on the response
/// for `complete_problem`.
#[derive(Debug, Clone)]
struct EigenProbleem(crate::problem::Problem);

/// How long a request's body may take to arrive after its head (`server.request_timeout_seconds`),
/// as app data.
#[derive(Debug, Clone, Copy)]
pub struct Verzoektijd(pub Duration);

/// The deadline for a request's body (issue 14, finding 6: a stalled body was held open
/// for ever, a trickling one too). The body must be complete within `Verzoektijd` of the
/// moment the head was read, however it arrives: silent or a byte at a time. Past that,
/// reading it fails, the request is answered `408 Request Timeout` as problem+json
/// (RFC 9110 §15.5.9) with `Connection: close`, and the connection is closed (the rest of
/// the body is never read). The head has its own limit in the HTTP layer
/// (`server.header_timeout_seconds`, `verbinding::server`).
pub async fn verzoektijd(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(limiet) = req.app_data::<web::Data<Verzoektijd>>().map(|d| d.0) else {
        return next.call(req).await.map(|r| r.map_into_boxed_body());
    };
    let verlopen = Arc::new(AtomicBool::new(false));
    let (_, payload) = req.parts_mut();
    let binnen = payload.take();
    req.set_payload(actix_web::dev::Payload::Stream {
        payload: Box::pin(MetDeadline {
            binnen,
            deadline: Box::pin(tokio::time::sleep(limiet)),
            verlopen: verlopen.clone(),
            limiet,
        }),
    });
    let res = next.call(req).await;
    if !verlopen.load(Ordering::Relaxed) {
        return res.map(|r| r.map_into_boxed_body());
    }
    let res = res?;
    let (req, _) = res.into_parts();
    let problem = crate::problem::Problem {
        type_: "https://ketenregie.nl/problemen/verzoek-te-traag".into(),
        title: "Verzoek te traag".into(),
        status: 408,
        detail: format!(
            "De body van het verzoek kwam niet binnen {} s binnen; de verbinding wordt gesloten. Stuur het verzoek opnieuw, in één keer",
            limiet.as_secs()
        ),
        instance: None,
        trace_id: None,
        invalid_params: vec![],
    };
    let mut resp = actix_web::HttpResponse::build(actix_web::http::StatusCode::REQUEST_TIMEOUT)
        .insert_header((header::CONNECTION, "close"))
        .finish();
    resp.head_mut()
        .set_connection_type(actix_web::http::ConnectionType::Close);
    resp.extensions_mut().insert(EigenProbleem(problem));
    Ok(ServiceResponse::new(req, resp))
}

/// The body limits (`server.body_limit_bytes`, and the larger one of a zorgmelding), as
/// app data for `lichaamsbeleid`.
#[derive(Debug, Clone, Copy)]
pub struct Lichaamsgrens {
    /// Every route but a zorgmelding's (`server.body_limit_bytes`, 256 KiB by default).
    pub standaard: usize,
}

/// Largest body of `POST /zorgmeldingen` and `PUT /zorgmeldingen/{id}` (4 MiB): texts are
/// limited per field (20,000 characters), so an over-long field is a 400 naming it, not a
/// bare 413.
pub const ZORGMELDING_MAX_BODY: usize = 4 * 1024 * 1024;

/// The body limit of a route: `ZORGMELDING_MAX_BODY` for a zorgmelding's content, else
/// `standaard`. The OpenAPI document states the same per operation (413).
pub fn lichaamsgrens(pad: &str, standaard: usize) -> usize {
    let rest = pad.strip_prefix(crate::app::API_PREFIX).unwrap_or(pad);
    let delen: Vec<&str> = rest.split('/').collect();
    match delen.as_slice() {
        ["", "zorgmeldingen"] | ["", "zorgmeldingen", _] => ZORGMELDING_MAX_BODY.max(standaard),
        _ => standaard,
    }
}

/// One body policy for every route (issue 13 point 4), before any handler or extractor
/// reads the body: a request that carries a body (`Content-Length` above 0, or chunked)
/// must say `Content-Type: application/json` (parameters such as `charset` allowed), else
/// 415 problem+json; a body whose `Content-Length` is above the route's limit
/// (`lichaamsgrens`) is a 413 problem+json naming the limit, and is never read. A chunked
/// body is cut at the same limit by the extractors (`JsonConfig`/`PayloadConfig`), also a
/// 413 naming it. A request without a body passes (operations whose body is optional).
pub async fn lichaamsbeleid(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::http::Method;
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return next.call(req).await.map(|r| r.map_into_boxed_body());
    }
    let lengte: Option<u64> = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let heeft_body =
        lengte.is_some_and(|n| n > 0) || req.headers().contains_key(header::TRANSFER_ENCODING);
    if heeft_body {
        let soort = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        if soort.as_deref() != Some("application/json") {
            return Ok(req.error_response(AppError::MediaType(format!(
                "Stuur de body als JSON met `Content-Type: application/json` (kreeg {})",
                soort
                    .map(|s| format!("`{s}`"))
                    .unwrap_or_else(|| "geen Content-Type".into())
            ))));
        }
        let standaard = req
            .app_data::<web::Data<Lichaamsgrens>>()
            .map(|g| g.standaard)
            .unwrap_or(256 * 1024);
        let grens = lichaamsgrens(req.path(), standaard);
        if let Some(n) = lengte
            && n > grens as u64
        {
            return Ok(req.error_response(AppError::TeGroot(format!(
                "De body ({n} bytes) is groter dan de grens van deze route: {grens} bytes ({} KiB)",
                grens / 1024
            ))));
        }
    }
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// A request body that fails once its deadline has passed.
struct MetDeadline {
    binnen: actix_web::dev::Payload,
    deadline: Pin<Box<tokio::time::Sleep>>,
    verlopen: Arc<AtomicBool>,
    limiet: Duration,
}

impl Stream for MetDeadline {
    type Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.verlopen.load(Ordering::Relaxed) {
            return Poll::Ready(None);
        }
        if let Poll::Ready(deel) = Pin::new(&mut this.binnen).poll_next(cx) {
            // A chunk that arrives after the deadline counts as late too (a trickle never
            // wins by always having a byte ready).
            if this.deadline.as_mut().poll(cx).is_pending() || deel.is_none() {
                return Poll::Ready(deel);
            }
        } else if this.deadline.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.verlopen.store(true, Ordering::Relaxed);
        Poll::Ready(Some(Err(actix_web::error::PayloadError::Io(
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!(
                    "request body not complete within {} s",
                    this.limiet.as_secs()
                ),
            ),
        ))))
    }
}

/// Query parameters as the document declares them, on every API route: a key the operation
/// does not declare, or a declared value that breaks its schema's format, enumeration or
/// type, is a 400 problem+json naming each key (`queryproblemen`). So nothing but a
/// declared parameter is accepted in a URL (no BSN or name riding along in `?bsn=`), and a
/// key is never copied into `next`/`previous` links. Only for an authenticated caller:
/// an anonymous one gets its 401 first and learns nothing about the operation.
pub async fn queryregels(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // ALLE_PROBLEMEN_SAMEN (README "Invalid input": `invalidParams` names each problem,
    // the query key, the header, the path parameter or the body field; the outside
    // tester's finding F5 of Dec 2026): the problems of the headers and of the query found
    // here are collected and answered together, not the first kind alone.
    let mut problemen: Vec<ketenregie_common::InvalidParam> = Vec::new();
    // A header that carries one value, sent twice: 400 naming it, as for `Authorization`
    // (RFC 9110 §5.3: a field that is not a list may not be repeated). The outside test of
    // 2 Dec 2026 sent two reasons; the log kept the first and dropped the other.
    if crate::auth::actor_van(req.request()).is_some() {
        for (k, naam) in EENMALIGE_KOPPEN {
            if req.headers().get_all(*k).nth(1).is_some() {
                problemen.push(ketenregie_common::InvalidParam {
                    name: naam.to_string(),
                    code: "invalid".into(),
                    reason: format!(
                        "Het verzoek heeft meer dan één `{naam}`-header; stuur er ten hoogste één (RFC 9110 §5.3)"
                    ),
                });
            }
        }
    }
    // `Idempotency-Key` only where the operation honours it (it declares the header): sent
    // elsewhere it would be ignored silently and a retry would create twice (the outside
    // test of 30 Nov 2026), so it is refused as a key that cannot be used for this request
    // (422, the problem type of a reused key; every POST documents 422).
    if problemen.is_empty()
        && req.headers().contains_key("idempotency-key")
        && crate::auth::actor_van(req.request()).is_some()
        && let Some(doc) = req.app_data::<web::Data<crate::app::ApiDocument>>()
        && doc
            .methodes
            .kent_parameter(req.method().as_str(), req.path(), "Idempotency-Key")
            == Some(false)
    {
        return Ok(req.error_response(AppError::SleutelHergebruikt {
            code: "niet-ondersteund",
            detail: "Deze operatie ondersteunt geen Idempotency-Key (alleen de operaties die haar in /api/v1/openapi.json declareren); stuur het verzoek zonder".into(),
        }));
    }
    // `X-Audit-Toelichting` as the document declares it on every secured operation, also
    // on one whose handler reads no personal data and so never takes the reason
    // (`verwerking::toets_toelichting`, TOELICHTING_ZEGT_IETS): schemathesis sent `{}`
    // to `GET /organisaties/{id}` and got a 200.
    if crate::auth::actor_van(req.request()).is_some()
        && !problemen
            .iter()
            .any(|p| p.name == crate::verwerking::TOELICHTING_KOP)
        && let Some(t) = req.headers().get(crate::verwerking::TOELICHTING)
        && let Err(e) = crate::verwerking::toets_toelichting(&crate::verwerking::koptekst(t))
    {
        match e {
            AppError::Validatie { fouten, .. } => problemen.extend(fouten),
            e => return Ok(req.error_response(e)),
        }
    }
    if !req.query_string().is_empty()
        && crate::auth::actor_van(req.request()).is_some()
        && let Some(doc) = req.app_data::<web::Data<crate::app::ApiDocument>>()
    {
        problemen.extend(doc.methodes.queryproblemen(
            req.method().as_str(),
            req.path(),
            req.query_string(),
        ));
    }
    if !problemen.is_empty() {
        return Ok(req.error_response(AppError::validatie(problemen)));
    }
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// The request headers that carry a single value (not a list, RFC 9110 §5.3), by their
/// lower-case wire name and their name in the document: each is refused when sent twice.
/// `Authorization` is checked by the authentication (`auth::check`); `If-Match` is a list
/// by definition (§13.1.1).
pub(crate) const EENMALIGE_KOPPEN: &[(&str, &str)] = &[
    ("x-audit-toelichting", crate::verwerking::TOELICHTING_KOP),
    ("x-doorbraak", "X-Doorbraak"),
    ("idempotency-key", "Idempotency-Key"),
];

#[cfg(test)]
mod tests {
    use super::{lichaampaden_als_pointer, trace_id_uit, traceparent_delen};

    /// Quoted body paths become pointers; quoted words, values and an unclosed quote stay.
    #[test]
    fn lichaampaden_in_een_reden() {
        assert_eq!(
            lichaampaden_als_pointer("`/leden/1/tot` ligt vóór `leden[1].van`"),
            "`/leden/1/tot` ligt vóór `/leden/1/van`"
        );
        assert_eq!(
            lichaampaden_als_pointer("`regels[0].doel` staat niet in de `doelen`"),
            "`/regels/0/doel` staat niet in de `doelen`"
        );
        for tekst in [
            "`true` of `false`",
            "zie `a b.c`",
            "open `x.y",
            "`.x` en `[0]`",
        ] {
            assert_eq!(lichaampaden_als_pointer(tekst), tekst);
        }
    }

    /// The parent span id reaches the processing log (`parent_span_id`): only from a valid
    /// header (the hostile review of h18 stored `<b>'"&;%{} |` from one whose trace id
    /// was refused).
    #[test]
    fn ouderspan_alleen_uit_een_geldige_traceparent() {
        assert_eq!(
            traceparent_delen("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Some(("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))
        );
        for tp in [
            "00-nothex-<b>'\"&;%{} |`^\\x-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-<b>'\"&;%{} |-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        ] {
            assert_eq!(traceparent_delen(tp), None, "{tp}");
        }
    }

    #[test]
    fn valid_traceparent_is_kept() {
        let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(trace_id_uit(Some(tp)), "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    #[test]
    fn invalid_traceparent_gets_new_id() {
        for tp in [
            "garbage",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            let id = trace_id_uit(Some(tp));
            assert_eq!(id.len(), 32);
            assert_ne!(id, "4bf92f3577b34da6a3ce929d0e0e4736");
        }
    }
}

/// Rule `HEAD_ALS_GET`: a HEAD request is answered as the GET of the same target would be,
/// with the same status and header fields and no content (RFC 9110 §9.1: a general-purpose
/// server MUST support GET and HEAD; §9.3.2: the server SHOULD send the same header fields,
/// and MAY send the Content-Length the GET would have). Before (stop 36) every HEAD was a
/// 405 whose `Allow` listed GET, or a 404 outside the API. Done once, outermost, for every
/// route of the application (API, health, OpenAPI document, werkplek): the request goes
/// through everything as a GET (authentication, the decision whether the caller may see
/// it, the processing log and audit trail: a HEAD of personal data is a read and is logged
/// as one, since its status and headers such as the `ETag` say whether the record exists
/// and whether it changed); only the content is left out. The body is not produced at all
/// where the handler streams it; its size (or that it is streamed) stays, so the framing
/// headers match the GET's. `Allow` lists HEAD wherever it lists GET
/// (`openapi::Methodes::toegestaan`).
pub const HEAD_ALS_GET: &str = "head-als-get";

pub async fn head_als_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::http::Method;
    if req.method() != Method::HEAD {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    req.head_mut().method = Method::GET;
    req.extensions_mut().insert(WasHead);
    let res = next.call(req).await?;
    Ok(res.map_body(|_, b| BoxBody::new(ZonderInhoud(b.size()))))
}

/// On a request that came in as HEAD (`head_als_get`), for what logs the method as sent.
#[derive(Debug, Clone, Copy)]
pub struct WasHead;

/// The answer to a HEAD: the size the GET's content would have had (so the HTTP/1.1
/// encoder writes the same `Content-Length` or `Transfer-Encoding`; for a HEAD it sends
/// no content, RFC 9112 §6.3), and nothing to send.
struct ZonderInhoud(actix_web::body::BodySize);

impl MessageBody for ZonderInhoud {
    type Error = std::convert::Infallible;

    fn size(&self) -> actix_web::body::BodySize {
        self.0
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<web::Bytes, Self::Error>>> {
        Poll::Ready(None)
    }
}
