//! The privacy officer's views (issue 15 point 4), over real HTTP on both databases: the
//! police record a mother, file a melding naming her (with her BSN) with Veilig Thuis,
//! brief on her; Veilig Thuis reads the melding and records her too; the OM reads the
//! police record with a reason; the police's noodhulp reads Veilig Thuis's record by
//! break-glass; an organisation outside the agreements, a police officer who is no
//! privacy officer and the OM without a reason are refused. Then:
//!
//! - `_zoek` by person finds every row of the caller's log about her, whichever id of
//!   hers is given (the police record, Veilig Thuis's record, the BSN), other
//!   organisations' refused attempts on her record included, and filters by outcome,
//!   purpose and period;
//! - the disclosure view shows the OM's read of the police record to the police's privacy
//!   officer only;
//! - the owner's subscription: the read under a rule marked `eigenaarInformeren` and the
//!   break-glass read are told to their owners (outbox event in the reading transaction,
//!   signed webhook, no personal data); a read under another rule is not.

use crate::common;

use common::keten::{self, Ontvanger};
use common::{Db, TestApp, assert_problem};
use ketenregie_common::Bsn;
use serde_json::{Value, json};

const POLITIE: &str = "politie-haaglanden";
const VT: &str = "vt-haaglanden";
const OM: &str = "om-den-haag";
const BUITEN: &str = "buitenstaander";
const BSN_MOEDER: &str = "123456721";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    keten::opzet(&app).await;
    app.organisatie(OM, "om", &[]).await;
    // The OM consults police records case by case, with a reason; the police are told of
    // each such read (EIGENAAR_INFORMEREN). The police's noodhulp may break the glass.
    app.convenant_van_kracht(&json!({
        "titel": "OM-raadpleging en noodtoegang Haaglanden",
        "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": OM, "rol": "om (voor gezien)"},
                     {"organisatie": VT, "rol": "vt"}],
        "doelen": ["strafrechtelijke-beoordeling", "briefing"],
        "categorieen": ["identificatie", "politiegegevens"],
        "regels": [{"organisatieSoort": "om", "rollen": ["officier-van-justitie"], "acties": ["lezen"],
                    "categorieen": ["identificatie", "politiegegevens"], "doel": "strafrechtelijke-beoordeling",
                    "redenVerplicht": true, "eigenaarInformeren": true, "maxVertrouwelijkheid": "vertrouwelijk",
                    "grondslag": {"code": "Wpg art. 16", "omschrijving": "verstrekking aan het OM"}}],
        "doorbraakrollen": [{"organisatieSoort": "politie", "rol": "noodhulp"}]
    }))
    .await;
    Some(app)
}

struct Wereld {
    /// The police's record of the mother.
    p_moeder: String,
    /// Veilig Thuis's record of the mother.
    vt_moeder: String,
    melding: String,
}

async fn post_ok(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status().as_u16();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!((200..300).contains(&status), "{pad}: {status} {v}");
    v
}

