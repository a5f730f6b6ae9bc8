//! Where an append puts a group's new surveys: a busy month of a site is kept in parts of at
//! most [`PART_SURVEYS`] surveys, since each append rewrites the part it adds to.

use std::ops::Range;

/// Surveys a part holds at most when appends fill it: 128 packed surveys are 18 KB, so an
/// append rewrites at most that much of a group however large its month grows. (Two batches
/// appending to one part at once may pass it by their sizes: the bound is on cost, not a rule
/// of the data.)
pub const PART_SURVEYS: usize = 128;

/// The parts `new` surveys of one group go to, each with the range of them it takes: the room
/// left in the group's `last` part (its number and how many surveys it holds), then new parts
/// numbered on from it, each filled to [`PART_SURVEYS`].
pub fn plan(last: Option<(i32, usize)>, new: usize) -> Vec<(i32, Range<usize>)> {
    let (mut part, room) = match last {
        Some((part, held)) if held < PART_SURVEYS => (part, PART_SURVEYS - held),
        Some((part, _)) => (part + 1, PART_SURVEYS),
        None => (0, PART_SURVEYS),
    };
    let mut placed = Vec::new();
    let (mut start, mut room) = (0, room);
    while start < new {
        let end = (start + room).min(new);
        placed.push((part, start..end));
        (start, part, room) = (end, part + 1, PART_SURVEYS);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_group_fills_parts_from_zero() {
        assert_eq!(plan(None, 3), [(0, 0..3)]);
        assert_eq!(plan(None, 300), [(0, 0..128), (1, 128..256), (2, 256..300)]);
        assert_eq!(plan(None, 0), []);
    }

    #[test]
    fn the_last_part_is_filled_before_a_new_one_opens() {
        assert_eq!(plan(Some((4, 100)), 20), [(4, 0..20)]);
        assert_eq!(plan(Some((4, 100)), 28), [(4, 0..28)]);
        assert_eq!(plan(Some((4, 100)), 29), [(4, 0..28), (5, 28..29)]);
        assert_eq!(plan(Some((4, 128)), 5), [(5, 0..5)]);
        // a part written before parts existed may hold more than the bound: never added to
        assert_eq!(plan(Some((0, 860)), 17), [(1, 0..17)]);
    }

    #[test]
    fn every_survey_is_placed_once_in_order_and_no_part_passes_the_bound() {
        for held in [0, 1, 64, 127, 128, 500] {
            for new in [1, 2, 127, 128, 129, 1_000] {
                let placed = plan(Some((2, held)), new);
                let covered: Vec<usize> = placed.iter().flat_map(|(_, r)| r.clone()).collect();
                assert_eq!(covered, (0..new).collect::<Vec<_>>(), "{held} + {new}");
                for (k, (part, range)) in placed.iter().enumerate() {
                    let already = if *part == 2 { held } else { 0 };
                    assert!(already + range.len() <= PART_SURVEYS, "{held} + {new}: part {part}");
                    assert_eq!(*part, placed[0].0 + k as i32, "consecutive parts");
                }
            }
        }
    }
}
