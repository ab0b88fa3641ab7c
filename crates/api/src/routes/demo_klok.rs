//! `POST /api/v1/demo-klok/verschuivingen`: move the service's clock forward, so a demo or
//! a tour can let a feedback deadline pass (issue 7). Development mode only: in production
//! the route answers 404, as if it did not exist. The deadline scanner and every
//! timestamp follow the moved clock; nothing is ever moved back.
//!
//! The offset is stored in the database (table `demoklok`), not in one process: every
//! instance behind a load balancer and every restart agree on it (issue 14, finding 7).
//! The instance that moves it uses the new value at once; the others copy it in before
//! each scanner and dispatcher pass and at least once a second (`app.rs`).

use crate::auth::Aanroeper;
use crate::db;
use crate::problem::{AppError, Problem};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::{Klok, Rol, Validatie};
use ketenregie_store::schema::demoklok;
use ketenregie_store::{DbConnection, DbPool};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The stored demo clock offset, in seconds (0 when the row is missing).
pub fn lees(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(demoklok::table
        .find(1)
        .select(demoklok::verschuiving_seconden)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Move the stored offset forward by `seconden` in one statement (instances moving it at
/// once add up, none is lost); returns the new offset. Call inside a write transaction.
pub fn verzet(conn: &mut DbConnection, seconden: i64, nu: DateTime<Utc>) -> QueryResult<i64> {
    diesel::update(demoklok::table.find(1))
        .set((
            demoklok::verschuiving_seconden.eq(demoklok::verschuiving_seconden + seconden),
            demoklok::gewijzigd_op.eq(ketenregie_common::time::to_db(nu)),
        ))
        .execute(conn)?;
    lees(conn)
}

/// Copy the stored offset into `klok` (development mode; production never reads it).
pub async fn ververs(pool: &DbPool, klok: &Klok) -> Result<(), AppError> {
    let seconden = db::run(pool, |c| lees(c).map_err(AppError::from)).await?;
    klok.zet_demo_verschuiving(seconden);
    Ok(())
}

/// Whether the service runs in development mode (app data).
#[derive(Debug, Clone, Copy)]
pub struct Ontwikkeling(pub bool);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerschuivingInvoer {
    /// Hours to move forward (1 to 2,000).
    #[schema(required = true, value_type = i64, example = 150)]
    #[serde(default, deserialize_with = "ketenregie_common::geheel::optie")]
    pub uren: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KlokDto {
    /// The service's time now.
    pub nu: DateTime<Utc>,
    /// Total hours moved since start.
    pub verschuiving_uren: i64,
}

#[utoipa::path(
    post, path = "/demo-klok/verschuivingen", tag = "demo", operation_id = "demoKlokVerschuiven",
    summary = "Demoklok verzetten (alleen ontwikkelmodus)",
    description = "Moves the service's clock forward by `uren` hours so deadlines pass in a demo. Only in development mode and only for a functional or platform admin; in production the route does not exist (404).",
    request_body = VerschuivingInvoer,
    responses(
        (status = 200, description = "De klok is verzet", body = KlokDto),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 404, description = "Niet in productie", body = Problem),
    ),
    security(("bearer" = [])),
)]
pub async fn verschuif(
    Aanroeper(actor): Aanroeper,
    ontwikkeling: web::Data<Ontwikkeling>,
    klok: web::Data<Klok>,
    pool: web::Data<DbPool>,
    body: crate::lichaam::Json<VerschuivingInvoer>,
) -> Result<HttpResponse, AppError> {
    if !ontwikkeling.0 {
        return Err(AppError::NietGevonden(
            "Deze route bestaat alleen in ontwikkelmodus".into(),
        ));
    }
    if !(actor.heeft_rol(Rol::FunctioneelBeheerder) || actor.heeft_rol(Rol::Platformbeheerder)) {
        return Err(AppError::GeenToegang(
            "Alleen een functioneel beheerder verzet de demoklok".into(),
        ));
    }
    let mut v = Validatie::new();
    let uren = v.verplicht("uren", body.uren);
    if let Some(u) = uren
        && !(1..=2000).contains(&u)
    {
        v.fout("uren", "range", "`uren` ligt tussen 1 en 2000");
    }
    v.afronden(|| ()).map_err(AppError::validatie)?;
    let seconden = uren.unwrap_or_default() * 3600;
    let nu = klok.nu();
    let nieuw = db::tx(&pool, move |c| {
        verzet(c, seconden, nu).map_err(AppError::from)
    })
    .await?;
    klok.zet_demo_verschuiving(nieuw);
    Ok(HttpResponse::Ok().json(KlokDto {
        nu: klok.nu(),
        verschuiving_uren: klok.verschuiving().num_hours(),
    }))
}
