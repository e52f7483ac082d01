//! The OpenAPI document, generated from the handlers and types themselves.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Nærvær sync API", description = "Offline-first sync for home care: log in, then push mutations and pull changes in one round trip."),
    paths(
        api::session,
        api::logout,
        api::sync,
        api::health,
        crate::admin::workers,
        crate::admin::citizen_team,
        crate::admin::worker_team,
        crate::admin_accounts::list,
        crate::admin_accounts::add,
        crate::admin_accounts::set_state,
        crate::admin_accounts::set_password,
        crate::oidc::routes::login_options,
        crate::oidc::routes::start,
        crate::oidc::routes::handoff
    ),
    components(schemas(
        crate::error::ErrorBody,
        naervaer_domain::protocol::Record,
        naervaer_domain::NoteCategory,
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Serves the document.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
