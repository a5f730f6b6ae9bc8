//! Row sources of the CSV reports and exports: survey and sample rows of a scope, read
//! through a server-side cursor in fixed-size chunks so memory stays flat however many rows.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Jsonb, Nullable, Text};

use super::records::accepted;
use super::stats::{Scope, StatsFilter};

/// Rows fetched per cursor round trip.
pub const CHUNK: usize = 2_000;

/// One accepted survey with its normalised values (and, for wide exports, its items).
#[derive(Debug, Clone, QueryableByName)]
pub struct SurveyExportRow {
    /// Survey id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Local date.
    #[diesel(sql_type = Date)]
    pub survey_date: NaiveDate,
    /// Site id.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub site_id: Option<i64>,
    /// Site code.
    #[diesel(sql_type = Nullable<Text>)]
    pub site_code: Option<String>,
    /// City name.
    #[diesel(sql_type = Text)]
    pub city: String,
    /// Country code.
    #[diesel(sql_type = Text)]
    pub country_code: String,
    /// Protocol.
    #[diesel(sql_type = Text)]
    pub protocol: String,
    /// Monitoring or cleanup.
    #[diesel(sql_type = Text)]
    pub survey_kind: String,
    /// Length used, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub length_m: Option<f64>,
    /// Total items.
    #[diesel(sql_type = BigInt)]
    pub total_items: i64,
    /// items/100 m.
    #[diesel(sql_type = Nullable<Double>)]
    pub items_per_100m: Option<f64>,
    /// items/m².
    #[diesel(sql_type = Nullable<Double>)]
    pub items_per_m2: Option<f64>,
    /// Plastic items.
    #[diesel(sql_type = BigInt)]
    pub plastic_items: i64,
    /// SUP items.
    #[diesel(sql_type = BigInt)]
    pub sup_items: i64,
    /// Fishing items.
    #[diesel(sql_type = BigInt)]
    pub fishing_items: i64,
    /// CCI.
    #[diesel(sql_type = Nullable<Double>)]
    pub cci: Option<f64>,
    /// `{category: count}` of counted items (wide exports only, else `{}`).
    #[diesel(sql_type = Jsonb)]
    pub items: serde_json::Value,
}

fn scope_sql(scope: &Scope) -> String {
    match scope {
        Scope::Site(id) => format!("t.city_id = (SELECT city_id FROM sites WHERE id = {id}) AND t.site_id = {id}"),
        Scope::City(id) => format!("t.city_id = {id}"),
        Scope::Country(code) => format!(
            "t.city_id IN (SELECT id FROM cities WHERE country_code = '{}')",
            code.chars().filter(char::is_ascii_uppercase).collect::<String>()
        ),
        Scope::Network => "true".to_string(),
    }
}

/// A vocabulary word as an SQL literal (its words are fixed: nothing to escape), or NULL.
fn word(value: Option<impl std::fmt::Display>) -> String {
    value.map_or("NULL".into(), |w| format!("'{w}'"))
}

fn date(value: Option<NaiveDate>) -> String {
    value.map_or("NULL".into(), |d| format!("'{d}'::date"))
}

/// The SQL of accepted surveys of a scope (filters inlined as literals for the cursor).
pub fn survey_query(scope: &Scope, filter: &StatsFilter, with_items: bool) -> String {
    let items = if with_items {
        "(SELECT coalesce(jsonb_object_agg(category_code, n), '{}') FROM (SELECT category_code, sum(count) AS n \
         FROM survey_items i WHERE i.city_id = t.city_id AND i.survey_id = t.survey_id AND i.counted \
         GROUP BY category_code) x)"
    } else {
        "'{}'::jsonb"
    };
    format!(
        "SELECT t.survey_id AS id, t.survey_date, t.site_id, s.code AS site_code, c.name AS city, c.country_code, \
         t.protocol, t.survey_kind, t.length_m, t.total_items, t.items_per_100m, t.items_per_m2, t.plastic_items, \
         t.sup_items, t.fishing_items, t.cci, {items} AS items \
         FROM survey_totals t JOIN cities c ON c.id = t.city_id LEFT JOIN sites s ON s.id = t.site_id \
         WHERE {} AND {} AND ({} IS NULL OR t.survey_date >= {}) AND ({} IS NULL OR t.survey_date <= {}) \
         AND ({} IS NULL OR t.survey_kind = {}) AND ({} IS NULL OR t.protocol = {}) ORDER BY t.survey_date, t.survey_id",
        accepted("t"),
        scope_sql(scope),
        date(filter.from),
        date(filter.from),
        date(filter.to),
        date(filter.to),
        word(filter.kind),
        word(filter.kind),
        word(filter.protocol),
        word(filter.protocol),
    )
}

