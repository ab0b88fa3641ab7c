//! Time: always UTC, truncated to microseconds, because PostgreSQL keeps microseconds and
//! SQLite would keep nanoseconds; a value must read back equal on both backends.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// Now, in UTC, at microsecond precision.
pub fn now_utc() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The naive UTC form the database columns hold.
pub fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(6).naive_utc()
}

/// Back from a database column.
pub fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
