//! The one `Application` builder, used by `main` and by the tests alike: migrations,
//! pool, authentication, routes, middleware and error handlers.
//!
//! Split along its seams: [`start`] (the work done under the start-up lock),
//! [`achtergrond`] (the background jobs of an instance), [`routes`] (the route table)
//! and [`extractie`] (the answers to unreadable paths, queries and bodies, and to
//! unknown routes).

mod achtergrond;
mod extractie;
mod routes;
pub(crate) use routes::resource;
mod start;

pub(crate) use extractie::{geen_route, json_fout};
use extractie::{path_fout, query_fout};
pub use start::bewaring_uitvoeren;
use start::{Bewaartaak, Startwerk};

use crate::auth::{self, Verifier};
use crate::config::Config;
use crate::metrics::Metrics;
use crate::middleware::kern;
use crate::openapi::{self, MethodeTabel};
use crate::problem::AppError;
use crate::routes::gezondheid;
use crate::routes::inzage::InzageBronnen;
use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, web};
use ketenregie_case::briefing::ZorgmeldingBron;
use ketenregie_common::Klok;
use ketenregie_feedback::bezorging::{BezorgInstelling, Bezorger};
use ketenregie_feedback::email::{Email, EmailInstelling};
use ketenregie_feedback::scanner::{ScanInstelling, Scanner};
use ketenregie_feedback::webhook::{UrlRegels, Webhooks};
use ketenregie_privacy::bewaring::{self, Bewaarbron};
use ketenregie_privacy::inzage::InzageBron;
use ketenregie_store::{DbPool, conn, migrate};
use secrecy::ExposeSecret;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

pub const API_PREFIX: &str = "/api/v1";

pub(crate) use crate::middleware::ZORGMELDING_MAX_BODY;

/// The OpenAPI document, rendered once, and the method table derived from it.
#[derive(Debug, Clone)]
pub struct ApiDocument {
    pub json: Arc<String>,
    pub methodes: Arc<MethodeTabel>,
    /// Each operation's request body schema, for naming every problem of a refused body
    /// (`lichaam::Verzoekschemas`).
    pub verzoekschemas: Arc<crate::lichaam::Verzoekschemas>,
}

impl ApiDocument {
    pub fn new() -> Self {
        let doc = openapi::document_json();
        Self {
            methodes: Arc::new(MethodeTabel::uit(&doc, API_PREFIX)),
            verzoekschemas: Arc::new(crate::lichaam::Verzoekschemas::uit(&doc, API_PREFIX)),
            json: Arc::new(openapi::document_text()),
        }
    }
}

impl Default for ApiDocument {
    fn default() -> Self {
        Self::new()
    }
}

/// The parts the domain crates plug into the application (DESIGN.md §1: lower crates
/// define small traits, higher crates implement them, `api` wires them together), and the
/// clock.
#[derive(Clone)]
pub struct Onderdelen {
    /// Inzage sources besides those of the domain crates (`referral`, `feedback` and `case`,
    /// which `build_met` always adds with the service's key): none in the service, a fake
    /// source in some tests.
    pub inzage: Vec<Arc<dyn InzageBron>>,
    pub bewaring: Vec<Arc<dyn Bewaarbron>>,
    pub klok: Klok,
    /// Where the briefing (`case`) finds open zorgmeldingen (`referral`'s tables).
    pub zorgmeldingen: Arc<dyn ZorgmeldingBron>,
}

impl Default for Onderdelen {
    /// The real parts of every crate.
    fn default() -> Self {
        Self {
            inzage: vec![],
            // Feedback before the meldingen it is on; the processing log last, after
            // the removals it records.
            bewaring: vec![
                Arc::new(ketenregie_feedback::bewaring::Terugkoppelingbron),
                Arc::new(ketenregie_referral::bewaring::Meldingbron),
                Arc::new(ketenregie_case::bewaring::Coordinatiebron),
                Arc::new(ketenregie_case::bewaring::Dossierbron),
                Arc::new(crate::auth::TokenBron),
                Arc::new(crate::idempotentie::IdempotentieBron),
                Arc::new(crate::limieten::QuotumBron),
                Arc::new(ketenregie_privacy::verstrekking::Verstrekkingbron),
                Arc::new(bewaring::Logpartitiebron),
                Arc::new(bewaring::Verwerkingslogbron),
            ],
            klok: Klok::systeem(),
            zorgmeldingen: Arc::new(ketenregie_referral::briefingbron::Briefingbron),
        }
    }
}

