//! Sites for imported rows: the sites of a site file, and the placement of each row — by the
//! file's own site code (only when that site lies within a few km of the row), else by
//! position — registering a site from the row when asked. Every site a file needs is
//! registered before any row is placed, so a re-run places every row exactly as the first run.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use diesel::PgConnection;
use tideline_core::bounds::SURVEY_LENGTH_M;
use tideline_core::country::{country_name, export_country_code};
use tideline_core::input::wide::AdaptedRow;
use tideline_core::input::Placement;
use tideline_core::site::{SiteInput, CODE_MAX};
use tideline_core::survey::{stretch_length_m, GeoPoint, SurveyKind};
use tideline_core::validation::{name_error, FieldError, Flag, NAME_MAX};
use tideline_core::vocabulary::SiteKind;

use super::lookups::SiteLookups;
use crate::store::places::{self, NewSite, Site};
use crate::store::teams::Team;

/// A site code from a file names an existing site only when the row lies this close to it;
/// farther, the code is taken for a coincidence (MLW `NatRef` often holds a region or country).
pub const CODE_MATCH_RADIUS_M: f64 = 5_000.0;

/// Registers the sites of a site file (`code, name, city, country_code, kind, lat, lon,
/// reference_length_m`), creating their cities; returns code → site id.
pub fn load_site_file(conn: &mut PgConnection, path: &Path) -> anyhow::Result<HashMap<String, i64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    load_sites(conn, &text).with_context(|| path.display().to_string())
}

/// Registers the sites of site-file text; returns code → site id.
pub fn load_sites(conn: &mut PgConnection, text: &str) -> anyhow::Result<HashMap<String, i64>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut sites = HashMap::new();
    for (index, record) in reader.deserialize::<HashMap<String, String>>().enumerate() {
        let line = index + 2;
        let row = record.with_context(|| format!("line {line}"))?;
        let field = |name: &str| row.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
        let mut errors: Vec<FieldError> = Vec::new();
        let number = |name: &str, errors: &mut Vec<FieldError>| match field(name) {
            text if text.is_empty() && name == "reference_length_m" => None,
            text => text
                .parse::<f64>()
                .map_err(|_| errors.push(FieldError::new(format!("/{name}"), format!("`{text}` is not a number"))))
                .ok(),
        };
        let (lat, lon) = (number("lat", &mut errors), number("lon", &mut errors));
        let reference_length_m = number("reference_length_m", &mut errors);
        let country = tideline_core::country::country_code(&field("country_code"))
            .map_err(|e| errors.push(FieldError::new("/country_code", e)))
            .ok();
        let (code, name, kind, city_name) = (field("code"), field("name"), field("kind"), field("city"));
        errors.extend(name_error("/city", &city_name, NAME_MAX));
        // an unreadable number is named once: the site rules read it as 0 (a valid position)
        let input = SiteInput {
            code: &code,
            name: &name,
            kind: &kind,
            lat: lat.unwrap_or(0.0),
            lon: lon.unwrap_or(0.0),
            reference_length_m,
        };
        let site = input.check().map_err(|broken| errors.extend(broken)).ok();
        let (Some(site), Some(country), true) = (site, country, errors.is_empty()) else {
            let said: Vec<String> = errors.iter().map(|e| format!("{} {}", e.pointer, e.message)).collect();
            anyhow::bail!("line {line}: {}", said.join("; "));
        };
        let city = places::upsert_city(conn, &city_name, &country)?;
        let site = places::upsert_site(conn, &NewSite { city_id: city.id, site })?;
        sites.insert(site.code.clone(), site.id);
    }
    Ok(sites)
}

/// A site code from a file's own code or name: kept when it fits, otherwise its first 55
/// characters and a stable 8-digit hash of the whole, so long beach names never fail an import
/// and the same name always gives the same code.
pub fn site_code(text: &str) -> String {
    if text.chars().count() <= CODE_MAX {
        return text.to_string();
    }
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, text.as_bytes()).simple().to_string();
    let head: String = text.chars().take(CODE_MAX - 9).collect();
    format!("{}-{}", head.trim_end(), &hash[..8])
}

/// Where a row goes, and what its placement needs a reviewer to know.
pub struct Placed {
    /// The site, a position for the write path to match, or nothing.
    pub placement: Placement,
    /// Flags about the placement (a site code naming a far-away site).
    pub flags: Vec<Flag>,
}

/// Finds and registers the sites of one import run.
pub struct SitePlacer<'a> {
    team_country: String,
    site_file: &'a HashMap<String, i64>,
    create_sites: bool,
    /// city per country of the rows (the team's city for its own country)
    cities: HashMap<String, i64>,
    /// the sites looked up so far
    lookups: SiteLookups,
}

impl<'a> SitePlacer<'a> {
    /// A placer for `team`'s rows, matching `site_file` codes first.
    pub fn new(
        conn: &mut PgConnection,
        team: &Team,
        site_file: &'a HashMap<String, i64>,
        create_sites: bool,
    ) -> diesel::QueryResult<Self> {
        let team_country = places::find_city(conn, team.city_id)?.map(|c| c.country_code).unwrap_or_default();
        let cities = HashMap::from([(team_country.clone(), team.city_id)]);
        Ok(Self { team_country, site_file, create_sites, cities, lookups: SiteLookups::default() })
    }

