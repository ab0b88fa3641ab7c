//! The dispatcher (DESIGN.md §2 step 5, §7): delivers the outbox after commit. Every
//! outbox event has one delivery row per push target (`store::outbox::enqueue` writes
//! them in the event's transaction). A pass claims due deliveries with a lease
//! (`geclaimd_tot`, `geclaimd_door`; on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
//! several instances never take the same row) and sends them, at most
//! `BezorgInstelling::gelijktijdig` at a time.
//!
//! Delivery is at most once on a crash (issue 14, finding 8). Each delivery is first marked
//! `verzenden` (sending, with `verzenden_op`, its lease renewed) in a committed
//! transaction, and only while this instance still holds its claim; then it is sent; then
//! its outcome is recorded: delivered, or another attempt after an exponential back-off
//! (the transport reported a failure), or dead after the limit. An instance that died
//! leaves its claimed but unsent deliveries `wachtend`: they are taken over when the lease
//! runs out and sent once. A delivery it left `verzenden` may or may not have reached the
//! receiver: the next pass of any instance marks it `onzeker` (uncertain) and it is not
//! sent again by itself; the functional admin sees it beside the dead letters
//! (`GET /api/v1/dode-berichten`) and may re-queue it. So a crash affects at most the
//! deliveries in flight, never re-sends them, and re-sends nothing else.
//!
//! A failure the transport reports (connection refused, a negative SMTP reply, a non-2xx
//! webhook answer, a timeout) is retried: then a receiver may see a delivery twice (after a
//! timeout that came after it accepted). The delivery id travels as the e-mail Message-ID,
//! the CloudEvent `id` and the `webhook-id` header (the same on every attempt), so a
//! receiver recognises the repeat.

use crate::email::{self, Email};
use crate::webhook::{self, Webhooks};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ketenregie_common::Klok;
use ketenregie_common::time::{from_db, to_db};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::directory::ContactpuntRol;
use ketenregie_store::schema::{bezorgingen, contactpunten, organisaties, outbox};
use ketenregie_store::venster::{Pagina, Venster};
use ketenregie_store::{DbConnection, DbPool, conn};
use serde::Serialize;
use std::sync::Arc;
use strum::{AsRefStr, Display, EnumString};
use utoipa::ToSchema;

