//! The handling of a sent melding (DOMAIN.md §3 flow 2, DESIGN.md §4): every step through
//! the published transition table (`levenscyclus`), by the party whose step it is, at the
//! version read, with the step history, the feedback duties it meets or ends, an event to
//! the other party and both logs (one processing-log row per data subject: moving a care
//! report about a child is processing the child's data). Also the hand-over
//! (`draag_over`): a linked task for another organisation.

use crate::levenscyclus::{self, Beoordelingsuitkomst, Partij, TaakStatus};
use crate::melding::versie_check;
use crate::opslag::{self, Kop, Meldingstatus};
use crate::partij::{self, laad, object};
use crate::termijnen;
use crate::toegang::{self, ALLEEN_ONTVANGER_DRAAGT_OVER};
use ketenregie_common::{Actie, Fout, OrganisatieSoort};
use ketenregie_privacy::Context;
use ketenregie_privacy::convenant::Terugkoppelmoment;
use ketenregie_privacy::logboek;
use ketenregie_store::{DbConnection, directory, outbox};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Event to the other party of every step (a reference, no content).
pub const STATUS_GEWIJZIGD: &str = "zorgmeldingen.status-gewijzigd";
/// Event to the organisation a task is handed over to.
pub const OVERDRACHT_ONTVANGEN: &str = "zorgmeldingen.overdracht-ontvangen";

/// A step on melding `id` at the version read, with its reason (required for rejected,
/// cancelled, on-hold and failed: `REDEN_VERPLICHT`).
#[derive(Debug, Clone, Default)]
pub struct Stapverzoek {
    pub id: Uuid,
    /// `If-Match` (RFC 9110 §13.1.1), `IfMatch::Geen` when not sent.
    pub verwacht_versie: ketenregie_common::IfMatch,
    pub reden: Option<String>,
}

/// One transition as the use cases below ask for it.
struct Overgang {
    naar: TaakStatus,
    /// The states this step starts from, where the transition table allows more: a
    /// resumption (`HERVATTEN_ZONDER_BEOORDELING`) is not of a received melding, though
    /// received -> in-progress is in the table (the triage's step). Empty: any the table
    /// allows.
    vanuit: &'static [TaakStatus],
    stap: &'static str,
    bedrijfsstatus: Option<String>,
    gegevens: Option<serde_json::Value>,
    /// The triage's outcome, for a triage (`beoordeel`): checked against the melding's
    /// content (`ONDERZOEK_VT_BIJ_ANONIEME_MELDER`) before anything is written.
    uitkomst: Option<Beoordelingsuitkomst>,
}

