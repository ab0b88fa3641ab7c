//! Retention of the processing log (`bewaring`): rows are removed only as a prefix of a
//! chain, and a checkpoint row (`BEWARING_IJKPUNT`) records where the chain continues and
//! the hash before it, so `verifieer` still proves the rest whole. Only sealed rows
//! (`volgnummer > 0`) count: an unsealed row has no position yet and waits for the sealer.

use super::{VerwerkingInhoud, tijd};
use crate::keten;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::to_db;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::verwerkingslog;

/// The processing activity of a retention checkpoint row (`BEWARING_IJKPUNT`).
pub const BEWARING_IJKPUNT: &str = "bewaring-ijkpunt";

/// The legal basis text of a retention checkpoint row: what was removed and where the
/// chain continues (`vanaf`, the first row kept) with the hash before it (`vorige`).
fn bewaringsgrondslag(vanaf: i64, vorige: &str) -> String {
    format!("bewaartermijn verwerkingslog verstreken; vanaf={vanaf}; vorige={vorige}")
}

/// Read a retention checkpoint's `(vanaf, vorige)` from its legal-basis text.
pub fn lees_bewaringsijkpunt(grondslag: &str) -> Option<(i64, String)> {
    let mut vanaf = None;
    let mut vorige = None;
    for deel in grondslag.split("; ") {
        if let Some(v) = deel.strip_prefix("vanaf=") {
            vanaf = v.parse().ok();
        } else if let Some(v) = deel.strip_prefix("vorige=") {
            vorige = Some(v.to_string());
        }
    }
    Some((vanaf?, vorige?))
}

/// The rows retention would remove from processing-log chain `keten`: those before the
/// first row that ended at or after `grens` (a prefix of the chain, so the chain stays
/// one unbroken run; a row that ended earlier but lies after a newer one waits for the
/// next run). Returns (first row to keep, number of rows before it), or `None` when
/// nothing goes.
fn te_bewaren_vanaf(
    conn: &mut DbConnection,
    keten: &str,
    grens: NaiveDateTime,
    tot: Option<i64>,
) -> QueryResult<Option<(i64, i64)>> {
    use diesel::dsl::min;
    let mut q = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(keten))
        .filter(verwerkingslog::volgnummer.gt(0))
        .into_boxed();
    if let Some(t) = tot {
        q = q.filter(verwerkingslog::volgnummer.lt(t));
    }
    let eerste: Option<i64> = q.select(min(verwerkingslog::volgnummer)).first(conn)?;
    let Some(eerste) = eerste else {
        return Ok(None);
    };
    let mut q = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(keten))
        .filter(verwerkingslog::volgnummer.gt(0))
        .filter(verwerkingslog::eind_op.ge(grens))
        .into_boxed();
    if let Some(t) = tot {
        q = q.filter(verwerkingslog::volgnummer.lt(t));
    }
    let bewaard: Option<i64> = q.select(min(verwerkingslog::volgnummer)).first(conn)?;
    let vanaf = match (bewaard, tot) {
        (Some(b), _) => b,
        (None, Some(t)) => t,
        (None, None) => {
            let laatste: Option<i64> = verwerkingslog::table
                .filter(verwerkingslog::keten.eq(keten))
                .filter(verwerkingslog::volgnummer.gt(0))
                .select(diesel::dsl::max(verwerkingslog::volgnummer))
                .first(conn)?;
            laatste.unwrap_or(eerste) + 1
        }
    };
    if vanaf <= eerste {
        return Ok(None);
    }
    let n: i64 = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(keten))
        .filter(verwerkingslog::volgnummer.gt(0))
        .filter(verwerkingslog::volgnummer.lt(vanaf))
        .count()
        .get_result(conn)?;
    Ok(Some((vanaf, n)))
}

/// Whether organisation `organisatie` has a processing-log row that started before
/// `grens`: one seek in `verwerkingslog_organisatie_idx` (organisatie, start_op, id), on
/// PostgreSQL in the partitions of the months before `grens` only. A row that ended before
/// `grens` started before it, so `false` means retention has nothing to remove from the
/// organisation's chain (its chain holds only its own rows: `verwerking_invoeg`), and the
/// daily run need not seal and lock it. After a month was dropped whole this makes the
/// row-by-row pass over every chain a handful of index probes.
pub fn heeft_rijen_voor(
    conn: &mut DbConnection,
    organisatie: &str,
    grens: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        verwerkingslog::table
            .filter(verwerkingslog::organisatie.eq(organisatie))
            .filter(verwerkingslog::start_op.lt(to_db(grens))),
    ))
    .get_result(conn)
}

