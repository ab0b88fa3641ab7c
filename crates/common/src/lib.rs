//! Shared vocabulary of ketenregie: identifiers, time, the BSN, who is calling (the actor),
//! the kinds of partner organisation, and validation errors. No I/O lives here.

pub mod actor;
pub mod bsn;
pub mod ids;
pub mod organisatie;
pub mod time;
pub mod validatie;

pub use actor::{Actor, Rol};
pub use bsn::Bsn;
pub use organisatie::{OrganisatieSoort, Rechtsregime};
pub use validatie::{InvalidParam, Validatie, is_gemeentecode, is_oin};
