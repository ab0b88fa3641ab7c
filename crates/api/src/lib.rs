//! The HTTP face of ketenregie: configuration, the actix-web application, authentication,
//! problem+json errors, telemetry and the OpenAPI document. No domain rule lives here;
//! handlers parse input, call the domain crates inside one transaction, and shape output.

pub mod app;
pub mod auth;
pub mod claims;
pub mod config;
pub mod db;
pub mod dev_token;
pub mod idempotentie;
pub mod inzage_html;
pub mod lichaam;
pub mod limieten;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod pad;
pub mod paging;
pub mod problem;
pub mod routes;
pub mod sleutels;
pub mod telemetry;
pub mod verbinding;
pub mod verwerking;
pub mod werkplek;

pub use app::Application;
pub use config::Config;

/// The API version, returned in the `API-Version` header of every response.
pub const API_VERSION: &str = "1.0.0";
