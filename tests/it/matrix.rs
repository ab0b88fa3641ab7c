//! The access matrix (issue 11, "Done means"): every operation in the OpenAPI document,
//! with the real ids of three owners' records (and an unknown id) wherever it takes one,
//! called by every organisation that is not entitled to those records, each with every
//! organisation role:
//!
//! - `wijkteam-elders`: outside every agreement;
//! - `om-parket-den-haag`: a party of the agreement without the needed rule (its one rule
//!   covers `strafrechtelijke-gegevens`, which no route serves);
//! - `jeugdzorg-haaglanden`: a party with broad rules that left (`POST .../uittredingen`),
//!   after one read that shows those rules applied while it was a party;
//! - `rvdk-haaglanden`: a party of a new concept version that it signed but the owners did
//!   not (its rules must not apply; once the owners sign, they do: the control before
//!   phase B).
//!
//! Each call carries a token of its own (a fresh `sub`), so its audit rows are its own.
//! Asserted for every call: no response header or body carries a marker of the owners'
//! data (every personal value they registered is a distinctive string, and so are their
//! record ids, their staff's ids and names and, outside the shared partner directory and
//! agreements, their organisation codes) unless the caller sent that value itself or holds
//! it itself; every refusal (403/404) of a real record or of an operation without an id
//! leaves a denied row in the audit trail; on an owner's record the answer is exactly the
//! unknown id's (no existence or state oracle); a briefing shows the caller nothing but
//! its own persons (no count, flag, family member or ambiguity derived from the owners'
//! records, which would leak without a marker); no 5xx. After all calls the owners' rows
//! in every table are unchanged. A summary (operation x caller -> statuses) is printed.
//!
//! The agreement acts (`PUT`/`POST` under `/convenanten/{id}`) and the demo clock run
//! last (phase B): parties act on their agreements by design, and before them a control
//! shows that the concept's rules do apply once the owners sign it.
//!
//! Every operation other than GET and DELETE needs an entry in `lichamen`, and every path
//! family with an id one in `soort_van`: a new route fails this test until it has one.

use crate::common;

use common::{Db, TestApp};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

const POLITIE: &str = "politie-den-haag";
const VT: &str = "vt-haaglanden";
const GI: &str = "gi-jeugdbescherming-west";
const EIGENAREN: [&str; 3] = [POLITIE, VT, GI];

const BUITEN: &str = "wijkteam-elders";
const ZONDER_REGEL: &str = "om-parket-den-haag";
const VERTROKKEN: &str = "jeugdzorg-haaglanden";
const CONCEPTPARTIJ: &str = "rvdk-haaglanden";

/// The callers, and what makes each one not entitled.
const BELLERS: [(&str, &str); 4] = [
    (BUITEN, "buiten elk convenant"),
    (ZONDER_REGEL, "partij zonder de nodige regel"),
    (VERTROKKEN, "uitgetreden partij"),
    (
        CONCEPTPARTIJ,
        "partij van een niet door allen ondertekend concept",
    ),
];

/// Every organisation role. `platformbeheerder` is the operator's role, not an
/// organisation's: by design it registers organisations and withdraws any agreement, and
/// the decision never counts it for data (`besluit::heeft_zaakrol`).
const ROLLEN: &[&str] = &[
    "noodhulp",
    "wijkagent",
    "jeugdcoordinator",
    "kwaliteitscontroleur",
    "triagist",
    "onderzoeker",
    "gezinsvoogd",
    "officier-van-justitie",
    "wijkteammedewerker",
    "privacyfunctionaris",
    "functioneel-beheerder",
];

const ALLE_DOELEN: [&str; 8] = [
    "zorgmelding",
    "veiligheidsbeoordeling",
    "terugkoppeling",
    "briefing",
    "strafrechtelijke-beoordeling",
    "coordinatie",
    "inzage",
    "kwaliteit-en-verantwoording",
];

const ALLE_CATEGORIEEN: [&str; 10] = [
    "identificatie",
    "bsn",
    "contactgegevens",
    "gezinssituatie",
    "gezag-en-omgang",
    "politiegegevens",
    "strafrechtelijke-gegevens",
    "gezondheid",
    "hulpverlening",
    "melder-identiteit",
];

/// Rate limits off (hundreds of calls), the look-up quota off, and a briefing quota of
/// two so that one owner's user crosses it (a `quotumoverschrijding` of the owner's).
/// Deliveries fail at once (nothing listens on port 9) and are dead after one try.
const CONFIG: &str = "[limits]\nclient_per_second = 0\nuser_per_second = 0\nbriefings_per_day = 2\nperson_lookups_per_day = 0\n\
    [email]\ntransport = \"smtp\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = 9\nsmtp_tls = \"none\"\ntimeout_seconds = 2\n\
    [dispatcher]\nenabled = false\nmax_attempts = 1\n[webhooks]\nallow_private_networks = true\n";

/// The distinctive values of the owners' data: (value, what it is).
#[derive(Default)]
struct Merktekens(Vec<(String, String)>);

impl Merktekens {
    /// Register `waarde` as a marker of `wat`; returns it.
    fn m(&mut self, wat: &str, waarde: impl Into<String>) -> String {
        let waarde = waarde.into();
        self.0.push((waarde.clone(), wat.to_string()));
        waarde
    }
}

/// What a call points at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Doel {
    /// No record: a list, a search, a creation.
    Geen,
    /// A real record of an owner (or a shared one), by kind and label.
    Echt(&'static str, String),
    /// An id nobody has.
    Onbekend,
}

/// The owners' world.
struct Wereld {
    mk: Merktekens,
    /// Record kind -> (label, id).
    ids: BTreeMap<&'static str, Vec<(String, String)>>,
    /// Per caller: its own person, registered with the BSN of the GI's child.
    eigen_persoon: BTreeMap<&'static str, String>,
    /// The BSN of the GI's child: the callers registered it for their own persons.
    bsn_kind: String,
    bsn_moeder: String,
    /// Name, date of birth and address of the GI's child, for the searches.
    kind: (String, String, String),
    adres: (String, String),
    /// Agreement id -> the body it was made with (for PUT and new versions).
    convenant_body: BTreeMap<String, Value>,
    /// Organisation id -> its registration (code, kind).
    organisatie: BTreeMap<String, (String, String)>,
}

impl Wereld {
    fn id(&self, soort: &str, label: &str) -> String {
        self.ids[soort]
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("no {soort} `{label}`"))
            .1
            .clone()
    }
    fn voeg(&mut self, soort: &'static str, label: &str, id: String) -> String {
        self.ids
            .entry(soort)
            .or_default()
            .push((label.to_string(), id.clone()));
        id
    }
}

/// A token for one of the owners' own staff: its `sub` and display name are markers.
fn medewerker(mk: &mut Merktekens, org: &str, rollen: &[&str]) -> String {
    let mut c = common::claims(org, rollen);
    let wie = rollen.join("-");
    c.sub = mk.m("gebruiker (sub)", format!("xqsub-{org}-{wie}"));
    c.name = Some(mk.m("naam medewerker", format!("Xqmedewerker {org} {wie}")));
    common::rs256(&c)
}

/// A fresh token of `org` with every role and a user of its own; returns it and its
/// `sub`. A development token (HS256): signing hundreds of RS256 tokens in a debug build
/// takes longer than the calls themselves, and the caller is the same actor either way.
fn beller_token(app: &TestApp, org: &str) -> (String, String) {
    let sub = format!("beller-{}", Uuid::now_v7().simple());
    let geheim = ketenregie_api::dev_token::secret(&app.config.auth.dev_secret_file).unwrap();
    let token = ketenregie_api::dev_token::maak(
        &geheim,
        &app.config.auth.issuer,
        &app.config.auth.audience,
        &ketenregie_api::dev_token::TokenAanvraag {
            organisatie: org.into(),
            rollen: ROLLEN.iter().map(|r| r.to_string()).collect(),
            gebruiker: sub.clone(),
            naam: "Beller".into(),
            applicatie: "matrix".into(),
            geldig_seconden: 600,
        },
    );
    (token, sub)
}

async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{pad}: {status} {v}");
    v
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

/// A valid BSN (elfproef) starting with the eight digits of `prefix` or a number after it.
fn bsn(prefix: u32) -> String {
    (prefix..)
        .find_map(|p| {
            let s = format!("{p:08}");
            let d: Vec<u32> = s.chars().map(|c| c.to_digit(10).unwrap()).collect();
            let som: u32 = d.iter().zip((2..=9).rev()).map(|(x, w)| x * w).sum();
            let laatste = som % 11;
            (laatste < 10).then(|| format!("{s}{laatste}"))
        })
        .unwrap()
}

fn regel(soort: &str, rollen: &[&str], acties: &[&str], doel: &str, cats: &[&str]) -> Value {
    json!({"organisatieSoort": soort, "rollen": rollen, "acties": acties, "categorieen": cats, "doel": doel,
           "maxVertrouwelijkheid": "zeer-geheim",
           "grondslag": {"code": "Convenant Haaglanden art. 4", "omschrijving": "matrix"}})
}

