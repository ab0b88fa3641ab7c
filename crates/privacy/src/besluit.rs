//! The policy decision (DESIGN.md §2 step 4): which active agreement allows this actor's
//! organisation and role to do this action on these data categories for this purpose?
//! Deny by default. The answer names the agreement and version and the legal basis, and
//! lists the categories to redact.
//!
//! Rules, each findable by name:
//! - `EIGEN_ORGANISATIE`: data owned by the actor's own organisation is allowed to its own
//!   staff (any case role) without an agreement, on the basis of the organisation's own
//!   task. The platform admin role alone sees no case data.
//! - `CONVENANT_VEREIST`: data owned by another organisation needs, for every owner, an
//!   agreement in force with both as parties (`Convenant::is_partij`: named in it and not
//!   left, `UITTREDEN` in `convenant`) and a rule matching the actor's organisation
//!   kind, one of the actor's roles, the action, the purpose, each required category and
//!   the record's confidentiality level.
//! - `REDEN_VERPLICHT`: where the only matching rules require a reason (the OM: case by
//!   case, never a blanket grant), the request must carry `X-Audit-Toelichting`.
//! - `REDIGEREN`: optional categories no rule covers are redacted, not refused.
//! - `DOORBRAAK`: break-glass — a role named in an agreement in force the actor's
//!   organisation and every owner take part in may read outside the rules, only with a
//!   reason; flagged.
//!
//! Which agreements are in force is the agreements' own business (`convenant`: a version
//! binds only when every party signed it, `ALLE_HANDTEKENINGEN`); this module never looks
//! at a concept.

use crate::context::Context;
use crate::convenant::{self, Convenant, Grondslag};
use chrono::{DateTime, Utc};
use ketenregie_common::Fout;
use ketenregie_common::{
    Actie, Actor, Doel, Gegevenscategorie, OrganisatieSoort, Rol, Vertrouwelijkheid,
};
use ketenregie_store::{DbConnection, directory};
use std::collections::BTreeSet;
use uuid::Uuid;

/// What is asked.
#[derive(Debug, Clone)]
pub struct Aanvraag {
    pub actie: Actie,
    pub doel: Doel,
    /// Categories the operation cannot do without.
    pub categorieen: Vec<Gegevenscategorie>,
    /// Categories shown if allowed and redacted otherwise.
    pub optioneel: Vec<Gegevenscategorie>,
    /// Codes of the organisations that own the data.
    pub eigenaren: Vec<String>,
    /// The record's confidentiality level (for lists: the lowest; the permission's
    /// `max_vertrouwelijkheid` then filters).
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

/// The legal basis a permission rests on, with the agreement version it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    pub convenant: Option<(Uuid, i64)>,
    pub grondslag: Grondslag,
}

impl Basis {
    /// "Wmo 2015 art. 5.2.6 (convenant <id> v2)" — as written in the logs.
    pub fn tekst(&self) -> String {
        match self.convenant {
            Some((id, v)) => format!("{} (convenant {id} v{v})", self.grondslag.code),
            None => self.grondslag.code.clone(),
        }
    }
}

/// A positive decision. Only this crate can make one; domain queries on personal data
/// take it as a parameter, so none runs without a decision.
#[derive(Debug, Clone)]
pub struct Toestemming {
    basis: Vec<Basis>,
    redigeer: BTreeSet<Gegevenscategorie>,
    doorbraak: bool,
    max_vertrouwelijkheid: Vertrouwelijkheid,
    doel: Doel,
}

