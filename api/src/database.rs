//! Where the database is (an external `DATABASE_URL` or the managed local cluster), the
//! connection pool, and the embedded schema migrations.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::cluster::{ClusterGuard, ManagedCluster};

/// The SQL migrations under `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// Fingerprint of the migration files (names and contents), computed at build time.
pub const MIGRATIONS_HASH: &str = env!("TIDELINE_MIGRATIONS_HASH");

/// Name of the application database inside the managed cluster.
pub const MANAGED_DATABASE: &str = "tideline";

/// A pool of synchronous diesel connections; use it inside `web::block`.
pub type DbPool = Pool<ConnectionManager<PgConnection>>;

/// A database ready for use, with the managed cluster (if any) kept alive by `_cluster`.
pub struct Database {
    /// The connection URL.
    pub url: String,
    _cluster: Option<ClusterGuard>,
}

impl Database {
    /// Resolves the database: `DATABASE_URL` when given, otherwise the managed cluster in
    /// `data_dir` (started for the lifetime of the returned value if not already running),
    /// with its `tideline` database created and PostGIS enabled.
    pub fn open(database_url: Option<String>, data_dir: PathBuf) -> anyhow::Result<Self> {
        if let Some(url) = database_url {
            return Ok(Self { url, _cluster: None });
        }
        let cluster = ManagedCluster::new(&data_dir)?;
        let guard = cluster.ensure_running()?;
        create_database_if_missing(&cluster.url("postgres")?, MANAGED_DATABASE)?;
        let url = cluster.url(MANAGED_DATABASE)?;
        Ok(Self { url, _cluster: Some(guard) })
    }

    /// Runs pending migrations; returns the versions applied.
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn =
            PgConnection::establish(&self.url).with_context(|| format!("connecting to {}", redact(&self.url)))?;
        run_migrations(&mut conn)
    }

    /// A connection pool to this database.
    pub fn pool(&self, max_size: u32) -> anyhow::Result<DbPool> {
        Ok(pool(&self.url, max_size))
    }
}

/// Applies every pending migration on `conn`.
pub fn run_migrations(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    // one migrating process at a time: two servers started together against one database
    // would otherwise both apply the same migration, and one of them fail
    // raw SQL: advisory locks are functions diesel's DSL does not name
    conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(|v| v.to_string()).collect())
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
    conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    applied
}

/// The advisory lock key migrations run under ("tideline" in ASCII).
const MIGRATION_LOCK: i64 = 0x7469_6465_6c69_6e65;

/// A pool that connects lazily, so the service starts (and `/ready` reports) while the
/// database is down; connections are tested on checkout, so it recovers by itself.
pub fn pool(url: &str, max_size: u32) -> DbPool {
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(3))
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(url))
}

diesel::table! {
    /// PostgreSQL's catalog of databases (only the name is read).
    pg_database (oid) {
        oid -> Oid,
        datname -> Text,
    }
}

diesel::table! {
    /// PostgreSQL's installed extensions (only the name is read).
    pg_extension (oid) {
        oid -> Oid,
        extname -> Text,
    }
}

/// The SQL standard's catalog views, as far as Tideline reads them.
pub mod information_schema {
    diesel::table! {
        /// Tables and views.
        information_schema.tables (table_schema, table_name) {
            table_schema -> Text,
            table_name -> Text,
            table_type -> Text,
        }
    }
}

/// Whether the server has a database of this name.
pub fn database_exists(conn: &mut PgConnection, name: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(pg_database::table.filter(pg_database::datname.eq(name)))).get_result(conn)
}

/// Creates `name` through the maintenance database at `admin_url` unless it exists.
pub fn create_database_if_missing(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(admin_url)?;
    if !database_exists(&mut conn, name)? {
        // DDL: a database's name cannot be a bound parameter, so it is quoted as an identifier
        conn.batch_execute(&format!("CREATE DATABASE {}", quote_ident(name)))?;
    }
    Ok(())
}

/// SQL identifier quoting.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The URL with any password hidden, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}
