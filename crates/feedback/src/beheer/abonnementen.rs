//! Webhook subscriptions of the caller's organisation (`POST/GET/DELETE /abonnementen`).
//!
//! - `FUNCTIONEEL_BEHEERDER_ABONNEERT`: only the organisation's functional admin manages
//!   them (`beheerder`, checked before anything else).
//! - `PRIVACYKANAAL_ALLEEN_FG` (`ketenregie_privacy::verantwoording`; outside test of
//!   2 Dec 2026, F6): a subscription on the `privacy` channel is made, listed, read and
//!   ended only by a functional admin who is the privacy officer too; to any other admin
//!   it does not exist (not listed, its id answered as unknown, the attempt audited), so
//!   nobody else can see where the notices go or switch them off.
//! - `EEN_ORGANISATIE_ZICHT`: another organisation's subscription is answered as an
//!   unknown id, the attempt recorded in its audit trail (`ketenregie_privacy::zicht`).
//! - The secret that signs every delivery is made here, stored encrypted, and returned
//!   only in the answer to the creation.

use crate::abonnement::{self, Abonnement, GeldigAbonnement};
use ketenregie_common::{Actor, Fout, Rol};
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_privacy::verantwoording::{
    PRIVACYKANAAL, PRIVACYKANAAL_ALLEEN_FG, ziet_privacykanaal,
};
use ketenregie_privacy::{Context, zicht};
use ketenregie_store::DbConnection;
use uuid::Uuid;

/// The rule: subscriptions are the functional admin's.
pub const FUNCTIONEEL_BEHEERDER_ABONNEERT: &str = "FUNCTIONEEL_BEHEERDER_ABONNEERT";

/// The kind of record, as named in a 404.
pub const ABONNEMENT: &str = "abonnement";

/// `FUNCTIONEEL_BEHEERDER_ABONNEERT`: `GeenToegang` unless `actor` is a functional admin.
pub fn beheerder(actor: &Actor) -> Result<(), Fout> {
    if actor.heeft_rol(Rol::FunctioneelBeheerder) {
        Ok(())
    } else {
        Err(Fout::geen_toegang(
            FUNCTIONEEL_BEHEERDER_ABONNEERT,
            "Abonnementen beheert de functioneel beheerder van de organisatie",
        ))
    }
}

/// `PRIVACYKANAAL_ALLEEN_FG`: a subscription on the `privacy` channel sends the privacy
/// officer's notices (the disclosures of the organisation's records, the users over the
/// daily quota) to a URL of its maker's choosing, so its maker is the privacy officer
/// too: a functional admin without the role `privacyfunctionaris` gets a 403 naming
/// `kanalen`.
fn privacykanaal(actor: &Actor, a: &GeldigAbonnement) -> Result<(), Fout> {
    if !op_privacykanaal(&a.kanalen) || ziet_privacykanaal(actor) {
        return Ok(());
    }
    Err(Fout::GeenToegang {
        regel: PRIVACYKANAAL_ALLEEN_FG,
        reden: format!(
            "Een abonnement op het kanaal `privacy` neemt de privacyfunctionaris (FG) van de organisatie, als functioneel beheerder (regel {PRIVACYKANAAL_ALLEEN_FG})"
        ),
        velden: vec![ketenregie_common::InvalidParam {
            name: "kanalen".into(),
            code: "privacyfunctionaris".into(),
            reason: "het kanaal `privacy` is alleen voor de privacyfunctionaris (FG)".into(),
        }],
    })
}

/// The audit object of an act on subscription `id` (the caller's organisation's trail).
pub fn object(ctx: &Context, id: Uuid) -> Object {
    Object {
        soort: "abonnementen",
        id: id.to_string(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// `POST /abonnementen`: subscribe with the validated `a`; the answer carries the new
/// secret (`geheim`), once.
pub fn maak(
    conn: &mut DbConnection,
    ctx: &Context,
    a: &GeldigAbonnement,
) -> Result<Abonnement, Fout> {
    beheerder(&ctx.actor)?;
    privacykanaal(&ctx.actor, a)?;
    let geheim = abonnement::nieuw_geheim();
    let versleuteld = ctx.versleuteling.versleutel(&geheim);
    let mut nieuw = abonnement::maak(
        conn,
        &ctx.actor.organisatie,
        a,
        &versleuteld,
        &ctx.actor.gebruiker,
        ctx.nu,
    )?;
    audit(conn, ctx, "aanmaken", 201, &nieuw, None)?;
    nieuw.geheim = Some(geheim);
    Ok(nieuw)
}

/// The subscription as written to the audit trail: where deliveries go and what they
/// carry, never its secret.
fn als_json(a: &Abonnement) -> serde_json::Value {
    serde_json::json!({"url": a.url, "kanalen": a.kanalen, "soorten": a.soorten})
}

/// One audit row for a subscription made or ended, in the organisation's own trail
/// (README "Audit trail": every change is recorded, with old and new values).
fn audit(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: &str,
    resultaat: u16,
    a: &Abonnement,
    oud: Option<&Abonnement>,
) -> Result<(), Fout> {
    let nieuw = (actie != "verwijderen").then(|| als_json(a));
    logboek::audit(
        conn,
        ctx,
        &AuditRegel::nieuw(actie, object(ctx, a.id), resultaat).waarden(oud.map(als_json), nieuw),
    )?;
    Ok(())
}

/// `GET /abonnementen`: a page of the organisation's subscriptions and the total.
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    venster: &ketenregie_store::venster::Venster<String>,
) -> Result<ketenregie_store::venster::Pagina<Abonnement, String>, Fout> {
    beheerder(&ctx.actor)?;
    Ok(abonnement::lijst(
        conn,
        &ctx.actor.organisatie,
        ketenregie_privacy::verantwoording::ziet_privacykanaal(&ctx.actor),
        venster,
    )?)
}

/// `GET /abonnementen/{id}`: a subscription of the caller's organisation (without its
/// secret). Another organisation's: `Verborgen`; unknown: `NietGevonden`.
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Abonnement, Fout> {
    beheerder(&ctx.actor)?;
    let a = abonnement::een(conn, &id.to_string())?.map(|a| {
        let org = a.organisatie.clone();
        (a, org)
    });
    let a = zicht::alleen_eigen(
        ctx,
        ABONNEMENT,
        a,
        "een abonnement van een andere organisatie",
    )?;
    // `PRIVACYKANAAL_ALLEEN_FG`: the privacy officer's subscription, for nobody else.
    if op_privacykanaal(&a.kanalen) && !ziet_privacykanaal(&ctx.actor) {
        return Err(zicht::verborgen(
            ABONNEMENT,
            &a.organisatie,
            format!(
                "een abonnement op het privacykanaal, alleen voor de privacyfunctionaris (regel {PRIVACYKANAAL_ALLEEN_FG})"
            ),
        ));
    }
    Ok(a)
}

/// Does a subscription on `kanalen` carry the privacy channel (`PRIVACYKANAAL_ALLEEN_FG`)?
fn op_privacykanaal(kanalen: &[String]) -> bool {
    kanalen.iter().any(|k| k == PRIVACYKANAAL)
}

/// `DELETE /abonnementen/{id}`: end the subscription; deliveries still pending for it
/// are dropped. Errors as `lees`.
pub fn zeg_op(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<(), Fout> {
    let a = lees(conn, ctx, id)?;
    abonnement::verwijder(conn, &id.to_string())?;
    audit(conn, ctx, "verwijderen", 204, &a, Some(&a))
}
