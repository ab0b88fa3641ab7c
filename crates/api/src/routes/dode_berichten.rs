//! `/api/v1/dode-berichten`: deliveries (e-mail or webhook) that failed every attempt.
//! The functional admin sees and re-queues those of its own organisation's events, the
//! platform admin all of them. They carry a type and a reference, never personal data.

use crate::db;
use crate::paging::{self, Lijst, Paginering};
use crate::problem::{AppError, Problem};
use crate::routes::zicht;
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpRequest, HttpResponse, web};
use ketenregie_common::{Actor, Rol, Validatie};
use ketenregie_feedback::bezorging::{self, DoodBericht};
use ketenregie_privacy::logboek::Object;
use ketenregie_store::DbPool;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// The kind of record, as named in a 404.
const BEZORGING: &str = "bezorging";

/// None: all organisations (platform admin); Some(code): only that organisation's.
fn bereik(actor: &Actor) -> Result<Option<String>, AppError> {
    if actor.heeft_rol(Rol::Platformbeheerder) {
        Ok(None)
    } else if actor.heeft_rol(Rol::FunctioneelBeheerder) {
        Ok(Some(actor.organisatie.clone()))
    } else {
        Err(AppError::GeenToegang(
            "Dode berichten zijn voor de functioneel beheerder en de platformbeheerder".into(),
        ))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct LijstParams {
    /// Page number, from 1 (default 1).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub page: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub page_size: Option<String>,
}

#[utoipa::path(
    get, path = "/dode-berichten", tag = "berichten", operation_id = "dodeBerichtenOpvragen",
    summary = "Berichten die niet bezorgd konden worden",
    description = "Deliveries that failed `dispatcher.max_attempts` times, newest first, with the last error.",
    params(LijstParams),
    responses((status = 200, description = "Een pagina dode berichten", body = inline(Lijst<DoodBericht>))),
    security(("bearer" = []))
)]
pub async fn lijst(
    req: HttpRequest,
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    q: web::Query<LijstParams>,
) -> Result<HttpResponse, AppError> {
    let org = bereik(&ctx.actor)?;
    let mut v = Validatie::new();
    let p = Paginering::uit(&mut v, q.page.as_deref(), q.page_size.as_deref());
    paging::check(v)?;
    let (items, totaal) = db::run(&pool, move |c| {
        bezorging::doden(c, org.as_deref(), p.offset(), p.limit()).map_err(AppError::from)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Lijst::new(&req, p, totaal, items)))
}

#[utoipa::path(
    post, path = "/dode-berichten/{id}/_opnieuw", tag = "berichten", operation_id = "doodBerichtOpnieuw",
    summary = "Een dood bericht opnieuw aanbieden",
    description = "Puts the delivery back in the queue, due now, with its attempts counted afresh.",
    params(("id" = Uuid, Path, description = "Id of the dead delivery")),
    responses(
        (status = 200, description = "Weer in de wachtrij", body = DoodBericht),
        (status = 404, description = "Onbekend, of buiten het zicht van uw organisatie", body = Problem),
        (status = 409, description = "Niet dood", body = Problem),
    ),
    security(("bearer" = []))
)]
pub async fn opnieuw(
    Verwerking(ctx): Verwerking,
    pool: web::Data<DbPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let org = bereik(&ctx.actor)?;
    let id = id.into_inner().to_string();
    let nu = ctx.nu;
    let object = Object {
        soort: "dode-berichten",
        id: id.clone(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let b = verwerking::tx(&pool, &ctx, "opnieuw", object, move |c| {
        let (b, status) =
            bezorging::bezorging(c, &id)?.ok_or_else(|| zicht::onbekend(BEZORGING))?;
        // Another organisation's delivery is outside the view (EEN_ORGANISATIE_ZICHT).
        if org.as_deref().is_some_and(|o| o != b.organisatie) {
            return Err(zicht::verborgen(
                BEZORGING,
                &b.organisatie,
                "een bezorging van een andere organisatie",
            ));
        }
        if status != bezorging::Bezorgstatus::Dood {
            return Err(AppError::Conflict {
                detail: format!("Deze bezorging is `{status}`, niet dood"),
                location: None,
            });
        }
        bezorging::opnieuw(c, &id, nu)?;
        Ok(b)
    })
    .await?;
    Ok(HttpResponse::Ok().json(b))
}
