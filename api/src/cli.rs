//! The `tideline` command line: serve, migrate, managed-database control, OpenAPI output.

use std::net::TcpListener;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::cluster::ManagedCluster;
use crate::database::{redact, Database};

/// Tideline: citizen-science marine-litter monitoring backend.
#[derive(Debug, Parser)]
#[command(name = "tideline", version, about)]
pub struct Cli {
    /// PostgreSQL/PostGIS server to use; without it, a private managed cluster in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory of the managed database cluster and other local state.
    #[arg(long, env = "TIDELINE_DATA_DIR", default_value = ".tideline", global = true)]
    pub data_dir: PathBuf,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "TIDELINE_LOG_JSON", global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (migrating the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "TIDELINE_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// HTTP worker threads (default: one per core).
        #[arg(long, env = "TIDELINE_WORKERS")]
        workers: Option<usize>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Control the managed local database cluster.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Print the OpenAPI document.
    Openapi,
}

/// Managed-cluster actions.
#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Start the cluster (initialising it on first use) and leave it running.
    Start,
    /// Stop the cluster.
    Stop,
    /// Say whether it runs, and its connection URL.
    Status,
}

/// Parses the command line and runs it.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(cli.log_json);
    match cli.command {
        Command::Serve { ref bind, workers } => serve(&cli, bind, workers),
        Command::Migrate => {
            let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
            let applied = db.migrate()?;
            tracing::info!(count = applied.len(), ?applied, "migrations applied");
            Ok(())
        }
        Command::Db { ref action } => db_action(&cli, action),
        Command::Openapi => {
            print!("{}", crate::http::openapi::document_json());
            Ok(())
        }
    }
}

fn serve(cli: &Cli, bind: &str, workers: Option<usize>) -> anyhow::Result<()> {
    let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
    db.migrate()?;
    let pool = db.pool(16)?;
    let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    tracing::info!(address = %bind, database = %redact(&db.url), "serving");
    let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    actix_web::rt::System::new().block_on(async move {
        // actix stops gracefully on Ctrl-C / SIGTERM; `db` then stops the managed cluster.
        crate::http::server::start(listener, pool, workers)?.await
    })?;
    tracing::info!("stopped");
    drop(db);
    Ok(())
}

fn db_action(cli: &Cli, action: &DbAction) -> anyhow::Result<()> {
    if cli.database_url.is_some() {
        anyhow::bail!("`tideline db` controls the managed cluster; unset DATABASE_URL to use it");
    }
    let cluster = ManagedCluster::new(&cli.data_dir)?;
    match action {
        DbAction::Start => {
            cluster.ensure_running()?.detach();
            crate::database::create_database_if_missing(&cluster.url("postgres")?, crate::database::MANAGED_DATABASE)?;
            println!("{}", cluster.url(crate::database::MANAGED_DATABASE)?);
        }
        DbAction::Stop if cluster.is_running() => cluster.stop()?,
        DbAction::Stop => println!("not running"),
        DbAction::Status if cluster.is_running() => {
            println!("running {}", cluster.url(crate::database::MANAGED_DATABASE)?)
        }
        DbAction::Status => println!("stopped"),
    }
    Ok(())
}

fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIDELINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
