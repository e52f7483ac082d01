//! What the app tells the user, kept as a value until it is shown: signals
//! hold a [`Notice`], and [`Notice::text`] words it from the catalogue in
//! the language shown at that moment, so switching language re-words it.
//! The sync crate's errors carry English messages for logs only; their
//! Danish and English texts are here.

use std::fmt;
use std::sync::Arc;

use naervaer_sync::{DeviceStoreError, SyncError, TakeError, TransportError};

use crate::i18n::{Locale, td_string};

/// Something to tell the user.
#[derive(Clone)]
pub enum Notice {
    /// A catalogue text without values: `Notice::Text(|l| td_string!(l, key))`.
    Text(fn(Locale) -> &'static str),
    /// The change is on the device.
    Saved,
    /// Storage refused a change: it is kept in the app and retried.
    KeptRetrying(DeviceStoreError),
    /// Storage could not be read or written.
    Storage(DeviceStoreError),
    /// Records on the device that could not be read and were skipped.
    Damaged(usize),
    /// A request or a sync failed.
    Sync(SyncError),
    /// A text with values from the form (a rule breach, a booking's outcome),
    /// worded when shown.
    Worded(Arc<dyn Fn(Locale) -> String + Send + Sync>),
}

impl Notice {
    /// A text with values, worded in the language shown.
    pub fn worded(text: impl Fn(Locale) -> String + Send + Sync + 'static) -> Notice {
        Notice::Worded(Arc::new(text))
    }

    /// A failed request (login, moves): see [`Notice::Sync`].
    pub fn request(error: TransportError) -> Notice {
        Notice::Sync(SyncError::Transport(error))
    }

    /// The notice in `lang`.
    pub fn text(&self, lang: Locale) -> String {
        match self {
            Notice::Text(text) => text(lang).to_owned(),
            Notice::Saved => td_string!(lang, saved_on_device).to_owned(),
            Notice::KeptRetrying(e) => {
                format!(
                    "{} {}",
                    storage_text(lang, e),
                    td_string!(lang, kept_retrying)
                )
            }
            Notice::Storage(e) => storage_text(lang, e),
            Notice::Damaged(count) => td_string!(lang, damaged_records, count = *count),
            Notice::Sync(e) => sync_text(lang, e),
            Notice::Worded(text) => text(lang),
        }
    }
}

impl fmt::Debug for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Locale::en))
    }
}

/// Why the device's storage failed, for people.
pub fn storage_text(lang: Locale, e: &DeviceStoreError) -> String {
    match e {
        DeviceStoreError::Unavailable => td_string!(lang, storage_problem.unavailable).to_owned(),
        DeviceStoreError::Full => td_string!(lang, storage_problem.full).to_owned(),
        DeviceStoreError::Write(detail) => {
            td_string!(lang, storage_problem.write, detail = detail)
        }
        DeviceStoreError::Read(detail) => td_string!(lang, storage_problem.read, detail = detail),
        DeviceStoreError::Locked => td_string!(lang, storage_problem.locked).to_owned(),
    }
}

/// Why a request got no usable answer, for people.
pub fn transport_text(lang: Locale, e: &TransportError) -> String {
    match e {
        TransportError::Offline => td_string!(lang, sync_problem.offline).to_owned(),
        TransportError::Unauthorized => td_string!(lang, sync_problem.login_again).to_owned(),
        TransportError::AccountDisabled => {
            td_string!(lang, sync_problem.account_disabled).to_owned()
        }
        TransportError::AppTooOld => td_string!(lang, sync_problem.update_app).to_owned(),
        TransportError::Status {
            status, message, ..
        } => td_string!(
            lang,
            sync_problem.server_said,
            status = *status,
            message = message
        ),
        TransportError::BadResponse(detail) => {
            td_string!(lang, sync_problem.bad_answer, detail = detail)
        }
    }
}

/// Why a sync stopped, for people.
pub fn sync_text(lang: Locale, e: &SyncError) -> String {
    match e {
        SyncError::Transport(e) => transport_text(lang, e),
        SyncError::Store(e) | SyncError::Take(TakeError::Store(e)) => storage_text(lang, e),
        SyncError::Take(TakeError::Unreadable(detail)) => {
            td_string!(lang, sync_problem.unusable_answer, detail = detail)
        }
        SyncError::TooManyPages => td_string!(lang, sync_problem.too_many_pages).to_owned(),
    }
}

#[cfg(test)]
#[path = "notice_tests.rs"]
mod tests;
