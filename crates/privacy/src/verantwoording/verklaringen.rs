//! A person's own statement (DOMAIN.md §3 flow 8, Jeugdwet art. 7.3.8;
//! `crate::eigen_verklaring` keeps them) on a record that holds personal data on them,
//! recorded on the person's behalf through an organisation that holds that record. The
//! one use case every domain crate calls for its own kind of record
//! (`/personen/{id}/eigen-verklaringen` here, through the inzage sources; the zorgmelding,
//! incident, beschikking and terugkoppeling in their own crates, which find the record,
//! check that the caller holds it and name whose statement it is):
//!
//! - `VERKLARING_DOOR_HOUDER`: a statement is accepted through any organisation that holds
//!   the record — its owner, or one that received it (or the owner's data on its persons)
//!   through the service under an agreement that is still in force between the two
//!   (`houdt`; for a zorgmelding and its terugkoppeling: a party of it, and with the
//!   owner still a party of an agreement in force, `nog_partij`: else 403, since a party
//!   of the melding may know it exists); to any other organisation the record is
//!   answered as unknown, the refusal recorded in the owner's audit trail
//!   (`EEN_ORGANISATIE_ZICHT`). It never alters the record.
//! - `VERKLARING_VOOR_ONTVANGEN_PERSOON`: an organisation that holds the record only
//!   through what it received records the statement of a person whose data it received
//!   from the owner, not of another person the record names (checked with `houdt` for
//!   that one person by the domain crate that names whose statement it is).
//! - `PRIVACYFUNCTIONARIS_VERANTWOORDT`: the organisation's privacy officer records it on
//!   the person's behalf (as they answer the person's inzage request).
//! - the decision then applies as for any write or read (purpose `inzage`, the
//!   organisation's own statement table), each logged in the caller's transaction: one
//!   audit row, one processing-log row for the person (by identity).
//! - `VERKLARING_LEZEN_ALS_RECORD`: reading the statements on a record
//!   (`GET .../{id}/eigen-verklaringen`) is a read of that record, never of the caller's
//!   own statement table: each domain crate answers it through its record's own read use
//!   case (`GET /personen/{id}`, `/incidenten/{id}`, `/zorgmeldingen/{id}`, the decision
//!   in the family dossier, the feedback list), so it passes the same decision (the
//!   record's owner, the agreement rule for its kind and the caller's purpose, the reason
//!   the rule requires, the record's level), gets the same 404 where the record is outside
//!   the caller's view, and is logged the same (the audit row under the owner's basis and
//!   agreement, a processing-log row per person, the disclosure in the owner's
//!   `verstrekkingen`). It shows the statements that read shows
//!   (`eigen_verklaring::VERKLARING_BIJ_RECORD`), each at most at the level the read
//!   allows. Holding a record (`VERKLARING_DOOR_HOUDER`) lets an organisation add a
//!   statement, not read the record's.

use super::{InzageBronnen, privacyfunctionaris, rapport_van};
use crate::eigen_verklaring::{
    self, DOOR_PERSOON, EigenVerklaring, EigenVerklaringWeergave, Nieuw, Recordsoort,
};
use crate::logboek::{self, Object};
use crate::{Aanvraag, Context, Toestemming, besluit, convenant, inzage, zicht};
use diesel::QueryResult;
use ketenregie_common::{Actie, Doel, Fout, Gegevenscategorie, Vertrouwelijkheid};
use ketenregie_store::DbConnection;
use uuid::Uuid;

/// The rule's name.
pub const VERKLARING_DOOR_HOUDER: &str = "VERKLARING_DOOR_HOUDER";

/// The rule's name: an organisation that holds another's record only through what it
/// received (not its owner) records the statement of a person whose data it received
/// from that owner, never of another person the record names. Why: the statement is the
/// person's own, brought to an organisation that holds their data; and an organisation
/// that cannot read the record must not learn from a 201 or a 422 whom it names beyond
/// the persons it already received (`EEN_ORGANISATIE_ZICHT`). Checked by the domain crate
/// as it names whose statement it is.
pub const VERKLARING_VOOR_ONTVANGEN_PERSOON: &str = "VERKLARING_VOOR_ONTVANGEN_PERSOON";

/// The rule's name: reading a record's statements is a read of the record (module
/// documentation).
pub const VERKLARING_LEZEN_ALS_RECORD: &str = "VERKLARING_LEZEN_ALS_RECORD";

