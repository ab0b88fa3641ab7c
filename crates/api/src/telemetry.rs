//! Tracing set up in one place: JSON lines in production, readable lines in development.
//! Spans carry ids (trace id, route, organisation code), never a name, BSN or body.

use crate::config::Config;
use tracing_subscriber::EnvFilter;

/// Install the global subscriber. Safe to call more than once (tests): later calls are
/// no-ops.
pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if config.log_json() {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
}
