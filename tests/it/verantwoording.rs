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
    // Every police row about her, the outsider's refused attempt on her police record
    // (answered to it as an unknown id) and the OM's read without a reason (403; in the
    // owner's trail since task h17gaps, before only in the OM's). Its own officer's
    // attempt without the role is not there: own users' refusals are not in the list.
    assert_eq!(gevonden["count"], politie_log + 2, "{gevonden}");
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
    assert_eq!(u.iter().filter(|(x, _)| x == "geweigerd").count(), 2);
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
    assert_eq!(geweigerd["count"], 2);
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
    // Newest first: the outsider tried after the OM.
    assert_eq!(pogers, [BUITEN, OM]);
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

/// Subscribe `org` to the owner's notice of a disclosure; returns the secret. A functional
/// admin who is not the privacy officer may not (`PRIVACYKANAAL_ALLEEN_FG`: the
/// subscription sends the officer's notices elsewhere), one who is may.
async fn abonneer(app: &TestApp, org: &str, url: &str) -> String {
    let alleen_beheer = app.token(org, &["functioneel-beheerder"]);
    let p = assert_problem(
        app.post(
            "/api/v1/abonnementen",
            &alleen_beheer,
            &json!({"url": url, "kanalen": ["privacy"], "soorten": ["privacy.gegevens-verstrekt"]}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(p["invalidParams"][0]["name"], "/kanalen", "{p}");
    assert!(p.to_string().contains("PRIVACYKANAAL_ALLEEN_FG"), "{p}");
    let fb = app.token(org, &["functioneel-beheerder", "privacyfunctionaris"]);
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
    // The notice is readable in /berichten too, by the privacy officer only
    // (PRIVACYKANAAL_ALLEEN_FG, the outside test of 2 Dec 2026: a triagist listed it);
    // nothing personal anywhere.
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let lijst: Value = app
        .get("/api/v1/berichten?soort=privacy.gegevens-verstrekt", &fg)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["results"][0]["gegevens"]["gelezenDoor"], OM);
    for (org, rollen) in [
        (POLITIE, &["functioneel-beheerder"][..]),
        (POLITIE, &["wijkagent", "noodhulp"][..]),
        (VT, &["triagist"][..]),
    ] {
        let t = app.token(org, rollen);
        for pad in [
            "/api/v1/berichten?soort=privacy.gegevens-verstrekt",
            "/api/v1/berichten?soort=privacy.quotum-overschreden",
            "/api/v1/berichten?pageSize=100",
        ] {
            let l: Value = app.get(pad, &t).await.json().await.unwrap();
            assert!(
                l["results"].as_array().unwrap().iter().all(|b| !b["type"]
                    .as_str()
                    .unwrap()
                    .starts_with("nl.ketenregie.privacy.")),
                "{org} {rollen:?} {pad}: {l}"
            );
            if pad.contains("soort=") {
                assert_eq!(l["count"], 0, "{org} {rollen:?} {pad}: {l}");
            }
        }
    }
    let vt_fg = app.token(VT, &["privacyfunctionaris"]);
    let l: Value = app
        .get("/api/v1/berichten?soort=privacy.gegevens-verstrekt", &vt_fg)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(l["count"], 1, "{l}");
    for tekst in ontvanger.alles().iter().chain([lijst.to_string()].iter()) {
        for woord in ["Anna", "Jansen", BSN_MOEDER] {
            assert!(!tekst.contains(woord), "{woord} in {tekst}");
        }
    }
}

/// A fixed id per copy number (ids sort as the numbers do).
fn kopie_id(reeks: u32, i: u32) -> String {
    format!("00000000-0000-4000-{reeks:04}-{i:012}")
}

/// The time of copy `i`: `basis` plus `i / 2` seconds, so pairs share a time and the id
/// decides their order.
fn kopie_tijd(basis: &str, i: u32) -> String {
    (chrono::NaiveDateTime::parse_from_str(basis, "%Y-%m-%d %H:%M:%S").unwrap()
        + chrono::Duration::seconds(i64::from(i / 2)))
    .format("%Y-%m-%d %H:%M:%S")
    .to_string()
}

/// Copies of log rows straight into the table (logging hundreds of reads through the API
/// would make the test slow): `aantal` copies of the row of `tabel` chosen by `waar`, each
/// with id `kopie_id(reeks, i)` and time `kopie_tijd(basis, i)` in `tijd`, unsealed (the
/// first such row that is no copy itself).
fn kopieer_log(app: &TestApp, tabel: &str, waar: &str, reeks: u32, aantal: u32, basis: &str) {
    let (kolommen, tijd): (&[&str], &str) = if tabel == "audittrail" {
        (
            &[
                "keten",
                "vorige_hash",
                "hash",
                "trace_id",
                "gebruiker",
                "gebruiker_naam",
                "organisatie",
                "applicatie",
                "actie",
                "object_type",
                "object_id",
                "eigenaar",
                "resultaat",
                "toelichting",
                "doorbraak",
                "grondslag",
                "oude_waarde",
                "nieuwe_waarde",
            ],
            "tijdstip",
        )
    } else {
        (
            &[
                "keten",
                "vorige_hash",
                "hash",
                "trace_id",
                "span_id",
                "parent_span_id",
                "organisatie",
                "activiteit",
                "grondslag",
                "convenant_id",
                "convenant_versie",
                "betrokkene",
                "resultaat",
                "doorbraak",
                "eind_op",
            ],
            "start_op",
        )
    };
    let k = kolommen.join(", ");
    let mut sql = String::from("BEGIN;\n");
    for i in 0..aantal {
        sql.push_str(&format!(
            "INSERT INTO {tabel} (id, volgnummer, {tijd}, {k}) SELECT '{id}', 0, '{t}', {k} FROM {tabel} WHERE {waar} AND id NOT LIKE '00000000-0000-4000-%' LIMIT 1;\n",
            id = kopie_id(reeks, i),
            t = kopie_tijd(basis, i),
        ));
    }
    sql.push_str("COMMIT;");
    app.sql(&sql);
}

/// Follow `next` (posting the same body) from the first page of `vraag`; the pages.
async fn alle_paginas(app: &TestApp, token: &str, vraag: &Value) -> (Vec<Value>, String) {
    let mut pad = "/api/v1/verwerkingen/_zoek".to_string();
    let mut paginas = Vec::new();
    loop {
        let res = app.post(&pad, token, vraag).await;
        assert_eq!(res.status(), 200, "{pad}");
        let p: Value = res.json().await.unwrap();
        let volgende = p["next"].as_str().map(str::to_string);
        paginas.push(p);
        match volgende {
            Some(n) => {
                assert!(n.starts_with("/api/v1/verwerkingen/_zoek?cursor="), "{n}");
                pad = n;
            }
            None => return (paginas, pad),
        }
    }
}

fn sleutels(p: &Value) -> Vec<(String, String)> {
    p["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["startOp"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Issue 17 points 5 and 6: `_zoek` of a person read hundreds of times, with hundreds of
/// refused attempts on her record, pages by cursor over both logs: forward each row once,
/// newest first; back the same pages; the count bounded at 1,000 and labelled; a cursor
/// the list did not issue, or with `page`, refused. The break-glass list and an
/// agreement's audit trail page by cursor too.
async fn zoeken_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = wereld(&app).await;
    inzagen_en_pogingen(&app, &w).await;
    let p = pseudoniem(&app);
    // 300 more police reads of her (processing log), 260 more refused attempts by the
    // outsider on her police record (audit trail), interleaved in time.
    kopieer_log(
        &app,
        "verwerkingslog",
        &format!("organisatie = '{POLITIE}' AND betrokkene = '{p}' AND activiteit = 'coordinatie'"),
        1,
        300,
        "2026-01-05 10:00:00",
    );
    kopieer_log(
        &app,
        "audittrail",
        &format!(
            "organisatie = '{BUITEN}' AND object_id = '{}' AND resultaat >= 400",
            w.p_moeder
        ),
        2,
        260,
        "2026-01-05 10:00:00",
    );
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let vraag = json!({"betrokkene": w.p_moeder, "pageSize": 40});
    let (paginas, laatste) = alle_paginas(&app, &fg, &vraag).await;
    let totaal = paginas[0]["count"].as_i64().unwrap();
    assert_eq!(paginas[0]["countIsExact"], true);
    let alle: Vec<(String, String)> = paginas.iter().flat_map(sleutels).collect();
    assert_eq!(alle.len() as i64, totaal, "every row once");
    assert!(totaal > 560, "{totaal}");
    let mut verwacht = alle.clone();
    verwacht.sort_by(|a, b| b.cmp(a));
    verwacht.dedup();
    assert_eq!(alle, verwacht, "newest first, each once");
    let geweigerd = paginas
        .iter()
        .flat_map(|p| p["results"].as_array().unwrap().clone())
        .filter(|r| r["uitkomst"] == "geweigerd")
        .count();
    // 260 copies, the outsider's own and the OM's without a reason.
    assert_eq!(geweigerd, 262);
    assert!(paginas[0]["previous"].is_null());
    // Back from the last page, following `previous`: the same pages.
    let mut terug = Vec::new();
    let mut pad = Some(laatste);
    while let Some(pd) = pad {
        let res = app.post(&pd, &fg, &vraag).await;
        assert_eq!(res.status(), 200);
        let pg: Value = res.json().await.unwrap();
        terug.push(sleutels(&pg));
        pad = pg["previous"].as_str().map(str::to_string);
    }
    terug.reverse();
    assert_eq!(
        terug,
        paginas.iter().map(sleutels).collect::<Vec<_>>(),
        "backward: the same pages"
    );
    // `page` still jumps from the start.
    let mut derde = vraag.clone();
    derde["page"] = json!(3);
    let p3: Value = app
        .post("/api/v1/verwerkingen/_zoek", &fg, &derde)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sleutels(&p3), sleutels(&paginas[2]));
    // Refused only, by cursor: just the audit trail's stream.
    let (alleen, _) = alle_paginas(
        &app,
        &fg,
        &json!({"betrokkene": w.p_moeder, "uitkomst": "geweigerd", "pageSize": 100}),
    )
    .await;
    assert_eq!(alleen.len(), 3);
    assert_eq!(alleen[0]["count"], 262);

    // Over the cap: counted up to 1,000 and labelled so.
    kopieer_log(
        &app,
        "verwerkingslog",
        &format!("organisatie = '{POLITIE}' AND betrokkene = '{p}' AND activiteit = 'coordinatie'"),
        3,
        500,
        "2026-02-05 10:00:00",
    );
    let boven = zoek(&app, &fg, json!({"betrokkene": w.p_moeder})).await;
    assert_eq!(
        (boven["count"].clone(), boven["countIsExact"].clone()),
        (json!(1000), json!(false))
    );
    assert_eq!(boven["results"].as_array().unwrap().len(), 100);

    // Bad cursors: outside the pattern a 400, not this list's a 422; with `page` a 422.
    // A cursor of the break-glass list (same key type) is not one of this list.
    let vreemd = {
        use base64::Engine;
        let k =
            json!({"l": "doorbraken", "a": false, "k": ["2026-01-05T10:00:00", kopie_id(1, 1)]});
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&k).unwrap())
    };
    let goed = paginas[0]["next"].as_str().unwrap().to_string();
    for (pad, body, status) in [
        (
            "/api/v1/verwerkingen/_zoek?cursor=nietbase64!".to_string(),
            vraag.clone(),
            400,
        ),
        (
            "/api/v1/verwerkingen/_zoek?cursor=AAAA".to_string(),
            vraag.clone(),
            422,
        ),
        (
            format!("/api/v1/verwerkingen/_zoek?cursor={vreemd}"),
            vraag.clone(),
            422,
        ),
        (goed, derde.clone(), 422),
    ] {
        let pr = assert_problem(app.post(&pad, &fg, &body).await, status).await;
        assert_eq!(pr["invalidParams"][0]["name"], "cursor", "{pr}");
    }

    // The break-glass list: 30 more break-glass reads by the police's noodhulp.
    kopieer_log(
        &app,
        "audittrail",
        &format!(
            "organisatie = '{POLITIE}' AND doorbraak AND object_id = '{}' AND resultaat = 200",
            w.vt_moeder
        ),
        4,
        30,
        "2026-03-05 10:00:00",
    );
    for org in [POLITIE, VT] {
        let verwacht = app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE doorbraak AND (organisatie = '{org}' OR eigenaar = '{org}')"
        ));
        assert!(verwacht >= 31, "{verwacht}");
        let fg = app.token(org, &["privacyfunctionaris"]);
        let mut pad = "/api/v1/verwerkingen/doorbraken?pageSize=7".to_string();
        let mut gezien = Vec::new();
        loop {
            let pg: Value = app.get(&pad, &fg).await.json().await.unwrap();
            assert_eq!(pg["count"], verwacht, "{pg}");
            gezien.extend(pg["results"].as_array().unwrap().iter().map(|r| {
                (
                    r["tijdstip"].as_str().unwrap().to_string(),
                    r["id"].as_str().unwrap().to_string(),
                )
            }));
            match pg["next"].as_str() {
                Some(n) => pad = n.to_string(),
                None => break,
            }
        }
        let mut gesorteerd = gezien.clone();
        gesorteerd.sort_by(|a, b| b.cmp(a));
        gesorteerd.dedup();
        assert_eq!(gezien, gesorteerd);
        assert_eq!(gezien.len() as i64, verwacht);
    }

    // An agreement's audit trail, oldest first, two at a time.
    let c = app.tel("SELECT count(*) AS n FROM convenanten");
    assert!(c >= 1);
    let beheer = app.token(POLITIE, &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/convenanten", &beheer)
        .await
        .json()
        .await
        .unwrap();
    let cid = lijst["results"][0]["id"].as_str().unwrap().to_string();
    let verwacht = app.tel(&format!(
        "SELECT count(*) AS n FROM audittrail WHERE object_type = 'convenanten' AND object_id = '{cid}'"
    ));
    let mut pad = format!("/api/v1/convenanten/{cid}/audittrail?pageSize=2");
    let mut gezien = Vec::new();
    loop {
        let pg: Value = app.get(&pad, &beheer).await.json().await.unwrap();
        assert_eq!(pg["count"], verwacht, "{pg}");
        gezien.extend(pg["results"].as_array().unwrap().iter().map(|r| {
            (
                r["tijdstip"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
            )
        }));
        match pg["next"].as_str() {
            Some(n) => pad = n.to_string(),
            None => break,
        }
    }
    let mut gesorteerd = gezien.clone();
    gesorteerd.sort();
    gesorteerd.dedup();
    assert_eq!(gezien, gesorteerd, "oldest first, each once");
    assert_eq!(gezien.len() as i64, verwacht);
}

/// A refused attempt on a record the person's data was processed under (here the melding
/// about her: the outsider's read answered as an unknown id) is found by a search by the
/// person, on both backends: the statement that finds those records binds the records and
/// the person's pseudonyms in the order their placeholders stand (SQLite's `?` are
/// positional; found by a reviewer: on SQLite every such refusal was missed).
async fn weigering_op_melding_over_persoon(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = wereld(&app).await;
    let buiten = app.token(BUITEN, &["wijkteammedewerker"]);
    assert_eq!(
        lees(
            &app,
            &format!("/api/v1/zorgmeldingen/{}", w.melding),
            &buiten,
            &[]
        )
        .await,
        404
    );
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let geweigerd = zoek(
        &app,
        &fg,
        json!({"bsn": BSN_MOEDER, "uitkomst": "geweigerd"}),
    )
    .await;
    assert_eq!(geweigerd["count"], 1, "{geweigerd}");
    let r = &geweigerd["results"][0];
    assert_eq!(r["poging"]["objectId"], w.melding.as_str(), "{r}");
    assert_eq!(r["organisatie"], BUITEN, "{r}");
}

/// A refused attempt on a record is linked to a person only through the owner's own
/// processing: another organisation's request that touched the record and also processed
/// someone else (Veilig Thuis's inzage by the police's id of the child shows the melding
/// that names the mother) does not make the attempt one about the mother, and does not
/// tell the police of that link (the outside test of 2 Dec 2026).
async fn weigering_alleen_via_eigen_verwerking(db: Db) {
    let Some(app) = app(db).await else { return };
    let _w = wereld(&app).await;
    // Veilig Thuis may look up the police's person records (briefing, identification).
    app.convenant_van_kracht(&json!({
        "titel": "Personen opzoeken",
        "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": VT, "rol": "vt"}],
        "doelen": ["briefing"],
        "categorieen": ["identificatie"],
        "regels": [{"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen"],
                    "categorieen": ["identificatie"], "doel": "briefing", "maxVertrouwelijkheid": "vertrouwelijk",
                    "grondslag": {"code": "Wmo 2015 art. 5.2.6", "omschrijving": "opzoeken"}}]
    }))
    .await;
    let agent = app.token(POLITIE, &["wijkagent"]);
    let p_kind = post_ok(
        &app,
        "/api/v1/personen",
        &agent,
        json!({"bsn": "111222333", "voornamen": "Kind0", "achternaam": "Jansen", "geboortedatum": "2016-03-01"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let vt = app.token(VT, &["triagist"]);
    assert_eq!(
        lees(&app, &format!("/api/v1/personen/{p_kind}"), &vt, &[]).await,
        200
    );
    let p = pseudoniem(&app);
    let moeder_bij_vt = || {
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE organisatie = '{VT}' AND betrokkene = '{p}'"
        ))
    };
    let voor = moeder_bij_vt();
    let vt_fg = app.token(VT, &["privacyfunctionaris"]);
    assert_eq!(
        lees(
            &app,
            &format!("/api/v1/personen/{p_kind}/inzage"),
            &vt_fg,
            &[]
        )
        .await,
        200
    );
    assert!(
        moeder_bij_vt() > voor,
        "Veilig Thuis's inzage of the child shows the melding naming the mother, and logs her"
    );
    let buiten = app.token(BUITEN, &["wijkteammedewerker"]);
    assert_eq!(
        lees(&app, &format!("/api/v1/personen/{p_kind}"), &buiten, &[]).await,
        404
    );
    let fg = app.token(POLITIE, &["privacyfunctionaris"]);
    let over_moeder = zoek(
        &app,
        &fg,
        json!({"bsn": BSN_MOEDER, "uitkomst": "geweigerd"}),
    )
    .await;
    assert!(
        over_moeder["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["poging"]["objectId"] != p_kind.as_str()),
        "{over_moeder}"
    );
    let over_kind = zoek(
        &app,
        &fg,
        json!({"bsn": "111222333", "uitkomst": "geweigerd"}),
    )
    .await;
    assert!(
        over_kind["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["poging"]["objectId"] == p_kind.as_str()),
        "{over_kind}"
    );
}

op_beide_backends!(
    weigering_alleen_via_eigen_verwerking,
    weigering_op_melding_over_persoon,
    zoeken_per_cursor,
    zoeken_per_persoon,
    verstrekkingen_aan_de_eigenaar,
    eigenaar_geinformeerd,
);
