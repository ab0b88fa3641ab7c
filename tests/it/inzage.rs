//! Inzage from every crate (issue 15 point 1): the demo world's mother asks Veilig Thuis
//! and the police what they hold on her. Built as the demo (`ketenregie demo`) and the
//! README tour build it — the Haaglanden partners, the pilot agreement, the police's
//! records and three incidents, a zorgmelding filed by the police and routed to Veilig
//! Thuis, its triage and the feedback Veilig Thuis gives, briefings by the police and the
//! OM — plus her own statement recorded through Veilig Thuis. Each organisation's report
//! holds what it holds, with source, date and legal basis per item, the reporter's
//! identity withheld as the melding's stored choice says, and only its own processing.

use crate::common;

use common::{Db, TestApp};
use serde_json::{Value, json};

pub const POLITIE: &str = "politie-den-haag";
pub const POLITIE_NAAM: &str = "Politie eenheid Den Haag";
pub const VT: &str = "veilig-thuis-haaglanden";
pub const VT_NAAM: &str = "Veilig Thuis Haaglanden";
pub const OM: &str = "om-parket-den-haag";
pub const OM_NAAM: &str = "OM parket Den Haag";
pub const GI: &str = "gi-jeugdbescherming-west";
pub const WIJKTEAM: &str = "wijkteam-den-haag-centrum";

pub const BSN_MOEDER: &str = "999990020";
pub const BSN_VADER: &str = "999990019";
pub const BSN_SEM: &str = "999990032";
/// The reporter's name: withheld from the family by the melding's stored choice.
pub const MELDER: &str = "hoofdagent R. Verborgen";
pub const EIGEN_VERKLARING: &str =
    "Ik was die avond niet thuis; de kinderen waren bij mijn moeder.";

/// What the tests need of the world.
pub struct Wereld {
    /// The police's person record of the mother.
    pub moeder_politie: String,
    /// Her identity (the pseudonymous subject id every crate shares).
    pub identiteit: String,
    pub melding: String,
}

async fn registreer(app: &TestApp, code: &str, naam: &str, soort: &str, gemeenten: &[&str]) {
    let admin = app.token("ketenregie-platform", &["platformbeheerder"]);
    let res = app
        .post(
            "/api/v1/organisaties",
            &admin,
            &json!({"code": code, "naam": naam, "soort": soort, "gemeenten": gemeenten}),
        )
        .await;
    assert_eq!(res.status(), 201, "{code}: {}", res.text().await.unwrap());
}

