//! Asking the terminal which graphics protocol it speaks, without losing a key.
//!
//! ratatui-image's own query reads stdin on a thread that outlives its timeout
//! and throws away whatever is not an answer: the keys a user types while the
//! first screen appears (tmux can take seconds to answer). Here the question is
//! written with ratatui-image's own query text, stdin is read only while a
//! deadline allows, every answer is handed to ratatui-image's parser, and every
//! other byte is decoded into the keys and pastes the user typed, for the app
//! to take before anything else.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
use ratatui_image::picker::{Picker, ProtocolType};

/// What the terminal said, and what the user typed meanwhile.
pub struct Answer {
    /// `None` when the terminal did not answer in time: the caller keeps half blocks.
    pub picker: Option<Picker>,
    pub typed: Vec<Typed>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    Key(KeyEvent),
    Paste(String),
}

fn is_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|p| p == "tmux")
}

/// Writes the query and reads until the terminal's last answer or `timeout`.
#[cfg(unix)]
pub fn ask(timeout: Duration) -> Answer {
    use std::io::Write;
    use std::os::fd::AsFd;

    let query = Parser::query(is_tmux(), QueryStdioOptions { timeout, ..QueryStdioOptions::default() });
    let mut out = std::io::stdout();
    if out.write_all(query.as_bytes()).and_then(|()| out.flush()).is_err() {
        return Answer { picker: None, typed: Vec::new() };
    }
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let deadline = Instant::now() + timeout;
    let mut split = Split::default();
    let mut buf = [0u8; 1024];
    while !split.done {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let wait = rustix::event::Timespec::try_from(left).ok();
        let mut fds = [rustix::event::PollFd::new(&fd, rustix::event::PollFlags::IN)];
        match rustix::event::poll(&mut fds, wait.as_ref()) {
            Ok(0) => break,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => break,
        }
        // Unbuffered: every byte read here is either an answer or handed to the app.
        match rustix::io::read(fd, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => split.push(&buf[..n]),
        }
    }
    split.finish()
}

#[cfg(not(unix))]
pub fn ask(_timeout: Duration) -> Answer {
    Answer { picker: None, typed: Vec::new() }
}

/// Separates the terminal's answers from the user's input in one byte stream.
#[derive(Default)]
struct Split {
    answers: Vec<Response>,
    /// Bytes of an escape sequence not yet ended.
    pending: Vec<u8>,
    user: Vec<u8>,
    /// The answer to the query's last question (device status) came: nothing more will.
    done: bool,
}

impl Split {
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.pending.is_empty() {
                if b == 0x1b {
                    self.pending.push(b);
                } else {
                    self.user.push(b);
                }
                continue;
            }
            self.pending.push(b);
            if let Some(end) = sequence_end(&self.pending) {
                let sequence = std::mem::take(&mut self.pending);
                match end {
                    Sequence::Answer => self.answer(&sequence),
                    Sequence::Input => self.user.extend_from_slice(&sequence),
                    // A lone Esc key followed by another key: the Esc is input, the rest starts over.
                    Sequence::NotEscape => {
                        self.user.push(0x1b);
                        self.push(&sequence[1..]);
                    }
                }
            }
        }
    }

    fn answer(&mut self, sequence: &[u8]) {
        let mut parser = Parser::new();
        for &b in sequence {
            for response in parser.push(char::from(b)) {
                self.done |= response == Response::Status;
                self.answers.push(response);
            }
        }
    }

    fn finish(mut self) -> Answer {
        // An escape left open at the end was the Esc key, or an answer cut short: only a lone Esc is kept.
        if self.pending == [0x1b] {
            self.user.push(0x1b);
        }
        let typed = decode_input(&self.user);
        if !self.done {
            return Answer { picker: None, typed };
        }
        let mut font = None;
        let mut protocol = ProtocolType::Halfblocks;
        for response in &self.answers {
            match response {
                Response::Kitty => protocol = ProtocolType::Kitty,
                Response::Sixel if protocol == ProtocolType::Halfblocks => protocol = ProtocolType::Sixel,
                Response::CellSize(Some(size)) => font = Some(*size),
                _ => {}
            }
        }
        let Some(font) = font.filter(|(w, h)| *w > 0 && *h > 0).or_else(font_from_window) else {
            return Answer { picker: None, typed };
        };
        // `from_fontsize` is deprecated in favour of the query that loses keys; it is the
        // public way to build a picker from answers read here.
        #[allow(deprecated)]
        let mut picker = Picker::from_fontsize(font.into());
        picker.set_protocol_type(protocol);
        Answer { picker: Some(picker), typed }
    }
}

