//! Incidents over HTTP (outside tester's findings on the case registry): a statement and
//! the hearing of the other parent are not dated before the incident itself
//! (`NIET_VOOR_HET_INCIDENT`), when the incident is recorded with them and when they are
//! added later. Each test on both backends.

use crate::common;
use common::{Db, TestApp, assert_problem};
use common::{p, paren};
use serde_json::{Value, json};

const POLITIE: &str = "politie-den-haag";
const TIJDSTIP: &str = "2026-11-01T10:00:00Z";
const ERVOOR: &str = "2026-11-01T09:59:59Z";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    Some(app)
}

fn incident() -> Value {
    json!({"tijdstip": TIJDSTIP, "soort": "ruzie", "politieReferentie": "PL1500-2026000777",
           "samenvatting": "Ruzie bij de overdracht."})
}

/// `NIET_VOOR_HET_INCIDENT` on `POST /incidenten`, `POST /incidenten/{id}/verklaringen`
/// and `PUT /incidenten/{id}/wederhoor`: a moment before the incident's `tijdstip` is a
/// 422 naming the field; the incident's own moment and later are accepted.
async fn niets_voor_het_incident(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["noodhulp"]);
    let mut b = incident();
    b["verklaringen"] = json!([
        {"afgelegdDoor": "moeder", "tekst": "Hij schreeuwde.", "afgelegdOp": ERVOOR},
        {"afgelegdDoor": "kind", "tekst": "Ik was bang.", "afgelegdOp": TIJDSTIP},
    ]);
    b["wederhoor"] = json!({"status": "ja", "op": "2026-10-31T10:00:00Z"});
    let pr = assert_problem(app.post("/api/v1/incidenten", &agent, &b).await, 422).await;
    assert_eq!(
        paren(&pr),
        [
            p("/verklaringen/0/afgelegdOp", "niet-voor-het-incident"),
            p("/wederhoor/op", "niet-voor-het-incident"),
        ],
        "{pr}"
    );
    assert!(pr.to_string().contains("NIET_VOOR_HET_INCIDENT"), "{pr}");
    assert_eq!(app.tel("SELECT count(*) AS n FROM incidenten"), 0);

    let res = app.post("/api/v1/incidenten", &agent, &incident()).await;
    assert_eq!(res.status(), 201);
    let i: Value = res.json().await.unwrap();
    let id = i["id"].as_str().unwrap();
    let pad = format!("/api/v1/incidenten/{id}/verklaringen");
    let pr = assert_problem(
        app.post(
            &pad,
            &agent,
            &json!({"afgelegdDoor": "vader", "tekst": "Zij begon.", "afgelegdOp": ERVOOR}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        paren(&pr),
        [p("/afgelegdOp", "niet-voor-het-incident")],
        "{pr}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM verklaringen"), 0);
    // On the incident's own moment, and without a moment (dated now): accepted.
    for body in [
        json!({"afgelegdDoor": "vader", "tekst": "Zij begon.", "afgelegdOp": TIJDSTIP}),
        json!({"afgelegdDoor": "getuige", "tekst": "Ik zag het."}),
    ] {
        let res = app.post(&pad, &agent, &body).await;
        assert_eq!(res.status(), 201, "{:?}", res.text().await);
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM verklaringen"), 2);

    let pad = format!("/api/v1/incidenten/{id}/wederhoor");
    let pr = assert_problem(
        app.put(&pad, &agent, &json!({"status": "ja", "op": ERVOOR}))
            .await,
        422,
    )
    .await;
    assert_eq!(paren(&pr), [p("/op", "niet-voor-het-incident")], "{pr}");
    let res = app
        .put(
            &pad,
            &agent,
            &json!({"status": "ja", "op": "2026-11-02T08:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let i: Value = res.json().await.unwrap();
    assert_eq!(i["wederhoor"], "ja", "{i}");
    assert_eq!(i["versie"], Value::Null);
}

/// An incident dated within the allowed clock skew ahead of now (4 minutes): a statement
/// sent without `afgelegdOp`, with the incident or added later, is dated at the incident's
/// moment, never before it (NIET_VOOR_HET_INCIDENT; the outside tester, round three: it
/// was dated now, before its incident). A stale `If-Match` is heard after the body's rule.
async fn ongedateerde_verklaring_niet_voor_het_incident(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["noodhulp"]);
    let straks = chrono::Utc::now() + chrono::Duration::minutes(4);
    let tijdstip = straks.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let mut b = incident();
    b["tijdstip"] = json!(tijdstip);
    b["verklaringen"] = json!([{"afgelegdDoor": "moeder", "tekst": "Nu."}]);
    let res = app.post("/api/v1/incidenten", &agent, &b).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let i: Value = res.json().await.unwrap();
    let id = i["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/incidenten/{id}/verklaringen"),
            &agent,
            &json!({"afgelegdDoor": "vader", "tekst": "Ook nu."}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let i: Value = res.json().await.unwrap();
    let t = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    let incident_op = t(&i["tijdstip"]);
    let verklaringen = i["verklaringen"].as_array().unwrap();
    assert_eq!(verklaringen.len(), 2, "{i}");
    for v in verklaringen {
        assert!(t(&v["afgelegdOp"]) >= incident_op, "{i}");
    }
    // A dated statement before the incident with a stale If-Match: the body's 422 first.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/incidenten/{id}/verklaringen")))
        .bearer_auth(&agent)
        .header("If-Match", "\"999\"")
        .json(&json!({"afgelegdDoor": "vader", "tekst": "Eerder.", "afgelegdOp": ERVOOR}))
        .send()
        .await
        .unwrap();
    let pr = assert_problem(res, 422).await;
    assert_eq!(
        paren(&pr),
        [p("/afgelegdOp", "niet-voor-het-incident")],
        "{pr}"
    );
}

/// Outside testers, fourth round (a domain expert): a child may have two legal mothers
/// (BW 1:198). Hoor en wederhoor counts the parents heard per person
/// (`OUDERS_GETELD_PER_PERSOON`): two `moeder` statements naming two persons are both
/// parents heard, not one-sided; unnamed, or naming the same person, they cannot be told
/// from one mother heard twice and stay one-sided. The same when the second mother is
/// heard later.
async fn twee_moeders_gehoord(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["noodhulp"]);
    let anna = common::persoon(&app, &agent, "Anna", "1985-02-02").await;
    let bo = common::persoon(&app, &agent, "Bo", "1987-03-03").await;
    let met = |verklaringen: Value| {
        let mut b = incident();
        b["soort"] = json!("overdracht-kind-mislukt");
        b["verklaringen"] = verklaringen;
        b
    };
    let maak_incident = |b: Value| {
        let app = &app;
        let agent = agent.clone();
        async move {
            let res = app.post("/api/v1/incidenten", &agent, &b).await;
            assert_eq!(res.status(), 201, "{:?}", res.text().await);
            res.json::<Value>().await.unwrap()
        }
    };
    // Two statements by `moeder` without a person: one mother heard twice, or two; one-sided.
    let i = maak_incident(met(json!([
        {"afgelegdDoor": "moeder", "tekst": "a"}, {"afgelegdDoor": "moeder", "tekst": "b"}
    ])))
    .await;
    assert_eq!(i["eenzijdig"], true, "{i}");
    // The same person twice: one parent.
    let i = maak_incident(met(json!([
        {"afgelegdDoor": "moeder", "persoon": anna, "tekst": "a"},
        {"afgelegdDoor": "moeder", "persoon": anna, "tekst": "b"}
    ])))
    .await;
    assert_eq!(i["eenzijdig"], true, "{i}");
    // A named mother and an unnamed one: the unnamed may be her again.
    let i = maak_incident(met(json!([
        {"afgelegdDoor": "moeder", "persoon": anna, "tekst": "a"},
        {"afgelegdDoor": "moeder", "tekst": "b"}
    ])))
    .await;
    assert_eq!(i["eenzijdig"], true, "{i}");
    // Two mothers, each named: both parents heard.
    let i = maak_incident(met(json!([
        {"afgelegdDoor": "moeder", "persoon": anna, "tekst": "a"},
        {"afgelegdDoor": "moeder", "persoon": bo, "tekst": "b"}
    ])))
    .await;
    assert_eq!(i["eenzijdig"], false, "{i}");
    assert_eq!(i["wederhoor"], "nee", "the recorded status is kept: {i}");
    // The second mother heard later.
    let i = maak_incident(met(json!([
        {"afgelegdDoor": "moeder", "persoon": anna, "tekst": "a"}
    ])))
    .await;
    assert_eq!(i["eenzijdig"], true, "{i}");
    let id = i["id"].as_str().unwrap();
    let res = app
        .post(
            &format!("/api/v1/incidenten/{id}/verklaringen"),
            &agent,
            &json!({"afgelegdDoor": "moeder", "persoon": bo, "tekst": "b"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let i: Value = res.json().await.unwrap();
    assert_eq!(i["eenzijdig"], false, "{i}");
    let gelezen: Value = app
        .get(&format!("/api/v1/incidenten/{id}"), &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(gelezen["eenzijdig"], false, "{gelezen}");
    // A mother and a father, unnamed, as before: both heard.
    let i = maak_incident(met(json!([
        {"afgelegdDoor": "moeder", "tekst": "a"}, {"afgelegdDoor": "vader", "tekst": "b"}
    ])))
    .await;
    assert_eq!(i["eenzijdig"], false, "{i}");
}

op_beide_backends!(
    niets_voor_het_incident,
    ongedateerde_verklaring_niet_voor_het_incident,
    twee_moeders_gehoord
);
