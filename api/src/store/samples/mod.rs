//! Microplastic samples: insert a normalised sample with its particle counts (`write_sample` also
//! serves corrections), and read them back (`read.rs`).

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz};
use tideline_core::microplastics::{NormalisedSample, SampleInput};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;

mod read;
pub use read::{find, list, SampleRecord};

/// Inserts the sample and its particle counts (inside the caller's transaction); returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut PgConnection,
    city_id: i64,
    submission_id: i64,
    team_id: i64,
    site_id: Option<i64>,
    mapping_version: &str,
    input: &SampleInput,
    sample: &NormalisedSample,
    status: ReviewStatus,
) -> QueryResult<i64> {
    use crate::schema::samples as t;
    let id = diesel::insert_into(t::table)
        .values((
            t::city_id.eq(city_id),
            t::submission_id.eq(submission_id),
            t::team_id.eq(team_id),
            t::protocol.eq(Protocol::Tideline),
            t::mapping_version.eq(mapping_version),
            t::matrix.eq(input.matrix),
            t::method.eq(input.method),
            t::sample_date.eq(input.date),
            t::particle_count.eq(0),
        ))
        .returning(t::id)
        .get_result(conn)?;
    write_sample(conn, city_id, id, site_id, input, sample, status)?;
    Ok(id)
}

/// Sets every field of a stored sample and writes its particle counts afresh (inside the
/// caller's transaction): the second half of an insert, and a correction.
pub fn write_sample(
    conn: &mut PgConnection,
    city_id: i64,
    sample_id: i64,
    site_id: Option<i64>,
    input: &SampleInput,
    sample: &NormalisedSample,
    status: ReviewStatus,
) -> QueryResult<()> {
    // raw SQL: the position is built by PostGIS functions
    diesel::sql_query(
        "UPDATE samples SET site_id = $3, matrix = $4, method = $5, mesh_um = $6, sample_date = $7, sampled_at = $8, \
         location = ST_SetSRID(ST_MakePoint($10, $9), 4326)::geography, distance_m = $11, net_width_m = $12, \
         mouth_area_m2 = $13, volume_m3 = $14, dry_mass_kg = $15, area_m2 = $16, flowmeter_start = $17, \
         flowmeter_end = $18, particle_count = $19, particles_per_km2 = $20, particles_per_m3 = $21, \
         particles_per_kg = $22, particles_per_m2 = $23, density_class = $24, status = $25, flags = $26, \
         rotor_m_per_count = $27, tow_duration_min = $28 WHERE city_id = $1 AND id = $2",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(sample_id)
    .bind::<Nullable<BigInt>, _>(site_id)
    .bind::<Text, _>(input.matrix)
    .bind::<Text, _>(input.method)
    .bind::<Nullable<Double>, _>(input.mesh_um)
    .bind::<Date, _>(input.date)
    .bind::<Nullable<Timestamptz>, _>(input.started_at.map(|t| t.with_timezone(&Utc)))
    .bind::<Nullable<Double>, _>(input.location.map(|p| p.lat))
    .bind::<Nullable<Double>, _>(input.location.map(|p| p.lon))
    .bind::<Nullable<Double>, _>(sample.distance_m)
    .bind::<Nullable<Double>, _>(input.net_width_m)
    .bind::<Nullable<Double>, _>(input.mouth_area_m2)
    .bind::<Nullable<Double>, _>(sample.volume_m3)
    .bind::<Nullable<Double>, _>(input.dry_mass_kg)
    .bind::<Nullable<Double>, _>(input.area_m2)
    .bind::<Nullable<Integer>, _>(input.flowmeter.map(|f| f.0 as i32))
    .bind::<Nullable<Integer>, _>(input.flowmeter.map(|f| f.1 as i32))
    .bind::<BigInt, _>(sample.particle_count as i64)
    .bind::<Nullable<Double>, _>(sample.particles_per_km2)
    .bind::<Nullable<Double>, _>(sample.particles_per_m3)
    .bind::<Nullable<Double>, _>(sample.particles_per_kg)
    .bind::<Nullable<Double>, _>(sample.particles_per_m2)
    .bind::<Nullable<Text>, _>(sample.density_class.map(|c| c.as_str()))
    .bind::<Text, _>(status)
    .bind::<Jsonb, _>(serde_json::to_value(&sample.flags).unwrap_or_default())
    .bind::<Nullable<Double>, _>(sample.rotor_m_per_count)
    .bind::<Nullable<Double>, _>(input.tow_duration_min)
    .execute(conn)?;
    use crate::schema::sample_particles as p;
    diesel::delete(p::table.filter(p::city_id.eq(city_id)).filter(p::sample_id.eq(sample_id))).execute(conn)?;
    let p = &sample.particles;
    // raw SQL: one insert of every particle row through unnest
    diesel::sql_query(
        "INSERT INTO sample_particles (city_id, sample_id, shape, polymer, size_class, count) \
         SELECT $1, $2, s, p, z, n FROM unnest($3::text[], $4::text[], $5::text[], $6::int4[]) AS t(s, p, z, n)",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(sample_id)
    .bind::<Array<Text>, _>(p.iter().map(|x| x.shape.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(p.iter().map(|x| x.polymer.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(p.iter().map(|x| x.size_class.as_str()).collect::<Vec<_>>())
    .bind::<Array<Integer>, _>(p.iter().map(|x| x.count.min(i32::MAX as u64) as i32).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}
