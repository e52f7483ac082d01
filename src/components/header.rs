//! The header: who is logged in, and the truth about sync.

use leptos::prelude::*;

use crate::actions::logout;
use crate::context::use_ctx;
use crate::i18n::{td_string, tr};
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

    // Who is logged in, and the staff pages.
    let who = move || {
        ctx.session.get().map(|s| {
            let team = s
                .user
                .team
                .as_ref()
                .map(|t| format!(" · {t}"))
                .unwrap_or_default();
            let staff = s.user.role != naervaer_domain::Role::Citizen;
            view! {
                <span class="who">{s.user.name.clone()}{team}</span>
                {staff.then(|| view! {
                    <a href="/oversigt" class="nav">{tr(|l| td_string!(l, overview))}</a>
                    <a href="/aktiviteter" class="nav">{tr(|l| td_string!(l, activities))}</a>
                })}
            }
        })
    };

    let sync_line = move || {
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
                {status.error.map(|e| view! { <span class="sync-error" role="status">{e}</span> })}
            </div>
        }
    };

    view! {
        <header class="top">
            <div class="contents">
                <a href="/" class="brand">{tr(|l| td_string!(l, app_name))}</a>
                {who}
            </div>
            <div class="top-actions">
                <button class="link" on:click=move |_| ctx.toggle_lang()>{tr(|l| td_string!(l, other_lang))}</button>
                {move || ctx.session.get().is_some().then(|| view! {
                    <button on:click=move |_| request_sync(ctx)>{tr(|l| td_string!(l, sync_now))}</button>
                    <button class="secondary" on:click=on_logout>{tr(|l| td_string!(l, log_out))}</button>
                })}
            </div>
            {move || ctx.session.get().is_some().then(sync_line)}
            {move || (ctx.session.with(Option::is_some) && ctx.persisted.get() == Some(false)).then(|| view! {
                <p class="persist-warning" data-testid="persist-warning">{td_string!(ctx.lang.get(), not_persisted)}</p>
            })}
            {move || logout_warning.get().map(|n| view! {
                <div class="notice" role="alert">
                    <p>{move || td_string!(ctx.lang.get(), logout_waiting, count = crate::i18n::count(n))}</p>
                    <button class="secondary" on:click=on_force_logout>{td_string!(ctx.lang.get(), log_out_anyway)}</button>
                </div>
            })}
        </header>
    }
}
