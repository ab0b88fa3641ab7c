//! `PRIVACYKANAAL_ALLEEN_FG` in the admin's registers (the hostile partner-admin test of
//! 2 Dec 2026, F1, F6, F2): the privacy officer's notices (which record was read, by
//! whom) reach nobody else through the functional admin's views. A plain functional admin
//! of the organisation, and the platform admin:
//!
//! - F1: does not see a dead delivery of the privacy channel in `GET /dode-berichten`,
//!   nor re-queue it (404, as an unknown id); the privacy officer who is admin does both;
//! - F6: does not see a subscription on the privacy channel in `GET /abonnementen`, nor
//!   read or end it (404); the privacy officer does;
//! - F2: does not add, change, re-role or remove the `privacy` contact point (where the
//!   notices are mailed): 403, nothing changed; the privacy officer who is admin does.

use crate::common;

use chrono::{DateTime, Utc};
use common::keten::{self, Ontvanger};
use common::{Db, TestApp, assert_problem};
use diesel::Connection;
use ketenregie_common::Klok;
use ketenregie_store::outbox;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

const POLITIE: &str = "politie-haaglanden";

fn begin() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-02T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn app(db: Db, klok: &Klok) -> Option<TestApp> {
    let app = common::spawn_met(
        db,
        "[dispatcher]\nenabled = false\nmax_attempts = 1\n",
        ketenregie_api::app::Onderdelen {
            klok: klok.clone(),
            ..Default::default()
        },
    )
    .await?;
    keten::opzet(&app).await;
    Some(app)
}

/// One event of type `soort` for the police, straight into the outbox.
fn gebeurtenis(app: &TestApp, soort: &str, onderwerp: &str, nu: DateTime<Utc>) {
    let mut c = app.pool.get().unwrap();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        outbox::enqueue(
            c,
            &outbox::Gebeurtenis {
                soort: soort.into(),
                organisatie: POLITIE.into(),
                onderwerp: onderwerp.into(),
                dataref: format!("/api/v1/verwerkingen/verstrekkingen/{onderwerp}"),
            },
            nu,
        )?;
        Ok(())
    })
    .unwrap();
}

async fn json(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn types(lijst: &Value) -> Vec<String> {
    lijst["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn delete(app: &TestApp, pad: &str, token: &str) -> u16 {
    app.client
        .delete(app.url(pad))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn privacykanaal_in_dode_berichten_en_abonnementen(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(db, &klok).await else {
        return;
    };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let fg = app.token(POLITIE, &["functioneel-beheerder", "privacyfunctionaris"]);
    let platform = app.token("ketenregie-platform", &["platformbeheerder"]);
    let ontvanger = Ontvanger::default();
    ontvanger.storing.store(true, Ordering::SeqCst);
    let basis = ontvanger.start();
    keten::abonneer(&app, POLITIE, &format!("{basis}/fg"), &["privacy"]).await;
    keten::abonneer(&app, POLITIE, &format!("{basis}/p"), &["termijnen"]).await;

    // F6: the plain admin lists only its own kind; the privacy officer both.
    let l = json(app.get("/api/v1/abonnementen", &beheer).await).await;
    assert_eq!(l["count"], 1, "{l}");
    assert_eq!(l["results"][0]["kanalen"], json!(["termijnen"]), "{l}");
    assert!(!l.to_string().contains("/fg"), "{l}");
    let l = json(app.get("/api/v1/abonnementen", &fg).await).await;
    assert_eq!(l["count"], 2, "{l}");
    let privacy_abo = l["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kanalen"] == json!(["privacy"]))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pad = format!("/api/v1/abonnementen/{privacy_abo}");
    let onbekend = format!("/api/v1/abonnementen/{}", uuid::Uuid::now_v7());
    let verwacht = assert_problem(app.get(&onbekend, &beheer).await, 404).await;
    let kreeg = assert_problem(app.get(&pad, &beheer).await, 404).await;
    assert_eq!(kreeg["detail"], verwacht["detail"], "as an unknown id");
    assert_eq!(delete(&app, &pad, &beheer).await, 404);
    assert_eq!(
        app.get(&pad, &fg).await.status(),
        200,
        "still there for the privacy officer"
    );

    // F1: a privacy notice and another both fail their only attempt: dead.
    gebeurtenis(
        &app,
        "privacy.gegevens-verstrekt",
        "record-gelezen",
        klok.nu(),
    );
    gebeurtenis(&app, "termijnen.escalatie", "melding-1", klok.nu());
    assert_eq!(app.bezorger.ronde().await.unwrap().mislukt, 2);
    for token in [&beheer, &platform] {
        let d = json(app.get("/api/v1/dode-berichten", token).await).await;
        assert_eq!(d["count"], 1, "{d}");
        assert_eq!(types(&d), ["nl.ketenregie.termijnen.escalatie"], "{d}");
        assert!(!d.to_string().contains("record-gelezen"), "{d}");
    }
    // Another organisation's privacy officer does not see the police's either.
    let vt_fg = app.token(
        "vt-haaglanden",
        &["functioneel-beheerder", "privacyfunctionaris"],
    );
    let d = json(app.get("/api/v1/dode-berichten", &vt_fg).await).await;
    assert_eq!(d["count"], 0, "{d}");
    let d = json(app.get("/api/v1/dode-berichten", &fg).await).await;
    assert_eq!(d["count"], 2, "{d}");
    let dood_privacy = d["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "nl.ketenregie.privacy.gegevens-verstrekt")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let opnieuw = format!("/api/v1/dode-berichten/{dood_privacy}/_opnieuw");
    let onbekend = format!("/api/v1/dode-berichten/{}/_opnieuw", uuid::Uuid::now_v7());
    let verwacht = assert_problem(app.post(&onbekend, &beheer, &json!({})).await, 404).await;
    for token in [&beheer, &platform] {
        let kreeg = assert_problem(app.post(&opnieuw, token, &json!({})).await, 404).await;
        assert_eq!(kreeg["detail"], verwacht["detail"], "as an unknown id");
    }
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM bezorgingen WHERE id = '{dood_privacy}' AND status = 'dood'"
        )),
        1,
        "not re-queued"
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE eigenaar = '{POLITIE}' AND resultaat = 403 AND object_id = '{dood_privacy}'"
        )),
        2,
        "both attempts in the police's trail"
    );
    ontvanger.storing.store(false, Ordering::SeqCst);
    assert_eq!(app.post(&opnieuw, &fg, &json!({})).await.status(), 200);
    assert_eq!(app.bezorger.ronde().await.unwrap().afgeleverd, 1);

    // The privacy officer ends it.
    assert_eq!(delete(&app, &pad, &fg).await, 204);
    assert_eq!(app.get(&pad, &fg).await.status(), 404);
}

