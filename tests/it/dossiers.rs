//! The case registry and the briefing (issue 4), over real HTTP on both databases: a
//! family with two parents and two children registered by the gecertificeerde instelling,
//! the police's own records and five incidents with both sides' statements, court
//! decisions with and without sterke arm, an OTS and a huisverbod, two involved
//! organisations; then the briefing as a noodhulp officer, as the OM without and with a
//! reason, and as an organisation outside the agreement — checking exactly what each sees.

use crate::common;

use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

const BSN_VADER: &str = "123456708";
const BSN_MOEDER: &str = "123456721";
const BSN_KIND1: &str = "123456733";
const BSN_KIND2: &str = "123456745";

const GI: &str = "gi-jeugdbescherming-west";
const POLITIE: &str = "politie-den-haag";
const VT: &str = "vt-haaglanden";
const OM: &str = "om-parket-den-haag";
const BUITEN: &str = "wijkteam-elders";

async fn app(db: Db) -> Option<TestApp> {
    // With the municipalities loaded, so unknown codes are refused.
    let app = common::spawn_with(db, "# referentiedata").await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    app.organisatie(OM, "om", &[]).await;
    app.organisatie(BUITEN, "wijkteam", &["0363"]).await;
    // The GI's 24/7 line in the contact directory.
    let beheer = app.token(GI, &["functioneel-beheerder"]);
    let gi: Value = app
        .get(&format!("/api/v1/organisaties?code={GI}"), &beheer)
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            &format!("/api/v1/organisaties/{}/contactpunten", gi["results"][0]["id"].as_str().unwrap()),
            &beheer,
            &json!({"rol": "spoed", "naam": "Piketdienst GI", "telefoon": "088 111 2222", "altijdBereikbaar": true}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let regel = |soort: &str, rol: &str, doel: &str, cats: Value, reden: bool| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": ["lezen"], "categorieen": cats, "doel": doel,
               "redenVerplicht": reden, "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Convenant Zorg- en Veiligheidshuis art. 4", "omschrijving": "briefing"}})
    };
    // COORDINATIE_CONVENANT: who may register involvement (the Verwijsindex rule).
    let coordinatie = |soort: &str, rol: &str| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": ["aanmaken", "lezen"], "categorieen": ["hulpverlening"],
               "doel": "coordinatie", "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Jeugdwet art. 7.1.4.1", "omschrijving": "verwijsindex"}})
    };
    app.convenant_van_kracht(&json!({
                "titel": "Pilot Haaglanden: briefing en ketensamenwerking",
                "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": GI, "rol": "gi"},
                             {"organisatie": VT, "rol": "vt"}, {"organisatie": OM, "rol": "om (voor gezien)"}],
                "doelen": ["briefing", "strafrechtelijke-beoordeling", "coordinatie"],
                "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening", "politiegegevens"],
                "regels": [
                    regel("politie", "noodhulp", "briefing", json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"]), false),
                    regel("om", "officier-van-justitie", "strafrechtelijke-beoordeling", json!(["identificatie", "gezag-en-omgang", "politiegegevens"]), true),
                    coordinatie("gecertificeerde-instelling", "gezinsvoogd"),
                    coordinatie("veilig-thuis", "triagist")
                ]
            })).await;
    Some(app)
}

async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{pad}: {v}");
    v
}

async fn persoon(
    app: &TestApp,
    token: &str,
    bsn: &str,
    voornamen: &str,
    achternaam: &str,
    geboren: &str,
) -> String {
    maak(
        app,
        "/api/v1/personen",
        token,
        json!({"bsn": bsn, "voornamen": voornamen, "achternaam": achternaam, "geboortedatum": geboren,
               "adres": {"straat": "Laan van Meerdervoort", "huisnummer": "12", "postcode": "2517 AB", "gemeente": "0518"}}),
    )
    .await["id"]
    .as_str()
    .unwrap()
    .to_string()
}

struct Gezin {
    kind1_gi: String,
    kind2_gi: String,
}

