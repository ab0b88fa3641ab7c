//! The rules of the decision proper (without break-glass), one function each, applied per
//! owning organisation by `beslis_regels`. Their names are the module documentation's.

use super::{Aanvraag, Basis, Toestemming, Weigering};
use crate::convenant::{self, Convenant, Grondslag};
use chrono::{DateTime, Utc};
use ketenregie_common::{Actor, Gegevenscategorie, OrganisatieSoort, Rol, Vertrouwelijkheid};
use std::collections::BTreeSet;

/// What the decision collects over the owners: the bases (each once, in the order first
/// found), the categories to redact, whether a rule used requires a reason, and the
/// highest confidentiality level every owner allows.
struct Staat {
    basis: Vec<Basis>,
    redigeer: BTreeSet<Gegevenscategorie>,
    reden_nodig: bool,
    max_niveau: Vertrouwelijkheid,
    /// Owners whose used rule is marked `eigenaar_informeren`.
    informeer: BTreeSet<String>,
}

impl Staat {
    fn voeg(&mut self, b: Basis) {
        if !self.basis.contains(&b) {
            self.basis.push(b);
        }
    }
}

/// A rule of an agreement in force between the actor's organisation and an owner, with
/// its agreement.
type Gevonden<'a> = (&'a Convenant, &'a convenant::Regel);

/// The refusal of `REDEN_VERPLICHT`.
fn reden_ontbreekt() -> Weigering {
    Weigering {
        regel: "REDEN_VERPLICHT",
        reden: "Het convenant vereist per raadpleging een reden: stuur de header `X-Audit-Toelichting` met de reden van deze raadpleging".into(),
        toelichting_vereist: true,
    }
}

