//! Retention of every table that holds personal data or points to it (issue 15 point 3),
//! with a fixed clock: a melding chain (police to Veilig Thuis, handed over to the
//! wijkteam) with its steps, duties, feedback, notifications and deliveries, a statement
//! on it, two involvement signals with their match, a police family dossier (persons,
//! family, court decision, arrangement, gezag, incident with a statement), an idempotent
//! answer and token replay records. One test per kind of record: it stays within every holder's term and
//! goes after the longest, the dry run says how many and why, and each holder's
//! processing log records the removal. Then the schema is walked: after the run no table
//! but the two logs (which outlive what they describe by their own term) holds a row
//! about a removed record.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::keten;
use common::{Db, TestApp, assert_problem};
use diesel::prelude::*;
use ketenregie_api::app::Onderdelen;
use ketenregie_common::Klok;
use ketenregie_privacy::bewaring::{self, Opruimrapport};
use serde_json::{Value, json};

const POLITIE: &str = "politie-haaglanden";
const VT: &str = "vt-haaglanden";
const WIJKTEAM: &str = "wijkteam-den-haag";
const BSN_KIND: &str = "111222333";
const JAAR: i64 = 365;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-04-02T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// `jaren` years (of 365 days) after the world was built, and a day.
fn na(jaren: i64) -> DateTime<Utc> {
    t0() + Duration::days(jaren * JAAR + 1)
}

async fn app(db: Db) -> Option<TestApp> {
    let app = common::spawn_met(
        db,
        "",
        Onderdelen {
            klok: Klok::vast(t0()),
            ..Default::default()
        },
    )
    .await?;
    keten::opzet(&app).await;
    keten::contactpunt(&app, VT, "meldingen", "meldingen@vt-haaglanden.test").await;
    Some(app)
}

/// What the world holds.
struct Wereld {
    melding: String,
    overdracht: String,
}

async fn post_ok(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status().as_u16();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!((200..300).contains(&status), "{pad}: {status} {v}");
    v
}

/// A melding filed by the police with Veilig Thuis, received, assessed, fed back on and
/// handed over to the wijkteam, which acknowledges receipt; a statement of the mother on
/// the melding.
async fn keten_wereld(app: &TestApp) -> Wereld {
    let melding = keten::verzonden_melding(app).await;
    let vt = app.token(VT, &["triagist"]);
    let wt = app.token(WIJKTEAM, &["wijkteammedewerker"]);
    let pad = |id: &str, sub: &str| format!("/api/v1/zorgmeldingen/{id}/{sub}");
    post_ok(app, &pad(&melding, "ontvangsten"), &vt, json!({})).await;
    post_ok(
        app,
        &pad(&melding, "terugkoppelingen"),
        &vt,
        json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false}),
    )
    .await;
    post_ok(
        app,
        &pad(&melding, "beoordelingen"),
        &vt,
        json!({"uitkomst": "overdracht-lokaal-veld"}),
    )
    .await;
    let taak = post_ok(
        app,
        &pad(&melding, "overdrachten"),
        &vt,
        json!({"organisatie": WIJKTEAM}),
    )
    .await;
    let overdracht = taak["id"].as_str().unwrap().to_string();
    post_ok(
        app,
        &pad(&overdracht, "terugkoppelingen"),
        &wt,
        json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": true}),
    )
    .await;
    // A statement of the mother on the melding, as Veilig Thuis records it
    // (Jeugdwet art. 7.3.8), and one on a statement of feedback.
    let tk = ids(
        app,
        &format!("SELECT id FROM terugkoppelingen WHERE zorgmelding_id = '{melding}'"),
    );
    for (soort, id) in [
        ("zorgmeldingen", melding.as_str()),
        ("terugkoppelingen", tk[0].as_str()),
    ] {
        app.sql(&format!(
            "INSERT INTO eigen_verklaringen (id, object_type, object_id, eigenaar, betrokkene_id, tekst, vastgelegd_door, vertrouwelijkheid, aangemaakt_op)
             VALUES ('{}', '{soort}', '{id}', '{VT}', '{}', 'Ik was er niet bij.', '{VT}', 'vertrouwelijk', '2026-04-02 08:00:00')",
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7()
        ));
    }
    Wereld {
        melding,
        overdracht,
    }
}

