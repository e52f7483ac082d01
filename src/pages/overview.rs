//! The team overview (pejlemærke 1 made visible): citizens at yellow or red
//! with their follow-up, and citizens not screened within the policy's period.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use naervaer_domain::Role;
use naervaer_domain::loneliness::{FollowUpState, OverviewRow, overview};
use naervaer_domain::time::copenhagen_date;

use crate::app::use_ctx;
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
            let ids: Vec<_> = d.citizens.keys().copied().collect();
            let regs: Vec<_> = d.all_registrations().into_iter().map(|(r, _)| r).collect();
            let names: std::collections::BTreeMap<_, _> = d
                .citizens
                .values()
                .map(|c| (c.id, (c.name.clone(), c.team.clone())))
                .collect();
            (overview(&ids, &regs, today, &policy), names)
        });
        let show_team = session.user.role == Role::Coordinator;
        let row_view = move |row: OverviewRow| {
            let (name, team) = names.get(&row.citizen_id).cloned().unwrap_or_default();
            let level = row.level.map(|l| view! {
                <span class=format!("level level-{}", l.code())>{pick(lang, l.label_da(), l.label_en())}</span>
            });
            let follow = row.follow_up_on.map(|d| {
                let state = match row.follow_up_state {
                    Some(FollowUpState::Overdue) => format!("{} · ", t.overdue),
                    Some(FollowUpState::DueToday) => format!("{} · ", t.due_today),
                    _ => String::new(),
                };
                view! {
                    <span class="follow-up" data-testid="follow-up"
                        data-state=format!("{:?}", row.follow_up_state).to_lowercase()>
                        {format!("{state}{} {}", t.follow_up_on, crate::time_fmt::date(d))}
                    </span>
                }
            });
            let last = row
                .last_observed
                .map(crate::time_fmt::date)
                .unwrap_or_else(|| t.never.to_string());
            let link_name = name.clone();
            view! {
                <li class="overview-row" data-citizen=name>
                    <A href=format!("/borger/{}", row.citizen_id)>{link_name}</A>
                    {show_team.then(|| view! { <span class="team">{team}</span> })}
                    {level}
                    {row.score.map(|s| format!("{} {s}", t.score))}
                    {follow}
                    <span class="last">{format!("{}: {last}", t.last_registered)}</span>
                </li>
            }
        };
        // A citizen can be in both lists: yellow long ago and not screened since.
        let unscreened: Vec<_> = rows.iter().filter(|r| r.not_screened).cloned().collect();
        let flagged: Vec<_> = rows
            .into_iter()
            .filter(|r| {
                r.level
                    .is_some_and(|l| l != naervaer_domain::loneliness::Level::Green)
            })
            .collect();
        let flagged_empty = flagged.is_empty();
        let unscreened_empty = unscreened.is_empty();
        let row_view2 = row_view.clone();
        let clip_alerts = ctx.data.with(|d| {
            d.cards
                .values()
                .filter(|c| c.check.overdrawn || !c.check.flags.is_empty())
                .map(|c| (c.citizen_id, d.citizen_name(c.citizen_id), c.check.clone()))
                .collect::<Vec<_>>()
        });
        view! {
            <h1>{t.overview_title}</h1>
            <section data-testid="overview-flagged">
                <h2>{t.yellow_red}</h2>
                {flagged_empty.then(|| view! { <p class="empty">{t.none_listed}</p> })}
                <ul class="overview">{flagged.into_iter().map(row_view).collect_view()}</ul>
            </section>
            <section data-testid="overview-unscreened">
                <h2>{t.not_screened.replace("{days}", &policy.not_screened_days.to_string())}</h2>
                {unscreened_empty.then(|| view! { <p class="empty">{t.none_listed}</p> })}
                <ul class="overview">{unscreened.into_iter().map(row_view2).collect_view()}</ul>
            </section>
            <section data-testid="clip-alerts">
                <h2>{pick(lang, "Klippekort til opfølgning", "Clip cards to follow up")}</h2>
                {clip_alerts.is_empty().then(|| view! { <p class="empty">{t.none_listed}</p> })}
                <ul class="overview">
                    {clip_alerts.into_iter().map(|(id, name, check)| {
                        let label = name.clone();
                        view! {
                        <li class="overview-row" data-citizen=name>
                            <A href=format!("/borger/{id}")>{label}</A>
                            {check.overdrawn.then(|| view! {
                                <span class="level level-red" data-testid="overdrawn">
                                    {format!("{} {}", pick(lang, "Overtrukket", "Overdrawn"), crate::clips::hours_minutes(lang, check.available_minutes))}
                                </span>
                            })}
                            {(!check.flags.is_empty()).then(|| format!("{} {}", check.flags.len(), pick(lang, "brud på reglerne", "rule breaches")))}
                        </li>
                    }}).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}
