//! Microplastic samples: new samples set-based (their submissions through `bulk`, the sample
//! rows and their particle counts in multi-row inserts), a corrected sample rewritten in
//! place, and samples read back (`read.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use postgis_diesel::types::Point;
use tideline_core::microplastics::{Matrix, Method, NormalisedSample, SampleInput};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;

use super::bulk::{self, Prepared};
use super::geo;
use super::records::{Author, RecordKind};
use crate::schema::{sample_particles, samples};

mod read;
pub use read::{find, list, SampleRecord};

/// A sample as read from its envelope, with its normalisation.
pub struct NewSample {
    /// As sent.
    pub input: SampleInput,
    /// Normalised.
    pub sample: NormalisedSample,
}

/// The fields of a sample row that its input and normalisation decide: a new sample's, a
/// correction's, and what a read returns.
#[derive(Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = samples, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
struct SampleFields {
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

/// Sample rows per insert: 30 parameters each, under PostgreSQL's 65 535 per statement.
const SAMPLE_ROWS_PER_INSERT: usize = 1_000;

/// Inserts the samples with their submissions and particle counts; returns the sample ids in
/// input order. A unique violation (a concurrent post of the same client id) fails the whole
/// call, so run it in a savepoint.
pub fn insert(conn: &mut PgConnection, author: &Author, records: &[Prepared<'_, NewSample>]) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let version = Protocol::Tideline.mapping_version();
    let submission_ids =
        bulk::insert_submissions(conn, author, RecordKind::Sample, records, |_| (Protocol::Tideline, version.clone()))?;
    let rows: Vec<_> = (records.iter().zip(&submission_ids))
        .map(|(r, submission_id)| {
            (
                samples::city_id.eq(r.city_id),
                samples::submission_id.eq(*submission_id),
                samples::team_id.eq(author.team_id),
                samples::protocol.eq(Protocol::Tideline),
                samples::mapping_version.eq(&version),
                SampleFields::of(r.site_id, &r.record.input, &r.record.sample, r.status),
            )
        })
        .collect();
    let mut by_submission = std::collections::HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(SAMPLE_ROWS_PER_INSERT) {
        let inserted: Vec<(i64, i64)> = diesel::insert_into(samples::table)
            .values(chunk)
            .returning((samples::submission_id, samples::id))
            .get_results(conn)?;
        by_submission.extend(inserted);
    }
    let ids: Vec<i64> = submission_ids
        .iter()
        .map(|s| by_submission.get(s).copied().ok_or(diesel::NotFound))
        .collect::<QueryResult<_>>()?;
    let particles: Vec<(i64, i64, &NormalisedSample)> =
        (records.iter().zip(&ids)).map(|(r, id)| (r.city_id, *id, &r.record.sample)).collect();
    insert_particles(conn, &particles)?;
    Ok(ids)
}

/// One particle-count row, as COPY writes it.
#[derive(Insertable)]
#[diesel(table_name = sample_particles, treat_none_as_default_value = false)]
struct ParticleRow<'a> {
    city_id: i64,
    sample_id: i64,
    shape: &'a str,
    polymer: &'a str,
    size_class: &'a str,
    count: i32,
}

/// Inserts the particle counts of these samples (city, sample id, normalisation) through the
/// COPY protocol.
fn insert_particles(conn: &mut PgConnection, samples_: &[(i64, i64, &NormalisedSample)]) -> QueryResult<()> {
    let rows: Vec<ParticleRow<'_>> = samples_
        .iter()
        .flat_map(|(city_id, sample_id, sample)| {
            sample.particles.iter().map(move |x| ParticleRow {
                city_id: *city_id,
                sample_id: *sample_id,
                shape: x.shape.as_str(),
                polymer: x.polymer.as_str(),
                size_class: x.size_class.as_str(),
                count: x.count.min(i32::MAX as u64) as i32,
            })
        })
        .collect();
    if !rows.is_empty() {
        diesel::copy_from(sample_particles::table).from_insertable(&rows).execute(conn)?;
    }
    Ok(())
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
