//! The typed HTTP client of API v1: every call the app makes goes through here.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{
    BalanceReport, Captcha, DevOutbox, ErrorBody, ErrorCode, InquiryRequest, LinkedPerson, LoginChallenge,
    LoginRequest, OtpRequest, OtpResendRequest, Secret, ServiceNode, Session, Spending, SpendingQuery, TransactionPage,
    TransactionsQuery,
};

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// No answer of this API is near this size; a larger body is a broken or hostile server.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The server answered with the error envelope.
    #[error("{message}")]
    Api { code: ErrorCode, message: String, attempts_left: Option<u32>, retry_after_s: Option<u64> },
    #[error("the server cannot be reached")]
    Unreachable,
    #[error("the server did not answer in time")]
    Timeout,
    /// An answer that is not what the API promises.
    #[error("the server's answer is not understood: {0}")]
    BadResponse(String),
    /// Plain http:// to a host that is not this machine: passwords would cross the network in clear.
    #[error("plain http:// to {0} is refused: use https://, or --insecure-http if you must")]
    InsecureHttp(String),
    /// The server's TLS certificate did not verify.
    #[error("the server's certificate could not be verified")]
    Certificate,
}

impl ClientError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    fn from_reqwest(err: &reqwest::Error) -> ClientError {
        let mut source: Option<&dyn std::error::Error> = Some(err);
        while let Some(e) = source {
            if e.to_string().to_lowercase().contains("certificate") {
                return ClientError::Certificate;
            }
            source = e.source();
        }
        if err.is_timeout() {
            ClientError::Timeout
        } else if err.is_connect() || err.is_request() {
            ClientError::Unreachable
        } else {
            ClientError::BadResponse(err.to_string())
        }
    }
}

pub type ClientResult<T> = Result<T, ClientError>;

#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    /// `insecure_http` allows plain http:// to hosts other than this machine.
    pub fn new(base_url: &str, timeout: Duration, insecure_http: bool) -> ClientResult<Client> {
        if let Some(rest) = base_url.strip_prefix("http://") {
            let host = host_of(rest);
            if !insecure_http && !is_loopback(&host) {
                return Err(ClientError::InsecureHttp(host));
            }
        }
        // reqwest is built without a default TLS provider; ring is the one this project ships.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("rasid/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::BadResponse(e.to_string()))?;
        Ok(Client { base: base_url.trim_end_matches('/').to_owned(), http })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// GETs are retried after a 500 or 503, twice, with growing pauses; a POST never is.
    async fn send_retrying<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&Secret>,
        body: Option<&B>,
    ) -> ClientResult<(StatusCode, Vec<u8>)> {
        let mut pause = Duration::from_millis(200);
        let mut tries_left = if method == Method::GET { 2 } else { 0 };
        loop {
            let answer = self.send(method.clone(), path, token, body).await?;
            let retryable = matches!(answer.0, StatusCode::INTERNAL_SERVER_ERROR | StatusCode::SERVICE_UNAVAILABLE);
            if !retryable || tries_left == 0 {
                return Ok(answer);
            }
            tries_left -= 1;
            tokio::time::sleep(pause).await;
            pause *= 3;
        }
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: Option<&Secret>,
        body: Option<&B>,
    ) -> ClientResult<T> {
        let (status, bytes) = self.send_retrying(method, path, token, body).await?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| ClientError::BadResponse(e.to_string()));
        }
        Err(error_from(status, &bytes))
    }

    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&Secret>,
        body: Option<&B>,
    ) -> ClientResult<(StatusCode, Vec<u8>)> {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(token) = token {
            req = req.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let mut resp = req.send().await.map_err(|e| ClientError::from_reqwest(&e))?;
        let status = resp.status();
        if resp.content_length().is_some_and(|len| len > MAX_BODY_BYTES as u64) {
            return Err(ClientError::BadResponse("the answer is too large".into()));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| ClientError::from_reqwest(&e))? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ClientError::BadResponse("the answer is too large".into()));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, bytes))
    }

    pub async fn captcha(&self) -> ClientResult<Captcha> {
        self.call::<(), _>(Method::POST, "/api/v1/captcha", None, None).await
    }

    pub async fn login(&self, req: &LoginRequest) -> ClientResult<LoginChallenge> {
        self.call(Method::POST, "/api/v1/login", None, Some(req)).await
    }

    pub async fn verify_otp(&self, req: &OtpRequest) -> ClientResult<Session> {
        self.call(Method::POST, "/api/v1/login/otp", None, Some(req)).await
    }

    pub async fn resend_otp(&self, challenge_id: &str) -> ClientResult<LoginChallenge> {
        let req = OtpResendRequest { challenge_id: challenge_id.to_owned() };
        self.call(Method::POST, "/api/v1/login/otp/resend", None, Some(&req)).await
    }

    pub async fn logout(&self, token: &Secret) -> ClientResult<()> {
        let (status, bytes) = self.send::<()>(Method::POST, "/api/v1/logout", Some(token), None).await?;
        if status.is_success() { Ok(()) } else { Err(error_from(status, &bytes)) }
    }

    pub async fn services(&self, token: &Secret) -> ClientResult<Vec<ServiceNode>> {
        self.call::<(), _>(Method::GET, "/api/v1/services", Some(token), None).await
    }

    pub async fn people(&self, token: &Secret) -> ClientResult<Vec<LinkedPerson>> {
        self.call::<(), _>(Method::GET, "/api/v1/me/people", Some(token), None).await
    }

    pub async fn payments_balance(&self, token: &Secret, req: &InquiryRequest) -> ClientResult<BalanceReport> {
        self.call(Method::POST, "/api/v1/inquiries/payments-balance", Some(token), Some(req)).await
    }

    pub async fn transactions(
        &self,
        token: &Secret,
        id_number: &str,
        query: &TransactionsQuery,
    ) -> ClientResult<TransactionPage> {
        let qs = serde_urlencoded::to_string(query).map_err(|e| ClientError::BadResponse(e.to_string()))?;
        let path = format!("/api/v1/people/{}/transactions?{qs}", urlencode(id_number));
        self.call::<(), _>(Method::GET, &path, Some(token), None).await
    }

    pub async fn spending(&self, token: &Secret, id_number: &str, query: &SpendingQuery) -> ClientResult<Spending> {
        let qs = serde_urlencoded::to_string(query).map_err(|e| ClientError::BadResponse(e.to_string()))?;
        let path = format!("/api/v1/people/{}/spending?{qs}", urlencode(id_number));
        self.call::<(), _>(Method::GET, &path, Some(token), None).await
    }

    pub async fn dev_outbox(&self) -> ClientResult<DevOutbox> {
        self.call::<(), _>(Method::GET, "/api/v1/dev/outbox", None, None).await
    }
}