/// Rules for every purpose and category, for every role of organisations of `soort`.
fn alles_voor(soort: &str) -> Vec<Value> {
    ALLE_DOELEN
        .iter()
        .map(|d| {
            regel(
                soort,
                ROLLEN,
                &["lezen", "aanmaken", "wijzigen"],
                d,
                &ALLE_CATEGORIEEN,
            )
        })
        .collect()
}

/// Version 1: the owners' rules, the OM's one irrelevant rule, and everything for
/// jeugdzorg (which will leave).
fn convenant_v1() -> Value {
    let mut regels = vec![
        regel(
            "politie",
            &["noodhulp"],
            &["lezen"],
            "briefing",
            &[
                "identificatie",
                "gezinssituatie",
                "gezag-en-omgang",
                "hulpverlening",
                "politiegegevens",
            ],
        ),
        regel(
            "veilig-thuis",
            &["triagist"],
            &["lezen", "wijzigen"],
            "veiligheidsbeoordeling",
            &[
                "identificatie",
                "bsn",
                "gezinssituatie",
                "politiegegevens",
                "melder-identiteit",
            ],
        ),
        regel(
            "politie",
            &["wijkagent"],
            &["lezen"],
            "terugkoppeling",
            &["hulpverlening"],
        ),
        regel(
            "veilig-thuis",
            &["triagist"],
            &["lezen"],
            "terugkoppeling",
            &["hulpverlening"],
        ),
        regel(
            "gecertificeerde-instelling",
            &["gezinsvoogd"],
            &["aanmaken", "lezen"],
            "coordinatie",
            &["hulpverlening"],
        ),
        regel(
            "veilig-thuis",
            &["triagist"],
            &["aanmaken", "lezen"],
            "coordinatie",
            &["hulpverlening"],
        ),
        regel(
            "gecertificeerde-instelling",
            &["gezinsvoogd"],
            &["lezen", "wijzigen"],
            "coordinatie",
            &["identificatie", "gezinssituatie"],
        ),
        json!({"organisatieSoort": "om", "rollen": ["officier-van-justitie"], "acties": ["lezen"], "categorieen": ["strafrechtelijke-gegevens"],
               "doel": "strafrechtelijke-beoordeling", "redenVerplicht": true, "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": "Wjsg art. 39f", "omschrijving": "per zaak"}}),
    ];
    regels.extend(alles_voor("jeugdzorg"));
    json!({
        "titel": "Pilot Haaglanden (matrix)",
        "geldigVan": "2026-01-01T00:00:00Z",
        "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": VT, "rol": "ontvanger"},
                     {"organisatie": GI, "rol": "gi"}, {"organisatie": ZONDER_REGEL, "rol": "voor gezien"},
                     {"organisatie": VERTROKKEN, "rol": "jeugdhulp"}],
        "doelen": ALLE_DOELEN, "categorieen": ALLE_CATEGORIEEN, "regels": regels,
    })
}

/// Version 2: the parties that stayed plus the RvdK, with everything for the RvdK.
fn convenant_v2() -> Value {
    let mut v = convenant_v1();
    v["titel"] = json!("Pilot Haaglanden (matrix), versie 2");
    v["partijen"] = json!([{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": VT, "rol": "ontvanger"},
                           {"organisatie": GI, "rol": "gi"}, {"organisatie": ZONDER_REGEL, "rol": "voor gezien"},
                           {"organisatie": CONCEPTPARTIJ, "rol": "raad"}]);
    let mut regels: Vec<Value> = v["regels"].as_array().unwrap().clone();
    regels.retain(|r| r["organisatieSoort"] != "jeugdzorg");
    regels.extend(alles_voor("rvdk"));
    v["regels"] = json!(regels);
    v
}

/// A concept between two owners only.
fn convenant_intern() -> Value {
    json!({
        "titel": "Intern concept (matrix)",
        "geldigVan": "2026-01-01T00:00:00Z",
        "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": VT, "rol": "ontvanger"}],
        "doelen": ["veiligheidsbeoordeling"], "categorieen": ["identificatie"],
        "regels": [regel("veilig-thuis", &["triagist"], &["lezen"], "veiligheidsbeoordeling", &["identificatie"])],
    })
}

async fn onderteken(app: &TestApp, id: &str, org: &str) -> Value {
    let t = app.token(org, &["functioneel-beheerder"]);
    let gelezen: Value = app
        .get(&format!("/api/v1/convenanten/{id}"), &t)
        .await
        .json()
        .await
        .unwrap();
    maak(
        app,
        &format!("/api/v1/convenanten/{id}/ondertekeningen"),
        &t,
        json!({"inhoudHash": gelezen["inhoudHash"]}),
    )
    .await
}

fn zorgmelding_body(w: &mut Merktekens, n: u32, bsn_kind: &str, bsn_moeder: &str) -> Value {
    json!({
        "kinderen": [{"voornaam": w.m("voornaam kind (melding)", format!("Xqmeldkind{n}")), "achternaam": w.m("achternaam kind (melding)", format!("Xqmeldachter{n}")),
                      "geboortedatum": "2013-07-29", "bsn": bsn_kind, "gemeente": "0518",
                      "eigenWoorden": w.m("eigen woorden kind", format!("Xqeigenwoorden{n} ik wil naar huis"))}],
        "ouders": [{"voornaam": w.m("voornaam ouder (melding)", format!("Xqmeldmoeder{n}")), "achternaam": w.m("achternaam ouder (melding)", format!("Xqmeldmoederachter{n}")),
                    "bsn": bsn_moeder, "relatie": "moeder", "gezag": true}],
        "incidentReferentie": w.m("incidentreferentie", format!("XQPL-{n}-551177")),
        "incidentDatum": "2026-01-02",
        "omschrijving": w.m("omschrijving melding", format!("Xqomschrijving{n} ruzie bij de overdracht")),
        "zorgen": w.m("zorgen melding", format!("Xqzorgen{n} kinderen getuige")),
        "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": w.m("naam verklaarder (melding)", format!("Xqverklaarder{n}")), "rol": "moeder",
                          "tekst": w.m("verklaring (melding)", format!("Xqmeldverklaring{n} hij kwam te laat"))}],
        "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": w.m("naam melder", format!("Xqmelder{n}")), "functie": "wijkagent", "identiteitDelen": false,
                   "reden": w.m("reden melder anoniem", format!("Xqmelderreden{n} dreiging"))}
    })
}

async fn stap(app: &TestApp, token: &str, id: &str, sub: &str, body: Value) -> Value {
    maak(
        app,
        &format!("/api/v1/zorgmeldingen/{id}/{sub}"),
        token,
        body,
    )
    .await
}

