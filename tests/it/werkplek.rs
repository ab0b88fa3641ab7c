//! De werkplek (issue 16) over real HTTP against the real app: sign-in and sign-out, the
//! session cookie and its time-outs, CSRF on every form, every screen for its roles and
//! 403 for the others, the zorgmelding filed, submitted, received, triaged and fed back
//! through the pages (the same use cases, so the same audit and processing-log rows as the
//! API), the OM refused without a reason, and no personal data in any URL the console
//! makes or links to.

use crate::common;

use common::{Db, TestApp};
use serde_json::{Value, json};

const POLITIE: &str = "politie-den-haag";
const VT: &str = "veilig-thuis-haaglanden";

/// A browser: no automatic redirects, cookies kept by hand (so the test sees each one).
pub(crate) struct Browser<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) http: reqwest::Client,
    pub(crate) cookies: Vec<(String, String)>,
    /// Every URL requested or redirected to.
    pub(crate) urls: Vec<String>,
}

pub(crate) struct Antwoord {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) html: String,
}

impl Antwoord {
    /// The CSRF token of the first form on the page.
    pub(crate) fn csrf(&self) -> String {
        let i = self
            .html
            .find("name=\"_csrf\" value=\"")
            .expect("a form with _csrf");
        let rest = &self.html[i + 20..];
        rest[..rest.find('"').unwrap()].to_string()
    }
    pub(crate) fn location(&self) -> String {
        self.headers["location"].to_str().unwrap().to_string()
    }
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: vec![],
            urls: vec![],
        }
    }

    fn cookie_kop(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn lees(&mut self, res: reqwest::Response) -> Antwoord {
        for sc in res.headers().get_all("set-cookie") {
            let sc = sc.to_str().unwrap();
            let (kv, _) = sc.split_once(';').unwrap_or((sc, ""));
            let (k, v) = kv.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !sc.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        if let Some(l) = res.headers().get("location") {
            self.urls.push(l.to_str().unwrap().to_string());
        }
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let html = res.text().await.unwrap();
        Antwoord {
            status,
            headers,
            html,
        }
    }

    pub(crate) async fn get(&mut self, pad: &str) -> Antwoord {
        self.urls.push(pad.to_string());
        let res = self
            .http
            .get(self.app.url(pad))
            .header("cookie", self.cookie_kop())
            .send()
            .await
            .unwrap();
        self.lees(res).await
    }

    pub(crate) async fn post(&mut self, pad: &str, velden: &[(&str, &str)]) -> Antwoord {
        self.urls.push(pad.to_string());
        let res = self
            .http
            .post(self.app.url(pad))
            .header("cookie", self.cookie_kop())
            .form(velden)
            .send()
            .await
            .unwrap();
        self.lees(res).await
    }

    /// Sign in as demo role `label` through the sign-in page.
    pub(crate) async fn meld_aan(&mut self, label: &str) -> String {
        let p = self.get("/werkplek/aanmelden").await;
        assert_eq!(p.status, 200);
        let token = p.csrf();
        let r = self
            .post("/werkplek/aanmelden", &[("_csrf", &token), ("rol", label)])
            .await;
        assert_eq!(r.status, 303, "{}", r.html);
        let start = self.get("/werkplek/").await;
        assert_eq!(start.status, 200);
        start.csrf()
    }
}

/// Register the organisation of every demo role (`dev_token::DEMO_ROLLEN`) not registered
/// yet, with the kind its code names: a session, like a token, is only for a registered
/// organisation (ORGANISATIE_GEREGISTREERD). The platform organisation needs no row.
pub(crate) async fn demo_organisaties(app: &TestApp) {
    let mut gedaan: Vec<&str> = vec![];
    for (_, org, _) in ketenregie_api::dev_token::DEMO_ROLLEN {
        if *org == "ketenregie-platform" || gedaan.contains(org) {
            continue;
        }
        gedaan.push(org);
        let bekend = app.tel(&format!(
            "SELECT count(*) AS n FROM organisaties WHERE code = '{org}'"
        ));
        if bekend > 0 {
            continue;
        }
        let soort = [
            ("politie-", "politie"),
            ("veilig-thuis-", "veilig-thuis"),
            ("gi-", "gecertificeerde-instelling"),
            ("om-", "om"),
            ("wijkteam-", "wijkteam"),
        ]
        .iter()
        .find(|(voor, _)| org.starts_with(voor))
        .map(|(_, s)| *s)
        .expect("a demo organisation of a known kind");
        app.organisatie(org, soort, &[]).await;
    }
}

pub(crate) async fn opzet(app: &TestApp) {
    app.organisatie(POLITIE, "politie", &[]).await;
    app.organisatie(VT, "veilig-thuis", &["0518"]).await;
    app.organisatie(
        "gi-jeugdbescherming-west",
        "gecertificeerde-instelling",
        &["0518"],
    )
    .await;
    app.organisatie("om-parket-den-haag", "om", &[]).await;
    let regel = |soort: &str,
                 rol: &str,
                 acties: serde_json::Value,
                 doel: &str,
                 cats: serde_json::Value| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": acties, "categorieen": cats, "doel": doel,
               "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "test"}})
    };
    let mut om_regel = regel(
        "om",
        "officier-van-justitie",
        json!(["lezen"]),
        "strafrechtelijke-beoordeling",
        json!(["identificatie", "gezinssituatie", "politiegegevens"]),
    );
    om_regel["redenVerplicht"] = json!(true);
    app.convenant_van_kracht(&json!({
        "titel": "Werkplek test",
        "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": VT, "rol": "ontvanger"},
                     {"organisatie": "gi-jeugdbescherming-west", "rol": "ontvanger"}, {"organisatie": "om-parket-den-haag", "rol": "ontvanger"}],
        "doelen": ["veiligheidsbeoordeling", "terugkoppeling", "briefing", "strafrechtelijke-beoordeling", "coordinatie"],
        "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit", "hulpverlening", "gezag-en-omgang"],
        "regels": [
            regel("veilig-thuis", "triagist", json!(["lezen", "wijzigen"]), "veiligheidsbeoordeling", json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"])),
            regel("politie", "wijkagent", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"])),
            regel("veilig-thuis", "triagist", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"])),
            regel("gecertificeerde-instelling", "gezinsvoogd", json!(["lezen", "wijzigen"]), "coordinatie", json!(["identificatie", "gezinssituatie"])),
            regel("politie", "noodhulp", json!(["lezen"]), "briefing", json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "politiegegevens"])),
            om_regel
        ]
    }))
    .await;
}

const BSN_KIND: &str = "999990032";

