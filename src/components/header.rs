//! The header: who is logged in, and the truth about sync.

use leptos::prelude::*;

use crate::actions::logout;
use crate::context::use_ctx;
use crate::html::{el, esc, link};
use crate::i18n::pick;
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

    // The brand, who is logged in, and the staff pages.
    let top = move || {
        let t = ctx.t();
        let mut html = link("/", "brand", t.app_name);
        if let Some(s) = ctx.session.get() {
            let team = s
                .user
                .team
                .as_deref()
                .map(|t| format!(" · {t}"))
                .unwrap_or_default();
            html += &el("span", "who", &format!("{}{team}", s.user.name));
            if s.user.role != naervaer_domain::Role::Citizen {
                html += &link("/oversigt", "nav", t.overview);
                html += &link(
                    "/aktiviteter",
                    "nav",
                    &pick(ctx.lang.get(), "Aktiviteter", "Activities"),
                );
            }
        }
        html
    };

    let sync_line = move || {
        let t = ctx.t();
        let status = ctx.status.get();
        let (pending, rejected, last) = ctx
            .data
            .with(|d| (d.pending_count(), d.rejected_count(), d.meta.last_success));
        let pending = pending + ctx.unsaved.with(Vec::len);
        let header = naervaer_sync::HeaderState::of(pending, &status, last);
        let last = status.synced_at.max(last);
        let all_synced = header == naervaer_sync::HeaderState::AllSynced;
        let state = header.as_str();
        let mut html = format!(
            "<span class=\"sync-pending\" data-testid=\"pending-count\" data-count=\"{pending}\">{}</span>",
            esc(&if all_synced {
                format!("✓ {}", t.all_synced)
            } else {
                format!("{pending} {}", t.changes_waiting)
            })
        );
        if rejected > 0 {
            html += &el(
                "span",
                "sync-rejected",
                &format!("{rejected} {}", t.changes_rejected),
            );
        }
        html += &el(
            "span",
            "sync-last",
            &match last {
                Some(at) => format!("{} {}", t.last_synced, day_and_clock(at)),
                None => t.never_synced.to_string(),
            },
        );
        if status.running {
            html += &el("span", "", t.syncing);
        }
        if !ctx.online.get() {
            html += &el("span", "offline", t.offline);
        }
        if let Some(e) = status.error {
            html += &format!(
                "<span class=\"sync-error\" role=\"status\">{}</span>",
                esc(&e)
            );
        }
        view! { <div class="sync" data-state=state data-testid="sync-state" inner_html=html></div> }
    };

    view! {
        <header class="top">
            <div class="contents" inner_html=top></div>
            <div class="top-actions">
                <button class="link" on:click=move |_| ctx.toggle_lang()>{move || ctx.t().other_lang}</button>
                {move || ctx.session.get().is_some().then(|| view! {
                    <button on:click=move |_| request_sync(ctx)>{move || ctx.t().sync_now}</button>
                    <button class="secondary" on:click=on_logout>{move || ctx.t().log_out}</button>
                })}
            </div>
            {move || ctx.session.get().is_some().then(sync_line)}
            {move || (ctx.session.with(Option::is_some) && ctx.persisted.get() == Some(false)).then(|| view! {
                <p class="persist-warning" data-testid="persist-warning">{ctx.t().not_persisted}</p>
            })}
            {move || logout_warning.get().map(|n| view! {
                <div class="notice" role="alert">
                    <p>{format!("{n} {}", ctx.t().logout_waiting)}</p>
                    <button class="secondary" on:click=on_force_logout>{ctx.t().log_out_anyway}</button>
                </div>
            })}
        </header>
    }
}
