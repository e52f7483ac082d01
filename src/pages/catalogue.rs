//! "Aktiviteter": the activity catalogue. Everyone on staff reads it; a
//! coordinator creates and edits activities here, offline too. Every edit is
//! a new revision naming the one it replaces, never an overwrite.

use chrono::{Datelike, Utc};
use leptos::prelude::*;
use naervaer_domain::activity::{Activity, Organiser, Schedule};
use naervaer_domain::clips::ClockTime;
use naervaer_domain::protocol::Record;
use naervaer_domain::time::{copenhagen_date, from_copenhagen, to_copenhagen};
use naervaer_domain::wire_time::{format_date, parse_date};
use naervaer_domain::{Role, ValidationError};
use uuid::Uuid;

use crate::actions::save::{fresh_id, save_record};
use crate::components::bind::ErrorLine;
use crate::components::choice::{Checks, Radios};
use crate::components::field::{TextArea, TextField};
use crate::context::{tr, use_ctx};
use crate::i18n::{Locale, td_string};
use crate::notice::Notice;
use crate::pages::login::Login;
use crate::time_fmt::{clock, weekday_name};

/// When an activity happens, in words: "torsdag 17:00–19:00" or "26.11.2026 14:00–16:00".
fn when_text(lang: Locale, schedule: &Schedule) -> String {
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
            td_string!(lang, every),
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

/// The weekday of a weekly activity.
#[component]
fn WeekdayField(weekday: RwSignal<String>) -> impl IntoView {
    let lang = use_ctx().lang;
    let days = (1..=7u8).map(|n| {
        let value = n.to_string();
        let selected = weekday.with_untracked(|w| *w == value);
        view! { <option value=value selected=selected>{move || weekday_name(lang.get(), n)}</option> }
    });
    view! {
        <label>
            {tr(|l| td_string!(l, weekday_every_week))}
            <select name="weekday" on:change=move |ev| weekday.set(event_target_value(&ev))>{days.collect_view()}</select>
        </label>
    }
}

/// The activity form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Fields {
    title: String,
    description: String,
    /// `association`, `volunteers` or `home_care`.
    organiser: String,
    organiser_name: String,
    place: String,
    /// `weekly` or `once`.
    kind: String,
    /// `1` (Monday) to `7`.
    weekday: String,
    /// `YYYY-MM-DD`: the day (once), or the first day (weekly).
    date: String,
    /// `YYYY-MM-DD` or empty.
    until: String,
    /// `HH:MM`.
    start: String,
    /// `HH:MM`.
    end: String,
    /// Places, or empty for no limit.
    capacity: String,
    /// Ticked: `transport`, `wheelchair`, `withdrawn`.
    facts: Vec<String>,
    contact: String,
}

