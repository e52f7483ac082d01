//! A municipality's klippekort rules as data: one JSON file per municipality.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// Why a clip-card policy cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClipPolicyError {
    /// A number that must be positive is zero.
    #[error("{0} must be positive")]
    Zero(&'static str),
    /// The cost factor for two helpers is not 1 or 2.
    #[error("two_helpers_factor must be 1 or 2, not {0}")]
    HelperFactor(u32),
    /// An allowed-hours window is empty, reversed, or names a day that is not 1–7.
    #[error("allowed_hours window {0} is not usable (days 1-7, from before to)")]
    Window(usize),
    /// The file is not a policy.
    #[error("not a clip-card policy: {0}")]
    Parse(String),
}

/// A time of day, written `"HH:MM"` in policy files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub u16);

impl ClockTime {
    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }

    /// Reads `"HH:MM"` (00:00 to 24:00).
    pub fn parse(text: &str) -> Option<ClockTime> {
        let (h, m) = text.split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && h * 60 + m <= 24 * 60).then_some(ClockTime(h * 60 + m))
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:02}:{:02}", self.0 / 60, self.0 % 60))
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ClockTime, D::Error> {
        let text = String::deserialize(d)?;
        ClockTime::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a time HH:MM")))
    }
}

/// When clips may be used: on these weekdays, from `from` until `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursWindow {
    /// ISO weekdays: 1 = Monday … 7 = Sunday.
    pub days: Vec<u8>,
    /// Earliest start, `"HH:MM"`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10:00"))]
    pub from: ClockTime,
    /// The activity must be over by then, `"HH:MM"`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15:00"))]
    pub to: ClockTime,
}

/// One municipality's clip-card rules. Where the municipality publishes no
/// rule, the file says so in `unpublished` and the least restrictive reading
/// for the citizen is used (no cap, no window, no notice, factor 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClipPolicy {
    /// Short id, e.g. `haderslev`.
    pub id: String,
    /// The municipality's name.
    pub municipality: String,
    /// Where the rules come from (address and when it was read).
    pub source: String,
    /// Rules the source does not state, and the default chosen for each.
    #[serde(default)]
    pub unpublished: Vec<String>,
    /// Minutes in one clip (15, 30 or 60 in practice).
    pub clip_minutes: u32,
    /// Clips earned each week.
    pub clips_per_week: u32,
    /// Clips are earned only in weeks with home care: a registered pause
    /// (hospital stay, holiday) earns nothing.
    pub earn_only_with_home_care: bool,
    /// The most minutes that may be saved up; earning beyond it is lost.
    pub saving_cap_minutes: Option<u32>,
    /// A clip must be used within this many weeks of the week it was earned.
    pub saving_window_weeks: Option<u32>,
    /// Saved time is lost at the end of the calendar year it was earned in.
    pub lost_at_year_end: bool,
    /// When clips may be used; empty means any time.
    #[serde(default)]
    pub allowed_hours: Vec<HoursWindow>,
    /// Days of notice for a use of one clip.
    pub notice_days_one_clip: u32,
    /// Days of notice for a use of several clips.
    pub notice_days_several_clips: u32,
    /// How many times the minutes count when two helpers are needed (1 or 2).
    pub two_helpers_factor: u32,
    /// Whether transport time is drawn from the clips.
    pub transport_from_clips: bool,
}

/// The shipped policies: `(id, JSON text)`.
pub const SHIPPED: [(&str, &str); 5] = [
    ("nyborg", include_str!("../../policies/clips/nyborg.json")),
    (
        "haderslev",
        include_str!("../../policies/clips/haderslev.json"),
    ),
    ("viborg", include_str!("../../policies/clips/viborg.json")),
    ("furesoe", include_str!("../../policies/clips/furesoe.json")),
    ("faxe", include_str!("../../policies/clips/faxe.json")),
];

/// The policy the demo and a server without configuration use.
pub const DEFAULT_POLICY_ID: &str = "furesoe";

impl ClipPolicy {
    /// Reads and checks a policy from JSON text written by a person: a key
    /// the policy does not have is an error naming it. (A device reads the
    /// policy its login brought leniently, so a newer server may add one.)
    pub fn from_json(text: &str) -> Result<ClipPolicy, ClipPolicyError> {
        let policy: ClipPolicy =
            serde_json::from_str(text).map_err(|e| ClipPolicyError::Parse(e.to_string()))?;
        let unknown = crate::strict::unknown_keys(text, &policy);
        if !unknown.is_empty() {
            return Err(ClipPolicyError::Parse(format!(
                "unknown field(s): {}",
                unknown.join(", ")
            )));
        }
        policy.validate()?;
        Ok(policy)
    }

    /// A shipped policy by id (`nyborg`, `haderslev`, `viborg`, `furesoe`, `faxe`).
    pub fn shipped(id: &str) -> Option<Result<ClipPolicy, ClipPolicyError>> {
        SHIPPED
            .iter()
            .find(|(name, _)| *name == id)
            .map(|(_, text)| ClipPolicy::from_json(text))
    }

    /// Checks that the numbers make sense together.
    pub fn validate(&self) -> Result<(), ClipPolicyError> {
        if self.clip_minutes == 0 {
            return Err(ClipPolicyError::Zero("clip_minutes"));
        }
        if self.clips_per_week == 0 {
            return Err(ClipPolicyError::Zero("clips_per_week"));
        }
        if self.saving_cap_minutes == Some(0) {
            return Err(ClipPolicyError::Zero("saving_cap_minutes"));
        }
        if self.saving_window_weeks == Some(0) {
            return Err(ClipPolicyError::Zero("saving_window_weeks"));
        }
        if !(1..=2).contains(&self.two_helpers_factor) {
            return Err(ClipPolicyError::HelperFactor(self.two_helpers_factor));
        }
        for (i, w) in self.allowed_hours.iter().enumerate() {
            if w.days.is_empty() || w.days.iter().any(|d| !(1..=7).contains(d)) || w.from >= w.to {
                return Err(ClipPolicyError::Window(i));
            }
        }
        Ok(())
    }

    /// Minutes a plan or use costs: the activity, plus transport where the
    /// policy draws it from the clips, times the two-helper factor.
    pub fn cost_minutes(&self, minutes: u32, transport_minutes: u32, helpers: u8) -> i64 {
        let transport = if self.transport_from_clips {
            transport_minutes
        } else {
            0
        };
        let factor = if helpers >= 2 {
            self.two_helpers_factor
        } else {
            1
        };
        i64::from(minutes + transport) * i64::from(factor)
    }

    /// `minutes` rounded up to whole clips (at least one clip).
    pub fn whole_clips(&self, minutes: i64) -> i64 {
        let clip = i64::from(self.clip_minutes.max(1));
        (minutes.max(1) + clip - 1) / clip * clip
    }

    /// The notice in days for a use costing `cost` minutes.
    pub fn notice_days(&self, cost: i64) -> u32 {
        if cost > i64::from(self.clip_minutes) {
            self.notice_days_several_clips
        } else {
            self.notice_days_one_clip
        }
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
