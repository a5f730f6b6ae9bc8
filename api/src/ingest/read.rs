//! The first stage of the write path: a batch's records as they arrive (posted JSON, or read
//! already by an importer), handed on a chunk at a time, so that the writer can store the
//! first chunk while the later ones are still being read.

use chrono::NaiveDate;
use serde_json::Value;
use tideline_core::validation::FieldError;

use super::batch::{RawRecord, Submission};
use super::kind::Kind;
use crate::store::records::StoredPayload;

/// Records in the first chunk: few, so that the writer starts early.
pub const FIRST_CHUNK: usize = 50;

/// Records in a chunk at the most. Each chunk is four times the one before (50, 200, 800):
/// the normaliser keeps ahead of the writer, and a batch of 1 000 takes three `COPY`
/// statements a table, not five (a statement costs ≈ 1.3 ms of its own: `COPY` of 212 000 item
/// rows took 1.25 s whole and 1.32–1.35 s in 50 statements).
pub const MAX_CHUNK: usize = 800;

/// One record as read (or refused, with its errors).
pub type ReadRecord<E> = Result<Submission<E>, Vec<FieldError>>;

/// A chunk of read records, each with its position in the batch.
pub type ReadChunk<E> = Vec<(usize, ReadRecord<E>)>;

/// A batch's records as they reach the write path.
pub enum Records<'a, E> {
    /// Posted JSON, one record at a time: read here.
    Posted(&'a [RawRecord]),
    /// Records read already (an import's rows, a single post).
    Read(&'a [ReadRecord<E>]),
}

impl<E: Clone> Records<'_, E> {
    /// How many records.
    pub fn len(&self) -> usize {
        match self {
            Records::Posted(raws) => raws.len(),
            Records::Read(read) => read.len(),
        }
    }

    /// Reads (or clones) the records of positions `range` as a chunk.
    pub fn chunk<K: Kind<Envelope = E>>(&self, range: std::ops::Range<usize>, today: NaiveDate) -> ReadChunk<E> {
        match self {
            Records::Posted(raws) => range.map(|index| (index, read_one::<K>(&raws[index], today))).collect(),
            Records::Read(read) => range.map(|index| (index, read[index].clone())).collect(),
        }
    }
}

/// The positions `0..n` cut into chunks: [`FIRST_CHUNK`] records, then each chunk four times
/// the one before, up to [`MAX_CHUNK`].
pub fn chunks(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let mut next = (0, FIRST_CHUNK);
    std::iter::from_fn(move || {
        let (start, size) = next;
        (start < n).then(|| {
            let end = (start + size).min(n);
            next = (end, (size * 4).min(MAX_CHUNK));
            start..end
        })
    })
}

/// Reads one posted record.
fn read_one<K: Kind>(raw: &RawRecord, today: NaiveDate) -> ReadRecord<K::Envelope> {
    let (value, payload) = parse_record(raw)?;
    let envelope = K::read(&value, today)?;
    Ok(Submission { envelope, payload, flags: Vec::new() })
}

/// Parses one batch record with its payload as stored; a NUL character anywhere rejects it
/// (PostgreSQL text cannot hold it).
fn parse_record(raw: &RawRecord) -> Result<(Value, StoredPayload), Vec<FieldError>> {
    let value: Value =
        serde_json::from_str(raw.get()).map_err(|e| vec![FieldError::new("", format!("not JSON: {e}"))])?;
    if let Some(error) = tideline_core::validation::nul_character(&value, "") {
        return Err(vec![error]);
    }
    let payload = StoredPayload::of(&value);
    Ok((value, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> RawRecord {
        serde_json::value::RawValue::from_string(json.to_string()).unwrap()
    }

    #[test]
    fn a_nul_anywhere_is_refused_and_a_written_backslash_u0000_is_not() {
        let refused = |json: &str| parse_record(&raw(json)).err().map(|errors| errors[0].pointer.clone());
        assert_eq!(refused(r#"{"note": "a\u0000b"}"#), Some("/note".into()));
        assert_eq!(refused(r#"{"items": [{"code": "G1"}, {"co\u0000de": 1}]}"#), Some("/items/1/co\u{FFFD}de".into()));
        // the text `\u0000` (an escaped backslash, then `u0000`) holds no NUL
        let (value, payload) = parse_record(&raw(r#"{"note": "C:\\u0000"}"#)).unwrap();
        assert_eq!(value["note"], "C:\\u0000");
        assert_eq!(payload.json, r#"{"note":"C:\\u0000"}"#, "stored as sent, the backslash escaped");
        assert_eq!(refused(r#"{"note": "plain"}"#), None);
    }

    #[test]
    fn chunks_cover_every_record_once_in_order() {
        for n in [0, 1, FIRST_CHUNK, FIRST_CHUNK + 1, 250, 1_000, 5_000] {
            let cut: Vec<std::ops::Range<usize>> = chunks(n).collect();
            let covered: Vec<usize> = cut.iter().flat_map(|range| range.clone()).collect();
            assert_eq!(covered, (0..n).collect::<Vec<_>>(), "{n} records");
            assert!(cut.iter().all(|c| !c.is_empty() && c.len() <= MAX_CHUNK), "{n} records");
            assert!(cut.first().is_none_or(|c| c.len() == n.min(FIRST_CHUNK)), "{n} records");
        }
        let sizes = |n| chunks(n).map(|c| c.len()).collect::<Vec<_>>();
        assert_eq!(sizes(1_000), [50, 200, 750]);
        assert_eq!(sizes(2_000), [50, 200, 800, 800, 150]);
    }
}
