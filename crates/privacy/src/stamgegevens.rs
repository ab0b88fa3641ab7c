//! The decision's inputs and the partner register, cached per instance (issue 17 point 3):
//! an organisation's stored-active agreements (`convenant::actief_voor`), an organisation's
//! id, name and kind (`directory::kern_op_code`), its around-the-clock contact points
//! (`directory::altijd_bereikbaar`) and the loaded municipality codes
//! (`referentie::alle_codes`, for a filing's check). Without the cache every request that reads another
//! organisation's data read them again (three statements per decision, two more per
//! organisation on a briefing's contact card).
//!
//! Invalidation at once, on every instance: the one-row table `stamgegevens_versie` is
//! bumped by triggers on `convenanten`, `convenant_partijen`, `convenant_uittredingen`,
//! `organisaties` and `contactpunten` (migration 2026-12-02-000201, both backends) and
//! `gemeenten` (2026-12-04-000201) in the writing transaction itself, whoever writes (this service, another instance, the
//! CLI, a database administrator). A request reads the stamp once, first (`stand`: one
//! statement of one row by primary key) and uses the cache only when it holds that very
//! version; otherwise it drops everything and reloads what it needs. So a withdrawal
//! (`trek_in`), an uittreding (`treed_uit`, DOMAIN.md §1.5 `UITTREDEN`) or a change of an
//! organisation's kind committed before a request starts is applied by that request on any
//! instance: the rule "withdrawal takes effect on the next request" (`CONVENANT_VEREIST`)
//! holds exactly as when the agreements were read every time.
//!
//! Why the stamp is safe under concurrent writes: a request loads an entry only after it
//! read the stamp, so what it loads is at least as new as the version it files it under; an
//! entry filed under an old version is never used by a request that saw a newer one.
//!
//! The cache is small: one entry per organisation that called or was shown (a few
//! thousand nationally), each holding what the database would have returned.

use crate::convenant::{self, Convenant};
use diesel::prelude::*;
use ketenregie_common::OrganisatieSoort;
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{self, Contactpunt};
use ketenregie_store::schema::stamgegevens_versie;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// An organisation's id, name and kind (`directory::kern_op_code`).
pub type Kern = (Uuid, String, OrganisatieSoort);

/// The cache of one instance; shared by its requests (`Context::stamgegevens`).
#[derive(Default)]
pub struct Stamgegevens {
    staat: Mutex<Staat>,
}

impl std::fmt::Debug for Stamgegevens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stamgegevens")
    }
}

#[derive(Default)]
struct Staat {
    /// The version the entries below belong to (0: none yet).
    versie: i64,
    convenanten: HashMap<String, Arc<Vec<Convenant>>>,
    kern: HashMap<String, Option<Kern>>,
    bereikbaar: HashMap<Uuid, Arc<Vec<Contactpunt>>>,
    /// Every loaded municipality code (`referentie::alle_codes`), once loaded.
    gemeenten: Option<Arc<HashSet<String>>>,
}

/// The version stamp one request read, once, at its start: the authentication's check of
/// the register (`api::auth`) reads it and the request carries it (`Context::stempel`),
/// so the decision does not read it again (issue 17 point 3: one read per request).
/// `Stempel(None)`: the stamp row is missing (a database not migrated this far).
///
/// Why a stamp read before the use case's own statements keeps the promise: a withdrawal
/// committed before the request started bumped the stamp before the authentication read
/// it, so the request sees the new version and reloads; a withdrawal committed while the
/// request runs is concurrent with it, and was so before as well (PostgreSQL reads in
/// READ COMMITTED: the stamp in the use case's transaction was just as much a statement
/// of its own). Entries are still filed only under a version read before they were loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stempel(pub Option<i64>);

/// The cache as one request sees it: at the version it read at its start.
#[derive(Debug, Clone, Copy)]
pub struct Stand<'a> {
    bron: &'a Stamgegevens,
    /// `None`: no stamp row (a database not migrated this far): read everything.
    versie: Option<i64>,
}

impl Stamgegevens {
    pub fn nieuw() -> Self {
        Self::default()
    }

