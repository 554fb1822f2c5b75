//! What an error means for the person at the keyboard: the app's notices and
//! the plain commands' messages say the same thing in the same words.

use super::strings::{Arg, T, tr};
use crate::api::ErrorCode;
use crate::client::{BadAddress, ClientError};
use crate::config::Lang;
use crate::domain::{IdError, IdNumber, PersonKind};

/// A failed call, as the person should read it.
pub fn describe_error(lang: Lang, err: &ClientError) -> String {
    match err {
        ClientError::Api { code, attempts_left, retry_after_s, .. } => match code {
            ErrorCode::CaptchaInvalid => T::ErrCaptcha.get(lang).to_owned(),
            ErrorCode::InvalidCredentials => T::ErrCredentials.get(lang).to_owned(),
            ErrorCode::AccountLocked => {
                let minutes = retry_after_s.unwrap_or(900).div_ceil(60);
                tr(lang, T::ErrLocked, &[("m", Arg::Num(minutes as i64))])
            }
            ErrorCode::RateLimited => {
                tr(lang, T::ErrRateLimited, &[("s", Arg::Num(retry_after_s.unwrap_or(60) as i64))])
            }
            // The last wrong code ends the login: the server takes no more codes for it.
            ErrorCode::OtpInvalid if *attempts_left == Some(0) => T::ErrOtpLast.get(lang).to_owned(),
            ErrorCode::OtpInvalid => {
                tr(lang, T::ErrOtpInvalid, &[("n", Arg::Num(i64::from(attempts_left.unwrap_or(0))))])
            }
            ErrorCode::OtpExpired => T::ErrOtpExpired.get(lang).to_owned(),
            ErrorCode::Unauthenticated => T::SessionRefused.get(lang).to_owned(),
            ErrorCode::InvalidId => T::ErrInvalidId.get(lang).to_owned(),
            ErrorCode::NotAuthorized => T::ErrNotAuthorized.get(lang).to_owned(),
            ErrorCode::NotFound => T::ErrNotFound.get(lang).to_owned(),
            ErrorCode::BadRequest | ErrorCode::PayloadTooLarge | ErrorCode::MethodNotAllowed => {
                T::ErrBadResponse.get(lang).to_owned()
            }
            ErrorCode::Internal | ErrorCode::Unknown => T::ErrServer.get(lang).to_owned(),
            ErrorCode::Unavailable => T::ErrBusy.get(lang).to_owned(),
        },
        ClientError::Unreachable => T::ErrUnreachable.get(lang).to_owned(),
        ClientError::Timeout => T::ErrTimeout.get(lang).to_owned(),
        ClientError::BadResponse(_) => T::ErrBadResponse.get(lang).to_owned(),
        ClientError::InsecureHttp(_) => T::ErrInsecureHttp.get(lang).to_owned(),
        ClientError::Certificate => T::ErrCertificate.get(lang).to_owned(),
        ClientError::BadAddress(why) => tr(lang, T::ErrBadAddress, &[("why", Arg::Str(&bad_address(lang, why)))]),
        ClientError::Redirected(to) => tr(lang, T::ErrRedirected, &[("to", Arg::Str(to))]),
    }
}

/// Why the server's address cannot be used, with the text it was given.
pub fn bad_address(lang: Lang, bad: &BadAddress) -> String {
    let (key, text) = match bad {
        BadAddress::NotAnAddress(text, why) => {
            return tr(lang, T::BadAddressNotAnAddress, &[("text", Arg::Str(text)), ("why", Arg::Str(why))]);
        }
        BadAddress::NotHttp(text) => (T::BadAddressNotHttp, text),
        BadAddress::NoHost(text) => (T::BadAddressNoHost, text),
        BadAddress::Credentials(text) => (T::BadAddressCredentials, text),
        BadAddress::QueryOrFragment(text) => (T::BadAddressQuery, text),
    };
    tr(lang, key, &[("text", Arg::Str(text))])
}

/// Whether `text` is a valid ID or iqama number, and what to say about it: its kind, or what is wrong.
pub fn id_feedback(lang: Lang, text: &str) -> (bool, String) {
    match IdNumber::parse(text) {
        Ok(id) => match id.kind() {
            PersonKind::Citizen => (true, T::IdCitizen.get(lang).to_owned()),
            PersonKind::Resident => (true, T::IdResident.get(lang).to_owned()),
        },
        Err(IdError::Empty) => (false, T::IdEmpty.get(lang).to_owned()),
        Err(IdError::NotDigits) => (false, T::IdNotDigits.get(lang).to_owned()),
        Err(IdError::TooShort(n)) => (false, tr(lang, T::IdTooShort, &[("n", Arg::Num(n as i64))])),
        Err(IdError::TooLong(_)) => (false, T::IdTooLong.get(lang).to_owned()),
        Err(IdError::BadFirstDigit) => (false, T::IdBadFirst.get(lang).to_owned()),
        Err(IdError::BadCheckDigit) => (false, T::IdBadCheck.get(lang).to_owned()),
    }
}
