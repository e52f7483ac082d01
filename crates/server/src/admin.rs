//! The coordinator's endpoints for who belongs to which team: the care
//! workers and their teams, and moving a citizen or a worker to another
//! team (the same rules as the server's `move-citizen` and `move-worker`
//! commands).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use naervaer_domain::{Role, User};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::{self, Actor};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser, ClientAddr};
use crate::rules::{self, MoveError, Moved};
use crate::state::AppState;
use crate::store::Store;

/// A care worker as the coordinator sees them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Worker {
    /// Their login.
    pub username: String,
    /// Their name.
    pub name: String,
    /// Their team.
    pub team: Option<String>,
}

/// Move a citizen to a team.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CitizenMove {
    /// The citizen.
    pub citizen_id: Uuid,
    /// The team she belongs to from now on.
    pub team: String,
}

/// Move a care worker to a team.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerMove {
    /// Their login.
    pub username: String,
    /// The team they work in from now on.
    pub team: String,
}

/// What a move did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MoveAnswer {
    /// The team before.
    pub from: String,
    /// The team now.
    pub to: String,
    /// Records of the citizen sent to the new team's devices.
    pub republished: usize,
}

impl From<Moved> for MoveAnswer {
    fn from(m: Moved) -> MoveAnswer {
        MoveAnswer {
            from: m.from,
            to: m.to,
            republished: m.republished,
        }
    }
}

impl From<MoveError> for ApiError {
    fn from(e: MoveError) -> ApiError {
        match e {
            MoveError::UnknownCitizen(_) => ApiError::BadRequest {
                status: StatusCode::NOT_FOUND,
                code: "unknown_citizen",
                message: e.to_string(),
            },
            MoveError::UnknownWorker(_) => ApiError::BadRequest {
                status: StatusCode::NOT_FOUND,
                code: "unknown_worker",
                message: e.to_string(),
            },
            MoveError::BadTeam => ApiError::invalid("bad_team", e.to_string()),
            MoveError::Store(e) => e.into(),
        }
    }
}

/// Refuses anyone but a coordinator.
pub(crate) fn coordinator(user: &User) -> Result<(), ApiError> {
    if user.role == Role::Coordinator {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only a coordinator may do this"))
    }
}

/// The care workers and their teams (coordinators).
#[utoipa::path(
    get, path = "/api/v1/admin/workers", security(("bearer" = [])),
    responses(
        (status = 200, description = "The care workers", body = Vec<Worker>),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
    )
)]
pub async fn workers<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<Worker>>, ApiError> {
    coordinator(&user)?;
    let workers = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Worker)
        .map(|u| Worker {
            username: u.username,
            name: u.name,
            team: u.team,
        })
        .collect();
    Ok(Json(workers))
}

/// Moves a citizen to another team (coordinators).
#[utoipa::path(
    post, path = "/api/v1/admin/citizen-team", request_body = CitizenMove, security(("bearer" = [])),
    responses(
        (status = 200, description = "Moved", body = MoveAnswer),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such citizen", body = ErrorBody),
        (status = 422, description = "A team name that is empty, too long or has invisible characters", body = ErrorBody),
    )
)]
pub async fn citizen_team<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
    ApiJson(request): ApiJson<CitizenMove>,
) -> Result<Json<MoveAnswer>, ApiError> {
    coordinator(&user)?;
    let moved = rules::move_citizen(
        &state.store,
        &state.retention,
        request.citizen_id,
        &request.team,
        Some(&user),
        (state.now)(),
    )
    .await?;
    Ok(Json(moved.into()))
}

/// Moves a care worker to another team (coordinators).
#[utoipa::path(
    post, path = "/api/v1/admin/worker-team", request_body = WorkerMove, security(("bearer" = [])),
    responses(
        (status = 200, description = "Moved", body = MoveAnswer),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such care worker", body = ErrorBody),
        (status = 422, description = "A team name that is empty, too long or has invisible characters", body = ErrorBody),
    )
)]
pub async fn worker_team<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
    ClientAddr(address): ClientAddr,
    ApiJson(request): ApiJson<WorkerMove>,
) -> Result<Json<MoveAnswer>, ApiError> {
    coordinator(&user)?;
    let actor = Actor {
        by: Some(&user.username),
        address,
        at: (state.now)(),
    };
    let moved =
        accounts::move_worker(&state.store, &request.username, &request.team, actor).await?;
    tracing::info!(
        by = %user.username,
        worker = %request.username,
        from = %moved.from,
        to = %moved.to,
        "care worker moved to another team"
    );
    Ok(Json(moved.into()))
}