/// The filled form (the persons are synthetic; the BSN passes the elfproef).
pub(crate) fn formulier(csrf: &str, actie: &str) -> Vec<(String, String)> {
    [
        ("_csrf", csrf),
        ("kinderen[0].voornaam", "Sem"),
        ("kinderen[0].achternaam", "de Boer"),
        ("kinderen[0].geboortedatum", "2016-05-04"),
        ("kinderen[0].bsn", BSN_KIND),
        ("kinderen[0].gemeente", "0518"),
        ("ouders[0].voornaam", "Lisa"),
        ("ouders[0].achternaam", "Visser"),
        ("ouders[0].relatie", "moeder"),
        ("ouders[0].gezag", "ja"),
        ("omschrijving", "Ruzie bij de overdracht van de kinderen."),
        ("zorgen", "Sem was erbij."),
        ("acuut", "nee"),
        ("risiconiveau", "verhoogd"),
        ("verklaringen[0].persoon", "Lisa Visser"),
        ("verklaringen[0].rol", "moeder"),
        ("verklaringen[0].tekst", "Hij kwam te laat."),
        ("oudersGeinformeerd", "ja"),
        ("terugkoppelingGewenst", "ja"),
        ("melder.naam", "agent P. Pietersen"),
        ("melder.functie", "wijkagent"),
        ("melder.identiteitDelen", "ja"),
        ("vertrouwelijkheid", "vertrouwelijk"),
        ("actie", actie),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub(crate) fn velden(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Personal data of the test: none may appear in any URL.
const PERSOONSGEGEVENS: &[&str] = &[
    BSN_KIND,
    "Sem",
    "Boer",
    "Visser",
    "Lisa",
    "Pietersen",
    "2016-05-04",
];

fn geen_persoonsgegevens_in_urls(b: &Browser, paginas: &[&str]) {
    let mut urls = b.urls.clone();
    // Every link and form target on the pages seen.
    for html in paginas {
        for attr in ["href=\"", "action=\""] {
            for deel in html.split(attr).skip(1) {
                urls.push(deel[..deel.find('"').unwrap()].to_string());
            }
        }
    }
    for u in &urls {
        for p in PERSOONSGEGEVENS {
            assert!(!u.contains(p), "personal data `{p}` in URL {u}");
        }
    }
}

async fn aanmelden_en_afmelden(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    let mut b = Browser::new(&app);
    // Not signed in: to the sign-in page.
    let r = b.get("/werkplek/").await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (303, "/werkplek/aanmelden")
    );
    let r = b.get("/werkplek/inbox").await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (303, "/werkplek/aanmelden")
    );
    // The sign-in page lists the demo roles, with its own CSRF cookie.
    let p = b.get("/werkplek/aanmelden").await;
    for (label, _, _) in ketenregie_api::dev_token::DEMO_ROLLEN {
        assert!(p.html.contains(&format!("value=\"{label}\"")), "{label}");
    }
    // Each role's organisation by its name in the partner register, not its code.
    app.sql(&format!(
        "UPDATE organisaties SET naam = 'Veilig Thuis Haaglanden' WHERE code = '{VT}'"
    ));
    let p = b.get("/werkplek/aanmelden").await;
    assert!(
        p.html
            .contains("privacy_vt <span>(privacyfunctionaris, Veilig Thuis Haaglanden)</span>"),
        "{}",
        p.html
    );
    assert!(p.html.contains("(officier van justitie, "), "{}", p.html);
    // A sign-in post without the token (login CSRF) is refused.
    let r = b.post("/werkplek/aanmelden", &[("rol", "triagist")]).await;
    assert_eq!(r.status, 403);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let r = b
        .post(
            "/werkplek/aanmelden",
            &[("_csrf", &p.csrf()), ("rol", "triagist")],
        )
        .await;
    assert_eq!(r.status, 303);
    let sc = r.headers["set-cookie"].to_str().unwrap().to_string();
    let alle: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let sessie = alle
        .iter()
        .find(|c| c.starts_with("werkplek_sessie="))
        .unwrap_or(&sc.as_str())
        .to_string();
    for kenmerk in ["HttpOnly", "SameSite=Strict", "Path=/werkplek"] {
        assert!(sessie.contains(kenmerk), "{kenmerk} in {sessie}");
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM werkplek_sessies"), 1);
    // Signed in: the start page with the triagist's screens, CSP and no-store.
    let start = b.get("/werkplek/").await;
    assert_eq!(start.status, 200);
    assert!(start.html.contains("/werkplek/inbox"));
    assert!(!start.html.contains("/werkplek/meldingen/nieuw"));
    let csp = start.headers["content-security-policy"].to_str().unwrap();
    assert!(
        !csp.contains("unsafe-inline") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(start.headers["cache-control"], "no-store");
    // The style sheets come from the binary.
    for css in [
        "utrecht-tokens.css",
        "utrecht-componenten.css",
        "werkplek.css",
    ] {
        let r = b.get(&format!("/werkplek/statisch/{css}")).await;
        assert_eq!(r.status, 200, "{css}");
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
    }
    // Sign-out without the token is refused; with it the session ends everywhere.
    let r = b.post("/werkplek/afmelden", &[]).await;
    assert_eq!(r.status, 403);
    let r = b
        .post("/werkplek/afmelden", &[("_csrf", &start.csrf())])
        .await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (303, "/werkplek/aanmelden")
    );
    assert_eq!(app.tel("SELECT count(*) AS n FROM werkplek_sessies"), 0);
    assert_eq!(b.get("/werkplek/inbox").await.status, 303);
}

async fn tijdslimieten(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    for (laatst, begin) in [(31, 0), (0, 10 * 60 + 1)] {
        let mut b = Browser::new(&app);
        b.meld_aan("triagist").await;
        let id = b
            .cookies
            .iter()
            .find(|(k, _)| k == "werkplek_sessie")
            .unwrap()
            .1
            .clone();
        assert_eq!(b.get("/werkplek/inbox").await.status, 200);
        ketenregie_api::werkplek::sessie::verouder(
            &app.pool,
            &id,
            chrono::Duration::minutes(laatst),
            chrono::Duration::minutes(begin),
        )
        .await
        .unwrap();
        let r = b.get("/werkplek/inbox").await;
        assert_eq!(
            (r.status, r.location().as_str()),
            (303, "/werkplek/aanmelden"),
            "idle {laatst} min, absolute {begin} min"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM werkplek_sessies"), 0);
}

async fn schermen_per_rol(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    // (screen, the demo roles it renders for); every other demo role gets 403.
    let schermen: &[(&str, &[&str])] = &[
        ("/werkplek/meldingen/nieuw", &["noodhulp", "wijkagent"]),
        ("/werkplek/uitgaand", &["noodhulp", "wijkagent"]),
        ("/werkplek/kwaliteitscontrole", &["kwaliteitscontroleur"]),
        (
            "/werkplek/inbox",
            &["triagist", "gezinsvoogd", "wijkteam", "buitenstaander"],
        ),
        ("/werkplek/briefing", &["noodhulp", "wijkagent", "officier"]),
        (
            "/werkplek/overdrachten",
            &["gezinsvoogd", "wijkteam", "buitenstaander"],
        ),
        (
            "/werkplek/terugkoppeling",
            &["triagist", "gezinsvoogd", "wijkteam", "buitenstaander"],
        ),
        (
            "/werkplek/beheer",
            &["politiebeheer", "beheer", "wijkteambeheer"],
        ),
        ("/werkplek/dashboard", &["stuurgroep"]),
        (
            "/werkplek/verantwoording",
            &["privacy", "privacy_vt", "privacy_gi", "privacy_om"],
        ),
        (
            "/werkplek/weigeringen",
            &["privacy", "privacy_vt", "privacy_gi", "privacy_om"],
        ),
        (
            "/werkplek/verstrekkingen",
            &["privacy", "privacy_vt", "privacy_gi", "privacy_om"],
        ),
        (
            "/werkplek/inzage",
            &["privacy", "privacy_vt", "privacy_gi", "privacy_om"],
        ),
        (
            "/werkplek/convenanten",
            &[
                "politiebeheer",
                "beheer",
                "wijkteambeheer",
                "privacy",
                "privacy_vt",
                "privacy_gi",
                "privacy_om",
            ],
        ),
        (
            "/werkplek/cijfers",
            &[
                "politiebeheer",
                "beheer",
                "wijkteambeheer",
                "privacy",
                "privacy_vt",
                "privacy_gi",
                "privacy_om",
            ],
        ),
    ];
    for (label, _, _) in ketenregie_api::dev_token::DEMO_ROLLEN {
        let mut b = Browser::new(&app);
        b.meld_aan(label).await;
        for (pad, rollen) in schermen {
            let r = b.get(pad).await;
            let verwacht = if rollen.contains(label) { 200 } else { 403 };
            assert_eq!(r.status, verwacht, "{label} on {pad}");
            assert_eq!(r.headers["cache-control"], "no-store", "{pad}");
            assert!(
                r.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
            assert!(r.html.contains("<html lang=\"nl\""), "{pad}");
        }
        // The screen's POST is refused for the other roles too (after the CSRF check).
        let csrf = b.get("/werkplek/").await.csrf();
        let r = b
            .post("/werkplek/briefing", &[("_csrf", &csrf), ("bsn", BSN_KIND)])
            .await;
        let verwacht = if ["noodhulp", "wijkagent", "officier"].contains(label) {
            200
        } else {
            403
        };
        assert_eq!(r.status, verwacht, "{label} POST briefing");
    }
}

async fn csrf_op_elk_formulier(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    let mut b = Browser::new(&app);
    b.meld_aan("wijkagent").await;
    let id = uuid::Uuid::now_v7();
    for pad in [
        "/werkplek/afmelden".to_string(),
        "/werkplek/meldingen".into(),
        "/werkplek/briefing".into(),
        format!("/werkplek/meldingen/{id}"),
        format!("/werkplek/meldingen/{id}/indienen"),
        format!("/werkplek/meldingen/{id}/kwaliteit"),
        format!("/werkplek/meldingen/{id}/stap"),
        format!("/werkplek/meldingen/{id}/terugkoppeling"),
        format!("/werkplek/meldingen/{id}/overdracht"),
    ] {
        let zonder = b.post(&pad, &[("bsn", BSN_KIND)]).await;
        assert_eq!(zonder.status, 403, "{pad} without token");
        let fout = b.post(&pad, &[("_csrf", "0000"), ("bsn", BSN_KIND)]).await;
        assert_eq!(fout.status, 403, "{pad} with a wrong token");
        assert!(zonder.html.contains("CSRF"), "{pad}");
    }
    // Still signed in: nothing was done.
    assert_eq!(b.get("/werkplek/uitgaand").await.status, 200);
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 0);
}

/// An unknown municipality code is named at its field beside every other problem of the
/// form (the outside review of 1 Dec 2026: "Er zijn 11 problemen", the municipality not
/// among them), as the API names it.
async fn melding_onbekende_gemeente_naast_de_rest(db: Db) {
    // The reference data (municipalities, and the Veilig Thuis organisations): only the
    // police to register; the form is refused before any agreement is asked.
    let Some(app) = common::spawn_with(db, "# referentiedata").await else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    let mut agent = Browser::new(&app);
    let csrf = agent.meld_aan("wijkagent").await;
    let mut v = formulier(&csrf, "concept");
    for (k, w) in v.iter_mut() {
        match k.as_str() {
            "kinderen[0].gemeente" => *w = "9999".into(),
            "kinderen[0].bsn" => *w = "123456789".into(),
            "omschrijving" => w.clear(),
            _ => {}
        }
    }
    let r = agent.post("/werkplek/meldingen", &velden(&v)).await;
    assert!(matches!(r.status, 400 | 422), "{}", r.html);
    for id in [
        "veld-kinderen-0--gemeente",
        "veld-kinderen-0--bsn",
        "veld-omschrijving",
    ] {
        assert!(
            r.html.contains(&format!("id=\"{id}-fout\"")),
            "problem at {id}: {}",
            r.html
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 0);
}

async fn melding_door_de_keten(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    let mut agent = Browser::new(&app);
    let csrf = agent.meld_aan("wijkagent").await;
    let leeg = agent.get("/werkplek/meldingen/nieuw").await;
    // The municipality is chosen by name; the form sends its CBS code.
    assert!(
        leeg.html
            .contains("<option value=\"0518\">&#39;s-Gravenhage</option>"),
        "{}",
        leeg.html
    );
    assert!(!leeg.html.contains("CBS-code"), "{}", leeg.html);
    // Every problem at its field: a wrong municipality code and BSN, no description; what
    // was typed stays.
    let mut v = formulier(&csrf, "concept");
    for (k, w) in v.iter_mut() {
        match k.as_str() {
            "kinderen[0].gemeente" => *w = "51".into(),
            "kinderen[0].bsn" => *w = "123456789".into(),
            "omschrijving" => w.clear(),
            _ => {}
        }
    }
    let r = agent.post("/werkplek/meldingen", &velden(&v)).await;
    assert_eq!(r.status, 422, "{}", r.html);
    for id in [
        "veld-kinderen-0--gemeente",
        "veld-kinderen-0--bsn",
        "veld-omschrijving",
    ] {
        assert!(
            r.html.contains(&format!("id=\"{id}-fout\"")),
            "problem at {id}"
        );
        assert!(
            r.html.contains(&format!("href=\"#{id}\"")),
            "summary links {id}"
        );
    }
    assert!(r.html.contains("value=\"Visser\""), "typed values kept");
    // Said with the form's labels, not the API's paths.
    assert!(r.html.contains("Kind 1: BSN"), "{}", r.html);
    assert!(!r.html.contains("`kinderen[0]"), "{}", r.html);
    assert_eq!(app.tel("SELECT count(*) AS n FROM zorgmeldingen"), 0);
    // A concept, then changed and submitted.
    let r = agent
        .post("/werkplek/meldingen", &velden(&formulier(&csrf, "concept")))
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let pad = r.location();
    let id = pad.rsplit('/').next().unwrap().to_string();
    let concept = agent.get(&pad).await;
    assert!(concept.html.contains("concept"));
    assert!(concept.html.contains("Concept bewerken"));
    let bewerk = agent.get(&format!("{pad}/bewerken")).await;
    assert_eq!(bewerk.status, 200);
    assert!(bewerk.html.contains("value=\"999990032\""));
    let versie = {
        let i = bewerk.html.find("name=\"_versie\" value=\"").unwrap() + 22;
        bewerk.html[i..i + bewerk.html[i..].find('"').unwrap()].to_string()
    };
    let mut v = formulier(&csrf, "indienen");
    v.push(("_versie".into(), versie));
    let r = agent.post(&pad, &velden(&v)).await;
    assert_eq!(r.status, 303, "{}", r.html);
    // People read names, not codes: the organisation by the partner register, the
    // municipality by the reference data.
    app.sql(&format!(
        "UPDATE organisaties SET naam = 'Veilig Thuis Haaglanden' WHERE code = '{VT}'"
    ));
    // The municipality as the reference data has it (tests load no reference data).
    app.sql(
        "INSERT INTO gemeenten (code, naam, provincie, veiligheidsregio_code, veiligheidsregio_naam, politie_eenheid) \
         SELECT '0518', '''s-Gravenhage', 'Zuid-Holland', 'VR15', 'Haaglanden', 'Den Haag' \
         WHERE NOT EXISTS (SELECT 1 FROM gemeenten WHERE code = '0518')",
    );
    let uit = agent.get("/werkplek/uitgaand").await;
    assert!(
        uit.html.contains(&id) && uit.html.contains(">Veilig Thuis Haaglanden<"),
        "{}",
        uit.html
    );
    assert!(!uit.html.contains(&format!(">{VT}<")), "{}", uit.html);
    assert!(
        uit.html.contains("Gravenhage") && !uit.html.contains(">0518<"),
        "{}",
        uit.html
    );
    // Veilig Thuis: the inbox, the detail with only the allowed next steps.
    let mut vt = Browser::new(&app);
    vt.meld_aan("triagist").await;
    let inbox = vt.get("/werkplek/inbox").await;
    assert!(inbox.html.contains(&id), "{}", inbox.html);
    let detail = vt.get(&pad).await;
    assert_eq!(detail.status, 200);
    assert!(
        detail.html.contains("Veilig Thuis Haaglanden"),
        "{}",
        detail.html
    );
    assert!(detail.html.contains("Gravenhage"), "{}", detail.html);
    // The child's date of birth as every other date of the werkplek (dd-mm-jjjj).
    assert!(detail.html.contains("04-05-2016"), "{}", detail.html);
    assert!(!detail.html.contains("2016-05-04"), "{}", detail.html);
    assert!(detail.html.contains("Ontvangst bevestigen"));
    // Veilig Thuis takes on every melding: no rejection offered
    // (VEILIG_THUIS_NEEMT_ELKE_MELDING).
    assert!(!detail.html.contains("Afwijzen"), "{}", detail.html);
    assert!(
        !detail.html.contains("value=\"rejected\""),
        "{}",
        detail.html
    );
    assert!(
        !detail.html.contains("Afronden"),
        "not allowed from requested"
    );
    assert!(!detail.html.contains("Annuleren"), "the sender's step");
    assert!(detail.html.contains("Sem"), "the content for the receiver");
    let csrf_vt = detail.csrf();
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[("_csrf", &csrf_vt), ("naar", "received")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    // A crafted rejection, with or without a reason, is refused by the use case before
    // its reason (VEILIG_THUIS_NEEMT_ELKE_MELDING, STAP_VOOR_REDEN): the step's name and
    // the state in the page's words; nothing changed.
    let stappen = app.tel("SELECT count(*) AS n FROM zorgmelding_stappen");
    for reden in ["", "Geen capaciteit"] {
        let r = vt
            .post(
                &format!("{pad}/stap"),
                &[("_csrf", &csrf_vt), ("naar", "rejected"), ("reden", reden)],
            )
            .await;
        assert_eq!(r.status, 409, "{}", r.html);
        assert!(r.html.contains("„Afwijzen” kan nu niet."), "{}", r.html);
        assert!(r.html.contains("De melding is nu ontvangen."), "{}", r.html);
        assert!(!r.html.contains("reden-rejected-fout"), "{}", r.html);
    }
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"),
        stappen
    );
    // A step the state does not allow: by the step's name and the state as the page
    // shows them, never the API's codes.
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[("_csrf", &csrf_vt), ("naar", "completed")],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.html);
    assert!(r.html.contains("„Afronden” kan nu niet."), "{}", r.html);
    assert!(r.html.contains("De melding is nu ontvangen."), "{}", r.html);
    for code in [
        "`",
        "received",
        "requested",
        "completed",
        "accepted, rejected",
    ] {
        assert!(!foutblok(&r.html).contains(code), "{code}: {}", r.html);
    }
    // Before the triage the feedback form offers only the receipt
    // (TERUGKOPPELING_VOLGT_BEHANDELING), and a forged final outcome is refused in words.
    assert!(
        r.html.contains("<option value=\"ontvangstbevestiging\">"),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("<option value=\"eindresultaat\">"),
        "{}",
        r.html
    );
    let r = vt
        .post(
            &format!("{pad}/terugkoppeling"),
            &[
                ("_csrf", &csrf_vt),
                ("moment", "eindresultaat"),
                ("vervolgtrajectGestart", "nee"),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.html);
    assert!(foutblok(&r.html).contains("afsluiting"), "{}", r.html);
    for code in ["`", "TERUGKOPPELING_VOLGT_BEHANDELING", "received"] {
        assert!(!foutblok(&r.html).contains(code), "{code}: {}", r.html);
    }
    // A triage left at "Kies" or with an outcome that is none: a problem at the outcome's
    // field, no step, no duty met (the API refuses the same: the use case's type has no
    // triage without an outcome).
    let stappen_voor = app.tel("SELECT count(*) AS n FROM zorgmelding_stappen");
    for (uitkomst, acuut, naar) in [
        ("", "nee", "in-progress"),
        ("bogus", "nee", "in-progress"),
        // An acuteness that is neither yes nor no, and a step to no state.
        ("onderzoek-vt", "wellicht", "in-progress"),
        ("onderzoek-vt", "nee", "ergens-heen"),
    ] {
        let r = vt
            .post(
                &format!("{pad}/stap"),
                &[
                    ("_csrf", &csrf_vt),
                    ("naar", naar),
                    ("uitkomst", uitkomst),
                    ("acuut", acuut),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{uitkomst:?} {acuut:?} {naar:?}: {}", r.html);
        assert!(
            !foutblok(&r.html).contains("wellicht") && !foutblok(&r.html).contains("ergens-heen"),
            "{}",
            r.html
        );
    }
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"),
        stappen_voor,
        "nothing written"
    );
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[
                ("_csrf", &csrf_vt),
                ("naar", "in-progress"),
                ("uitkomst", "onderzoek-vt"),
                ("acuut", "nee"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    // Triaged, not yet fed back: the triage duty is still owed
    // (PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING), the receipt was met by its step.
    let termijn = |html: &str, moment: &str| {
        let begin = html
            .find(&format!("data-moment=\"{moment}\""))
            .unwrap_or_else(|| panic!("{moment}: {html}"));
        let rest = &html[begin..];
        rest[..rest.find("</li>").unwrap()].to_string()
    };
    let detail = vt.get(&pad).await;
    assert!(
        termijn(&detail.html, "na beoordeling").contains("Nog open."),
        "{}",
        detail.html
    );
    assert!(termijn(&detail.html, "ontvangstbevestiging").contains("Voldaan"));
    let r = vt
        .post(
            &format!("{pad}/terugkoppeling"),
            &[
                ("_csrf", &csrf_vt),
                ("moment", "na-beoordeling"),
                ("vervolgtrajectGestart", "ja"),
                ("toelichting", "Wij doen onderzoek."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let detail = vt.get(&pad).await;
    assert!(
        termijn(&detail.html, "na beoordeling").contains("Voldaan"),
        "{}",
        detail.html
    );
    // Veilig Thuis hands over to the GI; the gezinsvoogd finds the task in the inbox and
    // rejects it with a reason.
    let detail = vt.get(&pad).await;
    assert!(detail.html.contains("Overdragen"), "{}", detail.html);
    // A hand-over to no registered organisation, or to itself: at the "Aan" field, in
    // the page's words (no API path, rule name or code).
    for (naar, tekst) in [
        (
            "niet-geregistreerd",
            "Aan: kies een organisatie uit de lijst",
        ),
        (VT, "Aan: "),
    ] {
        let r = vt
            .post(
                &format!("{pad}/overdracht"),
                &[("_csrf", &csrf_vt), ("naar", naar), ("toelichting", "")],
            )
            .await;
        assert_eq!(r.status, 422, "{naar}: {}", r.html);
        assert!(
            r.html.contains("id=\"overdracht-naar-fout\""),
            "{naar}: {}",
            r.html
        );
        assert!(r.html.contains(tekst), "{naar}: {}", r.html);
        let fout = foutblok(&r.html);
        for code in ["`", "/api/", "OVERDRACHT_", VT] {
            assert!(!fout.contains(code), "{naar} {code}: {}", r.html);
        }
    }
    // The feedback names who gave it by the organisation's name.
    assert!(
        detail.html.contains("(Veilig Thuis Haaglanden)"),
        "{}",
        detail.html
    );
    let r = vt
        .post(
            &format!("{pad}/overdracht"),
            &[
                ("_csrf", &csrf_vt),
                ("naar", "gi-jeugdbescherming-west"),
                ("toelichting", "Gezinsvoogd betrokken"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let mut gv = Browser::new(&app);
    gv.meld_aan("gezinsvoogd").await;
    let inbox_gv = gv.get("/werkplek/inbox").await;
    let i = inbox_gv
        .html
        .find("href=\"/werkplek/meldingen/")
        .expect("a hand-over in the inbox")
        + 6;
    let taak = inbox_gv.html[i..i + inbox_gv.html[i..].find('"').unwrap()].to_string();
    assert_ne!(taak, pad, "a task of its own");
    let t = gv.get(&taak).await;
    assert!(
        t.html.contains("Afwijzen") && t.html.contains("Accepteren"),
        "{}",
        t.html
    );
    // The gezinsvoogd's own screens: the hand-over waiting for a decision, and the
    // feedback the GI now owes Veilig Thuis with its deadline; no personal data on either.
    let wacht = gv.get("/werkplek/overdrachten").await;
    assert_eq!(wacht.status, 200);
    assert!(
        wacht.html.contains(&format!("action=\"{taak}/stap\"")),
        "{}",
        wacht.html
    );
    assert!(wacht.html.contains("Aannemen") && wacht.html.contains("Reden van afwijzen"));
    assert!(
        wacht.html.contains("Van Veilig Thuis Haaglanden,"),
        "handed over by Veilig Thuis, by name: {}",
        wacht.html
    );
    let schuld = gv.get("/werkplek/terugkoppeling").await;
    assert_eq!(schuld.status, 200);
    assert!(
        schuld.html.contains(&format!("href=\"{taak}\"")),
        "{}",
        schuld.html
    );
    assert!(schuld.html.contains("<time datetime="));
    for p in PERSOONSGEGEVENS {
        assert!(!wacht.html.contains(p) && !schuld.html.contains(p), "{p}");
    }
    // Rejecting from the list without a reason: refused by the use case, shown on the
    // melding; nothing changed.
    let r = gv
        .post(
            &format!("{taak}/stap"),
            &[
                ("_csrf", &wacht.csrf()),
                ("naar", "rejected"),
                ("reden", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.html.contains("utrecht-alert--error"));
    // At the "Reden (verplicht)" field of the rejection, by its label, no API code.
    assert!(r.html.contains("id=\"reden-rejected-fout\""), "{}", r.html);
    assert!(
        r.html.contains("aria-describedby=\"reden-rejected-fout\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"#reden-rejected\""), "{}", r.html);
    assert!(r.html.contains("Reden is verplicht"), "{}", r.html);
    assert!(
        !r.html.contains('`') && !r.html.contains("rejected vereist"),
        "{}",
        r.html
    );
    geen_persoonsgegevens_in_urls(&gv, &[&wacht.html, &schuld.html]);
    let r = gv
        .post(
            &format!("{taak}/stap"),
            &[
                ("_csrf", &t.csrf()),
                ("naar", "rejected"),
                ("reden", "Geen maatregel; hoort bij het wijkteam"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert!(gv.get(&taak).await.html.contains("afgewezen"));
    let wacht = gv.get("/werkplek/overdrachten").await;
    assert!(
        wacht.html.contains("Er wachten geen overdrachten op u."),
        "{}",
        wacht.html
    );
    // The figures of Veilig Thuis's functional admin: counts only, as a page and CSV.
    let mut beheer = Browser::new(&app);
    beheer.meld_aan("beheer").await;
    let cijfers = beheer.get("/werkplek/cijfers").await;
    assert_eq!(cijfers.status, 200);
    assert!(
        cijfers.html.contains("<svg") && cijfers.html.contains("na beoordeling"),
        "{}",
        cijfers.html
    );
    let csv = beheer.get("/werkplek/cijfers.csv").await;
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.html.starts_with("afzender;ontvanger;meldingen;moment"));
    for p in PERSOONSGEGEVENS {
        assert!(
            !cijfers.html.contains(p) && !csv.html.contains(p),
            "{p} in the figures"
        );
    }
    // The steering group's dashboard: the whole pilot by month, counts only.
    let mut sg = Browser::new(&app);
    sg.meld_aan("stuurgroep").await;
    let d = sg.get("/werkplek/dashboard").await;
    assert_eq!(d.status, 200, "{}", d.html);
    let maand = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now())
        .format("%Y-%m")
        .to_string();
    assert!(d.html.contains("<svg"), "{}", d.html);
    assert!(d.html.contains(&format!("<td class=\"utrecht-table__cell\">{maand}</td><td class=\"utrecht-table__cell\">Organisatie {POLITIE}</td><td class=\"utrecht-table__cell\">Veilig Thuis Haaglanden</td>")), "the pair in this month, by name: {}", d.html);
    assert!(d.html.contains("na beoordeling"));
    assert!(d.html.contains(&format!("<td class=\"utrecht-table__cell\">{maand}</td><td class=\"utrecht-table__cell\">&#39;s-Gravenhage</td><td class=\"utrecht-table__cell\">1</td>")), "one melding in 0518, by name: {}", d.html);
    let csv = sg.get("/werkplek/dashboard.csv").await;
    assert!(csv.html.starts_with("maand;afzender;ontvanger;"));
    assert!(
        csv.html.contains(&format!("{maand};{POLITIE};{VT};")),
        "{}",
        csv.html
    );
    for p in PERSOONSGEGEVENS {
        assert!(
            !d.html.contains(p) && !csv.html.contains(p),
            "{p} on the dashboard"
        );
    }
    // The privacy officer of Veilig Thuis searches its processing log by POST (the
    // reads of this melding are there) and sees the break-glass list; a bad date at its
    // field.
    let mut pf = Browser::new(&app);
    let csrf_pf = pf.meld_aan("privacy_vt").await;
    let v = pf.get("/werkplek/verantwoording").await;
    assert_eq!(v.status, 200, "{}", v.html);
    assert!(v.html.contains("Geen doorbraken."), "{}", v.html);
    let vandaag = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now()).to_string();
    let r = pf
        .post(
            "/werkplek/verantwoording",
            &[
                ("_csrf", &csrf_pf),
                ("van", &vandaag),
                ("tot", &vandaag),
                ("doel", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(
        r.html.contains("class=\"utrecht-table__row verwerking\""),
        "{}",
        r.html
    );
    for p in PERSOONSGEGEVENS {
        assert!(!r.html.contains(p), "{p} in the log search");
    }
    let r = pf
        .post(
            "/werkplek/verantwoording",
            &[("_csrf", &csrf_pf), ("van", "gisteren")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.html.contains("href=\"#veld-van\""), "{}", r.html);
    // A period that ends before it starts and a purpose the list does not offer: both at
    // their fields, nothing searched.
    let r = pf
        .post(
            "/werkplek/verantwoording",
            &[
                ("_csrf", &csrf_pf),
                ("van", "2026-03-10"),
                ("tot", "2026-03-01"),
                ("doel", "bogus"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    for veld in ["tot", "doel"] {
        assert!(
            r.html.contains(&format!("href=\"#veld-{veld}\"")),
            "{veld}: {}",
            r.html
        );
        assert!(
            r.html.contains(&format!("id=\"veld-{veld}-fout\"")),
            "{veld}: {}",
            r.html
        );
    }
    assert!(
        r.html.contains("Tot en met: deze datum ligt vóór van"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("resultaten-kop"), "no search: {}", r.html);
    for pad in ["/werkplek/weigeringen", "/werkplek/verstrekkingen"] {
        let r = pf
            .post(
                pad,
                &[
                    ("_csrf", &csrf_pf),
                    ("van", "2026-03-10"),
                    ("tot", "2026-03-01"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{pad}: {}", r.html);
        assert!(r.html.contains("id=\"veld-tot-fout\""), "{pad}: {}", r.html);
    }
    let r = pf
        .post(
            "/werkplek/verstrekkingen",
            &[("_csrf", &csrf_pf), ("doel", "bogus")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.html.contains("id=\"veld-doel-fout\""), "{}", r.html);
    geen_persoonsgegevens_in_urls(&pf, &[&v.html]);
    // The wijkagent sees the state and the feedback.
    let terug = agent.get(&pad).await;
    assert!(terug.html.contains("in behandeling"), "{}", terug.html);
    assert!(terug.html.contains("Wij doen onderzoek."));
    // The same use cases: every step is in the audit trail under the werkplek's name,
    // with processing-log rows.
    let stappen = app.tel(&format!(
        "SELECT count(*) AS n FROM audittrail WHERE object_id = '{id}' AND applicatie = 'ketenregie-werkplek' AND resultaat < 400"
    ));
    assert!(stappen >= 4, "audit rows of the werkplek: {stappen}");
    assert!(app.tel("SELECT count(*) AS n FROM verwerkingslog") >= 4);
    geen_persoonsgegevens_in_urls(
        &agent,
        &[
            &leeg.html,
            &concept.html,
            &bewerk.html,
            &uit.html,
            &terug.html,
        ],
    );
    geen_persoonsgegevens_in_urls(&vt, &[&inbox.html, &detail.html]);
}

async fn briefing_en_om(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    let gi = app.token("gi-jeugdbescherming-west", &["gezinsvoogd"]);
    let res = app
        .post(
            "/api/v1/personen",
            &gi,
            &json!({"bsn": BSN_KIND, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    // The police's own record of the child and an incident naming him.
    let politie = app.token(POLITIE, &["noodhulp"]);
    let res = app
        .post(
            "/api/v1/personen",
            &politie,
            &json!({"bsn": BSN_KIND, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let kind: Value = res.json().await.unwrap();
    let res = app
        .post(
            "/api/v1/incidenten",
            &politie,
            &json!({"tijdstip": (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339(), "gemeente": "0518",
                    "soort": "overdracht-kind-mislukt", "politieReferentie": "PL1500-2026000901",
                    "samenvatting": "Overdracht mislukt.",
                    "betrokkenen": [{"persoon": kind["id"], "rol": "kind"}]}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let mut nh = Browser::new(&app);
    let csrf = nh.meld_aan("noodhulp").await;
    let form = nh.get("/werkplek/briefing").await;
    // The header names the organisation, not its code (WCAG 2.1 SC 3.1.3).
    assert!(
        form.html.contains(&format!(" · Organisatie {POLITIE} · ")),
        "{}",
        form.html
    );
    assert!(
        !form.html.contains("name=\"reden\""),
        "no reason field for noodhulp"
    );
    let r = nh
        .post("/werkplek/briefing", &[("_csrf", &csrf), ("bsn", BSN_KIND)])
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(r.html.contains("Let op"), "{}", r.html);
    // Each person's name isolated, so its writing direction stays its own.
    assert!(
        r.html
            .contains("<li><bdi>Sem de Boer</bdi>, geboren 04-05-2016</li>"),
        "{}",
        r.html
    );
    // The incident's line names the police by name.
    assert!(
        r.html.contains(&format!("(Organisatie {POLITIE})")),
        "{}",
        r.html
    );
    // A bad key is shown at its field.
    let r = nh
        .post("/werkplek/briefing", &[("_csrf", &csrf), ("bsn", "12")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.html.contains("href=\"#veld-bsn\""), "{}", r.html);
    // Said by the fields' labels, and only of fields the page has.
    let r = nh
        .post(
            "/werkplek/briefing",
            &[
                ("_csrf", &csrf),
                ("voornamen", "Jan"),
                ("achternaam", ""),
                ("geboortedatum", "2026-02-30"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.html.contains("Achternaam is verplicht"), "{}", r.html);
    assert!(r.html.contains("Geboortedatum is geen datum"), "{}", r.html);
    assert!(r.html.contains("id=\"veld-achternaam-fout\""), "{}", r.html);
    assert!(!r.html.contains('`'), "{}", r.html);
    let r = nh
        .post(
            "/werkplek/briefing",
            &[("_csrf", &csrf), ("bsn", BSN_KIND), ("voornamen", "Jan")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(
        r.html
            .contains("Zoek met het BSN, of met voornamen, achternaam en geboortedatum"),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("postcode") && !r.html.contains('`'),
        "{}",
        r.html
    );
    // The OM: the reason field, and refused without a reason.
    let mut om = Browser::new(&app);
    let csrf = om.meld_aan("officier").await;
    let form = om.get("/werkplek/briefing").await;
    assert!(form.html.contains("name=\"reden\""));
    let r = om
        .post("/werkplek/briefing", &[("_csrf", &csrf), ("bsn", BSN_KIND)])
        .await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(r.html.contains("href=\"#veld-reden\""), "{}", r.html);
    // Said to a person at a form, not to an API client: no header to send.
    assert!(r.html.contains("vul hierboven de reden"), "{}", r.html);
    assert!(!r.html.contains("X-Audit-Toelichting"), "{}", r.html);
    let r = om
        .post(
            "/werkplek/briefing",
            &[
                ("_csrf", &csrf),
                ("bsn", BSN_KIND),
                ("reden", "Beoordeling aangifte parketnummer 09-123456-26"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    geen_persoonsgegevens_in_urls(&nh, &[&form.html]);
    geen_persoonsgegevens_in_urls(&om, &[&r.html]);
    // The steering group counts the briefings run this month, per organisation (the
    // refused one not).
    let mut sg = Browser::new(&app);
    sg.meld_aan("stuurgroep").await;
    let d = sg.get("/werkplek/dashboard").await;
    let maand = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now())
        .format("%Y-%m")
        .to_string();
    for org in [POLITIE, "om-parket-den-haag"] {
        let rij = format!(
            "<td class=\"utrecht-table__cell\">{maand}</td><td class=\"utrecht-table__cell\">Organisatie {org}</td><td class=\"utrecht-table__cell\">1</td>"
        );
        assert!(d.html.contains(&rij), "{org}: {}", d.html);
    }
    assert!(!d.html.contains(BSN_KIND));
}

async fn zelfde_limieten_als_de_api(db: Db) {
    let Some(app) = common::spawn_with(db, "[limits]\nbriefings_per_day = 2").await else {
        return;
    };
    demo_organisaties(&app).await;
    let mut b = Browser::new(&app);
    let csrf = b.meld_aan("noodhulp").await;
    for _ in 0..2 {
        let r = b
            .post("/werkplek/briefing", &[("_csrf", &csrf), ("bsn", BSN_KIND)])
            .await;
        assert_eq!(r.status, 200);
    }
    // The third briefing of the day is refused by the same daily quota as the API's.
    let r = b
        .post("/werkplek/briefing", &[("_csrf", &csrf), ("bsn", BSN_KIND)])
        .await;
    assert_eq!(r.status, 429, "{}", r.html);
    assert!(r.headers.contains_key("retry-after"));
    // Shown as a werkplek page, not the API's problem+json.
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        r.headers
    );
    assert!(r.html.contains("Probeer het"), "{}", r.html);
    assert!(r.html.contains("<html lang=\"nl\""));
    // The form itself is not a briefing.
    assert_eq!(b.get("/werkplek/briefing").await.status, 200);
}

/// The page's error alert (its first), up to its end.
fn foutblok(html: &str) -> &str {
    let i = html.find("utrecht-alert--error").expect("an error alert");
    let rest = &html[i..];
    &rest[..rest.find("</div>").unwrap_or(rest.len())]
}

/// The text in `html` from after the first `voor` up to the next `"`.
fn tussen<'h>(html: &'h str, voor: &str) -> &'h str {
    let i = html
        .find(voor)
        .unwrap_or_else(|| panic!("{voor} in {html}"))
        + voor.len();
    &html[i..i + html[i..].find('"').unwrap()]
}

async fn beheer_en_convenanten(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    common::keten::contactpunt(&app, POLITIE, "spoed", "spoed@politie.example").await;
    let mut b = Browser::new(&app);
    b.meld_aan("politiebeheer").await;
    // The quality-check switch, off at first; switched on through the same use case.
    let p = b.get("/werkplek/beheer").await;
    assert_eq!(p.status, 200, "{}", p.html);
    assert!(
        p.html.contains("id=\"kwaliteit-nee\" checked"),
        "{}",
        p.html
    );
    let r = b
        .post(
            "/werkplek/beheer/kwaliteitscontrole",
            &[("_csrf", &p.csrf()), ("verplicht", "ja")],
        )
        .await;
    assert_eq!((r.status, r.location().as_str()), (303, "/werkplek/beheer"));
    let p = b.get("/werkplek/beheer").await;
    assert!(p.html.contains("id=\"kwaliteit-ja\" checked"), "{}", p.html);
    // A contact point changed with the version the page showed; a second change with
    // that same (now old) version is refused with 412 and the new state shown.
    let actie = tussen(&p.html, "action=\"/werkplek/contactpunten/").to_string();
    let pad = format!("/werkplek/contactpunten/{actie}");
    let versie = tussen(&p.html, "name=\"_versie\" value=\"").to_string();
    let velden = |naam: &'static str| {
        vec![
            ("_versie", versie.clone()),
            ("rol", "spoed".to_string()),
            ("naam", naam.to_string()),
            ("telefoon", "0701234567".to_string()),
            ("email", "spoed@politie.example".to_string()),
            ("altijdBereikbaar", "ja".to_string()),
        ]
    };
    let mut v = velden("Meldkamer Den Haag");
    v.push(("_csrf", p.csrf()));
    let v: Vec<(&str, &str)> = v.iter().map(|(k, w)| (*k, w.as_str())).collect();
    let r = b.post(&pad, &v).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let mut v = velden("Nog een andere naam");
    v.push(("_csrf", p.csrf()));
    let v: Vec<(&str, &str)> = v.iter().map(|(k, w)| (*k, w.as_str())).collect();
    let r = b.post(&pad, &v).await;
    assert_eq!(r.status, 412, "{}", r.html);
    assert!(r.html.contains("Iemand anders"), "{}", r.html);
    assert!(
        r.html.contains("value=\"Meldkamer Den Haag\""),
        "the new state"
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM contactpunten WHERE naam = 'Meldkamer Den Haag' AND altijd_bereikbaar = true"),
        1
    );
    // The form's contact point passes the same rules as the API's: a blank name and a
    // telephone number that is none are refused (422), nothing changed.
    let p = b.get("/werkplek/beheer").await;
    let versie = tussen(&p.html, "name=\"_versie\" value=\"").to_string();
    let r = b
        .post(
            &pad,
            &[
                ("_csrf", &p.csrf()),
                ("_versie", &versie),
                ("rol", "spoed"),
                ("naam", "  "),
                ("telefoon", "bel maar"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM contactpunten WHERE naam = 'Meldkamer Den Haag' AND telefoon IS NOT NULL"),
        1,
        "unchanged"
    );
    // A yes/no that is neither (a forged form) is a problem at its field, not a "no".
    let r = b
        .post(
            &pad,
            &[
                ("_csrf", &p.csrf()),
                ("_versie", &versie),
                ("naam", "Meldkamer Den Haag"),
                ("telefoon", "0701234567"),
                ("altijdBereikbaar", "misschien"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(
        foutblok(&r.html).contains("Dag en nacht bereikbaar: kies ja of nee"),
        "{}",
        r.html
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM contactpunten WHERE naam = 'Meldkamer Den Haag' AND altijd_bereikbaar = true"),
        1,
        "unchanged"
    );
    // The agreements: who signed which version; a new concept version drafted and signed
    // by the police; a signature on another content hash refused.
    let c = b.get("/werkplek/convenanten").await;
    assert_eq!(c.status, 200, "{}", c.html);
    assert!(c.html.contains("Werkplek test, versie 1"), "{}", c.html);
    assert!(c.html.contains("ja, door"), "signatures shown: {}", c.html);
    let v1 = tussen(&c.html, "action=\"/werkplek/convenanten/").to_string();
    let v1 = v1.split('/').next().unwrap().to_string();
    let r = b
        .post(
            &format!("/werkplek/convenanten/{v1}/versies"),
            &[("_csrf", &c.csrf())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let c = b.get("/werkplek/convenanten").await;
    assert!(c.html.contains("Werkplek test, versie 2"), "{}", c.html);
    assert!(c.html.contains("Versie 2 ondertekenen"), "{}", c.html);
    let i = c.html.find("/ondertekenen\"").unwrap();
    let begin = c.html[..i].rfind('/').unwrap() + 1;
    let v2 = c.html[begin..i].to_string();
    let hash = tussen(&c.html, "name=\"inhoudHash\" value=\"").to_string();
    let r = b
        .post(
            &format!("/werkplek/convenanten/{v2}/ondertekenen"),
            &[("_csrf", &c.csrf()), ("inhoudHash", "sha256:0000")],
        )
        .await;
    assert!(
        matches!(r.status, 400 | 409 | 412 | 422),
        "{} {}",
        r.status,
        r.html
    );
    assert!(r.html.contains("utrecht-alert--error"));
    let r = b
        .post(
            &format!("/werkplek/convenanten/{v2}/ondertekenen"),
            &[("_csrf", &c.csrf()), ("inhoudHash", &hash)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let c = b.get("/werkplek/convenanten").await;
    assert!(
        !c.html.contains("Versie 2 ondertekenen"),
        "signed: {}",
        c.html
    );
    // Each act in the audit trail under the werkplek's name.
    for actie in ["wijzigen", "versie-aanmaken", "ondertekenen"] {
        let n = app.tel(&format!("SELECT count(*) AS n FROM audittrail WHERE applicatie = 'ketenregie-werkplek' AND actie = '{actie}' AND resultaat < 400"));
        assert!(n >= 1, "{actie}: {n}");
    }
    // Another role: 403 on the pages and the posts.
    let mut agent = Browser::new(&app);
    let csrf = agent.meld_aan("wijkagent").await;
    assert_eq!(agent.get("/werkplek/beheer").await.status, 403);
    assert_eq!(agent.get("/werkplek/convenanten").await.status, 403);
    let r = agent
        .post(
            "/werkplek/beheer/kwaliteitscontrole",
            &[("_csrf", &csrf), ("verplicht", "nee")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = agent
        .post(
            &format!("/werkplek/convenanten/{v2}/versies"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// The quality check in the werkplek passes the use case's rule: a send-back says what
/// must improve, and a post without a verdict is no send-back (an outside re-tester sent
/// a melding back with empty remarks, and with no verdict at all). Both are a problem at
/// the page (422); the melding stays ter controle; nothing is written.
async fn kwaliteitsoordeel_zonder_opmerkingen(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    common::kwaliteitscontrole_verplicht(&app, POLITIE).await;
    let agent = app.token(POLITIE, &["wijkagent"]);
    let res = app
        .post("/api/v1/zorgmeldingen", &agent, &common::keten::melding())
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let m: Value = res.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
            &agent,
            &json!({}),
        )
        .await;
    assert!(res.status().is_success());
    let mut qc = Browser::new(&app);
    let csrf = qc.meld_aan("kwaliteitscontroleur").await;
    let stappen = app.tel("SELECT count(*) AS n FROM zorgmelding_stappen");
    for velden in [
        vec![
            ("_csrf", csrf.as_str()),
            ("oordeel", "teruggestuurd"),
            ("opmerkingen", "  "),
        ],
        vec![("_csrf", csrf.as_str()), ("opmerkingen", "")],
        // At a stale version too: the verdict's own fault before the precondition
        // (STAP_VOOR_REDEN), not a 412.
        vec![
            ("_csrf", csrf.as_str()),
            ("_versie", "999"),
            ("oordeel", "teruggestuurd"),
            ("opmerkingen", ""),
        ],
    ] {
        let r = qc
            .post(&format!("/werkplek/meldingen/{id}/kwaliteit"), &velden)
            .await;
        assert_eq!(r.status, 422, "{velden:?}: {}", r.html);
    }
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"),
        stappen,
        "nothing written"
    );
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{id}"), &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["meldingstatus"], "ter-controle", "{m}");
}

/// `KWALITEITSCONTROLE_VIER_OGEN` in the werkplek: a kwaliteitscontroleur who submitted a
/// melding (here through the API under the werkplek's demo user, the same `sub`) is
/// offered no verdict on it, the page saying why; a crafted post is refused (403), the
/// melding stays ter controle, nothing written. Another officer's melding is offered.
async fn kwaliteitscontrole_vier_ogen(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    common::kwaliteitscontrole_verplicht(&app, POLITIE).await;
    let mut claims = common::claims(POLITIE, &["wijkagent"]);
    claims.sub = "demo-kwaliteitscontroleur".into();
    let zelf = common::rs256(&claims);
    let agent = app.token(POLITIE, &["wijkagent"]);
    let mut ids = Vec::new();
    for wie in [&zelf, &agent] {
        let res = app
            .post("/api/v1/zorgmeldingen", &agent, &common::keten::melding())
            .await;
        assert_eq!(res.status(), 201, "{:?}", res.text().await);
        let m: Value = res.json().await.unwrap();
        let id = m["id"].as_str().unwrap().to_string();
        let res = app
            .post(
                &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
                wie,
                &json!({}),
            )
            .await;
        assert!(res.status().is_success());
        ids.push(id);
    }
    let mut qc = Browser::new(&app);
    let csrf = qc.meld_aan("kwaliteitscontroleur").await;
    let eigen = &ids[0];
    let r = qc.get(&format!("/werkplek/meldingen/{eigen}")).await;
    assert_eq!(r.status, 200);
    assert!(
        !r.html
            .contains(&format!("/werkplek/meldingen/{eigen}/kwaliteit")),
        "no verdict offered: {}",
        r.html
    );
    assert!(r.html.contains("id=\"vier-ogen\""), "{}", r.html);
    let stappen = app.tel("SELECT count(*) AS n FROM zorgmelding_stappen");
    let r = qc
        .post(
            &format!("/werkplek/meldingen/{eigen}/kwaliteit"),
            &[("_csrf", csrf.as_str()), ("oordeel", "goedgekeurd")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(
        r.html.contains("KWALITEITSCONTROLE_VIER_OGEN"),
        "{}",
        r.html
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"),
        stappen,
        "nothing written"
    );
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{eigen}"), &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["meldingstatus"], "ter-controle", "{m}");
    // Another officer's melding: the verdict is offered and taken.
    let ander = &ids[1];
    let r = qc.get(&format!("/werkplek/meldingen/{ander}")).await;
    assert!(
        r.html
            .contains(&format!("/werkplek/meldingen/{ander}/kwaliteit")),
        "{}",
        r.html
    );
    assert!(!r.html.contains("id=\"vier-ogen\""), "{}", r.html);
    let r = qc
        .post(
            &format!("/werkplek/meldingen/{ander}/kwaliteit"),
            &[("_csrf", csrf.as_str()), ("oordeel", "goedgekeurd")],
        )
        .await;
    assert!(
        r.status == 303 || r.status == 200,
        "{}: {}",
        r.status,
        r.html
    );
    let m: Value = app
        .get(&format!("/api/v1/zorgmeldingen/{ander}"), &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(m["meldingstatus"], "ter-controle", "approved: {m}");
}

/// A screen refused to a role writes the same refusal row as the API's role refusal:
/// in the user's organisation's trail, result 403, under the werkplek's client name.
async fn weigeringen_vastgelegd(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    demo_organisaties(&app).await;
    let mut b = Browser::new(&app);
    let csrf = b.meld_aan("wijkagent").await;
    let rij = |actie: &str, pad: &str| {
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE actie = '{actie}' AND object_type = 'werkplek-scherm' AND object_id = '{pad}' AND resultaat = 403 AND organisatie = '{POLITIE}' AND eigenaar = '{POLITIE}' AND applicatie = 'ketenregie-werkplek' AND gebruiker = 'demo-wijkagent'"
        ))
    };
    let r = b.get("/werkplek/inbox").await;
    assert_eq!(r.status, 403);
    assert!(r.html.contains("Het scherm"), "{}", r.html);
    assert_eq!(rij("lezen", "/werkplek/inbox"), 1);
    let r = b.get("/werkplek/cijfers.csv").await;
    assert_eq!(r.status, 403);
    assert_eq!(rij("lezen", "/werkplek/cijfers"), 1);
    let r = b
        .post(
            "/werkplek/beheer/kwaliteitscontrole",
            &[("_csrf", &csrf), ("verplicht", "nee")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(rij("wijzigen", "/werkplek/beheer"), 1);
    // The API's refusal of the same act for the same role: the same kind of row.
    let token = app.token(POLITIE, &["wijkagent"]);
    let res = app
        .client
        .put(app.url("/api/v1/kwaliteitscontrole"))
        .bearer_auth(&token)
        .json(&json!({"verplicht": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE actie = 'wijzigen' AND resultaat = 403 AND organisatie = '{POLITIE}' AND eigenaar = '{POLITIE}'"
        )),
        2
    );
    // A screen for the role: no refusal row.
    assert_eq!(b.get("/werkplek/uitgaand").await.status, 200);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM audittrail WHERE resultaat = 403 AND object_id = '/werkplek/uitgaand'"),
        0
    );
}

/// The first table row of class `klasse`, up to its end.
fn rij_van<'h>(html: &'h str, klasse: &str) -> &'h str {
    let voor = format!("class=\"utrecht-table__row {klasse}\"");
    let i = html
        .find(&voor)
        .unwrap_or_else(|| panic!("a row {klasse} in {html}"));
    &html[i..i + html[i..].find("</tr>").unwrap()]
}

/// The privacy officer's other screens (issue 16): the refused attempts and the
/// disclosures of the police's records, and the inzage report found by BSN or by name and
/// date of birth (a POST; the report is the answer, under its own Content-Security-Policy);
/// the steering group's repeat meldingen about the same child, counted per child by its
/// pseudonymous identity.
async fn privacyfunctionaris_en_herhaalde_meldingen(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    let mut agent = Browser::new(&app);
    let csrf = agent.meld_aan("wijkagent").await;
    let r = agent
        .post(
            "/werkplek/meldingen",
            &velden(&formulier(&csrf, "indienen")),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let pad = r.location();
    // Veilig Thuis reads it (a disclosure of the police's record); the GI has no part in
    // it (refused, answered as unknown, in the police's trail).
    let mut vt = Browser::new(&app);
    vt.meld_aan("triagist").await;
    assert_eq!(vt.get(&pad).await.status, 200);
    let mut gi = Browser::new(&app);
    gi.meld_aan("gezinsvoogd").await;
    assert_eq!(gi.get(&pad).await.status, 404);
    // An id in another form than the hyphenated one (UUID_CANONIEK) is a page that does
    // not exist: the werkplek's own page in Dutch, not the API's problem+json.
    let (map, id) = pad.rsplit_once('/').unwrap();
    let r = vt.get(&format!("{map}/{}", id.replace('-', ""))).await;
    assert_eq!(r.status, 404, "{}", r.html);
    assert!(
        r.html.contains("<html") && !r.html.contains("invalidParams"),
        "{}",
        r.html
    );
    // The police register the mother (name and date of birth, no BSN).
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let res = app
        .post(
            "/api/v1/personen",
            &noodhulp,
            &json!({"voornamen": "Lisa", "achternaam": "Visser", "geboortedatum": "1986-07-22"}),
        )
        .await;
    assert_eq!(res.status(), 201);

    let mut pf = Browser::new(&app);
    let csrf_pf = pf.meld_aan("privacy").await;
    // Refusals.
    let w = pf.get("/werkplek/weigeringen").await;
    assert_eq!(w.status, 200, "{}", w.html);
    let rij = rij_van(&w.html, "weigering");
    assert!(
        rij.contains("gi-jeugdbescherming-west") && rij.contains("lezen zorgmeldingen"),
        "{}",
        w.html
    );
    let vandaag = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now()).to_string();
    let r = pf
        .post(
            "/werkplek/weigeringen",
            &[("_csrf", &csrf_pf), ("van", &vandaag), ("tot", &vandaag)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(r.html.contains("gi-jeugdbescherming-west"), "{}", r.html);
    let r = pf
        .post(
            "/werkplek/weigeringen",
            &[("_csrf", &csrf_pf), ("tot", "morgen")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.html.contains("href=\"#veld-tot\""), "{}", r.html);
    // Disclosures: Veilig Thuis read the melding.
    let v = pf.get("/werkplek/verstrekkingen").await;
    assert_eq!(v.status, 200, "{}", v.html);
    let rij = rij_van(&v.html, "verstrekking");
    assert!(rij.contains(VT) && rij.contains("triagist"), "{}", v.html);
    let r = pf
        .post(
            "/werkplek/verstrekkingen",
            &[("_csrf", &csrf_pf), ("aan", VT), ("doorbraak", "nee")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(r.html.contains("utrecht-table__row verstrekking"));
    let r = pf
        .post(
            "/werkplek/verstrekkingen",
            &[("_csrf", &csrf_pf), ("aan", "om-parket-den-haag")],
        )
        .await;
    assert!(
        r.html.contains("Geen verstrekkingen gevonden."),
        "{}",
        r.html
    );
    for html in [&w.html, &v.html] {
        for p in PERSOONSGEGEVENS {
            assert!(!html.contains(p), "{p} on a privacy screen");
        }
    }
    // Inzage by BSN: the child of the police's melding; the report is the POST's answer.
    let i = pf.get("/werkplek/inzage").await;
    assert_eq!(i.status, 200, "{}", i.html);
    let r = pf
        .post(
            "/werkplek/inzage",
            &[("_csrf", &csrf_pf), ("bsn", BSN_KIND)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(r.html.contains("Inzage voor"), "{}", r.html);
    assert!(r.html.contains("Sem"), "the report names him");
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("style-src 'sha256-")
            && !csp.contains("'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(r.headers["cache-control"], "no-store");
    // By name and date of birth: the mother's record.
    let r = pf
        .post(
            "/werkplek/inzage",
            &[
                ("_csrf", &csrf_pf),
                ("voornamen", "lisa"),
                ("achternaam", "Visser"),
                ("geboortedatum", "1986-07-22"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(r.html.contains("Inzage voor Lisa Visser"), "{}", r.html);
    // Somebody the police hold nothing on: not found, no report.
    let r = pf
        .post(
            "/werkplek/inzage",
            &[
                ("_csrf", &csrf_pf),
                ("voornamen", "Niemand"),
                ("achternaam", "Onbekend"),
                ("geboortedatum", "2001-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.html);
    assert!(r.html.contains("id=\"inzage-uitkomst\""), "{}", r.html);
    // Half a name: problems at their fields.
    let r = pf
        .post(
            "/werkplek/inzage",
            &[("_csrf", &csrf_pf), ("voornamen", "Lisa")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    for veld in ["achternaam", "geboortedatum"] {
        assert!(
            r.html.contains(&format!("href=\"#veld-{veld}\"")),
            "{veld}: {}",
            r.html
        );
    }
    // By the fields' labels, as the briefing (the same search key).
    assert!(r.html.contains("Achternaam is verplicht"), "{}", r.html);
    assert!(!r.html.contains('`'), "{}", r.html);
    let r = pf
        .post(
            "/werkplek/inzage",
            &[
                ("_csrf", &csrf_pf),
                ("bsn", BSN_KIND),
                ("achternaam", "Visser"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(
        r.html.contains("Zoek met het BSN, of met voornamen"),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("postcode") && !r.html.contains('`'),
        "{}",
        r.html
    );
    // The reports were read through the same use case: audited and logged.
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM audittrail WHERE actie = 'lezen' AND object_type = 'personen' AND applicatie = 'ketenregie-werkplek' AND organisatie = '{POLITIE}' AND resultaat < 400"
        )),
        2
    );
    // Every form checks the CSRF token.
    for pad in [
        "/werkplek/weigeringen",
        "/werkplek/verstrekkingen",
        "/werkplek/inzage",
    ] {
        let r = pf.post(pad, &[("bsn", BSN_KIND)]).await;
        assert_eq!(r.status, 403, "{pad}");
        assert!(r.html.contains("CSRF"), "{pad}");
    }
    geen_persoonsgegevens_in_urls(&pf, &[&w.html, &v.html, &i.html]);

    // A second melding about the same child: the dashboard counts one child, two
    // meldingen, one repeat; the police's own reads do not count.
    let r = agent
        .post(
            "/werkplek/meldingen",
            &velden(&formulier(&csrf, "indienen")),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let mut sg = Browser::new(&app);
    sg.meld_aan("stuurgroep").await;
    let d = sg.get("/werkplek/dashboard").await;
    assert_eq!(d.status, 200, "{}", d.html);
    // The per-municipality table names municipalities, and says so.
    assert!(d.html.contains("scope=\"col\">Gemeente</th>"), "{}", d.html);
    assert!(!d.html.contains("Gemeentecode"), "{}", d.html);
    let maand = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now())
        .format("%Y-%m")
        .to_string();
    let cel = |x: &str| format!("<td class=\"utrecht-table__cell\">{x}</td>");
    let verwacht = [maand.as_str(), "2", "1", "50%", "1", "1", "2"]
        .iter()
        .map(|x| cel(x))
        .collect::<String>();
    assert!(d.html.contains(&verwacht), "{verwacht} in {}", d.html);
    assert!(
        d.html.contains(&format!("{}{}", cel("2"), cel("1"))),
        "one child with two meldingen: {}",
        d.html
    );
    for p in PERSOONSGEGEVENS {
        assert!(!d.html.contains(p), "{p} on the dashboard");
    }
}

/// An attribute's value in a tag's text (`<input ... name="x" ...>`).
fn attribuut<'h>(tag: &'h str, naam: &str) -> Option<&'h str> {
    let voor = format!(" {naam}=\"");
    let i = tag.find(&voor)? + voor.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

/// Undo askama's HTML escaping of a value.
fn ontsnapt(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What a browser posts for the first form of `html` whose action is `actie`, unchanged:
/// every text, date and hidden input, the checked radio buttons, every textarea and
/// every select's selected option (its first when none is).
fn zoals_getoond(html: &str, actie: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("action=\"{actie}\"")).expect("the form");
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut velden = vec![];
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let eind = rest.find('>').unwrap();
        let tag = &rest[..eind];
        if tag.starts_with("<input ") {
            let naam = attribuut(tag, "name").unwrap();
            let soort = attribuut(tag, "type").unwrap_or("text");
            if soort != "radio" || tag.contains(" checked") {
                velden.push((
                    naam.to_string(),
                    ontsnapt(attribuut(tag, "value").unwrap_or("")),
                ));
            }
        } else if tag.starts_with("<textarea ") {
            let inhoud = &rest[eind + 1..];
            let inhoud = &inhoud[..inhoud.find("</textarea>").unwrap()];
            velden.push((
                attribuut(tag, "name").unwrap().to_string(),
                ontsnapt(inhoud),
            ));
        } else if tag.starts_with("<select ") {
            let opties = &rest[..rest.find("</select>").unwrap()];
            let gekozen = opties
                .split("<option ")
                .skip(1)
                .find(|o| o[..o.find('>').unwrap()].contains(" selected"))
                .or_else(|| opties.split("<option ").nth(1))
                .unwrap();
            let waarde = attribuut(&format!(" {gekozen}"), "value")
                .unwrap()
                .to_string();
            velden.push((
                attribuut(tag, "name").unwrap().to_string(),
                ontsnapt(&waarde),
            ));
        }
        rest = &rest[1..];
    }
    velden
}

/// A concept filed through the API with every field filled (more children, parents and
/// statements than the form's empty slots, every yes/no both ways, a level other than
/// the form's default) survives the werkplek: the detail shows the stored level, the
/// edit form preselects it and holds everything, and saving the form back unchanged
/// stores the same content and level (only the version moves). A concept at the API's
/// default level shows that level, not the form's default.
async fn concept_bewerken_houdt_de_inhoud(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    let agent = app.token(POLITIE, &["wijkagent"]);
    let kind = |i: usize, bsn: &str| {
        json!({"voornaam": format!("Kind{i}"), "achternaam": "Jansen", "geboortedatum": format!("201{i}-03-0{}", i + 1),
               "bsn": bsn, "gemeente": "0518", "eigenWoorden": format!("Woorden van kind {i}.")})
    };
    let melding = json!({
        "kinderen": [kind(0, "999990007"), kind(1, "999990019"), kind(2, "999990020"), kind(3, "999990044")],
        "ouders": [{"voornaam": "Anna", "achternaam": "Jansen", "relatie": "moeder", "bsn": "999990056", "gezag": true},
                   {"voornaam": "Bram", "achternaam": "de Vries", "relatie": "vader", "bsn": "999990068", "gezag": false},
                   {"voornaam": "Carla", "achternaam": "Smit", "relatie": "pleegouder", "bsn": "999990081"}],
        "incidentReferentie": "PL1500-2025-654321",
        "incidentDatum": "2025-06-01",
        "omschrijving": "Overdracht mislukt; ruzie bij de voordeur.",
        "zorgen": "Kinderen getuige van herhaalde conflicten.",
        "acuut": true,
        "risiconiveau": "hoog",
        "verklaringen": [{"persoon": "Anna Jansen", "rol": "moeder", "tekst": "Hij kwam te laat."},
                         {"persoon": "Bram de Vries", "rol": "vader", "tekst": "Zij hield de kinderen binnen."},
                         {"persoon": "Kind0 Jansen", "rol": "kind", "tekst": "Ik was bang."},
                         {"persoon": "Buurvrouw", "rol": "getuige", "tekst": "Ik hoorde geschreeuw."}],
        "oudersGeinformeerd": false,
        "redenNietGeinformeerd": "Gevaar voor de moeder.",
        "terugkoppelingGewenst": false,
        "melder": {"naam": "agent P. Pietersen", "functie": "wijkagent", "identiteitDelen": false, "reden": "Dreiging richting melder."},
        "vertrouwelijkheid": "geheim"
    });
    let res = app.post("/api/v1/zorgmeldingen", &agent, &melding).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let m: Value = res.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    let api = format!("/api/v1/zorgmeldingen/{id}");
    let voor: Value = app.get(&api, &agent).await.json().await.unwrap();
    let mut b = Browser::new(&app);
    b.meld_aan("wijkagent").await;
    let pad = format!("/werkplek/meldingen/{id}");
    let d = b.get(&pad).await;
    assert_eq!(d.status, 200, "{}", d.html);
    // The texts written, names among them, each isolated (`<bdi>`); a choice as it is.
    assert!(
        d.html.contains("<dd><bdi>agent P. Pietersen</bdi></dd>"),
        "{}",
        d.html
    );
    assert!(
        d.html.contains("<dt>Vertrouwelijkheid</dt><dd>geheim</dd>"),
        "{}",
        d.html
    );
    assert!(d.html.contains("Kind3"), "the fourth child: {}", d.html);
    let f = b.get(&format!("{pad}/bewerken")).await;
    assert_eq!(f.status, 200, "{}", f.html);
    assert!(
        f.html.contains("<option value=\"geheim\" selected>"),
        "{}",
        f.html
    );
    assert!(
        !f.html.contains("<option value=\"vertrouwelijk\" selected>"),
        "{}",
        f.html
    );
    let mut getoond = zoals_getoond(&f.html, &pad);
    getoond.push(("actie".into(), "concept".into()));
    let r = b.post(&pad, &velden(&getoond)).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let na: Value = app.get(&api, &agent).await.json().await.unwrap();
    assert_eq!(
        na["versie"],
        json!(voor["versie"].as_i64().unwrap() + 1),
        "{na}"
    );
    // Identical apart from the version and when it changed.
    let zonder = |v: &Value| {
        let mut v = v.clone();
        let o = v.as_object_mut().unwrap();
        o.retain(|k, _| k != "versie" && !k.starts_with("gewijzigd"));
        v
    };
    assert_eq!(zonder(&na), zonder(&voor));
    assert_eq!(na["vertrouwelijkheid"], "geheim");
    // The API's default level is shown as what it is, not as the form's default.
    let mut standaard = melding.clone();
    standaard
        .as_object_mut()
        .unwrap()
        .remove("vertrouwelijkheid");
    let res = app.post("/api/v1/zorgmeldingen", &agent, &standaard).await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.unwrap();
    let pad = format!("/werkplek/meldingen/{}", m["id"].as_str().unwrap());
    let d = b.get(&pad).await;
    assert!(
        d.html
            .contains("<dt>Vertrouwelijkheid</dt><dd>zaakvertrouwelijk</dd>"),
        "{}",
        d.html
    );
    let f = b.get(&format!("{pad}/bewerken")).await;
    assert!(
        f.html
            .contains("<option value=\"zaakvertrouwelijk\" selected>"),
        "{}",
        f.html
    );
    // A new melding still starts at `vertrouwelijk`.
    let n = b.get("/werkplek/meldingen/nieuw").await;
    assert!(
        n.html.contains("<option value=\"vertrouwelijk\" selected>"),
        "{}",
        n.html
    );
}

/// ONDERZOEK_VT_BIJ_ANONIEME_MELDER in the werkplek: for a melding whose reporter was
/// promised anonymity the triage form offers only "onderzoek Veilig Thuis" and says why
/// at the field; a forged other outcome is refused at the field, nothing written; the
/// allowed one goes through.
async fn triage_bij_anonieme_melder(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    let agent = app.token(POLITIE, &["wijkagent"]);
    let melding = json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "gezag": true}],
        "omschrijving": "Ruzie thuis.", "zorgen": "Sem was erbij.", "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [], "oudersGeinformeerd": true, "terugkoppelingGewenst": false,
        "melder": {"naam": "agent P. Pietersen", "functie": "wijkagent", "identiteitDelen": false, "reden": "Dreiging richting melder."}
    });
    let res = app.post("/api/v1/zorgmeldingen", &agent, &melding).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let m: Value = res.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
            &agent,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let mut vt = Browser::new(&app);
    vt.meld_aan("triagist").await;
    let pad = format!("/werkplek/meldingen/{id}");
    let detail = vt.get(&pad).await;
    let csrf = detail.csrf();
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[("_csrf", &csrf), ("naar", "received")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let detail = vt.get(&pad).await;
    assert!(
        detail.html.contains("<option value=\"onderzoek-vt\">"),
        "{}",
        detail.html
    );
    for andere in [
        "einde-bemoeienis",
        "overdracht-lokaal-veld",
        "verzoek-onderzoek-rvdk",
    ] {
        assert!(
            !detail
                .html
                .contains(&format!("<option value=\"{andere}\">")),
            "{andere}: {}",
            detail.html
        );
    }
    assert!(
        detail.html.contains("id=\"uitkomst-in-progress-uitleg\"")
            && detail.html.contains("onderzoekt Veilig Thuis zelf"),
        "{}",
        detail.html
    );
    let stappen_voor = app.tel("SELECT count(*) AS n FROM zorgmelding_stappen");
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[
                ("_csrf", &csrf),
                ("naar", "in-progress"),
                ("uitkomst", "einde-bemoeienis"),
                ("acuut", "nee"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(
        r.html.contains("id=\"uitkomst-in-progress-fout\""),
        "{}",
        r.html
    );
    assert!(foutblok(&r.html).contains("onderzoek"), "{}", r.html);
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM zorgmelding_stappen"),
        stappen_voor,
        "nothing written"
    );
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[
                ("_csrf", &csrf),
                ("naar", "in-progress"),
                ("uitkomst", "onderzoek-vt"),
                ("acuut", "nee"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
}

/// The part of `html` from the element with id `id` to the end of its `<select>`.
fn keuzelijst<'h>(html: &'h str, id: &str) -> &'h str {
    let begin = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("{id}: {html}"));
    let rest = &html[begin..];
    &rest[..rest.find("</select>").unwrap()]
}

/// hc findings F6, M1 and M2. F6: the feedback form takes what the API takes and DOMAIN.md
/// §3 flow 3 asks: who took over with contact, and safety conditions and monitoring only
/// where the reporter has a role. M1: the hand-over list offers only organisations the
/// hand-over rules accept (not the sender, not the holder, none outside an agreement). M2:
/// a date in a problem reads dd-mm-jjjj.
async fn terugkoppeling_en_overdracht_volgens_de_regels(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    opzet(&app).await;
    app.organisatie(
        "veilig-thuis-amsterdam-amstelland",
        "veilig-thuis",
        &["0363"],
    )
    .await;
    app.organisatie("wijkteam-utrecht-oost", "wijkteam", &[])
        .await;
    let token = app.token(POLITIE, &["wijkagent"]);
    let melding = json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "gemeente": "0518"}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "gezag": true}],
        "omschrijving": "Ruzie thuis.", "zorgen": "Sem was erbij.", "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [], "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": "agent P. Pietersen", "functie": "wijkagent", "identiteitDelen": true}
    });
    let res = app.post("/api/v1/zorgmeldingen", &token, &melding).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .post(
            &format!("/api/v1/zorgmeldingen/{id}/indieningen"),
            &token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let mut vt = Browser::new(&app);
    vt.meld_aan("triagist").await;
    let pad = format!("/werkplek/meldingen/{id}");
    let csrf = vt.get(&pad).await.csrf();
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[("_csrf", &csrf), ("naar", "received")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let r = vt
        .post(
            &format!("{pad}/stap"),
            &[
                ("_csrf", &csrf),
                ("naar", "in-progress"),
                ("uitkomst", "overdracht-betrokken-hulpverlening"),
                ("acuut", "nee"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let detail = vt.get(&pad).await;
    // M1: only the GI, which the agreement covers for the hand-over.
    let aan = keuzelijst(&detail.html, "overdracht-naar");
    assert!(
        aan.contains("<option value=\"gi-jeugdbescherming-west\">"),
        "{aan}"
    );
    for nooit in [
        POLITIE,
        VT,
        "veilig-thuis-amsterdam-amstelland",
        "wijkteam-utrecht-oost",
        "om-parket-den-haag",
    ] {
        assert!(
            !aan.contains(&format!("<option value=\"{nooit}\">")),
            "{nooit} offered: {aan}"
        );
    }
    // F6: the feedback form's fields.
    for veld in [
        "name=\"overgenomenDoor\"",
        "name=\"overgenomenContact\"",
        "name=\"melderHeeftRol\"",
        "name=\"veiligheidsvoorwaarden\"",
        "name=\"monitoringsafspraken\"",
    ] {
        assert!(detail.html.contains(veld), "{veld}: {}", detail.html);
    }
    let wie = keuzelijst(&detail.html, "tk-overgenomen");
    assert!(wie.contains("<option value=\"\">"), "{wie}");
    assert!(
        wie.contains("<option value=\"gi-jeugdbescherming-west\">"),
        "{wie}"
    );
    let tk = format!("{pad}/terugkoppeling");
    // Conditions without a role for the reporter; a contact without an organisation:
    // each at its field, nothing written.
    let voor = app.tel("SELECT count(*) AS n FROM terugkoppelingen");
    for (velden, veld) in [
        (
            vec![
                ("melderHeeftRol", "nee"),
                ("veiligheidsvoorwaarden", "Geen contact zonder toezicht."),
            ],
            "tk-voorwaarden",
        ),
        (vec![("overgenomenContact", "J. de Wit")], "tk-overgenomen"),
    ] {
        let mut v = vec![
            ("_csrf", csrf.as_str()),
            ("moment", "na-beoordeling"),
            ("vervolgtrajectGestart", "ja"),
        ];
        v.extend(velden);
        let r = vt.post(&tk, &v).await;
        assert_eq!(r.status, 422, "{veld}: {}", r.html);
        assert!(
            r.html.contains(&format!("id=\"{veld}-fout\"")),
            "{veld}: {}",
            r.html
        );
        assert!(!foutblok(&r.html).contains('`'), "{}", r.html);
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM terugkoppelingen"), voor);
    let r = vt
        .post(
            &tk,
            &[
                ("_csrf", &csrf),
                ("moment", "na-beoordeling"),
                ("vervolgtrajectGestart", "ja"),
                ("overgenomenDoor", "gi-jeugdbescherming-west"),
                ("overgenomenContact", "J. de Wit, 070-1234567"),
                ("melderHeeftRol", "ja"),
                ("veiligheidsvoorwaarden", "Geen contact zonder toezicht."),
                ("monitoringsafspraken", "De wijkagent belt wekelijks."),
                ("toelichting", "De GI neemt het over."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let lijst: Value = app
        .get(
            &format!("/api/v1/zorgmeldingen/{id}/terugkoppelingen"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let t = &lijst[0];
    assert_eq!(
        t["overgenomenDoor"],
        json!({"organisatie": "gi-jeugdbescherming-west", "contact": "J. de Wit, 070-1234567"}),
        "{lijst}"
    );
    assert_eq!(t["melderHeeftRol"], true, "{lijst}");
    assert_eq!(t["veiligheidsvoorwaarden"], "Geen contact zonder toezicht.");
    assert_eq!(t["monitoringsafspraken"], "De wijkagent belt wekelijks.");
    let detail = vt.get(&pad).await;
    assert!(
        detail
            .html
            .contains("Overgenomen door: Organisatie gi-jeugdbescherming-west, contact:"),
        "{}",
        detail.html
    );
    // M2: a birth date in the future, said with dates as dd-mm-jjjj.
    let mut agent = Browser::new(&app);
    let csrf = agent.meld_aan("wijkagent").await;
    let mut v = formulier(&csrf, "concept");
    for (k, w) in v.iter_mut() {
        if k == "kinderen[0].geboortedatum" {
            *w = "2099-01-01".into();
        }
    }
    let r = agent.post("/werkplek/meldingen", &velden(&v)).await;
    assert_eq!(r.status, 422, "{}", r.html);
    let fout = foutblok(&r.html);
    assert!(
        fout.contains("01-01-1900") || r.html.contains("01-01-1900"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("1900-01-01"), "{}", r.html);
}

op_beide_backends!(
    triage_bij_anonieme_melder,
    terugkoppeling_en_overdracht_volgens_de_regels,
    kwaliteitsoordeel_zonder_opmerkingen,
    kwaliteitscontrole_vier_ogen,
    concept_bewerken_houdt_de_inhoud,
    melding_onbekende_gemeente_naast_de_rest,
    privacyfunctionaris_en_herhaalde_meldingen,
    weigeringen_vastgelegd,
    beheer_en_convenanten,
    zelfde_limieten_als_de_api,
    aanmelden_en_afmelden,
    tijdslimieten,
    schermen_per_rol,
    csrf_op_elk_formulier,
    melding_door_de_keten,
    briefing_en_om
);
