//! Group commit of the log rows of reads (issue 17 point 1).
//!
//! A request that only reads runs its use case in *read mode* (`Groepslog::begin`, done by
//! the API's transaction helper for action `lezen`): `logboek::audit`, `logboek::verwerking`
//! and the disclosure register (`verstrekking::leg_vast`) then do not write, they collect
//! their rows in the request's `Context` (the same functions, the same rows). After the use
//! case succeeded, the helper hands the rows to the instance's `Logschrijver` and waits: the
//! writer appends the rows of many requests in one write transaction (multi-row inserts,
//! one commit) and only then lets each request answer. A request whose rows could not be
//! committed is told so and answers 500 without its data (fail closed, DESIGN.md §2 step
//! 4: no processing without a log).
//!
//! One request's rows must not fail the others' (issue 17, h18retry, h19halve): when a
//! batch of several requests fails while the database is still reachable, the writer
//! retries it by halving (`Batchwerk`): each half written as a batch of its own, sealed
//! anew, a half that fails halved again, until a request that fails alone fails closed;
//! every request is told its own outcome. For k bad requests among n that is at most
//! 2·k·⌈log2 n⌉ retry transactions (and never more than 2·(n−1)), not n. When the database
//! is not reachable (no connection from the pool, or the connection found dead after the
//! failure) the whole batch fails at once (`Mislukking`).
//!
//! The writer is one OS thread per instance fed by a channel: while it commits a batch the
//! next requests queue, so under load a batch grows by itself (no timer, no added latency
//! when idle). The writer inserts the rows already sealed: in the batch transaction it locks
//! the heads of the chains the batch touches (sorted, one statement), links the rows into
//! their hash chains and moves the heads (`batchzegel`), so a read's rows are never updated
//! afterwards. Only the rows of writes (appended unsealed in the write's own transaction)
//! are left to the sealer (`verzegelaar`).

use super::kolommen::{
    self, AuditKolommen, KopKolommen, Logrij, VerstrekkingKolommen, VerwerkingKolommen,
};
use super::{AuditInvoeg, Bundel, VerwerkingInvoeg, batchzegel};
use crate::verstrekking::VerstrekkingInvoeg;
use diesel::prelude::*;
use ketenregie_store::{DbConnection, DbPool, conn};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Instant;

/// A write deferred to the batch transaction (the owner's notification of a read: rare,
/// so written one by one).
///
/// `Fn`, not `FnOnce`: when a batch fails and is retried in halves (`Batchwerk`), a
/// request's deferred writes run again, in the transaction of each part it is retried
/// in. So the closure owns what it writes and builds the statement anew from it on every
/// call; a run that was rolled back left nothing that the next run would double. (The one
/// producer, `verstrekking::leg_vast`, owns a clone of the context, the object, the
/// disclosure id and the purpose and passes them by reference to `informeer`.)
pub type Uitgesteld = Box<dyn Fn(&mut DbConnection) -> QueryResult<()> + Send>;

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

    /// Append `ander`'s rows after this one's (moved, each vector keeps its order: the
    /// batch is each request's rows one run after the other, see `splits`).
    fn voeg_toe(&mut self, ander: Logrijen) {
        self.audit.extend(ander.audit);
        self.verwerking.extend(ander.verwerking);
        self.verstrekking.extend(ander.verstrekking);
        self.overig.extend(ander.overig);
    }

    /// How many rows of each kind these are (noted per request before `voeg_toe`).
    fn maat(&self) -> Maat {
        Maat {
            audit: self.audit.len(),
            verwerking: self.verwerking.len(),
            verstrekking: self.verstrekking.len(),
            overig: self.overig.len(),
        }
    }

    /// Split a batch built by `voeg_toe` back into its requests' rows, `maten` in the
    /// order the requests were added. Sealing does not reorder the vectors
    /// (`batchzegel::verzegel`), so every request's rows are still one run; their seal is
    /// recomputed when they are written again.
    fn splits(mut self, maten: &[Maat]) -> Vec<Logrijen> {
        let mut delen = Vec::with_capacity(maten.len());
        for m in maten.iter().rev() {
            delen.push(Logrijen {
                audit: self.audit.split_off(self.audit.len() - m.audit),
                verwerking: self
                    .verwerking
                    .split_off(self.verwerking.len() - m.verwerking),
                verstrekking: self
                    .verstrekking
                    .split_off(self.verstrekking.len() - m.verstrekking),
                overig: self.overig.split_off(self.overig.len() - m.overig),
            });
        }
        delen.reverse();
        delen
    }
}

