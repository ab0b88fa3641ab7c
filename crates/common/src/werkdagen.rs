//! Working days in the Netherlands: feedback deadlines are counted in working days
//! (DOMAIN.md §3: receipt within 1, triage within 5), which skip weekends, the national
//! public holidays and an organisation's own closed days.
//!
//! Public holidays computed here: Nieuwjaarsdag, Tweede Paasdag, Koningsdag (27 April, or
//! 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May: configurable, since many
//! employers give it off only in lustrum years), Hemelvaartsdag, Tweede Pinksterdag, Eerste
//! and Tweede Kerstdag. Goede Vrijdag is not a general day off and counts as a working day.

use chrono::TimeZone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use std::collections::BTreeSet;

/// Whether 5 May counts as a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bevrijdingsdag {
    /// Every year.
    Jaarlijks,
    /// Only in lustrum years (2025, 2030, ...), as many collective agreements say.
    #[default]
    Lustrum,
    /// Never.
    Nooit,
}

/// A working-day calendar: national holidays plus an organisation's own closed days.
#[derive(Debug, Clone, Default)]
pub struct Kalender {
    pub bevrijdingsdag: Bevrijdingsdag,
    pub eigen_sluitingsdagen: BTreeSet<NaiveDate>,
}

/// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn pasen(jaar: i32) -> NaiveDate {
    let a = jaar % 19;
    let b = jaar / 100;
    let c = jaar % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let maand = (h + l - 7 * m + 114) / 31;
    let dag = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(jaar, maand as u32, dag as u32).expect("computus gives a valid date")
}

/// Koningsdag: 27 April, moved to the 26th when the 27th is a Sunday.
pub fn koningsdag(jaar: i32) -> NaiveDate {
    let d = NaiveDate::from_ymd_opt(jaar, 4, 27).expect("valid");
    if d.weekday() == Weekday::Sun {
        d - Duration::days(1)
    } else {
        d
    }
}

/// The national public holidays of `jaar` under this calendar's Bevrijdingsdag choice.
pub fn feestdagen(jaar: i32, bevrijdingsdag: Bevrijdingsdag) -> Vec<(NaiveDate, &'static str)> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(jaar, m, d).expect("valid");
    let p = pasen(jaar);
    let mut v = vec![
        (ymd(1, 1), "Nieuwjaarsdag"),
        (p + Duration::days(1), "Tweede Paasdag"),
        (koningsdag(jaar), "Koningsdag"),
        (p + Duration::days(39), "Hemelvaartsdag"),
        (p + Duration::days(50), "Tweede Pinksterdag"),
        (ymd(12, 25), "Eerste Kerstdag"),
        (ymd(12, 26), "Tweede Kerstdag"),
    ];
    let bevrijding = match bevrijdingsdag {
        Bevrijdingsdag::Jaarlijks => true,
        Bevrijdingsdag::Lustrum => jaar % 5 == 0,
        Bevrijdingsdag::Nooit => false,
    };
    if bevrijding {
        v.push((ymd(5, 5), "Bevrijdingsdag"));
    }
    v.sort();
    v
}

impl Kalender {
    pub fn is_werkdag(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.eigen_sluitingsdagen.contains(&d)
            && !feestdagen(d.year(), self.bevrijdingsdag)
                .iter()
                .any(|(f, _)| *f == d)
    }

    /// The moment `n` working days after `van`: the same time of day on the n-th working
    /// day after `van`'s (Dutch) date. Days are judged in Dutch local time, so a melding
    /// received at 23:30 on a Friday counts from that Friday.
    pub fn plus_werkdagen(&self, van: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let lokaal = van.with_timezone(&nl_tijd(van));
        let mut dag = lokaal.date_naive();
        let mut over = n;
        while over > 0 {
            dag += Duration::days(1);
            if self.is_werkdag(dag) {
                over -= 1;
            }
        }
        let doel = dag.and_time(lokaal.time());
        let offset = nl_offset(doel);
        (chrono::FixedOffset::east_opt(offset).expect("valid offset"))
            .from_local_datetime(&doel)
            .single()
            .expect("fixed offsets are unambiguous")
            .with_timezone(&Utc)
    }
}

