//! What an operator watches a fleet by: `GET /metrics` in the Prometheus (OpenMetrics) text format,
//! served on a listener of its own (`--metrics-bind`), never on the public API's.
//!
//! The metrics live in each server's state, not in a process-wide recorder: tests run several
//! servers in one process, and each must count only its own requests.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use super::AppState;

/// What the listener answers with: OpenMetrics text, which Prometheus reads natively.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The route label of a request no route matched: raw paths carry ID numbers and would grow the
/// label set without bound.
const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    limit: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RevokeLabels {
    how: &'static str,
}

/// Which budget refused a request with 429.
#[derive(Debug, Clone, Copy)]
pub enum Refusal {
    CaptchaPerAddress,
    LoginPerAddress,
    OtpPerAddress,
    LoginPerAccount,
    SmsPerAccount,
    InFlightPerUser,
}

impl Refusal {
    fn label(self) -> &'static str {
        match self {
            Refusal::CaptchaPerAddress => "captcha_per_address",
            Refusal::LoginPerAddress => "login_per_address",
            Refusal::OtpPerAddress => "otp_per_address",
            Refusal::LoginPerAccount => "login_per_account",
            Refusal::SmsPerAccount => "sms_per_account",
            Refusal::InFlightPerUser => "in_flight_per_user",
        }
    }
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    refusals: Family<LimitLabels, Counter>,
    revoked: Family<RevokeLabels, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    pool_wait: Gauge<f64, std::sync::atomic::AtomicU64>,
}

/// 100 µs to about 6.5 s: a cached page answers in well under a millisecond, a password check
/// waits up to 5 s for its turn.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_1, 2.0, 17))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("rasid");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "Requests answered, by route template, method and status", requests.clone());
        let latency = LatencyFamily::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time from the request's arrival to its answer's head, by route template and method",
            Unit::Seconds,
            latency.clone(),
        );
        let refusals = Family::<LimitLabels, Counter>::default();
        registry.register("rate_limited", "Requests refused with 429, by the budget that ran out", refusals.clone());
        let revoked = Family::<RevokeLabels, Counter>::default();
        registry.register(
            "sessions_revoked",
            "Sessions ended before their time, by logout or logout everywhere",
            revoked.clone(),
        );
        let (pool_size, pool_idle, pool_max) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register(
            "db_pool_connections",
            "Database connections open in this instance's pool",
            pool_size.clone(),
        );
        registry.register("db_pool_idle", "Open database connections not in use", pool_idle.clone());
        registry.register("db_pool_max", "The most connections this instance's pool opens", pool_max.clone());
        let pool_wait = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        registry.register_with_unit(
            "db_pool_acquire_wait",
            "How long this scrape waited for a database connection: what a request arriving now waits",
            Unit::Seconds,
            pool_wait.clone(),
        );
        Metrics { registry, requests, latency, refusals, revoked, pool_size, pool_idle, pool_max, pool_wait }
    }
}

impl Metrics {
    pub fn refused(&self, why: Refusal) {
        self.refusals.get_or_create(&LimitLabels { limit: why.label() }).inc();
    }

    /// `how`: "logout" or "logout_all"; `count` sessions ended.
    pub fn revoked(&self, how: &'static str, count: u64) {
        self.revoked.get_or_create(&RevokeLabels { how }).inc_by(count);
    }

    fn record(&self, method: &str, route: &str, status: StatusCode, seconds: f64) {
        let (method, route) = (method.to_owned(), route.to_owned());
        self.latency.get_or_create(&RouteLabels { method: method.clone(), route: route.clone() }).observe(seconds);
        self.requests.get_or_create(&RequestLabels { method, route, status: status.as_u16() }).inc();
    }

    /// The text of one scrape, with the pool's figures taken now.
    pub async fn render(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        let pool = state.store.pool_use().await;
        self.pool_size.set(i64::from(pool.size));
        self.pool_idle.set(pool.idle as i64);
        self.pool_max.set(i64::from(pool.max));
        self.pool_wait.set(pool.acquire_wait.map_or(f64::NAN, |d| d.as_secs_f64()));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// Counts every answer of the public API by the route that matched it, and times it.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // A method is the caller's text: any other than the standard ones would be a series of its own.
    let method = match request.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let response = next.run(request).await;
    metrics.record(method, route.as_deref().unwrap_or(UNMATCHED), response.status(), started.elapsed().as_secs_f64());
    response
}

async fn scrape(State(state): State<AppState>) -> Response {
    match state.metrics.render(&state).await {
        Ok(text) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "metrics could not be written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The metrics listener's routes: `GET /metrics` and nothing else.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new().route("/metrics", axum::routing::get(scrape)).with_state(state)
}