/// The number of rows of each kind one request brought into a batch.
#[derive(Debug, Clone, Copy)]
struct Maat {
    audit: usize,
    verwerking: usize,
    verstrekking: usize,
    overig: usize,
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

/// Why a request's rows were not committed (told to the request, which fails closed).
///
/// `onbereikbaar`: the attempt failed as `Mislukking::Geheel` (no connection within the
/// pool's timeout, the connection found dead, the transaction's `BEGIN` or `COMMIT`
/// failing) or the request's own deadline passed without a connection
/// (`Mislukking::Termijn`): nothing about the request's own rows, so the caller answers
/// 503 with `Retry-After` as for any request that finds the database away or every
/// connection busy (README "Reliability": never 500). `false`: the request's own rows
/// were refused, or the writer stopped: 500.
#[derive(Debug, Clone, thiserror::Error)]
#[error("de logregels konden niet worden vastgelegd: {tekst}")]
pub struct Logfout {
    pub tekst: String,
    pub onbereikbaar: bool,
}

impl Logfout {
    fn gestopt() -> Self {
        Logfout {
            tekst: "de logschrijver is gestopt".into(),
            onbereikbaar: false,
        }
    }

    fn van(m: &Mislukking) -> Self {
        Logfout {
            tekst: m.tekst().to_string(),
            onbereikbaar: matches!(m, Mislukking::Geheel(_) | Mislukking::Termijn(_)),
        }
    }
}

struct Opdracht {
    rijen: Logrijen,
    klaar: tokio::sync::oneshot::Sender<Result<(), Logfout>>,
    /// The request's deadline for a database connection (`Logschrijver::schrijf`).
    uiterlijk: Instant,
}

impl Opdracht {
    /// The requests of a batch that was not written, back from its parts in batch order:
    /// the rows split per request (`Logrijen::splits`), where each answer goes, and each
    /// deadline (the three as `Batchwerk::schrijf` took them apart).
    fn terug(
        rijen: Logrijen,
        maten: &[Maat],
        wachtenden: Vec<tokio::sync::oneshot::Sender<Result<(), Logfout>>>,
        termijnen: Vec<Instant>,
    ) -> Vec<Opdracht> {
        rijen
            .splits(maten)
            .into_iter()
            .zip(wachtenden)
            .zip(termijnen)
            .map(|((rijen, klaar), uiterlijk)| Opdracht {
                rijen,
                klaar,
                uiterlijk,
            })
            .collect()
    }
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

/// Figures of the writer since start, all counters: transactions committed (`batches`: a
/// batch, or a part of a failed batch committed in its retry), requests and rows
/// committed, batches whose transaction failed (`mislukt`, retried or not; the parts tried
/// in a retry are not counted here), the failed batches that were retried by halving
/// (`herhaald`), the write attempts of those retries (`herhaalpogingen`: each half or
/// single request tried, committed or not), the requests whose own rows failed alone in a
/// retry (`alleen_mislukt`), and the round trips of all of it (`store::rondes`, every
/// statement the writer sent, `BEGIN`/`COMMIT`, head creation and retries included), of
/// which `proefrondes` were the pool's probe when the writer took a connection
/// (`conn::haal`: a connection idle for longer than `conn::CONTROLE_NA` is probed with
/// `SELECT 1` first, so whether a batch pays it depends on which connection it gets).
#[derive(Debug, Default)]
pub struct Schrijfcijfers {
    pub batches: std::sync::atomic::AtomicU64,
    pub verzoeken: std::sync::atomic::AtomicU64,
    pub rijen: std::sync::atomic::AtomicU64,
    pub mislukt: std::sync::atomic::AtomicU64,
    pub herhaald: std::sync::atomic::AtomicU64,
    pub herhaalpogingen: std::sync::atomic::AtomicU64,
    pub alleen_mislukt: std::sync::atomic::AtomicU64,
    pub rondes: std::sync::atomic::AtomicU64,
    pub proefrondes: std::sync::atomic::AtomicU64,
}

/// The writer's test hooks (off in service; each is one atomic load per batch).
#[derive(Debug, Default)]
struct Haken {
    /// When set, every write attempt fails before it writes, as if the database were
    /// unreachable (the whole batch at once, no retry): the fail-closed test.
    storing: std::sync::atomic::AtomicBool,
    /// When not 0, the next batch waits (at most `VERZAMEL_WACHT`) until this many requests
    /// are in it, then the hook is off again: several requests in one batch without
    /// relying on timing.
    verzamel: std::sync::atomic::AtomicUsize,
}

/// How long the `verzamel` hook holds a batch at most (a test that sent fewer requests
/// still ends).
const VERZAMEL_WACHT: std::time::Duration = std::time::Duration::from_secs(10);

/// The handle of an instance's log writer (cheap to clone). The thread stops when the
/// last handle is dropped.
#[derive(Clone)]
pub struct Logschrijver {
    kanaal: mpsc::Sender<Opdracht>,
    pub cijfers: Arc<Schrijfcijfers>,
    haken: Arc<Haken>,
}

impl Logschrijver {
    /// Start the writer thread over `pool`.
    pub fn start(pool: DbPool, instelling: Schrijfinstelling) -> std::io::Result<Self> {
        let (kanaal, ontvanger) = mpsc::channel::<Opdracht>();
        let cijfers = Arc::new(Schrijfcijfers::default());
        let haken = Arc::new(Haken::default());
        let (c, h) = (cijfers.clone(), haken.clone());
        std::thread::Builder::new()
            .name("logschrijver".into())
            .spawn(move || lus(pool, ontvanger, instelling, &c, &h))?;
        Ok(Self {
            kanaal,
            cijfers,
            haken,
        })
    }

