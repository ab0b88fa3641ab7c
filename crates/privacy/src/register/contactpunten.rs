//! `BEHEER_CONTACTPUNTEN`: whom to call at each organisation, and when, is kept by the
//! organisation's own functional admin or the platform admin (`Actor::beheert_organisatie`);
//! every partner reads the directory. A refused change is recorded in the caller's
//! organisation's audit trail, as for the register itself.

use super::controleer_gemeenten;
use crate::Context;
use crate::logboek::Object;
use ketenregie_common::{Actor, Fout};
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{self, Contactpunt, ContactpuntFilter, ContactpuntGegevens};
use uuid::Uuid;

/// The rule's name.
pub const BEHEER_CONTACTPUNTEN: &str = "BEHEER_CONTACTPUNTEN";

/// The audit object of an act on contact point `id` (`None`: a new one), in the caller's
/// organisation's trail.
pub fn object(actor: &Actor, id: Option<Uuid>) -> Object {
    Object {
        soort: "contactpunten",
        id: id.map_or_else(|| "nieuw".into(), |i| i.to_string()),
        eigenaar: actor.organisatie.clone(),
    }
}

/// `BEHEER_CONTACTPUNTEN` for the organisation `organisatie_id` (`NietGevonden` when it
/// does not exist).
fn beheert(conn: &mut DbConnection, actor: &Actor, organisatie_id: Uuid) -> Result<(), Fout> {
    let org = directory::organisatie(conn, organisatie_id)?.ok_or_else(|| {
        Fout::NietGevonden(format!("Er is geen organisatie met id {organisatie_id}"))
    })?;
    if actor.beheert_organisatie(&org.code) {
        Ok(())
    } else {
        Err(Fout::geen_toegang(
            BEHEER_CONTACTPUNTEN,
            format!(
                "Alleen een functioneel beheerder van `{}` of een platformbeheerder mag haar contactpunten beheren",
                org.code
            ),
        ))
    }
}

/// A contact point; `NietGevonden` for an unknown id.
pub fn lees(conn: &mut DbConnection, id: Uuid) -> Result<Contactpunt, Fout> {
    directory::contactpunt(conn, id)?
        .ok_or_else(|| Fout::NietGevonden(format!("Er is geen contactpunt met id {id}")))
}

/// `POST /organisaties/{id}/contactpunten`.
pub fn voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    organisatie_id: Uuid,
    g: ContactpuntGegevens,
) -> Result<Contactpunt, Fout> {
    beheert(conn, &ctx.actor, organisatie_id)?;
    Ok(directory::maak_contactpunt(conn, organisatie_id, g)?)
}

/// `GET /contactpunten`: a page of the directory, filtered (a municipality filter must be
/// a real code). Readable by every partner.
pub fn zoek(
    conn: &mut DbConnection,
    filter: &ContactpuntFilter,
    venster: &ketenregie_store::venster::Venster<String>,
) -> Result<ketenregie_store::venster::Pagina<Contactpunt, String>, Fout> {
    if let Some(g) = &filter.gemeente {
        controleer_gemeenten(conn, "gemeente", std::slice::from_ref(g))?;
    }
    Ok(directory::contactpunten(conn, filter, venster)?)
}

/// `PUT /contactpunten/{id}`.
pub fn wijzig(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    g: ContactpuntGegevens,
    voorwaarde: &ketenregie_common::IfMatch,
) -> Result<Contactpunt, Fout> {
    let huidig = lees(conn, id)?;
    beheert(conn, &ctx.actor, huidig.organisatie_id)?;
    Ok(directory::wijzig_contactpunt(conn, id, g, voorwaarde)?)
}

/// `DELETE /contactpunten/{id}`.
/// `If-Match` (RFC 9110 §13.1.1) is checked against the contact point's version.
pub fn verwijder(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    voorwaarde: &ketenregie_common::IfMatch,
) -> Result<(), Fout> {
    let huidig = lees(conn, id)?;
    beheert(conn, &ctx.actor, huidig.organisatie_id)?;
    Ok(directory::verwijder_contactpunt(conn, id, voorwaarde)?)
}
