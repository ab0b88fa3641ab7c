//! The harness's contract check catches a document that lies (issue 13, "every test request
//! and response checked against the document"): the same exchanges that pass against the
//! committed `openapi/openapi.json` are reported against a deliberately wrong copy.

use crate::common;

use common::contract::Contract;
use common::*;
use serde_json::{Value, json};
use std::sync::Arc;

fn document() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/openapi/openapi.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap()
}

async fn met(db: Db, doc: Value) -> Option<TestApp> {
    spawn_met_contract(db, "", Default::default(), Arc::new(Contract::uit(doc))).await
}

/// The true document: registering an organisation and reading it back match.
async fn the_true_document_passes(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let org = app.organisatie("vt-a", "veilig-thuis", &["0518"]).await;
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let res = app
        .get(
            &format!("/api/v1/organisaties/{}", org["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.neem_contractfouten(), Vec::<String>::new());
}

/// A request field documented with the wrong type: the request is reported as one the
/// document calls invalid but the server accepted, and the answer as not matching.
async fn a_wrong_request_and_answer_schema_is_caught(db: Db) {
    let mut doc = document();
    doc["components"]["schemas"]["OrganisatieInvoer"]["properties"]["naam"] =
        json!({"type": "integer"});
    doc["components"]["schemas"]["OrganisatieDto"]["properties"]["naam"] =
        json!({"type": "integer"});
    let Some(app) = met(db, doc).await else {
        return;
    };
    app.organisatie("vt-a", "veilig-thuis", &["0518"]).await;
    let fouten = app.neem_contractfouten();
    assert!(
        fouten
            .iter()
            .any(|f| f.contains("calls this request invalid") && f.contains("/naam")),
        "{fouten:?}"
    );
    assert!(
        fouten.iter().any(|f| f.contains("answer body /naam")),
        "{fouten:?}"
    );
}

/// A status the document leaves out, and a request the document calls valid that the
/// server refuses, are both caught.
async fn an_undocumented_status_and_a_refused_valid_request_are_caught(db: Db) {
    let mut doc = document();
    let op = &mut doc["paths"]["/organisaties"]["post"];
    op["responses"].as_object_mut().unwrap().remove("201");
    // The document now calls a name of any type valid.
    op["requestBody"]["content"]["application/json"]["schema"] = json!({});
    let Some(app) = met(db, doc).await else {
        return;
    };
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let res = app
        .post(
            "/api/v1/organisaties",
            &admin,
            &json!({"code": "vt-a", "naam": "VT", "soort": "veilig-thuis", "gemeenten": ["0518"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post("/api/v1/organisaties", &admin, &json!({"code": 7}))
        .await;
    assert_eq!(res.status(), 400);
    let fouten = app.neem_contractfouten();
    assert!(
        fouten
            .iter()
            .any(|f| f.contains("status 201 is not documented")),
        "{fouten:?}"
    );
    assert!(
        fouten
            .iter()
            .any(|f| f.contains("calls this request valid, the server refused it")),
        "{fouten:?}"
    );
}

/// An answer header the status does not declare (`ETag`, `Location`) is caught: a client
/// generated from the document would have no accessor for it.
async fn an_undeclared_etag_or_location_is_caught(db: Db) {
    let mut doc = document();
    doc["paths"]["/organisaties"]["post"]["responses"]["201"]["headers"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k != "ETag" && k != "Location");
    let Some(app) = met(db, doc).await else {
        return;
    };
    app.organisatie("vt-a", "veilig-thuis", &["0518"]).await;
    let fouten = app.neem_contractfouten();
    for naam in ["ETag", "Location"] {
        assert!(
            fouten
                .iter()
                .any(|f| f.contains(&format!("carries {naam}, the document does not declare it"))),
            "{naam}: {fouten:?}"
        );
    }
}

/// The check holds every request: an operation the document does not have is reported
/// unless the server answers 404 or 405.
async fn an_undocumented_operation_is_caught(db: Db) {
    let mut doc = document();
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/organisaties/{id}");
    let Some(app) = met(db, doc).await else {
        return;
    };
    let org = app.organisatie("vt-a", "veilig-thuis", &["0518"]).await;
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let pad = format!("/api/v1/organisaties/{}", org["id"].as_str().unwrap());
    assert_eq!(app.get(&pad, &admin).await.status(), 200);
    assert_eq!(app.get("/api/v1/nergens", &admin).await.status(), 404);
    let fouten = app.neem_contractfouten();
    assert_eq!(fouten.len(), 1, "{fouten:?}");
    assert!(fouten[0].contains("no such operation"), "{fouten:?}");
}

/// RFC 9110 §13.1.1, as a table: each `If-Match` against an object at version 1, on an
/// organisation (PUT) and a contact point (PUT and DELETE). `*` matches any current
/// version, a list when any member does, a weak tag never; malformed syntax is a 400.
async fn if_match_table(db: Db) {
    // Many requests by one user in a short time: above the default rate limits.
    let ruim = "[limits]\nuser_per_second = 1000\nuser_burst = 1000\nclient_per_second = 1000\nclient_burst = 1000";
    let Some(app) = spawn_with(db, ruim).await else {
        return;
    };
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let tabel: &[(Option<&str>, u16)] = &[
        (None, 200),
        (Some("*"), 200),
        // IF_MATCH_LIJSTSYNTAX: an empty field value is the empty list: no version
        // matches it (412), it is not "no precondition"; empty list members are ignored
        // (RFC 9110 §5.6.1.2).
        (Some(""), 412),
        (Some(" "), 412),
        (Some(","), 412),
        (Some("\"1\","), 200),
        (Some(", \"1\""), 200),
        (Some("\"0\",,\"1\""), 200),
        // STRENGE_ETAG_VERGELIJKING: character by character, not as numbers.
        (Some("\"01\""), 412),
        (Some("\"+1\""), 412),
        (Some("\"1.0\""), 412),
        (Some("\"1\""), 200),
        (Some("\"0\", \"1\""), 200),
        (Some("\"1\",\"7\""), 200),
        (Some("W/\"0\", \"1\""), 200),
        (Some("\"0\""), 412),
        (Some("W/\"1\""), 412),
        (Some("\"0\", W/\"1\""), 412),
        (Some("\"abc\""), 412),
        (Some("1"), 400),
        (Some("\"1"), 400),
        (Some("*, \"1\""), 400),
    ];
    for (i, (waarde, verwacht)) in tabel.iter().enumerate() {
        let code = format!("org-{i}");
        let org = app.organisatie(&code, "wijkteam", &["0518"]).await;
        let id = org["id"].as_str().unwrap();
        let res = app.get(&format!("/api/v1/organisaties/{id}"), &admin).await;
        assert_eq!(res.headers()["etag"], "\"1\"");
        let mut req = app
            .client
            .put(app.url(&format!("/api/v1/organisaties/{id}")))
            .bearer_auth(&admin)
            .json(
                &json!({"code": code, "naam": format!("Nieuw {code}"), "soort": "wijkteam", "gemeenten": ["0518"]}),
            );
        if let Some(w) = waarde {
            req = req.header("If-Match", *w);
        }
        let res = req.send().await.unwrap();
        assert_eq!(
            res.status().as_u16(),
            *verwacht,
            "organisation, If-Match {waarde:?}"
        );
        if *verwacht == 200 {
            assert_eq!(res.headers()["etag"], "\"2\"");
        }
        if *verwacht == 400 {
            let p = assert_problem(res, 400).await;
            assert_eq!(p["invalidParams"][0]["name"], "If-Match");
        }

        // A contact point of that organisation, changed and removed under the same rule.
        let cp: Value = app
            .post(
                &format!("/api/v1/organisaties/{id}/contactpunten"),
                &admin,
                &json!({"rol": "spoed", "naam": "Spoeddienst", "telefoon": "070 123 45 67"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let pad = format!("/api/v1/contactpunten/{}", cp["id"].as_str().unwrap());
        let res = app.get(&pad, &admin).await;
        assert_eq!(res.headers()["etag"], "\"1\"");
        let mut req = app
            .client
            .put(app.url(&pad))
            .bearer_auth(&admin)
            .json(&json!({"rol": "spoed", "naam": "Spoed 24/7", "telefoon": "070 123 45 67"}));
        if let Some(w) = waarde {
            req = req.header("If-Match", *w);
        }
        let res = req.send().await.unwrap();
        assert_eq!(
            res.status().as_u16(),
            *verwacht,
            "contact point PUT, If-Match {waarde:?}"
        );
        let huidig = if *verwacht == 200 { 2 } else { 1 };
        let mut req = app.client.delete(app.url(&pad)).bearer_auth(&admin);
        if let Some(w) = waarde {
            // The same condition, against the version the contact point has now.
            let w = w.replace(&format!("\"{}\"", 1), &format!("\"{huidig}\""));
            req = req.header("If-Match", w);
        }
        let res = req.send().await.unwrap();
        let verwacht_delete = if *verwacht == 200 { 204 } else { *verwacht };
        assert_eq!(
            res.status().as_u16(),
            verwacht_delete,
            "contact point DELETE, If-Match {waarde:?}"
        );
    }
    // A stale write on a contact point loses: two writers read version 1, the second gets 412.
    let org = app.organisatie("org-race", "wijkteam", &["0518"]).await;
    let cp: Value = app
        .post(
            &format!(
                "/api/v1/organisaties/{}/contactpunten",
                org["id"].as_str().unwrap()
            ),
            &admin,
            &json!({"rol": "spoed", "naam": "Spoeddienst", "telefoon": "070 123 45 67"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pad = format!("/api/v1/contactpunten/{}", cp["id"].as_str().unwrap());
    for (naam, status) in [("Eerste", 200), ("Tweede", 412)] {
        let res = app
            .client
            .put(app.url(&pad))
            .bearer_auth(&admin)
            .header("If-Match", "\"1\"")
            .json(&json!({"rol": "spoed", "naam": naam, "telefoon": "070 123 45 67"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{naam}");
    }
}

/// One body policy (issue 13 point 4): a body that is not `application/json` is a 415 on
/// every route, before anything is written; a body over the route's limit is a 413 that
/// names the limit, before it is parsed.
async fn one_body_policy(db: Db) {
    let Some(app) = spawn(db).await else { return };
    app.organisatie("politie-haaglanden", "politie", &[]).await;
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let json_als_tekst = r#"{"kinderen": []}"#;
    for (pad, token) in [
        ("/api/v1/zorgmeldingen", &agent),
        ("/api/v1/organisaties", &admin),
        ("/api/v1/briefings/_zoek", &agent),
    ] {
        for soort in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/problem+json",
        ] {
            let res = app
                .client
                .post(app.url(pad))
                .bearer_auth(token)
                .header("Content-Type", soort)
                .body(json_als_tekst)
                .send()
                .await
                .unwrap();
            let p = assert_problem(res, 415).await;
            assert!(
                p["detail"].as_str().unwrap().contains("application/json"),
                "{p}"
            );
        }
        let res = app
            .client
            .post(app.url(pad))
            .bearer_auth(token)
            .body(json_als_tekst)
            .send()
            .await
            .unwrap();
        assert_problem(res, 415).await;
    }
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmeldingen"),
        0,
        "nothing written"
    );
    // Limits: 256 KiB by default, 4 MiB for a zorgmelding's content; named in the detail.
    for (pad, token, grootte, grens) in [
        ("/api/v1/organisaties", &admin, 300 * 1024, "262144"),
        ("/api/v1/briefings/_zoek", &agent, 300 * 1024, "262144"),
        ("/api/v1/zorgmeldingen", &agent, 5 * 1024 * 1024, "4194304"),
    ] {
        let body = format!(r#"{{"omschrijving": "{}"}}"#, "x".repeat(grootte));
        let res = app
            .client
            .post(app.url(pad))
            .bearer_auth(token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let p = assert_problem(res, 413).await;
        assert!(p["detail"].as_str().unwrap().contains(grens), "{p}");
    }
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmeldingen"),
        0,
        "nothing written"
    );
    // A charset parameter is fine.
    let res = app
        .client
        .post(app.url("/api/v1/organisaties"))
        .bearer_auth(&admin)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(r#"{"code": "vt-x", "naam": "VT", "soort": "veilig-thuis", "gemeenten": ["0518"]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

/// Issue 13 point 6: `invalidParams[].name` is the query key and `code` the broken rule.
async fn paging_errors_name_the_parameter(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    for (query, naam, regel) in [
        ("pageSize=0", "pageSize", "minimum"),
        ("pageSize=101", "pageSize", "maximum"),
        ("pageSize=x", "pageSize", "type"),
        ("page=0", "page", "minimum"),
        ("page=abc", "page", "type"),
        ("page=2147483648", "page", "maximum"),
        ("page=-1", "page", "minimum"),
    ] {
        let res = app
            .get(&format!("/api/v1/organisaties?{query}"), &admin)
            .await;
        let p = assert_problem(res, 400).await;
        assert_eq!(p["invalidParams"][0]["name"], naam, "{query}: {p}");
        assert_eq!(p["invalidParams"][0]["code"], regel, "{query}: {p}");
    }
    for i in 0..3 {
        app.organisatie(&format!("org-{i}"), "wijkteam", &["0518"])
            .await;
    }
    let lijst: Value = app
        .get("/api/v1/organisaties?pageSize=1&page=2", &admin)
        .await
        .json()
        .await
        .unwrap();
    // The links keep the query and carry a cursor in place of `page` (every list pages
    // by cursor; `page` is a jump from the start).
    for link in ["next", "previous"] {
        let l = lijst[link].as_str().unwrap_or_default();
        assert!(
            l.starts_with("/api/v1/organisaties?pageSize=1&cursor=") && !l.contains("page="),
            "{link}: {lijst}"
        );
    }
}

/// ALLE_PROBLEMEN_SAMEN (finding F5, Dec 2026): the problems of the headers and of the
/// query are named together in one answer, not the first kind alone.
async fn header_and_query_problems_are_named_together(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let res = app
        .client
        .get(app.url("/api/v1/organisaties?soort=bakker&pageSize=500&x=1"))
        .bearer_auth(&admin)
        .header("X-Audit-Toelichting", "kort")
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 400).await;
    let mut namen: Vec<(String, String)> = p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    namen.sort();
    let verwacht: Vec<(String, String)> = [
        ("X-Audit-Toelichting", "minLength"),
        ("pageSize", "maximum"),
        ("soort", "enum"),
        ("x", "unknown"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(namen, verwacht, "{p}");
}

/// The docs UI never calls an online validator (which would learn the internal host).
async fn swagger_ui_has_no_online_validator(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let js = app.tekst("/docs/swagger-initializer.js").await;
    assert!(js.contains("\"validatorUrl\": \"none\""), "{js}");
}

/// The zorgmelding filing schema is the one the server takes (issue 13 point 1): a body
/// built from the document (statements as `{persoon, rol, tekst}`, a parent's `relatie`
/// from its enum) is filed, and the melding read back matches its response schema (the
/// harness checks both).
async fn a_melding_built_from_the_document_is_filed(db: Db) {
    let Some(app) = spawn(db).await else { return };
    app.organisatie("politie-haaglanden", "politie", &[]).await;
    let doc = document();
    let s = &doc["components"]["schemas"];
    let verklaring = &s["MeldingVerklaringInvoer"];
    assert_eq!(verklaring["required"], json!(["persoon", "rol", "tekst"]));
    assert_eq!(
        s["OuderRelatie"]["enum"],
        json!([
            "moeder",
            "vader",
            "verzorger",
            "stiefouder",
            "pleegouder",
            "anders"
        ])
    );
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let body = json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "de Boer", "relatie": "stiefouder"}],
        "omschrijving": "Ruzie bij de overdracht.", "zorgen": "Herhaald.",
        "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": "Lisa de Boer", "rol": "moeder", "tekst": "Het liep uit de hand."}],
        "oudersGeinformeerd": true,
        "melder": {"naam": "A. Agent", "functie": "wijkagent", "identiteitDelen": true}
    });
    let res = app.post("/api/v1/zorgmeldingen", &agent, &body).await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.unwrap();
    let res = app
        .get(
            &format!("/api/v1/zorgmeldingen/{}", m["id"].as_str().unwrap()),
            &agent,
        )
        .await;
    assert_eq!(res.status(), 200);
    let m: Value = res.json().await.unwrap();
    assert_eq!(m["inhoud"]["verklaringen"][0]["persoon"], "Lisa de Boer");
    assert_eq!(m["inhoud"]["ouders"][0]["relatie"], "stiefouder");
}

/// A mutable resource as the precondition table drives it: where its current `ETag` is
/// read, and the write under test.
struct Doel {
    lees: String,
    methode: reqwest::Method,
    schrijf: String,
    body: Option<Value>,
    /// An unconditional change that makes the tag read before it stale.
    wijzig: (String, Value),
}

/// The mutable resources, each made afresh for one row of the table (`soort`, row `i`).
async fn maak_doel(app: &TestApp, soort: &str, i: usize) -> Doel {
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let politiebeheer = app.token("politie-x", &["functioneel-beheerder"]);
    let vtbeheer = app.token("vt-x", &["functioneel-beheerder"]);
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    let maak = |pad: &'static str, token: String, body: Value| async move {
        let res = app.post(pad, &token, &body).await;
        assert_eq!(res.status(), 201, "{pad}");
        res.json::<Value>().await.unwrap()
    };
    let put = |pad: String, body: Value| Doel {
        lees: pad.clone(),
        methode: reqwest::Method::PUT,
        schrijf: pad.clone(),
        body: Some(body.clone()),
        wijzig: (pad, body),
    };
    match soort {
        "organisatie" | "contactpunt" | "contactpunt verwijderen" => {
            let code = format!("wijkteam-{}-{i}", soort.replace(' ', "-"));
            let org = app.organisatie(&code, "wijkteam", &["0518"]).await;
            let org_body = json!({"code": code, "naam": format!("Nieuw {code}"), "soort": "wijkteam", "gemeenten": ["0518"]});
            if soort == "organisatie" {
                return put(format!("/api/v1/organisaties/{}", id(&org)), org_body);
            }
            let cp_body =
                json!({"rol": "spoed", "naam": "Spoeddienst", "telefoon": "070 123 45 67"});
            let res = app
                .post(
                    &format!("/api/v1/organisaties/{}/contactpunten", id(&org)),
                    &admin,
                    &cp_body,
                )
                .await;
            let pad = format!(
                "/api/v1/contactpunten/{}",
                id(&res.json::<Value>().await.unwrap())
            );
            let mut d = put(pad, cp_body);
            if soort == "contactpunt verwijderen" {
                d.methode = reqwest::Method::DELETE;
                d.body = None;
            }
            d
        }
        "convenant" => {
            let body = json!({
                "titel": format!("Convenant {i}"),
                "partijen": [{"organisatie": "politie-x", "rol": "politie"}, {"organisatie": "vt-x", "rol": "veilig thuis"}],
                "doelen": ["veiligheidsbeoordeling"],
                "categorieen": ["identificatie"],
                "regels": [{"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen"],
                            "categorieen": ["identificatie"], "doel": "veiligheidsbeoordeling",
                            "maxVertrouwelijkheid": "vertrouwelijk",
                            "grondslag": {"code": "Wmo 2015 art. 5.2.6", "omschrijving": "triage"}}]
            });
            let c = maak("/api/v1/convenanten", politiebeheer, body.clone()).await;
            put(format!("/api/v1/convenanten/{}", id(&c)), body)
        }
        "zorgmelding" => {
            let body = json!({
                "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "gemeente": "0518"}],
                "omschrijving": "Ruzie bij de overdracht.", "zorgen": "Herhaald.",
                "acuut": false, "risiconiveau": "verhoogd", "oudersGeinformeerd": true,
                "melder": {"naam": "A. Agent", "functie": "wijkagent", "identiteitDelen": true}
            });
            let m = maak(
                "/api/v1/zorgmeldingen",
                app.token("politie-x", &["wijkagent"]),
                body.clone(),
            )
            .await;
            put(format!("/api/v1/zorgmeldingen/{}", id(&m)), body)
        }
        "incident" => {
            let i = maak(
                "/api/v1/incidenten",
                app.token("politie-x", &["wijkagent"]),
                json!({"tijdstip": "2026-01-01T10:00:00Z", "soort": "ruzie",
                       "politieReferentie": format!("PL1500-{i}"), "samenvatting": "Ruzie"}),
            )
            .await;
            let pad = format!("/api/v1/incidenten/{}", id(&i));
            let mut d = put(format!("{pad}/wederhoor"), json!({"status": "nee"}));
            d.lees = pad;
            d
        }
        "sluitingsdag" | "sluitingsdag verwijderen" => {
            let dag = chrono::Utc::now().date_naive()
                + chrono::Duration::days(30 + i as i64 + 10 * soort.len() as i64);
            let pad = format!("/api/v1/sluitingsdagen/{dag}");
            let res = app
                .put(&pad, &vtbeheer, &json!({"omschrijving": "teamdag"}))
                .await;
            assert_eq!(res.status(), 201);
            let mut d = put(pad, json!({"omschrijving": "heidag"}));
            if soort == "sluitingsdag verwijderen" {
                d.methode = reqwest::Method::DELETE;
                d.body = None;
            }
            d
        }
        _ => unreachable!("{soort}"),
    }
}

/// RFC 9110 §13.1.1 on every mutable resource (issue 13 point 5), as a table: without
/// `If-Match`, with `*`, and with a list naming the current tag the write applies; with a
/// stale tag (read before someone else's change) or the current tag made weak (`W/`) it
/// is a 412 and changes nothing. And every PUT, PATCH and DELETE of the document takes
/// `If-Match`, but for the resources listed with the reason they have none.
async fn preconditions_on_every_mutable_resource(db: Db) {
    let ruim = "[limits]\nuser_per_second = 1000\nuser_burst = 1000\nclient_per_second = 1000\nclient_burst = 1000";
    let Some(app) = spawn_with(db, ruim).await else {
        return;
    };
    app.organisatie("politie-x", "politie", &[]).await;
    app.organisatie("vt-x", "veilig-thuis", &["0518"]).await;
    let soorten = [
        ("organisatie", "ketenregie-platform", "platformbeheerder"),
        ("contactpunt", "ketenregie-platform", "platformbeheerder"),
        (
            "contactpunt verwijderen",
            "ketenregie-platform",
            "platformbeheerder",
        ),
        ("convenant", "politie-x", "functioneel-beheerder"),
        ("zorgmelding", "politie-x", "wijkagent"),
        ("incident", "politie-x", "wijkagent"),
        ("sluitingsdag", "vt-x", "functioneel-beheerder"),
        ("sluitingsdag verwijderen", "vt-x", "functioneel-beheerder"),
    ];
    for (soort, org, rol) in soorten {
        let token = app.token(org, &[rol]);
        for (i, geval) in ["geen", "*", "lijst", "oud", "zwak", "nul"]
            .into_iter()
            .enumerate()
        {
            let d = maak_doel(&app, soort, i).await;
            let res = app.get(&d.lees, &token).await;
            assert_eq!(res.status(), 200, "{soort}: read");
            let tag = res.headers()["etag"].to_str().unwrap().to_string();
            assert!(tag.starts_with('"'), "{soort}: a strong tag, {tag}");
            let voorwaarde = match geval {
                "geen" => None,
                "*" => Some("*".to_string()),
                "lijst" => Some(format!("\"0\", {tag}")),
                "zwak" => Some(format!("W/{tag}")),
                // STRENGE_ETAG_VERGELIJKING: the same number written otherwise is
                // another tag (RFC 9110 §8.8.3.2). (One case more here: a closed day per
                // case, at most 10 a year.)
                "nul" => Some(format!("\"00{}", &tag[1..])),
                _ => {
                    // Someone else changes it first: the tag read is stale.
                    let res = app.put(&d.wijzig.0, &token, &d.wijzig.1).await;
                    assert_eq!(res.status(), 200, "{soort}: the other change");
                    Some(tag.clone())
                }
            };
            let mut req = app
                .client
                .request(d.methode.clone(), app.url(&d.schrijf))
                .bearer_auth(&token);
            if let Some(b) = &d.body {
                req = req.json(b);
            }
            if let Some(v) = &voorwaarde {
                req = req.header("If-Match", v);
            }
            let res = req.send().await.unwrap();
            let verwacht = match (geval, d.methode == reqwest::Method::DELETE) {
                ("oud" | "zwak" | "nul", _) => 412,
                (_, true) => 204,
                (_, false) => 200,
            };
            assert_eq!(
                res.status().as_u16(),
                verwacht,
                "{soort}, If-Match {voorwaarde:?}"
            );
            if verwacht == 200 {
                let nieuw = res.headers()["etag"].to_str().unwrap();
                assert_ne!(nieuw, tag, "{soort}: a write makes a new tag");
            }
            if verwacht == 412 {
                assert_problem(res, 412).await;
                let na = app.get(&d.lees, &token).await;
                assert_eq!(na.status(), 200, "{soort}: a 412 removes nothing");
            }
        }
    }
    // A closed day that does not exist has no current version: any If-Match fails.
    let vtbeheer = app.token("vt-x", &["functioneel-beheerder"]);
    let dag = chrono::Utc::now().date_naive() + chrono::Duration::days(400);
    let res = app
        .client
        .put(app.url(&format!("/api/v1/sluitingsdagen/{dag}")))
        .bearer_auth(&vtbeheer)
        .header("If-Match", "*")
        .json(&json!({"omschrijving": "teamdag"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412).await;

    // Every mutable operation of the document takes If-Match, but these, for the reason
    // given.
    let zonder: &[(&str, &str)] = &[
        (
            "put /kwaliteitscontrole",
            "one boolean set whole, with no read of its own: a write names its whole outcome",
        ),
        (
            "delete /betrokkenheden/{id}",
            "ending an involvement, which has no read and no other change",
        ),
        (
            "delete /abonnementen/{id}",
            "a subscription never changes: there is no other version",
        ),
    ];
    let doc = document();
    for (pad, item) in doc["paths"].as_object().unwrap() {
        for methode in ["put", "patch", "delete"] {
            let Some(op) = item.get(methode) else {
                continue;
            };
            let naam = format!("{methode} {pad}");
            let neemt = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["in"] == "header" && p["name"] == "If-Match");
            let uitgezonderd = zonder.iter().any(|(n, _)| *n == naam);
            assert!(
                neemt != uitgezonderd,
                "{naam}: If-Match {neemt}, listed as without {uitgezonderd}"
            );
            if neemt {
                assert!(
                    op["responses"].get("412").is_some(),
                    "{naam} documents its 412"
                );
            }
        }
    }
}

/// A request with `body` as raw JSON text; returns the problem's (name, code) pairs and
/// its status.
async fn probeer(
    app: &TestApp,
    methode: reqwest::Method,
    pad: &str,
    token: &str,
    body: &str,
) -> (u16, Vec<(String, String)>) {
    let res = app
        .client
        .request(methode, app.url(pad))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let b: Value = res.json().await.unwrap_or(Value::Null);
    let namen = b["invalidParams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or("?").to_string(),
                p["code"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    (status, namen)
}

/// Issue 13 point 6 on several routes: a field of the body, nested or in an array, is
/// named by its JSON pointer (RFC 6901) and the rule it breaks, whether serde refuses it
/// (unknown, wrong type) or the validation after it (pattern, enum, required, a domain
/// rule); a query key by its key. A rule of the domain alone is a 422, any schema rule a
/// 400. (The harness checks every name of every test against the document as well.)
async fn problems_are_named_by_json_pointer(db: Db) {
    let Some(app) = spawn(db).await else { return };
    common::keten::opzet(&app).await;
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let post = reqwest::Method::POST;
    let melding = common::keten::melding;
    let gevallen: Vec<(Value, u16, &str, &str)> = vec![
        (
            {
                let mut m = melding();
                m["kinderen"][0]["bsn"] = json!("12345");
                m
            },
            400,
            "/kinderen/0/bsn",
            "pattern",
        ),
        (
            {
                let mut m = melding();
                m["kinderen"][0]["bsn"] = json!("123456789");
                m
            },
            422,
            "/kinderen/0/bsn",
            "elfproef",
        ),
        (
            {
                let mut m = melding();
                m["kinderen"][0]["bsn"] = json!(111222333);
                m
            },
            400,
            "/kinderen/0/bsn",
            "type",
        ),
        (
            {
                let mut m = melding();
                m["kinderen"][0]["kleur"] = json!("blauw");
                m
            },
            400,
            "/kinderen/0/kleur",
            "unknown",
        ),
        (
            {
                let mut m = melding();
                m["ouders"][1]["relatie"] = json!("oom");
                m
            },
            400,
            "/ouders/1/relatie",
            "enum",
        ),
        (
            {
                let mut m = melding();
                m["ouders"][1]["gezag"] = json!("ja");
                m
            },
            400,
            "/ouders/1/gezag",
            "type",
        ),
        (
            {
                let mut m = melding();
                m["verklaringen"][0]["tekst"] = json!("");
                m
            },
            400,
            "/verklaringen/0/tekst",
            "minLength",
        ),
        (
            {
                let mut m = melding();
                m["melder"].as_object_mut().unwrap().remove("naam");
                m
            },
            400,
            "/melder/naam",
            "required",
        ),
        (
            {
                let mut m = melding();
                m["melder"]["rang"] = json!(3);
                m
            },
            400,
            "/melder/rang",
            "unknown",
        ),
        (
            {
                let mut m = melding();
                m["kinderen"][0]["geboortedatum"] = json!("2999-01-01");
                m
            },
            422,
            "/kinderen/0/geboortedatum",
            "toekomst",
        ),
    ];
    for (body, status, naam, code) in gevallen {
        let (s, namen) = probeer(
            &app,
            post.clone(),
            "/api/v1/zorgmeldingen",
            &agent,
            &body.to_string(),
        )
        .await;
        assert_eq!(s, status, "{naam}: {namen:?}");
        assert!(
            namen.contains(&(naam.to_string(), code.to_string())),
            "{naam} {code} in {namen:?}"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 0);

    // An agreement's parties and rules (arrays of objects).
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    let body = json!({"titel": "x", "partijen": [{"organisatie": "politie-haaglanden", "rol": "melder", "ondertekenaars": [7]}],
        "doelen": ["coordinatie"], "categorieen": ["identificatie"], "regels": []});
    let (s, namen) = probeer(
        &app,
        post.clone(),
        "/api/v1/convenanten",
        &beheer,
        &body.to_string(),
    )
    .await;
    // Every problem at once: the item's type and both lists too short.
    let mut namen = namen;
    namen.sort();
    assert_eq!(
        (s, namen),
        (
            400,
            vec![
                ("/partijen".into(), "minItems".into()),
                ("/partijen/0/ondertekenaars/0".into(), "type".into()),
                ("/regels".into(), "minItems".into()),
            ]
        )
    );

    // An organisation's municipalities (an array of strings), registered by the admin.
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let body =
        json!({"code": "wt-x", "naam": "X", "soort": "wijkteam", "gemeenten": ["0518", "51"]});
    let (s, namen) = probeer(
        &app,
        post.clone(),
        "/api/v1/organisaties",
        &admin,
        &body.to_string(),
    )
    .await;
    assert_eq!(
        (s, namen),
        (400, vec![("/gemeenten/1".into(), "pattern".into())])
    );

    // A feedback item's nested object, on a sent melding.
    let id = common::keten::verzonden_melding(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let body = json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true, "melderHeeftRol": false,
        "overgenomenDoor": {"organisatie": "wijkteam-den-haag", "telefoon": 5}});
    let (s, namen) = probeer(
        &app,
        post.clone(),
        &format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen"),
        &vt,
        &body.to_string(),
    )
    .await;
    assert_eq!(
        (s, namen),
        (
            400,
            vec![("/overgenomenDoor/telefoon".into(), "unknown".into())]
        )
    );

    // A query key stays a key.
    let res = app
        .get("/api/v1/zorgmeldingen?richting=opzij", &agent)
        .await;
    let p = assert_problem(res, 400).await;
    assert_eq!(p["invalidParams"][0]["name"], "richting", "{p}");
    // A header by its name.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/zorgmeldingen/{id}/ontvangsten")))
        .bearer_auth(&vt)
        .header("If-Match", "geen-tag")
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 400).await;
    assert_eq!(p["invalidParams"][0]["name"], "If-Match", "{p}");
}

/// A value for a path parameter as its schema describes it.
fn padwaarde(schema: &Value) -> String {
    if let Some(e) = schema["enum"].as_array() {
        return e[0].as_str().unwrap_or("x").to_string();
    }
    match schema["format"].as_str() {
        Some("date") => "2030-01-07".into(),
        _ => uuid::Uuid::now_v7().to_string(),
    }
}

/// Issue 13: a body that breaks its operation's schema is a 400 on every route that takes
/// one, the lifecycle steps too (whose body is optional, and was once ignored when
/// broken): not JSON, the wrong type (an array for an object), and an unknown field where
/// the schema lists its fields; each named (`""` the whole body, `/veld` the field) with
/// its rule. Walked over the document, as a platform admin with an unknown id: the body is
/// read before any lookup or rule.
async fn every_route_refuses_a_body_that_breaks_its_schema(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let doc = document();
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let mut gezien = 0;
    let mut fouten = Vec::new();
    for (sjabloon, item) in doc["paths"].as_object().unwrap() {
        for (methode, op) in item.as_object().unwrap() {
            let Some(schema) =
                op["requestBody"]["content"]["application/json"]["schema"].as_object()
            else {
                continue;
            };
            let schema = match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap().clone(),
                None => Value::Object(schema.clone()),
            };
            let mut pad = sjabloon.clone();
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let naam = p["name"].as_str().unwrap();
                    let s = match p["schema"]["$ref"].as_str() {
                        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap().clone(),
                        None => p["schema"].clone(),
                    };
                    pad = pad.replace(&format!("{{{naam}}}"), &padwaarde(&s));
                }
            }
            let pad = format!("/api/v1{pad}");
            let m = reqwest::Method::from_bytes(methode.to_uppercase().as_bytes()).unwrap();
            gezien += 1;
            let mut gevallen = vec![("{\"kapot\"", "", "json")];
            if schema["type"] == "object" {
                gevallen.push(("[]", "", "type"));
            }
            if schema["additionalProperties"] == false {
                gevallen.push((
                    "{\"ditVeldBestaatNiet\": 1}",
                    "/ditVeldBestaatNiet",
                    "unknown",
                ));
            }
            for (body, naam, code) in gevallen {
                let (s, namen) = probeer(&app, m.clone(), &pad, &admin, body).await;
                if s != 400 || !namen.contains(&(naam.to_string(), code.to_string())) {
                    fouten.push(format!("{methode} {sjabloon} with {body}: {s} {namen:?}"));
                }
            }
        }
    }
    assert!(gezien > 30, "{gezien} operations with a body");
    assert!(fouten.is_empty(), "{}", fouten.join("\n"));
}

op_beide_backends!(
    problems_are_named_by_json_pointer,
    every_route_refuses_a_body_that_breaks_its_schema,
    if_match_table,
    preconditions_on_every_mutable_resource,
    one_body_policy,
    paging_errors_name_the_parameter,
    header_and_query_problems_are_named_together,
    swagger_ui_has_no_online_validator,
    a_melding_built_from_the_document_is_filed,
    the_true_document_passes,
    a_wrong_request_and_answer_schema_is_caught,
    an_undocumented_status_and_a_refused_valid_request_are_caught,
    an_undocumented_operation_is_caught,
    an_undeclared_etag_or_location_is_caught,
);
