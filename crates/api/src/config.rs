//! Configuration: built-in defaults, then a TOML file, then `KETENREGIE_*` environment
//! variables (nested keys with a double underscore: `KETENREGIE_DATABASE__URL`).
//! Unknown keys and invalid values are errors that name the key. Secrets are held in
//! `secrecy` types and printed masked.

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use ketenregie_store::DbUrl;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The defaults, as TOML: what the service does with no configuration at all. This text is
/// also the configuration reference printed by `ketenregie check-config --defaults`.
pub const DEFAULTS: &str = r#"
# development: HS256 development tokens from a generated local secret are accepted and logs
# are human-readable. production: only asymmetric tokens verified against `auth.jwks_file`,
# JSON logs; refuses to start without issuer, audience and JWKS.
mode = "development"

[server]
bind = "127.0.0.1:8080"
# Largest accepted request body, in bytes.
body_limit_bytes = 262144
# Worker threads; 0 means one per core.
workers = 0
# The public base URL, used in links in notifications.
public_url = "http://127.0.0.1:8080"
# A request's head (request line and header fields) must arrive within this many seconds
# of the connection opening or of the previous answer; else 408 and the connection closes.
header_timeout_seconds = 5
# Its body must be complete within this many seconds after the head; a stalled or
# trickling body is answered 408 problem+json and the connection closes.
request_timeout_seconds = 30
# An idle kept-alive connection is closed after this many seconds; 0 closes every
# connection after its answer.
keep_alive_seconds = 5

[database]
# sqlite://PATH (the embedded default) or postgres://USER:PASSWORD@HOST:PORT/DB
url = "sqlite://ketenregie.db"
pool_size = 16
# Seconds a request waits for a database connection (a free one, or a new one to a server
# that is away) before it is answered 503; also libpq's connect timeout. A lost database
# is noticed again within half of it after it returns.
connect_timeout_seconds = 5
# SQLite: /health/ready answers 503 when the disk holding the database file has less than
# this many MiB free (writes would soon fail); 0 switches the check off.
min_free_disk_mb = 256

[auth]
issuer = "ketenregie-dev"
audience = "ketenregie"
# A JWKS file (RFC 7517) with the public keys of the identity provider.
jwks_file = ""
# The pinned list of asymmetric algorithms; HS256 is never allowed here.
algorithms = ["RS256", "PS256", "ES256", "EdDSA"]
# Accepted `typ` header values (RFC 9068 access tokens).
token_types = ["at+jwt"]
# Clock skew tolerated on exp and nbf, in seconds.
leeway_seconds = 30
# When true every token is accepted once only; otherwise a token may be reused until it
# expires but its jti may never appear in another token.
single_use_tokens = false
# Development mode only: where the generated HS256 secret is kept.
dev_secret_file = ".ketenregie-dev-secret"
# Largest accepted token in bytes (the Authorization header's value); a larger one is a 401.
max_token_bytes = 8192
# Longest accepted token lifetime, `exp - iat`, in seconds (`iat` is required).
max_lifetime_seconds = 3600

[reference_data]
# Load the shipped municipalities and Veilig Thuis organisations at start-up when the
# database has none yet (`ketenregie import` refreshes them later).
load_at_start = true

[privacy]
# Key (base64, at least 16 bytes) for the keyed hash that pseudonymises data subjects in
# the processing log. Required in production; in development derived from the dev secret.
# Changing it makes earlier log rows unfindable per subject: rotate only with a plan.
pseudonym_key = ""
# Key (base64, 32 bytes) that encrypts BSNs and names at rest (AES-256-GCM) and keys
# their look-up hashes. Required in production; in development derived from the dev
# secret. Losing it loses the data: keep it in your secret store and back it up.
encryption_key = ""
# Retention job: run once a day in every instance (safe: removals are idempotent).
retention_daily = true
# Hours an answer to a POST with `Idempotency-Key` is kept (encrypted) for a retry; after
# that the key counts as unused and the retention run removes the answer.
idempotency_hours = 24

