//! "Min kalender": the citizen's own app. Large and plain: the week ahead
//! (who comes when, and her activities), her clip balance, and activities
//! after 16:00 and at weekends she can ask to join. Works offline.

use chrono::{Duration, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Booking, BookingStatus};
use naervaer_domain::klippekort::balance;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::wire_time::format_instant;
use uuid::Uuid;

use crate::bookings::on_booking_click;
use crate::calendar::{day_label, offers, status_text, week};
use crate::clips::balance_headline;
use crate::context::{Ctx, use_ctx};
use crate::data::LocalData;
use crate::html::{el, esc};
use crate::i18n::{Lang, pick};
use crate::time_fmt::clock;

/// The citizen's calendar as HTML.
fn calendar_html(ctx: Ctx, d: &LocalData, citizen: Uuid, lang: Lang) -> String {
    let today = copenhagen_date(Utc::now());
    // The catalogue and the bookings, worked out once for the week and the offers.
    let activities = d.activities();
    let bookings: Vec<Booking> = d.bookings().into_iter().map(|(b, _)| b).collect();
    let days: String = week(d, &activities, &bookings, citizen, today, 7, lang)
        .into_iter()
        .map(|(day, items)| {
            let list: String = if items.is_empty() {
                el("p", "empty", &pick(lang, "Ingen aftaler", "Nothing planned"))
            } else {
                let lis: String = items
                    .iter()
                    .map(|i| {
                        let (kind, status) = match i.status {
                            Some(s) => ("booking", el("span", "status", &status_text(lang, s))),
                            None => ("visit", String::new()),
                        };
                        let code = i.status.map_or("", |s| match s {
                            BookingStatus::Requested => "requested",
                            BookingStatus::Booked => "booked",
                            BookingStatus::Declined => "declined",
                            BookingStatus::Cancelled => "cancelled",
                        });
                        format!(
                            "<li class=\"item {kind}\" data-kind=\"{kind}\" data-status=\"{code}\">{}{}{}{status}</li>",
                            el("span", "time", &format!("{}–{}", clock(i.starts_at), clock(i.ends_at))),
                            el("strong", "who", &i.title),
                            el("span", "what", &i.detail),
                        )
                    })
                    .collect();
                format!("<ul class=\"day\">{lis}</ul>")
            };
            format!(
                "<section class=\"day\" data-day=\"{}\"><h2>{}</h2>{list}</section>",
                naervaer_domain::wire_time::format_date(day),
                esc(&day_label(lang, day, today))
            )
        })
        .collect();
    let clips = ctx
        .session
        .with_untracked(|s| s.as_ref().and_then(|s| s.clip_policy.clone()))
        .and_then(|policy| {
            let card = d.card_of(citizen)?;
            let b = balance(&policy, card.starts_on, &d.counted_ledger(card.id), today);
            Some(format!(
                "<section class=\"my-clips\" data-testid=\"my-clips\"><h2>{}</h2><p class=\"balance\">{}</p></section>",
                esc(&pick(lang, "Mit klippekort", "My clip card")),
                esc(&balance_headline(lang, &b))
            ))
        })
        .unwrap_or_default();
    let offer_items: String = offers(&activities, &bookings, citizen, today, 14)
        .into_iter()
        .map(|o| {
            let when = format!(
                "{} {}–{}",
                day_label(lang, copenhagen_date(o.occurrence.starts_at), today),
                clock(o.occurrence.starts_at),
                clock(o.occurrence.ends_at)
            );
            let mut facts = vec![o.activity.place.clone()];
            if o.activity.transport_offered {
                facts.push(pick(lang, "Transport kan aftales", "Transport can be arranged"));
            }
            if o.activity.wheelchair_access {
                facts.push(pick(lang, "Plads til kørestol", "Wheelchair access"));
            }
            let action = match o.asked {
                Some(s) if s != BookingStatus::Cancelled => el("p", "status", &status_text(lang, s)),
                _ => format!(
                    "<button type=\"button\" class=\"big\" data-act=\"ask\" data-citizen=\"{citizen}\" data-activity=\"{}\" data-start=\"{}\">{}</button>",
                    o.activity.activity_id,
                    format_instant(o.occurrence.starts_at),
                    esc(&pick(lang, "Jeg vil gerne med", "I would like to join"))
                ),
            };
            format!(
                "<li class=\"offer\" data-title=\"{}\" data-weekend=\"{}\" data-after16=\"{}\">{}{}{}{}{action}</li>",
                esc(&o.activity.title),
                o.tags.weekend,
                o.tags.after_16,
                el("h3", "", &o.activity.title),
                el("p", "when", &when),
                el("p", "", &o.activity.description),
                el("p", "small", &facts.join(" · ")),
            )
        })
        .collect();
    format!(
        "<h1>{}</h1><div class=\"week\" data-testid=\"week\">{days}</div>{clips}\
         <section data-testid=\"offers\"><h2>{}</h2><ul class=\"offers\">{offer_items}</ul></section>",
        esc(&pick(lang, "Min kalender", "My calendar")),
        esc(&pick(
            lang,
            "Aktiviteter efter kl. 16 og i weekenden",
            "Activities after 4 pm and at weekends"
        )),
    )
}

