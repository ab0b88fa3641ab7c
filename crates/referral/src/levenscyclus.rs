//! The lifecycle of a zorgmelding's handling (DESIGN.md §4): FHIR Task status codes, one
//! published transition table, enforced in one place. The receiver moves the fulfilment;
//! the sender may only cancel. A reason is required for rejected, cancelled, on-hold and
//! failed. The Dutch sub-state (the triage outcome) is a separate business status.
//!
//! Source: HL7 FHIR R4 Task.status (value set `task-status`) and its state machine
//! (https://hl7.org/fhir/R4/task.html#statemachine); the reasons follow FHIR
//! `Task.statusReason`, required here for every ending the other party must understand.

use ketenregie_common::{Fout, OrganisatieSoort};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantArray, VariantNames};

/// FHIR Task status codes.
// Stored as their code (TEXT) and read back as this type (`tekst_kolom!`).
#[derive(
    Debug,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum TaakStatus {
    Requested,
    Received,
    Accepted,
    Rejected,
    InProgress,
    OnHold,
    Completed,
    Cancelled,
    Failed,
    EnteredInError,
}

ketenregie_store::tekst_kolom!(TaakStatus);

/// Who moves the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partij {
    /// The task's own sender: the organisation that sent the melding, or for a hand-over
    /// task the organisation that handed over (`partij::overdrager`).
    Afzender,
    /// The organisation that received it.
    Ontvanger,
    /// The melding's original sender on a hand-over task (the police, on a task Veilig
    /// Thuis handed to a wijkteam): it sees the task and follows it in the melding's steps,
    /// but the hand-over is not its act, so it takes no step on it
    /// (`ALLEEN_AFZENDER_ANNULEERT`, `ALLEEN_ONTVANGER_VOERT_UIT`).
    Melder,
}

use Partij::{Afzender, Melder, Ontvanger};
use TaakStatus::*;

/// The transition table: (from, to, who may). Everything else is illegal.
pub const OVERGANGEN: &[(TaakStatus, TaakStatus, Partij)] = &[
    (Requested, Received, Ontvanger),
    (Requested, Accepted, Ontvanger),
    (Requested, Rejected, Ontvanger),
    (Requested, Cancelled, Afzender),
    (Received, Accepted, Ontvanger),
    (Received, InProgress, Ontvanger),
    (Received, Rejected, Ontvanger),
    (Received, Cancelled, Afzender),
    (Accepted, InProgress, Ontvanger),
    (Accepted, OnHold, Ontvanger),
    (Accepted, Cancelled, Afzender),
    (InProgress, OnHold, Ontvanger),
    (InProgress, Completed, Ontvanger),
    (InProgress, Failed, Ontvanger),
    (InProgress, Cancelled, Afzender),
    (OnHold, InProgress, Ontvanger),
    (OnHold, Failed, Ontvanger),
    (OnHold, Cancelled, Afzender),
];

/// Target states that need a stated reason.
pub const REDEN_VERPLICHT: &[TaakStatus] = &[Rejected, Cancelled, OnHold, Failed];

/// The open task states: those a transition of `OVERGANGEN` leaves (the others,
/// completed, rejected, cancelled and failed, are end states). A task in one of these
/// still has a receiver at work (`OVERDRACHT_AAN_EEN_ANDER`, `INTREKKING_BEREIKT_DE_KETEN`).
pub const OPEN: &[TaakStatus] = &[Requested, Received, Accepted, InProgress, OnHold];

/// Whether a step to `naar` needs a stated reason (`REDEN_VERPLICHT`): what a front end
/// asks before offering the step.
pub fn vraagt_reden(naar: TaakStatus) -> bool {
    REDEN_VERPLICHT.contains(&naar)
}

