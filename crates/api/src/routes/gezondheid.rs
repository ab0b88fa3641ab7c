//! Health and metrics, outside `/api/v1` and without authentication: for load balancers,
//! orchestrators and Prometheus. They reveal nothing about cases.
//!
//! Readiness tells the truth about what a request needs (issue 14, findings 1 and 5): a
//! connection from the pool within a short wait, checked out healthy (a connection the
//! database dropped is replaced, so readiness recovers as soon as the database is back),
//! a write that commits (`gereedheidsproef`: a full disk, a read-only file or a read-only
//! replica fail it, where `SELECT 1` would pass), and on SQLite enough free space on the
//! database's disk (`database.min_free_disk_mb`).

use crate::db;
use crate::metrics::Metrics;
use crate::problem::AppError;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use ketenregie_store::DbPool;
use ketenregie_store::conn::{self, Backend, DbUrl};
use ketenregie_store::schema::gereedheidsproef;
use std::path::PathBuf;
use std::time::Duration;

/// How long readiness waits for a database connection: a load balancer's probe should get
/// its answer before its own timeout.
const WACHTTIJD: Duration = Duration::from_secs(2);

/// What readiness checks besides the database (app data).
#[derive(Debug, Clone)]
pub struct Gereedheid {
    /// The folder of the SQLite database file (None on PostgreSQL: its disk is the
    /// database server's, watched there).
    pub map: Option<PathBuf>,
    /// Readiness fails below this many MiB free there; 0: not checked.
    pub min_vrij_mb: u64,
}

impl Gereedheid {
    /// From the database URL and `database.min_free_disk_mb`.
    pub fn uit(url: &DbUrl, min_vrij_mb: u64) -> Self {
        let map = (url.backend() == Backend::Sqlite).then(|| {
            // `sqlite://PATH` or `sqlite://file:PATH?mode=...` (an SQLite URI).
            let pad = url.target();
            let pad = pad.strip_prefix("file:").unwrap_or(pad);
            let pad = pad.split('?').next().unwrap_or(pad);
            match std::path::Path::new(pad).parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        });
        Self { map, min_vrij_mb }
    }
}

/// Liveness: the process answers.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Readiness: 200 when a request could be served now, else 503 problem+json naming what
/// is wrong (never a driver's message).
pub async fn ready(
    pool: web::Data<DbPool>,
    gereedheid: web::Data<Gereedheid>,
) -> Result<HttpResponse, AppError> {
    let vrij_mb = schijfruimte(&gereedheid)?;
    schrijfproef(pool.get_ref().clone()).await?;
    let staat = pool.state();
    let mut antwoord = serde_json::json!({
        "status": "ok",
        "database": "ok",
        "schrijven": "ok",
        "pool": {"verbindingen": staat.connections, "vrij": staat.idle_connections},
    });
    if let Some(vrij) = vrij_mb {
        antwoord["schijfVrijMb"] = vrij.into();
    }
    Ok(HttpResponse::Ok().json(antwoord))
}

/// The free MiB on the database's disk (SQLite), or 503 below `database.min_free_disk_mb`;
/// `None` when not checked (PostgreSQL, or the check switched off with 0).
fn schijfruimte(gereedheid: &Gereedheid) -> Result<Option<u64>, AppError> {
    Ok(match &gereedheid.map {
        Some(map) if gereedheid.min_vrij_mb > 0 => {
            let vrij = vrije_ruimte_mb(map).map_err(|e| {
                tracing::error!(fout = %e, "vrije schijfruimte onbekend");
                AppError::NietBeschikbaar(
                    "De vrije ruimte op de schijf van de database is niet te bepalen".into(),
                )
            })?;
            if vrij < gereedheid.min_vrij_mb {
                tracing::error!(
                    vrij_mb = vrij,
                    minimum_mb = gereedheid.min_vrij_mb,
                    "te weinig schijfruimte voor de database"
                );
                return Err(AppError::NietBeschikbaar(format!(
                    "Er is {vrij} MiB vrij op de schijf van de database; minder dan de {} MiB die `database.min_free_disk_mb` vraagt",
                    gereedheid.min_vrij_mb
                )));
            }
            Some(vrij)
        }
        _ => None,
    })
}

