//! The outside tester's findings of 30 Nov 2026 on identity and input, each as a whole kind
//! (report in the task hfix2): the role `platformbeheerder` only in the platform
//! organisation's own tokens (`PLATFORMBEHEER_EIGEN_ORGANISATIE`, the API, the werkplek and
//! `ketenregie token`); a token or session naming an organisation outside the partner
//! register refused on every route (`ORGANISATIE_GEREGISTREERD`); two `Authorization`
//! headers a 400; a malformed path id answered without the parser's words; a BSN exactly as
//! the OpenAPI document says (nine digits, then the elfproef); the demo clock moved only by
//! the platform's admin (`DEMOKLOK_PLATFORM`).

use crate::common;
use crate::werkplek::Browser;

use common::{Db, TestApp, assert_problem, spawn};
use serde_json::{Value, json};

const PLATFORM: &str = "ketenregie-platform";
const WIJKTEAM: &str = "wijkteam-den-haag-centrum";
const POLITIE: &str = "politie-den-haag";
const VT: &str = "veilig-thuis-haaglanden";

async fn opzet(app: &TestApp) -> (Value, Value) {
    let wijkteam = app.organisatie(WIJKTEAM, "wijkteam", &["0518"]).await;
    let politie = app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    (wijkteam, politie)
}

async fn put_met(app: &TestApp, pad: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(pad))
        .bearer_auth(token)
        .header("If-Match", "*")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// `ketenregie token` against the app's database, as the README shows it.
fn token_cli(app: &TestApp, organisatie: &str, rol: &str) -> (bool, String) {
    let uit = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(["token", "--organisatie", organisatie, "--rol", rol])
        .env_remove("KETENREGIE_CONFIG")
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    (
        uit.status.success(),
        String::from_utf8_lossy(&uit.stderr).to_string(),
    )
}

