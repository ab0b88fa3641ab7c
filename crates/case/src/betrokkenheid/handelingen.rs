//! The involvement and match use cases: each decides (`COORDINATIE_CONVENANT`,
//! `MATCH_BINNEN_CONVENANT`, one's own records, the view), writes, notifies through the
//! outbox and logs one processing-log row for the child.

use super::opslag::{
    MatchSleutel, actief_op, broers_en_zussen, match_partijen, match_van, matches_pagina, vind,
};
use super::{
    Betrokkenheid, BetrokkenheidInvoer, Contact, Coordinatie, Match, MatchReden,
    NieuweBetrokkenheid, vervalt_op,
};
use crate::toegang;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_common::{Fout, Gegevenscategorie, ids};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::Object;
use ketenregie_store::outbox::{self, Gebeurtenis};
use ketenregie_store::schema::{betrokkenheden, matches};
use ketenregie_store::venster::{Pagina, Venster};
use ketenregie_store::{DbConnection, directory};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// A match as shown to one of its two organisations.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MatchDto)]
#[serde(rename_all = "camelCase")]
pub struct MatchWeergave {
    pub id: Uuid,
    pub reden: MatchReden,
    /// Your organisation's signal.
    pub eigen_betrokkenheid: Uuid,
    pub andere_organisatie: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub andere_organisatie_naam: Option<String>,
    pub ander_contact: Contact,
    pub aangemaakt_op: DateTime<Utc>,
}

/// A registered signal with the matches it produced.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BetrokkenheidDto)]
#[serde(rename_all = "camelCase")]
pub struct BetrokkenheidWeergave {
    pub id: Uuid,
    pub organisatie: String,
    pub persoon: Uuid,
    pub contact: Contact,
    pub sinds: NaiveDate,
    /// VERWIJSINDEX_VERVALTERMIJN: the last day the signal is valid (inclusive), the day
    /// before the earlier of the same date 2 years after `sinds` (TERMIJN_IN_MAANDEN: from
    /// 29 February up to and including 28 February) and the child's 23rd birthday.
    pub vervalt_op: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beeindigd_op: Option<NaiveDate>,
    /// The matches this registration produced.
    pub matches: Vec<MatchWeergave>,
}

/// A match as shown, with the other organisation's name from the partner directory.
fn weergave(conn: &mut DbConnection, m: Match) -> QueryResult<MatchWeergave> {
    let naam = directory::kern_op_code(conn, &m.andere_organisatie)?.map(|o| o.1);
    Ok(weergave_met(m, naam))
}

/// `m` as answered, with the other organisation's name (`naam`) already read.
fn weergave_met(m: Match, naam: Option<String>) -> MatchWeergave {
    MatchWeergave {
        id: m.id,
        reden: m.reden,
        eigen_betrokkenheid: m.eigen_betrokkenheid,
        andere_organisatie: m.andere_organisatie,
        andere_organisatie_naam: naam,
        ander_contact: m.ander_contact,
        aangemaakt_op: m.aangemaakt_op,
    }
}

/// Kinds of record, as named in a 404.
pub const BETROKKENHEID: &str = "betrokkenheid";
pub const MATCH: &str = "match";

/// The audit object of signal `id` of `eigenaar`.
pub fn object(id: &str, eigenaar: &str) -> Object {
    Object {
        soort: "betrokkenheden",
        id: id.to_string(),
        eigenaar: eigenaar.to_string(),
    }
}

