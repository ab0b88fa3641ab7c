//! Every route that touches personal data is marked in the OpenAPI document
//! (`x-persoonsgegevens`: purpose and categories) and goes through the decision: called
//! by an organisation without a covering agreement it answers 403 (or, for a record
//! outside its view, 404 as for an unknown id), leaving a denied row in the audit trail,
//! or an empty list. And no unmarked route processes personal data:
//! calling all of them leaves the processing log untouched.

use crate::common;

use common::{Db, TestApp, spawn_met};
use ketenregie_api::app::Onderdelen;
use serde_json::{Value, json};
use std::sync::Arc;

const PERSOON: &str = "01930000-0000-7000-8000-000000000003";

async fn app(db: Db) -> Option<TestApp> {
    let app = spawn_met(
        db,
        "",
        Onderdelen {
            inzage: vec![Arc::new(common::EenPersoonBron {
                persoon: PERSOON,
                eigenaar: "vt-haaglanden",
            })],
            ..Default::default()
        },
    )
    .await?;
    app.organisatie("vt-haaglanden", "veilig-thuis", &["0518"])
        .await;
    app.organisatie("buitenstaander", "wijkteam", &["0363"])
        .await;
    Some(app)
}

fn operaties(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (pad, item) in doc["paths"].as_object().unwrap() {
        for (methode, op) in item.as_object().unwrap() {
            ops.push((methode.to_uppercase(), format!("/api/v1{pad}"), op.clone()));
        }
    }
    ops
}

fn invullen(pad: &str, ids: &[(&str, String)]) -> String {
    let mut p = pad.to_string();
    for (prefix, id) in ids {
        // A prefix ending in `$` matches the whole path only.
        let exact = prefix.strip_suffix('$').is_some_and(|x| p == x);
        if exact || p.starts_with(prefix) {
            p = p.replace("{id}", id).replace("{soort}", id);
        }
    }
    p.replace("{id}", PERSOON)
}

async fn roep(app: &TestApp, methode: &str, pad: &str, token: &str) -> reqwest::Response {
    let m = reqwest::Method::from_bytes(methode.as_bytes()).unwrap();
    let mut r = app.client.request(m, app.url(pad)).bearer_auth(token);
    if methode != "GET" && methode != "DELETE" {
        // A valid body, so the answer is the decision's and not the validation's.
        let body = if pad.ends_with("/eigen-verklaringen") {
            json!({"tekst": "Mijn kant van het verhaal"})
        } else if pad == "/api/v1/briefings/_zoek" {
            json!({"bsn": "123456733"})
        } else if pad.ends_with("/kwaliteitsbeoordelingen") {
            json!({"goedgekeurd": true})
        } else if pad.ends_with("/overdrachten") {
            json!({"organisatie": "vt-haaglanden"})
        } else if pad.ends_with("/beoordelingen") {
            json!({"uitkomst": "onderzoek-vt"})
        } else if pad.ends_with("/afsluitingen") {
            json!({"uitvoer": "afgerond"})
        } else if pad.starts_with("/api/v1/zorgmeldingen")
            && (methode == "PUT" || pad == "/api/v1/zorgmeldingen")
        {
            melding()
        } else {
            json!({})
        };
        r = r.json(&body);
    }
    r.send().await.unwrap()
}

