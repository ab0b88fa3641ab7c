//! The involvement and match rows and their queries: the contact read back decrypted,
//! the kinds typed.

use super::{Betrokkenheid, Contact, Coordinatie, Match, MatchReden};
use crate::gezinnen::Relatie;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::from_db;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::directory;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::{betrokkenheden, gezinsleden, matches, personen};
use ketenregie_store::venster::{Pagina, TELLING_MAX, Telling, Venster};
use std::collections::HashMap;
use uuid::Uuid;

/// A stored signal.
#[derive(Queryable, Selectable)]
#[diesel(table_name = betrokkenheden)]
struct Rij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    organisatie: String,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    persoon_id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    betrokkene: Uuid,
    contact_naam: String,
    contact_telefoon: Option<String>,
    contact_email: Option<String>,
    sinds: NaiveDate,
    vervalt_op: NaiveDate,
    beeindigd_op: Option<NaiveDate>,
}

fn uit_rij(v: &Versleuteling, r: Rij) -> QueryResult<Betrokkenheid> {
    Ok(Betrokkenheid {
        id: r.id,
        organisatie: r.organisatie,
        persoon: r.persoon_id,
        betrokkene: r.betrokkene,
        contact: Contact {
            naam: v.lees_kolom(&r.contact_naam)?,
            telefoon: v.lees_kolom_optie(r.contact_telefoon.as_deref())?,
            email: v.lees_kolom_optie(r.contact_email.as_deref())?,
        },
        sinds: r.sinds,
        vervalt_op: r.vervalt_op,
        beeindigd_op: r.beeindigd_op,
    })
}

/// Active signals on these identities, their contacts decrypted.
pub fn actief_op(
    conn: &mut DbConnection,
    v: &Versleuteling,
    betrokkenen: &[String],
    dag: NaiveDate,
) -> QueryResult<Vec<Betrokkenheid>> {
    let mut uit = Vec::new();
    for deel in betrokkenen.chunks(500) {
        let rijen: Vec<Rij> = betrokkenheden::table
            .filter(betrokkenheden::betrokkene.eq_any(deel))
            .filter(betrokkenheden::beeindigd_op.is_null())
            .filter(betrokkenheden::vervalt_op.ge(dag))
            .select(Rij::as_select())
            .load(conn)?;
        for r in rijen {
            uit.push(uit_rij(v, r)?);
        }
    }
    Ok(uit)
}

/// The identities of the children who share a parent with `kind` (not `kind` itself):
/// parents are found through every family, of any organisation, where the child's
/// identity is a child and the parent's identity a parent.
pub(super) fn broers_en_zussen(conn: &mut DbConnection, kind: &str) -> QueryResult<Vec<String>> {
    let rel = |r: Relatie| r.as_ref().to_string();
    // The families (any owner) in which this identity is a child.
    let gezinnen: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(personen::betrokkene.eq(kind))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Kind)))
        .select(gezinsleden::gezin_id)
        .load(conn)?;
    let ouders: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(gezinsleden::gezin_id.eq_any(&gezinnen))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Ouder)))
        .select(personen::betrokkene)
        .distinct()
        .load(conn)?;
    if ouders.is_empty() {
        return Ok(vec![]);
    }
    // Families in which any of those identities is a parent; their children.
    let ouder_gezinnen: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(personen::betrokkene.eq_any(&ouders))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Ouder)))
        .select(gezinsleden::gezin_id)
        .load(conn)?;
    let mut kinderen: Vec<String> = gezinsleden::table
        .inner_join(personen::table)
        .filter(gezinsleden::gezin_id.eq_any(&ouder_gezinnen))
        .filter(gezinsleden::relatie.eq(rel(Relatie::Kind)))
        .select(personen::betrokkene)
        .distinct()
        .load(conn)?;
    kinderen.retain(|k| k != kind);
    Ok(kinderen)
}

/// One signal, its contact decrypted.
pub fn vind(
    conn: &mut DbConnection,
    v: &Versleuteling,
    id_: Uuid,
) -> QueryResult<Option<Betrokkenheid>> {
    let r: Option<Rij> = betrokkenheden::table
        .find(id_.to_string())
        .select(Rij::as_select())
        .first(conn)
        .optional()?;
    r.map(|r| uit_rij(v, r)).transpose()
}

