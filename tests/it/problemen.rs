//! A refused request names every problem at once (README "Invalid input: 400 or 422"; the
//! outside reviews of 1 Dec 2026): a wrong JSON type, a wrong enumeration value or an
//! unknown field no longer hides the others; a NUL character is one problem among the
//! rest; a municipality code that does not exist and a party not in the partner directory
//! are named whatever else is wrong; with a schema problem and a domain problem in one
//! request the answer is a 400 naming both, also when the body read as its type and only
//! the use case refused it; a key given twice is a problem too, at any depth; no problem
//! is named twice. Every reason is Dutch, says what was expected, and never repeats the
//! value sent. Each test on both backends.

use crate::common;
use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const POLITIE: &str = "politie-haaglanden";

/// The application with the reference data loaded (the municipality codes) and the
/// police registered.
async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn_with(db, "# referentiedata").await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie("vt-haaglanden", "veilig-thuis", &["0518"])
        .await;
    Some(app)
}

/// The (pointer, code) pairs of a problem's `invalidParams`, after checking every reason:
/// Dutch, not empty, none of `waarden` (the values sent) in it, no English of serde's.
fn namen(p: &Value, waarden: &[&str]) -> BTreeSet<(String, String)> {
    let lijst = p["invalidParams"].as_array().expect("invalidParams");
    for i in lijst {
        let r = i["reason"].as_str().unwrap_or_default();
        assert!(!r.is_empty(), "{i}");
        for w in waarden {
            assert!(!r.contains(w), "reason repeats the value `{w}`: {r}");
        }
        for engels in [
            "expected",
            "one of",
            "invalid type",
            "a boolean",
            "a string",
            "unknown field",
            "``",
        ] {
            assert!(!r.contains(engels), "reason not in Dutch (`{engels}`): {r}");
        }
    }
    lijst
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(paren: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    paren
        .iter()
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect()
}

async fn post(app: &TestApp, pad: &str, token: &str, body: &Value, status: u16) -> Value {
    assert_problem(app.post(pad, token, body).await, status).await
}

/// Prints the answer and returns its (pointer, code) pairs (`namen`), each named once.
fn toon(p: &Value, waarden: &[&str]) -> BTreeSet<(String, String)> {
    let n = namen(p, waarden);
    println!("{n:?}");
    assert_eq!(
        n.len(),
        p["invalidParams"].as_array().unwrap().len(),
        "a problem named twice: {p}"
    );
    n
}

/// POST a body as text (a JSON object with a key given twice cannot be built as a `Value`).
async fn post_tekst(app: &TestApp, pad: &str, token: &str, body: &str, status: u16) -> Value {
    let res = app
        .client
        .post(app.url(pad))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_problem(res, status).await
}

/// Wrong JSON types and a wrong enumeration value in a zorgmelding: every field named
/// (before: only `/acuut`), with every required field that is missing.
async fn zorgmelding_verkeerde_typen(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let voor = app.tel("SELECT count(*) AS n FROM zorgmeldingen");
    let p = post(
        &app,
        "/api/v1/zorgmeldingen",
        &agent,
        &json!({"kinderen": "x", "acuut": "nee", "risiconiveau": 5}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["nee"]),
        set(&[
            ("/kinderen", "type"),
            ("/acuut", "type"),
            ("/risiconiveau", "type"),
            ("/omschrijving", "required"),
            ("/zorgen", "required"),
            ("/oudersGeinformeerd", "required"),
            ("/melder", "required"),
        ]),
        "{p}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), voor);
}

/// An unknown field no longer hides the rest: beside it the domain's rules on what could
/// be read (an elfproef, a birth date in the future), the date the schema refuses, and a
/// municipality code that does not exist; a 400 (both kinds).
async fn zorgmelding_onbekend_veld_verbergt_niets(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let mut m = crate::zorgmeldingen::melding(&["9999"]);
    m["foo"] = json!(1);
    m["kinderen"][0]["bsn"] = json!("123456789");
    m["kinderen"][0]["geboortedatum"] = json!("3000-01-01");
    m["incidentDatum"] = json!("2020-13-01");
    let p = post(&app, "/api/v1/zorgmeldingen", &agent, &m, 400).await;
    assert_eq!(
        toon(&p, &["123456789", "9999", "3000-01-01", "2020-13-01"]),
        set(&[
            ("/foo", "unknown"),
            ("/incidentDatum", "format"),
            ("/kinderen/0/bsn", "elfproef"),
            ("/kinderen/0/geboortedatum", "toekomst"),
            ("/kinderen/0/gemeente", "gemeentecode-onbekend"),
        ]),
        "{p}"
    );
    // A body that reads, with a rule the schema states broken (`maxLength`): the unknown
    // municipality is named beside it (before: only `/zorgen`).
    let mut m = crate::zorgmeldingen::melding(&["9999"]);
    m["zorgen"] = json!("z".repeat(20_001));
    let p = post(&app, "/api/v1/zorgmeldingen", &agent, &m, 400).await;
    assert_eq!(
        toon(&p, &["9999"]),
        set(&[
            ("/zorgen", "maxLength"),
            ("/kinderen/0/gemeente", "gemeentecode-onbekend"),
        ]),
        "{p}"
    );
}

/// A NUL character is one problem among the rest (before: it hid every other one): with
/// only domain problems beside it the answer stays a 422.
async fn zorgmelding_nul_teken_met_de_rest(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let body = json!({"kinderen": [{"voornaam": "A\u{0}", "achternaam": "B", "geboortedatum": "3000-01-01", "bsn": "999990033", "gemeente": "9999"}],
        "ouders": [], "omschrijving": "x", "zorgen": "y", "acuut": false, "risiconiveau": "laag", "oudersGeinformeerd": false,
        "terugkoppelingGewenst": true, "melder": {"naam": "x", "functie": "wijkagent", "identiteitDelen": true}});
    let p = post(&app, "/api/v1/zorgmeldingen", &agent, &body, 422).await;
    assert_eq!(
        toon(&p, &["999990033", "9999"]),
        set(&[
            ("/kinderen/0/voornaam", "nul-teken"),
            ("/kinderen/0/geboortedatum", "toekomst"),
            ("/kinderen/0/bsn", "elfproef"),
            ("/kinderen/0/gemeente", "gemeentecode-onbekend"),
            ("/redenNietGeinformeerd", "verplicht-bij"),
        ]),
        "{p}"
    );
}

/// `POST /personen`: a NUL, an unknown field, a wrong type, an empty name and a birth date
/// in the future, all named; a 400 as soon as one breaks the schema.
async fn persoon_alle_problemen(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let t = app.token(POLITIE, &["wijkagent"]);
    let voor = app.tel("SELECT count(*) AS n FROM personen");
    let p = post(
        &app,
        "/api/v1/personen",
        &t,
        &json!({"voornamen": "Evil\u{0}", "achternaam": "", "geboortedatum": "3000-01-01", "onbekend": 1}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["Evil", "3000-01-01"]),
        set(&[
            ("/voornamen", "nul-teken"),
            ("/achternaam", "minLength"),
            ("/geboortedatum", "toekomst"),
            ("/onbekend", "unknown"),
        ]),
        "{p}"
    );
    let p = post(
        &app,
        "/api/v1/personen",
        &t,
        &json!({"voornamen": 5, "achternaam": "", "geboortedatum": "3000-01-01", "bsn": 123456782}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["123456782", "3000-01-01"]),
        set(&[
            ("/voornamen", "type"),
            ("/bsn", "type"),
            ("/achternaam", "minLength"),
            ("/geboortedatum", "toekomst"),
        ]),
        "{p}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM personen"), voor);
}

/// `POST /incidenten`: every problem by its JSON Schema keyword (before: one problem with
/// code `schema`, "past niet in het schema"), a UUID's reason saying a UUID was expected,
/// and an unknown municipality beside them.
async fn incident_alle_problemen(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let t = app.token(POLITIE, &["wijkagent"]);
    let p = post(
        &app,
        "/api/v1/incidenten",
        &t,
        &json!({"tijdstip": "gisteren", "soort": "ruzie-xx", "samenvatting": "", "gemeente": "12",
                "betrokkenen": [{"persoon": "not-a-uuid"}]}),
        400,
    )
    .await;
    let n = toon(&p, &["gisteren", "ruzie-xx", "not-a-uuid"]);
    assert!(n.iter().all(|(_, c)| c != "schema"), "{p}");
    let uuid = p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "/betrokkenen/0/persoon")
        .unwrap_or_else(|| panic!("{p}"));
    assert!(uuid["reason"].as_str().unwrap().contains("UUID"), "{p}");
    assert_eq!(
        n,
        set(&[
            ("/tijdstip", "format"),
            ("/soort", "enum"),
            ("/samenvatting", "minLength"),
            ("/gemeente", "pattern"),
            ("/politieReferentie", "required"),
            ("/betrokkenen/0/persoon", "format"),
            ("/betrokkenen/0/rol", "required"),
        ]),
        "{p}"
    );
    let p = post(
        &app,
        "/api/v1/incidenten",
        &t,
        &json!({"tijdstip": "gisteren", "soort": "ruzie", "samenvatting": "Ruzie.", "gemeente": "9999",
                "politieReferentie": "PL1500-2026000001"}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["gisteren", "9999"]),
        set(&[
            ("/tijdstip", "format"),
            ("/gemeente", "gemeentecode-onbekend"),
        ]),
        "{p}"
    );
}