async fn maak(app: &TestApp, pad: &str, token: &str, body: Value) -> Value {
    let res = app.post(pad, token, &body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap_or_default();
    assert!(status.is_success(), "{pad}: {status} {v}");
    v
}

/// The demo region with its history, as `ketenregie demo` and the tour leave it.
pub async fn demowereld(db: Db) -> Option<(TestApp, Wereld)> {
    // The reference data: the 26 Veilig Thuis organisations and the municipalities.
    let app = common::spawn_with(db, "# referentiedata").await?;
    registreer(&app, POLITIE, POLITIE_NAAM, "politie", &[]).await;
    registreer(
        &app,
        GI,
        "Jeugdbescherming west (GI)",
        "gecertificeerde-instelling",
        &["0518"],
    )
    .await;
    registreer(&app, OM, OM_NAAM, "om", &[]).await;
    registreer(
        &app,
        WIJKTEAM,
        "Wijkteam 's-Gravenhage Centrum",
        "wijkteam",
        &["0518"],
    )
    .await;
    // Whom the parent contacts at Veilig Thuis about her report.
    let vt_id = common::keten::organisatie_id(&app, VT).await;
    // Its privacy officer keeps it, as its admin (PRIVACYKANAAL_ALLEEN_FG: the `privacy`
    // contact point receives the privacy officer's notices).
    let vt_fg = app.token(VT, &["functioneel-beheerder", "privacyfunctionaris"]);
    maak(
        &app,
        &format!("/api/v1/organisaties/{vt_id}/contactpunten"),
        &vt_fg,
        json!({"rol": "privacy", "naam": "Privacyloket Veilig Thuis Haaglanden", "telefoon": "070 000 3333",
               "email": "privacy@vt-haaglanden.demo", "openingstijden": "ma-vr 9:00-17:00"}),
    )
    .await;
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
    let alles = json!([
        "identificatie",
        "bsn",
        "gezinssituatie",
        "gezag-en-omgang",
        "politiegegevens",
        "hulpverlening",
        "melder-identiteit"
    ]);
    app.convenant_van_kracht(&json!({
        "titel": "Pilotconvenant Haaglanden",
        "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": VT, "rol": "ontvanger"},
                     {"organisatie": GI, "rol": "gi"}, {"organisatie": OM, "rol": "om (voor gezien)"},
                     {"organisatie": WIJKTEAM, "rol": "lokaal veld"}],
        "doelen": ["zorgmelding", "veiligheidsbeoordeling", "terugkoppeling", "briefing", "strafrechtelijke-beoordeling", "coordinatie", "inzage"],
        "categorieen": alles,
        "regels": [
            regel("veilig-thuis", "triagist", json!(["lezen", "wijzigen"]), "veiligheidsbeoordeling", json!(["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]), false, "Wmo 2015 art. 5.2.6"),
            regel("politie", "wijkagent", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"]), false, "Wmo 2015 art. 4.1.1 lid 2 sub g"),
            regel("veilig-thuis", "triagist", json!(["lezen"]), "terugkoppeling", json!(["hulpverlening"]), false, "Wmo 2015 art. 4.1.1 lid 2 sub g"),
            regel("politie", "noodhulp", json!(["lezen"]), "briefing", json!(["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"]), false, "Wpg art. 18"),
            regel("om", "officier-van-justitie", json!(["lezen"]), "strafrechtelijke-beoordeling", json!(["identificatie", "gezag-en-omgang", "politiegegevens"]), true, "Wjsg art. 39f"),
            regel("wijkteam", "wijkteammedewerker", json!(["lezen", "wijzigen"]), "coordinatie", json!(["identificatie", "gezinssituatie"]), false, "Jeugdwet art. 7.1.1.1"),
            regel("politie", "privacyfunctionaris", json!(["lezen"]), "inzage", alles.clone(), true, "AVG art. 15"),
            regel("veilig-thuis", "privacyfunctionaris", json!(["lezen"]), "inzage", alles.clone(), true, "AVG art. 15")
        ]
    }))
    .await;

    // The police's own records of the parents and three incidents (the demo's).
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let persoon = |bsn: &str, vn: &str, an: &str, gd: &str| {
        json!({"bsn": bsn, "voornamen": vn, "achternaam": an, "geboortedatum": gd,
               "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}})
    };
    let vader = maak(
        &app,
        "/api/v1/personen",
        &noodhulp,
        persoon(BSN_VADER, "Mark", "de Boer", "1984-02-10"),
    )
    .await;
    let moeder = maak(
        &app,
        "/api/v1/personen",
        &noodhulp,
        persoon(BSN_MOEDER, "Lisa", "Visser", "1986-07-22"),
    )
    .await;
    let (p_vader, p_moeder) = (
        vader["id"].as_str().unwrap(),
        moeder["id"].as_str().unwrap(),
    );
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
        maak(&app, "/api/v1/incidenten", &noodhulp, json!({"tijdstip": tijd, "gemeente": "0518", "soort": soort,
            "politieReferentie": format!("DEMO-PL-{n}"), "samenvatting": "Conflict bij de overdracht (synthetisch).",
            "betrokkenen": [{"persoon": p_vader, "rol": "vader"}, {"persoon": p_moeder, "rol": "moeder"}],
            "verklaringen": verklaringen, "wederhoor": wederhoor})).await;
    }

    // The tour's zorgmelding about Sem, both parents named (the mother with her BSN); the
    // reporter asked not to be named to the family.
    let wijkagent = app.token(POLITIE, &["wijkagent"]);
    let m = maak(&app, "/api/v1/zorgmeldingen", &wijkagent, json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN_SEM, "gemeente": "0518", "eigenWoorden": "Ik wil dat ze ophouden met ruzie."}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "bsn": BSN_MOEDER, "gezag": true},
                   {"voornaam": "Mark", "achternaam": "de Boer", "relatie": "vader", "gezag": false}],
        "incidentReferentie": "DEMO-PL-9", "incidentDatum": "2026-11-27", "omschrijving": "Overdracht mislukt bij school.",
        "zorgen": "Sem is getuige van herhaalde conflicten.", "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": "Lisa Visser", "rol": "moeder", "tekst": "Hij kwam niet."},
                         {"persoon": "Mark de Boer", "rol": "vader", "tekst": "Ik stond er wel."}],
        "oudersGeinformeerd": true, "terugkoppelingGewenst": true,
        "melder": {"naam": MELDER, "functie": "wijkagent", "identiteitDelen": false, "reden": "De vader bedreigde de agent eerder."}
    })).await;
    let melding = m["id"].as_str().unwrap().to_string();
    let ingediend = maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{melding}/indieningen"),
        &wijkagent,
        json!({}),
    )
    .await;
    assert_eq!(ingediend["meldingen"][0]["ontvanger"], VT, "{ingediend}");

    // Veilig Thuis reads it, acknowledges, triages and gives the feedback the police are owed.
    let triagist = app.token(VT, &["triagist"]);
    assert_eq!(
        app.get(&format!("/api/v1/zorgmeldingen/{melding}"), &triagist)
            .await
            .status(),
        200
    );
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{melding}/ontvangsten"),
        &triagist,
        json!({}),
    )
    .await;
    maak(&app, &format!("/api/v1/zorgmeldingen/{melding}/beoordelingen"), &triagist,
        json!({"uitkomst": "onderzoek-vt", "acuut": false, "toelichting": "Gesprek met beide ouders gepland."})).await;
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{melding}/terugkoppelingen"),
        &triagist,
        json!({"moment": "na-beoordeling", "vervolgtrajectGestart": true, "melderHeeftRol": false,
               "toelichting": "Veiligheidsvoorwaarden met beide ouders afgesproken."}),
    )
    .await;
    assert_eq!(
        app.get(
            &format!("/api/v1/zorgmeldingen/{melding}/terugkoppelingen"),
            &wijkagent
        )
        .await
        .status(),
        200
    );

    // A briefing on her by the police, and one by the OM with a reason.
    maak(
        &app,
        "/api/v1/briefings/_zoek",
        &noodhulp,
        json!({"bsn": BSN_MOEDER}),
    )
    .await;
    let officier = app.token(OM, &["officier-van-justitie"]);
    let res = app
        .client
        .post(app.url("/api/v1/briefings/_zoek"))
        .bearer_auth(&officier)
        .header(
            "X-Audit-Toelichting",
            "beoordeling aangifte, parketnummer 09/000000-26",
        )
        .json(&json!({"bsn": BSN_MOEDER}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Her own statement, recorded through Veilig Thuis's privacy officer on her identity
    // (Veilig Thuis holds no person record of its own: the melding is what it holds).
    let identiteit = ketenregie_privacy::betrokkene::betrokkene(
        &app.versleuteling(),
        Some(BSN_MOEDER),
        "Lisa",
        "Visser",
        None,
    )
    .to_string();
    let vt_fg = app.token(VT, &["privacyfunctionaris"]);
    maak(
        &app,
        &format!("/api/v1/personen/{identiteit}/eigen-verklaringen"),
        &vt_fg,
        json!({"tekst": EIGEN_VERKLARING}),
    )
    .await;

    let w = Wereld {
        moeder_politie: p_moeder.to_string(),
        identiteit,
        melding,
    };
    Some((app, w))
}

/// The report of `org`'s privacy officer on `id`.
pub async fn rapport(app: &TestApp, org: &str, id: &str) -> Value {
    let fg = app.token(org, &["privacyfunctionaris"]);
    let res = app.get(&format!("/api/v1/personen/{id}/inzage"), &fg).await;
    let status = res.status();
    let r: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{r}");
    r
}

fn items<'a>(r: &'a Value, soort: &str) -> Vec<&'a Value> {
    r["gegevens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["soort"] == soort)
        .collect()
}

