//! Configuration: built-in defaults, then a TOML file, then `KETENREGIE_*` environment
//! variables (nested keys with a double underscore: `KETENREGIE_DATABASE__URL`).
//! Unknown keys and invalid values are errors that name the key. Secrets are held in
//! `secrecy` types and printed masked.

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use ketenregie_store::DbUrl;
use secrecy::ExposeSecret;
use std::path::Path;

mod secties;
#[cfg(test)]
mod tests;

pub use secties::*;

/// The defaults, as TOML: what the service does with no configuration at all. This text is
/// also the configuration reference printed by `ketenregie check-config --defaults`.
pub const DEFAULTS: &str = include_str!("standaard.toml");

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
        let platform = &self.auth.platform_organisation;
        if !(2..=63).contains(&platform.len())
            || !platform
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            || platform.starts_with('-')
        {
            return Err(ConfigFout::Ongeldig {
                key: "auth.platform_organisation",
                reason: "an organisation code: 2 to 63 lowercase letters, digits and hyphens"
                    .into(),
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
        self.oidc_geldig()?;
        if self.server.body_limit_bytes < 1024 {
            return Err(ConfigFout::Ongeldig {
                key: "server.body_limit_bytes",
                reason: "must be at least 1024".into(),
            });
        }
        Ok(())
    }

    /// `[oidc]`: when on, the client id and a redirect URI at `/werkplek/aanmelden/terug`
    /// are required, and the issuer and the redirect URI are https (plain http only for a
    /// loopback host, as for webhooks: a local test provider).
    fn oidc_geldig(&self) -> Result<(), ConfigFout> {
        let o = &self.oidc;
        if !o.aan() {
            return Ok(());
        }
        let veilig = |u: &str| {
            u.starts_with("https://")
                || ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                    .iter()
                    .any(|p| u.starts_with(p))
        };
        if !veilig(o.issuer.trim()) {
            return Err(ConfigFout::Ongeldig {
                key: "oidc.issuer",
                reason: "must be an https URL (plain http only for a loopback host)".into(),
            });
        }
        if o.client_id.trim().is_empty() {
            return Err(ConfigFout::Ongeldig {
                key: "oidc.client_id",
                reason: "required when oidc.issuer is set".into(),
            });
        }
        if !veilig(o.redirect_uri.trim())
            || !o
                .redirect_uri
                .trim_end()
                .ends_with(crate::werkplek::oidc::TERUG)
        {
            return Err(ConfigFout::Ongeldig {
                key: "oidc.redirect_uri",
                reason: format!(
                    "must be the werkplek's https address ending in `{}`",
                    crate::werkplek::oidc::TERUG
                ),
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
            "mode = \"{mode}\"\n\n[server]\nbind = \"{bind}\"\nbody_limit_bytes = {limit}\nworkers = {workers}\npublic_url = \"{public}\"\nheader_timeout_seconds = {sht}\nrequest_timeout_seconds = {srt}\nkeep_alive_seconds = {ska}\n\n[database]\nurl = \"{url}\"\npool_size = {pool}\nconnect_timeout_seconds = {dct}\nmin_free_disk_mb = {dfd}\n\n[auth]\nissuer = \"{iss}\"\naudience = \"{aud}\"\njwks_file = \"{jwks}\"\nalgorithms = {algs:?}\ntoken_types = {typs:?}\nleeway_seconds = {leeway}\nsingle_use_tokens = {single}\ndev_secret_file = \"{dev}\" # contents never printed\nmax_token_bytes = {mtb}\nmax_lifetime_seconds = {mls}\nplatform_organisation = \"{plo}\"\n\n[reference_data]\nload_at_start = {rl}\n\n[privacy]\npseudonym_key = \"{pk}\"\nencryption_key = \"{ek}\"\nretention_daily = {rd}\nidempotency_hours = {ih}\nlog_seal_interval_ms = {lsi}\n\n[scanner]\nenabled = {se}\ninterval_seconds = {si}\nreminder_lead_hours = {sl}\n\n[dispatcher]\nenabled = {de}\ninterval_seconds = {di}\nbatch_size = {db}\nmax_attempts = {dm}\nbackoff_seconds = {dbo}\nlease_seconds = {dl}\nparallel_sends = {dps}\n\n[email]\ntransport = \"{et}\"\nfile_dir = \"{ef}\"\nfrom = \"{efr}\"\nsmtp_host = \"{eh}\"\nsmtp_port = {ep}\nsmtp_tls = \"{etls}\"\nsmtp_username = \"{eu}\"\nsmtp_password = \"{epw}\"\ntimeout_seconds = {eto}\n\n[webhooks]\nallow_private_networks = {wp}\ntimeout_seconds = {wt}\n\n[limits]\nclient_per_second = {lcs}\nclient_burst = {lcb}\nuser_per_second = {lus}\nuser_burst = {lub}\ntrusted_proxy_header = \"{ltp}\"\nbriefings_per_day = {lbd}\nperson_lookups_per_day = {lpd}\n\n[oidc]\nissuer = \"{oi}\"\nclient_id = \"{oc}\"\nclient_secret = \"{os}\"\nredirect_uri = \"{or}\"\nscopes = {osc:?}\npost_logout_redirect_uri = \"{ol}\"\n\n[log]\nformat = \"{fmt}\"\nfilter = \"{filter}\"\n",
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
            plo = self.auth.platform_organisation,
            ih = self.privacy.idempotency_hours,
            lsi = self.privacy.log_seal_interval_ms,
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
            oi = self.oidc.issuer,
            oc = self.oidc.client_id,
            os = if self.oidc.client_secret.expose_secret().is_empty() {
                ""
            } else {
                "***"
            },
            or = self.oidc.redirect_uri,
            osc = self.oidc.scopes,
            ol = self.oidc.post_logout_redirect_uri,
            fmt = if self.log_json() { "json" } else { "pretty" },
            filter = self.log.filter,
        )
    }
}
