//! Names the way people write them (issue 14, finding 9): a person recorded in one Unicode
//! form or spelling is found by a briefing in another (composed and decomposed, with and
//! without diacritics, the Dutch IJ as ligature or two letters, particles in any case,
//! hyphenated double surnames), never by a different name or date; and keys stored under
//! the earlier normalisation are re-derived by `ketenregie sleutels herbereken`, with the
//! processing log still found under the person's current identity.

use crate::common;

use chrono::NaiveDate;
use common::{Db, TestApp};
use ketenregie_privacy::pseudoniem::Pseudonimiseerder;
use ketenregie_privacy::versleuteling::Versleuteling;
use serde_json::{Value, json};

const POLITIE: &str = "politie-haaglanden";
const GI: &str = "jeugdbescherming-west";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    app.convenant_van_kracht(&json!({
                "titel": "Briefing Haaglanden",
                "partijen": [{"organisatie": POLITIE, "rol": "politie"}, {"organisatie": GI, "rol": "gi"}],
                "doelen": ["briefing"],
                "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"],
                "regels": [{"organisatieSoort": "politie", "rollen": ["noodhulp"], "acties": ["lezen"],
                            "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"],
                            "doel": "briefing", "maxVertrouwelijkheid": "vertrouwelijk",
                            "grondslag": {"code": "Convenant Zorg- en Veiligheidshuis art. 4", "omschrijving": "briefing"}}]
            })).await;
    Some(app)
}

/// Register a person without a BSN as the GI; returns its id.
async fn persoon(app: &TestApp, voornamen: &str, achternaam: &str, geboren: &str) -> String {
    let gi = app.token(GI, &["gezinsvoogd"]);
    let res = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"voornamen": voornamen, "achternaam": achternaam, "geboortedatum": geboren}),
        )
        .await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// Whether a noodhulp briefing on this name and date finds a person.
async fn gevonden(app: &TestApp, voornamen: &str, achternaam: &str, geboren: &str) -> bool {
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let res = app
        .post(
            "/api/v1/briefings/_zoek",
            &noodhulp,
            &json!({"voornamen": voornamen, "achternaam": achternaam, "geboortedatum": geboren}),
        )
        .await;
    let status = res.status();
    let b: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["meerduidig"], false, "{b}");
    b["gevonden"].as_bool().unwrap()
}

async fn briefing_vindt_elke_schrijfwijze(db: Db) {
    let Some(app) = app(db).await else { return };
    // Recorded: Doğan precomposed (U+011F), Šarić decomposed, the IJ as a ligature.
    persoon(&app, "Emre", "Do\u{011F}an", "2014-02-02").await;
    persoon(&app, "Ivan", "S\u{030C}aric\u{0301}", "2013-05-06").await;
    persoon(&app, "Zo\u{00EB}", "van der Berg", "2015-01-01").await;
    persoon(&app, "Sanne", "\u{0132}zerman", "2012-03-04").await;
    persoon(&app, "Lotte", "Jansen-de Vries", "2016-07-08").await;
    for (voornamen, achternaam, geboren) in [
        // Finding 9 as written: the decomposed form, and Doğan without the breve.
        ("Emre", "Dog\u{0306}an", "2014-02-02"),
        ("Emre", "Dogan", "2014-02-02"),
        ("EMRE", "DO\u{011E}AN", "2014-02-02"),
        ("Ivan", "\u{0160}ari\u{0107}", "2013-05-06"),
        ("Ivan", "Saric", "2013-05-06"),
        ("Zoe", "Van Der Berg", "2015-01-01"),
        ("Zoe\u{0308}", "Vanderberg", "2015-01-01"),
        ("Sanne", "IJzerman", "2012-03-04"),
        ("sanne", "ijzerman", "2012-03-04"),
        ("Lotte", "Jansen de Vries", "2016-07-08"),
        ("Lotte", "jansen\u{2010}de vries", "2016-07-08"),
    ] {
        assert!(
            gevonden(&app, voornamen, achternaam, geboren).await,
            "{voornamen} {achternaam} {geboren} is the recorded person"
        );
    }
    for (voornamen, achternaam, geboren) in [
        ("Emre", "Dogan", "2014-02-03"),
        ("Emre", "Dugan", "2014-02-02"),
        // y is not ij (Meijer and Meyer are different names).
        ("Sanne", "Yzerman", "2012-03-04"),
    ] {
        assert!(
            !gevonden(&app, voornamen, achternaam, geboren).await,
            "{voornamen} {achternaam} {geboren} is someone else"
        );
    }
}

