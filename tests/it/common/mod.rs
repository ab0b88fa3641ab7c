//! The test harness: the real application (the same builder `main` uses) on a real
//! database, over real HTTP. SQLite gets a fresh file per test; PostgreSQL (when
//! `KETENREGIE_TEST_PG_URL` is set) a fresh schema per test. Without that variable the
//! PostgreSQL variants print "skipped" and pass.

#![allow(dead_code)]

pub mod contract;
pub mod keten;
pub mod oidc;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ketenregie_api::auth::Claims;
use ketenregie_api::{Application, Config};
use ketenregie_store::DbPool;
use serde_json::Value;
use std::path::PathBuf;

pub const ISSUER: &str = "https://idp.test.ketenregie.nl";
pub const AUDIENCE: &str = "ketenregie";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    /// The base URL tests use: the contract proxy in front of the application, which
    /// holds every exchange against `openapi/openapi.json` (`contract.rs`).
    pub base: String,
    /// The application itself, past the proxy (for what must reach it byte for byte).
    pub direct: String,
    /// The mismatches the proxy found; the test fails on drop when any are left.
    pub contractfouten: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// The writes the proxy saw done; on drop each must have left an audit row under its
    /// trace id (`toets_auditdekking`).
    pub schrijvingen: std::sync::Arc<std::sync::Mutex<Vec<contract::Schrijving>>>,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub db: Db,
    pub dir: PathBuf,
    pub config: Config,
    /// The instance's deadline scanner and dispatcher, for single passes.
    pub scanner: ketenregie_feedback::scanner::Scanner,
    pub bezorger: ketenregie_feedback::bezorging::Bezorger,
    /// The instance's log writer (issue 17 point 1): its figures, and a switch to make its
    /// batches fail.
    pub logschrijver: ketenregie_privacy::logboek::Logschrijver,
    dev_secret: Vec<u8>,
    pg_schema: Option<(String, String)>,
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The PostgreSQL URL for tests, if configured.
pub fn pg_url() -> Option<String> {
    std::env::var("KETENREGIE_TEST_PG_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A new, empty schema on the test PostgreSQL; returns (schema, URL that uses it).
pub fn pg_schema(base: &str) -> (String, String) {
    let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
    let mut c = diesel::PgConnection::establish(base).expect("connect to KETENREGIE_TEST_PG_URL");
    c.batch_execute(&format!("CREATE SCHEMA {schema}"))
        .expect("create schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    (
        schema.clone(),
        format!("{base}{sep}options=-csearch_path%3D{schema}"),
    )
}

pub fn temp_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ketenregie-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The database URL for a fresh test database, or `None` (and a "skipped" line) when the
/// backend is not available.
pub fn database(db: Db, dir: &std::path::Path) -> Option<(String, Option<(String, String)>)> {
    match db {
        Db::Sqlite => Some((format!("sqlite://{}", dir.join("test.db").display()), None)),
        Db::Postgres => match pg_url() {
            Some(base) => {
                let (schema, url) = pg_schema(&base);
                Some((url, Some((base, schema))))
            }
            None => {
                eprintln!("skipped: KETENREGIE_TEST_PG_URL is not set, PostgreSQL test not run");
                None
            }
        },
    }
}

pub fn test_config(db_url: &str, dir: &std::path::Path, extra: &str) -> Config {
    Config::from_toml(&test_toml(db_url, dir, extra)).expect("test configuration is valid")
}

/// The test configuration as TOML (for a test that starts the binary itself).
pub fn test_toml(db_url: &str, dir: &std::path::Path, extra: &str) -> String {
    format!(
        r#"
{extra}
[server]
bind = "127.0.0.1:0"
workers = 1
[database]
url = "{db_url}"
pool_size = 4
[auth]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
jwks_file = "{jwks}"
dev_secret_file = "{secret}"
[reference_data]
load_at_start = {laden}
[privacy]
pseudonym_key = "dGVzdC1wc2V1ZG9ueW0ta2V5LTMyLWJ5dGVzLWxvbmc="
encryption_key = "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE="
log_seal_interval_ms = {verzegelen}
{achtergrond}
[log]
filter = "warn"
"#,
        // Tests run the scanner and the dispatcher themselves, pass by pass, and send no
        // e-mail unless they configure it. The rate limits are off unless a test sets its
        // own: a test that walks every screen for every role sends a few hundred requests
        // from one address within a second on a fast machine, which the production limit
        // (100/s, burst 200) rightly answers with 429 (tests/it/limieten.rs tests them).
        achtergrond = [
            "[scanner]\nenabled = false",
            "[dispatcher]\nenabled = false",
            "[email]\ntransport = \"none\"",
            "[limits]\nclient_per_second = 0\nuser_per_second = 0",
        ]
        .iter()
        .filter(|sectie| !extra.contains(sectie.lines().next().unwrap()))
        .copied()
        .collect::<Vec<_>>()
        .join("\n"),
        // The log sealer is off: a test seals when it wants chain positions
        // (`TestApp::verzegel`), so what it counts does not depend on timing.
        verzegelen = 0,
        jwks = fixture("jwks.json"),
        secret = dir.join("dev-secret").display(),
        // Tests set up their own organisations; the reference-data tests load it.
        laden = extra.contains("# referentiedata"),
    )
}

/// Start the app on `db`; `extra` is TOML put at the top of the configuration (e.g.
/// `mode = "production"`).
pub async fn spawn_with(db: Db, extra: &str) -> Option<TestApp> {
    spawn_met(db, extra, ketenregie_api::app::Onderdelen::default()).await
}

/// Start the app with the given parts (a fake inzage source, a fixed clock).
pub async fn spawn_met(
    db: Db,
    extra: &str,
    onderdelen: ketenregie_api::app::Onderdelen,
) -> Option<TestApp> {
    spawn_met_contract(db, extra, onderdelen, contract::Contract::gedeeld()).await
}

/// Start the app with the given parts behind a proxy that holds every exchange against
/// `contract` (a test of the harness gives a deliberately wrong one).
pub async fn spawn_met_contract(
    db: Db,
    extra: &str,
    onderdelen: ketenregie_api::app::Onderdelen,
    contract: std::sync::Arc<contract::Contract>,
) -> Option<TestApp> {
    let dir = temp_dir();
    let (url, pg) = database(db, &dir)?;
    let config = test_config(&url, &dir, extra);
    ketenregie_api::telemetry::init(&config, ketenregie_api::telemetry::Uitvoer::Dienst);
    let app = Application::build_met(config.clone(), onderdelen)
        .await
        .expect("application starts");
    let port = app.port();
    let pool = app.pool().clone();
    let (scanner, bezorger) = (app.scanner(), app.bezorger());
    let logschrijver = app.logschrijver();
    actix_web::rt::spawn(app.run_until_stopped());
    let dev_secret = if config.is_development() {
        ketenregie_api::dev_token::secret(&config.auth.dev_secret_file).unwrap()
    } else {
        vec![]
    };
    let direct = format!("http://127.0.0.1:{port}");
    let (base, contractfouten, schrijvingen) = contract::start_proxy(&direct, contract).await;
    Some(TestApp {
        base,
        direct,
        contractfouten,
        schrijvingen,
        // Idle connections are dropped well before the servers' keep-alive of 5 s
        // (`keep_alive_seconds`, actix's default for the proxy): a request sent on a
        // connection the server is closing at that moment fails with `IncompleteMessage`,
        // seen under load (two cores, three suites at once).
        client: reqwest::Client::builder()
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap(),
        pool,
        db,
        dir,
        config,
        scanner,
        bezorger,
        logschrijver,
        dev_secret,
        pg_schema: pg,
    })
}

pub async fn spawn(db: Db) -> Option<TestApp> {
    spawn_with(db, "").await
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let zonder_audit = if std::thread::panicking() {
            Vec::new()
        } else {
            self.toets_auditdekking()
        };
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((base, schema)) = &self.pg_schema
            && let Ok(mut c) = diesel::PgConnection::establish(base)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
        }
        if !zonder_audit.is_empty() {
            panic!(
                "writes done without an audit row (README \"Audit trail\": every change is recorded):\n{}",
                zonder_audit.join("\n")
            );
        }
        let fouten = std::mem::take(&mut *self.contractfouten.lock().unwrap());
        if !fouten.is_empty() && !std::thread::panicking() {
            panic!(
                "the exchanges do not match openapi/openapi.json ({} mismatches):\n{}",
                fouten.len(),
                fouten.join("\n")
            );
        }
    }
}

