//! The read side, twin of `ingest`: the statistics of a scope, fetched from the store and
//! computed by `core` — the functions every statistics endpoint, report and page uses.

use std::collections::BTreeMap;

use tideline_core::stats::scope::{beach_litter, microplastics, BeachLitterStats, MicroplasticStats, SurveyPoint};
use tideline_core::survey::SurveyKind;

use crate::store::stats::{self, Scope, StatsFilter};

/// A scope's statistics: beach litter (indicators over monitoring surveys unless cleanups are
/// asked for) and microplastics.
pub fn scope_stats(
    conn: &mut diesel::PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> diesel::QueryResult<(BeachLitterStats, MicroplasticStats)> {
    let (kind, indicator_filter) = indicators(filter);
    let surveys = stats::survey_points(conn, scope, filter)?;
    let categories = stats::category_counts(conn, scope, &indicator_filter)?;
    let samples = stats::sample_points(conn, scope, filter)?;
    let particles = stats::particle_counts(conn, scope, filter)?;
    Ok((beach_litter(&surveys, &categories, kind, filter.basis), microplastics(&samples, &particles)))
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
