//! The outside testers' fourth round (stop 36), input (ARCHITECTURE.md "Outside testers,
//! fourth round (stop 36)", "Input"): a UUID is only its hyphenated 8-4-4-4-12 form, in a
//! body, a path and a query (`UUID_CANONIEK`), and no rule is judged on an id that failed
//! it; a HEAD is answered as its GET, without content, and `Allow` lists HEAD beside GET
//! (`HEAD_ALS_GET`). The address key's normalisation is tested with the briefing
//! (`dossiers::adres_gevonden_hoe_het_huisnummer_ook_geschreven_is`). Each on both backends.

use crate::common;
use common::{Db, TestApp, assert_problem, p, paren, persoon};
use serde_json::{Value, json};

const GI: &str = "gi-jeugdbescherming-west";

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn_with(db, "# referentiedata").await?;
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    Some(app)
}

/// The forms of `id` the `uuid` crate reads and the document calls invalid.
fn andere_vormen(id: &str) -> Vec<String> {
    let kaal = id.replace('-', "");
    vec![
        kaal.clone(),
        format!("{{{id}}}"),
        format!("urn:uuid:{id}"),
        format!("{{{kaal}}}"),
        format!("URN:UUID:{id}"),
    ]
}

fn vandaag() -> String {
    ketenregie_common::werkdagen::nl_datum(chrono::Utc::now()).to_string()
}

