//! Beach-litter surveys: insert a normalised survey with its items and per-survey totals, and
//! read surveys back as API records.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use serde::Serialize;
use tideline_core::category::Material;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::indices::CciGrade;
use tideline_core::survey::{
    CanonicalItem, Effort, GeoPoint, LengthSource, NormalisedSurvey, SurveyKind, SurveySummary, SurveyType,
};
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use super::records::ReadScope;

/// A stored survey as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SurveyRecord {
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
    /// Review status: only accepted surveys count in statistics.
    pub status: ReviewStatus,
    /// Source protocol.
    pub protocol: Protocol,
    /// Mapping used to normalise it.
    #[schema(example = "ospar@2+categories@2")]
    pub mapping_version: String,
    /// Monitoring survey or cleanup.
    pub kind: SurveyKind,
    /// Standing stock or accumulation (MDMAP).
    pub survey_type: Option<SurveyType>,
    /// Local date of the survey.
    pub date: NaiveDate,
    /// Start instant (UTC).
    pub started_at: Option<DateTime<Utc>>,
    /// Position.
    pub location: Option<GeoPoint>,
    /// Surveyed length used for densities, m.
    pub length_m: Option<f64>,
    /// Where the length came from.
    pub length_source: LengthSource,
    /// Mean width, m.
    pub width_m: Option<f64>,
    /// Effort.
    pub effort: Effort,
    /// Per-survey totals and normalised values.
    pub summary: SurveySummary,
    /// Plausibility flags.
    #[schema(value_type = Vec<Flag>)]
    pub flags: serde_json::Value,
    /// Canonical items (in single-record answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<CanonicalItem>>,
    /// When Tideline received it.
    pub received_at: DateTime<Utc>,
    /// Version of the record: 1 as first stored, one more for each correction.
    #[schema(example = 1)]
    pub version: i32,
}

