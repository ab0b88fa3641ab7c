//! `Idempotency-Key` for POST (DESIGN.md §4; draft-ietf-httpapi-idempotency-key-header):
//! a retry with the same key and the same request gets the first answer (same status,
//! `Location`, `ETag`, `Content-Type` and body), the same key with another request a 422, a retry while the first
//! is still running a 409 with `Retry-After`; never a 500. Keys are scoped per
//! organisation (the table's key is key and organisation) and expire.
//!
//! What is kept is only what a replay needs (status, `Location`, `ETag`, body), and the body is
//! AES-GCM encrypted like every other personal field (`privacy.encryption_key`). The
//! request is fingerprinted with a keyed hash (HMAC) over method, path, user and body (as
//! JSON, whitespace aside), so the
//! table holds no hash of personal data that could be confirmed by guessing, and another
//! user of the same organisation cannot obtain the answer by reusing the key. Answers
//! expire after `privacy.idempotency_hours`; an expired key counts as unused, and the
//! retention run (`IdempotentieBron`) removes it.

use crate::db;
use crate::problem::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use ketenregie_privacy::Context;
use ketenregie_privacy::bewaring::{Bewaarbron, Bewaargrond, Verwijderd};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::idempotentie::{self as opslag, BewaarFout};
use ketenregie_store::{DbConnection, DbPool};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How long answers are kept (`privacy.idempotency_hours`), as app data.
#[derive(Debug, Clone, Copy)]
pub struct IdempotentieInstelling {
    pub geldig: Duration,
}

impl Default for IdempotentieInstelling {
    fn default() -> Self {
        Self {
            geldig: Duration::hours(24),
        }
    }
}

/// One POST's idempotency state: its key (if the client sent one) and fingerprint.
#[derive(Clone)]
pub struct Idempotentie {
    sleutel: Option<String>,
    organisatie: String,
    vingerafdruk: String,
    geldig: Duration,
    versleuteling: Arc<Versleuteling>,
}

impl std::fmt::Debug for Idempotentie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Idempotentie")
            .field("sleutel", &self.sleutel)
            .finish()
    }
}

/// Longest accepted key (the draft leaves it open; a UUID is 36).
const MAX_SLEUTEL: usize = 255;

impl Idempotentie {
    /// From the request's `Idempotency-Key` header and raw body. A key that is not
    /// visible ASCII of at most 255 characters is a 400.
    pub fn uit(req: &HttpRequest, ctx: &Context, body: &[u8]) -> Result<Self, AppError> {
        let sleutel = match req.headers().get("idempotency-key") {
            None => None,
            Some(v) => {
                let s = v
                    .to_str()
                    .ok()
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && s.len() <= MAX_SLEUTEL)
                    .ok_or_else(|| {
                        AppError::ongeldig(
                            "Idempotency-Key",
                            "format",
                            format!(
                                "De Idempotency-Key is 1 tot {MAX_SLEUTEL} zichtbare ASCII-tekens"
                            ),
                        )
                    })?;
                Some(s.to_string())
            }
        };
        let geldig = req
            .app_data::<web::Data<IdempotentieInstelling>>()
            .map(|i| i.geldig)
            .unwrap_or_else(|| IdempotentieInstelling::default().geldig);
        // The body as JSON, so the same request with other whitespace is the same request;
        // a body that is no JSON by its bytes.
        let canoniek = serde_json::from_slice::<serde_json::Value>(body)
            .map(|v| v.to_string().into_bytes())
            .unwrap_or_else(|_| body.to_vec());
        let inhoud = hex::encode(Sha256::digest(&canoniek));
        Ok(Self {
            sleutel,
            organisatie: ctx.actor.organisatie.clone(),
            vingerafdruk: ctx.versleuteling.zoekhash(
                "idempotentie",
                &format!(
                    "{} {} {} {}",
                    req.method(),
                    req.path(),
                    ctx.actor.gebruiker.replace('\0', ""),
                    inhoud
                ),
            ),
            geldig,
            versleuteling: ctx.versleuteling.clone(),
        })
    }

    /// The earlier answer to replay, if this key was used before (and has not expired);
    /// a 409 when it was used for another request. A replay is in the caller's
    /// organisation's audit trail (action `herhalen`, in the same transaction as the
    /// look-up): it shows the stored answer, personal data included, again.
    pub async fn eerder(
        &self,
        pool: &DbPool,
        ctx: &Context,
    ) -> Result<Option<HttpResponse>, AppError> {
        let Some(sleutel) = self.sleutel.clone() else {
            return Ok(None);
        };
        let org = self.organisatie.clone();
        let vingerafdruk = self.vingerafdruk.clone();
        let c = ctx.clone();
        let eerder = db::tx(pool, move |conn| {
            let eerder = opslag::zoek(conn, &sleutel, &org, c.nu).map_err(AppError::from)?;
            if let Some(e) = &eerder
                && e.verzoek_hash == vingerafdruk
            {
                herhaling_in_audittrail(conn, &c, e)?;
            }
            Ok(eerder)
        })
        .await?;
        eerder.map(|e| self.herhaal(e)).transpose()
    }

    fn herhaal(&self, eerder: opslag::Eerder) -> Result<HttpResponse, AppError> {
        if eerder.verzoek_hash != self.vingerafdruk {
            return Err(AppError::SleutelHergebruikt {
                code: "sleutel-hergebruikt",
                detail: "Deze Idempotency-Key is al gebruikt voor een ander verzoek (andere body, ander pad of andere gebruiker); kies een nieuwe sleutel".into(),
            });
        }
        let body = self
            .versleuteling
            .ontsleutel(&eerder.antwoord)
            .map_err(AppError::intern)?;
        let mut res = HttpResponse::build(
            StatusCode::from_u16(eerder.status as u16).unwrap_or(StatusCode::OK),
        );
        if let Some(l) = eerder.locatie {
            res.insert_header(("Location", l));
        }
        // README: every mutable resource carries its version as a strong ETag on each
        // answer that shows it, the replayed one included.
        if let Some(e) = eerder.etag {
            res.insert_header((actix_web::http::header::ETAG, e));
        }
        Ok(res.content_type("application/json").body(body))
    }

    /// Record the answer (encrypted) inside the operation's transaction, with the headers
    /// a replay repeats: `Location` and, for a resource with a version, its `ETag`
    /// (`versie`, written as `crate::routes::etag` writes it). When a
    /// concurrent request with the same key committed first, this gives
    /// `AppError::InBehandeling`: the transaction rolls back and `na_afloop` answers.
    pub fn bewaar(
        &self,
        conn: &mut DbConnection,
        status: u16,
        locatie: Option<&str>,
        versie: Option<i64>,
        antwoord: &str,
        nu: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let Some(sleutel) = &self.sleutel else {
            return Ok(());
        };
        let etag = versie.map(|v| crate::routes::etag(v).1);
        opslag::bewaar(
            conn,
            sleutel,
            &self.organisatie,
            &self.vingerafdruk,
            i32::from(status),
            locatie,
            etag.as_deref(),
            &self.versleuteling.versleutel(antwoord),
            nu,
            nu + self.geldig,
        )
        .map_err(|e| match e {
            BewaarFout::AlGebruikt => in_behandeling(),
            BewaarFout::Db(e) => e.into(),
        })
    }

    /// After the operation's transaction: a request that lost the race on its key gets
    /// the winner's answer (or a 409 when the requests differ); if that answer is not
    /// visible yet, a 409 "in behandeling" with `Retry-After`. Never a 500.
    pub async fn na_afloop<T>(
        &self,
        pool: &DbPool,
        ctx: &Context,
        uitkomst: Result<T, AppError>,
    ) -> Result<Result<T, HttpResponse>, AppError> {
        match uitkomst {
            Err(AppError::InBehandeling { .. }) if self.sleutel.is_some() => {
                match self.eerder(pool, ctx).await? {
                    Some(res) => Ok(Err(res)),
                    None => Err(in_behandeling()),
                }
            }
            other => other.map(Ok),
        }
    }
}

