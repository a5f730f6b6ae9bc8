//! The import command as a person runs it on ugly exports: a rejects file they can fix and
//! import again, and new sites placed in the country their rows name.

use tideline_api::import::Format;
use tideline_api::testing::TestDb;

use crate::import::TempCsv;
use crate::import_ugly::{import, render, rows};
use crate::ingest::count;

/// The command a person runs: summary line, `--json`, `--rejects FILE`, `--strict`; a fixed
/// rejects file imports the fixed rows and nothing else.
#[test]
fn the_import_command_writes_rejects_a_person_can_fix_and_import() {
    let db = TestDb::new();
    let mut conn = db.connect();
    crate::network::ngo_team(&mut conn, ("Da Nang", "VN"), "Importers", true);
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
        String::from_utf8_lossy(&tides.stderr).contains("no `Cleanup Date` column, so this is not a `tides-csv` file"),
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
    let (db, _conn, (city, team)) = crate::network::importers(("Da Nang", "VN"), "Importers", true);
    let header = "CommunityName,BeachName,BeachCountrycode,BeachRegionalSea,BeachLength_m,BeachLocation,BeachType,\
                  EventDate,EventType,NatRef,lon_x1,lat_y1,lon_x2,lat_y2,G1";
    let file = TempCsv::new(
        "countries",
        &format!(
            "{header}\n\
             Club,Zlatni Rat,HR,Mediterranean,100,Rural,Sandy,20260301,Monitoring,Croatia,16.6480,43.2560,,,4\n\
             Club,Myrtos,EL,Mediterranean,100,Rural,Sandy,20260302,Monitoring,,20.5330,38.3430,,,2\n\
             Club,My Khe,VN,SCS,100,Urban,Sandy,20260303,Monitoring,,108.2480,16.0600,,,7\n\
             Club,Somewhere,EU,North Sea,100,Rural,Sandy,20260304,Monitoring,,4.5000,52.5000,,,1\n"
        ),
    );
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
}
