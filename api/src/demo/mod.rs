//! `tideline demo seed`: the demonstration network (cities, sites, teams) and deterministic
//! synthetic surveys and samples, posted through the same adapters and write path as real data.

pub mod synth;

use std::collections::HashMap;

use anyhow::{anyhow, Context};
use diesel::{Connection, PgConnection};
use tideline_core::protocol::Protocol;
use tideline_core::survey::GeoPoint;

use crate::ingest::{self, Outcome};
use crate::store::places::{self, SiteFilter};
use crate::store::records::Author;
use crate::store::{teams, tokens};
use synth::DemoSite;
use tideline_core::review::ReviewStatus;

const SITES_CSV: &str = include_str!("../../../fixtures/network/sites.csv");
const TEAMS_CSV: &str = include_str!("../../../fixtures/network/demo-teams.csv");
const PROFILES_CSV: &str = include_str!("../../../fixtures/network/demo-profiles.csv");

/// Records posted per transaction.
const BATCH: u64 = 500;

/// What seeding did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SeedReport {
    /// Cities in the network.
    pub cities: usize,
    /// Sites in the network.
    pub sites: usize,
    /// Surveys stored now / already there.
    pub surveys: (u64, u64),
    /// Samples stored now / already there.
    pub samples: (u64, u64),
    /// Records flagged for review.
    pub pending: u64,
    /// Records rejected (should be none).
    pub rejected: u64,
}

struct DemoTeam {
    author: Author,
    protocol: Protocol,
    sites: Vec<DemoSite>,
}

fn profiles() -> anyhow::Result<HashMap<Protocol, Vec<(String, f64)>>> {
    let mut reader = csv::Reader::from_reader(PROFILES_CSV.as_bytes());
    let mut profiles: HashMap<Protocol, Vec<(String, f64)>> = HashMap::new();
    for record in reader.records() {
        let record = record?;
        let protocol: Protocol = record[0].parse().map_err(|e: String| anyhow!(e))?;
        profiles.entry(protocol).or_default().push((record[1].to_string(), record[2].parse()?));
    }
    Ok(profiles)
}

fn demo_teams(conn: &mut PgConnection) -> anyhow::Result<Vec<DemoTeam>> {
    let cities = places::list_cities(conn, None)?;
    let mut reader = csv::Reader::from_reader(TEAMS_CSV.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record?;
        let city =
            cities.iter().find(|c| c.name == r[2]).ok_or_else(|| anyhow!("demo team city {} has no sites", &r[2]))?;
        let kind = r[1].parse().map_err(|e: String| anyhow!("demo team {}: {e}", &r[0]))?;
        let team = teams::upsert_team(conn, &r[0], kind, city.id, &r[4] == "true")?;
        let sites = places::list_sites(conn, &SiteFilter { city_id: Some(city.id), ..SiteFilter::default() })?
            .into_iter()
            .map(|s| DemoSite { id: s.id, kind: s.kind, location: GeoPoint { lat: s.lat, lon: s.lon } })
            .collect();
        out.push(DemoTeam {
            author: Author { team_id: team.id, team_city_id: team.city_id, trusted: team.trusted },
            protocol: r[3].parse().map_err(|e: String| anyhow!(e))?,
            sites,
        });
    }
    Ok(out)
}

fn client_id(seed: u64, kind: &str, index: u64) -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("tideline-demo|{seed}|{kind}|{index}").as_bytes())
}

fn tally<R>(outcome: Outcome<R>, counts: &mut (u64, u64), report: &mut SeedReport, status: impl Fn(&R) -> bool) {
    match outcome {
        Outcome::Created(r) => {
            counts.0 += 1;
            if status(&r) {
                report.pending += 1;
            }
        }
        Outcome::Duplicate(_) => counts.1 += 1,
        Outcome::Rejected(_) | Outcome::Conflict(_) => report.rejected += 1,
    }
}

/// Loads the network and posts `surveys` surveys and `samples` samples generated from `seed`.
/// Re-running with the same seed stores nothing new.
pub fn seed(
    conn: &mut PgConnection,
    surveys: u64,
    samples: u64,
    seed: u64,
    mut progress: impl FnMut(&str, u64, u64),
) -> anyhow::Result<SeedReport> {
    let sites = crate::import::load_sites(conn, SITES_CSV).context("demonstration sites")?;
    let teams = demo_teams(conn)?;
    let profiles = profiles()?;
    let mut report = SeedReport { cities: teams.len(), sites: sites.len(), ..SeedReport::default() };
    let today = crate::ingest::latest_local_date();
    let mut done = 0;
    while done < surveys {
        let end = (done + BATCH).min(surveys);
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            // one set-based batch per team: records are posted by their own team
            let mut by_team: Vec<Vec<crate::ingest::RawRecord>> = teams.iter().map(|_| Vec::new()).collect();
            for index in done..end {
                let which = (index % teams.len() as u64) as usize;
                let team = &teams[which];
                let beaches: Vec<&DemoSite> =
                    team.sites.iter().filter(|s| s.kind == tideline_core::vocabulary::SiteKind::Beach).collect();
                let choices: Vec<&DemoSite> = if beaches.is_empty() { team.sites.iter().collect() } else { beaches };
                let site = choices[((index / teams.len() as u64) % choices.len() as u64) as usize];
                let profile =
                    profiles.get(&team.protocol).ok_or_else(|| anyhow!("no demo profile for {}", team.protocol))?;
                let input = synth::survey(seed, index, team.protocol, profile, site);
                let body = crate::import::envelope(&input, client_id(seed, "survey", index), Some(site.id));
                by_team[which].push(serde_json::value::to_raw_value(&body)?);
            }
            for (team, bodies) in teams.iter().zip(by_team) {
                for outcome in ingest::posted::<ingest::Surveys>(conn, &team.author, &bodies, today)? {
                    let mut counts = report.surveys;
                    tally(outcome, &mut counts, &mut report, |r| r.status == ReviewStatus::Pending);
                    report.surveys = counts;
                }
            }
            Ok(())
        })?;
        done = end;
        progress("surveys", done, surveys);
    }
    let mut done = 0;
    while done < samples {
        let end = (done + BATCH).min(samples);
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            for index in done..end {
                let team = &teams[(index % teams.len() as u64) as usize];
                let site = &team.sites[((index / teams.len() as u64) % team.sites.len() as u64) as usize];
                let body = synth::sample(seed, index, site, client_id(seed, "sample", index));
                let outcome = ingest::one::<ingest::Samples>(conn, &team.author, &body, today)?;
                let mut counts = report.samples;
                tally(outcome, &mut counts, &mut report, |r| r.status == ReviewStatus::Pending);
                report.samples = counts;
            }
            Ok(())
        })?;
        done = end;
        progress("samples", done, samples);
    }
    Ok(report)
}

/// A researcher token for trying the exports of the demonstration data.
pub fn researcher_token(conn: &mut PgConnection) -> anyhow::Result<String> {
    Ok(tokens::create(conn, tideline_core::vocabulary::Role::Researcher, None, None, "demo researcher", None)?.1)
}
