//! Logging in and out, and opening the logged-in user's data on this device.

use leptos::prelude::*;
use naervaer_domain::SessionResponse;
use serde::Serialize;

use crate::context::Ctx;
use crate::http::{HttpError, post_json};
use crate::i18n::td_string;
use crate::notice::Notice;
use crate::session::Session;
use crate::sync_glue::{device_for, forget_device, request_sync};

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
    let session = Session::from(response);
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

/// Logs out. Unless `force`, refuses while changes wait to be sent; the
/// user's cached data is cleared only when nothing is waiting.
pub fn logout(ctx: Ctx, force: bool) -> Result<(), usize> {
    let Some(session) = ctx.session.get_untracked() else {
        return Ok(());
    };
    let waiting =
        ctx.data.with_untracked(|d| d.pending_count()) + ctx.unsaved.with_untracked(Vec::len);
    if waiting > 0 && !force {
        return Err(waiting);
    }
    if waiting == 0 {
        // Only synced data is cleared; waiting changes (this window's, or
        // another window's saved a moment ago) stay for the next login.
        let store = device_for(session.user.id).store().clone();
        leptos::task::spawn_local(async move {
            let _cleared = store.clear_if_all_sent().await;
        });
    }
    forget_device();
    Session::clear();
    ctx.session.set(None);
    ctx.data.set(Default::default());
    ctx.loaded.set(false);
    ctx.status.set(Default::default());
    Ok(())
}
