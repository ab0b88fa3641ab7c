//! Issue 11 fault 6: no limit on anything. Now: request rate limits per client and per
//! user, a per-user daily quota on briefings and person look-ups counted in the database
//! (shared by instances) with a notice to the privacy officer, each a 429 problem+json
//! with Retry-After; and token rules (size, lifetime, `iat`, `aud` arrays, RFC 9068 `typ`).

use crate::common;

use common::keten::{self, Ontvanger, SmtpSink};
use common::{Db, TestApp, assert_problem, claims, rs256, rs256_with, spawn, spawn_with};
use ketenregie_api::auth::Audience;
use serde_json::{Value, json};

const PAD: &str = "/api/v1/organisaties";

/// Send `n` GETs to `pad`, `tegelijk` at a time, each with the headers `kop` gives it;
/// returns the responses' statuses, and the first 429 seen.
async fn bestook(
    app: &TestApp,
    n: usize,
    tegelijk: usize,
    token: &str,
    kop: impl Fn(usize) -> Vec<(&'static str, String)>,
) -> (Vec<u16>, Option<reqwest::Response>) {
    let mut statussen = Vec::new();
    let mut eerste_429 = None;
    let mut i = 0;
    while i < n {
        let mut set = tokio::task::JoinSet::new();
        for j in i..(i + tegelijk).min(n) {
            let mut rb = app.client.get(app.url(PAD)).bearer_auth(token);
            for (k, v) in kop(j) {
                rb = rb.header(k, v);
            }
            set.spawn(async move { rb.send().await.unwrap() });
        }
        while let Some(res) = set.join_next().await {
            let res = res.unwrap();
            statussen.push(res.status().as_u16());
            if res.status() == 429 && eerste_429.is_none() {
                eerste_429 = Some(res);
            }
        }
        i += tegelijk;
    }
    (statussen, eerste_429)
}

async fn is_429(res: reqwest::Response) {
    let wacht: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wacht >= 1, "Retry-After {wacht}");
    let body = assert_problem(res, 429).await;
    assert_eq!(
        body["type"],
        "https://ketenregie.nl/problemen/te-veel-verzoeken"
    );
}

/// The fault as written, with the default limits: a stream of requests with bad tokens,
/// and one with a good token, from one client, is answered 429 before long.
async fn standaardlimieten_geven_429(db: Db) {
    // A `[limits]` section of its own keeps the production defaults (the test harness
    // switches the rate limits off for every other test).
    let standaard = "[limits]\n# the production defaults";
    let Some(app) = spawn_with(db, standaard).await else {
        return;
    };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let (s, eerste) = bestook(&app, 1000, 50, "geen.geldig.token", |_| vec![]).await;
    assert!(s.contains(&401), "bad tokens are refused");
    assert!(s.contains(&429), "a flood of bad tokens is cut off: {s:?}");
    is_429(eerste.unwrap()).await;
    assert!(!s.iter().any(|c| *c >= 500));

    // A good token: the per-user limit (another client address is not needed for it).
    let Some(app) = spawn_with(db, standaard).await else {
        return;
    };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let token = app.token("politie-den-haag", &["noodhulp"]);
    let (s, eerste) = bestook(&app, 300, 30, &token, |_| vec![]).await;
    assert!(s.contains(&200));
    assert!(s.contains(&429), "one user's stream is limited: {s:?}");
    is_429(eerste.unwrap()).await;
}

/// The client is the TCP peer unless a trusted proxy header is configured; then the last
/// address in it counts, so clients behind the proxy are limited apart.
async fn proxykop_alleen_als_geconfigureerd(db: Db) {
    let limiet = "[limits]\nclient_per_second = 1\nclient_burst = 3\nuser_per_second = 0";
    let Some(app) = spawn_with(db, limiet).await else {
        return;
    };
    // Not configured: a client cannot escape by writing the header itself.
    let (s, _) = bestook(&app, 10, 1, "x.y.z", |i| {
        vec![("x-forwarded-for", format!("198.51.100.{i}"))]
    })
    .await;
    assert!(s.contains(&429), "{s:?}");

    let Some(app) = spawn_with(
        db,
        &format!("{limiet}\ntrusted_proxy_header = \"X-Forwarded-For\""),
    )
    .await
    else {
        return;
    };
    let (s, eerste) = bestook(&app, 10, 1, "x.y.z", |_| {
        vec![("x-forwarded-for", "198.51.100.7, 203.0.113.9".to_string())]
    })
    .await;
    assert!(s.contains(&429), "{s:?}");
    is_429(eerste.unwrap()).await;
    // Another client behind the same proxy still gets through.
    let (s, _) = bestook(&app, 1, 1, "x.y.z", |_| {
        vec![("x-forwarded-for", "198.51.100.7, 203.0.113.10".to_string())]
    })
    .await;
    assert_eq!(s, vec![401]);
}

