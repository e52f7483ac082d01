//! "Min kalender": the citizen's own app. Large and plain: the week ahead
//! (who comes when, and her activities), her clip balance, and activities
//! after 16:00 and at weekends she can ask to join. Works offline.

use chrono::{Duration, NaiveDate, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Booking, BookingStatus};
use naervaer_domain::clips::balance;
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::actions::bookings::ask;
use crate::calendar::{Item, Offer, day_label, offers, status_text, week};
use crate::clip_text::balance_headline;
use crate::components::booking_list::BookingList;
use crate::context::tr;
use crate::context::use_ctx;
use crate::i18n::td_string;
use crate::time_fmt::clock;

/// The citizen's start page.
#[component]
pub fn MyCalendar(
    /// The citizen.
    citizen: Uuid,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let today = copenhagen_date(Utc::now());
    // The catalogue and the bookings, for the week and the offers.
    let known = move || {
        ctx.data.with(|d| {
            let bookings: Vec<Booking> = d.bookings().into_iter().map(|(b, _)| b).collect();
            (d.activities(), bookings)
        })
    };
    let days = move || {
        let lang = lang();
        let (activities, bookings) = known();
        ctx.data
            .with(|d| week(d, &activities, &bookings, citizen, today, 7, lang))
            .into_iter()
            .map(|(day, items)| view! { <Day day=day today=today items=items/> })
            .collect_view()
    };
    let clips = move || {
        let policy = ctx
            .session
            .with(|s| s.as_ref().and_then(|s| s.clip_policy.clone()))?;
        let b = ctx.data.with(|d| {
            let card = d.card_of(citizen)?;
            Some(balance(
                &policy,
                card.starts_on,
                &d.counted_ledger(card.id),
                today,
            ))
        })?;
        Some(view! {
            <section class="my-clips" data-testid="my-clips">
                <h2>{td_string!(lang(), my_clip_card)}</h2>
                <p class="balance">{balance_headline(lang(), &b)}</p>
            </section>
        })
    };
    let offer_items = move || {
        let (activities, bookings) = known();
        offers(&activities, &bookings, citizen, today, 14)
            .into_iter()
            .map(|o| view! { <OfferItem offer=o citizen=citizen today=today/> })
            .collect_view()
    };
    view! {
        <div class="calendar">
            <h1>{tr(|l| td_string!(l, my_calendar))}</h1>
            <div class="week" data-testid="week">{days}</div>
            {clips}
            <section data-testid="offers">
                <h2>{tr(|l| td_string!(l, activities_after_4_pm_and_at))}</h2>
                <ul class="offers">{offer_items}</ul>
            </section>
        </div>
    }
}

/// One day of the week: visits and activities in time order.
#[component]
fn Day(day: NaiveDate, today: NaiveDate, items: Vec<Item>) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang.get_untracked();
    let list = if items.is_empty() {
        view! { <p class="empty">{td_string!(lang, nothing_planned)}</p> }.into_any()
    } else {
        let lis = items
            .into_iter()
            .map(|i| {
                let kind = if i.status.is_some() { "booking" } else { "visit" };
                let code = i.status.map_or("", |s| match s {
                    BookingStatus::Requested => "requested",
                    BookingStatus::Booked => "booked",
                    BookingStatus::Declined => "declined",
                    BookingStatus::Cancelled => "cancelled",
                });
                view! {
                    <li class=format!("item {kind}") data-kind=kind data-status=code>
                        <span class="time">{format!("{}–{}", clock(i.starts_at), clock(i.ends_at))}</span>
                        <strong class="who">{i.title}</strong>
                        <span class="what">{i.detail}</span>
                        {i.status.map(|s| view! { <span class="status">{status_text(lang, s)}</span> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="day">{lis}</ul> }.into_any()
    };
    view! {
        <section class="day" data-day=naervaer_domain::wire_time::format_date(day)>
            <h2>{day_label(lang, day, today)}</h2>
            {list}
        </section>
    }
}

/// An activity she may ask to join, with the button (or where her ask stands).
#[component]
fn OfferItem(offer: Offer, citizen: Uuid, today: NaiveDate) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang.get_untracked();
    let o = offer;
    let when = format!(
        "{} {}–{}",
        day_label(lang, copenhagen_date(o.occurrence.starts_at), today),
        clock(o.occurrence.starts_at),
        clock(o.occurrence.ends_at)
    );
    let mut facts = vec![o.activity.place.clone()];
    if o.activity.transport_offered {
        facts.push(td_string!(lang, transport_can_be_arranged).to_owned());
    }
    if o.activity.wheelchair_access {
        facts.push(td_string!(lang, wheelchair_access).to_owned());
    }
    let (activity, start) = (o.activity.activity_id, o.occurrence.starts_at);
    let action = match o.asked {
        Some(s) if s != BookingStatus::Cancelled => {
            view! { <p class="status">{status_text(lang, s)}</p> }.into_any()
        }
        _ => view! {
            <button type="button" class="big" on:click=move |_| ask(ctx, citizen, activity, start)>
                {td_string!(lang, i_would_like_to_join)}
            </button>
        }
        .into_any(),
    };
    let key = o.activity.title.clone();
    view! {
        <li class="offer" data-title=key data-weekend=o.tags.weekend.to_string() data-after16=o.tags.after_16.to_string()>
            <h3>{o.activity.title}</h3>
            <p class="when">{when}</p>
            <p>{o.activity.description}</p>
            <p class="small">{facts.join(" · ")}</p>
            {action}
        </li>
    }
}

/// Requests waiting for an answer, for the worker's start page.
#[component]
pub fn Requests() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let waiting: Vec<Booking> = ctx.data.with(|d| {
            d.bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| {
                    b.status == BookingStatus::Requested
                        && b.occurrence_start > Utc::now() - Duration::hours(12)
                })
                .collect()
        });
        (!waiting.is_empty()).then(|| {
            view! {
                <section data-testid="requests">
                    <h2>{td_string!(ctx.lang.get(), requests_to_join_activities)}</h2>
                    <BookingList bookings=waiting/>
                </section>
            }
        })
    }
}
