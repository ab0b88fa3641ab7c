//! Reference data: loaded at start, validated against, re-imported idempotently, and an
//! admin's edit of an uncertain service area survives a re-import.

use crate::common;

use common::{Db, TestApp, assert_problem, spawn_with};
use serde_json::{Value, json};

async fn app(db: Db) -> Option<TestApp> {
    spawn_with(db, "# referentiedata").await
}

fn import(app: &TestApp, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .arg("import")
        .args(args)
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    let tekst = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{tekst} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tekst
}

async fn geladen_bij_start_en_gevalideerd(db: Db) {
    let Some(app) = app(db).await else { return };
    assert_eq!(app.tel("SELECT count(*) AS n FROM gemeenten"), 342);
    let t = app.token("veilig-thuis-haaglanden", &["triagist"]);
    let vt: Value = app
        .get("/api/v1/organisaties?soort=veilig-thuis&gemeente=0518", &t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(vt["count"], 1);
    assert_eq!(vt["results"][0]["code"], "veilig-thuis-haaglanden");
    let alle: Value = app
        .get("/api/v1/organisaties?soort=veilig-thuis", &t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(alle["count"], 26);
    // An unknown code (four digits, as the schema asks, but no municipality) is a 422
    // naming the field (never the value: README "Invalid input"), in a body and in a
    // filter.
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let body = assert_problem(app.post("/api/v1/organisaties", &admin, &json!({"code": "wijkteam-x", "naam": "X", "soort": "wijkteam", "gemeenten": ["0518", "9999"]})).await, 422).await;
    assert_eq!(body["invalidParams"][0]["name"], "/gemeenten/1");
    let reden = body["invalidParams"][0]["reason"].as_str().unwrap();
    assert!(
        reden.contains("/gemeenten/1") && !reden.contains("9999"),
        "{reden}"
    );
    let body = assert_problem(
        app.get("/api/v1/contactpunten?gemeente=9999", &t).await,
        422,
    )
    .await;
    assert_eq!(body["invalidParams"][0]["name"], "gemeente");
}

async fn import_is_idempotent_en_respecteert_beheer(db: Db) {
    let Some(app) = app(db).await else { return };
    assert!(import(&app, &[]).contains("nothing changed"));
    // An admin moves Heusden (0797) into Veilig Thuis Brabant Noordoost, an uncertain area.
    let t = app.token("ketenregie-platform", &["platformbeheerder"]);
    let org: Value = app
        .get(
            "/api/v1/organisaties?code=veilig-thuis-brabant-noordoost",
            &t,
        )
        .await
        .json()
        .await
        .unwrap();
    let org = &org["results"][0];
    let mut gemeenten: Vec<String> = serde_json::from_value(org["gemeenten"].clone()).unwrap();
    gemeenten.push("0797".into());
    let res = app.put(&format!("/api/v1/organisaties/{}", org["id"].as_str().unwrap()), &t, &json!({"code": org["code"], "naam": org["naam"], "soort": "veilig-thuis", "gemeenten": gemeenten})).await;
    assert_eq!(res.status(), 200);
    // A changed file: one municipality renamed, one VT area changed elsewhere.
    let dir = app.dir.join("refdata");
    std::fs::create_dir_all(&dir).unwrap();
    let g = ketenregie_store::referentie::GEMEENTEN_CSV
        .replace("0014,Groningen,", "0014,Groningen (stad),");
    std::fs::write(dir.join("gemeenten.csv"), g).unwrap();
    let vt = ketenregie_store::referentie::VEILIG_THUIS_CSV.to_string();
    std::fs::write(dir.join("vt.csv"), &vt).unwrap();
    let uit = import(
        &app,
        &[
            "--gemeenten",
            dir.join("gemeenten.csv").to_str().unwrap(),
            "--veilig-thuis",
            dir.join("vt.csv").to_str().unwrap(),
        ],
    );
    assert!(uit.contains("1 changed [\"0014\"]"), "{uit}");
    assert!(
        uit.contains("kept as edited by an admin")
            && uit.contains("veilig-thuis-brabant-noordoost"),
        "{uit}"
    );
    let na: Value = app
        .get(
            "/api/v1/organisaties?code=veilig-thuis-brabant-noordoost",
            &t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        na["results"][0]["gemeenten"]
            .as_array()
            .unwrap()
            .contains(&json!("0797")),
        "the admin's edit survives"
    );
}

op_beide_backends!(
    geladen_bij_start_en_gevalideerd,
    import_is_idempotent_en_respecteert_beheer
);
