//! Issue 17 point 6: the logs partitioned by month on PostgreSQL. The service makes the
//! partitions ahead (at start and in the retention run; several at once are safe);
//! retention drops a month whole when every row in it is past its term and a prefix of
//! its chains, writing the same checkpoint rows as the row-by-row path, so `audit verify`
//! passes after it; rows in the DEFAULT partition, and a month that is not a prefix, go
//! row by row. On SQLite (no partitions) the same retention runs row by row and gives the
//! same result.

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{Db, TestApp, spawn_met};
use diesel::Connection;
use ketenregie_api::app::Onderdelen;
use ketenregie_common::{Actor, Klok};
use ketenregie_privacy::Context;
use ketenregie_privacy::bewaring::{self, Bewaarbron, Logpartitiebron, Verwerkingslogbron};
use ketenregie_privacy::logboek;
use ketenregie_store::partities;
use std::sync::Arc;

const ORG: &str = "politie-haaglanden";
/// The default term of the processing log (5 years of 365 days).
const TERMIJN: i64 = 5 * 365;

fn op(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Rows dated after the real clock, so their end (`eind_op`, at least the real time) is
/// their start too, and the months are under the test's control.
fn april() -> DateTime<Utc> {
    op("2030-04-10T10:00:00Z")
}

fn mei() -> DateTime<Utc> {
    op("2030-05-10T10:00:00Z")
}

async fn app(db: Db) -> Option<TestApp> {
    let onderdelen = Onderdelen {
        klok: Klok::vast(april()),
        ..Default::default()
    };
    spawn_met(db, "", onderdelen).await
}

fn ctx(app: &TestApp, nu: DateTime<Utc>) -> Context {
    Context {
        actor: Actor {
            gebruiker: "tester".into(),
            weergavenaam: "Tester".into(),
            organisatie: ORG.into(),
            rollen: vec![],
            applicatie: "test".into(),
        },
        trace_id: uuid::Uuid::new_v4().simple().to_string(),
        span_id: uuid::Uuid::new_v4().simple().to_string()[16..].to_string(),
        parent_span_id: None,
        toelichting: None,
        doorbraak: false,
        nu,
        pseudoniemen: Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap()),
        versleuteling: Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap()),
        stamgegevens: Default::default(),
        stempel: None,
        groepslog: Default::default(),
    }
}

/// `n` processing-log rows of `ORG` at `nu`, sealed.
fn schrijf(app: &TestApp, n: usize, nu: DateTime<Utc>) {
    let mut c = app.pool.get().unwrap();
    for _ in 0..n {
        let cx = ctx(app, nu);
        c.transaction::<_, diesel::result::Error, _>(|c| {
            logboek::verwerking(
                c,
                &cx,
                "briefing",
                "test",
                None,
                false,
                &[uuid::Uuid::now_v7()],
                "geslaagd",
            )
        })
        .unwrap();
    }
    app.verzegel();
}

fn maak(app: &TestApp, maand: &str, vooruit: u32) -> Vec<String> {
    let mut c = app.pool.get().unwrap();
    let d = NaiveDate::parse_from_str(maand, "%Y-%m-%d").unwrap();
    partities::maak_vooruit(&mut c, d.and_hms_opt(0, 0, 0).unwrap(), vooruit).unwrap()
}

/// The retention of the service's processing-log sources, in their order.
fn bewaar(app: &TestApp, nu: DateTime<Utc>) -> Vec<(&'static str, usize)> {
    let bronnen: Vec<Arc<dyn Bewaarbron>> =
        vec![Arc::new(Logpartitiebron), Arc::new(Verwerkingslogbron)];
    let mut c = app.pool.get().unwrap();
    let p = Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap());
    let v = Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap());
    bewaring::voer_uit(&mut c, &bronnen, p, v, nu, false)
        .unwrap()
        .per_soort
}

fn bestaat(app: &TestApp, naam: &str) -> bool {
    app.tel(&format!(
        "SELECT count(*) AS n FROM pg_class WHERE relname = '{naam}' AND relnamespace = current_schema()::regnamespace"
    )) == 1
}

fn verifieer(app: &TestApp) {
    let mut c = app.pool.get().unwrap();
    let v = logboek::verifieer(&mut c).unwrap();
    assert!(v.is_ok(), "{v:#?}");
}

fn gewone_rijen(app: &TestApp) -> i64 {
    app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit <> 'bewaring-ijkpunt'")
}

