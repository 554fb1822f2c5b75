//! The error envelope: `{"error": {"code", "message"}}` with a stable code the
//! client maps to localized text.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    CaptchaInvalid,
    InvalidCredentials,
    AccountLocked,
    RateLimited,
    OtpInvalid,
    OtpExpired,
    Unauthenticated,
    InvalidId,
    NotAuthorized,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    Internal,
    /// The server is busy or its database is away for a moment: try again (see `Retry-After`).
    Unavailable,
    /// A code this client version does not know yet.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::CaptchaInvalid | ErrorCode::InvalidId => 400,
            ErrorCode::InvalidCredentials | ErrorCode::OtpInvalid | ErrorCode::Unauthenticated => 401,
            ErrorCode::NotAuthorized => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::OtpExpired => 410,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::AccountLocked => 423,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The English text of the envelope; clients show their own localized text.
    pub fn default_message(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "The request is malformed.",
            ErrorCode::CaptchaInvalid => "The image code is wrong or has expired. Request a new one.",
            ErrorCode::InvalidCredentials => "The username or password is wrong.",
            ErrorCode::AccountLocked => "Too many wrong passwords: the account is locked for a while.",
            ErrorCode::RateLimited => "Too many requests. Wait and try again.",
            ErrorCode::OtpInvalid => "The verification code is wrong.",
            ErrorCode::OtpExpired => "The verification code has expired. Log in again.",
            ErrorCode::Unauthenticated => "The session has ended. Log in again.",
            ErrorCode::InvalidId => "The ID number is not valid.",
            ErrorCode::NotAuthorized => "You may not inquire about this ID number.",
            ErrorCode::NotFound => "Not found.",
            ErrorCode::MethodNotAllowed => "This method is not allowed on this path.",
            ErrorCode::PayloadTooLarge => "The request body is too large.",
            ErrorCode::Internal | ErrorCode::Unknown => "The server failed. Try again later.",
            ErrorCode::Unavailable => "The server is busy. Try again in a moment.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// Verification-code tries left before the login starts over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
    /// Seconds until a lock or rate limit lifts (also in `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorBody {
    pub fn new(code: ErrorCode) -> Self {
        Self::with_message(code, code.default_message())
    }

    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody { error: ErrorDetail { code, message: message.into(), attempts_left: None, retry_after_s: None } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_unknown_codes_parse() {
        let body = ErrorBody::new(ErrorCode::NotAuthorized);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["code"], "not_authorized");
        assert!(json["error"].get("attempts_left").is_none());
        let parsed: ErrorBody = serde_json::from_str(r#"{"error":{"code":"brand_new","message":"x"}}"#).unwrap();
        assert_eq!(parsed.error.code, ErrorCode::Unknown);
    }
}
