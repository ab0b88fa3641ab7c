//! Quota notices (`QUOTUM_PER_GEBRUIKER`; OWASP API6, bulk look-ups): when a user crosses
//! the daily quota of briefings or person look-ups, the organisation's privacy officer is
//! notified with a link to the crossing. Who reads it:
//!
//! - `PRIVACYFUNCTIONARIS_LEEST_QUOTUM`: only the privacy officer of the user's
//!   organisation (a refusal is audited by the API's transaction helper);
//! - another organisation's crossing is answered as an unknown id
//!   (`EEN_ORGANISATIE_ZICHT`, `zicht::verborgen`, recorded in that organisation's trail).
//!
//! The crossing names the user (the token's `sub`), what, which day, how many and the
//! limit; nothing about the persons looked up. The counting itself is
//! `ketenregie_store::quota`.

use crate::logboek::Object;
use crate::{Context, zicht};
use ketenregie_common::{Fout, Rol};
use ketenregie_store::DbConnection;
use ketenregie_store::quota::{self, Teller};

/// The kind of record, as named in a 404.
pub const QUOTUMOVERSCHRIJDING: &str = "quotumoverschrijding";

/// Only the organisation's privacy officer reads its quota crossings.
pub const PRIVACYFUNCTIONARIS_LEEST_QUOTUM: &str = "PRIVACYFUNCTIONARIS_LEEST_QUOTUM";

/// The audit object of a read of crossing `id` (in the caller's organisation's trail).
pub fn object(ctx: &Context, id: &str) -> Object {
    Object {
        soort: "quotumoverschrijdingen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// `GET /quotumoverschrijdingen/{id}`: the crossing `id` of the caller's organisation.
/// Errors: `GeenToegang` without the privacy officer's role; `NietGevonden` for an
/// unknown id; `Verborgen` for another organisation's.
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: &str) -> Result<Teller, Fout> {
    if !ctx.actor.heeft_rol(Rol::Privacyfunctionaris) {
        return Err(Fout::geen_toegang(
            PRIVACYFUNCTIONARIS_LEEST_QUOTUM,
            "Alleen de privacyfunctionaris van de organisatie leest quotumoverschrijdingen",
        ));
    }
    let t = quota::overschrijding(conn, id)?.map(|t| {
        let org = t.organisatie.clone();
        (t, org)
    });
    zicht::alleen_eigen(
        ctx,
        QUOTUMOVERSCHRIJDING,
        t,
        "een quotumoverschrijding van een andere organisatie",
    )
}
