//! The rows derived from a normalised survey: its canonical items (through the COPY protocol,
//! binary) and its per-survey totals, written set-based for any number of surveys (a new
//! batch, or one corrected survey).

use diesel::prelude::*;
use tideline_core::review::ReviewStatus;
use tideline_core::stats::indices::CciGrade;
use tideline_core::survey::{NormalisedSurvey, SurveySummary};

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

/// An item's count as `survey_items.count` holds it (an `int4`).
pub fn stored_count(count: u32) -> i32 {
    count.min(i32::MAX as u32) as i32
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
                count: stored_count(item.count),
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

/// A survey's figures as `survey_totals` holds them (written by `insert_totals`): read back with the
/// record (and, for surveys without a site, by the statistics).
#[derive(Queryable, Selectable)]
#[diesel(table_name = survey_totals, check_for_backend(diesel::pg::Pg))]
pub struct SummaryColumns {
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
    area_m2: Option<f64>,
    items_per_100m2: Option<f64>,
    total_weight_g: Option<f64>,
    grams_per_100m2: Option<f64>,
    kg_per_100m: Option<f64>,
    grams_per_m: Option<f64>,
}

impl SummaryColumns {
    /// The summary these columns hold.
    pub fn summary(self) -> SurveySummary {
        SurveySummary {
            total_items: self.total_items as u64,
            threshold_items: self.threshold_items as u64,
            plastic_items: self.plastic_items as u64,
            sup_items: self.sup_items as u64,
            fishing_items: self.fishing_items as u64,
            items_per_100m: self.items_per_100m,
            threshold_items_per_100m: self.threshold_items_per_100m,
            items_per_m2: self.items_per_m2,
            cci: self.cci,
            cci_grade: self.cci.map(CciGrade::of),
            eu_threshold_eligible: self.eu_eligible,
            materials: serde_json::from_value(self.materials).unwrap_or_default(),
            area_m2: self.area_m2,
            items_per_100m2: self.items_per_100m2,
            total_weight_g: self.total_weight_g,
            grams_per_100m2: self.grams_per_100m2,
            kg_per_100m: self.kg_per_100m,
            grams_per_m: self.grams_per_m,
        }
    }
}

/// Inserts one totals row per survey through the COPY protocol (binary). The row is a tuple of
/// column assignments, flat: diesel's COPY cannot write `SummaryColumns` embedded.
fn insert_totals(conn: &mut PgConnection, surveys: &[StoredSurvey<'_>]) -> QueryResult<()> {
    use crate::schema::survey_totals::dsl as t;
    let rows: Vec<_> = surveys
        .iter()
        .map(|stored| {
            let (input, s) = (&stored.survey.input, &stored.survey.summary);
            (
                t::city_id.eq(stored.city_id),
                t::survey_id.eq(stored.survey_id),
                t::site_id.eq(stored.site_id),
                t::survey_date.eq(input.date),
                t::survey_kind.eq(input.kind),
                t::protocol.eq(input.protocol),
                t::status.eq(stored.status),
                t::length_m.eq(stored.survey.length_m),
                t::participants.eq(input.effort.participants.map(stored_count)),
                t::mass_kg.eq(input.effort.mass_kg),
                t::bags.eq(input.effort.bags.map(stored_count)),
                t::total_items.eq(s.total_items as i64),
                t::threshold_items.eq(s.threshold_items as i64),
                t::plastic_items.eq(s.plastic_items as i64),
                t::sup_items.eq(s.sup_items as i64),
                t::fishing_items.eq(s.fishing_items as i64),
                t::items_per_100m.eq(s.items_per_100m),
                t::threshold_items_per_100m.eq(s.threshold_items_per_100m),
                t::items_per_m2.eq(s.items_per_m2),
                t::cci.eq(s.cci),
                t::eu_eligible.eq(s.eu_threshold_eligible),
                t::materials.eq(serde_json::to_value(&s.materials).unwrap_or_default()),
                t::area_m2.eq(s.area_m2),
                t::items_per_100m2.eq(s.items_per_100m2),
                t::total_weight_g.eq(s.total_weight_g),
                t::grams_per_100m2.eq(s.grams_per_100m2),
                t::kg_per_100m.eq(s.kg_per_100m),
                t::grams_per_m.eq(s.grams_per_m),
            )
        })
        .collect();
    if !rows.is_empty() {
        diesel::copy_from(t::survey_totals).from_insertable(&rows).execute(conn)?;
    }
    Ok(())
}
