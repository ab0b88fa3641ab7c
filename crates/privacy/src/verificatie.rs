//! Tamper evidence of the two logs (DESIGN.md §6; issue 14, finding 4). `verifieer` walks
//! every hash chain, including chains that only their head still names, and checks:
//!
//! - each row's hash over its content and its predecessor's hash (an edited row);
//! - consecutive sequence numbers (a row removed from the middle);
//! - the start: row 1 pointing at `keten::BEGIN`, or, in the processing log, the first row
//!   exactly where the chain's last retention checkpoint row says it continues
//!   (`logboek::BEWARING_IJKPUNT`) (the first rows removed);
//! - the end: the chain head in `logketens` names the last row, by sequence number and
//!   hash (the last rows removed); a head without rows (a whole chain removed) and rows
//!   without a head (the head removed) are breaks too.
//!
//! What no chain can show by itself is a rewind: the last rows removed *and* the head set
//! back to the row before them, or a whole chain removed with its head. For that,
//! `ijkpunt` takes the heads (an external checkpoint, `ketenregie audit checkpoint`) to be
//! kept outside the database (a write-once store, a ticket, a signed e-mail), and
//! `verifieer_tegen` checks that every chain still extends it.

use crate::keten;
use crate::logboek::{AuditRij, BEWARING_IJKPUNT, VerwerkingRij, lees_bewaringsijkpunt};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{audittrail, verwerkingslog};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// The first broken link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breuk {
    /// `audittrail` or `verwerkingslog`.
    pub log: &'static str,
    /// The chain (`org` or `org#n`).
    pub keten: String,
    /// The sequence number where it breaks (for removed rows: the first one missing).
    pub volgnummer: i64,
    /// The row's id; empty when the row is gone.
    pub id: String,
    pub wat: String,
}

impl std::fmt::Display for Breuk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rij = if self.id.is_empty() {
            "row removed".to_string()
        } else {
            format!("row {}", self.id)
        };
        write!(
            f,
            "{} chain `{}` at sequence number {} ({rij}): {}",
            self.log, self.keten, self.volgnummer, self.wat
        )
    }
}

/// Rows checked per log, and the unsealed window (issue 17 point 2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verificatie {
    /// Sealed rows checked.
    pub audit_rijen: usize,
    pub verwerking_rijen: usize,
    pub ketens: usize,
    /// The unsealed window: rows committed but not yet linked by the sealer
    /// (`logboek::verzegelaar`), which no hash covers yet.
    pub onverzegeld: Onverzegeld,
}

/// The unsealed rows at the snapshot: how many, and the time of the oldest (audit row
/// `tijdstip`, processing row `start_op`), per log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Onverzegeld {
    pub audit_rijen: i64,
    pub verwerking_rijen: i64,
    pub oudste: Option<DateTime<Utc>>,
    /// The newest sealed row's time (sealed up to here), over both logs.
    pub verzegeld_tot: Option<DateTime<Utc>>,
}

/// The unsealed window now (also outside a verification: the service's metrics).
pub fn onverzegeld(conn: &mut DbConnection) -> QueryResult<Onverzegeld> {
    use diesel::dsl::{count_star, min};
    let (audit_rijen, a_oudste): (i64, Option<chrono::NaiveDateTime>) = audittrail::table
        .filter(audittrail::volgnummer.eq(0))
        .select((count_star(), min(audittrail::tijdstip)))
        .first(conn)?;
    let (verwerking_rijen, v_oudste): (i64, Option<chrono::NaiveDateTime>) = verwerkingslog::table
        .filter(verwerkingslog::volgnummer.eq(0))
        .select((count_star(), min(verwerkingslog::start_op)))
        .first(conn)?;
    // The newest sealed row: the last row of each chain, found by its head (one look-up
    // by index per chain, no scan of the logs).
    let mut tot: Option<chrono::NaiveDateTime> = None;
    for (id, n, _) in keten::koppen(conn)? {
        let t: Option<chrono::NaiveDateTime> = match uit_kop_id(&id) {
            Some((AUDIT, k)) => audittrail::table
                .filter(audittrail::keten.eq(k))
                .filter(audittrail::volgnummer.eq(n))
                .select(audittrail::tijdstip)
                .first(conn)
                .optional()?,
            Some((_, k)) => verwerkingslog::table
                .filter(verwerkingslog::keten.eq(k))
                .filter(verwerkingslog::volgnummer.eq(n))
                .select(verwerkingslog::start_op)
                .first(conn)
                .optional()?,
            None => None,
        };
        tot = tot.max(t);
    }
    let f = ketenregie_common::time::from_db;
    Ok(Onverzegeld {
        audit_rijen,
        verwerking_rijen,
        oudste: a_oudste.into_iter().chain(v_oudste).min().map(f),
        verzegeld_tot: tot.map(f),
    })
}

