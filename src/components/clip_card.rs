//! The clip card on the citizen page: clips as punched and unpunched marks,
//! what expires when, open plans (used / cancel), and the history. Computed
//! on the device from the policy and the ledger, so it works offline.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::clips::{ClipEntry, EntryKind, balance, open_plans};
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::actions::clips::follow_up;
use crate::clip_text::{balance_headline, clips_label, hours_minutes, kind_label};
use crate::context::use_ctx;
use crate::data::RecordStatus;
use crate::i18n::td_string;
use crate::time_fmt::{date, day_and_clock, short_date};

/// The card of a citizen, or nothing if they have none.
#[component]
pub fn ClipCardView(
    /// The citizen whose card is shown.
    citizen_id: Uuid,
) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let session = ctx.session.get()?;
        let policy = session.clip_policy.clone()?;
        let (card, ledger, last_sync) = ctx.data.with(|d| {
            let card = d.card_of(citizen_id)?.clone();
            let ledger = d.ledger_of(card.id);
            Some((card, ledger, d.meta.last_success))
        })?;
        let counted: Vec<ClipEntry> = ledger
            .iter()
            .filter(|(_, s)| !matches!(s, RecordStatus::Rejected(_)))
            .map(|(e, _)| e.clone())
            .collect();
        let b = balance(
            &policy,
            card.starts_on,
            &counted,
            copenhagen_date(Utc::now()),
        );
        let clip = b.clip_minutes.max(1);
        let have = b.clips(b.available_minutes).max(0);
        let cap = policy.saving_cap_minutes.map_or(0, |c| i64::from(c) / clip);
        let marks = cap.max(have).clamp(1, 24);
        let plans: Vec<ClipEntry> = open_plans(&counted).into_iter().cloned().collect();
        let cancelled = naervaer_domain::clips::balance::cancelled_ids(&counted);
        let mut history = ledger.clone();
        history.sort_by_key(|(e, _)| {
            std::cmp::Reverse((e.at.unwrap_or(e.recorded_at), e.recorded_at))
        });
        let weeks: Vec<_> = b.weeks.iter().rev().take(12).cloned().collect();
        let expiry = b.next_expiry.map(|x| {
            td_string!(
                lang,
                clips_expire,
                time = hours_minutes(lang, x.minutes),
                on = date(x.on)
            )
        });
        let synced = last_sync.map_or_else(
            || td_string!(lang, the_balance_has_not_been_fetched).to_owned(),
            |at| {
                format!(
                    "{} {}",
                    td_string!(lang, balance_fetched),
                    day_and_clock(at)
                )
            },
        );
        let flagged = card.check.overdrawn || !card.check.flags.is_empty();
        // A follow-up on an entry: a plan used, or a plan or use cancelled.
        let act = move |kind: EntryKind, entry: ClipEntry| {
            move |_| leptos::task::spawn_local(follow_up(ctx, kind, entry.clone()))
        };
        let marks_view = (0..marks)
            .map(|i| {
                let used = i >= have;
                view! { <span class="mark" class:used=used></span> }
            })
            .collect_view();
        let plans_view = plans
            .into_iter()
            .map(|p| {
                let line = format!(
                    "{} · {} · {} ",
                    p.at.map(day_and_clock).unwrap_or_default(),
                    hours_minutes(lang, i64::from(p.minutes)),
                    p.purpose
                );
                view! {
                    <li>
                        {line}
                        <button type="button" class="secondary" on:click=act(EntryKind::Use, p.clone())>{td_string!(lang, entry_kind.used)}</button>
                        <button type="button" class="secondary" on:click=act(EntryKind::Cancel, p)>{td_string!(lang, cancel_booking)}</button>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let history_view = history
            .into_iter()
            .map(|(e, status)| {
                let undone = cancelled.contains(&e.id);
                let rejected = matches!(status, RecordStatus::Rejected(_));
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
                let line = format!(
                    "{when} · {} {amount} · {text} · {}{state} ",
                    kind_label(lang, e.kind),
                    e.author_name
                );
                let can_undo = e.kind == EntryKind::Use && !undone && !rejected;
                view! {
                    <li class:undone=undone data-kind=e.kind.as_str()>
                        {line}
                        {can_undo.then(|| view! {
                            <button type="button" class="secondary" on:click=act(EntryKind::Cancel, e.clone())>{td_string!(lang, undo)}</button>
                        })}
                    </li>
                }
            })
            .collect_view();
        let weeks_view = weeks
            .into_iter()
            .map(|w| {
                view! {
                    <tr class:paused=w.paused>
                        <td>{short_date(w.starts_on)}</td>
                        <td>{w.earned + w.adjusted.max(0)}</td>
                        <td>{w.used - w.adjusted.min(0)}</td>
                        <td>{w.expired + w.forfeited}</td>
                        <td>{w.end_minutes}</td>
                    </tr>
                }
            })
            .collect_view();
        let reserved = (b.reserved_minutes > 0).then(|| {
            let text = format!(
                "{}: {}",
                td_string!(lang, reserved_for_plans),
                clips_label(lang, b.reserved_minutes / clip)
            );
            view! { <p>{text}</p> }
        });
        let terms = format!(
            "{} · {} min {} · {synced}",
            policy.municipality,
            clip,
            td_string!(lang, per_clip)
        );
        Some(view! {
            <section class="clipcard" class:overdrawn=b.overdrawn() data-testid="clipcard">
                <h2>{td_string!(lang, clip_card)}</h2>
                <p class="balance" data-testid="clip-balance">{balance_headline(lang, &b)}</p>
                <div class="marks" aria-hidden="true">{marks_view}</div>
                {reserved}
                {expiry.map(|x| view! { <p>{x}</p> })}
                {flagged.then(|| view! {
                    <p class="warning" data-testid="clip-server-flag">{td_string!(lang, the_server_has_flagged_the_card)}</p>
                })}
                <p class="small">{terms}</p>
                <a href=format!("/borger/{citizen_id}/klip") class="button big">{td_string!(lang, use_clips)}</a>
                {(!plans_view.is_empty()).then(|| view! {
                    <h3>{td_string!(lang, planned)}</h3>
                    <ul class="plans">{plans_view}</ul>
                })}
                <details>
                    <summary>{td_string!(lang, history)}</summary>
                    <ul class="clip-history" data-testid="clip-history">{history_view}</ul>
                    <table class="weeks">
                        <tr><th>{td_string!(lang, week_of)}</th><th>"+"</th><th>"−"</th><th>{td_string!(lang, expired)}</th><th>"="</th></tr>
                        {weeks_view}
                    </table>
                </details>
            </section>
        })
    }
}
