//! Group commit of the log rows of reads (issue 17 point 1).
//!
//! A request that only reads runs its use case in *read mode* (`Groepslog::begin`, done by
//! the API's transaction helper for action `lezen`): `logboek::audit`, `logboek::verwerking`
//! and the disclosure register (`verstrekking::leg_vast`) then do not write, they collect
//! their rows in the request's `Context` (the same functions, the same rows). After the use
//! case succeeded, the helper hands the rows to the instance's `Logschrijver` and waits: the
//! writer appends the rows of many requests in one write transaction (multi-row inserts,
//! one commit) and only then lets each request answer. If the batch fails, every request in
//! it is told so and answers 500 without its data (fail closed, DESIGN.md §2 step 4: no
//! processing without a log).
//!
//! The writer is one OS thread per instance fed by a channel: while it commits a batch the
//! next requests queue, so under load a batch grows by itself (no timer, no added latency
//! when idle). The writer inserts the rows already sealed: in the batch transaction it locks
//! the heads of the chains the batch touches (sorted, one statement), links the rows into
//! their hash chains and moves the heads (`batchzegel`), so a read's rows are never updated
//! afterwards. Only the rows of writes (appended unsealed in the write's own transaction)
//! are left to the sealer (`verzegelaar`).

use super::kolommen::{AuditKolommen, KopKolommen, VerstrekkingKolommen, VerwerkingKolommen};
use super::{AuditInvoeg, Bundel, VerwerkingInvoeg, batchzegel};
use crate::verstrekking::VerstrekkingInvoeg;
use diesel::prelude::*;
use ketenregie_store::schema::{audittrail, verwerkingslog};
use ketenregie_store::{DbConnection, DbPool, conn};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, mpsc};

/// A write deferred to the batch transaction (the owner's notification of a read: rare,
/// so written one by one).
pub type Uitgesteld = Box<dyn FnOnce(&mut DbConnection) -> QueryResult<()> + Send>;

/// The log rows of one read, collected in read mode.
#[derive(Default)]
pub struct Logrijen {
    pub(crate) audit: Vec<AuditInvoeg>,
    pub(crate) verwerking: Vec<VerwerkingInvoeg>,
    /// The disclosure register's rows (`verstrekking::leg_vast`).
    pub(crate) verstrekking: Vec<VerstrekkingInvoeg>,
    pub(crate) overig: Vec<Uitgesteld>,
}

impl Logrijen {
    /// No row at all (a read that logged nothing needs no commit).
    pub fn is_leeg(&self) -> bool {
        self.audit.is_empty()
            && self.verwerking.is_empty()
            && self.verstrekking.is_empty()
            && self.overig.is_empty()
    }

    /// Rows of both logs (the disclosure writes not counted).
    pub fn aantal(&self) -> usize {
        self.audit.len() + self.verwerking.len()
    }

    fn voeg_toe(&mut self, ander: Logrijen) {
        self.audit.extend(ander.audit);
        self.verwerking.extend(ander.verwerking);
        self.verstrekking.extend(ander.verstrekking);
        self.overig.extend(ander.overig);
    }
}

impl std::fmt::Debug for Logrijen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logrijen")
            .field("audit", &self.audit.len())
            .field("verwerking", &self.verwerking.len())
            .field("verstrekking", &self.verstrekking.len())
            .field("overig", &self.overig.len())
            .finish()
    }
}

/// The request's read-mode state, shared by every clone of its `Context`: the buffer (in
/// read mode) and the instance's log writer (absent in the CLI and in code that builds a
/// `Context` itself: then every log row is written at once, in the caller's transaction).
#[derive(Clone, Default)]
pub struct Groepslog {
    buffer: Arc<Mutex<Option<Logrijen>>>,
    schrijver: Option<Logschrijver>,
}

impl std::fmt::Debug for Groepslog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Groepslog")
            .field("leesmodus", &self.in_leesmodus())
            .field("schrijver", &self.schrijver.is_some())
            .finish()
    }
}

impl Groepslog {
    /// A request's state with the instance's writer.
    pub fn met(schrijver: Logschrijver) -> Self {
        Self {
            buffer: Arc::default(),
            schrijver: Some(schrijver),
        }
    }

