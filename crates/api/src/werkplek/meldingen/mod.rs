//! The zorgmelding screens: police file one (the whole structured form, every problem at
//! its field, concepts, submit) and follow it in their outbox; the quality checker's
//! queue; the receiver's inbox sorted by deadline, a melding's detail with only the
//! lifecycle's allowed next steps, and feedback. Every page calls the use cases of
//! `ketenregie_referral` and `ketenregie_feedback` inside `verwerking::tx` (through
//! `routes::zorgmeldingen::uitvoeren`, as the API handlers do).

use crate::problem::AppError;
use crate::routes::zorgmeldingen::uitvoeren;
use crate::werkplek::formulier::Formulier;
use crate::werkplek::{Fout, Kader, Probleem, Scherm, Sessie, naar, pagina, veld_id};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use ketenregie_common::Vertrouwelijkheid;
use ketenregie_feedback::terugkoppeling::{
    self, NieuweTerugkoppeling, Terugkoppeling, TerugkoppelingInvoer,
};
use ketenregie_privacy::Context;
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_referral::inhoud::{MeldingInvoer, Relatie, Risiconiveau, Verklaarder};
use ketenregie_referral::levenscyclus::{Ontvangersoort, toegestaan_voor, vraagt_reden};
use ketenregie_referral::opslag::{Filter, Kop};
use ketenregie_referral::{
    self as referral, Beoordeling, Indiening, Kwaliteitsoordeel, Meldingstatus, Oordeel, Partij,
    Stapverzoek, TaakStatus, Wijziging,
};
use ketenregie_store::DbPool;
use serde_json::{Value, json};
use std::collections::HashMap;
use strum::VariantNames;
use uuid::Uuid;

/// Children, parents and statements the form has room for; an empty slot is left out.
pub(super) const KINDEREN: usize = 3;
pub(super) const OUDERS: usize = 2;
pub(super) const VERKLARINGEN: usize = 3;

/// A date and time as the Dutch read it (Europe/Amsterdam).
pub fn tijd(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

pub(super) fn tijd_db(t: chrono::NaiveDateTime) -> String {
    tijd(t.and_utc())
}

/// The processing context for the session's actor (and a stated reason, if any).
pub fn context(
    req: &HttpRequest,
    s: &Sessie,
    toelichting: Option<String>,
) -> Result<Context, Fout> {
    Ok(crate::verwerking::context(
        req,
        s.actor.clone(),
        toelichting,
        false,
    )?)
}

pub(super) fn mag(s: &Sessie, scherm: &Scherm) -> Result<(), Fout> {
    if s.heeft_een(scherm.rollen) {
        Ok(())
    } else {
        Err(Fout::niet_voor_rol(scherm))
    }
}

// ---- the form -------------------------------------------------------------------------

mod detail;
mod invullen;
mod lijsten;
mod velden;

pub use detail::*;
pub use invullen::*;
pub use lijsten::*;
pub use velden::*;
