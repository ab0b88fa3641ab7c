//! The feedback report (issue 6 point 7): per sender → receiver pair, over the meldingen
//! and hand-overs sent in a period: how many, per moment the share of feedback given on
//! time, the median and 90th percentile of the time to it in hours, and how many duties
//! are open and overdue now. Counts only: no personal data.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::to_db;
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::termijnen;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// The figures of one moment for one pair.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MomentCijfers {
    pub moment: Terugkoppelmoment,
    /// Duties of this moment.
    pub aantal: i64,
    /// Met so far.
    pub voldaan: i64,
    /// Met by the due time.
    pub op_tijd: i64,
    /// `opTijd` over the duties already decided (met, or past due); null when none is.
    pub aandeel_op_tijd: Option<f64>,
    /// Median hours from sending to this feedback, over the met duties.
    pub mediaan_uren: Option<f64>,
    /// 90th percentile (nearest rank) of the same.
    pub p90_uren: Option<f64>,
    /// Open and past due now.
    pub open_te_laat: i64,
}

/// One sender → receiver pair.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paar {
    /// Who is owed the feedback.
    pub afzender: String,
    /// Who owes it.
    pub ontvanger: String,
    /// Meldingen and hand-over tasks sent in the period.
    pub meldingen: i64,
    pub momenten: Vec<MomentCijfers>,
    /// All duties of the pair open and past due now.
    pub open_te_laat: i64,
}

/// A duty as read: sender, receiver, melding, moment (typed: an unknown moment is an
/// error at the row), due, met, lapsed, created.
type Rij = (
    String,
    String,
    String,
    Terugkoppelmoment,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

/// A pair's meldingen and its duties per moment.
type PaarRijen = (BTreeSet<String>, BTreeMap<Terugkoppelmoment, Vec<Rij>>);

/// Nearest-rank percentile of sorted values.
pub fn percentiel(gesorteerd: &[f64], p: f64) -> Option<f64> {
    if gesorteerd.is_empty() {
        return None;
    }
    let rang = ((p / 100.0) * gesorteerd.len() as f64).ceil().max(1.0) as usize;
    Some(gesorteerd[rang.min(gesorteerd.len()) - 1])
}

/// The report for `organisatie`'s pairs (as sender or receiver), over duties created in
/// [`van`, `tot`).
pub fn rapport(
    conn: &mut DbConnection,
    organisatie: &str,
    van: DateTime<Utc>,
    tot: DateTime<Utc>,
    nu: DateTime<Utc>,
) -> QueryResult<Vec<Paar>> {
    rapport_voor(conn, Some(organisatie), van, tot, nu)
}

/// The same figures for every pair of the pilot (`None`) or the pairs of one
/// organisation, for the steering group's dashboard: counts only.
pub fn rapport_voor(
    conn: &mut DbConnection,
    organisatie: Option<&str>,
    van: DateTime<Utc>,
    tot: DateTime<Utc>,
    nu: DateTime<Utc>,
) -> QueryResult<Vec<Paar>> {
    type Gelezen = (
        String,
        String,
        String,
        Tekst<Terugkoppelmoment>,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
        chrono::NaiveDateTime,
    );
    let mut q = termijnen::table.into_boxed();
    if let Some(organisatie) = organisatie {
        q = q.filter(
            termijnen::afzender
                .eq(organisatie.to_string())
                .or(termijnen::ontvanger.eq(organisatie.to_string())),
        );
    }
    let rijen: Vec<Gelezen> = q
        .filter(termijnen::aangemaakt_op.ge(to_db(van)))
        .filter(termijnen::aangemaakt_op.lt(to_db(tot)))
        .select((
            termijnen::afzender,
            termijnen::ontvanger,
            termijnen::zorgmelding_id,
            termijnen::moment,
            termijnen::verschuldigd_op,
            termijnen::voldaan_op,
            termijnen::vervallen_op,
            termijnen::aangemaakt_op,
        ))
        .load(conn)?;
    let nu_db = to_db(nu);
    let mut paren: BTreeMap<(String, String), PaarRijen> = BTreeMap::new();
    for (a, o, z, Tekst(m), d, v, x, t) in rijen {
        let e = paren.entry((a.clone(), o.clone())).or_default();
        e.0.insert(z.clone());
        e.1.entry(m).or_default().push((a, o, z, m, d, v, x, t));
    }
    Ok(paren
        .into_iter()
        .map(|((afzender, ontvanger), (meldingen, per_moment))| {
            let mut momenten: Vec<MomentCijfers> = per_moment
                .into_iter()
                .map(|(moment, rs)| {
                    let voldaan: Vec<&Rij> = rs.iter().filter(|r| r.5.is_some()).collect();
                    let op_tijd = voldaan.iter().filter(|r| r.5 <= Some(r.4)).count() as i64;
                    let open_te_laat = rs
                        .iter()
                        .filter(|r| r.5.is_none() && r.6.is_none() && r.4 < nu_db)
                        .count() as i64;
                    let beslist = voldaan.len() as i64 + open_te_laat;
                    let mut uren: Vec<f64> = voldaan
                        .iter()
                        .map(|r| (r.5.expect("met") - r.7).num_seconds() as f64 / 3600.0)
                        .collect();
                    uren.sort_by(|a, b| a.total_cmp(b));
                    MomentCijfers {
                        moment,
                        aantal: rs.len() as i64,
                        voldaan: voldaan.len() as i64,
                        op_tijd,
                        aandeel_op_tijd: (beslist > 0).then(|| op_tijd as f64 / beslist as f64),
                        mediaan_uren: percentiel(&uren, 50.0),
                        p90_uren: percentiel(&uren, 90.0),
                        open_te_laat,
                    }
                })
                .collect();
            momenten.sort_by_key(|m| m.moment);
            Paar {
                open_te_laat: momenten.iter().map(|m| m.open_te_laat).sum(),
                afzender,
                ontvanger,
                meldingen: meldingen.len() as i64,
                momenten,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentielen() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentiel(&v, 50.0), Some(5.0));
        assert_eq!(percentiel(&v, 90.0), Some(9.0));
        assert_eq!(percentiel(&[3.0], 90.0), Some(3.0));
        assert_eq!(percentiel(&[], 50.0), None);
    }
}
