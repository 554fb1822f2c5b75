//! Login: image code, password, SMS code, then a session token.

use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};

use super::AppState;
use super::captcha;
use super::client_addr::ClientAddr;
use super::error::{ApiError, ApiJson, ApiResult};
use super::metrics::Refusal;
use super::ratelimit::Bucket;
use super::store::{Challenge, PasswordThrottle, PasswordTry, PurgePolicy, ResendRefusal, SmsBudget};
use crate::api::{
    Captcha, DevSms, ErrorBody, ErrorCode, LoginChallenge, LoginRequest, OtpRequest, OtpResendRequest, Secret, Session,
};
use crate::domain::IdNumber;
use crate::domain::id_number::normalize_digits;

pub use super::passwords::{PasswordChecks, hash_password};
pub use super::session::{AuthUser, SESSION_IDLE_S, SESSION_MAX_S, SessionCache};

pub const CAPTCHA_TTL_S: i64 = 120;
pub const OTP_TTL_S: i64 = 120;
pub const OTP_TRIES: i64 = 3;
pub const OTP_RESENDS: i64 = 3;
/// A code that ran out can be resent for this long; after it the login starts over.
pub const OTP_RESEND_WINDOW_S: i64 = 10 * 60;
/// SMS messages an account may be sent in `SMS_WINDOW_S`, over all its logins.
pub const SMS_PER_WINDOW: i64 = 8;
pub const SMS_WINDOW_S: i64 = 15 * 60;
const SMS_BUDGET: SmsBudget = SmsBudget { per_window: SMS_PER_WINDOW, window_s: SMS_WINDOW_S };
/// Wrong passwords from one address before that address is locked out of the account.
pub const MAX_PASSWORD_FAILURES: i64 = 5;
/// Wrong passwords in a row, from anywhere, before the account locks for everybody
/// (NIST SP 800-63B allows at most 100).
pub const MAX_ACCOUNT_FAILURES: i64 = 100;
pub const LOCKOUT_S: i64 = 15 * 60;
pub const THROTTLE: PasswordThrottle =
    PasswordThrottle { per_source: MAX_PASSWORD_FAILURES, per_account: MAX_ACCOUNT_FAILURES, lock_s: LOCKOUT_S };
pub const PURGE_POLICY: PurgePolicy = PurgePolicy {
    session_idle_s: SESSION_IDLE_S,
    session_max_s: SESSION_MAX_S,
    resend_window_s: OTP_RESEND_WINDOW_S,
    throttle_quiet_s: LOCKOUT_S,
};
/// Longest username, password or code the server will even look at.
pub(super) const MAX_FIELD_CHARS: usize = 256;

pub fn sha256_hex(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn random_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// "0551234567" → "05******67".
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
}

async fn check_rate(state: &AppState, source: IpAddr, bucket: Bucket) -> ApiResult<()> {
    state.limiter.check(source, bucket, state.clock.now()).await?.map_err(|wait| {
        state.metrics.refused(match bucket {
            Bucket::Captcha => Refusal::CaptchaPerAddress,
            Bucket::Login => Refusal::LoginPerAddress,
            Bucket::Otp => Refusal::OtpPerAddress,
            Bucket::AccountLogin => Refusal::LoginPerAccount,
        });
        ApiError::new(ErrorCode::RateLimited).retry_after(wait)
    })
}

/// 429 for an account that was sent its share of SMS messages.
fn sms_refusal(state: &AppState, wait: i64) -> ApiError {
    state.metrics.refused(Refusal::SmsPerAccount);
    ApiError::new(ErrorCode::RateLimited).retry_after(wait)
}

fn check_len(text: &str) -> ApiResult<()> {
    if text.chars().count() > MAX_FIELD_CHARS {
        return Err(ApiError::with_message(ErrorCode::BadRequest, "A field is too long."));
    }
    Ok(())
}

