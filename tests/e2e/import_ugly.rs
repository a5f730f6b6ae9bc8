//! The ugliest shapes real exports have, in every import layout: long beach names, NUL bytes,
//! prehistoric and future dates, zero-length cleanups, near-zero coordinates, negative counts,
//! a duplicated row, a row that snaps to a site registered from a later row, and a site code
//! that names a beach 110 km away. Good rows are stored, bad rows land in the rejects file with
//! their line and source column, and a re-run creates nothing and rejects exactly the same rows.

use std::path::Path;

use tideline_api::import::{Format, Report};
use tideline_api::store::teams;
use tideline_api::testing::TestDb;

use crate::import::TempCsv;
use crate::ingest::count;

const LONG_NAME: &str = "Bãi biển rất dài tên gọi đầy đủ theo hồ sơ của Ban quản lý khu du lịch ven biển Sơn Trà";

/// One logical row, rendered in each layout.
#[derive(Clone)]
pub(crate) struct Row {
    name: String,
    code: &'static str,
    date: &'static str,
    length_m: &'static str,
    position: Option<(f64, f64)>,
    count: &'static str,
}

fn good(name: &str, code: &'static str, position: (f64, f64)) -> Row {
    Row { name: name.into(), code, date: "2026-03-01", length_m: "100", position: Some(position), count: "2" }
}

/// The rows of every file; lines are index + 2.
pub(crate) fn rows() -> Vec<Row> {
    let p1 = (16.1000, 108.2600);
    vec![
        good(LONG_NAME, "DN-A", p1),                                              // 2 stored
        good("Cove\u{0}Bay", "DN-B", (16.1100, 108.2700)),                        // 3 NUL byte
        Row { date: "0001-01-01", ..good("Old Beach", "DN-C", (16.12, 108.28)) }, // 4 prehistoric
        Row { date: "2099-12-31", ..good("Old Beach", "DN-C", (16.12, 108.28)) }, // 5 future
        Row { length_m: "0", ..good("Zero Cleanup", "DN-D", (16.14, 108.30)) },   // 6 zero length
        good("Null Island", "DN-E", (0.000135, 0.00036)),                         // 7 stored, flagged
        Row { count: "-4", ..good("Bad Count", "DN-F", (16.15, 108.31)) },        // 8 negative count
        good(LONG_NAME, "DN-A", p1),                                              // 9 the row of line 2 again
        good("Unnamed cove", "", (16.0650, 108.2480)),                            // 10 stored on the site of 11
        good("Cove pier", "DN-Q", (16.0651, 108.2480)),                           // 11 stored, 11 m from 10
        good("Far beach", "DN-A", (17.0900, 108.2600)),                           // 12 code of line 2, 110 km away
    ]
}

fn date_compact(date: &str) -> String {
    date.replace('-', "")
}

