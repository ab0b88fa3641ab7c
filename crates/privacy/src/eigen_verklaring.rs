//! Eigen verklaring (DOMAIN.md §3 flow 8; Jeugdwet art. 7.3.8): a person's own statement
//! attached to a record that holds personal data on them — a person, a zorgmelding, an
//! incident, a beschikking or a terugkoppeling (`Recordsoort`). It never alters the
//! record, is returned with it on every read (`Verklaringen`, one query for all records of
//! an answer), and is logged like any write. There is no update or delete path; a trigger
//! refuses one.
//!
//! Who sees a statement with its record (`EigenVerklaring::getoond_aan`, rule
//! `VERKLARING_BIJ_RECORD`): the record's owner always; the organisation that recorded it;
//! and, when the owner recorded it, whoever reads the owner's record — a statement
//! recorded by a receiving organisation does not tell a third organisation that the
//! receiver holds data on the person (`EEN_ORGANISATIE_ZICHT`). Each reader sees only
//! the confidentiality levels its read allows.
//!
//! The text is the person's own words about their family: it is kept AES-GCM encrypted
//! (`Versleuteling`, issue 11 point 5); a statement stored in plain text before that is
//! still read (`Versleuteling::lees_kolom`). Who made it (`door`) is a role as the record
//! knows the person (`moeder`, `kind`), never a name.

use crate::versleuteling::Versleuteling;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Vertrouwelijkheid, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::schema::eigen_verklaringen;
use serde::Serialize;
use std::collections::BTreeMap;
use strum::{AsRefStr, Display, EnumString, IntoStaticStr};
use utoipa::ToSchema;
use uuid::Uuid;

/// The rule's name: who sees a statement with its record (module documentation).
pub const VERKLARING_BIJ_RECORD: &str = "VERKLARING_BIJ_RECORD";

/// `door` of a statement on a person record: the person themselves.
pub const DOOR_PERSOON: &str = "persoon";

/// The kinds of record a statement is added to, stored as `object_type` (the collection's
/// name in the API path).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, AsRefStr, Display, EnumString, IntoStaticStr,
)]
pub enum Recordsoort {
    #[strum(serialize = "personen")]
    Persoon,
    #[strum(serialize = "zorgmeldingen")]
    Zorgmelding,
    #[strum(serialize = "incidenten")]
    Incident,
    #[strum(serialize = "beschikkingen")]
    Beschikking,
    #[strum(serialize = "terugkoppelingen")]
    Terugkoppeling,
}

/// The column kept encrypted (`VERSLEUTEL_BIJ_START` encrypts what an older version wrote
/// in plain text; the trigger of migration `2026-11-30-000005_versleuteling_rest` allows
/// exactly that change and no other).
pub const VERSLEUTELD: Kolom = Kolom {
    tabel: "eigen_verklaringen",
    sleutel: "id",
    kolom: "tekst",
};

#[derive(Debug, Clone)]
pub struct EigenVerklaring {
    pub id: Uuid,
    pub object_type: String,
    pub object_id: String,
    /// The owner of the record it is added to.
    pub eigenaar: String,
    /// The person whose statement it is: their identity (`crate::betrokkene`), or for a
    /// statement on a person record of before issue 15, the id it was added to.
    pub betrokkene_id: Uuid,
    /// Who made it, as the record knows them: a role (`moeder`, `kind`), `persoon` for
    /// the person of a person record.
    pub door: String,
    /// The person record it is by, where the record refers to one.
    pub persoon: Option<Uuid>,
    pub tekst: String,
    /// The organisation that recorded it on the person's behalf.
    pub vastgelegd_door: String,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub aangemaakt_op: DateTime<Utc>,
}

/// One stored statement as read, its text still encrypted: what a caller reads in a
/// statement of its own (a join, `referral::opslag::lezing`) and decrypts only after the
/// decision (`Verklaringen::uit_rijen`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = eigen_verklaringen)]
pub struct Rij {
    id: String,
    object_type: String,
    object_id: String,
    eigenaar: String,
    betrokkene_id: String,
    tekst: String,
    vastgelegd_door: String,
    vertrouwelijkheid: String,
    aangemaakt_op: chrono::NaiveDateTime,
    door: String,
    persoon_id: Option<String>,
}

impl Rij {
    /// The statement's id (as stored), to drop the repeats a join returns.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn ontsleutel(self, v: &Versleuteling) -> QueryResult<EigenVerklaring> {
        let r = self;
        let persoon = match &r.persoon_id {
            Some(p) => p.parse().ok(),
            // A statement on a person record of before `persoon_id`: by that person.
            None if r.object_type == Recordsoort::Persoon.as_ref() => r.object_id.parse().ok(),
            None => None,
        };
        Ok(EigenVerklaring {
            id: r.id.parse().expect("uuid"),
            object_type: r.object_type,
            object_id: r.object_id,
            eigenaar: r.eigenaar,
            betrokkene_id: r.betrokkene_id.parse().expect("uuid"),
            persoon,
            door: r.door,
            tekst: v.lees_kolom(&r.tekst)?,
            vastgelegd_door: r.vastgelegd_door,
            vertrouwelijkheid: r.vertrouwelijkheid.parse().expect("CHECK constraint"),
            aangemaakt_op: from_db(r.aangemaakt_op),
        })
    }
}

