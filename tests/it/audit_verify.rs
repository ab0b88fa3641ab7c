//! Tamper evidence that covers deletion and truncation (issue 14, finding 4): every kind of
//! edit and deletion of the logs makes `ketenregie audit verify` exit non-zero with a line
//! naming the chain and the row, on both backends. Rows are written by the service's own
//! log functions (`logboek::audit`, `logboek::verwerking`) into known chains; the
//! tampering is done in SQL with the append-only triggers switched off, as someone with
//! database power would.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::{Db, TestApp};
use diesel::Connection;
use ketenregie_common::Actor;
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use std::sync::Arc;

const ORG: &str = "politie-haaglanden";

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-02T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A context whose rows go to chain `keten(schijf)`: `ORG`, or for `schijf` > 0 the chain
/// named `ORG#schijf` (as the chain shards before issue 17 were named; new rows go to one
/// chain per organisation, so the test names the organisation so).
fn ctx(app: &TestApp, schijf: u8, nu: DateTime<Utc>) -> Context {
    Context {
        actor: Actor {
            gebruiker: "tester".into(),
            weergavenaam: "Tester".into(),
            organisatie: keten(schijf),
            rollen: vec![],
            applicatie: "test".into(),
        },
        trace_id: hex(16),
        span_id: format!("{:04x}{}", schijf, &hex(8)[4..]),
        parent_span_id: None,
        toelichting: None,
        doorbraak: false,
        nu,
        pseudoniemen: Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap()),
        versleuteling: Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap()),
        stamgegevens: Default::default(),
        stempel: None,
        groepslog: Default::default(),
    }
}

/// `n` (at most 16) random-ish bytes as hex.
fn hex(n: usize) -> String {
    uuid::Uuid::new_v4().simple().to_string()[32 - 2 * n..].to_string()
}

/// Write `n` audit rows and `n` processing-log rows into shard `schijf` of `ORG` (chains
/// `audit:politie-haaglanden[#s]` and `verwerking:politie-haaglanden[#s]`).
fn schrijf(app: &TestApp, schijf: u8, n: usize, nu: DateTime<Utc>) {
    let mut c = app.pool.get().unwrap();
    for i in 0..n {
        let cx = ctx(app, schijf, nu);
        c.transaction::<_, diesel::result::Error, _>(|c| {
            logboek::audit(
                c,
                &cx,
                &AuditRegel {
                    actie: "lezen".into(),
                    object: Object {
                        soort: "personen",
                        id: format!("p-{i}"),
                        eigenaar: keten(schijf),
                    },
                    resultaat: 200,
                    doorbraak: false,
                    grondslag: Some("test".into()),
                    oud: None,
                    nieuw: None,
                },
            )?;
            logboek::verwerking(
                c,
                &cx,
                "briefing",
                "test",
                None,
                false,
                &[uuid::Uuid::now_v7()],
                "geslaagd",
            )
        })
        .unwrap();
    }
    // Sealed: the rows get their chain positions (issue 17 point 2).
    app.verzegel();
}

fn keten(schijf: u8) -> String {
    if schijf == 0 {
        ORG.to_string()
    } else {
        format!("{ORG}#{schijf}")
    }
}

/// Run SQL with the log guards switched off (what a tamperer with database power does).
fn zonder_bewaking(app: &TestApp, sql: &str) {
    match app.db {
        Db::Sqlite => {
            use diesel::prelude::*;
            #[derive(QueryableByName)]
            struct Naam {
                #[diesel(sql_type = diesel::sql_types::Text)]
                name: String,
            }
            let mut c = app.pool.get().unwrap();
            let namen: Vec<Naam> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audittrail', 'verwerkingslog', 'logketens')",
            )
            .load(&mut *c)
            .unwrap();
            drop(c);
            for n in namen {
                app.sql(&format!("DROP TRIGGER {}", n.name));
            }
            app.sql(sql);
        }
        Db::Postgres => {
            let uit = "ALTER TABLE audittrail DISABLE TRIGGER USER; ALTER TABLE verwerkingslog DISABLE TRIGGER USER; ALTER TABLE logketens DISABLE TRIGGER USER;";
            let aan = "ALTER TABLE audittrail ENABLE TRIGGER USER; ALTER TABLE verwerkingslog ENABLE TRIGGER USER; ALTER TABLE logketens ENABLE TRIGGER USER;";
            app.sql(&format!("{uit} {sql}; {aan}"));
        }
    }
}

fn cli(app: &TestApp, args: &[&str]) -> (i32, String) {
    let uit = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(args)
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    (
        uit.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&uit.stdout),
            String::from_utf8_lossy(&uit.stderr)
        ),
    )
}

fn verify(app: &TestApp) -> (i32, String) {
    cli(app, &["audit", "verify"])
}

