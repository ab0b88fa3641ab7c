//! The route table of the API.

use super::extractie::openapi_document;
use super::*;

/// A resource whose unmatched methods answer 405 with `Allow`.
pub(crate) fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(geen_route))
}

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(gezondheid::live))
        .route("/health/ready", web::get().to(gezondheid::ready))
        .route("/metrics", web::get().to(gezondheid::metrics))
        // `/docs` as typed from the start-up line, to the documentation's own path.
        .route(
            "/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((actix_web::http::header::LOCATION, "/docs/"))
                    .finish()
            }),
        )
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                // No online validator: Swagger UI would send the document's URL (and so
                // the internal host name) to validator.swagger.io.
                .config(
                    utoipa_swagger_ui::Config::from("/api/v1/openapi.json").validator_url("none"),
                ),
        )
        .service(
            // The one route list (`routes::tabel`), then the scope's middleware.
            crate::routes::tabel::api_routes(
                web::scope(API_PREFIX)
                    .service(resource("/openapi.json").route(web::get().to(openapi_document))),
            )
            .default_service(web::to(geen_route))
            // A handler's refusal of a body it read names the schema's problems too.
            .wrap(from_fn(crate::lichaam::schema_bij_weigering))
            // Query parameters as documented, once the caller is known.
            .wrap(from_fn(crate::middleware::queryregels))
            // Authentication first (outer), then the per-user rate limit on its outcome.
            .wrap(from_fn(crate::limieten::per_gebruiker))
            .wrap(from_fn(auth::authenticate))
            // One body policy (content type, size) before anything reads a body.
            .wrap(from_fn(crate::middleware::lichaamsbeleid)),
        );
}