[scanner]
# The deadline scanner: looks for feedback duties coming due (a reminder to the receiving
# organisation) and overdue (an escalation to its escalation contact and a notice to the
# sender), each sent once. Safe to run in every instance.
enabled = true
# Seconds between passes.
interval_seconds = 300
# A reminder goes out this many hours before a duty is due.
reminder_lead_hours = 24

[dispatcher]
# Delivers the outbox by e-mail and webhooks after commit. Safe to run in every instance.
enabled = true
# Seconds between passes.
interval_seconds = 10
# Deliveries claimed per transaction.
batch_size = 50
# Attempts before a delivery is dead (listed at /api/v1/dode-berichten for re-queueing).
max_attempts = 8
# The first retry waits this many seconds; every next one twice as long (at most 6 hours).
backoff_seconds = 30
# A claim holds this many seconds; after that another instance may take the delivery over
# (an instance that died mid-batch). Renewed when each delivery's send starts. Must exceed
# the e-mail and webhook timeouts.
lease_seconds = 60
# Deliveries one instance sends at the same time. A crash leaves at most this many
# deliveries uncertain (`onzeker`: perhaps received, never sent again by itself).
parallel_sends = 1

[email]
# file: write .eml files into `file_dir` (development); smtp: send over SMTP; none: no e-mail.
transport = "file"
file_dir = "mail"
# The sender of notifications.
from = "ketenregie <noreply@ketenregie.invalid>"
smtp_host = "localhost"
smtp_port = 587
# none (plain, only for a local relay), starttls (upgrade on connect) or tls (implicit TLS, port 465).
smtp_tls = "starttls"
# Leave empty to send without authentication.
smtp_username = ""
smtp_password = ""
timeout_seconds = 10

[webhooks]
# Callback URLs must be https (plain http only for loopback hosts in development mode) and
# may not resolve to private, link-local, loopback or other internal addresses; true lifts
# the address rule (an internal partner network). Mind SSRF before you turn it on.
allow_private_networks = false
# Seconds a receiver has to answer.
timeout_seconds = 10

[limits]
# Request rate limits, per instance (each instance counts its own requests): requests per
# second and the burst allowed above that, per client address and per user (token `sub`
# within its organisation). 0 switches a limit off. Above it: 429 with Retry-After.
client_per_second = 100
client_burst = 200
user_per_second = 20
user_burst = 60
# The header a trusted reverse proxy puts the client address in (e.g. "X-Forwarded-For",
# its last address counts). Empty: the TCP peer address. Set it only when every request
# comes through that proxy: a client can write the header itself.
trusted_proxy_header = ""
# Per-user quota per day (UTC), counted in the database (all instances together):
# briefings (POST /briefings/_zoek) and person look-ups (GET /personen/{id}). Crossing one
# notifies the organisation (privacy.quotum-overschreden); 0 switches it off.
briefings_per_day = 200
person_lookups_per_day = 500

[log]
# pretty or json; empty means pretty in development and json in production.
format = ""
# A tracing filter, e.g. "info" or "ketenregie=debug,info".
filter = "info"
"#;

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
    pub log: LogConfig,
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