/// How a delivery goes out (`bezorgingen.kanaal`, written by `store::outbox::enqueue`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    EnumString,
    Display,
    AsRefStr,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[strum(serialize_all = "kebab-case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Kanaal {
    /// To the organisation's contact point (lettre, SMTP).
    Email,
    /// To a subscription's callback URL (CloudEvents, HMAC-signed).
    Webhook,
}

ketenregie_store::tekst_kolom!(Kanaal);

/// Where a delivery (and its outbox event) stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    EnumString,
    Display,
    AsRefStr,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[strum(serialize_all = "kebab-case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Bezorgstatus {
    /// Due now or after its back-off (claimed or not: never handed to a transport yet in
    /// this attempt).
    Wachtend,
    /// Handed to the transport by the instance in `geclaimd_door` since `verzenden_op`;
    /// the outcome follows.
    Verzenden,
    Afgeleverd,
    /// Its instance died while sending: perhaps received, perhaps not. Never sent again by
    /// itself (at most once); an admin may re-queue it.
    Onzeker,
    /// Past the attempt limit; an admin may re-queue it.
    Dood,
}

ketenregie_store::tekst_kolom!(Bezorgstatus);

use Bezorgstatus::{Afgeleverd, Dood, Onzeker, Verzenden, Wachtend};

/// How the dispatcher works.
#[derive(Debug, Clone)]
pub struct BezorgInstelling {
    /// Deliveries claimed per transaction.
    pub batch: i64,
    /// Attempts before a delivery is dead.
    pub max_pogingen: i32,
    /// The first retry waits this long; each next one twice as long (at most 6 hours).
    pub wachttijd: Duration,
    /// How long a claim holds before another instance may take the delivery over; renewed
    /// when each delivery's send starts. Longer than the transports' timeouts.
    pub lease: Duration,
    /// Deliveries sent at the same time (at least 1); also the most a crash leaves
    /// `onzeker`.
    pub gelijktijdig: usize,
    /// The service's public base URL, for links.
    pub public_url: String,
}

/// One claimed delivery with its event.
#[derive(Debug, Clone, Queryable)]
pub struct Klus {
    pub id: String,
    pub kanaal: Kanaal,
    pub abonnement_id: Option<String>,
    pub pogingen: i32,
    pub outbox_id: String,
    pub soort: String,
    pub organisatie: String,
    pub onderwerp: String,
    pub dataref: String,
    pub aangemaakt_op: chrono::NaiveDateTime,
    /// Data that is no personal data, as JSON (`outbox::enqueue_met_gegevens`).
    pub gegevens: Option<String>,
}

/// Claim up to `batch` due deliveries for `instantie` until `nu + lease`.
pub fn claim(
    conn: &mut DbConnection,
    instantie: &str,
    nu: DateTime<Utc>,
    inst: &BezorgInstelling,
) -> QueryResult<Vec<Klus>> {
    conn::schrijf(conn, |c| {
        let nu_db = to_db(nu);
        onderbroken_naar_onzeker(c, nu)?;
        let q = bezorgingen::table
            .filter(bezorgingen::status.eq(Wachtend))
            .filter(bezorgingen::volgende_poging_op.le(nu_db))
            .filter(
                bezorgingen::geclaimd_tot
                    .is_null()
                    .or(bezorgingen::geclaimd_tot.assume_not_null().lt(nu_db)),
            )
            .order((bezorgingen::volgende_poging_op, bezorgingen::id))
            .limit(inst.batch)
            .select(bezorgingen::id);
        let ids: Vec<String> = match c {
            DbConnection::Pg(pg) => q.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(s) => q.load(s)?,
        };
        if ids.is_empty() {
            return Ok(vec![]);
        }
        diesel::update(bezorgingen::table.filter(bezorgingen::id.eq_any(&ids)))
            .set((
                bezorgingen::geclaimd_tot.eq(Some(to_db(nu + inst.lease))),
                bezorgingen::geclaimd_door.eq(Some(instantie)),
            ))
            .execute(c)?;
        bezorgingen::table
            .inner_join(outbox::table)
            .filter(bezorgingen::id.eq_any(&ids))
            .order((bezorgingen::volgende_poging_op, bezorgingen::id))
            .select((
                bezorgingen::id,
                bezorgingen::kanaal,
                bezorgingen::abonnement_id,
                bezorgingen::pogingen,
                outbox::id,
                outbox::soort,
                outbox::organisatie,
                outbox::onderwerp,
                outbox::dataref,
                outbox::aangemaakt_op,
                outbox::gegevens,
            ))
            .load(c)
    })
}

/// The message `laatste_fout` carries for a delivery whose instance died mid-send.
pub const ONDERBROKEN: &str = "verzending onderbroken (de verzendende instantie viel uit): \
misschien ontvangen, daarom niet vanzelf opnieuw verzonden";

/// Deliveries left `verzenden` by an instance whose lease has run out (it died mid-send):
/// mark them `onzeker`, with their outbox event. Returns how many. Runs at the start of
/// every claim, inside its transaction.
pub fn onderbroken_naar_onzeker(c: &mut DbConnection, nu: DateTime<Utc>) -> QueryResult<usize> {
    let nu_db = to_db(nu);
    let verlopen = bezorgingen::table
        .filter(bezorgingen::status.eq(Verzenden))
        .filter(bezorgingen::geclaimd_tot.assume_not_null().lt(nu_db));
    let ids: Vec<(String, String)> = match c {
        DbConnection::Pg(pg) => verlopen
            .select((bezorgingen::id, bezorgingen::outbox_id))
            .for_update()
            .skip_locked()
            .load(pg)?,
        DbConnection::Sqlite(s) => verlopen
            .select((bezorgingen::id, bezorgingen::outbox_id))
            .load(s)?,
    };
    if ids.is_empty() {
        return Ok(0);
    }
    let (bid, oid): (Vec<String>, Vec<String>) = ids.into_iter().unzip();
    let n = diesel::update(
        bezorgingen::table
            .filter(bezorgingen::id.eq_any(&bid))
            .filter(bezorgingen::status.eq(Verzenden)),
    )
    .set((
        bezorgingen::status.eq(Onzeker),
        bezorgingen::pogingen.eq(bezorgingen::pogingen + 1),
        bezorgingen::laatste_fout.eq(Some(ONDERBROKEN)),
        bezorgingen::geclaimd_tot.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(c)?;
    diesel::update(outbox::table.filter(outbox::id.eq_any(&oid)))
        .set(outbox::laatste_fout.eq(Some(ONDERBROKEN)))
        .execute(c)?;
    for b in &bid {
        tracing::warn!(bezorging = %b, "bezorging onzeker: de verzendende instantie viel uit tijdens het verzenden");
    }
    Ok(n)
}

/// Mark one claimed delivery `verzenden` (sending) before its network send, renewing its
/// lease, in its own committed transaction; false when this instance no longer holds the
/// claim (its lease ran out and another instance took it over): then it must not be sent.
pub fn begin_verzenden(
    conn: &mut DbConnection,
    instantie: &str,
    k: &Klus,
    nu: DateTime<Utc>,
    inst: &BezorgInstelling,
) -> QueryResult<bool> {
    conn::schrijf(conn, |c| {
        let n = diesel::update(
            bezorgingen::table
                .filter(bezorgingen::id.eq(&k.id))
                .filter(bezorgingen::geclaimd_door.eq(instantie))
                .filter(bezorgingen::status.eq(Wachtend))
                .filter(bezorgingen::pogingen.eq(k.pogingen)),
        )
        .set((
            bezorgingen::status.eq(Verzenden),
            bezorgingen::verzenden_op.eq(Some(to_db(nu))),
            bezorgingen::geclaimd_tot.eq(Some(to_db(nu + inst.lease))),
        ))
        .execute(c)?;
        Ok(n == 1)
    })
}

/// Record the outcome of one attempt (only while our claim holds).
pub fn afronden(
    conn: &mut DbConnection,
    instantie: &str,
    k: &Klus,
    uitkomst: Result<(), String>,
    nu: DateTime<Utc>,
    inst: &BezorgInstelling,
) -> QueryResult<()> {
    conn::schrijf(conn, |c| {
        let mijn = bezorgingen::table
            .filter(bezorgingen::id.eq(&k.id))
            .filter(bezorgingen::geclaimd_door.eq(instantie))
            .filter(bezorgingen::status.eq(Verzenden));
        let pogingen = k.pogingen + 1;
        match uitkomst {
            Ok(()) => {
                let n = diesel::update(mijn)
                    .set((
                        bezorgingen::status.eq(Afgeleverd),
                        bezorgingen::pogingen.eq(pogingen),
                        bezorgingen::afgeleverd_op.eq(Some(to_db(nu))),
                        bezorgingen::geclaimd_tot.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(c)?;
                if n == 0 {
                    // Our lease ran out and another pass marked the delivery `onzeker`.
                    return Ok(());
                }
                let open: i64 = bezorgingen::table
                    .filter(bezorgingen::outbox_id.eq(&k.outbox_id))
                    .filter(bezorgingen::status.ne(Afgeleverd))
                    .count()
                    .get_result(c)?;
                if open == 0 {
                    diesel::update(outbox::table.find(&k.outbox_id))
                        .set(outbox::status.eq(Afgeleverd))
                        .execute(c)?;
                }
            }
            Err(fout) => {
                let fout: String = fout.chars().take(500).collect();
                let dood = pogingen >= inst.max_pogingen;
                let wacht =
                    inst.wachttijd * 2i32.saturating_pow((pogingen - 1).clamp(0, 20) as u32);
                let wacht = wacht.min(Duration::hours(6));
                let n = diesel::update(mijn)
                    .set((
                        bezorgingen::status.eq(if dood { Dood } else { Wachtend }),
                        bezorgingen::pogingen.eq(pogingen),
                        bezorgingen::volgende_poging_op.eq(to_db(nu + wacht)),
                        bezorgingen::laatste_fout.eq(Some(&fout)),
                        bezorgingen::geclaimd_tot.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(c)?;
                if n == 0 {
                    return Ok(());
                }
                diesel::update(outbox::table.find(&k.outbox_id))
                    .set((
                        outbox::pogingen.eq(outbox::pogingen + 1),
                        outbox::laatste_fout.eq(Some(&fout)),
                        outbox::status.eq(if dood { Dood } else { Wachtend }),
                    ))
                    .execute(c)?;
            }
        }
        Ok(())
    })
}

/// The e-mail address of `organisatie` for an event of type `soort`: escalations go to the
/// escalation contact; the privacy channel (`privacy.*`, such as the daily quota notice
/// `privacy.quotum-overschreden`, OWASP API6) to the privacy officer's contact point
/// only (`PRIVACYKANAAL_ALLEEN_FG`; without one it is not mailed, `outbox::enqueue`);
/// everything else to the meldingen contact. Those fall back to the other contact points
/// that have an address (a notice carries no personal data, and its link opens only for
/// those entitled, so a fallback loses nothing but the right desk).
pub fn adres(
    conn: &mut DbConnection,
    organisatie: &str,
    soort: &str,
) -> QueryResult<Option<String>> {
    let volgorde: &[ContactpuntRol] = if soort.ends_with(crate::scanner::ESCALATIE) {
        &[
            ContactpuntRol::Escalatie,
            ContactpuntRol::Meldingen,
            ContactpuntRol::DagelijksAanspreekpunt,
        ]
    } else if ketenregie_store::outbox::kanaal_van(soort) == ketenregie_store::outbox::PRIVACYKANAAL
    {
        // Only the privacy officer's desk (`PRIVACYKANAAL_ALLEEN_FG`): a disclosure or a
        // quota notice is for the privacy officer, not for whoever reads a general box.
        &[ContactpuntRol::Privacy]
    } else {
        &[
            ContactpuntRol::Meldingen,
            ContactpuntRol::DagelijksAanspreekpunt,
            ContactpuntRol::Spoed,
            ContactpuntRol::Escalatie,
        ]
    };
    let rijen: Vec<(String, Option<String>)> = contactpunten::table
        .inner_join(organisaties::table)
        .filter(organisaties::code.eq(organisatie))
        .filter(contactpunten::email.is_not_null())
        .order(contactpunten::id)
        .select((contactpunten::rol, contactpunten::email))
        .load(conn)?;
    Ok(volgorde.iter().find_map(|r| {
        rijen
            .iter()
            .find(|(rol, _)| rol == r.as_ref())
            .and_then(|(_, e)| e.clone())
    }))
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BezorgResultaat {
    pub afgeleverd: usize,
    pub mislukt: usize,
}

/// The dispatcher of one instance.
#[derive(Clone)]
pub struct Bezorger {
    pub pool: DbPool,
    pub klok: Klok,
    /// This instance's name in claims.
    pub instantie: String,
    pub instelling: BezorgInstelling,
    pub email: Arc<Email>,
    pub webhooks: Arc<Webhooks>,
    pub versleuteling: Arc<Versleuteling>,
}

impl std::fmt::Debug for Bezorger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bezorger")
            .field("instantie", &self.instantie)
            .finish()
    }
}

impl Bezorger {
    async fn blok<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
    ) -> Result<T, String> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = pool.get().map_err(|e| e.to_string())?;
            f(&mut c).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Deliver everything due, batch after batch.
    pub async fn ronde(&self) -> Result<BezorgResultaat, String> {
        self.ronde_tot(None).await
    }

    /// Like `ronde`, but stop after `max` attempts, leaving the rest of the batch claimed
    /// (as an instance that dies mid-batch would; tests use this). Without `max` up to
    /// `gelijktijdig` deliveries of a batch go out at once; with it, one after another.
    pub async fn ronde_tot(&self, max: Option<usize>) -> Result<BezorgResultaat, String> {
        let mut r = BezorgResultaat::default();
        let tel = |r: &mut BezorgResultaat, u: Option<bool>| match u {
            Some(true) => r.afgeleverd += 1,
            Some(false) => r.mislukt += 1,
            // Taken over by another instance: not ours to count.
            None => {}
        };
        loop {
            let (inst, naam, nu) = (
                self.instelling.clone(),
                self.instantie.clone(),
                self.klok.nu(),
            );
            let klussen = self.blok(move |c| claim(c, &naam, nu, &inst)).await?;
            if klussen.is_empty() {
                return Ok(r);
            }
            if max.is_none() {
                let mut set = tokio::task::JoinSet::new();
                for k in klussen {
                    while set.len() >= self.instelling.gelijktijdig.max(1) {
                        let u = set.join_next().await.expect("a running send");
                        tel(&mut r, u.map_err(|e| e.to_string())??);
                    }
                    let zelf = self.clone();
                    set.spawn(async move { zelf.een(k).await });
                }
                while let Some(u) = set.join_next().await {
                    tel(&mut r, u.map_err(|e| e.to_string())??);
                }
                continue;
            }
            for k in klussen {
                if max.is_some_and(|m| r.afgeleverd + r.mislukt >= m) {
                    return Ok(r);
                }
                let u = self.een(k).await?;
                tel(&mut r, u);
            }
        }
    }

    /// Mark one claimed delivery `verzenden`, send it and record the outcome: true when
    /// delivered, false when it failed, None when the claim was no longer ours (not sent).
    async fn een(&self, k: Klus) -> Result<Option<bool>, String> {
        let (inst, naam, nu, k2) = (
            self.instelling.clone(),
            self.instantie.clone(),
            self.klok.nu(),
            k.clone(),
        );
        if !self
            .blok(move |c| begin_verzenden(c, &naam, &k2, nu, &inst))
            .await?
        {
            return Ok(None);
        }
        let uitkomst = self.bezorg(&k).await;
        if let Err(e) = &uitkomst {
            tracing::warn!(bezorging = %k.id, kanaal = %k.kanaal, fout = %e, "bezorging mislukt");
        }
        let gelukt = uitkomst.is_ok();
        let (inst, naam, nu) = (
            self.instelling.clone(),
            self.instantie.clone(),
            self.klok.nu(),
        );
        self.blok(move |c| afronden(c, &naam, &k, uitkomst, nu, &inst))
            .await?;
        Ok(Some(gelukt))
    }

    async fn bezorg(&self, k: &Klus) -> Result<(), String> {
        let link = format!(
            "{}{}",
            self.instelling.public_url.trim_end_matches('/'),
            k.dataref
        );
        let gegevens: Option<serde_json::Value> = k
            .gegevens
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok());
        match k.kanaal {
            Kanaal::Email => {
                let (org, soort) = (k.organisatie.clone(), k.soort.clone());
                let aan = self
                    .blok(move |c| adres(c, &org, &soort))
                    .await?
                    .ok_or("de organisatie heeft geen contactpunt met e-mailadres")?;
                self.email
                    .stuur(
                        &aan,
                        &k.id,
                        &email::Inhoud {
                            soort: k.soort.clone(),
                            onderwerp: k.onderwerp.clone(),
                            link,
                            gegevens,
                        },
                    )
                    .await
            }
            Kanaal::Webhook => {
                let a = k.abonnement_id.clone().ok_or("geen abonnement")?;
                let (url, geheim) = self
                    .blok(move |c| crate::abonnement::doel(c, &a))
                    .await?
                    .ok_or("het abonnement bestaat niet meer")?;
                let geheim = self
                    .versleuteling
                    .ontsleutel(&geheim)
                    .map_err(|e| e.to_string())?;
                let body = webhook::cloudevent(
                    &k.id,
                    &k.soort,
                    &k.onderwerp,
                    from_db(k.aangemaakt_op),
                    &self.instelling.public_url,
                    &link,
                    gegevens.as_ref(),
                );
                // The delivery id is the `webhook-id` on every attempt; the timestamp is
                // this attempt's (Standard Webhooks).
                self.webhooks
                    .stuur(
                        &url,
                        &geheim,
                        webhook::Bericht {
                            id: &k.id,
                            tijdstip: self.klok.nu().timestamp(),
                            body: serde_json::to_vec(&body).expect("json"),
                        },
                    )
                    .await
            }
        }
    }
}

/// A dead or uncertain delivery, for the admin.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoodBericht {
    /// The delivery's id (use it to re-queue). Also its e-mail Message-ID and its
    /// `webhook-id`: ask the receiver whether it has it before re-queueing an uncertain one.
    pub id: String,
    /// `dood` (every attempt failed) or `onzeker` (its instance died while sending: the
    /// receiver may have it; not sent again unless re-queued).
    #[schema(example = "dood")]
    pub status: String,
    pub kanaal: String,
    pub abonnement: Option<String>,
    /// The event.
    pub bericht: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub organisatie: String,
    pub onderwerp: String,
    pub dataref: String,
    pub pogingen: i32,
    pub laatste_fout: Option<String>,
    pub aangemaakt_op: DateTime<Utc>,
}

type DoodRij = (
    String,
    Bezorgstatus,
    Kanaal,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    i32,
    Option<String>,
    chrono::NaiveDateTime,
);

fn dood_bericht(r: DoodRij) -> DoodBericht {
    DoodBericht {
        id: r.0,
        status: r.1.to_string(),
        kanaal: r.2.to_string(),
        abonnement: r.3,
        bericht: r.4,
        type_: r.5,
        organisatie: r.6,
        onderwerp: r.7,
        dataref: r.8,
        pogingen: r.9,
        laatste_fout: r.10,
        aangemaakt_op: from_db(r.11),
    }
}

macro_rules! dood_kolommen {
    () => {
        (
            bezorgingen::id,
            bezorgingen::status,
            bezorgingen::kanaal,
            bezorgingen::abonnement_id,
            outbox::id,
            outbox::soort,
            outbox::organisatie,
            outbox::onderwerp,
            outbox::dataref,
            bezorgingen::pogingen,
            bezorgingen::laatste_fout,
            bezorgingen::aangemaakt_op,
        )
    };
}

/// The sort key of the dead letters: when the delivery was created, then its id (newest
/// first), read on the partial index `bezorgingen (aangemaakt_op, id) WHERE status IN
/// ('dood', 'onzeker')` (migration `2026-12-04-000401_h17lijst2_lijstindexen`): the
/// delivered history is not in it, so a page costs the same however much was delivered.
pub type DoodSleutel = (chrono::NaiveDateTime, String);

/// The cursor list name of `GET /dode-berichten` (`store::venster::Cursor`).
pub const LIJST_DOOD: &str = "dode-berichten";

/// Dead or uncertain: as SQL text, not bound values, so that both planners match it to
/// the partial index's condition (a planner cannot prove a bound value meets it).
fn dood_of_onzeker() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql::<diesel::sql_types::Bool>("bezorgingen.status IN ('dood', 'onzeker')")
}

/// One page of the dead and uncertain deliveries, of one organisation's events or
/// (platform admin) all, newest first: keyset pagination and a bounded count
/// (`store::venster`). The organisation is the event's (`outbox.organisatie`), checked on
/// the joined row: dead letters are few beside the deliveries, so the walk over the
/// partial index that skips other organisations' stays short.
///
/// `privacy_van`: the organisation whose privacy-channel deliveries (`privacy.*`) are in
/// the page, `None` for none (`PRIVACYKANAAL_ALLEEN_FG`: they are the privacy officer's
/// of that organisation only, as in `GET /berichten`; to anyone else they do not exist).
pub fn doden(
    conn: &mut DbConnection,
    organisatie: Option<&str>,
    privacy_van: Option<&str>,
    v: &Venster<DoodSleutel>,
) -> QueryResult<Pagina<DoodBericht, DoodSleutel>> {
    let privacy_soorten = format!(
        "{}.{}.%",
        ketenregie_store::outbox::TYPE_PREFIX,
        ketenregie_store::outbox::PRIVACYKANAAL
    );
    let bouw = || {
        let mut q = bezorgingen::table
            .inner_join(outbox::table)
            .filter(dood_of_onzeker())
            .into_boxed();
        if let Some(o) = organisatie {
            q = q.filter(outbox::organisatie.eq(o.to_string()));
        }
        q = match privacy_van {
            Some(o) => q.filter(
                outbox::soort
                    .not_like(privacy_soorten.clone())
                    .or(outbox::organisatie.eq(o.to_string())),
            ),
            None => q.filter(outbox::soort.not_like(privacy_soorten.clone())),
        };
        q
    };
    let rijen: Vec<DoodRij> =
        ketenregie_store::venster_aflopend!(bouw(), v, bezorgingen::aangemaakt_op, bezorgingen::id)
            .offset(v.overslaan())
            .limit(v.op_te_halen())
            .select(dood_kolommen!())
            .load(conn)?;
    let telling = ketenregie_store::telling_aflopend!(
        conn,
        v,
        rijen.len(),
        bouw,
        bezorgingen::aangemaakt_op,
        bezorgingen::id
    )?;
    Ok(v.pagina(rijen, |r| (r.11, r.0.clone()), telling)
        .map(dood_bericht))
}

/// One delivery (any state), for access checks.
pub fn bezorging(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<(DoodBericht, Bezorgstatus)>> {
    bezorgingen::table
        .inner_join(outbox::table)
        .filter(bezorgingen::id.eq(id))
        .select(dood_kolommen!())
        .first::<DoodRij>(conn)
        .optional()
        .map(|r| {
            r.map(|d| {
                let status = d.1;
                (dood_bericht(d), status)
            })
        })
}

/// Put a dead or uncertain delivery back in the queue: attempts start again, due now (for
/// an uncertain one the admin's decision to risk a repeat; the receiver can recognise it
/// by its id).
pub fn opnieuw(conn: &mut DbConnection, id: &str, nu: DateTime<Utc>) -> QueryResult<bool> {
    let n = diesel::update(
        bezorgingen::table
            .filter(bezorgingen::id.eq(id))
            .filter(bezorgingen::status.eq_any([Dood, Onzeker])),
    )
    .set((
        bezorgingen::status.eq(Wachtend),
        bezorgingen::pogingen.eq(0),
        bezorgingen::volgende_poging_op.eq(to_db(nu)),
        bezorgingen::geclaimd_tot.eq(None::<chrono::NaiveDateTime>),
        bezorgingen::geclaimd_door.eq(None::<String>),
    ))
    .execute(conn)?;
    if n > 0 {
        let outbox_id: String = bezorgingen::table
            .find(id)
            .select(bezorgingen::outbox_id)
            .first(conn)?;
        diesel::update(outbox::table.find(outbox_id))
            .set(outbox::status.eq(Wachtend))
            .execute(conn)?;
    }
    Ok(n > 0)
}
