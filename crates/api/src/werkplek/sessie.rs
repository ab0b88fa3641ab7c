//! Sessions of the werkplek, kept in the database (`werkplek_sessies`) so that every
//! instance knows every session and a sign-out on one ends it on all.
//!
//! The browser holds only a random 256-bit id in the cookie `SESSIE_COOKIE`
//! (`HttpOnly; Secure; SameSite=Strict; Path=/werkplek`); the row is keyed by the id's
//! SHA-256, so the table cannot be replayed as cookies. A session ends after `INACTIEF`
//! without a request (idle time-out) and at the latest `ABSOLUUT` after sign-in (absolute
//! time-out), whatever happens; both are checked on every request against the system
//! clock (never the demo clock: moving the demo clock days ahead must not sign the user
//! out). Each session carries its own CSRF token (synchroniser token pattern, OWASP):
//! every form posts it back in `_csrf` and `Formulier` refuses a post without it.

use crate::auth::Toegang;
use crate::db;
use crate::problem::AppError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use ketenregie_common::{Actor, Rol};
use ketenregie_store::DbPool;
use ketenregie_store::schema::organisaties;
use ketenregie_store::schema::werkplek_sessies::dsl as s;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;

/// The session cookie's name.
pub const SESSIE_COOKIE: &str = "werkplek_sessie";
/// The sign-in form's own CSRF cookie (before there is a session: login CSRF).
pub const AANMELD_COOKIE: &str = "werkplek_aanmelden";
/// Idle time-out: 30 minutes without a request (BIO/NCSC guidance for web sessions on
/// personal data: short idle time-outs).
pub const INACTIEF: Duration = Duration::minutes(30);
/// Absolute time-out: a session lasts at most one working shift, 10 hours.
pub const ABSOLUUT: Duration = Duration::hours(10);

/// A signed-in user's session, as a handler argument. Extracting it requires a valid,
/// unexpired session (otherwise `AppError::NietGeauthenticeerd`, which the werkplek answers
/// with a redirect to the sign-in page) and records the request as activity.
#[derive(Debug, Clone)]
pub struct Sessie {
    pub actor: Actor,
    /// The name of the actor's organisation in the partner register, for the page header
    /// (WCAG 2.1 SC 3.1.3: people read names, not codes); the code if it has none.
    pub organisatienaam: String,
    pub csrf: String,
    /// Whether the cookie must be `Secure` (see `cookie`).
    pub veilig: bool,
}

impl Sessie {
    pub fn heeft_een(&self, rollen: &[Rol]) -> bool {
        rollen.iter().any(|r| self.actor.heeft_rol(*r))
    }
}

