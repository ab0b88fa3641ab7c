//! Shared vocabulary of ketenregie: identifiers, time and the clock, the BSN, who is
//! calling (the actor), the kinds of partner organisation, the privacy vocabulary
//! (purposes, data categories, actions, confidentiality levels), and validation errors.
//! No I/O lives here.

pub mod actor;
pub mod bsn;
pub mod fout;
pub mod geheel;
pub mod ids;
pub mod klok;
pub mod organisatie;
pub mod termijn;
pub mod time;
pub mod validatie;
pub mod verwerking;
pub mod voorwaarde;
pub mod werkdagen;

pub use actor::{Actor, Rol};
pub use bsn::Bsn;
pub use fout::Fout;
pub use klok::Klok;
pub use organisatie::{OrganisatieSoort, Rechtsregime};
pub use validatie::{Datumbereik, InvalidParam, Validatie, is_gemeentecode, is_oin, regelcode};
pub use verwerking::{Actie, Doel, Gegevenscategorie, Vertrouwelijkheid};
pub use voorwaarde::IfMatch;
