//! Feedback (DOMAIN.md §1 point 1, §3 flows 2-4; DESIGN.md §2 step 5 and §7): the
//! feedback items a receiver returns to whoever sent a melding or handed over
//! (`terugkoppeling`), the deadline scanner that chases the duties owed
//! (`scanner`), the delivery of the outbox by e-mail and webhooks (`bezorging`,
//! `email`, `webhook`, `abonnement`) and the feedback report (`rapportage`).
//!
//! The duties themselves (`referral::termijnen`) are computed on every sent melding and
//! hand-over; this crate meets them, chases them and measures them.

pub mod abonnement;
pub mod bezorging;
pub mod email;
pub mod rapportage;
pub mod scanner;
pub mod terugkoppeling;
pub mod webhook;

use ketenregie_common::InvalidParam;

/// What can go wrong in a feedback operation; the API maps each to its status.
#[derive(Debug, thiserror::Error)]
pub enum Fout {
    #[error("niet gevonden: {0}")]
    NietGevonden(String),
    /// The caller's organisation has no part in this (403, audited as a refusal).
    #[error("geen toegang: {0}")]
    GeenToegang(String),
    #[error("geweigerd: {}", .0.reden)]
    Geweigerd(ketenregie_privacy::Weigering),
    #[error("ongeldige invoer")]
    Validatie(Vec<InvalidParam>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Domein(ketenregie_common::Fout),
}

impl From<ketenregie_common::Fout> for Fout {
    /// Until feedback's use cases return `ketenregie_common::Fout` themselves.
    fn from(e: ketenregie_common::Fout) -> Self {
        use ketenregie_common::Fout as F;
        match e {
            F::Geweigerd {
                regel,
                reden,
                toelichting_vereist,
            } => Fout::Geweigerd(ketenregie_privacy::Weigering {
                regel,
                reden,
                toelichting_vereist,
            }),
            F::NietGevonden(d) => Fout::NietGevonden(d),
            F::Ongeldig(f) => Fout::Validatie(f),
            F::Conflict { detail, .. } => Fout::Conflict(detail),
            other => Fout::Domein(other),
        }
    }
}
