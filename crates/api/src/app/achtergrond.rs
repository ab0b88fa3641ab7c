//! The background jobs of one instance: token-id sweep, demo clock, deadline scanner,
//! dispatcher and the daily retention run.

use super::*;

impl Application {
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
        // The log sealer (issue 17 point 2): links the logs' new rows into their hash
        // chains; the instance holding the lease does it, the others only try the lease.
        if self.verzegel_interval_ms > 0 {
            let pool = self.pool.clone();
            let houder = hex::encode(rand::random::<[u8; 8]>());
            herhaal(
                Duration::from_millis(self.verzegel_interval_ms),
                true,
                move || {
                    let (p, h) = (pool.clone(), houder.clone());
                    async move {
                        let uitkomst = web::block(move || verzegel_ronde(&p, &h)).await;
                        match uitkomst {
                            Ok(Ok(_)) => {}
                            Ok(Err(e)) => {
                                tracing::error!(fout = %e, "logregels verzegelen mislukt")
                            }
                            Err(e) => tracing::error!(fout = %e, "logregels verzegelen mislukt"),
                        }
                    }
                },
            );
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

/// One pass of the log sealer: take or renew the lease, then seal until nothing is left
/// (each chain's batch in its own transaction).
fn verzegel_ronde(pool: &DbPool, houder: &str) -> Result<usize, String> {
    use ketenregie_privacy::logboek::verzegelaar;
    let mut c = conn::haal(pool).map_err(|e| e.to_string())?;
    let nu = ketenregie_common::time::now_utc();
    let mijn = conn::schrijf(&mut c, |c| verzegelaar::neem_lease(c, houder, nu))
        .map_err(|e: diesel::result::Error| e.to_string())?;
    if !mijn {
        return Ok(0);
    }
    verzegelaar::verzegel_alles(&mut c).map_err(|e| e.to_string())
}

/// Copy the stored demo clock in (development mode) before a pass that reads the time.
async fn volg_demoklok(demoklok: &Option<(DbPool, Klok)>) {
    if let Some((p, k)) = demoklok
        && let Err(e) = crate::routes::demo_klok::ververs(p, k).await
    {
        tracing::debug!(fout = %e, "demoklok niet gelezen");
    }
}
