//! Eigen verklaringen (DOMAIN.md §3 flow 8, Jeugdwet art. 7.3.8) on the case registry's
//! records that hold personal data beyond the person record itself: an incident and a
//! beschikking. This module finds the record (without decrypting it), checks that the
//! caller's organisation holds it (`VERKLARING_DOOR_HOUDER`: its owner, or one that
//! received the owner's data on its persons through the service; any other organisation
//! hears an unknown id, the refusal in the owner's trail) and names whose statement it
//! is (`door`: a person the record names, and for an organisation that is not its owner
//! one whose data it received from the owner: `VERKLARING_VOOR_ONTVANGEN_PERSOON`); the statement itself, the privacy officer's
//! role, the decision and the logs are `ketenregie_privacy::verantwoording::verklaringen`.
//! The record is never altered. (A person record's statements go through the inzage
//! sources: `ketenregie_privacy::verantwoording::verklaringen::voeg_toe`.)
//!
//! Reading the statements is a read of the record (`VERKLARING_LEZEN_ALS_RECORD`,
//! `ketenregie_privacy::verantwoording::verklaringen`): the list use cases answer through
//! the record's own read (`incidenten::lees`, `personen::lees`, the family dossier's
//! decision for a beschikking), not through whether the caller holds it.
//!
//! Use cases: `incident_voeg_toe`, `incident_lijst` (`/incidenten/{id}/eigen-verklaringen`),
//! `beschikking_voeg_toe`, `beschikking_lijst` (`/beschikkingen/{id}/eigen-verklaringen`),
//! `persoon_lijst` (`GET /personen/{id}/eigen-verklaringen`).

