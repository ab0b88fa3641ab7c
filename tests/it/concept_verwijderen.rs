//! A concept zorgmelding withdrawn (`DELETE /zorgmeldingen/{id}`, rule
//! `CONCEPT_VERWIJDERBAAR`; AVG art. 5 lid 1 c and e): it goes with everything stored for
//! it (content, steps, subject index, own statements, the stored idempotent answer), the
//! audit trail and the processing log get their rows (one per subject, activity
//! `verwijdering`) in the same transaction; another organisation hears the 404 of a read,
//! the receiver of a sent melding the rule `AFZENDER_BEHEERT_CONCEPT`, a sent melding is a
//! 409 naming its status and a stale `If-Match` a 412, each removing nothing. And the same
//! through the werkplek: a confirmation page, a form with CSRF, a message after.

use crate::common;
use crate::werkplek::Browser;
use crate::zorgmeldingen::{app, concept, indienen, melding};
use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

async fn verwijder(
    app: &TestApp,
    id: &str,
    token: &str,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut r = app
        .client
        .delete(app.url(&format!("/api/v1/zorgmeldingen/{id}")))
        .bearer_auth(token);
    if let Some(v) = if_match {
        r = r.header("If-Match", v);
    }
    r.send().await.unwrap()
}

/// Rows of melding `id` in the melding's own tables: (melding, subjects, steps).
fn rijen(app: &TestApp, id: &str) -> (i64, i64, i64) {
    (
        app.tel(&format!(
            "SELECT count(*) AS n FROM zorgmeldingen WHERE id = '{id}'"
        )),
        app.tel(&format!(
            "SELECT count(*) AS n FROM zorgmelding_betrokkenen WHERE zorgmelding_id = '{id}'"
        )),
        app.tel(&format!(
            "SELECT count(*) AS n FROM zorgmelding_stappen WHERE zorgmelding_id = '{id}'"
        )),
    )
}

async fn concept_verwijderd_met_alles(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    // Drafted with an Idempotency-Key: its stored answer repeats the content.
    let res = app
        .client
        .post(app.url("/api/v1/zorgmeldingen"))
        .bearer_auth(&agent)
        .header("Idempotency-Key", "concept-verwijderen-1")
        .json(&melding(&["0518"]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let m: Value = res.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    // An own statement of the mother on it, by the police's privacy officer.
    let pf = app.token("politie-haaglanden", &["privacyfunctionaris"]);
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/eigen-verklaringen"),
            &pf,
            &json!({"tekst": "Mijn kant van het verhaal", "door": "ouders/0"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let (_, onderwerpen, stappen) = rijen(&app, &id);
    // Two children? One child and two parents: three subjects; its first step.
    assert_eq!(onderwerpen, 3);
    assert!(stappen >= 1);
    let verklaringen = format!(
        "SELECT count(*) AS n FROM eigen_verklaringen WHERE object_type = 'zorgmeldingen' AND object_id = '{id}'"
    );
    assert_eq!(app.tel(&verklaringen), 1);
    let idem = format!(
        "SELECT count(*) AS n FROM idempotentie WHERE locatie = '/api/v1/zorgmeldingen/{id}'"
    );
    assert_eq!(app.tel(&idem), 1);

    let res = verwijder(&app, &id, &agent, Some(&etag)).await;
    assert_eq!(res.status(), 204);
    assert!(res.bytes().await.unwrap().is_empty(), "204 has no body");

    let res = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &agent)
        .await;
    assert_problem(res, 404).await;
    assert_eq!(rijen(&app, &id), (0, 0, 0));
    assert_eq!(app.tel(&verklaringen), 0);
    assert_eq!(app.tel(&idem), 0);

    // Both logs, under the trace of the removal: one audit row, one processing-log row
    // per subject, in the author's organisation's chain.
    let audit = app.audit(&format!(
        "object_type = 'zorgmeldingen' AND object_id = '{id}' AND actie = 'verwijderen'"
    ));
    assert_eq!(audit.len(), 1, "one audit row for the removal");
    let a = &audit[0];
    assert_eq!(a.resultaat, 204);
    assert_eq!(a.organisatie, "politie-haaglanden");
    assert_eq!(a.eigenaar, "politie-haaglanden");
    assert!(a.grondslag.is_some(), "the decision's basis is recorded");
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'verwijdering' AND organisatie = 'politie-haaglanden' AND trace_id = '{}'",
            a.trace_id
        )),
        3,
        "one processing-log row per subject"
    );

    // Gone is gone: a second removal is a 404, and the key counts as unused again.
    assert_problem(verwijder(&app, &id, &agent, None).await, 404).await;
}

