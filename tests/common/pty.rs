//! The real `rasid` binary in a pseudo-terminal: keys in, screen text out.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const CTRL_C: &str = "\x03";
pub const DOWN: &str = "\x1b[B";

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote, for checks on what it sent to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _home: tempfile::TempDir,
}

impl Pty {
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_program(std::path::Path::new(env!("CARGO_BIN_EXE_rasid")), args, cols, rows)
    }

    /// Any build of rasid, started in an empty home directory of its own.
    pub fn spawn_program(program: &std::path::Path, args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_in(tempfile::tempdir().expect("temp home"), program, args, cols, rows)
    }

    /// rasid with this text as its config file.
    pub fn spawn_with_config(config: &str, args: &[&str], cols: u16, rows: u16) -> Pty {
        let home = tempfile::tempdir().expect("temp home");
        let dir = home.path().join("config").join("rasid");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), config).unwrap();
        Self::spawn_in(home, std::path::Path::new(env!("CARGO_BIN_EXE_rasid")), args, cols, rows)
    }

    fn spawn_in(home: tempfile::TempDir, program: &std::path::Path, args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_prepared(home, program, &[], args, cols, rows)
    }

    /// rasid in a home the test has filled (config, state), with these environment variables.
    pub fn spawn_in_home(home: tempfile::TempDir, env: &[(&str, &str)], args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_prepared(home, std::path::Path::new(env!("CARGO_BIN_EXE_rasid")), env, args, cols, rows)
    }

    fn spawn_prepared(
        home: tempfile::TempDir,
        program: &std::path::Path,
        env: &[(&str, &str)],
        args: &[&str],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home.path());
        cmd.env("XDG_STATE_HOME", home.path().join("state"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd.cwd(home.path());
        let child = pair.slave.spawn_command(cmd).expect("spawn rasid");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            // The master must stay open while the reader runs.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty { parser, raw, writer, child, _home: home }
    }

    pub fn home(&self) -> &std::path::Path {
        self._home.path()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// (row, column) of the terminal's cursor.
    pub fn cursor(&self) -> (u16, u16) {
        self.parser.lock().unwrap().screen().cursor_position()
    }

    /// A left click at a 0-based cell, as an xterm SGR mouse report.
    pub fn click(&mut self, col: u16, row: u16) {
        self.send(&format!("\x1b[<0;{};{}M\x1b[<0;{};{}m", col + 1, row + 1, col + 1, row + 1));
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types text a key at a time, as a person would.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until the screen shows `text`; fails with the screen if it never does.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(start.elapsed() < timeout, "waited {timeout:?} for {text:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(start.elapsed() < timeout, "waited {timeout:?} for {what}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits for the process to end; kills it after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<portable_pty::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        None
    }

    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