    /// Append `rijen` with the next batch; returns once that batch committed (or failed).
    ///
    /// `uiterlijk`: the moment after which the request no longer waits for a database
    /// connection (the start of its read plus the pool's connection timeout, the budget
    /// its read already drew on). The writer waits for its connection only until the
    /// earliest deadline in the batch (at least `conn::MIN_VERBINDINGSWACHT`), so during an
    /// outage a logged read is answered 503 within about one connection timeout, not one
    /// for its read and another for its log rows (h19review). When that wait ends without
    /// a connection, only the requests whose deadline has passed fail; the others are
    /// written on (`Mislukking::Termijn`).
    pub async fn schrijf(&self, rijen: Logrijen, uiterlijk: Instant) -> Result<(), Logfout> {
        if rijen.is_leeg() {
            return Ok(());
        }
        let (klaar, wacht) = tokio::sync::oneshot::channel();
        self.kanaal
            .send(Opdracht {
                rijen,
                klaar,
                uiterlijk,
            })
            .map_err(|_| Logfout::gestopt())?;
        wacht.await.map_err(|_| Logfout::gestopt())?
    }

    /// Let every following batch fail as if the database were unreachable (`true`: every
    /// request in it fails, no retry) or work again (`false`): for tests of failing closed.
    pub fn zet_storing(&self, aan: bool) {
        self.haken
            .storing
            .store(aan, std::sync::atomic::Ordering::SeqCst);
    }

