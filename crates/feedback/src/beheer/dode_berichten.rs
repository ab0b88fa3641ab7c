//! Deliveries (e-mail or webhook) that failed every attempt (`/dode-berichten`). They
//! carry a type and a reference, never personal data.
//!
//! - `BEHEER_DODE_BERICHTEN`: the functional admin sees and re-queues those of its own
//!   organisation's events, the platform admin all of them; anyone else is refused.
//! - `PRIVACYKANAAL_ALLEEN_FG` (`ketenregie_privacy::verantwoording`; outside test of
//!   2 Dec 2026, F1): a delivery of the privacy channel (`privacy.*`: which record was
//!   read, by whom) is the privacy officer's of its organisation only, as in
//!   `GET /berichten`: to any other admin, platform admin included, it does not exist
//!   (not listed; a re-queue is answered as an unknown id, the attempt audited).
//! - `EEN_ORGANISATIE_ZICHT`: another organisation's delivery is answered to a functional
//!   admin as an unknown id, the attempt recorded in its audit trail.

use crate::bezorging::{self, Bezorgstatus, DoodBericht, DoodSleutel};
use ketenregie_common::{Actor, Fout, Rol};
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::verantwoording::{
    PRIVACYKANAAL, PRIVACYKANAAL_ALLEEN_FG, ziet_privacykanaal,
};
use ketenregie_privacy::{Context, zicht};
use ketenregie_store::DbConnection;
use ketenregie_store::venster::{Pagina, Venster};
use uuid::Uuid;

/// The rule: dead deliveries are for the functional admin and the platform admin.
pub const BEHEER_DODE_BERICHTEN: &str = "BEHEER_DODE_BERICHTEN";

/// The kind of record, as named in a 404.
pub const BEZORGING: &str = "bezorging";

/// Whose dead deliveries `actor` sees: `None` all organisations' (platform admin),
/// `Some(code)` only its own (functional admin); anyone else `GeenToegang`.
pub fn bereik(actor: &Actor) -> Result<Option<String>, Fout> {
    if actor.heeft_rol(Rol::Platformbeheerder) {
        Ok(None)
    } else if actor.heeft_rol(Rol::FunctioneelBeheerder) {
        Ok(Some(actor.organisatie.clone()))
    } else {
        Err(Fout::geen_toegang(
            BEHEER_DODE_BERICHTEN,
            "Dode berichten zijn voor de functioneel beheerder en de platformbeheerder",
        ))
    }
}

/// The audit object of a re-queue of delivery `id` (the caller's organisation's trail).
pub fn object(ctx: &Context, id: Uuid) -> Object {
    Object {
        soort: "dode-berichten",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// `GET /dode-berichten`: a page of the dead deliveries in the caller's reach, newest
/// first (keyset pagination, `bezorging::doden`), with the bounded count.
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    venster: &Venster<DoodSleutel>,
) -> Result<Pagina<DoodBericht, DoodSleutel>, Fout> {
    let org = bereik(&ctx.actor)?;
    Ok(bezorging::doden(
        conn,
        org.as_deref(),
        privacy_van(&ctx.actor),
        venster,
    )?)
}

/// `PRIVACYKANAAL_ALLEEN_FG`: the organisation whose privacy-channel deliveries `actor`
/// may see and re-queue: its own when it is the privacy officer, else none.
fn privacy_van(actor: &Actor) -> Option<&str> {
    ziet_privacykanaal(actor).then_some(actor.organisatie.as_str())
}

/// `POST /dode-berichten/{id}/_opnieuw`: put the dead delivery back in the queue, due
/// now, its attempts counted afresh. Errors: `NietGevonden`, `Verborgen` (another
/// organisation's, for a functional admin), `Conflict` when it is not dead.
pub fn opnieuw(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<DoodBericht, Fout> {
    let org = bereik(&ctx.actor)?;
    let sleutel = id.to_string();
    let (b, status) =
        bezorging::bezorging(conn, &sleutel)?.ok_or_else(|| zicht::onbekend(BEZORGING))?;
    if org.as_deref().is_some_and(|o| o != b.organisatie) {
        return Err(zicht::verborgen(
            BEZORGING,
            &b.organisatie,
            "een bezorging van een andere organisatie",
        ));
    }
    if ketenregie_store::outbox::kanaal_van(&b.type_) == PRIVACYKANAAL
        && privacy_van(&ctx.actor) != Some(b.organisatie.as_str())
    {
        return Err(zicht::verborgen(
            BEZORGING,
            &b.organisatie,
            format!(
                "een bezorging van het privacykanaal, alleen voor de privacyfunctionaris (regel {PRIVACYKANAAL_ALLEEN_FG})"
            ),
        ));
    }
    // A dead one, or an uncertain one (its instance died while sending it: at most once,
    // so only the functional admin sends it again, issue 14 finding 8).
    if !matches!(status, Bezorgstatus::Dood | Bezorgstatus::Onzeker) {
        return Err(Fout::conflict(format!(
            "Deze bezorging is `{status}`, niet dood of onzeker"
        )));
    }
    bezorging::opnieuw(conn, &sleutel, ctx.nu)?;
    // In the delivery's organisation's trail, whoever re-queued it (README "Audit trail").
    logboek::audit(
        conn,
        ctx,
        &logboek::AuditRegel::nieuw(
            "opnieuw",
            Object {
                eigenaar: b.organisatie.clone(),
                ..object(ctx, id)
            },
            200,
        )
        .waarden(
            Some(serde_json::json!({"status": status.to_string()})),
            Some(serde_json::json!({"status": "wachtend"})),
        ),
    )?;
    Ok(b)
}
