//! Delivering the outbox: nothing lost and nothing sent twice when the SMTP server is down
//! at first; retries with back-off, dead letters and re-queueing; webhook subscriptions
//! and their URL rules; and several instances at once: two deadline scanners, and two
//! dispatchers after a third died mid-batch, each notice delivered exactly once; webhook
//! signatures a receiver can check for replays, with the id kept across retries.

mod common;

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
        assert_eq!(fouten, [("url", regel), ("kanalen[1]", "enum")], "{url}");
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

op_beide_backends!(
    smtp_eerst_onbereikbaar,
    dode_berichten_en_abonnementen,
    twee_scanners_tegelijk,
    twee_bezorgers_na_uitval,
    webhook_replay_en_herhaling
);
