//! The start page: the login, or today's visit list and the citizens.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::time::copenhagen_date;

use crate::context::use_ctx;
use crate::html::{el, link};
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
            let relogin = move || {
                ctx.status.get().needs_login.then(|| {
                    view! { <Login username=session.user.username.clone()/> }
                })
            };
            view! { {relogin} <MyCalendar citizen=citizen/> }.into_any()
        }
        Some(session) => {
            let me = session.user.name.clone();
            let relogin = move || {
                ctx.status.get().needs_login.then(|| {
                    view! { <Login username=session.user.username.clone()/> }
                })
            };
            let visits = move || {
                let t = ctx.t();
                let today = copenhagen_date(Utc::now());
                let rows = ctx.data.with(|d| {
                    d.visits_on(today)
                        .into_iter()
                        .map(|v| {
                            let citizen = d.citizen(v.citizen_id);
                            (
                                v.clone(),
                                citizen.map(|c| c.name.clone()).unwrap_or_default(),
                                citizen.map(|c| c.address.clone()).unwrap_or_default(),
                            )
                        })
                        .collect::<Vec<_>>()
                });
                if rows.is_empty() {
                    return el("p", "empty", t.no_visits_today);
                }
                let items: String = rows
                    .into_iter()
                    .map(|(v, name, address)| {
                        let mine = v.worker_name.as_deref() == Some(me.as_str());
                        let who = if mine { t.yours.to_string() } else { v.worker_name.clone().unwrap_or_default() };
                        format!(
                            "<li class=\"{}\"><a href=\"/borger/{}\" class=\"visit\">{}{}{}{}{}</a></li>",
                            if mine { "mine" } else { "" },
                            v.citizen_id,
                            el("span", "time", &format!("{}–{}", clock(v.starts_at), clock(v.ends_at))),
                            el("span", "name", &name),
                            el("span", "address", &address),
                            el("span", "purpose", &v.purpose),
                            el("span", "worker", &who),
                        )
                    })
                    .collect();
                format!("<ul class=\"visits\" data-testid=\"visit-list\">{items}</ul>")
            };
            let citizens = move || {
                let list = ctx.data.with(|d| d.citizens().cloned().collect::<Vec<_>>());
                let mut list = list;
                list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
                let items: String = list
                    .into_iter()
                    .map(|c| {
                        format!(
                            "<li>{}{}</li>",
                            link(&format!("/borger/{}", c.id), "", &c.name),
                            el("span", "address", &c.address)
                        )
                    })
                    .collect();
                view! { <ul class="citizens" inner_html=items></ul> }
            };
            view! {
                {relogin}
                <Requests/>
                <section>
                    <h1>{move || ctx.t().today}</h1>
                    <div inner_html=visits></div>
                </section>
                <section>
                    <h2>{move || ctx.t().citizens}</h2>
                    {citizens}
                </section>
            }
            .into_any()
        }
    }
}