/// The host of "host:port/path" or "[::1]:port/path".
fn host_of(rest: &str) -> String {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default().to_owned();
    }
    authority.split(':').next().unwrap_or_default().to_owned()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn urlencode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn error_from(status: StatusCode, bytes: &[u8]) -> ClientError {
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(body) => ClientError::Api {
            code: body.error.code,
            message: body.error.message,
            attempts_left: body.error.attempts_left,
            retry_after_s: body.error.retry_after_s,
        },
        Err(_) => ClientError::BadResponse(format!("HTTP {status} without the error envelope")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_from_the_envelope_or_say_the_answer_is_broken() {
        let e = error_from(
            StatusCode::UNAUTHORIZED,
            br#"{"error":{"code":"invalid_credentials","message":"m","attempts_left":3}}"#,
        );
        assert_eq!(e.code(), Some(ErrorCode::InvalidCredentials));
        assert!(matches!(e, ClientError::Api { attempts_left: Some(3), .. }));
        assert!(matches!(error_from(StatusCode::BAD_GATEWAY, b"<html>"), ClientError::BadResponse(_)));
    }

    #[test]
    fn plain_http_is_for_this_machine_only() {
        for ok in ["http://127.0.0.1:8080", "http://localhost/", "http://[::1]:9/x", "https://example.sa"] {
            assert!(Client::new(ok, DEFAULT_TIMEOUT, false).is_ok(), "{ok}");
        }
        for refused in ["http://example.sa", "http://10.0.0.5:8080/api", "http://user@192.168.1.2"] {
            assert!(
                matches!(Client::new(refused, DEFAULT_TIMEOUT, false), Err(ClientError::InsecureHttp(_))),
                "{refused}"
            );
            assert!(Client::new(refused, DEFAULT_TIMEOUT, true).is_ok(), "{refused} with --insecure-http");
        }
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(urlencode("1057830869"), "1057830869");
        assert_eq!(urlencode("1/../x"), "1%2F%2E%2E%2Fx");
    }
}
