//! The read side, twin of `ingest`: the statistics of a scope, fetched from the store and
//! computed by `core` — the one function every statistics endpoint and report uses.

use tideline_core::stats::scope::{beach_litter, microplastics, BeachLitterStats, MicroplasticStats};
use tideline_core::survey::SurveyKind;

use crate::store::stats::{self, Scope, StatsFilter};

/// A scope's statistics: beach litter (indicators over monitoring surveys unless cleanups are
/// asked for) and microplastics.
pub fn scope_stats(
    conn: &mut diesel::PgConnection,
    scope: &Scope,
    filter: &StatsFilter,
) -> diesel::QueryResult<(BeachLitterStats, MicroplasticStats)> {
    // indicators are computed over monitoring surveys unless cleanups are asked for
    let kind = filter.kind.unwrap_or(SurveyKind::Monitoring);
    let indicator_filter = StatsFilter { kind: Some(kind), ..filter.clone() };
    let surveys = stats::survey_points(conn, scope, filter)?;
    let categories = stats::category_counts(conn, scope, &indicator_filter)?;
    let samples = stats::sample_points(conn, scope, filter)?;
    let particles = stats::particle_counts(conn, scope, filter)?;
    Ok((beach_litter(&surveys, &categories, kind, filter.basis), microplastics(&samples, &particles)))
}

/// The statistics of each of `site_ids` (sites of city `city_id`) from one query for the
/// city's surveys, one grouped query for their categories and one for its samples — the same
/// numbers as [`scope_stats`] of each site, except that particle compositions (shapes,
/// polymers, size classes) are left empty.
pub fn site_stats_in_city(
    conn: &mut diesel::PgConnection,
    city_id: i64,
    site_ids: &[i64],
    filter: &StatsFilter,
) -> diesel::QueryResult<Vec<(BeachLitterStats, MicroplasticStats)>> {
    let scope = Scope::City(city_id);
    let kind = filter.kind.unwrap_or(SurveyKind::Monitoring);
    let indicator_filter = StatsFilter { kind: Some(kind), ..filter.clone() };
    let surveys = stats::survey_points(conn, &scope, filter)?;
    let categories = stats::category_counts_by_site(conn, &scope, &indicator_filter)?;
    let samples = stats::sample_points(conn, &scope, filter)?;
    let none = Default::default();
    Ok(site_ids
        .iter()
        .map(|site| {
            let of_site: Vec<_> = surveys.iter().filter(|s| s.site_id == Some(*site)).cloned().collect();
            let site_samples: Vec<_> = samples.iter().filter(|s| s.site_id == Some(*site)).cloned().collect();
            let site_categories = categories.get(site).unwrap_or(&none);
            (beach_litter(&of_site, site_categories, kind, filter.basis), microplastics(&site_samples, &[]))
        })
        .collect())
}
