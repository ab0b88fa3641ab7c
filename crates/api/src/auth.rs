//! Authentication: a bearer JWT becomes an `Actor` (DESIGN.md §5; RFC 8725, NL GOV OAuth).
//!
//! Checked, in this order, each failure a 401 with a `detail` that says what to fix:
//! the token is in the `Authorization` header (never the query string) and at most
//! `auth.max_token_bytes` long (8 KB by default; RFC 8725 §3.1 asks to bound what is
//! parsed before it is trusted); it has three parts; its `alg` is on the pinned list
//! (asymmetric, or HS256 in development mode only); its `typ` is accepted, with or without
//! the `application/` prefix and in any case (RFC 9068 §2.1 and §4, RFC 7515 §4.1.9); the
//! signature verifies against the JWKS key (or the development secret); `iss`, `aud`
//! (a string or an array containing the audience, RFC 7519 §4.1.3), `exp` and `iat` are
//! present and right (RFC 9068 §2.2 requires `iat`), `nbf` has passed and `iat` is not in
//! the future (with a small leeway); the lifetime `exp - iat` is at most
//! `auth.max_lifetime_seconds` (1 h by default); it carries a `jti` not used by another
//! token; the claims name an organisation and known roles.
//!
//! Then who the caller may be at all, on every route (the werkplek's sessions alike):
//! - rule `PLATFORMBEHEER_EIGEN_ORGANISATIE`: the role `platformbeheerder` counts only in a
//!   token of the platform's own organisation (`auth.platform_organisation`); any other
//!   organisation's token that carries it is refused with 403 naming the rule (the tester's
//!   finding of 30 Nov 2026: a wijkteam's token with that role re-registered itself as
//!   police and withdrew the pilot agreement);
//! - rule `ORGANISATIE_GEREGISTREERD`: the organisation a token names is in the partner
//!   register, exactly (a code differing only in case is another code), or is the
//!   platform organisation; otherwise 401. Read through the instance's cache of the register
//!   (`privacy::stamgegevens`: one statement reading its version stamp per request, so a
//!   change of the register applies to the next request on every instance). On the two
//!   hot reads (`STEMPEL_IN_STATEMENT`) with a token id already known, the check is made
//!   from the cache without a statement and confirmed at the stamp the route's own
//!   statement reads, before anything is answered (`Voorlopig`, `bevestig`).
//!
//! A request with more than one `Authorization` header is a 400 naming `Authorization`
//! (RFC 9110 §5.3: the field is not a list, so two are not one credential).

use crate::config::{Algoritme, Config, Mode};
use crate::db;
use crate::problem::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use ketenregie_common::validatie::InvalidParam;
use ketenregie_common::{Actor, Rol};
use ketenregie_privacy::stamgegevens::{Stamgegevens, Stempel};
use ketenregie_store::DbPool;
use ketenregie_store::tokens::{self, JtiUitkomst};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::future::{Ready, ready};
use std::str::FromStr;

pub use crate::claims::{Audience, Claims, typ_vorm};

/// Verifies tokens. Built once from the configuration.
pub struct Verifier {
    issuer: String,
    audience: String,
    algorithms: Vec<Algorithm>,
    token_types: Vec<String>,
    leeway: u64,
    jwks: JwkSet,
    /// Development mode only.
    dev_key: Option<DecodingKey>,
    single_use: bool,
    max_token_bytes: usize,
    max_lifetime: i64,
    /// The platform's own organisation code (`auth.platform_organisation`).
    platform: String,
    /// Token ids this instance has seen recorded in the database (`gebruikte_tokens`),
    /// with the fingerprint of the token that first carried each and when it expires
    /// (issue 17 point 3: the replay record is written on a token's first use only and
    /// recognised from memory after that; another instance reads the database once).
    bekend: Bekend,
}

/// Per-instance memory of recorded token ids: `jti` -> (fingerprint, expiry as Unix
/// seconds). Only ever a copy of rows in `gebruikte_tokens`, which are kept until the
/// token expires, so an answer from memory is the answer the database would give. Bounded:
/// past `Bekend::MAX` ids the expired ones go, and if that is not enough all of them
/// (later requests ask the database again).
#[derive(Debug, Default)]
struct Bekend(std::sync::Mutex<std::collections::HashMap<String, (String, i64)>>);

impl Bekend {
    const MAX: usize = 100_000;