/// The two organisations of match `id`, if it exists.
pub fn match_partijen(conn: &mut DbConnection, id_: Uuid) -> QueryResult<Option<(String, String)>> {
    matches::table
        .find(id_.to_string())
        .select((matches::organisatie_a, matches::organisatie_b))
        .first(conn)
        .optional()
}

/// Match `id` seen from `organisatie`'s side, if it is one of its matches with an
/// organisation it still shares an agreement in force with (`MATCH_BINNEN_CONVENANT`: when
/// the agreement ends, the other side's contact is no longer shown) and the other side's
/// signal still exists; `None` otherwise (`GET /matches/{id}`).
pub fn match_van(
    conn: &mut DbConnection,
    v: &Versleuteling,
    organisatie: &str,
    id: Uuid,
    nu: DateTime<Utc>,
) -> QueryResult<Option<Match>> {
    let Some(r) = matches::table
        .find(id.to_string())
        .filter(
            matches::organisatie_a
                .eq(organisatie)
                .or(matches::organisatie_b.eq(organisatie)),
        )
        .select(MatchRij::as_select())
        .first::<MatchRij>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let (_, ander, andere_org) = r.van_kant(organisatie);
    let ander_soort = directory::kern_op_code(conn, andere_org)?.map(|o| o.2);
    if !Coordinatie::laad(conn, organisatie, nu)?.gedeeld_met(None, andere_org, ander_soort) {
        return Ok(None);
    }
    Ok(vind(conn, v, ander)?.map(|a| r.als_match(organisatie, a.contact)))
}

/// The list name of `GET /matches` in its cursors (`store::venster::Cursor`).
pub const LIJST_MATCHES: &str = "matches";

/// The key of `GET /matches`: (created, id), newest first.
pub type MatchSleutel = (NaiveDateTime, String);

