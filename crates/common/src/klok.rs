//! The clock. Domain code never calls `Utc::now()` itself: it takes the time from a
//! `Klok`, so tests can fix it and development mode can move it (to let a deadline pass
//! in a demo) without touching production behaviour.
//!
//! Two offsets are added to the base time: one moved in this process only (tests), and
//! the development demo clock, which is stored in the database so that every instance and
//! every restart agree on it (issue 14, finding 7); this clock holds a copy of it that the
//! API keeps current (`zet_demo_verschuiving`). In production both stay zero.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The system clock plus offsets that only tests and development mode may change.
#[derive(Debug, Clone, Default)]
pub struct Klok {
    verschuiving_seconden: Arc<AtomicI64>,
    /// The copy of the stored demo clock offset, in seconds.
    demo_seconden: Arc<AtomicI64>,
    vast: Option<DateTime<Utc>>,
}

impl Klok {
    pub fn systeem() -> Self {
        Self::default()
    }

    /// A clock stuck at `t` (tests).
    pub fn vast(t: DateTime<Utc>) -> Self {
        Self {
            vast: Some(t),
            ..Self::default()
        }
    }

    pub fn nu(&self) -> DateTime<Utc> {
        let basis = self.vast.unwrap_or_else(crate::time::now_utc);
        basis + self.verschuiving()
    }

    /// Move this process's clock forward (tests; the demo clock of development mode is
    /// moved in the database and copied in with `zet_demo_verschuiving`).
    pub fn verschuif(&self, d: Duration) {
        self.verschuiving_seconden
            .fetch_add(d.num_seconds(), Ordering::Relaxed);
    }

    /// Set the copy of the stored demo clock offset (seconds). It only ever grows in the
    /// database; a smaller value read late (a slower instance) is ignored, so this clock
    /// never runs backwards.
    pub fn zet_demo_verschuiving(&self, seconden: i64) {
        self.demo_seconden.fetch_max(seconden, Ordering::Relaxed);
    }

    /// The stored demo clock offset as this clock last saw it.
    pub fn demo_verschuiving(&self) -> Duration {
        Duration::seconds(self.demo_seconden.load(Ordering::Relaxed))
    }

    /// Everything this clock is ahead of the base time: this process's moves and the
    /// demo clock.
    pub fn verschuiving(&self) -> Duration {
        Duration::seconds(
            self.verschuiving_seconden.load(Ordering::Relaxed)
                + self.demo_seconden.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_offset_adds_and_never_goes_back() {
        let t = chrono::DateTime::parse_from_rfc3339("2027-01-04T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let k = Klok::vast(t);
        k.verschuif(Duration::hours(1));
        k.zet_demo_verschuiving(3600 * 24);
        assert_eq!(k.nu(), t + Duration::hours(25));
        k.zet_demo_verschuiving(3600);
        assert_eq!(k.nu(), t + Duration::hours(25), "an older copy is ignored");
        assert_eq!(k.demo_verschuiving(), Duration::hours(24));
    }
}