use crate::incidenten::INCIDENT;
use crate::{gezinnen, toegang};
use diesel::prelude::*;
use ketenregie_common::Fout;
use ketenregie_privacy::Context;
use ketenregie_privacy::eigen_verklaring::{EigenVerklaring, EigenVerklaringWeergave, Recordsoort};
use ketenregie_privacy::verantwoording::InzageBronnen;
use ketenregie_privacy::verantwoording::verklaringen::{self, Record, Spreker, Verklaringsinvoer};
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::{self, Tekst};
use ketenregie_store::schema::{
    beschikkingen, incident_betrokkenen, incidenten, personen,
    verklaringen as incident_verklaringen,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The kind of record, as named in a 404.
pub const BESCHIKKING: &str = "beschikking";

/// A record with the persons it names: (person record id, their role in the record).
struct Gevonden {
    record: Record,
    personen: Vec<(Uuid, String)>,
    /// The identity of each person named.
    identiteiten: BTreeMap<Uuid, Uuid>,
}

impl Gevonden {
    fn betrokkenen(&self) -> Vec<Uuid> {
        let mut b: Vec<Uuid> = self.identiteiten.values().copied().collect();
        b.sort();
        b.dedup();
        b
    }

    /// `door`: the person of the record whose statement it is, by their person id; a 422
    /// naming `door` otherwise (a rule of the record, not of the schema: `door` is
    /// optional there; `wat`: the record with its article, "dit incident"). The ids the
    /// record allows are listed only to its owner: an organisation that holds it through
    /// what it received need not be able to read it (`VERKLARING_LEZEN_ALS_RECORD`), so
    /// it hears no person ids from it (`EEN_ORGANISATIE_ZICHT`), and it may name only a
    /// person whose data it received from the owner
    /// (`VERKLARING_VOOR_ONTVANGEN_PERSOON`): a person the record names but whose data it
    /// never received gets the same 422 as a person the record does not name, so the
    /// answer tells it nothing about the record's persons it did not already have.
    fn spreker(
        &self,
        conn: &mut DbConnection,
        ctx: &Context,
        door: Option<&str>,
        wat: &str,
    ) -> Result<Spreker, Fout> {
        let eigen = self.record.eigenaar == ctx.actor.organisatie;
        let mut gekozen = door
            .and_then(ketenregie_common::ids::lees_uuid)
            .and_then(|p| {
                self.personen
                    .iter()
                    .find(|(q, _)| *q == p)
                    .map(|(q, rol)| (*q, rol.clone()))
            });
        if !eigen && let Some((persoon, _)) = &gekozen {
            let ontvangen = match self.identiteiten.get(persoon) {
                Some(b) => verklaringen::houdt(conn, ctx, &self.record.eigenaar, &[*b])?,
                None => false,
            };
            if !ontvangen {
                gekozen = None;
            }
        }
        let Some((persoon, rol)) = gekozen else {
            let detail = if !eigen {
                format!(
                    "`door` is het id van een persoon die {wat} noemt en van wie uw organisatie gegevens van de eigenaar ontving"
                )
            } else if self.personen.is_empty() {
                format!("`door` is het id van een persoon die {wat} noemt: {wat} noemt niemand")
            } else {
                let ids: Vec<String> = self.personen.iter().map(|(p, _)| p.to_string()).collect();
                format!(
                    "`door` is het id van een persoon die {wat} noemt: {}",
                    ids.join(", ")
                )
            };
            return Err(Fout::veld("door", "reference", detail));
        };
        let betrokkene = *self
            .identiteiten
            .get(&persoon)
            .ok_or_else(|| Fout::intern("persoon zonder identiteit"))?;
        Ok(Spreker {
            door: rol,
            betrokkene,
            persoon: Some(persoon),
        })
    }
}

/// The identities (`betrokkene`) of these person records, in one query.
fn identiteiten(conn: &mut DbConnection, ids: &[Uuid]) -> QueryResult<BTreeMap<Uuid, Uuid>> {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let rijen: Vec<(Tekst<Uuid>, String)> = personen::table
        .filter(personen::id.eq_any(&ids))
        .select((personen::id, personen::betrokkene))
        .load(conn)?;
    rijen
        .into_iter()
        .map(|(id, b)| Ok((id.0, kolom::rij(kolom::uuid(&b))?)))
        .collect()
}

/// The caller's organisation holds the record (`VERKLARING_DOOR_HOUDER`), or the answer
/// for an unknown id.
fn gehouden(
    conn: &mut DbConnection,
    ctx: &Context,
    g: Gevonden,
    wat: &str,
) -> Result<Gevonden, Fout> {
    if verklaringen::houdt(conn, ctx, &g.record.eigenaar, &g.betrokkenen())? {
        Ok(g)
    } else {
        Err(verklaringen::niet_gehouden(ctx, wat, &g.record.eigenaar))
    }
}

/// Incident `id` with the persons it names: its betrokkenen with their role, and who made
/// a statement in it (as `afgelegdDoor` says); nothing decrypted.
fn incident(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Gevonden, Fout> {
    let eigenaar: String = incidenten::table
        .find(id.to_string())
        .select(incidenten::eigenaar)
        .first(conn)
        .optional()?
        .ok_or_else(|| toegang::onbekend(INCIDENT))?;
    let mut personen_: Vec<(Uuid, String)> = incident_betrokkenen::table
        .filter(incident_betrokkenen::incident_id.eq(id.to_string()))
        .select((incident_betrokkenen::persoon_id, incident_betrokkenen::rol))
        .load::<(Tekst<Uuid>, String)>(conn)?
        .into_iter()
        .map(|(p, r)| (p.0, r))
        .collect();
    let sprekers: Vec<(Option<String>, String)> = incident_verklaringen::table
        .filter(incident_verklaringen::incident_id.eq(id.to_string()))
        .select((
            incident_verklaringen::persoon_id,
            incident_verklaringen::afgelegd_door,
        ))
        .load(conn)?;
    for (p, door) in sprekers {
        if let Some(p) = p.and_then(|p| p.parse::<Uuid>().ok())
            && !personen_.iter().any(|(q, _)| *q == p)
        {
            personen_.push((p, door));
        }
    }
    let ids: Vec<Uuid> = personen_.iter().map(|(p, _)| *p).collect();
    let g = Gevonden {
        record: Record {
            soort: Recordsoort::Incident,
            id,
            eigenaar,
        },
        identiteiten: identiteiten(conn, &ids)?,
        personen: personen_,
    };
    gehouden(conn, ctx, g, INCIDENT)
}

/// Beschikking `id`'s owner and family, or the answer to an unknown id.
fn eigenaar_en_gezin(conn: &mut DbConnection, id: Uuid) -> Result<(String, Tekst<Uuid>), Fout> {
    beschikkingen::table
        .find(id.to_string())
        .select((beschikkingen::eigenaar, beschikkingen::gezin_id))
        .first(conn)
        .optional()?
        .ok_or_else(|| toegang::onbekend(BESCHIKKING))
}

/// Beschikking `id` with the members of its family (by their relation); nothing
/// decrypted.
fn beschikking(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Gevonden, Fout> {
    let (eigenaar, gezin) = eigenaar_en_gezin(conn, id)?;
    let personen_: Vec<(Uuid, String)> = gezinnen::vind(conn, gezin.0)?
        .map(|g| {
            g.leden
                .iter()
                .map(|l| (l.persoon, l.relatie.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let ids: Vec<Uuid> = personen_.iter().map(|(p, _)| *p).collect();
    let g = Gevonden {
        record: Record {
            soort: Recordsoort::Beschikking,
            id,
            eigenaar,
        },
        identiteiten: identiteiten(conn, &ids)?,
        personen: personen_,
    };
    gehouden(conn, ctx, g, BESCHIKKING)
}

/// `POST /incidenten/{id}/eigen-verklaringen`: the own statement of a person the incident
/// names (`door`: their person id), through an organisation that holds the incident.
pub fn incident_voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    let g = incident(conn, ctx, id)?;
    verklaringen::mag_vastleggen(conn, ctx, &g.record.eigenaar)?;
    let spreker = g.spreker(conn, ctx, invoer.door.as_deref(), "dit incident")?;
    verklaringen::leg_vast(conn, ctx, &g.record, spreker, invoer)
}

/// `GET /incidenten/{id}/eigen-verklaringen`: the statements on the incident the caller
/// sees with it, as a read of the incident (`VERKLARING_LEZEN_ALS_RECORD`: `GET
/// /incidenten/{id}`'s decision, 404 and logs).
pub fn incident_lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    crate::incidenten::verklaringen(conn, ctx, id)
}

/// `POST /beschikkingen/{id}/eigen-verklaringen`: the own statement of a member of the
/// decision's family (`door`: their person id), through an organisation that holds it.
pub fn beschikking_voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    let g = beschikking(conn, ctx, id)?;
    verklaringen::mag_vastleggen(conn, ctx, &g.record.eigenaar)?;
    let spreker = g.spreker(conn, ctx, invoer.door.as_deref(), "deze beschikking")?;
    verklaringen::leg_vast(conn, ctx, &g.record, spreker, invoer)
}

/// `GET /beschikkingen/{id}/eigen-verklaringen`: the statements on the decision the
/// caller sees with it, as a read of the decision (`VERKLARING_LEZEN_ALS_RECORD`): a
/// decision is read in its family's dossier (`GET /gezinnen/{id}`), which shows it only
/// where category `gezag-en-omgang` is allowed, so this is that read with the category
/// required (`gezinnen::lees_beschikking`: the same decision, 404 and logs).
pub fn beschikking_lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    let (eigenaar, gezin) = eigenaar_en_gezin(conn, id)?;
    gezinnen::beschikking_verklaringen(conn, ctx, gezin.0, id, &eigenaar)
}

/// `GET /personen/{id}/eigen-verklaringen`: the statements on person record `id` as a read
/// of it (`VERKLARING_LEZEN_ALS_RECORD`: `GET /personen/{id}`'s decision, 404 and logs);
/// for an id that is no person record but an identity the caller's organisation holds
/// data on, the statements it recorded on it itself
/// (`verklaringen::lijst_bij_identiteit`).
pub fn persoon_lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    bronnen: &InzageBronnen,
    id: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    let record: i64 = personen::table
        .find(id.to_string())
        .count()
        .get_result(conn)?;
    if record > 0 {
        crate::personen::verklaringen(conn, ctx, id)
    } else {
        verklaringen::lijst_bij_identiteit(conn, ctx, bronnen, id)
    }
}
