//! Who is a party of a zorgmelding, and the answer to everyone else.
//!
//! `EEN_ORGANISATIE_ZICHT` (issue 11 point 3; AVG art. 5(1)(f), Wpg art. 4a:
//! confidentiality includes not revealing that a record exists): a melding is seen only by
//! its sender, its receiver and, for a hand-over task, the organisation that handed over.
//! To anyone else an existing melding is answered exactly as an unknown id
//! (`Fout::Verborgen`, the refusal recorded in the sender's audit trail).

use crate::levenscyclus::{Ontvangersoort, Partij};
use crate::opslag::{self, Kop};
use ketenregie_common::{Actor, Doel, Fout, OrganisatieSoort};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::Object;
use ketenregie_store::{DbConnection, directory};
use uuid::Uuid;

/// The kind of record, as named in a 404.
pub const ZORGMELDING: &str = "zorgmelding";

/// The one `detail` of a 404 for a melding, for an unknown id and for one outside the
/// caller's view alike (the same words as every other record's 404).
pub fn niet_gevonden_tekst() -> String {
    format!("Er is geen {ZORGMELDING} met dit id die uw organisatie kan zien")
}

/// A melding the caller's organisation has no part in: answered as unknown, recorded as a
/// refusal (`reden`) in the sender's audit trail.
pub fn verborgen(k: &Kop, reden: impl Into<String>) -> Fout {
    Fout::Verborgen {
        detail: niet_gevonden_tekst(),
        eigenaar: k.afzender.clone(),
        reden: reden.into(),
    }
}

/// The melding `id`; an unknown id is a 404 naming no id.
pub fn laad(conn: &mut DbConnection, id: Uuid) -> Result<Kop, Fout> {
    opslag::kop(conn, id)?.ok_or_else(|| Fout::NietGevonden(niet_gevonden_tekst()))
}

/// The audit object of melding `k` (owned by its sender).
pub fn object(k: &Kop) -> Object {
    Object {
        soort: "zorgmeldingen",
        id: k.id.to_string(),
        eigenaar: k.afzender.clone(),
    }
}

/// The audit object a refusal of a request on `id` ("*" for a new melding) is recorded
/// on, in the caller's own trail (a hidden melding's refusal goes to its sender's).
pub fn verzoekobject(id: Option<Uuid>, actor: &Actor) -> Object {
    Object {
        soort: "zorgmeldingen",
        id: id.map_or_else(|| "*".into(), |i| i.to_string()),
        eigenaar: actor.organisatie.clone(),
    }
}

/// The organisation that handed melding `k` over (the receiver of the melding it came
/// from), for a hand-over task.
pub fn overdrager(conn: &mut DbConnection, k: &Kop) -> diesel::QueryResult<Option<String>> {
    match k.bovenliggend_id {
        Some(ouder) => Ok(opslag::kop(conn, ouder)?.and_then(|o| o.ontvanger)),
        None => Ok(None),
    }
}

/// The task's own sender (`Partij::Afzender`): the organisation that handed a hand-over
/// task over, else the melding's sender. It may cancel the task
/// (`levenscyclus::ALLEEN_AFZENDER_ANNULEERT`), hears of the receiver's steps
/// (`overgang::STATUS_AAN_TAAKAFZENDER`) and is owed the feedback.
pub fn taakafzender(conn: &mut DbConnection, k: &Kop) -> Result<String, Fout> {
    Ok(overdrager(conn, k)?.unwrap_or_else(|| k.afzender.clone()))
}

/// The kind of task `k`'s receiver as far as the steps of `partij` are concerned
/// (`levenscyclus::VEILIG_THUIS_NEEMT_ELKE_MELDING` limits the receiver's own steps
/// only): a Veilig Thuis, or another organisation (also for the other parties, and when
/// not sent or not in the register). From the instance's cache of the register at the
/// request's stamp (`Stamgegevens::stand_met`), as `toegang::mag_indienen`: no round trip
/// on a step's path.
pub fn ontvangersoort(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    partij: Partij,
) -> Result<Ontvangersoort, Fout> {
    let soort = match (partij, k.ontvanger.as_deref()) {
        (Partij::Ontvanger, Some(code)) => ctx
            .stamgegevens
            .stand_met(conn, ctx.stempel)?
            .kern(conn, code)?
            .map(|o| o.2),
        _ => None,
    };
    Ok(Ontvangersoort::van(soort))
}

