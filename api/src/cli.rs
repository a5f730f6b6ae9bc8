//! The `tideline` command line: serve, migrate, managed-database control, OpenAPI output.

use std::net::TcpListener;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use diesel::Connection;

use crate::cluster::ManagedCluster;
use crate::database::{redact, Database};
use crate::http::server::Settings;

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
        /// Requests per minute per token (0 = unlimited).
        #[arg(long, env = "TIDELINE_RATE_LIMIT", default_value_t = 600)]
        rate_limit: u32,
        /// Requests per minute per client address without a token (0 = unlimited).
        #[arg(long, env = "TIDELINE_ANONYMOUS_RATE_LIMIT", default_value_t = 1200)]
        anonymous_rate_limit: u32,
        /// Refused tokens per minute per client address before 429 (0 = unlimited).
        #[arg(long, env = "TIDELINE_AUTH_FAILURE_LIMIT", default_value_t = 30)]
        auth_failure_limit: u32,
        /// Seconds a statistics answer may be served from cache (0 = no cache).
        #[arg(long, env = "TIDELINE_STATS_CACHE_SECONDS", default_value_t = 10)]
        stats_cache_seconds: u64,
        /// Load the demonstration network and a modest synthetic data set when the database
        /// has no surveys yet.
        #[arg(long)]
        demo: bool,
    },
    /// The demonstration network.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Normalise stored surveys again from their raw payloads when a mapping table changed
    /// (their mapping version is not the current one); re-runs find nothing to do.
    Renormalise,
    /// Control the managed local database cluster.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Print a protocol's coverage table (source code, source name → canonical category) as CSV.
    Coverage {
        /// ospar, mlw, tides, mdmap or tideline.
        #[arg(long)]
        protocol: String,
    },
    /// Register cities.
    City {
        #[command(subcommand)]
        action: CityAction,
    },
    /// Register sites.
    Site {
        #[command(subcommand)]
        action: SiteAction,
    },
    /// Register teams.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Create or revoke API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Import a CSV export through the protocol adapters (idempotent: re-runs store nothing new).
    Import {
        /// File layout.
        #[arg(long, value_enum)]
        format: crate::import::Format,
        /// The CSV file.
        file: PathBuf,
        /// Team the records belong to (name).
        #[arg(long)]
        team: String,
        /// Site file (code, name, city, country_code, kind, lat, lon, reference_length_m) to match
        /// the file's site codes; its sites and cities are registered.
        #[arg(long)]
        sites: Option<PathBuf>,
        /// Register a site from a row's own coordinates when none is within 1 km.
        #[arg(long)]
        create_sites: bool,
        /// Write the rejected rows, as they were plus a `reason` column, to this CSV file.
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Print the summary as JSON (rows, created, already_stored, rejected, rejections).
        #[arg(long)]
        json: bool,
        /// Exit with an error when any row was rejected.
        #[arg(long)]
        strict: bool,
    },
}

/// City commands.
#[derive(Debug, Subcommand)]
pub enum CityAction {
    /// Create a city (or show the existing one).
    Create {
        /// Name.
        #[arg(long)]
        name: String,
        /// ISO 3166-1 alpha-2 country code.
        #[arg(long)]
        country: String,
    },
}

/// Site commands.
#[derive(Debug, Subcommand)]
pub enum SiteAction {
    /// Create a site (or show the existing one with that code).
    Create {
        /// City id.
        #[arg(long)]
        city: i64,
        /// Code unique in the city.
        #[arg(long)]
        code: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// beach, river or coastal_water.
        #[arg(long, default_value = "beach")]
        kind: tideline_core::vocabulary::SiteKind,
        /// Latitude.
        #[arg(long, allow_hyphen_values = true)]
        lat: f64,
        /// Longitude.
        #[arg(long, allow_hyphen_values = true)]
        lon: f64,
        /// Reference surveyed length, m.
        #[arg(long)]
        length_m: Option<f64>,
    },
}

/// Team commands.
#[derive(Debug, Subcommand)]
pub enum TeamAction {
    /// Create a team, or update the one with that name.
    Create {
        /// Unique name.
        #[arg(long)]
        name: String,
        /// community, university, school, ngo or agency.
        #[arg(long, default_value = "community")]
        kind: tideline_core::vocabulary::TeamKind,
        /// Home city id.
        #[arg(long)]
        city: i64,
        /// Accept its unflagged records without review.
        #[arg(long)]
        trusted: bool,
    },
}

/// Token commands.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print its secret (shown only this once).
    Create {
        /// Team name (volunteers, and coordinators of the team's city).
        #[arg(long)]
        team: Option<String>,
        /// volunteer, coordinator, researcher or admin.
        #[arg(long, default_value = "volunteer")]
        role: tideline_core::vocabulary::Role,
        /// City id a coordinator manages (default: the team's city).
        #[arg(long)]
        city: Option<i64>,
        /// Days until it expires.
        #[arg(long)]
        days: Option<i64>,
        /// Free label.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke a token by id.
    Revoke {
        /// Token id.
        id: i64,
    },
}

/// Demonstration commands.
#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Load the network and post deterministic synthetic surveys and samples.
    Seed {
        /// Surveys to generate.
        #[arg(long, default_value_t = 3000)]
        surveys: u64,
        /// Samples to generate.
        #[arg(long, default_value_t = 400)]
        samples: u64,
        /// Random seed (same seed, same data).
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
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
        Command::Serve {
            ref bind,
            workers,
            rate_limit,
            anonymous_rate_limit,
            auth_failure_limit,
            demo,
            stats_cache_seconds,
        } => {
            let settings = Settings {
                rate_limit_per_minute: rate_limit,
                anonymous_rate_limit_per_minute: anonymous_rate_limit,
                failed_auth_per_minute: auth_failure_limit,
                stats_cache_ttl: std::time::Duration::from_secs(stats_cache_seconds),
                ..Settings::default()
            };
            serve(&cli, bind, workers, settings, demo)
        }
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
        Command::Coverage { ref protocol } => print_coverage(protocol),
        ref command => {
            let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
            db.migrate()?;
            let mut conn = diesel::PgConnection::establish(&db.url)?;
            crate::admin::run(&mut conn, command)
        }
    }
}

fn serve(cli: &Cli, bind: &str, workers: Option<usize>, settings: Settings, demo: bool) -> anyhow::Result<()> {
    let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
    db.migrate()?;
    if demo {
        let mut conn = diesel::PgConnection::establish(&db.url)?;
        crate::admin::seed_demo_if_empty(&mut conn)?;
    }
    let pool = db.pool(16)?;
    let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    tracing::info!(address = %bind, database = %redact(&db.url), "serving");
    let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    actix_web::rt::System::new().block_on(async move {
        // actix stops gracefully on Ctrl-C / SIGTERM; `db` then stops the managed cluster.
        crate::http::server::start(listener, pool, workers, settings, true)?.await
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

fn print_coverage(protocol: &str) -> anyhow::Result<()> {
    let protocol: tideline_core::protocol::Protocol = protocol.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    let tree = tideline_core::category::CategoryTree::global();
    let mut out = csv::Writer::from_writer(std::io::stdout());
    out.write_record(["source_code", "source_name", "category", "category_name", "material"])?;
    for (code, name, category) in protocol.coverage() {
        let node = tree.get(&category);
        let material = node.map(|c| c.material.to_string()).unwrap_or_else(|| "(presence field)".into());
        out.write_record([code, name, category, node.map(|c| c.name.clone()).unwrap_or_default(), material])?;
    }
    out.flush()?;
    Ok(())
}
