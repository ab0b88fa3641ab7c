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

/// Every list's `cursor` parameter says what the server does with a cursor it did not
/// issue: a 422 naming `cursor` (`store::venster`, `cursorlijsten::vervalste_cursors`).
/// Three lists said 400 (outside test, 2 Dec 2026).
#[test]
fn cursor_beschrijving_zegt_422() {
    let doc: serde_json::Value =
        serde_json::from_str(&ketenregie_api::openapi::document_text()).unwrap();
    let mut gezien = 0;
    for (pad, item) in doc["paths"].as_object().unwrap() {
        for (methode, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "cursor" {
                    gezien += 1;
                    let d = p["description"].as_str().unwrap_or_default();
                    assert!(
                        d.contains("422 naming `cursor`") && !d.contains("400"),
                        "{methode} {pad}: {d}"
                    );
                }
            }
        }
    }
    assert!(gezien >= 10, "{gezien} lists with a cursor");
}