/// The family as the GI, the police and VT record it.
async fn bouw_gezin(app: &TestApp) -> Gezin {
    let gi = app.token(GI, &["gezinsvoogd"]);
    let vader = persoon(app, &gi, BSN_VADER, "Mark", "de Boer", "1984-02-10").await;
    let moeder = persoon(app, &gi, BSN_MOEDER, "Lisa", "Visser", "1986-07-22").await;
    let kind1 = persoon(app, &gi, BSN_KIND1, "Sem", "de Boer", "2016-05-04").await;
    let kind2 = persoon(app, &gi, BSN_KIND2, "Noor", "de Boer", "2019-09-30").await;
    let gezin = maak(
        app,
        "/api/v1/gezinnen",
        &gi,
        json!({"kenmerk": "GI-2026-0412", "leden": [
            {"persoon": vader, "relatie": "ouder"}, {"persoon": moeder, "relatie": "ouder"},
            {"persoon": kind1, "relatie": "kind"}, {"persoon": kind2, "relatie": "kind"}]}),
    )
    .await;
    let gid = gezin["id"].as_str().unwrap().to_string();
    assert_eq!(gezin["leden"].as_array().unwrap().len(), 4);
    let vandaag = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now());
    let d = |dagen: i64| (vandaag + chrono::Duration::days(dagen)).to_string();
    // Omgang with sterke arm; a gezag decision without; an OTS; a huisverbod against the father.
    let omgang = maak(app, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/650001", "datum": d(-200), "soort": "omgang",
        "van": d(-200), "uitvoerbaarBijVoorraad": true, "sterkeArm": true,
        "sterkeArmTekst": "machtigt de deurwaarder zo nodig met behulp van de sterke arm", "kinderen": [kind1, kind2]})).await;
    assert_eq!(omgang["werking"], "in-werking");
    let gezagbesluit = maak(app, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/650002", "datum": d(-150), "soort": "gezag",
        "van": d(-150), "uitvoerbaarBijVoorraad": false, "sterkeArm": false, "kinderen": [kind1]})).await;
    maak(app, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "JE RK 26-1234", "datum": d(-30), "soort": "ots",
        "van": d(-30), "tot": d(300), "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind1, kind2]})).await;
    let huisverbod = maak(app, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), &gi, json!({
        "rechtbank": "Burgemeester van 's-Gravenhage", "zaaknummer": "HV-2026-88", "datum": d(-3), "soort": "huisverbod",
        "van": d(-3), "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind1, kind2]})).await;
    assert_eq!(
        huisverbod["tot"],
        d(7),
        "a huisverbod without an end runs 10 days"
    );
    // An expired voorlopige OTS: recorded, not in force.
    maak(app, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "JE RK 25-999", "datum": d(-400), "soort": "voorlopige-ots",
        "van": d(-400), "tot": d(-320), "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind2]})).await;
    maak(
        app,
        &format!("/api/v1/personen/{kind1}/gezag"),
        &gi,
        json!({
        "vorm": "eenhoofdig", "houders": [moeder], "bron": "beschikking",
        "beschikking": gezagbesluit["id"], "geverifieerdOp": d(-10)}),
    )
    .await;
    maak(app, &format!("/api/v1/personen/{kind2}/gezag"), &gi, json!({
        "vorm": "gezamenlijk", "houders": [vader, moeder], "bron": "gezagsregister", "geverifieerdOp": d(-10)})).await;
    maak(app, &format!("/api/v1/gezinnen/{gid}/regelingen"), &gi, json!({
        "soort": "omgangsregeling", "bron": "beschikking", "beschikking": omgang["id"],
        "samenvatting": "Om het weekend vr 17:00 tot zo 17:00 bij vader; overdracht op school", "van": d(-200)})).await;

    // The police's own records of the same people, and five incidents.
    let noodhulp = app.token(POLITIE, &["noodhulp", "wijkagent"]);
    let p_vader = persoon(app, &noodhulp, BSN_VADER, "Mark", "de Boer", "1984-02-10").await;
    let p_moeder = persoon(app, &noodhulp, BSN_MOEDER, "Lisa", "Visser", "1986-07-22").await;
    let p_kind1 = persoon(app, &noodhulp, BSN_KIND1, "Sem", "de Boer", "2016-05-04").await;
    let tijd = |dagen: i64| (chrono::Utc::now() - chrono::Duration::days(dagen)).to_rfc3339();
    let soorten = [
        ("overdracht-kind-mislukt", 20, true),
        ("ruzie", 60, false),
        ("bedreiging", 100, true),
        ("onttrekking-gezag", 200, true),
        ("ruzie", 500, false),
    ];
    for (n, (soort, dagen, beide)) in soorten.iter().enumerate() {
        // One moment for the incident and what was recorded about it: a statement or
        // hearing before the incident is refused (`NIET_VOOR_HET_INCIDENT`).
        let t = tijd(*dagen);
        let tijd = |_: i64| t.clone();
        let mut verklaringen = vec![
            json!({"afgelegdDoor": "moeder", "persoon": p_moeder, "tekst": "Hij bracht Sem niet terug.", "afgelegdOp": tijd(*dagen)}),
        ];
        if *beide {
            verklaringen.push(json!({"afgelegdDoor": "vader", "persoon": p_vader, "tekst": "Sem wilde zelf blijven.", "afgelegdOp": tijd(*dagen)}));
        }
        if n == 0 {
            verklaringen.push(json!({"afgelegdDoor": "kind", "persoon": p_kind1, "tekst": "Ik wil dat ze ophouden met ruzie.", "afgelegdOp": tijd(*dagen)}));
        }
        let wederhoor = if *beide {
            json!({"status": "ja", "op": tijd(*dagen)})
        } else {
            json!({"status": "niet-bereikbaar", "op": tijd(*dagen)})
        };
        maak(app, "/api/v1/incidenten", &noodhulp, json!({
            "tijdstip": tijd(*dagen), "gemeente": "0518", "plaats": "voor de school", "soort": soort,
            "politieReferentie": format!("PL1500-2026{n:06}"), "samenvatting": "Conflict bij de overdracht van de kinderen.",
            "betrokkenen": [{"persoon": p_vader, "rol": "vader"}, {"persoon": p_moeder, "rol": "moeder"}, {"persoon": p_kind1, "rol": "kind"}],
            "verklaringen": verklaringen, "wederhoor": wederhoor})).await;
    }

    // Two involved organisations: the GI (gezinsvoogd) and Veilig Thuis.
    maak(app, "/api/v1/betrokkenheden", &gi, json!({"persoon": kind1, "contact": {"naam": "J. Bakker (gezinsvoogd)", "telefoon": "070 123 4567"}})).await;
    let vt = app.token(VT, &["triagist"]);
    let vt_kind1 = persoon(app, &vt, BSN_KIND1, "Sem", "de Boer", "2016-05-04").await;
    let b = maak(app, "/api/v1/betrokkenheden", &vt, json!({"persoon": vt_kind1, "contact": {"naam": "A. Yilmaz (VT)", "email": "a.yilmaz@vt.example"}})).await;
    assert_eq!(b["matches"][0]["andereOrganisatie"], GI, "{b}");
    assert_eq!(b["matches"][0]["reden"], "zelfde-kind");
    assert_eq!(
        b["matches"][0]["anderContact"]["naam"],
        "J. Bakker (gezinsvoogd)"
    );
    Gezin {
        kind1_gi: kind1,
        kind2_gi: kind2,
    }
}

async fn briefing(
    app: &TestApp,
    token: &str,
    reden: Option<&str>,
    vraag: Value,
) -> reqwest::Response {
    let mut r = app
        .client
        .post(app.url("/api/v1/briefings/_zoek"))
        .bearer_auth(token)
        .json(&vraag);
    if let Some(reden) = reden {
        r = r.header("X-Audit-Toelichting", reden);
    }
    r.send().await.unwrap()
}

async fn briefing_per_rol(db: Db) {
    let Some(app) = app(db).await else { return };
    let gezin = bouw_gezin(&app).await;

    // Noodhulp: the whole picture.
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let log_voor = app.tel("SELECT count(*) AS n FROM verwerkingslog");
    let res = briefing(&app, &noodhulp, None, json!({"bsn": BSN_KIND1})).await;
    assert_eq!(res.status(), 200);
    let b: Value = res.json().await.unwrap();
    assert_eq!(b["gevonden"], true);
    assert_eq!(b["doel"], "briefing");
    assert_eq!(
        b["personen"].as_array().unwrap().len(),
        1,
        "one entry per person: {}",
        b["personen"]
    );
    assert_eq!(b["personen"][0]["voornamen"], "Sem");
    assert_eq!(
        b["personen"][0]["bsn"], BSN_KIND1,
        "the police's own record shows its BSN"
    );
    assert_eq!(
        b["gezinsleden"].as_array().unwrap().len(),
        3,
        "{}",
        b["gezinsleden"]
    );
    let gi_record = b["gezinsleden"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["voornamen"] == "Noor")
        .unwrap();
    assert!(
        gi_record.get("bsn").is_none(),
        "the GI's BSN is not in the agreement: {gi_record}"
    );
    assert_eq!(b["gezinnen"][0]["leden"].as_array().unwrap().len(), 4);
    assert_eq!(b["incidenten"]["totaal"], 5);
    assert_eq!(b["incidenten"]["laatste12Maanden"], 4);
    assert_eq!(
        b["incidenten"]["lijst"][0]["soort"],
        "overdracht-kind-mislukt"
    );
    assert_eq!(b["incidenten"]["lijst"][1]["eenzijdig"], true);
    assert_eq!(b["incidenten"]["lijst"][0]["eenzijdig"], false);
    let in_werking: Vec<&str> = b["beschikkingenInWerking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["soort"].as_str().unwrap())
        .collect();
    assert_eq!(
        in_werking.len(),
        4,
        "omgang, gezag, ots, huisverbod — not the lapsed voorlopige OTS: {in_werking:?}"
    );
    let omgang = b["beschikkingenInWerking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["soort"] == "omgang")
        .unwrap();
    assert_eq!(omgang["sterkeArm"]["toegestaan"], true);
    assert!(
        omgang["sterkeArm"]["uitleg"]
            .as_str()
            .unwrap()
            .contains("sterke arm")
    );
    let gezagbesluit = b["beschikkingenInWerking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["soort"] == "gezag")
        .unwrap();
    assert_eq!(gezagbesluit["sterkeArm"]["toegestaan"], false);
    let mut maatregelen: Vec<&str> = b["maatregelenInWerking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["soort"].as_str().unwrap())
        .collect();
    maatregelen.sort();
    assert_eq!(maatregelen, ["huisverbod", "ots"]);
    let gezag_sem = b["gezag"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"]["id"] == gezin.kind1_gi.as_str())
        .unwrap();
    assert_eq!(gezag_sem["vorm"], "eenhoofdig");
    assert_eq!(gezag_sem["houders"][0]["naam"], "Lisa Visser");
    assert_eq!(b["regelingenInWerking"][0]["soort"], "omgangsregeling");
    let orgs: Vec<&str> = b["betrokkenOrganisaties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organisatie"].as_str().unwrap())
        .collect();
    assert!(orgs.contains(&GI) && orgs.contains(&VT), "{orgs:?}");
    let gi = b["betrokkenOrganisaties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisatie"] == GI)
        .unwrap();
    assert_eq!(gi["contact"]["naam"], "J. Bakker (gezinsvoogd)");
    assert_eq!(gi["dagEnNacht"][0]["telefoon"], "088 111 2222");
    let codes: Vec<&str> = b["signalen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"vechtscheiding"), "{codes:?}");
    assert!(codes.contains(&"eenzijdige-verslaglegging"), "{codes:?}");
    assert!(codes.contains(&"ouder-zonder-gezag"), "{codes:?}");
    let zonder_gezag = b["signalen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "ouder-zonder-gezag")
        .unwrap();
    assert!(
        zonder_gezag["uitleg"]
            .as_str()
            .unwrap()
            .starts_with("Mark de Boer heeft geen gezag over Sem de Boer"),
        "{zonder_gezag}"
    );
    // One processing-log row per person shown, and nothing personal in them.
    let getoond = 1 + b["gezinsleden"].as_array().unwrap().len() as i64;
    assert_eq!(
        app.tel("SELECT count(DISTINCT betrokkene) AS n FROM verwerkingslog WHERE activiteit = 'briefing'"),
        getoond
    );
    assert!(app.tel("SELECT count(*) AS n FROM verwerkingslog") > log_voor);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE betrokkene LIKE '%{BSN_KIND1}%'"
        )),
        0
    );
    assert_eq!(app.tel(&format!("SELECT count(*) AS n FROM personen WHERE gegevens LIKE '%{BSN_KIND1}%' OR gegevens LIKE '%de Boer%'")), 0, "encrypted at rest (a name with a space: base64 never contains one, so a match cannot be chance)");

    // By name + date of birth, and by address: the same family.
    let b2: Value = briefing(
        &app,
        &noodhulp,
        None,
        json!({"voornamen": "sem", "achternaam": "De Boer", "geboortedatum": "2016-05-04"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(b2["meerduidig"], false);
    assert_eq!(b2["incidenten"]["totaal"], 5);
    let b3: Value = briefing(
        &app,
        &noodhulp,
        None,
        json!({"postcode": "2517ab", "huisnummer": "12"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(b3["gezinnen"][0]["id"], b["gezinnen"][0]["id"]);

    // The OM without a reason: refused, with what to do; the refusal is in the audit trail.
    let om = app.token(OM, &["officier-van-justitie"]);
    let geweigerd = app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403");
    let p = assert_problem(
        briefing(&app, &om, None, json!({"bsn": BSN_KIND1})).await,
        403,
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("X-Audit-Toelichting"),
        "{p}"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403"),
        geweigerd + 1
    );
    // With a reason: gezag and decisions and the incidents (police data), not the
    // organisations involved (hulpverlening is not in the OM's rule).
    let res = briefing(
        &app,
        &om,
        Some("Beoordeling aangifte onttrekking gezag, parketnummer 09/123456-26"),
        json!({"bsn": BSN_KIND1}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let o: Value = res.json().await.unwrap();
    assert_eq!(o["doel"], "strafrechtelijke-beoordeling");
    assert_eq!(o["incidenten"]["totaal"], 5);
    assert_eq!(o["gezag"].as_array().unwrap().len(), 2);
    assert_eq!(o["beschikkingenInWerking"].as_array().unwrap().len(), 4);
    assert_eq!(
        o["gezinnen"].as_array().unwrap().len(),
        0,
        "gezinssituatie is not in the OM's rule"
    );
    assert_eq!(o["betrokkenOrganisaties"].as_array().unwrap().len(), 0);
    assert!(o["personen"][0].get("bsn").is_none());
    assert_eq!(
        app.audit("organisatie = 'om-parket-den-haag'")
            .into_iter()
            .filter(|r| r.toelichting.as_deref().is_some_and(|t| t.starts_with("Beoordeling aangifte")))
            .count() as i64,
        // (the OM's functional admin signing the agreement is not a consultation)
        app.tel("SELECT count(*) AS n FROM audittrail WHERE organisatie = 'om-parket-den-haag' AND resultaat = 200 AND object_type <> 'convenanten'"),
        "every OM consultation carries its reason"
    );

    // An organisation outside the agreement: nothing, not even that something exists.
    let buiten = app.token(BUITEN, &["wijkteammedewerker"]);
    let res = briefing(&app, &buiten, None, json!({"bsn": BSN_KIND1})).await;
    assert_eq!(res.status(), 200);
    let n: Value = res.json().await.unwrap();
    assert_eq!(n["gevonden"], false, "{n}");
    for veld in [
        "personen",
        "gezinnen",
        "gezag",
        "beschikkingenInWerking",
        "betrokkenOrganisaties",
        "signalen",
    ] {
        assert_eq!(n[veld].as_array().unwrap().len(), 0, "{veld}: {n}");
    }
    assert_eq!(n["incidenten"]["totaal"], 0);

    // Nobody found: a 200 saying so.
    let leeg: Value = briefing(&app, &noodhulp, None, json!({"bsn": "123456757"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(leeg["gevonden"], false);

    // The GI's own reads and the police reading the GI's family.
    let g: Value = app
        .get(
            &format!(
                "/api/v1/gezinnen/{}",
                b["gezinnen"][0]["id"].as_str().unwrap()
            ),
            &noodhulp,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(g["beschikkingen"].as_array().unwrap().len(), 5);
    let res = app
        .get(
            &format!(
                "/api/v1/gezinnen/{}",
                b["gezinnen"][0]["id"].as_str().unwrap()
            ),
            &buiten,
        )
        .await;
    // Outside the agreement: as an unknown id (EEN_ORGANISATIE_ZICHT), and recorded.
    let p = assert_problem(res, 404).await;
    assert_eq!(
        p["detail"],
        "Er is geen gezin met dit id die uw organisatie kan zien"
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND object_id = '{}' AND organisatie = '{BUITEN}' AND eigenaar = '{GI}'",
            b["gezinnen"][0]["id"].as_str().unwrap()
        )),
        1
    );
    let _ = gezin.kind2_gi;
}

async fn meerduidige_naam_wordt_niet_samengevoegd(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let politie = app.token(POLITIE, &["noodhulp"]);
    // Two different children with the same name and birth date (different BSNs).
    persoon(&app, &gi, BSN_KIND1, "Sem", "de Boer", "2016-05-04").await;
    persoon(&app, &politie, BSN_KIND2, "Sem", "de Boer", "2016-05-04").await;
    let b: Value = briefing(
        &app,
        &politie,
        None,
        json!({"voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(b["meerduidig"], true, "{b}");
    assert_eq!(b["kandidaten"].as_array().unwrap().len(), 2);
    assert_eq!(
        b["personen"].as_array().unwrap().len(),
        0,
        "listed, never merged"
    );
    assert!(b["kandidaten"][0].get("bsn").is_none());
}

async fn coordinatiematch_bij_gedeelde_ouder(db: Db) {
    let Some(app) = app(db).await else { return };
    let gezin = bouw_gezin(&app).await;
    // The GI now registers its involvement with the second child; VT (involved with the
    // first) and the GI are matched through the shared parents — and the GI already has
    // the first child, so only VT is new.
    let gi = app.token(GI, &["gezinsvoogd"]);
    let uitgaand_voor = app.tel(
        "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.matches.match-gevonden'",
    );
    assert_eq!(uitgaand_voor, 2, "the first match notified both sides");
    let b = maak(&app, "/api/v1/betrokkenheden", &gi, json!({"persoon": gezin.kind2_gi, "contact": {"naam": "J. Bakker (gezinsvoogd)", "telefoon": "070 123 4567"}})).await;
    let redenen: Vec<(&str, &str)> = b["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["andereOrganisatie"].as_str().unwrap(),
                m["reden"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(redenen, [(VT, "gedeelde-ouder")], "{b}");
    let vt = app.token(VT, &["triagist"]);
    let m: Value = app.get("/api/v1/matches", &vt).await.json().await.unwrap();
    assert_eq!(m["count"], 2);
    assert_eq!(m["results"][0]["andereOrganisatie"], GI);
    assert_eq!(m["results"][0]["anderContact"]["telefoon"], "070 123 4567");
    // Registering again: 409 with the existing signal's location.
    let res = app
        .post(
            "/api/v1/betrokkenheden",
            &gi,
            &json!({"persoon": gezin.kind2_gi, "contact": {"naam": "X", "telefoon": "1"}}),
        )
        .await;
    let loc = res
        .headers()
        .get("location")
        .map(|h| h.to_str().unwrap().to_string());
    assert_problem(res, 409).await;
    assert_eq!(
        loc,
        Some(format!(
            "/api/v1/betrokkenheden/{}",
            b["id"].as_str().unwrap()
        ))
    );
    // Two registrations for one child at once: one is made, the other sees it (409); the
    // rule is relative to today, so it is serialised rather than indexed (task hfix3).
    let nieuw = maak(
        &app,
        "/api/v1/personen",
        &gi,
        json!({"voornamen": "Fem", "achternaam": "de Boer", "geboortedatum": "2021-03-03"}),
    )
    .await;
    let body = json!({"persoon": nieuw["id"], "contact": {"naam": "J. Bakker (gezinsvoogd)", "telefoon": "070 123 4567"}});
    let (x, y) = futures_util::future::join(
        app.post("/api/v1/betrokkenheden", &gi, &body),
        app.post("/api/v1/betrokkenheden", &gi, &body),
    )
    .await;
    let mut statussen = [x.status().as_u16(), y.status().as_u16()];
    statussen.sort();
    assert_eq!(statussen, [201, 409]);
    // Ending it stops the signal.
    let res = app
        .client
        .delete(app.url(&format!(
            "/api/v1/betrokkenheden/{}",
            b["id"].as_str().unwrap()
        )))
        .bearer_auth(&gi)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM betrokkenheden WHERE beeindigd_op IS NOT NULL"),
        1
    );
    // No personal data in the notifications.
    assert_eq!(app.tel("SELECT count(*) AS n FROM outbox WHERE dataref LIKE '%de Boer%' OR onderwerp LIKE '%1234567%'"), 0);
}

async fn validatie_noemt_veld_en_regel(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let veld = |p: &Value, naam: &str| -> String {
        p["invalidParams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == naam)
            .map(|f| f["code"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{naam} not named: {p}"))
    };
    // Invalid BSN, a birth date in the future, a malformed municipality code: all at once.
    let res = app.post("/api/v1/personen", &gi, &json!({"bsn": "123456789", "voornamen": "A", "achternaam": "B", "geboortedatum": "2999-01-01",
        "adres": {"straat": "X", "huisnummer": "1", "postcode": "2511AB", "gemeente": "518"}})).await;
    // The malformed code breaks the schema: a 400 naming every problem.
    let p = assert_problem(res, 400).await;
    assert_eq!(veld(&p, "/bsn"), "elfproef");
    assert_eq!(veld(&p, "/geboortedatum"), "toekomst");
    assert_eq!(veld(&p, "/adres/gemeente"), "pattern");
    // A well-formed code that does not exist (reference data loaded at start).
    let res = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"voornamen": "A", "achternaam": "B", "geboortedatum": "2015-01-01",
        "adres": {"straat": "X", "huisnummer": "1", "postcode": "2511AB", "gemeente": "9999"}}),
        )
        .await;
    // Schema-valid, but no municipality: a rule the schema cannot state, 422.
    let p = assert_problem(res, 422).await;
    assert_eq!(veld(&p, "/adres/gemeente"), "gemeentecode-onbekend");
    // Duplicate BSN: 409 pointing at the existing person, no copy.
    let eerste = persoon(&app, &gi, BSN_VADER, "Mark", "de Boer", "1984-02-10").await;
    let res = app.post("/api/v1/personen", &gi, &json!({"bsn": BSN_VADER, "voornamen": "M.", "achternaam": "de Boer", "geboortedatum": "1984-02-10"})).await;
    let loc = res
        .headers()
        .get("location")
        .map(|h| h.to_str().unwrap().to_string());
    assert_problem(res, 409).await;
    assert_eq!(loc, Some(format!("/api/v1/personen/{eerste}")));
    assert_eq!(app.tel("SELECT count(*) AS n FROM personen"), 1);
    // Duration rules.
    let kind = persoon(&app, &gi, BSN_KIND1, "Sem", "de Boer", "2016-05-04").await;
    let g = maak(
        &app,
        "/api/v1/gezinnen",
        &gi,
        json!({"leden": [{"persoon": kind, "relatie": "kind"}]}),
    )
    .await;
    let pad = format!(
        "/api/v1/gezinnen/{}/beschikkingen",
        g["id"].as_str().unwrap()
    );
    let basis = |soort: &str, van: &str, tot: &str| json!({"rechtbank": "Rechtbank Den Haag", "zaaknummer": "1", "datum": van, "soort": soort, "van": van, "tot": tot, "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind]});
    let p = assert_problem(
        app.post(
            &pad,
            &gi,
            &basis("voorlopige-ots", "2026-01-01", "2026-04-02"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(veld(&p, "/tot"), "voorlopige-ots-max-drie-maanden");
    assert!(
        p["invalidParams"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("VOORLOPIGE_OTS_MAX_DRIE_MAANDEN")
            || p["invalidParams"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("voorlopige-ots-max-drie-maanden")
    );
    // `tot` is the last day in force: a year from 1 January ends on 31 December, three
    // months on 31 March; one day more breaks the rule (BW 1:258, 1:265c).
    for (soort, tot, regel) in [
        ("ots", "2027-01-01", "ots-max-een-jaar"),
        ("uhp", "2027-01-01", "uhp-max-een-jaar"),
        (
            "voorlopige-ots",
            "2026-04-01",
            "voorlopige-ots-max-drie-maanden",
        ),
    ] {
        let p = assert_problem(
            app.post(&pad, &gi, &basis(soort, "2026-01-01", tot)).await,
            422,
        )
        .await;
        assert_eq!(veld(&p, "/tot"), regel, "{soort} {p}");
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM beschikkingen"), 0);
    for (soort, tot) in [
        ("ots", "2026-12-31"),
        ("uhp", "2026-12-31"),
        ("voorlopige-ots", "2026-03-31"),
        ("huisverbod", "2026-01-29"),
    ] {
        let res = app.post(&pad, &gi, &basis(soort, "2026-01-01", tot)).await;
        assert_eq!(res.status(), 201, "{soort}: {:?}", res.text().await);
    }
    app.sql("DELETE FROM beschikkingen");
    let p = assert_problem(
        app.post(&pad, &gi, &basis("huisverbod", "2026-01-01", "2026-01-30"))
            .await,
        422,
    )
    .await;
    assert_eq!(veld(&p, "/tot"), "huisverbod-max-28-dagen");
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM beschikkingen"),
        0,
        "nothing half-written"
    );
    // Only the police records incidents.
    let res = app.post("/api/v1/incidenten", &gi, &json!({"tijdstip": "2026-01-01T10:00:00Z", "soort": "ruzie", "politieReferentie": "x", "samenvatting": "y"})).await;
    assert_problem(res, 403).await;
    // The briefing needs exactly one search key.
    let politie = app.token(POLITIE, &["noodhulp"]);
    let p = assert_problem(
        briefing(
            &app,
            &politie,
            None,
            json!({"bsn": BSN_KIND1, "postcode": "2511AB"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(veld(&p, "/bsn"), "een-van");
    let p = assert_problem(
        briefing(&app, &politie, None, json!({"bsn": "12345678x"})).await,
        400,
    )
    .await;
    assert_eq!(veld(&p, "/bsn"), "pattern");
    let p = assert_problem(
        briefing(&app, &politie, None, json!({"bsn": "123456789"})).await,
        422,
    )
    .await;
    assert_eq!(veld(&p, "/bsn"), "elfproef");
}

async fn inzage_toont_dossier_van_ouder(db: Db) {
    let Some(app) = app(db).await else { return };
    bouw_gezin(&app).await;
    // The mother asks the police what is recorded about her.
    let politie = app.token(POLITIE, &["privacyfunctionaris"]);
    let b: Value = briefing(
        &app,
        &app.token(POLITIE, &["noodhulp"]),
        None,
        json!({"bsn": BSN_MOEDER}),
    )
    .await
    .json()
    .await
    .unwrap();
    let moeder = b["personen"][0]["id"].as_str().unwrap().to_string();
    let res = app
        .get(&format!("/api/v1/personen/{moeder}/inzage"), &politie)
        .await;
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    let soorten: Vec<&str> = r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["soort"].as_str().unwrap())
        .collect();
    assert!(
        soorten.contains(&"persoon") && soorten.contains(&"incident"),
        "{soorten:?}"
    );
    assert!(
        r["verwerkingen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["doel"] == "briefing"),
        "the briefing is in her processing overview"
    );
}

/// A problem's body without `instance` and `traceId`: what must be the same for an
/// unknown id and one outside the caller's view.
async fn zonder_instance(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let mut body: Value = res.json().await.unwrap();
    let o = body.as_object_mut().unwrap();
    o.remove("instance");
    o.remove("traceId");
    (status, serde_json::to_string(&body).unwrap())
}

/// Fault 3 of issue 11, as written: the privacy officer of an organisation that holds
/// nothing on the mother asks for her inzage with the GI's person id. Now: the answer of
/// an unknown id, recorded; the police (which holds its own record of her) see their own
/// records and processing only, never the GI's statement or processing; the GI sees its
/// own, who in the GI processed it, and that it disclosed her data to the police.
async fn inzage_binnen_een_organisatie(db: Db) {
    let Some(app) = app(db).await else { return };
    bouw_gezin(&app).await;
    let gi = app.token(GI, &["gezinsvoogd"]);
    let b: Value = briefing(&app, &gi, None, json!({"bsn": BSN_MOEDER}))
        .await
        .json()
        .await
        .unwrap();
    let moeder_gi = b["personen"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(b["personen"][0]["geregistreerdDoor"], GI);
    let verklaring = "Ik heb de kinderen die avond wel willen brengen.";
    maak(
        &app,
        &format!("/api/v1/personen/{moeder_gi}/eigen-verklaringen"),
        &app.token(GI, &["privacyfunctionaris"]),
        json!({"tekst": verklaring}),
    )
    .await;
    // The police's noodhulp reads her data at the GI (a disclosure by the GI).
    let nood = app.token(POLITIE, &["noodhulp"]);
    let res = briefing(&app, &nood, None, json!({"bsn": BSN_MOEDER})).await;
    assert_eq!(res.status(), 200);

    // An organisation that holds nothing on her: exactly as an unknown id.
    let buiten = app.token(BUITEN, &["privacyfunctionaris"]);
    let onbekend = zonder_instance(
        app.get(
            &format!("/api/v1/personen/{}/inzage", uuid::Uuid::now_v7()),
            &buiten,
        )
        .await,
    )
    .await;
    let pad = format!("/api/v1/personen/{moeder_gi}/inzage");
    assert_eq!(
        zonder_instance(app.get(&pad, &buiten).await).await,
        onbekend
    );
    assert_eq!(onbekend.0, 404);
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND actie = 'inzage' AND organisatie = '{BUITEN}' AND object_id = '{moeder_gi}'")),
        1
    );
    // Veilig Thuis holds a record of the child, not of her: the same.
    let vt = app.token(VT, &["privacyfunctionaris"]);
    assert_eq!(zonder_instance(app.get(&pad, &vt).await).await.0, 404);

    // The police: their own records and processing of her, nothing of the GI's.
    let politie = app.token(POLITIE, &["privacyfunctionaris"]);
    let res = app.get(&pad, &politie).await;
    assert_eq!(res.status(), 200);
    let tekst = res.text().await.unwrap();
    assert!(!tekst.contains(verklaring), "the GI's statement: {tekst}");
    let r: Value = serde_json::from_str(&tekst).unwrap();
    assert!(!r["gegevens"].as_array().unwrap().is_empty());
    assert!(
        r["gegevens"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["eigenaar"] == POLITIE),
        "{r}"
    );
    let verwerkingen = r["verwerkingen"].as_array().unwrap();
    assert!(verwerkingen.iter().any(|v| v["doel"] == "briefing"));
    assert!(
        verwerkingen.iter().all(|v| v["organisatie"] == POLITIE),
        "{r}"
    );
    assert_eq!(r["eigenVerklaringen"].as_array().unwrap().len(), 0);

    // The GI: its record, her statement, its own processing and who did it, and the
    // disclosure to the police.
    let gi_fg = app.token(GI, &["privacyfunctionaris"]);
    let r: Value = app.get(&pad, &gi_fg).await.json().await.unwrap();
    assert!(
        r["gegevens"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["eigenaar"] == GI)
    );
    assert_eq!(r["eigenVerklaringen"][0]["tekst"], verklaring);
    let verwerkingen = r["verwerkingen"].as_array().unwrap();
    assert!(verwerkingen.iter().all(|v| v["organisatie"] == GI), "{r}");
    assert!(
        verwerkingen
            .iter()
            .any(|v| v["verwerktDoor"] == json!(["Test Gebruiker"])),
        "{r}"
    );
    let aan: Vec<(&str, &str)> = r["verstrekkingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["aan"].as_str().unwrap(), v["doel"].as_str().unwrap()))
        .collect();
    assert!(aan.contains(&(POLITIE, "briefing")), "{aan:?}");
    assert!(aan.iter().all(|(o, _)| *o != BUITEN && *o != VT), "{aan:?}");
}

/// Fault 4 of issue 11, as written: an organisation outside any agreement registers its
/// own person with the child's BSN and registers involvement. Now a 403 without a name or
/// number of the GI's; with a coordination rule in an agreement it does not share with
/// the GI it may register, but hears nothing of the GI (nor the GI of it); with one it
/// shares with Veilig Thuis, it is matched with Veilig Thuis only — until that agreement
/// is withdrawn.
async fn betrokkenheid_alleen_wie_mag(db: Db) {
    let Some(app) = app(db).await else { return };
    bouw_gezin(&app).await;
    let wt = app.token(BUITEN, &["wijkteammedewerker"]);
    let eigen = persoon(&app, &wt, BSN_KIND1, "Sem", "de Boer", "2016-05-04").await;
    let vraag =
        json!({"persoon": eigen, "contact": {"naam": "W. Teamlid", "telefoon": "030 000 0000"}});
    let res = app.post("/api/v1/betrokkenheden", &wt, &vraag).await;
    assert_eq!(res.status(), 403);
    let tekst = res.text().await.unwrap();
    for geheim in ["Bakker", "070 123 4567", GI, "Yilmaz"] {
        assert!(!tekst.contains(geheim), "{geheim} in {tekst}");
    }
    assert!(tekst.contains("COORDINATIE_CONVENANT"), "{tekst}");
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM betrokkenheden WHERE organisatie = '{BUITEN}'"
        )),
        0
    );
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND organisatie = '{BUITEN}' AND object_type = 'betrokkenheden'")),
        1
    );
    // A party of the pilot without a coordination rule for the role: refused as well.
    let nood = app.token(POLITIE, &["noodhulp"]);
    let p = persoon(&app, &nood, BSN_KIND2, "Noor", "de Boer", "2019-09-30").await;
    let res = app
        .post(
            "/api/v1/betrokkenheden",
            &nood,
            &json!({"persoon": p, "contact": {"naam": "N. Agent", "telefoon": "0900 8844"}}),
        )
        .await;
    assert_problem(res, 403).await;

    // Its own agreement with Veilig Thuis, with coordination rules for both kinds.
    let coordinatie = |soort: &str, rol: &str| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": ["aanmaken", "lezen"], "categorieen": ["hulpverlening"],
               "doel": "coordinatie", "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Jeugdwet art. 7.1.4.1", "omschrijving": "verwijsindex"}})
    };
    let c = app.convenant_van_kracht(&json!({"titel": "Verwijsindex Utrecht-Haaglanden", "partijen": [{"organisatie": BUITEN, "rol": "a"}, {"organisatie": VT, "rol": "b"}],
               "doelen": ["coordinatie"], "categorieen": ["hulpverlening"],
               "regels": [coordinatie("wijkteam", "wijkteammedewerker"), coordinatie("veilig-thuis", "triagist")]})).await;
    let uitgaand_gi = || {
        app.tel(&format!("SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.matches.match-gevonden' AND organisatie = '{GI}'"))
    };
    let gi_voor = uitgaand_gi();
    let b = maak(&app, "/api/v1/betrokkenheden", &wt, vraag).await;
    let met: Vec<&str> = b["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["andereOrganisatie"].as_str().unwrap())
        .collect();
    assert_eq!(met, [VT], "{b}");
    assert!(!b.to_string().contains("Bakker"), "{b}");
    assert_eq!(uitgaand_gi(), gi_voor, "the GI hears nothing of it");
    let gi = app.token(GI, &["gezinsvoogd"]);
    let m: Value = app.get("/api/v1/matches", &gi).await.json().await.unwrap();
    assert!(
        m["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["andereOrganisatie"] != BUITEN),
        "{m}"
    );
    // Withdrawn (by the platform admin: one party alone cannot): the match is no longer
    // shown to either side.
    let platform = app.token("ketenregie-platform", &["platformbeheerder"]);
    let res = app
        .post(
            &format!(
                "/api/v1/convenanten/{}/intrekkingen",
                c["id"].as_str().unwrap()
            ),
            &platform,
            &json!({"reden": "einde samenwerking"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let m: Value = app.get("/api/v1/matches", &wt).await.json().await.unwrap();
    assert_eq!(m["count"], 0, "{m}");
    let id = b["matches"][0]["id"].as_str().unwrap();
    assert_problem(app.get(&format!("/api/v1/matches/{id}"), &wt).await, 404).await;
}

/// The briefing's open zorgmeldingen come from `referral` through the case registry's
/// `ZorgmeldingBron` (issue 12): a sent melding on the child shows with its state and
/// never its content; a cancelled one and a concept do not; an organisation without an
/// agreement sees none.
async fn briefing_toont_open_zorgmeldingen(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    common::keten::opzet(&app).await;
    let open = common::keten::verzonden_melding(&app).await;
    let geannuleerd = common::keten::verzonden_melding(&app).await;
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{geannuleerd}/annuleringen"),
            &agent,
            &json!({"reden": "dubbel ingediend"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    maak(
        &app,
        "/api/v1/zorgmeldingen",
        &agent,
        common::keten::melding(),
    )
    .await;
    maak(
        &app,
        "/api/v1/personen",
        &agent,
        json!({"bsn": "111222333", "voornamen": "Kind0", "achternaam": "Jansen", "geboortedatum": "2016-03-01"}),
    )
    .await;

    let noodhulp = app.token("politie-haaglanden", &["noodhulp"]);
    let res = app
        .post(
            "/api/v1/briefings/_zoek",
            &noodhulp,
            &json!({"bsn": "111222333"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let b: Value = res.json().await.unwrap();
    let meldingen = b["openZorgmeldingen"].as_array().unwrap();
    assert_eq!(meldingen.len(), 1, "{b}");
    let m = &meldingen[0];
    assert_eq!(m["id"], open.as_str());
    assert_eq!(m["afzender"], "politie-haaglanden");
    assert_eq!(m["ontvanger"], "vt-haaglanden");
    assert_eq!(m["meldingstatus"], "verzonden");
    assert_eq!(m["taakstatus"], "requested");
    assert!(m["ingediendOp"].is_string(), "{m}");
    for inhoud in ["voordeur", "Pietersen", "Hij kwam te laat"] {
        assert!(!b.to_string().contains(inhoud), "no content: {inhoud}");
    }

    let buiten = app.token("buitenstaander", &["wijkteammedewerker"]);
    let b: Value = app
        .post(
            "/api/v1/briefings/_zoek",
            &buiten,
            &json!({"bsn": "111222333"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["gevonden"], false, "{b}");
    assert_eq!(b["openZorgmeldingen"].as_array().unwrap().len(), 0, "{b}");
}

/// Inzage of the whole case registry (issue 15 point 1): the GI's report on the mother holds
/// her record, the family, its five beschikkingen and the omgangsregeling, and the two
/// gezag records that name her as a holder, each with source, date and legal basis (the
/// Jeugdwet); its report on Sem holds its involvement signal and the match with Veilig
/// Thuis, naming Veilig Thuis but not its contact.
async fn inzage_van_het_hele_dossier(db: Db) {
    let Some(app) = app(db).await else { return };
    let gezin = bouw_gezin(&app).await;
    let gi = app.token(GI, &["gezinsvoogd"]);
    let b: Value = briefing(&app, &gi, None, json!({"bsn": BSN_MOEDER}))
        .await
        .json()
        .await
        .unwrap();
    let moeder_gi = b["personen"][0]["id"].as_str().unwrap().to_string();
    let fg = app.token(GI, &["privacyfunctionaris"]);
    let r: Value = app
        .get(&format!("/api/v1/personen/{moeder_gi}/inzage"), &fg)
        .await
        .json()
        .await
        .unwrap();
    let mut soorten: Vec<&str> = r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["soort"].as_str().unwrap())
        .collect();
    soorten.sort();
    assert_eq!(
        soorten,
        [
            "beschikking",
            "beschikking",
            "beschikking",
            "beschikking",
            "beschikking",
            "gezag",
            "gezag",
            "gezin",
            "persoon",
            "regeling"
        ],
        "{r}"
    );
    for g in r["gegevens"].as_array().unwrap() {
        assert_eq!(g["bron"], GI, "{g}");
        assert!(
            g["grondslag"].as_str().unwrap().starts_with("Jeugdwet"),
            "{g}"
        );
        assert!(g["vastgelegdOp"].is_string(), "{g}");
    }
    let tekst = r["gegevens"].to_string();
    assert!(
        tekst.contains("Om het weekend vr 17:00 tot zo 17:00 bij vader"),
        "{tekst}"
    );
    assert!(
        tekst.contains("machtigt de deurwaarder") && tekst.contains("GI-2026-0412"),
        "{tekst}"
    );
    assert!(
        tekst.contains("Sem de Boer") && tekst.contains("Noor de Boer"),
        "{tekst}"
    );

    let r: Value = app
        .get(&format!("/api/v1/personen/{}/inzage", gezin.kind1_gi), &fg)
        .await
        .json()
        .await
        .unwrap();
    let signaal: Vec<&Value> = r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["soort"] == "betrokkenheid")
        .collect();
    assert_eq!(signaal.len(), 1, "{r}");
    assert_eq!(
        signaal[0]["gegevens"]["contact"]["naam"],
        "J. Bakker (gezinsvoogd)"
    );
    let m: Vec<&Value> = r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["soort"] == "match")
        .collect();
    assert_eq!(m.len(), 1, "{r}");
    assert_eq!(m[0]["gegevens"]["organisatie"]["code"], VT);
    assert_eq!(m[0]["gegevens"]["reden"], "zelfde-kind");
    assert!(
        !r.to_string().contains("Yilmaz"),
        "the other organisation's contact is not in the report"
    );
}

/// The sum and count of the histogram `naam` on the instance's `/metrics`.
async fn histogram(app: &TestApp, naam: &str) -> (f64, f64) {
    let m = app.tekst("/metrics").await;
    let waarde = |achter: &str| {
        m.lines()
            .find_map(|l| l.strip_prefix(&format!("{naam}_{achter} ")))
            .map_or(0.0, |v| v.trim().parse::<f64>().unwrap())
    };
    (waarde("sum"), waarde("count"))
}

/// Issue 17 point 4: the full briefing (a family of four with gezag, decisions,
/// arrangements, five incidents with statements, two involved organisations) reads in a
/// handful of round trips, counted by the connection's instrumentation
/// (`store::rondes`) and published as `ketenregie_briefing_leesrondes`. The first
/// briefing fills the instance's cache of agreements and contact cards; the second is the
/// steady state.
async fn briefing_in_een_handvol_rondes(db: Db) {
    let Some(app) = app(db).await else { return };
    bouw_gezin(&app).await;
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let eerste: Value = briefing(&app, &noodhulp, None, json!({"bsn": BSN_KIND1}))
        .await
        .json()
        .await
        .unwrap();
    let (som, aantal) = histogram(&app, "ketenregie_briefing_leesrondes").await;
    assert_eq!(aantal, 1.0);
    let b: Value = briefing(&app, &noodhulp, None, json!({"bsn": BSN_KIND1}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b, eerste, "the same briefing from a warm cache");
    let (som2, _) = histogram(&app, "ketenregie_briefing_leesrondes").await;
    let rondes = som2 - som;
    eprintln!("briefing reads: {som} round trips with a cold cache, {rondes} warm ({db:?})");
    assert!(
        eerste["incidenten"]["totaal"].as_u64().unwrap() >= 5,
        "{eerste}"
    );
    assert!(!b["gezag"].as_array().unwrap().is_empty());
    assert!(!b["betrokkenOrganisaties"].as_array().unwrap().is_empty());
    assert!(
        rondes <= RONDES_MAX,
        "{rondes} round trips for one briefing's reads"
    );
}

/// The bound `briefing_in_een_handvol_rondes` holds the briefing to.
const RONDES_MAX: f64 = 6.0;

#[derive(diesel::QueryableByName)]
struct Tekst {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

#[derive(diesel::QueryableByName)]
struct Voorbereidingen {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    aantal: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    generiek: i64,
}

/// Issue 17 point 4 (h17brief): the briefing's graph statement is a `store::voorbereid`
/// statement, which stays prepared on its pooled connection instead of being parsed and
/// planned on every briefing (`diesel::sql_query` never is). On a pooled connection of the
/// real app: the parameter lands where the text puts it, with the backend's own
/// placeholder, and on PostgreSQL one prepared statement serves every execution, with
/// PostgreSQL's generic plan once it has seen a few (`pg_prepared_statements`).
async fn graafvraag_blijft_voorbereid(db: Db) {
    use diesel::RunQueryDsl;
    use ketenregie_store::voorbereid::Voorbereid;
    let Some(app) = common::spawn(db).await else {
        return;
    };
    let mut c = app.pool.get().unwrap();
    let delen = [
        "SELECT 'h17brief:' || CAST(".to_string(),
        " AS TEXT) AS t".to_string(),
    ];
    for i in 0..8 {
        let w = format!("sleutel-{i}");
        let r: Vec<Tekst> = Voorbereid::nieuw(&delen, &[&w]).load(&mut c).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].t, format!("h17brief:{w}"));
    }
    if db == Db::Postgres {
        let v: Voorbereidingen = diesel::sql_query(
            "SELECT count(*) AS aantal, COALESCE(sum(generic_plans), 0)::bigint AS generiek \
             FROM pg_prepared_statements WHERE statement LIKE 'SELECT ''h17brief:''%'",
        )
        .get_result(&mut c)
        .unwrap();
        assert_eq!(v.aantal, 1, "one prepared statement for eight executions");
        assert!(v.generiek > 0, "PostgreSQL reuses its generic plan");
    }
}

/// Issue 17 point 3: two instances on one database, each with its own cache of the
/// agreements. Instance B shows the GI's records; the GI leaves the agreement on instance A
/// (`UITTREDEN`); B's very next briefing shows none of them.
async fn uittreding_geldt_op_elke_instantie(db: Db) {
    let Some(app) = app(db).await else { return };
    bouw_gezin(&app).await;
    let b = ketenregie_api::app::Application::build_met(app.config.clone(), Default::default())
        .await
        .expect("second instance starts");
    let b_url = format!("http://127.0.0.1:{}/api/v1/briefings/_zoek", b.port());
    actix_web::rt::spawn(b.run_until_stopped());
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let op_b = || async {
        let res = app
            .client
            .post(&b_url)
            .bearer_auth(&noodhulp)
            .json(&json!({"bsn": BSN_KIND1}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()
    };
    for _ in 0..2 {
        let voor = op_b().await;
        assert!(!voor["gezag"].as_array().unwrap().is_empty(), "{voor}");
        assert!(!voor["gezinnen"].as_array().unwrap().is_empty(), "{voor}");
    }
    let beheer = app.token(GI, &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/convenanten", &beheer)
        .await
        .json()
        .await
        .unwrap();
    let id = lijst["results"][0]["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/convenanten/{id}/uittredingen"),
            &app.token(GI, &["privacyfunctionaris"]),
            &json!({"reden": "geen deelname meer"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let na = op_b().await;
    assert!(na["gezag"].as_array().unwrap().is_empty(), "{na}");
    assert!(na["gezinnen"].as_array().unwrap().is_empty(), "{na}");
    assert!(
        na["beschikkingenInWerking"].as_array().unwrap().is_empty(),
        "{na}"
    );
}

/// `ADRES_SLEUTEL_NORMALISATIE` (the outside testers' fourth round, stop 36): the address
/// is found however the house number's addition and leading zeros are written; before,
/// "12 A" stored was found only by "12 A". A person stored with a key of the old
/// normalisation (put back by hand) is found after the next start-up made its key again
/// (`ADRES_SLEUTEL_BIJ_START`), and a second start changes nothing.
async fn adres_gevonden_hoe_het_huisnummer_ook_geschreven_is(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let adres = |huisnummer: &str, postcode: &str| json!({"straat": "Spui", "huisnummer": huisnummer, "postcode": postcode, "gemeente": "0518"});
    let registreer = |voornamen: &'static str, bsn: &'static str, a: Value| {
        let (app, gi) = (&app, gi.clone());
        async move {
            maak(
                app,
                "/api/v1/personen",
                &gi,
                json!({"bsn": bsn, "voornamen": voornamen, "achternaam": "de Boer",
                       "geboortedatum": "2016-05-04", "adres": a}),
            )
            .await["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let sem = registreer("Sem", BSN_KIND1, adres("12 A", "2511BT")).await;
    let noor = registreer("Noor", BSN_KIND2, adres("7", "2511BT")).await;
    for (id, kind) in [(&sem, "kind"), (&noor, "kind")] {
        maak(
            &app,
            "/api/v1/gezinnen",
            &gi,
            json!({"leden": [{"persoon": id, "relatie": kind}]}),
        )
        .await;
    }
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let zoek = |huisnummer: &'static str| {
        let (app, noodhulp) = (&app, noodhulp.clone());
        async move {
            // A client of its own: no connection kept idle across the restarts below.
            let res = reqwest::Client::new()
                .post(app.url("/api/v1/briefings/_zoek"))
                .bearer_auth(&noodhulp)
                .json(&json!({"postcode": "2511 bt", "huisnummer": huisnummer}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{huisnummer}");
            let b: Value = res.json().await.unwrap();
            b["personen"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["voornamen"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        }
    };
    for h in ["12 A", "12A", "12a", "12-A", "012a", " 12 - a "] {
        assert_eq!(zoek(h).await, ["Sem"], "{h}");
    }
    for h in ["7", "07", "007"] {
        assert_eq!(zoek(h).await, ["Noor"], "{h}");
    }
    for h in ["12", "12B", "121", "70"] {
        assert!(zoek(h).await.is_empty(), "{h}");
    }

    // A key of the old normalisation (trimmed, lowercased) is made again at start-up.
    let v = app.versleuteling();
    let oud = ketenregie_case::identiteit::oude_adres_hash(&v, "2511BT", "12 A");
    app.sql(&format!(
        "UPDATE personen SET adres_hash = '{oud}' WHERE id = '{sem}'"
    ));
    assert!(
        zoek("12A").await.is_empty(),
        "the old key is not the new one"
    );
    let sleutel = || {
        use diesel::prelude::*;
        use ketenregie_store::schema::personen;
        let mut c = app.pool.get().unwrap();
        personen::table
            .select((personen::id, personen::adres_hash))
            .order(personen::id)
            .load::<(String, Option<String>)>(&mut *c)
            .unwrap()
    };
    let voor = sleutel();
    let mut config = app.config.clone();
    config.server.bind = "127.0.0.1:0".parse().unwrap();
    drop(
        ketenregie_api::Application::build(config.clone())
            .await
            .unwrap(),
    );
    let na = sleutel();
    assert_ne!(voor, na);
    assert!(
        na.iter().all(|(_, k)| k
            .as_deref()
            .unwrap()
            .starts_with(ketenregie_case::identiteit::ADRES_SLEUTEL_VERSIE)),
        "{na:?}"
    );
    for h in ["12 A", "12A", "12-a"] {
        assert_eq!(zoek(h).await, ["Sem"], "{h}");
    }
    drop(ketenregie_api::Application::build(config).await.unwrap());
    assert_eq!(sleutel(), na, "a key once made again is left as it is");
}

op_beide_backends!(
    adres_gevonden_hoe_het_huisnummer_ook_geschreven_is,
    briefing_in_een_handvol_rondes,
    graafvraag_blijft_voorbereid,
    uittreding_geldt_op_elke_instantie,
    inzage_van_het_hele_dossier,
    briefing_toont_open_zorgmeldingen,
    briefing_per_rol,
    meerduidige_naam_wordt_niet_samengevoegd,
    coordinatiematch_bij_gedeelde_ouder,
    validatie_noemt_veld_en_regel,
    inzage_toont_dossier_van_ouder,
    inzage_binnen_een_organisatie,
    betrokkenheid_alleen_wie_mag,
);
