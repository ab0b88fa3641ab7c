//! Prometheus metrics: request counts and latency histograms by route and status, served
//! as text at `GET /metrics`. Routes are the matched patterns (`/api/v1/organisaties/{id}`),
//! never raw paths, so the label set stays small and carries no identifiers.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    verzoeken: IntCounterVec,
    duur: HistogramVec,
    /// Round trips of a briefing's reads (issue 17 point 4: at most a handful).
    briefing_rondes: prometheus::Histogram,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let verzoeken = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let duur = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route, method and status",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let briefing_rondes = prometheus::Histogram::with_opts(
            HistogramOpts::new(
                "ketenregie_briefing_leesrondes",
                "Database round trips of a briefing's reads (log rows not counted)",
            )
            .buckets(vec![
                1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0, 40.0,
            ]),
        )
        .expect("valid metric");
        registry
            .register(Box::new(briefing_rondes.clone()))
            .expect("register once");
        registry
            .register(Box::new(verzoeken.clone()))
            .expect("register once");
        registry
            .register(Box::new(duur.clone()))
            .expect("register once");
        Self {
            registry,
            verzoeken,
            duur,
            briefing_rondes,
        }
    }

    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [route, method, status.as_str()];
        self.verzoeken.with_label_values(&labels).inc();
        self.duur.with_label_values(&labels).observe(seconds);
    }

    /// One briefing took `rondes` round trips for its reads (`case::briefing::stel_op_geteld`).
    pub fn briefing_rondes(&self, rondes: u64) {
        self.briefing_rondes.observe(rondes as f64);
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding cannot fail");
        String::from_utf8(buf).expect("prometheus text is UTF-8")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
