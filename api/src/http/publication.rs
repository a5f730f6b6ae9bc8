//! How the open data is published: its licence, how to cite it, and the map tiles the pages
//! may use — settings of `tideline serve`, shown on every page, report card and OGC document.

/// The open-data terms of this service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The licence of accepted records (an SPDX identifier where there is one).
    pub licence: String,
    /// Where the licence is written.
    pub licence_url: String,
    /// How to cite the data set.
    pub citation: String,
    /// A tile URL template (`…/{z}/{x}/{y}.png`) for the maps; without one they draw the
    /// vendored Natural Earth coastline and need no network.
    pub tile_url: Option<String>,
}

/// The default licence of accepted records.
pub const DEFAULT_LICENCE: &str = "CC-BY-4.0";
/// Where the default licence is written.
pub const DEFAULT_LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
/// The default citation.
pub const DEFAULT_CITATION: &str =
    "Clean Ocean Program volunteer monitoring network: beach litter and microplastic records, published with Tideline";

impl Default for Publication {
    fn default() -> Self {
        Self {
            licence: DEFAULT_LICENCE.into(),
            licence_url: DEFAULT_LICENCE_URL.into(),
            citation: DEFAULT_CITATION.into(),
            tile_url: None,
        }
    }
}
