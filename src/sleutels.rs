//! `ketenregie sleutels herbereken`: re-derive every stored look-up key and identity that
//! comes from a name, from the decrypted values, under the current normalisation
//! (`normaliseer_naam`, rule `NAAM_NORMALISATIE`; issue 14 finding 9) and name key
//! (`naam_sleutel`, rules NAAM_GRENZEN and APOSTROF_VARIANTEN; findings F3 and F4 of
//! Dec 2026). Run it once after
//! upgrading to a version whose normalisation changed; it is idempotent (a second run
//! changes nothing) and works in batches of `BATCH`, each in its own transaction, so it can
//! be stopped and run again.
//!
//! What it rewrites:
//! - `personen.naam_hash` (name + date of birth) and `personen.betrokkene` (the identity
//!   of a person without a BSN), and the copy in `betrokkenheden.betrokkene`;
//! - `zorgmelding_betrokkenen` (the identities in each melding, children marked) from the
//!   decrypted content;
//! - `terugkoppelingen.betrokkenen` (the subjects a feedback item was about).
//!
//! What it does not rewrite: the processing log, which is append-only and hash-chained.
//! Each identity that changed is recorded in `betrokkene_herleidingen` (old id → new id,
//! with both pseudonyms), and the log searches look under the old pseudonyms too. Nor does
//! it re-run matching: two involvements that now share an identity are counted in the
//! report (`nieuwe_overeenkomsten`), for the functional admins to re-register.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_case::identiteit;
use ketenregie_case::personen::PersoonRij;
use ketenregie_privacy::herleiding;
use ketenregie_privacy::pseudoniem::Pseudonimiseerder;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_referral::inhoud::Inhoud;
use ketenregie_referral::opslag;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{
    betrokkene_herleidingen, betrokkenheden, personen, terugkoppelingen, zorgmelding_betrokkenen,
    zorgmeldingen,
};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Rows per transaction.
pub const BATCH: i64 = 500;

/// What a run found and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rapport {
    pub personen: usize,
    pub personen_gewijzigd: usize,
    pub identiteiten_herleid: usize,
    pub betrokkenheden_gewijzigd: usize,
    pub zorgmeldingen: usize,
    pub zorgmeldingen_gewijzigd: usize,
    pub terugkoppelingen_gewijzigd: usize,
    /// Active involvements of different organisations that now share an identity.
    pub nieuwe_overeenkomsten: usize,
}

/// The normalisation before issue 14 (a fixed list of folded letters; the ligature ĳ as
/// `y`): only to recognise identities recorded under it, never to derive new keys.
fn normaliseer_naam_v1(naam: &str) -> String {
    naam.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
                'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
                'ç' | 'Ç' => 'c',
                'ñ' | 'Ñ' => 'n',
                'ĳ' | 'Ĳ' => 'y',
                c => c,
            };
            c.is_alphabetic()
                .then(|| c.to_lowercase().next().unwrap_or(c))
        })
        .collect()
}

/// The name key before issue 14: given names and surname as one string, normalised by
/// `normaliseer_naam_v1`.
fn naam_sleutel_v1(voornamen: &str, achternaam: &str) -> String {
    normaliseer_naam_v1(&format!("{voornamen} {achternaam}"))
}

/// The name key from issue 14 until the outside tester's finding F3 (Dec 2026): given
/// names and surname as one string, so the boundary between them was lost (Eva Nooij =
/// Evan Ooij), and the apostrophes Unicode counts as letters kept (finding F4). Only to
/// recognise identities recorded under it; the current key is `naam_sleutel` (rules
/// NAAM_GRENZEN, APOSTROF_VARIANTEN).
fn naam_sleutel_v2(voornamen: &str, achternaam: &str) -> String {
    normaliseer_naam_v2(&format!("{voornamen} {achternaam}"))
}