impl TestApp {
    /// The writes the proxy saw done (a 2xx to an API `POST`, `PUT`, `PATCH` or `DELETE`,
    /// a 303 to a werkplek form) that left no audit row under their trace id: every test
    /// of the suite holds the service to "every change is in the audit trail". A test that
    /// removes audit rows on purpose (retention) takes the list first
    /// (`neem_schrijvingen`).
    pub fn toets_auditdekking(&self) -> Vec<String> {
        let schrijvingen = std::mem::take(&mut *self.schrijvingen.lock().unwrap());
        if schrijvingen.is_empty() {
            return Vec::new();
        }
        use diesel::prelude::*;
        use ketenregie_store::schema::audittrail;
        // A test that took the database away on purpose (an outage drill) has no trail
        // to hold its writes against.
        let Ok(mut c) = self.pool.get() else {
            return Vec::new();
        };
        // One query for all of them: the trace ids that have a row.
        let Ok(met_rij) = audittrail::table
            .filter(audittrail::trace_id.eq_any(schrijvingen.iter().map(|s| s.trace_id.as_str())))
            .select(audittrail::trace_id)
            .distinct()
            .load::<String>(&mut *c)
        else {
            return Vec::new();
        };
        let met_rij: std::collections::HashSet<String> = met_rij.into_iter().collect();
        schrijvingen
            .into_iter()
            .filter(|s| !met_rij.contains(&s.trace_id))
            .map(|s| format!("{} {} -> {}", s.methode, s.uri, s.status))
            .collect()
    }