/// Every item names its source by name, its date and its legal basis.
fn herkomst_per_item(r: &Value) {
    for g in r["gegevens"].as_array().unwrap() {
        assert!(
            g["bronNaam"]
                .as_str()
                .is_some_and(|n| !n.is_empty() && n != g["bron"]),
            "{g}"
        );
        assert!(
            g["vastgelegdOp"].as_str().is_some_and(|d| d.len() >= 20),
            "{g}"
        );
        assert!(
            g["grondslag"].as_str().is_some_and(|d| !d.is_empty()),
            "{g}"
        );
    }
}

/// Done, first line: through Veilig Thuis the melding (reporter's identity per the rule),
/// the feedback it gave and her eigen verklaring; through the police the melding it sent,
/// the incidents, the briefings on her and the disclosures to Veilig Thuis and the OM;
/// neither shows the other's processing.
async fn moeder_bij_vt_en_politie(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };

    // Veilig Thuis, asked by the police's record id (it received the police's data on her)
    // and by her identity: the same report.
    for id in [&w.moeder_politie, &w.identiteit] {
        let r = rapport(&app, VT, id).await;
        herkomst_per_item(&r);
        assert_eq!(r["naam"], "Lisa Visser");
        assert_eq!(r["opgesteldDoorNaam"], VT_NAAM);
        assert_eq!(
            r["contactpunten"][0]["naam"], "Privacyloket Veilig Thuis Haaglanden",
            "{r}"
        );
        let meldingen = items(&r, "zorgmelding");
        assert_eq!(meldingen.len(), 1, "{r}");
        let m = meldingen[0];
        assert_eq!(m["id"], w.melding.as_str());
        assert_eq!(m["bron"], POLITIE);
        assert_eq!(m["bronNaam"], POLITIE_NAAM);
        assert_eq!(m["gegevens"]["richting"], "ontvangen");
        assert!(
            m["grondslag"]
                .as_str()
                .unwrap()
                .starts_with("Wmo 2015 art. 5.2.6 (convenant “Pilotconvenant Haaglanden”"),
            "{m}"
        );
        // DOMAIN.md §4: the choice stored with the melding withholds the reporter.
        assert!(m["gegevens"]["melder"].is_null(), "{m}");
        assert!(m["achtergehouden"].to_string().contains("melder"), "{m}");
        assert!(
            !r.to_string().contains(MELDER),
            "the reporter's name is nowhere in the report"
        );
        // Her own statement in the melding, not the father's (police data); not the
        // child's own words; not the police reference number.
        let tekst = m["gegevens"].to_string();
        assert!(
            tekst.contains("Hij kwam niet.") && !tekst.contains("Ik stond er wel."),
            "{m}"
        );
        assert!(
            !tekst.contains("ophouden met ruzie") && !tekst.contains("DEMO-PL-9"),
            "{m}"
        );
        assert!(tekst.contains("Overdracht mislukt bij school."), "{m}");
        let stappen: Vec<&str> = m["gegevens"]["stappen"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["stap"].as_str().unwrap())
            .collect();
        assert_eq!(
            stappen,
            ["aangemaakt", "verzonden", "ontvangst", "beoordeling"],
            "{m}"
        );
        let feedback = items(&r, "terugkoppeling");
        assert_eq!(feedback.len(), 1, "{r}");
        assert_eq!(feedback[0]["gegevens"]["richting"], "gegeven");
        assert_eq!(feedback[0]["bron"], VT);
        assert_eq!(
            feedback[0]["gegevens"]["toelichting"],
            "Veiligheidsvoorwaarden met beide ouders afgesproken."
        );
        let verklaringen = r["eigenVerklaringen"].as_array().unwrap();
        assert_eq!(verklaringen.len(), 1, "{r}");
        assert_eq!(verklaringen[0]["tekst"], EIGEN_VERKLARING);
        assert_eq!(verklaringen[0]["vastgelegdDoorNaam"], VT_NAAM);
        // Nothing of the police's own records, and only Veilig Thuis's processing.
        assert!(
            items(&r, "incident").is_empty() && items(&r, "persoon").is_empty(),
            "{r}"
        );
        let verwerkingen = r["verwerkingen"].as_array().unwrap();
        assert!(!verwerkingen.is_empty());
        assert!(
            verwerkingen
                .iter()
                .all(|v| v["organisatie"] == VT && v["organisatieNaam"] == VT_NAAM),
            "{r}"
        );
        assert!(
            verwerkingen
                .iter()
                .any(|v| v["doel"] == "veiligheidsbeoordeling"),
            "{r}"
        );
    }

    // The police, by its own record.
    let r = rapport(&app, POLITIE, &w.moeder_politie).await;
    herkomst_per_item(&r);
    assert_eq!(r["naam"], "Lisa Visser");
    let meldingen = items(&r, "zorgmelding");
    assert_eq!(meldingen.len(), 1, "{r}");
    let m = meldingen[0];
    assert_eq!(m["gegevens"]["richting"], "gegeven");
    assert_eq!(m["bron"], POLITIE);
    assert_eq!(m["gegevens"]["ontvanger"]["naam"], VT_NAAM);
    assert!(
        m["gegevens"]["melder"].is_null() && !r.to_string().contains(MELDER),
        "{m}"
    );
    // The police's own report holds all its statements and its reference number.
    let tekst = m["gegevens"].to_string();
    assert!(
        tekst.contains("Ik stond er wel.") && tekst.contains("DEMO-PL-9"),
        "{m}"
    );
    assert_eq!(items(&r, "incident").len(), 3, "{r}");
    assert_eq!(items(&r, "persoon").len(), 1, "{r}");
    let doelen: Vec<&str> = r["verwerkingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["doel"].as_str().unwrap())
        .collect();
    assert!(
        doelen.contains(&"briefing") && doelen.contains(&"zorgmelding"),
        "{doelen:?}"
    );
    assert!(
        r["verwerkingen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["organisatie"] == POLITIE),
        "{r}"
    );
    let aan: Vec<&str> = r["verstrekkingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["aan"].as_str().unwrap())
        .collect();
    assert!(aan.contains(&VT) && aan.contains(&OM), "{aan:?}");
    let namen: Vec<&str> = r["verstrekkingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["aanNaam"].as_str().unwrap())
        .collect();
    assert!(
        namen.contains(&VT_NAAM) && namen.contains(&OM_NAAM),
        "{namen:?}"
    );
    // Not Veilig Thuis's statement, nor its processing.
    assert!(r["eigenVerklaringen"].as_array().unwrap().is_empty(), "{r}");
    assert!(!r.to_string().contains(EIGEN_VERKLARING));
}

/// The page's visible text: tags and the style block dropped, entities read.
fn zichtbare_tekst(html: &str) -> String {
    let zonder_stijl = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b + 8..]),
        _ => html.to_string(),
    };
    let mut uit = String::new();
    let mut in_tag = false;
    for c in zonder_stijl.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                uit.push(' ');
            }
            c if !in_tag => uit.push(c),
            _ => {}
        }
    }
    let uit = uit
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    uit.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every value of an item's data, as the page must show it: a date or moment in Dutch, a
/// code in words, an organisation by name (never its code), a postcode as "1234 AB", any
/// other text as it is.
fn controleer_waarden(soort: &str, sleutel: &str, v: &Value, tekst: &str, fout: &mut Vec<String>) {
    use ketenregie_api::inzage_html::{tijd, woorden};
    match v {
        Value::Object(o) => {
            if let (Some(code), Some(naam)) = (
                o.get("code").and_then(Value::as_str),
                o.get("naam").and_then(Value::as_str),
            ) {
                if !tekst.contains(naam) {
                    fout.push(format!("{soort}.{sleutel}: organisation name `{naam}`"));
                }
                if code != naam && tekst.contains(code) {
                    fout.push(format!(
                        "{soort}.{sleutel}: organisation code `{code}` shown"
                    ));
                }
            }
            for (k, x) in o
                .iter()
                .filter(|(k, _)| !["code", "naam"].contains(&k.as_str()) || !o.contains_key("code"))
            {
                controleer_waarden(soort, k, x, tekst, fout);
            }
        }
        Value::Array(a) => a
            .iter()
            .for_each(|x| controleer_waarden(soort, sleutel, x, tekst, fout)),
        Value::String(s) => {
            let verwacht = if sleutel == "postcode" {
                format!("{} {}", &s[..4], &s[4..])
            } else if sleutel == "stap" {
                woorden::stap(s).unwrap().to_string()
            } else if sleutel == "naarStatus" {
                woorden::waarde("zorgmelding", "taakstatus", s)
                    .unwrap()
                    .to_string()
            } else if let Some(w) = woorden::waarde(soort, sleutel, s) {
                if s.contains('-') && tekst.contains(s.as_str()) {
                    fout.push(format!("{soort}.{sleutel}: code `{s}` shown"));
                }
                w.to_string()
            } else if let Some(d) = tijd::uit_tekst(s) {
                d
            } else {
                s.clone()
            };
            if !tekst.contains(&verwacht) {
                fout.push(format!("{soort}.{sleutel}: `{verwacht}` (from `{s}`)"));
            }
        }
        _ => {}
    }
}

