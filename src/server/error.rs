//! Every failure leaves the server as the error envelope with a stable code.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::store::StoreError;
use crate::api::{ErrorBody, ErrorCode};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub body: ErrorBody,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        ApiError { body: ErrorBody::new(code) }
    }

    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { body: ErrorBody::with_message(code, message) }
    }

    pub fn attempts_left(mut self, n: i64) -> Self {
        self.body.error.attempts_left = Some(u32::try_from(n.max(0)).unwrap_or(0));
        self
    }

    pub fn retry_after(mut self, seconds: i64) -> Self {
        self.body.error.retry_after_s = Some(u64::try_from(seconds.max(1)).unwrap_or(1));
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.body.error.code
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.body.error.retry_after_s;
        let mut response = (status, Json(self.body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 9110: a 401 names the scheme that would be accepted.
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = retry
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// JSON written into a buffer of about its final size. axum's `Json` starts at
/// 128 bytes and doubles, copying a ~35 KB page of transactions nine times.
pub struct SizedJson<T> {
    pub value: T,
    pub expected_bytes: usize,
}

impl<T: serde::Serialize> IntoResponse for SizedJson<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(self.expected_bytes);
        match serde_json::to_writer(&mut body, &self.value) {
            Ok(()) => ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "response not serializable");
                ApiError::new(ErrorCode::Internal).into_response()
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        // A database that went away (or has no connection free in time) is answered at once and
        // tried again by the client; sqlx reconnects when it is back.
        if err.is_unavailable() {
            tracing::warn!(error = %err, "database unavailable");
            return ApiError::new(ErrorCode::Unavailable).retry_after(1);
        }
        if err.is_unstorable_text() {
            return ApiError::with_message(
                ErrorCode::BadRequest,
                "The request has a character text may not hold (NUL).",
            );
        }
        tracing::error!(error = %err, "database error");
        ApiError::new(ErrorCode::Internal)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::new(ErrorCode::PayloadTooLarge);
        }
        ApiError::with_message(ErrorCode::BadRequest, rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::with_message(ErrorCode::BadRequest, rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::with_message(ErrorCode::BadRequest, rejection.body_text())
    }
}

/// `Json` whose rejections are the error envelope.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `Query` whose rejections are the error envelope.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path` whose rejections are the error envelope.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound)
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed)
}
