//! The person records, families, gezag, beschikkingen and regelingen of the asked
//! organisation on one identity (DOMAIN.md §4 "Family-law facts"), each as an inzage
//! item. Other persons appear by name only (the members of the family, the child of a
//! gezag record, the children a beschikking concerns): enough to read the record, no
//! more of their data.

use super::{Vraag, gemeentenaam};
use crate::{beschikkingen, gezag, gezinnen, personen, regelingen};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::from_db;
use ketenregie_privacy::inzage::InzageOnderdeel;
use ketenregie_store::DbConnection;
use ketenregie_store::schema::{
    beschikkingen as beschikkingen_t, gezag as gezag_t, regelingen as regelingen_t,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Names of the organisation's persons by record id.
struct Namen(BTreeMap<Uuid, String>);

impl Namen {
    fn laad(conn: &mut DbConnection, q: &Vraag, ids: &[Uuid]) -> QueryResult<Self> {
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let mut namen: BTreeMap<Uuid, String> =
            q.personen.iter().map(|p| (p.id, p.naam())).collect();
        for p in personen::lees_veel(conn, q.v, &ids)?
            .into_iter()
            .filter(|p| p.eigenaar == q.org)
        {
            namen.insert(p.id, p.naam());
        }
        Ok(Namen(namen))
    }

    fn van(&self, id: &Uuid) -> Value {
        self.0.get(id).map_or(Value::Null, |n| json!(n))
    }

    fn lijst(&self, ids: &[Uuid]) -> Value {
        json!(
            ids.iter()
                .filter_map(|i| self.0.get(i).cloned())
                .collect::<Vec<_>>()
        )
    }
}

/// When each of these rows was recorded, by id.
fn vastgelegd(rijen: Vec<(String, NaiveDateTime)>) -> BTreeMap<String, DateTime<Utc>> {
    rijen.into_iter().map(|(id, t)| (id, from_db(t))).collect()
}

pub(super) fn verzamel(conn: &mut DbConnection, q: &Vraag) -> QueryResult<Vec<InzageOnderdeel>> {
    let mut uit = Vec::new();
    for p in &q.personen {
        let adres = match &p.gegevens.adres {
            Some(a) => json!({
                "straat": a.straat,
                "huisnummer": a.huisnummer,
                "postcode": a.postcode,
                "woonplaats": gemeentenaam(conn, &a.gemeente)?,
            }),
            None => Value::Null,
        };
        uit.push(q.onderdeel(
            "persoon",
            p.id.to_string(),
            p.aangemaakt_op,
            json!({
                "voornamen": p.gegevens.voornamen,
                "achternaam": p.gegevens.achternaam,
                "geboortedatum": p.gegevens.geboortedatum,
                "bsn": p.gegevens.bsn,
                "adres": adres,
            }),
            vec![],
        ));
    }
    let record_ids = q.record_ids();
    let eigen: Vec<Uuid> = q.personen.iter().map(|p| p.id).collect();

    // Families the person is in, and their decisions and arrangements.
    let gezin_ids = gezinnen::met_personen(conn, &record_ids)?;
    let gezinnen: Vec<gezinnen::Gezin> = gezinnen::lees_veel(conn, &gezin_ids)?
        .into_iter()
        .filter(|g| g.eigenaar == q.org)
        .collect();
    let gezin_ids: Vec<String> = gezinnen.iter().map(|g| g.id.to_string()).collect();
    let beschikkingen: Vec<beschikkingen::Beschikking> =
        beschikkingen::van_gezinnen(conn, q.v, &gezin_ids)?
            .into_iter()
            .filter(|b| b.eigenaar == q.org)
            .collect();
    let regelingen: Vec<regelingen::Regeling> = regelingen::van_gezinnen(conn, q.v, &gezin_ids)?
        .into_iter()
        .filter(|r| r.eigenaar == q.org)
        .collect();
    // Gezag over the person (as a child) and gezag records naming them as a holder.
    let mut gezag: Vec<gezag::Gezag> = gezag::van_kinderen(conn, &record_ids)?;
    let als_houder: Vec<String> = {
        let mut ids = Vec::new();
        for r in &record_ids {
            ids.extend(
                gezag_t::table
                    .filter(gezag_t::eigenaar.eq(q.org))
                    .filter(gezag_t::houders.like(format!("%{r}%")))
                    .select(gezag_t::kind_id)
                    .load::<String>(conn)?,
            );
        }
        ids
    };
    for g in gezag::van_kinderen(conn, &als_houder)? {
        if g.houders.iter().any(|h| eigen.contains(h)) && !gezag.iter().any(|x| x.id == g.id) {
            gezag.push(g);
        }
    }
    gezag.retain(|g| g.eigenaar == q.org);

    let mut genoemd: Vec<Uuid> = gezinnen
        .iter()
        .flat_map(|g| g.leden.iter().map(|l| l.persoon))
        .collect();
    genoemd.extend(
        beschikkingen
            .iter()
            .flat_map(|b| b.kinderen.iter().copied()),
    );
    genoemd.extend(
        gezag
            .iter()
            .flat_map(|g| std::iter::once(g.kind).chain(g.houders.iter().copied())),
    );
    genoemd.sort();
    genoemd.dedup();
    let namen = Namen::laad(conn, q, &genoemd)?;

    for g in &gezinnen {
        let relatie = g
            .leden
            .iter()
            .find(|l| eigen.contains(&l.persoon))
            .map(|l| l.relatie);
        let leden: Vec<Value> = g
            .leden
            .iter()
            .filter(|l| !eigen.contains(&l.persoon))
            .map(|l| json!({"naam": namen.van(&l.persoon), "relatie": l.relatie}))
            .collect();
        uit.push(q.onderdeel(
            "gezin",
            g.id.to_string(),
            g.aangemaakt_op,
            json!({"kenmerk": g.kenmerk, "relatie": relatie, "leden": leden}),
            vec![],
        ));
    }

    let ids: Vec<String> = beschikkingen.iter().map(|b| b.id.to_string()).collect();
    let op = vastgelegd(
        beschikkingen_t::table
            .filter(beschikkingen_t::id.eq_any(&ids))
            .select((beschikkingen_t::id, beschikkingen_t::aangemaakt_op))
            .load(conn)?,
    );
    for b in &beschikkingen {
        let id = b.id.to_string();
        let datum = op.get(&id).copied().unwrap_or_default();
        uit.push(q.onderdeel(
            "beschikking",
            id,
            datum,
            json!({
                "soort": b.soort,
                "rechtbank": b.rechtbank,
                "zaaknummer": b.zaaknummer,
                "datum": b.datum,
                "van": b.van,
                "tot": b.tot,
                "uitvoerbaarBijVoorraad": b.uitvoerbaar_bij_voorraad,
                "sterkeArm": b.sterke_arm,
                "sterkeArmTekst": b.sterke_arm_tekst,
                "kinderen": namen.lijst(&b.kinderen),
            }),
            vec![],
        ));
    }

    let ids: Vec<String> = regelingen.iter().map(|r| r.id.to_string()).collect();
    let op = vastgelegd(
        regelingen_t::table
            .filter(regelingen_t::id.eq_any(&ids))
            .select((regelingen_t::id, regelingen_t::aangemaakt_op))
            .load(conn)?,
    );
    for r in &regelingen {
        let id = r.id.to_string();
        let datum = op.get(&id).copied().unwrap_or_default();
        uit.push(q.onderdeel(
            "regeling",
            id,
            datum,
            json!({
                "soort": r.soort,
                "bron": r.bron,
                "samenvatting": r.samenvatting,
                "van": r.van,
                "tot": r.tot,
            }),
            vec![],
        ));
    }

    let ids: Vec<String> = gezag.iter().map(|g| g.id.to_string()).collect();
    let op = vastgelegd(
        gezag_t::table
            .filter(gezag_t::id.eq_any(&ids))
            .select((gezag_t::id, gezag_t::aangemaakt_op))
            .load(conn)?,
    );
    for g in &gezag {
        let id = g.id.to_string();
        let datum = op.get(&id).copied().unwrap_or_default();
        uit.push(q.onderdeel(
            "gezag",
            id,
            datum,
            json!({
                "kind": namen.van(&g.kind),
                "vorm": g.vorm,
                "houders": namen.lijst(&g.houders),
                "houderInstelling": g.houder_instelling,
                "bron": g.bron,
                "geverifieerdOp": g.geverifieerd_op,
            }),
            vec![],
        ));
    }
    Ok(uit)
}
