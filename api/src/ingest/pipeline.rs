//! The write path's pipeline, a chunk at a time in the batch's one transaction: records are
//! read on a thread of their own, checked and placed by the writer (`placement`), normalised
//! on a second thread, and written by the writer while the next chunks are read and
//! normalised, so the database is kept busy from the first chunk on; the rollups follow once
//! for the whole batch. A batch is still stored whole or not at all: the other threads stop
//! as soon as a write fails.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::review::ReviewStatus;
use tideline_core::validation::FieldError;

use super::batch::Brief;
use super::kind::Kind;
use super::placement::{Placed, Placer};
use super::read::{self, Records};
use super::Outcome;
use crate::store::bulk::Prepared;
use crate::store::records::Author;

/// Normalised records of a chunk, each with its position in the batch.
type NormalisedChunk<R> = Vec<(usize, Result<Prepared<R>, Vec<FieldError>>)>;

/// One record normalised: ready to insert, or refused.
fn normalise<K: Kind>(
    placed: Placed<K::Envelope>,
    author: &Author,
    today: NaiveDate,
) -> Result<Prepared<K::Record>, Vec<FieldError>> {
    let Placed { submission, client_id, site, .. } = placed;
    let mut record = K::normalise(&submission.envelope, site.as_ref(), today)?;
    K::flags(&mut record).extend(submission.flags);
    let status = ReviewStatus::on_arrival(author.trusted, K::flags(&mut record));
    Ok(Prepared {
        client_id,
        payload: submission.payload,
        city_id: site.as_ref().map_or(author.team_city_id, |s| s.city_id),
        site_id: site.map(|s| s.id),
        record,
        status,
    })
}

/// The records written so far, kept for the batch's rollups.
struct Written<R> {
    records: Vec<Prepared<R>>,
    ids: Vec<i64>,
}

impl<R> Written<R> {
    /// Inserts a normalised chunk's records; sets each one's outcome (created or rejected).
    fn insert<K: Kind<Record = R>>(
        &mut self,
        conn: &mut PgConnection,
        author: &Author,
        normalised: NormalisedChunk<R>,
        outcomes: &mut [Option<Outcome<Brief>>],
    ) -> QueryResult<()> {
        let mut chunk = Vec::with_capacity(normalised.len());
        let mut indices = Vec::with_capacity(normalised.len());
        for (index, result) in normalised {
            match result {
                Ok(record) => {
                    indices.push(index);
                    chunk.push(record);
                }
                Err(errors) => outcomes[index] = Some(Outcome::Rejected(errors)),
            }
        }
        let ids = K::insert(conn, author, &chunk)?;
        for ((index, record), id) in indices.into_iter().zip(&chunk).zip(&ids) {
            outcomes[index] = Some(Outcome::Created(Brief { id: *id, status: record.status }));
        }
        self.records.extend(chunk);
        self.ids.extend(ids);
        Ok(())
    }
}

/// The next normalised chunk; `RollbackTransaction` when the normalising thread has stopped
/// (it panicked: the panic is raised again when the threads are joined).
fn next<R>(normalised: &Receiver<NormalisedChunk<R>>) -> QueryResult<NormalisedChunk<R>> {
    normalised.recv().map_err(|_| diesel::result::Error::RollbackTransaction)
}

/// Checks, places, normalises and inserts `records` in one transaction (a savepoint inside
/// the caller's), then rolls the batch up; sets every record's outcome in `outcomes`.
pub fn store<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    records: &Records<'_, K::Envelope>,
    today: NaiveDate,
    outcomes: &mut [Option<Outcome<Brief>>],
) -> QueryResult<()> {
    let mut placer = Placer::default();
    conn.transaction(|conn| {
        std::thread::scope(|scope| {
            let (send_read, read_chunks) = mpsc::channel();
            scope.spawn(move || {
                for range in read::chunks(records.len()) {
                    if send_read.send(records.chunk::<K>(range, today)).is_err() {
                        return; // the writer failed: the transaction is rolled back
                    }
                }
            });
            let (send_placed, placed_chunks) = mpsc::channel::<Vec<Placed<K::Envelope>>>();
            let (send_normalised, normalised_chunks) = mpsc::channel();
            scope.spawn(move || {
                for placed in placed_chunks {
                    let chunk: NormalisedChunk<K::Record> =
                        placed.into_iter().map(|p| (p.index, normalise::<K>(p, author, today))).collect();
                    if send_normalised.send(chunk).is_err() {
                        return;
                    }
                }
            });
            let mut written = Written { records: Vec::new(), ids: Vec::new() };
            let mut in_flight = 0;
            loop {
                // place every chunk read so far; write one while the reader is still busy
                let read = match read_chunks.try_recv() {
                    Ok(chunk) => chunk,
                    Err(TryRecvError::Empty) if in_flight > 0 => {
                        written.insert::<K>(conn, author, next(&normalised_chunks)?, outcomes)?;
                        in_flight -= 1;
                        continue;
                    }
                    Err(TryRecvError::Empty) => match read_chunks.recv() {
                        Ok(chunk) => chunk,
                        Err(_) => break,
                    },
                    Err(TryRecvError::Disconnected) => break,
                };
                let placed = placer.place::<K>(conn, author, read, outcomes)?;
                send_placed.send(placed).map_err(|_| diesel::result::Error::RollbackTransaction)?;
                in_flight += 1;
            }
            drop(send_placed);
            for _ in 0..in_flight {
                written.insert::<K>(conn, author, next(&normalised_chunks)?, outcomes)?;
            }
            K::roll_up(conn, &written.records, &written.ids)
        })
    })?;
    placer.answer_later_copies(outcomes);
    Ok(())
}
