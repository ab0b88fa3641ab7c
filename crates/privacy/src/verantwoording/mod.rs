//! Accountability to the privacy officer and the data subject: the organisation's
//! processing log searched, its break-glass reads reviewed, and the inzage report on one
//! person (`/verwerkingen`, `/personen/{id}/inzage`); the person's own statements are in
//! `verklaringen`.
//!
//! - `PRIVACYFUNCTIONARIS_VERANTWOORDT`: the log search, the break-glass review and the
//!   inzage report are for the organisation's privacy officer (FG) only; a refusal is
//!   recorded by the API's transaction helper.
//! - `INZAGE_EIGEN_ORGANISATIE` (`rapport_van`; the report itself is `crate::inzage`):
//!   only for a person the organisation holds or received data on; any other id is
//!   answered as unknown (`EEN_ORGANISATIE_ZICHT`), recorded in the trail of the record's
//!   owner or the caller's own.
//! - The report shows the organisation's own data only: it passes the decision for purpose
//!   `inzage` on the caller's own records and is logged as a read of the person.

pub mod verklaringen;

use crate::inzage::{self, Inzage, InzageBron, InzageRapport};
use crate::logboek::{self, AuditRij, Object, VerwerkingRij, VerwerkingZoek};
use crate::{Aanvraag, Context, besluit, zicht};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actie, Actor, Doel, Fout, Gegevenscategorie, Rol, Vertrouwelijkheid};
use ketenregie_store::{DbConnection, directory};
use std::sync::Arc;
use uuid::Uuid;

/// The rule's name.
pub const PRIVACYFUNCTIONARIS_VERANTWOORDT: &str = "PRIVACYFUNCTIONARIS_VERANTWOORDT";

/// The kind of record, as named in a 404.
pub const PERSOON: &str = "persoon";

/// The inzage sources of all domain crates, wired by the application builder.
#[derive(Clone, Default)]
pub struct InzageBronnen(pub Vec<Arc<dyn InzageBron>>);

/// `PRIVACYFUNCTIONARIS_VERANTWOORDT`.
fn privacyfunctionaris(actor: &Actor) -> Result<(), Fout> {
    if actor.heeft_rol(Rol::Privacyfunctionaris) {
        Ok(())
    } else {
        Err(Fout::geen_toegang(
            PRIVACYFUNCTIONARIS_VERANTWOORDT,
            "Alleen de privacyfunctionaris (FG) van de organisatie mag dit",
        ))
    }
}

/// The audit object of a read of the organisation's logs (`id`: `_zoek`, `doorbraken`).
pub fn object(ctx: &Context, id: &str) -> Object {
    Object {
        soort: "verwerkingen",
        id: id.into(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// The audit object of an act on the statements or inzage of `persoon`, in the caller's
/// organisation's trail.
pub fn persoon_object(ctx: &Context, persoon: Uuid) -> Object {
    Object {
        soort: "personen",
        id: persoon.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// A search of the own organisation's processing log; `betrokkene` is a person id,
/// pseudonymised before searching.
#[derive(Debug, Clone, Default)]
pub struct Zoekvraag {
    pub betrokkene: Option<Uuid>,
    /// From this moment (inclusive).
    pub van: Option<DateTime<Utc>>,
    /// Until this moment (exclusive).
    pub tot: Option<DateTime<Utc>>,
    pub doel: Option<Doel>,
    pub convenant: Option<Uuid>,
}

/// `POST /verwerkingen/_zoek`: a page of the own organisation's processing log, newest
/// first, and the total (`PRIVACYFUNCTIONARIS_VERANTWOORDT`).
pub fn zoek_verwerkingen(
    conn: &mut DbConnection,
    ctx: &Context,
    z: Zoekvraag,
    offset: i64,
    limit: i64,
) -> Result<(Vec<VerwerkingRij>, i64), Fout> {
    privacyfunctionaris(&ctx.actor)?;
    let z = VerwerkingZoek {
        organisatie: ctx.actor.organisatie.clone(),
        betrokkene: z.betrokkene.map(|id| ctx.pseudoniemen.van(id)),
        van: z.van,
        tot: z.tot,
        doel: z.doel,
        convenant: z.convenant,
    };
    Ok(logboek::zoek_verwerkingen(conn, &z, offset, limit)?)
}

/// `GET /verwerkingen/doorbraken`: a page of break-glass reads by or on data of the own
/// organisation, newest first, and the total (`PRIVACYFUNCTIONARIS_VERANTWOORDT`).
pub fn doorbraken(
    conn: &mut DbConnection,
    ctx: &Context,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AuditRij>, i64), Fout> {
    privacyfunctionaris(&ctx.actor)?;
    Ok(logboek::doorbraken(
        conn,
        &ctx.versleuteling,
        &ctx.actor.organisatie,
        offset,
        limit,
    )?)
}

/// `INZAGE_EIGEN_ORGANISATIE`: the report of the caller's organisation on `persoon`, or
/// the answer of an unknown id (a person it neither holds nor received data on is
/// `zicht::verborgen`: same answer, and a refusal in the trail of the record's owner or
/// its own).
pub fn rapport_van(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
) -> Result<InzageRapport, Fout> {
    let soort = directory::kern_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.2);
    match inzage::stel_op(conn, ctx, soort, persoon, &bronnen.0)? {
        Inzage::Rapport(r) => Ok(*r),
        Inzage::Onbekend => Err(zicht::onbekend(PERSOON)),
        Inzage::BuitenZicht => Err(zicht::verborgen(
            PERSOON,
            &ctx.actor.organisatie,
            "een persoon waarover de organisatie niets vastlegde of ontving",
        )),
        Inzage::AnderRecord(eigenaar) => Err(zicht::verborgen(
            PERSOON,
            &eigenaar,
            "een persoonsrecord van een andere organisatie, waarvan de organisatie niets ontving",
        )),
    }
}

/// The inzage report and whether it was read by break-glass (the answer must say so).
#[derive(Debug, Clone)]
pub struct InzageUitkomst {
    pub rapport: InzageRapport,
    pub doorbraak: bool,
}

/// `GET /personen/{id}/inzage`: the report of the caller's organisation on `persoon`
/// (`PRIVACYFUNCTIONARIS_VERANTWOORDT`, `INZAGE_EIGEN_ORGANISATIE`), decided for purpose
/// `inzage` on the organisation's own data and logged as a read of the person.
pub fn inzage(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
) -> Result<InzageUitkomst, Fout> {
    privacyfunctionaris(&ctx.actor)?;
    let rapport = rapport_van(conn, ctx, bronnen, persoon)?;
    // The report shows the organisation's own data only (EIGEN_ORGANISATIE).
    let t = besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie: Actie::Lezen,
            doel: Doel::Inzage,
            categorieen: vec![],
            optioneel: vec![Gegevenscategorie::Identificatie],
            eigenaren: vec![ctx.actor.organisatie.clone()],
            vertrouwelijkheid: Vertrouwelijkheid::Openbaar,
        },
    )?;
    logboek::lezing(conn, ctx, &t, persoon_object(ctx, persoon), &[persoon])?;
    Ok(InzageUitkomst {
        rapport,
        doorbraak: t.is_doorbraak(),
    })
}
