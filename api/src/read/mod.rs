//! The read side, twin of `ingest`: the statistics of a scope, fetched from the store and
//! computed by `core` — the functions every statistics endpoint, report and page uses.

mod lru;
mod parts;
mod site;

use std::collections::BTreeMap;
use std::sync::Arc;

use tideline_core::stats::scope::{
    beach_litter, compose, microplastics, BeachLitterStats, LitterParts, MicroplasticStats, SamplePoint,
};
use tideline_core::survey::SurveyKind;

pub use parts::{Composition, PartCache, PartKey, SitePart};

use crate::store::stats::{self, Scope, StatsFilter};
use crate::store::summaries;

/// A scope's statistics: beach litter (indicators over monitoring surveys unless cleanups are
/// asked for) and microplastics. Each site's part of the beach-litter figures comes from
/// `parts` while the site's summary rows are unchanged, else from the store (and is kept);
/// the revisions and every row read come from one snapshot.
pub fn scope_stats(
    conn: &mut diesel::PgConnection,
    parts: &PartCache,
    scope: &Scope,
    filter: &StatsFilter,
) -> diesel::QueryResult<(BeachLitterStats, MicroplasticStats)> {
    snapshot(conn, |conn| {
        let read = read_scope(conn, parts, scope, filter)?;
        Ok((read.beach, microplastics(&read.samples, &read.particles)))
    })
}

/// Runs `read` in one read-only snapshot.
fn snapshot<T>(
    conn: &mut diesel::PgConnection,
    read: impl FnOnce(&mut diesel::PgConnection) -> diesel::QueryResult<T>,
) -> diesel::QueryResult<T> {
    conn.build_transaction().read_only().repeatable_read().run(read)
}

/// What a scope's statistics are made of.
struct ScopeRead {
    /// Each site's part (sites with surveys in the period only).
    sites: Vec<Arc<(PartKey, SitePart)>>,
    /// The scope's beach-litter statistics.
    beach: BeachLitterStats,
    /// The scope's accepted samples.
    samples: Vec<SamplePoint>,
    /// Their particle counts by shape, polymer and size class.
    particles: Vec<(String, String, String, u64)>,
}

/// A scope's sites' parts (kept, or read and kept), its beach-litter statistics composed from
/// them, and its samples.
fn read_scope(
    conn: &mut diesel::PgConnection,
    parts: &PartCache,
    scope: &Scope,
    filter: &StatsFilter,
) -> diesel::QueryResult<ScopeRead> {
    let (kind, indicator_filter) = indicators(filter);
    let revisions = summaries::revisions(conn, scope, filter)?;
    let mut sites: Vec<Arc<(PartKey, SitePart)>> = Vec::new();
    for rows in revisions.chunk_by(|a, b| a.site_id == b.site_id) {
        let site_id = rows[0].site_id;
        let key = PartKey::new(site_id, filter, rows);
        let part = match parts.part(&key) {
            Some(part) => part,
            None => parts.keep_part(key, site::site_part(conn, parts, site_id, rows, filter, &indicator_filter)?),
        };
        sites.push(part);
    }
    let unassigned = stats::unassigned_points(conn, scope, filter)?;
    let beach = if unassigned.is_empty() {
        // the composition of unchanged parts is itself unchanged
        let key = Composition { kind, basis: filter.basis, parts: sites.iter().map(|s| s.0.clone()).collect() };
        match parts.composition(&key) {
            Some(held) => held.1.clone(),
            None => parts.keep_composition(key, composed(&sites, None, BTreeMap::new(), kind, filter.basis)).1.clone(),
        }
    } else {
        let unassigned = LitterParts::of(None, &unassigned.iter().collect::<Vec<_>>(), kind, filter.basis);
        let categories = stats::unassigned_category_counts(conn, scope, &indicator_filter)?;
        composed(&sites, Some(&unassigned), categories, kind, filter.basis)
    };
    let samples = stats::sample_points(conn, scope, filter)?;
    // particles belong to samples: none without them
    let particles = if samples.is_empty() { Vec::new() } else { stats::particle_counts(conn, scope, filter)? };
    Ok(ScopeRead { sites, beach, samples, particles })
}

/// The beach-litter statistics of the sites' parts and those of the surveys without a site
/// (with their category counts).
fn composed(
    sites: &[Arc<(PartKey, SitePart)>],
    unassigned: Option<&LitterParts>,
    mut categories: BTreeMap<String, u64>,
    kind: SurveyKind,
    basis: tideline_core::stats::scope::Basis,
) -> BeachLitterStats {
    for site in sites {
        for (code, count) in &site.1.categories {
            *categories.entry(code.clone()).or_default() += count;
        }
    }
    let litter: Vec<&LitterParts> = sites.iter().map(|s| &s.1.litter).chain(unassigned).collect();
    compose(&litter, &categories, kind, basis)
}

/// The indicators' survey kind (monitoring unless cleanups are asked for) and the filter of
/// their category counts.
fn indicators(filter: &StatsFilter) -> (SurveyKind, StatsFilter) {
    let kind = filter.kind.unwrap_or(SurveyKind::Monitoring);
    (kind, StatsFilter { kind: Some(kind), ..filter.clone() })
}

/// A city read once: its statistics and each of its sites' statistics.
pub struct CityReading {
    /// The city's statistics, as [`scope_stats`] of the city.
    pub city: (BeachLitterStats, MicroplasticStats),
    /// Each asked site's statistics, as [`scope_stats`] of the site, except that particle
    /// compositions (shapes, polymers, size classes) are left empty.
    pub sites: Vec<(BeachLitterStats, MicroplasticStats)>,
}

/// City `city_id` and its `site_ids` from one read of the city: each site's figures are its
/// part of the city's.
pub fn city_with_sites(
    conn: &mut diesel::PgConnection,
    parts: &PartCache,
    city_id: i64,
    site_ids: &[i64],
    filter: &StatsFilter,
) -> diesel::QueryResult<CityReading> {
    snapshot(conn, |conn| {
        let read = read_scope(conn, parts, &Scope::City(city_id), filter)?;
        let (kind, _) = indicators(filter);
        let sites = site_ids
            .iter()
            .map(|id| {
                let part = read.sites.iter().find(|s| s.1.litter.site_id == Some(*id));
                let beach = match part {
                    Some(part) => compose(&[&part.1.litter], &part.1.categories, kind, filter.basis),
                    None => beach_litter(&[], &BTreeMap::new(), kind, filter.basis),
                };
                let samples: Vec<SamplePoint> =
                    read.samples.iter().filter(|s| s.site_id == Some(*id)).cloned().collect();
                (beach, microplastics(&samples, &[]))
            })
            .collect();
        Ok(CityReading { city: (read.beach, microplastics(&read.samples, &read.particles)), sites })
    })
}
