//! "Brug klip": record time spent, plan a use, register a pause, or (a
//! coordinator) adjust the balance; checked against the municipality's policy
//! on the device before it is saved (offline too).

use chrono::{Timelike, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use naervaer_domain::clips::{Breach, ClipCard, ClipEntry, ClipPolicy, EntryKind, check};
use naervaer_domain::protocol::Record;
use naervaer_domain::time::{copenhagen_date, to_copenhagen};
use naervaer_domain::wire_time::parse_date;
use naervaer_domain::{Role, User};

use crate::actions::clips::new_entry;
use crate::actions::save::{fresh_id, report_save, save_record};
use crate::clip_text::{breach_text, date_value, parse_local};
use crate::components::bind::ErrorLine;
use crate::components::choice::Radios;
use crate::components::field::TextField;
use crate::context::{tr, use_ctx};
use crate::i18n::{Locale, td_string};
use crate::notice::Notice;
use crate::pages::citizen::{form_target, route_citizen_id};

/// The form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// `use`, `plan`, `pause` or `adjust`.
    pub kind: String,
    /// What the time is for.
    pub purpose: String,
    /// `YYYY-MM-DD`: the day of the use, or a pause's first day.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// Minutes (signed for an adjustment); empty means one clip.
    pub minutes: String,
    /// `1` or `2`.
    pub helpers: String,
    /// Transport minutes.
    pub transport: String,
    /// A pause's weeks.
    pub weeks: String,
    /// Why (a pause, an adjustment, a coordinator's exception).
    pub reason: String,
}

/// The ledger entry the fields describe, for a card, by `author`.
pub fn entry_from(fields: &Fields, card: &ClipCard, author: &User, clip_minutes: u32) -> ClipEntry {
    let kind = match fields.kind.as_str() {
        "plan" => EntryKind::Plan,
        "pause" => EntryKind::Pause,
        "adjust" => EntryKind::Adjust,
        _ => EntryKind::Use,
    };
    let mut e = new_entry(kind, card.id, card.citizen_id, uuid::Uuid::nil(), author);
    let number = |s: &str, empty: i32| {
        let s = s.trim();
        if s.is_empty() {
            Some(empty)
        } else {
            s.parse().ok()
        }
    };
    e.reason = fields.reason.trim().to_string();
    match kind {
        EntryKind::Pause => {
            e.pause_from = parse_date(&fields.date);
            e.pause_weeks = fields.weeks.trim().parse().unwrap_or(0);
        }
        EntryKind::Adjust => e.minutes = number(&fields.minutes, 0).unwrap_or(0),
        _ => {
            e.purpose = fields.purpose.trim().to_string();
            e.at = parse_local(&fields.date, &fields.time);
            let clip = i32::try_from(clip_minutes).unwrap_or(30);
            e.minutes = number(&fields.minutes, clip).unwrap_or(0);
            e.helpers = if fields.helpers == "2" { 2 } else { 1 };
            e.transport_minutes = number(&fields.transport, 0).unwrap_or(-1);
        }
    }
    e
}

/// Why the entry cannot be saved as it is, in plain words (rule breaches
/// are handled apart).
pub fn problem(e: &ClipEntry) -> Option<Notice> {
    let spend = matches!(e.kind, EntryKind::Use | EntryKind::Plan);
    let text: fn(Locale) -> &'static str = match e.kind {
        _ if spend && e.purpose.is_empty() => |l| td_string!(l, clip_problem.no_purpose),
        _ if spend && e.at.is_none() => |l| td_string!(l, clip_problem.no_time),
        _ if e.validate().is_ok() => return None,
        EntryKind::Pause => |l| td_string!(l, clip_problem.pause),
        EntryKind::Adjust => |l| td_string!(l, clip_problem.adjust),
        _ => |l| td_string!(l, clip_problem.minutes),
    };
    Some(Notice::Text(text))
}

/// What "Gem" does with the entry the form makes.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Save this entry.
    Save(ClipEntry),
    /// Do not save; tell the user why.
    Refuse(Notice),
    /// Time already spent breaks a rule: say so, and save at the next
    /// "Gem alligevel".
    Confirm,
}

/// The verdict on `entry` with its rule `breaches`: a plan that breaks a
/// rule is refused unless a coordinator gives a reason; a use that breaks
/// one (the time was spent) is saved once the user has been `asked`. A
/// worker's reason is not kept on a use or plan (only a coordinator's
/// exception is).
pub fn verdict(
    mut entry: ClipEntry,
    breaches: &[Breach],
    coordinator: bool,
    asked: bool,
) -> Verdict {
    if let Some(why) = problem(&entry) {
        return Verdict::Refuse(why);
    }
    let spend = matches!(entry.kind, EntryKind::Use | EntryKind::Plan);
    if !breaches.is_empty() {
        let plan = entry.kind == EntryKind::Plan;
        let excused = coordinator && !entry.reason.is_empty();
        if plan && !excused {
            return Verdict::Refuse(if coordinator {
                Notice::Text(|l| td_string!(l, give_a_reason_to_plan_it))
            } else {
                Notice::Text(|l| td_string!(l, the_plan_breaks_the_rules_above))
            });
        }
        if !plan && !asked {
            return Verdict::Confirm;
        }
    }
    if spend && !coordinator {
        entry.reason.clear();
    }
    Verdict::Save(entry)
}