    /// The instance's writer, if any.
    pub fn schrijver(&self) -> Option<&Logschrijver> {
        self.schrijver.as_ref()
    }

    /// Enter read mode: from now on the log rows are collected, not written.
    pub fn begin(&self) {
        *self.buffer.lock().expect("logbuffer") = Some(Logrijen::default());
    }

    /// Leave read mode and take what was collected (empty when not in read mode).
    pub fn neem(&self) -> Logrijen {
        self.buffer
            .lock()
            .expect("logbuffer")
            .take()
            .unwrap_or_default()
    }

    pub fn in_leesmodus(&self) -> bool {
        self.buffer.lock().expect("logbuffer").is_some()
    }

    /// In read mode, let `f` add to the buffer and return `None`; else give `f`'s input
    /// back (`Some`), for the caller to write at once.
    fn bewaar<T>(&self, waarde: T, f: impl FnOnce(&mut Logrijen, T)) -> Option<T> {
        let mut b = self.buffer.lock().expect("logbuffer");
        match b.as_mut() {
            Some(rijen) => {
                f(rijen, waarde);
                None
            }
            None => Some(waarde),
        }
    }

    pub(crate) fn audit(&self, rij: AuditInvoeg) -> Option<AuditInvoeg> {
        self.bewaar(rij, |b, r| b.audit.push(r))
    }

    pub(crate) fn verwerking(&self, rijen: Vec<VerwerkingInvoeg>) -> Option<Vec<VerwerkingInvoeg>> {
        self.bewaar(rijen, |b, r| b.verwerking.extend(r))
    }

    pub(crate) fn verstrekking(&self, rij: VerstrekkingInvoeg) -> Option<VerstrekkingInvoeg> {
        self.bewaar(rij, |b, r| b.verstrekking.push(r))
    }

    /// In read mode, defer `f` to the batch transaction and return `None`; else return it
    /// to be run at once.
    pub fn uitstellen(&self, f: Uitgesteld) -> Option<Uitgesteld> {
        self.bewaar(f, |b, f| b.overig.push(f))
    }
}

/// Why a batch did not commit (told to every request in it).
#[derive(Debug, Clone, thiserror::Error)]
#[error("de logregels konden niet worden vastgelegd: {0}")]
pub struct Logfout(pub String);

struct Opdracht {
    rijen: Logrijen,
    klaar: tokio::sync::oneshot::Sender<Result<(), Logfout>>,
}

/// How the writer batches.
#[derive(Debug, Clone, Copy)]
pub struct Schrijfinstelling {
    /// At most this many requests in one batch.
    pub max_verzoeken: usize,
}

impl Default for Schrijfinstelling {
    fn default() -> Self {
        Self { max_verzoeken: 512 }
    }
}

/// Figures of the writer since start: batches, requests and rows committed, failed
/// batches, and the round trips of all batches (`store::rondes`, every statement the
/// writer sent, `BEGIN`/`COMMIT` and head creation included).
#[derive(Debug, Default)]
pub struct Schrijfcijfers {
    pub batches: std::sync::atomic::AtomicU64,
    pub verzoeken: std::sync::atomic::AtomicU64,
    pub rijen: std::sync::atomic::AtomicU64,
    pub mislukt: std::sync::atomic::AtomicU64,
    pub rondes: std::sync::atomic::AtomicU64,
}

/// The handle of an instance's log writer (cheap to clone). The thread stops when the
/// last handle is dropped.
#[derive(Clone)]
pub struct Logschrijver {
    kanaal: mpsc::Sender<Opdracht>,
    pub cijfers: Arc<Schrijfcijfers>,
    /// A test hook: when set, every batch fails before it writes (the fail-closed test).
    storing: Arc<std::sync::atomic::AtomicBool>,
}

impl Logschrijver {
    /// Start the writer thread over `pool`.
    pub fn start(pool: DbPool, instelling: Schrijfinstelling) -> std::io::Result<Self> {
        let (kanaal, ontvanger) = mpsc::channel::<Opdracht>();
        let cijfers = Arc::new(Schrijfcijfers::default());
        let storing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (c, s) = (cijfers.clone(), storing.clone());
        std::thread::Builder::new()
            .name("logschrijver".into())
            .spawn(move || lus(pool, ontvanger, instelling, &c, &s))?;
        Ok(Self {
            kanaal,
            cijfers,
            storing,
        })
    }

