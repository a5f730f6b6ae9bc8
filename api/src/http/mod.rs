//! The HTTP layer: the actix-web application, its middleware, error rendering and handlers.

pub mod auth;
pub mod batch;
pub mod body_deadline;
pub mod corrections;
pub mod csv_out;
pub mod db;
pub mod extract_errors;
pub mod health;
pub mod openapi;
pub mod params;
pub mod places;
pub mod problem;
pub mod query_guard;
pub mod rate_limit;
pub mod record_endpoints;
pub mod records;
pub mod reports;
pub mod request_id;
pub mod routes;
pub mod samples;
pub mod series;
pub mod server;
pub mod stats;
pub mod stats_cache;
pub mod surveys;
pub mod teams;
