//! The `tideline` command line: serve, migrate, managed-database control, OpenAPI output.

use std::net::TcpListener;

use anyhow::Context;
use clap::Parser;
use diesel::Connection;

use crate::cluster::ManagedCluster;
use crate::database::{redact, Database};
use crate::http::server::Settings;

pub mod args;
pub use args::{CityAction, Cli, Command, DbAction, DemoAction, SiteAction, TeamAction, TokenAction};

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
            stats_staleness_ms,
            stats_parts_mib,
            ref read_database_url,
            ref publication,
        } => {
            let settings = Settings {
                rate_limit_per_minute: rate_limit,
                anonymous_rate_limit_per_minute: anonymous_rate_limit,
                failed_auth_per_minute: auth_failure_limit,
                stats_cache_ttl: std::time::Duration::from_secs(stats_cache_seconds),
                stats_staleness: std::time::Duration::from_millis(stats_staleness_ms),
                stats_parts_bytes: stats_parts_mib.saturating_mul(1 << 20),
                publication: publication.clone().into(),
                ..Settings::default()
            };
            serve(&cli, bind, workers, settings, demo, read_database_url.as_deref())
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
        Command::Translations => print_translations(),
        ref command => {
            let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
            db.migrate()?;
            let mut conn = diesel::PgConnection::establish(&db.url)?;
            crate::admin::run(&mut conn, command)
        }
    }
}

fn serve(
    cli: &Cli,
    bind: &str,
    workers: Option<usize>,
    settings: Settings,
    demo: bool,
    read_database_url: Option<&str>,
) -> anyhow::Result<()> {
    let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
    db.migrate()?;
    if demo {
        let mut conn = diesel::PgConnection::establish(&db.url)?;
        crate::admin::seed_demo_if_empty(&mut conn)?;
    }
    let pool = db.pool(16)?;
    let read_pool = read_database_url.map(|url| {
        tracing::info!(replica = %redact(url), "statistics read from a replica");
        crate::database::pool(url, 16)
    });
    let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    tracing::info!(address = %bind, database = %redact(&db.url), "serving");
    let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    actix_web::rt::System::new().block_on(async move {
        // actix stops gracefully on Ctrl-C / SIGTERM; `db` then stops the managed cluster.
        crate::http::server::start(listener, pool, read_pool, workers, settings, true)?.await
    })?;
    tracing::info!("stopped");
    drop(db);
    Ok(())
}

fn db_action(cli: &Cli, action: &DbAction) -> anyhow::Result<()> {
    if matches!(action, DbAction::Distribute) {
        return distribute(cli);
    }
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
        DbAction::Distribute => unreachable!("handled above"),
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

fn distribute(cli: &Cli) -> anyhow::Result<()> {
    use crate::store::distribution;
    let db = Database::open(cli.database_url.clone(), cli.data_dir.clone())?;
    let mut conn = diesel::PgConnection::establish(&db.url)?;
    let problems = distribution::check(&mut conn)?;
    if !problems.is_empty() {
        anyhow::bail!("the schema does not fit the distribution plan:\n  {}", problems.join("\n  "));
    }
    if !distribution::citus_installed(&mut conn)? {
        println!("The schema fits the plan. With Citus, this command would run:");
        for call in distribution::calls() {
            println!("  {call};");
        }
        anyhow::bail!(
            "the citus extension is not installed in this database: install Citus on the coordinator and \
             every worker, run `CREATE EXTENSION citus;`, add the workers with citus_add_node, then run \
             `tideline db distribute` again (SCALING.md)"
        );
    }
    for call in distribution::distribute(&mut conn)? {
        println!("{call};");
    }
    Ok(())
}

fn print_translations() -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(std::io::stdout());
    out.write_record(["language", "names", "translated", "total"])?;
    for (language, kind, translated, total) in tideline_core::catalogue::translation_coverage() {
        out.write_record([language.as_str(), kind, &translated.to_string(), &total.to_string()])?;
    }
    out.flush()?;
    Ok(())
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
