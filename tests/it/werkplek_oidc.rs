//! The werkplek's production sign-in end to end (issue 16 point 2) against the test
//! OpenID provider the suite runs itself (`common::oidc`): the authorization code flow
//! with PKCE, state and nonce; the session created with the provider's tokens kept
//! encrypted on the server; the role and organisation from the ID token as the API reads
//! them; idle and absolute time-outs; sign-out ending the session and the provider's
//! (RP-initiated logout); a tampered state, a wrong nonce, an answer in another browser,
//! a replayed answer and an unknown role refused without a session.

use crate::common;
use crate::werkplek::Browser;
use common::Db;
use common::oidc::{Gebruiker, Provider};

pub(crate) const POLITIE: &str = "politie-den-haag";

pub(crate) fn wijkagent() -> Gebruiker {
    Gebruiker {
        sub: "w.agent-4711".into(),
        naam: "Wendy Agent".into(),
        organisatie: POLITIE.into(),
        rollen: vec!["wijkagent".into()],
    }
}

/// The app in production mode with `[oidc]` pointing at `p`. The redirect URI's host is
/// a placeholder: the test carries the provider's answer to the app itself.
pub(crate) async fn opzet(db: Db, p: &Provider) -> Option<common::TestApp> {
    common::spawn_with(
        db,
        &format!("mode = \"production\"\n{}", p.config("http://127.0.0.1")),
    )
    .await
}

/// Start a sign-in in `b` and let the provider approve it; returns the path and query
/// of the provider's answer (to `/werkplek/aanmelden/terug`).
pub(crate) async fn naar_provider_en_terug(b: &mut Browser<'_>, p: &Provider) -> String {
    let r = b.get("/werkplek/aanmelden/oidc").await;
    assert_eq!(r.status, 303, "{}", r.html);
    let autorisatie = r.location();
    assert!(
        autorisatie.starts_with(&format!("{}/authorize?", p.issuer)),
        "{autorisatie}"
    );
    let poging = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("werkplek_oidc="))
        .expect("the sign-in cookie");
    for kenmerk in [
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/werkplek/aanmelden",
    ] {
        assert!(poging.contains(kenmerk), "{kenmerk} in {poging}");
    }
    let antwoord = b.http.get(&autorisatie).send().await.unwrap();
    assert_eq!(antwoord.status(), 302);
    let terug = antwoord.headers()["location"].to_str().unwrap().to_string();
    let pad = terug
        .strip_prefix("http://127.0.0.1")
        .expect("back to the redirect URI")
        .to_string();
    assert!(pad.starts_with("/werkplek/aanmelden/terug?code="), "{pad}");
    pad
}

fn vervang_state(pad: &str) -> String {
    let (basis, query) = pad.split_once('?').unwrap();
    let velden: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    let velden: Vec<(String, String)> = velden
        .into_iter()
        .map(|(k, v)| {
            if k == "state" {
                (k, format!("{v}x"))
            } else {
                (k, v)
            }
        })
        .collect();
    format!("{basis}?{}", serde_urlencoded::to_string(velden).unwrap())
}

async fn aanmelden_via_de_organisatie(db: Db) {
    let p = Provider::start(wijkagent());
    let Some(app) = opzet(db, &p).await else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    let sessies = || app.tel("SELECT count(*) AS n FROM werkplek_sessies");

    // The sign-in page in production: the provider, no demo roles.
    let mut b = Browser::new(&app);
    let pagina = b.get("/werkplek/aanmelden").await;
    assert_eq!(pagina.status, 200);
    assert!(pagina.html.contains("href=\"/werkplek/aanmelden/oidc\""));
    assert!(!pagina.html.contains("name=\"rol\""), "no demo roles");
    let demo = b.post("/werkplek/aanmelden", &[("rol", "wijkagent")]).await;
    assert_eq!(demo.status, 404, "no demo sign-in in production");

    // The whole flow: PKCE (S256), state and nonce sent; the provider checked the PKCE
    // verifier and the client secret at its token endpoint.
    let terug = naar_provider_en_terug(&mut b, &p).await;
    {
        let s = p.staat.lock().unwrap();
        let a = s.autorisaties.last().unwrap();
        for k in ["state", "nonce", "code_challenge"] {
            assert!(a.get(k).is_some_and(|v| v.len() >= 20), "{k}: {a:?}");
        }
        assert_eq!(a["code_challenge_method"], "S256");
        assert!(a["scope"].split(' ').any(|s| s == "openid"));
    }
    let r = b.get(&terug).await;
    assert_eq!(r.status, 200, "{}", r.html);
    assert!(
        r.html
            .contains("<meta http-equiv=\"refresh\" content=\"0; url=/werkplek/\">"),
        "{}",
        r.html
    );
    let sessie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("werkplek_sessie="))
        .expect("a session cookie");
    for kenmerk in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/werkplek"] {
        assert!(sessie.contains(kenmerk), "{kenmerk} in {sessie}");
    }
    assert_eq!(sessies(), 1);
    // The provider's tokens are on the server, encrypted; never in the browser.
    let access = p
        .staat
        .lock()
        .unwrap()
        .access_tokens
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM werkplek_sessies WHERE tokens LIKE 'v1:%'"),
        1
    );
    let stuk = &access[access.len() - 30..];
    assert_eq!(
        app.tel(&format!(
            "SELECT count(*) AS n FROM werkplek_sessies WHERE tokens LIKE '%{stuk}%'"
        )),
        0
    );
    assert!(!r.html.contains(stuk));
    assert!(
        r.headers
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().contains(stuk))
    );
    assert_eq!(
        app.tel("SELECT count(*) AS n FROM werkplek_aanmeldingen"),
        0
    );

    // Signed in with the role and organisation of the token: the wijkagent's screens.
    let start = b.get("/werkplek/").await;
    assert_eq!(start.status, 200, "{}", start.html);
    assert!(start.html.contains("Wendy Agent"), "{}", start.html);
    assert!(start.html.contains(POLITIE));
    assert!(start.html.contains("/werkplek/meldingen/nieuw"));
    assert_eq!(b.get("/werkplek/inbox").await.status, 403);
    assert_eq!(b.get("/werkplek/uitgaand").await.status, 200);

    // The same answer again (a replay) is refused: the attempt was used.
    let nog = b.get(&terug).await;
    assert_eq!(nog.status, 403, "{}", nog.html);

    // Sign-out ends the session here and sends the browser to the provider's sign-out
    // with the ID token as hint (RP-initiated logout).
    let weg = b
        .post("/werkplek/afmelden", &[("_csrf", &start.csrf())])
        .await;
    assert_eq!(weg.status, 200, "{}", weg.html);
    assert_eq!(sessies(), 0);
    let i = weg
        .html
        .find(&format!("href=\"{}/logout?", p.issuer))
        .expect("a link to the provider's sign-out")
        + 6;
    let afmeld_url = weg.html[i..i + weg.html[i..].find('"').unwrap()].replace("&amp;", "&");
    assert!(afmeld_url.contains("id_token_hint="), "{afmeld_url}");
    assert!(
        afmeld_url.contains("post_logout_redirect_uri="),
        "{afmeld_url}"
    );
    let res = b.http.get(&afmeld_url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(p.staat.lock().unwrap().afgemeld.len(), 1);
    assert!(!p.staat.lock().unwrap().afgemeld[0].is_empty());
    assert_eq!(b.get("/werkplek/").await.status, 303);
}