/// April's month goes whole (PostgreSQL: its partition is dropped), May's stays while it
/// is within its term and goes the next time; `audit verify` passes after each, and new
/// rows continue the chain.
async fn maand_gaat_heel_en_verify_blijft_groen(db: Db) {
    let pg = db == Db::Postgres;
    let Some(app) = app(db).await else { return };
    let gemaakt = maak(&app, "2030-04-01", 1);
    if pg {
        assert!(
            gemaakt.contains(&"verwerkingslog_p2030_04".to_string()),
            "{gemaakt:?}"
        );
        assert!(
            gemaakt.contains(&"audittrail_p2030_05".to_string()),
            "{gemaakt:?}"
        );
    } else {
        assert!(gemaakt.is_empty());
    }
    schrijf(&app, 5, april());
    schrijf(&app, 3, mei());
    if pg {
        assert_eq!(
            app.tel("SELECT count(*) AS n FROM verwerkingslog_p2030_04"),
            5
        );
        assert_eq!(
            app.tel("SELECT count(*) AS n FROM verwerkingslog_standaard"),
            0
        );
    }
    verifieer(&app);

    // April is past its term, May not yet.
    let nu = april() + Duration::days(TERMIJN + 15);
    assert_eq!(bewaar(&app, nu), vec![("verwerkingslog", 5)]);
    assert_eq!(gewone_rijen(&app), 3);
    if pg {
        assert!(
            !bestaat(&app, "verwerkingslog_p2030_04"),
            "April's partition dropped"
        );
        assert!(bestaat(&app, "verwerkingslog_p2030_05"));
    }
    verifieer(&app);
    // Once more at the same time: nothing more goes, still whole.
    assert_eq!(bewaar(&app, nu), vec![("verwerkingslog", 0)]);
    verifieer(&app);

    // New rows continue the chain; then May is due too.
    schrijf(&app, 2, op("2030-07-01T08:00:00Z"));
    let later = mei() + Duration::days(TERMIJN + 10);
    assert_eq!(bewaar(&app, later), vec![("verwerkingslog", 3)]);
    assert_eq!(gewone_rijen(&app), 2);
    if pg {
        assert!(
            !bestaat(&app, "verwerkingslog_p2030_05"),
            "May's partition dropped"
        );
    }
    verifieer(&app);
}

/// Rows in the DEFAULT partition (their month had no partition when they were written)
/// go row by row, and so does a month after them (its rows are not a prefix of the
/// chain); the month they are in gets no partition afterwards.
async fn standaardpartitie_rij_voor_rij(db: Db) {
    let pg = db == Db::Postgres;
    let Some(app) = app(db).await else { return };
    schrijf(&app, 2, op("2030-02-15T12:00:00Z"));
    if pg {
        assert_eq!(
            app.tel("SELECT count(*) AS n FROM verwerkingslog_standaard"),
            2
        );
        // February's rows are in DEFAULT: no partition for that month any more.
        assert_eq!(
            maak(&app, "2030-02-01", 0),
            vec!["audittrail_p2030_02".to_string()]
        );
    }
    maak(&app, "2030-04-01", 0);
    schrijf(&app, 3, april());
    let nu = april() + Duration::days(TERMIJN + 15);
    assert_eq!(bewaar(&app, nu), vec![("verwerkingslog", 5)]);
    assert_eq!(gewone_rijen(&app), 0);
    if pg {
        // Not dropped (not a prefix), emptied row by row.
        assert!(bestaat(&app, "verwerkingslog_p2030_04"));
    }
    verifieer(&app);
    schrijf(&app, 1, op("2030-07-01T08:00:00Z"));
    verifieer(&app);
}

/// At start the service made this month's partitions and two ahead; the retention run
/// makes them for its time; several callers at once make each partition once.
async fn partities_vooruit(db: Db) {
    let pg = db == Db::Postgres;
    let Some(app) = app(db).await else { return };
    let nu = ketenregie_common::time::now_utc().date_naive();
    for n in 0..=partities::MAANDEN_VOORUIT {
        let m = partities::maand_plus(nu, n).format("%Y_%m");
        for tabel in ["verwerkingslog", "audittrail"] {
            assert!(
                !pg || bestaat(&app, &format!("{tabel}_p{m}")),
                "{tabel} {m}"
            );
        }
    }
    // Four at once for a month far ahead.
    let draden: Vec<_> = (0..4)
        .map(|_| {
            let pool = app.pool.clone();
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                let d = NaiveDate::from_ymd_opt(2031, 1, 20).unwrap();
                partities::maak_vooruit(&mut c, d.and_hms_opt(0, 0, 0).unwrap(), 2).unwrap()
            })
        })
        .collect();
    for d in draden {
        let gemaakt = d.join().unwrap();
        assert_eq!(gemaakt.len(), if pg { 6 } else { 0 });
    }
    if pg {
        assert_eq!(
            app.tel(
                "SELECT count(*) AS n FROM pg_class WHERE relkind = 'r' AND relname ~ '^verwerkingslog_p2031_[0-9]{2}$'
                 AND relnamespace = current_schema()::regnamespace"
            ),
            3
        );
        // Each with its own unique chain positions.
        assert!(bestaat(&app, "verwerkingslog_p2031_02_keten_volgnummer_uk"));
    }
    // The retention run (the daily job, `ketenregie retention run`) makes them for its time.
    let mut c = app.pool.get().unwrap();
    ketenregie_api::app::bewaring_uitvoeren(
        &mut c,
        &[],
        Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap()),
        Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap()),
        op("2032-06-15T00:00:00Z"),
        false,
    )
    .unwrap();
    drop(c);
    for m in ["2032_06", "2032_07", "2032_08"] {
        assert!(!pg || bestaat(&app, &format!("audittrail_p{m}")), "{m}");
    }
}

op_beide_backends!(
    maand_gaat_heel_en_verify_blijft_groen,
    standaardpartitie_rij_voor_rij,
    partities_vooruit,
);
