//! Logging in and out, and opening the logged-in user's data on this device.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::SessionResponse;
use serde::Serialize;

use crate::context::Ctx;
use crate::http::{HttpError, post_json};
use crate::i18n::td_string;
use crate::notice::Notice;
use crate::session::{SESSION_KEY, Session};
use crate::sync_glue::{device_for, forget_device, request_sync};
use crate::windows;

/// Opens the logged-in user's data: moves anything an earlier version kept
/// in `localStorage` into IndexedDB (once), loads it into memory, and starts
/// listening to the user's other windows.
pub async fn open_user_data(ctx: Ctx, session: &Session) {
    let user_id = session.user.id;
    let device = device_for(user_id);
    let store = device.store().clone();
    if let Err(e) = store.upgrade_from_local_storage(user_id).await {
        // The old keys stay where they are; the next start tries again.
        ctx.notice.set(Some(Notice::Storage(e)));
    }
    let timing = crate::perf::Timing::start("naervaer:load");
    let loaded = store.load().await;
    timing.end();
    match loaded {
        Ok((data, damaged)) => {
            ctx.data.set(data);
            if damaged > 0 {
                ctx.notice.set(Some(Notice::Damaged(damaged)));
            }
        }
        Err(e) => ctx.notice.set(Some(Notice::Storage(e))),
    }
    ctx.loaded.set(true);
    crate::sync_glue::follow_other_windows(ctx, user_id);
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

/// Logs in online and keeps the session on the device.
pub async fn login(ctx: Ctx, username: &str, password: &str) -> Result<(), Notice> {
    let body = LoginBody { username, password };
    let response: SessionResponse =
        post_json("/api/v1/session", None, &body)
            .await
            .map_err(|e| match e {
                HttpError::Unauthorized => Notice::Text(|l| td_string!(l, login_wrong)),
                HttpError::Offline => Notice::Text(|l| td_string!(l, login_offline)),
                other => Notice::request(other),
            })?;
    // The data key is not used yet: the sealed store comes with the unlock.
    let (session, _data_key) = Session::received(response, Utc::now());
    session.save().map_err(Notice::Storage)?;
    ctx.session.set(Some(session.clone()));
    check_persisted(ctx, true).await;
    open_user_data(ctx, &session).await;
    ctx.status.update(|s| {
        s.needs_login = false;
        s.error = None;
    });
    request_sync(ctx);
    Ok(())
}

/// Logs out, in every window of the app. Unless `force`, refuses while
/// changes wait to be sent; the user's cached data is cleared only when
/// nothing is waiting (waiting changes stay for the user's next login).
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
    // The stored session goes first: a sync of another window that has not
    // yet begun finds it gone and stops (see `sync_glue::sync_now`).
    Session::clear();
    windows::tell_others(user_id, windows::Changed::LoggedOut);
    close_here(ctx);
    if waiting == 0 {
        // After any sync still running in another window (the sync lock), so
        // nothing is downloaded into the emptied store.
        let store = device_for(user_id).store().clone();
        forget_device();
        leptos::task::spawn_local(async move {
            let _cleared =
                windows::with_sync_lock(user_id, async move { store.clear_if_all_sent().await })
                    .await;
        });
    }
    Ok(())
}

/// Ends the login in this window only: its citizens leave the screen and
/// memory, and its sync stops. Changes its store refused and still holds in
/// memory are tried once more.
pub fn close_here(ctx: Ctx) {
    let device = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| device_for(s.user.id)));
    forget_device();
    ctx.session.set(None);
    ctx.data.set(Default::default());
    ctx.loaded.set(false);
    ctx.status.set(Default::default());
    ctx.unsaved.set(Vec::new());
    if let Some(device) = device.filter(|d| d.held_count() > 0) {
        leptos::task::spawn_local(async move {
            let _stored = device.retry_held().await;
        });
    }
}

/// The login ended (expired, or the server answered 401): the citizens
/// leave the screen and memory until the user logs in again. Changes
/// waiting on the device stay there.
pub fn require_login(ctx: Ctx) {
    ctx.status.update(|s| s.needs_login = true);
    ctx.data.set(Default::default());
    ctx.loaded.set(false);
}

/// Follows logins and logouts in the app's other windows: a logout there
/// ends this window's login at once; a login there (after a logout) is
/// taken here too. The `storage` event carries it to every window; the
/// user's channel tells the windows of the same login as well.
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
        if current.is_some() {
            close_here(ctx);
        }
        if let Some(session) = stored {
            open_stored(ctx, session);
        }
    });
}

/// Opens a stored login: its data, unless the login has ended.
pub fn open_stored(ctx: Ctx, session: Session) {
    ctx.session.set(Some(session.clone()));
    if session.expired(Utc::now()) {
        require_login(ctx);
        return;
    }
    leptos::task::spawn_local(async move {
        open_user_data(ctx, &session).await;
        request_sync(ctx);
    });
}
