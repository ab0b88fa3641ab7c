//! The log rows of a briefing: per owner that showed anything, one audit row and one
//! processing-log row per person whose data of that owner were shown, on that owner's
//! legal basis (`LOG_ONDER_GRONDSLAG_EIGENAAR`: the persons its records shown name — its
//! person records, the members of its families, the child and holders of its gezag
//! records, the children of its decisions, the members of the family of its
//! arrangements, the persons of its incidents, the persons its open meldingen concern,
//! the child of its involvement — also when the caller or another owner holds the same
//! person); a briefing that showed nothing is one audit row of the search.

use super::antwoord::Briefing;
use super::toegang::Toegang;
use ketenregie_common::{Actie, Fout};
use ketenregie_privacy::Context;
use ketenregie_privacy::Toestemming;
use ketenregie_privacy::eigen_verklaring::EigenVerklaringWeergave;
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
use ketenregie_store::DbConnection;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Owners that contributed a record naming no person reached (a decision without a
/// named child, an incident recorded only on the family...) log the searched identities,
/// when no person was logged against their basis: the officer saw their data about those
/// people.
pub(super) fn bijdragers_loggen(
    b: &Briefing,
    getoond: &mut BTreeMap<String, BTreeSet<Uuid>>,
    zoek: &[Uuid],
) {
    let mut bijdragers: BTreeSet<String> = BTreeSet::new();
    bijdragers.extend(b.gezinnen.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(b.gezag.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(
        b.beschikkingen_in_werking
            .iter()
            .map(|x| x.eigenaar.clone()),
    );
    bijdragers.extend(b.regelingen_in_werking.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(b.incidenten.lijst.iter().map(|x| x.eigenaar.clone()));
    bijdragers.extend(
        b.betrokken_organisaties
            .iter()
            .map(|x| x.organisatie.clone()),
    );
    bijdragers.extend(b.open_zorgmeldingen.iter().map(|x| x.afzender.clone()));
    for e in bijdragers {
        let s = getoond.entry(e).or_default();
        if s.is_empty() {
            s.extend(zoek.iter().copied());
        }
    }
}

/// The log rows: one audit row for the search, and per owner that showed anything one
/// processing-log row per person shown, on that owner's legal basis.
pub(super) fn log(
    conn: &mut DbConnection,
    ctx: &Context,
    toegang: &Toegang,
    briefing: Uuid,
    getoond: &BTreeMap<String, BTreeSet<Uuid>>,
) -> Result<(), Fout> {
    let items: Vec<(&Toestemming, Object, Vec<Uuid>)> = getoond
        .iter()
        .filter_map(|(eigenaar, subjecten)| {
            toegang.van(eigenaar).map(|t| {
                (
                    t,
                    Object {
                        soort: "briefings",
                        id: briefing.to_string(),
                        eigenaar: eigenaar.clone(),
                    },
                    subjecten.iter().copied().collect(),
                )
            })
        })
        .collect();
    if !items.is_empty() {
        logboek::lezingen(conn, ctx, &items)?;
        return Ok(());
    }
    logboek::audit(
        conn,
        ctx,
        &AuditRegel {
            actie: Actie::Lezen.to_string(),
            object: Object {
                soort: "briefings",
                id: briefing.to_string(),
                eigenaar: ctx.actor.organisatie.clone(),
            },
            resultaat: 200,
            doorbraak: false,
            grondslag: None,
            oud: None,
            nieuw: None,
        },
    )?;
    Ok(())
}

/// `LOG_ONDER_GRONDSLAG_EIGENAAR` for the own statements shown: one recorded by an
/// organisation other than the caller and the record's owner shows that organisation's
/// data on its subject, logged by `logboek::verklaringen` (its basis, the disclosure in
/// its register), per record owner with the permission its record was shown on.
pub(super) fn verklaringen(
    conn: &mut DbConnection,
    ctx: &Context,
    toegang: &Toegang,
    b: &Briefing,
) -> Result<(), Fout> {
    let getoond = b
        .personen
        .iter()
        .chain(&b.gezinsleden)
        .flat_map(|p| &p.eigen_verklaringen)
        .chain(
            b.beschikkingen_in_werking
                .iter()
                .chain(&b.maatregelen_in_werking)
                .flat_map(|x| &x.eigen_verklaringen),
        )
        .chain(
            b.incidenten
                .lijst
                .iter()
                .flat_map(|i| &i.eigen_verklaringen),
        )
        .chain(
            b.open_zorgmeldingen
                .iter()
                .flat_map(|m| &m.eigen_verklaringen),
        );
    let mut per_eigenaar: BTreeMap<&str, Vec<&EigenVerklaringWeergave>> = BTreeMap::new();
    for v in getoond {
        per_eigenaar.entry(v.eigenaar.as_str()).or_default().push(v);
    }
    for (eigenaar, lijst) in per_eigenaar {
        if let Some(t) = toegang.van(eigenaar) {
            logboek::verklaringen(conn, ctx, t, lijst)?;
        }
    }
    Ok(())
}
