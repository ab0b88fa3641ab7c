//! Limits (issue 11 point 6; OWASP API Security Top 10 2023 API4 "unrestricted resource
//! consumption" and API6 "unrestricted access to sensitive business flows"). Each answers
//! 429 `application/problem+json` with `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3).
//!
//! - `REQUESTS_PER_CLIENT`: requests per second per client address (the TCP peer, or the
//!   last address in `limits.trusted_proxy_header` when one is configured; IPv6 by /64,
//!   the block one host usually holds), before authentication, so a flood of bad tokens
//!   is cut off before any signature is checked.
//! - `REQUESTS_PER_USER`: requests per second per authenticated user (organisation and
//!   token `sub`), checked by `auth::authenticate`.
//!
//!   Both are GCRA rate limits (the `governor` crate) held in this instance's memory: each
//!   instance counts its own requests, so N instances behind a load balancer let through
//!   up to N times the configured rate. That is deliberate: they protect an instance, and
//!   a per-request database round trip would cost more than the work it guards.
//!
//! - `QUOTUM_PER_GEBRUIKER`: briefings and person look-ups per user per Dutch calendar day.
//!   A person look-up is every read by id of a record holding person data
//!   (`PERSOONSLEZING_TELT`, outside test of 2 Dec 2026, F3: once an id is known from a
//!   briefing, an uncounted read can be repeated without limit, OWASP API6):
//!   `GET /personen/{id}` with its `/eigen-verklaringen` and `/gezag`, `GET /gezinnen/{id}`,
//!   `GET /incidenten/{id}` and the statements of an incident or a beschikking (`quotum_persoon`);
//!   a melding, a hand-over and their feedback are not: only their parties reach them, as
//!   work addressed to them. Further an involvement registration
//!   (`POST /betrokkenheden`, whose matches tell about other organisations' records) and a
//!   person registration carrying a BSN (`POST /personen`; a BSN that matches nothing of the
//!   organisation's is the first step of such a probe), each counted before it runs
//!   (Europe/Amsterdam, `werkdagen::nl_datum`; a new day starts at local midnight), counted
//!   in the database so every instance agrees (`ketenregie_store::quota`). The look-up
//!   that crosses the quota notifies the organisation (`privacy.quotum-overschreden`, to be
//!   read by its privacy officer at `/api/v1/quotumoverschrijdingen/{id}`).

use crate::config::Config;
use crate::db;
use crate::problem::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::HeaderName;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, ResponseError, web};
use chrono::{DateTime, Utc};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use ketenregie_common::werkdagen::{begin_van_dag, nl_datum};
use ketenregie_common::{Actor, Klok};
use ketenregie_store::DbPool;
use ketenregie_store::quota::{self, Quotumsoort};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

/// Forget idle limiter state after this many requests (bounds memory under address
/// rotation; `retain_recent` drops keys whose state has fully recovered).
const OPRUIMEN_ELKE: u64 = 4096;

/// The limits of this instance, as app data.
pub struct Limieten {
    client: Option<DefaultKeyedRateLimiter<IpAddr>>,
    gebruiker: Option<DefaultKeyedRateLimiter<String>>,
    proxy_header: Option<HeaderName>,
    briefings_per_dag: u32,
    personen_per_dag: u32,
    verzoeken: AtomicU64,
    klok: DefaultClock,
}

impl std::fmt::Debug for Limieten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limieten")
            .field("client", &self.client.is_some())
            .field("gebruiker", &self.gebruiker.is_some())
            .field("briefings_per_dag", &self.briefings_per_dag)
            .field("personen_per_dag", &self.personen_per_dag)
            .finish()
    }
}

fn limiter<K: std::hash::Hash + Eq + Clone>(
    per_seconde: u32,
    burst: u32,
) -> Option<DefaultKeyedRateLimiter<K>> {
    let per_seconde = NonZeroU32::new(per_seconde)?;
    let burst = NonZeroU32::new(burst).unwrap_or(per_seconde);
    Some(DefaultKeyedRateLimiter::keyed(
        Quota::per_second(per_seconde).allow_burst(burst),
    ))
}

impl Limieten {
    pub fn uit(config: &Config) -> Self {
        let l = &config.limits;
        Self {
            client: limiter(l.client_per_second, l.client_burst),
            gebruiker: limiter(l.user_per_second, l.user_burst),
            proxy_header: Some(l.trusted_proxy_header.trim())
                .filter(|h| !h.is_empty())
                .and_then(|h| HeaderName::from_bytes(h.as_bytes()).ok()),
            briefings_per_dag: l.briefings_per_day,
            personen_per_dag: l.person_lookups_per_day,
            verzoeken: AtomicU64::new(0),
            klok: DefaultClock::default(),
        }
    }

