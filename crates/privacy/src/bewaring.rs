//! Retention (DOMAIN.md §4 "Retention"): rules as data per organisation and kind of
//! record, with the defaults below (all marked [check] in DOMAIN.md, so all overridable
//! per organisation in the `bewaartermijnen` table). `ketenregie retention run` and a
//! daily in-process job remove what has expired; every removal of a domain record is
//! written to the processing log, which outlives it by its own rule.
//!
//! Each crate that stores records contributes a `Bewaarbron` for its own tables (wired in
//! `api::app::Onderdelen`); this module holds the processing log's own source, the kinds
//! of term per organisation kind (`dossiersoort`) and the terms of a record's holders
//! (`Houdertermijnen`: a record several organisations hold goes when the longest of their
//! terms has passed). A dry run reports per kind how many records would go and why
//! (`Opruimrapport::gronden`: rule, term, whose).

use crate::context::Context;
use crate::logboek;
use crate::pseudoniem::Pseudonimiseerder;
use crate::versleuteling::Versleuteling;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ketenregie_common::{Actor, Fout, IfMatch, OrganisatieSoort, Rol, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{bewaartermijnen, verwerkingslog};
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;
use uuid::Uuid;

/// A default retention term, by kind of record.
#[derive(Debug, Clone, Copy)]
pub struct Standaardtermijn {
    pub soort: &'static str,
    pub dagen: i64,
    pub toelichting: &'static str,
    /// The shortest term an organisation may set for this kind, in days
    /// (`BEWAARTERMIJN_ONDERGRENS`): 1 where no law or agreement sets a floor.
    pub minimum_dagen: i64,
    /// Where the floor comes from (law article, DOMAIN.md rule), shown in the refusal.
    pub minimum_bron: &'static str,
}

/// `BEWAARTERMIJN_ONDERGRENS`: no organisation sets a kind's term below its floor
/// (`Standaardtermijn::minimum_dagen`); a term stored below it (before the floor existed)
/// counts as the floor. The processing log's floor is 5 years: DOMAIN.md §4 Retention
/// ("processing logs: per agreement, typically 5 years (healthcare)"), the term the
/// logs must be kept to answer for processing (AVG art. 5(2) and 30; Wpg art. 32a for the
/// police's logs). The audit trail has no retention kind at all: it is never removed.
pub const BEWAARTERMIJN_ONDERGRENS: &str = "BEWAARTERMIJN_ONDERGRENS";

/// The floor of every kind without one of its own: a day.
const GEEN_ONDERGRENS: &str = "geen wettelijke ondergrens";

const JAAR: i64 = 365;

/// The defaults of DOMAIN.md §4. Terms that count from an event other than creation
/// (care ended, the child's 18th birthday) are applied by the source that knows the event.
pub const STANDAARDTERMIJNEN: &[Standaardtermijn] = &[
    Standaardtermijn {
        soort: "vt-dossier",
        dagen: 20 * JAAR,
        toelichting: "Veilig Thuis-dossier: 20 jaar (langer zolang nodig voor een kinderbeschermingsmaatregel)",
        minimum_dagen: 1,
        minimum_bron: GEEN_ONDERGRENS,
    },
    Standaardtermijn {
        soort: "jeugdhulp-dossier",
        dagen: 20 * JAAR,
        toelichting: "jeugdhulpdossier: 20 jaar na het einde van de hulp",
        minimum_dagen: 1,
        minimum_bron: GEEN_ONDERGRENS,
    },
    Standaardtermijn {
        soort: "gi-dossier",
        dagen: 30 * JAAR,
        toelichting: "GI-dossier (OTS, voogdij): tot 30 jaar nadat het kind 18 werd",
        minimum_dagen: 1,
        minimum_bron: GEEN_ONDERGRENS,
    },
    Standaardtermijn {
        soort: "politiegegevens",
        dagen: 10 * JAAR,
        toelichting: "politiegegevens (Wpg art. 8): na 5 jaar uit de dagelijkse omgang, na 10 jaar vernietigd",
        minimum_dagen: 1,
        minimum_bron: GEEN_ONDERGRENS,
    },
    Standaardtermijn {
        soort: "coordinatiesignaal",
        dagen: 2 * JAAR,
        toelichting: "coördinatiesignaal (Verwijsindex): uiterlijk 2 jaar, de 23e verjaardag of overlijden",
        minimum_dagen: 1,
        minimum_bron: GEEN_ONDERGRENS,
    },
    Standaardtermijn {
        soort: "verwerkingslog",
        dagen: 5 * JAAR,
        toelichting: "verwerkingslog: 5 jaar (zorg); een convenant kan anders bepalen",
        minimum_dagen: 5 * JAAR,
        minimum_bron: "DOMAIN.md §4 Retention (verwerkingslog: 5 jaar, zorg); AVG art. 5 lid 2 en 30",
    },
];

/// The term for `soort` at `organisatie`: its own override, else the default.
pub fn termijn(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: &str,
) -> QueryResult<Option<i64>> {
    let eigen: Option<i64> = bewaartermijnen::table
        .filter(bewaartermijnen::organisatie.eq(organisatie))
        .filter(bewaartermijnen::soort.eq(soort))
        .select(bewaartermijnen::termijn_dagen)
        .first(conn)
        .optional()?;
    let std = STANDAARDTERMIJNEN.iter().find(|t| t.soort == soort);
    Ok(match (eigen, std) {
        (Some(d), Some(s)) => Some(d.max(s.minimum_dagen)),
        (Some(d), None) => Some(d),
        (None, s) => s.map(|t| t.dagen),
    })
}

/// An organisation's effective rule for one kind of record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bewaarregel {
    pub soort: String,
    pub termijn_dagen: i64,
    pub toelichting: String,
    /// True when the organisation set its own term.
    pub eigen: bool,
    /// The version of the organisation's rule (0 while the default holds): its ETag.
    #[serde(skip)]
    pub versie: i64,
}

