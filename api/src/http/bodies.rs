//! The request bodies of surveys and samples as the OpenAPI document publishes them: one
//! survey schema per protocol (discriminated by `protocol`), the sample, and their batches.
//! These types are documentation only — the readers in `core::input` read the JSON and name
//! every bad field — and a test posts every documented field to keep the two in step.

use chrono::{DateTime, FixedOffset, NaiveDate};
use tideline_core::survey::{LitterSize, Origin, SurveyKind, SurveyType};
use utoipa::ToSchema;

/// A position, WGS 84.
#[derive(ToSchema)]
pub struct PointBody {
    /// Latitude, degrees.
    #[schema(example = 16.06)]
    pub lat: f64,
    /// Longitude, degrees.
    #[schema(example = 108.25)]
    pub lon: f64,
}

/// The two ends of a surveyed stretch.
#[derive(ToSchema)]
pub struct StretchBody {
    /// One end.
    pub start: PointBody,
    /// The other end.
    pub end: PointBody,
}

/// A quantity in a named unit.
#[derive(ToSchema)]
pub struct QuantityBody {
    /// The amount.
    pub value: f64,
    /// Lengths: m, km, ft, yd, mi; masses: kg, g, lb.
    pub unit: String,
}

/// The effort of a survey or cleanup.
#[derive(ToSchema)]
pub struct EffortBody {
    /// People taking part.
    pub participants: Option<u32>,
    /// Time spent, min.
    pub duration_min: Option<f64>,
    /// Mass collected, kg (or `mass`).
    pub mass_kg: Option<f64>,
    /// Mass collected in a unit (or `mass_kg`).
    pub mass: Option<QuantityBody>,
    /// Bags filled.
    pub bags: Option<u32>,
}

/// A count of one item code.
#[derive(ToSchema)]
pub struct ItemCountBody {
    /// The protocol's code or item name (`GET /v1/protocols/{protocol}` lists them).
    #[schema(example = "15")]
    pub code: String,
    /// How many.
    #[schema(example = 12)]
    pub count: u32,
    /// Weight of these items together, g (or `weight`), where the protocol weighs them.
    pub weight_g: Option<f64>,
    /// Weight in a unit: g, kg, lb (or `weight_g`).
    pub weight: Option<QuantityBody>,
    /// GESAMP size class.
    pub size_class: Option<LitterSize>,
    /// Domestic or foreign, as the items' printed text tells.
    pub origin: Option<Origin>,
}

/// One block or quadrat of a surveyed area (NOWPAP: 10 m × 10 m blocks inland from the water's edge).
#[derive(ToSchema)]
pub struct BlockBody {
    /// Along the shore, m.
    #[schema(example = 10)]
    pub length_m: f64,
    /// Inland, m.
    #[schema(example = 10)]
    pub width_m: f64,
}

/// A survey, whatever its protocol: the fields every survey envelope has.
#[derive(ToSchema)]
pub struct SurveyFieldsBody {
    /// The app's UUID for the record: a retry with it never creates a second copy.
    pub client_id: uuid::Uuid,
    /// A registered site (or `location`).
    pub site_id: Option<i64>,
    /// Where (or `site_id`): placed on the nearest site within 1 km.
    pub location: Option<PointBody>,
    /// The surveyed stretch's two ends.
    pub stretch: Option<StretchBody>,
    /// Local date (or `started_at`).
    pub date: Option<NaiveDate>,
    /// Start time with offset (or `date`).
    pub started_at: Option<DateTime<FixedOffset>>,
    /// Monitoring (the default) or cleanup.
    pub kind: Option<SurveyKind>,
    /// The protocol's survey type.
    pub survey_type: Option<SurveyType>,
    /// Surveyed length of shore, m (or `length`).
    pub length_m: Option<f64>,
    /// Surveyed length in a unit (or `length_m`).
    pub length: Option<QuantityBody>,
    /// Surveyed width, m (or `width`).
    pub width_m: Option<f64>,
    /// Surveyed width in a unit (or `width_m`).
    pub width: Option<QuantityBody>,
    /// The blocks or quadrats surveyed, when the protocol measures an area (or `area_m2`).
    pub blocks: Option<Vec<BlockBody>>,
    /// The surveyed area, m² (or `blocks`); otherwise length × width.
    pub area_m2: Option<f64>,
    /// Effort.
    pub effort: Option<EffortBody>,
    /// Counts by the protocol's item codes.
    pub items: Vec<ItemCountBody>,
}

