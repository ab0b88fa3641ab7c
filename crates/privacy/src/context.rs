//! Everything a privacy-checked operation needs to know about the request it serves:
//! who (the actor), why (the stated reason, break-glass), when (the clock), and the trace
//! ids that link the audit trail, the processing log and the service's own logs.

use crate::pseudoniem::Pseudonimiseerder;
use crate::stamgegevens::{Stamgegevens, Stempel};
use crate::versleuteling::Versleuteling;
use chrono::{DateTime, Utc};
use ketenregie_common::Actor;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Context {
    pub actor: Actor,
    /// W3C trace id of the request.
    pub trace_id: String,
    /// A span id for this processing.
    pub span_id: String,
    /// The caller's span, from `traceparent`, if any.
    pub parent_span_id: Option<String>,
    /// The reason stated in `X-Audit-Toelichting`.
    pub toelichting: Option<String>,
    /// Break-glass requested (`X-Doorbraak: true`).
    pub doorbraak: bool,
    /// The request's time.
    pub nu: DateTime<Utc>,
    pub pseudoniemen: Arc<Pseudonimiseerder>,
    /// Encryption of identifiers at rest and their look-up hashes.
    pub versleuteling: Arc<Versleuteling>,
    /// The instance's cache of the decision's inputs and the partner register
    /// (`stamgegevens`: invalidated by a version stamp read at the start of each use).
    pub stamgegevens: Arc<Stamgegevens>,
    /// The version stamp of `stamgegevens` this request read at its start (the
    /// authentication's check of the register), `None` when it read none yet: then the
    /// first use reads it (`Stamgegevens::stand_met`).
    pub stempel: Option<Stempel>,
    /// Read mode and the instance's log writer (issue 17 point 1): shared by every clone
    /// of this context; `Groepslog::default()` writes every log row at once.
    pub groepslog: crate::logboek::Groepslog,
}

impl Context {
    /// The Dutch calendar day at the request's time (`werkdagen::nl_datum`): what "today"
    /// means for dates users give and read, never the UTC date.
    pub fn vandaag(&self) -> chrono::NaiveDate {
        ketenregie_common::werkdagen::nl_datum(self.nu)
    }
}