/// `POST /convenanten` with no rules and a party not in the partner directory: both named
/// (before: only `/regels`).
async fn convenant_partij_en_schema(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let p = post(
        &app,
        "/api/v1/convenanten",
        &beheer,
        &json!({"titel": "Proef", "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": "bestaat-niet", "rol": "ontvanger"}],
                "doelen": ["coordinatie"], "categorieen": ["identificatie"], "regels": []}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["bestaat-niet"]),
        set(&[
            ("/regels", "minItems"),
            ("/partijen/1/organisatie", "geregistreerd"),
        ]),
        "{p}"
    );
    // A type error elsewhere in the body: the party is still named.
    let p = post(
        &app,
        "/api/v1/convenanten",
        &beheer,
        &json!({"titel": 7, "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": "bestaat-niet", "rol": "ontvanger"}],
                "doelen": ["coordinatie"], "categorieen": ["identificatie"], "regels": []}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["bestaat-niet"]),
        set(&[
            ("/titel", "type"),
            ("/regels", "minItems"),
            ("/partijen/1/organisatie", "geregistreerd"),
        ]),
        "{p}"
    );
}

/// A contact point with a wrong type and a bad e-mail address: both named (before: only
/// `/altijdBereikbaar`).
async fn contactpunt_alle_problemen(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let p = post(
        &app,
        &format!(
            "/api/v1/organisaties/{}/contactpunten",
            uuid::Uuid::now_v7()
        ),
        &beheer,
        &json!({"naam": "Spoed", "altijdBereikbaar": "ja", "email": "geen-adres", "rol": "bakker"}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["geen-adres", "bakker", "\"ja\""]),
        set(&[
            ("/altijdBereikbaar", "type"),
            ("/email", "format"),
            ("/rol", "enum"),
        ]),
        "{p}"
    );
}

