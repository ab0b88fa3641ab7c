//! A small OpenID provider for the werkplek's sign-in tests: an actix server on a free
//! loopback port serving the discovery document (OpenID Connect Discovery 1.0), the JWKS
//! (the test RSA key's public half, `tests/fixtures/jwks.json`), an authorization endpoint
//! that approves at once as the user the test chose, a token endpoint that checks the
//! client, the redirect URI and PKCE (RFC 7636 §4.6) and signs an ID token and an access
//! token with the test RSA key, and an end-session endpoint that records its hint.
//!
//! Knobs for the refusals: `andere_nonce` puts another nonce in the next ID token.

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const CLIENT_ID: &str = "ketenregie-werkplek-test";
pub const CLIENT_SECRET: &str = "test-geheim-van-de-werkplek";

/// The user the provider signs in.
#[derive(Debug, Clone)]
pub struct Gebruiker {
    pub sub: String,
    pub naam: String,
    pub organisatie: String,
    pub rollen: Vec<String>,
}

/// What the provider remembers and what the test may set.
#[derive(Debug, Default)]
pub struct Staat {
    pub gebruiker: Option<Gebruiker>,
    /// Put this nonce in the next ID token instead of the one asked for.
    pub andere_nonce: Option<String>,
    /// code -> (nonce, code_challenge, redirect_uri, user)
    codes: HashMap<String, (String, String, String, Gebruiker)>,
    /// The authorization requests seen (their query parameters).
    pub autorisaties: Vec<HashMap<String, String>>,
    /// The `id_token_hint`s seen at the end-session endpoint.
    pub afgemeld: Vec<String>,
    /// The access tokens issued.
    pub access_tokens: Vec<String>,
}

#[derive(Clone)]
pub struct Provider {
    pub issuer: String,
    pub staat: Arc<Mutex<Staat>>,
}

fn sleutel() -> EncodingKey {
    let pem = std::fs::read(format!(
        "{}/tests/fixtures/test-rsa.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    EncodingKey::from_rsa_pem(&pem).unwrap()
}

fn teken(claims: &serde_json::Value, typ: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-rs256".into());
    header.typ = Some(typ.into());
    jsonwebtoken::encode(&header, claims, &sleutel()).unwrap()
}

fn fout(code: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": code}))
}

impl Provider {
    /// Start the provider; it signs in `gebruiker` until the test sets another.
    pub fn start(gebruiker: Gebruiker) -> Provider {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let p = Provider {
            issuer: issuer.clone(),
            staat: Arc::new(Mutex::new(Staat {
                gebruiker: Some(gebruiker),
                ..Staat::default()
            })),
        };
        let zelf = p.clone();
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(web::Data::new(zelf.clone()))
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(ontdekking),
                )
                .route("/jwks", web::get().to(jwks))
                .route("/authorize", web::get().to(autoriseer))
                .route("/token", web::post().to(token))
                .route("/logout", web::get().to(afmelden))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        p
    }

    /// The `[oidc]` configuration for the werkplek at `app_base` against this provider.
    pub fn config(&self, app_base: &str) -> String {
        format!(
            "[oidc]\nissuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret = \"{CLIENT_SECRET}\"\nredirect_uri = \"{app_base}/werkplek/aanmelden/terug\"\npost_logout_redirect_uri = \"{app_base}/werkplek/aanmelden\"\n",
            self.issuer
        )
    }
}

async fn ontdekking(p: web::Data<Provider>) -> HttpResponse {
    let i = &p.issuer;
    HttpResponse::Ok().json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "end_session_endpoint": format!("{i}/logout"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "scopes_supported": ["openid", "profile"]
    }))
}

async fn jwks() -> HttpResponse {
    let tekst = std::fs::read_to_string(format!(
        "{}/tests/fixtures/jwks.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    HttpResponse::Ok()
        .content_type("application/json")
        .body(tekst)
}

/// Approve at once: back to the redirect URI with a code and the state.
async fn autoriseer(p: web::Data<Provider>, req: HttpRequest) -> HttpResponse {
    let q: HashMap<String, String> = serde_urlencoded::from_str(req.query_string()).unwrap();
    let mut s = p.staat.lock().unwrap();
    s.autorisaties.push(q.clone());
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("client_id") != CLIENT_ID
        || get("response_type") != "code"
        || get("code_challenge_method") != "S256"
        || get("code_challenge").is_empty()
        || !get("scope").split(' ').any(|s| s == "openid")
    {
        return fout("invalid_request");
    }
    let code = format!("code-{}", uuid::Uuid::now_v7().simple());
    let gebruiker = s.gebruiker.clone().unwrap();
    s.codes.insert(
        code.clone(),
        (
            get("nonce"),
            get("code_challenge"),
            get("redirect_uri"),
            gebruiker,
        ),
    );
    let terug = format!(
        "{}?{}",
        get("redirect_uri"),
        serde_urlencoded::to_string([("code", code.as_str()), ("state", get("state").as_str())])
            .unwrap()
    );
    HttpResponse::Found()
        .insert_header(("location", terug))
        .finish()
}

/// The code for tokens: client (HTTP Basic), redirect URI and PKCE checked; a code is
/// used once.
async fn token(
    p: web::Data<Provider>,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let verwacht = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        != Some(verwacht.as_str())
    {
        return HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}));
    }
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    if get("grant_type") != "authorization_code" {
        return fout("unsupported_grant_type");
    }
    let mut s = p.staat.lock().unwrap();
    let Some((nonce, challenge, redirect, g)) = s.codes.remove(&get("code")) else {
        return fout("invalid_grant");
    };
    let berekend = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(get("code_verifier").as_bytes()));
    if berekend != challenge || redirect != get("redirect_uri") {
        return fout("invalid_grant");
    }
    let nonce = s.andere_nonce.take().unwrap_or(nonce);
    let nu = chrono::Utc::now().timestamp();
    let id_token = teken(
        &json!({
            "iss": p.issuer, "sub": g.sub, "aud": CLIENT_ID, "exp": nu + 300, "iat": nu,
            "nonce": nonce, "name": g.naam, "organisatie": g.organisatie, "rollen": g.rollen,
        }),
        "JWT",
    );
    let access_token = teken(
        &json!({
            "iss": p.issuer, "sub": g.sub, "aud": "ketenregie", "exp": nu + 300, "iat": nu,
            "jti": uuid::Uuid::now_v7().to_string(), "client_id": CLIENT_ID,
            "organisatie": g.organisatie, "rollen": g.rollen,
        }),
        "at+jwt",
    );
    s.access_tokens.push(access_token.clone());
    HttpResponse::Ok().json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
}

async fn afmelden(p: web::Data<Provider>, req: HttpRequest) -> HttpResponse {
    let q: HashMap<String, String> = serde_urlencoded::from_str(req.query_string()).unwrap();
    p.staat
        .lock()
        .unwrap()
        .afgemeld
        .push(q.get("id_token_hint").cloned().unwrap_or_default());
    HttpResponse::Ok().body("afgemeld")
}
