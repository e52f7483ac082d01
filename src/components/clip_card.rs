//! The clip card on the citizen page: clips as punched and unpunched marks,
//! what expires when, open plans (used / cancel), and the history. Computed
//! on the device from the policy and the ledger, so it works offline.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::klippekort::{ClipEntry, EntryKind, balance, open_plans};
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::actions::save_record;
use crate::clips::{balance_headline, clips_label, hours_minutes, kind_label, new_entry};
use crate::context::{Ctx, use_ctx};
use crate::data::RecordStatus;
use crate::html::{el, esc, link};
use crate::i18n::pick;
use crate::sync::random_uuid;
use crate::time_fmt::{date, day_and_clock, short_date};

/// Adds a follow-up entry (a use converting a plan, or a cancel) to the ledger.
pub async fn follow_up(ctx: Ctx, kind: EntryKind, of: ClipEntry) {
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
    if let Err(err) = save_record(ctx, naervaer_domain::sync::Record::ClipEntry(e)).await {
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
        let server_flag = if card.check.overdrawn || !card.check.flags.is_empty() {
            format!(
                "<p class=\"warning\" data-testid=\"clip-server-flag\">{}</p>",
                esc(&pick(
                    lang,
                    "Serveren har markeret kortet til koordinator",
                    "The server has flagged the card for a coordinator"
                ))
            )
        } else {
            String::new()
        };
        let marks_html: String = (0..marks)
            .map(|i| {
                if i >= have {
                    "<span class=\"mark used\"></span>"
                } else {
                    "<span class=\"mark\"></span>"
                }
            })
            .collect();
        let button = |act: &str, id: uuid::Uuid, da: &str, en: &str| {
            format!(
                "<button type=\"button\" class=\"secondary\" data-act=\"{act}\" data-id=\"{id}\">{}</button>",
                esc(&pick(lang, da, en))
            )
        };
        let plans_html: String = plans
            .iter()
            .map(|p| {
                format!(
                    "<li>{}{}{}</li>",
                    esc(&format!(
                        "{} · {} · {} ",
                        p.at.map(day_and_clock).unwrap_or_default(),
                        hours_minutes(lang, i64::from(p.minutes)),
                        p.purpose
                    )),
                    button("use", p.id, "Brugt", "Used"),
                    button("cancel", p.id, "Aflys", "Cancel"),
                )
            })
            .collect();
        let history_html: String = history
            .iter()
            .map(|(e, status)| {
                let undone = cancelled.contains(&e.id);
                let rejected = matches!(status, RecordStatus::Rejected(_));
                let state = match status {
                    RecordStatus::Synced => String::new(),
                    RecordStatus::Waiting => format!(" · {}", ctx.t().waiting),
                    RecordStatus::Rejected(m) => format!(" · {}: {m}", ctx.t().rejected),
                };
                let amount = match e.kind {
                    EntryKind::Pause => {
                        format!("{} {}", e.pause_weeks, pick(lang, "uger", "weeks"))
                    }
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
                    "<li class=\"{}\" data-kind=\"{}\">{}{}</li>",
                    if undone { "undone" } else { "" },
                    e.kind.as_str(),
                    esc(&format!(
                        "{when} · {} {amount} · {text} · {}{state} ",
                        kind_label(lang, e.kind),
                        e.author_name
                    )),
                    if e.kind == EntryKind::Use && !undone && !rejected {
                        button("cancel", e.id, "Fortryd", "Undo")
                    } else {
                        String::new()
                    },
                )
            })
            .collect();
        let weeks_html: String = weeks
            .iter()
            .map(|w| {
                format!(
                    "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    if w.paused { "paused" } else { "" },
                    short_date(w.starts_on),
                    w.earned + w.adjusted.max(0),
                    w.used - w.adjusted.min(0),
                    w.expired + w.forfeited,
                    w.end_minutes
                )
            })
            .collect();
        let reserved = if b.reserved_minutes > 0 {
            el(
                "p",
                "",
                &format!(
                    "{}: {}",
                    pick(lang, "Reserveret til planer", "Reserved for plans"),
                    clips_label(lang, b.reserved_minutes / clip)
                ),
            )
        } else {
            String::new()
        };
        let html = format!(
            "<section class=\"clipcard{}\" data-testid=\"clipcard\"><h2>{}</h2>\
             <p class=\"balance\" data-testid=\"clip-balance\">{}</p><div class=\"marks\" aria-hidden=\"true\">{marks_html}</div>\
             {reserved}{}{server_flag}{}{}{}\
             <details><summary>{}</summary><ul class=\"clip-history\" data-testid=\"clip-history\">{history_html}</ul>\
             <table class=\"weeks\"><tr><th>{}</th><th>+</th><th>−</th><th>{}</th><th>=</th></tr>{weeks_html}</table></details></section>",
            if b.overdrawn() { " overdrawn" } else { "" },
            esc(&pick(lang, "Klippekort", "Clip card")),
            esc(&balance_headline(lang, &b)),
            expiry.map(|x| el("p", "", &x)).unwrap_or_default(),
            el(
                "p",
                "small",
                &format!(
                    "{} · {} min {} · {synced}",
                    policy.municipality,
                    clip,
                    pick(lang, "pr. klip", "per clip")
                )
            ),
            link(
                &format!("/borger/{citizen_id}/klip"),
                "button big",
                &pick(lang, "Brug klip", "Use clips")
            ),
            if plans_html.is_empty() {
                String::new()
            } else {
                format!(
                    "{}<ul class=\"plans\">{plans_html}</ul>",
                    el("h3", "", &pick(lang, "Planlagt", "Planned"))
                )
            },
            esc(&pick(lang, "Historik", "History")),
            esc(&pick(lang, "Uge fra", "Week of")),
            esc(&pick(lang, "Udløbet", "Expired")),
        );
        // One handler for every button in the card: it names its act and entry.
        let on_click = move |ev: leptos::ev::MouseEvent| {
            let Some(button) = crate::html::clicked_button(&ev) else {
                return;
            };
            let act = button.get_attribute("data-act").unwrap_or_default();
            let Some(id) = button
                .get_attribute("data-id")
                .and_then(|i| uuid::Uuid::parse_str(&i).ok())
            else {
                return;
            };
            let Some(entry) = ctx.data.with_untracked(|d| {
                d.ledger_of(card.id)
                    .into_iter()
                    .map(|(e, _)| e)
                    .find(|e| e.id == id)
            }) else {
                return;
            };
            let kind = if act == "use" {
                EntryKind::Use
            } else {
                EntryKind::Cancel
            };
            leptos::task::spawn_local(follow_up(ctx, kind, entry));
        };
        Some(view! { <div on:click=on_click inner_html=html></div> })
    }
}
