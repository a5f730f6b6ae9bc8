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

impl Default for Publication {
    fn default() -> Self {
        Self {
            licence: "CC-BY-4.0".into(),
            licence_url: "https://creativecommons.org/licenses/by/4.0/".into(),
            citation: "Clean Ocean Program volunteer monitoring network: beach litter and microplastic records, \
                       published with Tideline"
                .into(),
            tile_url: None,
        }
    }
}