/// Finding 2: a wijkteam's token with the role `platformbeheerder` re-registered the
/// wijkteam as police and withdrew the pilot agreement. Now every request with such a token
/// is a 403 naming the rule, whatever else the token says; the platform organisation's own
/// admin still works; `ketenregie token` refuses to make such a token.
async fn platformbeheerder_alleen_in_de_platformorganisatie(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let (wijkteam, _) = opzet(&app).await;
    let id = wijkteam["id"].as_str().unwrap();
    let omhoog =
        json!({"code": WIJKTEAM, "naam": "Wijkteam", "soort": "politie", "rechtsregime": "wpg"});
    for rollen in [
        vec!["platformbeheerder"],
        vec!["functioneel-beheerder", "platformbeheerder"],
    ] {
        let vals = app.token(WIJKTEAM, &rollen);
        let body = assert_problem(
            put_met(&app, &format!("/api/v1/organisaties/{id}"), &vals, &omhoog).await,
            403,
        )
        .await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("PLATFORMBEHEER_EIGEN_ORGANISATIE"),
            "{body}"
        );
        let ander = uuid::Uuid::now_v7();
        assert_problem(
            app.post(
                &format!("/api/v1/convenanten/{ander}/intrekkingen"),
                &vals,
                &json!({}),
            )
            .await,
            403,
        )
        .await;
        // Refused as a whole, not only where the role would have counted.
        assert_problem(app.get("/api/v1/organisaties", &vals).await, 403).await;
        // The development token of `ketenregie token` alike.
        let dev = app.dev_token(WIJKTEAM, &rollen);
        assert_problem(app.get("/api/v1/organisaties", &dev).await, 403).await;
    }
    // Nothing changed.
    let admin = app.token(PLATFORM, &["platformbeheerder"]);
    let nu: Value = app
        .get(&format!("/api/v1/organisaties/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(nu["soort"], "wijkteam", "{nu}");
    // The platform organisation's admin still registers and changes.
    let res = put_met(
        &app,
        &format!("/api/v1/organisaties/{id}"),
        &admin,
        &json!({"code": WIJKTEAM, "naam": "Wijkteam Centrum", "soort": "wijkteam", "gemeenten": ["0518"]}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // The CLI refuses to make the token the service would refuse.
    let (ok, fout) = token_cli(&app, WIJKTEAM, "platformbeheerder");
    assert!(
        !ok && fout.contains("PLATFORMBEHEER_EIGEN_ORGANISATIE"),
        "{fout}"
    );
    let (ok, fout) = token_cli(&app, PLATFORM, "platformbeheerder");
    assert!(ok, "{fout}");
}

/// Finding 3: a token naming an organisation outside the register wrote persons and read
/// briefings. Now: 401 on every route, for an unknown code and for a registered code in
/// another case; a code changed by the platform admin stops working on the next request;
/// the werkplek refuses to start a session for such an organisation and ends one whose
/// organisation left the register.
async fn onbekende_organisatie_overal_401(db: Db) {
    let Some(app) = spawn(db).await else { return };
    let (wijkteam, _) = opzet(&app).await;
    let persoon = json!({"bsn": "999990032", "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"});
    for org in [
        "bestaat-niet",
        "WIJKTEAM-DEN-HAAG-CENTRUM",
        "Politie-den-haag",
    ] {
        let t = app.token(org, &["noodhulp", "wijkteammedewerker"]);
        for res in [
            app.get("/api/v1/organisaties", &t).await,
            app.post("/api/v1/personen", &t, &persoon).await,
            app.post("/api/v1/briefings/_zoek", &t, &json!({"bsn": "999990032"}))
                .await,
            app.get("/api/v1/zorgmeldingen?richting=ontvangen", &t)
                .await,
            app.get(&format!("/api/v1/personen/{}", uuid::Uuid::now_v7()), &t)
                .await,
        ] {
            assert!(res.headers().contains_key("www-authenticate"));
            let body = assert_problem(res, 401).await;
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap()
                    .contains("ORGANISATIE_GEREGISTREERD"),
                "{body}"
            );
        }
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM personen"), 0);
    // The registered code, exactly, works; the platform organisation needs no row.
    let goed = app.token(WIJKTEAM, &["wijkteammedewerker"]);
    assert_eq!(app.get("/api/v1/organisaties", &goed).await.status(), 200);
    let platform = app.token(PLATFORM, &["platformbeheerder"]);
    assert_eq!(
        app.get("/api/v1/organisaties", &platform).await.status(),
        200
    );

    // The werkplek: a session for the demo's politie works, one for the wijkteam too ...
    let mut b = Browser::new(&app);
    b.meld_aan("wijkteam").await;
    // ... until the platform admin changes the wijkteam's code: the same token and the
    // same session are refused on their next request, on this instance at once.
    let id = wijkteam["id"].as_str().unwrap();
    let res = put_met(
        &app,
        &format!("/api/v1/organisaties/{id}"),
        &platform,
        &json!({"code": "wijkteam-centrum-nieuw", "naam": "Wijkteam", "soort": "wijkteam", "gemeenten": ["0518"]}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_problem(app.get("/api/v1/organisaties", &goed).await, 401).await;
    let start = b.get("/werkplek/").await;
    assert_ne!(start.status, 200, "{}", start.html);
    // A demo role whose organisation is not registered cannot sign in at all.
    let mut c = Browser::new(&app);
    let p = c.get("/werkplek/aanmelden").await;
    let csrf = p.csrf();
    let r = c
        .post(
            "/werkplek/aanmelden",
            &[("_csrf", csrf.as_str()), ("rol", "buitenstaander")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(
        r.html.contains("niet in het partnerregister")
            && !r.html.contains("ORGANISATIE_GEREGISTREERD")
            && !r.html.contains("/api/v1"),
        "{}",
        r.html
    );
    assert!(!c.cookies.iter().any(|(k, _)| k == "werkplek_sessie"));
}

/// Finding 7: two `Authorization` headers were accepted and the first won. Now a 400
/// problem+json naming the header, whatever the two say.
async fn twee_authorization_headers(db: Db) {
    let Some(app) = spawn(db).await else { return };
    opzet(&app).await;
    let beheer = app.token(WIJKTEAM, &["functioneel-beheerder"]);
    let triage = app.token(VT, &["triagist"]);
    for (a, b) in [
        (format!("Bearer {beheer}"), format!("Bearer {triage}")),
        ("Bearer rommel".to_string(), format!("Bearer {triage}")),
        (format!("Bearer {triage}"), format!("Bearer {triage}")),
    ] {
        // Straight to the service: the contract proxy models one credential per request.
        let res = app
            .client
            .get(format!("{}/api/v1/organisaties", app.direct))
            .header("Authorization", a)
            .header("Authorization", b)
            .send()
            .await
            .unwrap();
        let body = assert_problem(res, 400).await;
        assert_eq!(body["invalidParams"][0]["name"], "Authorization", "{body}");
        assert!(
            body["detail"].as_str().unwrap().contains("Authorization"),
            "{body}"
        );
    }
    // One header still works.
    assert_eq!(app.get("/api/v1/organisaties", &triage).await.status(), 200);
}

/// The same for every header that carries one value (outside test, 2 Dec 2026: two
/// `X-Audit-Toelichting` headers were a 200 and the log kept only the first reason): each
/// sent twice is a 400 naming it, nothing done.
async fn eenmalige_headers_twee_keer(db: Db) {
    let Some(app) = spawn(db).await else { return };
    opzet(&app).await;
    let triage = app.token(VT, &["triagist"]);
    for (kop, a, b) in [
        (
            "X-Audit-Toelichting",
            "Controle van de eigen registratie",
            "Een andere reden die verdwijnt",
        ),
        ("X-Doorbraak", "true", "false"),
        (
            "Idempotency-Key",
            "sleutel-een-abcdef",
            "sleutel-twee-abcdef",
        ),
    ] {
        let res = app
            .client
            .get(format!("{}/api/v1/organisaties", app.direct))
            .bearer_auth(&triage)
            .header(kop, a)
            .header(kop, b)
            .send()
            .await
            .unwrap();
        let body = assert_problem(res, 400).await;
        assert_eq!(body["invalidParams"][0]["name"], kop, "{body}");
    }
}

/// Finding "bad UUID in a path": the 400 quoted the parser ("Path deserialize error: UUID
/// parsing failed: invalid character: found `T` at 0"). Now it names the parameter and
/// the rule only.
async fn misvormd_pad_id(db: Db) {
    let Some(app) = spawn(db).await else { return };
    opzet(&app).await;
    let t = app.token(POLITIE, &["wijkagent"]);
    for pad in [
        "/api/v1/zorgmeldingen/Tnot-a-uuid",
        "/api/v1/personen/123",
        "/api/v1/organisaties/%27%20OR%201%3D1",
        "/api/v1/zorgmeldingen/0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f9/terugkoppelingen",
    ] {
        let body = assert_problem(app.get(pad, &t).await, 400).await;
        let detail = body["detail"].as_str().unwrap();
        for lek in [
            "deserialize",
            "parsing",
            "found",
            "invalid character",
            "`T`",
        ] {
            assert!(!detail.contains(lek), "{pad}: `{detail}` shows the parser");
        }
        assert!(
            detail.contains("`id`") && detail.contains("uuid"),
            "{detail}"
        );
        assert_eq!(body["invalidParams"][0]["name"], "id", "{body}");
        assert_eq!(body["invalidParams"][0]["code"], "format", "{body}");
        let tekst = body["invalidParams"].to_string();
        assert!(
            !tekst.contains("deserialize") && !tekst.contains("Tnot"),
            "{tekst}"
        );
    }
    // A date parameter (read as text) names its own rule, without the parser's words.
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let body = assert_problem(
        app.get("/api/v1/sluitingsdagen/2026-13-45", &beheer).await,
        400,
    )
    .await;
    assert_eq!(body["invalidParams"][0]["name"], "datum", "{body}");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        !detail.contains("out of range") && !detail.contains("premature"),
        "{detail}"
    );
}

/// Finding "PersoonInvoer.bsn": the document says nine digits, the server took eight. Now
/// every field that takes a BSN takes exactly the document's pattern (a 400 otherwise) and
/// then the elfproef (a 422); and the document states that pattern on every such field.
async fn bsn_zoals_het_document_zegt(db: Db) {
    let Some(app) = spawn(db).await else { return };
    opzet(&app).await;
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let privacy = app.token(POLITIE, &["privacyfunctionaris"]);
    let persoon = |bsn: &str| json!({"bsn": bsn, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"});
    // Eight digits (the tester's "12345672"), spaces, ten digits, letters: the pattern.
    for fout in [
        "12345672",
        " 123456733",
        "123456733 ",
        "1234567330",
        "12345673x",
    ] {
        for (pad, token, body) in [
            ("/api/v1/personen", &noodhulp, persoon(fout)),
            ("/api/v1/briefings/_zoek", &noodhulp, json!({"bsn": fout})),
            ("/api/v1/verwerkingen/_zoek", &privacy, json!({"bsn": fout})),
        ] {
            let body = assert_problem(app.post(pad, token, &body).await, 400).await;
            assert_eq!(
                body["invalidParams"][0]["name"], "/bsn",
                "{pad} {fout}: {body}"
            );
            assert_eq!(body["invalidParams"][0]["code"], "pattern", "{pad}: {body}");
        }
    }
    // Nine digits failing the elfproef: a rule the schema does not state, 422.
    for (pad, token, body) in [
        ("/api/v1/personen", &noodhulp, persoon("123456734")),
        (
            "/api/v1/briefings/_zoek",
            &noodhulp,
            json!({"bsn": "123456734"}),
        ),
        (
            "/api/v1/verwerkingen/_zoek",
            &privacy,
            json!({"bsn": "123456734"}),
        ),
    ] {
        let body = assert_problem(app.post(pad, token, &body).await, 422).await;
        assert_eq!(
            body["invalidParams"][0]["code"], "elfproef",
            "{pad}: {body}"
        );
    }
    // The padded form of the tester's number is a valid BSN.
    let res = app
        .post("/api/v1/personen", &noodhulp, &persoon("012345672"))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    // The document: every property named `bsn` (bodies, nested, arrays) carries the
    // nine-digit pattern, and no description promises eight.
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut gevonden = 0;
    fn loop_door(v: &Value, gevonden: &mut usize) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    for (naam, p) in props {
                        if naam.to_lowercase().contains("bsn") && p.get("type").is_some() {
                            let tekst = p["type"].to_string();
                            if tekst.contains("string") {
                                *gevonden += 1;
                                assert_eq!(p["pattern"], "^[0-9]{9}$", "{naam}: {p}");
                                let d = p["description"].as_str().unwrap_or("");
                                assert!(!d.contains("8 or 9"), "{naam}: {d}");
                            }
                        }
                    }
                }
                if let Some(Value::String(naam)) = m.get("name")
                    && naam.to_lowercase().contains("bsn")
                    && m.get("in").is_some()
                {
                    panic!("a BSN as a parameter ({naam}) would put it in a URL or header");
                }
                m.values().for_each(|w| loop_door(w, gevonden));
            }
            Value::Array(a) => a.iter().for_each(|w| loop_door(w, gevonden)),
            _ => {}
        }
    }
    loop_door(&doc, &mut gevonden);
    assert!(gevonden >= 4, "found {gevonden} BSN fields");
}

/// Finding 9: any functional admin, even of an organisation outside the region, moved the
/// one demo clock. Now only the platform organisation's admin does (`DEMOKLOK_PLATFORM`).
async fn demoklok_alleen_platform(db: Db) {
    let Some(app) = spawn(db).await else { return };
    opzet(&app).await;
    app.organisatie("wijkteam-utrecht-oost", "wijkteam", &["0344"])
        .await;
    for (org, rol) in [
        ("wijkteam-utrecht-oost", "functioneel-beheerder"),
        (VT, "functioneel-beheerder"),
        (POLITIE, "functioneel-beheerder"),
        (VT, "triagist"),
        (PLATFORM, "stuurgroep"),
    ] {
        let t = app.token(org, &[rol]);
        let body = assert_problem(
            app.post(
                "/api/v1/demo-klok/verschuivingen",
                &t,
                &json!({"uren": 2000}),
            )
            .await,
            403,
        )
        .await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("DEMOKLOK_PLATFORM"),
            "{org} {rol}: {body}"
        );
    }
    for rol in ["platformbeheerder", "functioneel-beheerder"] {
        let t = app.token(PLATFORM, &[rol]);
        let res = app
            .post("/api/v1/demo-klok/verschuivingen", &t, &json!({"uren": 1}))
            .await;
        assert_eq!(res.status(), 200, "{rol}: {}", res.text().await.unwrap());
    }
    let uren: Value = app
        .post(
            "/api/v1/demo-klok/verschuivingen",
            &app.token(PLATFORM, &["platformbeheerder"]),
            &json!({"uren": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(uren["verschuivingUren"], 3, "{uren}");
}

/// A token whose identity claims hold a control character (task h17review): `sub`, `name`,
/// `client_id`, `jti` or `organisatie` with a NUL or a line break is a 401 naming the claim
/// on every route, the two hot reads included, and leaves no log row. Before, on
/// PostgreSQL, a NUL failed the log writer's batch (`text` cannot hold one): the caller's
/// read was a 500 and so were the reads of other organisations that shared its batch; on
/// SQLite the NUL went into the audit trail.
async fn stuurteken_in_een_claim_401(db: Db) {
    let Some(app) = crate::zorgmeldingen::app(db).await else {
        return;
    };
    let m = crate::zorgmeldingen::concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    let org = app
        .get(
            "/api/v1/organisaties?pageSize=1",
            &app.token("politie-haaglanden", &["wijkagent"]),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rijen = |app: &TestApp| {
        app.tel(
            "SELECT (SELECT count(*) FROM audittrail) + (SELECT count(*) FROM verwerkingslog) AS n",
        )
    };
    let voor = rijen(&app);
    for (claim, waarde) in [
        ("sub", "a\u{0}b"),
        ("name", "Piet\u{0}"),
        ("client_id", "x\u{0}"),
        ("jti", "j\u{0}"),
        ("name", "Piet\nGeweigerd: alles"),
        ("organisatie", "politie-haaglanden\u{0}"),
    ] {
        let mut c = common::claims("politie-haaglanden", &["wijkagent"]);
        match claim {
            "sub" => c.sub = waarde.into(),
            "name" => c.name = Some(waarde.into()),
            "client_id" => c.client_id = Some(waarde.into()),
            "jti" => c.jti = Some(waarde.into()),
            _ => c.organisatie = Some(waarde.into()),
        }
        let token = common::rs256(&c);
        // Twice: the second use is the one a known token id takes (the hot reads' path).
        for _ in 0..2 {
            for pad in [
                format!("/api/v1/zorgmeldingen/{id}"),
                format!("/api/v1/organisaties/{org}"),
                "/api/v1/zorgmeldingen?richting=verzonden".to_string(),
            ] {
                let res = app.get(&pad, &token).await;
                let p = assert_problem(res, 401).await;
                assert!(
                    p["detail"]
                        .as_str()
                        .unwrap()
                        .contains(&format!("`{claim}`")),
                    "{claim} {pad}: {p}"
                );
            }
        }
    }
    assert_eq!(rijen(&app), voor, "no log row for a refused token");
    // The same token without the control character reads as before.
    let goed = app.token("politie-haaglanden", &["wijkagent"]);
    assert_eq!(
        app.get(&format!("/api/v1/zorgmeldingen/{id}"), &goed)
            .await
            .status(),
        200
    );
}

/// A NUL character (U+0000) in any text of a request body (task h17review) is a 422 naming
/// the field by its JSON pointer, code `nul-teken`, and nothing is written. Before, on
/// PostgreSQL, a plain-text column could not take it (an organisation's name: 500) and an
/// encrypted one stored it (a child's first name: 201), as did SQLite. A key holding one
/// is also a key the schema does not know: a 400 naming both (every problem at once).
async fn nul_teken_in_de_body_422(db: Db) {
    let Some(app) = crate::zorgmeldingen::app(db).await else {
        return;
    };
    let platform = app.token(PLATFORM, &["platformbeheerder"]);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let mut melding = crate::zorgmeldingen::melding(&["0518"]);
    melding["kinderen"][0]["voornaam"] = json!("S\u{0}m");
    let voor = app.tel("SELECT count(*) AS n FROM zorgmeldingen");
    for (pad, token, body, veld) in [
        (
            "/api/v1/organisaties",
            &platform,
            json!({"code": "nul-test", "naam": "Nul\u{0}test", "soort": "wijkteam"}),
            "/naam",
        ),
        (
            "/api/v1/zorgmeldingen",
            &agent,
            melding,
            "/kinderen/0/voornaam",
        ),
    ] {
        let res = app.post(pad, token, &body).await;
        let p = assert_problem(res, 422).await;
        assert_eq!(p["invalidParams"].as_array().unwrap().len(), 1, "{p}");
        assert_eq!(p["invalidParams"][0]["name"], veld, "{p}");
        assert_eq!(p["invalidParams"][0]["code"], "nul-teken", "{p}");
    }
    let sleutel = json!({"code": "nul-test", "naam": "Nultest", "soort": "wijkteam", "a\u{0}": 1});
    let p = assert_problem(
        app.post("/api/v1/organisaties", &platform, &sleutel).await,
        400,
    )
    .await;
    let mut codes: Vec<(&str, &str)> = p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["code"].as_str().unwrap()))
        .collect();
    codes.sort();
    assert_eq!(codes, [("", "nul-teken"), ("", "unknown")], "{p}");
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), voor);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM organisaties WHERE code = 'nul-test'"),
        0
    );
}

op_beide_backends!(
    platformbeheerder_alleen_in_de_platformorganisatie,
    onbekende_organisatie_overal_401,
    twee_authorization_headers,
    eenmalige_headers_twee_keer,
    misvormd_pad_id,
    bsn_zoals_het_document_zegt,
    demoklok_alleen_platform,
    stuurteken_in_een_claim_401,
    nul_teken_in_de_body_422,
);