/// Retention of one processing-log chain (`keten`, of `organisatie`): remove the rows
/// that ended before `grens` as a prefix of the chain, and append a retention checkpoint
/// row to the same chain (activity `BEWARING_IJKPUNT`) that says where the chain now
/// continues and with which previous hash. `verifieer` accepts a chain that starts after
/// row 1 only when its last checkpoint says so, so deleting the first rows any other way
/// shows. The delete is let through by the append-only trigger only for the rows a permit
/// in `logbewaring_vergunningen` covers, written and removed in this transaction. With
/// `proef`, only count. Returns the number of rows removed.
pub fn bewaar_keten(
    conn: &mut DbConnection,
    keten: &str,
    organisatie: &str,
    grens: DateTime<Utc>,
    nu: DateTime<Utc>,
    proef: bool,
) -> QueryResult<usize> {
    use ketenregie_store::schema::logbewaring_vergunningen as vg;
    let grens = to_db(grens);
    // Seal what is unsealed in the chain first (under the head's lock, as the sealer does):
    // only sealed rows have a position a prefix can end at.
    if !proef {
        super::verzegelaar::verzegel_verwerking(conn, keten)?;
    }
    let Some((_, n)) = te_bewaren_vanaf(conn, keten, grens, None)? else {
        return Ok(0);
    };
    if proef {
        return Ok(n as usize);
    }
    // Lock the chain head (our checkpoint's position), then decide under the lock.
    let kop_id = format!("verwerking:{keten}");
    let (positie, vorige) = keten::volgende(conn, &kop_id)?;
    let Some((vanaf, _)) = te_bewaren_vanaf(conn, keten, grens, Some(positie))? else {
        // Nothing left to remove after all: the position is taken, so fill it.
        return schrijf_bewaringsijkpunt(conn, keten, organisatie, positie, &vorige, None, nu)
            .map(|_| 0);
    };
    let voor_vanaf: String = if vanaf == positie {
        vorige.clone()
    } else {
        verwerkingslog::table
            .filter(verwerkingslog::keten.eq(keten))
            .filter(verwerkingslog::volgnummer.gt(0))
            .filter(verwerkingslog::volgnummer.eq(vanaf))
            .select(verwerkingslog::vorige_hash)
            .first(conn)?
    };
    diesel::insert_into(vg::table)
        .values((vg::keten.eq(keten), vg::tot_volgnummer.eq(vanaf)))
        .execute(conn)?;
    let weg = diesel::delete(
        verwerkingslog::table
            .filter(verwerkingslog::keten.eq(keten))
            .filter(verwerkingslog::volgnummer.gt(0))
            .filter(verwerkingslog::volgnummer.lt(vanaf)),
    )
    .execute(conn)?;
    diesel::delete(vg::table.filter(vg::keten.eq(keten))).execute(conn)?;
    schrijf_bewaringsijkpunt(
        conn,
        keten,
        organisatie,
        positie,
        &vorige,
        Some((vanaf, &voor_vanaf)),
        nu,
    )?;
    Ok(weg)
}

