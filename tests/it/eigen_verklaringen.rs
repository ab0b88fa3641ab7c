//! Eigen verklaringen on every record that holds personal data (issue 15 point 2; DOMAIN.md
//! §3 flow 8, Jeugdwet art. 7.3.8), over real HTTP on both databases: a person, a
//! zorgmelding, an incident, a beschikking and a terugkoppeling each get a statement
//! through their owner's privacy officer and one through the privacy officer of an
//! organisation that received the record under an agreement; each statement is read back
//! inline from every route that returns its record (the record's own reads, the family
//! dossier, the feedback list, the write answers, the briefing) and from the sub-resource,
//! and the owner's inzage lists the ones it holds. A non-holding organisation hears an
//! unknown id (and the refusal is in the audit trail); another role of a holder is refused;
//! `door` names only a person of the record; the records themselves are unchanged.

use crate::common;

use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};
use uuid::Uuid;

const POLITIE: &str = "politie-haaglanden";
const VT: &str = "vt-haaglanden";
const GI: &str = "gi-jeugdbescherming-west";
const OM: &str = "om-parket-den-haag";
const BUITEN: &str = "wijkteam-elders";

const BSN_MOEDER: &str = "123456721";
const BSN_KIND: &str = "123456733";

/// Rate limits and look-up quotas off: the test reads the same records many times.
const CONFIG: &str = "[limits]\nclient_per_second = 0\nuser_per_second = 0\nbriefings_per_day = 0\nperson_lookups_per_day = 0\n";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn_with(db, CONFIG).await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.organisatie(OM, "om", &[]).await;
    app.organisatie(BUITEN, "wijkteam", &["0363"]).await;
    let regel = |soort: &str, rol: &str, acties: Value, doel: &str, cats: Value| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": acties, "categorieen": cats, "doel": doel,
               "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Convenant Zorg- en Veiligheidshuis art. 4", "omschrijving": "ketensamenwerking"}})
    };
    // OM_PER_VERZOEK_MET_REDEN: an OM rule asks a reason per request.
    let mut om = regel(
        "om",
        "officier-van-justitie",
        json!(["lezen"]),
        "strafrechtelijke-beoordeling",
        json!(["identificatie", "politiegegevens"]),
    );
    om["redenVerplicht"] = json!(true);
    app.convenant_van_kracht(&json!({
        "titel": "Pilot Haaglanden: meldingen, briefing en strafrechtelijke beoordeling",
        "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": VT, "rol": "vt"},
                     {"organisatie": GI, "rol": "gi"}, {"organisatie": OM, "rol": "om"}],
        "doelen": ["veiligheidsbeoordeling", "terugkoppeling", "briefing", "strafrechtelijke-beoordeling"],
        "categorieen": ["identificatie", "bsn", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "melder-identiteit", "hulpverlening"],
        "regels": [
            regel("veilig-thuis", "triagist", json!(["lezen", "wijzigen"]), "veiligheidsbeoordeling",
                  json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"])),
            regel("politie", "wijkagent", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"])),
            regel("politie", "noodhulp", json!(["lezen"]), "briefing",
                  json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"])),
            om
        ]
    }))
    .await;
    Some(app)
}

pub(crate) async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{pad}: {status} {v}");
    v
}

/// A read with a stated reason: the OM's reads need one (OM_PER_VERZOEK_MET_REDEN); for
/// the others it is only logged.
async fn lees(app: &TestApp, pad: &str, token: &str) -> Value {
    let res = app
        .client
        .get(app.url(pad))
        .bearer_auth(token)
        .header(
            "X-Audit-Toelichting",
            "zaak 09/123456-26, lezen voor de test",
        )
        .send()
        .await
        .unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{pad}: {v}");
    v
}

pub(crate) fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