/// A survey envelope, one schema per protocol (its `protocol` names which).
#[derive(ToSchema)]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum SurveyBody {
    /// OSPAR beach-litter monitoring: OSPAR type IDs 1–121 (or their names).
    #[schema(example = json!({"protocol": "ospar", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d11", "site_id": 1, "date": "2026-03-15", "length_m": 100, "items": [{"code": "15", "count": 12}, {"code": "Plastic: Drinks [4]", "count": 7}]}))]
    Ospar(SurveyFieldsBody),
    /// Marine LitterWatch / Master List G-codes.
    #[schema(example = json!({"protocol": "mlw", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d12", "site_id": 1, "date": "2026-03-15", "length_m": 100, "items": [{"code": "G21", "count": 5}]}))]
    Mlw(SurveyFieldsBody),
    /// Ocean Conservancy ICC / TIDES item names (cleanups).
    #[schema(example = json!({"protocol": "tides", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d13", "site_id": 1, "date": "2026-03-15", "kind": "cleanup", "effort": {"participants": 12, "mass": {"value": 8, "unit": "lb"}}, "items": [{"code": "Beverage Bottles (Plastic)", "count": 9}]}))]
    Tides(SurveyFieldsBody),
    /// NOAA MDMAP shoreline surveys.
    #[schema(example = json!({"protocol": "mdmap", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d14", "site_id": 1, "date": "2026-03-15", "length_m": 100, "width_m": 30, "items": [{"code": "plastic: beverage bottles", "count": 3}]}))]
    Mdmap(SurveyFieldsBody),
    /// Tideline's canonical categories.
    #[schema(example = json!({"protocol": "tideline", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d15", "site_id": 1, "date": "2026-03-15", "length_m": 100, "items": [{"code": "G21", "count": 5}]}))]
    Tideline(SurveyFieldsBody),
    /// A GESAMP (2019) material × size-class sheet: `material:size_class` codes (plastic,
    /// rubber, cloth, paper, wood, metal, glass, chemicals, other × mega, macro, meso, micro),
    /// usually weighed.
    #[schema(example = json!({"protocol": "gesamp", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d16", "site_id": 1, "date": "2026-03-15", "length_m": 50, "blocks": [{"length_m": 10, "width_m": 10}, {"length_m": 10, "width_m": 10}], "items": [{"code": "plastic:macro", "count": 20, "weight_g": 400}, {"code": "plastic:meso", "count": 50, "weight_g": 25}, {"code": "glass:macro", "count": 3, "weight_g": 600, "origin": "foreign"}]}))]
    Gesamp(SurveyFieldsBody),
    /// NOWPAP / NPEC beach litter: counted and weighed by material (plastic, styrene_foam,
    /// rubber, paper, cloth, glass_ceramics, metal, other) in 10 m × 10 m blocks; a material may
    /// be given twice, once per origin (domestic, foreign).
    #[schema(example = json!({"protocol": "nowpap", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d17", "site_id": 1, "date": "2026-05-12", "length_m": 10, "blocks": [{"length_m": 10, "width_m": 10}, {"length_m": 10, "width_m": 10}], "items": [{"code": "plastic", "count": 30, "weight_g": 450, "origin": "domestic"}, {"code": "plastic", "count": 12, "weight_g": 300, "origin": "foreign"}, {"code": "styrene_foam", "count": 25, "weight_g": 60}]}))]
    Nowpap(SurveyFieldsBody),
    /// China's national beach-litter monitoring: `material:size` codes (plastic, foam, glass,
    /// metal, rubber, fabric, wood, paper, other × small < 2.5 cm, medium 2.5–10 cm, large
    /// 10 cm–1 m, extra_large > 1 m), counted and weighed per 100 m².
    #[schema(example = json!({"protocol": "china", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d18", "site_id": 1, "date": "2026-05-14", "length_m": 100, "width_m": 10, "items": [{"code": "plastic:small", "count": 55, "weight_g": 30}, {"code": "plastic:medium", "count": 40, "weight_g": 200}, {"code": "wood:large", "count": 3, "weight_g": 900}]}))]
    China(SurveyFieldsBody),
    /// Indonesia's KLHK guideline: UNEP/IOC (2009) codes PL01 … OT05, counted and weighed, a
    /// code's macro and meso litter apart (`PL07:macro`, `PL07:meso`).
    #[schema(example = json!({"protocol": "klhk", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d19", "site_id": 1, "date": "2026-05-16", "length_m": 100, "width_m": 10, "items": [{"code": "PL07:macro", "count": 15, "weight_g": 120}, {"code": "PL07:meso", "count": 40, "weight_g": 20}, {"code": "GC02", "count": 2, "weight_g": 700}]}))]
    Klhk(SurveyFieldsBody),
    /// Viet Nam: the Fulbright Vietnam Project sheet's item names, counted and, where weighed,
    /// weighed.
    #[schema(example = json!({"protocol": "vietnam", "client_id": "0b6e2f4c-3f5e-4c1b-9c55-2a7f2b0e9d20", "site_id": 1, "date": "2026-05-18", "length_m": 50, "width_m": 10, "items": [{"code": "Plastic Bag", "count": 25, "weight_g": 150}, {"code": "Foam Cup or Container", "count": 10, "weight_g": 40}]}))]
    Vietnam(SurveyFieldsBody),
}

