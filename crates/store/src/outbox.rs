//! The outbox (DESIGN.md §7): any crate records a notification inside its own transaction
//! with `enqueue`, so it exists exactly when the change that causes it committed. Events
//! follow the CloudEvents NL shape: a `type` like
//! `nl.ketenregie.zorgmeldingen.zorgmelding-ontvangen`, the addressee organisation, the
//! subject id and a `dataref` to the resource. They never carry personal data.
//! Delivery: in the same transaction `enqueue` writes one `bezorgingen` row per push target
//! (the organisation's e-mail contact point, each of its matching webhook subscriptions);
//! the dispatcher in the feedback crate sends those. Every event can also be read through
//! the API (`/berichten`).

use crate::DbConnection;
use crate::schema::{abonnementen, bezorgingen, contactpunten, organisaties, outbox};
use crate::venster::{Pagina, Venster};
use chrono::{DateTime, NaiveDateTime, Utc};
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

/// The channel of an event type: the part before the first dot (`termijnen` for
/// `termijnen.escalatie`), as webhook subscriptions name it.
pub fn kanaal_van(soort: &str) -> &str {
    let kort = soort
        .strip_prefix(TYPE_PREFIX)
        .and_then(|s| s.strip_prefix('.'))
        .unwrap_or(soort);
    kort.split('.').next().unwrap_or(kort)
}

/// The channel of the privacy officer's notices (`privacy.*`; the rule
/// `PRIVACYKANAAL_ALLEEN_FG` of `ketenregie_privacy::verantwoording`), which is also the
/// role of the contact point they are mailed to.
pub const PRIVACYKANAAL: &str = "privacy";

/// Does a subscription on `kanalen` (comma-separated) with optional type filter `soorten`
/// (comma-separated, without the prefix) want an event of type `soort` (without prefix)?
pub fn abonnement_wil(kanalen: &str, soorten: Option<&str>, soort: &str) -> bool {
    let kanaal = kanaal_van(soort);
    kanalen.split(',').any(|k| k == kanaal)
        && soorten.is_none_or(|f| f.is_empty() || f.split(',').any(|s| s == soort))
}

/// What an organisation's events are pushed to: whether it has an e-mail contact, and
/// its subscriptions (id, channels, type filter). Cache it across many `enqueue_met`
/// calls in one transaction (the deadline scanner does).
#[derive(Debug, Clone, Default)]
pub struct Bestemmingen {
    email: bool,
    /// A `privacy` contact point with an address: the only e-mail target of the privacy
    /// channel (`PRIVACYKANAAL_ALLEEN_FG`).
    email_privacy: bool,
    abonnementen: Vec<(String, String, Option<String>)>,
}

/// A per-organisation cache of `Bestemmingen`, valid within one transaction.
pub type BestemmingenCache = std::collections::HashMap<String, Bestemmingen>;

fn bestemmingen(conn: &mut DbConnection, organisatie: &str) -> QueryResult<Bestemmingen> {
    let met_email: i64 = contactpunten::table
        .inner_join(organisaties::table)
        .filter(organisaties::code.eq(organisatie))
        .filter(contactpunten::email.is_not_null())
        .count()
        .get_result(conn)?;
    let met_email_privacy: i64 = contactpunten::table
        .inner_join(organisaties::table)
        .filter(organisaties::code.eq(organisatie))
        .filter(contactpunten::email.is_not_null())
        .filter(contactpunten::rol.eq(PRIVACYKANAAL))
        .count()
        .get_result(conn)?;
    let abonnementen = abonnementen::table
        .filter(abonnementen::organisatie.eq(organisatie))
        .select((
            abonnementen::id,
            abonnementen::kanalen,
            abonnementen::soorten,
        ))
        .load(conn)?;
    Ok(Bestemmingen {
        email: met_email > 0,
        email_privacy: met_email_privacy > 0,
        abonnementen,
    })
}

/// Record `g`, and a delivery for each push target, inside the caller's transaction.
pub fn enqueue(conn: &mut DbConnection, g: &Gebeurtenis, nu: DateTime<Utc>) -> QueryResult<()> {
    enqueue_met(conn, g, nu, &mut BestemmingenCache::new())
}

