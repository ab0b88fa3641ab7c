//! What the case-registry routes share: the decision for writing one's own records and
//! for reading another organisation's, and checking municipality codes against the loaded
//! reference data.

use crate::problem::AppError;
use ketenregie_case::briefing::doel_voor;
use ketenregie_common::{Actie, Doel, Gegevenscategorie, InvalidParam, Vertrouwelijkheid};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit};
use ketenregie_store::{DbConnection, directory, referentie};
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
    let soort = directory::organisatie_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.soort);
    Ok(besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie: Actie::Lezen,
            doel: doel_voor(soort),
            categorieen: categorieen.to_vec(),
            optioneel: optioneel.to_vec(),
            eigenaren: vec![eigenaar.to_string()],
            vertrouwelijkheid: niveau,
        },
    )?)
}

/// Municipality codes must exist in the loaded reference data (`veld` names each).
pub fn gemeenten_bekend(
    conn: &mut DbConnection,
    codes: &[(String, String)],
) -> Result<(), AppError> {
    let alle: Vec<String> = codes.iter().map(|(_, c)| c.clone()).collect();
    let onbekend = referentie::onbekende_gemeenten(conn, &alle)?;
    // Without loaded reference data (a bare test database) only the format is checked.
    if onbekend.is_empty() || !referentie::geladen(conn)? {
        return Ok(());
    }
    let fouten: Vec<InvalidParam> = codes
        .iter()
        .filter(|(_, c)| onbekend.contains(c))
        .map(|(veld, c)| InvalidParam {
            name: veld.clone(),
            code: "gemeentecode-onbekend".into(),
            reason: format!("`{veld}`: gemeentecode {c} komt niet voor in de gemeentelijst (CBS); zie GET /api/v1/organisaties voor de gebieden"),
        })
        .collect();
    if fouten.is_empty() {
        Ok(())
    } else {
        Err(AppError::validatie(fouten))
    }
}
