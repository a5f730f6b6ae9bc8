//! A map of at most a budget of bytes, shared by every worker, that drops its least recently
//! used entries first: what the read side keeps between requests.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Entries weighed by `weigh`, at most `budget` bytes of them.
pub struct Lru<K, V> {
    budget: usize,
    weigh: fn(&V) -> usize,
    entries: Mutex<Entries<K, V>>,
}

struct Entries<K, V> {
    map: HashMap<K, (Arc<V>, u64)>,
    bytes: usize,
    clock: u64,
}

impl<K: Clone + Eq + Hash, V> Lru<K, V> {
    /// An empty map of at most `budget` bytes (zero keeps nothing).
    pub fn new(budget: usize, weigh: fn(&V) -> usize) -> Self {
        Self { budget, weigh, entries: Mutex::new(Entries { map: HashMap::new(), bytes: 0, clock: 0 }) }
    }

    /// The entry under `key`, if it is still held.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let now = entries.clock;
        let (value, used) = entries.map.get_mut(key)?;
        *used = now;
        Some(value.clone())
    }

    /// Keeps `value` under `key` (unless it alone is over the budget), dropping the least
    /// recently used entries beyond the budget.
    pub fn put(&self, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        let bytes = (self.weigh)(&value);
        if bytes > self.budget {
            return value;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let now = entries.clock;
        if let Some((old, _)) = entries.map.insert(key, (value.clone(), now)) {
            entries.bytes -= (self.weigh)(&old);
        }
        entries.bytes += bytes;
        while entries.bytes > self.budget {
            let Some(oldest) = entries.map.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some((gone, _)) = entries.map.remove(&oldest) {
                entries.bytes -= (self.weigh)(&gone);
            }
        }
        value
    }

    /// Entries and bytes held.
    pub fn held(&self) -> (usize, usize) {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        (entries.map.len(), entries.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_go_first_and_the_budget_holds() {
        let lru: Lru<u32, Vec<u8>> = Lru::new(100, Vec::len);
        lru.put(1, vec![0; 40]);
        lru.put(2, vec![0; 40]);
        assert!(lru.get(&1).is_some());
        lru.put(3, vec![0; 40]);
        assert!(lru.get(&2).is_none(), "2 was used least recently");
        assert!(lru.get(&1).is_some() && lru.get(&3).is_some());
        assert_eq!(lru.held(), (2, 80));
        lru.put(3, vec![0; 10]);
        assert_eq!(lru.held(), (2, 50), "a replaced entry's bytes are given back");
        assert_eq!(lru.put(4, vec![0; 101]).len(), 101);
        assert_eq!(lru.held(), (2, 50), "an entry over the budget is not kept");
        let nothing: Lru<u32, Vec<u8>> = Lru::new(0, Vec::len);
        nothing.put(1, vec![0; 1]);
        assert_eq!(nothing.held(), (0, 0));
    }
}