    fn kaart(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (String, i64)>> {
        // A panic while the lock was held left at worst a missing id: go on.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The outcome for `jti` with fingerprint `hash`, if this instance knows the id.
    fn uitkomst(&self, jti: &str, hash: &str, nu: i64) -> Option<JtiUitkomst> {
        let kaart = self.kaart();
        let (eerder, tot) = kaart.get(jti)?;
        if *tot < nu {
            return None;
        }
        Some(if eerder == hash {
            JtiUitkomst::ZelfdeToken
        } else {
            JtiUitkomst::AnderToken
        })
    }

    /// Remember that `jti` is recorded for the token with fingerprint `hash` until `tot`.
    fn onthoud(&self, jti: String, hash: String, tot: i64, nu: i64) {
        let mut kaart = self.kaart();
        if kaart.len() >= Self::MAX {
            kaart.retain(|_, (_, t)| *t >= nu);
            if kaart.len() >= Self::MAX {
                kaart.clear();
            }
        }
        kaart.insert(jti, (hash, tot));
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("algorithms", &self.algorithms)
            .field("development", &self.dev_key.is_some())
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerifierFout {
    #[error("auth.jwks_file {path}: {reason}")]
    Jwks { path: String, reason: String },
    #[error("development secret: {0}")]
    DevSecret(String),
}

impl Verifier {
    pub fn from_config(config: &Config) -> Result<Self, VerifierFout> {
        let jwks = if config.auth.jwks_file.trim().is_empty() {
            JwkSet { keys: vec![] }
        } else {
            crate::sleutels::lees_jwks(std::path::Path::new(&config.auth.jwks_file)).map_err(
                |reason| VerifierFout::Jwks {
                    path: config.auth.jwks_file.clone(),
                    reason,
                },
            )?
        };
        let dev_key = match config.mode {
            Mode::Development => Some(
                DecodingKey::from_secret(
                    &crate::sleutels::dev_secret(&config.auth.dev_secret_file)
                        .map_err(|e| VerifierFout::DevSecret(e.to_string()))?,
                )
                .map_err(|e| VerifierFout::DevSecret(e.to_string()))?,
            ),
            Mode::Production => None,
        };
        Ok(Self {
            issuer: config.auth.issuer.clone(),
            audience: config.auth.audience.clone(),
            algorithms: config.auth.algorithms.iter().map(|a| jwt(*a)).collect(),
            token_types: config.auth.token_types.clone(),
            leeway: config.auth.leeway_seconds,
            jwks,
            dev_key,
            single_use: config.auth.single_use_tokens,
            max_token_bytes: config.auth.max_token_bytes,
            max_lifetime: i64::try_from(config.auth.max_lifetime_seconds).unwrap_or(i64::MAX),
            platform: config.auth.platform_organisation.clone(),
            bekend: Bekend::default(),
        })
    }

    /// Verify a token's form, signature and claims. The `jti` check needs the database
    /// and is done by `authenticate`.
    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        let fail = |d: String| AppError::NietGeauthenticeerd(d);
        if token.len() > self.max_token_bytes {
            return Err(fail(format!(
                "Het token is groter dan {} bytes; vraag een kleiner token aan (minder claims)",
                self.max_token_bytes
            )));
        }
        let header_b64 = match token.split('.').collect::<Vec<_>>().as_slice() {
            [h, _, _] => *h,
            _ => {
                return Err(fail(
                    "Het token is geen JWT: verwacht drie delen gescheiden door punten".into(),
                ));
            }
        };
        // Read the header ourselves first, to name the exact problem (jsonwebtoken
        // reports an unknown `alg` such as "none" only as a parse error).
        let header: serde_json::Value = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header_b64.trim_end_matches('='))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| fail("De JWT-header is geen geldige base64url-JSON".into()))?;
        let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
        if alg.eq_ignore_ascii_case("none") || alg.is_empty() {
            return Err(fail(
                "Ongetekende tokens (alg \"none\") worden geweigerd".into(),
            ));
        }
        let algorithm = Algorithm::from_str(alg).map_err(|_| {
            fail("Het algoritme (`alg`) van het token wordt niet ondersteund".into())
        })?;
        let key = if algorithm == Algorithm::HS256 && self.dev_key.is_some() {
            self.dev_key.clone().expect("checked")
        } else if self.algorithms.contains(&algorithm) {
            self.key_for(&header, algorithm)?
        } else {
            let mut allowed: Vec<String> =
                self.algorithms.iter().map(|a| format!("{a:?}")).collect();
            if self.dev_key.is_some() {
                allowed.push("HS256 (alleen development)".into());
            }
            return Err(fail(format!(
                "Het algoritme (`alg`) van het token is niet toegestaan; toegestaan: {}",
                allowed.join(", ")
            )));
        };
        let typ = header.get("typ").and_then(|t| t.as_str()).unwrap_or("");
        if !self
            .token_types
            .iter()
            .any(|t| typ_vorm(t) == typ_vorm(typ))
        {
            return Err(fail(format!(
                "Het token-type (`typ`) wordt niet geaccepteerd; verwacht: {}",
                self.token_types.join(", ")
            )));
        }

        let mut v = Validation::new(algorithm);
        v.leeway = self.leeway;
        v.validate_exp = true;
        v.validate_nbf = true;
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.required_spec_claims = HashSet::from([
            "exp".to_string(),
            "iss".to_string(),
            "aud".to_string(),
            "sub".to_string(),
        ]);
        let data = jsonwebtoken::decode::<Claims>(token, &key, &v).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            fail(match e.kind() {
                K::InvalidSignature => "De handtekening van het token klopt niet".into(),
                K::ExpiredSignature => {
                    "Het token is verlopen (`exp`); vraag een nieuw token aan".into()
                }
                K::ImmatureSignature => {
                    "Het token is nog niet geldig (`nbf` ligt in de toekomst)".into()
                }
                K::InvalidAudience => format!(
                    "Het token is niet voor deze dienst bedoeld: `aud` moet `{}` zijn",
                    self.audience
                ),
                K::InvalidIssuer => format!(
                    "Het token komt niet van de verwachte uitgever: `iss` moet `{}` zijn",
                    self.issuer
                ),
                K::MissingRequiredClaim(c) => format!("Het token mist de verplichte claim `{c}`"),
                K::InvalidAlgorithm => "Het algoritme past niet bij de sleutel".into(),
                K::Json(_) => "De claims van het token zijn ongeldig".into(),
                other => format!("Het token is ongeldig ({other:?})"),
            })
        })?;
        let claims = data.claims;
        let iat = claims
            .iat
            .ok_or_else(|| fail("Het token mist de verplichte claim `iat`".into()))?;
        let nu = chrono::Utc::now().timestamp();
        if iat > nu + self.leeway as i64 {
            return Err(fail(
                "Het token is uitgegeven in de toekomst (`iat`); controleer de klok van de uitgever"
                    .into(),
            ));
        }
        if claims.exp.saturating_sub(iat) > self.max_lifetime {
            return Err(fail(format!(
                "Het token leeft te lang: `exp - iat` is {} s, toegestaan is ten hoogste {} s",
                claims.exp.saturating_sub(iat),
                self.max_lifetime
            )));
        }
        Ok(claims)
    }

    /// The platform's own organisation code (`auth.platform_organisation`, default
    /// `ketenregie-platform`).
    pub fn platformorganisatie(&self) -> &str {
        &self.platform
    }

    /// Rule `PLATFORMBEHEER_EIGEN_ORGANISATIE`: the role `platformbeheerder` is honoured
    /// only for the platform's own organisation. Any other organisation's caller with that
    /// role is refused as a whole (403 naming the rule), not quietly stripped of it: the
    /// credential itself was issued wrongly, and the issuer should hear so.
    pub fn toets_rollen(&self, actor: &Actor) -> Result<(), AppError> {
        if actor.heeft_rol(Rol::Platformbeheerder) && actor.organisatie != self.platform {
            return Err(AppError::GeenToegang(format!(
                "De rol `platformbeheerder` geldt alleen voor de platformorganisatie `{}`; dit token is van een andere organisatie (regel {PLATFORMBEHEER_EIGEN_ORGANISATIE})",
                self.platform
            )));
        }
        Ok(())
    }

    /// Rule `ORGANISATIE_GEREGISTREERD` for a caller: its organisation is in the partner
    /// register under exactly this code, or is the platform's own organisation; else a 401.
    /// Blocking (call inside `db::run`): reads the register through the instance's cache
    /// (`Stamgegevens`: its version stamp, one statement, then the cached entry).
    pub fn toets_organisatie(
        &self,
        conn: &mut ketenregie_store::DbConnection,
        stamgegevens: &Stamgegevens,
        actor: &Actor,
    ) -> Result<(), AppError> {
        organisatie_geregistreerd(conn, stamgegevens, &self.platform, &actor.organisatie)
    }

    /// The longest token lifetime accepted, in seconds (`auth.max_lifetime_seconds`).
    pub fn max_lifetime_seconds(&self) -> i64 {
        self.max_lifetime
    }

    fn key_for(&self, header: &serde_json::Value, alg: Algorithm) -> Result<DecodingKey, AppError> {
        let kid = header.get("kid").and_then(|k| k.as_str());
        let jwk = match kid {
            Some(kid) => self.jwks.find(kid),
            // Without `kid`, only an unambiguous key set will do.
            None if self.jwks.keys.len() == 1 => self.jwks.keys.first(),
            None => None,
        };
        let jwk = jwk.ok_or_else(|| {
            AppError::NietGeauthenticeerd(match kid {
                Some(_) => {
                    "De `kid` van het token noemt geen sleutel in de geconfigureerde JWKS".into()
                }
                None => {
                    "Het token noemt geen `kid` en de JWKS heeft niet precies één sleutel".into()
                }
            })
        })?;
        if let Some(key_alg) = jwk.common.key_algorithm
            && format!("{key_alg:?}") != format!("{alg:?}")
        {
            return Err(AppError::NietGeauthenticeerd(format!(
                "Het token gebruikt `{alg:?}` maar de sleutel die zijn `kid` noemt is voor `{key_alg:?}`"
            )));
        }
        DecodingKey::from_jwk(jwk).map_err(|_| {
            AppError::NietGeauthenticeerd("De sleutel in de JWKS is onbruikbaar".into())
        })
    }

    /// Turn verified claims into an actor. Refused (401) first: a control character
    /// (`char::is_control`: NUL, line breaks, ...) in `sub`, `name`, `organisatie`,
    /// `client_id` or `jti`, which go into the audit trail, the processing log and the
    /// replay record (task h17review: PostgreSQL's `text` cannot hold a NUL, so such a
    /// token failed the log writer's shared batch and with it the reads of other
    /// organisations in that batch, 500).
    pub fn actor(claims: &Claims) -> Result<Actor, AppError> {
        for (naam, waarde) in [
            ("sub", Some(&claims.sub)),
            ("name", claims.name.as_ref()),
            ("organisatie", claims.organisatie.as_ref()),
            ("client_id", claims.client_id.as_ref()),
            ("jti", claims.jti.as_ref()),
        ] {
            if waarde.is_some_and(|w| w.chars().any(char::is_control)) {
                return Err(AppError::NietGeauthenticeerd(format!(
                    "De claim `{naam}` van het token bevat een stuurteken (zoals NUL of een regeleinde); vraag een token zonder aan"
                )));
            }
        }
        let organisatie = claims
            .organisatie
            .clone()
            .filter(|o| !o.trim().is_empty())
            .ok_or_else(|| {
                AppError::NietGeauthenticeerd("Het token noemt geen `organisatie`".into())
            })?;
        let mut rollen = Vec::new();
        for r in &claims.rollen {
            rollen.push(Rol::from_str(r).map_err(|_| {
                AppError::NietGeauthenticeerd(format!(
                    "Het token noemt een onbekende rol; bekend zijn: {}",
                    <Rol as strum::VariantNames>::VARIANTS.join(", ")
                ))
            })?);
        }
        Ok(Actor {
            gebruiker: claims.sub.clone(),
            weergavenaam: claims.name.clone().unwrap_or_else(|| claims.sub.clone()),
            organisatie,
            rollen,
            applicatie: claims
                .client_id
                .clone()
                .unwrap_or_else(|| "onbekend".into()),
        })
    }
}

