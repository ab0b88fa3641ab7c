//! Inzage shows an organisation no more than its own read (`INZAGE_ZOALS_EIGEN_LEZING`,
//! `ketenregie_privacy::inzage`), logs what it shows of another organisation's records as
//! that read, and a person id the organisation may not know is answered as an unknown one
//! (`EEN_ORGANISATIE_ZICHT`, `inzage::record_in_zicht`). Re-test of the hostile tester's
//! findings 1 and 2 (h29).

use crate::common::{Db, TestApp};
use crate::inzage::{BSN_MOEDER, BSN_SEM, GI, POLITIE, VT, WIJKTEAM, Wereld, demowereld, rapport};
use serde_json::{Value, json};

/// The reporter of the second melding, who may be named (the demo's choice).
const MELDER_ZICHTBAAR: &str = "wijkagent (demo)";

async fn post_ok(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or_default();
    assert!(status.is_success(), "{pad}: {status} {v}");
    v
}

async fn get_ok(app: &TestApp, pad: &str, token: &str) -> Value {
    let res = app.get(pad, token).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or_default();
    assert_eq!(status, 200, "{pad}: {v}");
    v
}

/// Sem's identity (a BSN decides it, not the name).
fn sem(app: &TestApp) -> String {
    ketenregie_privacy::betrokkene::betrokkene(&app.versleuteling(), Some(BSN_SEM), "", "", None)
        .to_string()
}

/// A melding about Sem whose reporter may be named, submitted to and read by Veilig Thuis
/// and handed over to the wijkteam, whose caseworker reads the task. The task's id.
async fn overdracht(app: &TestApp) -> String {
    let wijkagent = app.token(POLITIE, &["wijkagent"]);
    let m = post_ok(app, "/api/v1/zorgmeldingen", &wijkagent, json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN_SEM, "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "bsn": BSN_MOEDER, "gezag": true}],
        "incidentReferentie": "DEMO-PL-10", "incidentDatum": "2026-11-28", "omschrijving": "Geschreeuw in de portiek.",
        "zorgen": "Sem durft niet naar huis.", "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": "Lisa Visser", "rol": "moeder", "tekst": "Het liep uit de hand."}],
        "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": MELDER_ZICHTBAAR, "functie": "wijkagent", "identiteitDelen": true}
    })).await;
    let m = m["id"].as_str().unwrap().to_string();
    let ingediend = post_ok(
        app,
        &format!("/api/v1/zorgmeldingen/{m}/indieningen"),
        &wijkagent,
        json!({}),
    )
    .await;
    let melding = ingediend["meldingen"][0]["id"]
        .as_str()
        .unwrap_or(&m)
        .to_string();
    let triagist = app.token(VT, &["triagist"]);
    get_ok(app, &format!("/api/v1/zorgmeldingen/{melding}"), &triagist).await;
    post_ok(
        app,
        &format!("/api/v1/zorgmeldingen/{melding}/ontvangsten"),
        &triagist,
        json!({}),
    )
    .await;
    post_ok(app, &format!("/api/v1/zorgmeldingen/{melding}/beoordelingen"), &triagist,
        json!({"uitkomst": "voorwaarden-en-vervolg", "acuut": false, "toelichting": "Wijkteam pakt het op."})).await;
    let taak = post_ok(
        app,
        &format!("/api/v1/zorgmeldingen/{melding}/overdrachten"),
        &triagist,
        json!({"organisatie": WIJKTEAM}),
    )
    .await;
    let taak = taak["id"].as_str().unwrap().to_string();
    // The wijkteam's own read: BSN, police data and the reporter redacted.
    let medewerker = app.token(WIJKTEAM, &["wijkteammedewerker"]);
    let eigen = get_ok(app, &format!("/api/v1/zorgmeldingen/{taak}"), &medewerker).await;
    let geredigeerd = eigen["geredigeerd"].to_string();
    for c in ["bsn", "politiegegevens", "melder-identiteit"] {
        assert!(geredigeerd.contains(c), "{eigen}");
    }
    taak
}