/// A statement as given: the person's words, its level, and who in the record made it
/// (`door`, a reference the domain crate resolves; absent on a person record).
#[derive(Debug, Clone)]
pub struct Verklaringsinvoer {
    pub tekst: String,
    pub niveau: Vertrouwelijkheid,
    pub door: Option<String>,
}

/// The record a statement is added to, as the domain crate that keeps it found it.
#[derive(Debug, Clone)]
pub struct Record {
    pub soort: Recordsoort,
    pub id: Uuid,
    /// The organisation that owns it.
    pub eigenaar: String,
}

/// Whose statement it is, as the record knows them.
#[derive(Debug, Clone)]
pub struct Spreker {
    /// Their role in the record (`moeder`, `kind`), or `persoon` on a person record.
    pub door: String,
    /// Their identity (`crate::betrokkene`), the subject of the processing-log row.
    pub betrokkene: Uuid,
    /// The person record the record refers to them by, if any.
    pub persoon: Option<Uuid>,
}

/// `VERKLARING_DOOR_HOUDER`: does the caller's organisation hold a record of `eigenaar`
/// about these persons (identities): it owns it, or it received that owner's data on one
/// of them through the service (`inzage::ontving_van`, the same link as a disclosure in
/// the owner's inzage report) under an agreement still in force between the two (a party
/// that left, or whose agreement ended, holds no record of the owner's any more).
pub fn houdt(
    conn: &mut DbConnection,
    ctx: &Context,
    eigenaar: &str,
    betrokkenen: &[Uuid],
) -> QueryResult<bool> {
    let org = ctx.actor.organisatie.as_str();
    if eigenaar == org {
        return Ok(true);
    }
    if !samen_partij(conn, ctx, eigenaar)? {
        return Ok(false);
    }
    let pseudoniemen: Vec<String> = betrokkenen
        .iter()
        .map(|b| ctx.pseudoniemen.van(*b))
        .collect();
    inzage::ontving_van(conn, org, eigenaar, &pseudoniemen)
}

/// Is the caller's organisation, with `eigenaar`, a party of an agreement in force
/// (`Convenant::is_partij` for both: named and not left)? Its own organisation always is.
/// `VERKLARING_DOOR_HOUDER`'s agreement half, for `houdt` and `mag_vastleggen`.
pub fn samen_partij(conn: &mut DbConnection, ctx: &Context, eigenaar: &str) -> QueryResult<bool> {
    let org = ctx.actor.organisatie.as_str();
    if eigenaar == org {
        return Ok(true);
    }
    Ok(convenant::gedeeld(conn, org, eigenaar, ctx.nu)?.is_some())
}

/// The answer for a record of kind `wat` of `eigenaar` the caller's organisation does not
/// hold (`VERKLARING_DOOR_HOUDER`): as an unknown id, the refusal in the owner's trail.
pub fn niet_gehouden(ctx: &Context, wat: &str, eigenaar: &str) -> Fout {
    zicht::verborgen(
        wat,
        eigenaar,
        format!(
            "{VERKLARING_DOOR_HOUDER}: organisatie `{}` houdt deze {wat} niet en ontving hem niet",
            ctx.actor.organisatie
        ),
    )
}

/// `PRIVACYFUNCTIONARIS_VERANTWOORDT`: the privacy officer records a statement on the
/// person's behalf; and `OM_PER_VERZOEK_MET_REDEN` (`crate::convenant`, DOMAIN.md §4) on
/// a record of another organisation (`eigenaar`): the OM acts on it only with a stated
/// reason (`X-Audit-Toelichting`), writes as much as reads (outside test of 2 Dec 2026,
/// F4: the OM recorded statements on police records without one, where the matching
/// read is refused). Domain crates check it right after finding the record and before
/// naming whose statement it is, so a refusal tells nothing of the record (no role, not
/// whether a person is named in it) and nothing is written.
pub fn mag_vastleggen(conn: &mut DbConnection, ctx: &Context, eigenaar: &str) -> Result<(), Fout> {
    privacyfunctionaris(&ctx.actor)?;
    nog_partij(conn, ctx, eigenaar)?;
    om_met_reden(conn, ctx, eigenaar)
}

