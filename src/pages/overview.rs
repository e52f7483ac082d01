//! The team overview (pejlemærke 1 made visible): citizens at yellow or red
//! with their follow-up, citizens not screened within the policy's period,
//! and clip cards and bookings to follow up.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::Role;
use naervaer_domain::loneliness::{FollowUpState, Level, LonelinessPolicy, OverviewRow, overview};
use naervaer_domain::time::copenhagen_date;

use crate::components::booking_list::BookingList;
use crate::context::{Ctx, tr, use_ctx};
use crate::i18n::{Locale, code_label, td_string};
use crate::pages::login::Login;

/// A row of the overview with the citizen's name and team.
type Named = (OverviewRow, String, String);

/// The overview's rows for the citizens on this device, today.
fn rows(ctx: Ctx, policy: &LonelinessPolicy) -> Vec<Named> {
    let today = copenhagen_date(Utc::now());
    ctx.data.with(|d| {
        let ids: Vec<_> = d.citizens().map(|c| c.id).collect();
        let regs: Vec<_> = d.all_registrations().into_iter().map(|(r, _)| r).collect();
        let names: std::collections::HashMap<_, _> = d
            .citizens()
            .map(|c| (c.id, (c.name.clone(), c.team.clone())))
            .collect();
        overview(&ids, &regs, today, policy)
            .into_iter()
            .map(|row| {
                let (name, team) = names.get(&row.citizen_id).cloned().unwrap_or_default();
                (row, name, team)
            })
            .collect()
    })
}

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let Some(session) = ctx.session.get() else {
            return view! { <Login/> }.into_any();
        };
        if session.user.role == Role::Citizen {
            return view! { <p>{tr(|l| td_string!(l, not_found))}</p> }.into_any();
        }
        let policy = session.loneliness_policy;
        let days = crate::i18n::count(policy.not_screened_days);
        let show_team = session.user.role == Role::Coordinator;
        let all = Memo::new(move |_| rows(ctx, &policy));
        // A citizen can be in both lists: yellow long ago and not screened since.
        let flagged = move || {
            all.get()
                .into_iter()
                .filter(|(r, _, _)| r.level.is_some_and(|l| l != Level::Green))
                .collect::<Vec<_>>()
        };
        let unscreened = move || {
            all.get()
                .into_iter()
                .filter(|(r, _, _)| r.not_screened)
                .collect::<Vec<_>>()
        };
        view! {
            <h1>{tr(|l| td_string!(l, overview_title))}</h1>
            <section data-testid="overview-flagged">
                <h2>{tr(|l| td_string!(l, yellow_red))}</h2>
                <Rows rows=flagged show_team/>
            </section>
            <section data-testid="overview-unscreened">
                <h2>{move || td_string!(ctx.lang.get(), not_screened, count = days)}</h2>
                <Rows rows=unscreened show_team/>
            </section>
            <FollowUps/>
        }
        .into_any()
    }
}

/// A list of overview rows, or "none".
#[component]
fn Rows(rows: impl Fn() -> Vec<Named> + Send + Sync + 'static, show_team: bool) -> impl IntoView {
    let lang = use_ctx().lang;
    move || {
        let lang = lang.get();
        let rows = rows();
        if rows.is_empty() {
            return view! { <p class="empty">{td_string!(lang, none_listed)}</p> }.into_any();
        }
        let items = rows
            .into_iter()
            .map(|(row, name, team)| row_view(lang, row, name, show_team.then_some(team)));
        view! { <ul class="overview">{items.collect_view()}</ul> }.into_any()
    }
}

/// One citizen: level, score, follow-up and when she was last registered.
fn row_view(lang: Locale, row: OverviewRow, name: String, team: Option<String>) -> impl IntoView {
    let level = row.level.map(|l| {
        view! { <span class=format!("level level-{}", l.code())>{code_label(lang, l.label_da(), l.label_en())}</span> }
    });
    let follow = row.follow_up_on.map(|d| {
        let (state, code) = match row.follow_up_state {
            Some(FollowUpState::Overdue) => {
                (format!("{} · ", td_string!(lang, overdue)), "overdue")
            }
            Some(FollowUpState::DueToday) => {
                (format!("{} · ", td_string!(lang, due_today)), "duetoday")
            }
            Some(FollowUpState::Upcoming) => (String::new(), "upcoming"),
            None => (String::new(), "none"),
        };
        let text = format!(
            "{state}{} {}",
            td_string!(lang, follow_up_on),
            crate::time_fmt::date(d)
        );
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
            {team.map(|team| view! { <span class="team">{team}</span> })}
            {level}
            {score}
            {follow}
            <span class="last">{format!("{}: {last}", td_string!(lang, last_registered))}</span>
        </li>
    }
}

/// Clip cards the server flagged, and bookings it found beyond the places
/// (made offline).
#[component]
fn FollowUps() -> impl IntoView {
    let ctx = use_ctx();
    let cards = move || {
        let lang = ctx.lang.get();
        let rows: Vec<_> = ctx.data.with(|d| {
            d.cards()
                .filter(|c| c.check.overdrawn || !c.check.flags.is_empty())
                .map(|c| {
                    let name = d.citizen_name(c.citizen_id);
                    let over = c.check.overdrawn.then(|| {
                        let left = crate::clip_text::hours_minutes(lang, c.check.available_minutes);
                        let text = format!("{} {left}", td_string!(lang, overdrawn));
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
        if rows.is_empty() {
            view! { <p class="empty">{td_string!(lang, none_listed)}</p> }.into_any()
        } else {
            view! { <ul class="overview">{rows}</ul> }.into_any()
        }
    };
    let overfilled = move || {
        let bookings: Vec<_> = ctx.data.with(|d| {
            d.bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| b.overfilled && b.holds_place() && b.occurrence_start > Utc::now())
                .collect()
        });
        (!bookings.is_empty()).then(|| view! { <BookingList bookings/> })
    };
    view! {
        <section data-testid="clip-alerts">
            <h2>{tr(|l| td_string!(l, clip_cards_and_activities_to_follow))}</h2>
            {cards}
            {overfilled}
        </section>
    }
}