fn hash(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// A new random token (256 bits, hex).
pub fn willekeurig() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// Compare two tokens in time independent of where they differ.
pub fn gelijk(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn nu() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Create a session for `actor`; returns the cookie value (never stored). Refused as the
/// API refuses a token (`auth::Toegang`): the role `platformbeheerder` outside the platform
/// organisation (`PLATFORMBEHEER_EIGEN_ORGANISATIE`), an organisation outside the partner
/// register (`ORGANISATIE_GEREGISTREERD`); both shown as a 403 page naming the rule.
pub async fn maak(
    pool: &DbPool,
    toegang: Toegang,
    actor: Actor,
    ctx: ketenregie_privacy::Context,
) -> Result<String, AppError> {
    maak_met_tokens(pool, toegang, actor, None, ctx).await
}

/// `ORGANISATIE_GEREGISTREERD` at sign-in, for the person signing in: the API's wording
/// speaks of a token and a register path (WCAG 2.1 SC 3.3.3: say what it means and whom
/// to ask). The audit trail keeps the rule's name.
pub const NIET_GEREGISTREERD: &str = "Uw organisatie staat niet in het partnerregister van ketenregie, dus u kunt hier niet aanmelden. Vraag uw functioneel beheerder om de platformbeheerder te vragen uw organisatie te registreren.";

/// `PLATFORMBEHEER_EIGEN_ORGANISATIE` at sign-in, in the same way.
pub const PLATFORMROL_ELDERS: &str = "De rol platformbeheerder geldt alleen voor medewerkers van de platformorganisatie zelf; uw account heeft die rol bij een andere organisatie. Vraag uw beheerder die rol van uw account te halen.";

/// The refusal of one sign-in check (`NIET_GEREGISTREERD`, `PLATFORMROL_ELDERS`) as the
/// 403 page's `tekst`; any other error as it is.
pub fn aanmeldweigering(tekst: &'static str) -> impl Fn(AppError) -> AppError {
    move |e| match e {
        AppError::GeenToegang(_) | AppError::NietGeauthenticeerd(_) => {
            AppError::GeenToegang(tekst.into())
        }
        andere => andere,
    }
}

/// One audit row in the user's organisation's trail for a session begun (`aanmelden`) or
/// ended (`afmelden`), in the transaction that writes or removes it: who, when, with which
/// roles and application (`ctx`), never the cookie or its hash (README "De werkplek").
fn sessieregel(
    c: &mut ketenregie_store::DbConnection,
    ctx: &ketenregie_privacy::Context,
    actie: &str,
) -> Result<(), AppError> {
    use ketenregie_privacy::logboek::{self, AuditRegel, Object};
    let object = Object {
        soort: "werkplek-sessie",
        id: ctx.actor.gebruiker.chars().take(200).collect(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    logboek::audit(c, ctx, &AuditRegel::nieuw(actie, object, 200))
        .map_err(|e| AppError::from(ketenregie_common::Fout::from(e)))?;
    Ok(())
}

/// Create a session for `actor` signed in through the identity provider, keeping the
/// provider's tokens (`tokens`: already encrypted, `oidc::Tokens::versleuteld`) on the
/// server; returns the cookie value (never stored). Refused as `maak` says.
pub async fn maak_met_tokens(
    pool: &DbPool,
    toegang: Toegang,
    actor: Actor,
    tokens: Option<String>,
    ctx: ketenregie_privacy::Context,
) -> Result<String, AppError> {
    toegang
        .toets_rollen(&actor)
        .map_err(aanmeldweigering(PLATFORMROL_ELDERS))?;
    let id = willekeurig();
    let (h, csrf, t) = (hash(&id), willekeurig(), nu());
    db::tx(pool, move |c| {
        // At sign-in a refusal is shown as a 403 page in the user's words, not answered
        // with the sign-in page again, as a 401 of the werkplek is.
        toegang
            .toets_organisatie(c, &actor.organisatie)
            .map_err(aanmeldweigering(NIET_GEREGISTREERD))?;
        diesel::insert_into(s::werkplek_sessies)
            .values((
                s::id.eq(h),
                s::csrf.eq(csrf),
                s::gebruiker.eq(&actor.gebruiker),
                s::weergavenaam.eq(&actor.weergavenaam),
                s::organisatie.eq(&actor.organisatie),
                s::rollen.eq(actor
                    .rollen
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join(",")),
                s::applicatie.eq(&actor.applicatie),
                s::aangemaakt_op.eq(t),
                s::laatst_gebruikt_op.eq(t),
                s::verloopt_op.eq(t + ABSOLUUT),
                s::tokens.eq(tokens),
            ))
            .execute(c)
            .map_err(db::db_fout)?;
        // Sessions past either time-out are of no use: remove them while here.
        diesel::delete(
            s::werkplek_sessies.filter(
                s::verloopt_op
                    .lt(t)
                    .or(s::laatst_gebruikt_op.lt(t - INACTIEF)),
            ),
        )
        .execute(c)
        .map_err(db::db_fout)?;
        sessieregel(c, &ctx, "aanmelden")
    })
    .await?;
    Ok(id)
}

/// End the session with cookie value `id` (sign-out), on every instance; returns the
/// provider's tokens it kept (encrypted), if any, for the RP-initiated logout.
/// A session that still existed is recorded as ended (`afmelden`) in its user's
/// organisation's trail, with `ctx` (the request's trace id; the session's user).
pub async fn verwijder(
    pool: &DbPool,
    id: &str,
    ctx: Option<ketenregie_privacy::Context>,
) -> Result<Option<String>, AppError> {
    let h = hash(id);
    db::tx(pool, move |c| {
        let tokens: Option<Option<String>> = s::werkplek_sessies
            .filter(s::id.eq(&h))
            .select(s::tokens)
            .first(c)
            .optional()
            .map_err(db::db_fout)?;
        diesel::delete(s::werkplek_sessies.filter(s::id.eq(h)))
            .execute(c)
            .map_err(db::db_fout)?;
        if let (Some(_), Some(ctx)) = (&tokens, &ctx) {
            sessieregel(c, ctx, "afmelden")?;
        }
        Ok(tokens.flatten())
    })
    .await
}

type Rij = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
);

/// The session with cookie value `id`, if it is within both time-outs; its last use is
/// moved to now. An expired session is removed. A session whose actor the rules of
/// `auth::Toegang` refuse now (its organisation left the register, or its code changed)
/// is refused as the API would refuse its token: 401 or 403.
pub async fn lees(
    pool: &DbPool,
    toegang: Toegang,
    id: &str,
) -> Result<Option<(Actor, String, String)>, AppError> {
    let (h, t) = (hash(id), nu());
    let h2 = h.clone();
    let t2 = toegang.clone();
    // A read first (most requests only read); a write only to end or to touch it. The
    // register is read in the same trip (its version stamp; the entry from the cache).
    let rij: Option<(Rij, Option<String>)> = db::run(pool, move |c| {
        let rij: Option<Rij> = s::werkplek_sessies
            .filter(s::id.eq(&h2))
            .select((
                s::csrf,
                s::gebruiker,
                s::weergavenaam,
                s::organisatie,
                s::rollen,
                s::applicatie,
                s::laatst_gebruikt_op,
                s::verloopt_op,
            ))
            .first(c)
            .optional()
            .map_err(db::db_fout)?;
        let Some(r) = rij else { return Ok(None) };
        t2.toets_organisatie(c, &r.3)?;
        let naam: Option<String> = organisaties::table
            .filter(organisaties::code.eq(&r.3))
            .select(organisaties::naam)
            .first(c)
            .optional()
            .map_err(db::db_fout)?;
        Ok(Some((r, naam)))
    })
    .await?;
    let Some((
        (csrf, gebruiker, weergavenaam, organisatie, rollen, applicatie, laatst, tot),
        organisatienaam,
    )) = rij
    else {
        return Ok(None);
    };
    let organisatienaam = organisatienaam.unwrap_or_else(|| organisatie.clone());
    let verlopen = tot <= t || laatst + INACTIEF <= t;
    // Write the activity at most once a minute.
    if verlopen || t - laatst > Duration::minutes(1) {
        db::tx(pool, move |c| {
            let doel = s::werkplek_sessies.filter(s::id.eq(&h));
            if verlopen {
                diesel::delete(doel).execute(c)
            } else {
                diesel::update(doel)
                    .set(s::laatst_gebruikt_op.eq(t))
                    .execute(c)
            }
            .map_err(db::db_fout)
        })
        .await?;
    }
    if verlopen {
        return Ok(None);
    }
    let rollen = rollen
        .split(',')
        .filter_map(|r| Rol::from_str(r).ok())
        .collect();
    let actor = Actor {
        gebruiker,
        weergavenaam,
        organisatie,
        rollen,
        applicatie,
    };
    toegang.toets_rollen(&actor)?;
    Ok(Some((actor, csrf, organisatienaam)))
}

/// Move a session's clocks back by `terug` (tests of the time-outs only).
#[doc(hidden)]
pub async fn verouder(
    pool: &DbPool,
    id: &str,
    laatst_terug: Duration,
    begin_terug: Duration,
) -> Result<(), AppError> {
    let h = hash(id);
    db::tx(pool, move |c| {
        let (laatst, tot): (NaiveDateTime, NaiveDateTime) = s::werkplek_sessies
            .filter(s::id.eq(&h))
            .select((s::laatst_gebruikt_op, s::verloopt_op))
            .first(c)
            .map_err(db::db_fout)?;
        diesel::update(s::werkplek_sessies.filter(s::id.eq(&h)))
            .set((
                s::laatst_gebruikt_op.eq(laatst - laatst_terug),
                s::verloopt_op.eq(tot - begin_terug),
            ))
            .execute(c)
            .map_err(db::db_fout)?;
        Ok(())
    })
    .await
}

/// Whether the werkplek's cookies are `Secure`: always in production; in development mode
/// only when the request came over HTTPS, because a browser on `http://127.0.0.1` (the
/// `cargo run` set-up and the browser tests) does not send back a `Secure` cookie over
/// plain HTTP to a non-`localhost` name. Production serves the werkplek over HTTPS only.
pub fn veilig(req: &HttpRequest) -> bool {
    let ontwikkeling = req
        .app_data::<web::Data<crate::routes::demo_klok::Ontwikkeling>>()
        .is_some_and(|o| o.0);
    !ontwikkeling || req.connection_info().scheme() == "https"
}

/// A werkplek cookie as a `Set-Cookie` value: `HttpOnly` (never readable by script),
/// `SameSite=Strict`, path `/werkplek`, `Secure` per `veilig`; no `Max-Age`, so it ends
/// with the browser session (the server-side time-outs decide). Values are hex only.
pub fn cookie(naam: &str, waarde: &str, veilig: bool) -> String {
    format!(
        "{naam}={waarde}; Path=/werkplek; HttpOnly; SameSite=Strict{}",
        if veilig { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes `naam`.
pub fn weg(naam: &str, veilig: bool) -> String {
    format!("{}; Max-Age=0", cookie(naam, "", veilig))
}

/// The value of cookie `naam` in the request's `Cookie` headers.
pub fn lees_cookie(req: &HttpRequest, naam: &str) -> Option<String> {
    req.headers()
        .get_all(actix_web::http::header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == naam)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl FromRequest for Sessie {
    type Error = super::Fout;
    type Future = Pin<Box<dyn Future<Output = Result<Self, super::Fout>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(s) = req.extensions().get::<Sessie>() {
                return Ok(s.clone());
            }
            let geen = || AppError::NietGeauthenticeerd("Niet aangemeld".into());
            let id = lees_cookie(&req, SESSIE_COOKIE).ok_or_else(geen)?;
            let pool = req
                .app_data::<web::Data<DbPool>>()
                .cloned()
                .ok_or_else(|| AppError::intern("pool missing"))?;
            let toegang = Toegang::van(&req)?;
            let (actor, csrf, organisatienaam) =
                lees(&pool, toegang, &id).await?.ok_or_else(geen)?;
            let sessie = Sessie {
                actor,
                organisatienaam,
                csrf,
                veilig: veilig(&req),
            };
            req.extensions_mut().insert(sessie.clone());
            Ok(sessie)
        })
    }
}
