//! What an import run reports: the summary line, the machine-readable summary (`--json`), and
//! the rejects file — the rejected rows as they were, plus a `reason` column naming the CSV
//! line and the source column of every problem, ready to fix and import again.

use std::io::Write;

use serde::Serialize;
use tideline_core::input::wide::columns::source_column;
use tideline_core::protocol::Protocol;
use tideline_core::validation::FieldError;

/// One problem of a rejected row, named by the file's own column where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The source column (`BeachLength_m`), or `None` for the row as a whole.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A row that was not stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// Its cells, as read.
    #[serde(skip)]
    pub cells: Vec<String>,
    /// Every problem found.
    pub problems: Vec<Problem>,
}

impl Rejection {
    /// A rejection of the row at `line` for `errors`, named by the columns of a `protocol` file.
    pub fn new(line: usize, cells: Vec<String>, errors: &[FieldError], protocol: Protocol, headers: &[String]) -> Self {
        let problems = errors
            .iter()
            .map(|e| Problem {
                column: source_column(protocol, &e.pointer, headers),
                message: match source_column(protocol, &e.pointer, headers) {
                    Some(_) => e.message.clone(),
                    // a field with no column of its own keeps its name in the message
                    None if e.pointer.is_empty() => e.message.clone(),
                    None => format!("{} {}", e.pointer, e.message),
                },
            })
            .collect();
        Self { line, cells, problems }
    }

    /// `line 618, BeachLength_m: must be greater than 0; line 618, G21: …`
    pub fn reason(&self) -> String {
        let one = |p: &Problem| match &p.column {
            Some(column) => format!("line {}, {column}: {}", self.line, p.message),
            None => format!("line {}: {}", self.line, p.message),
        };
        self.problems.iter().map(one).collect::<Vec<_>>().join("; ")
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The file's column names (the rejects file's header).
    #[serde(skip)]
    pub headers: Vec<String>,
    /// Rows read.
    pub rows: usize,
    /// Surveys stored now.
    pub created: usize,
    /// Rows already stored by an earlier run.
    #[serde(rename = "already_stored")]
    pub duplicates: usize,
    /// Rejected rows, in file order.
    #[serde(rename = "rejections")]
    pub rejected: Vec<Rejection>,
}

impl Report {
    /// `N rows: C created, S already stored, R rejected`
    pub fn summary(&self) -> String {
        format!(
            "{} rows: {} created, {} already stored, {} rejected",
            self.rows,
            self.created,
            self.duplicates,
            self.rejected.len()
        )
    }

    /// The summary as JSON, each rejection with its line, problems and reason.
    pub fn to_json(&self) -> serde_json::Value {
        let rejections: Vec<serde_json::Value> = self
            .rejected
            .iter()
            .map(|r| serde_json::json!({"line": r.line, "reason": r.reason(), "problems": r.problems}))
            .collect();
        serde_json::json!({
            "rows": self.rows,
            "created": self.created,
            "already_stored": self.duplicates,
            "rejected": self.rejected.len(),
            "rejections": rejections,
        })
    }

    /// Writes the rejected rows under the file's header plus a `reason` column.
    pub fn write_rejects(&self, out: impl Write) -> csv::Result<()> {
        let headers = &self.headers;
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
        writer.write_record(headers.iter().map(String::as_str).chain(["reason"]))?;
        for rejection in &self.rejected {
            let mut cells = rejection.cells.clone();
            cells.resize(headers.len().max(cells.len()), String::new());
            cells.push(rejection.reason());
            writer.write_record(&cells)?;
        }
        writer.flush()?;
        Ok(())
    }
}
