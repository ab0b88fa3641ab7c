//! Submitting a concept (`dien_in`), the organisation's quality check (`kwaliteit`) and
//! routing (DOMAIN.md §3 flow 1): a checked melding goes to the Veilig Thuis serving each
//! child's municipality, one melding per region linked in one group; children no Veilig
//! Thuis serves are held as `niet-routeerbaar`, never dropped.
//!
//! Sending routes the children's and parents' data to another organisation: it writes
//! one processing-log row per data subject of the melding as filed (issue 14 finding 3),
//! with the audit row of the submission or the approval.

use crate::inhoud::Inhoud;
use crate::levenscyclus::TaakStatus;
use crate::melding::{alleen_concept, versie_check};
use crate::opslag::{self, Kop, Meldingstatus};
use crate::partij::{self, laad, object};
use crate::toegang::{
    self, KWALITEITSCONTROLE_EIGEN_ORGANISATIE, KWALITEITSCONTROLE_VIER_OGEN, eigen_toestemming,
};
use crate::{routering, termijnen};
use ketenregie_common::{Actie, Fout, OrganisatieSoort, Rol};
use ketenregie_privacy::logboek;
use ketenregie_privacy::{Context, Toestemming};
use ketenregie_store::{DbConnection, outbox};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Event to the receiving Veilig Thuis: a new melding in its inbox.
pub const ONTVANGEN: &str = "zorgmeldingen.zorgmelding-ontvangen";
/// Event to the sender: a child no Veilig Thuis serves, the melding held.
pub const NIET_ROUTEERBAAR: &str = "zorgmeldingen.zorgmelding-niet-routeerbaar";

/// Submit concept `id`, at the version read (`If-Match`, if sent).
#[derive(Debug, Clone)]
pub struct Indiening {
    pub id: Uuid,
    /// `If-Match` (RFC 9110 §13.1.1), `IfMatch::Geen` when not sent.
    pub verwacht_versie: ketenregie_common::IfMatch,
}

/// Submit a concept: by the author's organisation (`AFZENDER_BEHEERT_CONCEPT`) and the
/// police (`POLITIE_DIENT_IN`); to the organisation's quality check if it has one, else
/// routed at once. Returns the melding(s) as they now are.
pub fn dien_in(conn: &mut DbConnection, ctx: &Context, i: Indiening) -> Result<Vec<Kop>, Fout> {
    let k = laad(conn, i.id)?;
    partij::in_zicht(conn, &ctx.actor.organisatie, &k)?;
    toegang::beheert_concept(&ctx.actor, &k, "dient een concept in")?;
    toegang::mag_indienen(conn, ctx)?;
    alleen_concept(&k, "ingediend")?;
    versie_check(&k, &i.verwacht_versie)?;
    let t = eigen_toestemming(conn, ctx, Actie::Wijzigen)?;
    let betrokkenen = opslag::onderwerpen(conn, k.id)?;
    let uit = if opslag::kwaliteitscontrole_verplicht(conn, &ctx.actor.organisatie)? {
        opslag::zet_status(
            conn,
            k.id,
            k.versie,
            Some(Meldingstatus::TerControle),
            None,
            None,
            None,
            ctx.nu,
        )?;
        opslag::stap(
            conn,
            &ctx.versleuteling,
            k.id,
            &ctx.actor,
            "ter-controle",
            Some("concept".into()),
            Some("ter-controle".into()),
            None,
            None,
            ctx.nu,
        )?;
        vec![laad(conn, k.id)?]
    } else {
        routeer(conn, ctx, &t, &k)?
    };
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Wijzigen,
        object(&k),
        None,
        None,
        &betrokkenen,
    )?;
    Ok(uit)
}

/// A quality checker's verdict.
#[derive(Debug, Clone)]
pub enum Oordeel {
    /// Approved: the melding is routed.
    Goedgekeurd,
    /// Sent back with what must improve: a concept again.
    Teruggestuurd { opmerkingen: String },
}

