//! Persistence: every SQL statement of the service, grouped by what it stores. Functions
//! take a connection and return domain-shaped rows; handlers and the CLI call them.

pub mod bulk;
mod columns;
pub mod composition;
pub mod conflicts;
pub mod distribution;
pub mod exports;
pub mod features;
pub mod figures;
pub mod geo;
pub mod places;
pub mod records;
pub mod replays;
pub mod reviews;
pub mod rollups;
pub mod samples;
pub mod scope;
pub mod series;
pub mod stats;
pub mod summaries;
pub mod surveys;
pub mod teams;
pub mod tokens;
pub mod versions;
