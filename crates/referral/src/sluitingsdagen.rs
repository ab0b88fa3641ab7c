//! An organisation's own closed days (finding 11 of issue 14): Dutch calendar days on which
//! it does not work (a team day, the day after Ascension when its collective agreement
//! gives it off, a bridge day the Crown equated under Algemene termijnenwet art. 3 lid 3).
//! Its functional admin sets them; the feedback deadlines it owes skip them
//! (`kalender_van`, used by `termijnen::maak`).
//!
//! A closed day counts for deadlines computed after it was set: duties already recorded
//! keep the due time they were given (and their source), so the sender is never told one
//! deadline and held to another.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::werkdagen::{Kalender, Kalendernaam};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::sluitingsdagen;

/// One closed day, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sluitingsdagen)]
pub struct Sluitingsdag {
    pub organisatie: String,
    /// A Dutch calendar day.
    pub datum: NaiveDate,
    /// Why (free text, no personal data), e.g. "teamdag".
    pub omschrijving: String,
    /// The user id of the functional admin who set it.
    pub vastgelegd_door: String,
    pub vastgelegd_op: chrono::NaiveDateTime,
}

impl Sluitingsdag {
    pub fn vastgelegd(&self) -> DateTime<Utc> {
        from_db(self.vastgelegd_op)
    }
}

/// The closed days of `organisatie` from `vanaf` on (inclusive), earliest first.
pub fn van_organisatie(
    conn: &mut DbConnection,
    organisatie: &str,
    vanaf: NaiveDate,
) -> QueryResult<Vec<Sluitingsdag>> {
    sluitingsdagen::table
        .filter(sluitingsdagen::organisatie.eq(organisatie))
        .filter(sluitingsdagen::datum.ge(vanaf))
        .order(sluitingsdagen::datum)
        .select(Sluitingsdag::as_select())
        .load(conn)
}

/// Set (or re-describe) a closed day; returns the previous description, if any.
pub fn zet(
    conn: &mut DbConnection,
    organisatie: &str,
    datum: NaiveDate,
    omschrijving: &str,
    door: &str,
    nu: DateTime<Utc>,
) -> QueryResult<Option<String>> {
    let oud: Option<String> = sluitingsdagen::table
        .find((organisatie, datum))
        .select(sluitingsdagen::omschrijving)
        .first(conn)
        .optional()?;
    if oud.is_some() {
        diesel::update(sluitingsdagen::table.find((organisatie, datum)))
            .set((
                sluitingsdagen::omschrijving.eq(omschrijving),
                sluitingsdagen::vastgelegd_door.eq(door),
                sluitingsdagen::vastgelegd_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(sluitingsdagen::table)
            .values((
                sluitingsdagen::organisatie.eq(organisatie),
                sluitingsdagen::datum.eq(datum),
                sluitingsdagen::omschrijving.eq(omschrijving),
                sluitingsdagen::vastgelegd_door.eq(door),
                sluitingsdagen::vastgelegd_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
    }
    Ok(oud)
}

/// Remove a closed day; returns whether there was one.
pub fn verwijder(
    conn: &mut DbConnection,
    organisatie: &str,
    datum: NaiveDate,
) -> QueryResult<bool> {
    diesel::delete(sluitingsdagen::table.find((organisatie, datum)))
        .execute(conn)
        .map(|n| n > 0)
}

/// The working-day calendar of `organisatie` for deadlines counted from Dutch day
/// `vanaf`: the national calendar `naam` plus its closed days from that day on.
pub fn kalender_van(
    conn: &mut DbConnection,
    organisatie: &str,
    naam: Kalendernaam,
    vanaf: NaiveDate,
) -> QueryResult<Kalender> {
    Ok(Kalender {
        naam,
        eigen_sluitingsdagen: van_organisatie(conn, organisatie, vanaf)?
            .into_iter()
            .map(|s| s.datum)
            .collect(),
    })
}
