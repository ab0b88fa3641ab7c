//! The README's tour is a test: the shell commands between `<!-- tour:begin -->` and
//! `<!-- tour:end -->` run exactly as written (with `KR` set to the binary under test and
//! `BASE` to a free port) against a fresh database, on SQLite and on PostgreSQL. The tour
//! checks its own answers (`verwacht`, `set -e`, `curl -f`); if the README drifts from the
//! product, this fails.

use crate::common;

use std::io::Write;
use std::process::Command;

fn tour_script() -> String {
    let readme = include_str!("../../README.md");
    let begin = readme
        .find("<!-- tour:begin -->")
        .expect("README has a tour");
    let eind = readme.find("<!-- tour:end -->").expect("README tour ends");
    let blok = &readme[begin..eind];
    let mut script = String::from("set -euo pipefail\n");
    let mut rest = blok;
    while let Some(start) = rest.find("```sh\n") {
        let na = &rest[start + 6..];
        let stop = na.find("```").expect("closed code block");
        script.push_str(&na[..stop]);
        rest = &na[stop + 3..];
    }
    script
}

fn vrije_poort() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn loop_tour(db_url: &str) {
    let dir = common::temp_dir();
    let pad = dir.join("tour.sh");
    std::fs::File::create(&pad)
        .unwrap()
        .write_all(tour_script().as_bytes())
        .unwrap();
    let poort = vrije_poort();
    let uit = Command::new("bash")
        .arg(&pad)
        .current_dir(&dir)
        .env("KR", env!("CARGO_BIN_EXE_ketenregie"))
        .env("BASE", format!("http://127.0.0.1:{poort}"))
        .env("KETENREGIE_SERVER__BIND", format!("127.0.0.1:{poort}"))
        .env("KETENREGIE_DATABASE__URL", db_url)
        .env("KETENREGIE_AUTH__DEV_SECRET_FILE", dir.join("dev-secret"))
        .env_remove("KETENREGIE_CONFIG")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&uit.stdout);
    let stderr = String::from_utf8_lossy(&uit.stderr);
    let log = std::fs::read_to_string(dir.join("ketenregie.log")).unwrap_or_default();
    assert!(
        uit.status.success(),
        "the README tour failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- service log (tail)\n{}",
        log.lines()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The tour printed the notices it waited for, and no personal data went out.
    assert!(stdout.contains("Herinnering"), "{stdout}");
    assert!(stdout.contains("te laat"), "{stdout}");
    assert!(stdout.contains("vechtscheiding"), "{stdout}");
}

#[test]
fn tour_op_sqlite() {
    let dir = common::temp_dir();
    loop_tour(&format!("sqlite://{}", dir.join("tour.db").display()));
}

#[test]
fn tour_op_postgres() {
    let Some(base) = common::pg_url() else {
        eprintln!("skipped: KETENREGIE_TEST_PG_URL is not set, the tour on PostgreSQL not run");
        return;
    };
    let (schema, url) = common::pg_schema(&base);
    loop_tour(&url);
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let mut c = diesel::PgConnection::establish(&base).unwrap();
    c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

/// `ketenregie demo` refuses a database that holds data, and `--reset` empties it first.
#[test]
fn demo_weigert_een_gevulde_database() {
    let dir = common::temp_dir();
    let demo = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ketenregie"))
            .arg("demo")
            .args(extra)
            .current_dir(&dir)
            .env(
                "KETENREGIE_DATABASE__URL",
                format!("sqlite://{}", dir.join("demo.db").display()),
            )
            .env("KETENREGIE_AUTH__DEV_SECRET_FILE", dir.join("dev-secret"))
            .env_remove("KETENREGIE_CONFIG")
            .output()
            .unwrap()
    };
    let eerste = demo(&[]);
    assert!(
        eerste.status.success(),
        "{}",
        String::from_utf8_lossy(&eerste.stderr)
    );
    let uit = String::from_utf8_lossy(&eerste.stdout);
    for rol in [
        "NOODHULP",
        "WIJKAGENT",
        "KWALITEITSCONTROLEUR",
        "TRIAGIST",
        "GEZINSVOOGD",
        "OFFICIER",
        "WIJKTEAM",
        "PRIVACY",
        "BEHEER",
    ] {
        assert!(
            uit.contains(&format!("export {rol}=")),
            "a token for {rol}: {uit}"
        );
    }
    let tweede = demo(&[]);
    assert!(!tweede.status.success());
    assert!(String::from_utf8_lossy(&tweede.stderr).contains("--reset"));
    let opnieuw = demo(&["--reset"]);
    assert!(
        opnieuw.status.success(),
        "{}",
        String::from_utf8_lossy(&opnieuw.stderr)
    );
}

/// The example production configuration is valid once its secrets come from the
/// environment, as deploy/RUNBOOK.md says.
#[test]
fn voorbeeldconfiguratie_is_geldig() {
    let dir = common::temp_dir();
    let jwks = dir.join("jwks.json");
    std::fs::write(&jwks, include_str!("../fixtures/jwks.json")).unwrap();
    let uit = Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args([
            "check-config",
            "--config",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/deploy/ketenregie.example.toml"
            ),
        ])
        .env(
            "KETENREGIE_DATABASE__URL",
            "postgres://ketenregie:geheim@db.example.nl:5432/ketenregie",
        )
        .env("KETENREGIE_AUTH__JWKS_FILE", &jwks)
        .env(
            "KETENREGIE_PRIVACY__PSEUDONYM_KEY",
            "c2xldXRlbC12b29yLXBzZXVkb25pZW1lbi0zMi1ieXQ=",
        )
        .env(
            "KETENREGIE_PRIVACY__ENCRYPTION_KEY",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        )
        .env("KETENREGIE_EMAIL__SMTP_PASSWORD", "geheim")
        .env_remove("KETENREGIE_CONFIG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&uit.stdout);
    assert!(
        uit.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&uit.stderr)
    );
    assert!(
        !stdout.contains("geheim"),
        "secrets are printed masked: {stdout}"
    );
}
