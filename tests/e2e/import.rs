//! `tideline import`: the 95 Dutch OSPAR surveys go in once; a second import stores nothing.

use std::path::PathBuf;

use tideline_api::import::{import_file, load_site_file, Format, ImportOptions, Report};
use tideline_api::store::{places, teams};
use tideline_api::testing::TestDb;

use crate::ingest::count;

/// Imports `file` for `team` on 2026-11-23.
pub fn run(
    conn: &mut diesel::PgConnection,
    format: Format,
    file: &std::path::Path,
    team: &teams::Team,
    site_file: &std::collections::HashMap<String, i64>,
    create_sites: bool,
) -> Report {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    import_file(conn, format, file, &ImportOptions { team, site_file, create_sites, today }, |_, _| ()).unwrap()
}

/// A CSV file in the temporary directory for one test, removed when dropped (also when the
/// test fails).
pub struct TempCsv(PathBuf);

impl TempCsv {
    /// Writes `text` to `tideline-{name}-{process id}.csv`.
    pub fn new(name: &str, text: &str) -> Self {
        let path = std::env::temp_dir().join(format!("tideline-{name}-{}.csv", std::process::id()));
        std::fs::write(&path, text).unwrap();
        Self(path)
    }
}

impl std::ops::Deref for TempCsv {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempCsv {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// A site file keeps the site rules of the API: a bad line is named with every broken rule,
/// and the lines after it are not read.
#[test]
fn a_site_file_line_that_breaks_the_site_rules_is_named() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let text = "code,name,city,country_code,kind,lat,lon,reference_length_m\n\
                NL-A,Alpha,Bergen,NL,beach,52.7,4.6,100\n\
                NL-B,,,NL,lake,95,4.6,-3\n\
                NL-C,Gamma,Bergen,NL,beach,52.8,4.6,100\n";
    let unreadable = "code,name,city,country_code,kind,lat,lon,reference_length_m\n\
                      NL-D,Delta,Bergen,XX,beach,5 2.7,4.6,1OO\n";
    let said = tideline_api::import::load_sites(&mut conn, unreadable).unwrap_err().to_string();
    for rule in
        ["line 2:", "/lat `5 2.7` is not a number", "/reference_length_m `1OO` is not a number", "/country_code"]
    {
        assert!(said.contains(rule), "{rule} in {said}");
    }
    assert!(!said.contains("latitude must be"), "an unreadable number is named once: {said}");
    let error = tideline_api::import::load_sites(&mut conn, text).unwrap_err().to_string();
    for rule in [
        "line 3:",
        "/city 1 to 200 characters",
        "/name 1 to 200 characters",
        "/kind `lake`",
        "/lat latitude",
        "/reference_length_m -3 m",
    ] {
        assert!(error.contains(rule), "{rule} in {error}");
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites WHERE code = 'NL-C'"), 0);
}

#[test]
fn ospar_import_stores_95_surveys_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let bergen = places::upsert_city(&mut conn, "Bergen", "NL").unwrap();
    let team = teams::upsert_team(&mut conn, "RWS OSPAR NL", "agency".parse().unwrap(), bergen.id, true).unwrap();
    let sites = load_site_file(&mut conn, &fixture("fixtures/network/ospar-nl-sites.csv")).unwrap();
    assert_eq!(sites.len(), 4);
    let data = fixture("fixtures/external/ospar-nl-2012-2017/beach-litter-nl-2012-2017.csv");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut calls = 0;
    let first = import_file(
        &mut conn,
        Format::OsparCsv,
        &data,
        &ImportOptions { team: &team, site_file: &sites, create_sites: false, today },
        |_, _| calls += 1,
    )
    .unwrap();
    assert_eq!((first.rows, first.created, first.duplicates), (95, 95, 0));
    assert!(first.rejected.is_empty(), "{:?}", first.rejected);
    assert!(calls >= 1, "progress reported");
    let again = run(&mut conn, Format::OsparCsv, &data, &team, &sites, false);
    assert_eq!((again.created, again.duplicates), (0, 95));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys WHERE status = 'accepted'"), 95);
    assert_eq!(count(&db, "SELECT count(DISTINCT city_id) AS n FROM surveys"), 4, "one city per municipality");
    // the published mean total of Bergen (NL001): 376.6 → 377
    let mean = count(
        &db,
        "SELECT round(avg(t.total_items))::bigint AS n FROM survey_totals t JOIN sites s ON s.id = t.site_id WHERE s.code = 'NL001'",
    );
    assert_eq!(mean, 377);
}

#[test]
fn example_exports_of_every_format_import_with_a_report_of_bad_rows() {
    let (db, mut conn, (_, team)) = crate::network::importers(("Da Nang", "VN"), "Importers", false);
    let none = Default::default();
    for (format, file, rows) in [
        (Format::MlwCsv, "fixtures/examples/mlw.csv", 2),
        (Format::TidesCsv, "fixtures/examples/tides.csv", 1),
        (Format::MdmapCsv, "fixtures/examples/mdmap.csv", 1),
    ] {
        let report = run(&mut conn, format, &fixture(file), &team, &none, true);
        assert_eq!((report.created, report.rejected.len()), (rows, 0), "{file}: {:?}", report.rejected);
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites"), 3, "sites created from the rows' coordinates");

    let broken = TempCsv::new(
        "broken",
        "Cleanup Date,Cigarette Butts,Unicorn Horns\n2026-02-30,5,1\n2026-02-14,-3,\n2026-02-14,4,\n",
    );
    let report = run(&mut conn, Format::TidesCsv, &broken, &team, &none, false);
    let lines: Vec<usize> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3]);
    assert_eq!(report.created, 1);
    assert!(report.rejected[0].problems.iter().any(|p| p.column.as_deref() == Some("Cleanup Date")));
}

