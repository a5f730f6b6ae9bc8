//! The extents of the published collections (OGC API – Features): each one's bounding box and
//! the dates its records span.

use chrono::NaiveDate;
use diesel::dsl::{max, min};
use diesel::prelude::*;
use diesel::sql_types::{Double, Nullable, Text};
use tideline_core::review::ReviewStatus;

use crate::schema::{samples, survey_totals};

/// The collections of features this service publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// The monitoring sites.
    Sites,
    /// Accepted surveys.
    Surveys,
    /// Accepted samples.
    Samples,
}

impl Collection {
    /// Every collection, in the order they are listed.
    pub const ALL: [Self; 3] = [Self::Sites, Self::Surveys, Self::Samples];

    /// Its id in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sites => "sites",
            Self::Surveys => "surveys",
            Self::Samples => "samples",
        }
    }
}

/// A collection's bounding box (min_lon, min_lat, max_lon, max_lat) and first and last date.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Extent {
    /// Spatial extent, when there is a position.
    pub bbox: Option<[f64; 4]>,
    /// Temporal extent, when there is a dated record.
    pub interval: (Option<NaiveDate>, Option<NaiveDate>),
}

#[derive(QueryableByName)]
struct BoxRow {
    #[diesel(sql_type = Nullable<Double>)]
    min_lon: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    min_lat: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    max_lon: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    max_lat: Option<f64>,
}

/// The extent of a collection's public records.
pub fn extent(conn: &mut PgConnection, collection: Collection) -> QueryResult<Extent> {
    // raw SQL: PostGIS's aggregate ST_Extent has no DSL form; the text is fixed per collection
    let positions = match collection {
        Collection::Sites => "SELECT location::geometry AS g FROM sites",
        Collection::Surveys => {
            "SELECT coalesce(v.location, s.location)::geometry AS g FROM survey_totals t \
             JOIN surveys v ON v.city_id = t.city_id AND v.id = t.survey_id \
             LEFT JOIN sites s ON s.id = t.site_id WHERE t.status = $1"
        }
        Collection::Samples => {
            "SELECT coalesce(p.location, s.location)::geometry AS g FROM samples p \
             LEFT JOIN sites s ON s.id = p.site_id WHERE p.status = $1"
        }
    };
    let sql = format!(
        "SELECT ST_XMin(e) AS min_lon, ST_YMin(e) AS min_lat, ST_XMax(e) AS max_lon, ST_YMax(e) AS max_lat \
         FROM (SELECT ST_Extent(g)::geometry AS e FROM ({positions}) p) x"
    );
    let query = diesel::sql_query(sql);
    let row: BoxRow = match collection {
        Collection::Sites => query.get_result(conn)?,
        _ => query.bind::<Text, _>(ReviewStatus::Accepted).get_result(conn)?,
    };
    let bbox = match (row.min_lon, row.min_lat, row.max_lon, row.max_lat) {
        (Some(a), Some(b), Some(c), Some(d)) => Some([a, b, c, d]),
        _ => None,
    };
    let interval = match collection {
        Collection::Sites => (None, None),
        Collection::Surveys => survey_totals::table
            .filter(survey_totals::status.eq(ReviewStatus::Accepted))
            .select((min(survey_totals::survey_date), max(survey_totals::survey_date)))
            .get_result(conn)?,
        Collection::Samples => samples::table
            .filter(samples::status.eq(ReviewStatus::Accepted))
            .select((min(samples::sample_date), max(samples::sample_date)))
            .get_result(conn)?,
    };
    Ok(Extent { bbox, interval })
}
