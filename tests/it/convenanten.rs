//! An agreement is a multi-party act (issue 11, point 1), over real HTTP on both
//! databases: one party cannot bring an agreement into force (the fault as filed: a
//! wijkteam outside the pilot naming itself, the police and the GI), nor withdraw one
//! alone; a party that leaves loses access at once as reader and as owner while the
//! others keep theirs; a changed concept voids its signatures; a stale hash is a 409 and a
//! signature by a role the agreement does not name a 403.

use crate::common;

use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

const POLITIE: &str = "politie-den-haag";
const GI: &str = "gi-jeugdbescherming-west";
const WIJKTEAM: &str = "wijkteam-den-haag-centrum";
/// A wijkteam outside the pilot.
const BUITEN: &str = "wijkteam-utrecht-oost";
const PLATFORM: &str = "ketenregie-platform";

const BSN_MOEDER: &str = "999990020";
const BSN_KIND: &str = "999990032";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn_with(db, "# referentiedata").await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.organisatie(WIJKTEAM, "wijkteam", &["0518"]).await;
    app.organisatie(BUITEN, "wijkteam", &["0344"]).await;
    Some(app)
}

fn regel(soort: &str, rol: &str, cats: Value) -> Value {
    json!({"organisatieSoort": soort, "rollen": [rol], "acties": ["lezen"], "categorieen": cats, "doel": "briefing",
           "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Convenant Zorg- en Veiligheidshuis art. 4", "omschrijving": "briefing"}})
}

/// The pilot: the police read the GI's family-law facts, the GI reads the police's
/// incidents, the wijkteam reads both.
fn pilot() -> Value {
    json!({
        "titel": "Pilot Haaglanden: briefing",
        "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": GI, "rol": "gi"},
                     {"organisatie": WIJKTEAM, "rol": "lokaal veld"}],
        "doelen": ["briefing"],
        "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening", "politiegegevens"],
        "regels": [
            regel("politie", "noodhulp", json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"])),
            regel("gecertificeerde-instelling", "gezinsvoogd", json!(["identificatie", "politiegegevens"])),
            regel("wijkteam", "wijkteammedewerker", json!(["identificatie", "gezag-en-omgang", "politiegegevens"]))
        ]
    })
}

async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{pad}: {v}");
    v
}