/// The page holds every item of the JSON report in words (issue 15 point 6): its title,
/// source by name, date in Dutch, legal basis, every value, what was withheld; the
/// statements, the processing and the disclosures; the rights and whom to contact; and no
/// field name, organisation code or status code.
async fn pagina_toont_elk_onderdeel(app: &TestApp, org: &str, id: &str) {
    use ketenregie_api::inzage_html::{tijd, woorden};
    let json = rapport(app, org, id).await;
    let fg = app.token(org, &["privacyfunctionaris"]);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/personen/{id}/inzage")))
        .bearer_auth(&fg)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    // One inline style block, allowed by its hash and nothing else; no script.
    let stijl = &html[html.find("<style>").unwrap() + 7..html.find("</style>").unwrap()];
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(stijl.as_bytes()));
    assert!(
        csp.contains(&format!("style-src 'sha256-{hash}'")) && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(
        !html.contains("<script") && !html.contains(" style=\""),
        "no script, no inline style attribute"
    );
    assert!(
        html.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
    assert!(
        stijl.contains("counter(page)")
            && stijl.contains("Inzage voor Lisa Visser")
            && stijl.contains("break-inside: avoid")
    );

    let tekst = zichtbare_tekst(&html);
    let mut fout = Vec::new();
    let mut moet = |wat: &str, s: &str| {
        if !tekst.contains(s) {
            fout.push(format!("{wat}: `{s}`"));
        }
    };
    moet("naam", json["naam"].as_str().unwrap());
    moet("organisatie", json["opgesteldDoorNaam"].as_str().unwrap());
    for g in json["gegevens"].as_array().unwrap() {
        let soort = g["soort"].as_str().unwrap();
        moet(
            "titel",
            &woorden::titel(soort, g["gegevens"]["richting"].as_str()),
        );
        moet("bron", g["bronNaam"].as_str().unwrap());
        moet(
            "datum",
            &tijd::uit_tekst(g["vastgelegdOp"].as_str().unwrap()).unwrap(),
        );
        moet("grondslag", g["grondslag"].as_str().unwrap());
        for a in g["achtergehouden"].as_array().unwrap() {
            moet("achtergehouden", a.as_str().unwrap());
        }
    }
    for v in json["eigenVerklaringen"].as_array().unwrap() {
        moet("verklaring", v["tekst"].as_str().unwrap());
        moet("verklaring door", v["vastgelegdDoorNaam"].as_str().unwrap());
        moet(
            "verklaring op",
            &tijd::uit_tekst(v["aangemaaktOp"].as_str().unwrap()).unwrap(),
        );
    }
    for v in json["verwerkingen"].as_array().unwrap() {
        moet(
            "verwerking op",
            &tijd::uit_tekst(v["tijdstip"].as_str().unwrap()).unwrap(),
        );
        moet("verwerking door", v["organisatieNaam"].as_str().unwrap());
        moet(
            "verwerking doel",
            &woorden::doel(v["doel"].as_str().unwrap()),
        );
        moet(
            "verwerking grondslag",
            &woorden::grondslag(v["grondslag"].as_str().unwrap()),
        );
        for d in v["verwerktDoor"].as_array().unwrap() {
            moet("verwerkt door", d.as_str().unwrap());
        }
    }
    for v in json["verstrekkingen"].as_array().unwrap() {
        moet(
            "verstrekking op",
            &tijd::uit_tekst(v["tijdstip"].as_str().unwrap()).unwrap(),
        );
        moet("verstrekking aan", v["aanNaam"].as_str().unwrap());
        moet(
            "verstrekking doel",
            &woorden::doel(v["doel"].as_str().unwrap()),
        );
    }
    for c in json["contactpunten"].as_array().unwrap() {
        for k in ["naam", "telefoon", "email", "openingstijden"] {
            if let Some(s) = c[k].as_str() {
                moet("contact", s);
            }
        }
    }
    for recht in [
        "AVG artikel 16",
        "AVG artikel 21",
        "Jeugdwet artikel 7.3.8",
        "Autoriteit Persoonsgegevens",
        "AVG artikel 77",
        "eigen verklaring",
    ] {
        moet("rechten", recht);
    }
    for g in json["gegevens"].as_array().unwrap() {
        let soort = g["soort"].as_str().unwrap();
        for (k, v) in g["gegevens"].as_object().unwrap() {
            controleer_waarden(soort, k, v, &tekst, &mut fout);
        }
        // No field name on the page.
        for k in g["gegevens"].as_object().unwrap().keys() {
            if k.chars().any(char::is_uppercase) && tekst.contains(k.as_str()) {
                fout.push(format!("field name `{k}` shown"));
            }
        }
    }
    for code in [POLITIE, VT, OM] {
        if tekst.contains(code) {
            fout.push(format!("organisation code `{code}` shown"));
        }
    }
    assert!(
        fout.is_empty(),
        "missing from or wrong on the page:\n{}\n\n{tekst}",
        fout.join("\n")
    );
}

/// A hand-over (DOMAIN.md §3 flow 4): Veilig Thuis hands the case to the wijkteam. Veilig
/// Thuis's report holds the hand-over it gave; the wijkteam's the task it received, from
/// Veilig Thuis, without the police's account or statements; both on their own page.
async fn overdracht_bij_beide_kanten(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };
    let triagist = app.token(VT, &["triagist"]);
    let taak = maak(&app, &format!("/api/v1/zorgmeldingen/{}/overdrachten", w.melding), &triagist,
        json!({"organisatie": WIJKTEAM, "toelichting": "Wijkteam begeleidt het gezin bij de omgang."})).await;
    let taak = taak["id"].as_str().unwrap().to_string();
    let medewerker = app.token(WIJKTEAM, &["wijkteammedewerker"]);
    assert_eq!(
        app.get(&format!("/api/v1/zorgmeldingen/{taak}"), &medewerker)
            .await
            .status(),
        200
    );
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{taak}/acceptaties"),
        &medewerker,
        json!({}),
    )
    .await;

    let r = rapport(&app, VT, &w.identiteit).await;
    let gegeven = items(&r, "overdracht");
    assert_eq!(gegeven.len(), 1, "{r}");
    assert_eq!(gegeven[0]["id"], taak.as_str());
    assert_eq!(gegeven[0]["bron"], VT);
    assert_eq!(gegeven[0]["gegevens"]["richting"], "gegeven");
    assert_eq!(
        gegeven[0]["gegevens"]["ontvanger"]["naam"],
        "Wijkteam 's-Gravenhage Centrum"
    );
    let stappen = gegeven[0]["gegevens"]["stappen"].to_string();
    assert!(
        stappen.contains("overdracht-ontvangen") && stappen.contains("acceptatie"),
        "{stappen}"
    );

    let r = rapport(&app, WIJKTEAM, &w.identiteit).await;
    herkomst_per_item(&r);
    let ontvangen = items(&r, "overdracht");
    assert_eq!(ontvangen.len(), 1, "{r}");
    let o = ontvangen[0];
    assert_eq!(o["bron"], VT, "handed over by Veilig Thuis");
    assert_eq!(o["bronNaam"], VT_NAAM);
    assert_eq!(o["gegevens"]["richting"], "ontvangen");
    assert!(
        o["grondslag"]
            .as_str()
            .unwrap()
            .starts_with("Jeugdwet art. 7.1.1.1"),
        "{o}"
    );
    let tekst = o["gegevens"].to_string();
    assert!(
        tekst.contains("Sem is getuige van herhaalde conflicten."),
        "{o}"
    );
    assert!(
        !tekst.contains("Overdracht mislukt bij school.") && !tekst.contains("Hij kwam niet."),
        "{o}"
    );
    assert!(!r.to_string().contains(MELDER));
    assert!(
        items(&r, "zorgmelding").is_empty() && items(&r, "terugkoppeling").is_empty(),
        "{r}"
    );
    assert!(
        r["verwerkingen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["organisatie"] == WIJKTEAM),
        "{r}"
    );
    pagina_toont_elk_onderdeel(&app, WIJKTEAM, &w.identiteit).await;
}

