//! The citizen's own week: planned home-care visits (who comes, when) and
//! her activities, day by day; and the activities after 16:00 and at
//! weekends she can ask to join. Built from the data on the device, so it
//! works offline.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use naervaer_domain::activity::{Activity, Booking, BookingStatus, Occurrence, Tags, tags};
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::data::LocalData;
use crate::i18n::{Locale, td_string};

/// One line of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Who comes, or the activity.
    pub title: String,
    /// What the visit is for, or where the activity is.
    pub detail: String,
    /// For an activity: where the booking stands.
    pub status: Option<BookingStatus>,
}

/// The citizen's days from `first`, `days` of them, each with its items in time order.
pub fn week(
    data: &LocalData,
    activities: &[Activity],
    bookings: &[Booking],
    citizen: Uuid,
    first: NaiveDate,
    days: i64,
    lang: Locale,
) -> Vec<(NaiveDate, Vec<Item>)> {
    (0..days)
        .map(|i| {
            let day = first + Duration::days(i);
            let mut items: Vec<Item> = data
                .visits_on(day)
                .into_iter()
                .filter(|v| v.citizen_id == citizen)
                .map(|v| Item {
                    starts_at: v.starts_at,
                    ends_at: v.ends_at,
                    title: match &v.worker_name {
                        Some(name) => td_string!(lang, worker_comes, name),
                        None => td_string!(lang, home_care_comes).to_owned(),
                    },
                    detail: v.purpose.clone(),
                    status: None,
                })
                .collect();
            for b in bookings.iter().filter(|b| {
                b.citizen_id == citizen
                    && copenhagen_date(b.occurrence_start) == day
                    && b.status != BookingStatus::Cancelled
            }) {
                let activity = activities.iter().find(|a| a.activity_id == b.activity_id);
                let ends_at = activity
                    .and_then(|a| a.schedule.occurrence_at(b.occurrence_start))
                    .map_or(b.occurrence_start, |o| o.ends_at);
                items.push(Item {
                    starts_at: b.occurrence_start,
                    ends_at,
                    title: activity.map(|a| a.title.clone()).unwrap_or_default(),
                    detail: activity.map(|a| a.place.clone()).unwrap_or_default(),
                    status: Some(b.status),
                });
            }
            items.sort_by_key(|i| i.starts_at);
            (day, items)
        })
        .collect()
}

/// An occurrence after 16:00 or at a weekend that the citizen may ask to join.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The activity.
    pub activity: Activity,
    /// When.
    pub occurrence: Occurrence,
    /// Why it is listed.
    pub tags: Tags,
    /// Her booking of it, if any.
    pub asked: Option<BookingStatus>,
}

/// Activities after 16:00 or at weekends in `first..first+days` that have
/// not started yet, one line each (the time she asked for, else the next
/// time), earliest first.
pub fn offers(
    activities: &[Activity],
    bookings: &[Booking],
    citizen: Uuid,
    first: NaiveDate,
    days: i64,
) -> Vec<Offer> {
    let last = first + Duration::days(days - 1);
    let mut list: Vec<Offer> = activities
        .iter()
        .flat_map(|a| {
            a.schedule
                .occurrences(first, last)
                .into_iter()
                .map(move |o| (a.clone(), o))
        })
        .filter_map(|(activity, occurrence)| {
            let tags = tags(&occurrence);
            let ahead = occurrence.starts_at > Utc::now();
            (ahead && (tags.after_16 || tags.weekend)).then(|| {
                let asked = bookings
                    .iter()
                    .find(|b| {
                        b.citizen_id == citizen
                            && b.activity_id == activity.activity_id
                            && b.occurrence_start == occurrence.starts_at
                    })
                    .map(|b| b.status);
                Offer {
                    activity,
                    occurrence,
                    tags,
                    asked,
                }
            })
        })
        .collect();
    list.sort_by_key(|o| (o.occurrence.starts_at, o.activity.activity_id));
    // One line per activity: the time she has asked for or is booked on, else the next time.
    let mut chosen: Vec<Offer> = Vec::new();
    for offer in list {
        let active = |o: &Offer| o.asked.is_some_and(|s| s != BookingStatus::Cancelled);
        match chosen
            .iter_mut()
            .find(|c| c.activity.activity_id == offer.activity.activity_id)
        {
            Some(c) if !active(c) && active(&offer) => *c = offer,
            Some(_) => {}
            None => chosen.push(offer),
        }
    }
    chosen
}

/// "I dag", "I morgen", or "lørdag 28.11." (English alike).
pub fn day_label(lang: Locale, day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        return td_string!(lang, today).to_owned();
    }
    if day == today + Duration::days(1) {
        return td_string!(lang, tomorrow).to_owned();
    }
    let n = u8::try_from(day.weekday().number_from_monday()).unwrap_or(1);
    let name = crate::time_fmt::weekday_name(lang, n);
    format!("{name} {}.", crate::time_fmt::short_date(day))
}

/// Where a booking stands, for the citizen.
pub fn status_text(lang: Locale, status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Requested => td_string!(lang, booking_status.requested),
        BookingStatus::Booked => td_string!(lang, booking_status.booked),
        BookingStatus::Declined => td_string!(lang, booking_status.declined),
        BookingStatus::Cancelled => td_string!(lang, booking_status.cancelled),
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
