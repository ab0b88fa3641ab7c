//! The clock. Domain code never calls `Utc::now()` itself: it takes the time from a
//! `Klok`, so tests can fix it and development mode can move it (to let a deadline pass
//! in a demo) without touching production behaviour.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The system clock plus an offset that only development mode may change.
#[derive(Debug, Clone, Default)]
pub struct Klok {
    verschuiving_seconden: Arc<AtomicI64>,
    vast: Option<DateTime<Utc>>,
}

impl Klok {
    pub fn systeem() -> Self {
        Self::default()
    }

    /// A clock stuck at `t` (tests).
    pub fn vast(t: DateTime<Utc>) -> Self {
        Self {
            verschuiving_seconden: Arc::default(),
            vast: Some(t),
        }
    }

    pub fn nu(&self) -> DateTime<Utc> {
        let basis = self.vast.unwrap_or_else(crate::time::now_utc);
        basis + Duration::seconds(self.verschuiving_seconden.load(Ordering::Relaxed))
    }

    /// Move the clock forward (development mode only; the API guards this).
    pub fn verschuif(&self, d: Duration) {
        self.verschuiving_seconden
            .fetch_add(d.num_seconds(), Ordering::Relaxed);
    }

    pub fn verschuiving(&self) -> Duration {
        Duration::seconds(self.verschuiving_seconden.load(Ordering::Relaxed))
    }
}
