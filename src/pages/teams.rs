//! The coordinator's **Teams** page: move a citizen or a care worker to
//! another team ([`crate::actions::moves`]). The feed then takes a move to
//! every tablet: the old team's forget the citizen, the new team's get her
//! history, a moved worker's tablet fetches the new team.

use leptos::prelude::*;
use naervaer_domain::Role;
use uuid::Uuid;

use crate::actions::moves::{Worker, known_teams, move_citizen, move_worker, workers};
use crate::components::outcome::{Outcome, OutcomeLine, run_change};
use crate::context::{tr, use_ctx};
use crate::i18n::td_string;
use crate::pages::login::Login;

/// The page.
#[component]
pub fn Teams() -> impl IntoView {
    let ctx = use_ctx();
    let listed = RwSignal::new(Vec::<Worker>::new());
    let reload = move || leptos::task::spawn_local(async move { listed.set(workers(ctx).await) });
    reload();
    let outcome: Outcome = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let teams = move || {
        let on_device = ctx
            .data
            .with(|d| d.citizens().map(|c| c.team.clone()).collect::<Vec<_>>());
        known_teams(on_device.into_iter(), &listed.get())
            .into_iter()
            .map(|t| view! { <option value=t></option> })
            .collect_view()
    };
    view! {
        {move || match ctx.session.get() {
            None => view! { <Login/> }.into_any(),
            Some(s) if s.user.role != Role::Coordinator => view! {
                <p>{tr(|l| td_string!(l, teams_coordinators_only))}</p>
            }.into_any(),
            Some(_) => view! {
                <h1>{tr(|l| td_string!(l, teams_title))}</h1>
                <p>{tr(|l| td_string!(l, teams_intro))}</p>
                {move || (!ctx.online.get()).then(|| view! {
                    <p class="notice" role="status">{tr(|l| td_string!(l, teams_need_online))}</p>
                })}
                <OutcomeLine outcome test_id="move-result"/>
                <datalist id="known-teams">{teams}</datalist>
                <CitizenMoveForm outcome busy/>
                <WorkerMoveForm listed outcome busy on_moved=reload/>
            }.into_any(),
        }}
    }
}

/// Move a citizen: whom, and to which team.
#[component]
fn CitizenMoveForm(outcome: Outcome, busy: RwSignal<bool>) -> impl IntoView {
    let ctx = use_ctx();
    let citizen = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(id) = Uuid::parse_str(&citizen.get_untracked()) else {
            return;
        };
        let to = team.get_untracked().trim().to_string();
        run_change(outcome, busy, move_citizen(ctx, id, to), move |ok| {
            if ok {
                team.set(String::new());
            }
        });
    };
    let options = move || {
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
    view! {
        <form class="card" on:submit=submit data-testid="move-citizen">
            <h2>{tr(|l| td_string!(l, move_citizen_heading))}</h2>
            <Choose label=tr(|l| td_string!(l, citizen_label)) name="citizen" value=citizen options/>
            <TeamField value=team name="citizen_team"/>
            <MoveButton busy label=tr(|l| td_string!(l, move_citizen_button))/>
        </form>
    }
}

/// Move a care worker: whom, and to which team.
#[component]
fn WorkerMoveForm(
    listed: RwSignal<Vec<Worker>>,
    outcome: Outcome,
    busy: RwSignal<bool>,
    on_moved: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let worker = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let username = worker.get_untracked();
        let name = listed.with_untracked(|list| {
            list.iter()
                .find(|w| w.username == username)
                .map(|w| w.name.clone())
                .unwrap_or_default()
        });
        let to = team.get_untracked().trim().to_string();
        run_change(
            outcome,
            busy,
            move_worker(ctx, username, name, to),
            move |ok| {
                if ok {
                    team.set(String::new());
                    on_moved();
                }
            },
        );
    };
    let options = move || {
        listed
            .get()
            .into_iter()
            .map(|w| {
                let label = format!("{} · {}", w.name, w.team.unwrap_or_default());
                view! { <option value=w.username>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <form class="card" on:submit=submit data-testid="move-worker">
            <h2>{tr(|l| td_string!(l, move_worker_heading))}</h2>
            <Choose label=tr(|l| td_string!(l, worker_label)) name="worker" value=worker options/>
            <TeamField value=team name="worker_team"/>
            <MoveButton busy label=tr(|l| td_string!(l, move_worker_button))/>
        </form>
    }
}

/// A required choice among `options`, with "Vælg" first.
#[component]
fn Choose<O, V>(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    name: &'static str,
    value: RwSignal<String>,
    options: O,
) -> impl IntoView
where
    O: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <label>
            {label}
            <select name=name required=true
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()>
                <option value="">{tr(|l| td_string!(l, choose))}</option>
                {options}
            </select>
        </label>
    }
}

/// The move button, off while a move runs or the device is offline.
#[component]
fn MoveButton(
    busy: RwSignal<bool>,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <button type="submit" disabled=move || busy.get() || !ctx.online.get()>{label}</button>
    }
}

/// The new team: typed, with the known teams suggested.
#[component]
fn TeamField(value: RwSignal<String>, name: &'static str) -> impl IntoView {
    view! {
        <label>
            {tr(|l| td_string!(l, new_team_label))}
            <input type="text" name=name required=true list="known-teams" maxlength="64"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}
