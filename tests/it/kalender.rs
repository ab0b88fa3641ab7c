//! Dutch days and hours over HTTP (issue 14, findings 10 and 11): feedback deadlines are
//! counted in Europe/Amsterdam across the clock change, 5 May is a holiday every year
//! (Algemene termijnenwet art. 3), an organisation's functional admin sets its closed
//! days and the deadlines it owes skip them, and report periods are Dutch calendar days.

use crate::common;

use chrono::{DateTime, Utc};
use common::{Db, TestApp, assert_problem, keten};
use ketenregie_common::Klok;
use serde_json::{Value, json};

fn tijd(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn app_op(db: Db, start: &str) -> Option<(TestApp, Klok)> {
    let klok = Klok::vast(tijd(start));
    let app = common::spawn_met(
        db,
        "",
        ketenregie_api::app::Onderdelen {
            klok: klok.clone(),
            ..Default::default()
        },
    )
    .await?;
    keten::opzet(&app).await;
    Some((app, klok))
}

/// The due time of each duty of melding `id`, as Veilig Thuis Haaglanden reads it.
async fn termijnen(app: &TestApp, id: &str) -> Vec<(String, String)> {
    termijnen_bij(app, "vt-haaglanden", id).await
}

/// The due time of each duty of melding `id`, as the triagist of `vt` reads it.
async fn termijnen_bij(app: &TestApp, vt: &str, id: &str) -> Vec<(String, String)> {
    let vt = app.token(vt, &["triagist"]);
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    m["termijnen"]
        .as_array()
        .unwrap_or_else(|| panic!("{m}"))
        .iter()
        .map(|t| {
            (
                t["moment"].as_str().unwrap().to_string(),
                t["verschuldigdOp"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn due(t: &[(String, String)], moment: &str) -> String {
    t.iter().find(|(m, _)| m == moment).unwrap().1.clone()
}

/// Finding 10: sent 2027-03-27T23:51Z, Sunday 28 March 00:51 CET, the night clocks go
/// forward (Easter Sunday too; Monday 29 is Easter Monday). Sunday is no working day, so
/// the terms start at 00:00 on Tuesday 30 March (`TERMIJN_BEGINT_OP_WERKDAG`, hc finding
/// F9): receipt is due at the end of Tuesday 30 March, 24:00 CEST = 2027-03-30T22:00Z.
async fn bevinding_10_zomertijd(db: Db) {
    let Some((app, _)) = app_op(db, "2027-03-27T23:51:00Z").await else {
        return;
    };
    let id = keten::verzonden_melding(&app).await;
    let t = termijnen(&app, &id).await;
    assert_eq!(due(&t, "ontvangstbevestiging"), "2027-03-30T22:00:00Z");
    // Five working days from Tuesday: Tue 30, Wed 31, Thu 1, Fri 2, Mon 5 April (its end).
    assert_eq!(due(&t, "na-beoordeling"), "2027-04-05T22:00:00Z");
}

/// Finding 11: sent Tuesday 4 May 2027. Wednesday 5 May is a holiday every year
/// (Algemene termijnenwet art. 3 lid 1), Thursday 6 May is Ascension Day: receipt is due
/// Friday 7 May and the triage outcome Thursday 13 May.
async fn bevinding_11_vijf_mei(db: Db) {
    let Some((app, _)) = app_op(db, "2027-05-04T10:00:00Z").await else {
        return;
    };
    let id = keten::verzonden_melding(&app).await;
    let t = termijnen(&app, &id).await;
    assert_eq!(due(&t, "ontvangstbevestiging"), "2027-05-07T10:00:00Z");
    assert_eq!(due(&t, "na-beoordeling"), "2027-05-13T10:00:00Z");
}

/// The functional admin of Veilig Thuis closes Friday 7 May 2027; meldingen sent after
/// that owe their feedback a working day later; earlier duties keep their due time.
async fn sluitingsdagen_zetten_en_gebruiken(db: Db) {
    let Some((app, _)) = app_op(db, "2027-05-04T10:00:00Z").await else {
        return;
    };
    let eerder = keten::verzonden_melding(&app).await;
    let beheer = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let triagist = app.token("vt-haaglanden", &["triagist"]);
    let pad = "/api/v1/sluitingsdagen/2027-05-07";
    // Only the functional admin sets them.
    let res = app
        .put(pad, &triagist, &json!({"omschrijving": "teamdag"}))
        .await;
    assert_problem(res, 403).await;
    let res = app
        .put(pad, &beheer, &json!({"omschrijving": "teamdag"}))
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/api/v1/sluitingsdagen/2027-05-07"
    );
    let dag: Value = res.json().await.unwrap();
    assert_eq!(dag["datum"], "2027-05-07");
    let res = app
        .put(
            pad,
            &beheer,
            &json!({"omschrijving": "vrijdag na Hemelvaart (cao)"}),
        )
        .await;
    assert_eq!(res.status(), 200, "a second PUT re-describes");
    // Bad input: not a date and no description break the schema (400); a day in the past
    // (Dutch today is 4 May) breaks a rule no schema states (422).
    for (p, body, veld, status) in [
        (
            "/api/v1/sluitingsdagen/7-5-2027",
            json!({"omschrijving": "x"}),
            "datum",
            400,
        ),
        (
            "/api/v1/sluitingsdagen/2027-05-03",
            json!({"omschrijving": "x"}),
            "datum",
            422,
        ),
        (
            "/api/v1/sluitingsdagen/2027-05-10",
            json!({}),
            "/omschrijving",
            400,
        ),
    ] {
        let b = assert_problem(app.put(p, &beheer, &body).await, status).await;
        assert_eq!(b["invalidParams"][0]["name"], veld, "{b}");
    }
    // Every user of the organisation reads them; another organisation sees its own (none).
    let lijst: Value = app
        .get("/api/v1/sluitingsdagen", &triagist)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["count"], 1);
    assert_eq!(
        lijst["results"][0]["omschrijving"],
        "vrijdag na Hemelvaart (cao)"
    );
    let politie = app.token("politie-haaglanden", &["wijkagent"]);
    let ander: Value = app
        .get("/api/v1/sluitingsdagen", &politie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ander["count"], 0);
    assert_problem(
        app.get("/api/v1/sluitingsdagen?van=2027-01-01", &triagist)
            .await,
        400,
    )
    .await;

    // A melding sent now: Wed 5 May holiday, Thu 6 Ascension, Fri 7 closed -> Monday 10;
    // triage Mon 10, Tue 11, Wed 12, Thu 13, Fri 14.
    let nieuw = keten::verzonden_melding(&app).await;
    let t = termijnen(&app, &nieuw).await;
    assert_eq!(due(&t, "ontvangstbevestiging"), "2027-05-10T10:00:00Z");
    assert_eq!(due(&t, "na-beoordeling"), "2027-05-14T10:00:00Z");
    // The earlier melding keeps the deadline it was given.
    let t = termijnen(&app, &eerder).await;
    assert_eq!(due(&t, "ontvangstbevestiging"), "2027-05-07T10:00:00Z");

    // Setting and removing are in the audit trail; so is the refused attempt.
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE object_type = 'sluitingsdagen' AND resultaat < 400"),
        2
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE object_type = 'sluitingsdagen' AND resultaat = 403"),
        1
    );
    let res = app
        .client
        .delete(app.url(pad))
        .bearer_auth(&beheer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .client
        .delete(app.url(pad))
        .bearer_auth(&beheer)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404).await;
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE object_type = 'sluitingsdagen' AND resultaat < 400"),
        3
    );
    let derde = keten::verzonden_melding(&app).await;
    let t = termijnen(&app, &derde).await;
    assert_eq!(due(&t, "ontvangstbevestiging"), "2027-05-07T10:00:00Z");
}

/// `SLUITINGSDAGEN_BEGRENSD`: at most ten closed days per calendar year, so a receiver
/// cannot stretch the deadlines it owes at will (a hostile admin closed twenty days in a
/// row and pushed a receipt due the next day three weeks out). The eleventh new day of a
/// year is a 422 naming `datum` that writes nothing; re-describing a day is not a new
/// one; another year has its own ten; a day removed frees its place.
async fn sluitingsdagen_begrensd_per_jaar(db: Db) {
    let Some((app, _)) = app_op(db, "2027-05-04T10:00:00Z").await else {
        return;
    };
    let beheer = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let dag = |d: u32| format!("/api/v1/sluitingsdagen/2027-06-{d:02}");
    for d in 1..=10 {
        let res = app
            .put(&dag(d), &beheer, &json!({"omschrijving": "studiedag"}))
            .await;
        assert_eq!(res.status(), 201, "day {d}");
    }
    let b = assert_problem(
        app.put(&dag(11), &beheer, &json!({"omschrijving": "studiedag"}))
            .await,
        422,
    )
    .await;
    assert_eq!(b["invalidParams"][0]["name"], "datum", "{b}");
    assert_eq!(b["invalidParams"][0]["code"], "te-veel", "{b}");
    assert!(
        b.to_string().contains("SLUITINGSDAGEN_BEGRENSD"),
        "the rule by name: {b}"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM sluitingsdagen WHERE organisatie = 'vt-haaglanden'"),
        10,
        "nothing written for the eleventh"
    );
    // Re-describing a day already set is no new day.
    let res = app
        .put(&dag(3), &beheer, &json!({"omschrijving": "teamdag"}))
        .await;
    assert_eq!(res.status(), 200);
    // Another year has its own ten.
    let res = app
        .put(
            "/api/v1/sluitingsdagen/2028-01-03",
            &beheer,
            &json!({"omschrijving": "studiedag"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // A day removed frees its place.
    let res = app
        .client
        .delete(app.url(&dag(1)))
        .bearer_auth(&beheer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .put(&dag(11), &beheer, &json!({"omschrijving": "studiedag"}))
        .await;
    assert_eq!(res.status(), 201);
}

/// `SLUITINGSDAG_TELT_NA_GEBRUIK`: a closed day removed after a deadline the organisation
/// owes ran across it still counts toward the year's ten (outside tester, round three: an
/// admin set ten days, removed them before they came, set ten more, and so stretched every
/// melding's deadlines for good). It is no closed day any more (not listed, not read, not
/// skipped); setting it again takes its place back without counting twice.
async fn sluitingsdag_telt_na_gebruik(db: Db) {
    let Some((app, _)) = app_op(db, "2027-05-04T10:00:00Z").await else {
        return;
    };
    let beheer = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let dag = |d: u32| format!("/api/v1/sluitingsdagen/2027-06-{d:02}");
    for d in 1..=10 {
        let res = app
            .put(&dag(d), &beheer, &json!({"omschrijving": "studiedag"}))
            .await;
        assert_eq!(res.status(), 201, "day {d}");
    }
    // A melding's final-outcome term (10 weeks) runs across all of June.
    keten::verzonden_melding(&app).await;
    let weg = |d: u32| {
        app.client
            .delete(app.url(&dag(d)))
            .bearer_auth(&beheer)
            .send()
    };
    assert_eq!(weg(1).await.unwrap().status(), 204);
    assert_problem(app.get(&dag(1), &beheer).await, 404).await;
    assert_problem(weg(1).await.unwrap(), 404).await;
    let lijst: Value = app
        .get("/api/v1/sluitingsdagen", &beheer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        lijst["count"], 9,
        "the removed day is no closed day: {lijst}"
    );
    let b = assert_problem(
        app.put(&dag(11), &beheer, &json!({"omschrijving": "studiedag"}))
            .await,
        422,
    )
    .await;
    assert_eq!(b["invalidParams"][0]["name"], "datum", "{b}");
    assert!(
        b.to_string().contains("SLUITINGSDAG_TELT_NA_GEBRUIK"),
        "the rule by name: {b}"
    );
    let res = app
        .put(&dag(1), &beheer, &json!({"omschrijving": "toch dicht"}))
        .await;
    assert_eq!(res.status(), 201, "setting it again takes its place back");
    let lijst: Value = app
        .get("/api/v1/sluitingsdagen", &beheer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["count"], 10);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM sluitingsdagen WHERE organisatie = 'vt-haaglanden'"),
        10
    );
}

/// A report period is Dutch calendar days: a melding sent at 00:30 on 1 April Dutch time
/// (22:30 UTC on 31 March) belongs to April.
async fn rapportperiode_in_nederlandse_dagen(db: Db) {
    let Some((app, _)) = app_op(db, "2027-03-31T22:30:00Z").await else {
        return;
    };
    keten::verzonden_melding(&app).await;
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let meldingen = |r: &Value| -> i64 {
        r["paren"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .map(|p| p["meldingen"].as_i64().unwrap())
            .sum()
    };
    let april: Value = app
        .get(
            "/api/v1/rapportages/terugkoppeling?van=2027-04-01&tot=2027-04-02",
            &agent,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meldingen(&april), 1, "{april}");
    let maart: Value = app
        .get(
            "/api/v1/rapportages/terugkoppeling?van=2027-03-01&tot=2027-04-01",
            &agent,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meldingen(&maart), 0, "{maart}");
    // The default period ends tomorrow (Dutch): it includes the melding.
    let standaard: Value = app
        .get("/api/v1/rapportages/terugkoppeling", &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(standaard["tot"], "2027-04-02");
    assert_eq!(meldingen(&standaard), 1);
}

/// Build point 9: the holiday calendar is the agreement's. Police Haaglanden sends to two
/// Veilig Thuis regions under two agreements: Haaglanden's names no calendar (the Algemene
/// termijnenwet), Utrecht's the collective-agreement variant (`cao-lustrum`: 5 May only in
/// lustrum years). Sent Tuesday 4 May 2027 (not a lustrum year): receipt in Haaglanden is
/// due Friday 7 May (5 May a holiday, 6 May Ascension), in Utrecht Wednesday 5 May; the
/// triage outcome Thursday 13 and Wednesday 12 May. A calendar that does not exist is a
/// 400 naming `kalender`.
async fn kalender_per_convenant(db: Db) {
    let Some((app, _)) = app_op(db, "2027-05-04T10:00:00Z").await else {
        return;
    };
    app.organisatie("vt-utrecht", "veilig-thuis", &["0344"])
        .await;
    let regel = |soort: &str, rol: &str, acties: Value, doel: &str, cats: Value| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": acties, "categorieen": cats, "doel": doel,
               "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "terugkoppeling aan de melder"}})
    };
    let mut utrecht = json!({
        "titel": "Zorgmeldingen Utrecht (cao-kalender)",
        "partijen": [{"organisatie": "politie-haaglanden", "rol": "melder"}, {"organisatie": "vt-utrecht", "rol": "ontvanger"}],
        "doelen": ["veiligheidsbeoordeling", "terugkoppeling"],
        "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit", "hulpverlening"],
        "regels": [
            regel("veilig-thuis", "triagist", json!(["lezen", "wijzigen"]), "veiligheidsbeoordeling", json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"])),
            regel("politie", "wijkagent", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"])),
            regel("veilig-thuis", "triagist", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"]))
        ],
        "kalender": "juliaans"
    });
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    let b = assert_problem(
        app.post("/api/v1/convenanten", &beheer, &utrecht).await,
        400,
    )
    .await;
    assert_eq!(b["invalidParams"][0]["name"], "/kalender", "{b}");
    assert_eq!(b["invalidParams"][0]["code"], "enum", "{b}");
    assert!(
        b["invalidParams"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("cao-lustrum"),
        "{b}"
    );
    utrecht["kalender"] = json!("cao-lustrum");
    let c = app.convenant_van_kracht(&utrecht).await;
    assert_eq!(c["kalender"], "cao-lustrum");
    // The Haaglanden agreement names none: it reads as the default.
    let lijst: Value = app
        .get("/api/v1/convenanten", &beheer)
        .await
        .json()
        .await
        .unwrap();
    let kalenders: Vec<(&str, &str)> = lijst["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["titel"].as_str().unwrap(),
                c["kalender"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        kalenders.contains(&(
            "Zorgmeldingen en terugkoppeling Haaglanden",
            "algemene-termijnenwet"
        )),
        "{kalenders:?}"
    );

    let haaglanden = keten::verzonden_melding(&app).await;
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let mut m = keten::melding();
    m["kinderen"][0]["gemeente"] = json!("0344");
    let res = app.post("/api/v1/zorgmeldingen", &agent, &m).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
            &agent,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);

    let t = termijnen(&app, &haaglanden).await;
    assert_eq!(due(&t, "ontvangstbevestiging"), "2027-05-07T10:00:00Z");
    assert_eq!(due(&t, "na-beoordeling"), "2027-05-13T10:00:00Z");
    let t = termijnen_bij(&app, "vt-utrecht", &id).await;
    assert_eq!(
        due(&t, "ontvangstbevestiging"),
        "2027-05-05T10:00:00Z",
        "5 May is a working day under the collective-agreement calendar in 2027"
    );
    assert_eq!(due(&t, "na-beoordeling"), "2027-05-12T10:00:00Z");
}

op_beide_backends!(
    bevinding_10_zomertijd,
    bevinding_11_vijf_mei,
    sluitingsdagen_zetten_en_gebruiken,
    sluitingsdagen_begrensd_per_jaar,
    sluitingsdag_telt_na_gebruik,
    rapportperiode_in_nederlandse_dagen,
    kalender_per_convenant
);