/// The Dutch UTC offset in seconds at a local date-time: CEST (+2) from the last Sunday of
/// March to the last Sunday of October, else CET (+1). (Switch hour ignored: deadlines are
/// not set at 02:00-03:00 on those two nights.)
fn nl_offset(lokaal: chrono::NaiveDateTime) -> i32 {
    let jaar = lokaal.year();
    let laatste_zondag = |maand: u32| {
        let mut d = NaiveDate::from_ymd_opt(jaar, maand + 1, 1).expect("valid") - Duration::days(1);
        while d.weekday() != Weekday::Sun {
            d -= Duration::days(1);
        }
        d
    };
    let d = lokaal.date();
    if d >= laatste_zondag(3) && d < laatste_zondag(10) {
        2 * 3600
    } else {
        3600
    }
}

fn nl_tijd(t: DateTime<Utc>) -> chrono::FixedOffset {
    let guess = t.naive_utc() + Duration::hours(1);
    chrono::FixedOffset::east_opt(nl_offset(guess)).expect("valid offset")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn pasen_2025_tot_2030() {
        assert_eq!(pasen(2025), d(2025, 4, 20));
        assert_eq!(pasen(2026), d(2026, 4, 5));
        assert_eq!(pasen(2027), d(2027, 3, 28));
        assert_eq!(pasen(2028), d(2028, 4, 16));
        assert_eq!(pasen(2029), d(2029, 4, 1));
        assert_eq!(pasen(2030), d(2030, 4, 21));
    }

    #[test]
    fn koningsdag_op_zondag_schuift_naar_zaterdag() {
        // 27 April 2025 was a Sunday: Koningsdag on Saturday the 26th.
        assert_eq!(koningsdag(2025), d(2025, 4, 26));
        assert_eq!(koningsdag(2026), d(2026, 4, 27));
        // 27 April 2031 is a Sunday too.
        assert_eq!(koningsdag(2031), d(2031, 4, 26));
    }

    #[test]
    fn feestdagen_2025_tot_2030() {
        let k = Kalender::default();
        for jaar in 2025..=2030 {
            let p = pasen(jaar);
            for f in [
                d(jaar, 1, 1),
                p + Duration::days(1),
                p + Duration::days(39),
                p + Duration::days(50),
                d(jaar, 12, 25),
                d(jaar, 12, 26),
            ] {
                if !matches!(f.weekday(), Weekday::Sat | Weekday::Sun) {
                    assert!(!k.is_werkdag(f), "{f} is a holiday");
                }
            }
            // Good Friday is a working day.
            assert!(k.is_werkdag(p - Duration::days(2)), "Goede Vrijdag {jaar}");
        }
        // Hemelvaart 2026: Thursday 14 May; Whit Monday 25 May.
        assert!(!k.is_werkdag(d(2026, 5, 14)));
        assert!(!k.is_werkdag(d(2026, 5, 25)));
        // Liberation Day: lustrum only by default.
        assert!(!k.is_werkdag(d(2025, 5, 5)));
        assert!(k.is_werkdag(d(2026, 5, 5)));
        let jaarlijks = Kalender {
            bevrijdingsdag: Bevrijdingsdag::Jaarlijks,
            ..Default::default()
        };
        assert!(!jaarlijks.is_werkdag(d(2026, 5, 5)));
    }

    #[test]
    fn termijn_over_pasen() {
        // Received Thursday 2 April 2026 (before Easter) 10:00 local (08:00 UTC, CEST).
        let k = Kalender::default();
        let ontvangen = Utc.with_ymd_and_hms(2026, 4, 2, 8, 0, 0).unwrap();
        // 1 working day: Good Friday 3 April.
        assert_eq!(
            k.plus_werkdagen(ontvangen, 1),
            Utc.with_ymd_and_hms(2026, 4, 3, 8, 0, 0).unwrap()
        );
        // 5 working days: Fri 3, (Mon 6 Easter Monday skipped) Tue 7, Wed 8, Thu 9, Fri 10.
        assert_eq!(
            k.plus_werkdagen(ontvangen, 5),
            Utc.with_ymd_and_hms(2026, 4, 10, 8, 0, 0).unwrap()
        );
    }

    #[test]
    fn eigen_sluitingsdag_en_weekend() {
        let mut k = Kalender::default();
        k.eigen_sluitingsdagen.insert(d(2026, 12, 24));
        // Wednesday 23 Dec 2026, 5 working days: Thu 24 closed, Fri 25 + Sat/Sun, Mon 28...
        let van = Utc.with_ymd_and_hms(2026, 12, 23, 12, 0, 0).unwrap();
        assert_eq!(k.plus_werkdagen(van, 1).date_naive(), d(2026, 12, 28));
        assert_eq!(k.plus_werkdagen(van, 5).date_naive(), d(2027, 1, 4));
    }
}
