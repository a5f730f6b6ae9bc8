//! Migrations apply to an empty database, and each test's database is its own.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use tideline_api::testing::TestDb;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn tables(conn: &mut PgConnection) -> Vec<String> {
    diesel::sql_query(
        "SELECT table_name AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load::<Name>(conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect()
}

#[test]
fn migrations_apply_to_an_empty_database_and_revert_cleanly() {
    let db = TestDb::new();
    let mut conn = db.connect();
    // The template is migrated: undo everything to reach an empty database, then redo.
    use diesel_migrations::MigrationHarness;
    conn.revert_all_migrations(tideline_api::database::MIGRATIONS).unwrap();
    let empty = tables(&mut conn);
    assert_eq!(empty, vec!["__diesel_schema_migrations", "spatial_ref_sys"]);

    let applied = tideline_api::database::run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    let after = tables(&mut conn);
    use tideline_api::store::distribution::{BY_CITY, BY_TEAM, REFERENCE};
    for table in REFERENCE.iter().chain(&BY_CITY).chain(&BY_TEAM) {
        assert!(after.iter().any(|t| t == table), "{table} missing from {after:?}");
    }
    let postgis: Name = diesel::sql_query("SELECT postgis_version() AS name").get_result(&mut conn).unwrap();
    assert!(postgis.name.starts_with('3'), "PostGIS 3, got {}", postgis.name);
}

#[test]
fn servers_started_together_migrate_one_at_a_time() {
    let db = TestDb::new();
    let mut conn = db.connect();
    use diesel_migrations::MigrationHarness;
    conn.revert_all_migrations(tideline_api::database::MIGRATIONS).unwrap();
    // four processes' worth of connections migrate the empty database at once: one applies
    // every migration, the others wait for it and find nothing left to apply
    let applied: Vec<usize> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let mut conn = db.connect();
                    tideline_api::database::run_migrations(&mut conn).map(|versions| versions.len())
                })
            })
            .collect();
        runs.into_iter().map(|run| run.join().unwrap().unwrap()).collect()
    });
    use diesel::migration::MigrationSource;
    let total = MigrationSource::<diesel::pg::Pg>::migrations(&tideline_api::database::MIGRATIONS).unwrap().len();
    let mut sorted = applied.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![0, 0, 0, total], "{applied:?}");
}

#[test]
fn every_large_table_carries_city_id_first_in_its_primary_key() {
    let db = TestDb::new();
    let mut conn = db.connect();
    // the tables the Citus plan distributes by city (its check covers every unique key)
    for table in tideline_api::store::distribution::BY_CITY {
        let first: Name = diesel::sql_query(format!(
            "SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a \
             ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] \
             WHERE i.indrelid = '{table}'::regclass AND i.indisprimary"
        ))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(first.name, "city_id", "{table}");
    }
}

#[test]
fn test_databases_are_isolated_from_each_other() {
    let a = TestDb::new();
    let b = TestDb::new();
    assert_ne!(a.name(), b.name());
    let mut ca = a.connect();
    diesel::sql_query("INSERT INTO cities (name, country_code) VALUES ('Da Nang', 'VN')").execute(&mut ca).unwrap();
    let count = |conn: &mut PgConnection| -> i64 {
        diesel::sql_query("SELECT count(*) AS count FROM cities").get_result::<Count>(conn).unwrap().count
    };
    assert_eq!(count(&mut ca), 1);
    assert_eq!(count(&mut b.connect()), 0, "b does not see a's rows");
    assert_eq!(count(&mut TestDb::new().connect()), 0, "a new clone starts from the clean template");
}