/// The write probe: one committed update of the probe row, as any write would do it
/// (`BEGIN IMMEDIATE` on SQLite); a read-only, full or unreachable database is a 503.
async fn schrijfproef(pool: DbPool) -> Result<(), AppError> {
    let p = pool;
    let geschreven = web::block(move || {
        let mut c = conn::haal_binnen(&p, WACHTTIJD)?;
        let nu = ketenregie_common::time::to_db(ketenregie_common::time::now_utc());
        let uitkomst = conn::schrijf(&mut c, |c| {
            diesel::update(gereedheidsproef::table.find(1))
                .set(gereedheidsproef::geschreven_op.eq(nu))
                .execute(c)
        });
        if uitkomst.is_ok() {
            conn::gezien_werken(&mut c);
        }
        Ok::<_, AppError>(uitkomst)
    })
    .await
    .map_err(AppError::intern)??;
    match geschreven {
        Ok(1) => {}
        Ok(n) => {
            tracing::error!(rijen = n, "schrijfproef: de proefrij ontbreekt");
            return Err(AppError::NietBeschikbaar(
                "De database neemt geen schrijfproef aan (de proefrij ontbreekt)".into(),
            ));
        }
        Err(e) => {
            tracing::error!(fout = %e, "schrijfproef mislukt");
            return Err(match db::db_fout(e) {
                AppError::NietBeschikbaar(d) => AppError::NietBeschikbaar(d),
                _ => AppError::NietBeschikbaar(
                    "De database neemt nu geen schrijfopdracht aan (alleen-lezen of vol)".into(),
                ),
            });
        }
    }
    Ok(())
}

/// Free MiB for an unprivileged writer on the file system holding `map`.
#[cfg(unix)]
fn vrije_ruimte_mb(map: &std::path::Path) -> std::io::Result<u64> {
    let s = rustix::fs::statvfs(map)?;
    Ok(s.f_bavail.saturating_mul(s.f_frsize) / (1024 * 1024))
}

#[cfg(not(unix))]
fn vrije_ruimte_mb(_map: &std::path::Path) -> std::io::Result<u64> {
    // Not measured here: report plenty, the write probe still runs.
    Ok(u64::MAX)
}

/// Prometheus text format: the registry's metrics, then the database round trips of this
/// process (`ketenregie_db_rondes_total`, every statement including `BEGIN`/`COMMIT`) and
/// the log writer's committed batches, requests, failed batches, retried batches, the
/// retries' write attempts and requests failed alone (`ketenregie_logschrijver_*_total`),
/// counters since start.
pub async fn metrics(req: actix_web::HttpRequest, m: web::Data<Metrics>) -> HttpResponse {
    use std::fmt::Write;
    use std::sync::atomic::Ordering::Relaxed;
    let mut tekst = m.render();
    let _ = write!(
        tekst,
        "# HELP ketenregie_db_rondes_total Database round trips (statements) since start\n\
         # TYPE ketenregie_db_rondes_total counter\nketenregie_db_rondes_total {}\n",
        ketenregie_store::rondes::totaal()
    );
    if let Some(s) = req.app_data::<web::Data<ketenregie_privacy::logboek::Logschrijver>>() {
        for (naam, uitleg, waarde) in [
            ("batches", "Log batches committed", &s.cijfers.batches),
            (
                "verzoeken",
                "Requests whose log rows were committed",
                &s.cijfers.verzoeken,
            ),
            (
                "mislukt",
                "Log batches whose transaction failed (retried by halving when the database was reachable)",
                &s.cijfers.mislukt,
            ),
            (
                "herhaald",
                "Failed log batches retried (by halving)",
                &s.cijfers.herhaald,
            ),
            (
                "herhaalpogingen",
                "Write attempts of the retries of failed log batches (halves and single requests, committed or not)",
                &s.cijfers.herhaalpogingen,
            ),
            (
                "alleen_mislukt",
                "Requests whose own log rows failed when retried alone (they failed closed)",
                &s.cijfers.alleen_mislukt,
            ),
        ] {
            let _ = write!(
                tekst,
                "# HELP ketenregie_logschrijver_{naam}_total {uitleg}\n\
                 # TYPE ketenregie_logschrijver_{naam}_total counter\n\
                 ketenregie_logschrijver_{naam}_total {}\n",
                waarde.load(Relaxed)
            );
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(tekst)
}
