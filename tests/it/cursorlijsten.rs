//! Every list pages by cursor (issue 17 point 5, "the same for every list route"): the
//! work queues (open feedback duties `GET /termijnen`, dead letters `GET /dode-berichten`)
//! and the registers page as the inbox does (`lijsten.rs`). Per route: forward and back
//! across pages gives each row once, in order, and the same pages back; a row added while
//! paging shifts no page; `page` jumps from the start and not with `cursor`; a cursor the
//! list did not issue is a 422 naming `cursor` (400 outside the documented pattern).

use crate::common;
use crate::lijsten::gerouteerd;
use crate::zorgmeldingen::app;

use common::{Db, TestApp, assert_problem};
use serde_json::{Value, json};

/// A fixed id per row number (ids sort as the numbers do).
fn rij_id(reeks: u32, i: u32) -> String {
    format!("00000000-0000-4000-{reeks:04}-{i:012}")
}

/// A time `basis` plus `seconden`, as SQL text.
fn tijd(basis: &str, seconden: i64) -> String {
    (chrono::NaiveDateTime::parse_from_str(basis, "%Y-%m-%d %H:%M:%S").unwrap()
        + chrono::Duration::seconds(seconden))
    .format("%Y-%m-%d %H:%M:%S")
    .to_string()
}

async fn pagina(app: &TestApp, token: &str, pad: &str) -> Value {
    let res = app.get(pad, token).await;
    assert_eq!(res.status(), 200, "{pad}");
    res.json().await.unwrap()
}

/// The rows of a page, each named by `naam`.
fn namen(p: &Value, naam: &dyn Fn(&Value) -> String) -> Vec<String> {
    p["results"].as_array().unwrap().iter().map(naam).collect()
}

/// Page list `start` forward following `next` and back following `previous`: the pages
/// back are the pages forward; the first has no `previous`, the later ones a cursor.
/// Returns the pages forward and the path of the last.
async fn heen_en_terug(
    app: &TestApp,
    token: &str,
    start: &str,
    naam: &dyn Fn(&Value) -> String,
) -> (Vec<Vec<String>>, String) {
    let mut paginas = Vec::new();
    let mut pad = start.to_string();
    loop {
        let p = pagina(app, token, &pad).await;
        if paginas.is_empty() {
            assert!(p["previous"].is_null(), "{p}");
        } else {
            assert!(p["previous"].as_str().unwrap().contains("cursor="), "{p}");
        }
        paginas.push(namen(&p, naam));
        match p["next"].as_str() {
            Some(n) => {
                assert!(n.contains("cursor=") && !n.contains("page="), "{n}");
                pad = n.to_string();
            }
            None => break,
        }
    }
    let mut terug = vec![paginas.last().unwrap().clone()];
    let mut vorige = pagina(app, token, &pad).await["previous"]
        .as_str()
        .map(str::to_string);
    while let Some(v) = vorige {
        let p = pagina(app, token, &v).await;
        assert!(p["next"].as_str().is_some(), "a page read back has a next");
        terug.push(namen(&p, naam));
        vorige = p["previous"].as_str().map(str::to_string);
    }
    terug.reverse();
    assert_eq!(terug, paginas, "back: the same pages");
    (paginas, pad)
}

/// The cursor a `next` link carries.
fn cursor_van(link: &str) -> String {
    link.split("cursor=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string()
}

/// The refusals every cursor list gives at `basis` (a path with a query): outside the
/// documented pattern or length a 400, another list's cursor (`vreemd`) or a token of the
/// right shape that is no cursor a 422, a good cursor (`goed`) with `page` a 422; each
/// naming `cursor`.
async fn slechte_cursors(app: &TestApp, token: &str, basis: &str, vreemd: &str, goed: &str) {
    let slecht = [
        ("nietbase64!".to_string(), 400),
        ("A".repeat(600), 400),
        ("AAAA".to_string(), 422),
        (vreemd.to_string(), 422),
        (format!("{goed}&page=2"), 422),
    ];
    for (c, status) in slecht {
        let res = app.get(&format!("{basis}&cursor={c}"), token).await;
        let p = assert_problem(res, status).await;
        assert_eq!(p["invalidParams"][0]["name"], "cursor", "{c}: {p}");
    }
}

/// Another list's cursor: one of the inbox's shape (`zorgmeldingen`, a time and an id).
fn vreemde_cursor() -> String {
    use base64::Engine;
    let vorm =
        json!({"l": "zorgmeldingen", "a": false, "k": ["2026-01-05T10:00:00", rij_id(1, 1)]});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&vorm).unwrap())
}

