//! New samples, set-based: their submissions (`bulk`), the sample rows and their particle
//! counts, each table in one COPY with ids reserved up front.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use postgis_diesel::types::Point;
use tideline_core::microplastics::{Matrix, Method, NormalisedSample};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;

use super::{NewSample, SampleFields};
use crate::schema::{sample_particles, samples};
use crate::store::bulk::{self, Prepared};
use crate::store::records::{Author, RecordKind};

/// One sample row, as COPY writes it: the keys and [`SampleFields`], flat (COPY takes no
/// nested insertable).
#[derive(Insertable)]
#[diesel(table_name = samples, treat_none_as_default_value = false)]
struct SampleRow<'a> {
    city_id: i64,
    id: i64,
    submission_id: i64,
    team_id: i64,
    protocol: Protocol,
    mapping_version: &'a str,
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

/// The keys of a new sample row: city, id, submission and team.
struct SampleKeys {
    city_id: i64,
    id: i64,
    submission_id: i64,
    team_id: i64,
}

impl<'a> SampleRow<'a> {
    fn new(keys: SampleKeys, mapping_version: &'a str, fields: SampleFields) -> Self {
        let SampleKeys { city_id, id, submission_id, team_id } = keys;
        let SampleFields {
            site_id,
            matrix,
            method,
            mesh_um,
            sample_date,
            sampled_at,
            location,
            distance_m,
            net_width_m,
            mouth_area_m2,
            volume_m3,
            dry_mass_kg,
            area_m2,
            flowmeter_start,
            flowmeter_end,
            particle_count,
            particles_per_km2,
            particles_per_m3,
            particles_per_kg,
            particles_per_m2,
            density_class,
            status,
            flags,
            rotor_m_per_count,
            tow_duration_min,
        } = fields;
        SampleRow {
            city_id,
            id,
            submission_id,
            team_id,
            protocol: Protocol::Tideline,
            mapping_version,
            site_id,
            matrix,
            method,
            mesh_um,
            sample_date,
            sampled_at,
            location,
            distance_m,
            net_width_m,
            mouth_area_m2,
            volume_m3,
            dry_mass_kg,
            area_m2,
            flowmeter_start,
            flowmeter_end,
            particle_count,
            particles_per_km2,
            particles_per_m3,
            particles_per_kg,
            particles_per_m2,
            density_class,
            status,
            flags,
            rotor_m_per_count,
            tow_duration_min,
        }
    }
}

/// Inserts the samples with their submissions and particle counts, each table through the
/// COPY protocol with ids reserved up front; returns the sample ids in input order. A unique
/// violation (a concurrent post of the same client id) fails the whole call, so run it in a
/// savepoint.
pub fn insert(conn: &mut PgConnection, author: &Author, records: &[Prepared<'_, NewSample>]) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let version = Protocol::Tideline.mapping_version();
    let submission_ids =
        bulk::insert_submissions(conn, author, RecordKind::Sample, records, |_| (Protocol::Tideline, version.clone()))?;
    let ids = bulk::reserve_ids(conn, "samples", records.len())?;
    let rows: Vec<SampleRow<'_>> = (records.iter().zip(&ids).zip(&submission_ids))
        .map(|((r, id), submission_id)| {
            let keys =
                SampleKeys { city_id: r.city_id, id: *id, submission_id: *submission_id, team_id: author.team_id };
            SampleRow::new(keys, &version, SampleFields::of(r.site_id, &r.record.input, &r.record.sample, r.status))
        })
        .collect();
    diesel::copy_from(samples::table).from_insertable(&rows).execute(conn)?;
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
pub(super) fn insert_particles(conn: &mut PgConnection, samples_: &[(i64, i64, &NormalisedSample)]) -> QueryResult<()> {
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