/// The rule for the sender: it may only cancel; every other step is the receiver's.
pub const ALLEEN_ONTVANGER_VOERT_UIT: &str = "ALLEEN_ONTVANGER_VOERT_UIT";
/// The rule for the receiver: cancelling is the sender's — the task's own sender
/// (`Partij::Afzender`). For a hand-over task that is the organisation that handed over,
/// never the melding chain's first sender: the hand-over is the handing-over
/// organisation's act (DOMAIN.md §3 flow 4: "VT or jeugdzorg hands over to a wijkteam or
/// care provider; the receiver ... owes feedback in turn"), and the receiver's open duties
/// are owed to it. Otherwise the police could cancel a hand-over Veilig Thuis made, even
/// one the wijkteam had accepted, and the wijkteam's duty to Veilig Thuis lapsed without
/// Veilig Thuis hearing of it (the outside test of 2 Dec 2026). Anyone else: 403 naming
/// this rule, audited, nothing written.
pub const ALLEEN_AFZENDER_ANNULEERT: &str = "ALLEEN_AFZENDER_ANNULEERT";

/// `VEILIG_THUIS_NEEMT_ELKE_MELDING`: a Veilig Thuis (organisation kind `veilig-thuis`,
/// the advies- en meldpunt huiselijk geweld en kindermishandeling) never rejects a task
/// it receives. Wmo 2015 art. 4.1.1 lid 2 obliges the meldpunt to take on every melding
/// (sub a: to be the meldpunt for it; sub b: to judge whether it calls for action). After
/// its triage it may decide that nothing further is needed (`einde-bemoeienis`, a triage
/// outcome: DOMAIN.md §3 flow 2) — the melding taken on, not refused. A rejection by it
/// is a 409 naming this rule and the steps it may take, nothing written; `toegestaan_voor`
/// never offers it `rejected`, so neither do a refusal nor the werkplek. Every other
/// receiver — the wijkteam or care provider a task was handed over to
/// (`overgang::draag_over`) — still accepts or rejects with a reason (DOMAIN.md §3
/// flow 4). Decision: the rule follows the receiver's kind, not how the task came (a
/// task handed over to a Veilig Thuis is a melding to it too: the law makes no
/// difference).
pub const VEILIG_THUIS_NEEMT_ELKE_MELDING: &str = "VEILIG_THUIS_NEEMT_ELKE_MELDING";

/// The kind of a task's receiver, as far as the table cares
/// (`VEILIG_THUIS_NEEMT_ELKE_MELDING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ontvangersoort {
    /// A Veilig Thuis: takes on every melding, never rejects.
    VeiligThuis,
    /// Any other organisation (a wijkteam or care provider a task was handed over to).
    Ander,
}

impl Ontvangersoort {
    /// The receiver of organisation kind `soort` (`None`: not in the register).
    pub fn van(soort: Option<OrganisatieSoort>) -> Self {
        if soort == Some(OrganisatieSoort::VeiligThuis) {
            Ontvangersoort::VeiligThuis
        } else {
            Ontvangersoort::Ander
        }
    }

    /// Does `VEILIG_THUIS_NEEMT_ELKE_MELDING` leave `wie` the step to `naar`?
    fn laat_toe(self, naar: TaakStatus, wie: Partij) -> bool {
        !(self == Ontvangersoort::VeiligThuis && wie == Ontvanger && naar == Rejected)
    }
}

/// The states reachable from `van`.
pub fn toegestaan(van: TaakStatus) -> Vec<TaakStatus> {
    OVERGANGEN
        .iter()
        .filter(|(v, _, _)| *v == van)
        .map(|(_, n, _)| *n)
        .collect()
}

/// The states `wie` may move a task to from `van`, its receiver being of kind
/// `ontvanger`: what a refusal offers the caller and the werkplek shows as buttons (the
/// receiver is never offered the sender's cancellation, nor the sender a step of the
/// receiver's, nor a Veilig Thuis a rejection: `VEILIG_THUIS_NEEMT_ELKE_MELDING`).
pub fn toegestaan_voor(van: TaakStatus, wie: Partij, ontvanger: Ontvangersoort) -> Vec<TaakStatus> {
    OVERGANGEN
        .iter()
        .filter(|(v, n, w)| *v == van && *w == wie && ontvanger.laat_toe(*n, wie))
        .map(|(_, n, _)| *n)
        .collect()
}

