//! Key material read from files, in one place: the identity provider's public keys (a JWKS
//! file, RFC 7517) and the development HS256 secret (generated into a local file on first
//! use). `auth` verifies with them, `dev_token` signs with the development secret, and
//! `verwerking` derives the development privacy keys from it; none of them reads a key
//! file itself.

use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use std::io::Write;
use std::path::Path;

/// The JWKS document at `path`; the error says why it is unusable.
pub fn lees_jwks(path: &Path) -> Result<JwkSet, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("not a JWKS document: {e}"))
}

/// The development secret: read from `path`, or generated (32 random bytes) and written
/// there with owner-only permissions on first use.
pub fn dev_secret(path: &Path) -> std::io::Result<Vec<u8>> {
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
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => dev_secret(path),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}
