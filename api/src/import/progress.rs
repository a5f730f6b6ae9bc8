//! The progress bar an import draws on a terminal (and nothing when stderr is not one).

use std::io::{IsTerminal, Write};

/// A one-line bar on stderr, redrawn in place.
pub struct ProgressBar {
    drawn: bool,
    enabled: bool,
}

impl ProgressBar {
    /// A bar that draws only when stderr is a terminal.
    pub fn on_terminal() -> Self {
        Self { drawn: false, enabled: std::io::stderr().is_terminal() }
    }

    /// Shows `done` of `total` rows.
    pub fn show(&mut self, done: usize, total: usize) {
        if !self.enabled {
            return;
        }
        const WIDTH: usize = 30;
        let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
        let bar = format!("{}{}", "#".repeat(filled), " ".repeat(WIDTH - filled.min(WIDTH)));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r[{bar}] {done}/{total} rows");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Ends the bar's line.
    pub fn finish(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}
