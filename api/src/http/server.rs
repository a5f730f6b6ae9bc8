//! Builds the actix-web application and runs the HTTP server.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use super::body_deadline::{self, BodyDeadline};
use super::db::ReadPool;
use super::publication::Publication;
use super::query_guard;
use super::rate_limit::{self, Limits, RateLimiter};
use super::stats_cache::StatsCache;
use super::{cors, extract_errors, head, openapi::ApiDoc, request_id, routes};
use crate::database::DbPool;

/// Settings of the HTTP service.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Requests per minute and token (0 = unlimited).
    pub rate_limit_per_minute: u32,
    /// Requests per minute and client address without a token (0 = unlimited).
    pub anonymous_rate_limit_per_minute: u32,
    /// Refused tokens per minute and client address before further attempts get 429 without
    /// a database look-up (0 = unlimited).
    pub failed_auth_per_minute: u32,
    /// Longest time a statistics answer is served from the cache (zero disables the cache).
    pub stats_cache_ttl: Duration,
    /// Longest time a cached answer is still served after a write through this server (zero:
    /// every write is seen by the next answer, as the tests expect; `serve` defaults to 2 s).
    pub stats_staleness: Duration,
    /// Most bytes of sites' statistics parts kept in memory (zero: every statistic reads every
    /// site of its scope).
    pub stats_parts_bytes: usize,
    /// Longest time the request headers may take to arrive (then 408).
    pub header_timeout: Duration,
    /// Longest time a request body may take to arrive (then 408).
    pub body_timeout: Duration,
    /// The licence, citation and map tiles of the published data.
    pub publication: Publication,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rate_limit_per_minute: 600,
            anonymous_rate_limit_per_minute: 1200,
            failed_auth_per_minute: 30,
            stats_cache_ttl: Duration::from_secs(10),
            stats_staleness: Duration::ZERO,
            stats_parts_bytes: 128 << 20,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            publication: Publication::default(),
        }
    }
}

/// The application with every route, the error handlers and the request-id middleware.
pub fn app(
    pool: DbPool,
    read: ReadPool,
    limits: web::Data<Limits>,
    cache: web::Data<StatsCache>,
    deadline: BodyDeadline,
    publication: web::Data<Publication>,
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
        .app_data(web::Data::new(read))
        .app_data(limits)
        .app_data(cache)
        .app_data(web::Data::new(deadline))
        .app_data(publication)
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
            .configure(super::pages::configure)
            .default_service(web::to(extract_errors::no_route))
            .wrap(from_fn(body_deadline::limit_body_time))
            .wrap(from_fn(query_guard::check_query_parameters))
            .wrap(from_fn(head::answer_head_as_get))
            .wrap(from_fn(rate_limit::limit_anonymous))
            .wrap(ErrorHandlers::new().default_handler(extract_errors::ensure_problem))
            .wrap(from_fn(request_id::with_request_id))
            .wrap(from_fn(cors::allow_any_origin))
        })
        .into_app()
}

/// Starts serving on `listener`. With `signals`, Ctrl-C / SIGTERM stop it gracefully;
/// without (servers embedded in tests and benchmarks), only its handle does.
pub fn start(
    listener: TcpListener,
    pool: DbPool,
    read_pool: Option<DbPool>,
    workers: usize,
    settings: Settings,
    signals: bool,
) -> std::io::Result<Server> {
    let limits = web::Data::new(Limits {
        tokens: RateLimiter::new(settings.rate_limit_per_minute),
        anonymous: RateLimiter::new(settings.anonymous_rate_limit_per_minute),
        failed_auth: RateLimiter::new(settings.failed_auth_per_minute),
    });
    let cache = web::Data::new(StatsCache::new(settings.stats_cache_ttl, settings.stats_staleness));
    let deadline = BodyDeadline(settings.body_timeout);
    let read = ReadPool {
        pool: read_pool.unwrap_or_else(|| pool.clone()),
        parts: std::sync::Arc::new(crate::read::PartCache::new(settings.stats_parts_bytes)),
    };
    let publication = web::Data::new(settings.publication);
    let server = HttpServer::new(move || {
        app(pool.clone(), read.clone(), limits.clone(), cache.clone(), deadline, publication.clone())
    })
    .workers(workers)
    .client_request_timeout(settings.header_timeout);
    let server = if signals { server } else { server.disable_signals() };
    Ok(server.listen(listener)?.run())
}