/// `STAP_VOOR_REDEN`: a step is answered in this order — the decision (403 or 404: no
/// access to the melding at all), then whether the step is the caller's and legal from
/// the current state (`mag`: 403 `ALLEEN_*`, 409 naming the state and the steps allowed),
/// then the body's own fault (`reden_geldig`: 400), then the precondition (`If-Match`:
/// 412). RFC 9110 §13.2.1: a server must ignore a precondition when the response without
/// it would be other than 2xx or 412, and a step that is not the caller's, or illegal
/// now, is refused whatever its body says. Before, a step not the caller's but without
/// its reason got 400 for the reason, and one with a stale `If-Match` 412 before its
/// 403/409 (the outside testers' finding). A race's loser with a stale version may so
/// hear 409 (the task moved on and its step is illegal now) rather than 412.
pub const STAP_VOOR_REDEN: &str = "STAP_VOOR_REDEN";

/// May `wie` move a task from `van` to `naar` (the party and the table, not the body:
/// `STAP_VOOR_REDEN`)? Errors:
/// - by the melding's original sender on a hand-over task (`Partij::Melder`), whatever
///   the state: `Fout::Geweigerd` with `ALLEEN_AFZENDER_ANNULEERT` (a cancellation) or
///   `ALLEEN_ONTVANGER_VOERT_UIT` (any other step) — no step of the task is its;
/// - not in `OVERGANGEN`: `Fout::Conflict` naming the current state and the ones `wie`
///   may go to (a terminal state says it is one: "eindtoestand");
/// - in the table, but for the other party: `Fout::Geweigerd` with
///   `ALLEEN_ONTVANGER_VOERT_UIT` or `ALLEEN_AFZENDER_ANNULEERT`;
/// - a rejection by a receiving Veilig Thuis (`ontvanger`): `Fout::Conflict` naming
///   `VEILIG_THUIS_NEEMT_ELKE_MELDING`, the current state and the steps it may take.
pub fn mag(
    van: TaakStatus,
    naar: TaakStatus,
    wie: Partij,
    ontvanger: Ontvangersoort,
) -> Result<(), Fout> {
    if wie == Melder {
        return Err(if naar == Cancelled {
            Fout::geweigerd(
                ALLEEN_AFZENDER_ANNULEERT,
                "Deze stap is niet aan u: alleen de organisatie die deze taak overdroeg annuleert haar",
            )
        } else {
            Fout::geweigerd(
                ALLEEN_ONTVANGER_VOERT_UIT,
                "Deze stap is niet aan u: alleen de ontvanger van deze overgedragen taak voert haar uit",
            )
        });
    }
    let Some((_, _, door)) = OVERGANGEN.iter().find(|(v, n, _)| *v == van && *n == naar) else {
        let detail = if toegestaan(van).is_empty() {
            format!(
                "Ongeldige statusovergang: van `{van}` naar `{naar}` mag niet; `{van}` is een eindtoestand"
            )
        } else {
            format!("Ongeldige statusovergang: van `{van}` naar `{naar}` mag niet")
        };
        return Err(Fout::toestand(
            detail,
            van.to_string(),
            toegestaan_voor(van, wie, ontvanger)
                .iter()
                .map(ToString::to_string),
        ));
    };
    if *door != wie {
        let (regel, wie) = if *door == Afzender {
            (ALLEEN_AFZENDER_ANNULEERT, "afzender van deze taak")
        } else {
            (ALLEEN_ONTVANGER_VOERT_UIT, "ontvanger")
        };
        return Err(Fout::geweigerd(
            regel,
            format!("Deze stap is niet aan u: alleen de {wie} mag van `{van}` naar `{naar}`"),
        ));
    }
    if !ontvanger.laat_toe(naar, wie) {
        return Err(Fout::toestand(
            format!(
                "Veilig Thuis wijst een melding niet af: het advies- en meldpunt neemt elke melding in behandeling (Wmo 2015 art. 4.1.1 lid 2); na de beoordeling kan de uitkomst zijn dat verdere bemoeienis niet nodig is (regel {VEILIG_THUIS_NEEMT_ELKE_MELDING})"
            ),
            van.to_string(),
            toegestaan_voor(van, wie, ontvanger)
                .iter()
                .map(ToString::to_string),
        ));
    }
    Ok(())
}

