//! `BEHEER_CONTACTPUNTEN`: whom to call at each organisation, and when, is kept by the
//! organisation's own functional admin or the platform admin (`Actor::beheert_organisatie`);
//! every partner reads the directory. Every addition, change and removal is recorded in
//! the organisation's audit trail with old and new values, as for the register itself;
//! a refused change in the caller's organisation's trail.
//!
//! `PRIVACYKANAAL_ALLEEN_FG` (`crate::verantwoording`; outside test of 2 Dec 2026, F2):
//! the `privacy` contact point is where the privacy officer's notices are mailed (which
//! record was read, by whom, why), so adding, changing or removing it, or giving another
//! contact point that role, is for the organisation's own privacy officer who manages it
//! (functional admin and `privacyfunctionaris`), as a webhook on the `privacy` channel is:
//! otherwise a plain admin redirects those notices by e-mail to an address of its choice.

use super::controleer_gemeenten;
use crate::Context;
use crate::logboek::{self, AuditRegel, Object};
use ketenregie_common::{Actor, Fout};
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{
    self, Contactpunt, ContactpuntFilter, ContactpuntGegevens, ContactpuntRol,
};
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
/// does not exist); its code, whose audit trail records the act.
fn beheert(conn: &mut DbConnection, actor: &Actor, organisatie_id: Uuid) -> Result<String, Fout> {
    let org = directory::organisatie(conn, organisatie_id)?
        .ok_or_else(|| Fout::NietGevonden("Er is geen organisatie met dit id".into()))?;
    if actor.beheert_organisatie(&org.code) {
        Ok(org.code)
    } else {
        // Refused in the trail of the organisation whose contact points were to change,
        // where its privacy officer sees the attempt (the outside test of 2 Dec 2026: it
        // went to the caller's trail).
        Err(Fout::geweigerd(
            BEHEER_CONTACTPUNTEN,
            format!(
                "Alleen een functioneel beheerder van {} of een platformbeheerder mag haar contactpunten beheren",
                // Its name, as people know it (the werkplek shows this reason).
                org.naam
            ),
        )
        .bij_eigenaar(&org.code))
    }
}

/// `PRIVACYKANAAL_ALLEEN_FG` for an act on a contact point of organisation `code` that
/// had role `oud` and will have role `nieuw`: when either is `privacy`, the caller must
/// be that organisation's privacy officer as well as its manager (`beheert` already
/// checked); a platform admin of another organisation is refused too.
fn privacy_contactpunt(
    actor: &Actor,
    code: &str,
    oud: Option<ContactpuntRol>,
    nieuw: Option<ContactpuntRol>,
) -> Result<(), Fout> {
    use crate::verantwoording::{PRIVACYKANAAL_ALLEEN_FG, ziet_privacykanaal};
    let raakt_privacy = [oud, nieuw].contains(&Some(ContactpuntRol::Privacy));
    if !raakt_privacy || (ziet_privacykanaal(actor) && actor.organisatie == code) {
        return Ok(());
    }
    Err(Fout::geweigerd(
        PRIVACYKANAAL_ALLEEN_FG,
        "Het contactpunt `privacy` ontvangt de meldingen voor de privacyfunctionaris; het beheert alleen de privacyfunctionaris (FG) van de organisatie zelf, als functioneel beheerder",
    )
    .bij_eigenaar(code))
}

/// A contact point; `NietGevonden` for an unknown id.
pub fn lees(conn: &mut DbConnection, id: Uuid) -> Result<Contactpunt, Fout> {
    directory::contactpunt(conn, id)?
        .ok_or_else(|| Fout::NietGevonden("Er is geen contactpunt met dit id".into()))
}

/// Whether `t` reads as a telephone number: 6 to 16 digits and only `+ - ( )` and spaces
/// beside them (national and international notation, E.164's 15 digits plus a trunk 0).
pub fn is_telefoon(t: &str) -> bool {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    (6..=16).contains(&digits)
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b" +-()".contains(&b))
}

/// Whether `e` reads as an e-mail address: a local part, `@`, a domain with a dot not at
/// either end, no white space (the shape, not RFC 5321's full grammar: mail is sent to it
/// and a bounce is the real check).
pub fn is_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A contact point's content as read, each field checked (`velden`).
pub struct Inhoud {
    pub naam: Option<String>,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub openingstijden: Option<String>,
}

