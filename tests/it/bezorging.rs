//! Delivering the outbox: nothing lost and nothing sent twice when the SMTP server is down
//! at first; retries with back-off, dead letters and re-queueing; webhook subscriptions
//! and their URL rules; and several instances at once: two deadline scanners, and two
//! dispatchers after a third died mid-batch, each notice delivered exactly once; webhook
//! signatures a receiver can check for replays, with the id kept across retries.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::keten::{self, Ontvanger, SmtpSink};
use common::{Db, TestApp, assert_problem};
use diesel::Connection;
use ketenregie_common::Klok;
use ketenregie_feedback::bezorging::Bezorger;
use ketenregie_feedback::scanner::Scanner;
use ketenregie_store::{DbPool, DbUrl, conn, outbox};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

fn begin() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-02T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn app(db: Db, extra: &str, klok: &Klok) -> Option<TestApp> {
    let app = common::spawn_met(
        db,
        extra,
        ketenregie_api::app::Onderdelen {
            klok: klok.clone(),
            ..Default::default()
        },
    )
    .await?;
    keten::opzet(&app).await;
    Some(app)
}

/// A pool of its own, as another instance would have.
fn eigen_pool(app: &TestApp) -> DbPool {
    conn::pool(&DbUrl::parse(&app.db_url()).unwrap(), 4).unwrap()
}

/// `n` events for `organisatie` straight into the outbox (as a domain change would).
fn gebeurtenissen(app: &TestApp, organisatie: &str, soort: &str, n: usize, nu: DateTime<Utc>) {
    let mut c = app.pool.get().unwrap();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        for i in 0..n {
            outbox::enqueue(
                c,
                &outbox::Gebeurtenis {
                    soort: soort.into(),
                    organisatie: organisatie.into(),
                    onderwerp: format!("onderwerp-{i}"),
                    dataref: format!("/api/v1/zorgmeldingen/{i}"),
                },
                nu,
            )?;
        }
        Ok(())
    })
    .unwrap();
}

async fn smtp_eerst_onbereikbaar(db: Db) {
    if !SmtpSink::beschikbaar() {
        return;
    }
    let klok = Klok::vast(begin());
    let poort = keten::vrije_poort();
    let extra = format!(
        "[email]\ntransport = \"smtp\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {poort}\nsmtp_tls = \"none\"\ntimeout_seconds = 2\n"
    );
    let Some(app) = app(db, &extra, &klok).await else {
        return;
    };
    keten::contactpunt(
        &app,
        "vt-haaglanden",
        "meldingen",
        "meldingen@vt-haaglanden.test",
    )
    .await;
    keten::verzonden_melding(&app).await;
    // Nobody listens yet: the attempt fails and waits for its back-off.
    let r = app.bezorger.ronde().await.unwrap();
    assert_eq!((r.afgeleverd, r.mislukt), (0, 1));
    assert_eq!(app.tel("SELECT count(*) AS n FROM bezorgingen WHERE status = 'wachtend' AND pogingen = 1 AND laatste_fout IS NOT NULL"), 1);
    let sink = SmtpSink::start(&app.dir, poort);
    assert_eq!(
        app.bezorger.ronde().await.unwrap(),
        Default::default(),
        "not before the back-off"
    );
    klok.verschuif(Duration::seconds(31));
    let r = app.bezorger.ronde().await.unwrap();
    assert_eq!((r.afgeleverd, r.mislukt), (1, 0));
    klok.verschuif(Duration::hours(1));
    assert_eq!(app.bezorger.ronde().await.unwrap(), Default::default());
    let mails = sink.berichten();
    assert_eq!(mails.len(), 1, "nothing lost, nothing twice");
    assert!(mails[0].contains("Nieuwe zorgmelding ontvangen"));
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM outbox WHERE status <> 'afgeleverd'"),
        0
    );
}

