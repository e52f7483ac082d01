//! "Aktiviteter": the activity catalogue. Everyone on staff reads it; a
//! coordinator creates and edits activities here, offline too. Every edit is
//! a new revision naming the one it replaces, never an overwrite.

use chrono::{Datelike, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Activity, Organiser, Schedule};
use naervaer_domain::klippekort::ClockTime;
use naervaer_domain::sync::Record;
use naervaer_domain::time::{copenhagen_date, from_copenhagen, to_copenhagen};
use naervaer_domain::wire_time::{format_date, parse_date};
use naervaer_domain::{Role, ValidationError};
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::actions::save_record;
use crate::components::bind::{ErrorLine, FormValues};
use crate::context::use_ctx;
use crate::html::{checks, el, esc, input, radios, textarea};
use crate::i18n::{Lang, pick};
use crate::pages::login::Login;
use crate::sync::random_uuid;
use crate::time_fmt::{clock, weekday_name};

/// When an activity happens, in words: "torsdag 17:00–19:00" or "26.11.2026 14:00–16:00".
fn when_text(lang: Lang, schedule: &Schedule) -> String {
    match schedule {
        Schedule::Once { starts_at, ends_at } => format!(
            "{} {}–{}",
            crate::time_fmt::date(copenhagen_date(*starts_at)),
            clock(*starts_at),
            clock(*ends_at)
        ),
        Schedule::Weekly {
            weekday,
            start,
            end,
            ..
        } => format!(
            "{} {} {}–{}",
            pick(lang, "Hver", "Every"),
            weekday_name(lang, *weekday),
            clock_text(*start),
            clock_text(*end)
        ),
    }
}

/// "HH:MM".
fn clock_text(t: ClockTime) -> String {
    format!("{:02}:{:02}", t.minutes() / 60, t.minutes() % 60)
}

/// The activity the form describes, as a revision of `base` (none: a new activity).
fn activity_from(values: &FormValues, base: Option<&Activity>, id: Uuid) -> Option<Activity> {
    let get = |name: &str| values.get(name).trim().to_string();
    let start = ClockTime::parse(&get("start"))?;
    let end = ClockTime::parse(&get("end"))?;
    let day = parse_date(&get("date"))?;
    let schedule = if get("kind") == "once" {
        let at = |t: ClockTime| {
            let time = chrono::NaiveTime::from_hms_opt(t.minutes() / 60, t.minutes() % 60, 0)?;
            Some(from_copenhagen(day.and_time(time)))
        };
        Schedule::Once {
            starts_at: at(start)?,
            ends_at: at(end)?,
        }
    } else {
        Schedule::Weekly {
            weekday: get("weekday").parse().ok()?,
            start,
            end,
            from: day,
            until: parse_date(&get("until")),
        }
    };
    let ticked = values.all("facts");
    let has = |v: &str| ticked.iter().any(|t| t == v);
    let capacity = get("capacity");
    Some(Activity {
        id,
        activity_id: base.map_or(id, |b| b.activity_id),
        replaces: base.map(|b| b.id),
        title: get("title"),
        description: get("description"),
        organiser: match get("organiser").as_str() {
            "volunteers" => Organiser::Volunteers,
            "home_care" => Organiser::HomeCare,
            _ => Organiser::Association,
        },
        organiser_name: get("organiser_name"),
        place: get("place"),
        schedule,
        transport_offered: has("transport"),
        wheelchair_access: has("wheelchair"),
        capacity: if capacity.is_empty() {
            None
        } else {
            Some(capacity.parse().ok()?)
        },
        contact: get("contact"),
        withdrawn: has("withdrawn"),
        author_id: None,
        author_name: String::new(),
        recorded_at: Utc::now(),
    })
}

/// What is wrong with an activity, in plain words.
fn problem_text(lang: Lang, e: &ValidationError) -> String {
    let (da, en) = match e {
        ValidationError::Empty("title") => ("Skriv en titel.", "Write a title."),
        ValidationError::Empty(_) => ("Skriv hvor det foregår.", "Write where it is."),
        ValidationError::OutOfRange("capacity") => (
            "Pladser skal være mindst 1 (tomt: ingen grænse).",
            "Places must be at least 1 (empty: no limit).",
        ),
        ValidationError::OutOfRange(_) => (
            "Slut skal være efter start, og sidste dag efter første.",
            "The end must be after the start, and the last day after the first.",
        ),
        _ => ("En tekst er for lang.", "A text is too long."),
    };
    pick(lang, da, en)
}

