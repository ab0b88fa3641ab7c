//! Privacy core (DOMAIN.md §1 point 5, §4; DESIGN.md §2 step 4 and §6): agreements
//! (convenanten) as data, the one policy decision every access goes through, break-glass,
//! and the two tamper-evident logs — the audit trail and the processing log — written in
//! the same transaction as the processing they record.
//!
//! How a domain crate uses it, inside its transaction:
//!
//! 1. `besluit::toegang(conn, ctx, &aanvraag)` decides; a `Toestemming` is the only way to
//!    call the domain's personal-data queries (they take it as a parameter), and it cannot
//!    be made outside this crate.
//! 2. The domain operation runs, redacting the categories the permission lists.
//! 3. `logboek::lezing` / `logboek::wijziging` write the audit row and one processing-log
//!    row per data subject. If they fail, the transaction fails: no processing without a
//!    log (fail closed).
//!
//! A denial is returned as `Fout::Geweigerd`; the API layer records it in the audit
//! trail in a transaction of its own (the refused operation itself rolls back).

pub mod besluit;
pub mod betrokkene;
pub mod bewaring;
pub mod context;
pub mod convenant;
pub mod eigen_verklaring;
pub mod herleiding;
pub mod inzage;
pub mod keten;
pub mod logboek;
pub mod pseudoniem;
pub mod quotum;
pub mod register;
pub mod stamgegevens;
pub mod verantwoording;
pub mod verificatie;
pub mod versleuteling;
pub mod verstrekking;
pub mod zicht;

pub use besluit::{Aanvraag, Toestemming, Weigering, toegang};
pub use context::Context;

/// A refusal of the policy decision is a `Fout::Geweigerd` naming the rule; the API layer
/// records it in the audit trail (`verwerking::tx`).
impl From<Weigering> for ketenregie_common::Fout {
    fn from(w: Weigering) -> Self {
        ketenregie_common::Fout::Geweigerd {
            regel: w.regel,
            reden: w.reden,
            toelichting_vereist: w.toelichting_vereist,
        }
    }
}