/// Run one transition, answered in `levenscyclus::STAP_VOOR_REDEN`'s order: decision,
/// the party and the table (`levenscyclus::mag`), the body (`levenscyclus::reden_geldig`,
/// the triage's outcome), the `If-Match`; then the write at the version read (412 if
/// someone else was first), the step, the duties, the event, the logs.
fn overgang(
    conn: &mut DbConnection,
    ctx: &Context,
    s: Stapverzoek,
    o: Overgang,
) -> Result<Kop, Fout> {
    let k = laad(conn, s.id)?;
    let (partij, t) = toegang::beslis(conn, ctx, &k, Actie::Wijzigen)?;
    let huidig = k.taakstatus.ok_or_else(|| {
        Fout::conflict(format!(
            "De zorgmelding is `{}` en nog niet verzonden: er is geen taak om te wijzigen",
            k.meldingstatus
        ))
    })?;
    // STAP_VOOR_REDEN: whether the step is the caller's and legal now (403/409), then
    // the body (400/422), then the precondition (412). The melding's original sender takes
    // no step on a hand-over task, whatever its state (ALLEEN_AFZENDER_ANNULEERT,
    // ALLEEN_ONTVANGER_VOERT_UIT), and a step that is the other party's is refused: both
    // in the melding's owner's trail.
    // VEILIG_THUIS_NEEMT_ELKE_MELDING: the receiver's kind, for the receiver's own steps.
    let ontvanger = partij::ontvangersoort(conn, ctx, &k, partij)?;
    levenscyclus::mag(huidig, o.naar, partij, ontvanger)
        .map_err(|f| f.bij_eigenaar(&k.afzender))?;
    if !o.vanuit.is_empty() && !o.vanuit.contains(&huidig) {
        return Err(Fout::toestand(
            format!(
                "Ongeldige stap: een {} kan alleen vanuit {}, niet vanuit `{huidig}`; een ontvangen melding gaat in behandeling met haar beoordeling (beoordelingen) (regel {HERVATTEN_ZONDER_BEOORDELING})",
                o.stap,
                o.vanuit
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" of ")
            ),
            huidig.to_string(),
            levenscyclus::toegestaan_voor(huidig, partij, ontvanger)
                .iter()
                .map(ToString::to_string),
        ));
    }
    levenscyclus::reden_geldig(o.naar, s.reden.as_deref())?;
    // The triage's outcome is the body too (ONDERZOEK_VT_BIJ_ANONIEME_MELDER: 422).
    if let Some(u) = o.uitkomst {
        onderzoek_vt_bij_anonieme_melder(conn, ctx, &k, u)?;
    }
    // Last the precondition: whoever lost a race with a step that is still legal hears
    // 412; one whose step the winner made illegal hears 409 above.
    versie_check(&k, &s.verwacht_versie)?;
    if !opslag::zet_status(
        conn,
        k.id,
        k.versie,
        None,
        Some(o.naar),
        o.bedrijfsstatus.as_deref(),
        None,
        ctx.nu,
    )? {
        return Err(Fout::VoorwaardeMislukt(
            "De zorgmelding is intussen door iemand anders gewijzigd; haal haar opnieuw op".into(),
        ));
    }
    opslag::stap(
        conn,
        &ctx.versleuteling,
        k.id,
        &ctx.actor,
        o.stap,
        Some(huidig.to_string()),
        Some(o.naar.to_string()),
        s.reden.as_deref(),
        o.gegevens,
        ctx.nu,
    )?;
    plichten(conn, ctx, k.id, o.naar)?;
    meld_ander(conn, ctx, &k, partij)?;
    if o.naar == TaakStatus::Cancelled {
        meld_keten_ingetrokken(conn, ctx, &k)?;
    }
    let betrokkenen = opslag::onderwerpen(conn, k.id)?;
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Wijzigen,
        object(&k),
        Some(serde_json::json!({"taakstatus": huidig})),
        Some(serde_json::json!({"taakstatus": o.naar, "bedrijfsstatus": o.bedrijfsstatus})),
        &betrokkenen,
    )?;
    laad(conn, s.id)
}

/// `PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING`: a feedback duty whose moment carries
/// content (`na-beoordeling`, `tussentijds`, `na-onderzoek`, `eindresultaat`) is met only
/// by a feedback item (`POST .../terugkoppelingen`), never by a step of the handling; only
/// the receipt (`ontvangstbevestiging`, which has no content) is met by the step that
/// confirms it (a receipt or an acceptance). Source: DOMAIN.md §3 flow 3 and Wmo 2015
/// art. 4.1.1 lid 2 sub g: Veilig Thuis tells the professional reporter what steps were
/// taken, at least after the veiligheidsbeoordeling and again after an investigation,
/// with content (whether a follow-up route started, who took over with contact, the
/// safety conditions only if the reporter has a role). A triage or a completion tells
/// the reporter none of that: when they met the duty, it left the sender's
/// `/termijnen?richting=verzonden`, the report counted it on time and the police had
/// heard nothing (the outside test of 2 Dec 2026). See `stap_voldoet`.
pub const PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING: &str =
    "PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING";

/// The duties a step to `naar` meets (`PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING`):
/// the receipt, by the step that confirms it (received, accepted); nothing else.
pub fn stap_voldoet(naar: TaakStatus) -> &'static [Terugkoppelmoment] {
    match naar {
        TaakStatus::Received | TaakStatus::Accepted => &[Terugkoppelmoment::Ontvangstbevestiging],
        _ => &[],
    }
}