/// `enqueue` with data that is no personal data (`gegevens`, JSON: the webhook's `data`,
/// lines of the e-mail), such as the owner's notice of a disclosure.
pub fn enqueue_met_gegevens(
    conn: &mut DbConnection,
    g: &Gebeurtenis,
    gegevens: &serde_json::Value,
    nu: DateTime<Utc>,
) -> QueryResult<()> {
    schrijf(conn, g, Some(gegevens), nu, &mut BestemmingenCache::new())
}

/// Does `organisatie` have a subscription that wants events of type `soort` (without the
/// prefix)? For events an organisation receives only when it turned them on.
pub fn geabonneerd(conn: &mut DbConnection, organisatie: &str, soort: &str) -> QueryResult<bool> {
    let abonnementen: Vec<(String, Option<String>)> = abonnementen::table
        .filter(abonnementen::organisatie.eq(organisatie))
        .select((abonnementen::kanalen, abonnementen::soorten))
        .load(conn)?;
    Ok(abonnementen
        .iter()
        .any(|(k, s)| abonnement_wil(k, s.as_deref(), soort)))
}

/// `enqueue` with the addressees' push targets cached across calls.
pub fn enqueue_met(
    conn: &mut DbConnection,
    g: &Gebeurtenis,
    nu: DateTime<Utc>,
    cache: &mut BestemmingenCache,
) -> QueryResult<()> {
    schrijf(conn, g, None, nu, cache)
}

fn schrijf(
    conn: &mut DbConnection,
    g: &Gebeurtenis,
    gegevens: Option<&serde_json::Value>,
    nu: DateTime<Utc>,
    cache: &mut BestemmingenCache,
) -> QueryResult<()> {
    let id = ids::new_id().to_string();
    if !cache.contains_key(&g.organisatie) {
        let b = bestemmingen(conn, &g.organisatie)?;
        cache.insert(g.organisatie.clone(), b);
    }
    let b = &cache[&g.organisatie];
    let mut doelen: Vec<(&str, Option<String>)> = Vec::new();
    let email = if kanaal_van(&g.soort) == PRIVACYKANAAL {
        b.email_privacy
    } else {
        b.email
    };
    if email {
        doelen.push(("email", None));
    }
    for (a, kanalen, soorten) in &b.abonnementen {
        if abonnement_wil(kanalen, soorten.as_deref(), &g.soort) {
            doelen.push(("webhook", Some(a.clone())));
        }
    }
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::soort.eq(format!("{TYPE_PREFIX}.{}", g.soort)),
            outbox::organisatie.eq(&g.organisatie),
            outbox::onderwerp.eq(&g.onderwerp),
            outbox::dataref.eq(&g.dataref),
            // Nothing to push: readable through the API, so delivered.
            outbox::status.eq(if doelen.is_empty() {
                "afgeleverd"
            } else {
                "wachtend"
            }),
            outbox::pogingen.eq(0),
            outbox::volgende_poging_op.eq(to_db(nu)),
            outbox::aangemaakt_op.eq(to_db(nu)),
            outbox::gegevens.eq(gegevens.map(|w| w.to_string())),
        ))
        .execute(conn)?;
    for (kanaal, abonnement) in doelen {
        diesel::insert_into(bezorgingen::table)
            .values((
                bezorgingen::id.eq(ids::new_id().to_string()),
                bezorgingen::outbox_id.eq(&id),
                bezorgingen::kanaal.eq(kanaal),
                bezorgingen::abonnement_id.eq(abonnement),
                bezorgingen::status.eq("wachtend"),
                bezorgingen::pogingen.eq(0),
                bezorgingen::volgende_poging_op.eq(to_db(nu)),
                bezorgingen::aangemaakt_op.eq(to_db(nu)),
            ))
            .execute(conn)?;
    }
    Ok(())
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
    /// Data that is no personal data, as JSON, if the event carries any.
    pub gegevens: Option<String>,
}

