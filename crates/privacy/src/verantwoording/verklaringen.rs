//! A person's own statement (Jeugdwet art. 7.3.8; `crate::eigen_verklaring` keeps them),
//! recorded through an organisation that holds data on them
//! (`/personen/{id}/eigen-verklaringen`):
//!
//! - `INZAGE_EIGEN_ORGANISATIE`: only for a person the organisation holds or received data
//!   on (`super::rapport_van`; any other id is answered as unknown);
//! - `VERKLARING_BIJ_EIGEN_RECORD`: adding a statement needs a record the organisation
//!   holds, which the statement then accompanies — never another organisation's record,
//!   which it may know from data it received;
//! - the decision then applies as for any write or read (purpose `inzage`), each logged;
//!   a list shows only the statements of the organisation's own view, filtered silently
//!   to the confidentiality levels the caller may see.

use super::{InzageBronnen, rapport_van};
use crate::eigen_verklaring::{self, EigenVerklaring, Nieuw};
use crate::logboek::{self, Object};
use crate::{Aanvraag, Context, Toestemming, besluit, betrokkene};
use ketenregie_common::{Actie, Doel, Fout, Gegevenscategorie, Vertrouwelijkheid};
use ketenregie_store::DbConnection;
use uuid::Uuid;

/// The rule's name.
pub const VERKLARING_BIJ_EIGEN_RECORD: &str = "VERKLARING_BIJ_EIGEN_RECORD";

/// How a statement appears as the new value of its audit row: the API's representation.
pub type Weergave = fn(&EigenVerklaring) -> serde_json::Value;

/// The decision for `actie` on the person's statements within the caller's organisation.
fn beslis(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
    actie: Actie,
) -> Result<Toestemming, Fout> {
    let rapport = rapport_van(conn, ctx, bronnen, persoon)?;
    if actie == Actie::Aanmaken && rapport.gegevens.is_empty() {
        return Err(Fout::geen_toegang(
            VERKLARING_BIJ_EIGEN_RECORD,
            "Uw organisatie houdt over deze persoon geen gegevens vast; een eigen verklaring wordt vastgelegd door de organisatie bij wier gegevens zij hoort",
        ));
    }
    // The statement accompanies the record it is added to: never another organisation's
    // record, only its own or the identity.
    if actie == Actie::Aanmaken {
        for b in &bronnen.0 {
            if let Some(eigenaar) = b.eigenaar(conn, persoon)? {
                if eigenaar != ctx.actor.organisatie {
                    return Err(Fout::geen_toegang(
                        VERKLARING_BIJ_EIGEN_RECORD,
                        "Dit is een record van een andere organisatie; een eigen verklaring hoort bij een record van uw organisatie: gebruik het id daarvan",
                    ));
                }
                break;
            }
        }
    }
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

/// `POST /personen/{id}/eigen-verklaringen`: record `tekst` at level `niveau` on
/// `persoon`, logged as a write with the statement as `toon` shows it.
pub fn voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
    tekst: String,
    niveau: Vertrouwelijkheid,
    toon: Weergave,
) -> Result<EigenVerklaring, Fout> {
    let t = beslis(conn, ctx, bronnen, persoon, Actie::Aanmaken)?;
    let eigenaar = ctx.actor.organisatie.clone();
    let v = eigen_verklaring::voeg_toe(
        conn,
        &ctx.versleuteling,
        &t,
        Nieuw {
            object_type: "personen".into(),
            object_id: persoon.to_string(),
            eigenaar: eigenaar.clone(),
            betrokkene_id: persoon,
            tekst,
            vastgelegd_door: ctx.actor.organisatie.clone(),
            vertrouwelijkheid: niveau,
        },
        ctx.nu,
    )?;
    let subject = betrokkene::van_persoon(conn, persoon)?;
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Aanmaken,
        Object {
            soort: "eigen-verklaringen",
            id: v.id.to_string(),
            eigenaar,
        },
        None,
        Some(toon(&v)),
        &[subject],
    )?;
    Ok(v)
}

/// `GET /personen/{id}/eigen-verklaringen`: the statements on `persoon` in the caller's
/// organisation's view, oldest first; logged as a read of the person.
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
) -> Result<Vec<EigenVerklaring>, Fout> {
    let t = beslis(conn, ctx, bronnen, persoon, Actie::Lezen)?;
    let alle = eigen_verklaring::bij_object(
        conn,
        &ctx.versleuteling,
        &t,
        "personen",
        &persoon.to_string(),
    )?;
    let org = ctx.actor.organisatie.as_str();
    let zichtbaar: Vec<EigenVerklaring> = alle
        .into_iter()
        .filter(|v| v.vastgelegd_door == org || v.eigenaar == org)
        .filter(|v| v.vertrouwelijkheid <= t.max_vertrouwelijkheid())
        .collect();
    let subject = betrokkene::van_persoon(conn, persoon)?;
    logboek::lezing(
        conn,
        ctx,
        &t,
        super::persoon_object(ctx, persoon),
        &[subject],
    )?;
    Ok(zichtbaar)
}
