//! `/api/v1/berichten`: the notifications addressed to the caller's organisation (a new
//! melding in the inbox, a step by the other party, a melding no Veilig Thuis serves).
//! They carry a type and a reference, never personal data. E-mail and webhook delivery
//! of the same outbox rows is the feedback issue's work.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::AppError;
use crate::verwerking::Verwerking;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ketenregie_common::Validatie;
use ketenregie_store::{DbPool, outbox};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A notification (CloudEvents NL shape).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BerichtDto {
    pub id: String,
    /// E.g. `nl.ketenregie.zorgmeldingen.zorgmelding-ontvangen`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The id of the resource it is about.
    pub onderwerp: String,
    /// The resource to read (with its own access check).
    pub dataref: String,
    /// Delivery state: wachtend, afgeleverd, dood.
    pub status: String,
    pub aangemaakt_op: DateTime<Utc>,
    /// Data the event carries that is no personal data (the owner's notice of a
    /// disclosure: record, reader, purpose, time), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub gegevens: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct BerichtParams {
    /// Only this type (after `nl.ketenregie.`), e.g. `zorgmeldingen.zorgmelding-niet-routeerbaar`:
    /// a value of another form is a 400, a type the service never emits a 422, both naming
    /// `soort`.
    // 100: well over the longest type the service emits (42 characters); the length is
    // checked with the other declared bounds (`openapi::breekt`), the pattern here.
    #[param(pattern = r"^[a-z-]+(\.[a-z-]+)+$", max_length = 100)]
    pub soort: Option<String>,
    /// Page number, from 1 (default 1): a jump from the start, not with `cursor`.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
    /// The position of a page, as the links `next` and `previous` carry it (opaque; a
    /// cursor not issued by this list is a 422 naming `cursor`).
    #[param(pattern = "^[A-Za-z0-9_-]+$", max_length = 512)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/berichten", tag = "berichten", operation_id = "berichtenOpvragen",
    summary = "Berichten aan de eigen organisatie",
    description = "The notices addressed to the caller's organisation, newest first. Those of the `privacy` channel (`privacy.gegevens-verstrekt`, `privacy.quotum-overschreden`) are listed only for the role `privacyfunctionaris` (rule PRIVACYKANAAL_ALLEEN_FG); for anyone else they are not there, and a `soort` filter naming one gives an empty page.",
    params(BerichtParams),
    responses((status = 200, description = "Een pagina berichten, nieuwste eerst", body = inline(Lijst<BerichtDto>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<BerichtParams>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut v = Validatie::new();
    let p = Paginering::met_cursor(
        &mut v,
        q.page.as_deref(),
        q.page_size.as_deref(),
        q.cursor.as_deref(),
    );
    // An event type filter is one the service emits: a value of another form is a 400,
    // a well-formed one it never emits a 422 (never the value repeated).
    if let Some(s) = q.soort.as_deref() {
        // The parameter's pattern `^[a-z-]+(\.[a-z-]+)+$`: dotted words of small letters
        // (the shared query check does not read patterns; the cursor and municipality
        // parameters are checked in their handlers the same way).
        let woord =
            |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if !s.contains('.') || !s.split('.').all(woord) {
            v.fout(
                "soort",
                "pattern",
                "`soort` is een berichtsoort als termijnen.escalatie (kleine letters, punt en streepje)",
            );
        } else if !ketenregie_feedback::email::SOORTEN
            .iter()
            .any(|(k, _)| *k == s)
        {
            paging::check(v)?;
            return Err(AppError::ongeldig(
                "soort",
                "berichtsoort-onbekend",
                format!(
                    "`soort` is geen berichtsoort van deze dienst; bekend: {}",
                    ketenregie_feedback::email::SOORTEN
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    paging::check(v)?;
    let venster = p.venster(outbox::LIJST, q.cursor.as_deref())?;
    let org = ctx.actor.organisatie.clone();
    // `PRIVACYKANAAL_ALLEEN_FG`: the privacy channel's notices only for the privacy
    // officer; to anyone else they do not exist (a filter naming one: an empty page).
    let met_privacy = ketenregie_privacy::verantwoording::ziet_privacykanaal(&ctx.actor);
    let pagina = db::run(&pool, move |c| {
        outbox::voor(c, &org, q.soort.as_deref(), met_privacy, &venster).map_err(AppError::from)
    })
    .await?;
    let pagina = pagina.map(|b| BerichtDto {
        aangemaakt_op: b.aangemaakt(),
        id: b.id,
        type_: b.soort,
        onderwerp: b.onderwerp,
        dataref: b.dataref,
        status: b.status,
        gegevens: b
            .gegevens
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok()),
    });
    Ok(HttpResponse::Ok().json(Lijst::pagina(&req, outbox::LIJST, pagina)))
}