impl Bericht {
    pub fn aangemaakt(&self) -> DateTime<Utc> {
        from_db(self.aangemaakt_op)
    }
}

/// The sort key of an organisation's notifications: newest first, then id (the
/// `(organisatie, aangemaakt_op, id)` index).
pub type BerichtSleutel = (NaiveDateTime, String);

/// The cursor list name of the notifications (`venster::Cursor`).
pub const LIJST: &str = "berichten";

/// One page of the notifications addressed to `organisatie`, newest first (keyset
/// pagination and a bounded count, `crate::venster`), optionally of one type; without
/// `met_privacykanaal`, none of the privacy channel (`PRIVACYKANAAL_ALLEEN_FG`: the
/// caller is not the privacy officer).
pub fn voor(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: Option<&str>,
    met_privacykanaal: bool,
    v: &Venster<BerichtSleutel>,
) -> QueryResult<Pagina<Bericht, BerichtSleutel>> {
    let bouw = || {
        let mut q = outbox::table
            .filter(outbox::organisatie.eq(organisatie.to_string()))
            .into_boxed();
        if let Some(s) = soort {
            q = q.filter(outbox::soort.eq(format!("{TYPE_PREFIX}.{s}")));
        }
        if !met_privacykanaal {
            q = q.filter(outbox::soort.not_like(format!("{TYPE_PREFIX}.{PRIVACYKANAAL}.%")));
        }
        q
    };
    let rijen: Vec<Bericht> =
        crate::venster_aflopend!(bouw(), v, outbox::aangemaakt_op, outbox::id)
            .offset(v.overslaan())
            .limit(v.op_te_halen())
            .select(Bericht::as_select())
            .load(conn)?;
    let telling = crate::telling_aflopend!(
        conn,
        v,
        rijen.len(),
        bouw,
        outbox::aangemaakt_op,
        outbox::id
    )?;
    Ok(v.pagina(rijen, |b| (b.aangemaakt_op, b.id.clone()), telling))
}

/// The notifications about records `onderwerpen` (their `onderwerp`), and their
/// deliveries: removed with those records by the retention run (DOMAIN.md §4: a
/// notification points to the record, so it goes with it). With `proef`, only listed.
/// Returns the ids of the notifications and of the deliveries.
pub fn verwijder_over(
    conn: &mut DbConnection,
    onderwerpen: &[String],
    proef: bool,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let mut berichten = Vec::new();
    let mut bezorgd = Vec::new();
    for deel in onderwerpen.chunks(500) {
        let ids: Vec<String> = outbox::table
            .filter(outbox::onderwerp.eq_any(deel))
            .select(outbox::id)
            .load(conn)?;
        if ids.is_empty() {
            continue;
        }
        bezorgd.extend(
            bezorgingen::table
                .filter(bezorgingen::outbox_id.eq_any(&ids))
                .select(bezorgingen::id)
                .load::<String>(conn)?,
        );
        if !proef {
            diesel::delete(bezorgingen::table.filter(bezorgingen::outbox_id.eq_any(&ids)))
                .execute(conn)?;
            diesel::delete(outbox::table.filter(outbox::id.eq_any(&ids))).execute(conn)?;
        }
        berichten.extend(ids);
    }
    Ok((berichten, bezorgd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kanalen_en_filters() {
        assert_eq!(kanaal_van("termijnen.escalatie"), "termijnen");
        assert_eq!(
            kanaal_van("nl.ketenregie.zorgmeldingen.status-gewijzigd"),
            "zorgmeldingen"
        );
        assert!(abonnement_wil(
            "termijnen,terugkoppelingen",
            None,
            "termijnen.escalatie"
        ));
        assert!(!abonnement_wil(
            "zorgmeldingen",
            None,
            "termijnen.escalatie"
        ));
        assert!(abonnement_wil(
            "termijnen",
            Some("termijnen.escalatie"),
            "termijnen.escalatie"
        ));
        assert!(!abonnement_wil(
            "termijnen",
            Some("termijnen.herinnering"),
            "termijnen.escalatie"
        ));
    }
}
