//! `Coordinatiebron`: the retention of involvement signals and their matches (see the
//! module above).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::werkdagen::nl_datum;
use ketenregie_privacy::bewaring::{
    Bewaarbron, Bewaargrond, Houdertermijnen, Verwijderd, kortste_termijn,
};
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::outbox;
use ketenregie_store::schema::{betrokkenheden, matches};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The kind of term of a coordination signal.
pub const COORDINATIESIGNAAL: &str = "coordinatiesignaal";

/// The case registry's retention source for involvement and matches.
#[derive(Debug, Clone, Copy)]
pub struct Coordinatiebron;

impl Bewaarbron for Coordinatiebron {
    fn soorten(&self) -> &'static [&'static str] {
        &["betrokkenheden", "matches", "outbox", "bezorgingen"]
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        let vandaag = nl_datum(nu);
        let kortste = kortste_termijn(conn, &[COORDINATIESIGNAAL])?;
        type Rij = (
            String,
            String,
            Tekst<Uuid>,
            NaiveDate,
            NaiveDate,
            Option<NaiveDate>,
        );
        let rijen: Vec<Rij> = betrokkenheden::table
            .filter(
                betrokkenheden::vervalt_op
                    .lt(vandaag)
                    .or(betrokkenheden::beeindigd_op.le(vandaag))
                    .or(betrokkenheden::sinds.le(vandaag - Duration::days(kortste))),
            )
            .select((
                betrokkenheden::id,
                betrokkenheden::organisatie,
                betrokkenheden::betrokkene,
                betrokkenheden::sinds,
                betrokkenheden::vervalt_op,
                betrokkenheden::beeindigd_op,
            ))
            .load(conn)?;
        let mut termijnen = Houdertermijnen::default();
        let mut weg: BTreeMap<String, (Bewaargrond, Uuid)> = BTreeMap::new();
        let mut uit = Vec::new();
        for (id, org, betrokkene, sinds, vervalt, beeindigd) in rijen {
            let eigen = termijnen.van_soort(conn, &org, COORDINATIESIGNAAL)?;
            let grond = if beeindigd.is_some_and(|b| b <= vandaag) {
                Bewaargrond {
                    organisatie: org.clone(),
                    ..Bewaargrond::verlopen("beeindigd: niet langer gerechtvaardigd")
                }
            } else if vervalt < vandaag {
                Bewaargrond {
                    organisatie: org.clone(),
                    ..Bewaargrond::verlopen("VERWIJSINDEX_VERVALTERMIJN")
                }
            } else if eigen
                .termijn_dagen
                .is_some_and(|d| sinds + Duration::days(d) <= vandaag)
            {
                eigen
            } else {
                continue;
            };
            uit.push(Verwijderd {
                organisaties: vec![org],
                object_type: "betrokkenheden",
                object_id: id.clone(),
                betrokkenen: vec![betrokkene.0],
                grond: grond.clone(),
                aantal: 1,
            });
            weg.insert(id, (grond, betrokkene.0));
        }
        let ids: Vec<String> = weg.keys().cloned().collect();
        let mut onderwerpen = ids.clone();
        for deel in ids.chunks(500) {
            let paren: Vec<(String, String, String, String, String)> = matches::table
                .filter(
                    matches::betrokkenheid_a
                        .eq_any(deel)
                        .or(matches::betrokkenheid_b.eq_any(deel)),
                )
                .select((
                    matches::id,
                    matches::betrokkenheid_a,
                    matches::betrokkenheid_b,
                    matches::organisatie_a,
                    matches::organisatie_b,
                ))
                .load(conn)?;
            for (id, a, b, org_a, org_b) in paren {
                if onderwerpen.contains(&id) {
                    continue;
                }
                let kanten: Vec<&(Bewaargrond, Uuid)> =
                    [weg.get(&a), weg.get(&b)].into_iter().flatten().collect();
                let Some((grond, _)) = kanten.first().copied() else {
                    continue;
                };
                let mut betrokkenen: Vec<Uuid> = kanten.iter().map(|(_, b)| *b).collect();
                betrokkenen.dedup();
                uit.push(Verwijderd {
                    organisaties: vec![org_a, org_b],
                    object_type: "matches",
                    object_id: id.clone(),
                    betrokkenen,
                    grond: grond.clone(),
                    aantal: 1,
                });
                onderwerpen.push(id);
            }
        }
        let (berichten, bezorgd) = outbox::verwijder_over(conn, &onderwerpen, proef)?;
        let mee = Bewaargrond::verlopen("met het signaal of de match");
        uit.extend(berichten.iter().map(|b| Verwijderd::mee("outbox", b, &mee)));
        uit.extend(
            bezorgd
                .iter()
                .map(|b| Verwijderd::mee("bezorgingen", b, &mee)),
        );
        if !proef {
            for deel in ids.chunks(500) {
                diesel::delete(
                    matches::table.filter(
                        matches::betrokkenheid_a
                            .eq_any(deel)
                            .or(matches::betrokkenheid_b.eq_any(deel)),
                    ),
                )
                .execute(conn)?;
                diesel::delete(betrokkenheden::table.filter(betrokkenheden::id.eq_any(deel)))
                    .execute(conn)?;
            }
        }
        Ok(uit)
    }
}
