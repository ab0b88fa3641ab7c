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
        .map(kleinkapitaal_als_letter)
        .map(|c| if c == 'l' { 'i' } else { c })
        .nfc()
        .collect()
}

/// Step 3 of `naamsleutel` for the small capitals (the outside test of 2 Dec 2026:
/// "Den H\u{1D00}\u{1D00}g", and a Cyrillic "н", whose TR39 prototype is the small capital
/// "ʜ", were new names): TR39 keeps a small capital apart from its letter, and it has no
/// lower-case mapping, but in a name it reads as that letter. The Latin small capitals of
/// the Unicode charts IPA Extensions (U+0250–U+02AF), Phonetic Extensions (U+1D00–U+1D7F)
/// and Latin Extended-D (U+A720–U+A7FF), and the kra (U+0138, the prototype of Cyrillic
/// "к" and Greek "κ"), as the small letter they show.
fn kleinkapitaal_als_letter(c: char) -> char {
    match c {
        '\u{1D00}' => 'a',
        '\u{0299}' => 'b',
        '\u{1D04}' => 'c',
        '\u{1D05}' => 'd',
        '\u{1D07}' => 'e',
        '\u{A730}' => 'f',
        '\u{0262}' => 'g',
        '\u{029C}' => 'h',
        '\u{026A}' => 'i',
        '\u{1D0A}' => 'j',
        '\u{1D0B}' | '\u{0138}' => 'k',
        '\u{029F}' => 'l',
        '\u{1D0D}' => 'm',
        '\u{0274}' => 'n',
        '\u{1D0F}' => 'o',
        '\u{1D18}' => 'p',
        '\u{A7AF}' => 'q',
        '\u{0280}' => 'r',
        '\u{A731}' => 's',
        '\u{1D1B}' => 't',
        '\u{1D1C}' => 'u',
        '\u{1D20}' => 'v',
        '\u{1D21}' => 'w',
        '\u{028F}' => 'y',
        '\u{1D22}' => 'z',
        anders => anders,
    }
}

/// `NAAM_LEESBAAR` (the outside test of 2 Dec 2026: "Politie eenheid Den H\u{1D00}\u{1D00}g"
/// in small capitals, "Den Haag👮" and "Den Haag №" were accepted beside "Politie eenheid
/// Den Haag"): an organisation name is for reading, in lists, matches and reports. Each
/// character of it (in NFC, UAX #15, so a decomposed accent is its letter) is
/// - a letter, digit or mark whose Identifier_Status is Allowed in the General Security
///   Profile of Unicode TR39 §3.1 (`GeneralSecurityProfile::identifier_allowed`): no small
///   capitals, modifier or phonetic letters (Identifier_Type Technical, Uncommon_Use,
///   Obsolete, Exclusion), no symbols or emoji (Not_XID: "№", "👮", "™"), no invisible or
///   default-ignorable characters;
/// - the space U+0020; or
/// - ordinary punctuation of a name (`LEESTEKENS`: `- ' ’ ‘ . , & ( ) / : ; + " “ ” ! ?`
///   and the en dash),
///
/// and its letters are at least Highly Restrictive (TR39 §5.2): of one script, or Latin
/// with Han and Japanese kana, with Han and Bopomofo, or with Han and Hangul. A name mixing
/// Latin and Cyrillic or Greek letters ("Den н\u{0430}\u{0430}g") is a look-alike, not a
/// name. The problems, in Dutch, for the field's reason; the characters are not repeated
/// (README "Invalid input": never the value sent). `naamsleutel` still compares what
/// passes: a name written wholly in another script's look-alikes has one script.
pub fn naam_leesbaar(naam: &str) -> Result<(), String> {
    use unicode_normalization::UnicodeNormalization;
    use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};
    let nfc: String = naam.nfc().collect();
    let letters: String = nfc
        .chars()
        .filter(|c| *c != ' ' && !LEESTEKENS.contains(c))
        .collect();
    if !letters.chars().all(|c| c.identifier_allowed()) {
        return Err(format!(
            "een naam bestaat uit letters, cijfers, spaties en gewone leestekens ({}); geen symbolen, emoji, kleinkapitalen, onzichtbare of andere bijzondere tekens (regel {NAAM_LEESBAAR}, Unicode TR39 §3.1)",
            LEESTEKENS.iter().collect::<String>()
        ));
    }
    if letters.as_str().detect_restriction_level() > RestrictionLevel::HighlyRestrictive {
        return Err(format!(
            "een naam mengt geen schriften, zoals Latijnse met Cyrillische of Griekse letters (regel {NAAM_LEESBAAR}, Unicode TR39 §5.2)"
        ));
    }
    Ok(())
}

/// The rule of `naam_leesbaar`.
pub const NAAM_LEESBAAR: &str = "NAAM_LEESBAAR";

/// The punctuation a name may hold (`naam_leesbaar`), besides the space.
pub const LEESTEKENS: &[char] = &[
    '-', '\u{2013}', '\'', '\u{2019}', '\u{2018}', '.', ',', '&', '(', ')', '/', ':', ';', '+',
    '"', '\u{201C}', '\u{201D}', '!', '?',
];

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

    /// `NAAM_LEESBAAR` and the small capitals of `naamsleutel` (the outside test of
    /// 2 Dec 2026).
    #[test]
    fn leesbare_namen() {
        for naam in [
            "Politie eenheid Den Haag",
            "Veilig Thuis Fryslân",
            "Wijkteam 's-Hertogenbosch (Noord)",
            "GGD Hollands-Midden / Leiden",
            "Jeugdbescherming Noord & Oost",
            "Wijkteam Caf\u{00E9}",
            "Wijkteam Cafe\u{0301}",
            "Wijkteam Zuid 2",
            "Полиция",
        ] {
            assert_eq!(naam_leesbaar(naam), Ok(()), "{naam:?}");
        }
        for naam in [
            "Politie eenheid Den H\u{1D00}\u{1D00}g",
            "Politie eenheid D\u{1D07}n Haag",
            "Politie eenheid Den \u{043D}\u{0430}\u{0430}g",
            "Politie eenheid Den Haag\u{1F46E}",
            "Politie eenheid Den Haag \u{2116}",
            "Politie eenheid Den Haag\u{2122}",
            "Politie eenheid Den Haag\u{00A0}",
            "Politie eenheid Den Haag\u{FE0F}",
            "Politie\u{200B} eenheid",
            "Politie\teenheid",
            "P\u{043E}litie eenheid Den Haag",
            "Politie eenheid Den \u{0397}aag",
            "\u{FF30}olitie",
            "Politie $ eenheid",
        ] {
            assert!(naam_leesbaar(naam).is_err(), "{naam:?}");
        }
        // The key: small capitals, and Cyrillic letters whose prototype is one, as the
        // letter they show.
        let k = naamsleutel("Politie eenheid Den Haag");
        assert_eq!(naamsleutel("Politie eenheid Den H\u{1D00}\u{1D00}g"), k);
        assert_eq!(naamsleutel("Politie eenheid D\u{1D07}n Haag"), k);
        assert_eq!(
            naamsleutel("Politie eenheid Den \u{043D}\u{0430}\u{0430}g"),
            k
        );
        assert_eq!(
            naamsleutel(
                "\u{1D18}\u{1D0F}\u{029F}\u{026A}\u{1D1B}\u{026A}\u{1D07} eenheid Den Haag"
            ),
            k
        );
        assert_ne!(naamsleutel("Wijkteam Noord"), naamsleutel("Wijkteam Zuid"));
    }
}
