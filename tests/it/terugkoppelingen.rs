//! Terugkoppelingen over HTTP: the receiver gives feedback, the sender reads it with
//! provenance; duties are met (interim never closes, a final outcome closes all); the
//! texts are encrypted at rest; outsiders are refused and audited; safety conditions only
//! when the reporter has a role; the same for a hand-over task, back to whoever handed
//! over; a notification to the sender in the same transaction.

use crate::common;

use common::keten::{contactpunt, opzet, verzonden_melding};
use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    opzet(&app).await;
    Some(app)
}

fn pad(id: &str) -> String {
    format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen")
}

async fn geven_lezen_en_termijnen(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);

    // Bad input: every field named; safety conditions only with a role for the reporter.
    let fout = assert_problem(
        app.post(&pad(&id), &vt, &json!({"moment": "straks", "veiligheidsvoorwaarden": "geen contact", "overgenomenDoor": {}}))
            .await,
        400,
    )
    .await;
    let namen: Vec<&str> = fout["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        namen,
        [
            "/moment",
            "/vervolgtrajectGestart",
            "/overgenomenDoor/organisatie",
            "/veiligheidsvoorwaarden"
        ]
    );
    // Only the receiver gives feedback; the refusal is audited. An organisation that is
    // no party of the melding hears what an unknown id hears (EEN_ORGANISATIE_ZICHT).
    assert_problem(
        app.post(
            &pad(&id),
            &app.token("buitenstaander", &["wijkteammedewerker"]),
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false}),
        )
        .await,
        404,
    )
    .await;
    assert_problem(
        app.post(
            &pad(&id),
            &agent,
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(app.tel("SELECT count(*) AS n FROM terugkoppelingen"), 0);

    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false, "toelichting": "Melding ontvangen, triage volgt."}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert!(res.headers().contains_key("location"));
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["afzender"], "politie-haaglanden");
    assert_eq!(t["gegevenDoor"]["organisatie"], "vt-haaglanden");
    assert_eq!(t["gegevenDoor"]["gebruikerNaam"], "Test Gebruiker");
    // Encrypted at rest.
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM terugkoppelingen WHERE inhoud LIKE '%triage volgt%'"),
        0
    );
    // The sender is told, by reference.
    let berichten: Value = app
        .get(
            "/api/v1/berichten?soort=terugkoppelingen.terugkoppeling-ontvangen",
            &agent,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(berichten["count"], 1);
    assert_eq!(berichten["results"][0]["dataref"], json!(pad(&id)));

    // TERUGKOPPELING_VOLGT_BEHANDELING: nothing reported before it happened. Before the
    // triage no triage feedback, before the completion no final outcome; nothing written.
    let stap = |sub: &str| format!("/api/v1/zorgmeldingen/{id}/{sub}");
    for moment in [
        "na-beoordeling",
        "tussentijds",
        "na-onderzoek",
        "eindresultaat",
    ] {
        let fout = assert_problem(
            app.post(
                &pad(&id),
                &vt,
                &json!({"moment": moment, "vervolgtrajectGestart": false}),
            )
            .await,
            409,
        )
        .await;
        assert!(
            fout["detail"]
                .as_str()
                .unwrap()
                .contains("TERUGKOPPELING_VOLGT_BEHANDELING"),
            "{fout}"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM terugkoppelingen"), 1);
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{id}' AND moment = 'na-beoordeling' AND voldaan_op IS NOT NULL")),
        0
    );
    for (sub, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "voorwaarden-en-vervolg"}),
        ),
    ] {
        let res = app.post(&stap(sub), &vt, &body).await;
        assert_eq!(res.status(), 200, "{sub}");
    }

    // With a role for the reporter, the safety conditions are shared.
    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true, "melderHeeftRol": true,
                    "overgenomenDoor": {"organisatie": "wijkteam-den-haag", "contact": "mw. De Groot, 070-1234567"},
                    "veiligheidsvoorwaarden": "Overdracht van de kinderen via het wijkteam.", "monitoringsafspraken": "Wijkagent meldt nieuwe incidenten direct."}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    // Interim feedback never closes the loop.
    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "tussentijds", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let open = |app: &TestApp| {
        app.tel(&format!("SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{id}' AND voldaan_op IS NULL"))
    };
    assert_eq!(open(&app), 1, "only the final outcome is still owed");

    // The sender reads everything, in order, with provenance; the read is logged.
    let voor = app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = 'politie-haaglanden' AND activiteit = 'terugkoppeling'");
    let lijst: Value = app.get(&pad(&id), &agent).await.json().await.unwrap();
    let lijst = lijst.as_array().unwrap();
    assert_eq!(lijst.len(), 3);
    assert_eq!(
        lijst[1]["overgenomenDoor"]["contact"],
        "mw. De Groot, 070-1234567"
    );
    assert_eq!(
        lijst[1]["veiligheidsvoorwaarden"],
        "Overdracht van de kinderen via het wijkteam."
    );
    assert!(app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = 'politie-haaglanden' AND activiteit = 'terugkoppeling'") > voor);
    assert_problem(
        app.get(
            &pad(&id),
            &app.token("buitenstaander", &["wijkteammedewerker"]),
        )
        .await,
        404,
    )
    .await;

    // The final outcome follows the completion, and closes the loop; nothing after it.
    assert_problem(
        app.post(
            &pad(&id),
            &vt,
            &json!({"moment": "eindresultaat", "vervolgtrajectGestart": true}),
        )
        .await,
        409,
    )
    .await;
    let res = app
        .post(
            &stap("afsluitingen"),
            &vt,
            &json!({"uitvoer": "Voorwaarden afgesproken"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "eindresultaat", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(open(&app), 0);
    assert_problem(
        app.post(
            &pad(&id),
            &vt,
            &json!({"moment": "tussentijds", "vervolgtrajectGestart": true}),
        )
        .await,
        409,
    )
    .await;
}

async fn overdracht_koppelt_terug_aan_wie_overdroeg(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    for (sub, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "overdracht-lokaal-veld"}),
        ),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{id}/{sub}"), &vt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    let taak: Value = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "wijkteam-den-haag"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let taak = taak["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &pad(&taak),
            &wt,
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let t: Value = res.json().await.unwrap();
    assert_eq!(
        t["afzender"], "vt-haaglanden",
        "back to whoever handed over"
    );
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{taak}' AND moment = 'ontvangstbevestiging' AND voldaan_op IS NOT NULL")),
        1
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.terugkoppelingen.terugkoppeling-ontvangen' AND organisatie = 'vt-haaglanden'"), 1);
    // Veilig Thuis reads it under the agreement.
    let lijst: Value = app.get(&pad(&taak), &vt).await.json().await.unwrap();
    assert_eq!(lijst.as_array().unwrap().len(), 1);
    // OVERDRACHT_AAN_EEN_ANDER: not to the holder itself, not twice to the same partner
    // while its task is open; each refused whole (no task, duty or notice).
    let taken = "SELECT count(*) AS n FROM zorgmeldingen";
    let termijnen = "SELECT count(*) AS n FROM termijnen";
    let berichten = "SELECT count(*) AS n FROM outbox";
    let stand = || (app.tel(taken), app.tel(termijnen), app.tel(berichten));
    let voor = stand();
    for (wie, naar) in [(&vt, "vt-haaglanden"), (&vt, "wijkteam-den-haag")] {
        let res = app
            .post(
                &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
                wie,
                &json!({"organisatie": naar}),
            )
            .await;
        assert_eq!(res.status(), 422, "to {naar}");
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["invalidParams"][0]["name"], "/organisatie", "{p}");
        assert_eq!(
            p["invalidParams"][0]["code"], "overdracht-aan-een-ander",
            "{p}"
        );
    }
    assert_eq!(voor, stand());
    // An unregistered code is named by its field, never repeated (it may be anything a
    // caller typed, a BSN too).
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "jan-jansen-999990032"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let tekst = res.text().await.unwrap();
    assert!(!tekst.contains("999990032"), "{tekst}");
    assert_eq!(voor, stand());
    // The wijkteam, holding the handed-over task, may not hand it to itself either.
    for sub in ["ontvangsten", "acceptaties"] {
        let res = app
            .post(
                &format!("/api/v1/zorgmeldingen/{taak}/{sub}"),
                &wt,
                &json!({}),
            )
            .await;
        assert!(res.status().is_success(), "{sub}: {}", res.status());
    }
    let voor = stand();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{taak}/overdrachten"),
            &wt,
            &json!({"organisatie": "wijkteam-den-haag"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(voor, stand());
}

/// `OVERDRACHT_NIET_AAN_MELDER` (the outside test of 1 Dec 2026): a receiver handing the
/// task back to the police that filed the melding got a 201, a task from the police to the
/// police, three feedback duties the police owed the receiver, and a notice in the police
/// inbox — let through because the police own the data, not by any agreement rule for
/// handling it. Now a 422 naming `organisatie`, nothing written, from the Veilig Thuis
/// (the first receiver) and from the wijkteam it handed over to alike.
async fn overdracht_nooit_terug_aan_de_melder(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    for (sub, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "overdracht-lokaal-veld"}),
        ),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{id}/{sub}"), &vt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    let stand = || {
        (
            app.tel("SELECT count(*) AS n FROM zorgmeldingen"),
            app.tel("SELECT count(*) AS n FROM termijnen"),
            app.tel("SELECT count(*) AS n FROM outbox"),
            app.tel(
                "SELECT count(*) AS n FROM zorgmeldingen WHERE ontvanger = 'politie-haaglanden'",
            ),
        )
    };
    let terug = |p: &Value| {
        assert_eq!(p["invalidParams"][0]["name"], "/organisatie", "{p}");
        assert_eq!(
            p["invalidParams"][0]["code"], "overdracht-niet-aan-melder",
            "{p}"
        );
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("OVERDRACHT_NIET_AAN_MELDER"),
            "{p}"
        );
    };
    let voor = stand();
    assert_eq!(voor.3, 0);
    let p = assert_problem(
        app.post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "politie-haaglanden"}),
        )
        .await,
        422,
    )
    .await;
    terug(&p);
    assert_eq!(voor, stand());
    // The wijkteam, holding the handed-over task, may not hand it back to the police
    // either: the task keeps the police as its sender.
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "wijkteam-den-haag"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let taak: Value = res.json().await.unwrap();
    let taak = taak["id"].as_str().unwrap().to_string();
    for sub in ["ontvangsten", "acceptaties"] {
        let res = app
            .post(
                &format!("/api/v1/zorgmeldingen/{taak}/{sub}"),
                &wt,
                &json!({}),
            )
            .await;
        assert!(res.status().is_success(), "{sub}: {}", res.status());
    }
    let voor = stand();
    let p = assert_problem(
        app.post(
            &format!("/api/v1/zorgmeldingen/{taak}/overdrachten"),
            &wt,
            &json!({"organisatie": "politie-haaglanden"}),
        )
        .await,
        422,
    )
    .await;
    terug(&p);
    assert_eq!(voor, stand());
    let politie = app.token("politie-haaglanden", &["wijkagent"]);
    let inbox: Value = app
        .get("/api/v1/zorgmeldingen?richting=ontvangen", &politie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inbox["results"].as_array().unwrap().len(), 0, "{inbox}");
}

