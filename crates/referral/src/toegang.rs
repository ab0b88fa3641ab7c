//! Who may file, check and handle a zorgmelding, and what of it the caller may see. Every
//! use case that touches the content goes through here: the named rules below for who
//! may act, then the policy decision (`ketenregie_privacy::besluit`) for what.
//!
//! Rules (refused as `Fout::Geweigerd` with the rule's name):
//! - `POLITIE_DIENT_IN`: zorgmeldingen are filed by the police (wijkagent,
//!   jeugdcoördinator, noodhulp) — the Meldcode's reporting duty as the police carry it out
//!   (Wet verplichte meldcode, Besluit verplichte meldcode art. 2; DOMAIN.md §3 flow 1);
//! - `AFZENDER_BEHEERT_CONCEPT`: only the author's organisation changes, submits or
//!   withdraws a concept, and there only a filing role (`INDIENERS`);
//! - `KWALITEITSCONTROLE_EIGEN_ORGANISATIE`: only a kwaliteitscontroleur of the filing
//!   organisation approves or sends back;
//! - `KWALITEITSCONTROLE_VIER_OGEN`: and never one who drafted, changed or submitted the
//!   melding;
//! - `ALLEEN_ONTVANGER_DRAAGT_OVER`: only the receiver hands over (FHIR Task: the owner
//!   moves the fulfilment);
//! - `FUNCTIONEEL_BEHEERDER_STELT_IN`: an organisation's settings (its quality check, its
//!   closed days) are set by its functional admin.

use crate::inhoud::Inhoud;
use crate::levenscyclus::Partij;
use crate::opslag::Kop;
use crate::partij;
use ketenregie_common::{Actie, Actor, Doel, Fout, Gegevenscategorie, OrganisatieSoort, Rol};
use ketenregie_privacy::stamgegevens::Stempel;
use ketenregie_privacy::{Aanvraag, Context, Toestemming, besluit, zicht};
use ketenregie_store::{DbConnection, referentie};

pub const POLITIE_DIENT_IN: &str = "POLITIE_DIENT_IN";
pub const AFZENDER_BEHEERT_CONCEPT: &str = "AFZENDER_BEHEERT_CONCEPT";
pub const KWALITEITSCONTROLE_EIGEN_ORGANISATIE: &str = "KWALITEITSCONTROLE_EIGEN_ORGANISATIE";
/// `KWALITEITSCONTROLE_VIER_OGEN`: the quality check before sending (DOMAIN.md §3 flow 1)
/// is a second pair of eyes: a kwaliteitscontroleur who drafted, changed or submitted the
/// melding (its creator, or a step `aangemaakt`, `gewijzigd` or `ter-controle` under the
/// token's user, `sub`: `opslag::opgesteld_door`) neither approves nor sends it back.
/// Otherwise an officer holding both roles approved their own melding and it went to
/// Veilig Thuis unchecked (the outside testers' finding). Refused 403 naming this rule, in
/// the melding's owner's trail, nothing written; the werkplek offers such a user no
/// verdict.
pub const KWALITEITSCONTROLE_VIER_OGEN: &str = "KWALITEITSCONTROLE_VIER_OGEN";
pub const ALLEEN_ONTVANGER_DRAAGT_OVER: &str = "ALLEEN_ONTVANGER_DRAAGT_OVER";
pub const FUNCTIONEEL_BEHEERDER_STELT_IN: &str = "FUNCTIONEEL_BEHEERDER_STELT_IN";

/// Is organisation `naar` (of kind `soort`) covered by an agreement rule in force with the
/// melding's sender `afzender` to read and to handle a melding at `vertrouwelijkheid`:
/// purpose `veiligheidsbeoordeling` for a Veilig Thuis, else `coordinatie`, the
/// identification and the family situation, read and change — the rule that will govern
/// its reads (`CONVENANT_VEREIST`), so a melding is never addressed to an organisation
/// that can neither open nor answer it. Only an agreement rule counts
/// (`zicht::convenant_dekt`); the failing action is returned. Used by the routing
/// (`ROUTERING_BINNEN_CONVENANT`) and the hand-over (`OVERDRACHT_BINNEN_CONVENANT`).
pub fn ontvanger_gedekt(
    conn: &mut DbConnection,
    ctx: &Context,
    afzender: &str,
    vertrouwelijkheid: ketenregie_common::Vertrouwelijkheid,
    naar: &str,
    soort: OrganisatieSoort,
) -> Result<Result<(), (Actie, Doel)>, Fout> {
    let doel = if soort == OrganisatieSoort::VeiligThuis {
        Doel::Veiligheidsbeoordeling
    } else {
        Doel::Coordinatie
    };
    for actie in [Actie::Lezen, Actie::Wijzigen] {
        let a = Aanvraag {
            actie,
            doel,
            categorieen: vec![
                Gegevenscategorie::Identificatie,
                Gegevenscategorie::Gezinssituatie,
            ],
            optioneel: vec![],
            eigenaren: vec![afzender.to_string()],
            vertrouwelijkheid,
        };
        if !zicht::convenant_dekt(conn, ctx, naar, &a)? {
            return Ok(Err((actie, doel)));
        }
    }
    Ok(Ok(()))
}

