//! The register of partner organisations and their contact points (DOMAIN.md §4 "Parties
//! and legal regimes", DESIGN.md §5): who may register and change what. The rows are
//! `ketenregie_store::directory`; the rules live here, beside the decision that reads an
//! organisation's kind from that register (`besluit`), because a self-declared kind would
//! widen what the decision lets an organisation see.
//!
//! - `ORGANISATIE_GEREGISTREERD` (`organisaties`): an organisation is registered, not
//!   self-declared.
//! - `BEHEER_CONTACTPUNTEN` (`contactpunten`): an organisation's contact points are kept by
//!   its own functional admin or the platform admin.
//! - `GEMEENTECODE_BESTAAT` (`controleer_gemeenten`): a municipality code is real.

pub mod contactpunten;
pub mod organisaties;

use ketenregie_common::{Fout, InvalidParam};
use ketenregie_store::{DbConnection, referentie};

/// `GEMEENTECODE_BESTAAT`: each `(field name, code)` whose code is not a municipality of
/// the loaded reference data is named in `Fout::Ongeldig`. Without loaded reference data
/// only the format (checked when parsing) applies.
pub fn controleer_gemeentecodes(
    conn: &mut DbConnection,
    velden: &[(String, String)],
) -> Result<(), Fout> {
    let codes: Vec<String> = velden.iter().map(|(_, c)| c.clone()).collect();
    let onbekend = referentie::onbekende_gemeenten(conn, &codes)?;
    if onbekend.is_empty() || !referentie::geladen(conn)? {
        return Ok(());
    }
    Err(Fout::Ongeldig(
        velden
            .iter()
            .filter(|(_, c)| onbekend.contains(c))
            .map(|(naam, c)| InvalidParam {
                name: naam.clone(),
                code: "gemeentecode-onbekend".into(),
                reason: format!("`{naam}`: `{c}` is geen bestaande CBS-gemeentecode (zie de gemeentelijst in data/refdata)"),
            })
            .collect(),
    ))
}

/// `controleer_gemeentecodes` for a list field `veld` (`gemeenten[i]`) or, for `veld`
/// `gemeente`, a single filter.
pub fn controleer_gemeenten(
    conn: &mut DbConnection,
    veld: &str,
    codes: &[String],
) -> Result<(), Fout> {
    let velden: Vec<(String, String)> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let naam = if veld == "gemeente" {
                veld.to_string()
            } else {
                format!("{veld}[{i}]")
            };
            (naam, c.clone())
        })
        .collect();
    controleer_gemeentecodes(conn, &velden)
}
