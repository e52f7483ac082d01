//! The traffic-light level, and the one rule that suggests it.

use serde::{Deserialize, Serialize};

use super::codes::Sign;
use super::policy::LonelinessPolicy;
use super::registration::Ucla3;

/// The traffic-light level of the ændringsskema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The citizen's usual state.
    Green,
    /// A change: follow up within the policy's deadline (48 hours by default).
    Yellow,
    /// Serious: act now.
    Red,
}

impl Level {
    /// Danish name.
    pub fn label_da(self) -> &'static str {
        match self {
            Level::Green => "Grøn",
            Level::Yellow => "Gul",
            Level::Red => "Rød",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Level::Green => "Green",
            Level::Yellow => "Yellow",
            Level::Red => "Red",
        }
    }

    /// The level with this code.
    pub fn parse(code: &str) -> Option<Level> {
        [Level::Green, Level::Yellow, Level::Red]
            .into_iter()
            .find(|l| l.code() == code)
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Level::Green => "green",
            Level::Yellow => "yellow",
            Level::Red => "red",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Suggests a level from the observed signs and the UCLA-3 answers:
///
/// - **red** when the signs reach `red_signs`, or the score is high (at or
///   above `ucla_cutoff`) and the signs reach `yellow_signs`;
/// - **yellow** when the signs reach `yellow_signs`, or the score is high, or
///   the citizen says they are lonely;
/// - **green** otherwise.
///
/// Each distinct sign counts once; unknown signs do not count.
pub fn suggest_level(signs: &[Sign], ucla: Option<&Ucla3>, policy: &LonelinessPolicy) -> Level {
    let mut known: Vec<&Sign> = signs.iter().filter(|s| s.is_known()).collect();
    known.sort();
    known.dedup();
    let count = known.len();
    let high_score = ucla.is_some_and(|u| u.total() >= policy.ucla_cutoff);
    let says_lonely = known.contains(&&Sign::SaysLonely);
    if count >= policy.red_signs || (high_score && count >= policy.yellow_signs) {
        Level::Red
    } else if count >= policy.yellow_signs || high_score || says_lonely {
        Level::Yellow
    } else {
        Level::Green
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Sign::*;

    fn ucla(a: u8, b: u8, c: u8) -> Option<Ucla3> {
        Some(Ucla3 {
            missing_company: a,
            left_out: b,
            isolated: c,
        })
    }

    /// (signs, UCLA answers, level at cut-off 6, level at cut-off 7)
    #[test]
    fn the_level_rule_under_both_cutoffs() {
        use Level::*;
        let table: Vec<(Vec<Sign>, Option<Ucla3>, Level, Level)> = vec![
            (vec![], None, Green, Green),
            (vec![Withdrawn], None, Green, Green),
            (vec![Withdrawn], ucla(1, 1, 1), Green, Green),
            // says lonely is yellow on its own
            (vec![SaysLonely], None, Yellow, Yellow),
            // two signs: yellow
            (vec![Withdrawn, FewVisitors], None, Yellow, Yellow),
            (vec![Withdrawn, Withdrawn], None, Green, Green),
            // score 6: high only under cut-off 6
            (vec![], ucla(2, 2, 2), Yellow, Green),
            (vec![Withdrawn, FewVisitors], ucla(2, 2, 2), Red, Yellow),
            // score 7: high under both
            (vec![], ucla(3, 2, 2), Yellow, Yellow),
            (vec![Withdrawn], ucla(3, 2, 2), Yellow, Yellow),
            (vec![Withdrawn, RecentLoss], ucla(3, 2, 2), Red, Red),
            // score 8 (3, 2, 3), as in the end-to-end test
            (vec![Withdrawn, FewVisitors], ucla(3, 2, 3), Red, Red),
            (vec![FewVisitors], ucla(3, 2, 3), Yellow, Yellow),
            // score 5: never high
            (vec![Withdrawn], ucla(2, 2, 1), Green, Green),
            // four signs: red whatever the score
            (
                vec![Withdrawn, FewVisitors, RecentLoss, KeepsDistance],
                ucla(1, 1, 1),
                Red,
                Red,
            ),
            (
                vec![Withdrawn, FewVisitors, RecentLoss],
                None,
                Yellow,
                Yellow,
            ),
            // unknown signs do not count
            (vec![Withdrawn, Unknown("x".into())], None, Green, Green),
        ];
        for (signs, answers, at6, at7) in table {
            let p6 = LonelinessPolicy::with_cutoff(6);
            let p7 = LonelinessPolicy::with_cutoff(7);
            assert_eq!(
                suggest_level(&signs, answers.as_ref(), &p6),
                at6,
                "cut-off 6: {signs:?} {answers:?}"
            );
            assert_eq!(
                suggest_level(&signs, answers.as_ref(), &p7),
                at7,
                "cut-off 7: {signs:?} {answers:?}"
            );
        }
    }
}