/// One transition by `wie` with its reason, in `STAP_VOOR_REDEN`'s order: `mag`, then
/// `reden_geldig` (a target in `REDEN_VERPLICHT` without a reason: `Fout::Ongeldig` on
/// `reden`).
pub fn controleer(
    van: TaakStatus,
    naar: TaakStatus,
    wie: Partij,
    ontvanger: Ontvangersoort,
    reden: Option<&str>,
) -> Result<(), Fout> {
    mag(van, naar, wie, ontvanger)?;
    reden_geldig(naar, reden)
}

/// The step's own body: a target in `REDEN_VERPLICHT` has a reason, and a reason given
/// says something. Checked after `mag` and before the step's `If-Match`
/// (`STAP_VOOR_REDEN`): a body that fails on its own is answered so, whatever the
/// precondition (RFC 9110 §13.2.1: preconditions are evaluated for a request that would
/// otherwise succeed).
pub fn reden_geldig(naar: TaakStatus, reden: Option<&str>) -> Result<(), Fout> {
    let blanco = reden
        .map(ketenregie_common::validatie::zonder_spatie)
        .is_none_or(str::is_empty);
    if REDEN_VERPLICHT.contains(&naar) && blanco {
        return Err(Fout::veld(
            "reden",
            "required",
            format!("naar `{naar}` vereist een reden"),
        ));
    }
    // A reason given says something (a letter or digit, no control characters:
    // `Validatie::optionele_tekst`), required or not.
    let mut v = ketenregie_common::Validatie::new();
    v.optionele_tekst("reden", reden, usize::MAX);
    v.afronden(|| ()).map_err(Fout::Ongeldig)
}

/// The table as Markdown, for the README and the OpenAPI description.
pub fn tabel_markdown() -> String {
    let mut s = String::from("| from | to | by | reason required |\n| --- | --- | --- | --- |\n");
    for (v, n, w) in OVERGANGEN {
        s.push_str(&format!(
            "| {v} | {n} | {} | {} |\n",
            if *w == Afzender { "sender" } else { "receiver" },
            if REDEN_VERPLICHT.contains(n) {
                "yes"
            } else {
                "no"
            }
        ));
    }
    s.push_str(&format!(
        "\nA Veilig Thuis never rejects a task it receives (`{VEILIG_THUIS_NEEMT_ELKE_MELDING}`, Wmo 2015 art. 4.1.1 lid 2: a 409); the receiver of a hand-over may.\n"
    ));
    s
}