/// The rule that the role `platformbeheerder` counts only in the platform organisation's
/// own tokens (`Verifier::toets_rollen`).
pub const PLATFORMBEHEER_EIGEN_ORGANISATIE: &str = "PLATFORMBEHEER_EIGEN_ORGANISATIE";

/// Rule `PLATFORMBEHEER_EIGEN_ORGANISATIE` (`Verifier::toets_rollen`), with the refusal
/// in the audit trail: a caller whose organisation is registered (so authenticated: the
/// token verified and names a partner) but whose token carries `platformbeheerder` gets
/// its 403, and a row `resultaat` 403, `grondslag` "geweigerd: <reason>" is written to
/// that organisation's trail in a transaction of its own, as every other 403 refusal is
/// (`verwerking::tx`, the werkplek's screens): object `api-toegang` with the request's
/// path (ids and codes only: no personal data is ever in a path), action `lezen` for GET
/// and HEAD, `wijzigen` otherwise. A token of an unregistered organisation is not written
/// to any trail (its organisation is not known to be anyone; see ARCHITECTURE.md "Rules held
/// by the database, refusals audited, dates in range"). Allowed callers cost no database round trip here: the check is
/// in memory, and only a refusal reads the register and writes. Used by `authenticate`
/// and by the werkplek's sign-in.
pub async fn toets_rollen_vastgelegd(req: &HttpRequest, actor: &Actor) -> Result<(), AppError> {
    let verifier = req
        .app_data::<web::Data<Verifier>>()
        .cloned()
        .ok_or_else(|| AppError::intern("verifier missing"))?;
    let reden = match verifier.toets_rollen(actor) {
        Ok(()) => return Ok(()),
        Err(AppError::GeenToegang(reden)) => reden,
        Err(andere) => return Err(andere),
    };
    let pool = req
        .app_data::<web::Data<DbPool>>()
        .cloned()
        .ok_or_else(|| AppError::intern("pool missing"))?;
    let stamgegevens = req
        .app_data::<web::Data<Stamgegevens>>()
        .cloned()
        .ok_or_else(|| AppError::intern("stamgegevens missing"))?;
    let ctx = crate::verwerking::context(req, actor.clone(), None, false)?;
    let actie = match *req.method() {
        actix_web::http::Method::GET | actix_web::http::Method::HEAD => "lezen",
        _ => "wijzigen",
    };
    let object = ketenregie_privacy::logboek::Object {
        soort: "api-toegang",
        id: req.path().chars().take(200).collect(),
        eigenaar: actor.organisatie.clone(),
    };
    let w = ketenregie_privacy::Weigering {
        regel: PLATFORMBEHEER_EIGEN_ORGANISATIE,
        reden: reden.clone(),
        toelichting_vereist: false,
    };
    let platform = verifier.platform.clone();
    db::tx(&pool, move |c| {
        if organisatie_geregistreerd(c, &stamgegevens, &platform, &ctx.actor.organisatie).is_err() {
            return Ok(());
        }
        ketenregie_privacy::logboek::weigering(c, &ctx, actie, object, &w)
            .map_err(|e| AppError::from(ketenregie_common::Fout::from(e)))
    })
    .await?;
    Err(AppError::GeenToegang(reden))
}