/// The organisations, the agreements, the owners' records, and the callers' own persons.
async fn wereld(app: &TestApp) -> Wereld {
    let mut w = Wereld {
        mk: Merktekens::default(),
        ids: BTreeMap::new(),
        eigen_persoon: BTreeMap::new(),
        bsn_kind: bsn(71_833_402),
        bsn_moeder: bsn(52_904_117),
        kind: ("Xqlotte".into(), "Xqvermeulen".into(), "2013-07-29".into()),
        adres: ("2599XQ".into(), "77".into()),
        convenant_body: BTreeMap::new(),
        organisatie: BTreeMap::new(),
    };
    for (code, soort, gemeenten) in [
        (POLITIE, "politie", vec![]),
        (VT, "veilig-thuis", vec!["0518"]),
        (GI, "gecertificeerde-instelling", vec![]),
        (BUITEN, "wijkteam", vec!["0363"]),
        (ZONDER_REGEL, "om", vec![]),
        (VERTROKKEN, "jeugdzorg", vec![]),
        (CONCEPTPARTIJ, "rvdk", vec![]),
    ] {
        let o = app.organisatie(code, soort, &gemeenten).await;
        if EIGENAREN.contains(&code) {
            w.organisatie
                .insert(id(&o), (code.to_string(), soort.to_string()));
            w.voeg("organisatie", code, id(&o));
        }
    }
    let v1 = app.convenant_van_kracht(&convenant_v1()).await;
    w.convenant_body.insert(id(&v1), convenant_v1());
    w.voeg("convenant", "versie 1 (actief)", id(&v1));

    // Contact points (directory, shared by design): the GI's e-mail gets the dead
    // delivery below.
    let platform = app.token("ketenregie-platform", &["platformbeheerder"]);
    for (code, body) in [
        (
            GI,
            json!({"rol": "meldingen", "naam": "Meldpunt GI", "email": "meldingen@gi.example"}),
        ),
        (
            VT,
            json!({"rol": "spoed", "naam": "Spoed VT", "telefoon": "0800-2000"}),
        ),
    ] {
        let org = w.id("organisatie", code);
        let cp = maak(
            app,
            &format!("/api/v1/organisaties/{org}/contactpunten"),
            &platform,
            body,
        )
        .await;
        w.voeg("contactpunt", code, id(&cp));
    }

    // The GI: a family with a child, mother and father, gezag, decisions, an arrangement,
    // an own statement, involvement, a subscription.
    let gi = medewerker(&mut w.mk, GI, &["gezinsvoogd"]);
    let adres = |w: &mut Merktekens| json!({"straat": w.m("straat", "Xqquirijnsteeg"), "huisnummer": "77", "postcode": w.m("postcode", "2599XQ"), "gemeente": "0518"});
    w.mk.m("postcode (met spatie)", "2599 XQ");
    let (bsn_kind, bsn_moeder) = (w.bsn_kind.clone(), w.bsn_moeder.clone());
    w.mk.m("bsn kind", bsn_kind.clone());
    w.mk.m("bsn moeder", bsn_moeder.clone());
    let bsn_vader = w.mk.m("bsn vader", bsn(63_120_558));
    let kind_body = json!({"bsn": bsn_kind, "voornamen": w.mk.m("voornaam kind", "Xqlotte"), "achternaam": w.mk.m("achternaam kind", "Xqvermeulen"),
                           "geboortedatum": w.mk.m("geboortedatum kind", "2013-07-29"), "adres": adres(&mut w.mk)});
    let kind = id(&maak(app, "/api/v1/personen", &gi, kind_body.clone()).await);
    w.voeg("persoon", "GI kind", kind.clone());
    let moeder = id(&maak(app, "/api/v1/personen", &gi, json!({"bsn": bsn_moeder, "voornamen": w.mk.m("voornaam moeder", "Xqmarieke"),
        "achternaam": w.mk.m("achternaam moeder", "Xqdijkstraal"), "geboortedatum": w.mk.m("geboortedatum moeder", "1979-03-17"), "adres": adres(&mut w.mk)})).await);
    w.voeg("persoon", "GI moeder", moeder.clone());
    let vader = id(&maak(app, "/api/v1/personen", &gi, json!({"bsn": bsn_vader, "voornamen": w.mk.m("voornaam vader", "Xqhendrikus"),
        "achternaam": w.mk.m("achternaam vader", "Xqvermeulen"), "geboortedatum": w.mk.m("geboortedatum vader", "1974-11-05")})).await);
    w.voeg("persoon", "GI vader", vader.clone());
    // A namesake (same name and date of birth, another BSN): a name search is ambiguous
    // only to whoever may see both.
    let bsn_naamgenoot = w.mk.m("bsn naamgenoot", bsn(84_552_301));
    let naamgenoot = id(&maak(
        app,
        "/api/v1/personen",
        &gi,
        json!({"bsn": bsn_naamgenoot, "voornamen": "Xqlotte",
        "achternaam": "Xqvermeulen", "geboortedatum": "2013-07-29"}),
    )
    .await);
    w.voeg("persoon", "GI naamgenoot", naamgenoot);
    let gezin = id(&maak(app, "/api/v1/gezinnen", &gi, json!({"kenmerk": w.mk.m("kenmerk gezin", "XQGI-2026-0412"), "leden": [
        {"persoon": kind, "relatie": "kind"}, {"persoon": moeder, "relatie": "ouder"}, {"persoon": vader, "relatie": "ouder"}]})).await);
    w.voeg("gezin", "GI gezin", gezin.clone());
    let omgang = maak(app, &format!("/api/v1/gezinnen/{gezin}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": w.mk.m("zaaknummer", "C/09/XQ771122"), "datum": "2025-06-01", "soort": "omgang", "van": "2025-06-01",
        "uitvoerbaarBijVoorraad": true, "sterkeArm": true, "sterkeArmTekst": w.mk.m("sterke-armclausule", "Xqclausule machtigt de deurwaarder"), "kinderen": [kind]})).await;
    w.voeg("beschikking", "GI omgang", id(&omgang));
    maak(app, &format!("/api/v1/gezinnen/{gezin}/beschikkingen"), &gi, json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": w.mk.m("zaaknummer OTS", "JE RK XQ-3344"), "datum": "2026-01-05", "soort": "ots", "van": "2026-01-05", "tot": "2026-12-31",
        "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [kind]})).await;
    maak(
        app,
        &format!("/api/v1/personen/{kind}/gezag"),
        &gi,
        json!({"vorm": "eenhoofdig", "houders": [moeder], "bron": "gezagsregister", "geverifieerdOp": "2026-01-10"}),
    )
    .await;
    maak(app, &format!("/api/v1/gezinnen/{gezin}/regelingen"), &gi, json!({"soort": "omgangsregeling", "bron": "beschikking", "beschikking": omgang["id"],
        "samenvatting": w.mk.m("samenvatting regeling", "Xqregeling om het weekend bij vader"), "van": "2025-06-01"})).await;
    let gi_fg = medewerker(&mut w.mk, GI, &["privacyfunctionaris"]);
    maak(
        app,
        &format!("/api/v1/personen/{kind}/eigen-verklaringen"),
        &gi_fg,
        json!({"tekst": w.mk.m("eigen verklaring", "Xqeigenverklaring ik wil bij allebei wonen")}),
    )
    .await;
    let gi_beheer = medewerker(&mut w.mk, GI, &["functioneel-beheerder"]);
    let abonnement = maak(
        app,
        "/api/v1/abonnementen",
        &gi_beheer,
        json!({"url": w.mk.m("webhook-adres", "https://127.0.0.1:9/xqgihaak"), "kanalen": ["termijnen"]}),
    )
    .await;
    w.voeg("abonnement", "GI", id(&abonnement));
    if let Some(geheim) = abonnement["geheim"].as_str() {
        w.mk.m("webhookgeheim", geheim);
    }
    let b_gi = maak(app, "/api/v1/betrokkenheden", &gi, json!({"persoon": kind, "contact": {"naam": w.mk.m("naam gezinsvoogd", "Xqbakker gezinsvoogd"),
        "telefoon": w.mk.m("telefoon gezinsvoogd", "070 555 0191"), "email": w.mk.m("e-mail gezinsvoogd", "xqbakker@gi.example")}})).await;
    w.mk.m("telefoon gezinsvoogd (zonder spaties)", "0705550191");
    w.voeg("betrokkenheid", "GI", id(&b_gi));

    // Veilig Thuis: its own record of the child, involvement (a match with the GI).
    let vt = medewerker(&mut w.mk, VT, &["triagist"]);
    let mut vt_kind = kind_body.clone();
    vt_kind["adres"] = Value::Null;
    let vt_kind = id(&maak(app, "/api/v1/personen", &vt, vt_kind).await);
    w.voeg("persoon", "VT kind", vt_kind.clone());
    let b_vt = maak(app, "/api/v1/betrokkenheden", &vt, json!({"persoon": vt_kind, "contact": {"naam": w.mk.m("naam VT-medewerker", "Xqyilmaz veilig thuis"),
        "telefoon": w.mk.m("telefoon VT-medewerker", "070 555 0282")}})).await;
    w.voeg("betrokkenheid", "VT", id(&b_vt));
    let m = b_vt["matches"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("VT and the GI share the agreement: a match {b_vt}"))
        .to_string();
    w.voeg("match", "GI-VT", m);

    // The police: its own persons, a family, an incident with statements, three
    // briefings by one user (the third crosses the quota), zorgmeldingen in every state.
    let politie = medewerker(&mut w.mk, POLITIE, &["noodhulp", "wijkagent"]);
    let p_kind = id(&maak(app, "/api/v1/personen", &politie, kind_body.clone()).await);
    w.voeg("persoon", "politie kind", p_kind.clone());
    let p_moeder = id(&maak(
        app,
        "/api/v1/personen",
        &politie,
        json!({"bsn": bsn_moeder, "voornamen": "Xqmarieke", "achternaam": "Xqdijkstraal",
        "geboortedatum": "1979-03-17"}),
    )
    .await);
    w.voeg("persoon", "politie moeder", p_moeder.clone());
    let p_gezin = id(&maak(
        app,
        "/api/v1/gezinnen",
        &politie,
        json!({"leden": [{"persoon": p_kind, "relatie": "kind"}, {"persoon": p_moeder, "relatie": "ouder"}]}),
    )
    .await);
    w.voeg("gezin", "politie gezin", p_gezin.clone());
    let incident = maak(app, "/api/v1/incidenten", &politie, json!({"tijdstip": "2026-01-02T21:30:00Z", "soort": "overdracht-kind-mislukt",
        "politieReferentie": w.mk.m("politiereferentie", "PL1500-XQ-880011"), "gemeente": "0518", "gezin": p_gezin,
        "plaats": w.mk.m("plaats incident", "Xqplaats voordeur Quirijnsteeg"), "samenvatting": w.mk.m("samenvatting incident", "Xqsamenvatting kind niet overgedragen"),
        "betrokkenen": [{"persoon": p_kind, "rol": "kind"}, {"persoon": p_moeder, "rol": "moeder"}],
        "verklaringen": [{"afgelegdDoor": "moeder", "persoon": p_moeder, "tekst": w.mk.m("verklaring moeder", "Xqverklaring moeder hij bracht haar niet"), "afgelegdOp": "2026-01-02T21:45:00Z"}],
        "wederhoor": {"status": "niet-bereikbaar", "op": "2026-01-02T22:00:00Z"}})).await;
    let incident = id(&incident);
    w.voeg("incident", "politie", incident.clone());
    maak(app, &format!("/api/v1/incidenten/{incident}/verklaringen"), &politie, json!({"afgelegdDoor": "vader",
        "tekst": w.mk.m("verklaring vader", "Xqverklaring vader zij hield haar binnen"), "afgelegdOp": "2026-01-03T09:00:00Z"})).await;
    for _ in 0..3 {
        let res = app
            .post(
                "/api/v1/briefings/_zoek",
                &politie,
                &json!({"bsn": bsn_kind}),
            )
            .await;
        assert!(
            [200, 429].contains(&res.status().as_u16()),
            "{}",
            res.status()
        );
    }
    let quotum = tekst(
        app,
        "SELECT id AS s FROM gebruiksquota WHERE overschreden_op IS NOT NULL",
    );
    assert_eq!(
        quotum.len(),
        1,
        "the police user crossed the briefing quota"
    );
    w.voeg("quotumoverschrijding", "politie", quotum[0].clone());
    // A disclosure of an owner's record: a read of it by another owner (the briefing).
    let verstrekkingen = tekst(
        app,
        &format!(
            "SELECT id AS s FROM verstrekkingen WHERE eigenaar IN ('{POLITIE}', '{VT}', '{GI}') ORDER BY id"
        ),
    );
    assert!(
        !verstrekkingen.is_empty(),
        "the owners read each other's records"
    );
    w.voeg("verstrekking", "eigenaar", verstrekkingen[0].clone());
    let politie_beheer = medewerker(&mut w.mk, POLITIE, &["functioneel-beheerder"]);
    let abonnement = maak(
        app,
        "/api/v1/abonnementen",
        &politie_beheer,
        json!({"url": w.mk.m("webhook-adres", "https://127.0.0.1:9/xqpolitiehaak"), "kanalen": ["terugkoppelingen"]}),
    )
    .await;
    w.voeg("abonnement", "politie", id(&abonnement));
    if let Some(geheim) = abonnement["geheim"].as_str() {
        w.mk.m("webhookgeheim", geheim);
    }

    let agent = politie.clone();
    let vt_triagist = vt.clone();
    let mut melding = |n: u32| zorgmelding_body(&mut w.mk, n, &bsn_kind, &bsn_moeder);
    let (b1, b2, b3, b4, b5) = (melding(1), melding(2), melding(3), melding(4), melding(5));
    let m1 = id(&maak(app, "/api/v1/zorgmeldingen", &agent, b1).await);
    w.voeg("zorgmelding", "concept", m1);
    let m2 = id(&maak(app, "/api/v1/zorgmeldingen", &agent, b2).await);
    stap(app, &agent, &m2, "indieningen", json!({})).await;
    w.voeg("zorgmelding", "verzonden", m2);
    let m3 = id(&maak(app, "/api/v1/zorgmeldingen", &agent, b3).await);
    stap(app, &agent, &m3, "indieningen", json!({})).await;
    stap(app, &vt_triagist, &m3, "ontvangsten", json!({})).await;
    let t =
        w.mk.m("toelichting beoordeling", "Xqbeoordeling gi pakt op");
    stap(
        app,
        &vt_triagist,
        &m3,
        "beoordelingen",
        // The reporter was promised anonymity (ONDERZOEK_VT_BIJ_ANONIEME_MELDER).
        json!({"uitkomst": "onderzoek-vt", "acuut": false, "toelichting": t}),
    )
    .await;
    let t = w.mk.m(
        "toelichting terugkoppeling",
        "Xqterugkoppeling moeder gebeld",
    );
    let c = w.mk.m("contact overname", "Xqcontact bakker 070 555 0191");
    let tk = stap(
        app,
        &vt_triagist,
        &m3,
        "terugkoppelingen",
        json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true, "toelichting": t,
        "overgenomenDoor": {"organisatie": GI, "contact": c}}),
    )
    .await;
    w.voeg("terugkoppeling", "VT na beoordeling", id(&tk));
    let t = w.mk.m(
        "toelichting overdracht",
        "Xqoverdracht gezinsvoogd neemt over",
    );
    let taak = stap(
        app,
        &vt_triagist,
        &m3,
        "overdrachten",
        json!({"organisatie": GI, "toelichting": t}),
    )
    .await;
    let taak = id(&taak);
    w.voeg("zorgmelding", "beoordeeld en overgedragen", m3);
    stap(app, &gi, &taak, "acceptaties", json!({})).await;
    let r = w.mk.m("reden opschorting", "Xqopschorting wacht op raad");
    stap(app, &gi, &taak, "opschortingen", json!({"reden": r})).await;
    w.voeg("zorgmelding", "taak bij GI (opgeschort)", taak);
    let m4 = id(&maak(app, "/api/v1/zorgmeldingen", &agent, b4).await);
    stap(app, &agent, &m4, "indieningen", json!({})).await;
    let r = w.mk.m("reden annulering", "Xqannulering dubbel gemeld");
    stap(app, &agent, &m4, "annuleringen", json!({"reden": r})).await;
    w.voeg("zorgmelding", "geannuleerd", m4);
    let m5 = id(&maak(app, "/api/v1/zorgmeldingen", &agent, b5).await);
    stap(app, &agent, &m5, "indieningen", json!({})).await;
    // Veilig Thuis takes on every melding (VEILIG_THUIS_NEEMT_ELKE_MELDING): the rejected
    // task is a hand-over the GI rejects.
    stap(app, &vt_triagist, &m5, "ontvangsten", json!({})).await;
    stap(
        app,
        &vt_triagist,
        &m5,
        "beoordelingen",
        json!({"uitkomst": "onderzoek-vt", "acuut": false}),
    )
    .await;
    let taak5 = stap(
        app,
        &vt_triagist,
        &m5,
        "overdrachten",
        json!({"organisatie": GI}),
    )
    .await;
    let taak5 = id(&taak5);
    let r = w.mk.m("reden afwijzing", "Xqafwijzing niet onze regio");
    stap(app, &gi, &taak5, "afwijzingen", json!({"reden": r})).await;
    w.voeg("zorgmelding", "afgewezen", taak5);

    // The GI's match notice goes by e-mail to port 9: it dies.
    app.bezorger.ronde().await.unwrap();
    let dood: Value = app
        .get("/api/v1/dode-berichten", &gi_beheer)
        .await
        .json()
        .await
        .unwrap();
    let bezorging = dood["results"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a dead delivery of the GI: {dood}"))
        .to_string();
    w.voeg("bezorging", "GI", bezorging);

    // Jeugdzorg's rules apply while it is a party: it reads the GI's child. Then it leaves.
    let jz = app.token(VERTROKKEN, &["noodhulp"]);
    let res = app
        .get(
            &format!("/api/v1/personen/{}", w.id("persoon", "GI kind")),
            &jz,
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "control: a party with the rule reads before it leaves"
    );
    let jz_beheer = app.token(VERTROKKEN, &["functioneel-beheerder"]);
    let na = maak(
        app,
        &format!("/api/v1/convenanten/{}/uittredingen", id(&v1)),
        &jz_beheer,
        json!({"reden": "deelname beëindigd"}),
    )
    .await;
    assert_eq!(na["status"], "actief", "{na}");

    // Version 2 adds the RvdK; the RvdK and the OM sign it, the owners do not.
    let politie_fb = app.token(POLITIE, &["functioneel-beheerder"]);
    let v2 = maak(
        app,
        &format!("/api/v1/convenanten/{}/versies", id(&v1)),
        &politie_fb,
        convenant_v2(),
    )
    .await;
    let v2 = id(&v2);
    onderteken(app, &v2, CONCEPTPARTIJ).await;
    let na = onderteken(app, &v2, ZONDER_REGEL).await;
    assert_eq!(na["status"], "concept");
    w.convenant_body.insert(v2.clone(), convenant_v2());
    w.voeg("convenant", "versie 2 (concept)", v2);
    let intern = maak(app, "/api/v1/convenanten", &politie_fb, convenant_intern()).await;
    w.convenant_body.insert(id(&intern), convenant_intern());
    w.voeg("convenant", "intern concept", id(&intern));
    w.voeg("bewaarsoort", "verwerkingslog", "verwerkingslog".into());
    // An owner's closed day (its own calendar: the date is the key within its organisation).
    let res = app
        .put(
            "/api/v1/sluitingsdagen/2031-05-06",
            &politie_fb,
            &json!({"omschrijving": "matrix: dag van de politie"}),
        )
        .await;
    assert!(res.status().is_success(), "closed day: {}", res.status());
    w.voeg("sluitingsdag", "politie", "2031-05-06".into());

    // Each caller registers its own person with the child's BSN (the involvement probe).
    for (org, _) in BELLERS {
        let t = app.token(org, &["wijkteammedewerker", "functioneel-beheerder"]);
        let p = maak(
            app,
            "/api/v1/personen",
            &t,
            json!({"bsn": w.bsn_kind, "voornamen": "Eigen", "achternaam": format!("Persoon {org}"),
            "geboortedatum": "2010-01-01"}),
        )
        .await;
        w.eigen_persoon.insert(org, id(&p));
    }

    // Every owner record id is a marker too (a reference leaks as much as a name).
    let ids: Vec<(String, String)> = w
        .ids
        .iter()
        .filter(|(s, _)| eigendom(s))
        .flat_map(|(s, v)| {
            v.iter()
                .map(move |(l, id)| (id.clone(), format!("id {s} {l}")))
        })
        .collect();
    for (id, wat) in ids {
        w.mk.m(&wat, id);
    }
    w
}