/// TERUGKOPPELING_VOLGT_BEHANDELING: a cancelled task's duties have lapsed; no feedback
/// on it, not even a receipt or a final outcome.
async fn geen_terugkoppeling_op_een_geannuleerde_taak(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/annuleringen"),
            &agent,
            &json!({"reden": "Dubbel ingediend"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    for moment in ["ontvangstbevestiging", "eindresultaat"] {
        let fout = assert_problem(
            app.post(
                &pad(&id),
                &vt,
                &json!({"moment": moment, "vervolgtrajectGestart": false}),
            )
            .await,
            409,
        )
        .await;
        assert!(
            fout["detail"].as_str().unwrap().contains("vervallen"),
            "{fout}"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM terugkoppelingen"), 0);
}

/// A melding filed by the police, received and triaged by Veilig Thuis, and handed over to
/// the wijkteam: (melding, hand-over task).
async fn overgedragen(app: &TestApp) -> (String, String) {
    let id = verzonden_melding(app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    for (sub, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "overdracht-lokaal-veld", "acuut": false}),
        ),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{id}/{sub}"), &vt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    let taak = overdracht(app, &id).await;
    (id, taak)
}

/// Veilig Thuis hands melding `id` over to the wijkteam; the new task's id.
async fn overdracht(app: &TestApp, id: &str) -> String {
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "wijkteam-den-haag"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let t: Value = res.json().await.unwrap();
    t["id"].as_str().unwrap().to_string()
}

/// The `status-gewijzigd` notices on `taak` that organisation `org` got, and how many of
/// them were queued for e-mail.
fn statusberichten(app: &TestApp, taak: &str, org: &str) -> (i64, i64) {
    let waar = format!(
        "o.soort = 'nl.ketenregie.zorgmeldingen.status-gewijzigd' AND o.onderwerp = '{taak}' AND o.organisatie = '{org}'"
    );
    (
        app.tel(&format!("SELECT count(*) AS n FROM outbox o WHERE {waar}")),
        app.tel(&format!(
            "SELECT count(*) AS n FROM bezorgingen b JOIN outbox o ON o.id = b.outbox_id WHERE b.kanaal = 'email' AND {waar}"
        )),
    )
}

/// STATUS_AAN_TAAKAFZENDER (the outside test of 2 Dec 2026): every step of the wijkteam
/// on a task Veilig Thuis handed over told the police, the melding's sender, and Veilig
/// Thuis heard nothing. Now each step (receipt, acceptance, resumption, suspension,
/// completion, rejection, failure) tells Veilig Thuis, by notice and e-mail, and the
/// police nothing; the feedback, its notice and the late notices of the task's duties are
/// Veilig Thuis's too. A step meets no duty with content
/// (PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING): the completion leaves the final outcome
/// owed.
async fn status_van_een_overdracht_aan_wie_overdroeg(db: Db) {
    let start = chrono::DateTime::parse_from_rfc3339("2026-04-02T08:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let klok = ketenregie_common::Klok::vast(start);
    let Some(app) = common::spawn_met(
        db,
        "",
        ketenregie_api::app::Onderdelen {
            klok: klok.clone(),
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    opzet(&app).await;
    contactpunt(
        &app,
        "vt-haaglanden",
        "meldingen",
        "meldingen@vt-haaglanden.test",
    )
    .await;
    contactpunt(
        &app,
        "politie-haaglanden",
        "meldingen",
        "zorg@politie-haaglanden.test",
    )
    .await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let (id, taak) = overgedragen(&app).await;
    let reden = json!({"reden": "Gezin tijdelijk niet bereikbaar"});
    let mut verwacht = 0;
    for (sub, body) in [
        ("ontvangsten", json!({})),
        ("acceptaties", json!({})),
        ("hervattingen", json!({})),
        ("opschortingen", reden.clone()),
        ("hervattingen", json!({})),
        ("afsluitingen", json!({"uitvoer": "Gezinsplan opgesteld"})),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{taak}/{sub}"), &wt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}: {:?}", res.text().await);
        verwacht += 1;
        assert_eq!(
            statusberichten(&app, &taak, "vt-haaglanden"),
            (verwacht, verwacht),
            "{sub}: to whoever handed over, with its e-mail"
        );
        assert_eq!(
            statusberichten(&app, &taak, "politie-haaglanden"),
            (0, 0),
            "{sub}: not to the melding's sender"
        );
    }
    // Veilig Thuis reads them in its own notices; the police have none on the task.
    let op_taak = |b: &Value| {
        b["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["onderwerp"] == json!(taak))
            .count()
    };
    let soort = "/api/v1/berichten?soort=zorgmeldingen.status-gewijzigd";
    let b: Value = app.get(soort, &vt).await.json().await.unwrap();
    assert_eq!(op_taak(&b), 6, "{b}");
    let b: Value = app.get(soort, &agent).await.json().await.unwrap();
    assert_eq!(op_taak(&b), 0, "{b}");

    // The acceptance met the receipt; the completion met no duty with content: the final
    // outcome is owed to Veilig Thuis until the wijkteam feeds it back.
    let duty = |taak: &str, moment: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{taak}' AND moment = '{moment}' AND voldaan_op IS NOT NULL AND afzender = 'vt-haaglanden'"
        ))
    };
    assert_eq!(duty(&taak, "ontvangstbevestiging"), 1);
    assert_eq!(duty(&taak, "eindresultaat"), 0);
    let res = app
        .post(
            &pad(&taak),
            &wt,
            &json!({"moment": "eindresultaat", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(duty(&taak, "eindresultaat"), 1);
    let fb = |org: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.terugkoppelingen.terugkoppeling-ontvangen' AND dataref LIKE '%{taak}%' AND organisatie = '{org}'"
        ))
    };
    assert_eq!((fb("vt-haaglanden"), fb("politie-haaglanden")), (1, 0));

    // Handed over again (the wijkteam's task is closed): rejected; and once more: failed.
    let taak2 = overdracht(&app, &id).await;
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{taak2}/afwijzingen"),
            &wt,
            &json!({"reden": "Geen capaciteit in deze wijk"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(statusberichten(&app, &taak2, "vt-haaglanden"), (1, 1));
    assert_eq!(statusberichten(&app, &taak2, "politie-haaglanden"), (0, 0));
    let taak3 = overdracht(&app, &id).await;
    for (sub, body) in [
        ("acceptaties", json!({})),
        ("hervattingen", json!({})),
        ("mislukkingen", reden.clone()),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{taak3}/{sub}"), &wt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    assert_eq!(statusberichten(&app, &taak3, "vt-haaglanden"), (3, 3));
    assert_eq!(statusberichten(&app, &taak3, "politie-haaglanden"), (0, 0));

    // An open hand-over whose duties run late: the wijkteam is reminded and escalated, the
    // late notice goes to Veilig Thuis, which sees the duties as owed to it.
    let taak4 = overdracht(&app, &id).await;
    let tegoed = |token: &str| {
        let app = &app;
        let token = token.to_string();
        let taak4 = taak4.clone();
        async move {
            let v: Value = app
                .get("/api/v1/termijnen?richting=verzonden", &token)
                .await
                .json()
                .await
                .unwrap();
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["zorgmelding"] == json!(taak4))
                .count()
        }
    };
    assert_eq!(tegoed(&vt).await, 3);
    assert_eq!(tegoed(&agent).await, 0);
    klok.verschuif(chrono::Duration::days(14));
    app.scanner.ronde().await.unwrap();
    let te_laat = |org: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.termijnen.terugkoppeling-te-laat' AND dataref LIKE '%{taak4}' AND organisatie = '{org}'"
        ))
    };
    assert!(te_laat("vt-haaglanden") >= 1);
    assert_eq!(te_laat("politie-haaglanden"), 0);
}

/// ALLEEN_AFZENDER_ANNULEERT (the outside test of 2 Dec 2026): the police cancelled a
/// hand-over Veilig Thuis made, after the wijkteam accepted it, and the wijkteam's duty
/// to Veilig Thuis lapsed unseen. Only the organisation that handed over cancels it; the
/// police (the melding's sender) and the wijkteam (its receiver) are refused with a 403
/// naming the rule, audited, nothing written; the police take no other step on it either
/// (ALLEEN_ONTVANGER_VOERT_UIT). Veilig Thuis's cancellation tells the wijkteam.
async fn alleen_wie_overdroeg_annuleert(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let (id, taak) = overgedragen(&app).await;
    for sub in ["ontvangsten", "acceptaties"] {
        let res = app
            .post(
                &format!("/api/v1/zorgmeldingen/{taak}/{sub}"),
                &wt,
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    let stap = |sub: &str| format!("/api/v1/zorgmeldingen/{taak}/{sub}");
    let stand = || {
        (
            app.tel(&format!(
                "SELECT count(*) AS n FROM zorgmeldingen WHERE id = '{taak}' AND taakstatus = 'accepted'"
            )),
            app.tel("SELECT count(*) AS n FROM outbox"),
            app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"),
            app.tel(&format!(
                "SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{taak}' AND vervallen_op IS NULL"
            )),
        )
    };
    let voor = stand();
    assert_eq!(voor.0, 1);
    let reden = json!({"reden": "Wij sluiten de melding af"});
    let uitvoer = json!({"uitvoer": "Afgerond"});
    for (wie, sub, body, regel) in [
        (&agent, "annuleringen", &reden, "ALLEEN_AFZENDER_ANNULEERT"),
        (&wt, "annuleringen", &reden, "ALLEEN_AFZENDER_ANNULEERT"),
        (
            &agent,
            "afsluitingen",
            &uitvoer,
            "ALLEEN_ONTVANGER_VOERT_UIT",
        ),
        (
            &agent,
            "hervattingen",
            &json!({}),
            "ALLEEN_ONTVANGER_VOERT_UIT",
        ),
    ] {
        let p = assert_problem(app.post(&stap(sub), wie, body).await, 403).await;
        assert!(p["detail"].as_str().unwrap().contains(regel), "{sub}: {p}");
        assert_eq!(voor, stand(), "{sub}: nothing written");
    }
    // Recorded in the trail of the melding's owner, the police.
    assert!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND organisatie = 'politie-haaglanden' AND object_id = '{taak}'"
        )) >= 3
    );
    // The police's own melding stays the police's to cancel.
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/annuleringen"),
            &wt,
            &reden,
        )
        .await;
    assert!(
        res.status() == 403 || res.status() == 404,
        "{}",
        res.status()
    );

    // Veilig Thuis, which handed over, cancels; the wijkteam is told, the police not;
    // the wijkteam's duties to Veilig Thuis lapse.
    let res = app.post(&stap("annuleringen"), &vt, &reden).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let m: Value = res.json().await.unwrap();
    assert_eq!(m["taakstatus"], "cancelled");
    assert_eq!(statusberichten(&app, &taak, "wijkteam-den-haag").0, 1);
    assert_eq!(statusberichten(&app, &taak, "politie-haaglanden").0, 0);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{taak}' AND voldaan_op IS NULL AND vervallen_op IS NULL"
        )),
        0
    );
    // The police follow it in their melding's steps.
    let stappen: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}/stappen"), &agent)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        stappen
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["stap"] == "annulering" && s["organisatie"] == "vt-haaglanden"),
        "{stappen}"
    );
}

/// PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING (the outside test of 2 Dec 2026): the
/// triage marked the police's `na-beoordeling` duty met, off the owed list and on time in
/// the report, while the police had been told nothing. A step meets only the receipt; a
/// duty with content is met by its feedback item.
async fn stap_vervult_geen_plicht_met_inhoud(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let stap = |sub: &str| format!("/api/v1/zorgmeldingen/{id}/{sub}");
    let voldaan = |moment: &'static str| {
        let app = &app;
        let agent = agent.clone();
        let id = id.clone();
        async move {
            let m: Value = app
                .get(&format!("/api/v1/zorgmeldingen/{id}"), &agent)
                .await
                .json()
                .await
                .unwrap();
            let t = m["termijnen"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["moment"] == moment)
                .unwrap()
                .clone();
            let tegoed: Value = app
                .get("/api/v1/termijnen?richting=verzonden", &agent)
                .await
                .json()
                .await
                .unwrap();
            let nog = tegoed["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["zorgmelding"] == json!(id) && x["moment"] == moment);
            let rapport: Value = app
                .get("/api/v1/rapportages/terugkoppeling", &agent)
                .await
                .json()
                .await
                .unwrap();
            let cijfers = rapport["paren"][0]["momenten"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|x| x["moment"] == moment)
                .map_or(0, |x| x["voldaan"].as_i64().unwrap());
            assert_eq!(t["voldaanOp"].is_string(), !nog, "{moment}: {t} {tegoed}");
            (t["voldaanOp"].is_string(), cijfers)
        }
    };
    assert_eq!(
        app.post(&stap("ontvangsten"), &vt, &json!({}))
            .await
            .status(),
        200
    );
    assert_eq!(
        voldaan("ontvangstbevestiging").await,
        (true, 1),
        "a receipt has no content"
    );
    let res = app
        .post(
            &stap("beoordelingen"),
            &vt,
            &json!({"uitkomst": "voorwaarden-en-vervolg", "acuut": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        voldaan("na-beoordeling").await,
        (false, 0),
        "triaged, not told"
    );
    let lijst: Value = app.get(&pad(&id), &agent).await.json().await.unwrap();
    assert_eq!(lijst, json!([]));
    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true, "toelichting": "Voorwaarden met beide ouders afgesproken."}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(voldaan("na-beoordeling").await, (true, 1));
    // The completion does not meet the final outcome either; its feedback does.
    let res = app
        .post(
            &stap("afsluitingen"),
            &vt,
            &json!({"uitvoer": "Voorwaarden lopen"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        voldaan("eindresultaat").await,
        (false, 0),
        "completed, not told"
    );
    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "eindresultaat", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(voldaan("eindresultaat").await, (true, 1));
}

/// INTREKKING_BEREIKT_DE_KETEN (hc finding M3): the police cancel their melding after
/// Veilig Thuis handed it over and the wijkteam accepted. The wijkteam's task stays
/// (accepted, its duty to Veilig Thuis open: whoever handed over decides), but the
/// wijkteam is told: a step `melding-ingetrokken` on its task naming the police
/// organisation (not the officer, not the free-text reason) and a status notice.
async fn intrekking_bereikt_de_overdracht(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    for (sub, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "overdracht-lokaal-veld"}),
        ),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{id}/{sub}"), &vt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    let taak: Value = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "wijkteam-den-haag"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let taak = taak["id"].as_str().unwrap().to_string();
    for sub in ["ontvangsten", "acceptaties"] {
        let res = app
            .post(
                &format!("/api/v1/zorgmeldingen/{taak}/{sub}"),
                &wt,
                &json!({}),
            )
            .await;
        assert!(res.status().is_success(), "{sub}: {}", res.status());
    }
    let berichten = format!(
        "SELECT count(*) AS n FROM outbox WHERE organisatie = 'wijkteam-den-haag' AND onderwerp = '{taak}' AND soort LIKE '%status-gewijzigd'"
    );
    let voor = app.tel(&berichten);
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/annuleringen"),
            &agent,
            &json!({"reden": "Melding was dubbel ingediend."}),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.tel(&berichten), voor + 1, "the wijkteam is told");
    let stappen: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{taak}/stappen"), &wt)
        .await
        .json()
        .await
        .unwrap();
    let stap = stappen
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stap"] == "melding-ingetrokken")
        .unwrap_or_else(|| panic!("a step on the wijkteam's task: {stappen}"));
    assert_eq!(stap["organisatie"], "politie-haaglanden", "{stap}");
    assert_eq!(stap["gebruikerNaam"], "politie-haaglanden", "{stap}");
    assert!(!stap.to_string().contains("dubbel"), "{stap}");
    assert_eq!(
        stap["gegevens"]["regel"], "INTREKKING_BEREIKT_DE_KETEN",
        "{stap}"
    );
    let t: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{taak}"), &wt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(t["taakstatus"], "accepted", "{t}");
}

