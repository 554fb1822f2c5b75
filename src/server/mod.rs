//! The reference server: axum routes over the store.

pub mod auth;
pub mod captcha;
pub mod client_addr;
pub mod clock;
mod dev;
pub mod embedded;
pub mod error;
mod establishment;
mod history;
mod hygiene;
mod inquiry;
pub mod metrics;
pub mod openapi;
mod parse_refusals;
pub mod passwords;
pub mod ratelimit;
pub mod seed;
pub mod session;
pub mod store;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath};
use axum::http::HeaderName;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower_http::LatencyUnit;
use tower_http::add_extension::AddExtension;
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
    /// `--trusted-proxy`: the one peer whose X-Forwarded-For names the client.
    pub trusted_proxy: Option<IpAddr>,
    pub metrics: Arc<metrics::Metrics>,
    /// The longest a request is served (`hygiene::REQUEST_DEADLINE`; shorter in tests).
    pub request_deadline: Duration,
}

impl AppState {
    pub fn new(store: Store, clock: Arc<dyn Clock>, dev: bool, limits: Limits) -> AppState {
        // On PostgreSQL other instances end sessions too: the cache serves nothing until it hears them.
        let sessions = match store.engine() {
            store::Engine::Postgres => auth::SessionCache::deaf(),
            store::Engine::Sqlite => auth::SessionCache::default(),
        };
        AppState {
            limiter: Arc::new(RateLimiter::new(limits).with_store(store.clone())),
            store,
            clock,
            dev,
            // One password check a core: more at once only queue for the cores and their memory.
            passwords: Arc::new(auth::PasswordChecks::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
            sessions: Arc::new(sessions),
            trusted_proxy: None,
            metrics: Arc::default(),
            request_deadline: hygiene::REQUEST_DEADLINE,
        }
    }

    /// At most `at_once` password checks run together; the rest wait their turn.
    pub fn with_password_checks(mut self, at_once: usize) -> AppState {
        self.passwords = Arc::new(auth::PasswordChecks::new(at_once));
        self
    }

    /// The one address whose X-Forwarded-For is believed (`--trusted-proxy`).
    pub fn with_trusted_proxy(mut self, proxy: Option<IpAddr>) -> AppState {
        self.trusted_proxy = proxy;
        self
    }

    pub fn with_request_deadline(mut self, deadline: Duration) -> AppState {
        self.request_deadline = deadline;
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
            if let Err(err) = store.purge_rate_windows(clock.now() - 2 * ratelimit::WINDOW_S).await {
                tracing::warn!(error = %err, "housekeeping of the rate windows failed; trying again later");
            }
        }
    })
}

/// The routes and the OpenAPI document built from the same handlers, so they cannot drift.
pub fn router(state: AppState) -> Router {
    let (api_routes, mut doc) = api_router().split_for_parts();
    openapi::add_common_errors(&mut doc);
    let doc_json = Arc::new(doc);
    let counted = Arc::clone(&state.metrics);
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
        .layer(axum::middleware::from_fn_with_state(state.request_deadline, hygiene::deadline))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(hygiene::guard))
        .layer(axum::middleware::map_response(hygiene::security_headers))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        // Every line logged while a request is served carries its id (a caller's own x-request-id is
        // kept when it is short and plain).
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .layer(axum::middleware::map_request(hygiene::plain_request_id))
        // Outermost, so answers the guard or the body limit gives are counted too.
        .layer(axum::middleware::from_fn_with_state(counted, metrics::track))
        .with_state(state)
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The span of one request: its id, method and route. The route's template, never the path itself:
/// paths carry ID numbers. The query is left out too: it can hold search text.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map_or("-", MatchedPath::as_str);
    tracing::info_span!("request", id = %id, method = %request.method(), path = %route)
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
        .routes(routes!(establishment::documents))
        .routes(routes!(establishment::workers))
        .routes(routes!(establishment::renewals))
        .routes(routes!(dev::outbox))
}

/// How long a client may take to send a request's headers. The same clock runs while a kept-alive
/// connection waits for its next request, so it is the idle timeout too: a connection that says
/// nothing for this long is closed, and a slow or stalled client holds no connection for longer.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Past this many header lines hyper answers 431 itself (given the envelope by `parse_refusals`).
/// Up to it the guard sees the request and answers: its limit is `hygiene::MAX_HEADERS`.
const PARSER_MAX_HEADERS: usize = 2 * hygiene::MAX_HEADERS;

#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    pub header_read_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { header_read_timeout: HEADER_READ_TIMEOUT }
    }
}

/// Serves until the task is dropped or aborted; the peer address feeds the rate limits.
pub async fn serve(listener: TcpListener, app: Router, options: ServeOptions) -> std::io::Result<()> {
    serve_until(listener, app, options, std::future::pending()).await
}

/// Serves until `shutdown` completes, then lets the requests in flight finish.
///
/// HTTP/1.1 straight on hyper, not `axum::serve`: that offers no header-read timeout.
pub async fn serve_until(
    mut listener: TcpListener,
    app: Router,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::Listener;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .max_headers(PARSER_MAX_HEADERS);
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // Accept errors (a reset connection, no file descriptors left) are handled, and waited out, inside.
        let (stream, peer) = tokio::select! {
            accepted = Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        let service = AddExtension::new(app.clone(), ConnectInfo(peer));
        let stream = parse_refusals::EnvelopedRefusals::new(stream);
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended");
            }
        });
    }
    drop(listener);
    connections.shutdown().await;
    Ok(())
}

/// A server on a background task, as the embedded demo and the tests run it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    housekeeping: tokio::task::JoinHandle<()>,
    revocations: Option<tokio::task::JoinHandle<()>>,
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
        if let Some(revocations) = &self.revocations {
            revocations.abort();
        }
    }
}

pub async fn spawn(bind: SocketAddr, state: AppState) -> std::io::Result<RunningServer> {
    spawn_with(bind, state, ServeOptions::default()).await
}

pub async fn spawn_with(bind: SocketAddr, state: AppState, options: ServeOptions) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let housekeeping = start_housekeeping(&state);
    let revocations = session::start_revocation_listener(&state);
    let task = tokio::spawn(serve(listener, router(state), options));
    Ok(RunningServer { addr, task, housekeeping, revocations })
}
