//! Feedback duties (DOMAIN.md §3 flow 3): every melding and hand-over task owes the sender
//! feedback at set moments, by a deadline in working days (`common::werkdagen`). The terms
//! come from the agreement between sender and receiver (`terugkoppelplichten`), else the
//! defaults below; acute meldingen have terms in hours. Working days are the receiver's:
//! the agreement's calendar (`kalendernaam`; the Algemene termijnenwet by default) minus
//! the receiver's own closed days (`sluitingsdagen`), counted in Dutch local time. The
//! receipt is met by the step that confirms it; a duty with content only by its feedback
//! item (`overgang::PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING`). Open duties lapse when
//! the task is cancelled or rejected.
//!
//! The feedback crate meets them with feedback items, chases them (reminders, escalation,
//! late notices: `herinnerd_op`, `geescaleerd_op`, `laat_gemeld_op`) and reports on them.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::werkdagen::{Kalender, Kalendernaam, nl_datum};
use ketenregie_privacy::convenant::{self, Convenant, Terugkoppelmoment};
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::termijnen;
use ketenregie_store::venster::{Pagina, Venster};
use uuid::Uuid;

/// A default term: in working days or in calendar weeks, the unit DOMAIN.md names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termijnduur {
    /// Working days of the receiver (`Kalender::plus_werkdagen`).
    Werkdagen(u32),
    /// Calendar weeks (`Kalender::plus_weken`, `TERMIJN_IN_WEKEN_EINDIGT_OP_WERKDAG`).
    Weken(u32),
}

/// `STANDAARD_TERMIJNEN`: the default terms when no agreement sets them, each in the unit
/// DOMAIN.md §3 flow 3 names ("sensible defaults: receipt acknowledged within 1 working
/// day, triage outcome within 5, final outcome within 10 weeks"; the sector norm "80% of
/// investigations within 10 weeks" of flow 2 is in calendar weeks). Ten weeks is not 50
/// working days: holidays and closed days would stretch that (hc finding F7).
pub const STANDAARD_TERMIJNEN: &[(Terugkoppelmoment, Termijnduur)] = &[
    (
        Terugkoppelmoment::Ontvangstbevestiging,
        Termijnduur::Werkdagen(1),
    ),
    (Terugkoppelmoment::NaBeoordeling, Termijnduur::Werkdagen(5)),
    (Terugkoppelmoment::Eindresultaat, Termijnduur::Weken(10)),
];

impl Termijnduur {
    /// The due time of this term for something sent at `van`, in calendar `kalender`.
    pub fn na(self, kalender: &Kalender, van: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Self::Werkdagen(n) => kalender.plus_werkdagen(van, n),
            Self::Weken(n) => kalender.plus_weken(van, n),
        }
    }
}

/// Default terms in hours for acute meldingen ("acute unsafety: at once").
pub const STANDAARD_ACUUT_UREN: &[(Terugkoppelmoment, u32)] = &[
    (Terugkoppelmoment::Ontvangstbevestiging, 1),
    (Terugkoppelmoment::NaBeoordeling, 4),
];

/// The moments owed with their due times, and where the terms come from.
pub type Plichten = (Vec<(Terugkoppelmoment, DateTime<Utc>)>, String);

/// The national calendar an agreement's feedback terms are counted in: the agreement's
/// `kalender` (`"algemene-termijnenwet"` or `"cao-lustrum"`); without an agreement the
/// Algemene termijnenwet (the default for statutory terms).
pub fn kalendernaam(convenant: Option<&Convenant>) -> Kalendernaam {
    convenant.map(|c| c.inhoud.kalender).unwrap_or_default()
}

