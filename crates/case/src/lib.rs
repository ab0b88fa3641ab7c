//! The case registry (DOMAIN.md §1 points 2 to 4, §3 flows 5 and 6, §4 "Family-law
//! facts"): persons, families, gezag, regelingen, beschikkingen, police incidents with
//! statements from each side, involvement signals with their coordination matches, and the
//! briefing that returns all of it to an officer in one call.
//!
//! Every record has an owner (the organisation that recorded it); writes go to one's own
//! records only, and every read passes the privacy decision per owner. Identifiers and
//! free texts are encrypted at rest; look-up uses keyed hashes (`identiteit`).

pub mod beschikkingen;
pub mod betrokkenheid;
pub mod briefing;
pub mod gezag;
pub mod gezinnen;
pub mod identiteit;
pub mod incidenten;
pub mod invoer;
pub mod inzage;
pub mod personen;
pub mod regelingen;

use ketenregie_common::InvalidParam;

/// What a case operation can fail with, besides the privacy decision.
#[derive(Debug, thiserror::Error)]
pub enum CaseFout {
    #[error("ongeldige invoer")]
    Ongeldig(Vec<InvalidParam>),
    /// The record exists already (a second registration of the same BSN by the same
    /// organisation); carries the existing record's API path.
    #[error("bestaat al: {detail}")]
    Bestaat { detail: String, locatie: String },
    #[error("niet gevonden: {0}")]
    NietGevonden(String),
    #[error(transparent)]
    Domein(#[from] ketenregie_common::Fout),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl CaseFout {
    pub fn veld(name: &str, code: &str, reason: impl Into<String>) -> Self {
        CaseFout::Ongeldig(vec![InvalidParam {
            name: name.into(),
            code: code.into(),
            reason: reason.into(),
        }])
    }
}

/// Parse a stored id (written by this crate, so always valid).
pub(crate) fn id(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).expect("ids in the case tables are UUIDs")
}
