//! Dutch days and hours. Feedback deadlines are counted in working days (DOMAIN.md §3:
//! receipt within 1, triage within 5), and every day a user gives or reads is a Dutch
//! calendar day: all of it is computed in `Europe/Amsterdam` with the IANA time-zone
//! database (`chrono-tz`), so summer time starts and ends where the law says (last
//! Sunday of March 01:00 UTC, last Sunday of October 01:00 UTC: Directive 2000/84/EC,
//! Zomertijdbesluit 2001), never by a hand-written offset.
//!
//! Which days are not working days is data: a named calendar (`Kalendernaam`) plus an
//! organisation's own closed days (`Kalender::eigen_sluitingsdagen`, stored per
//! organisation in `sluitingsdagen`).
//!
//! The default calendar, `Kalendernaam::AlgemeneTermijnenwet`, is the one Dutch law uses
//! for statutory terms, Algemene termijnenwet (Atw, Stb. 1964, 314):
//! - art. 1 lid 1: a term does not end on a Saturday, a Sunday or a generally recognised
//!   holiday, so those are never working days;
//! - art. 3 lid 1: the generally recognised holidays are Nieuwjaarsdag, tweede Paasdag,
//!   tweede Pinksterdag, both Christmas days, Hemelvaartsdag, the day the King's birthday
//!   is celebrated (Koningsdag: 27 April, or the 26th when the 27th is a Sunday) and
//!   **5 May, every year**;
//! - art. 3 lid 2: **Goede Vrijdag** is equated with them.
//! - art. 3 lid 3: the Crown may equate further days (bridge days, published in the
//!   Staatscourant for a few years at a time). These are not computed here: enter them as
//!   closed days where they apply.
//!
//! `Kalendernaam::CaoLustrum` is the collective-agreement variant many employers use for
//! days off (and this service used before): 5 May only in lustrum years (2025, 2030, ...)
//! and Goede Vrijdag a working day. An agreement (convenant) can name it for its feedback
//! terms; statutory terms use the default.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// The Dutch time zone (CET/CEST).
pub const NL: Tz = chrono_tz::Europe::Amsterdam;

/// The Dutch calendar day of instant `t` (what a Dutch user calls "today" at `t`).
pub fn nl_datum(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&NL).date_naive()
}

/// The instant a Dutch local date-time denotes. A time that does not exist (the hour
/// skipped when summer time starts) is read as the same wall time after the jump (02:30
/// becomes 03:30 CEST); a time that occurs twice (the hour repeated in October) is its
/// first occurrence.
pub fn nl_tijdstip(lokaal: NaiveDateTime) -> DateTime<Utc> {
    match NL.from_local_datetime(&lokaal) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(eerst, _) => eerst.with_timezone(&Utc),
        LocalResult::None => {
            // The gap is one hour in the Netherlands.
            nl_tijdstip(lokaal + Duration::hours(1))
        }
    }
}

