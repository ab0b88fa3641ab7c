//! Errors as `application/problem+json` (RFC 9457, Dutch API Design Rules).
//!
//! Handlers return `AppError`; actix's own extractor errors are turned into `AppError` by
//! the handlers installed in `app.rs`. The outer middleware (`middleware::kern`) then
//! completes every 4xx/5xx response, whatever produced it, with `instance` and `traceId`,
//! so no error leaves the service in another shape.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use ketenregie_common::InvalidParam;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The problem+json body.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI identifying the kind of problem.
    #[schema(
        format = "uri",
        example = "https://ketenregie.nl/problemen/ongeldige-invoer"
    )]
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 400)]
    pub status: u16,
    /// What went wrong in this occurrence and what to do about it.
    pub detail: String,
    /// The request path this occurrence belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The trace id of the request, to quote when asking for help.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// Every invalid input field (400, 422), or the fields a 403 refuses to let the caller change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub invalid_params: Vec<InvalidParam>,
}

/// Whether invalid input breaks the published schema (a 400) or only rules of the domain a
/// schema-valid request can break (a 422): `InvalidParam::breekt_schema` over every
/// problem; none named is a 400 (an unreadable request). A cursor of the documented shape
/// that the list did not issue (`store::venster::CURSOR_CODE`), or one sent with `page`,
/// is a 422: the schema cannot state either rule, so a client built from it may send it
/// (schemathesis' positive data check holds the server to that).
fn schendt_schema(fouten: &[InvalidParam]) -> bool {
    fouten.is_empty() || fouten.iter().any(|f| f.breekt_schema())
}

/// Every error a handler can return.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Invalid input: a 400 when a problem breaks the document's schema, a 422 when every
    /// problem names a rule of the domain (`schendt_schema`).
    #[error("ongeldige invoer")]
    Validatie {
        detail: String,
        fouten: Vec<InvalidParam>,
    },
    #[error("niet geauthenticeerd: {0}")]
    NietGeauthenticeerd(String),
    #[error("geen toegang: {0}")]
    GeenToegang(String),
    /// Refused by the policy decision; recorded in the audit trail by `verwerking::tx`.
    #[error("geweigerd: {}", .0.reden)]
    Geweigerd(ketenregie_privacy::Weigering),
    /// As `Geweigerd` (403, the same answer), on a record of `eigenaar`: the refusal's
    /// audit row goes into the owner's trail (`verwerking::weigering_van`).
    #[error("geweigerd: {}", .weigering.reden)]
    GeweigerdBij {
        eigenaar: String,
        weigering: ketenregie_privacy::Weigering,
    },
    #[error("niet gevonden: {0}")]
    NietGevonden(String),
    /// An existing record the caller's organisation has no relation to at all (not its
    /// owner, sender or receiver, and no agreement rule could let it see it). Answered
    /// exactly as an unknown id, a 404 with the same `detail`, so the answer is no
    /// existence oracle; `verwerking::tx` records the refusal in the audit trail of
    /// `eigenaar` (issue 11; the rule lives in `ketenregie_privacy::zicht`).
    #[error("niet gevonden: {detail}")]
    Verborgen {
        detail: String,
        eigenaar: String,
        reden: String,
    },
    /// Refused because of the named fields: a 403 with `invalidParams` (e.g. a change of
    /// an organisation's registered fields by anyone but the platform admin).
    #[error("geen toegang: {detail}")]
    GeenToegangVelden {
        detail: String,
        fouten: Vec<InvalidParam>,
    },
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        location: Option<String>,
    },
    #[error("voorwaarde mislukt: {0}")]
    VoorwaardeMislukt(String),
    #[error("media type niet ondersteund: {0}")]
    MediaType(String),
    #[error("te groot: {0}")]
    TeGroot(String),
    #[error("methode niet toegestaan")]
    MethodeNietToegestaan { allow: String },
    #[error("niet beschikbaar: {0}")]
    NietBeschikbaar(String),
    /// A rate limit or quota was reached (RFC 6585 §4): 429 with `Retry-After` in seconds
    /// (RFC 9110 §10.2.3).
    #[error("te veel verzoeken: {detail}")]
    TeVeel { detail: String, retry_after: u64 },
    /// A request with the same `Idempotency-Key` is still being handled: 409 with
    /// `Retry-After` (draft-ietf-httpapi-idempotency-key-header §2.6).
    #[error("in behandeling: {detail}")]
    InBehandeling { detail: String, retry_after: u64 },
    /// An `Idempotency-Key` already used for another request (another body, path or
    /// user), or sent to an operation that does not honour it: 422
    /// (draft-ietf-httpapi-idempotency-key-header §2.7), with `invalidParams` naming the
    /// header (`code`: `sleutel-hergebruikt` or `niet-ondersteund`), as every problem
    /// with a header names it (README "Errors").
    #[error("sleutel hergebruikt: {detail}")]
    SleutelHergebruikt { code: &'static str, detail: String },
    /// The request's header fields are too large (RFC 6585 §5).
    #[error("kopregels te groot: {0}")]
    KopTeGroot(String),
    /// The cause is logged with the trace id; the caller sees only that id.
    #[error("interne fout: {0}")]
    Intern(String),
}

