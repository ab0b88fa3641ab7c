//! `ketenregie demo`: a pilot region in a box (issue 7). On an empty database it loads the
//! reference data, registers the Haaglanden pilot (police unit Den Haag, Veilig Thuis
//! Haaglanden, a gecertificeerde instelling, the Raad voor de Kinderbescherming, the OM
//! parket Den Haag and a wijkteam of 's-Gravenhage) with contact points, one pilot
//! agreement covering the flows (created by the police's functional admin, active because
//! every party's functional admin signed it), and two synthetic families with history;
//! then prints a development token per demo role and the next commands.
//!
//! Everything goes through the real API (an in-process server on a loopback port), so the
//! demo data is validated, encrypted and logged like any other. All persons are synthetic:
//! their BSNs come from the 999xxxxxx range, which passes the elfproef but is not issued.

use anyhow::Context as _;
use ketenregie_api::config::Config;
use ketenregie_api::{Application, dev_token};
use serde_json::{Value, json};

/// The demo's organisations: (code, name, kind, municipalities).
pub const ORGANISATIES: &[(&str, &str, &str, &[&str])] = &[
    (
        "politie-den-haag",
        "Politie eenheid Den Haag",
        "politie",
        &[],
    ),
    (
        "gi-jeugdbescherming-west",
        "Jeugdbescherming west (GI)",
        "gecertificeerde-instelling",
        &["0518", "0603", "1916"],
    ),
    (
        "rvdk-den-haag",
        "Raad voor de Kinderbescherming, Den Haag",
        "rvdk",
        &["0518"],
    ),
    ("om-parket-den-haag", "OM parket Den Haag", "om", &[]),
    (
        "wijkteam-den-haag-centrum",
        "Wijkteam 's-Gravenhage Centrum",
        "wijkteam",
        &["0518"],
    ),
    (
        "wijkteam-utrecht-oost",
        "Wijkteam Utrecht Oost (buiten het convenant)",
        "wijkteam",
        &["0344"],
    ),
];

/// The Veilig Thuis of the pilot and the demo roles: kept in `ketenregie_api::dev_token`,
/// where the werkplek's development sign-in page lists the same roles.
pub use ketenregie_api::dev_token::{DEMO_ROLLEN as ROLLEN, DEMO_VEILIG_THUIS as VEILIG_THUIS};

struct Klant {
    http: reqwest::Client,
    base: String,
    secret: Vec<u8>,
    config: Config,
}

impl Klant {
    fn token(&self, organisatie: &str, rol: &str, minuten: i64) -> String {
        self.token_van(rol, organisatie, rol, minuten)
    }

    /// A token of demo user `demo-<label>`: each demo role its own user, the same the
    /// werkplek's development sign-in gives it, so the kwaliteitscontroleur who checks a
    /// melding is not the wijkagent who filed it (`KWALITEITSCONTROLE_VIER_OGEN`).
    fn token_van(&self, label: &str, organisatie: &str, rol: &str, minuten: i64) -> String {
        dev_token::maak(
            &self.secret,
            &self.config.auth.issuer,
            &self.config.auth.audience,
            &dev_token::TokenAanvraag {
                organisatie: organisatie.into(),
                rollen: vec![rol.into()],
                gebruiker: format!("demo-{label}"),
                naam: format!("Demo {label}"),
                applicatie: "ketenregie-demo".into(),
                geldig_seconden: minuten * 60,
            },
        )
    }