/// The verdict on melding `id`.
#[derive(Debug, Clone)]
pub struct Kwaliteitsoordeel {
    pub id: Uuid,
    pub oordeel: Oordeel,
    /// `If-Match` (RFC 9110 §13.1.1), `IfMatch::Geen` when not sent.
    pub verwacht_versie: ketenregie_common::IfMatch,
}

/// A kwaliteitscontroleur of the filing organisation approves (routed) or sends back
/// (`KWALITEITSCONTROLE_EIGEN_ORGANISATIE`), never one who drafted, changed or submitted
/// it (`KWALITEITSCONTROLE_VIER_OGEN`); only a melding `ter-controle`, at the version read
/// (412 when `If-Match` names another, or someone else changed it first). Answered in a
/// step's order (`levenscyclus::STAP_VOOR_REDEN`): who (403), the state (409), the
/// verdict's own body (422), then the precondition (412).
pub fn kwaliteit(
    conn: &mut DbConnection,
    ctx: &Context,
    o: Kwaliteitsoordeel,
) -> Result<Vec<Kop>, Fout> {
    let k = laad(conn, o.id)?;
    partij::in_zicht(conn, &ctx.actor.organisatie, &k)?;
    if k.afzender != ctx.actor.organisatie || !ctx.actor.heeft_rol(Rol::Kwaliteitscontroleur) {
        // In the trail of the melding's owner, which may be another organisation.
        return Err(Fout::geweigerd(
            KWALITEITSCONTROLE_EIGEN_ORGANISATIE,
            "Alleen een kwaliteitscontroleur van de indienende organisatie beoordeelt",
        )
        .bij_eigenaar(&k.afzender));
    }
    if opslag::opgesteld_door(conn, &k, &ctx.actor)? {
        return Err(Fout::geweigerd(
            KWALITEITSCONTROLE_VIER_OGEN,
            "U stelde deze zorgmelding op, wijzigde of diende haar in: een andere kwaliteitscontroleur beoordeelt haar",
        )
        .bij_eigenaar(&k.afzender));
    }
    if k.meldingstatus != Meldingstatus::TerControle {
        return Err(Fout::conflict(format!(
            "De zorgmelding is `{}`, niet ter controle",
            k.meldingstatus
        )));
    }
    // A send-back says what must improve: the filer cannot mend what nobody named
    // (DOMAIN.md §3 flow 1, the quality check), whoever calls (API or werkplek). The
    // verdict's own fault before the precondition (`levenscyclus::STAP_VOOR_REDEN`).
    if let Oordeel::Teruggestuurd { opmerkingen } = &o.oordeel
        && opmerkingen.trim().is_empty()
    {
        return Err(Fout::veld(
            "opmerkingen",
            ketenregie_common::validatie::regelcode::VERPLICHT_BIJ,
            "geef bij terugsturen aan wat er beter moet",
        ));
    }
    versie_check(&k, &o.verwacht_versie)?;
    let t = eigen_toestemming(conn, ctx, Actie::Wijzigen)?;
    let betrokkenen = opslag::onderwerpen(conn, k.id)?;
    let uit = match &o.oordeel {
        Oordeel::Goedgekeurd => {
            opslag::stap(
                conn,
                &ctx.versleuteling,
                k.id,
                &ctx.actor,
                "goedgekeurd",
                Some("ter-controle".into()),
                None,
                None,
                None,
                ctx.nu,
            )?;
            routeer(conn, ctx, &t, &k)?
        }
        Oordeel::Teruggestuurd { opmerkingen } => {
            if !opslag::zet_status(
                conn,
                k.id,
                k.versie,
                Some(Meldingstatus::Concept),
                None,
                None,
                None,
                ctx.nu,
            )? {
                return Err(Fout::VoorwaardeMislukt(
                    "De zorgmelding is intussen door iemand anders gewijzigd; haal haar opnieuw op"
                        .into(),
                ));
            }
            opslag::stap(
                conn,
                &ctx.versleuteling,
                k.id,
                &ctx.actor,
                "teruggestuurd",
                Some("ter-controle".into()),
                Some("concept".into()),
                Some(opmerkingen),
                None,
                ctx.nu,
            )?;
            vec![laad(conn, k.id)?]
        }
    };
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Wijzigen,
        object(&k),
        None,
        None,
        &betrokkenen,
    )?;
    Ok(uit)
}