/// Record kinds that belong to one owner (the rest — the partner directory, its contact
/// points, agreements, retention kinds — are shared by design).
fn eigendom(soort: &str) -> bool {
    !matches!(
        soort,
        "organisatie" | "contactpunt" | "convenant" | "bewaarsoort" | "sluitingsdag"
    )
}

/// The record kind behind a path's first segment; `None`: a new route family.
fn soort_van(pad: &str) -> Option<&'static str> {
    let eerste = pad.trim_start_matches('/').split('/').next().unwrap_or("");
    Some(match eerste {
        "abonnementen" => "abonnement",
        "betrokkenheden" => "betrokkenheid",
        "bewaartermijnen" => "bewaarsoort",
        "contactpunten" => "contactpunt",
        "convenanten" => "convenant",
        "dode-berichten" => "bezorging",
        "gezinnen" => "gezin",
        "beschikkingen" => "beschikking",
        "incidenten" => "incident",
        "matches" => "match",
        "organisaties" => "organisatie",
        "personen" => "persoon",
        "quotumoverschrijdingen" => "quotumoverschrijding",
        "sluitingsdagen" => "sluitingsdag",
        "terugkoppelingen" => "terugkoppeling",
        "verwerkingen" => "verstrekking",
        "zorgmeldingen" => "zorgmelding",
        _ => return None,
    })
}

