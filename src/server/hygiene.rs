//! What every request and answer goes through whatever the route: headers that keep browsers and
//! caches from keeping or reusing an answer, and request ids fit for the log.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

use super::REQUEST_ID;

/// Answers hold balances, ID numbers and session tokens: nothing may store them, sniff them into
/// another type, frame them, or pass this URL on as a referrer.
const SECURITY_HEADERS: [(HeaderName, HeaderValue); 4] = [
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
