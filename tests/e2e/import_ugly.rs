//! The ugliest shapes real exports have, in every import layout: long beach names, NUL bytes,
//! prehistoric and future dates, zero-length cleanups, near-zero coordinates, negative counts,
//! a duplicated row, a row that snaps to a site registered from a later row, and a site code
//! that names a beach 110 km away. Good rows are stored, bad rows land in the rejects file with
//! their line and source column, and a re-run creates nothing and rejects exactly the same rows.

use std::path::Path;

use tideline_api::import::{Format, Report};
use tideline_api::store::{places, teams};
use tideline_api::testing::TestDb;

use crate::ingest::count;

const LONG_NAME: &str = "Bãi biển rất dài tên gọi đầy đủ theo hồ sơ của Ban quản lý khu du lịch ven biển Sơn Trà";

/// One logical row, rendered in each layout.
#[derive(Clone)]
struct Row {
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
fn rows() -> Vec<Row> {
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

fn render(format: Format, rows: &[Row]) -> String {
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
        Format::OsparCsv => {
            lines.push("region_code,region_name,country_code,country_name,location_code,location_name,date,Plastic: Yokes [1],Plastic: Bags [2]".to_string());
            for r in rows {
                lines.push(format!("VN,South China Sea,VN,Viet Nam,{},{},{},{},5", r.code, r.name, r.date, r.count));
            }
        }
    }
    lines.join("\n") + "\n"
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
    };
    let mut rejected = vec![(3, name), (4, date), (5, date)];
    rejected.extend(length.map(|column| (6, column)));
    rejected.push((8, count));
    // 11 rows: one a repeat of another, the rest stored unless rejected
    Expected { created: 10 - rejected.len(), rejected }
}

fn import(db: &TestDb, format: Format, file: &Path, team: &teams::Team) -> Report {
    crate::import::run(&mut db.connect(), format, file, team, &Default::default(), true)
}

