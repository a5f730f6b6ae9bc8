//! The second half of the write path: records already checked and placed are normalised on a
//! thread of their own, a chunk at a time, while the chunk before is written; the rollups
//! follow once for the whole batch. All in the batch's one transaction, so a batch is still
//! stored whole or not at all; the normaliser stops as soon as a write fails.

use std::sync::mpsc;

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::review::ReviewStatus;
use tideline_core::validation::{FieldError, Flag};

use super::batch::Brief;
use super::kind::Kind;
use super::Outcome;
use crate::store::bulk::Prepared;
use crate::store::places::Site;
use crate::store::records::{Author, StoredPayload};

/// Records normalised per chunk: large enough that each chunk's statements are few for their
/// rows.
pub const CHUNK: usize = 250;

/// Records in the first chunk: few, so that the writer starts early.
pub const FIRST_CHUNK: usize = 50;

/// `placed` cut into chunks: [`FIRST_CHUNK`] records, then [`CHUNK`] at a time.
fn chunks<T>(placed: &[T]) -> impl Iterator<Item = &[T]> {
    let (first, rest) = placed.split_at(placed.len().min(FIRST_CHUNK));
    std::iter::once(first).filter(|c| !c.is_empty()).chain(rest.chunks(CHUNK))
}

/// A record that passed the checks that need the database: new, its site found.
pub struct Placed<'a, E> {
    /// Position in the batch.
    pub index: usize,
    /// The record as read.
    pub envelope: &'a E,
    /// Its raw payload.
    pub payload: &'a StoredPayload,
    /// Flags raised before normalising (the reader's and the placement's).
    pub flags: Vec<Flag>,
    /// Its app's UUID.
    pub client_id: uuid::Uuid,
    /// Its site, when placed on one.
    pub site: Option<Site>,
}

/// One record normalised: ready to insert, or refused.
fn normalise<'a, K: Kind>(
    placed: &Placed<'a, K::Envelope>,
    author: &Author,
    today: NaiveDate,
) -> Result<Prepared<'a, K::Record>, Vec<FieldError>> {
    let mut record = K::normalise(placed.envelope, placed.site.as_ref(), today)?;
    K::flags(&mut record).extend(placed.flags.iter().cloned());
    let status = ReviewStatus::on_arrival(author.trusted, K::flags(&mut record));
    let site = placed.site.as_ref();
    Ok(Prepared {
        client_id: placed.client_id,
        payload: placed.payload,
        city_id: site.map_or(author.team_city_id, |s| s.city_id),
        site_id: site.map(|s| s.id),
        record,
        status,
    })
}

/// Normalises and inserts `placed` in one transaction, normalising chunk k + 1 while chunk k
/// is written, then rolls the batch up; sets each record's outcome (created or rejected) in
/// `outcomes`.
pub fn normalise_and_insert<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    placed: &[Placed<'_, K::Envelope>],
    today: NaiveDate,
    outcomes: &mut [Option<Outcome<Brief>>],
) -> QueryResult<()> {
    conn.transaction(|conn| {
        std::thread::scope(|scope| {
            let (send, normalised_chunks) = mpsc::sync_channel(1);
            scope.spawn(move || {
                for chunk in chunks(placed) {
                    let normalised: Vec<_> =
                        chunk.iter().map(|p| (p.index, normalise::<K>(p, author, today))).collect();
                    if send.send(normalised).is_err() {
                        return; // the writer failed: the transaction is rolled back
                    }
                }
            });
            let (mut records, mut ids) = (Vec::new(), Vec::new());
            for normalised in normalised_chunks {
                let mut chunk = Vec::new();
                for (index, result) in normalised {
                    match result {
                        Ok(record) => chunk.push((index, record)),
                        Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors)),
                    }
                }
                let (indices, chunk): (Vec<usize>, Vec<_>) = chunk.into_iter().unzip();
                let chunk_ids = K::insert(conn, author, &chunk)?;
                for ((index, record), id) in indices.into_iter().zip(&chunk).zip(&chunk_ids) {
                    outcomes[index] = Some(Outcome::Created(Brief { id: *id, status: record.status }));
                }
                records.extend(chunk);
                ids.extend(chunk_ids);
            }
            K::roll_up(conn, &records, &ids)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_record_once_in_order() {
        for n in [0, 1, FIRST_CHUNK, FIRST_CHUNK + 1, FIRST_CHUNK + CHUNK, 1_000] {
            let records: Vec<usize> = (0..n).collect();
            let cut: Vec<&[usize]> = chunks(&records).collect();
            assert_eq!(cut.concat(), records, "{n} records");
            assert!(cut.iter().all(|c| !c.is_empty() && c.len() <= CHUNK), "{n} records");
            assert!(cut.first().is_none_or(|c| c.len() == n.min(FIRST_CHUNK)), "{n} records");
        }
    }
}
