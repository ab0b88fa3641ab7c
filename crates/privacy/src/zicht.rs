//! `EEN_ORGANISATIE_ZICHT` (issue 11 point 3; DESIGN.md §6, AVG art. 5(1)(f) and Wpg art.
//! 4a: confidentiality includes not revealing that a record exists): every use case that
//! takes an id answers within the caller's organisation's view.
//!
//! - An unknown id is `Fout::NietGevonden` whose `detail` names only the kind of record
//!   (never the id, which the API puts in `instance` already).
//! - A record the caller's organisation has no relation to at all — not its owner, sender
//!   or receiver, and no agreement rule that could let any of its staff see it — is
//!   answered exactly the same (`Fout::Verborgen`: same status, same body apart from
//!   `instance` and `traceId`), and the refusal is written to the audit trail of the
//!   record's owner (by the API's transaction helper, in a transaction of its own).
//! - Where the organisation could see the record but this user's role, a missing
//!   `X-Audit-Toelichting` or break-glass without a reason refuses, the 403
//!   (`Fout::Geweigerd`) stays: the organisation may know that the record exists.
//!
//! Every domain crate answers with these functions (the case registry through
//! `ketenregie_case::toegang`, which re-exports them), so every route answers an unknown id
//! alike.

use crate::Context;
use crate::besluit::{self, Aanvraag};
use ketenregie_common::{Fout, Rol};
use ketenregie_store::DbConnection;
use strum::VariantArray;

/// The rule's name, as a refusal recorded under it names it.
pub const EEN_ORGANISATIE_ZICHT: &str = "EEN_ORGANISATIE_ZICHT";

/// The one `detail` of a 404 for a record of kind `wat` ("persoon", "gezin"...), for an
/// unknown id and for a record outside the caller's view alike.
pub fn niet_gevonden_tekst(wat: &str) -> String {
    format!("Er is geen {wat} met dit id die uw organisatie kan zien")
}

/// An unknown id of a record of kind `wat`.
pub fn onbekend(wat: &str) -> Fout {
    Fout::NietGevonden(niet_gevonden_tekst(wat))
}

/// An existing record of `eigenaar` outside the caller's view: answered as `onbekend`,
/// recorded as a refusal (`reden`) in `eigenaar`'s audit trail.
pub fn verborgen(wat: &str, eigenaar: &str, reden: impl Into<String>) -> Fout {
    Fout::Verborgen {
        detail: niet_gevonden_tekst(wat),
        eigenaar: eigenaar.to_string(),
        reden: reden.into(),
    }
}

/// A record of kind `wat` that belongs to `eigenaar` (an organisation code), for the
/// caller's organisation: `Ok` when it is its own, else `verborgen` with `reden`; an
/// absent record is `onbekend`. For the registers whose records only their own
/// organisation sees (subscriptions, dead deliveries, quota notices).
pub fn alleen_eigen<T>(
    ctx: &Context,
    wat: &str,
    record: Option<(T, String)>,
    reden: &str,
) -> Result<T, Fout> {
    match record {
        Some((r, eigenaar)) if eigenaar == ctx.actor.organisatie => Ok(r),
        Some((_, eigenaar)) => Err(verborgen(wat, &eigenaar, reden)),
        None => Err(onbekend(wat)),
    }
}

