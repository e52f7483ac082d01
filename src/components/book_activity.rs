//! "Book en aktivitet" on a citizen's page (workers and coordinators): one
//! occurrence from the next two weeks and what the citizen needs. A plain
//! HTML form read with `FormData`; [`crate::bookings::book`] does the rest.

use chrono::{Duration, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Booking, Fill, Needs, fill, places_held};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::wire_time::{format_instant, parse_instant};
use uuid::Uuid;

use crate::bookings::book;
use crate::calendar::day_label;
use crate::components::bind::{ErrorLine, FormValues, event_form};
use crate::context::use_ctx;
use crate::data::LocalData;
use crate::html::{checks, esc};
use crate::i18n::{Lang, pick};
use crate::time_fmt::clock;

/// The form's fields as HTML: the occurrences of the next 14 days with the
/// free places this device knows of, and the needs.
fn form_html(lang: Lang, d: &LocalData) -> String {
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
                Fill::Free(n) => format!(" · {n} {}", pick(lang, "ledige", "free")),
                Fill::Full | Fill::Overfilled(_) => format!(" · {}", pick(lang, "fuldt", "full")),
            };
            options.push((
                o.starts_at,
                format!(
                    "<option value=\"{} {}\">{}</option>",
                    a.activity_id,
                    format_instant(o.starts_at),
                    esc(&format!(
                        "{} {}–{} · {}{places}",
                        day_label(lang, copenhagen_date(o.starts_at), today),
                        clock(o.starts_at),
                        clock(o.ends_at),
                        a.title
                    ))
                ),
            ));
        }
    }
    options.sort_by_key(|(at, _)| *at);
    let options: String = options.into_iter().map(|(_, o)| o).collect();
    let needs = [
        (
            "companion",
            pick(
                lang,
                "Følgeskab fra hjemmeplejen (bruger klip)",
                "A companion from home care (uses clips)",
            ),
        ),
        ("transport", pick(lang, "Transport", "Transport")),
        (
            "care",
            pick(lang, "Pleje under aktiviteten", "Care during the activity"),
        ),
    ];
    format!(
        "<label>{}<select name=\"occurrence\">{options}</select></label><p>{}</p>{}<button type=\"submit\">{}</button>",
        esc(&pick(lang, "Aktivitet og tid", "Activity and time")),
        esc(&pick(
            lang,
            "Hvad har borgeren brug for?",
            "What does the citizen need?"
        )),
        checks("needs", &[], &needs),
        esc(&pick(lang, "Book", "Book")),
    )
}

/// The booking form for one citizen, folded away until opened.
#[component]
pub fn BookActivity(
    /// The citizen to book.
    citizen: Uuid,
) -> impl IntoView {
    let ctx = use_ctx();
    let error = RwSignal::new(None::<String>);
    let html = move || {
        let lang = ctx.lang.get();
        ctx.data.with(|d| form_html(lang, d))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(values) = event_form(&ev).as_ref().and_then(FormValues::of) else {
            return;
        };
        let chosen = values.get("occurrence");
        let parsed = chosen
            .split_once(' ')
            .and_then(|(a, s)| Some((Uuid::parse_str(a).ok()?, parse_instant(s)?)));
        let Some((activity, start)) = parsed else {
            error.set(Some(pick(
                ctx.lang.get_untracked(),
                "Vælg en aktivitet.",
                "Choose an activity.",
            )));
            return;
        };
        let ticked = values.all("needs");
        let has = |n: &str| ticked.iter().any(|t| t == n);
        let needs = Needs {
            companion: has("companion"),
            transport: has("transport"),
            care: has("care"),
        };
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
    view! {
        <details class="book" data-testid="book-activity">
            <summary>{move || pick(ctx.lang.get(), "Book en aktivitet", "Book an activity")}</summary>
            <form on:submit=submit inner_html=html></form>
            <ErrorLine error/>
        </details>
    }
}
