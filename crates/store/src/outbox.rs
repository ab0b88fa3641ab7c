//! The outbox (DESIGN.md §7): any crate records a notification inside its own transaction
//! with `enqueue`, so it exists exactly when the change that causes it committed. Events
//! follow the CloudEvents NL shape: a `type` like
//! `nl.ketenregie.zorgmeldingen.zorgmelding-ontvangen`, the addressee organisation, the
//! subject id and a `dataref` to the resource. They never carry personal data.
//! Delivery (e-mail, webhooks) reads from here; until it exists an organisation reads its
//! notifications through the API.

use crate::DbConnection;
use crate::schema::outbox;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::ids;
use ketenregie_common::time::{from_db, to_db};

/// The CloudEvents type prefix of this service.
pub const TYPE_PREFIX: &str = "nl.ketenregie";

/// A notification to record.
#[derive(Debug, Clone)]
pub struct Gebeurtenis {
    /// The type after the prefix, e.g. "zorgmeldingen.zorgmelding-ontvangen".
    pub soort: String,
    /// The addressee organisation's code.
    pub organisatie: String,
    /// The id of the resource it is about.
    pub onderwerp: String,
    /// The API path of that resource.
    pub dataref: String,
}

pub fn enqueue(conn: &mut DbConnection, g: &Gebeurtenis, nu: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(ids::new_id().to_string()),
            outbox::soort.eq(format!("{TYPE_PREFIX}.{}", g.soort)),
            outbox::organisatie.eq(&g.organisatie),
            outbox::onderwerp.eq(&g.onderwerp),
            outbox::dataref.eq(&g.dataref),
            outbox::status.eq("wachtend"),
            outbox::pogingen.eq(0),
            outbox::volgende_poging_op.eq(to_db(nu)),
            outbox::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A notification as read back.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Bericht {
    pub id: String,
    pub soort: String,
    pub organisatie: String,
    pub onderwerp: String,
    pub dataref: String,
    pub status: String,
    pub pogingen: i32,
    pub volgende_poging_op: chrono::NaiveDateTime,
    pub laatste_fout: Option<String>,
    pub aangemaakt_op: chrono::NaiveDateTime,
}

impl Bericht {
    pub fn aangemaakt(&self) -> DateTime<Utc> {
        from_db(self.aangemaakt_op)
    }
}

/// The notifications addressed to `organisatie`, newest first.
pub fn voor(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Bericht>, i64)> {
    let bouw = || {
        let mut q = outbox::table
            .filter(outbox::organisatie.eq(organisatie.to_string()))
            .into_boxed();
        if let Some(s) = soort {
            q = q.filter(outbox::soort.eq(format!("{TYPE_PREFIX}.{s}")));
        }
        q
    };
    let totaal = bouw().count().get_result(conn)?;
    let rijen = bouw()
        .order((outbox::aangemaakt_op.desc(), outbox::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Bericht::as_select())
        .load(conn)?;
    Ok((rijen, totaal))
}
