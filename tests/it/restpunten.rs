//! Small gaps found last session (task h17lijst2), each with a test of its own on both
//! backends: the werkplek's sign-in refused for a platform role
//! (`PLATFORMBEHEER_EIGEN_ORGANISATIE`) leaves its row in the refused organisation's audit
//! trail, as the API's refusal does (`kleine_gaten::geweigerde_platformrol_in_de_audittrail`);
//! an incident's date-times have the lower bound 1900-01-01 (`Datumbereik`), in UTC.

use crate::common;
use crate::werkplek::Browser;
use crate::werkplek_oidc::{POLITIE, naar_provider_en_terug, opzet, wijkagent};

use common::keten;
use common::oidc::{Gebruiker, Provider};
use common::{Db, assert_problem, spawn};
use serde_json::{Value, json};

/// A user of the registered police signing in through its identity provider with the
/// role `platformbeheerder` beside its own: a 403 page saying what the rule means for the
/// user (not its name), no session, and
/// one row in the police's audit trail (403, "geweigerd: ..." naming the rule, object
/// `api-toegang` with the sign-in path, action `lezen`, the request's trace id). A user of
/// an organisation outside the register gets the 403 too, written into no trail.
async fn werkplek_platformrol_geweigerd_in_de_audittrail(db: Db) {
    let p = Provider::start(Gebruiker {
        rollen: vec!["wijkagent".into(), "platformbeheerder".into()],
        ..wijkagent()
    });
    let Some(app) = opzet(db, &p).await else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    let sessies = || app.tel("SELECT count(*) AS n FROM werkplek_sessies");
    let mut b = Browser::new(&app);
    let terug = naar_provider_en_terug(&mut b, &p).await;
    let r = b.get(&terug).await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(
        r.html.contains("platformorganisatie zelf")
            && !r.html.contains("PLATFORMBEHEER_EIGEN_ORGANISATIE"),
        "{}",
        r.html
    );
    assert_eq!(sessies(), 0, "no session");
    let rijen = app.audit(&format!("eigenaar = '{POLITIE}' AND resultaat = 403"));
    assert_eq!(rijen.len(), 1, "{rijen:?}");
    let r = &rijen[0];
    assert_eq!(r.organisatie, POLITIE);
    assert_eq!(r.actie, "lezen");
    assert_eq!(r.object_type, "api-toegang");
    assert_eq!(r.object_id, "/werkplek/aanmelden/terug");
    let grond = r.grondslag.as_deref().unwrap_or_default();
    assert!(
        grond.starts_with("geweigerd:") && grond.contains("PLATFORMBEHEER_EIGEN_ORGANISATIE"),
        "{grond}"
    );
    assert!(!r.trace_id.is_empty());
    // Nothing personal in the row: the path holds no code or name of the user.
    assert!(!r.object_id.contains("agent"), "{}", r.object_id);

    // An organisation outside the register: refused, and no trail gets a row.
    let voor = app.tel("SELECT count(*) AS n FROM audittrail");
    p.staat.lock().unwrap().gebruiker = Some(Gebruiker {
        organisatie: "bestaat-niet".into(),
        rollen: vec!["platformbeheerder".into()],
        ..wijkagent()
    });
    let mut c = Browser::new(&app);
    let terug = naar_provider_en_terug(&mut c, &p).await;
    let r = c.get(&terug).await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert_eq!(sessies(), 0);
    assert_eq!(app.tel("SELECT count(*) AS n FROM audittrail"), voor);
}

/// The code of the problem at JSON pointer `naam`, or a panic naming the body.
fn veld(p: &Value, naam: &str) -> String {
    p["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == naam)
        .map(|f| f["code"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{naam} not named: {p}"))
}

/// An incident's date-times (`tijdstip`, a statement's `afgelegdOp`, the wederhoor's
/// `op`) from 1900-01-01 in UTC: a moment before it is a 422 `bereik` naming each field,
/// also one on 1 January 1900 in Dutch local time that is still 1899 in UTC; 1900-01-01
/// 00:00 UTC itself is accepted. Each field is named with the body's other problems.
async fn incident_tijdstip_ondergrens(db: Db) {
    let Some(app) = spawn(db).await else { return };
    keten::opzet(&app).await;
    let noodhulp = app.token("politie-haaglanden", &["noodhulp"]);
    let res = app
        .post(
            "/api/v1/personen",
            &noodhulp,
            &json!({"voornamen": "Lisa", "achternaam": "de Vries", "geboortedatum": "1986-07-22"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let moeder = res.json::<Value>().await.unwrap()["id"].clone();
    let incident = |tijdstip: &str, afgelegd: &str, gehoord: &str| {
        json!({
            "tijdstip": tijdstip, "gemeente": "0518", "soort": "overdracht-kind-mislukt",
            "politieReferentie": "PL1500-2026000001", "samenvatting": "Conflict bij de overdracht.",
            "betrokkenen": [{"persoon": moeder, "rol": "moeder"}],
            "verklaringen": [{"afgelegdDoor": "moeder", "persoon": moeder, "tekst": "Hij kwam niet.", "afgelegdOp": afgelegd}],
            "wederhoor": {"status": "niet-bereikbaar", "op": gehoord}
        })
    };
    for (tijdstip, afgelegd, gehoord) in [
        (
            "1899-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "1800-06-01T12:00:00Z",
        ),
        // 1 January 1900 in the Netherlands, still 31 December 1899 in UTC.
        (
            "1900-01-01T00:30:00+01:00",
            "1900-01-01T00:00:00+00:20",
            "1900-01-01T00:59:59+01:00",
        ),
    ] {
        let p = assert_problem(
            app.post(
                "/api/v1/incidenten",
                &noodhulp,
                &incident(tijdstip, afgelegd, gehoord),
            )
            .await,
            422,
        )
        .await;
        assert_eq!(veld(&p, "/tijdstip"), "bereik", "{p}");
        assert_eq!(veld(&p, "/verklaringen/0/afgelegdOp"), "bereik", "{p}");
        assert_eq!(veld(&p, "/wederhoor/op"), "bereik", "{p}");
        assert!(
            p["invalidParams"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("1900-01-01"),
            "{p}"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM incidenten"), 0);
    // The bound itself is accepted, in UTC and as the same moment in another offset.
    for t in ["1900-01-01T00:00:00Z", "1900-01-01T01:00:00+01:00"] {
        let res = app
            .post("/api/v1/incidenten", &noodhulp, &incident(t, t, t))
            .await;
        assert_eq!(res.status(), 201, "{t}: {}", res.text().await.unwrap());
    }
}

op_beide_backends!(
    incident_tijdstip_ondergrens,
    werkplek_platformrol_geweigerd_in_de_audittrail,
);
