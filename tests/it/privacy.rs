//! The privacy core over HTTP: agreements and their lifecycle, the decision (deny by
//! default, break-glass, withdrawal taking effect at once), both logs written with the
//! data or not at all, tamper evidence, and inzage within one organisation's view.

use crate::common;

use common::{Db, TestApp, assert_problem, spawn_met};
use diesel::QueryResult;
use ketenregie_api::app::Onderdelen;
use ketenregie_common::{Actor, OrganisatieSoort};
use ketenregie_privacy::inzage::{InzageBron, InzageOnderdeel};
use ketenregie_store::DbConnection;
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// A person "held" by Veilig Thuis Haaglanden, with a police-only field.
const PERSOON: &str = "01930000-0000-7000-8000-000000000001";

/// A source whose one record is Veilig Thuis Haaglanden's: it answers only to its owner,
/// as `InzageBron` requires.
struct NepBron;

impl InzageBron for NepBron {
    fn verzamel(
        &self,
        _c: &mut DbConnection,
        persoon: Uuid,
        a: &Actor,
        soort: Option<OrganisatieSoort>,
    ) -> QueryResult<Vec<InzageOnderdeel>> {
        if persoon.to_string() != PERSOON || a.organisatie != "vt-haaglanden" {
            return Ok(vec![]);
        }
        let mut gegevens = json!({"naam": "J. Jansen", "adres": "Voorbeeldstraat 1"});
        let mut achtergehouden = vec!["identiteit van de melder (Wmo 2015)".to_string()];
        if soort == Some(OrganisatieSoort::Politie) {
            gegevens["politieNotitie"] = json!("alleen voor politie");
        } else {
            achtergehouden.push("politiegegevens".into());
        }
        Ok(vec![InzageOnderdeel {
            soort: "persoon".into(),
            id: PERSOON.into(),
            eigenaar: "vt-haaglanden".into(),
            bron: "vt-haaglanden".into(),
            bron_naam: String::new(),
            vastgelegd_op: chrono::Utc::now(),
            grondslag: "eigen taak".into(),
            gegevens,
            achtergehouden,
        }])
    }
}

async fn app(db: Db) -> Option<TestApp> {
    let app = spawn_met(
        db,
        "",
        Onderdelen {
            inzage: vec![Arc::new(NepBron)],
            ..Default::default()
        },
    )
    .await?;
    app.organisatie("politie-haaglanden", "politie", &[]).await;
    app.organisatie("vt-haaglanden", "veilig-thuis", &["0518"])
        .await;
    app.organisatie("om-den-haag", "om", &[]).await;
    app.organisatie("buitenstaander", "wijkteam", &["0363"])
        .await;
    Some(app)
}

fn convenant_body() -> Value {
    json!({
        "titel": "Pilotconvenant Haaglanden",
        "partijen": [
            {"organisatie": "politie-haaglanden", "rol": "verstrekker"},
            {"organisatie": "vt-haaglanden", "rol": "ontvanger"},
            {"organisatie": "om-den-haag", "rol": "voor-gezien"}
        ],
        "doelen": ["inzage", "briefing", "strafrechtelijke-beoordeling"],
        "categorieen": ["identificatie", "politiegegevens", "hulpverlening"],
        "regels": [
            {"organisatieSoort": "politie", "rollen": ["privacyfunctionaris"], "acties": ["lezen"],
             "categorieen": ["identificatie"], "doel": "inzage", "maxVertrouwelijkheid": "vertrouwelijk",
             "grondslag": {"code": "Wpg art. 18", "omschrijving": "verstrekking aan convenantpartner"}},
            {"organisatieSoort": "om", "rollen": ["privacyfunctionaris"], "acties": ["lezen"],
             "categorieen": ["identificatie"], "doel": "inzage", "redenVerplicht": true, "maxVertrouwelijkheid": "vertrouwelijk",
             "grondslag": {"code": "Wjsg art. 39f", "omschrijving": "per zaak"}}
        ],
        "terugkoppelplichten": [{"moment": "ontvangstbevestiging", "binnenWerkdagen": 1}],
        "bewaartermijnen": [{"categorie": "politiegegevens", "termijnDagen": 1825}],
        "doorbraakrollen": [{"organisatieSoort": "politie", "rol": "noodhulp"}]
    })
}

