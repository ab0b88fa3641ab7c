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
        serde_json::to_string(&AuditInhoud {
            id: &self.id,
            keten: &self.keten,
            volgnummer: self.volgnummer,
            tijdstip: tijd(self.tijdstip),
            trace_id: &self.trace_id,
            gebruiker: &self.gebruiker,
            gebruiker_naam: &self.gebruiker_naam,
            organisatie: &self.organisatie,
            applicatie: &self.applicatie,
            actie: &self.actie,
            object_type: &self.object_type,
            object_id: &self.object_id,
            eigenaar: &self.eigenaar,
            resultaat: self.resultaat,
            toelichting: self.toelichting.as_deref(),
            doorbraak: self.doorbraak,
            grondslag: self.grondslag.as_deref(),
            oude_waarde: self.oude_waarde.as_deref(),
            nieuwe_waarde: self.nieuwe_waarde.as_deref(),
        })
        .expect("serialises")
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

/// The audit trail of one object, oldest first, decrypted (`AUDIT_VERSLEUTELD`).
pub fn audittrail_van(
    conn: &mut DbConnection,
    v: &Versleuteling,
    soort: &str,
    id: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditRij>, i64)> {
    let totaal = audittrail::table
        .filter(audittrail::object_type.eq(soort))
        .filter(audittrail::object_id.eq(id))
        .count()
        .get_result(conn)?;
    let rijen = audittrail::table
        .filter(audittrail::object_type.eq(soort))
        .filter(audittrail::object_id.eq(id))
        .order((audittrail::tijdstip, audittrail::id))
        .offset(offset)
        .limit(limit)
        .select(AuditRij::as_select())
        .load::<AuditRij>(conn)?
        .into_iter()
        .map(|r| r.ontsleuteld(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rijen, totaal))
}

