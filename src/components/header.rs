//! The header: who is logged in, and the truth about sync.

use leptos::prelude::*;

use crate::actions::logout;
use crate::app::use_ctx;
use crate::sync::request_sync;
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
    let on_force_logout = move |_| {
        let _done = logout(ctx, true);
        logout_warning.set(None);
    };

    let sync_line = move || {
        let t = ctx.t();
        let status = ctx.status.get();
        let (pending, rejected, last) = ctx
            .data
            .with(|d| (d.pending_count(), d.rejected_count(), d.meta.last_success));
        let pending = pending + ctx.unsaved.with(Vec::len);
        let all_synced =
            pending == 0 && status.error.is_none() && last.is_some() && !status.running;
        let state = if status.running {
            "running"
        } else if all_synced {
            "synced"
        } else if status.error.is_some() {
            "error"
        } else {
            "waiting"
        };
        view! {
            <div class="sync" data-state=state data-testid="sync-state">
                <span class="sync-pending" data-testid="pending-count" data-count=pending.to_string()>
                    {if all_synced {
                        format!("✓ {}", t.all_synced)
                    } else {
                        format!("{pending} {}", t.changes_waiting)
                    }}
                </span>
                {(rejected > 0).then(|| view! {
                    <span class="sync-rejected">{format!("{rejected} {}", t.changes_rejected)}</span>
                })}
                <span class="sync-last">
                    {match last {
                        Some(at) => format!("{} {}", t.last_synced, day_and_clock(at)),
                        None => t.never_synced.to_string(),
                    }}
                </span>
                {status.running.then(|| view! { <span>{t.syncing}</span> })}
                {(!ctx.online.get()).then(|| view! { <span class="offline">{t.offline}</span> })}
                {status.error.map(|e| view! { <span class="sync-error" role="status">{e}</span> })}
            </div>
        }
    };

    view! {
        <header class="top">
            <a href="/" class="brand">{move || ctx.t().app_name}</a>
            {move || ctx.session.get().map(|s| view! {
                <span class="who">{s.user.name.clone()}{s.user.team.clone().map(|t| format!(" · {t}"))}</span>
            })}
            {move || ctx.session.get().filter(|s| s.user.role != naervaer_domain::Role::Citizen).map(|_| view! {
                <a href="/oversigt" class="nav">{move || ctx.t().overview}</a>
            })}
            <div class="top-actions">
                <button class="link" on:click=move |_| ctx.toggle_lang()>{move || ctx.t().other_lang}</button>
                {move || ctx.session.get().is_some().then(|| view! {
                    <button on:click=move |_| request_sync(ctx)>{move || ctx.t().sync_now}</button>
                    <button class="secondary" on:click=on_logout>{move || ctx.t().log_out}</button>
                })}
            </div>
            {move || ctx.session.get().is_some().then(sync_line)}
            {move || logout_warning.get().map(|n| view! {
                <div class="notice" role="alert">
                    <p>{format!("{n} {}", ctx.t().logout_waiting)}</p>
                    <button class="secondary" on:click=on_force_logout>{ctx.t().log_out_anyway}</button>
                </div>
            })}
        </header>
    }
}
