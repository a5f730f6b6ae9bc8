//! The pages' charts, drawn on the server as SVG (plotters): items per 100 m per survey with
//! each site's Theil–Sen line and the EU threshold, and the composition by material.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use tideline_core::stats::indices::EU_THRESHOLD_PER_100M;
use tideline_core::stats::reading::trend_line;

/// The colour of the `index`-th site (also shown beside its name in the legend).
pub fn site_colour(index: usize) -> RGBColor {
    const COLOURS: [RGBColor; 8] = [
        RGBColor(11, 79, 108),
        RGBColor(230, 126, 34),
        RGBColor(142, 68, 173),
        RGBColor(39, 174, 96),
        RGBColor(192, 57, 43),
        RGBColor(41, 128, 185),
        RGBColor(127, 140, 141),
        RGBColor(211, 84, 0),
    ];
    COLOURS[index % COLOURS.len()]
}

/// A colour as CSS `#rrggbb`.
pub fn css(colour: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", colour.0, colour.1, colour.2)
}

/// A date as a decimal year.
fn year(date: NaiveDate) -> f64 {
    date.year() as f64 + f64::from(date.ordinal0()) / 365.25
}

/// Items per 100 m of each survey, one series (and colour) per site, each with its Theil–Sen
/// line, and the EU threshold as a dashed line. Empty when there is nothing to draw.
pub fn trend_chart(series: &[Vec<(NaiveDate, f64)>], width: u32, height: u32) -> String {
    let points: Vec<&(NaiveDate, f64)> = series.iter().flatten().collect();
    let (Some(first), Some(last)) = (points.iter().map(|p| p.0).min(), points.iter().map(|p| p.0).max()) else {
        return String::new();
    };
    let top = points.iter().map(|p| p.1).fold(EU_THRESHOLD_PER_100M, f64::max) * 1.08;
    let (from, to) = (year(first).floor(), (year(last) + 0.01).ceil());
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(from..to, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .label_style(("sans-serif", 13))
            .x_labels(((to - from) as usize + 1).min(12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("items/100 m")
            .draw()?;
        let threshold = [(from, EU_THRESHOLD_PER_100M), (to, EU_THRESHOLD_PER_100M)];
        chart.draw_series(DashedLineSeries::new(threshold, 6, 4, BLACK.stroke_width(1)))?;
        for (index, points) in series.iter().enumerate() {
            let colour = site_colour(index);
            chart.draw_series(points.iter().map(|(d, v)| Circle::new((year(*d), *v), 2, colour.mix(0.55).filled())))?;
            if let Some([(a, y0), (b, y1)]) = trend_line(points) {
                chart.draw_series(LineSeries::new([(year(a), y0), (year(b), y1)], colour.stroke_width(3)))?;
            }
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return String::new();
    }
    svg
}

/// Horizontal bars of each (name, share 0–1), in percent.
pub fn share_chart(shares: &[(String, f64)], width: u32) -> String {
    if shares.is_empty() {
        return String::new();
    }
    let height = 40 + 26 * shares.len() as u32;
    let names: Vec<String> = shares.iter().map(|(name, _)| name.clone()).collect();
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let rows = shares.len() as i32;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..100f64, (0..rows).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .label_style(("sans-serif", 14))
            .x_label_formatter(&|x| format!("{x:.0} %"))
            .y_label_formatter(&|row| match row {
                SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()?;
        chart.draw_series(
            Histogram::horizontal(&chart)
                .style(site_colour(0).filled())
                .margin(4)
                .data(shares.iter().enumerate().map(|(i, (_, share))| (i as i32, share * 100.0))),
        )?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return String::new();
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_chart_has_every_survey_and_a_line_per_site() {
        let day = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        let a: Vec<(NaiveDate, f64)> =
            (0..12).map(|i| (day(2020 + i / 4, 1 + (i % 4) as u32 * 3), 100.0 - i as f64)).collect();
        let b: Vec<(NaiveDate, f64)> = (0..6).map(|i| (day(2021, 1 + i as u32), 30.0)).collect();
        let svg = trend_chart(&[a, b], 640, 300);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<circle").count(), 18);
        assert!(svg.contains("items/100 m"));
        assert_eq!(trend_chart(&[], 640, 300), "");
    }

    #[test]
    fn a_share_chart_names_every_material() {
        let svg = share_chart(&[("Plastic".into(), 0.9), ("Paper & card".into(), 0.1)], 600);
        assert!(svg.contains("Plastic"));
        assert!(svg.contains("Paper &amp; card") || !svg.contains("Paper & card"), "text is escaped");
    }
}