/// The moments owed and their due times for a melding sent at `verzonden`, counted in
/// the receiver's working days (`sluitingsdagen::kalender_van`). The agreement the melding
/// travels under is the one in force at `verzonden` naming sender and receiver as parties:
/// the one that sets feedback duties when there is one, else the first by id (the order
/// decisions cite agreements in). Its terms apply (else `STANDAARD_TERMIJNEN`), in its calendar (else the Algemene
/// termijnenwet).
pub fn bepaal(
    conn: &mut DbConnection,
    afzender: &str,
    ontvanger: &str,
    acuut: bool,
    verzonden: DateTime<Utc>,
) -> QueryResult<Plichten> {
    let geldend: Vec<Convenant> = convenant::actief_voor(conn, afzender)?
        .into_iter()
        .filter(|c| c.van_kracht(verzonden) && c.is_partij(ontvanger))
        .collect();
    let plichten = geldend
        .iter()
        .find(|c| !c.inhoud.terugkoppelplichten.is_empty());
    let kalender: Kalender = crate::sluitingsdagen::kalender_van(
        conn,
        ontvanger,
        kalendernaam(plichten.or(geldend.first())),
        nl_datum(verzonden),
    )?;
    let (lijst, bron): (Vec<(Terugkoppelmoment, Termijnduur, Option<u32>)>, String) = match plichten
    {
        // An agreement's terms are in working days (`Terugkoppelplicht::binnen_werkdagen`).
        Some(c) => (
            c.inhoud
                .terugkoppelplichten
                .iter()
                .map(|p| {
                    (
                        p.moment,
                        Termijnduur::Werkdagen(p.binnen_werkdagen),
                        p.acuut_binnen_uren,
                    )
                })
                .collect(),
            format!("convenant {} v{}", c.id, c.versie),
        ),
        None => (
            STANDAARD_TERMIJNEN
                .iter()
                .map(|(m, d)| {
                    (
                        *m,
                        *d,
                        STANDAARD_ACUUT_UREN
                            .iter()
                            .find(|(a, _)| a == m)
                            .map(|(_, u)| *u),
                    )
                })
                .collect(),
            "standaardtermijnen".into(),
        ),
    };
    Ok((
        lijst
            .into_iter()
            .map(|(m, duur, uren)| {
                let due = match (acuut, uren) {
                    (true, Some(u)) => verzonden + Duration::hours(i64::from(u)),
                    _ => duur.na(&kalender, verzonden),
                };
                (m, due)
            })
            .collect(),
        bron,
    ))
}

/// `HERINNERING_NA_HALVE_TERMIJN`: a reminder on a duty goes out its lead
/// (`scanner.reminder_lead_hours`) before the deadline, but never before half the term
/// has passed. A one-working-day receipt duty, or an acute one of an hour, lies wholly
/// inside the 24-hour lead: without this floor the receiver would be reminded seconds
/// after the melding arrived, which teaches people to ignore reminders.
pub const HERINNERING_NA_HALVE_TERMIJN: &str = "HERINNERING_NA_HALVE_TERMIJN";

/// The earliest moment a reminder on a duty made at `aangemaakt` and due at
/// `verschuldigd` may go out: halfway (`HERINNERING_NA_HALVE_TERMIJN`). A deadline at
/// or before its making gives `aangemaakt`.
pub fn herinneren_vanaf(aangemaakt: DateTime<Utc>, verschuldigd: DateTime<Utc>) -> DateTime<Utc> {
    if verschuldigd <= aangemaakt {
        return aangemaakt;
    }
    aangemaakt + (verschuldigd - aangemaakt) / 2
}

