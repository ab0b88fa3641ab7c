//! The decision's tests: each named rule, and properties over random agreements and
//! requests (proptest).

use super::*;
use crate::convenant::{Doorbraakrol, Inhoud, OpgeslagenStatus, Partij, Regel};
use chrono::Duration;
use ketenregie_common::Rol;
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
        revisie: 1,
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
                eigenaar_informeren: false,
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

    /// `OM_PER_VERZOEK_MET_REDEN`: whatever the rules say, the OM gets nothing of another
    /// organisation without a stated reason, break-glass included.
    #[test]
    fn om_nooit_zonder_reden(
        regels in prop::collection::vec(regel_strategy(), 0..6),
        (_a_idx, e_idx, rollen, aanvraag, _reden) in aanvraag_strategy(),
        doorbraak in any::<bool>(),
    ) {
        prop_assume!(ORGS[e_idx].0 != "om");
        let convenanten = vec![convenant(&["politie", "vt", "om", "wijkteam"], regels, OpgeslagenStatus::Actief, false)];
        let act = actor("om", rollen);
        prop_assert!(beslis(&act, Some(OrganisatieSoort::Om), &convenanten, &aanvraag, None, doorbraak, nu()).is_err());
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

/// `OM_PER_VERZOEK_MET_REDEN`: an OM rule stored with `redenVerplicht: false` (an
/// agreement from before the rule) still needs a reason for every access; with one it
/// is allowed. Break-glass without a reason is no way around it.
#[test]
fn om_regel_zonder_reden_geeft_geen_staande_toegang() {
    let regel = Regel {
        organisatie_soort: OrganisatieSoort::Om,
        rollen: vec![Rol::OfficierVanJustitie],
        acties: vec![Actie::Lezen],
        categorieen: vec![Gegevenscategorie::Politiegegevens],
        doel: Doel::StrafrechtelijkeBeoordeling,
        reden_verplicht: false,
        max_vertrouwelijkheid: Vertrouwelijkheid::Vertrouwelijk,
        eigenaar_informeren: false,
        grondslag: Grondslag {
            code: "Wjsg art. 39f".into(),
            omschrijving: "t".into(),
        },
    };
    let mut c = vec![convenant(
        &["politie", "om"],
        vec![regel],
        OpgeslagenStatus::Actief,
        false,
    )];
    // The officier may break the glass, and still only with a reason.
    c[0].inhoud.doorbraakrollen.push(Doorbraakrol {
        organisatie_soort: OrganisatieSoort::Om,
        rol: Rol::OfficierVanJustitie,
    });
    let om = actor("om", vec![Rol::OfficierVanJustitie]);
    let a = Aanvraag {
        actie: Actie::Lezen,
        doel: Doel::StrafrechtelijkeBeoordeling,
        categorieen: vec![Gegevenscategorie::Politiegegevens],
        optioneel: vec![],
        eigenaren: vec!["politie".into()],
        vertrouwelijkheid: Vertrouwelijkheid::Intern,
    };
    for doorbraak in [false, true] {
        let w = beslis(
            &om,
            Some(OrganisatieSoort::Om),
            &c,
            &a,
            None,
            doorbraak,
            nu(),
        )
        .unwrap_err();
        assert!(w.toelichting_vereist, "{w:?}");
        if !doorbraak {
            assert_eq!(w.regel, "REDEN_VERPLICHT");
        }
    }
    assert!(
        beslis(
            &om,
            Some(OrganisatieSoort::Om),
            &c,
            &a,
            Some("zaak 2026-123"),
            false,
            nu()
        )
        .is_ok()
    );
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
        eigenaar_informeren: false,
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
        eigenaar_informeren: false,
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