async fn privacycontactpunt_alleen_door_fg(db: Db) {
    let klok = Klok::vast(begin());
    let Some(app) = app(db, &klok).await else {
        return;
    };
    let org = keten::organisatie_id(&app, POLITIE).await;
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let fg = app.token(POLITIE, &["functioneel-beheerder", "privacyfunctionaris"]);
    let platform = app.token("ketenregie-platform", &["platformbeheerder"]);
    let nieuw = format!("/api/v1/organisaties/{org}/contactpunten");
    let privacy =
        json!({"rol": "privacy", "naam": "Balie", "email": "beheerder-prive@hostile.example"});
    let aantal = || app.tel("SELECT count(*) AS n FROM contactpunten WHERE rol = 'privacy'");

    // A plain admin, or the platform admin, adds none.
    for token in [&beheer, &platform] {
        let p = assert_problem(app.post(&nieuw, token, &privacy).await, 403).await;
        assert!(p.to_string().contains("PRIVACYKANAAL_ALLEEN_FG"), "{p}");
    }
    assert_eq!(aantal(), 0);
    // Its own kinds it still keeps.
    let spoed = app
        .post(
            &nieuw,
            &beheer,
            &json!({"rol": "spoed", "naam": "Piket", "telefoon": "070 000 1111"}),
        )
        .await;
    assert_eq!(spoed.status(), 201);
    let spoed: Value = spoed.json().await.unwrap();
    let spoed_pad = format!("/api/v1/contactpunten/{}", spoed["id"].as_str().unwrap());
    // Nor makes another one the privacy contact point.
    assert_problem(app.put(&spoed_pad, &beheer, &privacy).await, 403).await;
    assert_eq!(aantal(), 0);

    // The privacy officer who is admin adds it.
    let res = app
        .post(
            &nieuw,
            &fg,
            &json!({"rol": "privacy", "naam": "Privacyloket", "email": "fg@politie.example"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let pc: Value = res.json().await.unwrap();
    let pc_pad = format!("/api/v1/contactpunten/{}", pc["id"].as_str().unwrap());
    // The plain admin neither redirects it, re-roles it, nor removes it.
    assert_problem(app.put(&pc_pad, &beheer, &privacy).await, 403).await;
    assert_problem(
        app.put(
            &pc_pad,
            &beheer,
            &json!({"rol": "spoed", "naam": "Privacyloket", "email": "fg@politie.example"}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(delete(&app, &pc_pad, &beheer).await, 403);
    assert_eq!(delete(&app, &pc_pad, &platform).await, 403);
    let nu: Value = app.get(&pc_pad, &beheer).await.json().await.unwrap();
    assert_eq!(nu["email"], "fg@politie.example", "unchanged: {nu}");
    assert_eq!(nu["rol"], "privacy", "unchanged: {nu}");
    assert!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE eigenaar = '{POLITIE}' AND resultaat = 403 AND object_type = 'contactpunten'"
        )) >= 4,
        "the refusals are in the police's trail"
    );
    // The privacy officer changes and removes it.
    let res = app
        .put(
            &pc_pad,
            &fg,
            &json!({"rol": "privacy", "naam": "Privacyloket", "email": "privacy@politie.example"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(delete(&app, &pc_pad, &fg).await, 204);
    assert_eq!(aantal(), 0);
}

op_beide_backends!(
    privacykanaal_in_dode_berichten_en_abonnementen,
    privacycontactpunt_alleen_door_fg,
);