/// Spends a captcha: whatever the answer, it cannot be tried again. It counts
/// only from the address it was issued to, so one client's code is no use in another's flow.
pub async fn consume_captcha(state: &AppState, source: IpAddr, captcha_id: &str, answer: &Secret) -> ApiResult<()> {
    check_len(captcha_id)?;
    check_len(answer.expose())?;
    let stored = state.store.take_captcha(captcha_id).await?;
    match stored {
        Some((expected, client, expires_at))
            if expires_at >= state.clock.now()
                && client == source.to_string()
                && captcha::answer_matches(&expected, answer.expose()) =>
        {
            Ok(())
        }
        _ => Err(ApiError::new(ErrorCode::CaptchaInvalid)),
    }
}

/// Issue a new image code.
#[utoipa::path(post, path = "/api/v1/captcha", tag = "auth",
    responses(
        (status = 201, description = "A new image code", body = Captcha),
        (status = 429, description = "rate_limited", body = ErrorBody),
    ))]
pub async fn new_captcha(
    State(state): State<AppState>,
    client: ClientAddr,
) -> ApiResult<(StatusCode, axum::Json<Captcha>)> {
    check_rate(&state, client.ip(), Bucket::Captcha).await?;
    let (id, image) = {
        let mut rng = rand::rng();
        (random_id(), captcha::generate(&mut rng))
    };
    let now = state.clock.now();
    state.store.put_captcha(&id, &image.answer, &client.ip().to_string(), now + CAPTCHA_TTL_S).await?;
    if state.dev {
        state.store.dev_record_captcha(&id, &image.answer).await?;
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(Captcha {
            captcha_id: id,
            image_png_base64: image.png_base64(),
            width: captcha::WIDTH,
            height: captcha::HEIGHT,
            expires_in_s: CAPTCHA_TTL_S as u64,
        }),
    ))
}