/// One accepted sample with its normalised values.
#[derive(Debug, Clone, QueryableByName)]
pub struct SampleExportRow {
    /// Sample id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Local date.
    #[diesel(sql_type = Date)]
    pub sample_date: NaiveDate,
    /// Site id.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub site_id: Option<i64>,
    /// Site code.
    #[diesel(sql_type = Nullable<Text>)]
    pub site_code: Option<String>,
    /// City name.
    #[diesel(sql_type = Text)]
    pub city: String,
    /// Country code.
    #[diesel(sql_type = Text)]
    pub country_code: String,
    /// Matrix.
    #[diesel(sql_type = Text)]
    pub matrix: String,
    /// Method.
    #[diesel(sql_type = Text)]
    pub method: String,
    /// Mesh, µm.
    #[diesel(sql_type = Nullable<Double>)]
    pub mesh_um: Option<f64>,
    /// Flowmeter start reading.
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub flowmeter_start: Option<i32>,
    /// Flowmeter end reading.
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub flowmeter_end: Option<i32>,
    /// Rotor constant the distance was computed with, m per count.
    #[diesel(sql_type = Nullable<Double>)]
    pub rotor_m_per_count: Option<f64>,
    /// Tow distance, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub distance_m: Option<f64>,
    /// Tow duration, min.
    #[diesel(sql_type = Nullable<Double>)]
    pub tow_duration_min: Option<f64>,
    /// Net width, m.
    #[diesel(sql_type = Nullable<Double>)]
    pub net_width_m: Option<f64>,
    /// Net mouth area, m².
    #[diesel(sql_type = Nullable<Double>)]
    pub mouth_area_m2: Option<f64>,
    /// Filtered volume, m³.
    #[diesel(sql_type = Nullable<Double>)]
    pub volume_m3: Option<f64>,
    /// Sediment dry mass, kg.
    #[diesel(sql_type = Nullable<Double>)]
    pub dry_mass_kg: Option<f64>,
    /// Sampled area, m².
    #[diesel(sql_type = Nullable<Double>)]
    pub area_m2: Option<f64>,
    /// Plausibility flag codes, space-separated.
    #[diesel(sql_type = Text)]
    pub flags: String,
    /// Particles.
    #[diesel(sql_type = BigInt)]
    pub particle_count: i64,
    /// per m³.
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_m3: Option<f64>,
    /// per km².
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_km2: Option<f64>,
    /// per kg.
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_kg: Option<f64>,
    /// per m².
    #[diesel(sql_type = Nullable<Double>)]
    pub particles_per_m2: Option<f64>,
    /// NCEI class.
    #[diesel(sql_type = Nullable<Text>)]
    pub density_class: Option<String>,
}

/// The SQL of accepted samples of a scope.
pub fn sample_query(scope: &Scope, filter: &StatsFilter) -> String {
    format!(
        "SELECT t.id, t.sample_date, t.site_id, s.code AS site_code, c.name AS city, c.country_code, t.matrix, \
         t.method, t.mesh_um, t.flowmeter_start, t.flowmeter_end, t.rotor_m_per_count, t.distance_m, t.tow_duration_min, t.net_width_m, t.mouth_area_m2, \
         t.volume_m3, t.dry_mass_kg, t.area_m2, \
         coalesce((SELECT string_agg(f->>'code', ' ') FROM jsonb_array_elements(t.flags) f), '') AS flags, \
         t.particle_count, t.particles_per_m3, t.particles_per_km2, t.particles_per_kg, \
         t.particles_per_m2, t.density_class FROM samples t JOIN cities c ON c.id = t.city_id \
         LEFT JOIN sites s ON s.id = t.site_id WHERE {} AND {} \
         AND ({} IS NULL OR t.sample_date >= {}) AND ({} IS NULL OR t.sample_date <= {}) ORDER BY t.sample_date, t.id",
        accepted("t"),
        scope_sql(scope),
        date(filter.from),
        date(filter.from),
        date(filter.to),
        date(filter.to),
    )
}

/// Runs `query` through a cursor, handing each chunk of rows to `chunk` until it returns false.
pub fn for_each_chunk<R: QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut PgConnection,
    query: &str,
    mut chunk: impl FnMut(Vec<R>) -> bool,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::sql_query(format!("DECLARE export_cursor NO SCROLL CURSOR FOR {query}")).execute(conn)?;
        loop {
            let rows: Vec<R> = diesel::sql_query(format!("FETCH {CHUNK} FROM export_cursor")).load(conn)?;
            let done = rows.len() < CHUNK;
            if !chunk(rows) || done {
                break;
            }
        }
        diesel::sql_query("CLOSE export_cursor").execute(conn)?;
        Ok(())
    })
}
