use super::*;

#[test]
fn defaults_serve_sqlite_in_development() {
    let c = Config::from_toml("").unwrap();
    assert!(c.is_development());
    assert_eq!(c.server.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(c.database_url().unwrap().masked(), "sqlite://ketenregie.db");
}

#[test]
fn unknown_key_is_named() {
    let e = Config::from_toml("[server]\nbindd = \"x\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("bindd"), "{e}");
}

#[test]
fn invalid_value_is_named() {
    let e = Config::from_toml("[database]\nurl = \"mysql://x\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("database.url"), "{e}");
    let e = Config::from_toml("[server]\nbind = \"nope\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("bind"), "{e}");
    let e = Config::from_toml("[auth]\nalgorithms = [\"HS256\"]")
        .unwrap_err()
        .to_string();
    assert!(e.contains("auth.algorithms"), "{e}");
}

#[test]
fn production_needs_real_identity_provider() {
    let e = Config::from_toml("mode = \"production\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("auth.jwks_file"), "{e}");
}

#[test]
fn production_needs_pseudonym_key() {
    let e = Config::from_toml(
        "mode = \"production\"\n[auth]\njwks_file = \"x\"\nissuer = \"https://idp\"",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("privacy.pseudonym_key"), "{e}");
}

#[test]
fn notification_settings_checked_and_masked() {
    let e = Config::from_toml("[email]\ntransport = \"duif\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("transport"), "{e}");
    let e = Config::from_toml("[dispatcher]\nmax_attempts = 0")
        .unwrap_err()
        .to_string();
    assert!(e.contains("dispatcher.max_attempts"), "{e}");
    let e = Config::from_toml("[dispatcher]\nparallel_sends = 0")
        .unwrap_err()
        .to_string();
    assert!(e.contains("dispatcher.parallel_sends"), "{e}");
    // A lease shorter than a send could last would take a running send for a crashed one.
    let e = Config::from_toml("[dispatcher]\nlease_seconds = 10\n[webhooks]\ntimeout_seconds = 10")
        .unwrap_err()
        .to_string();
    assert!(e.contains("dispatcher.lease_seconds"), "{e}");
    assert!(
        Config::from_toml("[dispatcher]\nlease_seconds = 11\n[email]\ntimeout_seconds = 10")
            .is_ok()
    );
    let e = Config::from_toml("[email]\nfrom = \"geen adres\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("email.from"), "{e}");
    let c = Config::from_toml("[email]\nsmtp_password = \"zeergeheim\"").unwrap();
    let shown = format!("{} {:?}", c.masked_toml(), c);
    assert!(!shown.contains("zeergeheim"), "{shown}");
    assert!(Config::from_toml(&c.masked_toml().replace("\"***\"", "\"x\"")).is_ok());
}

#[test]
fn secrets_masked() {
    let c = Config::from_toml("[database]\nurl = \"postgres://app:geheim@db/k\"").unwrap();
    let c = Config {
        privacy: PrivacyConfig {
            pseudonym_key: "Z2VoZWltZ2VoZWltZ2VoZWlt".into(),
            ..c.privacy
        },
        ..c
    };
    let shown = format!("{} {:?}", c.masked_toml(), c);
    assert!(!shown.contains("Z2VoZWlt"), "{shown}");
    assert!(!shown.contains("geheim"), "{shown}");
}

#[test]
fn oidc_checked_when_on() {
    // Off by default.
    assert!(!Config::from_toml("").unwrap().oidc.aan());
    let e = Config::from_toml("[oidc]\nissuer = \"http://idp.example.nl\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("oidc.issuer"), "{e}");
    let e = Config::from_toml("[oidc]\nissuer = \"https://idp.example.nl\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("oidc.client_id"), "{e}");
    let e = Config::from_toml(
        "[oidc]\nissuer = \"https://idp.example.nl\"\nclient_id = \"w\"\nredirect_uri = \"https://k.example.nl/elders\"",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("oidc.redirect_uri"), "{e}");
    let c = Config::from_toml(
        "[oidc]\nissuer = \"https://idp.example.nl\"\nclient_id = \"w\"\nclient_secret = \"geheim\"\nredirect_uri = \"https://k.example.nl/werkplek/aanmelden/terug\"",
    )
    .unwrap();
    assert!(c.oidc.aan());
    // The secret is never shown, and the shown configuration loads again.
    let shown = format!("{} {:?}", c.masked_toml(), c);
    assert!(!shown.contains("geheim"), "{shown}");
    assert!(Config::from_toml(&c.masked_toml().replace("\"***\"", "\"x\"")).is_ok());
}
