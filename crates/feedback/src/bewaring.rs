//! Retention of feedback (DOMAIN.md §4 "Retention", issue 15 point 3): the feedback on a
//! melding chain goes with the chain, when its term has passed
//! (`ketenregie_referral::bewaring::verlopen_ketens`), together with the person's own
//! statements on it and the notifications about it. This source runs before the
//! referral crate's, which then removes the chain itself.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_privacy::bewaring::{Bewaarbron, Bewaargrond, Verwijderd};
use ketenregie_privacy::eigen_verklaring;
use ketenregie_referral::bewaring::verlopen_ketens;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Json;
use ketenregie_store::outbox;
use ketenregie_store::schema::terugkoppelingen;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The feedback crate's retention source.
#[derive(Debug, Clone, Copy)]
pub struct Terugkoppelingbron;

impl Bewaarbron for Terugkoppelingbron {
    fn soorten(&self) -> &'static [&'static str] {
        &[
            "terugkoppelingen",
            "eigen-verklaringen",
            "outbox",
            "bezorgingen",
        ]
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        let ketens = verlopen_ketens(conn, nu)?;
        let mut per_grond: BTreeMap<&Bewaargrond, Vec<String>> = BTreeMap::new();
        for k in &ketens {
            per_grond
                .entry(&k.grond)
                .or_default()
                .extend(k.melding_ids());
        }
        let mut uit = Vec::new();
        for (g, meldingen) in per_grond {
            for meldingen in meldingen.chunks(500) {
                let rijen: Vec<(String, String, String, Json<Vec<Uuid>>)> = terugkoppelingen::table
                    .filter(terugkoppelingen::zorgmelding_id.eq_any(meldingen))
                    .select((
                        terugkoppelingen::id,
                        terugkoppelingen::afzender,
                        terugkoppelingen::ontvanger,
                        terugkoppelingen::betrokkenen,
                    ))
                    .load(conn)?;
                let ids: Vec<String> = rijen.iter().map(|r| r.0.clone()).collect();
                for (id, afzender, ontvanger, betrokkenen) in rijen {
                    let mut organisaties = vec![afzender, ontvanger];
                    organisaties.dedup();
                    uit.push(Verwijderd {
                        organisaties,
                        object_type: "terugkoppelingen",
                        object_id: id,
                        betrokkenen: betrokkenen.0,
                        grond: g.clone(),
                        aantal: 1,
                    });
                }
                for (v, _) in
                    eigen_verklaring::verwijder_bij(conn, "terugkoppelingen", &ids, proef)?
                {
                    uit.push(Verwijderd::mee("eigen-verklaringen", v, g));
                }
                let (berichten, bezorgd) = outbox::verwijder_over(conn, &ids, proef)?;
                uit.extend(berichten.iter().map(|b| Verwijderd::mee("outbox", b, g)));
                uit.extend(bezorgd.iter().map(|b| Verwijderd::mee("bezorgingen", b, g)));
                if !proef {
                    diesel::delete(
                        terugkoppelingen::table.filter(terugkoppelingen::id.eq_any(&ids)),
                    )
                    .execute(conn)?;
                }
            }
        }
        Ok(uit)
    }
}
