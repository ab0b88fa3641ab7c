//! The log write path of issue 17: group commit of the log rows of reads (point 1) and the
//! sealer that links them into their hash chains after commit (point 2), on both backends.
//!
//! - a logged read answers only after its batch committed: its rows are there when the
//!   answer arrives, and the writer counted it;
//! - a batch that fails makes every read in it fail closed: 500 problem+json, no data, no
//!   log row;
//! - one read whose rows the database refuses fails only itself: the writer retries the
//!   batch in halves (at most 2·k·log2 n attempts for k bad reads in n), the others answer
//!   200 with their rows sealed; with the database unreachable the batch fails at once,
//!   without a retry;
//! - sealers of two instances (one with the lease, one without, as the CLI) seal one chain
//!   in one order while reads arrive at both instances: every row sealed once, every chain
//!   consecutive, `audit verify` passes;
//! - a read's rows are sealed by the writer at insert: none is left for the sealer after a
//!   read burst, also with two instances' writers on one chain, and a write's unsealed row
//!   between read batches is sealed after them and verifies;
//! - `audit verify` shows the unsealed window (a write's rows), and `audit seal` closes it;
//! - the kill -9 drill: the release binary killed with SIGKILL during a burst of logged
//!   reads loses no log row of any answered read, and `audit verify` passes after it.

use crate::common::{self, Db, TestApp, keten};
use ketenregie_api::app::{Application, Onderdelen};
use std::sync::atomic::Ordering;

const LOGREGELS: &str =
    "SELECT (SELECT count(*) FROM audittrail) + (SELECT count(*) FROM verwerkingslog) AS n";

async fn app_met_melding(db: Db) -> Option<(TestApp, String, String)> {
    let app = common::spawn(db).await?;
    keten::opzet(&app).await;
    let id = keten::verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    Some((app, id, vt))
}

fn cli(app: &TestApp, args: &[&str]) -> (i32, String) {
    let uit = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(args)
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    (
        uit.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&uit.stdout),
            String::from_utf8_lossy(&uit.stderr)
        ),
    )
}

/// Every chain's sealed positions are 1..n without a gap or a double, and every head is at
/// its chain's last sealed row (`audit verify` checks the links).
fn ketens_aaneengesloten(app: &TestApp) {
    for (tabel, kop) in [("audittrail", "audit:"), ("verwerkingslog", "verwerking:")] {
        assert_eq!(
            app.tel(&format!(
                "SELECT count(*) AS n FROM (SELECT keten FROM {tabel} WHERE volgnummer > 0 GROUP BY keten HAVING max(volgnummer) <> count(*) OR count(DISTINCT volgnummer) <> count(*)) x"
            )),
            0,
            "{tabel}: positions consecutive"
        );
        assert_eq!(
            app.tel(&format!(
                "SELECT count(*) AS n FROM logketens k WHERE k.id LIKE '{kop}%' AND k.volgnummer <> (SELECT coalesce(max(volgnummer), 0) FROM {tabel} t WHERE '{kop}' || t.keten = k.id)"
            )),
            0,
            "{tabel}: heads at the last row"
        );
    }
}

/// Batch commit before the answer: the rows of every answered read are in the database
/// when its answer arrives, and they went through the writer (one batch for several
/// reads when they arrive together).
async fn batch_commit_voor_antwoord(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let voor = app.tel(LOGREGELS);
    let verzoeken_voor = app.logschrijver.cijfers.verzoeken.load(Ordering::SeqCst);
    let res = app.get(&pad, &vt).await;
    assert_eq!(res.status(), 200);
    let per_lezing = app.tel(LOGREGELS) - voor;
    assert!(
        per_lezing >= 2,
        "an audit row and processing rows: {per_lezing}"
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND actie = 'lezen'"
        )),
        1
    );
    // The read of another organisation's record enters the disclosure register in the
    // same batch.
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verstrekkingen WHERE object_id = '{id}'"
        )),
        1
    );
    assert_eq!(
        app.logschrijver.cijfers.verzoeken.load(Ordering::SeqCst),
        verzoeken_voor + 1,
        "the read's rows went through the log writer"
    );
    // Twenty reads at once: every one answered has its rows.
    let voor = app.tel(LOGREGELS);
    let antwoorden = futures_util::future::join_all((0..20).map(|_| app.get(&pad, &vt))).await;
    for r in antwoorden {
        assert_eq!(r.status(), 200);
    }
    assert_eq!(app.tel(LOGREGELS) - voor, 20 * per_lezing);
    assert_eq!(
        app.logschrijver.cijfers.verzoeken.load(Ordering::SeqCst),
        verzoeken_voor + 21
    );
    // Sealed at insert by the writer: no read's row waits for the sealer.
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE volgnummer = 0 AND actie = 'lezen'"),
        0,
        "a read's rows are inserted sealed"
    );
    app.verzegel();
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE volgnummer = 0"),
        0
    );
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
}