async fn pagina_in_woorden(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };
    pagina_toont_elk_onderdeel(&app, VT, &w.identiteit).await;
    pagina_toont_elk_onderdeel(&app, POLITIE, &w.moeder_politie).await;
    accept_met_gewichten(&app, VT, &w.identiteit).await;
}

/// INZAGE_ONDERHANDELING (RFC 9110 §12.5.1): `Accept` is read with its weights, not
/// searched for the text `text/html`; `q=0` is "not acceptable".
async fn accept_met_gewichten(app: &TestApp, org: &str, id: &str) {
    let fg = app.token(org, &["privacyfunctionaris"]);
    for (accept, verwacht) in [
        (None, "application/json"),
        (Some("text/html"), "text/html"),
        (Some("text/html;q=0"), "application/json"),
        (
            Some("text/html; q=0, application/json;q=0.5"),
            "application/json",
        ),
        (
            Some("application/json, text/html;q=0.1"),
            "application/json",
        ),
        (Some("text/html;q=0.9, application/json;q=0.8"), "text/html"),
        (Some("text/*"), "text/html"),
        (Some("text/*, text/html;q=0"), "application/json"),
        (Some("application/*;q=0.2, text/*;q=0.3"), "text/html"),
        (Some("*/*"), "application/json"),
        (
            Some("text/html,application/xhtml+xml,*/*;q=0.8"),
            "text/html",
        ),
        (Some("application/json"), "application/json"),
    ] {
        let mut req = app
            .client
            .get(app.url(&format!("/api/v1/personen/{id}/inzage")))
            .bearer_auth(&fg);
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "{accept:?}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with(verwacht), "Accept {accept:?}: {ct}");
    }
}