async fn actief_convenant(app: &TestApp) -> Value {
    app.convenant_van_kracht(&convenant_body()).await
}

async fn convenant_levenscyclus(db: Db) {
    let Some(app) = app(db).await else { return };
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    // Only a functional admin of a party creates.
    let buiten = app.token("buitenstaander", &["functioneel-beheerder"]);
    assert_problem(
        app.post("/api/v1/convenanten", &buiten, &convenant_body())
            .await,
        403,
    )
    .await;
    // Every inconsistency is named.
    let mut fout = convenant_body();
    fout["regels"][0]["doel"] = json!("coordinatie");
    fout["partijen"] = json!([{"organisatie": "politie-haaglanden", "rol": "x"}]);
    let body = assert_problem(app.post("/api/v1/convenanten", &beheer, &fout).await, 400).await;
    let namen: Vec<&str> = body["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(namen, vec!["/partijen", "/regels/0/doel"]);

    let c = actief_convenant(&app).await;
    assert_eq!(c["status"], "actief");
    let id = c["id"].as_str().unwrap().to_string();
    // An active agreement is never edited in place.
    assert_problem(
        app.put(
            &format!("/api/v1/convenanten/{id}"),
            &beheer,
            &convenant_body(),
        )
        .await,
        409,
    )
    .await;
    // Every party reads it; an outsider does not.
    let vt = app.token("vt-haaglanden", &["triagist"]);
    assert_eq!(
        app.get(&format!("/api/v1/convenanten/{id}"), &vt)
            .await
            .status(),
        200
    );
    // To an outsider the agreement does not exist: the same 404 as an unknown id.
    let verborgen = assert_problem(
        app.get(&format!("/api/v1/convenanten/{id}"), &buiten).await,
        404,
    )
    .await;
    let onbekend = Uuid::now_v7();
    let onbekend_body = assert_problem(
        app.get(&format!("/api/v1/convenanten/{onbekend}"), &buiten)
            .await,
        404,
    )
    .await;
    assert_eq!(
        verborgen["detail"].as_str().unwrap().replace(&id, "ID"),
        onbekend_body["detail"]
            .as_str()
            .unwrap()
            .replace(&onbekend.to_string(), "ID")
    );
    // A change is a new version; activating it withdraws the old one.
    let mut v2 = convenant_body();
    v2["titel"] = json!("Pilotconvenant Haaglanden v2");
    let res = app
        .post(&format!("/api/v1/convenanten/{id}/versies"), &beheer, &v2)
        .await;
    assert_eq!(res.status(), 201);
    let nieuw: Value = res.json().await.unwrap();
    assert_eq!(nieuw["versie"], 2);
    assert_eq!(nieuw["reeksId"], c["reeksId"]);
    // Version 1 stays in force until every party has signed version 2.
    assert_eq!(nieuw["status"], "concept");
    let v1: Value = app
        .get(&format!("/api/v1/convenanten/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v1["status"], "actief");
    app.onderteken_door_alle_partijen(&nieuw).await;
    let oud: Value = app
        .get(&format!("/api/v1/convenanten/{id}"), &vt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(oud["status"], "ingetrokken");
    assert_eq!(oud["intrekkingsreden"], "vervangen door versie 2");
    let lijst: Value = app
        .get("/api/v1/convenanten", &vt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lijst["count"], 2);
    // The audit trail of version 1: created, activated, refused edit... by its owner.
    let fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    let trail: Value = app
        .get(&format!("/api/v1/convenanten/{id}/audittrail"), &fg)
        .await
        .json()
        .await
        .unwrap();
    let acties: Vec<&str> = trail["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actie"].as_str().unwrap())
        .collect();
    assert_eq!(
        acties,
        vec![
            "aanmaken",
            "ondertekenen",
            "ondertekenen",
            "ondertekenen",
            "activeren",
            "wijzigen",
            "lezen",
            "intrekken"
        ]
    );
    // The refused edit of the active version is there with its status (409).
    assert_eq!(trail["results"][5]["resultaat"], 409, "{trail}");
    // The outsider's look is in the owner's trail, refused.
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND resultaat = 403 AND organisatie = 'buitenstaander'"
        )),
        1
    );
    assert!(trail["results"][0]["nieuweWaarde"]["titel"].is_string());
    assert_problem(
        app.get(&format!("/api/v1/convenanten/{id}/audittrail"), &vt)
            .await,
        403,
    )
    .await;
}

