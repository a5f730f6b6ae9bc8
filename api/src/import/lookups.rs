//! The site look-ups of one import run, each made once: a file's rows name the same few sites
//! and positions over and over (every survey of a beach), and a look-up is a round trip.

use std::collections::HashMap;

use diesel::{PgConnection, QueryResult};
use tideline_core::survey::GeoPoint;

use crate::store::places::{self, Site};
use crate::store::records::SITE_MATCH_RADIUS_M;

/// Sites found so far, by id, by (city, code) and by position. Whatever registers a site must
/// call [`SiteLookups::forget`]: a site not found before may exist now.
#[derive(Default)]
pub struct SiteLookups {
    by_id: HashMap<i64, Option<Site>>,
    by_code: HashMap<(i64, String), Option<Site>>,
    nearest: HashMap<(u64, u64), Option<Site>>,
}

impl SiteLookups {
    /// The site with this id.
    pub fn site(&mut self, conn: &mut PgConnection, id: i64) -> QueryResult<Option<Site>> {
        if let Some(site) = self.by_id.get(&id) {
            return Ok(site.clone());
        }
        let site = places::find_site(conn, id)?;
        self.by_id.insert(id, site.clone());
        Ok(site)
    }

    /// The site with this code in a city.
    pub fn site_by_code(&mut self, conn: &mut PgConnection, city_id: i64, code: &str) -> QueryResult<Option<Site>> {
        let key = (city_id, code.to_string());
        if let Some(site) = self.by_code.get(&key) {
            return Ok(site.clone());
        }
        let site = places::find_site_by_code(conn, city_id, code)?;
        self.by_code.insert(key, site.clone());
        Ok(site)
    }

    /// The registered site nearest to a position, within 1 km.
    pub fn nearest(&mut self, conn: &mut PgConnection, at: GeoPoint) -> QueryResult<Option<Site>> {
        let key = (at.lat.to_bits(), at.lon.to_bits());
        if let Some(site) = self.nearest.get(&key) {
            return Ok(site.clone());
        }
        let site = places::nearest_site(conn, at.lat, at.lon, SITE_MATCH_RADIUS_M)?;
        self.nearest.insert(key, site.clone());
        Ok(site)
    }

    /// Forgets every look-up (a site was registered).
    pub fn forget(&mut self) {
        *self = Self::default();
    }
}