/// The cell size from the window's size in pixels, where the terminal reports one.
fn font_from_window() -> Option<(u16, u16)> {
    #[cfg(unix)]
    {
        let size = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
        (size.ws_xpixel > 0 && size.ws_ypixel > 0 && size.ws_col > 0 && size.ws_row > 0)
            .then(|| (size.ws_xpixel / size.ws_col, size.ws_ypixel / size.ws_row))
    }
    #[cfg(not(unix))]
    None
}

enum Sequence {
    /// An answer of the terminal to the query.
    Answer,
    /// A key the user pressed (an arrow, a function key, a paste's frame).
    Input,
    /// The Esc key itself, followed by something that does not continue an escape.
    NotEscape,
}

/// Whether the escape sequence in `seq` (starting with ESC) has ended, and what it was.
fn sequence_end(seq: &[u8]) -> Option<Sequence> {
    let last = *seq.last()?;
    match seq.get(1)? {
        // APC (kitty's graphics answer), OSC, DCS: they end with ST (ESC \) or, for OSC, BEL.
        b'_' | b']' | b'P' => {
            let ended = seq.ends_with(b"\x1b\\") && seq.len() > 3 || (seq[1] == b']' && last == 0x07);
            ended.then_some(Sequence::Answer)
        }
        b'[' => {
            if seq.len() < 3 || !(0x40..=0x7e).contains(&last) {
                return None;
            }
            let params = &seq[2..seq.len() - 1];
            let answer = match last {
                b'c' => params.first() == Some(&b'?'),
                b't' => params.starts_with(b"6;"),
                b'n' => params == b"0",
                _ => false,
            };
            Some(if answer { Sequence::Answer } else { Sequence::Input })
        }
        // SS3: F1 to F4 and, in some modes, the arrows.
        b'O' => (seq.len() == 3).then_some(Sequence::Input),
        _ => Some(Sequence::NotEscape),
    }
}

/// The keys and pastes in bytes the user typed, as crossterm would have reported them.
fn decode_input(bytes: &[u8]) -> Vec<Typed> {
    let text = String::from_utf8_lossy(bytes);
    let mut typed = Vec::new();
    let mut rest = text.as_ref();
    let key = |code, modifiers| Typed::Key(KeyEvent::new(code, modifiers));
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("\x1b[200~") {
            let (pasted, tail) = after.split_once("\x1b[201~").unwrap_or((after, ""));
            typed.push(Typed::Paste(pasted.to_owned()));
            rest = tail;
            continue;
        }
        if c == '\x1b' && rest.len() > 1 {
            let (code, len) = escape_key(&rest[1..]);
            if let Some(code) = code {
                typed.push(key(code.0, code.1));
            }
            rest = &rest[1 + len..];
            continue;
        }
        typed.push(match c {
            '\r' | '\n' => key(KeyCode::Enter, KeyModifiers::NONE),
            '\t' => key(KeyCode::Tab, KeyModifiers::NONE),
            '\x7f' | '\x08' => key(KeyCode::Backspace, KeyModifiers::NONE),
            '\x1b' => key(KeyCode::Esc, KeyModifiers::NONE),
            '\x01'..='\x1a' => key(KeyCode::Char(char::from(b'a' + c as u8 - 1)), KeyModifiers::CONTROL),
            c => key(KeyCode::Char(c), KeyModifiers::NONE),
        });
        rest = &rest[c.len_utf8()..];
    }
    typed
}

