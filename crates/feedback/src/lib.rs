//! Feedback (DOMAIN.md §1 point 1, §3 flows 2-4; DESIGN.md §2 step 5 and §7): the
//! feedback items a receiver returns to whoever sent a melding or handed over
//! (`terugkoppeling`), the own statements on them (`eigen_verklaringen`) and their place in
//! a data subject's inzage report (`inzage`), the deadline scanner that chases the duties
//! owed (`scanner`), the delivery of the outbox by e-mail and webhooks (`bezorging`,
//! `email`, `webhook`, `abonnement`) and the feedback report (`rapportage`).
//!
//! The duties themselves (`referral::termijnen`) are computed on every sent melding and
//! hand-over; this crate meets them, chases them and measures them.
//!
//! Errors are the one domain error, `ketenregie_common::Fout`.

pub mod abonnement;
pub mod beheer;
pub mod bewaring;
pub mod bezorging;
pub mod eigen_verklaringen;
pub mod email;
pub mod inzage;
pub mod rapportage;
pub mod scanner;
pub mod terugkoppeling;
pub mod webhook;
