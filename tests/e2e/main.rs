//! End-to-end tests: a real Tideline server over HTTP against a real PostGIS database.

mod client;
mod errors;
mod health;
mod migrations;
mod openapi;
