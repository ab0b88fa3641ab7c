//! Dates and times as a Dutch reader writes them (issue 15 point 6: "17 november 2026 om
//! 19:00", never ISO and never UTC shown as if local): in the Europe/Amsterdam time zone
//! of the IANA database (`chrono-tz`), so 18:00 UTC in November reads 19:00 and in July
//! 20:00.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "4 mei 2016".
pub fn datum(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MAANDEN[d.month0() as usize], d.year())
}

/// "17 november 2026 om 19:00", in Dutch time.
pub fn datum_tijd(t: DateTime<Utc>) -> String {
    let nl = t.with_timezone(&chrono_tz::Europe::Amsterdam);
    format!(
        "{} om {:02}:{:02}",
        datum(nl.date_naive()),
        nl.hour(),
        nl.minute()
    )
}

/// A JSON value that is a date (`JJJJ-MM-DD`) or a moment (RFC 3339), in Dutch; `None`
/// for any other text.
pub fn uit_tekst(s: &str) -> Option<String> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(datum(d));
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| datum_tijd(t.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nederlandse_tijd_in_winter_en_zomer() {
        let winter = "2026-11-17T18:00:36.524198Z".parse().unwrap();
        assert_eq!(datum_tijd(winter), "17 november 2026 om 19:00");
        let zomer = "2026-07-01T18:05:00Z".parse().unwrap();
        assert_eq!(datum_tijd(zomer), "1 juli 2026 om 20:05");
        // Just after midnight in the Netherlands is still the day before in UTC.
        let nacht = "2026-03-02T23:30:00Z".parse().unwrap();
        assert_eq!(datum_tijd(nacht), "3 maart 2026 om 00:30");
    }

    #[test]
    fn datums_en_andere_tekst() {
        assert_eq!(uit_tekst("2016-05-04").as_deref(), Some("4 mei 2016"));
        assert_eq!(
            uit_tekst("2026-01-10T08:00:00+00:00").as_deref(),
            Some("10 januari 2026 om 09:00")
        );
        assert_eq!(uit_tekst("Hij kwam niet."), None);
        assert_eq!(uit_tekst("2511AA"), None);
    }
}
