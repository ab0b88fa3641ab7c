//! Zorgmeldingen (DOMAIN.md §3 flows 1, 2 and 4): police file a structured care report,
//! it is routed to the Veilig Thuis serving each child's municipality, and its handling
//! follows a published state machine (FHIR Task status codes) that sender and receiver
//! both see. Hand-overs are linked tasks. Everything passes the privacy decision.
//!
//! The use cases are the functions re-exported here, each
//! `(conn, ctx, typed input) -> Result<typed output, Fout>`, run inside the caller's
//! transaction: who may act (`toegang`, `partij`), the decision, the writes, the audit
//! row and one processing-log row per data subject, the outbox events. The API layer
//! parses, calls one of them and answers; it holds none of these rules.
//!
//! | use case | what |
//! | --- | --- |
//! | `maak`, `wijzig`, `verwijder_concept`, `lees`, `stappen`, `lijst` | the melding (a concept withdrawn whole), its history, inbox/outbox |
//! | `dien_in`, `kwaliteit` | submit, the quality check, routing |
//! | `ontvang`, `beoordeel`, `accepteer`, `wijs_af`, `sluit_af`, `annuleer`, `schort_op`, `hervat`, `mislukt` | the handling, through the transition table |
//! | `draag_over` | a hand-over: a linked task for another organisation |
//! | `open_termijnen` | the feedback duties owed |
//! | `zet_kwaliteitscontrole`, `sluitingsdagen::{opvragen, vastleggen, intrekken}` | an organisation's settings |
//! | `eigen_verklaringen::{voeg_toe, lijst}` | the own statements of a child or parent in the melding |
//!
//! `inzage::ReferralBron` gives the zorgmeldingen, their steps and hand-overs to a data
//! subject's inzage report (`ketenregie_privacy::inzage::InzageBron`).

pub mod bewaring;
pub mod briefingbron;
pub mod eigen_verklaringen;
pub mod indiening;
pub mod inhoud;
pub mod inzage;
pub mod levenscyclus;
pub mod melding;
pub mod opslag;
pub mod overgang;
pub mod partij;
pub mod routering;
pub mod sluitingsdagen;
pub mod termijnen;
pub mod toegang;

pub use indiening::{Indiening, Kwaliteitsoordeel, Oordeel, dien_in, kwaliteit};
pub use levenscyclus::{Partij, TaakStatus};
pub use melding::{
    NieuweMelding, Verwijdering, Wijziging, Zorgmelding, lees, lijst, maak, open_termijnen, pagina,
    stappen, verwijder_concept, wijzig, zet_kwaliteitscontrole,
};
pub use opslag::Meldingstatus;
pub use overgang::{
    Beoordeling, Overdracht, Stapverzoek, accepteer, annuleer, beoordeel, draag_over, hervat,
    mislukt, ontvang, schort_op, sluit_af, wijs_af,
};
