//! The HTTP layer: every error actix or we produce is problem+json with `API-Version`;
//! health, metrics, trace ids, the public OpenAPI document and the docs UI.

use crate::common;

use common::{Db, assert_problem, spawn};

async fn fouten_zijn_problem_json(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let t = app.token("ketenregie-platform", &["platformbeheerder"]);
    let pad = app.url("/api/v1/organisaties");

    // Bad JSON.
    let res = app
        .client
        .post(&pad)
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{niet json")
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400).await;
    assert!(
        body["invalidParams"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );

    // Unknown body field is named.
    let res = app
        .post(
            "/api/v1/organisaties",
            &t,
            &serde_json::json!({"code": "x1", "kleur": "blauw"}),
        )
        .await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "/kleur");

    // Wrong content type.
    let res = app
        .client
        .post(&pad)
        .bearer_auth(&t)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415).await;

    // Unknown query key.
    let res = app.get("/api/v1/organisaties?kleur=blauw", &t).await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "kleur");

    // Bad query value.
    let res = app.get("/api/v1/organisaties?soort=bakkerij", &t).await;
    assert_problem(res, 400).await;
    let res = app.get("/api/v1/organisaties?pageSize=1000", &t).await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "pageSize");

    // Bad path parameter.
    let res = app.get("/api/v1/organisaties/geen-uuid", &t).await;
    assert_problem(res, 400).await;

    // Unsupported method: 405 with Allow.
    let res = app
        .client
        .delete(&pad)
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, HEAD, POST");
    assert_problem(res, 405).await;

    // Trailing slash and unknown paths: 404.
    assert_problem(app.get("/api/v1/organisaties/", &t).await, 404).await;
    assert_problem(app.get("/api/v1/bestaat-niet", &t).await, 404).await;
    assert_problem(
        app.client.get(app.url("/elders")).send().await.unwrap(),
        404,
    )
    .await;

    // Too large.
    let groot = "x".repeat(300_000);
    let res = app
        .client
        .post(&pad)
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body(format!("{{\"naam\":\"{groot}\"}}"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 413).await;
}

async fn beveiligingsheaders_en_versie(db: Db) {
    let Some(app) = spawn(db).await else { return };
    for res in [
        app.client
            .get(app.url("/health/live"))
            .send()
            .await
            .unwrap(),
        app.client
            .get(app.url("/api/v1/organisaties"))
            .send()
            .await
            .unwrap(),
    ] {
        let h = res.headers();
        assert_eq!(h["api-version"], "1.0.0");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["cache-control"], "no-store");
        assert!(h.contains_key("strict-transport-security"));
        assert!(h.contains_key("content-security-policy"));
    }
}

async fn traceparent_wordt_overgenomen(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let res = app
        .client
        .get(app.url("/api/v1/organisaties"))
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()["traceparent"]
            .to_str()
            .unwrap()
            .starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    );
    let body = assert_problem(res, 401).await;
    assert_eq!(body["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
}

async fn gezondheid_en_metrics(db: Db) {
    let Some(app) = spawn(db).await else { return };
    assert_eq!(
        app.client
            .get(app.url("/health/live"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let ready = app
        .client
        .get(app.url("/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    let t = app.token("ketenregie-platform", &["platformbeheerder"]);
    app.get("/api/v1/organisaties", &t).await;
    let m = app.tekst("/metrics").await;
    assert!(
        m.contains(
            "http_requests_total{method=\"GET\",route=\"/api/v1/organisaties\",status=\"200\"} 1"
        ),
        "{m}"
    );
    assert!(m.contains("http_request_duration_seconds_bucket"));
}

async fn openapi_publiek_en_docs_ui(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let doc: serde_json::Value = res.json().await.unwrap();
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let ui = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    let html = ui.text().await.unwrap();
    assert!(html.contains("swagger"), "docs UI served from the binary");
    let init = app.tekst("/docs/swagger-initializer.js").await;
    assert!(init.contains("/api/v1/openapi.json"));
    // Typed without the slash: sent on to the documentation, not a 404.
    let zonder = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(zonder.url().path(), "/docs/");
    assert_eq!(zonder.status(), 200);
}

/// Only declared query parameters (Dutch API Design Rules; issue 13 point 6): an unknown key
/// is a 400 naming it, also on operations without parameters, so a BSN cannot ride along in
/// a URL or be copied into a `next` link; a bad value is named by its key, never by its value.
async fn alleen_gedeclareerde_queryparameters(db: Db) {
    let Some(app) = spawn(db).await else { return };
    app.organisatie("politie-den-haag", "politie", &[]).await;
    let t = app.token("ketenregie-platform", &["platformbeheerder"]);
    let noodhulp = app.token("politie-den-haag", &["noodhulp"]);

    // An operation without query parameters.
    let res = app
        .client
        .post(app.url("/api/v1/briefings/_zoek?bsn=999990032"))
        .bearer_auth(&noodhulp)
        .json(&serde_json::json!({"bsn": "999990032"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "bsn", "{body}");
    assert_eq!(body["invalidParams"][0]["code"], "unknown", "{body}");
    assert!(!body.to_string().contains("999990032"), "{body}");

    // A list with parameters: an unknown one among known ones is named; a key that is
    // itself personal data is not echoed.
    let res = app.get("/api/v1/organisaties?page=1&kleur=blauw", &t).await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "kleur", "{body}");
    let res = app.get("/api/v1/organisaties?999990032=1", &t).await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "query", "{body}");
    assert!(!body.to_string().contains("999990032"), "{body}");

    // A value that breaks its schema is named by its key, never by the value.
    let res = app.get("/api/v1/contactpunten?organisatie=Lisa", &t).await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "organisatie", "{body}");
    assert_eq!(body["invalidParams"][0]["code"], "format", "{body}");
    assert!(!body.to_string().contains("Lisa"), "{body}");
    let res = app
        .get("/api/v1/contactpunten?organisatieSoort=bakker", &t)
        .await;
    let body = assert_problem(res, 400).await;
    assert_eq!(
        body["invalidParams"][0]["name"], "organisatieSoort",
        "{body}"
    );
    assert_eq!(body["invalidParams"][0]["code"], "enum", "{body}");

    // A parameter of one value given twice is named beside the other problems.
    let res = app
        .get("/api/v1/organisaties?page=1&page=2&pageSize=0", &t)
        .await;
    let body = assert_problem(res, 400).await;
    let mut namen: Vec<&str> = body["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    namen.sort();
    assert_eq!(namen, ["page", "pageSize"], "{body}");
    let res = app.get("/api/v1/organisaties?page=1&page=1", &t).await;
    let body = assert_problem(res, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "page", "{body}");

    // Declared parameters still work, and the links carry only them.
    let res = app.get("/api/v1/organisaties?page=1&pageSize=1", &t).await;
    assert_eq!(res.status(), 200);
}

op_beide_backends!(
    alleen_gedeclareerde_queryparameters,
    fouten_zijn_problem_json,
    beveiligingsheaders_en_versie,
    traceparent_wordt_overgenomen,
    gezondheid_en_metrics,
    openapi_publiek_en_docs_ui,
);