/// `Verifier::toets_organisatie` with the platform code given: 401 unless `organisatie` is
/// `platform` or registered under exactly this code.
pub fn organisatie_geregistreerd(
    conn: &mut ketenregie_store::DbConnection,
    stamgegevens: &Stamgegevens,
    platform: &str,
    organisatie: &str,
) -> Result<(), AppError> {
    organisatie_geregistreerd_bij(conn, stamgegevens, platform, organisatie).map(|_| ())
}

/// `organisatie_geregistreerd`, returning the version stamp it read (`None` for the
/// platform organisation, which needs no look-up), for the request to carry
/// (`Context::stempel`: the decision then reads no stamp of its own).
pub fn organisatie_geregistreerd_bij(
    conn: &mut ketenregie_store::DbConnection,
    stamgegevens: &Stamgegevens,
    platform: &str,
    organisatie: &str,
) -> Result<Option<Stempel>, AppError> {
    if organisatie == platform {
        return Ok(None);
    }
    let stand = stamgegevens.stand(conn).map_err(db::db_fout)?;
    match stand.kern(conn, organisatie).map_err(db::db_fout)? {
        Some(_) => Ok(Some(stand.stempel())),
        None => Err(niet_geregistreerd()),
    }
}

/// The routes (GET only, as matched: `HttpRequest::match_pattern`) whose handler reads the
/// version stamp of the register in its one statement and confirms the authentication's
/// provisional check with it (`bevestig`) before it answers: `GET /organisaties/{id}`
/// (`directory::organisatie_met_stempel`) and `GET /zorgmeldingen/{id}`
/// (`opslag::lezing`). Every other route reads the stamp in a statement of its own before
/// its handler runs (issue 17: one round trip less on the two hot reads).
const STEMPEL_IN_STATEMENT: &[&str] = &["/api/v1/organisaties/{id}", "/api/v1/zorgmeldingen/{id}"];

