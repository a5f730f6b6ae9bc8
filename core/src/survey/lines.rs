//! The code each item line of a survey is stored under: its mapped code, once per survey. A
//! code may repeat only for lines of different origins (NOWPAP records a material's domestic
//! and foreign items apart); such lines are stored as `code@origin` (`plastic@foreign`).

use std::collections::HashMap;

use crate::protocol::Mapping;
use crate::survey::Origin;

/// What makes a line one of its own: its stored code and its origin (none given is unknown).
pub fn line_key(mapping: &Mapping<'_>, origin: Option<Origin>) -> (String, Origin) {
    (mapping.stored_code(), origin.unwrap_or(Origin::Unknown))
}

/// Why a line that repeats another's code and origin is refused.
pub fn repeated_line(code: &str) -> String {
    format!("`{code}` appears more than once; give each code one count (a code repeats only for lines of different origins)")
}

/// The stored code of each line, in order; `None` for a line that repeats another's code and
/// origin (the survey is refused naming it).
pub fn stored_codes<'a>(lines: impl Iterator<Item = (&'a Mapping<'a>, Option<Origin>)>) -> Vec<Option<String>> {
    let lines: Vec<(String, Origin)> = lines.map(|(mapping, origin)| line_key(mapping, origin)).collect();
    let mut repeats: HashMap<&str, usize> = HashMap::new();
    for (code, _) in &lines {
        *repeats.entry(code.as_str()).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    lines
        .iter()
        .map(|(code, origin)| {
            let repeated = repeats.get(code.as_str()).copied().unwrap_or_default() > 1;
            let stored = if repeated { format!("{code}@{}", origin.as_str()) } else { code.clone() };
            seen.insert(stored.clone()).then_some(stored)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Protocol;

    #[test]
    fn a_code_repeats_only_for_lines_of_different_origins() {
        let plastic = Protocol::Nowpap.resolve("plastic").unwrap();
        let metal = Protocol::Nowpap.resolve("metal").unwrap();
        let lines =
            [(&plastic, Some(Origin::Domestic)), (&metal, None), (&plastic, Some(Origin::Foreign)), (&plastic, None)];
        let codes = stored_codes(lines.into_iter());
        let want = ["plastic@domestic", "metal", "plastic@foreign", "plastic@unknown"];
        assert_eq!(codes, want.map(|c| Some(c.to_string())));
        let twice = stored_codes([(&metal, None), (&metal, Some(Origin::Unknown))].into_iter());
        assert_eq!(twice, vec![Some("metal@unknown".to_string()), None], "no origin is an unknown one");
    }

    #[test]
    fn a_size_suffix_makes_its_own_line() {
        let macro_bags = Protocol::Klhk.resolve("PL07:macro").unwrap();
        let meso_bags = Protocol::Klhk.resolve("pl07 : meso").unwrap();
        let codes = stored_codes([(&macro_bags, None), (&meso_bags, None)].into_iter());
        assert_eq!(codes, vec![Some("PL07:macro".to_string()), Some("PL07:meso".to_string())]);
        assert!(Protocol::Klhk.resolve("PL07:mega").is_err(), "KLHK records macro and meso only");
        assert!(Protocol::Ospar.resolve("15:meso").is_err(), "no other protocol takes a size suffix");
    }
}