/// Assert exit 1 and a BROKEN line naming `log`, the chain and the sequence number.
fn gebroken(uitkomst: (i32, String), log: &str, keten: &str, volgnummer: i64, woorden: &str) {
    let (code, uit) = uitkomst;
    assert_eq!(code, 1, "{uit}");
    let verwacht = format!("BROKEN: {log} chain `{keten}` at sequence number {volgnummer} (");
    assert!(uit.contains(&verwacht), "expected `{verwacht}` in:\n{uit}");
    assert!(uit.contains(woorden), "expected `{woorden}` in:\n{uit}");
}

fn id_van(app: &TestApp, tabel: &str, keten: &str, volgnummer: i64) -> String {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let mut c = app.pool.get().unwrap();
    diesel::sql_query(format!(
        "SELECT id FROM {tabel} WHERE keten = '{keten}' AND volgnummer = {volgnummer}"
    ))
    .get_result::<Id>(&mut *c)
    .unwrap()
    .id
}

/// An app with three rows in each log in shard 0 and shard 1 of `ORG`; verify passes.
async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn(db).await?;
    schrijf(&app, 0, 3, t0());
    schrijf(&app, 1, 3, t0());
    let (code, uit) = verify(&app);
    assert_eq!(code, 0, "{uit}");
    assert!(
        uit.contains("ok: 6 audit rows and 6 processing-log rows in 4 chains verified"),
        "{uit}"
    );
    Some(app)
}

async fn logtabellen_weigeren_wijzigen_en_verwijderen(db: Db) {
    let Some(app) = app(db).await else { return };
    let mut c = app.pool.get().unwrap();
    use diesel::connection::SimpleConnection;
    for sql in [
        "UPDATE audittrail SET actie = 'niets'",
        "DELETE FROM audittrail",
        "UPDATE verwerkingslog SET resultaat = 'mislukt'",
        "DELETE FROM verwerkingslog",
        "DELETE FROM logketens",
        "UPDATE logketens SET volgnummer = volgnummer - 1",
        "UPDATE logketens SET id = 'audit:iemand-anders' WHERE id = 'audit:politie-haaglanden'",
    ] {
        assert!(c.batch_execute(sql).is_err(), "refused: {sql}");
    }
    drop(c);
    assert_eq!(verify(&app).0, 0);
}

async fn rij_gewijzigd(db: Db) {
    let Some(app) = app(db).await else { return };
    let id = id_van(&app, "audittrail", ORG, 2);
    zonder_bewaking(
        &app,
        &format!("UPDATE audittrail SET gebruiker = 'iemand-anders' WHERE id = '{id}'"),
    );
    gebroken(verify(&app), "audittrail", ORG, 2, &id);
}

async fn eerste_rij_verwijderd(db: Db) {
    let Some(app) = app(db).await else { return };
    let volgende = id_van(&app, "audittrail", ORG, 2);
    zonder_bewaking(
        &app,
        &format!("DELETE FROM audittrail WHERE keten = '{ORG}' AND volgnummer = 1"),
    );
    gebroken(verify(&app), "audittrail", ORG, 1, &volgende);
    // The processing log too (where retention may remove a start, but says so).
    let Some(app) = self::app(db).await else {
        return;
    };
    let k = keten(1);
    zonder_bewaking(
        &app,
        &format!("DELETE FROM verwerkingslog WHERE keten = '{k}' AND volgnummer = 1"),
    );
    gebroken(
        verify(&app),
        "verwerkingslog",
        &k,
        1,
        "geen bewaringsijkpunt",
    );
}

async fn middelste_rij_verwijderd(db: Db) {
    let Some(app) = app(db).await else { return };
    let k = keten(1);
    let na = id_van(&app, "verwerkingslog", &k, 3);
    zonder_bewaking(
        &app,
        &format!("DELETE FROM verwerkingslog WHERE keten = '{k}' AND volgnummer = 2"),
    );
    gebroken(verify(&app), "verwerkingslog", &k, 2, &na);
}

async fn laatste_rij_verwijderd(db: Db) {
    let Some(app) = app(db).await else { return };
    let ervoor = id_van(&app, "audittrail", ORG, 2);
    zonder_bewaking(
        &app,
        &format!("DELETE FROM audittrail WHERE keten = '{ORG}' AND volgnummer = 3"),
    );
    gebroken(verify(&app), "audittrail", ORG, 3, &ervoor);
}

/// The finding as written: every row of one chain deleted, its head left.
async fn alle_rijen_van_een_keten_verwijderd(db: Db) {
    let Some(app) = app(db).await else { return };
    let k = keten(1);
    zonder_bewaking(&app, &format!("DELETE FROM audittrail WHERE keten = '{k}'"));
    gebroken(verify(&app), "audittrail", &k, 1, "alle rijen");
}

