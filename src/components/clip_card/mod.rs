//! The clip card on the citizen page: clips as punched and unpunched marks,
//! what expires when, open plans (used / cancel), and the history. What it
//! shows is computed in [`state`]; the card is drawn again only when that
//! changes, or the language does.

pub mod state;

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::clips::{ClipEntry, EntryKind, WeekRow};
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::actions::clips::follow_up;
use crate::clip_text::{balance_headline, clips_label, hours_minutes, kind_label};
use crate::context::{Ctx, tr, use_ctx};
use crate::data::RecordStatus;
use crate::i18n::{Locale, td_string};
use crate::time_fmt::{date, day_and_clock, short_date};
use state::CardState;

/// The card of a citizen, or nothing if they have none.
#[component]
pub fn ClipCardView(
    /// The citizen whose card is shown.
    citizen_id: Uuid,
) -> impl IntoView {
    let ctx = use_ctx();
    let shown = Memo::new(move |_| {
        let policy = ctx.session.with(|s| s.as_ref()?.clip_policy.clone())?;
        let today = copenhagen_date(Utc::now());
        ctx.data
            .with(|d| CardState::of(d, policy, citizen_id, today))
    });
    move || {
        let lang = ctx.lang.get();
        shown.get().map(|s| card(ctx, lang, citizen_id, s))
    }
}

/// The card drawn in `lang`.
fn card(ctx: Ctx, lang: Locale, citizen_id: Uuid, s: CardState) -> impl IntoView {
    let b = &s.balance;
    let (marks, have) = s.marks();
    let expiry = b.next_expiry.map(|x| {
        td_string!(
            lang,
            clips_expire,
            time = hours_minutes(lang, x.minutes),
            on = date(x.on)
        )
    });
    let reserved = (b.reserved_minutes > 0).then(|| {
        let left = clips_label(lang, b.reserved_minutes / s.clip());
        view! { <p>{format!("{}: {left}", td_string!(lang, reserved_for_plans))}</p> }
    });
    let synced = s.last_sync.map_or_else(
        || td_string!(lang, the_balance_has_not_been_fetched).to_owned(),
        |at| {
            format!(
                "{} {}",
                td_string!(lang, balance_fetched),
                day_and_clock(at)
            )
        },
    );
    let terms = format!(
        "{} · {} min {} · {synced}",
        s.policy.municipality,
        s.clip(),
        td_string!(lang, per_clip)
    );
    view! {
        <section class="clipcard" class:overdrawn=b.overdrawn() data-testid="clipcard">
            <h2>{td_string!(lang, clip_card)}</h2>
            <p class="balance" data-testid="clip-balance">{balance_headline(lang, b)}</p>
            <div class="marks" aria-hidden="true">
                {(0..marks).map(|i| view! { <span class="mark" class:used={i >= have}></span> }).collect_view()}
            </div>
            {reserved}
            {expiry.map(|x| view! { <p>{x}</p> })}
            {s.flagged().then(|| view! {
                <p class="warning" data-testid="clip-server-flag">{td_string!(lang, the_server_has_flagged_the_card)}</p>
            })}
            <p class="small">{terms}</p>
            <a href=format!("/borger/{citizen_id}/klip") class="button big">{td_string!(lang, use_clips)}</a>
            <Plans ctx lang plans=s.plans.clone()/>
            <details>
                <summary>{td_string!(lang, history)}</summary>
                <History ctx lang history=s.history.clone() cancelled=s.cancelled.clone()/>
                <Weeks weeks=b.weeks.iter().rev().take(12).cloned().collect()/>
            </details>
        </section>
    }
}

/// A button that adds a follow-up to `entry`: a plan used, or a plan or use
/// cancelled.
fn follow_up_button(
    ctx: Ctx,
    kind: EntryKind,
    entry: ClipEntry,
    label: &'static str,
) -> impl IntoView {
    let act = move |_| leptos::task::spawn_local(follow_up(ctx, kind, entry.clone()));
    view! { <button type="button" class="secondary" on:click=act>{label}</button> }
}

