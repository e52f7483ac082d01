//! Asking to join an activity, and answering: each is a new booking revision
//! in the outbox (saved on the device first, synced later).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use naervaer_domain::Role;
use naervaer_domain::activity::{Booking, BookingStatus, Needs, one_more_fits, places_held};
use naervaer_domain::clips::balance::open_plans;
use naervaer_domain::clips::{EntryKind, check};
use naervaer_domain::protocol::Record;
use uuid::Uuid;

use crate::actions::clips::{follow_up, new_entry};
use crate::actions::save::save_record;
use crate::clip_text::breach_text;
use crate::context::Ctx;
use crate::i18n::td_string;
use crate::notice::Notice;
use crate::store::DeviceStoreError;
use crate::sync_glue::random_uuid;

/// A first revision of a booking by the logged-in user, made now.
fn first_revision(
    user: &naervaer_domain::User,
    id: Uuid,
    citizen: Uuid,
    activity: Uuid,
    start: DateTime<Utc>,
    status: BookingStatus,
) -> Booking {
    let author = (Some(user.id), user.name.clone());
    Booking::first(id, citizen, activity, start, status, author, Utc::now())
}

/// A request from (or for) a citizen to join one occurrence.
pub async fn ask_to_join(
    ctx: Ctx,
    citizen: Uuid,
    activity: Uuid,
    start: DateTime<Utc>,
) -> Result<(), DeviceStoreError> {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(DeviceStoreError::Unavailable);
    };
    let request = first_revision(
        &session.user,
        id,
        citizen,
        activity,
        start,
        BookingStatus::Requested,
    );
    save_record(ctx, Record::Booking(request)).await
}

/// Books a citizen onto one occurrence with her needs (a worker or a
/// coordinator). A companion from home care is planned on her clip card
/// first, checked against the policy like any plan. Online, a full
/// occurrence is refused; offline the booking is kept and the server flags
/// it if it overfills. Either way the answer is what to tell the user.
pub async fn book(
    ctx: Ctx,
    citizen: Uuid,
    activity_id: Uuid,
    start: DateTime<Utc>,
    needs: Needs,
) -> Result<Notice, Notice> {
    let lang = ctx.lang.get_untracked();
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(Notice::Storage(DeviceStoreError::Unavailable));
    };
    let found = ctx.data.with_untracked(|d| {
        let activity = d
            .activities()
            .into_iter()
            .find(|a| a.activity_id == activity_id)?;
        let revisions: Vec<Booking> = d.bookings().into_iter().map(|(b, _)| b).collect();
        let already = revisions.iter().any(|b| {
            b.citizen_id == citizen
                && b.activity_id == activity_id
                && b.occurrence_start == start
                && matches!(b.status, BookingStatus::Booked | BookingStatus::Requested)
        });
        let held = places_held(&revisions, activity_id, start, None);
        let card = d.card_of(citizen).cloned();
        let ledger = card
            .as_ref()
            .map(|c| d.counted_ledger(c.id))
            .unwrap_or_default();
        Some((activity, already, held, card, ledger))
    });
    let Some((activity, already, held, card, ledger)) = found else {
        return Err(Notice::Text(|l| td_string!(l, choose_an_activity)));
    };
    if already {
        return Err(Notice::Text(|l| {
            td_string!(l, the_citizen_is_already_booked_or)
        }));
    }
    let fits = one_more_fits(activity.capacity, held);
    if !fits && ctx.online.get_untracked() {
        return Err(Notice::Text(|l| {
            td_string!(l, there_are_no_free_places_ask)
        }));
    }
    let mut booking = first_revision(
        &session.user,
        id,
        citizen,
        activity_id,
        start,
        BookingStatus::Booked,
    );
    booking.needs = needs;
    if let (true, Some(policy), Some(card), Some(plan_id)) = (
        needs.companion,
        session.clip_policy.clone(),
        card,
        random_uuid(),
    ) {
        let ends = activity
            .schedule
            .occurrence_at(start)
            .map_or(start, |o| o.ends_at);
        let clip = i64::from(policy.clip_minutes.max(1));
        let minutes = policy.whole_clips((ends - start).num_minutes());
        let mut plan = new_entry(EntryKind::Plan, card.id, citizen, plan_id, &session.user);
        plan.at = Some(start);
        plan.minutes = i32::try_from(minutes).unwrap_or(i32::MAX);
        plan.purpose = format!("{}: {}", td_string!(lang, companion), activity.title);
        plan.activity_id = Some(activity_id);
        let breaches = check(&policy, card.starts_on, &ledger, &plan, Utc::now());
        if !breaches.is_empty() {
            if session.user.role != Role::Coordinator {
                return Err(Notice::worded(move |lang| {
                    let why: Vec<String> = breaches
                        .iter()
                        .map(|b| breach_text(lang, &policy, *b, clip))
                        .collect();
                    format!(
                        "{} {}",
                        why.join(" "),
                        td_string!(lang, a_companion_on_clips_needs_a)
                    )
                }));
            }
            plan.reason = td_string!(lang, companion_for_an_activity).to_owned();
        }
        save_record(ctx, Record::ClipEntry(plan))
            .await
            .map_err(Notice::Storage)?;
        booking.clip_entry_id = Some(plan_id);
    }
    save_record(ctx, Record::Booking(booking))
        .await
        .map_err(Notice::Storage)?;
    if fits {
        return Ok(Notice::Saved);
    }
    Ok(Notice::worded(|lang| {
        format!(
            "{} {}",
            td_string!(lang, saved_on_device),
            td_string!(lang, the_activity_looked_full_at_the)
        )
    }))
}