/// A second instance on the same database (the quota is counted there).
async fn tweede_instantie(app: &TestApp) -> String {
    let mut config = app.config.clone();
    config.server.bind = "127.0.0.1:0".parse().unwrap();
    let tweede = ketenregie_api::Application::build(config).await.unwrap();
    let base = format!("http://127.0.0.1:{}", tweede.port());
    actix_web::rt::spawn(tweede.run_until_stopped());
    base
}

/// The fault as written: many briefings on one BSN by one user. Over the daily quota:
/// 429 with Retry-After, counted across instances, and one notice to the organisation,
/// with no personal data, that its privacy officer can read.
async fn quotum_op_briefings_en_personen(db: Db) {
    let Some(app) = spawn_with(
        db,
        "[limits]\nuser_per_second = 0\nbriefings_per_day = 3\nperson_lookups_per_day = 2",
    )
    .await
    else {
        return;
    };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    app.organisatie("politie-utrecht", "politie", &[]).await;
    let andere = tweede_instantie(&app).await;
    let noodhulp = app.token("politie-den-haag", &["noodhulp"]);
    let briefing = |base: String| {
        app.client
            .post(format!("{base}/api/v1/briefings/_zoek"))
            .bearer_auth(&noodhulp)
            .json(&json!({"bsn": "999990032"}))
            .send()
    };
    for base in [&app.base, &andere, &app.base] {
        let res = briefing(base.clone()).await.unwrap();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    // The fourth, on the other instance: over the quota of 3.
    let res = briefing(andere.clone()).await.unwrap();
    let wacht: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=90_000).contains(&wacht),
        "until Dutch midnight: {wacht}"
    );
    is_429(res).await;
    assert_eq!(briefing(app.base.clone()).await.unwrap().status(), 429);

    // One notice, to the organisation, type and reference only.
    let berichten = app.tel(
        "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.privacy.quotum-overschreden' AND organisatie = 'politie-den-haag'",
    );
    assert_eq!(berichten, 1);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM outbox WHERE onderwerp LIKE '%99999%' OR dataref LIKE '%99999%'"),
        0
    );
    let privacy = app.token("politie-den-haag", &["privacyfunctionaris"]);
    let lijst: Value = app
        .get(
            "/api/v1/berichten?soort=privacy.quotum-overschreden",
            &privacy,
        )
        .await
        .json()
        .await
        .unwrap();
    let dataref = lijst["results"][0]["dataref"].as_str().unwrap().to_string();
    let res = app.get(&dataref, &privacy).await;
    assert_eq!(res.status(), 200);
    let o: Value = res.json().await.unwrap();
    assert_eq!(o["soort"], "briefing");
    assert_eq!(o["limiet"], 3);
    assert_eq!(o["aantal"], 5);
    assert!(o["gebruiker"].as_str().unwrap().starts_with("gebruiker-"));
    assert!(o["periode"].is_string() && o["overschredenOp"].is_string());
    assert!(!o.to_string().contains("999990032"));
    // Only the privacy officer of that organisation: another role 403, another
    // organisation the same 404 as an unknown id.
    assert_problem(app.get(&dataref, &noodhulp).await, 403).await;
    let elders = app.token("politie-utrecht", &["privacyfunctionaris"]);
    assert_problem(app.get(&dataref, &elders).await, 404).await;
    let onbekend = format!("/api/v1/quotumoverschrijdingen/{}", uuid::Uuid::now_v7());
    assert_problem(app.get(&onbekend, &privacy).await, 404).await;

    // Person look-ups have their own quota; another user is not affected by this one.
    let pad = format!("/api/v1/personen/{}", uuid::Uuid::now_v7());
    for _ in 0..2 {
        assert_eq!(app.get(&pad, &noodhulp).await.status(), 404);
    }
    is_429(app.get(&pad, &noodhulp).await).await;
    let collega = app.token("politie-den-haag", &["noodhulp"]);
    assert_eq!(app.get(&pad, &collega).await.status(), 404);
    assert_eq!(
        app.tel(
            "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.privacy.quotum-overschreden'"
        ),
        2
    );

    // Retention: after 90 days the counters go, and the notices about them with them.
    let mut c = app.pool.get().unwrap();
    let r = ketenregie_api::app::bewaring_uitvoeren(
        &mut c,
        &[std::sync::Arc::new(ketenregie_api::limieten::QuotumBron)],
        std::sync::Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap()),
        std::sync::Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap()),
        ketenregie_common::time::now_utc() + chrono::Duration::days(92),
        false,
    )
    .unwrap();
    assert!(r.per_soort.contains(&("outbox", 2)), "{:?}", r.per_soort);
    drop(c);
    assert_eq!(app.tel("SELECT count(*) AS n FROM gebruiksquota"), 0);
    assert_eq!(
        app.tel(
            "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.privacy.quotum-overschreden'"
        ),
        0
    );
}

