//! The werkplek's production sign-in as a backend-for-frontend: OpenID Connect Core 1.0
//! §3.1 (the authorization code flow) with PKCE (RFC 7636, `S256`), `state` (RFC 6749
//! §10.12) and `nonce` (OpenID Connect Core §3.1.2.1), against the issuer of `[oidc]`,
//! with the `openidconnect` crate.
//!
//! - `begin`: a random state, nonce and PKCE verifier are kept on the server (table
//!   `werkplek_aanmeldingen`, encrypted, ten minutes, keyed by the SHA-256 of a random
//!   value in a short-lived `HttpOnly` cookie) and the browser is sent to the provider.
//! - `terug`: the provider's answer must come back in the same browser (the cookie) with
//!   the same state; the code is exchanged at the token endpoint with the PKCE verifier
//!   (and the client secret), and the ID token is verified (signature against the
//!   provider's JWKS, `iss`, `aud`, `exp`, and the nonce). The attempt is removed either
//!   way: an answer is used once.
//! - The role and organisation come from the ID token's claims, read into the API's own
//!   `Claims` and turned into an actor by `auth::Verifier::actor`, exactly as for an
//!   access token at the API (an unknown role or a missing organisation is refused).
//! - The provider's tokens stay on the server, encrypted in the session row
//!   (`Tokens::versleuteld`); the browser holds only the session cookie.
//! - `afmeld_url`: the provider's `end_session_endpoint` with `id_token_hint` (OpenID
//!   Connect RP-Initiated Logout 1.0 §2), when its discovery document names one.

use crate::auth::{Claims, Verifier};
use crate::config::OidcConfig;
use crate::db;
use crate::problem::AppError;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use ketenregie_common::Actor;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbPool;
use ketenregie_store::schema::werkplek_aanmeldingen::dsl as a;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, LogoutRequest, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use std::time::Instant;

/// The path the provider sends the browser back to (`oidc.redirect_uri` ends in it).
pub const TERUG: &str = "/werkplek/aanmelden/terug";
/// The path that starts a sign-in at the provider.
pub const BEGIN: &str = "/werkplek/aanmelden/oidc";
/// The cookie that binds a sign-in under way to its browser. `SameSite=Lax`, not
/// `Strict`: the provider's redirect back is a cross-site navigation, on which a browser
/// sends no `Strict` cookie (RFC 6265bis §5.4.7); it carries nothing but a random value.
pub const POGING_COOKIE: &str = "werkplek_oidc";
/// How long a sign-in under way may take.
pub const POGING_DUUR: Duration = Duration::minutes(10);
/// How long the provider's discovery document (and with it its JWKS) is kept before it is
/// read again, so a key rotation at the provider is picked up.
const ONTDEKKING_DUUR: std::time::Duration = std::time::Duration::from_secs(3600);

/// What the server keeps between the redirect and the answer.
#[derive(Serialize, Deserialize)]
struct Poging {
    state: String,
    nonce: String,
    verifier: String,
}

/// The provider's tokens, kept encrypted in the session row.
#[derive(Serialize, Deserialize)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

impl Tokens {
    /// As stored: JSON, encrypted (AES-256-GCM, `privacy::versleuteling`).
    pub fn versleuteld(&self, v: &Versleuteling) -> Result<String, AppError> {
        Ok(v.versleutel(&serde_json::to_string(self).map_err(AppError::intern)?))
    }

    /// From the stored form.
    pub fn uit(opgeslagen: &str, v: &Versleuteling) -> Result<Self, AppError> {
        let tekst = v.ontsleutel(opgeslagen).map_err(AppError::intern)?;
        serde_json::from_str(&tekst).map_err(AppError::intern)
    }
}

/// The werkplek's OpenID Connect client: the configuration and the provider's discovery
/// document, read on first use and again after `ONTDEKKING_DUUR`.
pub struct Oidc {
    config: OidcConfig,
    http: openidconnect::reqwest::Client,
    ontdekt: tokio::sync::Mutex<Option<(Instant, ProviderMetadataWithLogout)>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.config.issuer)
            .field("client_id", &self.config.client_id)
            .finish()
    }
}

fn hash(waarde: &str) -> String {
    hex::encode(Sha256::digest(waarde.as_bytes()))
}

