//! The logs record the processing that happened (README "Privacy: agreements, the
//! decision, the logs"), on the demo world of `inzage` (`ketenregie demo`'s region):
//!
//! - `LOG_ONDER_GRONDSLAG_EIGENAAR`: a briefing that shows the GI's family, gezag and
//!   decisions naming the parents logs the parents against the GI's basis (the agreement),
//!   also though the police hold them themselves, so the GI's inzage report on the mother
//!   lists the disclosure to the police.
//! - `LOG_ALLEEN_WAT_GETOOND`: an empty answer (no feedback yet, no gezag record, no own
//!   statement) is its audit row alone: no processing-log row, no disclosure; a non-empty
//!   one still logs.

use crate::common;
use crate::inzage::{BSN_MOEDER, BSN_SEM, BSN_VADER, GI, POLITIE, VT, demowereld, rapport};
use common::{Db, TestApp};
use serde_json::{Value, json};

async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or_default();
    assert!(status.is_success(), "{pad}: {status} {v}");
    v
}

/// The identity of a person by BSN and name, as every crate computes it.
fn identiteit(app: &TestApp, bsn: &str, voornaam: &str, achternaam: &str) -> uuid::Uuid {
    ketenregie_privacy::betrokkene::betrokkene(
        &app.versleuteling(),
        Some(bsn),
        voornaam,
        achternaam,
        None,
    )
}

/// The pseudonym of an identity in the processing log.
fn pseudoniem(app: &TestApp, id: uuid::Uuid) -> String {
    ketenregie_api::verwerking::pseudonimiseerder(&app.config)
        .unwrap()
        .van(id)
}

/// The GI's records of the family, as `ketenregie demo` makes them: the four persons, the
/// family, an omgang decision and an OTS on both children, gezag over Sem with the mother.
struct GiGezin {
    moeder: String,
    sem: String,
    noor: String,
    beschikking: String,
}

async fn gi_gezin(app: &TestApp) -> GiGezin {
    let gi = app.token(GI, &["gezinsvoogd"]);
    let mut ids = Vec::new();
    for (bsn, vn, an, gd) in [
        (BSN_VADER, "Mark", "de Boer", "1984-02-10"),
        (BSN_MOEDER, "Lisa", "Visser", "1986-07-22"),
        (BSN_SEM, "Sem", "de Boer", "2016-05-04"),
        ("999990044", "Noor", "de Boer", "2019-09-30"),
    ] {
        let p = maak(
            app,
            "/api/v1/personen",
            &gi,
            json!({"bsn": bsn, "voornamen": vn, "achternaam": an, "geboortedatum": gd,
                   "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}}),
        )
        .await;
        ids.push(p["id"].as_str().unwrap().to_string());
    }
    let (vader, moeder, sem, noor) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let gezin = maak(
        app,
        "/api/v1/gezinnen",
        &gi,
        json!({"kenmerk": "DEMO-GI-1", "leden": [
            {"persoon": vader, "relatie": "ouder"}, {"persoon": moeder, "relatie": "ouder"},
            {"persoon": sem, "relatie": "kind"}, {"persoon": noor, "relatie": "kind"}]}),
    )
    .await;
    let gid = gezin["id"].as_str().unwrap();
    let d =
        |dagen: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(dagen)).to_string();
    let omgang = maak(
        app,
        &format!("/api/v1/gezinnen/{gid}/beschikkingen"),
        &gi,
        json!({"rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/DEMO-1", "datum": d(-200), "soort": "omgang",
               "van": d(-200), "uitvoerbaarBijVoorraad": true, "sterkeArm": true,
               "sterkeArmTekst": "machtigt de deurwaarder zo nodig met de sterke arm", "kinderen": [sem, noor]}),
    )
    .await;
    maak(
        app,
        &format!("/api/v1/personen/{sem}/gezag"),
        &gi,
        json!({"vorm": "eenhoofdig", "houders": [moeder], "bron": "gezagsregister", "geverifieerdOp": d(-10)}),
    )
    .await;
    GiGezin {
        moeder: moeder.clone(),
        sem: sem.clone(),
        noor: noor.clone(),
        beschikking: omgang["id"].as_str().unwrap().to_string(),
    }
}

/// The police's processing-log rows on `subject` under an agreement (not their own task).
fn onder_convenant(app: &TestApp, subject: &str) -> i64 {
    app.tel(&format!(
        "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{POLITIE}' \
         AND activiteit = 'briefing' AND betrokkene = '{subject}' AND convenant_id IS NOT NULL"
    ))
}

fn verstrekt_aan_politie(r: &Value) -> Vec<&Value> {
    r["verstrekkingen"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["aan"] == POLITIE && v["doel"] == "briefing")
        .collect()
}

/// F1: the parents, whom the police hold themselves, are logged against the GI's basis
/// for the GI's family, gezag and decision shown; the GI's report on the mother lists the
/// disclosure as its report on Sem does.
async fn briefing_logt_elke_eigenaar(db: Db) {
    let Some((app, _)) = demowereld(db).await else {
        return;
    };
    let gi = gi_gezin(&app).await;
    let lisa = pseudoniem(&app, identiteit(&app, BSN_MOEDER, "Lisa", "Visser"));
    let mark = pseudoniem(&app, identiteit(&app, BSN_VADER, "Mark", "de Boer"));
    let sem = pseudoniem(&app, identiteit(&app, BSN_SEM, "Sem", "de Boer"));
    let voor = (
        onder_convenant(&app, &lisa),
        onder_convenant(&app, &mark),
        onder_convenant(&app, &sem),
    );
    assert_eq!(voor, (0, 0, 0), "the police held only their own data");

    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let b = maak(
        &app,
        "/api/v1/briefings/_zoek",
        &noodhulp,
        json!({"bsn": BSN_MOEDER}),
    )
    .await;
    assert!(
        b["gezinnen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["eigenaar"] == GI),
        "{b}"
    );
    assert!(
        b["gezag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["eigenaar"] == GI),
        "{b}"
    );
    // The parents are shown from the police's own records.
    for p in b["personen"].as_array().unwrap() {
        assert_eq!(p["geregistreerdDoor"], POLITIE, "{p}");
    }
    assert_eq!(onder_convenant(&app, &lisa), 1, "the GI's data on Lisa");
    assert_eq!(onder_convenant(&app, &mark), 1, "the GI's data on Mark");
    assert_eq!(onder_convenant(&app, &sem), 1, "the GI's data on Sem");
    // Their own records still under their own task.
    assert!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{POLITIE}' \
             AND activiteit = 'briefing' AND betrokkene = '{lisa}' AND convenant_id IS NULL"
        )) >= 2
    );

    // The GI's reports: the mother's lists the disclosure, as Sem's does.
    let r = rapport(&app, GI, &gi.moeder).await;
    assert_eq!(
        verstrekt_aan_politie(&r).len(),
        1,
        "{}",
        r["verstrekkingen"]
    );
    let r = rapport(&app, GI, &gi.noor).await;
    assert_eq!(
        verstrekt_aan_politie(&r).len(),
        1,
        "{}",
        r["verstrekkingen"]
    );
}