fn inzage_pad() -> String {
    format!("/api/v1/personen/{PERSOON}/inzage")
}

/// The body of a problem with `instance` and `traceId` taken out: what must be
/// byte-identical between an unknown id and one outside the caller's view.
async fn zonder_instance(res: reqwest::Response, status: u16) -> String {
    let mut body = assert_problem(res, status).await;
    let o = body.as_object_mut().unwrap();
    o.remove("instance");
    o.remove("traceId");
    serde_json::to_string(&body).unwrap()
}

/// INZAGE_EIGEN_ORGANISATIE: the organisation that holds the person's data answers for
/// what it holds; another organisation's privacy officer — even one an agreement gives an
/// `inzage` rule — hears exactly what an unknown id hears, and the attempt is recorded.
async fn inzage_binnen_eigen_organisatie(db: Db) {
    let Some(app) = app(db).await else { return };
    actief_convenant(&app).await;
    let vt_fg = app.token("vt-haaglanden", &["privacyfunctionaris"]);
    let res = app.get(&inzage_pad(), &vt_fg).await;
    assert_eq!(res.status(), 200);
    let rapport: Value = res.json().await.unwrap();
    assert_eq!(rapport["opgesteldDoor"], "vt-haaglanden");
    assert_eq!(rapport["gegevens"][0]["eigenaar"], "vt-haaglanden");
    assert!(
        rapport["gegevens"][0]["gegevens"]
            .get("politieNotitie")
            .is_none(),
        "police-only field withheld"
    );
    // The read is in both logs, on the organisation's own task.
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 200 AND actie = 'lezen' AND organisatie = 'vt-haaglanden'"),
        1
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'inzage' AND organisatie = 'vt-haaglanden' AND convenant_id IS NULL"), 1);
    // The processing log holds a pseudonym, never the id.
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE betrokkene = '{PERSOON}'"
        )),
        0
    );

    // The police's and the OM's privacy officers (the agreement has `inzage` rules for
    // both): the same answer as for an unknown id, each attempt recorded.
    let onbekend = format!("/api/v1/personen/{}/inzage", Uuid::now_v7());
    let politie_fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    let om_fg = app.token("om-den-haag", &["privacyfunctionaris"]);
    for (org, fg) in [("politie-haaglanden", &politie_fg), ("om-den-haag", &om_fg)] {
        let verwacht = zonder_instance(app.get(&onbekend, fg).await, 404).await;
        let kreeg = zonder_instance(app.get(&inzage_pad(), fg).await, 404).await;
        assert_eq!(kreeg, verwacht);
        assert_eq!(
            app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND actie = 'inzage' AND organisatie = '{org}' AND object_id = '{PERSOON}'")),
            1,
            "the attempt is in the audit trail"
        );
    }
    let res = app
        .client
        .get(app.url(&inzage_pad()))
        .bearer_auth(&om_fg)
        .header("X-Audit-Toelichting", "verzoek betrokkene, zaak 2026/17")
        .send()
        .await
        .unwrap();
    assert_problem(res, 404).await;
    // Not the privacy officer: refused whatever the id.
    let vt = app.token("vt-haaglanden", &["triagist"]);
    assert_problem(app.get(&inzage_pad(), &vt).await, 403).await;

    // Human-readable rendering for the parent.
    let html = app
        .client
        .get(app.url(&inzage_pad()))
        .bearer_auth(&vt_fg)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    assert!(
        html.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let tekst = html.text().await.unwrap();
    assert!(
        tekst.contains("Wie uw gegevens gebruikte")
            && tekst.contains("identiteit van de melder")
            && tekst.contains("Aan wie wij uw gegevens gaven"),
        "{tekst}"
    );
}

