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
    Ok((beach_litter(&surveys, &categories, kind), microplastics(&samples, &particles)))
}
