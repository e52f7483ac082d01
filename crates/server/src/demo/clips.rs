//! Demo clip cards: every citizen of team Nord has a card under the
//! configured policy, started 16 weeks ago, with uses, a cancelled use, a
//! hospital pause, a coordinator's adjustment and a plan ahead. Kaj Andersen
//! is left with exactly one clip free (the two-tablet overdraft scenario).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use naervaer_domain::clips::{ClipCard, ClipEntry, ClipPolicy, EntryKind, balance, monday_of};
use naervaer_domain::time::{copenhagen_date, from_copenhagen};
use naervaer_domain::{Citizen, User};
use uuid::Uuid;

use crate::store::{Store, StoreError};

/// The citizen left with exactly one free clip.
pub const LAST_CLIP_CITIZEN: &str = "Kaj Andersen";

const PURPOSES: [&str; 5] = [
    "Gåtur ved havnen",
    "Spisecafé i aktivitetscentret",
    "Indkøb og en kop kaffe",
    "Besøg på kirkegården",
    "Cykling uden alder",
];

pub(crate) fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    from_copenhagen(day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
}

/// The accounts the demo history is written by.
pub struct Authors<'a> {
    /// Care workers of team Nord.
    pub workers: [&'a User; 2],
    /// The coordinator.
    pub coordinator: &'a User,
}

pub(crate) fn spend(
    card: &ClipCard,
    kind: EntryKind,
    day: NaiveDate,
    clips: u32,
    policy: &ClipPolicy,
    purpose: &str,
) -> ClipEntry {
    let made = if kind == EntryKind::Plan {
        Utc::now()
    } else {
        at(day, 13)
    };
    let mut e = ClipEntry::new(kind, card.id, card.citizen_id, Uuid::new_v4(), made);
    e.at = Some(at(day, 11));
    e.minutes = i32::try_from(clips * policy.clip_minutes).unwrap_or(30);
    e.purpose = purpose.into();
    e
}

/// Seeds the cards and their history.
pub async fn seed<S: Store>(
    store: &S,
    citizens: &[Citizen],
    authors: &Authors<'_>,
    policy: &ClipPolicy,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let today = copenhagen_date(now);
    let start = monday_of(today) - Duration::weeks(16);
    for (i, citizen) in citizens.iter().filter(|c| c.team == "Nord").enumerate() {
        let card = ClipCard {
            id: Uuid::new_v4(),
            citizen_id: citizen.id,
            policy_id: policy.id.clone(),
            starts_on: start,
            check: Default::default(),
        };
        crate::rules::insert_card(store, &card).await?;
        let worker = authors.workers[i % 2];
        let mut ledger: Vec<ClipEntry> = Vec::new();
        // A clip used every other week (every week for the last-clip
        // citizen), on a Wednesday at 11.
        let every = if citizen.name == LAST_CLIP_CITIZEN {
            1
        } else {
            2
        };
        for week in (1 + i % 2..16).step_by(every) {
            let day = start + Duration::weeks(week as i64) + Duration::days(2);
            ledger.push(spend(
                &card,
                EntryKind::Use,
                day,
                1,
                policy,
                PURPOSES[(i + week) % PURPOSES.len()],
            ));
        }
        match i {
            1 => {
                let day = start + Duration::weeks(13) + Duration::days(1);
                let used = spend(&card, EntryKind::Use, day, 1, policy, "Frisør");
                let mut undo = ClipEntry::new(
                    EntryKind::Cancel,
                    card.id,
                    card.citizen_id,
                    Uuid::new_v4(),
                    at(day, 15),
                );
                undo.target = Some(used.id);
                undo.reason = "Registreret på den forkerte borger".into();
                ledger.extend([used, undo]);
            }
            2 => {
                let mut pause = ClipEntry::new(
                    EntryKind::Pause,
                    card.id,
                    card.citizen_id,
                    Uuid::new_v4(),
                    at(start + Duration::weeks(8), 9),
                );
                pause.pause_from = Some(start + Duration::weeks(8));
                pause.pause_weeks = 2;
                pause.reason = "Indlagt på sygehuset".into();
                ledger.push(pause);
            }
            _ => {}
        }
        for e in ledger {
            crate::rules::insert_clip_entry(store, worker, e, now).await?;
        }
        if i == 4 {
            let mut extra = ClipEntry::new(
                EntryKind::Adjust,
                card.id,
                card.citizen_id,
                Uuid::new_v4(),
                at(start + Duration::weeks(10), 10),
            );
            extra.minutes = i32::try_from(policy.clip_minutes).unwrap_or(30);
            extra.reason = "Aflyst besøg erstattet med et klip".into();
            crate::rules::insert_clip_entry(store, authors.coordinator, extra, now).await?;
        }
        if i == 0 {
            let plan_day = monday_of(today) + Duration::weeks(5) + Duration::days(3);
            let plan = spend(
                &card,
                EntryKind::Plan,
                plan_day,
                2,
                policy,
                "Spisecafé i aktivitetscentret",
            );
            crate::rules::insert_clip_entry(store, worker, plan, now).await?;
        }
        if citizen.name == LAST_CLIP_CITIZEN {
            leave_one_clip(store, &card, worker, policy, today, now).await?;
        }
    }
    Ok(())
}

/// Uses single clips on the last weekday up to today until one clip is free.
async fn leave_one_clip<S: Store>(
    store: &S,
    card: &ClipCard,
    worker: &User,
    policy: &ClipPolicy,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut day = today;
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day -= Duration::days(1);
    }
    let clip = i64::from(policy.clip_minutes);
    for hour in 11..16 {
        let ledger = crate::rules::clip_ledger(store, card.id).await?;
        if balance(policy, card.starts_on, &ledger, today).free_minutes() <= clip {
            break;
        }
        let mut e = spend(
            card,
            EntryKind::Use,
            day.max(card.starts_on),
            1,
            policy,
            "Tur til Køge by med kaffe",
        );
        e.at = Some(at(day.max(card.starts_on), hour));
        e.recorded_at = now;
        crate::rules::insert_clip_entry(store, worker, e, now).await?;
    }
    Ok(())
}
