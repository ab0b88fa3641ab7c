//! Health and metrics, outside `/api/v1` and without authentication: for load balancers,
//! orchestrators and Prometheus. They reveal nothing about cases.

use crate::db;
use crate::metrics::Metrics;
use crate::problem::AppError;
use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;
use ketenregie_store::DbPool;

/// Liveness: the process answers.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Readiness: the database answers.
pub async fn ready(pool: web::Data<DbPool>) -> Result<HttpResponse, AppError> {
    db::run(&pool, |c| {
        c.batch_execute("SELECT 1")
            .map_err(|e| AppError::NietBeschikbaar(format!("De database antwoordt niet: {e}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})))
}

/// Prometheus text format.
pub async fn metrics(m: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(m.render())
}