/// The quota notice reaches the privacy officer: by e-mail at the organisation's `privacy`
/// contact point (not its `meldingen` desk), in Dutch words, and at a webhook subscribed
/// to the `privacy` channel; neither names the person looked up.
async fn quotumbericht_naar_privacyfunctionaris(db: Db) {
    if !SmtpSink::beschikbaar() {
        return;
    }
    let poort = keten::vrije_poort();
    let Some(app) = spawn_with(
        db,
        &format!(
            "[limits]\nuser_per_second = 0\nbriefings_per_day = 1\n\
             [email]\ntransport = \"smtp\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {poort}\nsmtp_tls = \"none\"\ntimeout_seconds = 2\n"
        ),
    )
    .await
    else {
        return;
    };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    keten::contactpunt(
        &app,
        "politie-den-haag",
        "meldingen",
        "meldingen@politie.test",
    )
    .await;
    keten::contactpunt(&app, "politie-den-haag", "privacy", "fg@politie.test").await;
    let ontvanger = Ontvanger::default();
    let basis = ontvanger.start();
    let geheim = keten::abonneer(
        &app,
        "politie-den-haag",
        &format!("{basis}/fg"),
        &["privacy"],
    )
    .await;
    let sink = SmtpSink::start(&app.dir, poort);

    let noodhulp = app.token("politie-den-haag", &["noodhulp"]);
    for verwacht in [200, 429] {
        let res = app
            .post(
                "/api/v1/briefings/_zoek",
                &noodhulp,
                &json!({"bsn": "999990032"}),
            )
            .await;
        assert_eq!(res.status(), verwacht);
    }
    let r = app.bezorger.ronde().await.unwrap();
    assert_eq!((r.afgeleverd, r.mislukt), (2, 0), "one e-mail, one webhook");

    let mails = sink.berichten();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(
        mail.starts_with("X-Ontvangers: fg@politie.test\r\n"),
        "{mail}"
    );
    assert!(
        mail.contains("Dagquotum overschreden"),
        "Dutch words: {mail}"
    );
    assert!(mail.contains("/api/v1/quotumoverschrijdingen/"), "{mail}");
    assert!(!mail.contains("999990032"));

    let events = ontvanger.events("/fg", &geheim);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["type"],
        "nl.ketenregie.privacy.quotum-overschreden"
    );
    let dataref = events[0]["dataref"].as_str().unwrap();
    assert!(
        dataref.contains("/api/v1/quotumoverschrijdingen/"),
        "{dataref}"
    );
    assert!(!ontvanger.alles().concat().contains("999990032"));
    // The link opens for the privacy officer.
    let pad = &dataref[dataref.find("/api/v1/").unwrap()..];
    let fg = app.token("politie-den-haag", &["privacyfunctionaris"]);
    assert_eq!(app.get(pad, &fg).await.status(), 200);
}

async fn afgewezen(app: &TestApp, token: &str, in_detail: &str) {
    let res = app.get(PAD, token).await;
    assert!(res.headers().contains_key("www-authenticate"));
    let body = assert_problem(res, 401).await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains(in_detail),
        "detail `{detail}` should mention `{in_detail}`"
    );
}

