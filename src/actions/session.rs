//! Logging in and out, and opening the logged-in user's data on this device.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::SessionResponse;
use serde::Serialize;

use crate::actions::unlock;
use crate::context::Ctx;
use crate::data::LocalData;
use crate::http::{HttpError, post_json};
use crate::i18n::td_string;
use crate::notice::Notice;
use crate::session::{SESSION_KEY, Session};
use crate::sync_glue::{close_here, device_for, request_sync, unlock_device};
use crate::windows;
use naervaer_domain::screen_lock::{PinProblem, check_pin};

/// Opens the unlocked user's data: moves what the device kept before its
/// data was sealed (in `localStorage` by the first versions, then in a plain
/// IndexedDB database) into the sealed store, once; loads it into memory;
/// and starts listening to the user's other windows.
pub async fn open_user_data(ctx: Ctx, session: &Session) {
    let user_id = session.user.id;
    let Some(device) = device_for(user_id) else {
        return;
    };
    let store = device.store();
    if let Err(e) = crate::store::move_into_sealed(user_id, store).await {
        // The old data stays where it is; the next unlock tries again.
        ctx.notice.set(Some(Notice::Storage(e)));
    }
    let timing = crate::perf::Timing::start("naervaer:load");
    let opened = store.open_everything().await;
    timing.end();
    match opened {
        Ok(opened) => {
            ctx.data.set(LocalData::from_maps(opened.maps));
            if opened.damaged > 0 {
                ctx.notice.set(Some(Notice::Damaged(opened.damaged)));
            }
        }
        Err(e) => ctx.notice.set(Some(Notice::Storage(e))),
    }
    ctx.loaded.set(true);
    crate::sync_glue::follow_other_windows(ctx, user_id, move |ended| match ended {
        windows::Changed::Locked => lock_here(ctx),
        _ => close_here(ctx),
    });
    check_persisted(ctx, false).await;
}

/// Asks the browser to keep this device's data (`navigator.storage.persist()`,
/// at login) or only whether it does (`persisted()`, at start); the header
/// warns when it may be cleared under storage pressure.
async fn check_persisted(ctx: Ctx, ask: bool) {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return;
    };
    let promise = if ask {
        storage.persist()
    } else {
        storage.persisted()
    };
    let Ok(promise) = promise else {
        return;
    };
    if let Ok(answer) = wasm_bindgen_futures::JsFuture::from(promise).await {
        ctx.persisted.set(answer.as_bool());
    }
}

#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
}

fn pin_problem(problem: PinProblem) -> Notice {
    match problem {
        PinProblem::NotDigits | PinProblem::Length => Notice::Text(|l| td_string!(l, pin_length)),
        PinProblem::Guessable => Notice::Text(|l| td_string!(l, pin_guessable)),
    }
}

/// The PIN chosen at login (empty: none), checked.
fn chosen_pin(pin: &str) -> Result<Option<String>, Notice> {
    let pin = pin.trim();
    if pin.is_empty() {
        return Ok(None);
    }
    check_pin(pin).map_err(pin_problem)?;
    Ok(Some(pin.to_owned()))
}

/// Logs in and opens the device's data. Online, the server checks the
/// password and sends the user's data key; without a network (or a server
/// that does not answer), the password unlocks the key kept on this device
/// for a user who logged in here before. `pin` (empty for none) resumes the
/// soft lock of this window.
pub async fn login(ctx: Ctx, username: &str, password: &str, pin: &str) -> Result<(), Notice> {
    let pin = chosen_pin(pin)?;
    let body = LoginBody { username, password };
    let (session, cipher) = match post_json::<_, SessionResponse>("/api/v1/session", None, &body)
        .await
    {
        Ok(response) => {
            let (session, data_key) = Session::received(response, Utc::now());
            let cipher = unlock::after_login(session.user.id, data_key, password).await?;
            session
                .save_sealed(&cipher)
                .await
                .map_err(Notice::Storage)?;
            (session, cipher)
        }
        Err(HttpError::Unauthorized) => return Err(Notice::Text(|l| td_string!(l, login_wrong))),
        Err(HttpError::AccountDisabled) => {
            let name = username.trim().to_lowercase();
            let current = Session::load().filter(|s| s.user.username == name);
            if let Some(known) = current.or_else(|| Session::known_named(&name)) {
                crate::sync_glue::forget_user(ctx, known.user.id);
            }
            return Err(Notice::Text(|l| {
                td_string!(l, sync_problem.account_disabled)
            }));
        }
        Err(other) => {
            let name = username.trim().to_lowercase();
            let current = Session::load().filter(|s| s.user.username == name);
            let Some(session) = current.or_else(|| Session::known_named(&name)) else {
                return Err(match other {
                    HttpError::Offline => Notice::Text(|l| td_string!(l, login_offline)),
                    HttpError::Status { code, .. } if code == "password_login_off" => {
                        Notice::Text(|l| td_string!(l, municipal.password_login_off))
                    }
                    other => Notice::request(other),
                });
            };
            let cipher = unlock::offline(&session, password).await?;
            let mut session = session;
            session.open_token(&cipher).await;
            // The user may be another than the stored login's (a shared
            // tablet): this user's is the current login now.
            if !session.same_login(Session::load().as_ref()) {
                session.store_current().map_err(Notice::Storage)?;
            }
            (session, cipher)
        }
    };
    finish_login(ctx, session, cipher, pin).await;
    Ok(())
}

