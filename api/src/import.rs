//! `tideline import`: wide CSV exports (OSPAR/litteR, Marine LitterWatch, TIDES, MDMAP) read
//! through the same core adapters and the same write path as the API, in batches, with a
//! report of every rejected row. Client ids are derived from the team, file name, line and
//! row content, so importing the same file again stores nothing new.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use diesel::{Connection, PgConnection};
use serde_json::{json, Value};
use tideline_core::bounds::SURVEY_LENGTH_M;
use tideline_core::protocol::wide::AdaptedRow;
use tideline_core::protocol::{mdmap, mlw, ospar, tides};
use tideline_core::survey::{SurveyInput, SurveyKind, SurveyType};
use tideline_core::validation::FieldError;

use crate::ingest::{self, Outcome};
use crate::store::bulk;
use crate::store::places::{self, NewSite};
use crate::store::records::{Author, SITE_MATCH_RADIUS_M};
use crate::store::teams::Team;

/// Rows stored per transaction.
pub const IMPORT_BATCH: usize = 500;

/// A supported file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// OSPAR beach litter in the litteR wide layout.
    OsparCsv,
    /// EEA Marine LitterWatch export (G-codes).
    MlwCsv,
    /// Ocean Conservancy TIDES export.
    TidesCsv,
    /// NOAA MDMAP shoreline survey layout.
    MdmapCsv,
}

type RowReader = fn(&[String], &[String]) -> Result<AdaptedRow, Vec<FieldError>>;

impl Format {
    fn reader(self) -> RowReader {
        match self {
            Self::OsparCsv => ospar::read_row,
            Self::MlwCsv => mlw::read_row,
            Self::TidesCsv => tides::read_row,
            Self::MdmapCsv => mdmap::read_row,
        }
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Rows read.
    pub rows: usize,
    /// Surveys stored now.
    pub created: usize,
    /// Rows already stored by an earlier import.
    pub duplicates: usize,
    /// Rejected rows: CSV line and reasons.
    pub rejected: Vec<(usize, Vec<FieldError>)>,
}

/// Registers the sites of a site file (`code, name, city, country_code, kind, lat, lon,
/// reference_length_m`), creating their cities; returns code → site id.
pub fn load_site_file(conn: &mut PgConnection, path: &Path) -> anyhow::Result<HashMap<String, i64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    load_sites(conn, &text).with_context(|| path.display().to_string())
}

/// Registers the sites of site-file text; returns code → site id.
pub fn load_sites(conn: &mut PgConnection, text: &str) -> anyhow::Result<HashMap<String, i64>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut sites = HashMap::new();
    for (index, record) in reader.deserialize::<HashMap<String, String>>().enumerate() {
        let line = index + 2;
        let row = record.with_context(|| format!("line {line}"))?;
        let field = |name: &str| row.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
        let number = |name: &str| field(name).parse::<f64>().with_context(|| format!("line {line}: bad {name}"));
        let country = tideline_core::country::country_code(&field("country_code")).map_err(|e| anyhow::anyhow!(e))?;
        let city = places::upsert_city(conn, &field("city"), &country)?;
        let site = places::upsert_site(
            conn,
            &NewSite {
                city_id: city.id,
                code: field("code"),
                name: field("name"),
                kind: field("kind"),
                lat: number("lat")?,
                lon: number("lon")?,
                reference_length_m: field("reference_length_m").parse().ok(),
            },
        )?;
        sites.insert(site.code.clone(), site.id);
    }
    Ok(sites)
}

