//! Issue 11 fault 7: every error response to a client that accepts gzip said
//! `Content-Encoding: gzip` but was sent uncompressed (the problem+json writer replaced the
//! body after compression). Now every kind of response, asked for with
//! `Accept-Encoding: gzip`, is what its headers say: decoded, it is the JSON it should be.

use crate::common;

use common::{Db, TestApp, spawn, spawn_with};
use serde_json::{Value, json};
use std::io::Read;

/// Decode a response as its headers describe it; returns (status, content type, JSON).
async fn lees(res: reqwest::Response) -> (u16, String, Value) {
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let codering = res
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    let ruw = res.bytes().await.unwrap();
    let tekst = match codering.as_deref() {
        Some("gzip") => {
            let mut uit = Vec::new();
            flate2::read::GzDecoder::new(&ruw[..])
                .read_to_end(&mut uit)
                .unwrap_or_else(|e| panic!("status {status}: labelled gzip but is not: {e}"));
            uit
        }
        None => ruw.to_vec(),
        Some(c) => panic!("unexpected Content-Encoding {c}"),
    };
    assert!(
        codering.is_some(),
        "status {status}: a JSON body to a gzip client is compressed"
    );
    let json: Value = serde_json::from_slice(&tekst)
        .unwrap_or_else(|e| panic!("status {status}: not JSON after decoding: {e}"));
    (status, ct, json)
}

fn gzip(rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    rb.header("accept-encoding", "gzip")
}

async fn verwacht(app: &TestApp, rb: reqwest::RequestBuilder, status: u16) -> Value {
    let _ = app;
    let (s, ct, body) = lees(gzip(rb).send().await.unwrap()).await;
    assert_eq!(s, status, "{body}");
    if status >= 400 {
        assert_eq!(ct, "application/problem+json");
        assert_eq!(body["status"], status);
        assert!(body["traceId"].is_string(), "{body}");
    } else {
        assert!(ct.starts_with("application/json"), "{ct}");
    }
    body
}

async fn elke_soort_antwoord_eerlijk_gecomprimeerd(db: Db) {
    let Some(app) = spawn(db).await else { return };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let c = &app.client;
    let token = app.token("politie-den-haag", &["functioneel-beheerder"]);
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);

    // Success: the public document and an authenticated list.
    let doc = verwacht(&app, c.get(app.url("/api/v1/openapi.json")), 200).await;
    assert!(doc["paths"].is_object());
    verwacht(
        &app,
        c.get(app.url("/api/v1/organisaties")).bearer_auth(&token),
        200,
    )
    .await;
    // The fault as written: the list without a token (401 from authentication).
    verwacht(&app, c.get(app.url("/api/v1/organisaties")), 401).await;
    // 4xx from a handler: invalid input, an unknown id.
    let b = verwacht(
        &app,
        c.post(app.url("/api/v1/organisaties"))
            .bearer_auth(&admin)
            .json(&json!({"code": "X", "soort": "bakker"})),
        400,
    )
    .await;
    assert!(b["invalidParams"].is_array());
    verwacht(
        &app,
        c.get(app.url(&format!("/api/v1/organisaties/{}", uuid::Uuid::now_v7())))
            .bearer_auth(&token),
        404,
    )
    .await;
    // Routing: no such path, a method the path does not have.
    verwacht(
        &app,
        c.get(app.url("/api/v1/bestaat-niet")).bearer_auth(&token),
        404,
    )
    .await;
    verwacht(
        &app,
        c.delete(app.url("/api/v1/organisaties"))
            .bearer_auth(&token),
        405,
    )
    .await;
    // Extractors: a path parameter that is no UUID, a body too large, a wrong media type.
    verwacht(
        &app,
        c.get(app.url("/api/v1/organisaties/geen-uuid"))
            .bearer_auth(&token),
        400,
    )
    .await;
    verwacht(
        &app,
        c.post(app.url("/api/v1/organisaties"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(format!("{{\"naam\": \"{}\"}}", "x".repeat(300 * 1024))),
        413,
    )
    .await;
    verwacht(
        &app,
        c.post(app.url("/api/v1/organisaties"))
            .bearer_auth(&admin)
            .header("content-type", "text/plain")
            .body("code=x"),
        415,
    )
    .await;
    // A 5xx: a write the database refuses (a trigger on the quota counter).
    match db {
        Db::Sqlite => app.sql(
            "CREATE TRIGGER test_faal BEFORE INSERT ON gebruiksquota BEGIN SELECT RAISE(ABORT, 'kapot'); END;",
        ),
        Db::Postgres => app.sql(
            "CREATE FUNCTION test_faal() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'kapot'; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER test_faal BEFORE INSERT ON gebruiksquota FOR EACH ROW EXECUTE FUNCTION test_faal();",
        ),
    }
    let b = verwacht(
        &app,
        c.get(app.url(&format!("/api/v1/personen/{}", uuid::Uuid::now_v7())))
            .bearer_auth(&token),
        500,
    )
    .await;
    assert!(!b["detail"].as_str().unwrap().contains("kapot"), "{b}");
}

async fn ook_429_eerlijk_gecomprimeerd(db: Db) {
    let Some(app) = spawn_with(db, "[limits]\nclient_per_second = 1\nclient_burst = 1").await
    else {
        return;
    };
    let mut laatste = None;
    for _ in 0..5 {
        let res = gzip(app.client.get(app.url("/api/v1/organisaties")))
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            laatste = Some(res);
            break;
        }
    }
    let res = laatste.expect("a 429");
    assert!(res.headers().contains_key("retry-after"));
    let (s, ct, body) = lees(res).await;
    assert_eq!((s, ct.as_str()), (429, "application/problem+json"));
    assert_eq!(body["status"], 429);
}

op_beide_backends!(
    elke_soort_antwoord_eerlijk_gecomprimeerd,
    ook_429_eerlijk_gecomprimeerd
);