fn stempel_in_statement(req: &ServiceRequest) -> bool {
    req.method() == actix_web::http::Method::GET
        && req
            .match_pattern()
            .is_some_and(|p| STEMPEL_IN_STATEMENT.contains(&p.as_str()))
}

/// The authentication's provisional check of rule `ORGANISATIE_GEREGISTREERD` (a request
/// extension): `organisatie` was registered in the instance's cache at version `versie`,
/// and no statement was sent. The route's handler must confirm it (`bevestig`) with the
/// stamp its own statement reads, before anything is answered.
#[derive(Debug, Clone)]
pub struct Voorlopig {
    pub versie: i64,
    pub organisatie: String,
}

impl Voorlopig {
    /// The request's provisional check, if the authentication made one.
    pub fn van(req: &HttpRequest) -> Option<Voorlopig> {
        req.extensions().get::<Voorlopig>().cloned()
    }
}

/// Confirm a provisional check of the register (`Voorlopig`) at the version stamp the
/// route's statement read (`gelezen`: `Some(stamp)`, the stamp value itself `None` when the
/// row is missing; `None`: the statement read none, e.g. the record was not found, and
/// the stamp is read now, one statement). The same stamp: the check made from the cache
/// holds as made. Another stamp: the register changed since the cache was filled, and the
/// organisation is looked up again at the new stamp (the cache reloads): 401 when it is
/// no longer registered. Without a provisional check (`None`: the authentication read
/// the stamp itself, or the caller is the platform organisation) nothing is done.
///
/// Why this keeps rule `ORGANISATIE_GEREGISTREERD` as strict as a stamp read before the
/// handler: a change of the register committed before the request started bumped the
/// stamp before the route's statement ran (its snapshot is later), so the statement sees
/// the new stamp and the organisation is checked again; the answer waits for this.
pub fn bevestig(
    conn: &mut ketenregie_store::DbConnection,
    stamgegevens: &Stamgegevens,
    voorlopig: Option<&Voorlopig>,
    gelezen: Option<Stempel>,
) -> Result<(), AppError> {
    let Some(v) = voorlopig else {
        return Ok(());
    };
    let stand = match gelezen {
        Some(Stempel(s)) => stamgegevens.stand_bij(s),
        None => stamgegevens.stand(conn).map_err(db::db_fout)?,
    };
    if stand.stempel() == Stempel(Some(v.versie)) {
        return Ok(());
    }
    match stand.kern(conn, &v.organisatie).map_err(db::db_fout)? {
        Some(_) => Ok(()),
        None => Err(niet_geregistreerd()),
    }
}

fn niet_geregistreerd() -> AppError {
    AppError::NietGeauthenticeerd(format!(
        "De organisatie in het token (`organisatie`) staat niet in het partnerregister; een code is precies zoals in /api/v1/organisaties, in kleine letters (regel {})",
        ketenregie_privacy::register::organisaties::ORGANISATIE_GEREGISTREERD
    ))
}

