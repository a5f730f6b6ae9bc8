//! tideline-api: the HTTP API, persistence, CLI and the managed local PostGIS of Tideline.
//! The domain itself lives in `tideline-core`.

pub mod admin;
pub mod cli;
pub mod cluster;
pub mod database;
pub mod demo;
pub mod http;
pub mod import;
pub mod ingest;
pub mod read;
pub mod renormalise;
#[rustfmt::skip]
pub mod schema;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
