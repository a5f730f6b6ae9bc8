//! `tideline import`: the 95 Dutch OSPAR surveys go in once; a second import stores nothing.

use std::path::PathBuf;

use tideline_api::import::{import_file, load_site_file, Format};
use tideline_api::store::{places, teams};
use tideline_api::testing::TestDb;

use crate::ingest::count;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

#[test]
fn ospar_import_stores_95_surveys_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let bergen = places::upsert_city(&mut conn, "Bergen", "NL").unwrap();
    let team = teams::upsert_team(&mut conn, "RWS OSPAR NL", "agency", bergen.id, true).unwrap();
    let sites = load_site_file(&mut conn, &fixture("fixtures/network/ospar-nl-sites.csv")).unwrap();
    assert_eq!(sites.len(), 4);
    let data = fixture("fixtures/external/ospar-nl-2012-2017/beach-litter-nl-2012-2017.csv");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut calls = 0;
    let first =
        import_file(&mut conn, Format::OsparCsv, &data, &team, &sites, false, today, |_, _| calls += 1).unwrap();
    assert_eq!((first.rows, first.created, first.duplicates), (95, 95, 0));
    assert!(first.rejected.is_empty(), "{:?}", first.rejected);
    assert!(calls >= 1, "progress reported");
    let again = import_file(&mut conn, Format::OsparCsv, &data, &team, &sites, false, today, |_, _| ()).unwrap();
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
    let db = TestDb::new();
    let mut conn = db.connect();
    let city = places::upsert_city(&mut conn, "Da Nang", "VN").unwrap();
    let team = teams::upsert_team(&mut conn, "Importers", "ngo", city.id, false).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let none = Default::default();
    for (format, file, rows) in [
        (Format::MlwCsv, "fixtures/examples/mlw.csv", 2),
        (Format::TidesCsv, "fixtures/examples/tides.csv", 1),
        (Format::MdmapCsv, "fixtures/examples/mdmap.csv", 1),
    ] {
        let report = import_file(&mut conn, format, &fixture(file), &team, &none, true, today, |_, _| ()).unwrap();
        assert_eq!((report.created, report.rejected.len()), (rows, 0), "{file}: {:?}", report.rejected);
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM sites"), 3, "sites created from the rows' coordinates");

    let broken = std::env::temp_dir().join(format!("tideline-broken-{}.csv", std::process::id()));
    std::fs::write(
        &broken,
        "Cleanup Date,Cigarette Butts,Unicorn Horns\n2026-02-30,5,1\n2026-02-14,-3,\n2026-02-14,4,\n",
    )
    .unwrap();
    let report = import_file(&mut conn, Format::TidesCsv, &broken, &team, &none, false, today, |_, _| ()).unwrap();
    let lines: Vec<usize> = report.rejected.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, vec![2, 3]);
    assert_eq!(report.created, 1);
    assert!(report.rejected[0].1.iter().any(|e| e.pointer == "/Cleanup Date"));
    std::fs::remove_file(broken).ok();
}
