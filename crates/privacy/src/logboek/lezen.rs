//! Reading the two logs back: an object's audit trail, the break-glass reads for review,
//! the processing log searched by subject, period, purpose and agreement (the privacy
//! officer's), and a subject's processing for an inzage report. Audit values stored
//! encrypted are decrypted here (`AuditRij::ontsleuteld`).

use super::{AuditInhoud, VerwerkingInhoud, tijd};
use crate::versleuteling::{SleutelFout, Versleuteling};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::Doel;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{audittrail, verwerkingslog};
use ketenregie_store::venster::{self, Pagina, Telling, Venster};
use serde::Serialize;
use uuid::Uuid;

/// One row of the audit trail, as read back.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audittrail)]
pub struct AuditRij {
    pub id: String,
    pub keten: String,
    pub volgnummer: i64,
    pub vorige_hash: String,
    pub hash: String,
    pub tijdstip: NaiveDateTime,
    pub trace_id: String,
    pub gebruiker: String,
    pub gebruiker_naam: String,
    pub organisatie: String,
    pub applicatie: String,
    pub actie: String,
    pub object_type: String,
    pub object_id: String,
    pub eigenaar: String,
    pub resultaat: i32,
    pub toelichting: Option<String>,
    pub doorbraak: bool,
    pub grondslag: Option<String>,
    pub oude_waarde: Option<String>,
    pub nieuwe_waarde: Option<String>,
}

impl AuditRij {
    /// The hashed content (every column but `hash`, canonical JSON).
    pub(crate) fn inhoud(&self) -> String {
        audit_inhoud!(self)
    }

    /// The row with its reason and old and new values decrypted (`AUDIT_VERSLEUTELD`;
    /// a value of a row written before the rule is read as it was stored). The hash
    /// fields stay as stored.
    pub fn ontsleuteld(mut self, v: &Versleuteling) -> Result<Self, SleutelFout> {
        self.toelichting = v.lees_kolom_optie(self.toelichting.as_deref())?;
        self.oude_waarde = v.lees_kolom_optie(self.oude_waarde.as_deref())?;
        self.nieuwe_waarde = v.lees_kolom_optie(self.nieuwe_waarde.as_deref())?;
        Ok(self)
    }

    pub fn tijdstip_utc(&self) -> DateTime<Utc> {
        from_db(self.tijdstip)
    }
}

/// The sort key of the log lists (the audit trail of an object, the break-glass reads, the
/// privacy officer's search): the row's time (`tijdstip` or `start_op`), then its id. Ids
/// are UUIDs, unique across both logs, so the key orders rows of both logs in one list.
pub type LogSleutel = (NaiveDateTime, String);

/// The cursor list name of `POST /verwerkingen/_zoek` (`store::venster::Cursor`).
pub const LIJST_ZOEK: &str = "verwerkingen";
/// The cursor list name of `GET /verwerkingen/doorbraken`.
pub const LIJST_DOORBRAKEN: &str = "doorbraken";
/// The cursor list name of an object's audit trail (`GET /convenanten/{id}/audittrail`).
pub const LIJST_AUDITTRAIL: &str = "audittrail";

/// A refused request in the audit trail: as SQL text, not a bound parameter, so that both
/// databases match it to the partial indexes `WHERE resultaat >= 400` (a planner cannot
/// prove a bound value meets an index's condition).
fn geweigerd() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql::<diesel::sql_types::Bool>("audittrail.resultaat >= 400")
}

/// The window each of several merged streams must read so that the merge can make the
/// page of `v`: the same cursor, and without one `offset + limiet` rows from the start.
fn ruim(v: &Venster<LogSleutel>) -> Venster<LogSleutel> {
    Venster {
        cursor: v.cursor.clone(),
        offset: 0,
        limiet: v.overslaan() + v.limiet,
    }
}

