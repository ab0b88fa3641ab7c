//! Where an inzage item comes from, in words a data subject can read (DOMAIN.md §3 flow 7:
//! "who processed it, when, for what purpose"; AVG art. 15 lid 1 sub c and g: the
//! recipients and the source): organisations by their name in the partner register, the
//! legal basis of the organisation's own records under its regime (DOMAIN.md §4 "Parties
//! and legal regimes"), the basis it received another organisation's record on, the
//! agreement a basis rests on by its title, and whom the person contacts.

use diesel::prelude::*;
use ketenregie_common::Rechtsregime;
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{self, ContactpuntFilter, ContactpuntRol};
use ketenregie_store::schema::{audittrail, convenanten};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A contact point of the organisation, for the person's questions about the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InzageContactpunt {
    pub naam: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub openingstijden: Option<String>,
}

/// An organisation as an item names it: its code and its name in the partner register
/// (the code itself for an organisation that is not, or no longer, registered).
pub fn organisatie(conn: &mut DbConnection, code: &str) -> QueryResult<serde_json::Value> {
    Ok(serde_json::json!({"code": code, "naam": naam(conn, code)?}))
}

/// The name of organisation `code` in the partner register, or the code itself.
pub fn naam(conn: &mut DbConnection, code: &str) -> QueryResult<String> {
    Ok(directory::kern_op_code(conn, code)?.map_or_else(|| code.to_string(), |o| o.1))
}

/// Names looked up once per report.
#[derive(Debug, Default)]
pub struct Namen(BTreeMap<String, String>);

impl Namen {
    /// The name of organisation `code` (see [`naam`]).
    pub fn van(&mut self, conn: &mut DbConnection, code: &str) -> QueryResult<String> {
        if let Some(n) = self.0.get(code) {
            return Ok(n.clone());
        }
        let n = naam(conn, code)?;
        self.0.insert(code.to_string(), n.clone());
        Ok(n)
    }
}

/// The legal basis of an organisation's own records: its own task under the regime the
/// partner register gives it (DOMAIN.md §4: "every organisation and every record carries
/// its regime"). The articles are those DOMAIN.md and the pilot agreement name [check].
pub fn grondslag_eigen(conn: &mut DbConnection, organisatie: &str) -> QueryResult<String> {
    let regime = directory::organisatie_op_code(conn, organisatie)?.map(|o| o.rechtsregime);
    Ok(match regime {
        Some(Rechtsregime::Wpg) => "Wet politiegegevens (Wpg) artikel 8: de dagelijkse politietaak",
        Some(Rechtsregime::Wjsg) => {
            "Wet justitiële en strafvorderlijke gegevens (Wjsg): de taak van het Openbaar Ministerie"
        }
        Some(Rechtsregime::Wmo2015) => {
            "Wet maatschappelijke ondersteuning 2015 (Wmo 2015) artikel 4.1.1 en 5.2.6: de taak van Veilig Thuis"
        }
        Some(Rechtsregime::Jeugdwet) => {
            "Jeugdwet artikel 7.4.0: de taak van jeugdhulp en jeugdbescherming"
        }
        Some(Rechtsregime::Avg) | None => {
            "AVG artikel 6 lid 1 onder e: een taak van algemeen belang van de organisatie"
        }
    }
    .to_string())
}

/// The legal basis on which `organisatie` first processed `object_type`/`object_id` of
/// another organisation (its first allowed row on it in the audit trail), when it did.
pub fn grondslag_ontvangen(
    conn: &mut DbConnection,
    organisatie: &str,
    object_type: &str,
    object_id: &str,
) -> QueryResult<Option<String>> {
    let g: Option<Option<String>> = audittrail::table
        .filter(audittrail::organisatie.eq(organisatie))
        .filter(audittrail::object_type.eq(object_type))
        .filter(audittrail::object_id.eq(object_id))
        .filter(audittrail::resultaat.between(200, 299))
        .filter(audittrail::grondslag.is_not_null())
        .order((audittrail::tijdstip, audittrail::volgnummer))
        .select(audittrail::grondslag)
        .first(conn)
        .optional()?;
    Ok(g.flatten())
}

/// A legal basis as the logs write it ("Wmo 2015 art. 5.2.6 (convenant <id> v2)", several
/// joined by "; "), with each agreement named by its title instead of its id.
pub fn in_woorden(conn: &mut DbConnection, grondslag: &str) -> QueryResult<String> {
    let mut uit = Vec::new();
    for deel in grondslag.split("; ") {
        uit.push(deel_in_woorden(conn, deel)?);
    }
    Ok(uit.join("; "))
}

fn deel_in_woorden(conn: &mut DbConnection, deel: &str) -> QueryResult<String> {
    let Some((wet, rest)) = deel.split_once(" (convenant ") else {
        return Ok(deel.to_string());
    };
    let Some((id, versie)) = rest
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once(" v"))
        .and_then(|(id, v)| Some((id.parse::<Uuid>().ok()?, v.parse::<i64>().ok()?)))
    else {
        return Ok(deel.to_string());
    };
    let titel: Option<String> = convenanten::table
        .find(id.to_string())
        .select(convenanten::titel)
        .first(conn)
        .optional()?;
    Ok(match titel {
        Some(t) => format!("{wet} (convenant “{t}”, versie {versie})"),
        None => format!("{wet} (convenant, versie {versie})"),
    })
}

/// Whom the person contacts at `organisatie` (AVG art. 13 lid 1 sub b, art. 15): its
/// privacy contact points in the partner register, else its daily contact, else its
/// meldingen desk; none when it registered none of these.
pub fn contactpunten(
    conn: &mut DbConnection,
    organisatie: &str,
) -> QueryResult<Vec<InzageContactpunt>> {
    let Some((id, _, _)) = directory::kern_op_code(conn, organisatie)? else {
        return Ok(vec![]);
    };
    for rol in [
        ContactpuntRol::Privacy,
        ContactpuntRol::DagelijksAanspreekpunt,
        ContactpuntRol::Meldingen,
    ] {
        let punten = directory::contactpunten(
            conn,
            &ContactpuntFilter {
                organisatie_id: Some(id),
                rol: Some(rol),
                ..Default::default()
            },
            &ketenregie_store::venster::Venster::eerste(10),
        )?;
        if !punten.rijen.is_empty() {
            return Ok(punten
                .rijen
                .into_iter()
                .map(|c| InzageContactpunt {
                    naam: c.naam,
                    telefoon: c.telefoon,
                    email: c.email,
                    openingstijden: c.openingstijden,
                })
                .collect());
        }
    }
    Ok(vec![])
}