    /// Read the stamp (one statement) and return the request's view of the cache.
    pub fn stand(&self, conn: &mut DbConnection) -> QueryResult<Stand<'_>> {
        let versie = stamgegevens_versie::table
            .filter(stamgegevens_versie::id.eq(1))
            .select(stamgegevens_versie::versie)
            .first::<i64>(conn)
            .optional()?;
        Ok(Stand { bron: self, versie })
    }

    /// The request's view at a stamp it read itself, in a statement of its own (the
    /// briefing reads it with its first query): `SELECT versie FROM stamgegevens_versie
    /// WHERE id = 1`, `None` when there is no row.
    pub fn stand_bij(&self, versie: Option<i64>) -> Stand<'_> {
        Stand { bron: self, versie }
    }

    /// The request's view at the stamp it carries (`Context::stempel`), or at a stamp read
    /// now (one statement) when it carries none.
    pub fn stand_met(
        &self,
        conn: &mut DbConnection,
        stempel: Option<Stempel>,
    ) -> QueryResult<Stand<'_>> {
        match stempel {
            Some(Stempel(versie)) => Ok(self.stand_bij(versie)),
            None => self.stand(conn),
        }
    }

    /// Without a statement: the version this instance's cache is at, if it holds an entry
    /// for organisation `code` and that entry says it is registered (`None`: no version
    /// yet, no entry for `code`, or `code` unregistered at that version). The
    /// authentication's provisional check of the register (`api::auth`): a request that
    /// uses it must confirm it against the stamp its own statement reads
    /// (`api::auth::bevestig`) before anything is answered.
    pub fn geregistreerd_in_cache(&self, code: &str) -> Option<i64> {
        let s = self.staat();
        (s.versie > 0 && matches!(s.kern.get(code), Some(Some(_)))).then_some(s.versie)
    }

    fn staat(&self) -> std::sync::MutexGuard<'_, Staat> {
        // A panic while the lock was held left at worst a missing entry: go on.
        self.staat.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Stand<'_> {
    /// The stamp this view is at, to carry through the request (`Context::stempel`).
    pub fn stempel(&self) -> Stempel {
        Stempel(self.versie)
    }

    /// The cached value under `sleutel`, if the cache is at this request's version.
    fn uit<T: Clone>(&self, kies: impl FnOnce(&Staat) -> Option<T>) -> Option<T> {
        let v = self.versie?;
        let s = self.bron.staat();
        if s.versie == v { kies(&s) } else { None }
    }

    /// File a value loaded after the stamp was read: only at this request's version (a
    /// newer cache is left alone, an older one is dropped first).
    fn bewaar(&self, zet: impl FnOnce(&mut Staat)) {
        let Some(v) = self.versie else { return };
        let mut s = self.bron.staat();
        if s.versie < v {
            *s = Staat {
                versie: v,
                ..Staat::default()
            };
        }
        if s.versie == v {
            zet(&mut s);
        }
    }

    /// `convenant::actief_voor(organisatie)`: the stored-active agreements it takes part in.
    pub fn convenanten(
        &self,
        conn: &mut DbConnection,
        organisatie: &str,
    ) -> QueryResult<Arc<Vec<Convenant>>> {
        if let Some(c) = self.uit(|s| s.convenanten.get(organisatie).cloned()) {
            return Ok(c);
        }
        let c = Arc::new(convenant::actief_voor(conn, organisatie)?);
        self.bewaar(|s| {
            s.convenanten.insert(organisatie.to_string(), c.clone());
        });
        Ok(c)
    }

    /// `directory::kern_op_code(code)`: id, name and kind, if registered.
    pub fn kern(&self, conn: &mut DbConnection, code: &str) -> QueryResult<Option<Kern>> {
        if let Some(k) = self.uit(|s| s.kern.get(code).cloned()) {
            return Ok(k);
        }
        let k = directory::kern_op_code(conn, code)?;
        self.bewaar(|s| {
            s.kern.insert(code.to_string(), k.clone());
        });
        Ok(k)
    }

    /// Every loaded municipality code (`referentie::alle_codes`, a few hundred; empty:
    /// the reference data is not loaded). Checked by `referentie::bestaande_gemeenten_in`
    /// without a round trip; a load or change of `gemeenten` bumps the stamp (migration
    /// `2026-12-04-000201_h17rondes_gemeenten_versie`).
    pub fn gemeenten(&self, conn: &mut DbConnection) -> QueryResult<Arc<HashSet<String>>> {
        if let Some(g) = self.uit(|s| s.gemeenten.clone()) {
            return Ok(g);
        }
        let g: Arc<HashSet<String>> = Arc::new(
            ketenregie_store::referentie::alle_codes(conn)?
                .into_iter()
                .collect(),
        );
        self.bewaar(|s| s.gemeenten = Some(g.clone()));
        Ok(g)
    }

    /// `directory::altijd_bereikbaar(organisatie)`: its around-the-clock contact points.
    pub fn altijd_bereikbaar(
        &self,
        conn: &mut DbConnection,
        organisatie: Uuid,
    ) -> QueryResult<Arc<Vec<Contactpunt>>> {
        if let Some(c) = self.uit(|s| s.bereikbaar.get(&organisatie).cloned()) {
            return Ok(c);
        }
        let c = Arc::new(directory::altijd_bereikbaar(conn, organisatie)?);
        self.bewaar(|s| {
            s.bereikbaar.insert(organisatie, c.clone());
        });
        Ok(c)
    }
}