/// `POST /betrokkenheden`: register the caller's organisation's involvement with one of
/// its persons (`COORDINATIE_CONVENANT`), find and record the matches
/// (`ZELFDE_KIND`, `GEDEELDE_OUDER`, `MATCH_BINNEN_CONVENANT`) and notify both sides
/// through the outbox. Logged as a write of one's own record, one processing-log row for
/// the child.
///
/// Every problem is named at once: with the body's own (`BetrokkenheidInvoer::valideer`),
/// a `persoon` that is no person of the organisation (`reference`), looked up only where
/// `COORDINATIE_CONVENANT` lets the organisation look (`invoer::samen`).
pub fn registreer(
    conn: &mut DbConnection,
    ctx: &Context,
    invoer: &BetrokkenheidInvoer,
) -> Result<BetrokkenheidWeergave, Fout> {
    let n = match invoer.valideer(ctx.vandaag()) {
        Ok(n) => n,
        Err(Fout::Ongeldig(f)) => {
            let org = ctx.actor.organisatie.as_str();
            let mut naslag = Vec::new();
            if let Some(p) = invoer.persoon
                && Coordinatie::laad(conn, org, ctx.nu)?
                    .mag_registreren(&ctx.actor.rollen, ctx.toelichting.is_some())
                    .is_ok()
            {
                naslag = crate::invoer::problemen(crate::personen::eigen_personen(
                    conn,
                    org,
                    &[("persoon".into(), p)],
                ))?;
            }
            return crate::invoer::samen(Err(Fout::Ongeldig(f)), naslag);
        }
        Err(e) => return Err(e),
    };
    let (b, nieuw) = registreer_met_matches(conn, ctx, &n)?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[Gegevenscategorie::Hulpverlening],
        object(&b.id.to_string(), &b.organisatie),
        json!({"betrokkenheid": b.id, "sinds": b.sinds, "vervaltOp": b.vervalt_op, "matches": nieuw.len()}),
        &[b.betrokkene],
    )?;
    let matches = nieuw
        .into_iter()
        .map(|m| weergave(conn, m))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(BetrokkenheidWeergave {
        id: b.id,
        organisatie: b.organisatie,
        persoon: b.persoon,
        contact: b.contact,
        sinds: b.sinds,
        vervalt_op: b.vervalt_op,
        beeindigd_op: b.beeindigd_op,
        matches,
    })
}

