//! Property (issue 11, "Done means"): no sequence of agreement operations — create, edit,
//! new version, sign, leave, withdraw, discard — by the admins of a strict subset S of the
//! organisations changes what any other organisation may read.
//!
//! It runs the real functions (`convenant::maak`, `wijzig_concept`, `nieuwe_versie`,
//! `onderteken`, `treed_uit`, `trek_in`, `actief_voor`, and the decision `besluit::beslis`)
//! against a temporary SQLite database migrated with the real migrations. Each case runs in
//! a transaction that is never committed; each operation in a savepoint that rolls back
//! when the operation fails, as the API's transaction per request does.
//!
//! A case: a world of agreements in force (each created and signed by every party's
//! functional admin; some with a party that already left), then a random sequence of
//! operations by actors of S (with random roles: signatories or not) on any agreement,
//! with right or stale hashes. Before and after, every organisation R outside S is asked
//! a grid of decisions (roles x actions x purposes x confidentiality levels, every
//! category optional, with and without a stated reason, with and without break-glass,
//! for every owner):
//! - for every owner O outside S the decision is exactly the same (agreement cited too);
//! - for every owner the permission never widens: allowed after implies allowed before,
//!   with no fewer redactions and no higher level (a break-glass answer after implies an
//!   allowed answer before).
//!
//! The initial world holds no consent of an outsider that S could complete (no outsider's
//! signature on a concept, no outsider's withdrawal request): completing what an outsider
//! already agreed to is that outsider's own act.

use chrono::{DateTime, Duration, Utc};
use diesel::Connection;
use ketenregie_common::{
    Actie, Actor, Doel, Gegevenscategorie, OrganisatieSoort, Rol, Vertrouwelijkheid,
};
use ketenregie_privacy::besluit::{self, Aanvraag, Toestemming, Weigering};
use ketenregie_privacy::convenant::{
    self, ConvenantFout, ConvenantGegevens, Doorbraakrol, Grondslag, Inhoud, Partij, Regel,
};
use ketenregie_store::directory::{self, OrganisatieGegevens};
use ketenregie_store::{DbConnection, DbUrl};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use strum::VariantArray;
use uuid::Uuid;

const ORGS: [(&str, OrganisatieSoort); 5] = [
    ("politie", OrganisatieSoort::Politie),
    ("vt", OrganisatieSoort::VeiligThuis),
    ("gi", OrganisatieSoort::GecertificeerdeInstelling),
    ("om", OrganisatieSoort::Om),
    ("wijkteam", OrganisatieSoort::Wijkteam),
];
const ROLLEN: [Rol; 5] = [
    Rol::Noodhulp,
    Rol::Triagist,
    Rol::Gezinsvoogd,
    Rol::OfficierVanJustitie,
    Rol::Wijkteammedewerker,
];
const DOELEN: [Doel; 3] = [
    Doel::Briefing,
    Doel::Coordinatie,
    Doel::StrafrechtelijkeBeoordeling,
];
const ACTIES: [Actie; 2] = [Actie::Lezen, Actie::Wijzigen];
const NIVEAUS: [Vertrouwelijkheid; 3] = [
    Vertrouwelijkheid::Openbaar,
    Vertrouwelijkheid::Zaakvertrouwelijk,
    Vertrouwelijkheid::Geheim,
];

