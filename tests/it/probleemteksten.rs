//! The outside tester's findings of 1 Dec 2026 on what answers say: a replayed
//! `Idempotency-Key` answer without the first answer's `ETag`; a reversed period answered
//! with a reason that said the opposite, or with an empty list; reasons that repeated the
//! value sent (README "Errors": it may be personal data); a 422's `detail` naming a field
//! otherwise than `invalidParams`; `Idempotency-Key` refusals without `invalidParams`; a
//! range the server enforces that the document did not state.

use crate::common;

use common::{Db, TestApp, assert_problem, spawn};
use serde_json::{Value, json};

const POLITIE: &str = "politie-haaglanden";
const VT: &str = "vt-haaglanden";
const GI: &str = "gi-jeugdbescherming-west";
const PLATFORM: &str = "ketenregie-platform";
/// Passes the elfproef.
const BSN: &str = "999990032";
/// Nine digits that fail the elfproef.
const BSN_FOUT: &str = "123456789";

async fn app(db: Db) -> Option<TestApp> {
    let app = spawn(db).await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    Some(app)
}

fn melding() -> Value {
    json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN, "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "van Visser-Smit", "relatie": "moeder", "gezag": true}],
        "incidentReferentie": "PL-TEKST-1", "incidentDatum": "2026-11-27",
        "omschrijving": "Overdracht mislukt.", "zorgen": "Herhaalde conflicten.",
        "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [], "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": "wijkagent", "functie": "wijkagent", "identiteitDelen": true}
    })
}