/// Write the retention checkpoint row at the reserved `positie` and close the chain.
fn schrijf_bewaringsijkpunt(
    conn: &mut DbConnection,
    keten: &str,
    organisatie: &str,
    positie: i64,
    vorige: &str,
    vervolg: Option<(i64, &str)>,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    let id = ids::new_id().to_string();
    let trace_id = hex::encode(rand::random::<[u8; 16]>());
    let span_id = hex::encode(rand::random::<[u8; 8]>());
    let tijd_db = to_db(nu);
    // Without removal (a race lost under the lock) the checkpoint repeats the chain's
    // current start, which the verifier accepts the same way.
    let grondslag = match vervolg {
        Some((vanaf, h)) => bewaringsgrondslag(vanaf, h),
        None => {
            let (vanaf, h): (i64, String) = verwerkingslog::table
                .filter(verwerkingslog::keten.eq(keten))
                .filter(verwerkingslog::volgnummer.gt(0))
                .order(verwerkingslog::volgnummer)
                .select((verwerkingslog::volgnummer, verwerkingslog::vorige_hash))
                .first(conn)
                .optional()?
                .unwrap_or((positie, vorige.to_string()));
            bewaringsgrondslag(vanaf, &h)
        }
    };
    let inhoud = VerwerkingInhoud {
        id: &id,
        keten,
        volgnummer: positie,
        trace_id: &trace_id,
        span_id: &span_id,
        parent_span_id: None,
        organisatie,
        activiteit: BEWARING_IJKPUNT,
        grondslag: &grondslag,
        convenant_id: None,
        convenant_versie: None,
        betrokkene: "",
        resultaat: "geslaagd",
        doorbraak: false,
        start_op: tijd(tijd_db),
        eind_op: tijd(tijd_db),
    };
    let hash = keten::hash(vorige, &serde_json::to_string(&inhoud).expect("serialises"));
    diesel::insert_into(verwerkingslog::table)
        .values((
            verwerkingslog::id.eq(&id),
            verwerkingslog::keten.eq(keten),
            verwerkingslog::volgnummer.eq(positie),
            verwerkingslog::vorige_hash.eq(vorige),
            verwerkingslog::hash.eq(&hash),
            verwerkingslog::trace_id.eq(&trace_id),
            verwerkingslog::span_id.eq(&span_id),
            verwerkingslog::parent_span_id.eq(None::<String>),
            verwerkingslog::organisatie.eq(organisatie),
            verwerkingslog::activiteit.eq(BEWARING_IJKPUNT),
            verwerkingslog::grondslag.eq(&grondslag),
            verwerkingslog::convenant_id.eq(None::<String>),
            verwerkingslog::convenant_versie.eq(None::<i64>),
            verwerkingslog::betrokkene.eq(""),
            verwerkingslog::resultaat.eq("geslaagd"),
            verwerkingslog::doorbraak.eq(false),
            verwerkingslog::start_op.eq(tijd_db),
            verwerkingslog::eind_op.eq(tijd_db),
        ))
        .execute(conn)?;
    keten::sluit(conn, &format!("verwerking:{keten}"), &hash)
}

/// How much longer than its start a row may have run and still be left out of the index
/// of long-running rows (`verwerkingslog_lang_idx`, migration
/// `2026-12-05-000101_h17ret_logbewaring`, whose predicate is `eind_op > start_op +
/// interval '1 hour'`): the two must say the same interval.
const LANG: &str = "interval '1 hour'";

/// One chain's part of a monthly partition, read from the partition's chain-position
/// index (`<partition>_keten_volgnummer_uk`): its lowest and highest position there and
/// the organisation of the row at the highest (the one its checkpoint row is written for).
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
struct Ketendeel {
    #[diesel(sql_type = diesel::sql_types::Text)]
    keten: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    laagste: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    hoogste: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    organisatie: String,
}

impl Ketendeel {
    /// The rows of the chain in the partition, once `besluit` found the partition a prefix
    /// of the chain: positions are handed out one by one without gaps (the chain head's
    /// row lock), only a prefix is ever removed, and no position up to `hoogste` lies in
    /// another partition, so every position from `laagste` to `hoogste` is here, once
    /// (the partition's unique chain-position index).
    fn rijen(&self) -> i64 {
        self.hoogste - self.laagste + 1
    }
}

/// The chains in partition `partitie` (a name from `partities::maandpartities`), sorted:
/// a skip scan of its chain-position index (a recursive CTE, one index probe per chain)
/// and per chain two probes of the same index; no row is read beyond those.
fn ketendelen(conn: &mut DbConnection, partitie: &str) -> QueryResult<Vec<Ketendeel>> {
    diesel::sql_query(format!(
        "WITH RECURSIVE k(keten) AS (
             (SELECT keten FROM \"{partitie}\" WHERE volgnummer > 0 ORDER BY keten LIMIT 1)
             UNION ALL
             SELECT (SELECT v.keten FROM \"{partitie}\" v WHERE v.volgnummer > 0 AND v.keten > k.keten
                     ORDER BY v.keten LIMIT 1)
             FROM k WHERE k.keten IS NOT NULL)
         SELECT k.keten, l.volgnummer AS laagste, h.volgnummer AS hoogste, h.organisatie
         FROM k,
              LATERAL (SELECT volgnummer FROM \"{partitie}\" WHERE keten = k.keten AND volgnummer > 0
                       ORDER BY volgnummer LIMIT 1) l,
              LATERAL (SELECT volgnummer, organisatie FROM \"{partitie}\" WHERE keten = k.keten
                       AND volgnummer > 0 ORDER BY volgnummer DESC LIMIT 1) h
         WHERE k.keten IS NOT NULL"
    ))
    .load(conn)
    .map(|mut delen: Vec<Ketendeel>| {
        // Byte order, as every caller that locks several heads sorts them.
        delen.sort_by(|a, b| a.keten.cmp(&b.keten));
        delen
    })
}