/// The JSON envelope of an adapted row, exactly as an app would post it.
pub fn envelope(input: &SurveyInput, client_id: uuid::Uuid, site_id: Option<i64>) -> Value {
    let point = |p: tideline_core::survey::GeoPoint| json!({"lat": p.lat, "lon": p.lon});
    let mut fields = serde_json::Map::new();
    fields.insert("client_id".into(), json!(client_id.to_string()));
    fields.insert("protocol".into(), json!(input.protocol.as_str()));
    fields.insert("date".into(), json!(input.date.to_string()));
    let kind = if input.kind == SurveyKind::Monitoring { "monitoring" } else { "cleanup" };
    fields.insert("kind".into(), json!(kind));
    let items: Vec<Value> = input.items.iter().map(|i| json!({"code": i.code, "count": i.count})).collect();
    fields.insert("items".into(), Value::Array(items));
    if let Some(id) = site_id {
        fields.insert("site_id".into(), json!(id));
    }
    if let Some(location) = input.location {
        fields.insert("location".into(), point(location));
    }
    if let Some((start, end)) = input.stretch {
        fields.insert("stretch".into(), json!({"start": point(start), "end": point(end)}));
    }
    if let Some(length) = input.length_m {
        fields.insert("length_m".into(), json!(length));
    }
    if let Some(width) = input.width_m {
        fields.insert("width_m".into(), json!(width));
    }
    if let Some(t) = input.survey_type {
        let name = if t == SurveyType::Accumulation { "accumulation" } else { "standing_stock" };
        fields.insert("survey_type".into(), json!(name));
    }
    let e = &input.effort;
    if e.participants.is_some() || e.mass_kg.is_some() || e.bags.is_some() || e.duration_min.is_some() {
        let mut effort = serde_json::Map::new();
        e.participants.map(|v| effort.insert("participants".into(), json!(v)));
        e.duration_min.map(|v| effort.insert("duration_min".into(), json!(v)));
        e.mass_kg.map(|v| effort.insert("mass_kg".into(), json!(v)));
        e.bags.map(|v| effort.insert("bags".into(), json!(v)));
        fields.insert("effort".into(), Value::Object(effort));
    }
    Value::Object(fields)
}

/// Deterministic client id of one row of one file for one team.
fn row_client_id(team: &Team, file_name: &str, line: usize, values: &[String]) -> uuid::Uuid {
    let key = format!("tideline-import|{}|{file_name}|{line}|{}", team.id, values.join("\u{1f}"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes())
}

/// Finds the site a row belongs to: by code from the site file or in the team's city, then
/// by coordinates; with `create_sites`, registers a site from the row's own coordinates.
fn site_for(
    conn: &mut PgConnection,
    row: &AdaptedRow,
    team: &Team,
    site_file: &HashMap<String, i64>,
    create_sites: bool,
) -> diesel::QueryResult<Option<i64>> {
    let code = row.site.code.clone().or_else(|| row.site.name.clone());
    if let Some(id) = code.as_ref().and_then(|c| site_file.get(c)) {
        return Ok(Some(*id));
    }
    if let Some(code) = &code {
        if let Some(site) = places::find_site_by_code(conn, team.city_id, &site_code(code))? {
            return Ok(Some(site.id));
        }
    }
    let Some(location) = row.site.location else { return Ok(None) };
    if let Some(site) = places::nearest_site(conn, location.lat, location.lon, SITE_MATCH_RADIUS_M)? {
        return Ok(Some(site.id));
    }
    if !create_sites {
        return Ok(None);
    }
    let name = row.site.name.clone().or_else(|| code.clone());
    let code = site_code(&code.unwrap_or_else(|| format!("{:.4},{:.4}", location.lat, location.lon)));
    // only a plausible monitoring length becomes the site's reference (never a cleanup's 0)
    let reference_length_m = row
        .survey
        .length_m
        .filter(|l| row.survey.kind == SurveyKind::Monitoring && *l > 10.0 && SURVEY_LENGTH_M.contains(*l));
    let site = places::upsert_site(
        conn,
        &NewSite {
            city_id: team.city_id,
            name: name.map_or_else(|| code.clone(), |n| n.chars().take(SITE_NAME_MAX).collect()),
            code,
            kind: "beach".into(),
            lat: location.lat,
            lon: location.lon,
            reference_length_m,
        },
    )?;
    Ok(Some(site.id))
}

/// Longest site code and name the schema keeps.
const SITE_CODE_MAX: usize = 64;
const SITE_NAME_MAX: usize = 200;

/// A site code from a file's own code or name: kept when it fits, otherwise its first 55
/// characters and a stable 8-digit hash of the whole, so long beach names never fail an import
/// and the same name always gives the same code.
fn site_code(text: &str) -> String {
    if text.chars().count() <= SITE_CODE_MAX {
        return text.to_string();
    }
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, text.as_bytes()).simple().to_string();
    let head: String = text.chars().take(SITE_CODE_MAX - 9).collect();
    format!("{}-{}", head.trim_end(), &hash[..8])
}

