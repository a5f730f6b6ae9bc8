//! tideline-core: the domain of Tideline, pure (no I/O, no SQL, no HTTP).
//!
//! - [`category`]: the canonical vocabulary (Master List G-codes as a tree with flags),
//! - [`protocol`]: one adapter per source protocol, mapping codes to canonical categories,
//! - [`survey`]: normalisation of a beach-litter survey to per-survey values and flags,
//! - [`microplastics`]: water and sediment samples, flowmeters, particle vocabularies,
//! - [`units`], [`validation`] and [`stats`].

pub mod bounds;
pub mod catalogue;
pub mod category;
pub mod correction;
pub mod country;
pub mod i18n;
pub mod input;
pub mod microplastics;
pub mod precision;
pub mod protocol;
pub mod review;
pub mod site;
pub mod stats;
pub mod survey;
pub mod units;
pub mod validation;
pub mod vocabulary;
