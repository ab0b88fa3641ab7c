//! SQLite writers of one process queue for the file's write lock in turn instead of
//! polling for it (issue 17: the filing's p99 on SQLite).
//!
//! SQLite has one writer per database file. A connection that finds the write lock taken
//! (`BEGIN IMMEDIATE` while another connection writes) does not queue: its busy handler
//! sleeps and retries (1, 2, 5, 10, ... up to 100 ms between tries, until
//! `busy_timeout`), so under steady write load one writer can lose many times in a row
//! while others, arriving later, win: the tail of the filing went to 0.7-1.7 s at only 4
//! concurrent filings. Inside one process the writers can do better: before `BEGIN
//! IMMEDIATE` a write transaction takes this process's turn for its file (`neem`), and the
//! one finishing hands it to a waiting one at once (a condition variable, no sleep). The
//! file lock stays SQLite's: another process (the CLI while the service runs) still meets
//! `busy_timeout` as before.
//!
//! Never a deadlock: a turn not given within `max` (the busy timeout) is not waited for
//! any longer; the transaction then begins as before and SQLite's own lock decides. A file
//! without a name (in memory) takes no turn.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::Duration;

#[derive(Default)]
struct Slot {
    bezet: Mutex<bool>,
    vrij: Condvar,
}

static SLOTEN: OnceLock<Mutex<HashMap<String, Arc<Slot>>>> = OnceLock::new();

/// A held turn; dropping it (after `COMMIT` or `ROLLBACK`) gives the turn to the next
/// writer of the file.
#[must_use]
pub struct Beurt(Option<Arc<Slot>>);

impl std::fmt::Debug for Beurt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Beurt(gehouden)"
        } else {
            "Beurt(geen)"
        })
    }
}

impl Drop for Beurt {
    fn drop(&mut self) {
        if let Some(slot) = self.0.take() {
            *slot.bezet.lock().unwrap_or_else(PoisonError::into_inner) = false;
            slot.vrij.notify_one();
        }
    }
}

/// Wait for this process's turn to write database file `pad`, at most `max`; after that
/// (or for an unnamed file) a `Beurt` that holds nothing.
pub fn neem(pad: &str, max: Duration) -> Beurt {
    if pad.is_empty() {
        return Beurt(None);
    }
    let slot = SLOTEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(pad.to_string())
        .or_default()
        .clone();
    let bezet = slot.bezet.lock().unwrap_or_else(PoisonError::into_inner);
    let (mut bezet, _) = slot
        .vrij
        .wait_timeout_while(bezet, max, |b| *b)
        .unwrap_or_else(PoisonError::into_inner);
    if *bezet {
        return Beurt(None);
    }
    *bezet = true;
    drop(bezet);
    Beurt(Some(slot))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn een_schrijver_tegelijk_en_geen_eindeloos_wachten() {
        let binnen = Arc::new(AtomicUsize::new(0));
        let draden: Vec<_> = (0..8)
            .map(|_| {
                let binnen = binnen.clone();
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let _b = neem("/test/een.db", Duration::from_secs(10));
                        assert_eq!(binnen.fetch_add(1, Ordering::SeqCst), 0);
                        binnen.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for d in draden {
            d.join().unwrap();
        }
        // A turn held elsewhere is given up on after `max`.
        let vast = neem("/test/twee.db", Duration::from_secs(1));
        assert!(vast.0.is_some());
        assert!(neem("/test/twee.db", Duration::from_millis(10)).0.is_none());
        drop(vast);
        assert!(neem("/test/twee.db", Duration::from_millis(10)).0.is_some());
        assert!(neem("", Duration::from_secs(1)).0.is_none());
    }
}