/// `DELETE /betrokkenheden/{id}`: end a signal of the caller's organisation (no longer
/// involved, or no longer justified); it stops matching and showing at once. Another
/// organisation's signal is outside the caller's view: answered as an unknown id.
pub fn beeindig(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<(), Fout> {
    let organisatie = ctx.actor.organisatie.as_str();
    match vind(conn, &ctx.versleuteling, id)? {
        None => return Err(toegang::onbekend(BETROKKENHEID)),
        Some(b) if b.organisatie != organisatie => {
            return Err(toegang::verborgen(
                BETROKKENHEID,
                &b.organisatie,
                "beëindigen van de betrokkenheid van een andere organisatie",
            ));
        }
        Some(_) => {}
    }
    diesel::update(betrokkenheden::table.find(id.to_string()))
        .set(betrokkenheden::beeindigd_op.eq(ctx.vandaag()))
        .execute(conn)?;
    let b = vind(conn, &ctx.versleuteling, id)?.ok_or_else(|| toegang::onbekend(BETROKKENHEID))?;
    toegang::schrijf_eigen(
        conn,
        ctx,
        &[Gegevenscategorie::Hulpverlening],
        object(&b.id.to_string(), &b.organisatie),
        json!({"betrokkenheid": b.id, "beeindigdOp": b.beeindigd_op}),
        &[b.betrokkene],
    )?;
    Ok(())
}

/// `GET /matches`: one page of the matches of the caller's organisation, newest first,
/// while both sides share an agreement in force (`MATCH_BINNEN_CONVENANT`), by cursor
/// (`matches_pagina`: cost bounded by the page, not the history). A match carries no
/// content about the child; nothing is logged.
pub fn matches(
    conn: &mut DbConnection,
    ctx: &Context,
    venster: &Venster<MatchSleutel>,
) -> Result<Pagina<MatchWeergave, MatchSleutel>, Fout> {
    let p = matches_pagina(
        conn,
        &ctx.versleuteling,
        &ctx.actor.organisatie,
        ctx.nu,
        venster,
    )?;
    // Each other organisation's name once per page, not once per match.
    let mut namen: std::collections::BTreeMap<String, Option<String>> = Default::default();
    let mut rijen = Vec::with_capacity(p.rijen.len());
    for m in p.rijen {
        let naam = match namen.get(&m.andere_organisatie) {
            Some(n) => n.clone(),
            None => {
                let n = directory::kern_op_code(conn, &m.andere_organisatie)?.map(|o| o.1);
                namen.insert(m.andere_organisatie.clone(), n.clone());
                n
            }
        };
        rijen.push(weergave_met(m, naam));
    }
    Ok(Pagina {
        rijen,
        volgende: p.volgende,
        vorige: p.vorige,
        telling: p.telling,
    })
}

/// `GET /matches/{id}`: one match of the caller's organisation; a match of others, or
/// one no longer within a shared agreement, as an unknown id.
pub fn een_match(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<MatchWeergave, Fout> {
    let org = ctx.actor.organisatie.as_str();
    let (a, b) = match_partijen(conn, id)?.ok_or_else(|| toegang::onbekend(MATCH))?;
    match match_van(conn, &ctx.versleuteling, org, id, ctx.nu)? {
        Some(m) => Ok(weergave(conn, m)?),
        None => Err(toegang::verborgen(
            MATCH,
            if a == org { &b } else { &a },
            "een match buiten de eigen organisatie of buiten een gedeeld convenant",
        )),
    }
}

/// Register involvement of the caller's organisation with one of its persons; finds and
/// records the matches with other organisations and notifies both sides through the
/// outbox, all in the caller's transaction. Returns the signal and the new matches.
/// One active involvement per organisation and child is a rule relative to today (an
/// involvement lapses at `vervalt_op`), which no UNIQUE index can state; so the check
/// before the insert is serialised instead (task hfix3 point 1): on PostgreSQL a
/// transaction advisory lock on the pair (organisation, subject pseudonym; no personal
/// data), released at commit or rollback, so two simultaneous registrations for one child
/// by one organisation run one after the other and the second sees the first (409).
/// SQLite takes its one write lock when the transaction begins, which serialises already.
fn vergrendel_registratie(
    conn: &mut DbConnection,
    organisatie: &str,
    betrokkene: &str,
) -> Result<(), Fout> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("betrokkenheid:{organisatie}:{betrokkene}"))
            .execute(pg)?;
    }
    Ok(())
}

