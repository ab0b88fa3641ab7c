//! Issue 11 fault 5: an answer kept for `Idempotency-Key` held the whole zorgmelding (BSN,
//! names, date of birth) in plain text, forever. Now it is encrypted, fingerprinted with a
//! keyed hash, bound to the user, expires, is removed by the retention run, and a race
//! of retries never gives a 500.

mod common;

use common::{Db, TestApp, assert_problem, spawn};
use ketenregie_privacy::bewaring;
use serde_json::{Value, json};
use std::sync::Arc;

const BSN: &str = "999990032";

async fn app(db: Db) -> Option<TestApp> {
    let app = spawn(db).await?;
    app.organisatie("politie-haaglanden", "politie", &[]).await;
    app.organisatie("vt-haaglanden", "veilig-thuis", &["0518"])
        .await;
    Some(app)
}

fn melding() -> Value {
    json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN, "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "van Visser-Smit", "relatie": "moeder", "gezag": true}],
        "incidentReferentie": "PL-IDEM-1", "incidentDatum": "2026-11-27",
        "omschrijving": "Overdracht mislukt.", "zorgen": "Herhaalde conflicten.",
        "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [], "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": "wijkagent", "functie": "wijkagent", "identiteitDelen": true}
    })
}

async fn post(app: &TestApp, token: &str, sleutel: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/zorgmeldingen"))
        .bearer_auth(token)
        .header("Idempotency-Key", sleutel)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Every text column of the idempotency table, concatenated.
fn tabel_tekst(app: &TestApp) -> String {
    use diesel::prelude::*;
    use ketenregie_store::schema::idempotentie as i;
    let mut c = app.pool.get().unwrap();
    let rijen: Vec<(String, String, String, Option<String>, String)> = i::table
        .select((
            i::sleutel,
            i::organisatie,
            i::verzoek_hash,
            i::locatie,
            i::antwoord,
        ))
        .load(&mut *c)
        .unwrap();
    rijen
        .into_iter()
        .map(|(a, b, c, d, e)| format!("{a} {b} {c} {} {e}", d.unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn antwoord_versleuteld_en_verloopt(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = post(&app, &agent, "melding-1", &melding()).await;
    assert_eq!(res.status(), 201);
    let eerste: Value = res.json().await.unwrap();
    // The answer itself names the child: that is what used to sit in the table.
    assert!(eerste.to_string().contains(BSN), "{eerste}");

    let tekst = tabel_tekst(&app);
    for persoonlijk in [BSN, "de Boer", "van Visser-Smit", "2016-05-04", "Sem"] {
        assert!(
            !tekst.contains(persoonlijk),
            "`{persoonlijk}` in the idempotency table: {tekst}"
        );
    }
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM idempotentie WHERE antwoord LIKE 'v1:%'"),
        1,
        "the answer is an AES-GCM ciphertext"
    );
    // The fingerprint is keyed: not the plain SHA-256 of the body.
    let body = serde_json::to_vec(&melding()).unwrap();
    use sha2::Digest;
    assert!(!tekst.contains(&hex::encode(sha2::Sha256::digest(&body))));

    // A retry replays the first answer, decrypted.
    let res = post(&app, &agent, "melding-1", &melding()).await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        res.headers()["location"],
        format!("/api/v1/zorgmeldingen/{}", eerste["id"].as_str().unwrap()).as_str()
    );
    let tweede: Value = res.json().await.unwrap();
    assert_eq!(tweede, eerste);
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 1);

    // Another user of the same organisation cannot fetch the answer with the key.
    let collega = app.token("politie-haaglanden", &["wijkagent"]);
    assert_problem(post(&app, &collega, "melding-1", &melding()).await, 409).await;

    // The answer expires (24 h by default); an expired key counts as unused.
    {
        use diesel::prelude::*;
        use ketenregie_store::schema::idempotentie as i;
        let mut c = app.pool.get().unwrap();
        let (van, tot): (chrono::NaiveDateTime, chrono::NaiveDateTime) = i::table
            .select((i::aangemaakt_op, i::verloopt_op))
            .first(&mut *c)
            .unwrap();
        assert_eq!(tot - van, chrono::Duration::hours(24));
    }
    app.sql("UPDATE idempotentie SET verloopt_op = aangemaakt_op");
    let res = post(&app, &agent, "melding-1", &melding()).await;
    assert_eq!(res.status(), 201);
    let derde: Value = res.json().await.unwrap();
    assert_ne!(derde["id"], eerste["id"], "an expired key is a new request");
    assert_eq!(app.tel("SELECT count(*) AS n FROM idempotentie"), 1);

    // The retention run removes what has expired, and only that.
    post(&app, &agent, "melding-2", &melding()).await;
    app.sql("UPDATE idempotentie SET verloopt_op = aangemaakt_op WHERE sleutel = 'melding-1'");
    let mut c = app.pool.get().unwrap();
    let p = Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap());
    let v = Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap());
    let bronnen = ketenregie_api::app::Onderdelen::default().bewaring;
    let r = bewaring::voer_uit(
        &mut c,
        &bronnen,
        p,
        v,
        ketenregie_common::time::now_utc(),
        false,
    )
    .unwrap();
    assert!(
        r.per_soort.contains(&("idempotentie", 1)),
        "{:?}",
        r.per_soort
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM idempotentie WHERE sleutel = 'melding-2'"),
        1
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM idempotentie"), 1);
}

