//! Positions as PostGIS values: WGS 84 points and lines bound as `geography` parameters, and
//! the distance and bounding-box operators the DSL uses on them.

use postgis_diesel::sql_types::Geography;
use postgis_diesel::types::{LineString, Point, Polygon};
use tideline_core::survey::GeoPoint;

/// The spatial reference of every stored position: WGS 84.
const WGS84: u32 = 4326;

diesel::infix_operator!(DistanceTo, " <-> ", diesel::sql_types::Double, backend: diesel::pg::Pg);
diesel::infix_operator!(BoxesOverlap, " && ", backend: diesel::pg::Pg);

/// The KNN distance (`<->`, index-backed) between two geographies.
pub fn distance<L, R>(left: L, right: R) -> DistanceTo<L, R::Expression>
where
    R: diesel::expression::AsExpression<Geography>,
{
    DistanceTo::new(left, right.as_expression())
}

/// Whether two geographies' bounding boxes overlap (`&&`, index-backed).
pub fn overlaps<L, R>(left: L, right: R) -> BoxesOverlap<L, R::Expression>
where
    R: diesel::expression::AsExpression<Geography>,
{
    BoxesOverlap::new(left, right.as_expression())
}

/// A point at latitude/longitude.
pub fn point(lat: f64, lon: f64) -> Point {
    Point { x: lon, y: lat, srid: Some(WGS84) }
}

/// A stored point, or a recorded position.
pub fn geo_point(point: &Point) -> GeoPoint {
    GeoPoint { lat: point.y, lon: point.x }
}

/// A recorded position as a point.
pub fn from_geo(position: &GeoPoint) -> Point {
    point(position.lat, position.lon)
}

/// The straight line along a surveyed stretch.
pub fn line(start: &GeoPoint, end: &GeoPoint) -> LineString<Point> {
    LineString { points: vec![from_geo(start), from_geo(end)], srid: Some(WGS84) }
}

/// The rectangle (min_lon, min_lat, max_lon, max_lat).
pub fn envelope([min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> Polygon<Point> {
    let corner = |lon, lat| point(lat, lon);
    Polygon {
        rings: vec![vec![
            corner(min_lon, min_lat),
            corner(max_lon, min_lat),
            corner(max_lon, max_lat),
            corner(min_lon, max_lat),
            corner(min_lon, min_lat),
        ]],
        srid: Some(WGS84),
    }
}
