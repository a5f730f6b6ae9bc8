//! Surveys read back as API records: one with its canonical items, or a keyset page.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::{
    CanonicalItem, Effort, GeoPoint, ItemMeasure, LengthSource, LitterSize, Origin, SurveyKind, SurveySummary,
    SurveyType,
};
use tideline_core::validation::Flag;
use utoipa::ToSchema;

use super::derived::SummaryColumns;
use crate::schema::{submissions as sub, survey_items, survey_totals as t, surveys as r};
use crate::store::geo;
use crate::store::records::{list_filter, within_scope, ReadScope, RecordKind};
use crate::store::versions;

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
    #[schema(example = "ospar@2+categories@4")]
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

/// The survey's own columns.
#[derive(Queryable, Selectable)]
#[diesel(table_name = r, check_for_backend(diesel::pg::Pg))]
struct SurveyColumns {
    id: i64,
    team_id: i64,
    city_id: i64,
    #[diesel(embed)]
    fields: super::SurveyFields,
    created_at: DateTime<Utc>,
}

type SurveyRow = (SurveyColumns, uuid::Uuid, SummaryColumns);

fn record((row, client_id, totals): SurveyRow, version: i32) -> SurveyRecord {
    let f = row.fields;
    SurveyRecord {
        id: row.id,
        client_id,
        team_id: row.team_id,
        city_id: row.city_id,
        site_id: f.site_id,
        status: f.status,
        protocol: f.protocol,
        mapping_version: f.mapping_version,
        kind: f.survey_kind,
        survey_type: f.survey_type,
        date: f.survey_date,
        started_at: f.started_at,
        location: f.location.as_ref().map(geo::geo_point),
        length_m: f.length_m,
        length_source: f.length_source,
        width_m: f.width_m,
        effort: Effort {
            participants: f.participants.map(|v| v as u32),
            duration_min: f.duration_min,
            mass_kg: f.mass_kg,
            bags: f.bags.map(|v| v as u32),
        },
        summary: totals.summary(),
        flags: f.flags,
        items: None,
        received_at: row.created_at,
        version,
    }
}

/// Surveys in `scope` (one by id, or a page of the list), with their version numbers.
fn load(
    conn: &mut PgConnection,
    scope: ReadScope,
    id: Option<i64>,
    filter: &ListFilter,
) -> QueryResult<Vec<SurveyRecord>> {
    let query = r::table
        .inner_join(sub::table.on(sub::city_id.eq(r::city_id).and(sub::id.eq(r::submission_id))))
        .inner_join(t::table.on(t::city_id.eq(r::city_id).and(t::survey_id.eq(r::id))))
        .select((SurveyColumns::as_select(), sub::client_id, SummaryColumns::as_select()))
        .into_boxed();
    let Some(query) = within_scope!(query, r, scope) else { return Ok(Vec::new()) };
    let mut query = list_filter!(query, r, r::survey_date, filter);
    if let Some(id) = id {
        query = query.filter(r::id.eq(id));
    }
    let rows: Vec<SurveyRow> = query.load(conn)?;
    let numbered = versions::numbered(conn, RecordKind::Survey, rows, |(row, _, _)| (row.city_id, row.id))?;
    Ok(numbered.into_iter().map(|(row, version)| record(row, version)).collect())
}

/// The survey with this id, with its canonical items, if it exists within `scope`.
pub fn find(conn: &mut PgConnection, id: i64, scope: ReadScope) -> QueryResult<Option<SurveyRecord>> {
    let Some(mut record) = load(conn, scope, Some(id), &ListFilter { limit: 1, ..ListFilter::default() })?.pop() else {
        return Ok(None);
    };
    use survey_items as i;
    type ItemRow = (String, String, i32, bool, Option<f64>, Option<LitterSize>, Option<Origin>);
    let items: Vec<ItemRow> = i::table
        .filter(i::city_id.eq(record.city_id))
        .filter(i::survey_id.eq(record.id))
        .order(i::source_code)
        .select((i::source_code, i::category_code, i::count, i::counted, i::weight_g, i::size_class, i::origin))
        .load(conn)?;
    record.items = Some(
        items
            .into_iter()
            .map(|(source_code, category, count, counted, weight_g, size_class, origin)| CanonicalItem {
                source_code,
                category,
                count: count as u32,
                counted,
                measure: ItemMeasure { weight_g, size_class, origin },
            })
            .collect(),
    );
    Ok(Some(record))
}

/// Filters of a record list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this status.
    pub status: Option<ReviewStatus>,
    /// Only this site.
    pub site_id: Option<i64>,
    /// From this date.
    pub from: Option<NaiveDate>,
    /// To this date.
    pub to: Option<NaiveDate>,
    /// After this id (keyset).
    pub after: Option<i64>,
    /// Page size.
    pub limit: i64,
}

/// One page of surveys in `scope`, by id.
pub fn list(conn: &mut PgConnection, scope: ReadScope, filter: &ListFilter) -> QueryResult<Vec<SurveyRecord>> {
    load(conn, scope, None, filter)
}