/// Merge streams each read in the query order of `v` (newest first forward, oldest first
/// backward; each at most `ruim(v).op_te_halen()` rows) into the rows of `v`'s page in
/// that order: at most `v.op_te_halen()` after skipping `v.overslaan()`, so
/// `Venster::pagina` can tell whether there is more. Every stream shares the list's order,
/// so one key (the cursor's) is the position in each of them.
fn voeg_samen<T>(
    v: &Venster<LogSleutel>,
    stromen: Vec<Vec<T>>,
    sleutel: impl Fn(&T) -> LogSleutel,
) -> Vec<T> {
    let mut rijen: Vec<T> = stromen.into_iter().flatten().collect();
    rijen.sort_by_key(|r| std::cmp::Reverse(sleutel(r)));
    if v.achteruit() {
        rijen.reverse();
    }
    rijen.dedup_by_key(|r| sleutel(r));
    rijen
        .into_iter()
        .skip(v.overslaan().max(0) as usize)
        .take(v.op_te_halen().max(0) as usize)
        .collect()
}

/// The bounded count of a list merged from streams with their own bounded counts: exact
/// when each is and the sum is within the cap; otherwise the cap, labelled inexact.
fn som(v: &Venster<LogSleutel>, gelezen: usize, tellingen: &[Telling]) -> Telling {
    if let Some(n) = venster::volledig(v, gelezen) {
        return Telling::exact(n as i64);
    }
    let n: i64 = tellingen.iter().map(|t| t.aantal).sum();
    if tellingen.iter().all(|t| t.exact) && n <= venster::TELLING_MAX {
        Telling::exact(n)
    } else {
        Telling::begrens(n.max(venster::TELLING_MAX + 1))
    }
}

/// The audit trail of one object (`soort`, `id`), oldest first, decrypted
/// (`AUDIT_VERSLEUTELD`): one page by keyset on the `(object_type, object_id, tijdstip,
/// id)` index, and the bounded count (`store::venster`).
pub fn audittrail_van(
    conn: &mut DbConnection,
    v: &Versleuteling,
    soort: &str,
    id: &str,
    venster: &Venster<LogSleutel>,
) -> QueryResult<Pagina<AuditRij, LogSleutel>> {
    use audittrail::{id as rij_id, tijdstip};
    let bouw = || {
        audittrail::table
            .filter(audittrail::object_type.eq(soort.to_string()))
            .filter(audittrail::object_id.eq(id.to_string()))
            .into_boxed()
    };
    // Oldest first: the mirror image of `venster_aflopend!`.
    let mut q = bouw();
    if let Some((t, i)) = venster.na() {
        q = q
            .filter(tijdstip.ge(*t))
            .filter(tijdstip.gt(*t).or(rij_id.gt(i.clone())));
    }
    if let Some((t, i)) = venster.voor() {
        q = q
            .filter(tijdstip.le(*t))
            .filter(tijdstip.lt(*t).or(rij_id.lt(i.clone())));
    }
    let q = if venster.achteruit() {
        q.order((tijdstip.desc(), rij_id.desc()))
    } else {
        q.order((tijdstip.asc(), rij_id.asc()))
    };
    let rijen = q
        .offset(venster.overslaan())
        .limit(venster.op_te_halen())
        .select(AuditRij::as_select())
        .load::<AuditRij>(conn)?
        .into_iter()
        .map(|r| r.ontsleuteld(v))
        .collect::<Result<Vec<_>, _>>()?;
    let telling = Telling::begrensd(
        conn,
        venster::volledig(venster, rijen.len()),
        |c| {
            Ok(bouw()
                .order((tijdstip.asc(), rij_id.asc()))
                .offset(venster::TELLING_MAX)
                .limit(1)
                .select(rij_id)
                .first::<String>(c)
                .optional()?
                .is_some())
        },
        |c| bouw().count().get_result(c),
    )?;
    Ok(venster.pagina(rijen, |r| (r.tijdstip, r.id.clone()), telling))
}

