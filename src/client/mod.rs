//! The typed HTTP client of API v1: every call the app and the plain commands make goes through here.

mod pages;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{
    BalanceReport, Captcha, DevOutbox, ErrorBody, ErrorCode, InquiryRequest, LinkedPerson, LoginChallenge,
    LoginRequest, OtpRequest, OtpResendRequest, Secret, ServiceNode, Session, Spending, SpendingQuery, TransactionPage,
    TransactionsQuery,
};
use crate::api::{Document, RenewalsPage, RenewalsQuery, WorkersQuery, WorkersReport};

pub use pages::WalkError;

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
    /// The server address is not one the client will use; says why.
    #[error("{0}")]
    BadAddress(BadAddress),
    /// A 3xx answer: following it could carry a password or token to another origin.
    #[error("the server tried to redirect to {0}; rasid does not follow redirects: check --server")]
    Redirected(String),
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
    /// Parsed once: the address the plain-http rule looked at is the one every request goes to.
    base: reqwest::Url,
    /// `base` as text, without a trailing slash: what a saved session is matched against.
    base_text: String,
    http: reqwest::Client,
}

impl Client {
    /// `insecure_http` allows plain http:// to hosts other than this machine.
    pub fn new(base_url: &str, timeout: Duration, insecure_http: bool) -> ClientResult<Client> {
        let base = parse_base_url(base_url).map_err(ClientError::BadAddress)?;
        if base.scheme() == "http" && !insecure_http && !is_this_machine(&base) {
            return Err(ClientError::InsecureHttp(base.host_str().unwrap_or_default().to_owned()));
        }
        // reqwest is built without a default TLS provider; ring is the one this project ships.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("rasid/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            // The server closes a connection idle for 10 s; reusing one it is closing would fail the call.
            .pool_idle_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| ClientError::BadResponse(e.to_string()))?;
        let base_text = base.as_str().trim_end_matches('/').to_owned();
        Ok(Client { base, base_text, http })
    }

    pub fn base_url(&self) -> &str {
        &self.base_text
    }

    /// The base address with `path_and_query` after its path; scheme, host and port stay the base's.
    fn endpoint(&self, path_and_query: &str) -> reqwest::Url {
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        let mut url = self.base.clone();
        let joined = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url.set_query(query);
        url
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
        let url = self.endpoint(path);
        let mut req = self.http.request(method, url.clone());
        if let Some(token) = token {
            req = req.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let mut resp = req.send().await.map_err(|e| ClientError::from_reqwest(&e))?;
        let status = resp.status();
        if status.is_redirection() {
            let to = resp.headers().get(reqwest::header::LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()));
            let to = to.map_or_else(|| "(no address given)".to_owned(), |to| shown_location(&url, &to));
            return Err(ClientError::Redirected(to));
        }
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

    /// Ends every session of the user, on every device.
    pub async fn logout_everywhere(&self, token: &Secret) -> ClientResult<()> {
        let (status, bytes) = self.send::<()>(Method::POST, "/api/v1/logout/all", Some(token), None).await?;
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

    /// The establishment's workers with their money (403 `not_authorized` for a user with none).
    pub async fn workers(&self, token: &Secret, query: &WorkersQuery) -> ClientResult<WorkersReport> {
        let qs = serde_urlencoded::to_string(query).map_err(|e| ClientError::BadResponse(e.to_string()))?;
        self.call::<(), _>(Method::GET, &format!("/api/v1/establishment/workers?{qs}"), Some(token), None).await
    }

    /// The workers' documents that ran out or run out soon, soonest first.
    pub async fn renewals(&self, token: &Secret, query: &RenewalsQuery) -> ClientResult<RenewalsPage> {
        let qs = serde_urlencoded::to_string(query).map_err(|e| ClientError::BadResponse(e.to_string()))?;
        self.call::<(), _>(Method::GET, &format!("/api/v1/establishment/renewals?{qs}"), Some(token), None).await
    }

    pub async fn documents(&self, token: &Secret, id_number: &str) -> ClientResult<Vec<Document>> {
        let path = format!("/api/v1/people/{}/documents", urlencode(id_number));
        self.call::<(), _>(Method::GET, &path, Some(token), None).await
    }

    pub async fn dev_outbox(&self) -> ClientResult<DevOutbox> {
        self.call::<(), _>(Method::GET, "/api/v1/dev/outbox", None, None).await
    }
}

/// A server address as the client will use it, parsed by the WHATWG URL
/// parser that reqwest itself connects with: `HTTP://Host` is `http://host`,
/// and `http://a\@127.0.0.1` is the host `a`, as reqwest would see them.
pub fn parse_base_url(text: &str) -> Result<reqwest::Url, BadAddress> {
    let text = text.trim();
    let url = reqwest::Url::parse(text).map_err(|e| BadAddress::NotAnAddress(text.to_owned(), e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BadAddress::NotHttp(text.to_owned()));
    }
    if url.host().is_none() {
        return Err(BadAddress::NoHost(text.to_owned()));
    }
    // A name or password in the address would go out with every request, beside rasid's own.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BadAddress::Credentials(text.to_owned()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BadAddress::QueryOrFragment(text.to_owned()));
    }
    Ok(url)
}

