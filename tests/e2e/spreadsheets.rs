//! CSV for spreadsheets: figures to their meaningful precision, units in the column names, no
//! `-0`, and `;` with decimal commas on request — the same numbers either way.

use std::collections::HashMap;

use tideline_api::testing::TestServer;

use crate::client::{get, get_as};
use crate::network;
use crate::stats::{ospar_served, rows, rows_split_by};

/// Rows of a CSV with `;` between cells.
fn semicolon_rows(csv_text: &str) -> Vec<HashMap<String, String>> {
    rows_split_by(csv_text, b';')
}

#[test]
fn reports_round_each_figure_and_write_decimal_commas_on_request() {
    let (_db, nl, server) = ospar_served();
    let site = nl.sites["NL001"];
    let stats = get(&server.url(&format!("/v1/sites/{site}/stats"))).json()["beach_litter"].clone();
    let plain = rows(&get(&server.url(&format!("/v1/cities/{}/report.csv", nl.bergen))).body);
    let row = &plain[0];
    // Bergen's published median (RWS data, 2012–2017) and the share of plastic as a percentage
    assert_eq!(row["median_items_per_100m"], "302.5");
    let share = stats["plastic_share"].as_f64().unwrap();
    assert_eq!(row["plastic_share_pct"], format!("{:.1}", share * 100.0));
    assert!(row["plastic_share_pct"].parse::<f64>().unwrap() > 50.0, "a percentage, not a fraction");
    assert_eq!(row["lat"].split('.').nth(1).map(str::len), Some(5), "coordinates to 5 decimals: {}", row["lat"]);
    let p = row["trend_mann_kendall_p"].clone();
    let digits: String = p.trim_start_matches(['0', '.']).chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 3, "p-value to three significant digits: {p}");

    let url = format!("/v1/cities/{}/report.csv?separator=semicolon&decimal=comma", nl.bergen);
    let european = get(&server.url(&url));
    assert!(european.body.lines().next().unwrap().contains("site_id;site_code;"));
    let comma = &semicolon_rows(&european.body)[0];
    assert_eq!(comma["median_items_per_100m"], "302,5");
    for (column, value) in row {
        assert_eq!(comma[column], value.replace('.', ","), "{column} is the same number with a comma");
    }

    let site_report = get(&server.url(&format!("/v1/sites/{site}/report.csv?separator=semicolon&decimal=comma")));
    let site_rows = semicolon_rows(&site_report.body);
    let statistic = |name: &str| site_rows.iter().find(|r| r["statistic"] == name).unwrap()["value"].clone();
    assert_eq!(statistic("median_items_per_100m"), "302,5");
    assert_eq!(statistic("cleanup_mass_kg"), "0,0", "no -0");
}

#[test]
fn no_report_or_export_cell_is_negative_zero() {
    let (db, mut conn) = network::demo_network(600, 120, 11);
    let token = network::researcher_token(&mut conn);
    let server = TestServer::start(db.pool());
    let mut bodies = vec![
        get_as(&server.url("/v1/exports/surveys.csv"), &token).body,
        get_as(&server.url("/v1/exports/samples.csv?decimal=comma&separator=semicolon"), &token).body,
    ];
    for city in get(&server.url("/v1/cities")).json().as_array().unwrap().iter().take(6) {
        bodies.push(get(&server.url(&format!("/v1/cities/{}/report.csv", city["id"]))).body);
    }
    let mut cells = 0;
    for body in &bodies {
        for cell in body.split([',', ';', '\n', '\r']) {
            cells += 1;
            assert!(!matches!(cell, "-0" | "-0.0" | "-0,0" | "-0.00"), "a negative zero in {body:.200}");
        }
    }
    assert!(cells > 10_000, "{cells} cells read");
}
