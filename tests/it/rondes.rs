//! Issue 17 points 1 and 3 (h17rondes): the round trips to the database of the hot
//! requests, counted exactly on both backends, with the promises they must not weaken.
//!
//! Counted by the connections' instrumentation for the app's database
//! (`store::rondes::van_database`: every statement, `BEGIN`/`COMMIT` included, whichever
//! thread sent it: the authentication's hop, the use case, the log writer's batch). The
//! test configuration runs no background task (sealer, scanner, dispatcher off), requests
//! go one at a time, each token is used once before counting (its replay record is
//! written on first use only) and the instance's cache is warm: what is counted is the
//! steady state of one request, a logged read's log rows a batch of one. In development
//! mode one background task still reads the demo clock once a second; a run it falls in
//! counts one more, so each request runs five times and its fewest and its median
//! count are held to the exact number (a request never sends fewer than it needs).

use crate::common;
use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

/// The statements this process sent to the app's database so far.
fn rondes(app: &TestApp) -> u64 {
    let url = ketenregie_store::DbUrl::parse(&app.db_url()).unwrap();
    ketenregie_store::rondes::van_database(url.target())
}

/// The round trips of each of five runs of `verzoek` (after one run to warm up), sorted.
async fn vijf_keer<F, Fut>(app: &TestApp, mut verzoek: F) -> Vec<u64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    verzoek().await;
    let mut uit = Vec::new();
    for _ in 0..5 {
        let voor = rondes(app);
        verzoek().await;
        uit.push(rondes(app) - voor);
    }
    uit.sort_unstable();
    uit
}

/// The fewest and the median of `vijf_keer`'s counts both `verwacht`.
fn precies(gemeten: &[u64], verwacht: u64, wat: &str) {
    assert_eq!(
        (gemeten[0], gemeten[2]),
        (verwacht, verwacht),
        "{wat}: round trips {gemeten:?}"
    );
}

/// The round trips of one request (`rondes_per_verzoek`), per backend.
struct Verwacht {
    ongelogd_lezen: u64,
    gelogd_lezen: u64,
    indienen: u64,
}

fn verwacht(db: Db) -> Verwacht {
    match db {
        // PostgreSQL. Unlogged read: the organisation with its municipalities and the
        // register's stamp in one statement (h17lees: the authentication's check of the
        // register is confirmed at that stamp, no statement of its own). Logged read: the
        // melding with its duties, statements and the stamp (no BEGIN/COMMIT), then the log
        // writer's batch of one, which seals its rows as it inserts them (BEGIN, lock the
        // chain heads, one statement for the audit trail, processing log and disclosure
        // register inserts and the heads' move, COMMIT: `logboek::batchzegel`,
        // `logboek::Bundel`; under load these 4 are shared by every request in the batch,
        // and no sealer pass follows). Filing: the stamp, BEGIN, one statement (melding,
        // subjects, first step, audit trail, processing log as data-modifying CTEs:
        // `opslag::schrijf_gebundeld`), COMMIT (its log rows are sealed later by the
        // sealer). Before (main 39c0b2e): 3, 12 (plus the sealer's share) and 12; before
        // h17lees and h17seal (fe28192): 2, 9 and 8.
        Db::Postgres => Verwacht {
            ongelogd_lezen: 1,
            gelogd_lezen: 5,
            indienen: 4,
        },
        // SQLite: round trips are in-process calls; the reads as on PostgreSQL, the logged
        // one without its transaction now too (`db::lees_los`; h17lees: 2 and 20 before,
        // the stamp and BEGIN/COMMIT gone), every write transaction takes its turn (`store::schrijfslot`:
        // one pragma) and the log rows go in as one multi-row insert per table (h18:
        // `None` inserted as NULL, not DEFAULT, so diesel no longer falls back to one
        // insert per row, each in a savepoint: the logged read was 17, the filing 15).
        // The log writer's batch also reads and moves the chain heads (+2).
        // Before (main 39c0b2e, from the statement traces): 3, 21 and 19.
        Db::Sqlite => Verwacht {
            ongelogd_lezen: 1,
            gelogd_lezen: 9,
            indienen: 9,
        },
    }
}

