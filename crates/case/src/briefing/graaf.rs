//! Step 1-3 of the briefing in one round trip: from the search key, everything the walk
//! over persons and families can reach, read in one SQL statement (issue 17 point 4),
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
//! It returns the families of `g` with all their members, and the person records of every
//! identity in `i1` and of every member of a family in `g`. The walk only ever narrows
//! these (to the identities the caller may see, to the families whose owner contributes,
//! at most `MAX_GEZINNEN`), so no later statement is needed for steps 1-3. Nothing is
//! decrypted here.
//!
//! Plain SQL (both backends understand `WITH`, `UNION` and `IN (subquery)`) with the one
//! parameter written in each backend's placeholder; the indexes used are those of the
//! walk (`personen` by key hash and by `betrokkene`, `gezinsleden` by person and by
//! family).

use super::vraag::Zoekvraag;
use crate::gezinnen::{Gezin, Lid, Relatie};
use crate::identiteit;
use crate::personen::PersoonRij;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};
use ketenregie_common::time::from_db;
use ketenregie_common::{Fout, Vertrouwelijkheid};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::{Backend, DbConnection};
use std::collections::BTreeMap;
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

    fn kolom_en_waarde(&self) -> (&'static str, &str) {
        match self {
            Sleutel::Bsn(h) => ("bsn_hash", h),
            Sleutel::Naam(h) => ("naam_hash", h),
            Sleutel::Adres(h) => ("adres_hash", h),
        }
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

/// The columns of the three parts (`deel`: `s` stamp, `g` family member, `p` person).
#[derive(QueryableByName)]
struct Rij {
    #[diesel(sql_type = Text)]
    deel: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    versie: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    g_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    g_eigenaar: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    g_kenmerk: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    g_vertrouwelijkheid: Option<String>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    g_aangemaakt_op: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    l_persoon_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    l_relatie: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    l_van: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    l_tot: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    p_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_eigenaar: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_betrokkene: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_bsn_hash: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_naam_hash: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_adres_hash: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_gegevens: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_gemeente: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    p_vertrouwelijkheid: Option<String>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    p_aangemaakt_op: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    p_gewijzigd_op: Option<NaiveDateTime>,
}

/// The statement, for `kolom` (a fixed column name) and the backend's placeholder `p`.
/// Every `NULL` is cast: PostgreSQL types a `UNION` arm by arm, and two untyped `NULL`s
/// would become `text` before meeting a timestamp.
fn sql(kolom: &str, p: &str) -> String {
    const T: &str = "CAST(NULL AS TEXT)";
    const TS: &str = "CAST(NULL AS TIMESTAMP)";
    const D: &str = "CAST(NULL AS DATE)";
    const B: &str = "CAST(NULL AS BIGINT)";
    format!(
        "WITH z AS (SELECT betrokkene FROM personen WHERE {kolom} = {p}), \
         g1 AS (SELECT gl.gezin_id FROM gezinsleden gl JOIN personen pz ON pz.id = gl.persoon_id \
                WHERE pz.betrokkene IN (SELECT betrokkene FROM z)), \
         i1 AS (SELECT betrokkene FROM z UNION \
                SELECT pl.betrokkene FROM gezinsleden gl JOIN personen pl ON pl.id = gl.persoon_id \
                WHERE gl.gezin_id IN (SELECT gezin_id FROM g1)), \
         gg AS (SELECT gl.gezin_id FROM gezinsleden gl JOIN personen pi ON pi.id = gl.persoon_id \
                WHERE pi.betrokkene IN (SELECT betrokkene FROM i1)) \
         SELECT 's' AS deel, versie, {T} AS g_id, {T} AS g_eigenaar, {T} AS g_kenmerk, \
                {T} AS g_vertrouwelijkheid, {TS} AS g_aangemaakt_op, {T} AS l_persoon_id, \
                {T} AS l_relatie, {D} AS l_van, {D} AS l_tot, {T} AS p_id, {T} AS p_eigenaar, \
                {T} AS p_betrokkene, {T} AS p_bsn_hash, {T} AS p_naam_hash, {T} AS p_adres_hash, \
                {T} AS p_gegevens, {T} AS p_gemeente, {T} AS p_vertrouwelijkheid, \
                {TS} AS p_aangemaakt_op, {TS} AS p_gewijzigd_op \
           FROM stamgegevens_versie WHERE id = 1 \
         UNION ALL \
         SELECT 'g', {B}, g.id, g.eigenaar, g.kenmerk, g.vertrouwelijkheid, g.aangemaakt_op, \
                l.persoon_id, l.relatie, l.van, l.tot, \
                {T}, {T}, {T}, {T}, {T}, {T}, {T}, {T}, {T}, {TS}, {TS} \
           FROM gezinnen g JOIN gezinsleden l ON l.gezin_id = g.id \
          WHERE g.id IN (SELECT gezin_id FROM gg) \
         UNION ALL \
         SELECT 'p', {B}, {T}, {T}, {T}, {T}, {TS}, {T}, {T}, {D}, {D}, \
                p.id, p.eigenaar, p.betrokkene, p.bsn_hash, p.naam_hash, p.adres_hash, \
                p.gegevens, p.gemeente, p.vertrouwelijkheid, p.aangemaakt_op, p.gewijzigd_op \
           FROM personen p \
          WHERE p.betrokkene IN (SELECT betrokkene FROM i1) \
             OR p.id IN (SELECT persoon_id FROM gezinsleden WHERE gezin_id IN (SELECT gezin_id FROM gg))"
    )
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
    let (kolom, waarde) = sleutel.kolom_en_waarde();
    let p = match conn.backend() {
        Backend::Postgres => "$1",
        Backend::Sqlite => "?",
    };
    let rijen: Vec<Rij> = diesel::sql_query(sql(kolom, p))
        .bind::<Text, _>(waarde)
        .load(conn)?;
    let mut g = Graaf::default();
    for r in rijen {
        match r.deel.as_str() {
            "s" => g.versie = r.versie,
            "g" => {
                let id: Uuid = ontleed(&veld(r.g_id, "gezin")?, "gezin-id")?;
                let gezin = match g.gezinnen.entry(id) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => e.insert(Gezin {
                        id,
                        eigenaar: veld(r.g_eigenaar, "eigenaar")?,
                        kenmerk: r.g_kenmerk,
                        vertrouwelijkheid: ontleed::<Vertrouwelijkheid>(
                            &veld(r.g_vertrouwelijkheid, "vertrouwelijkheid")?,
                            "vertrouwelijkheid",
                        )?,
                        aangemaakt_op: from_db(veld(r.g_aangemaakt_op, "aangemaakt_op")?),
                        leden: Vec::new(),
                    }),
                };
                gezin.leden.push(Lid {
                    persoon: ontleed(&veld(r.l_persoon_id, "persoon")?, "persoon-id")?,
                    relatie: ontleed::<Relatie>(&veld(r.l_relatie, "relatie")?, "relatie")?,
                    van: r.l_van,
                    tot: r.l_tot,
                });
            }
            _ => {
                let id = veld(r.p_id, "persoon")?;
                g.personen.insert(
                    id.clone(),
                    PersoonRij {
                        id,
                        eigenaar: veld(r.p_eigenaar, "eigenaar")?,
                        betrokkene: veld(r.p_betrokkene, "betrokkene")?,
                        bsn_hash: r.p_bsn_hash,
                        naam_hash: veld(r.p_naam_hash, "naam_hash")?,
                        adres_hash: r.p_adres_hash,
                        gegevens: veld(r.p_gegevens, "gegevens")?,
                        gemeente: r.p_gemeente,
                        vertrouwelijkheid: ontleed(
                            &veld(r.p_vertrouwelijkheid, "vertrouwelijkheid")?,
                            "vertrouwelijkheid",
                        )?,
                        aangemaakt_op: veld(r.p_aangemaakt_op, "aangemaakt_op")?,
                        gewijzigd_op: veld(r.p_gewijzigd_op, "gewijzigd_op")?,
                    },
                );
            }
        }
    }
    Ok(g)
}

impl Graaf {
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