    /// Append `rijen` with the next batch; returns once that batch committed (or failed).
    pub async fn schrijf(&self, rijen: Logrijen) -> Result<(), Logfout> {
        if rijen.is_leeg() {
            return Ok(());
        }
        let (klaar, wacht) = tokio::sync::oneshot::channel();
        self.kanaal
            .send(Opdracht { rijen, klaar })
            .map_err(|_| Logfout("de logschrijver is gestopt".into()))?;
        wacht
            .await
            .map_err(|_| Logfout("de logschrijver is gestopt".into()))?
    }

    /// Let every following batch fail (`true`) or work again (`false`): for tests of
    /// failing closed.
    pub fn zet_storing(&self, aan: bool) {
        self.storing.store(aan, std::sync::atomic::Ordering::SeqCst);
    }
}

fn lus(
    pool: DbPool,
    ontvanger: mpsc::Receiver<Opdracht>,
    instelling: Schrijfinstelling,
    cijfers: &Schrijfcijfers,
    storing: &std::sync::atomic::AtomicBool,
) {
    use std::sync::atomic::Ordering::Relaxed;
    // The chain heads this writer knows to exist (`batchzegel::maak_koppen`).
    let mut bekend: HashSet<String> = HashSet::new();
    while let Ok(eerste) = ontvanger.recv() {
        let mut batch = vec![eerste];
        while batch.len() < instelling.max_verzoeken {
            match ontvanger.try_recv() {
                Ok(o) => batch.push(o),
                Err(_) => break,
            }
        }
        let mut rijen = Logrijen::default();
        let mut wachtenden = Vec::with_capacity(batch.len());
        for o in batch {
            rijen.voeg_toe(o.rijen);
            wachtenden.push(o.klaar);
        }
        let aantal = rijen.aantal() as u64;
        let rondes_voor = ketenregie_store::rondes::geteld();
        let uitkomst = if storing.load(std::sync::atomic::Ordering::SeqCst) {
            Err(Logfout("storing ingesteld (test)".into()))
        } else {
            schrijf_batch(&pool, rijen, &mut bekend)
        };
        cijfers.rondes.fetch_add(
            ketenregie_store::rondes::geteld().wrapping_sub(rondes_voor),
            Relaxed,
        );
        match &uitkomst {
            Ok(()) => {
                cijfers.batches.fetch_add(1, Relaxed);
                cijfers
                    .verzoeken
                    .fetch_add(wachtenden.len() as u64, Relaxed);
                cijfers.rijen.fetch_add(aantal, Relaxed);
            }
            Err(e) => {
                cijfers.mislukt.fetch_add(1, Relaxed);
                tracing::error!(fout = %e, verzoeken = wachtenden.len(), "logbatch mislukt; de verzoeken falen gesloten");
            }
        }
        for w in wachtenden {
            let _ = w.send(uitkomst.clone());
        }
    }
}

/// One batch in one write transaction, its rows sealed at insert (`batchzegel`): the
/// heads of its chains locked (sorted, one statement), the rows linked and inserted, the
/// heads moved (one statement), commit. Heads this writer has not seen are created first,
/// in a short transaction of their own.
fn schrijf_batch(
    pool: &DbPool,
    mut rijen: Logrijen,
    bekend: &mut HashSet<String>,
) -> Result<(), Logfout> {
    let mut c = conn::haal(pool).map_err(|e| Logfout(e.to_string()))?;
    let koppen = batchzegel::koppen_van(&rijen);
    let uitkomst = batchzegel::maak_koppen(&mut c, &koppen, bekend).and_then(|()| {
        conn::schrijf(&mut c, |c| {
            let stand = batchzegel::verzegel(c, &koppen, &mut rijen, bekend)?;
            match c {
                // The inserts and the heads' move in one statement (h17seal): BEGIN, the
                // lock, this, COMMIT.
                DbConnection::Pg(pg) if past_in_een(&rijen) => {
                    // Column-wise (`kolommen`): a text per combination of parts,
                    // prepared once per connection whatever the batch's size.
                    let koppen = KopKolommen::van(
                        stand
                            .iter()
                            .map(|(id, (n, h))| (id.as_str(), *n, h.as_str())),
                    );
                    let mut bundel = Bundel::new();
                    if !rijen.audit.is_empty() {
                        bundel.voeg(AuditKolommen::van(&rijen.audit));
                    }
                    if !rijen.verwerking.is_empty() {
                        bundel.voeg(VerwerkingKolommen::van(&rijen.verwerking));
                    }
                    if !rijen.verstrekking.is_empty() {
                        bundel.voeg(VerstrekkingKolommen::van(&rijen.verstrekking));
                    }
                    if !koppen.is_leeg() {
                        bundel.voeg(koppen);
                    }
                    bundel.voer_uit(pg).map(|_| ())
                }
                _ => {
                    voeg_in(c, rijen)?;
                    batchzegel::zet_koppen(c, &stand)
                }
            }
        })
    });
    if uitkomst.is_ok() {
        conn::gezien_werken(&mut c);
    }
    uitkomst.map_err(|e: diesel::result::Error| Logfout(e.to_string()))
}

