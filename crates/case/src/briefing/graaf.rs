//! Steps 1-3, 6 and 8 of the briefing in one round trip: from the search key, everything
//! the walk over persons and families can reach, with the gezag records of those persons
//! and the short view of their incidents, read in one SQL statement (issue 17 point 4),
//! plus the version stamp of the decision's inputs (`privacy::stamgegevens`), so the
//! cached agreements need no statement of their own.
//!
//! The statement reads a superset of what the walk in `opbouw` uses; the walk then applies
//! the privacy decision in memory, exactly as when it read step by step:
//! - `z`: the identities (`betrokkene`) of every record the key matches;
//! - `g1`: the families with a member record of those identities;
//! - `i1`: those identities and the identities of every member of `g1`;
//! - `g`: the families with a member record of any identity in `i1` (the walk's second
//!   round; it contains `g1`).
//!
//! It returns the families of `g` with all their members; the person records `pp` of every
//! identity in `i1` and of every member of a family in `g`, and the records `hh` of the
//! holders of the gezag records of children in `pp` (a voogd outside the family, a
//! grandparent: `GEZAGHOUDER_BUITEN_GEZIN_BIJ_NAAM`); the gezag records of children
//! in `pp`; and the incidents involving a person in `pp` or recorded in a family of `g`
//! (their short view, which of the persons in `pp` they involve, and who made each
//! statement: role and person). The walk only ever narrows
//! these (to the identities the caller may see, to the families whose owner contributes,
//! at most `MAX_GEZINNEN`), so no later statement is needed for steps 1-3. Nothing is
//! decrypted here.
//!
//! Plain SQL (both backends understand `WITH`, `UNION` and `IN (subquery)`) with the one
//! parameter, kept prepared on each pooled connection (`store::voorbereid`): its text is
//! fixed per search column, so PostgreSQL plans it once per connection instead of on
//! every briefing (planning took 5-10 ms of PostgreSQL CPU per briefing, the execution
//! 1-2 ms), and SQLite compiles it once. The parts share generic columns
//! (`t1`..`t9` text, `ts1`/`ts2` timestamps, `d1`/`d2` dates, `n` a number), each part
//! naming what it puts where. The indexes used are those the step-by-step walk used
//! (`personen` by key hash and by `betrokkene`, `gezinsleden` by person and by family,
//! `gezag` by child, `incident_betrokkenen` by person, `incidenten` by family, and the
//! covering `incidenten_briefing_idx`). The key hashes and the incidents' family are
//! indexed only where present (partial indexes, migration 2026-12-04-000301): with
//! planner statistics, SQLite took an index over a column that is mostly empty for a bad
//! one and scanned every incident (and, by address, every person) instead.

use super::vraag::Zoekvraag;
use crate::gezag::{Gezag, Gezagsbron, Gezagsvorm};
use crate::gezinnen::{Gezin, Lid, Relatie};
use crate::identiteit;
use crate::incidenten::{IncidentKort, Incidentsoort, Spreker, Verklaarder, Wederhoor};
use crate::personen::PersoonRij;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};
use ketenregie_common::Fout;
use ketenregie_common::time::from_db;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::voorbereid::Voorbereid;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::OnceLock;
use uuid::Uuid;

/// What the one statement returned.
#[derive(Debug, Default)]
pub(super) struct Graaf {
    /// The version stamp of the agreements and the register, if the table exists.
    pub(super) versie: Option<i64>,
    /// Families by id, with all their members.
    pub(super) gezinnen: BTreeMap<Uuid, Gezin>,
    /// Person records by id.
    pub(super) personen: BTreeMap<String, PersoonRij>,
    /// Gezag records of children among `personen`, with their creation time.
    pub(super) gezag: Vec<(Gezag, NaiveDateTime)>,
    /// The short view of incidents, by id, with their family.
    pub(super) incidenten: BTreeMap<Uuid, (IncidentKort, Option<Uuid>)>,
    /// Which persons (record ids) each incident involves, of those among `personen`.
    pub(super) incident_personen: Vec<(Uuid, String)>,
}

