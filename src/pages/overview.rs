//! The team overview (pejlemærke 1 made visible): citizens at yellow or red
//! with their follow-up, and citizens not screened within the policy's period.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::Role;
use naervaer_domain::loneliness::{FollowUpState, OverviewRow, overview};
use naervaer_domain::time::copenhagen_date;

use crate::components::booking_list::BookingList;
use crate::context::use_ctx;
use crate::i18n::{code_label, td_string};
use crate::pages::login::Login;

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let Some(session) = ctx.session.get() else {
            return view! { <Login/> }.into_any();
        };
        let lang = ctx.lang.get();
        if session.user.role == Role::Citizen {
            return view! { <p>{td_string!(lang, not_found)}</p> }.into_any();
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
        let row_view = |row: &OverviewRow| {
            let (name, team) = names.get(&row.citizen_id).cloned().unwrap_or_default();
            let level = row.level.map(|l| {
                view! { <span class=format!("level level-{}", l.code())>{code_label(lang, l.label_da(), l.label_en())}</span> }
            });
            let follow = row.follow_up_on.map(|d| {
                let (state, code) = match row.follow_up_state {
                    Some(FollowUpState::Overdue) => (format!("{} · ", td_string!(lang, overdue)), "overdue"),
                    Some(FollowUpState::DueToday) => (format!("{} · ", td_string!(lang, due_today)), "duetoday"),
                    Some(FollowUpState::Upcoming) => (String::new(), "upcoming"),
                    None => (String::new(), "none"),
                };
                let text = format!("{state}{} {}", td_string!(lang, follow_up_on), crate::time_fmt::date(d));
                view! { <span class="follow-up" data-testid="follow-up" data-state=code>{text}</span> }
            });
            let last = row
                .last_observed
                .map(crate::time_fmt::date)
                .unwrap_or_else(|| td_string!(lang, never).to_owned());
            let score = row
                .score
                .map(|s| format!(" {} {s} ", td_string!(lang, score)));
            let key = name.clone();
            view! {
                <li class="overview-row" data-citizen=key>
                    <a href=format!("/borger/{}", row.citizen_id)>{name}</a>
                    {show_team.then(|| view! { <span class="team">{team}</span> })}
                    {level}
                    {score}
                    {follow}
                    <span class="last">{format!("{}: {last}", td_string!(lang, last_registered))}</span>
                </li>
            }
        };
        let list = |rows: Vec<&OverviewRow>| {
            if rows.is_empty() {
                return view! { <p class="empty">{td_string!(lang, none_listed)}</p> }.into_any();
            }
            let items = rows.into_iter().map(row_view).collect_view();
            view! { <ul class="overview">{items}</ul> }.into_any()
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
        let clip_alerts: Vec<_> = ctx.data.with(|d| {
            d.cards()
                .filter(|c| c.check.overdrawn || !c.check.flags.is_empty())
                .map(|c| {
                    let name = d.citizen_name(c.citizen_id);
                    let over = c.check.overdrawn.then(|| {
                        let text = format!(
                            "{} {}",
                            td_string!(lang, overdrawn),
                            crate::clip_text::hours_minutes(lang, c.check.available_minutes)
                        );
                        view! { <span class="level level-red" data-testid="overdrawn">{text}</span> }
                    });
                    let breaches = c.check.flags.len();
                    let flags = (breaches > 0).then(|| {
                        format!(" {}", td_string!(lang, rule_breaches, count = crate::i18n::count(breaches)))
                    });
                    let key = name.clone();
                    view! {
                        <li class="overview-row" data-citizen=key>
                            <a href=format!("/borger/{}", c.citizen_id)>{name}</a>
                            {over}
                            {flags}
                        </li>
                    }
                })
                .collect()
        });
        // Bookings the server found beyond the places (made offline).
        let overfilled: Vec<_> = ctx.data.with(|d| {
            d.bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| b.overfilled && b.holds_place() && b.occurrence_start > Utc::now())
                .collect()
        });
        let clip_alerts = if clip_alerts.is_empty() {
            view! { <p class="empty">{td_string!(lang, none_listed)}</p> }.into_any()
        } else {
            view! { <ul class="overview">{clip_alerts}</ul> }.into_any()
        };
        let days = policy.not_screened_days;
        view! {
            <h1>{td_string!(lang, overview_title)}</h1>
            <section data-testid="overview-flagged">
                <h2>{td_string!(lang, yellow_red)}</h2>
                {flagged}
            </section>
            <section data-testid="overview-unscreened">
                <h2>{td_string!(lang, not_screened, count = crate::i18n::count(days))}</h2>
                {unscreened}
            </section>
            <section data-testid="clip-alerts">
                <h2>{td_string!(lang, clip_cards_and_activities_to_follow)}</h2>
                {clip_alerts}
                {(!overfilled.is_empty()).then(|| view! { <BookingList bookings=overfilled/> })}
            </section>
        }
        .into_any()
    }
}