    fn wacht(&self, n: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> u64 {
        let d = n.wait_time_from(self.klok.now());
        (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
    }

    /// `REQUESTS_PER_USER`: `Err(seconds to wait)` when `actor` is over its rate.
    pub fn gebruiker(&self, actor: &Actor) -> Result<(), u64> {
        match &self.gebruiker {
            Some(l) => l
                .check_key(&format!("{}\u{0}{}", actor.organisatie, actor.gebruiker))
                .map_err(|n| self.wacht(n)),
            None => Ok(()),
        }
    }

    fn opruimen(&self) {
        if self.verzoeken.fetch_add(1, Ordering::Relaxed) % OPRUIMEN_ELKE == OPRUIMEN_ELKE - 1 {
            if let Some(l) = &self.client {
                l.retain_recent();
                l.shrink_to_fit();
            }
            if let Some(l) = &self.gebruiker {
                l.retain_recent();
                l.shrink_to_fit();
            }
        }
    }

    /// The client address a request is counted under.
    fn client_adres(&self, req: &ServiceRequest) -> Option<IpAddr> {
        let via_proxy = self.proxy_header.as_ref().and_then(|h| {
            req.headers()
                .get_all(h)
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(adres)
                .last()
        });
        via_proxy
            .or_else(|| req.peer_addr().map(|a| a.ip()))
            .map(blok)
    }
}

/// An address as a proxy writes it: `203.0.113.7`, `203.0.113.7:5000`, `2001:db8::1`,
/// `[2001:db8::1]:443`, or `for=...` (RFC 7239).
fn adres(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s
        .split(';')
        .find_map(|d| {
            d.trim()
                .strip_prefix("for=")
                .or_else(|| d.trim().strip_prefix("For="))
        })
        .unwrap_or(s)
        .trim_matches('"');
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            s.strip_prefix('[')
                .and_then(|r| r.split(']').next())
                .and_then(|r| r.parse().ok())
        })
}

