//! End-to-end tests: a real Tideline server over HTTP against a real PostGIS database.

mod bodies;
mod client;
mod corpus;
mod corrections;
mod errors;
mod exports;
mod hardening;
mod health;
mod import;
mod import_cli;
mod import_ugly;
mod indicators;
mod ingest;
mod migrations;
mod network;
mod openapi;
mod raw;
mod renormalise;
mod review;
mod rollups;
mod samples;
mod sites;
mod stats;
mod top_x;
mod trends;
mod vocabularies;
