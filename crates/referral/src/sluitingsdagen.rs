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
//! At most `MAX_PER_JAAR` closed days per calendar year (`SLUITINGSDAGEN_BEGRENSD`): they
//! stretch the deadlines the organisation owes others, which its agreements' parties set.
//! A day removed after a deadline it owes ran across it keeps counting
//! (`SLUITINGSDAG_TELT_NA_GEBRUIK`), so removing and re-setting days does not get round
//! the cap.
//!
//! Use cases: `opvragen` and `een` (every user of the organisation), `vastleggen` and
//! `intrekken` (its functional admin, `FUNCTIONEEL_BEHEERDER_STELT_IN`; audited, no
//! personal data). Each closed day has a version, its strong ETag; `vastleggen` and
//! `intrekken` take an `If-Match` precondition (RFC 9110 §13.1.1).

use crate::toegang;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::werkdagen::{Kalender, Kalendernaam};
use ketenregie_common::{Fout, IfMatch, Validatie};
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::sluitingsdagen;
use ketenregie_store::venster::{Pagina, Venster};

/// How far ahead a closed day may be set (years), so a typo in the
/// year does not silently close a day decades away.
pub const MAX_JAREN_VOORUIT: i64 = 5;

/// The rule's name: an organisation sets at most `MAX_PER_JAAR` closed days per calendar
/// year (`SLUITINGSDAGEN_BEGRENSD`).
pub const SLUITINGSDAGEN_BEGRENSD: &str = "SLUITINGSDAGEN_BEGRENSD";

/// The most closed days an organisation may set in one calendar year. Why a cap: its
/// closed days stretch the feedback deadlines it owes others (DOMAIN.md §3 flow 3:
/// "Deadlines are set per agreement"), and the agreement's parties never agreed to an
/// unbounded stretch; a receiver that closed twenty days in a row would switch off the
/// reminders and escalation of every melding sent to it. Ten covers what the closed days
/// are for (the Crown's bridge days under Algemene termijnenwet art. 3 lid 3, usually one
/// or two a year; collective days off such as the week between Christmas and New Year, a
/// team day) and bounds the stretch to two working weeks a year. A product decision, not
/// a figure from law: an organisation that needs more asks its agreement's parties to
/// change the terms.
pub const MAX_PER_JAAR: i64 = 10;

/// The rule's name: a closed day removed after a deadline the organisation owes ran across
/// it (a duty it received before the day ended, due after the day began) still counts
/// toward the year's `MAX_PER_JAAR` (`SLUITINGSDAGEN_BEGRENSD`). It stays as a tombstone
/// (`ingetrokken_op`): no longer a closed day for deadlines or lists, still one of the ten.
/// Why: the deadlines computed while it stood keep their due time (see above), so an admin
/// who closed the next ten working days and removed each before it came would stretch
/// every incoming melding's deadlines by two weeks, all year, without ever closing (outside
/// tester, round three). A day removed before any deadline ran across it (a typo, plans
/// changed early) frees its place. Setting the same day again revives the tombstone
/// without counting twice.
pub const SLUITINGSDAG_TELT_NA_GEBRUIK: &str = "SLUITINGSDAG_TELT_NA_GEBRUIK";

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
    /// Raised by every change: the strong ETag that `If-Match` names (RFC 9110 §13.1.1).
    pub versie: i64,
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
        .filter(sluitingsdagen::ingetrokken_op.is_null())
        .order(sluitingsdagen::datum)
        .select(Sluitingsdag::as_select())
        .load(conn)
}

/// The closed day of `organisatie` on `datum`, if there is one (a tombstone of
/// `SLUITINGSDAG_TELT_NA_GEBRUIK` is none).
fn zoek(
    conn: &mut DbConnection,
    organisatie: &str,
    datum: NaiveDate,
) -> QueryResult<Option<Sluitingsdag>> {
    Ok(zoek_ook_ingetrokken(conn, organisatie, datum)?
        .and_then(|(d, ingetrokken)| (!ingetrokken).then_some(d)))
}

