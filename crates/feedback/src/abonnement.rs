//! Webhook subscriptions (`/abonnementen`): an organisation's functional admin subscribes
//! a callback URL to channels, optionally narrowed to event types. The secret is made by
//! the service, shown once at creation and kept encrypted at rest.

use chrono::{DateTime, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_common::{InvalidParam, Validatie, ids};
use ketenregie_store::DbConnection;
use ketenregie_store::kolom::Tekst;
use ketenregie_store::schema::abonnementen;
use ketenregie_store::venster::{Pagina, Venster};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, Display, EnumString, VariantNames};
use utoipa::ToSchema;
use uuid::Uuid;

/// The channels one may subscribe to: the part of an event type before its first dot
/// (`outbox::kanaal_van`). `privacy` carries the notices for the privacy officer (the
/// daily quota notice `privacy.quotum-overschreden`, OWASP API6).
pub const KANALEN: &[&str] = Gebeurteniskanaal::VARIANTS;

/// A channel of events (`KANALEN`), stored comma-separated in `abonnementen.kanalen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, Display, AsRefStr, VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum Gebeurteniskanaal {
    Zorgmeldingen,
    Terugkoppelingen,
    Matches,
    Termijnen,
    Privacy,
}

/// A comma-separated list of channels as stored; an unknown channel is an error at the
/// row.
#[derive(Debug, FromSqlRow)]
struct Kanalen(Vec<Gebeurteniskanaal>);

impl<DB> FromSql<Text, DB> for Kanalen
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, DB>>::from_sql(bytes)?;
        s.split(',')
            .filter(|k| !k.is_empty())
            .map(|k| {
                k.parse()
                    .map_err(|_| format!("`{k}` is geen kanaal").into())
            })
            .collect::<deserialize::Result<_>>()
            .map(Kanalen)
    }
}