impl AppError {
    /// The database cannot be reached now (no connection within the pool's timeout, a
    /// connection lost, a log batch that could not be committed for that reason): 503 with
    /// `Retry-After`, never the driver's words.
    pub fn database_onbereikbaar() -> Self {
        AppError::NietBeschikbaar(
            "De database is tijdelijk niet bereikbaar; probeer het zo opnieuw".into(),
        )
    }

    /// Invalid input naming `fouten`, each field and rule once (the first of the same
    /// field, by its JSON pointer, and the same `code`: a use case and the schema, or two
    /// rules of one use case, may name the same problem; README "Invalid input").
    pub fn validatie(mut fouten: Vec<InvalidParam>) -> Self {
        let mut i = 0;
        while i < fouten.len() {
            let pad = ketenregie_common::validatie::json_pointer(&fouten[i].name);
            let eerder = fouten[..i].iter().any(|f| {
                f.code == fouten[i].code
                    && ketenregie_common::validatie::json_pointer(&f.name) == pad
            });
            if eerder {
                fouten.remove(i);
            } else {
                i += 1;
            }
        }
        let n = fouten.len();
        AppError::Validatie {
            detail: if n == 1 {
                format!("1 veld is ongeldig: {}", fouten[0].reason)
            } else {
                format!("{n} velden zijn ongeldig; zie invalidParams")
            },
            fouten,
        }
    }

    /// A single invalid parameter with its reason.
    pub fn ongeldig(name: &str, code: &str, reason: impl Into<String>) -> Self {
        Self::validatie(vec![InvalidParam {
            name: name.to_string(),
            code: code.to_string(),
            reason: reason.into(),
        }])
    }

    pub fn intern(e: impl std::fmt::Display) -> Self {
        AppError::Intern(e.to_string())
    }

