//! CSV output for spreadsheets: RFC 4180 quoting (by the `csv` crate), an optional UTF-8 BOM,
//! cells that would start a formula defused, and a channel-fed streaming body.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::web::Bytes;
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

/// A number cell: empty when absent, otherwise the shortest exact decimal.
pub fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// One CSV record of already-made cells.
pub fn record(cells: &[String]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = writer.write_record(cells);
    writer.into_inner().unwrap_or_default()
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