/// The organisation's own rows: (soort, dagen, toelichting, versie).
fn eigen_regels(
    conn: &mut DbConnection,
    organisatie: &str,
) -> QueryResult<Vec<(String, i64, String, i64)>> {
    bewaartermijnen::table
        .filter(bewaartermijnen::organisatie.eq(organisatie))
        .select((
            bewaartermijnen::soort,
            bewaartermijnen::termijn_dagen,
            bewaartermijnen::toelichting,
            bewaartermijnen::versie,
        ))
        .load(conn)
}

/// Every kind of record with the term in force for `organisatie`.
pub fn regels(conn: &mut DbConnection, organisatie: &str) -> QueryResult<Vec<Bewaarregel>> {
    let eigen = eigen_regels(conn, organisatie)?;
    Ok(STANDAARDTERMIJNEN
        .iter()
        .map(
            |s| match eigen.iter().find(|(soort, _, _, _)| soort == s.soort) {
                Some((soort, d, t, v)) => Bewaarregel {
                    soort: soort.clone(),
                    termijn_dagen: (*d).max(s.minimum_dagen),
                    toelichting: t.clone(),
                    eigen: true,
                    versie: *v,
                },
                None => Bewaarregel {
                    soort: s.soort.into(),
                    termijn_dagen: s.dagen,
                    toelichting: s.toelichting.into(),
                    eigen: false,
                    versie: 0,
                },
            },
        )
        .collect())
}

/// The rule of kind `soort` in force for `organisatie`.
pub fn regel(conn: &mut DbConnection, organisatie: &str, soort: &str) -> QueryResult<Bewaarregel> {
    regels(conn, organisatie)?
        .into_iter()
        .find(|r| r.soort == soort)
        .ok_or(diesel::result::Error::NotFound)
}

