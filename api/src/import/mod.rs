//! `tideline import`: wide CSV exports (OSPAR/litteR, Marine LitterWatch, TIDES, MDMAP) read
//! through the core adapters and stored by the same write path as the API. Every row is read,
//! validated and stored or rejected on its own; only an unreadable file stops the run, before
//! anything is stored. A row's client id derives from the team, the layout and the row's
//! content (header and cells), so importing the same rows again — the same file, a renamed
//! copy, or a fixed rejects file — stores nothing twice, and a row repeated in a file is one
//! record.

mod envelope;
mod lookups;
mod progress;
mod rejects;
mod sites;

pub use envelope::envelope;
pub use progress::ProgressBar;
pub use rejects::{Problem, Rejection, Report};
pub use sites::{load_site_file, load_sites, site_code, CODE_MATCH_RADIUS_M};

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use diesel::{Connection, PgConnection};
use tideline_core::input::wide::columns::column_of;
use tideline_core::input::wide::AdaptedRow;
use tideline_core::input::wide::{mdmap, mlw, ospar, sheet, tides};
use tideline_core::input::SurveyEnvelope;
use tideline_core::protocol::Protocol;
use tideline_core::validation::FieldError;

use crate::ingest::{self, Outcome, SurveySubmission};
use crate::store::bulk;
use crate::store::records::{Author, RecordKind, StoredPayload};
use crate::store::teams::Team;
use sites::SitePlacer;

/// Rows stored per transaction (a chunk whose transaction fails is stored again one row per
/// transaction, so one row's failure never takes another with it).
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
    /// A GESAMP material × size-class sheet: counts and weights (g) per `material:size_class`.
    GesampCsv,
    /// A NOWPAP/NPEC sheet: counts and weights (g) per material, in the weighed-sheet layout.
    NowpapCsv,
    /// China's national monitoring: counts and weights (g) per `material:size`.
    ChinaCsv,
    /// Indonesia's KLHK guideline: counts and weights (g) per UNEP/IOC code (`PL07:meso`).
    KlhkCsv,
    /// Viet Nam (Fulbright Vietnam Project sheet): counts and weights (g) per item.
    VietnamCsv,
}

impl Format {
    /// Reads one row of the layout into a survey and its site.
    fn read_row(self, headers: &[String], values: &[String]) -> Result<AdaptedRow, Vec<FieldError>> {
        match self {
            Self::OsparCsv => ospar::read_row(headers, values),
            Self::MlwCsv => mlw::read_row(headers, values),
            Self::TidesCsv => tides::read_row(headers, values),
            Self::MdmapCsv => mdmap::read_row(headers, values),
            Self::GesampCsv | Self::NowpapCsv | Self::ChinaCsv | Self::KlhkCsv | Self::VietnamCsv => {
                sheet::read_row(self.protocol(), headers, values)
            }
        }
    }

    /// The protocol the layout's items are coded in.
    pub fn protocol(self) -> Protocol {
        match self {
            Self::OsparCsv => Protocol::Ospar,
            Self::MlwCsv => Protocol::Mlw,
            Self::TidesCsv => Protocol::Tides,
            Self::MdmapCsv => Protocol::Mdmap,
            Self::GesampCsv => Protocol::Gesamp,
            Self::NowpapCsv => Protocol::Nowpap,
            Self::ChinaCsv => Protocol::China,
            Self::KlhkCsv => Protocol::Klhk,
            Self::VietnamCsv => Protocol::Vietnam,
        }
    }
}

/// A file read whole: its header and rows (cells as text; a row that is not UTF-8 is kept,
/// lossily decoded, with the reason it cannot be read).
pub struct CsvFile {
    /// Column names, without a byte-order mark.
    pub headers: Vec<String>,
    /// Each row's cells, and whether it was valid UTF-8.
    pub rows: Vec<(Vec<String>, bool)>,
}

/// Reads a CSV file of `format`; an error when it is not CSV or lacks the layout's date column.
pub fn read_file(path: &Path, format: Format) -> anyhow::Result<CsvFile> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let headers: Vec<String> = reader
        .byte_headers()
        .with_context(|| format!("{}: not a CSV file", path.display()))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let date_column = column_of(format.protocol(), "/date").unwrap_or("date");
    if !headers.iter().any(|h| h.eq_ignore_ascii_case(date_column)) {
        let name = clap::ValueEnum::to_possible_value(&format).map(|v| v.get_name().to_string()).unwrap_or_default();
        bail!("{}: no `{date_column}` column, so this is not a `{name}` file; nothing was stored", path.display());
    }
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = record.with_context(|| format!("{}: not a CSV file; nothing was stored", path.display()))?;
        let utf8 = std::str::from_utf8(record.as_slice()).is_ok();
        rows.push((record.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect(), utf8));
    }
    Ok(CsvFile { headers, rows })
}