#[derive(Debug, thiserror::Error)]
pub enum ConfigFout {
    #[error("configuration: {0}")]
    Figment(Box<figment::Error>),
    #[error("configuration key `{key}`: {reason}")]
    Ongeldig { key: &'static str, reason: String },
}

impl From<figment::Error> for ConfigFout {
    fn from(e: figment::Error) -> Self {
        ConfigFout::Figment(Box::new(e))
    }
}

/// Environment variables with this prefix that are not configuration keys.
const ENV_NOT_CONFIG: &[&str] = &["config", "test_pg_url"];

impl Config {
    /// Defaults, then the file (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigFout> {
        let mut f = Figment::from(Toml::string(DEFAULTS));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigFout::Ongeldig {
                    key: "--config",
                    reason: format!("file {} does not exist", path.display()),
                });
            }
            f = f.merge(Toml::file(path));
        }
        f = f.merge(
            Env::prefixed("KETENREGIE_")
                .filter(|k| !ENV_NOT_CONFIG.contains(&k.as_str().to_lowercase().as_str()))
                .split("__"),
        );
        Self::from_figment(f)
    }

    /// Defaults overlaid with a TOML text; for tests and tools.
    pub fn from_toml(text: &str) -> Result<Self, ConfigFout> {
        Self::from_figment(Figment::from(Toml::string(DEFAULTS)).merge(Toml::string(text)))
    }

    fn from_figment(f: Figment) -> Result<Self, ConfigFout> {
        let c: Config = f.extract()?;
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), ConfigFout> {
        self.database_url()?;
        if self.database.pool_size == 0 {
            return Err(ConfigFout::Ongeldig {
                key: "database.pool_size",
                reason: "must be at least 1".into(),
            });
        }
        if self.auth.algorithms.is_empty() {
            return Err(ConfigFout::Ongeldig {
                key: "auth.algorithms",
                reason: "list at least one asymmetric algorithm".into(),
            });
        }
        if self.auth.token_types.is_empty() {
            return Err(ConfigFout::Ongeldig {
                key: "auth.token_types",
                reason: "list at least one accepted `typ`".into(),
            });
        }
        if self.mode == Mode::Production {
            for (key, value) in [
                ("auth.jwks_file", &self.auth.jwks_file),
                ("auth.issuer", &self.auth.issuer),
                ("auth.audience", &self.auth.audience),
            ] {
                if value.trim().is_empty() {
                    return Err(ConfigFout::Ongeldig {
                        key,
                        reason: "required in production mode".into(),
                    });
                }
            }
            if self.auth.issuer == "ketenregie-dev" {
                return Err(ConfigFout::Ongeldig {
                    key: "auth.issuer",
                    reason: "set your identity provider's issuer; the development issuer is refused in production".into(),
                });
            }
        }
        let key = self.privacy.pseudonym_key.expose_secret();
        if !key.is_empty() {
            use base64::Engine;
            match base64::engine::general_purpose::STANDARD.decode(key) {
                Ok(b) if b.len() >= 16 => {}
                _ => {
                    return Err(ConfigFout::Ongeldig {
                        key: "privacy.pseudonym_key",
                        reason:
                            "must be base64 of at least 16 bytes (e.g. `openssl rand -base64 32`)"
                                .into(),
                    });
                }
            }
        } else if self.mode == Mode::Production {
            return Err(ConfigFout::Ongeldig {
                key: "privacy.pseudonym_key",
                reason: "required in production mode (e.g. `openssl rand -base64 32`)".into(),
            });
        }
        let key = self.privacy.encryption_key.expose_secret();
        if !key.is_empty() {
            use base64::Engine;
            match base64::engine::general_purpose::STANDARD.decode(key) {
                Ok(b) if b.len() == 32 => {}
                _ => {
                    return Err(ConfigFout::Ongeldig {
                        key: "privacy.encryption_key",
                        reason:
                            "must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)"
                                .into(),
                    });
                }
            }
        } else if self.mode == Mode::Production {
            return Err(ConfigFout::Ongeldig {
                key: "privacy.encryption_key",
                reason: "required in production mode (e.g. `openssl rand -base64 32`)".into(),
            });
        }
        for (key, waarde) in [
            ("scanner.interval_seconds", self.scanner.interval_seconds),
            (
                "dispatcher.interval_seconds",
                self.dispatcher.interval_seconds,
            ),
            (
                "dispatcher.batch_size",
                u64::from(self.dispatcher.batch_size),
            ),
            (
                "dispatcher.max_attempts",
                u64::from(self.dispatcher.max_attempts),
            ),
            ("dispatcher.lease_seconds", self.dispatcher.lease_seconds),
            (
                "dispatcher.parallel_sends",
                u64::from(self.dispatcher.parallel_sends),
            ),
            ("email.timeout_seconds", self.email.timeout_seconds),
            ("webhooks.timeout_seconds", self.webhooks.timeout_seconds),
            (
                "privacy.idempotency_hours",
                u64::from(self.privacy.idempotency_hours),
            ),
            ("auth.max_lifetime_seconds", self.auth.max_lifetime_seconds),
            (
                "server.header_timeout_seconds",
                self.server.header_timeout_seconds,
            ),
            (
                "server.request_timeout_seconds",
                self.server.request_timeout_seconds,
            ),
            (
                "database.connect_timeout_seconds",
                self.database.connect_timeout_seconds,
            ),
        ] {
            if waarde == 0 {
                return Err(ConfigFout::Ongeldig {
                    key,
                    reason: "must be at least 1".into(),
                });
            }
        }
        // A send still running when its lease ends would be taken for a crashed one.
        let langste = self
            .email
            .timeout_seconds
            .max(self.webhooks.timeout_seconds);
        if self.dispatcher.lease_seconds <= langste {
            return Err(ConfigFout::Ongeldig {
                key: "dispatcher.lease_seconds",
                reason: format!(
                    "must exceed the e-mail and webhook timeouts ({langste} s), or a send in progress is taken for a crashed one"
                ),
            });
        }
        if self.email.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigFout::Ongeldig {
                key: "email.from",
                reason: "must be an address like `ketenregie <noreply@example.nl>`".into(),
            });
        }
        if self.auth.max_token_bytes < 1024 {
            return Err(ConfigFout::Ongeldig {
                key: "auth.max_token_bytes",
                reason: "must be at least 1024".into(),
            });
        }
        for (key, rate, burst) in [
            (
                "limits.client_burst",
                self.limits.client_per_second,
                self.limits.client_burst,
            ),
            (
                "limits.user_burst",
                self.limits.user_per_second,
                self.limits.user_burst,
            ),
        ] {
            if rate > 0 && burst == 0 {
                return Err(ConfigFout::Ongeldig {
                    key,
                    reason: "must be at least 1 while its rate limit is on".into(),
                });
            }
        }
        let h = self.limits.trusted_proxy_header.trim();
        if !h.is_empty() && actix_web::http::header::HeaderName::from_bytes(h.as_bytes()).is_err() {
            return Err(ConfigFout::Ongeldig {
                key: "limits.trusted_proxy_header",
                reason: format!("`{h}` is not a header name"),
            });
        }
        if self.server.body_limit_bytes < 1024 {
            return Err(ConfigFout::Ongeldig {
                key: "server.body_limit_bytes",
                reason: "must be at least 1024".into(),
            });
        }
        Ok(())
    }

    pub fn database_url(&self) -> Result<DbUrl, ConfigFout> {
        DbUrl::parse(self.database.url.expose_secret()).map_err(|e| ConfigFout::Ongeldig {
            key: "database.url",
            reason: e.to_string(),
        })
    }

    pub fn email_transport_naam(&self) -> &'static str {
        match self.email.transport {
            EmailTransport::File => "file",
            EmailTransport::Smtp => "smtp",
            EmailTransport::None => "none",
        }
    }

    pub fn smtp_tls_naam(&self) -> &'static str {
        match self.email.smtp_tls {
            SmtpTls::None => "none",
            SmtpTls::Starttls => "starttls",
            SmtpTls::Tls => "tls",
        }
    }

    pub fn is_development(&self) -> bool {
        self.mode == Mode::Development
    }

    pub fn log_json(&self) -> bool {
        match self.log.format {
            LogFormat::Json => true,
            LogFormat::Pretty => false,
            LogFormat::Auto => self.mode == Mode::Production,
        }
    }

    /// The effective configuration as TOML, secrets masked.
    pub fn masked_toml(&self) -> String {
        let url = self
            .database_url()
            .map(|u| u.masked())
            .unwrap_or_else(|_| "***".into());
        format!(
            "mode = \"{mode}\"\n\n[server]\nbind = \"{bind}\"\nbody_limit_bytes = {limit}\nworkers = {workers}\npublic_url = \"{public}\"\nheader_timeout_seconds = {sht}\nrequest_timeout_seconds = {srt}\nkeep_alive_seconds = {ska}\n\n[database]\nurl = \"{url}\"\npool_size = {pool}\nconnect_timeout_seconds = {dct}\nmin_free_disk_mb = {dfd}\n\n[auth]\nissuer = \"{iss}\"\naudience = \"{aud}\"\njwks_file = \"{jwks}\"\nalgorithms = {algs:?}\ntoken_types = {typs:?}\nleeway_seconds = {leeway}\nsingle_use_tokens = {single}\ndev_secret_file = \"{dev}\" # contents never printed\nmax_token_bytes = {mtb}\nmax_lifetime_seconds = {mls}\n\n[reference_data]\nload_at_start = {rl}\n\n[privacy]\npseudonym_key = \"{pk}\"\nencryption_key = \"{ek}\"\nretention_daily = {rd}\nidempotency_hours = {ih}\n\n[scanner]\nenabled = {se}\ninterval_seconds = {si}\nreminder_lead_hours = {sl}\n\n[dispatcher]\nenabled = {de}\ninterval_seconds = {di}\nbatch_size = {db}\nmax_attempts = {dm}\nbackoff_seconds = {dbo}\nlease_seconds = {dl}\nparallel_sends = {dps}\n\n[email]\ntransport = \"{et}\"\nfile_dir = \"{ef}\"\nfrom = \"{efr}\"\nsmtp_host = \"{eh}\"\nsmtp_port = {ep}\nsmtp_tls = \"{etls}\"\nsmtp_username = \"{eu}\"\nsmtp_password = \"{epw}\"\ntimeout_seconds = {eto}\n\n[webhooks]\nallow_private_networks = {wp}\ntimeout_seconds = {wt}\n\n[limits]\nclient_per_second = {lcs}\nclient_burst = {lcb}\nuser_per_second = {lus}\nuser_burst = {lub}\ntrusted_proxy_header = \"{ltp}\"\nbriefings_per_day = {lbd}\nperson_lookups_per_day = {lpd}\n\n[log]\nformat = \"{fmt}\"\nfilter = \"{filter}\"\n",
            mode = if self.is_development() {
                "development"
            } else {
                "production"
            },
            bind = self.server.bind,
            limit = self.server.body_limit_bytes,
            workers = self.server.workers,
            public = self.server.public_url,
            sht = self.server.header_timeout_seconds,
            srt = self.server.request_timeout_seconds,
            ska = self.server.keep_alive_seconds,
            pool = self.database.pool_size,
            dct = self.database.connect_timeout_seconds,
            dfd = self.database.min_free_disk_mb,
            iss = self.auth.issuer,
            aud = self.auth.audience,
            jwks = self.auth.jwks_file,
            algs = self
                .auth
                .algorithms
                .iter()
                .map(|a| a.naam())
                .collect::<Vec<_>>(),
            typs = self.auth.token_types,
            leeway = self.auth.leeway_seconds,
            single = self.auth.single_use_tokens,
            dev = self.auth.dev_secret_file.display(),
            mtb = self.auth.max_token_bytes,
            mls = self.auth.max_lifetime_seconds,
            ih = self.privacy.idempotency_hours,
            lcs = self.limits.client_per_second,
            lcb = self.limits.client_burst,
            lus = self.limits.user_per_second,
            lub = self.limits.user_burst,
            ltp = self.limits.trusted_proxy_header,
            lbd = self.limits.briefings_per_day,
            lpd = self.limits.person_lookups_per_day,
            pk = if self.privacy.pseudonym_key.expose_secret().is_empty() {
                ""
            } else {
                "***"
            },
            rd = self.privacy.retention_daily,
            rl = self.reference_data.load_at_start,
            ek = if self.privacy.encryption_key.expose_secret().is_empty() {
                ""
            } else {
                "***"
            },
            se = self.scanner.enabled,
            si = self.scanner.interval_seconds,
            sl = self.scanner.reminder_lead_hours,
            de = self.dispatcher.enabled,
            di = self.dispatcher.interval_seconds,
            db = self.dispatcher.batch_size,
            dm = self.dispatcher.max_attempts,
            dbo = self.dispatcher.backoff_seconds,
            dl = self.dispatcher.lease_seconds,
            dps = self.dispatcher.parallel_sends,
            et = self.email_transport_naam(),
            ef = self.email.file_dir.display(),
            efr = self.email.from,
            eh = self.email.smtp_host,
            ep = self.email.smtp_port,
            etls = self.smtp_tls_naam(),
            eu = self.email.smtp_username,
            epw = if self.email.smtp_password.expose_secret().is_empty() {
                ""
            } else {
                "***"
            },
            eto = self.email.timeout_seconds,
            wp = self.webhooks.allow_private_networks,
            wt = self.webhooks.timeout_seconds,
            fmt = if self.log_json() { "json" } else { "pretty" },
            filter = self.log.filter,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_sqlite_in_development() {
        let c = Config::from_toml("").unwrap();
        assert!(c.is_development());
        assert_eq!(c.server.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url().unwrap().masked(), "sqlite://ketenregie.db");
    }

    #[test]
    fn unknown_key_is_named() {
        let e = Config::from_toml("[server]\nbindd = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bindd"), "{e}");
    }

    #[test]
    fn invalid_value_is_named() {
        let e = Config::from_toml("[database]\nurl = \"mysql://x\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("database.url"), "{e}");
        let e = Config::from_toml("[server]\nbind = \"nope\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bind"), "{e}");
        let e = Config::from_toml("[auth]\nalgorithms = [\"HS256\"]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("auth.algorithms"), "{e}");
    }

    #[test]
    fn production_needs_real_identity_provider() {
        let e = Config::from_toml("mode = \"production\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("auth.jwks_file"), "{e}");
    }

    #[test]
    fn production_needs_pseudonym_key() {
        let e = Config::from_toml(
            "mode = \"production\"\n[auth]\njwks_file = \"x\"\nissuer = \"https://idp\"",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("privacy.pseudonym_key"), "{e}");
    }

    #[test]
    fn notification_settings_checked_and_masked() {
        let e = Config::from_toml("[email]\ntransport = \"duif\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("transport"), "{e}");
        let e = Config::from_toml("[dispatcher]\nmax_attempts = 0")
            .unwrap_err()
            .to_string();
        assert!(e.contains("dispatcher.max_attempts"), "{e}");
        let e = Config::from_toml("[dispatcher]\nparallel_sends = 0")
            .unwrap_err()
            .to_string();
        assert!(e.contains("dispatcher.parallel_sends"), "{e}");
        // A lease shorter than a send could last would take a running send for a crashed one.
        let e =
            Config::from_toml("[dispatcher]\nlease_seconds = 10\n[webhooks]\ntimeout_seconds = 10")
                .unwrap_err()
                .to_string();
        assert!(e.contains("dispatcher.lease_seconds"), "{e}");
        assert!(
            Config::from_toml("[dispatcher]\nlease_seconds = 11\n[email]\ntimeout_seconds = 10")
                .is_ok()
        );
        let e = Config::from_toml("[email]\nfrom = \"geen adres\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("email.from"), "{e}");
        let c = Config::from_toml("[email]\nsmtp_password = \"zeergeheim\"").unwrap();
        let shown = format!("{} {:?}", c.masked_toml(), c);
        assert!(!shown.contains("zeergeheim"), "{shown}");
        assert!(Config::from_toml(&c.masked_toml().replace("\"***\"", "\"x\"")).is_ok());
    }

    #[test]
    fn secrets_masked() {
        let c = Config::from_toml("[database]\nurl = \"postgres://app:geheim@db/k\"").unwrap();
        let c = Config {
            privacy: PrivacyConfig {
                pseudonym_key: "Z2VoZWltZ2VoZWltZ2VoZWlt".into(),
                ..c.privacy
            },
            ..c
        };
        let shown = format!("{} {:?}", c.masked_toml(), c);
        assert!(!shown.contains("Z2VoZWlt"), "{shown}");
        assert!(!shown.contains("geheim"), "{shown}");
    }
}
