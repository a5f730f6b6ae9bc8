//! The shared half of the set-based write path: what a batch already stored under its client
//! ids, and its raw submissions with their client-id claims, through the COPY protocol with
//! ids reserved up front (the sites it names: `places::sites_by_id`). The record rows follow
//! in `surveys::insert` and `samples::insert`.

use std::collections::BTreeMap;

use std::io::Write;

use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::serialize::{IsNull, Output, ToSql};
use diesel::sql_types::{BigInt, Jsonb, Text};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;

use super::records::{on_records, Author, RecordKind, StoredPayload};
use crate::schema::submissions;

/// A record ready to be stored: its keys, its payload and its normalised form.
pub struct Prepared<R> {
    /// The app's UUID.
    pub client_id: uuid::Uuid,
    /// The raw payload, serialised (moved along the write path from where it was read).
    pub payload: StoredPayload,
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
/// `kind`. The team's ledger is read first and then each claimed submission in its city, so
/// under Citus each step names its shard (the ledger's team, then each city) instead of asking
/// every city's shard for the team's client ids.
pub fn existing(
    conn: &mut PgConnection,
    kind: RecordKind,
    team_id: i64,
    client_ids: &[uuid::Uuid],
) -> QueryResult<Vec<Existing>> {
    use crate::schema::client_ids as c;
    let claims: Vec<(i64, i64)> = c::table
        .filter(c::team_id.eq(team_id))
        .filter(c::client_id.eq_any(client_ids))
        .select((c::city_id, c::submission_id))
        .load(conn)?;
    let mut by_city: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (city_id, submission_id) in claims {
        by_city.entry(city_id).or_default().push(submission_id);
    }
    let mut found = Vec::new();
    for (city_id, submission_ids) in by_city {
        use crate::schema::submissions as sub;
        found.extend(on_records!(kind, r => sub::table
            .left_join(r::table.on(r::city_id.eq(sub::city_id).and(r::submission_id.eq(sub::id))))
            .filter(sub::city_id.eq(city_id))
            .filter(sub::id.eq_any(submission_ids))
            .select((sub::client_id, sub::record_kind, sub::payload_sha256, r::id.nullable(), r::status.nullable()))
            .load::<Existing>(conn))?);
    }
    Ok(found)
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Reserves `n` ids of `table`'s identity column, ascending, for rows written through COPY
/// (which writes an identity column as given).
pub fn reserve_ids(conn: &mut PgConnection, table: &str, n: usize) -> QueryResult<Vec<i64>> {
    // raw SQL: `nextval` of an identity column's sequence has no DSL form. The sequence is
    // looked up once (a materialised CTE): looked up per row, it cost 4.5 µs an id, not 0.9.
    let mut ids: Vec<i64> = diesel::sql_query(
        "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, 'id')::regclass AS sequence) \
         SELECT nextval(s.sequence) AS id FROM s, generate_series(1, $2)",
    )
    .bind::<Text, _>(table)
    .bind::<BigInt, _>(n as i64)
    .load::<Id>(conn)?
    .into_iter()
    .map(|row| row.id)
    .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// JSON text stored as `jsonb` as it is: the binary `jsonb` format is a version byte and the
/// text, so the payload is never parsed into a tree again to be written.
#[derive(Debug, AsExpression)]
#[diesel(sql_type = Jsonb)]
struct JsonText<'a>(&'a str);

impl ToSql<Jsonb, Pg> for JsonText<'_> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
        out.write_all(&[1])?;
        out.write_all(self.0.as_bytes())?;
        Ok(IsNull::No)
    }
}

/// One submission row, as COPY writes it.
#[derive(Insertable)]
#[diesel(table_name = submissions, treat_none_as_default_value = false)]
struct SubmissionRow<'a> {
    city_id: i64,
    id: i64,
    team_id: i64,
    client_id: uuid::Uuid,
    record_kind: RecordKind,
    protocol: Protocol,
    mapping_version: String,
    payload: JsonText<'a>,
    payload_sha256: &'a [u8],
}

/// Inserts the raw submissions of `records` (of `kind`, each under its protocol and mapping
/// version) through the COPY protocol and claims their client ids; returns the submission ids
/// in input order. A unique violation (a concurrent post of the same client id) fails the
/// whole call.
pub fn insert_submissions<R>(
    conn: &mut PgConnection,
    author: &Author,
    kind: RecordKind,
    records: &[Prepared<R>],
    mapping: impl Fn(&R) -> (Protocol, String),
) -> QueryResult<Vec<i64>> {
    let ids = reserve_ids(conn, "submissions", records.len())?;
    let rows: Vec<SubmissionRow<'_>> = (records.iter().zip(&ids))
        .map(|(r, id)| {
            let (protocol, mapping_version) = mapping(&r.record);
            SubmissionRow {
                city_id: r.city_id,
                id: *id,
                team_id: author.team_id,
                client_id: r.client_id,
                record_kind: kind,
                protocol,
                mapping_version,
                payload: JsonText(&r.payload.json),
                payload_sha256: &r.payload.sha256,
            }
        })
        .collect();
    diesel::copy_from(submissions::table).from_insertable(&rows).execute(conn)?;
    let client_ids: Vec<uuid::Uuid> = records.iter().map(|r| r.client_id).collect();
    let city_ids: Vec<i64> = records.iter().map(|r| r.city_id).collect();
    super::records::claim_client_ids(conn, author.team_id, &client_ids, &city_ids, &ids)?;
    Ok(ids)
}