pub struct Application {
    server: Server,
    port: u16,
    pool: DbPool,
    /// Development mode: the clock whose demo offset is copied in from the database.
    demoklok: Option<Klok>,
    bewaring: Option<Bewaartaak>,
    scanner: Scanner,
    bezorger: Bezorger,
    /// Seconds between scanner passes, when the job runs.
    scanner_interval: Option<u64>,
    /// Seconds between dispatcher passes, when the job runs.
    bezorger_interval: Option<u64>,
    /// The instance's log writer (issue 17 point 1).
    logschrijver: ketenregie_privacy::logboek::Logschrijver,
    /// Milliseconds between log sealer passes; 0: off (issue 17 point 2).
    verzegel_interval_ms: u64,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartFout {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigFout),
    #[error(transparent)]
    Database(#[from] conn::PoolFout),
    #[error(transparent)]
    Auth(#[from] auth::VerifierFout),
    #[error("privacy keys: {0}")]
    Sleutel(std::io::Error),
    #[error("log writer: {0}")]
    Logschrijver(std::io::Error),
    #[error("notifications: {0}")]
    Bezorging(String),
    #[error("oidc: {0}")]
    Oidc(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

impl Application {
    /// Migrate the database, open the pool, encrypt what older versions stored in plain
    /// text (`VERSLEUTEL_BIJ_START`) and bind the listener. The server runs once
    /// `run_until_stopped` is awaited.
    pub async fn build(config: Config) -> Result<Self, StartFout> {
        Self::build_met(config, Onderdelen::default()).await
    }

    /// Build with the given parts (tests use this to plug in a fixed clock or a fake
    /// inzage source).
    pub async fn build_met(config: Config, onderdelen: Onderdelen) -> Result<Self, StartFout> {
        let url = config.database_url()?;
        let pseudoniemen = web::Data::new(
            crate::verwerking::pseudonimiseerder(&config).map_err(StartFout::Sleutel)?,
        );
        let versleuteling =
            web::Data::new(crate::verwerking::versleuteling(&config).map_err(StartFout::Sleutel)?);
        // Everything done at start, under the start-up lock (`migrate::start`): several
        // instances may start together on one database (issue 14, finding 7).
        let start = Startwerk {
            referentiedata: config.reference_data.load_at_start,
            versleuteling: versleuteling.clone().into_inner(),
            demoklok: config.is_development().then(|| onderdelen.klok.clone()),
            platform: config.auth.platform_organisation.clone(),
        };
        let start_url = url.clone();
        let (applied, gedaan) =
            tokio::task::spawn_blocking(move || migrate::start(&start_url, |c| start.doe(c)))
                .await
                .map_err(|e| conn::PoolFout::Migratie(e.to_string()))??;
        if !applied.is_empty() {
            tracing::info!(migraties = ?applied, "migraties toegepast");
        }
        if let Some(r) = gedaan.referentiedata {
            tracing::info!(
                gemeenten = r.gemeenten_nieuw,
                veilig_thuis = r.organisaties_nieuw.len(),
                twijfel = ?r.twijfel,
                "referentiegegevens geladen"
            );
        }
        if gedaan.platformcode_bezet {
            // Its tokens would act as that organisation (of its kind, under its
            // agreements): refused until the code is changed (README "Identity").
            return Err(StartFout::Config(crate::config::ConfigFout::Ongeldig {
                key: "auth.platform_organisation",
                reason: format!(
                    "`{}` is the code of a registered organisation; the platform's own code is reserved (rule {}): change that organisation's code, or choose another platform code",
                    config.auth.platform_organisation,
                    ketenregie_privacy::register::organisaties::PLATFORMCODE_GERESERVEERD
                ),
            }));
        }
        for (kolom, n) in gedaan.versleuteld.into_iter().filter(|(_, n)| *n > 0) {
            tracing::info!(kolom, aantal = n, "oude waarden versleuteld");
        }
        match gedaan.adressleutels {
            (0, 0) => {}
            (n, 0) => tracing::info!(aantal = n, "adressleutels herberekend"),
            (n, m) => tracing::warn!(
                aantal = n,
                onleesbaar = m,
                "adressleutels herberekend; personen met gegevens die de sleutel niet ontsleutelt houden hun oude adressleutel"
            ),
        }
        let pool = conn::pool_met(
            &url,
            &conn::PoolInstelling {
                max_size: config.database.pool_size,
                verbind_timeout: Duration::from_secs(config.database.connect_timeout_seconds),
            },
        )?;
        // The instance's log writer (issue 17 point 1): the log rows of reads, many
        // requests' in one commit.
        let logschrijver = ketenregie_privacy::logboek::Logschrijver::start(
            pool.clone(),
            ketenregie_privacy::logboek::schrijver::Schrijfinstelling::default(),
        )
        .map_err(StartFout::Logschrijver)?;
        let logschrijver_data = web::Data::new(logschrijver.clone());
        let verifier = web::Data::new(Verifier::from_config(&config)?);
        // The werkplek's production sign-in, when `[oidc]` is configured.
        let oidc = crate::werkplek::oidc::Oidc::uit(&config.oidc)
            .map_err(StartFout::Oidc)?
            .map(web::Data::new);
        let listener = TcpListener::bind(config.server.bind).map_err(|source| StartFout::Bind {
            addr: config.server.bind.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartFout::Bind {
                addr: config.server.bind.to_string(),
                source,
            })?
            .port();

        let klok = web::Data::new(onderdelen.klok.clone());
        let bewaartaak = config.privacy.retention_daily.then(|| Bewaartaak {
            bronnen: onderdelen.bewaring.clone(),
            pseudoniemen: pseudoniemen.clone().into_inner(),
            versleuteling: versleuteling.clone().into_inner(),
            klok: onderdelen.klok.clone(),
        });
        // The zorgmeldingen, the feedback and the case registry are always inzage
        // sources (each domain crate's records, DOMAIN.md §3 flow 7); tests may add their
        // own. They read with the service's key, hence built here rather than in
        // `Onderdelen::default`.
        let mut bronnen = onderdelen.inzage.clone();
        let sleutel = versleuteling.clone().into_inner();
        bronnen.push(Arc::new(ketenregie_referral::inzage::ReferralBron {
            versleuteling: sleutel.clone(),
        }));
        bronnen.push(Arc::new(ketenregie_feedback::inzage::FeedbackBron {
            versleuteling: sleutel.clone(),
        }));
        bronnen.push(Arc::new(ketenregie_case::inzage::CaseBron {
            versleuteling: sleutel,
        }));
        let inzage = web::Data::new(InzageBronnen(bronnen));
        let zorgmeldingen: web::Data<dyn ZorgmeldingBron> =
            web::Data::from(onderdelen.zorgmeldingen.clone());
        let url_regels = UrlRegels {
            ontwikkeling: config.is_development(),
            prive_toegestaan: config.webhooks.allow_private_networks,
        };
        let scanner = Scanner {
            pool: pool.clone(),
            klok: onderdelen.klok.clone(),
            instelling: ScanInstelling {
                herinnering_vooraf: chrono::Duration::hours(i64::from(
                    config.scanner.reminder_lead_hours,
                )),
                ..ScanInstelling::default()
            },
        };
        let email = Email::nieuw(&EmailInstelling {
            transport: config.email_transport_naam().into(),
            map: config.email.file_dir.clone(),
            van: config.email.from.clone(),
            smtp_host: config.email.smtp_host.clone(),
            smtp_port: config.email.smtp_port,
            smtp_tls: config.smtp_tls_naam().into(),
            gebruikersnaam: config.email.smtp_username.clone(),
            wachtwoord: config.email.smtp_password.expose_secret().to_string(),
            timeout: Duration::from_secs(config.email.timeout_seconds),
        })
        .map_err(StartFout::Bezorging)?;
        let webhooks = Webhooks::nieuw(
            Duration::from_secs(config.webhooks.timeout_seconds),
            url_regels,
        )
        .map_err(StartFout::Bezorging)?;
        let bezorger = Bezorger {
            pool: pool.clone(),
            klok: onderdelen.klok.clone(),
            instantie: format!(
                "{}-{}",
                std::process::id(),
                hex::encode(rand::random::<[u8; 4]>())
            ),
            instelling: BezorgInstelling {
                batch: i64::from(config.dispatcher.batch_size),
                max_pogingen: i32::try_from(config.dispatcher.max_attempts).unwrap_or(i32::MAX),
                wachttijd: chrono::Duration::seconds(
                    i64::try_from(config.dispatcher.backoff_seconds).unwrap_or(i64::MAX / 4),
                ),
                lease: chrono::Duration::seconds(
                    i64::try_from(config.dispatcher.lease_seconds).unwrap_or(i64::MAX / 4),
                ),
                gelijktijdig: usize::try_from(config.dispatcher.parallel_sends)
                    .unwrap_or(1)
                    .max(1),
                public_url: config.server.public_url.clone(),
            },
            email: Arc::new(email),
            webhooks: Arc::new(webhooks),
            versleuteling: versleuteling.clone().into_inner(),
        };
        let url_regels = web::Data::new(url_regels);
        let ontwikkeling = web::Data::new(crate::routes::demo_klok::Ontwikkeling(
            config.is_development(),
        ));
        let idempotentie = web::Data::new(crate::idempotentie::IdempotentieInstelling {
            geldig: chrono::Duration::hours(i64::from(config.privacy.idempotency_hours)),
        });
        let limieten = web::Data::new(crate::limieten::Limieten::uit(&config));
        let metrics = web::Data::new(Metrics::new());
        // The instance's cache of the agreements and the partner register (issue 17).
        let stamgegevens = web::Data::new(ketenregie_privacy::stamgegevens::Stamgegevens::nieuw());
        let document = web::Data::new(ApiDocument::new());
        let pool_data = web::Data::new(pool.clone());
        let body_limit = config.server.body_limit_bytes;
        let workers = config.server.workers;
        let gereedheid = web::Data::new(crate::routes::gezondheid::Gereedheid::uit(
            &url,
            config.database.min_free_disk_mb,
        ));
        let verzoektijd = web::Data::new(crate::middleware::Verzoektijd(Duration::from_secs(
            config.server.request_timeout_seconds,
        )));
        let verbinding = crate::verbinding::Verbindingsinstelling {
            kop_timeout: Duration::from_secs(config.server.header_timeout_seconds),
            keep_alive: Duration::from_secs(config.server.keep_alive_seconds),
            pool_verbindingen: pool.max_size() as usize,
        };

        // `verbinding::server` rather than `HttpServer`: it also makes actix's own 431/400
        // answers (a request head too large to parse) problem+json.
        let server = crate::verbinding::server(listener, workers, verbinding, move || {
            App::new()
                .app_data(pool_data.clone())
                .app_data(logschrijver_data.clone())
                .app_data(gereedheid.clone())
                .app_data(verzoektijd.clone())
                .app_data(web::Data::new(crate::middleware::Lichaamsgrens {
                    standaard: body_limit,
                }))
                .app_data(verifier.clone())
                .app_data(metrics.clone())
                .app_data(document.clone())
                .app_data(pseudoniemen.clone())
                .app_data(versleuteling.clone())
                .app_data(stamgegevens.clone())
                .app_data(klok.clone())
                .app_data(inzage.clone())
                .app_data(zorgmeldingen.clone())
                .app_data(url_regels.clone())
                .app_data(ontwikkeling.clone())
                .app_data(idempotentie.clone())
                .app_data(limieten.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(body_limit)
                        .error_handler(json_fout),
                )
                .app_data(web::PayloadConfig::new(body_limit))
                .app_data(web::QueryConfig::default().error_handler(query_fout))
                .app_data(web::PathConfig::default().error_handler(path_fout))
                // Compression outermost: it encodes the body that really leaves, after
                // `kern` has rewritten error bodies as problem+json.
                .wrap(from_fn(crate::middleware::verzoektijd))
                .wrap(from_fn(crate::limieten::per_client))
                .wrap(from_fn(kern))
                .wrap(Compress::default())
                // Outermost: a HEAD goes through everything as its GET
                // (`middleware::HEAD_ALS_GET`).
                .wrap(from_fn(crate::middleware::head_als_get))
                .configure(routes::routes)
                // The werkplek, the web console (issue 16): its own scope at /werkplek.
                .configure(|cfg| {
                    if let Some(o) = &oidc {
                        cfg.app_data(o.clone());
                    }
                })
                .configure(crate::werkplek::routes)
                .default_service(web::to(geen_route))
        })
        .map_err(|source| StartFout::Bind {
            addr: config.server.bind.to_string(),
            source,
        })?;
        Ok(Self {
            server,
            port,
            pool,
            demoklok: config.is_development().then(|| onderdelen.klok.clone()),
            bewaring: bewaartaak,
            scanner,
            bezorger,
            scanner_interval: config
                .scanner
                .enabled
                .then_some(config.scanner.interval_seconds),
            bezorger_interval: config
                .dispatcher
                .enabled
                .then_some(config.dispatcher.interval_seconds),
            logschrijver,
            verzegel_interval_ms: config.privacy.log_seal_interval_ms,
        })
    }

    /// The deadline scanner of this instance (tests run single passes with it).
    pub fn scanner(&self) -> Scanner {
        self.scanner.clone()
    }

    /// The outbox dispatcher of this instance (tests run single passes with it).
    pub fn bezorger(&self) -> Bezorger {
        self.bezorger.clone()
    }

    /// The instance's log writer (tests read its figures and switch on a failure).
    pub fn logschrijver(&self) -> ketenregie_privacy::logboek::Logschrijver {
        self.logschrijver.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }
}
