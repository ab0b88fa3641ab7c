//! The sections of the configuration, one type per TOML table.

use secrecy::SecretString;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

/// An asymmetric signature algorithm that `auth.algorithms` may pin (RFC 7518 §3, RFC
/// 8037); HS256 is not one of them (development tokens are accepted in development mode
/// only, DESIGN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Algoritme {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    EdDSA,
}

impl Algoritme {
    /// Its JOSE name (`alg`).
    pub fn naam(self) -> &'static str {
        match self {
            Algoritme::RS256 => "RS256",
            Algoritme::RS384 => "RS384",
            Algoritme::RS512 => "RS512",
            Algoritme::PS256 => "PS256",
            Algoritme::PS384 => "PS384",
            Algoritme::PS512 => "PS512",
            Algoritme::ES256 => "ES256",
            Algoritme::ES384 => "ES384",
            Algoritme::EdDSA => "EdDSA",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub mode: Mode,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub reference_data: ReferenceDataConfig,
    pub privacy: PrivacyConfig,
    pub scanner: ScannerConfig,
    pub dispatcher: DispatcherConfig,
    pub email: EmailConfig,
    pub webhooks: WebhooksConfig,
    pub limits: LimitsConfig,
    pub oidc: OidcConfig,
    pub log: LogConfig,
}

/// The werkplek's production sign-in: OpenID Connect (OpenID Connect Core 1.0 §3.1, the
/// authorization code flow) with PKCE (RFC 7636), the werkplek as a confidential client
/// (a backend-for-frontend: the tokens stay on the server). Off while `issuer` is empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    /// The issuer identifier; its discovery document is read from
    /// `{issuer}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4).
    pub issuer: String,
    pub client_id: String,
    /// The client secret (`client_secret_basic`); empty for a public client (PKCE only).
    pub client_secret: SecretString,
    /// Where the provider sends the browser back: `<public URL>/werkplek/aanmelden/terug`.
    pub redirect_uri: String,
    /// Scopes asked besides `openid`.
    pub scopes: Vec<String>,
    /// Where the provider sends the browser after an RP-initiated logout (OpenID Connect
    /// RP-Initiated Logout 1.0); empty: the provider's own page.
    pub post_logout_redirect_uri: String,
}

impl OidcConfig {
    /// Is the production sign-in configured?
    pub fn aan(&self) -> bool {
        !self.issuer.trim().is_empty()
    }
}

/// Request rate limits and look-up quota (README "Limieten").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    pub client_per_second: u32,
    pub client_burst: u32,
    pub user_per_second: u32,
    pub user_burst: u32,
    pub trusted_proxy_header: String,
    pub briefings_per_day: u32,
    pub person_lookups_per_day: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScannerConfig {
    pub enabled: bool,
    pub interval_seconds: u64,
    pub reminder_lead_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispatcherConfig {
    pub enabled: bool,
    pub interval_seconds: u64,
    pub batch_size: u32,
    pub max_attempts: u32,
    pub backoff_seconds: u64,
    pub lease_seconds: u64,
    /// Deliveries sent at the same time (at least 1): also the most a crash leaves
    /// `onzeker`.
    pub parallel_sends: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    File,
    Smtp,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub transport: EmailTransport,
    pub file_dir: PathBuf,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_tls: SmtpTls,
    pub smtp_username: String,
    pub smtp_password: SecretString,
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhooksConfig {
    pub allow_private_networks: bool,
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceDataConfig {
    pub load_at_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    pub pseudonym_key: SecretString,
    pub encryption_key: SecretString,
    pub retention_daily: bool,
    pub idempotency_hours: u32,
    /// Milliseconds between passes of the log sealer (issue 17 point 2,
    /// `privacy::logboek::verzegelaar`): the bound of the unsealed window while the
    /// instance holds the lease; 0 switches the sealer off in this instance.
    pub log_seal_interval_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    pub body_limit_bytes: usize,
    pub workers: usize,
    pub public_url: String,
    /// Seconds for a request head to arrive (408 after).
    pub header_timeout_seconds: u64,
    /// Seconds for a request body to arrive after its head (408 after).
    pub request_timeout_seconds: u64,
    /// Seconds an idle kept-alive connection stays open; 0: no keep-alive.
    pub keep_alive_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// May carry a password: secret.
    pub url: SecretString,
    pub pool_size: u32,
    /// Seconds to wait for a connection before answering 503.
    pub connect_timeout_seconds: u64,
    /// SQLite: readiness fails below this many MiB free on the database's disk; 0: off.
    pub min_free_disk_mb: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub issuer: String,
    pub audience: String,
    pub jwks_file: String,
    pub algorithms: Vec<Algoritme>,
    pub token_types: Vec<String>,
    pub leeway_seconds: u64,
    pub single_use_tokens: bool,
    pub dev_secret_file: PathBuf,
    pub max_token_bytes: usize,
    pub max_lifetime_seconds: u64,
    /// The `organisatie` code of the platform itself (`auth.platform_organisation`,
    /// default `ketenregie-platform`): the only organisation whose tokens may carry the
    /// role `platformbeheerder` (rule `PLATFORMBEHEER_EIGEN_ORGANISATIE`). It needs no row
    /// in the partner register: it is no partner.
    pub platform_organisation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[serde(rename = "")]
    Auto,
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    pub filter: String,
}
