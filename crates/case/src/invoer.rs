//! Parsing helpers shared by the case inputs: dates, BSNs, postcodes and municipality
//! codes, each recording a named problem in `Validatie` instead of stopping.

use chrono::{DateTime, NaiveDate, Utc};
use ketenregie_common::{
    Datumbereik, Fout, InvalidParam, Validatie, regelcode, validatie::is_gemeentecode,
};

/// One use case's rules in two phases as one answer (README "Invalid input: 400 or 422":
/// the rules "collect every problem"). `eerste` is the check of the body alone
/// (`valideer`: no data read), `naslag` what the look-ups found on what could be read of
/// it (a reference to nothing, a person who is no child of the family, an age on a
/// date). Before, the look-ups ran only when the first phase found nothing, so a body with
/// a problem of each kind named only the first kind (the outside test of 2 Dec 2026).
pub fn samen<T>(eerste: Result<T, Fout>, naslag: Vec<InvalidParam>) -> Result<T, Fout> {
    match eerste {
        Ok(t) if naslag.is_empty() => Ok(t),
        Ok(_) => Err(Fout::Ongeldig(naslag)),
        Err(Fout::Ongeldig(mut f)) => {
            for p in naslag {
                if !f.iter().any(|x| x.name == p.name && x.code == p.code) {
                    f.push(p);
                }
            }
            Err(Fout::Ongeldig(f))
        }
        Err(e) => Err(e),
    }
}

/// A look-up's answer as problems: its `Fout::Ongeldig` problems, or nothing; another
/// refusal (not found, no access, the database) stays an error.
pub fn problemen<T>(r: Result<T, Fout>) -> Result<Vec<InvalidParam>, Fout> {
    match r {
        Ok(_) => Ok(Vec::new()),
        Err(Fout::Ongeldig(f)) => Ok(f),
        Err(e) => Err(e),
    }
}

/// The refusal of a look-up the second phase needs (the family or the child itself: an
/// unknown id, another's record) when the body was refused already: the body's problems
/// answer, as they did before the look-up was made (they read no data, so they reveal
/// nothing); otherwise the look-up's refusal.
pub fn eerst_de_body<T>(eerste: &Result<T, Fout>, e: Fout) -> Fout {
    match eerste {
        Err(Fout::Ongeldig(f)) => Fout::Ongeldig(f.clone()),
        _ => e,
    }
}

/// A date as the body sent it, read without judging it (the first phase names a bad
/// one): for the look-ups of the second phase, which skip what does not read.
pub fn datum_zoals_gestuurd(s: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s?, "%Y-%m-%d").ok()
}

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
