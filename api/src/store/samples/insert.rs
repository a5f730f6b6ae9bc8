//! New samples, set-based: their submissions (`bulk`), the sample rows and their particle
//! counts, each table in one COPY with ids reserved up front.

use diesel::prelude::*;
use tideline_core::microplastics::NormalisedSample;
use tideline_core::protocol::Protocol;

use super::{NewSample, SampleFields, SampleKeys, SampleRow};
use crate::schema::{sample_particles, samples};
use crate::store::bulk::{self, Prepared};
use crate::store::records::{Author, RecordKind};

/// Inserts the samples with their submissions and particle counts, each table through the
/// COPY protocol with ids reserved up front; returns the sample ids in input order. A unique
/// violation (a concurrent post of the same client id) fails the whole call, so run it in a
/// savepoint.
pub fn insert(conn: &mut PgConnection, author: &Author, records: &[Prepared<NewSample>]) -> QueryResult<Vec<i64>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let version = Protocol::Tideline.mapping_version();
    let submission_ids =
        bulk::insert_submissions(conn, author, RecordKind::Sample, records, |_| (Protocol::Tideline, version.clone()))?;
    let ids = bulk::reserve_ids(conn, "samples", records.len())?;
    let rows: Vec<SampleRow> = (records.iter().zip(&ids).zip(&submission_ids))
        .map(|((r, id), submission_id)| {
            let keys = SampleKeys {
                city_id: r.city_id,
                id: *id,
                submission_id: *submission_id,
                team_id: author.team_id,
                protocol: Protocol::Tideline,
                mapping_version: version.clone(),
            };
            SampleRow::new(keys, SampleFields::of(r.site_id, &r.record.input, &r.record.sample, r.status))
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
