//! How figures are written for people: each quantity to the precision it is meaningful to
//! (items/100 m to one decimal, shares as percentages, p-values to three significant digits),
//! never `-0`, with a decimal point or a decimal comma; and the other choices a CSV download
//! offers (separator, layout).

pub use crate::vocabulary::{DecimalMark, ExportLayout, Separator};

/// How many digits a figure keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// A fixed number of decimals (items/100 m: 1; coordinates: 5; kilograms: 1).
    Decimals(u8),
    /// A number of significant digits (p-values, particle densities, items/m²: 3).
    Significant(u8),
    /// A share 0–1 written as a percentage with this many decimals (0.9043 → 90.4).
    Percent(u8),
    /// Every digit (the shortest text that reads back as the same number): raw exports.
    Exact,
}

impl Precision {
    /// Densities per length or area (items/100 m, items/100 m², g/100 m²).
    pub const DENSITY: Self = Self::Decimals(1);
    /// Test statistics' p-values and other small quantities spanning magnitudes.
    pub const P_VALUE: Self = Self::Significant(3);
    /// Shares of a total.
    pub const SHARE: Self = Self::Percent(1);
    /// Latitude and longitude (about 1 m).
    pub const COORDINATE: Self = Self::Decimals(5);
}

/// `value` written to `precision` with `mark`; `-0` (from rounding or arithmetic) is `0`, and
/// a value that is not finite is empty.
pub fn format_figure(value: f64, precision: Precision, mark: DecimalMark) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = match precision {
        Precision::Decimals(places) => format!("{:.*}", places as usize, value),
        Precision::Percent(places) => format!("{:.*}", places as usize, value * 100.0),
        Precision::Significant(digits) => significant(value, digits.max(1)),
        Precision::Exact => value.to_string(),
    };
    let text = if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    };
    match mark {
        DecimalMark::Point => text,
        DecimalMark::Comma => text.replace('.', ","),
    }
}

/// `value` rounded to `digits` significant digits, in plain (not scientific) notation.
fn significant(value: f64, digits: u8) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let factor = 10f64.powi(digits as i32 - 1 - magnitude);
    let rounded = (value * factor).round() / factor;
    format!("{rounded:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(value: f64, precision: Precision) -> String {
        format_figure(value, precision, DecimalMark::Point)
    }

    #[test]
    fn each_quantity_to_its_meaningful_precision() {
        // the figures city officials were given with 15 decimals
        assert_eq!(point(348.844262295082, Precision::DENSITY), "348.8");
        assert_eq!(point(0.9043506078055022, Precision::SHARE), "90.4");
        assert_eq!(point(6.414071063237256e-05, Precision::P_VALUE), "0.0000641");
        assert_eq!(point(0.015733642242096915, Precision::P_VALUE), "0.0157");
        assert_eq!(point(0.5, Precision::P_VALUE), "0.500");
        assert_eq!(point(1234.5, Precision::Significant(3)), "1230");
        assert_eq!(point(121.35412345, Precision::COORDINATE), "121.35412");
        assert_eq!(point(0.1 + 0.2, Precision::Exact), "0.30000000000000004");
    }

    #[test]
    fn no_negative_zero() {
        assert_eq!(point(-0.0, Precision::Decimals(1)), "0.0");
        assert_eq!(point(-0.0, Precision::Exact), "0");
        assert_eq!(point(-0.04, Precision::DENSITY), "0.0");
        assert_eq!(point(-0.0004, Precision::SHARE), "0.0");
        assert_eq!(point(-0.06, Precision::DENSITY), "-0.1");
        assert_eq!(point(-9.317834187959368, Precision::DENSITY), "-9.3");
        assert_eq!(point(f64::NAN, Precision::DENSITY), "");
    }

    #[test]
    fn decimal_comma() {
        assert_eq!(format_figure(348.844, Precision::DENSITY, DecimalMark::Comma), "348,8");
        assert_eq!(format_figure(2.0, Precision::Exact, DecimalMark::Comma), "2");
        assert_eq!(format_figure(-0.00641, Precision::P_VALUE, DecimalMark::Comma), "-0,00641");
    }
}