    /// Hold the next batch until `aantal` requests are in it (at most 10 s), once: for
    /// tests that need several requests in one batch.
    pub fn verzamel(&self, aantal: usize) {
        self.haken
            .verzamel
            .store(aantal, std::sync::atomic::Ordering::SeqCst);
    }
}

fn lus(
    pool: DbPool,
    ontvanger: mpsc::Receiver<Opdracht>,
    instelling: Schrijfinstelling,
    cijfers: &Schrijfcijfers,
    haken: &Haken,
) {
    use std::sync::atomic::Ordering::{Relaxed, SeqCst};
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
        if haken.verzamel.load(Relaxed) != 0 {
            let tot = std::time::Instant::now() + VERZAMEL_WACHT;
            let doel = haken.verzamel.swap(0, SeqCst);
            while batch.len() < doel.min(instelling.max_verzoeken) {
                let rest = tot.saturating_duration_since(std::time::Instant::now());
                match ontvanger.recv_timeout(rest) {
                    Ok(o) => batch.push(o),
                    Err(_) => break,
                }
            }
        }
        Batchwerk {
            pool: &pool,
            bekend: &mut bekend,
            haken,
            cijfers,
            onbereikbaar: None,
        }
        .schrijf(batch, false);
    }
}

/// Writing the batches of the writer's loop (`lus`), and the retry of a failed one by
/// halving (h19halve).
///
/// A batch is written in one transaction (`schrijf_batch`). When it fails with
/// `Mislukking::Rijen` and holds more than one request, its requests are cut into two
/// halves in batch order, each half is written as a batch of its own (its own
/// transaction, sealed anew, so `batchzegel::verzegel` gives positions after the heads as
/// they are now), and a half that fails with `Rijen` is halved again, depth first and
/// earlier half first, so the rows that commit land in their chains in batch order. A half
/// of one request that fails fails that request closed with its own error; every request
/// is told its outcome as soon as its half commits or it fails.
///
/// Cost, in write attempts after the failed batch (`Schrijfcijfers::herhaalpogingen`):
/// the halvings form a binary tree over the n requests whose failing nodes are those
/// holding a bad request; each failing node of more than one request costs the attempts
/// of its two children, so level ℓ (halves of about n/2^ℓ) costs at most 2·min(k, 2^(ℓ−1))
/// attempts for k bad requests: at most 2·k·⌈log2 n⌉ in all (one bad request in 512: 18,
/// against 512 one by one), and never more than 2·(n−1) (every request bad: about twice
/// the one-by-one retry, still bounded by the requests sent).
///
/// `Mislukking::Geheel` (no connection, or the connection found dead): every request of
/// the attempt fails at once, and during a retry so does every request not yet written
/// (`onbereikbaar`), instead of each waiting for the pool in turn.
struct Batchwerk<'a> {
    pool: &'a DbPool,
    bekend: &'a mut HashSet<String>,
    haken: &'a Haken,
    cijfers: &'a Schrijfcijfers,
    /// Set at the first `Geheel` failure: the error the rest of the requests get.
    onbereikbaar: Option<Logfout>,
}