/// The unlogged read, the logged read (the receiving Veilig Thuis) and the filing, counted.
async fn rondes_per_verzoek(db: Db) {
    let Some(app) = crate::zorgmeldingen::app(db).await else {
        return;
    };
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let m = crate::zorgmeldingen::concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    crate::zorgmeldingen::indienen(&app, &id).await;
    let orgs: Value = app
        .get("/api/v1/organisaties?soort=veilig-thuis", &vt)
        .await
        .json()
        .await
        .unwrap();
    let org_id = orgs["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "vt-haaglanden")
        .and_then(|o| o["id"].as_str())
        .unwrap()
        .to_string();

    let ongelogd = vijf_keer(&app, || async {
        let res = app
            .get(&format!("/api/v1/organisaties/{org_id}"), &vt)
            .await;
        assert_eq!(res.status(), 200);
    })
    .await;
    let gelogd = vijf_keer(&app, || async {
        let res = app.get(&format!("/api/v1/zorgmeldingen/{id}"), &vt).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
    })
    .await;
    let body = crate::zorgmeldingen::melding(&["0518"]);
    let indienen = vijf_keer(&app, || async {
        let res = app.post("/api/v1/zorgmeldingen", &agent, &body).await;
        assert_eq!(res.status(), 201);
    })
    .await;
    eprintln!(
        "round trips ({db:?}): unlogged read {ongelogd:?}, logged read {gelogd:?}, filing {indienen:?}"
    );
    let v = verwacht(db);
    precies(
        &ongelogd,
        v.ongelogd_lezen,
        "unlogged GET /organisaties/{id}",
    );
    precies(&gelogd, v.gelogd_lezen, "logged GET /zorgmeldingen/{id}");
    precies(&indienen, v.indienen, "POST /zorgmeldingen");
}

/// The logged read still passes the decision with a stamp carried from the
/// authentication: the receiver leaves the agreement (`UITTREDEN`) and its very next read
/// with the same token, from the instance's warm cache, is refused (403, rule
/// `CONVENANT_VEREIST`) and the refusal is in the audit trail; the read before it had its log rows
/// committed before it was answered.
async fn uittreding_geldt_bij_het_volgende_verzoek(db: Db) {
    let Some(app) = crate::zorgmeldingen::app(db).await else {
        return;
    };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let m = crate::zorgmeldingen::concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    crate::zorgmeldingen::indienen(&app, &id).await;
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    for _ in 0..2 {
        let res = app.get(&pad, &vt).await;
        assert_eq!(res.status(), 200);
        let gelezen: Value = res.json().await.unwrap();
        assert_eq!(gelezen["id"], id.as_str());
        assert!(gelezen["termijnen"].is_array(), "{gelezen}");
    }
    // Answered only after their log rows committed: both reads are in the trail now.
    let gelogd = app.tel(&format!(
        "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND actie = 'lezen' AND resultaat = 200 AND organisatie = 'vt-haaglanden'"
    ));
    assert_eq!(gelogd, 2);
    let beheer = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/convenanten", &beheer)
        .await
        .json()
        .await
        .unwrap();
    let cid = lijst["results"][0]["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/convenanten/{cid}/uittredingen"),
            &app.token("vt-haaglanden", &["privacyfunctionaris"]),
            &json!({"reden": "geen deelname meer"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_problem(app.get(&pad, &vt).await, 403).await;
    let geweigerd = app.tel(&format!(
        "SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND organisatie = 'vt-haaglanden' AND actie = 'lezen' AND object_id = '{id}'"
    ));
    assert_eq!(geweigerd, 1);
    // The refused read is in the trail of the melding's owner (the sending police), where
    // its privacy officer finds who tried (found by a hostile review: it went into the
    // reader's own trail, which no privacy officer's view shows).
    let bij_eigenaar = app.tel(&format!(
        "SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND organisatie = 'vt-haaglanden' AND eigenaar = 'politie-haaglanden' AND object_id = '{id}'"
    ));
    assert_eq!(bij_eigenaar, 1);
    let fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    let res = app
        .post(
            "/api/v1/verwerkingen/_zoek",
            &fg,
            &json!({"uitkomst": "geweigerd"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let gevonden: Value = res.json().await.unwrap();
    assert!(
        gevonden["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["organisatie"] == "vt-haaglanden" && r["poging"]["objectId"] == id.as_str()),
        "{gevonden}"
    );
}

/// The two hot reads check the register without a statement of their own (the
/// authentication's check from the instance's cache, confirmed at the stamp their one
/// statement reads: `auth::bevestig`), and a change of the register committed before a
/// request still applies to that very request: with a warm cache and a token already
/// used, the organisation's code is changed (it leaves the register under the token's
/// code; the trigger bumps the stamp) and the next read of either route is a 401 that
/// answers and logs nothing; back under its code, the next read is answered again.
async fn registerwijziging_geldt_bij_het_volgende_verzoek(db: Db) {
    let Some(app) = crate::zorgmeldingen::app(db).await else {
        return;
    };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let m = crate::zorgmeldingen::concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    crate::zorgmeldingen::indienen(&app, &id).await;
    let orgs: Value = app
        .get("/api/v1/organisaties?soort=veilig-thuis", &vt)
        .await
        .json()
        .await
        .unwrap();
    let org_id = orgs["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "vt-haaglanden")
        .and_then(|o| o["id"].as_str())
        .unwrap()
        .to_string();
    let (org_pad, pad) = (
        format!("/api/v1/organisaties/{org_id}"),
        format!("/api/v1/zorgmeldingen/{id}"),
    );
    for _ in 0..2 {
        assert_eq!(app.get(&org_pad, &vt).await.status(), 200);
        assert_eq!(app.get(&pad, &vt).await.status(), 200);
    }
    let gelezen = || {
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND actie = 'lezen' AND organisatie = 'vt-haaglanden'"
        ))
    };
    assert_eq!(gelezen(), 2);
    app.sql("UPDATE organisaties SET code = 'vt-haaglanden-oud' WHERE code = 'vt-haaglanden'");
    let b = assert_problem(app.get(&org_pad, &vt).await, 401).await;
    assert!(
        b["detail"]
            .as_str()
            .unwrap()
            .contains("ORGANISATIE_GEREGISTREERD"),
        "{b}"
    );
    let b = assert_problem(app.get(&pad, &vt).await, 401).await;
    assert!(
        b["detail"]
            .as_str()
            .unwrap()
            .contains("ORGANISATIE_GEREGISTREERD"),
        "{b}"
    );
    // Nothing answered, so nothing logged: not the read, not a refusal.
    assert_eq!(gelezen(), 2);
    app.sql("UPDATE organisaties SET code = 'vt-haaglanden' WHERE code = 'vt-haaglanden-oud'");
    assert_eq!(app.get(&org_pad, &vt).await.status(), 200);
    assert_eq!(app.get(&pad, &vt).await.status(), 200);
    assert_eq!(gelezen(), 3);
}

op_beide_backends!(
    rondes_per_verzoek,
    uittreding_geldt_bij_het_volgende_verzoek,
    registerwijziging_geldt_bij_het_volgende_verzoek
);