/// Fail closed: when the batch cannot commit, the read is answered without the data (503
/// with `Retry-After` when the database is unreachable, as any request then; 500 when the
/// database refused the rows), and no row of it is left.
async fn faalt_gesloten_als_de_batch_faalt(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let voor = app.tel(LOGREGELS);
    let mislukt_voor = app.logschrijver.cijfers.mislukt.load(Ordering::SeqCst);
    app.logschrijver.zet_storing(true);
    let antwoorden = futures_util::future::join_all((0..5).map(|_| app.get(&pad, &vt))).await;
    for res in antwoorden {
        niet_beschikbaar(res).await;
    }
    assert!(app.logschrijver.cijfers.mislukt.load(Ordering::SeqCst) > mislukt_voor);
    assert_eq!(
        app.tel(LOGREGELS),
        voor,
        "nothing of the failed reads written"
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verstrekkingen WHERE object_id = '{id}'"
        )),
        0
    );
    // A real database failure in the batch: the log table refuses the insert.
    app.logschrijver.zet_storing(false);
    let weiger = match db {
        Db::Sqlite => {
            "CREATE TRIGGER weiger_verwerking BEFORE INSERT ON verwerkingslog BEGIN SELECT RAISE(ABORT, 'kapot'); END;"
        }
        Db::Postgres => {
            "CREATE FUNCTION weiger_verwerking() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'kapot'; END $$ LANGUAGE plpgsql; CREATE TRIGGER weiger_verwerking BEFORE INSERT ON verwerkingslog FOR EACH ROW EXECUTE FUNCTION weiger_verwerking();"
        }
    };
    app.sql(weiger);
    let res = app.get(&pad, &vt).await;
    assert_eq!(res.status(), 500);
    assert_eq!(
        app.tel(LOGREGELS),
        voor,
        "the audit row of the same batch rolled back with it"
    );
    app.sql(match db {
        Db::Sqlite => "DROP TRIGGER weiger_verwerking",
        Db::Postgres => "DROP TRIGGER weiger_verwerking ON verwerkingslog",
    });
    assert_eq!(app.get(&pad, &vt).await.status(), 200);
    assert!(app.tel(LOGREGELS) > voor);
}

/// Two instances on one database, reads arriving at both; instance B runs its sealer
/// (with the lease, every 2 ms) while a third sealer without the lease (as `audit seal`)
/// runs in a loop beside it: the chain-head locks put every row in one place in one
/// order; every chain verifies and nothing stays unsealed or is sealed twice.
async fn verzegelaars_van_twee_instanties(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    let mut config = app.config.clone();
    config.privacy.log_seal_interval_ms = 2;
    let b = Application::build_met(config, Onderdelen::default())
        .await
        .expect("second instance starts");
    let b_url = format!("http://127.0.0.1:{}", b.port());
    actix_web::rt::spawn(b.run_until_stopped());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (pool, s) = (app.pool.clone(), stop.clone());
    let derde = std::thread::spawn(move || {
        let mut c = pool.get().unwrap();
        let mut n = 0;
        while !s.load(Ordering::SeqCst) {
            n += ketenregie_privacy::logboek::verzegelaar::verzegel_alles(&mut c).unwrap();
        }
        n
    });
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let voor = app.tel(LOGREGELS);
    for ronde in 0..10 {
        let a = (0..4).map(|_| app.get(&pad, &vt));
        let b = (0..4).map(|_| {
            app.client
                .get(format!("{b_url}{pad}"))
                .bearer_auth(&vt)
                .send()
        });
        let (ra, rb) = futures_util::future::join(
            futures_util::future::join_all(a),
            futures_util::future::join_all(b),
        )
        .await;
        for r in ra {
            assert_eq!(r.status(), 200, "round {ronde}");
        }
        for r in rb {
            assert_eq!(r.unwrap().status(), 200, "round {ronde}");
        }
    }
    stop.store(true, Ordering::SeqCst);
    let door_derde = derde.join().unwrap();
    let na = app.tel(LOGREGELS);
    assert!(na - voor >= 80 * 2, "{voor} -> {na}");
    app.verzegel();
    assert_eq!(
        app.tel("SELECT (SELECT count(*) FROM audittrail WHERE volgnummer = 0) + (SELECT count(*) FROM verwerkingslog WHERE volgnummer = 0) AS n"),
        0
    );
    // Each chain's positions are 1..n without a gap or a double (verify checks the links).
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
    eprintln!("sealed by the lease-less sealer: {door_derde} rows");
}

