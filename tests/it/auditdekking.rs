//! Every change is in the audit trail (README "Audit trail"; DOMAIN.md: every byte shared
//! is logged), also the administrative ones: contact points, webhook subscriptions,
//! re-queued deliveries (the outside test of 1 Dec 2026 found contact points and
//! subscriptions changed without a row). The whole suite holds every write it makes to
//! this: the contract proxy notes each write done with its trace id, and the test app
//! fails on drop when one left no audit row (`TestApp::toets_auditdekking`). This module
//! checks the rows' content, and that the harness check itself can fail.
//!
//! And signing in again ends the session the browser held (the same test: the old cookie
//! stayed valid for its 10 hours).

use crate::common::contract::Schrijving;
use crate::common::{self, Db, TestApp};
use crate::werkplek::{Browser, demo_organisaties};
use serde_json::{Value, json};

/// The audit rows of `soort` object `id`, as (action, owner, old value, new value).
fn rijen(
    app: &TestApp,
    soort: &str,
    id: &str,
) -> Vec<(String, String, Option<Value>, Option<Value>)> {
    let json = |t: &Option<String>| t.as_deref().map(|t| serde_json::from_str(t).unwrap());
    app.audit(&format!("object_type = '{soort}' AND object_id = '{id}'"))
        .into_iter()
        .map(|r| {
            (
                r.actie.clone(),
                r.eigenaar.clone(),
                json(&r.oude_waarde),
                json(&r.nieuwe_waarde),
            )
        })
        .collect()
}

