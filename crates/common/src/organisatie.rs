//! The kinds of partner organisation and the legal regime their data fall under
//! (DOMAIN.md §4 "Parties and legal regimes").

use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, IntoStaticStr, VariantArray, VariantNames};

/// The kind of a partner organisation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
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
pub enum OrganisatieSoort {
    Politie,
    Om,
    VeiligThuis,
    Jeugdzorg,
    GecertificeerdeInstelling,
    Rvdk,
    Wijkteam,
    Gemeente,
}

/// The statute under which an organisation processes personal data. Police data fall
/// under the Wpg, OM data under the Wjsg, Veilig Thuis under the Wmo 2015, youth care
/// under the Jeugdwet; everything else under the AVG.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
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
pub enum Rechtsregime {
    Wpg,
    Wjsg,
    #[serde(rename = "wmo-2015")]
    #[strum(serialize = "wmo-2015")]
    Wmo2015,
    Jeugdwet,
    Avg,
}

impl OrganisatieSoort {
    /// The regime an organisation of this kind usually works under; a default, the
    /// organisation record states the real one.
    pub fn gebruikelijk_regime(self) -> Rechtsregime {
        match self {
            OrganisatieSoort::Politie => Rechtsregime::Wpg,
            OrganisatieSoort::Om => Rechtsregime::Wjsg,
            OrganisatieSoort::VeiligThuis => Rechtsregime::Wmo2015,
            OrganisatieSoort::Jeugdzorg
            | OrganisatieSoort::GecertificeerdeInstelling
            | OrganisatieSoort::Rvdk => Rechtsregime::Jeugdwet,
            OrganisatieSoort::Wijkteam | OrganisatieSoort::Gemeente => Rechtsregime::Avg,
        }
    }
}

/// The key two organisation names are compared on for `NAAM_UNIEK` (the outside test of
/// 30 Nov 2026: a wijkteam renamed itself "Politie eenheid Den Haag"): Unicode NFC
/// (UAX #15), lower case, without whitespace and without the invisible format characters
/// a look-alike hides behind (zero-width characters, bidirectional controls such as
/// U+202E, the soft hyphen, the byte order mark). Stored beside the name
/// (`organisaties.naam_sleutel`, UNIQUE), so the database refuses a second organisation
/// with the same key however the writes interleave.
pub fn naamsleutel(naam: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let onzichtbaar = |c: char| {
        matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    };
    let klein: String = naam
        .nfc()
        .filter(|c| !c.is_whitespace() && !onzichtbaar(*c))
        .flat_map(char::to_lowercase)
        .collect();
    klein.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn text_forms_agree() {
        // strum (database, errors) and serde (JSON) must spell every value the same way.
        for s in <OrganisatieSoort as VariantArray>::VARIANTS {
            assert_eq!(s.as_ref().parse::<OrganisatieSoort>(), Ok(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
        for r in <Rechtsregime as VariantArray>::VARIANTS {
            assert_eq!(serde_json::to_string(r).unwrap(), format!("\"{r}\""));
        }
        assert_eq!(Rechtsregime::Wmo2015.as_ref(), "wmo-2015");
        assert_eq!(OrganisatieSoort::VeiligThuis.as_ref(), "veilig-thuis");
        assert!("veilig_thuis".parse::<OrganisatieSoort>().is_err());
    }
}