/// Why an address is not one the client will use, each with the text it was given.
/// Displayed in English; `present::errors::bad_address` words it in either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadAddress {
    /// Not a URL at all, with the URL parser's reason.
    #[error("`{0}` is not an address: {1}")]
    NotAnAddress(String, String),
    #[error("expected an http:// or https:// address, found `{0}`")]
    NotHttp(String),
    #[error("`{0}` names no host")]
    NoHost(String),
    #[error("`{0}`: an address with a user name or password in it is refused")]
    Credentials(String),
    #[error("`{0}`: an address with a ? query or # fragment is refused")]
    QueryOrFragment(String),
}

/// Whether the parsed host is this machine: a loopback address, or `localhost`.
fn is_this_machine(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        // The parser has lowercased it; `localhost.evil.sa` or `localhost.` is a name like any other.
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// A redirect's target as a person may be shown it: absolute, one line, not endless.
fn shown_location(from: &reqwest::Url, location: &str) -> String {
    let absolute = from.join(location).map_or_else(|_| location.to_owned(), String::from);
    let clean: String = absolute.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.is_empty() { "(no address given)".to_owned() } else { clean }
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
        let ok =
            ["http://127.0.0.1:8080", "http://localhost/", "http://[::1]:9/x", "https://example.sa", "http://127.1"];
        for ok in ok.into_iter().chain(["HTTP://LOCALHOST:1", "http://[::ffff:127.0.0.1]", "HTTPS://Example.sa"]) {
            assert!(Client::new(ok, DEFAULT_TIMEOUT, false).is_ok(), "{ok}");
        }
        let refused = [
            ("http://example.sa", "example.sa"),
            ("http://10.0.0.5:8080/api", "10.0.0.5"),
            // The scheme is case-insensitive: this is plain http all the same.
            ("HTTP://example.sa", "example.sa"),
            ("Http://Example.SA/", "example.sa"),
            // A backslash ends the authority, as in a browser: the host is `evil`.
            ("http://evil\\@127.0.0.1", "evil"),
            ("http://evil\\@127.0.0.1:8080/", "evil"),
            ("http://localhost.evil.sa", "localhost.evil.sa"),
            ("http://localhost.", "localhost."),
            ("http://127.0.0.1.evil.sa", "127.0.0.1.evil.sa"),
            ("http://[::2]", "[::2]"),
        ];
        for (url, host) in refused {
            assert_eq!(
                Client::new(url, DEFAULT_TIMEOUT, false).unwrap_err(),
                ClientError::InsecureHttp(host.into()),
                "{url}"
            );
            let client = Client::new(url, DEFAULT_TIMEOUT, true).unwrap();
            let connects_to = client.endpoint("/api/v1/captcha");
            assert_eq!(connects_to.host_str(), Some(host), "{url}: the host checked is the host connected to");
        }
    }

    #[test]
    fn an_address_with_a_user_name_query_or_other_scheme_is_refused() {
        let bad = [
            "http://127.0.0.1@evil",
            "http://user@192.168.1.2",
            "https://user:pw@example.sa",
            "http://:pw@127.0.0.1",
            "https://example.sa/?next=x",
            "https://example.sa/#x",
            "ftp://127.0.0.1",
            "file:///etc/passwd",
            "127.0.0.1:8080",
            "http://",
            "",
        ];
        for url in bad {
            for insecure in [false, true] {
                let err = Client::new(url, DEFAULT_TIMEOUT, insecure).unwrap_err();
                assert!(matches!(err, ClientError::BadAddress(_)), "{url}: {err:?}");
            }
        }
    }

    #[test]
    fn every_request_goes_to_the_parsed_base() {
        let c = Client::new("HTTP://LocalHost:8080/rasid/", DEFAULT_TIMEOUT, false).unwrap();
        assert_eq!(c.base_url(), "http://localhost:8080/rasid");
        assert_eq!(
            c.endpoint("/api/v1/people/1%2F/transactions?limit=5").as_str(),
            "http://localhost:8080/rasid/api/v1/people/1%2F/transactions?limit=5"
        );
        let c = Client::new("https://example.sa", DEFAULT_TIMEOUT, false).unwrap();
        assert_eq!(c.base_url(), "https://example.sa");
        assert_eq!(c.endpoint("/healthz").as_str(), "https://example.sa/healthz");
    }

    #[test]
    fn a_redirect_target_is_shown_absolute_on_one_line() {
        let from = reqwest::Url::parse("http://127.0.0.1:1/api/v1/login").unwrap();
        assert_eq!(shown_location(&from, "/x"), "http://127.0.0.1:1/x");
        assert_eq!(
            shown_location(&from, "http://evil.sa/\r\n\x1b[2J"),
            "http://evil.sa/%1B[2J",
            "no escape reaches the terminal"
        );
        assert_eq!(shown_location(&from, "http://[bad"), "http://[bad");
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(urlencode("1057830869"), "1057830869");
        assert_eq!(urlencode("1/../x"), "1%2F%2E%2E%2Fx");
    }
}
