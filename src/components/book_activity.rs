//! "Book en aktivitet" on a citizen's page (workers and coordinators): one
//! occurrence from the next two weeks and what the citizen needs;
//! [`crate::actions::bookings::book`] does the rest.

use chrono::{Duration, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Booking, Fill, Needs, fill, places_held};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::wire_time::{format_instant, parse_instant};
use uuid::Uuid;

use crate::actions::bookings::book;
use crate::calendar::day_label;
use crate::components::bind::ErrorLine;
use crate::components::choice::Checks;
use crate::context::tr;
use crate::context::use_ctx;
use crate::data::LocalData;
use crate::i18n::{Locale, td_string};
use crate::notice::Notice;
use crate::time_fmt::clock;

/// The occurrences of the next 14 days, earliest first, as (value, label):
/// the value is "<activity id> <start>", the label says when, what, and the
/// free places this device knows of.
fn occurrence_options(lang: Locale, d: &LocalData) -> Vec<(String, String)> {
    let today = copenhagen_date(Utc::now());
    let revisions: Vec<Booking> = d.bookings().into_iter().map(|(b, _)| b).collect();
    let mut options = Vec::new();
    for a in d.activities() {
        for o in a.schedule.occurrences(today, today + Duration::days(13)) {
            if o.starts_at < Utc::now() {
                continue;
            }
            let held = places_held(&revisions, a.activity_id, o.starts_at, None);
            let places = match fill(a.capacity, held) {
                Fill::Open => String::new(),
                Fill::Free(n) => format!(
                    " · {}",
                    td_string!(lang, free_places, count = crate::i18n::count(n))
                ),
                Fill::Full | Fill::Overfilled(_) => format!(" · {}", td_string!(lang, full)),
            };
            let label = format!(
                "{} {}–{} · {}{places}",
                day_label(lang, copenhagen_date(o.starts_at), today),
                clock(o.starts_at),
                clock(o.ends_at),
                a.title
            );
            options.push((
                o.starts_at,
                format!("{} {}", a.activity_id, format_instant(o.starts_at)),
                label,
            ));
        }
    }
    options.sort_by_key(|(at, _, _)| *at);
    options.into_iter().map(|(_, v, l)| (v, l)).collect()
}

/// The occurrence an option names: `<activity id> <start>`.
pub fn occurrence_of(value: &str) -> Option<(Uuid, chrono::DateTime<Utc>)> {
    let (activity, start) = value.split_once(' ')?;
    Some((Uuid::parse_str(activity).ok()?, parse_instant(start)?))
}

/// The needs ticked (`companion`, `transport`, `care`).
pub fn needs_of(ticked: &[String]) -> Needs {
    let has = |n: &str| ticked.iter().any(|t| t == n);
    Needs {
        companion: has("companion"),
        transport: has("transport"),
        care: has("care"),
    }
}

/// The booking form for one citizen, folded away until opened.
#[component]
pub fn BookActivity(
    /// The citizen to book.
    citizen: Uuid,
) -> impl IntoView {
    let ctx = use_ctx();
    let error = RwSignal::new(None::<Notice>);
    let chosen = RwSignal::new(String::new());
    let needs = RwSignal::new(Vec::<String>::new());
    let options = move || {
        let lang = ctx.lang.get();
        let options = ctx.data.with(|d| occurrence_options(lang, d));
        // The first time is picked until the user picks another.
        if let Some((first, _)) = options.first()
            && !options
                .iter()
                .any(|(v, _)| chosen.with_untracked(|c| c == v))
        {
            chosen.set(first.clone());
        }
        options
            .into_iter()
            .map(|(value, label)| {
                let selected = chosen.with_untracked(|c| *c == value);
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((activity, start)) = chosen.with_untracked(|c| occurrence_of(c)) else {
            error.set(Some(Notice::Text(|l| td_string!(l, choose_an_activity))));
            return;
        };
        let needs = needs.with_untracked(|ticked| needs_of(ticked));
        leptos::task::spawn_local(async move {
            match book(ctx, citizen, activity, start, needs).await {
                Ok(message) => {
                    error.set(None);
                    ctx.notice.set(Some(message));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let need_items = move || {
        let lang = ctx.lang.get();
        let items = vec![
            (
                "companion",
                td_string!(lang, a_companion_from_home_care_uses).to_owned(),
            ),
            ("transport", td_string!(lang, transport).to_owned()),
            (
                "care",
                td_string!(lang, care_during_the_activity).to_owned(),
            ),
        ];
        view! { <Checks name="needs" items=items chosen=needs/> }
    };
    view! {
        <details class="book" data-testid="book-activity">
            <summary>{tr(|l| td_string!(l, book_an_activity))}</summary>
            <form on:submit=submit>
                <label>
                    {tr(|l| td_string!(l, activity_and_time))}
                    <select name="occurrence" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {options}
                    </select>
                </label>
                <p>{tr(|l| td_string!(l, what_does_the_citizen_need))}</p>
                {need_items}
                <button type="submit">{tr(|l| td_string!(l, book))}</button>
            </form>
            <ErrorLine error/>
        </details>
    }
}

#[cfg(test)]
#[path = "book_activity_tests.rs"]
mod tests;
