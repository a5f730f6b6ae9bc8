//! Corrections: a team sends the full corrected body of a survey it stored. The body is read and
//! normalised by the same rules as a new post; the record's rows are brought to it in one
//! transaction (rollups moved, review status decided afresh), and the version is kept with what
//! changed. The same correction sent again changes nothing.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use serde_json::Value;
use tideline_core::correction::changes;
use tideline_core::input::read_survey;
use tideline_core::review::ReviewStatus;
use tideline_core::survey::normalise;
use tideline_core::validation::FieldError;

use crate::store::records::{self, Author, ReadScope, RecordKind, StoredPayload};
use crate::store::rollups;
use crate::store::surveys::{self, SurveyRecord};
use crate::store::versions::{self, NewVersion};

/// What a correction did.
#[derive(Debug)]
pub enum Correction {
    /// A new version was stored.
    Corrected(SurveyRecord),
    /// The body equals the latest version: nothing changed (a retried correction).
    Unchanged(SurveyRecord),
    /// The team has no such record.
    NotFound,
    /// Invalid: nothing changed.
    Rejected(Vec<FieldError>),
}

#[derive(QueryableByName)]
struct Current {
    #[diesel(sql_type = BigInt)]
    city_id: i64,
    #[diesel(sql_type = SqlUuid)]
    client_id: uuid::Uuid,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    site_id: Option<i64>,
}

/// Corrects survey `id` of `author`'s team with the full corrected `payload`.
pub fn correct_survey(
    conn: &mut PgConnection,
    author: &Author,
    id: i64,
    payload: &Value,
    today: NaiveDate,
) -> QueryResult<Correction> {
    let envelope = match read_survey(payload, "", today) {
        Ok(envelope) => envelope,
        Err(errors) => return Ok(Correction::Rejected(errors)),
    };
    let body = StoredPayload::of(payload);
    let found = |conn: &mut PgConnection| surveys::find(conn, id, ReadScope::All)?.ok_or(diesel::NotFound);
    conn.transaction(|conn| {
        // the record's row, locked until the correction is stored
        let current: Option<Current> = diesel::sql_query(
            "SELECT r.city_id, sub.client_id, r.status, r.site_id FROM surveys r JOIN submissions sub \
             ON sub.city_id = r.city_id AND sub.id = r.submission_id WHERE r.id = $1 AND r.team_id = $2 \
             FOR UPDATE OF r",
        )
        .bind::<BigInt, _>(id)
        .bind::<BigInt, _>(author.team_id)
        .get_result(conn)
        .optional()?;
        let Some(current) = current else { return Ok(Correction::NotFound) };
        if envelope.client_id != current.client_id {
            let message = format!("a correction keeps the record's client_id {}", current.client_id);
            return Ok(Correction::Rejected(vec![FieldError::new("/client_id", message)]));
        }
        let latest = versions::latest(conn, RecordKind::Survey, current.city_id, id)?;
        if latest.sha256 == body.sha256 {
            return Ok(Correction::Unchanged(found(conn)?));
        }
        let mut placement_flags = Vec::new();
        let placed = match records::place(conn, &envelope.placement, author, &mut placement_flags)? {
            Ok(placed) if placed.city_id == current.city_id => placed,
            Ok(_) => {
                let message = "a correction cannot move a record to another city: post it anew and ask the city's \
                               coordinator to reject this one";
                return Ok(Correction::Rejected(vec![FieldError::new("/site_id", message)]));
            }
            Err(error) => return Ok(Correction::Rejected(vec![error])),
        };
        let mut input = envelope.input;
        input.site_length_m = placed.site.as_ref().and_then(|s| s.reference_length_m);
        let mut survey = match normalise(input, today) {
            Ok(survey) => survey,
            Err(errors) => return Ok(Correction::Rejected(errors)),
        };
        survey.flags.extend(placement_flags);
        let status = ReviewStatus::on_arrival(author.trusted, &survey.flags);
        let site_id = placed.site.as_ref().map(|s| s.id);
        if current.status == ReviewStatus::Accepted.as_str() && current.site_id.is_some() {
            rollups::apply_survey(conn, current.city_id, id, -1)?;
        }
        versions::keep_first(conn, RecordKind::Survey, current.city_id, id)?;
        surveys::write_survey(conn, current.city_id, id, site_id, &survey, status)?;
        if status == ReviewStatus::Accepted && site_id.is_some() {
            rollups::apply_survey(conn, current.city_id, id, 1)?;
        }
        let changed = changes(&latest.body, payload);
        let version = NewVersion {
            version: latest.version + 1,
            team_id: author.team_id,
            payload: &body,
            status: status.as_str(),
            flags: &survey.flags,
            changes: &changed,
        };
        versions::insert(conn, RecordKind::Survey, current.city_id, id, &version)?;
        Ok(Correction::Corrected(found(conn)?))
    })
}
