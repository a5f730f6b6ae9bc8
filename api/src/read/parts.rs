//! Each site's statistics parts kept in memory between requests, valid while the revisions of
//! the site's summary rows are the ones they were computed from. A request reads its scope's
//! revisions (one small query), recomputes only the sites written since, and composes the
//! others from memory; under continuous ingest only the sites being written are read again.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::{Basis, LitterParts};
use tideline_core::survey::SurveyKind;

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
    pub fn new(site_id: i64, filter: &StatsFilter, rows: &[&Revision]) -> Self {
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

/// The parts in memory, at most `budget` bytes of them; the least recently used go first.
pub struct PartCache {
    budget: usize,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    parts: HashMap<PartKey, (Arc<SitePart>, u64)>,
    bytes: usize,
    clock: u64,
}

impl PartCache {
    /// A cache of at most `budget` bytes (zero keeps nothing: every request reads every site).
    pub fn new(budget: usize) -> Self {
        Self { budget, entries: Mutex::new(Entries::default()) }
    }

    /// The part computed from exactly `key`, if it is still in memory.
    pub fn get(&self, key: &PartKey) -> Option<Arc<SitePart>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let now = entries.clock;
        let (part, used) = entries.parts.get_mut(key)?;
        *used = now;
        Some(part.clone())
    }

    /// Keeps `part` under `key`, dropping the least recently used parts beyond the budget.
    pub fn put(&self, key: PartKey, part: SitePart) -> Arc<SitePart> {
        let part = Arc::new(part);
        let bytes = part.bytes();
        if bytes > self.budget {
            return part;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let now = entries.clock;
        if let Some((old, _)) = entries.parts.insert(key, (part.clone(), now)) {
            entries.bytes -= old.bytes();
        }
        entries.bytes += bytes;
        while entries.bytes > self.budget {
            let Some(oldest) = entries.parts.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some((gone, _)) = entries.parts.remove(&oldest) {
                entries.bytes -= gone.bytes();
            }
        }
        part
    }

    /// Parts and bytes held.
    pub fn held(&self) -> (usize, usize) {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        (entries.parts.len(), entries.bytes)
    }
}
