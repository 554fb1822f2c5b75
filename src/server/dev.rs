//! `--dev` helpers: what a phone and a pair of eyes would see.

use axum::extract::State;

use super::AppState;
use super::error::{ApiError, ApiResult};
use crate::api::{DevOutbox, ErrorBody, ErrorCode};

/// How many of the latest messages and captchas the outbox shows.
const OUTBOX_KEEP: i64 = 50;

/// The simulated SMS messages and the answers of issued image codes, newest last. 404 unless `--dev`.
#[utoipa::path(get, path = "/api/v1/dev/outbox", tag = "ops",
    responses(
        (status = 200, description = "The dev outbox", body = DevOutbox),
        (status = 404, description = "not_found: the server is not in --dev mode", body = ErrorBody),
    ))]
pub async fn outbox(State(state): State<AppState>) -> ApiResult<axum::Json<DevOutbox>> {
    if !state.dev {
        return Err(ApiError::new(ErrorCode::NotFound));
    }
    Ok(axum::Json(state.store.dev_outbox(OUTBOX_KEEP).await?))
}
