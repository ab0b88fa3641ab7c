//! The outside tester's findings of 2 Dec 2026 on the dossier routes: a use case whose
//! rules run in two phases (the body alone, then look-ups) named only the first phase's
//! problems; and a gezag (or an arrangement) could rest on a court decision that does not
//! exist. Each test on both backends.

use crate::common;
use common::{Db, TestApp, assert_problem};
use common::{maak, p, paren, persoon};
use serde_json::{Value, json};

const GI: &str = "gi-jeugdbescherming-west";
const VT: &str = "vt-haaglanden";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn_with(db, "# referentiedata").await?;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    Some(app)
}

fn d(dagen: i64) -> String {
    let vandaag = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now());
    (vandaag + chrono::Duration::days(dagen)).to_string()
}

fn beschikking(kinderen: Value) -> Value {
    json!({"rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/1", "datum": d(-20), "soort": "gezag",
           "van": d(-20), "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": kinderen})
}

/// A family of `token`'s organisation: a mother and two children; (family, mother, child,
/// sibling).
async fn maak_gezin(app: &TestApp, token: &str) -> (String, String, String, String) {
    let moeder = persoon(app, token, "Lisa", "1986-07-22").await;
    let kind = persoon(app, token, "Noor", "2016-05-04").await;
    let zus = persoon(app, token, "Eva", "2018-03-01").await;
    let g = maak(
        app,
        "/api/v1/gezinnen",
        token,
        json!({"leden": [{"persoon": moeder, "relatie": "ouder"}, {"persoon": kind, "relatie": "kind"},
                         {"persoon": zus, "relatie": "kind"}]}),
    )
    .await;
    (g["id"].as_str().unwrap().to_string(), moeder, kind, zus)
}

