//! Which column of a wide CSV export a record field came from (`fixtures/protocols/csv-columns.csv`),
//! so an import's rejection names the column a person can fix (`line 618, BeachLength_m: …`)
//! rather than the field of the JSON envelope.

use std::sync::OnceLock;

use crate::protocol::table::read_csv;
use crate::protocol::Protocol;

const CSV_COLUMNS: &str = include_str!("../../../../fixtures/protocols/csv-columns.csv");

/// The protocol whose layout a `protocol` export has: the weighed sheets share GESAMP's.
fn layout(protocol: Protocol) -> Protocol {
    if protocol.is_weighed_sheet() {
        Protocol::Gesamp
    } else {
        protocol
    }
}

fn table() -> &'static [(Protocol, String, String)] {
    static TABLE: OnceLock<Vec<(Protocol, String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        read_csv(CSV_COLUMNS, |field| {
            let protocol = field("protocol").parse().unwrap_or_else(|_| panic!("csv-columns.csv: protocol"));
            (protocol, field("field").to_string(), field("column").to_string())
        })
    })
}

/// The column of a `protocol` export a record field (a JSON pointer) came from: the table's
/// entry for the longest matching field, or the pointer's first token when it is itself one of
/// the file's `headers` (item columns, and errors the row reader reported on a column).
pub fn source_column(protocol: Protocol, pointer: &str, headers: &[String]) -> Option<String> {
    let mapped = table()
        .iter()
        .filter(|(p, field, _)| {
            *p == layout(protocol)
                && (pointer == field || pointer.strip_prefix(field.as_str()).is_some_and(|r| r.starts_with('/')))
        })
        .max_by_key(|(_, field, _)| field.len())
        .map(|(_, _, column)| column.clone());
    mapped.or_else(|| {
        let token = pointer.strip_prefix('/')?.split('/').next()?.replace("~1", "/").replace("~0", "~");
        headers.iter().find(|h| h.trim().eq_ignore_ascii_case(&token)).map(|h| h.trim().to_string())
    })
}

/// The column holding `field` (e.g. `/date`) in a `protocol` export, if the layout has one.
pub fn column_of(protocol: Protocol, field: &str) -> Option<&'static str> {
    table().iter().find(|(p, f, _)| *p == layout(protocol) && f == field).map(|(_, _, column)| column.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn record_fields_map_to_the_export_columns() {
        let mlw = headers(&["BeachLength_m", "EventDate", "G21", "lat_y1"]);
        assert_eq!(source_column(Protocol::Mlw, "/length_m", &mlw).as_deref(), Some("BeachLength_m"));
        assert_eq!(source_column(Protocol::Mlw, "/stretch/end/lon", &mlw).as_deref(), Some("lon_x2"));
        assert_eq!(source_column(Protocol::Mlw, "/stretch/end", &mlw).as_deref(), Some("lat_y2"));
        assert_eq!(source_column(Protocol::Mlw, "/G21/count", &mlw).as_deref(), Some("G21"));
        assert_eq!(source_column(Protocol::Mlw, "/effort/mass_kg", &mlw), None);
        assert_eq!(source_column(Protocol::Mlw, "", &mlw), None);
        let mdmap = headers(&["Survey Date", "Plastic: Bottles/Caps"]);
        assert_eq!(
            source_column(Protocol::Mdmap, "/Plastic: Bottles~1Caps", &mdmap).as_deref(),
            Some("Plastic: Bottles/Caps")
        );
        assert_eq!(source_column(Protocol::Tides, "/effort/mass_kg", &[]).as_deref(), Some("Pounds"));
    }

    #[test]
    fn every_wide_protocol_names_its_date_column() {
        for protocol in [Protocol::Ospar, Protocol::Mlw, Protocol::Tides, Protocol::Mdmap] {
            assert!(column_of(protocol, "/date").is_some(), "{protocol}");
        }
    }
}
