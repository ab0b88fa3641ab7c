//! The melding itself: drafting (`maak`), changing a concept (`wijzig`), withdrawing one
//! (`verwijder_concept`, `CONCEPT_VERWIJDERBAAR`), reading one (`lees`), its step history
//! (`stappen`), the inbox and outbox (`lijst`) and the organisation's quality-check
//! setting (`zet_kwaliteitscontrole`).
//!
//! Each use case runs inside the caller's transaction and owns its decision, its writes,
//! its audit row and one processing-log row per data subject.

use crate::inhoud::{Inhoud, MeldingInvoer};
use crate::opslag::{self, Filter, Kop, Meldingstatus, Stap};
use crate::partij::{self, laad, object};
use crate::termijnen::{self, Termijn};
use crate::toegang::{self, beheert_concept, eigen_toestemming, redigeer};
use chrono::NaiveDate;
use ketenregie_common::{Actie, Fout, Gegevenscategorie, Vertrouwelijkheid};
use ketenregie_privacy::eigen_verklaring::{
    self, EigenVerklaringWeergave, Recordsoort, Verklaringen,
};
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_privacy::stamgegevens::Stempel;
use ketenregie_privacy::{Context, Toestemming};
use ketenregie_store::DbConnection;
use uuid::Uuid;

/// A checked melding: its content and its confidentiality level.
#[derive(Debug, Clone)]
pub struct NieuweMelding {
    pub inhoud: Inhoud,
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

impl MeldingInvoer {
    /// Parse into a `NieuweMelding`, every problem named at once (`Fout::Ongeldig`);
    /// `vandaag` (a Dutch calendar day) bounds dates of birth.
    pub fn naar_melding(&self, vandaag: NaiveDate) -> Result<NieuweMelding, Fout> {
        let (inhoud, vertrouwelijkheid) = self.valideer(vandaag).map_err(Fout::Ongeldig)?;
        Ok(NieuweMelding {
            inhoud,
            vertrouwelijkheid,
        })
    }
}

/// A melding as the caller may see it.
#[derive(Debug, Clone)]
pub struct Zorgmelding {
    pub kop: Kop,
    /// The content as `Inhoud` serialises, redacted to what the caller may see; `None`
    /// where the answer shows no content (lists, state changes).
    pub inhoud: Option<serde_json::Value>,
    /// Categories left out by the decision.
    pub geredigeerd: Vec<Gegevenscategorie>,
    /// The feedback owed on it (one melding read only).
    pub termijnen: Option<Vec<Termijn>>,
    /// The own statements of the children and parents in it (Jeugdwet art. 7.3.8) the
    /// caller sees with it; `None` where the answer shows no content.
    pub eigen_verklaringen: Option<Vec<EigenVerklaringWeergave>>,
}

impl Zorgmelding {
    /// Header only.
    pub fn kop(kop: Kop) -> Self {
        Zorgmelding {
            kop,
            inhoud: None,
            geredigeerd: vec![],
            termijnen: None,
            eigen_verklaringen: None,
        }
    }
}

/// The own statements on melding `id` the caller sees with it at levels up to that of
/// permission `t` (`eigen_verklaring::VERKLARING_BIJ_RECORD`).
fn eigen_verklaringen(
    conn: &mut DbConnection,
    ctx: &Context,
    t: &Toestemming,
    id: Uuid,
) -> Result<Option<Vec<EigenVerklaringWeergave>>, Fout> {
    let uit = eigen_verklaring::bij_record(
        conn,
        &ctx.versleuteling,
        Recordsoort::Zorgmelding,
        id,
        &ctx.actor.organisatie,
        t.max_vertrouwelijkheid(),
    )?;
    logboek::verklaringen(conn, ctx, t, &uit)?;
    Ok(Some(uit))
}

/// The caller's `If-Match` against the current version (RFC 9110 §13.1.1: `*`, lists,
/// weak tags never match).
pub fn versie_check(k: &Kop, verwacht: &ketenregie_common::IfMatch) -> Result<(), Fout> {
    verwacht
        .controleer(k.versie, "de zorgmelding")
        .map_err(Fout::VoorwaardeMislukt)
}

/// A concept only (a sent melding is the receiver's record too).
pub(crate) fn alleen_concept(k: &Kop, wat: &str) -> Result<(), Fout> {
    if k.meldingstatus == Meldingstatus::Concept {
        return Ok(());
    }
    Err(Fout::conflict(format!(
        "De zorgmelding is `{}`; alleen een concept wordt {wat}",
        k.meldingstatus
    )))
}

/// Draft a melding (DOMAIN.md §3 flow 1): `POLITIE_DIENT_IN`, every child's municipality
/// known, the filing organisation's own decision; the concept, its first step, both logs
/// (one processing-log row per child and parent).
pub fn maak(conn: &mut DbConnection, ctx: &Context, m: NieuweMelding) -> Result<Zorgmelding, Fout> {
    toegang::mag_indienen(conn, ctx)?;
    toegang::controleer_gemeenten(conn, ctx, &m.inhoud)?;
    let t = eigen_toestemming(conn, ctx, Actie::Aanmaken)?;
    let org = ctx.actor.organisatie.clone();
    // The concept, its identities, its first step and both logs' rows: built in memory,
    // then written in one statement on PostgreSQL (`opslag::schrijf_gebundeld`).
    let nieuw = opslag::nieuw(
        &t,
        &ctx.versleuteling,
        &ctx.actor,
        None,
        None,
        None,
        Meldingstatus::Concept,
        None,
        &m.inhoud,
        m.vertrouwelijkheid,
        &org,
        ctx.nu,
    );
    let stap = opslag::stap_rij(
        &ctx.versleuteling,
        nieuw.kop.id,
        &ctx.actor,
        "aangemaakt",
        None,
        Some("concept".into()),
        None,
        None,
        ctx.nu,
    );
    let betrokkenen = opslag::betrokkenen(&ctx.versleuteling, &m.inhoud);
    let log = logboek::Wijzigingslog::van(
        ctx,
        &t,
        Actie::Aanmaken,
        object(&nieuw.kop),
        None,
        None,
        &betrokkenen,
    );
    let k = opslag::schrijf_gebundeld(conn, nieuw, stap, log)?;
    let (zicht, weg) = redigeer(&m.inhoud, &t);
    Ok(Zorgmelding {
        kop: k,
        inhoud: Some(zicht),
        geredigeerd: weg,
        termijnen: None,
        eigen_verklaringen: Some(vec![]),
    })
}

/// Read one melding, for its sender and receiver only: the content redacted by the
/// decision, its feedback duties, the own statements on it, both logs. One statement
/// (`opslag::lezing`: the header with the encrypted content, the feedback duties, the
/// own statements and the decision's version stamp) while the instance's cache is at that
/// stamp; the log rows go to the log writer.
pub fn lees(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Zorgmelding, Fout> {
    lees_met_stempel(conn, ctx, id).map(|(m, _)| m)
}

/// `lees`, also returning the version stamp of the decision's inputs its statement read
/// (`Stempel(None)`: no stamp row), for the API to confirm the authentication's check of
/// the register at that stamp (`api::auth::bevestig`). The decision is taken at this
/// stamp, read in the same snapshot as the melding, not at one carried from earlier in
/// the request: it is never older.
pub fn lees_met_stempel(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<(Zorgmelding, Stempel), Fout> {
    lees_getoond(conn, ctx, id, true)
}

/// `GET /zorgmeldingen/{id}/eigen-verklaringen`: the statements `lees` shows with the
/// melding, as that read (`VERKLARING_LEZEN_ALS_RECORD`: its decision, 404 and logs),
/// logged only when a statement is returned (`LOG_ALLEEN_WAT_GETOOND`: an empty list is
/// the audit row alone, no processing-log row and no disclosure).
pub fn verklaringen(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
) -> Result<Vec<ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave>, Fout> {
    let (m, _) = lees_getoond(conn, ctx, id, false)?;
    Ok(m.eigen_verklaringen.unwrap_or_default())
}

/// `lees_met_stempel`; the content counts as shown (`inhoud_getoond`), else only the
/// statements do, and the persons' data are logged as processed only when shown
/// (`LOG_ALLEEN_WAT_GETOOND`).
fn lees_getoond(
    conn: &mut DbConnection,
    ctx: &Context,
    id: Uuid,
    inhoud_getoond: bool,
) -> Result<(Zorgmelding, Stempel), Fout> {
    // The header, the content and the statements still encrypted, the feedback duties and
    // the stamp, in one statement (`opslag::lezing`); decrypted only after the decision.
    let opslag::Gelezen {
        kop: k,
        inhoud: versleuteld,
        termijnen,
        verklaringen,
        stempel,
    } = opslag::lezing(conn, id)?
        .ok_or_else(|| Fout::NietGevonden(partij::niet_gevonden_tekst()))?;
    let stempel = Stempel(stempel);
    let (_, t) = toegang::beslis_met(conn, ctx, &k, Actie::Lezen, Some(stempel))?;
    let i = opslag::ontsleutel(&t, &ctx.versleuteling, &versleuteld)?;
    let (zicht, weg) = redigeer(&i, &t);
    let verklaringen = Verklaringen::uit_rijen(&ctx.versleuteling, verklaringen)?.voor(
        Recordsoort::Zorgmelding,
        &k.id,
        &ctx.actor.organisatie,
        |n| n <= t.max_vertrouwelijkheid(),
    );
    let betrokkenen = if inhoud_getoond || !verklaringen.is_empty() {
        opslag::betrokkenen(&ctx.versleuteling, &i)
    } else {
        vec![]
    };
    logboek::lezing(conn, ctx, &t, object(&k), &betrokkenen)?;
    logboek::verklaringen(conn, ctx, &t, &verklaringen)?;
    Ok((
        Zorgmelding {
            kop: k,
            inhoud: Some(zicht),
            geredigeerd: weg,
            termijnen: Some(termijnen),
            eigen_verklaringen: Some(verklaringen),
        },
        stempel,
    ))
}

/// A change of a concept.
#[derive(Debug, Clone)]
pub struct Wijziging {
    pub id: Uuid,
    /// `If-Match` (RFC 9110 §13.1.1), `IfMatch::Geen` when not sent.
    pub verwacht_versie: ketenregie_common::IfMatch,
    pub melding: NieuweMelding,
}

/// Change a concept: only a concept, only by the author's organisation
/// (`AFZENDER_BEHEERT_CONCEPT`), at the version read; both logs for the new subjects.
pub fn wijzig(conn: &mut DbConnection, ctx: &Context, w: Wijziging) -> Result<Zorgmelding, Fout> {
    let k = laad(conn, w.id)?;
    partij::in_zicht(conn, &ctx.actor.organisatie, &k)?;
    beheert_concept(&ctx.actor, &k, "wijzigt een concept")?;
    alleen_concept(&k, "gewijzigd")?;
    let m = w.melding;
    // The body's own fault before the precondition, as for a step (STAP_VOOR_REDEN,
    // RFC 9110 §13.2.1): an unknown municipality is a 422 whatever the version sent.
    toegang::controleer_gemeenten(conn, ctx, &m.inhoud)?;
    versie_check(&k, &w.verwacht_versie)?;
    let t = eigen_toestemming(conn, ctx, Actie::Wijzigen)?;
    opslag::vervang_inhoud(
        conn,
        &t,
        &ctx.versleuteling,
        k.id,
        &m.inhoud,
        m.vertrouwelijkheid,
        ctx.nu,
    )?;
    opslag::stap(
        conn,
        &ctx.versleuteling,
        k.id,
        &ctx.actor,
        "gewijzigd",
        None,
        None,
        None,
        None,
        ctx.nu,
    )?;
    logboek::wijziging(
        conn,
        ctx,
        &t,
        Actie::Wijzigen,
        object(&k),
        None,
        None,
        &opslag::betrokkenen(&ctx.versleuteling, &m.inhoud),
    )?;
    let k = laad(conn, w.id)?;
    let (zicht, weg) = redigeer(&m.inhoud, &t);
    let verklaringen = eigen_verklaringen(conn, ctx, &t, k.id)?;
    Ok(Zorgmelding {
        kop: k,
        inhoud: Some(zicht),
        geredigeerd: weg,
        termijnen: None,
        eigen_verklaringen: verklaringen,
    })
}

/// Rule: only a concept is withdrawn (`verwijder_concept`). A concept that was never sent
/// is the author's draft, held by nobody else: its removal is data minimisation and
/// storage limitation (AVG art. 5 lid 1 c and e), not the loss of anyone's record. Once submitted (`ter-controle`, `verzonden`, `niet-routeerbaar`) the melding
/// is the receiver's record too and the basis of the feedback owed on it: it is kept and
/// goes under retention (`bewaring`). Any other status is a 409 naming it.
pub const CONCEPT_VERWIJDERBAAR: &str = "CONCEPT_VERWIJDERBAAR";

/// A concept to withdraw.
#[derive(Debug, Clone)]
pub struct Verwijdering {
    pub id: Uuid,
    /// `If-Match` (RFC 9110 §13.1.1), `IfMatch::Geen` when not sent: as for `wijzig`, the
    /// removal is then unconditional.
    pub verwacht_versie: ketenregie_common::IfMatch,
}

/// Withdraw a concept (`CONCEPT_VERWIJDERBAAR`): only by the author's organisation
/// (`AFZENDER_BEHEERT_CONCEPT`; an organisation outside the melding's view gets the 404
/// of a read), at the version read. The melding goes with everything stored for it
/// (`bewaring::verwijder_meldingen`, the one removal the retention run uses too: its
/// encrypted content, its steps, its identity index, its own statements, its
/// notifications) and the stored idempotent answer that repeated its content
/// (`idempotentie::vergeet_locatie`). Both logs in the same transaction: one audit row
/// (`verwijderen`) and one processing-log row per subject (`logboek::VERWIJDERING`), so a
/// data subject's inzage shows the concept was processed and removed.
///
/// The decision is taken as for a change (`Actie::Wijzigen`, the organisation's own
/// decision as in `wijzig`): the decision knows no removal action, and withdrawing a
/// draft changes the organisation's own record under the same purpose and basis as
/// editing it; a caller allowed to rewrite every field of the concept may also take it
/// back.
pub fn verwijder_concept(
    conn: &mut DbConnection,
    ctx: &Context,
    v: Verwijdering,
) -> Result<(), Fout> {
    let k = laad(conn, v.id)?;
    partij::in_zicht(conn, &ctx.actor.organisatie, &k)?;
    beheert_concept(&ctx.actor, &k, "verwijdert een concept")?;
    if k.meldingstatus != Meldingstatus::Concept {
        return Err(Fout::toestand(
            format!(
                "De zorgmelding is `{}`; alleen een concept wordt verwijderd, een ingediende melding blijft bewaard tot haar bewaartermijn verstrijkt (regel {CONCEPT_VERWIJDERBAAR})",
                k.meldingstatus
            ),
            k.meldingstatus.to_string(),
            [Meldingstatus::Concept.to_string()],
        ));
    }
    versie_check(&k, &v.verwacht_versie)?;
    let t = eigen_toestemming(conn, ctx, Actie::Wijzigen)?;
    if !opslag::neem_concept(conn, k.id, k.versie)? {
        // Changed or submitted between the read and now: the version read is stale.
        return Err(Fout::VoorwaardeMislukt(
            "De zorgmelding is intussen gewijzigd of ingediend; haal haar opnieuw op".into(),
        ));
    }
    let id = k.id.to_string();
    let mut weg = crate::bewaring::verwijder_meldingen(conn, std::slice::from_ref(&id), false)?;
    ketenregie_store::idempotentie::vergeet_locatie(conn, &k.pad())?;
    logboek::verwijdering(
        conn,
        ctx,
        &t,
        object(&k),
        &weg.onderwerpen.remove(&id).unwrap_or_default(),
    )?;
    Ok(())
}

/// Every step of melding `id` and of the hand-over tasks made from it, oldest first:
/// who, on behalf of which organisation, when, from which status to which, and why. The
/// reasons and details are case content: read under the decision for the caller's
/// relation, with both logs (one processing-log row per subject of the melding; none, and
/// no disclosure, when no step is returned: `LOG_ALLEEN_WAT_GETOOND`).
pub fn stappen(conn: &mut DbConnection, ctx: &Context, id: Uuid) -> Result<Vec<Stap>, Fout> {
    let k = laad(conn, id)?;
    let (_, t) = toegang::beslis(conn, ctx, &k, Actie::Lezen)?;
    // The sender follows its melding through hand-overs: include linked tasks' steps.
    let mut alle = opslag::stappen(conn, &ctx.versleuteling, k.id)?;
    let (kinderen, _) = opslag::lijst(
        conn,
        &Filter {
            organisatie: k.afzender.clone(),
            ontvangen: Some(false),
            ..Default::default()
        },
        0,
        1000,
    )?;
    for kind in kinderen.iter().filter(|c| c.bovenliggend_id == Some(k.id)) {
        alle.extend(opslag::stappen(conn, &ctx.versleuteling, kind.id)?);
    }
    alle.sort_by(|a, b| a.tijdstip.cmp(&b.tijdstip).then(a.id.cmp(&b.id)));
    // LOG_ALLEEN_WAT_GETOOND: no step shown, no person's data shown.
    let betrokkenen = if alle.is_empty() {
        vec![]
    } else {
        opslag::onderwerpen(conn, k.id)?
    };
    logboek::lezing(conn, ctx, &t, object(&k), &betrokkenen)?;
    Ok(alle)
}

/// The inbox and outbox of the caller's organisation: `filter.organisatie` is set from
/// the caller, never taken from the request. Status and dates only, no personal content
/// (nothing to log).
pub fn lijst(
    conn: &mut DbConnection,
    ctx: &Context,
    mut filter: Filter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Kop>, i64), Fout> {
    filter.organisatie = ctx.actor.organisatie.clone();
    Ok(opslag::lijst(conn, &filter, offset, limit)?)
}

/// One page of the inbox or outbox of the caller's organisation (keyset pagination over
/// `opslag::pagina`; `filter.organisatie` is set from the caller): status and dates only,
/// no personal content (nothing to log). The count is bounded (`store::venster::Telling`).
pub fn pagina(
    conn: &mut DbConnection,
    ctx: &Context,
    mut filter: Filter,
    venster: &ketenregie_store::venster::Venster<opslag::MeldingSleutel>,
) -> Result<ketenregie_store::venster::Pagina<Kop, opslag::MeldingSleutel>, Fout> {
    filter.organisatie = ctx.actor.organisatie.clone();
    // A municipality filter must be a real code (`GEMEENTECODE_BESTAAT`, as on the
    // directory's lists): an unknown one is a mistake, not an empty inbox.
    if let Some(g) = &filter.gemeente {
        ketenregie_privacy::register::controleer_gemeenten(
            conn,
            "gemeente",
            std::slice::from_ref(g),
        )?;
    }
    Ok(opslag::pagina(conn, &filter, venster)?)
}

/// One page of the caller's open feedback duties (`als_ontvanger`) or those owed to it,
/// earliest due first (keyset pagination, `termijnen::open_voor`). Terms and dates only,
/// no personal content.
pub fn open_termijnen(
    conn: &mut DbConnection,
    ctx: &Context,
    als_ontvanger: bool,
    venster: &ketenregie_store::venster::Venster<termijnen::TermijnSleutel>,
) -> Result<ketenregie_store::venster::Pagina<Termijn, termijnen::TermijnSleutel>, Fout> {
    Ok(termijnen::open_voor(
        conn,
        &ctx.actor.organisatie,
        als_ontvanger,
        venster,
    )?)
}

/// Switch the quality check before sending on or off for the caller's own organisation
/// (`FUNCTIONEEL_BEHEERDER_STELT_IN`); audited, no personal data. Returns the setting.
pub fn zet_kwaliteitscontrole(
    conn: &mut DbConnection,
    ctx: &Context,
    verplicht: bool,
) -> Result<bool, Fout> {
    toegang::beheerder(&ctx.actor, "stelt de kwaliteitscontrole in")?;
    opslag::zet_kwaliteitscontrole(conn, &ctx.actor.organisatie, verplicht)?;
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: "wijzigen".into(),
            object: kwaliteitscontrole_object(ctx),
            resultaat: 200,
            doorbraak: false,
            grondslag: None,
            oud: None,
            nieuw: Some(serde_json::json!({"verplicht": verplicht})),
        },
    )?;
    Ok(verplicht)
}

/// The audit object of the caller's organisation's quality-check setting.
pub fn kwaliteitscontrole_object(ctx: &Context) -> Object {
    Object {
        soort: "kwaliteitscontrole",
        id: ctx.actor.organisatie.clone(),
        eigenaar: ctx.actor.organisatie.clone(),
    }
}

/// Meldingen submitted in `[van, tot)` per municipality (`gemeentecode` -> count): a
/// melding about children in two municipalities counts for each. Hand-over tasks are not
/// meldingen and are left out. Counts only, for the steering group's dashboard.
pub fn aantallen_per_gemeente(
    conn: &mut DbConnection,
    van: chrono::DateTime<chrono::Utc>,
    tot: chrono::DateTime<chrono::Utc>,
) -> diesel::QueryResult<std::collections::BTreeMap<String, i64>> {
    use diesel::prelude::*;
    use ketenregie_store::schema::zorgmeldingen as z;
    let rijen: Vec<String> = z::table
        .filter(z::bovenliggend_id.is_null())
        .filter(z::ingediend_op.ge(van.naive_utc()))
        .filter(z::ingediend_op.lt(tot.naive_utc()))
        .select(z::gemeenten)
        .load(conn)?;
    let mut uit = std::collections::BTreeMap::new();
    for g in rijen {
        for code in g.split(';').filter(|c| !c.is_empty()) {
            *uit.entry(code.to_string()).or_insert(0) += 1;
        }
    }
    Ok(uit)
}

/// Repeat meldingen about the same child in one period (DOMAIN.md §5: 38% of Veilig
/// Thuis's meldingen are repeat meldingen; §1: one family, 60+ calls). Counts only, for the
/// steering group's dashboard: the child is only its pseudonymous identity in the
/// meldingen index (`zorgmelding_betrokkenen` with `kind`), never a BSN, and no identity
/// leaves this function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Herhaling {
    /// Meldingen submitted in the period about at least one (marked) child.
    pub meldingen: i64,
    /// Of those, the meldingen about a child that an earlier melding was about (at any
    /// time before, in the period or earlier): repeat meldingen.
    pub herhaald: i64,
    /// Children the period's meldingen were about.
    pub kinderen: i64,
    /// Of those, the children with two or more meldingen by the end of the period.
    pub kinderen_herhaald: i64,
    /// The most meldingen about one child by the end of the period.
    pub meeste: i64,
}

