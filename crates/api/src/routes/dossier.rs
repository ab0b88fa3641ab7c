//! What the case-registry routes share: the decision for writing one's own records and
//! for reading another organisation's.

use crate::problem::AppError;
use crate::routes::zicht;
use ketenregie_case::briefing::doel_voor;
use ketenregie_common::{Actie, Doel, Gegevenscategorie, Vertrouwelijkheid};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use ketenregie_store::{DbConnection, directory};
use uuid::Uuid;

/// Writes to the case registry are for coordinating the chain's work on a family.
pub const DOEL_VASTLEGGEN: Doel = Doel::Coordinatie;

/// Decide and log a write to one's own records (`EIGEN_ORGANISATIE`): one audit row with
/// a summary free of personal data, one processing-log row per subject.
pub fn schrijf_eigen(
    conn: &mut DbConnection,
    ctx: &Context,
    categorieen: &[Gegevenscategorie],
    object: Object,
    samenvatting: serde_json::Value,
    betrokkenen: &[Uuid],
) -> Result<Toestemming, AppError> {
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

/// What a read of `eigenaar`'s record asks: one's own on the own task, another's for a
/// briefing (the OM: criminal-law assessment, with a reason).
fn lees_aanvraag(
    soort: Option<ketenregie_common::OrganisatieSoort>,
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

/// Decide a read of `eigenaar`'s record of kind `wat`; logged by the caller. Refused: a
/// 403 where the caller's organisation could read it (another role, a reason), else
/// answered as an unknown id (`EEN_ORGANISATIE_ZICHT`).
pub fn lees(
    conn: &mut DbConnection,
    ctx: &Context,
    wat: &str,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    optioneel: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Result<Toestemming, AppError> {
    let beslisser = besluit::Beslisser::laad(conn, ctx)?;
    let a = lees_aanvraag(beslisser.soort(), eigenaar, categorieen, optioneel, niveau);
    match beslisser.beslis(ctx, &a) {
        Ok(t) => Ok(t),
        Err(w) => Err(zicht::geweigerd(conn, ctx, &a, w, wat, eigenaar)?),
    }
}

/// A write to `eigenaar`'s record of kind `wat` by another organisation, which is never
/// allowed (writes go to one's own records only, `EIGEN_ORGANISATIE`): a 403 where the
/// caller's organisation could read the record, else answered as an unknown id
/// (`EEN_ORGANISATIE_ZICHT`). Recorded as a refusal either way by `verwerking::tx`.
pub fn niet_eigen(
    conn: &mut DbConnection,
    ctx: &Context,
    wat: &str,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Result<AppError, AppError> {
    let soort = directory::kern_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.2);
    let a = lees_aanvraag(soort, eigenaar, categorieen, &[], niveau);
    Ok(if zicht::organisatie_mag(conn, ctx, &a)? {
        AppError::GeenToegang(format!(
            "Uw organisatie legt alleen vast in haar eigen dossiers; deze {wat} is van `{eigenaar}`"
        ))
    } else {
        zicht::verborgen(
            wat,
            eigenaar,
            format!("schrijven in een {wat} van een andere organisatie, buiten haar zicht"),
        )
    })
}
