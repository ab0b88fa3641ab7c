//! The bridge between a request and the privacy core: the processing context (actor,
//! trace ids, stated reason, break-glass, clock) and the transaction helper that records
//! refusals in the audit trail.

use crate::auth::Aanroeper;
use crate::config::Config;
use crate::db;
use crate::middleware::TraceId;
use crate::problem::AppError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use hmac::{Hmac, Mac};
use ketenregie_common::Klok;
use ketenregie_privacy::Context;
use ketenregie_privacy::logboek::{self, Object};
use ketenregie_privacy::pseudoniem::Pseudonimiseerder;
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::{DbConnection, DbPool};
use secrecy::ExposeSecret;
use sha2::Sha256;
use std::future::{Ready, ready};
use std::sync::Arc;

/// Header with the reason for a consultation (required where an agreement says so).
pub const TOELICHTING: &str = "x-audit-toelichting";
/// Header asking for break-glass access (`true`), with the reason in `X-Audit-Toelichting`.
pub const DOORBRAAK: &str = "x-doorbraak";

/// The pseudonymisation key: configured, or in development derived from the dev secret.
pub fn pseudonimiseerder(config: &Config) -> std::io::Result<Pseudonimiseerder> {
    use base64::Engine;
    let key = config.privacy.pseudonym_key.expose_secret();
    if !key.is_empty() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(key)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        return Ok(Pseudonimiseerder::new(&bytes));
    }
    let secret = crate::dev_token::secret(&config.auth.dev_secret_file)?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("HMAC takes any key");
    mac.update(b"ketenregie pseudonym key (development)");
    Ok(Pseudonimiseerder::new(&mac.finalize().into_bytes()))
}

/// The encryption of identifiers at rest: configured key, or in development derived from
/// the dev secret.
pub fn versleuteling(config: &Config) -> std::io::Result<Versleuteling> {
    use base64::Engine;
    let key = config.privacy.encryption_key.expose_secret();
    if !key.is_empty() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(key)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        return Ok(Versleuteling::new(&bytes));
    }
    let secret = crate::dev_token::secret(&config.auth.dev_secret_file)?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("HMAC takes any key");
    mac.update(b"ketenregie encryption key (development)");
    Ok(Versleuteling::new(&mac.finalize().into_bytes()))
}

/// Every column kept encrypted whose older rows may still hold plain text (issue 11
/// point 5). The personen, incidents, statements, arrangements, meldingen and feedback
/// were encrypted from their first version; the audit trail is left out on purpose: its
/// hash chain covers what each row stores, so its older rows keep their plain text
/// (`AUDIT_VERSLEUTELD`).
pub fn versleutelde_kolommen() -> Vec<ketenregie_store::herschrijven::Kolom> {
    let mut k = vec![
        ketenregie_privacy::eigen_verklaring::VERSLEUTELD,
        ketenregie_case::beschikkingen::VERSLEUTELD,
    ];
    k.extend(ketenregie_referral::opslag::STAPPEN_VERSLEUTELD);
    k.extend(ketenregie_case::betrokkenheid::VERSLEUTELD);
    k
}

/// `VERSLEUTEL_BIJ_START`: encrypt, in place, every value of `versleutelde_kolommen`
/// still stored in plain text (written before migration
/// `2026-11-30-000005_versleuteling_rest`; SQL cannot do it, the key is not in the
/// database). Runs at every start-up, after the migrations; a value already encrypted is
/// not touched, so after the first run it only checks. Returns the values encrypted per
/// column (`table.column`).
pub fn versleutel_rest(
    conn: &mut DbConnection,
    v: &Versleuteling,
) -> diesel::QueryResult<Vec<(String, usize)>> {
    versleutelde_kolommen()
        .into_iter()
        .map(|k| {
            let n = v.versleutel_oude_waarden(conn, k)?;
            Ok((format!("{}.{}", k.tabel, k.kolom), n))
        })
        .collect()
}

