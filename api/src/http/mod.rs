//! The HTTP layer: the actix-web application, its middleware, error rendering and handlers.

pub mod extract_errors;
pub mod health;
pub mod openapi;
pub mod problem;
pub mod request_id;
pub mod routes;
pub mod server;