/// `audit verify` shows the unsealed window; `audit seal` seals it.
async fn verify_toont_onverzegeld_venster(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    app.verzegel();
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
    assert!(uit.contains("sealed up to 20"), "{uit}");
    // A read's rows are sealed at insert; a write's rows are appended unsealed.
    let res = app.get(&format!("/api/v1/zorgmeldingen/{id}"), &vt).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE volgnummer = 0"),
        0
    );
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = app
        .post("/api/v1/zorgmeldingen", &agent, &keten::melding())
        .await;
    assert_eq!(res.status(), 201);
    let audit = app.tel("SELECT count(*) AS n FROM audittrail WHERE volgnummer = 0");
    let verwerking = app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE volgnummer = 0");
    assert_eq!(audit, 1);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "unsealed rows are no break: {uit}");
    assert!(
        uit.contains(&format!(
            "unsealed: {audit} audit rows and {verwerking} processing-log rows, the oldest "
        )),
        "{uit}"
    );
    let (code, uit) = cli(&app, &["audit", "seal"]);
    assert_eq!(code, 0, "{uit}");
    assert!(
        uit.contains(&format!("sealed: {} rows", audit + verwerking)),
        "{uit}"
    );
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
}

/// A read burst's rows are sealed when their batch commits: with the sealer off (the test
/// default) and the writes' rows sealed beforehand, thirty concurrent reads leave no
/// unsealed row, every chain is consecutive, `audit verify` is clean, and the sealer then
/// has nothing to do.
async fn lezingen_verzegeld_bij_commit(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    app.verzegel();
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let voor = app.tel(LOGREGELS);
    let batches_voor = app.logschrijver.cijfers.batches.load(Ordering::SeqCst);
    let antwoorden = futures_util::future::join_all((0..30).map(|_| app.get(&pad, &vt))).await;
    for r in antwoorden {
        assert_eq!(r.status(), 200);
    }
    assert!(app.tel(LOGREGELS) - voor >= 60);
    let batches = app.logschrijver.cijfers.batches.load(Ordering::SeqCst) - batches_voor;
    assert_eq!(
        app.tel(
            "SELECT (SELECT count(*) FROM audittrail WHERE volgnummer = 0) + (SELECT count(*) FROM verwerkingslog WHERE volgnummer = 0) AS n"
        ),
        0,
        "no unsealed row after the read burst"
    );
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
    assert_eq!(app.verzegel(), 0, "nothing left for the sealer");
    // Round trips of one batch once its chains' heads exist, on PostgreSQL: BEGIN, the
    // heads' lock, one statement with the audit insert, the processing-log insert, the
    // disclosure register's insert and the heads' move (`logboek::Bundel`), COMMIT (7
    // before h17seal: one statement each). (SQLite adds its connection's own statements: the
    // file name for the writers' turn, the pool's probe and a new connection's pragmas.)
    //
    // The pool's probe is not the batch's: `conn::haal` sends `SELECT 1` first on a
    // connection idle for longer than `CONTROLE_NA` (1 s), and which connection the writer
    // gets depends on what else took one just before it (the development mode's demo-clock
    // job every second, h19halve), so it is counted apart (`proefrondes`) and taken off.
    let cijfers = &app.logschrijver.cijfers;
    let (rondes_voor, proef_voor, batches_voor) = (
        cijfers.rondes.load(Ordering::SeqCst),
        cijfers.proefrondes.load(Ordering::SeqCst),
        cijfers.batches.load(Ordering::SeqCst),
    );
    assert_eq!(app.get(&pad, &vt).await.status(), 200);
    assert_eq!(cijfers.batches.load(Ordering::SeqCst), batches_voor + 1);
    let proef = cijfers.proefrondes.load(Ordering::SeqCst) - proef_voor;
    let rondes = cijfers.rondes.load(Ordering::SeqCst) - rondes_voor - proef;
    if db == Db::Postgres {
        assert_eq!(rondes, 4, "round trips of one read's batch");
        assert!(proef <= 1, "at most the pool's one probe: {proef}");
    }
    eprintln!("30 reads in {batches} batches, all sealed at commit; {rondes} round trips a batch");
}

