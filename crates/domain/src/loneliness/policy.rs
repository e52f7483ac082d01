//! The municipal settings of loneliness detection.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a policy cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    /// The cut-off is outside the scale's 3–9.
    #[error("ucla_cutoff must be between 3 and 9, not {0}")]
    Cutoff(u8),
    /// The sign counts are zero or red comes before yellow.
    #[error("need 1 <= yellow_signs <= red_signs (got {yellow} and {red})")]
    Signs {
        /// yellow_signs
        yellow: usize,
        /// red_signs
        red: usize,
    },
    /// A period is zero or negative.
    #[error("{0} must be positive")]
    Period(&'static str),
}

/// A municipality's rules. The defaults are documented on each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LonelinessPolicy {
    /// UCLA-3 total (3–9) at or above which the score counts as high.
    /// Municipalities use 6 or 7; default 6.
    pub ucla_cutoff: u8,
    /// Observed signs that make at least yellow; default 2.
    pub yellow_signs: usize,
    /// Observed signs that make red; default 4.
    pub red_signs: usize,
    /// Hours within which a yellow registration is followed up; default 48.
    pub yellow_follow_up_hours: i64,
    /// Hours within which a red registration is followed up; default 24.
    pub red_follow_up_hours: i64,
    /// Days without a registration after which a citizen counts as not
    /// screened; default 90.
    pub not_screened_days: i64,
}

impl Default for LonelinessPolicy {
    fn default() -> Self {
        LonelinessPolicy {
            ucla_cutoff: 6,
            yellow_signs: 2,
            red_signs: 4,
            yellow_follow_up_hours: 48,
            red_follow_up_hours: 24,
            not_screened_days: 90,
        }
    }
}

impl LonelinessPolicy {
    /// Checks that the numbers make sense together.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if !(3..=9).contains(&self.ucla_cutoff) {
            return Err(PolicyError::Cutoff(self.ucla_cutoff));
        }
        if self.yellow_signs == 0 || self.red_signs < self.yellow_signs {
            return Err(PolicyError::Signs {
                yellow: self.yellow_signs,
                red: self.red_signs,
            });
        }
        for (name, value) in [
            ("yellow_follow_up_hours", self.yellow_follow_up_hours),
            ("red_follow_up_hours", self.red_follow_up_hours),
            ("not_screened_days", self.not_screened_days),
        ] {
            if value <= 0 {
                return Err(PolicyError::Period(name));
            }
        }
        Ok(())
    }

    /// The default policy with another UCLA-3 cut-off (6 or 7 in practice).
    pub fn with_cutoff(cutoff: u8) -> LonelinessPolicy {
        LonelinessPolicy {
            ucla_cutoff: cutoff,
            ..LonelinessPolicy::default()
        }
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
