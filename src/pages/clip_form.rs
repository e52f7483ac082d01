//! "Brug klip": record a use of clips, or plan one, checked against the
//! municipality's policy on the device before it is saved (offline too).

use chrono::{Timelike, Utc};
use leptos::prelude::*;

use crate::components::bind::{ErrorLine, shown, store};
use leptos_router::hooks::use_navigate;
use naervaer_domain::Role;
use naervaer_domain::klippekort::{EntryKind, check};
use naervaer_domain::sync::Record;
use naervaer_domain::time::{copenhagen_date, to_copenhagen};

use crate::actions::{report_save, save_record};
use crate::app::use_ctx;
use crate::clips::{breach_text, date_value, new_entry, parse_local};
use crate::components::choices::RadioRow;
use crate::i18n::pick;
use crate::pages::citizen::{citizen_form_target, route_citizen_id};
use crate::sync::random_uuid;

/// The clip form.
#[component]
pub fn ClipForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let navigate = use_navigate();
    let now = to_copenhagen(Utc::now());
    let kind = RwSignal::new(Some("use".to_string()));
    let purpose = RwSignal::new(String::new());
    let day = RwSignal::new(date_value(copenhagen_date(Utc::now())));
    let time = RwSignal::new(format!("{:02}:{:02}", now.hour(), now.minute() / 15 * 15));
    let minutes = RwSignal::new(String::new());
    let helpers = RwSignal::new(Some("1".to_string()));
    let transport = RwSignal::new("0".to_string());
    let weeks = RwSignal::new("1".to_string());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let asked = RwSignal::new(false);
    // "Gem alligevel" is asked again after any change.
    Effect::new(move |_| {
        purpose.track();
        day.track();
        time.track();
        minutes.track();
        transport.track();
        kind.track();
        helpers.track();
        weeks.track();
        asked.set(false);
    });

    // The entry as the form stands, with its card's ledger and the breaches.
    let draft = Memo::new(move |_| {
        let session = ctx.session.get()?;
        let policy = session.clip_policy.clone()?;
        let cid = citizen_id.get()?;
        let (card, ledger) = ctx.data.with(|d| {
            let card = d.card_of(cid)?.clone();
            let ledger = d.counted_ledger(card.id);
            Some((card, ledger))
        })?;
        let k = match kind.get().as_deref() {
            Some("plan") => EntryKind::Plan,
            Some("pause") => EntryKind::Pause,
            Some("adjust") => EntryKind::Adjust,
            _ => EntryKind::Use,
        };
        let mut e = new_entry(k, card.id, cid, uuid::Uuid::nil(), &session.user);
        e.purpose = purpose.get().trim().to_string();
        e.at = parse_local(&day.get(), &time.get());
        e.minutes = minutes
            .get()
            .trim()
            .parse()
            .unwrap_or(policy.clip_minutes as i32);
        e.helpers = if helpers.get().as_deref() == Some("2") {
            2
        } else {
            1
        };
        e.transport_minutes = transport.get().trim().parse().unwrap_or(-1);
        e.reason = reason.get().trim().to_string();
        match k {
            EntryKind::Pause => {
                e.at = None;
                e.minutes = 0;
                e.purpose.clear();
                e.pause_from = naervaer_domain::wire_time::parse_date(&day.get());
                e.pause_weeks = weeks.get().trim().parse().unwrap_or(0);
            }
            EntryKind::Adjust => {
                e.at = None;
                e.purpose.clear();
                e.minutes = minutes.get().trim().parse().unwrap_or(0);
            }
            _ => {}
        }
        let breaches = check(&policy, card.starts_on, &ledger, &e, Utc::now());
        let coordinator = session.user.role == Role::Coordinator;
        Some((e, breaches, policy, coordinator))
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let Some((mut entry, breaches, _, coordinator)) = draft.get_untracked() else {
            return;
        };
        let spend = matches!(entry.kind, EntryKind::Use | EntryKind::Plan);
        let problem = match entry.kind {
            EntryKind::Pause if entry.validate().is_err() => Some(pick(
                lang,
                "Vælg den første dag og 1 til 52 uger.",
                "Choose the first day and 1 to 52 weeks.",
            )),
            EntryKind::Adjust if entry.validate().is_err() => Some(pick(
                lang,
                "Skriv minutter (+ giver, − tager) og en begrundelse.",
                "Give minutes (+ adds, − takes) and a reason.",
            )),
            _ => None,
        };
        if problem.is_some() {
            error.set(problem);
            return;
        }
        if spend && entry.purpose.is_empty() {
            error.set(Some(pick(
                lang,
                "Skriv hvad tiden skal bruges til.",
                "Write what the time is for.",
            )));
            return;
        }
        if spend && entry.at.is_none() {
            error.set(Some(pick(
                lang,
                "Vælg dato og klokkeslæt.",
                "Choose a date and time.",
            )));
            return;
        }
        if entry.validate().is_err() {
            error.set(Some(pick(
                lang,
                "Minutter skal være et helt tal over 0, og transport 0 eller mere.",
                "Minutes must be a whole number above 0, and transport 0 or more.",
            )));
            return;
        }
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
            &navigate,
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
        let stale = move || {
            let online = ctx.online.get();
            let last = ctx.data.with(|d| d.meta.last_success);
            let old = last.is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(15));
            (!online || old).then(|| pick(
                ctx.lang.get(),
                "Saldoen er fra sidste synkronisering. Andre kan have brugt klip siden, uden at enheden ved det.",
                "The balance is from the last sync. Others may have used clips since, without this device knowing.",
            ))
        };
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", t.back)}</a>
            // The fields each kind needs are shown by a class on the form (CSS), not by code.
            <form class=move || format!("card clip-form kind-{}{}", kind.get().unwrap_or_default(), if coordinator { "" } else { " worker" })
                on:submit=submit.clone()>
                <h1>{format!("{} · {name}", pick(lang, "Brug klip", "Use clips"))}</h1>
                <RadioRow name="kind".to_string() selected=kind items={
                    let mut kinds = vec![
                        ("use".into(), pick(lang, "Tiden er brugt", "The time was spent")),
                        ("plan".into(), pick(lang, "Planlæg til senere", "Plan for later")),
                        ("pause".into(), pick(lang, "Pause: ingen hjemmepleje", "Pause: no home care")),
                    ];
                    if coordinator {
                        kinds.push(("adjust".into(), pick(lang, "Justér saldoen", "Adjust the balance")));
                    }
                    kinds
                }/>
                <label class="f-spend">
                    {pick(lang, "Hvad skal tiden bruges til?", "What is the time for?")}
                    <input name="purpose" prop:value=shown(purpose)
                        on:input=store(purpose)/>
                </label>
                <div class="row">
                    <label class="f-date">
                        {pick(lang, "Dato (ved pause: første dag)", "Date (for a pause: first day)")}
                        <input type="date" name="date" prop:value=shown(day)
                            on:input=store(day)/>
                    </label>
                    <label class="f-spend">
                        {pick(lang, "Klokken", "Time")}
                        <input type="time" name="time" prop:value=shown(time)
                            on:input=store(time)/>
                    </label>
                </div>
                <label class="f-weeks">
                    {pick(lang, "Antal uger", "Weeks")}
                    <input type="number" name="weeks" inputmode="numeric" min="1" max="52" prop:value=shown(weeks)
                        on:input=store(weeks)/>
                </label>
                <label class="f-minutes">
                    {format!("{} ({} min = 1 klip; {})", pick(lang, "Minutter", "Minutes"), clip,
                        pick(lang, "ved justering + giver, − tager", "to adjust, + adds, − takes"))}
                    <input type="number" name="minutes" inputmode="numeric" step=clip.to_string()
                        placeholder=clip.to_string() prop:value=shown(minutes)
                        on:input=store(minutes)/>
                </label>
                <div class="f-spend">
                    <p>{pick(lang, "Hjælpere", "Helpers")}</p>
                    <RadioRow name="helpers".to_string() selected=helpers items=vec![
                        ("1".into(), pick(lang, "Én hjælper", "One helper")),
                        ("2".into(), pick(lang, "To hjælpere", "Two helpers")),
                    ]/>
                    <label>
                        {pick(lang, "Transport (minutter)", "Transport (minutes)")}
                        <input type="number" name="transport" inputmode="numeric" min="0" prop:value=shown(transport)
                            on:input=store(transport)/>
                    </label>
                </div>
                <ul class="warnings" data-testid="clip-warnings">
                    {move || draft.get().map(|(_, breaches, policy, _)| breaches.into_iter().map(|b| view! {
                        <li class="warning">{breach_text(ctx.lang.get(), &policy, b, clip)}</li>
                    }).collect_view())}
                </ul>
                <p class="small">{stale}</p>
                <label class="f-reason">
                    {pick(lang, "Begrundelse (ved undtagelse, pause og justering)", "Reason (for an exception, a pause or an adjustment)")}
                    <input name="reason" prop:value=shown(reason) on:input=store(reason)/>
                </label>
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