/// The key the search matched on, to pick the matches out of the person records.
#[derive(Debug, Clone)]
pub(super) enum Sleutel {
    Bsn(String),
    Naam(String),
    Adres(String),
}

impl Sleutel {
    pub(super) fn van(vraag: &Zoekvraag, v: &Versleuteling) -> Self {
        match vraag {
            Zoekvraag::Bsn(b) => Sleutel::Bsn(identiteit::bsn_hash(v, b)),
            Zoekvraag::Naam {
                voornamen,
                achternaam,
                geboortedatum,
            } => Sleutel::Naam(identiteit::naam_hash(
                v,
                voornamen,
                achternaam,
                *geboortedatum,
            )),
            Zoekvraag::Adres {
                postcode,
                huisnummer,
            } => Sleutel::Adres(identiteit::adres_hash(v, postcode, huisnummer)),
        }
    }

    /// The statement for this key's column on this backend (built once per process) and
    /// the key's value.
    fn sql_en_waarde(&self, pg: bool) -> (&'static [String; 2], &str) {
        static SQL: [[OnceLock<[String; 2]>; 3]; 2] = [
            [OnceLock::new(), OnceLock::new(), OnceLock::new()],
            [OnceLock::new(), OnceLock::new(), OnceLock::new()],
        ];
        let (i, kolom, waarde) = match self {
            Sleutel::Bsn(h) => (0, "bsn_hash", h),
            Sleutel::Naam(h) => (1, "naam_hash", h),
            Sleutel::Adres(h) => (2, "adres_hash", h),
        };
        (
            SQL[usize::from(pg)][i].get_or_init(|| sql(kolom, pg)),
            waarde,
        )
    }

    /// Does record `r` match the key?
    pub(super) fn past(&self, r: &PersoonRij) -> bool {
        match self {
            Sleutel::Bsn(h) => r.bsn_hash.as_deref() == Some(h.as_str()),
            Sleutel::Naam(h) => r.naam_hash == *h,
            Sleutel::Adres(h) => r.adres_hash.as_deref() == Some(h.as_str()),
        }
    }
}

/// The generic columns every part fills (`deel` names the part).
#[derive(QueryableByName)]
struct Rij {
    #[diesel(sql_type = Text)]
    deel: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    n: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    t1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t2: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t3: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t4: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t5: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t6: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t7: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t8: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    t9: Option<String>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    ts1: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    ts2: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Date>)]
    d1: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    d2: Option<NaiveDate>,
}

/// One part of the statement: `deel`, then the expressions for `n`, `t1`..`t9`, `ts1`,
/// `ts2`, `d1`, `d2` (absent ones are a typed `NULL`: PostgreSQL types a `UNION` arm by
/// arm, and two untyped `NULL`s would become `text` before meeting a timestamp), and the
/// rest of the `SELECT`.
fn deel(naam: &str, n: &str, t: &[&str], ts: &[&str], d: &[&str], rest: &str) -> String {
    let of = |v: Option<&&str>, leeg: &str, alias: String| {
        format!("{} AS {alias}", v.map_or(leeg, |x| *x))
    };
    let mut kolommen = vec![format!("'{naam}' AS deel"), of(Some(&n), "", "n".into())];
    kolommen.extend((0..9).map(|i| of(t.get(i), "CAST(NULL AS TEXT)", format!("t{}", i + 1))));
    kolommen
        .extend((0..2).map(|i| of(ts.get(i), "CAST(NULL AS TIMESTAMP)", format!("ts{}", i + 1))));
    kolommen.extend((0..2).map(|i| of(d.get(i), "CAST(NULL AS DATE)", format!("d{}", i + 1))));
    format!("SELECT {} {rest}", kolommen.join(", "))
}