impl Toestemming {
    pub fn basis(&self) -> &[Basis] {
        &self.basis
    }
    /// Categories to leave out of the answer.
    pub fn redigeer(&self) -> &BTreeSet<Gegevenscategorie> {
        &self.redigeer
    }
    pub fn mag_zien(&self, c: Gegevenscategorie) -> bool {
        !self.redigeer.contains(&c)
    }
    pub fn is_doorbraak(&self) -> bool {
        self.doorbraak
    }
    /// The highest level the caller may see (lists filter silently to it).
    pub fn max_vertrouwelijkheid(&self) -> Vertrouwelijkheid {
        self.max_vertrouwelijkheid
    }
    pub fn doel(&self) -> Doel {
        self.doel
    }
    /// The agreement cited first, if any.
    pub fn convenant(&self) -> Option<(Uuid, i64)> {
        self.basis.iter().find_map(|b| b.convenant)
    }
    /// All legal bases as one text.
    pub fn grondslag_tekst(&self) -> String {
        self.basis
            .iter()
            .map(Basis::tekst)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A refusal, with what to do about it.
#[derive(Debug, Clone)]
pub struct Weigering {
    /// The rule that refused, by its name in this module (`CONVENANT_VEREIST`,
    /// `REDEN_VERPLICHT`, `DOORBRAAK`, ...) or the crate that applied it.
    pub regel: &'static str,
    pub reden: String,
    /// Refused only because `X-Audit-Toelichting` was missing.
    pub toelichting_vereist: bool,
}

/// `EIGEN_ORGANISATIE`: the basis for processing one's own data.
fn eigen_taak() -> Grondslag {
    Grondslag {
        code: "eigen taakuitvoering".into(),
        omschrijving: "Gegevens van de eigen organisatie, verwerkt door eigen medewerkers".into(),
    }
}

fn heeft_zaakrol(actor: &Actor) -> bool {
    actor.rollen.iter().any(|r| *r != Rol::Platformbeheerder)
}

/// The decision itself, without I/O: given the actor, its organisation's kind, the
/// stored-active agreements it is party to, the request, the stated reason and the time.
pub fn beslis(
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    toelichting: Option<&str>,
    doorbraak: bool,
    nu: DateTime<Utc>,
) -> Result<Toestemming, Weigering> {
    let toelichting = toelichting.map(str::trim).filter(|t| !t.is_empty());
    let normaal = beslis_regels(actor, soort, convenanten, a, toelichting, nu);
    match normaal {
        Ok(t) => Ok(t),
        Err(w) if doorbraak => {
            doorbreek(actor, soort, convenanten, a, toelichting, nu).map_err(|d| Weigering {
                regel: "DOORBRAAK",
                reden: format!("{} Doorbraak niet mogelijk: {}", w.reden, d.reden),
                toelichting_vereist: d.toelichting_vereist,
            })
        }
        Err(w) => Err(w),
    }
}

fn beslis_regels(
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    toelichting: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<Toestemming, Weigering> {
    if !heeft_zaakrol(actor) {
        return Err(Weigering {
            regel: "EIGEN_ORGANISATIE",
            reden: "Deze rol geeft geen toegang tot zaakgegevens".into(),
            toelichting_vereist: false,
        });
    }
    let mut eigenaren: Vec<&str> = a.eigenaren.iter().map(String::as_str).collect();
    eigenaren.sort();
    eigenaren.dedup();
    let mut basis: Vec<Basis> = Vec::new();
    let mut redigeer = BTreeSet::new();
    let mut max_niveau = Vertrouwelijkheid::ZeerGeheim;
    let mut reden_nodig = false;

    for eigenaar in eigenaren {
        if eigenaar == actor.organisatie {
            // EIGEN_ORGANISATIE
            let b = Basis {
                convenant: None,
                grondslag: eigen_taak(),
            };
            if !basis.contains(&b) {
                basis.push(b);
            }
            continue;
        }
        // CONVENANT_VEREIST
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
        let regels: Vec<(&Convenant, &convenant::Regel)> = convenanten
            .iter()
            .filter(|c| {
                c.van_kracht(nu) && c.is_partij(&actor.organisatie) && c.is_partij(eigenaar)
            })
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
        for (c, r) in &regels {
            if r.categorieen
                .iter()
                .any(|cat| a.categorieen.contains(cat) || a.optioneel.contains(cat))
            {
                eigen_max = Some(
                    eigen_max.map_or(r.max_vertrouwelijkheid, |m| m.max(r.max_vertrouwelijkheid)),
                );
            }
            let _ = c;
        }
        for cat in &a.categorieen {
            let kandidaten: Vec<_> = regels
                .iter()
                .filter(|(_, r)| r.categorieen.contains(cat) && niveau_ok(r))
                .collect();
            let gekozen = kandidaten
                .iter()
                .find(|(_, r)| !r.reden_verplicht)
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
                    reden_nodig |= r.reden_verplicht;
                    let b = Basis {
                        convenant: Some((c.id, c.versie)),
                        grondslag: r.grondslag.clone(),
                    };
                    if !basis.contains(&b) {
                        basis.push(b);
                    }
                }
            }
        }
        // An optional category whose only covering rules require a reason is shown with a
        // reason and redacted without one (REDEN_VERPLICHT, REDIGEREN): refusing the whole
        // request instead would make the decision non-monotonic — removing such a rule
        // (a party leaving) would then turn a refusal into a permission.
        let mut alleen_met_reden = false;
        for cat in &a.optioneel {
            let dekt = |r: &convenant::Regel| r.categorieen.contains(cat) && niveau_ok(r);
            let gedekt = regels
                .iter()
                .find(|(_, r)| dekt(r) && !r.reden_verplicht)
                .or_else(|| {
                    regels
                        .iter()
                        .find(|(_, r)| dekt(r))
                        .filter(|_| toelichting.is_some())
                });
            match gedekt {
                Some((c, r)) => {
                    let b = Basis {
                        convenant: Some((c.id, c.versie)),
                        grondslag: r.grondslag.clone(),
                    };
                    if !basis.contains(&b) {
                        basis.push(b);
                    }
                }
                None => {
                    // REDIGEREN
                    alleen_met_reden |= regels.iter().any(|(_, r)| dekt(r));
                    redigeer.insert(*cat);
                }
            }
        }
        if a.categorieen.is_empty() && a.optioneel.iter().all(|c| redigeer.contains(c)) {
            return Err(if alleen_met_reden {
                Weigering {
                    regel: "REDEN_VERPLICHT",
                    reden: "Het convenant vereist per raadpleging een reden: stuur de header `X-Audit-Toelichting` met de reden van deze raadpleging".into(),
                    toelichting_vereist: true,
                }
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
        if let Some(m) = eigen_max {
            max_niveau = max_niveau.min(m);
        }
    }
    // REDEN_VERPLICHT
    if reden_nodig && toelichting.is_none() {
        return Err(Weigering {
            regel: "REDEN_VERPLICHT",
            reden: "Het convenant vereist per raadpleging een reden: stuur de header `X-Audit-Toelichting` met de reden van deze raadpleging".into(),
            toelichting_vereist: true,
        });
    }
    Ok(Toestemming {
        basis,
        redigeer,
        doorbraak: false,
        max_vertrouwelijkheid: max_niveau,
        doel: a.doel,
    })
}

/// `DOORBRAAK`: an emergency read outside the rules.
fn doorbreek(
    actor: &Actor,
    soort: Option<OrganisatieSoort>,
    convenanten: &[Convenant],
    a: &Aanvraag,
    toelichting: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<Toestemming, Weigering> {
    if a.actie != Actie::Lezen {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "doorbraak geldt alleen voor lezen".into(),
            toelichting_vereist: false,
        });
    }
    let Some(soort) = soort else {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "de organisatie is niet geregistreerd".into(),
            toelichting_vereist: false,
        });
    };
    let Some(c) = convenanten.iter().find(|c| {
        c.van_kracht(nu)
            && c.is_partij(&actor.organisatie)
            && a.eigenaren
                .iter()
                .all(|e| *e == actor.organisatie || c.is_partij(e))
            && c.inhoud
                .doorbraakrollen
                .iter()
                .any(|d| d.organisatie_soort == soort && actor.heeft_rol(d.rol))
    }) else {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "geen convenant van kracht noemt deze rol voor doorbraak".into(),
            toelichting_vereist: false,
        });
    };
    if toelichting.is_none() {
        return Err(Weigering {
            regel: "DOORBRAAK",
            reden: "een doorbraak vereist een reden in `X-Audit-Toelichting`".into(),
            toelichting_vereist: true,
        });
    }
    Ok(Toestemming {
        basis: vec![Basis {
            convenant: Some((c.id, c.versie)),
            grondslag: Grondslag {
                code: "doorbraak (noodtoegang)".into(),
                omschrijving: "Noodtoegang buiten de regels van het convenant; achteraf getoetst"
                    .into(),
            },
        }],
        redigeer: BTreeSet::new(),
        doorbraak: true,
        max_vertrouwelijkheid: Vertrouwelijkheid::ZeerGeheim,
        doel: a.doel,
    })
}

