//! Each site's statistics parts kept in memory between requests, valid while the revisions of
//! the site's summary rows are the ones they were computed from. A request reads its scope's
//! revisions (one small query), recomputes only the sites written since, and composes the
//! others from memory; under continuous ingest only the sites being written are read again.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::{Basis, LitterParts, SurveyPoint};
use tideline_core::survey::SurveyKind;

use super::lru::Lru;
use crate::store::scope::StatsFilter;
use crate::store::summaries::Revision;

/// What one site contributes to a scope's beach-litter statistics.
#[derive(Debug)]
pub struct SitePart {
    /// The site's figures in parts.
    pub litter: LitterParts,
    /// Counted items per category of the site's surveys of the indicators' kind.
    pub categories: BTreeMap<String, u64>,
}

impl SitePart {
    fn bytes(&self) -> usize {
        self.litter.bytes() + self.categories.keys().map(|code| code.len() + 48).sum::<usize>()
    }
}

/// What a site's part was computed from: the site, the filter (its days only where they cut a
/// month the site has surveys in) and the revision of every summary row read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartKey {
    site_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: Option<SurveyKind>,
    protocol: Option<Protocol>,
    basis: Basis,
    rows: Vec<(NaiveDate, SurveyKind, Protocol, i64)>,
}

impl PartKey {
    /// The key of `site_id`'s part under `filter`, from the revisions of the site's rows the
    /// filter selects. A bound that cuts no month of those rows selects the same surveys as
    /// no bound, so it is dropped: `to=2031-12-31` and no `to` share a part.
    pub fn new(site_id: i64, filter: &StatsFilter, rows: &[Revision]) -> Self {
        let has_month =
            |day: NaiveDate| rows.iter().any(|r| (r.month.year(), r.month.month()) == (day.year(), day.month()));
        let cuts_from = |day: &NaiveDate| day.day() != 1 && has_month(*day);
        let cuts_to = |day: &NaiveDate| (*day + chrono::Duration::days(1)).day() != 1 && has_month(*day);
        PartKey {
            site_id,
            from: filter.from.filter(cuts_from),
            to: filter.to.filter(cuts_to),
            kind: filter.kind,
            protocol: filter.protocol,
            basis: filter.basis,
            rows: rows.iter().map(|r| (r.month, r.survey_kind, r.protocol, r.revision)).collect(),
        }
    }
}

/// What the read side keeps between requests, within one budget: each site's part by its key
/// (half the budget), and the decoded surveys of each summary row by its revision (the other
/// half), so a site written since is rebuilt from memory but for its rows written since.
pub struct PartCache {
    parts: Lru<PartKey, SitePart>,
    rows: Lru<i64, Vec<SurveyPoint>>,
}

impl PartCache {
    /// A cache of at most `budget` bytes (zero keeps nothing: every request reads every site).
    pub fn new(budget: usize) -> Self {
        Self { parts: Lru::new(budget / 2, SitePart::bytes), rows: Lru::new(budget / 2, row_bytes) }
    }

    /// The part computed from exactly `key`, if it is still in memory.
    pub fn part(&self, key: &PartKey) -> Option<Arc<SitePart>> {
        self.parts.get(key)
    }

    /// Keeps `part` under `key`.
    pub fn keep_part(&self, key: PartKey, part: SitePart) -> Arc<SitePart> {
        self.parts.put(key, part)
    }

    /// The surveys of the summary row written at `revision`, if they are still in memory.
    pub fn row(&self, revision: i64) -> Option<Arc<Vec<SurveyPoint>>> {
        self.rows.get(&revision)
    }

    /// Keeps the surveys of the summary row written at `revision`.
    pub fn keep_row(&self, revision: i64, surveys: Vec<SurveyPoint>) -> Arc<Vec<SurveyPoint>> {
        self.rows.put(revision, surveys)
    }

    /// Entries (parts and rows) and bytes held.
    pub fn held(&self) -> (usize, usize) {
        let (parts, rows) = (self.parts.held(), self.rows.held());
        (parts.0 + rows.0, parts.1 + rows.1)
    }
}

fn row_bytes(surveys: &Vec<SurveyPoint>) -> usize {
    std::mem::size_of::<Vec<SurveyPoint>>() + surveys.capacity() * std::mem::size_of::<SurveyPoint>()
}