impl Batchwerk<'_> {
    /// Write `opdrachten` as one batch and tell each request its outcome; `herhaling`:
    /// this is a half of a failed batch.
    fn schrijf(&mut self, opdrachten: Vec<Opdracht>, herhaling: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(fout) = &self.onbereikbaar {
            for o in opdrachten {
                let _ = o.klaar.send(Err(fout.clone()));
            }
            return;
        }
        let aantal_verzoeken = opdrachten.len();
        let mut rijen = Logrijen::default();
        let mut maten = Vec::with_capacity(aantal_verzoeken);
        let mut wachtenden = Vec::with_capacity(aantal_verzoeken);
        let mut termijnen = Vec::with_capacity(aantal_verzoeken);
        for o in opdrachten {
            maten.push(o.rijen.maat());
            rijen.voeg_toe(o.rijen);
            wachtenden.push(o.klaar);
            termijnen.push(o.uiterlijk);
        }
        let uiterlijk = termijnen.iter().min().copied().unwrap_or_else(Instant::now);
        let aantal = rijen.aantal() as u64;
        if herhaling {
            self.cijfers.herhaalpogingen.fetch_add(1, Relaxed);
        }
        let rondes_voor = ketenregie_store::rondes::geteld();
        let uitkomst = schrijf_batch(
            self.pool,
            &mut rijen,
            uiterlijk,
            self.bekend,
            self.haken,
            self.cijfers,
        );
        // The attempt's statements are counted before anyone is answered, so a caller that
        // reads the counters after its answer finds its batch in them (h19review: a test
        // once read 0 in between).
        self.cijfers.rondes.fetch_add(
            ketenregie_store::rondes::geteld().wrapping_sub(rondes_voor),
            Relaxed,
        );
        match uitkomst {
            Ok(()) => {
                self.cijfers.batches.fetch_add(1, Relaxed);
                self.cijfers
                    .verzoeken
                    .fetch_add(aantal_verzoeken as u64, Relaxed);
                self.cijfers.rijen.fetch_add(aantal, Relaxed);
                for w in wachtenden {
                    let _ = w.send(Ok(()));
                }
            }
            Err(Mislukking::Termijn(e)) => {
                // Answer the requests whose time is up; write the others on, with the
                // next earliest deadline. The earliest one's deadline has passed (the
                // wait ran to it, or it had passed already), so every round answers at
                // least one request: this ends.
                if !herhaling {
                    self.cijfers.mislukt.fetch_add(1, Relaxed);
                }
                let nu = Instant::now();
                let fout = Logfout {
                    tekst: e,
                    onbereikbaar: true,
                };
                let (verlopen, verder): (Vec<Opdracht>, Vec<Opdracht>) =
                    Opdracht::terug(rijen, &maten, wachtenden, termijnen)
                        .into_iter()
                        .partition(|o| o.uiterlijk <= nu);
                for o in verlopen {
                    let _ = o.klaar.send(Err(fout.clone()));
                }
                tracing::warn!(
                    verlopen = aantal_verzoeken - verder.len(),
                    verder = verder.len(),
                    "geen verbinding voor de termijn van een verzoek; de overige worden verder geschreven"
                );
                if !verder.is_empty() {
                    self.schrijf(verder, herhaling);
                }
            }
            Err(Mislukking::Rijen(e)) if aantal_verzoeken > 1 => {
                if herhaling {
                    tracing::debug!(fout = %e, verzoeken = aantal_verzoeken, "helft van een logbatch mislukt; opnieuw gehalveerd");
                } else {
                    self.cijfers.mislukt.fetch_add(1, Relaxed);
                    self.cijfers.herhaald.fetch_add(1, Relaxed);
                    tracing::warn!(fout = %e, verzoeken = aantal_verzoeken, "logbatch mislukt; de batch wordt gehalveerd herhaald");
                }
                let mut eerste = Opdracht::terug(rijen, &maten, wachtenden, termijnen);
                let tweede = eerste.split_off(aantal_verzoeken / 2);
                self.schrijf(eerste, true);
                self.schrijf(tweede, true);
            }
            Err(m) => {
                let fout = Logfout::van(&m);
                if !herhaling {
                    self.cijfers.mislukt.fetch_add(1, Relaxed);
                    tracing::error!(fout = %fout, verzoeken = aantal_verzoeken, "logbatch mislukt; de verzoeken falen gesloten");
                } else if fout.onbereikbaar {
                    tracing::error!(fout = %fout, "database onbereikbaar tijdens het herhalen; de overige verzoeken falen gesloten");
                    self.onbereikbaar = Some(fout.clone());
                } else {
                    self.cijfers.alleen_mislukt.fetch_add(1, Relaxed);
                    tracing::error!(fout = %fout, "logregels van een verzoek ook alleen geweigerd; dat verzoek faalt gesloten");
                }
                for w in wachtenden {
                    let _ = w.send(Err(fout.clone()));
                }
            }
        }
    }
}

