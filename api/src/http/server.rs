//! Builds the actix-web application and runs the HTTP server.

use std::net::TcpListener;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use super::stats_cache::StatsCache;
use super::{extract_errors, openapi::ApiDoc, request_id, routes};
use crate::auth::RateLimiter;
use crate::database::DbPool;

/// Settings of the HTTP service.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Requests per minute and token (0 = unlimited).
    pub rate_limit_per_minute: u32,
    /// Longest time a statistics answer is served from the cache (zero disables the cache).
    pub stats_cache_ttl: std::time::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self { rate_limit_per_minute: 600, stats_cache_ttl: std::time::Duration::from_secs(10) }
    }
}

/// The application with every route, the error handlers and the request-id middleware.
pub fn app(
    pool: DbPool,
    limiter: web::Data<RateLimiter>,
    cache: web::Data<StatsCache>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(web::Data::new(pool))
        .app_data(limiter)
        .app_data(cache)
        .app_data(extract_errors::json_config())
        .app_data(extract_errors::path_config())
        .app_data(extract_errors::query_config())
        .configure(routes::configure)
        .openapi_service(|api| SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", super::openapi::finish(api)))
        .map(|app| {
            app.route(
                "/docs",
                web::get()
                    .to(|| async { HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish() }),
            )
            .default_service(web::to(extract_errors::no_route))
            .wrap(ErrorHandlers::new().default_handler(extract_errors::ensure_problem))
            .wrap(from_fn(request_id::with_request_id))
        })
        .into_app()
}

/// Starts serving on `listener`. With `signals`, Ctrl-C / SIGTERM stop it gracefully;
/// without (servers embedded in tests and benchmarks), only its handle does.
pub fn start(
    listener: TcpListener,
    pool: DbPool,
    workers: usize,
    settings: Settings,
    signals: bool,
) -> std::io::Result<Server> {
    let limiter = web::Data::new(RateLimiter::new(settings.rate_limit_per_minute));
    let cache = web::Data::new(StatsCache::new(settings.stats_cache_ttl));
    let server = HttpServer::new(move || app(pool.clone(), limiter.clone(), cache.clone())).workers(workers);
    let server = if signals { server } else { server.disable_signals() };
    Ok(server.listen(listener)?.run())
}