const BATCH: i64 = 5_000;
const AUDIT: &str = "audittrail";
const VERWERKING: &str = "verwerkingslog";

/// The head id in `logketens` of chain `keten` of `log`.
fn kop_id(log: &str, keten: &str) -> String {
    match log {
        AUDIT => format!("audit:{keten}"),
        _ => format!("verwerking:{keten}"),
    }
}

/// The log and chain a head id belongs to.
fn uit_kop_id(id: &str) -> Option<(&'static str, String)> {
    if let Some(k) = id.strip_prefix("audit:") {
        Some((AUDIT, k.to_string()))
    } else {
        id.strip_prefix("verwerking:")
            .map(|k| (VERWERKING, k.to_string()))
    }
}

/// A row of a hash-chained log, as the verifier sees it.
trait Ketenrij {
    fn volgnummer(&self) -> i64;
    fn id(&self) -> &str;
    fn vorige_hash(&self) -> &str;
    fn hash(&self) -> &str;
    fn inhoud(&self) -> String;
    /// For a retention checkpoint row: where the chain continues, and the hash before it.
    fn ijkpunt(&self) -> Option<(i64, String)>;
}

impl Ketenrij for AuditRij {
    fn volgnummer(&self) -> i64 {
        self.volgnummer
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn vorige_hash(&self) -> &str {
        &self.vorige_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn inhoud(&self) -> String {
        AuditRij::inhoud(self)
    }
    fn ijkpunt(&self) -> Option<(i64, String)> {
        None
    }
}

impl Ketenrij for VerwerkingRij {
    fn volgnummer(&self) -> i64 {
        self.volgnummer
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn vorige_hash(&self) -> &str {
        &self.vorige_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn inhoud(&self) -> String {
        VerwerkingRij::inhoud(self)
    }
    fn ijkpunt(&self) -> Option<(i64, String)> {
        (self.activiteit == BEWARING_IJKPUNT)
            .then(|| lees_bewaringsijkpunt(&self.grondslag))
            .flatten()
    }
}

/// What the walk of one chain saw.
#[derive(Default)]
struct Stand {
    /// (sequence number, id, previous hash) of the first row.
    eerste: Option<(i64, String, String)>,
    /// (sequence number, id, hash) of the last row.
    laatste: Option<(i64, String, String)>,
    /// The last retention checkpoint: (continues at, previous hash).
    ijkpunt: Option<(i64, String)>,
    rijen: usize,
}

fn controleer<R: Ketenrij>(
    log: &'static str,
    keten: &str,
    rijen: &[R],
    stand: &mut Stand,
) -> Result<(), Breuk> {
    for r in rijen {
        let (volgnummer, id, vorige_hash, hash) =
            (r.volgnummer(), r.id(), r.vorige_hash(), r.hash());
        let breuk = |volgnummer: i64, id: &str, wat: String| Breuk {
            log,
            keten: keten.to_string(),
            volgnummer,
            id: id.to_string(),
            wat,
        };
        match &stand.laatste {
            None => {
                if volgnummer == 1 && vorige_hash != keten::BEGIN {
                    return Err(breuk(
                        volgnummer,
                        id,
                        "de eerste rij wijst niet naar het begin van de keten".into(),
                    ));
                }
                stand.eerste = Some((volgnummer, id.to_string(), vorige_hash.to_string()));
            }
            Some((n, vorig_id, h)) => {
                if volgnummer > n + 1 {
                    return Err(breuk(
                        n + 1,
                        "",
                        format!(
                            "rij {} t/m {} ontbreken: verwijderd tussen rij {n} ({vorig_id}) en rij {volgnummer} ({id})",
                            n + 1,
                            volgnummer - 1
                        ),
                    ));
                }
                if volgnummer != n + 1 {
                    return Err(breuk(
                        volgnummer,
                        id,
                        format!("volgnummer {volgnummer} volgt op {n}: een rij is tussengevoegd"),
                    ));
                }
                if vorige_hash != h {
                    return Err(breuk(
                        volgnummer,
                        id,
                        "vorige_hash klopt niet met de hash van de voorgaande rij".into(),
                    ));
                }
            }
        }
        if keten::hash(vorige_hash, &r.inhoud()) != hash {
            return Err(breuk(
                volgnummer,
                id,
                "de inhoud van de rij is gewijzigd: de hash klopt niet".into(),
            ));
        }
        if let Some(ij) = r.ijkpunt() {
            stand.ijkpunt = Some(ij);
        }
        stand.laatste = Some((volgnummer, id.to_string(), hash.to_string()));
        stand.rijen += 1;
    }
    Ok(())
}

/// The start and the end of a walked chain, against its head (`kop`: sequence number and
/// hash, if the head exists).
fn afsluiten(
    log: &'static str,
    keten: &str,
    kop: Option<&(i64, String)>,
    stand: &Stand,
) -> Option<Breuk> {
    let breuk = |volgnummer: i64, id: &str, wat: String| {
        Some(Breuk {
            log,
            keten: keten.to_string(),
            volgnummer,
            id: id.to_string(),
            wat,
        })
    };
    let (Some(eerste), Some(laatste)) = (&stand.eerste, &stand.laatste) else {
        return match kop {
            Some((v, _)) => breuk(
                1,
                "",
                format!(
                    "alle rijen van de keten zijn verwijderd: de kop staat op rij {v}, er is geen rij meer"
                ),
            ),
            None => None,
        };
    };
    let Some((kop_volgnummer, kop_hash)) = kop else {
        return breuk(
            laatste.0,
            &laatste.1,
            "de kop van de keten ontbreekt in logketens: verwijderd".into(),
        );
    };
    // The start.
    let (f, f_id, f_vorige) = eerste;
    match &stand.ijkpunt {
        _ if *f == 1 && stand.ijkpunt.as_ref().is_none_or(|(vanaf, _)| *vanaf <= 1) => {}
        Some((vanaf, vorige)) if vanaf == f && vorige == f_vorige => {}
        Some((vanaf, _)) if vanaf < f => {
            return breuk(
                *vanaf,
                "",
                format!(
                    "rij {vanaf} t/m {} ontbreken: het laatste bewaringsijkpunt laat de keten bij {vanaf} verder gaan, de eerste rij is {f} ({f_id})",
                    f - 1
                ),
            );
        }
        Some((vanaf, _)) => {
            return breuk(
                *f,
                f_id,
                format!(
                    "de eerste rij past niet bij het laatste bewaringsijkpunt (dat zegt: verder bij {vanaf})"
                ),
            );
        }
        None => {
            return breuk(
                1,
                "",
                format!(
                    "rij 1 t/m {} ontbreken: de keten begint bij rij {f} ({f_id}) en geen bewaringsijkpunt verklaart dat",
                    f - 1
                ),
            );
        }
    }
    // The end.
    let (l, l_id, l_hash) = laatste;
    if l < kop_volgnummer {
        return breuk(
            l + 1,
            "",
            format!(
                "rij {} t/m {kop_volgnummer} ontbreken aan het eind: de kop staat op {kop_volgnummer}, de laatste rij is {l} ({l_id})",
                l + 1
            ),
        );
    }
    if l > kop_volgnummer {
        return breuk(
            kop_volgnummer + 1,
            "",
            format!("er staan rijen na de kop ({kop_volgnummer}): tot rij {l} ({l_id})"),
        );
    }
    if l_hash != kop_hash {
        return breuk(
            *l,
            l_id,
            "de kop wijst naar een andere laatste rij: de hash verschilt".into(),
        );
    }
    None
}

/// Walk one chain in batches (`laad(conn, offset, limit)` gives rows by sequence number).
fn loop_keten<R: Ketenrij>(
    conn: &mut DbConnection,
    log: &'static str,
    keten: &str,
    kop: Option<&(i64, String)>,
    laad: impl Fn(&mut DbConnection, i64, i64) -> QueryResult<Vec<R>>,
) -> QueryResult<Result<usize, Breuk>> {
    let mut stand = Stand::default();
    let mut offset = 0;
    loop {
        let rijen = laad(conn, offset, BATCH)?;
        if let Err(b) = controleer(log, keten, &rijen, &mut stand) {
            return Ok(Err(b));
        }
        if (rijen.len() as i64) < BATCH {
            break;
        }
        offset += BATCH;
    }
    Ok(match afsluiten(log, keten, kop, &stand) {
        Some(b) => Err(b),
        None => Ok(stand.rijen),
    })
}

/// Every chain: those with a head and those with rows, per log.
fn alle_ketens(
    conn: &mut DbConnection,
    koppen: &[(String, i64, String)],
) -> QueryResult<BTreeSet<(&'static str, String)>> {
    let mut ketens: BTreeSet<(&'static str, String)> = koppen
        .iter()
        .filter_map(|(id, _, _)| uit_kop_id(id))
        .collect();
    let a: Vec<String> = audittrail::table
        .filter(audittrail::volgnummer.gt(0))
        .select(audittrail::keten)
        .distinct()
        .load(conn)?;
    ketens.extend(a.into_iter().map(|k| (AUDIT, k)));
    let v: Vec<String> = verwerkingslog::table
        .filter(verwerkingslog::volgnummer.gt(0))
        .select(verwerkingslog::keten)
        .distinct()
        .load(conn)?;
    ketens.extend(v.into_iter().map(|k| (VERWERKING, k)));
    Ok(ketens)
}

/// Run `f` on one consistent snapshot, so rows appended while the verifier reads are
/// neither half seen nor past a head read earlier (PostgreSQL: a repeatable-read,
/// read-only transaction; SQLite in WAL mode: one read transaction).
fn op_momentopname<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    use diesel::connection::SimpleConnection;
    conn.transaction(|c| {
        if c.backend() == ketenregie_store::Backend::Postgres {
            c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        }
        f(c)
    })
}

/// Walk every chain of both logs, on one snapshot; report the first break.
pub fn verifieer(conn: &mut DbConnection) -> QueryResult<Result<Verificatie, Breuk>> {
    op_momentopname(conn, verifieer_in)
}

fn verifieer_in(conn: &mut DbConnection) -> QueryResult<Result<Verificatie, Breuk>> {
    let mut v = Verificatie::default();
    let koppen = keten::koppen(conn)?;
    for (log, k) in alle_ketens(conn, &koppen)? {
        v.ketens += 1;
        let id = kop_id(log, &k);
        let kop = koppen
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, n, h)| (*n, h.clone()));
        let uitkomst = if log == AUDIT {
            loop_keten(conn, log, &k, kop.as_ref(), |c, offset, limit| {
                audittrail::table
                    .filter(audittrail::keten.eq(&k))
                    .filter(audittrail::volgnummer.gt(0))
                    .order(audittrail::volgnummer)
                    .offset(offset)
                    .limit(limit)
                    .select(AuditRij::as_select())
                    .load(c)
            })?
        } else {
            loop_keten(conn, log, &k, kop.as_ref(), |c, offset, limit| {
                verwerkingslog::table
                    .filter(verwerkingslog::keten.eq(&k))
                    .filter(verwerkingslog::volgnummer.gt(0))
                    .order(verwerkingslog::volgnummer)
                    .offset(offset)
                    .limit(limit)
                    .select(VerwerkingRij::as_select())
                    .load(c)
            })?
        };
        match uitkomst {
            Ok(n) if log == AUDIT => v.audit_rijen += n,
            Ok(n) => v.verwerking_rijen += n,
            Err(b) => return Ok(Err(b)),
        }
    }
    v.onverzegeld = onverzegeld(conn)?;
    Ok(Ok(v))
}

/// An external checkpoint: every chain head at one moment, for a record outside the
/// database. Printed by `ketenregie audit checkpoint` as JSON; `digest` (SHA-256 over the
/// lines `<keten> <volgnummer> <hash>\n` in order) is one value to publish or sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ijkpunt {
    /// Always `ketenregie-audit-ijkpunt`.
    pub soort: String,
    pub versie: u32,
    pub aangemaakt_op: DateTime<Utc>,
    pub ketens: Vec<IjkpuntKeten>,
    pub digest: String,
}

/// One chain head in a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IjkpuntKeten {
    /// The head id: `audit:<chain>` or `verwerking:<chain>`.
    pub keten: String,
    pub volgnummer: i64,
    pub hash: String,
}