/// Open feedback duties owed by vt-haaglanden, straight into the table: row `i` due at
/// `basis` plus `i / 2` minutes (pairs share a time, the id decides), the moment
/// alternating so that (due time, moment) names a row in the answer.
fn termijnen(app: &TestApp, melding: &str, reeks: u32, aantal: u32, basis: &str) {
    let mut sql = String::from("BEGIN;\n");
    for i in 0..aantal {
        let moment = if i % 2 == 0 {
            "tussentijds"
        } else {
            "na-onderzoek"
        };
        sql.push_str(&format!(
            "INSERT INTO termijnen (id, zorgmelding_id, afzender, ontvanger, moment, verschuldigd_op, bron, aangemaakt_op, herinneren_vanaf) \
             VALUES ('{id}', '{melding}', 'politie-haaglanden', 'vt-haaglanden', '{moment}', '{due}', 'test', '{due}', '{due}');\n",
            id = rij_id(reeks, i),
            due = tijd(basis, i64::from(i / 2) * 60),
        ));
    }
    sql.push_str("COMMIT;");
    app.sql(&sql);
}

fn termijn_naam(t: &Value) -> String {
    format!(
        "{} {}",
        t["verschuldigdOp"].as_str().unwrap(),
        t["moment"].as_str().unwrap()
    )
}