/// The instant Dutch day `d` begins (00:00 local time). Use it for periods given as days:
/// `[begin_van_dag(van), begin_van_dag(tot))`.
pub fn begin_van_dag(d: NaiveDate) -> DateTime<Utc> {
    nl_tijdstip(d.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// Which national calendar decides the non-working days. Small on purpose: an agreement
/// (convenant) carries one of these names (`"algemene-termijnenwet"`, `"cao-lustrum"`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::AsRefStr,
    strum::Display,
    strum::EnumIter,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Kalendernaam {
    /// Algemene termijnenwet art. 1 and 3: weekends, the art. 3 lid 1 holidays with 5 May
    /// every year, and Goede Vrijdag (art. 3 lid 2). The default for statutory terms.
    #[default]
    AlgemeneTermijnenwet,
    /// The collective-agreement variant: 5 May only in lustrum years, Goede Vrijdag a
    /// working day; the other holidays as the Atw.
    CaoLustrum,
}

impl Kalendernaam {
    /// Is this the default (the Algemene termijnenwet)? An agreement's content leaves the
    /// default out of its serialisation, so the content hash of agreements signed before
    /// agreements named a calendar stays the same.
    pub fn is_standaard(&self) -> bool {
        *self == Self::default()
    }
}

/// A working-day calendar: a named national calendar plus an organisation's own closed
/// days.
#[derive(Debug, Clone, Default)]
pub struct Kalender {
    pub naam: Kalendernaam,
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

/// Koningsdag: 27 April, moved to the 26th when the 27th is a Sunday (Besluit van 23
/// december 2013, Stb. 2013, 570, replacing Koninginnedag 30 April from 2014).
pub fn koningsdag(jaar: i32) -> NaiveDate {
    let d = NaiveDate::from_ymd_opt(jaar, 4, 27).expect("valid");
    if d.weekday() == Weekday::Sun {
        d - Duration::days(1)
    } else {
        d
    }
}

/// The national holidays of `jaar` under calendar `naam`, sorted, with their Dutch names.
/// Weekends are not listed (they are never working days).
pub fn feestdagen(jaar: i32, naam: Kalendernaam) -> Vec<(NaiveDate, &'static str)> {
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
    match naam {
        Kalendernaam::AlgemeneTermijnenwet => {
            v.push((ymd(5, 5), "Bevrijdingsdag"));
            v.push((p - Duration::days(2), "Goede Vrijdag"));
        }
        Kalendernaam::CaoLustrum => {
            if jaar % 5 == 0 {
                v.push((ymd(5, 5), "Bevrijdingsdag"));
            }
        }
    }
    v.sort();
    v
}

/// `TERMIJN_BEGINT_OP_WERKDAG`: a term in working days that starts at a moment outside
/// working days (a Saturday, Sunday, holiday of the calendar or the receiver's closed day,
/// in Dutch local time) starts at 00:00 of the next working day, so it ends at the end of
/// its n-th whole working day. DOMAIN.md §3 flows 2 and 3 ("receipt acknowledged within 1
/// working day, triage outcome within 5 [working days] after receipt"): the receiver gets
/// that many working days. Keeping the arrival's wall-clock time would give a melding sent
/// at 00:05 on a Saturday a receipt due at 00:05 on Monday, before any working time and
/// earlier than one sent on the Friday before (hc finding F9). Used by every working-day
/// deadline (`Kalender::plus_werkdagen`, `Kalender::plus_weken`).
pub const TERMIJN_BEGINT_OP_WERKDAG: &str = "TERMIJN_BEGINT_OP_WERKDAG";

/// `TERMIJN_IN_WEKEN_EINDIGT_OP_WERKDAG`: a term in weeks (the default final outcome of
/// DOMAIN.md §3 flow 3, "within 10 weeks", the sector norm's calendar weeks) is counted in
/// calendar weeks, not as 5 working days per week (holidays and closed days would stretch
/// it). Algemene termijnenwet art. 1 lid 1: a term that would end on a Saturday, Sunday or
/// holiday is extended to the next working day; here the receiver's closed days count as
/// well, and the rest of `TERMIJN_BEGINT_OP_WERKDAG` applies (a start outside working
/// days counts from the start of the next working day).
pub const TERMIJN_IN_WEKEN_EINDIGT_OP_WERKDAG: &str = "TERMIJN_IN_WEKEN_EINDIGT_OP_WERKDAG";

impl Kalender {
    /// The national calendar `naam` without closed days of its own.
    pub fn nationaal(naam: Kalendernaam) -> Self {
        Self {
            naam,
            eigen_sluitingsdagen: BTreeSet::new(),
        }
    }

    /// Whether Dutch day `d` is a working day: not a Saturday or Sunday, not a holiday of
    /// this calendar, not one of the organisation's closed days.
    pub fn is_werkdag(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.eigen_sluitingsdagen.contains(&d)
            && !feestdagen(d.year(), self.naam).iter().any(|(f, _)| *f == d)
    }

    /// The moment `n` working days after `van`: the same Dutch wall-clock time on the n-th
    /// working day after `van`'s Dutch date ("within one working day" of a melding sent
    /// on Tuesday 14:00 is Wednesday 14:00, in summer and winter time alike). Days are
    /// judged in Dutch local time, so a melding received at 23:30 on a Friday counts from
    /// that Friday. A moment on a day that is not a working day (a weekend, holiday or
    /// closed day, judged in Dutch local time: 00:30 on a Saturday is Saturday) counts from
    /// the start of the next working day (`TERMIJN_BEGINT_OP_WERKDAG`).
    pub fn plus_werkdagen(&self, van: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        // From 00:00 of a working day, n working days end at 00:00 of the n-th working
        // day after it: the end of the n-th whole working day.
        let begin = self.begin_termijn(van);
        nl_tijdstip(self.werkdag_na(begin.date(), n).and_time(begin.time()))
    }

    /// `TERMIJN_BEGINT_OP_WERKDAG`: the Dutch local moment a term sent at `van` starts
    /// from: `van` itself on a working day, else 00:00 of the next working day.
    fn begin_termijn(&self, van: DateTime<Utc>) -> chrono::NaiveDateTime {
        let lokaal = van.with_timezone(&NL).naive_local();
        if self.is_werkdag(lokaal.date()) {
            lokaal
        } else {
            self.werkdag_na(lokaal.date(), 1)
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
        }
    }

    /// The moment `n` calendar weeks after `van` (`TERMIJN_IN_WEKEN_EINDIGT_OP_WERKDAG`):
    /// the same Dutch wall-clock time 7·n days on, moved to the next working day (same
    /// time) when that day is not one. A start outside working days counts from 00:00 of
    /// the next working day (`TERMIJN_BEGINT_OP_WERKDAG`).
    pub fn plus_weken(&self, van: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let begin = self.begin_termijn(van);
        let mut dag = begin.date() + Duration::weeks(i64::from(n));
        if !self.is_werkdag(dag) {
            dag = self.werkdag_na(dag, 1);
        }
        nl_tijdstip(dag.and_time(begin.time()))
    }

    /// The n-th working day after Dutch day `d` (`d` itself for `n` = 0).
    pub fn werkdag_na(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut dag = d;
        let mut over = n;
        while over > 0 {
            dag += Duration::days(1);
            if self.is_werkdag(dag) {
                over -= 1;
            }
        }
        dag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// The last Sunday of `maand` in `jaar`.
    fn laatste_zondag(jaar: i32, maand: u32) -> NaiveDate {
        let mut x = d(jaar, maand + 1, 1) - Duration::days(1);
        while x.weekday() != Weekday::Sun {
            x -= Duration::days(1);
        }
        x
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
    fn atw_feestdagen_2025_tot_2030() {
        let k = Kalender::default();
        assert_eq!(k.naam, Kalendernaam::AlgemeneTermijnenwet);
        for jaar in 2025..=2030 {
            let p = pasen(jaar);
            for f in [
                d(jaar, 1, 1),
                p - Duration::days(2),
                p + Duration::days(1),
                koningsdag(jaar),
                d(jaar, 5, 5),
                p + Duration::days(39),
                p + Duration::days(50),
                d(jaar, 12, 25),
                d(jaar, 12, 26),
            ] {
                assert!(!k.is_werkdag(f), "{f} is a holiday under the Atw");
            }
            assert_eq!(feestdagen(jaar, k.naam).len(), 9);
        }
        // Hemelvaart 2026: Thursday 14 May; Whit Monday 25 May.
        assert!(!k.is_werkdag(d(2026, 5, 14)));
        assert!(!k.is_werkdag(d(2026, 5, 25)));
        assert!(k.is_werkdag(d(2026, 5, 15)));
    }

    #[test]
    fn vijf_mei_elk_jaar_onder_de_atw_en_per_lustrum_onder_de_cao() {
        let atw = Kalender::default();
        let cao = Kalender::nationaal(Kalendernaam::CaoLustrum);
        for jaar in 2025..=2035 {
            let vijf_mei = d(jaar, 5, 5);
            let weekend = matches!(vijf_mei.weekday(), Weekday::Sat | Weekday::Sun);
            assert!(!atw.is_werkdag(vijf_mei), "Atw art. 3 lid 1: 5 May {jaar}");
            assert_eq!(
                cao.is_werkdag(vijf_mei),
                jaar % 5 != 0 && !weekend,
                "collective agreement: 5 May {jaar}"
            );
            // Good Friday: art. 3 lid 2 Atw; a working day under the agreement variant.
            let goede_vrijdag = pasen(jaar) - Duration::days(2);
            assert!(!atw.is_werkdag(goede_vrijdag));
            assert!(cao.is_werkdag(goede_vrijdag));
        }
    }

    #[test]
    fn kalendernamen_als_tekst() {
        assert_eq!(
            Kalendernaam::AlgemeneTermijnenwet.as_ref(),
            "algemene-termijnenwet"
        );
        assert_eq!(
            "cao-lustrum".parse::<Kalendernaam>().unwrap(),
            Kalendernaam::CaoLustrum
        );
        assert_eq!(
            serde_json::to_value(Kalendernaam::CaoLustrum).unwrap(),
            "cao-lustrum"
        );
    }

    /// Finding 11: sent Tuesday 4 May 2027. Wednesday 5 May is a holiday (Atw), Thursday
    /// 6 May is Ascension Day: receipt is due Friday 7 May, the triage outcome Thursday 13.
    #[test]
    fn bevindingen_vijf_mei_2027() {
        let k = Kalender::default();
        let verzonden = utc("2027-05-04T10:00:00Z"); // 12:00 CEST
        assert_eq!(k.plus_werkdagen(verzonden, 1), utc("2027-05-07T10:00:00Z"));
        assert_eq!(k.plus_werkdagen(verzonden, 5), utc("2027-05-13T10:00:00Z"));
        // The collective-agreement variant gives what the product gave before.
        let cao = Kalender::nationaal(Kalendernaam::CaoLustrum);
        assert_eq!(nl_datum(cao.plus_werkdagen(verzonden, 1)), d(2027, 5, 5));
        assert_eq!(nl_datum(cao.plus_werkdagen(verzonden, 5)), d(2027, 5, 12));
    }

    /// Finding 10: sent 2027-03-27T23:51Z = Sunday 28 March 00:51 CET, the night clocks
    /// go forward (and Easter Sunday). Monday 29 is Easter Monday; the term starts on the
    /// next working day, Tuesday 30 March (`TERMIJN_BEGINT_OP_WERKDAG`), so one working
    /// day ends at its end: Wednesday 31 March 00:00 CEST = 2027-03-30T22:00Z.
    #[test]
    fn bevinding_zomertijd_2027() {
        let k = Kalender::default();
        assert_eq!(
            k.plus_werkdagen(utc("2027-03-27T23:51:00Z"), 1),
            utc("2027-03-30T22:00:00Z")
        );
    }

    /// hc finding F9 (`TERMIJN_BEGINT_OP_WERKDAG`): VT closed on 31 December 2026. A
    /// melding sent Thursday 24 December 10:03 CET is due Monday 28 10:03 (receipt) and
    /// Tuesday 5 January 10:03 (triage). One sent later, Saturday 26 December 00:05 CET,
    /// counts from Monday 28 00:00: receipt at the end of Monday 28, triage at the end of
    /// Tuesday 5 January - never before the earlier melding.
    #[test]
    fn hc_f9_weekend_telt_vanaf_volgende_werkdag() {
        let mut k = Kalender::default();
        k.eigen_sluitingsdagen.insert(d(2026, 12, 31));
        let donderdag = utc("2026-12-24T09:03:00Z");
        let zaterdag = utc("2026-12-25T23:05:00Z");
        assert_eq!(k.plus_werkdagen(donderdag, 1), utc("2026-12-28T09:03:00Z"));
        assert_eq!(k.plus_werkdagen(donderdag, 5), utc("2027-01-05T09:03:00Z"));
        assert_eq!(k.plus_werkdagen(zaterdag, 1), utc("2026-12-28T23:00:00Z"));
        assert_eq!(k.plus_werkdagen(zaterdag, 5), utc("2027-01-05T23:00:00Z"));
        // A closed day and a holiday are outside working time too: sent on 31 December
        // (closed) or 1 January (holiday), the term starts Monday 4 January.
        for t in ["2026-12-31T10:00:00Z", "2027-01-01T10:00:00Z"] {
            assert_eq!(k.plus_werkdagen(utc(t), 1), utc("2027-01-04T23:00:00Z"));
        }
        // Later sent, never earlier due, across the whole week.
        let mut vorige = k.plus_werkdagen(donderdag, 1);
        for uur in 1..(24 * 14) {
            let t = donderdag + Duration::hours(uur);
            let due = k.plus_werkdagen(t, 1);
            assert!(due >= vorige, "{t}: {due} before {vorige}");
            vorige = due;
        }
    }

    /// hc finding F7 (`TERMIJN_IN_WEKEN_EINDIGT_OP_WERKDAG`): ten calendar weeks, not 50
    /// working days; a term ending on a holiday moves to the next working day.
    #[test]
    fn hc_f7_tien_weken_in_kalenderweken() {
        let mut k = Kalender::default();
        k.eigen_sluitingsdagen.insert(d(2026, 12, 31));
        // Thursday 24 December 2026 10:03 CET: Thursday 4 March 2027 10:03 CET.
        assert_eq!(
            k.plus_weken(utc("2026-12-24T09:03:00Z"), 10),
            utc("2027-03-04T09:03:00Z")
        );
        // Wednesday 2 December 2026 (the README tour): Wednesday 10 February 2027.
        assert_eq!(
            nl_datum(k.plus_weken(utc("2026-12-02T10:00:00Z"), 10)),
            d(2027, 2, 10)
        );
        // Tuesday 16 February 2027 12:00 CET: ten weeks on is Koningsdag (Tuesday 27
        // April): Wednesday 28 April 12:00 CEST.
        assert_eq!(
            k.plus_weken(utc("2027-02-16T11:00:00Z"), 10),
            utc("2027-04-28T10:00:00Z")
        );
        // Saturday 26 December 00:05: from Monday 28 December 00:00, ten weeks: Monday
        // 8 March 2027 00:00 CET.
        assert_eq!(
            k.plus_weken(utc("2026-12-25T23:05:00Z"), 10),
            utc("2027-03-07T23:00:00Z")
        );
    }

    /// Both clock changes of every year 2026-2030: a melding sent on the Friday before at
    /// 14:00 local time is due on Monday at 14:00 local time, whatever the offset became;
    /// one sent on the Sunday of the change counts from the start of the next working day.
    #[test]
    fn beide_klokwisselingen_2026_tot_2030() {
        let k = Kalender::nationaal(Kalendernaam::CaoLustrum);
        for jaar in 2026..=2030 {
            for (maand, voor, na) in [(3u32, 1i64, 2i64), (10, 2, 1)] {
                let zondag = laatste_zondag(jaar, maand);
                // The switch itself: 01:00 UTC.
                let wissel = zondag.and_hms_opt(1, 0, 0).unwrap().and_utc();
                let offset = |t: DateTime<Utc>| {
                    (t.with_timezone(&NL).naive_local() - t.naive_utc()).num_hours()
                };
                assert_eq!(offset(wissel - Duration::seconds(1)), voor, "{zondag}");
                assert_eq!(offset(wissel), na, "{zondag}");
                // Friday 14:00 local before the change -> the next working day (Monday,
                // or Tuesday after Easter Monday 2027) 14:00 local after it.
                let vrijdag = zondag - Duration::days(2);
                let volgende = k.werkdag_na(vrijdag, 1);
                assert!(volgende > zondag);
                let verzonden =
                    (vrijdag.and_hms_opt(14, 0, 0).unwrap() - Duration::hours(voor)).and_utc();
                let due = k.plus_werkdagen(verzonden, 1);
                assert_eq!(
                    due,
                    (volgende.and_hms_opt(14, 0, 0).unwrap() - Duration::hours(na)).and_utc(),
                    "{jaar}-{maand}"
                );
                assert_eq!(
                    due - verzonden,
                    Duration::days((volgende - vrijdag).num_days()) + Duration::hours(voor - na)
                );
                // Late on Saturday UTC but already Sunday in the Netherlands.
                let zaterdagnacht =
                    (zondag.and_hms_opt(0, 30, 0).unwrap() - Duration::hours(voor)).and_utc();
                assert_eq!(nl_datum(zaterdagnacht), zondag);
                // TERMIJN_BEGINT_OP_WERKDAG: Sunday is no working day, so the term runs
                // from 00:00 on the next working day and ends at the end of it.
                assert_eq!(
                    k.plus_werkdagen(zaterdagnacht, 1),
                    begin_van_dag(k.werkdag_na(volgende, 1))
                );
            }
        }
    }

    #[test]
    fn lokale_tijd_in_het_gat_en_de_herhaling() {
        // 28 March 2027: 02:00-03:00 does not exist.
        let gat = d(2027, 3, 28).and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(nl_tijdstip(gat), utc("2027-03-28T01:30:00Z"));
        // 31 October 2027: 02:30 happens twice; the first (CEST) counts.
        let dubbel = d(2027, 10, 31).and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(nl_tijdstip(dubbel), utc("2027-10-31T00:30:00Z"));
        assert_eq!(begin_van_dag(d(2027, 7, 1)), utc("2027-06-30T22:00:00Z"));
        assert_eq!(begin_van_dag(d(2027, 1, 1)), utc("2026-12-31T23:00:00Z"));
    }

    #[test]
    fn termijn_over_pasen() {
        // Received Thursday 2 April 2026 (before Easter) 10:00 local (08:00 UTC, CEST).
        let k = Kalender::default();
        let ontvangen = utc("2026-04-02T08:00:00Z");
        // 1 working day: Good Friday 3 April (Atw art. 3 lid 2) and Easter Monday skipped.
        assert_eq!(k.plus_werkdagen(ontvangen, 1), utc("2026-04-07T08:00:00Z"));
        // 5 working days: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.
        assert_eq!(k.plus_werkdagen(ontvangen, 5), utc("2026-04-13T08:00:00Z"));
    }

    #[test]
    fn eigen_sluitingsdag_en_weekend() {
        let mut k = Kalender::default();
        k.eigen_sluitingsdagen.insert(d(2026, 12, 24));
        // Wednesday 23 Dec 2026, 5 working days: Thu 24 closed, Fri 25 + Sat/Sun, Mon 28...
        let van = utc("2026-12-23T12:00:00Z");
        assert_eq!(nl_datum(k.plus_werkdagen(van, 1)), d(2026, 12, 28));
        assert_eq!(nl_datum(k.plus_werkdagen(van, 5)), d(2027, 1, 4));
    }
}