/// Two instances' log writers on one database append reads to the same chains at the
/// same time (no sealer runs): their batches serialise on the chain heads' row locks, so
/// every chain is consecutive, nothing is unsealed, and `audit verify` passes.
async fn twee_schrijvers_een_keten(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    app.verzegel();
    let b = Application::build_met(app.config.clone(), Onderdelen::default())
        .await
        .expect("second instance starts");
    let b_url = format!("http://127.0.0.1:{}", b.port());
    actix_web::rt::spawn(b.run_until_stopped());
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let voor = app.tel(LOGREGELS);
    let verzoeken_a = app.logschrijver.cijfers.verzoeken.load(Ordering::SeqCst);
    for ronde in 0..10 {
        let a = (0..6).map(|_| app.get(&pad, &vt));
        let b = (0..6).map(|_| {
            app.client
                .get(format!("{b_url}{pad}"))
                .bearer_auth(&vt)
                .send()
        });
        let (ra, rb) = futures_util::future::join(
            futures_util::future::join_all(a),
            futures_util::future::join_all(b),
        )
        .await;
        for r in ra {
            assert_eq!(r.status(), 200, "round {ronde}");
        }
        for r in rb {
            assert_eq!(r.unwrap().status(), 200, "round {ronde}");
        }
    }
    assert_eq!(
        app.logschrijver.cijfers.verzoeken.load(Ordering::SeqCst) - verzoeken_a,
        60,
        "half the reads went through instance B's writer"
    );
    assert!(app.tel(LOGREGELS) - voor >= 120 * 2);
    assert_eq!(
        app.tel(
            "SELECT (SELECT count(*) FROM audittrail WHERE volgnummer = 0) + (SELECT count(*) FROM verwerkingslog WHERE volgnummer = 0) AS n"
        ),
        0
    );
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
}

/// A write's unsealed row between read batches in the same chain: the reads after it are
/// sealed past it, the write's row stays unsealed (shown, no break) until the sealer gives
/// it the next position, and then the chain is consecutive and verifies.
async fn schrijven_tussen_leesbatches(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    app.verzegel();
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    // The melding is the police's: vt's reads join the audit chain `politie-haaglanden`,
    // and so does the police's next filing (a write, unsealed).
    let onverzegeld = "SELECT count(*) AS n FROM audittrail WHERE volgnummer = 0 AND keten = 'politie-haaglanden'";
    for ronde in 0..3 {
        let lezingen = futures_util::future::join_all((0..5).map(|_| app.get(&pad, &vt)));
        let melding = keten::melding();
        let schrijf = app.post("/api/v1/zorgmeldingen", &agent, &melding);
        let (rs, w) = futures_util::future::join(lezingen, schrijf).await;
        for r in rs {
            assert_eq!(r.status(), 200, "round {ronde}");
        }
        assert_eq!(w.status(), 201, "round {ronde}");
        assert_eq!(app.get(&pad, &vt).await.status(), 200);
    }
    assert_eq!(
        app.tel(onverzegeld),
        3,
        "the writes' rows wait for the sealer"
    );
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(
        code, 0,
        "unsealed rows between sealed ones are no break: {uit}"
    );
    assert!(uit.contains("unsealed: 3 audit rows"), "{uit}");
    ketens_aaneengesloten(&app);
    assert!(app.verzegel() >= 3);
    assert_eq!(app.tel(onverzegeld), 0);
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
}