/// Decide inside the caller's transaction: reads the actor's organisation kind and the
/// agreements every time, so a withdrawal or expiry takes effect on the next request.
pub fn toegang(conn: &mut DbConnection, ctx: &Context, a: &Aanvraag) -> Result<Toestemming, Fout> {
    // Own data (`EIGEN_ORGANISATIE`) needs neither the organisation's kind nor the
    // agreements: spare both queries on the hottest path.
    let alleen_eigen = a.eigenaren.iter().all(|e| *e == ctx.actor.organisatie);
    let (soort, convenanten) = if alleen_eigen && !ctx.doorbraak {
        (None, Vec::new())
    } else {
        (
            directory::organisatie_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.soort),
            convenant::actief_voor(conn, &ctx.actor.organisatie)?,
        )
    };
    beslis(
        &ctx.actor,
        soort,
        &convenanten,
        a,
        ctx.toelichting.as_deref(),
        ctx.doorbraak,
        ctx.nu,
    )
    .map_err(Fout::from)
}

/// Many decisions in one request (the briefing decides per owning organisation): the
/// actor's organisation kind and its agreements are read once, inside the caller's
/// transaction, and each decision is then pure.
#[derive(Debug, Clone)]
pub struct Beslisser {
    soort: Option<OrganisatieSoort>,
    convenanten: Vec<Convenant>,
}