const IJKPUNT_SOORT: &str = "ketenregie-audit-ijkpunt";

fn digest(ketens: &[IjkpuntKeten]) -> String {
    let mut h = Sha256::new();
    for k in ketens {
        h.update(format!("{} {} {}\n", k.keten, k.volgnummer, k.hash).as_bytes());
    }
    hex::encode(h.finalize())
}

impl Ijkpunt {
    /// Whether the file is as it was printed (its digest matches its chains).
    pub fn klopt(&self) -> bool {
        self.soort == IJKPUNT_SOORT && self.versie == 1 && digest(&self.ketens) == self.digest
    }
}

/// The checkpoint of every chain head now (one consistent read of `logketens`).
pub fn ijkpunt(conn: &mut DbConnection, nu: DateTime<Utc>) -> QueryResult<Ijkpunt> {
    let ketens: Vec<IjkpuntKeten> = keten::koppen(conn)?
        .into_iter()
        .map(|(keten, volgnummer, hash)| IjkpuntKeten {
            keten,
            volgnummer,
            hash,
        })
        .collect();
    Ok(Ijkpunt {
        soort: IJKPUNT_SOORT.into(),
        versie: 1,
        aangemaakt_op: nu,
        digest: digest(&ketens),
        ketens,
    })
}

/// Check that every chain in checkpoint `ij` still extends it: its head exists and is at
/// or past the checkpoint, and the checkpointed row is still there with the same hash
/// (or was removed by retention, as a later retention checkpoint row says). Together with
/// `verifieer`, which checks every link from there to the head, this catches a chain
/// rewound with its head, and a chain removed with its head. Returns the chains checked.
pub fn verifieer_tegen(conn: &mut DbConnection, ij: &Ijkpunt) -> QueryResult<Result<usize, Breuk>> {
    op_momentopname(conn, |c| verifieer_tegen_in(c, ij))
}

