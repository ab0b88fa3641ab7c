//! The open zorgmeldingen of a briefing (`ketenregie_case::briefing::ZorgmeldingBron`):
//! the case registry is below this crate (DESIGN.md §1), so it names what the briefing
//! needs in a trait and this crate answers it from its own tables; `api` wires the two
//! (`app::Onderdelen::zorgmeldingen`).
//!
//! Open means: filed (`ter-controle`, awaiting the quality check, or `verzonden`) and
//! its handling not closed (`AFGESLOTEN`). Only the state is given, never the content.

use crate::TaakStatus;
use crate::opslag::Meldingstatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use ketenregie_case::briefing::{OpenMelding, ZorgmeldingBron};
use ketenregie_common::time::from_db;
use ketenregie_common::{Fout, Vertrouwelijkheid};
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{zorgmelding_betrokkenen, zorgmeldingen};
use uuid::Uuid;

/// The melding statuses of a filed melding (a concept is not shown; a melding that
/// could not be routed has no handling to follow).
pub const INGEDIEND: [Meldingstatus; 2] = [Meldingstatus::TerControle, Meldingstatus::Verzonden];

/// The task statuses after which a melding's handling is closed (FHIR Task: no
/// transition leads out of them).
pub const AFGESLOTEN: [TaakStatus; 5] = [
    TaakStatus::Completed,
    TaakStatus::Cancelled,
    TaakStatus::EnteredInError,
    TaakStatus::Failed,
    TaakStatus::Rejected,
];

/// `ZorgmeldingBron` over the referral tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct Briefingbron;

type Rij = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    String,
    String,
);

fn kolom<T: std::str::FromStr>(waarde: &str, wat: &str) -> Result<T, Fout> {
    waarde
        .parse()
        .map_err(|_| Fout::intern(format!("onbekende {wat} `{waarde}` in zorgmeldingen")))
}

impl ZorgmeldingBron for Briefingbron {
    fn open_meldingen(
        &self,
        conn: &mut DbConnection,
        betrokkenen: &[Uuid],
    ) -> Result<Vec<OpenMelding>, Fout> {
        let betrokkenen: Vec<String> = betrokkenen.iter().map(Uuid::to_string).collect();
        // One row per melding and identity asked for it concerns (one statement).
        let rijen: Vec<Rij> = zorgmelding_betrokkenen::table
            .inner_join(zorgmeldingen::table)
            .filter(zorgmelding_betrokkenen::betrokkene.eq_any(&betrokkenen))
            .filter(zorgmeldingen::meldingstatus.eq_any(INGEDIEND.map(|s| s.as_ref().to_string())))
            .select((
                zorgmeldingen::id,
                zorgmeldingen::afzender,
                zorgmeldingen::ontvanger,
                zorgmeldingen::meldingstatus,
                zorgmeldingen::taakstatus,
                zorgmeldingen::ingediend_op,
                zorgmeldingen::vertrouwelijkheid,
                zorgmelding_betrokkenen::betrokkene,
            ))
            .order((zorgmeldingen::id, zorgmelding_betrokkenen::betrokkene))
            .load(conn)?;
        let mut uit: Vec<OpenMelding> = Vec::with_capacity(rijen.len());
        for (id, afzender, ontvanger, status, taakstatus, ingediend_op, niveau, betrokkene) in rijen
        {
            let id: Uuid = kolom(&id, "id")?;
            let betrokkene: Uuid = kolom(&betrokkene, "betrokkene")?;
            if let Some(m) = uit.last_mut().filter(|m| m.id == id) {
                m.betrokkenen.push(betrokkene);
                continue;
            }
            let taak: Option<TaakStatus> = taakstatus
                .as_deref()
                .map(|t| kolom(t, "taakstatus"))
                .transpose()?;
            if taak.is_some_and(|t| AFGESLOTEN.contains(&t)) {
                continue;
            }
            let _: Meldingstatus = kolom(&status, "meldingstatus")?;
            uit.push(OpenMelding {
                id,
                afzender,
                ontvanger,
                status,
                taakstatus,
                ingediend_op: ingediend_op.map(from_db),
                vertrouwelijkheid: kolom::<Vertrouwelijkheid>(&niveau, "vertrouwelijkheid")?,
                betrokkenen: vec![betrokkene],
            });
        }
        Ok(uit)
    }
}