impl Beslisser {
    pub fn laad(conn: &mut DbConnection, ctx: &Context) -> Result<Self, Fout> {
        Ok(Self {
            soort: directory::kern_op_code(conn, &ctx.actor.organisatie)?.map(|o| o.2),
            convenanten: convenant::actief_voor(conn, &ctx.actor.organisatie)?,
        })
    }

    /// The actor's organisation kind.
    pub fn soort(&self) -> Option<OrganisatieSoort> {
        self.soort
    }

    pub fn beslis(&self, ctx: &Context, a: &Aanvraag) -> Result<Toestemming, Weigering> {
        beslis(
            &ctx.actor,
            self.soort,
            &self.convenanten,
            a,
            ctx.toelichting.as_deref(),
            ctx.doorbraak,
            ctx.nu,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convenant::{Doorbraakrol, Inhoud, OpgeslagenStatus, Partij, Regel};
    use chrono::Duration;
    use proptest::prelude::*;
    use strum::VariantArray;

    const ORGS: [(&str, OrganisatieSoort); 4] = [
        ("politie", OrganisatieSoort::Politie),
        ("vt", OrganisatieSoort::VeiligThuis),
        ("om", OrganisatieSoort::Om),
        ("wijkteam", OrganisatieSoort::Wijkteam),
    ];

    fn nu() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn actor(org: &str, rollen: Vec<Rol>) -> Actor {
        Actor {
            gebruiker: "u".into(),
            weergavenaam: "U".into(),
            organisatie: org.into(),
            rollen,
            applicatie: "t".into(),
        }
    }

    fn convenant(
        partijen: &[&str],
        regels: Vec<Regel>,
        status: OpgeslagenStatus,
        verlopen: bool,
    ) -> Convenant {
        let mut doelen: Vec<Doel> = regels.iter().map(|r| r.doel).collect();
        doelen.sort();
        doelen.dedup();
        Convenant {
            id: Uuid::now_v7(),
            reeks_id: Uuid::now_v7(),
            versie: 1,
            titel: "t".into(),
            opgeslagen: status,
            geldig_van: nu() - Duration::days(10),
            geldig_tot: Some(if verlopen {
                nu() - Duration::days(1)
            } else {
                nu() + Duration::days(365)
            }),
            inhoud: Inhoud {
                partijen: partijen
                    .iter()
                    .map(|p| Partij {
                        organisatie: p.to_string(),
                        rol: "partij".into(),
                        ondertekenaars: crate::convenant::STANDAARD_ONDERTEKENAARS.to_vec(),
                    })
                    .collect(),
                doelen,
                categorieen: Gegevenscategorie::VARIANTS.to_vec(),
                regels,
                terugkoppelplichten: vec![],
                kalender: Default::default(),
                bewaartermijnen: vec![],
                doorbraakrollen: vec![Doorbraakrol {
                    organisatie_soort: OrganisatieSoort::Politie,
                    rol: Rol::Noodhulp,
                }],
            },
            eigenaar: partijen[0].into(),
            aangemaakt_door: "u".into(),
            aangemaakt_op: nu() - Duration::days(20),
            geactiveerd_op: Some(nu() - Duration::days(10)),
            ingetrokken_op: None,
            intrekkingsreden: None,
            uittredingen: vec![],
        }
    }

    fn regel_strategy() -> impl Strategy<Value = Regel> {
        (
            prop::sample::select(ORGS.iter().map(|o| o.1).collect::<Vec<_>>()),
            prop::sample::subsequence(Rol::VARIANTS.to_vec(), 1..3),
            prop::sample::subsequence(Actie::VARIANTS.to_vec(), 1..3),
            prop::sample::subsequence(Gegevenscategorie::VARIANTS.to_vec(), 1..4),
            prop::sample::select(Doel::VARIANTS.to_vec()),
            any::<bool>(),
            prop::sample::select(Vertrouwelijkheid::VARIANTS.to_vec()),
        )
            .prop_map(
                |(
                    organisatie_soort,
                    rollen,
                    acties,
                    categorieen,
                    doel,
                    reden_verplicht,
                    max_vertrouwelijkheid,
                )| Regel {
                    organisatie_soort,
                    rollen,
                    acties,
                    categorieen,
                    doel,
                    reden_verplicht,
                    max_vertrouwelijkheid,
                    grondslag: Grondslag {
                        code: "test art. 1".into(),
                        omschrijving: "t".into(),
                    },
                },
            )
    }

    fn aanvraag_strategy() -> impl Strategy<Value = (usize, usize, Vec<Rol>, Aanvraag, bool)> {
        (
            0..ORGS.len(),
            0..ORGS.len(),
            prop::sample::subsequence(Rol::VARIANTS.to_vec(), 1..3),
            prop::sample::select(Actie::VARIANTS.to_vec()),
            prop::sample::select(Doel::VARIANTS.to_vec()),
            prop::sample::subsequence(Gegevenscategorie::VARIANTS.to_vec(), 1..3),
            prop::sample::select(Vertrouwelijkheid::VARIANTS.to_vec()),
            any::<bool>(),
        )
            .prop_map(
                |(a, e, rollen, actie, doel, categorieen, vertrouwelijkheid, reden)| {
                    (
                        a,
                        e,
                        rollen,
                        Aanvraag {
                            actie,
                            doel,
                            categorieen,
                            optioneel: vec![],
                            eigenaren: vec![ORGS[e].0.to_string()],
                            vertrouwelijkheid,
                        },
                        reden,
                    )
                },
            )
    }

    /// Does some rule of an agreement in force cover this exact combination?
    fn gedekt(
        convenanten: &[Convenant],
        actor: &Actor,
        soort: OrganisatieSoort,
        a: &Aanvraag,
        cat: Gegevenscategorie,
    ) -> bool {
        convenanten.iter().filter(|c| c.van_kracht(nu())).any(|c| {
            c.is_partij(&actor.organisatie)
                && a.eigenaren.iter().all(|e| c.is_partij(e))
                && c.inhoud.regels.iter().any(|r| {
                    r.organisatie_soort == soort
                        && r.rollen.iter().any(|rol| actor.heeft_rol(*rol))
                        && r.acties.contains(&a.actie)
                        && r.doel == a.doel
                        && r.categorieen.contains(&cat)
                        && r.max_vertrouwelijkheid >= a.vertrouwelijkheid
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// No combination outside the rules is allowed.
        #[test]
        fn niets_buiten_de_regels(
            regels in prop::collection::vec(regel_strategy(), 0..6),
            partners in prop::sample::subsequence(vec!["politie", "vt", "om", "wijkteam"], 2..4),
            (a_idx, e_idx, rollen, aanvraag, reden) in aanvraag_strategy(),
        ) {
            let convenanten = vec![convenant(&partners, regels, OpgeslagenStatus::Actief, false)];
            let (org, soort) = ORGS[a_idx];
            let act = actor(org, rollen);
            let toelichting = reden.then_some("onderzoek zaak 12");
            if let Ok(t) = beslis(&act, Some(soort), &convenanten, &aanvraag, toelichting, false, nu()) {
                if ORGS[e_idx].0 != org {
                    for cat in &aanvraag.categorieen {
                        prop_assert!(gedekt(&convenanten, &act, soort, &aanvraag, *cat), "allowed outside the rules: {aanvraag:?}");
                    }
                    prop_assert!(t.convenant().is_some(), "a permission for others' data cites an agreement");
                } else {
                    prop_assert!(act.rollen.iter().any(|r| *r != Rol::Platformbeheerder));
                }
            }
        }

        /// Withdrawing or expiring the agreement takes effect at once: nothing of another
        /// organisation is allowed any more (break-glass included).
        #[test]
        fn intrekken_en_verlopen_werken_direct(
            regels in prop::collection::vec(regel_strategy(), 1..6),
            (a_idx, e_idx, rollen, aanvraag, _reden) in aanvraag_strategy(),
            verlopen in any::<bool>(),
        ) {
            let (org, soort) = ORGS[a_idx];
            prop_assume!(ORGS[e_idx].0 != org);
            let partners = ["politie", "vt", "om", "wijkteam"];
            let status = if verlopen { OpgeslagenStatus::Actief } else { OpgeslagenStatus::Ingetrokken };
            let convenanten = vec![convenant(&partners, regels, status, verlopen)];
            let act = actor(org, rollen);
            prop_assert!(beslis(&act, Some(soort), &convenanten, &aanvraag, Some("reden"), true, nu()).is_err());
        }
    }

    #[test]
    fn reden_verplicht_voor_om() {
        let regel = Regel {
            organisatie_soort: OrganisatieSoort::Om,
            rollen: vec![Rol::OfficierVanJustitie],
            acties: vec![Actie::Lezen],
            categorieen: vec![Gegevenscategorie::Politiegegevens],
            doel: Doel::StrafrechtelijkeBeoordeling,
            reden_verplicht: true,
            max_vertrouwelijkheid: Vertrouwelijkheid::Vertrouwelijk,
            grondslag: Grondslag {
                code: "Wjsg art. 39f".into(),
                omschrijving: "t".into(),
            },
        };
        let c = vec![convenant(
            &["politie", "om"],
            vec![regel],
            OpgeslagenStatus::Actief,
            false,
        )];
        let om = actor("om", vec![Rol::OfficierVanJustitie]);
        let a = Aanvraag {
            actie: Actie::Lezen,
            doel: Doel::StrafrechtelijkeBeoordeling,
            categorieen: vec![Gegevenscategorie::Politiegegevens],
            optioneel: vec![Gegevenscategorie::Gezondheid],
            eigenaren: vec!["politie".into()],
            vertrouwelijkheid: Vertrouwelijkheid::Zaakvertrouwelijk,
        };
        let w = beslis(&om, Some(OrganisatieSoort::Om), &c, &a, None, false, nu()).unwrap_err();
        assert!(w.toelichting_vereist && w.reden.contains("X-Audit-Toelichting"));
        let t = beslis(
            &om,
            Some(OrganisatieSoort::Om),
            &c,
            &a,
            Some("zaak 2026-123"),
            false,
            nu(),
        )
        .unwrap();
        assert_eq!(t.convenant(), Some((c[0].id, 1)));
        assert!(t.grondslag_tekst().contains("Wjsg art. 39f"));
        assert!(
            !t.mag_zien(Gegevenscategorie::Gezondheid),
            "optional category without a rule is redacted"
        );
        // An optional category covered only by a reason-required rule: redacted without a
        // reason (never a refusal of what other rules allow), shown with one; with
        // nothing else asked, the refusal says a reason is needed.
        let alleen_optioneel = Aanvraag {
            categorieen: vec![],
            optioneel: vec![Gegevenscategorie::Politiegegevens],
            ..a.clone()
        };
        let w = beslis(
            &om,
            Some(OrganisatieSoort::Om),
            &c,
            &alleen_optioneel,
            None,
            false,
            nu(),
        )
        .unwrap_err();
        assert!(w.toelichting_vereist, "{w:?}");
        let t = beslis(
            &om,
            Some(OrganisatieSoort::Om),
            &c,
            &alleen_optioneel,
            Some("zaak"),
            false,
            nu(),
        )
        .unwrap();
        assert!(t.mag_zien(Gegevenscategorie::Politiegegevens));
        // Above the rule's level: refused.
        let geheim = Aanvraag {
            vertrouwelijkheid: Vertrouwelijkheid::Geheim,
            ..a.clone()
        };
        assert!(
            beslis(
                &om,
                Some(OrganisatieSoort::Om),
                &c,
                &geheim,
                Some("x"),
                false,
                nu()
            )
            .is_err()
        );
    }

    #[test]
    fn doorbraak_alleen_met_reden_en_rol() {
        let c = vec![convenant(
            &["politie", "vt"],
            vec![],
            OpgeslagenStatus::Actief,
            false,
        )];
        let a = Aanvraag {
            actie: Actie::Lezen,
            doel: Doel::Briefing,
            categorieen: vec![Gegevenscategorie::Hulpverlening],
            optioneel: vec![],
            eigenaren: vec!["vt".into()],
            vertrouwelijkheid: Vertrouwelijkheid::Zaakvertrouwelijk,
        };
        let nood = actor("politie", vec![Rol::Noodhulp]);
        assert!(
            beslis(
                &nood,
                Some(OrganisatieSoort::Politie),
                &c,
                &a,
                None,
                false,
                nu()
            )
            .is_err()
        );
        assert!(
            beslis(
                &nood,
                Some(OrganisatieSoort::Politie),
                &c,
                &a,
                None,
                true,
                nu()
            )
            .unwrap_err()
            .toelichting_vereist
        );
        let t = beslis(
            &nood,
            Some(OrganisatieSoort::Politie),
            &c,
            &a,
            Some("kind in gevaar"),
            true,
            nu(),
        )
        .unwrap();
        assert!(t.is_doorbraak());
        let wijk = actor("politie", vec![Rol::Wijkagent]);
        assert!(
            beslis(
                &wijk,
                Some(OrganisatieSoort::Politie),
                &c,
                &a,
                Some("x"),
                true,
                nu()
            )
            .is_err()
        );
    }

    /// `UITTREDEN`: a party that left is no party, as reader and as owner; the others
    /// keep theirs.
    #[test]
    fn uitgetreden_partij_is_geen_partij() {
        let regel = |soort, rol| Regel {
            organisatie_soort: soort,
            rollen: vec![rol],
            acties: vec![Actie::Lezen],
            categorieen: vec![Gegevenscategorie::Identificatie],
            doel: Doel::Briefing,
            reden_verplicht: false,
            max_vertrouwelijkheid: Vertrouwelijkheid::Geheim,
            grondslag: Grondslag {
                code: "t".into(),
                omschrijving: "t".into(),
            },
        };
        let mut c = convenant(
            &["politie", "vt", "wijkteam"],
            vec![
                regel(OrganisatieSoort::Politie, Rol::Noodhulp),
                regel(OrganisatieSoort::VeiligThuis, Rol::Triagist),
                regel(OrganisatieSoort::Wijkteam, Rol::Wijkteammedewerker),
            ],
            OpgeslagenStatus::Actief,
            false,
        );
        c.uittredingen.push(crate::convenant::Uittreding {
            organisatie: "vt".into(),
            door: "u".into(),
            op: nu() - Duration::hours(1),
            reden: "t".into(),
        });
        let c = vec![c];
        let lees = |lezer: &str, soort, rol, eigenaar: &str| {
            let a = Aanvraag {
                actie: Actie::Lezen,
                doel: Doel::Briefing,
                categorieen: vec![Gegevenscategorie::Identificatie],
                optioneel: vec![],
                eigenaren: vec![eigenaar.into()],
                vertrouwelijkheid: Vertrouwelijkheid::Intern,
            };
            beslis(
                &actor(lezer, vec![rol]),
                Some(soort),
                &c,
                &a,
                None,
                false,
                nu(),
            )
            .is_ok()
        };
        assert!(!lees(
            "politie",
            OrganisatieSoort::Politie,
            Rol::Noodhulp,
            "vt"
        ));
        assert!(!lees(
            "vt",
            OrganisatieSoort::VeiligThuis,
            Rol::Triagist,
            "politie"
        ));
        assert!(lees(
            "politie",
            OrganisatieSoort::Politie,
            Rol::Noodhulp,
            "wijkteam"
        ));
        assert!(lees(
            "wijkteam",
            OrganisatieSoort::Wijkteam,
            Rol::Wijkteammedewerker,
            "politie"
        ));
    }

    #[test]
    fn eigen_organisatie_zonder_convenant() {
        let a = Aanvraag {
            actie: Actie::Wijzigen,
            doel: Doel::Zorgmelding,
            categorieen: vec![Gegevenscategorie::Politiegegevens],
            optioneel: vec![],
            eigenaren: vec!["politie".into()],
            vertrouwelijkheid: Vertrouwelijkheid::Geheim,
        };
        let t = beslis(
            &actor("politie", vec![Rol::Wijkagent]),
            Some(OrganisatieSoort::Politie),
            &[],
            &a,
            None,
            false,
            nu(),
        )
        .unwrap();
        assert_eq!(t.convenant(), None);
        assert!(
            beslis(
                &actor("politie", vec![Rol::Platformbeheerder]),
                Some(OrganisatieSoort::Politie),
                &[],
                &a,
                None,
                false,
                nu()
            )
            .is_err()
        );
    }
}