/// The receipt a step confirms is met (`stap_voldoet`); every duty with content waits
/// for its feedback item (`PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING`); an ended
/// task's open duties lapse, except when it ended by completion or failure, after which
/// the final outcome is still owed (DOMAIN.md §3 flow 3).
fn plichten(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    naar: TaakStatus,
) -> Result<(), Fout> {
    if matches!(
        naar,
        TaakStatus::Rejected | TaakStatus::Cancelled | TaakStatus::EnteredInError
    ) {
        termijnen::vervallen(conn, id, ctx.nu)?;
    }
    for m in stap_voldoet(naar) {
        termijnen::voldaan(conn, id, *m, ctx.nu)?;
    }
    Ok(())
}

/// `STATUS_AAN_TAAKAFZENDER`: a step's `status-gewijzigd` notice (and its e-mail and
/// webhooks) goes to the other party of the task: for the receiver's steps, the task's own
/// sender (`partij::taakafzender`) — for a hand-over task the organisation that handed
/// over, which the receiver owes its feedback (DOMAIN.md §3 flow 4: "the receiver accepts
/// or rejects with a reason and owes feedback in turn"; README, Notifications:
/// "`status-gewijzigd` to the other party"); for the sender's cancellation, the receiver.
/// Before, every notice on a hand-over task went to the melding's original sender (the
/// police), and Veilig Thuis never heard that the wijkteam accepted or rejected its
/// hand-over (the outside test of 2 Dec 2026).
///
/// Decision: the melding's original sender hears nothing of a hand-over task, its end
/// neither. It is no party of the hand-over (it neither made nor may cancel it:
/// `ALLEEN_AFZENDER_ANNULEERT`); Veilig Thuis owes it the feedback on the melding it sent
/// (Wmo 2015 art. 4.1.1 lid 2 sub g: whether a follow-up route started, who took over),
/// and telling it the wijkteam's steps directly would make two voices on one loop. It
/// follows its melding through every hand-over in the melding's steps
/// (`GET .../stappen`), which it reads as the data's owner.
pub const STATUS_AAN_TAAKAFZENDER: &str = "STATUS_AAN_TAAKAFZENDER";

/// The other party hears of every step (no content: a reference;
/// `STATUS_AAN_TAAKAFZENDER`).
fn meld_ander(conn: &mut DbConnection, ctx: &Context, k: &Kop, wie: Partij) -> Result<(), Fout> {
    let ander = match wie {
        Partij::Ontvanger => Some(partij::taakafzender(conn, k)?),
        Partij::Afzender => k.ontvanger.clone(),
        // Takes no step (refused above); nobody to tell.
        Partij::Melder => None,
    };
    if let Some(ander) = ander.filter(|a| !a.is_empty() && *a != ctx.actor.organisatie) {
        outbox::enqueue(
            conn,
            &outbox::Gebeurtenis {
                soort: STATUS_GEWIJZIGD.into(),
                organisatie: ander,
                onderwerp: k.id.to_string(),
                dataref: k.pad(),
            },
            ctx.nu,
        )?;
    }
    Ok(())
}

/// `INTREKKING_BEREIKT_DE_KETEN`: when a task is cancelled (the police withdraw their
/// melding, or whoever handed over withdraws the hand-over), the receivers of the open
/// tasks handed over from it, at any depth, are told: a step `melding-ingetrokken` on
/// their task, and `zorgmeldingen.status-gewijzigd` to them (DOMAIN.md §3
/// flow 4, "Chains stay linked"; hc finding M3). Their tasks are not cancelled: the
/// receiver may already be helping the family, and whether the hand-over still stands is
/// for whoever handed over to decide (they may cancel it, which lapses its duties). The
/// step names the withdrawing organisation, not its user, and not the free-text reason:
/// the receiver of a hand-over had no part in the earlier task, and the reporter's
/// identity may be withheld from it under the agreement (DOMAIN.md §3 flow 7).
pub const INTREKKING_BEREIKT_DE_KETEN: &str = "INTREKKING_BEREIKT_DE_KETEN";