impl EigenVerklaring {
    /// `VERKLARING_BIJ_RECORD`: is the statement shown with its record to organisation
    /// `lezer` (before the level check of its read)?
    pub fn getoond_aan(&self, lezer: &str) -> bool {
        lezer == self.eigenaar
            || lezer == self.vastgelegd_door
            || self.vastgelegd_door == self.eigenaar
    }

    /// The statement as every answer shows it.
    pub fn weergave(&self) -> EigenVerklaringWeergave {
        EigenVerklaringWeergave {
            id: self.id,
            persoon: self.persoon,
            door: self.door.clone(),
            tekst: self.tekst.clone(),
            vastgelegd_door: self.vastgelegd_door.clone(),
            vertrouwelijkheid: self.vertrouwelijkheid,
            aangemaakt_op: self.aangemaakt_op,
            eigenaar: self.eigenaar.clone(),
            betrokkene: self.betrokkene_id,
        }
    }
}

/// A person's own statement as shown with its record and on its own (one schema
/// component wherever a record is returned).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = EigenVerklaringDto)]
#[serde(rename_all = "camelCase")]
pub struct EigenVerklaringWeergave {
    pub id: Uuid,
    /// The person record whose statement it is, where the record refers to one by id
    /// (absent for a person known only inside a zorgmelding or its terugkoppeling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persoon: Option<Uuid>,
    /// Who made it, as the record knows them: `persoon` on a person record, else their
    /// role in the record (e.g. `moeder`, `vader`, `kind`). Never a name.
    pub door: String,
    /// The statement in the person's own words.
    pub tekst: String,
    /// The organisation that recorded it on the person's behalf.
    pub vastgelegd_door: String,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    /// When it was recorded.
    pub aangemaakt_op: DateTime<Utc>,
    /// The owner of the record it is on (not shown: for the log, `logboek::verklaringen`).
    #[serde(skip)]
    #[schema(ignore)]
    pub eigenaar: String,
    /// The person whose statement it is (not shown: the log's data subject).
    #[serde(skip)]
    #[schema(ignore)]
    pub betrokkene: Uuid,
}

/// The fields of a new statement.
#[derive(Debug, Clone)]
pub struct Nieuw {
    pub object_type: String,
    pub object_id: String,
    pub eigenaar: String,
    pub betrokkene_id: Uuid,
    pub door: String,
    pub persoon: Option<Uuid>,
    pub tekst: String,
    pub vastgelegd_door: String,
    pub vertrouwelijkheid: Vertrouwelijkheid,
}

/// Store a statement, its text encrypted. The caller has decided and logs the write.
pub fn voeg_toe(
    conn: &mut DbConnection,
    v: &Versleuteling,
    _toestemming: &crate::Toestemming,
    n: Nieuw,
    nu: DateTime<Utc>,
) -> QueryResult<EigenVerklaring> {
    let id = ids::new_id();
    diesel::insert_into(eigen_verklaringen::table)
        .values((
            eigen_verklaringen::id.eq(id.to_string()),
            eigen_verklaringen::object_type.eq(&n.object_type),
            eigen_verklaringen::object_id.eq(&n.object_id),
            eigen_verklaringen::eigenaar.eq(&n.eigenaar),
            eigen_verklaringen::betrokkene_id.eq(n.betrokkene_id.to_string()),
            eigen_verklaringen::tekst.eq(v.versleutel(&n.tekst)),
            eigen_verklaringen::vastgelegd_door.eq(&n.vastgelegd_door),
            eigen_verklaringen::vertrouwelijkheid.eq(n.vertrouwelijkheid.as_ref()),
            eigen_verklaringen::aangemaakt_op.eq(to_db(nu)),
            eigen_verklaringen::door.eq(&n.door),
            eigen_verklaringen::persoon_id.eq(n.persoon.map(|p| p.to_string())),
        ))
        .execute(conn)?;
    Ok(EigenVerklaring {
        id,
        object_type: n.object_type,
        object_id: n.object_id,
        eigenaar: n.eigenaar,
        betrokkene_id: n.betrokkene_id,
        door: n.door,
        persoon: n.persoon,
        tekst: n.tekst,
        vastgelegd_door: n.vastgelegd_door,
        vertrouwelijkheid: n.vertrouwelijkheid,
        aangemaakt_op: nu,
    })
}

/// The statements attached to one record, oldest first.
pub fn bij_object(
    conn: &mut DbConnection,
    v: &Versleuteling,
    _toestemming: &crate::Toestemming,
    object_type: &str,
    object_id: &str,
) -> QueryResult<Vec<EigenVerklaring>> {
    eigen_verklaringen::table
        .filter(eigen_verklaringen::object_type.eq(object_type))
        .filter(eigen_verklaringen::object_id.eq(object_id))
        .order(eigen_verklaringen::aangemaakt_op)
        .select(Rij::as_select())
        .load::<Rij>(conn)?
        .into_iter()
        .map(|r| r.ontsleutel(v))
        .collect()
}

