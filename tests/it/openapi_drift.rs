//! The committed `openapi/openapi.json` is exactly what the code generates. When this
//! fails, run `cargo run -- openapi > openapi/openapi.json` and review the diff.

#[test]
fn committed_document_matches_code() {
    let path = format!("{}/openapi/openapi.json", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).expect("openapi/openapi.json exists");
    let generated = ketenregie_api::openapi::document_text();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json`"
    );
}