/// The key of an escape sequence (after its ESC), and how many bytes it took.
fn escape_key(seq: &str) -> (Option<(KeyCode, KeyModifiers)>, usize) {
    let none = KeyModifiers::NONE;
    let bytes = seq.as_bytes();
    match bytes[0] {
        b'[' => {
            let Some(end) = bytes.iter().skip(1).position(|b| (0x40..=0x7e).contains(b)).map(|p| p + 1) else {
                return (None, seq.len());
            };
            let params = &seq[1..end];
            let code = match (params, bytes[end]) {
                ("", b'A') => Some(KeyCode::Up),
                ("", b'B') => Some(KeyCode::Down),
                ("", b'C') => Some(KeyCode::Right),
                ("", b'D') => Some(KeyCode::Left),
                ("", b'H') | ("1" | "7", b'~') => Some(KeyCode::Home),
                ("", b'F') | ("4" | "8", b'~') => Some(KeyCode::End),
                ("", b'Z') => Some(KeyCode::BackTab),
                ("2", b'~') => Some(KeyCode::Insert),
                ("3", b'~') => Some(KeyCode::Delete),
                ("5", b'~') => Some(KeyCode::PageUp),
                ("6", b'~') => Some(KeyCode::PageDown),
                ("11", b'~') => Some(KeyCode::F(1)),
                ("12", b'~') => Some(KeyCode::F(2)),
                _ => None,
            };
            let modifiers = if bytes[end] == b'Z' { KeyModifiers::SHIFT } else { none };
            (code.map(|c| (c, modifiers)), end + 1)
        }
        b'O' if bytes.len() > 1 => {
            let code = match bytes[1] {
                b'P' => Some(KeyCode::F(1)),
                b'Q' => Some(KeyCode::F(2)),
                b'A' => Some(KeyCode::Up),
                b'B' => Some(KeyCode::Down),
                b'C' => Some(KeyCode::Right),
                b'D' => Some(KeyCode::Left),
                _ => None,
            };
            (code.map(|c| (c, none)), 2)
        }
        // Alt held with a key: the app binds none, so it is the key itself.
        _ => {
            let c = seq.chars().next().unwrap_or(' ');
            (Some((KeyCode::Char(c), KeyModifiers::ALT)), c.len_utf8())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> Split {
        let mut s = Split::default();
        for c in chunks {
            s.push(c);
        }
        s
    }

    fn keys(typed: &[Typed]) -> String {
        typed
            .iter()
            .map(|t| match t {
                Typed::Key(KeyEvent { code: KeyCode::Char(c), modifiers, .. }) if modifiers.is_empty() => c.to_string(),
                Typed::Key(k) => format!("<{:?}{}>", k.code, if k.modifiers.is_empty() { "" } else { "+" }),
                Typed::Paste(p) => format!("[paste {p}]"),
            })
            .collect()
    }

    #[test]
    fn keys_typed_between_the_answers_are_all_kept_in_order() {
        // xterm's answers (DA1 with sixel, cell size, device status), keys typed around them, split anywhere.
        let s = split(&[b"ab", b"\x1b[?62;4;22c", b"dul\x1b[6;20;1", b"0tlah0", b"1\x1b[0n"]);
        assert!(s.done);
        assert_eq!(keys(&decode_input(&s.user)), "abdullah01");
        let answer = s.finish();
        let picker = answer.picker.expect("a picker from the answers");
        assert_eq!(picker.protocol_type(), ProtocolType::Sixel);
        let font = picker.font_size();
        assert_eq!((font.width, font.height), (10, 20));
    }

    #[test]
    fn kittys_answer_wins_and_arrows_tab_enter_and_paste_are_keys() {
        let s = split(&[
            b"\x1b_Gi=31;OK\x1b\\",
            b"a\tb\x1b[A\x1b[Z\r",
            b"\x1b[200~1057830869\x1b[201~",
            b"\x1b[?62;c\x1b[6;18;9t\x1b[0n",
        ]);
        assert_eq!(keys(&decode_input(&s.user)), "a<Tab>b<Up><BackTab+><Enter>[paste 1057830869]");
        assert_eq!(s.finish().picker.unwrap().protocol_type(), ProtocolType::Kitty);
    }

    #[test]
    fn a_terminal_that_never_answers_loses_nothing_either() {
        let s = split(&[b"abd", b"\x1b", b"x", b"\x1b"]);
        assert!(!s.done);
        let answer = s.finish();
        assert!(answer.picker.is_none(), "half blocks, as before");
        assert_eq!(keys(&answer.typed), "abd<Char('x')+><Esc>");
    }

    #[test]
    fn control_keys_and_function_keys_decode() {
        assert_eq!(
            keys(&decode_input(b"\x03\x12\x7f\x1bOQ\x1b[12~\x1b[5~")),
            "<Char('c')+><Char('r')+><Backspace><F(2)><F(2)><PageUp>"
        );
    }
}
