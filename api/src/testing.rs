//! The test harness shared by the crates' own tests and the end-to-end tests in `tests/`:
//! one database cluster per test run, one fresh database per test cloned from a template
//! database that is migrated once and named after the migrations' fingerprint, and a real
//! HTTP server on a loopback port.
//!
//! `TEST_DATABASE_URL` (or `DATABASE_URL`) points the harness at an existing server (any
//! database on it; the role needs CREATEDB). Otherwise it runs a managed cluster in
//! `target/tideline-test`, started on first use under a file lock and left running for the
//! next test binary (`make test` stops it at the end).

use std::fs::File;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{mpsc, Mutex, OnceLock};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::cluster::ManagedCluster;
use crate::database::{self, quote_ident, DbPool};

/// Where test databases are created, and the template they are cloned from.
struct Shared {
    /// URL of a maintenance database on the server, to create and drop databases.
    admin_url: String,
    /// `postgres://…/` prefix to which a database name is appended.
    url_prefix: String,
    template: String,
}

static SHARED: OnceLock<Result<Shared, String>> = OnceLock::new();
static CREATE_LOCK: Mutex<()> = Mutex::new(());

/// Directory of the test run's managed cluster.
pub fn test_cluster_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("tideline-test")
}

fn shared() -> &'static Shared {
    let shared = SHARED.get_or_init(|| init().map_err(|e| format!("{e:#}")));
    match shared {
        Ok(shared) => shared,
        Err(err) => panic!("test database unavailable: {err}"),
    }
}

fn init() -> anyhow::Result<Shared> {
    let external = std::env::var("TEST_DATABASE_URL").or_else(|_| std::env::var("DATABASE_URL")).ok();
    let dir = test_cluster_dir();
    std::fs::create_dir_all(&dir)?;
    // Serialises cluster start-up and template creation across test processes.
    let lock = File::create(dir.with_extension("lock"))?;
    lock.lock()?;
    let admin_url = match external {
        Some(url) => url,
        None => {
            let cluster = ManagedCluster::new(&dir)?;
            cluster.ensure_running()?.detach();
            cluster.url("postgres")?
        }
    };
    let url_prefix = match admin_url.rfind('/') {
        Some(slash) if admin_url[..slash].contains("://") => admin_url[..=slash].to_string(),
        _ => anyhow::bail!("cannot read a database URL from {}", database::redact(&admin_url)),
    };
    let template = format!("tideline_template_{}", database::MIGRATIONS_HASH);
    let mut admin = PgConnection::establish(&admin_url)?;
    if !database::database_exists(&mut admin, &template)? {
        // Build under a temporary name and rename, so a crash never leaves a half-made template.
        let building = format!("{template}_building");
        // DDL (here and below): database names are quoted identifiers, never bound parameters
        // one statement per call: PostgreSQL runs a multi-statement string in one transaction,
        // and these cannot run inside one
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&building)))?;
        admin.batch_execute(&format!("CREATE DATABASE {}", quote_ident(&building)))?;
        {
            let mut conn = PgConnection::establish(&format!("{url_prefix}{building}"))?;
            database::run_migrations(&mut conn)?;
        }
        admin.batch_execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_ident(&building),
            quote_ident(&template)
        ))?;
        admin.batch_execute(&format!("ALTER DATABASE {} WITH is_template = true", quote_ident(&template)))?;
    }
    lock.unlock()?;
    Ok(Shared { admin_url, url_prefix, template })
}

/// A fresh, migrated database of its own for one test; dropped with the value.
pub struct TestDb {
    /// Connection URL of this test's database.
    pub url: String,
    name: String,
}

impl TestDb {
    /// Clones the migrated template into a new uniquely named database.
    pub fn new() -> Self {
        let shared = shared();
        let name = format!("tideline_test_{}", uuid::Uuid::new_v4().simple());
        let sql = format!("CREATE DATABASE {} TEMPLATE {}", quote_ident(&name), quote_ident(&shared.template));
        // PostgreSQL refuses concurrent clones of one template from a single session's view;
        // serialise this process's clones (others retry on "being accessed").
        let _guard = CREATE_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let mut admin = PgConnection::establish(&shared.admin_url).expect("connect to the test server");
        let mut attempts = 0;
        loop {
            match admin.batch_execute(&sql) {
                Ok(_) => break,
                Err(err) if attempts < 50 && err.to_string().contains("being accessed") => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(err) => panic!("cannot create test database: {err}"),
            }
        }
        Self { url: format!("{}{name}", shared.url_prefix), name }
    }

    /// A connection pool to this database.
    pub fn pool(&self) -> DbPool {
        database::pool(&self.url, 8)
    }

    /// One direct connection to this database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }

    /// This database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&shared().admin_url) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&self.name)));
        }
    }
}

/// A real Tideline HTTP server on a loopback port, stopped on drop.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Serves the whole application over `pool` with default settings.
    pub fn start(pool: DbPool) -> Self {
        Self::start_with(pool, crate::http::server::Settings::default())
    }

    /// Serves the whole application over `pool` with `settings`.
    pub fn start_with(pool: DbPool, settings: crate::http::server::Settings) -> Self {
        Self::start_on(pool, None, settings)
    }

    /// Serves over `pool`, reading statistics from `read_pool` when given (a read replica).
    pub fn start_on(pool: DbPool, read_pool: Option<DbPool>, settings: crate::http::server::Settings) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = crate::http::server::start(listener, pool, read_pool, 2, settings, false)
                    .expect("start the test server");
                tx.send(server.handle()).expect("hand back the server handle");
                let _ = server.await;
            })
        });
        let handle = rx.recv().expect("the server started");
        Self { base_url, handle, thread: Some(thread) }
    }

    /// Absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
