//! The briefing (DOMAIN.md §3 flow 5): before arrival, police (and the OM, case by case)
//! look up a person or an address and get, in one answer, what the partners know: the
//! family, incidents in the last 12 months and in total, court decisions in force with
//! the sterke-arm clause spelled out, gezag holders, arrangements, OTS/UHP/huisverbod, the
//! organisations involved with their named contact and 24/7 number, open zorgmeldingen,
//! and derived flags.
//!
//! How the family is found: the search key (BSN hash, name + date-of-birth hash, or
//! address hash) finds person records of any organisation; their identities
//! (`betrokkene`) lead to every family any organisation recorded them in; the members'
//! identities lead to every other organisation's records on the same people. Nothing is
//! decrypted before the privacy decision.
//!
//! What is shown: the decision is taken per owning organisation, for purpose `briefing`
//! (the OM: `strafrechtelijke-beoordeling`, which agreements grant only with a stated
//! reason). An owner the caller has no agreement with contributes nothing and its
//! existence is not revealed; categories no rule covers are left out; records above the
//! permitted confidentiality level are left out. Each person shown is one
//! processing-log row per owner whose data on the person are shown, under that owner's
//! basis (`LOG_ONDER_GRONDSLAG_EIGENAAR`, `log`): the police's own record of a parent
//! under their own task, the GI's family naming her under the agreement.
//!
//! `MEERDUIDIG_NIET_SAMENVOEGEN`: a name + date-of-birth search that finds more than one
//! identity returns the candidates (date of birth, municipality, who registered them),
//! never a merged family; the officer narrows the search with a BSN or address.
//!
//! The steps, each a method of `opbouw::Opbouw`, in order: 1 find persons, 2 identities,
//! 3 families, 4 persons shown, 5 families shown, 7 decisions and arrangements in force,
//! 6 gezag (after 7: a gezag record resting on a decision holds while it is in force),
//! 8 incidents, 9 open zorgmeldingen (through `ZorgmeldingBron`), 10 the own
//! statements on each record shown (eigen verklaringen, one query), 11 contacts, 12 flags
//! (`signalen`), 13 log rows (`log`). The decision is taken in memory per owner
//! as the steps meet them.
//!
//! Round trips (issue 17 point 4, at most six for the reads, counted by
//! `briefing_in_een_handvol_rondes`): steps 1-3, 6 and 8 and the version stamp of the
//! agreements come from one statement (`graaf`), which reads a superset of what the walk
//! may reach; the walk narrows it in memory exactly as it did step by step. Decisions,
//! arrangements (step 7) and steps 9, 10 and 11 are one statement each; the agreements and the
//! contact cards come from the instance's cache (`privacy::stamgegevens`). Persons are
//! decrypted once each, after the decision.

mod antwoord;
mod bron;
mod graaf;
mod log;
mod opbouw;
mod signalen;
mod toegang;
mod vraag;

pub use antwoord::{
    Bereikbaar, BetrokkenOrganisatie, Briefing, GezinKort, GezinslidKort, IncidentRegel,
    Incidentoverzicht, Kandidaat, Signaal, ZorgmeldingKort,
};
pub use bron::{GeenMeldingen, OpenMelding, ZorgmeldingBron};
pub use vraag::{BriefingVraag, Zoekvraag, Zoekwijze};

use crate::toegang::doel_voor;
use ketenregie_common::Fout;
use ketenregie_privacy::{Context, besluit};
use ketenregie_store::DbConnection;
use ketenregie_store::{kolom, rondes};
use uuid::Uuid;

/// At most this many families in one briefing: a search that reaches more is almost
/// certainly a data-quality problem, and the officer needs the nearest ones.
pub const MAX_GEZINNEN: usize = 20;
/// At most this many incidents listed (all are counted).
pub const MAX_INCIDENTEN_IN_LIJST: usize = 50;
/// `VECHTSCHEIDING`: at least this many parental-conflict incidents (failed hand-over,
/// quarrel, threat, removal from gezag) in the last 12 months...
pub const VECHTSCHEIDING_MIN_INCIDENTEN: usize = 3;
// ...or at least one such incident while a court decision on omgang, zorgregeling or
// gezag exists for the family: the parents are fighting over the children in court and at
// the door.