/// Police roles that file zorgmeldingen (`POLITIE_DIENT_IN`).
pub const INDIENERS: &[Rol] = &[Rol::Wijkagent, Rol::Jeugdcoordinator, Rol::Noodhulp];

/// `POLITIE_DIENT_IN`.
pub fn mag_indienen(conn: &mut DbConnection, ctx: &Context) -> Result<(), Fout> {
    let actor = &ctx.actor;
    // The kind from the instance's cache of the register, at the stamp the request read
    // (a change of the register bumps it): no look-up on the filing's path.
    let soort = ctx
        .stamgegevens
        .stand_met(conn, ctx.stempel)?
        .kern(conn, &actor.organisatie)?
        .map(|o| o.2);
    if soort == Some(OrganisatieSoort::Politie) && INDIENERS.iter().any(|r| actor.heeft_rol(*r)) {
        Ok(())
    } else {
        Err(Fout::geweigerd(
            POLITIE_DIENT_IN,
            "Zorgmeldingen worden ingediend door politie (wijkagent, jeugdcoördinator of noodhulp)",
        ))
    }
}

/// `AFZENDER_BEHEERT_CONCEPT`; `wat` is the act ("wijzigt", "dient ... in"). The
/// author's organisation, and there a role that files (`INDIENERS`, as
/// `POLITIE_DIENT_IN`): what an officer reported is changed, submitted or withdrawn by
/// those who report, never by the organisation's functional admin, privacy officer or
/// quality reviewer (the outside tester's finding, round three: they could rewrite a
/// concept they could not have filed). Refused 403 in the trail of the melding's owner,
/// where its privacy officer sees who tried.
pub fn beheert_concept(actor: &Actor, k: &Kop, wat: &str) -> Result<(), Fout> {
    let reden = if k.afzender != actor.organisatie {
        format!("Alleen de organisatie van de opsteller {wat}")
    } else if !INDIENERS.iter().any(|r| actor.heeft_rol(*r)) {
        format!(
            "Alleen een indiener van de organisatie van de opsteller (wijkagent, jeugdcoördinator of noodhulp) {wat}"
        )
    } else {
        return Ok(());
    };
    Err(Fout::geweigerd(AFZENDER_BEHEERT_CONCEPT, reden).bij_eigenaar(&k.afzender))
}

/// `FUNCTIONEEL_BEHEERDER_STELT_IN`; `wat` names the setting.
pub fn beheerder(actor: &Actor, wat: &str) -> Result<(), Fout> {
    if actor.heeft_rol(Rol::FunctioneelBeheerder) {
        Ok(())
    } else {
        Err(Fout::geweigerd(
            FUNCTIONEEL_BEHEERDER_STELT_IN,
            format!("Alleen de functioneel beheerder {wat}"),
        ))
    }
}

/// The decision for the filing organisation on its own melding (rule
/// `EIGEN_ORGANISATIE` in the decision): identification and family situation required,
/// BSN and the reporter's identity as the agreement allows.
pub fn eigen_toestemming(
    conn: &mut DbConnection,
    ctx: &Context,
    actie: Actie,
) -> Result<Toestemming, Fout> {
    besluit::toegang(
        conn,
        ctx,
        &Aanvraag {
            actie,
            doel: Doel::Zorgmelding,
            categorieen: vec![
                Gegevenscategorie::Identificatie,
                Gegevenscategorie::Gezinssituatie,
                Gegevenscategorie::Politiegegevens,
            ],
            optioneel: vec![Gegevenscategorie::Bsn, Gegevenscategorie::MelderIdentiteit],
            eigenaren: vec![ctx.actor.organisatie.clone()],
            vertrouwelijkheid: ketenregie_common::Vertrouwelijkheid::ZeerGeheim,
        },
    )
}

