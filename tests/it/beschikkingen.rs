//! Court decisions over HTTP (outside tester's findings on the case registry): a term in
//! months ends on the day before the same date N months later, or on the last day of the
//! last month when it lacks that date (`TERMIJN_IN_MAANDEN`, Regulation 1182/71 art. 3);
//! the UHP's lapse is counted the same way. Each test on both backends.

use crate::common;
use common::{Db, TestApp, assert_problem};
use common::{maak, persoon};
use serde_json::{Value, json};

const GI: &str = "gi-jeugdbescherming-west";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    Some(app)
}

/// A family of the GI: a mother and a child born in 2015; (family, mother, child).
async fn gezin(app: &TestApp, gi: &str) -> (String, String, String) {
    let moeder = persoon(app, gi, "Sanne", "1985-04-02").await;
    let kind = persoon(app, gi, "Daan", "2015-09-09").await;
    let g = maak(
        app,
        "/api/v1/gezinnen",
        gi,
        json!({"leden": [{"persoon": moeder, "relatie": "ouder"}, {"persoon": kind, "relatie": "kind"}]}),
    )
    .await;
    (g["id"].as_str().unwrap().to_string(), moeder, kind)
}

fn beschikking(soort: &str, van: &str, tot: &str, kind: &str) -> Value {
    json!({"rechtbank": "Rechtbank Den Haag", "zaaknummer": format!("C/09/{soort}/{van}/{tot}"),
           "datum": van, "soort": soort, "van": van, "tot": tot,
           "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind]})
}

/// The code the problem names at `naam`.
fn code_bij(p: &Value, naam: &str) -> Vec<String> {
    p["invalidParams"]
        .as_array()
        .expect("invalidParams")
        .iter()
        .filter(|f| f["name"] == naam)
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// `TERMIJN_IN_MAANDEN`: an order from a 31st (or 30 November, or 29 February) whose last
/// month lacks that date runs up to and including that month's last day; a day later is
/// past the rule's longest term.
async fn termijn_tot_het_einde_van_de_korte_maand(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let (gezin, _, kind) = gezin(&app, &gi).await;
    let pad = format!("/api/v1/gezinnen/{gezin}/beschikkingen");
    for (soort, van, laatste, dag_later, regel) in [
        // 31 June does not exist: the term ends on 30 June.
        (
            "voorlopige-ots",
            "2026-03-31",
            "2026-06-30",
            "2026-07-01",
            "voorlopige-ots-max-drie-maanden",
        ),
        // 31 November does not exist: the term ends on 30 November.
        (
            "voorlopige-ots",
            "2026-08-31",
            "2026-11-30",
            "2026-12-01",
            "voorlopige-ots-max-drie-maanden",
        ),
        // 30 February does not exist: the term ends on 28 February.
        (
            "voorlopige-ots",
            "2025-11-30",
            "2026-02-28",
            "2026-03-01",
            "voorlopige-ots-max-drie-maanden",
        ),
        // 29 February 2025 does not exist: the year ends on 28 February.
        (
            "ots",
            "2024-02-29",
            "2025-02-28",
            "2025-03-01",
            "ots-max-een-jaar",
        ),
        (
            "uhp",
            "2024-02-29",
            "2025-02-28",
            "2025-03-01",
            "uhp-max-een-jaar",
        ),
    ] {
        let p = assert_problem(
            app.post(&pad, &gi, &beschikking(soort, van, dag_later, &kind))
                .await,
            422,
        )
        .await;
        assert_eq!(code_bij(&p, "/tot"), [regel], "{soort} {van}: {p}");
        let b = maak(&app, &pad, &gi, beschikking(soort, van, laatste, &kind)).await;
        assert_eq!(b["tot"], laatste, "{b}");
    }
}

/// `UHP_VERVALT_NA_DRIE_MAANDEN_ONGEBRUIKT` counted by `TERMIJN_IN_MAANDEN`: a UHP from 30
/// November is unused up to and including 28 February and lapses on 1 March.
async fn uhp_verval_aan_het_einde_van_februari(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let (gezin, _, kind) = gezin(&app, &gi).await;
    let pad = format!("/api/v1/gezinnen/{gezin}/beschikkingen");
    let mut b = beschikking("uhp", "2025-11-30", "2026-11-29", &kind);
    b["gebruiktOp"] = json!("2026-03-01");
    let p = assert_problem(app.post(&pad, &gi, &b).await, 422).await;
    assert_eq!(
        code_bij(&p, "/gebruiktOp"),
        ["uhp-vervalt-na-drie-maanden-ongebruikt"],
        "{p}"
    );
    // A use before `van` was no use of this authorisation (already caught: `volgorde`).
    b["gebruiktOp"] = json!("2025-11-29");
    let p = assert_problem(app.post(&pad, &gi, &b).await, 422).await;
    assert_eq!(code_bij(&p, "/gebruiktOp"), ["volgorde"], "{p}");
    b["gebruiktOp"] = json!("2026-02-28");
    maak(&app, &pad, &gi, b).await;
    assert_eq!(app.tel("SELECT count(*) AS n FROM beschikkingen"), 1);
}

/// `STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM`: a clause text with `sterkeArm` false is a
/// 422 naming `sterkeArmTekst` and the rule (the status of its converse,
/// `STERKE_ARM_MET_TEKST`); with `sterkeArm` absent it is named beside the 400 `required`.
async fn sterke_arm_tekst_alleen_met_sterke_arm(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let (gezin, _, kind) = gezin(&app, &gi).await;
    let pad = format!("/api/v1/gezinnen/{gezin}/beschikkingen");
    let mut b = beschikking("omgang", "2026-06-01", "2027-05-31", &kind);
    b["sterkeArmTekst"] = json!("machtigt de deurwaarder zo nodig met behulp van de sterke arm");
    let p = assert_problem(app.post(&pad, &gi, &b).await, 422).await;
    assert_eq!(
        code_bij(&p, "/sterkeArmTekst"),
        ["sterke-arm-tekst-alleen-met-sterke-arm"],
        "{p}"
    );
    assert_eq!(p["invalidParams"].as_array().unwrap().len(), 1, "{p}");
    assert!(
        p.to_string()
            .contains("STERKE_ARM_TEKST_ALLEEN_MET_STERKE_ARM"),
        "{p}"
    );
    // The converse, for the status: the same 422.
    let mut zonder = beschikking("omgang", "2026-06-01", "2027-05-31", &kind);
    zonder["sterkeArm"] = json!(true);
    let p = assert_problem(app.post(&pad, &gi, &zonder).await, 422).await;
    assert_eq!(
        code_bij(&p, "/sterkeArmTekst"),
        ["sterke-arm-met-tekst"],
        "{p}"
    );
    // Without `sterkeArm`: a 400 naming both.
    b.as_object_mut().unwrap().remove("sterkeArm");
    let p = assert_problem(app.post(&pad, &gi, &b).await, 400).await;
    assert_eq!(code_bij(&p, "/sterkeArm"), ["required"], "{p}");
    assert_eq!(
        code_bij(&p, "/sterkeArmTekst"),
        ["sterke-arm-tekst-alleen-met-sterke-arm"],
        "{p}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM beschikkingen"), 0);
    b["sterkeArm"] = json!(true);
    maak(&app, &pad, &gi, b).await;
}

op_beide_backends!(
    termijn_tot_het_einde_van_de_korte_maand,
    uhp_verval_aan_het_einde_van_februari,
    sterke_arm_tekst_alleen_met_sterke_arm,
);
