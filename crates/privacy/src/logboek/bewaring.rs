//! Retention of the processing log (`bewaring`): rows are removed only as a prefix of a
//! chain, and a checkpoint row (`BEWARING_IJKPUNT`) records where the chain continues and
//! the hash before it, so `verifieer` still proves the rest whole. Only sealed rows
//! (`volgnummer > 0`) count: an unsealed row has no position yet and waits for the sealer.

use super::{VerwerkingInhoud, tijd};
use crate::keten;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::to_db;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::verwerkingslog;

/// The processing activity of a retention checkpoint row (`BEWARING_IJKPUNT`).
pub const BEWARING_IJKPUNT: &str = "bewaring-ijkpunt";

/// The legal basis text of a retention checkpoint row: what was removed and where the
/// chain continues (`vanaf`, the first row kept) with the hash before it (`vorige`).
fn bewaringsgrondslag(vanaf: i64, vorige: &str) -> String {
    format!("bewaartermijn verwerkingslog verstreken; vanaf={vanaf}; vorige={vorige}")
}

/// Read a retention checkpoint's `(vanaf, vorige)` from its legal-basis text.
pub fn lees_bewaringsijkpunt(grondslag: &str) -> Option<(i64, String)> {
    let mut vanaf = None;
    let mut vorige = None;
    for deel in grondslag.split("; ") {
        if let Some(v) = deel.strip_prefix("vanaf=") {
            vanaf = v.parse().ok();
        } else if let Some(v) = deel.strip_prefix("vorige=") {
            vorige = Some(v.to_string());
        }
    }
    Some((vanaf?, vorige?))
}

/// The rows retention would remove from processing-log chain `keten`: those before the
/// first row that ended at or after `grens` (a prefix of the chain, so the chain stays
/// one unbroken run; a row that ended earlier but lies after a newer one waits for the
/// next run). Returns (first row to keep, number of rows before it), or `None` when
/// nothing goes.
fn te_bewaren_vanaf(
    conn: &mut DbConnection,
    keten: &str,
    grens: NaiveDateTime,
    tot: Option<i64>,
) -> QueryResult<Option<(i64, i64)>> {
    use diesel::dsl::min;
    let mut q = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(keten))
        .filter(verwerkingslog::volgnummer.gt(0))
        .into_boxed();
    if let Some(t) = tot {
        q = q.filter(verwerkingslog::volgnummer.lt(t));
    }
    let eerste: Option<i64> = q.select(min(verwerkingslog::volgnummer)).first(conn)?;
    let Some(eerste) = eerste else {
        return Ok(None);
    };
    let mut q = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(keten))
        .filter(verwerkingslog::volgnummer.gt(0))
        .filter(verwerkingslog::eind_op.ge(grens))
        .into_boxed();
    if let Some(t) = tot {
        q = q.filter(verwerkingslog::volgnummer.lt(t));
    }
    let bewaard: Option<i64> = q.select(min(verwerkingslog::volgnummer)).first(conn)?;
    let vanaf = match (bewaard, tot) {
        (Some(b), _) => b,
        (None, Some(t)) => t,
        (None, None) => {
            let laatste: Option<i64> = verwerkingslog::table
                .filter(verwerkingslog::keten.eq(keten))
                .filter(verwerkingslog::volgnummer.gt(0))
                .select(diesel::dsl::max(verwerkingslog::volgnummer))
                .first(conn)?;
            laatste.unwrap_or(eerste) + 1
        }
    };
    if vanaf <= eerste {
        return Ok(None);
    }
    let n: i64 = verwerkingslog::table
        .filter(verwerkingslog::keten.eq(keten))
        .filter(verwerkingslog::volgnummer.gt(0))
        .filter(verwerkingslog::volgnummer.lt(vanaf))
        .count()
        .get_result(conn)?;
    Ok(Some((vanaf, n)))
}

