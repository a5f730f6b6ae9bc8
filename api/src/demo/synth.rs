//! Deterministic synthetic records for the demonstration network: heavy-tailed totals around a
//! per-site level, a per-site trend (some improving, some worsening), a monsoon-like season,
//! each protocol's own litter profile, and a few implausible records that get flagged.

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use tideline_core::protocol::Protocol;
use tideline_core::survey::{Effort, GeoPoint, SourceCount, SurveyInput, SurveyKind, SurveyType};

/// SplitMix64: small, fast and good enough for synthetic data; the same seed gives the same data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` and a stream `key` (record index, site id …).
    pub fn new(seed: u64, key: u64) -> Self {
        let mut rng = Self(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.bits();
        rng
    }

    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [low, high).
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// An index below `n`.
    pub fn index(&mut self, n: usize) -> usize {
        (self.bits() % n.max(1) as u64) as usize
    }
}

/// A site with what the generator needs of it.
#[derive(Debug, Clone)]
pub struct DemoSite {
    /// Site id.
    pub id: i64,
    /// What the site is.
    pub kind: tideline_core::vocabulary::SiteKind,
    /// Position.
    pub location: GeoPoint,
}

/// The first day of synthetic records.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default()
}

/// The last day of synthetic records (fixed, so the same seed gives the same data any day).
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default()
}

/// A site's level (median items/100 m) and yearly trend factor, fixed by seed and site.
fn site_character(seed: u64, site: i64) -> (f64, f64) {
    let mut rng = Rng::new(seed, 1_000_003 * site as u64);
    let level = (4.3 + 0.7 * rng.normal()).exp();
    let trend = rng.range(-0.30, 0.20);
    (level, trend)
}

/// Synthetic survey number `index` of a team recording in `protocol` at `site`.
pub fn survey(seed: u64, index: u64, protocol: Protocol, profile: &[(String, f64)], site: &DemoSite) -> SurveyInput {
    let mut rng = Rng::new(seed, index);
    let span = (last_day() - first_day()).num_days();
    let date = first_day() + chrono::Duration::days((rng.unit() * span as f64) as i64);
    let years = (date - first_day()).num_days() as f64 / 365.25;
    let (level, trend) = site_character(seed, site.id);
    let season = 1.0 + 0.35 * (std::f64::consts::TAU * (f64::from(date.ordinal()) - 80.0) / 365.25).sin();
    let total = level * (trend * years).exp() * season * (0.6 * rng.normal()).exp();
    let weight: f64 = profile.iter().map(|(_, w)| w).sum();
    let mut items: Vec<SourceCount> = profile
        .iter()
        .enumerate()
        .map(|(i, (code, w))| SourceCount {
            code: code.clone(),
            count: (total * w / weight * (0.4 * rng.normal()).exp()).round().max(0.0) as u32,
            pointer: format!("/items/{i}"),
            measure: Default::default(),
        })
        .filter(|item| item.count > 0)
        .collect();
    let cleanup = protocol == Protocol::Tides;
    let mut input =
        SurveyInput::new(protocol, if cleanup { SurveyKind::Cleanup } else { SurveyKind::Monitoring }, date);
    input.location = Some(site.location);
    if cleanup {
        let miles = rng.range(0.1, 0.8);
        input.length_m = Some(miles * tideline_core::units::METRES_PER_MILE);
        input.length_from_miles = true;
        for item in &mut items {
            item.count = (f64::from(item.count) * miles * 16.0).round() as u32;
        }
        input.effort = Effort {
            participants: Some(5 + rng.index(60) as u32),
            duration_min: Some(rng.range(60.0, 180.0).round()),
            mass_kg: Some((rng.range(0.02, 0.06) * items.iter().map(|i| f64::from(i.count)).sum::<f64>()).round()),
            bags: Some(1 + rng.index(20) as u32),
        };
    } else {
        input.length_m = Some(100.0);
        if protocol == Protocol::Nowpap {
            // two columns of 10 m × 10 m blocks from the water's edge inland, 2–4 deep
            input.length_m = Some(20.0);
            input.area_m2 = Some(200.0 * (2 + rng.index(3)) as f64);
        } else if protocol == Protocol::Mdmap || protocol.is_weighed_sheet() || rng.unit() < 0.4 {
            input.width_m = Some(rng.range(15.0, 45.0).round());
        }
        if protocol == Protocol::Mdmap {
            input.survey_type =
                Some(if rng.unit() < 0.8 { SurveyType::Accumulation } else { SurveyType::StandingStock });
        }
    }
    // A few implausible records, which the validation flags for review.
    match index % 101 {
        7 => input.length_m = Some(8.0),
        31 => {
            if let Some(first) = items.first_mut() {
                first.count = 12_500;
            }
        }
        59 => input.location = Some(GeoPoint { lat: 0.0, lon: 0.0 }),
        _ => {}
    }
    if protocol.is_weighed_sheet() {
        // the region's sheets are weighed: each line at its typical grams per item, give or take
        for item in &mut items {
            let grams = grams_per_item(&item.code).unwrap_or(10.0) * f64::from(item.count);
            item.measure.weight_g = Some((grams * (0.3 * rng.normal()).exp() * 10.0).round().max(1.0) / 10.0);
        }
    }
    input.items = items;
    input
}