/// Imports a CSV file for `team`; `progress` is told (rows done, rows total) after each batch.
#[allow(clippy::too_many_arguments)]
pub fn import_file(
    conn: &mut PgConnection,
    format: Format,
    path: &Path,
    team: &Team,
    site_file: &HashMap<String, i64>,
    create_sites: bool,
    today: NaiveDate,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Report> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let headers: Vec<String> = reader.headers()?.iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.map(|r| r.iter().map(str::to_string).collect())).collect::<Result<_, _>>()?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let author = Author { team_id: team.id, team_city_id: team.city_id, trusted: team.trusted };
    let mut report = Report { rows: rows.len(), ..Report::default() };
    let read = format.reader();
    let mut site_cache: HashMap<(Option<String>, Option<String>), Option<i64>> = HashMap::new();
    for (chunk_index, chunk) in rows.chunks(IMPORT_BATCH).enumerate() {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            let mut lines = Vec::with_capacity(chunk.len());
            let mut bodies = Vec::with_capacity(chunk.len());
            let line_of = |offset: usize| chunk_index * IMPORT_BATCH + offset + 2;
            let client_ids: Vec<uuid::Uuid> = chunk
                .iter()
                .enumerate()
                .map(|(offset, values)| row_client_id(team, &file_name, line_of(offset), values))
                .collect();
            // a row's identity is its content: one stored before is a duplicate whatever site
            // it would be placed on now (sites registered since must not turn it into a conflict)
            let stored: std::collections::HashSet<uuid::Uuid> =
                bulk::existing(conn, team.id, &client_ids)?.into_iter().map(|e| e.client_id).collect();
            for (offset, values) in chunk.iter().enumerate() {
                let line = line_of(offset);
                if stored.contains(&client_ids[offset]) {
                    report.duplicates += 1;
                    continue;
                }
                let adapted = match read(&headers, values) {
                    Ok(adapted) => adapted,
                    Err(errors) => {
                        report.rejected.push((line, errors));
                        continue;
                    }
                };
                let key = (adapted.site.code.clone(), adapted.site.name.clone());
                let site_id = match site_cache.get(&key) {
                    Some(id) if key.0.is_some() || key.1.is_some() => *id,
                    _ => {
                        let id = site_for(conn, &adapted, team, site_file, create_sites)?;
                        site_cache.insert(key, id);
                        id
                    }
                };
                lines.push(line);
                bodies.push(serde_json::value::to_raw_value(&envelope(&adapted.survey, client_ids[offset], site_id))?);
            }
            for (line, outcome) in lines.into_iter().zip(ingest::survey_batch(conn, &author, &bodies, today)?) {
                match outcome {
                    Outcome::Created(_) => report.created += 1,
                    Outcome::Duplicate(_) => report.duplicates += 1,
                    Outcome::Rejected(errors) => report.rejected.push((line, errors)),
                    Outcome::Conflict(message) => report.rejected.push((line, vec![FieldError::new("", message)])),
                }
            }
            Ok(())
        })?;
        progress((chunk_index * IMPORT_BATCH + chunk.len()).min(rows.len()), rows.len());
    }
    // rows rejected by the adapter and by the write path, in file order
    report.rejected.sort_by_key(|(line, _)| *line);
    Ok(report)
}