/// IPv6 addresses count per /64 (one host or one home network); IPv4 per address.
fn blok(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(_) => a,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

fn te_veel(detail: String, retry_after: u64) -> AppError {
    AppError::TeVeel {
        detail,
        retry_after,
    }
}

/// Middleware on `/api/v1`, inside `auth::authenticate`: `REQUESTS_PER_USER`, for a
/// request whose token was accepted.
pub async fn per_gebruiker(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(a) = crate::auth::actor_van(req.request())
        && let Some(l) = req.app_data::<web::Data<Limieten>>()
        && let Err(wacht) = l.gebruiker(&a)
    {
        let e = te_veel(
            "Te veel verzoeken van deze gebruiker; wacht het aantal seconden in Retry-After".into(),
            wacht,
        );
        return Ok(req.into_response(e.error_response()));
    }
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// Middleware on the whole application: `REQUESTS_PER_CLIENT`.
pub async fn per_client(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(l) = req.app_data::<web::Data<Limieten>>().cloned() {
        l.opruimen();
        if let (Some(limiter), Some(adres)) = (&l.client, l.client_adres(&req))
            && let Err(n) = limiter.check_key(&adres)
        {
            let e = te_veel(
                "Te veel verzoeken vanaf dit adres; wacht het aantal seconden in Retry-After"
                    .into(),
                l.wacht(n),
            );
            return Ok(req.into_response(e.error_response()));
        }
    }
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// Seconds from `nu` to the next Dutch calendar day (00:00 Europe/Amsterdam), when a daily
/// quota starts over.
fn tot_morgen(nu: DateTime<Utc>) -> u64 {
    let morgen = nl_datum(nu).succ_opt().map(begin_van_dag).unwrap_or(nu);
    u64::try_from((morgen - nu).num_seconds())
        .unwrap_or(0)
        .max(1)
}

/// Count one unit of `soort` against the daily quota of the request's user
/// (`QUOTUM_PER_GEBRUIKER`), in the database (all instances together); `AppError::TeVeel`
/// (429 with `Retry-After` until the next Dutch day) once the count passes the limit, the
/// organisation's privacy officer notified once per user per day (`quota::tel`). Nothing
/// happens without an authenticated actor or with the limit switched off (`0`).
pub async fn tel_quotum(req: &HttpRequest, soort: Quotumsoort) -> Result<(), AppError> {
    let actor = crate::auth::actor_van(req);
    let limieten = req.app_data::<web::Data<Limieten>>().cloned();
    let pool = req.app_data::<web::Data<DbPool>>().cloned();
    let klok = req.app_data::<web::Data<Klok>>().cloned();
    let (Some(actor), Some(l), Some(pool), Some(klok)) = (actor, limieten, pool, klok) else {
        return Ok(());
    };
    let limiet = match soort {
        Quotumsoort::Briefing => l.briefings_per_dag,
        Quotumsoort::Persoon => l.personen_per_dag,
    };
    if limiet == 0 {
        return Ok(());
    }
    let nu = klok.nu();
    let teller = db::tx(&pool, move |c| {
        quota::tel(
            c,
            &actor.organisatie,
            &actor.gebruiker,
            soort,
            nl_datum(nu),
            i64::from(limiet),
            nu,
        )
        .map_err(AppError::from)
    })
    .await?;
    if teller.aantal > i64::from(limiet) {
        let wat = match soort {
            Quotumsoort::Briefing => "briefings",
            Quotumsoort::Persoon => "opvragingen van personen",
        };
        return Err(te_veel(
            format!(
                "U heeft vandaag het maximum van {limiet} {wat} bereikt; de privacyfunctionaris van uw organisatie is ingelicht"
            ),
            tot_morgen(nu),
        ));
    }
    Ok(())
}

async fn quotum(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    soort: Quotumsoort,
    methode: Method,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if *req.method() == methode
        && let Err(e) = tel_quotum(req.request(), soort).await
    {
        return Ok(req.into_response(e.error_response()));
    }
    next.call(req).await.map(|r| r.map_into_boxed_body())
}

/// Middleware on `POST /briefings/_zoek`: `QUOTUM_PER_GEBRUIKER` for briefings.
pub async fn quotum_briefing(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    quotum(req, next, Quotumsoort::Briefing, Method::POST).await
}

/// Middleware on `POST /betrokkenheden`: `QUOTUM_PER_GEBRUIKER`, an involvement
/// registration counts as a person look-up (the outside test of 30 Nov 2026: registering
/// involvement on any BSN answers with the matches of other organisations, an oracle the
/// quota must limit like a look-up).
pub async fn quotum_betrokkenheid(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    quotum(req, next, Quotumsoort::Persoon, Method::POST).await
}

/// Middleware on every read by id of records that hold person data of any organisation
/// (`QUOTUM_PER_GEBRUIKER` for person look-ups, `PERSOONSLEZING_TELT`): `GET /personen/{id}`
/// and `GET /personen/{id}/eigen-verklaringen` (a read of the person record,
/// `VERKLARING_LEZEN_ALS_RECORD`), `GET /personen/{id}/gezag` (the child's and every
/// holder's id and name), `GET /gezinnen/{id}` (every member's), `GET /incidenten/{id}`
/// (the persons it names) and the statements of an incident or a beschikking (a read of
/// that record). Only the `GET` counts; the `POST` on the same path is a write.
pub async fn quotum_persoon(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    quotum(req, next, Quotumsoort::Persoon, Method::GET).await
}

/// The rule's name: every read by id of a record that holds person data counts as a
/// person look-up (`quotum_persoon`; module documentation).
pub const PERSOONSLEZING_TELT: &str = "PERSOONSLEZING_TELT";

/// Counters older than this many days go with the retention run.
pub const QUOTUM_BEWAARDAGEN: i64 = 90;

/// Retention of the daily counters: kept 90 days (`QUOTUM_BEWAARDAGEN`) for the privacy
/// officer's review, then removed with the notices about them. They hold a user id and
/// counts only.
#[derive(Debug, Clone, Copy)]
pub struct QuotumBron;

impl ketenregie_privacy::bewaring::Bewaarbron for QuotumBron {
    fn soorten(&self) -> &'static [&'static str] {
        &["gebruiksquota", "outbox", "bezorgingen"]
    }

    fn ruim_op(
        &self,
        conn: &mut ketenregie_store::DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> diesel::QueryResult<Vec<ketenregie_privacy::bewaring::Verwijderd>> {
        let grens = nl_datum(nu - chrono::Duration::days(QUOTUM_BEWAARDAGEN));
        let (tellers, berichten, bezorgd) = quota::opruimen(conn, grens, proef)?;
        let grond = ketenregie_privacy::bewaring::Bewaargrond {
            termijn_dagen: Some(QUOTUM_BEWAARDAGEN),
            ..ketenregie_privacy::bewaring::Bewaargrond::verlopen("QUOTUM_BEWAARDAGEN")
        };
        let mee =
            |soort, id: &String| ketenregie_privacy::bewaring::Verwijderd::mee(soort, id, &grond);
        Ok(tellers
            .iter()
            .map(|t| mee("gebruiksquota", t))
            .chain(berichten.iter().map(|b| mee("outbox", b)))
            .chain(bezorgd.iter().map(|b| mee("bezorgingen", b)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxyadressen() {
        assert_eq!(adres(" 203.0.113.7"), Some("203.0.113.7".parse().unwrap()));
        assert_eq!(
            adres("203.0.113.7:5000"),
            Some("203.0.113.7".parse().unwrap())
        );
        assert_eq!(
            adres("[2001:db8::1]:443"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            adres("for=\"[2001:db8::1]:443\";proto=https"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(adres("unknown"), None);
    }

    #[test]
    fn ipv6_per_64() {
        assert_eq!(
            blok("2001:db8:1:2:3:4:5:6".parse().unwrap()),
            blok("2001:db8:1:2:ffff::1".parse().unwrap())
        );
        assert_eq!(
            blok("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn quotum_tot_nederlandse_middernacht() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Winter time (CET, UTC+1): the Dutch day ends at 23:00Z.
        assert_eq!(tot_morgen(t("2026-11-30T22:59:30Z")), 30);
        assert_eq!(tot_morgen(t("2026-11-30T23:00:30Z")), 24 * 3600 - 30);
        // Summer time (CEST, UTC+2): at 22:00Z.
        assert_eq!(tot_morgen(t("2027-07-01T21:59:30Z")), 30);
        // The night clocks go back (2027-10-31 has 25 hours).
        assert_eq!(tot_morgen(t("2027-10-30T22:00:00Z")), 25 * 3600);
    }
}
