//! Beach-litter surveys: write a normalised survey's fields, items and per-survey totals (a
//! correction or a renormalisation; new surveys are inserted set-based by `bulk`), and read them
//! back (`read.rs`).

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Double, Integer, Jsonb, Nullable, Text, Timestamptz};
use tideline_core::review::ReviewStatus;
use tideline_core::survey::NormalisedSurvey;

mod read;
pub use read::{find, list, ListFilter, SurveyRecord};

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
    use crate::schema::{survey_items, survey_totals, surveys};
    // the rows of one survey, by its key: delete and write again in the caller's transaction
    diesel::delete(survey_totals::table.find((city_id, survey_id))).execute(conn)?;
    diesel::delete(
        survey_items::table.filter(survey_items::city_id.eq(city_id)).filter(survey_items::survey_id.eq(survey_id)),
    )
    .execute(conn)?;
    diesel::update(surveys::table.find((city_id, survey_id)))
        .set(surveys::mapping_version.eq(&survey.mapping_version))
        .execute(conn)?;
    write_items_and_totals(conn, city_id, survey_id, survey)
}

/// How many surveys are stored.
pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    crate::schema::surveys::table.count().get_result(conn)
}
