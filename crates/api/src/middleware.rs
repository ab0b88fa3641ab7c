//! The outer middleware every request passes (DESIGN.md §2 step 1): trace id, the request
//! span and its log line, `API-Version` and security headers, metrics, and the completion
//! of every error response as problem+json.

use crate::API_VERSION;
use crate::metrics::Metrics;
use crate::problem::{AppError, PROBLEM_JSON, problem_voor_status};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use std::time::Instant;
use tracing::Instrument;

/// The W3C trace id of a request (32 lowercase hex digits).
#[derive(Debug, Clone)]
pub struct TraceId(pub String);

/// Take the trace id from a valid W3C `traceparent`, or make a new one.
pub fn trace_id_uit(traceparent: Option<&str>) -> String {
    if let Some(tp) = traceparent {
        let parts: Vec<&str> = tp.trim().split('-').collect();
        if parts.len() == 4
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
            && parts[2] != "0000000000000000"
        {
            return parts[1].to_string();
        }
    }
    hex::encode(rand::random::<[u8; 16]>())
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
    let method = req.method().to_string();
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

    let mut res = if res.status().as_u16() >= 400 {
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

/// Rewrite an error response's body as the complete problem+json document.
fn complete_problem(
    res: ServiceResponse<BoxBody>,
    path: &str,
    trace_id: &str,
) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let mut problem = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
        .map(AppError::problem)
        .unwrap_or_else(|| problem_voor_status(status));
    problem.status = status.as_u16();
    problem.instance = Some(path.to_string());
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

#[cfg(test)]
mod tests {
    use super::trace_id_uit;

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