/// `INTREKKING_BEREIKT_DE_KETEN` for cancelled task `k`.
fn meld_keten_ingetrokken(conn: &mut DbConnection, ctx: &Context, k: &Kop) -> Result<(), Fout> {
    use diesel::prelude::*;
    use ketenregie_store::schema::zorgmeldingen as z;
    let open: Vec<String> = levenscyclus::OPEN.iter().map(ToString::to_string).collect();
    // On the receiver's task the organisation speaks, not its user (see above).
    let namens = ketenregie_common::Actor {
        gebruiker: ctx.actor.organisatie.clone(),
        weergavenaam: ctx.actor.organisatie.clone(),
        ..ctx.actor.clone()
    };
    let mut ouders = vec![k.id.to_string()];
    let mut gezien = std::collections::BTreeSet::new();
    while let Some(ouder) = ouders.pop() {
        let kinderen: Vec<(String, Option<String>, Option<String>)> = z::table
            .filter(z::bovenliggend_id.eq(&ouder))
            .select((z::id, z::ontvanger, z::taakstatus))
            .load(conn)?;
        for (id, ontvanger, status) in kinderen {
            if !gezien.insert(id.clone()) {
                continue;
            }
            ouders.push(id.clone());
            let (Some(ontvanger), Some(status)) = (ontvanger, status) else {
                continue;
            };
            if !open.contains(&status) {
                continue;
            }
            let taak: Uuid = id.parse().map_err(|_| {
                Fout::Intern(format!("zorgmeldingen.id `{id}` is geen uuid").into())
            })?;
            opslag::stap(
                conn,
                &ctx.versleuteling,
                taak,
                &namens,
                "melding-ingetrokken",
                None,
                None,
                Some(
                    "De taak waaruit deze overdracht voortkwam, is geannuleerd. Uw taak loopt door; wie overdroeg beslist of de overdracht blijft.",
                ),
                Some(
                    serde_json::json!({"ingetrokken": k.id, "door": ctx.actor.organisatie, "regel": INTREKKING_BEREIKT_DE_KETEN}),
                ),
                ctx.nu,
            )?;
            outbox::enqueue(
                conn,
                &outbox::Gebeurtenis {
                    soort: STATUS_GEWIJZIGD.into(),
                    organisatie: ontvanger,
                    onderwerp: id,
                    dataref: opslag::pad(taak),
                },
                ctx.nu,
            )?;
        }
    }
    Ok(())
}

fn eenvoudig(naar: TaakStatus, stap: &'static str) -> Overgang {
    Overgang {
        naar,
        vanuit: &[],
        stap,
        bedrijfsstatus: None,
        gegevens: None,
        uitkomst: None,
    }
}

/// `ONDERZOEK_VT_BIJ_ANONIEME_MELDER`: the triage of a melding whose reporter was promised
/// anonymity (`melder.identiteitDelen: false`) has the outcome `onderzoek-vt`: Veilig Thuis
/// investigates itself (DOMAIN.md §3 flow 2: "VT must investigate itself when ... the
/// reporter was promised anonymity"; a hand-over or a request to the Raad would carry the
/// reporter's report to others, and closing it would leave the family never heard on
/// what the reporter said). Any other outcome is refused as `Ongeldig` naming `uitkomst`
/// (422), nothing written.
///
/// Of DOMAIN's grounds for VT's own investigation only this one is stored with the
/// melding as a fact; the others (safety needs direct action, abuse is unclear, the family
/// denies or refuses help, information is insufficient) are the triagist's judgement and
/// are not enforced here.
pub const ONDERZOEK_VT_BIJ_ANONIEME_MELDER: &str = "ONDERZOEK_VT_BIJ_ANONIEME_MELDER";

/// The outcomes a triage of a melding with this reporter choice may have
/// (`ONDERZOEK_VT_BIJ_ANONIEME_MELDER`): all of them, or only `onderzoek-vt` when the
/// reporter was promised anonymity. The werkplek's triage form offers these.
pub fn toegestane_uitkomsten(identiteit_delen: bool) -> &'static [Beoordelingsuitkomst] {
    use strum::VariantArray;
    if identiteit_delen {
        Beoordelingsuitkomst::VARIANTS
    } else {
        &[Beoordelingsuitkomst::OnderzoekVt]
    }
}

