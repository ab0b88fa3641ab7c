//! Time: always UTC, truncated to microseconds, because PostgreSQL keeps microseconds and
//! SQLite would keep nanoseconds; a value must read back equal on both backends.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// Now, in UTC, at microsecond precision.
pub fn now_utc() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The naive UTC form the database columns hold.
pub fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(6).naive_utc()
}

/// Back from a database column.
pub fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// The one reading of a date the API takes (`format: date`): exactly `JJJJ-MM-DD`, RFC 3339
/// §5.6 `full-date`, and a day that exists. Nothing else: no white space around it, no sign
/// or extra year digits (`+2015-05-04`), no month or day of one digit (`2016-5-4`), which
/// chrono's `parse_from_str` lets through (the outside tester's finding of Dec 2026:
/// `PUT /sluitingsdagen/2026-12-3` changed 3 December). Used for every date of a body, a
/// path and a query (`Validatie::datum`, `Validatie::opzoekdatum`, the query check of
/// `api::openapi`).
pub fn lees_datum(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    let vorm = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !vorm {
        return None;
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The one reading of a moment the API takes (`format: date-time`): RFC 3339 §5.6
/// `date-time` exactly, `JJJJ-MM-DDTHH:MM:SS`, an optional fraction, then `Z` or an offset
/// `+HH:MM`/`-HH:MM` (`T` and `Z` in either case, as RFC 3339 allows). Not a space for the
/// `T`, not a time without its offset, not white space around it (chrono's
/// `parse_from_rfc3339` takes a space separator). Used for every moment of a body and a
/// query (`strikt_tijdstip_optie` for the fields serde reads, the query check of
/// `api::openapi`, the case inputs' `invoer::tijdstip`).
pub fn lees_tijdstip(s: &str) -> Option<DateTime<chrono::FixedOffset>> {
    let b = s.as_bytes();
    if b.len() < 20 || lees_datum(s.get(..10)?).is_none() || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let cijfers = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(cijfers(11..13) && b[13] == b':' && cijfers(14..16) && b[16] == b':' && cijfers(17..19)) {
        return None;
    }
    let mut i = 19;
    if b[i] == b'.' {
        let begin = i + 1;
        i = begin;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == begin {
            return None;
        }
    }
    let zone = &b[i..];
    let zone_goed = matches!(zone, [b'Z' | b'z'])
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[1..3].iter().all(u8::is_ascii_digit)
            && zone[3] == b':'
            && zone[4..6].iter().all(u8::is_ascii_digit));
    if !zone_goed {
        return None;
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(schrikkelseconde_binnen_de_minuut)
}

/// SCHRIKKELSECONDE_BINNEN_DE_MINUUT: a leap second (`23:59:60`, RFC 3339 §5.7) is taken
/// as the last instant of the second before it (`23:59:59.999999999`). chrono keeps it
/// as a nanosecond past 10^9 and writes it back as `:60`, which most clients cannot read
/// (Python's `datetime` refuses it; outside tester, round three), and SQLite's text would
/// sort it apart from its neighbours. No leap second has been inserted since 2016 and the
/// CGPM decided in 2022 (Resolution 4) to stop inserting them, so nothing real is lost;
/// the document still allows any RFC 3339 `date-time`, so the moment is kept, not refused.
fn schrikkelseconde_binnen_de_minuut(
    t: DateTime<chrono::FixedOffset>,
) -> DateTime<chrono::FixedOffset> {
    use chrono::Timelike;
    if t.nanosecond() >= 1_000_000_000 {
        t.with_nanosecond(999_999_999).unwrap_or(t)
    } else {
        t
    }
}

/// TIJDSTIP_IN_OPSLAGBEREIK: a moment the API takes as a filter is compared with the
/// moments the database holds, and SQLite holds them as text (`YYYY-MM-DD HH:MM:SS`), which
/// compares as time only for four-digit years. A valid RFC 3339 `date-time` can land
/// outside that in UTC (`9999-12-31T23:59:59-23:59` is 10000-01-01T23:58:59Z, and
/// `10000-...` sorts before `2026-...`: the outside tester's finding F6 of Dec 2026, "changed
/// since year 10000" matched everything). No stored moment lies outside year 0000..9999,
/// so a moment past either end is taken as that end: every comparison with a stored
/// moment keeps its answer (after year 10000: nothing; before it: everything), on both
/// backends. Applied wherever a request's moment is read (`strikt_tijdstip_optie`, the
/// query readers that call `lees_tijdstip` themselves).
pub fn in_opslagbereik(t: DateTime<Utc>) -> DateTime<Utc> {
    let eerste = chrono::NaiveDate::from_ymd_opt(0, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    let laatste = chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_micro_opt(23, 59, 59, 999_999))
        .map(|d| d.and_utc());
    match (eerste, laatste) {
        (Some(e), _) if t < e => e,
        (_, Some(l)) if t > l => l,
        _ => t,
    }
}

/// serde `deserialize_with` for an optional moment of a request (`Option<DateTime<Utc>>`,
/// with `#[serde(default)]`): read by `lees_tijdstip`, so a body or a query takes exactly
/// what the document's `format: date-time` says (serde's own reading of a `DateTime` is
/// chrono's relaxed one).
pub fn strikt_tijdstip_optie<'de, D>(d: D) -> Result<Option<DateTime<Utc>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    let s: Option<String> = Option::deserialize(d)?;
    match s {
        None => Ok(None),
        Some(s) => lees_tijdstip(&s)
            .map(|t| Some(in_opslagbereik(t.with_timezone(&Utc))))
            .ok_or_else(|| {
                serde::de::Error::custom(
                    "geen tijdstip volgens RFC 3339 (2026-11-27T22:15:00+01:00)",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only `JJJJ-MM-DD` (RFC 3339 `full-date`) is a date.
    #[test]
    fn a_date_is_exactly_full_date() {
        assert!(lees_datum("2016-05-04").is_some());
        assert!(lees_datum("0000-01-01").is_some());
        for fout in [
            "2016-5-4",
            "+2015-5-4 ",
            "+2015-05-04",
            "2016-05-04 ",
            " 2016-05-04",
            "2026-12-3",
            "2026-02-30",
            "20160504",
            "2016/05/04",
            "",
        ] {
            assert!(lees_datum(fout).is_none(), "{fout:?}");
        }
    }

    /// Only RFC 3339 `date-time` is a moment: `T`, seconds and an offset.
    #[test]
    fn a_moment_is_exactly_date_time() {
        for goed in [
            "2026-11-27T22:15:00+01:00",
            "2026-11-27t22:15:00z",
            "2026-11-27T22:15:00.123456Z",
            "2026-11-27T22:15:00-00:00",
        ] {
            assert!(lees_tijdstip(goed).is_some(), "{goed:?}");
        }
        for fout in [
            "2026-11-27 22:15:00Z",
            "2026-11-27T22:15:00",
            "2026-11-27T22:15Z",
            "2026-11-27T22:15:00Z ",
            " 2026-11-27T22:15:00Z",
            "2026-11-27T22:15:00+0100",
            "2026-11-27T22:15:00.Z",
            "2026-11-27T25:15:00Z",
            "2026-5-4T22:15:00Z",
        ] {
            assert!(lees_tijdstip(fout).is_none(), "{fout:?}");
        }
    }

    /// TIJDSTIP_IN_OPSLAGBEREIK: a moment past year 9999 (or before year 0) in UTC is
    /// taken as the end of the range, whose text form sorts as time.
    #[test]
    fn a_moment_outside_four_digit_years_is_taken_as_the_end() {
        let utc = |s: &str| in_opslagbereik(lees_tijdstip(s).unwrap().with_timezone(&Utc));
        let laatste = utc("9999-12-31T23:59:59-23:59");
        assert_eq!(to_db(laatste).to_string(), "9999-12-31 23:59:59.999999");
        assert_eq!(utc("9999-12-31T12:00:00-12:00"), laatste);
        let eerste = utc("0000-01-01T00:00:00+01:00");
        assert_eq!(to_db(eerste).to_string(), "0000-01-01 00:00:00");
        let gewoon = utc("2026-11-27T22:15:00+01:00");
        assert_eq!(gewoon.to_rfc3339(), "2026-11-27T21:15:00+00:00");
        assert!(to_db(laatste).to_string() > to_db(gewoon).to_string());
    }

    /// SCHRIKKELSECONDE_BINNEN_DE_MINUUT: a leap second is the last instant of the second
    /// before it, written back as a moment every client reads.
    #[test]
    fn a_leap_second_is_the_end_of_the_second_before() {
        let t = lees_tijdstip("2026-11-30T23:59:60Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "2026-11-30T23:59:59.999999999Z"
        );
        assert_eq!(to_db(t).to_string(), "2026-11-30 23:59:59.999999");
        assert!(t < lees_tijdstip("2026-12-01T00:00:00Z").unwrap());
        let met_zone = lees_tijdstip("2027-01-01T00:59:60.5+01:00").unwrap();
        assert_eq!(met_zone.to_rfc3339(), "2027-01-01T00:59:59.999999999+01:00");
    }
}
