//! The plain commands, for screen readers and scripts: `rasid login`, `people`,
//! `balance`, `transactions`, `workers`, `renewals`, `documents`, `logout`. They share the app's client; data goes
//! to stdout (table, JSON or CSV), prompts and errors to stderr, in the chosen
//! language, and the exit code says what went wrong.

mod establishment;
pub mod session;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use crate::api::{
    BalanceReport, ErrorCode, InquiryRequest, LinkedPerson, LoginRequest, OtpRequest, Secret, TransactionsQuery,
};
use crate::client::{Client, ClientError, ClientResult, WalkError};
use crate::config::Lang;
use crate::domain::IdNumber;
use crate::present::blocks::image_blocks;
use crate::present::errors::{describe_error, id_feedback};
use crate::present::export::{self, Format, HistoryWriter};
use crate::present::format;
use crate::present::strings::{Arg, T, tr};
use session::SavedSession;

pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_AUTH: u8 = 3;
pub const EXIT_NOT_AUTHORIZED: u8 = 4;
pub const EXIT_UNREACHABLE: u8 = 5;

/// Why a plain command stopped: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub exit: u8,
    pub message: String,
}

impl Failure {
    fn new(exit: u8, message: impl Into<String>) -> Failure {
        Failure { exit, message: message.into() }
    }

    fn client(lang: Lang, err: &ClientError) -> Failure {
        let exit = match err {
            ClientError::Unreachable | ClientError::Timeout => EXIT_UNREACHABLE,
            ClientError::Api { code, .. } => match code {
                ErrorCode::Unauthenticated
                | ErrorCode::InvalidCredentials
                | ErrorCode::AccountLocked
                | ErrorCode::CaptchaInvalid
                | ErrorCode::OtpInvalid
                | ErrorCode::OtpExpired => EXIT_AUTH,
                ErrorCode::NotAuthorized => EXIT_NOT_AUTHORIZED,
                ErrorCode::InvalidId | ErrorCode::BadRequest => EXIT_USAGE,
                _ => EXIT_FAILED,
            },
            _ => EXIT_FAILED,
        };
        // A refused query names what was wrong with it; that is the message a person needs here.
        let message = match err {
            ClientError::Api { message, code: ErrorCode::BadRequest, .. } => message.clone(),
            _ => describe_error(lang, err),
        };
        Failure::new(exit, message)
    }

    fn io(lang: Lang, err: std::io::Error) -> Failure {
        Failure::new(EXIT_FAILED, tr(lang, T::PlainCannotWrite, &[("err", Arg::Str(&err.to_string()))]))
    }
}

/// A prompt: the label and a colon.
fn prompt(lang: Lang, label: T) -> String {
    format!("{}: ", label.get(lang))
}

/// Reads answers to prompts, one line each; on a terminal, secrets are not echoed.
pub struct Prompter<R: BufRead> {
    input: R,
    terminal: bool,
}

impl Prompter<std::io::StdinLock<'static>> {
    pub fn stdin() -> Self {
        Prompter { terminal: std::io::stdin().is_terminal(), input: std::io::stdin().lock() }
    }
}

impl<R: BufRead> Prompter<R> {
    fn line(&mut self, lang: Lang, label: T) -> Result<String, Failure> {
        let prompt = prompt(lang, label);
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        match self.input.read_line(&mut answer) {
            Ok(0) | Err(_) => {
                Err(Failure::new(EXIT_USAGE, tr(lang, T::PlainNoAnswer, &[("prompt", Arg::Str(prompt.trim_end()))])))
            }
            Ok(_) => Ok(answer.trim_end_matches(['\r', '\n']).to_owned()),
        }
    }