/// Retention of one processing-log chain (`keten`, of `organisatie`): remove the rows
/// that ended before `grens` as a prefix of the chain, and append a retention checkpoint
/// row to the same chain (activity `BEWARING_IJKPUNT`) that says where the chain now
/// continues and with which previous hash. `verifieer` accepts a chain that starts after
/// row 1 only when its last checkpoint says so, so deleting the first rows any other way
/// shows. The delete is let through by the append-only trigger only for the rows a permit
/// in `logbewaring_vergunningen` covers, written and removed in this transaction. With
/// `proef`, only count. Returns the number of rows removed.
pub fn bewaar_keten(
    conn: &mut DbConnection,
    keten: &str,
    organisatie: &str,
    grens: DateTime<Utc>,
    nu: DateTime<Utc>,
    proef: bool,
) -> QueryResult<usize> {
    use ketenregie_store::schema::logbewaring_vergunningen as vg;
    let grens = to_db(grens);
    // Seal what is unsealed in the chain first (under the head's lock, as the sealer does):
    // only sealed rows have a position a prefix can end at.
    if !proef {
        super::verzegelaar::verzegel_verwerking(conn, keten)?;
    }
    let Some((_, n)) = te_bewaren_vanaf(conn, keten, grens, None)? else {
        return Ok(0);
    };
    if proef {
        return Ok(n as usize);
    }
    // Lock the chain head (our checkpoint's position), then decide under the lock.
    let kop_id = format!("verwerking:{keten}");
    let (positie, vorige) = keten::volgende(conn, &kop_id)?;
    let Some((vanaf, _)) = te_bewaren_vanaf(conn, keten, grens, Some(positie))? else {
        // Nothing left to remove after all: the position is taken, so fill it.
        return schrijf_bewaringsijkpunt(conn, keten, organisatie, positie, &vorige, None, nu)
            .map(|_| 0);
    };
    let voor_vanaf: String = if vanaf == positie {
        vorige.clone()
    } else {
        verwerkingslog::table
            .filter(verwerkingslog::keten.eq(keten))
            .filter(verwerkingslog::volgnummer.gt(0))
            .filter(verwerkingslog::volgnummer.eq(vanaf))
            .select(verwerkingslog::vorige_hash)
            .first(conn)?
    };
    diesel::insert_into(vg::table)
        .values((vg::keten.eq(keten), vg::tot_volgnummer.eq(vanaf)))
        .execute(conn)?;
    let weg = diesel::delete(
        verwerkingslog::table
            .filter(verwerkingslog::keten.eq(keten))
            .filter(verwerkingslog::volgnummer.gt(0))
            .filter(verwerkingslog::volgnummer.lt(vanaf)),
    )
    .execute(conn)?;
    diesel::delete(vg::table.filter(vg::keten.eq(keten))).execute(conn)?;
    schrijf_bewaringsijkpunt(
        conn,
        keten,
        organisatie,
        positie,
        &vorige,
        Some((vanaf, &voor_vanaf)),
        nu,
    )?;
    Ok(weg)
}

/// Write the retention checkpoint row at the reserved `positie` and close the chain.
fn schrijf_bewaringsijkpunt(
    conn: &mut DbConnection,
    keten: &str,
    organisatie: &str,
    positie: i64,
    vorige: &str,
    vervolg: Option<(i64, &str)>,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    let id = ids::new_id().to_string();
    let trace_id = hex::encode(rand::random::<[u8; 16]>());
    let span_id = hex::encode(rand::random::<[u8; 8]>());
    let tijd_db = to_db(nu);
    // Without removal (a race lost under the lock) the checkpoint repeats the chain's
    // current start, which the verifier accepts the same way.
    let grondslag = match vervolg {
        Some((vanaf, h)) => bewaringsgrondslag(vanaf, h),
        None => {
            let (vanaf, h): (i64, String) = verwerkingslog::table
                .filter(verwerkingslog::keten.eq(keten))
                .filter(verwerkingslog::volgnummer.gt(0))
                .order(verwerkingslog::volgnummer)
                .select((verwerkingslog::volgnummer, verwerkingslog::vorige_hash))
                .first(conn)
                .optional()?
                .unwrap_or((positie, vorige.to_string()));
            bewaringsgrondslag(vanaf, &h)
        }
    };
    let inhoud = VerwerkingInhoud {
        id: &id,
        keten,
        volgnummer: positie,
        trace_id: &trace_id,
        span_id: &span_id,
        parent_span_id: None,
        organisatie,
        activiteit: BEWARING_IJKPUNT,
        grondslag: &grondslag,
        convenant_id: None,
        convenant_versie: None,
        betrokkene: "",
        resultaat: "geslaagd",
        doorbraak: false,
        start_op: tijd(tijd_db),
        eind_op: tijd(tijd_db),
    };
    let hash = keten::hash(vorige, &serde_json::to_string(&inhoud).expect("serialises"));
    diesel::insert_into(verwerkingslog::table)
        .values((
            verwerkingslog::id.eq(&id),
            verwerkingslog::keten.eq(keten),
            verwerkingslog::volgnummer.eq(positie),
            verwerkingslog::vorige_hash.eq(vorige),
            verwerkingslog::hash.eq(&hash),
            verwerkingslog::trace_id.eq(&trace_id),
            verwerkingslog::span_id.eq(&span_id),
            verwerkingslog::parent_span_id.eq(None::<String>),
            verwerkingslog::organisatie.eq(organisatie),
            verwerkingslog::activiteit.eq(BEWARING_IJKPUNT),
            verwerkingslog::grondslag.eq(&grondslag),
            verwerkingslog::convenant_id.eq(None::<String>),
            verwerkingslog::convenant_versie.eq(None::<i64>),
            verwerkingslog::betrokkene.eq(""),
            verwerkingslog::resultaat.eq("geslaagd"),
            verwerkingslog::doorbraak.eq(false),
            verwerkingslog::start_op.eq(tijd_db),
            verwerkingslog::eind_op.eq(tijd_db),
        ))
        .execute(conn)?;
    keten::sluit(conn, &format!("verwerking:{keten}"), &hash)
}