/// Finding 1: one answer names the body's problems and the look-ups' together (README
/// "Invalid input: 400 or 422": the rules collect every problem). Before, a look-up ran
/// only when the body had no problem.
async fn alle_problemen_in_een_antwoord(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let (gezin, moeder, kind, _) = maak_gezin(&app, &gi).await;
    let pad = format!("/api/v1/gezinnen/{gezin}/beschikkingen");
    // Sterke arm without its text, and a parent as a child of the decision.
    let mut b = beschikking(json!([moeder]));
    b["sterkeArm"] = json!(true);
    let pr = assert_problem(app.post(&pad, &gi, &b).await, 422).await;
    assert_eq!(
        paren(&pr),
        [
            p("/kinderen/0", "beschikking-kinderen-van-gezin"),
            p("/sterkeArmTekst", "sterke-arm-met-tekst"),
        ],
        "{pr}"
    );
    // The parent twice: not a child, and named twice.
    let pr = assert_problem(
        app.post(&pad, &gi, &beschikking(json!([moeder, moeder])))
            .await,
        422,
    )
    .await;
    assert_eq!(
        paren(&pr),
        [
            p("/kinderen/0", "beschikking-kinderen-van-gezin"),
            p("/kinderen/1", "dubbel"),
        ],
        "{pr}"
    );
    // With a schema problem too: one 400 naming all.
    let mut b = beschikking(json!([moeder]));
    b["soort"] = json!("bakker");
    let pr = assert_problem(app.post(&pad, &gi, &b).await, 400).await;
    let namen = paren(&pr);
    assert!(namen.contains(&p("/soort", "enum")), "{pr}");
    assert!(
        namen.contains(&p("/kinderen/0", "beschikking-kinderen-van-gezin")),
        "{pr}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM beschikkingen"), 0);

    // Gezag over an adult with a minor as holder, in the wrong number: all three.
    let pr = assert_problem(
        app.post(
            &format!("/api/v1/personen/{moeder}/gezag"),
            &gi,
            &json!({"vorm": "gezamenlijk", "bron": "brp", "geverifieerdOp": "2026-11-01", "houders": [kind]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        paren(&pr),
        [
            p("/houders", "gezag-houders-passen-bij-vorm"),
            p("/houders/0", "gezag-houder-meerderjarig"),
            p("id", "gezag-over-minderjarige"),
        ],
        "{pr}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 0);

    // A family with a member the organisation never registered and a period backwards.
    let onbekend = uuid::Uuid::new_v4();
    let pr = assert_problem(
        app.post(
            "/api/v1/gezinnen",
            &gi,
            &json!({"leden": [{"persoon": onbekend, "relatie": "kind", "van": d(-10), "tot": d(-20)}]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        paren(&pr),
        [
            p("/leden/0/persoon", "reference"),
            p("/leden/0/tot", "volgorde")
        ],
        "{pr}"
    );
    // An unknown family with a broken body: the body's problems, as before (they read
    // nothing).
    let mut b = beschikking(json!([kind]));
    b["sterkeArm"] = json!(true);
    let pr = assert_problem(
        app.post(
            &format!("/api/v1/gezinnen/{}/beschikkingen", uuid::Uuid::new_v4()),
            &gi,
            &b,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        paren(&pr),
        [p("/sterkeArmTekst", "sterke-arm-met-tekst")],
        "{pr}"
    );
}

/// Finding 2: a gezag with source `beschikking` rests on a decision that exists, that
/// the organisation can see, about this child; an arrangement's on one of its family. A
/// decision outside the view answers as one that does not exist. The reference is shown
/// with the gezag.
async fn gezag_rust_op_bestaande_beschikking(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let (gezin, moeder, kind, zus) = maak_gezin(&app, &gi).await;
    let pad = format!("/api/v1/gezinnen/{gezin}/beschikkingen");
    let over_zus = maak(&app, &pad, &gi, beschikking(json!([zus]))).await;
    let over_kind = maak(&app, &pad, &gi, beschikking(json!([kind]))).await;
    // Another organisation's decision, without an agreement between them.
    let vt = app.token(VT, &["triagist"]);
    let (vt_gezin, _, vt_kind, _) = maak_gezin(&app, &vt).await;
    let van_vt = maak(
        &app,
        &format!("/api/v1/gezinnen/{vt_gezin}/beschikkingen"),
        &vt,
        beschikking(json!([vt_kind])),
    )
    .await;
    let gezag = |b: &Value| json!({"vorm": "eenhoofdig", "houders": [moeder], "bron": "beschikking", "beschikking": b, "geverifieerdOp": d(-1)});
    let gpad = format!("/api/v1/personen/{kind}/gezag");
    let nergens = json!("01a236f8-0000-7000-8000-000000000000");
    let pr_nergens = assert_problem(app.post(&gpad, &gi, &gezag(&nergens)).await, 422).await;
    assert_eq!(
        paren(&pr_nergens),
        [p("/beschikking", "reference")],
        "{pr_nergens}"
    );
    let pr_vt = assert_problem(app.post(&gpad, &gi, &gezag(&van_vt["id"])).await, 422).await;
    assert_eq!(
        pr_vt["invalidParams"], pr_nergens["invalidParams"],
        "another's decision outside the view answers as none"
    );
    let pr = assert_problem(app.post(&gpad, &gi, &gezag(&over_zus["id"])).await, 422).await;
    assert_eq!(
        paren(&pr),
        [p("/beschikking", "beschikking-over-onderwerp")],
        "{pr}"
    );
    // GEZAG_NIET_VOOR_BESCHIKKING: verified before the decision was given (it is dated
    // 20 days ago); named beside a decision about another child.
    let mut eerder = gezag(&over_kind["id"]);
    eerder["geverifieerdOp"] = json!(d(-21));
    let pr = assert_problem(app.post(&gpad, &gi, &eerder).await, 422).await;
    assert_eq!(
        paren(&pr),
        [p("/geverifieerdOp", "gezag-niet-voor-beschikking")],
        "{pr}"
    );
    let mut beide = gezag(&over_zus["id"]);
    beide["geverifieerdOp"] = json!(d(-21));
    let pr = assert_problem(app.post(&gpad, &gi, &beide).await, 422).await;
    let mut gevonden = paren(&pr);
    gevonden.sort();
    assert_eq!(
        gevonden,
        [
            p("/beschikking", "beschikking-over-onderwerp"),
            p("/geverifieerdOp", "gezag-niet-voor-beschikking")
        ],
        "{pr}"
    );
    // A decision outside the view says nothing of its date.
    let mut vt_eerder = gezag(&van_vt["id"]);
    vt_eerder["geverifieerdOp"] = json!(d(-21));
    let pr = assert_problem(app.post(&gpad, &gi, &vt_eerder).await, 422).await;
    assert_eq!(pr["invalidParams"], pr_nergens["invalidParams"], "{pr}");
    // Verified after it was given: accepted.
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 0);
    let g = maak(&app, &gpad, &gi, gezag(&over_kind["id"])).await;
    assert_eq!(g["beschikking"], over_kind["id"], "{g}");
    let lijst: Value = app.get(&gpad, &gi).await.json().await.unwrap();
    assert_eq!(lijst[0]["beschikking"], over_kind["id"], "{lijst}");
    let dossier: Value = app
        .get(&format!("/api/v1/gezinnen/{gezin}"), &gi)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        dossier
            .to_string()
            .contains(over_kind["id"].as_str().unwrap()),
        "{dossier}"
    );

    // An arrangement: its decision one of this family.
    let rpad = format!("/api/v1/gezinnen/{gezin}/regelingen");
    let regeling = |b: &Value| {
        json!({"soort": "zorgregeling", "bron": "beschikking", "beschikking": b,
                                      "samenvatting": "Week om week", "van": d(-5)})
    };
    let pr = assert_problem(app.post(&rpad, &gi, &regeling(&nergens)).await, 422).await;
    assert_eq!(paren(&pr), [p("/beschikking", "reference")], "{pr}");
    let pr = assert_problem(app.post(&rpad, &gi, &regeling(&van_vt["id"])).await, 422).await;
    assert_eq!(paren(&pr), [p("/beschikking", "reference")], "{pr}");
    assert_eq!(app.tel("SELECT count(*) AS n FROM regelingen"), 0);
    maak(&app, &rpad, &gi, regeling(&over_kind["id"])).await;
}

/// Outside testers, fourth round (a domain expert): a gezag record rests only on a
/// decision that decides gezag (`GEZAG_BERUST_OP_GEZAGSBESLISSING`: soort `gezag`; an OTS,
/// UHP, omgang, zorgregeling or the burgemeester's huisverbod does not), and an
/// arrangement on a decision of a matching kind (`REGELING_BERUST_OP_PASSENDE_BESCHIKKING`).
/// Each a 422 naming `/beschikking`, beside the body's other problems; a decision outside
/// the view still answers only `reference`.
async fn gezag_en_regeling_op_passende_beschikking(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let (gezin, moeder, kind, _) = maak_gezin(&app, &gi).await;
    let pad = format!("/api/v1/gezinnen/{gezin}/beschikkingen");
    let besluit = |soort: &str| {
        let mut b = beschikking(json!([kind]));
        b["soort"] = json!(soort);
        b["zaaknummer"] = json!(format!("C/09/{soort}"));
        if soort == "huisverbod" {
            b["rechtbank"] = json!("Burgemeester van 's-Gravenhage");
            b["van"] = json!(d(-5));
            b["datum"] = json!(d(-5));
        }
        if matches!(soort, "ots" | "uhp") {
            b["tot"] = json!(d(200));
        }
        b
    };
    let mut besluiten = std::collections::BTreeMap::new();
    for soort in [
        "gezag",
        "omgang",
        "zorgregeling",
        "ots",
        "uhp",
        "huisverbod",
        "straatverbod",
        "overig",
    ] {
        besluiten.insert(
            soort,
            maak(&app, &pad, &gi, besluit(soort)).await["id"].clone(),
        );
    }
    let gpad = format!("/api/v1/personen/{kind}/gezag");
    let gezag = |b: &Value| json!({"vorm": "eenhoofdig", "houders": [moeder], "bron": "beschikking", "beschikking": b, "geverifieerdOp": d(-1)});
    for soort in [
        "omgang",
        "zorgregeling",
        "ots",
        "uhp",
        "huisverbod",
        "straatverbod",
        "overig",
    ] {
        let pr = assert_problem(app.post(&gpad, &gi, &gezag(&besluiten[soort])).await, 422).await;
        assert_eq!(
            paren(&pr),
            [p("/beschikking", "gezag-berust-op-gezagsbeslissing")],
            "{soort}: {pr}"
        );
        assert!(
            pr.to_string().contains("GEZAG_BERUST_OP_GEZAGSBESLISSING"),
            "{pr}"
        );
    }
    // Named beside the body's own problems and the other look-ups'.
    let mut veel = gezag(&besluiten["huisverbod"]);
    veel["houders"] = json!([moeder, moeder]);
    veel["geverifieerdOp"] = json!(d(-21));
    let pr = assert_problem(app.post(&gpad, &gi, &veel).await, 422).await;
    let mut gevonden = paren(&pr);
    gevonden.sort();
    assert_eq!(
        gevonden,
        [
            p("/beschikking", "gezag-berust-op-gezagsbeslissing"),
            p("/geverifieerdOp", "gezag-niet-voor-beschikking"),
            p("/houders", "gezag-houders-passen-bij-vorm"),
            p("/houders/1", "dubbel"),
        ],
        "{pr}"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 0);
    maak(&app, &gpad, &gi, gezag(&besluiten["gezag"])).await;

    let rpad = format!("/api/v1/gezinnen/{gezin}/regelingen");
    let regeling = |soort: &str, b: &Value| {
        json!({"soort": soort, "bron": "beschikking", "beschikking": b,
               "samenvatting": "Om het weekend", "van": d(-5)})
    };
    for (soort, past, niet) in [
        (
            "omgangsregeling",
            &["omgang", "gezag"][..],
            &[
                "zorgregeling",
                "ots",
                "uhp",
                "huisverbod",
                "straatverbod",
                "overig",
            ][..],
        ),
        (
            "zorgregeling",
            &["zorgregeling", "gezag"][..],
            &[
                "omgang",
                "ots",
                "uhp",
                "huisverbod",
                "straatverbod",
                "overig",
            ][..],
        ),
    ] {
        for b in niet {
            let pr = assert_problem(
                app.post(&rpad, &gi, &regeling(soort, &besluiten[b])).await,
                422,
            )
            .await;
            assert_eq!(
                paren(&pr),
                [p("/beschikking", "regeling-berust-op-passende-beschikking")],
                "{soort} op {b}: {pr}"
            );
        }
        for b in past {
            maak(&app, &rpad, &gi, regeling(soort, &besluiten[b])).await;
        }
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM regelingen"), 4);
    // Beside the body's own problems; with its own kind refused, the decision's kind is
    // not judged against it.
    let mut veel = regeling("omgangsregeling", &besluiten["huisverbod"]);
    veel["tot"] = json!(d(-10));
    let pr = assert_problem(app.post(&rpad, &gi, &veel).await, 422).await;
    let mut gevonden = paren(&pr);
    gevonden.sort();
    assert_eq!(gevonden.len(), 2, "{pr}");
    assert_eq!(
        gevonden[0],
        p("/beschikking", "regeling-berust-op-passende-beschikking"),
        "{pr}"
    );
    let mut onbekend = regeling("weekendregeling", &besluiten["huisverbod"]);
    onbekend["soort"] = json!("weekendregeling");
    let pr = assert_problem(app.post(&rpad, &gi, &onbekend).await, 400).await;
    assert!(
        !pr.to_string()
            .contains("regeling-berust-op-passende-beschikking"),
        "{pr}"
    );
    // A decision outside the view says nothing of its kind.
    let vt = app.token(VT, &["triagist"]);
    let (vt_gezin, _, vt_kind, _) = maak_gezin(&app, &vt).await;
    let mut hv = beschikking(json!([vt_kind]));
    hv["soort"] = json!("huisverbod");
    hv["van"] = json!(d(-5));
    hv["datum"] = json!(d(-5));
    let van_vt = maak(
        &app,
        &format!("/api/v1/gezinnen/{vt_gezin}/beschikkingen"),
        &vt,
        hv,
    )
    .await;
    let pr = assert_problem(app.post(&gpad, &gi, &gezag(&van_vt["id"])).await, 422).await;
    assert_eq!(paren(&pr), [p("/beschikking", "reference")], "{pr}");
}

op_beide_backends!(
    alle_problemen_in_een_antwoord,
    gezag_rust_op_bestaande_beschikking,
    gezag_en_regeling_op_passende_beschikking
);