async fn persoon(app: &TestApp, token: &str, bsn: &str, voornamen: &str, geboren: &str) -> String {
    maak(app, "/api/v1/personen", token, json!({"bsn": bsn, "voornamen": voornamen, "achternaam": "de Boer", "geboortedatum": geboren,
        "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}}))
    .await["id"]
    .as_str()
    .unwrap()
    .to_string()
}

/// The GI holds the child's gezag (category gezag-en-omgang); the police hold one
/// incident about mother and child (politiegegevens).
async fn gezin(app: &TestApp) {
    let gi = app.token(GI, &["gezinsvoogd"]);
    let moeder = persoon(app, &gi, BSN_MOEDER, "Lisa", "1986-07-22").await;
    let kind = persoon(app, &gi, BSN_KIND, "Sem", "2016-05-04").await;
    maak(
        app,
        "/api/v1/gezinnen",
        &gi,
        json!({"kenmerk": "GI-1", "leden": [
        {"persoon": moeder, "relatie": "ouder"}, {"persoon": kind, "relatie": "kind"}]}),
    )
    .await;
    let gisteren = (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    maak(app, &format!("/api/v1/personen/{kind}/gezag"), &gi, json!({
        "vorm": "eenhoofdig", "houders": [moeder], "bron": "gezagsregister", "geverifieerdOp": gisteren}))
    .await;
    let politie = app.token(POLITIE, &["noodhulp"]);
    let p_moeder = persoon(app, &politie, BSN_MOEDER, "Lisa", "1986-07-22").await;
    let p_kind = persoon(app, &politie, BSN_KIND, "Sem", "2016-05-04").await;
    let tijd = (chrono::Utc::now() - chrono::Duration::days(12)).to_rfc3339();
    maak(app, "/api/v1/incidenten", &politie, json!({
        "tijdstip": tijd, "gemeente": "0518", "soort": "overdracht-kind-mislukt", "politieReferentie": "PL-1",
        "samenvatting": "Conflict bij de overdracht.",
        "betrokkenen": [{"persoon": p_moeder, "rol": "moeder"}, {"persoon": p_kind, "rol": "kind"}],
        "verklaringen": [{"afgelegdDoor": "moeder", "persoon": p_moeder, "tekst": "Hij kwam niet.", "afgelegdOp": tijd}],
        "wederhoor": {"status": "niet-bereikbaar", "op": tijd}}))
    .await;
}

/// What a briefing on the child shows `organisatie` with `rol`: (police incidents, gezag
/// entries).
async fn zicht(app: &TestApp, organisatie: &str, rol: &str) -> (i64, usize) {
    let token = app.token(organisatie, &[rol]);
    let res = app
        .post("/api/v1/briefings/_zoek", &token, &json!({"bsn": BSN_KIND}))
        .await;
    let status = res.status();
    let b: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{b}");
    (
        b["incidenten"]["totaal"].as_i64().unwrap_or(0),
        b["gezag"].as_array().map_or(0, Vec::len),
    )
}

async fn lees(app: &TestApp, id: &str, organisatie: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/convenanten/{id}"),
            &app.token(organisatie, &["functioneel-beheerder"]),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn status_van<'a>(c: &'a Value, organisatie: &str) -> &'a Value {
    &c["ondertekeningen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisatie"] == organisatie)
        .unwrap_or_else(|| panic!("{organisatie} in {c}"))["status"]
}

/// The fault as filed: the functional admin of a wijkteam outside the pilot creates an
/// agreement naming itself, the police and the GI with a briefing rule, and tries to
/// activate it. It stays a concept, and its briefing finds nothing.
async fn zelfmachtiging_blijft_concept(db: Db) {
    let Some(app) = app(db).await else { return };
    gezin(&app).await;
    let pilot = app.convenant_van_kracht(&pilot()).await;
    let claims = common::claims(BUITEN, &["functioneel-beheerder"]);
    let sub = claims.sub.clone();
    let beheer = common::rs256(&claims);
    let eigen = json!({
        "titel": "Wijkteam Utrecht Oost leest mee",
        "partijen": [{"organisatie": BUITEN, "rol": "lokaal veld"}, {"organisatie": POLITIE, "rol": "politie"},
                     {"organisatie": GI, "rol": "gi"}],
        "doelen": ["briefing"],
        "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening"],
        "regels": [regel("wijkteam", "wijkteammedewerker", json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening"]))]
    });
    // Parties must be registered; the creator must be one of them.
    let mut onbekend = eigen.clone();
    onbekend["partijen"][2]["organisatie"] = json!("gi-bestaat-niet");
    let body = assert_problem(
        app.post("/api/v1/convenanten", &beheer, &onbekend).await,
        422,
    )
    .await;
    assert_eq!(
        body["invalidParams"][0]["name"], "/partijen/2/organisatie",
        "{body}"
    );
    let mut zonder_zichzelf = eigen.clone();
    zonder_zichzelf["partijen"][0]["organisatie"] = json!(WIJKTEAM);
    assert_problem(
        app.post("/api/v1/convenanten", &beheer, &zonder_zichzelf)
            .await,
        403,
    )
    .await;

    let c = maak(&app, "/api/v1/convenanten", &beheer, eigen).await;
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["status"], "concept");
    let hash = c["inhoudHash"].as_str().unwrap().to_string();
    assert!(
        hash.starts_with("sha256:") && hash.len() == 7 + 64,
        "{hash}"
    );
    // Activating alone is no longer a route at all.
    assert_problem(
        app.post(
            &format!("/api/v1/convenanten/{id}/activeringen"),
            &beheer,
            &json!({}),
        )
        .await,
        404,
    )
    .await;
    // Its own signature: recorded by user id, not by name; the others stay open.
    let res = app
        .post(
            &format!("/api/v1/convenanten/{id}/ondertekeningen"),
            &beheer,
            &json!({"inhoudHash": hash}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let na: Value = res.json().await.unwrap();
    assert_eq!(na["status"], "concept", "{na}");
    assert_eq!(*status_van(&na, BUITEN), "ondertekend");
    assert_eq!(*status_van(&na, POLITIE), "open");
    assert_eq!(*status_van(&na, GI), "open");
    assert_eq!(na["ondertekeningen"][0]["ondertekendDoor"], sub.as_str());
    assert_eq!(na["ondertekeningen"][0]["rol"], "functioneel-beheerder");
    assert_eq!(na["ondertekeningen"][0]["inhoudHash"], hash.as_str());
    assert!(!na.to_string().contains("Test Gebruiker"), "no names: {na}");
    // Signing twice does not count twice.
    assert_problem(
        app.post(
            &format!("/api/v1/convenanten/{id}/ondertekeningen"),
            &beheer,
            &json!({"inhoudHash": hash}),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(lees(&app, &id, BUITEN).await["status"], "concept");
    // Its briefing on the child the police and the GI hold finds nothing.
    let medewerker = app.token(BUITEN, &["wijkteammedewerker"]);
    let b: Value = app
        .post(
            "/api/v1/briefings/_zoek",
            &medewerker,
            &json!({"bsn": BSN_KIND}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["gevonden"], false, "{b}");
    assert_eq!(b["incidenten"]["totaal"], 0);
    // The police and the GI see the concept and its open signatures.
    assert_eq!(
        *status_van(&lees(&app, &id, POLITIE).await, POLITIE),
        "open"
    );
    // The pilot does not exist for the outsider: reading or withdrawing it is a 404, like
    // an unknown id, and leaves a refused row in the pilot's trail.
    let pid = pilot["id"].as_str().unwrap();
    for res in [
        app.get(&format!("/api/v1/convenanten/{pid}"), &beheer)
            .await,
        app.post(
            &format!("/api/v1/convenanten/{pid}/intrekkingen"),
            &beheer,
            &json!({"reden": "x"}),
        )
        .await,
        app.post(
            &format!("/api/v1/convenanten/{pid}/uittredingen"),
            &beheer,
            &json!({"reden": "x"}),
        )
        .await,
    ] {
        assert_problem(res, 404).await;
    }
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{pid}' AND organisatie = '{BUITEN}' AND resultaat = 403"
        )),
        3
    );
    assert_eq!(lees(&app, pid, POLITIE).await["status"], "actief");
    assert_eq!(zicht(&app, POLITIE, "noodhulp").await, (1, 1));
}

/// One party's withdrawal is a request; the others keep their access. The platform admin
/// withdraws at once.
async fn een_partij_trekt_niet_alleen_in(db: Db) {
    let Some(app) = app(db).await else { return };
    gezin(&app).await;
    let c = app.convenant_van_kracht(&pilot()).await;
    let id = c["id"].as_str().unwrap().to_string();
    let pad = format!("/api/v1/convenanten/{id}/intrekkingen");
    assert_eq!(zicht(&app, POLITIE, "noodhulp").await, (1, 1));
    let gi = app.token(GI, &["functioneel-beheerder"]);
    let res = app.post(&pad, &gi, &json!({"reden": "wij stoppen"})).await;
    assert_eq!(res.status(), 200);
    let na: Value = res.json().await.unwrap();
    assert_eq!(na["status"], "actief", "{na}");
    assert_eq!(na["intrekkingsverzoeken"][0]["organisatie"], GI);
    assert_eq!(na["intrekkingsverzoeken"][0]["reden"], "wij stoppen");
    assert_eq!(
        zicht(&app, POLITIE, "noodhulp").await,
        (1, 1),
        "the others keep their access"
    );
    assert_problem(
        app.post(&pad, &gi, &json!({"reden": "nogmaals"})).await,
        409,
    )
    .await;
    // A role the agreement does not name as signatory cannot even ask.
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    assert_problem(app.post(&pad, &noodhulp, &json!({"reden": "x"})).await, 403).await;
    // The platform admin's withdrawal takes effect on the next request.
    let platform = app.token(PLATFORM, &["platformbeheerder"]);
    let res = app
        .post(&pad, &platform, &json!({"reden": "pilot beëindigd"}))
        .await;
    assert_eq!(res.status(), 200);
    let weg: Value = res.json().await.unwrap();
    assert_eq!(weg["status"], "ingetrokken");
    assert_eq!(weg["intrekkingsreden"], "pilot beëindigd");
    assert_eq!(
        zicht(&app, POLITIE, "noodhulp").await,
        (1, 0),
        "own incident only"
    );
    assert_problem(app.post(&pad, &platform, &json!({"reden": "x"})).await, 409).await;
}

/// Every act on a version honours `If-Match` as a change does (README "Preconditions"): a
/// tag naming another revision is a 412 that changes nothing; the current one goes through
/// and the answer's `ETag` is the next revision.
async fn handelingen_volgen_if_match(db: Db) {
    let Some(app) = app(db).await else { return };
    let c = app.convenant_van_kracht(&pilot()).await;
    let id = c["id"].as_str().unwrap().to_string();
    let gi = app.token(GI, &["functioneel-beheerder"]);
    let wijkteam = app.token(WIJKTEAM, &["functioneel-beheerder"]);
    let post_met = |pad: String, token: String, tag: String, body: Value| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&pad))
                .bearer_auth(token)
                .header("If-Match", tag)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let etag = |res: &reqwest::Response| res.headers()["etag"].to_str().unwrap().to_string();
    let huidig = etag(&app.get(&format!("/api/v1/convenanten/{id}"), &gi).await);
    let oud = "\"999\"".to_string();
    // A withdrawal request and a leave on a stale view: refused, nothing recorded.
    let intrekken = format!("/api/v1/convenanten/{id}/intrekkingen");
    let uittreden = format!("/api/v1/convenanten/{id}/uittredingen");
    let r = post_met(
        intrekken.clone(),
        gi.clone(),
        oud.clone(),
        json!({"reden": "x"}),
    )
    .await;
    assert_problem(r, 412).await;
    let r = post_met(
        uittreden.clone(),
        wijkteam.clone(),
        oud.clone(),
        json!({"reden": "x"}),
    )
    .await;
    assert_problem(r, 412).await;
    let na: Value = app
        .get(&format!("/api/v1/convenanten/{id}"), &gi)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(na["intrekkingsverzoeken"], json!([]), "{na}");
    assert_eq!(na["partijen"].as_array().unwrap().len(), 3, "{na}");
    assert_eq!(
        etag(&app.get(&format!("/api/v1/convenanten/{id}"), &gi).await),
        huidig
    );
    // On the current revision the request goes through and raises it.
    let r = post_met(
        intrekken,
        gi.clone(),
        huidig.clone(),
        json!({"reden": "wij stoppen"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let volgend = etag(&r);
    assert_ne!(volgend, huidig);
    // The old tag is now stale for the leave as well.
    let r = post_met(
        uittreden.clone(),
        wijkteam.clone(),
        huidig,
        json!({"reden": "x"}),
    )
    .await;
    assert_problem(r, 412).await;
    let r = post_met(
        uittreden,
        wijkteam,
        volgend,
        json!({"reden": "pilot voorbij"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    // A signature on a stale view of a concept: refused, the concept stays unsigned.
    let politie = app.token(POLITIE, &["functioneel-beheerder"]);
    let concept: Value = app
        .post("/api/v1/convenanten", &politie, &pilot())
        .await
        .json()
        .await
        .unwrap();
    let cid = concept["id"].as_str().unwrap().to_string();
    let teken = format!("/api/v1/convenanten/{cid}/ondertekeningen");
    let hash = json!({"inhoudHash": concept["inhoudHash"]});
    let r = post_met(teken.clone(), politie.clone(), oud, hash.clone()).await;
    assert_problem(r, 412).await;
    let gelezen = app
        .get(&format!("/api/v1/convenanten/{cid}"), &politie)
        .await;
    let tag = etag(&gelezen);
    let gelezen: Value = gelezen.json().await.unwrap();
    assert!(
        gelezen["ondertekeningen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["status"] != "ondertekend"),
        "{gelezen}"
    );
    let r = post_met(teken, politie, tag, hash).await;
    assert_eq!(r.status(), 200);
}

/// A party that leaves loses access at once, as reader and as owner; the others keep
/// theirs. The remaining parties together withdraw the rest.
async fn uittreden_werkt_direct(db: Db) {
    let Some(app) = app(db).await else { return };
    gezin(&app).await;
    let c = app.convenant_van_kracht(&pilot()).await;
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(zicht(&app, POLITIE, "noodhulp").await, (1, 1));
    assert_eq!(zicht(&app, GI, "gezinsvoogd").await, (1, 1));
    assert_eq!(zicht(&app, WIJKTEAM, "wijkteammedewerker").await, (1, 1));

    // Only a signatory role acts for the party.
    let pad = format!("/api/v1/convenanten/{id}/uittredingen");
    let voogd = app.token(GI, &["gezinsvoogd"]);
    assert_problem(app.post(&pad, &voogd, &json!({"reden": "x"})).await, 403).await;
    assert_problem(
        app.post(&pad, &app.token(GI, &["privacyfunctionaris"]), &json!({}))
            .await,
        400,
    )
    .await;
    let claims = common::claims(GI, &["privacyfunctionaris"]);
    let fg_sub = claims.sub.clone();
    let fg = common::rs256(&claims);
    let res = app
        .post(&pad, &fg, &json!({"reden": "geen deelname meer"}))
        .await;
    assert_eq!(res.status(), 200);
    let na: Value = res.json().await.unwrap();
    assert_eq!(na["status"], "actief");
    assert_eq!(na["uittredingen"][0]["organisatie"], GI);
    assert_eq!(na["uittredingen"][0]["door"], fg_sub.as_str());

    // As owner: the police no longer see the GI's gezag. As reader: the GI no longer sees
    // the police's incident. Each still sees its own; the wijkteam keeps the police's.
    assert_eq!(zicht(&app, POLITIE, "noodhulp").await, (1, 0));
    assert_eq!(zicht(&app, GI, "gezinsvoogd").await, (0, 1));
    assert_eq!(zicht(&app, WIJKTEAM, "wijkteammedewerker").await, (1, 0));
    // The decision still cites the agreement and its version.
    assert!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE convenant_id = '{id}' AND convenant_versie = 1"
        )) > 0
    );
    // A party that left acts no more (UITTREDEN, 403, audited): it does not leave again,
    // nor decide on the withdrawal; the two remaining do.
    assert_problem(app.post(&pad, &fg, &json!({"reden": "x"})).await, 403).await;
    let intrekken = format!("/api/v1/convenanten/{id}/intrekkingen");
    assert_problem(app.post(&intrekken, &fg, &json!({"reden": "x"})).await, 403).await;
    let politie = app.token(POLITIE, &["functioneel-beheerder"]);
    let res = app
        .post(&intrekken, &politie, &json!({"reden": "einde pilot"}))
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "actief");
    let wijkteam = app.token(WIJKTEAM, &["privacyfunctionaris"]);
    let res = app
        .post(&intrekken, &wijkteam, &json!({"reden": "einde pilot"}))
        .await;
    let weg: Value = res.json().await.unwrap();
    assert_eq!(weg["status"], "ingetrokken", "{weg}");
    assert_eq!(zicht(&app, WIJKTEAM, "wijkteammedewerker").await, (0, 0));

    // Every act is in the agreement's trail, readable by any party's admin.
    let trail: Value = app
        .get(
            &format!("/api/v1/convenanten/{id}/audittrail?pageSize=100"),
            &app.token(GI, &["functioneel-beheerder"]),
        )
        .await
        .json()
        .await
        .unwrap();
    let acties: Vec<(&str, i64)> = trail["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["actie"].as_str().unwrap(),
                r["resultaat"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        acties,
        vec![
            ("aanmaken", 201),
            ("ondertekenen", 200),
            ("ondertekenen", 200),
            ("ondertekenen", 200),
            ("activeren", 200),
            ("uittreden", 403),
            ("uittreden", 200),
            ("uittreden", 403),
            ("intrekken", 403),
            ("intrekkingsverzoek", 200),
            ("intrekkingsverzoek", 200),
            ("intrekken", 200),
        ],
        "{trail}"
    );
}

/// A change to a concept voids its signatures; a stale hash is a 409 naming the current
/// one, and recorded; a role
/// the agreement does not name signs nothing (403). A new version needs every signature
/// again while the old one stays in force; a concept is discarded by any party.
async fn ondertekenen_volgt_de_inhoud(db: Db) {
    let Some(app) = app(db).await else { return };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let c = maak(&app, "/api/v1/convenanten", &beheer, pilot()).await;
    let id = c["id"].as_str().unwrap().to_string();
    let teken = format!("/api/v1/convenanten/{id}/ondertekeningen");
    let oude_hash = c["inhoudHash"].as_str().unwrap().to_string();
    let gi = app.token(GI, &["functioneel-beheerder"]);
    assert_eq!(
        app.post(&teken, &gi, &json!({"inhoudHash": oude_hash}))
            .await
            .status(),
        200
    );
    assert_problem(app.post(&teken, &gi, &json!({})).await, 400).await;

    // The police change the concept: the GI's signature is void.
    let mut gewijzigd = pilot();
    gewijzigd["titel"] = json!("Pilot Haaglanden: briefing (herzien)");
    gewijzigd["partijen"][1]["ondertekenaars"] = json!(["privacyfunctionaris"]);
    let res = app
        .put(&format!("/api/v1/convenanten/{id}"), &beheer, &gewijzigd)
        .await;
    assert_eq!(res.status(), 200);
    let nieuw: Value = res.json().await.unwrap();
    let hash = nieuw["inhoudHash"].as_str().unwrap().to_string();
    assert_ne!(hash, oude_hash);
    assert!(
        nieuw["ondertekeningen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["status"] == "open"),
        "{nieuw}"
    );
    // Signing what one read before the change: 409, naming the current hash but not
    // repeating the one sent (a problem never echoes a value sent), and recorded in the
    // agreement's audit trail as a refused attempt with its status.
    let fg = app.token(GI, &["privacyfunctionaris"]);
    let body = assert_problem(
        app.post(&teken, &fg, &json!({"inhoudHash": oude_hash}))
            .await,
        409,
    )
    .await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains(&hash) && !detail.contains(&oude_hash),
        "{detail}"
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND actie = 'ondertekenen' AND resultaat = 409"
        )),
        1
    );
    // The agreement now names only the GI's privacy officer as its signatory.
    assert_problem(
        app.post(&teken, &gi, &json!({"inhoudHash": hash})).await,
        403,
    )
    .await;
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND actie = 'ondertekenen' AND resultaat = 403"
        )),
        1
    );
    let voogd = app.token(GI, &["gezinsvoogd"]);
    assert_problem(
        app.post(&teken, &voogd, &json!({"inhoudHash": hash})).await,
        403,
    )
    .await;
    for (org, token) in [
        (GI, fg.clone()),
        (POLITIE, beheer.clone()),
        (WIJKTEAM, app.token(WIJKTEAM, &["functioneel-beheerder"])),
    ] {
        let res = app.post(&teken, &token, &json!({"inhoudHash": hash})).await;
        assert_eq!(res.status(), 200, "{org}");
    }
    let v1 = lees(&app, &id, POLITIE).await;
    assert_eq!(v1["status"], "actief");
    let laatste = v1["ondertekeningen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["ondertekendOp"].as_str().unwrap().to_string())
        .max()
        .unwrap();
    let geactiveerd = v1["geactiveerdOp"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(geactiveerd).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&laatste).unwrap(),
        "activation time is the last signature"
    );
    // An active version is never edited, and never signed again.
    assert_problem(
        app.put(&format!("/api/v1/convenanten/{id}"), &beheer, &gewijzigd)
            .await,
        409,
    )
    .await;

    // A new version cannot drop a party: a party leaves only by its own act.
    let versies = format!("/api/v1/convenanten/{id}/versies");
    let mut zonder = gewijzigd.clone();
    zonder["partijen"] = json!([{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": GI, "rol": "gi", "ondertekenaars": ["privacyfunctionaris"]}]);
    let body = assert_problem(app.post(&versies, &beheer, &zonder).await, 422).await;
    assert_eq!(body["invalidParams"][0]["name"], "/partijen", "{body}");
    // A new version needs every signature; the old one stays in force meanwhile.
    let mut v2 = gewijzigd.clone();
    v2["titel"] = json!("Pilot Haaglanden: briefing v2");
    let nieuw = maak(&app, &versies, &beheer, v2).await;
    let id2 = nieuw["id"].as_str().unwrap().to_string();
    let hash2 = nieuw["inhoudHash"].as_str().unwrap().to_string();
    let teken2 = format!("/api/v1/convenanten/{id2}/ondertekeningen");
    for token in [&beheer, &fg] {
        assert_eq!(
            app.post(&teken2, token, &json!({"inhoudHash": hash2}))
                .await
                .status(),
            200
        );
    }
    assert_eq!(lees(&app, &id2, POLITIE).await["status"], "concept");
    assert_eq!(lees(&app, &id, POLITIE).await["status"], "actief");
    let res = app
        .post(
            &teken2,
            &app.token(WIJKTEAM, &["privacyfunctionaris"]),
            &json!({"inhoudHash": hash2}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "actief");
    let oud = lees(&app, &id, POLITIE).await;
    assert_eq!(oud["status"], "ingetrokken");
    assert_eq!(oud["intrekkingsreden"], "vervangen door versie 2");

    // A concept grants nothing: any party's signatory discards it at once.
    let v3 = maak(
        &app,
        &format!("/api/v1/convenanten/{id2}/versies"),
        &beheer,
        gewijzigd,
    )
    .await;
    let res = app
        .post(
            &format!(
                "/api/v1/convenanten/{}/intrekkingen",
                v3["id"].as_str().unwrap()
            ),
            &app.token(WIJKTEAM, &["functioneel-beheerder"]),
            &json!({"reden": "niet nodig"}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "ingetrokken");
    assert_eq!(lees(&app, &id2, POLITIE).await["status"], "actief");
}

/// The legal basis is a citation of at most 200 characters (`GRONDSLAG_CODE_MAX`): it is
/// copied into every processing-log row the rule allows, so a 200,000-character "code"
/// (the hostile review of h18) multiplied every read's log by that much. One character
/// over is refused by the request's schema check (400, naming the field and `maxLength`);
/// exactly 200 is accepted.
async fn grondslag_is_een_korte_verwijzing(db: Db) {
    let Some(app) = app(db).await else { return };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let mut te_lang = pilot();
    // The schema's `maxLength` is written out in `Grondslag`'s attribute (utoipa takes no
    // constant there: juhaku/utoipa#1322); this test ties it to the constant.
    let max = ketenregie_privacy::convenant::GRONDSLAG_CODE_MAX;
    te_lang["regels"][0]["grondslag"]["code"] = json!("W".repeat(max + 1));
    let body = assert_problem(
        app.post("/api/v1/convenanten", &beheer, &te_lang).await,
        400,
    )
    .await;
    let fout = &body["invalidParams"][0];
    assert!(
        fout["name"].as_str().unwrap().contains("grondslag"),
        "{body}"
    );
    assert_eq!(fout["code"], "maxLength", "{body}");
    let mut precies = pilot();
    precies["regels"][0]["grondslag"]["code"] = json!("W".repeat(max));
    maak(&app, "/api/v1/convenanten", &beheer, precies).await;
}

/// No list in an agreement names an element twice (`regelcode::DUBBEL`, at the repeat's
/// own index): a role twice in a rule, two retention terms for one category and two terms
/// for one feedback moment are all named in one 422, and nothing is written.
async fn niets_twee_keer_in_een_convenant(db: Db) {
    let Some(app) = app(db).await else { return };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let mut dubbel = pilot();
    dubbel["regels"][0]["rollen"] = json!(["noodhulp", "noodhulp"]);
    dubbel["categorieen"] = json!([
        "identificatie",
        "gezinssituatie",
        "gezag-en-omgang",
        "hulpverlening",
        "politiegegevens",
        "identificatie"
    ]);
    dubbel["bewaartermijnen"] = json!([
        {"categorie": "identificatie", "termijnDagen": 30},
        {"categorie": "identificatie", "termijnDagen": 300}
    ]);
    dubbel["terugkoppelplichten"] = json!([
        {"moment": "ontvangstbevestiging", "binnenWerkdagen": 1},
        {"moment": "ontvangstbevestiging", "binnenWerkdagen": 3}
    ]);
    let voor = app.tel("SELECT count(*) AS n FROM convenanten");
    let body = assert_problem(app.post("/api/v1/convenanten", &beheer, &dubbel).await, 422).await;
    let mut namen: Vec<(String, String)> = body["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    namen.sort();
    let verwacht: Vec<(String, String)> = [
        "/bewaartermijnen/1",
        "/categorieen/5",
        "/regels/0/rollen/1",
        "/terugkoppelplichten/1",
    ]
    .iter()
    .map(|n| (n.to_string(), "dubbel".to_string()))
    .collect();
    assert_eq!(namen, verwacht, "{body}");
    assert_eq!(app.tel("SELECT count(*) AS n FROM convenanten"), voor);
}

/// `UITTREDEN` ends a party's part in the whole series (the outside test of 1 Dec 2026: a
/// wijkteam that left v1 still changed the others' concept v2, voiding their signatures,
/// discarded it, made a new version, and — having signed v2 before it left — signed
/// itself back in: v2 became active and v1 was withdrawn as "vervangen door versie 2").
/// Every act of the leaver on every version of the series is now a 403 naming the rule,
/// audited, nothing written; a concept that still names it is signed by nobody; no new
/// content names it again; the others go on without it.
async fn uittreden_geldt_voor_de_hele_reeks(db: Db) {
    let Some(app) = app(db).await else { return };
    let c = app.convenant_van_kracht(&pilot()).await;
    let id = c["id"].as_str().unwrap().to_string();
    let politie = app.token(POLITIE, &["functioneel-beheerder"]);
    let gi = app.token(GI, &["functioneel-beheerder"]);
    let wijkteam = app.token(WIJKTEAM, &["functioneel-beheerder"]);
    // The police draft v2 while the wijkteam is still a party; the wijkteam and the GI
    // sign it.
    let mut v2 = pilot();
    v2["titel"] = json!("Pilot Haaglanden: briefing v2");
    let nieuw = maak(
        &app,
        &format!("/api/v1/convenanten/{id}/versies"),
        &politie,
        v2.clone(),
    )
    .await;
    let id2 = nieuw["id"].as_str().unwrap().to_string();
    let hash2 = nieuw["inhoudHash"].as_str().unwrap().to_string();
    let teken2 = format!("/api/v1/convenanten/{id2}/ondertekeningen");
    for token in [&wijkteam, &gi] {
        assert_eq!(
            app.post(&teken2, token, &json!({"inhoudHash": hash2}))
                .await
                .status(),
            200
        );
    }
    // The wijkteam leaves v1: its signature on v2 lapses with it.
    let res = app
        .post(
            &format!("/api/v1/convenanten/{id}/uittredingen"),
            &wijkteam,
            &json!({"reden": "geen deelname meer"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        status_van(&lees(&app, &id2, POLITIE).await, WIJKTEAM),
        "open"
    );
    assert_eq!(
        status_van(&lees(&app, &id2, POLITIE).await, GI),
        "ondertekend"
    );

    let tabellen = [
        "convenanten",
        "convenant_partijen",
        "convenant_ondertekeningen",
        "convenant_uittredingen",
        "convenant_intrekkingsverzoeken",
    ];
    let stand =
        || {
            let mut s: Vec<i64> = tabellen
                .iter()
                .map(|t| app.tel(&format!("SELECT count(*) AS n FROM {t}")))
                .collect();
            s.push(app.tel(
                "SELECT count(*) AS n FROM convenant_ondertekeningen WHERE vervallen_op IS NULL",
            ));
            s.push(app.tel("SELECT count(*) AS n FROM convenanten WHERE status = 'actief'"));
            s
        };
    let weigeringen = || {
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id IN ('{id}', '{id2}') AND resultaat = 403"
        ))
    };
    let voor = stand();
    let geweigerd_voor = weigeringen();
    // Every act of the leaver, on the version it left and on the concept it was named in.
    let fg = app.token(WIJKTEAM, &["privacyfunctionaris"]);
    let pogingen = [
        (
            "POST",
            format!("/api/v1/convenanten/{id2}/ondertekeningen"),
            json!({"inhoudHash": hash2}),
        ),
        ("PUT", format!("/api/v1/convenanten/{id2}"), v2.clone()),
        (
            "POST",
            format!("/api/v1/convenanten/{id2}/intrekkingen"),
            json!({"reden": "weg ermee"}),
        ),
        (
            "POST",
            format!("/api/v1/convenanten/{id}/intrekkingen"),
            json!({"reden": "weg ermee"}),
        ),
        (
            "POST",
            format!("/api/v1/convenanten/{id}/versies"),
            v2.clone(),
        ),
        (
            "POST",
            format!("/api/v1/convenanten/{id2}/versies"),
            v2.clone(),
        ),
        (
            "POST",
            format!("/api/v1/convenanten/{id}/uittredingen"),
            json!({"reden": "nogmaals"}),
        ),
    ];
    for (methode, pad, body) in &pogingen {
        for token in [&wijkteam, &fg] {
            let res = if *methode == "PUT" {
                app.put(pad, token, body).await
            } else {
                app.post(pad, token, body).await
            };
            let p = assert_problem(res, 403).await;
            assert!(
                p["detail"].as_str().unwrap().contains("UITTREDEN"),
                "{methode} {pad}: {p}"
            );
        }
    }
    assert_eq!(voor, stand(), "nothing written");
    assert_eq!(
        weigeringen() - geweigerd_voor,
        2 * pogingen.len() as i64,
        "every refusal audited"
    );
    assert_eq!(lees(&app, &id2, POLITIE).await["status"], "concept");
    assert_eq!(lees(&app, &id, POLITIE).await["status"], "actief");

    // The others do not sign a concept that still names the leaver (409), and no new
    // content names it again (422 `uitgetreden`), however the party list was made.
    let p = assert_problem(
        app.post(&teken2, &politie, &json!({"inhoudHash": hash2}))
            .await,
        409,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains(WIJKTEAM), "{p}");
    let p = assert_problem(
        app.put(&format!("/api/v1/convenanten/{id2}"), &politie, &v2)
            .await,
        422,
    )
    .await;
    assert_eq!(p["invalidParams"][0]["code"], "uitgetreden", "{p}");
    assert_eq!(voor, stand(), "nothing written");

    // Without the leaver the others go on: v2 changed, signed by both, replaces v1.
    let mut zonder = v2.clone();
    zonder["partijen"] =
        json!([{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": GI, "rol": "gi"}]);
    let res = app
        .put(&format!("/api/v1/convenanten/{id2}"), &politie, &zonder)
        .await;
    assert_eq!(res.status(), 200);
    let gewijzigd: Value = res.json().await.unwrap();
    let actief = app.onderteken_door_alle_partijen(&gewijzigd).await;
    assert_eq!(actief["status"], "actief");
    let oud = lees(&app, &id, POLITIE).await;
    assert_eq!(oud["status"], "ingetrokken");
    assert_eq!(oud["intrekkingsreden"], "vervangen door versie 2");
    // The leaver no longer sees v2 (no party to it), still reads v1 (named there).
    assert_problem(
        app.get(&format!("/api/v1/convenanten/{id2}"), &wijkteam)
            .await,
        404,
    )
    .await;
    assert_eq!(lees(&app, &id, WIJKTEAM).await["status"], "ingetrokken");
    // A v3 that copies v1's party list is refused: the leaver is not carried back in.
    let voor = stand();
    let p = assert_problem(
        app.post(&format!("/api/v1/convenanten/{id2}/versies"), &gi, &pilot())
            .await,
        422,
    )
    .await;
    assert_eq!(p["invalidParams"][0]["code"], "uitgetreden", "{p}");
    assert!(
        p["invalidParams"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("/partijen/2"),
        "{p}"
    );
    assert_eq!(voor, stand());
}

/// OM_PER_VERZOEK_MET_REDEN (outside tester's finding; DOMAIN.md §4: OM access is per
/// request with a stated reason, never a blanket grant). An agreement whose OM rule has
/// `redenVerplicht: false` is refused (422 at `/regels/0/redenVerplicht`, nothing
/// written); one already active with such a rule (stored before the rule) grants the
/// officier no read without `X-Audit-Toelichting` (the REDEN_VERPLICHT refusal, problem
/// type toelichting-vereist), with break-glass asked neither; with a reason, 200.
async fn om_nooit_zonder_reden(db: Db) {
    let Some(app) = app(db).await else { return };
    const OM: &str = "om-parket-den-haag";
    app.organisatie(OM, "om", &[]).await;
    let om_regel = |reden: bool| {
        json!({"organisatieSoort": "om", "rollen": ["officier-van-justitie"], "acties": ["lezen"],
               "categorieen": ["identificatie", "gezag-en-omgang", "politiegegevens"], "doel": "strafrechtelijke-beoordeling",
               "redenVerplicht": reden, "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Wjsg art. 39f", "omschrijving": "per zaak"}})
    };
    let body = |reden: bool| {
        json!({
            "titel": "OM voor gezien",
            "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": OM, "rol": "om (voor gezien)"}],
            "doelen": ["strafrechtelijke-beoordeling"],
            "categorieen": ["identificatie", "gezag-en-omgang", "politiegegevens"],
            "regels": [om_regel(reden)],
            "doorbraakrollen": [{"organisatieSoort": "om", "rol": "officier-van-justitie"}]
        })
    };
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let p = assert_problem(
        app.post("/api/v1/convenanten", &beheer, &body(false)).await,
        422,
    )
    .await;
    let fouten = p["invalidParams"].as_array().unwrap();
    assert_eq!(fouten.len(), 1, "{p}");
    assert_eq!(fouten[0]["name"], "/regels/0/redenVerplicht", "{p}");
    assert_eq!(fouten[0]["code"], "verplicht-bij", "{p}");
    assert!(
        fouten[0]["reason"]
            .as_str()
            .unwrap()
            .contains(ketenregie_privacy::convenant::OM_PER_VERZOEK_MET_REDEN),
        "{p}"
    );
    assert_eq!(app.tel("SELECT COUNT(*) AS n FROM convenanten"), 0);

    // An agreement active from before the rule: stored with `redenVerplicht: false`.
    let concept = maak(&app, "/api/v1/convenanten", &beheer, body(true)).await;
    app.onderteken_door_alle_partijen(&concept).await;
    app.sql(
        r#"UPDATE convenanten SET inhoud = REPLACE(inhoud, '"redenVerplicht":true', '"redenVerplicht":false')"#,
    );
    assert_eq!(
        app.tel(r#"SELECT COUNT(*) AS n FROM convenanten WHERE status = 'actief' AND inhoud LIKE '%"redenVerplicht":false%'"#),
        1
    );
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let moeder = maak(&app, "/api/v1/personen", &noodhulp, json!({"bsn": BSN_MOEDER, "voornamen": "Lisa", "achternaam": "Visser",
        "geboortedatum": "1986-07-22", "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}})).await;
    let moeder = moeder["id"].as_str().unwrap().to_string();
    let tijd = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    let incident = maak(&app, "/api/v1/incidenten", &noodhulp, json!({"tijdstip": tijd, "gemeente": "0518", "soort": "ruzie",
        "politieReferentie": "PL-OM-1", "samenvatting": "Ruzie (synthetisch).",
        "betrokkenen": [{"persoon": moeder, "rol": "moeder"}],
        "verklaringen": [{"afgelegdDoor": "moeder", "persoon": moeder, "tekst": "Het liep uit de hand.", "afgelegdOp": tijd}],
        "wederhoor": {"status": "niet-bereikbaar", "op": tijd}})).await;
    let pad = format!("/api/v1/incidenten/{}", incident["id"].as_str().unwrap());
    let officier = app.token(OM, &["officier-van-justitie"]);
    for doorbraak in [false, true] {
        let mut r = app.client.get(app.url(&pad)).bearer_auth(&officier);
        if doorbraak {
            r = r.header("X-Doorbraak", "true");
        }
        let p = assert_problem(r.send().await.unwrap(), 403).await;
        assert!(
            p["type"].as_str().unwrap().ends_with("toelichting-vereist"),
            "doorbraak {doorbraak}: {p}"
        );
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("X-Audit-Toelichting"),
            "{p}"
        );
    }
    let res = app
        .client
        .get(app.url(&pad))
        .bearer_auth(&officier)
        .header("X-Audit-Toelichting", "aangifte 09/123456-26")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

op_beide_backends!(
    niets_twee_keer_in_een_convenant,
    om_nooit_zonder_reden,
    uittreden_geldt_voor_de_hele_reeks,
    grondslag_is_een_korte_verwijzing,
    zelfmachtiging_blijft_concept,
    een_partij_trekt_niet_alleen_in,
    handelingen_volgen_if_match,
    uittreden_werkt_direct,
    ondertekenen_volgt_de_inhoud,
);
