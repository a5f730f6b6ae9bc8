//! What a page shows, built from the statistics `core` computed: each figure to its meaningful
//! precision, each verdict in the reader's words. Templates only lay these out.

use serde_json::{json, Value};
use tideline_core::i18n::{self, Language};
use tideline_core::precision::{format_figure, DecimalMark, Precision};
use tideline_core::stats::reading::{Standing, TrendVerdict};
use tideline_core::stats::scope::{BeachLitterStats, MicroplasticStats};
use tideline_core::stats::trend::Trend;

use super::ui_text::Words;

/// How one reader sees the pages: the words and the number format of their language.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// The words.
    pub words: Words,
    /// Decimal comma for Vietnamese and Indonesian, point otherwise.
    pub mark: DecimalMark,
}

impl Reader {
    /// The reader of `language`.
    pub fn new(language: Language) -> Self {
        let mark = match language {
            Language::Vi | Language::Id => DecimalMark::Comma,
            _ => DecimalMark::Point,
        };
        Self { words: Words(language), mark }
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.words.0
    }

    /// A figure to `precision`, or `–` when absent.
    pub fn figure(&self, value: Option<f64>, precision: Precision) -> String {
        value.map(|v| format_figure(v, precision, self.mark)).unwrap_or_else(|| "–".into())
    }

    /// Items per 100 m, one decimal.
    pub fn density(&self, value: Option<f64>) -> String {
        self.figure(value, Precision::DENSITY)
    }
}

/// A scope's status against the EU threshold: its class (`meets`, `exceeds`, `insufficient`,
/// `not_assessed` when none of its surveys follows the EU method, `none` without surveys),
/// label, the median and n it is judged on, and the sentence explaining it.
pub fn status(reader: &Reader, beach: &BeachLitterStats) -> Value {
    let w = &reader.words;
    let (standing, median, n) = Standing::of(&beach.eu_threshold, beach.surveys);
    let class = standing.as_str();
    let values = [("n", n.to_string()), ("median", reader.density(median)), ("surveys", beach.surveys.to_string())];
    let explanation = match standing {
        Standing::None => String::new(),
        _ => w.say(&format!("explain_{class}"), &values),
    };
    json!({
        "class": class,
        "label": w.get(&format!("status_{class}")),
        "median": median.map(|m| reader.density(Some(m))),
        "n": n,
        "explanation": explanation,
    })
}

/// The trend in words: the verdict's class and its sentence with slope and p.
pub fn trend(reader: &Reader, trend: Option<&Trend>) -> Value {
    let Some(trend) = trend else {
        return json!({ "class": "missing", "sentence": reader.words.get("trend_missing") });
    };
    let verdict = TrendVerdict::of(trend);
    let values = [
        ("slope", reader.density(Some(trend.slope_per_year.abs()))),
        ("p", reader.figure(Some(trend.mann_kendall.p), Precision::P_VALUE)),
    ];
    json!({ "class": verdict.as_str(), "sentence": reader.words.say(&format!("trend_{}", verdict.as_str()), &values) })
}

/// The headline figures, top items, composition, microplastics and cleanup effort of a scope.
pub fn figures(reader: &Reader, beach: &BeachLitterStats, micro: &MicroplasticStats) -> Value {
    let language = reader.language();
    let top_share = beach.top_x.first().map_or(1.0, |t| t.share).max(f64::EPSILON);
    let top: Vec<Value> = beach
        .top_x
        .iter()
        .map(|t| {
            json!({
                "code": t.code,
                "name": i18n::name(&format!("category:{}", t.code), language, &t.name),
                "count": t.count,
                "share": reader.figure(Some(t.share), Precision::SHARE),
                "width": (t.share / top_share * 100.0).round(),
            })
        })
        .collect();
    let materials: Vec<Value> = beach
        .materials
        .iter()
        .map(|m| {
            json!({
                "name": i18n::name(&format!("material:{}", m.code), language, &m.code),
                "count": m.count,
                "share": reader.figure(Some(m.share), Precision::SHARE),
            })
        })
        .collect();
    let matrices: Vec<Value> = micro
        .by_matrix
        .iter()
        .map(|m| {
            // each matrix in its own unit: water per m³ (or km² of surface), sediment per kg or m²
            let (median, unit) = [
                (m.median_particles_per_m3, "/m³"),
                (m.median_particles_per_km2, "/km²"),
                (m.median_particles_per_kg, "/kg"),
                (m.median_particles_per_m2, "/m²"),
            ]
            .into_iter()
            .find(|(value, _)| value.is_some())
            .unwrap_or((None, ""));
            json!({
                "matrix": m.matrix,
                "samples": m.samples,
                "median": format!("{} {unit}", reader.figure(median, Precision::Significant(3))).trim().to_string(),
                "class": m.density_class.map(|c| reader.words.get(&format!("density_{c}"))),
            })
        })
        .collect();
    let effort = &beach.cleanup_effort;
    json!({
        "surveys": beach.surveys,
        "items": beach.total_items,
        "median": reader.density(beach.items_per_100m.as_ref().map(|s| s.median)),
        "plastic_share": reader.figure(beach.plastic_share, Precision::SHARE),
        "samples": micro.samples,
        "top": top,
        "materials": materials,
        "micro": matrices,
        "cleanup": (effort.cleanups > 0).then(|| json!({
            "cleanups": effort.cleanups,
            "participants": effort.participants,
            "mass_kg": reader.figure(Some(effort.mass_kg), Precision::Decimals(1)),
            "bags": effort.bags,
        })),
    })
}

/// JSON for a `<script>` element: `</` written so it cannot close the element.
pub fn script_json(value: &Value) -> String {
    value.to_string().replace("</", "<\\/")
}
