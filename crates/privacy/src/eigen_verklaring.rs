//! Eigen verklaring (DOMAIN.md §3 flow 8; Jeugdwet art. 7.3.8): a person's own statement
//! attached to a record. It never alters the record, is always returned with it, and is
//! logged like any write. There is no update or delete path; a trigger refuses one.
//!
//! The text is the person's own words about their family: it is kept AES-GCM encrypted
//! (`Versleuteling`, issue 11 point 5); a statement stored in plain text before that is
//! still read (`Versleuteling::lees_kolom`).

use crate::versleuteling::Versleuteling;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{Vertrouwelijkheid, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::herschrijven::Kolom;
use ketenregie_store::schema::eigen_verklaringen;
use uuid::Uuid;

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
    pub eigenaar: String,
    /// The person whose statement it is.
    pub betrokkene_id: Uuid,
    pub tekst: String,
    /// The organisation that recorded it on the person's behalf.
    pub vastgelegd_door: String,
    pub vertrouwelijkheid: Vertrouwelijkheid,
    pub aangemaakt_op: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = eigen_verklaringen)]
struct Rij {
    id: String,
    object_type: String,
    object_id: String,
    eigenaar: String,
    betrokkene_id: String,
    tekst: String,
    vastgelegd_door: String,
    vertrouwelijkheid: String,
    aangemaakt_op: chrono::NaiveDateTime,
}

impl Rij {
    fn ontsleutel(self, v: &Versleuteling) -> QueryResult<EigenVerklaring> {
        let r = self;
        Ok(EigenVerklaring {
            id: r.id.parse().expect("uuid"),
            object_type: r.object_type,
            object_id: r.object_id,
            eigenaar: r.eigenaar,
            betrokkene_id: r.betrokkene_id.parse().expect("uuid"),
            tekst: v.lees_kolom(&r.tekst)?,
            vastgelegd_door: r.vastgelegd_door,
            vertrouwelijkheid: r.vertrouwelijkheid.parse().expect("CHECK constraint"),
            aangemaakt_op: from_db(r.aangemaakt_op),
        })
    }
}

/// The fields of a new statement.
#[derive(Debug, Clone)]
pub struct Nieuw {
    pub object_type: String,
    pub object_id: String,
    pub eigenaar: String,
    pub betrokkene_id: Uuid,
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
        ))
        .execute(conn)?;
    Ok(EigenVerklaring {
        id,
        object_type: n.object_type,
        object_id: n.object_id,
        eigenaar: n.eigenaar,
        betrokkene_id: n.betrokkene_id,
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
