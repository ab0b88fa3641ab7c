//! Tracing set up in one place: JSON lines in production, readable lines in development.
//! Spans carry ids (trace id, route, organisation code), never a name, BSN or body.

use crate::config::Config;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

/// Where the log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uitvoer {
    /// The service (`serve`): standard output, where a container runtime or journald
    /// collects a service's lines.
    Dienst,
    /// A command that prints a report (`retention run`, `migrate`): standard error, so the
    /// report on standard output stays clean for a pipe or a file.
    Opdracht,
}

/// Install the global subscriber. Safe to call more than once (tests): later calls are
/// no-ops. Readable lines are coloured only when they go to a terminal (no escape codes
/// in a file or a pipe).
pub fn init(config: &Config, uitvoer: Uitvoer) {
    let filter = EnvFilter::try_new(&config.log.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let (terminal, writer) = match uitvoer {
        Uitvoer::Dienst => (
            std::io::stdout().is_terminal(),
            BoxMakeWriter::new(std::io::stdout),
        ),
        Uitvoer::Opdracht => (
            std::io::stderr().is_terminal(),
            BoxMakeWriter::new(std::io::stderr),
        ),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(terminal)
        .with_writer(writer);
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
