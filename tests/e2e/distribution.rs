//! The scale-out plan against the real catalog: every table is placed, every key of a
//! distributed table carries its distribution column, and `tideline db distribute` without
//! Citus prints the plan and says what to install.

use diesel::connection::SimpleConnection;
use tideline_api::store::distribution;
use tideline_api::testing::TestDb;

#[test]
fn the_migrated_schema_fits_the_distribution_plan() {
    let db = TestDb::new();
    let mut conn = db.connect();
    assert_eq!(distribution::check(&mut conn).unwrap(), Vec::<String>::new());

    // the check is not blind: a unique key without city_id, a table outside the plan, and a
    // foreign key across cities are each named
    conn.batch_execute(
        "ALTER TABLE surveys ADD CONSTRAINT one_per_submission UNIQUE (submission_id); \
         CREATE UNIQUE INDEX one_item_per_code ON survey_items (survey_id, source_code); \
         CREATE TABLE stray (id BIGINT PRIMARY KEY); \
         ALTER TABLE survey_items ADD COLUMN other_survey BIGINT; \
         ALTER TABLE survey_items ADD CONSTRAINT across FOREIGN KEY (other_survey) REFERENCES surveys (submission_id)",
    )
    .unwrap();
    let problems = distribution::check(&mut conn).unwrap();
    let named = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(named("surveys: the unique key (submission_id) does not include city_id"), "{problems:?}");
    assert!(named("survey_items: the unique key (survey_id, source_code) does not include city_id"), "{problems:?}");
    assert!(named("stray: not in the distribution plan"), "{problems:?}");
    assert!(named("survey_items: the foreign key (other_survey) to surveys"), "{problems:?}");
}

#[test]
fn without_citus_the_command_prints_the_plan_and_says_what_to_install() {
    let db = TestDb::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tideline"))
        .args(["--database-url", &db.url, "db", "distribute"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("SELECT create_reference_table('cities');"), "{stdout}");
    assert!(stdout.contains("SELECT create_distributed_table('surveys', 'city_id', colocate_with => 'submissions');"));
    assert!(stdout.contains("SELECT create_distributed_table('client_ids', 'team_id');"));
    assert!(stderr.contains("the citus extension is not installed"), "{stderr}");
    assert!(stdout.contains("SELECT create_distributed_function('tideline_packed_survey(survey_totals)');"));
    assert_eq!(distribution::calls().len(), 4 + 12 + 1 + 1);
}