/// The number of disclosures of `eigenaar`'s records to `aan`, in its register.
async fn verstrekt(app: &TestApp, eigenaar: &str, aan: &str) -> i64 {
    let fg = app.token(eigenaar, &["privacyfunctionaris"]);
    get_ok(
        app,
        &format!("/api/v1/verwerkingen/verstrekkingen?aan={aan}"),
        &fg,
    )
    .await["count"]
        .as_i64()
        .unwrap()
}

/// Finding 1: the wijkteam's report on Sem (and on the mother, by the police's id of
/// her) shows the handed-over task as its own read does — no BSN, no police data, no
/// reporter — in JSON and on the page; and showing it is logged as that read, a disclosure
/// in the police's register.
async fn overdracht_zoals_eigen_lezing(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };
    let taak = overdracht(&app).await;
    let Wereld { moeder_politie, .. } = &w;
    for id in [sem(&app), moeder_politie.clone()] {
        let voor = verstrekt(&app, POLITIE, WIJKTEAM).await;
        let r = rapport(&app, WIJKTEAM, &id).await;
        let tekst = r.to_string();
        assert!(
            !tekst.contains(BSN_SEM) && !tekst.contains(BSN_MOEDER),
            "a BSN the wijkteam's read redacts: {r}"
        );
        assert!(!tekst.contains(MELDER_ZICHTBAAR), "the reporter: {r}");
        assert!(
            !tekst.contains("Geschreeuw in de portiek.")
                && !tekst.contains("Het liep uit de hand.")
                && !tekst.contains("DEMO-PL-10"),
            "police data: {r}"
        );
        let item = r["gegevens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == taak.as_str())
            .unwrap_or_else(|| panic!("the task is in the report: {r}"));
        assert_eq!(item["soort"], "overdracht");
        // What its read shows, it shows: the concerns (gezinssituatie).
        assert!(
            item["gegevens"]
                .to_string()
                .contains("Sem durft niet naar huis."),
            "{item}"
        );
        assert!(item["gegevens"]["melder"].is_null(), "{item}");
        let weg = item["achtergehouden"].to_string();
        assert!(
            weg.contains("burgerservicenummer") && weg.contains("melder"),
            "{item}"
        );
        // Logged as the read: one disclosure of the task in the police's register.
        assert_eq!(verstrekt(&app, POLITIE, WIJKTEAM).await, voor + 1, "{id}");
        // The printable page: the same.
        let fg = app.token(WIJKTEAM, &["privacyfunctionaris"]);
        let res = app
            .client
            .get(app.url(&format!("/api/v1/personen/{id}/inzage")))
            .bearer_auth(&fg)
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(
            !html.contains(BSN_SEM)
                && !html.contains(BSN_MOEDER)
                && !html.contains(MELDER_ZICHTBAAR),
            "{html}"
        );
    }
    let trace: String = {
        let fg = app.token(POLITIE, &["privacyfunctionaris"]);
        let v = get_ok(
            &app,
            &format!("/api/v1/verwerkingen/verstrekkingen?aan={WIJKTEAM}"),
            &fg,
        )
        .await;
        let nieuwste = &v["results"][0];
        assert_eq!(nieuwste["objectId"], taak.as_str(), "{v}");
        assert_eq!(nieuwste["rollen"], json!(["privacyfunctionaris"]), "{v}");
        nieuwste["traceId"].as_str().unwrap().to_string()
    };
    // In the same request: the read's audit row in the police's trail and the wijkteam's
    // processing-log rows.
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE trace_id = '{trace}' AND eigenaar = '{POLITIE}' AND organisatie = '{WIJKTEAM}' AND object_type = 'zorgmeldingen' AND resultaat = 200")),
        1
    );
    assert!(
        app.tel(&format!("SELECT count(*) AS n FROM verwerkingslog WHERE trace_id = '{trace}' AND organisatie = '{WIJKTEAM}' AND activiteit = 'coordinatie'")) >= 1
    );
}

