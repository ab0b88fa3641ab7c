//! Retention of the case registry (DOMAIN.md §4 "Retention"; issue 15 point 3).
//!
//! - `Coordinatiebron`: an involvement (`betrokkenheden`) goes at the earliest of its own
//!   lapse (`VERWIJSINDEX_VERVALTERMIJN`: 2 years, the child's 23rd birthday), the end the
//!   organisation gave it (no longer justified) and the organisation's own term for
//!   `coordinatiesignaal` counted from its start; its matches go with it (a match needs
//!   both signals), and the notifications about either.
//! - `Dossierbron`: the owner's records, each after the term of the owner's case records
//!   (`bewaring::dossiersoort`: police data 10 years, a Veilig Thuis dossier 20, a GI
//!   dossier 30, ...; its own override in `bewaartermijnen`), counted from what the record
//!   is about: an incident from when it happened, a court decision and an arrangement from
//!   their end (else their date), gezag from its last verification; a family when none of
//!   its decisions, arrangements and incidents is left and its own term has passed since
//!   its last change; a person when no record refers to them any more (family, incident,
//!   statement, gezag, involvement) and the term has passed since their last change. A
//!   decision stays while a gezag or arrangement cites it. Statements on a record (eigen
//!   verklaringen) go with it.

mod coordinatie;
mod dossiers;

pub use coordinatie::{COORDINATIESIGNAAL, Coordinatiebron};
pub use dossiers::Dossierbron;