/// `VERKLARING_DOOR_HOUDER`'s agreement half for every record kind, where the record is
/// in the caller's view (a party of a zorgmelding or its feedback, which may know that it
/// exists): a statement on another organisation's record flows to that owner and to
/// everyone who reads the record with it (`VERKLARING_BIJ_RECORD`), so it is recorded
/// only through an organisation that is still, with the owner, a party of an agreement
/// in force (`samen_partij`). A party that left (`UITTREDEN`), or an agreement withdrawn
/// or expired, records none: 403 naming the rule, in the owner's trail, nothing written
/// (the outside test of round four, F4: the privacy officer of a wijkteam that had left
/// recorded a statement on a hand-over task, and the police read it with the melding).
/// The case registry's records ask `houdt`, which includes it and answers an unknown id.
fn nog_partij(conn: &mut DbConnection, ctx: &Context, eigenaar: &str) -> Result<(), Fout> {
    if samen_partij(conn, ctx, eigenaar)? {
        return Ok(());
    }
    Err(Fout::geweigerd(
        VERKLARING_DOOR_HOUDER,
        format!(
            "Organisatie `{}` is met de eigenaar van dit record geen partij (meer) bij een convenant van kracht: een eigen verklaring via een organisatie die uittrad, of onder een ingetrokken of verlopen convenant, stroomt niet naar de anderen (regel {VERKLARING_DOOR_HOUDER})",
            ctx.actor.organisatie
        ),
    )
    .bij_eigenaar(eigenaar))
}

/// `OM_PER_VERZOEK_MET_REDEN` for an act of the caller on a record of `eigenaar`: when the
/// caller's organisation is the OM and the record is another organisation's, the request
/// must carry a reason; the refusal (403 `toelichting-vereist`) goes to the owner's trail.
pub fn om_met_reden(conn: &mut DbConnection, ctx: &Context, eigenaar: &str) -> Result<(), Fout> {
    if eigenaar == ctx.actor.organisatie || ctx.toelichting.is_some() {
        return Ok(());
    }
    let soort = besluit::Beslisser::laad(conn, ctx)?.soort();
    if soort != Some(ketenregie_common::OrganisatieSoort::Om) {
        return Ok(());
    }
    Err(Fout::Geweigerd {
        regel: convenant::OM_PER_VERZOEK_MET_REDEN,
        reden: format!(
            "Het OM handelt per verzoek met een reden op gegevens van een andere organisatie: stuur de header `X-Audit-Toelichting` met de reden (regel {}, DOMAIN.md §4)",
            convenant::OM_PER_VERZOEK_MET_REDEN
        ),
        toelichting_vereist: true,
    }
    .bij_eigenaar(eigenaar))
}

/// The decision for `actie` on the caller's organisation's statements (purpose `inzage`,
/// its own statement table): for recording a statement (a domain crate that must read its
/// record to name whose statement it is, a melding's content, reads under this
/// permission) and for the statements on an identity it recorded itself. Never for
/// reading the statements on another organisation's record (`VERKLARING_LEZEN_ALS_RECORD`).
pub fn beslis(conn: &mut DbConnection, ctx: &Context, actie: Actie) -> Result<Toestemming, Fout> {
    besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie,
            doel: Doel::Inzage,
            categorieen: vec![Gegevenscategorie::Identificatie],
            optioneel: vec![],
            eigenaren: vec![ctx.actor.organisatie.clone()],
            vertrouwelijkheid: Vertrouwelijkheid::STANDAARD,
        },
    )
}

