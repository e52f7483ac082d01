//! Asking to join an activity, and answering: each is a new booking revision
//! in the outbox (saved on the device first, synced later).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use naervaer_domain::Role;
use naervaer_domain::activity::{Booking, BookingStatus, Needs, one_more_fits, places_held};
use naervaer_domain::klippekort::balance::open_plans;
use naervaer_domain::klippekort::{EntryKind, check};
use naervaer_domain::sync::Record;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::actions::save_record;
use crate::clips::{breach_text, new_entry};
use crate::components::clip_card::follow_up;
use crate::context::Ctx;
use crate::i18n::pick;
use crate::store::StoreError;
use crate::sync::random_uuid;

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
) -> Result<(), StoreError> {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(StoreError::Unavailable);
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
/// it if it overfills. The answer is the message for the user.
pub async fn book(
    ctx: Ctx,
    citizen: Uuid,
    activity_id: Uuid,
    start: DateTime<Utc>,
    needs: Needs,
) -> Result<String, String> {
    let lang = ctx.lang.get_untracked();
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(StoreError::Unavailable.to_string());
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
        return Err(pick(lang, "Vælg en aktivitet.", "Choose an activity."));
    };
    if already {
        return Err(pick(
            lang,
            "Borgeren er allerede med eller har spurgt.",
            "The citizen is already booked or has asked.",
        ));
    }
    let fits = one_more_fits(activity.capacity, held);
    if !fits && ctx.online.get_untracked() {
        return Err(pick(
            lang,
            "Der er ikke flere ledige pladser. Spørg koordinatoren.",
            "There are no free places. Ask the coordinator.",
        ));
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
        plan.purpose = format!(
            "{}: {}",
            pick(lang, "Følgeskab", "Companion"),
            activity.title
        );
        plan.activity_id = Some(activity_id);
        let breaches = check(&policy, card.starts_on, &ledger, &plan, Utc::now());
        if !breaches.is_empty() {
            if session.user.role != Role::Coordinator {
                let why: Vec<String> = breaches
                    .into_iter()
                    .map(|b| breach_text(lang, &policy, b, clip))
                    .collect();
                return Err(format!(
                    "{} {}",
                    why.join(" "),
                    pick(
                        lang,
                        "Følgeskab på klip kræver en koordinators lov. Fjern krydset, eller spørg koordinatoren.",
                        "A companion on clips needs a coordinator's permission. Untick it, or ask the coordinator."
                    )
                ));
            }
            plan.reason = pick(
                lang,
                "Følgeskab til en aktivitet",
                "Companion for an activity",
            );
        }
        save_record(ctx, Record::ClipEntry(plan))
            .await
            .map_err(|e| e.to_string())?;
        booking.clip_entry_id = Some(plan_id);
    }
    save_record(ctx, Record::Booking(booking))
        .await
        .map_err(|e| e.to_string())?;
    let mut message = ctx.texts().saved_on_device.to_string();
    if !fits {
        message.push(' ');
        message.push_str(&pick(
            lang,
            "Holdet så fuldt ud ved sidste synkronisering; koordinatoren får besked.",
            "The activity looked full at the last sync; the coordinator is told.",
        ));
    }
    Ok(message)
}

/// A new revision of a booking with another status (and reason).
pub async fn revise(
    ctx: Ctx,
    base: &Booking,
    status: BookingStatus,
    reason: String,
) -> Result<(), StoreError> {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(StoreError::Unavailable);
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

/// One click handler for booking buttons in HTML lists: `data-act` is `ask`
/// (with `data-citizen`, `data-activity`, `data-start`), or `confirm`,
/// `decline` (reads the input `reason-<id>`) or `cancel` (with `data-id`).
pub fn on_booking_click(ctx: Ctx) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |ev| {
        let Some(button) = crate::html::clicked_button(&ev) else {
            return;
        };
        let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
        let lang = ctx.lang.get_untracked();
        let act = attr("data-act");
        let save: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>>>> =
            if act == "ask" {
                let parsed = (
                    Uuid::parse_str(&attr("data-citizen")),
                    Uuid::parse_str(&attr("data-activity")),
                    naervaer_domain::wire_time::parse_instant(&attr("data-start")),
                );
                match parsed {
                    (Ok(c), Ok(a), Some(start)) => Box::pin(ask_to_join(ctx, c, a, start)),
                    _ => return,
                }
            } else {
                let Ok(id) = Uuid::parse_str(&attr("data-id")) else {
                    return;
                };
                let Some(base) = ctx.data.with_untracked(|d| {
                    d.bookings()
                        .into_iter()
                        .map(|(b, _)| b)
                        .find(|b| b.id == id)
                }) else {
                    return;
                };
                let (status, reason) = match act.as_str() {
                    "confirm" => (BookingStatus::Booked, String::new()),
                    "cancel" => (BookingStatus::Cancelled, String::new()),
                    _ => {
                        let reason = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| {
                                d.query_selector(&format!("input[name=\"reason-{id}\"]"))
                                    .ok()
                                    .flatten()
                            })
                            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .map(|i| i.value().trim().to_string())
                            .unwrap_or_default();
                        if reason.is_empty() {
                            ctx.notice.set(Some(pick(
                                lang,
                                "Skriv hvorfor, før du afviser.",
                                "Say why before declining.",
                            )));
                            return;
                        }
                        (BookingStatus::Declined, reason)
                    }
                };
                Box::pin(async move { revise(ctx, &base, status, reason).await })
            };
        leptos::task::spawn_local(async move {
            let result = save.await;
            ctx.notice.set(Some(match result {
                Ok(()) => ctx.texts().saved_on_device.to_string(),
                Err(e) => format!("{e} {}", ctx.texts().kept_retrying),
            }));
        });
    }
}
