//! The team overview (pejlemærke 1 made visible): citizens at yellow or red
//! with their follow-up, and citizens not screened within the policy's period.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::Role;
use naervaer_domain::loneliness::{FollowUpState, OverviewRow, overview};
use naervaer_domain::time::copenhagen_date;

use crate::context::use_ctx;
use crate::html::{el, esc, link};
use crate::i18n::pick;
use crate::pages::login::Login;

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let Some(session) = ctx.session.get() else {
            return view! { <Login/> }.into_any();
        };
        let t = ctx.t();
        let lang = ctx.lang.get();
        if session.user.role == Role::Citizen {
            return view! { <p>{t.not_found}</p> }.into_any();
        }
        let policy = session.loneliness_policy;
        let today = copenhagen_date(Utc::now());
        let (rows, names) = ctx.data.with(|d| {
            let ids: Vec<_> = d.citizens().map(|c| c.id).collect();
            let regs: Vec<_> = d.all_registrations().into_iter().map(|(r, _)| r).collect();
            let names = d
                .citizens()
                .map(|c| (c.id, (c.name.clone(), c.team.clone())))
                .collect::<std::collections::BTreeMap<_, _>>();
            (overview(&ids, &regs, today, &policy), names)
        });
        let show_team = session.user.role == Role::Coordinator;
        let row_html = |row: &OverviewRow| {
            let (name, team) = names.get(&row.citizen_id).cloned().unwrap_or_default();
            let level = row.level.map_or_else(String::new, |l| {
                el(
                    "span",
                    &format!("level level-{}", l.code()),
                    &pick(lang, l.label_da(), l.label_en()),
                )
            });
            let follow = row.follow_up_on.map_or_else(String::new, |d| {
                let state = match row.follow_up_state {
                    Some(FollowUpState::Overdue) => format!("{} · ", t.overdue),
                    Some(FollowUpState::DueToday) => format!("{} · ", t.due_today),
                    _ => String::new(),
                };
                let code = match row.follow_up_state {
                    Some(FollowUpState::Overdue) => "overdue",
                    Some(FollowUpState::DueToday) => "duetoday",
                    Some(FollowUpState::Upcoming) => "upcoming",
                    None => "none",
                };
                format!(
                    "<span class=\"follow-up\" data-testid=\"follow-up\" data-state=\"{code}\">{}</span>",
                    esc(&format!("{state}{} {}", t.follow_up_on, crate::time_fmt::date(d)))
                )
            });
            let last = row
                .last_observed
                .map(crate::time_fmt::date)
                .unwrap_or_else(|| t.never.to_string());
            format!(
                "<li class=\"overview-row\" data-citizen=\"{}\">{}{}{level}{}{follow}{}</li>",
                esc(&name),
                link(&format!("/borger/{}", row.citizen_id), "", &name),
                if show_team {
                    el("span", "team", &team)
                } else {
                    String::new()
                },
                row.score
                    .map(|s| esc(&format!(" {} {s} ", t.score)))
                    .unwrap_or_default(),
                el("span", "last", &format!("{}: {last}", t.last_registered)),
            )
        };
        let list = |rows: Vec<&OverviewRow>| -> String {
            if rows.is_empty() {
                return el("p", "empty", t.none_listed);
            }
            let items: String = rows.into_iter().map(row_html).collect();
            format!("<ul class=\"overview\">{items}</ul>")
        };
        // A citizen can be in both lists: yellow long ago and not screened since.
        let flagged = list(
            rows.iter()
                .filter(|r| {
                    r.level
                        .is_some_and(|l| l != naervaer_domain::loneliness::Level::Green)
                })
                .collect(),
        );
        let unscreened = list(rows.iter().filter(|r| r.not_screened).collect());
        let clip_alerts: String = ctx.data.with(|d| {
            d.cards()
                .filter(|c| c.check.overdrawn || !c.check.flags.is_empty())
                .map(|c| {
                    let name = d.citizen_name(c.citizen_id);
                    let over = if c.check.overdrawn {
                        format!(
                            "<span class=\"level level-red\" data-testid=\"overdrawn\">{}</span>",
                            esc(&format!(
                                "{} {}",
                                pick(lang, "Overtrukket", "Overdrawn"),
                                crate::clips::hours_minutes(lang, c.check.available_minutes)
                            ))
                        )
                    } else {
                        String::new()
                    };
                    let flags = if c.check.flags.is_empty() {
                        String::new()
                    } else {
                        esc(&format!(
                            " {} {}",
                            c.check.flags.len(),
                            pick(lang, "brud på reglerne", "rule breaches")
                        ))
                    };
                    format!(
                        "<li class=\"overview-row\" data-citizen=\"{}\">{}{over}{flags}</li>",
                        esc(&name),
                        link(&format!("/borger/{}", c.citizen_id), "", &name)
                    )
                })
                .collect()
        });
        // Bookings the server found beyond the places (made offline).
        let overfilled: String = ctx.data.with(|d| {
            let list: Vec<_> = d
                .bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| b.overfilled && b.holds_place() && b.occurrence_start > Utc::now())
                .collect();
            if list.is_empty() {
                String::new()
            } else {
                crate::pages::calendar::bookings_html(lang, d, &list)
            }
        });
        let clip_alerts = format!(
            "{}{overfilled}",
            if clip_alerts.is_empty() {
                el("p", "empty", t.none_listed)
            } else {
                format!("<ul class=\"overview\">{clip_alerts}</ul>")
            }
        );
        let unscreened_title = t
            .not_screened
            .replace("{days}", &policy.not_screened_days.to_string());
        view! {
            <h1>{t.overview_title}</h1>
            <section data-testid="overview-flagged">
                <h2>{t.yellow_red}</h2>
                <div inner_html=flagged></div>
            </section>
            <section data-testid="overview-unscreened">
                <h2>{unscreened_title}</h2>
                <div inner_html=unscreened></div>
            </section>
            <section data-testid="clip-alerts">
                <h2>{pick(lang, "Klippekort og aktiviteter til opfølgning", "Clip cards and activities to follow up")}</h2>
                <div on:click=crate::bookings::on_booking_click(ctx) inner_html=clip_alerts></div>
            </section>
        }
        .into_any()
    }
}
