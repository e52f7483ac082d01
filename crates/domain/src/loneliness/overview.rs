//! Pejlemærke 1 made visible: who is at yellow or red, which follow-ups are
//! due or overdue, and who has not been screened within the policy's period.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use super::level::Level;
use super::policy::LonelinessPolicy;
use super::registration::LonelinessRegistration;
use crate::time::copenhagen_date;

/// Where a follow-up stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FollowUpState {
    /// Its date has passed.
    Overdue,
    /// Its date is today.
    DueToday,
    /// Its date is still to come.
    Upcoming,
}

/// One citizen's line in the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewRow {
    /// The citizen.
    pub citizen_id: Uuid,
    /// The level of the current registration, if any.
    pub level: Option<Level>,
    /// The day of the current registration.
    pub last_observed: Option<NaiveDate>,
    /// The UCLA-3 total of the current registration.
    pub score: Option<u8>,
    /// When the current registration must be followed up.
    pub follow_up_on: Option<NaiveDate>,
    /// Where that follow-up stands today.
    pub follow_up_state: Option<FollowUpState>,
    /// No registration within the policy's period.
    pub not_screened: bool,
}

/// Each citizen's current registration: the latest by observation (then by
/// registration time) among those no other registration of the same citizen
/// corrects (a correction naming another citizen's registration, which the
/// server cannot rule out when it arrives before the one it names, hides
/// nothing).
pub fn current_registrations(
    registrations: &[LonelinessRegistration],
) -> BTreeMap<Uuid, &LonelinessRegistration> {
    let mut current: BTreeMap<Uuid, &LonelinessRegistration> = BTreeMap::new();
    for r in registrations {
        let corrected = registrations
            .iter()
            .any(|o| o.corrects == Some(r.id) && o.citizen_id == r.citizen_id);
        if corrected {
            continue;
        }
        let newer = current.get(&r.citizen_id).is_none_or(|c| {
            (r.observed_on, r.recorded_at, r.id) > (c.observed_on, c.recorded_at, c.id)
        });
        if newer {
            current.insert(r.citizen_id, r);
        }
    }
    current
}

/// Whether a citizen counts as not screened today: never registered, or
/// last registered more than `not_screened_days` days ago (exactly that many
/// days ago still counts as screened).
pub fn not_screened(last: Option<NaiveDate>, today: NaiveDate, policy: &LonelinessPolicy) -> bool {
    last.is_none_or(|d| (today - d).num_days() > policy.not_screened_days)
}

/// When a registration must be followed up: the next step's date if the
/// worker set one, else the policy's deadline for yellow and red (counted
/// from when it was registered); green needs none.
pub fn follow_up_on(r: &LonelinessRegistration, policy: &LonelinessPolicy) -> Option<NaiveDate> {
    if let Some(date) = r.next_step.as_ref().and_then(|s| s.follow_up_on) {
        return Some(date);
    }
    let hours = match r.chosen_level {
        Level::Green => return None,
        Level::Yellow => policy.yellow_follow_up_hours,
        Level::Red => policy.red_follow_up_hours,
    };
    Some(copenhagen_date(r.recorded_at + Duration::hours(hours)))
}

/// The overview of the given citizens on `today`: red first, then yellow, then
/// the rest; within each, the earliest follow-up first.
pub fn overview(
    citizens: &[Uuid],
    registrations: &[LonelinessRegistration],
    today: NaiveDate,
    policy: &LonelinessPolicy,
) -> Vec<OverviewRow> {
    let current = current_registrations(registrations);
    let mut rows: Vec<OverviewRow> = citizens
        .iter()
        .map(|id| {
            let r = current.get(id);
            let follow = r.and_then(|r| follow_up_on(r, policy));
            OverviewRow {
                citizen_id: *id,
                level: r.map(|r| r.chosen_level),
                last_observed: r.map(|r| r.observed_on),
                score: r.and_then(|r| r.ucla.map(|u| u.total())),
                follow_up_on: follow,
                follow_up_state: follow.map(|d| match d.cmp(&today) {
                    std::cmp::Ordering::Less => FollowUpState::Overdue,
                    std::cmp::Ordering::Equal => FollowUpState::DueToday,
                    std::cmp::Ordering::Greater => FollowUpState::Upcoming,
                }),
                not_screened: not_screened(r.map(|r| r.observed_on), today, policy),
            }
        })
        .collect();
    rows.sort_by_key(|row| {
        (
            std::cmp::Reverse(row.level),
            row.follow_up_on.unwrap_or(NaiveDate::MAX),
            row.citizen_id,
        )
    });
    rows
}

#[cfg(test)]
#[path = "overview_tests.rs"]
mod tests;
