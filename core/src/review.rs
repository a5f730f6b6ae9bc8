//! A record's review status and the rule that sets it on arrival: a trusted team's record
//! without plausibility flags counts at once; everything else waits for a coordinator.

use crate::validation::Flag;
pub use crate::vocabulary::ReviewStatus;

impl ReviewStatus {
    /// The status of a record on arrival: accepted when its team is trusted and it raised no
    /// flag that needs review ([`Flag::needs_review`]), pending otherwise.
    pub fn on_arrival(trusted: bool, flags: &[Flag]) -> Self {
        if trusted && !flags.iter().any(Flag::needs_review) {
            Self::Accepted
        } else {
            Self::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_records_wait_only_for_flags_that_need_review() {
        let note = Flag::new("length_from_miles", "/length_m", "walked distance");
        let doubt = Flag::new("large_count", "/items/0/count", "12 000 items");
        assert_eq!(ReviewStatus::on_arrival(true, &[]), ReviewStatus::Accepted);
        assert_eq!(ReviewStatus::on_arrival(true, std::slice::from_ref(&note)), ReviewStatus::Accepted);
        assert_eq!(ReviewStatus::on_arrival(true, &[note.clone(), doubt]), ReviewStatus::Pending);
        assert_eq!(ReviewStatus::on_arrival(false, &[]), ReviewStatus::Pending);
        assert_eq!("accepted".parse(), Ok(ReviewStatus::Accepted));
        assert!("approved".parse::<ReviewStatus>().is_err());
    }
}