/// The child registered by Veilig Thuis and by the wijkteam, each with an involvement
/// signal: a match between them. Returns the two signals' ids.
async fn signalen(app: &TestApp) -> (String, String) {
    let regel = |soort: &str, rol: &str| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": ["aanmaken", "lezen"], "categorieen": ["hulpverlening"],
               "doel": "coordinatie", "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Jeugdwet art. 7.1.4.1", "omschrijving": "verwijsindex"}})
    };
    app.convenant_van_kracht(&json!({
        "titel": "Verwijsindex Haaglanden",
        "partijen": [{"organisatie": VT, "rol": "vt"}, {"organisatie": WIJKTEAM, "rol": "wijkteam"}],
        "doelen": ["coordinatie"],
        "categorieen": ["hulpverlening"],
        "regels": [regel("veilig-thuis", "triagist"), regel("wijkteam", "wijkteammedewerker")]
    }))
    .await;
    let mut uit = vec![];
    for (org, rol) in [(VT, "triagist"), (WIJKTEAM, "wijkteammedewerker")] {
        let t = app.token(org, &[rol]);
        let p = post_ok(
            app,
            "/api/v1/personen",
            &t,
            json!({"bsn": BSN_KIND, "voornamen": "Kind0", "achternaam": "Jansen", "geboortedatum": "2016-03-01"}),
        )
        .await;
        let b = post_ok(
            app,
            "/api/v1/betrokkenheden",
            &t,
            json!({"persoon": p["id"], "contact": {"naam": format!("contact {org}"), "telefoon": "070 000 0000"}}),
        )
        .await;
        uit.push(b["id"].as_str().unwrap().to_string());
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM matches"), 1);
    (uit[0].clone(), uit[1].clone())
}

/// A family as the police record it: mother and child, a court decision (on gezag, with
/// the omgang it set; ending a year after), an arrangement and gezag citing it
/// (`GEZAG_BERUST_OP_GEZAGSBESLISSING`, `REGELING_BERUST_OP_PASSENDE_BESCHIKKING`), and an incident with the mother's
/// statement.
async fn dossier(app: &TestApp) {
    let p = app.token(POLITIE, &["wijkagent", "noodhulp"]);
    let d = |dagen: i64| (t0() + Duration::days(dagen)).date_naive().to_string();
    let persoon =
        |vn: &str, gd: &str| json!({"voornamen": vn, "achternaam": "Bakker", "geboortedatum": gd});
    let moeder =
        post_ok(app, "/api/v1/personen", &p, persoon("Moeder", "1985-01-01")).await["id"].clone();
    let kind =
        post_ok(app, "/api/v1/personen", &p, persoon("Kind", "2018-01-01")).await["id"].clone();
    let gezin = post_ok(
        app,
        "/api/v1/gezinnen",
        &p,
        json!({"leden": [{"persoon": moeder, "relatie": "ouder"}, {"persoon": kind, "relatie": "kind"}]}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = post_ok(app, &format!("/api/v1/gezinnen/{gezin}/beschikkingen"), &p, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/650001", "datum": d(-10), "soort": "gezag",
        "van": d(-10), "tot": d(365), "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind]})).await;
    post_ok(
        app,
        &format!("/api/v1/gezinnen/{gezin}/regelingen"),
        &p,
        json!({
        "soort": "omgangsregeling", "bron": "beschikking", "beschikking": b["id"],
        "samenvatting": "Om het weekend bij vader", "van": d(-10)}),
    )
    .await;
    post_ok(
        app,
        &format!("/api/v1/personen/{}/gezag", kind.as_str().unwrap()),
        &p,
        json!({
        "vorm": "eenhoofdig", "houders": [moeder], "bron": "beschikking", "beschikking": b["id"],
        "geverifieerdOp": d(-10)}),
    )
    .await;
    let tijd = (t0() - Duration::days(1)).to_rfc3339();
    post_ok(app, "/api/v1/incidenten", &p, json!({
        "gezin": gezin, "tijdstip": tijd, "soort": "ruzie", "politieReferentie": "PL1500-2026000001",
        "samenvatting": "Ruzie bij de overdracht.", "betrokkenen": [{"persoon": moeder, "rol": "moeder"}],
        "verklaringen": [{"afgelegdDoor": "moeder", "persoon": moeder, "tekst": "Hij kwam niet.", "afgelegdOp": tijd}],
        "wederhoor": {"status": "niet-bereikbaar", "op": tijd}})).await;
}

/// The ids an SQL query returns (column `id`).
fn ids(app: &TestApp, sql: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let mut c = app.pool.get().unwrap();
    diesel::sql_query(sql)
        .load::<Id>(&mut *c)
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect()
}

/// The retention run of the application's own sources at `nu`.
fn run(app: &TestApp, nu: DateTime<Utc>, proef: bool) -> Opruimrapport {
    let mut c = app.pool.get().unwrap();
    let p =
        std::sync::Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&app.config).unwrap());
    let v = std::sync::Arc::new(ketenregie_api::verwerking::versleuteling(&app.config).unwrap());
    ketenregie_api::app::bewaring_uitvoeren(
        &mut c,
        &Onderdelen::default().bewaring,
        p,
        v,
        nu,
        proef,
    )
    .unwrap()
}

fn aantal(r: &Opruimrapport, soort: &str) -> usize {
    r.per_soort
        .iter()
        .find(|(s, _)| *s == soort)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("{soort} not in the report: {:?}", r.per_soort))
}