const ITEM_GRAMS_CSV: &str = include_str!("../../../fixtures/network/demo-item-grams.csv");

/// Typical grams per item of a weighed sheet's line (`fixtures/network/demo-item-grams.csv`).
fn grams_per_item(code: &str) -> Option<f64> {
    static GRAMS: std::sync::OnceLock<std::collections::HashMap<String, f64>> = std::sync::OnceLock::new();
    GRAMS
        .get_or_init(|| {
            let mut reader = csv::Reader::from_reader(ITEM_GRAMS_CSV.as_bytes());
            reader
                .records()
                .filter_map(Result::ok)
                .filter_map(|r| Some((r.get(0)?.to_string(), r.get(1)?.parse().ok()?)))
                .collect()
        })
        .get(code)
        .copied()
}

fn weighted<'a>(rng: &mut Rng, options: &[(&'a str, f64)]) -> &'a str {
    let total: f64 = options.iter().map(|(_, w)| w).sum();
    let mut pick = rng.unit() * total;
    for (name, weight) in options {
        if pick < *weight {
            return name;
        }
        pick -= weight;
    }
    options.last().map_or("", |(n, _)| n)
}

/// Synthetic microplastic sample number `index` at `site`, as a posted JSON envelope.
pub fn sample(seed: u64, index: u64, site: &DemoSite, client_id: uuid::Uuid) -> Value {
    let mut rng = Rng::new(seed ^ 0x5A5A, index);
    let span = (last_day() - first_day()).num_days();
    let date = first_day() + chrono::Duration::days((rng.unit() * span as f64) as i64);
    let (level, _) = site_character(seed, site.id);
    let mut body = json!({"client_id": client_id.to_string(), "site_id": site.id, "date": date.to_string()});
    let particles_total;
    match site.kind.as_str() {
        "beach" => {
            let area = 0.25;
            particles_total = (level * 2.0 * (0.7 * rng.normal()).exp() * area).round().max(1.0);
            body["matrix"] = json!("beach_sediment");
            body["method"] = json!("quadrat");
            body["area_m2"] = json!(area);
            body["mesh_um"] = json!(1000);
        }
        "river" => {
            let volume = rng.range(1.0, 10.0).round();
            particles_total = (level / 40.0 * volume * (0.8 * rng.normal()).exp()).round().max(0.0);
            body["matrix"] = json!("river_water");
            body["method"] = json!("pump");
            body["filtered_volume_m3"] = json!(volume);
            body["mesh_um"] = json!(300);
        }
        _ => {
            let start = rng.index(999_999) as u64;
            let counts = 20_000 + rng.index(60_000) as u64;
            let end = (start + counts) % 1_000_000;
            let volume = counts as f64 * 26_873.0 / 999_999.0 * 0.09;
            particles_total = (level / 200.0 * volume * (0.8 * rng.normal()).exp()).round().max(0.0);
            body["matrix"] = json!("surface_water");
            body["method"] = json!("manta_net");
            body["flowmeter"] = json!({"start": start, "end": end});
            body["net_width_m"] = json!(0.6);
            body["mouth_area_m2"] = json!(0.09);
            body["mesh_um"] = json!(333);
        }
    }
    let shapes = [("fragment", 45.0), ("fibre", 25.0), ("film", 15.0), ("foam", 10.0), ("pellet", 5.0)];
    let polymers =
        [("PE", 40.0), ("PP", 25.0), ("PS", 10.0), ("PET", 10.0), ("PA", 5.0), ("PVC", 3.0), ("unknown", 7.0)];
    let sizes = [("1-5 mm", 60.0), ("0.3-1 mm", 30.0), ("meso", 10.0)];
    let mut counts: std::collections::BTreeMap<(&str, &str, &str), u32> = Default::default();
    for _ in 0..(particles_total as u64).min(400) {
        *counts
            .entry((weighted(&mut rng, &shapes), weighted(&mut rng, &polymers), weighted(&mut rng, &sizes)))
            .or_default() += 1;
    }
    let scale = if particles_total > 400.0 { particles_total / 400.0 } else { 1.0 };
    body["particles"] = Value::Array(
        counts
            .into_iter()
            .map(|((shape, polymer, size), n)| {
                json!({"shape": shape, "polymer": polymer, "size_class": size, "count": (f64::from(n) * scale).round() as u64})
            })
            .collect(),
    );
    body
}
