//! What a request body's type knows of its own rules, for a body that was refused before
//! its use case could check them (README "Invalid input: 400 or 422": "With both kinds in
//! one request the answer is a 400 naming all").
//!
//! Every type a route reads with `Json<T>`, `OptioneleJson<T>` or `Ruw::lees` implements
//! `Invoer` (the compiler asks for it): with no rules of its own, an empty `impl`. The
//! rules themselves stay where they are (each type's `valideer`, the registers' checks in
//! the store); this only calls them on what could be read of a refused body, so they run
//! on the happy path exactly once, by the use case, as before.

use crate::problem::AppError;
use chrono::{DateTime, Utc};
use ketenregie_common::{Fout, InvalidParam, regelcode};
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A request body's type and its rules.
pub trait Invoer: DeserializeOwned {
    /// The problems the domain's rules find in this (possibly partial) input at `nu`: the
    /// type's own `valideer`. None by default.
    fn regels(&self, _nu: DateTime<Utc>) -> Vec<InvalidParam> {
        Vec::new()
    }

    /// `regels` for the request `req`, for a type whose rules read more than the body: a
    /// path parameter (`/sluitingsdagen/{datum}`) or the configuration (the platform's
    /// own code). `regels` by default.
    fn regels_bij(&self, nu: DateTime<Utc>, _req: &actix_web::HttpRequest) -> Vec<InvalidParam> {
        self.regels(nu)
    }

    /// The fields holding a CBS municipality code, (name, code): rule
    /// `GEMEENTECODE_BESTAAT` (`referentie::bestaande_gemeenten`).
    fn gemeenten(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// The fields naming a partner organisation by its code, (name, code): rule
    /// `ORGANISATIE_GEREGISTREERD` (`regelcode::GEREGISTREERD`).
    fn organisaties(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Of `organisaties`, the fields naming an institution that holds gezag, (name, code):
    /// rule `VOOGDIJ_INSTELLING_GECERTIFICEERD` (`gezag::instelling_gecertificeerd`).
    fn voogdij_instellingen(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// The problem of a field naming an organisation not in the partner directory (its value
/// not repeated).
pub fn niet_geregistreerd(naam: &str) -> InvalidParam {
    InvalidParam {
        name: naam.to_string(),
        code: regelcode::GEREGISTREERD.into(),
        reason: format!(
            "`{naam}` is geen organisatie uit de partnerlijst (/organisaties); alleen geregistreerde organisaties zijn partij"
        ),
    }
}

/// The problems of a use case's refusal (a rule's `Fout::Ongeldig`); nothing for any other.
pub fn uit_fout<T>(r: Result<T, Fout>) -> Vec<InvalidParam> {
    match r {
        Err(Fout::Ongeldig(v)) => v,
        _ => Vec::new(),
    }
}

/// The problems of a route's refusal (`AppError::Validatie`); nothing for any other.
pub fn uit_apperror<T>(r: Result<T, AppError>) -> Vec<InvalidParam> {
    match r {
        Err(AppError::Validatie { fouten, .. }) => fouten,
        _ => Vec::new(),
    }
}

fn vandaag(nu: DateTime<Utc>) -> chrono::NaiveDate {
    ketenregie_common::werkdagen::nl_datum(nu)
}

impl Invoer for ketenregie_referral::inhoud::MeldingInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.naar_melding(vandaag(nu)))
    }
    fn gemeenten(&self) -> Vec<(String, String)> {
        self.kinderen
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, k)| Some((format!("kinderen[{i}].gemeente"), k.gemeente.clone()?)))
            .collect()
    }
}

impl Invoer for ketenregie_case::personen::PersoonInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(vandaag(nu)))
    }
    fn gemeenten(&self) -> Vec<(String, String)> {
        self.adres
            .iter()
            .filter_map(|a| Some(("adres.gemeente".to_string(), a.gemeente.clone()?)))
            .collect()
    }
}

impl Invoer for ketenregie_case::incidenten::IncidentInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(nu))
    }
    fn gemeenten(&self) -> Vec<(String, String)> {
        self.gemeente
            .iter()
            .map(|g| ("gemeente".to_string(), g.clone()))
            .collect()
    }
}

impl Invoer for ketenregie_case::gezinnen::GezinInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(vandaag(nu)))
    }
}

impl Invoer for ketenregie_case::gezag::GezagInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        // The child is the path's id, not a field: any id checks the body's rules.
        uit_fout(self.valideer(Uuid::nil(), vandaag(nu)))
    }
    fn organisaties(&self) -> Vec<(String, String)> {
        self.houder_instelling
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| ("houderInstelling".to_string(), c.trim().to_string()))
            .collect()
    }
    fn voogdij_instellingen(&self) -> Vec<(String, String)> {
        self.organisaties()
    }
}

impl Invoer for ketenregie_case::beschikkingen::BeschikkingInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(Uuid::nil(), vandaag(nu)))
    }
}

impl Invoer for ketenregie_case::regelingen::RegelingInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(Uuid::nil(), vandaag(nu)))
    }
}

impl Invoer for ketenregie_case::briefing::BriefingVraag {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(vandaag(nu)))
    }
}

impl Invoer for ketenregie_case::betrokkenheid::BetrokkenheidInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.valideer(vandaag(nu)))
    }
}

impl Invoer for ketenregie_feedback::terugkoppeling::TerugkoppelingInvoer {
    fn regels(&self, _nu: DateTime<Utc>) -> Vec<InvalidParam> {
        self.valideer().err().unwrap_or_default()
    }
    fn organisaties(&self) -> Vec<(String, String)> {
        self.overgenomen_door
            .iter()
            .filter_map(|o| {
                Some((
                    "overgenomenDoor.organisatie".to_string(),
                    o.organisatie.clone()?,
                ))
            })
            .collect()
    }
}

impl Invoer for ketenregie_feedback::abonnement::AbonnementInvoer {
    fn regels(&self, _nu: DateTime<Utc>) -> Vec<InvalidParam> {
        self.valideer(None).err().unwrap_or_default()
    }
}

impl Invoer for ketenregie_case::incidenten::WederhoorInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.nieuw(nu))
    }
}

impl Invoer for ketenregie_case::incidenten::VerklaringInvoer {
    fn regels(&self, nu: DateTime<Utc>) -> Vec<InvalidParam> {
        uit_fout(self.nieuw(nu))
    }
}
