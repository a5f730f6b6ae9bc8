//! Criterion benchmarks of the domain: normalising a 150-category survey, the statistics of
//! 100 000 surveys, and the trend of one site's 1 900 surveys (below the monthly-median
//! switch, so every pair counts), each next to a naive baseline computed in the same run.

use chrono::{Datelike, NaiveDate};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tideline_core::category::CategoryTree;
use tideline_core::protocol::Protocol;
use tideline_core::stats::composition::top_x;
use tideline_core::stats::descriptive::{median, summarise};
use tideline_core::stats::indices::eu_threshold_status;
use tideline_core::stats::trend::dated_trend;
use tideline_core::survey::{normalise, SourceCount, SurveyInput, SurveyKind};

fn survey_of_150_categories() -> SurveyInput {
    let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut input = SurveyInput::new(Protocol::Mlw, SurveyKind::Monitoring, date);
    input.length_m = Some(100.0);
    input.width_m = Some(20.0);
    input.items = Protocol::Mlw
        .table()
        .rows()
        .iter()
        .take(150)
        .enumerate()
        .map(|(i, row)| SourceCount {
            code: row.source_code.clone(),
            count: (i as u32 * 7) % 50,
            pointer: format!("/items/{i}"),
            measure: Default::default(),
        })
        .collect();
    input
}

/// A deterministic heavy-tailed series of 100 000 surveys over 10 years.
fn surveys_100k() -> Vec<(NaiveDate, f64)> {
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let mut state: u64 = 42;
    (0..100_000)
        .map(|i| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let u = ((state >> 11) as f64 / (1u64 << 53) as f64).max(1e-12);
            (start + chrono::Duration::days(i % 3650), 50.0 * u.powf(-0.5))
        })
        .collect()
}

fn normalisation(c: &mut Criterion) {
    let input = survey_of_150_categories();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut group = c.benchmark_group("normalise_150_categories");
    group.bench_function("tideline", |b| b.iter(|| normalise(black_box(input.clone()), today)));
    // Baseline: only cloning the input and summing its counts (the floor of any normalisation).
    group.bench_function("baseline_clone_and_sum", |b| {
        b.iter(|| black_box(input.clone()).items.iter().map(|i| u64::from(i.count)).sum::<u64>())
    });
    group.finish();
}

fn statistics(c: &mut Criterion) {
    let surveys = surveys_100k();
    let values: Vec<f64> = surveys.iter().map(|(_, v)| *v).collect();
    let tree = CategoryTree::global();
    let counts: Vec<(String, u64)> =
        tree.iter().enumerate().map(|(i, c)| (c.code.clone(), (i as u64 * 97) % 1000)).collect();
    let mut group = c.benchmark_group("statistics_100k_surveys");
    group.sample_size(20);
    group.bench_function("summary_threshold_topx_trend", |b| {
        b.iter(|| {
            let summary = summarise(black_box(&values));
            let threshold = eu_threshold_status(&values);
            let top = top_x(counts.clone());
            let trend = dated_trend(&surveys);
            (summary, threshold, top.len(), trend)
        })
    });
    // Baseline: one sort of the values, which any exact median needs.
    group.bench_function("baseline_sort", |b| {
        b.iter(|| {
            let mut v = black_box(&values).clone();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        })
    });
    group.finish();
}

fn site_trend(c: &mut Criterion) {
    let points: Vec<(NaiveDate, f64)> = surveys_100k().into_iter().take(1_900).collect();
    let t: Vec<f64> = points.iter().map(|(d, _)| f64::from(d.num_days_from_ce()) / 365.25).collect();
    let y: Vec<f64> = points.iter().map(|(_, v)| *v).collect();
    let mut group = c.benchmark_group("trend_one_site_1900_surveys");
    group.sample_size(20);
    group.bench_function("tideline", |b| b.iter(|| dated_trend(black_box(&points))));
    // Baseline: the definitions, every pair visited: Kendall's S and the median of all slopes.
    group.bench_function("baseline_every_pair", |b| {
        b.iter(|| {
            let (t, y) = (black_box(&t), black_box(&y));
            let (mut s, mut slopes) = (0i64, Vec::with_capacity(t.len() * t.len() / 2));
            for i in 0..t.len() {
                for j in i + 1..t.len() {
                    s += ((t[j] - t[i]).signum() * (y[j] - y[i]).signum()) as i64;
                    if t[j] != t[i] {
                        slopes.push((y[j] - y[i]) / (t[j] - t[i]));
                    }
                }
            }
            (s, median(&slopes))
        })
    });
    group.finish();
}

criterion_group!(benches, normalisation, statistics, site_trend);
criterion_main!(benches);