    /// Take the writes seen so far, so that dropping the app does not hold them against
    /// the audit trail (a test that removes audit rows on purpose).
    pub fn neem_schrijvingen(&self) -> Vec<contract::Schrijving> {
        std::mem::take(&mut *self.schrijvingen.lock().unwrap())
    }

    /// Take the mismatches the contract proxy found so far (a test that breaks the
    /// contract on purpose takes them, so that dropping the app does not fail it).
    pub fn neem_contractfouten(&self) -> Vec<String> {
        std::mem::take(&mut *self.contractfouten.lock().unwrap())
    }
}

/// Claims for a valid token of `organisatie` with `rollen`.
pub fn claims(organisatie: &str, rollen: &[&str]) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: format!("gebruiker-{}", uuid::Uuid::now_v7().simple()),
        exp: now + 600,
        nbf: Some(now),
        iat: Some(now),
        jti: Some(uuid::Uuid::now_v7().to_string()),
        name: Some("Test Gebruiker".into()),
        organisatie: Some(organisatie.into()),
        rollen: rollen.iter().map(|r| r.to_string()).collect(),
        client_id: Some("test-client".into()),
    }
}

/// Sign claims with the test RSA key (as the identity provider would).
pub fn rs256(claims: &Claims) -> String {
    rs256_with(claims, "at+jwt")
}