async fn alleen_de_kop_verwijderd(db: Db) {
    let Some(app) = app(db).await else { return };
    let laatste = id_van(&app, "verwerkingslog", ORG, 3);
    zonder_bewaking(
        &app,
        &format!("DELETE FROM logketens WHERE id = 'verwerking:{ORG}'"),
    );
    gebroken(verify(&app), "verwerkingslog", ORG, 3, &laatste);
}

/// Truncated: every row gone and the head set back to nothing.
async fn afgekapt_en_kop_teruggezet(db: Db) {
    let Some(app) = app(db).await else { return };
    let k = keten(1);
    zonder_bewaking(
        &app,
        &format!(
            "DELETE FROM verwerkingslog WHERE keten = '{k}'; UPDATE logketens SET volgnummer = 0, laatste_hash = '{}' WHERE id = 'verwerking:{k}'",
            ketenregie_privacy::keten::BEGIN
        ),
    );
    gebroken(verify(&app), "verwerkingslog", &k, 1, "alle rijen");
}

/// A consistent rewind (the last rows and the head set back together) or a whole chain
/// removed with its head leave nothing to see inside the database; an external checkpoint
/// taken before shows both.
async fn teruggedraaid_tegen_ijkpunt(db: Db) {
    let Some(app) = app(db).await else { return };
    let (code, json) = cli(&app, &["audit", "checkpoint"]);
    assert_eq!(code, 0, "{json}");
    let ij: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(ij["ketens"].as_array().unwrap().len(), 4);
    let bestand = app.dir.join("ijkpunt.json");
    std::fs::write(&bestand, &json).unwrap();
    let tegen = |app: &TestApp| {
        cli(
            app,
            &["audit", "verify", "--tegen", bestand.to_str().unwrap()],
        )
    };
    let (code, uit) = tegen(&app);
    assert_eq!(code, 0, "{uit}");
    assert!(uit.contains("every chain extends the checkpoint"), "{uit}");
    // More rows since the checkpoint: still an extension.
    schrijf(&app, 0, 2, t0() + Duration::hours(1));
    assert_eq!(tegen(&app).0, 0);

    // Rewind: the last three audit rows of shard 0 go (5, 4 and 3, which was in the
    // checkpoint) and the head goes back to row 2.
    let hash2: String = {
        use diesel::prelude::*;
        use ketenregie_store::schema::audittrail as a;
        let mut c = app.pool.get().unwrap();
        a::table
            .filter(a::keten.eq(ORG))
            .filter(a::volgnummer.eq(2))
            .select(a::hash)
            .first(&mut c)
            .unwrap()
    };
    zonder_bewaking(
        &app,
        &format!(
            "DELETE FROM audittrail WHERE keten = '{ORG}' AND volgnummer >= 3; UPDATE logketens SET volgnummer = 2, laatste_hash = '{hash2}' WHERE id = 'audit:{ORG}'"
        ),
    );
    let (code, uit) = verify(&app);
    assert_eq!(
        code, 0,
        "inside the database a consistent rewind cannot be seen: {uit}"
    );
    gebroken(tegen(&app), "audittrail", ORG, 3, "teruggedraaid");
    // Rewound and written on: the head is past the checkpoint again, but row 3 differs.
    schrijf(&app, 0, 2, t0() + Duration::hours(2));
    assert_eq!(verify(&app).0, 0);
    let nieuw3 = id_van(&app, "audittrail", ORG, 3);
    gebroken(tegen(&app), "audittrail", ORG, 3, &nieuw3);

    // A whole chain removed with its head.
    let Some(app) = self::app(db).await else {
        return;
    };
    let (_, json) = cli(&app, &["audit", "checkpoint"]);
    std::fs::write(&bestand, &json).unwrap();
    let k = keten(1);
    zonder_bewaking(
        &app,
        &format!(
            "DELETE FROM verwerkingslog WHERE keten = '{k}'; DELETE FROM logketens WHERE id = 'verwerking:{k}'"
        ),
    );
    assert_eq!(verify(&app).0, 0, "nothing inside the database names it");
    gebroken(tegen(&app), "verwerkingslog", &k, 3, "verwijderd");

    // The checkpoint file itself edited (to hide the rewind): its digest says so.
    let mut ij: serde_json::Value = serde_json::from_str(&json).unwrap();
    ij["ketens"][0]["volgnummer"] = 1.into();
    std::fs::write(&bestand, ij.to_string()).unwrap();
    let (code, uit) = tegen(&app);
    assert_eq!(code, 1, "{uit}");
    assert!(uit.contains("altered"), "{uit}");
}