    fn slug_en_titel(&self) -> (&'static str, &'static str) {
        match self {
            AppError::Validatie { fouten, .. } if !schendt_schema(fouten) => {
                ("regel-geschonden", "De invoer breekt een regel")
            }
            AppError::Validatie { .. } => ("ongeldige-invoer", "De invoer is ongeldig"),
            AppError::NietGeauthenticeerd(_) => ("niet-geauthenticeerd", "Niet geauthenticeerd"),
            AppError::GeenToegang(_) | AppError::GeenToegangVelden { .. } => {
                ("geen-toegang", "Geen toegang")
            }
            AppError::Geweigerd(w) if w.toelichting_vereist => {
                ("toelichting-vereist", "Reden van raadpleging vereist")
            }
            AppError::Geweigerd(w) if w.door_convenant() => {
                ("geweigerd", "Geweigerd door het convenant")
            }
            // The detail names the rule (EIGEN_ORGANISATIE, a use case's rule).
            AppError::Geweigerd(_) => ("geweigerd", "Geweigerd door een toegangsregel"),
            AppError::GeweigerdBij { weigering, .. } => {
                AppError::Geweigerd(weigering.clone()).slug_en_titel()
            }
            AppError::NietGevonden(_) | AppError::Verborgen { .. } => {
                ("niet-gevonden", "Niet gevonden")
            }
            AppError::Conflict { .. } => ("conflict", "Conflict met de huidige toestand"),
            AppError::VoorwaardeMislukt(_) => ("voorwaarde-mislukt", "Voorwaarde mislukt"),
            AppError::MediaType(_) => ("media-type", "Media type niet ondersteund"),
            AppError::TeGroot(_) => ("te-groot", "Verzoek te groot"),
            AppError::MethodeNietToegestaan { .. } => {
                ("methode-niet-toegestaan", "Methode niet toegestaan")
            }
            AppError::NietBeschikbaar(_) => ("niet-beschikbaar", "Dienst niet beschikbaar"),
            AppError::TeVeel { .. } => ("te-veel-verzoeken", "Te veel verzoeken"),
            AppError::InBehandeling { .. } => ("in-behandeling", "Verzoek nog in behandeling"),
            // The problem type follows the `code`: a key on an operation that takes none
            // was never used before.
            AppError::SleutelHergebruikt {
                code: "niet-ondersteund",
                ..
            } => (
                "sleutel-niet-ondersteund",
                "Idempotency-Key niet ondersteund",
            ),
            AppError::SleutelHergebruikt { .. } => {
                ("sleutel-hergebruikt", "Idempotency-Key hergebruikt")
            }
            AppError::KopTeGroot(_) => ("kopregels-te-groot", "Kopregels te groot"),
            AppError::Intern(_) => ("interne-fout", "Interne fout"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_en_titel();
        let detail = match self {
            AppError::Validatie { detail, .. } => detail.clone(),
            AppError::NietGeauthenticeerd(d)
            | AppError::GeenToegang(d)
            | AppError::NietGevonden(d)
            | AppError::VoorwaardeMislukt(d)
            | AppError::MediaType(d)
            | AppError::TeGroot(d)
            | AppError::NietBeschikbaar(d)
            | AppError::KopTeGroot(d) => d.clone(),
            AppError::Conflict { detail, .. }
            | AppError::Verborgen { detail, .. }
            | AppError::GeenToegangVelden { detail, .. }
            | AppError::TeVeel { detail, .. }
            | AppError::InBehandeling { detail, .. }
            | AppError::SleutelHergebruikt { detail, .. } => detail.clone(),
            // The rule is named once: a reason that names it already stands as it is.
            AppError::Geweigerd(w) | AppError::GeweigerdBij { weigering: w, .. }
                if w.reden.contains(w.regel) =>
            {
                w.reden.clone()
            }
            AppError::Geweigerd(w) | AppError::GeweigerdBij { weigering: w, .. } => {
                format!("{} (regel {})", w.reden, w.regel)
            }
            AppError::MethodeNietToegestaan { allow } => {
                format!("Deze methode is hier niet toegestaan; toegestaan: {allow}")
            }
            AppError::Intern(_) => {
                "Er ging iets mis aan onze kant. Noem de traceId als u contact opneemt.".into()
            }
        };
        Problem {
            type_: format!("https://ketenregie.nl/problemen/{slug}"),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail,
            instance: None,
            trace_id: None,
            invalid_params: match self {
                AppError::Validatie { fouten, .. } | AppError::GeenToegangVelden { fouten, .. } => {
                    fouten.clone()
                }
                AppError::SleutelHergebruikt { code, detail } => vec![InvalidParam {
                    name: "Idempotency-Key".into(),
                    code: (*code).into(),
                    reason: detail.clone(),
                }],
                _ => vec![],
            },
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validatie { fouten, .. } if !schendt_schema(fouten) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Validatie { .. } => StatusCode::BAD_REQUEST,
            AppError::NietGeauthenticeerd(_) => StatusCode::UNAUTHORIZED,
            AppError::GeenToegang(_)
            | AppError::GeenToegangVelden { .. }
            | AppError::Geweigerd(_)
            | AppError::GeweigerdBij { .. } => StatusCode::FORBIDDEN,
            AppError::NietGevonden(_) | AppError::Verborgen { .. } => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::VoorwaardeMislukt(_) => StatusCode::PRECONDITION_FAILED,
            AppError::MediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TeGroot(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::MethodeNietToegestaan { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::NietBeschikbaar(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TeVeel { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::InBehandeling { .. } => StatusCode::CONFLICT,
            AppError::SleutelHergebruikt { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::KopTeGroot(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            AppError::Intern(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Intern(cause) = self {
            tracing::error!(oorzaak = %cause, "interne fout");
        }
        let mut res = HttpResponse::build(self.status_code());
        match self {
            AppError::NietGeauthenticeerd(d) => {
                let desc = d.replace('"', "'");
                res.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!("Bearer error=\"invalid_token\", error_description=\"{desc}\""),
                ));
            }
            AppError::Conflict {
                location: Some(l), ..
            } => {
                res.insert_header((header::LOCATION, l.as_str()));
            }
            AppError::MethodeNietToegestaan { allow } => {
                res.insert_header((header::ALLOW, allow.as_str()));
            }
            AppError::TeVeel { retry_after, .. } | AppError::InBehandeling { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            AppError::NietBeschikbaar(_) => {
                res.insert_header((
                    header::RETRY_AFTER,
                    ketenregie_common::fout::RETRY_AFTER_DB_SECONDEN.to_string(),
                ));
            }
            _ => {}
        }
        // The body is completed (instance, traceId) by the outer middleware.
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .json(self.problem())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => {
                AppError::NietGevonden("Het object bestaat niet".into())
            }
            other => AppError::intern(other),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        // The pool's message quotes the driver: logged, never sent.
        tracing::warn!(fout = %e, "geen databaseverbinding");
        AppError::database_onbereikbaar()
    }
}

/// A read's log rows that could not be committed (fail closed: the read's data is not
/// answered). The database away or every connection busy (`Logfout::onbereikbaar`) is a
/// 503 like any other request's; rows the database refused, or a stopped writer, a 500.
impl From<ketenregie_privacy::logboek::Logfout> for AppError {
    fn from(e: ketenregie_privacy::logboek::Logfout) -> Self {
        tracing::error!(fout = %e, "logregels van een lezing niet vastgelegd: geen antwoord");
        if e.onbereikbaar {
            AppError::database_onbereikbaar()
        } else {
            AppError::intern(e)
        }
    }
}

/// The one mapping of the domain error (`ketenregie_common::Fout`) to HTTP; the table is
/// in `Fout`'s documentation and `tests::elke_soort_fout` pins it.
impl From<ketenregie_common::Fout> for AppError {
    fn from(e: ketenregie_common::Fout) -> Self {
        use ketenregie_common::Fout as F;
        match e {
            F::Ongeldig(fouten) => AppError::validatie(fouten),
            F::NietGevonden(d) => AppError::NietGevonden(d),
            F::Verborgen {
                detail,
                eigenaar,
                reden,
            } => AppError::Verborgen {
                detail,
                eigenaar,
                reden,
            },
            F::Geweigerd {
                regel,
                reden,
                toelichting_vereist,
            } => AppError::Geweigerd(ketenregie_privacy::Weigering {
                regel,
                reden,
                toelichting_vereist,
            }),
            F::GeweigerdBij {
                eigenaar,
                regel,
                reden,
                toelichting_vereist,
            } => AppError::GeweigerdBij {
                eigenaar,
                weigering: ketenregie_privacy::Weigering {
                    regel,
                    reden,
                    toelichting_vereist,
                },
            },
            F::GeenToegang { reden, velden, .. } if velden.is_empty() => {
                AppError::GeenToegang(reden)
            }
            F::GeenToegang { reden, velden, .. } => AppError::GeenToegangVelden {
                detail: reden,
                fouten: velden,
            },
            F::Conflict {
                detail,
                huidig,
                toegestaan,
                locatie,
            } => AppError::Conflict {
                detail: match (huidig, toegestaan.is_empty()) {
                    (Some(h), false) => format!(
                        "{detail} (huidige status `{h}`; toegestaan vanuit hier: {})",
                        toegestaan.join(", ")
                    ),
                    (Some(h), true) => {
                        format!("{detail} (huidige status `{h}`; geen overgang mogelijk)")
                    }
                    (None, _) => detail,
                },
                location: locatie,
            },
            F::VoorwaardeMislukt(d) => AppError::VoorwaardeMislukt(d),
            e @ F::NietBeschikbaar { .. } => {
                if let Some(bron) = std::error::Error::source(&e) {
                    tracing::warn!(fout = %bron, "database niet beschikbaar");
                }
                let F::NietBeschikbaar { detail, .. } = e else {
                    unreachable!("matched above")
                };
                AppError::NietBeschikbaar(detail)
            }
            F::Intern(oorzaak) => AppError::Intern(oorzaak.to_string()),
        }
    }
}

/// A generic problem for a status that no `AppError` produced (actix internals).
pub fn problem_voor_status(status: StatusCode) -> Problem {
    let e = match status.as_u16() {
        400 => AppError::validatie(vec![]),
        401 => AppError::NietGeauthenticeerd("Geen geldig token".into()),
        403 => AppError::GeenToegang("Geen toegang".into()),
        404 => AppError::NietGevonden("Deze URL bestaat niet".into()),
        405 => AppError::MethodeNietToegestaan {
            allow: String::new(),
        },
        413 => AppError::TeGroot("Het verzoek is te groot".into()),
        415 => AppError::MediaType("Gebruik Content-Type: application/json".into()),
        429 => AppError::TeVeel {
            detail: "Te veel verzoeken; wacht even".into(),
            retry_after: 1,
        },
        431 => AppError::KopTeGroot("De kopregels van het verzoek zijn te groot".into()),
        503 => AppError::NietBeschikbaar("Tijdelijk niet beschikbaar".into()),
        _ => AppError::Intern(format!("status {status}")),
    };
    let mut p = e.problem();
    p.status = status.as_u16();
    if status.as_u16() == 400 {
        p.detail = "Het verzoek is ongeldig".into();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use ketenregie_common::Fout;

    async fn antwoord(f: Fout) -> (u16, Option<String>, serde_json::Value) {
        let e = AppError::from(f);
        let res = e.error_response();
        let status = res.status().as_u16();
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON,
            "every kind is problem+json"
        );
        let retry = res
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_string());
        let body = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        (status, retry, serde_json::from_slice(&body).unwrap())
    }

    /// The mapping of `Fout` to HTTP, kind by kind (ARCHITECTURE.md "Errors").
    #[actix_web::test]
    async fn elke_soort_fout() {
        // A rule the schema states: 400; only rules of the domain: 422 (another type).
        let (s, _, b) = antwoord(Fout::veld("bsn", "pattern", "`bsn` is geen 9 cijfers")).await;
        assert_eq!(
            (s, b["invalidParams"][0]["name"].as_str()),
            (400, Some("bsn"))
        );
        assert!(b["type"].as_str().unwrap().ends_with("ongeldige-invoer"));
        let (s, _, b) = antwoord(Fout::veld("bsn", "elfproef", "`bsn` klopt niet")).await;
        assert_eq!(
            (s, b["invalidParams"][0]["code"].as_str()),
            (422, Some("elfproef"))
        );
        assert!(b["type"].as_str().unwrap().ends_with("regel-geschonden"));
        let (s, _, _) = antwoord(Fout::Ongeldig(vec![
            InvalidParam {
                name: "bsn".into(),
                code: "elfproef".into(),
                reason: "klopt niet".into(),
            },
            InvalidParam {
                name: "naam".into(),
                code: "required".into(),
                reason: "ontbreekt".into(),
            },
        ]))
        .await;
        assert_eq!(s, 400, "any schema rule makes it a 400");

        let (s, _, gevonden) =
            antwoord(Fout::NietGevonden("Er is geen persoon met dit id".into())).await;
        assert_eq!(s, 404);
        let (s, _, verborgen) = antwoord(Fout::Verborgen {
            detail: "Er is geen persoon met dit id".into(),
            eigenaar: "politie".into(),
            reden: "geen relatie".into(),
        })
        .await;
        assert_eq!(s, 404);
        assert_eq!(verborgen, gevonden, "hidden reads exactly as unknown");

        let (s, _, b) = antwoord(Fout::geweigerd("CONVENANT_VEREIST", "geen convenant")).await;
        assert_eq!(s, 403);
        assert!(b["detail"].as_str().unwrap().contains("CONVENANT_VEREIST"));
        assert_eq!(b["title"], "Geweigerd door het convenant");
        // A rule of the service, not of an agreement: the title does not blame one.
        let (s, _, b) = antwoord(Fout::geweigerd(
            "ONTVANGER_KOPPELT_TERUG",
            "alleen de ontvanger koppelt terug",
        ))
        .await;
        assert_eq!(
            (s, b["title"].as_str()),
            (403, Some("Geweigerd door een toegangsregel"))
        );
        let (s, _, b) = antwoord(Fout::Geweigerd {
            regel: "REDEN_VERPLICHT",
            reden: "stuur X-Audit-Toelichting".into(),
            toelichting_vereist: true,
        })
        .await;
        assert_eq!(
            (
                s,
                b["type"].as_str().unwrap().ends_with("toelichting-vereist")
            ),
            (403, true)
        );

        let (s, _, b) = antwoord(Fout::geen_toegang(
            "ORGANISATIE_GEREGISTREERD",
            "Alleen de platformbeheerder registreert",
        ))
        .await;
        assert_eq!(
            (s, b["type"].as_str().unwrap().ends_with("geen-toegang")),
            (403, true)
        );
        let (s, _, b) = antwoord(Fout::GeenToegang {
            regel: "ORGANISATIE_GEREGISTREERD",
            reden: "Alleen de platformbeheerder wijzigt `soort`".into(),
            velden: vec![ketenregie_common::InvalidParam {
                name: "soort".into(),
                code: "platformbeheer".into(),
                reason: "geregistreerd".into(),
            }],
        })
        .await;
        assert_eq!(
            (s, b["invalidParams"][0]["name"].as_str()),
            (403, Some("soort"))
        );

        let (s, _, b) = antwoord(Fout::toestand(
            "Kan niet afsluiten",
            "requested",
            ["received", "cancelled"],
        ))
        .await;
        assert_eq!(s, 409);
        let d = b["detail"].as_str().unwrap();
        assert!(
            d.contains("requested") && d.contains("received, cancelled"),
            "{d}"
        );

        let (s, _, _) = antwoord(Fout::VoorwaardeMislukt("versie 2, verwacht 1".into())).await;
        assert_eq!(s, 412);

        let (s, retry, b) = antwoord(Fout::NietBeschikbaar {
            detail: "De database is even bezet".into(),
            retry_after: 1,
            bron: Some("no connection to the server\n".into()),
        })
        .await;
        assert_eq!((s, retry.as_deref()), (503, Some("1")));
        assert!(
            !b.to_string().contains("no connection"),
            "no driver text: {b}"
        );

        let (s, _, b) = antwoord(Fout::intern("geheime oorzaak")).await;
        assert_eq!(s, 500);
        assert!(
            !b.to_string().contains("geheime"),
            "no cause in the answer: {b}"
        );
    }

    /// A database error reaches the caller by kind: a unique key taken is a 409, a busy
    /// database a 503 with `Retry-After`, never a 500 with the driver's words.
    #[actix_web::test]
    async fn databasefouten_via_fout() {
        let (s, _, _) = antwoord(Fout::from(diesel::result::Error::NotFound)).await;
        assert_eq!(s, 404);
    }
}