/// Why a write attempt (`schrijf_batch`) failed, as far as a retry is concerned.
#[derive(Debug)]
enum Mislukking {
    /// Not caused by any request's rows, so a retry would only fail the same way again,
    /// slowly: no connection from the pool within its timeout (the database
    /// down or every connection busy), the connection found dead after the failure (the
    /// `SELECT 1` probe of `conn::controleer_na_fout` failed, or the transaction manager
    /// was left broken by a rollback that could not reach the server), the transaction's
    /// `BEGIN` or `COMMIT` failing (on SQLite the write lock not had within
    /// `busy_timeout`), or the `storing` test hook.
    Geheel(String),
    /// A statement of the batch failed (a row the database refused, a chain head missing)
    /// and the connection still answers: possibly one request's rows, so worth a retry
    /// (in halves, `Batchwerk`).
    Rijen(String),
    /// No connection before the batch's earliest request deadline, which was shorter
    /// than the pool's connection timeout: the requests whose deadline has passed fail
    /// (503), the others are written on (their next earliest deadline), so one late
    /// request does not fail a batch of fresh ones under load (h20 review).
    Termijn(String),
}

impl Mislukking {
    fn tekst(&self) -> &str {
        match self {
            Mislukking::Geheel(t) | Mislukking::Rijen(t) | Mislukking::Termijn(t) => t,
        }
    }
}

/// A failed attempt's error and whether a statement of the batch itself failed (`true`),
/// rather than the transaction's begin or commit (`false`, `From` used by
/// `conn::schrijf_zonder_controle`).
struct Poging {
    fout: diesel::result::Error,
    in_rijen: bool,
}

impl From<diesel::result::Error> for Poging {
    fn from(fout: diesel::result::Error) -> Self {
        Poging {
            fout,
            in_rijen: false,
        }
    }
}

impl Poging {
    fn in_rijen(fout: diesel::result::Error) -> Self {
        Poging {
            fout,
            in_rijen: true,
        }
    }
}

/// One batch in one write transaction, its rows sealed at insert (`batchzegel`): the
/// heads of its chains locked (sorted, one statement), the rows linked and inserted, the
/// heads moved (one statement), commit. Heads this writer has not seen are created first,
/// in a short transaction of their own. `rijen` are sealed in place but keep their order
/// (a failed batch is split back per request from them, `Logrijen::splits`).
///
/// The connection is waited for until `uiterlijk` (the batch's earliest request
/// deadline, `conn::wachttijd_tot`); none by then is `Mislukking::Termijn` when that was
/// less than the pool's own timeout. On failure the connection is probed once
/// (`conn::controleer_na_fout`, as `conn::schrijf` does) to tell `Mislukking::Rijen` from
/// `Mislukking::Geheel`. The statements sent while taking the connection (the pool's
/// probe) are counted in `cijfers.proefrondes`.
fn schrijf_batch(
    pool: &DbPool,
    rijen: &mut Logrijen,
    uiterlijk: Instant,
    bekend: &mut HashSet<String>,
    haken: &Haken,
    cijfers: &Schrijfcijfers,
) -> Result<(), Mislukking> {
    if haken.storing.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(Mislukking::Geheel("storing ingesteld (test)".into()));
    }
    let voor = ketenregie_store::rondes::geteld();
    let wachttijd = conn::wachttijd_tot(uiterlijk);
    let haal = conn::haal_binnen(pool, wachttijd);
    cijfers.proefrondes.fetch_add(
        ketenregie_store::rondes::geteld().wrapping_sub(voor),
        std::sync::atomic::Ordering::Relaxed,
    );
    let mut c = haal.map_err(|e| {
        if wachttijd < pool.connection_timeout() {
            Mislukking::Termijn(e.to_string())
        } else {
            Mislukking::Geheel(e.to_string())
        }
    })?;
    let koppen = batchzegel::koppen_van(rijen);
    let uitkomst =
        batchzegel::maak_koppen(&mut c, &koppen, bekend, Poging::in_rijen).and_then(|()| {
            conn::schrijf_zonder_controle(&mut c, |c| -> Result<(), Poging> {
                let stand =
                    batchzegel::verzegel(c, &koppen, rijen, bekend).map_err(Poging::in_rijen)?;
                match c {
                    // The inserts and the heads' move in one statement (h17seal): BEGIN,
                    // the lock, this, COMMIT.
                    DbConnection::Pg(pg) if past_in_een(rijen) => {
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
                        bundel.voer_uit(pg).map(|_| ()).map_err(Poging::in_rijen)
                    }
                    _ => voeg_in(c, rijen)
                        .and_then(|()| batchzegel::zet_koppen(c, &stand))
                        .map_err(Poging::in_rijen),
                }
            })
        });
    match uitkomst {
        Ok(()) => {
            conn::gezien_werken(&mut c);
            Ok(())
        }
        Err(p) => {
            let levend = conn::controleer_na_fout(&mut c);
            let tekst = p.fout.to_string();
            Err(if levend && p.in_rijen {
                Mislukking::Rijen(tekst)
            } else {
                Mislukking::Geheel(tekst)
            })
        }
    }
}

