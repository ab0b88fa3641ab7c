//! Retention of zorgmeldingen (DOMAIN.md §4 "Retention", issue 15 point 3): a melding and
//! its hand-overs (one chain, one `groep_id`: "chains stay linked", DOMAIN.md §3 flow 4)
//! go together, with their steps, their identity index, the feedback duties owed on them,
//! the person's own statements on them and the notifications about them.
//!
//! Every organisation that holds the chain (each sender and receiver) keeps it for the
//! term of its own case records (`bewaring::dossiersoort`: police data 10 years, a
//! Veilig Thuis dossier 20, ...; its own override in `bewaartermijnen`), counted from the
//! chain's last activity (a change, a step, feedback); the chain goes when the longest of
//! those terms has passed. The feedback on a chain is the feedback crate's and goes in its
//! own source, which runs first (`ketenregie_feedback::bewaring`).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_privacy::bewaring::{Bewaarbron, Bewaargrond, Houdertermijnen, Verwijderd};
use ketenregie_privacy::eigen_verklaring;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::outbox;
use ketenregie_store::schema::{
    termijnen, terugkoppelingen, zorgmelding_betrokkenen, zorgmelding_stappen, zorgmeldingen,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// One melding of an expired chain.
#[derive(Debug, Clone)]
pub struct VerlopenMelding {
    pub id: String,
    /// Set for a hand-over (a melding made from another).
    pub bovenliggend: Option<String>,
    /// The organisations that hold it: its sender and (once sent) its receiver.
    pub houders: Vec<String>,
}

/// A chain whose term has passed.
#[derive(Debug, Clone)]
pub struct VerlopenKeten {
    pub groep: String,
    pub meldingen: Vec<VerlopenMelding>,
    /// The term that bound last.
    pub grond: Bewaargrond,
}

impl VerlopenKeten {
    pub fn melding_ids(&self) -> Vec<String> {
        self.meldingen.iter().map(|m| m.id.clone()).collect()
    }
}

/// The latest moment per melding id among `(id, moment)` rows, merged into `laatst`.
fn laatste(
    laatst: &mut BTreeMap<String, DateTime<Utc>>,
    rijen: Vec<(String, chrono::NaiveDateTime)>,
) {
    for (id, t) in rijen {
        let t = from_db(t);
        let e = laatst.entry(id).or_insert(t);
        if t > *e {
            *e = t;
        }
    }
}

/// The melding chains whose term has passed at `nu`: for every holder of every melding of
/// the chain, its case-record term since the chain's last activity.
pub fn verlopen_ketens(
    conn: &mut DbConnection,
    nu: DateTime<Utc>,
) -> QueryResult<Vec<VerlopenKeten>> {
    let kortste = ketenregie_privacy::bewaring::kortste_dossiertermijn(conn)?;
    let grens = to_db(nu - Duration::days(kortste));
    // Chains whose last change lies before the shortest term (the candidates; steps and
    // feedback may still be later). Only chains with some melding changed before the limit
    // can qualify: found on `zorgmeldingen_gewijzigd_idx`, so a run does not aggregate
    // every chain of the whole history.
    let oude = diesel::alias!(zorgmeldingen as oude_meldingen);
    let oud = oude
        .filter(oude.field(zorgmeldingen::gewijzigd_op).lt(grens))
        .select(oude.field(zorgmeldingen::groep_id));
    let kandidaten: Vec<String> = zorgmeldingen::table
        .filter(zorgmeldingen::groep_id.eq_any(oud))
        .group_by(zorgmeldingen::groep_id)
        .having(diesel::dsl::max(zorgmeldingen::gewijzigd_op).lt(grens))
        .select(zorgmeldingen::groep_id)
        .load(conn)?;
    let mut termijnen_ = Houdertermijnen::default();
    let mut uit = Vec::new();
    for deel in kandidaten.chunks(200) {
        type Rij = (
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            chrono::NaiveDateTime,
        );
        let rijen: Vec<Rij> = zorgmeldingen::table
            .filter(zorgmeldingen::groep_id.eq_any(deel))
            .select((
                zorgmeldingen::id,
                zorgmeldingen::groep_id,
                zorgmeldingen::bovenliggend_id,
                zorgmeldingen::afzender,
                zorgmeldingen::ontvanger,
                zorgmeldingen::gewijzigd_op,
            ))
            .order(zorgmeldingen::id)
            .load(conn)?;
        let ids: Vec<String> = rijen.iter().map(|r| r.0.clone()).collect();
        let mut laatst: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
        laatste(
            &mut laatst,
            rijen.iter().map(|r| (r.0.clone(), r.5)).collect(),
        );
        laatste(
            &mut laatst,
            zorgmelding_stappen::table
                .filter(zorgmelding_stappen::zorgmelding_id.eq_any(&ids))
                .select((
                    zorgmelding_stappen::zorgmelding_id,
                    zorgmelding_stappen::tijdstip,
                ))
                .load(conn)?,
        );
        laatste(
            &mut laatst,
            terugkoppelingen::table
                .filter(terugkoppelingen::zorgmelding_id.eq_any(&ids))
                .select((
                    terugkoppelingen::zorgmelding_id,
                    terugkoppelingen::aangemaakt_op,
                ))
                .load(conn)?,
        );
        let mut ketens: BTreeMap<String, Vec<VerlopenMelding>> = BTreeMap::new();
        let mut sinds: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
        for (id, groep, bovenliggend, afzender, ontvanger, _) in rijen {
            let t = laatst[&id];
            let s = sinds.entry(groep.clone()).or_insert(t);
            if t > *s {
                *s = t;
            }
            let mut houders = vec![afzender];
            houders.extend(ontvanger);
            houders.dedup();
            ketens.entry(groep).or_default().push(VerlopenMelding {
                id,
                bovenliggend,
                houders,
            });
        }
        for (groep, meldingen) in ketens {
            let mut houders: Vec<String> =
                meldingen.iter().flat_map(|m| m.houders.clone()).collect();
            houders.sort();
            houders.dedup();
            if let Some(grond) = termijnen_.verstreken(conn, &houders, sinds[&groep], nu)? {
                uit.push(VerlopenKeten {
                    groep,
                    meldingen,
                    grond,
                });
            }
        }
    }
    Ok(uit)
}

/// The referral crate's retention source: zorgmeldingen, hand-overs, their steps, the
/// feedback duties (`termijnen`), the statements on them and their notifications.
#[derive(Debug, Clone, Copy)]
pub struct Meldingbron;

impl Bewaarbron for Meldingbron {
    fn soorten(&self) -> &'static [&'static str] {
        &[
            "zorgmeldingen",
            "overdrachten",
            "zorgmelding-stappen",
            "termijnen",
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
        let mut per_grond: BTreeMap<&Bewaargrond, Vec<&VerlopenKeten>> = BTreeMap::new();
        for k in &ketens {
            per_grond.entry(&k.grond).or_default().push(k);
        }
        let mut uit = Vec::new();
        for (grond, ketens) in per_grond {
            for deel in ketens.chunks(100) {
                uit.extend(ruim_ketens_op(conn, deel, grond, proef)?);
            }
        }
        Ok(uit)
    }
}

/// Remove expired chains that went for the same reason `g` (or with `proef` only list
/// them), in a few statements for all of them (`verwijder_meldingen`).
fn ruim_ketens_op(
    conn: &mut DbConnection,
    ketens: &[&VerlopenKeten],
    g: &Bewaargrond,
    proef: bool,
) -> QueryResult<Vec<Verwijderd>> {
    let ids: Vec<String> = ketens.iter().flat_map(|k| k.melding_ids()).collect();
    let Meegenomen {
        mut onderwerpen,
        stappen,
        termijnen: plichten,
        eigen_verklaringen,
        berichten,
        bezorgingen,
    } = verwijder_meldingen(conn, &ids, proef)?;
    let mut uit = Vec::new();
    for keten in ketens {
        // Every holder of the chain held each of its meldingen (a hand-over stays linked
        // to the melding it came from, and its maker made it): each logs each removal.
        let mut houders: Vec<String> = keten
            .meldingen
            .iter()
            .flat_map(|m| m.houders.clone())
            .collect();
        houders.sort();
        houders.dedup();
        for m in &keten.meldingen {
            uit.push(Verwijderd {
                organisaties: houders.clone(),
                object_type: if m.bovenliggend.is_some() {
                    "overdrachten"
                } else {
                    "zorgmeldingen"
                },
                object_id: m.id.clone(),
                betrokkenen: onderwerpen.remove(&m.id).unwrap_or_default(),
                grond: g.clone(),
                aantal: 1,
            });
        }
    }
    uit.extend(
        stappen
            .iter()
            .map(|s| Verwijderd::mee("zorgmelding-stappen", s, g)),
    );
    uit.extend(plichten.iter().map(|t| Verwijderd::mee("termijnen", t, g)));
    uit.extend(
        eigen_verklaringen
            .iter()
            .map(|v| Verwijderd::mee("eigen-verklaringen", v, g)),
    );
    uit.extend(berichten.iter().map(|b| Verwijderd::mee("outbox", b, g)));
    uit.extend(
        bezorgingen
            .iter()
            .map(|b| Verwijderd::mee("bezorgingen", b, g)),
    );
    Ok(uit)
}

/// What went with meldingen removed by `verwijder_meldingen`, by id.
#[derive(Debug, Clone, Default)]
pub struct Meegenomen {
    /// The data subjects of each melding (its identity index), melding id -> subjects.
    pub onderwerpen: BTreeMap<String, Vec<Uuid>>,
    pub stappen: Vec<String>,
    /// The feedback duties owed on them.
    pub termijnen: Vec<String>,
    /// The own statements on them (Jeugdwet art. 7.3.8).
    pub eigen_verklaringen: Vec<String>,
    /// The notifications about them and their duties, and those notifications' deliveries.
    pub berichten: Vec<String>,
    pub bezorgingen: Vec<String>,
}

/// Remove meldingen `ids` and everything stored for them: their steps, their identity
/// index (`zorgmelding_betrokkenen`), the feedback duties owed on them, the own
/// statements on them and the notifications about them (with `proef` only list them).
/// The one removal of a melding, used by the retention run (`ruim_ketens_op`, whole
/// chains) and by the withdrawal of a concept (`melding::verwijder_concept`). Feedback
/// on a melding is the feedback crate's and is not touched here (a concept has none).
/// Logs nothing: each caller logs the removal as its own processing.
pub fn verwijder_meldingen(
    conn: &mut DbConnection,
    ids: &[String],
    proef: bool,
) -> QueryResult<Meegenomen> {
    let mut onderwerpen: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    for (m, b) in zorgmelding_betrokkenen::table
        .filter(zorgmelding_betrokkenen::zorgmelding_id.eq_any(ids))
        .select((
            zorgmelding_betrokkenen::zorgmelding_id,
            zorgmelding_betrokkenen::betrokkene,
        ))
        .load::<(String, Tekst<Uuid>)>(conn)?
    {
        onderwerpen.entry(m).or_default().push(b.0);
    }
    let stappen: Vec<String> = zorgmelding_stappen::table
        .filter(zorgmelding_stappen::zorgmelding_id.eq_any(ids))
        .select(zorgmelding_stappen::id)
        .load(conn)?;
    let plichten: Vec<String> = termijnen::table
        .filter(termijnen::zorgmelding_id.eq_any(ids))
        .select(termijnen::id)
        .load(conn)?;
    let eigen_verklaringen = eigen_verklaring::verwijder_bij(conn, "zorgmeldingen", ids, proef)?
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    let mut over = ids.to_vec();
    over.extend(plichten.iter().cloned());
    let (berichten, bezorgingen) = outbox::verwijder_over(conn, &over, proef)?;
    if !proef {
        diesel::delete(termijnen::table.filter(termijnen::zorgmelding_id.eq_any(ids)))
            .execute(conn)?;
        diesel::delete(
            zorgmelding_stappen::table.filter(zorgmelding_stappen::zorgmelding_id.eq_any(ids)),
        )
        .execute(conn)?;
        diesel::delete(
            zorgmelding_betrokkenen::table
                .filter(zorgmelding_betrokkenen::zorgmelding_id.eq_any(ids)),
        )
        .execute(conn)?;
        diesel::delete(zorgmeldingen::table.filter(zorgmeldingen::id.eq_any(ids))).execute(conn)?;
    }
    Ok(Meegenomen {
        onderwerpen,
        stappen,
        termijnen: plichten,
        eigen_verklaringen,
        berichten,
        bezorgingen,
    })
}