/// Flowmeter readings of a tow.
#[derive(ToSchema)]
pub struct FlowmeterBody {
    /// Reading at the start.
    pub start: u32,
    /// Reading at the end (past a rollover of 999 999 counts on).
    pub end: u32,
    /// The rotor constant, m per count (the General Oceanics 2030R's 26 873 / 999 999 when absent).
    pub rotor_m_per_count: Option<f64>,
}

/// A count of microplastic particles.
#[derive(ToSchema)]
pub struct ParticleCountBody {
    /// Fragment, fibre (fiber), film, foam, pellet, line …
    #[schema(example = "fragment")]
    pub shape: String,
    /// Polymer (PE, PP, PS, PET/polyester …).
    #[schema(example = "PE")]
    pub polymer: String,
    /// Size class (micro, 1-5 mm …).
    #[schema(example = "1-5 mm")]
    pub size_class: String,
    /// How many.
    #[schema(example = 30)]
    pub count: u64,
}

/// A microplastic sample envelope.
#[derive(ToSchema)]
#[schema(example = json!({"client_id": "6a1f8c2e-1d4b-4f0e-8a77-3c9b5e2d7f10", "site_id": 2, "date": "2026-05-02", "matrix": "surface_water", "method": "manta_net", "mesh_um": 333, "flowmeter": {"start": 0, "end": 58963}, "net_width_m": 0.6, "mouth_area_m2": 0.09, "particles": [{"shape": "fragment", "polymer": "PE", "size_class": "1-5 mm", "count": 30}]}))]
pub struct SampleBody {
    /// The app's UUID for the record.
    pub client_id: uuid::Uuid,
    /// `tideline`, the only sample protocol.
    pub protocol: Option<String>,
    /// A registered site (or `location`).
    pub site_id: Option<i64>,
    /// Where (or `site_id`).
    pub location: Option<PointBody>,
    /// Local date (or `started_at`).
    pub date: Option<NaiveDate>,
    /// Start time with offset (or `date`).
    pub started_at: Option<DateTime<FixedOffset>>,
    /// surface_water, river_water, beach_sediment, river_sediment or seafloor_sediment.
    pub matrix: String,
    /// manta_net, neuston_net, pump, grab, quadrat or core.
    pub method: String,
    /// Mesh, µm.
    pub mesh_um: Option<f64>,
    /// Flowmeter readings (or `tow_distance_m`).
    pub flowmeter: Option<FlowmeterBody>,
    /// Tow distance, m (or `flowmeter`).
    pub tow_distance_m: Option<f64>,
    /// Tow duration, min.
    pub tow_duration_min: Option<f64>,
    /// Net mouth width, m.
    pub net_width_m: Option<f64>,
    /// Net mouth area, m².
    pub mouth_area_m2: Option<f64>,
    /// Volume filtered, m³ (pumps).
    pub filtered_volume_m3: Option<f64>,
    /// Dry mass of a sediment sample, kg.
    pub dry_mass_kg: Option<f64>,
    /// Area sampled, m².
    pub area_m2: Option<f64>,
    /// Particle counts.
    pub particles: Vec<ParticleCountBody>,
}

/// A batch of surveys.
#[derive(ToSchema)]
pub struct SurveyBatchBody {
    /// Up to 1 000 surveys, each as posted to `/v1/surveys`.
    pub records: Vec<SurveyBody>,
}

/// A batch of samples.
#[derive(ToSchema)]
pub struct SampleBatchBody {
    /// Up to 1 000 samples, each as posted to `/v1/samples`.
    pub records: Vec<SampleBody>,
}
