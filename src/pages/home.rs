//! The start page: the login, or today's visit list and the citizens.

use crate::context::tr;
use crate::i18n::td_string;
use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::time::copenhagen_date;

use crate::context::use_ctx;
use crate::pages::calendar::{MyCalendar, Requests};
use crate::pages::login::Login;
use crate::time_fmt::clock;

/// Today's visits of the team (the user's own marked), then all citizens.
#[component]
pub fn Home() -> impl IntoView {
    let ctx = use_ctx();
    move || match ctx.session.get() {
        None => view! { <Login/> }.into_any(),
        Some(session) if session.user.role == naervaer_domain::Role::Citizen => {
            let citizen = session.user.citizen_id.unwrap_or_default();
            view! { <MyCalendar citizen=citizen/> }.into_any()
        }
        Some(session) => {
            let me = session.user.name.clone();
            view! {
                <Requests/>
                <section>
                    <h1>{tr(|l| td_string!(l, today))}</h1>
                    <TodaysVisits me/>
                </section>
                <section>
                    <h2>{tr(|l| td_string!(l, citizens))}</h2>
                    <CitizenList/>
                </section>
            }
            .into_any()
        }
    }
}

/// Today's visits of the team, the user's own marked "yours".
#[component]
fn TodaysVisits(
    /// The user's name, as the visits name their worker.
    me: String,
) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let today = copenhagen_date(Utc::now());
        let rows = ctx.data.with(|d| {
            d.visits_on(today)
                .into_iter()
                .map(|v| {
                    let citizen = d.citizen(v.citizen_id);
                    let name = citizen.map(|c| c.name.clone()).unwrap_or_default();
                    let address = citizen.map(|c| c.address.clone()).unwrap_or_default();
                    (v.clone(), name, address)
                })
                .collect::<Vec<_>>()
        });
        if rows.is_empty() {
            return view! { <p class="empty">{td_string!(lang, no_visits_today)}</p> }.into_any();
        }
        let items = rows.into_iter().map(|(v, name, address)| {
            let mine = v.worker_name.as_deref() == Some(me.as_str());
            let who = if mine {
                td_string!(lang, yours).to_owned()
            } else {
                v.worker_name.unwrap_or_default()
            };
            view! {
                <li class:mine=mine>
                    <a href=format!("/borger/{}", v.citizen_id) class="visit">
                        <span class="time">{format!("{}–{}", clock(v.starts_at), clock(v.ends_at))}</span>
                        <span class="name">{name}</span>
                        <span class="address">{address}</span>
                        <span class="purpose">{v.purpose}</span>
                        <span class="worker">{who}</span>
                    </a>
                </li>
            }
        });
        view! { <ul class="visits" data-testid="visit-list">{items.collect_view()}</ul> }.into_any()
    }
}

/// Every citizen on this device, by name.
#[component]
fn CitizenList() -> impl IntoView {
    let ctx = use_ctx();
    let citizens = move || {
        let mut list = ctx.data.with(|d| d.citizens().cloned().collect::<Vec<_>>());
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        list.into_iter()
            .map(|c| {
                view! {
                    <li>
                        <a href=format!("/borger/{}", c.id)>{c.name}</a>
                        <span class="address">{c.address}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="citizens">{citizens}</ul> }
}
