//! Asking to join an activity, and answering: each is a new booking revision
//! in the outbox (saved on the device first, synced later).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Booking, BookingStatus, Needs};
use naervaer_domain::sync::Record;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::actions::save_record;
use crate::app::Ctx;
use crate::i18n::pick;
use crate::store::StoreError;
use crate::sync::random_uuid;

/// A request from (or for) a citizen to join one occurrence.
pub fn ask_to_join(
    ctx: Ctx,
    citizen: Uuid,
    activity: Uuid,
    start: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(StoreError::Unavailable);
    };
    save_record(
        ctx,
        Record::Booking(Booking {
            id,
            booking_id: id,
            replaces: None,
            citizen_id: citizen,
            activity_id: activity,
            occurrence_start: start,
            status: BookingStatus::Requested,
            needs: Needs::default(),
            reason: String::new(),
            clip_entry_id: None,
            overfilled: false,
            author_id: Some(session.user.id),
            author_name: session.user.name.clone(),
            recorded_at: Utc::now(),
        }),
    )
}

/// A new revision of a booking with another status (and reason).
pub fn revise(
    ctx: Ctx,
    base: &Booking,
    status: BookingStatus,
    reason: String,
) -> Result<(), StoreError> {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return Err(StoreError::Unavailable);
    };
    let mut next = base.clone();
    next.id = id;
    next.replaces = Some(base.id);
    next.status = status;
    next.reason = reason;
    next.author_id = Some(session.user.id);
    next.author_name = session.user.name.clone();
    next.recorded_at = Utc::now();
    save_record(ctx, Record::Booking(next))
}

/// One click handler for booking buttons in HTML lists: `data-act` is `ask`
/// (with `data-citizen`, `data-activity`, `data-start`), or `confirm`,
/// `decline` (reads the input `reason-<id>`) or `cancel` (with `data-id`).
pub fn on_booking_click(ctx: Ctx) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |ev| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button[data-act]").ok().flatten())
        else {
            return;
        };
        let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
        let lang = ctx.lang.get_untracked();
        let act = attr("data-act");
        let result = if act == "ask" {
            let parsed = (
                Uuid::parse_str(&attr("data-citizen")),
                Uuid::parse_str(&attr("data-activity")),
                naervaer_domain::wire_time::parse_instant(&attr("data-start")),
            );
            match parsed {
                (Ok(c), Ok(a), Some(start)) => ask_to_join(ctx, c, a, start),
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
            revise(ctx, &base, status, reason)
        };
        ctx.notice.set(Some(match result {
            Ok(()) => ctx.texts().saved_on_device.to_string(),
            Err(e) => format!("{e} {}", ctx.texts().kept_retrying),
        }));
    }
}
