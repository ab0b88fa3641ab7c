//! The crates depend on each other in one direction only (issue 12 point 2, ARCHITECTURE.md
//! "Crates and their order"): a crate may use the crates below it in [`ORDE`], never one
//! above it. What a lower crate needs from a higher one comes through a trait the lower
//! crate defines and `api` wires (`case::briefing::ZorgmeldingBron`,
//! `privacy::inzage::InzageBron`, `privacy::bewaring::Bewaarbron`).
//!
//! Read from `cargo metadata`, so a new edge in any `Cargo.toml` (normal, build or dev
//! dependency) is checked the moment it is written.

use serde_json::Value;
use std::collections::BTreeMap;

/// Top to bottom. The binary `ketenregie` sits above everything.
const ORDE: &[&str] = &[
    "ketenregie",
    "ketenregie-api",
    "ketenregie-feedback",
    "ketenregie-referral",
    "ketenregie-case",
    "ketenregie-privacy",
    "ketenregie-store",
    "ketenregie-common",
];

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let uit = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        uit.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&uit.stderr)
    );
    serde_json::from_slice(&uit.stdout).expect("cargo metadata is JSON")
}

/// Every edge between workspace crates: (from, to, kind).
fn randen(meta: &Value) -> Vec<(String, String, String)> {
    let mut uit = vec![];
    for pakket in meta["packages"].as_array().unwrap() {
        let van = pakket["name"].as_str().unwrap().to_string();
        for dep in pakket["dependencies"].as_array().unwrap() {
            let naar = dep["name"].as_str().unwrap();
            if naar.starts_with("ketenregie") {
                let soort = dep["kind"].as_str().unwrap_or("normal").to_string();
                uit.push((van.clone(), naar.to_string(), soort));
            }
        }
    }
    uit
}

#[test]
fn afhankelijkheden_wijzen_een_kant_op() {
    let meta = metadata();
    let rang: BTreeMap<&str, usize> = ORDE.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let leden: Vec<String> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    for lid in &leden {
        assert!(
            rang.contains_key(lid.as_str()),
            "crate {lid} is not placed in ORDE (tests/architectuur.rs) nor in ARCHITECTURE.md"
        );
    }
    let randen = randen(&meta);
    assert!(
        randen.len() >= ORDE.len() - 1,
        "too few edges read: {randen:?}"
    );
    let fout = tegen_de_orde(&randen);
    assert!(
        fout.is_empty(),
        "dependencies against the order {ORDE:?}: {fout:?}"
    );
}

/// The edges that point up or sideways in [`ORDE`].
fn tegen_de_orde(randen: &[(String, String, String)]) -> Vec<String> {
    let rang: BTreeMap<&str, usize> = ORDE.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    randen
        .iter()
        .filter(|(van, naar, _)| rang[van.as_str()] >= rang[naar.as_str()])
        .map(|(van, naar, soort)| format!("{van} -> {naar} ({soort})"))
        .collect()
}

/// The check itself can fail: an edge upwards (the one issue 12 removed) is reported.
#[test]
fn een_rand_omhoog_wordt_gevonden() {
    let rand = |van: &str, naar: &str| (van.to_string(), naar.to_string(), "normal".to_string());
    let fout = tegen_de_orde(&[
        rand("ketenregie-referral", "ketenregie-case"),
        rand("ketenregie-case", "ketenregie-referral"),
    ]);
    assert_eq!(
        fout,
        vec!["ketenregie-case -> ketenregie-referral (normal)"]
    );
}