fn nu() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// A refused sign-in: 403 with what happened, in Dutch; the cause is logged without any
/// token or personal data.
fn geweigerd(oorzaak: &str, uitleg: &str) -> AppError {
    tracing::warn!(oorzaak, "aanmelding via OpenID Connect geweigerd");
    AppError::GeenToegang(format!(
        "De aanmelding is geweigerd: {uitleg}. Meld u opnieuw aan."
    ))
}

/// The provider cannot be reached or answers nonsense: 503.
fn onbereikbaar(e: impl std::fmt::Display) -> AppError {
    tracing::warn!(oorzaak = %e, "identity provider niet bereikbaar");
    AppError::NietBeschikbaar(
        "Het aanmeldsysteem van uw organisatie is nu niet bereikbaar; probeer het zo opnieuw"
            .into(),
    )
}

impl Oidc {
    /// The client for `[oidc]`, or `None` when the production sign-in is off.
    pub fn uit(config: &OidcConfig) -> Result<Option<Self>, String> {
        if !config.aan() {
            return Ok(None);
        }
        // No redirects followed (the crate's advice against SSRF), bounded waits.
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Some(Oidc {
            config: config.clone(),
            http,
            ontdekt: tokio::sync::Mutex::new(None),
        }))
    }

    async fn metadata(&self) -> Result<ProviderMetadataWithLogout, AppError> {
        let mut ontdekt = self.ontdekt.lock().await;
        if let Some((wanneer, m)) = ontdekt.as_ref()
            && wanneer.elapsed() < ONTDEKKING_DUUR
        {
            return Ok(m.clone());
        }
        let issuer =
            IssuerUrl::new(self.config.issuer.trim().to_string()).map_err(AppError::intern)?;
        let m = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(onbereikbaar)?;
        *ontdekt = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn redirect(&self) -> Result<RedirectUrl, AppError> {
        RedirectUrl::new(self.config.redirect_uri.trim().to_string()).map_err(AppError::intern)
    }

    fn geheim(&self) -> Option<ClientSecret> {
        let g = self.config.client_secret.expose_secret();
        (!g.is_empty()).then(|| ClientSecret::new(g.to_string()))
    }

    /// Start a sign-in: returns the value for `POGING_COOKIE` and the provider's
    /// authorization URL to send the browser to.
    pub async fn begin(
        &self,
        pool: &DbPool,
        v: &Versleuteling,
    ) -> Result<(String, String), AppError> {
        let m = self.metadata().await?;
        let client = CoreClient::from_provider_metadata(
            m,
            ClientId::new(self.config.client_id.clone()),
            self.geheim(),
        )
        .set_redirect_uri(self.redirect()?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut verzoek = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for s in &self.config.scopes {
            verzoek = verzoek.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = verzoek.url();
        let poging = Poging {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        };
        let gegevens = v.versleutel(&serde_json::to_string(&poging).map_err(AppError::intern)?);
        let cookie = super::sessie::willekeurig();
        let (id, t) = (hash(&cookie), nu());
        db::tx(pool, move |c| {
            // Attempts past their time are of no use: remove them while here.
            diesel::delete(a::werkplek_aanmeldingen.filter(a::verloopt_op.lt(t)))
                .execute(c)
                .map_err(db::db_fout)?;
            diesel::insert_into(a::werkplek_aanmeldingen)
                .values((
                    a::id.eq(id),
                    a::gegevens.eq(gegevens),
                    a::verloopt_op.eq(t + POGING_DUUR),
                ))
                .execute(c)
                .map_err(db::db_fout)?;
            Ok(())
        })
        .await?;
        Ok((cookie, url.to_string()))
    }

    /// The provider's answer: check it and return the actor and the encrypted tokens.
    /// `cookie` is the browser's `POGING_COOKIE`, `code` and `state` the answer's
    /// parameters. Refused (403) on a missing or unknown attempt, a state that is not the
    /// one sent, a failed exchange, an ID token that does not verify or carries another
    /// nonce, or claims the API would refuse.
    pub async fn terug(
        &self,
        pool: &DbPool,
        v: &Versleuteling,
        cookie: Option<&str>,
        code: &str,
        state: &str,
    ) -> Result<(Actor, String), AppError> {
        let cookie = cookie.ok_or_else(|| {
            geweigerd(
                "geen aanmeldcookie",
                "deze browser is geen aanmelding begonnen (of die duurde langer dan tien minuten)",
            )
        })?;
        let (id, t) = (hash(cookie), nu());
        // Taken and removed in one transaction: an answer is used once.
        let rij: Option<(String, NaiveDateTime)> = db::tx(pool, move |c| {
            let doel = a::werkplek_aanmeldingen.filter(a::id.eq(&id));
            let rij = doel
                .select((a::gegevens, a::verloopt_op))
                .first(c)
                .optional()
                .map_err(db::db_fout)?;
            diesel::delete(doel).execute(c).map_err(db::db_fout)?;
            Ok(rij)
        })
        .await?;
        let poging: Poging = match rij {
            Some((gegevens, tot)) if tot > t => {
                let tekst = v.ontsleutel(&gegevens).map_err(AppError::intern)?;
                serde_json::from_str(&tekst).map_err(AppError::intern)?
            }
            _ => {
                return Err(geweigerd(
                    "onbekende of verlopen poging",
                    "deze aanmelding is onbekend of duurde langer dan tien minuten",
                ));
            }
        };
        if !super::sessie::gelijk(state, &poging.state) {
            return Err(geweigerd(
                "state klopt niet",
                "het antwoord van het aanmeldsysteem hoort niet bij deze aanmelding (state)",
            ));
        }
        let m = self.metadata().await?;
        let client = CoreClient::from_provider_metadata(
            m,
            ClientId::new(self.config.client_id.clone()),
            self.geheim(),
        )
        .set_redirect_uri(self.redirect()?);
        let antwoord = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(AppError::intern)?
            .set_pkce_verifier(PkceCodeVerifier::new(poging.verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                geweigerd(
                    &format!("code niet ingewisseld: {e}"),
                    "het aanmeldsysteem gaf voor deze code geen tokens",
                )
            })?;
        let id_token = antwoord
            .id_token()
            .ok_or_else(|| geweigerd("geen ID-token", "het aanmeldsysteem gaf geen ID-token"))?;
        let nonce = Nonce::new(poging.nonce);
        id_token
            .claims(&client.id_token_verifier(), &nonce)
            .map_err(|e| {
                geweigerd(
                    &format!("ID-token afgekeurd: {e}"),
                    "het ID-token klopt niet (handtekening, uitgever, ontvanger, geldigheid of nonce)",
                )
            })?;
        // Verified: read its claims as the API reads an access token's.
        let ruw = id_token.to_string();
        let claims: Claims = ruw
            .split('.')
            .nth(1)
            .and_then(|p| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p.trim_end_matches('='))
                    .ok()
            })
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                geweigerd(
                    "claims onleesbaar",
                    "de gegevens in het ID-token zijn onleesbaar",
                )
            })?;
        let mut actor = Verifier::actor(&claims).map_err(|e| {
            let uitleg = match &e {
                AppError::NietGeauthenticeerd(d) => d.clone(),
                _ => "de rol of organisatie ontbreekt".into(),
            };
            geweigerd("claims afgekeurd", &uitleg)
        })?;
        actor.applicatie = super::APPLICATIE.into();
        let tokens = Tokens {
            id_token: ruw,
            access_token: antwoord.access_token().secret().clone(),
            refresh_token: antwoord.refresh_token().map(|r| r.secret().clone()),
        };
        Ok((actor, tokens.versleuteld(v)?))
    }

    /// Where to send the browser after the session ended: the provider's
    /// `end_session_endpoint` with the ID token as hint, when it names one.
    pub async fn afmeld_url(&self, v: &Versleuteling, tokens: Option<&str>) -> Option<String> {
        let m = self.metadata().await.ok()?;
        let eind = m.additional_metadata().end_session_endpoint.clone()?;
        let mut verzoek =
            LogoutRequest::from(eind).set_client_id(ClientId::new(self.config.client_id.clone()));
        if let Some(t) = tokens.and_then(|t| Tokens::uit(t, v).ok())
            && let Ok(id) = CoreIdToken::from_str(&t.id_token)
        {
            verzoek = verzoek.set_id_token_hint(&id);
        }
        if let Ok(na) = PostLogoutRedirectUrl::new(self.config.post_logout_redirect_uri.clone())
            && !self.config.post_logout_redirect_uri.trim().is_empty()
        {
            verzoek = verzoek.set_post_logout_redirect_uri(na);
        }
        Some(verzoek.http_get_url().to_string())
    }
}
