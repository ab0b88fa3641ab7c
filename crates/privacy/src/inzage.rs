//! Inzage (DOMAIN.md §3 flow 7): a data subject asks an organisation what is recorded
//! about them. Each domain crate contributes what it holds through `InzageBron`; this
//! module adds the statements the person made and the processing log: who processed
//! their data, when, for which purpose and on which legal basis (never which employee).

use crate::eigen_verklaring;
use crate::logboek;
use crate::pseudoniem::Pseudonimiseerder;
use chrono::{DateTime, Utc};
use diesel::QueryResult;
use ketenregie_common::{Actor, OrganisatieSoort};
use ketenregie_store::DbConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One record from a source, already redacted for the requester.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageOnderdeel {
    /// The kind of record, e.g. "persoon", "incident", "zorgmelding".
    pub soort: String,
    pub id: String,
    /// The organisation responsible for it.
    pub eigenaar: String,
    /// The record as the subject may see it.
    #[schema(value_type = Object)]
    pub gegevens: serde_json::Value,
    /// What was withheld and why (e.g. the reporter's identity, police-only fields).
    pub achtergehouden: Vec<String>,
}

/// A domain crate's contribution to an inzage report.
pub trait InzageBron: Send + Sync {
    /// Everything the source holds on `persoon`, redacted for a requester of
    /// organisation `aanvrager` of kind `soort`: police-only fields are withheld from a
    /// non-police requester, and a reporter's identity where the law protects it.
    fn verzamel(
        &self,
        conn: &mut DbConnection,
        persoon: Uuid,
        aanvrager: &Actor,
        soort: Option<OrganisatieSoort>,
    ) -> QueryResult<Vec<InzageOnderdeel>>;

    /// The data subject's identity in the processing log, when `persoon` is a record id
    /// of this source that stands for an identity (the case registry logs persons by
    /// identity, so one person recorded by two organisations is one subject).
    fn identiteit(&self, _conn: &mut DbConnection, _persoon: Uuid) -> QueryResult<Option<Uuid>> {
        Ok(None)
    }
}

/// One processing of the subject's data, as shown to them.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageVerwerking {
    pub organisatie: String,
    /// The purpose of the processing.
    pub doel: String,
    pub grondslag: String,
    pub tijdstip: DateTime<Utc>,
    pub doorbraak: bool,
}

/// A statement the person added.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageVerklaring {
    pub id: Uuid,
    pub bij: String,
    pub tekst: String,
    pub vastgelegd_door: String,
    pub aangemaakt_op: DateTime<Utc>,
}

/// The report handed to the data subject.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageRapport {
    pub persoon: Uuid,
    pub opgesteld_door: String,
    pub opgesteld_op: DateTime<Utc>,
    pub gegevens: Vec<InzageOnderdeel>,
    pub eigen_verklaringen: Vec<InzageVerklaring>,
    pub verwerkingen: Vec<InzageVerwerking>,
}

/// Assemble the report from every source.
pub fn stel_op(
    conn: &mut DbConnection,
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    persoon: Uuid,
    bronnen: &[std::sync::Arc<dyn InzageBron>],
    pseudoniemen: &Pseudonimiseerder,
    nu: DateTime<Utc>,
) -> QueryResult<InzageRapport> {
    let mut gegevens = Vec::new();
    for b in bronnen {
        gegevens.extend(b.verzamel(conn, persoon, actor, soort)?);
    }
    let mut subject = None;
    for b in bronnen {
        if let Some(i) = b.identiteit(conn, persoon)? {
            subject = Some(i);
            break;
        }
    }
    let eigen_verklaringen = eigen_verklaring::van_betrokkene(conn, persoon)?
        .into_iter()
        .map(|v| InzageVerklaring {
            id: v.id,
            bij: format!("{}/{}", v.object_type, v.object_id),
            tekst: v.tekst,
            vastgelegd_door: v.vastgelegd_door,
            aangemaakt_op: v.aangemaakt_op,
        })
        .collect();
    let mut rijen = logboek::verwerkingen_van_betrokkene(conn, &pseudoniemen.van(persoon))?;
    if let Some(s) = subject.filter(|s| *s != persoon) {
        rijen.extend(logboek::verwerkingen_van_betrokkene(
            conn,
            &pseudoniemen.van(s),
        )?);
    }
    let verwerkingen = rijen
        .into_iter()
        .map(|r| InzageVerwerking {
            organisatie: r.organisatie,
            doel: r.activiteit,
            grondslag: r.grondslag,
            tijdstip: ketenregie_common::time::from_db(r.start_op),
            doorbraak: r.doorbraak,
        })
        .collect();
    Ok(InzageRapport {
        persoon,
        opgesteld_door: actor.organisatie.clone(),
        opgesteld_op: nu,
        gegevens,
        eigen_verklaringen,
        verwerkingen,
    })
}