/// Set an organisation's own term for one kind of record when `voorwaarde` (`If-Match`,
/// RFC 9110 §13.1.1) holds for the current version (0 while the default holds); the
/// version goes up by one. A concurrent change between the check and the write is a
/// failed precondition too.
pub fn zet_termijn(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: &str,
    dagen: i64,
    toelichting: &str,
    voorwaarde: &IfMatch,
) -> Result<(), Fout> {
    let huidig = regel(conn, organisatie, soort)?.versie;
    voorwaarde
        .controleer(huidig, "de bewaartermijn")
        .map_err(Fout::VoorwaardeMislukt)?;
    let n = if huidig == 0 {
        diesel::insert_into(bewaartermijnen::table)
            .values((
                bewaartermijnen::id.eq(ids::new_id().to_string()),
                bewaartermijnen::organisatie.eq(Some(organisatie)),
                bewaartermijnen::soort.eq(soort),
                bewaartermijnen::termijn_dagen.eq(dagen),
                bewaartermijnen::toelichting.eq(toelichting),
                bewaartermijnen::versie.eq(1i64),
            ))
            .execute(conn)?
    } else {
        diesel::update(
            bewaartermijnen::table
                .filter(bewaartermijnen::organisatie.eq(organisatie))
                .filter(bewaartermijnen::soort.eq(soort))
                .filter(bewaartermijnen::versie.eq(huidig)),
        )
        .set((
            bewaartermijnen::termijn_dagen.eq(dagen),
            bewaartermijnen::toelichting.eq(toelichting),
            bewaartermijnen::versie.eq(huidig + 1),
        ))
        .execute(conn)?
    };
    if n == 0 {
        return Err(Fout::VoorwaardeMislukt(format!(
            "de bewaartermijn is intussen gewijzigd (versie {huidig} is niet meer de huidige); haal haar opnieuw op"
        )));
    }
    Ok(())
}

/// Why a record goes: the rule and its term (DOMAIN.md §4 "Retention"), as a dry run
/// prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bewaargrond {
    /// The kind of term (`vt-dossier`, `politiegegevens`, ... of `STANDAARDTERMIJNEN`), or
    /// the record's own expiry (`verloopt_op`, `VERWIJSINDEX_VERVALTERMIJN`, ...).
    pub regel: String,
    /// The term in days, when the rule is a term.
    pub termijn_dagen: Option<i64>,
    /// The organisation whose term it is (its own override or the default); empty when
    /// the rule is no organisation's.
    pub organisatie: String,
}

impl Bewaargrond {
    /// A record's own expiry, no organisation's term.
    pub fn verlopen(regel: &str) -> Self {
        Self {
            regel: regel.into(),
            termijn_dagen: None,
            organisatie: String::new(),
        }
    }
}

impl std::fmt::Display for Bewaargrond {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.regel)?;
        if let Some(d) = self.termijn_dagen {
            write!(f, " {d} dagen")?;
        }
        if !self.organisatie.is_empty() {
            write!(f, " ({})", self.organisatie)?;
        }
        Ok(())
    }
}

/// A record removed (or, in a dry run, to be removed).
#[derive(Debug, Clone)]
pub struct Verwijderd {
    /// The organisations that held it: each gets a `vernietiging` row in its processing
    /// log. Empty for rows that go with a record whose removal is logged (its steps, its
    /// deliveries) and for rows that hold no record of their own (log rows, counters).
    pub organisaties: Vec<String>,
    /// The kind of record, as the report counts it (`zorgmeldingen`, `termijnen`, ...).
    pub object_type: &'static str,
    pub object_id: String,
    /// The data subjects whose data went with it (for the processing log).
    pub betrokkenen: Vec<Uuid>,
    /// Why it goes.
    pub grond: Bewaargrond,
    /// How many rows this entry stands for: 1 for a record; n for rows without a record
    /// of their own removed in bulk (log rows, token records, counters), so a source that
    /// removes a month of 230,000 log rows reports one entry, not 230,000 copies.
    pub aantal: usize,
}

impl Verwijderd {
    /// A row that goes with a record (no log row of its own).
    pub fn mee(
        object_type: &'static str,
        object_id: impl Into<String>,
        grond: &Bewaargrond,
    ) -> Self {
        Self {
            organisaties: vec![],
            object_type,
            object_id: object_id.into(),
            betrokkenen: vec![],
            grond: grond.clone(),
            aantal: 1,
        }
    }

    /// `n` rows of kind `object_type` without a record of their own (no log row each):
    /// one entry counting `n`, none when `n` is 0.
    pub fn rijen(object_type: &'static str, n: usize, grond: &Bewaargrond) -> Option<Self> {
        (n > 0).then(|| Self {
            aantal: n,
            ..Self::mee(object_type, "", grond)
        })
    }
}