/// The outside testers' fourth round (F3, F4; README "Agreements: signing, leaving,
/// withdrawal"): once the wijkteam left the agreement, nothing it writes flows to the
/// others. Its feedback on the hand-over task is refused (STROOM_BINNEN_CONVENANT): 403,
/// in the trail of whoever it was owed to, nothing stored, no duty met, no notice; the
/// duty stays open and is owed as before (chased, reported late to Veilig Thuis). Its
/// steps and hand-overs are refused by the decision on the melding (CONVENANT_VEREIST).
/// Its privacy officer records no own statement on the task, and Veilig Thuis's none on
/// the wijkteam's feedback (VERKLARING_DOOR_HOUDER: 403 in the owner's trail, nothing
/// stored); the police read no statement the wijkteam did not record.
async fn uitgetreden_partij_schrijft_niets_dat_stroomt(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let wt = app.token("wijkteam-den-haag", &["wijkteammedewerker"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    for (sub, body) in [
        ("ontvangsten", json!({})),
        (
            "beoordelingen",
            json!({"uitkomst": "overdracht-lokaal-veld"}),
        ),
    ] {
        let res = app
            .post(&format!("/api/v1/zorgmeldingen/{id}/{sub}"), &vt, &body)
            .await;
        assert_eq!(res.status(), 200, "{sub}");
    }
    let taak: Value = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/overdrachten"),
            &vt,
            &json!({"organisatie": "wijkteam-den-haag"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let taak = taak["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{taak}/acceptaties"),
            &wt,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Before it leaves, the wijkteam feeds back its receipt: that one stands.
    let res = app
        .post(
            &pad(&taak),
            &wt,
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let eerste: Value = res.json().await.unwrap();
    let eerste = eerste["id"].as_str().unwrap().to_string();

    // The wijkteam's admin leaves the agreement.
    let beheer = app.token("wijkteam-den-haag", &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/convenanten", &beheer)
        .await
        .json()
        .await
        .unwrap();
    let cv = lijst["results"][0]["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/convenanten/{cv}/uittredingen"),
            &beheer,
            &json!({"reden": "test uittreden wijkteam"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let terugkoppelingen = "SELECT count(*) AS n FROM terugkoppelingen";
    let verklaringen = "SELECT count(*) AS n FROM eigen_verklaringen";
    let berichten = "SELECT count(*) AS n FROM outbox";
    let voldaan = format!(
        "SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{taak}' AND voldaan_op IS NOT NULL"
    );
    let stand = || {
        (
            app.tel(terugkoppelingen),
            app.tel(verklaringen),
            app.tel(berichten),
            app.tel(&voldaan),
        )
    };
    let voor = stand();
    assert_eq!(voor.3, 1, "only the receipt was met");

    // F3: feedback from the party that left is refused whole.
    let fout = assert_problem(
        app.post(
            &pad(&taak),
            &wt,
            &json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true, "toelichting": "na uittreden"}),
        )
        .await,
        403,
    )
    .await;
    assert!(
        fout["detail"]
            .as_str()
            .unwrap()
            .contains("STROOM_BINNEN_CONVENANT"),
        "{fout}"
    );
    assert_eq!(stand(), voor, "nothing stored, no duty met, no notice");
    let geweigerd = app.audit(&format!(
        "object_type = 'terugkoppelingen' AND object_id = '{taak}' AND resultaat = 403 AND organisatie = 'wijkteam-den-haag'"
    ));
    assert_eq!(geweigerd.len(), 1, "{geweigerd:?}");
    assert_eq!(
        geweigerd[0].eigenaar, "vt-haaglanden",
        "in the trail of whoever it was owed to"
    );
    assert!(
        geweigerd[0]
            .grondslag
            .as_deref()
            .unwrap_or_default()
            .contains("STROOM_BINNEN_CONVENANT"),
        "{:?}",
        geweigerd[0]
    );
    // The duty is still owed: open, not lapsed, shown to whoever handed over.
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM termijnen WHERE zorgmelding_id = '{taak}' AND moment = 'na-beoordeling' AND voldaan_op IS NULL")),
        1
    );
    // Its steps and hand-overs are refused by the decision on the melding.
    for (sub, body) in [
        ("afsluitingen", json!({"uitvoer": "na uittreden"})),
        ("opschortingen", json!({"reden": "na uittreden"})),
        ("overdrachten", json!({"organisatie": "buitenstaander"})),
    ] {
        assert_problem(
            app.post(&format!("/api/v1/zorgmeldingen/{taak}/{sub}"), &wt, &body)
                .await,
            403,
        )
        .await;
    }
    assert_eq!(stand(), voor, "no step, no task, no notice");

    // F4: the privacy officer of the party that left records no statement on the task
    // (the police's record), in the police's trail.
    let wt_fg = app.token("wijkteam-den-haag", &["privacyfunctionaris"]);
    let fout = assert_problem(
        app.post(
            &format!("/api/v1/zorgmeldingen/{taak}/eigen-verklaringen"),
            &wt_fg,
            &json!({"tekst": "Ik ben het er niet mee eens.", "door": "ouders/0"}),
        )
        .await,
        403,
    )
    .await;
    assert!(
        fout["detail"]
            .as_str()
            .unwrap()
            .contains("VERKLARING_DOOR_HOUDER"),
        "{fout}"
    );
    // Nor on its own feedback's melding, and Veilig Thuis none on the feedback of the
    // party that left (the wijkteam's record).
    let vt_fg = app.token("vt-haaglanden", &["privacyfunctionaris"]);
    assert_problem(
        app.post(
            &format!("/api/v1/terugkoppelingen/{eerste}/eigen-verklaringen"),
            &vt_fg,
            &json!({"tekst": "Ik ben het er niet mee eens.", "door": "ouders/0"}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(stand(), voor, "no statement stored");
    for eigenaar in ["politie-haaglanden", "wijkteam-den-haag"] {
        let rijen = app.audit(&format!(
            "resultaat = 403 AND eigenaar = '{eigenaar}' AND object_type IN ('zorgmeldingen', 'terugkoppelingen') AND organisatie <> '{eigenaar}'"
        ));
        assert!(
            rijen.iter().any(|r| r
                .grondslag
                .as_deref()
                .unwrap_or_default()
                .contains("VERKLARING_DOOR_HOUDER")),
            "{eigenaar}: {rijen:?}"
        );
    }
    let gelezen: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{taak}"), &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        gelezen["eigenVerklaringen"].as_array().map_or(0, Vec::len),
        0,
        "{gelezen}"
    );

    // The parties that stayed still write to each other: Veilig Thuis feeds back to the
    // police, and its privacy officer records a statement on the police's melding.
    let res = app
        .post(
            &pad(&id),
            &vt,
            &json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/eigen-verklaringen"),
            &vt_fg,
            &json!({"tekst": "Ik ben het er niet mee eens.", "door": "ouders/0"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

op_beide_backends!(
    alleen_wie_overdroeg_annuleert,
    uitgetreden_partij_schrijft_niets_dat_stroomt,
    geen_terugkoppeling_op_een_geannuleerde_taak,
    stap_vervult_geen_plicht_met_inhoud,
    status_van_een_overdracht_aan_wie_overdroeg,
    geven_lezen_en_termijnen,
    overdracht_koppelt_terug_aan_wie_overdroeg,
    overdracht_nooit_terug_aan_de_melder,
    intrekking_bereikt_de_overdracht
);
