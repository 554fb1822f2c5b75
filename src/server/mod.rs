//! The reference server: axum routes over the store.

pub mod auth;
pub mod captcha;
pub mod clock;
mod dev;
pub mod error;
mod inquiry;
pub mod openapi;
pub mod ratelimit;
pub mod seed;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderName;
use tokio::net::TcpListener;
use tower_http::LatencyUnit;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa_axum::router::OpenApiRouter;

pub use clock::{Clock, ManualClock, SystemClock};
pub use inquiry::services_tree;
pub use store::{DbLocation, Store};

use ratelimit::{Limits, RateLimiter};

/// Requests are small JSON objects; anything larger is refused before parsing.
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// `--dev`: simulated SMS and captcha answers readable at /api/v1/dev/outbox.
    pub dev: bool,
    pub limiter: Arc<RateLimiter>,
    pub passwords: Arc<auth::PasswordChecks>,
    pub sessions: Arc<auth::SessionCache>,
}

impl AppState {
    pub fn new(store: Store, clock: Arc<dyn Clock>, dev: bool, limits: Limits) -> AppState {
        AppState {
            store,
            clock,
            dev,
            limiter: Arc::new(RateLimiter::new(limits)),
            // One password check a core: more at once only queue for the cores and their memory.
            passwords: Arc::new(auth::PasswordChecks::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
            sessions: Arc::default(),
        }
    }

    /// At most `at_once` password checks run together; the rest wait their turn.
    pub fn with_password_checks(mut self, at_once: usize) -> AppState {
        self.passwords = Arc::new(auth::PasswordChecks::new(at_once));
        self
    }
}

/// How often dead image codes, challenges, sessions and failure counts are deleted.
pub const HOUSEKEEPING_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Deletes what can no longer be used every `HOUSEKEEPING_EVERY`, until the task is aborted.
pub fn start_housekeeping(state: &AppState) -> tokio::task::JoinHandle<()> {
    let (store, clock) = (state.store.clone(), Arc::clone(&state.clock));
    tokio::spawn(async move {
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + HOUSEKEEPING_EVERY, HOUSEKEEPING_EVERY);
        loop {
            every.tick().await;
            match store.purge(clock.now(), auth::PURGE_POLICY).await {
                Ok(purged) => tracing::debug!(?purged, "housekeeping"),
                Err(err) => tracing::warn!(error = %err, "housekeeping failed; trying again later"),
            }
        }
    })
}

/// The routes and the OpenAPI document built from the same handlers, so they cannot drift.
pub fn router(state: AppState) -> Router {
    let (api_routes, mut doc) = api_router().split_for_parts();
    openapi::add_common_errors(&mut doc);
    let doc_json = Arc::new(doc);
    api_routes
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = Arc::clone(&doc_json);
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        // Outermost: every line logged while a request is served carries its id (a caller's own x-request-id is kept).
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The span of one request: its id, method and path. The query is left out: it can hold search text.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
}

pub fn api_router() -> OpenApiRouter<AppState> {
    use utoipa::OpenApi;
    use utoipa_axum::routes;
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(inquiry::healthz))
        .routes(routes!(inquiry::readyz))
        .routes(routes!(auth::new_captcha))
        .routes(routes!(auth::login))
        .routes(routes!(auth::verify_otp))
        .routes(routes!(auth::resend_otp))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::logout_all))
        .routes(routes!(inquiry::services))
        .routes(routes!(inquiry::my_people))
        .routes(routes!(inquiry::payments_balance))
        .routes(routes!(inquiry::transactions))
        .routes(routes!(inquiry::spending))
        .routes(routes!(dev::outbox))
}

/// Serves until the task is dropped or aborted; the peer address feeds the rate limits.
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    serve_until(listener, app, std::future::pending()).await
}

/// Serves until `shutdown` completes, then lets the requests in flight finish.
pub async fn serve_until(
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// A server on a background task, as the embedded demo and the tests run it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    housekeeping: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
        self.housekeeping.abort();
    }
}

pub async fn spawn(bind: SocketAddr, state: AppState) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let housekeeping = start_housekeeping(&state);
    let task = tokio::spawn(serve(listener, router(state)));
    Ok(RunningServer { addr, task, housekeeping })
}
