//! The agreement use cases (`/convenanten`): each act of `super` taken for the request's
//! context, with its rows in the agreement's audit trail, and the one view rule of
//! agreements:
//!
//! - Readable by every organisation named as a party (also one that left) and by the
//!   platform admin (who withdraws agreements), `mag_lezen`.
//! - To anyone else an agreement does not exist (`EEN_ORGANISATIE_ZICHT`): the same
//!   answer as an unknown id, `Fout::Verborgen`, whose refusal is recorded in the owner's
//!   trail (for an unknown id: in the caller's own) — `zichtbaar`.
//! - A signatory refusal (`ONDERTEKENAARS`) is `Fout::GeenToegang`, recorded in the
//!   agreement's trail (`object`) by the API's transaction helper.
//! - The audit trail of a version is for the functional admin or privacy officer of a
//!   party (`AUDITTRAIL_PARTIJ`).
//!
//! Every act writes one audit row per state it reached (created, changed, signed,
//! activated, a replaced version withdrawn, left, asked to withdraw, withdrawn), the new
//! state as the API shows it (`Weergave`), so the trail reads like the answers did.

use super::{ConvenantFout, ConvenantGegevens, ConvenantStatus, Intrekking, Volledig};
use crate::Context;
use crate::logboek::{self, AuditRegel, AuditRij, LogSleutel, Object};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actor, Fout, IfMatch, Rol};
use ketenregie_store::DbConnection;
use ketenregie_store::venster::{Pagina, Venster};
use uuid::Uuid;

/// How an agreement version appears in the old and new values of its audit rows: the
/// API's representation at moment `nu` (`ConvenantDto`), so the trail shows what a party
/// read.
pub type Weergave = fn(&Volledig, DateTime<Utc>) -> serde_json::Value;

/// `ONDERTEKENAARS` (a refusal of `super::ondertekenaar`).
pub const ONDERTEKENAARS: &str = "ONDERTEKENAARS";
/// The audit trail of an agreement is for a party's functional admin or privacy officer.
pub const AUDITTRAIL_PARTIJ: &str = "AUDITTRAIL_PARTIJ";
/// `UITTREDEN` (a refusal of an act by a party that left the series, `super`).
pub const UITTREDEN: &str = "UITTREDEN";

/// The agreement's errors as the domain error: a signatory refusal names
/// `ONDERTEKENAARS`, an act by a party that left the series `UITTREDEN` (both 403 and
/// audited); a state or hash mismatch is a conflict; a party not in the directory or one
/// that left is invalid input.
impl From<ConvenantFout> for Fout {
    fn from(e: ConvenantFout) -> Self {
        match e {
            ConvenantFout::NietGevonden => {
                Fout::NietGevonden("Er is geen convenant met dit id".into())
            }
            ConvenantFout::GeenToegang(d) => Fout::geen_toegang(ONDERTEKENAARS, d),
            ConvenantFout::Uitgetreden(d) => Fout::geweigerd(UITTREDEN, d),
            ConvenantFout::Toestand(d) => Fout::conflict(d),
            // The hash sent is not repeated (a problem never echoes a value sent); the
            // current one is the agreement's own, readable by every party anyway.
            ConvenantFout::HashVerschil { huidig, .. } => Fout::conflict(format!(
                "De inhoud van dit convenant is veranderd sinds u die las, of de meegestuurde `inhoudHash` is niet die van dit convenant: de huidige is `{huidig}`. Lees het convenant opnieuw en onderteken de huidige inhoud."
            )),
            ConvenantFout::Ongeldig(fouten) => Fout::Ongeldig(fouten),
            ConvenantFout::Db(e) => e.into(),
        }
    }
}

