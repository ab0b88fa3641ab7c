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

/// A search of the processing log of one organisation.
#[derive(Debug, Clone, Default)]
pub struct VerwerkingZoek {
    pub organisatie: String,
    /// Pseudonym of the subject.
    pub betrokkene: Option<String>,
    pub van: Option<DateTime<Utc>>,
    pub tot: Option<DateTime<Utc>>,
    pub doel: Option<Doel>,
    pub convenant: Option<Uuid>,
}

pub fn zoek_verwerkingen(
    conn: &mut DbConnection,
    z: &VerwerkingZoek,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<VerwerkingRij>, i64)> {
    // A subject re-derived under a new name normalisation was logged under its earlier
    // pseudonyms too (`herleiding`).
    let pseudoniemen = match &z.betrokkene {
        Some(b) => crate::herleiding::alle_pseudoniemen(conn, b)?,
        None => vec![],
    };
    let bouw = || {
        let mut q = verwerkingslog::table
            .filter(verwerkingslog::organisatie.eq(z.organisatie.clone()))
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
        q
    };
    let totaal = bouw().count().get_result(conn)?;
    let rijen = bouw()
        .order((verwerkingslog::start_op.desc(), verwerkingslog::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(VerwerkingRij::as_select())
        .load(conn)?;
    Ok((rijen, totaal))
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