/// The triage outcomes (DOMAIN.md §3 flow 2), the business status after a
/// veiligheidsbeoordeling.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumString,
    Display,
    AsRefStr,
    VariantNames,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Beoordelingsuitkomst {
    OverdrachtLokaalVeld,
    OverdrachtBetrokkenHulpverlening,
    OverdrachtMdt,
    VoorwaardenEnVervolg,
    OnderzoekVt,
    VerzoekOnderzoekRvdk,
    OmgezetInAdvies,
    EindeBemoeienis,
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;
    const A: Ontvangersoort = Ontvangersoort::Ander;
    const VT: Ontvangersoort = Ontvangersoort::VeiligThuis;

    #[test]
    fn every_pair_outside_the_table_is_refused() {
        for van in <TaakStatus as VariantArray>::VARIANTS {
            for naar in <TaakStatus as VariantArray>::VARIANTS {
                let in_tabel = OVERGANGEN.iter().any(|(v, n, _)| v == van && n == naar);
                for wie in [Afzender, Ontvanger] {
                    let r = controleer(*van, *naar, wie, A, Some("reden"));
                    if !in_tabel {
                        assert!(matches!(r, Err(Fout::Conflict { .. })), "{van} -> {naar}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_original_sender_takes_no_step_on_a_hand_over_task() {
        for van in <TaakStatus as VariantArray>::VARIANTS {
            for naar in <TaakStatus as VariantArray>::VARIANTS {
                let regel = if *naar == Cancelled {
                    ALLEEN_AFZENDER_ANNULEERT
                } else {
                    ALLEEN_ONTVANGER_VOERT_UIT
                };
                assert!(
                    matches!(
                        controleer(*van, *naar, Melder, A, Some("reden")),
                        Err(Fout::Geweigerd { regel: r, .. }) if r == regel
                    ),
                    "{van} -> {naar}"
                );
            }
            assert!(toegestaan_voor(*van, Melder, A).is_empty());
        }
    }

    #[test]
    fn the_party_and_the_table_before_the_reason() {
        // STAP_VOOR_REDEN: not the caller's step, or illegal now, whatever the reason.
        assert!(matches!(
            controleer(Requested, Cancelled, Ontvanger, A, None),
            Err(Fout::Geweigerd {
                regel: ALLEEN_AFZENDER_ANNULEERT,
                ..
            })
        ));
        assert!(matches!(
            controleer(Completed, Failed, Ontvanger, A, None),
            Err(Fout::Conflict { .. })
        ));
        assert!(mag(Requested, Cancelled, Afzender, A).is_ok());
    }

    #[test]
    fn sender_only_cancels_and_reasons_are_required() {
        assert!(matches!(
            controleer(Requested, Received, Afzender, A, None),
            Err(Fout::Geweigerd {
                regel: ALLEEN_ONTVANGER_VOERT_UIT,
                ..
            })
        ));
        assert!(matches!(
            controleer(Requested, Cancelled, Afzender, A, None),
            Err(Fout::Ongeldig(ref f)) if f[0].name == "reden"
        ));
        assert!(controleer(Requested, Cancelled, Afzender, A, Some("dubbel ingediend")).is_ok());
        assert!(controleer(InProgress, Completed, Ontvanger, A, None).is_ok());
        let e = controleer(Completed, InProgress, Ontvanger, A, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("eindtoestand"), "{e}");
        match controleer(Requested, Completed, Ontvanger, A, None) {
            Err(Fout::Conflict {
                huidig, toegestaan, ..
            }) => {
                assert_eq!(huidig.as_deref(), Some("requested"));
                // The receiver is offered its own steps, not the sender's cancellation.
                assert_eq!(toegestaan, ["received", "accepted", "rejected"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn veilig_thuis_never_rejects() {
        for van in [Requested, Received] {
            match controleer(van, Rejected, Ontvanger, VT, Some("geen capaciteit")) {
                Err(Fout::Conflict {
                    detail, toegestaan, ..
                }) => {
                    assert!(detail.contains(VEILIG_THUIS_NEEMT_ELKE_MELDING), "{detail}");
                    assert!(
                        !toegestaan.contains(&"rejected".to_string()),
                        "{toegestaan:?}"
                    );
                    assert!(!toegestaan.is_empty());
                }
                other => panic!("{other:?}"),
            }
            // Without a reason too: the rule before the body (STAP_VOOR_REDEN).
            assert!(matches!(
                controleer(van, Rejected, Ontvanger, VT, None),
                Err(Fout::Conflict { .. })
            ));
            // Any other receiver still may; the sender is refused as ever.
            assert!(controleer(van, Rejected, Ontvanger, A, Some("x")).is_ok());
            assert!(matches!(
                controleer(van, Rejected, Afzender, VT, Some("x")),
                Err(Fout::Geweigerd {
                    regel: ALLEEN_ONTVANGER_VOERT_UIT,
                    ..
                })
            ));
        }
        for van in <TaakStatus as VariantArray>::VARIANTS {
            assert!(!toegestaan_voor(*van, Ontvanger, VT).contains(&Rejected));
        }
        assert_eq!(
            toegestaan_voor(Requested, Ontvanger, VT),
            [Received, Accepted]
        );
    }
}
