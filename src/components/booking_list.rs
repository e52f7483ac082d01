//! Bookings as a worker sees them: who, what, when, where each stands, and
//! the buttons to confirm, decline (with a reason) or cancel.

use leptos::prelude::*;
use naervaer_domain::activity::{Booking, BookingStatus};
use naervaer_domain::time::copenhagen_date;

use crate::actions::bookings::answer;
use crate::components::bind;
use crate::context::tr;
use crate::context::use_ctx;
use crate::i18n::{Locale, td_string};
use crate::time_fmt::clock;

/// A list of bookings with their answer buttons.
#[component]
pub fn BookingList(
    /// The bookings, in the order shown.
    bookings: Vec<Booking>,
) -> impl IntoView {
    view! {
        <ul class="bookings">
            {bookings.into_iter().map(|b| view! { <BookingRow booking=b/> }).collect_view()}
        </ul>
    }
}

/// What a worker reads about a booking's status.
fn status_line(lang: Locale, b: &Booking) -> String {
    match b.status {
        BookingStatus::Requested => td_string!(lang, asks_to_join).to_owned(),
        BookingStatus::Booked => td_string!(lang, booked).to_owned(),
        BookingStatus::Declined => format!("{}: {}", td_string!(lang, declined), b.reason),
        BookingStatus::Cancelled => td_string!(lang, cancelled).to_owned(),
    }
}

/// The needs asked for, as " · Behov: følgeskab, transport" (or nothing).
fn needs_line(lang: Locale, b: &Booking) -> String {
    let needs: Vec<&str> = [
        (b.needs.companion, td_string!(lang, need.companion)),
        (b.needs.transport, td_string!(lang, need.transport)),
        (b.needs.care, td_string!(lang, need.care)),
    ]
    .into_iter()
    .filter_map(|(on, label)| on.then_some(label))
    .collect();
    if needs.is_empty() {
        String::new()
    } else {
        format!(" · {}: {}", td_string!(lang, needs), needs.join(", "))
    }
}

/// One booking.
#[component]
fn BookingRow(booking: Booking) -> impl IntoView {
    let ctx = use_ctx();
    let reason = RwSignal::new(String::new());
    let b = booking.clone();
    // The list is rebuilt when the device's data changes: read once here.
    let (citizen, title) = ctx.data.with_untracked(|d| {
        let title = d
            .activities()
            .into_iter()
            .find(|a| a.activity_id == b.activity_id)
            .map(|a| a.title)
            .unwrap_or_default();
        (d.citizen_name(b.citizen_id), title)
    });
    let when = format!(
        "{} {}",
        crate::time_fmt::date(copenhagen_date(b.occurrence_start)),
        clock(b.occurrence_start)
    );
    let line = {
        let (citizen, title, b) = (citizen.clone(), title.clone(), b.clone());
        move || {
            let lang = ctx.lang.get();
            format!(
                "{citizen} · {title} · {when} · {}{} ",
                status_line(lang, &b),
                needs_line(lang, &b)
            )
        }
    };
    let base = StoredValue::new(booking.clone());
    let act = move |status: BookingStatus| {
        move |_| answer(ctx, base.get_value(), status, reason.get_untracked())
    };
    let status = b.status;
    let overfilled = b.overfilled;
    view! {
        <li class="booking" data-citizen=citizen data-title=title>
            {line}
            {overfilled.then(|| view! {
                <span class="level level-red">{tr(|l| td_string!(l, more_than_the_places))}</span>
            })}
            {match status {
                BookingStatus::Requested => view! {
                    <button type="button" class="secondary" on:click=act(BookingStatus::Booked)>
                        {tr(|l| td_string!(l, confirm))}
                    </button>
                    <input
                        aria-label=tr(|l| td_string!(l, reason_for_declining))
                        placeholder=tr(|l| td_string!(l, reason_for_declining))
                        prop:value=bind::shown(reason)
                        on:input=bind::on_input(reason)
                    />
                    <button type="button" class="secondary" on:click=act(BookingStatus::Declined)>
                        {tr(|l| td_string!(l, decline))}
                    </button>
                }.into_any(),
                BookingStatus::Booked => view! {
                    <button type="button" class="secondary" on:click=act(BookingStatus::Cancelled)>
                        {tr(|l| td_string!(l, cancel_booking))}
                    </button>
                }.into_any(),
                _ => ().into_any(),
            }}
        </li>
    }
}