impl Fields {
    /// The fields of `a`, or a new activity's.
    fn of(a: Option<&Activity>) -> Fields {
        let today = copenhagen_date(Utc::now());
        let (kind, weekday, date, until, start, end) = match a.map(|a| &a.schedule) {
            Some(Schedule::Once { starts_at, ends_at }) => (
                "once",
                to_copenhagen(*starts_at).weekday().number_from_monday(),
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
                u32::from(*weekday),
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
        let mut facts = Vec::new();
        if a.is_some_and(|a| a.transport_offered) {
            facts.push("transport".to_string());
        }
        if a.is_some_and(|a| a.wheelchair_access) {
            facts.push("wheelchair".to_string());
        }
        Fields {
            title: text(|a| &a.title),
            description: text(|a| &a.description),
            organiser: match a.map(|a| a.organiser) {
                Some(Organiser::Volunteers) => "volunteers",
                Some(Organiser::HomeCare) => "home_care",
                _ => "association",
            }
            .to_string(),
            organiser_name: text(|a| &a.organiser_name),
            place: text(|a| &a.place),
            kind: kind.to_string(),
            weekday: weekday.to_string(),
            date,
            until,
            start,
            end,
            capacity: a
                .and_then(|a| a.capacity)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            facts,
            contact: text(|a| &a.contact),
        }
    }

    /// The activity the fields describe, as a revision of `base` (none: a
    /// new activity); `None` when a date, time or number cannot be read.
    fn activity(&self, base: Option<&Activity>, id: Uuid) -> Option<Activity> {
        let start = ClockTime::parse(self.start.trim())?;
        let end = ClockTime::parse(self.end.trim())?;
        let day = parse_date(self.date.trim())?;
        let schedule = if self.kind == "once" {
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
                weekday: self.weekday.trim().parse().ok()?,
                start,
                end,
                from: day,
                until: parse_date(self.until.trim()),
            }
        };
        let has = |v: &str| self.facts.iter().any(|t| t == v);
        let capacity = self.capacity.trim();
        Some(Activity {
            id,
            activity_id: base.map_or(id, |b| b.activity_id),
            replaces: base.map(|b| b.id),
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            organiser: match self.organiser.as_str() {
                "volunteers" => Organiser::Volunteers,
                "home_care" => Organiser::HomeCare,
                _ => Organiser::Association,
            },
            organiser_name: self.organiser_name.trim().to_string(),
            place: self.place.trim().to_string(),
            schedule,
            transport_offered: has("transport"),
            wheelchair_access: has("wheelchair"),
            capacity: if capacity.is_empty() {
                None
            } else {
                Some(capacity.parse().ok()?)
            },
            contact: self.contact.trim().to_string(),
            withdrawn: has("withdrawn"),
            author_id: None,
            author_name: String::new(),
            recorded_at: Utc::now(),
        })
    }
}

/// What is wrong with an activity, in plain words.
fn problem(e: &ValidationError) -> Notice {
    Notice::Text(match e {
        ValidationError::Empty("title") => |l| td_string!(l, activity_problem.no_title),
        ValidationError::Empty(_) => |l| td_string!(l, activity_problem.no_place),
        ValidationError::OutOfRange("capacity") => |l| td_string!(l, activity_problem.places),
        ValidationError::OutOfRange(_) => |l| td_string!(l, activity_problem.times),
        _ => |l| td_string!(l, invalid_text),
    })
}

/// The activity revision the fields make (a new activity, or a revision of
/// `base`), or why it cannot be saved.
fn checked_activity(
    fields: &Fields,
    base: Option<&Activity>,
    id: Uuid,
) -> Result<Activity, Notice> {
    let Some(activity) = fields.activity(base, id) else {
        return Err(Notice::Text(|l| {
            td_string!(l, choose_the_date_weekday_and_times)
        }));
    };
    activity.validate().map_err(|e| problem(&e))?;
    Ok(activity)
}

/// The form's state: one signal per field.
#[derive(Clone, Copy)]
struct Form {
    title: RwSignal<String>,
    description: RwSignal<String>,
    organiser: RwSignal<String>,
    organiser_name: RwSignal<String>,
    place: RwSignal<String>,
    kind: RwSignal<String>,
    weekday: RwSignal<String>,
    date: RwSignal<String>,
    until: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    capacity: RwSignal<String>,
    facts: RwSignal<Vec<String>>,
    contact: RwSignal<String>,
}

impl Form {
    fn new(f: Fields) -> Form {
        Form {
            title: RwSignal::new(f.title),
            description: RwSignal::new(f.description),
            organiser: RwSignal::new(f.organiser),
            organiser_name: RwSignal::new(f.organiser_name),
            place: RwSignal::new(f.place),
            kind: RwSignal::new(f.kind),
            weekday: RwSignal::new(f.weekday),
            date: RwSignal::new(f.date),
            until: RwSignal::new(f.until),
            start: RwSignal::new(f.start),
            end: RwSignal::new(f.end),
            capacity: RwSignal::new(f.capacity),
            facts: RwSignal::new(f.facts),
            contact: RwSignal::new(f.contact),
        }
    }