/// `normaliseer_naam` as it was before APOSTROF_VARIANTEN: the same steps, with the
/// modifier-letter apostrophes kept as letters.
fn normaliseer_naam_v2(naam: &str) -> String {
    // The current normalisation removes only what v2 kept: the apostrophe-like letters.
    // Put back what v2 would have kept by normalising around them piece by piece.
    let mut uit = String::new();
    let mut stuk = String::new();
    for c in naam.chars() {
        // The superscript letters of the block were letters under NFKD in v2 as well.
        let superscript = matches!(c, '\u{02B0}'..='\u{02B8}' | '\u{02E0}'..='\u{02E4}');
        if ketenregie_privacy::versleuteling::is_apostrof_achtig(c) && !superscript {
            uit.push_str(&ketenregie_privacy::versleuteling::normaliseer_naam(&stuk));
            stuk.clear();
            uit.extend(c.to_lowercase());
        } else {
            stuk.push(c);
        }
    }
    uit.push_str(&ketenregie_privacy::versleuteling::normaliseer_naam(&stuk));
    uit
}

/// Re-derive everything (see the module comment). With `proef`, count only.
pub fn herbereken(
    conn: &mut DbConnection,
    v: &Versleuteling,
    p: &Pseudonimiseerder,
    nu: DateTime<Utc>,
    proef: bool,
) -> anyhow::Result<Rapport> {
    let mut r = Rapport::default();
    let mut gewijzigde_identiteiten: BTreeSet<String> = BTreeSet::new();

    // 1. Persons.
    let mut na = String::new();
    loop {
        let rijen: Vec<PersoonRij> = personen::table
            .filter(personen::id.gt(&na))
            .order(personen::id)
            .limit(BATCH)
            .select(PersoonRij::as_select())
            .load(conn)?;
        let Some(laatste) = rijen.last() else { break };
        na = laatste.id.clone();
        r.personen += rijen.len();
        conn.transaction::<_, anyhow::Error, _>(|c| {
            for rij in rijen {
                let (id, oud_hash, oud_betrokkene) = (
                    rij.id.clone(),
                    rij.naam_hash.clone(),
                    rij.betrokkene.clone(),
                );
                let g = rij.ontsleutel(v)?.gegevens;
                let hash = identiteit::naam_hash(v, &g.voornamen, &g.achternaam, g.geboortedatum);
                let betrokkene = opslag::betrokkene(
                    v,
                    g.bsn.as_deref(),
                    &g.voornamen,
                    &g.achternaam,
                    Some(g.geboortedatum),
                )
                .to_string();
                if hash == oud_hash && betrokkene == oud_betrokkene {
                    continue;
                }
                r.personen_gewijzigd += 1;
                if betrokkene != oud_betrokkene {
                    gewijzigde_identiteiten.insert(betrokkene.clone());
                }
                if proef {
                    continue;
                }
                diesel::update(personen::table.find(&id))
                    .set((
                        personen::naam_hash.eq(&hash),
                        personen::betrokkene.eq(&betrokkene),
                    ))
                    .execute(c)?;
                if betrokkene != oud_betrokkene {
                    r.betrokkenheden_gewijzigd += diesel::update(
                        betrokkenheden::table.filter(betrokkenheden::persoon_id.eq(&id)),
                    )
                    .set(betrokkenheden::betrokkene.eq(&betrokkene))
                    .execute(c)?;
                    if let (Ok(o), Ok(n)) = (oud_betrokkene.parse(), betrokkene.parse()) {
                        herleiding::leg_vast(c, p, o, n, nu)?;
                        r.identiteiten_herleid += 1;
                    }
                }
            }
            Ok(())
        })?;
    }

    // 2. The identities in each melding, from its decrypted content.
    let mut na = String::new();
    loop {
        let rijen: Vec<(String, String)> = zorgmeldingen::table
            .filter(zorgmeldingen::id.gt(&na))
            .order(zorgmeldingen::id)
            .limit(BATCH)
            .select((zorgmeldingen::id, zorgmeldingen::inhoud))
            .load(conn)?;
        let Some(laatste) = rijen.last() else { break };
        na = laatste.0.clone();
        r.zorgmeldingen += rijen.len();
        conn.transaction::<_, anyhow::Error, _>(|c| {
            for (id, versleuteld) in rijen {
                let inhoud: Inhoud =
                    serde_json::from_str(&v.ontsleutel(&versleuteld).map_err(|e| {
                        anyhow::anyhow!("zorgmelding {id} kan niet worden ontsleuteld: {e}")
                    })?)?;
                let opgeslagen: BTreeSet<String> = zorgmelding_betrokkenen::table
                    .filter(zorgmelding_betrokkenen::zorgmelding_id.eq(&id))
                    .select(zorgmelding_betrokkenen::betrokkene)
                    .load::<String>(c)?
                    .into_iter()
                    .collect();
                let nieuw = opslag::betrokkenen(v, &inhoud);
                let nieuw_set: BTreeSet<String> = nieuw.iter().map(Uuid::to_string).collect();
                if nieuw_set == opgeslagen {
                    // Indexed before children were marked (`kind` NULL): mark them.
                    let zonder_kind: i64 = zorgmelding_betrokkenen::table
                        .filter(zorgmelding_betrokkenen::zorgmelding_id.eq(&id))
                        .filter(zorgmelding_betrokkenen::kind.is_null())
                        .count()
                        .get_result(c)?;
                    if zonder_kind > 0 && !proef {
                        opslag::zet_betrokkenen(c, v, &id, &inhoud)?;
                    }
                    continue;
                }
                r.zorgmeldingen_gewijzigd += 1;
                if proef {
                    continue;
                }
                // Which stored id was whose: the same person under an earlier derivation.
                let oud_v1 = opslag::betrokkenen_met(v, &inhoud, naam_sleutel_v1);
                let oud_v2 = opslag::betrokkenen_met(v, &inhoud, naam_sleutel_v2);
                for ((o1, o2), n) in oud_v1.iter().zip(&oud_v2).zip(&nieuw) {
                    for o in [Some(o1), (o2 != o1).then_some(o2)].into_iter().flatten() {
                        if o != n && opgeslagen.contains(&o.to_string()) {
                            herleiding::leg_vast(c, p, *o, *n, nu)?;
                            r.identiteiten_herleid += 1;
                        }
                    }
                }
                opslag::zet_betrokkenen(c, v, &id, &inhoud)?;
            }
            Ok(())
        })?;
    }

    // 3. The subjects of feedback items, through the recorded re-derivations.
    let kaart: HashMap<String, String> = betrokkene_herleidingen::table
        .select((betrokkene_herleidingen::oud, betrokkene_herleidingen::nieuw))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    if !kaart.is_empty() {
        let mut na = String::new();
        loop {
            let rijen: Vec<(String, String)> = terugkoppelingen::table
                .filter(terugkoppelingen::id.gt(&na))
                .order(terugkoppelingen::id)
                .limit(BATCH)
                .select((terugkoppelingen::id, terugkoppelingen::betrokkenen))
                .load(conn)?;
            let Some(laatste) = rijen.last() else { break };
            na = laatste.0.clone();
            conn.transaction::<_, anyhow::Error, _>(|c| {
                for (id, lijst) in rijen {
                    let oud: Vec<String> = serde_json::from_str(&lijst)?;
                    let nieuw: Vec<String> = oud
                        .iter()
                        .map(|b| kaart.get(b).cloned().unwrap_or_else(|| b.clone()))
                        .collect();
                    if nieuw == oud {
                        continue;
                    }
                    r.terugkoppelingen_gewijzigd += 1;
                    if !proef {
                        diesel::update(terugkoppelingen::table.find(&id))
                            .set(terugkoppelingen::betrokkenen.eq(serde_json::to_string(&nieuw)?))
                            .execute(c)?;
                    }
                }
                Ok(())
            })?;
        }
    }

    // 4. Involvements that now share an identity across organisations (not matched here).
    for b in &gewijzigde_identiteiten {
        let orgs: BTreeSet<String> = betrokkenheden::table
            .filter(betrokkenheden::betrokkene.eq(b))
            .filter(betrokkenheden::beeindigd_op.is_null())
            .select(betrokkenheden::organisatie)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        if orgs.len() > 1 {
            r.nieuwe_overeenkomsten += 1;
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oude_normalisatie_zoals_hij_was() {
        assert_eq!(normaliseer_naam_v1("Zoë Çelik"), "zoecelik");
        assert_eq!(normaliseer_naam_v1("Ĳsselmeer"), "ysselmeer");
        assert_eq!(normaliseer_naam_v1("Doğan"), "doğan");
    }
}