fn nu() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The database, migrated and with the organisations registered, once per test binary.
fn database() -> &'static DbUrl {
    static URL: OnceLock<DbUrl> = OnceLock::new();
    URL.get_or_init(|| {
        let pad = std::env::temp_dir().join(format!(
            "ketenregie-convenant-eigenschap-{}.db",
            Uuid::now_v7().simple()
        ));
        let url = DbUrl::parse(&format!("sqlite://{}", pad.display())).unwrap();
        ketenregie_store::migrate::run(&url).unwrap();
        let mut c = url.connect().unwrap();
        c.transaction::<_, directory::DirectoryFout, _>(|c| {
            for (code, soort) in ORGS {
                directory::maak_organisatie(
                    c,
                    OrganisatieGegevens {
                        code: code.into(),
                        naam: format!("Organisatie {code}"),
                        oin: None,
                        soort,
                        rechtsregime: soort.gebruikelijk_regime(),
                        gemeenten: vec![],
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
        url
    })
}

fn actor(org: usize, rollen: Vec<Rol>, n: usize) -> Actor {
    Actor {
        gebruiker: format!("u-{}-{n}", ORGS[org].0),
        weergavenaam: "Beheerder".into(),
        organisatie: ORGS[org].0.into(),
        rollen,
        applicatie: "proptest".into(),
    }
}

fn beheerder(org: usize) -> Actor {
    actor(org, vec![Rol::FunctioneelBeheerder], 0)
}

/// Content of an agreement: parties by index, rules, break-glass roles.
#[derive(Debug, Clone)]
struct Ontwerp {
    partijen: Vec<usize>,
    regels: Vec<Regel>,
    doorbraak: bool,
}

impl Ontwerp {
    fn gegevens(&self, titel: &str) -> ConvenantGegevens {
        let mut doelen: Vec<Doel> = self.regels.iter().map(|r| r.doel).collect();
        doelen.sort();
        doelen.dedup();
        ConvenantGegevens {
            titel: titel.into(),
            geldig_van: nu() - Duration::days(1),
            geldig_tot: None,
            inhoud: Inhoud {
                partijen: self
                    .partijen
                    .iter()
                    .map(|i| Partij {
                        organisatie: ORGS[*i].0.into(),
                        rol: "partij".into(),
                        ondertekenaars: convenant::STANDAARD_ONDERTEKENAARS.to_vec(),
                    })
                    .collect(),
                doelen,
                categorieen: Gegevenscategorie::VARIANTS.to_vec(),
                regels: self.regels.clone(),
                terugkoppelplichten: vec![],
                kalender: Default::default(),
                bewaartermijnen: vec![],
                doorbraakrollen: if self.doorbraak {
                    vec![Doorbraakrol {
                        organisatie_soort: OrganisatieSoort::Politie,
                        rol: Rol::Noodhulp,
                    }]
                } else {
                    vec![]
                },
            },
        }
    }
}

fn regel() -> impl Strategy<Value = Regel> {
    (
        prop::sample::select(ORGS.iter().map(|o| o.1).collect::<Vec<_>>()),
        prop::sample::subsequence(ROLLEN.to_vec(), 1..3),
        prop::sample::subsequence(ACTIES.to_vec(), 1..3),
        prop::sample::subsequence(Gegevenscategorie::VARIANTS.to_vec(), 1..4),
        prop::sample::select(DOELEN.to_vec()),
        any::<bool>(),
        prop::sample::select(Vertrouwelijkheid::VARIANTS.to_vec()),
    )
        .prop_map(
            |(organisatie_soort, rollen, acties, categorieen, doel, reden_verplicht, max)| Regel {
                organisatie_soort,
                rollen,
                acties,
                categorieen,
                doel,
                reden_verplicht,
                max_vertrouwelijkheid: max,
                eigenaar_informeren: false,
                grondslag: Grondslag {
                    code: "test art. 1".into(),
                    omschrijving: "t".into(),
                },
            },
        )
}

fn ontwerp() -> impl Strategy<Value = Ontwerp> {
    (
        prop::sample::subsequence((0..ORGS.len()).collect::<Vec<_>>(), 2..=ORGS.len()),
        prop::collection::vec(regel(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(partijen, regels, doorbraak)| Ontwerp {
            partijen,
            regels,
            doorbraak,
        })
}

/// One agreement of the initial world: its content, and which party (if any, by
/// position) already left it.
fn begin() -> impl Strategy<Value = (Ontwerp, Option<usize>)> {
    (ontwerp(), any::<Option<usize>>())
}

/// An operation by an actor of S. `wie` picks the organisation in S, `doel` the
/// agreement among those known (modulo).
#[derive(Debug, Clone)]
enum Handeling {
    Maak(Ontwerp),
    Wijzig(usize, Ontwerp),
    NieuweVersie(usize, Ontwerp),
    Onderteken(usize, bool),
    /// Every organisation of S signs the agreement's current content (the newest known
    /// agreement when `None`): S doing all it can to bring something into force.
    IedereenInSOndertekent(Option<usize>),
    TreedUit(usize),
    TrekIn(usize),
}

fn handeling() -> impl Strategy<Value = (usize, Vec<Rol>, Handeling)> {
    let h = prop_oneof![
        ontwerp().prop_map(Handeling::Maak),
        (any::<usize>(), ontwerp()).prop_map(|(d, o)| Handeling::Wijzig(d, o)),
        (any::<usize>(), ontwerp()).prop_map(|(d, o)| Handeling::NieuweVersie(d, o)),
        (any::<usize>(), prop::bool::weighted(0.8)).prop_map(|(d, j)| Handeling::Onderteken(d, j)),
        any::<Option<usize>>().prop_map(Handeling::IedereenInSOndertekent),
        any::<usize>().prop_map(Handeling::TreedUit),
        any::<usize>().prop_map(Handeling::TrekIn),
    ];
    (
        any::<usize>(),
        prop::sample::subsequence(
            vec![
                Rol::FunctioneelBeheerder,
                Rol::Privacyfunctionaris,
                Rol::Noodhulp,
            ],
            1..3,
        ),
        h,
    )
}

/// A decision, comparable.
#[derive(Debug, Clone, PartialEq)]
enum Uitkomst {
    Ja {
        basis: Vec<String>,
        redigeer: BTreeSet<Gegevenscategorie>,
        max: Vertrouwelijkheid,
        doorbraak: bool,
    },
    Nee {
        reden: String,
        toelichting_vereist: bool,
    },
}

impl From<Result<Toestemming, Weigering>> for Uitkomst {
    fn from(r: Result<Toestemming, Weigering>) -> Self {
        match r {
            Ok(t) => Uitkomst::Ja {
                basis: t.basis().iter().map(|b| b.tekst()).collect(),
                redigeer: t.redigeer().clone(),
                max: t.max_vertrouwelijkheid(),
                doorbraak: t.is_doorbraak(),
            },
            Err(w) => Uitkomst::Nee {
                reden: w.reden,
                toelichting_vereist: w.toelichting_vereist,
            },
        }
    }
}

/// A question asked of the decision: (reader, owners, role, action, purpose, level,
/// reason given, break-glass).
type Vraag = (
    usize,
    Vec<usize>,
    Rol,
    Actie,
    Doel,
    Vertrouwelijkheid,
    bool,
    bool,
);

fn vragen(buiten: &[usize]) -> Vec<Vraag> {
    let mut v = Vec::new();
    for &r in buiten {
        for o in 0..ORGS.len() {
            if o == r {
                continue;
            }
            for rol in ROLLEN {
                for actie in ACTIES {
                    for doel in DOELEN {
                        for niveau in NIVEAUS {
                            for reden in [false, true] {
                                v.push((r, vec![o], rol, actie, doel, niveau, reden, false));
                            }
                        }
                    }
                }
                // Break-glass, for one owner and for two.
                v.push((
                    r,
                    vec![o],
                    rol,
                    Actie::Lezen,
                    Doel::Briefing,
                    Vertrouwelijkheid::Geheim,
                    true,
                    true,
                ));
                for o2 in (o + 1)..ORGS.len() {
                    if o2 != r {
                        v.push((
                            r,
                            vec![o, o2],
                            rol,
                            Actie::Lezen,
                            Doel::Briefing,
                            Vertrouwelijkheid::Geheim,
                            true,
                            true,
                        ));
                    }
                }
            }
        }
    }
    v
}

/// Every question answered from the agreements in the database now.
fn beantwoord(conn: &mut DbConnection, vragen: &[Vraag]) -> Vec<Uitkomst> {
    let mut per_lezer = std::collections::BTreeMap::new();
    vragen
        .iter()
        .map(
            |(r, eigenaren, rol, actie, doel, niveau, reden, doorbraak)| {
                let convenanten = per_lezer
                    .entry(*r)
                    .or_insert_with(|| convenant::actief_voor(conn, ORGS[*r].0).unwrap());
                let a = Aanvraag {
                    actie: *actie,
                    doel: *doel,
                    categorieen: vec![],
                    optioneel: Gegevenscategorie::VARIANTS.to_vec(),
                    eigenaren: eigenaren.iter().map(|o| ORGS[*o].0.to_string()).collect(),
                    vertrouwelijkheid: *niveau,
                };
                besluit::beslis(
                    &actor(*r, vec![*rol], 0),
                    Some(ORGS[*r].1),
                    convenanten,
                    &a,
                    reden.then_some("zaak 2026-1"),
                    *doorbraak,
                    nu() + Duration::hours(1),
                )
                .into()
            },
        )
        .collect()
}

/// Run `f` in a savepoint: a failed operation leaves nothing behind, as the API's
/// transaction per request does. Refusals are expected; a database error is not.
fn probeer<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, ConvenantFout>,
) -> Option<T> {
    match conn.transaction(f) {
        Ok(t) => Some(t),
        Err(ConvenantFout::Db(e)) => panic!("database error: {e}"),
        Err(_) => None,
    }
}

fn voer_uit(
    conn: &mut DbConnection,
    bekend: &mut Vec<Uuid>,
    s: &[usize],
    a: &Actor,
    h: &Handeling,
    t: DateTime<Utc>,
) {
    let kies = |d: usize| bekend[d % bekend.len()];
    match h {
        Handeling::Maak(o) => {
            if let Some(v) = probeer(conn, |c| convenant::maak(c, a, o.gegevens("nieuw"), t)) {
                bekend.push(v.convenant.id);
            }
        }
        Handeling::Wijzig(d, o) => {
            let id = kies(*d);
            probeer(conn, |c| {
                convenant::wijzig_concept(c, a, id, o.gegevens("gewijzigd"), t)
            });
        }
        Handeling::NieuweVersie(d, o) => {
            let id = kies(*d);
            if let Some(v) = probeer(conn, |c| {
                convenant::nieuwe_versie(c, a, id, o.gegevens("versie"), t)
            }) {
                bekend.push(v.convenant.id);
            }
        }
        Handeling::Onderteken(d, juist) => {
            let id = kies(*d);
            let hash = match convenant::lees(conn, id).unwrap() {
                Some(c) if *juist => c.inhoud_hash(),
                _ => "sha256:0000".into(),
            };
            probeer(conn, |c| convenant::onderteken(c, a, id, &hash, t));
        }
        Handeling::IedereenInSOndertekent(d) => {
            let id = d.map_or(*bekend.last().expect("the world is not empty"), kies);
            for org in s {
                if let Some(c) = convenant::lees(conn, id).unwrap() {
                    let hash = c.inhoud_hash();
                    probeer(conn, |c| {
                        convenant::onderteken(c, &beheerder(*org), id, &hash, t)
                    });
                }
            }
        }
        Handeling::TreedUit(d) => {
            let id = kies(*d);
            probeer(conn, |c| convenant::treed_uit(c, a, id, "uit", t));
        }
        Handeling::TrekIn(d) => {
            let id = kies(*d);
            probeer(conn, |c| convenant::trek_in(c, a, id, "weg", t));
        }
    }
}

fn ruimer(voor: &Uitkomst, na: &Uitkomst) -> bool {
    match (voor, na) {
        (_, Uitkomst::Nee { .. }) => false,
        (Uitkomst::Nee { .. }, Uitkomst::Ja { .. }) => true,
        (
            _,
            Uitkomst::Ja {
                doorbraak: true, ..
            },
        ) => false,
        (
            Uitkomst::Ja {
                doorbraak: true, ..
            },
            Uitkomst::Ja { .. },
        ) => false,
        (
            Uitkomst::Ja {
                redigeer: r1,
                max: m1,
                ..
            },
            Uitkomst::Ja {
                redigeer: r2,
                max: m2,
                ..
            },
        ) => !r2.is_superset(r1) || m2 > m1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn een_deelverzameling_verandert_niets_voor_anderen(
        wereld in prop::collection::vec(begin(), 1..4),
        s_masker in 1u8..31,
        handelingen in prop::collection::vec(handeling(), 1..14),
    ) {
        let s: Vec<usize> = (0..ORGS.len()).filter(|i| s_masker & (1 << i) != 0).collect();
        let buiten: Vec<usize> = (0..ORGS.len()).filter(|i| !s.contains(i)).collect();
        let mut conn = database().connect().unwrap();
        conn.begin_test_transaction().unwrap();

        // The world in force: each agreement created and signed by every party.
        let mut bekend = Vec::new();
        let begin_tijd = nu() - Duration::hours(1);
        for (o, uit) in &wereld {
            let v = probeer(&mut conn, |c| convenant::maak(c, &beheerder(o.partijen[0]), o.gegevens("wereld"), begin_tijd))
                .expect("the world's agreement is valid");
            let id = v.convenant.id;
            let hash = v.convenant.inhoud_hash();
            for p in &o.partijen {
                probeer(&mut conn, |c| convenant::onderteken(c, &beheerder(*p), id, &hash, begin_tijd))
                    .expect("every party signs");
            }
            if let Some(i) = uit.map(|i| o.partijen[i % o.partijen.len()]) {
                probeer(&mut conn, |c| convenant::treed_uit(c, &beheerder(i), id, "eerder", begin_tijd));
            }
            bekend.push(id);
        }
        let vragen = vragen(&buiten);
        let voor = beantwoord(&mut conn, &vragen);

        for (n, (wie, rollen, h)) in handelingen.iter().enumerate() {
            let a = actor(s[wie % s.len()], rollen.clone(), n);
            voer_uit(&mut conn, &mut bekend, &s, &a, h, nu() + Duration::seconds(n as i64));
        }

        let na = beantwoord(&mut conn, &vragen);
        for ((vraag, v), n) in vragen.iter().zip(&voor).zip(&na) {
            let eigenaren_buiten = vraag.1.iter().all(|o| !s.contains(o));
            if eigenaren_buiten {
                prop_assert_eq!(v, n, "changed for {:?} (S = {:?})", vraag, s);
            }
            prop_assert!(!ruimer(v, n), "widened for {:?} (S = {:?}): {:?} -> {:?}", vraag, s, v, n);
        }
    }
}
