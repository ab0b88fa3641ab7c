//! Zorgmeldingen (DOMAIN.md §3 flows 1, 2 and 4): police file a structured care report,
//! it is routed to the Veilig Thuis serving each child's municipality, and its handling
//! follows a published state machine (FHIR Task status codes) that sender and receiver
//! both see. Hand-overs are linked tasks. Everything passes the privacy decision.

pub mod briefingbron;
pub mod inhoud;
pub mod levenscyclus;
pub mod opslag;
pub mod routering;
pub mod sluitingsdagen;
pub mod termijnen;

pub use levenscyclus::{Partij, TaakStatus};
