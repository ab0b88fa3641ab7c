//! The identity of a data subject (`betrokkene`): one pseudonymous id per person, the same
//! wherever the person appears (a melding, the case registry, the processing log), derived
//! from a keyed hash of the BSN, or else of the normalised name and date of birth. It lives
//! in `privacy` because every domain crate needs it and it is a pseudonymisation (AVG
//! art. 4(5)): the key never leaves `Versleuteling`.

use crate::versleuteling::Versleuteling;
use diesel::prelude::*;
use ketenregie_common::Bsn;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::personen;
use uuid::Uuid;

/// The stable pseudonymous subject id of a person (for the processing log and for matching
/// records of one person across organisations and crates): derived from the keyed hash of
/// the BSN, or of the normalised name and date of birth, so the same child in two meldingen
/// is one subject.
/// The name is given as its two parts: the key keeps the boundary between them
/// (`naam_sleutel`, rule NAAM_GRENZEN).
pub fn betrokkene(
    v: &Versleuteling,
    bsn: Option<&str>,
    voornamen: &str,
    achternaam: &str,
    geboortedatum: Option<chrono::NaiveDate>,
) -> Uuid {
    betrokkene_met(
        v,
        bsn,
        voornamen,
        achternaam,
        geboortedatum,
        crate::versleuteling::naam_sleutel,
    )
}

/// A name key of given names and surname (`naam_sleutel`, or an earlier derivation).
pub type NaamSleutel = fn(&str, &str) -> String;

/// `betrokkene` with another name key: only to re-derive identities recorded under an
/// earlier normalisation or key (`ketenregie sleutels herbereken`).
pub fn betrokkene_met(
    v: &Versleuteling,
    bsn: Option<&str>,
    voornamen: &str,
    achternaam: &str,
    geboortedatum: Option<chrono::NaiveDate>,
    sleutel: NaamSleutel,
) -> Uuid {
    let sleutel = match bsn {
        Some(b) => v.zoekhash("bsn", b),
        None => v.zoekhash(
            "naam-geboortedatum",
            &naam_geboortedatum(sleutel(voornamen, achternaam), geboortedatum),
        ),
    };
    let mut b = [0u8; 16];
    for (i, c) in sleutel.as_bytes().chunks(2).take(16).enumerate() {
        b[i] = u8::from_str_radix(std::str::from_utf8(c).unwrap_or("00"), 16).unwrap_or(0);
    }
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

/// The text under the keyed hash of a name with a date of birth: the name key, `|`, the
/// date (empty when unknown). One form for `betrokkene`, `van_naam` and
/// `case::identiteit::naam_hash`, so a person record's look-up key and identity agree.
pub fn naam_geboortedatum(
    naam_sleutel: String,
    geboortedatum: Option<chrono::NaiveDate>,
) -> String {
    format!(
        "{naam_sleutel}|{}",
        geboortedatum.map(|d| d.to_string()).unwrap_or_default()
    )
}

/// The data subject of a BSN (`betrokkene` with only the BSN: the name does not count
/// where a BSN is known), as every record of that person was logged under.
pub fn van_bsn(v: &Versleuteling, bsn: &Bsn) -> Uuid {
    betrokkene(v, Some(bsn.expose()), "", "", None)
}

/// The data subject a person id given by a caller stands for: a person record's identity
/// (`personen.betrokkene`, derived by `betrokkene` when it was recorded, the same for the
/// same person in every organisation's records and in every melding), or else the id
/// itself (the identity, as the meldingen index and the processing log hold it). Every
/// writer of the processing log that is handed a person id logs this, and the privacy
/// officer's search (`verantwoording::zoek_verwerkingen`) derives the same from the id it
/// is given: one subject, whatever id of the person a route returned.
pub fn van_persoon(conn: &mut DbConnection, id: Uuid) -> QueryResult<Uuid> {
    let identiteit: Option<String> = personen::table
        .find(id.to_string())
        .select(personen::betrokkene)
        .first(conn)
        .optional()?;
    match identiteit {
        Some(s) => s
            .parse()
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e))),
        None => Ok(id),
    }
}

/// The person records (of any organisation) of data subject `identiteit`.
pub fn records_van(conn: &mut DbConnection, identiteit: Uuid) -> QueryResult<Vec<Uuid>> {
    personen::table
        .filter(personen::betrokkene.eq(identiteit.to_string()))
        .select(personen::id)
        .load::<String>(conn)?
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
        })
        .collect()
}

/// The data subjects a name and date of birth can stand for, for a search without a BSN
/// (the privacy officer's inzage in the werkplek): the identities of every person record
/// whose look-up key (`naam_hash`: the keyed hash of the normalised name with the date,
/// `NAAM_NORMALISATIE`) matches, each once, sorted; when no record matches, the identity
/// the name and date derive to (how a melding indexes a child without a BSN). Several
/// identities are returned as they are, never merged (`MEERDUIDIG_NIET_SAMENVOEGEN`): the
/// caller asks for a BSN. Only ids are read, nothing decrypted; whether the caller may see
/// any of them is decided by the use case they are handed to.
pub fn van_naam(
    conn: &mut DbConnection,
    v: &Versleuteling,
    voornamen: &str,
    achternaam: &str,
    geboortedatum: chrono::NaiveDate,
) -> QueryResult<Vec<Uuid>> {
    let sleutel = v.zoekhash(
        "naam-geboortedatum",
        &naam_geboortedatum(
            crate::versleuteling::naam_sleutel(voornamen, achternaam),
            Some(geboortedatum),
        ),
    );
    let mut ids: Vec<String> = personen::table
        .filter(personen::naam_hash.eq(&sleutel))
        .select(personen::betrokkene)
        .distinct()
        .load(conn)?;
    ids.sort();
    if ids.is_empty() {
        return Ok(vec![betrokkene(
            v,
            None,
            voornamen,
            achternaam,
            Some(geboortedatum),
        )]);
    }
    ids.iter()
        .map(|s| {
            s.parse()
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
        })
        .collect()
}