#[derive(QueryableByName)]
struct Bestaat {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    ja: bool,
}

#[derive(QueryableByName)]
struct Organisatie {
    #[diesel(sql_type = diesel::sql_types::Text)]
    organisatie: String,
}

/// Whether `partitie` holds an unsealed row: a probe of its part of the partial index of
/// unsealed rows (`verwerkingslog_onverzegeld_idx`, `WHERE volgnummer = 0`).
fn onverzegeld(conn: &mut DbConnection, partitie: &str) -> QueryResult<bool> {
    let b: Bestaat = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM \"{partitie}\" WHERE volgnummer = 0) AS ja"
    ))
    .get_result(conn)?;
    Ok(b.ja)
}

/// The organisations with rows in `partitie`: a skip scan of its part of
/// `verwerkingslog_organisatie_idx` (one probe per organisation).
fn organisaties(conn: &mut DbConnection, partitie: &str) -> QueryResult<Vec<String>> {
    let o: Vec<Organisatie> = diesel::sql_query(format!(
        "WITH RECURSIVE o(organisatie) AS (
             (SELECT organisatie FROM \"{partitie}\" ORDER BY organisatie LIMIT 1)
             UNION ALL
             SELECT (SELECT v.organisatie FROM \"{partitie}\" v WHERE v.organisatie > o.organisatie
                     ORDER BY v.organisatie LIMIT 1)
             FROM o WHERE o.organisatie IS NOT NULL)
         SELECT organisatie FROM o WHERE organisatie IS NOT NULL"
    ))
    .load(conn)?;
    Ok(o.into_iter().map(|o| o.organisatie).collect())
}

/// Why a monthly partition cannot go whole (the rows then go row by row, if due).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Partitiebesluit {
    /// Every row is past its organisation's term and a prefix of its chain.
    Weg,
    /// No rows.
    Leeg,
    /// Some row is not sealed yet (no position; the sealer is behind).
    Onverzegeld,
    /// Some organisation's row ended at or after its term's limit.
    NietVerlopen,
    /// An earlier position of one of its chains lies in another partition.
    GeenPrefix,
}