/// The SSRF rule on subscribing against the IANA special-purpose registries (outside test
/// of 2 Dec 2026): IPv4 carried in IPv6 (NAT64 `64:ff9b::/96`, 6to4 `2002::/16`,
/// IPv4-compatible `::/96`), Teredo, and the IPv4 blocks that are not globally reachable
/// (IETF protocol assignments, benchmarking, reserved, documentation, multicast), each a
/// 422 naming `url` with `ssrf`; nothing is stored.
async fn ssrf_speciale_adressen(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(db, "[dispatcher]\nenabled = false\n", &klok).await else {
        return;
    };
    let fb = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    for url in [
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://[64:ff9b:1::a9fe:a9fe]/",
        "https://[2002:a9fe:a9fe::]/",
        "https://[::127.0.0.1]/",
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "https://[2001:db8::1]/",
        "https://[fec0::1]/",
        "https://192.0.0.1/",
        "https://198.18.0.1/",
        "https://240.0.0.1/",
        "https://100.64.0.1/",
        "https://192.0.2.1/",
        "https://198.51.100.1/",
        "https://203.0.113.1/",
        "https://224.0.0.1/",
    ] {
        let p = assert_problem(
            app.post(
                "/api/v1/abonnementen",
                &fb,
                &json!({"url": url, "kanalen": ["termijnen"]}),
            )
            .await,
            422,
        )
        .await;
        assert_eq!(p["invalidParams"][0]["name"], "/url", "{url}: {p}");
        assert_eq!(p["invalidParams"][0]["code"], "ssrf", "{url}: {p}");
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM abonnementen"), 0);
}

async fn dode_berichten_en_abonnementen(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(
        db,
        "[dispatcher]\nenabled = false\nmax_attempts = 2\n",
        &klok,
    )
    .await
    else {
        return;
    };
    let fb = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    // The URL rules, each a 400 naming `url`; every bad field named at once.
    for (url, regel) in [
        ("http://example.org/hook", "https"),
        ("https://10.0.0.7/hook", "ssrf"),
        ("https://169.254.169.254/latest", "ssrf"),
        ("geen url", "format"),
    ] {
        let p = assert_problem(
            app.post(
                "/api/v1/abonnementen",
                &fb,
                &json!({"url": url, "kanalen": ["termijnen", "post"]}),
            )
            .await,
            400,
        )
        .await;
        let fouten: Vec<(&str, &str)> = p["invalidParams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap(), f["code"].as_str().unwrap()))
            .collect();
        assert_eq!(fouten, [("/url", regel), ("/kanalen/1", "enum")], "{url}");
    }
    assert_problem(
        app.post(
            "/api/v1/abonnementen",
            &app.token("politie-haaglanden", &["wijkagent"]),
            &json!({"url": "https://example.org", "kanalen": ["termijnen"]}),
        )
        .await,
        403,
    )
    .await;

    let ontvanger = Ontvanger::default();
    ontvanger.storing.store(true, Ordering::SeqCst);
    let basis = ontvanger.start();
    let geheim = keten::abonneer(
        &app,
        "politie-haaglanden",
        &format!("{basis}/p"),
        &["terugkoppelingen"],
    )
    .await;
    let lijst: Value = app
        .get("/api/v1/abonnementen", &fb)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["count"], 1);
    assert!(
        lijst["results"][0].get("geheim").is_none(),
        "the secret is shown once"
    );
    let abo_id = lijst["results"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(
            &format!("/api/v1/abonnementen/{abo_id}"),
            &app.token("vt-haaglanden", &["functioneel-beheerder"])
        )
        .await
        .status(),
        404,
        "another organisation's subscription does not exist for you"
    );

    // Fails twice: dead.
    gebeurtenissen(
        &app,
        "politie-haaglanden",
        "terugkoppelingen.terugkoppeling-ontvangen",
        1,
        klok.nu(),
    );
    gebeurtenissen(
        &app,
        "politie-haaglanden",
        "zorgmeldingen.status-gewijzigd",
        1,
        klok.nu(),
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM bezorgingen"),
        1,
        "only the subscribed channel"
    );
    assert_eq!(app.bezorger.ronde().await.unwrap().mislukt, 1);
    klok.verschuif(Duration::seconds(31));
    assert_eq!(app.bezorger.ronde().await.unwrap().mislukt, 1);
    klok.verschuif(Duration::hours(7));
    assert_eq!(
        app.bezorger.ronde().await.unwrap(),
        Default::default(),
        "dead is dead"
    );
    let dood: Value = app
        .get("/api/v1/dode-berichten", &fb)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dood["count"], 1, "{dood}");
    let d = &dood["results"][0];
    assert_eq!(
        d["type"],
        "nl.ketenregie.terugkoppelingen.terugkoppeling-ontvangen"
    );
    assert_eq!(d["pogingen"], 2);
    assert!(d["laatsteFout"].as_str().unwrap().contains("500"));
    let platform: Value = app
        .get(
            "/api/v1/dode-berichten",
            &app.token("ketenregie-platform", &["platformbeheerder"]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(platform["count"], 1);
    let vt: Value = app
        .get(
            "/api/v1/dode-berichten",
            &app.token("vt-haaglanden", &["functioneel-beheerder"]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(vt["count"], 0);
    assert_problem(
        app.get(
            "/api/v1/dode-berichten",
            &app.token("politie-haaglanden", &["wijkagent"]),
        )
        .await,
        403,
    )
    .await;

    // Re-queued after the receiver is fixed: delivered once.
    ontvanger.storing.store(false, Ordering::SeqCst);
    let pad = format!(
        "/api/v1/dode-berichten/{}/_opnieuw",
        d["id"].as_str().unwrap()
    );
    assert_eq!(app.post(&pad, &fb, &json!({})).await.status(), 200);
    assert_problem(app.post(&pad, &fb, &json!({})).await, 409).await;
    assert_eq!(app.bezorger.ronde().await.unwrap().afgeleverd, 1);
    let events = ontvanger.events("/p", &geheim);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["type"],
        "nl.ketenregie.terugkoppelingen.terugkoppeling-ontvangen"
    );

    // Unsubscribed: gone.
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/abonnementen/{abo_id}")))
        .bearer_auth(&fb)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get(&format!("/api/v1/abonnementen/{abo_id}"), &fb)
            .await
            .status(),
        404
    );
}

async fn twee_scanners_tegelijk(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(db, "", &klok).await else {
        return;
    };
    let id = keten::verzonden_melding(&app).await;
    // 300 duties overdue and 100 due within the reminder lead time.
    let nu = klok.nu();
    let mut c = app.pool.get().unwrap();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        use diesel::prelude::*;
        use ketenregie_store::schema::termijnen as t;
        for i in 0..400 {
            let due = if i < 300 {
                nu - Duration::hours(1 + i)
            } else {
                nu + Duration::hours(2)
            };
            diesel::insert_into(t::table)
                .values((
                    t::id.eq(uuid::Uuid::now_v7().to_string()),
                    t::zorgmelding_id.eq(&id),
                    t::afzender.eq("politie-haaglanden"),
                    t::ontvanger.eq("vt-haaglanden"),
                    t::moment.eq("na-beoordeling"),
                    t::verschuldigd_op.eq(ketenregie_common::time::to_db(due)),
                    t::bron.eq("test"),
                    t::aangemaakt_op.eq(ketenregie_common::time::to_db(nu - Duration::days(30))),
                    t::herinneren_vanaf.eq(ketenregie_common::time::to_db(nu - Duration::days(30))),
                ))
                .execute(c)?;
        }
        Ok(())
    })
    .unwrap();
    drop(c);
    let scanner = |naam_batch: i64| Scanner {
        pool: eigen_pool(&app),
        klok: klok.clone(),
        instelling: ketenregie_feedback::scanner::ScanInstelling {
            batch: naam_batch,
            ..Default::default()
        },
    };
    let (a, b) = (scanner(25), scanner(40));
    let (ra, rb) = tokio::join!(a.ronde(), b.ronde());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    // The melding's own receipt duty is due on Tuesday after Easter (Good Friday and Easter
    // Monday are holidays under the Algemene termijnenwet): outside the lead time.
    assert_eq!(ra.herinneringen + rb.herinneringen, 100);
    assert_eq!(ra.escalaties + rb.escalaties, 300);
    assert_eq!(ra.laatmeldingen + rb.laatmeldingen, 300);
    assert_eq!(app.scanner.ronde().await.unwrap(), Default::default());
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM (SELECT onderwerp, soort FROM outbox GROUP BY onderwerp, soort HAVING count(*) > 1) x"),
        0,
        "every notice once"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM outbox WHERE soort LIKE 'nl.ketenregie.termijnen.%'"),
        700
    );
    if db == Db::Postgres {
        eprintln!("scanners: a {ra:?}, b {rb:?}");
    }
}