/// Finding 1, the other sources: feedback the police received from Veilig Thuis is shown
/// in the police's report as its own read of it, and logged as that read (a disclosure in
/// Veilig Thuis's register); Veilig Thuis's report still shows the melding it received as
/// its triagist reads it, logged in the police's register.
async fn ontvangen_gelogd_als_lezing(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };
    let voor = verstrekt(&app, VT, POLITIE).await;
    let r = rapport(&app, POLITIE, &w.moeder_politie).await;
    let ontvangen: Vec<&Value> = r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["soort"] == "terugkoppeling")
        .collect();
    assert_eq!(ontvangen.len(), 1, "{r}");
    assert_eq!(ontvangen[0]["gegevens"]["richting"], "ontvangen");
    assert_eq!(
        ontvangen[0]["gegevens"]["toelichting"],
        "Veiligheidsvoorwaarden met beide ouders afgesproken."
    );
    assert_eq!(verstrekt(&app, VT, POLITIE).await, voor + 1);

    let voor = verstrekt(&app, POLITIE, VT).await;
    let r = rapport(&app, VT, &w.identiteit).await;
    let m = r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["soort"] == "zorgmelding")
        .unwrap();
    assert!(
        m["gegevens"].to_string().contains(BSN_MOEDER),
        "her own BSN: Veilig Thuis's read shows it: {m}"
    );
    assert_eq!(verstrekt(&app, POLITIE, VT).await, voor + 1);
}

/// The log search's answer, as its count.
async fn zoek(app: &TestApp, org: &str, body: Value) -> i64 {
    let fg = app.token(org, &["privacyfunctionaris"]);
    post_ok(app, "/api/v1/verwerkingen/_zoek", &fg, body).await["count"]
        .as_i64()
        .unwrap()
}

/// Finding 2: the GI holds its own record of the mother, but never received the police's.
/// Searching its log by the police's record id of her answers as an unknown id (nothing),
/// not with its own rows on her; its own record id finds them. Inzage by the police's id:
/// the same 404 as an unknown id.
async fn vreemd_record_als_onbekend(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };
    let gezinsvoogd = app.token(GI, &["gezinsvoogd"]);
    let eigen = post_ok(&app, "/api/v1/personen", &gezinsvoogd, json!({
        "bsn": BSN_MOEDER, "voornamen": "Lisa", "achternaam": "Visser", "geboortedatum": "1986-07-22",
        "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}
    }))
    .await;
    let eigen = eigen["id"].as_str().unwrap().to_string();
    assert!(zoek(&app, GI, json!({"betrokkene": eigen})).await >= 1);
    let onbekend = uuid::Uuid::new_v4().to_string();
    assert_eq!(zoek(&app, GI, json!({"betrokkene": onbekend})).await, 0);
    assert_eq!(
        zoek(&app, GI, json!({"betrokkene": w.moeder_politie})).await,
        0,
        "the police's record id must not find the GI's rows on her"
    );
    // The police still find theirs by it (their own record).
    assert!(zoek(&app, POLITIE, json!({"betrokkene": w.moeder_politie})).await >= 1);

    let fg = app.token(GI, &["privacyfunctionaris"]);
    let detail = |v: Value| v["detail"].clone();
    let a = app
        .get(
            &format!("/api/v1/personen/{}/inzage", w.moeder_politie),
            &fg,
        )
        .await;
    assert_eq!(a.status(), 404);
    let b = app
        .get(&format!("/api/v1/personen/{onbekend}/inzage"), &fg)
        .await;
    assert_eq!(b.status(), 404);
    assert_eq!(
        detail(a.json().await.unwrap()),
        detail(b.json().await.unwrap())
    );
}

op_beide_backends!(
    overdracht_zoals_eigen_lezing,
    ontvangen_gelogd_als_lezing,
    vreemd_record_als_onbekend
);
