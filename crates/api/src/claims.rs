//! The claims of an access token (RFC 9068, NL GOV OAuth profile): what ketenregie reads
//! from a verified token, and what a development token carries. A leaf module: `auth`
//! (verifying) and `dev_token` (signing) both use it, neither the other.

use serde::{Deserialize, Serialize};

/// The `aud` claim: one audience or several (RFC 7519 §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    Een(String),
    Meer(Vec<String>),
}

impl Audience {
    /// Does it name `audience`?
    pub fn bevat(&self, audience: &str) -> bool {
        match self {
            Audience::Een(a) => a == audience,
            Audience::Meer(v) => v.iter().any(|a| a == audience),
        }
    }
}

impl From<&str> for Audience {
    fn from(a: &str) -> Self {
        Audience::Een(a.to_string())
    }
}

impl From<String> for Audience {
    fn from(a: String) -> Self {
        Audience::Een(a)
    }
}

/// A `typ` value in its comparable form: lower case, without the `application/` prefix
/// that RFC 7515 §4.1.9 allows to be omitted (`application/at+jwt` is `at+jwt`).
pub fn typ_vorm(typ: &str) -> String {
    let t = typ.trim().to_ascii_lowercase();
    t.strip_prefix("application/")
        .map(str::to_string)
        .unwrap_or(t)
}

/// The claims ketenregie reads from an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: Audience,
    pub sub: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default)]
    pub jti: Option<String>,
    /// The user's display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The organisation's code in the partner directory.
    #[serde(default)]
    pub organisatie: Option<String>,
    #[serde(default)]
    pub rollen: Vec<String>,
    /// The client application.
    #[serde(default)]
    pub client_id: Option<String>,
}