/// Break-glass on a person record of Veilig Thuis: the police's noodhulp may, by the
/// agreement's `doorbraakrollen`, so without a reason it hears 403 (the organisation may
/// know the record); with one the read is allowed, flagged and listed for review. The OM
/// has no such role and no rule: as an unknown id. Withdrawal takes effect at once.
async fn doorbraak_en_toetsing(db: Db) {
    let Some(app) = app(db).await else { return };
    let c = actief_convenant(&app).await;
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let p: Value = app
        .post(
            "/api/v1/personen",
            &vt,
            &json!({"voornamen": "Jan", "achternaam": "Jansen", "geboortedatum": "2015-03-01"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pad = format!("/api/v1/personen/{}", p["id"].as_str().unwrap());
    let lees = |token: String, doorbraak: bool, reden: Option<&'static str>| {
        let mut r = app.client.get(app.url(&pad)).bearer_auth(token);
        if doorbraak {
            r = r.header("X-Doorbraak", "true");
        }
        if let Some(reden) = reden {
            r = r.header("X-Audit-Toelichting", reden);
        }
        r.send()
    };
    let nood = app.token("politie-haaglanden", &["noodhulp"]);
    assert_problem(lees(nood.clone(), false, None).await.unwrap(), 403).await;
    let body = assert_problem(lees(nood.clone(), true, None).await.unwrap(), 403).await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("`; doorbraak niet mogelijk: "),
        "two sentences kept apart: {body}"
    );
    let res = lees(
        nood.clone(),
        true,
        Some("kind mogelijk in gevaar, melding 112"),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    let review: Value = app
        .get("/api/v1/verwerkingen/doorbraken", &fg)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(review["count"], 1);
    let om = app.token("om-den-haag", &["officier-van-justitie"]);
    assert_problem(
        lees(om, true, Some("reden van de doorbraak"))
            .await
            .unwrap(),
        404,
    )
    .await;
    // Withdrawal (by the platform admin: one party alone cannot) takes effect on the next
    // request: outside any agreement, as unknown.
    let beheer = app.token("ketenregie-platform", &["platformbeheerder"]);
    let res = app
        .post(
            &format!(
                "/api/v1/convenanten/{}/intrekkingen",
                c["id"].as_str().unwrap()
            ),
            &beheer,
            &json!({"reden": "pilot beëindigd"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(
        lees(nood, true, Some("kind mogelijk in gevaar"))
            .await
            .unwrap(),
        404,
    )
    .await;
}

async fn verwerkingen_zoeken(db: Db) {
    let Some(app) = app(db).await else { return };
    actief_convenant(&app).await;
    let fg = app.token("vt-haaglanden", &["privacyfunctionaris"]);
    assert_eq!(app.get(&inzage_pad(), &fg).await.status(), 200);
    let res = app
        .post(
            "/api/v1/verwerkingen/_zoek",
            &fg,
            &json!({"betrokkene": PERSOON, "doel": "inzage"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let gevonden: Value = res.json().await.unwrap();
    assert_eq!(gevonden["count"], 1);
    assert_eq!(gevonden["results"][0]["grondslag"], "eigen taakuitvoering");
    // Another organisation's officer sees only its own log.
    let politie_fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    let leeg: Value = app
        .post(
            "/api/v1/verwerkingen/_zoek",
            &politie_fg,
            &json!({"betrokkene": PERSOON}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(leeg["count"], 0);
    // Not a privacy officer: refused and recorded.
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    assert_problem(
        app.post("/api/v1/verwerkingen/_zoek", &agent, &json!({}))
            .await,
        403,
    )
    .await;
    assert_eq!(app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND object_type = 'verwerkingen'"), 1);
}

async fn logfout_rolt_alles_terug(db: Db) {
    let Some(app) = app(db).await else { return };
    match db {
        Db::Sqlite => app.sql("CREATE TRIGGER test_faal BEFORE INSERT ON audittrail BEGIN SELECT RAISE(ABORT, 'log kapot'); END;"),
        Db::Postgres => app.sql(
            "CREATE FUNCTION test_faal() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'log kapot'; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER test_faal BEFORE INSERT ON audittrail FOR EACH ROW EXECUTE FUNCTION test_faal();",
        ),
    }
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    let res = app
        .post("/api/v1/convenanten", &beheer, &convenant_body())
        .await;
    assert_problem(res, 500).await;
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM convenanten"),
        0,
        "no agreement without its audit row"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM convenant_partijen"), 0);
}

async fn audit_verify_vindt_knoeiwerk(db: Db) {
    let Some(app) = app(db).await else { return };
    let c = actief_convenant(&app).await;
    let fg = app.token("vt-haaglanden", &["privacyfunctionaris"]);
    assert_eq!(app.get(&inzage_pad(), &fg).await.status(), 200);
    let verify = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
            .args(["audit", "verify"])
            .env("KETENREGIE_DATABASE__URL", app.db_url())
            .env(
                "KETENREGIE_AUTH__DEV_SECRET_FILE",
                app.dir.join("dev-secret"),
            )
            .output()
            .unwrap()
    };
    let ok = verify();
    let uit = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success() && uit.starts_with("ok:"),
        "{uit} {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // The logs refuse an update through SQL...
    let mut conn = app.pool.get().unwrap();
    use diesel::connection::SimpleConnection;
    assert!(
        conn.batch_execute("UPDATE audittrail SET actie = 'niets'")
            .is_err(),
        "append-only"
    );
    drop(conn);
    // ...so someone with database power switches the guard off and edits a sealed row.
    app.verzegel();
    let (keten, volgnummer) = {
        use diesel::prelude::*;
        use ketenregie_store::schema::audittrail as a;
        let mut conn = app.pool.get().unwrap();
        a::table
            .filter(a::object_id.eq(c["id"].as_str().unwrap()))
            .filter(a::actie.eq("activeren"))
            .select((a::keten, a::volgnummer))
            .first::<(String, i64)>(&mut conn)
            .unwrap()
    };
    assert!(keten.starts_with("politie-haaglanden"), "{keten}");
    let tamper = format!(
        "UPDATE audittrail SET gebruiker_naam = 'Iemand Anders' WHERE object_id = '{}' AND actie = 'activeren'",
        c["id"].as_str().unwrap()
    );
    match db {
        Db::Sqlite => app.sql(&format!(
            "DROP TRIGGER audittrail_alleen_toevoegen_u; {tamper};"
        )),
        Db::Postgres => app.sql(&format!(
            "ALTER TABLE audittrail DISABLE TRIGGER audittrail_alleen_toevoegen; {tamper};"
        )),
    }
    let kapot = verify();
    let uit = String::from_utf8_lossy(&kapot.stdout);
    assert_eq!(kapot.status.code(), Some(1), "{uit}");
    // The break is reported in the chain and at the position of the edited row.
    assert!(
        uit.contains(&format!(
            "BROKEN: audittrail chain `{keten}` at sequence number {volgnummer}"
        )),
        "{uit}"
    );
}

async fn eigen_verklaring(db: Db) {
    let Some(app) = app(db).await else { return };
    let pad = format!("/api/v1/personen/{PERSOON}/eigen-verklaringen");
    let vt = app.token("vt-haaglanden", &["triagist"]);
    // Every problem named; nothing stored.
    let body = assert_problem(app.post(&pad, &vt, &json!({"tekst": "  "})).await, 400).await;
    assert_eq!(body["invalidParams"][0]["name"], "/tekst");
    // Recorded by the privacy officer of the organisation that holds the person's data
    // (PRIVACYFUNCTIONARIS_VERANTWOORDT): another role is refused, and the refusal recorded.
    let tekst = json!({"tekst": "Ik heb het kind die avond wel willen overdragen."});
    let body = assert_problem(app.post(&pad, &vt, &tekst).await, 403).await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("privacyfunctionaris"),
        "{body}"
    );
    let vt_fg = app.token("vt-haaglanden", &["privacyfunctionaris"]);
    let res = app.post(&pad, &vt_fg, &tekst).await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["vastgelegdDoor"], "vt-haaglanden");
    assert_eq!(v["door"], "persoon");
    let lijst: Value = app.get(&pad, &vt).await.json().await.unwrap();
    assert_eq!(lijst.as_array().unwrap().len(), 1);
    // Logged like any write; never altered (the database refuses an update).
    assert_eq!(app.tel("SELECT count(*) AS n FROM audittrail WHERE object_type = 'eigen-verklaringen' AND actie = 'aanmaken'"), 1);
    let mut c = app.pool.get().unwrap();
    use diesel::connection::SimpleConnection;
    assert!(
        c.batch_execute("UPDATE eigen_verklaringen SET tekst = 'anders'")
            .is_err()
    );
    drop(c);
    // Shown in the inzage of the organisation that holds the data, and only there.
    actief_convenant(&app).await;
    let fg = app.token("vt-haaglanden", &["privacyfunctionaris"]);
    let rapport: Value = app.get(&inzage_pad(), &fg).await.json().await.unwrap();
    assert_eq!(
        rapport["eigenVerklaringen"][0]["tekst"],
        "Ik heb het kind die avond wel willen overdragen."
    );
    let politie_fg = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    assert_problem(app.get(&inzage_pad(), &politie_fg).await, 404).await;
    // An organisation that holds nothing on the person: exactly as for an unknown
    // person, and the attempt recorded.
    let buiten = app.token("buitenstaander", &["wijkteammedewerker"]);
    let onbekend = format!("/api/v1/personen/{}/eigen-verklaringen", Uuid::now_v7());
    for (methode, body) in [("POST", Some(json!({"tekst": "x"}))), ("GET", None)] {
        let roep = |pad: String| {
            let mut r = app
                .client
                .request(
                    reqwest::Method::from_bytes(methode.as_bytes()).unwrap(),
                    app.url(&pad),
                )
                .bearer_auth(&buiten);
            if let Some(b) = &body {
                r = r.json(b);
            }
            r.send()
        };
        let verwacht = zonder_instance(roep(onbekend.clone()).await.unwrap(), 404).await;
        let kreeg = zonder_instance(roep(pad.clone()).await.unwrap(), 404).await;
        assert_eq!(kreeg, verwacht, "{methode}");
    }
    assert_eq!(
        app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND organisatie = 'buitenstaander' AND object_id = '{PERSOON}'")),
        2
    );
    assert_problem(
        app.post(
            &format!("/api/v1/personen/{}/eigen-verklaringen", Uuid::now_v7()),
            &vt,
            &json!({"tekst": "x"}),
        )
        .await,
        404,
    )
    .await;
}

op_beide_backends!(
    eigen_verklaring,
    convenant_levenscyclus,
    inzage_binnen_eigen_organisatie,
    doorbraak_en_toetsing,
    verwerkingen_zoeken,
    logfout_rolt_alles_terug,
    audit_verify_vindt_knoeiwerk,
);