/// The audit row of a replay: the record the stored answer shows (its `Location`), the
/// status it repeats.
fn herhaling_in_audittrail(
    conn: &mut DbConnection,
    ctx: &Context,
    e: &opslag::Eerder,
) -> Result<(), AppError> {
    let (soort, id) = e
        .locatie
        .as_deref()
        .and_then(|l| l.trim_start_matches("/api/v1/").split_once('/'))
        .unwrap_or(("idempotentie", "onbekend"));
    ketenregie_privacy::logboek::audit(
        conn,
        ctx,
        &ketenregie_privacy::logboek::AuditRegel::nieuw(
            "herhalen",
            ketenregie_privacy::logboek::Object {
                soort: soort_naam(soort),
                id: id.to_string(),
                eigenaar: ctx.actor.organisatie.clone(),
            },
            u16::try_from(e.status).unwrap_or(200),
        )
        .grondslag("Idempotency-Key: het antwoord op hetzelfde eerdere verzoek herhaald"),
    )?;
    Ok(())
}

/// The audit object kind of a replayed creation (`Object::soort` is static).
fn soort_naam(pad: &str) -> &'static str {
    match pad {
        "zorgmeldingen" => "zorgmeldingen",
        "personen" => "personen",
        _ => "idempotentie",
    }
}

fn in_behandeling() -> AppError {
    AppError::InBehandeling {
        detail:
            "Een verzoek met deze Idempotency-Key is nog in behandeling; probeer het zo opnieuw"
                .into(),
        retry_after: 1,
    }
}

/// Retention of idempotency answers: those past `verloopt_op` go. They are copies of an
/// answer, not records of their own, so their removal is counted but not written to the
/// processing log (the record they repeat has its own retention).
#[derive(Debug, Clone, Copy)]
pub struct IdempotentieBron;

impl Bewaarbron for IdempotentieBron {
    fn soorten(&self) -> &'static [&'static str] {
        &["idempotentie"]
    }

    fn ruim_op(
        &self,
        conn: &mut DbConnection,
        nu: DateTime<Utc>,
        proef: bool,
    ) -> diesel::QueryResult<Vec<Verwijderd>> {
        let n = opslag::opruimen(conn, nu, proef)?;
        let grond = Bewaargrond::verlopen("verloopt_op (Idempotency-Key)");
        Ok(Verwijderd::rijen("idempotentie", n, &grond)
            .into_iter()
            .collect())
    }
}
