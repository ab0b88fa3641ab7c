//! `ketenregie sleutels genereer` and `ketenregie sleutels jwks`: the key material a
//! production start needs (deploy/README.md), made by documented commands. Neither reads
//! the configuration, so they work before there is one.

use base64::Engine;
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

/// Two fresh 32-byte keys, base64, as the environment lines that set them
/// (`privacy.pseudonym_key`, `privacy.encryption_key`). From the operating system's
/// random source.
pub fn genereer() -> anyhow::Result<String> {
    let mut regels = String::new();
    for naam in ["PSEUDONYM_KEY", "ENCRYPTION_KEY"] {
        let mut sleutel = [0u8; 32];
        getrandom::fill(&mut sleutel).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
        regels.push_str(&format!(
            "KETENREGIE_PRIVACY__{naam}={}\n",
            base64::engine::general_purpose::STANDARD.encode(sleutel)
        ));
    }
    Ok(regels)
}

/// The JWKS (`auth.jwks_file`) with an RSA public key in PEM (`BEGIN PUBLIC KEY` or
/// `BEGIN RSA PUBLIC KEY`: the identity provider's signing key, e.g. `openssl pkey -in
/// idp.pem -pubout`), under `kid`, for RS256. Only public keys are read.
pub fn jwks(pem: &[u8], kid: &str) -> anyhow::Result<String> {
    let sleutel = DecodingKey::from_rsa_pem(pem)
        .map_err(|e| anyhow::anyhow!("not an RSA public key in PEM: {e}"))?;
    let mut jwk = Jwk::from_decoding_key(&sleutel, Some(Algorithm::RS256))?;
    jwk.common.key_id = Some(kid.to_string());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk.common.key_algorithm = Some(KeyAlgorithm::RS256);
    let set = JwkSet { keys: vec![jwk] };
    Ok(serde_json::to_string_pretty(&set)? + "\n")
}
