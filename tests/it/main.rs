//! The integration tests of ketenregie, one test binary with a module per area (the
//! crates.io pattern: one link instead of one per file, and the shared fixtures in
//! `common` compiled once). Every module starts the real application on a fresh database
//! (SQLite, and PostgreSQL when `KETENREGIE_TEST_PG_URL` is set) and speaks HTTP to it.
//!
//! Run one area with `cargo test --test it <module>::`, e.g. `cargo test --test it tour::`.

#[macro_use]
mod common;

mod architectuur;
mod audit_verify;
mod auditdekking;
mod auth;
mod beschikkingen;
mod betrouwbaarheid;
mod bewaring;
mod bewaring_alles;
mod bezorging;
mod briefing_feiten;
mod compressie;
mod concept_verwijderen;
mod contract;
mod convenanten;
mod cursorlijsten;
mod database;
mod dossiers;
mod eigen_verklaringen;
mod eigen_verklaringen_lezen;
mod gezag;
mod http;
mod idempotentie;
mod incidenten;
mod inzage;
mod inzage_redactie;
mod kalender;
mod kleine_gaten;
mod lijsten;
mod limieten;
mod logindexen;
mod logpartities;
mod logregels;
mod logschrijver;
mod matrix;
mod namen;
mod openapi_drift;
mod organisaties;
mod persoonsgegevens;
mod privacy;
mod privacykanaal_beheer;
mod probleemteksten;
mod problemen;
mod productie;
mod referentiedata;
mod restpunten;
mod rondes;
mod strenge_invoer;
mod termijnregels;
mod terugkoppeling_keten;
mod terugkoppelingen;
mod tour;
mod twee_fasen;
mod verantwoording;
mod vierde_ronde;
mod vijandig_auth;
mod werkplek;
mod werkplek_oidc;
mod zicht;
mod zorgmeldingen;
