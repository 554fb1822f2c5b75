//! What every answer carries whatever the route: headers that keep browsers and caches from
//! keeping or reusing it.

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

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
