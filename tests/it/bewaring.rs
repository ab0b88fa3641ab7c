//! Retention with a fixed clock: the defaults apply, an organisation's own term overrides
//! them, a dry run only counts, removals of domain records are written to the processing
//! log, and the log chains stay verifiable after old rows are gone.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::{Db, TestApp, spawn_met};
use diesel::QueryResult;
use ketenregie_api::app::Onderdelen;
use ketenregie_common::Klok;
use ketenregie_privacy::bewaring::{self, Bewaarbron, Verwerkingslogbron, Verwijderd};
use ketenregie_privacy::logboek;
use ketenregie_store::DbConnection;
use serde_json::json;
use std::sync::Arc;

const PERSOON: &str = "01930000-0000-7000-8000-000000000002";

/// A domain source with one expired record.
struct NepDossiers;

impl Bewaarbron for NepDossiers {
    fn soorten(&self) -> &'static [&'static str] {
        &["dossiers"]
    }
    fn ruim_op(
        &self,
        _c: &mut DbConnection,
        _nu: DateTime<Utc>,
        _proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        Ok(vec![Verwijderd {
            organisaties: vec!["politie-haaglanden".into()],
            object_type: "dossiers",
            object_id: "d-1".into(),
            betrokkenen: vec![PERSOON.parse().unwrap()],
            grond: bewaring::Bewaargrond::verlopen("vt-dossier"),
            aantal: 1,
        }])
    }
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-02T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn app(db: Db) -> Option<TestApp> {
    let onderdelen = Onderdelen {
        inzage: vec![Arc::new(common::EenPersoonBron {
            persoon: PERSOON,
            eigenaar: "politie-haaglanden",
        })],
        klok: Klok::vast(t0()),
        ..Default::default()
    };
    let app = spawn_met(db, "", onderdelen).await?;
    app.organisatie("politie-haaglanden", "politie", &[]).await;
    Some(app)
}

fn voer_uit(
    app: &TestApp,
    bronnen: Vec<Arc<dyn Bewaarbron>>,
    nu: DateTime<Utc>,
    proef: bool,
) -> Vec<(&'static str, usize)> {
    let mut c = app.pool.get().unwrap();
    let p = Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap());
    let v = Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap());
    bewaring::voer_uit(&mut c, &bronnen, p, v, nu, proef)
        .unwrap()
        .per_soort
}