async fn gelijktijdige_herhalingen_geven_nooit_500(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let body = melding();
    let pogingen: Vec<_> = (0..8)
        .map(|_| post(&app, &agent, "tegelijk", &body))
        .collect();
    let antwoorden = futures_util::future::join_all(pogingen).await;
    let mut ids = std::collections::BTreeSet::new();
    for res in antwoorden {
        match res.status().as_u16() {
            201 => {
                let v: Value = res.json().await.unwrap();
                ids.insert(v["id"].as_str().unwrap().to_string());
            }
            409 => {
                assert!(res.headers().contains_key("retry-after"));
                assert_problem(res, 409).await;
            }
            s => panic!("status {s}: {}", res.text().await.unwrap()),
        }
    }
    assert_eq!(ids.len(), 1, "every 201 is the same melding");
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 1);
}

/// Every text column of every table, as (table, column).
fn tekstkolommen(app: &TestApp) -> Vec<(String, String)> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Kolom {
        #[diesel(sql_type = diesel::sql_types::Text)]
        tabel: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        kolom: String,
    }
    let sql = match app.db {
        Db::Sqlite => {
            "SELECT m.name AS tabel, p.name AS kolom FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND upper(p.type) LIKE '%TEXT%'"
        }
        Db::Postgres => {
            "SELECT table_name::text AS tabel, column_name::text AS kolom FROM information_schema.columns \
             WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')"
        }
    };
    let mut c = app.pool.get().unwrap();
    diesel::sql_query(sql)
        .load::<Kolom>(&mut *c)
        .unwrap()
        .into_iter()
        .map(|k| (k.tabel, k.kolom))
        .collect()
}

/// "Check every other table for the same": a melding filed with a key and submitted, a
/// person registered, a briefing and a look-up on them; then no text column of any table
/// holds the BSN, a name or the date of birth in the clear.
async fn geen_tabel_met_persoonsgegevens_in_platte_tekst(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let res = post(&app, &agent, "scan-1", &melding()).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
            &agent,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .post(
            "/api/v1/personen",
            &agent,
            &json!({"bsn": BSN, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04",
                    "adres": {"straat": "Laan van Meerdervoort", "huisnummer": "12", "postcode": "2517 AB", "gemeente": "0518"}}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let persoon = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let noodhulp = app.token("politie-haaglanden", &["noodhulp"]);
    let b = app
        .post("/api/v1/briefings/_zoek", &noodhulp, &json!({"bsn": BSN}))
        .await;
    assert_eq!(b.status(), 200);
    assert_eq!(
        app.get(&format!("/api/v1/personen/{persoon}"), &noodhulp)
            .await
            .status(),
        200
    );

    let kolommen = tekstkolommen(&app);
    assert!(kolommen.len() > 50, "{kolommen:?}");
    let mut gevonden = vec![];
    for (tabel, kolom) in &kolommen {
        for naald in [
            BSN,
            "de Boer",
            "van Visser-Smit",
            "2016-05-04",
            "Laan van Meerdervoort",
            "2517 AB",
        ] {
            let n = app.tel(&format!(
                "SELECT count(*) AS n FROM {tabel} WHERE {kolom} LIKE '%{naald}%'"
            ));
            if n > 0 {
                gevonden.push(format!("{tabel}.{kolom}: {naald}"));
            }
        }
    }
    assert!(gevonden.is_empty(), "in plain text: {gevonden:?}");
}

op_beide_backends!(
    antwoord_versleuteld_en_verloopt,
    gelijktijdige_herhalingen_geven_nooit_500,
    geen_tabel_met_persoonsgegevens_in_platte_tekst
);
