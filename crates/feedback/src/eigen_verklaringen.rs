//! Eigen verklaringen (DOMAIN.md §3 flow 8, Jeugdwet art. 7.3.8) on a terugkoppeling: the
//! own statement of a child or parent of the melding the feedback is about. This module
//! finds the feedback item, checks that the caller's organisation holds it
//! (`VERKLARING_DOOR_HOUDER`: the receiver that gave it, whoever it is owed to, the
//! melding's sender — the parties of `PARTIJEN_LEZEN_TERUGKOPPELING`; anyone else hears an
//! unknown id, the refusal in the giver's trail) and names whose statement it is (`door`:
//! `kinderen/N` or `ouders/N` in the melding, `ketenregie_referral::eigen_verklaringen::leg_vast_over`);
//! the statement itself, the privacy officer's role, the decision and the logs are
//! `ketenregie_privacy::verantwoording::verklaringen`. The feedback is never altered.
//!
//! Use cases: `voeg_toe`, `lijst` (`/terugkoppelingen/{id}/eigen-verklaringen`).

use crate::terugkoppeling;
use diesel::prelude::*;
use ketenregie_common::Fout;
use ketenregie_privacy::eigen_verklaring::{EigenVerklaring, EigenVerklaringWeergave, Recordsoort};
use ketenregie_privacy::verantwoording::verklaringen::{self, Record, Verklaringsinvoer};
use ketenregie_privacy::{Context, zicht};
use ketenregie_referral::eigen_verklaringen::leg_vast_over;
use ketenregie_referral::opslag;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::terugkoppelingen;
use uuid::Uuid;

/// The kind of record, as named in a 404.
pub const TERUGKOPPELING: &str = "terugkoppeling";

/// What a feedback item says of its holders: its melding, to whom, by whom.
type Kop = (Tekst<Uuid>, String, String);

/// A feedback item the caller's organisation holds, with its melding.
struct Gehouden {
    record: Record,
    zorgmelding: Uuid,
}

/// Feedback item `id` as a record the caller's organisation holds, else the answer of an
/// unknown id (the refusal in the giver's trail).
fn gehouden(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Gehouden, Fout> {
    let rij: Option<Kop> = terugkoppelingen::table
        .find(id.to_string())
        .select((
            terugkoppelingen::zorgmelding_id,
            terugkoppelingen::afzender,
            terugkoppelingen::ontvanger,
        ))
        .first(conn)
        .optional()?;
    let Some((melding, afzender, ontvanger)) = rij else {
        return Err(zicht::onbekend(TERUGKOPPELING));
    };
    let k = opslag::kop(conn, melding.0)?;
    let org = ctx.actor.organisatie.as_str();
    let partij =
        org == afzender || org == ontvanger || k.as_ref().is_some_and(|k| k.afzender == org);
    if !partij {
        return Err(verklaringen::niet_gehouden(ctx, TERUGKOPPELING, &ontvanger));
    }
    Ok(Gehouden {
        record: Record {
            soort: Recordsoort::Terugkoppeling,
            id,
            eigenaar: ontvanger,
        },
        zorgmelding: melding.0,
    })
}

/// `POST /terugkoppelingen/{id}/eigen-verklaringen`: the own statement of the child or
/// parent at `door` in the melding, through the privacy officer of a party of the
/// feedback.
pub fn voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    let g = gehouden(conn, ctx, id)?;
    leg_vast_over(conn, ctx, &g.record, g.zorgmelding, invoer)
}

/// `GET /terugkoppelingen/{id}/eigen-verklaringen`: the statements on the feedback item
/// the caller sees with it, as a read of the item (`VERKLARING_LEZEN_ALS_RECORD`: the
/// feedback is read in `GET /zorgmeldingen/{id}/terugkoppelingen`, so its decision and
/// 403, `terugkoppeling::verklaringen_bij`), logged as a read of this item only when a
/// statement is returned (`LOG_ALLEEN_WAT_GETOOND`); a non-party hears an unknown id first.
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    let g = gehouden(conn, ctx, id)?;
    terugkoppeling::verklaringen_bij(conn, ctx, g.zorgmelding, id)
}
