//! "Brug klip": record time spent, plan a use, register a pause, or (a
//! coordinator) adjust the balance; checked against the municipality's policy
//! on the device before it is saved (offline too).
//!
//! The fields are plain HTML read back with `FormData` on every input, not
//! one signal and two closures per field: the form is the app's largest, and
//! this keeps its share of the download small.

use chrono::{Timelike, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use naervaer_domain::klippekort::{Breach, ClipCard, ClipEntry, ClipPolicy, EntryKind, check};
use naervaer_domain::sync::Record;
use naervaer_domain::time::{copenhagen_date, to_copenhagen};
use naervaer_domain::wire_time::parse_date;
use naervaer_domain::{Role, User};

use crate::actions::{report_save, save_record};
use crate::clips::{breach_text, date_value, new_entry, parse_local};
use crate::components::bind::{ErrorLine, FormValues, event_form};
use crate::context::use_ctx;
use crate::html::{esc, input, radios};
use crate::i18n::{Lang, pick};
use crate::pages::citizen::{citizen_form_target, route_citizen_id};
use crate::sync::random_uuid;

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

impl Fields {
    /// Reads the fields from the form.
    fn read(form: &web_sys::HtmlFormElement) -> Option<Fields> {
        let values = FormValues::of(form)?;
        let get = |name: &str| values.get(name);
        Some(Fields {
            kind: get("kind"),
            purpose: get("purpose"),
            date: get("date"),
            time: get("time"),
            minutes: get("minutes"),
            helpers: get("helpers"),
            transport: get("transport"),
            weeks: get("weeks"),
            reason: get("reason"),
        })
    }
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
pub fn problem(lang: Lang, e: &ClipEntry) -> Option<String> {
    let spend = matches!(e.kind, EntryKind::Use | EntryKind::Plan);
    let (da, en) = match e.kind {
        _ if spend && e.purpose.is_empty() => (
            "Skriv hvad tiden skal bruges til.",
            "Write what the time is for.",
        ),
        _ if spend && e.at.is_none() => ("Vælg dato og klokkeslæt.", "Choose a date and time."),
        _ if e.validate().is_ok() => return None,
        EntryKind::Pause => (
            "Vælg den første dag og 1 til 52 uger.",
            "Choose the first day and 1 to 52 weeks.",
        ),
        EntryKind::Adjust => (
            "Skriv minutter (+ giver, − tager) og en begrundelse.",
            "Give minutes (+ adds, − takes) and a reason.",
        ),
        _ => (
            "Minutter skal være et helt tal over 0, og transport 0 eller mere.",
            "Minutes must be a whole number above 0, and transport 0 or more.",
        ),
    };
    Some(pick(lang, da, en))
}

/// The fields as HTML, filled from `f`.
fn fields_html(lang: Lang, coordinator: bool, clip: u32, f: &Fields) -> String {
    let mut kinds = vec![
        ("use", pick(lang, "Tiden er brugt", "The time was spent")),
        ("plan", pick(lang, "Planlæg til senere", "Plan for later")),
        (
            "pause",
            pick(lang, "Pause: ingen hjemmepleje", "Pause: no home care"),
        ),
    ];
    if coordinator {
        kinds.push(("adjust", pick(lang, "Justér saldoen", "Adjust the balance")));
    }
    let helpers = [
        ("1", pick(lang, "Én hjælper", "One helper")),
        ("2", pick(lang, "To hjælpere", "Two helpers")),
    ];
    let minutes_label = format!(
        "{} ({clip} min = 1 klip; {})",
        pick(lang, "Minutter", "Minutes"),
        pick(
            lang,
            "ved justering + giver, − tager",
            "to adjust, + adds, − takes"
        )
    );
    [
        radios("kind", &f.kind, &kinds),
        input("f-spend", &pick(lang, "Hvad skal tiden bruges til?", "What is the time for?"), "name=\"purpose\"", &f.purpose),
        "<div class=\"row\">".to_string(),
        input("f-date", &pick(lang, "Dato (ved pause: første dag)", "Date (for a pause: first day)"), "type=\"date\" name=\"date\"", &f.date),
        input("f-spend", &pick(lang, "Klokken", "Time"), "type=\"time\" name=\"time\"", &f.time),
        "</div>".to_string(),
        input("f-weeks", &pick(lang, "Antal uger", "Weeks"), "type=\"number\" name=\"weeks\" inputmode=\"numeric\" min=\"1\" max=\"52\"", &f.weeks),
        input("f-minutes", &minutes_label, &format!("type=\"number\" name=\"minutes\" inputmode=\"numeric\" step=\"{clip}\" placeholder=\"{clip}\""), &f.minutes),
        format!("<div class=\"f-spend\"><p>{}</p>{}", esc(&pick(lang, "Hjælpere", "Helpers")), radios("helpers", &f.helpers, &helpers)),
        input("", &pick(lang, "Transport (minutter)", "Transport (minutes)"), "type=\"number\" name=\"transport\" inputmode=\"numeric\" min=\"0\"", &f.transport),
        "</div>".to_string(),
        input(
            "f-reason",
            &pick(lang, "Begrundelse (ved undtagelse, pause og justering)", "Reason (for an exception, a pause or an adjustment)"),
            "name=\"reason\"",
            &f.reason,
        ),
    ]
    .concat()
}

/// The clip form.
#[component]
pub fn ClipForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let navigate = use_navigate();
    let now = to_copenhagen(Utc::now());
    let fields = RwSignal::new(Fields {
        kind: "use".into(),
        date: date_value(copenhagen_date(Utc::now())),
        time: format!("{:02}:{:02}", now.hour(), now.minute() / 15 * 15),
        helpers: "1".into(),
        transport: "0".into(),
        weeks: "1".into(),
        ..Fields::default()
    });
    let error = RwSignal::new(None::<String>);
    // Set when a use that breaks a rule waits for "Gem alligevel".
    let asked = RwSignal::new(false);

    // The entry as the form stands, its breaches, the policy, and whether a coordinator writes.
    let draft = Memo::new(move |_| {
        let session = ctx.session.get()?;
        let policy: ClipPolicy = session.clip_policy.clone()?;
        let cid = citizen_id.get()?;
        let (card, ledger) = ctx.data.with(|d| {
            let card = d.card_of(cid)?.clone();
            let ledger = d.counted_ledger(card.id);
            Some((card, ledger))
        })?;
        let e = fields.with(|f| entry_from(f, &card, &session.user, policy.clip_minutes));
        let breaches: Vec<Breach> = check(&policy, card.starts_on, &ledger, &e, Utc::now());
        Some((e, breaches, policy, session.user.role == Role::Coordinator))
    });

    let on_input = move |ev: leptos::ev::Event| {
        if let Some(read) = event_form(&ev).as_ref().and_then(Fields::read) {
            fields.set(read);
            asked.set(false);
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let Some((mut entry, breaches, _, coordinator)) = draft.get_untracked() else {
            return;
        };
        if let Some(p) = problem(lang, &entry) {
            error.set(Some(p));
            return;
        }
        let spend = matches!(entry.kind, EntryKind::Use | EntryKind::Plan);
        if !breaches.is_empty() {
            let plan = entry.kind == EntryKind::Plan;
            let overridden = coordinator && !entry.reason.is_empty();
            if plan && !overridden {
                error.set(Some(if coordinator {
                    pick(
                        lang,
                        "Skriv en begrundelse for at planlægge alligevel.",
                        "Give a reason to plan it anyway.",
                    )
                } else {
                    pick(
                        lang,
                        "Planen bryder reglerne ovenfor. Kun en koordinator kan give lov.",
                        "The plan breaks the rules above. Only a coordinator can allow it.",
                    )
                }));
                return;
            }
            if !plan && !asked.get_untracked() {
                asked.set(true);
                error.set(Some(pick(
                    lang,
                    "Tiden er brugt, så den bliver gemt, og koordinator får besked. Tryk »Gem alligevel«.",
                    "The time was spent, so it is saved and a coordinator is told. Press »Save anyway«.",
                )));
                return;
            }
        }
        if spend && !coordinator {
            entry.reason.clear();
        }
        let Some(id) = random_uuid() else {
            error.set(Some(crate::store::StoreError::Unavailable.to_string()));
            return;
        };
        entry.id = id;
        entry.recorded_at = Utc::now();
        let citizen = entry.citizen_id;
        report_save(
            ctx,
            save_record(ctx, Record::ClipEntry(entry)),
            citizen,
            navigate.clone(),
            error,
        );
    };

    move || {
        let (cid, name) = match citizen_form_target(ctx, citizen_id) {
            Ok(target) => target,
            Err(page) => return page,
        };
        let lang = ctx.lang.get();
        let t = ctx.t();
        let Some((_, _, policy, coordinator)) = draft.get_untracked() else {
            return view! {
                <p>{pick(lang, "Borgeren har intet klippekort.", "The citizen has no clip card.")}</p>
                <a href=format!("/borger/{cid}")>{t.back}</a>
            }
            .into_any();
        };
        let clip = i64::from(policy.clip_minutes);
        let html =
            fields.with_untracked(|f| fields_html(lang, coordinator, policy.clip_minutes, f));
        let warnings = move || {
            let lang = ctx.lang.get();
            let mut lines: Vec<String> = draft
                .get()
                .map(|(_, b, policy, _)| {
                    b.into_iter()
                        .map(|b| breach_text(lang, &policy, b, clip))
                        .collect()
                })
                .unwrap_or_default();
            let online = ctx.online.get();
            let old = ctx
                .data
                .with(|d| d.meta.last_success)
                .is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(15));
            let stale = (!online || old).then(|| {
                pick(
                    lang,
                    "Saldoen er fra sidste synkronisering. Andre kan have brugt klip siden, uden at enheden ved det.",
                    "The balance is from the last sync. Others may have used clips since, without this device knowing.",
                )
            });
            let items: String = lines
                .drain(..)
                .map(|w| format!("<li class=\"warning\">{}</li>", esc(&w)))
                .collect();
            let note = stale
                .map(|s| format!("<p class=\"small\">{}</p>", esc(&s)))
                .unwrap_or_default();
            format!("<ul class=\"warnings\" data-testid=\"clip-warnings\">{items}</ul>{note}")
        };
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", t.back)}</a>
            // The fields each kind needs are shown by a class on the form (CSS).
            <form
                class=move || format!("card clip-form kind-{}{}", fields.with(|f| f.kind.clone()), if coordinator { "" } else { " worker" })
                on:input=on_input
                on:submit=submit.clone()
            >
                <h1>{format!("{} · {name}", pick(lang, "Brug klip", "Use clips"))}</h1>
                <div inner_html=html></div>
                <div inner_html=warnings></div>
                <ErrorLine error=error/>
                <div class="row">
                    <button type="submit" class="big">
                        {move || if asked.get() { pick(ctx.lang.get(), "Gem alligevel", "Save anyway") } else { t.save.to_string() }}
                    </button>
                    <a href=format!("/borger/{cid}") class="button secondary">{t.cancel}</a>
                </div>
            </form>
        }
        .into_any()
    }
}

#[cfg(test)]
#[path = "clip_form_tests.rs"]
mod tests;
