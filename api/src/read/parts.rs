//! Each site's statistics parts kept in memory between requests, valid while the revisions of
//! the site's summary rows are the ones they were computed from. A request reads its scope's
//! revisions (one small query), recomputes only the sites written since, and composes the
//! others from memory; under continuous ingest only the sites being written are read again.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::{Basis, BeachLitterStats, LitterParts, SurveyPoint};
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
/// month the site has surveys in) and the revision of every summary group read.
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

impl PartKey {
    /// The slot the part stays in: the key without the revisions, so a part computed after a
    /// write replaces the one before it instead of standing beside it.
    fn slot(&self) -> PartKey {
        let ends = [self.rows.first(), self.rows.last()].into_iter().flatten().map(|r| (r.0, r.1, r.2, 0));
        PartKey { rows: ends.collect(), ..self.clone() }
    }
}

/// What a scope's beach-litter statistics were composed from, when every survey of it has a
/// site: the indicators' kind, the basis and each site's part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Composition {
    /// The indicators' survey kind.
    pub kind: SurveyKind,
    /// Counted by items, or also by weight.
    pub basis: Basis,
    /// The key of each site's part, by site.
    pub parts: Vec<PartKey>,
}

impl Composition {
    fn slot(&self) -> Composition {
        Composition { parts: self.parts.iter().map(PartKey::slot).collect(), ..self.clone() }
    }
}

/// The slot a summary group's surveys stay in: its site, month, survey kind and protocol.
type RowSlot = (i64, NaiveDate, SurveyKind, Protocol);

/// A summary group's surveys with the revision they were read at.
pub type HeldRow = (i64, Vec<SurveyPoint>);

/// What the read side keeps between requests, within one budget: each site's part (half the
/// budget) and the decoded surveys of each summary group (the other half), each with what it was
/// computed from, so a site written since is rebuilt from memory but for its rows written
/// since. A newer version replaces the one before it, so what is held is at most one version
/// of each part and row.
pub struct PartCache {
    parts: Lru<PartKey, (PartKey, SitePart)>,
    rows: Lru<RowSlot, HeldRow>,
    compositions: Lru<Composition, (Composition, BeachLitterStats)>,
}

impl PartCache {
    /// A cache of at most `budget` bytes (zero keeps nothing: every request reads every site).
    pub fn new(budget: usize) -> Self {
        Self {
            parts: Lru::new(budget / 2, |(key, part)| part.bytes() + key.rows.len() * 32),
            rows: Lru::new(budget / 2 - budget / 16, |(_, surveys)| row_bytes(surveys)),
            compositions: Lru::new(budget / 16, |(key, _)| {
                4096 + key.parts.iter().map(|p| p.rows.len() * 32).sum::<usize>()
            }),
        }
    }

    /// The part computed from exactly `key`, if it is still in memory.
    pub fn part(&self, key: &PartKey) -> Option<Arc<(PartKey, SitePart)>> {
        self.parts.get(&key.slot()).filter(|held| held.0 == *key)
    }

    /// Keeps `part` under `key`, in place of any older version.
    pub fn keep_part(&self, key: PartKey, part: SitePart) -> Arc<(PartKey, SitePart)> {
        self.parts.put(key.slot(), (key, part))
    }

    /// The surveys of summary group `row` as written at its revision, if they are still in
    /// memory.
    pub fn row(&self, row: &Revision) -> Option<Arc<HeldRow>> {
        self.rows.get(&row_slot(row)).filter(|held| held.0 == row.revision)
    }

    /// Keeps the surveys of summary group `row` as written at its revision, in place of any
    /// older version.
    pub fn keep_row(&self, row: &Revision, surveys: Vec<SurveyPoint>) -> Arc<HeldRow> {
        self.rows.put(row_slot(row), (row.revision, surveys))
    }

    /// The statistics composed from exactly `key`, if they are still in memory.
    pub fn composition(&self, key: &Composition) -> Option<Arc<(Composition, BeachLitterStats)>> {
        self.compositions.get(&key.slot()).filter(|held| held.0 == *key)
    }

    /// Keeps the statistics composed from `key`, in place of any older version.
    pub fn keep_composition(&self, key: Composition, stats: BeachLitterStats) -> Arc<(Composition, BeachLitterStats)> {
        self.compositions.put(key.slot(), (key, stats))
    }

    /// Entries (parts, rows and compositions) and bytes held.
    pub fn held(&self) -> (usize, usize) {
        let all = [self.parts.held(), self.rows.held(), self.compositions.held()];
        (all.iter().map(|h| h.0).sum(), all.iter().map(|h| h.1).sum())
    }
}

fn row_slot(row: &Revision) -> RowSlot {
    (row.site_id, row.month, row.survey_kind, row.protocol)
}

fn row_bytes(surveys: &Vec<SurveyPoint>) -> usize {
    std::mem::size_of::<Vec<SurveyPoint>>() + surveys.capacity() * std::mem::size_of::<SurveyPoint>()
}
