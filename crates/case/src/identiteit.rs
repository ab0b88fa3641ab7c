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

/// `postcode` normalised (`2511AB`); the house number as given, trimmed and lowercased
/// ("12a" and "12 A" differ on purpose: additions distinguish homes).
pub fn adres_hash(v: &Versleuteling, postcode: &str, huisnummer: &str) -> String {
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
