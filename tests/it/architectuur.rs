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

/// Every `.rs` file under `crates/` and `src/`, with its text.
fn bronnen() -> Vec<(String, String)> {
    fn loop_door(dir: &std::path::Path, uit: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                loop_door(&p, uit);
            } else if p.extension().is_some_and(|x| x == "rs") {
                uit.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut uit = Vec::new();
    loop_door(&root.join("crates"), &mut uit);
    loop_door(&root.join("src"), &mut uit);
    uit
}

/// The fields of every type that derives `Deserialize` whose type holds `Uuid` and that
/// are not read by `ids::strikt` (`file: Type.field`).
fn losse_uuid_velden(bron: &str) -> Vec<String> {
    let mut uit = Vec::new();
    let mut rest = bron;
    while let Some(i) = rest.find("#[derive(") {
        let na = &rest[i..];
        let eind = na.find(")]").unwrap_or(na.len());
        let derive = &na[..eind];
        rest = &na[eind.min(na.len())..];
        if !derive.contains("Deserialize") {
            continue;
        }
        let Some(s) = rest.find("struct ") else { break };
        let Some(open) = rest[s..].find('{') else {
            break;
        };
        // Not a struct with named fields close by (an enum, a tuple struct): skip.
        if rest[s..s + open].contains(';') || rest[..s].contains("enum ") {
            continue;
        }
        let naam = rest[s + 7..s + open]
            .split_whitespace()
            .next()
            .unwrap_or("");
        let lichaam = &rest[s + open + 1..];
        let mut diepte = 1;
        let sluit = lichaam
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '{' => diepte += 1,
                    '}' => diepte -= 1,
                    _ => {}
                }
                diepte == 0
            })
            .map_or(lichaam.len(), |(j, _)| j);
        let mut attributen = String::new();
        for regel in lichaam[..sluit].lines().map(str::trim) {
            if regel.starts_with("#[") || regel.starts_with("///") {
                attributen.push_str(regel);
            } else if let Some((veld, ty)) = regel.split_once(':') {
                if ty.contains("Uuid") && !attributen.contains("ids::strikt") {
                    uit.push(format!("{naam}.{}", veld.trim_start_matches("pub ").trim()));
                }
                attributen.clear();
            }
        }
    }
    uit
}

/// `UUID_CANONIEK`: no input reads a UUID with the `uuid` crate's lenient parser (which
/// takes the forms without hyphens, in braces and as a URN): no `web::Path<Uuid>` (take
/// `api::pad::PadId`), and every `Uuid` field of a type serde reads goes through
/// `ketenregie_common::ids::strikt`.
#[test]
fn uuid_alleen_strikt_gelezen() {
    let mut fout = Vec::new();
    for (pad, bron) in bronnen() {
        if bron.contains("web::Path<Uuid>") || bron.contains("web::Path<uuid::Uuid>") {
            fout.push(format!("{pad}: web::Path<Uuid>"));
        }
        for v in losse_uuid_velden(&bron) {
            fout.push(format!("{pad}: {v}"));
        }
    }
    assert!(fout.is_empty(), "UUIDs read leniently: {fout:#?}");
}

/// The scan finds a field that reads leniently, and passes one that reads strictly.
#[test]
fn losse_uuid_velden_worden_gevonden() {
    let bron = r#"
        #[derive(Debug, Deserialize, ToSchema)]
        pub struct A {
            /// The person.
            #[serde(default, deserialize_with = "ketenregie_common::ids::strikt")]
            pub persoon: Option<Uuid>,
            pub gezin: Option<Uuid>,
            pub naam: String,
        }
        #[derive(Debug, Serialize)]
        pub struct B { pub id: Uuid }
    "#;
    assert_eq!(losse_uuid_velden(bron), ["A.gezin"]);
}
