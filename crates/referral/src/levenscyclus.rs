//! The lifecycle of a zorgmelding's handling (DESIGN.md §4): FHIR Task status codes, one
//! published transition table, enforced in one place. The receiver moves the fulfilment;
//! the sender may only cancel. A reason is required for rejected, cancelled, on-hold and
//! failed. The Dutch sub-state (the triage outcome) is a separate business status.

use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantArray, VariantNames};

/// FHIR Task status codes.
#[derive(
    Debug,
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

/// Who moves the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partij {
    /// The organisation that sent the melding or handed over.
    Afzender,
    /// The organisation that received it.
    Ontvanger,
}

use Partij::{Afzender, Ontvanger};
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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OvergangFout {
    #[error("van `{huidig}` naar `{naar}` mag niet; toegestaan vanuit `{huidig}`: {}", toegestaan_tekst(.toegestaan))]
    Ongeldig {
        huidig: TaakStatus,
        naar: TaakStatus,
        toegestaan: Vec<TaakStatus>,
    },
    #[error("alleen de {} mag van `{huidig}` naar `{naar}`", if *.afzender_mag { "afzender" } else { "ontvanger" })]
    VerkeerdePartij {
        huidig: TaakStatus,
        naar: TaakStatus,
        afzender_mag: bool,
    },
    #[error("naar `{0}` vereist een reden")]
    RedenVerplicht(TaakStatus),
}

fn toegestaan_tekst(t: &[TaakStatus]) -> String {
    if t.is_empty() {
        "geen (eindtoestand)".into()
    } else {
        t.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
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

/// Check one transition by `wie`, with or without a reason.
pub fn controleer(
    van: TaakStatus,
    naar: TaakStatus,
    wie: Partij,
    reden: Option<&str>,
) -> Result<(), OvergangFout> {
    let Some((_, _, mag)) = OVERGANGEN.iter().find(|(v, n, _)| *v == van && *n == naar) else {
        return Err(OvergangFout::Ongeldig {
            huidig: van,
            naar,
            toegestaan: toegestaan(van),
        });
    };
    if *mag != wie {
        return Err(OvergangFout::VerkeerdePartij {
            huidig: van,
            naar,
            afzender_mag: *mag == Afzender,
        });
    }
    if REDEN_VERPLICHT.contains(&naar) && reden.map(str::trim).is_none_or(str::is_empty) {
        return Err(OvergangFout::RedenVerplicht(naar));
    }
    Ok(())
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

    #[test]
    fn every_pair_outside_the_table_is_refused() {
        for van in <TaakStatus as VariantArray>::VARIANTS {
            for naar in <TaakStatus as VariantArray>::VARIANTS {
                let in_tabel = OVERGANGEN.iter().any(|(v, n, _)| v == van && n == naar);
                for wie in [Afzender, Ontvanger] {
                    let r = controleer(*van, *naar, wie, Some("reden"));
                    if !in_tabel {
                        assert!(
                            matches!(r, Err(OvergangFout::Ongeldig { .. })),
                            "{van} -> {naar}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn sender_only_cancels_and_reasons_are_required() {
        assert!(controleer(Requested, Received, Afzender, None).is_err());
        assert_eq!(
            controleer(Requested, Cancelled, Afzender, None),
            Err(OvergangFout::RedenVerplicht(Cancelled))
        );
        assert!(controleer(Requested, Cancelled, Afzender, Some("dubbel ingediend")).is_ok());
        assert!(controleer(InProgress, Completed, Ontvanger, None).is_ok());
        let e = controleer(Completed, InProgress, Ontvanger, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("geen (eindtoestand)"), "{e}");
        let e = controleer(Requested, Completed, Ontvanger, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("received, accepted, rejected, cancelled"), "{e}");
    }
}