/// The service binary on the test app's database, at `poort`, with the sealer on.
fn start_binary(app: &TestApp, poort: u16) -> std::process::Child {
    let toml = common::test_toml(&app.db_url(), &app.dir, "")
        .replace(
            "bind = \"127.0.0.1:0\"",
            &format!("bind = \"127.0.0.1:{poort}\""),
        )
        .replace("workers = 1", "workers = 2")
        .replace("log_seal_interval_ms = 0", "log_seal_interval_ms = 20");
    let pad = app.dir.join("drill.toml");
    std::fs::write(&pad, toml).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(["--config", pad.to_str().unwrap(), "serve"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Wait (at most 30 s) until the binary answers its readiness probe.
async fn wacht_tot_gereed(app: &TestApp, poort: u16) {
    for _ in 0..300 {
        if let Ok(r) = app
            .client
            .get(format!("http://127.0.0.1:{poort}/health/ready"))
            .send()
            .await
            && r.status() == 200
        {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the binary did not become ready");
}

/// The kill -9 drill (issue 17, "Done means"): 16 connections send logged reads to the
/// service binary, each with its own trace id; once 150 are answered the process is killed
/// with SIGKILL, mid-burst. Every answered read's audit and processing-log rows must be in
/// the database; after a restart (whose sealer seals what was left unsealed) `audit verify`
/// passes.
async fn kill9_tijdens_leesgolf(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    let per_lezing_verwerking = {
        let voor = app.tel("SELECT count(*) AS n FROM verwerkingslog");
        assert_eq!(
            app.get(&format!("/api/v1/zorgmeldingen/{id}"), &vt)
                .await
                .status(),
            200
        );
        app.tel("SELECT count(*) AS n FROM verwerkingslog") - voor
    };
    let poort = keten::vrije_poort();
    let mut dienst = start_binary(&app, poort);
    wacht_tot_gereed(&app, poort).await;
    let beantwoord = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let url = format!("http://127.0.0.1:{poort}/api/v1/zorgmeldingen/{id}");
    let mut taken = vec![];
    for _ in 0..16 {
        let (client, url, vt, beantwoord) = (
            app.client.clone(),
            url.clone(),
            vt.clone(),
            beantwoord.clone(),
        );
        taken.push(actix_web::rt::spawn(async move {
            // Until the service is gone (a refused or broken connection), at most 2,000.
            for _ in 0..2000 {
                let trace = uuid::Uuid::new_v4().simple().to_string();
                let r = client
                    .get(&url)
                    .bearer_auth(&vt)
                    .header("traceparent", format!("00-{trace}-00f067aa0ba902b7-01"))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 200 => {
                        // Answered: the body arrived whole.
                        if r.bytes().await.is_ok() {
                            beantwoord.lock().unwrap().push(trace);
                        }
                    }
                    Ok(r) => panic!("a read before the kill answered {}", r.status()),
                    Err(_) => return,
                }
            }
        }));
    }
    for _ in 0..600 {
        if beantwoord.lock().unwrap().len() >= 150 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    dienst.kill().unwrap(); // SIGKILL
    dienst.wait().unwrap();
    for t in taken {
        t.await.unwrap();
    }
    let beantwoord = beantwoord.lock().unwrap().clone();
    assert!(beantwoord.len() >= 150, "{} answered", beantwoord.len());
    // Every answered read left its rows: one audit row, and its processing rows.
    let mut ontbreekt = vec![];
    for trace in &beantwoord {
        let a = app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE trace_id = '{trace}'"
        ));
        let v = app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE trace_id = '{trace}'"
        ));
        if a != 1 || v != per_lezing_verwerking {
            ontbreekt.push((trace.clone(), a, v));
        }
    }
    assert!(
        ontbreekt.is_empty(),
        "{} of {} answered reads miss log rows: {:?}",
        ontbreekt.len(),
        beantwoord.len(),
        &ontbreekt[..ontbreekt.len().min(5)]
    );
    // Restart: the service comes back on the same database, its sealer seals what the
    // killed one left, and the chains verify.
    let mut dienst = start_binary(&app, poort);
    wacht_tot_gereed(&app, poort).await;
    assert_eq!(
        app.client
            .get(&url)
            .bearer_auth(&vt)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    dienst.kill().unwrap();
    dienst.wait().unwrap();
    let (code, uit) = cli(&app, &["audit", "seal"]);
    assert_eq!(code, 0, "{uit}");
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("unsealed: none"), "{uit}");
    eprintln!(
        "kill -9 drill: {} reads answered before the kill, all with their log rows; {uit}",
        beantwoord.len()
    );
}

/// The logs' update guard lets through only the sealer's update (h17seal made PostgreSQL's
/// a record comparison instead of a JSON one): an unsealed row sealed while another column
/// changes, or while a NULL column gets a value, and a sealed row sealed again are refused;
/// the sealer's own update passes, and `audit verify` after it.
async fn zegelwacht_alleen_het_zegel(db: Db) {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use ketenregie_store::schema::{audittrail as a, verwerkingslog as v};
    let Some((app, _id, _vt)) = app_met_melding(db).await else {
        return;
    };
    let mut c = app.pool.get().unwrap();
    let open_audit: i64 = a::table
        .filter(a::volgnummer.eq(0))
        .filter(a::oude_waarde.is_null())
        .count()
        .get_result(&mut c)
        .unwrap();
    let open_verwerking: i64 = v::table
        .filter(v::volgnummer.eq(0))
        .filter(v::convenant_id.is_null())
        .count()
        .get_result(&mut c)
        .unwrap();
    assert!(
        open_audit > 0 && open_verwerking > 0,
        "{open_audit} {open_verwerking}"
    );
    let zegel = "volgnummer = 999999, vorige_hash = 'v', hash = 'h'";
    for (sql, wat) in [
        (
            format!(
                "UPDATE audittrail SET {zegel}, gebruiker_naam = 'Iemand Anders' WHERE volgnummer = 0"
            ),
            "audit: seal and another column",
        ),
        (
            format!(
                "UPDATE audittrail SET {zegel}, oude_waarde = 'x' WHERE volgnummer = 0 AND oude_waarde IS NULL"
            ),
            "audit: seal and a NULL column set",
        ),
        (
            format!(
                "UPDATE verwerkingslog SET {zegel}, resultaat = 'mislukt' WHERE volgnummer = 0"
            ),
            "processing log: seal and another column",
        ),
        (
            format!(
                "UPDATE verwerkingslog SET {zegel}, convenant_id = 'x' WHERE volgnummer = 0 AND convenant_id IS NULL"
            ),
            "processing log: seal and a NULL column set",
        ),
        (
            "UPDATE audittrail SET hash = 'h' WHERE volgnummer = 0".to_string(),
            "audit: a hash without a position",
        ),
    ] {
        let fout = c.batch_execute(&sql).expect_err(wat).to_string();
        assert!(fout.contains("append-only"), "{wat}: {fout}");
    }
    drop(c);
    assert!(app.verzegel() > 0, "the sealer's own update passes");
    let mut c = app.pool.get().unwrap();
    let fout = c
        .batch_execute(&format!(
            "UPDATE audittrail SET {zegel} WHERE volgnummer > 0"
        ))
        .expect_err("a sealed row sealed again")
        .to_string();
    assert!(fout.contains("append-only"), "{fout}");
    drop(c);
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
}

/// A trigger that refuses the audit rows of one object (`Some(id)`) or every audit row
/// (`None`): a row the database itself refuses, as a hostile input might make it.
fn weiger_audit(app: &TestApp, db: Db, object: Option<&str>) {
    let sql = match (db, object) {
        (Db::Sqlite, Some(id)) => format!(
            "CREATE TRIGGER weiger_audit BEFORE INSERT ON audittrail WHEN NEW.object_id = '{id}' BEGIN SELECT RAISE(ABORT, 'kapot'); END;"
        ),
        (Db::Sqlite, None) => "CREATE TRIGGER weiger_audit BEFORE INSERT ON audittrail BEGIN SELECT RAISE(ABORT, 'kapot'); END;".to_string(),
        (Db::Postgres, object) => {
            let voorwaarde = object.map_or("true".to_string(), |id| format!("NEW.object_id = '{id}'"));
            format!(
                "CREATE OR REPLACE FUNCTION weiger_audit() RETURNS trigger AS $$ BEGIN IF {voorwaarde} THEN RAISE EXCEPTION 'kapot'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; CREATE TRIGGER weiger_audit BEFORE INSERT ON audittrail FOR EACH ROW EXECUTE FUNCTION weiger_audit();"
            )
        }
    };
    app.sql(&sql);
}

fn sta_audit_toe(app: &TestApp, db: Db) {
    app.sql(match db {
        Db::Sqlite => "DROP TRIGGER weiger_audit",
        Db::Postgres => "DROP TRIGGER weiger_audit ON audittrail",
    });
}

/// Read `paden` at once, held in one batch (`verzamel`): a read of `slecht` fails closed
/// (`gesloten`), every other answers 200.
async fn lees_in_een_batch(app: &TestApp, paden: &[&String], slecht: &str, token: &str) {
    app.logschrijver.verzamel(paden.len());
    let antwoorden = futures_util::future::join_all(paden.iter().map(|p| app.get(p, token))).await;
    for (p, res) in paden.iter().zip(antwoorden) {
        if p.as_str() == slecht {
            gesloten(res).await;
        } else {
            assert_eq!(res.status(), 200, "{:?}", res.text().await);
        }
    }
}

/// A 500 problem+json without any of the melding's data.
async fn gesloten(res: reqwest::Response) {
    zonder_gegevens(res, 500).await;
}

/// A read whose log rows could not be committed because the database was unreachable (or
/// every connection busy): 503 problem+json with `Retry-After`, no data (h19review: it was
/// 500, against README "Reliability").
async fn niet_beschikbaar(res: reqwest::Response) {
    let retry = res.headers().contains_key("retry-after");
    zonder_gegevens(res, 503).await;
    assert!(retry, "Retry-After missing");
}

/// A problem+json answer with `status` that names none of the melding's data (a read that
/// failed closed).
async fn zonder_gegevens(res: reqwest::Response, status: u16) {
    assert_eq!(res.status(), status);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let tekst = res.text().await.unwrap();
    for woord in ["Jansen", "Kind0", "111222333", "voordeur"] {
        assert!(!tekst.contains(woord), "no data in a failed read: {tekst}");
    }
}

/// One bad request fails only itself (h18retry, h19halve): five reads held in one batch by
/// the writer's `verzamel` hook, one of them of a melding whose audit row the database
/// refuses (a trigger). The batch fails, the writer retries it in halves: the poisoned read
/// answers 500 without data and leaves no log row; the four others answer 200 with their
/// audit, processing-log and disclosure rows committed and sealed, and `audit verify`
/// passes. In batches of sixteen with one and with two poisoned reads the retry costs at
/// most `halveringsgrens` write attempts (not one per request), the good reads' rows are
/// committed and the chains verify. A batch whose every request is refused still fails
/// every request.
async fn een_slecht_verzoek_faalt_alleen(db: Db) {
    let Some((app, goed, vt)) = app_met_melding(db).await else {
        return;
    };
    let slecht = keten::verzonden_melding(&app).await;
    let (goed_pad, slecht_pad) = (
        format!("/api/v1/zorgmeldingen/{goed}"),
        format!("/api/v1/zorgmeldingen/{slecht}"),
    );
    let voor = app.tel(LOGREGELS);
    assert_eq!(app.get(&goed_pad, &vt).await.status(), 200);
    let per_lezing = app.tel(LOGREGELS) - voor;
    let cijfers = &app.logschrijver.cijfers;
    let tel = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::SeqCst);
    let (mislukt, herhaald, alleen, verzoeken) = (
        tel(&cijfers.mislukt),
        tel(&cijfers.herhaald),
        tel(&cijfers.alleen_mislukt),
        tel(&cijfers.verzoeken),
    );
    weiger_audit(&app, db, Some(&slecht));
    let voor = app.tel(LOGREGELS);
    let paden = [&goed_pad, &goed_pad, &slecht_pad, &goed_pad, &goed_pad];
    lees_in_een_batch(&app, &paden, &slecht_pad, &vt).await;
    assert_eq!(tel(&cijfers.mislukt), mislukt + 1, "one batch failed");
    assert_eq!(tel(&cijfers.herhaald), herhaald + 1, "and was retried");
    assert_eq!(
        tel(&cijfers.alleen_mislukt),
        alleen + 1,
        "one request failed alone"
    );
    assert_eq!(tel(&cijfers.verzoeken), verzoeken + 4);
    assert_eq!(
        app.tel(LOGREGELS) - voor,
        4 * per_lezing,
        "the four good reads' rows"
    );
    for (tabel, welke) in [
        ("audittrail", "AND actie = 'lezen'"),
        ("verstrekkingen", ""),
    ] {
        assert_eq!(
            app.tel(&format!(
                "SELECT count(*) AS n FROM {tabel} WHERE object_id = '{slecht}' {welke}"
            )),
            0,
            "{tabel}: nothing of the poisoned read"
        );
    }
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verstrekkingen WHERE object_id = '{goed}'"
        )),
        5
    );
    // The good reads' rows, sealed by the writer at insert: audit rows and the processing
    // rows of the same traces.
    let lezingen =
        format!("SELECT trace_id FROM audittrail WHERE object_id = '{goed}' AND actie = 'lezen'");
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{goed}' AND actie = 'lezen' AND volgnummer > 0"
        )),
        5
    );
    let verwerking = app.tel(&format!(
        "SELECT count(*) AS n FROM verwerkingslog WHERE trace_id IN ({lezingen})"
    ));
    assert!(
        verwerking >= 5,
        "processing rows of the good reads: {verwerking}"
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE trace_id IN ({lezingen}) AND volgnummer > 0"
        )),
        verwerking,
        "sealed"
    );
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");

    // Sixteen reads in one batch, one and then two of them poisoned (h19halve): the retry
    // halves the batch, so it costs at most `halveringsgrens(16, k)` write attempts after the
    // failed batch (one by one it cost 16), whatever the places of the bad reads in the
    // batch (the order the writer receives concurrent reads in is not fixed).
    for slechte in [1, 2] {
        let paden: Vec<&String> = (0..16)
            .map(|i| {
                if [5, 11][..slechte].contains(&i) {
                    &slecht_pad
                } else {
                    &goed_pad
                }
            })
            .collect();
        let voor = app.tel(LOGREGELS);
        let (mislukt, herhaald, alleen, verzoeken, pogingen) = (
            tel(&cijfers.mislukt),
            tel(&cijfers.herhaald),
            tel(&cijfers.alleen_mislukt),
            tel(&cijfers.verzoeken),
            tel(&cijfers.herhaalpogingen),
        );
        lees_in_een_batch(&app, &paden, &slecht_pad, &vt).await;
        assert_eq!(tel(&cijfers.mislukt), mislukt + 1, "one batch of 16 failed");
        assert_eq!(tel(&cijfers.herhaald), herhaald + 1, "and was retried");
        assert_eq!(tel(&cijfers.alleen_mislukt), alleen + slechte as u64);
        assert_eq!(tel(&cijfers.verzoeken), verzoeken + 16 - slechte as u64);
        assert_eq!(
            app.tel(LOGREGELS) - voor,
            (16 - slechte as i64) * per_lezing,
            "the good reads' rows committed"
        );
        let pogingen = tel(&cijfers.herhaalpogingen) - pogingen;
        let grens = halveringsgrens(16, slechte as u64);
        assert!(
            pogingen <= grens,
            "{slechte} bad in 16: {pogingen} retry attempts, at most {grens}"
        );
        if slechte == 1 {
            // The brief's bound: ⌈log2 16⌉·2 + 1 transactions, the failed batch included.
            let transacties = 1 + pogingen;
            assert!(transacties <= 4 * 2 + 1, "{transacties}");
        }
        eprintln!(
            "{slechte} bad read(s) in a batch of 16: {pogingen} retry attempts (bound {grens})"
        );
    }
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{slecht}' AND actie = 'lezen'"
        )),
        0,
        "nothing of the poisoned reads"
    );
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
    // The attempts are published on /metrics.
    let metrics = app.tekst("/metrics").await;
    assert!(
        metrics.contains(&format!(
            "\nketenregie_logschrijver_herhaalpogingen_total {}\n",
            tel(&cijfers.herhaalpogingen)
        )),
        "{metrics}"
    );

    // Every request refused: each fails alone, all fail closed, nothing written.
    sta_audit_toe(&app, db);
    weiger_audit(&app, db, None);
    let voor = app.tel(LOGREGELS);
    let (herhaald, alleen) = (tel(&cijfers.herhaald), tel(&cijfers.alleen_mislukt));
    app.logschrijver.verzamel(3);
    let antwoorden = futures_util::future::join_all(
        [&goed_pad, &slecht_pad, &goed_pad].map(|p| app.get(p, &vt)),
    )
    .await;
    for res in antwoorden {
        gesloten(res).await;
    }
    assert_eq!(tel(&cijfers.herhaald), herhaald + 1);
    assert_eq!(tel(&cijfers.alleen_mislukt), alleen + 3);
    assert_eq!(app.tel(LOGREGELS), voor, "nothing of the refused reads");
    sta_audit_toe(&app, db);
    assert_eq!(app.get(&slecht_pad, &vt).await.status(), 200);
    ketens_aaneengesloten(&app);
    let (code, uit) = cli(&app, &["audit", "verify"]);
    assert_eq!(code, 0, "{uit}");
}