    async fn post(&self, token: &str, pad: &str, body: Value) -> anyhow::Result<Value> {
        let res = self
            .http
            .post(format!("{}{pad}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        anyhow::ensure!(status.is_success(), "POST {pad}: {status} {v}");
        Ok(v)
    }

    async fn get(&self, token: &str, pad: &str) -> anyhow::Result<Value> {
        let res = self
            .http
            .get(format!("{}{pad}", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        anyhow::ensure!(status.is_success(), "GET {pad}: {status} {v}");
        Ok(v)
    }
}

/// Is there anything in the database beyond the reference data?
fn leeg(config: &Config) -> anyhow::Result<bool> {
    use diesel::prelude::*;
    use ketenregie_store::schema::{convenanten, organisaties, personen, zorgmeldingen};
    let url = config.database_url()?;
    ketenregie_store::migrate::run(&url)?;
    let mut c = url.connect()?;
    let n = convenanten::table.count().get_result::<i64>(&mut c)?
        + personen::table.count().get_result::<i64>(&mut c)?
        + zorgmeldingen::table.count().get_result::<i64>(&mut c)?
        + organisaties::table
            .filter(organisaties::soort.ne("veilig-thuis"))
            .count()
            .get_result::<i64>(&mut c)?;
    Ok(n == 0)
}

/// Empty the database: SQLite removes its file, PostgreSQL drops and recreates the schema.
fn wis(config: &Config) -> anyhow::Result<()> {
    use diesel::connection::SimpleConnection;
    let url = config.database_url()?;
    match url.backend() {
        ketenregie_store::Backend::Sqlite => {
            let pad = url.target().to_string();
            for f in [pad.clone(), format!("{pad}-wal"), format!("{pad}-shm")] {
                let _ = std::fs::remove_file(f);
            }
        }
        ketenregie_store::Backend::Postgres => {
            let mut c = url.connect()?;
            c.batch_execute(
                "DO $$ DECLARE s text := current_schema(); BEGIN
                   EXECUTE format('DROP SCHEMA %I CASCADE', s);
                   EXECUTE format('CREATE SCHEMA %I', s);
                 END $$;",
            )?;
        }
    }
    Ok(())
}

pub fn run(mut config: Config, reset: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        config.is_development(),
        "the demo only runs in development mode; this configuration says production"
    );
    if reset {
        wis(&config)?;
    }
    anyhow::ensure!(
        leeg(&config)?,
        "the database is not empty: `ketenregie demo --reset` empties it first (all data is lost)"
    );
    config.server.bind = "127.0.0.1:0".parse().expect("valid address");
    config.reference_data.load_at_start = true;
    // actix-web runs its server on an actix system (a local task set), not a bare runtime.
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(config.clone()).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let server = actix_web::rt::spawn(app.run_until_stopped());
        let klant = Klant {
            http: reqwest::Client::new(),
            base,
            secret: dev_token::secret(&config.auth.dev_secret_file)?,
            config: config.clone(),
        };
        let uitkomst = vul(&klant).await;
        server.abort();
        uitkomst?;
        druk_af(&klant);
        Ok(())
    })
}

async fn vul(k: &Klant) -> anyhow::Result<()> {
    let platform = k.token(
        &k.config.auth.platform_organisation,
        "platformbeheerder",
        30,
    );
    for (code, naam, soort, gemeenten) in ORGANISATIES {
        k.post(
            &platform,
            "/api/v1/organisaties",
            json!({"code": code, "naam": naam, "soort": soort, "gemeenten": gemeenten}),
        )
        .await
        .with_context(|| format!("registering {code}"))?;
    }
    // Contact points: where notifications go (e-mail) and whom to call day and night.
    let contact = [
        (
            VEILIG_THUIS,
            "meldingen",
            "Meldpunt Veilig Thuis Haaglanden",
            None,
            Some("meldingen@vt-haaglanden.demo"),
        ),
        (
            VEILIG_THUIS,
            "escalatie",
            "Teamleider triage",
            None,
            Some("teamleider@vt-haaglanden.demo"),
        ),
        (
            VEILIG_THUIS,
            "spoed",
            "Crisisdienst Veilig Thuis",
            Some("0800-2000"),
            None,
        ),
        (
            "politie-den-haag",
            "meldingen",
            "Zorgmeldingen politie Den Haag",
            None,
            Some("zorg@politie-den-haag.demo"),
        ),
        (
            "gi-jeugdbescherming-west",
            "spoed",
            "Piketdienst jeugdbescherming",
            Some("088 000 1111"),
            None,
        ),
        (
            "wijkteam-den-haag-centrum",
            "meldingen",
            "Wijkteam Centrum",
            Some("070 000 2222"),
            Some("centrum@wijkteam.demo"),
        ),
    ];
    for (code, rol, naam, telefoon, email) in contact {
        let o = k
            .get(&platform, &format!("/api/v1/organisaties?code={code}"))
            .await?;
        let id = o["results"][0]["id"]
            .as_str()
            .context("organisation id")?
            .to_string();
        k.post(
            &platform,
            &format!("/api/v1/organisaties/{id}/contactpunten"),
            json!({"rol": rol, "naam": naam, "telefoon": telefoon, "email": email, "altijdBereikbaar": rol == "spoed"}),
        )
        .await?;
    }
    // The pilot agreement: every flow of the loop, with feedback duties at the defaults.
    let beheer = k.token("politie-den-haag", "functioneel-beheerder", 30);
    let regel = |soort: &str,
                 rol: &str,
                 acties: Value,
                 doel: &str,
                 cats: Value,
                 reden: bool,
                 grondslag: &str| {
        json!({"organisatieSoort": soort, "rollen": [rol], "acties": acties, "categorieen": cats, "doel": doel,
               "redenVerplicht": reden, "maxVertrouwelijkheid": "vertrouwelijk",
               "grondslag": {"code": grondslag, "omschrijving": "pilotconvenant Haaglanden"}})
    };
    let c = k
        .post(
            &beheer,
            "/api/v1/convenanten",
            json!({
                "titel": "Pilotconvenant Haaglanden: zorgmeldingen, terugkoppeling, briefing (synthetisch)",
                "partijen": [
                    {"organisatie": "politie-den-haag", "rol": "melder"}, {"organisatie": VEILIG_THUIS, "rol": "ontvanger"},
                    {"organisatie": "gi-jeugdbescherming-west", "rol": "gi"}, {"organisatie": "rvdk-den-haag", "rol": "raad"},
                    {"organisatie": "om-parket-den-haag", "rol": "om (voor gezien)"}, {"organisatie": "wijkteam-den-haag-centrum", "rol": "lokaal veld"}],
                "doelen": ["zorgmelding", "veiligheidsbeoordeling", "terugkoppeling", "briefing", "strafrechtelijke-beoordeling", "coordinatie", "inzage"],
                // Break the glass in an emergency (reason required, flagged, reviewed).
                "doorbraakrollen": [{"organisatieSoort": "politie", "rol": "noodhulp"}, {"organisatieSoort": "veilig-thuis", "rol": "triagist"}],
                "categorieen": ["identificatie", "bsn", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening", "melder-identiteit"],
                "regels": [
                    regel("veilig-thuis", "triagist", json!(["lezen", "wijzigen"]), "veiligheidsbeoordeling", json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]), false, "Wmo 2015 art. 5.2.6"),
                    regel("wijkteam", "wijkteammedewerker", json!(["lezen", "wijzigen"]), "coordinatie", json!(["identificatie", "gezinssituatie"]), false, "Jeugdwet art. 7.1.1.1"),
                    regel("politie", "wijkagent", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"]), false, "Wmo 2015 art. 4.1.1 lid 2 sub g"),
                    regel("veilig-thuis", "triagist", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"]), false, "Wmo 2015 art. 4.1.1 lid 2 sub g"),
                    regel("politie", "noodhulp", json!(["lezen"]), "briefing", json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"]), false, "Wpg art. 18"),
                    regel("om", "officier-van-justitie", json!(["lezen"]), "strafrechtelijke-beoordeling", json!(["identificatie", "gezag-en-omgang", "politiegegevens"]), true, "Wjsg art. 39f"),
                    regel("politie", "wijkagent", json!(["aanmaken", "lezen"]), "coordinatie", json!(["hulpverlening"]), false, "Wpg art. 18 (verwijsindex)"),
                    regel("politie", "jeugdcoordinator", json!(["aanmaken", "lezen"]), "coordinatie", json!(["hulpverlening"]), false, "Wpg art. 18 (verwijsindex)"),
                    regel("gecertificeerde-instelling", "gezinsvoogd", json!(["aanmaken", "lezen"]), "coordinatie", json!(["hulpverlening"]), false, "Jeugdwet art. 7.1.4.1"),
                    regel("veilig-thuis", "triagist", json!(["aanmaken", "lezen"]), "coordinatie", json!(["hulpverlening"]), false, "Jeugdwet art. 7.1.4.1"),
                    regel("veilig-thuis", "onderzoeker", json!(["aanmaken", "lezen"]), "coordinatie", json!(["hulpverlening"]), false, "Jeugdwet art. 7.1.4.1"),
                    regel("wijkteam", "wijkteammedewerker", json!(["aanmaken", "lezen"]), "coordinatie", json!(["hulpverlening"]), false, "Jeugdwet art. 7.1.4.1"),
                    // Inzage (AVG art. 15): each party's privacy officer gathers what it holds on a data subject.
                    regel("politie", "privacyfunctionaris", json!(["lezen"]), "inzage", json!(["identificatie", "bsn", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening", "melder-identiteit"]), true, "AVG art. 15"),
                    regel("veilig-thuis", "privacyfunctionaris", json!(["lezen"]), "inzage", json!(["identificatie", "bsn", "gezinssituatie", "gezag-en-omgang", "politiegegevens", "hulpverlening", "melder-identiteit"]), true, "AVG art. 15"),
                    regel("gecertificeerde-instelling", "privacyfunctionaris", json!(["lezen"]), "inzage", json!(["identificatie", "bsn", "gezinssituatie", "gezag-en-omgang", "hulpverlening"]), true, "AVG art. 15"),
                    regel("om", "privacyfunctionaris", json!(["lezen"]), "inzage", json!(["identificatie", "bsn", "gezag-en-omgang", "politiegegevens"]), true, "AVG art. 15")
                ]
            }),
        )
        .await?;
    // It binds only once every party has signed this exact content: each party's
    // functional admin signs the hash it read.
    let id = c["id"].as_str().context("agreement id")?;
    let mut laatste = Value::Null;
    for p in c["partijen"].as_array().context("parties")? {
        let org = p["organisatie"].as_str().context("party code")?;
        let ondertekenaar = k.token(org, "functioneel-beheerder", 30);
        let gelezen = k
            .get(&ondertekenaar, &format!("/api/v1/convenanten/{id}"))
            .await?;
        laatste = k
            .post(
                &ondertekenaar,
                &format!("/api/v1/convenanten/{id}/ondertekeningen"),
                json!({"inhoudHash": gelezen["inhoudHash"]}),
            )
            .await
            .with_context(|| format!("signing the pilot agreement for {org}"))?;
    }
    anyhow::ensure!(
        laatste["status"] == "actief",
        "the pilot agreement is not active after every party signed: {laatste}"
    );

    // Synthetic family 1: De Boer / Visser, a fight over the children.
    let gi = k.token("gi-jeugdbescherming-west", "gezinsvoogd", 30);
    let persoon = |t: String,
                   bsn: &'static str,
                   vn: &'static str,
                   an: &'static str,
                   gd: &'static str| async move {
        k.post(&t, "/api/v1/personen", json!({"bsn": bsn, "voornamen": vn, "achternaam": an, "geboortedatum": gd,
            "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}}))
            .await
            .map(|v| v["id"].as_str().unwrap_or_default().to_string())
    };
    let vader = persoon(gi.clone(), "999990019", "Mark", "de Boer", "1984-02-10").await?;
    let moeder = persoon(gi.clone(), "999990020", "Lisa", "Visser", "1986-07-22").await?;
    let sem = persoon(gi.clone(), "999990032", "Sem", "de Boer", "2016-05-04").await?;
    let noor = persoon(gi.clone(), "999990044", "Noor", "de Boer", "2019-09-30").await?;
    let gezin = k
        .post(
            &gi,
            "/api/v1/gezinnen",
            json!({"kenmerk": "DEMO-GI-1", "leden": [
            {"persoon": vader, "relatie": "ouder"}, {"persoon": moeder, "relatie": "ouder"},
            {"persoon": sem, "relatie": "kind"}, {"persoon": noor, "relatie": "kind"}]}),
        )
        .await?;
    let gid = gezin["id"].as_str().context("family id")?.to_string();
    let vandaag = ketenregie_common::werkdagen::nl_datum(chrono::Utc::now());
    let d = |dagen: i64| (vandaag + chrono::Duration::days(dagen)).to_string();
    let omgang = k
        .post(&gi, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), json!({
            "rechtbank": "Rechtbank Den Haag", "zaaknummer": "C/09/DEMO-1", "datum": d(-200), "soort": "omgang", "van": d(-200),
            "uitvoerbaarBijVoorraad": true, "sterkeArm": true, "sterkeArmTekst": "machtigt de deurwaarder zo nodig met de sterke arm", "kinderen": [sem, noor]}))
        .await?;
    k.post(&gi, &format!("/api/v1/gezinnen/{gid}/beschikkingen"), json!({
        "rechtbank": "Rechtbank Den Haag", "zaaknummer": "JE RK DEMO-2", "datum": d(-30), "soort": "ots", "van": d(-30), "tot": d(300),
        "uitvoerbaarBijVoorraad": true, "sterkeArm": false, "kinderen": [sem, noor]}))
        .await?;
    k.post(&gi, &format!("/api/v1/personen/{sem}/gezag"), json!({"vorm": "eenhoofdig", "houders": [moeder], "bron": "gezagsregister", "geverifieerdOp": d(-10)})).await?;
    k.post(&gi, &format!("/api/v1/gezinnen/{gid}/regelingen"), json!({"soort": "omgangsregeling", "bron": "beschikking", "beschikking": omgang["id"],
        "samenvatting": "Om het weekend vr 17:00 tot zo 17:00 bij vader; overdracht op school", "van": d(-200)})).await?;
    k.post(&gi, "/api/v1/betrokkenheden", json!({"persoon": sem, "contact": {"naam": "J. Bakker (gezinsvoogd, demo)", "telefoon": "088 000 1112"}})).await?;
    // The police's own records and three incidents, both sides heard in two.
    let politie = k.token("politie-den-haag", "noodhulp", 30);
    let p_vader = persoon(
        politie.clone(),
        "999990019",
        "Mark",
        "de Boer",
        "1984-02-10",
    )
    .await?;
    let p_moeder = persoon(politie.clone(), "999990020", "Lisa", "Visser", "1986-07-22").await?;
    for (n, (soort, dagen, beide)) in [
        ("overdracht-kind-mislukt", 12, true),
        ("ruzie", 45, false),
        ("bedreiging", 120, true),
    ]
    .iter()
    .enumerate()
    {
        let tijd = (chrono::Utc::now() - chrono::Duration::days(*dagen)).to_rfc3339();
        let mut verklaringen = vec![
            json!({"afgelegdDoor": "moeder", "persoon": p_moeder, "tekst": "Hij bracht de kinderen niet terug.", "afgelegdOp": tijd}),
        ];
        if *beide {
            verklaringen.push(json!({"afgelegdDoor": "vader", "persoon": p_vader, "tekst": "De kinderen wilden blijven.", "afgelegdOp": tijd}));
        }
        let wederhoor = if *beide {
            json!({"status": "ja", "op": tijd})
        } else {
            json!({"status": "niet-bereikbaar", "op": tijd})
        };
        k.post(&politie, "/api/v1/incidenten", json!({"tijdstip": tijd, "gemeente": "0518", "soort": soort,
            "politieReferentie": format!("DEMO-PL-{n}"), "samenvatting": "Conflict bij de overdracht (synthetisch).",
            "betrokkenen": [{"persoon": p_vader, "rol": "vader"}, {"persoon": p_moeder, "rol": "moeder"}],
            "verklaringen": verklaringen, "wederhoor": wederhoor}))
            .await?;
    }
    // Synthetic family 2: one parent and a child known to the wijkteam only.
    let wt = k.token("wijkteam-den-haag-centrum", "wijkteammedewerker", 30);
    let ouder = persoon(wt.clone(), "999990056", "Yara", "Hendriks", "1990-03-03").await?;
    let kind = persoon(wt.clone(), "999990068", "Levi", "Hendriks", "2018-11-11").await?;
    k.post(&wt, "/api/v1/gezinnen", json!({"kenmerk": "DEMO-WT-7", "leden": [{"persoon": ouder, "relatie": "ouder"}, {"persoon": kind, "relatie": "kind"}]})).await?;
    k.post(&wt, "/api/v1/betrokkenheden", json!({"persoon": kind, "contact": {"naam": "A. de Wit (wijkteam, demo)", "telefoon": "070 000 2223"}})).await?;
    Ok(())
}

fn druk_af(k: &Klant) {
    // Every line is shell: `eval "$(ketenregie demo)"` sets the tokens.
    println!("# Demo pilot region Haaglanden loaded (all persons synthetic).");
    // As long as the service accepts (auth.max_lifetime_seconds, 1 hour by default).
    let minuten = (k.config.auth.max_lifetime_seconds / 60).max(1) as i64;
    println!("# Development tokens, valid {minuten} minutes (`ketenregie token` makes new ones):");
    for (label, org, rol) in ROLLEN {
        let var = label.to_uppercase();
        println!(
            "export {var}={}   # {rol} at {org}",
            k.token_van(label, org, rol, minuten)
        );
    }
    // The platform admin (`auth.platform_organisation`): not a demo role of the werkplek,
    // but the one who may move the demo clock (rule DEMOKLOK_PLATFORM).
    let platform = &k.config.auth.platform_organisation;
    println!(
        "export PLATFORM={}   # platformbeheerder at {platform}",
        k.token(platform, "platformbeheerder", minuten)
    );
    println!(
        "# Next: start the service with `cargo run` and follow \"The tour\" in the README, e.g."
    );
    println!(
        "#   curl -s -X POST localhost:8080/api/v1/briefings/_zoek -H \"Authorization: Bearer $NOODHULP\" \\"
    );
    println!("#        -H 'Content-Type: application/json' -d '{{\"bsn\": \"999990032\"}}'");
}
