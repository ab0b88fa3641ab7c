//! Terms counted in months (rule `TERMIJN_IN_MAANDEN`), the one way every term of the
//! registry that is stated in months or years is counted: a court order's longest
//! duration (OTS, voorlopige OTS, UHP), the UHP's lapse when unused, the Verwijsindex
//! signal's two years.
//!
//! Regulation (EEC, Euratom) No 1182/71 art. 3 lid 2 sub c, and the same reading of BW
//! 1:258 lid 1 ("voor ten hoogste een jaar"): a term of N months that takes effect on day
//! D ("met ingang van") runs up to and including the day before the same date N months
//! later; when that date does not exist in the last month (31 January plus one month,
//! 29 February plus a year), the term ends at the end of the last day of that month.
//! So an OTS from 31 January for one month is in force up to and including 28 February
//! (29 February in a leap year), not 27 February as adding months with the day clamped
//! and then going back a day would give.
//!
//! A term counted in days (the huisverbod's 10 and 28 days) does not use this.

use chrono::{Datelike, Months, NaiveDate};

/// The last day in force (inclusive) of a term of `maanden` months that takes effect on
/// `van` (`TERMIJN_IN_MAANDEN`): the day before the same date `maanden` months later, or,
/// when that date does not exist in that month, the last day of that month. Beyond the
/// calendar's end: `NaiveDate::MAX`.
pub fn laatste_dag_na_maanden(van: NaiveDate, maanden: u32) -> NaiveDate {
    // chrono's month arithmetic keeps the date, or clamps it to the month's last day when
    // the month lacks it: the clamped day is itself the term's last day, an unclamped one
    // the first day after it.
    match van.checked_add_months(Months::new(maanden)) {
        None => NaiveDate::MAX,
        Some(zelfde) if zelfde.day() == van.day() => zelfde.pred_opt().unwrap_or(zelfde),
        Some(laatste_van_maand) => laatste_van_maand,
    }
}

/// The first day after a term of `maanden` months that took effect on `van`
/// (`TERMIJN_IN_MAANDEN`): the day after `laatste_dag_na_maanden`, on which the term is
/// over (a UHP unused by then has lapsed on it).
pub fn eerste_dag_na(van: NaiveDate, maanden: u32) -> NaiveDate {
    let l = laatste_dag_na_maanden(van, maanden);
    l.succ_opt().unwrap_or(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn laatste(van: &str, n: u32) -> String {
        laatste_dag_na_maanden(d(van), n).to_string()
    }

    #[test]
    fn the_day_before_the_same_date() {
        assert_eq!(laatste("2026-01-01", 12), "2026-12-31");
        assert_eq!(laatste("2026-09-01", 3), "2026-11-30");
        assert_eq!(laatste("2026-01-15", 1), "2026-02-14");
        assert_eq!(laatste("2026-03-01", 1), "2026-03-31");
        assert_eq!(laatste("2026-06-10", 24), "2028-06-09");
        assert_eq!(laatste("2026-06-10", 0), "2026-06-09");
    }

    #[test]
    fn a_date_the_last_month_lacks_ends_at_its_last_day() {
        // 31 January plus one month: 31 February does not exist.
        assert_eq!(laatste("2026-01-31", 1), "2026-02-28");
        assert_eq!(laatste("2028-01-31", 1), "2028-02-29");
        // 30 and 29 January, in a year without and with 29 February.
        assert_eq!(laatste("2026-01-30", 1), "2026-02-28");
        assert_eq!(laatste("2026-01-29", 1), "2026-02-28");
        assert_eq!(laatste("2028-01-30", 1), "2028-02-29");
        assert_eq!(laatste("2028-01-29", 1), "2028-02-28");
        assert_eq!(laatste("2026-01-28", 1), "2026-02-27");
        // A voorlopige OTS from 30 November for three months.
        assert_eq!(laatste("2025-11-30", 3), "2026-02-28");
        assert_eq!(laatste("2027-11-30", 3), "2028-02-29");
        assert_eq!(laatste("2027-11-29", 3), "2028-02-28");
        // 31 March plus three months: 31 June does not exist.
        assert_eq!(laatste("2026-03-31", 3), "2026-06-30");
        // 29 February plus a year: the next year has no 29 February.
        assert_eq!(laatste("2028-02-29", 12), "2029-02-28");
        assert_eq!(laatste("2028-02-29", 48), "2032-02-28");
        assert_eq!(laatste("2028-02-28", 12), "2029-02-27");
        // 31 December plus two months.
        assert_eq!(laatste("2026-12-31", 2), "2027-02-28");
    }

    #[test]
    fn the_first_day_after() {
        assert_eq!(eerste_dag_na(d("2026-01-31"), 1), d("2026-03-01"));
        assert_eq!(eerste_dag_na(d("2028-01-31"), 1), d("2028-03-01"));
        assert_eq!(eerste_dag_na(d("2026-06-01"), 3), d("2026-09-01"));
        assert_eq!(eerste_dag_na(d("2026-05-31"), 3), d("2026-08-31"));
        assert_eq!(eerste_dag_na(d("2026-03-31"), 3), d("2026-07-01"));
        assert_eq!(eerste_dag_na(d("2028-02-29"), 12), d("2029-03-01"));
        assert_eq!(eerste_dag_na(d("2025-11-30"), 3), d("2026-03-01"));
    }

    #[test]
    fn the_calendar_end() {
        assert_eq!(laatste_dag_na_maanden(NaiveDate::MAX, 12), NaiveDate::MAX);
    }
}