fn registreer_met_matches(
    conn: &mut DbConnection,
    ctx: &Context,
    n: &NieuweBetrokkenheid,
) -> Result<(Betrokkenheid, Vec<Match>), Fout> {
    let (v, organisatie, nu) = (&*ctx.versleuteling, ctx.actor.organisatie.as_str(), ctx.nu);
    // COORDINATIE_CONVENANT first: without it nothing about the person is looked at.
    let coordinatie = Coordinatie::laad(conn, organisatie, nu)?;
    coordinatie.mag_registreren(&ctx.actor.rollen, ctx.toelichting.is_some())?;
    let rij = crate::personen::eigen_personen(conn, organisatie, &[("persoon".into(), n.persoon)])?
        .remove(0);
    let persoon = rij.clone().ontsleutel(v)?;
    let vandaag = ketenregie_common::werkdagen::nl_datum(nu);
    let betrokkene = rij.betrokkene.clone();
    vergrendel_registratie(conn, organisatie, &betrokkene)?;
    if let Some(bestaand) = actief_op(conn, v, std::slice::from_ref(&betrokkene), vandaag)?
        .into_iter()
        .find(|b| b.organisatie == organisatie)
    {
        return Err(Fout::Conflict {
            detail: "Uw organisatie heeft al een actieve betrokkenheid bij dit kind".into(),
            huidig: None,
            toegestaan: vec![],
            locatie: Some(format!("/api/v1/betrokkenheden/{}", bestaand.id)),
        });
    }
    let b = Betrokkenheid {
        id: ids::new_id(),
        organisatie: organisatie.to_string(),
        persoon: n.persoon,
        betrokkene: persoon.betrokkene,
        contact: n.contact.clone(),
        sinds: n.sinds,
        vervalt_op: vervalt_op(n.sinds, persoon.gegevens.geboortedatum),
        beeindigd_op: None,
    };
    if b.vervalt_op < vandaag {
        return Err(Fout::veld(
            "sinds",
            "verwijsindex-vervaltermijn",
            format!(
                "een signaal vanaf {} was geldig tot en met {} en is vervallen (regel VERWIJSINDEX_VERVALTERMIJN)",
                b.sinds, b.vervalt_op
            ),
        ));
    }
    diesel::insert_into(betrokkenheden::table)
        .values((
            betrokkenheden::id.eq(b.id.to_string()),
            betrokkenheden::organisatie.eq(organisatie),
            betrokkenheden::persoon_id.eq(n.persoon.to_string()),
            betrokkenheden::betrokkene.eq(&betrokkene),
            betrokkenheden::contact_naam.eq(v.versleutel(&b.contact.naam)),
            betrokkenheden::contact_telefoon.eq(v.versleutel_optie(b.contact.telefoon.as_deref())),
            betrokkenheden::contact_email.eq(v.versleutel_optie(b.contact.email.as_deref())),
            betrokkenheden::sinds.eq(b.sinds),
            betrokkenheden::vervalt_op.eq(b.vervalt_op),
            betrokkenheden::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;

    let mut kandidaten: Vec<(Betrokkenheid, MatchReden)> =
        actief_op(conn, v, std::slice::from_ref(&betrokkene), vandaag)?
            .into_iter()
            .map(|x| (x, MatchReden::ZelfdeKind))
            .collect();
    let broers = broers_en_zussen(conn, &betrokkene)?;
    kandidaten.extend(
        actief_op(conn, v, &broers, vandaag)?
            .into_iter()
            .map(|x| (x, MatchReden::GedeeldeOuder)),
    );
    let mut nieuw = Vec::new();
    for (ander, reden) in kandidaten {
        if ander.organisatie == organisatie
            || nieuw
                .iter()
                .any(|m: &Match| m.andere_organisatie == ander.organisatie && m.reden == reden)
        {
            continue;
        }
        // MATCH_BINNEN_CONVENANT: outside a shared agreement neither side hears of it.
        let ander_soort = directory::kern_op_code(conn, &ander.organisatie)?.map(|o| o.2);
        if !coordinatie.gedeeld_met(Some(&ctx.actor.rollen), &ander.organisatie, ander_soort) {
            continue;
        }
        let mid = ids::new_id();
        diesel::insert_into(matches::table)
            .values((
                matches::id.eq(mid.to_string()),
                matches::betrokkenheid_a.eq(b.id.to_string()),
                matches::betrokkenheid_b.eq(ander.id.to_string()),
                matches::organisatie_a.eq(organisatie),
                matches::organisatie_b.eq(&ander.organisatie),
                matches::reden.eq(reden),
                matches::aangemaakt_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
        for org in [organisatie, ander.organisatie.as_str()] {
            outbox::enqueue(
                conn,
                &Gebeurtenis {
                    soort: super::MATCH_GEVONDEN.into(),
                    organisatie: org.to_string(),
                    onderwerp: mid.to_string(),
                    dataref: format!("/api/v1/matches/{mid}"),
                },
                nu,
            )?;
        }
        nieuw.push(Match {
            id: mid,
            reden,
            eigen_betrokkenheid: b.id,
            andere_organisatie: ander.organisatie.clone(),
            ander_contact: ander.contact.clone(),
            aangemaakt_op: nu,
        });
    }
    Ok((b, nieuw))
}
