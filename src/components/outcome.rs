//! How a change made on the server went (a coordinator's move or account
//! change): a line that says it, and the way such a change runs, with the
//! buttons off meanwhile.

use leptos::prelude::*;

use crate::context::use_ctx;
use crate::notice::Notice;

/// How the last change went: done, or why not.
pub type Outcome = RwSignal<Option<Result<Notice, Notice>>>;

/// The last change's outcome, in the language shown.
#[component]
pub fn OutcomeLine(
    /// The outcome to show.
    outcome: Outcome,
    /// The line's test id.
    test_id: &'static str,
) -> impl IntoView {
    let lang = use_ctx().lang;
    move || {
        outcome.get().map(|result| {
            let class = if result.is_ok() { "notice ok" } else { "notice error" };
            let notice = result.unwrap_or_else(|why| why);
            view! { <p class=class role="status" data-testid=test_id>{move || notice.text(lang.get())}</p> }
        })
    }
}

/// Runs a change in the background with `busy` set meanwhile; `then` hears
/// whether it worked before the outcome is shown.
pub fn run_change(
    outcome: Outcome,
    busy: RwSignal<bool>,
    work: impl std::future::Future<Output = Result<Notice, Notice>> + 'static,
    then: impl FnOnce(bool) + 'static,
) {
    busy.set(true);
    leptos::task::spawn_local(async move {
        let result = work.await;
        then(result.is_ok());
        outcome.set(Some(result));
        busy.set(false);
    });
}
