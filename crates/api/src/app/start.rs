//! The work done at start (under the start-up lock) and the retention run.

use super::*;

/// The work done at start after the migrations, under the start-up lock (`migrate::start`).
pub(super) struct Startwerk {
    /// Load the shipped reference data into an empty database.
    pub(super) referentiedata: bool,
    /// `VERSLEUTEL_BIJ_START`: encrypt values older versions stored in plain text.
    pub(super) versleuteling: Arc<ketenregie_privacy::versleuteling::Versleuteling>,
    /// Development mode: the clock that takes the stored demo offset.
    pub(super) demoklok: Option<Klok>,
    /// `auth.platform_organisation`: no registered organisation may hold this code
    /// (`PLATFORMCODE_GERESERVEERD`).
    pub(super) platform: String,
}

/// What `Startwerk` did.
pub(super) struct Startverslag {
    pub(super) referentiedata: Option<ketenregie_store::referentie::Importrapport>,
    pub(super) versleuteld: Vec<(String, usize)>,
    /// `ADRES_SLEUTEL_BIJ_START`: address keys made again, rows that could not be read.
    pub(super) adressleutels: (usize, usize),
    /// `PLATFORMCODE_GERESERVEERD` broken: a registered organisation holds the platform's
    /// code (registered before the rule, or the configuration changed to its code).
    pub(super) platformcode_bezet: bool,
}

impl Startwerk {
    pub(super) fn doe(
        self,
        c: &mut ketenregie_store::DbConnection,
    ) -> Result<Startverslag, conn::PoolFout> {
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
        // `ADRES_SLEUTEL_BIJ_START`: address keys of the old normalisation made again
        // (`identiteit::ADRES_SLEUTEL_NORMALISATIE`); only reads once none are left.
        let adressleutels = diesel::Connection::transaction(c, |c| {
            ketenregie_case::personen::herbereken_adressleutels(c, &v)
        })?;
        if let Some(klok) = &self.demoklok {
            klok.zet_demo_verschuiving(crate::routes::demo_klok::lees(c)?);
        }
        // PostgreSQL: the logs' partitions for this month and the ones ahead (issue 17
        // point 6); the daily retention job makes them too.
        let partities = ketenregie_store::partities::maak_vooruit(
            c,
            ketenregie_common::time::to_db(ketenregie_common::time::now_utc()),
            ketenregie_store::partities::MAANDEN_VOORUIT,
        )?;
        if !partities.is_empty() {
            tracing::debug!(?partities, "logpartities aanwezig");
        }
        let platformcode_bezet =
            ketenregie_store::directory::kern_op_code(c, &self.platform)?.is_some();
        Ok(Startverslag {
            referentiedata,
            versleuteld,
            adressleutels,
            platformcode_bezet,
        })
    }
}

/// Apply the retention rules (`bewaring::voer_uit`) one source at a time, each in its own
/// write transaction (`conn::schrijf`: on SQLite `BEGIN IMMEDIATE`, so it never fails
/// half-way on a busy database while the service or the CLI writes too). Used by the daily
/// job and by `ketenregie retention run`. First, on PostgreSQL, the logs' monthly
/// partitions for the month of `nu` and `MAANDEN_VOORUIT` ahead are made (if missing; in a
/// transaction of their own, serialised by an advisory lock).
pub fn bewaring_uitvoeren(
    c: &mut ketenregie_store::DbConnection,
    bronnen: &[Arc<dyn Bewaarbron>],
    pseudoniemen: Arc<ketenregie_privacy::pseudoniem::Pseudonimiseerder>,
    versleuteling: Arc<ketenregie_privacy::versleuteling::Versleuteling>,
    nu: chrono::DateTime<chrono::Utc>,
    proef: bool,
) -> diesel::QueryResult<bewaring::Opruimrapport> {
    let mut rapport = bewaring::Opruimrapport::default();
    if !proef {
        conn::schrijf(c, |c| {
            ketenregie_store::partities::maak_vooruit(
                c,
                ketenregie_common::time::to_db(nu),
                ketenregie_store::partities::MAANDEN_VOORUIT,
            )
        })?;
    }
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
        rapport.voeg(deel);
    }
    Ok(rapport)
}

/// What the daily retention job needs.
#[derive(Clone)]
pub(super) struct Bewaartaak {
    pub(super) bronnen: Vec<Arc<dyn Bewaarbron>>,
    pub(super) pseudoniemen: Arc<ketenregie_privacy::pseudoniem::Pseudonimiseerder>,
    pub(super) versleuteling: Arc<ketenregie_privacy::versleuteling::Versleuteling>,
    pub(super) klok: Klok,
}
