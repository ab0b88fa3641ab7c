//! Lists whose cost does not grow with history (issue 17 point 5): the inbox pages by
//! cursor (keyset) — 250 meldingen paged forward and back give each exactly once, in
//! order; meldingen arriving meanwhile shift no page; the count is capped at 1,000 and
//! says so; a cursor the list did not issue is a 422 naming `cursor` (400 when it breaks
//! the documented pattern or length).

use crate::common;
use crate::zorgmeldingen::{app, concept, indienen};

use base64::Engine;
use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

const KOLOMMEN: &str = "id, groep_id, bovenliggend_id, afzender, ontvanger, meldingstatus, taakstatus, \
    bedrijfsstatus, acuut, gemeenten, inhoud, vertrouwelijkheid, versie, aangemaakt_door, aangemaakt_op, \
    ingediend_op, gewijzigd_op";

/// A fixed id per copy number (ids sort as the numbers do).
fn kopie_id(reeks: u32, i: u32) -> String {
    format!("00000000-0000-4000-{reeks:04}-{i:012}")
}

/// Copies of melding `bron` in the same inbox, straight into the table (filing 1,000
/// meldingen through the API would make the test slow): copy `i` gets id `kopie_id(reeks,
/// i)` and the change time `basis` plus `i / 2` seconds, so pairs share a time and the id
/// decides their order.
fn kopieer(app: &TestApp, bron: &str, reeks: u32, aantal: u32, basis: &str) {
    kopieer_als(app, bron, reeks, aantal, basis, "afzender, ontvanger");
}

/// As `kopieer`, with the copies' `afzender, ontvanger` given as SQL (`'a', 'b'`).
fn kopieer_als(app: &TestApp, bron: &str, reeks: u32, aantal: u32, basis: &str, partijen: &str) {
    let mut sql = String::from("BEGIN;\n");
    for i in 0..aantal {
        let tijd = chrono::NaiveDateTime::parse_from_str(basis, "%Y-%m-%d %H:%M:%S").unwrap()
            + chrono::Duration::seconds(i64::from(i / 2));
        let tijd = tijd.format("%Y-%m-%d %H:%M:%S");
        sql.push_str(&format!(
            "INSERT INTO zorgmeldingen ({KOLOMMEN}) SELECT '{id}', groep_id, bovenliggend_id, {partijen}, \
             meldingstatus, taakstatus, bedrijfsstatus, acuut, gemeenten, inhoud, vertrouwelijkheid, versie, \
             aangemaakt_door, aangemaakt_op, ingediend_op, '{tijd}' FROM zorgmeldingen WHERE id = '{bron}';\n",
            id = kopie_id(reeks, i),
        ));
    }
    sql.push_str("COMMIT;");
    app.sql(&sql);
}

async fn pagina(app: &TestApp, token: &str, pad: &str) -> Value {
    let res = app.get(pad, token).await;
    assert_eq!(res.status(), 200, "{pad}");
    res.json().await.unwrap()
}