/// The form's state: one signal per field.
#[derive(Clone, Copy)]
struct Form {
    kind: RwSignal<String>,
    purpose: RwSignal<String>,
    date: RwSignal<String>,
    time: RwSignal<String>,
    minutes: RwSignal<String>,
    helpers: RwSignal<String>,
    transport: RwSignal<String>,
    weeks: RwSignal<String>,
    reason: RwSignal<String>,
}

impl Form {
    /// A form filled with `f`.
    fn new(f: Fields) -> Form {
        Form {
            kind: RwSignal::new(f.kind),
            purpose: RwSignal::new(f.purpose),
            date: RwSignal::new(f.date),
            time: RwSignal::new(f.time),
            minutes: RwSignal::new(f.minutes),
            helpers: RwSignal::new(f.helpers),
            transport: RwSignal::new(f.transport),
            weeks: RwSignal::new(f.weeks),
            reason: RwSignal::new(f.reason),
        }
    }

    /// The fields as typed (tracked).
    fn fields(&self) -> Fields {
        Fields {
            kind: self.kind.get(),
            purpose: self.purpose.get(),
            date: self.date.get(),
            time: self.time.get(),
            minutes: self.minutes.get(),
            helpers: self.helpers.get(),
            transport: self.transport.get(),
            weeks: self.weeks.get(),
            reason: self.reason.get(),
        }
    }
}

/// The fields; those a kind does not need are hidden by the form's class (CSS).
#[component]
fn ClipFields(form: Form, coordinator: bool, clip: u32) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let mut kinds = vec![
            ("use", td_string!(lang, the_time_was_spent).to_owned()),
            ("plan", td_string!(lang, plan_for_later).to_owned()),
            ("pause", td_string!(lang, pause_no_home_care).to_owned()),
        ];
        if coordinator {
            kinds.push(("adjust", td_string!(lang, adjust_the_balance).to_owned()));
        }
        let helpers = vec![
            ("1", td_string!(lang, one_helper).to_owned()),
            ("2", td_string!(lang, two_helpers).to_owned()),
        ];
        let minutes_label = td_string!(lang, minutes_field, clip);
        view! {
            <Radios name="kind" items=kinds chosen=form.kind/>
            <TextField class="f-spend" label=td_string!(lang, what_is_the_time_for).to_owned() name="purpose" value=form.purpose/>
            <div class="row">
                <TextField class="f-date" label=td_string!(lang, date_for_a_pause_first_day).to_owned() name="date" kind="date" value=form.date/>
                <TextField class="f-spend" label=td_string!(lang, time).to_owned() name="time" kind="time" value=form.time/>
            </div>
            <TextField class="f-weeks" label=td_string!(lang, pause_weeks).to_owned() name="weeks" kind="number"
                inputmode="numeric" min="1" max="52" value=form.weeks/>
            <TextField class="f-minutes" label=minutes_label name="minutes" kind="number"
                inputmode="numeric" step=clip.to_string() placeholder=clip.to_string() value=form.minutes/>
            <div class="f-spend">
                <p>{td_string!(lang, helpers)}</p>
                <Radios name="helpers" items=helpers chosen=form.helpers/>
                <TextField label=td_string!(lang, transport_minutes).to_owned() name="transport" kind="number"
                    inputmode="numeric" min="0" value=form.transport/>
            </div>
            <TextField class="f-reason" label=td_string!(lang, reason_for_an_exception_a_pause).to_owned() name="reason" value=form.reason/>
        }
    }
}

/// A new use: today, at the quarter hour just passed, one helper, no transport.
fn initial_fields(now: chrono::DateTime<Utc>) -> Fields {
    let local = to_copenhagen(now);
    Fields {
        kind: "use".into(),
        date: date_value(copenhagen_date(now)),
        time: format!("{:02}:{:02}", local.hour(), local.minute() / 15 * 15),
        helpers: "1".into(),
        transport: "0".into(),
        weeks: "1".into(),
        ..Fields::default()
    }
}

/// "Gem" (or "Gem alligevel" once a broken rule was shown) and "Annuller".
#[component]
fn SubmitRow(asked: RwSignal<bool>, cid: uuid::Uuid) -> impl IntoView {
    let lang = use_ctx().lang;
    let label = move || {
        let l = lang.get();
        if asked.get() {
            td_string!(l, save_anyway)
        } else {
            td_string!(l, save)
        }
    };
    view! {
        <div class="row">
            <button type="submit" class="big">
                {label}
            </button>
            <a href=format!("/borger/{cid}") class="button secondary">{tr(|l| td_string!(l, cancel))}</a>
        </div>
    }
}