/// The report's page as the privacy officer of `org` prints it.
async fn pagina(app: &TestApp, org: &str, id: &str) -> String {
    let fg = app.token(org, &["privacyfunctionaris"]);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/personen/{id}/inzage")))
        .bearer_auth(&fg)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// The achtergehouden line of `item` that names KINDERWOORDEN_ALLEEN_AAN_HET_KIND.
fn kinderwoorden_regel(item: &Value) -> Option<String> {
    item["achtergehouden"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|w| w.contains(ketenregie_privacy::inzage::KINDERWOORDEN_ALLEEN_AAN_HET_KIND))
        .map(str::to_string)
}

/// KINDERWOORDEN_ALLEEN_AAN_HET_KIND (outside tester's finding): a child's statement in a
/// police incident (`afgelegdDoor: kind`) and in a zorgmelding (`rol: kind`), and the
/// child's `eigenWoorden`, are in no parent's report — not the police's own, not Veilig
/// Thuis's, in JSON nor on the page — and the item says they were withheld under the
/// rule; the child's own report through the police shows the child's own statements, and
/// withholds a child's statement that names no person.
async fn kinderwoorden_alleen_aan_het_kind(db: Db) {
    let Some((app, w)) = demowereld(db).await else {
        return;
    };
    let noodhulp = app.token(POLITIE, &["noodhulp"]);
    let sem = maak(&app, "/api/v1/personen", &noodhulp, json!({"bsn": BSN_SEM, "voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04",
        "adres": {"straat": "Demostraat", "huisnummer": "1", "postcode": "2511AA", "gemeente": "0518"}})).await;
    let sem = sem["id"].as_str().unwrap().to_string();
    let tijd = (chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339();
    let incident = maak(&app, "/api/v1/incidenten", &noodhulp, json!({"tijdstip": tijd, "gemeente": "0518", "soort": "ruzie",
        "politieReferentie": "DEMO-PL-KIND", "samenvatting": "Ruzie thuis (synthetisch).",
        "betrokkenen": [{"persoon": w.moeder_politie, "rol": "moeder"}, {"persoon": sem, "rol": "kind"}],
        "verklaringen": [
            {"afgelegdDoor": "moeder", "persoon": w.moeder_politie, "tekst": "Het liep uit de hand.", "afgelegdOp": tijd},
            {"afgelegdDoor": "kind", "persoon": sem, "tekst": "Papa schreeuwde heel hard.", "afgelegdOp": tijd},
            {"afgelegdDoor": "kind", "tekst": "Ik hoorde glas breken.", "afgelegdOp": tijd}],
        "wederhoor": {"status": "niet-bereikbaar", "op": tijd}})).await;
    let incident = incident["id"].as_str().unwrap().to_string();
    let wijkagent = app.token(POLITIE, &["wijkagent"]);
    let m = maak(&app, "/api/v1/zorgmeldingen", &wijkagent, json!({
        "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04", "bsn": BSN_SEM, "gemeente": "0518", "eigenWoorden": "Ik wil naar oma."}],
        "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "bsn": BSN_MOEDER, "gezag": true}],
        "omschrijving": "Ruzie thuis.", "zorgen": "Sem was erbij.", "acuut": false, "risiconiveau": "verhoogd",
        "verklaringen": [{"persoon": "Lisa Visser", "rol": "moeder", "tekst": "Het was een slechte avond."},
                         {"persoon": "Sem de Boer", "rol": "kind", "tekst": "Ik was bang."}],
        "oudersGeinformeerd": true, "terugkoppelingGewenst": false,
        "melder": {"naam": "agent K. Kind", "functie": "wijkagent", "identiteitDelen": true}
    })).await;
    let melding = m["id"].as_str().unwrap().to_string();
    maak(
        &app,
        &format!("/api/v1/zorgmeldingen/{melding}/indieningen"),
        &wijkagent,
        json!({}),
    )
    .await;
    let kinderwoorden = [
        "Papa schreeuwde heel hard.",
        "Ik hoorde glas breken.",
        "Ik was bang.",
        "Ik wil naar oma.",
        "ophouden met ruzie",
    ];
    let item = |r: &Value, id: &str| {
        r["gegevens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap_or_else(|| panic!("{id} not in {r}"))
            .clone()
    };

    // The mother's report through the police (its own report: every other statement) and
    // through Veilig Thuis, in JSON and on the page.
    for (org, id) in [(POLITIE, &w.moeder_politie), (VT, &w.identiteit)] {
        let r = rapport(&app, org, id).await;
        let html = pagina(&app, org, id).await;
        for t in kinderwoorden {
            assert!(!r.to_string().contains(t), "{org}: `{t}` in {r}");
            assert!(!html.contains(t), "{org}: `{t}` on the page");
        }
        assert!(r.to_string().contains("Het was een slechte avond."), "{r}");
        let m = item(&r, &melding);
        let regel = kinderwoorden_regel(&m).unwrap_or_else(|| panic!("{org}: {m}"));
        assert!(regel.contains("(2)") && regel.contains("AVG"), "{regel}");
        assert!(
            html.contains(ketenregie_privacy::inzage::KINDERWOORDEN_ALLEEN_AAN_HET_KIND),
            "{org}: the page names the rule"
        );
        if org == POLITIE {
            let i = item(&r, &incident);
            assert!(i.to_string().contains("Het liep uit de hand."), "{i}");
            let regel = kinderwoorden_regel(&i).unwrap_or_else(|| panic!("{i}"));
            assert!(regel.contains("(2)"), "{regel}");
        }
    }

    // The child's own report through the police: the child's own statements, not the
    // child's statement that names no person.
    let r = rapport(&app, POLITIE, &sem).await;
    let i = item(&r, &incident);
    let tekst = i.to_string();
    assert!(
        tekst.contains("Papa schreeuwde heel hard.") && !tekst.contains("Ik hoorde glas breken."),
        "{i}"
    );
    assert!(
        kinderwoorden_regel(&i).is_some_and(|w| w.contains("(1)")),
        "{i}"
    );
    let m = item(&r, &melding);
    let tekst = m["gegevens"].to_string();
    assert!(
        tekst.contains("Ik was bang.") && tekst.contains("Ik wil naar oma."),
        "{m}"
    );
    assert!(kinderwoorden_regel(&m).is_none(), "{m}");
    let html = pagina(&app, POLITIE, &sem).await;
    assert!(html.contains("Papa schreeuwde heel hard.") && html.contains("Ik was bang."));
}

op_beide_backends!(
    moeder_bij_vt_en_politie,
    pagina_in_woorden,
    overdracht_bij_beide_kanten,
    kinderwoorden_alleen_aan_het_kind
);