/// Record the duties of a melding just sent.
pub fn maak(
    conn: &mut DbConnection,
    zorgmelding: Uuid,
    afzender: &str,
    ontvanger: &str,
    acuut: bool,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    let (plichten, bron) = bepaal(conn, afzender, ontvanger, acuut, nu)?;
    for (moment, due) in plichten {
        diesel::insert_into(termijnen::table)
            .values((
                termijnen::id.eq(ids::new_id().to_string()),
                termijnen::zorgmelding_id.eq(zorgmelding.to_string()),
                termijnen::afzender.eq(afzender),
                termijnen::ontvanger.eq(ontvanger),
                termijnen::moment.eq(moment.as_ref()),
                termijnen::verschuldigd_op.eq(to_db(due)),
                termijnen::bron.eq(&bron),
                termijnen::aangemaakt_op.eq(to_db(nu)),
                termijnen::herinneren_vanaf.eq(to_db(herinneren_vanaf(nu, due))),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Mark `moment` met (first time only).
pub fn voldaan(
    conn: &mut DbConnection,
    zorgmelding: Uuid,
    moment: Terugkoppelmoment,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        termijnen::table
            .filter(termijnen::zorgmelding_id.eq(zorgmelding.to_string()))
            .filter(termijnen::moment.eq(moment.as_ref()))
            .filter(termijnen::voldaan_op.is_null()),
    )
    .set(termijnen::voldaan_op.eq(Some(to_db(nu))))
    .execute(conn)
    .map(|_| ())
}

/// The task ended without delivering: open duties lapse.
pub fn vervallen(conn: &mut DbConnection, zorgmelding: Uuid, nu: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(
        termijnen::table
            .filter(termijnen::zorgmelding_id.eq(zorgmelding.to_string()))
            .filter(termijnen::voldaan_op.is_null())
            .filter(termijnen::vervallen_op.is_null()),
    )
    .set(termijnen::vervallen_op.eq(Some(to_db(nu))))
    .execute(conn)
    .map(|_| ())
}

/// One duty, its id, melding and moment read as their types.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = termijnen)]
pub struct Termijn {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    pub id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    pub zorgmelding_id: Uuid,
    pub afzender: String,
    pub ontvanger: String,
    #[diesel(deserialize_as = Tekst<Terugkoppelmoment>)]
    pub moment: Terugkoppelmoment,
    pub verschuldigd_op: chrono::NaiveDateTime,
    pub voldaan_op: Option<chrono::NaiveDateTime>,
    pub vervallen_op: Option<chrono::NaiveDateTime>,
    pub bron: String,
    pub aangemaakt_op: chrono::NaiveDateTime,
    /// Set by the deadline scanner (feedback crate) when it queued each notice.
    pub herinnerd_op: Option<chrono::NaiveDateTime>,
    pub geescaleerd_op: Option<chrono::NaiveDateTime>,
    pub laat_gemeld_op: Option<chrono::NaiveDateTime>,
    /// No reminder before this moment (`HERINNERING_NA_HALVE_TERMIJN`).
    pub herinneren_vanaf: chrono::NaiveDateTime,
}

impl Termijn {
    pub fn verschuldigd(&self) -> DateTime<Utc> {
        from_db(self.verschuldigd_op)
    }
    pub fn voldaan(&self) -> Option<DateTime<Utc>> {
        self.voldaan_op.map(from_db)
    }
    /// Late at `nu`: not met by its due time (met late, or still open past it).
    pub fn te_laat(&self, nu: DateTime<Utc>) -> bool {
        match self.voldaan() {
            Some(v) => v > self.verschuldigd(),
            None => self.vervallen_op.is_none() && nu > self.verschuldigd(),
        }
    }
}

/// The sort key of the open duties: due time, then id (earliest due first), read on the
/// partial indexes `(ontvanger | afzender, verschuldigd_op, id) WHERE voldaan_op IS NULL
/// AND vervallen_op IS NULL` (migration `2026-12-04-000401_h17lijst2_lijstindexen`).
pub type TermijnSleutel = (chrono::NaiveDateTime, String);

/// The cursor list name of `GET /termijnen` (`store::venster::Cursor`).
pub const LIJST: &str = "termijnen";

/// One page of the open duties owed by (`als_ontvanger`) or to `organisatie`, earliest
/// due first (so the overdue ones lead): keyset pagination on the open-duty index and a
/// bounded count (`store::venster`), so a page costs the same however many duties were
/// ever met.
pub fn open_voor(
    conn: &mut DbConnection,
    organisatie: &str,
    als_ontvanger: bool,
    v: &Venster<TermijnSleutel>,
) -> QueryResult<Pagina<Termijn, TermijnSleutel>> {
    let bouw = || {
        // `IS NULL` is SQL text, not a bound value, so both planners match the partial
        // indexes' condition.
        let q = termijnen::table
            .filter(termijnen::voldaan_op.is_null())
            .filter(termijnen::vervallen_op.is_null())
            .into_boxed();
        if als_ontvanger {
            q.filter(termijnen::ontvanger.eq(organisatie.to_string()))
        } else {
            q.filter(termijnen::afzender.eq(organisatie.to_string()))
        }
    };
    let rijen: Vec<Termijn> =
        ketenregie_store::venster_oplopend!(bouw(), v, termijnen::verschuldigd_op, termijnen::id)
            .offset(v.overslaan())
            .limit(v.op_te_halen())
            .select(Termijn::as_select())
            .load(conn)?;
    let telling = ketenregie_store::telling_oplopend!(
        conn,
        v,
        rijen.len(),
        bouw,
        termijnen::verschuldigd_op,
        termijnen::id
    )?;
    Ok(v.pagina(rijen, |t| (t.verschuldigd_op, t.id.to_string()), telling))
}

/// Every duty of one melding.
pub fn van_melding(conn: &mut DbConnection, zorgmelding: Uuid) -> QueryResult<Vec<Termijn>> {
    termijnen::table
        .filter(termijnen::zorgmelding_id.eq(zorgmelding.to_string()))
        .order(termijnen::verschuldigd_op)
        .select(Termijn::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn herinneren_vanaf_halverwege() {
        // One working day: halfway, 12 hours on.
        assert_eq!(
            herinneren_vanaf(t("2026-03-02T09:00:00Z"), t("2026-03-03T09:00:00Z")),
            t("2026-03-02T21:00:00Z")
        );
        // Acute receipt in one hour: half an hour on.
        assert_eq!(
            herinneren_vanaf(t("2026-03-02T09:00:00Z"), t("2026-03-02T10:00:00Z")),
            t("2026-03-02T09:30:00Z")
        );
        // A deadline already passed when made: no floor beyond its making.
        assert_eq!(
            herinneren_vanaf(t("2026-03-02T09:00:00Z"), t("2026-03-01T09:00:00Z")),
            t("2026-03-02T09:00:00Z")
        );
    }
}