pub(crate) async fn persoon(
    app: &TestApp,
    token: &str,
    bsn: &str,
    voornamen: &str,
    geboren: &str,
) -> String {
    id(&maak(
        app,
        "/api/v1/personen",
        token,
        json!({"bsn": bsn, "voornamen": voornamen, "achternaam": "de Boer", "geboortedatum": geboren,
               "adres": {"straat": "Laan van Meerdervoort", "huisnummer": "12", "postcode": "2517AB", "gemeente": "0518"}}),
    )
    .await)
}

/// The texts of the statements in `v["eigenVerklaringen"]`, in order.
fn teksten(v: &Value) -> Vec<String> {
    v["eigenVerklaringen"]
        .as_array()
        .unwrap_or_else(|| panic!("no eigenVerklaringen in {v}"))
        .iter()
        .map(|s| s["tekst"].as_str().unwrap().to_string())
        .collect()
}

/// `v` without its statements (and, for a family, without those of its decisions): the
/// record as it was before any statement.
fn zonder_verklaringen(mut v: Value) -> Value {
    fn weg(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("eigenVerklaringen");
                m.values_mut().for_each(weg);
            }
            Value::Array(a) => a.iter_mut().for_each(weg),
            _ => {}
        }
    }
    weg(&mut v);
    v
}

/// A problem's body without what differs per request.
async fn zonder_instance(res: reqwest::Response, status: u16) -> Value {
    let mut b = assert_problem(res, status).await;
    let m = b.as_object_mut().unwrap();
    m.remove("instance");
    m.remove("traceId");
    b
}

/// The records of one kind under test: the sub-resource's collection name, the record id.
struct Soort {
    collectie: &'static str,
    id: String,
}

impl Soort {
    fn pad(&self) -> String {
        format!("/api/v1/{}/{}/eigen-verklaringen", self.collectie, self.id)
    }
    fn onbekend(&self) -> String {
        format!(
            "/api/v1/{}/{}/eigen-verklaringen",
            self.collectie,
            Uuid::now_v7()
        )
    }
}

/// Record `tekst` by `door` (left out when null) on `s` as `token`: 201 with `Location`,
/// the statement as answered, naming who made it as `verwacht_door`.
async fn voeg(
    app: &TestApp,
    s: &Soort,
    token: &str,
    door: Value,
    tekst: &str,
    verwacht_door: &str,
) -> Value {
    let mut body = json!({"tekst": tekst});
    if !door.is_null() {
        body["door"] = door;
    }
    // With a reason: the OM's act on another organisation's record needs one
    // (OM_PER_VERZOEK_MET_REDEN); anyone else's is logged with it.
    let res = app
        .client
        .post(app.url(&s.pad()))
        .bearer_auth(token)
        .header(
            "X-Audit-Toelichting",
            "verzoek van betrokkene, eigen verklaring",
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", s.collectie);
    assert_eq!(res.headers()["location"].to_str().unwrap(), s.pad());
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["tekst"], tekst);
    assert_eq!(v["door"], verwacht_door, "{}: {v}", s.collectie);
    v
}