impl Kanalen {
    /// For `#[diesel(deserialize_as)]` (see `ketenregie_store::kolom::Tekst`).
    fn try_into(self) -> Result<Vec<Gebeurteniskanaal>, std::convert::Infallible> {
        Ok(self.0)
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AbonnementInvoer {
    /// The callback URL (https; see the README for the rules).
    #[schema(required = true, value_type = String, example = "https://wijkteam.example.nl/ketenregie/events", max_length = 2000)]
    pub url: Option<String>,
    /// One or more of zorgmeldingen, terugkoppelingen, matches, termijnen, privacy.
    #[schema(required = true, value_type = Vec<String>, example = json!(["terugkoppelingen", "termijnen"]))]
    pub kanalen: Option<Vec<String>>,
    /// Only these event types (after `nl.ketenregie.`), e.g. `termijnen.escalatie`.
    pub soorten: Option<Vec<String>>,
}

/// A checked subscription request.
#[derive(Debug, Clone)]
pub struct GeldigAbonnement {
    pub url: String,
    pub kanalen: Vec<String>,
    pub soorten: Vec<String>,
}

impl AbonnementInvoer {
    /// Check every field; `url_fout` is the outcome of the (asynchronous) URL check.
    pub fn valideer(
        &self,
        url_fout: Option<crate::webhook::UrlFout>,
    ) -> Result<GeldigAbonnement, Vec<InvalidParam>> {
        let mut v = Validatie::new();
        let url = v.tekstregel("url", self.url.as_deref(), 2000);
        if let Some(f) = url_fout {
            v.fout("url", f.code, f.reden);
        }
        let kanalen = v
            .verplicht("kanalen", self.kanalen.clone())
            .unwrap_or_default();
        if self.kanalen.is_some() && kanalen.is_empty() {
            v.fout("kanalen", "minItems", "noem ten minste één kanaal");
        }
        for (i, k) in kanalen.iter().enumerate() {
            if !KANALEN.contains(&k.as_str()) {
                v.fout(
                    format!("kanalen[{i}]"),
                    "enum",
                    format!(
                        "`kanalen[{i}]` is geen kanaal; toegestaan: {}",
                        KANALEN.join(", ")
                    ),
                );
            }
        }
        let soorten = self.soorten.clone().unwrap_or_default();
        for (i, s) in soorten.iter().enumerate() {
            let kanaal = s.split('.').next().unwrap_or_default();
            let naam = s.split_once('.').map(|x| x.1).unwrap_or_default();
            let goed_teken = |c: char| c.is_ascii_lowercase() || c == '-' || c == '.';
            if !kanalen.iter().any(|k| k == kanaal) || naam.is_empty() || !s.chars().all(goed_teken)
            {
                v.fout(
                    format!("soorten[{i}]"),
                    "pattern",
                    // The example unquoted: a backticked dotted name is read as a body path and
                    // shown as a JSON pointer by the problem's finishing step.
                    format!("`soorten[{i}]` is geen soort in een van de gekozen kanalen (zoals termijnen.escalatie)"),
                );
            }
        }
        v.afronden(|| GeldigAbonnement {
            url: url.unwrap_or_default(),
            kanalen,
            soorten,
        })
    }
}

/// A subscription as shown (never with its secret, except once at creation).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Abonnement {
    pub id: Uuid,
    pub organisatie: String,
    pub url: String,
    pub kanalen: Vec<String>,
    pub soorten: Vec<String>,
    pub aangemaakt_op: DateTime<Utc>,
    /// The signing secret, `whsec_<base64>` (Standard Webhooks): only in the answer to
    /// the creation, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geheim: Option<String>,
}

/// A stored subscription, its id and channels read as their types.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = abonnementen)]
struct Rij {
    #[diesel(deserialize_as = Tekst<Uuid>)]
    id: Uuid,
    organisatie: String,
    url: String,
    #[diesel(deserialize_as = Kanalen)]
    kanalen: Vec<Gebeurteniskanaal>,
    soorten: Option<String>,
    aangemaakt_op: chrono::NaiveDateTime,
}

impl From<Rij> for Abonnement {
    fn from(r: Rij) -> Self {
        let lijst = |s: &str| -> Vec<String> {
            s.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        Abonnement {
            id: r.id,
            organisatie: r.organisatie,
            url: r.url,
            kanalen: r.kanalen.iter().map(ToString::to_string).collect(),
            soorten: r.soorten.as_deref().map(lijst).unwrap_or_default(),
            aangemaakt_op: from_db(r.aangemaakt_op),
            geheim: None,
        }
    }
}

/// A new random secret in the Standard Webhooks format: `whsec_` and the base64 of 32
/// random bytes (the spec asks for 24 to 64); the decoded bytes are the HMAC key
/// (`webhook::sleutel`).
pub fn nieuw_geheim() -> String {
    use base64::Engine;
    format!(
        "{}{}",
        crate::webhook::GEHEIM_PREFIX,
        base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
    )
}

pub fn maak(
    conn: &mut DbConnection,
    organisatie: &str,
    a: &GeldigAbonnement,
    geheim_versleuteld: &str,
    door: &str,
    nu: DateTime<Utc>,
) -> QueryResult<Abonnement> {
    let id = ids::new_id().to_string();
    diesel::insert_into(abonnementen::table)
        .values((
            abonnementen::id.eq(&id),
            abonnementen::organisatie.eq(organisatie),
            abonnementen::url.eq(&a.url),
            abonnementen::kanalen.eq(a.kanalen.join(",")),
            abonnementen::soorten.eq((!a.soorten.is_empty()).then(|| a.soorten.join(","))),
            abonnementen::geheim.eq(geheim_versleuteld),
            abonnementen::aangemaakt_door.eq(door),
            abonnementen::aangemaakt_op.eq(to_db(nu)),
        ))
        .execute(conn)?;
    een(conn, &id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn een(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Abonnement>> {
    abonnementen::table
        .find(id)
        .select(Rij::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Abonnement::from))
}

/// The cursor list name of `GET /abonnementen` (`store::venster::Cursor`).
pub const LIJST: &str = "abonnementen";

/// One page of `organisatie`'s subscriptions by id (UUIDv7: oldest first), keyset on the
/// index `(organisatie, id)` (migration `2026-12-04-000401_h17lijst2_lijstindexen`), with
/// the bounded count.
///
/// Without `met_privacykanaal` no subscription on the `privacy` channel is in the page
/// (`PRIVACYKANAAL_ALLEEN_FG`: they are the privacy officer's; the caller is not).
pub fn lijst(
    conn: &mut DbConnection,
    organisatie: &str,
    met_privacykanaal: bool,
    v: &Venster<String>,
) -> QueryResult<Pagina<Abonnement, String>> {
    let bouw = || {
        let q = abonnementen::table
            .filter(abonnementen::organisatie.eq(organisatie.to_string()))
            .into_boxed();
        if met_privacykanaal {
            q
        } else {
            // `kanalen` is comma-separated: bounded by commas on both sides, a channel
            // is found only as a whole name (standard SQL, both backends).
            q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "(',' || abonnementen.kanalen || ',') NOT LIKE '%,{},%'",
                ketenregie_store::outbox::PRIVACYKANAAL
            )))
        }
    };
    let rijen: Vec<Rij> = ketenregie_store::venster_op_id!(bouw(), v, abonnementen::id)
        .offset(v.overslaan())
        .limit(v.op_te_halen())
        .select(Rij::as_select())
        .load(conn)?;
    let telling = ketenregie_store::telling_op_id!(conn, v, rijen.len(), bouw, abonnementen::id)?;
    Ok(v.pagina(rijen, |r| r.id.to_string(), telling)
        .map(Abonnement::from))
}

/// Remove a subscription; its pending deliveries go with it.
pub fn verwijder(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(
        ketenregie_store::schema::bezorgingen::table
            .filter(ketenregie_store::schema::bezorgingen::abonnement_id.eq(id)),
    )
    .execute(conn)?;
    Ok(diesel::delete(abonnementen::table.find(id)).execute(conn)? > 0)
}

/// The URL and encrypted secret, for delivery.
pub fn doel(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(String, String)>> {
    abonnementen::table
        .find(id)
        .select((abonnementen::url, abonnementen::geheim))
        .first(conn)
        .optional()
}