/// Kinds of record under retention, contributed by the crate that stores them.
pub trait Bewaarbron: Send + Sync {
    /// The kinds of record (`Verwijderd::object_type`) this source removes, each listed in
    /// the report even when none went.
    fn soorten(&self) -> &'static [&'static str];
    /// Remove (or with `proef`, only list) the records whose term has passed at `nu`.
    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>>;
    /// `ruim_op` for a source whose terms count from a fact stored encrypted (a GI
    /// dossier from the child's 18th birthday, `GI_DOSSIER_VANAF_MEERDERJARIG`): the
    /// run's key to read it with. By default the key is not needed.
    fn ruim_op_met_sleutel(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
        _versleuteling: &Versleuteling,
    ) -> QueryResult<Vec<Verwijderd>> {
        self.ruim_op(conn, nu, proef)
    }
}

/// Rule `GI_DOSSIER_VANAF_MEERDERJARIG` (DOMAIN.md §4: a GI dossier is kept "until 30
/// years after the child turns 18"; Jeugdwet art. 7.3.8): the term of kind `gi-dossier`
/// counts from the 18th birthday of the youngest child the record is about (or from the
/// record's own date, if later), not from the record's date alone. A record about a child
/// whose date of birth cannot be read is kept: never removed early.
pub const GI_DOSSIER_VANAF_MEERDERJARIG: &str = "gi-dossier";

