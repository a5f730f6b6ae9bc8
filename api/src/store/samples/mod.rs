//! Microplastic samples: what a sample row holds, new samples set-based (`insert.rs`: the
//! sample rows and their particle counts through the COPY protocol), a corrected sample
//! rewritten in place, and samples read back (`read.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use postgis_diesel::types::Point;
use tideline_core::microplastics::{Matrix, Method, NormalisedSample, SampleInput};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;

use super::geo;
use crate::schema::{sample_particles, samples};

mod insert;
mod read;
pub use insert::insert;
use insert::insert_particles;
pub use read::{find, list, SampleRecord};

/// A sample as read from its envelope, with its normalisation.
pub struct NewSample {
    /// As sent.
    pub input: SampleInput,
    /// Normalised.
    pub sample: NormalisedSample,
}

// the sample row's columns, listed once (`store::columns`)
crate::store::columns::record_columns! {
    table: samples,
    keys: SampleKeys {
        city_id: i64,
        id: i64,
        submission_id: i64,
        team_id: i64,
        protocol: Protocol,
        mapping_version: String,
    },
    row: SampleRow,
    fields: SampleFields {
        site_id: Option<i64>,
        matrix: Matrix,
        method: Method,
        mesh_um: Option<f64>,
        sample_date: NaiveDate,
        sampled_at: Option<DateTime<Utc>>,
        location: Option<Point>,
        distance_m: Option<f64>,
        net_width_m: Option<f64>,
        mouth_area_m2: Option<f64>,
        volume_m3: Option<f64>,
        dry_mass_kg: Option<f64>,
        area_m2: Option<f64>,
        flowmeter_start: Option<i32>,
        flowmeter_end: Option<i32>,
        particle_count: i64,
        particles_per_km2: Option<f64>,
        particles_per_m3: Option<f64>,
        particles_per_kg: Option<f64>,
        particles_per_m2: Option<f64>,
        density_class: Option<String>,
        status: ReviewStatus,
        flags: serde_json::Value,
        rotor_m_per_count: Option<f64>,
        tow_duration_min: Option<f64>,
    },
}

impl SampleFields {
    fn of(site_id: Option<i64>, input: &SampleInput, sample: &NormalisedSample, status: ReviewStatus) -> Self {
        SampleFields {
            site_id,
            matrix: input.matrix,
            method: input.method,
            mesh_um: input.mesh_um,
            sample_date: input.date,
            sampled_at: input.started_at.map(|t| t.with_timezone(&Utc)),
            location: input.location.as_ref().map(geo::from_geo),
            distance_m: sample.distance_m,
            net_width_m: input.net_width_m,
            mouth_area_m2: input.mouth_area_m2,
            volume_m3: sample.volume_m3,
            dry_mass_kg: input.dry_mass_kg,
            area_m2: input.area_m2,
            flowmeter_start: input.flowmeter.map(|f| f.0 as i32),
            flowmeter_end: input.flowmeter.map(|f| f.1 as i32),
            particle_count: sample.particle_count as i64,
            particles_per_km2: sample.particles_per_km2,
            particles_per_m3: sample.particles_per_m3,
            particles_per_kg: sample.particles_per_kg,
            particles_per_m2: sample.particles_per_m2,
            density_class: sample.density_class.map(|c| c.as_str().to_string()),
            status,
            flags: serde_json::to_value(&sample.flags).unwrap_or_default(),
            rotor_m_per_count: sample.rotor_m_per_count,
            tow_duration_min: input.tow_duration_min,
        }
    }
}

/// Rewrites sample `sample_id` from a corrected input and normalisation, particles included.
pub fn write_sample(
    conn: &mut PgConnection,
    city_id: i64,
    sample_id: i64,
    site_id: Option<i64>,
    input: &SampleInput,
    sample: &NormalisedSample,
    status: ReviewStatus,
) -> QueryResult<()> {
    diesel::update(samples::table.find((city_id, sample_id)))
        .set(SampleFields::of(site_id, input, sample, status))
        .execute(conn)?;
    use sample_particles as p;
    diesel::delete(p::table.filter(p::city_id.eq(city_id)).filter(p::sample_id.eq(sample_id))).execute(conn)?;
    insert_particles(conn, &[(city_id, sample_id, sample)])
}