/// Break-glass reads touching `organisatie` (as reader or as owner), newest first,
/// decrypted (`AUDIT_VERSLEUTELD`).
pub fn doorbraken(
    conn: &mut DbConnection,
    v: &Versleuteling,
    organisatie: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditRij>, i64)> {
    let filter = audittrail::doorbraak.eq(true).and(
        audittrail::organisatie
            .eq(organisatie.to_string())
            .or(audittrail::eigenaar.eq(organisatie.to_string())),
    );
    let totaal = audittrail::table
        .filter(filter.clone())
        .count()
        .get_result(conn)?;
    let rijen = audittrail::table
        .filter(filter)
        .order((audittrail::tijdstip.desc(), audittrail::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(AuditRij::as_select())
        .load::<AuditRij>(conn)?
        .into_iter()
        .map(|r| r.ontsleuteld(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rijen, totaal))
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
        serde_json::to_string(&VerwerkingInhoud {
            id: &self.id,
            keten: &self.keten,
            volgnummer: self.volgnummer,
            trace_id: &self.trace_id,
            span_id: &self.span_id,
            parent_span_id: self.parent_span_id.as_deref(),
            organisatie: &self.organisatie,
            activiteit: &self.activiteit,
            grondslag: &self.grondslag,
            convenant_id: self.convenant_id.as_deref(),
            convenant_versie: self.convenant_versie,
            betrokkene: &self.betrokkene,
            resultaat: &self.resultaat,
            doorbraak: self.doorbraak,
            start_op: tijd(self.start_op),
            eind_op: tijd(self.eind_op),
        })
        .expect("serialises")
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

    fn id(&self) -> &str {
        match self {
            Logregel::Verwerking(r) => &r.id,
            Logregel::Weigering { rij, .. } => &rij.id,
        }
    }
}

/// The audit objects the subject's data was processed under (linked by trace: an allowed
/// audit row in a request that logged a processing of one of `pseudoniemen`, in any
/// organisation's log), so that a refused attempt on one of them is an attempt on the
/// subject's data.
fn objecten_van(
    conn: &mut DbConnection,
    pseudoniemen: &[String],
) -> QueryResult<std::collections::BTreeSet<(String, String)>> {
    let traces: Vec<String> = verwerkingslog::table
        .filter(verwerkingslog::betrokkene.eq_any(pseudoniemen))
        .select(verwerkingslog::trace_id)
        .distinct()
        .load(conn)?;
    let mut uit = std::collections::BTreeSet::new();
    for deel in traces.chunks(500) {
        uit.extend(
            audittrail::table
                .filter(audittrail::trace_id.eq_any(deel))
                .filter(audittrail::resultaat.between(200, 299))
                .select((audittrail::object_type, audittrail::object_id))
                .distinct()
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(uit)
}

/// The refused attempts of `z` (newest first): at most `tot_aantal` rows, and the total:
/// attempts by other organisations on the organisation's records.
fn weigeringen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    z: &VerwerkingZoek,
    pseudoniemen: &[String],
    tot_aantal: i64,
) -> QueryResult<(Vec<Logregel>, i64)> {
    // A refusal has no purpose and no agreement: none meets a filter on either.
    if z.doel.is_some()
        || z.convenant.is_some()
        || z.uitkomst.is_some_and(|u| u != Uitkomst::Geweigerd)
    {
        return Ok((vec![], 0));
    }
    let org = z.organisatie.clone();
    // The refused attempts of other organisations on its records (in its audit trail,
    // those answered as an unknown id included: the owner sees who probed its records).
    // Its own users' refused attempts stay out: they may be on another organisation's
    // records, or answered as an unknown id, and the row would tell what the answer did
    // not (`EEN_ORGANISATIE_ZICHT`); they are in the owners' trails, for their officers.
    let bouw = || {
        let mut q = audittrail::table
            .filter(audittrail::resultaat.ge(400))
            .filter(audittrail::eigenaar.eq(org.clone()))
            .filter(audittrail::organisatie.ne(org.clone()))
            .into_boxed();
        if let Some(van) = z.van {
            q = q.filter(audittrail::tijdstip.ge(to_db(van)));
        }
        if let Some(t) = z.tot {
            q = q.filter(audittrail::tijdstip.lt(to_db(t)));
        }
        q
    };
    if pseudoniemen.is_empty() {
        let totaal = bouw().count().get_result(conn)?;
        let rijen = bouw()
            .order((audittrail::tijdstip.desc(), audittrail::id.desc()))
            .limit(tot_aantal)
            .select(AuditRij::as_select())
            .load::<AuditRij>(conn)?;
        let rijen = rijen
            .into_iter()
            .map(|r| {
                Ok(Logregel::Weigering {
                    rij: r.ontsleuteld(v)?,
                    betrokkene: None,
                })
            })
            .collect::<Result<Vec<_>, SleutelFout>>()?;
        return Ok((rijen, totaal));
    }
    // About one subject: refusals on an object its data was processed under, or on the
    // subject itself.
    let mut objecten = objecten_van(conn, pseudoniemen)?;
    objecten.extend(z.eigen_objecten.iter().cloned());
    let ids: Vec<String> = objecten
        .iter()
        .map(|(_, id)| id.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut rijen: Vec<AuditRij> = Vec::new();
    for deel in ids.chunks(500) {
        rijen.extend(
            bouw()
                .filter(audittrail::object_id.eq_any(deel))
                .select(AuditRij::as_select())
                .load::<AuditRij>(conn)?
                .into_iter()
                .filter(|r| objecten.contains(&(r.object_type.clone(), r.object_id.clone()))),
        );
    }
    rijen.sort_by(|a, b| (b.tijdstip, &b.id).cmp(&(a.tijdstip, &a.id)));
    let totaal = rijen.len() as i64;
    let betrokkene = pseudoniemen.first().cloned();
    let rijen = rijen
        .into_iter()
        .take(tot_aantal.max(0) as usize)
        .map(|r| {
            Ok(Logregel::Weigering {
                rij: r.ontsleuteld(v)?,
                betrokkene: betrokkene.clone(),
            })
        })
        .collect::<Result<Vec<_>, SleutelFout>>()?;
    Ok((rijen, totaal))
}

/// The privacy officer's search of `z.organisatie`'s log: its processing-log rows (about
/// the subject, in the period, for the purpose, under the agreement, allowed or by
/// break-glass) and the refused attempts of other organisations on its records (audit
/// trail; about the subject: linked by trace, `objecten_van`), newest first; a page of
/// `limit` from `offset`, and the total.
pub fn zoek_verwerkingen(
    conn: &mut DbConnection,
    v: &Versleuteling,
    z: &VerwerkingZoek,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Logregel>, i64)> {
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
    let bouw = || {
        let mut q = verwerkingslog::table
            .filter(verwerkingslog::organisatie.eq(z.organisatie.clone()))
            .filter(verwerkingslog::activiteit.ne(super::BEWARING_IJKPUNT))
            .into_boxed();
        if !pseudoniemen.is_empty() {
            q = q.filter(verwerkingslog::betrokkene.eq_any(pseudoniemen.clone()));
        }
        if let Some(v) = z.van {
            q = q.filter(verwerkingslog::start_op.ge(to_db(v)));
        }
        if let Some(t) = z.tot {
            q = q.filter(verwerkingslog::start_op.lt(to_db(t)));
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
    let tot_aantal = offset.saturating_add(limit);
    let (mut regels, mut totaal) = if z.uitkomst == Some(Uitkomst::Geweigerd) {
        (vec![], 0)
    } else {
        let totaal: i64 = bouw().count().get_result(conn)?;
        let rijen = bouw()
            .order((verwerkingslog::start_op.desc(), verwerkingslog::id.desc()))
            .limit(tot_aantal)
            .select(VerwerkingRij::as_select())
            .load::<VerwerkingRij>(conn)?;
        (
            rijen
                .into_iter()
                .map(Logregel::Verwerking)
                .collect::<Vec<_>>(),
            totaal,
        )
    };
    let (weigeringen, n) = weigeringen(conn, v, z, &pseudoniemen, tot_aantal)?;
    totaal += n;
    regels.extend(weigeringen);
    // One order over both logs: newest first.
    regels.sort_by(|a, b| (b.tijdstip(), b.id()).cmp(&(a.tijdstip(), a.id())));
    let pagina = regels
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit.max(0) as usize)
        .collect();
    Ok((pagina, totaal))
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