/// The persons a noodhulp briefing on this name and date shows: (voornamen, achternaam).
async fn getoond(
    app: &TestApp,
    voornamen: &str,
    achternaam: &str,
    geboren: &str,
) -> Vec<(String, String)> {
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let res = app
        .post(
            "/api/v1/briefings/_zoek",
            &noodhulp,
            &json!({"voornamen": voornamen, "achternaam": achternaam, "geboortedatum": geboren}),
        )
        .await;
    let status = res.status();
    let b: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{b}");
    b["personen"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["voornamen"].as_str().unwrap_or_default().to_string(),
                p["achternaam"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// NAAM_GRENZEN (finding F3, Dec 2026): the boundary between given names and surname is
/// part of the key, so two children are not one identity; APOSTROF_VARIANTEN (finding
/// F4): the apostrophes Unicode calls letters (U+02BC, U+02BB) are apostrophes.
async fn grenzen_en_apostrofs(db: Db) {
    let Some(app) = app(db).await else { return };
    let eva = persoon(&app, "Eva", "Nooij", "2015-03-03").await;
    let evan = persoon(&app, "Evan", "Ooij", "2015-03-03").await;
    persoon(&app, "Mila", "d'Hondt", "2014-06-06").await;
    let een = |v: &str, a: &str| vec![(v.to_string(), a.to_string())];
    assert_eq!(
        getoond(&app, "Evan", "Ooij", "2015-03-03").await,
        een("Evan", "Ooij")
    );
    assert_eq!(
        getoond(&app, "Eva", "Nooij", "2015-03-03").await,
        een("Eva", "Nooij")
    );
    assert_eq!(
        getoond(&app, "eva", "NOOIJ", "2015-03-03").await,
        een("Eva", "Nooij")
    );
    let identiteit = |id: &str| {
        app.tel(&format!(
            "SELECT count(DISTINCT betrokkene) AS n FROM personen WHERE id = '{id}' OR id = '{eva}'"
        ))
    };
    assert_eq!(identiteit(&evan), 2, "two children, two identities");
    for a in [
        "d\u{2019}Hondt",
        "d\u{02BC}Hondt",
        "d\u{02BB}Hondt",
        "D\u{02BD}hondt",
        "dHondt",
    ] {
        assert!(gevonden(&app, "Mila", a, "2014-06-06").await, "{a}");
    }
}

/// Keys stored before NAAM_GRENZEN (one run of letters for the whole name, Eva Nooij and
/// Evan Ooij as one identity) are re-derived by `ketenregie sleutels herbereken`.
async fn herbereken_naamgrenzen(db: Db) {
    let Some(app) = app(db).await else { return };
    let eva = persoon(&app, "Eva", "Nooij", "2015-03-03").await;
    let evan = persoon(&app, "Evan", "Ooij", "2015-03-03").await;
    let v: Versleuteling = ketenregie_api::verwerking::versleuteling(&app.config).unwrap();
    let geboren = NaiveDate::from_ymd_opt(2015, 3, 3).unwrap();
    // The database as the previous version left it: one key and one identity for both.
    let oud = ketenregie_referral::opslag::betrokkene_met(
        &v,
        None,
        "Eva",
        "Nooij",
        Some(geboren),
        |vn, an| ketenregie_privacy::versleuteling::normaliseer_naam(&format!("{vn} {an}")),
    );
    let oude_hash = v.zoekhash("naam-geboortedatum", "evanooij|2015-03-03");
    app.sql(&format!(
        "UPDATE personen SET naam_hash = '{oude_hash}', betrokkene = '{oud}' WHERE id IN ('{eva}', '{evan}')"
    ));
    let run = cli(&app, &["sleutels", "herbereken"]);
    let uit = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && uit.contains("persons: 2 read, 2 changed"),
        "{uit}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(DISTINCT betrokkene) AS n FROM personen WHERE id IN ('{eva}', '{evan}')"
        )),
        2
    );
    assert_eq!(
        getoond(&app, "Evan", "Ooij", "2015-03-03").await,
        vec![("Evan".to_string(), "Ooij".to_string())]
    );
}