/// The statement for `kolom` (a fixed column name), in two parts: the key's value goes
/// between them. The one difference between the backends: how the holders of a gezag
/// record (a JSON array of person record ids in `gezag.houders`) are read as rows
/// (`json_each` in SQLite, `json_array_elements_text` in PostgreSQL; both name the
/// element `value`).
fn sql(kolom: &str, pg: bool) -> [String; 2] {
    let elementen = if pg {
        "json_array_elements_text(CAST(z.houders AS json))"
    } else {
        "json_each(z.houders)"
    };
    const NB: &str = "CAST(NULL AS BIGINT)";
    let voor = format!("WITH z AS (SELECT betrokkene FROM personen WHERE {kolom} = ");
    let met = "), \
         g1 AS (SELECT gl.gezin_id FROM gezinsleden gl JOIN personen pz ON pz.id = gl.persoon_id \
                WHERE pz.betrokkene IN (SELECT betrokkene FROM z)), \
         i1 AS (SELECT betrokkene FROM z UNION \
                SELECT pl.betrokkene FROM gezinsleden gl JOIN personen pl ON pl.id = gl.persoon_id \
                WHERE gl.gezin_id IN (SELECT gezin_id FROM g1)), \
         gg AS (SELECT gl.gezin_id FROM gezinsleden gl JOIN personen pi ON pi.id = gl.persoon_id \
                WHERE pi.betrokkene IN (SELECT betrokkene FROM i1)), \
         pp AS (SELECT id FROM personen WHERE betrokkene IN (SELECT betrokkene FROM i1) \
                UNION SELECT persoon_id FROM gezinsleden WHERE gezin_id IN (SELECT gezin_id FROM gg)), \
         ii AS (SELECT incident_id AS id FROM incident_betrokkenen WHERE persoon_id IN (SELECT id FROM pp) \
                UNION SELECT id FROM incidenten WHERE gezin_id IS NOT NULL \
                AND gezin_id IN (SELECT gezin_id FROM gg)), ";
    let houders = format!(
        "hh AS (SELECT j.value AS id FROM gezag z, {elementen} j \
                WHERE z.kind_id IN (SELECT id FROM pp)) "
    );
    let delen = [
        deel(
            "s",
            "versie",
            &[],
            &[],
            &[],
            "FROM stamgegevens_versie WHERE id = 1",
        ),
        deel(
            "g",
            NB,
            &[
                "g.id",
                "g.eigenaar",
                "g.kenmerk",
                "g.vertrouwelijkheid",
                "l.persoon_id",
                "l.relatie",
            ],
            &["g.aangemaakt_op"],
            &["l.van", "l.tot"],
            "FROM gezinnen g JOIN gezinsleden l ON l.gezin_id = g.id \
             WHERE g.id IN (SELECT gezin_id FROM gg)",
        ),
        deel(
            "p",
            NB,
            &[
                "id",
                "eigenaar",
                "betrokkene",
                "bsn_hash",
                "naam_hash",
                "adres_hash",
                "gegevens",
                "gemeente",
                "vertrouwelijkheid",
            ],
            &["aangemaakt_op", "gewijzigd_op"],
            &[],
            "FROM personen WHERE id IN (SELECT id FROM pp UNION SELECT id FROM hh)",
        ),
        deel(
            "z",
            NB,
            &[
                "id",
                "eigenaar",
                "kind_id",
                "vorm",
                "houders",
                "houder_instelling",
                "bron",
                "beschikking_id",
            ],
            &["aangemaakt_op"],
            &["geverifieerd_op"],
            "FROM gezag WHERE kind_id IN (SELECT id FROM pp)",
        ),
        deel(
            "i",
            NB,
            &[
                "id",
                "eigenaar",
                "soort",
                "wederhoor",
                "vertrouwelijkheid",
                "gezin_id",
            ],
            &["tijdstip"],
            &[],
            "FROM incidenten WHERE id IN (SELECT id FROM ii)",
        ),
        deel(
            "b",
            NB,
            &["incident_id", "persoon_id"],
            &[],
            &[],
            "FROM incident_betrokkenen WHERE incident_id IN (SELECT id FROM ii) \
             AND persoon_id IN (SELECT id FROM pp)",
        ),
        deel(
            "v",
            NB,
            &["incident_id", "afgelegd_door", "persoon_id"],
            &[],
            &[],
            "FROM verklaringen WHERE incident_id IN (SELECT id FROM ii)",
        ),
    ];
    [voor, format!("{met}{houders}{}", delen.join(" UNION ALL "))]
}

