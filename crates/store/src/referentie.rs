//! Reference data (DOMAIN.md §5, ../shared/refdata): the 342 municipalities with safety
//! region and police unit, and the 26 Veilig Thuis organisations with the municipalities
//! they serve. Shipped in the binary from `data/refdata/` (see its SOURCES.md) and loaded
//! idempotently: at start-up when the database has none, and by `ketenregie import`.
//!
//! Service areas change and some are uncertain (`zekerheid`: bevestigd, aangenomen,
//! twijfel), so they are data a functional admin can edit. A re-import updates an imported
//! organisation's area only where nobody edited it since the last import; an edited area is
//! left alone and reported.

use crate::DbConnection;
use crate::directory::{self, OrganisatieGegevens};
use crate::schema::{gemeenten, referentie_import};
use diesel::prelude::*;
use ketenregie_common::time::{now_utc, to_db};
use ketenregie_common::{Fout, InvalidParam, OrganisatieSoort, Rechtsregime};

pub const GEMEENTEN_CSV: &str = include_str!("../../../data/refdata/gemeenten.csv");
pub const VEILIG_THUIS_CSV: &str = include_str!("../../../data/refdata/veilig-thuis-regios.csv");

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = gemeenten)]
pub struct Gemeente {
    #[serde(rename = "gemeentecode")]
    pub code: String,
    pub naam: String,
    pub provincie: String,
    pub veiligheidsregio_code: String,
    pub veiligheidsregio_naam: String,
    pub politie_eenheid: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct VeiligThuisRegio {
    pub naam: String,
    /// `;`-separated CBS codes.
    pub gemeentecodes: String,
    pub zekerheid: String,
    pub opmerking: Option<String>,
}

impl VeiligThuisRegio {
    /// The organisation code: the name in lowercase kebab-case
    /// ("Veilig Thuis Amsterdam-Amstelland" -> "veilig-thuis-amsterdam-amstelland").
    pub fn code(&self) -> String {
        let mut s = String::new();
        for c in self.naam.to_lowercase().chars() {
            if c.is_ascii_alphanumeric() {
                s.push(c);
            } else if !s.ends_with('-') {
                s.push('-');
            }
        }
        s.trim_matches('-').to_string()
    }