/// Break-glass reads touching `organisatie` (as reader or as owner), newest first,
/// decrypted (`AUDIT_VERSLEUTELD`): one page by keyset and the bounded count. The two
/// sides are read on their own partial indexes (`(organisatie, tijdstip, id)` and
/// `(eigenaar, tijdstip, id)`, both `WHERE doorbraak`) and merged: an `organisatie = o OR
/// eigenaar = o` query would sort every break-glass row of both sides.
pub fn doorbraken(
    conn: &mut DbConnection,
    v: &Versleuteling,
    organisatie: &str,
    venster: &Venster<LogSleutel>,
) -> QueryResult<Pagina<AuditRij, LogSleutel>> {
    use audittrail::{id as rij_id, tijdstip};
    let ruim = ruim(venster);
    let mut stromen = Vec::new();
    let mut tellingen = Vec::new();
    for als_lezer in [true, false] {
        let bouw = || {
            let q = audittrail::table.filter(audittrail::doorbraak).into_boxed();
            if als_lezer {
                q.filter(audittrail::organisatie.eq(organisatie.to_string()))
            } else {
                q.filter(audittrail::eigenaar.eq(organisatie.to_string()))
                    .filter(audittrail::organisatie.ne(organisatie.to_string()))
            }
        };
        let rijen: Vec<AuditRij> =
            ketenregie_store::venster_aflopend!(bouw(), &ruim, tijdstip, rij_id)
                .limit(ruim.op_te_halen())
                .select(AuditRij::as_select())
                .load(conn)?;
        tellingen.push(ketenregie_store::telling_aflopend!(
            conn,
            &ruim,
            rijen.len(),
            bouw,
            tijdstip,
            rij_id
        )?);
        stromen.push(rijen);
    }
    let sleutel = |r: &AuditRij| (r.tijdstip, r.id.clone());
    let rijen = voeg_samen(venster, stromen, sleutel);
    let telling = som(venster, rijen.len(), &tellingen);
    let rijen = rijen
        .into_iter()
        .map(|r| r.ontsleuteld(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(venster.pagina(rijen, sleutel, telling))
}

/// One row of the processing log, as read back.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = verwerkingslog)]
pub struct VerwerkingRij {
    pub id: String,
    pub keten: String,
    pub volgnummer: i64,
    pub vorige_hash: String,
    pub hash: String,
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: Option<String>,
    pub organisatie: String,
    pub activiteit: String,
    pub grondslag: String,
    pub convenant_id: Option<String>,
    pub convenant_versie: Option<i64>,
    pub betrokkene: String,
    pub resultaat: String,
    pub doorbraak: bool,
    pub start_op: NaiveDateTime,
    pub eind_op: NaiveDateTime,
}

impl VerwerkingRij {
    /// The hashed content (every column but `hash`, canonical JSON).
    pub(crate) fn inhoud(&self) -> String {
        verwerking_inhoud!(self)
    }
}

/// The outcome of a processing or of an attempt at one, as the privacy officer filters
/// on it: allowed by the rules, refused, or allowed by break-glass.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Uitkomst {
    Toegestaan,
    Geweigerd,
    Doorbraak,
}

/// A search of the log of one organisation: its processing log, and the refused attempts
/// of other organisations on its records (its audit trail).
#[derive(Debug, Clone, Default)]
pub struct VerwerkingZoek {
    pub organisatie: String,
    /// Pseudonyms of the subject (each also under its earlier pseudonyms, `herleiding`);
    /// empty for every subject.
    pub betrokkenen: Vec<String>,
    /// Audit objects (`object_type`, `object_id`) that stand for the subject itself (its
    /// person records, its identity): a refusal on one of them is about the subject.
    pub eigen_objecten: Vec<(String, String)>,
    pub van: Option<DateTime<Utc>>,
    pub tot: Option<DateTime<Utc>>,
    pub doel: Option<Doel>,
    pub convenant: Option<Uuid>,
    pub uitkomst: Option<Uitkomst>,
}

/// One row the privacy officer's search finds.
#[derive(Debug, Clone)]
pub enum Logregel {
    /// A processing of the organisation (processing log).
    Verwerking(VerwerkingRij),
    /// A refused attempt by another organisation on its records (audit trail,
    /// decrypted), with the subject's pseudonym when the search was for one.
    Weigering {
        rij: AuditRij,
        betrokkene: Option<String>,
    },
}

impl Logregel {
    pub fn tijdstip(&self) -> NaiveDateTime {
        match self {
            Logregel::Verwerking(r) => r.start_op,
            Logregel::Weigering { rij, .. } => rij.tijdstip,
        }
    }

    pub fn uitkomst(&self) -> Uitkomst {
        match self {
            Logregel::Verwerking(r) if r.doorbraak => Uitkomst::Doorbraak,
            Logregel::Verwerking(_) => Uitkomst::Toegestaan,
            Logregel::Weigering { .. } => Uitkomst::Geweigerd,
        }
    }

    /// Its position in the list (`LogSleutel`).
    pub fn sleutel(&self) -> LogSleutel {
        match self {
            Logregel::Verwerking(r) => (r.start_op, r.id.clone()),
            Logregel::Weigering { rij, .. } => (rij.tijdstip, rij.id.clone()),
        }
    }
}

/// One candidate object that passed `verwerkt_onder`.
#[derive(QueryableByName)]
struct Kandidaat {
    #[diesel(sql_type = diesel::sql_types::Text)]
    soort: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

/// Of the audit objects `kandidaten` (`(object_type, object_id)`, at most a few hundred:
/// callers chunk), those of organisation `org` the subject (`pseudoniemen`, not empty) had
/// data processed under: an allowed audit row (`resultaat` 200..=299) of `org` itself on
/// the object in a request (trace) that logged a processing of the subject in `org`'s own
/// log — its writing or reading of its record, with the subjects it logged then. Never
/// another organisation's request: that one request of a partner processed the subject
/// and touched the record (an inzage, a briefing) says nothing about whom the record is
/// about, and would tell `org` of a link it only knows from the partner's log
/// (`EEN_ORGANISATIE_ZICHT`; the outside test of 2 Dec 2026). One statement: the
/// candidates as a `VALUES` list of binds (columns `column1`, `column2` on both backends),
/// each probed with a correlated `EXISTS` over the audit rows of the object (index on
/// `(object_type, object_id)`) joined to the `(betrokkene, trace_id)` index, stopping at
/// its first hit (on PostgreSQL kept correlated by `OFFSET 0`: see below).
/// Errors: the database's.
fn verwerkt_onder(
    conn: &mut DbConnection,
    org: &str,
    pseudoniemen: &[String],
    kandidaten: &[&(String, String)],
) -> QueryResult<std::collections::HashSet<(String, String)>> {
    use diesel::sql_types::Text;
    use ketenregie_store::Backend;
    if kandidaten.is_empty() {
        return Ok(Default::default());
    }
    let pg = conn.backend() == Backend::Postgres;
    let mut n = 0;
    let mut p = || {
        n += 1;
        if pg { format!("${n}") } else { "?".to_string() }
    };
    // Placeholders numbered in the order they stand in the text, and bound in that order:
    // SQLite's `?` take their values by position in the text (the VALUES list first),
    // PostgreSQL's `$n` by number; only this order serves both.
    let waarden: Vec<String> = kandidaten
        .iter()
        .map(|_| format!("({}, {})", p(), p()))
        .collect();
    let betrokkenen: Vec<String> = pseudoniemen.iter().map(|_| p()).collect();
    let (org_a, org_v) = (p(), p());
    let sql = format!(
        "SELECT c.column1 AS soort, c.column2 AS id FROM (VALUES {}) AS c \
         WHERE EXISTS (SELECT 1 FROM audittrail a \
         JOIN verwerkingslog v ON v.trace_id = a.trace_id \
         WHERE a.object_type = c.column1 AND a.object_id = c.column2 \
         AND a.resultaat BETWEEN 200 AND 299 AND v.betrokkene IN ({}) \
         AND a.organisatie = {org_a} AND v.organisatie = {org_v}{})",
        waarden.join(", "),
        betrokkenen.join(", "),
        // PostgreSQL pulls a plain EXISTS up into a hash semi-join of every allowed audit
        // row of the objects with every trace of the subject (1.3 s at 300k reads, zoek.py);
        // OFFSET 0 keeps it a correlated subplan per candidate, which stops at its first
        // hit. SQLite runs a correlated EXISTS per row anyway (and has no bare OFFSET).
        if pg { " OFFSET 0" } else { "" }
    );
    let mut q = diesel::sql_query(sql).into_boxed::<ketenregie_store::conn::MultiBackend>();
    for (soort, id) in kandidaten {
        q = q.bind::<Text, _>(soort.clone()).bind::<Text, _>(id.clone());
    }
    for b in pseudoniemen {
        q = q.bind::<Text, _>(b.clone());
    }
    q = q
        .bind::<Text, _>(org.to_string())
        .bind::<Text, _>(org.to_string());
    let rijen: Vec<Kandidaat> = q.load(conn)?;
    Ok(rijen.into_iter().map(|k| (k.soort, k.id)).collect())
}

/// The refused attempts of `z` (in the query order of `v`, at most
/// `v.op_te_halen()` per stream) as streams with their bounded counts: attempts by other
/// organisations on the organisation's records, on the partial index `(eigenaar,
/// tijdstip, id) WHERE resultaat >= 400`.
///
/// About one subject: the attempts on an object the subject's data was processed under
/// (`verwerkt_onder`) or on the subject itself. The objects are found among the distinct
/// objects of the organisation's refused attempts in the period (their number grows with
/// the refusals, not with the subject's reads), then read per kind of object.
fn weigeringen(
    conn: &mut DbConnection,
    z: &VerwerkingZoek,
    pseudoniemen: &[String],
    v: &Venster<LogSleutel>,
) -> QueryResult<Vec<(Vec<AuditRij>, Telling)>> {
    use audittrail::{id as rij_id, tijdstip};
    // A refusal has no purpose and no agreement: none meets a filter on either.
    if z.doel.is_some()
        || z.convenant.is_some()
        || z.uitkomst.is_some_and(|u| u != Uitkomst::Geweigerd)
    {
        return Ok(vec![]);
    }
    let org = z.organisatie.clone();
    // The refused attempts of other organisations on its records (in its audit trail,
    // those answered as an unknown id included: the owner sees who probed its records).
    // Its own users' refused attempts stay out: they may be on another organisation's
    // records, or answered as an unknown id, and the row would tell what the answer did
    // not (`EEN_ORGANISATIE_ZICHT`); they are in the owners' trails, for their officers.
    let bouw = || {
        let mut q = audittrail::table
            .filter(audittrail::eigenaar.eq(org.clone()))
            .filter(geweigerd())
            .filter(audittrail::organisatie.ne(org.clone()))
            .into_boxed();
        if let Some(van) = z.van {
            q = q.filter(tijdstip.ge(to_db(van)));
        }
        if let Some(t) = z.tot {
            q = q.filter(tijdstip.lt(to_db(t)));
        }
        q
    };
    let stroom = |conn: &mut DbConnection,
                  soort_ids: Option<(&str, &[String])>|
     -> QueryResult<(Vec<AuditRij>, Telling)> {
        let gefilterd = || {
            let q = bouw();
            match soort_ids {
                Some((soort, ids)) => q
                    .filter(audittrail::object_type.eq(soort.to_string()))
                    .filter(audittrail::object_id.eq_any(ids.to_vec())),
                None => q,
            }
        };
        let rijen: Vec<AuditRij> =
            ketenregie_store::venster_aflopend!(gefilterd(), v, tijdstip, rij_id)
                .limit(v.op_te_halen())
                .select(AuditRij::as_select())
                .load(conn)?;
        let telling =
            ketenregie_store::telling_aflopend!(conn, v, rijen.len(), gefilterd, tijdstip, rij_id)?;
        Ok((rijen, telling))
    };
    if pseudoniemen.is_empty() {
        return Ok(vec![stroom(conn, None)?]);
    }
    let kandidaten: Vec<(String, String)> = bouw()
        .select((audittrail::object_type, audittrail::object_id))
        .distinct()
        .load(conn)?;
    let eigen = |(soort, id): &(String, String)| {
        z.eigen_objecten.iter().any(|(s, i)| s == soort && i == id)
    };
    let te_toetsen: Vec<&(String, String)> = kandidaten.iter().filter(|k| !eigen(k)).collect();
    let mut verwerkt = std::collections::HashSet::new();
    for deel in te_toetsen.chunks(500) {
        verwerkt.extend(verwerkt_onder(conn, &org, pseudoniemen, deel)?);
    }
    let mut per_soort: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for k in kandidaten {
        if eigen(&k) || verwerkt.contains(&k) {
            per_soort.entry(k.0).or_default().push(k.1);
        }
    }
    let mut uit = Vec::new();
    for (soort, ids) in &per_soort {
        for deel in ids.chunks(500) {
            uit.push(stroom(conn, Some((soort, deel)))?);
        }
    }
    Ok(uit)
}

/// The privacy officer's search of `z.organisatie`'s log: its processing-log rows (about
/// the subject, in the period, for the purpose, under the agreement, allowed or by
/// break-glass) and the refused attempts of other organisations on its records (audit
/// trail; about the subject: linked by trace, `verwerkt_onder`), newest first: one page of
/// window `venster` and the bounded count (`store::venster`).
///
/// Keyset over several streams: the processing log per pseudonym of the subject (on the
/// `(organisatie, betrokkene, start_op, id)` index; without a subject on `(organisatie,
/// start_op, id)`) and the refused attempts (`weigeringen`); each stream reads
/// `limiet + 1` rows after the cursor's key, and the merge (`voeg_samen`) makes the page.
/// The cursor's one key `(time, id)` is the position in every stream, as all share the
/// order. So a page costs the same for a subject read a million times as for one read once.
pub fn zoek_verwerkingen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    z: &VerwerkingZoek,
    venster: &Venster<LogSleutel>,
) -> QueryResult<Pagina<Logregel, LogSleutel>> {
    use verwerkingslog::{id as rij_id, start_op};
    // A subject re-derived under a new name normalisation was logged under its earlier
    // pseudonyms too (`herleiding`).
    let mut pseudoniemen = Vec::new();
    for b in &z.betrokkenen {
        for p in crate::herleiding::alle_pseudoniemen(conn, b)? {
            if !pseudoniemen.contains(&p) {
                pseudoniemen.push(p);
            }
        }
    }
    let ruim = ruim(venster);
    let mut stromen: Vec<Vec<Logregel>> = Vec::new();
    let mut tellingen = Vec::new();
    if z.uitkomst != Some(Uitkomst::Geweigerd) {
        let per_betrokkene: Vec<Option<&String>> = if pseudoniemen.is_empty() {
            vec![None]
        } else {
            pseudoniemen.iter().map(Some).collect()
        };
        for betrokkene in per_betrokkene {
            let bouw = || {
                let mut q = verwerkingslog::table
                    .filter(verwerkingslog::organisatie.eq(z.organisatie.clone()))
                    .filter(verwerkingslog::activiteit.ne(super::BEWARING_IJKPUNT))
                    .into_boxed();
                if let Some(b) = betrokkene {
                    q = q.filter(verwerkingslog::betrokkene.eq(b.clone()));
                }
                if let Some(v) = z.van {
                    q = q.filter(start_op.ge(to_db(v)));
                }
                if let Some(t) = z.tot {
                    q = q.filter(start_op.lt(to_db(t)));
                }
                if let Some(d) = z.doel {
                    q = q.filter(verwerkingslog::activiteit.eq(d.as_ref().to_string()));
                }
                if let Some(c) = z.convenant {
                    q = q.filter(verwerkingslog::convenant_id.eq(c.to_string()));
                }
                match z.uitkomst {
                    Some(Uitkomst::Toegestaan) => q = q.filter(verwerkingslog::doorbraak.eq(false)),
                    Some(Uitkomst::Doorbraak) => q = q.filter(verwerkingslog::doorbraak.eq(true)),
                    _ => {}
                }
                q
            };
            let rijen: Vec<VerwerkingRij> =
                ketenregie_store::venster_aflopend!(bouw(), &ruim, start_op, rij_id)
                    .limit(ruim.op_te_halen())
                    .select(VerwerkingRij::as_select())
                    .load(conn)?;
            tellingen.push(ketenregie_store::telling_aflopend!(
                conn,
                &ruim,
                rijen.len(),
                bouw,
                start_op,
                rij_id
            )?);
            stromen.push(rijen.into_iter().map(Logregel::Verwerking).collect());
        }
    }
    let betrokkene = pseudoniemen.first().cloned();
    for (rijen, telling) in weigeringen(conn, z, &pseudoniemen, &ruim)? {
        tellingen.push(telling);
        stromen.push(
            rijen
                .into_iter()
                .map(|rij| Logregel::Weigering {
                    rij,
                    betrokkene: betrokkene.clone(),
                })
                .collect(),
        );
    }
    let rijen = voeg_samen(venster, stromen, Logregel::sleutel);
    let telling = som(venster, rijen.len(), &tellingen);
    // Decrypt only the rows shown.
    let rijen = rijen
        .into_iter()
        .map(|r| match r {
            Logregel::Weigering { rij, betrokkene } => Ok(Logregel::Weigering {
                rij: rij.ontsleuteld(v)?,
                betrokkene,
            }),
            r => Ok(r),
        })
        .collect::<Result<Vec<_>, SleutelFout>>()?;
    Ok(venster.pagina(rijen, Logregel::sleutel, telling))
}

/// Every processing of one subject across organisations (for inzage), oldest first; with
/// the rows logged under the subject's earlier pseudonyms (`herleiding`).
pub fn verwerkingen_van_betrokkene(
    conn: &mut DbConnection,
    pseudoniem: &str,
) -> QueryResult<Vec<VerwerkingRij>> {
    let pseudoniemen = crate::herleiding::alle_pseudoniemen(conn, pseudoniem)?;
    verwerkingslog::table
        .filter(verwerkingslog::betrokkene.eq_any(pseudoniemen))
        .order((verwerkingslog::start_op, verwerkingslog::id))
        .select(VerwerkingRij::as_select())
        .load(conn)
}

/// How many distinct objects of kind `soort` (e.g. `briefings`) were acted on with
/// success in `[van, tot)`, per acting organisation: counts only, from the audit trail of
/// every organisation (the steering group's dashboard counts the briefings run).
pub fn tel_objecten(
    conn: &mut DbConnection,
    soort: &str,
    van: DateTime<Utc>,
    tot: DateTime<Utc>,
) -> QueryResult<std::collections::BTreeMap<String, i64>> {
    let rijen: Vec<(String, String)> = audittrail::table
        .filter(audittrail::object_type.eq(soort))
        .filter(audittrail::resultaat.lt(400))
        .filter(audittrail::tijdstip.ge(to_db(van)))
        .filter(audittrail::tijdstip.lt(to_db(tot)))
        .select((audittrail::organisatie, audittrail::object_id))
        .distinct()
        .load(conn)?;
    let mut uit = std::collections::BTreeMap::new();
    for (organisatie, _) in rijen {
        *uit.entry(organisatie).or_insert(0) += 1;
    }
    Ok(uit)
}