    fn fields(&self) -> Fields {
        Fields {
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            organiser: self.organiser.get_untracked(),
            organiser_name: self.organiser_name.get_untracked(),
            place: self.place.get_untracked(),
            kind: self.kind.get_untracked(),
            weekday: self.weekday.get_untracked(),
            date: self.date.get_untracked(),
            until: self.until.get_untracked(),
            start: self.start.get_untracked(),
            end: self.end.get_untracked(),
            capacity: self.capacity.get_untracked(),
            facts: self.facts.get_untracked(),
            contact: self.contact.get_untracked(),
        }
    }
}

/// The form's choice lists in the user's language: organiser, kind, and
/// the facts (with "withdraw" only for an existing activity).
struct Choices {
    organisers: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    facts: Vec<(&'static str, String)>,
}

impl Choices {
    fn in_lang(lang: Locale, is_new: bool) -> Self {
        let item = |code: &'static str, text: &str| (code, text.to_owned());
        let mut facts = vec![
            item("transport", td_string!(lang, transport_offered)),
            item("wheelchair", td_string!(lang, wheelchair_access)),
        ];
        if !is_new {
            facts.push(item(
                "withdrawn",
                td_string!(lang, withdraw_from_the_programme),
            ));
        }
        Choices {
            organisers: vec![
                item("association", td_string!(lang, association)),
                item("volunteers", td_string!(lang, volunteers)),
                item("home_care", td_string!(lang, home_care)),
            ],
            kinds: vec![
                item("weekly", td_string!(lang, every_week)),
                item("once", td_string!(lang, once)),
            ],
            facts,
        }
    }
}

/// A coordinator's form for a new activity or a new revision of one.
/// It reads the data once: a sync must not reset what is being typed.
#[component]
fn ActivityForm(
    /// The activity edited; none for a new one.
    base: Option<Activity>,
    /// Back to the list (after saving, or on "‹ Aktiviteter").
    editing: RwSignal<Option<Option<Uuid>>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let form = Form::new(Fields::of(base.as_ref()));
    let error = RwSignal::new(None::<Notice>);
    let is_new = base.is_none();
    let base = StoredValue::new(base);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = fresh_id(error) else {
            return;
        };
        let checked = base.with_value(|b| checked_activity(&form.fields(), b.as_ref(), id));
        let activity = match checked {
            Ok(activity) => activity,
            Err(why) => return error.set(Some(why)),
        };
        leptos::task::spawn_local(async move {
            match save_record(ctx, Record::Activity(activity)).await {
                Ok(()) => {
                    editing.set(None);
                    ctx.notice.set(Some(Notice::Saved));
                }
                Err(e) => error.set(Some(Notice::KeptRetrying(e))),
            }
        });
    };
    move || {
        let lang = ctx.lang.get();
        let Choices {
            organisers,
            kinds,
            facts,
        } = Choices::in_lang(lang, is_new);
        let title = if is_new {
            td_string!(lang, new_activity)
        } else {
            td_string!(lang, edit_activity)
        };
        view! {
            <button type="button" class="link back" on:click=move |_| editing.set(None)>
                {format!("‹ {}", td_string!(lang, activities))}
            </button>
            <h1>{title}</h1>
            <form class="activity-form" on:submit=on_submit>
                <TextField label=td_string!(lang, title).to_owned() name="title" value=form.title/>
                <TextArea label=td_string!(lang, what_happens).to_owned() name="description" rows=3 value=form.description/>
                <Radios name="organiser" items=organisers chosen=form.organiser/>
                <TextField label=td_string!(lang, organiser).to_owned() name="organiser_name" value=form.organiser_name/>
                <TextField label=td_string!(lang, place).to_owned() name="place" value=form.place/>
                <Radios name="kind" items=kinds chosen=form.kind/>
                <WeekdayField weekday=form.weekday/>
                <div class="row">
                    <TextField label=td_string!(lang, date_every_week_first_time).to_owned() name="date" kind="date" value=form.date/>
                    <TextField label=td_string!(lang, last_time_may_be_empty).to_owned() name="until" kind="date" value=form.until/>
                </div>
                <div class="row">
                    <TextField label=td_string!(lang, from).to_owned() name="start" kind="time" value=form.start/>
                    <TextField label=td_string!(lang, to).to_owned() name="end" kind="time" value=form.end/>
                </div>
                <TextField label=td_string!(lang, places_empty_no_limit).to_owned() name="capacity" kind="number"
                    inputmode="numeric" min="1" value=form.capacity/>
                <Checks name="facts" items=facts chosen=form.facts/>
                <TextField label=td_string!(lang, contact_name_phone).to_owned() name="contact" value=form.contact/>
                <button type="submit">{td_string!(lang, save)}</button>
            </form>
            <ErrorLine error/>
        }
    }
}

/// The catalogue: one line per activity, with "Ret" for a coordinator.
#[component]
fn ActivityList(
    /// Whether the user may create and edit.
    coordinator: bool,
    /// Set to open the form.
    editing: RwSignal<Option<Option<Uuid>>>,
) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let items = ctx
            .data
            .with(|d| d.activities())
            .into_iter()
            .map(|a| {
                let places = a.capacity.map_or_else(
                    || td_string!(lang, no_limit).to_owned(),
                    |c| td_string!(lang, places, count = crate::i18n::count(c)),
                );
                let id = a.activity_id;
                let key = a.title.clone();
                let facts = format!("{} · {places} · {}", a.place, a.contact);
                view! {
                    <li class="activity" data-title=key>
                        <h3>{a.title}</h3>
                        <p class="when">{when_text(lang, &a.schedule)}</p>
                        <p class="small">{facts}</p>
                        {coordinator.then(|| view! {
                            <button type="button" class="secondary" on:click=move |_| editing.set(Some(Some(id)))>
                                {td_string!(lang, edit)}
                            </button>
                        })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h1>{td_string!(lang, activities)}</h1>
            {coordinator.then(|| view! {
                <button type="button" on:click=move |_| editing.set(Some(None))>{td_string!(lang, new_activity)}</button>
            })}
            <ul class="activities">{items}</ul>
        }
    }
}

/// The catalogue page: the list, or a coordinator's form.
#[component]
pub fn Catalogue() -> impl IntoView {
    let ctx = use_ctx();
    // None: the list; Some(None): a new activity; Some(Some(id)): editing that activity.
    let editing = RwSignal::new(None::<Option<Uuid>>);
    move || match ctx.session.get() {
        None => view! { <Login/> }.into_any(),
        Some(s) if s.user.role == Role::Citizen => {
            view! { <p>{td_string!(ctx.lang.get(), not_found)}</p> }.into_any()
        }
        Some(s) => {
            let coordinator = s.user.role == Role::Coordinator;
            let page = move || match editing.get() {
                Some(which) if coordinator => {
                    let base = which.and_then(|id| {
                        ctx.data.with_untracked(|d| {
                            d.activities().into_iter().find(|a| a.activity_id == id)
                        })
                    });
                    view! { <ActivityForm base=base editing=editing/> }.into_any()
                }
                _ => view! { <ActivityList coordinator=coordinator editing=editing/> }.into_any(),
            };
            view! { <div class="catalogue">{page}</div> }.into_any()
        }
    }
}

#[cfg(test)]
#[path = "catalogue_tests.rs"]
mod tests;