fn veld<T>(v: Option<T>, naam: &str) -> Result<T, Fout> {
    v.ok_or_else(|| Fout::intern(format!("briefing: kolom {naam} ontbreekt")))
}

fn ontleed<T: std::str::FromStr>(s: &str, naam: &str) -> Result<T, Fout> {
    s.parse()
        .map_err(|_| Fout::intern(format!("briefing: ongeldige {naam} `{s}`")))
}

/// Read everything the walk can reach from `sleutel`, in one statement.
pub(super) fn lees(conn: &mut DbConnection, sleutel: &Sleutel) -> Result<Graaf, Fout> {
    let pg = matches!(conn, DbConnection::Pg(_));
    let (sql, waarde) = sleutel.sql_en_waarde(pg);
    let rijen: Vec<Rij> = Voorbereid::nieuw(sql, &[waarde]).load(conn)?;
    let mut g = Graaf::default();
    let mut verklaarders: Vec<(Uuid, Spreker)> = Vec::new();
    for r in rijen {
        match r.deel.as_str() {
            "s" => g.versie = r.n,
            "g" => {
                let id: Uuid = ontleed(&veld(r.t1, "gezin")?, "gezin-id")?;
                let gezin = match g.gezinnen.entry(id) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(Gezin {
                        id,
                        eigenaar: veld(r.t2, "eigenaar")?,
                        kenmerk: r.t3,
                        vertrouwelijkheid: ontleed(&veld(r.t4, "niveau")?, "niveau")?,
                        aangemaakt_op: from_db(veld(r.ts1, "aangemaakt_op")?),
                        leden: Vec::new(),
                    }),
                };
                gezin.leden.push(Lid {
                    persoon: ontleed(&veld(r.t5, "persoon")?, "persoon-id")?,
                    relatie: ontleed::<Relatie>(&veld(r.t6, "relatie")?, "relatie")?,
                    van: r.d1,
                    tot: r.d2,
                });
            }
            "p" => {
                let id = veld(r.t1, "persoon")?;
                g.personen.insert(
                    id.clone(),
                    PersoonRij {
                        id,
                        eigenaar: veld(r.t2, "eigenaar")?,
                        betrokkene: veld(r.t3, "betrokkene")?,
                        bsn_hash: r.t4,
                        naam_hash: veld(r.t5, "naam_hash")?,
                        adres_hash: r.t6,
                        gegevens: veld(r.t7, "gegevens")?,
                        gemeente: r.t8,
                        vertrouwelijkheid: ontleed(&veld(r.t9, "niveau")?, "niveau")?,
                        aangemaakt_op: veld(r.ts1, "aangemaakt_op")?,
                        gewijzigd_op: veld(r.ts2, "gewijzigd_op")?,
                    },
                );
            }
            "z" => {
                let houders: Vec<Uuid> = serde_json::from_str(&veld(r.t5, "houders")?)
                    .map_err(|e| Fout::intern(format!("briefing: houders: {e}")))?;
                let gezag = Gezag {
                    id: ontleed(&veld(r.t1, "gezag")?, "gezag-id")?,
                    eigenaar: veld(r.t2, "eigenaar")?,
                    kind: ontleed(&veld(r.t3, "kind")?, "kind-id")?,
                    vorm: ontleed::<Gezagsvorm>(&veld(r.t4, "vorm")?, "vorm")?,
                    houders,
                    houder_instelling: r.t6,
                    bron: ontleed::<Gezagsbron>(&veld(r.t7, "bron")?, "bron")?,
                    beschikking: r.t8.map(|b| ontleed(&b, "beschikking-id")).transpose()?,
                    geverifieerd_op: veld(r.d1, "geverifieerd_op")?,
                };
                g.gezag.push((gezag, veld(r.ts1, "aangemaakt_op")?));
            }
            "i" => {
                let id: Uuid = ontleed(&veld(r.t1, "incident")?, "incident-id")?;
                let gezin = r.t6.map(|x| ontleed(&x, "gezin-id")).transpose()?;
                g.incidenten.insert(
                    id,
                    (
                        IncidentKort {
                            id,
                            eigenaar: veld(r.t2, "eigenaar")?,
                            tijdstip: from_db(veld(r.ts1, "tijdstip")?),
                            soort: ontleed::<Incidentsoort>(&veld(r.t3, "soort")?, "soort")?,
                            wederhoor: ontleed::<Wederhoor>(
                                &veld(r.t4, "wederhoor")?,
                                "wederhoor",
                            )?,
                            vertrouwelijkheid: ontleed(&veld(r.t5, "niveau")?, "niveau")?,
                            verklaarders: Vec::new(),
                        },
                        gezin,
                    ),
                );
            }
            "b" => g.incident_personen.push((
                ontleed(&veld(r.t1, "incident")?, "incident-id")?,
                veld(r.t2, "persoon")?,
            )),
            _ => verklaarders.push((
                ontleed(&veld(r.t1, "incident")?, "incident-id")?,
                (
                    ontleed::<Verklaarder>(&veld(r.t2, "afgelegd_door")?, "verklaarder")?,
                    r.t3.map(|p| ontleed(&p, "persoon-id")).transpose()?,
                ),
            )),
        }
    }
    for (incident, v) in verklaarders {
        if let Some((i, _)) = g.incidenten.get_mut(&incident) {
            i.verklaarders.push(v);
        }
    }
    Ok(g)
}

