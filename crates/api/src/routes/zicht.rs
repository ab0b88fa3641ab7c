//! `EEN_ORGANISATIE_ZICHT` (issue 11 point 3; DESIGN.md §6, AVG art. 5(1)(f) and Wpg art.
//! 4a: confidentiality includes not revealing that a record exists): every route that
//! takes an id answers within the caller's organisation's view.
//!
//! - An unknown id is a 404 whose `detail` names only the kind of record (never the id,
//!   which is in `instance` already).
//! - A record the caller's organisation has no relation to at all — not its owner, sender
//!   or receiver, and no agreement rule that could let any of its staff see it — is
//!   answered exactly the same: same status, same body apart from `instance` and `traceId`
//!   (`AppError::Verborgen`), and the refusal is written to the audit trail of the
//!   record's owner.
//! - Where the organisation could see the record but this user's role, a missing
//!   `X-Audit-Toelichting` or break-glass without a reason refuses, the 403 stays: the
//!   organisation may know that the record exists.

use crate::problem::AppError;
use ketenregie_common::Rol;
use ketenregie_privacy::{Aanvraag, Context, Weigering, besluit};
use ketenregie_store::DbConnection;
use strum::VariantArray;

/// The one `detail` of a 404 for a record of kind `wat` ("persoon", "gezin"...), for an
/// unknown id and for a record outside the caller's view alike.
pub fn niet_gevonden_tekst(wat: &str) -> String {
    format!("Er is geen {wat} met dit id die uw organisatie kan zien")
}

/// An unknown id.
pub fn onbekend(wat: &str) -> AppError {
    AppError::NietGevonden(niet_gevonden_tekst(wat))
}

/// An existing record of `eigenaar` outside the caller's view: answered as `onbekend`,
/// recorded as a refusal (`reden`) in `eigenaar`'s audit trail by `verwerking::tx`.
pub fn verborgen(wat: &str, eigenaar: &str, reden: impl Into<String>) -> AppError {
    AppError::Verborgen {
        detail: niet_gevonden_tekst(wat),
        eigenaar: eigenaar.to_string(),
        reden: reden.into(),
    }
}

/// Could the caller's organisation be allowed request `a` at all: by any of its staff
/// (every case role), with a stated reason, by break-glass where an agreement names a
/// role of its kind? The decision itself (`besluit::toegang`) answers, for an actor that
/// holds every case role of the caller's organisation; nothing is logged.
pub fn organisatie_mag(
    conn: &mut DbConnection,
    ctx: &Context,
    a: &Aanvraag,
) -> Result<bool, AppError> {
    let mut breed = ctx.clone();
    breed.actor.rollen = Rol::VARIANTS
        .iter()
        .copied()
        .filter(|r| *r != Rol::Platformbeheerder)
        .collect();
    breed.toelichting = Some("toets: kan de organisatie dit ooit zien".into());
    breed.doorbraak = true;
    match besluit::toegang(conn, &breed, a) {
        Ok(_) => Ok(true),
        Err(ketenregie_common::Fout::Geweigerd { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The answer to request `a` on a record of kind `wat` owned by `eigenaar`, refused by
/// the decision with `w`: the 403 where the organisation could be allowed, else
/// `verborgen`.
pub fn geweigerd(
    conn: &mut DbConnection,
    ctx: &Context,
    a: &Aanvraag,
    w: Weigering,
    wat: &str,
    eigenaar: &str,
) -> Result<AppError, AppError> {
    Ok(if organisatie_mag(conn, ctx, a)? {
        AppError::Geweigerd(w)
    } else {
        verborgen(wat, eigenaar, w.reden)
    })
}
