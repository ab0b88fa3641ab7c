//! Accountability to the privacy officer and the data subject: the organisation's log
//! searched (its processing and the refused attempts, by person, period, purpose,
//! agreement and outcome: `zoek_verwerkingen`), the disclosures of its records to other
//! organisations (`verstrekkingen`, `verstrekking`), its break-glass reads reviewed
//! (`doorbraken`), and the inzage report on one person (`/verwerkingen`,
//! `/personen/{id}/inzage`); the person's own statements are in `verklaringen`. Plain
//! functions with typed filters, so the API and the werkplek call the same.
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

use crate::inzage::{self, Inzage, InzageBron, InzageRapport, Lezing};
use crate::logboek::{self, AuditRij, LogSleutel, Logregel, Object, Uitkomst, VerwerkingZoek};
use crate::verstrekking::{self, Verstrekking, Verstrekkingvraag};
use crate::{Aanvraag, Context, besluit, betrokkene, zicht};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actie, Actor, Bsn, Doel, Fout, Gegevenscategorie, Rol, Vertrouwelijkheid};
use ketenregie_store::venster::{Pagina, Venster};
use ketenregie_store::{DbConnection, directory};
use std::sync::Arc;
use uuid::Uuid;

/// The rule's name.
pub const PRIVACYFUNCTIONARIS_VERANTWOORDT: &str = "PRIVACYFUNCTIONARIS_VERANTWOORDT";

/// `PRIVACYKANAAL_ALLEEN_FG` (the outside test of 2 Dec 2026: a Veilig Thuis triagist
/// listed `privacy.gegevens-verstrekt` in `GET /berichten`): the notices of the `privacy`
/// channel (`privacy.gegevens-verstrekt`, the disclosures of the organisation's records;
/// `privacy.quotum-overschreden`, a user over the daily quota) are for the privacy officer
/// only, as the views they point to are (`PRIVACYFUNCTIONARIS_VERANTWOORDT`): listed in
/// `GET /berichten` only for the role `privacyfunctionaris` (to anyone else they do not
/// exist: a `soort=` filter naming one gives an empty page), a webhook subscription on
/// the channel made only by a functional admin who is the privacy officer too (it sends
/// them elsewhere), and mailed only to the `privacy` contact point, never to a general
/// desk in its place.
pub const PRIVACYKANAAL_ALLEEN_FG: &str = "PRIVACYKANAAL_ALLEEN_FG";

/// The channel of `PRIVACYKANAAL_ALLEEN_FG` (the part of an event type before its first
/// dot, `outbox::kanaal_van`).
pub use ketenregie_store::outbox::PRIVACYKANAAL;

/// `PRIVACYKANAAL_ALLEEN_FG`: may `actor` see the notices of the privacy channel?
pub fn ziet_privacykanaal(actor: &Actor) -> bool {
    actor.heeft_rol(Rol::Privacyfunctionaris)
}

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

/// The legal basis of the privacy officer's search of the own logs: the controller's
/// accountability (AVG art. 5 lid 2) and the data subject's right of access (art. 15).
const GRONDSLAG_VERANTWOORDING: &str =
    "AVG art. 5 lid 2 en art. 15 (verantwoording; inzage door betrokkene)";

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

/// Whom a search of the log is about.
#[derive(Debug, Clone)]
pub enum Persoonsvraag {
    /// A person id any route of the organisation returned: a person record (its own or
    /// another organisation's), or the identity.
    Id(Uuid),
    /// A BSN (in the body of the request, never in its URL: DOMAIN.md §4 "BSN").
    Bsn(Bsn),
}

/// A search of the own organisation's log (`zoek_verwerkingen`): each filter optional.
#[derive(Debug, Clone, Default)]
pub struct Zoekvraag {
    /// The person; the search finds every row about them, whichever id of them is given.
    pub persoon: Option<Persoonsvraag>,
    /// From this moment (inclusive).
    pub van: Option<DateTime<Utc>>,
    /// Until this moment (exclusive).
    pub tot: Option<DateTime<Utc>>,
    pub doel: Option<Doel>,
    pub convenant: Option<Uuid>,
    /// Allowed, refused, or by break-glass.
    pub uitkomst: Option<Uitkomst>,
}

