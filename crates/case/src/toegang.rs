//! The privacy decisions every case-registry use case shares (DESIGN.md §2 step 4):
//!
//! - `EIGEN_ORGANISATIE`: an organisation writes only in its own records (a partner's
//!   record is reached through the identity, never written to); `schrijf_eigen` decides
//!   and logs such a write, `niet_eigen` answers an attempt on another's record.
//! - Reading another organisation's record passes the policy decision for purpose
//!   `briefing` (the OM: `strafrechtelijke-beoordeling`, `doel_voor`), per owner (`lees`).
//! - `EEN_ORGANISATIE_ZICHT` (issue 11 point 3; AVG art. 5(1)(f), Wpg art. 4a): an id
//!   outside the caller's organisation's view is answered exactly as an unknown id
//!   (`Fout::Verborgen`, recorded as a refusal in the owner's audit trail); where the
//!   organisation could see the record but this user's role or a missing reason refuses,
//!   the 403 (`Fout::Geweigerd`) stays.
//!
//! The view rules and the 404 text are `ketenregie_privacy::zicht`'s (re-exported here),
//! the same for every registry, so every route answers an unknown id alike.

use ketenregie_common::{
    Actie, Doel, Fout, Gegevenscategorie, OrganisatieSoort, Vertrouwelijkheid,
};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use ketenregie_store::{DbConnection, directory};
use uuid::Uuid;

/// Writes to the case registry are for coordinating the chain's work on a family.
pub const DOEL_VASTLEGGEN: Doel = Doel::Coordinatie;

/// The purpose of a read for the caller's organisation: the OM consults for a
/// criminal-law assessment, everyone else for a briefing.
pub fn doel_voor(soort: Option<OrganisatieSoort>) -> Doel {
    if soort == Some(OrganisatieSoort::Om) {
        Doel::StrafrechtelijkeBeoordeling
    } else {
        Doel::Briefing
    }
}

pub use ketenregie_privacy::zicht::{niet_gevonden_tekst, onbekend, organisatie_mag, verborgen};

/// Decide and log a write to one's own records (`EIGEN_ORGANISATIE`): one audit row with
/// a summary free of personal data (`samenvatting`), one processing-log row per subject.
pub fn schrijf_eigen(
    conn: &mut DbConnection,
    ctx: &Context,
    categorieen: &[Gegevenscategorie],
    object: Object,
    samenvatting: serde_json::Value,
    betrokkenen: &[Uuid],
) -> Result<Toestemming, Fout> {
    let t = besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie: Actie::Aanmaken,
            doel: DOEL_VASTLEGGEN,
            categorieen: categorieen.to_vec(),
            optioneel: vec![],
            eigenaren: vec![ctx.actor.organisatie.clone()],
            vertrouwelijkheid: Vertrouwelijkheid::STANDAARD,
        },
    )?;
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Aanmaken,
        object,
        None,
        Some(samenvatting),
        betrokkenen,
    )?;
    Ok(t)
}

/// What a read of `eigenaar`'s record asks: for the caller's organisation's purpose.
fn lees_aanvraag(
    soort: Option<OrganisatieSoort>,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    optioneel: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Aanvraag {
    Aanvraag {
        actie: Actie::Lezen,
        doel: doel_voor(soort),
        categorieen: categorieen.to_vec(),
        optioneel: optioneel.to_vec(),
        eigenaren: vec![eigenaar.to_string()],
        vertrouwelijkheid: niveau,
    }
}

/// Decide a read of `eigenaar`'s record of kind `wat` (logged by the caller with the
/// permission). Refused: a 403 where the caller's organisation could read it (another
/// role, a reason; `Fout::GeweigerdBij`, in `eigenaar`'s audit trail), else answered as
/// an unknown id (`EEN_ORGANISATIE_ZICHT`, `Fout::Verborgen`, in `eigenaar`'s trail too).
pub fn lees(
    conn: &mut DbConnection,
    ctx: &Context,
    wat: &str,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    optioneel: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Result<Toestemming, Fout> {
    let beslisser = besluit::Beslisser::laad(conn, ctx)?;
    let a = lees_aanvraag(beslisser.soort(), eigenaar, categorieen, optioneel, niveau);
    match beslisser.beslis(ctx, &a) {
        Ok(t) => Ok(t),
        // In the owner's audit trail (`Fout::GeweigerdBij`), where its privacy officer
        // sees who tried; the route's audit object does not know the owner.
        Err(w) if organisatie_mag(conn, ctx, &a)? => Err(Fout::from(w).bij_eigenaar(eigenaar)),
        Err(w) => Err(verborgen(wat, eigenaar, w.reden)),
    }
}

/// Whether the caller's organisation may read `eigenaar`'s records of these categories
/// (the decision of `lees`, for the caller's purpose), decided without a log row or a
/// refusal in any trail: for a reference the caller makes to such a record (a gezag
/// resting on another organisation's court decision), where no data is shown and a
/// record outside the view must answer as one that does not exist.
pub fn mag_lezen(
    conn: &mut DbConnection,
    ctx: &Context,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Result<bool, Fout> {
    let beslisser = besluit::Beslisser::laad(conn, ctx)?;
    let a = lees_aanvraag(beslisser.soort(), eigenaar, categorieen, &[], niveau);
    Ok(beslisser.beslis(ctx, &a).is_ok())
}

/// A write to `eigenaar`'s record of kind `wat` by another organisation, which is never
/// allowed (`EIGEN_ORGANISATIE`): a 403 where the caller's organisation could read the
/// record, else answered as an unknown id (`EEN_ORGANISATIE_ZICHT`). Either way a refusal
/// in `eigenaar`'s audit trail.
pub fn niet_eigen(
    conn: &mut DbConnection,
    ctx: &Context,
    wat: &str,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Fout {
    let soort = match directory::kern_op_code(conn, &ctx.actor.organisatie) {
        Ok(o) => o.map(|o| o.2),
        Err(e) => return e.into(),
    };
    let a = lees_aanvraag(soort, eigenaar, categorieen, &[], niveau);
    match organisatie_mag(conn, ctx, &a) {
        Ok(true) => Fout::geweigerd(
            "EIGEN_ORGANISATIE",
            format!(
                "Uw organisatie legt alleen vast in haar eigen dossiers; deze {wat} is van `{eigenaar}`"
            ),
        )
        .bij_eigenaar(eigenaar),
        Ok(false) => verborgen(
            wat,
            eigenaar,
            format!("schrijven in een {wat} van een andere organisatie, buiten haar zicht"),
        ),
        Err(e) => e,
    }
}