/// The domain's rules beside a schema problem on every route with body rules (the outside
/// test of 2 Dec 2026): the legal floor of a retention term (`wettelijk-minimum`) beside a
/// missing reason; a contact point without telephone or e-mail (`een-van`) beside a wrong
/// role and an unknown field; a closed day in the past (`verleden`, the path's `datum`)
/// beside a description of the wrong type; a returned quality check without remarks
/// (`verplicht-bij`), a statement made in the future (`toekomst`), a log search with a
/// failing BSN (`elfproef`) and a reversed period (`volgorde`), each beside an unknown
/// field. One answer naming all, nothing written.
async fn domeinregels_naast_schemafouten(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let p = assert_problem(
        app.put(
            "/api/v1/bewaartermijnen/verwerkingslog",
            &beheer,
            &json!({"termijnDagen": 1}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &[]),
        set(&[
            ("/termijnDagen", "wettelijk-minimum"),
            ("/toelichting", "required")
        ]),
        "{p}"
    );
    let p = assert_problem(
        app.put(
            "/api/v1/bewaartermijnen/verwerkingslog",
            &beheer,
            &json!({"termijnDagen": 1, "toelichting": "korter", "foo": 1}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &[]),
        set(&[("/termijnDagen", "wettelijk-minimum"), ("/foo", "unknown")]),
        "{p}"
    );
    let p = post(
        &app,
        &format!(
            "/api/v1/organisaties/{}/contactpunten",
            uuid::Uuid::now_v7()
        ),
        &beheer,
        &json!({"rol": "x", "naam": "n", "foo": 1}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &[]),
        set(&[
            ("/rol", "enum"),
            ("/foo", "unknown"),
            ("/telefoon", "een-van")
        ]),
        "{p}"
    );
    let p = assert_problem(
        app.put(
            "/api/v1/sluitingsdagen/2020-01-01",
            &beheer,
            &json!({"omschrijving": 5}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &[]),
        set(&[("/omschrijving", "type"), ("datum", "verleden")]),
        "{p}"
    );
    let kwaliteit = app.token(POLITIE, &["kwaliteitscontroleur"]);
    let p = post(
        &app,
        &format!(
            "/api/v1/zorgmeldingen/{}/kwaliteitsbeoordelingen",
            uuid::Uuid::now_v7()
        ),
        &kwaliteit,
        &json!({"goedgekeurd": false, "foo": 1}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &[]),
        set(&[("/opmerkingen", "verplicht-bij"), ("/foo", "unknown")]),
        "{p}"
    );
    let agent = app.token(POLITIE, &["wijkagent"]);
    let p = post(
        &app,
        &format!("/api/v1/incidenten/{}/verklaringen", uuid::Uuid::now_v7()),
        &agent,
        &json!({"afgelegdDoor": "getuige", "tekst": "t", "afgelegdOp": "2999-01-01T00:00:00Z", "foo": 1}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &[]),
        set(&[("/afgelegdOp", "toekomst"), ("/foo", "unknown")]),
        "{p}"
    );
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let p = post(
        &app,
        "/api/v1/verwerkingen/_zoek",
        &fg,
        &json!({"bsn": "123456789", "van": "2026-02-01T00:00:00Z", "tot": "2026-01-01T00:00:00Z", "foo": 1}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["123456789"]),
        set(&[
            ("/bsn", "elfproef"),
            ("/van", "volgorde"),
            ("/foo", "unknown")
        ]),
        "{p}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM bewaartermijnen"), 0);
}

/// A list's query string: an undeclared key and a page size past its maximum, both named,
/// the value never repeated.
async fn lijst_query_alle_problemen(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let p = assert_problem(
        app.get("/api/v1/zorgmeldingen?bsn=999990032&pageSize=500", &agent)
            .await,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["999990032", "500"]),
        set(&[("bsn", "unknown"), ("pageSize", "maximum")]),
        "{p}"
    );
    // A pattern beside another problem is named too (municipality code, cursor).
    let p = assert_problem(
        app.get(
            "/api/v1/zorgmeldingen?gemeente=12&cursor=a%20b&pageSize=0",
            &agent,
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["a b"]),
        set(&[
            ("gemeente", "pattern"),
            ("cursor", "pattern"),
            ("pageSize", "minimum")
        ]),
        "{p}"
    );
}

/// A body that reads as its type but breaks a rule only the schema states (a `pattern`, a
/// `minLength`), refused by the use case for a rule of its own: the schema's problems are
/// named beside the use case's, a 400 (before: a 422 naming only the use case's `/bsn`).
/// Through `Json<T>` (the briefing) and `Ruw::lees` (a person).
async fn schema_naast_weigering_van_use_case(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let nood = app.token(POLITIE, &["noodhulp"]);
    let p = post(
        &app,
        "/api/v1/briefings/_zoek",
        &nood,
        &json!({"bsn": "111222333", "postcode": "x"}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["111222333"]),
        set(&[("/bsn", "een-van"), ("/postcode", "pattern")]),
        "{p}"
    );
    let p = post(
        &app,
        "/api/v1/briefings/_zoek",
        &nood,
        &json!({"bsn": "12", "voornamen": ""}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["12"]),
        set(&[
            ("/bsn", "een-van"),
            ("/bsn", "pattern"),
            ("/voornamen", "minLength"),
        ]),
        "{p}"
    );
    let t = app.token(POLITIE, &["wijkagent"]);
    let voor = app.tel("SELECT count(*) AS n FROM personen");
    let p = post(
        &app,
        "/api/v1/personen",
        &t,
        &json!({"voornamen": "A", "achternaam": "B", "geboortedatum": "3000-01-01",
                "adres": {"straat": "Spui", "huisnummer": "70", "postcode": "x", "gemeente": "0518"}}),
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["3000-01-01"]),
        set(&[
            ("/geboortedatum", "toekomst"),
            ("/adres/postcode", "pattern")
        ]),
        "{p}"
    );
    // Only the use case's rule broken: a 422 as before.
    let p = post(
        &app,
        "/api/v1/briefings/_zoek",
        &nood,
        &json!({"bsn": "111222333", "postcode": "2511BT"}),
        422,
    )
    .await;
    assert_eq!(toon(&p, &["111222333"]), set(&[("/bsn", "een-van")]), "{p}");
    assert_eq!(app.tel("SELECT count(*) AS n FROM personen"), voor);
}

