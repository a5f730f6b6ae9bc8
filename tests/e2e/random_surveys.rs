//! A seeded generator of random surveys (OSPAR and Master List codes, monitoring and cleanups,
//! widths, effort, and now and then a place near no site), shared by the tests that replay a
//! random run of writes.

use chrono::NaiveDate;
use serde_json::{json, Value};

/// A pinned xorshift generator: the run is the same on every machine.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A random survey at one of `sites` (or, one time in ten, at a place near no site).
pub fn random_survey(rng: &mut Rng, n: usize, sites: &[i64]) -> Value {
    let date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(rng.below(900) as i64);
    let mut body = if rng.below(2) == 0 {
        json!({"protocol": "ospar", "items": [{"code": "15", "count": rng.below(40)}, {"code": "64", "count": rng.below(90)},
               {"code": "Plastic: Drinks [4]", "count": rng.below(12)}]})
    } else {
        json!({"protocol": "mlw", "items": [{"code": "G21", "count": rng.below(30)}, {"code": "G27", "count": rng.below(70)},
               {"code": "G178", "count": rng.below(9)}]})
    };
    body["client_id"] = json!(format!("5e1f0000-0000-4000-8000-{n:012}"));
    body["date"] = json!(date.to_string());
    body["length_m"] = json!(20 + rng.below(180));
    if rng.below(3) == 0 {
        body["width_m"] = json!(5 + rng.below(40));
    }
    if rng.below(4) == 0 {
        body["kind"] = json!("cleanup");
        body["effort"] = json!({"participants": 1 + rng.below(30), "mass_kg": rng.below(50) as f64 / 4.0});
    }
    if rng.below(10) == 0 {
        body["location"] = json!({"lat": 16.2, "lon": 108.4});
    } else {
        body["site_id"] = json!(sites[rng.below(sites.len())]);
    }
    body
}