/// The two rules on who may call at all (`PLATFORMBEHEER_EIGEN_ORGANISATIE`,
/// `ORGANISATIE_GEREGISTREERD`), as the werkplek applies them to its sessions: when one
/// starts and on every request (the API applies them to every token in `authenticate`).
#[derive(Clone)]
pub struct Toegang {
    verifier: web::Data<Verifier>,
    stamgegevens: web::Data<Stamgegevens>,
}

impl std::fmt::Debug for Toegang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Toegang")
    }
}

impl Toegang {
    /// From the application's data.
    pub fn van(req: &HttpRequest) -> Result<Self, AppError> {
        Ok(Self {
            verifier: req
                .app_data::<web::Data<Verifier>>()
                .cloned()
                .ok_or_else(|| AppError::intern("verifier missing"))?,
            stamgegevens: req
                .app_data::<web::Data<Stamgegevens>>()
                .cloned()
                .ok_or_else(|| AppError::intern("stamgegevens missing"))?,
        })
    }

    /// `PLATFORMBEHEER_EIGEN_ORGANISATIE` (`Verifier::toets_rollen`); no database.
    pub fn toets_rollen(&self, actor: &Actor) -> Result<(), AppError> {
        self.verifier.toets_rollen(actor)
    }

    /// `ORGANISATIE_GEREGISTREERD` for organisation code `organisatie`; blocking (inside
    /// `db::run` or `db::tx`).
    pub fn toets_organisatie(
        &self,
        conn: &mut ketenregie_store::DbConnection,
        organisatie: &str,
    ) -> Result<(), AppError> {
        organisatie_geregistreerd(
            conn,
            &self.stamgegevens,
            &self.verifier.platform,
            organisatie,
        )
    }
}

/// jsonwebtoken's name for a configured algorithm.
fn jwt(a: Algoritme) -> Algorithm {
    match a {
        Algoritme::RS256 => Algorithm::RS256,
        Algoritme::RS384 => Algorithm::RS384,
        Algoritme::RS512 => Algorithm::RS512,
        Algoritme::PS256 => Algorithm::PS256,
        Algoritme::PS384 => Algorithm::PS384,
        Algoritme::PS512 => Algorithm::PS512,
        Algoritme::ES256 => Algorithm::ES256,
        Algoritme::ES384 => Algorithm::ES384,
        Algoritme::EdDSA => Algorithm::EdDSA,
    }
}

/// The outcome of authentication, left in the request extensions by `authenticate` and
/// read by the `Aanroeper` extractor.
#[derive(Debug, Clone)]
struct AuthUitkomst(Result<Actor, AuthFout>);

/// Why a request has no actor. Only a fault of the token is an authentication error
/// (401); when the token could not be checked because the database (the `jti` replay
/// record) is away, the answer is 503 with `Retry-After`, and an internal fault is a 500
/// without its cause (issue 14, finding 2).
#[derive(Debug, Clone)]
enum AuthFout {
    /// The token is missing or wrong: the detail says what to fix.
    Token(String),
    /// The token is right but its holder may not call as what it says (a 403 naming the
    /// rule, `PLATFORMBEHEER_EIGEN_ORGANISATIE`).
    Geweigerd(String),
    /// The request's credentials are malformed as a request (two `Authorization`
    /// headers): a 400 naming the header.
    Ongeldig {
        detail: String,
        fouten: Vec<InvalidParam>,
    },
    /// The database could not be asked: the detail is for the caller, never the driver's.
    NietBeschikbaar(String),
    /// Another fault; its cause is logged here, once.
    Intern,
}

impl AuthFout {
    fn uit(e: AppError) -> Self {
        match e {
            // The detail may quote the token (its `alg`, its `kid`): control characters
            // would make the `WWW-Authenticate` header invalid (a 500 instead of the 401).
            AppError::NietGeauthenticeerd(d) => AuthFout::Token(
                d.chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect(),
            ),
            AppError::NietBeschikbaar(d) => AuthFout::NietBeschikbaar(d),
            AppError::GeenToegang(d) => AuthFout::Geweigerd(d),
            AppError::Validatie { detail, fouten } => AuthFout::Ongeldig { detail, fouten },
            other => {
                tracing::error!(oorzaak = %other, "authenticatie mislukt door een interne fout");
                AuthFout::Intern
            }
        }
    }

    fn naar_app(&self) -> AppError {
        match self {
            AuthFout::Token(d) => AppError::NietGeauthenticeerd(d.clone()),
            AuthFout::Geweigerd(d) => AppError::GeenToegang(d.clone()),
            AuthFout::Ongeldig { detail, fouten } => AppError::Validatie {
                detail: detail.clone(),
                fouten: fouten.clone(),
            },
            AuthFout::NietBeschikbaar(d) => AppError::NietBeschikbaar(d.clone()),
            AuthFout::Intern => AppError::Intern("authenticatie mislukt (oorzaak gelogd)".into()),
        }
    }
}

fn query_has_token(query: &str) -> bool {
    query.split('&').any(|kv| {
        let k = kv.split('=').next().unwrap_or("");
        k.eq_ignore_ascii_case("access_token") || k.eq_ignore_ascii_case("token")
    })
}