impl Graaf {
    /// Gezag records of children `kinderen` (record ids), newest verification first (as
    /// `gezag::van_kinderen`).
    pub(super) fn gezag_van(&self, kinderen: &BTreeMap<String, PersoonRij>) -> Vec<Gezag> {
        let mut uit: Vec<&(Gezag, NaiveDateTime)> = self
            .gezag
            .iter()
            .filter(|(g, _)| kinderen.contains_key(&g.kind.to_string()))
            .collect();
        uit.sort_by_key(|(g, aangemaakt)| std::cmp::Reverse((g.geverifieerd_op, *aangemaakt)));
        uit.into_iter().map(|(g, _)| g.clone()).collect()
    }

    /// The incidents involving any of `personen` (record ids) or recorded in any of
    /// `gezinnen`, newest first (as `incidenten::kort_van`).
    pub(super) fn incidenten_van(
        &self,
        personen: &BTreeMap<String, PersoonRij>,
        gezinnen: &[String],
    ) -> Vec<IncidentKort> {
        let gezinnen: std::collections::BTreeSet<Uuid> =
            gezinnen.iter().filter_map(|g| g.parse().ok()).collect();
        let mut ids: std::collections::BTreeSet<Uuid> = self
            .incident_personen
            .iter()
            .filter(|(_, p)| personen.contains_key(p))
            .map(|(i, _)| *i)
            .collect();
        ids.extend(
            self.incidenten
                .iter()
                .filter(|(_, (_, g))| g.is_some_and(|g| gezinnen.contains(&g)))
                .map(|(i, _)| *i),
        );
        let mut uit: Vec<IncidentKort> = ids
            .iter()
            .filter_map(|i| self.incidenten.get(i).map(|(k, _)| k.clone()))
            .collect();
        uit.sort_by_key(|i| std::cmp::Reverse(i.tijdstip));
        uit
    }

    /// The families (sorted by id, without duplicates) with a member among `personen`.
    pub(super) fn gezinnen_met(
        &self,
        personen: &std::collections::BTreeSet<String>,
    ) -> Vec<String> {
        self.gezinnen
            .values()
            .filter(|g| {
                g.leden
                    .iter()
                    .any(|l| personen.contains(&l.persoon.to_string()))
            })
            .map(|g| g.id.to_string())
            .collect()
    }
}