/// Check the image code and the password; on success an SMS code is sent.
#[utoipa::path(post, path = "/api/v1/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Password accepted; an SMS code was sent", body = LoginChallenge),
        (status = 400, description = "captcha_invalid or bad_request", body = ErrorBody),
        (status = 401, description = "invalid_credentials: the same answer for a wrong password and an unknown name", body = ErrorBody),
        (status = 423, description = "account_locked, with retry_after_s: too many wrong passwords from this address, or from everywhere", body = ErrorBody),
        (status = 429, description = "rate_limited, with retry_after_s", body = ErrorBody),
        (status = 503, description = "unavailable: too many passwords being checked; try again in a second", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<axum::Json<LoginChallenge>> {
    let source = client.ip();
    check_rate(&state, source, Bucket::Login).await?;
    check_len(&req.username)?;
    check_len(req.password.expose())?;
    consume_captcha(&state, source, &req.captcha_id, &req.captcha_answer).await?;

    let username = req.username.trim();
    let lookup = match IdNumber::parse(username) {
        Ok(id) => id.to_string(),
        Err(_) => username.to_lowercase(),
    };
    let user = state.store.find_login_user(&lookup).await?;
    // One budget per account whichever name was typed (username or ID number); a
    // name that is no account is throttled the same way, so the answers tell nothing.
    let account = match &user {
        Some(u) => format!("u:{}", u.id),
        None => format!("n:{lookup}"),
    };
    let now = state.clock.now();
    state.limiter.check_account(&account, now).await?.map_err(|wait| {
        state.metrics.refused(Refusal::LoginPerAccount);
        ApiError::new(ErrorCode::RateLimited).retry_after(wait)
    })?;
    if let Some(u) = &user
        && let Err(wait) = state.store.sms_budget_left(u.id, now, SMS_BUDGET).await?
    {
        return Err(sms_refusal(&state, wait));
    }
    let source_key = source.to_string();
    let (last, counted) = match state.store.claim_password_try(&account, &source_key, now, THROTTLE).await? {
        PasswordTry::Granted { last, counted } => (last, counted),
        PasswordTry::Locked { until } => {
            return Err(ApiError::new(ErrorCode::AccountLocked).retry_after(until - now));
        }
    };
    // The try is claimed first, so a burst of guesses is counted before any is checked; one told
    // the server is busy had no password checked, and gets its try back.
    let check = match state.passwords.reserve().await {
        Ok(check) => check,
        Err(busy) => {
            state.store.return_password_try(&account, &source_key, THROTTLE).await?;
            return Err(busy);
        }
    };
    // Verified even for unknown names, so timing tells nothing.
    let password_ok = check.verify(user.as_ref().map(|u| u.password_hash.clone()), req.password.clone()).await;
    let user = match user {
        Some(user) if password_ok => user,
        _ => {
            tracing::info!(locked = last, "wrong password or unknown name");
            if last {
                return Err(ApiError::new(ErrorCode::AccountLocked).retry_after(LOCKOUT_S));
            }
            return Err(ApiError::new(ErrorCode::InvalidCredentials));
        }
    };
    state.store.clear_password_failures(&account, &source_key, counted).await?;
    if let Err(wait) = state.store.claim_sms(user.id, now, SMS_BUDGET).await? {
        return Err(sms_refusal(&state, wait));
    }

    let challenge_id = random_id();
    let code = new_otp_code();
    state
        .store
        .put_challenge(
            &challenge_id,
            &Challenge {
                user_id: user.id,
                code_hash: sha256_hex(&[&challenge_id, &code]),
                expires_at: now + OTP_TTL_S,
                tries_left: OTP_TRIES,
                resends_left: OTP_RESENDS,
            },
        )
        .await?;
    let masked_phone = mask_phone(&user.phone);
    send_sms(&state, &challenge_id, &masked_phone, code).await?;
    tracing::info!(user_id = user.id, "password accepted, verification code sent");
    Ok(axum::Json(LoginChallenge { challenge_id, masked_phone, otp_expires_in_s: OTP_TTL_S as u64 }))
}

fn new_otp_code() -> String {
    format!("{:04}", rand::rng().random_range(0..10_000u32))
}

/// There is no SMS gateway: in --dev the message lands in the outbox, otherwise nowhere.
async fn send_sms(state: &AppState, challenge_id: &str, masked_phone: &str, code: String) -> ApiResult<()> {
    if state.dev {
        let text = format!("Absher verification code: {code}. Do not share it. رمز التحقق: {code}");
        state
            .store
            .dev_record_sms(&DevSms {
                challenge_id: challenge_id.to_owned(),
                masked_phone: masked_phone.to_owned(),
                code,
                text,
            })
            .await?;
    }
    Ok(())
}

/// Check the SMS code; on success a session starts.
#[utoipa::path(post, path = "/api/v1/login/otp", tag = "auth", request_body = OtpRequest,
    responses(
        (status = 200, description = "Logged in", body = Session),
        (status = 400, description = "bad_request", body = ErrorBody),
        (status = 401, description = "otp_invalid, with attempts_left (one budget per login, across resends)", body = ErrorBody),
        (status = 410, description = "otp_expired: the code ran out (resend), or no try is left (log in again)", body = ErrorBody),
        (status = 429, description = "rate_limited", body = ErrorBody),
    ))]
pub async fn verify_otp(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<OtpRequest>,
) -> ApiResult<axum::Json<Session>> {
    let source = client.ip();
    check_rate(&state, source, Bucket::Otp).await?;
    check_len(&req.challenge_id)?;
    check_len(req.code.expose())?;
    let now = state.clock.now();
    // The try is taken before the code is compared: parallel guesses cannot share one.
    let Some(claim) = state.store.claim_otp_try(&req.challenge_id, now).await? else {
        return Err(ApiError::new(ErrorCode::OtpExpired));
    };
    let given = sha256_hex(&[&req.challenge_id, &normalize_digits(req.code.expose().trim())]);
    if !captcha::answer_matches(&claim.code_hash, &given) {
        if claim.tries_left <= 0 {
            state.store.consume_challenge(&req.challenge_id, &claim.code_hash).await?;
        }
        return Err(ApiError::new(ErrorCode::OtpInvalid).attempts_left(claim.tries_left));
    }
    if !state.store.consume_challenge(&req.challenge_id, &claim.code_hash).await? {
        return Err(ApiError::new(ErrorCode::OtpExpired));
    }

    let token_bytes: [u8; 32] = rand::rng().random();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token_bytes);
    state.store.put_session(&sha256_hex(&[&token]), claim.user_id, now).await?;
    let user = state.store.user_person(claim.user_id).await?.ok_or_else(|| ApiError::new(ErrorCode::Internal))?;
    tracing::info!(user_id = claim.user_id, "session started");
    Ok(axum::Json(Session { token: Secret::new(token), expires_in_s: SESSION_IDLE_S as u64, user }))
}