/// The reasons of `soort` as the dry run prints them.
fn gronden(r: &Opruimrapport, soort: &str) -> Vec<String> {
    r.gronden_van(soort)
        .into_iter()
        .map(|(g, n)| format!("{n}: {g}"))
        .collect()
}

/// The removals of `object_type` `id` in `organisatie`'s processing log.
fn vernietigd(app: &TestApp, organisatie: &str, id: &str) -> i64 {
    app.tel(&format!(
        "SELECT count(*) AS n FROM verwerkingslog WHERE activiteit = 'vernietiging' AND organisatie = '{organisatie}' AND grondslag LIKE '%{id}%'"
    ))
}

/// A melding is held by the police (police data, 10 years), Veilig Thuis (its dossier,
/// 20 years) and, handed over, the wijkteam (jeugdhulp dossier, 20 years): it stays until
/// the longest term has passed since the chain's last activity, then goes with its
/// hand-over, and each holder's log records it.
async fn zorgmelding_tot_de_langste_termijn(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = keten_wereld(&app).await;
    let r = run(&app, na(11), true);
    assert_eq!(
        aantal(&r, "zorgmeldingen"),
        0,
        "police's term passed, VT's not"
    );
    assert_eq!(aantal(&r, "overdrachten"), 0);
    let r = run(&app, na(20), true);
    assert_eq!(aantal(&r, "zorgmeldingen"), 1);
    assert_eq!(aantal(&r, "overdrachten"), 1);
    let g = gronden(&r, "zorgmeldingen");
    assert_eq!(g.len(), 1, "{g:?}");
    assert!(
        g[0].starts_with("1: ") && g[0].contains(" 7300 dagen"),
        "{g:?}"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmeldingen"),
        2,
        "a dry run removes nothing"
    );
    let r = run(&app, na(20), false);
    assert_eq!(aantal(&r, "zorgmeldingen"), 1);
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 0);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmelding_betrokkenen"),
        0
    );
    for org in [POLITIE, VT] {
        assert_eq!(
            vernietigd(&app, org, &w.melding),
            3,
            "{org}: one row per data subject"
        );
    }
    for org in [POLITIE, VT, WIJKTEAM] {
        assert_eq!(
            vernietigd(&app, org, &w.overdracht),
            3,
            "{org}: the chain's holders"
        );
    }
    assert_eq!(
        aantal(&run(&app, na(20), true), "zorgmeldingen"),
        0,
        "nothing left"
    );
}