/// The plans not yet used or cancelled.
#[component]
fn Plans(ctx: Ctx, lang: Locale, plans: Vec<ClipEntry>) -> impl IntoView {
    (!plans.is_empty()).then(|| {
        let rows = plans.into_iter().map(|p| {
            let line = format!(
                "{} · {} · {} ",
                p.at.map(day_and_clock).unwrap_or_default(),
                hours_minutes(lang, i64::from(p.minutes)),
                p.purpose
            );
            view! {
                <li>
                    {line}
                    {follow_up_button(ctx, EntryKind::Use, p.clone(), td_string!(lang, entry_kind.used))}
                    {follow_up_button(ctx, EntryKind::Cancel, p, td_string!(lang, cancel_booking))}
                </li>
            }
        });
        view! {
            <h3>{td_string!(lang, planned)}</h3>
            <ul class="plans">{rows.collect_view()}</ul>
        }
    })
}

/// One history line: when, what, how much, why, who, and where it stands.
fn history_line(lang: Locale, e: &ClipEntry, status: &RecordStatus) -> String {
    let state = match status {
        RecordStatus::Synced => String::new(),
        RecordStatus::Waiting => format!(" · {}", td_string!(lang, waiting)),
        RecordStatus::Rejected(m) => format!(" · {}: {m}", td_string!(lang, rejected)),
    };
    let amount = match e.kind {
        EntryKind::Pause => td_string!(lang, weeks, count = crate::i18n::count(e.pause_weeks)),
        EntryKind::Cancel => String::new(),
        _ => hours_minutes(lang, i64::from(e.minutes)),
    };
    let when = e.at.map_or_else(
        || {
            e.pause_from
                .map(date)
                .unwrap_or_else(|| day_and_clock(e.recorded_at))
        },
        day_and_clock,
    );
    let text = [e.purpose.as_str(), e.reason.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    format!(
        "{when} · {} {amount} · {text} · {}{state} ",
        kind_label(lang, e.kind),
        e.author_name
    )
}

/// Every entry, newest first; a counted use can be undone.
#[component]
fn History(
    ctx: Ctx,
    lang: Locale,
    history: Vec<(ClipEntry, RecordStatus)>,
    cancelled: std::collections::BTreeSet<Uuid>,
) -> impl IntoView {
    let rows = history.into_iter().map(|(e, status)| {
        let undone = cancelled.contains(&e.id);
        let rejected = matches!(status, RecordStatus::Rejected(_));
        let can_undo = e.kind == EntryKind::Use && !undone && !rejected;
        view! {
            <li class:undone=undone data-kind=e.kind.as_str()>
                {history_line(lang, &e, &status)}
                {can_undo.then(|| follow_up_button(ctx, EntryKind::Cancel, e.clone(), td_string!(lang, undo)))}
            </li>
        }
    });
    view! { <ul class="clip-history" data-testid="clip-history">{rows.collect_view()}</ul> }
}

/// The last twelve weeks: earned, used, expired, and what was left.
#[component]
fn Weeks(weeks: Vec<WeekRow>) -> impl IntoView {
    view! {
        <table class="weeks">
            <tr>
                <th>{tr(|l| td_string!(l, week_of))}</th><th>"+"</th><th>"−"</th>
                <th>{tr(|l| td_string!(l, expired))}</th><th>"="</th>
            </tr>
            {weeks.into_iter().map(|w| view! {
                <tr class:paused=w.paused>
                    <td>{short_date(w.starts_on)}</td>
                    <td>{w.earned + w.adjusted.max(0)}</td>
                    <td>{w.used - w.adjusted.min(0)}</td>
                    <td>{w.expired + w.forfeited}</td>
                    <td>{w.end_minutes}</td>
                </tr>
            }).collect_view()}
        </table>
    }
}