/// A header's value as text, never dropped: UTF-8 when its bytes are (what clients send
/// for "Zoë" or an en dash), else each byte as ISO-8859-1, the header fields' historical
/// charset (RFC 9110 §5.5). `HeaderValue::to_str` accepts visible ASCII only, so a reason
/// in Dutch with a diacritic was silently lost and a rule requiring a reason refused a
/// user who gave one (hostile review of h18).
pub(crate) fn koptekst(v: &actix_web::http::header::HeaderValue) -> String {
    match std::str::from_utf8(v.as_bytes()) {
        Ok(s) => s.to_string(),
        Err(_) => v.as_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}

/// The header's name as the API document declares it (`openapi::toelichtingskop`).
pub const TOELICHTING_KOP: &str = "X-Audit-Toelichting";

/// Rule `TOELICHTING_ZEGT_IETS`: a reason sent in `X-Audit-Toelichting` is one a
/// privacy officer can check afterwards: 10 to 500 characters as sent (the document's
/// `minLength`/`maxLength`: a 400), and of them at least 10 letters or digits, with no
/// control character or bidirectional control (`common::validatie::inhoud`; a 422). "x",
/// "-", a zero-width space or 20,000 characters were accepted and stored as the reason
/// (outside tester, Dec 2026). Not sent is no reason (a rule requiring one refuses, 403).
/// The figures are ours, not a law's (DOMAIN.md §4 asks the OM for a reason per request,
/// no length): 10 letters or digits is the least that names a case (a parketnummer
/// `09/123456-26` has 10), 500 characters a sentence or two, what the privacy officer
/// reads back in the trail.
pub const TOELICHTING_ZEGT_IETS: &str = "toelichting-zegt-iets";

/// `TOELICHTING_ZEGT_IETS` on a reason as sent; checked once, for every secured operation
/// of the API scope (`middleware::queryregels`), before a handler takes it (`Verwerking`).
pub(crate) fn toets_toelichting(t: &str) -> Result<(), AppError> {
    let n = t.chars().count();
    let fout = |code: &str, reden: String| {
        Err(AppError::validatie(vec![ketenregie_common::InvalidParam {
            name: TOELICHTING_KOP.into(),
            code: code.into(),
            reason: reden,
        }]))
    };
    if n < 10 {
        return fout(
            "minLength",
            format!(
                "`{TOELICHTING_KOP}` is korter dan 10 tekens; geef de reden van deze verwerking"
            ),
        );
    }
    if n > 500 {
        return fout(
            "maxLength",
            format!("`{TOELICHTING_KOP}` is langer dan 500 tekens"),
        );
    }
    // A control character is named as in a body; too few letters or digits below.
    if let Err((code, reden)) = ketenregie_common::validatie::inhoud(t, true)
        && code == ketenregie_common::regelcode::STUURTEKEN
    {
        return fout(code, format!("`{TOELICHTING_KOP}` {reden}"));
    }
    if t.chars().filter(|c| c.is_alphanumeric()).count() < 10 {
        return fout(
            TOELICHTING_ZEGT_IETS,
            format!(
                "`{TOELICHTING_KOP}` bevat minder dan 10 letters of cijfers; schrijf de reden in woorden (regel TOELICHTING_ZEGT_IETS)"
            ),
        );
    }
    Ok(())
}

/// The processing context of a request, as a handler argument.
#[derive(Debug, Clone)]
pub struct Verwerking(pub Context);

impl FromRequest for Verwerking {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready((|| {
            let Aanroeper(actor) = Aanroeper::from_request(req, payload).into_inner()?;
            // Its content was checked for every secured operation before the handler
            // (`middleware::queryregels`, TOELICHTING_ZEGT_IETS).
            let toelichting = req.headers().get(TOELICHTING).map(koptekst);
            let doorbraak = req
                .headers()
                .get(DOORBRAAK)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            Ok(Verwerking(context(req, actor, toelichting, doorbraak)?))
        })())
    }
}