    fn secret(&mut self, lang: Lang, label: T) -> Result<Secret, Failure> {
        if self.terminal {
            rpassword::prompt_password(prompt(lang, label)).map(Secret::new).map_err(|e| {
                Failure::new(EXIT_USAGE, tr(lang, T::PlainCannotRead, &[("err", Arg::Str(&e.to_string()))]))
            })
        } else {
            self.line(lang, label).map(Secret::new)
        }
    }
}

pub struct Plain {
    pub client: Client,
    pub lang: Lang,
    /// Where the session token is kept; `None` when the system has no state directory.
    pub session_path: Option<PathBuf>,
}

impl Plain {
    fn saved(&self) -> Result<SavedSession, Failure> {
        let not_logged_in = || Failure::new(EXIT_AUTH, T::PlainNeedLogin.get(self.lang));
        let saved = self.session_path.as_deref().and_then(session::load).ok_or_else(not_logged_in)?;
        self.for_this_server(saved)
    }

    /// Only the server a token came from ever sees it.
    fn for_this_server(&self, saved: SavedSession) -> Result<SavedSession, Failure> {
        if saved.server != self.client.base_url() {
            let args = [("saved", Arg::Str(&saved.server)), ("server", Arg::Str(self.client.base_url()))];
            return Err(Failure::new(EXIT_AUTH, tr(self.lang, T::PlainOtherServer, &args)));
        }
        Ok(saved)
    }

    /// An authenticated call's answer; a session the server has ended is forgotten.
    fn answer<T>(&self, result: ClientResult<T>) -> Result<T, Failure> {
        result.map_err(|err| self.failed(&err))
    }

    /// What a failed authenticated call means to the person.
    fn failed(&self, err: &ClientError) -> Failure {
        if err.code() == Some(ErrorCode::Unauthenticated) {
            if let Some(path) = &self.session_path {
                session::forget(path);
            }
            return Failure::new(EXIT_AUTH, T::PlainSessionGone.get(self.lang));
        }
        Failure::client(self.lang, err)
    }

    /// Fetches an image code and draws it on stderr for the person to read.
    async fn image_code<R: BufRead>(&self, prompter: &mut Prompter<R>) -> Result<(String, Secret), Failure> {
        use base64::Engine;
        let captcha = self.client.captcha().await.map_err(|e| Failure::client(self.lang, &e))?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(&captcha.image_png_base64)
            .map_err(|_| Failure::new(EXIT_FAILED, T::ErrBadResponse.get(self.lang)))?;
        for line in image_blocks(&png, 60, 10).unwrap_or_default() {
            eprintln!("  {line}");
        }
        let answer = Secret::new(prompter.line(self.lang, T::PlainImageCode)?);
        Ok((captcha.captcha_id, answer))
    }

    /// Makes a call that needs an image code; a wrong code gets a new picture, up to three times.
    async fn with_image_code<R: BufRead, V>(
        &self,
        prompter: &mut Prompter<R>,
        mut call: impl AsyncFnMut(String, Secret) -> ClientResult<V>,
    ) -> Result<ClientResult<V>, Failure> {
        let mut tries = 1;
        loop {
            let (captcha_id, captcha_answer) = self.image_code(prompter).await?;
            match call(captcha_id, captcha_answer).await {
                Err(err) if err.code() == Some(ErrorCode::CaptchaInvalid) && tries < 3 => {
                    eprintln!("{}", describe_error(self.lang, &err));
                    tries += 1;
                }
                Err(err) if err.code() == Some(ErrorCode::CaptchaInvalid) => {
                    return Err(Failure::new(EXIT_AUTH, T::PlainCaptchaThrice.get(self.lang)));
                }
                answer => return Ok(answer),
            }
        }
    }