/// Paths under which the partner directory and agreements are read: organisation codes
/// and names are no markers there.
fn gedeeld_pad(pad: &str) -> bool {
    [
        "/organisaties",
        "/contactpunten",
        "/convenanten",
        "/bewaartermijnen",
        "/openapi.json",
    ]
    .iter()
    .any(|p| pad.starts_with(p))
}

/// Operations that change agreements: run last (phase B), after the data routes and the
/// control that the concept's rules would apply once signed by all.
fn convenanthandeling(methode: &str, pad: &str) -> bool {
    pad.starts_with("/convenanten/{id}") && methode != "GET"
}

/// The request bodies of each operation with one, as variants (what the body points at,
/// the body), for `beller` on target `doel`. `None`: the table has no entry for the
/// operation, and the test fails naming it.
fn lichamen(
    methode: &str,
    pad: &str,
    w: &Wereld,
    beller: &str,
    doel: &Doel,
) -> Option<Vec<(Doel, Option<Value>)>> {
    let geen = |b: Value| Some(vec![(Doel::Geen, Some(b))]);
    let eigen = w.eigen_persoon[beller].clone();
    let gi_kind = w.id("persoon", "GI kind");
    let onbekend = Uuid::now_v7().to_string();
    // A body naming the caller's own person, the GI's child, and an unknown person.
    let drie = |f: &dyn Fn(&str) -> Value| {
        Some(vec![
            (Doel::Geen, Some(f(&eigen))),
            (Doel::Echt("persoon", "GI kind".into()), Some(f(&gi_kind))),
            (Doel::Onbekend, Some(f(&onbekend))),
        ])
    };
    let contact = json!({"naam": format!("Eigen contact {beller}"), "telefoon": "070 000 0000"});
    let stap = json!({"reden": "matrix"});
    let convenant = || match doel {
        Doel::Echt("convenant", label) => w.convenant_body[&w.id("convenant", label)].clone(),
        _ => convenant_v2(),
    };
    match (methode, pad) {
        ("GET", _) | ("DELETE", _) => Some(vec![(Doel::Geen, None)]),
        ("POST", "/abonnementen") => {
            geen(json!({"url": format!("https://127.0.0.1:9/eigen-{beller}"), "kanalen": ["termijnen"]}))
        }
        ("POST", "/betrokkenheden") => {
            drie(&|p: &str| json!({"persoon": p, "contact": contact.clone()}))
        }
        ("PUT", "/sluitingsdagen/{datum}") => geen(json!({"omschrijving": "matrix"})),
        ("PUT", "/bewaartermijnen/{soort}") => {
            geen(json!({"termijnDagen": 3650, "toelichting": "matrix"}))
        }
        ("POST", "/briefings/_zoek") => Some(
            [
                json!({"bsn": w.bsn_kind}),
                json!({"bsn": w.bsn_moeder}),
                json!({"voornamen": w.kind.0, "achternaam": w.kind.1, "geboortedatum": w.kind.2}),
                json!({"postcode": w.adres.0, "huisnummer": w.adres.1}),
            ]
            .into_iter()
            .map(|b| (Doel::Geen, Some(b)))
            .collect(),
        ),
        ("PUT", "/contactpunten/{id}") | ("POST", "/organisaties/{id}/contactpunten") => {
            geen(json!({"rol": "spoed", "naam": "Spoed", "telefoon": "0800-1234"}))
        }
        ("POST", "/convenanten") => {
            let soort = match beller {
                BUITEN => "wijkteam",
                ZONDER_REGEL => "om",
                VERTROKKEN => "jeugdzorg",
                _ => "rvdk",
            };
            geen(json!({"titel": "Eigen concept", "partijen": [{"organisatie": beller, "rol": "a"}, {"organisatie": GI, "rol": "b"}],
                "doelen": ["briefing"], "categorieen": ["identificatie"],
                "regels": [regel(soort, &["noodhulp"], &["lezen"], "briefing", &["identificatie"])]}))
        }
        ("PUT", "/convenanten/{id}") | ("POST", "/convenanten/{id}/versies") => geen(convenant()),
        ("POST", "/convenanten/{id}/intrekkingen") | ("POST", "/convenanten/{id}/uittredingen") => {
            geen(json!({"reden": "matrix"}))
        }
        ("POST", "/convenanten/{id}/ondertekeningen") => Some(vec![(Doel::Geen, None)]),
        ("POST", "/demo-klok/verschuivingen") => geen(json!({"uren": 1})),
        ("POST", "/dode-berichten/{id}/_opnieuw") => Some(vec![(Doel::Geen, None)]),
        ("POST", "/gezinnen") => {
            drie(&|p: &str| json!({"leden": [{"persoon": p, "relatie": "kind"}]}))
        }
        ("POST", "/gezinnen/{id}/beschikkingen") => geen(json!({"rechtbank": "Rechtbank Den Haag", "zaaknummer": "1", "datum": "2026-01-01",
            "soort": "omgang", "van": "2026-01-01", "uitvoerbaarBijVoorraad": true, "sterkeArm": false,
            "kinderen": ["01930000-0000-7000-8000-0000000000aa"]})),
        ("POST", "/gezinnen/{id}/regelingen") => geen(json!({"soort": "omgangsregeling", "bron": "ouderschapsplan",
            "samenvatting": "om het weekend", "van": "2026-01-01"})),
        ("POST", "/incidenten") => drie(&|p: &str| {
            json!({"tijdstip": "2026-01-01T10:00:00Z", "soort": "ruzie", "politieReferentie": "EIGEN-1", "samenvatting": "s",
                   "betrokkenen": [{"persoon": p, "rol": "kind"}]})
        }),
        ("POST", "/incidenten/{id}/verklaringen") => {
            geen(json!({"afgelegdDoor": "moeder", "tekst": "x", "afgelegdOp": "2026-01-01T10:00:00Z"}))
        }
        ("PUT", "/incidenten/{id}/wederhoor") => {
            geen(json!({"status": "ja", "op": "2026-01-01T10:00:00Z"}))
        }
        ("PUT", "/kwaliteitscontrole") => geen(json!({"verplicht": false})),
        ("POST", "/organisaties") => geen(
            json!({"code": format!("matrix-{beller}"), "naam": "Matrix", "soort": "wijkteam"}),
        ),
        ("PUT", "/organisaties/{id}") => {
            let (code, soort) = match doel {
                Doel::Echt(_, label) => w.organisatie[&w.id("organisatie", label)].clone(),
                _ => ("onbekend".into(), "wijkteam".into()),
            };
            geen(json!({"code": code, "naam": "Nieuwe naam", "soort": soort}))
        }
        // A BSN the owners hold and the caller does not, and one nobody holds.
        ("POST", "/personen") => Some(
            [w.bsn_moeder.clone(), bsn(10_000_000 + rand_u32() % 80_000_000)]
                .into_iter()
                .map(|b| {
                    let p = json!({"bsn": b, "voornamen": "Eigen", "achternaam": format!("Persoon {beller}"), "geboortedatum": "2010-01-01"});
                    (Doel::Geen, Some(p))
                })
                .collect(),
        ),
        ("POST", "/personen/{id}/eigen-verklaringen") => geen(json!({"tekst": "Mijn kant"})),
        ("POST", "/zorgmeldingen/{id}/eigen-verklaringen" | "/terugkoppelingen/{id}/eigen-verklaringen") => {
            geen(json!({"tekst": "Mijn kant", "door": "ouders/0"}))
        }
        ("POST", "/incidenten/{id}/eigen-verklaringen" | "/beschikkingen/{id}/eigen-verklaringen") => {
            geen(json!({"tekst": "Mijn kant", "door": eigen}))
        }
        ("POST", "/personen/{id}/gezag") => geen(
            json!({"vorm": "tijdelijk-geen", "bron": "gezagsregister", "geverifieerdOp": "2026-01-01"}),
        ),
        ("POST", "/verwerkingen/_zoek") => {
            let mut v: Vec<(Doel, Option<Value>)> = w.ids["persoon"]
                .iter()
                .map(|(l, id)| {
                    (
                        Doel::Echt("persoon", l.clone()),
                        Some(json!({"betrokkene": id})),
                    )
                })
                .collect();
            v.push((Doel::Onbekend, Some(json!({"betrokkene": onbekend}))));
            v.push((Doel::Geen, Some(json!({}))));
            Some(v)
        }
        ("POST", "/zorgmeldingen") | ("PUT", "/zorgmeldingen/{id}") => geen(json!({
            "kinderen": [{"voornaam": "Eigen", "achternaam": "Kind", "geboortedatum": "2010-01-01", "bsn": w.bsn_kind, "gemeente": "0518"}],
            "omschrijving": "x", "zorgen": "y", "acuut": false, "risiconiveau": "laag", "oudersGeinformeerd": true,
            "melder": {"naam": "Eigen melder", "functie": "wijkagent", "identiteitDelen": true}})),
        ("POST", "/zorgmeldingen/{id}/acceptaties")
        | ("POST", "/zorgmeldingen/{id}/hervattingen")
        | ("POST", "/zorgmeldingen/{id}/ontvangsten") => geen(json!({})),
        ("POST", "/zorgmeldingen/{id}/afwijzingen")
        | ("POST", "/zorgmeldingen/{id}/annuleringen")
        | ("POST", "/zorgmeldingen/{id}/mislukkingen")
        | ("POST", "/zorgmeldingen/{id}/opschortingen") => geen(stap),
        ("POST", "/zorgmeldingen/{id}/afsluitingen") => geen(json!({"uitvoer": "klaar"})),
        ("POST", "/zorgmeldingen/{id}/beoordelingen") => {
            geen(json!({"uitkomst": "voorwaarden-en-vervolg", "acuut": false}))
        }
        ("POST", "/zorgmeldingen/{id}/indieningen") => Some(vec![(Doel::Geen, None)]),
        ("POST", "/zorgmeldingen/{id}/kwaliteitsbeoordelingen") => {
            geen(json!({"goedgekeurd": true}))
        }
        // A hand-over to the caller itself: pulling a melding to oneself is no way in.
        ("POST", "/zorgmeldingen/{id}/overdrachten") => geen(json!({"organisatie": beller})),
        ("POST", "/zorgmeldingen/{id}/terugkoppelingen") => {
            geen(json!({"moment": "ontvangstbevestiging", "vervolgtrajectGestart": false}))
        }
        _ => None,
    }
}

