//! Beach-litter surveys: what a survey row holds (one list of its columns, for new rows and
//! corrections alike), new surveys set-based (`insert.rs`), a normalised survey's fields, items
//! and per-survey totals rewritten (a correction or a renormalisation), and surveys read back
//! (`read.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use postgis_diesel::types::{LineString, Point};
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::{LengthSource, NormalisedSurvey, SurveyKind, SurveyType};

use super::geo;
use crate::schema::surveys;

pub mod derived;
mod insert;
mod read;
pub use insert::{insert, roll_up};
pub use read::{find, list, ListFilter, SurveyRecord};

// the survey row's columns, listed once (`store::columns`)
crate::store::columns::record_columns! {
    table: surveys,
    keys: SurveyKeys {
        city_id: i64,
        id: i64,
        submission_id: i64,
        team_id: i64,
    },
    row: SurveyRow,
    fields: SurveyFields {
        site_id: Option<i64>,
        protocol: Protocol,
        mapping_version: String,
        survey_kind: SurveyKind,
        survey_type: Option<SurveyType>,
        survey_date: NaiveDate,
        started_at: Option<DateTime<Utc>>,
        location: Option<Point>,
        stretch: Option<LineString<Point>>,
        length_m: Option<f64>,
        length_source: LengthSource,
        width_m: Option<f64>,
        area_m2: Option<f64>,
        participants: Option<i32>,
        duration_min: Option<f64>,
        mass_kg: Option<f64>,
        bags: Option<i32>,
        status: ReviewStatus,
        flags: serde_json::Value,
    },
}

impl SurveyFields {
    /// The columns a normalised survey decides, placed on `site_id` with `status`: one mapping
    /// for new surveys and corrected ones.
    fn of(survey: &NormalisedSurvey, site_id: Option<i64>, status: ReviewStatus) -> Self {
        let input = &survey.input;
        SurveyFields {
            site_id,
            protocol: input.protocol,
            mapping_version: survey.mapping_version.clone(),
            survey_kind: input.kind,
            survey_type: input.survey_type,
            survey_date: input.date,
            started_at: input.started_at.map(|t| t.with_timezone(&Utc)),
            location: input.location.as_ref().map(geo::from_geo),
            stretch: input.stretch.as_ref().map(|(start, end)| geo::line(start, end)),
            length_m: survey.length_m,
            length_source: survey.length_source,
            width_m: input.width_m,
            area_m2: input.area_m2,
            participants: input.effort.participants.map(derived::stored_count),
            duration_min: input.effort.duration_min,
            mass_kg: input.effort.mass_kg,
            bags: input.effort.bags.map(derived::stored_count),
            status,
            flags: serde_json::to_value(&survey.flags).unwrap_or_default(),
        }
    }
}

/// Rewrites survey `survey_id` from a corrected normalisation: its fields, items and totals.
pub fn write_survey(
    conn: &mut PgConnection,
    city_id: i64,
    survey_id: i64,
    site_id: Option<i64>,
    survey: &NormalisedSurvey,
    status: ReviewStatus,
) -> QueryResult<()> {
    let fields = SurveyFields::of(survey, site_id, status);
    diesel::update(surveys::table.find((city_id, survey_id))).set(fields).execute(conn)?;
    replace_normalisation(conn, city_id, survey_id, site_id, status, survey)
}

/// Replaces a survey's items and totals with those of a new normalisation and notes its
/// mapping version (a renormalisation, or the tail of a correction).
pub fn replace_normalisation(
    conn: &mut PgConnection,
    city_id: i64,
    survey_id: i64,
    site_id: Option<i64>,
    status: ReviewStatus,
    survey: &NormalisedSurvey,
) -> QueryResult<()> {
    use crate::schema::{survey_items, survey_totals};
    // the rows of one survey, by its key: delete and write again in the caller's transaction
    diesel::delete(survey_totals::table.find((city_id, survey_id))).execute(conn)?;
    diesel::delete(
        survey_items::table.filter(survey_items::city_id.eq(city_id)).filter(survey_items::survey_id.eq(survey_id)),
    )
    .execute(conn)?;
    diesel::update(surveys::table.find((city_id, survey_id)))
        .set(surveys::mapping_version.eq(&survey.mapping_version))
        .execute(conn)?;
    derived::insert(conn, &[derived::StoredSurvey { city_id, survey_id, site_id, status, survey }])
}

/// How many surveys are stored.
pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    crate::schema::surveys::table.count().get_result(conn)
}