/// What every login ends with: the device's data opened under `cipher`,
/// the locks started with `pin`, this window showing the user's data, and
/// a sync.
async fn finish_login(
    ctx: Ctx,
    session: Session,
    cipher: crate::crypto::WebCipher,
    pin: Option<String>,
) {
    unlock_device(session.user.id, cipher);
    crate::screen_lock::start(session.user.id, session.screen_lock, pin);
    ctx.session.set(Some(session.clone()));
    ctx.locked.set(false);
    ctx.soft_locked.set(false);
    ctx.switching.set(false);
    check_persisted(ctx, true).await;
    open_user_data(ctx, &session).await;
    ctx.status.update(|s| {
        s.needs_login = false;
        s.error = None;
    });
    request_sync(ctx);
}

/// The shortest code that opens this device offline after a municipal
/// login (it guards the data key, as a password does).
pub const MIN_DEVICE_CODE_CHARS: usize = 8;

/// Collects a finished municipal login: the server's one-time handoff code
/// (in the address the login came back to) traded for a session, in this
/// browser only.
pub async fn collect_municipal_login(code: &str) -> Result<SessionResponse, Notice> {
    #[derive(Serialize)]
    struct Handoff<'a> {
        code: &'a str,
    }
    post_json::<_, SessionResponse>("/api/v1/session/handoff", None, &Handoff { code })
        .await
        .map_err(|e| match e {
            HttpError::AccountDisabled => {
                Notice::Text(|l| td_string!(l, municipal.account_disabled))
            }
            HttpError::Unauthorized => Notice::Text(|l| td_string!(l, municipal.expired)),
            other => Notice::request(other),
        })
}

/// Logs in with a session from the municipality's login: `device_code`
/// (chosen now) guards the user's data key on this device and opens it
/// offline later, as a password does; `pin` resumes the soft lock.
pub async fn login_municipal(
    ctx: Ctx,
    response: SessionResponse,
    device_code: &str,
    pin: &str,
) -> Result<(), Notice> {
    if device_code.chars().count() < MIN_DEVICE_CODE_CHARS {
        return Err(Notice::Text(|l| td_string!(l, municipal.code_short)));
    }
    let pin = chosen_pin(pin)?;
    let (session, data_key) = Session::received(response, Utc::now());
    let cipher = unlock::after_login(session.user.id, data_key, device_code).await?;
    session
        .save_sealed(&cipher)
        .await
        .map_err(Notice::Storage)?;
    if !session.same_login(Session::load().as_ref()) {
        session.store_current().map_err(Notice::Storage)?;
    }
    finish_login(ctx, session, cipher, pin).await;
    Ok(())
}

/// How this server lets people log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct LoginOptions {
    /// With a login name and password.
    pub password: bool,
    /// Through the municipality's login.
    pub municipal: bool,
}

const LOGIN_OPTIONS_KEY: &str = "nv:login-options";

/// How this server lets people log in: asked when online, remembered for
/// offline starts (passwords only until the server has answered once).
pub async fn login_options() -> LoginOptions {
    use gloo_storage::{LocalStorage, Storage};
    match crate::http::get_public::<LoginOptions>("/api/v1/login-options").await {
        Ok(options) => {
            let _kept = LocalStorage::set(LOGIN_OPTIONS_KEY, options);
            options
        }
        Err(_) => LocalStorage::get(LOGIN_OPTIONS_KEY).unwrap_or(LoginOptions {
            password: true,
            municipal: false,
        }),
    }
}