/// The form's fields, filled from `a` (or empty for a new activity).
fn form_html(lang: Lang, a: Option<&Activity>) -> String {
    let today = copenhagen_date(Utc::now());
    let (kind, weekday, day, until, start, end) = match a.map(|a| &a.schedule) {
        Some(Schedule::Once { starts_at, ends_at }) => (
            "once",
            u8::try_from(to_copenhagen(*starts_at).weekday().number_from_monday()).unwrap_or(1),
            format_date(copenhagen_date(*starts_at)),
            String::new(),
            clock(*starts_at),
            clock(*ends_at),
        ),
        Some(Schedule::Weekly {
            weekday,
            start,
            end,
            from,
            until,
        }) => (
            "weekly",
            *weekday,
            format_date(*from),
            until.map(format_date).unwrap_or_default(),
            clock_text(*start),
            clock_text(*end),
        ),
        None => (
            "weekly",
            1,
            format_date(today),
            String::new(),
            "14:00".into(),
            "16:00".into(),
        ),
    };
    let text = |f: fn(&Activity) -> &str| a.map(f).unwrap_or_default().to_string();
    let capacity = a
        .and_then(|a| a.capacity)
        .map(|c| c.to_string())
        .unwrap_or_default();
    let organiser = match a.map(|a| a.organiser) {
        Some(Organiser::Volunteers) => "volunteers",
        Some(Organiser::HomeCare) => "home_care",
        _ => "association",
    };
    let days: String = (1..=7u8)
        .map(|n| {
            format!(
                "<option value=\"{n}\"{}>{}</option>",
                if n == weekday { " selected" } else { "" },
                weekday_name(lang, n)
            )
        })
        .collect();
    let mut facts = Vec::new();
    if a.is_some_and(|a| a.transport_offered) {
        facts.push("transport".to_string());
    }
    if a.is_some_and(|a| a.wheelchair_access) {
        facts.push("wheelchair".to_string());
    }
    let mut fact_items = vec![
        (
            "transport",
            pick(lang, "Transport kan aftales", "Transport offered"),
        ),
        (
            "wheelchair",
            pick(lang, "Plads til kørestol", "Wheelchair access"),
        ),
    ];
    if a.is_some() {
        fact_items.push((
            "withdrawn",
            pick(lang, "Tag af programmet", "Withdraw from the programme"),
        ));
    }
    [
        input("", &pick(lang, "Titel", "Title"), "name=\"title\"", &text(|a| &a.title)),
        textarea(
            "",
            &pick(lang, "Hvad sker der?", "What happens?"),
            "description",
            3,
            &text(|a| &a.description),
        ),
        radios(
            "organiser",
            organiser,
            &[
                ("association", pick(lang, "Forening", "Association")),
                ("volunteers", pick(lang, "Frivillige", "Volunteers")),
                ("home_care", pick(lang, "Hjemmeplejen", "Home care")),
            ],
        ),
        input("", &pick(lang, "Arrangør", "Organiser"), "name=\"organiser_name\"", &text(|a| &a.organiser_name)),
        input("", &pick(lang, "Sted", "Place"), "name=\"place\"", &text(|a| &a.place)),
        radios(
            "kind",
            kind,
            &[
                ("weekly", pick(lang, "Hver uge", "Every week")),
                ("once", pick(lang, "Én gang", "Once")),
            ],
        ),
        format!(
            "<label>{}<select name=\"weekday\">{days}</select></label><div class=\"row\">{}{}</div><div class=\"row\">{}{}</div>{}",
            esc(&pick(lang, "Ugedag (hver uge)", "Weekday (every week)")),
            input("", &pick(lang, "Dato (hver uge: første gang)", "Date (every week: first time)"), "type=\"date\" name=\"date\"", &day),
            input("", &pick(lang, "Sidste gang (kan være tom)", "Last time (may be empty)"), "type=\"date\" name=\"until\"", &until),
            input("", &pick(lang, "Fra kl.", "From"), "type=\"time\" name=\"start\"", &start),
            input("", &pick(lang, "Til kl.", "To"), "type=\"time\" name=\"end\"", &end),
            input("", &pick(lang, "Pladser (tom: ingen grænse)", "Places (empty: no limit)"), "type=\"number\" name=\"capacity\" inputmode=\"numeric\" min=\"1\"", &capacity)
        ),
        checks("facts", &facts, &fact_items),
        input("", &pick(lang, "Kontakt (navn, telefon)", "Contact (name, phone)"), "name=\"contact\"", &text(|a| &a.contact)),
        format!("<button type=\"submit\">{}</button>", esc(&pick(lang, "Gem", "Save"))),
    ]
    .concat()
}

