//! The shared half of the set-based write path: what a batch already stored under its client
//! ids, the sites it names, and its raw submissions with their client-id claims, in one
//! `INSERT … SELECT FROM unnest(…)` per batch. The record rows follow in `surveys::insert` and
//! `samples::insert`.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bytea, Text, Uuid as SqlUuid};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;

use super::places::Site;
use super::records::{on_records, Author, RecordKind, StoredPayload};

/// A record ready to be stored: its keys, its payload and its normalised form.
pub struct Prepared<'a, R> {
    /// The app's UUID.
    pub client_id: uuid::Uuid,
    /// The raw payload, serialised (borrowed from the batch: never copied).
    pub payload: &'a StoredPayload,
    /// City.
    pub city_id: i64,
    /// Site.
    pub site_id: Option<i64>,
    /// The normalised record.
    pub record: R,
    /// Review status on arrival.
    pub status: ReviewStatus,
}

/// A client id the team already used.
#[derive(Debug, Clone, Queryable)]
pub struct Existing {
    /// Client id.
    pub client_id: uuid::Uuid,
    /// Survey or sample.
    pub record_kind: RecordKind,
    /// Payload hash.
    pub payload_sha256: Vec<u8>,
    /// The stored record's id, when it is of the kind asked for.
    pub record_id: Option<i64>,
    /// The stored record's status.
    pub status: Option<ReviewStatus>,
}

/// Submissions the team already stored under any of these client ids, with their records of
/// `kind`.
pub fn existing(
    conn: &mut PgConnection,
    kind: RecordKind,
    team_id: i64,
    client_ids: &[uuid::Uuid],
) -> QueryResult<Vec<Existing>> {
    use crate::schema::submissions as sub;
    on_records!(kind, r => sub::table
        .left_join(r::table.on(r::city_id.eq(sub::city_id).and(r::submission_id.eq(sub::id))))
        .filter(sub::team_id.eq(team_id))
        .filter(sub::client_id.eq_any(client_ids))
        .select((sub::client_id, sub::record_kind, sub::payload_sha256, r::id.nullable(), r::status.nullable()))
        .load(conn))
}

/// The sites with these ids.
pub fn sites(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Site>> {
    Ok(super::places::find_sites(conn, ids)?.into_iter().map(|s| (s.id, s)).collect())
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Inserts the raw submissions of `records` (of `kind`, each under its protocol and mapping
/// version) and claims their client ids; returns the submission ids in input order. A unique
/// violation (a concurrent post of the same client id) fails the whole call.
pub fn insert_submissions<R>(
    conn: &mut PgConnection,
    author: &Author,
    kind: RecordKind,
    records: &[Prepared<'_, R>],
    mapping: impl Fn(&R) -> (Protocol, String),
) -> QueryResult<Vec<i64>> {
    let (protocols, versions): (Vec<Protocol>, Vec<String>) = records.iter().map(|r| mapping(&r.record)).unzip();
    // raw SQL: an `unnest` bulk write, one statement for any batch size, ids in input order
    let ids: Vec<Id> = diesel::sql_query(
        "INSERT INTO submissions (city_id, team_id, client_id, record_kind, protocol, mapping_version, payload, payload_sha256) \
         SELECT c, $1, u, $2, p, m, j::jsonb, h FROM unnest($3::bigint[], $4::uuid[], $5::text[], $6::text[], $7::text[], \
         $8::bytea[], $9::bigint[]) AS t(c, u, p, m, j, h, o) ORDER BY o RETURNING id",
    )
    .bind::<BigInt, _>(author.team_id)
    .bind::<Text, _>(kind)
    .bind::<Array<BigInt>, _>(records.iter().map(|r| r.city_id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(records.iter().map(|r| r.client_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(&protocols)
    .bind::<Array<Text>, _>(&versions)
    .bind::<Array<Text>, _>(records.iter().map(|r| r.payload.json.as_str()).collect::<Vec<_>>())
    .bind::<Array<Bytea>, _>(records.iter().map(|r| r.payload.sha256.as_slice()).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>((0..records.len() as i64).collect::<Vec<_>>())
    .load(conn)?;
    let submission_ids: Vec<i64> = ids.iter().map(|p| p.id).collect();
    let client_ids: Vec<uuid::Uuid> = records.iter().map(|r| r.client_id).collect();
    let city_ids: Vec<i64> = records.iter().map(|r| r.city_id).collect();
    super::records::claim_client_ids(conn, author.team_id, &client_ids, &city_ids, &submission_ids)?;
    Ok(submission_ids)
}