/// The counts of the logs of one read: (audit rows on `object_id`, processing-log rows of
/// `org` for `activiteit`, disclosures of `object_id`).
fn logs(app: &TestApp, org: &str, activiteit: &str, object_id: &str) -> (i64, i64, i64) {
    (
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE organisatie = '{org}' AND object_id = '{object_id}' AND actie = 'lezen'"
        )),
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{org}' AND activiteit = '{activiteit}'"
        )),
        app.tel(&format!(
            "SELECT count(*) AS n FROM verstrekkingen WHERE object_id = '{object_id}'"
        )),
    )
}

/// F2: a melding received by Veilig Thuis without feedback: the police's and Veilig
/// Thuis's empty lists are their audit rows alone; once fed back, the list logs.
async fn lege_terugkoppelingen_loggen_niets(db: Db) {
    let Some((app, _)) = demowereld(db).await else {
        return;
    };
    let wijkagent = app.token(POLITIE, &["wijkagent"]);
    let m = maak(&app, "/api/v1/zorgmeldingen", &wijkagent, json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN_SEM, "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "bsn": BSN_MOEDER, "gezag": true},
                   {"voornaam": "Mark", "achternaam": "de Boer", "relatie": "vader", "gezag": false}],
        "incidentReferentie": "DEMO-PL-10", "incidentDatum": "2026-11-28", "omschrijving": "Opnieuw ruzie.",
        "zorgen": "Sem is getuige.", "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": "Lisa Visser", "rol": "moeder", "tekst": "Hij kwam weer niet."}],
        "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": "hoofdagent B", "functie": "wijkagent", "identiteitDelen": true}
    })).await;
    let id = m["id"].as_str().unwrap().to_string();
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
        &wijkagent,
        json!({}),
    )
    .await;
    let triagist = app.token(VT, &["triagist"]);
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{id}/ontvangsten"),
        &triagist,
        json!({}),
    )
    .await;
    let pad = format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen");

    for (org, token) in [(POLITIE, &wijkagent), (VT, &triagist)] {
        let (a0, p0, v0) = logs(&app, org, "terugkoppeling", &id);
        let res = app.get(&pad, token).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap(), json!([]));
        assert_eq!(
            logs(&app, org, "terugkoppeling", &id),
            (a0 + 1, p0, v0),
            "{org}: the audit row alone"
        );
    }

    // Fed back: the police's read logs the feedback's persons and the disclosure.
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{id}/beoordelingen"),
        &triagist,
        json!({"uitkomst": "onderzoek-vt", "acuut": false, "toelichting": "Gesprek gepland."}),
    )
    .await;
    maak(
        &app,
        &pad,
        &triagist,
        json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true,
        "melderHeeftRol": false, "toelichting": "Voorwaarden afgesproken."}),
    )
    .await;
    let (a0, p0, v0) = logs(&app, POLITIE, "terugkoppeling", &id);
    let res = app.get(&pad, &wijkagent).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap().as_array().unwrap().len(),
        1
    );
    assert_eq!(
        logs(&app, POLITIE, "terugkoppeling", &id),
        (a0 + 1, p0 + 3, v0 + 1),
        "one row per person of the feedback, one disclosure"
    );
}

