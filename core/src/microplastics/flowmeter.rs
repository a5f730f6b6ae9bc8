//! Mechanical flowmeters (General Oceanics 2030): distance towed from two counter readings.
//! The six-digit counter rolls over from 999 999 to 000 000.

/// Counter values per full turn of the six-digit register.
pub const COUNTER_MODULUS: u32 = 1_000_000;
/// Metres per count of the General Oceanics standard rotor: 26 873 / 999 999.
pub const STANDARD_ROTOR_M_PER_COUNT: f64 = 26_873.0 / 999_999.0;

/// Counts between two readings; a smaller end reading means the counter rolled over once.
/// Returns the counts and whether a rollover was assumed.
pub fn counts_between(start: u32, end: u32) -> (u32, bool) {
    if end >= start {
        (end - start, false)
    } else {
        (COUNTER_MODULUS - start + end, true)
    }
}

/// Distance in metres for `counts` with a rotor constant in metres per count.
pub fn distance_m(counts: u32, metres_per_count: f64) -> f64 {
    f64::from(counts) * metres_per_count
}
