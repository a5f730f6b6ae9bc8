//! The `tideline` command line's arguments: every command, subcommand and flag (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
        /// Longest time, in milliseconds, a cached statistics answer or page is still served
        /// after a record is written or reviewed (0: every write is seen at once, and under
        /// continuous ingest every request recomputes).
        #[arg(long, env = "TIDELINE_STATS_STALENESS_MS", default_value_t = 2000)]
        stats_staleness_ms: u64,
        /// Most memory, in MiB, for the sites' statistics kept between requests (each valid
        /// until one of the site's records is written or reviewed; 0: every statistic reads
        /// every site of its scope).
        #[arg(long, env = "TIDELINE_STATS_PARTS_MIB", default_value_t = 128)]
        stats_parts_mib: usize,
        /// A read replica to answer statistics, reports and exports from (its answers lag the
        /// primary by the replica's delay); writes and record reads stay on the primary.
        #[arg(long, env = "TIDELINE_READ_DATABASE_URL")]
        read_database_url: Option<String>,
        /// Load the demonstration network and a modest synthetic data set when the database
        /// has no surveys yet.
        #[arg(long)]
        demo: bool,
        /// The licence, citation and map tiles of the published data.
        #[command(flatten)]
        publication: PublicationArgs,
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
        /// ospar, mlw, tides, mdmap, tideline, gesamp, nowpap, china, klhk or vietnam.
        #[arg(long)]
        protocol: String,
    },
    /// Print how many category and material names are translated into each language, as CSV.
    Translations,
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
    /// Distribute the schema with Citus (reference tables, tables by city, the ledger by team),
    /// after checking every key fits the plan; without the citus extension, print the plan and
    /// say what to install (SCALING.md). Works on DATABASE_URL too.
    Distribute,
}

/// How the open data is published (shown on every page, report card and OGC document).
#[derive(Debug, Clone, clap::Args)]
pub struct PublicationArgs {
    /// Licence of accepted records (an SPDX identifier where there is one).
    #[arg(long, env = "TIDELINE_LICENCE", default_value = crate::http::publication::DEFAULT_LICENCE)]
    pub licence: String,
    /// Where the licence is written.
    #[arg(long, env = "TIDELINE_LICENCE_URL", default_value = crate::http::publication::DEFAULT_LICENCE_URL)]
    pub licence_url: String,
    /// How to cite the data set.
    #[arg(long, env = "TIDELINE_CITATION", default_value = crate::http::publication::DEFAULT_CITATION)]
    pub citation: String,
    /// A map tile URL template (`https://…/{z}/{x}/{y}.png`); without one the maps draw the
    /// vendored Natural Earth coastline and need no network.
    #[arg(long, env = "TIDELINE_TILE_URL")]
    pub tile_url: Option<String>,
}

impl From<PublicationArgs> for crate::http::publication::Publication {
    fn from(args: PublicationArgs) -> Self {
        Self { licence: args.licence, licence_url: args.licence_url, citation: args.citation, tile_url: args.tile_url }
    }
}