/// An organisation's own term overrides the default (versioned: If-Match, RFC 9110):
/// Veilig Thuis keeps its dossiers 12 years, so a melding it holds with the police only
/// goes after 12 years.
async fn eigen_termijn_van_de_houder(db: Db) {
    let Some(app) = app(db).await else { return };
    keten::verzonden_melding(&app).await;
    let beheer = app.token(VT, &["functioneel-beheerder"]);
    let res = app.get("/api/v1/bewaartermijnen/vt-dossier", &beheer).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"0\"", "the default has version 0");
    let zet = |tag: &'static str| {
        app.client
            .put(app.url("/api/v1/bewaartermijnen/vt-dossier"))
            .bearer_auth(beheer.clone())
            .header("If-Match", tag)
            .json(&json!({"termijnDagen": 12 * JAAR, "toelichting": "besluit directie 2026-03"}))
            .send()
    };
    let res = zet("\"0\"").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"1\"");
    assert_problem(zet("\"0\"").await.unwrap(), 412).await;
    let r = run(&app, na(11), true);
    assert_eq!(aantal(&r, "zorgmeldingen"), 0);
    let r = run(&app, na(12), false);
    assert_eq!(aantal(&r, "zorgmeldingen"), 1);
    assert_eq!(
        gronden(&r, "zorgmeldingen"),
        vec![format!("1: vt-dossier {} dagen ({VT})", 12 * JAAR)]
    );
}

/// Steps and duties (the feedback deadlines) go with their melding.
async fn stappen_en_termijnen_met_de_melding(db: Db) {
    let Some(app) = app(db).await else { return };
    keten_wereld(&app).await;
    let stappen = app.tel("SELECT count(*) AS n FROM zorgmelding_stappen");
    let plichten = app.tel("SELECT count(*) AS n FROM termijnen");
    assert!(stappen > 3 && plichten > 2, "{stappen} {plichten}");
    let r = run(&app, na(11), false);
    assert_eq!(aantal(&r, "zorgmelding-stappen"), 0);
    assert_eq!(aantal(&r, "termijnen"), 0);
    let r = run(&app, na(20), false);
    assert_eq!(aantal(&r, "zorgmelding-stappen") as i64, stappen);
    assert_eq!(aantal(&r, "termijnen") as i64, plichten);
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"), 0);
    assert_eq!(app.tel("SELECT count(*) AS n FROM termijnen"), 0);
}

/// Feedback goes with the chain it is on; both its giver and its receiver log it.
async fn terugkoppelingen_met_de_keten(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = keten_wereld(&app).await;
    let tk = ids(&app, "SELECT id FROM terugkoppelingen ORDER BY id");
    assert_eq!(tk.len(), 2);
    assert_eq!(aantal(&run(&app, na(19), false), "terugkoppelingen"), 0);
    let r = run(&app, na(20), false);
    assert_eq!(aantal(&r, "terugkoppelingen"), 2);
    assert_eq!(app.tel("SELECT count(*) AS n FROM terugkoppelingen"), 0);
    let op_melding = ids(
        &app,
        "SELECT id FROM verwerkingslog WHERE activiteit = 'vernietiging' AND grondslag LIKE '%terugkoppelingen%'",
    );
    assert!(!op_melding.is_empty());
    for id in &tk {
        assert!(vernietigd(&app, VT, id) > 0, "{id}");
    }
    assert!(vernietigd(&app, WIJKTEAM, &tk[0]) + vernietigd(&app, WIJKTEAM, &tk[1]) > 0);
    assert!(vernietigd(&app, VT, &w.melding) > 0);
}

/// Notifications about the chain's records and their deliveries go with them.
async fn outbox_en_bezorgingen_met_hun_record(db: Db) {
    let Some(app) = app(db).await else { return };
    keten_wereld(&app).await;
    let berichten = app.tel("SELECT count(*) AS n FROM outbox");
    let bezorgd = app.tel("SELECT count(*) AS n FROM bezorgingen");
    assert!(berichten > 2 && bezorgd > 0, "{berichten} {bezorgd}");
    let r = run(&app, na(20), false);
    assert_eq!(aantal(&r, "outbox") as i64, berichten);
    assert_eq!(aantal(&r, "bezorgingen") as i64, bezorgd);
    assert_eq!(app.tel("SELECT count(*) AS n FROM outbox"), 0);
    assert_eq!(app.tel("SELECT count(*) AS n FROM bezorgingen"), 0);
}