    pub async fn login<R: BufRead>(&self, username: Option<String>, prompter: &mut Prompter<R>) -> Result<(), Failure> {
        let path =
            self.session_path.clone().ok_or_else(|| Failure::new(EXIT_FAILED, T::PlainNoStateDir.get(self.lang)))?;
        let username = match username {
            Some(u) => u,
            None => prompter.line(self.lang, T::Username)?,
        };
        let password = prompter.secret(self.lang, T::Password)?;
        let username = username.trim().to_owned();
        let challenge = self
            .with_image_code(prompter, async |captcha_id, captcha_answer| {
                let request =
                    LoginRequest { username: username.clone(), password: password.clone(), captcha_id, captcha_answer };
                self.client.login(&request).await
            })
            .await?
            .map_err(|e| Failure::client(self.lang, &e))?;
        eprintln!("{}", tr(self.lang, T::PlainSmsSent, &[("phone", Arg::Str(&challenge.masked_phone))]));
        let mut challenge_id = challenge.challenge_id;
        self.show_dev_sms(&challenge_id).await;
        let session = loop {
            let code = Secret::new(prompter.line(self.lang, T::PlainSmsCode)?);
            let request = OtpRequest { challenge_id: challenge_id.clone(), code };
            match self.client.verify_otp(&request).await {
                Ok(session) => break session,
                Err(err @ ClientError::Api { code: ErrorCode::OtpInvalid, attempts_left: Some(1..), .. }) => {
                    eprintln!("{}", describe_error(self.lang, &err));
                }
                Err(err) if err.code() == Some(ErrorCode::OtpExpired) => {
                    let again =
                        self.client.resend_otp(&challenge_id).await.map_err(|e| Failure::client(self.lang, &e))?;
                    eprintln!("{}", tr(self.lang, T::PlainSmsResent, &[("phone", Arg::Str(&again.masked_phone))]));
                    challenge_id = again.challenge_id;
                    self.show_dev_sms(&challenge_id).await;
                }
                Err(err) => return Err(Failure::client(self.lang, &err)),
            }
        };
        let saved =
            SavedSession { server: self.client.base_url().to_owned(), token: session.token, user: session.user };
        session::save(&path, &saved).map_err(|e| {
            let args = [("path", Arg::Str(&path.display().to_string())), ("err", Arg::Str(&e.to_string()))];
            Failure::new(EXIT_FAILED, tr(self.lang, T::PlainCannotSave, &args))
        })?;
        let args = [
            ("name", Arg::Str(self.lang.pick(&saved.user.name_en, &saved.user.name_ar))),
            ("id", Arg::Str(&saved.user.id_number)),
            ("minutes", Arg::Num((session.expires_in_s / 60) as i64)),
        ];
        println!("{}", tr(self.lang, T::PlainLoggedIn, &args));
        Ok(())
    }

    /// A development server shows its simulated SMS, as the demo app does; a real one has no outbox.
    async fn show_dev_sms(&self, challenge_id: &str) {
        if let Ok(outbox) = self.client.dev_outbox().await
            && let Some(sms) = outbox.sms.iter().rev().find(|s| s.challenge_id == challenge_id)
        {
            eprintln!("{}", tr(self.lang, T::PlainDevSms, &[("text", Arg::Str(&sms.text))]));
        }
    }

    /// Ends this session, or with `everywhere` every session of the user on every device.
    pub async fn logout(&self, everywhere: bool) -> Result<(), Failure> {
        let Some(path) = &self.session_path else { return Ok(()) };
        let Some(saved) = session::load(path) else {
            eprintln!("{}", T::PlainNotLoggedIn.get(self.lang));
            return Ok(());
        };
        let saved = self.for_this_server(saved)?;
        // The token is kept until the server has let it go, so a failed logout can be tried again;
        // a session the server already ended is no error.
        let ended = if everywhere {
            self.client.logout_everywhere(&saved.token).await
        } else {
            self.client.logout(&saved.token).await
        };
        match ended {
            Ok(()) => {}
            Err(err) if err.code() == Some(ErrorCode::Unauthenticated) => {}
            Err(err) => {
                let path = path.display().to_string();
                eprintln!("{}", tr(self.lang, T::PlainLogoutKept, &[("path", Arg::Str(&path))]));
                return Err(Failure::client(self.lang, &err));
            }
        }
        session::forget(path);
        println!("{}", if everywhere { T::PlainLoggedOutEverywhere } else { T::PlainLoggedOut }.get(self.lang));
        Ok(())
    }

