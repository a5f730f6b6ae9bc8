//! Samples read back as API records: one with its particle counts, or a keyset page.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde::Serialize;
use tideline_core::microplastics::{Matrix, Method, ParticleTotal};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::GeoPoint;
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use crate::store::records::ReadScope;
use crate::store::surveys::ListFilter;

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

#[derive(QueryableByName)]
struct SampleRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = SqlUuid)]
    client_id: uuid::Uuid,
    #[diesel(sql_type = BigInt)]
    team_id: i64,
    #[diesel(sql_type = BigInt)]
    city_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    site_id: Option<i64>,
    #[diesel(sql_type = Text)]
    status: ReviewStatus,
    #[diesel(sql_type = Text)]
    mapping_version: String,
    #[diesel(sql_type = Text)]
    matrix: Matrix,
    #[diesel(sql_type = Text)]
    method: Method,
    #[diesel(sql_type = Nullable<Double>)]
    mesh_um: Option<f64>,
    #[diesel(sql_type = Date)]
    sample_date: NaiveDate,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    sampled_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Double>)]
    lat: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    lon: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    distance_m: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    volume_m3: Option<f64>,
    #[diesel(sql_type = BigInt)]
    particle_count: i64,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_km2: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_m3: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_kg: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    particles_per_m2: Option<f64>,
    #[diesel(sql_type = Nullable<Text>)]
    density_class: Option<String>,
    #[diesel(sql_type = Jsonb)]
    flags: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Integer)]
    version: i32,
}

const SELECT: &str = "SELECT r.id, sub.client_id, r.team_id, r.city_id, r.site_id, r.status, r.mapping_version, \
    r.matrix, r.method, r.mesh_um, r.sample_date, r.sampled_at, ST_Y(r.location::geometry) AS lat, \
    ST_X(r.location::geometry) AS lon, r.distance_m, r.volume_m3, r.particle_count, r.particles_per_km2, \
    r.particles_per_m3, r.particles_per_kg, r.particles_per_m2, r.density_class, r.flags, r.created_at, \
    coalesce((SELECT max(v.version) FROM record_versions v WHERE v.city_id = r.city_id AND v.record_kind = 'sample' \
    AND v.record_id = r.id), 1) AS version \
    FROM samples r JOIN submissions sub ON sub.city_id = r.city_id AND sub.id = r.submission_id";

impl From<SampleRow> for SampleRecord {
    fn from(r: SampleRow) -> Self {
        SampleRecord {
            id: r.id,
            client_id: r.client_id,
            team_id: r.team_id,
            city_id: r.city_id,
            site_id: r.site_id,
            status: r.status,
            mapping_version: r.mapping_version,
            matrix: r.matrix,
            method: r.method,
            mesh_um: r.mesh_um,
            date: r.sample_date,
            started_at: r.sampled_at,
            location: r.lat.zip(r.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
            distance_m: r.distance_m,
            volume_m3: r.volume_m3,
            particle_count: r.particle_count,
            particles_per_km2: r.particles_per_km2,
            particles_per_m3: r.particles_per_m3,
            particles_per_kg: r.particles_per_kg,
            particles_per_m2: r.particles_per_m2,
            density_class: r.density_class,
            flags: r.flags,
            particles: None,
            received_at: r.created_at,
            version: r.version,
        }
    }
}

#[derive(QueryableByName)]
struct ParticleRow {
    #[diesel(sql_type = Text)]
    shape: String,
    #[diesel(sql_type = Text)]
    polymer: String,
    #[diesel(sql_type = Text)]
    size_class: String,
    #[diesel(sql_type = Integer)]
    count: i32,
}

/// The sample with this id, with its particles, if it exists within `scope`.
pub fn find(conn: &mut PgConnection, id: i64, scope: ReadScope) -> QueryResult<Option<SampleRecord>> {
    let row: Option<SampleRow> = diesel::sql_query(format!("{SELECT} WHERE r.id = $1 AND {}", scope.condition()))
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let particles: Vec<ParticleRow> = diesel::sql_query(
        "SELECT shape, polymer, size_class, count FROM sample_particles WHERE city_id = $1 AND sample_id = $2 \
         ORDER BY shape, polymer, size_class",
    )
    .bind::<BigInt, _>(row.city_id)
    .bind::<BigInt, _>(row.id)
    .load(conn)?;
    let mut record = SampleRecord::from(row);
    record.particles = Some(
        particles
            .into_iter()
            .map(|p| ParticleTotal {
                shape: p.shape,
                polymer: p.polymer,
                size_class: p.size_class,
                count: p.count as u64,
            })
            .collect(),
    );
    Ok(Some(record))
}

/// One page of samples in `scope`, by id.
pub fn list(conn: &mut PgConnection, scope: ReadScope, filter: &ListFilter) -> QueryResult<Vec<SampleRecord>> {
    let rows: Vec<SampleRow> = diesel::sql_query(format!(
        "{SELECT} WHERE {} AND ($1::text IS NULL OR r.status = $1) AND ($2::bigint IS NULL OR r.site_id = $2) \
         AND ($3::date IS NULL OR r.sample_date >= $3) AND ($4::date IS NULL OR r.sample_date <= $4) \
         AND r.id > $5 ORDER BY r.id LIMIT $6",
        scope.condition()
    ))
    .bind::<Nullable<Text>, _>(filter.status)
    .bind::<Nullable<BigInt>, _>(filter.site_id)
    .bind::<Nullable<Date>, _>(filter.from)
    .bind::<Nullable<Date>, _>(filter.to)
    .bind::<BigInt, _>(filter.after.unwrap_or(0))
    .bind::<BigInt, _>(filter.limit)
    .load(conn)?;
    Ok(rows.into_iter().map(SampleRecord::from).collect())
}
