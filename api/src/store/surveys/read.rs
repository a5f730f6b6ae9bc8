//! Surveys read back as API records: one with its canonical items, or a keyset page.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde::Serialize;
use tideline_core::category::Material;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::indices::CciGrade;
use tideline_core::survey::{CanonicalItem, Effort, GeoPoint, LengthSource, SurveyKind, SurveySummary, SurveyType};
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use crate::store::records::ReadScope;

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
