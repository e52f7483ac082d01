//! The app shell: provides the shared context (`crate::context`), starts
//! the sync triggers, and routes to the pages.

use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::actions::session::{follow_logins, lock_here, open_stored};
use crate::components::header::Header;
use crate::context::{new_ctx, use_ctx};
use crate::i18n::Locale;
use crate::pages::accounts::Accounts;
use crate::pages::catalogue::Catalogue;
use crate::pages::citizen::CitizenPage;
use crate::pages::clip_form::ClipForm;
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::pages::loneliness_form::LonelinessForm;
use crate::pages::note_form::NoteForm;
use crate::pages::overview::Overview;
use crate::pages::pin::PinUnlock;
use crate::pages::teams::Teams;
use crate::sync_glue::{TIMER, request_sync};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let ctx = new_ctx();
    provide_context(ctx);
    crate::app_update::watch(ctx);
    if let Some(session) = ctx.session.get_untracked() {
        open_stored(ctx, session);
    }
    follow_logins(ctx);
    crate::screen_lock::watch(ctx, lock_here);
    set_interval(move || request_sync(ctx), TIMER);
    let online = window_event_listener(leptos::ev::online, move |_| {
        ctx.online.set(true);
        request_sync(ctx);
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| ctx.online.set(false));
    on_cleanup(move || {
        online.remove();
        offline.remove();
    });
    Effect::new(move |_| {
        if let Some(doc) = web_sys::window().and_then(|w| w.document())
            && let Some(root) = doc.document_element()
        {
            let code = match ctx.lang.get() {
                Locale::da => "da",
                Locale::en => "en",
            };
            let _set = root.set_attribute("lang", code);
        }
    });

    view! {
        <Router>
            <Header/>
            <main>
                {move || ctx.notice.get().map(|n| view! { <p class="notice" role="alert">{n.text(ctx.lang.get())}</p> })}
                // An ended login shows the login form and nothing of the citizens.
                <Show
                    when=move || !ctx.status.with(|s| s.needs_login) && !ctx.locked.get()
                    fallback=move || view! { <Login username=login_name(ctx)/> }
                >
                // A soft lock hides the citizens; sync goes on.
                <Show when=move || !ctx.soft_locked.get() fallback=PinUnlock>
                <Show
                    when=move || ctx.loaded.get() || ctx.session.with(Option::is_none)
                    fallback=move || view! { <p class="loading">{td_string!(ctx.lang.get(), loading)}</p> }
                >
                    <Routes fallback=move || view! { <p>{td_string!(ctx.lang.get(), not_found)}</p> }>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/borger/:id") view=CitizenPage/>
                        <Route path=path!("/borger/:id/:form") view=CitizenForm/>
                        <Route path=path!("/:page") view=StaffPage/>
                    </Routes>
                </Show>
                </Show>
                </Show>
            </main>
        </Router>
    }
}

/// The name the login form offers: the stored login's, unless another user
/// is to take the tablet ("Skift bruger").
fn login_name(ctx: crate::context::Ctx) -> String {
    if ctx.switching.get() {
        return String::new();
    }
    ctx.session
        .with(|s| s.as_ref().map(|s| s.user.username.clone()))
        .unwrap_or_default()
}

/// A form about one citizen: `/borger/:id/notat`, `…/ensomhed` or `…/klip`.
/// One route for the three (each route costs the download more than a match).
#[component]
fn CitizenForm() -> impl IntoView {
    let ctx = use_ctx();
    let form = leptos_router::hooks::use_params_map();
    move || match form.with(|p| p.get("form")).as_deref() {
        Some("notat") => view! { <NoteForm/> }.into_any(),
        Some("ensomhed") => view! { <LonelinessForm/> }.into_any(),
        Some("klip") => view! { <ClipForm/> }.into_any(),
        _ => view! { <p>{td_string!(ctx.lang.get(), not_found)}</p> }.into_any(),
    }
}

/// A staff page: `/oversigt` or `/aktiviteter` (one route, as above).
#[component]
fn StaffPage() -> impl IntoView {
    let ctx = use_ctx();
    let page = leptos_router::hooks::use_params_map();
    move || match page.with(|p| p.get("page")).as_deref() {
        Some("oversigt") => view! { <Overview/> }.into_any(),
        Some("aktiviteter") => view! { <Catalogue/> }.into_any(),
        Some("teams") => view! { <Teams/> }.into_any(),
        Some("konti") => view! { <Accounts/> }.into_any(),
        _ => view! { <p>{td_string!(ctx.lang.get(), not_found)}</p> }.into_any(),
    }
}
