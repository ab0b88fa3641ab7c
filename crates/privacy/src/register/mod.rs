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

use ketenregie_common::Fout;
use ketenregie_store::{DbConnection, referentie};

/// `GEMEENTECODE_BESTAAT` ([`referentie::bestaande_gemeenten`], the one check) for a list
/// field `veld` (`gemeenten[i]`) or, for `veld` `gemeente`, a single filter.
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
    referentie::bestaande_gemeenten(conn, &velden)
}
