//! Statistics over surveys and samples, as pure functions: descriptive statistics, trends,
//! composition and assessment indices.

pub mod comparable;
pub mod composition;
pub mod descriptive;
pub mod indices;
pub mod normal;
pub mod pairwise;
pub mod reading;
pub mod scope;
pub mod sen;
pub mod series;
pub mod sorted;
pub mod trend;
pub(crate) mod trend_series;
