//! The state every page and component shares (`Ctx`), provided once by the
//! app shell and read with [`use_ctx`]. Pages depend on this module, not on
//! the shell that routes to them.

use leptos::prelude::*;
use naervaer_domain::protocol::Record;

use crate::data::LocalData;
use crate::i18n::{I18nLocaleTrait, Locale};
use crate::notice::Notice;
use crate::session::Session;
use naervaer_sync::SyncStatus;

const LANG_KEY: &str = "nv:lang";

/// State shared by every page.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The language shown.
    pub lang: RwSignal<Locale>,
    /// The login, if any.
    pub session: RwSignal<Option<Session>>,
    /// The logged-in user's data on this device.
    pub data: RwSignal<LocalData>,
    /// Sync state for the header.
    pub status: RwSignal<SyncStatus>,
    /// Records storage refused, kept in memory and retried.
    pub unsaved: RwSignal<Vec<Record>>,
    /// What to tell the user (a save's outcome, storage problems), worded
    /// when shown.
    pub notice: RwSignal<Option<Notice>>,
    /// Whether the browser says it is online.
    pub online: RwSignal<bool>,
    /// Whether the user's data has been read from the device (pages wait
    /// for it rather than show an empty list).
    pub loaded: RwSignal<bool>,
    /// Whether the browser promised to keep this device's data (`None`
    /// until it answered).
    pub persisted: RwSignal<Option<bool>>,
    /// A new version of the app is installed and waits to be taken.
    pub update_ready: RwSignal<bool>,
    /// A login is stored but its keys are not unlocked in this window
    /// (every start): nothing of the citizens is shown.
    pub locked: RwSignal<bool>,
    /// The screen is soft-locked (unused for a while): nothing of the
    /// citizens is shown, sync goes on, the PIN resumes.
    pub soft_locked: RwSignal<bool>,
    /// "Skift bruger" was chosen: the login form is offered to anyone.
    pub switching: RwSignal<bool>,
}

impl Ctx {
    /// Switches language and remembers the choice.
    pub fn toggle_lang(&self) {
        use gloo_storage::Storage;
        let next = match self.lang.get_untracked() {
            Locale::da => Locale::en,
            Locale::en => Locale::da,
        };
        self.lang.set(next);
        if crate::settings::storage_available().is_ok() {
            let _remembered = gloo_storage::LocalStorage::set(LANG_KEY, next.as_str());
        }
    }
}

/// A catalogue text that follows the language shown:
/// `{tr(|l| td_string!(l, save))}` in a view. Every such text shares this
/// one closure type, so the views render them with one piece of code.
pub fn tr(
    text: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_ctx().lang;
    move || text(leptos::prelude::Get::get(&lang))
}

/// The context of the running app.
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().unwrap_or_else(new_ctx)
}

/// A fresh context: language and session as stored on the device.
pub fn new_ctx() -> Ctx {
    use gloo_storage::Storage;
    let lang = if crate::settings::storage_available().is_ok() {
        gloo_storage::LocalStorage::get::<String>(LANG_KEY)
            .map(|code| locale_of(&code))
            .unwrap_or_default()
    } else {
        Locale::default()
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
        update_ready: RwSignal::new(false),
        locked: RwSignal::new(false),
        soft_locked: RwSignal::new(false),
        switching: RwSignal::new(false),
    }
}

/// The language stored under a code: `da`/`en` (and `Da`/`En`, as
/// versions before the text catalogue stored them); Danish otherwise.
fn locale_of(code: &str) -> Locale {
    if code.eq_ignore_ascii_case("en") {
        Locale::en
    } else {
        Locale::da
    }
}