/// Whether partition `p` (holding `delen`, all its rows sealed) can go whole, with
/// `grens` the term's limit of an organisation. Index probes only, in three statements:
///
/// - past the term: per organisation in the partition (a skip scan), whether a row of it
///   ended at or after its limit. A row that ended at most `LANG` after it started and at
///   or after the limit started at or after `limit - LANG`, so it is found in a range of
///   that organisation's part of `verwerkingslog_organisatie_idx` no longer than `LANG`
///   (empty unless the limit lies within `LANG` of the month's end); a row that ran longer
///   is in the small partial index `verwerkingslog_lang_idx` (organisation, end).
/// - a prefix of each chain: per chain whether its lowest position in any other partition
///   (the DEFAULT one too) is at most its highest here: one probe of each other
///   partition's chain-position index, which `start_op` outside the month's bounds selects
///   (partition pruning).
fn besluit(
    conn: &mut DbConnection,
    p: &ketenregie_store::partities::Partitie,
    delen: &[Ketendeel],
    grens: &mut dyn FnMut(&mut DbConnection, &str) -> QueryResult<DateTime<Utc>>,
) -> QueryResult<Partitiebesluit> {
    use diesel::sql_types::{Text, Timestamp};
    let mut grenzen = Vec::new();
    for org in organisaties(conn, &p.naam)? {
        let g = to_db(grens(conn, &org)?).format("%Y-%m-%d %H:%M:%S%.6f");
        grenzen.push(serde_json::json!({"organisatie": org, "grens": g.to_string()}));
    }
    let niet_verlopen: Bestaat = diesel::sql_query(format!(
        "SELECT EXISTS (
             SELECT 1 FROM json_to_recordset($1::json) AS g(organisatie text, grens timestamp)
             WHERE EXISTS (SELECT 1 FROM \"{n}\" v WHERE v.organisatie = g.organisatie
                           AND v.start_op >= g.grens - {LANG} AND v.eind_op >= g.grens)
                OR EXISTS (SELECT 1 FROM \"{n}\" v WHERE v.organisatie = g.organisatie
                           AND v.eind_op >= g.grens AND v.eind_op > v.start_op + {LANG})) AS ja",
        n = p.naam
    ))
    .bind::<Text, _>(serde_json::Value::Array(grenzen).to_string())
    .get_result(conn)?;
    if niet_verlopen.ja {
        return Ok(Partitiebesluit::NietVerlopen);
    }
    let ketens: Vec<serde_json::Value> = delen
        .iter()
        .map(|d| serde_json::json!({"keten": d.keten, "hoogste": d.hoogste}))
        .collect();
    // Per chain the lowest position outside the month (`ORDER BY ... LIMIT 1`: a merge of
    // one index probe per other partition, which a semi-join could turn into a scan of
    // every other month).
    let elders: Bestaat = diesel::sql_query(
        "SELECT EXISTS (
             SELECT 1 FROM json_to_recordset($1::json) AS k(keten text, hoogste bigint),
                  LATERAL (SELECT v.volgnummer FROM verwerkingslog v WHERE v.keten = k.keten
                           AND v.volgnummer > 0 AND (v.start_op < $2 OR v.start_op >= $3)
                           ORDER BY v.volgnummer LIMIT 1) e
             WHERE e.volgnummer <= k.hoogste) AS ja",
    )
    .bind::<Text, _>(serde_json::Value::Array(ketens).to_string())
    .bind::<Timestamp, _>(p.van)
    .bind::<Timestamp, _>(p.tot)
    .get_result(conn)?;
    if elders.ja {
        return Ok(Partitiebesluit::GeenPrefix);
    }
    Ok(Partitiebesluit::Weg)
}

/// What `bewaar_partities` did with one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partitieuitkomst {
    pub partitie: String,
    pub besluit: Partitiebesluit,
    /// Rows removed with it, per organisation (a chain's rows counted for the
    /// organisation its checkpoint row is written for; a processing-log chain is one
    /// organisation's).
    pub weg: Vec<(String, usize)>,
    /// Milliseconds the log was locked (the re-check, the checkpoints, the drop).
    pub vergrendeld_ms: u128,
}

