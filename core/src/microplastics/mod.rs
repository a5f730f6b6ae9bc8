//! Microplastic samples of water and sediment: flowmeter distances, particle vocabularies and
//! the normalisation of a sample to concentrations, composition and density class.

pub mod flowmeter;
mod sample;
pub mod vocabulary;

pub use sample::{normalise_sample, Matrix, Method, NormalisedSample, ParticleCount, ParticleTotal, SampleInput};