/// The entry as the form stands, its breaches, the policy, and whether a
/// coordinator writes (nothing while the citizen has no card).
fn draft_of(ctx: crate::context::Ctx, citizen_id: Memo<Option<uuid::Uuid>>, form: Form) -> Draft {
    Memo::new(move |_| {
        let session = ctx.session.get()?;
        let policy: ClipPolicy = session.clip_policy.clone()?;
        let cid = citizen_id.get()?;
        let (card, ledger) = ctx.data.with(|d| {
            let card = d.card_of(cid)?.clone();
            let ledger = d.counted_ledger(card.id);
            Some((card, ledger))
        })?;
        let e = entry_from(&form.fields(), &card, &session.user, policy.clip_minutes);
        let breaches: Vec<Breach> = check(&policy, card.starts_on, &ledger, &e, Utc::now());
        Some((e, breaches, policy, session.user.role == Role::Coordinator))
    })
}

/// The clip form.
#[component]
pub fn ClipForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let navigate = use_navigate();
    let form = Form::new(initial_fields(Utc::now()));
    let error = RwSignal::new(None::<Notice>);
    // Set when a use that breaks a rule waits for "Gem alligevel".
    let asked = RwSignal::new(false);

    let draft = draft_of(ctx, citizen_id, form);

    // A change after "Gem alligevel" was offered asks again.
    Effect::new(move |_| {
        form.fields();
        asked.set(false);
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((entry, breaches, _, coordinator)) = draft.get_untracked() else {
            return;
        };
        let mut entry = match verdict(entry, &breaches, coordinator, asked.get_untracked()) {
            Verdict::Save(entry) => entry,
            Verdict::Refuse(why) => return error.set(Some(why)),
            Verdict::Confirm => {
                asked.set(true);
                return error.set(Some(Notice::Text(|l| {
                    td_string!(l, the_time_was_spent_so_it)
                })));
            }
        };
        let Some(id) = fresh_id(error) else {
            return;
        };
        entry.id = id;
        entry.recorded_at = Utc::now();
        let citizen = entry.citizen_id;
        let save = save_record(ctx, Record::ClipEntry(entry));
        report_save(ctx, save, citizen, navigate.clone(), error);
    };

    let target = form_target(ctx, citizen_id);
    move || {
        let (cid, name) = match target.get().page() {
            Ok(target) => target,
            Err(page) => return page,
        };
        let lang = ctx.lang.get();
        let Some((_, _, policy, coordinator)) = draft.get_untracked() else {
            return view! {
                <p>{td_string!(lang, the_citizen_has_no_clip_card)}</p>
                <a href=format!("/borger/{cid}")>{td_string!(lang, back)}</a>
            }
            .into_any();
        };
        let form_class = move || {
            format!(
                "card clip-form kind-{}{}",
                form.kind.get(),
                if coordinator { "" } else { " worker" }
            )
        };
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", td_string!(lang, back))}</a>
            // The fields each kind needs are shown by a class on the form (CSS).
            <form class=form_class on:submit=submit.clone()>
                <h1>{format!("{} · {name}", td_string!(lang, use_clips))}</h1>
                <ClipFields form=form coordinator=coordinator clip=policy.clip_minutes/>
                <Warnings draft/>
                <ErrorLine error=error/>
                <SubmitRow asked cid/>
            </form>
        }
        .into_any()
    }
}

/// The entry as the form stands, its breaches, the policy, and whether a
/// coordinator writes.
type Draft = Memo<Option<(ClipEntry, Vec<Breach>, ClipPolicy, bool)>>;

/// The rules the entry breaks, as the user types; and a word when the
/// balance may be old (offline, or not synced for 15 minutes).
#[component]
fn Warnings(draft: Draft) -> impl IntoView {
    let ctx = use_ctx();
    let lines = move || {
        let lang = ctx.lang.get();
        draft
            .get()
            .map_or_else(Vec::new, |(_, breaches, policy, _)| {
                let clip = i64::from(policy.clip_minutes);
                breaches
                    .into_iter()
                    .map(|b| breach_text(lang, &policy, b, clip))
                    .collect()
            })
    };
    let old = move || {
        let synced = ctx.data.with(|d| d.meta.last_success);
        !ctx.online.get() || synced.is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(15))
    };
    view! {
        <ul class="warnings" data-testid="clip-warnings">
            {move || lines().into_iter().map(|w| view! { <li class="warning">{w}</li> }).collect_view()}
        </ul>
        {move || old().then(|| view! { <p class="small">{tr(|l| td_string!(l, the_balance_is_from_the_last))}</p> })}
    }
}

#[cfg(test)]
#[path = "clip_form_tests.rs"]
mod tests;
