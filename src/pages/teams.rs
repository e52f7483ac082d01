//! The coordinator's **Teams** page: move a citizen or a care worker to
//! another team. A move is made on the server at once (it needs the
//! network); the feed then takes it to every tablet: the old team's forget
//! the citizen, the new team's get her history, a moved worker's tablet
//! fetches the new team.

use leptos::prelude::*;
use naervaer_domain::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::context::tr;
use crate::context::use_ctx;
use crate::http::{HttpError, get_json, post_json};
use crate::i18n::td_string;
use crate::pages::login::Login;
use crate::sync_glue::request_sync;

/// A care worker as the server lists them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Worker {
    username: String,
    name: String,
    team: Option<String>,
}

#[derive(Serialize)]
struct CitizenMove {
    citizen_id: Uuid,
    team: String,
}

#[derive(Serialize)]
struct WorkerMove {
    username: String,
    team: String,
}

#[derive(Deserialize)]
struct Moved {
    to: String,
}

/// The page.
#[component]
pub fn Teams() -> impl IntoView {
    let ctx = use_ctx();
    let workers = RwSignal::new(Vec::<Worker>::new());
    let load_workers = move || {
        let Some(session) = ctx.session.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(list) = get_json::<Vec<Worker>>("/api/v1/admin/workers", &session.token).await
            {
                workers.set(list);
            }
        });
    };
    load_workers();
    let citizen = RwSignal::new(String::new());
    let citizen_team = RwSignal::new(String::new());
    let worker = RwSignal::new(String::new());
    let worker_team = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);

    let failed = move |e: HttpError| {
        let lang = ctx.lang.get_untracked();
        let text = match e {
            HttpError::Offline => td_string!(lang, teams_need_online).to_owned(),
            other => td_string!(lang, move_failed, error = other.to_string()),
        };
        result.set(Some((false, text)));
    };
    let move_citizen = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(session), Ok(id)) = (
            ctx.session.get_untracked(),
            Uuid::parse_str(&citizen.get_untracked()),
        ) else {
            return;
        };
        let team = citizen_team.get_untracked().trim().to_string();
        let name = ctx.data.with_untracked(|d| d.citizen_name(id));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = CitizenMove {
                citizen_id: id,
                team,
            };
            match post_json::<_, Moved>("/api/v1/admin/citizen-team", Some(&session.token), &body)
                .await
            {
                Ok(moved) => {
                    let lang = ctx.lang.get_untracked();
                    result.set(Some((
                        true,
                        td_string!(lang, moved_citizen, name = name, team = moved.to),
                    )));
                    citizen_team.set(String::new());
                    request_sync(ctx);
                }
                Err(e) => failed(e),
            }
            busy.set(false);
        });
    };
    let move_worker = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(session) = ctx.session.get_untracked() else {
            return;
        };
        let username = worker.get_untracked();
        let team = worker_team.get_untracked().trim().to_string();
        let name = workers.with_untracked(|list| {
            list.iter()
                .find(|w| w.username == username)
                .map(|w| w.name.clone())
                .unwrap_or_default()
        });
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = WorkerMove { username, team };
            match post_json::<_, Moved>("/api/v1/admin/worker-team", Some(&session.token), &body)
                .await
            {
                Ok(moved) => {
                    let lang = ctx.lang.get_untracked();
                    result.set(Some((
                        true,
                        td_string!(lang, moved_worker, name = name, team = moved.to),
                    )));
                    worker_team.set(String::new());
                    load_workers();
                }
                Err(e) => failed(e),
            }
            busy.set(false);
        });
    };

    // The teams known here, offered as suggestions (a new one may be typed).
    let teams = move || {
        let mut teams: Vec<String> = ctx
            .data
            .with(|d| d.citizens().map(|c| c.team.clone()).collect());
        teams.extend(workers.with(|w| w.iter().filter_map(|w| w.team.clone()).collect::<Vec<_>>()));
        teams.sort();
        teams.dedup();
        teams
            .into_iter()
            .map(|t| view! { <option value=t.clone()></option> })
            .collect_view()
    };
    let citizen_options = move || {
        let mut citizens: Vec<(String, String, Uuid)> = ctx.data.with(|d| {
            d.citizens()
                .map(|c| (c.name.clone(), c.team.clone(), c.id))
                .collect()
        });
        citizens.sort();
        citizens
            .into_iter()
            .map(|(name, team, id)| view! { <option value=id.to_string()>{format!("{name} · {team}")}</option> })
            .collect_view()
    };
    let worker_options = move || {
        workers
            .get()
            .into_iter()
            .map(|w| {
                let label = format!("{} · {}", w.name, w.team.unwrap_or_default());
                view! { <option value=w.username>{label}</option> }
            })
            .collect_view()
    };
    let offline = move || !ctx.online.get();

    view! {
        {move || match ctx.session.get() {
            None => view! { <Login/> }.into_any(),
            Some(s) if s.user.role != Role::Coordinator => view! {
                <p>{tr(|l| td_string!(l, teams_coordinators_only))}</p>
            }.into_any(),
            Some(_) => view! {
                <h1>{tr(|l| td_string!(l, teams_title))}</h1>
                <p>{tr(|l| td_string!(l, teams_intro))}</p>
                {move || offline().then(|| view! { <p class="notice" role="status">{tr(|l| td_string!(l, teams_need_online))}</p> })}
                {move || result.get().map(|(ok, text)| view! {
                    <p class=if ok { "notice ok" } else { "notice error" } role="status" data-testid="move-result">{text}</p>
                })}
                <datalist id="known-teams">{teams}</datalist>
                <form class="card" on:submit=move_citizen data-testid="move-citizen">
                    <h2>{tr(|l| td_string!(l, move_citizen_heading))}</h2>
                    <label>
                        {tr(|l| td_string!(l, citizen_label))}
                        <select name="citizen" required=true
                            on:change=move |ev| citizen.set(event_target_value(&ev))
                            prop:value=move || citizen.get()>
                            <option value="">{tr(|l| td_string!(l, choose))}</option>
                            {citizen_options}
                        </select>
                    </label>
                    <TeamField value=citizen_team name="citizen_team"/>
                    <button type="submit" disabled=move || busy.get() || offline()>{tr(|l| td_string!(l, move_citizen_button))}</button>
                </form>
                <form class="card" on:submit=move_worker data-testid="move-worker">
                    <h2>{tr(|l| td_string!(l, move_worker_heading))}</h2>
                    <label>
                        {tr(|l| td_string!(l, worker_label))}
                        <select name="worker" required=true
                            on:change=move |ev| worker.set(event_target_value(&ev))
                            prop:value=move || worker.get()>
                            <option value="">{tr(|l| td_string!(l, choose))}</option>
                            {worker_options}
                        </select>
                    </label>
                    <TeamField value=worker_team name="worker_team"/>
                    <button type="submit" disabled=move || busy.get() || offline()>{tr(|l| td_string!(l, move_worker_button))}</button>
                </form>
            }.into_any(),
        }}
    }
}

/// The new team: typed, with the known teams suggested.
#[component]
fn TeamField(value: RwSignal<String>, name: &'static str) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <label>
            {move || td_string!(ctx.lang.get(), new_team_label)}
            <input type="text" name=name required=true list="known-teams" maxlength="64"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}
