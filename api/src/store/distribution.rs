//! The scale-out plan for Citus, as data: which tables are reference tables (small, copied to
//! every node), which are distributed by `city_id` (co-located, so a city's records, items,
//! totals and rollups live on one shard), and the idempotency ledger distributed by `team_id`.
//! `check` reads the catalog and names every key that would break the plan; `distribute`
//! issues the Citus calls (see SCALING.md).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, Text};

/// Small tables every node keeps a copy of.
pub const REFERENCE: [&str; 4] = ["cities", "sites", "teams", "api_tokens"];

/// Large tables distributed by `city_id`, co-located.
pub const BY_CITY: [&str; 12] = [
    "submissions",
    "surveys",
    "survey_items",
    "survey_totals",
    "samples",
    "sample_particles",
    "reviews",
    "record_versions",
    "batch_replays",
    "site_month_rollups",
    "site_month_category_rollups",
    "site_month_surveys",
];

/// The idempotency ledger: one row per team and client id, distributed by `team_id`.
pub const BY_TEAM: [&str; 1] = ["client_ids"];

/// Functions the write path calls inside statements on distributed tables (the summaries'
/// record packing): created on every node, so the statement runs on the city's shard.
pub const FUNCTIONS: [&str; 1] = ["tideline_packed_survey(survey_totals)"];

/// Tables outside the plan: the migrations' bookkeeping and PostGIS's own.
pub const LOCAL: [&str; 2] = ["__diesel_schema_migrations", "spatial_ref_sys"];

/// One key of the catalog: its table, kind (`p`rimary, `u`nique index, `f`oreign), its columns, and
/// for a foreign key the table it references.
#[derive(Debug, QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    referenced: Option<String>,
}

/// The distribution column of a table in the plan, if it is distributed.
fn distribution_column(table: &str) -> Option<&'static str> {
    if BY_CITY.contains(&table) {
        Some("city_id")
    } else if BY_TEAM.contains(&table) {
        Some("team_id")
    } else {
        None
    }
}

/// Everything in the catalog that breaks the plan: a table the plan does not place, a
/// distributed table without its distribution column, a primary or unique key without it, a
/// foreign key between distributed tables that does not carry it. Empty when Citus can take
/// the schema as it is.
pub fn check(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    let mut problems = Vec::new();
    let tables: Vec<String> = {
        use crate::database::information_schema::tables as t;
        t::table
            .filter(t::table_schema.eq("public"))
            .filter(t::table_type.eq("BASE TABLE"))
            .select(t::table_name)
            .load(conn)?
    };
    for table in &tables {
        let placed = [&REFERENCE[..], &BY_CITY[..], &BY_TEAM[..], &LOCAL[..]]
            .iter()
            .any(|group| group.contains(&table.as_str()));
        if !placed {
            problems.push(format!("{table}: not in the distribution plan (reference, by city or by team)"));
        }
    }
    // raw SQL: a catalog query over index and constraint column arrays, which the DSL cannot
    // name; unique *indexes* are read (not only constraints), so a bare CREATE UNIQUE INDEX counts
    let keys: Vec<Key> = diesel::sql_query(
        "SELECT i.indrelid::regclass::text AS table_name, CASE WHEN i.indisprimary THEN 'p' ELSE 'u' END AS kind, \
         array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a \
         ON a.attrelid = i.indrelid AND a.attnum = k) AS columns, NULL::text AS referenced \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND i.indisunique \
         UNION ALL \
         SELECT c.conrelid::regclass::text, 'f', array(SELECT a.attname::text FROM unnest(c.conkey) k \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k), c.confrelid::regclass::text \
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'public' AND c.contype = 'f' ORDER BY 1, 2",
    )
    .load(conn)?;
    for table in BY_CITY.iter().chain(BY_TEAM.iter()) {
        let column = distribution_column(table).unwrap_or("city_id");
        let has_column = keys.iter().any(|k| k.table_name == *table && k.columns.iter().any(|c| c == column));
        if tables.iter().any(|t| t == table) && !has_column {
            problems.push(format!("{table}: no key carries its distribution column {column}"));
        }
    }
    for key in &keys {
        let Some(column) = distribution_column(&key.table_name) else { continue };
        let carries = key.columns.iter().any(|c| c == column);
        match key.kind.as_str() {
            "p" | "u" if !carries => problems.push(format!(
                "{}: the {} key ({}) does not include {column}",
                key.table_name,
                if key.kind == "p" { "primary" } else { "unique" },
                key.columns.join(", ")
            )),
            "f" => {
                let target = key.referenced.as_deref().unwrap_or("");
                if distribution_column(target).is_some() && !(carries && distribution_column(target) == Some(column)) {
                    problems.push(format!(
                        "{}: the foreign key ({}) to {target} does not run within one {column}",
                        key.table_name,
                        key.columns.join(", ")
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(problems)
}

/// The Citus calls that distribute the schema, in order: reference tables first, then the
/// tables by city (co-located with `submissions`), then the ledger by team, then the functions.
pub fn calls() -> Vec<String> {
    let mut calls: Vec<String> = REFERENCE.iter().map(|t| format!("SELECT create_reference_table('{t}')")).collect();
    calls.extend(BY_CITY.iter().map(|t| {
        if *t == "submissions" {
            format!("SELECT create_distributed_table('{t}', 'city_id')")
        } else {
            format!("SELECT create_distributed_table('{t}', 'city_id', colocate_with => 'submissions')")
        }
    }));
    calls.extend(BY_TEAM.iter().map(|t| format!("SELECT create_distributed_table('{t}', 'team_id')")));
    calls.extend(FUNCTIONS.iter().map(|f| format!("SELECT create_distributed_function('{f}')")));
    calls
}

/// Whether the database has the `citus` extension.
pub fn citus_installed(conn: &mut PgConnection) -> QueryResult<bool> {
    use crate::database::pg_extension as e;
    diesel::select(diesel::dsl::exists(e::table.filter(e::extname.eq("citus")))).get_result(conn)
}

/// Issues [`calls`] in one transaction (table names are the plan's constants, never input).
pub fn distribute(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    let calls = calls();
    conn.transaction(|conn| {
        for call in &calls {
            conn.batch_execute(call)?;
        }
        QueryResult::Ok(())
    })?;
    Ok(calls)
}