    pub async fn people(&self, format: Format, out: &mut dyn Write) -> Result<(), Failure> {
        let saved = self.saved()?;
        let people = self.answer(self.client.people(&saved.token).await)?;
        write_people(self.lang, &people, format, out).map_err(|e| Failure::io(self.lang, e))
    }

    pub async fn balance<R: BufRead>(
        &self,
        id_number: &str,
        format: Format,
        prompter: &mut Prompter<R>,
        out: &mut dyn Write,
    ) -> Result<(), Failure> {
        let id = checked_id(self.lang, id_number)?;
        let saved = self.saved()?;
        let answer = self
            .with_image_code(prompter, async |captcha_id, captcha_answer| {
                let request = InquiryRequest { id_number: id.clone(), captcha_id, captcha_answer };
                self.client.payments_balance(&saved.token, &request).await
            })
            .await?;
        let report = self.answer(answer)?;
        write_balance(self.lang, &report, format, out).map_err(|e| Failure::io(self.lang, e))
    }

    pub async fn transactions(
        &self,
        id_number: &str,
        mut query: TransactionsQuery,
        format: Format,
        out: &mut dyn Write,
    ) -> Result<(), Failure> {
        let id = checked_id(self.lang, id_number)?;
        // Said here in the user's language; the server's own refusal names its parameters in English.
        if let (Some(from), Some(to)) = (&query.from, &query.to)
            && from > to
        {
            let days = [("from", Arg::Str(from)), ("to", Arg::Str(to))];
            return Err(Failure::new(EXIT_USAGE, tr(self.lang, T::PlainFromAfterTo, &days)));
        }
        let saved = self.saved()?;
        query.limit = Some(crate::api::MAX_PAGE_LIMIT);
        // Stdout is flushed at every newline; thousands of rows go out a buffer at a time instead.
        let mut out = std::io::BufWriter::new(out);
        // Nothing is written before the first page arrives: a refusal leaves stdout empty.
        let mut writer = HistoryWriter::new(&mut out, format, self.lang, &id);
        let searches = query.q.as_deref().is_some_and(|q| !q.trim().is_empty());
        let query = export::query_for(format, query);
        let walked =
            self.client.each_page(&saved.token, &id, query, |items| items.iter().try_for_each(|tx| writer.write(tx)));
        let result = walked.await.and_then(|()| writer.finish().map(drop).map_err(WalkError::Io));
        match result.and_then(|()| out.flush().map_err(WalkError::Io)) {
            Ok(()) => Ok(()),
            // The API refuses a text search that would read too many rows with `bad_request` and English
            // words naming its own parameters; this command's flags are what narrow it here.
            Err(WalkError::Client(err)) if searches && err.code() == Some(ErrorCode::BadRequest) => {
                Err(Failure::new(EXIT_USAGE, T::PlainSearchTooBroad.get(self.lang)))
            }
            Err(WalkError::Client(err)) => Err(self.failed(&err)),
            // `rasid transactions … | head` closes the pipe early: that is the reader's choice, not an error.
            Err(WalkError::Io(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(WalkError::Io(err)) => Err(Failure::io(self.lang, err)),
        }
    }
}

fn checked_id(lang: Lang, text: &str) -> Result<String, Failure> {
    IdNumber::parse(text).map(|id| id.as_str().to_owned()).map_err(|_| {
        let (_, why) = id_feedback(lang, text);
        Failure::new(EXIT_USAGE, tr(lang, T::PlainBadId, &[("id", Arg::Str(text)), ("why", Arg::Str(&why))]))
    })
}

/// Columns padded to their widest cell; the last column is left ragged.
fn write_table(out: &mut dyn Write, rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> =
        (0..columns).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            if c > 0 {
                line.push_str("  ");
            }
            if right.contains(&c) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if c + 1 < columns {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A journal holds transactions only: people and balances have no `hledger` format, and read as a table.
fn write_people(lang: Lang, people: &[LinkedPerson], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(people)?),
        Format::Csv => {
            writeln!(out, "id_number,kind,relation,name_en,name_ar")?;
            for p in people {
                let fields = [
                    p.id_number.clone(),
                    p.kind.as_str().to_owned(),
                    p.relation.code().to_owned(),
                    p.name_en.clone(),
                    p.name_ar.clone(),
                ];
                writeln!(out, "{}", fields.iter().map(|f| export::csv_field(f)).collect::<Vec<_>>().join(","))?;
            }
            Ok(())
        }
        Format::Table | Format::Hledger => {
            let mut rows = vec![[T::IdNumber, T::Relation, T::Kind, T::Name].map(|t| t.get(lang).to_owned()).to_vec()];
            for p in people {
                rows.push(vec![
                    p.id_number.clone(),
                    format::relation_label(lang, p.relation).to_owned(),
                    format::person_kind(lang, p.kind).to_owned(),
                    lang.pick(&p.name_en, &p.name_ar).to_owned(),
                ]);
            }
            write_table(out, &rows, &[])
        }
    }
}

fn write_balance(lang: Lang, report: &BalanceReport, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(report)?),
        Format::Csv => {
            writeln!(out, "sector,paid,used,refunded,available")?;
            for b in &report.balances {
                let amounts = [b.paid, b.used, b.refunded, b.available].map(|m| m.to_plain());
                writeln!(out, "{},{}", b.sector.code(), amounts.join(","))?;
            }
            Ok(())
        }
        Format::Table | Format::Hledger => {
            let s = &report.subject;
            let kind = format::person_kind(lang, s.kind);
            writeln!(out, "{}  {}  {kind}", lang.pick(&s.name_en, &s.name_ar), s.id_number)?;
            writeln!(out, "{}: {}", T::AsOf.get(lang), format::as_of(lang, &report.as_of))?;
            writeln!(out)?;
            let mut rows =
                vec![[T::Sector, T::Paid, T::Used, T::Refunded, T::Available].map(|t| t.get(lang).to_owned()).to_vec()];
            for b in &report.balances {
                let mut row = vec![format::sector(lang, b.sector)];
                row.extend([b.paid, b.used, b.refunded, b.available].map(|m| m.to_grouped()));
                rows.push(row);
            }
            let t = &report.totals;
            let mut total = vec![T::Total.get(lang).to_owned()];
            total.extend([t.paid, t.used, t.refunded, t.available].map(|m| m.to_grouped()));
            rows.push(total);
            write_table(out, &rows, &[1, 2, 3, 4])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_pad_columns_and_right_align_amounts() {
        let mut out = vec![];
        let rows = vec![
            vec!["Sector".to_owned(), "Paid".into(), "Note".into()],
            vec!["Passports".into(), "1,250.75".into(), "x".into()],
            vec!["Total".into(), "9.00".into(), "".into()],
        ];
        write_table(&mut out, &rows, &[1]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "Sector         Paid  Note\nPassports  1,250.75  x\nTotal          9.00  \n");
    }

    #[test]
    fn a_prompt_with_no_answer_is_a_usage_error() {
        let mut prompter = Prompter { input: std::io::Cursor::new(b"abdullah01\n".to_vec()), terminal: false };
        assert_eq!(prompter.line(Lang::En, T::Username).unwrap(), "abdullah01");
        let err = prompter.secret(Lang::Ar, T::Password).unwrap_err();
        assert_eq!(err.exit, EXIT_USAGE);
        assert!(err.message.contains("كلمة المرور"), "{}", err.message);
    }
}