/// Send a fresh SMS code for a login whose code ran out. The wrong tries left stay as they were.
#[utoipa::path(post, path = "/api/v1/login/otp/resend", tag = "auth", request_body = OtpResendRequest,
    responses(
        (status = 200, description = "A new code was sent", body = LoginChallenge),
        (status = 400, description = "bad_request", body = ErrorBody),
        (status = 410, description = "otp_expired: no try or resend left, or too late: log in again", body = ErrorBody),
        (status = 429, description = "rate_limited: the code sent last is still good (retry_after_s says for how long), or too many SMS", body = ErrorBody),
    ))]
pub async fn resend_otp(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<OtpResendRequest>,
) -> ApiResult<axum::Json<LoginChallenge>> {
    let source = client.ip();
    check_rate(&state, source, Bucket::Otp).await?;
    check_len(&req.challenge_id)?;
    let now = state.clock.now();
    let code = new_otp_code();
    let code_hash = sha256_hex(&[&req.challenge_id, &code]);
    let windows = (OTP_TTL_S, OTP_RESEND_WINDOW_S);
    let user_id = match state.store.resend_challenge(&req.challenge_id, &code_hash, now, windows, SMS_BUDGET).await? {
        Ok(user_id) => user_id,
        Err(ResendRefusal::TooEarly(wait)) => return Err(ApiError::new(ErrorCode::RateLimited).retry_after(wait)),
        Err(ResendRefusal::Gone) => return Err(ApiError::new(ErrorCode::OtpExpired)),
        Err(ResendRefusal::SmsBudget(wait)) => return Err(sms_refusal(&state, wait)),
    };
    let phone = state.store.user_phone(user_id).await?.unwrap_or_default();
    let masked_phone = mask_phone(&phone);
    send_sms(&state, &req.challenge_id, &masked_phone, code).await?;
    Ok(axum::Json(LoginChallenge { challenge_id: req.challenge_id, masked_phone, otp_expires_in_s: OTP_TTL_S as u64 }))
}

/// End the session.
#[utoipa::path(post, path = "/api/v1/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    ))]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> ApiResult<StatusCode> {
    // The database first: when it fails, the answer is 503 and the session lives on everywhere, so
    // the client's next try still reaches the database rather than this instance's cache.
    state.store.revoke_session(&user.token_hash).await?;
    state.sessions.revoke(&user.token_hash, state.clock.now());
    state.metrics.revoked("logout", 1);
    Ok(StatusCode::NO_CONTENT)
}

/// End every session of this user, on every device ("log out everywhere").
#[utoipa::path(post, path = "/api/v1/logout/all", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "Every session of the user has ended, this one too"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    ))]
pub async fn logout_all(State(state): State<AppState>, user: AuthUser) -> ApiResult<StatusCode> {
    let ended = state.store.revoke_user_sessions(user.user_id).await?;
    state.sessions.revoke_user(user.user_id, state.clock.now());
    state.metrics.revoked("logout_all", ended);
    tracing::info!(user_id = user.user_id, ended, "logged out everywhere");
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_but_recognisable() {
        assert_eq!(mask_phone("0551234567"), "05******67");
        assert_eq!(mask_phone("123"), "***");
    }
}