async fn eigen_verklaring_op_elk_record(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let agent = app.token(POLITIE, &["wijkagent"]);
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let triagist = app.token(VT, &["triagist"]);
    let officier = app.token(OM, &["officier-van-justitie"]);
    let fg = |org: &str| app.token(org, &["privacyfunctionaris"]);
    let (politie_fg, vt_fg, gi_fg, om_fg, buiten_fg) =
        (fg(POLITIE), fg(VT), fg(GI), fg(OM), fg(BUITEN));

    // The GI's family with a decision in force; the police's own records of the same
    // people and an incident; a melding from the police to Veilig Thuis, and its feedback.
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
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/650001", "datum": "2026-01-05", "soort": "omgang",
        "van": "2026-01-05", "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [gi_kind]})).await);
    let moeder = persoon(&app, &noodhulp, BSN_MOEDER, "Lisa", "1986-07-22").await;
    let kind = persoon(&app, &noodhulp, BSN_KIND, "Sem", "2016-05-04").await;
    let incident = id(&maak(&app, "/api/v1/incidenten", &noodhulp, json!({
        "tijdstip": (chrono::Utc::now() - chrono::Duration::days(10)).to_rfc3339(), "gemeente": "0518",
        "soort": "overdracht-kind-mislukt", "politieReferentie": "PL1500-2026000777",
        "samenvatting": "Overdracht bij de school mislukt.",
        "betrokkenen": [{"persoon": moeder, "rol": "moeder"}, {"persoon": kind, "rol": "kind"}],
        "verklaringen": [{"afgelegdDoor": "moeder", "persoon": moeder, "tekst": "Hij kwam niet."}]})).await);
    let melding = id(&maak(&app, "/api/v1/zorgmeldingen", &agent, json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN_KIND, "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "de Boer", "relatie": "moeder", "bsn": BSN_MOEDER, "gezag": true}],
        "omschrijving": "Overdracht mislukt; ruzie bij de school.", "zorgen": "Kind getuige van conflicten.",
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
    let terugkoppeling = id(&maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{melding}/terugkoppelingen"),
        &triagist,
        json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false}),
    )
    .await);

    // The receiving organisations read under the agreement: Veilig Thuis the melding
    // (which names the mother the police hold a record of), the OM the police's incident
    // and person record, the police the GI's family.
    lees(&app, &format!("/api/v1/zorgmeldingen/{melding}"), &triagist).await;
    lees(&app, &format!("/api/v1/incidenten/{incident}"), &officier).await;
    lees(&app, &format!("/api/v1/personen/{moeder}"), &officier).await;
    lees(&app, &format!("/api/v1/gezinnen/{gezin}"), &noodhulp).await;

    // Every read of every record before any statement.
    let record_paden = [
        (format!("/api/v1/personen/{moeder}"), &noodhulp),
        (format!("/api/v1/zorgmeldingen/{melding}"), &agent),
        (format!("/api/v1/incidenten/{incident}"), &noodhulp),
        (format!("/api/v1/gezinnen/{gezin}"), &gi),
        (
            format!("/api/v1/zorgmeldingen/{melding}/terugkoppelingen"),
            &agent,
        ),
    ];
    let mut voor = Vec::new();
    for (pad, token) in &record_paden {
        let v = lees(&app, pad, token).await;
        assert!(
            v.to_string().contains("eigenVerklaringen"),
            "{pad} shows its statements (none yet): {v}"
        );
        voor.push(zonder_verklaringen(v));
    }

    let soorten = [
        Soort {
            collectie: "personen",
            id: moeder.clone(),
        },
        Soort {
            collectie: "zorgmeldingen",
            id: melding.clone(),
        },
        Soort {
            collectie: "incidenten",
            id: incident.clone(),
        },
        Soort {
            collectie: "beschikkingen",
            id: beschikking.clone(),
        },
        Soort {
            collectie: "terugkoppelingen",
            id: terugkoppeling.clone(),
        },
    ];

    // An organisation that holds none of them: exactly an unknown id, the attempt in the
    // audit trail; the same for its GET.
    for s in &soorten {
        let body = json!({"tekst": "x", "door": "ouders/0"});
        let verwacht = zonder_instance(app.post(&s.onbekend(), &buiten_fg, &body).await, 404).await;
        let kreeg = zonder_instance(app.post(&s.pad(), &buiten_fg, &body).await, 404).await;
        assert_eq!(kreeg, verwacht, "POST {}", s.collectie);
        let verwacht = zonder_instance(app.get(&s.onbekend(), &buiten_fg).await, 404).await;
        let kreeg = zonder_instance(app.get(&s.pad(), &buiten_fg).await, 404).await;
        assert_eq!(kreeg, verwacht, "GET {}", s.collectie);
        assert_eq!(
            app.tel(&format!(
                "SELECT count(*) AS n FROM audittrail WHERE organisatie = '{BUITEN}' AND resultaat = 403 AND object_id = '{}'",
                s.id
            )),
            2,
            "{}: both refusals audited",
            s.collectie
        );
    }

    // A holder's other roles may not record one (PRIVACYFUNCTIONARIS_VERANTWOORDT),
    // refused and audited.
    let body = assert_problem(
        app.post(
            &soorten[2].pad(),
            &officier,
            &json!({"tekst": "x", "door": kind}),
        )
        .await,
        403,
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("privacyfunctionaris"),
        "{body}"
    );
    // `door` names a person of the record, and only that; on a person it is the person.
    for (s, door) in [
        (&soorten[0], json!("ouders/0")),
        (&soorten[1], json!("ouders/1")),
        (&soorten[2], json!(gi_kind)),
        (&soorten[3], json!(kind)),
        (&soorten[4], Value::Null),
    ] {
        let body = assert_problem(
            app.post(&s.pad(), &politie_fg, &json!({"tekst": "x", "door": door}))
                .await,
            422,
        )
        .await;
        assert_eq!(
            body["invalidParams"][0]["name"], "/door",
            "{}: {body}",
            s.collectie
        );
    }

    // Each kind through its owner's privacy officer and through a receiver's; every
    // statement the police record is the mother's.
    let rijen_voor =
        app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'inzage'");
    let p1 = voeg(
        &app,
        &soorten[0],
        &politie_fg,
        Value::Null,
        "P: ik ben niet zo boos geweest.",
        "persoon",
    )
    .await;
    assert_eq!(p1["persoon"], moeder.as_str());
    assert_eq!(p1["vastgelegdDoor"], POLITIE);
    // OM_PER_VERZOEK_MET_REDEN (outside test of 2 Dec 2026, F4): the OM acts on the
    // police's records only with a stated reason, writes as reads: without one, the same
    // 403 `toelichting-vereist` whoever `door` names (a person the incident names, one it
    // does not, none), nothing written, and no police data in the answer (no role, not
    // whether the person is named).
    let rijen = app.tel("SELECT count(*) AS n FROM eigen_verklaringen");
    let mut antwoorden = Vec::new();
    for (s, door) in [
        (&soorten[0], Value::Null),
        (&soorten[2], json!(kind)),
        (&soorten[2], json!(moeder)),
        (&soorten[2], json!(Uuid::now_v7())),
        (&soorten[2], json!("ouders/0")),
    ] {
        let mut body = json!({"tekst": "zonder reden"});
        if !door.is_null() {
            body["door"] = door;
        }
        let p = zonder_instance(app.post(&s.pad(), &om_fg, &body).await, 403).await;
        assert!(
            p["type"].as_str().unwrap().ends_with("toelichting-vereist"),
            "{}: {p}",
            s.collectie
        );
        let tekst = p.to_string();
        for woord in ["moeder", "kind", "door"] {
            assert!(!tekst.contains(woord), "{woord} in {tekst}");
        }
        if s.collectie == "incidenten" {
            antwoorden.push(p);
        }
    }
    assert!(
        antwoorden.windows(2).all(|w| w[0] == w[1]),
        "{antwoorden:?}"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM eigen_verklaringen"),
        rijen,
        "nothing written"
    );
    let p2 = voeg(
        &app,
        &soorten[0],
        &om_fg,
        Value::Null,
        "P: dit klopt niet (via OM).",
        "persoon",
    )
    .await;
    assert_eq!(p2["vastgelegdDoor"], OM);
    // Veilig Thuis holds her data in the melding it received (issue 15, point 3): it may
    // add her statement to the police's record of her too.
    voeg(
        &app,
        &soorten[0],
        &vt_fg,
        Value::Null,
        "P: ik wil gehoord worden (via VT).",
        "persoon",
    )
    .await;
    let m1 = voeg(
        &app,
        &soorten[1],
        &politie_fg,
        json!("ouders/0"),
        "M: ik heb hem wel gebeld.",
        "moeder",
    )
    .await;
    assert!(m1.get("persoon").is_none(), "{m1}");
    voeg(
        &app,
        &soorten[1],
        &vt_fg,
        json!("kinderen/0"),
        "M: ik wil bij allebei zijn (via VT).",
        "kind",
    )
    .await;
    let i1 = voeg(
        &app,
        &soorten[2],
        &politie_fg,
        json!(moeder),
        "I: ik was er om vijf uur.",
        "moeder",
    )
    .await;
    assert_eq!(i1["persoon"], moeder.as_str());
    voeg(
        &app,
        &soorten[2],
        &om_fg,
        json!(kind),
        "I: papa was niet boos (via OM).",
        "kind",
    )
    .await;
    voeg(
        &app,
        &soorten[3],
        &gi_fg,
        json!(gi_kind),
        "B: ik wil vaker bij papa.",
        "kind",
    )
    .await;
    voeg(
        &app,
        &soorten[3],
        &politie_fg,
        json!(gi_moeder),
        "B: de regeling werkt niet (via politie).",
        "ouder",
    )
    .await;
    voeg(
        &app,
        &soorten[4],
        &vt_fg,
        json!("kinderen/0"),
        "T: niemand heeft mij gebeld.",
        "kind",
    )
    .await;
    voeg(
        &app,
        &soorten[4],
        &politie_fg,
        json!("ouders/0"),
        "T: ik ben wel geïnformeerd (via politie).",
        "moeder",
    )
    .await;
    // Each logged as a write, in the recording organisation's trail, with one
    // processing-log row: the person whose statement it is.
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'inzage'"),
        rijen_voor + 11
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE object_type = 'eigen-verklaringen' AND actie = 'aanmaken' AND resultaat = 201"),
        11
    );
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE object_type = 'eigen-verklaringen' AND organisatie = '{POLITIE}' AND eigenaar = '{POLITIE}'")),
        5
    );

    // The records themselves are unchanged (the melding's version too).
    for ((pad, token), voor) in record_paden.iter().zip(&voor) {
        let na = zonder_verklaringen(lees(&app, pad, token).await);
        assert_eq!(&na, voor, "{pad} changed");
    }

    // Read back inline from every route that returns the record, by the owner and by the
    // receiver, oldest first; and from the sub-resource.
    let persoon_alle = [
        "P: ik ben niet zo boos geweest.",
        "P: dit klopt niet (via OM).",
        "P: ik wil gehoord worden (via VT).",
    ];
    let melding_beide = [
        "M: ik heb hem wel gebeld.",
        "M: ik wil bij allebei zijn (via VT).",
    ];
    let incident_beide = [
        "I: ik was er om vijf uur.",
        "I: papa was niet boos (via OM).",
    ];
    let beschikking_beide = [
        "B: ik wil vaker bij papa.",
        "B: de regeling werkt niet (via politie).",
    ];
    let terugkoppeling_beide = [
        "T: niemand heeft mij gebeld.",
        "T: ik ben wel geïnformeerd (via politie).",
    ];

    // The owner sees every statement on its record; the OM, reading it, the owner's and
    // its own, not the one Veilig Thuis recorded (VERKLARING_BIJ_RECORD: that would tell
    // the OM that Veilig Thuis holds data on her); Veilig Thuis the owner's and its own.
    let p = lees(&app, &format!("/api/v1/personen/{moeder}"), &noodhulp).await;
    assert_eq!(teksten(&p), persoon_alle);
    let p = lees(&app, &format!("/api/v1/personen/{moeder}"), &officier).await;
    assert_eq!(teksten(&p), persoon_alle[..2]);
    // Veilig Thuis's privacy officer recorded one on the police's record, but reading the
    // record's statements is a read of the record (VERKLARING_LEZEN_ALS_RECORD), which no
    // rule gives Veilig Thuis: as for `GET /personen/{id}`; its own statement is in its
    // inzage report.
    let verwacht = zonder_instance(
        app.get(&format!("/api/v1/personen/{moeder}"), &vt_fg).await,
        404,
    )
    .await;
    let kreeg = zonder_instance(app.get(&soorten[0].pad(), &vt_fg).await, 404).await;
    assert_eq!(kreeg, verwacht);
    let rapport = lees(&app, &format!("/api/v1/personen/{moeder}/inzage"), &vt_fg).await;
    assert!(rapport.to_string().contains(persoon_alle[2]), "{rapport}");
    for token in [&agent, &triagist] {
        let m = lees(&app, &format!("/api/v1/zorgmeldingen/{melding}"), token).await;
        assert_eq!(teksten(&m), melding_beide);
        let t = lees(
            &app,
            &format!("/api/v1/zorgmeldingen/{melding}/terugkoppelingen"),
            token,
        )
        .await;
        assert_eq!(teksten(&t[0]), terugkoppeling_beide);
    }
    for token in [&noodhulp, &officier] {
        let i = lees(&app, &format!("/api/v1/incidenten/{incident}"), token).await;
        assert_eq!(teksten(&i), incident_beide);
    }
    for token in [&gi, &noodhulp] {
        let g = lees(&app, &format!("/api/v1/gezinnen/{gezin}"), token).await;
        assert_eq!(teksten(&g["beschikkingen"][0]), beschikking_beide);
    }
    // The sub-resource answers as the record's read: by a role the record's read allows.
    for (s, token, verwacht) in [
        (&soorten[0], &politie_fg, &persoon_alle[..]),
        (&soorten[1], &triagist, &melding_beide[..]),
        (&soorten[2], &officier, &incident_beide[..]),
        (&soorten[3], &noodhulp, &beschikking_beide[..]),
        (&soorten[4], &agent, &terugkoppeling_beide[..]),
    ] {
        let l = lees(&app, &s.pad(), token).await;
        let l: Vec<&str> = l
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["tekst"].as_str().unwrap())
            .collect();
        assert_eq!(l, verwacht, "{}", s.collectie);
    }

    // In the briefing wherever the record appears: the person, the decision in force, the
    // incident, the open melding.
    let b = maak(
        &app,
        "/api/v1/briefings/_zoek",
        &noodhulp,
        json!({"bsn": BSN_MOEDER}),
    )
    .await;
    let persoon_b = b["personen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == moeder.as_str())
        .unwrap_or_else(|| panic!("the police's own record of the mother: {b}"));
    assert_eq!(teksten(persoon_b), persoon_alle);
    let besch = b["beschikkingenInWerking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == beschikking.as_str())
        .unwrap_or_else(|| panic!("the GI's decision: {b}"));
    assert_eq!(teksten(besch), beschikking_beide);
    let inc = b["incidenten"]["lijst"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == incident.as_str())
        .unwrap_or_else(|| panic!("the incident: {b}"));
    assert_eq!(teksten(inc), incident_beide);
    let open = b["openZorgmeldingen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == melding.as_str())
        .unwrap_or_else(|| panic!("the open melding: {b}"));
    assert_eq!(teksten(open), melding_beide);
    // ...the child's record too, a family member in the same briefing.
    assert!(
        b["gezinsleden"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["eigenVerklaringen"].is_array()),
        "{b}"
    );

    // The answers of the incident's own writes carry them too.
    let i = maak(
        &app,
        &format!("/api/v1/incidenten/{incident}/verklaringen"),
        &noodhulp,
        json!({"afgelegdDoor": "vader", "tekst": "Ik was op tijd."}),
    )
    .await;
    assert_eq!(teksten(&i), incident_beide);
    let res = app
        .put(
            &format!("/api/v1/incidenten/{incident}/wederhoor"),
            &noodhulp,
            &json!({"status": "ja", "op": chrono::Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(teksten(&res.json::<Value>().await.unwrap()), incident_beide);

    // The police's inzage on the mother lists the statements it recorded, on every kind.
    let rapport = lees(
        &app,
        &format!("/api/v1/personen/{moeder}/inzage"),
        &politie_fg,
    )
    .await;
    let in_rapport: Vec<&str> = rapport["eigenVerklaringen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["tekst"].as_str().unwrap())
        .collect();
    for t in [
        "P: ik ben niet zo boos geweest.",
        "M: ik heb hem wel gebeld.",
        "I: ik was er om vijf uur.",
        "B: de regeling werkt niet (via politie).",
        "T: ik ben wel geïnformeerd (via politie).",
    ] {
        assert!(in_rapport.contains(&t), "{t} in {rapport}");
    }
    assert!(
        !in_rapport.contains(&"B: ik wil vaker bij papa."),
        "never another organisation's statement: {rapport}"
    );

    // Never altered: the database refuses an update.
    let mut c = app.pool.get().unwrap();
    use diesel::connection::SimpleConnection;
    assert!(
        c.batch_execute("UPDATE eigen_verklaringen SET door = 'vader'")
            .is_err()
    );
}

/// `VERKLARING_VOOR_ONTVANGEN_PERSOON`: Veilig Thuis holds the police's incident only
/// through the melding it received (which names the mother and the child, not the
/// father). Its privacy officer records the mother's statement on the incident; the
/// father's is a 422 word for word the same as for a person the incident does not name,
/// so the answer tells Veilig Thuis nothing about whom the incident names beyond the
/// persons it received; nothing is written for it.
async fn ontvanger_spreekt_alleen_voor_ontvangen_persoon(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let triagist = app.token(VT, &["triagist"]);
    let vt_fg = app.token(VT, &["privacyfunctionaris"]);

    let moeder = persoon(&app, &noodhulp, BSN_MOEDER, "Lisa", "1986-07-22").await;
    let kind = persoon(&app, &noodhulp, BSN_KIND, "Sem", "2016-05-04").await;
    let vader = persoon(&app, &noodhulp, "123456745", "Joost", "1984-02-11").await;
    let incident = id(&maak(&app, "/api/v1/incidenten", &noodhulp, json!({
        "tijdstip": (chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339(), "gemeente": "0518",
        "soort": "overdracht-kind-mislukt", "politieReferentie": "PL1500-2026000778",
        "samenvatting": "Overdracht bij de school mislukt.",
        "betrokkenen": [{"persoon": moeder, "rol": "moeder"}, {"persoon": kind, "rol": "kind"},
                        {"persoon": vader, "rol": "vader"}]})).await);
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
    lees(&app, &format!("/api/v1/zorgmeldingen/{melding}"), &triagist).await;

    let pad = format!("/api/v1/incidenten/{incident}/eigen-verklaringen");
    let vader_ = zonder_instance(
        app.post(
            &pad,
            &vt_fg,
            &json!({"tekst": "ik was er niet", "door": vader}),
        )
        .await,
        422,
    )
    .await;
    let niemand = zonder_instance(
        app.post(
            &pad,
            &vt_fg,
            &json!({"tekst": "ik was er niet", "door": Uuid::now_v7()}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(vader_, niemand, "the father's 422 tells nothing more");
    assert!(
        vader_
            .to_string()
            .contains("van wie uw organisatie gegevens"),
        "{vader_}"
    );
    assert!(!vader_.to_string().contains(&vader), "{vader_}");

    let soort = Soort {
        collectie: "incidenten",
        id: incident.clone(),
    };
    voeg(
        &app,
        &soort,
        &vt_fg,
        json!(moeder),
        "I: ik was op tijd.",
        "moeder",
    )
    .await;
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM eigen_verklaringen WHERE object_id = '{incident}'"
        )),
        1,
        "only the mother's statement was written"
    );

    // The owner still records the father's.
    let politie_fg = app.token(POLITIE, &["privacyfunctionaris"]);
    voeg(
        &app,
        &soort,
        &politie_fg,
        json!(vader),
        "I: ik was er niet.",
        "vader",
    )
    .await;
}

op_beide_backends!(
    eigen_verklaring_op_elk_record,
    ontvanger_spreekt_alleen_voor_ontvangen_persoon
);