/// Logs out, in every window of the app. Unless `force`, refuses while
/// changes wait to be sent; the user's data and key leave the device only
/// when nothing is waiting (waiting changes stay sealed for the user's next
/// login).
pub fn logout(ctx: Ctx, force: bool) -> Result<(), usize> {
    let Some(session) = ctx.session.get_untracked() else {
        return Ok(());
    };
    let waiting =
        ctx.data.with_untracked(|d| d.pending_count()) + ctx.unsaved.with_untracked(Vec::len);
    if waiting > 0 && !force {
        return Err(waiting);
    }
    let user_id = session.user.id;
    let device = device_for(user_id);
    note_waiting(ctx);
    // The server ends the token too, when it can be reached (offline, the
    // token is forgotten here and ends at its expiry).
    let token = session.token.clone();
    if !token.is_empty() {
        leptos::task::spawn_local(async move {
            let _ended = crate::http::delete("/api/v1/session", &token).await;
        });
    }
    // The stored session goes first: a sync of another window that has not
    // yet begun finds it gone and stops (see `sync_glue::sync_now`).
    Session::clear();
    windows::tell_others(user_id, windows::Changed::LoggedOut);
    close_here(ctx);
    if let Some(device) = device.filter(|_| waiting == 0) {
        // After any sync still running in another window (the sync lock), so
        // nothing is downloaded into the emptied store.
        leptos::task::spawn_local(async move {
            let cleared =
                windows::with_sync_lock(user_id, device.store().clear_if_all_sent()).await;
            if cleared == Ok(true) {
                crate::crypto::wrap::forget(user_id);
                Session::forget_known(user_id);
            }
        });
    }
    Ok(())
}

/// Notes how many of the user's changes wait here as the user leaves, for
/// the login form; only from a window whose data is open (a locked one
/// knows nothing, and must not say nothing waits).
fn note_waiting(ctx: Ctx) {
    if !ctx.loaded.get_untracked() {
        return;
    }
    if let Some(user) = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id))
    {
        let waiting =
            ctx.data.with_untracked(|d| d.pending_count()) + ctx.unsaved.with_untracked(Vec::len);
        Session::note_waiting(user, waiting);
    }
}

/// Locks this window hard: the keys and the citizens leave memory and the
/// screen, sync stops, and only the password opens it again (the login is
/// kept, so it can be offline).
pub fn lock_here(ctx: Ctx) {
    if ctx.session.with_untracked(Option::is_none) || ctx.locked.get_untracked() {
        return;
    }
    note_waiting(ctx);
    crate::sync_glue::let_go(ctx);
    ctx.locked.set(true);
}

/// Locks every window of this login hard (too many wrong PINs, or another
/// user takes the tablet).
pub fn lock_everywhere(ctx: Ctx) {
    if let Some(user) = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id))
    {
        windows::tell_others(user, windows::Changed::Locked);
    }
    lock_here(ctx);
}

/// "Skift bruger": locks every window of this login and offers the login
/// form to the next user. This user's data stays sealed under their key.
pub fn switch_user(ctx: Ctx) {
    lock_everywhere(ctx);
    ctx.switching.set(true);
}

/// Follows logins and logouts in the app's other windows: a logout there
/// ends this window's login at once; a login there (after a logout) is
/// offered here, locked until the password is given here too. The
/// `storage` event carries it to every window; the user's channel tells
/// the windows of the same login as well.
pub fn follow_logins(ctx: Ctx) {
    windows::on_storage_change(SESSION_KEY, move || {
        let stored = Session::load();
        let current = ctx.session.get_untracked();
        if current
            .as_ref()
            .is_some_and(|c| c.same_login(stored.as_ref()))
        {
            return;
        }
        // The same user logged in again there (a new token): this window
        // takes the new token and stays as it is.
        if let (Some(c), Some(mut s)) = (&current, stored.clone())
            && c.user.id == s.user.id
        {
            // Its token is kept sealed: opened with this window's keys.
            if let Some(device) = device_for(s.user.id) {
                leptos::task::spawn_local(async move {
                    s.open_token(device.store().cipher()).await;
                    ctx.session.set(Some(s));
                });
            }
            return;
        }
        if current.is_some() {
            close_here(ctx);
        }
        if let Some(session) = stored {
            open_stored(ctx, session);
        }
    });
}

/// A stored login, locked: nothing of the citizens is shown until the user
/// gives the password (every start of the app is locked).
pub fn open_stored(ctx: Ctx, session: Session) {
    ctx.session.set(Some(session));
    ctx.locked.set(true);
}