#[test]
fn long_beach_names_and_zero_length_cleanups_register_sites_without_aborting() {
    let (db, mut conn, (_, team)) = crate::network::importers(("Da Nang", "VN"), "Importers", false);
    let long_name = "Bãi biển Mỹ Khê phía bắc gần cầu Rồng và khu nghỉ dưỡng ven biển Sơn Trà (đoạn 3)";
    assert!(long_name.chars().count() > 64);
    let header = "CommunityName,BeachName,BeachCountrycode,BeachRegionalSea,BeachLength_m,BeachLocation,BeachType,\
                  EventDate,EventType,NatRef,lon_x1,lat_y1,lon_x2,lat_y2,G1,G27";
    let file = TempCsv::new(
        "long-names",
        &format!(
            "{header}\n\
             Club,{long_name},VN,South China Sea,0,Urban,Sandy,20260412,Cleanup,,108.2600,16.1000,,,2,30\n\
             Club,{long_name},VN,South China Sea,100,Urban,Sandy,20260415,Monitoring,,108.2600,16.1000,,,1,12\n"
        ),
    );
    let none = Default::default();
    let report = run(&mut conn, Format::MlwCsv, &file, &team, &none, true);
    // the cleanup's 0 m length is refused for the row, never given to the site
    assert_eq!(report.created, 1, "{:?}", report.rejected);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 2, "CSV line of the zero-length cleanup");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites WHERE length(code) <= 64 AND name LIKE 'Bãi biển%'"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites WHERE reference_length_m IS NULL"), 1);
    // a re-run finds the same site by its derived code and stores nothing new
    let again = run(&mut conn, Format::MlwCsv, &file, &team, &none, true);
    assert_eq!((again.created, again.duplicates, again.rejected.len()), (0, 1, 1));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites"), 1);
}

#[test]
fn a_re_run_after_a_closer_site_was_registered_is_a_duplicate_not_a_conflict() {
    let (db, mut conn, (city, team)) = crate::network::importers(("Da Nang", "VN"), "Importers", true);
    let far = crate::network::beach(&mut conn, city.id, "FAR", (16.0600, 108.248));
    let file = TempCsv::new(
        "placement",
        "CommunityName,BeachName,BeachCountrycode,BeachRegionalSea,BeachLength_m,BeachLocation,BeachType,\
         EventDate,EventType,NatRef,lon_x1,lat_y1,lon_x2,lat_y2,G1\n\
         Club,Unnamed cove,VN,South China Sea,100,Urban,Sandy,20260415,Monitoring,,108.2480,16.0650,,,4\n",
    );
    let none = Default::default();
    let first = run(&mut conn, Format::MlwCsv, &file, &team, &none, false);
    assert_eq!(first.created, 1, "{:?}", first.rejected);
    assert_eq!(count(&db, &format!("SELECT count(*) AS n FROM surveys WHERE site_id = {far}")), 1, "snapped ~550 m");
    // a site 10 m from the row is registered later: placement would now differ
    crate::network::beach(&mut conn, city.id, "NEAR", (16.0651, 108.248));
    let again = run(&mut conn, Format::MlwCsv, &file, &team, &none, false);
    assert_eq!((again.created, again.duplicates, again.rejected.len()), (0, 1, 0), "{:?}", again.rejected);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM surveys"), 1);
}

/// The weighed sheets' example files go in through the whole import path with their areas and
/// weights: the `Area (m2)` column (NOWPAP's three blocks, the GESAMP sheet's second row) is
/// the surveyed area.
#[test]
fn the_weighed_sheet_examples_import_with_their_areas_and_weights() {
    let (db, mut conn, (_, team)) = crate::network::importers(("Ha Long", "VN"), "Sheet keepers", true);
    let none = Default::default();
    // each survey's area (m²) and grams, in date order
    type AreaAndGrams = &'static [(i64, i64)];
    let files: [(Format, &str, AreaAndGrams); 5] = [
        (Format::GesampCsv, "gesamp", &[(1000, 1025), (300, 1140)]),
        (Format::NowpapCsv, "nowpap", &[(300, 1400)]),
        (Format::ChinaCsv, "china", &[(1000, 1772)]),
        (Format::KlhkCsv, "klhk", &[(1000, 1090)]),
        (Format::VietnamCsv, "vietnam", &[(500, 869)]),
    ];
    for (format, name, surveys) in files {
        let report = run(&mut conn, format, &fixture(&format!("fixtures/examples/{name}.csv")), &team, &none, true);
        assert_eq!((report.created, report.rejected.len()), (surveys.len(), 0), "{name}: {:?}", report.rejected);
        for (i, (area, grams)) in surveys.iter().enumerate() {
            let row = |column: &str| {
                count(
                    &db,
                    &format!(
                        "SELECT round({column})::bigint AS n FROM survey_totals WHERE protocol = '{}' \
                         ORDER BY survey_date OFFSET {i} LIMIT 1",
                        format.protocol()
                    ),
                )
            };
            assert_eq!((row("area_m2"), row("total_weight_g")), (*area, *grams), "{name} survey {i}");
        }
    }
}
