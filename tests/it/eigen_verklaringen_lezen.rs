//! Reading a record's own statements is a read of the record (rule
//! `VERKLARING_LEZEN_ALS_RECORD`, `privacy::verantwoording::verklaringen`; the hostile
//! partner test's finding F1), over real HTTP on both databases. Each
//! `GET .../{id}/eigen-verklaringen` answers exactly as the record's own read: the OM
//! without the reason its rule requires is refused; Veilig Thuis, with no rule for police
//! incidents, is refused although it received the police's data on the mother; a wijkteam
//! hears an unknown id for an incident outside its view; a `zeer-geheim` statement stays
//! above an agreement's cap of `vertrouwelijk`; the read is in the owner's disclosure
//! register and in the audit trail under the agreement, not as the reader's own task. A
//! wrong `door` tells an organisation that is not the record's owner no person ids.

use crate::common;
use crate::eigen_verklaringen::{id, maak, persoon};

use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};
use uuid::Uuid;

const POLITIE: &str = "politie-haaglanden";
const VT: &str = "vt-haaglanden";
const GI: &str = "gi-jeugdbescherming-west";
const OM: &str = "om-parket-den-haag";
const WIJK: &str = "wijkteam-den-haag-centrum";

const BSN_MOEDER: &str = "123456721";
const BSN_KIND: &str = "123456733";

/// The agreement's grondslag code: every rule's, so an audit row under the agreement
/// names it.
const GRONDSLAG: &str = "Convenant Zorg- en Veiligheidshuis art. 4";

/// Rate limits and look-up quotas off: the tests read the same records many times.
const CONFIG: &str = "[limits]\nclient_per_second = 0\nuser_per_second = 0\nbriefings_per_day = 0\nperson_lookups_per_day = 0\n";

/// The records of one test: the police's person record of the mother and its incident,
/// each with a `vertrouwelijk` and a `zeer-geheim` statement of the police; the GI's
/// family and decision with a statement of the GI; the police's melding to Veilig Thuis.
struct Opzet {
    app: TestApp,
    moeder: String,
    kind: String,
    incident: String,
    gezin: String,
    beschikking: String,
}

impl Opzet {
    fn token(&self, org: &str, rol: &str) -> String {
        self.app.token(org, &[rol])
    }

    async fn get(&self, pad: &str, token: &str, reden: Option<&str>) -> reqwest::Response {
        let mut r = self.app.client.get(self.app.url(pad)).bearer_auth(token);
        if let Some(reden) = reden {
            r = r.header("X-Audit-Toelichting", reden);
        }
        r.send().await.unwrap()
    }
}

/// The texts of a list of statements.
fn teksten(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list of statements: {v}"))
        .iter()
        .map(|s| s["tekst"].as_str().unwrap().to_string())
        .collect()
}

/// Status and problem body without what differs per request.
async fn antwoord(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let mut b: Value = res.json().await.unwrap();
    if let Some(m) = b.as_object_mut() {
        m.remove("instance");
        m.remove("traceId");
    }
    (status, b)
}