async fn gemarkeerde_routes_weigeren_zonder_convenant(db: Db) {
    let Some(app) = app(db).await else { return };
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = app.token(
        "buitenstaander",
        &[
            "privacyfunctionaris",
            "noodhulp",
            "wijkagent",
            "triagist",
            "officier-van-justitie",
            "gezinsvoogd",
            "wijkteammedewerker",
        ],
    );
    let melding_id = zorgmelding(&app).await;
    let dossier = dossier(&app).await;
    let mut gemarkeerd = 0;
    for (methode, pad, op) in operaties(&doc) {
        let Some(markering) = op.get("x-persoonsgegevens") else {
            continue;
        };
        gemarkeerd += 1;
        // Writes to one's own records rest on the organisation's own task, agreement or
        // not; they are checked by `personen`, `gezinnen`... in tests/dossiers.rs.
        if markering["alleenEigen"] == true {
            continue;
        }
        assert!(
            markering["doel"].is_string() && markering["categorieen"].is_array(),
            "{pad}: marking names purpose and categories"
        );
        let pad = invullen(
            &pad,
            &[
                ("/api/v1/zorgmeldingen", melding_id.clone()),
                ("/api/v1/personen/{id}/gezag", dossier.persoon.clone()),
                ("/api/v1/personen/{id}$", dossier.persoon.clone()),
                ("/api/v1/gezinnen", dossier.gezin.clone()),
                ("/api/v1/incidenten", dossier.incident.clone()),
                ("/api/v1/beschikkingen", dossier.beschikking.clone()),
                ("/api/v1/terugkoppelingen", dossier.terugkoppeling.clone()),
            ],
        );
        let geweigerd_voor = app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403");
        let res = roep(&app, &methode, &pad, &token).await;
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        match status {
            // 404: a record outside the organisation's view, answered as an unknown id
            // (EEN_ORGANISATIE_ZICHT) and recorded like any refusal.
            403 | 404 => assert_eq!(
                app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403"),
                geweigerd_voor + 1,
                "{methode} {pad}: a refusal leaves a denied row"
            ),
            200 => assert!(
                body["count"] == 0 || body["gevonden"] == false,
                "{methode} {pad}: only an empty filtered list may come back: {body}"
            ),
            other => {
                panic!("{methode} {pad}: expected 403, 404 or an empty list, got {other}: {body}")
            }
        }
    }
    assert!(gemarkeerd >= 2, "the personal-data routes are marked");
}