/// `UUID_CANONIEK` in a body: every other form is a 400 `format` naming the field, alone
/// or beside other problems, and no rule that needs the id is judged on it (before, a
/// holder without hyphens also broke `gezag-houders-passen-bij-vorm` and
/// `gezag-houder-meerderjarig`, and `urn:uuid:` was a 201).
async fn uuid_in_body_alleen_canoniek(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let kind = persoon(&app, &gi, "Sem", "2016-05-04").await;
    let moeder = persoon(&app, &gi, "Lisa", "1986-07-22").await;
    let gezag = format!("/api/v1/personen/{kind}/gezag");
    for vorm in andere_vormen(&moeder) {
        let body = json!({"vorm": "eenhoofdig", "houders": [vorm], "bron": "gezagsregister", "geverifieerdOp": vandaag()});
        let pr = assert_problem(app.post(&gezag, &gi, &body).await, 400).await;
        assert_eq!(paren(&pr), [p("/houders/0", "format")], "{vorm}: {pr}");
        assert!(!pr.to_string().contains(&moeder[..8]), "{pr}");
        // With another problem in the same body: the same `format`, and still no rule
        // judged on the id.
        let mut body = body;
        body["bron"] = json!("onzin");
        let pr = assert_problem(app.post(&gezag, &gi, &body).await, 400).await;
        let namen = paren(&pr);
        assert!(namen.contains(&p("/houders/0", "format")), "{vorm}: {pr}");
        assert!(namen.contains(&p("/bron", "enum")), "{vorm}: {pr}");
        assert!(
            namen
                .iter()
                .all(|(n, _)| !n.starts_with("/houders") || n == "/houders/0"),
            "{vorm}: {pr}"
        );
        assert!(
            namen.iter().all(|(_, c)| !c.starts_with("gezag-")),
            "{vorm}: {pr}"
        );

        let pr = assert_problem(
            app.post(
                "/api/v1/gezinnen",
                &gi,
                &json!({"leden": [{"persoon": vorm, "relatie": "kind"}]}),
            )
            .await,
            400,
        )
        .await;
        assert_eq!(
            paren(&pr),
            [p("/leden/0/persoon", "format")],
            "{vorm}: {pr}"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 0);
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezinnen"), 0);
    // The canonical form, in either case, is read.
    let body = json!({"vorm": "eenhoofdig", "houders": [moeder.to_uppercase()], "bron": "gezagsregister", "geverifieerdOp": vandaag()});
    let res = app.post(&gezag, &gi, &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    // A search field of the processing log.
    let fg = app.token(GI, &["privacyfunctionaris"]);
    let pr = assert_problem(
        app.post(
            "/api/v1/verwerkingen/_zoek",
            &fg,
            &json!({"betrokkene": kind.replace('-', "")}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(paren(&pr), [p("/betrokkene", "format")], "{pr}");
}

/// `UUID_CANONIEK` in a path and a query: another form is a 400 `format` naming the
/// parameter (before, `GET /personen/{...}` braced or without hyphens was a 200).
async fn uuid_in_pad_en_query_alleen_canoniek(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let kind = persoon(&app, &gi, "Sem", "2016-05-04").await;
    for vorm in andere_vormen(&kind) {
        for pad in [
            format!("/api/v1/personen/{vorm}"),
            format!("/api/v1/personen/{vorm}/gezag"),
        ] {
            let pr = assert_problem(app.get(&pad, &gi).await, 400).await;
            assert_eq!(paren(&pr), [p("id", "format")], "{pad}: {pr}");
        }
    }
    let res = app
        .get(&format!("/api/v1/personen/{}", kind.to_uppercase()), &gi)
        .await;
    assert_eq!(res.status(), 200);

    let beheer = app.token(GI, &["functioneel-beheerder"]);
    let org: Value = app
        .get(&format!("/api/v1/organisaties?code={GI}"), &beheer)
        .await
        .json()
        .await
        .unwrap();
    let org = org["results"][0]["id"].as_str().unwrap().to_string();
    for vorm in andere_vormen(&org) {
        let q: String = url_encode(&vorm);
        let pr = assert_problem(
            app.get(&format!("/api/v1/contactpunten?organisatie={q}"), &beheer)
                .await,
            400,
        )
        .await;
        assert_eq!(paren(&pr), [p("organisatie", "format")], "{vorm}: {pr}");
    }
    let res = app
        .get(&format!("/api/v1/contactpunten?organisatie={org}"), &beheer)
        .await;
    assert_eq!(res.status(), 200);
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A GET and a HEAD of `pad` straight to the service (the contract proxy answers a HEAD
/// with its own framing): (status, headers, body) of each.
async fn beide(
    app: &TestApp,
    pad: &str,
    token: Option<&str>,
) -> [(u16, reqwest::header::HeaderMap, Vec<u8>); 2] {
    let mut uit = Vec::new();
    for methode in [reqwest::Method::GET, reqwest::Method::HEAD] {
        let mut r = app
            .client
            .request(methode, format!("{}{pad}", app.direct))
            .header("X-Audit-Toelichting", "zaak 09/123456-26");
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let res = r.send().await.unwrap();
        let status = res.status().as_u16();
        let koppen = res.headers().clone();
        let body = res.bytes().await.unwrap().to_vec();
        uit.push((status, koppen, body));
    }
    uit.try_into().unwrap()
}

/// Header fields that differ per response by nature.
const EIGEN: &[&str] = &["date", "traceparent", "x-request-id", "x-trace-id"];

/// `HEAD_ALS_GET`: a HEAD is answered as the GET, with the same status and header fields
/// (`Content-Length` included) and no content, on API routes (authorised, refused, a
/// problem), the OpenAPI document, health and the werkplek; a HEAD of a person is a read
/// and is logged as the GET is; `Allow` lists HEAD beside GET.
async fn head_als_get(db: Db) {
    let Some(app) = app(db).await else { return };
    let gi = app.token(GI, &["gezinsvoogd"]);
    let beheer = app.token(GI, &["functioneel-beheerder"]);
    let kind = persoon(&app, &gi, "Sem", "2016-05-04").await;
    let persoonpad = format!("/api/v1/personen/{kind}");
    let zonder_id = format!("/api/v1/personen/{}", kind.replace('-', ""));
    for (pad, token, verwacht) in [
        ("/api/v1/organisaties", Some(beheer.as_str()), 200),
        ("/api/v1/organisaties", None, 401),
        ("/api/v1/openapi.json", None, 200),
        ("/health/ready", None, 200),
        ("/health/live", None, 200),
        (persoonpad.as_str(), Some(gi.as_str()), 200),
        (zonder_id.as_str(), Some(gi.as_str()), 400),
        ("/api/v1/bestaat-niet", Some(gi.as_str()), 404),
        ("/werkplek/aanmelden", None, 200),
    ] {
        let [(gs, gk, gb), (hs, hk, hb)] = beide(&app, pad, token).await;
        assert_eq!(gs, verwacht, "GET {pad}: {}", String::from_utf8_lossy(&gb));
        assert_eq!(hs, gs, "HEAD {pad}");
        assert!(hb.is_empty(), "HEAD {pad} has no content");
        let namen = |k: &reqwest::header::HeaderMap| {
            let mut n: Vec<String> = k
                .keys()
                .map(|n| n.as_str().to_string())
                .filter(|n| !EIGEN.contains(&n.as_str()))
                .collect();
            n.sort();
            n
        };
        assert_eq!(
            namen(&hk),
            namen(&gk),
            "HEAD {pad}: the GET's header fields"
        );
        for kop in [
            "content-type",
            "content-length",
            "etag",
            "cache-control",
            "allow",
        ] {
            assert_eq!(hk.get(kop), gk.get(kop), "HEAD {pad}: {kop}");
        }
        if let Some(n) = gk.get("content-length") {
            assert_eq!(n.to_str().unwrap(), gb.len().to_string(), "GET {pad}");
        }
    }

    // A HEAD of a person is a read, logged like the GET (one processing-log row each).
    let log = || app.tel("SELECT count(*) AS n FROM verwerkingslog");
    let voor = log();
    let [(200, ..), (200, ..)] = beide(&app, &persoonpad, Some(&gi)).await else {
        panic!("GET and HEAD of the person");
    };
    let beide_gelogd = log() - voor;
    assert!(beide_gelogd >= 2, "{beide_gelogd}");
    assert_eq!(beide_gelogd % 2, 0, "the HEAD as the GET: {beide_gelogd}");

    // `Allow` lists HEAD wherever it lists GET.
    for (methode, pad, allow) in [
        (
            reqwest::Method::DELETE,
            "/api/v1/organisaties",
            "GET, HEAD, POST",
        ),
        (reqwest::Method::POST, "/api/v1/openapi.json", "GET, HEAD"),
    ] {
        let res = app
            .client
            .request(methode.clone(), format!("{}{pad}", app.direct))
            .bearer_auth(&beheer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{methode} {pad}");
        assert_eq!(res.headers()["allow"], allow, "{methode} {pad}");
    }
}

op_beide_backends!(
    uuid_in_body_alleen_canoniek,
    uuid_in_pad_en_query_alleen_canoniek,
    head_als_get,
);