/// `POST /verwerkingen/_zoek`: a page of the own organisation's log, newest first (keyset
/// window `venster`), and the bounded count (`PRIVACYFUNCTIONARIS_VERANTWOORDT`): its processing of personal data (the
/// processing log) and the refused attempts of other organisations on its records (its
/// audit trail). A person is found under the subject id every writer logs
/// (`betrokkene::van_persoon`, `betrokkene::van_bsn`), and under the id itself (rows
/// written before that rule); a refused attempt is about the person when it was on a
/// record their data was processed under (linked by trace) or on the person itself.
pub fn zoek_verwerkingen(
    conn: &mut DbConnection,
    ctx: &Context,
    z: Zoekvraag,
    venster: &Venster<LogSleutel>,
) -> Result<Pagina<Logregel, LogSleutel>, Fout> {
    privacyfunctionaris(&ctx.actor)?;
    let (ids, identiteit) = match &z.persoon {
        None => (vec![], None),
        // Another organisation's record the organisation may not know is answered exactly
        // as an unknown id (`inzage::record_in_zicht`, EEN_ORGANISATIE_ZICHT): not resolved
        // to the person it stands for.
        Some(Persoonsvraag::Id(id)) if !inzage::record_in_zicht(conn, ctx, *id)? => {
            (vec![*id], None)
        }
        Some(Persoonsvraag::Id(id)) => {
            let identiteit = betrokkene::van_persoon(conn, *id)?;
            let mut ids = vec![identiteit, *id];
            ids.dedup();
            (ids, Some(identiteit))
        }
        Some(Persoonsvraag::Bsn(bsn)) => {
            let identiteit = betrokkene::van_bsn(&ctx.versleuteling, bsn);
            (vec![identiteit], Some(identiteit))
        }
    };
    let mut eigen_objecten: Vec<(String, String)> = ids
        .iter()
        .map(|i| (PERSONEN.to_string(), i.to_string()))
        .collect();
    if let Some(i) = identiteit {
        eigen_objecten.extend(
            betrokkene::records_van(conn, i)?
                .into_iter()
                .map(|r| (PERSONEN.to_string(), r.to_string())),
        );
    }
    // The search itself is processing (by a BSN, of a person's number): in the
    // organisation's audit trail, with what was asked but not the person.
    logboek::audit(
        conn,
        ctx,
        &logboek::AuditRegel::nieuw("zoeken", object(ctx, "_zoek"), 200)
            .grondslag(GRONDSLAG_VERANTWOORDING)
            .waarden(
                None,
                Some(serde_json::json!({
                    "persoon": z.persoon.is_some(),
                    "van": z.van, "tot": z.tot,
                    "doel": z.doel.map(|d| d.to_string()),
                    "convenant": z.convenant,
                    "uitkomst": z.uitkomst.map(|u| u.to_string()),
                })),
            ),
    )?;
    let z = VerwerkingZoek {
        organisatie: ctx.actor.organisatie.clone(),
        betrokkenen: ids.iter().map(|id| ctx.pseudoniemen.van(*id)).collect(),
        eigen_objecten,
        van: z.van,
        tot: z.tot,
        doel: z.doel,
        convenant: z.convenant,
        uitkomst: z.uitkomst,
    };
    Ok(logboek::zoek_verwerkingen(
        conn,
        &ctx.versleuteling,
        &z,
        venster,
    )?)
}

/// The audit object kind of a person record.
const PERSONEN: &str = "personen";