/// The processing context for `actor` on this request: the trace ids, the stated reason
/// (trimmed, at most 500 characters, empty is none), break-glass, the clock's now and the
/// keys. The API takes the actor from the token and the reason from `X-Audit-Toelichting`;
/// the werkplek takes the actor from its session and the reason from a form field, so both
/// reach the use cases with the same context.
pub fn context(
    req: &HttpRequest,
    actor: ketenregie_common::Actor,
    toelichting: Option<String>,
    doorbraak: bool,
) -> Result<Context, AppError> {
    let trace_id = req
        .extensions()
        .get::<TraceId>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let parent_span_id = req
        .headers()
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .and_then(crate::middleware::traceparent_delen)
        .map(|(_, span)| span.to_string());
    let toelichting = toelichting
        .map(|s| s.trim().chars().take(500).collect::<String>())
        .filter(|s| !s.is_empty());
    let klok = req
        .app_data::<web::Data<Klok>>()
        .ok_or_else(|| AppError::intern("klok missing"))?;
    let pseudoniemen = req
        .app_data::<web::Data<Pseudonimiseerder>>()
        .ok_or_else(|| AppError::intern("pseudonimiseerder missing"))?
        .clone()
        .into_inner();
    let versleuteling = req
        .app_data::<web::Data<Versleuteling>>()
        .ok_or_else(|| AppError::intern("versleuteling missing"))?
        .clone()
        .into_inner();
    let stamgegevens = req
        .app_data::<web::Data<ketenregie_privacy::stamgegevens::Stamgegevens>>()
        .ok_or_else(|| AppError::intern("stamgegevens missing"))?
        .clone()
        .into_inner();
    // The instance's log writer: absent only where no application was built around the
    // request (then every log row is written in the request's own transaction).
    let groepslog = req
        .app_data::<web::Data<logboek::Logschrijver>>()
        .map(|s| logboek::Groepslog::met(s.get_ref().clone()))
        .unwrap_or_default();
    // The register's version stamp the authentication read for this request, if it did.
    let stempel = req
        .extensions()
        .get::<ketenregie_privacy::stamgegevens::Stempel>()
        .copied();
    Ok(Context {
        actor,
        trace_id,
        span_id: hex::encode(rand::random::<[u8; 8]>()),
        parent_span_id,
        toelichting,
        doorbraak,
        nu: klok.nu(),
        pseudoniemen: pseudoniemen as Arc<Pseudonimiseerder>,
        versleuteling,
        stamgegevens,
        stempel,
        groepslog,
    })
}

/// Run a privacy-checked operation in one transaction. When the policy decision refuses
/// (`AppError::Geweigerd`), the handler refuses for lack of a role (`AppError::GeenToegang`,
/// `AppError::GeenToegangVelden`), or the record is one the caller's organisation has no
/// relation to (`AppError::Verborgen`, answered as an unknown id), the operation rolls back
/// and the refusal is written to the audit trail of `object` (for `Verborgen`: of the
/// record's owner) in a transaction of its own; the caller gets the 403 or 404.
///
/// A read (`actie` "lezen") runs in read mode (issue 17 point 1): the use case runs in a
/// read transaction (`db::lees_tx`: no writer lock on SQLite), its log rows are collected
/// in the context (`logboek::Groepslog`) and handed to the instance's log writer, and this
/// returns only after the writer's batch with them committed. If that batch fails, the
/// read fails closed: 500, and the data read is not answered. Every other action writes
/// its log rows in its own transaction, as before.
pub async fn tx<T, F>(
    pool: &DbPool,
    ctx: &Context,
    actie: &'static str,
    object: Object,
    f: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    voer_uit(pool, ctx, actie, object, f, false).await
}

/// `tx` with action `lezen` for a use case that only reads (its statements read, its log
/// rows go to the log writer): in read mode without `BEGIN`/`COMMIT`, on both backends
/// (`db::lees_los`, where the reasons are), two round trips fewer. The log rows still
/// commit before the answer, and a refusal is written as by `tx`. Without a log writer
/// (no application around the request) it is `tx`: the log rows are then written
/// through the connection and need the transaction.
pub async fn lezing<T, F>(pool: &DbPool, ctx: &Context, object: Object, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    voer_uit(pool, ctx, "lezen", object, f, true).await
}