/// Counts per kind of record, and per kind the reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opruimrapport {
    /// Per kind of record, in the order the sources name them, the number removed.
    pub per_soort: Vec<(&'static str, usize)>,
    /// Per kind of record and reason, the number removed.
    pub gronden: Vec<(&'static str, Bewaargrond, usize)>,
}

impl Opruimrapport {
    /// Add the removals of one source that names `soorten`.
    pub fn tel(&mut self, soorten: &[&'static str], weg: &[Verwijderd]) {
        for s in soorten {
            if !self.per_soort.iter().any(|(k, _)| k == s) {
                self.per_soort.push((s, 0));
            }
        }
        for w in weg {
            match self.per_soort.iter_mut().find(|(k, _)| *k == w.object_type) {
                Some((_, n)) => *n += w.aantal,
                None => self.per_soort.push((w.object_type, w.aantal)),
            }
            match self
                .gronden
                .iter_mut()
                .find(|(k, g, _)| *k == w.object_type && *g == w.grond)
            {
                Some((_, _, n)) => *n += w.aantal,
                None => self
                    .gronden
                    .push((w.object_type, w.grond.clone(), w.aantal)),
            }
        }
    }

    /// Merge another report into this one.
    pub fn voeg(&mut self, ander: Opruimrapport) {
        for (s, n) in ander.per_soort {
            match self.per_soort.iter_mut().find(|(k, _)| *k == s) {
                Some((_, m)) => *m += n,
                None => self.per_soort.push((s, n)),
            }
        }
        for (s, g, n) in ander.gronden {
            match self.gronden.iter_mut().find(|(k, h, _)| *k == s && *h == g) {
                Some((_, _, m)) => *m += n,
                None => self.gronden.push((s, g, n)),
            }
        }
    }

    /// The reasons of kind `soort`, each with its count, in order.
    pub fn gronden_van(&self, soort: &str) -> Vec<(&Bewaargrond, usize)> {
        let mut uit: Vec<(&Bewaargrond, usize)> = self
            .gronden
            .iter()
            .filter(|(k, _, _)| *k == soort)
            .map(|(_, g, n)| (g, *n))
            .collect();
        uit.sort();
        uit
    }
}

/// The kind of term that holds for an organisation's case records, by its kind
/// (DOMAIN.md §4 "Retention"): police data (and the OM's, which are police data it
/// received) by the Wpg, Veilig Thuis's dossier, the GI's and the Raad's child-protection
/// dossier, and youth care's (jeugdzorg, wijkteam, municipality) jeugdhulp dossier.
/// An organisation overrides the term of its kind in `bewaartermijnen`.
pub fn dossiersoort(soort: Option<OrganisatieSoort>) -> &'static str {
    match soort {
        Some(OrganisatieSoort::Politie | OrganisatieSoort::Om) => "politiegegevens",
        Some(OrganisatieSoort::VeiligThuis) => "vt-dossier",
        Some(OrganisatieSoort::GecertificeerdeInstelling | OrganisatieSoort::Rvdk) => "gi-dossier",
        Some(
            OrganisatieSoort::Jeugdzorg | OrganisatieSoort::Wijkteam | OrganisatieSoort::Gemeente,
        ) => "jeugdhulp-dossier",
        // An organisation no longer in the register: the longest term of all.
        None => "gi-dossier",
    }
}

/// The kinds of term `dossiersoort` gives.
pub const DOSSIERSOORTEN: &[&str] = &[
    "politiegegevens",
    "vt-dossier",
    "gi-dossier",
    "jeugdhulp-dossier",
];

/// The shortest term of any kind in `soorten` at any organisation (its own or the
/// default): records changed more recently are within every term, so a retention source
/// need not look at them.
pub fn kortste_termijn(conn: &mut DbConnection, soorten: &[&str]) -> QueryResult<i64> {
    let eigen: Vec<(String, i64)> = bewaartermijnen::table
        .filter(bewaartermijnen::soort.eq_any(soorten))
        .select((bewaartermijnen::soort, bewaartermijnen::termijn_dagen))
        .load(conn)?;
    let vloer = |soort: &str| {
        STANDAARDTERMIJNEN
            .iter()
            .find(|t| t.soort == soort)
            .map_or(1, |t| t.minimum_dagen)
    };
    Ok(STANDAARDTERMIJNEN
        .iter()
        .filter(|t| soorten.contains(&t.soort))
        .map(|t| t.dagen)
        .chain(eigen.iter().map(|(s, d)| (*d).max(vloer(s))))
        .min()
        .unwrap_or(0))
}

/// `kortste_termijn` of the case-record kinds (`DOSSIERSOORTEN`).
pub fn kortste_dossiertermijn(conn: &mut DbConnection) -> QueryResult<i64> {
    kortste_termijn(conn, DOSSIERSOORTEN)
}

/// The terms in force per organisation, read once per retention run (a cache within one
/// transaction).
#[derive(Debug, Default)]
pub struct Houdertermijnen {
    cache: std::collections::HashMap<(String, &'static str), Bewaargrond>,
}

impl Houdertermijnen {
    /// The term of kind `soort` at `organisatie` (its own, else the default).
    pub fn van_soort(
        &mut self,
        conn: &mut DbConnection,
        organisatie: &str,
        soort: &'static str,
    ) -> QueryResult<Bewaargrond> {
        let sleutel = (organisatie.to_string(), soort);
        if let Some(g) = self.cache.get(&sleutel) {
            return Ok(g.clone());
        }
        let g = Bewaargrond {
            regel: soort.into(),
            termijn_dagen: termijn(conn, organisatie, soort)?,
            organisatie: organisatie.into(),
        };
        self.cache.insert(sleutel, g.clone());
        Ok(g)
    }

    /// The term of `organisatie`'s case records (`dossiersoort` of its kind).
    pub fn dossier(
        &mut self,
        conn: &mut DbConnection,
        organisatie: &str,
    ) -> QueryResult<Bewaargrond> {
        let soort = dossiersoort(
            ketenregie_store::directory::kern_op_code(conn, organisatie)?.map(|o| o.2),
        );
        self.van_soort(conn, organisatie, soort)
    }

    /// Of several holders of one record, the term that binds last: the record goes only
    /// when every holder's term has passed since `sinds`. `None` when it has not (or there
    /// are no holders).
    pub fn verstreken(
        &mut self,
        conn: &mut DbConnection,
        houders: &[String],
        sinds: DateTime<Utc>,
        nu: DateTime<Utc>,
    ) -> QueryResult<Option<Bewaargrond>> {
        let mut langste: Option<Bewaargrond> = None;
        for h in houders {
            let g = self.dossier(conn, h)?;
            if langste.as_ref().is_none_or(|l| {
                g.termijn_dagen.unwrap_or(i64::MAX) > l.termijn_dagen.unwrap_or(i64::MAX)
            }) {
                langste = Some(g);
            }
        }
        Ok(langste.filter(|g| {
            g.termijn_dagen
                .is_some_and(|d| sinds + Duration::days(d) <= nu)
        }))
    }
}

/// Run every source in one transaction per source; log each removal of a domain record
/// in the processing log of each organisation that held it (the row outlives the record
/// by the log's own term).
pub fn voer_uit(
    conn: &mut DbConnection,
    bronnen: &[Arc<dyn Bewaarbron>],
    pseudoniemen: Arc<Pseudonimiseerder>,
    versleuteling: Arc<Versleuteling>,
    nu: DateTime<Utc>,
    proef: bool,
) -> QueryResult<Opruimrapport> {
    let mut rapport = Opruimrapport::default();
    for bron in bronnen {
        // Per source how long it took: an operator sees which rule holds the run up.
        let begin = std::time::Instant::now();
        let weg = conn.transaction(|c| {
            let weg = bron.ruim_op_met_sleutel(c, nu, proef, &versleuteling)?;
            if !proef {
                // Per holding organisation, one processing of the run: a row per removed
                // record and subject, appended with one reservation of its chain.
                let mut per_org: std::collections::BTreeMap<&str, Vec<(String, Vec<Uuid>)>> =
                    std::collections::BTreeMap::new();
                for w in &weg {
                    for org in &w.organisaties {
                        per_org.entry(org.as_str()).or_default().push((
                            format!(
                                "bewaartermijn verstreken: {} ({} {})",
                                w.grond, w.object_type, w.object_id
                            ),
                            w.betrokkenen.clone(),
                        ));
                    }
                }
                for (org, items) in per_org {
                    let ctx = Context {
                        actor: Actor {
                            gebruiker: "systeem".into(),
                            weergavenaam: "bewaartermijnbewaking".into(),
                            organisatie: org.to_string(),
                            rollen: vec![],
                            applicatie: "ketenregie-bewaring".into(),
                        },
                        trace_id: hex::encode(rand::random::<[u8; 16]>()),
                        span_id: hex::encode(rand::random::<[u8; 8]>()),
                        parent_span_id: None,
                        toelichting: None,
                        doorbraak: false,
                        nu,
                        pseudoniemen: pseudoniemen.clone(),
                        versleuteling: versleuteling.clone(),
                        stamgegevens: Default::default(),
                        stempel: None,
                        groepslog: Default::default(),
                    };
                    logboek::verwerkingen(c, &ctx, "vernietiging", &items, "geslaagd")?;
                }
            }
            Ok::<_, diesel::result::Error>(weg)
        })?;
        tracing::info!(
            bron = %bron.soorten().join(","),
            records = weg.iter().map(|w| w.aantal).sum::<usize>(),
            proef,
            ms = begin.elapsed().as_millis() as u64,
            "retention source done"
        );
        rapport.tel(bron.soorten(), &weg);
    }
    Ok(rapport)
}

/// The processing log's retention by whole month (issue 17 point 6, PostgreSQL; nothing on
/// SQLite): each monthly partition of `verwerkingslog`, oldest first, is dropped whole when
/// every row in it is past its organisation's term and the rows of each of its chains are
/// a prefix of that chain (`logboek::bewaar_partities`), with the same retention
/// checkpoint row per chain as the row-by-row path. Listed before `Verwerkingslogbron`,
/// which removes the rest row by row; in a transaction of its own (the drop locks the log
/// until commit). With `proef` nothing is counted here: `Verwerkingslogbron` counts the
/// same rows.
pub struct Logpartitiebron;

impl Bewaarbron for Logpartitiebron {
    fn soorten(&self) -> &'static [&'static str] {
        &["verwerkingslog"]
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        if proef || conn.backend() != ketenregie_store::Backend::Postgres {
            return Ok(vec![]);
        }
        let mut termijnen = Houdertermijnen::default();
        let mut grens = |c: &mut DbConnection, org: &str| {
            let g = termijnen.van_soort(c, org, "verwerkingslog")?;
            Ok(nu - Duration::days(g.termijn_dagen.unwrap_or(5 * JAAR)))
        };
        let uitkomsten = logboek::bewaar_partities(conn, nu, &mut grens)?;
        let mut uit = Vec::new();
        for u in uitkomsten {
            for (org, n) in u.weg {
                let grond = termijnen.van_soort(conn, &org, "verwerkingslog")?;
                uit.extend(Verwijderd::rijen("verwerkingslog", n, &grond));
            }
        }
        Ok(uit)
    }
}

/// The processing log's own retention: rows that ended longer ago than the organisation's
/// term go, per chain and as a prefix of it (`logboek::bewaar_keten`), and each trimmed
/// chain gets a retention checkpoint row saying where it now continues, so `audit verify`
/// can tell retention from deletion. The append-only trigger lets only those rows go (a
/// permit in `logbewaring_vergunningen`, inside the same transaction). Removals of log
/// rows are not themselves logged per row (that would never end): the checkpoint row is
/// the record. The chains are found from their heads (`logketens`) and the unsealed rows,
/// each chain's organisation from its first row, so the run does not scan the whole log.
pub struct Verwerkingslogbron;

impl Bewaarbron for Verwerkingslogbron {
    fn soorten(&self) -> &'static [&'static str] {
        &["verwerkingslog"]
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        use ketenregie_store::schema::logketens;
        let mut namen: std::collections::BTreeSet<String> = logketens::table
            .filter(logketens::id.like("verwerking:%"))
            .select(logketens::id)
            .load::<String>(conn)?
            .into_iter()
            .filter_map(|id| id.strip_prefix("verwerking:").map(str::to_string))
            .collect();
        namen.extend(
            verwerkingslog::table
                .filter(verwerkingslog::volgnummer.eq(0))
                .select(verwerkingslog::keten)
                .distinct()
                .load::<String>(conn)?,
        );
        let mut ketens: Vec<(String, String)> = Vec::new();
        for keten in namen {
            let eerste = |verzegeld: bool| {
                let q = verwerkingslog::table
                    .filter(verwerkingslog::keten.eq(keten.clone()))
                    .filter(verwerkingslog::activiteit.ne(logboek::BEWARING_IJKPUNT))
                    .select(verwerkingslog::organisatie)
                    .into_boxed();
                if verzegeld {
                    q.filter(verwerkingslog::volgnummer.gt(0))
                        .order(verwerkingslog::volgnummer)
                } else {
                    q.filter(verwerkingslog::volgnummer.eq(0))
                        .order(verwerkingslog::id)
                }
            };
            let org: Option<String> = match eerste(true).first(conn).optional()? {
                Some(o) => Some(o),
                None => eerste(false).first(conn).optional()?,
            };
            if let Some(org) = org {
                ketens.push((org, keten));
            }
        }
        let mut uit = Vec::new();
        let mut termijnen = Houdertermijnen::default();
        for (org, keten) in ketens {
            let grond = termijnen.van_soort(conn, &org, "verwerkingslog")?;
            let grens = nu - Duration::days(grond.termijn_dagen.unwrap_or(5 * JAAR));
            if !logboek::heeft_rijen_voor(conn, &org, grens)? {
                // Nothing of the organisation started before its limit, so nothing in its
                // chain ended before it: the chain is not touched (not sealed, not locked).
                continue;
            }
            let n = logboek::bewaar_keten(conn, &keten, &org, grens, nu, proef)?;
            // Log rows carry no domain record: counted, not logged per row.
            uit.extend(Verwijderd::rijen("verwerkingslog", n, &grond));
        }
        Ok(uit)
    }
}