/// Middleware on `/api/v1`: verify the credentials if any and remember the outcome.
/// Handlers that need an actor refuse with 401 via the extractor; public operations (the
/// OpenAPI document) ignore it.
///
/// The per-user rate limit (`REQUESTS_PER_USER`) is the next middleware's
/// (`limieten::per_gebruiker`), which reads the outcome with `actor_van`.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let uitkomst = check(&req).await;
    if let Ok(a) = &uitkomst {
        tracing::Span::current().record("organisatie", a.organisatie.as_str());
    }
    req.extensions_mut()
        .insert(AuthUitkomst(uitkomst.map_err(AuthFout::uit)));
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// Record `actor` as the request's authenticated caller: for the werkplek, whose session
/// (not a token) proves who is calling, so that the same per-user rate limit and daily
/// quota (`limieten`) apply to it as to the API.
pub fn zet_actor(req: &HttpRequest, actor: Actor) {
    req.extensions_mut().insert(AuthUitkomst(Ok(actor)));
}

/// The authenticated actor of a request, if `authenticate` accepted its token.
pub fn actor_van(req: &HttpRequest) -> Option<Actor> {
    match req.extensions().get::<AuthUitkomst>() {
        Some(AuthUitkomst(Ok(a))) => Some(a.clone()),
        _ => None,
    }
}

async fn check(req: &ServiceRequest) -> Result<Actor, AppError> {
    if query_has_token(req.query_string()) {
        return Err(AppError::NietGeauthenticeerd(
            "Een token in de URL wordt geweigerd (het belandt in logs); stuur het in de Authorization-header".into(),
        ));
    }
    let mut waarden = req
        .headers()
        .get_all(actix_web::http::header::AUTHORIZATION);
    let eerste = waarden.next();
    if waarden.next().is_some() {
        return Err(AppError::ongeldig(
            "Authorization",
            "invalid",
            "Het verzoek heeft meer dan één `Authorization`-header; stuur er precies één (RFC 9110 §11.6.2)",
        ));
    }
    let Some(value) = eerste else {
        return Err(AppError::NietGeauthenticeerd(
            "Geen token: stuur `Authorization: Bearer <token>`".into(),
        ));
    };
    let verifier = req
        .app_data::<web::Data<Verifier>>()
        .cloned()
        .ok_or_else(|| AppError::intern("verifier missing"))?;
    // Bound the work before anything is parsed: "Bearer " plus the largest token.
    if value.len() > verifier.max_token_bytes + "Bearer ".len() {
        return Err(AppError::NietGeauthenticeerd(format!(
            "Het token is groter dan {} bytes; vraag een kleiner token aan (minder claims)",
            verifier.max_token_bytes
        )));
    }
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            AppError::NietGeauthenticeerd(
                "Gebruik het schema `Bearer` in de Authorization-header".into(),
            )
        })?
        .to_string();
    let claims = verifier.verify(&token)?;
    let actor = Verifier::actor(&claims)?;
    toets_rollen_vastgelegd(req.request(), &actor).await?;
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    let nu = chrono::Utc::now().timestamp();
    // A token id this instance has seen recorded needs no round trip at all.
    let uit_geheugen = claims
        .jti
        .as_deref()
        .filter(|j| !j.is_empty())
        .and_then(|j| verifier.bekend.uitkomst(j, &hash, nu));
    // Rule ORGANISATIE_GEREGISTREERD, before the token id is recorded: a token of an
    // organisation outside the register leaves no trace but its refusal.
    if actor.organisatie != verifier.platform {
        let stamgegevens = req
            .app_data::<web::Data<Stamgegevens>>()
            .cloned()
            .ok_or_else(|| AppError::intern("stamgegevens missing"))?;
        // Provisionally from the cache, without a statement, where the route's one
        // statement reads the stamp and confirms (`bevestig`) before anything is answered;
        // only for a token id already known (a first use writes its replay record, which
        // must not happen for an organisation outside the register).
        let voorlopig = match (&uit_geheugen, stempel_in_statement(req)) {
            (Some(_), true) => stamgegevens.geregistreerd_in_cache(&actor.organisatie),
            _ => None,
        };
        if let Some(versie) = voorlopig {
            req.extensions_mut().insert(Voorlopig {
                versie,
                organisatie: actor.organisatie.clone(),
            });
        } else {
            let pool = req
                .app_data::<web::Data<DbPool>>()
                .cloned()
                .ok_or_else(|| AppError::intern("pool missing"))?;
            let (platform, code) = (verifier.platform.clone(), actor.organisatie.clone());
            let stempel = db::run(&pool, move |c| {
                organisatie_geregistreerd_bij(c, &stamgegevens, &platform, &code)
            })
            .await?;
            // Carried through the request (`verwerking::context`): the stamp is read once.
            if let Some(s) = stempel {
                req.extensions_mut().insert(s);
            }
        }
    }
    let jti = claims
        .jti
        .clone()
        .filter(|j| !j.is_empty())
        .ok_or_else(|| AppError::NietGeauthenticeerd("Het token mist de claim `jti`".into()))?;
    let tot = claims.exp.saturating_add(verifier.leeway as i64);
    let verloopt = chrono::DateTime::from_timestamp(tot, 0)
        .unwrap_or_default()
        .naive_utc();
    let uitkomst = match uit_geheugen {
        Some(u) => u,
        None => {
            let uitkomst = jti_in_database(req, jti.clone(), hash.clone(), verloopt).await?;
            match &uitkomst {
                (JtiUitkomst::Nieuw | JtiUitkomst::ZelfdeToken, _) => {
                    verifier.bekend.onthoud(jti, hash, tot, nu);
                }
                (JtiUitkomst::AnderToken, Some(eerder)) => {
                    verifier.bekend.onthoud(jti, eerder.clone(), tot, nu);
                }
                (JtiUitkomst::AnderToken, None) => {}
            }
            uitkomst.0
        }
    };
    match uitkomst {
        JtiUitkomst::Nieuw => Ok(actor),
        JtiUitkomst::ZelfdeToken if !verifier.single_use => Ok(actor),
        JtiUitkomst::ZelfdeToken => Err(AppError::NietGeauthenticeerd(
            "Dit token is al gebruikt; tokens zijn hier eenmalig, vraag een nieuw token aan".into(),
        )),
        JtiUitkomst::AnderToken => Err(AppError::NietGeauthenticeerd(
            "De `jti` van dit token is al door een ander token gebruikt (replay geweigerd)".into(),
        )),
    }
}