/// HERINNERING_NA_HALVE_TERMIJN: a melding sent on Monday 20 April 2026 at 10:00 in The
/// Hague owes its receipt on Tuesday at 10:00, a term wholly inside the 24-hour reminder
/// lead. No reminder the moment it arrives; one at half the term, Monday 22:00, and only
/// for the receipt (the triage is due in five working days).
async fn herinnering_na_halve_termijn(db: Db) {
    let maandag = DateTime::parse_from_rfc3339("2026-04-20T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let klok = Klok::vast(maandag);
    let Some(app) = app(db, "", &klok).await else {
        return;
    };
    let id = keten::verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    let ontvangst = m["termijnen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["moment"] == "ontvangstbevestiging")
        .unwrap()
        .clone();
    assert_eq!(ontvangst["verschuldigdOp"], "2026-04-21T08:00:00Z", "{m}");

    klok.verschuif(Duration::minutes(1));
    assert_eq!(
        app.scanner.ronde().await.unwrap(),
        Default::default(),
        "no reminder a minute after the melding arrived"
    );
    klok.verschuif(Duration::hours(11) + Duration::minutes(58));
    assert_eq!(
        app.scanner.ronde().await.unwrap(),
        Default::default(),
        "none a minute before half the term"
    );
    klok.verschuif(Duration::minutes(1));
    let r = app.scanner.ronde().await.unwrap();
    assert_eq!((r.herinneringen, r.escalaties, r.laatmeldingen), (1, 0, 0));
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    let herinnerd: Vec<(&str, &str)> = m["termijnen"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| Some((t["moment"].as_str()?, t["herinnerdOp"].as_str()?)))
        .collect();
    assert_eq!(
        herinnerd,
        [("ontvangstbevestiging", "2026-04-20T20:00:00Z")],
        "{m}"
    );
}

async fn twee_bezorgers_na_uitval(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(db, "", &klok).await else {
        return;
    };
    let ontvanger = Ontvanger::default();
    let basis = ontvanger.start();
    let geheim = keten::abonneer(
        &app,
        "politie-haaglanden",
        &format!("{basis}/p"),
        &["termijnen"],
    )
    .await;
    gebeurtenissen(
        &app,
        "politie-haaglanden",
        "termijnen.escalatie",
        60,
        klok.nu(),
    );
    let instantie = |naam: &str| {
        let mut b: Bezorger = app.bezorger.clone();
        b.pool = eigen_pool(&app);
        b.instantie = naam.into();
        b.instelling.batch = 20;
        b
    };
    // Instance A claims a batch of 20, delivers 5 and dies.
    let r = instantie("a").ronde_tot(Some(5)).await.unwrap();
    assert_eq!(r.afgeleverd, 5);
    assert_eq!(app.tel("SELECT count(*) AS n FROM bezorgingen WHERE status = 'wachtend' AND geclaimd_door = 'a'"), 15);
    // B and C share the rest; A's claims hold until its lease ends.
    let (b, c) = (instantie("b"), instantie("c"));
    let (rb, rc) = tokio::join!(b.ronde(), c.ronde());
    assert_eq!(rb.unwrap().afgeleverd + rc.unwrap().afgeleverd, 40);
    klok.verschuif(Duration::seconds(121));
    let (rb, rc) = tokio::join!(b.ronde(), c.ronde());
    assert_eq!(
        rb.unwrap().afgeleverd + rc.unwrap().afgeleverd,
        15,
        "A's claims taken over"
    );
    let (rb, rc) = tokio::join!(b.ronde(), c.ronde());
    assert_eq!((rb.unwrap(), rc.unwrap()), Default::default());
    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    for e in ontvanger.events("/p", &geheim) {
        *per_id
            .entry(e["id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(per_id.len(), 60, "every notification delivered");
    assert!(per_id.values().all(|n| *n == 1), "exactly once: {per_id:?}");
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM bezorgingen WHERE status = 'afgeleverd'"),
        60
    );
}

/// Fault 8 of issue 11: the signature covers id, timestamp and body (Standard Webhooks),
/// so a receiver rejects a captured delivery replayed later while a legitimate retry
/// hours later, with the same `webhook-id`, is accepted and recognised.
async fn webhook_replay_en_herhaling(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(db, "[dispatcher]\nenabled = false\n", &klok).await else {
        return;
    };
    let ontvanger = Ontvanger::default();
    ontvanger.storing.store(true, Ordering::SeqCst);
    let basis = ontvanger.start();
    let geheim = keten::abonneer(
        &app,
        "politie-haaglanden",
        &format!("{basis}/p"),
        &["termijnen"],
    )
    .await;
    assert!(geheim.starts_with("whsec_"), "a Standard Webhooks secret");
    gebeurtenissen(
        &app,
        "politie-haaglanden",
        "termijnen.escalatie",
        1,
        klok.nu(),
    );
    // Two attempts while the receiver is down, then one three hours later.
    assert_eq!(app.bezorger.ronde().await.unwrap().mislukt, 1);
    klok.verschuif(Duration::seconds(31));
    assert_eq!(app.bezorger.ronde().await.unwrap().mislukt, 1);
    ontvanger.storing.store(false, Ordering::SeqCst);
    klok.verschuif(Duration::hours(3));
    assert_eq!(app.bezorger.ronde().await.unwrap().afgeleverd, 1);

    let p = ontvanger.pogingen("/p");
    assert_eq!(p.len(), 3);
    let bezorging: String = {
        use diesel::prelude::*;
        use ketenregie_store::schema::bezorgingen;
        let mut c = app.pool.get().unwrap();
        bezorgingen::table
            .select(bezorgingen::id)
            .first(&mut c)
            .unwrap()
    };
    // A retry keeps its id (the delivery id, also the CloudEvent id); the timestamp is
    // the attempt's own.
    for o in &p {
        assert_eq!(o.id, bezorging);
        let e: Value = serde_json::from_slice(&o.body).unwrap();
        assert_eq!(e["id"], bezorging.as_str());
    }
    let t0 = begin().timestamp();
    let tijden: Vec<i64> = p.iter().map(|o| o.tijdstip.parse().unwrap()).collect();
    assert_eq!(tijden, [t0, t0 + 31, t0 + 31 + 3 * 3600]);
    // Each attempt verifies at its own time; the retry three hours on is accepted.
    for (o, t) in p.iter().zip(&tijden) {
        assert_eq!(keten::verifieer(o, &geheim, *t), Ok(()));
    }
    let nu = klok.nu().timestamp();
    assert_eq!(keten::verifieer(&p[2], &geheim, nu), Ok(()));
    // A captured earlier attempt replayed now is detectable: outside the tolerance...
    assert_eq!(
        keten::verifieer(&p[0], &geheim, nu),
        Err("buiten tolerantie")
    );
    // ...and freshening its timestamp, or changing its id to get past de-duplication,
    // breaks the signature.
    let mut vers = p[0].clone();
    vers.tijdstip = nu.to_string();
    assert_eq!(keten::verifieer(&vers, &geheim, nu), Err("handtekening"));
    let mut ander_id = p[2].clone();
    ander_id.id = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        keten::verifieer(&ander_id, &geheim, nu),
        Err("handtekening")
    );
    // The accepted delivery replayed ten minutes later: too old.
    assert_eq!(
        keten::verifieer(&p[2], &geheim, nu + 600),
        Err("buiten tolerantie")
    );
    // Only the Standard Webhooks signature: no body-only signature a replay could reuse.
    assert!(p.iter().all(|o| o.handtekening.starts_with("v1,")));
}

/// The dispatcher of a release-shaped process (`ketenregie serve`) on `url`: batches of 50,
/// one send at a time (the default), a pass every second, a lease of 5 s, transport
/// timeouts of 4 s; SMTP to `smtp_poort`.
fn bezorgend_proces(url: &str, dir: &std::path::Path, smtp_poort: u16) -> std::process::Child {
    let fixture = |n: &str| format!("{}/tests/fixtures/{n}", env!("CARGO_MANIFEST_DIR"));
    std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .arg("serve")
        .env("KETENREGIE_DATABASE__URL", url)
        .env(
            "KETENREGIE_SERVER__BIND",
            format!("127.0.0.1:{}", keten::vrije_poort()),
        )
        .env("KETENREGIE_SERVER__WORKERS", "1")
        .env("KETENREGIE_AUTH__ISSUER", common::ISSUER)
        .env("KETENREGIE_AUTH__AUDIENCE", common::AUDIENCE)
        .env("KETENREGIE_AUTH__JWKS_FILE", fixture("jwks.json"))
        .env("KETENREGIE_AUTH__DEV_SECRET_FILE", dir.join("dev-secret"))
        .env(
            "KETENREGIE_PRIVACY__PSEUDONYM_KEY",
            "dGVzdC1wc2V1ZG9ueW0ta2V5LTMyLWJ5dGVzLWxvbmc=",
        )
        .env(
            "KETENREGIE_PRIVACY__ENCRYPTION_KEY",
            "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=",
        )
        .env("KETENREGIE_REFERENCE_DATA__LOAD_AT_START", "false")
        .env("KETENREGIE_SCANNER__ENABLED", "false")
        .env("KETENREGIE_DISPATCHER__ENABLED", "true")
        .env("KETENREGIE_DISPATCHER__INTERVAL_SECONDS", "1")
        .env("KETENREGIE_DISPATCHER__BATCH_SIZE", "50")
        .env("KETENREGIE_DISPATCHER__LEASE_SECONDS", "5")
        .env("KETENREGIE_EMAIL__TRANSPORT", "smtp")
        .env("KETENREGIE_EMAIL__SMTP_HOST", "127.0.0.1")
        .env("KETENREGIE_EMAIL__SMTP_PORT", smtp_poort.to_string())
        .env("KETENREGIE_EMAIL__SMTP_TLS", "none")
        .env("KETENREGIE_EMAIL__TIMEOUT_SECONDS", "4")
        .env("KETENREGIE_WEBHOOKS__TIMEOUT_SECONDS", "4")
        .env("KETENREGIE_WEBHOOKS__ALLOW_PRIVATE_NETWORKS", "true")
        .env("KETENREGIE_LIMITS__CLIENT_PER_SECOND", "0")
        .env("KETENREGIE_LIMITS__USER_PER_SECOND", "0")
        .env("KETENREGIE_LOG__FILTER", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ketenregie serve starts")
}

/// Poll `klaar` every 10 ms until it holds (guard: 60 s).
async fn wacht_tot(wat: &str, mut klaar: impl FnMut() -> bool) {
    let grens = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !klaar() {
        assert!(std::time::Instant::now() < grens, "{wat}: not within 60 s");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// Finding 8 of issue 14 (build point 7): a crash while sending re-sends nothing. 50
/// deliveries in one batch; the receiver takes the 11th and never answers; the sending
/// process is killed (SIGKILL) then, with 10 delivered, 1 in flight and 39 claimed but not
/// sent. A second process takes the claims over after the lease: it sends the 39 once and
/// marks the one in flight `onzeker` without sending it. The receiver sees every id at most
/// once (re-sent: 0); the functional admin sees the uncertain one and may re-queue it.
async fn crash_tijdens_verzenden(db: Db, kanaal: &str) {
    if kanaal == "email" && !SmtpSink::beschikbaar() {
        return;
    }
    let klok = Klok::vast(begin());
    let Some(app) = app(db, "", &klok).await else {
        return;
    };
    const N: usize = 50;
    const HAPER: usize = 11;
    let smtp_poort = keten::vrije_poort();
    let ontvanger = Ontvanger::default();
    let (org, sink) = if kanaal == "email" {
        keten::contactpunt(
            &app,
            "vt-haaglanden",
            "meldingen",
            "meldingen@vt-haaglanden.test",
        )
        .await;
        let sink = SmtpSink::start_met_hapering(&app.dir, smtp_poort, HAPER);
        ("vt-haaglanden", Some(sink))
    } else {
        *ontvanger.haper_bij.lock().unwrap() = Some(HAPER);
        let basis = ontvanger.start();
        keten::abonneer(
            &app,
            "politie-haaglanden",
            &format!("{basis}/p"),
            &["termijnen"],
        )
        .await;
        ("politie-haaglanden", None)
    };
    gebeurtenissen(&app, org, "termijnen.escalatie", N, klok.nu());
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM bezorgingen"),
        N as i64,
        "one delivery per event"
    );
    // The receiver's view: every delivery id it got, in order of arrival.
    let ontvangen = || -> Vec<String> {
        match &sink {
            Some(sink) => sink
                .berichten()
                .iter()
                .map(|m| {
                    m.lines()
                        .find_map(|r| r.strip_prefix("Message-ID: "))
                        .expect("a Message-ID")
                        .trim()
                        .to_string()
                })
                .collect(),
            None => ontvanger.pogingen("/p").into_iter().map(|o| o.id).collect(),
        }
    };

    let mut a = bezorgend_proces(&app.db_url(), &app.dir, smtp_poort);
    wacht_tot("the 11th send", || ontvangen().len() >= HAPER).await;
    a.kill().unwrap(); // SIGKILL, mid-send
    a.wait().unwrap();
    let stand = |status: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM bezorgingen WHERE status = '{status}'"
        ))
    };
    assert_eq!(
        (stand("afgeleverd"), stand("verzenden"), stand("wachtend")),
        ((HAPER - 1) as i64, 1, (N - HAPER) as i64),
        "killed with 10 delivered, 1 in flight, the rest claimed but not sent"
    );

    let mut b = bezorgend_proces(&app.db_url(), &app.dir, smtp_poort);
    wacht_tot("the takeover", || {
        stand("wachtend") + stand("verzenden") == 0 && stand("afgeleverd") == (N - 1) as i64
    })
    .await;
    b.kill().unwrap();
    b.wait().unwrap();

    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    for id in ontvangen() {
        *per_id.entry(id).or_default() += 1;
    }
    let opnieuw = per_id.values().filter(|n| **n > 1).count();
    println!(
        "crash mid-send ({db:?}, {kanaal}): batch of {N}, process killed (SIGKILL) with {} delivered and 1 in flight; after the takeover: {} ids received, re-sent {opnieuw}, onzeker {}",
        HAPER - 1,
        per_id.len(),
        stand("onzeker")
    );
    assert_eq!(per_id.len(), N, "every delivery received");
    assert_eq!(opnieuw, 0, "nothing re-sent: {per_id:?}");
    assert_eq!(stand("onzeker"), 1, "the one in flight is uncertain");

    // The functional admin sees it beside the dead letters, and may re-queue it.
    let fb = app.token(org, &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/dode-berichten", &fb)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["count"], 1, "{lijst}");
    let d = &lijst["results"][0];
    assert_eq!(d["status"], "onzeker");
    assert!(
        d["laatsteFout"].as_str().unwrap().contains("onderbroken"),
        "{d}"
    );
    let id = d["id"].as_str().unwrap();
    let haper = ontvangen()[HAPER - 1].clone();
    assert!(haper.contains(id), "the uncertain one is the one in flight");
    let res = app
        .post(
            &format!("/api/v1/dode-berichten/{id}/_opnieuw"),
            &fb,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut c = bezorgend_proces(&app.db_url(), &app.dir, smtp_poort);
    wacht_tot("the re-queued delivery", || stand("afgeleverd") == N as i64).await;
    c.kill().unwrap();
    c.wait().unwrap();
    assert_eq!(
        ontvangen().iter().filter(|i| i.contains(id)).count(),
        2,
        "re-queued by the admin: sent once more"
    );
}

async fn crash_tijdens_verzenden_email(db: Db) {
    crash_tijdens_verzenden(db, "email").await;
}

async fn crash_tijdens_verzenden_webhook(db: Db) {
    crash_tijdens_verzenden(db, "webhook").await;
}

op_beide_backends!(
    smtp_eerst_onbereikbaar,
    ssrf_speciale_adressen,
    dode_berichten_en_abonnementen,
    twee_scanners_tegelijk,
    herinnering_na_halve_termijn,
    twee_bezorgers_na_uitval,
    webhook_replay_en_herhaling,
    crash_tijdens_verzenden_email,
    crash_tijdens_verzenden_webhook
);