/// A new revision of a booking with another status (and reason).
pub async fn revise(
    ctx: Ctx,
    base: &Booking,
    status: BookingStatus,
    reason: String,
) -> Result<(), DeviceStoreError> {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(DeviceStoreError::Unavailable);
    };
    // Calling off a booking also calls off the companion's time, if still planned.
    if matches!(status, BookingStatus::Cancelled | BookingStatus::Declined)
        && let Some(plan) = base.clip_entry_id.and_then(|plan| {
            ctx.data.with_untracked(|d| {
                let card = d.card_of(base.citizen_id)?;
                let ledger = d.counted_ledger(card.id);
                open_plans(&ledger)
                    .into_iter()
                    .find(|e| e.id == plan)
                    .cloned()
            })
        })
    {
        follow_up(ctx, EntryKind::Cancel, plan).await;
    }
    let mut next = base.clone();
    next.id = id;
    next.replaces = Some(base.id);
    next.status = status;
    next.reason = reason;
    next.author_id = Some(session.user.id);
    next.author_name = session.user.name.clone();
    next.recorded_at = Utc::now();
    save_record(ctx, Record::Booking(next)).await
}

/// The citizen asks to join an occurrence (the "Jeg vil gerne med" button).
pub fn ask(ctx: Ctx, citizen: Uuid, activity: Uuid, start: DateTime<Utc>) {
    report(ctx, ask_to_join(ctx, citizen, activity, start));
}

/// A worker confirms, declines or cancels a booking. Declining needs a
/// reason: without one the user is told and nothing is saved.
pub fn answer(ctx: Ctx, base: Booking, status: BookingStatus, reason: String) {
    let reason = reason.trim().to_string();
    if status == BookingStatus::Declined && reason.is_empty() {
        ctx.notice.set(Some(Notice::Text(|l| {
            td_string!(l, say_why_before_declining)
        })));
        return;
    }
    report(ctx, async move { revise(ctx, &base, status, reason).await });
}

/// Saves in the background and tells the user how it went.
fn report(
    ctx: Ctx,
    save: impl std::future::Future<Output = Result<(), DeviceStoreError>> + 'static,
) {
    leptos::task::spawn_local(async move {
        ctx.notice.set(Some(match save.await {
            Ok(()) => Notice::Saved,
            Err(e) => Notice::KeptRetrying(e),
        }));
    });
}
