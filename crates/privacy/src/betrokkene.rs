//! The identity of a data subject (`betrokkene`): one pseudonymous id per person, the same
//! wherever the person appears (a melding, the case registry, the processing log), derived
//! from a keyed hash of the BSN, or else of the normalised name and date of birth. It lives
//! in `privacy` because every domain crate needs it and it is a pseudonymisation (AVG
//! art. 4(5)): the key never leaves `Versleuteling`.

use crate::versleuteling::Versleuteling;
use uuid::Uuid;

/// The stable pseudonymous subject id of a person (for the processing log and for matching
/// records of one person across organisations and crates): derived from the keyed hash of
/// the BSN, or of the normalised name and date of birth, so the same child in two meldingen
/// is one subject.
pub fn betrokkene(
    v: &Versleuteling,
    bsn: Option<&str>,
    naam: &str,
    geboortedatum: Option<chrono::NaiveDate>,
) -> Uuid {
    betrokkene_met(
        v,
        bsn,
        naam,
        geboortedatum,
        crate::versleuteling::normaliseer_naam,
    )
}

/// `betrokkene` with another name normalisation: only to re-derive identities recorded
/// under an earlier normalisation (`ketenregie sleutels herbereken`).
pub fn betrokkene_met(
    v: &Versleuteling,
    bsn: Option<&str>,
    naam: &str,
    geboortedatum: Option<chrono::NaiveDate>,
    normaliseer: fn(&str) -> String,
) -> Uuid {
    let sleutel = match bsn {
        Some(b) => v.zoekhash("bsn", b),
        None => v.zoekhash(
            "naam-geboortedatum",
            &format!(
                "{}|{}",
                normaliseer(naam),
                geboortedatum.map(|d| d.to_string()).unwrap_or_default()
            ),
        ),
    };
    let mut b = [0u8; 16];
    for (i, c) in sleutel.as_bytes().chunks(2).take(16).enumerate() {
        b[i] = u8::from_str_radix(std::str::from_utf8(c).unwrap_or("00"), 16).unwrap_or(0);
    }
    uuid::Builder::from_custom_bytes(b).into_uuid()
}
