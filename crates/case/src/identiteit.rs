//! How a person is found without storing anything findable in the clear (DESIGN.md §3):
//! keyed hashes of the BSN, of the normalised name with the date of birth, and of the
//! address (postcode + house number). `betrokkene` is the person's stable pseudonymous
//! identity: derived from the BSN hash when there is a BSN, else from name and date of
//! birth — the same derivation zorgmeldingen use, so a child in a melding and in a family
//! is one identity, and one processing-log subject.

use chrono::NaiveDate;
use ketenregie_common::Bsn;
use ketenregie_privacy::versleuteling::{Versleuteling, naam_sleutel};
use uuid::Uuid;

pub fn bsn_hash(v: &Versleuteling, bsn: &Bsn) -> String {
    v.zoekhash("bsn", bsn.expose())
}

/// The look-up key of a name with a date of birth: a keyed hash of the name key (given
/// names and surname each normalised, rules `NAAM_NORMALISATIE` and `NAAM_GRENZEN`:
/// `naam_sleutel`) and the date; the same text `betrokkene` derives the identity from.
pub fn naam_hash(
    v: &Versleuteling,
    voornamen: &str,
    achternaam: &str,
    geboren: NaiveDate,
) -> String {
    v.zoekhash(
        "naam-geboortedatum",
        &ketenregie_privacy::betrokkene::naam_geboortedatum(
            naam_sleutel(voornamen, achternaam),
            Some(geboren),
        ),
    )
}

/// Rule `ADRES_SLEUTEL_NORMALISATIE`: one address, one look-up key, however the house
/// number is written. The postcode without white space, in capitals (`2511BT`); the house
/// number as the BAG defines it (Catalogus BAG 2018: huisnummer 1-99999, huisletter one
/// letter, huisnummertoevoeging up to 4 letters or digits): its digits without leading
/// zeros, then the addition (huisletter and toevoeging, everything after the digits) in
/// capitals without white space or hyphens. "12 A", "12A", "12a", "12-A" and "012A" are
/// one key; "12 1" (number 12, addition 1) stays apart from "121" (the number ends where
/// the digits end, and the key keeps a separator there). Before (stop 36, the outside
/// testers' fourth round) the house number was only trimmed and lowercased, so "12 A"
/// stored was not found by "12A", nor "7" by "07".
pub const ADRES_SLEUTEL_NORMALISATIE: &str = "adres-sleutel-normalisatie";

/// The version mark in front of every address key made by `adres_hash`: a stored key
/// without it was made by the old normalisation, and is made again at start-up
/// (`personen::herbereken_adressleutels`).
pub const ADRES_SLEUTEL_VERSIE: &str = "a2:";

/// The house number as `ADRES_SLEUTEL_NORMALISATIE` writes it in the key:
/// `<digits without leading zeros>|<ADDITION>`.
pub fn huisnummer_sleutel(huisnummer: &str) -> String {
    let h = huisnummer.trim();
    let eind = h.find(|c: char| !c.is_ascii_digit()).unwrap_or(h.len());
    let (cijfers, rest) = h.split_at(eind);
    let nummer = match cijfers.trim_start_matches('0') {
        "" if !cijfers.is_empty() => "0",
        n => n,
    };
    let toevoeging: String = rest
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}'))
        .flat_map(char::to_uppercase)
        .collect();
    format!("{nummer}|{toevoeging}")
}

/// The look-up key of an address (`ADRES_SLEUTEL_NORMALISATIE`): the one place it is made,
/// for storing a person and for the briefing's search alike.
pub fn adres_hash(v: &Versleuteling, postcode: &str, huisnummer: &str) -> String {
    let postcode: String = postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    format!(
        "{ADRES_SLEUTEL_VERSIE}{}",
        v.zoekhash(
            "adres",
            &format!("{postcode}|{}", huisnummer_sleutel(huisnummer)),
        )
    )
}

/// The key the old normalisation made (before `ADRES_SLEUTEL_NORMALISATIE`), for the
/// tests of the start-up step that replaces them.
#[doc(hidden)]
pub fn oude_adres_hash(v: &Versleuteling, postcode: &str, huisnummer: &str) -> String {
    v.zoekhash(
        "adres",
        &format!("{postcode}|{}", huisnummer.trim().to_lowercase()),
    )
}