/// The fault as written: an 80 KB token was accepted, one expiring in 2100 too; `aud` as
/// an array and `typ: application/at+jwt` were refused.
async fn tokenregels(db: Db) {
    let Some(app) = spawn(db).await else { return };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let nu = chrono::Utc::now().timestamp();

    let mut groot = claims("politie-den-haag", &["wijkagent"]);
    groot.name = Some("x".repeat(80 * 1024));
    afgewezen(&app, &rs256(&groot), "8192 bytes").await;
    let mut net_te_groot = claims("politie-den-haag", &["wijkagent"]);
    net_te_groot.name = Some("x".repeat(6200));
    afgewezen(&app, &rs256(&net_te_groot), "8192 bytes").await;
    let mut past = claims("politie-den-haag", &["wijkagent"]);
    past.name = Some("x".repeat(5000));
    assert_eq!(app.get(PAD, &rs256(&past)).await.status(), 200);

    let mut eeuwig = claims("politie-den-haag", &["wijkagent"]);
    eeuwig.exp = 4_102_444_800; // 2100-01-01
    afgewezen(&app, &rs256(&eeuwig), "te lang").await;
    let mut zonder_iat = claims("politie-den-haag", &["wijkagent"]);
    zonder_iat.iat = None;
    afgewezen(&app, &rs256(&zonder_iat), "iat").await;
    let mut toekomst = claims("politie-den-haag", &["wijkagent"]);
    toekomst.iat = Some(nu + 600);
    toekomst.exp = nu + 1200;
    afgewezen(&app, &rs256(&toekomst), "toekomst").await;
    let mut uur = claims("politie-den-haag", &["wijkagent"]);
    uur.exp = uur.iat.unwrap() + 3600;
    assert_eq!(app.get(PAD, &rs256(&uur)).await.status(), 200);

    let mut reeks = claims("politie-den-haag", &["wijkagent"]);
    reeks.aud = Audience::Meer(vec!["een-ander".into(), common::AUDIENCE.into()]);
    assert_eq!(app.get(PAD, &rs256(&reeks)).await.status(), 200);
    let mut vreemd = claims("politie-den-haag", &["wijkagent"]);
    vreemd.aud = Audience::Meer(vec!["een-ander".into()]);
    afgewezen(&app, &rs256(&vreemd), "aud").await;

    for typ in ["application/at+jwt", "AT+JWT", "Application/AT+JWT"] {
        let res = app
            .get(
                PAD,
                &rs256_with(&claims("politie-den-haag", &["wijkagent"]), typ),
            )
            .await;
        assert_eq!(res.status(), 200, "typ {typ}");
    }
    afgewezen(
        &app,
        &rs256_with(&claims("politie-den-haag", &["wijkagent"]), "JWT"),
        "typ",
    )
    .await;
    afgewezen(
        &app,
        &rs256_with(
            &claims("politie-den-haag", &["wijkagent"]),
            "application/jwt",
        ),
        "typ",
    )
    .await;
}

/// Headers too large for the HTTP layer itself (actix answers before any handler) are a
/// 431 problem+json too.
async fn te_grote_kopregels(db: Db) {
    let Some(app) = spawn(db).await else { return };
    // Straight to the application: the contract proxy has its own header limit.
    let res = app
        .client
        .get(format!("{}{PAD}", app.direct))
        .header("x-opvulling", "x".repeat(140 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 431);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], 431);
    assert_eq!(
        body["type"],
        "https://ketenregie.nl/problemen/kopregels-te-groot"
    );
    // More header fields than the parser takes (96) is the same answer.
    let mut rb = app.client.get(format!("{}{PAD}", app.direct));
    for i in 0..100 {
        rb = rb.header(format!("x-veld-{i}"), "x");
    }
    let res = rb.send().await.unwrap();
    assert_eq!(res.status(), 431);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
}