async fn verwerkingslog_na_vijf_jaar_weg(db: Db) {
    let Some(app) = app(db).await else { return };
    let fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    for _ in 0..3 {
        assert_eq!(
            app.get(&format!("/api/v1/personen/{PERSOON}/inzage"), &fg)
                .await
                .status(),
            200
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM verwerkingslog"), 3);
    // Retention removes sealed rows only, as a chain prefix (the service's sealer links
    // them within its interval; here the test does).
    app.verzegel();
    let bronnen: Vec<Arc<dyn Bewaarbron>> = vec![Arc::new(Verwerkingslogbron)];
    // Within the term: nothing goes.
    assert_eq!(
        voer_uit(&app, bronnen.clone(), t0() + Duration::days(4 * 365), false),
        vec![("verwerkingslog", 0)]
    );
    // Past it: a dry run counts, the real run removes.
    let later = t0() + Duration::days(6 * 365);
    assert_eq!(
        voer_uit(&app, bronnen.clone(), later, true),
        vec![("verwerkingslog", 3)]
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM verwerkingslog"), 3);
    assert_eq!(
        voer_uit(&app, bronnen.clone(), later, false),
        vec![("verwerkingslog", 3)]
    );
    // Only the retention checkpoint rows remain, one per trimmed chain: each says where its
    // chain continues, so verification can tell retention from deletion.
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit <> 'bewaring-ijkpunt'"),
        0
    );
    let ijkpunten = app.tel("SELECT count(*) AS n FROM verwerkingslog");
    assert!((1..=3).contains(&ijkpunten), "{ijkpunten}");
    assert_eq!(
        app.tel("SELECT count(DISTINCT keten) AS n FROM verwerkingslog"),
        ijkpunten
    );
    // New rows continue the chain; verification accepts the removed start.
    assert_eq!(
        app.get(&format!("/api/v1/personen/{PERSOON}/inzage"), &fg)
            .await
            .status(),
        200
    );
    let mut c = app.pool.get().unwrap();
    assert!(logboek::verifieer(&mut c).unwrap().is_ok());
}

/// A run with nothing due in an organisation's chain leaves the chain alone: one index
/// probe (`logboek::heeft_rijen_voor`) instead of sealing and locking it, so the daily run
/// after a month was dropped whole costs a probe per organisation (issue 17 point 6).
async fn niets_verlopen_laat_de_keten_met_rust(db: Db) {
    let Some(app) = app(db).await else { return };
    let fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    for _ in 0..2 {
        assert_eq!(
            app.get(&format!("/api/v1/personen/{PERSOON}/inzage"), &fg)
                .await
                .status(),
            200
        );
    }
    let onverzegeld = "SELECT count(*) AS n FROM verwerkingslog WHERE volgnummer = 0";
    assert_eq!(app.tel(onverzegeld), 2);
    let bronnen: Vec<Arc<dyn Bewaarbron>> = vec![Arc::new(Verwerkingslogbron)];
    assert_eq!(
        voer_uit(&app, bronnen.clone(), t0() + Duration::days(4 * 365), false),
        vec![("verwerkingslog", 0)]
    );
    // Not sealed by the run (the sealer's work), no checkpoint row written.
    assert_eq!(app.tel(onverzegeld), 2);
    assert_eq!(app.tel("SELECT count(*) AS n FROM verwerkingslog"), 2);
    // Past the term the same run seals and removes them.
    assert_eq!(
        voer_uit(&app, bronnen, t0() + Duration::days(6 * 365), false),
        vec![("verwerkingslog", 2)]
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit <> 'bewaring-ijkpunt'"),
        0
    );
}

async fn eigen_termijn_gaat_voor(db: Db) {
    let Some(app) = app(db).await else { return };
    let fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    assert_eq!(
        app.get(&format!("/api/v1/personen/{PERSOON}/inzage"), &fg)
            .await
            .status(),
        200
    );
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    let res = app
        .put(
            "/api/v1/bewaartermijnen/verwerkingslog",
            &beheer,
            &json!({"termijnDagen": 3650, "toelichting": "convenant: 10 jaar"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let log: serde_json::Value = res.json().await.unwrap();
    assert_eq!(log["termijnDagen"], 3650);
    assert_eq!(log["eigen"], true);
    let bronnen: Vec<Arc<dyn Bewaarbron>> = vec![Arc::new(Verwerkingslogbron)];
    assert_eq!(
        voer_uit(&app, bronnen, t0() + Duration::days(6 * 365), false),
        vec![("verwerkingslog", 0)]
    );
    // Only the functional admin sets terms; unknown kinds are named.
    common::assert_problem(
        app.put(
            "/api/v1/bewaartermijnen/verwerkingslog",
            &fg,
            &json!({"termijnDagen": 1, "toelichting": "x"}),
        )
        .await,
        403,
    )
    .await;
    common::assert_problem(
        app.put(
            "/api/v1/bewaartermijnen/onzin",
            &beheer,
            &json!({"termijnDagen": 1, "toelichting": "x"}),
        )
        .await,
        404,
    )
    .await;
}

/// `BEWAARTERMIJN_ONDERGRENS`: the processing log's term cannot go below 5 years (the
/// tester cut it to 1 day); a kind without a floor of its own keeps the floor of a day.
async fn verwerkingslog_ondergrens(db: Db) {
    let Some(app) = app(db).await else { return };
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    for dagen in [1, 5 * 365 - 1] {
        let p = common::assert_problem(
            app.put(
                "/api/v1/bewaartermijnen/verwerkingslog",
                &beheer,
                &json!({"termijnDagen": dagen, "toelichting": "korter"}),
            )
            .await,
            422,
        )
        .await;
        assert_eq!(p["invalidParams"][0]["name"], "/termijnDagen", "{p}");
        assert_eq!(p["invalidParams"][0]["code"], "wettelijk-minimum", "{p}");
    }
    // Nothing was written: the default still holds.
    let res = app
        .get("/api/v1/bewaartermijnen/verwerkingslog", &beheer)
        .await;
    assert_eq!(res.headers()["etag"], "\"0\"");
    assert_eq!(
        app.tel(
            "SELECT count(*) AS n FROM bewaartermijnen WHERE organisatie = 'politie-haaglanden'"
        ),
        0
    );
    // The floor itself is allowed.
    let res = app
        .put(
            "/api/v1/bewaartermijnen/verwerkingslog",
            &beheer,
            &json!({"termijnDagen": 5 * 365, "toelichting": "het minimum"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // A row stored below the floor (before it existed) counts as the floor.
    app.sql("UPDATE bewaartermijnen SET termijn_dagen = 1 WHERE soort = 'verwerkingslog'");
    let regel: serde_json::Value = app
        .get("/api/v1/bewaartermijnen/verwerkingslog", &beheer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(regel["termijnDagen"], 5 * 365);
    // Other kinds keep their own floor (a day for the coordination signal).
    let res = app
        .put(
            "/api/v1/bewaartermijnen/coordinatiesignaal",
            &beheer,
            &json!({"termijnDagen": 1, "toelichting": "direct"}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn verwijdering_staat_in_verwerkingslog(db: Db) {
    let Some(app) = app(db).await else { return };
    let bronnen: Vec<Arc<dyn Bewaarbron>> = vec![Arc::new(NepDossiers)];
    assert_eq!(
        voer_uit(&app, bronnen.clone(), t0(), true),
        vec![("dossiers", 1)]
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog"),
        0,
        "a dry run writes nothing"
    );
    voer_uit(&app, bronnen, t0(), false);
    assert_eq!(app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'vernietiging' AND organisatie = 'politie-haaglanden'"), 1);
}

async fn cli_proefdraai(db: Db) {
    let Some(app) = app(db).await else { return };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(["retention", "run", "--dry-run"])
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    let tekst = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{tekst} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        tekst.contains("verwerkingslog: 0 would be removed"),
        "{tekst}"
    );
}

op_beide_backends!(
    verwerkingslog_na_vijf_jaar_weg,
    niets_verlopen_laat_de_keten_met_rust,
    eigen_termijn_gaat_voor,
    verwerkingslog_ondergrens,
    verwijdering_staat_in_verwerkingslog,
    cli_proefdraai,
);