async fn contactpunten_en_abonnementen_in_de_audittrail(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    let org = app.organisatie("wijkteam-a", "wijkteam", &["0518"]).await;
    let org_id = org["id"].as_str().unwrap();
    let beheer = app.token("wijkteam-a", &["functioneel-beheerder"]);

    // A contact point added, changed and removed by the organisation's own admin: three
    // rows in the organisation's trail, with old and new values.
    let res = app
        .post(
            &format!("/api/v1/organisaties/{org_id}/contactpunten"),
            &beheer,
            &json!({"rol": "spoed", "naam": "Spoeddienst", "telefoon": "070 123 45 67"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let cp: Value = res.json().await.unwrap();
    let cp_id = cp["id"].as_str().unwrap();
    let res = app
        .put(
            &format!("/api/v1/contactpunten/{cp_id}"),
            &beheer,
            &json!({"rol": "spoed", "naam": "Spoeddienst Noord", "telefoon": "070 123 45 67"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/contactpunten/{cp_id}")))
        .bearer_auth(&beheer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let r = rijen(&app, "contactpunten", cp_id);
    let acties: Vec<&str> = r.iter().map(|(a, ..)| a.as_str()).collect();
    assert_eq!(acties, ["aanmaken", "wijzigen", "verwijderen"], "{r:?}");
    assert!(r.iter().all(|(_, e, ..)| e == "wijkteam-a"), "{r:?}");
    assert_eq!(r[0].2, None);
    assert_eq!(r[0].3.as_ref().unwrap()["naam"], "Spoeddienst");
    assert_eq!(r[1].2.as_ref().unwrap()["naam"], "Spoeddienst");
    assert_eq!(r[1].3.as_ref().unwrap()["naam"], "Spoeddienst Noord");
    assert_eq!(r[2].2.as_ref().unwrap()["naam"], "Spoeddienst Noord");
    assert_eq!(r[2].3, None);

    // A subscription made and ended: two rows, the address and channels but never the
    // signing secret.
    let res = app
        .post(
            "/api/v1/abonnementen",
            &beheer,
            &json!({"url": "http://127.0.0.1:9/haak", "kanalen": ["terugkoppelingen"]}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let a: Value = res.json().await.unwrap();
    let a_id = a["id"].as_str().unwrap();
    let geheim = a["geheim"].as_str().unwrap().to_string();
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/abonnementen/{a_id}")))
        .bearer_auth(&beheer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let r = rijen(&app, "abonnementen", a_id);
    let acties: Vec<&str> = r.iter().map(|(a, ..)| a.as_str()).collect();
    assert_eq!(acties, ["aanmaken", "verwijderen"], "{r:?}");
    assert_eq!(r[0].3.as_ref().unwrap()["url"], "http://127.0.0.1:9/haak");
    assert_eq!(r[1].2.as_ref().unwrap()["url"], "http://127.0.0.1:9/haak");
    let alles = format!("{r:?}");
    assert!(
        !alles.contains(&geheim) && !alles.contains("whsec_"),
        "{alles}"
    );
}

/// The harness check fails on a write without a row (so the suite-wide check is real),
/// and passes a write that has one, found by the trace id the client sent.
async fn de_controle_ziet_een_schrijving_zonder_auditregel(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    let org = app.organisatie("wijkteam-b", "wijkteam", &["0518"]).await;
    let beheer = app.token("wijkteam-b", &["functioneel-beheerder"]);
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/organisaties/{}/contactpunten",
            org["id"].as_str().unwrap()
        )))
        .bearer_auth(&beheer)
        .header("traceparent", format!("00-{trace}-00f067aa0ba902b7-01"))
        .json(&json!({"rol": "spoed", "naam": "Spoeddienst", "telefoon": "070 123 45 67"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let gezien = app.schrijvingen.lock().unwrap().clone();
    assert!(
        gezien
            .iter()
            .any(|s| s.trace_id == trace && s.methode == "POST"),
        "{gezien:?}"
    );
    assert_eq!(app.toets_auditdekking(), Vec::<String>::new());
    // A write the trail does not know (a trace id no request ran under) is reported.
    app.schrijvingen.lock().unwrap().push(Schrijving {
        trace_id: "0af7651916cd43dd8448eb211c80319c".into(),
        methode: "PUT".into(),
        uri: "/api/v1/contactpunten/x".into(),
        status: 200,
    });
    assert_eq!(
        app.toets_auditdekking(),
        vec!["PUT /api/v1/contactpunten/x -> 200".to_string()]
    );
}

/// Signing in again in the same browser ends the old session on every instance: its
/// cookie opens nothing after that.
async fn opnieuw_aanmelden_beeindigt_de_oude_sessie(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    let mut b = Browser::new(&app);
    b.meld_aan("triagist").await;
    let oud = b.cookies.clone();
    assert_eq!(app.tel("SELECT count(*) AS n FROM werkplek_sessies"), 1);
    b.meld_aan("noodhulp").await;
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM werkplek_sessies"),
        1,
        "the old session ended"
    );
    assert_eq!(b.get("/werkplek/").await.status, 200, "the new one works");
    let mut ander = Browser::new(&app);
    ander.cookies = oud;
    let r = ander.get("/werkplek/inbox").await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (303, "/werkplek/aanmelden"),
        "the old cookie opens nothing"
    );
}

/// The werkplek's contact-point form offers no choice of role: a crafted post that sends
/// another `rol` changes the fields the page offers and keeps the role (the outside test
/// of 1 Dec 2026); the change is in the organisation's audit trail.
async fn werkplek_contactpunt_houdt_zijn_rol(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    common::keten::contactpunt(&app, "politie-den-haag", "spoed", "spoed@politie.example").await;
    let mut b = Browser::new(&app);
    b.meld_aan("politiebeheer").await;
    let p = b.get("/werkplek/beheer").await;
    assert_eq!(p.status, 200, "{}", p.html);
    assert!(
        !p.html.contains("name=\"rol\""),
        "no role field on the page"
    );
    let voor = "action=\"/werkplek/contactpunten/";
    let i = p.html.find(voor).unwrap() + voor.len();
    let id = p.html[i..i + 36].to_string();
    let voor = "name=\"_versie\" value=\"";
    let j = p.html.find(voor).unwrap() + voor.len();
    let versie = p.html[j..].split('"').next().unwrap().to_string();
    let r = b
        .post(
            &format!("/werkplek/contactpunten/{id}"),
            &[
                ("_csrf", &p.csrf()),
                ("_versie", &versie),
                ("rol", "escalatie"),
                ("naam", "Meldkamer"),
                ("telefoon", "0701234567"),
                ("altijdBereikbaar", "nee"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM contactpunten WHERE id = '{id}' AND rol = 'spoed' AND naam = 'Meldkamer'"
        )),
        1
    );
    let r = rijen(&app, "contactpunten", &id);
    assert_eq!(r.last().unwrap().0, "wijzigen", "{r:?}");
    assert_eq!(r.last().unwrap().3.as_ref().unwrap()["rol"], "spoed");
}

/// The outside test of 2 Dec 2026: signing in and out left no row; a refused change of
/// another organisation's contact points went into the caller's trail, where the owner's
/// privacy officer never sees it; a refused change of a retention term left no row; a
/// werkplek form with a version that is no number was saved without its precondition,
/// and a field given twice was read as one of its values.
async fn sessies_weigeringen_en_vervalste_formulieren(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    const VT: &str = "veilig-thuis-haaglanden";
    const POLITIE: &str = "politie-den-haag";
    let sessierijen = |actie: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_type = 'werkplek-sessie' AND actie = '{actie}' AND organisatie = '{VT}' AND eigenaar = '{VT}'"
        ))
    };
    let mut b = Browser::new(&app);
    b.meld_aan("triagist").await;
    assert_eq!((sessierijen("aanmelden"), sessierijen("afmelden")), (1, 0));
    // Signing in again ends the old session: both in the trail.
    let csrf = b.meld_aan("beheer").await;
    assert_eq!((sessierijen("aanmelden"), sessierijen("afmelden")), (2, 1));
    let r = b.post("/werkplek/afmelden", &[("_csrf", &csrf)]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!((sessierijen("aanmelden"), sessierijen("afmelden")), (2, 2));
    // Sign-in with a role given twice: no choice, no session.
    let p = b.get("/werkplek/aanmelden").await;
    let r = b
        .post(
            "/werkplek/aanmelden",
            &[
                ("_csrf", &p.csrf()),
                ("rol", "beheer"),
                ("rol", "politiebeheer"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert_eq!(sessierijen("aanmelden"), 2);

    // The police's contact point, changed by Veilig Thuis's admin: refused, in the
    // police's trail.
    common::keten::contactpunt(&app, POLITIE, "spoed", "spoed@politie.example").await;
    let vt = app.token(VT, &["functioneel-beheerder"]);
    let lijst: Value = app
        .get("/api/v1/contactpunten", &vt)
        .await
        .json()
        .await
        .unwrap();
    let cp = lijst["results"][0]["id"].as_str().unwrap().to_string();
    let body = json!({"rol": "spoed", "naam": "Overgenomen", "telefoon": "0701234567"});
    let res = app
        .put(&format!("/api/v1/contactpunten/{cp}"), &vt, &body)
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{cp}' AND resultaat = 403 AND organisatie = '{VT}' AND eigenaar = '{POLITIE}'"
        )),
        1,
        "in the owner's trail"
    );

    // A retention term set by a privacy officer: refused, and a row.
    let fg = app.token(VT, &["privacyfunctionaris"]);
    let res = app
        .put(
            "/api/v1/bewaartermijnen/verwerkingslog",
            &fg,
            &json!({"termijnDagen": 3650, "toelichting": "x"}),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_type = 'bewaartermijnen' AND resultaat = 403 AND eigenaar = '{VT}'"
        )),
        1
    );

    // The police's admin on its own contact point: a version that is no number, and a
    // field given twice, are refused and change nothing.
    let mut b = Browser::new(&app);
    b.meld_aan("politiebeheer").await;
    let p = b.get("/werkplek/beheer").await;
    let voor = "name=\"_versie\" value=\"";
    let j = p.html.find(voor).unwrap() + voor.len();
    let versie = p.html[j..].split('"').next().unwrap().to_string();
    for velden in [
        vec![
            ("_versie", "abc"),
            ("naam", "Gewijzigd"),
            ("altijdBereikbaar", "ja"),
        ],
        vec![
            ("_versie", versie.as_str()),
            ("naam", "Gewijzigd"),
            ("naam", "Nog anders"),
            ("altijdBereikbaar", "ja"),
        ],
    ] {
        let csrf = p.csrf();
        let mut v = vec![("_csrf", csrf.as_str()), ("telefoon", "0701234567")];
        v.extend(velden);
        let r = b.post(&format!("/werkplek/contactpunten/{cp}"), &v).await;
        assert_eq!(r.status, 422, "{v:?}: {}", r.html);
        assert!(r.html.contains("Er is niets gewijzigd"), "{}", r.html);
    }
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM contactpunten WHERE id = '{cp}' AND naam <> 'Gewijzigd' AND naam <> 'Nog anders'"
        )),
        1,
        "unchanged"
    );
}

op_beide_backends!(
    sessies_weigeringen_en_vervalste_formulieren,
    werkplek_contactpunt_houdt_zijn_rol,
    contactpunten_en_abonnementen_in_de_audittrail,
    de_controle_ziet_een_schrijving_zonder_auditregel,
    opnieuw_aanmelden_beeindigt_de_oude_sessie,
);