pub fn rs256_with(claims: &Claims, typ: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-rs256".into());
    header.typ = Some(typ.into());
    let key = EncodingKey::from_rsa_pem(&std::fs::read(fixture("test-rsa.pem")).unwrap()).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

pub fn rsa_public_pem() -> Vec<u8> {
    std::fs::read(fixture("test-rsa.pub.pem")).unwrap()
}

impl TestApp {
    /// A valid identity-provider token for `organisatie` with `rollen`.
    pub fn token(&self, organisatie: &str, rollen: &[&str]) -> String {
        rs256(&claims(organisatie, rollen))
    }

    /// A development (HS256) token, as `ketenregie token` prints.
    pub fn dev_token(&self, organisatie: &str, rollen: &[&str]) -> String {
        ketenregie_api::dev_token::maak(
            &self.dev_secret,
            &self.config.auth.issuer,
            &self.config.auth.audience,
            &ketenregie_api::dev_token::TokenAanvraag {
                organisatie: organisatie.into(),
                rollen: rollen.iter().map(|r| r.to_string()).collect(),
                gebruiker: "dev".into(),
                naam: "Dev".into(),
                applicatie: "test".into(),
                geldig_seconden: 600,
            },
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The body of an unauthenticated GET of `path` (the metrics, the docs' assets).
    pub async fn tekst(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The database URL this app uses (for the CLI and direct SQL in tests).
    pub fn db_url(&self) -> String {
        use secrecy::ExposeSecret;
        self.config.database.url.expose_secret().to_string()
    }

    /// Run SQL directly on the app's database, bypassing the service (to tamper, or to
    /// make an insert fail).
    pub fn sql(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        let mut c = self.pool.get().unwrap();
        c.batch_execute(sql).unwrap();
    }

    /// Seal every unsealed log row now (the service's sealer is off in tests, so a test
    /// decides when rows get their chain positions: issue 17 point 2).
    pub fn verzegel(&self) -> usize {
        let mut c = self.pool.get().unwrap();
        ketenregie_privacy::logboek::verzegelaar::verzegel_alles(&mut c).unwrap()
    }

    /// A count from the database.
    pub fn tel(&self, sql: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = self.pool.get().unwrap();
        diesel::sql_query(sql).get_result::<N>(&mut *c).unwrap().n
    }

    /// The service's encryption of values at rest, with this app's key.
    pub fn versleuteling(&self) -> ketenregie_privacy::versleuteling::Versleuteling {
        ketenregie_api::verwerking::versleuteling(&self.config).unwrap()
    }

    /// The audit rows that meet `waar` (an SQL condition), with their reason and old and
    /// new values decrypted as the service reads them (`AUDIT_VERSLEUTELD`).
    pub fn audit(&self, waar: &str) -> Vec<ketenregie_privacy::logboek::AuditRij> {
        use diesel::prelude::*;
        use ketenregie_privacy::logboek::AuditRij;
        use ketenregie_store::schema::audittrail;
        let v = self.versleuteling();
        let mut c = self.pool.get().unwrap();
        audittrail::table
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(waar))
            .select(AuditRij::as_select())
            .load::<AuditRij>(&mut *c)
            .unwrap()
            .into_iter()
            .map(|r| r.ontsleuteld(&v).unwrap())
            .collect()
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Register an organisation as the platform admin; returns its JSON.
    pub async fn organisatie(&self, code: &str, soort: &str, gemeenten: &[&str]) -> Value {
        let admin = self.token("ketenregie-platform", &["platformbeheerder"]);
        let res = self
            .post(
                "/api/v1/organisaties",
                &admin,
                &serde_json::json!({"code": code, "naam": format!("Organisatie {code}"), "soort": soort, "gemeenten": gemeenten}),
            )
            .await;
        let status = res.status();
        let body: Value = res.json().await.unwrap_or_default();
        assert_eq!(status, 201, "registering {code}: {body}");
        body
    }
}

impl TestApp {
    /// Create the agreement in `body` and bring it into force the only way there is: the
    /// functional admin of its first party creates the concept, then the functional admin
    /// of every party signs it (`onderteken_door_alle_partijen`). Returns the active
    /// agreement.
    pub async fn convenant_van_kracht(&self, body: &Value) -> Value {
        let maker = body["partijen"][0]["organisatie"]
            .as_str()
            .expect("the agreement names its parties");
        let maker = self.token(maker, &["functioneel-beheerder"]);
        let res = self.post("/api/v1/convenanten", &maker, body).await;
        let status = res.status();
        let c: Value = res.json().await.unwrap();
        assert_eq!(status, 201, "creating the agreement: {c}");
        self.onderteken_door_alle_partijen(&c).await
    }

    /// The functional admin of every party of `concept` reads it and signs the
    /// `inhoudHash` it read; the last signature makes it active. Returns the agreement
    /// after the last signature.
    pub async fn onderteken_door_alle_partijen(&self, concept: &Value) -> Value {
        let id = concept["id"].as_str().unwrap().to_string();
        let mut laatste = concept.clone();
        for p in concept["partijen"].as_array().unwrap() {
            let org = p["organisatie"].as_str().unwrap();
            let ondertekenaar = self.token(org, &["functioneel-beheerder"]);
            let gelezen: Value = self
                .get(&format!("/api/v1/convenanten/{id}"), &ondertekenaar)
                .await
                .json()
                .await
                .unwrap();
            let res = self
                .post(
                    &format!("/api/v1/convenanten/{id}/ondertekeningen"),
                    &ondertekenaar,
                    &serde_json::json!({"inhoudHash": gelezen["inhoudHash"]}),
                )
                .await;
            let status = res.status();
            laatste = res.json().await.unwrap();
            assert_eq!(status, 200, "signing for {org}: {laatste}");
        }
        assert_eq!(laatste["status"], "actief", "{laatste}");
        laatste
    }
}

/// Assert that a response is a complete problem+json with `status` and `API-Version`;
/// returns the body.
pub async fn assert_problem(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    assert!(
        res.headers().contains_key("api-version"),
        "API-Version on an error"
    );
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status);
    for f in ["type", "title", "detail", "instance", "traceId"] {
        assert!(body[f].is_string(), "problem lacks {f}: {body}");
    }
    body
}

/// The (pointer, code) pairs of a problem's `invalidParams`, sorted: what a test of "every
/// problem named at once" compares.
pub fn paren(p: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p["invalidParams"]
        .as_array()
        .expect("invalidParams")
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// One (pointer, code) pair, as `paren` gives them.
pub fn p(naam: &str, code: &str) -> (String, String) {
    (naam.to_string(), code.to_string())
}

/// POST `body` to `pad` and expect a 201; its body.
pub async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{pad}: {v}");
    v
}

/// A person of `token`'s organisation without a BSN; its id.
pub async fn persoon(app: &TestApp, token: &str, voornamen: &str, geboren: &str) -> String {
    maak(
        app,
        "/api/v1/personen",
        token,
        serde_json::json!({"voornamen": voornamen, "achternaam": "de Boer", "geboortedatum": geboren}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Turn on `organisatie`'s quality check before sending (`PUT /kwaliteitscontrole` by
/// its functional admin).
pub async fn kwaliteitscontrole_verplicht(app: &TestApp, organisatie: &str) {
    let beheer = app.token(organisatie, &["functioneel-beheerder"]);
    let res = app
        .put(
            "/api/v1/kwaliteitscontrole",
            &beheer,
            &serde_json::json!({"verplicht": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

/// Generate `sqlite::NAME` and `postgres::NAME` tests for each `async fn NAME(db: Db)`.
#[macro_export]
macro_rules! op_beide_backends {
    ($($naam:ident),* $(,)?) => {
        mod sqlite {
            $(#[actix_web::test] async fn $naam() { super::$naam($crate::common::Db::Sqlite).await })*
        }
        mod postgres {
            $(#[actix_web::test] async fn $naam() { super::$naam($crate::common::Db::Postgres).await })*
        }
    };
}

/// A fake inzage source (tests only): the service "holds" one person, owned by one
/// organisation.
pub struct EenPersoonBron {
    pub persoon: &'static str,
    pub eigenaar: &'static str,
}

impl ketenregie_privacy::inzage::InzageBron for EenPersoonBron {
    fn verzamel(
        &self,
        _c: &mut ketenregie_store::DbConnection,
        persoon: uuid::Uuid,
        _a: &ketenregie_common::Actor,
        _s: Option<ketenregie_common::OrganisatieSoort>,
    ) -> diesel::QueryResult<Vec<ketenregie_privacy::inzage::InzageOnderdeel>> {
        Ok(if persoon.to_string() == self.persoon {
            vec![ketenregie_privacy::inzage::InzageOnderdeel {
                soort: "persoon".into(),
                id: self.persoon.into(),
                eigenaar: self.eigenaar.into(),
                bron: self.eigenaar.into(),
                bron_naam: String::new(),
                vastgelegd_op: chrono::Utc::now(),
                grondslag: "eigen taak".into(),
                gegevens: serde_json::json!({"naam": "X"}),
                achtergehouden: vec![],
            }]
        } else {
            vec![]
        })
    }
}
