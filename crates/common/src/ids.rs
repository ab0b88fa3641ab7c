//! Identifiers: UUIDv7 everywhere, stored as TEXT (DESIGN.md §3). Version 7 sorts by time,
//! which keeps B-tree inserts local and makes ids usable as a stable paging order.

use uuid::Uuid;

/// A new time-ordered identifier.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
