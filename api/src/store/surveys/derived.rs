//! The rows derived from a normalised survey: its canonical items and its per-survey totals,
//! written set-based through the COPY protocol (binary) for any number of surveys (a new
//! batch, or one corrected survey).

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::protocol::Protocol;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::{NormalisedSurvey, SurveyKind};

use crate::schema::{survey_items, survey_totals};

/// A normalised survey with the keys it is stored under.
pub struct StoredSurvey<'a> {
    /// Its city (the partition key).
    pub city_id: i64,
    /// Its id.
    pub survey_id: i64,
    /// Its site, when placed.
    pub site_id: Option<i64>,
    /// Its review status.
    pub status: ReviewStatus,
    /// The normalised survey.
    pub survey: &'a NormalisedSurvey,
}

/// Inserts the canonical items and the totals of these surveys.
pub fn insert(conn: &mut PgConnection, surveys: &[StoredSurvey<'_>]) -> QueryResult<()> {
    insert_items(conn, surveys)?;
    insert_totals(conn, surveys)
}

/// One canonical item row, as COPY writes it.
#[derive(Insertable)]
#[diesel(table_name = survey_items, treat_none_as_default_value = false)]
struct ItemRow<'a> {
    city_id: i64,
    survey_id: i64,
    source_code: &'a str,
    category_code: &'a str,
    count: i32,
    counted: bool,
    weight_g: Option<f64>,
    size_class: Option<&'static str>,
    origin: Option<&'static str>,
}

fn insert_items(conn: &mut PgConnection, surveys: &[StoredSurvey<'_>]) -> QueryResult<()> {
    let rows: Vec<ItemRow<'_>> = surveys
        .iter()
        .flat_map(|stored| {
            stored.survey.items.iter().map(|item| ItemRow {
                city_id: stored.city_id,
                survey_id: stored.survey_id,
                source_code: &item.source_code,
                category_code: &item.category,
                count: item.count.min(i32::MAX as u32) as i32,
                counted: item.counted,
                weight_g: item.measure.weight_g,
                size_class: item.measure.size_class.map(|s| s.as_str()),
                origin: item.measure.origin.map(|o| o.as_str()),
            })
        })
        .collect();
    if !rows.is_empty() {
        diesel::copy_from(survey_items::table).from_insertable(&rows).execute(conn)?;
    }
    Ok(())
}

/// One survey's totals row, as COPY writes it.
#[derive(Insertable)]
#[diesel(table_name = survey_totals, treat_none_as_default_value = false)]
struct TotalsRow {
    city_id: i64,
    survey_id: i64,
    site_id: Option<i64>,
    survey_date: NaiveDate,
    survey_kind: SurveyKind,
    protocol: Protocol,
    status: ReviewStatus,
    length_m: Option<f64>,
    total_items: i64,
    threshold_items: i64,
    plastic_items: i64,
    sup_items: i64,
    fishing_items: i64,
    items_per_100m: Option<f64>,
    threshold_items_per_100m: Option<f64>,
    items_per_m2: Option<f64>,
    cci: Option<f64>,
    eu_eligible: bool,
    materials: serde_json::Value,
    participants: Option<i32>,
    mass_kg: Option<f64>,
    bags: Option<i32>,
    area_m2: Option<f64>,
    items_per_100m2: Option<f64>,
    total_weight_g: Option<f64>,
    grams_per_100m2: Option<f64>,
    kg_per_100m: Option<f64>,
    grams_per_m: Option<f64>,
}

fn insert_totals(conn: &mut PgConnection, surveys: &[StoredSurvey<'_>]) -> QueryResult<()> {
    let rows: Vec<TotalsRow> = surveys
        .iter()
        .map(|stored| {
            let (input, summary) = (&stored.survey.input, &stored.survey.summary);
            TotalsRow {
                city_id: stored.city_id,
                survey_id: stored.survey_id,
                site_id: stored.site_id,
                survey_date: input.date,
                survey_kind: input.kind,
                protocol: input.protocol,
                status: stored.status,
                length_m: stored.survey.length_m,
                total_items: summary.total_items as i64,
                threshold_items: summary.threshold_items as i64,
                plastic_items: summary.plastic_items as i64,
                sup_items: summary.sup_items as i64,
                fishing_items: summary.fishing_items as i64,
                items_per_100m: summary.items_per_100m,
                threshold_items_per_100m: summary.threshold_items_per_100m,
                items_per_m2: summary.items_per_m2,
                cci: summary.cci,
                eu_eligible: summary.eu_threshold_eligible,
                materials: serde_json::to_value(&summary.materials).unwrap_or_default(),
                participants: input.effort.participants.map(|v| v.min(i32::MAX as u32) as i32),
                mass_kg: input.effort.mass_kg,
                bags: input.effort.bags.map(|v| v.min(i32::MAX as u32) as i32),
                area_m2: summary.area_m2,
                items_per_100m2: summary.items_per_100m2,
                total_weight_g: summary.total_weight_g,
                grams_per_100m2: summary.grams_per_100m2,
                kg_per_100m: summary.kg_per_100m,
                grams_per_m: summary.grams_per_m,
            }
        })
        .collect();
    if !rows.is_empty() {
        diesel::copy_from(survey_totals::table).from_insertable(&rows).execute(conn)?;
    }
    Ok(())
}