async fn geknoeide_aanmelding_geweigerd(db: Db) {
    let p = Provider::start(wijkagent());
    let Some(app) = opzet(db, &p).await else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    let sessies = || app.tel("SELECT count(*) AS n FROM werkplek_sessies");

    // A tampered state: refused, and the attempt is gone (the true answer no longer works).
    let mut b = Browser::new(&app);
    let terug = naar_provider_en_terug(&mut b, &p).await;
    let r = b.get(&vervang_state(&terug)).await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(r.html.contains("state"), "{}", r.html);
    assert!(
        r.headers
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("werkplek_sessie="))
    );
    assert_eq!(b.get(&terug).await.status, 403);
    assert_eq!(sessies(), 0);

    // An ID token with another nonce than the one sent: refused.
    let mut b = Browser::new(&app);
    let terug = naar_provider_en_terug(&mut b, &p).await;
    p.staat.lock().unwrap().andere_nonce = Some("een-andere-nonce".into());
    let r = b.get(&terug).await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(r.html.contains("nonce"), "{}", r.html);
    assert_eq!(sessies(), 0);

    // The answer arriving in another browser (no sign-in cookie): refused.
    let mut b = Browser::new(&app);
    let terug = naar_provider_en_terug(&mut b, &p).await;
    let mut ander = Browser::new(&app);
    assert_eq!(ander.get(&terug).await.status, 403);
    // ...and an error answer of the provider.
    let r = b
        .get("/werkplek/aanmelden/terug?error=access_denied&state=x")
        .await;
    assert_eq!(r.status, 403);
    assert!(r.html.contains("access_denied"));
    assert_eq!(sessies(), 0);

    // A role the API does not know: refused as the API refuses it.
    p.staat.lock().unwrap().gebruiker = Some(Gebruiker {
        rollen: vec!["tovenaar".into()],
        ..wijkagent()
    });
    let mut b = Browser::new(&app);
    let terug = naar_provider_en_terug(&mut b, &p).await;
    let r = b.get(&terug).await;
    assert_eq!(r.status, 403, "{}", r.html);
    assert!(r.html.contains("onbekende rol"), "{}", r.html);
    assert!(!r.html.contains("tovenaar"), "not repeated: {}", r.html);
    assert_eq!(sessies(), 0);
}

async fn tijdslimieten_na_aanmelding(db: Db) {
    let p = Provider::start(wijkagent());
    let Some(app) = opzet(db, &p).await else {
        return;
    };
    app.organisatie(POLITIE, "politie", &[]).await;
    // Idle 31 minutes, then 10 hours and a minute after sign-in: back to sign-in.
    for (laatst, begin) in [(31, 0), (0, 10 * 60 + 1)] {
        let mut b = Browser::new(&app);
        let terug = naar_provider_en_terug(&mut b, &p).await;
        assert_eq!(b.get(&terug).await.status, 200);
        assert_eq!(b.get("/werkplek/uitgaand").await.status, 200);
        let id = b
            .cookies
            .iter()
            .find(|(k, _)| k == "werkplek_sessie")
            .unwrap()
            .1
            .clone();
        ketenregie_api::werkplek::sessie::verouder(
            &app.pool,
            &id,
            chrono::Duration::minutes(laatst),
            chrono::Duration::minutes(begin),
        )
        .await
        .unwrap();
        let r = b.get("/werkplek/uitgaand").await;
        assert_eq!(
            (r.status, r.location().as_str()),
            (303, "/werkplek/aanmelden"),
            "idle {laatst} min, absolute {begin} min"
        );
    }
    assert_eq!(app.tel("SELECT count(*) AS n FROM werkplek_sessies"), 0);
}

op_beide_backends!(
    aanmelden_via_de_organisatie,
    geknoeide_aanmelding_geweigerd,
    tijdslimieten_na_aanmelding
);