fn verifieer_tegen_in(conn: &mut DbConnection, ij: &Ijkpunt) -> QueryResult<Result<usize, Breuk>> {
    let koppen = keten::koppen(conn)?;
    for k in &ij.ketens {
        let Some((log, naam)) = uit_kop_id(&k.keten) else {
            continue;
        };
        let breuk = |volgnummer: i64, id: &str, wat: String| {
            Ok(Err(Breuk {
                log,
                keten: naam.clone(),
                volgnummer,
                id: id.to_string(),
                wat,
            }))
        };
        let Some((_, kop_volgnummer, _)) = koppen.iter().find(|(id, _, _)| *id == k.keten) else {
            return breuk(
                k.volgnummer,
                "",
                format!(
                    "de keten staat in het ijkpunt van {} (tot rij {}) maar heeft geen kop meer: de keten is verwijderd",
                    ij.aangemaakt_op, k.volgnummer
                ),
            );
        };
        if *kop_volgnummer < k.volgnummer {
            return breuk(
                kop_volgnummer + 1,
                "",
                format!(
                    "de keten is teruggedraaid: het ijkpunt van {} kent rij {}, de kop staat nu op {kop_volgnummer}",
                    ij.aangemaakt_op, k.volgnummer
                ),
            );
        }
        let rij: Option<(String, String)> = if log == AUDIT {
            audittrail::table
                .filter(audittrail::keten.eq(&naam))
                .filter(audittrail::volgnummer.eq(k.volgnummer))
                .select((audittrail::id, audittrail::hash))
                .first(conn)
                .optional()?
        } else {
            verwerkingslog::table
                .filter(verwerkingslog::keten.eq(&naam))
                .filter(verwerkingslog::volgnummer.eq(k.volgnummer))
                .select((verwerkingslog::id, verwerkingslog::hash))
                .first(conn)
                .optional()?
        };
        match rij {
            Some((id, hash)) if hash != k.hash => {
                return breuk(
                    k.volgnummer,
                    &id,
                    format!(
                        "rij {} wijkt af van het ijkpunt van {}: andere hash",
                        k.volgnummer, ij.aangemaakt_op
                    ),
                );
            }
            Some(_) => {}
            None => {
                // Gone: only retention may have removed it, and then its last checkpoint
                // row continues the chain after it.
                let verder_bij = if log == VERWERKING {
                    verwerkingslog::table
                        .filter(verwerkingslog::keten.eq(&naam))
                        .filter(verwerkingslog::activiteit.eq(BEWARING_IJKPUNT))
                        .order(verwerkingslog::volgnummer.desc())
                        .select(verwerkingslog::grondslag)
                        .first::<String>(conn)
                        .optional()?
                        .and_then(|g| lees_bewaringsijkpunt(&g))
                        .map(|(vanaf, _)| vanaf)
                } else {
                    None
                };
                if verder_bij.is_none_or(|vanaf| vanaf <= k.volgnummer) {
                    return breuk(
                        k.volgnummer,
                        "",
                        format!(
                            "rij {} uit het ijkpunt van {} ontbreekt",
                            k.volgnummer, ij.aangemaakt_op
                        ),
                    );
                }
            }
        }
    }
    Ok(Ok(ij.ketens.len()))
}