/// The audit object of a new agreement (the creator's organisation's trail).
pub fn object_nieuw(ctx: &Context) -> Object {
    Object {
        soort: "convenanten",
        id: "nieuw".into(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// The audit object of an act on version `id`: in its owner's trail, or for an unknown id
/// in the caller's own. Read before the act, so a refused act is recorded there.
pub fn object(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Object, Fout> {
    let eigenaar = super::lees(conn, id)?
        .map(|c| c.eigenaar)
        .unwrap_or_else(|| ctx.actor.organisatie.clone());
    Ok(Object {
        soort: "convenanten",
        id: id.to_string(),
        eigenaar,
    })
}

/// May `actor` read agreement version `v`? Every organisation named as a party (also one
/// that left), and the platform admin.
pub fn mag_lezen(actor: &Actor, v: &Volledig) -> bool {
    v.convenant.inhoud.noemt_partij(&actor.organisatie) || actor.heeft_rol(Rol::Platformbeheerder)
}

/// Run act `f` on version `id`; an unknown id and an agreement the caller is no party to
/// (`NietGevonden` from the act) are both answered as `Verborgen` with the same detail,
/// the refusal recorded in the owner's trail (unknown: the caller's).
fn zichtbaar<T>(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    f: impl FnOnce(&mut DbConnection) -> Result<T, Fout>,
) -> Result<T, Fout> {
    match f(conn) {
        Err(Fout::NietGevonden(_)) => {
            let o = object(conn, ctx, id)?;
            Err(Fout::Verborgen {
                detail: "Er is geen convenant met dit id".into(),
                eigenaar: o.eigenaar,
                reden: format!(
                    "organisatie `{}` is geen partij bij dit convenant, of het bestaat niet",
                    ctx.actor.organisatie
                ),
            })
        }
        other => other,
    }
}

/// One row in the audit trail of `v`'s version, its new (and old) state as `toon` shows
/// it.
fn schrijf(
    conn: &mut DbConnection,
    ctx: &Context,
    toon: Weergave,
    actie: &str,
    v: &Volledig,
    oud: Option<&Volledig>,
    status: u16,
) -> Result<(), Fout> {
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: actie.into(),
            object: Object {
                soort: "convenanten",
                id: v.convenant.id.to_string(),
                eigenaar: v.convenant.eigenaar.clone(),
            },
            resultaat: status,
            doorbraak: false,
            grondslag: None,
            oud: oud.map(|o| toon(o, ctx.nu)),
            nieuw: Some(toon(v, ctx.nu)),
        },
    )?;
    Ok(())
}

/// `GET /convenanten`: every version of every agreement that names the caller's
/// organisation as a party (also those it left), newest first, and the total.
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    venster: &ketenregie_store::venster::Venster<String>,
) -> Result<ketenregie_store::venster::Pagina<Volledig, String>, Fout> {
    Ok(super::van_partij(conn, &ctx.actor.organisatie, venster)?)
}

/// `POST /convenanten`: a new agreement as a concept (version 1), by a signatory of one of
/// its parties (`super::maak`).
pub fn maak(
    conn: &mut DbConnection,
    ctx: &Context,
    g: ConvenantGegevens,
    toon: Weergave,
) -> Result<Volledig, Fout> {
    let v = super::maak(conn, &ctx.actor, g, ctx.nu)?;
    schrijf(conn, ctx, toon, "aanmaken", &v, None, 201)?;
    Ok(v)
}

/// `GET /convenanten/{id}`: the version with its signatures, for a party or the platform
/// admin (`mag_lezen`); to anyone else `Verborgen`.
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Volledig, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        match super::lees_volledig(conn, id)? {
            Some(v) if mag_lezen(&ctx.actor, &v) => Ok(v),
            _ => Err(ConvenantFout::NietGevonden.into()),
        }
    })
}

/// `PUT /convenanten/{id}`: change a concept in place (`super::wijzig_concept`) when
/// `voorwaarde` (`If-Match`) names its current revision; every signature on it lapses.
pub fn wijzig(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    g: ConvenantGegevens,
    voorwaarde: &IfMatch,
    toon: Weergave,
) -> Result<Volledig, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        // The version must be readable first: a precondition says nothing to a non-party.
        super::lees_volledig(conn, id)?
            .filter(|v| mag_lezen(&ctx.actor, v))
            .ok_or(ConvenantFout::NietGevonden)?;
        super::volgende_revisie(conn, id, voorwaarde)?;
        let (oud, nieuw) = super::wijzig_concept(conn, &ctx.actor, id, g, ctx.nu)?;
        schrijf(conn, ctx, toon, "wijzigen", &nieuw, Some(&oud), 200)?;
        Ok(nieuw)
    })
}

/// `POST /convenanten/{id}/versies`: a new concept version in the series of `id`
/// (`super::nieuwe_versie`).
pub fn nieuwe_versie(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    g: ConvenantGegevens,
    toon: Weergave,
) -> Result<Volledig, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        let v = super::nieuwe_versie(conn, &ctx.actor, id, g, ctx.nu)?;
        schrijf(conn, ctx, toon, "versie-aanmaken", &v, None, 201)?;
        Ok(v)
    })
}