/// Children by their number of meldingen: 1, 2, 3 to 5, 6 to 10, more than 10.
pub const VERDELING: [&str; 5] = ["1", "2", "3 tot en met 5", "6 tot en met 10", "meer dan 10"];

/// `Herhaling` for each period `[van, tot)` of `perioden` (in any order), and how many
/// children had how many meldingen (`VERDELING`) by the end of the last period. A melding
/// counts when submitted (`ingediend_op`); hand-over tasks are not meldingen; a melding
/// indexed before children were marked (`kind` NULL) is not counted per child. The rows
/// are read once, up to the end of the last period.
pub fn herhalingen(
    conn: &mut DbConnection,
    perioden: &[(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)],
) -> diesel::QueryResult<(Vec<Herhaling>, [i64; 5])> {
    use diesel::prelude::*;
    use ketenregie_store::schema::{zorgmelding_betrokkenen as zb, zorgmeldingen as z};
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let Some(eind) = perioden.iter().map(|p| p.1).max() else {
        return Ok((vec![], [0; 5]));
    };
    let rijen: Vec<(String, String, Option<chrono::NaiveDateTime>)> = zb::table
        .inner_join(z::table)
        .filter(zb::kind.eq(true))
        .filter(z::bovenliggend_id.is_null())
        .filter(z::ingediend_op.lt(eind.naive_utc()))
        .select((zb::zorgmelding_id, zb::betrokkene, z::ingediend_op))
        .load(conn)?;
    // Meldingen in the order they were submitted, each with its children.
    let mut meldingen: BTreeMap<(chrono::NaiveDateTime, String), Vec<String>> = BTreeMap::new();
    for (m, kind, op) in rijen {
        if let Some(op) = op {
            meldingen.entry((op, m)).or_default().push(kind);
        }
    }
    let mut uit = vec![Herhaling::default(); perioden.len()];
    let mut kinderen_per_periode: Vec<BTreeSet<String>> = vec![BTreeSet::new(); perioden.len()];
    let mut per_periode_eind: Vec<HashMap<String, i64>> = vec![HashMap::new(); perioden.len()];
    let mut tot_nu: HashMap<String, i64> = HashMap::new();
    for ((op, _), kinderen) in &meldingen {
        let herhaald = kinderen.iter().any(|k| tot_nu.contains_key(k));
        for k in kinderen {
            *tot_nu.entry(k.clone()).or_default() += 1;
        }
        for (i, (van, tot)) in perioden.iter().enumerate() {
            if *op >= van.naive_utc() && *op < tot.naive_utc() {
                uit[i].meldingen += 1;
                uit[i].herhaald += i64::from(herhaald);
                kinderen_per_periode[i].extend(kinderen.iter().cloned());
            }
            if *op < tot.naive_utc() {
                for k in kinderen {
                    per_periode_eind[i].insert(k.clone(), tot_nu[k]);
                }
            }
        }
    }
    for (i, h) in uit.iter_mut().enumerate() {
        let stand = &per_periode_eind[i];
        h.kinderen = kinderen_per_periode[i].len() as i64;
        h.kinderen_herhaald = kinderen_per_periode[i]
            .iter()
            .filter(|k| stand.get(*k).copied().unwrap_or(0) >= 2)
            .count() as i64;
        h.meeste = stand.values().copied().max().unwrap_or(0);
    }
    let mut verdeling = [0i64; 5];
    for n in tot_nu.values() {
        let i = match n {
            1 => 0,
            2 => 1,
            3..=5 => 2,
            6..=10 => 3,
            _ => 4,
        };
        verdeling[i] += 1;
    }
    Ok((uit, verdeling))
}
