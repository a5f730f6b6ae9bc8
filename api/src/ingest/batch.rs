//! Many records in one request or import chunk, stored by the one write path of both kinds
//! ([`store`]): posted JSON is read a record at a time inside the pipeline, and `tideline
//! import` hands it typed rows with no JSON round trip.

use chrono::NaiveDate;
use diesel::prelude::*;
use tideline_core::input::SurveyEnvelope;
use tideline_core::review::ReviewStatus;
use tideline_core::validation::Flag;

use super::kind::{Kind, Surveys};
use super::pipeline;
use super::read::{ReadRecord, Records};
use super::Outcome;
use crate::store::conflicts::lost_to_a_concurrent_writer;
use crate::store::records::{Author, StoredPayload};

/// A stored survey's id and review status: what a batch answer lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// Survey id.
    pub id: i64,
    /// Review status.
    pub status: ReviewStatus,
}

/// One record of a batch, as its JSON text (parsed one at a time, so a batch holds parsed
/// JSON for a single record at once).
pub type RawRecord = Box<serde_json::value::RawValue>;

/// A record read and ready for the write path: the envelope, the payload kept as received,
/// and flags the reader raised about its placement.
#[derive(Debug, Clone)]
pub struct Submission<E> {
    /// The record and where it belongs.
    pub envelope: E,
    /// The raw payload stored with it (and hashed for idempotency).
    pub payload: StoredPayload,
    /// Flags added to the normaliser's (e.g. a site code that names a far-away site).
    pub flags: Vec<Flag>,
}

/// A survey read and ready for the write path.
pub type SurveySubmission = Submission<SurveyEnvelope>;

/// Reads, normalises and stores many posted records of kind `K` for `author`; every record
/// gets its own outcome, in order.
pub fn posted<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    raws: &[RawRecord],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    store::<K>(conn, author, &Records::Posted(raws), today)
}

/// Normalises and stores surveys already read: [`store`] for surveys (imports and seeding).
pub fn store_surveys(
    conn: &mut PgConnection,
    author: &Author,
    read: &[ReadRecord<SurveyEnvelope>],
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    store::<Surveys>(conn, author, &Records::Read(read), today)
}

/// Reads (when posted), normalises and stores records with set-based inserts: the one write
/// path, for a single post (a batch of one), batches, imports and seeding. Every record gets
/// its own outcome, in order; records refused before (an import's unreadable rows) keep their
/// errors. When a concurrent batch gets in the way (see [`worth_another_try`]), the batch's
/// insert is rolled back whole and the batch is stored again (posted records read again),
/// answering the records the other batch stored from their stored copies.
pub fn store<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    records: &Records<'_, K::Envelope>,
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    let mut tries = 1;
    loop {
        match store_once::<K>(conn, author, records, today) {
            Err(error) if tries < MAX_TRIES && worth_another_try(&error) => {
                tracing::info!(tries, %error, "a concurrent batch got in the way: storing the batch again");
                std::thread::sleep(pause_before_try(tries));
                tries += 1;
            }
            answer => return answer,
        }
    }
}

/// The pause after the `tries`-th failed try: 25–50 ms, then 50–100 ms, … (jittered), so the
/// batch that went on can commit its claims first. Stored again at once, the two batches often
/// deadlocked again.
fn pause_before_try(tries: u32) -> std::time::Duration {
    let pause = 25u64 << (tries - 1);
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let jitter = clock.map_or(0, |since| u64::from(since.subsec_nanos())) % pause;
    std::time::Duration::from_millis(pause + jitter)
}

/// How many times a batch is stored at most before its error is answered (a 503 the client
/// retries).
const MAX_TRIES: u32 = 5;

/// Whether storing a batch again can succeed: a concurrent post of one of its client ids
/// committed first (a unique violation on the ledger), or another batch got in its way (a
/// deadlock between two batches claiming shared client ids in opposite orders: each chunk's
/// claims are sorted, but a batch claims chunk by chunk).
fn worth_another_try(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(error, Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) || lost_to_a_concurrent_writer(error)
}

fn store_once<K: Kind>(
    conn: &mut PgConnection,
    author: &Author,
    records: &Records<'_, K::Envelope>,
    today: NaiveDate,
) -> QueryResult<Vec<Outcome<Brief>>> {
    let mut outcomes: Vec<Option<Outcome<Brief>>> = (0..records.len()).map(|_| None).collect();
    pipeline::store::<K>(conn, author, records, today, &mut outcomes)?;
    Ok(outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Conflict("not processed".into()))).collect())
}