async fn post_met_sleutel(
    app: &TestApp,
    pad: &str,
    token: &str,
    sleutel: &str,
    body: &Value,
) -> reqwest::Response {
    app.client
        .post(app.url(pad))
        .bearer_auth(token)
        .header("Idempotency-Key", sleutel)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn kop(res: &reqwest::Response, naam: &str) -> Option<String> {
    res.headers()
        .get(naam)
        .map(|v| v.to_str().unwrap().to_string())
}

/// Fault 1: the replay of an idempotent create gives the headers that matter (`ETag`,
/// `Location`, `Content-Type`) as the first answer did, on every route that honours the
/// key.
async fn herhaling_met_dezelfde_koppen(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let gi = app.token(GI, &["gezinsvoogd"]);
    let persoon = json!({"bsn": BSN, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"});
    for (pad, token, body, met_etag) in [
        ("/api/v1/zorgmeldingen", &agent, melding(), true),
        ("/api/v1/personen", &gi, persoon, false),
    ] {
        let eerste = post_met_sleutel(&app, pad, token, "kop-1", &body).await;
        assert_eq!(eerste.status(), 201, "{pad}");
        let herhaald = post_met_sleutel(&app, pad, token, "kop-1", &body).await;
        assert_eq!(herhaald.status(), 201, "{pad}");
        for naam in ["etag", "location", "content-type"] {
            assert_eq!(kop(&eerste, naam), kop(&herhaald, naam), "{pad}: {naam}");
        }
        assert_eq!(kop(&eerste, "etag").is_some(), met_etag, "{pad}");
        if met_etag {
            assert_eq!(kop(&herhaald, "etag").as_deref(), Some("\"1\""), "{pad}");
        }
        let (a, b) = (eerste.text().await.unwrap(), herhaald.text().await.unwrap());
        assert_eq!(a, b, "{pad}");
    }
}

/// Fault 5: both refusals of a key name the header in `invalidParams`.
async fn sleutelweigering_noemt_de_kop(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let res = post_met_sleutel(&app, "/api/v1/zorgmeldingen", &agent, "k-2", &melding()).await;
    assert_eq!(res.status(), 201);
    let mut ander = melding();
    ander["incidentReferentie"] = json!("PL-TEKST-2");
    let body = assert_problem(
        post_met_sleutel(&app, "/api/v1/zorgmeldingen", &agent, "k-2", &ander).await,
        422,
    )
    .await;
    assert_eq!(
        body["invalidParams"][0]["name"], "Idempotency-Key",
        "{body}"
    );
    assert_eq!(
        body["invalidParams"][0]["code"], "sleutel-hergebruikt",
        "{body}"
    );
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let body = assert_problem(
        post_met_sleutel(
            &app,
            "/api/v1/briefings/_zoek",
            &noodhulp,
            "k-3",
            &json!({"bsn": BSN}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["invalidParams"][0]["name"], "Idempotency-Key",
        "{body}"
    );
    assert_eq!(
        body["invalidParams"][0]["code"], "niet-ondersteund",
        "{body}"
    );
    assert_eq!(body["invalidParams"].as_array().unwrap().len(), 1, "{body}");
}

/// The one problem of `body` at `naam`.
fn probleem<'a>(body: &'a Value, naam: &str) -> &'a Value {
    body["invalidParams"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .find(|p| p["name"] == naam)
        .unwrap_or_else(|| panic!("no problem at {naam}: {body}"))
}

/// Fault 2: a period whose `van` lies after its `tot` is a 422 naming `van` with the rule
/// `volgorde`, on every route that takes one (query or body), never an empty answer; the
/// reason says what is wrong.
async fn omgekeerde_periode_422(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let fg = app.token(VT, &["privacyfunctionaris"]);
    let (van, tot) = ("2026-05-01T00:00:00Z", "2026-04-01T00:00:00Z");
    let gevallen = [
        app.get(
            "/api/v1/rapportages/terugkoppeling?van=2026-05-01&tot=2026-04-01",
            &agent,
        )
        .await,
        app.get(
            "/api/v1/rapportages/terugkoppeling?van=2026-04-01&tot=2026-04-01",
            &agent,
        )
        .await,
        app.post(
            "/api/v1/verwerkingen/_zoek",
            &fg,
            &json!({"van": van, "tot": tot}),
        )
        .await,
        app.get(
            &format!("/api/v1/verwerkingen/verstrekkingen?van={van}&tot={tot}"),
            &fg,
        )
        .await,
        app.get(
            &format!("/api/v1/zorgmeldingen?van={van}&tot={tot}"),
            &agent,
        )
        .await,
    ];
    for res in gevallen {
        let pad = res.url().path().to_string();
        let body = assert_problem(res, 422).await;
        let naam = if pad.ends_with("_zoek") {
            "/van"
        } else {
            "van"
        };
        let p = probleem(&body, naam);
        assert_eq!(p["code"], "volgorde", "{pad}: {body}");
        let reden = p["reason"].as_str().unwrap();
        assert!(reden.contains("op of na"), "{pad}: {reden}");
        assert!(!reden.contains("ligt vóór"), "{pad}: {reden}");
    }
    // A term recorded from `van` up to and including `tot`: the end before the start.
    let gi = app.token(GI, &["gezinsvoogd"]);
    let kind = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"bsn": BSN, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
        )
        .await;
    assert_eq!(kind.status(), 201);
    let kind: Value = kind.json().await.unwrap();
    let body = assert_problem(
        app.post(
            "/api/v1/gezinnen",
            &gi,
            &json!({"leden": [{"persoon": kind["id"], "relatie": "kind", "van": "2026-05-01", "tot": "2026-04-01"}]}),
        )
        .await,
        422,
    )
    .await;
    let p = probleem(&body, "/leden/0/tot");
    assert_eq!(p["code"], "volgorde", "{body}");
    assert_eq!(
        p["reason"],
        "`/leden/0/tot` ligt vóór `/leden/0/van`; een termijn eindigt op of na zijn begin",
        "{body}"
    );
}

/// Fault 3: no reason, and no detail, repeats a value sent. A sweep over bad inputs of
/// several routes, each with the values it sends.
async fn geen_reden_herhaalt_de_waarde(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let gi = app.token(GI, &["gezinsvoogd"]);
    let fg = app.token(VT, &["privacyfunctionaris"]);
    let kind: Value = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"bsn": BSN, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let kind = kind["id"].as_str().unwrap().to_string();
    let gezin: Value = app
        .post(
            "/api/v1/gezinnen",
            &gi,
            &json!({"leden": [{"persoon": kind, "relatie": "kind"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let gezin = gezin["id"].as_str().unwrap().to_string();
    let ver_vooruit = (chrono::Utc::now().date_naive() + chrono::Days::new(1000)).to_string();

    let mut oud_incident = melding();
    oud_incident["incidentDatum"] = json!("1899-12-31");
    let mut oude_kinderen = melding();
    oude_kinderen["kinderen"][0]["geboortedatum"] = json!("1899-07-13");
    oude_kinderen["kinderen"][0]["bsn"] = json!(BSN_FOUT);
    let mut toekomst = melding();
    toekomst["incidentDatum"] = json!("2199-05-17");
    let gevallen: Vec<(&str, String, &String, Value, Vec<&str>)> = vec![
        (
            "POST",
            "/api/v1/zorgmeldingen".into(),
            &agent,
            oud_incident,
            vec!["1899-12-31"],
        ),
        (
            "POST",
            "/api/v1/zorgmeldingen".into(),
            &agent,
            oude_kinderen,
            vec!["1899-07-13", BSN_FOUT],
        ),
        (
            "POST",
            "/api/v1/zorgmeldingen".into(),
            &agent,
            toekomst,
            vec!["2199-05-17"],
        ),
        (
            "POST",
            "/api/v1/personen".into(),
            &gi,
            json!({"bsn": BSN_FOUT, "voornamen": "Noor", "achternaam": "Visser", "geboortedatum": "1899-08-14"}),
            vec![BSN_FOUT, "1899-08-14"],
        ),
        (
            "POST",
            "/api/v1/gezinnen".into(),
            &gi,
            // A start some 1,000 days ahead: out of range, and never the bound the reason
            // names (today plus a year), whatever day the test runs.
            json!({"leden": [
                {"persoon": kind, "relatie": "kind", "van": ver_vooruit},
                {"persoon": kind, "relatie": "kind", "van": "2099-03-04", "tot": "2098-02-03"}]}),
            vec![ver_vooruit.as_str(), "2099-03-04", "2098-02-03"],
        ),
        (
            "POST",
            format!("/api/v1/gezinnen/{gezin}/beschikkingen"),
            &gi,
            json!({"rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/650009", "datum": "2026-10-07",
                   "soort": "ots", "van": "2026-10-07", "tot": "2029-06-05", "uitvoerbaarBijVoorraad": true,
                   "sterkeArm": false, "kinderen": [kind]}),
            vec!["2026-10-07", "2029-06-05", "2027-10-07"],
        ),
        (
            "POST",
            format!("/api/v1/gezinnen/{gezin}/regelingen"),
            &gi,
            json!({"soort": "omgangsregeling", "bron": "ouderschapsplan", "samenvatting": "om het weekend",
                   "van": "2026-09-08", "tot": "2026-08-07"}),
            vec!["2026-09-08", "2026-08-07"],
        ),
        (
            "POST",
            "/api/v1/verwerkingen/_zoek".into(),
            &fg,
            json!({"van": "2026-05-01T00:00:00Z", "tot": "2026-04-01T00:00:00Z", "bsn": BSN_FOUT}),
            vec!["2026-05-01", "2026-04-01", BSN_FOUT],
        ),
        (
            "GET",
            "/api/v1/rapportages/terugkoppeling?van=2026-05-01&tot=2026-04-01".into(),
            &agent,
            Value::Null,
            vec!["2026-05-01", "2026-04-01"],
        ),
    ];
    for (methode, pad, token, body, waarden) in gevallen {
        let res = if methode == "GET" {
            app.get(&pad, token).await
        } else {
            app.post(&pad, token, &body).await
        };
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap();
        assert!(status == 400 || status == 422, "{pad}: {status} {body}");
        let params = body["invalidParams"].as_array().unwrap();
        assert!(!params.is_empty(), "{pad}: {body}");
        let mut teksten: Vec<&str> = params
            .iter()
            .map(|p| p["reason"].as_str().unwrap())
            .collect();
        teksten.push(body["detail"].as_str().unwrap());
        for tekst in teksten {
            for w in &waarden {
                assert!(
                    !tekst.contains(w),
                    "{pad}: `{w}` repeated in {tekst:?} ({body})"
                );
            }
        }
    }
}

/// Fault 4: a 422's `detail` names the field as `invalidParams` does, a JSON pointer, on
/// a PUT as on a POST.
async fn detail_noemt_het_veld_als_invalid_params(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let res = app.post("/api/v1/zorgmeldingen", &agent, &melding()).await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.unwrap();
    let mut fout = melding();
    fout["kinderen"][0]["bsn"] = json!(BSN_FOUT);
    let put = app
        .client
        .put(app.url(&format!(
            "/api/v1/zorgmeldingen/{}",
            m["id"].as_str().unwrap()
        )))
        .bearer_auth(&agent)
        .header("If-Match", "\"1\"")
        .json(&fout)
        .send()
        .await
        .unwrap();
    let post = app.post("/api/v1/zorgmeldingen", &agent, &fout).await;
    for res in [put, post] {
        let body = assert_problem(res, 422).await;
        let p = probleem(&body, "/kinderen/0/bsn");
        assert_eq!(p["code"], "elfproef", "{body}");
        let detail = body["detail"].as_str().unwrap();
        assert!(detail.contains("`/kinderen/0/bsn`"), "{detail}");
        assert!(!detail.contains("kinderen[0]"), "{detail}");
    }
}

/// Fault 7: the demo clock's bounds are in the document, and a value outside them breaks
/// the schema like any other (a 400 naming `/uren` with `maximum` or `minimum`).
async fn grenzen_in_het_document(db: Db) {
    let Some(app) = app(db).await else { return };
    let doc: Value = serde_json::from_str(&app.tekst("/api/v1/openapi.json").await).unwrap();
    let uren = &doc["components"]["schemas"]["VerschuivingInvoer"]["properties"]["uren"];
    assert_eq!(uren["minimum"], 1, "{uren}");
    assert_eq!(uren["maximum"], 2000, "{uren}");
    let t = app.token(PLATFORM, &["platformbeheerder"]);
    for (uren, code) in [(2800, "maximum"), (0, "minimum")] {
        let body = assert_problem(
            app.post(
                "/api/v1/demo-klok/verschuivingen",
                &t,
                &json!({"uren": uren}),
            )
            .await,
            400,
        )
        .await;
        assert_eq!(probleem(&body, "/uren")["code"], code, "{body}");
    }
    for veld in [
        "toelichting",
        "veiligheidsvoorwaarden",
        "monitoringsafspraken",
    ] {
        let schema = &doc["components"]["schemas"]["TerugkoppelingInvoer"]["properties"][veld];
        assert_eq!(schema["maxLength"], 5000, "{veld}: {schema}");
    }
}

/// The outside test of 1 Dec 2026, second round: a 412 repeated the `If-Match` sent, a
/// disclosure filter on an organisation that is not registered answered an empty list,
/// and token values (a role, a key id) were repeated in the 401. Each now names what is
/// wrong without the value.
async fn voorwaarde_filter_en_token_herhalen_niets(db: Db) {
    let Some(app) = app(db).await else { return };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let org = app
        .get(&format!("/api/v1/organisaties?code={POLITIE}"), &beheer)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let org_id = org["results"][0]["id"].as_str().unwrap();
    let body = json!({"rol": "spoed", "naam": "Spoeddienst", "telefoon": "070 123 45 67"});
    let cp: Value = app
        .post(
            &format!("/api/v1/organisaties/{org_id}/contactpunten"),
            &beheer,
            &body,
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .client
        .put(app.url(&format!(
            "/api/v1/contactpunten/{}",
            cp["id"].as_str().unwrap()
        )))
        .bearer_auth(&beheer)
        .header("If-Match", "\"987654\", \"x-31415\"")
        .json(&body)
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 412).await.to_string();
    assert!(!p.contains("987654") && !p.contains("31415"), "{p}");
    assert!(p.contains("huidige versie"), "{p}");

    let fg = app.token(VT, &["privacyfunctionaris"]);
    let res = app
        .get(
            "/api/v1/verwerkingen/verstrekkingen?aan=nergens-bekend-42",
            &fg,
        )
        .await;
    let p = assert_problem(res, 422).await;
    assert_eq!(p["invalidParams"][0]["name"], "aan", "{p}");
    assert!(!p.to_string().contains("nergens-bekend-42"), "{p}");
    let res = app
        .get(
            &format!("/api/v1/verwerkingen/verstrekkingen?aan={POLITIE}"),
            &fg,
        )
        .await;
    assert_eq!(res.status(), 200, "a registered organisation is a filter");
    let res = app
        .get(
            "/api/v1/verwerkingen/verstrekkingen?doorbraak=misschien",
            &fg,
        )
        .await;
    let p = assert_problem(res, 400).await;
    assert_eq!(p["invalidParams"][0]["name"], "doorbraak", "{p}");
    assert!(!p.to_string().contains("misschien"), "{p}");

    let res = app
        .get(
            "/api/v1/organisaties",
            &app.token(POLITIE, &["schatbewaarder"]),
        )
        .await;
    let p = assert_problem(res, 401).await.to_string();
    assert!(
        p.contains("onbekende rol") && !p.contains("schatbewaarder"),
        "{p}"
    );
}

/// The outside test of 1 Dec 2026, third round: a list filter on a value that names
/// nothing (an unknown municipality, organisation or event type) answered an empty page,
/// and a 404 repeated the id asked for. A filter that cannot match is a 422 naming the
/// parameter (a malformed one a 400); a 404 says what is missing, not which id.
async fn filters_en_404_noemen_geen_waarde(db: Db) {
    // With the municipalities loaded, as in production (without them only the format of
    // a code can be checked).
    let Some(app) = common::spawn_with(db, "# referentiedata").await else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    let vt = app.token(VT, &["triagist"]);
    let agent = app.token(POLITIE, &["wijkagent"]);

    let res = app.get("/api/v1/zorgmeldingen?gemeente=0999", &vt).await;
    let p = assert_problem(res, 422).await;
    assert_eq!(p["invalidParams"][0]["name"], "gemeente", "{p}");
    assert!(!p.to_string().contains("0999"), "{p}");
    let res = app.get("/api/v1/zorgmeldingen?gemeente=0518", &vt).await;
    assert_eq!(res.status(), 200, "a real municipality is a filter");

    let vreemd = "5f0c7a4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f";
    let res = app
        .get(
            &format!("/api/v1/contactpunten?organisatie={vreemd}"),
            &agent,
        )
        .await;
    let p = assert_problem(res, 422).await;
    assert_eq!(p["invalidParams"][0]["name"], "organisatie", "{p}");
    assert!(!p.to_string().contains(vreemd), "{p}");

    let res = app.get("/api/v1/berichten?soort=Robert'); DROP", &vt).await;
    let p = assert_problem(res, 400).await;
    assert_eq!(p["invalidParams"][0]["name"], "soort", "{p}");
    assert!(!p.to_string().contains("DROP"), "{p}");
    let res = app
        .get("/api/v1/berichten?soort=termijnen.verjaardag", &vt)
        .await;
    let p = assert_problem(res, 422).await;
    assert_eq!(p["invalidParams"][0]["name"], "soort", "{p}");
    assert!(!p.to_string().contains("verjaardag"), "{p}");
    let res = app
        .get("/api/v1/berichten?soort=termijnen.escalatie", &vt)
        .await;
    assert_eq!(
        res.status(),
        200,
        "an event type the service emits is a filter"
    );

    for pad in [
        format!("/api/v1/organisaties/{vreemd}"),
        format!("/api/v1/contactpunten/{vreemd}"),
        format!("/api/v1/convenanten/{vreemd}"),
    ] {
        let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
        let p = assert_problem(app.get(&pad, &beheer).await, 404).await;
        // The `instance` is the path asked for; the reason does not repeat it.
        let detail = p["detail"].as_str().unwrap();
        assert!(!detail.contains(vreemd), "{pad}: {p}");
        assert!(detail.contains("met dit id"), "{pad}: {p}");
    }
}

op_beide_backends!(
    filters_en_404_noemen_geen_waarde,
    voorwaarde_filter_en_token_herhalen_niets,
    herhaling_met_dezelfde_koppen,
    sleutelweigering_noemt_de_kop,
    omgekeerde_periode_422,
    geen_reden_herhaalt_de_waarde,
    detail_noemt_het_veld_als_invalid_params,
    grenzen_in_het_document
);