/// `ROUTERING_BINNEN_CONVENANT`: a melding goes to the Veilig Thuis serving the child only
/// when an agreement in force with the sender covers that Veilig Thuis reading and
/// handling it (`toegang::ontvanger_gedekt`, the rule that governs its reads:
/// `CONVENANT_VEREIST`, purpose `veiligheidsbeoordeling`). Otherwise that part is held as
/// `niet-routeerbaar` in the sender's outbox with the reason `buiten-convenant`, and the
/// sender hears of it (`zorgmelding-niet-routeerbaar`): a care report is never dropped,
/// nor sent to a receiver that could neither open nor answer it while its duties ran out
/// (the outside test of 2 Dec 2026: a child living in Amsterdam, filed in a Haaglanden
/// pilot). The sender then reaches that Veilig Thuis another way (DOMAIN.md §3 flow 1).
pub const ROUTERING_BINNEN_CONVENANT: &str = "ROUTERING_BINNEN_CONVENANT";

/// `HELD_DEEL_PER_REGIO`: children whose Veilig Thuis is outside the sender's agreements
/// are held per Veilig Thuis region, like the parts that are sent (DOMAIN.md §3 flow 1,
/// "routed to the VT region responsible for the child's municipality"; README "Routing":
/// one melding per region), and each held part names that Veilig Thuis from the directory
/// (refdata `veilig-thuis-regios.csv`) with its contact points, so the officer knows whom
/// to call (DOMAIN.md §1 point 6). Two unserved regions lumped into one part naming
/// neither was hc finding F8.
pub const HELD_DEEL_PER_REGIO: &str = "HELD_DEEL_PER_REGIO";

/// Where the children of one part of a melding go.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Bestemming {
    /// Held: no Veilig Thuis serves the municipality.
    GeenVeiligThuis,
    /// Held: the Veilig Thuis serving it (its code) is outside the sender's agreements
    /// (`ROUTERING_BINNEN_CONVENANT`), one part per Veilig Thuis (`HELD_DEEL_PER_REGIO`).
    BuitenConvenant(String),
    /// Sent to this Veilig Thuis (its code).
    VeiligThuis(String),
}

impl Bestemming {
    /// The receiver, if the part is sent.
    fn ontvanger(&self) -> Option<&str> {
        match self {
            Bestemming::VeiligThuis(code) => Some(code),
            _ => None,
        }
    }

    /// Why a held part is held, for the sender who reads the step: for a Veilig Thuis
    /// outside the agreements, which one and how to reach it (`HELD_DEEL_PER_REGIO`).
    fn uitleg(&self, conn: &mut DbConnection) -> Result<Option<String>, Fout> {
        Ok(match self {
            Bestemming::GeenVeiligThuis => Some(
                "Geen Veilig Thuis bedient de gemeente van dit kind; neem op een andere manier contact op met Veilig Thuis".into(),
            ),
            Bestemming::BuitenConvenant(code) => {
                let (naam, contact) = veilig_thuis_contact(conn, code)?;
                Some(format!(
                    "{naam} is de Veilig Thuis van de gemeente van dit kind en valt onder geen convenant van kracht met uw organisatie (ROUTERING_BINNEN_CONVENANT); neem op een andere manier contact op met {naam}{contact}"
                ))
            }
            Bestemming::VeiligThuis(_) => None,
        })
    }