/// The catalogue as HTML: one line per activity, with "Ret" for a coordinator.
fn list_html(lang: Lang, activities: &[Activity], coordinator: bool) -> String {
    let items: String = activities
        .iter()
        .map(|a| {
            let places = a.capacity.map_or_else(
                || pick(lang, "ingen grænse", "no limit"),
                |c| match (c, lang) {
                    (1, Lang::Da) => "1 plads".to_string(),
                    (1, Lang::En) => "1 place".to_string(),
                    _ => format!("{c} {}", pick(lang, "pladser", "places")),
                },
            );
            let edit = if coordinator {
                format!(
                    "<button type=\"button\" class=\"secondary\" data-act=\"edit\" data-id=\"{}\">{}</button>",
                    a.activity_id,
                    esc(&pick(lang, "Ret", "Edit"))
                )
            } else {
                String::new()
            };
            format!(
                "<li class=\"activity\" data-title=\"{}\">{}{}{}{edit}</li>",
                esc(&a.title),
                el("h3", "", &a.title),
                el("p", "when", &when_text(lang, &a.schedule)),
                el("p", "small", &format!("{} · {places} · {}", a.place, a.contact)),
            )
        })
        .collect();
    format!("<ul class=\"activities\">{items}</ul>")
}

/// The catalogue page: one HTML block (the list, or the form) with one
/// click and one submit handler, and the form's error line.
#[component]
pub fn Catalogue() -> impl IntoView {
    let ctx = use_ctx();
    // None: the list; Some(None): a new activity; Some(Some(id)): editing that activity.
    let editing = RwSignal::new(None::<Option<Uuid>>);
    let error = RwSignal::new(None::<String>);
    let current = move |activity_id: Option<Uuid>| {
        activity_id.and_then(|id| {
            ctx.data
                .with_untracked(|d| d.activities().into_iter().find(|a| a.activity_id == id))
        })
    };

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = crate::html::clicked_button(&ev) else {
            return;
        };
        error.set(None);
        let id = button
            .get_attribute("data-id")
            .and_then(|id| Uuid::parse_str(&id).ok());
        editing.set(match button.get_attribute("data-act").as_deref() {
            Some("edit") => Some(id),
            _ => None,
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        let (Some(values), Some(id)) = (form.as_ref().and_then(FormValues::of), random_uuid())
        else {
            return;
        };
        let base = current(editing.get_untracked().flatten());
        let Some(activity) = activity_from(&values, base.as_ref(), id) else {
            error.set(Some(pick(
                lang,
                "Vælg dato, ugedag og tider; pladser skal være et tal.",
                "Choose the date, weekday and times; places must be a number.",
            )));
            return;
        };
        if let Err(e) = activity.validate() {
            error.set(Some(problem_text(lang, &e)));
            return;
        }
        leptos::task::spawn_local(async move {
            match save_record(ctx, Record::Activity(activity)).await {
                Ok(()) => {
                    editing.set(None);
                    ctx.notice
                        .set(Some(ctx.texts().saved_on_device.to_string()));
                }
                Err(e) => error.set(Some(format!("{e} {}", ctx.texts().kept_retrying))),
            }
        });
    };

    let html = move || {
        let Some(session) = ctx.session.get() else {
            return String::new();
        };
        let lang = ctx.lang.get();
        let coordinator = session.user.role == Role::Coordinator;
        let button = |act: &str, class: &str, text: &str| {
            format!(
                "<button type=\"button\" class=\"{class}\" data-act=\"{act}\">{}</button>",
                esc(text)
            )
        };
        match editing.get() {
            // The form reads the data untracked: a sync must not reset what is being typed.
            Some(which) if coordinator => {
                let base = current(which);
                let title = if base.is_some() {
                    pick(lang, "Ret aktivitet", "Edit activity")
                } else {
                    pick(lang, "Ny aktivitet", "New activity")
                };
                format!(
                    "{}{}<form class=\"activity-form\">{}</form>",
                    button(
                        "list",
                        "link back",
                        &format!("‹ {}", pick(lang, "Aktiviteter", "Activities"))
                    ),
                    el("h1", "", &title),
                    form_html(lang, base.as_ref())
                )
            }
            _ => {
                let list = ctx
                    .data
                    .with(|d| list_html(lang, &d.activities(), coordinator));
                let new = if coordinator {
                    button("edit", "", &pick(lang, "Ny aktivitet", "New activity"))
                } else {
                    String::new()
                };
                format!(
                    "{}{new}{list}",
                    el("h1", "", &pick(lang, "Aktiviteter", "Activities"))
                )
            }
        }
    };

    move || match ctx.session.get() {
        None => view! { <Login/> }.into_any(),
        Some(s) if s.user.role == Role::Citizen => view! { <p>{ctx.t().not_found}</p> }.into_any(),
        Some(_) => view! {
            <div class="catalogue" on:click=on_click on:submit=on_submit inner_html=html></div>
            <ErrorLine error/>
        }
        .into_any(),
    }
}
