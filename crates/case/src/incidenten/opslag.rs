//! The incident rows and their queries: written encrypted (the place and summary as one
//! document, each statement on its own), read back typed.

use super::{
    Incident, IncidentKort, Incidentsoort, Verklaarder, Verklaring, Wederhoor, verwijzingen,
};
use crate::{gezinnen, personen};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Fout, Vertrouwelijkheid};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::{Tekst, TekstOptie};
use ketenregie_store::schema::{incident_betrokkenen, incidenten, verklaringen};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Inhoud {
    plaats: Option<String>,
    samenvatting: String,
}

/// Store incident `i` of `eigenaar` with its persons and statements; the persons and the
/// family must be its own.
pub fn voeg_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    eigenaar: &str,
    mut i: Incident,
    nu: DateTime<Utc>,
) -> Result<Incident, Fout> {
    personen::eigen_personen(conn, eigenaar, &verwijzingen(&i))?;
    if let Some(g) = i.gezin
        && !gezinnen::is_van(conn, eigenaar, g)?
    {
        return Err(Fout::veld(
            "gezin",
            "reference",
            format!("`gezin`: uw organisatie heeft geen gezin {g}"),
        ));
    }
    i.eigenaar = eigenaar.to_string();
    let inhoud = Inhoud {
        plaats: i.plaats.clone(),
        samenvatting: i.samenvatting.clone(),
    };
    diesel::insert_into(incidenten::table)
        .values((
            incidenten::id.eq(i.id.to_string()),
            incidenten::eigenaar.eq(eigenaar),
            incidenten::gezin_id.eq(i.gezin.map(|g| g.to_string())),
            incidenten::tijdstip.eq(to_db(i.tijdstip)),
            incidenten::gemeente.eq(&i.gemeente),
            incidenten::soort.eq(i.soort),
            incidenten::politie_referentie.eq(&i.politie_referentie),
            incidenten::inhoud
                .eq(v.versleutel(&serde_json::to_string(&inhoud).expect("serialises"))),
            incidenten::wederhoor.eq(i.wederhoor),
            incidenten::wederhoor_op.eq(i.wederhoor_op.map(to_db)),
            incidenten::vertrouwelijkheid.eq(i.vertrouwelijkheid.as_ref()),
            incidenten::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    for (p, rol) in &i.betrokkenen {
        diesel::insert_into(incident_betrokkenen::table)
            .values((
                incident_betrokkenen::incident_id.eq(i.id.to_string()),
                incident_betrokkenen::persoon_id.eq(p.to_string()),
                incident_betrokkenen::rol.eq(rol),
            ))
            .execute(conn)?;
    }
    for s in &mut i.verklaringen {
        s.vastgelegd_door = eigenaar.to_string();
        voeg_verklaring_in(conn, v, i.id, s, nu)?;
    }
    Ok(i)
}

pub(super) fn voeg_verklaring_in(
    conn: &mut DbConnection,
    v: &Versleuteling,
    incident: Uuid,
    s: &Verklaring,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(verklaringen::table)
        .values((
            verklaringen::id.eq(s.id.to_string()),
            verklaringen::incident_id.eq(incident.to_string()),
            verklaringen::persoon_id.eq(s.persoon.map(|p| p.to_string())),
            verklaringen::afgelegd_door.eq(s.afgelegd_door),
            verklaringen::tekst.eq(v.versleutel(&s.tekst)),
            verklaringen::afgelegd_op.eq(to_db(s.afgelegd_op)),
            verklaringen::vastgelegd_door.eq(&s.vastgelegd_door),
            verklaringen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A stored incident.
#[derive(Queryable, Selectable)]
#[diesel(table_name = incidenten)]
struct IncidentRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    eigenaar: String,
    #[diesel(deserialize_as = TekstOptie<Uuid>)]
    gezin_id: Option<Uuid>,
    tijdstip: chrono::NaiveDateTime,
    gemeente: Option<String>,
    soort: Incidentsoort,
    politie_referentie: String,
    inhoud: String,
    wederhoor: Wederhoor,
    wederhoor_op: Option<chrono::NaiveDateTime>,
    #[diesel(deserialize_as = Tekst<Vertrouwelijkheid>)]
    vertrouwelijkheid: Vertrouwelijkheid,
    versie: i64,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = incident_betrokkenen)]
struct BetrokkeneRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    incident_id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    persoon_id: Uuid,
    rol: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = verklaringen)]
struct VerklaringRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    #[diesel(deserialize_as = Tekst<Uuid>)]
    incident_id: Uuid,
    #[diesel(deserialize_as = TekstOptie<Uuid>)]
    persoon_id: Option<Uuid>,
    afgelegd_door: Verklaarder,
    tekst: String,
    afgelegd_op: chrono::NaiveDateTime,
    vastgelegd_door: String,
}

/// One incident by id, decrypted, with persons and statements.
pub fn vind(conn: &mut DbConnection, v: &Versleuteling, id: Uuid) -> QueryResult<Option<Incident>> {
    Ok(lees_veel(conn, v, &[id.to_string()])?.pop())
}