/// The audit object of the statements on `record`, in the caller's organisation's trail
/// (a statement is the recording organisation's write, not a read of the owner's data).
fn object(ctx: &Context, soort: &'static str, id: String) -> Object {
    Object {
        soort,
        id,
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// Record `invoer` by `spreker` on `record`, which the domain crate found and checked the
/// caller's organisation holds (`houdt`): the privacy officer only, the decision, the
/// row, its audit row (the statement as the API shows it) and one processing-log row.
pub fn leg_vast(
    conn: &mut DbConnection,
    ctx: &Context,
    record: &Record,
    spreker: Spreker,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    mag_vastleggen(conn, ctx, &record.eigenaar)?;
    let t = beslis(conn, ctx, Actie::Aanmaken)?;
    let v = eigen_verklaring::voeg_toe(
        conn,
        &ctx.versleuteling,
        &t,
        Nieuw {
            object_type: record.soort.as_ref().to_string(),
            object_id: record.id.to_string(),
            eigenaar: record.eigenaar.clone(),
            betrokkene_id: spreker.betrokkene,
            door: spreker.door,
            persoon: spreker.persoon,
            tekst: invoer.tekst,
            vastgelegd_door: ctx.actor.organisatie.clone(),
            vertrouwelijkheid: invoer.niveau,
        },
        ctx.nu,
    )?;
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Aanmaken,
        object(ctx, "eigen-verklaringen", v.id.to_string()),
        None,
        Some(serde_json::to_value(v.weergave()).map_err(Fout::intern)?),
        &[spreker.betrokkene],
    )?;
    Ok(v)
}

/// A person record (or identity) `persoon` the caller's organisation holds or received
/// data on (`super::rapport_van`: any other id answers as unknown, the refusal in the
/// owner's trail) under an agreement still in force with its owner (`houdt`), with its
/// owner and identity. An identity is the caller's own.
fn persoon(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
) -> Result<(Record, Uuid), Fout> {
    rapport_van(conn, ctx, bronnen, persoon)?;
    let mut eigenaar = None;
    let mut identiteit = None;
    for b in &bronnen.0 {
        if eigenaar.is_none() {
            eigenaar = b.eigenaar(conn, persoon)?;
        }
        if identiteit.is_none() {
            identiteit = b.identiteit(conn, persoon)?;
        }
    }
    let eigenaar = eigenaar.unwrap_or_else(|| ctx.actor.organisatie.clone());
    let identiteit = identiteit.unwrap_or(persoon);
    if !houdt(conn, ctx, &eigenaar, &[identiteit, persoon])? {
        return Err(niet_gehouden(ctx, super::PERSOON, &eigenaar));
    }
    Ok((
        Record {
            soort: Recordsoort::Persoon,
            id: persoon,
            eigenaar,
        },
        identiteit,
    ))
}

/// `POST /personen/{id}/eigen-verklaringen`: record `invoer` by the person `persoon`
/// themselves, through an organisation that holds or received data on them.
pub fn voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    id: Uuid,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    let (record, identiteit) = persoon(conn, ctx, bronnen, id)?;
    mag_vastleggen(conn, ctx, &record.eigenaar)?;
    if invoer.door.is_some() {
        return Err(Fout::veld(
            "door",
            "forbidden",
            "een eigen verklaring bij een persoon is van die persoon zelf: laat `door` weg",
        ));
    }
    leg_vast(
        conn,
        ctx,
        &record,
        Spreker {
            door: DOOR_PERSOON.into(),
            betrokkene: identiteit,
            persoon: Some(id),
        },
        invoer,
    )
}

/// `GET /personen/{id}/eigen-verklaringen` for an id that is not a person record but an
/// identity the caller's organisation holds data on (a person known only in a melding):
/// the statements its own organisation recorded on it, oldest first — its own data, so
/// decided as such (`EIGEN_ORGANISATIE`) and logged as a read of the person, at the levels
/// that read allows. Another organisation's statement on the identity is never shown
/// (it would tell that the other holds data on the person, `EEN_ORGANISATIE_ZICHT`). A
/// person record's statements are read with the record (`case::eigen_verklaringen`).
pub fn lijst_bij_identiteit(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    id: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    let (record, identiteit) = persoon(conn, ctx, bronnen, id)?;
    let t = beslis(conn, ctx, Actie::Lezen)?;
    let org = ctx.actor.organisatie.as_str();
    let zichtbaar = eigen_verklaring::bij_object(
        conn,
        &ctx.versleuteling,
        &t,
        record.soort.as_ref(),
        &record.id.to_string(),
    )?
    .into_iter()
    .filter(|v| v.eigenaar == org && v.vastgelegd_door == org)
    .filter(|v| v.vertrouwelijkheid <= t.max_vertrouwelijkheid())
    .map(|v| v.weergave())
    .collect::<Vec<_>>();
    // LOG_ALLEEN_WAT_GETOOND: no statement shown, no processing of the person's data.
    let subjecten: &[Uuid] = if zichtbaar.is_empty() {
        &[]
    } else {
        std::slice::from_ref(&identiteit)
    };
    logboek::lezing(
        conn,
        ctx,
        &t,
        object(ctx, record.soort.into(), record.id.to_string()),
        subjecten,
    )?;
    Ok(zichtbaar)
}