    /// The row's country as an ISO code (the team's when the row names none), or why the
    /// row's own code cannot be read.
    pub fn country(&self, row: &AdaptedRow) -> Result<String, String> {
        match &row.site.country_code {
            Some(code) => export_country_code(code),
            None => Ok(self.team_country.clone()),
        }
    }

    /// The city a site of `country` is registered in: the team's city for its own country,
    /// otherwise one city per country that collects the imported sites.
    fn city(&mut self, conn: &mut PgConnection, country: &str) -> diesel::QueryResult<i64> {
        if let Some(id) = self.cities.get(country) {
            return Ok(*id);
        }
        let name = format!("{}: imported sites", country_name(country).unwrap_or(country));
        let city = places::upsert_city(conn, &name, country)?;
        self.cities.insert(country.to_string(), city.id);
        Ok(city.id)
    }

    /// The site the row's code names (in the site file, or in the city of the row's country),
    /// and whether it lies too far from the row to be its site.
    fn by_code(
        &mut self,
        conn: &mut PgConnection,
        row: &AdaptedRow,
        country: &str,
    ) -> diesel::QueryResult<Option<(Site, bool)>> {
        let Some(code) = row.site.code.clone().or_else(|| row.site.name.clone()) else { return Ok(None) };
        let site = match self.site_file.get(&code) {
            Some(id) => self.lookups.site(conn, *id)?,
            None => {
                let city_id = self.city(conn, country)?;
                self.lookups.site_by_code(conn, city_id, &site_code(&code))?
            }
        };
        Ok(site.map(|site| {
            let far = row
                .site
                .location
                .is_some_and(|p| stretch_length_m(p, GeoPoint { lat: site.lat, lon: site.lon }) > CODE_MATCH_RADIUS_M);
            (site, far)
        }))
    }

    /// Where the row goes with the sites registered now; never registers one.
    pub fn place(&mut self, conn: &mut PgConnection, row: &AdaptedRow, country: &str) -> diesel::QueryResult<Placed> {
        let mut flags = Vec::new();
        match self.by_code(conn, row, country)? {
            Some((site, false)) => return Ok(Placed { placement: Placement::Site(site.id), flags }),
            Some((site, true)) => flags.push(far_code_flag(row, &site)),
            None => {}
        }
        let Some(location) = row.site.location else { return Ok(Placed { placement: Placement::Unknown, flags }) };
        let placement = match self.lookups.nearest(conn, location)? {
            Some(site) => Placement::Site(site.id),
            None => Placement::Location(location),
        };
        Ok(Placed { placement, flags })
    }

    /// Registers a site from the row when asked to and no site is found for it.
    pub fn register(&mut self, conn: &mut PgConnection, row: &AdaptedRow, country: &str) -> diesel::QueryResult<()> {
        if !self.create_sites {
            return Ok(());
        }
        let Some(location) = row.site.location else { return Ok(()) };
        // the same look-ups as `place`, each made once
        let by_code = self.by_code(conn, row, country)?;
        let far = match by_code {
            Some((_, false)) => return Ok(()),
            Some((_, true)) => true,
            None => false,
        };
        if self.lookups.nearest(conn, location)?.is_some() {
            return Ok(());
        }
        let city_id = self.city(conn, country)?;
        let label = row.site.code.clone().or_else(|| row.site.name.clone());
        let code = match &label {
            // the code names a site elsewhere: this one is told apart by its position
            Some(label) if far => site_code(&format!("{label} @ {:.4},{:.4}", location.lat, location.lon)),
            Some(label) => site_code(label),
            None => format!("{:.4},{:.4}", location.lat, location.lon),
        };
        let name = row.site.name.clone().or(label).unwrap_or_else(|| code.clone());
        // only a plausible monitoring length becomes the site's reference (never a cleanup's 0)
        let reference_length_m = row
            .survey
            .length_m
            .filter(|l| row.survey.kind == SurveyKind::Monitoring && *l > 10.0 && SURVEY_LENGTH_M.contains(*l));
        let name: String = name.chars().take(NAME_MAX).collect();
        let input = SiteInput {
            code: &code,
            name: &name,
            kind: SiteKind::Beach.as_str(),
            lat: location.lat,
            lon: location.lon,
            reference_length_m,
        };
        // a row whose site would break the site rules registers none: it stays unassigned
        let Ok(site) = input.check() else { return Ok(()) };
        places::upsert_site(conn, &NewSite { city_id, site })?;
        self.lookups.forget();
        Ok(())
    }
}

fn far_code_flag(row: &AdaptedRow, site: &Site) -> Flag {
    let distance_km =
        row.site.location.map_or(0.0, |p| stretch_length_m(p, GeoPoint { lat: site.lat, lon: site.lon }) / 1000.0);
    Flag::new(
        "site_code_far",
        "/site",
        format!(
            "the file's site code `{}` names site {} ({}) {distance_km:.0} km away, more than {} km: placed by \
             position instead",
            site.code,
            site.id,
            site.name,
            CODE_MATCH_RADIUS_M / 1000.0
        ),
    )
}
