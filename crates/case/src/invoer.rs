//! Parsing helpers shared by the case inputs: dates, BSNs, postcodes and municipality
//! codes, each recording a named problem in `Validatie` instead of stopping.

use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_common::{Datumbereik, Validatie, regelcode, validatie::is_gemeentecode};

/// A required date in its plausible range (`Validatie::datum`).
pub fn verplichte_datum(
    v: &mut Validatie,
    naam: &str,
    s: Option<&str>,
    bereik: Datumbereik,
) -> Option<NaiveDate> {
    if s.is_none() {
        v.fout(naam, "required", format!("`{naam}` is verplicht"));
    }
    v.datum(naam, s, bereik)
}

/// A date-time (RFC 3339) of a fact (an incident, a statement, a hearing): not before
/// 1900-01-01 (`regelcode::BEREIK`, `ketenregie_common::validatie::eerste_datum`) and,
/// with `niet_na`, not more than 5 minutes (clock skew) after it (`regelcode::TOEKOMST`).
pub fn tijdstip(
    v: &mut Validatie,
    naam: &str,
    s: Option<&str>,
    niet_na: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let s = s?;
    match ketenregie_common::time::lees_tijdstip(s) {
        Some(t) => {
            let t = t.with_timezone(&Utc);
            let eerste = ketenregie_common::validatie::eerste_datum();
            if t.date_naive() < eerste {
                v.fout(
                    naam,
                    regelcode::BEREIK,
                    format!("`{naam}` is niet aannemelijk: een tijdstip ligt op of na {eerste}"),
                );
                return None;
            }
            if niet_na.is_some_and(|n| t > n + chrono::Duration::minutes(5)) {
                v.fout(
                    naam,
                    regelcode::TOEKOMST,
                    format!("`{naam}` ligt in de toekomst"),
                );
                return None;
            }
            Some(t)
        }
        None => {
            v.fout(
                naam,
                "format",
                format!("`{naam}` is geen tijdstip volgens RFC 3339 (2026-11-27T22:15:00+01:00)"),
            );
            None
        }
    }
}

/// A CBS municipality code: four digits (whether it exists is checked against the loaded
/// reference data inside the transaction).
pub fn gemeentecode(v: &mut Validatie, naam: &str, s: Option<&str>) -> Option<String> {
    let s = s.map(str::trim)?;
    if is_gemeentecode(s) {
        Some(s.to_string())
    } else {
        v.fout(
            naam,
            "pattern",
            format!(
                "`{naam}` is geen CBS-gemeentecode: vier cijfers, zoals 0518 voor 's-Gravenhage"
            ),
        );
        None
    }
}

/// A Dutch postcode, normalised to `1234AB`.
pub fn postcode(v: &mut Validatie, naam: &str, s: Option<&str>) -> Option<String> {
    let s: String = s?.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.to_uppercase();
    let b = s.as_bytes();
    let geldig = b.len() == 6
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[0] != b'0'
        && b[4..].iter().all(u8::is_ascii_uppercase);
    if geldig {
        Some(s)
    } else {
        v.fout(
            naam,
            "pattern",
            format!("`{naam}` is geen postcode zoals 2511AB"),
        );
        None
    }
}

/// The closed-list value of an optional field with a default.
pub fn keuze_of<T: std::str::FromStr + strum::VariantNames>(
    v: &mut Validatie,
    naam: &str,
    s: Option<&str>,
    standaard: T,
) -> Option<T> {
    match s {
        None => Some(standaard),
        Some(_) => v.keuze(naam, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised_and_checked() {
        let mut v = Validatie::new();
        assert_eq!(
            postcode(&mut v, "p", Some("2511 ab")).as_deref(),
            Some("2511AB")
        );
        assert!(postcode(&mut v, "p", Some("0511AB")).is_none());
        assert!(postcode(&mut v, "p", Some("2511A")).is_none());
        assert!(!v.is_leeg());
    }

    #[test]
    fn future_dates_are_named() {
        let mut v = Validatie::new();
        let vandaag = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert!(
            v.datum(
                "geboortedatum",
                Some("2027-01-01"),
                Datumbereik::verleden("een geboortedatum", vandaag)
            )
            .is_none()
        );
        let f = v.afronden(|| ()).unwrap_err();
        assert_eq!(f[0].name, "geboortedatum");
        assert_eq!(f[0].code, regelcode::TOEKOMST);
    }
}
