//! The app shell: shared state, sync triggers, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use naervaer_domain::sync::Record;

use crate::actions::open_user_data;
use crate::components::header::Header;
use crate::data::LocalData;
use crate::i18n::{Lang, Texts, texts};
use crate::pages::catalogue::Catalogue;
use crate::pages::citizen::CitizenPage;
use crate::pages::clip_form::ClipForm;
use crate::pages::home::Home;
use crate::pages::loneliness_form::LonelinessForm;
use crate::pages::note_form::NoteForm;
use crate::pages::overview::Overview;
use crate::session::Session;
use crate::sync::{SyncStatus, TIMER, request_sync};

const LANG_KEY: &str = "nv:lang";

/// State shared by every page.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The language shown.
    pub lang: RwSignal<Lang>,
    /// The login, if any.
    pub session: RwSignal<Option<Session>>,
    /// The logged-in user's data on this device.
    pub data: RwSignal<LocalData>,
    /// Sync state for the header.
    pub status: RwSignal<SyncStatus>,
    /// Records storage refused, kept in memory and retried.
    pub unsaved: RwSignal<Vec<Record>>,
    /// A message for the user (storage problems).
    pub notice: RwSignal<Option<String>>,
    /// Whether the browser says it is online.
    pub online: RwSignal<bool>,
    /// Whether the user's data has been read from the device (pages wait
    /// for it rather than show an empty list).
    pub loaded: RwSignal<bool>,
    /// Whether the browser promised to keep this device's data (`None`
    /// until it answered).
    pub persisted: RwSignal<Option<bool>>,
}

impl Ctx {
    /// The texts in the current language (untracked: for use in handlers).
    pub fn texts(&self) -> &'static Texts {
        texts(self.lang.get_untracked())
    }

    /// The texts in the current language, re-rendering when it changes.
    pub fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }

    /// Switches language and remembers the choice.
    pub fn toggle_lang(&self) {
        use gloo_storage::Storage;
        let next = match self.lang.get_untracked() {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        };
        self.lang.set(next);
        if crate::settings::storage_available().is_ok() {
            let _remembered = gloo_storage::LocalStorage::set(LANG_KEY, next);
        }
    }
}

/// The context of the running app.
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().unwrap_or_else(new_ctx)
}

fn new_ctx() -> Ctx {
    use gloo_storage::Storage;
    let lang = if crate::settings::storage_available().is_ok() {
        gloo_storage::LocalStorage::get(LANG_KEY).unwrap_or_default()
    } else {
        Lang::default()
    };
    let online = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    Ctx {
        lang: RwSignal::new(lang),
        session: RwSignal::new(Session::load()),
        data: RwSignal::new(LocalData::default()),
        status: RwSignal::new(SyncStatus::default()),
        unsaved: RwSignal::new(Vec::new()),
        notice: RwSignal::new(None),
        online: RwSignal::new(online),
        loaded: RwSignal::new(false),
        persisted: RwSignal::new(None),
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let ctx = new_ctx();
    provide_context(ctx);
    if let Some(session) = ctx.session.get_untracked() {
        leptos::task::spawn_local(async move { open_user_data(ctx, &session).await });
    }
    request_sync(ctx);
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
                Lang::Da => "da",
                Lang::En => "en",
            };
            let _set = root.set_attribute("lang", code);
        }
    });

    view! {
        <Router>
            <Header/>
            <main>
                {move || ctx.notice.get().map(|n| view! { <p class="notice" role="alert">{n}</p> })}
                <Show
                    when=move || ctx.loaded.get() || ctx.session.with(Option::is_none)
                    fallback=move || view! { <p class="loading">{ctx.t().loading}</p> }
                >
                    <Routes fallback=move || view! { <p>{ctx.t().not_found}</p> }>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/borger/:id") view=CitizenPage/>
                        <Route path=path!("/borger/:id/:form") view=CitizenForm/>
                        <Route path=path!("/:page") view=StaffPage/>
                    </Routes>
                </Show>
            </main>
        </Router>
    }
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
        _ => view! { <p>{ctx.t().not_found}</p> }.into_any(),
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
        _ => view! { <p>{ctx.t().not_found}</p> }.into_any(),
    }
}