/// The decision by the rules, for every owner of `a`.
pub(super) fn beslis_regels(
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    toelichting: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<Toestemming, Weigering> {
    zaakrol(actor)?;
    let mut eigenaren: Vec<&str> = a.eigenaren.iter().map(String::as_str).collect();
    eigenaren.sort();
    eigenaren.dedup();
    let mut staat = Staat {
        basis: Vec::new(),
        redigeer: BTreeSet::new(),
        reden_nodig: false,
        max_niveau: Vertrouwelijkheid::ZeerGeheim,
        informeer: BTreeSet::new(),
    };
    for eigenaar in eigenaren {
        if eigenaar == actor.organisatie {
            eigen_organisatie(&mut staat);
        } else {
            convenant_vereist(
                &mut staat,
                actor,
                soort,
                convenanten,
                a,
                eigenaar,
                toelichting,
                nu,
            )?;
        }
    }
    reden_verplicht(&staat, toelichting)?;
    Ok(Toestemming {
        basis: staat.basis,
        redigeer: staat.redigeer,
        doorbraak: false,
        max_vertrouwelijkheid: staat.max_niveau,
        doel: a.doel,
        informeer: staat.informeer,
    })
}

/// `EIGEN_ORGANISATIE`, first half: only a case role gives access to case data (the
/// platform admin role alone sees none).
fn zaakrol(actor: &Actor) -> Result<(), Weigering> {
    if actor.rollen.iter().any(|r| *r != Rol::Platformbeheerder) {
        Ok(())
    } else {
        Err(Weigering {
            regel: "EIGEN_ORGANISATIE",
            reden: "Deze rol geeft geen toegang tot zaakgegevens".into(),
            toelichting_vereist: false,
        })
    }
}

/// `EIGEN_ORGANISATIE`: the organisation's own data, on the basis of its own task.
fn eigen_organisatie(staat: &mut Staat) {
    staat.voeg(Basis {
        convenant: None,
        grondslag: Grondslag {
            code: "eigen taakuitvoering".into(),
            omschrijving: "Gegevens van de eigen organisatie, verwerkt door eigen medewerkers"
                .into(),
        },
    });
}

/// `CONVENANT_VEREIST`: `eigenaar`'s data needs an agreement in force with both as parties
/// and a rule matching the actor's organisation kind, a role, the action, the purpose,
/// every required category and the confidentiality level. Optional categories follow
/// `redigeren`.
#[allow(clippy::too_many_arguments)]
fn convenant_vereist(
    staat: &mut Staat,
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    eigenaar: &str,
    toelichting: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<(), Weigering> {
    let Some(soort) = soort else {
        return Err(Weigering {
            regel: "CONVENANT_VEREIST",
            reden: format!(
                "Organisatie `{}` staat niet in de partnerlijst; zonder registratie geen toegang tot gegevens van anderen",
                actor.organisatie
            ),
            toelichting_vereist: false,
        });
    };
    let regels: Vec<Gevonden> = convenanten
        .iter()
        .filter(|c| c.van_kracht(nu) && c.is_partij(&actor.organisatie) && c.is_partij(eigenaar))
        .flat_map(|c| c.inhoud.regels.iter().map(move |r| (c, r)))
        .filter(|(_, r)| {
            r.organisatie_soort == soort
                && r.rollen.iter().any(|rol| actor.heeft_rol(*rol))
                && r.acties.contains(&a.actie)
                && r.doel == a.doel
        })
        .collect();
    let niveau_ok = |r: &convenant::Regel| r.max_vertrouwelijkheid >= a.vertrouwelijkheid;
    let mut eigen_max = None::<Vertrouwelijkheid>;
    for (_, r) in &regels {
        if r.categorieen
            .iter()
            .any(|cat| a.categorieen.contains(cat) || a.optioneel.contains(cat))
        {
            eigen_max =
                Some(eigen_max.map_or(r.max_vertrouwelijkheid, |m| m.max(r.max_vertrouwelijkheid)));
        }
    }
    for cat in &a.categorieen {
        let kandidaten: Vec<_> = regels
            .iter()
            .filter(|(_, r)| r.categorieen.contains(cat) && niveau_ok(r))
            .collect();
        let gekozen = kandidaten
            .iter()
            .find(|(_, r)| !r.vraagt_reden())
            .or_else(|| kandidaten.first());
        match gekozen {
            None => {
                let hoger = regels.iter().any(|(_, r)| r.categorieen.contains(cat));
                return Err(Weigering {
                    regel: "CONVENANT_VEREIST",
                    reden: if hoger {
                        format!(
                            "Het vertrouwelijkheidsniveau `{}` gaat boven wat het convenant met `{eigenaar}` toestaat",
                            a.vertrouwelijkheid
                        )
                    } else {
                        format!(
                            "Geen convenant van kracht dat organisatie `{}` met deze rol toestaat om `{}` te {} voor doel `{}` bij gegevens van `{eigenaar}`",
                            actor.organisatie, cat, a.actie, a.doel
                        )
                    },
                    toelichting_vereist: false,
                });
            }
            Some((c, r)) => {
                staat.reden_nodig |= r.vraagt_reden();
                if r.eigenaar_informeren {
                    staat.informeer.insert(eigenaar.to_string());
                }
                staat.voeg(Basis {
                    convenant: Some((c.id, c.versie)),
                    grondslag: r.grondslag.clone(),
                });
            }
        }
    }
    redigeren(staat, actor, &regels, a, eigenaar, toelichting)?;
    if let Some(m) = eigen_max {
        staat.max_niveau = staat.max_niveau.min(m);
    }
    Ok(())
}

/// `REDIGEREN`: an optional category no usable rule covers is redacted, not refused. One
/// whose only covering rules require a reason is shown with a reason and redacted without
/// one (`REDEN_VERPLICHT`): refusing the whole request instead would make the decision
/// non-monotonic — removing such a rule (a party leaving) would then turn a refusal into a
/// permission. A request of optional categories only, all redacted, is refused.
fn redigeren(
    staat: &mut Staat,
    actor: &Actor,
    regels: &[Gevonden],
    a: &Aanvraag,
    eigenaar: &str,
    toelichting: Option<&str>,
) -> Result<(), Weigering> {
    let niveau_ok = |r: &convenant::Regel| r.max_vertrouwelijkheid >= a.vertrouwelijkheid;
    let mut alleen_met_reden = false;
    for cat in &a.optioneel {
        let dekt = |r: &convenant::Regel| r.categorieen.contains(cat) && niveau_ok(r);
        let gedekt = regels
            .iter()
            .find(|(_, r)| dekt(r) && !r.vraagt_reden())
            .or_else(|| {
                regels
                    .iter()
                    .find(|(_, r)| dekt(r))
                    .filter(|_| toelichting.is_some())
            });
        match gedekt {
            Some((c, r)) => {
                if r.eigenaar_informeren {
                    staat.informeer.insert(eigenaar.to_string());
                }
                staat.voeg(Basis {
                    convenant: Some((c.id, c.versie)),
                    grondslag: r.grondslag.clone(),
                })
            }
            None => {
                alleen_met_reden |= regels.iter().any(|(_, r)| dekt(r));
                staat.redigeer.insert(*cat);
            }
        }
    }
    if a.categorieen.is_empty() && a.optioneel.iter().all(|c| staat.redigeer.contains(c)) {
        return Err(if alleen_met_reden {
            reden_ontbreekt()
        } else {
            Weigering {
                regel: "CONVENANT_VEREIST",
                reden: format!(
                    "Geen convenant van kracht dat organisatie `{}` toestaat om gegevens van `{eigenaar}` te {} voor doel `{}`",
                    actor.organisatie, a.actie, a.doel
                ),
                toelichting_vereist: false,
            }
        });
    }
    Ok(())
}

/// `REDEN_VERPLICHT`: where a rule used requires a reason, the request must carry
/// `X-Audit-Toelichting`. A rule for the OM always does (`Regel::vraagt_reden`, rule
/// `OM_PER_VERZOEK_MET_REDEN`: case by case, never a blanket grant), even one stored
/// with `redenVerplicht: false` before that rule existed.
fn reden_verplicht(staat: &Staat, toelichting: Option<&str>) -> Result<(), Weigering> {
    if staat.reden_nodig && toelichting.is_none() {
        Err(reden_ontbreekt())
    } else {
        Ok(())
    }
}