/// Deterministic client id of one row for one team: its cells under their column names.
fn row_client_id(team: &Team, format: Format, headers: &[String], values: &[String]) -> uuid::Uuid {
    let cells: Vec<String> = headers.iter().zip(values).map(|(h, v)| format!("{h}\u{1e}{}", v.trim())).collect();
    let key = format!("tideline-import|{}|{format:?}|{}", team.id, cells.join("\u{1f}"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes())
}

/// Where one row stands before it is stored.
enum RowState {
    Stored,
    Refused(Vec<FieldError>),
    Read { row: Box<AdaptedRow>, country: String },
}

/// Options of one import run.
pub struct ImportOptions<'a> {
    /// The team the records belong to.
    pub team: &'a Team,
    /// Site codes of a site file → site ids.
    pub site_file: &'a std::collections::HashMap<String, i64>,
    /// Register a site from a row with no site near it.
    pub create_sites: bool,
    /// Latest acceptable record date.
    pub today: NaiveDate,
}

/// Imports a CSV file; `progress` is told (rows done, rows total) after each chunk.
pub fn import_file(
    conn: &mut PgConnection,
    format: Format,
    path: &Path,
    options: &ImportOptions<'_>,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Report> {
    let file = read_file(path, format)?;
    let team = options.team;
    let protocol = format.protocol();
    let client_ids: Vec<uuid::Uuid> =
        file.rows.iter().map(|(cells, _)| row_client_id(team, format, &file.headers, cells)).collect();
    // a row's identity is its content: one stored before is a duplicate whatever site it
    // would be placed on now
    let mut stored = HashSet::new();
    for chunk in client_ids.chunks(5_000) {
        stored.extend(bulk::existing(conn, RecordKind::Survey, team.id, chunk)?.into_iter().map(|e| e.client_id));
    }
    let mut placer = SitePlacer::new(conn, team, options.site_file, options.create_sites)?;
    let states: Vec<RowState> = (file.rows.iter().zip(&client_ids))
        .map(|((cells, utf8), client_id)| {
            if stored.contains(client_id) {
                return RowState::Stored;
            }
            if !utf8 {
                return RowState::Refused(vec![FieldError::new("", "the row is not UTF-8 text")]);
            }
            match format.read_row(&file.headers, cells).and_then(|row| {
                let country = placer.country(&row).map_err(|e| vec![FieldError::new("/country", e)])?;
                Ok((row, country))
            }) {
                Ok((row, country)) => RowState::Read { row: Box::new(row), country },
                Err(errors) => RowState::Refused(errors),
            }
        })
        .collect();
    // every site the file needs exists before any row is placed
    for state in &states {
        if let RowState::Read { row, country } = state {
            placer.register(conn, row, country)?;
        }
    }
    let author = Author { team_id: team.id, team_city_id: team.city_id, trusted: team.trusted };
    let mut report = Report { headers: file.headers.clone(), rows: file.rows.len(), ..Report::default() };
    let total = states.len();
    let mut done = 0;
    let mut pending: Vec<(usize, Result<SurveySubmission, Vec<FieldError>>)> = Vec::new();
    for (index, state) in states.into_iter().enumerate() {
        match state {
            RowState::Stored => report.duplicates += 1,
            RowState::Refused(errors) => pending.push((index, Err(errors))),
            RowState::Read { row, country } => {
                let placed = placer.place(conn, &row, &country)?;
                let envelope =
                    SurveyEnvelope { client_id: client_ids[index], placement: placed.placement, input: row.survey };
                let payload = StoredPayload::of(&envelope::of(&envelope));
                pending.push((index, Ok(SurveySubmission { envelope, payload, flags: placed.flags })));
            }
        }
        if pending.len() == IMPORT_BATCH || index + 1 == total {
            store_chunk(conn, &author, std::mem::take(&mut pending), options.today, &file, protocol, &mut report)?;
            done = index + 1;
            progress(done, total);
        }
    }
    if done < total {
        progress(total, total);
    }
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

/// Stores one chunk in one transaction; if the database refuses it, stores each row in its own
/// transaction, so a row the database refuses is rejected alone with the database's reason.
fn store_chunk(
    conn: &mut PgConnection,
    author: &Author,
    chunk: Vec<(usize, Result<SurveySubmission, Vec<FieldError>>)>,
    today: NaiveDate,
    file: &CsvFile,
    protocol: Protocol,
    report: &mut Report,
) -> anyhow::Result<()> {
    let (indices, records): (Vec<usize>, Vec<_>) = chunk.into_iter().unzip();
    let outcomes = match conn.transaction(|conn| ingest::store_surveys(conn, author, &records, today)) {
        Ok(outcomes) => outcomes,
        Err(_) => {
            let mut outcomes = Vec::with_capacity(records.len());
            for record in &records {
                let one =
                    conn.transaction(|conn| ingest::store_surveys(conn, author, std::slice::from_ref(record), today));
                outcomes.push(match one {
                    Ok(mut outcome) => outcome.pop().unwrap_or(Outcome::Conflict("not processed".into())),
                    Err(error) => {
                        Outcome::Rejected(vec![FieldError::new("", format!("the database refused the row: {error}"))])
                    }
                });
            }
            outcomes
        }
    };
    for (index, outcome) in indices.into_iter().zip(outcomes) {
        let errors = match outcome {
            Outcome::Created(_) => {
                report.created += 1;
                continue;
            }
            Outcome::Duplicate(_) => {
                report.duplicates += 1;
                continue;
            }
            Outcome::Rejected(errors) => errors,
            Outcome::Conflict(message) => vec![FieldError::new("", message)],
        };
        let cells = file.rows[index].0.clone();
        report.rejected.push(Rejection::new(index + 2, cells, &errors, protocol, &file.headers));
    }
    Ok(())
}