async fn alleen_concept_en_alleen_de_opsteller(db: Db) {
    let Some(app) = app(db).await else { return };
    app.organisatie("politie-utrecht", "politie", &[]).await;
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let m = concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    let voor = rijen(&app, &id);

    // Another police organisation cannot see the concept: the 404 of a read, recorded as
    // a refusal in the author's trail; nothing removed.
    let ander = app.token("politie-utrecht", &["wijkagent", "jeugdcoordinator"]);
    let gelezen = assert_problem(
        app.get(&format!("/api/v1/zorgmeldingen/{id}"), &ander)
            .await,
        404,
    )
    .await;
    let geweigerd = assert_problem(verwijder(&app, &id, &ander, None).await, 404).await;
    assert_eq!(
        geweigerd["detail"], gelezen["detail"],
        "the same answer as a read"
    );
    assert_eq!(rijen(&app, &id), voor);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND organisatie = 'politie-utrecht' AND resultaat = 403"
        )),
        2
    );

    // Submitted: kept. The receiver is a party but not the author
    // (AFZENDER_BEHEERT_CONCEPT); the author hears the status (CONCEPT_VERWIJDERBAAR).
    indienen(&app, &id).await;
    let voor = rijen(&app, &id);
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let p = assert_problem(verwijder(&app, &id, &vt, None).await, 403).await;
    assert!(
        p.to_string().contains("AFZENDER_BEHEERT_CONCEPT"),
        "names the rule: {p}"
    );
    let p = assert_problem(verwijder(&app, &id, &agent, None).await, 409).await;
    let tekst = p.to_string();
    assert!(tekst.contains("verzonden"), "names the status: {p}");
    assert!(
        tekst.contains("CONCEPT_VERWIJDERBAAR"),
        "names the rule: {p}"
    );
    assert_eq!(rijen(&app, &id), voor);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'verwijdering'"),
        0
    );
}

/// `AFZENDER_BEHEERT_CONCEPT` is a filing role's (wijkagent, jeugdcoördinator, noodhulp)
/// of the author's organisation: its privacy officer, functional admin and quality
/// reviewer neither rewrite nor withdraw a concept (403 naming the rule, in the trail,
/// nothing changed), as they could not have filed it (the outside tester, round three);
/// another officer of the organisation may.
async fn alleen_een_indiener_beheert_het_concept(db: Db) {
    let Some(app) = app(db).await else { return };
    let politie = "politie-haaglanden";
    let m = concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    let versie = || {
        app.tel(&format!(
            "SELECT versie AS n FROM zorgmeldingen WHERE id = '{id}'"
        ))
    };
    let voor = (versie(), rijen(&app, &id));
    let mut anders = melding(&["0518"]);
    anders["zorgen"] = json!("Herschreven door wie niet meldt.");
    for rol in [
        "privacyfunctionaris",
        "functioneel-beheerder",
        "kwaliteitscontroleur",
    ] {
        let t = app.token(politie, &[rol]);
        let p = assert_problem(
            app.put(&format!("/api/v1/zorgmeldingen/{id}"), &t, &anders)
                .await,
            403,
        )
        .await;
        assert!(
            p.to_string().contains("AFZENDER_BEHEERT_CONCEPT"),
            "{rol}: {p}"
        );
        let p = assert_problem(verwijder(&app, &id, &t, None).await, 403).await;
        assert!(
            p.to_string().contains("AFZENDER_BEHEERT_CONCEPT"),
            "{rol}: {p}"
        );
        assert_eq!((versie(), rijen(&app, &id)), voor, "{rol}: nothing changed");
    }
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND eigenaar = '{politie}' AND object_id = '{id}'"
        )),
        6
    );
    // Another officer of the organisation may.
    let collega = app.token(politie, &["noodhulp"]);
    let res = app
        .put(&format!("/api/v1/zorgmeldingen/{id}"), &collega, &anders)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(verwijder(&app, &id, &collega, None).await.status(), 204);
}