/// A person's own statement goes with the record it accompanies, never before it.
async fn eigen_verklaring_met_haar_record(db: Db) {
    let Some(app) = app(db).await else { return };
    keten_wereld(&app).await;
    assert_eq!(app.tel("SELECT count(*) AS n FROM eigen_verklaringen"), 2);
    assert_eq!(aantal(&run(&app, na(19), false), "eigen-verklaringen"), 0);
    assert_eq!(app.tel("SELECT count(*) AS n FROM eigen_verklaringen"), 2);
    let r = run(&app, na(20), false);
    assert_eq!(aantal(&r, "eigen-verklaringen"), 2);
    assert_eq!(app.tel("SELECT count(*) AS n FROM eigen_verklaringen"), 0);
}

/// An involvement signal goes when it ends (no longer justified) or lapses
/// (`VERWIJSINDEX_VERVALTERMIJN`), its match with it, and the match's notifications.
async fn betrokkenheid_en_match(db: Db) {
    let Some(app) = app(db).await else { return };
    let (vt_signaal, wt_signaal) = signalen(&app).await;
    assert_eq!(aantal(&run(&app, na(1), false), "betrokkenheden"), 0);
    // The wijkteam ends its signal: it goes at the next run, and the match with it.
    let wt = app.token(WIJKTEAM, &["wijkteammedewerker"]);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/betrokkenheden/{wt_signaal}")))
        .bearer_auth(wt)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let matchberichten = app.tel(
        "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.matches.match-gevonden'",
    );
    assert_eq!(matchberichten, 2);
    let r = run(&app, t0() + Duration::days(1), false);
    assert_eq!(aantal(&r, "betrokkenheden"), 1);
    assert_eq!(aantal(&r, "matches"), 1);
    assert!(aantal(&r, "outbox") >= 2);
    assert_eq!(app.tel("SELECT count(*) AS n FROM matches"), 0);
    assert_eq!(
        app.tel(
            "SELECT count(*) AS n FROM outbox WHERE soort = 'nl.ketenregie.matches.match-gevonden'"
        ),
        0
    );
    assert!(vernietigd(&app, WIJKTEAM, &wt_signaal) > 0);
    // Veilig Thuis's signal lapses after two years.
    let r = run(&app, na(3), true);
    assert_eq!(aantal(&r, "betrokkenheden"), 1);
    assert_eq!(
        gronden(&r, "betrokkenheden"),
        vec![format!("1: VERWIJSINDEX_VERVALTERMIJN ({VT})")]
    );
    run(&app, na(3), false);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM betrokkenheden WHERE id = '{vt_signaal}'"
        )),
        0
    );
}

/// Token replay records go when their token has expired; an idempotent answer when its
/// key has.
async fn tokens_en_idempotentie_na_verloop(db: Db) {
    let Some(app) = app(db).await else { return };
    let agent = app.token(POLITIE, &["wijkagent"]);
    let res = app
        .client
        .post(app.url("/api/v1/zorgmeldingen"))
        .bearer_auth(&agent)
        .header("Idempotency-Key", "bewaring-1")
        .json(&keten::melding())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let tokens = app.tel("SELECT count(*) AS n FROM gebruikte_tokens");
    assert!(tokens > 0);
    let r = run(&app, t0(), true);
    assert_eq!(aantal(&r, "gebruikte-tokens"), 0, "not yet expired");
    let r = run(&app, na(1), false);
    assert_eq!(aantal(&r, "gebruikte-tokens") as i64, tokens);
    assert_eq!(aantal(&r, "idempotentie"), 1);
    assert_eq!(app.tel("SELECT count(*) AS n FROM gebruikte_tokens"), 0);
    assert_eq!(app.tel("SELECT count(*) AS n FROM idempotentie"), 0);
}