async fn opzet(db: Db) -> Option<Opzet> {
    let app = common::spawn_with(db, CONFIG).await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.organisatie(OM, "om", &[]).await;
    app.organisatie(WIJK, "wijkteam", &["0518"]).await;
    // Veilig Thuis reads and handles the melding it receives (ROUTERING_BINNEN_CONVENANT);
    // the others only read.
    let regel = |soort: &str, rol: &str, doel: &str, cats: Value, reden: bool| {
        let acties = if soort == "veilig-thuis" {
            json!(["lezen", "wijzigen"])
        } else {
            json!(["lezen"])
        };
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": acties, "categorieen": cats, "doel": doel,
               "maxVertrouwelijkheid": "vertrouwelijk", "redenVerplicht": reden,
               "grondslag": {"code": GRONDSLAG, "omschrijving": "ketensamenwerking"}})
    };
    app.convenant_van_kracht(&json!({
        "titel": "Pilot Haaglanden",
        "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": VT, "rol": "vt"},
                     {"organisatie": GI, "rol": "gi"}, {"organisatie": OM, "rol": "om"},
                     {"organisatie": WIJK, "rol": "wijkteam"}],
        "doelen": ["veiligheidsbeoordeling", "terugkoppeling", "briefing", "strafrechtelijke-beoordeling"],
        "categorieen": ["identificatie", "bsn", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "melder-identiteit", "hulpverlening"],
        "regels": [
            regel("veilig-thuis", "triagist", "veiligheidsbeoordeling",
                  json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]), false),
            regel("politie", "noodhulp", "briefing",
                  json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"]), false),
            regel("om", "officier-van-justitie", "strafrechtelijke-beoordeling",
                  json!(["identificatie", "politiegegevens"]), true),
            regel("wijkteam", "wijkteammedewerker", "briefing", json!(["identificatie"]), false)
        ]
    }))
    .await;
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let agent = app.token(POLITIE, &["wijkagent"]);
    let gi = app.token(GI, &["gezinsvoogd"]);
    let politie_fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let gi_fg = app.token(GI, &["privacyfunctionaris"]);

    let moeder = persoon(&app, &noodhulp, BSN_MOEDER, "Lisa", "1986-07-22").await;
    let kind = persoon(&app, &noodhulp, BSN_KIND, "Sem", "2016-05-04").await;
    let incident = id(&maak(&app, "/api/v1/incidenten", &noodhulp, json!({
        "tijdstip": (chrono::Utc::now() - chrono::Duration::days(10)).to_rfc3339(), "gemeente": "0518",
        "soort": "overdracht-kind-mislukt", "politieReferentie": "PL1500-2026000778",
        "samenvatting": "Overdracht bij de school mislukt.",
        "betrokkenen": [{"persoon": moeder, "rol": "moeder"}, {"persoon": kind, "rol": "kind"}]})).await);
    let gi_moeder = persoon(&app, &gi, BSN_MOEDER, "Lisa", "1986-07-22").await;
    let gi_kind = persoon(&app, &gi, BSN_KIND, "Sem", "2016-05-04").await;
    let gezin = id(&maak(
        &app,
        "/api/v1/gezinnen",
        &gi,
        json!({"leden": [{"persoon": gi_moeder, "relatie": "ouder"}, {"persoon": gi_kind, "relatie": "kind"}]}),
    )
    .await);
    let beschikking = id(&maak(&app, &format!("/api/v1/gezinnen/{gezin}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/650002", "datum": "2026-01-05", "soort": "omgang",
        "van": "2026-01-05", "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [gi_kind]})).await);
    let melding = id(&maak(&app, "/api/v1/zorgmeldingen", &agent, json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN_KIND, "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "de Boer", "relatie": "moeder", "bsn": BSN_MOEDER, "gezag": true}],
        "omschrijving": "Overdracht mislukt.", "zorgen": "Kind getuige van conflicten.",
        "acuut": false, "risiconiveau": "verhoogd", "verklaringen": [], "oudersGeinformeerd": true,
        "terugkoppelingGewenst": true,
        "melder": {"naam": "agent P. Pietersen", "functie": "wijkagent", "identiteitDelen": true}})).await);
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{melding}/indieningen"),
        &agent,
        json!({}),
    )
    .await;

    // The owners' privacy officers record statements, one of them above every rule's cap.
    for (pad, door) in [
        (
            format!("/api/v1/personen/{moeder}/eigen-verklaringen"),
            None,
        ),
        (
            format!("/api/v1/incidenten/{incident}/eigen-verklaringen"),
            Some(moeder.clone()),
        ),
    ] {
        for niveau in ["vertrouwelijk", "zeer-geheim"] {
            let mut body = json!({"tekst": format!("{niveau} {pad}"), "vertrouwelijkheid": niveau});
            if let Some(d) = &door {
                body["door"] = json!(d);
            }
            maak(&app, &pad, &politie_fg, body).await;
        }
    }
    maak(
        &app,
        &format!("/api/v1/beschikkingen/{beschikking}/eigen-verklaringen"),
        &gi_fg,
        json!({"tekst": "B: de regeling werkt niet.", "door": gi_kind, "vertrouwelijkheid": "vertrouwelijk"}),
    )
    .await;

    let o = Opzet {
        app,
        moeder,
        kind,
        incident,
        gezin,
        beschikking,
    };
    // Each reader once received the police's data on the mother lawfully (so it "holds"
    // it, VERKLARING_DOOR_HOUDER): the OM read the incident with a reason, Veilig Thuis
    // the melding, the wijkteam the person record.
    let officier = o.token(OM, "officier-van-justitie");
    let res = o
        .get(
            &format!("/api/v1/incidenten/{}", o.incident),
            &officier,
            Some("onderzoek zaak 12"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = o
        .get(
            &format!("/api/v1/zorgmeldingen/{melding}"),
            &o.token(VT, "triagist"),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = o
        .get(
            &format!("/api/v1/personen/{}", o.moeder),
            &o.token(WIJK, "wijkteammedewerker"),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    Some(o)
}

/// The answer of `GET {record}/eigen-verklaringen` is the answer of `GET {record}`
/// (status and problem), for a refusal.
async fn zelfde_weigering(
    o: &Opzet,
    record: &str,
    token: &str,
    reden: Option<&str>,
) -> (u16, Value) {
    let (status, b) = antwoord(o.get(record, token, reden).await).await;
    assert!(status == 403 || status == 404, "{record}: {status} {b}");
    let lijst = format!("{record}/eigen-verklaringen");
    let (status_l, b_l) = antwoord(o.get(&lijst, token, reden).await).await;
    assert_eq!(status_l, status, "{lijst} answers as {record}: {b_l}");
    assert_eq!(b_l["type"], b["type"], "{lijst}: {b_l} vs {b}");
    assert_eq!(b_l["detail"], b["detail"], "{lijst}: {b_l} vs {b}");
    assert!(!b_l.to_string().contains("zeer-geheim"), "{b_l}");
    (status, b_l)
}

/// The OM's rule requires a reason per request (REDEN_VERPLICHT): without one, the
/// statements on the police's person record and incident are refused like the records.
async fn om_zonder_reden_geweigerd(db: Db) {
    let Some(o) = opzet(db).await else { return };
    let officier = o.token(OM, "officier-van-justitie");
    for record in [
        format!("/api/v1/personen/{}", o.moeder),
        format!("/api/v1/incidenten/{}", o.incident),
    ] {
        let (status, b) = zelfde_weigering(&o, &record, &officier, None).await;
        assert_eq!(status, 403, "{record}: {b}");
        assert!(
            b["detail"]
                .as_str()
                .unwrap()
                .contains("X-Audit-Toelichting"),
            "{b}"
        );
        // With the reason: the statements at the levels the rule reaches.
        let res = o
            .get(
                &format!("{record}/eigen-verklaringen"),
                &officier,
                Some("onderzoek zaak 12"),
            )
            .await;
        assert_eq!(res.status(), 200, "{record}");
    }
}

/// Veilig Thuis has no rule for police incidents: although it received the police's data
/// on the mother (the melding), the incident's statements are refused like the incident.
async fn vt_zonder_regel_voor_incidenten_geweigerd(db: Db) {
    let Some(o) = opzet(db).await else { return };
    for rol in ["triagist", "privacyfunctionaris"] {
        let record = format!("/api/v1/incidenten/{}", o.incident);
        zelfde_weigering(&o, &record, &o.token(VT, rol), None).await;
    }
}

/// An incident outside the wijkteam's view is an unknown id, its statements too: the
/// same 404 and body as an id that does not exist, no existence oracle.
async fn wijkteam_hoort_onbekend_id(db: Db) {
    let Some(o) = opzet(db).await else { return };
    for rol in ["wijkteammedewerker", "privacyfunctionaris"] {
        let token = o.token(WIJK, rol);
        let record = format!("/api/v1/incidenten/{}", o.incident);
        let (status, b) = zelfde_weigering(&o, &record, &token, None).await;
        assert_eq!(status, 404, "{b}");
        let onbekend = assert_problem(
            o.get(
                &format!("/api/v1/incidenten/{}/eigen-verklaringen", Uuid::now_v7()),
                &token,
                None,
            )
            .await,
            404,
        )
        .await;
        assert_eq!(b["detail"], onbekend["detail"]);
        assert_eq!(b["type"], onbekend["type"]);
    }
}

/// Every rule caps at `vertrouwelijk`: the OM (with its reason) and the police's own staff
/// reading the GI's decision see the statements up to that level; a `zeer-geheim`
/// statement only its owner.
async fn zeer_geheim_niet_boven_plafond(db: Db) {
    let Some(o) = opzet(db).await else { return };
    let officier = o.token(OM, "officier-van-justitie");
    let noodhulp = o.token(POLITIE, "noodhulp");
    for record in [
        format!("/api/v1/personen/{}", o.moeder),
        format!("/api/v1/incidenten/{}", o.incident),
    ] {
        let pad = format!("{record}/eigen-verklaringen");
        let v: Value = o
            .get(&pad, &officier, Some("onderzoek zaak 12"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            teksten(&v),
            [format!("vertrouwelijk {pad}")],
            "the OM sees up to its cap"
        );
        // The record's own read shows the same.
        let r: Value = o
            .get(&record, &officier, Some("onderzoek zaak 12"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(r["eigenVerklaringen"], v, "{record}");
        // The owner sees both.
        let v: Value = o.get(&pad, &noodhulp, None).await.json().await.unwrap();
        assert_eq!(
            teksten(&v),
            [format!("vertrouwelijk {pad}"), format!("zeer-geheim {pad}")]
        );
    }
    let v: Value = o
        .get(
            &format!("/api/v1/beschikkingen/{}/eigen-verklaringen", o.beschikking),
            &noodhulp,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(teksten(&v), ["B: de regeling werkt niet."]);
}

/// A read of another organisation's record's statements is a disclosure: in the owner's
/// register (`verstrekkingen`, under the agreement), in the audit trail as a read of the
/// owner's record under the agreement's basis, one processing-log row per person.
async fn verstrekking_bij_eigenaar(db: Db) {
    let Some(o) = opzet(db).await else { return };
    let app = &o.app;
    let officier = o.token(OM, "officier-van-justitie");
    let verstrekt = |eigenaar: &str, ontvanger: &str, soort: &str, id: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM verstrekkingen WHERE eigenaar = '{eigenaar}' AND ontvanger = '{ontvanger}' \
             AND object_type = '{soort}' AND object_id = '{id}' AND convenant_id IS NOT NULL"
        ))
    };
    let onder_convenant = |org: &str, eigenaar: &str, soort: &str, id: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE organisatie = '{org}' AND eigenaar = '{eigenaar}' \
             AND object_type = '{soort}' AND object_id = '{id}' AND actie = 'lezen' AND resultaat = 200 \
             AND grondslag LIKE '%{GRONDSLAG}%'"
        ))
    };
    let als_eigen_taak = |org: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE organisatie = '{org}' AND eigenaar = '{org}' \
             AND grondslag LIKE '%eigen taakuitvoering%'"
        ))
    };
    let verwerkt = |org: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{org}' AND convenant_id IS NOT NULL"
        ))
    };

    // The OM reads the incident's statements.
    let (v0, a0, e0, p0) = (
        verstrekt(POLITIE, OM, "incidenten", &o.incident),
        onder_convenant(OM, POLITIE, "incidenten", &o.incident),
        als_eigen_taak(OM),
        verwerkt(OM),
    );
    let res = o
        .get(
            &format!("/api/v1/incidenten/{}/eigen-verklaringen", o.incident),
            &officier,
            Some("onderzoek zaak 12"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(verstrekt(POLITIE, OM, "incidenten", &o.incident), v0 + 1);
    assert_eq!(
        onder_convenant(OM, POLITIE, "incidenten", &o.incident),
        a0 + 1
    );
    assert_eq!(als_eigen_taak(OM), e0, "not as the OM's own task");
    assert_eq!(verwerkt(OM), p0 + 2, "one row per person: mother and child");

    // The OM reads the person's statements.
    let v0 = verstrekt(POLITIE, OM, "personen", &o.moeder);
    let res = o
        .get(
            &format!("/api/v1/personen/{}/eigen-verklaringen", o.moeder),
            &officier,
            Some("onderzoek zaak 12"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(verstrekt(POLITIE, OM, "personen", &o.moeder), v0 + 1);
    assert_eq!(als_eigen_taak(OM), e0);

    // The police read the GI's decision's statements: the GI's register has it.
    let noodhulp = o.token(POLITIE, "noodhulp");
    let v0 = verstrekt(GI, POLITIE, "beschikkingen", &o.beschikking);
    let res = o
        .get(
            &format!("/api/v1/beschikkingen/{}/eigen-verklaringen", o.beschikking),
            &noodhulp,
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        verstrekt(GI, POLITIE, "beschikkingen", &o.beschikking),
        v0 + 1
    );
    assert_eq!(
        onder_convenant(POLITIE, GI, "beschikkingen", &o.beschikking),
        1
    );

    // The OM has no rule for the GI's families: the decision's statements answer as the
    // family dossier does.
    let (status, _) = antwoord(
        o.get(
            &format!("/api/v1/gezinnen/{}", o.gezin),
            &officier,
            Some("onderzoek zaak 12"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status_b, _) = antwoord(
        o.get(
            &format!("/api/v1/beschikkingen/{}/eigen-verklaringen", o.beschikking),
            &officier,
            Some("onderzoek zaak 12"),
        )
        .await,
    )
    .await;
    assert_eq!(status_b, status);
}

/// A wrong `door` is a 422 (a rule of the record); it lists the record's person ids only
/// to the record's owner, never to an organisation that merely holds it.
async fn door_noemt_geen_ids_aan_anderen(db: Db) {
    let Some(o) = opzet(db).await else { return };
    let pad = format!("/api/v1/incidenten/{}/eigen-verklaringen", o.incident);
    let body = json!({"tekst": "x", "door": Uuid::now_v7()});
    let b = assert_problem(
        o.app
            .post(&pad, &o.token(POLITIE, "privacyfunctionaris"), &body)
            .await,
        422,
    )
    .await;
    assert_eq!(b["invalidParams"][0]["name"], "/door", "{b}");
    assert!(
        b.to_string().contains(&o.moeder),
        "the owner hears the ids: {b}"
    );
    // The OM holds the incident (it read it): it may record a statement, with a reason
    // (OM_PER_VERZOEK_MET_REDEN), but hears no ids.
    let b = assert_problem(
        o.app
            .client
            .post(o.app.url(&pad))
            .bearer_auth(o.token(OM, "privacyfunctionaris"))
            .header("X-Audit-Toelichting", "onderzoek zaak 12")
            .json(&body)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(b["invalidParams"][0]["name"], "/door", "{b}");
    for id in [&o.moeder, &o.kind] {
        assert!(!b.to_string().contains(id.as_str()), "{b}");
    }
}

/// A person's statements are a read of the person record: they count as a person
/// look-up (`QUOTUM_PER_GEBRUIKER`), like `GET /personen/{id}`.
async fn persoon_verklaringen_tellen_als_opvraging(db: Db) {
    let Some(app) = common::spawn_with(
        db,
        "[limits]\nuser_per_second = 0\nperson_lookups_per_day = 2",
    )
    .await
    else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let pad = format!("/api/v1/personen/{}/eigen-verklaringen", Uuid::now_v7());
    for _ in 0..2 {
        assert_eq!(app.get(&pad, &noodhulp).await.status(), 404);
    }
    assert_eq!(app.get(&pad, &noodhulp).await.status(), 429);
}

op_beide_backends!(
    persoon_verklaringen_tellen_als_opvraging,
    om_zonder_reden_geweigerd,
    vt_zonder_regel_voor_incidenten_geweigerd,
    wijkteam_hoort_onbekend_id,
    zeer_geheim_niet_boven_plafond,
    verstrekking_bij_eigenaar,
    door_noemt_geen_ids_aan_anderen,
);