/// Editing a concept: the body's unknown municipality (422, `gemeentecode-onbekend`) is
/// answered before a stale `If-Match` (the order of STAP_VOOR_REDEN, RFC 9110 §13.2.1:
/// preconditions are for a request that would otherwise succeed); with a body that holds,
/// the stale version is the 412. Nothing changes either way.
async fn concept_wijzigen_inhoud_voor_voorwaarde(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let res = app
        .post(
            "/api/v1/zorgmeldingen",
            &agent,
            &crate::zorgmeldingen::melding(&["0518"]),
        )
        .await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    let versie = || {
        app.tel(&format!(
            "SELECT versie AS n FROM zorgmeldingen WHERE id = '{id}'"
        ))
    };
    let voor = versie();
    let put = |body: Value| {
        app.client
            .put(app.url(&format!("/api/v1/zorgmeldingen/{id}")))
            .bearer_auth(agent.clone())
            .header("If-Match", "\"999\"")
            .json(&body)
            .send()
    };
    let p = assert_problem(
        put(crate::zorgmeldingen::melding(&["9999"])).await.unwrap(),
        422,
    )
    .await;
    assert_eq!(
        namen(&p, &["9999"]),
        set(&[("/kinderen/0/gemeente", "gemeentecode-onbekend")]),
        "{p}"
    );
    assert_problem(
        put(crate::zorgmeldingen::melding(&["0518"])).await.unwrap(),
        412,
    )
    .await;
    assert_eq!(versie(), voor, "nothing written");
}

