//! The feedback loop end to end, with a fixed clock, a real SMTP server and a webhook
//! receiver: a melding filed on the Thursday before Easter 2026 (Good Friday 3 April and
//! Easter Monday 6 April, both holidays under the Algemene termijnenwet); receipt
//! acknowledged on time; the triage due date computed over
//! the holiday; the triage late, so exactly one reminder, one escalation and one late
//! notice go out, by e-mail and signed webhook; then the feedback comes, and the report
//! shows it late. No message carries the test persons' names or BSN.

use crate::common;

use chrono::{DateTime, Utc};
use common::keten::{self, Ontvanger, SmtpSink};
use common::{Db, TestApp};
use ketenregie_common::Klok;
use serde_json::{Value, json};

fn tijd(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Move the fixed clock to `s`.
fn zet(klok: &Klok, start: DateTime<Utc>, s: &str) {
    let doel = tijd(s) - start - klok.verschuiving();
    klok.verschuif(doel);
}

async fn app_met_sink(db: Db, klok: Klok) -> Option<(TestApp, SmtpSink)> {
    if !SmtpSink::beschikbaar() {
        return None;
    }
    let poort = keten::vrije_poort();
    let extra = format!(
        "[email]\ntransport = \"smtp\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {poort}\nsmtp_tls = \"none\"\n"
    );
    let app = common::spawn_met(
        db,
        &extra,
        ketenregie_api::app::Onderdelen {
            klok,
            ..Default::default()
        },
    )
    .await?;
    let sink = SmtpSink::start(&app.dir, poort);
    keten::opzet(&app).await;
    keten::contactpunt(
        &app,
        "vt-haaglanden",
        "meldingen",
        "meldingen@vt-haaglanden.test",
    )
    .await;
    keten::contactpunt(
        &app,
        "vt-haaglanden",
        "escalatie",
        "escalatie@vt-haaglanden.test",
    )
    .await;
    keten::contactpunt(
        &app,
        "politie-haaglanden",
        "meldingen",
        "zorg@politie-haaglanden.test",
    )
    .await;
    Some((app, sink))
}

fn met(berichten: &[String], aan: &str, woorden: &str) -> usize {
    berichten
        .iter()
        .filter(|b| b.lines().next().unwrap_or_default().contains(aan) && b.contains(woorden))
        .count()
}

async fn over_pasen(db: Db) {
    let start = tijd("2026-04-02T08:00:00Z");
    let klok = Klok::vast(start);
    let Some((app, sink)) = app_met_sink(db, klok.clone()).await else {
        return;
    };
    let ontvanger = Ontvanger::default();
    let basis = ontvanger.start();
    let geheim_politie = keten::abonneer(
        &app,
        "politie-haaglanden",
        &format!("{basis}/politie"),
        &["terugkoppelingen", "termijnen"],
    )
    .await;
    let geheim_vt = keten::abonneer(
        &app,
        "vt-haaglanden",
        &format!("{basis}/vt"),
        &["termijnen"],
    )
    .await;

    // Thursday 2 April, 10:00 in The Hague: filed and sent.
    let id = keten::verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let gelezen: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    let due = |moment: &str| {
        gelezen["termijnen"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["moment"] == moment)
            .unwrap()["verschuldigdOp"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Good Friday (Algemene termijnenwet art. 3 lid 2) and Easter Monday are not working
    // days: receipt is due Tuesday 7 April, the triage five working days on, Monday 13.
    assert_eq!(due("ontvangstbevestiging"), "2026-04-07T08:00:00Z");
    assert_eq!(due("na-beoordeling"), "2026-04-13T08:00:00Z");

    // Receipt acknowledged two hours later: on time.
    zet(&klok, start, "2026-04-02T10:00:00Z");
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen"),
            &vt,
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false, "toelichting": "Ontvangen; Anna Jansen wordt gebeld."}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(app.scanner.ronde().await.unwrap(), Default::default());

    // Sunday 12 April, 23 hours before the triage is due: one reminder to Veilig Thuis.
    zet(&klok, start, "2026-04-12T09:00:00Z");
    let r = app.scanner.ronde().await.unwrap();
    assert_eq!((r.herinneringen, r.escalaties, r.laatmeldingen), (1, 0, 0));
    assert_eq!(
        app.scanner.ronde().await.unwrap(),
        Default::default(),
        "once"
    );
    // Monday 13 April, an hour late: escalation to Veilig Thuis, late notice to the police.
    zet(&klok, start, "2026-04-13T09:00:00Z");
    let r = app.scanner.ronde().await.unwrap();
    assert_eq!((r.herinneringen, r.escalaties, r.laatmeldingen), (0, 1, 1));
    assert_eq!(
        app.scanner.ronde().await.unwrap(),
        Default::default(),
        "once"
    );

    // The duty shows when each notice went out.
    let gelezen: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &agent)
        .await
        .json()
        .await
        .unwrap();
    let nb = gelezen["termijnen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["moment"] == "na-beoordeling")
        .unwrap()
        .clone();
    assert_eq!(nb["herinnerdOp"], "2026-04-12T09:00:00Z");
    assert_eq!(nb["geescaleerdOp"], "2026-04-13T09:00:00Z");
    assert_eq!(nb["laatGemeldOp"], "2026-04-13T09:00:00Z");

    let b = app.bezorger.ronde().await.unwrap();
    assert_eq!(b.mislukt, 0);
    assert_eq!(
        app.bezorger.ronde().await.unwrap(),
        Default::default(),
        "nothing twice"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM bezorgingen WHERE status <> 'afgeleverd'"),
        0
    );

    // E-mail: each notice once, to the right contact.
    let mails = sink.berichten();
    assert_eq!(
        met(&mails, "meldingen@vt-haaglanden.test", "Herinnering"),
        1,
        "{mails:#?}"
    );
    assert_eq!(met(&mails, "escalatie@vt-haaglanden.test", "Escalatie"), 1);
    assert_eq!(met(&mails, "zorg@politie-haaglanden.test", "te laat"), 1);
    assert_eq!(
        met(&mails, "meldingen@vt-haaglanden.test", "Nieuwe zorgmelding"),
        1
    );
    assert_eq!(
        met(
            &mails,
            "zorg@politie-haaglanden.test",
            "Terugkoppeling ontvangen"
        ),
        1
    );
    for m in &mails {
        assert!(
            m.contains(&format!("http://127.0.0.1:8080/api/v1/zorgmeldingen/{id}")),
            "{m}"
        );
    }

    // Webhooks: signed CloudEvents, each once.
    let politie = ontvanger.events("/politie", &geheim_politie);
    let soorten: Vec<&str> = politie
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        soorten
            .iter()
            .filter(|s| **s == "nl.ketenregie.termijnen.terugkoppeling-te-laat")
            .count(),
        1
    );
    assert_eq!(
        soorten
            .iter()
            .filter(|s| **s == "nl.ketenregie.terugkoppelingen.terugkoppeling-ontvangen")
            .count(),
        1
    );
    let e = &politie[0];
    assert_eq!(e["specversion"], "1.0");
    assert!(
        e["dataref"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8080/api/v1/zorgmeldingen/")
    );
    let vt_events = ontvanger.events("/vt", &geheim_vt);
    let mut soorten: Vec<&str> = vt_events
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    soorten.sort();
    assert_eq!(
        soorten,
        [
            "nl.ketenregie.termijnen.escalatie",
            "nl.ketenregie.termijnen.herinnering"
        ]
    );

    // Thursday 16 April: the triage feedback, three days late.
    // The triage comes first (TERUGKOPPELING_VOLGT_BEHANDELING): taken up, then assessed.
    zet(&klok, start, "2026-04-16T10:00:00Z");
    for (stap, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "voorwaarden-en-vervolg"}),
        ),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{id}/{stap}"), &vt, &body)
            .await;
        assert_eq!(res.status(), 200, "{stap}: {:?}", res.text().await);
    }
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen"),
            &vt,
            &json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true,
                    "overgenomenDoor": {"organisatie": "wijkteam-den-haag", "contact": "wijkteam, 070-1234567"},
                    "toelichting": "Bram de Vries en Anna Jansen krijgen begeleiding."}),
        )
        .await;
    assert_eq!(res.status(), 201);
    app.bezorger.ronde().await.unwrap();
    assert_eq!(app.scanner.ronde().await.unwrap(), Default::default());

    // The report: receipt on time, triage late.
    let rapport: Value = app
        .get(
            "/api/v1/rapportages/terugkoppeling?van=2026-04-01&tot=2026-05-01",
            &agent,
        )
        .await
        .json()
        .await
        .unwrap();
    let paar = &rapport["paren"][0];
    assert_eq!(
        (paar["afzender"].as_str(), paar["ontvanger"].as_str()),
        (Some("politie-haaglanden"), Some("vt-haaglanden")),
        "{rapport}"
    );
    assert_eq!(paar["meldingen"], 1);
    let moment = |m: &str| {
        paar["momenten"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["moment"] == m)
            .unwrap()
            .clone()
    };
    assert_eq!(moment("ontvangstbevestiging")["aandeelOpTijd"], 1.0);
    assert_eq!(moment("na-beoordeling")["aandeelOpTijd"], 0.0);
    assert_eq!(moment("na-beoordeling")["opTijd"], 0);
    assert_eq!(moment("na-beoordeling")["mediaanUren"], 338.0);
    assert_eq!(paar["openTeLaat"], 0);
    // Veilig Thuis sees the same pair; an outsider sees none.
    let r_vt: Value = app
        .get(
            "/api/v1/rapportages/terugkoppeling?van=2026-04-01&tot=2026-05-01",
            &vt,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r_vt["paren"][0]["meldingen"], 1);
    let r_buiten: Value = app
        .get(
            "/api/v1/rapportages/terugkoppeling",
            &app.token("buitenstaander", &["wijkteammedewerker"]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r_buiten["paren"], json!([]));

    // Not one message carried a name or the BSN.
    let mut alles = sink.berichten();
    alles.extend(ontvanger.alles());
    assert!(alles.len() >= 10, "{}", alles.len());
    for m in &alles {
        for p in keten::PERSOONSGEGEVENS {
            assert!(!m.contains(p), "`{p}` in a sent message:\n{m}");
        }
    }
}

op_beide_backends!(over_pasen);