/// Only the functional admin sets the organisation's own retention terms.
pub const FUNCTIONEEL_BEHEERDER_BEWAART: &str = "FUNCTIONEEL_BEHEERDER_BEWAART";

/// The default term of kind `soort`; `NietGevonden` naming the known kinds otherwise.
pub fn standaard(soort: &str) -> Result<&'static Standaardtermijn, Fout> {
    STANDAARDTERMIJNEN
        .iter()
        .find(|t| t.soort == soort)
        .ok_or_else(|| {
            Fout::NietGevonden(format!(
                "Er is geen bewaartermijn van deze soort; bekend: {}",
                STANDAARDTERMIJNEN
                    .iter()
                    .map(|t| t.soort)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

/// `GET /bewaartermijnen`: the rules in force for the caller's organisation.
pub fn geldend(conn: &mut DbConnection, ctx: &Context) -> Result<Vec<Bewaarregel>, Fout> {
    Ok(regels(conn, &ctx.actor.organisatie)?)
}

/// `GET /bewaartermijnen/{soort}`: the rule of one kind in force for the caller's
/// organisation, with its version (the ETag).
pub fn geldend_voor(
    conn: &mut DbConnection,
    ctx: &Context,
    std: &Standaardtermijn,
) -> Result<Bewaarregel, Fout> {
    Ok(regel(conn, &ctx.actor.organisatie, std.soort)?)
}

/// `BEWAARTERMIJN_ONDERGRENS`: the problem of a term of `dagen` days for `std`'s kind, if
/// it is below the kind's floor (`termijnDagen`, code `wettelijk-minimum`). Checked by
/// `zet`, and by the API beside the body's other problems (README "Invalid input").
pub fn onder_ondergrens(
    std: &Standaardtermijn,
    dagen: i64,
) -> Option<ketenregie_common::InvalidParam> {
    (dagen < std.minimum_dagen).then(|| ketenregie_common::InvalidParam {
        name: "termijnDagen".into(),
        code: "wettelijk-minimum".into(),
        reason: format!(
            "{BEWAARTERMIJN_ONDERGRENS}: de bewaartermijn van `{}` is ten minste {} dagen ({})",
            std.soort, std.minimum_dagen, std.minimum_bron
        ),
    })
}

/// `PUT /bewaartermijnen/{soort}`: the functional admin (`FUNCTIONEEL_BEHEERDER_BEWAART`)
/// sets the organisation's own term of `dagen` days for `std`'s kind, with the reason
/// `toelichting`, when `voorwaarde` (`If-Match`) holds for the current version; recorded in
/// the organisation's audit trail with the old term. Returns the rule now in force.
/// Errors: `GeenToegang` for another role; `Ongeldig` naming `termijnDagen` (a 422, code
/// `wettelijk-minimum`) below the kind's floor (`BEWAARTERMIJN_ONDERGRENS`);
/// `VoorwaardeMislukt` when `If-Match` does not hold.
pub fn zet(
    conn: &mut DbConnection,
    ctx: &Context,
    std: &Standaardtermijn,
    dagen: i64,
    toelichting: &str,
    voorwaarde: &IfMatch,
) -> Result<Bewaarregel, Fout> {
    if !ctx.actor.heeft_rol(Rol::FunctioneelBeheerder) {
        return Err(Fout::geen_toegang(
            FUNCTIONEEL_BEHEERDER_BEWAART,
            "Alleen de functioneel beheerder zet bewaartermijnen",
        ));
    }
    if let Some(p) = onder_ondergrens(std, dagen) {
        return Err(Fout::Ongeldig(vec![p]));
    }
    let (org, soort) = (&ctx.actor.organisatie, std.soort);
    let oud = termijn(conn, org, soort)?;
    zet_termijn(conn, org, soort, dagen, toelichting, voorwaarde)?;
    logboek::audit(
        conn,
        ctx,
        &logboek::AuditRegel {
            actie: "wijzigen".into(),
            object: logboek::Object {
                soort: "bewaartermijnen",
                id: soort.to_string(),
                eigenaar: org.clone(),
            },
            resultaat: 200,
            doorbraak: false,
            grondslag: None,
            oud: oud.map(|d| serde_json::json!({"termijnDagen": d})),
            nieuw: Some(serde_json::json!({"termijnDagen": dagen, "toelichting": toelichting})),
        },
    )?;
    Ok(regel(conn, org, soort)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_domain_md() {
        for soort in [
            "vt-dossier",
            "jeugdhulp-dossier",
            "gi-dossier",
            "politiegegevens",
            "coordinatiesignaal",
            "verwerkingslog",
        ] {
            assert!(
                STANDAARDTERMIJNEN.iter().any(|t| t.soort == soort),
                "{soort}"
            );
        }
    }
}
