//! The administrative CLI commands: cities, sites, teams, tokens and imports.

use anyhow::{anyhow, bail, Context};
use diesel::PgConnection;

use crate::cli::args::{CityAction, Command, DemoAction, SiteAction, TeamAction, TokenAction};
use crate::store::places::{self, NewSite};
use crate::store::{teams, tokens};
use tideline_core::site::SiteInput;
use tideline_core::validation::{name_error, FieldError, NAME_MAX};
use tideline_core::vocabulary::Role;

/// Field errors as the command line's options name them (`/reference_length_m` is
/// `--length-m`), one a line.
fn option_errors(errors: &[FieldError]) -> String {
    let option = |pointer: &str| match pointer {
        "/reference_length_m" => "--length-m".to_string(),
        other => format!("--{}", other.trim_start_matches('/').replace('_', "-")),
    };
    errors.iter().map(|e| format!("{}: {}", option(&e.pointer), e.message)).collect::<Vec<_>>().join("\n")
}

/// Runs one administrative command.
pub fn run(conn: &mut PgConnection, command: &Command) -> anyhow::Result<()> {
    match command {
        Command::City { action: CityAction::Create { name, country } } => {
            if let Some(error) = name_error("/name", name, NAME_MAX) {
                bail!(option_errors(&[error]));
            }
            let country =
                tideline_core::country::country_code(country).map_err(|e| anyhow::anyhow!("--country: {e}"))?;
            let city = places::upsert_city(conn, name.trim(), &country)?;
            println!("city {} {} ({})", city.id, city.name, city.country_code);
        }
        Command::Site { action: SiteAction::Create { city, code, name, kind, lat, lon, length_m } } => {
            let input =
                SiteInput { code, name, kind: kind.as_str(), lat: *lat, lon: *lon, reference_length_m: *length_m };
            let site = input.check().map_err(|errors| anyhow!(option_errors(&errors)))?;
            places::find_city(conn, *city)?.ok_or_else(|| anyhow!("no city {city}"))?;
            let site = places::upsert_site(conn, &NewSite { city_id: *city, site })?;
            println!("site {} {} {} ({}, {})", site.id, site.code, site.name, site.lat, site.lon);
        }
        Command::Team { action: TeamAction::Create { name, kind, city, trusted } } => {
            if let Some(error) = name_error("/name", name, NAME_MAX) {
                bail!(option_errors(&[error]));
            }
            places::find_city(conn, *city)?.ok_or_else(|| anyhow!("no city {city}"))?;
            let team = teams::upsert_team(conn, name.trim(), *kind, *city, *trusted)?;
            println!("team {} {} (city {}, trusted: {})", team.id, team.name, team.city_id, team.trusted);
        }
        Command::Token { action: TokenAction::Create { team, role, city, days, label } } => {
            let team = match team {
                Some(name) => Some(teams::find_team_by_name(conn, name)?.ok_or_else(|| anyhow!("no team {name}"))?),
                None => None,
            };
            if *role == Role::Volunteer && team.is_none() {
                bail!("a volunteer token needs --team");
            }
            let city = city.or(team.as_ref().filter(|_| *role == Role::Coordinator).map(|t| t.city_id));
            if *role == Role::Coordinator && city.is_none() {
                bail!("a coordinator token needs --city or --team");
            }
            if let Some(id) = city {
                places::find_city(conn, id)?.ok_or_else(|| anyhow!("no city {id}: `tideline city create` first"))?;
            }
            let expires = days.map(|d| chrono::Utc::now() + chrono::Duration::days(d));
            let (id, secret) = tokens::create(conn, *role, team.as_ref().map(|t| t.id), city, label, expires)?;
            eprintln!("token {id} ({role}) created; the secret is shown only now:");
            println!("{secret}");
        }
        Command::Token { action: TokenAction::Revoke { id } } => {
            if !tokens::revoke(conn, *id)? {
                bail!("no active token {id}");
            }
            println!("token {id} revoked");
        }
        Command::Import { format, file, team, sites, create_sites, rejects, json, strict } => {
            let team = teams::find_team_by_name(conn, team)?.ok_or_else(|| anyhow!("no team {team}"))?;
            let site_file = match sites {
                Some(path) => crate::import::load_site_file(conn, path)?,
                None => Default::default(),
            };
            let today = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
            let options =
                crate::import::ImportOptions { team: &team, site_file: &site_file, create_sites: *create_sites, today };
            let mut bar = crate::import::ProgressBar::on_terminal();
            let report = crate::import::import_file(conn, *format, file, &options, |done, total| bar.show(done, total))
                .with_context(|| format!("importing {}", file.display()))?;
            bar.finish();
            if let Some(path) = rejects {
                let out = std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
                report.write_rejects(out).with_context(|| format!("writing {}", path.display()))?;
            }
            if *json {
                println!("{}", report.to_json());
            } else {
                for rejection in &report.rejected {
                    eprintln!("{}", rejection.reason());
                }
                println!("{}", report.summary());
            }
            if *strict && !report.rejected.is_empty() {
                bail!("{} rows rejected (--strict)", report.rejected.len());
            }
        }
        Command::Demo { action: DemoAction::Seed { surveys, samples, seed } } => {
            let report = crate::demo::seed(conn, *surveys, *samples, *seed, |what, done, total| {
                eprintln!("demo {what}: {done}/{total}");
            })?;
            print_seed(&report);
            eprintln!("a researcher token for the exports (shown once):");
            println!("{}", crate::demo::researcher_token(conn)?);
        }
        Command::Renormalise => {
            let report = crate::renormalise::run(conn, |done| eprintln!("renormalise: {done} surveys"))?;
            for (id, reason) in &report.failed {
                eprintln!("survey {id} left as it was: {reason}");
            }
            println!(
                "{} surveys brought to the current mapping tables, {} left as they were",
                report.renormalised,
                report.failed.len()
            );
        }
        other => bail!("not an administrative command: {other:?}"),
    }
    Ok(())
}

fn print_seed(report: &crate::demo::SeedReport) {
    println!(
        "demo network: {} cities, {} sites; surveys {} new ({} already there), samples {} new ({} already there); \
         {} waiting for review, {} rejected",
        report.cities,
        report.sites,
        report.surveys.0,
        report.surveys.1,
        report.samples.0,
        report.samples.1,
        report.pending,
        report.rejected
    );
}

/// Seeds the demonstration data set (3 000 surveys, 400 samples) into an empty database.
pub fn seed_demo_if_empty(conn: &mut PgConnection) -> anyhow::Result<()> {
    let existing = crate::store::surveys::count(conn)?;
    if existing > 0 {
        tracing::info!(surveys = existing, "database has data: not seeding the demo");
        return Ok(());
    }
    tracing::info!("seeding the demonstration network");
    let report =
        crate::demo::seed(conn, 3000, 400, 42, |what, done, total| tracing::info!(what, done, total, "seeding"))?;
    print_seed(&report);
    let token = crate::demo::researcher_token(conn)?;
    println!("demo researcher token (for /v1/exports): {token}");
    Ok(())
}