async fn termijnen_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let melding = gerouteerd(&app).await;
    // 45 duties due long before the melding's own three (so they lead), and met and
    // lapsed ones that are no longer in the queue.
    termijnen(&app, &melding, 1, 45, "2026-01-05 10:00:00");
    termijnen(&app, &melding, 2, 10, "2026-01-05 10:00:00");
    app.sql(&format!(
        "UPDATE termijnen SET voldaan_op = '2026-01-01 00:00:00' WHERE id LIKE '{}%';
         UPDATE termijnen SET vervallen_op = '2026-01-01 00:00:00' WHERE id = '{}';",
        &rij_id(2, 0)[..24],
        rij_id(1, 44)
    ));
    let verwacht: Vec<String> = (0..44)
        .map(|i| {
            format!(
                "{}Z {}",
                tijd("2026-01-05 10:00:00", i64::from(i / 2) * 60).replace(' ', "T"),
                if i % 2 == 0 {
                    "tussentijds"
                } else {
                    "na-onderzoek"
                }
            )
        })
        .collect();
    let start = "/api/v1/termijnen?pageSize=10";
    let eerste = pagina(&app, &vt, start).await;
    assert_eq!(
        (eerste["count"].clone(), eerste["countIsExact"].clone()),
        (json!(47), json!(true)),
        "44 open duties and the melding's three"
    );
    let (paginas, _) = heen_en_terug(&app, &vt, start, &termijn_naam).await;
    assert_eq!(paginas.len(), 5);
    let alle = paginas.concat();
    assert_eq!(alle.len(), 47);
    assert_eq!(alle[..44], verwacht[..], "earliest due first, each once");

    // A duty added while paging (due before all) shifts no page: it is before the first.
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    let tweede = namen(&pagina(&app, &vt, &tweede_pad).await, &termijn_naam);
    termijnen(&app, &melding, 3, 1, "2025-06-01 00:00:00");
    let na = pagina(&app, &vt, &tweede_pad).await;
    assert_eq!(
        namen(&na, &termijn_naam),
        tweede,
        "the second page did not shift"
    );
    assert_eq!(na["count"], 48);
    let terug = pagina(&app, &vt, na["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&terug, &termijn_naam), paginas[0]);
    let voor = pagina(&app, &vt, terug["previous"].as_str().unwrap()).await;
    assert_eq!(
        namen(&voor, &termijn_naam),
        vec!["2025-06-01T00:00:00Z tussentijds".to_string()]
    );

    // `page` jumps from the start; the sender's side pages on its own index.
    let derde = pagina(&app, &vt, "/api/v1/termijnen?pageSize=10&page=3").await;
    assert_eq!(derde["results"].as_array().unwrap().len(), 10);
    let agent = app.token("politie-haaglanden", &["wijkagent"]);
    let (tegoed, _) = heen_en_terug(
        &app,
        &agent,
        "/api/v1/termijnen?richting=verzonden&pageSize=20",
        &termijn_naam,
    )
    .await;
    assert_eq!(tegoed.concat().len(), 48);

    // The count is bounded: above 1,000 open duties it says "more than 1,000".
    termijnen(&app, &melding, 4, 1000, "2027-01-01 00:00:00");
    let veel = pagina(&app, &vt, start).await;
    assert_eq!(
        (veel["count"].clone(), veel["countIsExact"].clone()),
        (json!(1000), json!(false))
    );

    let goed = cursor_van(&tweede_pad);
    let vreemd = vreemde_cursor();
    slechte_cursors(&app, &vt, "/api/v1/termijnen?pageSize=10", &vreemd, &goed).await;
}

/// Dead letters straight into the tables: one event per delivery of `organisatie`,
/// delivery `i` created at `basis` plus `i / 2` seconds with `status`.
fn bezorgingen(
    app: &TestApp,
    organisatie: &str,
    reeks: u32,
    aantal: u32,
    basis: &str,
    status: &str,
) {
    let mut sql = String::from("BEGIN;\n");
    for i in 0..aantal {
        let id = rij_id(reeks, i);
        let t = tijd(basis, i64::from(i / 2));
        sql.push_str(&format!(
            "INSERT INTO outbox (id, soort, organisatie, onderwerp, dataref, status, pogingen, volgende_poging_op, aangemaakt_op) \
             VALUES ('{id}', 'nl.ketenregie.zorgmeldingen.status-gewijzigd', '{organisatie}', 'x', '/x', 'dood', 1, '{t}', '{t}');\n\
             INSERT INTO bezorgingen (id, outbox_id, kanaal, status, pogingen, volgende_poging_op, laatste_fout, aangemaakt_op) \
             VALUES ('{id}', '{id}', 'email', '{status}', 5, '{t}', 'test', '{t}');\n"
        ));
    }
    sql.push_str("COMMIT;");
    app.sql(&sql);
}

async fn dode_berichten_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    gerouteerd(&app).await;
    let fb = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    bezorgingen(&app, "vt-haaglanden", 1, 30, "2026-01-05 10:00:00", "dood");
    bezorgingen(
        &app,
        "vt-haaglanden",
        2,
        7,
        "2026-01-05 10:00:00",
        "onzeker",
    );
    // Delivered ones and another organisation's dead ones are not in this queue.
    bezorgingen(
        &app,
        "vt-haaglanden",
        3,
        50,
        "2026-01-05 10:00:00",
        "afgeleverd",
    );
    bezorgingen(
        &app,
        "politie-haaglanden",
        4,
        9,
        "2026-01-05 10:00:00",
        "dood",
    );
    let mut verwacht: Vec<(u32, String)> = (0..30)
        .map(|i| (i / 2, rij_id(1, i)))
        .chain((0..7).map(|i| (i / 2, rij_id(2, i))))
        .collect();
    verwacht.sort_by(|a, b| b.cmp(a));
    let verwacht: Vec<String> = verwacht.into_iter().map(|(_, id)| id).collect();
    let id = |d: &Value| d["id"].as_str().unwrap().to_string();
    let start = "/api/v1/dode-berichten?pageSize=8";
    let eerste = pagina(&app, &fb, start).await;
    assert_eq!(
        (eerste["count"].clone(), eerste["countIsExact"].clone()),
        (json!(37), json!(true))
    );
    let (paginas, _) = heen_en_terug(&app, &fb, start, &id).await;
    assert_eq!(paginas.len(), 5);
    assert_eq!(paginas.concat(), verwacht, "newest first, each once");

    // A delivery dying while paging shifts no page: it is before the first.
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    bezorgingen(&app, "vt-haaglanden", 5, 1, "2030-01-01 00:00:00", "dood");
    let na = pagina(&app, &fb, &tweede_pad).await;
    assert_eq!(namen(&na, &id), paginas[1], "the second page did not shift");
    assert_eq!(na["count"], 38);
    let terug = pagina(&app, &fb, na["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&terug, &id), paginas[0]);
    let voor = pagina(&app, &fb, terug["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&voor, &id), vec![rij_id(5, 0)]);

    // `page` jumps from the start; the platform admin pages over every organisation's.
    let derde = pagina(&app, &fb, "/api/v1/dode-berichten?pageSize=8&page=3").await;
    assert_eq!(namen(&derde, &id), verwacht[15..23]);
    let platform = app.token("ketenregie-platform", &["platformbeheerder"]);
    let (alle, _) = heen_en_terug(&app, &platform, "/api/v1/dode-berichten?pageSize=10", &id).await;
    assert_eq!(alle.concat().len(), 47);

    let goed = cursor_van(&tweede_pad);
    let vreemd = vreemde_cursor();
    slechte_cursors(
        &app,
        &fb,
        "/api/v1/dode-berichten?pageSize=8",
        &vreemd,
        &goed,
    )
    .await;
}

/// The partner register pages by id (UUIDv7, oldest first) on its primary key: 25
/// organisations (and the platform's) forward and back; one registered while paging is
/// after the last, so it shifts no page; a filter pages the same way.
async fn organisaties_per_cursor(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    for i in 0..25 {
        app.organisatie(&format!("wijkteam-{i:02}"), "wijkteam", &["0518"])
            .await;
    }
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let code = |o: &Value| o["code"].as_str().unwrap().to_string();
    let start = "/api/v1/organisaties?pageSize=7";
    let eerste = pagina(&app, &admin, start).await;
    let n = eerste["count"].as_i64().unwrap();
    assert!(n >= 25, "{eerste}");
    let (paginas, laatste) = heen_en_terug(&app, &admin, start, &code).await;
    let alle = paginas.concat();
    assert_eq!(alle.len() as i64, n);
    let wijkteams: Vec<String> = alle
        .iter()
        .filter(|c| c.starts_with("wijkteam-"))
        .cloned()
        .collect();
    assert_eq!(
        wijkteams,
        (0..25)
            .map(|i| format!("wijkteam-{i:02}"))
            .collect::<Vec<_>>(),
        "by id: in order of registration"
    );
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    app.organisatie("wijkteam-nieuw", "wijkteam", &["0518"])
        .await;
    let na = pagina(&app, &admin, &tweede_pad).await;
    assert_eq!(
        namen(&na, &code),
        paginas[1],
        "the second page did not shift"
    );
    assert_eq!(na["count"].as_i64().unwrap(), n + 1);
    // The new one is after the last page read.
    let verder = pagina(&app, &admin, &laatste).await;
    let mut rest = namen(&verder, &code);
    let mut pad = verder["next"].as_str().map(str::to_string);
    while let Some(p) = pad {
        let v = pagina(&app, &admin, &p).await;
        rest.extend(namen(&v, &code));
        pad = v["next"].as_str().map(str::to_string);
    }
    assert_eq!(rest.last().map(String::as_str), Some("wijkteam-nieuw"));
    // A filter pages by cursor too; `page` jumps.
    let (gefilterd, _) = heen_en_terug(
        &app,
        &admin,
        "/api/v1/organisaties?soort=wijkteam&pageSize=10",
        &code,
    )
    .await;
    assert_eq!(gefilterd.concat().len(), 26);
    let derde = pagina(
        &app,
        &admin,
        "/api/v1/organisaties?soort=wijkteam&pageSize=10&page=3",
    )
    .await;
    assert_eq!(namen(&derde, &code), gefilterd[2]);
    let goed = cursor_van(&tweede_pad);
    slechte_cursors(
        &app,
        &admin,
        "/api/v1/organisaties?pageSize=7",
        &vreemde_cursor(),
        &goed,
    )
    .await;
}

/// The contact-point directory pages by id, over all and per organisation (on the index
/// `(organisatie_id, id)`).
async fn contactpunten_per_cursor(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    let wt = app
        .organisatie("wijkteam-oost", "wijkteam", &["0518"])
        .await;
    let id = wt["id"].as_str().unwrap().to_string();
    let beheer = app.token("wijkteam-oost", &["functioneel-beheerder"]);
    for i in 0..13 {
        let res = app
            .post(
                &format!("/api/v1/organisaties/{id}/contactpunten"),
                &beheer,
                &json!({"rol": "spoed", "naam": format!("Punt {i:02}"), "telefoon": "020 123 45 67", "altijdBereikbaar": true}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    let naam = |c: &Value| c["naam"].as_str().unwrap().to_string();
    let start = format!("/api/v1/contactpunten?organisatie={id}&pageSize=4");
    let eerste = pagina(&app, &beheer, &start).await;
    assert_eq!(
        (eerste["count"].clone(), eerste["countIsExact"].clone()),
        (json!(13), json!(true))
    );
    let (paginas, _) = heen_en_terug(&app, &beheer, &start, &naam).await;
    assert_eq!(
        paginas.concat(),
        (0..13).map(|i| format!("Punt {i:02}")).collect::<Vec<_>>()
    );
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/organisaties/{id}/contactpunten"),
        &beheer,
        &json!({"rol": "spoed", "naam": "Punt nieuw", "telefoon": "020 123 45 67", "altijdBereikbaar": true}),
    )
    .await;
    let na = pagina(&app, &beheer, &tweede_pad).await;
    assert_eq!(
        namen(&na, &naam),
        paginas[1],
        "the second page did not shift"
    );
    assert_eq!(na["count"], 14);
    let goed = cursor_van(&tweede_pad);
    slechte_cursors(&app, &beheer, &start, &vreemde_cursor(), &goed).await;
}

/// An organisation's webhook subscriptions page by id on `(organisatie, id)`; another
/// organisation's are not in its list.
async fn abonnementen_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let fb = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let mut sql = String::from("BEGIN;\n");
    for (org, reeks, aantal) in [("vt-haaglanden", 1, 23), ("politie-haaglanden", 2, 5)] {
        for i in 0..aantal {
            sql.push_str(&format!(
                "INSERT INTO abonnementen (id, organisatie, url, kanalen, geheim, aangemaakt_door, aangemaakt_op) \
                 VALUES ('{id}', '{org}', 'https://example.org/{i}', 'termijnen', 'x', 'test', '2026-01-05 10:00:00');\n",
                id = rij_id(reeks, i),
            ));
        }
    }
    sql.push_str("COMMIT;");
    app.sql(&sql);
    let id = |a: &Value| a["id"].as_str().unwrap().to_string();
    let start = "/api/v1/abonnementen?pageSize=5";
    let eerste = pagina(&app, &fb, start).await;
    assert_eq!(eerste["count"], 23);
    let (paginas, _) = heen_en_terug(&app, &fb, start, &id).await;
    assert_eq!(
        paginas.concat(),
        (0..23).map(|i| rij_id(1, i)).collect::<Vec<_>>()
    );
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    app.sql(&format!(
        "INSERT INTO abonnementen (id, organisatie, url, kanalen, geheim, aangemaakt_door, aangemaakt_op) \
         VALUES ('{}', 'vt-haaglanden', 'https://example.org/n', 'termijnen', 'x', 'test', '2026-01-05 10:00:00')",
        rij_id(3, 0)
    ));
    let na = pagina(&app, &fb, &tweede_pad).await;
    assert_eq!(namen(&na, &id), paginas[1], "the second page did not shift");
    assert_eq!(na["count"], 24);
    let derde = pagina(&app, &fb, "/api/v1/abonnementen?pageSize=5&page=3").await;
    assert_eq!(namen(&derde, &id), paginas[2]);
    let goed = cursor_van(&tweede_pad);
    slechte_cursors(&app, &fb, start, &vreemde_cursor(), &goed).await;
}

/// A concept agreement between the police and Veilig Thuis, titled `titel`, made by the
/// police's functional admin; its id.
async fn concept_convenant(app: &TestApp, titel: &str) -> String {
    let beheer = app.token("politie-haaglanden", &["functioneel-beheerder"]);
    let res = app
        .post(
            "/api/v1/convenanten",
            &beheer,
            &json!({
                "titel": titel,
                "partijen": [{"organisatie": "politie-haaglanden", "rol": "melder"}, {"organisatie": "vt-haaglanden", "rol": "ontvanger"}],
                "doelen": ["terugkoppeling"],
                "categorieen": ["hulpverlening"],
                "regels": [{"organisatieSoort": "politie", "rollen": ["wijkagent"], "acties": ["lezen"], "categorieen": ["hulpverlening"], "doel": "terugkoppeling",
                            "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "terugkoppeling aan de melder"}}]
            }),
        )
        .await;
    let status = res.status();
    let c: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_string()
}

/// The agreements naming the caller page by id (UUIDv7), newest first, on the primary
/// key; one made while paging is before the first page, so it shifts no page.
async fn convenanten_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["functioneel-beheerder"]);
    let id = |c: &Value| c["id"].as_str().unwrap().to_string();
    // The agreements the app starts with are older than the ones made here.
    let oud = namen(
        &pagina(&app, &vt, "/api/v1/convenanten?pageSize=100").await,
        &id,
    );
    let mut ids = Vec::new();
    for i in 0..11 {
        ids.push(concept_convenant(&app, &format!("Convenant {i:02}")).await);
    }
    ids.reverse();
    ids.extend(oud);
    let n = ids.len();
    let start = "/api/v1/convenanten?pageSize=3";
    let eerste = pagina(&app, &vt, start).await;
    assert_eq!(eerste["count"], n);
    let (paginas, _) = heen_en_terug(&app, &vt, start, &id).await;
    assert_eq!(paginas.concat(), ids, "newest first, each once");
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    let nieuw = concept_convenant(&app, "Convenant nieuw").await;
    let na = pagina(&app, &vt, &tweede_pad).await;
    assert_eq!(namen(&na, &id), paginas[1], "the second page did not shift");
    assert_eq!(na["count"], n + 1);
    let terug = pagina(&app, &vt, na["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&terug, &id), paginas[0]);
    let voor = pagina(&app, &vt, terug["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&voor, &id), vec![nieuw]);
    let derde = pagina(&app, &vt, "/api/v1/convenanten?pageSize=3&page=3").await;
    assert_eq!(namen(&derde, &id).len(), 3);
    let goed = cursor_van(&tweede_pad);
    slechte_cursors(&app, &vt, start, &vreemde_cursor(), &goed).await;
}

/// An organisation's closed days page by day on the primary key `(organisatie, datum)`,
/// from `vanaf`; a day set while paging before the page read shifts no page.
async fn sluitingsdagen_per_cursor(db: Db) {
    let Some(app) = app(db).await else { return };
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let dag = |i: i64| {
        (chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap() + chrono::Duration::days(2 * i))
            .to_string()
    };
    let mut sql = String::from("BEGIN;\n");
    for i in 0..17 {
        sql.push_str(&format!(
            "INSERT INTO sluitingsdagen (organisatie, datum, omschrijving, vastgelegd_door, vastgelegd_op, versie) \
             VALUES ('vt-haaglanden', '{}', 'teamdag', 'test', '2026-01-05 10:00:00', 1);\n",
            dag(i)
        ));
    }
    sql.push_str("INSERT INTO sluitingsdagen (organisatie, datum, omschrijving, vastgelegd_door, vastgelegd_op, versie) \
                  VALUES ('politie-haaglanden', '2030-01-03', 'teamdag', 'test', '2026-01-05 10:00:00', 1);\nCOMMIT;");
    app.sql(&sql);
    let datum = |d: &Value| d["datum"].as_str().unwrap().to_string();
    let start = "/api/v1/sluitingsdagen?vanaf=2029-12-01&pageSize=5";
    let eerste = pagina(&app, &vt, start).await;
    assert_eq!(eerste["count"], 17);
    let (paginas, _) = heen_en_terug(&app, &vt, start, &datum).await;
    assert_eq!(paginas.concat(), (0..17).map(dag).collect::<Vec<_>>());
    // A day set before the second page's start: the second page stays.
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    app.sql(
        "INSERT INTO sluitingsdagen (organisatie, datum, omschrijving, vastgelegd_door, vastgelegd_op, versie) \
         VALUES ('vt-haaglanden', '2030-01-02', 'extra', 'test', '2026-01-05 10:00:00', 1)",
    );
    let na = pagina(&app, &vt, &tweede_pad).await;
    assert_eq!(
        namen(&na, &datum),
        paginas[1],
        "the second page did not shift"
    );
    assert_eq!(na["count"], 18);
    assert!(na["next"].as_str().unwrap().contains("vanaf=2029-12-01"));
    let derde = pagina(
        &app,
        &vt,
        "/api/v1/sluitingsdagen?vanaf=2029-12-01&pageSize=5&page=4",
    )
    .await;
    assert_eq!(namen(&derde, &datum).len(), 3);
    let goed = cursor_van(&tweede_pad);
    slechte_cursors(&app, &vt, start, &vreemde_cursor(), &goed).await;
}

/// Matches of the GI straight into the tables, each with both signals (the contact in
/// plain text, as `lees_kolom` reads rows written before encryption): match `i` of series
/// `reeks` between the GI and `ander`, the GI on side `a` or `b`, created at `basis` plus
/// `i / 2` seconds; the other side's contact is "contact <match id>".
#[allow(clippy::too_many_arguments)]
fn matches(
    app: &TestApp,
    persoon: &str,
    ander: &str,
    gi_op_a: bool,
    reeks: u32,
    aantal: u32,
    basis: &str,
) {
    let mut sql = String::from("BEGIN;\n");
    for i in 0..aantal {
        let id = rij_id(reeks, i);
        let t = tijd(basis, i64::from(i / 2));
        let (eigen, andere) = (rij_id(reeks + 100, i), rij_id(reeks + 200, i));
        let betrokkene = rij_id(reeks + 300, i);
        for (b, org, naam) in [
            (&eigen, "gi-jeugdbescherming-west", "J. Bakker".to_string()),
            (&andere, ander, format!("contact {id}")),
        ] {
            sql.push_str(&format!(
                "INSERT INTO betrokkenheden (id, organisatie, persoon_id, betrokkene, contact_naam, sinds, vervalt_op, aangemaakt_op) \
                 VALUES ('{b}', '{org}', '{persoon}', '{betrokkene}', '{naam}', '2026-01-01', '2028-01-01', '{t}');\n"
            ));
        }
        let (a, b, oa, ob) = if gi_op_a {
            (&eigen, &andere, "gi-jeugdbescherming-west", ander)
        } else {
            (&andere, &eigen, ander, "gi-jeugdbescherming-west")
        };
        sql.push_str(&format!(
            "INSERT INTO matches (id, betrokkenheid_a, betrokkenheid_b, organisatie_a, organisatie_b, reden, aangemaakt_op) \
             VALUES ('{id}', '{a}', '{b}', '{oa}', '{ob}', 'zelfde-kind', '{t}');\n"
        ));
    }
    sql.push_str("COMMIT;");
    app.sql(&sql);
}

/// `GET /matches` pages by cursor (task h17gaps; it answered every match, at most 500,
/// in one response): newest first over both sides of the match (the GI as `a` and as
/// `b`, two keyset streams merged), only with organisations it shares coordination with
/// (`MATCH_BINNEN_CONVENANT`: not the wijkteam outside the agreement, not the police,
/// a party without a coordination rule), counted exactly; forward and back, a match made
/// while paging shifts no page, `page` jumps, foreign cursors refused.
async fn matches_per_cursor(db: Db) {
    let Some(app) = crate::zicht::app(db).await else {
        return;
    };
    let gi = app.token("gi-jeugdbescherming-west", &["gezinsvoogd"]);
    let res = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let persoon = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let basis = "2026-01-05 10:00:00";
    matches(&app, &persoon, "vt-haaglanden", true, 1, 20, basis);
    matches(&app, &persoon, "vt-haaglanden", false, 2, 13, basis);
    matches(&app, &persoon, "wijkteam-elders", true, 3, 6, basis);
    matches(&app, &persoon, "politie-den-haag", false, 4, 5, basis);
    let mut verwacht: Vec<(u32, String)> = (0..20)
        .map(|i| (i / 2, rij_id(1, i)))
        .chain((0..13).map(|i| (i / 2, rij_id(2, i))))
        .collect();
    verwacht.sort_by(|a, b| b.cmp(a));
    let verwacht: Vec<String> = verwacht.into_iter().map(|(_, id)| id).collect();
    let id = |m: &Value| {
        assert_eq!(m["andereOrganisatie"], "vt-haaglanden", "{m}");
        assert_eq!(
            m["anderContact"]["naam"],
            format!("contact {}", m["id"].as_str().unwrap()),
            "{m}"
        );
        m["id"].as_str().unwrap().to_string()
    };
    let start = "/api/v1/matches?pageSize=8";
    let eerste = pagina(&app, &gi, start).await;
    assert_eq!(
        (eerste["count"].clone(), eerste["countIsExact"].clone()),
        (json!(33), json!(true))
    );
    let (paginas, _) = heen_en_terug(&app, &gi, start, &id).await;
    assert_eq!(paginas.len(), 5);
    assert_eq!(
        paginas.concat(),
        verwacht,
        "newest first over both sides, each once"
    );

    // A match made while paging is before the first page: it shifts none.
    let tweede_pad = eerste["next"].as_str().unwrap().to_string();
    matches(
        &app,
        &persoon,
        "vt-haaglanden",
        false,
        5,
        1,
        "2030-01-01 00:00:00",
    );
    let na = pagina(&app, &gi, &tweede_pad).await;
    assert_eq!(namen(&na, &id), paginas[1], "the second page did not shift");
    assert_eq!(na["count"], 34);
    let terug = pagina(&app, &gi, na["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&terug, &id), paginas[0]);
    let voor = pagina(&app, &gi, terug["previous"].as_str().unwrap()).await;
    assert_eq!(namen(&voor, &id), vec![rij_id(5, 0)]);

    // `page` jumps from the start; the other side sees its own 34 from its side.
    let derde = pagina(&app, &gi, "/api/v1/matches?pageSize=8&page=3").await;
    assert_eq!(namen(&derde, &id), verwacht[15..23]);
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let vt_pagina = pagina(&app, &vt, "/api/v1/matches?pageSize=100").await;
    assert_eq!(vt_pagina["count"], 34);
    assert!(
        vt_pagina["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["andereOrganisatie"] == "gi-jeugdbescherming-west"
                && m["anderContact"]["naam"] == "J. Bakker")
    );
    // Outside every agreement: nothing.
    let wt = app.token("wijkteam-elders", &["wijkteammedewerker"]);
    let leeg = pagina(&app, &wt, "/api/v1/matches").await;
    assert_eq!(
        (leeg["count"].clone(), leeg["results"].clone()),
        (json!(0), json!([]))
    );

    let goed = cursor_van(&tweede_pad);
    slechte_cursors(&app, &gi, start, &vreemde_cursor(), &goed).await;
}

/// A cursor of the right list and key shape, forged (task h17review): a key no list can
/// have issued, a year outside 1..=9999 (PostgreSQL's `timestamp` ends at 4713 BC; chrono
/// reads years to 262143) or a NUL in a text key (PostgreSQL's text cannot hold one), is
/// a 422 naming `cursor` as any cursor the list did not issue, never a 500; on
/// `GET /matches` (text ids) and on the inbox (uuid ids). Was a 500 on PostgreSQL.
async fn vervalste_cursors(db: Db) {
    use base64::Engine;
    let Some(app) = crate::zicht::app(db).await else {
        return;
    };
    let gi = app.token("gi-jeugdbescherming-west", &["gezinsvoogd"]);
    let res = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let persoon = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    matches(
        &app,
        &persoon,
        "vt-haaglanden",
        true,
        1,
        3,
        "2026-01-05 10:00:00",
    );
    let vt = app.token("vt-haaglanden", &["triagist"]);
    let cursor = |lijst: &str, achteruit: bool, tijd: &str, id: &str| {
        let vorm = json!({"l": lijst, "a": achteruit, "k": [tijd, id]});
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&vorm).unwrap())
    };
    let id = rij_id(1, 1);
    let mut gevallen = Vec::new();
    for (lijst, basis, token) in [
        ("matches", "/api/v1/matches?pageSize=2", &gi),
        (
            "zorgmeldingen",
            "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=2",
            &vt,
        ),
    ] {
        for achteruit in [false, true] {
            for tijd in [
                "-262000-01-01T00:00:00",
                "+262000-01-01T00:00:00",
                "0000-12-31T23:59:59",
                "10000-01-01T00:00:00",
            ] {
                gevallen.push((basis, token, cursor(lijst, achteruit, tijd, &id)));
            }
        }
    }
    for achteruit in [false, true] {
        for vals in ["\u{0}", "a\u{0}b"] {
            gevallen.push((
                "/api/v1/matches?pageSize=2",
                &gi,
                cursor("matches", achteruit, "2026-01-05T10:00:00", vals),
            ));
        }
    }
    for (basis, token, c) in gevallen {
        let res = app.get(&format!("{basis}&cursor={c}"), token).await;
        let p = assert_problem(res, 422).await;
        assert_eq!(p["invalidParams"][0]["name"], "cursor", "{basis} {c}: {p}");
    }
    // The cursors the list issues still work, including the oldest.
    let p = pagina(&app, &gi, "/api/v1/matches?pageSize=2").await;
    let volgende = pagina(&app, &gi, p["next"].as_str().unwrap()).await;
    assert_eq!(volgende["results"].as_array().unwrap().len(), 1);
}

op_beide_backends!(
    abonnementen_per_cursor,
    contactpunten_per_cursor,
    convenanten_per_cursor,
    dode_berichten_per_cursor,
    matches_per_cursor,
    organisaties_per_cursor,
    sluitingsdagen_per_cursor,
    termijnen_per_cursor,
    vervalste_cursors,
);