/// The case registry: each record after the police's term (10 years) from what it is
/// about — the incident from when it happened (its statement with it), gezag from its
/// verification, the arrangement from its start; the court decision from its end, a year
/// later; the family once none of its records is left; the persons once nothing refers to
/// them. Each removal in the police's processing log.
async fn dossiers_na_hun_termijn(db: Db) {
    let Some(app) = app(db).await else { return };
    dossier(&app).await;
    let soorten = [
        "incidenten",
        "verklaringen",
        "gezag",
        "regelingen",
        "beschikkingen",
        "gezinnen",
        "personen",
    ];
    let r = run(&app, na(9), false);
    for s in soorten {
        assert_eq!(aantal(&r, s), 0, "{s}");
    }
    let incident = ids(&app, "SELECT id FROM incidenten")[0].clone();
    let r = run(&app, na(10), false);
    for (s, n) in [
        ("incidenten", 1),
        ("verklaringen", 1),
        ("gezag", 1),
        ("regelingen", 1),
        ("beschikkingen", 0),
        ("gezinnen", 0),
        ("personen", 0),
    ] {
        assert_eq!(aantal(&r, s), n, "{s}");
    }
    assert_eq!(
        gronden(&r, "incidenten"),
        vec![format!("1: politiegegevens 3650 dagen ({POLITIE})")]
    );
    assert_eq!(
        vernietigd(&app, POLITIE, &incident),
        1,
        "one subject: the mother"
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM incident_betrokkenen"), 0);
    let r = run(&app, na(11), false);
    for (s, n) in [("beschikkingen", 1), ("gezinnen", 1), ("personen", 2)] {
        assert_eq!(aantal(&r, s), n, "{s}");
    }
    for tabel in [
        "personen",
        "gezinnen",
        "gezinsleden",
        "beschikkingen",
        "regelingen",
        "gezag",
        "incidenten",
        "verklaringen",
    ] {
        assert_eq!(
            app.tel(&format!("SELECT count(*) AS n FROM {tabel}")),
            0,
            "{tabel}"
        );
    }
}

/// After the run, no table but the logs holds a row that names a removed record: the
/// schema is walked (every text column of every table) for the ids of every record of
/// the world.
async fn niets_blijft_over(db: Db) {
    let Some(app) = app(db).await else { return };
    let w = keten_wereld(&app).await;
    signalen(&app).await;
    dossier(&app).await;
    let mut weg: Vec<String> = vec![w.melding.clone(), w.overdracht.clone()];
    for tabel in [
        "personen",
        "gezinnen",
        "beschikkingen",
        "regelingen",
        "gezag",
        "incidenten",
        "verklaringen",
        "zorgmelding_stappen",
        "termijnen",
        "terugkoppelingen",
        "outbox",
        "bezorgingen",
        "betrokkenheden",
        "matches",
        "eigen_verklaringen",
    ] {
        let rijen = ids(&app, &format!("SELECT id FROM {tabel}"));
        assert!(!rijen.is_empty(), "{tabel} is empty before the run");
        weg.extend(rijen);
    }
    run(&app, na(21), false);
    // The logs outlive what they describe by their own term (the removal rows name it).
    let logs = ["audittrail", "verwerkingslog"];
    let kolommen = tekstkolommen(&app, db);
    assert!(kolommen.len() > 50, "{}", kolommen.len());
    let mut gevonden = vec![];
    for (tabel, kolom) in kolommen.iter().filter(|(t, _)| !logs.contains(&t.as_str())) {
        for deel in weg.chunks(40) {
            let of = deel
                .iter()
                .map(|id| format!("CAST({kolom} AS TEXT) LIKE '%{id}%'"))
                .collect::<Vec<_>>()
                .join(" OR ");
            let n = app.tel(&format!("SELECT count(*) AS n FROM {tabel} WHERE {of}"));
            if n > 0 {
                gevonden.push(format!("{tabel}.{kolom}: {n}"));
            }
        }
    }
    assert!(
        gevonden.is_empty(),
        "rows about removed records remain: {gevonden:?}"
    );
}

/// Every (table, text column) of the schema.
fn tekstkolommen(app: &TestApp, db: Db) -> Vec<(String, String)> {
    #[derive(QueryableByName)]
    struct Kolom {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        k: String,
    }
    let sql = match db {
        Db::Sqlite => {
            "SELECT m.name AS t, p.name AS k FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                       WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%' \
                       AND upper(p.type) LIKE '%TEXT%'"
        }
        // The logs' monthly partitions (issue 17 point 6) are their parent's rows.
        Db::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS k FROM information_schema.columns \
                         WHERE table_schema = current_schema() AND data_type = 'text' AND table_name NOT LIKE '__diesel%' \
                         AND table_name::text NOT IN (SELECT relname::text FROM pg_class WHERE relispartition)"
        }
    };
    let mut c = app.pool.get().unwrap();
    diesel::sql_query(sql)
        .load::<Kolom>(&mut *c)
        .unwrap()
        .into_iter()
        .map(|k| (k.t, k.k))
        .collect()
}

