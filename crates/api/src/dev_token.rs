//! Development tokens: HS256, signed with a secret generated once into a local file.
//! Accepted only in development mode; `ketenregie token` prints one.

use crate::claims::Claims;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

/// The development secret (kept with the other keys in `crate::sleutels`).
pub use crate::sleutels::dev_secret as secret;

/// What a development token says about its holder.
#[derive(Debug, Clone)]
pub struct TokenAanvraag {
    pub organisatie: String,
    pub rollen: Vec<String>,
    pub gebruiker: String,
    pub naam: String,
    pub applicatie: String,
    pub geldig_seconden: i64,
}

/// Sign a development token for the given issuer and audience. It carries `iat` and `typ`
/// `at+jwt` like a production access token; keep `geldig_seconden` within
/// `auth.max_lifetime_seconds`, or the service refuses it (the CLI and the demo do).
pub fn maak(secret: &[u8], issuer: &str, audience: &str, a: &TokenAanvraag) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        iss: issuer.to_string(),
        aud: audience.into(),
        sub: a.gebruiker.clone(),
        exp: now + a.geldig_seconden,
        nbf: Some(now),
        iat: Some(now),
        jti: Some(uuid::Uuid::now_v7().to_string()),
        name: Some(a.naam.clone()),
        organisatie: Some(a.organisatie.clone()),
        rollen: a.rollen.clone(),
        client_id: Some(a.applicatie.clone()),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    let key = EncodingKey::from_secret(secret).expect("any byte string is an HS256 key");
    jsonwebtoken::encode(&header, &claims, &key).expect("HS256 signing cannot fail")
}