/// The most bind parameters one statement may carry on either backend: PostgreSQL's
/// protocol counts them in an Int16 (65,535; "Bind" message, PostgreSQL protocol §55.7),
/// SQLite's `SQLITE_MAX_VARIABLE_NUMBER` is 32,766 (since 3.32.0); kept well under both.
pub const MAX_BINDS: usize = 30_000;

/// Whether a batch's rows go in one PostgreSQL statement (`schrijf_batch`): no deferred
/// writes (each is a statement of its own), all rows' bind parameters under
/// [`MAX_BINDS`] (the row-wise bound kept from the `VALUES` form: it also keeps a batch of
/// many subjects' rows in parts) and their bytes under `kolommen::MAX_BYTES` (one
/// protocol message under PostgreSQL's 1 GiB). Otherwise `voeg_in` writes them in parts.
fn past_in_een(rijen: &Logrijen) -> bool {
    rijen.overig.is_empty()
        && rijen.audit.len() * AuditInvoeg::KOLOMMEN
            + rijen.verwerking.len() * VerwerkingInvoeg::KOLOMMEN
            + rijen.verstrekking.len() * VerstrekkingInvoeg::KOLOMMEN
            <= MAX_BINDS
        && kolommen::omvang(&rijen.audit)
            + kolommen::omvang(&rijen.verwerking)
            + kolommen::omvang(&rijen.verstrekking)
            <= kolommen::MAX_BYTES
}