/// The rules of a contact point's content, every problem into `v`: a name (not blank, at
/// most 200 characters), a telephone number (`is_telefoon`, at most 30 characters) or an
/// e-mail address (`is_email`, at most 254, RFC 5321 §4.5.3.1.3) or both (an empty address
/// is none), opening hours at most 200 characters. The one place of these rules: the API's
/// body check and the use cases (`controleer`, for the werkplek's form) both call it.
pub fn velden(
    v: &mut ketenregie_common::Validatie,
    naam: Option<&str>,
    telefoon: Option<&str>,
    email: Option<&str>,
    openingstijden: Option<&str>,
) -> Inhoud {
    let naam = v.tekstregel("naam", naam, 200);
    let tel = v.optionele_tekstregel("telefoon", telefoon, 30);
    if let Some(t) = &tel
        && !is_telefoon(t)
    {
        v.fout(
            "telefoon",
            "pattern",
            "een telefoonnummer bevat 6 tot 16 cijfers en alleen + - ( ) en spaties",
        );
    }
    let mail = v.optionele_tekstregel("email", email, 254);
    if let Some(e) = &mail
        && !is_email(e)
    {
        v.fout("email", "format", "geen geldig e-mailadres");
    }
    // An empty address is no address (the document's `format: email`): leave it out.
    if mail.is_none() && email.is_some() {
        v.fout(
            "email",
            "format",
            "een leeg e-mailadres is geen e-mailadres; laat `email` weg",
        );
    }
    // Named beside every other problem (README "Invalid input": one answer naming all;
    // the outside test of 2 Dec 2026: with `rol` wrong it was left out), unless a
    // telephone number or an address was sent and is named for its own fault already.
    if tel.is_none() && mail.is_none() && !v.noemt("telefoon") && !v.noemt("email") {
        v.fout(
            "telefoon",
            ketenregie_common::validatie::regelcode::EEN_VAN,
            "geef een telefoonnummer of een e-mailadres (of beide)",
        );
    }
    let openingstijden = v.optionele_tekst("openingstijden", openingstijden, 200);
    Inhoud {
        naam,
        telefoon: tel,
        email: mail,
        openingstijden,
    }
}

/// `velden` on content already built (the werkplek's form): checked by the use cases
/// themselves, so every caller gets the same answer, a 422 naming every problem.
pub fn controleer(g: &ContactpuntGegevens) -> Result<(), Fout> {
    let mut v = ketenregie_common::Validatie::new();
    velden(
        &mut v,
        Some(&g.naam),
        g.telefoon.as_deref(),
        g.email.as_deref(),
        g.openingstijden.as_deref(),
    );
    v.afronden(|| ()).map_err(Fout::Ongeldig)
}

/// The contact point as written to the audit trail (organisation data: encrypted at rest
/// there like every old and new value, `AUDIT_VERSLEUTELD`).
fn als_json(c: &Contactpunt) -> serde_json::Value {
    serde_json::json!({
        "rol": c.rol, "naam": c.naam, "telefoon": c.telefoon, "email": c.email,
        "openingstijden": c.openingstijden, "altijdBereikbaar": c.altijd_bereikbaar,
    })
}

/// One audit row for an addition (`oud` none), change or removal (`nieuw` none) of a
/// contact point, in its organisation's trail.
fn audit(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: &str,
    resultaat: u16,
    (eigenaar, id): (String, Uuid),
    oud: Option<&Contactpunt>,
    nieuw: Option<&Contactpunt>,
) -> Result<(), Fout> {
    logboek::audit(
        conn,
        ctx,
        &AuditRegel::nieuw(
            actie,
            Object {
                soort: "contactpunten",
                id: id.to_string(),
                eigenaar,
            },
            resultaat,
        )
        .waarden(oud.map(als_json), nieuw.map(als_json)),
    )?;
    Ok(())
}

/// `POST /organisaties/{id}/contactpunten`.
pub fn voeg_toe(
    conn: &mut DbConnection,
    ctx: &Context,
    organisatie_id: Uuid,
    g: ContactpuntGegevens,
) -> Result<Contactpunt, Fout> {
    let code = beheert(conn, &ctx.actor, organisatie_id)?;
    privacy_contactpunt(&ctx.actor, &code, None, Some(g.rol))?;
    controleer(&g)?;
    let c = directory::maak_contactpunt(conn, organisatie_id, g)?;
    audit(conn, ctx, "aanmaken", 201, (code, c.id), None, Some(&c))?;
    Ok(c)
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
    // An organisation filter names a registered organisation: an unknown id is a 422
    // naming `organisatie`, as an unknown municipality is.
    if let Some(id) = filter.organisatie_id
        && directory::organisatie(conn, id)?.is_none()
    {
        return Err(Fout::veld(
            "organisatie",
            ketenregie_common::regelcode::GEREGISTREERD,
            "`organisatie` noemt geen geregistreerde organisatie; zie /api/v1/organisaties",
        ));
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
    let code = beheert(conn, &ctx.actor, huidig.organisatie_id)?;
    privacy_contactpunt(&ctx.actor, &code, Some(huidig.rol), Some(g.rol))?;
    controleer(&g)?;
    let nieuw = directory::wijzig_contactpunt(conn, id, g, voorwaarde)?;
    audit(
        conn,
        ctx,
        "wijzigen",
        200,
        (code, id),
        Some(&huidig),
        Some(&nieuw),
    )?;
    Ok(nieuw)
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
    let code = beheert(conn, &ctx.actor, huidig.organisatie_id)?;
    privacy_contactpunt(&ctx.actor, &code, Some(huidig.rol), None)?;
    directory::verwijder_contactpunt(conn, id, voorwaarde)?;
    audit(
        conn,
        ctx,
        "verwijderen",
        204,
        (code, id),
        Some(&huidig),
        None,
    )
}