/// The normalisation before issue 14, as the keys in an existing database were made.
fn normaliseer_v1(naam: &str) -> String {
    naam.chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| match c {
            'ë' => 'e',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect()
}

fn cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(args)
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .env(
            "KETENREGIE_PRIVACY__PSEUDONYM_KEY",
            "dGVzdC1wc2V1ZG9ueW0ta2V5LTMyLWJ5dGVzLWxvbmc=",
        )
        .env(
            "KETENREGIE_PRIVACY__ENCRYPTION_KEY",
            "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=",
        )
        .output()
        .unwrap()
}

async fn herbereken_oude_sleutels(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = persoon(&app, "Emre", "Do\u{011F}an", "2014-02-02").await;
    let v: Versleuteling = ketenregie_api::verwerking::versleuteling(&app.config).unwrap();
    let p: Pseudonimiseerder = ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap();
    let geboren = NaiveDate::from_ymd_opt(2014, 2, 2).unwrap();
    // The database as the previous version left it: keys of the old normalisation ("ğ"
    // kept as is), so the decomposed form is not found.
    let oud = ketenregie_referral::opslag::betrokkene_met(
        &v,
        None,
        "Emre",
        "Do\u{011F}an",
        Some(geboren),
        |vn, an| normaliseer_v1(&format!("{vn} {an}")),
    );
    let oude_hash = v.zoekhash("naam-geboortedatum", "emredo\u{011F}an|2014-02-02");
    app.sql(&format!(
        "UPDATE personen SET naam_hash = '{oude_hash}', betrokkene = '{oud}' WHERE id = '{id}'"
    ));
    assert!(!gevonden(&app, "Emre", "Dog\u{0306}an", "2014-02-02").await);
    // Read under the old identity: a processing-log row with the old pseudonym.
    let gi = app.token(GI, &["gezinsvoogd"]);
    assert_eq!(
        app.get(&format!("/api/v1/personen/{id}"), &gi)
            .await
            .status(),
        200
    );
    let onder_oud = app.tel(&format!(
        "SELECT count(*) AS n FROM verwerkingslog WHERE betrokkene = '{}'",
        p.van(oud)
    ));
    assert!(onder_oud >= 1);

    // A dry run counts and changes nothing.
    let proef = cli(&app, &["sleutels", "herbereken", "--dry-run"]);
    let uit = String::from_utf8_lossy(&proef.stdout);
    assert!(
        proef.status.success() && uit.contains("persons: 1 read, 1 would change"),
        "{uit}{}",
        String::from_utf8_lossy(&proef.stderr)
    );
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM personen WHERE betrokkene = '{oud}'"
        )),
        1
    );
    // The real run re-derives the keys from the decrypted values.
    let run = cli(&app, &["sleutels", "herbereken"]);
    let uit = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success()
            && uit.contains("persons: 1 read, 1 changed")
            && uit.contains("identities re-derived: 1"),
        "{uit}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(gevonden(&app, "Emre", "Dog\u{0306}an", "2014-02-02").await);
    assert!(gevonden(&app, "Emre", "Dogan", "2014-02-02").await);
    let nieuw = ketenregie_referral::opslag::betrokkene(&v, None, "Emre", "Dogan", Some(geboren));
    assert_ne!(nieuw, oud);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM personen WHERE betrokkene = '{nieuw}'"
        )),
        1
    );
    // The processing log is not rewritten, but is found under the current identity.
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE betrokkene = '{}'",
            p.van(oud)
        )),
        onder_oud
    );
    let mut c = app.pool.get().unwrap();
    let rijen =
        ketenregie_privacy::logboek::verwerkingen_van_betrokkene(&mut c, &p.van(nieuw)).unwrap();
    assert!(
        rijen.iter().filter(|r| r.betrokkene == p.van(oud)).count() as i64 == onder_oud,
        "old rows found under the new identity"
    );
    assert!(rijen.iter().any(|r| r.betrokkene == p.van(nieuw)));
    drop(c);
    // Idempotent.
    let weer = cli(&app, &["sleutels", "herbereken"]);
    let uit = String::from_utf8_lossy(&weer.stdout);
    assert!(uit.contains("persons: 1 read, 0 changed"), "{uit}");
    // The chains still verify: nothing in the logs was touched.
    let verify = cli(&app, &["audit", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

op_beide_backends!(
    briefing_vindt_elke_schrijfwijze,
    herbereken_oude_sleutels,
    grenzen_en_apostrofs,
    herbereken_naamgrenzen
);