/// Retention by partition (PostgreSQL; on SQLite nothing): drop each monthly partition
/// of the processing log, oldest first, while every row in it ended before its
/// organisation's limit (`grens`, the caller's terms), is sealed, and the rows of each of
/// its chains there are a prefix of that chain (no earlier position elsewhere, also not in
/// the DEFAULT partition). Stops at the first partition that cannot go (an empty one is
/// passed over); the rows left are for the row-by-row path (`bewaar_keten`).
///
/// The checks (`besluit`) are index probes, run once before any lock. Per partition that
/// passes, in a savepoint with `lock_timeout` 5 s: lock the heads of its chains (sorted;
/// the order the sealer and `bewaar_keten` lock in: head, then table), then the processing
/// log (`ACCESS EXCLUSIVE`, which `DROP TABLE` of a partition needs anyway), and re-check
/// only what can have changed since the checks: no unsealed row (a writer may still add a
/// row with a start in a past month) and, per chain, the same lowest and highest position
/// and organisation, and no other chain (a row sealed or written since, or a prefix
/// removed row by row by another instance). With those equal the partition holds the same
/// rows as checked (sealed rows never change; every position between lowest and highest
/// is there once), so their ends, and that no earlier position lies elsewhere (positions
/// are only handed out above the head), still hold. Then write per chain the same
/// retention checkpoint row as `bewaar_keten` (`BEWARING_IJKPUNT`: the chain continues
/// after the partition's last position, with that row's previous hash), and `DROP TABLE`
/// the partition. A lock that is not granted in time, or a partition that changed
/// meanwhile, undoes only the savepoint: the partition stays and its rows go row by row.
/// The lock lasts until the caller's transaction commits, so call this in a transaction of
/// its own.
pub fn bewaar_partities(
    conn: &mut DbConnection,
    nu: DateTime<Utc>,
    grens: &mut dyn FnMut(&mut DbConnection, &str) -> QueryResult<DateTime<Utc>>,
) -> QueryResult<Vec<Partitieuitkomst>> {
    let mut uit = Vec::new();
    for p in ketenregie_store::partities::maandpartities(conn, "verwerkingslog")? {
        if p.tot > to_db(nu) {
            break;
        }
        let controle = std::time::Instant::now();
        let delen = ketendelen(conn, &p.naam)?;
        let b = if onverzegeld(conn, &p.naam)? {
            Partitiebesluit::Onverzegeld
        } else if delen.is_empty() {
            Partitiebesluit::Leeg
        } else {
            besluit(conn, &p, &delen, grens)?
        };
        let controle_ms = controle.elapsed().as_millis() as u64;
        if b == Partitiebesluit::Leeg {
            continue;
        }
        if b != Partitiebesluit::Weg {
            tracing::info!(partitie = %p.naam, besluit = ?b, controle_ms, "verwerkingslog: maandpartitie blijft");
            uit.push(Partitieuitkomst {
                partitie: p.naam,
                besluit: b,
                weg: vec![],
                vergrendeld_ms: 0,
            });
            break;
        }
        let begin = std::time::Instant::now();
        let gedaan = conn.transaction(|c| {
            diesel::sql_query("SET LOCAL lock_timeout = '5s'").execute(c)?;
            let mut koppen = Vec::new();
            for d in &delen {
                koppen.push(keten::volgende(c, &format!("verwerking:{}", d.keten))?);
            }
            diesel::sql_query("LOCK TABLE verwerkingslog IN ACCESS EXCLUSIVE MODE").execute(c)?;
            if onverzegeld(c, &p.naam)? || ketendelen(c, &p.naam)? != delen {
                return Err(diesel::result::Error::RollbackTransaction);
            }
            let mut vervolg = Vec::new();
            for (d, (positie, vorige)) in delen.iter().zip(&koppen) {
                let vanaf = d.hoogste + 1;
                let voor_vanaf: String = if vanaf == *positie {
                    vorige.clone()
                } else {
                    verwerkingslog::table
                        .filter(verwerkingslog::keten.eq(&d.keten))
                        .filter(verwerkingslog::volgnummer.gt(0))
                        .filter(verwerkingslog::volgnummer.eq(vanaf))
                        .select(verwerkingslog::vorige_hash)
                        .first(c)?
                };
                vervolg.push((vanaf, voor_vanaf));
            }
            diesel::sql_query(format!("DROP TABLE \"{}\"", p.naam)).execute(c)?;
            for ((d, (positie, vorige)), (vanaf, voor_vanaf)) in
                delen.iter().zip(&koppen).zip(&vervolg)
            {
                schrijf_bewaringsijkpunt(
                    c,
                    &d.keten,
                    &d.organisatie,
                    *positie,
                    vorige,
                    Some((*vanaf, voor_vanaf)),
                    nu,
                )?;
            }
            Ok(())
        });
        let vergrendeld_ms = begin.elapsed().as_millis();
        match gedaan {
            Ok(()) => {
                let mut weg: Vec<(String, usize)> = Vec::new();
                for d in &delen {
                    match weg.iter_mut().find(|(o, _)| *o == d.organisatie) {
                        Some((_, n)) => *n += d.rijen() as usize,
                        None => weg.push((d.organisatie.clone(), d.rijen() as usize)),
                    }
                }
                tracing::info!(partitie = %p.naam, rijen = delen.iter().map(Ketendeel::rijen).sum::<i64>(), controle_ms, vergrendeld_ms, "verwerkingslog: maandpartitie verwijderd");
                uit.push(Partitieuitkomst {
                    partitie: p.naam,
                    besluit: Partitiebesluit::Weg,
                    weg,
                    vergrendeld_ms,
                });
            }
            Err(e) => {
                tracing::warn!(partitie = %p.naam, fout = %e, "verwerkingslog: maandpartitie niet verwijderd; rij voor rij");
                break;
            }
        }
    }
    Ok(uit)
}
