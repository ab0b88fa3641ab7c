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

/// The key two organisation names are compared on for `NAAM_UNIEK` (the outside tests of
/// 30 Nov 2026: a wijkteam renamed itself "Politie eenheid Den Haag", then look-alikes of
/// it with an invisible U+FE0F or U+034F, a Cyrillic "о", or other punctuation). Two names
/// have one key when a reader cannot tell them apart:
/// 1. Unicode NFKC (UAX #15): compatibility forms (full-width letters, ligatures) as the
///    letters they show;
/// 2. the confusable skeleton of Unicode TR39 §4 (`unicode_security::skeleton`), which also
///    removes every Default_Ignorable_Code_Point (zero-width characters, bidirectional
///    controls such as U+202E, variation selectors, the combining grapheme joiner, the soft
///    hyphen); taken of the name as written (a Greek capital Eta is an H) and again of its
///    small letters (a Cyrillic "о" is an o; "m" is "rn"), so the key is without case for
///    every letter whose capital and small forms look like the same Latin letter;
/// 3. small letters, and the capital I, the small l and the digit 1 as one letter (without
///    case "I" is "i", to the eye it is "l");
/// 4. without whitespace, punctuation (general category P), other separators (Z) and
///    control, format and unassigned characters (C), nor the blank braille pattern U+2800;
/// 5. without marks (general category M, after NFD: accents, a dot above an `i`, one-pixel
///    rings and dots below) and modifier symbols and letters (Sk, Lm: ´ ˙ ¸ ˌ ʼ): a mark
///    is easy to miss or invisible in a name shown in a list, so "Fryslân" and "Fryslan"
///    are one name to this rule (the retest of 1 Dec 2026: U+0307 after an `i`, U+0323,
///    U+20D8, U+00B4 each made a "new" name). Steps 4 and 5 are applied before the
///    skeleton too, which may map a punctuation mark to a letter (U+3002 to a small o);
/// 6. NFC again, so the stored key has one form.
///
/// Skeletons rather than refusing mixed-script names (TR39 §5): the question is whether a
/// name looks like another organisation's, which is what equal skeletons define; a
/// mixed-script rule would still pass a name written wholly in look-alike letters of one
/// other script, and would refuse names that harm no one. Stored beside the name
/// (`organisaties.naam_sleutel`, UNIQUE), so the database refuses a second organisation
/// with the same key however the writes interleave; keys stored under an earlier version
/// of this function are recomputed at start (`store::directory::vul_naamsleutels`).
pub fn naamsleutel(naam: &str) -> String {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    use unicode_normalization::UnicodeNormalization;
    use unicode_security::skeleton;
    let klein = |s: &str| -> String { s.chars().flat_map(char::to_lowercase).collect() };
    let zichtbaar = |c: &char| {
        !c.is_whitespace()
            && *c != '\u{2800}'
            && !matches!(
                get_general_category(*c),
                G::NonspacingMark
                    | G::SpacingMark
                    | G::EnclosingMark
                    | G::ModifierSymbol
                    | G::ModifierLetter
                    | G::ConnectorPunctuation
                    | G::DashPunctuation
                    | G::OpenPunctuation
                    | G::ClosePunctuation
                    | G::InitialPunctuation
                    | G::FinalPunctuation
                    | G::OtherPunctuation
                    | G::SpaceSeparator
                    | G::LineSeparator
                    | G::ParagraphSeparator
                    | G::Control
                    | G::Format
                    | G::Unassigned
                    | G::PrivateUse
                    | G::Surrogate
            )
    };
    let samengevouwen: String = naam.nfkc().nfd().filter(zichtbaar).collect();
    let skelet =
        klein(&skeleton(&klein(&skeleton(&samengevouwen).collect::<String>())).collect::<String>());
    skelet
        .nfd()
        .filter(zichtbaar)
        .map(|c| if c == 'l' { 'i' } else { c })
        .nfc()
        .collect()
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