/// Retention removes the start of a chain and leaves a checkpoint row: verify accepts it,
/// also against a checkpoint taken before; deleting the next first row does not pass.
async fn bewaring_met_ijkpuntrij(db: Db) {
    let Some(app) = app(db).await else { return };
    let (_, json) = cli(&app, &["audit", "checkpoint"]);
    let bestand = app.dir.join("ijkpunt.json");
    std::fs::write(&bestand, &json).unwrap();
    // Two more rows in shard 1, six years later; then retention at seven years.
    schrijf(&app, 1, 2, t0() + Duration::days(6 * 365));
    let mut c = app.pool.get().unwrap();
    let p = Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap());
    let v = Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap());
    let r = ketenregie_privacy::bewaring::voer_uit(
        &mut c,
        &[Arc::new(ketenregie_privacy::bewaring::Verwerkingslogbron)],
        p,
        v,
        t0() + Duration::days(7 * 365),
        false,
    )
    .unwrap();
    drop(c);
    // Shard 0: all three rows went; shard 1: the three old ones.
    assert_eq!(r.per_soort, vec![("verwerkingslog", 6)]);
    let k = keten(1);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM verwerkingslog WHERE keten = '{k}' AND activiteit = 'bewaring-ijkpunt'"
        )),
        1
    );
    let (code, uit) = verify(&app);
    assert_eq!(code, 0, "{uit}");
    let (code, uit) = cli(
        &app,
        &["audit", "verify", "--tegen", bestand.to_str().unwrap()],
    );
    assert_eq!(code, 0, "rows removed by retention are explained: {uit}");
    // Now someone removes the first row retention left.
    let vijfde = id_van(&app, "verwerkingslog", &k, 5);
    zonder_bewaking(
        &app,
        &format!("DELETE FROM verwerkingslog WHERE keten = '{k}' AND volgnummer = 4"),
    );
    gebroken(verify(&app), "verwerkingslog", &k, 4, &vijfde);
}

/// `ketenregie audit export` (issue 15 point 5): one organisation's rows of a period, as
/// JSON Lines that verify outside the service with SHA-256 alone.
async fn export_verifieert_buiten_de_dienst(db: Db) {
    let Some(app) = app(db).await else { return };
    // Three more rows the next day: outside the exported period.
    schrijf(&app, 0, 3, t0() + chrono::Duration::days(1));
    let uit = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args([
            "audit",
            "export",
            "--organisatie",
            ORG,
            "--van",
            "2026-04-02",
            "--tot",
            "2026-04-02",
        ])
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    assert!(
        uit.status.success(),
        "{}",
        String::from_utf8_lossy(&uit.stderr)
    );
    let regels: Vec<serde_json::Value> = String::from_utf8(uit.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tel = |log: &str| regels.iter().filter(|r| r["log"] == log).count();
    assert_eq!(
        (tel("audittrail"), tel("verwerkingslog")),
        (6, 6),
        "{regels:?}"
    );
    // Verified with nothing but SHA-256: each hash over the previous hash and the content,
    // each row linked to the one before it in its chain.
    let mut vorige: std::collections::HashMap<(String, String), String> = Default::default();
    for r in &regels {
        let rij = &r["rij"];
        let keten = rij["keten"].as_str().unwrap().to_string();
        assert!(
            keten == ORG || keten.starts_with(&format!("{ORG}#")),
            "{keten}"
        );
        let vh = rij["vorige_hash"].as_str().unwrap();
        let mut h = <sha2::Sha256 as sha2::Digest>::new();
        sha2::Digest::update(&mut h, vh.as_bytes());
        sha2::Digest::update(&mut h, b"\n");
        sha2::Digest::update(&mut h, r["inhoud"].as_str().unwrap().as_bytes());
        assert_eq!(
            hex::encode(sha2::Digest::finalize(h)),
            rij["hash"].as_str().unwrap(),
            "{r}"
        );
        let sleutel = (r["log"].as_str().unwrap().to_string(), keten);
        if let Some(v) = vorige.get(&sleutel) {
            assert_eq!(v, vh, "chain link broken at {r}");
        }
        vorige.insert(sleutel, rij["hash"].as_str().unwrap().to_string());
    }
    // Another organisation's export holds none of these rows.
    let ander = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args([
            "audit",
            "export",
            "--organisatie",
            "veilig-thuis-haaglanden",
            "--van",
            "2026-04-02",
            "--tot",
            "2026-04-03",
        ])
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    assert!(ander.status.success());
    assert!(
        ander.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&ander.stdout)
    );
}

op_beide_backends!(
    logtabellen_weigeren_wijzigen_en_verwijderen,
    rij_gewijzigd,
    eerste_rij_verwijderd,
    middelste_rij_verwijderd,
    laatste_rij_verwijderd,
    alle_rijen_van_een_keten_verwijderd,
    alleen_de_kop_verwijderd,
    afgekapt_en_kop_teruggezet,
    teruggedraaid_tegen_ijkpunt,
    bewaring_met_ijkpuntrij,
    export_verifieert_buiten_de_dienst
);
