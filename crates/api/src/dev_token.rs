//! Development tokens: HS256, signed with a secret generated once into a local file.
//! Accepted only in development mode; `ketenregie token` prints one.

use crate::auth::Claims;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use std::io::Write;
use std::path::Path;

/// The development secret: read from `path`, or generated (32 random bytes) and written
/// there with owner-only permissions on first use.
pub fn secret(path: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read_to_string(path) {
        Ok(text) => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: {e}", path.display()),
                )
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let bytes: [u8; 32] = rand::random();
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            match opts.open(path) {
                Ok(mut f) => {
                    f.write_all(
                        base64::engine::general_purpose::STANDARD
                            .encode(bytes)
                            .as_bytes(),
                    )?;
                    Ok(bytes.to_vec())
                }
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => secret(path),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

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