/// The row of `organisatie` on `datum`, a closed day or a tombstone (`true`).
fn zoek_ook_ingetrokken(
    conn: &mut DbConnection,
    organisatie: &str,
    datum: NaiveDate,
) -> QueryResult<Option<(Sluitingsdag, bool)>> {
    let rij: Option<(Sluitingsdag, Option<chrono::NaiveDateTime>)> = sluitingsdagen::table
        .find((organisatie, datum))
        .select((Sluitingsdag::as_select(), sluitingsdagen::ingetrokken_op))
        .first(conn)
        .optional()?;
    Ok(rij.map(|(d, i)| (d, i.is_some())))
}

/// A precondition on a day that has no closed day: `If-Match` names a current
/// representation, and there is none (RFC 9110 §13.1.1), so only its absence holds.
fn geen_huidige(voorwaarde: &IfMatch, datum: NaiveDate) -> Result<(), Fout> {
    match voorwaarde {
        IfMatch::Geen => Ok(()),
        _ => Err(Fout::VoorwaardeMislukt(format!(
            "If-Match noemt een huidige versie, maar er is geen sluitingsdag op {datum}"
        ))),
    }
}

/// Set (or re-describe) a closed day under precondition `voorwaarde`; returns the
/// previous description, if any. Checked and changed in one conditional statement, so of
/// two writers of one version one gets `VoorwaardeMislukt`.
fn bewaar(
    conn: &mut DbConnection,
    organisatie: &str,
    d: &NieuweSluitingsdag,
    door: &str,
    nu: DateTime<Utc>,
    voorwaarde: &IfMatch,
) -> Result<Option<String>, Fout> {
    let rij = zoek_ook_ingetrokken(conn, organisatie, d.datum)?;
    if let Some((graf, true)) = rij {
        // SLUITINGSDAG_TELT_NA_GEBRUIK: the tombstone already counts toward the year.
        geen_huidige(voorwaarde, d.datum)?;
        let n = diesel::update(
            sluitingsdagen::table
                .find((organisatie, d.datum))
                .filter(sluitingsdagen::versie.eq(graf.versie)),
        )
        .set((
            sluitingsdagen::omschrijving.eq(&d.omschrijving),
            sluitingsdagen::vastgelegd_door.eq(door),
            sluitingsdagen::vastgelegd_op.eq(to_db(nu)),
            sluitingsdagen::versie.eq(graf.versie + 1),
            sluitingsdagen::ingetrokken_op.eq(None::<chrono::NaiveDateTime>),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(intussen_gewijzigd(graf.versie));
        }
        return Ok(None);
    }
    let Some((oud, _)) = rij else {
        geen_huidige(voorwaarde, d.datum)?;
        binnen_jaargrens(conn, organisatie, d.datum)?;
        diesel::insert_into(sluitingsdagen::table)
            .values((
                sluitingsdagen::organisatie.eq(organisatie),
                sluitingsdagen::datum.eq(d.datum),
                sluitingsdagen::omschrijving.eq(&d.omschrijving),
                sluitingsdagen::vastgelegd_door.eq(door),
                sluitingsdagen::vastgelegd_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
        return Ok(None);
    };
    voorwaarde
        .controleer(oud.versie, "de sluitingsdag")
        .map_err(Fout::VoorwaardeMislukt)?;
    let n = diesel::update(
        sluitingsdagen::table
            .find((organisatie, d.datum))
            .filter(sluitingsdagen::versie.eq(oud.versie)),
    )
    .set((
        sluitingsdagen::omschrijving.eq(&d.omschrijving),
        sluitingsdagen::vastgelegd_door.eq(door),
        sluitingsdagen::vastgelegd_op.eq(to_db(nu)),
        sluitingsdagen::versie.eq(oud.versie + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(intussen_gewijzigd(oud.versie));
    }
    Ok(Some(oud.omschrijving))
}

/// `SLUITINGSDAGEN_BEGRENSD`: a new closed day on `datum` keeps the organisation within
/// `MAX_PER_JAAR` closed days in `datum`'s calendar year, tombstones of
/// `SLUITINGSDAG_TELT_NA_GEBRUIK` included; a 422 naming `datum` otherwise.
/// Counted under a lock on (organisation, year), so two simultaneous new days cannot both
/// pass a count of `MAX_PER_JAAR - 1`: on PostgreSQL a transaction advisory lock, released
/// at commit or rollback; SQLite takes its one write lock when the transaction begins.
fn binnen_jaargrens(
    conn: &mut DbConnection,
    organisatie: &str,
    datum: NaiveDate,
) -> Result<(), Fout> {
    use chrono::Datelike;
    let jaar = datum.year();
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("sluitingsdagen:{organisatie}:{jaar}"))
            .execute(pg)?;
    }
    let (begin, eind) = (
        NaiveDate::from_ymd_opt(jaar, 1, 1).expect("1 January exists"),
        NaiveDate::from_ymd_opt(jaar, 12, 31).expect("31 December exists"),
    );
    let n: i64 = sluitingsdagen::table
        .filter(sluitingsdagen::organisatie.eq(organisatie))
        .filter(sluitingsdagen::datum.between(begin, eind))
        .count()
        .get_result(conn)?;
    if n >= MAX_PER_JAAR {
        return Err(Fout::veld(
            "datum",
            "te-veel",
            format!(
                "{SLUITINGSDAGEN_BEGRENSD}: uw organisatie heeft in dit jaar al {MAX_PER_JAAR} sluitingsdagen, het hoogste aantal (ook een ingetrokken dag waarover al een termijn liep telt mee, {SLUITINGSDAG_TELT_NA_GEBRUIK}); sluitingsdagen verlengen de termijnen die u anderen verschuldigd bent"
            ),
        ));
    }
    Ok(())
}

fn intussen_gewijzigd(versie: i64) -> Fout {
    Fout::VoorwaardeMislukt(format!(
        "de sluitingsdag is intussen gewijzigd (versie {versie} is niet meer de huidige); haal haar opnieuw op"
    ))
}

/// Remove a closed day under precondition `voorwaarde`; returns whether there was one.
/// A day a deadline already ran across stays as a tombstone (`SLUITINGSDAG_TELT_NA_GEBRUIK`).
fn wis(
    conn: &mut DbConnection,
    organisatie: &str,
    datum: NaiveDate,
    voorwaarde: &IfMatch,
    nu: DateTime<Utc>,
) -> Result<bool, Fout> {
    let Some(oud) = zoek(conn, organisatie, datum)? else {
        return Ok(false);
    };
    voorwaarde
        .controleer(oud.versie, "de sluitingsdag")
        .map_err(Fout::VoorwaardeMislukt)?;
    let deze = sluitingsdagen::table
        .find((organisatie, datum))
        .filter(sluitingsdagen::versie.eq(oud.versie));
    let n = if gebruikt(conn, organisatie, datum)? {
        diesel::update(deze)
            .set((
                sluitingsdagen::ingetrokken_op.eq(Some(to_db(nu))),
                sluitingsdagen::versie.eq(oud.versie + 1),
            ))
            .execute(conn)?
    } else {
        diesel::delete(deze).execute(conn)?
    };
    if n == 0 {
        return Err(intussen_gewijzigd(oud.versie));
    }
    Ok(true)
}

/// `SLUITINGSDAG_TELT_NA_GEBRUIK`: has a deadline `organisatie` owes run across Dutch day
/// `datum`: a duty it received before the day ended and due after the day began? Judged
/// by the duties alone (not by when the day was set), so it errs towards counting.
fn gebruikt(conn: &mut DbConnection, organisatie: &str, datum: NaiveDate) -> QueryResult<bool> {
    use ketenregie_common::werkdagen::begin_van_dag;
    use ketenregie_store::schema::termijnen as t;
    diesel::select(diesel::dsl::exists(
        t::table
            .filter(t::ontvanger.eq(organisatie))
            .filter(t::aangemaakt_op.lt(to_db(begin_van_dag(datum + Duration::days(1)))))
            .filter(t::verschuldigd_op.gt(to_db(begin_van_dag(datum)))),
    ))
    .get_result(conn)
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
    let d = v.opzoekdatum("datum", Some(s))?;
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

/// The cursor list name of `GET /sluitingsdagen` (`store::venster::Cursor`).
pub const LIJST: &str = "sluitingsdagen";

/// One page of the caller's organisation's closed days from `vanaf` on, earliest first:
/// keyset on the day (unique per organisation) on the primary key `(organisatie, datum)`,
/// and the bounded count (`store::venster`).
pub fn opvragen(
    conn: &mut DbConnection,
    ctx: &Context,
    vanaf: NaiveDate,
    v: &Venster<NaiveDate>,
) -> Result<Pagina<Sluitingsdag, NaiveDate>, Fout> {
    let organisatie = ctx.actor.organisatie.clone();
    let bouw = || {
        sluitingsdagen::table
            .filter(sluitingsdagen::organisatie.eq(organisatie.clone()))
            .filter(sluitingsdagen::datum.ge(vanaf))
            .filter(sluitingsdagen::ingetrokken_op.is_null())
            .into_boxed()
    };
    let mut q = bouw();
    if let Some(d) = v.na() {
        q = q.filter(sluitingsdagen::datum.gt(*d));
    }
    if let Some(d) = v.voor() {
        q = q.filter(sluitingsdagen::datum.lt(*d));
    }
    let q = if v.achteruit() {
        q.order(sluitingsdagen::datum.desc())
    } else {
        q.order(sluitingsdagen::datum.asc())
    };
    let rijen: Vec<Sluitingsdag> = q
        .offset(v.overslaan())
        .limit(v.op_te_halen())
        .select(Sluitingsdag::as_select())
        .load(conn)?;
    let telling = ketenregie_store::telling!(
        conn,
        v,
        rijen.len(),
        bouw,
        sluitingsdagen::datum.asc(),
        sluitingsdagen::datum,
        NaiveDate
    )?;
    Ok(v.pagina(rijen, |d| d.datum, telling))
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
/// admin, when `voorwaarde` (`If-Match`) holds; audited with the old and new description.
pub fn vastleggen(
    conn: &mut DbConnection,
    ctx: &Context,
    d: NieuweSluitingsdag,
    voorwaarde: &IfMatch,
) -> Result<Vastgelegd, Fout> {
    toegang::beheerder(&ctx.actor, "legt sluitingsdagen vast")?;
    let org = &ctx.actor.organisatie;
    let oud = bewaar(conn, org, &d, &ctx.actor.gebruiker, ctx.nu, voorwaarde)?;
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

/// The caller's organisation's closed day on `datum`; none: `Fout::NietGevonden`.
pub fn een(conn: &mut DbConnection, ctx: &Context, datum: NaiveDate) -> Result<Sluitingsdag, Fout> {
    zoek(conn, &ctx.actor.organisatie, datum)?
        .ok_or_else(|| Fout::NietGevonden("Er is geen sluitingsdag op deze datum".into()))
}

/// Remove a closed day of the caller's organisation, by its functional admin, when
/// `voorwaarde` (`If-Match`) holds; audited. No closed day on `datum`: `Fout::NietGevonden`.
pub fn intrekken(
    conn: &mut DbConnection,
    ctx: &Context,
    datum: NaiveDate,
    voorwaarde: &IfMatch,
) -> Result<(), Fout> {
    toegang::beheerder(&ctx.actor, "legt sluitingsdagen vast")?;
    if !wis(conn, &ctx.actor.organisatie, datum, voorwaarde, ctx.nu)? {
        return Err(Fout::NietGevonden(
            "Er is geen sluitingsdag op deze datum".into(),
        ));
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