/// Does melding `id` say its reporter was promised anonymity? (Its stored content, read
/// with the service's key: for the rule and the triage form, never shown.)
pub fn melder_anoniem(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<bool, Fout> {
    Ok(!opslag::ontsleutel_inhoud(conn, &ctx.versleuteling, id)?
        .melder
        .identiteit_delen)
}

/// `ONDERZOEK_VT_BIJ_ANONIEME_MELDER` for the triage of `k` with outcome `u`.
fn onderzoek_vt_bij_anonieme_melder(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    u: Beoordelingsuitkomst,
) -> Result<(), Fout> {
    if toegestane_uitkomsten(!melder_anoniem(conn, ctx, k.id)?).contains(&u) {
        return Ok(());
    }
    Err(Fout::veld(
        "uitkomst",
        "onderzoek-vt-bij-anonieme-melder",
        format!(
            "{ONDERZOEK_VT_BIJ_ANONIEME_MELDER}: aan de melder is beloofd dat de familie niet hoort wie meldde; dan onderzoekt Veilig Thuis zelf (DOMAIN.md §3, veiligheidsbeoordeling): de uitkomst is `{}`, niet `{u}`",
            Beoordelingsuitkomst::OnderzoekVt
        ),
    ))
}

/// The receiver confirms receipt (requested -> received).
pub fn ontvang(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(conn, ctx, s, eenvoudig(TaakStatus::Received, "ontvangst"))
}

/// The receiver accepts, e.g. a hand-over (-> accepted).
pub fn accepteer(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(conn, ctx, s, eenvoudig(TaakStatus::Accepted, "acceptatie"))
}

/// The receiver rejects, with a reason (-> rejected); never a Veilig Thuis
/// (`levenscyclus::VEILIG_THUIS_NEEMT_ELKE_MELDING`: 409).
pub fn wijs_af(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(conn, ctx, s, eenvoudig(TaakStatus::Rejected, "afwijzing"))
}

/// The sender cancels, with a reason (-> cancelled).
pub fn annuleer(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(conn, ctx, s, eenvoudig(TaakStatus::Cancelled, "annulering"))
}

/// The receiver puts the task on hold, with a reason (-> on-hold).
pub fn schort_op(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(conn, ctx, s, eenvoudig(TaakStatus::OnHold, "opschorting"))
}

/// Rule: a resumption takes up a task on hold, or starts an accepted one (a hand-over's
/// task has no triage); a received melding goes to in-progress only with its triage's
/// outcome (`beoordeel`, the veiligheidsbeoordeling of DOMAIN.md §3 flow 2, due within
/// 5 working days: Uitvoeringsbesluit Wmo 2015 art. 4.1.7), since after a resumption the triage could no longer be recorded
/// (in-progress -> in-progress is no step) and its duty would stay open. Any other state
/// is a 409 naming the states the step needs.
pub const HERVATTEN_ZONDER_BEOORDELING: &str = "HERVATTEN_ZONDER_BEOORDELING";

/// The receiver resumes (on-hold or accepted -> in-progress; `HERVATTEN_ZONDER_BEOORDELING`).
pub fn hervat(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(
        conn,
        ctx,
        s,
        Overgang {
            vanuit: &[TaakStatus::OnHold, TaakStatus::Accepted],
            ..eenvoudig(TaakStatus::InProgress, "hervatting")
        },
    )
}

/// The receiver records failure, with a reason (-> failed).
pub fn mislukt(conn: &mut DbConnection, ctx: &Context, s: Stapverzoek) -> Result<Kop, Fout> {
    overgang(conn, ctx, s, eenvoudig(TaakStatus::Failed, "mislukking"))
}

/// The veiligheidsbeoordeling (triage) of the receiving Veilig Thuis.
#[derive(Debug, Clone)]
pub struct Beoordeling {
    pub stap: Stapverzoek,
    /// The outcome (DOMAIN.md §3 flow 2: one of them); a triage without one is no triage,
    /// so the type has no "none".
    pub uitkomst: Beoordelingsuitkomst,
    /// Acute unsafety found.
    pub acuut: Option<bool>,
    pub toelichting: Option<String>,
}

/// Record the triage outcome as the business status; the task goes to in-progress. The
/// triage duty stays open until its feedback is given
/// (`PLICHT_MET_INHOUD_ALLEEN_DOOR_TERUGKOPPELING`). `ONDERZOEK_VT_BIJ_ANONIEME_MELDER`: a
/// melding whose reporter was promised anonymity is triaged `onderzoek-vt`.
pub fn beoordeel(conn: &mut DbConnection, ctx: &Context, b: Beoordeling) -> Result<Kop, Fout> {
    let uitkomst = Some(b.uitkomst.to_string());
    let gegevens =
        serde_json::json!({"uitkomst": uitkomst, "acuut": b.acuut, "toelichting": b.toelichting});
    overgang(
        conn,
        ctx,
        b.stap,
        Overgang {
            naar: TaakStatus::InProgress,
            vanuit: &[],
            stap: "beoordeling",
            bedrijfsstatus: uitkomst,
            gegevens: Some(gegevens),
            uitkomst: Some(b.uitkomst),
        },
    )
}

/// Complete the task with what was done and decided (-> completed).
pub fn sluit_af(
    conn: &mut DbConnection,
    ctx: &Context,
    s: Stapverzoek,
    uitvoer: Option<String>,
) -> Result<Kop, Fout> {
    overgang(
        conn,
        ctx,
        Stapverzoek { reden: None, ..s },
        Overgang {
            naar: TaakStatus::Completed,
            vanuit: &[],
            stap: "afsluiting",
            bedrijfsstatus: None,
            gegevens: Some(serde_json::json!({"uitvoer": uitvoer})),
            uitkomst: None,
        },
    )
}

/// A hand-over of melding `id` to organisation `naar` (its code).
#[derive(Debug, Clone)]
pub struct Overdracht {
    pub id: Uuid,
    pub naar: String,
    pub toelichting: Option<String>,
}

/// `OVERDRACHT_BINNEN_CONVENANT`: a hand-over goes only to an organisation that an
/// agreement in force with the melding's sender covers for handling it — the rule that
/// governs its reads of the task (`CONVENANT_VEREIST` for the purpose `partij::relatie`
/// gives it: `veiligheidsbeoordeling` for a Veilig Thuis, else `coordinatie`), to read
/// (identification and family situation) and to change (accept, reject, complete) at the
/// melding's confidentiality level, with any of its roles. Otherwise the receiver would
/// get a task, a notice and feedback duties it can neither open nor answer (the outside
/// test of 30 Nov 2026). Only an agreement rule counts, never the receiver's own data
/// (`zicht::convenant_dekt`). Refused as `Ongeldig` naming `organisatie` (422), nothing
/// written.
pub const OVERDRACHT_BINNEN_CONVENANT: &str = "OVERDRACHT_BINNEN_CONVENANT";

/// `OVERDRACHT_AAN_EEN_ANDER`: a hand-over goes to another organisation than the one that
/// holds the task, and not to one that already holds an open task of the same melding (its
/// group: requested, received, accepted, in progress or on hold). Otherwise a receiver
/// could hand a task to itself, or the same task to one partner again and again, each time
/// making a new task, feedback duties (one owed to itself) and notices (the outside test
/// of 1 Dec 2026). Handing back to an organisation whose own task of the melding is
/// closed stays possible: that is a partner deciding the case belongs there after all.
/// Refused as `Ongeldig` naming `organisatie` (422), nothing written.
pub const OVERDRACHT_AAN_EEN_ANDER: &str = "OVERDRACHT_AAN_EEN_ANDER";

/// `OVERDRACHT_NIET_AAN_MELDER`: a hand-over never goes to the melding's original sender
/// (`afzender`, which every task of the melding keeps): it goes to a wijkteam or a care
/// provider that will handle the case (DOMAIN.md §3 flow 4), while the sender is the one
/// the receivers owe feedback to. Otherwise a receiver could hand the task back to the
/// police that filed it, which would then owe feedback to the receiver about its own
/// melding and get the task, reminders and escalations in its inbox — let through as the
/// data's owner, not by any agreement rule (the outside test of 1 Dec 2026). Refused as
/// `Ongeldig` naming `organisatie` (422), nothing written.
pub const OVERDRACHT_NIET_AAN_MELDER: &str = "OVERDRACHT_NIET_AAN_MELDER";

/// `OVERDRACHT_AAN_EEN_ANDER` (and `OVERDRACHT_NIET_AAN_MELDER`) for a hand-over of `k` to
/// `naar`.
fn overdracht_aan_een_ander(
    k: &Kop,
    naar: &str,
    met_open_taak: &BTreeSet<String>,
) -> Result<(), Fout> {
    let regel = |reden: &str| {
        Err(Fout::veld(
            "organisatie",
            "overdracht-aan-een-ander",
            format!("{OVERDRACHT_AAN_EEN_ANDER}: {reden}"),
        ))
    };
    if k.afzender == naar {
        return Err(Fout::veld(
            "organisatie",
            "overdracht-niet-aan-melder",
            format!(
                "{OVERDRACHT_NIET_AAN_MELDER}: deze organisatie diende de zorgmelding in; overdragen kan alleen aan een wijkteam of zorgaanbieder die haar behandelt, en de melder blijft wie de terugkoppeling krijgt"
            ),
        ));
    }
    if k.ontvanger.as_deref() == Some(naar) {
        return regel("de taak ligt al bij deze organisatie; overdragen kan alleen aan een andere");
    }
    if met_open_taak.contains(naar) {
        return regel("deze organisatie heeft al een open taak voor deze zorgmelding");
    }
    Ok(())
}

/// The organisations with an open task (`levenscyclus::OPEN`) in melding group `groep`:
/// `OVERDRACHT_AAN_EEN_ANDER`'s one look-up, read once for any number of candidates.
fn met_open_taak(conn: &mut DbConnection, groep: Uuid) -> Result<BTreeSet<String>, Fout> {
    use diesel::prelude::*;
    use ketenregie_store::schema::zorgmeldingen as z;
    let open: Vec<String> = levenscyclus::OPEN.iter().map(ToString::to_string).collect();
    let ontvangers: Vec<Option<String>> = z::table
        .filter(z::groep_id.eq(groep.to_string()))
        .filter(z::taakstatus.eq_any(open))
        .select(z::ontvanger)
        .load(conn)?;
    Ok(ontvangers.into_iter().flatten().collect())
}

/// `OVERDRACHT_BINNEN_CONVENANT` for a hand-over of `k` to `naar` (of kind `soort`).
fn overdracht_gedekt(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    naar: &str,
    soort: OrganisatieSoort,
) -> Result<(), Fout> {
    match toegang::ontvanger_gedekt(conn, ctx, &k.afzender, k.vertrouwelijkheid, naar, soort)? {
        Ok(()) => Ok(()),
        Err((actie, doel)) => Err(Fout::veld(
            "organisatie",
            "convenant-vereist",
            // Neither organisation's code: the one sent may carry anything a caller
            // typed, and the reason names the parties by their place in the melding.
            format!(
                "{OVERDRACHT_BINNEN_CONVENANT}: geen convenant van kracht met de melder dat de gekozen organisatie toestaat deze zorgmelding te {actie} voor doel `{doel}`; overdragen kan alleen binnen een convenant"
            ),
        )),
    }
}

/// The registered organisations (code, name) melding `k` may be handed over to now: those
/// that pass the same rules `draag_over` applies (`OVERDRACHT_NIET_AAN_MELDER`,
/// `OVERDRACHT_AAN_EEN_ANDER`, `OVERDRACHT_BINNEN_CONVENANT`), so a form offers no choice
/// that is always refused (hc finding M1), among `organisaties` (the register as the
/// caller read it). A refusal leaves an organisation out; a database error is an error.
pub fn overdracht_mogelijk_naar(
    conn: &mut DbConnection,
    ctx: &Context,
    k: &Kop,
    organisaties: &[directory::Organisatie],
) -> Result<Vec<(String, String)>, Fout> {
    let toegestaan = |r: Result<(), Fout>| match r {
        Ok(()) => Ok(true),
        Err(Fout::Ongeldig(_)) => Ok(false),
        Err(e) => Err(e),
    };
    let open = met_open_taak(conn, k.groep_id)?;
    let mut uit = Vec::new();
    for o in organisaties {
        if toegestaan(overdracht_aan_een_ander(k, &o.code, &open))?
            && toegestaan(overdracht_gedekt(conn, ctx, k, &o.code, o.soort))?
        {
            uit.push((o.code.clone(), o.naam.clone()));
        }
    }
    Ok(uit)
}

/// The receiver hands over (`ALLEEN_ONTVANGER_DRAAGT_OVER`, from accepted or in-progress;
/// `OVERDRACHT_AAN_EEN_ANDER`: not to itself nor twice to the same partner;
/// `OVERDRACHT_NIET_AAN_MELDER`: never to the melding's sender;
/// `OVERDRACHT_BINNEN_CONVENANT`: only to an organisation an agreement rule covers, being
/// the data's owner is not enough):
/// the other organisation gets its own linked task (requested) with the content, owes
/// feedback to whoever handed over, and hears of it; both logs for every data subject.
pub fn draag_over(conn: &mut DbConnection, ctx: &Context, o: Overdracht) -> Result<Kop, Fout> {
    let k = laad(conn, o.id)?;
    let (partij, t) = toegang::beslis(conn, ctx, &k, Actie::Lezen)?;
    if partij != Partij::Ontvanger {
        return Err(Fout::geweigerd(
            ALLEEN_ONTVANGER_DRAAGT_OVER,
            "Alleen de ontvanger draagt over",
        )
        .bij_eigenaar(&k.afzender));
    }
    let huidig = k.taakstatus;
    if !matches!(huidig, Some(TaakStatus::InProgress | TaakStatus::Accepted)) {
        let huidig = huidig.map(|s| s.to_string()).unwrap_or_default();
        return Err(Fout::conflict(format!(
            "Overdragen kan vanuit accepted of in-progress; de taak is `{huidig}`"
        )));
    }
    let Some(ontvanger) = directory::organisatie_op_code(conn, &o.naar)? else {
        return Err(Fout::veld(
            "organisatie",
            ketenregie_common::regelcode::GEREGISTREERD,
            // Never the value sent: a code field may carry anything a caller typed.
            "`organisatie` noemt geen geregistreerde organisatie; zie /api/v1/organisaties"
                .to_string(),
        ));
    };
    overdracht_aan_een_ander(&k, &o.naar, &met_open_taak(conn, k.groep_id)?)?;
    overdracht_gedekt(conn, ctx, &k, &o.naar, ontvanger.soort)?;
    let i = opslag::inhoud(conn, &t, &ctx.versleuteling, k.id)?;
    let n = opslag::maak(
        conn,
        &t,
        &ctx.versleuteling,
        &ctx.actor,
        Some(k.groep_id),
        Some(k.id),
        Some(&o.naar),
        Meldingstatus::Verzonden,
        Some(TaakStatus::Requested),
        &i,
        k.vertrouwelijkheid,
        &k.afzender,
        ctx.nu,
    )?;
    let gegevens = serde_json::json!({"naar": o.naar, "taak": n.id, "toelichting": o.toelichting, "door": ctx.actor.organisatie});
    let v = &ctx.versleuteling;
    let a = &ctx.actor;
    let g = Some(gegevens);
    opslag::stap(
        conn,
        v,
        k.id,
        a,
        "overdracht",
        None,
        None,
        None,
        g.clone(),
        ctx.nu,
    )?;
    let requested = Some(TaakStatus::Requested.to_string());
    opslag::stap(
        conn,
        v,
        n.id,
        a,
        "overdracht-ontvangen",
        None,
        requested,
        None,
        g,
        ctx.nu,
    )?;
    // The receiver of the hand-over owes feedback to whoever handed over.
    termijnen::maak(conn, n.id, &a.organisatie, &o.naar, i.acuut, ctx.nu)?;
    outbox::enqueue(
        conn,
        &outbox::Gebeurtenis {
            soort: OVERDRACHT_ONTVANGEN.into(),
            organisatie: o.naar.clone(),
            onderwerp: n.id.to_string(),
            dataref: n.pad(),
        },
        ctx.nu,
    )?;
    let betrokkenen = opslag::betrokkenen(v, &i);
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Aanmaken,
        object(&n),
        None,
        None,
        &betrokkenen,
    )?;
    Ok(n)
}
