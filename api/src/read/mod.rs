//! The read side, twin of `ingest`: the statistics of a scope, fetched from the store and
//! computed by `core` — the functions every statistics endpoint, report and page uses.

mod lru;
mod parts;

use std::collections::BTreeMap;
use std::sync::Arc;

use tideline_core::stats::scope::{
    beach_litter, compose, microplastics, BeachLitterStats, LitterParts, MicroplasticStats, SurveyPoint,
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
    conn.build_transaction().read_only().repeatable_read().run(|conn| {
        let (kind, indicator_filter) = indicators(filter);
        let revisions = summaries::revisions(conn, scope, filter)?;
        let mut sites: Vec<Arc<(PartKey, SitePart)>> = Vec::new();
        for rows in revisions.chunk_by(|a, b| a.site_id == b.site_id) {
            let site_id = rows[0].site_id;
            let key = PartKey::new(site_id, filter, rows);
            let part = match parts.part(&key) {
                Some(part) => part,
                None => parts.keep_part(key, site_part(conn, parts, site_id, rows, filter, &indicator_filter)?),
            };
            sites.push(part);
        }
        let unassigned = stats::unassigned_points(conn, scope, filter)?;
        let beach = if unassigned.is_empty() {
            // the composition of unchanged parts is itself unchanged
            let key = Composition { kind, basis: filter.basis, parts: sites.iter().map(|s| s.0.clone()).collect() };
            match parts.composition(&key) {
                Some(held) => held.1.clone(),
                None => {
                    parts.keep_composition(key, composed(&sites, None, BTreeMap::new(), kind, filter.basis)).1.clone()
                }
            }
        } else {
            let unassigned = LitterParts::of(None, &unassigned.iter().collect::<Vec<_>>(), kind, filter.basis);
            let categories = stats::unassigned_category_counts(conn, scope, &indicator_filter)?;
            composed(&sites, Some(&unassigned), categories, kind, filter.basis)
        };
        let samples = stats::sample_points(conn, scope, filter)?;
        // particles belong to samples: none without them
        let particles = if samples.is_empty() { Vec::new() } else { stats::particle_counts(conn, scope, filter)? };
        Ok((beach, microplastics(&samples, &particles)))
    })
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

/// One site's part: its surveys from the summary rows `rows` (those held in `parts`, the
/// others read and kept), its category counts from the store.
fn site_part(
    conn: &mut diesel::PgConnection,
    parts: &PartCache,
    site_id: i64,
    rows: &[summaries::Revision],
    filter: &StatsFilter,
    indicator_filter: &StatsFilter,
) -> diesel::QueryResult<SitePart> {
    let mut held = Vec::with_capacity(rows.len());
    let mut missing = Vec::new();
    for row in rows {
        match parts.row(row) {
            Some(surveys) => held.push(surveys),
            None => missing.push(row),
        }
    }
    let revisions: Vec<i64> = missing.iter().map(|row| row.revision).collect();
    for (revision, surveys) in summaries::rows_at(conn, site_id, &revisions)? {
        if let Some(row) = missing.iter().find(|row| row.revision == revision) {
            held.push(parts.keep_row(row, surveys));
        }
    }
    let surveys: Vec<&SurveyPoint> =
        held.iter().flat_map(|row| row.1.iter()).filter(|s| filter.holds(s.date)).collect();
    let categories = stats::category_counts(conn, &Scope::Site(site_id), indicator_filter)?;
    let kind = indicator_filter.kind.unwrap_or(SurveyKind::Monitoring);
    Ok(SitePart { litter: LitterParts::of(Some(site_id), &surveys, kind, filter.basis), categories })
}

/// The indicators' survey kind (monitoring unless cleanups are asked for) and the filter of
/// their category counts.
fn indicators(filter: &StatsFilter) -> (SurveyKind, StatsFilter) {
    let kind = filter.kind.unwrap_or(SurveyKind::Monitoring);
    (kind, StatsFilter { kind: Some(kind), ..filter.clone() })
}

/// A city read once: its statistics, each of its sites' statistics, and its surveys.
pub struct CityReading {
    /// The city's statistics, as [`scope_stats`] of the city.
    pub city: (BeachLitterStats, MicroplasticStats),
    /// Each asked site's statistics, as [`scope_stats`] of the site, except that particle
    /// compositions (shapes, polymers, size classes) are left empty.
    pub sites: Vec<(BeachLitterStats, MicroplasticStats)>,
    /// The city's accepted surveys.
    pub points: Vec<SurveyPoint>,
}

/// City `city_id` and its `site_ids` from one read of its surveys, one grouped query for their
/// categories, one for its samples and one for their particles.
pub fn city_with_sites(
    conn: &mut diesel::PgConnection,
    city_id: i64,
    site_ids: &[i64],
    filter: &StatsFilter,
) -> diesel::QueryResult<CityReading> {
    let scope = Scope::City(city_id);
    let (kind, indicator_filter) = indicators(filter);
    let points = stats::survey_points(conn, &scope, filter)?;
    let by_site = stats::category_counts_by_site(conn, &scope, &indicator_filter)?;
    let samples = stats::sample_points(conn, &scope, filter)?;
    let particles = stats::particle_counts(conn, &scope, filter)?;
    let mut city_categories: BTreeMap<String, u64> = BTreeMap::new();
    for (code, count) in by_site.values().flatten() {
        *city_categories.entry(code.clone()).or_default() += count;
    }
    let none = BTreeMap::new();
    let sites = site_ids
        .iter()
        .map(|site| {
            let of_site: Vec<_> = points.iter().filter(|s| s.site_id == Some(*site)).cloned().collect();
            let site_samples: Vec<_> = samples.iter().filter(|s| s.site_id == Some(*site)).cloned().collect();
            let site_categories = by_site.get(&Some(*site)).unwrap_or(&none);
            (beach_litter(&of_site, site_categories, kind, filter.basis), microplastics(&site_samples, &[]))
        })
        .collect();
    let city = (beach_litter(&points, &city_categories, kind, filter.basis), microplastics(&samples, &particles));
    Ok(CityReading { city, sites, points })
}
