//! Per-user daily quota on look-ups of persons (OWASP API Security Top 10 2023, API6:
//! unrestricted access to sensitive business flows; here: bulk harvesting of who is known
//! to the partners). Counted in the database, so every instance counts the same.
//!
//! A counter is one row per (organisation, user, kind, day). The request that takes it
//! over its limit stamps `overschreden_op` and queues one notification
//! (`privacy.quotum-overschreden`) to the organisation in the same transaction; the
//! notification carries only the counter's id and a link (`dataref`) where the privacy
//! officer reads user id, count, limit and day. `gebruiker` is the token's `sub`, never a
//! name.

use crate::DbConnection;
use crate::outbox::{self, Gebeurtenis};
use crate::schema::gebruiksquota as q;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::{from_db, to_db};

/// The notification's type (after `nl.ketenregie.`).
pub const SOORT_OVERSCHREDEN: &str = "privacy.quotum-overschreden";

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quotumsoort {
    /// `POST /briefings/_zoek`.
    Briefing,
    /// `GET /personen/{id}` and any other person search.
    Persoon,
}

impl Quotumsoort {
    pub fn als_tekst(self) -> &'static str {
        match self {
            Quotumsoort::Briefing => "briefing",
            Quotumsoort::Persoon => "persoon",
        }
    }
}

/// One counter.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = q)]
pub struct Teller {
    pub id: String,
    pub organisatie: String,
    pub gebruiker: String,
    pub soort: String,
    pub periode: NaiveDate,
    pub aantal: i64,
    pub limiet: i64,
    pub overschreden_op: Option<NaiveDateTime>,
}

impl Teller {
    pub fn overschreden(&self) -> Option<DateTime<Utc>> {
        self.overschreden_op.map(from_db)
    }
}

/// Count one look-up by `gebruiker` of `organisatie` on day `periode`, against `limiet`.
/// Returns the counter after counting; when this look-up is the first over the limit,
/// the crossing is stamped and the notification queued, inside the caller's transaction.
pub fn tel(
    conn: &mut DbConnection,
    organisatie: &str,
    gebruiker: &str,
    soort: Quotumsoort,
    periode: NaiveDate,
    limiet: i64,
    nu: DateTime<Utc>,
) -> QueryResult<Teller> {
    let sleutel = q::organisatie
        .eq(organisatie.to_string())
        .and(q::gebruiker.eq(gebruiker.to_string()))
        .and(q::soort.eq(soort.als_tekst()))
        .and(q::periode.eq(periode));
    let verhoog = |c: &mut DbConnection| {
        diesel::update(q::table.filter(sleutel.clone()))
            .set((q::aantal.eq(q::aantal + 1), q::limiet.eq(limiet)))
            .execute(c)
    };
    if verhoog(conn)? == 0 {
        // The first of the day. Two instances may race here: the loser's insert violates
        // the unique index (in a savepoint, so the transaction survives) and it counts on
        // the winner's row instead.
        let ingevoegd = conn.transaction(|c| {
            diesel::insert_into(q::table)
                .values((
                    q::id.eq(ids::new_id().to_string()),
                    q::organisatie.eq(organisatie),
                    q::gebruiker.eq(gebruiker),
                    q::soort.eq(soort.als_tekst()),
                    q::periode.eq(periode),
                    q::aantal.eq(1i64),
                    q::limiet.eq(limiet),
                ))
                .execute(c)
        });
        match ingevoegd {
            Ok(_) => {}
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                verhoog(conn)?;
            }
            Err(e) => return Err(e),
        }
    }
    let mut teller: Teller = q::table
        .filter(sleutel)
        .select(Teller::as_select())
        .first(conn)?;
    if teller.aantal > limiet && teller.overschreden_op.is_none() {
        let gestempeld = diesel::update(
            q::table
                .find(&teller.id)
                .filter(q::overschreden_op.is_null()),
        )
        .set(q::overschreden_op.eq(Some(to_db(nu))))
        .execute(conn)?;
        if gestempeld == 1 {
            teller.overschreden_op = Some(to_db(nu));
            outbox::enqueue(
                conn,
                &Gebeurtenis {
                    soort: SOORT_OVERSCHREDEN.into(),
                    organisatie: organisatie.into(),
                    onderwerp: teller.id.clone(),
                    dataref: format!("/api/v1/quotumoverschrijdingen/{}", teller.id),
                },
                nu,
            )?;
        }
    }
    Ok(teller)
}

/// A counter that crossed its limit, by id (the caller checks its organisation).
pub fn overschrijding(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Teller>> {
    q::table
        .find(id)
        .filter(q::overschreden_op.is_not_null())
        .select(Teller::as_select())
        .first(conn)
        .optional()
}

/// Remove (or with `proef`, only list) counters of days before `grens`, with the notices
/// about them (`SOORT_OVERSCHREDEN`) and their deliveries. Returns the ids of the
/// counters, of the notices and of the deliveries.
pub fn opruimen(
    conn: &mut DbConnection,
    grens: NaiveDate,
    proef: bool,
) -> QueryResult<(Vec<String>, Vec<String>, Vec<String>)> {
    let ids: Vec<String> = q::table
        .filter(q::periode.lt(grens))
        .select(q::id)
        .load(conn)?;
    let (berichten, bezorgd) = crate::outbox::verwijder_over(conn, &ids, proef)?;
    if !proef {
        diesel::delete(q::table.filter(q::periode.lt(grens))).execute(conn)?;
    }
    Ok((ids, berichten, bezorgd))
}