/// `POST /briefings/_zoek`: assemble the briefing inside the caller's transaction, with
/// its log rows. `meldingen` is where the open zorgmeldingen come from.
pub fn stel_op(
    conn: &mut DbConnection,
    ctx: &Context,
    meldingen: &dyn ZorgmeldingBron,
    vraag: &Zoekvraag,
) -> Result<Briefing, Fout> {
    stel_op_geteld(conn, ctx, meldingen, vraag).map(|(b, _)| b)
}

/// `stel_op`, also returning the number of round trips its reads took (`store::rondes`:
/// every statement from the graph to the contact cards, not the log rows), for the
/// metric `ketenregie_briefing_leesrondes` and the test that bounds it (issue 17 point 4).
pub fn stel_op_geteld(
    conn: &mut DbConnection,
    ctx: &Context,
    meldingen: &dyn ZorgmeldingBron,
    vraag: &Zoekvraag,
) -> Result<(Briefing, u64), Fout> {
    let begin = rondes::geteld();
    let sleutel = graaf::Sleutel::van(vraag, &ctx.versleuteling);
    let graaf_ = graaf::lees(conn, &sleutel)?;
    let stand = ctx.stamgegevens.stand_bij(graaf_.versie);
    let beslisser = besluit::Beslisser::laad_bij(conn, ctx, &stand)?;
    let doel = doel_voor(beslisser.soort());
    let briefing_id = ketenregie_common::ids::new_id();
    let toegang = toegang::Toegang::nieuw(ctx, &beslisser, doel);
    let mut o = opbouw::Opbouw::nieuw(ctx, toegang, Briefing::leeg(vraag.wijze(), doel));

    let treffers = o.zoek_personen(&graaf_, &sleutel)?;
    if matches!(vraag, Zoekvraag::Naam { .. }) && o.zoek_identiteiten.len() > 1 {
        o.kandidaten(&treffers)?;
        let gelezen = rondes::geteld() - begin;
        return afronden(conn, ctx, o, briefing_id).map(|b| (b, gelezen));
    }
    o.identiteiten(&graaf_)?;
    let gezinnen_ = o.gezinnen(&graaf_)?;
    o.personen()?;
    o.toon_gezinnen(&gezinnen_);
    let beschikkingen_ = o.beschikkingen_en_regelingen(conn, &gezinnen_)?;
    o.gezag(conn, &graaf_)?;
    let jaar_terug = opbouw::jaar_terug(ctx.nu);
    let incidenten_ = o.incidenten(&graaf_, jaar_terug)?;
    o.meldingen(conn, meldingen)?;
    o.eigen_verklaringen(conn)?;
    o.organisaties(conn, &stand)?;
    o.b.signalen = signalen::signalen(
        &o.b,
        &incidenten_,
        &beschikkingen_,
        &gezinnen_,
        o.personen_rijen(),
        jaar_terug,
    );
    let zoek = o
        .zoek_identiteiten
        .iter()
        .map(|s| kolom::rij(kolom::uuid(s)))
        .collect::<diesel::QueryResult<Vec<Uuid>>>()?;
    log::bijdragers_loggen(&o.b, &mut o.getoond, &zoek);
    o.b.gevonden =
        !o.b.personen.is_empty() || !o.b.gezinnen.is_empty() || o.b.incidenten.totaal > 0;
    let gelezen = rondes::geteld() - begin;
    afronden(conn, ctx, o, briefing_id).map(|b| (b, gelezen))
}

/// Write the log rows and hand out the briefing.
fn afronden(
    conn: &mut DbConnection,
    ctx: &Context,
    o: opbouw::Opbouw,
    briefing_id: Uuid,
) -> Result<Briefing, Fout> {
    log::log(conn, ctx, &o.toegang, briefing_id, &o.getoond)?;
    log::verklaringen(conn, ctx, &o.toegang, &o.b)?;
    Ok(o.b)
}
