//! The functional admin's management of the organisation's outgoing notifications: its
//! webhook subscriptions (`abonnementen`) and the deliveries that failed every attempt
//! (`dode_berichten`). The rules who may, and which organisation's records one sees, live
//! here; the delivery itself is `crate::bezorging`.

pub mod abonnementen;
pub mod dode_berichten;