/// `POST /convenanten/{id}/ondertekeningen`: sign the concept's content `hash` for the
/// caller's organisation (`super::onderteken`); recorded as signed, the replaced version
/// as withdrawn, and the version as activated when this was the last signature. With
/// `voorwaarde` (`If-Match`) only on the revision it names: otherwise `VoorwaardeMislukt`
/// (412) and, the act being in the same transaction, nothing changed. Checked after the
/// act's own checks, so a non-party learns nothing from a precondition (as `wijzig`).
pub fn onderteken(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    hash: &str,
    voorwaarde: &IfMatch,
    toon: Weergave,
) -> Result<Volledig, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        let mut uit = super::onderteken(conn, &ctx.actor, id, hash, ctx.nu)?;
        uit.convenant.convenant.revisie = super::volgende_revisie(conn, id, voorwaarde)?;
        schrijf(conn, ctx, toon, "ondertekenen", &uit.convenant, None, 200)?;
        if let Some(oud) = &uit.vervangen {
            super::volgende_revisie(conn, oud.id, &IfMatch::Geen)?;
            let oud = super::lees_volledig(conn, oud.id)?
                .ok_or_else(|| Fout::intern("replaced version vanished"))?;
            schrijf(conn, ctx, toon, "intrekken", &oud, None, 200)?;
        }
        if uit.geactiveerd {
            schrijf(conn, ctx, toon, "activeren", &uit.convenant, None, 200)?;
        }
        Ok(uit.convenant)
    })
}

/// `POST /convenanten/{id}/uittredingen`: the caller's organisation leaves the active
/// version (`super::treed_uit`); recorded as left, and as withdrawn when that withdrew it.
/// `voorwaarde` as for `onderteken`.
pub fn treed_uit(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    reden: &str,
    voorwaarde: &IfMatch,
    toon: Weergave,
) -> Result<Volledig, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        let mut v = super::treed_uit(conn, &ctx.actor, id, reden, ctx.nu)?;
        v.convenant.revisie = super::volgende_revisie(conn, id, voorwaarde)?;
        schrijf(conn, ctx, toon, "uittreden", &v, None, 200)?;
        if v.convenant.status(ctx.nu) == ConvenantStatus::Ingetrokken {
            schrijf(conn, ctx, toon, "intrekken", &v, None, 200)?;
        }
        Ok(v)
    })
}

/// `POST /convenanten/{id}/intrekkingen`: withdraw, discard, or ask to withdraw
/// (`super::trek_in`); recorded as what it did (a party's last request both as the request
/// and as the withdrawal). `voorwaarde` as for `onderteken`.
pub fn trek_in(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    reden: &str,
    voorwaarde: &IfMatch,
    toon: Weergave,
) -> Result<Volledig, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        let (mut v, soort) = super::trek_in(conn, &ctx.actor, id, reden, ctx.nu)?;
        v.convenant.revisie = super::volgende_revisie(conn, id, voorwaarde)?;
        let platform = ctx.actor.heeft_rol(Rol::Platformbeheerder);
        match soort {
            Intrekking::Verworpen => schrijf(conn, ctx, toon, "verwerpen", &v, None, 200)?,
            Intrekking::Verzocht => schrijf(conn, ctx, toon, "intrekkingsverzoek", &v, None, 200)?,
            Intrekking::Ingetrokken if platform => {
                schrijf(conn, ctx, toon, "intrekken", &v, None, 200)?
            }
            Intrekking::Ingetrokken => {
                schrijf(conn, ctx, toon, "intrekkingsverzoek", &v, None, 200)?;
                schrijf(conn, ctx, toon, "intrekken", &v, None, 200)?;
            }
        }
        Ok(v)
    })
}

/// `GET /convenanten/{id}/audittrail`: a page of the version's audit trail, oldest first
/// (keyset window `venster`), and the bounded count, for the functional admin or privacy officer of a party
/// (`AUDITTRAIL_PARTIJ`); to a non-party `Verborgen`.
pub fn audittrail(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    venster: &Venster<LogSleutel>,
) -> Result<Pagina<AuditRij, LogSleutel>, Fout> {
    zichtbaar(conn, ctx, id, |conn| {
        let c = super::lees(conn, id)?
            .filter(|c| c.inhoud.noemt_partij(&ctx.actor.organisatie))
            .ok_or(ConvenantFout::NietGevonden)?;
        let a = &ctx.actor;
        if !(a.heeft_rol(Rol::FunctioneelBeheerder) || a.heeft_rol(Rol::Privacyfunctionaris)) {
            return Err(Fout::geen_toegang(
                AUDITTRAIL_PARTIJ,
                format!(
                    "De audittrail van convenant {} is alleen leesbaar voor de functioneel beheerder of privacyfunctionaris van een partij",
                    c.id
                ),
            ));
        }
        Ok(logboek::audittrail_van(
            conn,
            &ctx.versleuteling,
            "convenanten",
            &id.to_string(),
            venster,
        )?)
    })
}
