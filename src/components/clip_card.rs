//! The clip card on the citizen page: clips as punched and unpunched marks,
//! what expires when, open plans (used / cancel), and the history. Computed
//! on the device from the policy and the ledger, so it works offline.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use naervaer_domain::klippekort::{ClipEntry, EntryKind, balance, open_plans};
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::actions::save_record;
use crate::app::{Ctx, use_ctx};
use crate::clips::{balance_headline, clips_label, hours_minutes, kind_label, new_entry};
use crate::data::RecordStatus;
use crate::i18n::pick;
use crate::sync::random_uuid;
use crate::time_fmt::{date, day_and_clock, short_date};

/// Adds a follow-up entry (a use converting a plan, or a cancel) to the ledger.
fn follow_up(ctx: Ctx, kind: EntryKind, of: &ClipEntry) {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return;
    };
    let mut e = new_entry(kind, of.card_id, of.citizen_id, id, &session.user);
    e.target = Some(of.id);
    if kind == EntryKind::Use {
        e.at = of.at;
        e.minutes = of.minutes;
        e.helpers = of.helpers;
        e.transport_minutes = of.transport_minutes;
        e.purpose = of.purpose.clone();
        e.activity_id = of.activity_id;
    }
    if let Err(err) = save_record(ctx, naervaer_domain::sync::Record::ClipEntry(e)) {
        ctx.notice
            .set(Some(format!("{err} {}", ctx.texts().kept_retrying)));
    }
}

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
        let cancelled = naervaer_domain::klippekort::balance::cancelled_ids(&counted);
        let mut history = ledger.clone();
        history.sort_by_key(|(e, _)| {
            std::cmp::Reverse((e.at.unwrap_or(e.recorded_at), e.recorded_at))
        });
        let weeks: Vec<_> = b.weeks.iter().rev().take(12).cloned().collect();
        let expiry = b.next_expiry.map(|x| match lang {
            crate::i18n::Lang::Da => {
                format!("{} udløber {}", hours_minutes(lang, x.minutes), date(x.on))
            }
            crate::i18n::Lang::En => {
                format!("{} expires {}", hours_minutes(lang, x.minutes), date(x.on))
            }
        });
        let synced = last_sync.map_or_else(
            || {
                pick(
                    lang,
                    "Saldoen er ikke hentet fra serveren endnu.",
                    "The balance has not been fetched from the server yet.",
                )
            },
            |at| {
                format!(
                    "{} {}",
                    pick(lang, "Saldo hentet", "Balance fetched"),
                    day_and_clock(at)
                )
            },
        );
        let server_overdrawn = card.check.overdrawn;
        let flags = card.check.flags.len();
        Some(view! {
            <section class="clipcard" data-testid="clipcard" class:overdrawn=b.overdrawn()>
                <h2>{pick(lang, "Klippekort", "Clip card")}</h2>
                <p class="balance" data-testid="clip-balance">{balance_headline(lang, &b)}</p>
                <div class="marks" aria-hidden="true">
                    {(0..marks).map(|i| {
                        let used = i >= have;
                        view! { <span class="mark" class:used=used></span> }
                    }).collect_view()}
                </div>
                {(b.reserved_minutes > 0).then(|| view! {
                    <p>{format!("{}: {}", pick(lang, "Reserveret til planer", "Reserved for plans"), clips_label(lang, b.reserved_minutes / clip))}</p>
                })}
                {expiry.map(|x| view! { <p>{x}</p> })}
                {(server_overdrawn || flags > 0).then(|| view! {
                    <p class="warning" data-testid="clip-server-flag">
                        {pick(lang, "Serveren har markeret kortet til koordinator", "The server has flagged the card for a coordinator")}
                    </p>
                })}
                <p class="small">{format!("{} · {} min {} · {synced}", policy.municipality, clip, pick(lang, "pr. klip", "per clip"))}</p>
                <A href=format!("/borger/{citizen_id}/klip") attr:class="button big">{pick(lang, "Brug klip", "Use clips")}</A>
                {(!plans.is_empty()).then(|| view! {
                    <h3>{pick(lang, "Planlagt", "Planned")}</h3>
                    <ul class="plans">
                        {plans.into_iter().map(|p| {
                            let (used, drop) = (p.clone(), p.clone());
                            view! {
                                <li>
                                    {format!("{} · {} · {}", p.at.map(day_and_clock).unwrap_or_default(), hours_minutes(lang, i64::from(p.minutes)), p.purpose)}
                                    <button type="button" class="secondary" on:click=move |_| follow_up(ctx, EntryKind::Use, &used)>
                                        {pick(lang, "Brugt", "Used")}
                                    </button>
                                    <button type="button" class="secondary" on:click=move |_| follow_up(ctx, EntryKind::Cancel, &drop)>
                                        {pick(lang, "Aflys", "Cancel")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                <details>
                    <summary>{pick(lang, "Historik", "History")}</summary>
                    <ul class="clip-history" data-testid="clip-history">
                        {history.into_iter().map(|(e, status)| {
                            let undone = cancelled.contains(&e.id);
                            let can_undo = e.kind == EntryKind::Use && !undone && !matches!(status, RecordStatus::Rejected(_));
                            let state = match &status {
                                RecordStatus::Synced => String::new(),
                                RecordStatus::Waiting => format!(" · {}", ctx.t().waiting),
                                RecordStatus::Rejected(m) => format!(" · {}: {m}", ctx.t().rejected),
                            };
                            let amount = match e.kind {
                                EntryKind::Pause => format!("{} {}", e.pause_weeks, pick(lang, "uger", "weeks")),
                                EntryKind::Cancel => String::new(),
                                _ => hours_minutes(lang, i64::from(e.minutes)),
                            };
                            let when = e.at.map_or_else(|| e.pause_from.map(date).unwrap_or_else(|| day_and_clock(e.recorded_at)), day_and_clock);
                            let text = [e.purpose.as_str(), e.reason.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                            let undo = e.clone();
                            view! {
                                <li class:undone=undone data-kind=e.kind.as_str()>
                                    {format!("{when} · {} {amount} · {text} · {}{state}", kind_label(lang, e.kind), e.author_name)}
                                    {can_undo.then(|| view! {
                                        <button type="button" class="secondary" on:click=move |_| follow_up(ctx, EntryKind::Cancel, &undo)>
                                            {pick(lang, "Fortryd", "Undo")}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <table class="weeks">
                        <tr><th>{pick(lang, "Uge fra", "Week of")}</th><th>"+"</th><th>"−"</th><th>{pick(lang, "Udløbet", "Expired")}</th><th>"="</th></tr>
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
                </details>
            </section>
        })
    }
}
