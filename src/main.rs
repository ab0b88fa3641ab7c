//! The `ketenregie` command: a thin CLI over the crates. See `ketenregie --help`.

use clap::{Parser, Subcommand};
use ketenregie_api::config::{Config, DEFAULTS};
use ketenregie_api::{Application, dev_token, telemetry};
use std::path::PathBuf;

mod demo;
mod genereer;
mod sleutelmateriaal;
mod sleutels;
use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: the service allocates many small, short-lived
/// buffers per request (rows, JSON, SQL text) on several threads at once, and glibc's
/// arenas spent a tenth of the logged read's service CPU in `malloc`/`free` and their
/// consolidation (perf of the release binary, issue 17, benches/load/KETEN.md "h18").
/// MIT-licensed, kept by Microsoft Research; the library crates do not choose an
/// allocator, only this binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `--version`: the version and the build profile, so an operator (and the benchmark
/// scripts, which refuse to report a debug build as a release figure) can tell which
/// build runs.
#[cfg(debug_assertions)]
const VERSIE: &str = concat!(env!("CARGO_PKG_VERSION"), " (debug build)");
#[cfg(not(debug_assertions))]
const VERSIE: &str = concat!(env!("CARGO_PKG_VERSION"), " (release build)");

#[derive(Parser)]
#[command(
    name = "ketenregie",
    version = VERSIE,
    about = "Ketenregie: police, Veilig Thuis, jeugdzorg, OM and wijkteams working one case together."
)]
struct Cli {
    /// A TOML configuration file; `KETENREGIE_*` environment variables override it.
    #[arg(long, global = true, env = "KETENREGIE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default): migrates the database first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (the committed openapi/openapi.json).
    Openapi,
    /// Print a development token (development mode only).
    Token {
        /// The organisation's code, as registered in /api/v1/organisaties.
        #[arg(long)]
        organisatie: String,
        /// A role; repeat for several (noodhulp, wijkagent, triagist, functioneel-beheerder, ...).
        #[arg(long = "rol", required = true)]
        rollen: Vec<String>,
        /// The user id (`sub`).
        #[arg(long, default_value = "dev-gebruiker")]
        gebruiker: String,
        /// The display name.
        #[arg(long, default_value = "Ontwikkelaar")]
        naam: String,
        /// Minutes the token stays valid (at most `auth.max_lifetime_seconds`).
        #[arg(long, default_value_t = 60)]
        geldig_minuten: i64,
    },
    /// Load the reference data (municipalities, Veilig Thuis areas) idempotently: a second
    /// run changes nothing; changed rows are updated and reported.
    Import {
        /// A municipalities CSV (default: the one shipped in the binary, data/refdata/).
        #[arg(long)]
        gemeenten: Option<PathBuf>,
        /// A Veilig Thuis areas CSV (default: the shipped one).
        #[arg(long)]
        veilig_thuis: Option<PathBuf>,
    },
    /// Set up the Haaglanden pilot region on an empty database (reference data, partner
    /// organisations, contact points, an active pilot agreement, synthetic families) and
    /// print a development token per demo role. Development mode only.
    Demo {
        /// Empty the database first (everything in it is lost).
        #[arg(long)]
        reset: bool,
    },
    /// Generate synthetic national-scale case data for the briefing benchmark into an
    /// empty database (benches/load/BRIEFING.md). Never on a production database.
    Genereer {
        /// Families (two parents and a child each).
        #[arg(long, default_value_t = 300_000)]
        gezinnen: usize,
        /// Police records of a parent (all incidents involve these).
        #[arg(long, default_value_t = 100_000)]
        politie_personen: usize,
        #[arg(long, default_value_t = 3_000_000)]
        incidenten: usize,
        /// Where to write a sample of search keys (CSV) for the load client.
        #[arg(long, default_value = "briefing-sleutels.csv")]
        sleutels: PathBuf,
    },
    /// The audit trail and the processing log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Keys: production keys and the identity provider's JWKS (`genereer`, `jwks`), and the
    /// look-up keys and identities derived from names (`herbereken`).
    Sleutels {
        #[command(subcommand)]
        command: SleutelsCommand,
    },
    /// Retention: remove what has outlived its term.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Validate the configuration and print it with secrets masked.
    CheckConfig {
        /// Print the built-in defaults (the configuration reference) instead.
        #[arg(long)]
        defaults: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk every hash chain of both logs, each against its head: report the first edited,
    /// inserted or removed row (exit code 1). With --tegen, also check that every chain
    /// still extends an earlier checkpoint (catches a chain rewound or removed with its head).
    Verify {
        /// A checkpoint file printed earlier by `ketenregie audit checkpoint`.
        #[arg(long, value_name = "FILE")]
        tegen: Option<PathBuf>,
    },
    /// Verify, then print every chain head as JSON (an external checkpoint): keep it
    /// outside the database, and check against it later with `audit verify --tegen`.
    Checkpoint,
    /// Seal every unsealed log row now (link it into its hash chain), as the service's
    /// sealer does every `privacy.log_seal_interval_ms`: before a checkpoint that should
    /// cover the latest rows, or when no instance runs.
    Seal,
    /// Write one organisation's part of both logs as JSON Lines, with the chain hashes, for
    /// its own archive or SIEM; verifiable outside the service with SHA-256 alone (README
    /// "Exporting the logs"). To stdout; a summary on stderr.
    Export {
        /// The organisation's code (its chains `CODE` and `CODE#n`).
        #[arg(long, value_name = "CODE")]
        organisatie: String,
        /// First Dutch calendar day (YYYY-MM-DD, Europe/Amsterdam), inclusive.
        #[arg(long, value_name = "DATUM")]
        van: chrono::NaiveDate,
        /// Last Dutch calendar day (YYYY-MM-DD), inclusive.
        #[arg(long, value_name = "DATUM")]
        tot: chrono::NaiveDate,
    },
}

#[derive(Subcommand)]
enum SleutelsCommand {
    /// Print two new random keys for production, as the environment lines that set them
    /// (`KETENREGIE_PRIVACY__PSEUDONYM_KEY=...`, `KETENREGIE_PRIVACY__ENCRYPTION_KEY=...`).
    /// Keep them in a secret store: data encrypted or pseudonymised with them cannot be
    /// read or found without them. Needs no configuration.
    Genereer,
    /// Print a JWKS (for `auth.jwks_file`) with the identity provider's RSA public key
    /// (PEM) under `--kid`, for RS256. Needs no configuration.
    Jwks {
        /// The RSA public key in PEM (`-----BEGIN PUBLIC KEY-----`).
        #[arg(long, value_name = "FILE")]
        pem: PathBuf,
        /// The key id the identity provider puts in its tokens' `kid`.
        #[arg(long)]
        kid: String,
    },
    /// Re-derive every name-derived look-up key and identity from the decrypted values
    /// under the current normalisation (after an upgrade that changed it); idempotent.
    Herbereken {
        /// Only count what would change.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Apply the retention rules now; with --dry-run only count what would go.
    Run {
        #[arg(long)]
        dry_run: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::CheckConfig { defaults: true }) = cli.command {
        print!("{DEFAULTS}");
        return ExitCode::SUCCESS;
    }
    // Key material is made before there is a configuration to load.
    let zonder_config = match &cli.command {
        Some(Command::Sleutels {
            command: SleutelsCommand::Genereer,
        }) => Some(sleutelmateriaal::genereer()),
        Some(Command::Sleutels {
            command: SleutelsCommand::Jwks { pem, kid },
        }) => Some(
            std::fs::read(pem)
                .map_err(|e| anyhow::anyhow!("{}: {e}", pem.display()))
                .and_then(|p| sleutelmateriaal::jwks(&p, kid)),
        ),
        _ => None,
    };
    if let Some(uitkomst) = zonder_config {
        return match uitkomst {
            Ok(tekst) => {
                print!("{tekst}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(cli.command.unwrap_or(Command::Serve), config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(config),
        Command::Migrate => {
            telemetry::init(&config, telemetry::Uitvoer::Opdracht);
            let url = config.database_url()?;
            let applied = ketenregie_store::migrate::run(&url)?;
            println!("{} migration(s) applied to {}", applied.len(), url.masked());
            for m in applied {
                println!("  {m}");
            }
            Ok(())
        }
        Command::Openapi => {
            print!("{}", ketenregie_api::openapi::document_text());
            Ok(())
        }
        Command::Token {
            organisatie,
            rollen,
            gebruiker,
            naam,
            geldig_minuten,
        } => {
            anyhow::ensure!(
                config.is_development(),
                "development tokens exist only in development mode; this configuration says production"
            );
            anyhow::ensure!(
                geldig_minuten > 0
                    && u64::try_from(geldig_minuten)? * 60 <= config.auth.max_lifetime_seconds,
                "--geldig-minuten must be between 1 and {} (auth.max_lifetime_seconds / 60): the service refuses longer-lived tokens",
                config.auth.max_lifetime_seconds / 60
            );
            // Refuse what the service would refuse later: an unknown role, the role
            // `platformbeheerder` outside the platform organisation (403, rule
            // PLATFORMBEHEER_EIGEN_ORGANISATIE), or an organisation that is not registered
            // in this database (401, ORGANISATIE_GEREGISTREERD).
            let platform = &config.auth.platform_organisation;
            anyhow::ensure!(
                organisatie == *platform || !rollen.iter().any(|r| r == "platformbeheerder"),
                "the role `platformbeheerder` is only for the platform organisation `{platform}` (auth.platform_organisation; rule {})",
                ketenregie_api::auth::PLATFORMBEHEER_EIGEN_ORGANISATIE
            );
            for rol in &rollen {
                anyhow::ensure!(
                    rol.parse::<ketenregie_common::Rol>().is_ok(),
                    "unknown role `{rol}`; the roles are: {}",
                    <ketenregie_common::Rol as strum::VariantNames>::VARIANTS.join(", ")
                );
            }
            {
                let url = config.database_url()?;
                ketenregie_store::migrate::run(&url)?;
                let mut conn = url.connect()?;
                let bekend =
                    ketenregie_store::directory::organisatie_op_code(&mut conn, &organisatie)?
                        .is_some();
                anyhow::ensure!(
                    bekend || organisatie == *platform,
                    "organisation `{organisatie}` is not registered in this database (see GET /api/v1/organisaties, or run `ketenregie demo`)"
                );
            }
            let secret = dev_token::secret(&config.auth.dev_secret_file)?;
            let token = dev_token::maak(
                &secret,
                &config.auth.issuer,
                &config.auth.audience,
                &dev_token::TokenAanvraag {
                    organisatie,
                    rollen,
                    gebruiker,
                    naam,
                    applicatie: "ketenregie-cli".into(),
                    geldig_seconden: geldig_minuten * 60,
                },
            );
            println!("{token}");
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { tegen },
        } => {
            use ketenregie_privacy::verificatie;
            // Read the checkpoint first: a file that cannot be read is an error (exit 1)
            // before anything is checked.
            let ijkpunt: Option<verificatie::Ijkpunt> = match &tegen {
                Some(pad) => Some(
                    serde_json::from_str(
                        &std::fs::read_to_string(pad)
                            .map_err(|e| anyhow::anyhow!("{}: {e}", pad.display()))?,
                    )
                    .map_err(|e| anyhow::anyhow!("{}: not a checkpoint: {e}", pad.display()))?,
                ),
                None => None,
            };
            let url = config.database_url()?;
            let mut conn = url.connect()?;
            let v = match verificatie::verifieer(&mut conn)? {
                Ok(v) => v,
                Err(b) => {
                    println!("BROKEN: {b}");
                    std::process::exit(1);
                }
            };
            println!(
                "ok: {} audit rows and {} processing-log rows in {} chains verified",
                v.audit_rijen, v.verwerking_rijen, v.ketens
            );
            // The unsealed window (issue 17 point 2): committed rows no hash covers yet.
            let o = &v.onverzegeld;
            let tot = o
                .verzegeld_tot
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                .unwrap_or_else(|| "-".into());
            match o.oudste {
                None => println!("sealed up to {tot}; unsealed: none"),
                Some(oudste) => println!(
                    "sealed up to {tot}; unsealed: {} audit rows and {} processing-log rows, the oldest {:.1} s old (not yet covered by a hash)",
                    o.audit_rijen,
                    o.verwerking_rijen,
                    (ketenregie_common::time::now_utc() - oudste).num_milliseconds() as f64
                        / 1000.0
                ),
            }
            if let Some(ij) = ijkpunt {
                if !ij.klopt() {
                    println!(
                        "BROKEN: the checkpoint file does not match its own digest: it was altered"
                    );
                    std::process::exit(1);
                }
                match verificatie::verifieer_tegen(&mut conn, &ij)? {
                    Ok(n) => println!(
                        "ok: every chain extends the checkpoint of {} ({n} chains)",
                        ij.aangemaakt_op
                    ),
                    Err(b) => {
                        println!("BROKEN: {b}");
                        std::process::exit(1);
                    }
                }
            }
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Seal,
        } => {
            let url = config.database_url()?;
            let mut conn = url.connect()?;
            let n = ketenregie_privacy::logboek::verzegelaar::verzegel_alles(&mut conn)?;
            println!("sealed: {n} rows");
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Checkpoint,
        } => {
            use ketenregie_privacy::verificatie;
            let url = config.database_url()?;
            let mut conn = url.connect()?;
            if let Err(b) = verificatie::verifieer(&mut conn)? {
                eprintln!("BROKEN: {b}");
                eprintln!("error: no checkpoint of a broken log");
                std::process::exit(1);
            }
            let ij = verificatie::ijkpunt(&mut conn, ketenregie_common::time::now_utc())?;
            println!("{}", serde_json::to_string_pretty(&ij)?);
            Ok(())
        }
        Command::Audit {
            command:
                AuditCommand::Export {
                    organisatie,
                    van,
                    tot,
                },
        } => {
            use ketenregie_common::werkdagen::begin_van_dag;
            use ketenregie_privacy::verificatie;
            use std::io::Write;
            anyhow::ensure!(tot >= van, "--tot {tot} is before --van {van}");
            let url = config.database_url()?;
            let mut conn = url.connect()?;
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let e = verificatie::exporteer(
                &mut conn,
                &organisatie,
                begin_van_dag(van),
                begin_van_dag(tot + chrono::Days::new(1)),
                |regel| writeln!(stdout, "{regel}"),
            )?;
            stdout.flush()?;
            eprintln!(
                "{} audit rows and {} processing-log rows of `{organisatie}` from {van} to {tot} written",
                e.audit_rijen, e.verwerking_rijen
            );
            Ok(())
        }
        Command::Sleutels {
            command: SleutelsCommand::Genereer | SleutelsCommand::Jwks { .. },
        } => unreachable!("handled before the configuration is loaded"),
        Command::Sleutels {
            command: SleutelsCommand::Herbereken { dry_run },
        } => {
            let url = config.database_url()?;
            ketenregie_store::migrate::run(&url)?;
            let mut conn = url.connect()?;
            let v = ketenregie_api::verwerking::versleuteling(&config)?;
            let p = ketenregie_api::verwerking::pseudonimiseerder(&config)?;
            let r = sleutels::herbereken(
                &mut conn,
                &v,
                &p,
                ketenregie_common::time::now_utc(),
                dry_run,
            )?;
            let werkwoord = if dry_run { "would change" } else { "changed" };
            println!(
                "persons: {} read, {} {werkwoord} ({} involvements)",
                r.personen, r.personen_gewijzigd, r.betrokkenheden_gewijzigd
            );
            println!(
                "zorgmeldingen: {} read, {} {werkwoord}",
                r.zorgmeldingen, r.zorgmeldingen_gewijzigd
            );
            println!(
                "feedback items: {} {werkwoord}",
                r.terugkoppelingen_gewijzigd
            );
            println!(
                "identities re-derived: {} (the processing log is found under the old pseudonyms too)",
                r.identiteiten_herleid
            );
            if r.nieuwe_overeenkomsten > 0 {
                println!(
                    "note: {} identities now have active involvements of several organisations; matching is not re-run, re-register them to notify",
                    r.nieuwe_overeenkomsten
                );
            }
            Ok(())
        }
        Command::Demo { reset } => demo::run(config, reset),
        Command::Genereer {
            gezinnen,
            politie_personen,
            incidenten,
            sleutels,
        } => {
            anyhow::ensure!(
                config.is_development(),
                "synthetic data only in development mode; this configuration says production"
            );
            let url = config.database_url()?;
            ketenregie_store::migrate::run(&url)?;
            let v = ketenregie_api::verwerking::versleuteling(&config)?;
            let mut conn = url.connect()?;
            genereer::genereer(
                &mut conn,
                &v,
                &genereer::Omvang {
                    gezinnen,
                    politie_personen,
                    incidenten,
                },
                &sleutels,
            )
        }
        Command::Import {
            gemeenten,
            veilig_thuis,
        } => {
            use ketenregie_store::referentie;
            let lees = |p: Option<PathBuf>, standaard: &str| -> anyhow::Result<String> {
                Ok(match p {
                    Some(p) => std::fs::read_to_string(&p)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
                    None => standaard.to_string(),
                })
            };
            let g = referentie::lees_gemeenten(&lees(gemeenten, referentie::GEMEENTEN_CSV)?)?;
            let vt =
                referentie::lees_veilig_thuis(&lees(veilig_thuis, referentie::VEILIG_THUIS_CSV)?)?;
            let url = config.database_url()?;
            ketenregie_store::migrate::run(&url)?;
            let mut conn = url.connect()?;
            // One write transaction under the start-up lock: safe while instances serve
            // or start (issue 14, finding 7; issue 12: SQLite writes with BEGIN IMMEDIATE).
            let r = referentie::importeer_onder_slot(&mut conn, &g, &vt)?;
            println!(
                "municipalities: {} new, {} changed {:?}",
                r.gemeenten_nieuw,
                r.gemeenten_gewijzigd.len(),
                r.gemeenten_gewijzigd
            );
            println!(
                "veilig thuis organisations: {} new {:?}, {} changed {:?}",
                r.organisaties_nieuw.len(),
                r.organisaties_nieuw,
                r.organisaties_gewijzigd.len(),
                r.organisaties_gewijzigd
            );
            if !r.handmatig_behouden.is_empty() {
                println!(
                    "kept as edited by an admin (not overwritten): {:?}",
                    r.handmatig_behouden
                );
            }
            if !r.twijfel.is_empty() {
                println!(
                    "uncertain service areas, to be checked by a functional admin: {:?}",
                    r.twijfel
                );
            }
            if r.is_leeg() {
                println!("nothing changed");
            }
            Ok(())
        }
        Command::Retention {
            command: RetentionCommand::Run { dry_run },
        } => {
            // The log lines of the run (e.g. a month's partition dropped, with how long the
            // processing log was locked) go with the counts.
            telemetry::init(&config, telemetry::Uitvoer::Opdracht);
            let url = config.database_url()?;
            ketenregie_store::migrate::run(&url)?;
            let mut conn = url.connect()?;
            let onderdelen = ketenregie_api::app::Onderdelen::default();
            let pseudoniemen =
                std::sync::Arc::new(ketenregie_api::verwerking::pseudonimiseerder(&config)?);
            let versleuteling =
                std::sync::Arc::new(ketenregie_api::verwerking::versleuteling(&config)?);
            let r = ketenregie_api::app::bewaring_uitvoeren(
                &mut conn,
                &onderdelen.bewaring,
                pseudoniemen,
                versleuteling,
                onderdelen.klok.nu(),
                dry_run,
            )?;
            // Per kind: how many, and why (the rule, its term and whose it is).
            for (soort, n) in &r.per_soort {
                let gronden: Vec<String> = r
                    .gronden_van(soort)
                    .into_iter()
                    .map(|(g, n)| format!("{n}: {g}"))
                    .collect();
                println!(
                    "{soort}: {n} {}{}",
                    if dry_run {
                        "would be removed"
                    } else {
                        "removed"
                    },
                    if gronden.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", gronden.join("; "))
                    }
                );
            }
            Ok(())
        }
        Command::CheckConfig { .. } => {
            ketenregie_api::auth::Verifier::from_config(&config)?;
            print!("{}", config.masked_toml());
            eprintln!("configuration is valid");
            Ok(())
        }
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    telemetry::init(&config, telemetry::Uitvoer::Dienst);
    let url = config.database_url()?;
    if config.is_development() {
        tracing::warn!(
            "DEVELOPMENT MODE: development tokens (HS256, `ketenregie token`) are accepted; never use this mode with real data"
        );
    }
    tracing::info!(
        bind = %config.server.bind,
        database = %url.masked(),
        mode = if config.is_development() { "development" } else { "production" },
        "ketenregie start"
    );
    let bind = config.server.bind;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(config).await?;
        // The address as a browser would type it (a wildcard bind is reached locally).
        let mut adres = bind;
        adres.set_port(app.port());
        if adres.ip().is_unspecified() {
            adres.set_ip(match adres {
                std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        tracing::info!(
            port = app.port(),
            "ketenregie luistert op http://{adres}/ ; API-documentatie op http://{adres}/docs/"
        );
        app.run_until_stopped().await?;
        Ok(())
    })
}