/// Could the caller's organisation be allowed request `a` at all: by any of its staff
/// (every case role), with a stated reason, by break-glass where an agreement names a
/// role of its kind? The decision itself (`besluit::toegang`) answers, for an actor that
/// holds every case role of the caller's organisation; nothing is logged.
pub fn organisatie_mag(conn: &mut DbConnection, ctx: &Context, a: &Aanvraag) -> Result<bool, Fout> {
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
        Err(e) if e.is_weigering() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Could organisation `organisatie` (a code; not necessarily the caller's) be allowed
/// request `a` by an agreement rule in force — with any of its case roles and a stated
/// reason, but not by break-glass, which is for the unforeseen and never the basis of
/// sending data on purpose? For acts that address data to another organisation (a
/// hand-over, `referral::overgang::draag_over`): the receiver must be covered by the same
/// rule that will govern its reads (`CONVENANT_VEREIST`), or the act is refused before
/// anything is written. Only an agreement rule counts: an organisation among the owners
/// would be let through on its own data (`EIGEN_ORGANISATIE`, the basis of its own task),
/// which is no agreement to receive and handle the data (the outside test of 1 Dec 2026:
/// a task handed back to the police that filed it). Nothing is logged.
pub fn convenant_dekt(
    conn: &mut DbConnection,
    ctx: &Context,
    organisatie: &str,
    a: &Aanvraag,
) -> Result<bool, Fout> {
    let mut ander = ctx.clone();
    ander.actor.organisatie = organisatie.to_string();
    ander.actor.rollen = Rol::VARIANTS
        .iter()
        .copied()
        .filter(|r| *r != Rol::Platformbeheerder)
        .collect();
    ander.toelichting = Some("toets: dekt een convenant deze ontvanger".into());
    ander.doorbraak = false;
    match besluit::toegang(conn, &ander, a) {
        Ok(t) => Ok(t.basis().iter().all(|b| b.convenant.is_some())),
        Err(e) if e.is_weigering() => Ok(false),
        Err(e) => Err(e),
    }
}

/// `STROOM_BINNEN_CONVENANT` (README, "Agreements: signing, leaving, withdrawal"; DOMAIN.md
/// §4; AVG art. 5(1)(b) and 6: data is shared only on a basis in force): a write by the
/// caller's organisation whose data then goes to organisation `naar` (feedback it owes
/// `naar`, which `naar` reads and which meets the duty `naar` is owed) passes only while
/// both are parties of an agreement in force (`Convenant::is_partij` for both, the check
/// `verantwoording::verklaringen::samen_partij` also makes for statements). A party that
/// left the agreement (`UITTREDEN`), or an agreement withdrawn or expired, lets nothing
/// flow from the next request on, writes as much as reads: before, an organisation that
/// had left still gave feedback (201, the duty marked met) that the other could no longer
/// read (the outside test of round four, F3). Whether `naar` may then read what was
/// written stays the read's own decision (`CONVENANT_VEREIST`): an agreement that owes
/// feedback but lets nobody read it is a fault of that agreement, and refusing the giver
/// would only keep its duty open. A write decided against the other's data already passes
/// the decision as the writer (a step on a melding of another organisation); this rule is
/// for the writes the writer's own-data decision (`EIGEN_ORGANISATIE`) lets through.
/// Refused 403 naming the rule, nothing written.
pub const STROOM_BINNEN_CONVENANT: &str = "STROOM_BINNEN_CONVENANT";

/// `STROOM_BINNEN_CONVENANT` for a write whose data goes to `naar`; `wat` names the data
/// in the refusal ("deze terugkoppeling"). Its own organisation needs no agreement. The
/// refusal is a `Fout::Geweigerd`; the caller says in whose trail (`Fout::bij_eigenaar`).
pub fn stroom(conn: &mut DbConnection, ctx: &Context, naar: &str, wat: &str) -> Result<(), Fout> {
    if crate::verantwoording::verklaringen::samen_partij(conn, ctx, naar)? {
        return Ok(());
    }
    Err(Fout::geweigerd(
        STROOM_BINNEN_CONVENANT,
        format!(
            "Geen convenant van kracht waarin organisatie `{}` en `{naar}` beide partij zijn, dus gaat {wat} niet naar `{naar}`: een organisatie die uittrad, of een ingetrokken of verlopen convenant, laat geen gegevens meer stromen (regel {STROOM_BINNEN_CONVENANT})",
            ctx.actor.organisatie
        ),
    ))
}
