//! CSV output for spreadsheets: RFC 4180 quoting (by the `csv` crate), `,` or `;` between
//! cells, figures to their meaningful precision with a decimal point or comma, an optional
//! UTF-8 BOM, cells that would start a formula defused, and a channel-fed streaming body.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::web::Bytes;
use tideline_core::precision::{format_figure, DecimalMark, Precision, Separator};
use tokio::sync::mpsc;

/// The UTF-8 byte-order mark, for spreadsheets that guess the encoding.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text cell made safe for spreadsheets: text starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading apostrophe (numbers are left as they are).
pub fn safe(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// How a CSV download is written: the separator between cells and the decimal mark.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvStyle {
    /// `,` (the default) or `;`.
    pub separator: Separator,
    /// `.` (the default) or `,`.
    pub decimal: DecimalMark,
}

impl CsvStyle {
    /// One CSV record of already-made cells.
    pub fn record(&self, cells: &[String]) -> Vec<u8> {
        let mut writer = self.writer(Vec::new());
        let _ = writer.write_record(cells);
        writer.into_inner().unwrap_or_default()
    }

    /// Many CSV records through one writer (one buffer for the lot, not one per row).
    pub fn records(&self, rows: impl IntoIterator<Item = Vec<String>>, capacity: usize) -> Vec<u8> {
        let mut writer = self.writer(Vec::with_capacity(capacity));
        for cells in rows {
            let _ = writer.write_record(&cells);
        }
        writer.into_inner().unwrap_or_default()
    }

    fn writer(&self, out: Vec<u8>) -> csv::Writer<Vec<u8>> {
        let delimiter = match self.separator {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
        };
        csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(out)
    }

    /// A figure cell: empty when absent, otherwise to `precision`, never `-0`.
    pub fn figure(&self, value: Option<f64>, precision: Precision) -> String {
        value.map(|v| format_figure(v, precision, self.decimal)).unwrap_or_default()
    }

    /// A measured value of a record, with every digit it was stored with.
    pub fn exact(&self, value: Option<f64>) -> String {
        self.figure(value, Precision::Exact)
    }
}

/// A streaming response body fed by a bounded channel (back-pressure keeps memory flat).
pub struct ChannelBody(pub mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for ChannelBody {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// `attachment; filename="…"` with a file name made of safe characters.
pub fn disposition(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' { c } else { '_' })
        .collect();
    format!("attachment; filename=\"{clean}\"")
}