/// Sets every field of a stored survey from its normalisation and writes its items and totals
/// afresh (inside the caller's transaction): a correction. New surveys are inserted set-based
/// by `bulk::insert`.
pub fn write_survey(
    conn: &mut PgConnection,
    city_id: i64,
    survey_id: i64,
    site_id: Option<i64>,
    survey: &NormalisedSurvey,
    status: ReviewStatus,
) -> QueryResult<()> {
    let input = &survey.input;
    let (start, end) = input.stretch.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let flags = serde_json::to_value(&survey.flags).unwrap_or_default();
    diesel::sql_query(
        "UPDATE surveys SET site_id = $3, protocol = $4, survey_kind = $5, survey_type = $6, survey_date = $7, \
         started_at = $8, location = ST_SetSRID(ST_MakePoint($10, $9), 4326)::geography, \
         stretch = ST_SetSRID(ST_MakeLine(ST_MakePoint($12, $11), ST_MakePoint($14, $13)), 4326)::geography, \
         length_m = $15, length_source = $16, width_m = $17, participants = $18, duration_min = $19, mass_kg = $20, \
         bags = $21, status = $22, flags = $23 WHERE city_id = $1 AND id = $2",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(survey_id)
    .bind::<Nullable<BigInt>, _>(site_id)
    .bind::<Text, _>(input.protocol)
    .bind::<Text, _>(input.kind)
    .bind::<Nullable<Text>, _>(input.survey_type)
    .bind::<Date, _>(input.date)
    .bind::<Nullable<Timestamptz>, _>(input.started_at.map(|t| t.with_timezone(&Utc)))
    .bind::<Nullable<Double>, _>(input.location.map(|p| p.lat))
    .bind::<Nullable<Double>, _>(input.location.map(|p| p.lon))
    .bind::<Nullable<Double>, _>(start.map(|p| p.lat))
    .bind::<Nullable<Double>, _>(start.map(|p| p.lon))
    .bind::<Nullable<Double>, _>(end.map(|p| p.lat))
    .bind::<Nullable<Double>, _>(end.map(|p| p.lon))
    .bind::<Nullable<Double>, _>(survey.length_m)
    .bind::<Text, _>(survey.length_source)
    .bind::<Nullable<Double>, _>(input.width_m)
    .bind::<Nullable<Integer>, _>(input.effort.participants.map(|v| v as i32))
    .bind::<Nullable<Double>, _>(input.effort.duration_min)
    .bind::<Nullable<Double>, _>(input.effort.mass_kg)
    .bind::<Nullable<Integer>, _>(input.effort.bags.map(|v| v as i32))
    .bind::<Text, _>(status)
    .bind::<Jsonb, _>(flags)
    .execute(conn)?;
    replace_normalisation(conn, city_id, survey_id, survey)
}

/// Writes a stored survey's canonical items and its per-survey totals (the totals copy the
/// survey row's date, kind, site and effort).
pub fn write_items_and_totals(
    conn: &mut PgConnection,
    city_id: i64,
    survey_id: i64,
    survey: &NormalisedSurvey,
) -> QueryResult<()> {
    let items = &survey.items;
    diesel::sql_query(
        "INSERT INTO survey_items (city_id, survey_id, source_code, category_code, count, counted) \
         SELECT $1, $2, s, c, n, k FROM unnest($3::text[], $4::text[], $5::int4[], $6::bool[]) AS t(s, c, n, k)",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(survey_id)
    .bind::<Array<Text>, _>(items.iter().map(|i| i.source_code.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(items.iter().map(|i| i.category.as_str()).collect::<Vec<_>>())
    .bind::<Array<Integer>, _>(items.iter().map(|i| i.count as i32).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(items.iter().map(|i| i.counted).collect::<Vec<_>>())
    .execute(conn)?;
    let s = &survey.summary;
    let materials = serde_json::to_value(&s.materials).unwrap_or_default();
    diesel::sql_query(
        "INSERT INTO survey_totals (city_id, survey_id, site_id, survey_date, survey_kind, protocol, status, length_m, \
         total_items, threshold_items, plastic_items, sup_items, fishing_items, items_per_100m, \
         threshold_items_per_100m, items_per_m2, cci, eu_eligible, materials, participants, mass_kg, bags) \
         SELECT city_id, id, site_id, survey_date, survey_kind, protocol, status, length_m, \
         $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, participants, mass_kg, bags FROM surveys \
         WHERE city_id = $1 AND id = $2",
    )
    .bind::<BigInt, _>(city_id)
    .bind::<BigInt, _>(survey_id)
    .bind::<BigInt, _>(s.total_items as i64)
    .bind::<BigInt, _>(s.threshold_items as i64)
    .bind::<BigInt, _>(s.plastic_items as i64)
    .bind::<BigInt, _>(s.sup_items as i64)
    .bind::<BigInt, _>(s.fishing_items as i64)
    .bind::<Nullable<Double>, _>(s.items_per_100m)
    .bind::<Nullable<Double>, _>(s.threshold_items_per_100m)
    .bind::<Nullable<Double>, _>(s.items_per_m2)
    .bind::<Nullable<Double>, _>(s.cci)
    .bind::<Bool, _>(s.eu_threshold_eligible)
    .bind::<Jsonb, _>(materials)
    .execute(conn)?;
    Ok(())
}

/// Replaces a stored survey's items and totals with a new normalisation of its raw payload
/// (`tideline renormalise`), and notes the mapping version used.
pub fn replace_normalisation(
    conn: &mut PgConnection,
    city_id: i64,
    survey_id: i64,
    survey: &NormalisedSurvey,
) -> QueryResult<()> {
    // the rows of one survey, by its key: delete and write again in the caller's transaction
    diesel::sql_query("DELETE FROM survey_totals WHERE city_id = $1 AND survey_id = $2")
        .bind::<BigInt, _>(city_id)
        .bind::<BigInt, _>(survey_id)
        .execute(conn)?;
    diesel::sql_query("DELETE FROM survey_items WHERE city_id = $1 AND survey_id = $2")
        .bind::<BigInt, _>(city_id)
        .bind::<BigInt, _>(survey_id)
        .execute(conn)?;
    diesel::sql_query("UPDATE surveys SET mapping_version = $3 WHERE city_id = $1 AND id = $2")
        .bind::<BigInt, _>(city_id)
        .bind::<BigInt, _>(survey_id)
        .bind::<Text, _>(&survey.mapping_version)
        .execute(conn)?;
    write_items_and_totals(conn, city_id, survey_id, survey)
}

#[derive(QueryableByName)]
struct SurveyRow {
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
    protocol: Protocol,
    #[diesel(sql_type = Text)]
    mapping_version: String,
    #[diesel(sql_type = Text)]
    survey_kind: SurveyKind,
    #[diesel(sql_type = Nullable<Text>)]
    survey_type: Option<SurveyType>,
    #[diesel(sql_type = Date)]
    survey_date: NaiveDate,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    started_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Double>)]
    lat: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    lon: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    length_m: Option<f64>,
    #[diesel(sql_type = Text)]
    length_source: LengthSource,
    #[diesel(sql_type = Nullable<Double>)]
    width_m: Option<f64>,
    #[diesel(sql_type = Nullable<Integer>)]
    participants: Option<i32>,
    #[diesel(sql_type = Nullable<Double>)]
    duration_min: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    mass_kg: Option<f64>,
    #[diesel(sql_type = Nullable<Integer>)]
    bags: Option<i32>,
    #[diesel(sql_type = Jsonb)]
    flags: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    total_items: i64,
    #[diesel(sql_type = BigInt)]
    threshold_items: i64,
    #[diesel(sql_type = BigInt)]
    plastic_items: i64,
    #[diesel(sql_type = BigInt)]
    sup_items: i64,
    #[diesel(sql_type = BigInt)]
    fishing_items: i64,
    #[diesel(sql_type = Nullable<Double>)]
    items_per_100m: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    threshold_items_per_100m: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    items_per_m2: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    cci: Option<f64>,
    #[diesel(sql_type = Bool)]
    eu_eligible: bool,
    #[diesel(sql_type = Jsonb)]
    materials: serde_json::Value,
    #[diesel(sql_type = Integer)]
    version: i32,
}

const SELECT: &str = "SELECT r.id, sub.client_id, r.team_id, r.city_id, r.site_id, r.status, r.protocol, \
    r.mapping_version, r.survey_kind, r.survey_type, r.survey_date, r.started_at, ST_Y(r.location::geometry) AS lat, \
    ST_X(r.location::geometry) AS lon, r.length_m, r.length_source, r.width_m, r.participants, r.duration_min, \
    r.mass_kg, r.bags, r.flags, r.created_at, t.total_items, t.threshold_items, t.plastic_items, t.sup_items, \
    t.fishing_items, t.items_per_100m, t.threshold_items_per_100m, t.items_per_m2, t.cci, t.eu_eligible, t.materials, \
    coalesce((SELECT max(v.version) FROM record_versions v WHERE v.city_id = r.city_id AND v.record_kind = 'survey' \
    AND v.record_id = r.id), 1) AS version \
    FROM surveys r JOIN submissions sub ON sub.city_id = r.city_id AND sub.id = r.submission_id \
    JOIN survey_totals t ON t.city_id = r.city_id AND t.survey_id = r.id";

impl From<SurveyRow> for SurveyRecord {
    fn from(row: SurveyRow) -> Self {
        let materials: BTreeMap<Material, u64> = serde_json::from_value(row.materials).unwrap_or_default();
        SurveyRecord {
            id: row.id,
            client_id: row.client_id,
            team_id: row.team_id,
            city_id: row.city_id,
            site_id: row.site_id,
            status: row.status,
            protocol: row.protocol,
            mapping_version: row.mapping_version,
            kind: row.survey_kind,
            survey_type: row.survey_type,
            date: row.survey_date,
            started_at: row.started_at,
            location: row.lat.zip(row.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
            length_m: row.length_m,
            length_source: row.length_source,
            width_m: row.width_m,
            effort: Effort {
                participants: row.participants.map(|v| v as u32),
                duration_min: row.duration_min,
                mass_kg: row.mass_kg,
                bags: row.bags.map(|v| v as u32),
            },
            summary: SurveySummary {
                total_items: row.total_items as u64,
                threshold_items: row.threshold_items as u64,
                plastic_items: row.plastic_items as u64,
                sup_items: row.sup_items as u64,
                fishing_items: row.fishing_items as u64,
                items_per_100m: row.items_per_100m,
                threshold_items_per_100m: row.threshold_items_per_100m,
                items_per_m2: row.items_per_m2,
                cci: row.cci,
                cci_grade: row.cci.map(CciGrade::of),
                eu_threshold_eligible: row.eu_eligible,
                materials,
            },
            flags: row.flags,
            items: None,
            received_at: row.created_at,
            version: row.version,
        }
    }
}

#[derive(QueryableByName)]
struct ItemRow {
    #[diesel(sql_type = Text)]
    source_code: String,
    #[diesel(sql_type = Text)]
    category_code: String,
    #[diesel(sql_type = Integer)]
    count: i32,
    #[diesel(sql_type = Bool)]
    counted: bool,
}

/// The survey with this id, with its items, if it exists within `scope`.
pub fn find(conn: &mut PgConnection, id: i64, scope: ReadScope) -> QueryResult<Option<SurveyRecord>> {
    let row: Option<SurveyRow> = diesel::sql_query(format!("{SELECT} WHERE r.id = $1 AND {}", scope.condition()))
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let items: Vec<ItemRow> = diesel::sql_query(
        "SELECT source_code, category_code, count, counted FROM survey_items WHERE city_id = $1 AND survey_id = $2 \
         ORDER BY source_code",
    )
    .bind::<BigInt, _>(row.city_id)
    .bind::<BigInt, _>(row.id)
    .load(conn)?;
    let mut record = SurveyRecord::from(row);
    record.items = Some(
        items
            .into_iter()
            .map(|i| CanonicalItem {
                source_code: i.source_code,
                category: i.category_code,
                count: i.count as u32,
                counted: i.counted,
            })
            .collect(),
    );
    Ok(Some(record))
}

/// How many surveys are stored.
pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    crate::schema::surveys::table.count().get_result(conn)
}

/// Filters of the survey list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Review status.
    pub status: Option<ReviewStatus>,
    /// Site.
    pub site_id: Option<i64>,
    /// From this date.
    pub from: Option<NaiveDate>,
    /// Up to this date.
    pub to: Option<NaiveDate>,
    /// Keyset cursor: ids after this one.
    pub after: Option<i64>,
    /// Page size.
    pub limit: i64,
}

/// One page of surveys in `scope`, by id.
pub fn list(conn: &mut PgConnection, scope: ReadScope, filter: &ListFilter) -> QueryResult<Vec<SurveyRecord>> {
    let rows: Vec<SurveyRow> = diesel::sql_query(format!(
        "{SELECT} WHERE {} AND ($1::text IS NULL OR r.status = $1) AND ($2::bigint IS NULL OR r.site_id = $2) \
         AND ($3::date IS NULL OR r.survey_date >= $3) AND ($4::date IS NULL OR r.survey_date <= $4) \
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
    Ok(rows.into_iter().map(SurveyRecord::from).collect())
}