async fn lees(app: &TestApp, pad: &str, token: &str, koppen: &[(&str, &str)]) -> u16 {
    let mut r = app.client.get(app.url(pad)).bearer_auth(token);
    for (k, v) in koppen {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap().status().as_u16()
}

async fn wereld(app: &TestApp) -> Wereld {
    let agent = app.token(POLITIE, &["wijkagent"]);
    let moeder = json!({"bsn": BSN_MOEDER, "voornamen": "Anna", "achternaam": "Jansen", "geboortedatum": "1988-02-03"});
    let p_moeder = post_ok(app, "/api/v1/personen", &agent, moeder.clone()).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The melding names her with her BSN.
    let mut m = keten::melding();
    m["ouders"][0]["bsn"] = json!(BSN_MOEDER);
    let melding = post_ok(app, "/api/v1/zorgmeldingen", &agent, m).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    post_ok(
        app,
        &format!("/api/v1/zorgmeldingen/{melding}/indieningen"),
        &agent,
        json!({}),
    )
    .await;
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    post_ok(
        app,
        "/api/v1/briefings/_zoek",
        &noodhulp,
        json!({"bsn": BSN_MOEDER}),
    )
    .await;
    let vt = app.token(VT, &["triagist"]);
    assert_eq!(
        lees(app, &format!("/api/v1/zorgmeldingen/{melding}"), &vt, &[]).await,
        200
    );
    let vt_moeder = post_ok(app, "/api/v1/personen", &vt, moeder).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    Wereld {
        p_moeder,
        vt_moeder,
        melding,
    }
}

/// The reads and refusals after the world: the OM with and without a reason, the
/// noodhulp's break-glass, the outsider and the police officer without the role.
async fn inzagen_en_pogingen(app: &TestApp, w: &Wereld) {
    let om = app.token(OM, &["officier-van-justitie"]);
    let pad = format!("/api/v1/personen/{}", w.p_moeder);
    assert_eq!(lees(app, &pad, &om, &[]).await, 403, "no reason");
    assert_eq!(
        lees(
            app,
            &pad,
            &om,
            &[("X-Audit-Toelichting", "zaak 09/123456-26")]
        )
        .await,
        200
    );
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    assert_eq!(
        lees(
            app,
            &format!("/api/v1/personen/{}", w.vt_moeder),
            &noodhulp,
            &[
                ("X-Doorbraak", "true"),
                ("X-Audit-Toelichting", "kind in gevaar, melding 112")
            ],
        )
        .await,
        200
    );
    let buiten = app.token(BUITEN, &["wijkteammedewerker"]);
    assert_eq!(lees(app, &pad, &buiten, &[]).await, 404);
    let agent = app.token(POLITIE, &["wijkagent"]);
    assert_eq!(lees(app, &format!("{pad}/inzage"), &agent, &[]).await, 403);
}

/// The pseudonym under which the mother is logged.
fn pseudoniem(app: &TestApp) -> String {
    let v = app.versleuteling();
    let id = ketenregie_privacy::betrokkene::van_bsn(&v, &Bsn::parse(BSN_MOEDER).unwrap());
    ketenregie_api::verwerking::pseudonimiseerder(&app.config)
        .unwrap()
        .van(id)
}

async fn zoek(app: &TestApp, token: &str, vraag: Value) -> Value {
    let mut vraag = vraag;
    vraag["pageSize"] = json!(100);
    let res = app.post("/api/v1/verwerkingen/_zoek", token, &vraag).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn uitkomsten(r: &Value) -> Vec<(String, String)> {
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["uitkomst"].as_str().unwrap().to_string(),
                x["activiteit"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

/// `_zoek` by person finds every row of the caller's log about her, denied attempts
/// included, whichever of her ids is given; and the filters.
async fn zoeken_per_persoon(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = wereld(&app).await;
    inzagen_en_pogingen(&app, &w).await;
    let p = pseudoniem(&app);
    let tel = |org: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{org}' AND betrokkene = '{p}'"
        ))
    };
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let politie_log = tel(POLITIE);
    // Registration (coordinatie), the melding (zorgmelding), the briefing, the break-glass.
    assert!(politie_log >= 4, "{politie_log}");
    let gevonden = zoek(&app, &fg, json!({"betrokkene": w.p_moeder})).await;
    // Every police row about her, and the outsider's refused attempt on her police record
    // (answered to it as an unknown id). Its own officer's attempt without the role is
    // not there: own users' refusals are not in the list.
    assert_eq!(gevonden["count"], politie_log + 1, "{gevonden}");
    let u = uitkomsten(&gevonden);
    for activiteit in ["coordinatie", "zorgmelding", "briefing"] {
        assert!(
            u.iter().any(|(_, a)| a == activiteit),
            "{activiteit}: {u:?}"
        );
    }
    assert!(
        u.contains(&("doorbraak".into(), "briefing".into())),
        "{u:?}"
    );
    assert_eq!(u.iter().filter(|(x, _)| x == "geweigerd").count(), 1);
    // The same by Veilig Thuis's record of her, and by BSN (in the body).
    for vraag in [
        json!({"betrokkene": w.vt_moeder}),
        json!({"bsn": BSN_MOEDER}),
    ] {
        assert_eq!(zoek(&app, &fg, vraag).await["count"], gevonden["count"]);
    }
    // Filters: refused only, each about her record, with who tried.
    let geweigerd = zoek(
        &app,
        &fg,
        json!({"betrokkene": w.p_moeder, "uitkomst": "geweigerd"}),
    )
    .await;
    assert_eq!(geweigerd["count"], 1);
    let pogers: Vec<&str> = geweigerd["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["poging"]["objectId"], w.p_moeder.as_str());
            assert_eq!(r["betrokkene"], p.as_str());
            r["organisatie"].as_str().unwrap()
        })
        .collect();
    assert_eq!(pogers, [BUITEN]);
    let doorbraak = zoek(
        &app,
        &fg,
        json!({"betrokkene": w.p_moeder, "uitkomst": "doorbraak"}),
    )
    .await;
    assert_eq!(doorbraak["count"], 1);
    let briefing = zoek(&app, &fg, json!({"bsn": BSN_MOEDER, "doel": "briefing"})).await;
    assert!(briefing["count"].as_i64().unwrap() >= 2, "{briefing}");
    assert!(uitkomsten(&briefing).iter().all(|(_, a)| a == "briefing"));
    let later = zoek(
        &app,
        &fg,
        json!({"betrokkene": w.p_moeder, "van": "2100-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(later["count"], 0);
    // The OM finds its own read by the police's id of her. Its officer's attempt without a
    // reason was on a police record: in the police's trail, not the OM's.
    let om_fg = app.token(OM, &["privacyfunctionaris"]);
    let om = zoek(&app, &om_fg, json!({"betrokkene": w.p_moeder})).await;
    assert_eq!(om["count"], tel(OM), "{om}");
    assert_eq!(
        uitkomsten(&om),
        vec![("toegestaan".into(), "strafrechtelijke-beoordeling".into())]
    );
    // Veilig Thuis, by BSN: the melding it read and the record it made.
    let vt_fg = app.token(VT, &["privacyfunctionaris"]);
    let vt = zoek(&app, &vt_fg, json!({"bsn": BSN_MOEDER})).await;
    assert_eq!(vt["count"], tel(VT));
    assert!(tel(VT) >= 2);
    // Both ways at once is refused; so is a search by someone else than the officer.
    assert_problem(
        app.post(
            "/api/v1/verwerkingen/_zoek",
            &fg,
            &json!({"betrokkene": w.p_moeder, "bsn": BSN_MOEDER}),
        )
        .await,
        422,
    )
    .await;
    let _ = w.melding;
}

/// The disclosure view: the OM's read of the police record shows to the police's privacy
/// officer, with who, when, purpose and agreement version; not to the OM's, not to Veilig
/// Thuis's, not to a police officer who is no privacy officer.
async fn verstrekkingen_aan_de_eigenaar(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = wereld(&app).await;
    inzagen_en_pogingen(&app, &w).await;
    let lijst = |token: String, q: &'static str| {
        let app = &app;
        async move {
            let res = app
                .get(&format!("/api/v1/verwerkingen/verstrekkingen{q}"), &token)
                .await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let politie = lijst(fg.clone(), "?aan=om-den-haag").await;
    assert_eq!(politie["count"], 1, "{politie}");
    let v = &politie["results"][0];
    assert_eq!(v["aan"], OM);
    assert_eq!(v["rollen"], json!(["officier-van-justitie"]));
    assert_eq!(v["doel"], "strafrechtelijke-beoordeling");
    assert_eq!(v["objectType"], "personen");
    assert_eq!(v["objectId"], w.p_moeder.as_str());
    assert_eq!(v["convenantVersie"], 1);
    assert!(v["convenant"].is_string() && v["tijdstip"].is_string());
    assert_eq!(v["doorbraak"], false);
    // Its trace is that of the read's row in the police's audit trail.
    let trace = v["traceId"].as_str().unwrap();
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE trace_id = '{trace}' AND eigenaar = '{POLITIE}' AND organisatie = '{OM}' AND resultaat = 200")),
        1
    );
    // Every read of police records by others: the OM's and Veilig Thuis's of the melding.
    let alle = lijst(fg.clone(), "").await;
    let aan: Vec<&str> = alle["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["aan"].as_str().unwrap())
        .collect();
    assert!(aan.contains(&OM) && aan.contains(&VT), "{aan:?}");
    // One, by id; another organisation's officer hears it is unknown.
    let id = v["id"].as_str().unwrap();
    let pad = format!("/api/v1/verwerkingen/verstrekkingen/{id}");
    assert_eq!(app.get(&pad, &fg).await.status(), 200);
    let om_fg = app.token(OM, &["privacyfunctionaris"]);
    assert_problem(app.get(&pad, &om_fg).await, 404).await;
    // The OM's officer, and Veilig Thuis's, do not see it.
    assert_eq!(lijst(om_fg, "").await["count"], 0);
    let vt_fg = app.token(VT, &["privacyfunctionaris"]);
    let vt = lijst(vt_fg, "").await;
    assert_eq!(
        vt["count"], 1,
        "only the noodhulp's break-glass read of VT's record: {vt}"
    );
    assert_eq!(vt["results"][0]["aan"], POLITIE);
    assert_eq!(vt["results"][0]["doorbraak"], true);
    // Not a privacy officer: refused.
    let agent = app.token(POLITIE, &["wijkagent"]);
    assert_problem(
        app.get("/api/v1/verwerkingen/verstrekkingen", &agent).await,
        403,
    )
    .await;
    assert_problem(
        app.get("/api/v1/verwerkingen/verstrekkingen?doorbraak=ja", &fg)
            .await,
        400,
    )
    .await;
}

/// Subscribe `org` to the owner's notice of a disclosure; returns the secret.
async fn abonneer(app: &TestApp, org: &str, url: &str) -> String {
    let fb = app.token(org, &["functioneel-beheerder"]);
    let res = app
        .post(
            "/api/v1/abonnementen",
            &fb,
            &json!({"url": url, "kanalen": ["privacy"], "soorten": ["privacy.gegevens-verstrekt"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["geheim"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The owner's subscription, end to end: the OM's read under a rule marked
/// `eigenaarInformeren` and the noodhulp's break-glass read are told to the owners that
/// subscribed, in the reading transaction (a read that fails leaves no event), as a signed
/// webhook without personal data; Veilig Thuis's read of the melding (a rule without the
/// mark) is not, nor anything to an owner that did not subscribe.
async fn eigenaar_geinformeerd(db: Db) {
    let Some(app) = app(db).await else { return };
    let ontvanger = Ontvanger::default();
    let basis = ontvanger.start();
    let geheim_politie = abonneer(&app, POLITIE, &format!("{basis}/politie")).await;
    let geheim_vt = abonneer(&app, VT, &format!("{basis}/vt")).await;
    let w = wereld(&app).await;
    let soort = "nl.ketenregie.privacy.gegevens-verstrekt";
    let berichten = |org: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM outbox WHERE soort = '{soort}' AND organisatie = '{org}'"
        ))
    };
    assert_eq!(
        berichten(POLITIE),
        0,
        "Veilig Thuis's read of the melding: no mark, no notice"
    );
    // A read whose transaction fails (its audit row cannot be written) leaves no notice.
    let om = app.token(OM, &["officier-van-justitie"]);
    let pad = format!("/api/v1/personen/{}", w.p_moeder);
    let reden = [("X-Audit-Toelichting", "zaak 09/123456-26")];
    match db {
        Db::Sqlite => app.sql("CREATE TRIGGER test_faal BEFORE INSERT ON audittrail BEGIN SELECT RAISE(ABORT, 'log kapot'); END;"),
        Db::Postgres => app.sql(
            "CREATE FUNCTION test_faal() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'log kapot'; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER test_faal BEFORE INSERT ON audittrail FOR EACH ROW EXECUTE FUNCTION test_faal();",
        ),
    }
    assert_eq!(lees(&app, &pad, &om, &reden).await, 500);
    assert_eq!(berichten(POLITIE), 0);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verstrekkingen WHERE ontvanger = 'om-den-haag'"),
        0
    );
    match db {
        Db::Sqlite => app.sql("DROP TRIGGER test_faal;"),
        Db::Postgres => app.sql("DROP TRIGGER test_faal ON audittrail; DROP FUNCTION test_faal();"),
    }
    inzagen_en_pogingen(&app, &w).await;
    assert_eq!(
        berichten(POLITIE),
        1,
        "the OM's read, under the marked rule"
    );
    assert_eq!(berichten(VT), 1, "the noodhulp's break-glass read");
    let b = app.bezorger.ronde().await.unwrap();
    assert_eq!(b.mislukt, 0);
    let e = ontvanger.events("/politie", &geheim_politie);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0]["type"], soort);
    assert_eq!(e[0]["subject"], w.p_moeder.as_str());
    assert_eq!(e[0]["data"]["record"], w.p_moeder.as_str());
    assert_eq!(e[0]["data"]["gelezenDoor"], OM);
    assert_eq!(e[0]["data"]["doel"], "strafrechtelijke-beoordeling");
    assert_eq!(e[0]["data"]["doorbraak"], false);
    assert!(e[0]["data"]["tijdstip"].is_string());
    assert!(
        e[0]["dataref"]
            .as_str()
            .unwrap()
            .contains("/api/v1/verwerkingen/verstrekkingen/")
    );
    let e = ontvanger.events("/vt", &geheim_vt);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["data"]["gelezenDoor"], POLITIE);
    assert_eq!(e[0]["data"]["doorbraak"], true);
    // The notice is readable in /berichten too; nothing personal anywhere.
    let fg = app.token(POLITIE, &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/berichten?soort=privacy.gegevens-verstrekt", &fg)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["results"][0]["gegevens"]["gelezenDoor"], OM);
    for tekst in ontvanger.alles().iter().chain([lijst.to_string()].iter()) {
        for woord in ["Anna", "Jansen", BSN_MOEDER] {
            assert!(!tekst.contains(woord), "{woord} in {tekst}");
        }
    }
}

op_beide_backends!(
    zoeken_per_persoon,
    verstrekkingen_aan_de_eigenaar,
    eigenaar_geinformeerd,
);