/// `ketenregie retention run --dry-run` prints per kind how many and why.
async fn proefdraai_noemt_regel_en_termijn(db: Db) {
    let Some(app) = app(db).await else { return };
    keten::verzonden_melding(&app).await;
    // The melding dates from the fixed clock's 2026; the CLI runs at today's time, so it
    // counts the police's and Veilig Thuis's terms from then: within both.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketenregie"))
        .args(["retention", "run", "--dry-run"])
        .env("KETENREGIE_DATABASE__URL", app.db_url())
        .env(
            "KETENREGIE_AUTH__DEV_SECRET_FILE",
            app.dir.join("dev-secret"),
        )
        .output()
        .unwrap();
    let tekst = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{tekst} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for soort in [
        "zorgmeldingen: 0 would be removed",
        "terugkoppelingen: 0 would be removed",
        "betrokkenheden: 0 would be removed",
        "gebruikte-tokens: ",
        "verwerkingslog: 0 would be removed",
    ] {
        assert!(tekst.contains(soort), "{soort}: {tekst}");
    }
    // The report alone on standard output (a file or a pipe gets no log lines and no
    // colour codes); the log lines on standard error.
    let fout = String::from_utf8_lossy(&out.stderr);
    assert!(!tekst.contains("retention source done"), "{tekst}");
    assert!(!tekst.contains('\x1b') && !fout.contains('\x1b'), "{fout}");
    assert!(fout.contains("retention source done"), "{fout}");
    // The reasons, as printed: rule, term and whose.
    let r = run(&app, na(20), true);
    assert_eq!(
        gronden(&r, "zorgmeldingen"),
        vec![format!("1: vt-dossier 7300 dagen ({VT})")]
    );
    let _ = bewaring::STANDAARDTERMIJNEN;
}