/// The caller's relation to melding `k` (`partij::relatie`) and the decision for `actie`
/// on it for the purpose that relation serves. For another organisation's melding the
/// decision's inputs are loaded first (`besluit::Beslisser::laad`: the version stamp, then
/// the instance's cache), and the relation takes the caller's organisation kind from them:
/// one statement instead of a registry look-up plus the stamp.
pub fn beslis(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    actie: Actie,
) -> Result<(Partij, Toestemming), Fout> {
    beslis_met(conn, ctx, k, actie, ctx.stempel)
}

/// `beslis` at version stamp `stempel` of the decision's inputs (one the caller read in
/// its own statement, e.g. `opslag::lezing`) instead of the one the request carries
/// (`Context::stempel`); `None`: read it now (one statement).
pub fn beslis_met(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    actie: Actie,
    stempel: Option<Stempel>,
) -> Result<(Partij, Toestemming), Fout> {
    let aanvraag = |doel| Aanvraag {
        actie,
        doel,
        categorieen: vec![
            Gegevenscategorie::Identificatie,
            Gegevenscategorie::Gezinssituatie,
        ],
        optioneel: vec![
            Gegevenscategorie::Bsn,
            Gegevenscategorie::Politiegegevens,
            Gegevenscategorie::MelderIdentiteit,
        ],
        eigenaren: vec![k.afzender.clone()],
        vertrouwelijkheid: k.vertrouwelijkheid,
    };
    if k.afzender == ctx.actor.organisatie {
        // Own data: the relation needs no look-up and the decision no stamp.
        let (wie, doel) = partij::relatie(conn, &ctx.actor, k)?;
        return Ok((wie, besluit::toegang(conn, ctx, &aanvraag(doel))?));
    }
    let stand = ctx.stamgegevens.stand_met(conn, stempel)?;
    let beslisser = besluit::Beslisser::laad_bij(conn, ctx, &stand)?;
    let (wie, doel) = partij::relatie_met(conn, &ctx.actor, k, |_| Ok(beslisser.soort()))?;
    // A refusal on the sender's melding is recorded in the sender's audit trail.
    let t = beslisser
        .beslis(ctx, &aanvraag(doel))
        .map_err(|w| Fout::from(w).bij_eigenaar(&k.afzender))?;
    Ok((wie, t))
}

/// The content as the caller may see it: what the decision redacts left out. Which field
/// belongs to which category: identificatie (names, dates of birth), bsn, gezinssituatie
/// (parents, concerns, the child's words), politiegegevens (incident and statements),
/// melder-identiteit. Returns the JSON (camelCase, as `Inhoud` serialises) and the
/// categories left out.
pub fn redigeer(i: &Inhoud, t: &Toestemming) -> (serde_json::Value, Vec<Gegevenscategorie>) {
    let mut v = serde_json::to_value(i).expect("serialises");
    let mut weg = Vec::new();
    if !t.mag_zien(Gegevenscategorie::Bsn) {
        for lijst in ["kinderen", "ouders"] {
            for k in v[lijst].as_array_mut().into_iter().flatten() {
                k["bsn"] = serde_json::Value::Null;
            }
        }
        weg.push(Gegevenscategorie::Bsn);
    }
    if !t.mag_zien(Gegevenscategorie::Politiegegevens) {
        for f in ["incidentReferentie", "incidentDatum", "omschrijving"] {
            v[f] = serde_json::Value::Null;
        }
        v["verklaringen"] = serde_json::json!([]);
        weg.push(Gegevenscategorie::Politiegegevens);
    }
    if !t.mag_zien(Gegevenscategorie::MelderIdentiteit) {
        v["melder"]["naam"] = serde_json::Value::Null;
        v["melder"]["functie"] = serde_json::Value::Null;
        weg.push(Gegevenscategorie::MelderIdentiteit);
    }
    (v, weg)
}

/// Every child's municipality is a CBS code that exists (once the reference data is
/// loaded); each unknown one named (`kinderen[i].gemeente`, code `gemeentecode-onbekend`).
pub fn controleer_gemeenten(
    conn: &mut DbConnection,
    ctx: &Context,
    i: &Inhoud,
) -> Result<(), Fout> {
    let velden: Vec<(String, String)> = i
        .kinderen
        .iter()
        .enumerate()
        .map(|(n, k)| (format!("kinderen[{n}].gemeente"), k.gemeente.clone()))
        .collect();
    // Against the instance's cached codes at the request's stamp: no round trip.
    let bekend = ctx
        .stamgegevens
        .stand_met(conn, ctx.stempel)?
        .gemeenten(conn)?;
    referentie::bestaande_gemeenten_in(&bekend, &velden)
}
