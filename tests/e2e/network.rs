//! A small network for the ingestion tests: two cities with a site each, teams, and tokens of
//! every role, created straight through the store.

use diesel::PgConnection;
use tideline_api::http::server::Settings;
use tideline_api::store::places::{self, NewSite};
use tideline_api::store::{teams, tokens};
use tideline_api::testing::{TestDb, TestServer};
use tideline_core::site::SiteInput;

/// Ids and token secrets of the test network.
pub struct Network {
    pub da_nang: i64,
    pub cebu: i64,
    pub my_khe: i64,
    pub cebu_site: i64,
    /// Volunteer of the trusted team of Da Nang.
    pub trusted: String,
    /// Untrusted team of Da Nang.
    pub untrusted: String,
    /// Team of Cebu.
    pub cebu_team: String,
    pub coordinator_da_nang: String,
    pub coordinator_cebu: String,
    pub researcher: String,
    pub admin: String,
}

/// Registers (or updates) a beach site of 100 m named by its code at `(lat, lon)`; its id.
pub fn beach(conn: &mut PgConnection, city_id: i64, code: &str, (lat, lon): (f64, f64)) -> i64 {
    let input = SiteInput { code, name: code, kind: "beach", lat, lon, reference_length_m: Some(100.0) };
    places::upsert_site(conn, &NewSite { city_id, site: input.check().unwrap() }).unwrap().id
}

/// Registers (or updates) a city and an NGO team of it, straight through the store: what an
/// importer's tests start from.
pub fn ngo_team(
    conn: &mut PgConnection,
    (city, country): (&str, &str),
    team: &str,
    trusted: bool,
) -> (places::City, teams::Team) {
    let city = places::upsert_city(conn, city, country).unwrap();
    let team = teams::upsert_team(conn, team, "ngo".parse().unwrap(), city.id, trusted).unwrap();
    (city, team)
}

/// A fresh database with one city and an NGO team of it ([`ngo_team`]), and a connection to it.
pub fn importers(city: (&str, &str), team: &str, trusted: bool) -> (TestDb, PgConnection, (places::City, teams::Team)) {
    let db = TestDb::new();
    let mut conn = db.connect();
    let city_and_team = ngo_team(&mut conn, city, team, trusted);
    (db, conn, city_and_team)
}

/// A fresh database holding the network, and a server on it: where most tests start.
pub fn served() -> (TestDb, Network, TestServer) {
    served_with(Settings::default())
}

/// [`served`], the server with `settings`.
pub fn served_with(settings: Settings) -> (TestDb, Network, TestServer) {
    let db = TestDb::new();
    let net = create(&db);
    let server = TestServer::start_with(db.pool(), settings);
    (db, net, server)
}

/// A fresh database holding the demonstration network with `surveys` surveys and `samples`
/// samples (seeded), and a connection to it.
pub fn demo_network(surveys: u64, samples: u64, seed: u64) -> (TestDb, PgConnection) {
    let db = TestDb::new();
    let mut conn = db.connect();
    tideline_api::demo::seed(&mut conn, surveys, samples, seed, |_, _, _| ()).unwrap();
    (db, conn)
}

/// A new researcher token's secret.
pub fn researcher_token(conn: &mut PgConnection) -> String {
    tokens::create(conn, "researcher".parse().unwrap(), None, None, "researcher", None).unwrap().1
}

/// Creates the network in `db`.
pub fn create(db: &TestDb) -> Network {
    let mut conn = db.connect();
    let c = &mut conn;
    let da_nang = places::upsert_city(c, "Da Nang", "VN").unwrap().id;
    let cebu = places::upsert_city(c, "Cebu", "PH").unwrap().id;
    let my_khe = beach(c, da_nang, "VN-DN-001", (16.0600, 108.2480));
    let cebu_site = beach(c, cebu, "PH-CB-001", (10.3157, 123.8854));
    let trusted_team = teams::upsert_team(c, "Green Da Nang", "community".parse().unwrap(), da_nang, true).unwrap().id;
    let untrusted_team = teams::upsert_team(c, "DN Students", "school".parse().unwrap(), da_nang, false).unwrap().id;
    let cebu_team = teams::upsert_team(c, "Cebu Coastal", "ngo".parse().unwrap(), cebu, true).unwrap().id;
    let token = |c: &mut _, role: &str, team, city| {
        tokens::create(c, role.parse().unwrap(), team, city, "test", None).unwrap().1
    };
    Network {
        da_nang,
        cebu,
        my_khe,
        cebu_site,
        trusted: token(c, "volunteer", Some(trusted_team), None),
        untrusted: token(c, "volunteer", Some(untrusted_team), None),
        cebu_team: token(c, "volunteer", Some(cebu_team), None),
        coordinator_da_nang: token(c, "coordinator", None, Some(da_nang)),
        coordinator_cebu: token(c, "coordinator", None, Some(cebu)),
        researcher: token(c, "researcher", None, None),
        admin: token(c, "admin", None, None),
    }
}