pub fn betrokkene(
    v: &Versleuteling,
    bsn: Option<&Bsn>,
    voornamen: &str,
    achternaam: &str,
    geboren: NaiveDate,
) -> Uuid {
    ketenregie_privacy::betrokkene::betrokkene(
        v,
        bsn.map(Bsn::expose),
        voornamen,
        achternaam,
        Some(geboren),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_however_the_house_number_is_written() {
        let v = Versleuteling::new(&[7u8; 32]);
        let k = adres_hash(&v, "2511BT", "12 A");
        for h in ["12A", "12a", "12-A", "012A", " 12 a ", "12 - a"] {
            assert_eq!(adres_hash(&v, "2511BT", h), k, "{h}");
        }
        assert_eq!(adres_hash(&v, "2511 bt", "12a"), k);
        assert_eq!(
            adres_hash(&v, "2511BT", "07"),
            adres_hash(&v, "2511BT", "7")
        );
        // Additions still tell homes apart; a number ends where its digits end.
        assert_ne!(adres_hash(&v, "2511BT", "12B"), k);
        assert_ne!(adres_hash(&v, "2511BT", "12"), k);
        assert_ne!(
            adres_hash(&v, "2511BT", "12 1"),
            adres_hash(&v, "2511BT", "121")
        );
        assert_eq!(
            adres_hash(&v, "2511BT", "12-1"),
            adres_hash(&v, "2511BT", "12 1")
        );
        assert_eq!(huisnummer_sleutel("12 bis"), "12|BIS");
        assert_eq!(huisnummer_sleutel("0"), "0|");
        assert!(k.starts_with(ADRES_SLEUTEL_VERSIE));
        assert_ne!(k, oude_adres_hash(&v, "2511BT", "12 A"));
    }

    #[test]
    fn identity_ignores_case_and_diacritics_but_not_the_birth_date() {
        let v = Versleuteling::new(&[7u8; 32]);
        let d = NaiveDate::from_ymd_opt(2015, 3, 1).unwrap();
        assert_eq!(
            naam_hash(&v, "Zoë", "de Vries", d),
            naam_hash(&v, "zoe", "De Vries", d)
        );
        assert_ne!(
            naam_hash(&v, "Zoë", "de Vries", d),
            naam_hash(&v, "Zoë", "de Vries", d.succ_opt().unwrap())
        );
        // Issue 14 finding 9: composed, decomposed and bare forms are one person.
        let d2 = NaiveDate::from_ymd_opt(2014, 2, 2).unwrap();
        let samengesteld = naam_hash(&v, "Emre", "Do\u{011F}an", d2);
        assert_eq!(samengesteld, naam_hash(&v, "Emre", "Dog\u{0306}an", d2));
        assert_eq!(samengesteld, naam_hash(&v, "emre", "DOGAN", d2));
        assert_eq!(
            betrokkene(&v, None, "Emre", "Do\u{011F}an", d2),
            betrokkene(&v, None, "Emre", "Dog\u{0306}an", d2)
        );
        assert_eq!(
            naam_hash(&v, "Ivan", "S\u{030C}aric\u{0301}", d2),
            naam_hash(&v, "Ivan", "\u{0160}ari\u{0107}", d2)
        );
        assert_eq!(
            naam_hash(&v, "Piet", "van der Berg", d2),
            naam_hash(&v, "Piet", "Van Der Berg", d2)
        );
        // NAAM_GRENZEN (finding F3, Dec 2026): the boundary between given names and
        // surname is part of the key: Eva Nooij is not Evan Ooij.
        let d3 = NaiveDate::from_ymd_opt(2015, 3, 3).unwrap();
        assert_ne!(
            naam_hash(&v, "Eva", "Nooij", d3),
            naam_hash(&v, "Evan", "Ooij", d3)
        );
        assert_ne!(
            betrokkene(&v, None, "Eva", "Nooij", d3),
            betrokkene(&v, None, "Evan", "Ooij", d3)
        );
        let bsn = Bsn::parse("111222333").unwrap();
        assert_eq!(
            betrokkene(&v, Some(&bsn), "A", "B", d),
            betrokkene(&v, Some(&bsn), "Other", "Name", d),
            "with a BSN the identity is the BSN's"
        );
    }
}
