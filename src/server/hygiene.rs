//! What every request and answer goes through whatever the route: limits on what the server will
//! read, headers that keep browsers and caches from keeping or reusing an answer, and request ids
//! fit for the log.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::{BODY_LIMIT_BYTES, REQUEST_ID};
use crate::api::{ErrorBody, ErrorCode};

/// The longest path and query the server reads. Its own longest, a history query with a cursor
/// and a search in Arabic, is well under 1 KiB.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// At most this many header lines, of at most `MAX_HEADER_BYTES` together.
pub const MAX_HEADERS: usize = 100;
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Refuses, with the error envelope, a request the server will not read: too long an address, too
/// many or too large headers, or a body declared larger than `BODY_LIMIT_BYTES`. The body is
/// refused before anything polls it, so a client that sent `Expect: 100-continue` gets the 413
/// instead of `100 Continue`.
pub async fn guard(request: Request, next: Next) -> Response {
    match refusal(&request) {
        Some((status, body)) => (status, Json(body)).into_response(),
        None => next.run(request).await,
    }
}

fn refusal(request: &Request) -> Option<(StatusCode, ErrorBody)> {
    let uri_bytes = request.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        // No code of its own: clients group it with bad_request, and 414 tells the rest.
        let message = format!("The request's path and query are longer than {MAX_URI_BYTES} bytes.");
        return Some((StatusCode::URI_TOO_LONG, ErrorBody::with_message(ErrorCode::BadRequest, message)));
    }
    let headers = request.headers();
    let header_bytes: usize = headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        let message =
            format!("The request has more than {MAX_HEADERS} headers or more than {MAX_HEADER_BYTES} bytes of them.");
        return Some((
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorBody::with_message(ErrorCode::BadRequest, message),
        ));
    }
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT_BYTES as u64) {
        return Some((StatusCode::PAYLOAD_TOO_LARGE, ErrorBody::new(ErrorCode::PayloadTooLarge)));
    }
    None
}

/// The longest any request is served. A database that stops answering without closing its
/// connections (a frozen host, a network cut) would otherwise hold the request, and its caller, for
/// good; past this the caller gets 503 `unavailable` and tries again. The slowest request the
/// server has, a history search at its scan limit, takes a fiftieth of it.
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

pub async fn deadline(State(limit): State<std::time::Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs_f64(), "a request outlived its deadline: answered 503");
            ApiError::new(ErrorCode::Unavailable).retry_after(1).into_response()
        }
    }
}

/// Answers hold balances, ID numbers and session tokens: nothing may store them, sniff them into
/// another type, frame them, or pass this URL on as a referrer.
pub const SECURITY_HEADERS: [(HeaderName, HeaderValue); 4] = [
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
];

pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, value);
    }
    response
}

/// A caller's `x-request-id` is kept only when it is 1 to 64 characters of `[A-Za-z0-9._-]`.
/// Anything else is dropped and the server makes its own: a long one fills the log, and one with
/// spaces or punctuation can write what reads as another request's fields.
pub async fn plain_request_id(mut request: Request) -> Request {
    let kept = request.headers().get(&REQUEST_ID).filter(|id| is_plain_id(id.as_bytes())).cloned();
    request.headers_mut().remove(&REQUEST_ID);
    if let Some(id) = kept {
        request.headers_mut().insert(REQUEST_ID.clone(), id);
    }
    request
}

fn is_plain_id(id: &[u8]) -> bool {
    (1..=64).contains(&id.len()) && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_request_ids_are_kept() {
        for good in ["trace-me-42", "a", "A.b_c-9", &"x".repeat(64)] {
            assert!(is_plain_id(good.as_bytes()), "{good}");
        }
        let long = "x".repeat(65);
        for bad in ["", &long, "a b", "a\tb", "id=1 method=GET", "a}b", "\u{2028}", "é"] {
            assert!(!is_plain_id(bad.as_bytes()), "{bad:?}");
        }
    }
}