async fn voer_uit<T, F>(
    pool: &DbPool,
    ctx: &Context,
    actie: &'static str,
    object: Object,
    f: F,
    los: bool,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let leesmodus = actie == "lezen" && ctx.groepslog.schrijver().is_some();
    // The request's budget for database connections, counted from here (the read's own
    // run time counts too: milliseconds): its read's wait and its log rows' wait
    // together (`Logschrijver::schrijf`), so an outage answers 503 within about one
    // connection timeout.
    let uiterlijk = std::time::Instant::now() + pool.connection_timeout();
    let uitkomst = if leesmodus {
        ctx.groepslog.begin();
        let uitkomst = if los {
            db::lees_los(pool, f).await
        } else {
            db::lees_tx(pool, f).await
        };
        // Always leave read mode: a refusal below is written at once, and rows of a
        // failed read are dropped with its rollback.
        let rijen = ctx.groepslog.neem();
        match (uitkomst, ctx.groepslog.schrijver()) {
            (Ok(v), Some(s)) => {
                // Fail closed either way (no data): `From<Logfout> for AppError`.
                s.schrijf(rijen, uiterlijk).await?;
                Ok(v)
            }
            (uitkomst, _) => uitkomst,
        }
    } else {
        db::tx(pool, f).await
    };
    match uitkomst {
        Err(e) => {
            // A write refused by the object's state (409) or by its precondition (412:
            // `If-Match`, a form's version) is recorded as a refused attempt with its
            // status; a retry while the first request runs (`InBehandeling`) is not an
            // attempt of its own.
            if actie != "lezen"
                && let Some(status) = afgewezen_status(&e)
            {
                let (ctx, reden) = (ctx.clone(), e.problem().detail);
                db::tx(pool, move |c| {
                    logboek::afgewezen(c, &ctx, actie, object, status, &reden)
                        .map_err(AppError::from)
                })
                .await?;
                return Err(e);
            }
            let Some((object, w)) = weigering_van(&e, object) else {
                return Err(e);
            };
            let ctx = ctx.clone();
            db::tx(pool, move |c| {
                logboek::weigering(c, &ctx, actie, object, &w).map_err(AppError::from)
            })
            .await?;
            Err(e)
        }
        ok => ok,
    }
}

/// The audit object and the refusal to record for an error, if it is a refusal.
/// The status of a write refused by the object's state or its precondition, not by a
/// rule (those are `weigering_van`'s).
fn afgewezen_status(e: &AppError) -> Option<u16> {
    match e {
        AppError::Conflict { .. } => Some(409),
        AppError::VoorwaardeMislukt(_) => Some(412),
        _ => None,
    }
}

fn weigering_van(e: &AppError, object: Object) -> Option<(Object, ketenregie_privacy::Weigering)> {
    let w = |reden: String| ketenregie_privacy::Weigering {
        regel: "GEEN_TOEGANG",
        reden,
        toelichting_vereist: false,
    };
    match e {
        AppError::Geweigerd(w) => Some((object, w.clone())),
        AppError::GeweigerdBij {
            eigenaar,
            weigering,
        } => Some((
            Object {
                eigenaar: eigenaar.clone(),
                ..object
            },
            weigering.clone(),
        )),
        AppError::GeenToegang(d) | AppError::GeenToegangVelden { detail: d, .. } => {
            Some((object, w(d.clone())))
        }
        AppError::Verborgen {
            eigenaar, reden, ..
        } => Some((
            Object {
                eigenaar: eigenaar.clone(),
                ..object
            },
            w(format!("{reden} (beantwoord als onbekend id: 404)")),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::koptekst;
    use actix_web::http::header::HeaderValue;

    /// A stated reason with diacritics is kept, in UTF-8 and in ISO-8859-1 bytes alike.
    #[test]
    fn toelichting_met_diakrieten_blijft() {
        let utf8 = HeaderValue::from_bytes("Zoë – melding 09/000".as_bytes()).unwrap();
        assert_eq!(koptekst(&utf8), "Zoë – melding 09/000");
        let latin1 = HeaderValue::from_bytes(b"Zo\xeb, reden").unwrap();
        assert_eq!(koptekst(&latin1), "Zoë, reden");
        let ascii = HeaderValue::from_static("gewone reden");
        assert_eq!(koptekst(&ascii), "gewone reden");
    }
}
