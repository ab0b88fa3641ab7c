//! The one `Application` builder, used by `main` and by the tests alike: migrations,
//! pool, authentication, routes, middleware and error handlers.

use crate::auth::{self, Verifier};
use crate::config::Config;
use crate::metrics::Metrics;
use crate::middleware::kern;
use crate::openapi::{self, MethodeTabel};
use crate::problem::AppError;
use crate::routes::verwerkingen::InzageBronnen;
use crate::routes::{
    abonnementen, berichten, betrokkenheden, bewaartermijnen, briefings, contactpunten,
    convenanten, dode_berichten, eigen_verklaringen, gezinnen, gezondheid, incidenten,
    organisaties, personen, rapportages, terugkoppelingen, verwerkingen, zorgmeldingen,
};
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

use crate::middleware::ZORGMELDING_MAX_BODY;

/// The OpenAPI document, rendered once, and the method table derived from it.
#[derive(Debug, Clone)]
pub struct ApiDocument {
    pub json: Arc<String>,
    pub methodes: Arc<MethodeTabel>,
}

impl ApiDocument {
    pub fn new() -> Self {
        let doc = openapi::document_json();
        Self {
            methodes: Arc::new(MethodeTabel::uit(&doc, API_PREFIX)),
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
            bewaring: vec![
                Arc::new(bewaring::Verwerkingslogbron),
                Arc::new(crate::idempotentie::IdempotentieBron),
                Arc::new(crate::limieten::QuotumBron),
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
}

/// The work done at start after the migrations, under the start-up lock (`migrate::start`).
struct Startwerk {
    /// Load the shipped reference data into an empty database.
    referentiedata: bool,
    /// `VERSLEUTEL_BIJ_START`: encrypt values older versions stored in plain text.
    versleuteling: Arc<ketenregie_privacy::versleuteling::Versleuteling>,
    /// Development mode: the clock that takes the stored demo offset.
    demoklok: Option<Klok>,
}

/// What `Startwerk` did.
struct Startverslag {
    referentiedata: Option<ketenregie_store::referentie::Importrapport>,
    versleuteld: Vec<(String, usize)>,
}

impl Startwerk {
    fn doe(self, c: &mut ketenregie_store::DbConnection) -> Result<Startverslag, conn::PoolFout> {
        let fout = |e: &dyn std::fmt::Display| conn::PoolFout::Migratie(e.to_string());
        let referentiedata = if self.referentiedata {
            ketenregie_store::referentie::laad_als_leeg(c).map_err(|e| fout(&e))?
        } else {
            None
        };
        // One transaction, begun deferred: on a database with nothing left to encrypt it
        // only reads, so an instance on a read-only database still starts (and says it is
        // not ready). Other instances wait on the start-up lock (PostgreSQL); SQLite
        // serves one instance.
        let v = self.versleuteling.clone();
        let versleuteld =
            diesel::Connection::transaction(c, |c| crate::verwerking::versleutel_rest(c, &v))?;
        if let Some(klok) = &self.demoklok {
            klok.zet_demo_verschuiving(crate::routes::demo_klok::lees(c)?);
        }
        Ok(Startverslag {
            referentiedata,
            versleuteld,
        })
    }
}

/// Apply the retention rules (`bewaring::voer_uit`) one source at a time, each in its own
/// write transaction (`conn::schrijf`: on SQLite `BEGIN IMMEDIATE`, so it never fails
/// half-way on a busy database while the service or the CLI writes too). Used by the daily
/// job and by `ketenregie retention run`.
pub fn bewaring_uitvoeren(
    c: &mut ketenregie_store::DbConnection,
    bronnen: &[Arc<dyn Bewaarbron>],
    pseudoniemen: Arc<ketenregie_privacy::pseudoniem::Pseudonimiseerder>,
    versleuteling: Arc<ketenregie_privacy::versleuteling::Versleuteling>,
    nu: chrono::DateTime<chrono::Utc>,
    proef: bool,
) -> diesel::QueryResult<bewaring::Opruimrapport> {
    let mut rapport = bewaring::Opruimrapport::default();
    for bron in bronnen.chunks(1) {
        let deel = conn::schrijf(c, |c| {
            bewaring::voer_uit(
                c,
                bron,
                pseudoniemen.clone(),
                versleuteling.clone(),
                nu,
                proef,
            )
        })?;
        rapport.per_soort.extend(deel.per_soort);
    }
    Ok(rapport)
}

/// What the daily retention job needs.
#[derive(Clone)]
struct Bewaartaak {
    bronnen: Vec<Arc<dyn Bewaarbron>>,
    pseudoniemen: Arc<ketenregie_privacy::pseudoniem::Pseudonimiseerder>,
    versleuteling: Arc<ketenregie_privacy::versleuteling::Versleuteling>,
    klok: Klok,
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
    #[error("notifications: {0}")]
    Bezorging(String),
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
        for (kolom, n) in gedaan.versleuteld.into_iter().filter(|(_, n)| *n > 0) {
            tracing::info!(kolom, aantal = n, "oude waarden versleuteld");
        }
        let pool = conn::pool_met(
            &url,
            &conn::PoolInstelling {
                max_size: config.database.pool_size,
                verbind_timeout: Duration::from_secs(config.database.connect_timeout_seconds),
            },
        )?;
        let verifier = web::Data::new(Verifier::from_config(&config)?);
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
        // The case registry is always an inzage source; tests may add their own.
        let mut bronnen = onderdelen.inzage.clone();
        bronnen.push(Arc::new(ketenregie_case::inzage::CaseBron {
            versleuteling: versleuteling.clone().into_inner(),
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
        };

        // `verbinding::server` rather than `HttpServer`: it also makes actix's own 431/400
        // answers (a request head too large to parse) problem+json.
        let server = crate::verbinding::server(listener, workers, verbinding, move || {
            App::new()
                .app_data(pool_data.clone())
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
                .configure(routes)
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

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Serve until a shutdown signal, with the background jobs of this instance: the
    /// sweep of expired token ids, the deadline scanner, the dispatcher, the daily retention
    /// run and (development mode) the copy of the stored demo clock.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let pool = self.pool.clone();
        herhaal(Duration::from_secs(600), true, move || {
            let p = pool.clone();
            async move {
                let _ = web::block(move || {
                    let mut c = conn::haal(&p).ok()?;
                    ketenregie_store::tokens::opruimen(
                        &mut c,
                        ketenregie_common::time::to_db(ketenregie_common::time::now_utc()),
                    )
                    .ok()
                })
                .await;
            }
        });
        // Development mode: every instance follows the demo clock stored in the database
        // within a second, and copies it in before each scanner and dispatcher pass, so
        // the scanners of several instances agree about the time.
        let demoklok = self.demoklok.clone().map(|k| (self.pool.clone(), k));
        if let Some((p, k)) = demoklok.clone() {
            herhaal(Duration::from_secs(1), true, move || {
                let (p, k) = (p.clone(), k.clone());
                async move {
                    if let Err(e) = crate::routes::demo_klok::ververs(&p, &k).await {
                        tracing::debug!(fout = %e, "demoklok niet gelezen");
                    }
                }
            });
        }
        if let Some(s) = self.scanner_interval {
            let (scanner, demoklok) = (self.scanner.clone(), demoklok.clone());
            herhaal(Duration::from_secs(s), true, move || {
                let (scanner, demoklok) = (scanner.clone(), demoklok.clone());
                async move {
                    volg_demoklok(&demoklok).await;
                    match scanner.ronde().await {
                        Ok(r) if r != Default::default() => tracing::info!(
                            herinneringen = r.herinneringen,
                            escalaties = r.escalaties,
                            laatmeldingen = r.laatmeldingen,
                            "termijnen gescand"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::error!(fout = %e, "termijnen scannen mislukt"),
                    }
                }
            });
        }
        if let Some(s) = self.bezorger_interval {
            let (bezorger, demoklok) = (self.bezorger.clone(), demoklok.clone());
            herhaal(Duration::from_secs(s), true, move || {
                let (bezorger, demoklok) = (bezorger.clone(), demoklok.clone());
                async move {
                    volg_demoklok(&demoklok).await;
                    match bezorger.ronde().await {
                        Ok(r) if r != Default::default() => tracing::info!(
                            afgeleverd = r.afgeleverd,
                            mislukt = r.mislukt,
                            "berichten bezorgd"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::error!(fout = %e, "berichten bezorgen mislukt"),
                    }
                }
            });
        }
        if let Some(taak) = self.bewaring.clone() {
            let pool = self.pool.clone();
            // Not at start-up: an upgrade should not begin by deleting.
            herhaal(Duration::from_secs(24 * 3600), false, move || {
                let (p, t) = (pool.clone(), taak.clone());
                async move {
                    let uitkomst = web::block(move || {
                        let mut c = conn::haal(&p).map_err(|e| e.to_string())?;
                        bewaring_uitvoeren(
                            &mut c,
                            &t.bronnen,
                            t.pseudoniemen,
                            t.versleuteling,
                            t.klok.nu(),
                            false,
                        )
                        .map_err(|e| e.to_string())
                    })
                    .await;
                    match uitkomst {
                        Ok(Ok(r)) => {
                            tracing::info!(opgeruimd = ?r.per_soort, "bewaartermijnen toegepast")
                        }
                        Ok(Err(e)) => {
                            tracing::error!(fout = %e, "bewaartermijnen toepassen mislukt")
                        }
                        Err(e) => tracing::error!(fout = %e, "bewaartermijnen toepassen mislukt"),
                    }
                }
            });
        }
        self.server.await
    }
}

/// A background job: `ronde` every `elke`, the first time at once (`direct`) or after one
/// interval. A pass that overruns delays the next one instead of piling up.
fn herhaal<F, T>(elke: Duration, direct: bool, mut ronde: F)
where
    F: FnMut() -> T + 'static,
    T: std::future::Future<Output = ()> + 'static,
{
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(elke);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        if !direct {
            tick.tick().await;
        }
        loop {
            tick.tick().await;
            ronde().await;
        }
    });
}

/// Copy the stored demo clock in (development mode) before a pass that reads the time.
async fn volg_demoklok(demoklok: &Option<(DbPool, Klok)>) {
    if let Some((p, k)) = demoklok
        && let Err(e) = crate::routes::demo_klok::ververs(p, k).await
    {
        tracing::debug!(fout = %e, "demoklok niet gelezen");
    }
}

/// A resource whose unmatched methods answer 405 with `Allow`.
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(geen_route))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(gezondheid::live))
        .route("/health/ready", web::get().to(gezondheid::ready))
        .route("/metrics", web::get().to(gezondheid::metrics))
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                // No online validator: Swagger UI would send the document's URL (and so
                // the internal host name) to validator.swagger.io.
                .config(
                    utoipa_swagger_ui::Config::from("/api/v1/openapi.json").validator_url("none"),
                ),
        )
        .service(
            web::scope(API_PREFIX)
                // Authentication first (outer), then the per-user rate limit on its outcome.
                .wrap(from_fn(crate::limieten::per_gebruiker))
                .wrap(from_fn(auth::authenticate))
                // One body policy (content type, size) before anything reads a body.
                .wrap(from_fn(crate::middleware::lichaamsbeleid))
                .service(resource("/openapi.json").route(web::get().to(openapi_document)))
                .service(
                    resource("/organisaties")
                        .route(web::get().to(organisaties::lijst))
                        .route(web::post().to(organisaties::registreer)),
                )
                .service(
                    resource("/organisaties/{id}")
                        .route(web::get().to(organisaties::een))
                        .route(web::put().to(organisaties::wijzig)),
                )
                .service(
                    resource("/organisaties/{id}/contactpunten")
                        .route(web::post().to(contactpunten::voeg_toe)),
                )
                .service(resource("/contactpunten").route(web::get().to(contactpunten::zoek)))
                .service(
                    resource("/contactpunten/{id}")
                        .route(web::get().to(contactpunten::een))
                        .route(web::put().to(contactpunten::wijzig))
                        .route(web::delete().to(contactpunten::verwijder)),
                )
                .service(
                    resource("/convenanten")
                        .route(web::get().to(convenanten::lijst))
                        .route(web::post().to(convenanten::maak)),
                )
                .service(
                    resource("/convenanten/{id}")
                        .route(web::get().to(convenanten::een))
                        .route(web::put().to(convenanten::wijzig)),
                )
                .service(
                    resource("/convenanten/{id}/versies")
                        .route(web::post().to(convenanten::nieuwe_versie)),
                )
                .service(
                    resource("/convenanten/{id}/ondertekeningen")
                        .route(web::post().to(convenanten::onderteken)),
                )
                .service(
                    resource("/convenanten/{id}/uittredingen")
                        .route(web::post().to(convenanten::treed_uit)),
                )
                .service(
                    resource("/convenanten/{id}/intrekkingen")
                        .route(web::post().to(convenanten::trek_in)),
                )
                .service(
                    resource("/convenanten/{id}/audittrail")
                        .route(web::get().to(convenanten::audittrail)),
                )
                .service(resource("/verwerkingen/_zoek").route(web::post().to(verwerkingen::zoek)))
                .service(
                    resource("/verwerkingen/doorbraken")
                        .route(web::get().to(verwerkingen::doorbraken)),
                )
                .service(
                    resource("/personen/{id}/inzage").route(web::get().to(verwerkingen::inzage)),
                )
                .service(
                    resource("/personen/{id}/eigen-verklaringen")
                        .route(web::get().to(eigen_verklaringen::lijst))
                        .route(web::post().to(eigen_verklaringen::voeg_toe)),
                )
                .service(
                    resource("/zorgmeldingen")
                        // A melding may carry long texts: a larger body is allowed here so
                        // that an over-long field is a 400 naming it, not a bare 413.
                        .app_data(web::PayloadConfig::new(ZORGMELDING_MAX_BODY))
                        .route(web::get().to(zorgmeldingen::lijst))
                        .route(web::post().to(zorgmeldingen::maak)),
                )
                .service(
                    resource("/zorgmeldingen/{id}")
                        .app_data(
                            web::JsonConfig::default()
                                .limit(ZORGMELDING_MAX_BODY)
                                .error_handler(json_fout),
                        )
                        .route(web::get().to(zorgmeldingen::een))
                        .route(web::put().to(zorgmeldingen::wijzig)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/indieningen")
                        .route(web::post().to(zorgmeldingen::indien)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/kwaliteitsbeoordelingen")
                        .route(web::post().to(zorgmeldingen::kwaliteit)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/ontvangsten")
                        .route(web::post().to(zorgmeldingen::ontvang)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/beoordelingen")
                        .route(web::post().to(zorgmeldingen::beoordeel)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/overdrachten")
                        .route(web::post().to(zorgmeldingen::draag_over)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/acceptaties")
                        .route(web::post().to(zorgmeldingen::accepteer)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/afwijzingen")
                        .route(web::post().to(zorgmeldingen::wijs_af)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/afsluitingen")
                        .route(web::post().to(zorgmeldingen::sluit_af)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/annuleringen")
                        .route(web::post().to(zorgmeldingen::annuleer)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/opschortingen")
                        .route(web::post().to(zorgmeldingen::schort_op)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/hervattingen")
                        .route(web::post().to(zorgmeldingen::hervat)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/mislukkingen")
                        .route(web::post().to(zorgmeldingen::mislukt)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/stappen")
                        .route(web::get().to(zorgmeldingen::stappen)),
                )
                .service(
                    resource("/kwaliteitscontrole")
                        .route(web::put().to(zorgmeldingen::zet_kwaliteitscontrole)),
                )
                .service(resource("/personen").route(web::post().to(personen::registreer)))
                .service(
                    resource("/personen/{id}")
                        .wrap(from_fn(crate::limieten::quotum_persoon))
                        .route(web::get().to(personen::een)),
                )
                .service(
                    resource("/personen/{id}/gezag")
                        .route(web::post().to(personen::gezag_vastleggen))
                        .route(web::get().to(personen::gezag_lijst)),
                )
                .service(resource("/gezinnen").route(web::post().to(gezinnen::maak)))
                .service(resource("/gezinnen/{id}").route(web::get().to(gezinnen::een)))
                .service(
                    resource("/gezinnen/{id}/beschikkingen")
                        .route(web::post().to(gezinnen::beschikking)),
                )
                .service(
                    resource("/gezinnen/{id}/regelingen").route(web::post().to(gezinnen::regeling)),
                )
                .service(resource("/incidenten").route(web::post().to(incidenten::maak)))
                .service(resource("/incidenten/{id}").route(web::get().to(incidenten::een)))
                .service(
                    resource("/incidenten/{id}/verklaringen")
                        .route(web::post().to(incidenten::verklaring)),
                )
                .service(
                    resource("/incidenten/{id}/wederhoor")
                        .route(web::put().to(incidenten::wederhoor)),
                )
                .service(
                    resource("/betrokkenheden").route(web::post().to(betrokkenheden::registreer)),
                )
                .service(
                    resource("/betrokkenheden/{id}")
                        .route(web::delete().to(betrokkenheden::beeindig)),
                )
                .service(resource("/matches").route(web::get().to(betrokkenheden::lijst)))
                .service(resource("/matches/{id}").route(web::get().to(betrokkenheden::een)))
                .service(
                    resource("/briefings/_zoek")
                        .wrap(from_fn(crate::limieten::quotum_briefing))
                        .route(web::post().to(briefings::zoek)),
                )
                .service(
                    resource("/demo-klok/verschuivingen")
                        .route(web::post().to(crate::routes::demo_klok::verschuif)),
                )
                .service(
                    resource("/zorgmeldingen/{id}/terugkoppelingen")
                        .route(web::get().to(terugkoppelingen::lijst))
                        .route(web::post().to(terugkoppelingen::geef)),
                )
                .service(
                    resource("/abonnementen")
                        .route(web::get().to(abonnementen::lijst))
                        .route(web::post().to(abonnementen::maak)),
                )
                .service(
                    resource("/abonnementen/{id}")
                        .route(web::get().to(abonnementen::een))
                        .route(web::delete().to(abonnementen::verwijder)),
                )
                .service(resource("/dode-berichten").route(web::get().to(dode_berichten::lijst)))
                .service(
                    resource("/dode-berichten/{id}/_opnieuw")
                        .route(web::post().to(dode_berichten::opnieuw)),
                )
                .service(
                    resource("/rapportages/terugkoppeling")
                        .route(web::get().to(rapportages::terugkoppeling)),
                )
                .service(resource("/berichten").route(web::get().to(berichten::lijst)))
                .service(
                    resource("/quotumoverschrijdingen/{id}")
                        .route(web::get().to(crate::routes::quotumoverschrijdingen::een)),
                )
                .service(
                    resource("/termijnen").route(web::get().to(zorgmeldingen::termijnen_lijst)),
                )
                .service(resource("/bewaartermijnen").route(web::get().to(bewaartermijnen::lijst)))
                .service(
                    resource("/bewaartermijnen/{soort}").route(web::put().to(bewaartermijnen::zet)),
                )
                .configure(crate::routes::sluitingsdagen::routes)
                .default_service(web::to(geen_route)),
        );
}

/// The OpenAPI document: public, and readable from any origin (API rule).
async fn openapi_document(doc: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(doc.json.as_str().to_owned())
}

/// No route answered: 405 with `Allow` for a known path, else 404 (also for a trailing
/// slash: `/organisaties/` is not `/organisaties`).
async fn geen_route(
    req: HttpRequest,
    doc: web::Data<ApiDocument>,
) -> Result<HttpResponse, AppError> {
    match doc.methodes.toegestaan(req.path()) {
        Some(allow) => Err(AppError::MethodeNietToegestaan { allow }),
        None => Err(AppError::NietGevonden(format!(
            "Er is geen resource op {}; controleer het pad (zonder slash aan het eind) in /api/v1/openapi.json",
            req.path()
        ))),
    }
}

/// The field named in a serde message like "unknown field `foo`, expected ...".
fn veld_uit(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(msg[start..start + len].to_string())
}

fn json_fout(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        JsonPayloadError::ContentType => AppError::MediaType(
            "Stuur de body als JSON met `Content-Type: application/json`".into(),
        ),
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            AppError::TeGroot(format!("De body is groter dan {limit} bytes"))
        }
        JsonPayloadError::Deserialize(e) => {
            let msg = e.to_string();
            let veld = if msg.contains("field") {
                veld_uit(&msg)
            } else {
                None
            };
            AppError::ongeldig(
                veld.as_deref().unwrap_or("body"),
                if e.is_syntax() || e.is_eof() {
                    "json"
                } else {
                    "schema"
                },
                format!("De JSON-body klopt niet: {msg}"),
            )
        }
        other => AppError::ongeldig("body", "json", format!("De body is onleesbaar: {other}")),
    }
    .into()
}

fn query_fout(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let msg = match &err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    let veld = veld_uit(&msg).unwrap_or_else(|| "query".into());
    let code = if msg.contains("unknown field") {
        "unknown"
    } else {
        "invalid"
    };
    AppError::ongeldig(&veld, code, format!("Ongeldige queryparameter: {msg}")).into()
}

fn path_fout(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    AppError::ongeldig(
        "id",
        "format",
        format!("Ongeldige padparameter: {err}; verwacht een UUID"),
    )
    .into()
}