/// Bind parameters per inserted row (the tables' column counts: `audittrail` 21,
/// `verwerkingslog` 18, `verstrekkingen` 13), for the statement limits below.
pub(crate) const BINDS_AUDIT: usize = 21;
pub(crate) const BINDS_VERWERKING: usize = 18;
const BINDS_VERSTREKKING: usize = 13;

/// The most bind parameters one statement may carry on either backend: PostgreSQL's
/// protocol counts them in an Int16 (65,535; "Bind" message, PostgreSQL protocol §55.7),
/// SQLite's `SQLITE_MAX_VARIABLE_NUMBER` is 32,766 (since 3.32.0); kept well under both.
pub(crate) const MAX_BINDS: usize = 30_000;

/// Rows per multi-row insert so that one statement stays under [`MAX_BINDS`].
const fn rijen_per_insert(binds_per_rij: usize) -> usize {
    MAX_BINDS / binds_per_rij
}

/// Whether a batch's rows go in one PostgreSQL statement (`schrijf_batch`): no deferred
/// writes (each is a statement of its own) and all rows' bind parameters under
/// [`MAX_BINDS`].
fn past_in_een(rijen: &Logrijen) -> bool {
    rijen.overig.is_empty()
        && rijen.audit.len() * BINDS_AUDIT
            + rijen.verwerking.len() * BINDS_VERWERKING
            + rijen.verstrekking.len() * BINDS_VERSTREKKING
            <= MAX_BINDS
}

/// Write collected rows in the caller's transaction as they are (sealed by `batchzegel`
/// in the log writer, else unsealed for the sealer): multi-row inserts per log and for the
/// disclosure register (within both backends' bind-parameter limits), then the deferred
/// writes.
pub fn voeg_in(conn: &mut DbConnection, rijen: Logrijen) -> QueryResult<()> {
    voeg_audit_in(conn, &rijen.audit)?;
    voeg_verwerking_in(conn, &rijen.verwerking)?;
    crate::verstrekking::voeg_in(conn, &rijen.verstrekking)?;
    for f in rijen.overig {
        f(conn)?;
    }
    Ok(())
}

pub(crate) fn voeg_audit_in(conn: &mut DbConnection, rijen: &[AuditInvoeg]) -> QueryResult<()> {
    if rijen.is_empty() {
        return Ok(());
    }
    match conn {
        // One statement whatever the number of rows, prepared once (`kolommen`).
        DbConnection::Pg(c) => {
            AuditKolommen::van(rijen).execute(c)?;
        }
        DbConnection::Sqlite(c) => {
            for deel in rijen.chunks(rijen_per_insert(BINDS_AUDIT)) {
                diesel::insert_into(audittrail::table)
                    .values(deel)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

pub(crate) fn voeg_verwerking_in(
    conn: &mut DbConnection,
    rijen: &[VerwerkingInvoeg],
) -> QueryResult<()> {
    if rijen.is_empty() {
        return Ok(());
    }
    match conn {
        // One statement whatever the number of rows, prepared once (`kolommen`).
        DbConnection::Pg(c) => {
            VerwerkingKolommen::van(rijen).execute(c)?;
        }
        DbConnection::Sqlite(c) => {
            for deel in rijen.chunks(rijen_per_insert(BINDS_VERWERKING)) {
                diesel::insert_into(verwerkingslog::table)
                    .values(deel)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}
