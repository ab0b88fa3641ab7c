//! The vocabulary of the privacy rules (DOMAIN.md §4, DESIGN.md §4 and §6): purposes
//! (doelen), data categories, actions and confidentiality levels. Agreements, decisions
//! and both logs speak in these terms.

use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, IntoStaticStr, VariantArray, VariantNames};

/// The purpose of a processing (doelbinding): the closed list agreements may name.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    IntoStaticStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Doel {
    Zorgmelding,
    Veiligheidsbeoordeling,
    Terugkoppeling,
    Briefing,
    StrafrechtelijkeBeoordeling,
    Coordinatie,
    Inzage,
    KwaliteitEnVerantwoording,
}

/// A category of (personal) data. Every field the service stores belongs to one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    IntoStaticStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Gegevenscategorie {
    Identificatie,
    Bsn,
    Contactgegevens,
    Gezinssituatie,
    GezagEnOmgang,
    Politiegegevens,
    StrafrechtelijkeGegevens,
    Gezondheid,
    Hulpverlening,
    MelderIdentiteit,
}

/// What is done with the data.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    IntoStaticStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Actie {
    Lezen,
    Aanmaken,
    Wijzigen,
}

/// Confidentiality level of a record, lowest first (DESIGN.md §4). Lists filter silently
/// to what the caller may see; a direct read above it is a 403 and is logged.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    IntoStaticStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Vertrouwelijkheid {
    Openbaar,
    BeperktOpenbaar,
    Intern,
    Zaakvertrouwelijk,
    Vertrouwelijk,
    Confidentieel,
    Geheim,
    ZeerGeheim,
}

impl Vertrouwelijkheid {
    /// The default for case records: shared with partners on a need-to-know basis.
    pub const STANDAARD: Vertrouwelijkheid = Vertrouwelijkheid::Zaakvertrouwelijk;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered() {
        assert!(Vertrouwelijkheid::Openbaar < Vertrouwelijkheid::Intern);
        assert!(Vertrouwelijkheid::Geheim < Vertrouwelijkheid::ZeerGeheim);
        assert_eq!(Vertrouwelijkheid::ZeerGeheim.as_ref(), "zeer-geheim");
        assert_eq!(
            Doel::KwaliteitEnVerantwoording.as_ref(),
            "kwaliteit-en-verantwoording"
        );
        assert_eq!(Gegevenscategorie::GezagEnOmgang.as_ref(), "gezag-en-omgang");
    }
}