/// `organisatie`'s part in the handling of melding (or hand-over task) `k`, as the
/// transition table knows it: the task's own sender (`taakafzender`), its receiver (once
/// sent), the melding's original sender on a hand-over task (`Partij::Melder`: it sees the
/// task, takes no step on it), or none. The one answer for the API and the werkplek alike.
pub fn taakpartij(
    conn: &mut DbConnection,
    organisatie: &str,
    k: &Kop,
) -> Result<Option<Partij>, Fout> {
    match overdrager(conn, k)? {
        Some(o) if o == organisatie => return Ok(Some(Partij::Afzender)),
        Some(_) if k.afzender == organisatie => return Ok(Some(Partij::Melder)),
        None if k.afzender == organisatie => return Ok(Some(Partij::Afzender)),
        _ => {}
    }
    if k.ontvanger.as_deref() == Some(organisatie) && k.taakstatus.is_some() {
        return Ok(Some(Partij::Ontvanger));
    }
    Ok(None)
}

/// Is `organisatie` a party of melding (or hand-over task) `k` at all: its sender, its
/// receiver, or the organisation that handed it over?
pub fn betrokken(conn: &mut DbConnection, organisatie: &str, k: &Kop) -> Result<bool, Fout> {
    if k.afzender == organisatie || k.ontvanger.as_deref() == Some(organisatie) {
        return Ok(true);
    }
    Ok(overdrager(conn, k)?.as_deref() == Some(organisatie))
}

/// `betrokken`, or the answer for a melding outside the caller's view.
pub fn in_zicht(conn: &mut DbConnection, organisatie: &str, k: &Kop) -> Result<(), Fout> {
    if betrokken(conn, organisatie, k)? {
        Ok(())
    } else {
        Err(verborgen(
            k,
            format!("organisatie `{organisatie}` is geen partij bij deze zorgmelding"),
        ))
    }
}

/// The caller's relation to a melding, and the purpose its processing serves: the sender
/// (and whoever handed a task over) files for `zorgmelding` or `veiligheidsbeoordeling`;
/// the receiver of a sent melding processes it for `veiligheidsbeoordeling` (Veilig Thuis)
/// or `coordinatie` (anyone it was handed to). Anyone else: `Fout::Verborgen`.
pub fn relatie(conn: &mut DbConnection, actor: &Actor, k: &Kop) -> Result<(Partij, Doel), Fout> {
    relatie_met(conn, actor, k, |c| {
        Ok(directory::organisatie_op_code(c, &actor.organisatie)?.map(|o| o.soort))
    })
}

/// `relatie`, with the actor's organisation kind from `soort` (asked only for a receiver:
/// the decision's cached registry gives it without a look-up, `toegang::beslis`).
pub fn relatie_met(
    conn: &mut DbConnection,
    actor: &Actor,
    k: &Kop,
    soort: impl FnOnce(&mut DbConnection) -> Result<Option<OrganisatieSoort>, Fout>,
) -> Result<(Partij, Doel), Fout> {
    match taakpartij(conn, &actor.organisatie, k)? {
        Some(Partij::Melder) => return Ok((Partij::Melder, Doel::Zorgmelding)),
        Some(Partij::Afzender) if actor.organisatie == k.afzender => {
            return Ok((Partij::Afzender, Doel::Zorgmelding));
        }
        Some(Partij::Afzender) => return Ok((Partij::Afzender, Doel::Veiligheidsbeoordeling)),
        Some(Partij::Ontvanger) => {
            let doel = if soort(conn)? == Some(OrganisatieSoort::VeiligThuis) {
                Doel::Veiligheidsbeoordeling
            } else {
                Doel::Coordinatie
            };
            return Ok((Partij::Ontvanger, doel));
        }
        None => {}
    }
    Err(verborgen(
        k,
        format!(
            "organisatie `{}` is geen afzender of ontvanger van deze zorgmelding",
            actor.organisatie
        ),
    ))
}