/// The replay record of `jti` in the database: read first (a token seen before, on another
/// instance, needs no write); only a new `jti` is recorded, in a write transaction, which
/// also settles a race between instances. Returns the outcome and, when known, the
/// fingerprint of the token that first carried the id.
async fn jti_in_database(
    req: &ServiceRequest,
    jti: String,
    hash: String,
    verloopt: chrono::NaiveDateTime,
) -> Result<(JtiUitkomst, Option<String>), AppError> {
    let pool = req
        .app_data::<web::Data<DbPool>>()
        .cloned()
        .ok_or_else(|| AppError::intern("pool missing"))?;
    let j = jti.clone();
    // Every database error on this path is mapped by kind (`db::db_fout`): a lost
    // connection or a busy database is 503, never a 401 or 500 with the driver's words.
    let bekend = db::run(&pool, move |c| tokens::gezien(c, &j).map_err(db::db_fout)).await?;
    Ok(match bekend {
        Some(eerder) if eerder == hash => (JtiUitkomst::ZelfdeToken, Some(eerder)),
        Some(eerder) => (JtiUitkomst::AnderToken, Some(eerder)),
        None => {
            let h = hash.clone();
            let u = db::tx(&pool, move |c| {
                tokens::registreer(c, &jti, &h, verloopt).map_err(db::db_fout)
            })
            .await?;
            (u, (u != JtiUitkomst::AnderToken).then_some(hash))
        }
    })
}

/// The authenticated caller, as a handler argument: `Aanroeper(actor): Aanroeper`.
/// Extracting it is what makes an operation require authentication.
#[derive(Debug, Clone)]
pub struct Aanroeper(pub Actor);

impl FromRequest for Aanroeper {
    type Error = AppError;
    type Future = Ready<Result<Aanroeper, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.extensions().get::<AuthUitkomst>() {
            Some(AuthUitkomst(Ok(a))) => Ok(Aanroeper(a.clone())),
            Some(AuthUitkomst(Err(f))) => Err(f.naar_app()),
            None => Err(AppError::NietGeauthenticeerd("Geen token".into())),
        })
    }
}

/// Retention of token replay records (`gebruikte_tokens`): a token id is kept until its
/// token expires (replay protection across instances), then it goes. They hold no personal
/// data and no record, so their removal is counted, not logged. The background sweep of
/// every instance does the same every ten minutes.
#[derive(Debug, Clone, Copy)]
pub struct TokenBron;

impl ketenregie_privacy::bewaring::Bewaarbron for TokenBron {
    fn soorten(&self) -> &'static [&'static str] {
        &["gebruikte-tokens"]
    }

    fn ruim_op(
        &self,
        conn: &mut ketenregie_store::DbConnection,
        nu: chrono::DateTime<chrono::Utc>,
        proef: bool,
    ) -> diesel::QueryResult<Vec<ketenregie_privacy::bewaring::Verwijderd>> {
        let n = tokens::bewaar(conn, ketenregie_common::time::to_db(nu), proef)?;
        let grond = ketenregie_privacy::bewaring::Bewaargrond::verlopen("verloopt_op (token)");
        Ok(
            ketenregie_privacy::bewaring::Verwijderd::rijen("gebruikte-tokens", n, &grond)
                .into_iter()
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::query_has_token;

    #[test]
    fn token_in_query_detected() {
        assert!(query_has_token("access_token=abc"));
        assert!(query_has_token("page=1&access_token=abc"));
        assert!(!query_has_token("page=1&pageSize=2"));
    }
}