/// What `exporteer` wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    pub audit_rijen: usize,
    pub verwerking_rijen: usize,
}

/// The organisation's own part of both logs for its archive or SIEM (issue 15 point 5): for
/// every chain of `organisatie` (`org` and `org#n`), the rows from the first to the last one
/// stamped in `[van, tot)`, in chain order, each as one JSON object
/// `{"log", "rij", "inhoud"}`: `rij` the stored row (ids pseudonymised, details encrypted,
/// as in the database), `inhoud` the exact canonical text its hash covers. Outside the
/// service the export verifies with nothing but SHA-256: each row's
/// `hash == sha256(vorige_hash + "\n" + inhoud)` (hex), and each row's `vorige_hash` is the
/// hash of the row before it in the same chain (the first row's is the chain's state
/// before the period, or `keten::BEGIN`). Rows are written in chain order, a contiguous
/// run per chain, so a removed row shows as a gap.
pub fn exporteer(
    conn: &mut DbConnection,
    organisatie: &str,
    van: DateTime<Utc>,
    tot: DateTime<Utc>,
    mut schrijf: impl FnMut(serde_json::Value) -> std::io::Result<()>,
) -> Result<Export, ExportFout> {
    let (van, tot) = (
        ketenregie_common::time::to_db(van),
        ketenregie_common::time::to_db(tot),
    );
    let patroon = format!("{organisatie}#%");
    let mut uit = Export::default();
    // Audit trail: per chain, the sequence range stamped in the period.
    let bereik: Vec<(String, Option<i64>, Option<i64>)> = audittrail::table
        .filter(
            audittrail::keten
                .eq(organisatie)
                .or(audittrail::keten.like(&patroon)),
        )
        .filter(audittrail::volgnummer.gt(0))
        .filter(
            audittrail::tijdstip
                .ge(van)
                .and(audittrail::tijdstip.lt(tot)),
        )
        .group_by(audittrail::keten)
        .select((
            audittrail::keten,
            diesel::dsl::min(audittrail::volgnummer),
            diesel::dsl::max(audittrail::volgnummer),
        ))
        .load(conn)?;
    for (keten, eerste, laatste) in bereik {
        let (Some(eerste), Some(laatste)) = (eerste, laatste) else {
            continue;
        };
        let rijen: Vec<AuditRij> = audittrail::table
            .filter(audittrail::keten.eq(&keten))
            .filter(audittrail::volgnummer.between(eerste, laatste))
            .order(audittrail::volgnummer)
            .select(AuditRij::as_select())
            .load(conn)?;
        for r in rijen {
            let inhoud = AuditRij::inhoud(&r);
            schrijf(serde_json::json!({"log": AUDIT, "rij": r, "inhoud": inhoud}))?;
            uit.audit_rijen += 1;
        }
    }
    let bereik: Vec<(String, Option<i64>, Option<i64>)> = verwerkingslog::table
        .filter(
            verwerkingslog::keten
                .eq(organisatie)
                .or(verwerkingslog::keten.like(&patroon)),
        )
        .filter(verwerkingslog::volgnummer.gt(0))
        .filter(
            verwerkingslog::start_op
                .ge(van)
                .and(verwerkingslog::start_op.lt(tot)),
        )
        .group_by(verwerkingslog::keten)
        .select((
            verwerkingslog::keten,
            diesel::dsl::min(verwerkingslog::volgnummer),
            diesel::dsl::max(verwerkingslog::volgnummer),
        ))
        .load(conn)?;
    for (keten, eerste, laatste) in bereik {
        let (Some(eerste), Some(laatste)) = (eerste, laatste) else {
            continue;
        };
        let rijen: Vec<VerwerkingRij> = verwerkingslog::table
            .filter(verwerkingslog::keten.eq(&keten))
            .filter(verwerkingslog::volgnummer.between(eerste, laatste))
            .order(verwerkingslog::volgnummer)
            .select(VerwerkingRij::as_select())
            .load(conn)?;
        for r in rijen {
            let inhoud = VerwerkingRij::inhoud(&r);
            schrijf(serde_json::json!({"log": VERWERKING, "rij": r, "inhoud": inhoud}))?;
            uit.verwerking_rijen += 1;
        }
    }
    Ok(uit)
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportFout {
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("writing the export: {0}")]
    Schrijven(#[from] std::io::Error),
}