/// The most write attempts the retry by halving may take after a failed batch of `n`
/// requests (`n` a power of two) of which `k` are bad (`logboek::schrijver::Batchwerk`):
/// each level ℓ of halving (halves of n/2^ℓ) tries the two halves of every failing part of
/// the level above, at most 2·min(k, 2^(ℓ−1)) attempts. For n = 16: 8 for one bad request,
/// 14 for two, against 16 for the retry one by one.
fn halveringsgrens(n: u64, k: u64) -> u64 {
    (1..=n.ilog2()).map(|l| 2 * k.min(1 << (l - 1))).sum()
}

/// The database unreachable (the `storing` hook: the attempt fails as if no connection
/// could be had): a batch of several requests fails at once, without a retry per request.
async fn onbereikbaar_geen_herhaling(db: Db) {
    let Some((app, id, vt)) = app_met_melding(db).await else {
        return;
    };
    let pad = format!("/api/v1/zorgmeldingen/{id}");
    let cijfers = &app.logschrijver.cijfers;
    let (mislukt, herhaald) = (
        cijfers.mislukt.load(Ordering::SeqCst),
        cijfers.herhaald.load(Ordering::SeqCst),
    );
    app.logschrijver.zet_storing(true);
    app.logschrijver.verzamel(4);
    let antwoorden = futures_util::future::join_all((0..4).map(|_| app.get(&pad, &vt))).await;
    for res in antwoorden {
        niet_beschikbaar(res).await;
    }
    assert_eq!(
        cijfers.mislukt.load(Ordering::SeqCst),
        mislukt + 1,
        "one batch of four"
    );
    assert_eq!(
        cijfers.herhaald.load(Ordering::SeqCst),
        herhaald,
        "not retried"
    );
    app.logschrijver.zet_storing(false);
    assert_eq!(app.get(&pad, &vt).await.status(), 200);
}

op_beide_backends!(
    batch_commit_voor_antwoord,
    faalt_gesloten_als_de_batch_faalt,
    verzegelaars_van_twee_instanties,
    verify_toont_onverzegeld_venster,
    kill9_tijdens_leesgolf,
    lezingen_verzegeld_bij_commit,
    twee_schrijvers_een_keten,
    schrijven_tussen_leesbatches,
    zegelwacht_alleen_het_zegel,
    een_slecht_verzoek_faalt_alleen,
    onbereikbaar_geen_herhaling,
);
