//! A coordinator moves a citizen or a care worker to another team. A move
//! is made on the server at once (it needs the network); the feed then
//! takes it to every tablet.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::context::Ctx;
use crate::http::{HttpError, get_json, post_json};
use crate::i18n::td_string;
use crate::notice::{Notice, transport_text};
use crate::sync_glue::request_sync;

/// A care worker as the server lists them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Worker {
    /// The login name.
    pub username: String,
    /// The full name.
    pub name: String,
    /// The team, if any.
    pub team: Option<String>,
}

#[derive(Serialize)]
struct CitizenMove {
    citizen_id: Uuid,
    team: String,
}

#[derive(Serialize)]
struct WorkerMove {
    username: String,
    team: String,
}

#[derive(Deserialize)]
struct Moved {
    to: String,
}

/// The care workers, as the server lists them (none offline).
pub async fn workers(ctx: Ctx) -> Vec<Worker> {
    let Some(session) = ctx.session.get_untracked() else {
        return Vec::new();
    };
    get_json("/api/v1/admin/workers", &session.token)
        .await
        .unwrap_or_default()
}

/// Why a move did not happen, for the user.
fn failed(e: HttpError) -> Notice {
    match e {
        HttpError::Offline => Notice::Text(|l| td_string!(l, teams_need_online)),
        other => {
            Notice::worded(move |l| td_string!(l, move_failed, error = transport_text(l, &other)))
        }
    }
}

/// Moves a citizen to `team`; then syncs, so this device follows her.
pub async fn move_citizen(ctx: Ctx, citizen_id: Uuid, team: String) -> Result<Notice, Notice> {
    let Some(session) = ctx.session.get_untracked() else {
        return Err(Notice::request(HttpError::Unauthorized));
    };
    let name = ctx.data.with_untracked(|d| d.citizen_name(citizen_id));
    let body = CitizenMove { citizen_id, team };
    let moved: Moved = post_json("/api/v1/admin/citizen-team", Some(&session.token), &body)
        .await
        .map_err(failed)?;
    request_sync(ctx);
    Ok(Notice::worded(move |l| {
        td_string!(
            l,
            moved_citizen,
            name = name.clone(),
            team = moved.to.clone()
        )
    }))
}

/// Moves a care worker (`name` for the message) to `team`.
pub async fn move_worker(
    ctx: Ctx,
    username: String,
    name: String,
    team: String,
) -> Result<Notice, Notice> {
    let Some(session) = ctx.session.get_untracked() else {
        return Err(Notice::request(HttpError::Unauthorized));
    };
    let body = WorkerMove { username, team };
    let moved: Moved = post_json("/api/v1/admin/worker-team", Some(&session.token), &body)
        .await
        .map_err(failed)?;
    Ok(Notice::worded(move |l| {
        td_string!(
            l,
            moved_worker,
            name = name.clone(),
            team = moved.to.clone()
        )
    }))
}

/// The teams known on this device and among `workers`, sorted, once each.
pub fn known_teams(records: impl Iterator<Item = String>, workers: &[Worker]) -> Vec<String> {
    let mut teams: Vec<String> = records
        .chain(workers.iter().filter_map(|w| w.team.clone()))
        .collect();
    teams.sort();
    teams.dedup();
    teams
}

#[cfg(test)]
#[path = "moves_tests.rs"]
mod tests;
