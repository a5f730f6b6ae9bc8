//! Samples read back as API records: one with its particle counts, or a keyset page.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use tideline_core::microplastics::{Matrix, Method, ParticleTotal};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::GeoPoint;
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use crate::schema::{sample_particles, samples as r, submissions as sub};
use crate::store::geo;
use crate::store::records::{list_filter, within_scope, ReadScope, RecordKind};
use crate::store::surveys::ListFilter;
use crate::store::versions;

/// A stored microplastic sample as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SampleRecord {
    /// Tideline's id.
    pub id: i64,
    /// The app's UUID (idempotency key).
    pub client_id: uuid::Uuid,
    /// Posting team.
    pub team_id: i64,
    /// City.
    pub city_id: i64,
    /// Site (absent while unassigned).
    pub site_id: Option<i64>,
    /// Review status: only accepted samples count in statistics.
    pub status: ReviewStatus,
    /// Mapping used.
    pub mapping_version: String,
    /// What was sampled.
    pub matrix: Matrix,
    /// How it was sampled.
    pub method: Method,
    /// Mesh, µm.
    pub mesh_um: Option<f64>,
    /// Local date.
    pub date: NaiveDate,
    /// Start instant (UTC).
    pub started_at: Option<DateTime<Utc>>,
    /// Position.
    pub location: Option<GeoPoint>,
    /// Distance towed, m.
    pub distance_m: Option<f64>,
    /// Volume filtered, m³.
    pub volume_m3: Option<f64>,
    /// Total particles.
    pub particle_count: i64,
    /// Particles per km².
    pub particles_per_km2: Option<f64>,
    /// Particles per m³.
    pub particles_per_m3: Option<f64>,
    /// Particles per kg dry weight.
    pub particles_per_kg: Option<f64>,
    /// Particles per m².
    pub particles_per_m2: Option<f64>,
    /// NOAA NCEI density class (water).
    pub density_class: Option<String>,
    /// Plausibility flags.
    #[schema(value_type = Vec<Flag>)]
    pub flags: serde_json::Value,
    /// Particle counts (in single-record answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub particles: Option<Vec<ParticleTotal>>,
    /// When Tideline received it.
    pub received_at: DateTime<Utc>,
    /// Version of the record: 1 as first stored, one more for each correction.
    #[schema(example = 1)]
    pub version: i32,
}

/// The sample's own columns.
#[derive(Queryable, Selectable)]
#[diesel(table_name = r, check_for_backend(diesel::pg::Pg))]
struct SampleColumns {
    id: i64,
    team_id: i64,
    city_id: i64,
    mapping_version: String,
    #[diesel(embed)]
    fields: super::SampleFields,
    created_at: DateTime<Utc>,
}

fn record((r, client_id): (SampleColumns, uuid::Uuid), version: i32) -> SampleRecord {
    let f = r.fields;
    SampleRecord {
        id: r.id,
        client_id,
        team_id: r.team_id,
        city_id: r.city_id,
        site_id: f.site_id,
        status: f.status,
        mapping_version: r.mapping_version,
        matrix: f.matrix,
        method: f.method,
        mesh_um: f.mesh_um,
        date: f.sample_date,
        started_at: f.sampled_at,
        location: f.location.as_ref().map(geo::geo_point),
        distance_m: f.distance_m,
        volume_m3: f.volume_m3,
        particle_count: f.particle_count,
        particles_per_km2: f.particles_per_km2,
        particles_per_m3: f.particles_per_m3,
        particles_per_kg: f.particles_per_kg,
        particles_per_m2: f.particles_per_m2,
        density_class: f.density_class,
        flags: f.flags,
        particles: None,
        received_at: r.created_at,
        version,
    }
}

/// Samples in `scope` (one by id, or a page of the list), with their version numbers.
fn load(
    conn: &mut PgConnection,
    scope: ReadScope,
    id: Option<i64>,
    filter: &ListFilter,
) -> QueryResult<Vec<SampleRecord>> {
    let query = r::table
        .inner_join(sub::table.on(sub::city_id.eq(r::city_id).and(sub::id.eq(r::submission_id))))
        .select((SampleColumns::as_select(), sub::client_id))
        .into_boxed();
    let Some(query) = within_scope!(query, r, scope) else { return Ok(Vec::new()) };
    let mut query = list_filter!(query, r, r::sample_date, filter);
    if let Some(id) = id {
        query = query.filter(r::id.eq(id));
    }
    let rows: Vec<(SampleColumns, uuid::Uuid)> = query.load(conn)?;
    let numbered = versions::numbered(conn, RecordKind::Sample, rows, |(row, _)| (row.city_id, row.id))?;
    Ok(numbered.into_iter().map(|(row, version)| record(row, version)).collect())
}

/// The sample with this id, with its particles, if it exists within `scope`.
pub fn find(conn: &mut PgConnection, id: i64, scope: ReadScope) -> QueryResult<Option<SampleRecord>> {
    let Some(mut record) = load(conn, scope, Some(id), &ListFilter { limit: 1, ..ListFilter::default() })?.pop() else {
        return Ok(None);
    };
    use sample_particles as p;
    let particles: Vec<(String, String, String, i32)> = p::table
        .filter(p::city_id.eq(record.city_id))
        .filter(p::sample_id.eq(record.id))
        .order((p::shape, p::polymer, p::size_class))
        .select((p::shape, p::polymer, p::size_class, p::count))
        .load(conn)?;
    record.particles = Some(
        particles
            .into_iter()
            .map(|(shape, polymer, size_class, count)| ParticleTotal {
                shape,
                polymer,
                size_class,
                count: count as u64,
            })
            .collect(),
    );
    Ok(Some(record))
}

/// One page of samples in `scope`, by id.
pub fn list(conn: &mut PgConnection, scope: ReadScope, filter: &ListFilter) -> QueryResult<Vec<SampleRecord>> {
    load(conn, scope, None, filter)
}