/// `GET /verwerkingen/verstrekkingen`: a page of the disclosures of the own organisation's
/// records, newest first, and the bounded count: every read of them by another organisation, with
/// who (organisation and roles), when, for which purpose, under which agreement version
/// (`PRIVACYFUNCTIONARIS_VERANTWOORDT`: the owner's privacy officer only).
pub fn verstrekkingen(
    conn: &mut DbConnection,
    ctx: &Context,
    v: Verstrekkingvraag,
    venster: &ketenregie_store::venster::Venster<verstrekking::VerstrekkingSleutel>,
) -> Result<ketenregie_store::venster::Pagina<Verstrekking, verstrekking::VerstrekkingSleutel>, Fout>
{
    privacyfunctionaris(&ctx.actor)?;
    // A filter on an organisation that is not registered is a mistake, not "nobody of
    // that name read": a 422 naming `aan`, as a municipality filter that is no real code
    // (never the value sent: it may carry anything a caller typed).
    if let Some(aan) = &v.aan
        && ketenregie_store::directory::organisatie_op_code(conn, aan)?.is_none()
    {
        return Err(Fout::veld(
            "aan",
            ketenregie_common::regelcode::GEREGISTREERD,
            "`aan` noemt geen geregistreerde organisatie; zie /api/v1/organisaties".to_string(),
        ));
    }
    Ok(verstrekking::van_eigenaar(
        conn,
        &ctx.actor.organisatie,
        &v,
        venster,
    )?)
}

/// `GET /verwerkingen/verstrekkingen/{id}`: one disclosure of the own organisation's
/// records (`PRIVACYFUNCTIONARIS_VERANTWOORDT`); another organisation's is answered as
/// unknown (`EEN_ORGANISATIE_ZICHT`). The owner's notice (`EIGENAAR_INFORMEREN`) links
/// here.
pub fn verstrekking(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Verstrekking, Fout> {
    privacyfunctionaris(&ctx.actor)?;
    let v = verstrekking::een(conn, id)?.map(|v| {
        let e = v.eigenaar.clone();
        (v, e)
    });
    zicht::alleen_eigen(
        ctx,
        "verstrekking",
        v,
        "een verstrekking van gegevens van een andere organisatie",
    )
}

/// `GET /verwerkingen/doorbraken`: a page of break-glass reads by or on data of the own
/// organisation, newest first (keyset window `venster`), and the bounded count
/// (`PRIVACYFUNCTIONARIS_VERANTWOORDT`).
pub fn doorbraken(
    conn: &mut DbConnection,
    ctx: &Context,
    venster: &Venster<LogSleutel>,
) -> Result<Pagina<AuditRij, LogSleutel>, Fout> {
    privacyfunctionaris(&ctx.actor)?;
    Ok(logboek::doorbraken(
        conn,
        &ctx.versleuteling,
        &ctx.actor.organisatie,
        venster,
    )?)
}

/// `INZAGE_EIGEN_ORGANISATIE`: the report of the caller's organisation on `persoon` and
/// the reads of other organisations' records showing it is (`INZAGE_ZOALS_EIGEN_LEZING`:
/// the caller logs them when it hands the report out), or the answer of an unknown id (a
/// person it neither holds nor received data on is `zicht::verborgen`: same answer, and a
/// refusal in the trail of the record's owner or its own).
pub fn rapport_van(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
) -> Result<(InzageRapport, Vec<Lezing>), Fout> {
    let soort = directory::kern_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.2);
    match inzage::stel_op(conn, ctx, soort, persoon, &bronnen.0)? {
        Inzage::Rapport(r, lezingen) => Ok((*r, lezingen)),
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
/// `inzage` on the organisation's own data and logged as a read of the person; each
/// record of another organisation it shows is logged as the organisation's own read of it
/// would be (`INZAGE_ZOALS_EIGEN_LEZING`: audit row, processing-log rows, the disclosure in
/// the owner's register), in the same transaction.
pub fn inzage(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    persoon: Uuid,
) -> Result<InzageUitkomst, Fout> {
    privacyfunctionaris(&ctx.actor)?;
    let (rapport, lezingen) = rapport_van(conn, ctx, bronnen, persoon)?;
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
    // Logged under the person's subject id, as every writer logs it (`van_persoon`).
    let subject = betrokkene::van_persoon(conn, persoon)?;
    logboek::lezing(conn, ctx, &t, persoon_object(ctx, persoon), &[subject])?;
    let items: Vec<(&crate::Toestemming, Object, Vec<Uuid>)> = lezingen
        .iter()
        .map(|l| (&l.toestemming, l.object.clone(), l.betrokkenen.clone()))
        .collect();
    if !items.is_empty() {
        logboek::lezingen(conn, ctx, &items)?;
    }
    Ok(InzageUitkomst {
        rapport,
        doorbraak: t.is_doorbraak(),
    })
}