/// `ketenregie token` makes tokens the service accepts: not longer-lived than allowed, only
/// for roles that exist and organisations registered in the configured database (issue 13:
/// it printed tokens the service then answered with a 401).
#[test]
fn ontwikkeltoken_past_binnen_de_regels() {
    let dir = common::temp_dir();
    let ketenregie = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
            .current_dir(&dir)
            .env_remove("KETENREGIE_CONFIG")
            .args(args)
            .output()
            .unwrap()
    };
    // The reference data registers the Veilig Thuis organisations.
    assert!(ketenregie(&["import"]).status.success());
    let token = |org: &str, rol: &str, minuten: &str| {
        ketenregie(&[
            "token",
            "--organisatie",
            org,
            "--rol",
            rol,
            "--geldig-minuten",
            minuten,
        ])
    };
    let ok = token("veilig-thuis-haaglanden", "triagist", "60");
    assert!(ok.status.success(), "{ok:?}");
    let te_lang = token("veilig-thuis-haaglanden", "triagist", "480");
    assert!(!te_lang.status.success());
    assert!(String::from_utf8_lossy(&te_lang.stderr).contains("auth.max_lifetime_seconds"));
    let rol = token("veilig-thuis-haaglanden", "baas", "60");
    assert!(!rol.status.success());
    assert!(String::from_utf8_lossy(&rol.stderr).contains("unknown role `baas`"));
    let org = token("politie-nergens", "noodhulp", "60");
    assert!(!org.status.success());
    assert!(String::from_utf8_lossy(&org.stderr).contains("`politie-nergens` is not registered"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The daily quota counts a Dutch calendar day (Europe/Amsterdam): at 23:59 summer time
/// (21:59Z) a user over the quota waits 60 s, until local midnight; two minutes later, still
/// the same UTC day, the new Dutch day has a fresh quota.
async fn quotum_per_nederlandse_dag(db: Db) {
    let klok = ketenregie_common::Klok::vast(
        chrono::DateTime::parse_from_rfc3339("2027-07-01T21:59:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
    let Some(app) = common::spawn_met(
        db,
        "[limits]\nuser_per_second = 0\nperson_lookups_per_day = 2",
        ketenregie_api::app::Onderdelen {
            klok: klok.clone(),
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let noodhulp = app.token("politie-den-haag", &["noodhulp"]);
    let pad = format!("/api/v1/personen/{}", uuid::Uuid::now_v7());
    for _ in 0..2 {
        assert_eq!(app.get(&pad, &noodhulp).await.status(), 404);
    }
    let res = app.get(&pad, &noodhulp).await;
    assert_eq!(res.headers()["retry-after"], "60", "until 00:00 CEST");
    is_429(res).await;
    klok.verschuif(chrono::Duration::minutes(2));
    assert_eq!(
        app.get(&pad, &noodhulp).await.status(),
        404,
        "00:01 on 2 July in the Netherlands: a new day (in UTC still 1 July)"
    );
    assert_eq!(
        app.tel(
            "SELECT count(*) AS n FROM gebruiksquota WHERE periode = '2027-07-01' AND aantal = 3"
        ),
        1
    );
    assert_eq!(
        app.tel(
            "SELECT count(*) AS n FROM gebruiksquota WHERE periode = '2027-07-02' AND aantal = 1"
        ),
        1
    );
}

/// PERSOONSLEZING_TELT (the outside test of 2 Dec 2026, F3): every read by id of a record
/// holding person data counts as a person look-up, not only `GET /personen/{id}`: the
/// authority over a child (`/gezag`, every holder's name), a family (every member's), an
/// incident (the persons it names) and the statements of these; past the quota a 429.
/// A write on the same path (`POST /personen/{id}/gezag`) is not a look-up.
async fn quotum_op_elke_persoonslezing(db: Db) {
    let Some(app) = spawn_with(
        db,
        "[limits]\nuser_per_second = 0\nperson_lookups_per_day = 6",
    )
    .await
    else {
        return;
    };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let noodhulp = app.token("politie-den-haag", &["noodhulp"]);
    let teller = || {
        app.tel("SELECT coalesce(max(aantal), 0) AS n FROM gebruiksquota WHERE soort = 'persoon'")
    };
    let x = uuid::Uuid::now_v7();
    for (i, pad) in [
        format!("/api/v1/personen/{x}/gezag"),
        format!("/api/v1/gezinnen/{x}"),
        format!("/api/v1/incidenten/{x}"),
        format!("/api/v1/incidenten/{x}/eigen-verklaringen"),
        format!("/api/v1/beschikkingen/{x}/eigen-verklaringen"),
        format!("/api/v1/personen/{x}"),
    ]
    .iter()
    .enumerate()
    {
        let res = app.get(pad, &noodhulp).await;
        assert_ne!(res.status().as_u16(), 429, "{pad}");
        assert_eq!(teller(), i as i64 + 1, "{pad} counts as a person look-up");
    }
    // Not a look-up: a write on the authority path (refused for its body, not counted).
    let res = app
        .post(
            &format!("/api/v1/personen/{x}/gezag"),
            &noodhulp,
            &json!({}),
        )
        .await;
    assert_ne!(res.status().as_u16(), 429);
    assert_eq!(teller(), 6);
    for pad in [
        format!("/api/v1/personen/{x}/gezag"),
        format!("/api/v1/gezinnen/{x}"),
    ] {
        is_429(app.get(&pad, &noodhulp).await).await;
    }
}

/// Probing by registration (the outside test of 30 Nov 2026): registering involvement on a
/// person counts as a person look-up (its matches tell about other organisations), and so
/// does registering a person with a BSN; a person without a BSN does not count. Past the
/// quota a 429, and nothing is written.
async fn quotum_op_registratie_en_betrokkenheid(db: Db) {
    let Some(app) = spawn_with(
        db,
        "[limits]\nuser_per_second = 0\nperson_lookups_per_day = 2",
    )
    .await
    else {
        return;
    };
    app.organisatie("vt-haaglanden", "veilig-thuis", &["0518"])
        .await;
    app.organisatie("wijkteam-den-haag", "wijkteam", &["0518"])
        .await;
    let regel = |soort: &str, rol: &str| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": ["aanmaken", "lezen"], "categorieen": ["hulpverlening"],
               "doel": "coordinatie", "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Jeugdwet art. 7.1.4.1", "omschrijving": "verwijsindex"}})
    };
    app.convenant_van_kracht(&json!({
        "titel": "Verwijsindex", "partijen": [{"organisatie": "vt-haaglanden", "rol": "vt"}, {"organisatie": "wijkteam-den-haag", "rol": "wt"}],
        "doelen": ["coordinatie"], "categorieen": ["hulpverlening"],
        "regels": [regel("veilig-thuis", "triagist"), regel("wijkteam", "wijkteammedewerker")]
    }))
    .await;
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    let persoon = |bsn: Option<&str>| {
        let mut p =
            json!({"voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"});
        if let Some(b) = bsn {
            p["bsn"] = json!(b);
        }
        p
    };
    // One: a person with a BSN that matches nothing of the organisation's.
    let res = app
        .post("/api/v1/personen", &wt, &persoon(Some("999990032")))
        .await;
    assert_eq!(res.status(), 201);
    let p: Value = res.json().await.unwrap();
    // Not counted: a person without a BSN.
    let res = app.post("/api/v1/personen", &wt, &persoon(None)).await;
    assert_eq!(res.status(), 201);
    // Two: involvement on the first.
    let betrokkenheid =
        json!({"persoon": p["id"], "contact": {"naam": "Wijkteam", "telefoon": "070 000 0000"}});
    let res = app
        .post("/api/v1/betrokkenheden", &wt, &betrokkenheid)
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    // Three: over the quota, both ways; nothing written.
    let voor = (
        app.tel("SELECT count(*) AS n FROM personen"),
        app.tel("SELECT count(*) AS n FROM betrokkenheden"),
    );
    is_429(
        app.post("/api/v1/betrokkenheden", &wt, &betrokkenheid)
            .await,
    )
    .await;
    is_429(
        app.post("/api/v1/personen", &wt, &persoon(Some("111222333")))
            .await,
    )
    .await;
    assert_eq!(
        (
            app.tel("SELECT count(*) AS n FROM personen"),
            app.tel("SELECT count(*) AS n FROM betrokkenheden"),
        ),
        voor
    );
    // The same quota as a look-up, with its one notice.
    is_429(
        app.get(
            &format!("/api/v1/personen/{}", p["id"].as_str().unwrap()),
            &wt,
        )
        .await,
    )
    .await;
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.privacy.quotum-overschreden' AND organisatie = 'wijkteam-den-haag'"),
        1
    );
    // Another user of the organisation is not affected.
    let collega = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    let res = app
        .post("/api/v1/personen", &collega, &persoon(Some("111222333")))
        .await;
    assert_eq!(res.status(), 201);
}

op_beide_backends!(
    quotum_op_elke_persoonslezing,
    quotum_op_registratie_en_betrokkenheid,
    standaardlimieten_geven_429,
    proxykop_alleen_als_geconfigureerd,
    quotum_op_briefings_en_personen,
    quotum_per_nederlandse_dag,
    quotumbericht_naar_privacyfunctionaris,
    tokenregels,
    te_grote_kopregels,
);
