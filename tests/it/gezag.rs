//! Gezag over HTTP (outside tester's findings on the case registry): an institution
//! holding gezag as voogd is a gecertificeerde instelling (`VOOGDIJ_INSTELLING_GECERTIFICEERD`,
//! BW 1:302 lid 2, Jeugdwet art. 3.4), named beside every other problem of the request.
//! Each test on both backends.

use crate::common;
use common::{Db, TestApp, assert_problem};
use common::{p, paren, persoon};
use serde_json::json;

const GI: &str = "gi-jeugdbescherming-west";
const POLITIE: &str = "politie-den-haag";
const VT: &str = "vt-haaglanden";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    Some(app)
}

/// `VOOGDIJ_INSTELLING_GECERTIFICEERD`: the police or Veilig Thuis named as the
/// institution holding voogdij is a 422 naming `houderInstelling` and the rule (with the
/// request's other problems); a GI is accepted.
async fn voogdij_alleen_door_gecertificeerde_instelling(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let kind = persoon(&app, &gi, "Mila", "2016-02-02").await;
    let moeder = persoon(&app, &gi, "Ilse", "1988-08-08").await;
    let pad = format!("/api/v1/personen/{kind}/gezag");
    let voogdij = |instelling: &str| {
        json!({"vorm": "voogdij", "houderInstelling": instelling, "bron": "gezagsregister",
               "geverifieerdOp": "2026-01-10"})
    };
    let pr = assert_problem(app.post(&pad, &gi, &voogdij(POLITIE)).await, 422).await;
    assert_eq!(
        paren(&pr),
        [p("/houderInstelling", "voogdij-instelling-gecertificeerd")],
        "{pr}"
    );
    assert!(
        pr.to_string().contains("VOOGDIJ_INSTELLING_GECERTIFICEERD"),
        "{pr}"
    );
    // Veilig Thuis, with a person as holder as well: both problems in one answer.
    let mut beide = voogdij(VT);
    beide["houders"] = json!([moeder]);
    let pr = assert_problem(app.post(&pad, &gi, &beide).await, 422).await;
    assert_eq!(
        paren(&pr),
        [
            p("/houderInstelling", "voogdij-instelling-gecertificeerd"),
            p("/houders", "gezag-houders-passen-bij-vorm"),
        ],
        "{pr}"
    );
    // A body its type refuses (a date as a number): one 400 naming both, the rule read
    // from what could be read (`api::lichaam`).
    let mut geen_tekst = voogdij(POLITIE);
    geen_tekst["geverifieerdOp"] = json!(20260110);
    let pr = assert_problem(app.post(&pad, &gi, &geen_tekst).await, 400).await;
    let namen = paren(&pr);
    assert!(namen.contains(&p("/geverifieerdOp", "type")), "{pr}");
    assert!(
        namen.contains(&p("/houderInstelling", "voogdij-instelling-gecertificeerd")),
        "{pr}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 0);
    let res = app.post(&pad, &gi, &voogdij(GI)).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 1);
}

op_beide_backends!(voogdij_alleen_door_gecertificeerde_instelling);
