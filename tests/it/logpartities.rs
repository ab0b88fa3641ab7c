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

/// One processing-log row of `ORG`, unsealed, that started at `start` and ended at `eind`
/// (the service's writes end when they are written; a long processing is made here).
fn voeg_rij(app: &TestApp, start: DateTime<Utc>, eind: DateTime<Utc>) {
    use diesel::prelude::*;
    use ketenregie_store::schema::verwerkingslog as v;
    let mut c = app.pool.get().unwrap();
    diesel::insert_into(v::table)
        .values((
            v::id.eq(uuid::Uuid::now_v7().to_string()),
            v::keten.eq(ORG),
            v::volgnummer.eq(0i64),
            v::vorige_hash.eq(""),
            v::hash.eq(""),
            v::trace_id.eq(uuid::Uuid::new_v4().simple().to_string()),
            v::span_id.eq("0123456789abcdef"),
            v::parent_span_id.eq(None::<String>),
            v::organisatie.eq(ORG),
            v::activiteit.eq("briefing"),
            v::grondslag.eq("test"),
            v::convenant_id.eq(None::<String>),
            v::convenant_versie.eq(None::<i64>),
            v::betrokkene.eq("p"),
            v::resultaat.eq("geslaagd"),
            v::doorbraak.eq(false),
            v::start_op.eq(ketenregie_common::time::to_db(start)),
            v::eind_op.eq(ketenregie_common::time::to_db(eind)),
        ))
        .execute(&mut c)
        .unwrap();
}

/// What the partition retention decides about the first month it does not pass over,
/// at `nu` with the default term for every organisation; nothing is removed (the
/// transaction is undone). PostgreSQL only.
fn partitiebesluit(app: &TestApp, nu: DateTime<Utc>) -> Option<logboek::Partitiebesluit> {
    let mut c = app.pool.get().unwrap();
    let mut besluit = None;
    let _ = c.transaction::<(), diesel::result::Error, _>(|c| {
        let mut grens =
            |_: &mut ketenregie_store::DbConnection, _: &str| Ok(nu - Duration::days(TERMIJN));
        besluit = logboek::bewaar_partities(c, nu, &mut grens)?
            .into_iter()
            .next()
            .map(|u| u.besluit);
        Err(diesel::result::Error::RollbackTransaction)
    });
    besluit
}

/// A row that started in April but ran past the term's limit (found by the index of
/// long-running rows) keeps April's partition; the rows before it in the chain go row by
/// row, the rest stays, and `audit verify` passes.
async fn lange_verwerking_houdt_de_maand(db: Db) {
    let pg = db == Db::Postgres;
    let Some(app) = app(db).await else { return };
    maak(&app, "2030-04-01", 1);
    schrijf(&app, 3, april());
    voeg_rij(&app, op("2030-04-20T10:00:00Z"), op("2030-06-20T10:00:00Z"));
    schrijf(&app, 1, op("2030-04-21T10:00:00Z"));
    // The limit is 2030-04-25T10:00: the long row ended after it.
    let nu = april() + Duration::days(TERMIJN + 15);
    if pg {
        assert_eq!(
            partitiebesluit(&app, nu),
            Some(logboek::Partitiebesluit::NietVerlopen)
        );
    }
    assert_eq!(bewaar(&app, nu), vec![("verwerkingslog", 3)]);
    assert_eq!(gewone_rijen(&app), 2);
    if pg {
        assert!(bestaat(&app, "verwerkingslog_p2030_04"));
    }
    verifieer(&app);
}

/// A limit in the last hour of the month: a row that started before the limit, in that
/// hour, and ended after it (shorter than the index of long-running rows holds) keeps the
/// month too; once the limit has passed its end, the month goes whole.
async fn grens_in_het_laatste_uur(db: Db) {
    let pg = db == Db::Postgres;
    let Some(app) = app(db).await else { return };
    maak(&app, "2030-04-01", 1);
    schrijf(&app, 2, april());
    voeg_rij(&app, op("2030-04-30T23:30:00Z"), op("2030-05-01T00:10:00Z"));
    app.verzegel();
    let nu = op("2030-04-30T23:50:00Z") + Duration::days(TERMIJN);
    if pg {
        assert_eq!(
            partitiebesluit(&app, nu),
            Some(logboek::Partitiebesluit::NietVerlopen)
        );
    }
    let later = op("2030-05-01T00:10:01Z") + Duration::days(TERMIJN);
    if pg {
        assert_eq!(
            partitiebesluit(&app, later),
            Some(logboek::Partitiebesluit::Weg)
        );
    }
    assert_eq!(bewaar(&app, later), vec![("verwerkingslog", 3)]);
    assert_eq!(gewone_rijen(&app), 0);
    if pg {
        assert!(!bestaat(&app, "verwerkingslog_p2030_04"));
    }
    verifieer(&app);
}

/// An unsealed row keeps its month's partition (no position, so no prefix to check); the
/// row-by-row path seals the chain first and removes the rows one by one.
async fn onverzegelde_rij_houdt_de_maand(db: Db) {
    let pg = db == Db::Postgres;
    let Some(app) = app(db).await else { return };
    maak(&app, "2030-04-01", 1);
    schrijf(&app, 2, april());
    voeg_rij(&app, op("2030-04-11T10:00:00Z"), op("2030-04-11T10:00:01Z"));
    let nu = april() + Duration::days(TERMIJN + 15);
    if pg {
        assert_eq!(
            partitiebesluit(&app, nu),
            Some(logboek::Partitiebesluit::Onverzegeld)
        );
    }
    assert_eq!(bewaar(&app, nu), vec![("verwerkingslog", 3)]);
    assert_eq!(gewone_rijen(&app), 0);
    if pg {
        assert!(bestaat(&app, "verwerkingslog_p2030_04"));
    }
    verifieer(&app);
}

op_beide_backends!(
    maand_gaat_heel_en_verify_blijft_groen,
    standaardpartitie_rij_voor_rij,
    partities_vooruit,
    lange_verwerking_houdt_de_maand,
    grens_in_het_laatste_uur,
    onverzegelde_rij_houdt_de_maand,
);
