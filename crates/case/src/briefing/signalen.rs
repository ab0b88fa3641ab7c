//! The flags a briefing raises, each by the rule that raised it (README "Rules"):
//! `VECHTSCHEIDING`, `HOOR_EN_WEDERHOOR` (one-sided records), `OUDER_ZONDER_GEZAG` and
//! `GEZAG_ONBEKEND_IS_NIET_GEEN`.
//! Derived from what the caller may see only.

use super::VECHTSCHEIDING_MIN_INCIDENTEN;
use super::antwoord::{Briefing, Signaal};
use crate::beschikkingen::{Beschikking, Beschikkingsoort};
use crate::gezag::Gezagsvorm;
use crate::gezinnen::{self, Relatie};
use crate::incidenten::IncidentKort;
use crate::personen::PersoonRij;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Rule `GEZAG_ONBEKEND_IS_NIET_GEEN` (DOMAIN.md §4 "Family-law facts": gezag may be
/// "temporarily none" or "cannot be determined"; §1 point 3): gezag `niet-te-bepalen` is
/// unknown, not absent. The briefing raises this flag (its code) for the child instead of
/// `ouder-zonder-gezag` for its parents: who holds the gezag that art. 279 Sr protects
/// is not known.
pub const GEZAG_ONBEKEND_IS_NIET_GEEN: &str = "gezag-niet-te-bepalen";

/// Rule `OUDER_ZONDER_GEZAG` (DOMAIN.md §4 "Art. 279 Sr ... needs gezag"; Sr art. 279 lid
/// 1): the flag `ouder-zonder-gezag` names a parent in the family who does not hold the
/// (non-joint) gezag of a child, and says what that means for an emergency officer, in
/// both directions. Art. 279 Sr protects the lawful gezag (and the lawful opzicht, such as
/// a GI's under an OTS): a parent *without* gezag who takes or keeps the child from whoever
/// holds it is the typical case of onttrekking aan het gezag. The reverse is not: the
/// holder who keeps the child from this parent takes it from no gezag of theirs, so this
/// parent has no art. 279 Sr to invoke; for contact (omgang) only the civil route (the
/// omgangsregeling and its enforcement by the civil court). The sentence shown after the
/// parent's and child's names.
pub const OUDER_ZONDER_GEZAG_UITLEG: &str = "neemt of houdt deze ouder het kind weg bij wie het gezag of het wettig opzicht heeft, dan kan dat onttrekking aan het gezag zijn (art. 279 Sr). Wordt het kind aan deze ouder onthouden, dan is dat geen onttrekking: deze ouder kan zich niet op art. 279 Sr beroepen, voor omgang alleen de civiele weg";

/// `OUDER_ZONDER_GEZAG` where nobody holds gezag now (`tijdelijk-geen`: e.g. after
/// ontheffing or ontzetting before a voogd is appointed, BW 1:253q, 1:241): the parents
/// have none, but the sentence of `OUDER_ZONDER_GEZAG_UITLEG` presumes a holder. Art. 279
/// Sr then protects only whoever has the child lawfully in their care (the wettig opzicht,
/// such as a voorlopig voogd or the GI under an OTS); the officer is told to find out who
/// that is (outside test of 3 Dec 2026, round four, finding 4).
pub const OUDER_ZONDER_GEZAG_NIEMAND_UITLEG: &str = "op dit moment heeft niemand gezag. Neemt of houdt deze ouder het kind weg bij wie het wettig opzicht heeft (zoals een voorlopig voogd of de gecertificeerde instelling), dan kan dat onttrekking zijn (art. 279 Sr); ga na wie dat opzicht heeft";

/// The derived flags, each rule by name.
pub(super) fn signalen(
    b: &Briefing,
    incidenten: &[IncidentKort],
    beschikkingen: &[Beschikking],
    gezinnen_: &[gezinnen::Gezin],
    alle: &BTreeMap<String, PersoonRij>,
    jaar_terug: DateTime<Utc>,
) -> Vec<Signaal> {
    let mut uit = Vec::new();
    let conflicten = incidenten
        .iter()
        .filter(|i| i.tijdstip >= jaar_terug && i.soort.is_ouderconflict())
        .count();
    let familierecht = beschikkingen.iter().any(|x| {
        matches!(
            x.soort,
            Beschikkingsoort::Omgang | Beschikkingsoort::Zorgregeling | Beschikkingsoort::Gezag
        )
    });
    // `VECHTSCHEIDING`
    if conflicten >= VECHTSCHEIDING_MIN_INCIDENTEN || (familierecht && conflicten >= 1) {
        uit.push(Signaal {
            code: "vechtscheiding".into(),
            uitleg: format!(
                "{conflicten} incident(en) over omgang, overdracht of gezag in de laatste 12 maanden{}: hoor beide ouders en neem geen partij (regel VECHTSCHEIDING)",
                if familierecht { ", en een familierechtelijke beschikking" } else { "" }
            ),
        });
    }
    // `HOOR_EN_WEDERHOOR`
    let eenzijdig = b.incidenten.lijst.iter().filter(|i| i.eenzijdig).count();
    if eenzijdig > 0 {
        uit.push(Signaal {
            code: "eenzijdige-verslaglegging".into(),
            uitleg: format!(
                "{eenzijdig} incident(en) met alleen het verhaal van één ouder, zonder wederhoor (regel HOOR_EN_WEDERHOOR)"
            ),
        });
    }
    // `OUDER_ZONDER_GEZAG`: a parent in a shown family who is not among the holders of a
    // child's (shown) gezag (see the rule's text, `OUDER_ZONDER_GEZAG_UITLEG`).
    // `GEZAG_ONBEKEND_IS_NIET_GEEN`: gezag that cannot be determined says nothing about
    // whether a parent has it (DOMAIN.md §4 tells "temporarily none" from "cannot be
    // determined"): no parent is said to lack it; the officer is told it is unknown.
    let identiteit = |p: &Uuid| alle.get(&p.to_string()).map(|r| r.betrokkene.clone());
    for g in &b.gezag {
        if matches!(g.vorm, Gezagsvorm::NietTeBepalen) {
            let kindnaam = g.kind.naam.clone().unwrap_or_else(|| "het kind".into());
            uit.push(Signaal {
                code: GEZAG_ONBEKEND_IS_NIET_GEEN.into(),
                uitleg: format!(
                    "Het gezag over {kindnaam} is niet te bepalen: onbekend is wie gezag heeft, dus ook of meenemen of vasthouden van het kind onttrekking aan het gezag is (art. 279 Sr); ga dit na voordat u handelt (regel GEZAG_ONBEKEND_IS_NIET_GEEN)"
                ),
            });
            continue;
        }
        if matches!(g.vorm, Gezagsvorm::Gezamenlijk) {
            continue;
        }
        let houders: BTreeSet<String> =
            g.houders.iter().filter_map(|h| identiteit(&h.id)).collect();
        let kind = identiteit(&g.kind.id);
        for gezin in gezinnen_ {
            let in_gezin = gezin.kinderen().any(|k| identiteit(&k) == kind);
            if !in_gezin || !b.gezinnen.iter().any(|x| x.id == gezin.id) {
                continue;
            }
            for l in gezin.leden.iter().filter(|l| l.relatie == Relatie::Ouder) {
                if identiteit(&l.persoon).is_some_and(|o| !houders.contains(&o)) {
                    let naam = b
                        .gezinnen
                        .iter()
                        .flat_map(|x| x.leden.iter())
                        .find(|x| x.persoon.id == l.persoon)
                        .and_then(|x| x.persoon.naam.clone())
                        .unwrap_or_else(|| "een ouder".into());
                    let kindnaam = g.kind.naam.clone().unwrap_or_else(|| "het kind".into());
                    let tekst = if matches!(g.vorm, Gezagsvorm::TijdelijkGeen) {
                        format!(
                            "{naam} heeft geen gezag over {kindnaam}: {OUDER_ZONDER_GEZAG_NIEMAND_UITLEG} (regel OUDER_ZONDER_GEZAG)"
                        )
                    } else {
                        format!(
                            "{naam} heeft geen gezag over {kindnaam} ({}): {OUDER_ZONDER_GEZAG_UITLEG} (regel OUDER_ZONDER_GEZAG)",
                            g.vorm
                        )
                    };
                    if !uit.iter().any(|s: &Signaal| s.uitleg == tekst) {
                        uit.push(Signaal {
                            code: "ouder-zonder-gezag".into(),
                            uitleg: tekst,
                        });
                    }
                }
            }
        }
    }
    uit
}