/// Write collected rows in the caller's transaction as they are (sealed by `batchzegel`
/// in the log writer, else unsealed for the sealer): multi-row inserts per log and for the
/// disclosure register (within both backends' bind-parameter limits), then the deferred
/// writes. The rows are borrowed: a failed batch is retried from them (`Batchwerk`).
pub fn voeg_in(conn: &mut DbConnection, rijen: &Logrijen) -> QueryResult<()> {
    kolommen::voeg_in(conn, &rijen.audit)?;
    kolommen::voeg_in(conn, &rijen.verwerking)?;
    kolommen::voeg_in(conn, &rijen.verstrekking)?;
    for f in &rijen.overig {
        f(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ketenregie_store::conn::{DbUrl, PoolInstelling};
    use std::time::Duration;

    /// A batch's rows: one deferred write that does nothing (no table needed).
    fn een_rij() -> Logrijen {
        Logrijen {
            overig: vec![Box::new(|_: &mut DbConnection| Ok(()))],
            ..Logrijen::default()
        }
    }

    /// A migrated SQLite database in a folder of its own, a pool of one connection with a
    /// connection timeout of 5 s, and a writer over it.
    fn opzet() -> (std::path::PathBuf, DbPool, Logschrijver) {
        let map = std::env::temp_dir().join(format!(
            "ketenregie-schrijver-{}-{}",
            std::process::id(),
            uuid::Uuid::now_v7()
        ));
        std::fs::create_dir_all(&map).unwrap();
        let url = DbUrl::parse(&format!("sqlite://{}", map.join("t.db").display())).unwrap();
        ketenregie_store::migrate::run(&url).unwrap();
        let pool = conn::pool_met(
            &url,
            &PoolInstelling {
                max_size: 1,
                verbind_timeout: Duration::from_secs(5),
            },
        )
        .unwrap();
        let schrijver = Logschrijver::start(pool.clone(), Schrijfinstelling::default()).unwrap();
        (map, pool, schrijver)
    }

    /// The writer waits for its connection only until the request's deadline (at least
    /// `conn::MIN_VERBINDINGSWACHT`), not for the pool's whole connection timeout on top of
    /// the wait the request's read already had (h19review: a logged read during an outage
    /// waited about twice the timeout). With the pool's one connection held elsewhere and
    /// a timeout of 5 s, a deadline 300 ms away fails the request as `onbereikbaar` (503)
    /// in well under the 5 s; once the connection is free the next request commits.
    #[tokio::test]
    async fn wacht_niet_langer_dan_de_termijn_van_het_verzoek() {
        let (map, pool, schrijver) = opzet();

        let bezet = pool.get().unwrap();
        let begon = Instant::now();
        let fout = schrijver
            .schrijf(een_rij(), begon + Duration::from_millis(300))
            .await
            .expect_err("no connection: the request fails closed");
        let duur = begon.elapsed();
        assert!(fout.onbereikbaar, "{fout}");
        assert!(
            duur >= Duration::from_millis(250) && duur < Duration::from_secs(2),
            "waited {duur:?}: the request's deadline was 300 ms, the pool's timeout 5 s"
        );

        // A deadline already passed still gets the least wait, and no more.
        let begon = Instant::now();
        let fout = schrijver
            .schrijf(een_rij(), begon - Duration::from_secs(1))
            .await
            .expect_err("no connection");
        assert!(fout.onbereikbaar);
        assert!(
            begon.elapsed() < Duration::from_secs(2),
            "{:?}",
            begon.elapsed()
        );

        drop(bezet);
        schrijver
            .schrijf(een_rij(), Instant::now() + Duration::from_secs(5))
            .await
            .expect("the connection is free again");
        let _ = std::fs::remove_dir_all(&map);
    }

    /// Under load, not an outage: one request whose deadline has passed shares a batch
    /// with a fresh one while the pool's only connection is busy for 600 ms. The late
    /// request is answered 503 after the least wait (100 ms); the fresh one is written on
    /// with its own deadline and commits once the connection is free (h20 review: the
    /// batch's earliest deadline failed every request in it).
    #[tokio::test]
    async fn een_verlopen_verzoek_laat_de_rest_van_de_batch_niet_vallen() {
        let (map, pool, schrijver) = opzet();
        let bezet = pool.get().unwrap();
        let vrij = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(600)).await;
            drop(bezet);
        });
        schrijver.verzamel(2);
        let begon = Instant::now();
        let getimed = |uiterlijk: Instant| {
            let s = schrijver.clone();
            async move {
                let uitkomst = s.schrijf(een_rij(), uiterlijk).await;
                (uitkomst, begon.elapsed())
            }
        };
        let ((laat, laat_na), (vers, vers_na)) = tokio::join!(
            getimed(begon - Duration::from_secs(1)),
            getimed(begon + Duration::from_secs(5))
        );
        let fout = laat.expect_err("the late request fails closed");
        assert!(fout.onbereikbaar, "{fout}");
        assert!(
            laat_na < Duration::from_millis(550),
            "late answered after {laat_na:?}"
        );
        vers.expect("the fresh request commits once the connection is free");
        assert!(
            vers_na >= Duration::from_millis(550),
            "fresh answered after {vers_na:?}"
        );
        assert_eq!(
            schrijver
                .cijfers
                .verzoeken
                .load(std::sync::atomic::Ordering::SeqCst),
            1
        );
        vrij.await.unwrap();
        let _ = std::fs::remove_dir_all(&map);
    }
}
