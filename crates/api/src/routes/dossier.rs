//! What the case-registry routes share: the decision for writing one's own records and
//! for reading another organisation's.

use crate::problem::AppError;
use ketenregie_case::briefing::doel_voor;
use ketenregie_common::{Actie, Doel, Gegevenscategorie, Vertrouwelijkheid};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use ketenregie_store::DbConnection;
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

/// Decide a read of `eigenaar`'s record: one's own on the own task, another's for a
/// briefing (the OM: criminal-law assessment, with a reason); logged by the caller.
pub fn lees(
    conn: &mut DbConnection,
    ctx: &Context,
    eigenaar: &str,
    categorieen: &[Gegevenscategorie],
    optioneel: &[Gegevenscategorie],
    niveau: Vertrouwelijkheid,
) -> Result<Toestemming, AppError> {
    let beslisser = besluit::Beslisser::laad(conn, ctx)?;
    beslisser
        .beslis(
            ctx,
            &Aanvraag {
                actie: Actie::Lezen,
                doel: doel_voor(beslisser.soort()),
                categorieen: categorieen.to_vec(),
                optioneel: optioneel.to_vec(),
                eigenaren: vec![eigenaar.to_string()],
                vertrouwelijkheid: niveau,
            },
        )
        .map_err(AppError::Geweigerd)
}
