//! `Dossierbron`: the retention of the case registry's dossiers (see the module above).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use ketenregie_privacy::bewaring::{
    Bewaarbron, Bewaargrond, GI_DOSSIER_VANAF_MEERDERJARIG, Houdertermijnen, Verwijderd,
};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::{
    beschikkingen, betrokkenheden, gezag, gezinnen, gezinsleden, incident_betrokkenen, incidenten,
    personen, regelingen, verklaringen,
};
use uuid::Uuid;

/// The case registry's retention source for its dossiers: incidents with their
/// statements, court decisions, arrangements, gezag, families and persons. Runs after
/// `Coordinatiebron`, so a person whose last reference was an involvement that lapsed goes
/// in the same run; a dry run, which removes nothing, counts such a person at the next.
#[derive(Debug, Clone, Copy)]
pub struct Dossierbron;

/// A date as the start of that day (UTC), to count a term from.
fn dag(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The identities of person records `ids` (for the processing log).
fn identiteiten(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Uuid>> {
    let mut uit = Vec::new();
    for deel in ids.chunks(500) {
        uit.extend(
            personen::table
                .filter(personen::id.eq_any(deel))
                .select(personen::betrokkene)
                .load::<Tekst<Uuid>>(conn)?
                .into_iter()
                .map(|t| t.0),
        );
    }
    uit.sort();
    uit.dedup();
    Ok(uit)
}

/// The person records of family `gezin`.
fn leden(conn: &mut DbConnection, gezin: &str) -> QueryResult<Vec<String>> {
    gezinsleden::table
        .filter(gezinsleden::gezin_id.eq(gezin))
        .select(gezinsleden::persoon_id)
        .load(conn)
}

/// The children (relation `kind`) of family `gezin`.
fn kinderen_van(conn: &mut DbConnection, gezin: &str) -> QueryResult<Vec<String>> {
    gezinsleden::table
        .filter(gezinsleden::gezin_id.eq(gezin))
        .filter(gezinsleden::relatie.eq("kind"))
        .select(gezinsleden::persoon_id)
        .load(conn)
}

/// When a record's term starts: its own date `datum`, and for an owner whose case
/// records are a GI dossier (`GI_DOSSIER_VANAF_MEERDERJARIG`) the 18th birthday of the
/// youngest of `kinderen` (the children the record is about) when that is later. The
/// dates of birth are stored encrypted (`personen.gegevens`) and read with the run's key
/// (`v`); `None` (keep the record) where one cannot be read: no key, a child's record
/// gone or not decryptable. A GI record about no child counts from its own date.
fn vanaf(
    conn: &mut DbConnection,
    t: &mut Houdertermijnen,
    v: Option<&Versleuteling>,
    eigenaar: &str,
    datum: DateTime<Utc>,
    kinderen: &[String],
) -> QueryResult<Option<DateTime<Utc>>> {
    if t.dossier(conn, eigenaar)?.regel != GI_DOSSIER_VANAF_MEERDERJARIG || kinderen.is_empty() {
        return Ok(Some(datum));
    }
    let Some(v) = v else { return Ok(None) };
    let rijen: Vec<crate::personen::PersoonRij> = personen::table
        .filter(personen::id.eq_any(kinderen))
        .select(crate::personen::PersoonRij::as_select())
        .load(conn)?;
    let mut jongste: Option<NaiveDate> = None;
    for k in kinderen {
        let Some(r) = rijen.iter().find(|r| &r.id == k) else {
            return Ok(None);
        };
        let Ok(p) = r.clone().ontsleutel(v) else {
            return Ok(None);
        };
        jongste = jongste.max(Some(p.gegevens.geboortedatum));
    }
    // The 18th birthday: of age on it (BW 1:233; one born on 29 February on 1 March).
    let Some(meerderjarig) = jongste.and_then(|g| {
        let m = g.checked_add_months(chrono::Months::new(18 * 12))?;
        if crate::gezag::meerderjarig_op(g, m) {
            Some(m)
        } else {
            m.succ_opt()
        }
    }) else {
        return Ok(None);
    };
    Ok(Some(datum.max(dag(meerderjarig))))
}

/// The statements on the removed records of `soort`, as rows going with them.
fn verklaringen_mee(
    conn: &mut DbConnection,
    soort: &str,
    weg: &[(String, Bewaargrond)],
    proef: bool,
) -> QueryResult<Vec<Verwijderd>> {
    let mut uit = Vec::new();
    for (id, g) in weg {
        for (v, _) in ketenregie_privacy::eigen_verklaring::verwijder_bij(
            conn,
            soort,
            std::slice::from_ref(id),
            proef,
        )? {
            uit.push(Verwijderd::mee("eigen-verklaringen", v, g));
        }
    }
    Ok(uit)
}

impl Bewaarbron for Dossierbron {
    fn soorten(&self) -> &'static [&'static str] {
        &[
            "incidenten",
            "verklaringen",
            "gezag",
            "regelingen",
            "beschikkingen",
            "gezinnen",
            "personen",
            "eigen-verklaringen",
        ]
    }

    /// Without the key no child's date of birth can be read: a GI dossier's records are
    /// kept (`vanaf`).
    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> QueryResult<Vec<Verwijderd>> {
        ruim_op(conn, nu, proef, None)
    }

    fn ruim_op_met_sleutel(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
        versleuteling: &Versleuteling,
    ) -> QueryResult<Vec<Verwijderd>> {
        ruim_op(conn, nu, proef, Some(versleuteling))
    }
}

/// `Dossierbron::ruim_op`, with the run's key when it has one (`vanaf`).
fn ruim_op(
    conn: &mut DbConnection,
    nu: DateTime<Utc>,
    proef: bool,
    v: Option<&Versleuteling>,
) -> QueryResult<Vec<Verwijderd>> {
    let grens = nu - Duration::days(ketenregie_privacy::bewaring::kortste_dossiertermijn(conn)?);
    let grens_db = ketenregie_common::time::to_db(grens);
    let grens_dag = grens.date_naive();
    let mut t = Houdertermijnen::default();
    let mut uit = Vec::new();

    // Incidents, from when they happened; their persons and statements with them.
    let rijen: Vec<(String, String, chrono::NaiveDateTime)> = incidenten::table
        .filter(incidenten::tijdstip.lt(grens_db))
        .select((incidenten::id, incidenten::eigenaar, incidenten::tijdstip))
        .load(conn)?;
    let mut weg = Vec::new();
    for (id, eigenaar, tijdstip) in rijen {
        let Some(g) = t.verstreken(
            conn,
            std::slice::from_ref(&eigenaar),
            ketenregie_common::time::from_db(tijdstip),
            nu,
        )?
        else {
            continue;
        };
        let persons: Vec<String> = incident_betrokkenen::table
            .filter(incident_betrokkenen::incident_id.eq(&id))
            .select(incident_betrokkenen::persoon_id)
            .load(conn)?;
        let stmts: Vec<String> = verklaringen::table
            .filter(verklaringen::incident_id.eq(&id))
            .select(verklaringen::id)
            .load(conn)?;
        uit.extend(stmts.iter().map(|v| Verwijderd::mee("verklaringen", v, &g)));
        uit.push(Verwijderd {
            organisaties: vec![eigenaar],
            object_type: "incidenten",
            object_id: id.clone(),
            betrokkenen: identiteiten(conn, &persons)?,
            grond: g.clone(),
            aantal: 1,
        });
        weg.push((id, g));
    }
    uit.extend(verklaringen_mee(conn, "incidenten", &weg, proef)?);
    if !proef {
        for (id, _) in &weg {
            diesel::delete(verklaringen::table.filter(verklaringen::incident_id.eq(id)))
                .execute(conn)?;
            diesel::delete(
                incident_betrokkenen::table.filter(incident_betrokkenen::incident_id.eq(id)),
            )
            .execute(conn)?;
            diesel::delete(incidenten::table.find(id)).execute(conn)?;
        }
    }

    // Gezag, from its last verification.
    let rijen: Vec<(String, String, String, NaiveDate)> = gezag::table
        .filter(gezag::geverifieerd_op.lt(grens_dag))
        .select((
            gezag::id,
            gezag::eigenaar,
            gezag::kind_id,
            gezag::geverifieerd_op,
        ))
        .load(conn)?;
    let mut weg = Vec::new();
    for (id, eigenaar, kind, geverifieerd) in rijen {
        let kinderen = std::slice::from_ref(&kind);
        let Some(sinds) = vanaf(conn, &mut t, v, &eigenaar, dag(geverifieerd), kinderen)? else {
            continue;
        };
        let Some(g) = t.verstreken(conn, std::slice::from_ref(&eigenaar), sinds, nu)? else {
            continue;
        };
        uit.push(Verwijderd {
            organisaties: vec![eigenaar],
            object_type: "gezag",
            object_id: id.clone(),
            betrokkenen: identiteiten(conn, &[kind])?,
            grond: g.clone(),
            aantal: 1,
        });
        weg.push((id, g));
    }
    uit.extend(verklaringen_mee(conn, "gezag", &weg, proef)?);
    if !proef {
        for (id, _) in &weg {
            diesel::delete(gezag::table.find(id)).execute(conn)?;
        }
    }

    // Arrangements, from their end (else their start).
    let rijen: Vec<(String, String, String, NaiveDate, Option<NaiveDate>)> = regelingen::table
        .filter(regelingen::van.lt(grens_dag))
        .select((
            regelingen::id,
            regelingen::eigenaar,
            regelingen::gezin_id,
            regelingen::van,
            regelingen::tot,
        ))
        .load(conn)?;
    let mut weg = Vec::new();
    for (id, eigenaar, gezin, van, tot) in rijen {
        let kinderen = kinderen_van(conn, &gezin)?;
        let datum = dag(tot.unwrap_or(van));
        let Some(sinds) = vanaf(conn, &mut t, v, &eigenaar, datum, &kinderen)? else {
            continue;
        };
        let Some(g) = t.verstreken(conn, std::slice::from_ref(&eigenaar), sinds, nu)? else {
            continue;
        };
        let l = leden(conn, &gezin)?;
        uit.push(Verwijderd {
            organisaties: vec![eigenaar],
            object_type: "regelingen",
            object_id: id.clone(),
            betrokkenen: identiteiten(conn, &l)?,
            grond: g.clone(),
            aantal: 1,
        });
        weg.push((id, g));
    }
    uit.extend(verklaringen_mee(conn, "regelingen", &weg, proef)?);
    let regelingen_weg: Vec<String> = weg.iter().map(|(id, _)| id.clone()).collect();
    if !proef {
        for id in &regelingen_weg {
            diesel::delete(regelingen::table.find(id)).execute(conn)?;
        }
    }

    // Court decisions, from their end (else their date), while nothing cites them.
    type BeschikkingRij = (String, String, String, NaiveDate, Option<NaiveDate>, String);
    let rijen: Vec<BeschikkingRij> = beschikkingen::table
        .filter(beschikkingen::datum.lt(grens_dag))
        .select((
            beschikkingen::id,
            beschikkingen::eigenaar,
            beschikkingen::gezin_id,
            beschikkingen::datum,
            beschikkingen::tot,
            beschikkingen::kinderen,
        ))
        .load(conn)?;
    let gezag_weg: Vec<String> = uit
        .iter()
        .filter(|w| w.object_type == "gezag")
        .map(|w| w.object_id.clone())
        .collect();
    let mut weg = Vec::new();
    for (id, eigenaar, gezin, datum, tot, kinderen) in rijen {
        let kinderen: Vec<String> = serde_json::from_str::<Vec<Uuid>>(&kinderen)
            .unwrap_or_default()
            .iter()
            .map(Uuid::to_string)
            .collect();
        let datum = dag(tot.unwrap_or(datum));
        let Some(sinds) = vanaf(conn, &mut t, v, &eigenaar, datum, &kinderen)? else {
            continue;
        };
        let Some(g) = t.verstreken(conn, std::slice::from_ref(&eigenaar), sinds, nu)? else {
            continue;
        };
        let geciteerd_door_gezag: Vec<String> = gezag::table
            .filter(gezag::beschikking_id.eq(&id))
            .select(gezag::id)
            .load(conn)?;
        let geciteerd_door_regeling: Vec<String> = regelingen::table
            .filter(regelingen::beschikking_id.eq(&id))
            .select(regelingen::id)
            .load(conn)?;
        if geciteerd_door_gezag.iter().any(|c| !gezag_weg.contains(c))
            || geciteerd_door_regeling
                .iter()
                .any(|c| !regelingen_weg.contains(c))
        {
            continue;
        }
        let l = leden(conn, &gezin)?;
        uit.push(Verwijderd {
            organisaties: vec![eigenaar],
            object_type: "beschikkingen",
            object_id: id.clone(),
            betrokkenen: identiteiten(conn, &l)?,
            grond: g.clone(),
            aantal: 1,
        });
        weg.push((id, g));
    }
    uit.extend(verklaringen_mee(conn, "beschikkingen", &weg, proef)?);
    let beschikkingen_weg: Vec<String> = weg.iter().map(|(id, _)| id.clone()).collect();
    if !proef {
        for id in &beschikkingen_weg {
            diesel::delete(beschikkingen::table.find(id)).execute(conn)?;
        }
    }

    // Families, once none of their decisions, arrangements and incidents is left.
    let incidenten_weg: Vec<String> = uit
        .iter()
        .filter(|w| w.object_type == "incidenten")
        .map(|w| w.object_id.clone())
        .collect();
    let rijen: Vec<(String, String, chrono::NaiveDateTime)> = gezinnen::table
        .filter(gezinnen::gewijzigd_op.lt(grens_db))
        .select((gezinnen::id, gezinnen::eigenaar, gezinnen::gewijzigd_op))
        .load(conn)?;
    let mut weg = Vec::new();
    for (id, eigenaar, gewijzigd) in rijen {
        let kinderen = kinderen_van(conn, &id)?;
        let datum = ketenregie_common::time::from_db(gewijzigd);
        let Some(sinds) = vanaf(conn, &mut t, v, &eigenaar, datum, &kinderen)? else {
            continue;
        };
        let Some(g) = t.verstreken(conn, std::slice::from_ref(&eigenaar), sinds, nu)? else {
            continue;
        };
        let b: Vec<String> = beschikkingen::table
            .filter(beschikkingen::gezin_id.eq(&id))
            .select(beschikkingen::id)
            .load(conn)?;
        let r: Vec<String> = regelingen::table
            .filter(regelingen::gezin_id.eq(&id))
            .select(regelingen::id)
            .load(conn)?;
        let i: Vec<String> = incidenten::table
            .filter(incidenten::gezin_id.eq(&id))
            .select(incidenten::id)
            .load(conn)?;
        if b.iter().any(|x| !beschikkingen_weg.contains(x))
            || r.iter().any(|x| !regelingen_weg.contains(x))
            || i.iter().any(|x| !incidenten_weg.contains(x))
        {
            continue;
        }
        let l = leden(conn, &id)?;
        uit.push(Verwijderd {
            organisaties: vec![eigenaar],
            object_type: "gezinnen",
            object_id: id.clone(),
            betrokkenen: identiteiten(conn, &l)?,
            grond: g.clone(),
            aantal: 1,
        });
        weg.push((id, g));
    }
    uit.extend(verklaringen_mee(conn, "gezinnen", &weg, proef)?);
    let gezinnen_weg: Vec<String> = weg.iter().map(|(id, _)| id.clone()).collect();
    if !proef {
        for id in &gezinnen_weg {
            diesel::delete(gezinsleden::table.filter(gezinsleden::gezin_id.eq(id)))
                .execute(conn)?;
            diesel::delete(gezinnen::table.find(id)).execute(conn)?;
        }
    }

    // Persons no record refers to any more.
    let rijen: Vec<(String, String, Tekst<Uuid>, chrono::NaiveDateTime)> = personen::table
        .filter(personen::gewijzigd_op.lt(grens_db))
        .select((
            personen::id,
            personen::eigenaar,
            personen::betrokkene,
            personen::gewijzigd_op,
        ))
        .load(conn)?;
    let mut weg = Vec::new();
    for (id, eigenaar, betrokkene, gewijzigd) in rijen {
        // A person's record is about that person: a child's is kept until the term
        // after its 18th birthday (an adult's 18th birthday has passed).
        let datum = ketenregie_common::time::from_db(gewijzigd);
        let zelf = std::slice::from_ref(&id);
        let Some(sinds) = vanaf(conn, &mut t, v, &eigenaar, datum, zelf)? else {
            continue;
        };
        let Some(g) = t.verstreken(conn, std::slice::from_ref(&eigenaar), sinds, nu)? else {
            continue;
        };
        if proef {
            // A dry run removed nothing: count the references the run would leave.
            let in_gezin: Vec<String> = gezinsleden::table
                .filter(gezinsleden::persoon_id.eq(&id))
                .select(gezinsleden::gezin_id)
                .load(conn)?;
            let in_incident: Vec<String> = incident_betrokkenen::table
                .filter(incident_betrokkenen::persoon_id.eq(&id))
                .select(incident_betrokkenen::incident_id)
                .load(conn)?;
            if in_gezin.iter().any(|x| !gezinnen_weg.contains(x))
                || in_incident.iter().any(|x| !incidenten_weg.contains(x))
                || verwezen_buiten_gezin_en_incident(conn, &id, &gezag_weg, &incidenten_weg)?
            {
                continue;
            }
        } else if verwezen(conn, &id)? {
            continue;
        }
        uit.push(Verwijderd {
            organisaties: vec![eigenaar],
            object_type: "personen",
            object_id: id.clone(),
            betrokkenen: vec![betrokkene.0],
            grond: g.clone(),
            aantal: 1,
        });
        weg.push((id, g));
    }
    uit.extend(verklaringen_mee(conn, "personen", &weg, proef)?);
    if !proef {
        for (id, _) in &weg {
            diesel::delete(personen::table.find(id)).execute(conn)?;
        }
    }
    Ok(uit)
}

/// Does any record still refer to person record `id` (after this run's removals)?
fn verwezen(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let gezin: i64 = gezinsleden::table
        .filter(gezinsleden::persoon_id.eq(id))
        .count()
        .get_result(conn)?;
    let incident: i64 = incident_betrokkenen::table
        .filter(incident_betrokkenen::persoon_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(gezin + incident > 0 || verwezen_buiten_gezin_en_incident(conn, id, &[], &[])?)
}

/// References to person record `id` from a statement, gezag (as child or holder) or an
/// involvement, leaving out those in records `gezag_weg` and `incidenten_weg` (going in
/// this run).
fn verwezen_buiten_gezin_en_incident(
    conn: &mut DbConnection,
    id: &str,
    gezag_weg: &[String],
    incidenten_weg: &[String],
) -> QueryResult<bool> {
    let stmts: Vec<String> = verklaringen::table
        .filter(verklaringen::persoon_id.eq(id))
        .select(verklaringen::incident_id)
        .load(conn)?;
    if stmts.iter().any(|i| !incidenten_weg.contains(i)) {
        return Ok(true);
    }
    let g: Vec<String> = gezag::table
        .filter(
            gezag::kind_id
                .eq(id)
                .or(gezag::houders.like(format!("%{id}%"))),
        )
        .select(gezag::id)
        .load(conn)?;
    if g.iter().any(|x| !gezag_weg.contains(x)) {
        return Ok(true);
    }
    let b: i64 = betrokkenheden::table
        .filter(betrokkenheden::persoon_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(b > 0)
}
