//! The rows derived from a normalised survey: its canonical items and its per-survey totals,
//! written set-based for any number of surveys (a new batch, or one corrected survey).

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Double, Integer, Jsonb, Nullable, Text};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::{NormalisedSurvey, SurveySummary};

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

fn insert_items(conn: &mut PgConnection, surveys: &[StoredSurvey<'_>]) -> QueryResult<()> {
    let (mut item_city, mut item_survey, mut item_source, mut item_category, mut item_count, mut item_counted) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut item_weight, mut item_size, mut item_origin) = (Vec::new(), Vec::new(), Vec::new());
    for stored in surveys {
        for item in &stored.survey.items {
            item_city.push(stored.city_id);
            item_survey.push(stored.survey_id);
            item_source.push(item.source_code.as_str());
            item_category.push(item.category.as_str());
            item_count.push(item.count as i32);
            item_counted.push(item.counted);
            item_weight.push(item.measure.weight_g);
            item_size.push(item.measure.size_class.map(|s| s.as_str()));
            item_origin.push(item.measure.origin.map(|o| o.as_str()));
        }
    }
    // raw SQL: an `unnest` bulk write, one statement for any number of item rows
    diesel::sql_query(
        "INSERT INTO survey_items (city_id, survey_id, source_code, category_code, count, counted, weight_g, \
         size_class, origin) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int4[], \
         $6::bool[], $7::float8[], $8::text[], $9::text[])",
    )
    .bind::<Array<BigInt>, _>(&item_city)
    .bind::<Array<BigInt>, _>(&item_survey)
    .bind::<Array<Text>, _>(&item_source)
    .bind::<Array<Text>, _>(&item_category)
    .bind::<Array<Integer>, _>(&item_count)
    .bind::<Array<Bool>, _>(&item_counted)
    .bind::<Array<Nullable<Double>>, _>(&item_weight)
    .bind::<Array<Nullable<Text>>, _>(&item_size)
    .bind::<Array<Nullable<Text>>, _>(&item_origin)
    .execute(conn)?;
    Ok(())
}

fn insert_totals(conn: &mut PgConnection, surveys: &[StoredSurvey<'_>]) -> QueryResult<()> {
    let column = |f: &dyn Fn(&StoredSurvey<'_>) -> Option<f64>| surveys.iter().map(f).collect::<Vec<_>>();
    let sum = |f: fn(&SurveySummary) -> u64| surveys.iter().map(|s| f(&s.survey.summary) as i64).collect::<Vec<_>>();
    let opt = |f: fn(&SurveySummary) -> Option<f64>| surveys.iter().map(|s| f(&s.survey.summary)).collect::<Vec<_>>();
    let inputs: Vec<_> = surveys.iter().map(|s| &s.survey.input).collect();
    // raw SQL: an `unnest` bulk write, one statement for any number of surveys
    diesel::sql_query(
        "INSERT INTO survey_totals (city_id, survey_id, site_id, survey_date, survey_kind, protocol, status, length_m, \
         total_items, threshold_items, plastic_items, sup_items, fishing_items, items_per_100m, threshold_items_per_100m, \
         items_per_m2, cci, eu_eligible, materials, participants, mass_kg, bags, area_m2, items_per_100m2, \
         total_weight_g, grams_per_100m2, kg_per_100m, grams_per_m) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::date[], $5::text[], $6::text[], $7::text[], \
         $8::float8[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::float8[], \
         $15::float8[], $16::float8[], $17::float8[], $18::bool[], $19::jsonb[], $20::int4[], $21::float8[], $22::int4[], \
         $23::float8[], $24::float8[], $25::float8[], $26::float8[], $27::float8[], $28::float8[])",
    )
    .bind::<Array<BigInt>, _>(surveys.iter().map(|s| s.city_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(surveys.iter().map(|s| s.survey_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<BigInt>>, _>(surveys.iter().map(|s| s.site_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(inputs.iter().map(|i| i.date).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(inputs.iter().map(|i| i.protocol.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(surveys.iter().map(|s| s.status.as_str()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(column(&|s| s.survey.length_m))
    .bind::<Array<BigInt>, _>(sum(|s| s.total_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.threshold_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.plastic_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.sup_items))
    .bind::<Array<BigInt>, _>(sum(|s| s.fishing_items))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.items_per_100m))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.threshold_items_per_100m))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.items_per_m2))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.cci))
    .bind::<Array<Bool>, _>(surveys.iter().map(|s| s.survey.summary.eu_threshold_eligible).collect::<Vec<_>>())
    .bind::<Array<Jsonb>, _>(
        surveys.iter().map(|s| serde_json::to_value(&s.survey.summary.materials).unwrap_or_default()).collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.participants.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(column(&|s| s.survey.input.effort.mass_kg))
    .bind::<Array<Nullable<Integer>>, _>(inputs.iter().map(|i| i.effort.bags.map(|v| v as i32)).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.area_m2))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.items_per_100m2))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.total_weight_g))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.grams_per_100m2))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.kg_per_100m))
    .bind::<Array<Nullable<Double>>, _>(opt(|s| s.grams_per_m))
    .execute(conn)?;
    Ok(())
}