fn ids(p: &Value) -> Vec<String> {
    p["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

/// One melding filed through the API and routed to vt-haaglanden; its id.
pub(crate) async fn gerouteerd(app: &TestApp) -> String {
    let id = concept(app, &["0518"]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = indienen(app, &id).await;
    assert_eq!(r["meldingen"][0]["ontvanger"], "vt-haaglanden", "{r}");
    id
}

async fn door_de_inbox_heen_en_terug(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let eerste = gerouteerd(&app).await;
    kopieer(&app, &eerste, 1, 249, "2026-01-05 10:00:00");
    // The inbox order: last changed first, then id; the filed one is the newest.
    let mut verwacht = vec![eerste.clone()];
    verwacht.extend((0..249).rev().map(|i| kopie_id(1, i)));

    // Forward, following `next`.
    let mut gezien = Vec::new();
    let mut pad = "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=20".to_string();
    let mut paginas = Vec::new();
    loop {
        let p = pagina(&app, &vt, &pad).await;
        assert_eq!(p["count"], 250, "{}", p["count"]);
        assert_eq!(p["countIsExact"], true);
        if paginas.is_empty() {
            assert!(p["previous"].is_null());
        } else {
            assert!(p["previous"].as_str().unwrap().contains("cursor="));
        }
        gezien.extend(ids(&p));
        paginas.push(ids(&p));
        match p["next"].as_str() {
            Some(n) => {
                assert!(
                    n.contains("richting=ontvangen") && n.contains("pageSize=20"),
                    "{n}"
                );
                pad = n.to_string();
            }
            None => break,
        }
    }
    assert_eq!(paginas.len(), 13);
    assert_eq!(gezien, verwacht, "forward: each once, in order");

    // Back from the last page, following `previous`: the same pages, in reverse.
    let mut terug = Vec::new();
    let laatste = pagina(&app, &vt, &pad).await;
    let mut vorige = laatste["previous"].as_str().map(str::to_string);
    terug.push(ids(&laatste));
    while let Some(v) = vorige {
        let p = pagina(&app, &vt, &v).await;
        assert!(
            p["next"].as_str().is_some(),
            "a page read backward has a next page"
        );
        terug.push(ids(&p));
        vorige = p["previous"].as_str().map(str::to_string);
    }
    terug.reverse();
    assert_eq!(terug, paginas, "backward: the same pages");

    // `page` still jumps from the start; with `cursor` it is refused.
    let derde = pagina(
        &app,
        &vt,
        "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=20&page=3",
    )
    .await;
    assert_eq!(ids(&derde), paginas[2]);
    let volgende = derde["next"].as_str().unwrap();
    assert_eq!(ids(&pagina(&app, &vt, volgende).await), paginas[3]);

    // The police's outbox pages the same way (on the afzender index).
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let p = pagina(
        &app,
        &agent,
        "/api/v1/zorgmeldingen?richting=verzonden&pageSize=100",
    )
    .await;
    let tweede = pagina(&app, &agent, p["next"].as_str().unwrap()).await;
    assert_eq!(ids(&tweede), verwacht[100..200]);
}

async fn nieuwe_meldingen_verschuiven_geen_pagina(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let eerste = gerouteerd(&app).await;
    kopieer(&app, &eerste, 1, 99, "2026-01-05 10:00:00");
    let p1 = pagina(
        &app,
        &vt,
        "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=30",
    )
    .await;
    let volgende = p1["next"].as_str().unwrap().to_string();
    let p2_voor = ids(&pagina(&app, &vt, &volgende).await);
    // New meldingen arrive (one through the API, five newer copies).
    let nieuw = gerouteerd(&app).await;
    kopieer(&app, &eerste, 2, 5, "2099-01-01 00:00:00");
    let p2_na = pagina(&app, &vt, &volgende).await;
    assert_eq!(ids(&p2_na), p2_voor, "the second page did not shift");
    assert_eq!(p2_na["count"], 106);
    // They are at the front, before the first page: its `previous` finds them.
    let terug = pagina(&app, &vt, p2_na["previous"].as_str().unwrap()).await;
    assert_eq!(ids(&terug), ids(&p1));
    let voor = pagina(&app, &vt, terug["previous"].as_str().unwrap()).await;
    let voor = ids(&voor);
    assert_eq!(voor.len(), 6);
    assert!(voor.contains(&nieuw));
    assert!(voor.contains(&kopie_id(2, 4)));
}

async fn telling_begrensd_en_slechte_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let eerste = gerouteerd(&app).await;
    kopieer(&app, &eerste, 1, 1000, "2026-01-05 10:00:00");
    let p = pagina(&app, &vt, "/api/v1/zorgmeldingen?richting=ontvangen").await;
    assert_eq!(p["count"], 1000, "capped");
    assert_eq!(p["countIsExact"], false, "labelled");
    assert_eq!(p["results"].as_array().unwrap().len(), 20);
    // A filter under the cap counts exactly.
    let open = pagina(
        &app,
        &vt,
        "/api/v1/zorgmeldingen?richting=ontvangen&gewijzigdSinds=2026-01-05T10:07:00Z",
    )
    .await;
    assert_eq!(open["count"], 159, "{}", open["count"]);
    assert_eq!(open["countIsExact"], true);
    let leeg = pagina(
        &app,
        &app.token("vt-utrecht", &["triagist"]),
        "/api/v1/zorgmeldingen?richting=ontvangen",
    )
    .await;
    assert_eq!(
        (leeg["count"].clone(), leeg["countIsExact"].clone()),
        (json!(0), json!(true))
    );

    let b64 = |v: Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap())
    };
    // Each bad cursor with the status it earns: outside the documented pattern or length a
    // 400 (the schema says so), of the documented shape but not issued by this list a 422.
    let slecht = [
        ("nietbase64!".to_string(), 400),
        ("AAAA".to_string(), 422),
        (
            b64(
                json!({"l": "organisaties", "a": false, "k": ["2026-01-05T10:00:00", "00000000-0000-4000-0001-000000000001"]}),
            ),
            422,
        ),
        (
            b64(json!({"l": "zorgmeldingen", "a": false, "k": ["gisteren", "x"]})),
            422,
        ),
        (
            b64(json!({"l": "zorgmeldingen", "a": false, "k": ["2026-01-05T10:00:00"]})),
            422,
        ),
        ("A".repeat(600), 400),
    ];
    for (c, status) in slecht {
        let res = app
            .get(
                &format!("/api/v1/zorgmeldingen?richting=ontvangen&cursor={c}"),
                &vt,
            )
            .await;
        let p = assert_problem(res, status).await;
        assert_eq!(p["invalidParams"][0]["name"], "cursor", "{p}");
    }
    // A good cursor with `page` too.
    let volgende = p["next"].as_str().unwrap();
    let res = app.get(&format!("{volgende}&page=2"), &vt).await;
    let p = assert_problem(res, 422).await;
    assert_eq!(p["invalidParams"][0]["name"], "cursor", "{p}");
}