/// Every statement by one person (for inzage).
pub fn van_betrokkene(
    conn: &mut DbConnection,
    v: &Versleuteling,
    betrokkene: Uuid,
) -> QueryResult<Vec<EigenVerklaring>> {
    eigen_verklaringen::table
        .filter(eigen_verklaringen::betrokkene_id.eq(betrokkene.to_string()))
        .order(eigen_verklaringen::aangemaakt_op)
        .select(Rij::as_select())
        .load::<Rij>(conn)?
        .into_iter()
        .map(|r| r.ontsleutel(v))
        .collect()
}

/// The statements of the records of one answer, read in one query (per 500 records) and
/// handed out per record.
#[derive(Debug, Clone, Default)]
pub struct Verklaringen(BTreeMap<(String, String), Vec<EigenVerklaring>>);

impl Verklaringen {
    /// The statements on the records with these ids, of any kind, oldest first per
    /// record. Called only for records the caller may see (after the decision).
    pub fn lees(
        conn: &mut DbConnection,
        v: &Versleuteling,
        ids: &[String],
    ) -> QueryResult<Verklaringen> {
        let mut uit: BTreeMap<(String, String), Vec<EigenVerklaring>> = BTreeMap::new();
        for deel in ids.chunks(500) {
            let rijen: Vec<Rij> = eigen_verklaringen::table
                .filter(eigen_verklaringen::object_id.eq_any(deel))
                .order((eigen_verklaringen::aangemaakt_op, eigen_verklaringen::id))
                .select(Rij::as_select())
                .load(conn)?;
            for r in rijen {
                let v = r.ontsleutel(v)?;
                uit.entry((v.object_type.clone(), v.object_id.clone()))
                    .or_default()
                    .push(v);
            }
        }
        Ok(Verklaringen(uit))
    }

    /// Statements read by the caller (`Rij`, in the order `lees` reads them: by
    /// `aangemaakt_op`, then id), decrypted. Call only after the decision allowed the
    /// record they belong to.
    pub fn uit_rijen(v: &Versleuteling, rijen: Vec<Rij>) -> QueryResult<Verklaringen> {
        let mut uit: BTreeMap<(String, String), Vec<EigenVerklaring>> = BTreeMap::new();
        for r in rijen {
            let v = r.ontsleutel(v)?;
            uit.entry((v.object_type.clone(), v.object_id.clone()))
                .or_default()
                .push(v);
        }
        Ok(Verklaringen(uit))
    }

    /// `lees` for ids of any displayable kind (`Uuid`s).
    pub fn lees_ids<'a>(
        conn: &mut DbConnection,
        v: &Versleuteling,
        ids: impl IntoIterator<Item = &'a Uuid>,
    ) -> QueryResult<Verklaringen> {
        let ids: Vec<String> = ids.into_iter().map(Uuid::to_string).collect();
        if ids.is_empty() {
            return Ok(Verklaringen::default());
        }
        Self::lees(conn, v, &ids)
    }

    /// The statements on record `id` of kind `soort` shown to organisation `lezer`
    /// (`VERKLARING_BIJ_RECORD`), at the levels `mag` allows.
    pub fn voor(
        &self,
        soort: Recordsoort,
        id: &Uuid,
        lezer: &str,
        mag: impl Fn(Vertrouwelijkheid) -> bool,
    ) -> Vec<EigenVerklaringWeergave> {
        self.0
            .get(&(soort.as_ref().to_string(), id.to_string()))
            .map(|l| {
                l.iter()
                    .filter(|v| v.getoond_aan(lezer) && mag(v.vertrouwelijkheid))
                    .map(EigenVerklaring::weergave)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The statements on one record shown to `lezer` at levels up to `max` (a single read:
/// one query).
pub fn bij_record(
    conn: &mut DbConnection,
    v: &Versleuteling,
    soort: Recordsoort,
    id: Uuid,
    lezer: &str,
    max: Vertrouwelijkheid,
) -> QueryResult<Vec<EigenVerklaringWeergave>> {
    Ok(Verklaringen::lees_ids(conn, v, [&id])?.voor(soort, &id, lezer, |n| n <= max))
}

/// The statements on records `ids` of kind `object_type`: they go with their record when
/// its term has passed (DOMAIN.md §3 flow 8: always shown with it, so never without it).
/// With `proef`, only listed. Returns (id, person) of each.
pub fn verwijder_bij(
    conn: &mut DbConnection,
    object_type: &str,
    ids: &[String],
    proef: bool,
) -> QueryResult<Vec<(String, String)>> {
    let mut uit = Vec::new();
    for deel in ids.chunks(500) {
        let q = eigen_verklaringen::table
            .filter(eigen_verklaringen::object_type.eq(object_type))
            .filter(eigen_verklaringen::object_id.eq_any(deel));
        uit.extend(
            q.clone()
                .select((eigen_verklaringen::id, eigen_verklaringen::betrokkene_id))
                .load::<(String, String)>(conn)?,
        );
        if !proef {
            diesel::delete(q).execute(conn)?;
        }
    }
    Ok(uit)
}
