//! The production start as `deploy/` describes it, as a test (issue 13 point 7): the
//! binary with `deploy/ketenregie.example.toml`, the keys that `ketenregie sleutels
//! genereer` prints, a JWKS that `ketenregie sleutels jwks` made from the identity
//! provider's public key, the environment overrides `deploy/compose.yaml` uses (the
//! database URL, the mail transport), passes `check-config`, serves, and answers an
//! authenticated call made with a token that identity provider signed.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ketenregie");

fn pad(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary with `args` and `env`; its stdout, or a panic with its stderr.
fn ketenregie(args: &[&str], env: &[(String, String)]) -> String {
    let uit = Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    assert!(
        uit.status.success(),
        "ketenregie {args:?}: {}",
        String::from_utf8_lossy(&uit.stderr)
    );
    String::from_utf8(uit.stdout).unwrap()
}

struct Proces(std::process::Child);
impl Drop for Proces {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `--version` names the build profile (what the benchmark scripts check before they
/// call a figure a release figure); the binary is built with the tests' own profile.
#[test]
fn versie_noemt_het_bouwprofiel() {
    let uit = ketenregie(&["--version"], &[]);
    let profiel = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    assert_eq!(
        uit.trim(),
        format!("ketenregie {} ({profiel} build)", env!("CARGO_PKG_VERSION"))
    );
}

#[actix_web::test]
async fn production_start_as_deploy_describes() {
    let dir = common::temp_dir();
    // 1. The keys, by the documented command: environment lines.
    let sleutels = ketenregie(&["sleutels", "genereer"], &[]);
    let mut env: Vec<(String, String)> = sleutels
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').expect("KEY=value lines");
            (k.to_string(), v.to_string())
        })
        .collect();
    assert_eq!(env.len(), 2, "{sleutels}");
    // 2. The JWKS, by the documented command, from the identity provider's key.
    let jwks = ketenregie(
        &[
            "sleutels",
            "jwks",
            "--pem",
            &pad("tests/fixtures/test-rsa.pub.pem"),
            "--kid",
            "test-rs256",
        ],
        &[],
    );
    assert!(jwks.contains("\"n\""), "{jwks}");
    let jwks_pad = dir.join("jwks.json");
    std::fs::write(&jwks_pad, jwks).unwrap();
    // 3. The example configuration, with what compose.yaml sets in the environment (the
    //    database URL; the jwks file path is the mounted one there, a temp file here; no
    //    mail sink here, so no mail).
    let poort = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db_url = match common::pg_url() {
        Some(base) => common::pg_schema(&base).1,
        None => format!("sqlite://{}", dir.join("ketenregie.db").display()),
    };
    env.extend(
        [
            ("KETENREGIE_CONFIG", pad("deploy/ketenregie.example.toml")),
            ("KETENREGIE_DATABASE__URL", db_url),
            ("KETENREGIE_AUTH__JWKS_FILE", jwks_pad.display().to_string()),
            ("KETENREGIE_SERVER__BIND", format!("127.0.0.1:{poort}")),
            ("KETENREGIE_EMAIL__TRANSPORT", "none".to_string()),
        ]
        .map(|(k, v)| (k.to_string(), v)),
    );
    // 4. check-config passes, as the systemd unit runs it before every start.
    let getoond = ketenregie(&["check-config"], &env);
    assert!(getoond.contains("mode = \"production\""), "{getoond}");
    assert!(!getoond.contains(&env[0].1), "a key is never printed");
    // 5. Serve, and wait for readiness.
    let _proces = Proces(
        Command::new(BIN)
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{poort}");
    let client = reqwest::Client::new();
    let start = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/health/ready")).send().await
            && r.status() == 200
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the production instance did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // 6. An authenticated call with a token of the identity provider the configuration
    //    names (issuer and audience from the example file).
    let mut claims = common::claims("ketenregie-platform", &["platformbeheerder"]);
    claims.iss = "https://login.example.nl/realms/ketenregie".into();
    claims.aud = "ketenregie".into();
    let token = common::rs256(&claims);
    let res = client
        .get(format!("{base}/api/v1/organisaties"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // And a token of another issuer is refused.
    let res = client
        .get(format!("{base}/api/v1/organisaties"))
        .bearer_auth(common::rs256(&common::claims(
            "ketenregie-platform",
            &["platformbeheerder"],
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let _ = std::fs::remove_dir_all(&dir);
}