/// One call of the matrix and what came back.
struct Uitslag {
    beller: &'static str,
    methode: String,
    sjabloon: String,
    variant: String,
    doel: Doel,
    status: u16,
    geweigerd_gelogd: i64,
    lekken: Vec<String>,
}

/// The operations of the document: (method, path template, operation).
fn operaties(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (pad, item) in doc["paths"].as_object().unwrap() {
        for (methode, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "delete", "patch"].contains(&methode.as_str()) {
                ops.push((methode.to_uppercase(), pad.clone(), op.clone()));
            }
        }
    }
    ops
}

/// The media types an operation's success answer comes in.
fn soorten_antwoord(op: &Value) -> Vec<String> {
    let mut soorten = BTreeSet::new();
    for (code, antwoord) in op["responses"].as_object().unwrap() {
        if code.starts_with('2')
            && let Some(c) = antwoord["content"].as_object()
        {
            soorten.extend(c.keys().cloned());
        }
    }
    soorten.into_iter().collect()
}

/// The markers `beller` may legitimately see in an answer to this request: those it sent
/// (path and body), the BSN it registered itself, and, on the shared directory and
/// agreements, the owners' organisation codes.
fn verwacht(w: &Wereld, pad: &str, body: Option<&Value>) -> BTreeSet<String> {
    let mut gezien = pad.to_lowercase();
    if let Some(b) = body {
        gezien.push_str(&b.to_string().to_lowercase());
    }
    let mut v: BTreeSet<String> =
        w.mk.0
            .iter()
            .filter(|(m, _)| gezien.contains(&m.to_lowercase()))
            .map(|(m, _)| m.clone())
            .collect();
    v.insert(w.bsn_kind.clone());
    v
}

/// Every marker in `tekst` (lowercase) except `toegestaan`.
fn lekken(w: &Wereld, tekst: &str, toegestaan: &BTreeSet<String>, gedeeld: bool) -> Vec<String> {
    let mut gevonden: Vec<String> =
        w.mk.0
            .iter()
            .filter(|(m, _)| !toegestaan.contains(m) && tekst.contains(&m.to_lowercase()))
            .map(|(m, wat)| format!("{wat} `{m}`"))
            .collect();
    if !gedeeld {
        for org in EIGENAREN {
            if tekst.contains(org) {
                gevonden.push(format!("organisatie `{org}`"));
            }
        }
    }
    gevonden
}

async fn roep(
    app: &TestApp,
    w: &Wereld,
    beller: &'static str,
    (methode, sjabloon): (&str, &str),
    (pad, doel, variant): (&str, Doel, String),
    body: Option<Value>,
    accept: Option<&str>,
) -> Uitslag {
    let (token, sub) = beller_token(app, beller);
    let mut r = app
        .client
        .request(
            reqwest::Method::from_bytes(methode.as_bytes()).unwrap(),
            app.url(&format!("/api/v1{pad}")),
        )
        .bearer_auth(&token);
    if let Some(b) = &body {
        r = r.json(b);
    }
    if let Some(a) = accept {
        r = r.header("Accept", a);
    }
    let res = r.send().await.unwrap();
    let status = res.status().as_u16();
    let mut tekst = String::new();
    for (k, v) in res.headers() {
        tekst.push_str(&format!("{k}: {}\n", String::from_utf8_lossy(v.as_bytes())));
    }
    let lichaam = res.text().await.unwrap();
    tekst.push_str(&lichaam);
    let tekst = tekst.to_lowercase();
    let toegestaan = verwacht(w, pad, body.as_ref());
    let mut lekken = lekken(w, &tekst, &toegestaan, gedeeld_pad(sjabloon));
    if sjabloon == "/briefings/_zoek" && status == 200 {
        lekken.extend(briefing_van_ander(
            beller,
            &serde_json::from_str(&lichaam).unwrap(),
        ));
    }
    let geweigerd_gelogd = app.tel(&format!(
        "SELECT count(*) AS n FROM audittrail WHERE gebruiker = '{sub}' AND resultaat >= 400 AND organisatie = '{beller}'"
    ));
    Uitslag {
        beller,
        methode: methode.to_string(),
        sjabloon: sjabloon.to_string(),
        variant,
        doel,
        status,
        geweigerd_gelogd,
        lekken,
    }
}

/// What a briefing shows a caller that holds nothing but persons of its own, beyond those
/// persons: counts and flags derived from the owners' records leak without a marker.
fn briefing_van_ander(beller: &str, b: &Value) -> Vec<String> {
    let mut uit = Vec::new();
    for veld in [
        "gezinnen",
        "gezinsleden",
        "beschikkingenInWerking",
        "maatregelenInWerking",
        "gezag",
        "regelingenInWerking",
        "betrokkenOrganisaties",
        "openZorgmeldingen",
        "signalen",
    ] {
        if b[veld].as_array().is_none_or(|a| !a.is_empty()) {
            uit.push(format!("briefing toont `{veld}`: {}", b[veld]));
        }
    }
    for veld in ["personen", "kandidaten"] {
        for p in b[veld].as_array().into_iter().flatten() {
            if p["geregistreerdDoor"] != beller {
                uit.push(format!("briefing toont in `{veld}` {p}"));
            }
        }
    }
    if b["meerduidig"] != false {
        uit.push("briefing meldt `meerduidig`".to_string());
    }
    let personen = b["personen"].as_array().is_some_and(|a| !a.is_empty());
    if b["gevonden"] != personen {
        uit.push(format!("briefing meldt `gevonden`: {}", b["gevonden"]));
    }
    let i = &b["incidenten"];
    if i["totaal"] != 0 || i["laatste12Maanden"] != 0 || i["lijst"] != json!([]) {
        uit.push(format!("briefing toont incidenten: {i}"));
    }
    uit
}

