//! A throwaway PostgreSQL for the tests: where PostgreSQL's server binaries are installed
//! (/usr/lib/postgresql/*/bin), a cluster in a temporary directory, started once per test binary,
//! and a fresh database per test. Where they are missing, the PostgreSQL half is skipped, loudly,
//! unless RASID_REQUIRE_POSTGRES=1 (CI), where that is a failure.
//!
//! The cluster dies with the test process: `postgres` is started directly (as the `postgres` user
//! when the tests run as root, since it refuses root) from a thread that lives as long as the
//! process, with SIGQUIT (PostgreSQL's immediate shutdown) as its parent-death signal. Its
//! directory is removed by the next run that finds it (named after the test process's id).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use sqlx::Connection;

const DIR_PREFIX: &str = "rasid-pg-";

/// The binaries of the newest PostgreSQL installed, if any.
fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("postgres").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The user and group the cluster runs as: `postgres` when we are root, else ourselves.
fn owner() -> Option<(u32, u32)> {
    if !rustix::process::geteuid().is_root() {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres"))
            .then(|| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))?
    })
}

/// Directories left by test processes that have ended.
fn sweep_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)).and_then(|n| n.split('-').next()) else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running PostgreSQL cluster on 127.0.0.1, `trust` authentication, user `postgres`.
pub struct Cluster {
    pub port: u16,
    bin: PathBuf,
    dir: PathBuf,
    owner: Option<(u32, u32)>,
    pid: std::sync::Mutex<Option<i32>>,
    /// A cluster of one test's own, stopped and removed when dropped.
    private: bool,
}

static SHARED: OnceLock<Option<Cluster>> = OnceLock::new();
static NEXT_DIR: AtomicU32 = AtomicU32::new(0);
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// Why there is no PostgreSQL here, or `None` when there is one to start.
pub fn missing() -> Option<String> {
    match bin_dir() {
        None => Some("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin".into()),
        Some(_) if rustix::process::geteuid().is_root() && owner().is_none() => {
            Some("running as root and there is no `postgres` user to run PostgreSQL as".into())
        }
        Some(_) => None,
    }
}

/// Whether this machine has PostgreSQL for the tests; says loudly when it has not, and fails
/// when RASID_REQUIRE_POSTGRES=1.
pub fn available() -> bool {
    match missing() {
        None => true,
        Some(why) => {
            if std::env::var("RASID_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("RASID_REQUIRE_POSTGRES=1 but {why}: install postgresql");
            }
            // Straight to stderr: the test harness captures eprintln! of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "PostgreSQL half SKIPPED: {why} (the pg_* copies of the SQLite tests ran on SQLite again)"
            );
            false
        }
    }
}

/// The test binary's cluster, started on first use; `None` when PostgreSQL is missing (said loudly).
pub fn shared() -> Option<&'static Cluster> {
    SHARED.get_or_init(|| available().then(|| Cluster::start(false))).as_ref()
}

/// A fresh, empty database on the shared cluster: its URL. `None` when PostgreSQL is missing.
pub async fn fresh_database() -> Option<String> {
    Some(shared()?.create_database().await)
}

impl Cluster {
    /// A cluster of the caller's own (a test that stops and starts it), removed when dropped.
    pub fn start_private() -> Option<Cluster> {
        available().then(|| Cluster::start(true))
    }

    fn start(private: bool) -> Cluster {
        sweep_stale_dirs();
        let bin = bin_dir().expect("PostgreSQL binaries");
        let owner = owner();
        let dir = std::env::temp_dir().join(format!(
            "{DIR_PREFIX}{}-{}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
        }
        let mut initdb = Command::new(bin.join("initdb"));
        initdb
            .args(["-D", "data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        as_owner(&mut initdb, owner);
        let out = initdb.output().unwrap();
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let cluster = Cluster { port: free_port(), bin, dir, owner, pid: std::sync::Mutex::new(None), private };
        cluster.run();
        cluster
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts `postgres` and waits until it takes connections.
    pub fn run(&self) {
        let mut postgres = Command::new(self.bin.join("postgres"));
        postgres
            .args(["-D", "data", "-p", &self.port.to_string(), "-k", "."])
            // Throwaway data: nothing is worth an fsync.
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off", "-c", "max_connections=300"])
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.dir.join("log")).map(Stdio::from).unwrap_or(Stdio::null()));
        as_owner(&mut postgres, self.owner);
        // SAFETY: only an async-signal-safe system call between fork and exec.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut postgres, || {
                rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::QUIT))
                    .map_err(std::io::Error::from)
            });
        }
        // The parent-death signal comes when the thread that started the child ends: this thread
        // waits for the cluster, so it ends when the cluster does or with the process.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || match postgres.spawn() {
            Ok(mut child) => {
                let _ = tx.send(Ok(child.id()));
                let _ = child.wait();
            }
            Err(e) => {
                let _ = tx.send(Err(e));
            }
        });
        let pid = rx.recv().unwrap().expect("start postgres");
        *self.pid.lock().unwrap() = Some(pid as i32);
        let start = Instant::now();
        loop {
            let url = self.url("postgres");
            let ready = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async { sqlx::PgConnection::connect(&url).await.map(|_| ()) })
            })
            .join()
            .unwrap();
            match ready {
                Ok(()) => return,
                Err(e) if start.elapsed() > Duration::from_secs(30) => {
                    let log = std::fs::read_to_string(self.dir.join("log")).unwrap_or_default();
                    panic!("PostgreSQL did not start: {e}\n{log}")
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Stops the cluster as an operator would (`pg_ctl stop -m fast`: connections are ended) and
    /// waits until it is gone.
    pub fn stop(&self) {
        let Some(pid) = self.pid.lock().unwrap().take() else { return };
        let Some(pid) = rustix::process::Pid::from_raw(pid) else { return };
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::INT);
        let start = Instant::now();
        // The thread that started it reaps it.
        while Path::new("/proc").join(pid.as_raw_nonzero().to_string()).exists() {
            assert!(start.elapsed() < Duration::from_secs(30), "PostgreSQL did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A new, empty database: its URL.
    pub async fn create_database(&self) -> String {
        let name = format!("t_{}", NEXT_DB.fetch_add(1, Ordering::Relaxed));
        let mut admin = sqlx::PgConnection::connect(&self.url("postgres")).await.expect("connect to PostgreSQL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create database");
        admin.close().await.ok();
        self.url(&name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.private {
            self.stop();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn as_owner(command: &mut Command, owner: Option<(u32, u32)>) {
    if let Some((uid, gid)) = owner {
        std::os::unix::process::CommandExt::uid(command, uid);
        std::os::unix::process::CommandExt::gid(command, gid);
    }
}