fn rejects_file(report: &Report) -> String {
    let mut out = Vec::new();
    report.write_rejects(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn check(format: Format) {
    let db = TestDb::new();
    let mut conn = db.connect();
    let city = places::upsert_city(&mut conn, "Da Nang", "VN").unwrap();
    let team = teams::upsert_team(&mut conn, "Importers", "ngo".parse().unwrap(), city.id, true).unwrap();
    let file = std::env::temp_dir().join(format!("tideline-ugly-{format:?}-{}.csv", std::process::id()));
    std::fs::write(&file, render(format, &rows())).unwrap();
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
    std::fs::remove_file(file).ok();
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
fn ospar_export_with_every_ugly_shape() {
    check(Format::OsparCsv);
}

/// The command a person runs: summary line, `--json`, `--rejects FILE`, `--strict`; a fixed
/// rejects file imports the fixed rows and nothing else.
#[test]
fn the_import_command_writes_rejects_a_person_can_fix_and_import() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let city = places::upsert_city(&mut conn, "Da Nang", "VN").unwrap();
    teams::upsert_team(&mut conn, "Importers", "ngo".parse().unwrap(), city.id, true).unwrap();
    let dir = std::env::temp_dir().join(format!("tideline-cli-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("events.csv");
    std::fs::write(&file, render(Format::MlwCsv, &rows())).unwrap();
    let rejects = dir.join("rejects.csv");
    let tideline = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tideline"))
            .args(["--database-url", &db.url, "import", "--format", "mlw-csv", "--team", "Importers", "--create-sites"])
            .args(args)
            .output()
            .unwrap()
    };
    let run = tideline(&[file.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "11 rows: 5 created, 1 already stored, 5 rejected");
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("line 6, BeachLength_m: 0 m is not a plausible surveyed length")
    );

    let strict = tideline(&[file.to_str().unwrap(), "--json", "--strict"]);
    assert!(!strict.status.success(), "--strict fails on rejections");
    let summary: serde_json::Value = serde_json::from_slice(&strict.stdout).unwrap();
    assert_eq!((summary["created"].as_u64(), summary["already_stored"].as_u64()), (Some(0), Some(6)));
    assert_eq!(summary["rejections"][4]["line"], 8);
    assert_eq!(summary["rejections"][4]["problems"][0]["column"], "G1");

    // fix the negative count and the zero length in the rejects file, drop the others
    let text = std::fs::read_to_string(&rejects).unwrap();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header[..header.len() - 1]).unwrap();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        cells.pop();
        if cells[1] == "Bad Count" {
            cells[14] = "4".into();
        } else if cells[1] == "Zero Cleanup" {
            cells[4] = "250".into();
        } else {
            continue;
        }
        writer.write_record(&cells).unwrap();
    }
    let fixed = dir.join("fixed.csv");
    std::fs::write(&fixed, writer.into_inner().unwrap()).unwrap();
    let run = tideline(&[fixed.to_str().unwrap(), "--strict"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "2 rows: 2 created, 0 already stored, 0 rejected");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 7);

    // not a file of this layout: nothing stored, an error naming the missing column
    let wrong = tideline(&[dir.join("fixed.csv").to_str().unwrap()]);
    assert!(wrong.status.success());
    let tides = std::process::Command::new(env!("CARGO_BIN_EXE_tideline"))
        .args(["--database-url", &db.url, "import", "--format", "tides-csv", "--team", "Importers"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!tides.status.success());
    assert!(
        String::from_utf8_lossy(&tides.stderr).contains("no `Cleanup Date` column"),
        "{}",
        String::from_utf8_lossy(&tides.stderr)
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 7);
    std::fs::remove_dir_all(dir).ok();
}

/// A row's own country decides the country of a site it creates (the EU's `EL` is Greece); a
/// code that is no country is a rejection naming the column.
#[test]
fn the_rows_country_decides_the_country_of_its_new_site() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let city = places::upsert_city(&mut conn, "Da Nang", "VN").unwrap();
    let team = teams::upsert_team(&mut conn, "Importers", "ngo".parse().unwrap(), city.id, true).unwrap();
    let header = "CommunityName,BeachName,BeachCountrycode,BeachRegionalSea,BeachLength_m,BeachLocation,BeachType,\
                  EventDate,EventType,NatRef,lon_x1,lat_y1,lon_x2,lat_y2,G1";
    let file = std::env::temp_dir().join(format!("tideline-countries-{}.csv", std::process::id()));
    std::fs::write(
        &file,
        format!(
            "{header}\n\
             Club,Zlatni Rat,HR,Mediterranean,100,Rural,Sandy,20260301,Monitoring,Croatia,16.6480,43.2560,,,4\n\
             Club,Myrtos,EL,Mediterranean,100,Rural,Sandy,20260302,Monitoring,,20.5330,38.3430,,,2\n\
             Club,My Khe,VN,SCS,100,Urban,Sandy,20260303,Monitoring,,108.2480,16.0600,,,7\n\
             Club,Somewhere,EU,North Sea,100,Rural,Sandy,20260304,Monitoring,,4.5000,52.5000,,,1\n"
        ),
    )
    .unwrap();
    let report = import(&db, Format::MlwCsv, &file, &team);
    assert_eq!(report.created, 3, "{:?}", report.rejected);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        (report.rejected[0].line, report.rejected[0].problems[0].column.as_deref()),
        (5, Some("BeachCountrycode"))
    );
    let country_of = |name: &str| {
        count(&db, &format!("SELECT count(*) AS n FROM sites s JOIN cities c ON c.id = s.city_id WHERE s.name = '{name}' AND c.country_code = '{}'", match name { "Zlatni Rat" => "HR", "Myrtos" => "GR", _ => "VN" }))
    };
    assert_eq!((country_of("Zlatni Rat"), country_of("Myrtos"), country_of("My Khe")), (1, 1, 1));
    assert_eq!(
        count(&db, &format!("SELECT count(*) AS n FROM sites WHERE city_id = {}", city.id)),
        1,
        "only My Khe in Da Nang"
    );
    std::fs::remove_file(file).ok();
}