/// Call `ops` (method, template, operation) with every caller, every target and every
/// body variant.
async fn speel(app: &TestApp, w: &Wereld, ops: &[(String, String, Value)]) -> Vec<Uitslag> {
    let mut uitslagen = Vec::new();
    for (methode, sjabloon, op) in ops {
        let heeft_id = sjabloon.contains('{');
        let doelen: Vec<(String, Doel)> = if heeft_id {
            let soort = soort_van(sjabloon).unwrap();
            let mut d: Vec<(String, Doel)> = w.ids[soort]
                .iter()
                .map(|(l, id)| (id.clone(), Doel::Echt(soort, l.clone())))
                .collect();
            let onbekend = if soort == "bewaarsoort" {
                "onbekende-soort".to_string()
            } else if soort == "sluitingsdag" {
                "2031-01-02".to_string()
            } else {
                Uuid::now_v7().to_string()
            };
            d.push((onbekend, Doel::Onbekend));
            d
        } else {
            vec![(String::new(), Doel::Geen)]
        };
        let soorten = if methode == "GET" {
            soorten_antwoord(op)
        } else {
            vec![]
        };
        for (beller, _) in BELLERS {
            for (id, doel) in &doelen {
                let pad = sjabloon.replace("{id}", id).replace("{soort}", id);
                let varianten = lichamen(methode, sjabloon, w, beller, doel).unwrap();
                for (i, (body_doel, body)) in varianten.into_iter().enumerate() {
                    let doel = if heeft_id { doel.clone() } else { body_doel };
                    let body = match (sjabloon.as_str(), body) {
                        ("/convenanten/{id}/ondertekeningen", None) => {
                            Some(json!({"inhoudHash": huidige_hash(app, id).await}))
                        }
                        (_, b) => b,
                    };
                    let accepts: Vec<Option<&str>> = if soorten.len() > 1 {
                        soorten.iter().map(|s| Some(s.as_str())).collect()
                    } else {
                        vec![None]
                    };
                    for accept in accepts {
                        let variant = match accept {
                            Some(a) => format!("lichaam {i}, Accept {a}"),
                            None => format!("lichaam {i}"),
                        };
                        uitslagen.push(
                            roep(
                                app,
                                w,
                                beller,
                                (methode, sjabloon),
                                (&pad, doel.clone(), variant),
                                body.clone(),
                                accept,
                            )
                            .await,
                        );
                    }
                }
            }
        }
    }
    uitslagen
}

/// The current content hash of agreement `id` (as an owner reads it), or a made-up one.
async fn huidige_hash(app: &TestApp, id: &str) -> String {
    let t = app.token(POLITIE, &["functioneel-beheerder"]);
    let res = app.get(&format!("/api/v1/convenanten/{id}"), &t).await;
    let v: Value = res.json().await.unwrap_or(Value::Null);
    v["inhoudHash"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("sha256:{}", "0".repeat(64)))
}

/// Known answers that differ from an unknown id's, and why they are right.
fn uitzondering(u: &Uitslag) -> Option<&'static str> {
    match (u.beller, u.sjabloon.as_str(), &u.doel) {
        // INZAGE_EIGEN_ORGANISATIE: jeugdzorg received the GI's child's data (the control
        // read while it was a party), so its privacy officer reports its own processing
        // (200, nothing of the GI's). (Its statements on the GI's record are answered as
        // unknown: a party that left holds no record of the GI's, VERKLARING_DOOR_HOUDER.)
        (VERTROKKEN, "/personen/{id}/inzage", Doel::Echt(_, l)) if l == "GI kind" => {
            Some("eigen verwerking van een eerder ontvangen persoon")
        }
        _ => None,
    }
}

/// A number that differs per call (for a BSN nobody holds).
fn rand_u32() -> u32 {
    let b = Uuid::now_v7().into_bytes();
    u32::from_le_bytes([b[12], b[13], b[14], b[15]])
}

/// What every call must satisfy; one line per violation.
fn toets(uitslagen: &[Uitslag]) -> Vec<String> {
    let mut fouten = Vec::new();
    // The unknown id's answer per (caller, operation, variant).
    let mut onbekend: BTreeMap<(&str, &str, &str, &str), u16> = BTreeMap::new();
    for u in uitslagen {
        if u.doel == Doel::Onbekend {
            onbekend.insert(
                (
                    u.beller,
                    u.methode.as_str(),
                    u.sjabloon.as_str(),
                    u.variant.as_str(),
                ),
                u.status,
            );
        }
    }
    for u in uitslagen {
        let wat = format!(
            "{} {} [{:?}, {}] door {}",
            u.methode, u.sjabloon, u.doel, u.variant, u.beller
        );
        if !u.lekken.is_empty() {
            fouten.push(format!(
                "{wat}: {} draagt gegevens van een ander: {}",
                u.status,
                u.lekken.join(", ")
            ));
        }
        if u.status >= 500 {
            fouten.push(format!("{wat}: {}", u.status));
        }
        if matches!(u.status, 403 | 404) && u.doel != Doel::Onbekend && u.geweigerd_gelogd == 0 {
            fouten.push(format!(
                "{wat}: {} zonder geweigerde rij in de audittrail",
                u.status
            ));
        }
        if let Doel::Echt(soort, _) = &u.doel
            && eigendom(soort)
            && uitzondering(u).is_none()
        {
            let sleutel = (
                u.beller,
                u.methode.as_str(),
                u.sjabloon.as_str(),
                u.variant.as_str(),
            );
            // The unknown variant of a body that names a record is the same variant.
            match onbekend.get(&sleutel).or_else(|| {
                onbekend
                    .iter()
                    .find(|((b, m, s, _), _)| *b == u.beller && *m == u.methode && *s == u.sjabloon)
                    .map(|(_, s)| s)
            }) {
                Some(&s) if s == u.status => {}
                Some(&s) => fouten.push(format!(
                    "{wat}: {} waar een onbekend id {s} geeft",
                    u.status
                )),
                None => fouten.push(format!(
                    "{wat}: geen onbekende variant om mee te vergelijken"
                )),
            }
            if u.sjabloon.contains('{') && !matches!(u.status, 403 | 404) {
                fouten.push(format!("{wat}: {} op een record van een ander", u.status));
            }
        }
    }
    fouten
}

/// The summary: operation x caller -> the statuses seen (real ids / unknown id).
fn overzicht(uitslagen: &[Uitslag]) -> String {
    /// Per caller: the statuses with real ids, and with an unknown id.
    type Cellen<'a> = BTreeMap<&'a str, (BTreeSet<u16>, BTreeSet<u16>)>;
    let mut tabel: BTreeMap<(String, String), Cellen> = BTreeMap::new();
    for u in uitslagen {
        let cel = tabel
            .entry((u.sjabloon.clone(), u.methode.clone()))
            .or_default()
            .entry(u.beller)
            .or_default();
        if u.doel == Doel::Onbekend {
            cel.1.insert(u.status);
        } else {
            cel.0.insert(u.status);
        }
    }
    let fmt = |s: &BTreeSet<u16>| s.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
    let mut uit = format!("{:<58}", "operatie");
    for (b, _) in BELLERS {
        uit.push_str(&format!(" {b:<22}"));
    }
    uit.push('\n');
    for ((pad, methode), cellen) in &tabel {
        uit.push_str(&format!("{:<58}", format!("{methode} {pad}")));
        for (b, _) in BELLERS {
            let (echt, onb) = cellen.get(b).cloned().unwrap_or_default();
            let cel = if onb.is_empty() {
                fmt(&echt)
            } else {
                format!("{} | onb. {}", fmt(&echt), fmt(&onb))
            };
            uit.push_str(&format!(" {cel:<22}"));
        }
        uit.push('\n');
    }
    uit.push_str("(statussen met echte ids | met een onbekend id)\n");
    for (b, waarom) in BELLERS {
        uit.push_str(&format!("{b}: {waarom}\n"));
    }
    uit
}

/// Text rows from the database.
fn tekst(app: &TestApp, sql: &str) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct S {
        #[diesel(sql_type = diesel::sql_types::Text)]
        s: String,
    }
    let mut c = app.pool.get().unwrap();
    diesel::sql_query(sql)
        .load::<S>(&mut *c)
        .unwrap()
        .into_iter()
        .map(|r| r.s)
        .collect()
}