pub(crate) fn render(format: Format, rows: &[Row]) -> String {
    let mut lines = Vec::new();
    let position =
        |r: &Row| r.position.map_or((String::new(), String::new()), |(lat, lon)| (lat.to_string(), lon.to_string()));
    match format {
        Format::MlwCsv => {
            lines.push("CommunityName,BeachName,BeachCountrycode,BeachRegionalSea,BeachLength_m,BeachLocation,BeachType,EventDate,EventType,NatRef,lon_x1,lat_y1,lon_x2,lat_y2,G1,G27".to_string());
            for r in rows {
                let (lat, lon) = position(r);
                let kind = if r.length_m == "0" { "Cleanup" } else { "Monitoring" };
                lines.push(format!(
                    "Club,{},VN,SCS,{},Urban,Sandy,{},{kind},{},{lon},{lat},,,{},5",
                    r.name,
                    r.length_m,
                    date_compact(r.date),
                    r.code,
                    r.count
                ));
            }
        }
        Format::TidesCsv => {
            lines.push("Cleanup ID,Zone,Country,GPS,Cleanup Date,Cleanup Site,People,Pounds,Miles,Cigarette Butts,Bottle Caps (Plastic)".to_string());
            for r in rows {
                let (lat, lon) = position(r);
                let miles = if r.length_m == "0" { "0" } else { "0.06" };
                lines.push(format!(
                    "{},Da Nang,VN,\"{lat}, {lon}\",{},{},5,2.5,{miles},{},5",
                    r.code, r.date, r.name, r.count
                ));
            }
        }
        Format::MdmapCsv => {
            lines.push("Organization,Site ID,Shoreline Name,Country,Survey Date,Survey Type,Shoreline Length (m),Width (m),Latitude Start,Longitude Start,Latitude End,Longitude End,Plastic: bags,plastic: plastic fragments".to_string());
            for r in rows {
                let (lat, lon) = position(r);
                lines.push(format!(
                    "Club,{},{},VN,{},Accumulation,{},25,{lat},{lon},,,{},5",
                    r.code, r.name, r.date, r.length_m, r.count
                ));
            }
        }
        Format::GesampCsv | Format::NowpapCsv | Format::ChinaCsv | Format::KlhkCsv | Format::VietnamCsv => {
            let (first, second) = sheet_codes(format);
            lines.push(format!("Site Code,Site Name,Country,Date,Latitude,Longitude,Length (m),Width (m),Area (m2),{first},{first} (g),{second},{second} (g)"));
            for r in rows {
                let (lat, lon) = position(r);
                lines.push(format!(
                    "{},{},VN,{},{lat},{lon},{},20,,{},45.5,5,600",
                    r.code, r.name, r.date, r.length_m, r.count
                ));
            }
        }
        Format::OsparCsv => {
            lines.push("region_code,region_name,country_code,country_name,location_code,location_name,date,Plastic: Yokes [1],Plastic: Bags [2]".to_string());
            for r in rows {
                lines.push(format!("VN,South China Sea,VN,Viet Nam,{},{},{},{},5", r.code, r.name, r.date, r.count));
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Two codes of a weighed sheet's layout: a plastic and a glass line.
fn sheet_codes(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::NowpapCsv => ("plastic", "glass_ceramics"),
        Format::ChinaCsv => ("plastic:medium", "glass:large"),
        Format::KlhkCsv => ("PL07:macro", "GC02"),
        Format::VietnamCsv => ("Plastic Bag", "Glass Bottle"),
        _ => ("plastic:macro", "glass:macro"),
    }
}

struct Expected {
    /// Rejected lines and the source column each one names.
    rejected: Vec<(usize, &'static str)>,
    created: usize,
}

fn expected(format: Format) -> Expected {
    let (name, date, length, count) = match format {
        Format::MlwCsv => ("BeachName", "EventDate", Some("BeachLength_m"), "G1"),
        Format::TidesCsv => ("Cleanup Site", "Cleanup Date", None, "Cigarette Butts"),
        Format::MdmapCsv => ("Shoreline Name", "Survey Date", Some("Shoreline Length (m)"), "Plastic: bags"),
        Format::OsparCsv => ("location_name", "date", None, "Plastic: Yokes [1]"),
        Format::GesampCsv | Format::NowpapCsv | Format::ChinaCsv | Format::KlhkCsv | Format::VietnamCsv => {
            ("Site Name", "Date", Some("Length (m)"), sheet_codes(format).0)
        }
    };
    let mut rejected = vec![(3, name), (4, date), (5, date)];
    rejected.extend(length.map(|column| (6, column)));
    rejected.push((8, count));
    // 11 rows: one a repeat of another, the rest stored unless rejected
    Expected { created: 10 - rejected.len(), rejected }
}

pub(crate) fn import(db: &TestDb, format: Format, file: &Path, team: &teams::Team) -> Report {
    crate::import::run(&mut db.connect(), format, file, team, &Default::default(), true)
}

fn rejects_file(report: &Report) -> String {
    let mut out = Vec::new();
    report.write_rejects(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn check(format: Format) {
    let (db, _conn, (_, team)) = crate::network::importers(("Da Nang", "VN"), "Importers", true);
    let file = TempCsv::new(&format!("ugly-{format:?}"), &render(format, &rows()));
    let expected = expected(format);

    let first = import(&db, format, &file, &team);
    let rejected: Vec<(usize, Option<String>)> =
        first.rejected.iter().map(|r| (r.line, r.problems[0].column.clone())).collect();
    let want: Vec<(usize, Option<String>)> =
        expected.rejected.iter().map(|(line, column)| (*line, Some(column.to_string()))).collect();
    assert_eq!(rejected, want, "{format:?}: {:#?}", first.rejected);
    assert_eq!((first.rows, first.created, first.duplicates), (11, expected.created, 1), "{format:?}");
    assert!(first.summary().starts_with(&format!("11 rows: {} created, 1 already stored", expected.created)));

    // the rejects file: the rows as they were, with a reason naming line and column
    let rejects = rejects_file(&first);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(rejects.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().next_back(), Some("reason"));
    let reasons: Vec<String> = reader.records().map(|r| r.unwrap().iter().next_back().unwrap().to_string()).collect();
    for ((line, column), reason) in expected.rejected.iter().zip(&reasons) {
        assert!(reason.starts_with(&format!("line {line}, {column}: ")), "{format:?}: {reason}");
    }
    assert!(rejects.contains("Cove\u{0}Bay"), "the NUL row as it was");

    if format != Format::OsparCsv {
        let flagged =
            |code: &str| count(&db, &format!("SELECT count(*) AS n FROM surveys WHERE flags::text LIKE '%{code}%'"));
        assert_eq!(flagged("null_island"), 1, "{format:?}");
        assert_eq!(flagged("site_code_far"), 1, "{format:?}: the code of a beach 110 km away");
        // lines 10 and 11 share the site registered for line 10
        let shared =
            "SELECT count(DISTINCT site_id) AS n FROM surveys s JOIN submissions sub ON sub.id = s.submission_id \
                      WHERE sub.payload->'location'->>'lat' IN ('16.065', '16.0651')";
        let on_one_site = count(&db, shared);
        assert!(on_one_site <= 1, "{format:?}");
    }
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM sites WHERE length(code) <= 64"),
        count(&db, "SELECT count(*) AS n FROM sites"),
        "{format:?}"
    );

    let sites_before = count(&db, "SELECT count(*) AS n FROM sites");
    let again = import(&db, format, &file, &team);
    assert_eq!((again.created, again.duplicates), (0, 11 - expected.rejected.len()), "{format:?}");
    assert_eq!(again.rejected, first.rejected, "{format:?}: the same rejections");
    assert_eq!(rejects_file(&again), rejects, "{format:?}: the same rejects file");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites"), sites_before);
    assert!(!rejects.contains("client_id"), "{format:?}: no conflicts");
}

#[test]
fn mlw_export_with_every_ugly_shape() {
    check(Format::MlwCsv);
}

#[test]
fn tides_export_with_every_ugly_shape() {
    check(Format::TidesCsv);
}

#[test]
fn mdmap_export_with_every_ugly_shape() {
    check(Format::MdmapCsv);
}

#[test]
fn gesamp_sheet_with_every_ugly_shape() {
    check(Format::GesampCsv);
}

#[test]
fn regional_sheets_with_every_ugly_shape() {
    for format in [Format::NowpapCsv, Format::ChinaCsv, Format::KlhkCsv, Format::VietnamCsv] {
        check(format);
    }
}

#[test]
fn ospar_export_with_every_ugly_shape() {
    check(Format::OsparCsv);
}
