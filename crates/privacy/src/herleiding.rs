//! Data-subject ids re-derived under a new name normalisation (issue 14, finding 9; rule
//! `NAAM_NORMALISATIE`). A person without a BSN is identified by a keyed hash of the
//! normalised name and date of birth; when the normalisation improves, that id changes.
//! The case registry and the meldingen index are rewritten (`ketenregie sleutels
//! herbereken`), but the processing log is append-only and hash-chained and is never
//! rewritten: its rows keep the old pseudonym. This table links each old id to the new one,
//! and the log searches (`logboek::verwerkingen_van_betrokkene`, `zoek_verwerkingen`) look
//! under every pseudonym a subject had.

use crate::pseudoniem::Pseudonimiseerder;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::betrokkene_herleidingen as h;
use uuid::Uuid;

/// Record that subject `oud` is now `nieuw`. Earlier records that led to `oud` are moved
/// on to `nieuw`, so every old id maps to the current one in one step. Idempotent.
pub fn leg_vast(
    conn: &mut DbConnection,
    p: &Pseudonimiseerder,
    oud: Uuid,
    nieuw: Uuid,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    if oud == nieuw {
        return Ok(());
    }
    let (o, n) = (oud.to_string(), nieuw.to_string());
    let np = p.van(nieuw);
    diesel::update(h::table.filter(h::nieuw.eq(&o)))
        .set((h::nieuw.eq(&n), h::nieuw_pseudoniem.eq(&np)))
        .execute(conn)?;
    // A subject that comes back to an id it had before has no alias to itself.
    diesel::delete(h::table.filter(h::oud.eq(&n))).execute(conn)?;
    let bestaat = h::table
        .find(&o)
        .select(h::oud)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if bestaat {
        diesel::update(h::table.find(&o))
            .set((
                h::nieuw.eq(&n),
                h::nieuw_pseudoniem.eq(&np),
                h::herleid_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(h::table)
            .values((
                h::oud.eq(&o),
                h::nieuw.eq(&n),
                h::oud_pseudoniem.eq(p.van(oud)),
                h::nieuw_pseudoniem.eq(&np),
                h::herleid_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every pseudonym subject `pseudoniem` was logged under: itself and those of its earlier ids.
pub fn alle_pseudoniemen(conn: &mut DbConnection, pseudoniem: &str) -> QueryResult<Vec<String>> {
    let mut uit = vec![pseudoniem.to_string()];
    uit.extend(
        h::table
            .filter(h::nieuw_pseudoniem.eq(pseudoniem))
            .select(h::oud_pseudoniem)
            .load::<String>(conn)?,
    );
    Ok(uit)
}
