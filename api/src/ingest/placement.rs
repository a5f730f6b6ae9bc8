//! The checks of the write path that need the database, a chunk at a time: the team's ledger
//! (is a client id new, a retry, or a conflict) and each record's site; and, once the batch is
//! written, the answers of the records that repeat an earlier one of the same batch.

use std::collections::HashMap;

use diesel::prelude::*;
use tideline_core::input::Placement;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::GeoPoint;

use super::batch::{Brief, Submission};
use super::kind::Kind;
use super::read::ReadChunk;
use super::Outcome;
use crate::store::bulk::{self, Existing};
use crate::store::places::{self, Site};
use crate::store::records::{self, Author};

/// A record that passed the checks that need the database: new, its site found.
pub struct Placed<E> {
    /// Position in the batch.
    pub index: usize,
    /// The record as read, with the placement's flags added to the reader's.
    pub submission: Submission<E>,
    /// Its app's UUID.
    pub client_id: uuid::Uuid,
    /// Its site, when placed on one.
    pub site: Option<Site>,
}

/// What the checks have seen of a batch so far.
#[derive(Default)]
pub struct Placer {
    /// The first position of each client id in the batch, with its payload hash.
    first_in_batch: HashMap<uuid::Uuid, (usize, Vec<u8>)>,
    /// Records repeating an earlier client id of the batch: (position, first position, same
    /// body).
    later_copies: Vec<(usize, usize, bool)>,
    /// The sites found so far.
    sites: HashMap<i64, Site>,
}

impl Placer {
    /// Checks a chunk of read records: sets the outcome of each one refused, already stored or
    /// not placeable in `outcomes`, and returns the others placed. A client id seen earlier in
    /// the batch is answered after the batch is written ([`Placer::answer_later_copies`]).
    pub fn place<K: Kind>(
        &mut self,
        conn: &mut PgConnection,
        author: &Author,
        chunk: ReadChunk<K::Envelope>,
        outcomes: &mut [Option<Outcome<Brief>>],
    ) -> QueryResult<Vec<Placed<K::Envelope>>> {
        let mut read = Vec::with_capacity(chunk.len());
        for (index, record) in chunk {
            match record {
                Ok(submission) => read.push((index, submission)),
                Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors)),
            }
        }
        let existing = self.existing::<K>(conn, author, &read)?;
        self.find_sites::<K>(conn, &read)?;
        let mut nearest = nearest_sites::<K>(conn, &read, &existing)?;
        let mut placed = Vec::with_capacity(read.len());
        for (index, mut submission) in read {
            let client_id = K::client_id(&submission.envelope);
            if let Some((first, first_hash)) = self.first_in_batch.get(&client_id) {
                self.later_copies.push((index, *first, *first_hash == submission.payload.sha256));
                continue;
            }
            if let Some(stored) = existing.get(&client_id) {
                outcomes[index] = Some(answer_stored::<K>(stored, &submission.payload.sha256));
                continue;
            }
            self.first_in_batch.insert(client_id, (index, submission.payload.sha256.clone()));
            let placement = K::placement(&submission.envelope);
            let site = match placement {
                Placement::Site(id) => match self.sites.get(id) {
                    Some(site) => Some(site.clone()),
                    None => {
                        outcomes[index] = Some(Outcome::Rejected(vec![records::no_such_site(*id)]));
                        continue;
                    }
                },
                Placement::Location(_) => nearest.remove(&index),
                Placement::Unknown => None,
            };
            let site = records::placed(placement, site, author, &mut submission.flags).site;
            placed.push(Placed { index, submission, client_id, site });
        }
        Ok(placed)
    }

    /// What the team's ledger holds of the chunk's client ids not seen earlier in the batch.
    fn existing<K: Kind>(
        &self,
        conn: &mut PgConnection,
        author: &Author,
        read: &[(usize, Submission<K::Envelope>)],
    ) -> QueryResult<HashMap<uuid::Uuid, Existing>> {
        let client_ids: Vec<uuid::Uuid> = read
            .iter()
            .map(|(_, s)| K::client_id(&s.envelope))
            .filter(|id| !self.first_in_batch.contains_key(id))
            .collect();
        if client_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let found = bulk::existing(conn, K::KIND, author.team_id, &client_ids)?;
        Ok(found.into_iter().map(|e| (e.client_id, e)).collect())
    }

    /// Finds the sites the chunk names that are not known yet.
    fn find_sites<K: Kind>(
        &mut self,
        conn: &mut PgConnection,
        read: &[(usize, Submission<K::Envelope>)],
    ) -> QueryResult<()> {
        let mut unknown: Vec<i64> = read
            .iter()
            .filter_map(|(_, s)| if let Placement::Site(id) = K::placement(&s.envelope) { Some(*id) } else { None })
            .filter(|id| !self.sites.contains_key(id))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            self.sites.extend(places::sites_by_id(conn, &unknown)?);
        }
        Ok(())
    }

    /// Answers each record that repeated an earlier client id of the batch as its first copy
    /// was answered, when the bodies are the same; as a conflict otherwise.
    pub fn answer_later_copies(self, outcomes: &mut [Option<Outcome<Brief>>]) {
        for (index, first, same) in self.later_copies {
            outcomes[index] = Some(match (&outcomes[first], same) {
                (Some(Outcome::Created(b) | Outcome::Duplicate(b)), true) => Outcome::Duplicate(b.clone()),
                (Some(Outcome::Rejected(e)), true) => Outcome::Rejected(e.clone()),
                _ => Outcome::Conflict("client_id appears twice in this batch with different bodies".into()),
            });
        }
    }
}

/// The nearest registered site (within 1 km) of each new record of the chunk placed by its
/// coordinates alone, by position in the batch: one query a chunk.
fn nearest_sites<K: Kind>(
    conn: &mut PgConnection,
    read: &[(usize, Submission<K::Envelope>)],
    existing: &HashMap<uuid::Uuid, Existing>,
) -> QueryResult<HashMap<usize, Site>> {
    let located: Vec<(usize, GeoPoint)> = read
        .iter()
        .filter(|(_, s)| !existing.contains_key(&K::client_id(&s.envelope)))
        .filter_map(|(index, s)| match K::placement(&s.envelope) {
            Placement::Location(point) => Some((*index, *point)),
            _ => None,
        })
        .collect();
    if located.is_empty() {
        return Ok(HashMap::new());
    }
    let points: Vec<GeoPoint> = located.iter().map(|(_, point)| *point).collect();
    let found = places::nearest_sites(conn, &points, records::SITE_MATCH_RADIUS_M)?;
    Ok(located.into_iter().zip(found).filter_map(|((index, _), site)| Some((index, site?))).collect())
}

/// The answer to a record whose client id the team's ledger holds: the stored copy when it is
/// the same record, a conflict otherwise.
fn answer_stored<K: Kind>(stored: &Existing, payload_sha256: &[u8]) -> Outcome<Brief> {
    match (stored.record_kind, &stored.record_id) {
        (kind, Some(id)) if kind == K::KIND && stored.payload_sha256 == payload_sha256 => {
            Outcome::Duplicate(Brief { id: *id, status: stored.status.unwrap_or(ReviewStatus::Pending) })
        }
        (kind, _) => Outcome::Conflict(format!(
            "client_id was already used by this team for a different {kind}; use a new UUID for a new record"
        )),
    }
}
