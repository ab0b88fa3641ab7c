//! The briefing's view of open zorgmeldingen (DOMAIN.md §3 flow 5: "open zorgmeldingen
//! and their state"). Zorgmeldingen belong to `referral`, a crate above this one
//! (DESIGN.md §1): the briefing names what it needs in this trait, `referral` implements
//! it (`ketenregie_referral::briefingbron`) and `api` wires the two together
//! (`app::Onderdelen::zorgmeldingen`).

use chrono::{DateTime, Utc};
use ketenregie_common::{Fout, Vertrouwelijkheid};
use ketenregie_store::DbConnection;
use uuid::Uuid;

/// The state of one open zorgmelding, never its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMelding {
    pub id: Uuid,
    /// The sending organisation's code (whose agreements decide whether it is shown).
    pub afzender: String,
    /// The receiving organisation's code, once routed.
    pub ontvanger: Option<String>,
    /// The melding's own status (e.g. `ter-controle`, `verzonden`).
    pub status: String,
    /// The FHIR Task status of its handling, once sent.
    pub taakstatus: Option<String>,
    pub ingediend_op: Option<DateTime<Utc>>,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    /// The identities asked for that it concerns: the persons whose state of a melding
    /// the briefing shows, logged against the sender's basis (`LOG_ALLEEN_WAT_GETOOND`).
    pub betrokkenen: Vec<Uuid>,
}

/// Where the briefing finds the open zorgmeldingen about a set of people.
pub trait ZorgmeldingBron: Send + Sync {
    /// The zorgmeldingen still open (not a concept, not closed) that concern any of
    /// `betrokkenen` (data-subject identities, `ketenregie_privacy::betrokkene`), in one
    /// query whatever their number. Run inside the briefing's transaction.
    fn open_meldingen(
        &self,
        conn: &mut DbConnection,
        betrokkenen: &[Uuid],
    ) -> Result<Vec<OpenMelding>, Fout>;
}

/// No zorgmeldingen at all: for a deployment without the referral part, and for tests of
/// the case registry on its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct GeenMeldingen;

impl ZorgmeldingBron for GeenMeldingen {
    fn open_meldingen(&self, _: &mut DbConnection, _: &[Uuid]) -> Result<Vec<OpenMelding>, Fout> {
        Ok(vec![])
    }
}
