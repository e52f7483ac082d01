//! The header: who is logged in, and the truth about sync.

use leptos::prelude::*;

use naervaer_sync::Recovery;

use crate::actions::session::{logout, switch_user};
use crate::app_update::take_new_version;
use crate::context::tr;
use crate::context::use_ctx;
use crate::i18n::td_string;
use crate::notice::sync_text;
use crate::sync_glue::request_sync;
use crate::time_fmt::day_and_clock;

/// The top bar.
#[component]
pub fn Header() -> impl IntoView {
    let ctx = use_ctx();
    let logout_warning = RwSignal::new(None::<usize>);
    let on_logout = move |_| match logout(ctx, false) {
        Ok(()) => logout_warning.set(None),
        Err(waiting) => logout_warning.set(Some(waiting)),
    };
    // A lock or another login takes the warning away with the user.
    Effect::new(move |_| {
        ctx.locked.track();
        ctx.soft_locked.track();
        ctx.session.track();
        logout_warning.set(None);
    });
    let on_force_logout = move |_| {
        let _done = logout(ctx, true);
        logout_warning.set(None);
    };

    view! {
        <header class="top">
            <div class="contents">
                <a href="/" class="brand">{tr(|l| td_string!(l, app_name))}</a>
                <Who/>
            </div>
            <div class="top-actions">
                <button class="link" on:click=move |_| ctx.toggle_lang()>{tr(|l| td_string!(l, other_lang))}</button>
                {move || (ctx.session.get().is_some() && !ctx.locked.get()).then(|| view! {
                    <button on:click=move |_| request_sync(ctx)>{tr(|l| td_string!(l, sync_now))}</button>
                })}
                // A locked window knows nothing of what waits, and a finder
                // at a soft lock must not end the user's login: no logout.
                {move || (ctx.session.get().is_some() && !ctx.locked.get() && !ctx.soft_locked.get()).then(|| view! {
                    <button class="secondary" on:click=on_logout>{tr(|l| td_string!(l, log_out))}</button>
                })}
                {move || shared_tablet(ctx).then(|| view! {
                    <button class="secondary" on:click=move |_| switch_user(ctx)>{tr(|l| td_string!(l, switch_user))}</button>
                })}
            </div>
            {move || ctx.session.get().is_some().then(|| view! { <SyncLine/> <SyncNotices/> })}
            {move || ctx.update_ready.get().then(|| view! {
                <div class="notice update" role="status" data-testid="update-ready">
                    <p>{td_string!(ctx.lang.get(), update_ready)}</p>
                    <button on:click=move |_| take_new_version()>{td_string!(ctx.lang.get(), update_now)}</button>
                </div>
            })}
            {move || (ctx.session.with(Option::is_some) && ctx.persisted.get() == Some(false)).then(|| view! {
                <p class="persist-warning" data-testid="persist-warning">{td_string!(ctx.lang.get(), not_persisted)}</p>
            })}
            {move || logout_warning.get().map(|n| view! {
                <div class="notice" role="alert">
                    <p>{move || td_string!(ctx.lang.get(), logout_waiting, name = user_name(ctx), count = crate::i18n::count(n))}</p>
                    <button class="secondary" on:click=on_force_logout>{td_string!(ctx.lang.get(), log_out_anyway)}</button>
                </div>
            })}
        </header>
    }
}

/// Whether "Skift bruger" is offered: to staff, whose tablets pass between
/// colleagues, while their data is open here.
fn shared_tablet(ctx: crate::context::Ctx) -> bool {
    !ctx.locked.get()
        && ctx.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.user.role != naervaer_domain::Role::Citizen)
        })
}

fn user_name(ctx: crate::context::Ctx) -> String {
    ctx.session
        .with(|s| s.as_ref().map(|s| s.user.name.clone()))
        .unwrap_or_default()
}

/// Who is logged in, and the staff pages.
#[component]
fn Who() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        ctx.session.get().map(|s| {
            let team = s
                .user
                .team
                .as_ref()
                .map(|t| format!(" · {t}"))
                .unwrap_or_default();
            let staff = s.user.role != naervaer_domain::Role::Citizen;
            let coordinator = s.user.role == naervaer_domain::Role::Coordinator;
            view! {
                <span class="who">{s.user.name.clone()}{team}</span>
                {staff.then(|| view! {
                    <a href="/oversigt" class="nav">{tr(|l| td_string!(l, overview))}</a>
                    <a href="/aktiviteter" class="nav">{tr(|l| td_string!(l, activities))}</a>
                })}
                {coordinator.then(|| view! {
                    <a href="/teams" class="nav">{tr(|l| td_string!(l, teams_nav))}</a>
                    <a href="/konti" class="nav">{tr(|l| td_string!(l, accounts.nav))}</a>
                })}
            }
        })
    }
}

/// Where sync stands: what waits, what was refused, when it last ran, and why it failed.
#[component]
fn SyncLine() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let status = ctx.status.get();
        let (pending, rejected, last) = ctx
            .data
            .with(|d| (d.pending_count(), d.rejected_count(), d.meta.last_success));
        let pending = pending + ctx.unsaved.with(Vec::len);
        let header = naervaer_sync::HeaderState::of(pending, &status, last);
        let last = status.synced_at.max(last);
        let pending_text = if header == naervaer_sync::HeaderState::AllSynced {
            format!("✓ {}", td_string!(lang, all_synced))
        } else {
            td_string!(lang, changes_waiting, count = crate::i18n::count(pending))
        };
        let last_text = match last {
            Some(at) => format!("{} {}", td_string!(lang, last_synced), day_and_clock(at)),
            None => td_string!(lang, never_synced).to_owned(),
        };
        view! {
            <div class="sync" data-state=header.as_str() data-testid="sync-state">
                <span class="sync-pending" data-testid="pending-count" data-count=pending>{pending_text}</span>
                {(rejected > 0).then(|| view! {
                    <span class="sync-rejected">{td_string!(lang, changes_rejected, count = crate::i18n::count(rejected))}</span>
                })}
                <span class="sync-last">{last_text}</span>
                {status.running.then(|| view! { <span>{td_string!(lang, syncing)}</span> })}
                {(!ctx.online.get()).then(|| view! { <span class="offline">{td_string!(lang, offline)}</span> })}
                {status.error.map(|e| view! { <span class="sync-error" role="status">{sync_text(lang, &e)}</span> })}
            </div>
        }
    }
}

/// What sync found out about the server, or this device, that the user
/// should know: told plainly, once, in the header.
#[component]
fn SyncNotices() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let status = ctx.status.get();
        let skipped = ctx.data.with(|d| d.meta.skipped) > 0;
        let recovery = status.recovery.map(|r| match r {
            Recovery::FeedRestored => td_string!(lang, recovered_feed),
            Recovery::ChangesSentAgain(_) => td_string!(lang, recovered_resent),
            Recovery::NewClientId => td_string!(lang, recovered_copied),
            Recovery::ScopeChanged => td_string!(lang, recovered_team),
        });
        let clock = status
            .clock_off_minutes
            .map(|minutes| td_string!(lang, clock_off, minutes = minutes.abs().to_string()));
        view! {
            {recovery.map(|text| view! { <p class="sync-notice" role="status" data-testid="recovery">{text}</p> })}
            {clock.map(|text| view! { <p class="sync-notice" role="status" data-testid="clock-off">{text}</p> })}
            {skipped.then(|| view! { <p class="sync-notice" role="status">{td_string!(lang, skipped_changes)}</p> })}
        }
    }
}
