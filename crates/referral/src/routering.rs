//! Routing (DOMAIN.md §3 flow 1): a zorgmelding goes to the Veilig Thuis whose served
//! municipalities include the child's municipality of residence. Children in different
//! regions: one melding per region, linked. No match: held as `niet-routeerbaar`, never
//! dropped.

use diesel::QueryResult;
use ketenregie_common::OrganisatieSoort;
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{self, OrganisatieFilter};
use std::collections::BTreeMap;

/// The receiving Veilig Thuis (by code) per municipality; `None` where none serves it.
pub fn veilig_thuis_voor(
    conn: &mut DbConnection,
    gemeenten: &[String],
) -> QueryResult<BTreeMap<String, Option<String>>> {
    let mut uit = BTreeMap::new();
    for g in gemeenten {
        let p = directory::organisaties(
            conn,
            &OrganisatieFilter {
                soort: Some(OrganisatieSoort::VeiligThuis),
                gemeente: Some(g.clone()),
                code: None,
            },
            &ketenregie_store::venster::Venster::eerste(2),
        )?;
        // Two organisations serving one municipality would be a data error; the first (by
        // id, the oldest) is taken so routing stays deterministic.
        uit.insert(g.clone(), p.rijen.first().map(|o| o.code.clone()));
    }
    Ok(uit)
}