async fn ongemarkeerde_routes_verwerken_geen_persoonsgegevens(db: Db) {
    let Some(app) = app(db).await else { return };
    // Real objects for the unmarked routes' path parameters.
    let org = app.organisatie("politie-haaglanden", "politie", &[]).await;
    let beheer = app.token(
        "vt-haaglanden",
        &["functioneel-beheerder", "privacyfunctionaris"],
    );
    let vt: Value = app
        .get("/api/v1/organisaties?code=vt-haaglanden", &beheer)
        .await
        .json()
        .await
        .unwrap();
    let cp: Value = app
        .post(
            &format!(
                "/api/v1/organisaties/{}/contactpunten",
                vt["results"][0]["id"].as_str().unwrap()
            ),
            &beheer,
            &json!({"rol": "spoed", "naam": "Spoed", "telefoon": "0800-2000"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let conv: Value = app
        .post(
            "/api/v1/convenanten",
            &beheer,
            &json!({"titel": "t", "partijen": [{"organisatie": "vt-haaglanden", "rol": "a"}, {"organisatie": "politie-haaglanden", "rol": "b"}],
                    "doelen": ["briefing"], "categorieen": ["identificatie"],
                    "regels": [{"organisatieSoort": "politie", "rollen": ["noodhulp"], "acties": ["lezen"], "categorieen": ["identificatie"], "doel": "briefing", "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Wpg art. 18", "omschrijving": "x"}}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let ids = [
        (
            "/api/v1/organisaties",
            org["id"].as_str().unwrap().to_string(),
        ),
        (
            "/api/v1/contactpunten",
            cp["id"].as_str().unwrap().to_string(),
        ),
        (
            "/api/v1/convenanten",
            conv["id"].as_str().unwrap().to_string(),
        ),
        ("/api/v1/bewaartermijnen", "verwerkingslog".to_string()),
        ("/api/v1/zorgmeldingen", zorgmelding(&app).await),
    ];
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let voor = app.tel("SELECT count(*) AS n FROM verwerkingslog");
    let mut geroepen = 0;
    for (methode, pad, op) in operaties(&doc) {
        if op.get("x-persoonsgegevens").is_some() || methode == "DELETE" {
            continue;
        }
        let pad = invullen(&pad, &ids);
        let res = roep(&app, &methode, &pad, &beheer).await;
        assert!(
            res.status().as_u16() < 500,
            "{methode} {pad}: {}",
            res.status()
        );
        geroepen += 1;
    }
    assert!(geroepen >= 10);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog"),
        voor,
        "an unmarked route processed personal data"
    );
}

/// A real zorgmelding filed by police, for the routes under /zorgmeldingen/{id}.
async fn zorgmelding(app: &TestApp) -> String {
    if app.tel("SELECT count(*) AS n FROM organisaties WHERE code = 'politie-haaglanden'") == 0 {
        app.organisatie("politie-haaglanden", "politie", &[]).await;
    }
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = app.post("/api/v1/zorgmeldingen", &agent, &melding()).await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.unwrap();
    m["id"].as_str().unwrap().to_string()
}

fn melding() -> Value {
    json!({
        "kinderen": [{"voornaam": "K", "achternaam": "J", "geboortedatum": "2016-01-01", "gemeente": "0518"}],
        "omschrijving": "x", "zorgen": "y", "acuut": false, "risiconiveau": "laag", "oudersGeinformeerd": true,
        "melder": {"naam": "A", "functie": "wijkagent", "identiteitDelen": true}
    })
}

op_beide_backends!(
    gemarkeerde_routes_weigeren_zonder_convenant,
    ongemarkeerde_routes_verwerken_geen_persoonsgegevens
);

/// Case-registry records owned by the police (and feedback of Veilig Thuis to it), for
/// the outsider to be refused.
struct Dossier {
    persoon: String,
    gezin: String,
    incident: String,
    beschikking: String,
    terugkoppeling: String,
}

async fn dossier(app: &TestApp) -> Dossier {
    app.organisatie("politie-pg", "politie", &[]).await;
    let t = app.token("politie-pg", &["noodhulp"]);
    let p: Value = app
        .post("/api/v1/personen", &t, &json!({"bsn": "123456733", "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}))
        .await
        .json()
        .await
        .unwrap();
    let persoon = p["id"].as_str().unwrap().to_string();
    let g: Value = app
        .post(
            "/api/v1/gezinnen",
            &t,
            &json!({"leden": [{"persoon": persoon, "relatie": "kind"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let i: Value = app
        .post("/api/v1/incidenten", &t, &json!({"tijdstip": "2026-01-01T10:00:00Z", "soort": "ruzie", "politieReferentie": "PL-1", "samenvatting": "s",
            "betrokkenen": [{"persoon": persoon, "rol": "kind"}]}))
        .await
        .json()
        .await
        .unwrap();
    let gezin = g["id"].as_str().unwrap().to_string();
    let b: Value = app
        .post(
            &format!("/api/v1/gezinnen/{gezin}/beschikkingen"),
            &t,
            &json!({"rechtbank": "Rechtbank Den Haag",
            "zaaknummer": "C/09/1", "datum": "2026-01-01", "soort": "omgang", "van": "2026-01-01",
            "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [persoon]}),
        )
        .await
        .json()
        .await
        .unwrap();
    // A melding sent to Veilig Thuis, and its feedback: under an agreement of the police
    // and Veilig Thuis (ROUTERING_BINNEN_CONVENANT), which the outsider is no party of.
    let m = zorgmelding(app).await;
    common::keten::zorgmeldingconvenant(app, "politie-haaglanden", &["vt-haaglanden"]).await;
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{m}/indieningen"),
            &agent,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let tk: Value = app
        .post(
            &format!("/api/v1/zorgmeldingen/{m}/terugkoppelingen"),
            &vt,
            &json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    Dossier {
        persoon,
        gezin,
        incident: i["id"].as_str().unwrap().to_string(),
        beschikking: b["id"].as_str().unwrap().to_string(),
        terugkoppeling: tk["id"].as_str().unwrap().to_string(),
    }
}