/// The owners' rows of every table with personal data or state (each row as the text of
/// its columns), to compare before and after.
fn momentopname(app: &TestApp) -> BTreeMap<&'static str, Vec<String>> {
    let o = format!("('{POLITIE}', '{VT}', '{GI}')");
    let personen = format!("(SELECT id FROM personen WHERE eigenaar IN {o})");
    let gezinnen = format!("(SELECT id FROM gezinnen WHERE eigenaar IN {o})");
    let incidenten = format!("(SELECT id FROM incidenten WHERE eigenaar IN {o})");
    let meldingen =
        format!("(SELECT id FROM zorgmeldingen WHERE afzender IN {o} OR ontvanger IN {o})");
    let convenanten = format!("(SELECT id FROM convenanten WHERE eigenaar IN {o})");
    let rij = |kolommen: &[&str]| {
        kolommen
            .iter()
            .map(|k| format!("COALESCE(CAST({k} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ")
    };
    let tabellen: Vec<(&'static str, &[&str], String)> = vec![
        (
            "personen",
            &["id", "eigenaar", "gegevens", "bsn_hash", "gewijzigd_op"],
            format!("eigenaar IN {o}"),
        ),
        (
            "gezinnen",
            &["id", "eigenaar", "kenmerk", "gewijzigd_op"],
            format!("eigenaar IN {o}"),
        ),
        (
            "gezinsleden",
            &["gezin_id", "persoon_id", "relatie"],
            format!("gezin_id IN {gezinnen} OR persoon_id IN {personen}"),
        ),
        (
            "gezag",
            &["id", "eigenaar", "kind_id", "vorm", "houders"],
            format!("eigenaar IN {o} OR kind_id IN {personen}"),
        ),
        (
            "beschikkingen",
            &["id", "eigenaar", "gezin_id", "zaaknummer", "kinderen"],
            format!("eigenaar IN {o} OR gezin_id IN {gezinnen}"),
        ),
        (
            "regelingen",
            &["id", "eigenaar", "gezin_id", "samenvatting"],
            format!("eigenaar IN {o} OR gezin_id IN {gezinnen}"),
        ),
        (
            "incidenten",
            &["id", "eigenaar", "inhoud", "wederhoor", "wederhoor_op"],
            format!("eigenaar IN {o}"),
        ),
        (
            "incident_betrokkenen",
            &["incident_id", "persoon_id", "rol"],
            format!("incident_id IN {incidenten} OR persoon_id IN {personen}"),
        ),
        (
            "verklaringen",
            &["id", "incident_id", "persoon_id", "tekst"],
            format!("incident_id IN {incidenten} OR persoon_id IN {personen}"),
        ),
        (
            "zorgmeldingen",
            &[
                "id",
                "afzender",
                "ontvanger",
                "meldingstatus",
                "taakstatus",
                "bedrijfsstatus",
                "versie",
                "inhoud",
                "bovenliggend_id",
            ],
            format!("id IN {meldingen} OR bovenliggend_id IN {meldingen}"),
        ),
        (
            "zorgmelding_stappen",
            &["id", "zorgmelding_id", "stap", "organisatie"],
            format!("zorgmelding_id IN {meldingen}"),
        ),
        (
            "terugkoppelingen",
            &["id", "zorgmelding_id", "afzender", "inhoud"],
            format!("zorgmelding_id IN {meldingen}"),
        ),
        (
            "termijnen",
            &[
                "id",
                "zorgmelding_id",
                "moment",
                "voldaan_op",
                "vervallen_op",
            ],
            format!("zorgmelding_id IN {meldingen}"),
        ),
        (
            "betrokkenheden",
            &[
                "id",
                "organisatie",
                "persoon_id",
                "beeindigd_op",
                "contact_naam",
            ],
            format!("organisatie IN {o} OR persoon_id IN {personen}"),
        ),
        (
            "matches",
            &["id", "organisatie_a", "organisatie_b"],
            format!("organisatie_a IN {o} OR organisatie_b IN {o}"),
        ),
        (
            "eigen_verklaringen",
            &["id", "eigenaar", "object_id", "tekst"],
            format!("eigenaar IN {o} OR object_id IN {personen}"),
        ),
        (
            "abonnementen",
            &["id", "organisatie", "url", "kanalen"],
            format!("organisatie IN {o}"),
        ),
        (
            "outbox",
            &["id", "soort", "organisatie", "status"],
            format!("organisatie IN {o}"),
        ),
        (
            "bezorgingen",
            &["id", "status", "pogingen"],
            format!("outbox_id IN (SELECT id FROM outbox WHERE organisatie IN {o})"),
        ),
        (
            "gebruiksquota",
            &["id", "gebruiker", "aantal", "overschreden_op"],
            format!("organisatie IN {o}"),
        ),
        (
            "kwaliteitscontrole",
            &["organisatie", "verplicht"],
            format!("organisatie IN {o}"),
        ),
        (
            "bewaartermijnen",
            &["id", "organisatie", "soort", "termijn_dagen"],
            format!("organisatie IN {o}"),
        ),
        (
            "sluitingsdagen",
            &["organisatie", "datum", "omschrijving"],
            format!("organisatie IN {o}"),
        ),
        (
            "organisaties",
            &["id", "code", "naam", "soort", "versie"],
            format!("code IN {o}"),
        ),
        (
            "contactpunten",
            &["id", "organisatie_id", "naam", "telefoon", "email"],
            "1 = 1".to_string(),
        ),
        (
            "convenanten",
            &["id", "status", "inhoud", "ingetrokken_op"],
            format!("eigenaar IN {o}"),
        ),
        (
            "convenant_partijen",
            &["convenant_id", "organisatie"],
            format!("convenant_id IN {convenanten}"),
        ),
        (
            "convenant_ondertekeningen",
            &["id", "organisatie", "inhoud_hash", "vervallen_op"],
            format!("convenant_id IN {convenanten}"),
        ),
        (
            "convenant_uittredingen",
            &["convenant_id", "organisatie"],
            format!("convenant_id IN {convenanten}"),
        ),
        (
            "convenant_intrekkingsverzoeken",
            &["convenant_id", "organisatie"],
            format!("convenant_id IN {convenanten}"),
        ),
    ];
    tabellen
        .into_iter()
        .map(|(t, kolommen, waar)| {
            let mut rijen = tekst(
                app,
                &format!("SELECT {} AS s FROM {t} WHERE {waar}", rij(kolommen)),
            );
            rijen.sort();
            (t, rijen)
        })
        .collect()
}

fn vergelijk(
    voor: &BTreeMap<&'static str, Vec<String>>,
    na: &BTreeMap<&'static str, Vec<String>>,
    uitsluiten: &[&str],
) -> Vec<String> {
    let mut fouten = Vec::new();
    for (t, rijen) in voor {
        if uitsluiten.contains(t) {
            continue;
        }
        let nu = &na[t];
        if rijen != nu {
            let weg: Vec<&String> = rijen.iter().filter(|r| !nu.contains(r)).collect();
            let erbij: Vec<&String> = nu.iter().filter(|r| !rijen.contains(r)).collect();
            fouten.push(format!("tabel {t} veranderd: weg {weg:?}, erbij {erbij:?}"));
        }
    }
    fouten
}

async fn matrix(db: Db) {
    let Some(app) = common::spawn_with(db, CONFIG).await else {
        return;
    };
    let w = wereld(&app).await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ops = operaties(&doc);

    // Every path family with an id has ids, every operation a body entry.
    let mut ontbrekend = Vec::new();
    for (methode, pad, _) in &ops {
        if pad.contains('{') && soort_van(pad).is_none() {
            ontbrekend.push(format!("{methode} {pad}: geen ids (soort_van)"));
        }
        if (soort_van(pad).is_some() || !pad.contains('{'))
            && lichamen(methode, pad, &w, BUITEN, &Doel::Geen).is_none()
        {
            ontbrekend.push(format!("{methode} {pad}: geen lichaam (lichamen)"));
        }
    }
    assert!(
        ontbrekend.is_empty(),
        "operations the matrix does not cover:\n{}",
        ontbrekend.join("\n")
    );

    // Phase A: every operation except the agreement acts. Nothing of the owners changes.
    let (fase_a, fase_b): (Vec<_>, Vec<_>) = ops
        .into_iter()
        .partition(|(m, p, _)| !convenanthandeling(m, p) && p != "/demo-klok/verschuivingen");
    let voor = momentopname(&app);
    let mut uitslagen = speel(&app, &w, &fase_a).await;
    let na = momentopname(&app);
    let mut fouten = vergelijk(&voor, &na, &[]);

    // Control: once the owners sign version 2, its rules apply to the RvdK.
    let v2 = w.id("convenant", "versie 2 (concept)");
    for org in EIGENAREN {
        onderteken(&app, &v2, org).await;
    }
    let rvdk = app.token(CONCEPTPARTIJ, &["noodhulp"]);
    let res = app
        .get(
            &format!("/api/v1/personen/{}", w.id("persoon", "GI kind")),
            &rvdk,
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "control: signed by all, the concept's rules apply"
    );
    // ...and the markers would show a leak: the entitled answer carries them.
    let gezien = lekken(
        &w,
        &res.text().await.unwrap().to_lowercase(),
        &BTreeSet::new(),
        false,
    );
    assert!(
        gezien.iter().any(|m| m.contains("Xqlotte")),
        "control: markers found in an entitled answer: {gezien:?}"
    );

    // Phase B: the agreement acts (and the demo clock). Parties act on their agreements
    // by design; nothing of the owners' data changes.
    let voor = momentopname(&app);
    uitslagen.extend(speel(&app, &w, &fase_b).await);
    let na = momentopname(&app);
    fouten.extend(vergelijk(
        &voor,
        &na,
        &[
            "convenanten",
            "convenant_partijen",
            "convenant_ondertekeningen",
            "convenant_uittredingen",
            "convenant_intrekkingsverzoeken",
        ],
    ));

    fouten.extend(toets(&uitslagen));
    println!("{}", overzicht(&uitslagen));
    println!(
        "{} aanroepen, {} merktekens, {} fouten",
        uitslagen.len(),
        w.mk.0.len(),
        fouten.len()
    );
    assert!(fouten.is_empty(), "{}", fouten.join("\n"));
}

op_beide_backends!(matrix);