/// The citizen's start page.
#[component]
pub fn MyCalendar(
    /// The citizen.
    citizen: Uuid,
) -> impl IntoView {
    let ctx = use_ctx();
    let html = move || {
        let lang = ctx.lang.get();
        ctx.data.with(|d| calendar_html(ctx, d, citizen, lang))
    };
    view! { <div class="calendar" on:click=on_booking_click(ctx) inner_html=html></div> }
}

/// Bookings as a worker's list: who, what, when, where it stands, and the
/// buttons to confirm, decline (with a reason) or cancel.
pub fn bookings_html(lang: Lang, d: &LocalData, list: &[Booking]) -> String {
    let activities = d.activities();
    let items: String = list
        .iter()
        .map(|b| {
            let title = activities
                .iter()
                .find(|a| a.activity_id == b.activity_id)
                .map(|a| a.title.clone())
                .unwrap_or_default();
            let when = format!(
                "{} {}",
                crate::time_fmt::date(copenhagen_date(b.occurrence_start)),
                clock(b.occurrence_start)
            );
            let button = |act: &str, da: &str, en: &str| {
                format!(
                    "<button type=\"button\" class=\"secondary\" data-act=\"{act}\" data-id=\"{}\">{}</button>",
                    b.id,
                    esc(&pick(lang, da, en))
                )
            };
            let actions = match b.status {
                BookingStatus::Requested => format!(
                    "{}<input name=\"reason-{}\" placeholder=\"{}\">{}",
                    button("confirm", "Bekræft", "Confirm"),
                    b.id,
                    esc(&pick(lang, "Begrundelse for afslag", "Reason for declining")),
                    button("decline", "Afvis", "Decline")
                ),
                BookingStatus::Booked => button("cancel", "Aflys", "Cancel"),
                _ => String::new(),
            };
            let status = match b.status {
                BookingStatus::Requested => pick(lang, "Ønsker at deltage", "Asks to join"),
                BookingStatus::Booked => pick(lang, "Tilmeldt", "Booked"),
                BookingStatus::Declined => format!("{}: {}", pick(lang, "Afvist", "Declined"), b.reason),
                BookingStatus::Cancelled => pick(lang, "Aflyst", "Cancelled"),
            };
            let mut needs = Vec::new();
            for (on, da, en) in [
                (b.needs.companion, "følgeskab", "companion"),
                (b.needs.transport, "transport", "transport"),
                (b.needs.care, "pleje", "care"),
            ] {
                if on {
                    needs.push(pick(lang, da, en));
                }
            }
            let needs = if needs.is_empty() {
                String::new()
            } else {
                format!(" · {}: {}", pick(lang, "Behov", "Needs"), needs.join(", "))
            };
            let over = if b.overfilled {
                el("span", "level level-red", &pick(lang, "Flere end pladserne", "More than the places"))
            } else {
                String::new()
            };
            format!(
                "<li class=\"booking\" data-citizen=\"{}\" data-title=\"{}\">{}{over}{}</li>",
                esc(&d.citizen_name(b.citizen_id)),
                esc(&title),
                esc(&format!("{} · {title} · {when} · {status}{needs} ", d.citizen_name(b.citizen_id))),
                actions
            )
        })
        .collect();
    format!("<ul class=\"bookings\">{items}</ul>")
}

/// Requests waiting for an answer, for the worker's start page.
#[component]
pub fn Requests() -> impl IntoView {
    let ctx = use_ctx();
    let html = move || {
        let lang = ctx.lang.get();
        ctx.data.with(|d| {
            let waiting: Vec<Booking> = d
                .bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| {
                    b.status == BookingStatus::Requested
                        && b.occurrence_start > Utc::now() - Duration::hours(12)
                })
                .collect();
            if waiting.is_empty() {
                return String::new();
            }
            format!(
                "<section data-testid=\"requests\"><h2>{}</h2>{}</section>",
                esc(&pick(
                    lang,
                    "Ønsker om aktiviteter",
                    "Requests to join activities"
                )),
                bookings_html(lang, d, &waiting)
            )
        })
    };
    view! { <div on:click=on_booking_click(ctx) inner_html=html></div> }
}
