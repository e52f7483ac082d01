//! The start page: the login, or today's visit list and the citizens.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use naervaer_domain::time::copenhagen_date;

use crate::app::use_ctx;
use crate::pages::login::Login;
use crate::time_fmt::clock;

/// Today's visits of the team (the user's own marked), then all citizens.
#[component]
pub fn Home() -> impl IntoView {
    let ctx = use_ctx();
    move || match ctx.session.get() {
        None => view! { <Login/> }.into_any(),
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
                            let citizen = d.citizens.get(&v.citizen_id);
                            (
                                v.clone(),
                                citizen.map(|c| c.name.clone()).unwrap_or_default(),
                                citizen.map(|c| c.address.clone()).unwrap_or_default(),
                            )
                        })
                        .collect::<Vec<_>>()
                });
                if rows.is_empty() {
                    return view! { <p class="empty">{t.no_visits_today}</p> }.into_any();
                }
                let me = me.clone();
                view! {
                    <ul class="visits" data-testid="visit-list">
                        {rows.into_iter().map(|(v, name, address)| {
                            let mine = v.worker_name.as_deref() == Some(me.as_str());
                            view! {
                                <li class:mine=mine>
                                    <A href=format!("/borger/{}", v.citizen_id) attr:class="visit">
                                        <span class="time">{format!("{}–{}", clock(v.starts_at), clock(v.ends_at))}</span>
                                        <span class="name">{name}</span>
                                        <span class="address">{address}</span>
                                        <span class="purpose">{v.purpose.clone()}</span>
                                        <span class="worker">
                                            {if mine { t.yours.to_string() } else { v.worker_name.clone().unwrap_or_default() }}
                                        </span>
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            };
            let citizens = move || {
                let list = ctx
                    .data
                    .with(|d| d.citizens.values().cloned().collect::<Vec<_>>());
                let mut list = list;
                list.sort_unstable_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
                view! {
                    <ul class="citizens">
                        {list.into_iter().map(|c| view! {
                            <li><A href=format!("/borger/{}", c.id)>{c.name}</A>
                                <span class="address">{c.address}</span></li>
                        }).collect_view()}
                    </ul>
                }
            };
            view! {
                {relogin}
                <section>
                    <h1>{move || ctx.t().today}</h1>
                    {visits}
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