/// Incidents by id, decrypted, with persons and statements; newest first.
pub fn lees_veel(
    conn: &mut DbConnection,
    v: &Versleuteling,
    ids: &[String],
) -> QueryResult<Vec<Incident>> {
    let mut uit = Vec::new();
    for deel in ids.chunks(500) {
        let rijen: Vec<IncidentRij> = incidenten::table
            .filter(incidenten::id.eq_any(deel))
            .order(incidenten::tijdstip.desc())
            .select(IncidentRij::as_select())
            .load(conn)?;
        let betr: Vec<BetrokkeneRij> = incident_betrokkenen::table
            .filter(incident_betrokkenen::incident_id.eq_any(deel))
            .select(BetrokkeneRij::as_select())
            .load(conn)?;
        let verk: Vec<VerklaringRij> = verklaringen::table
            .filter(verklaringen::incident_id.eq_any(deel))
            .order(verklaringen::afgelegd_op.asc())
            .select(VerklaringRij::as_select())
            .load(conn)?;
        for r in rijen {
            let inhoud: Inhoud = v
                .ontsleutel(&r.inhoud)
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .ok_or_else(|| {
                    diesel::result::Error::DeserializationError(
                        format!("incident {} kan niet worden ontsleuteld", r.id).into(),
                    )
                })?;
            let verklaringen = verk
                .iter()
                .filter(|s| s.incident_id == r.id)
                .map(|s| {
                    Ok(Verklaring {
                        id: s.id,
                        afgelegd_door: s.afgelegd_door,
                        persoon: s.persoon_id,
                        tekst: v.ontsleutel(&s.tekst)?,
                        afgelegd_op: from_db(s.afgelegd_op),
                        afgelegd_op_gegeven: true,
                        vastgelegd_door: s.vastgelegd_door.clone(),
                    })
                })
                .collect::<QueryResult<Vec<_>>>()?;
            uit.push(Incident {
                betrokkenen: betr
                    .iter()
                    .filter(|b| b.incident_id == r.id)
                    .map(|b| (b.persoon_id, b.rol.clone()))
                    .collect(),
                verklaringen,
                id: r.id,
                eigenaar: r.eigenaar,
                gezin: r.gezin_id,
                tijdstip: from_db(r.tijdstip),
                gemeente: r.gemeente,
                plaats: inhoud.plaats,
                soort: r.soort,
                politie_referentie: r.politie_referentie,
                samenvatting: inhoud.samenvatting,
                wederhoor: r.wederhoor,
                wederhoor_op: r.wederhoor_op.map(from_db),
                vertrouwelijkheid: r.vertrouwelijkheid,
                versie: r.versie,
            });
        }
    }
    uit.sort_by_key(|i| std::cmp::Reverse(i.tijdstip));
    Ok(uit)
}

/// The incidents involving any of these persons or recorded in any of these families.
pub fn kort_van(
    conn: &mut DbConnection,
    persoon_ids: &[String],
    gezin_ids: &[String],
) -> QueryResult<Vec<IncidentKort>> {
    let mut incident_ids: Vec<String> = Vec::new();
    for deel in persoon_ids.chunks(500) {
        incident_ids.extend(
            incident_betrokkenen::table
                .filter(incident_betrokkenen::persoon_id.eq_any(deel))
                .select(incident_betrokkenen::incident_id)
                .load::<String>(conn)?,
        );
    }
    for deel in gezin_ids.chunks(500) {
        incident_ids.extend(
            incidenten::table
                .filter(incidenten::gezin_id.eq_any(deel))
                .select(incidenten::id)
                .load::<String>(conn)?,
        );
    }
    incident_ids.sort();
    incident_ids.dedup();
    let mut uit = Vec::new();
    for deel in incident_ids.chunks(500) {
        let rijen: Vec<KortRij> = incidenten::table
            .filter(incidenten::id.eq_any(deel))
            .select(KortRij::as_select())
            .load(conn)?;
        let verk: Vec<(Tekst<Uuid>, Verklaarder, TekstOptie<Uuid>)> = verklaringen::table
            .filter(verklaringen::incident_id.eq_any(deel))
            .select((
                verklaringen::incident_id,
                verklaringen::afgelegd_door,
                verklaringen::persoon_id,
            ))
            .load(conn)?;
        uit.extend(rijen.into_iter().map(|r| {
            IncidentKort {
                verklaarders: verk
                    .iter()
                    .filter(|s| s.0.0 == r.id)
                    .map(|s| (s.1, s.2.0))
                    .collect(),
                id: r.id,
                eigenaar: r.eigenaar,
                tijdstip: from_db(r.tijdstip),
                soort: r.soort,
                wederhoor: r.wederhoor,
                vertrouwelijkheid: r.vertrouwelijkheid,
            }
        }));
    }
    uit.sort_by_key(|i| std::cmp::Reverse(i.tijdstip));
    Ok(uit)
}

/// What the briefing reads of an incident.
#[derive(Queryable, Selectable)]
#[diesel(table_name = incidenten)]
struct KortRij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    eigenaar: String,
    tijdstip: chrono::NaiveDateTime,
    soort: Incidentsoort,
    wederhoor: Wederhoor,
    #[diesel(deserialize_as = Tekst<Vertrouwelijkheid>)]
    vertrouwelijkheid: Vertrouwelijkheid,
}