/// Rule `GI_DOSSIER_VANAF_MEERDERJARIG` (the outside test of 2 Dec 2026): a GI dossier is
/// kept until its term after the youngest child it is about turned 18, not after the
/// record's date. With a term of one day, a dry run removes nothing about a child born
/// 2016 and does remove the decision about a child who turned 18 long ago; the real run
/// likewise.
async fn gi_dossier_vanaf_achttien(db: Db) {
    let Some(app) = app(db).await else { return };
    const GI: &str = "gi-jeugdbescherming-west";
    app.organisatie(GI, "gecertificeerde-instelling", &["0518"])
        .await;
    let beheer = app.token(GI, &["functioneel-beheerder"]);
    let res = app
        .put(
            "/api/v1/bewaartermijnen/gi-dossier",
            &beheer,
            &json!({"termijnDagen": 1, "toelichting": "test korte termijn"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let gi = app.token(GI, &["gezinsvoogd"]);
    let d = |dagen: i64| (t0() + Duration::days(dagen)).date_naive().to_string();
    let (minder_gezin, kind, ouder, minder_b) = gi_gezin(&app, &gi, "Noor", "2016-05-04").await;
    post_ok(&app, &format!("/api/v1/personen/{kind}/gezag"), &gi, json!({
        "vorm": "eenhoofdig", "houders": [ouder], "bron": "beschikking", "beschikking": minder_b, "geverifieerdOp": d(-5)})).await;
    post_ok(
        &app,
        &format!("/api/v1/gezinnen/{minder_gezin}/regelingen"),
        &gi,
        json!({
        "soort": "omgangsregeling", "bron": "beschikking", "beschikking": minder_b,
        "samenvatting": "Om het weekend", "van": d(-10)}),
    )
    .await;
    gi_gezin(&app, &gi, "Anna", "1990-01-01").await;
    // A child whose date of birth cannot be read: its records are kept, not removed early.
    let (_, onleesbaar, _, onleesbaar_b) = gi_gezin(&app, &gi, "Bram", "1990-01-01").await;
    app.sql(&format!(
        "UPDATE personen SET gegevens = 'onleesbaar' WHERE id = '{onleesbaar}'"
    ));

    let r = run(&app, t0() + Duration::days(3), true);
    assert_eq!(aantal(&r, "gezag"), 0, "a minor's gezag stays");
    assert_eq!(aantal(&r, "regelingen"), 0, "a minor's arrangement stays");
    assert_eq!(
        aantal(&r, "beschikkingen"),
        1,
        "only the decision about the adult goes"
    );
    assert_eq!(
        gronden(&r, "beschikkingen"),
        vec![format!("1: gi-dossier 1 dagen ({GI})")]
    );
    run(&app, t0() + Duration::days(3), false);
    let mut over = ids(&app, "SELECT id FROM beschikkingen");
    over.sort();
    let mut verwacht = vec![minder_b, onleesbaar_b];
    verwacht.sort();
    assert_eq!(over, verwacht);
    assert_eq!(app.tel("SELECT count(*) AS n FROM gezag"), 1);
    assert_eq!(app.tel("SELECT count(*) AS n FROM regelingen"), 1);
}

/// A GI family of a parent and a child born on `geboren`, with a court decision about
/// the child: (family, child, parent, decision).
async fn gi_gezin(
    app: &TestApp,
    gi: &str,
    kindnaam: &str,
    geboren: &str,
) -> (String, String, String, String) {
    let d = |dagen: i64| (t0() + Duration::days(dagen)).date_naive().to_string();
    let persoon =
        |vn: &str, gd: &str| json!({"voornamen": vn, "achternaam": "Smit", "geboortedatum": gd});
    let id = |v: Value| v["id"].as_str().unwrap().to_string();
    let ouder = id(post_ok(app, "/api/v1/personen", gi, persoon("Ouder", "1960-02-03")).await);
    let kind = id(post_ok(app, "/api/v1/personen", gi, persoon(kindnaam, geboren)).await);
    // The decision was made while the child was a minor (MAATREGEL_OVER_MINDERJARIGE):
    // ten years after birth, or ten days ago if that is earlier.
    let tien_jaar: i32 = geboren[..4].parse::<i32>().unwrap() + 10;
    let van = std::cmp::min(format!("{tien_jaar}{}", &geboren[4..]), d(-10));
    let g = id(post_ok(app, "/api/v1/gezinnen", gi,
        json!({"leden": [{"persoon": ouder, "relatie": "ouder"}, {"persoon": kind, "relatie": "kind"}]})).await);
    let b = id(post_ok(
        app,
        &format!("/api/v1/gezinnen/{g}/beschikkingen"),
        gi,
        json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/1", "datum": van, "soort": "gezag",
        "van": van, "uitvoerbaarBijVoorraad": false, "sterkeArm": false, "kinderen": [kind]}),
    )
    .await);
    (g, kind, ouder, b)
}

op_beide_backends!(
    zorgmelding_tot_de_langste_termijn,
    eigen_termijn_van_de_houder,
    stappen_en_termijnen_met_de_melding,
    terugkoppelingen_met_de_keten,
    outbox_en_bezorgingen_met_hun_record,
    eigen_verklaring_met_haar_record,
    betrokkenheid_en_match,
    tokens_en_idempotentie_na_verloop,
    dossiers_na_hun_termijn,
    niets_blijft_over,
    proefdraai_noemt_regel_en_termijn,
    gi_dossier_vanaf_achttien,
);