/// The notifications (`/berichten`) page by cursor the same way: five meldingen routed to
/// Veilig Thuis give it five notifications, read two at a time forward and back.
async fn berichten_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    for _ in 0..5 {
        gerouteerd(&app).await;
    }
    let mut pad = "/api/v1/berichten?pageSize=2".to_string();
    let mut paginas = Vec::new();
    loop {
        let p = pagina(&app, &vt, &pad).await;
        assert_eq!(
            (p["count"].clone(), p["countIsExact"].clone()),
            (json!(5), json!(true))
        );
        paginas.push(ids(&p));
        match p["next"].as_str() {
            Some(n) => pad = n.to_string(),
            None => break,
        }
    }
    assert_eq!(
        paginas.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![2, 2, 1]
    );
    let alle: Vec<String> = paginas.concat();
    let mut uniek = alle.clone();
    uniek.sort();
    uniek.dedup();
    assert_eq!(uniek.len(), 5);
    let laatste = pagina(&app, &vt, &pad).await;
    let terug = pagina(&app, &vt, laatste["previous"].as_str().unwrap()).await;
    assert_eq!(ids(&terug), paginas[1]);
    // A cursor of the inbox is not one of this list.
    let inbox = pagina(
        &app,
        &vt,
        "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=1",
    )
    .await;
    let vreemd = inbox["next"]
        .as_str()
        .unwrap()
        .split("cursor=")
        .nth(1)
        .unwrap();
    let res = app
        .get(&format!("/api/v1/berichten?cursor={vreemd}"), &vt)
        .await;
    let p = assert_problem(res, 422).await;
    assert_eq!(p["invalidParams"][0]["name"], "cursor", "{p}");
}

/// Without `richting` an organisation sees what it received and what it sent (hand-over
/// tasks): both sides read on their own index and merged, in one order, forward and back.
async fn beide_richtingen(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let eerste = gerouteerd(&app).await;
    kopieer(&app, &eerste, 1, 40, "2026-01-05 10:00:00");
    // Hand-over tasks from vt-haaglanden, their times between the received ones.
    kopieer_als(
        &app,
        &eerste,
        2,
        30,
        "2026-01-05 10:00:01",
        "'vt-haaglanden', 'wijkteam-den-haag'",
    );
    let mut alle: Vec<(u32, String)> = (0..40)
        .map(|i| (i / 2, kopie_id(1, i)))
        .chain((0..30).map(|i| (1 + i / 2, kopie_id(2, i))))
        .collect();
    alle.sort_by(|a, b| b.cmp(a));
    let mut verwacht = vec![eerste];
    verwacht.extend(alle.into_iter().map(|(_, id)| id));
    let mut pad = "/api/v1/zorgmeldingen?pageSize=7".to_string();
    let mut paginas = Vec::new();
    loop {
        let p = pagina(&app, &vt, &pad).await;
        assert_eq!(p["count"], 71);
        paginas.push(ids(&p));
        match p["next"].as_str() {
            Some(n) => pad = n.to_string(),
            None => break,
        }
    }
    assert_eq!(paginas.concat(), verwacht);
    let mut terug = vec![paginas.last().unwrap().clone()];
    let mut vorige = pagina(&app, &vt, &pad).await["previous"]
        .as_str()
        .map(str::to_string);
    while let Some(v) = vorige {
        let p = pagina(&app, &vt, &v).await;
        terug.push(ids(&p));
        vorige = p["previous"].as_str().map(str::to_string);
    }
    terug.reverse();
    assert_eq!(terug, paginas);
    let derde = pagina(&app, &vt, "/api/v1/zorgmeldingen?pageSize=7&page=3").await;
    assert_eq!(ids(&derde), paginas[2]);
}

op_beide_backends!(
    beide_richtingen,
    berichten_per_cursor,
    door_de_inbox_heen_en_terug,
    nieuwe_meldingen_verschuiven_geen_pagina,
    telling_begrensd_en_slechte_cursor,
);
