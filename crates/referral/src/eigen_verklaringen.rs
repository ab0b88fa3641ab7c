//! Eigen verklaringen (DOMAIN.md §3 flow 8, Jeugdwet art. 7.3.8) on a zorgmelding: the own
//! statement of a child or parent in it. This module finds the melding, checks that the
//! caller's organisation holds it (`VERKLARING_DOOR_HOUDER`: its sender, its receiver or,
//! for a hand-over task, whoever handed it over — `partij::in_zicht`; anyone else hears an
//! unknown id, the refusal in the sender's trail) and names whose statement it is
//! (`door`: `kinderen/N` or `ouders/N`, the person's place in the content, `persoon_in`);
//! the statement itself, the privacy officer's role, the decision and the logs are
//! `ketenregie_privacy::verantwoording::verklaringen`. The melding is never altered (its
//! version stays).
//!
//! Use cases: `voeg_toe`, `lijst` (`/zorgmeldingen/{id}/eigen-verklaringen`).

use crate::inhoud::Inhoud;
use crate::partij::{self, laad};
use crate::{melding, opslag};
use ketenregie_common::{Actie, Fout};
use ketenregie_privacy::Context;
use ketenregie_privacy::eigen_verklaring::{EigenVerklaring, EigenVerklaringWeergave, Recordsoort};
use ketenregie_privacy::verantwoording::verklaringen::{self, Record, Spreker, Verklaringsinvoer};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use uuid::Uuid;

/// The person at `door` (`kinderen/N` or `ouders/N`, 0-based, as in the content) of melding
/// content `i`: their role as the melding knows them (`kind`, or the parent's relation)
/// and their identity. Every place the content has is named in the 400 otherwise.
pub fn persoon_in(v: &Versleuteling, i: &Inhoud, door: Option<&str>) -> Result<Spreker, Fout> {
    let identiteiten = opslag::betrokkenen(v, i);
    let mut plaatsen: Vec<(String, String)> = (0..i.kinderen.len())
        .map(|n| (format!("kinderen/{n}"), "kind".to_string()))
        .collect();
    plaatsen.extend(
        i.ouders
            .iter()
            .enumerate()
            .map(|(n, o)| (format!("ouders/{n}"), o.relatie.to_string())),
    );
    let gekozen = door.and_then(|d| plaatsen.iter().position(|(p, _)| p == d.trim()));
    let Some(n) = gekozen else {
        let keuze: Vec<&str> = plaatsen.iter().map(|(p, _)| p.as_str()).collect();
        // A rule of the record, not of the schema (`door` is optional there).
        return Err(Fout::veld(
            "door",
            "reference",
            format!(
                "`door` is de plaats van het kind of de ouder in de melding: {}",
                keuze.join(", ")
            ),
        ));
    };
    Ok(Spreker {
        door: plaatsen[n].1.clone(),
        betrokkene: identiteiten[n],
        persoon: None,
    })
}

/// Melding `id` as a record the caller's organisation holds (a party of it), else the
/// answer of an unknown id.
fn record(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Record, Fout> {
    let k = laad(conn, id)?;
    partij::in_zicht(conn, &ctx.actor.organisatie, &k)?;
    Ok(Record {
        soort: Recordsoort::Zorgmelding,
        id: k.id,
        eigenaar: k.afzender,
    })
}

/// `POST /zorgmeldingen/{id}/eigen-verklaringen`: the own statement of the child or parent
/// at `door`, through the privacy officer of a party of the melding.
pub fn voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    let r = record(conn, ctx, id)?;
    leg_vast_over(conn, ctx, &r, r.id, invoer)
}

/// Records `invoer` on `record` (the melding itself, or a record about it such as its
/// feedback) as the statement of the person at `door` in melding `zorgmelding`'s content:
/// the privacy officer's role, the decision, the content read under it to name the
/// speaker, then the statement and its logs. The caller has checked that its
/// organisation holds `record` (`VERKLARING_DOOR_HOUDER`).
pub fn leg_vast_over(
    conn: &mut DbConnection,
    ctx: &Context,
    record: &Record,
    zorgmelding: Uuid,
    invoer: Verklaringsinvoer,
) -> Result<EigenVerklaring, Fout> {
    verklaringen::mag_vastleggen(conn, ctx, &record.eigenaar)?;
    let t = verklaringen::beslis(conn, ctx, Actie::Aanmaken)?;
    let i = opslag::inhoud(conn, &t, &ctx.versleuteling, zorgmelding)?;
    let spreker = persoon_in(&ctx.versleuteling, &i, invoer.door.as_deref())?;
    verklaringen::leg_vast(conn, ctx, record, spreker, invoer)
}

/// `GET /zorgmeldingen/{id}/eigen-verklaringen`: the statements on the melding the caller
/// sees with it, as a read of its content (`VERKLARING_LEZEN_ALS_RECORD`:
/// `GET /zorgmeldingen/{id}`'s decision, 404 and logs, `melding::verklaringen`), logged
/// only when a statement is returned (`LOG_ALLEEN_WAT_GETOOND`).
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<EigenVerklaringWeergave>, Fout> {
    melding::verklaringen(conn, ctx, id)
}