/// One page of `organisatie`'s matches, newest first on `(aangemaakt_op, id)`, only those
/// with an organisation it shares coordination with (`MATCH_BINNEN_CONVENANT`, as
/// [`match_van`]), seen from its side. A match has the organisation on side `a` or `b`:
/// each side is read as its own keyset stream on its index `(organisatie_x, aangemaakt_op,
/// id)` (`2026-12-05-000401_h17gaps_matchindexen`), filtered in SQL to the partners
/// (`Coordinatie::partners`), `limiet + 1` rows each, and the two are merged in memory: the
/// first `limiet + 1` of the merge are the list's, so a page reads at most `2 (limiet + 1)`
/// index entries however many matches there are (an `OR` over both columns would sort
/// them all). The count is the two sides' bounded counts added (`Telling`: exact up to
/// `TELLING_MAX`). A match whose other signal is gone is left out of the page (it is
/// still counted and still a cursor position).
pub fn matches_pagina(
    conn: &mut DbConnection,
    v: &Versleuteling,
    organisatie: &str,
    nu: DateTime<Utc>,
    venster: &Venster<MatchSleutel>,
) -> QueryResult<Pagina<Match, MatchSleutel>> {
    let partners = Coordinatie::laad(conn, organisatie, nu)?.partners(conn)?;
    if partners.is_empty() {
        return Ok(Pagina {
            rijen: Vec::new(),
            volgende: None,
            vorige: None,
            telling: Telling::exact(0),
        });
    }
    let org = organisatie.to_string();
    let bouw_a = || {
        matches::table
            .filter(matches::organisatie_a.eq(org.clone()))
            .filter(matches::organisatie_b.eq_any(partners.clone()))
            .into_boxed()
    };
    let bouw_b = || {
        matches::table
            .filter(matches::organisatie_b.eq(org.clone()))
            .filter(matches::organisatie_a.eq_any(partners.clone()))
            .into_boxed()
    };
    // Without a cursor `page` skips rows of the merge: each side reads them too.
    let n = venster.overslaan() + venster.op_te_halen();
    let mut rijen: Vec<MatchRij> =
        ketenregie_store::venster_aflopend!(bouw_a(), venster, matches::aangemaakt_op, matches::id)
            .limit(n)
            .select(MatchRij::as_select())
            .load(conn)?;
    let van_b: Vec<MatchRij> =
        ketenregie_store::venster_aflopend!(bouw_b(), venster, matches::aangemaakt_op, matches::id)
            .limit(n)
            .select(MatchRij::as_select())
            .load(conn)?;
    let (gelezen_a, gelezen_b) = (rijen.len(), van_b.len());
    rijen.extend(van_b);
    let sleutel = |r: &MatchRij| (r.aangemaakt_op, r.id.to_string());
    // The merge in the query's order: newest first, or oldest first when reading back.
    rijen.sort_by_key(|r| std::cmp::Reverse(sleutel(r)));
    if venster.achteruit() {
        rijen.reverse();
    }
    let rijen: Vec<MatchRij> = rijen
        .into_iter()
        .skip(venster.overslaan().max(0) as usize)
        .take(venster.op_te_halen().max(0) as usize)
        .collect();
    let a = ketenregie_store::telling_aflopend!(
        conn,
        venster,
        gelezen_a,
        bouw_a,
        matches::aangemaakt_op,
        matches::id
    )?;
    let b = ketenregie_store::telling_aflopend!(
        conn,
        venster,
        gelezen_b,
        bouw_b,
        matches::aangemaakt_op,
        matches::id
    )?;
    let telling = if a.exact && b.exact {
        Telling::begrens(a.aantal + b.aantal)
    } else {
        Telling::begrens(TELLING_MAX + 1)
    };
    let pagina = venster.pagina(rijen, sleutel, telling);
    // The other sides' signals of the whole page in one statement, decrypted here.
    let anderen: Vec<String> = pagina
        .rijen
        .iter()
        .map(|r| r.van_kant(organisatie).1.to_string())
        .collect();
    let mut signalen: HashMap<Uuid, Betrokkenheid> = HashMap::new();
    if !anderen.is_empty() {
        for r in betrokkenheden::table
            .filter(betrokkenheden::id.eq_any(&anderen))
            .select(Rij::as_select())
            .load::<Rij>(conn)?
        {
            let b = uit_rij(v, r)?;
            signalen.insert(b.id, b);
        }
    }
    let uit = pagina
        .rijen
        .into_iter()
        .filter_map(|r| {
            let ander = r.van_kant(organisatie).1;
            let contact = signalen.remove(&ander)?.contact;
            Some(r.als_match(organisatie, contact))
        })
        .collect();
    Ok(Pagina {
        rijen: uit,
        volgende: pagina.volgende,
        vorige: pagina.vorige,
        telling: pagina.telling,
    })
}

/// A stored match.
#[derive(Queryable, Selectable)]
#[diesel(table_name = matches)]
struct MatchRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    betrokkenheid_a: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    betrokkenheid_b: Uuid,
    organisatie_a: String,
    organisatie_b: String,
    reden: MatchReden,
    aangemaakt_op: chrono::NaiveDateTime,
}

impl MatchRij {
    /// The match seen from `organisatie`'s side (one of its two): its own signal, the
    /// other side's signal and the other organisation.
    fn van_kant(&self, organisatie: &str) -> (Uuid, Uuid, &str) {
        if self.organisatie_a == organisatie {
            (
                self.betrokkenheid_a,
                self.betrokkenheid_b,
                &self.organisatie_b,
            )
        } else {
            (
                self.betrokkenheid_b,
                self.betrokkenheid_a,
                &self.organisatie_a,
            )
        }
    }

    /// The `Match` as `organisatie` sees it, with the other side's contact.
    fn als_match(self, organisatie: &str, ander_contact: Contact) -> Match {
        let (eigen, _, andere) = self.van_kant(organisatie);
        Match {
            id: self.id,
            reden: self.reden,
            eigen_betrokkenheid: eigen,
            andere_organisatie: andere.to_string(),
            ander_contact,
            aangemaakt_op: from_db(self.aangemaakt_op),
        }
    }
}