    pub fn codes(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .gemeentecodes
            .split(';')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        v.sort();
        v
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReferentieFout {
    #[error("reference data, line {regel}: {fout}")]
    Csv { regel: u64, fout: String },
    #[error("reference data: {0}")]
    Inhoud(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

fn lees<T: serde::de::DeserializeOwned>(csv_tekst: &str) -> Result<Vec<T>, ReferentieFout> {
    let mut r = csv::Reader::from_reader(csv_tekst.as_bytes());
    let mut uit = Vec::new();
    for rij in r.deserialize() {
        let rij: T = rij.map_err(|e| ReferentieFout::Csv {
            regel: e.position().map(|p| p.line()).unwrap_or(0),
            fout: e.to_string(),
        })?;
        uit.push(rij);
    }
    Ok(uit)
}

pub fn lees_gemeenten(csv_tekst: &str) -> Result<Vec<Gemeente>, ReferentieFout> {
    let g: Vec<Gemeente> = lees(csv_tekst)?;
    if let Some(f) = g
        .iter()
        .find(|g| !ketenregie_common::is_gemeentecode(&g.code))
    {
        return Err(ReferentieFout::Inhoud(format!(
            "`{}` is not a 4-digit CBS code",
            f.code
        )));
    }
    Ok(g)
}

pub fn lees_veilig_thuis(csv_tekst: &str) -> Result<Vec<VeiligThuisRegio>, ReferentieFout> {
    lees(csv_tekst)
}

/// What an import changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Importrapport {
    pub gemeenten_nieuw: usize,
    pub gemeenten_gewijzigd: Vec<String>,
    pub organisaties_nieuw: Vec<String>,
    pub organisaties_gewijzigd: Vec<String>,
    /// Imported organisations whose area an admin changed: kept as the admin left it.
    pub handmatig_behouden: Vec<String>,
    /// Organisations whose area is uncertain (`twijfel`), for an admin to check.
    pub twijfel: Vec<String>,
}

impl Importrapport {
    pub fn is_leeg(&self) -> bool {
        self.gemeenten_nieuw == 0
            && self.gemeenten_gewijzigd.is_empty()
            && self.organisaties_nieuw.is_empty()
            && self.organisaties_gewijzigd.is_empty()
    }
}

/// Load municipalities and Veilig Thuis organisations; call inside a transaction.
pub fn importeer(
    conn: &mut DbConnection,
    lijst: &[Gemeente],
    vt: &[VeiligThuisRegio],
) -> Result<Importrapport, ReferentieFout> {
    let mut rapport = Importrapport::default();
    for g in lijst {
        let huidig: Option<Gemeente> = gemeenten::table
            .find(&g.code)
            .select(Gemeente::as_select())
            .first(conn)
            .optional()?;
        match huidig {
            None => {
                diesel::insert_into(gemeenten::table)
                    .values(g)
                    .execute(conn)?;
                rapport.gemeenten_nieuw += 1;
            }
            Some(h) if h != *g => {
                diesel::update(gemeenten::table.find(&g.code))
                    .set((
                        gemeenten::naam.eq(&g.naam),
                        gemeenten::provincie.eq(&g.provincie),
                        gemeenten::veiligheidsregio_code.eq(&g.veiligheidsregio_code),
                        gemeenten::veiligheidsregio_naam.eq(&g.veiligheidsregio_naam),
                        gemeenten::politie_eenheid.eq(&g.politie_eenheid),
                    ))
                    .execute(conn)?;
                rapport.gemeenten_gewijzigd.push(g.code.clone());
            }
            Some(_) => {}
        }
    }
    let bekend: std::collections::BTreeSet<&str> = lijst.iter().map(|g| g.code.as_str()).collect();
    for r in vt {
        let code = r.code();
        let codes = r.codes();
        if let Some(onbekend) = codes.iter().find(|c| !bekend.contains(c.as_str())) {
            return Err(ReferentieFout::Inhoud(format!(
                "{}: unknown municipality {onbekend}",
                r.naam
            )));
        }
        if r.zekerheid == "twijfel" {
            rapport.twijfel.push(code.clone());
        }
        let vorige_import: Option<String> = referentie_import::table
            .find(&code)
            .select(referentie_import::gemeenten)
            .first(conn)
            .optional()?;
        let nieuw_spoor = codes.join(";");
        match directory::organisatie_op_code(conn, &code)? {
            None => {
                directory::maak_organisatie(
                    conn,
                    OrganisatieGegevens {
                        code: code.clone(),
                        naam: r.naam.clone(),
                        oin: None,
                        soort: OrganisatieSoort::VeiligThuis,
                        rechtsregime: Rechtsregime::Wmo2015,
                        gemeenten: codes.clone(),
                    },
                )
                .map_err(|e| ReferentieFout::Inhoud(e.to_string()))?;
                rapport.organisaties_nieuw.push(code.clone());
            }
            Some(o) => {
                let huidig = o.gemeenten.join(";");
                if huidig != nieuw_spoor {
                    if vorige_import.as_deref() == Some(huidig.as_str()) {
                        directory::wijzig_organisatie(
                            conn,
                            o.id,
                            OrganisatieGegevens {
                                code: o.code.clone(),
                                naam: o.naam.clone(),
                                oin: o.oin.clone(),
                                soort: o.soort,
                                rechtsregime: o.rechtsregime,
                                gemeenten: codes.clone(),
                            },
                            &ketenregie_common::IfMatch::Geen,
                        )
                        .map_err(|e| ReferentieFout::Inhoud(e.to_string()))?;
                        rapport.organisaties_gewijzigd.push(code.clone());
                    } else {
                        rapport.handmatig_behouden.push(code.clone());
                        continue;
                    }
                }
            }
        }
        diesel::delete(referentie_import::table.find(&code)).execute(conn)?;
        diesel::insert_into(referentie_import::table)
            .values((
                referentie_import::organisatie_code.eq(&code),
                referentie_import::gemeenten.eq(&nieuw_spoor),
                referentie_import::zekerheid.eq(&r.zekerheid),
                referentie_import::opmerking.eq(r.opmerking.as_deref()),
                referentie_import::geimporteerd_op.eq(to_db(now_utc())),
            ))
            .execute(conn)?;
    }
    Ok(rapport)
}

/// Load the shipped reference data when the database has no municipalities yet. The
/// count and the load are one write transaction under the start-up lock
/// (`migrate::onder_slot`), so instances starting together load it exactly once; at
/// start-up it also runs inside `migrate::start`'s session lock.
pub fn laad_als_leeg(conn: &mut DbConnection) -> Result<Option<Importrapport>, ReferentieFout> {
    let g = lees_gemeenten(GEMEENTEN_CSV)?;
    let vt = lees_veilig_thuis(VEILIG_THUIS_CSV)?;
    crate::migrate::onder_slot(conn, |c| {
        let n: i64 = gemeenten::table.count().get_result(c)?;
        if n > 0 {
            return Ok(None);
        }
        importeer(c, &g, &vt).map(Some)
    })
}

/// `importeer` in its own write transaction under the start-up lock (`ketenregie import`,
/// which may run while instances serve or start).
pub fn importeer_onder_slot(
    conn: &mut DbConnection,
    lijst: &[Gemeente],
    vt: &[VeiligThuisRegio],
) -> Result<Importrapport, ReferentieFout> {
    crate::migrate::onder_slot(conn, |c| importeer(c, lijst, vt))
}

/// Whether the municipalities are loaded.
pub fn geladen(conn: &mut DbConnection) -> QueryResult<bool> {
    Ok(gemeenten::table.count().get_result::<i64>(conn)? > 0)
}

/// The codes among `codes` that are not Dutch municipalities.
pub fn onbekende_gemeenten(conn: &mut DbConnection, codes: &[String]) -> QueryResult<Vec<String>> {
    let bekend: Vec<String> = gemeenten::table
        .filter(gemeenten::code.eq_any(codes))
        .select(gemeenten::code)
        .load(conn)?;
    Ok(codes
        .iter()
        .filter(|c| !bekend.contains(c))
        .cloned()
        .collect())
}

/// `GEMEENTECODE_BESTAAT`: the one check that municipality codes exist (issue 12).
/// `velden` pairs the field name as the client wrote it (`kinderen[0].gemeente`,
/// `gemeenten[2]`, `gemeente`) with the code, whose four-digit format was checked earlier
/// (`ketenregie_common::is_gemeentecode`, problem code `pattern`). Each code missing from
/// the loaded CBS list (`data/refdata`) is named in one `Fout::Ongeldig` with the problem
/// code `gemeentecode-onbekend`. Without loaded reference data only the format applies.
pub fn bestaande_gemeenten(
    conn: &mut DbConnection,
    velden: &[(String, String)],
) -> Result<(), Fout> {
    if velden.is_empty() {
        return Ok(());
    }
    let codes: Vec<String> = velden.iter().map(|(_, c)| c.clone()).collect();
    let onbekend = onbekende_gemeenten(conn, &codes)?;
    if onbekend.is_empty() || !geladen(conn)? {
        return Ok(());
    }
    Err(onbekend_fout(velden, &onbekend))
}

/// Every municipality code loaded (`gemeenten`), for a cache (`privacy::stamgegevens`,
/// invalidated by the version stamp that every change of the table bumps).
pub fn alle_codes(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    gemeenten::table.select(gemeenten::code).load(conn)
}

/// `bestaande_gemeenten` against the loaded codes `bekend` (all of them, as
/// `alle_codes` returns: empty means not loaded, and then only the format applies).
/// No round trip.
pub fn bestaande_gemeenten_in(
    bekend: &std::collections::HashSet<String>,
    velden: &[(String, String)],
) -> Result<(), Fout> {
    if bekend.is_empty() {
        return Ok(());
    }
    let onbekend: Vec<String> = velden
        .iter()
        .filter(|(_, c)| !bekend.contains(c))
        .map(|(_, c)| c.clone())
        .collect();
    if onbekend.is_empty() {
        return Ok(());
    }
    Err(onbekend_fout(velden, &onbekend))
}

/// The one `Fout::Ongeldig` naming each field whose code is in `onbekend`.
fn onbekend_fout(velden: &[(String, String)], onbekend: &[String]) -> Fout {
    Fout::Ongeldig(
        velden
            .iter()
            .filter(|(_, c)| onbekend.contains(c))
            .map(|(naam, _)| InvalidParam {
                name: naam.clone(),
                code: "gemeentecode-onbekend".into(),
                reason: format!(
                    "`{naam}` is geen bestaande CBS-gemeentecode; verwacht de code van een gemeente die nu bestaat (de CBS-gemeentelijst)"
                ),
            })
            .collect(),
    )
}

pub fn gemeente(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Gemeente>> {
    gemeenten::table
        .find(code)
        .select(Gemeente::as_select())
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_parses() {
        let g = lees_gemeenten(GEMEENTEN_CSV).unwrap();
        assert_eq!(g.len(), 342);
        assert!(
            g.iter()
                .any(|g| g.code == "0518" && g.naam == "'s-Gravenhage")
        );
        let vt = lees_veilig_thuis(VEILIG_THUIS_CSV).unwrap();
        assert_eq!(vt.len(), 26);
        let alle: std::collections::BTreeSet<String> = vt.iter().flat_map(|r| r.codes()).collect();
        assert_eq!(
            alle.len(),
            342,
            "every municipality served by a Veilig Thuis"
        );
        assert!(vt.iter().any(|r| r.code() == "veilig-thuis-haaglanden"));
    }
}
