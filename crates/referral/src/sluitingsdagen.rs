//! An organisation's own closed days (finding 11 of issue 14): Dutch calendar days on which
//! it does not work (a team day, the day after Ascension when its collective agreement
//! gives it off, a bridge day the Crown equated under Algemene termijnenwet art. 3 lid 3).
//! Its functional admin sets them; the feedback deadlines it owes skip them
//! (`kalender_van`, used by `termijnen::maak`).
//!
//! A closed day counts for deadlines computed after it was set: duties already recorded
//! keep the due time they were given (and their source), so the sender is never told one
//! deadline and held to another.
//!
//! Use cases: `opvragen` (every user of the organisation), `vastleggen` and `intrekken`
//! (its functional admin, `FUNCTIONEEL_BEHEERDER_STELT_IN`; audited, no personal data).

use crate::toegang;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::werkdagen::{Kalender, Kalendernaam};
use ketenregie_common::{Fout, Validatie};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::sluitingsdagen;

/// How far ahead a closed day may be set (years), so a typo in the
/// year does not silently close a day decades away.
pub const MAX_JAREN_VOORUIT: i64 = 5;

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
fn bewaar(
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
fn wis(conn: &mut DbConnection, organisatie: &str, datum: NaiveDate) -> QueryResult<bool> {
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

/// The date of a closed day as given (the path): a Dutch calendar day (YYYY-MM-DD) from
/// `vandaag` up to `MAX_JAREN_VOORUIT` years on. Problems go to `v` under `datum`.
pub fn nieuwe_dag(v: &mut Validatie, s: &str, vandaag: NaiveDate) -> Option<NaiveDate> {
    let d = v.datum("datum", Some(s), None)?;
    if d < vandaag {
        v.fout(
            "datum",
            "verleden",
            "een sluitingsdag ligt vandaag of later (termijnen die al lopen veranderen niet)",
        );
        return None;
    }
    if d > vandaag + Duration::days(366 * MAX_JAREN_VOORUIT) {
        v.fout(
            "datum",
            "te-ver-vooruit",
            format!("een sluitingsdag ligt hooguit {MAX_JAREN_VOORUIT} jaar vooruit"),
        );
        return None;
    }
    Some(d)
}

/// The audit object of the caller's organisation's closed day `datum`.
pub fn object(ctx: &Context, datum: impl std::fmt::Display) -> Object {
    Object {
        soort: "sluitingsdagen",
        id: datum.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// The caller's organisation's closed days from `vanaf` on, earliest first.
pub fn opvragen(
    conn: &mut DbConnection,
    ctx: &Context,
    vanaf: NaiveDate,
) -> Result<Vec<Sluitingsdag>, Fout> {
    Ok(van_organisatie(conn, &ctx.actor.organisatie, vanaf)?)
}

/// A closed day to set (checked: `nieuwe_dag`).
#[derive(Debug, Clone)]
pub struct NieuweSluitingsdag {
    pub datum: NaiveDate,
    /// Why, no personal data (at most 200 characters).
    pub omschrijving: String,
}

/// A closed day as set; `nieuw` when there was none on that day before.
#[derive(Debug, Clone)]
pub struct Vastgelegd {
    pub dag: Sluitingsdag,
    pub nieuw: bool,
}

/// Set (or re-describe) a closed day of the caller's organisation, by its functional
/// admin; audited with the old and new description.
pub fn vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    d: NieuweSluitingsdag,
) -> Result<Vastgelegd, Fout> {
    toegang::beheerder(&ctx.actor, "legt sluitingsdagen vast")?;
    let org = &ctx.actor.organisatie;
    let oud = bewaar(
        conn,
        org,
        d.datum,
        &d.omschrijving,
        &ctx.actor.gebruiker,
        ctx.nu,
    )?;
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: if oud.is_some() {
                "wijzigen"
            } else {
                "aanmaken"
            }
            .into(),
            object: object(ctx, d.datum),
            resultaat: if oud.is_some() { 200 } else { 201 },
            doorbraak: false,
            grondslag: None,
            oud: oud.as_ref().map(|o| serde_json::json!({"omschrijving": o})),
            nieuw: Some(serde_json::json!({"omschrijving": d.omschrijving})),
        },
    )?;
    let dag = van_organisatie(conn, org, d.datum)?
        .into_iter()
        .next()
        .ok_or(diesel::result::Error::NotFound)?;
    Ok(Vastgelegd {
        dag,
        nieuw: oud.is_none(),
    })
}

/// Remove a closed day of the caller's organisation, by its functional admin; audited.
/// No closed day on `datum`: `Fout::NietGevonden`.
pub fn intrekken(conn: &mut DbConnection, ctx: &Context, datum: NaiveDate) -> Result<(), Fout> {
    toegang::beheerder(&ctx.actor, "legt sluitingsdagen vast")?;
    if !wis(conn, &ctx.actor.organisatie, datum)? {
        return Err(Fout::NietGevonden(format!(
            "Er is geen sluitingsdag op {datum}"
        )));
    }
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: "verwijderen".into(),
            object: object(ctx, datum),
            resultaat: 204,
            doorbraak: false,
            grondslag: None,
            oud: None,
            nieuw: None,
        },
    )?;
    Ok(())
}
