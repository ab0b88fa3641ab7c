//! `POST /api/v1/demo-klok/verschuivingen`: move the service's clock forward, so a demo or
//! a tour can let a feedback deadline pass (issue 7). Development mode only: in production
//! the route answers 404, as if it did not exist. The deadline scanner and every
//! timestamp follow the moved clock; nothing is ever moved back.
//!
//! The offset is stored in the database (table `demoklok`), not in one process: every
//! instance behind a load balancer and every restart agree on it (issue 14, finding 7).
//! The instance that moves it uses the new value at once; the others copy it in before
//! each scanner and dispatcher pass and at least once a second (`app.rs`).

use crate::db;
use crate::problem::{AppError, Problem};
use crate::verwerking::{self, Verwerking};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ketenregie_common::{Klok, Rol, Validatie};
use ketenregie_privacy::logboek::{self, AuditRegel, Object};
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

/// The rule that only the platform's own admin moves the demo clock: the clock is one for
/// every organisation on the instance, so a functional admin of one partner (or of one
/// outside the pilot) moving it would shift everyone's deadlines (the tester's finding of
/// 30 Nov 2026).
pub const DEMOKLOK_PLATFORM: &str = "DEMOKLOK_PLATFORM";

/// `DEMOKLOK_PLATFORM`: the platform admin (whose role counts only in the platform
/// organisation, `auth::PLATFORMBEHEER_EIGEN_ORGANISATIE`), or a functional admin of the
/// platform organisation `platform` itself.
pub fn mag_verzetten(actor: &ketenregie_common::Actor, platform: &str) -> bool {
    actor.organisatie == platform
        && (actor.heeft_rol(Rol::Platformbeheerder) || actor.heeft_rol(Rol::FunctioneelBeheerder))
}

/// Whether the service runs in development mode (app data).
#[derive(Debug, Clone, Copy)]
pub struct Ontwikkeling(pub bool);

/// The fewest hours one move of the demo clock takes.
pub const MIN_UREN: i64 = 1;
/// The most hours one move of the demo clock takes (about twelve weeks: every deadline of
/// the chain passes in a demo).
pub const MAX_UREN: i64 = 2000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerschuivingInvoer {
    /// Hours to move forward (1 to 2,000).
    #[schema(required = true, value_type = i64, example = 150, minimum = 1, maximum = 2000)]
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
    description = "Moves the service's clock forward by `uren` hours so deadlines pass in a demo. Only in development mode, and only for the platform organisation's admin (`platformbeheerder`, or a `functioneel-beheerder` of `auth.platform_organisation`): the clock is shared by every organisation of the instance (rule DEMOKLOK_PLATFORM, 403 otherwise). In production the route does not exist (404).",
    request_body = VerschuivingInvoer,
    responses(
        (status = 200, description = "De klok is verzet", body = KlokDto),
        (status = 400, description = "Ongeldige invoer", body = Problem),
        (status = 403, description = "Niet de beheerder van de platformorganisatie (DEMOKLOK_PLATFORM)", body = Problem),
        (status = 404, description = "Niet in productie", body = Problem),
    ),
    security(("bearer" = [])),
)]
pub async fn verschuif(
    Verwerking(ctx): Verwerking,
    verifier: web::Data<crate::auth::Verifier>,
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
    let platform = verifier.platformorganisatie().to_string();
    let mag = mag_verzetten(&ctx.actor, &platform);
    let mut v = Validatie::new();
    let uren = v.verplicht("uren", body.uren);
    // The bounds the schema states (`minimum`, `maximum`), so a value outside them breaks
    // the schema like any other (the tester's finding of 1 Dec 2026: the document had no
    // bounds while the server refused 2800).
    if let Some(u) = uren
        && !(MIN_UREN..=MAX_UREN).contains(&u)
    {
        v.fout(
            "uren",
            if u < MIN_UREN { "minimum" } else { "maximum" },
            format!("`uren` ligt tussen {MIN_UREN} en {MAX_UREN}"),
        );
    }
    // Who may move it is decided before the input is looked at: a refusal names the rule
    // whatever was sent.
    let invoer = v.afronden(|| ()).map_err(AppError::validatie);
    let seconden = uren.unwrap_or_default() * 3600;
    let nu = klok.nu();
    // In a transaction of the audit trail (`verwerking::tx`): a refusal is recorded in the
    // caller's organisation's trail, a move in the platform's, with the hours moved.
    let object = Object {
        soort: "demo-klok",
        id: "1".into(),
        eigenaar: ctx.actor.organisatie.clone(),
    };
    let c = ctx.clone();
    let nieuw = verwerking::tx(&pool, &ctx, "verzetten", object.clone(), move |conn| {
        if !mag {
            return Err(AppError::GeenToegang(format!(
                "Alleen de beheerder van de platformorganisatie `{platform}` verzet de demoklok: die geldt voor iedere organisatie van deze dienst (regel {DEMOKLOK_PLATFORM})"
            )));
        }
        invoer?;
        let nieuw = verzet(conn, seconden, nu).map_err(AppError::from)?;
        logboek::audit(
            conn,
            &c,
            &AuditRegel {
                actie: "verzetten".into(),
                object,
                resultaat: 200,
                doorbraak: false,
                grondslag: None,
                oud: None,
                nieuw: Some(serde_json::json!({"uren": seconden / 3600, "verschuivingSeconden": nieuw})),
            },
        )
        .map_err(AppError::from)?;
        Ok(nieuw)
    })
    .await?;
    klok.zet_demo_verschuiving(nieuw);
    Ok(HttpResponse::Ok().json(KlokDto {
        nu: klok.nu(),
        verschuiving_uren: klok.verschuiving().num_hours(),
    }))
}

impl crate::lichaam::Invoer for VerschuivingInvoer {}