async fn verouderde_versie(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let m = concept(&app, &["0518"]).await;
    let id = m["id"].as_str().unwrap().to_string();
    let versie = app.tel(&format!(
        "SELECT versie AS n FROM zorgmeldingen WHERE id = '{id}'"
    ));
    // Changed since it was read: the version read is stale, a 412 that removes nothing.
    let res = app
        .put(
            &format!("/api/v1/zorgmeldingen/{id}"),
            &agent,
            &melding(&["0518", "0603"]),
        )
        .await;
    assert_eq!(res.status(), 200);
    let voor = rijen(&app, &id);
    let oud = format!("\"{versie}\"");
    assert_problem(verwijder(&app, &id, &agent, Some(&oud)).await, 412).await;
    assert_eq!(rijen(&app, &id), voor);
    // Malformed If-Match: a 400 naming the header.
    assert_problem(verwijder(&app, &id, &agent, Some("3")).await, 400).await;
    // Without If-Match, as PUT: unconditional.
    assert_eq!(verwijder(&app, &id, &agent, None).await.status(), 204);
    assert_eq!(rijen(&app, &id), (0, 0, 0));
}

async fn verwijderen_in_de_werkplek(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    crate::werkplek::opzet(&app).await;
    let mut agent = Browser::new(&app);
    let csrf = agent.meld_aan("wijkagent").await;
    let v = crate::werkplek::formulier(&csrf, "concept");
    let r = agent
        .post("/werkplek/meldingen", &crate::werkplek::velden(&v))
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let pad = r.location();
    let id = pad.rsplit('/').next().unwrap().to_string();
    let detail = agent.get(&pad).await;
    assert!(
        detail.html.contains(&format!(
            "href=\"{pad}/verwijderen\">Concept verwijderen</a>"
        )),
        "{}",
        detail.html
    );
    // The confirmation: its own page, naming the concept, with the version it shows.
    let vraag = agent.get(&format!("{pad}/verwijderen")).await;
    assert_eq!(vraag.status, 200, "{}", vraag.html);
    assert!(vraag.html.contains("Ja, concept verwijderen"));
    assert!(vraag.html.contains("Sem de Boer"), "{}", vraag.html);
    let versie = {
        let i = vraag.html.find("name=\"_versie\" value=\"").unwrap() + 22;
        vraag.html[i..i + vraag.html[i..].find('"').unwrap()].to_string()
    };
    let voor = rijen(&app, &id);
    assert_eq!(voor.0, 1);
    // Without the CSRF token: refused, nothing removed.
    let r = agent
        .post(
            &format!("{pad}/verwijderen"),
            &[("_versie", versie.as_str())],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert_eq!(rijen(&app, &id), voor);
    // A stale version: the confirmation again, saying why; nothing removed.
    let oud = (versie.parse::<i64>().unwrap() + 5).to_string();
    let r = agent
        .post(
            &format!("{pad}/verwijderen"),
            &[("_csrf", csrf.as_str()), ("_versie", oud.as_str())],
        )
        .await;
    assert_eq!(r.status, 412, "{}", r.html);
    assert!(r.html.contains("intussen gewijzigd"), "{}", r.html);
    assert_eq!(rijen(&app, &id), voor);
    // Confirmed: gone, through the same use case (both logs), and "Mijn meldingen" says so.
    let r = agent
        .post(
            &format!("{pad}/verwijderen"),
            &[("_csrf", csrf.as_str()), ("_versie", versie.as_str())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(r.location(), "/werkplek/uitgaand?verwijderd=concept");
    let lijst = agent.get(&r.location()).await;
    assert_eq!(lijst.status, 200);
    assert!(
        lijst.html.contains("role=\"status\"") && lijst.html.contains("Het concept is verwijderd"),
        "{}",
        lijst.html
    );
    assert!(!lijst.html.contains(&id), "{}", lijst.html);
    assert_eq!(rijen(&app, &id), (0, 0, 0));
    assert_eq!(
        app.audit(&format!(
            "object_id = '{id}' AND actie = 'verwijderen' AND resultaat = 204 AND applicatie = 'ketenregie-werkplek'"
        ))
        .len(),
        1
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'verwijdering'"),
        voor.1
    );
    // The melding's pages are gone with it.
    assert_eq!(agent.get(&pad).await.status, 404);
}

op_beide_backends!(
    concept_verwijderd_met_alles,
    alleen_concept_en_alleen_de_opsteller,
    alleen_een_indiener_beheert_het_concept,
    verouderde_versie,
    verwijderen_in_de_werkplek,
);
