//! tideline-api: the HTTP API, persistence, CLI and the managed local PostGIS of Tideline.
//! The domain itself lives in `tideline-core`.

pub mod cli;
pub mod cluster;
pub mod database;
pub mod http;
#[rustfmt::skip]
pub mod schema;
pub mod testing;