    /// Why a held part is held, as a code in the step's data.
    fn reden(&self) -> Option<&'static str> {
        match self {
            Bestemming::GeenVeiligThuis => Some("geen-veilig-thuis"),
            Bestemming::BuitenConvenant(_) => Some("buiten-convenant"),
            Bestemming::VeiligThuis(_) => None,
        }
    }

    /// The Veilig Thuis responsible for the part's children, sent or not.
    fn veilig_thuis(&self) -> Option<&str> {
        match self {
            Bestemming::BuitenConvenant(code) | Bestemming::VeiligThuis(code) => Some(code),
            Bestemming::GeenVeiligThuis => None,
        }
    }
}

/// The name of Veilig Thuis `code` and its contact points as text (", bereikbaar via
/// <naam> <telefoon> <e-mail>; ..."), empty when it has none registered.
fn veilig_thuis_contact(conn: &mut DbConnection, code: &str) -> Result<(String, String), Fout> {
    use ketenregie_store::directory;
    let Some(org) = directory::organisatie_op_code(conn, code)? else {
        return Ok((code.to_string(), String::new()));
    };
    let punten = directory::contactpunten(
        conn,
        &directory::ContactpuntFilter {
            organisatie_id: Some(org.id),
            ..Default::default()
        },
        &ketenregie_store::venster::Venster::eerste(5),
    )?;
    // The privacy officer's point is for data-subject requests, not for a melding.
    let teksten: Vec<String> = punten
        .rijen
        .iter()
        .filter(|c| c.rol != directory::ContactpuntRol::Privacy)
        .map(|c| {
            [
                Some(c.naam.as_str()),
                c.telefoon.as_deref(),
                c.email.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect();
    let contact = if teksten.is_empty() {
        String::new()
    } else {
        format!(", bereikbaar via {}", teksten.join("; "))
    };
    Ok((format!("{} ({})", org.naam, org.code), contact))
}

/// The children of `inhoud` grouped by where they go (`Bestemming`), in a fixed order:
/// held parts first, then the Veilig Thuis regions by code.
fn per_regio(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    inhoud: &Inhoud,
) -> Result<BTreeMap<Bestemming, Vec<usize>>, Fout> {
    let per_gemeente = routering::veilig_thuis_voor(conn, &inhoud.gemeenten())?;
    let mut gedekt: BTreeMap<String, bool> = BTreeMap::new();
    let mut groepen: BTreeMap<Bestemming, Vec<usize>> = BTreeMap::new();
    for (i, kind) in inhoud.kinderen.iter().enumerate() {
        let bestemming = match per_gemeente.get(&kind.gemeente).cloned().flatten() {
            None => Bestemming::GeenVeiligThuis,
            Some(vt) => {
                let ok = match gedekt.get(&vt) {
                    Some(ok) => *ok,
                    None => {
                        let ok = toegang::ontvanger_gedekt(
                            conn,
                            ctx,
                            &k.afzender,
                            k.vertrouwelijkheid,
                            &vt,
                            OrganisatieSoort::VeiligThuis,
                        )?
                        .is_ok();
                        gedekt.insert(vt.clone(), ok);
                        ok
                    }
                };
                if ok {
                    Bestemming::VeiligThuis(vt)
                } else {
                    Bestemming::BuitenConvenant(vt)
                }
            }
        };
        groepen.entry(bestemming).or_default().push(i);
    }
    Ok(groepen)
}

/// Send a checked melding: one melding per Veilig Thuis region, linked in one group (the
/// first part keeps the melding itself); each sent one gets its feedback duties and an
/// event to its receiver, a held one an event to the sender.
fn routeer(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    k: &Kop,
) -> Result<Vec<Kop>, Fout> {
    let inhoud = opslag::inhoud(conn, t, &ctx.versleuteling, k.id)?;
    let mut uit = Vec::new();
    for (n, (bestemming, kinderen)) in per_regio(conn, ctx, k, &inhoud)?.into_iter().enumerate() {
        let vt = bestemming.ontvanger();
        let deel = Inhoud {
            kinderen: kinderen
                .iter()
                .map(|i| inhoud.kinderen[*i].clone())
                .collect(),
            ..inhoud.clone()
        };
        let id = if n == 0 {
            verzend_zelf(conn, ctx, t, k, &deel, vt)?
        } else {
            let (status, taak) = statussen(vt);
            opslag::maak(
                conn,
                t,
                &ctx.versleuteling,
                &ctx.actor,
                Some(k.groep_id),
                None,
                vt,
                status,
                taak,
                &deel,
                k.vertrouwelijkheid,
                &k.afzender,
                ctx.nu,
            )?
            .id
        };
        meld_verzonden(conn, ctx, k, id, &deel, &bestemming)?;
        uit.push(laad(conn, id)?);
    }
    Ok(uit)
}

/// The melding and task status of a part going to `vt` (or to no one).
fn statussen(vt: Option<&str>) -> (Meldingstatus, Option<TaakStatus>) {
    match vt {
        Some(_) => (Meldingstatus::Verzonden, Some(TaakStatus::Requested)),
        None => (Meldingstatus::NietRouteerbaar, None),
    }
}

/// The first region keeps melding `k` itself: its content becomes that region's part.
fn verzend_zelf(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    k: &Kop,
    deel: &Inhoud,
    vt: Option<&str>,
) -> Result<Uuid, Fout> {
    opslag::vervang_inhoud(
        conn,
        t,
        &ctx.versleuteling,
        k.id,
        deel,
        k.vertrouwelijkheid,
        ctx.nu,
    )?;
    let nu_k = laad(conn, k.id)?;
    let (status, taak) = statussen(vt);
    if !opslag::zet_status(
        conn,
        k.id,
        nu_k.versie,
        Some(status),
        taak,
        None,
        vt,
        ctx.nu,
    )? {
        return Err(Fout::VoorwaardeMislukt(
            "De zorgmelding is intussen gewijzigd".into(),
        ));
    }
    Ok(k.id)
}

/// After sending part `id` to its `bestemming` (or holding it): its duties, the event,
/// the step (a held part's step says why: `geen-veilig-thuis` or `buiten-convenant`).
fn meld_verzonden(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    id: Uuid,
    deel: &Inhoud,
    bestemming: &Bestemming,
) -> Result<(), Fout> {
    let vt = bestemming.ontvanger().map(str::to_string);
    let uitleg = bestemming.uitleg(conn)?;
    let (status, taak) = statussen(vt.as_deref());
    if let Some(code) = &vt {
        termijnen::maak(conn, id, &k.afzender, code, deel.acuut, ctx.nu)?;
    }
    // Tell the receiving Veilig Thuis there is a new melding in its inbox; tell the
    // sender's organisation when no Veilig Thuis serves a child (held, never dropped).
    let (soort, aan) = match &vt {
        Some(code) => (ONTVANGEN, code.clone()),
        None => (NIET_ROUTEERBAAR, k.afzender.clone()),
    };
    outbox::enqueue(
        conn,
        &outbox::Gebeurtenis {
            soort: soort.into(),
            organisatie: aan,
            onderwerp: id.to_string(),
            dataref: opslag::pad(id),
        },
        ctx.nu,
    )?;
    opslag::stap(
        conn,
        &ctx.versleuteling,
        id,
        &ctx.actor,
        if vt.is_some() {
            "verzonden"
        } else {
            "niet-routeerbaar"
        },
        None,
        taak.map(|t| t.to_string()).or(Some(status.to_string())),
        uitleg.as_deref(),
        Some(match bestemming.reden() {
            None => serde_json::json!({"ontvanger": vt, "gemeenten": deel.gemeenten()}),
            Some(reden) => {
                serde_json::json!({"ontvanger": vt, "gemeenten": deel.gemeenten(), "reden": reden, "veiligThuis": bestemming.veilig_thuis()})
            }
        }),
        ctx.nu,
    )?;
    Ok(())
}
