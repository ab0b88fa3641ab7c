//! The asked organisation's involvement signals on the identity and the coordination
//! matches they made (DOMAIN.md §3 flow 6, the Verwijsindex rule): a match tells the
//! organisation which other organisation is involved too, and nothing more; the report
//! names that organisation, never its contact.

use super::Vraag;
use diesel::prelude::*;
use ketenregie_common::time::from_db;
use ketenregie_privacy::inzage::{InzageOnderdeel, herkomst};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{betrokkenheden, matches};
use serde_json::json;

type SignaalRij = (
    String,
    String,
    Option<String>,
    Option<String>,
    chrono::NaiveDate,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
    chrono::NaiveDateTime,
);

type MatchRij = (
    String,
    String,
    String,
    String,
    String,
    String,
    chrono::NaiveDateTime,
);

pub(super) fn verzamel(conn: &mut DbConnection, q: &Vraag) -> QueryResult<Vec<InzageOnderdeel>> {
    let signalen: Vec<SignaalRij> = betrokkenheden::table
        .filter(betrokkenheden::betrokkene.eq(&q.identiteit))
        .filter(betrokkenheden::organisatie.eq(q.org))
        .order(betrokkenheden::aangemaakt_op)
        .select((
            betrokkenheden::id,
            betrokkenheden::contact_naam,
            betrokkenheden::contact_telefoon,
            betrokkenheden::contact_email,
            betrokkenheden::sinds,
            betrokkenheden::vervalt_op,
            betrokkenheden::beeindigd_op,
            betrokkenheden::aangemaakt_op,
        ))
        .load(conn)?;
    let mut uit = Vec::new();
    let ids: Vec<String> = signalen.iter().map(|s| s.0.clone()).collect();
    for (id, naam, telefoon, email, sinds, vervalt_op, beeindigd_op, op) in signalen {
        uit.push(q.onderdeel(
            "betrokkenheid",
            id,
            from_db(op),
            json!({
                "contact": {
                    "naam": q.v.lees_kolom(&naam)?,
                    "telefoon": q.v.lees_kolom_optie(telefoon.as_deref())?,
                    "email": q.v.lees_kolom_optie(email.as_deref())?,
                },
                "sinds": sinds,
                "vervaltOp": vervalt_op,
                "beeindigdOp": beeindigd_op,
            }),
            vec![],
        ));
    }
    let rijen: Vec<MatchRij> = matches::table
        .filter(
            matches::betrokkenheid_a
                .eq_any(&ids)
                .or(matches::betrokkenheid_b.eq_any(&ids)),
        )
        .order(matches::aangemaakt_op)
        .select((
            matches::id,
            matches::betrokkenheid_a,
            matches::organisatie_a,
            matches::betrokkenheid_b,
            matches::organisatie_b,
            matches::reden,
            matches::aangemaakt_op,
        ))
        .load(conn)?;
    for (id, a, org_a, _b, org_b, reden, op) in rijen {
        let ander = if ids.contains(&a) { org_b } else { org_a };
        uit.push(q.onderdeel(
            "match",
            id,
            from_db(op),
            json!({
                "organisatie": herkomst::organisatie(conn, &ander)?,
                "reden": reden,
            }),
            vec![],
        ));
    }
    Ok(uit)
}
