//! What the one write path needs of each kind of record: how it is read from its JSON
//! envelope, normalised once placed on a site, and inserted set-based.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;
use tideline_core::input::{read_sample, read_survey, Placement, SampleEnvelope, SurveyEnvelope};
use tideline_core::microplastics::normalise_sample;
use tideline_core::survey::{normalise, NormalisedSurvey};
use tideline_core::validation::{FieldError, Flag};

use crate::store::bulk::Prepared;
use crate::store::places::Site;
use crate::store::records::{Author, ReadScope, RecordKind};
use crate::store::samples::{self, NewSample, SampleRecord};
use crate::store::surveys::{self, SurveyRecord};

/// A kind of record the write path stores.
pub trait Kind {
    /// Survey or sample.
    const KIND: RecordKind;
    /// The record as read, with its client id and placement (read on the pipeline's reading
    /// thread and moved to its normalising thread; records already read are cloned in).
    type Envelope: Send + Sync + Clone;
    /// The record normalised, ready to insert (sent back from the normalising thread).
    type Record: Send;
    /// The record as the API answers it, read back once stored.
    type Stored;

    /// Reads a posted body.
    fn read(payload: &Value, today: NaiveDate) -> Result<Self::Envelope, Vec<FieldError>>;
    /// The app's UUID of the record.
    fn client_id(envelope: &Self::Envelope) -> uuid::Uuid;
    /// Where the record says it belongs.
    fn placement(envelope: &Self::Envelope) -> &Placement;
    /// Normalises the record once its site (if any) is known.
    fn normalise(
        envelope: &Self::Envelope,
        site: Option<&Site>,
        today: NaiveDate,
    ) -> Result<Self::Record, Vec<FieldError>>;
    /// The record's plausibility flags.
    fn flags(record: &mut Self::Record) -> &mut Vec<Flag>;
    /// Inserts the records; returns their ids in order.
    fn insert(conn: &mut PgConnection, author: &Author, records: &[Prepared<Self::Record>]) -> QueryResult<Vec<i64>>;
    /// Brings what is kept on write (the rollups) up to date with inserted records, once per
    /// batch; `ids` in the records' order.
    fn roll_up(conn: &mut PgConnection, records: &[Prepared<Self::Record>], ids: &[i64]) -> QueryResult<()>;
    /// A stored record, by id.
    fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Self::Stored>>;
}

/// Beach-litter surveys.
pub struct Surveys;

impl Kind for Surveys {
    const KIND: RecordKind = RecordKind::Survey;
    type Envelope = SurveyEnvelope;
    type Record = NormalisedSurvey;
    type Stored = SurveyRecord;

    fn read(payload: &Value, today: NaiveDate) -> Result<SurveyEnvelope, Vec<FieldError>> {
        read_survey(payload, "", today)
    }
    fn client_id(envelope: &SurveyEnvelope) -> uuid::Uuid {
        envelope.client_id
    }
    fn placement(envelope: &SurveyEnvelope) -> &Placement {
        &envelope.placement
    }
    fn normalise(
        envelope: &SurveyEnvelope,
        site: Option<&Site>,
        today: NaiveDate,
    ) -> Result<NormalisedSurvey, Vec<FieldError>> {
        let mut input = envelope.input.clone();
        input.site_length_m = site.and_then(|s| s.reference_length_m);
        normalise(input, today)
    }
    fn flags(record: &mut NormalisedSurvey) -> &mut Vec<Flag> {
        &mut record.flags
    }
    fn insert(
        conn: &mut PgConnection,
        author: &Author,
        records: &[Prepared<NormalisedSurvey>],
    ) -> QueryResult<Vec<i64>> {
        surveys::insert(conn, author, records)
    }
    fn roll_up(conn: &mut PgConnection, records: &[Prepared<NormalisedSurvey>], ids: &[i64]) -> QueryResult<()> {
        surveys::roll_up(conn, records, ids)
    }
    fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<SurveyRecord>> {
        surveys::find(conn, id, ReadScope::All)
    }
}

/// Microplastic samples.
pub struct Samples;

impl Kind for Samples {
    const KIND: RecordKind = RecordKind::Sample;
    type Envelope = SampleEnvelope;
    type Record = NewSample;
    type Stored = SampleRecord;

    fn read(payload: &Value, today: NaiveDate) -> Result<SampleEnvelope, Vec<FieldError>> {
        read_sample(payload, "", today)
    }
    fn client_id(envelope: &SampleEnvelope) -> uuid::Uuid {
        envelope.client_id
    }
    fn placement(envelope: &SampleEnvelope) -> &Placement {
        &envelope.placement
    }
    fn normalise(
        envelope: &SampleEnvelope,
        _site: Option<&Site>,
        today: NaiveDate,
    ) -> Result<NewSample, Vec<FieldError>> {
        let sample = normalise_sample(&envelope.input, today)?;
        Ok(NewSample { input: envelope.input.clone(), sample })
    }
    fn flags(record: &mut NewSample) -> &mut Vec<Flag> {
        &mut record.sample.flags
    }
    fn insert(conn: &mut PgConnection, author: &Author, records: &[Prepared<NewSample>]) -> QueryResult<Vec<i64>> {
        samples::insert(conn, author, records)
    }
    /// Samples are in no rollup: their statistics read the sample rows.
    fn roll_up(_: &mut PgConnection, _: &[Prepared<NewSample>], _: &[i64]) -> QueryResult<()> {
        Ok(())
    }
    fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<SampleRecord>> {
        samples::find(conn, id, ReadScope::All)
    }
}
