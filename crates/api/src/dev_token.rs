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

/// The Veilig Thuis of the demo pilot (`ketenregie demo`), loaded from the reference data.
pub const DEMO_VEILIG_THUIS: &str = "veilig-thuis-haaglanden";

/// The demo roles: (label, organisation, role). `ketenregie demo` prints a development
/// token for each; the werkplek's development sign-in page lists the same.
pub const DEMO_ROLLEN: &[(&str, &str, &str)] = &[
    ("noodhulp", "politie-den-haag", "noodhulp"),
    ("wijkagent", "politie-den-haag", "wijkagent"),
    (
        "kwaliteitscontroleur",
        "politie-den-haag",
        "kwaliteitscontroleur",
    ),
    ("politiebeheer", "politie-den-haag", "functioneel-beheerder"),
    ("triagist", DEMO_VEILIG_THUIS, "triagist"),
    ("gezinsvoogd", "gi-jeugdbescherming-west", "gezinsvoogd"),
    ("officier", "om-parket-den-haag", "officier-van-justitie"),
    (
        "wijkteam",
        "wijkteam-den-haag-centrum",
        "wijkteammedewerker",
    ),
    ("privacy", "politie-den-haag", "privacyfunctionaris"),
    ("privacy_vt", DEMO_VEILIG_THUIS, "privacyfunctionaris"),
    (
        "privacy_gi",
        "gi-jeugdbescherming-west",
        "privacyfunctionaris",
    ),
    ("privacy_om", "om-parket-den-haag", "privacyfunctionaris"),
    ("beheer", DEMO_VEILIG_THUIS, "functioneel-beheerder"),
    (
        "wijkteambeheer",
        "wijkteam-den-haag-centrum",
        "functioneel-beheerder",
    ),
    (
        "buitenstaander",
        "wijkteam-utrecht-oost",
        "wijkteammedewerker",
    ),
    ("stuurgroep", "ketenregie-platform", "stuurgroep"),
];
