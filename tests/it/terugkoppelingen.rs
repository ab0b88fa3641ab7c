//! Terugkoppelingen over HTTP: the receiver gives feedback, the sender reads it with
//! provenance; duties are met (interim never closes, a final outcome closes all); the
//! texts are encrypted at rest; outsiders are refused and audited; safety conditions only
//! when the reporter has a role; the same for a hand-over task, back to whoever handed
//! over; a notification to the sender in the same transaction.

use crate::common;

use common::keten::{opzet, verzonden_melding};
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

op_beide_backends!(
    geen_terugkoppeling_op_een_geannuleerde_taak,
    geven_lezen_en_termijnen,
    overdracht_koppelt_terug_aan_wie_overdroeg,
    overdracht_nooit_terug_aan_de_melder
);
