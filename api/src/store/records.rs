//! What surveys and samples share: the raw submission (idempotency by team and client id),
//! the per-record lock, placement on a site, and the read scope of a caller.

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use tideline_core::input::Placement;
use tideline_core::validation::{FieldError, Flag};

use super::places::{find_site, nearest_site, Site};

/// Records with coordinates but no site go to the nearest registered site within this distance.
pub const SITE_MATCH_RADIUS_M: f64 = 1_000.0;

pub use tideline_core::vocabulary::RecordKind;

/// Runs `$body` with `$t` naming the table of `$kind`'s records (`surveys` or `samples`), so one
/// diesel query serves both kinds (their shared columns have the same names and types).
macro_rules! on_records {
    ($kind:expr, $t:ident => $body:expr) => {
        match $kind {
            $crate::store::records::RecordKind::Survey => {
                use $crate::schema::surveys as $t;
                $body
            }
            $crate::store::records::RecordKind::Sample => {
                use $crate::schema::samples as $t;
                $body
            }
        }
    };
}
pub(crate) use on_records;

/// Narrows a boxed query over record table `$r` to what `$scope` may read; `None` when the
/// scope reads nothing.
macro_rules! within_scope {
    ($query:expr, $r:ident, $scope:expr) => {
        match $scope {
            $crate::store::records::ReadScope::Team(team) => Some($query.filter($r::team_id.eq(team))),
            $crate::store::records::ReadScope::City(city) => Some($query.filter($r::city_id.eq(city))),
            $crate::store::records::ReadScope::Accepted => {
                Some($query.filter($r::status.eq(tideline_core::review::ReviewStatus::Accepted)))
            }
            $crate::store::records::ReadScope::All => Some($query),
            $crate::store::records::ReadScope::Nothing => None,
        }
    };
}
pub(crate) use within_scope;

/// Applies a list filter (status, site, dates on `$date`, keyset after an id, page size) to a
/// boxed query over record table `$r`, ordered by id.
macro_rules! list_filter {
    ($query:expr, $r:ident, $date:expr, $filter:expr) => {{
        let filter: &$crate::store::surveys::ListFilter = $filter;
        let mut query = $query.filter($r::id.gt(filter.after.unwrap_or(0))).order($r::id).limit(filter.limit);
        if let Some(status) = filter.status {
            query = query.filter($r::status.eq(status));
        }
        if let Some(site_id) = filter.site_id {
            query = query.filter($r::site_id.eq(site_id));
        }
        if let Some(from) = filter.from {
            query = query.filter($date.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter($date.le(to));
        }
        query
    }};
}
pub(crate) use list_filter;

diesel::define_sql_function! {
    /// Takes a transaction-scoped advisory lock if it is free.
    fn pg_try_advisory_xact_lock(key: diesel::sql_types::BigInt) -> diesel::sql_types::Bool;
}

/// The team a record is posted for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Author {
    /// Team.
    pub team_id: i64,
    /// The team's home city (where unassigned records are kept).
    pub team_city_id: i64,
    /// Trusted teams' unflagged records skip review.
    pub trusted: bool,
}

/// A raw payload as stored: its canonical (sorted-key) JSON text and that text's SHA-256, so
/// a batch keeps a few bytes per record instead of a parsed JSON tree.
#[derive(Debug, Clone)]
pub struct StoredPayload {
    /// Canonical JSON text.
    pub json: String,
    /// SHA-256 of `json`: the payload hash idempotency compares.
    pub sha256: Vec<u8>,
}

impl StoredPayload {
    /// Serialises a parsed payload.
    pub fn of(payload: &serde_json::Value) -> Self {
        let json = payload.to_string();
        let sha256 = Sha256::digest(json.as_bytes()).to_vec();
        Self { json, sha256 }
    }
}

/// The city of record `id` (a plain read: under Citus it asks every shard once, and the lock
/// that follows then names the city, so it runs on one shard).
pub fn city_of(conn: &mut PgConnection, kind: RecordKind, id: i64) -> QueryResult<Option<i64>> {
    on_records!(kind, t => t::table.filter(t::id.eq(id)).select(t::city_id).first(conn).optional())
}

/// Enters submissions in the idempotency ledger (one client id per team, across cities). A
/// client id already there is a unique violation: the caller's transaction must roll back.
/// Written through the COPY protocol, which reports that violation as an insert would.
pub fn claim_client_ids(
    conn: &mut PgConnection,
    team_id: i64,
    client_ids: &[uuid::Uuid],
    city_ids: &[i64],
    submission_ids: &[i64],
) -> QueryResult<()> {
    use crate::schema::client_ids as c;
    let mut claims: Vec<(uuid::Uuid, i64, i64)> =
        (client_ids.iter().zip(city_ids).zip(submission_ids)).map(|((u, c), s)| (*u, *c, *s)).collect();
    // sorted, so two chunks claiming overlapping ids never deadlock (a batch claims chunk by
    // chunk: a deadlock across chunks is broken by PostgreSQL and the batch stored again)
    claims.sort_unstable();
    let rows: Vec<_> = claims
        .into_iter()
        .map(|(client_id, city_id, submission_id)| {
            (
                c::team_id.eq(team_id),
                c::client_id.eq(client_id),
                c::city_id.eq(city_id),
                c::submission_id.eq(submission_id),
            )
        })
        .collect();
    diesel::copy_from(c::table).from_insertable(rows).execute(conn)?;
    Ok(())
}

/// Where a record lands: its city, its site (if any), and flags the placement raised.
pub struct Placed {
    /// City (the site's, or the team's home city when unassigned).
    pub city_id: i64,
    /// Site.
    pub site: Option<Site>,
}

/// Resolves a placement: an explicit site must exist; coordinates go to the nearest site
/// within 1 km; otherwise the record stays unassigned in the team's city, flagged.
pub fn place(
    conn: &mut PgConnection,
    placement: &Placement,
    author: &Author,
    flags: &mut Vec<Flag>,
) -> QueryResult<Result<Placed, FieldError>> {
    let site = match placement {
        Placement::Site(id) => match find_site(conn, *id)? {
            Some(site) => Some(site),
            None => return Ok(Err(no_such_site(*id))),
        },
        Placement::Location(point) => nearest_site(conn, point.lat, point.lon, SITE_MATCH_RADIUS_M)?,
        Placement::Unknown => None,
    };
    Ok(Ok(placed(placement, site, author, flags)))
}

/// Where a record lands once the site of its placement is looked up (the site named, or the
/// nearest within 1 km): on that site, or unassigned in the team's city with a flag saying why.
pub fn placed(placement: &Placement, site: Option<Site>, author: &Author, flags: &mut Vec<Flag>) -> Placed {
    if site.is_none() {
        let why = match placement {
            Placement::Location(_) => "no registered site within 1 km of the record's coordinates",
            _ => "the record names neither a site nor coordinates",
        };
        flags.push(Flag::new("unassigned_site", "/site_id", format!("{why}: kept unassigned for review")));
    }
    let city_id = site.as_ref().map_or(author.team_city_id, |s| s.city_id);
    Placed { city_id, site }
}

/// The error of a record naming a site that does not exist.
pub fn no_such_site(id: i64) -> FieldError {
    FieldError::new("/site_id", format!("there is no site {id}"))
}

/// Who may read which raw records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReadScope {
    /// A team's own records, any status.
    Team(i64),
    /// Every record of a city (coordinators).
    City(i64),
    /// Accepted records everywhere (researchers).
    Accepted,
    /// Everything (admins).
    All,
    /// No raw records (a token with neither team nor city).
    Nothing,
}