/// A key given twice, at any depth, is a 400 naming it (before: a 201, the last value
/// stored), beside every other problem; a key that does not look like a field name is
/// named by its object.
async fn dubbele_sleutel(db: Db) {
    let Some(app) = app(db).await else {
        return;
    };
    let t = app.token(POLITIE, &["wijkagent"]);
    let voor = app.tel("SELECT count(*) AS n FROM personen");
    let p = post_tekst(
        &app,
        "/api/v1/personen",
        &t,
        r#"{"voornamen": "Anna", "voornamen": "Bea", "achternaam": "de Vries", "geboortedatum": "2016-05-04"}"#,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["Anna", "Bea"]),
        set(&[("/voornamen", "dubbele-sleutel")]),
        "{p}"
    );
    assert!(
        p["type"].as_str().unwrap().ends_with("ongeldige-invoer"),
        "{p}"
    );
    // Beside a schema problem and a domain problem; three times is named once.
    let p = post_tekst(
        &app,
        "/api/v1/personen",
        &t,
        r#"{"voornamen": "A", "achternaam": "", "geboortedatum": "3000-01-01", "bsn": "111222333", "bsn": "123456782", "bsn": "111222333"}"#,
        400,
    )
    .await;
    assert_eq!(
        toon(&p, &["3000-01-01", "111222333", "123456782"]),
        set(&[
            ("/bsn", "dubbele-sleutel"),
            ("/achternaam", "minLength"),
            ("/geboortedatum", "toekomst"),
        ]),
        "{p}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM personen"), voor);
    // Nested, in a list; a key that is no name (a BSN typed as a key) by its object.
    let agent = app.token(POLITIE, &["wijkagent"]);
    let body = crate::zorgmeldingen::melding(&["9999"])
        .to_string()
        .replacen(
            r#""voornaam":"Kind0""#,
            r#""voornaam":"Kind0","voornaam":"Kees""#,
            1,
        )
        .replacen('{', r#"{"999990032": 1, "999990032": 2, "#, 1);
    assert!(body.contains(r#""voornaam":"Kees""#), "{body}");
    let p = post_tekst(&app, "/api/v1/zorgmeldingen", &agent, &body, 400).await;
    assert_eq!(
        toon(&p, &["999990032", "9999", "Kees"]),
        set(&[
            ("", "dubbele-sleutel"),
            ("", "unknown"),
            ("/kinderen/0/voornaam", "dubbele-sleutel"),
            ("/kinderen/0/gemeente", "gemeentecode-onbekend"),
        ]),
        "{p}"
    );
}

op_beide_backends!(
    zorgmelding_verkeerde_typen,
    zorgmelding_onbekend_veld_verbergt_niets,
    zorgmelding_nul_teken_met_de_rest,
    persoon_alle_problemen,
    incident_alle_problemen,
    convenant_partij_en_schema,
    contactpunt_alle_problemen,
    domeinregels_naast_schemafouten,
    lijst_query_alle_problemen,
    schema_naast_weigering_van_use_case,
    dubbele_sleutel,
    concept_wijzigen_inhoud_voor_voorwaarde,
);