/// The same rule on the other reads that answer a list: no gezag record on a child, no
/// own statement on a decision, are the audit row alone; a gezag record shown logs.
async fn lege_lijsten_loggen_niets(db: Db) {
    let Some((app, _)) = demowereld(db).await else {
        return;
    };
    let gi = gi_gezin(&app).await;
    let noodhulp = app.token(POLITIE, &["noodhulp"]);

    let (a0, p0, v0) = logs(&app, POLITIE, "briefing", &gi.noor);
    let res = app
        .get(&format!("/api/v1/personen/{}/gezag", gi.noor), &noodhulp)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!([]));
    assert_eq!(logs(&app, POLITIE, "briefing", &gi.noor), (a0 + 1, p0, v0));

    let (a0, p0, v0) = logs(&app, POLITIE, "briefing", &gi.beschikking);
    let res = app
        .get(
            &format!(
                "/api/v1/beschikkingen/{}/eigen-verklaringen",
                gi.beschikking
            ),
            &noodhulp,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!([]));
    assert_eq!(
        logs(&app, POLITIE, "briefing", &gi.beschikking),
        (a0 + 1, p0, v0)
    );

    // Sem's gezag record is shown: Sem and the mother, one disclosure.
    let sem = &gi.sem;
    let (a0, p0, v0) = logs(&app, POLITIE, "briefing", sem);
    let res = app
        .get(&format!("/api/v1/personen/{sem}/gezag"), &noodhulp)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap().as_array().unwrap().len(),
        1
    );
    assert_eq!(
        logs(&app, POLITIE, "briefing", sem),
        (a0 + 1, p0 + 2, v0 + 1)
    );
}

/// F2 (`LOG_ONDER_GRONDSLAG_EIGENAAR` for own statements): the police's privacy officer
/// records Sem's statement on the GI's person record; the GI's reads of Sem that return it
/// leave a disclosure in the police's register, a processing-log row of the GI under the
/// police's data's basis, and the police's inzage report on Sem names the GI.
async fn verklaring_van_ander_logt_onder_vastlegger(db: Db) {
    let Some((app, _)) = demowereld(db).await else {
        return;
    };
    let gi = gi_gezin(&app).await;
    let sem = &gi.sem;
    // The police receive the GI's data on Sem (a briefing), so may record his statement.
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    maak(
        &app,
        "/api/v1/briefings/_zoek",
        &noodhulp,
        json!({"bsn": BSN_SEM}),
    )
    .await;
    let pol_fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let v = maak(
        &app,
        &format!("/api/v1/personen/{sem}/eigen-verklaringen"),
        &pol_fg,
        json!({"tekst": "Ik ben het niet eens met de weergave van mijn situatie."}),
    )
    .await;
    let vid = v["id"].as_str().unwrap().to_string();
    let aan_gi = |app: &TestApp| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM verstrekkingen WHERE eigenaar = '{POLITIE}' \
             AND ontvanger = '{GI}' AND object_id = '{vid}'"
        ))
    };
    assert_eq!(aan_gi(&app), 0);

    let gv = app.token(GI, &["gezinsvoogd"]);
    for pad in [
        format!("/api/v1/personen/{sem}"),
        format!("/api/v1/personen/{sem}/eigen-verklaringen"),
    ] {
        let res = app.get(&pad, &gv).await;
        assert_eq!(res.status(), 200, "{pad}");
        let body: Value = res.json().await.unwrap();
        assert!(body.to_string().contains(&vid), "{pad}: {body}");
    }
    assert_eq!(aan_gi(&app), 2, "one disclosure per read returning it");
    let subject = pseudoniem(&app, identiteit(&app, BSN_SEM, "Sem", "de Boer"));
    assert!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{GI}' \
             AND betrokkene = '{subject}' AND grondslag <> 'eigen taakuitvoering' \
             AND convenant_id IS NOT NULL"
        )) >= 2,
        "the GI's reads logged under the police's data's basis"
    );
    let r = rapport(&app, POLITIE, sem).await;
    assert!(
        r["verstrekkingen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["aan"] == GI),
        "{}",
        r["verstrekkingen"]
    );
}

op_beide_backends!(
    verklaring_van_ander_logt_onder_vastlegger,
    briefing_logt_elke_eigenaar,
    lege_terugkoppelingen_loggen_niets,
    lege_lijsten_loggen_niets
);
