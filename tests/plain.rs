//! The plain commands (`rasid login`, `people`, `balance`, `transactions`,
//! `logout`) and `rasid config`: the real binary, answering its prompts on
//! stdin, against a real server over HTTP; output checked against the API.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A home of its own: config, state (the session file) and locale.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    fn session_file(&self) -> PathBuf {
        self.dir.path().join("state").join("rasid").join("session.json")
    }

    fn config_file(&self) -> PathBuf {
        self.dir.path().join("config").join("rasid").join("config.toml")
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_rasid"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("LANG", "C.UTF-8")
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }
}

enum Answer {
    Text(&'static str),
    /// The answer to the image code the command just fetched, from the dev outbox.
    ImageCode,
    /// The SMS code the login just sent, from the dev outbox.
    SmsCode,
    /// Any other four digits.
    WrongSmsCode,
    /// Four digits that are not the image code just fetched.
    WrongImageCode,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs a plain command, answering each prompt when it appears on stderr.
async fn run(home: &Home, server: Option<&TestServer>, args: &[&str], answers: &[(&str, Answer)]) -> Run {
    let mut child = home.command(args).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let out_task = tokio::spawn(async move {
        let mut text = String::new();
        stdout.read_to_string(&mut text).await.unwrap();
        text
    });
    let mut err_text = String::new();
    let mut buf = [0u8; 4096];
    let mut seen = 0;
    for (prompt, answer) in answers {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !err_text[seen..].contains(prompt) {
            let n = tokio::time::timeout_at(deadline, stderr.read(&mut buf))
                .await
                .unwrap_or_else(|_| panic!("no prompt {prompt:?}; stderr so far:\n{err_text}"))
                .unwrap();
            assert!(n > 0, "the command ended before asking {prompt:?}:\n{err_text}");
            err_text.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        seen += err_text[seen..].find(prompt).map_or(0, |i| i + prompt.len());
        let line = match answer {
            Answer::Text(t) => t.to_string(),
            Answer::ImageCode => server.unwrap().outbox().await.captchas.last().unwrap().answer.clone(),
            Answer::SmsCode => server.unwrap().outbox().await.sms.last().unwrap().code.clone(),
            Answer::WrongSmsCode => {
                let right: u32 = server.unwrap().outbox().await.sms.last().unwrap().code.parse().unwrap();
                format!("{:04}", (right + 1) % 10_000)
            }
            Answer::WrongImageCode => {
                let right: u32 = server.unwrap().outbox().await.captchas.last().unwrap().answer.parse().unwrap();
                format!("{:04}", (right + 1) % 10_000)
            }
        };
        stdin.write_all(format!("{line}\n").as_bytes()).await.unwrap();
    }
    drop(stdin);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).await.unwrap();
    err_text.push_str(&rest);
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    Run { code: status.code().unwrap_or(-1), stdout: out_task.await.unwrap(), stderr: err_text }
}

async fn login(home: &Home, server: &TestServer, username: &'static str) -> Run {
    let url = server.url("");
    run(
        home,
        Some(server),
        &["login", "--server", &url],
        &[
            ("Username or ID number: ", Answer::Text(username)),
            ("Password: ", Answer::Text(common::PASSWORD)),
            ("Image code", Answer::ImageCode),
            ("SMS code: ", Answer::SmsCode),
        ],
    )
    .await
}

fn saved_token(home: &Home) -> String {
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(home.session_file()).unwrap()).unwrap();
    saved["token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_plain_session_matches_the_api() {
    let server = TestServer::start().await;
    let url = server.url("");
    let home = Home::new();

    let r = run(&home, None, &["people", "--server", &url], &[]).await;
    assert_eq!(r.code, 3, "not logged in yet: {}", r.stderr);
    assert!(r.stderr.contains("rasid login"), "{}", r.stderr);

    let r = login(&home, &server, "abdullah01").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Logged in as Abdullah"), "{}", r.stdout);
    assert!(r.stderr.contains('█') || r.stderr.contains('▀'), "the image code is drawn:\n{}", r.stderr);
    assert!(!r.stderr.contains(common::PASSWORD) && !r.stdout.contains(common::PASSWORD));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.session_file()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the token file is for its owner only");
    }
    let token = saved_token(&home);

    // people: JSON is the API's own answer.
    let r = run(&home, None, &["people", "--server", &url, "--format", "json"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    let (status, api) = server.get("/api/v1/me/people", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(printed, api);
    let people = api.as_array().unwrap();
    let dependant = people.iter().find(|p| p["relation"] != "self").unwrap()["id_number"].as_str().unwrap();

    let r = run(&home, None, &["people", "--server", &url], &[]).await;
    assert_eq!(r.code, 0);
    assert!(r.stdout.lines().next().unwrap().starts_with("ID or iqama number"), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), people.len() + 1);
    let r = run(&home, None, &["people", "--server", &url, "--lang", "ar"], &[]).await;
    assert!(r.stdout.contains("الصلة") && r.stdout.contains("عبدالله الحربي"), "Arabic table:\n{}", r.stdout);

    let r = run(&home, None, &["people", "--server", &url, "--format", "csv"], &[]).await;
    assert_eq!(r.stdout.lines().next(), Some("id_number,kind,relation,name_en,name_ar"));
    assert!(r.stdout.contains(&format!("{dependant},")), "{}", r.stdout);

    // balance: asks for the image code; the JSON sums match an inquiry through the API.
    let answers = [("Image code", Answer::ImageCode)];
    let r = run(&home, Some(&server), &["balance", "--server", &url, "--id", dependant, "--format", "json"], &answers)
        .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    let (_, api) = server.inquire(&token, dependant).await;
    assert_eq!(printed["balances"], api["balances"]);
    assert_eq!(printed["totals"], api["totals"]);
    assert!(printed["totals"]["available"].is_string(), "amounts are strings: {printed}");

    let r = run(&home, Some(&server), &["balance", "--server", &url, "--id", dependant], &answers).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("As of: ") && r.stdout.contains(" AH"), "Hijri and Gregorian:\n{}", r.stdout);
    let available = api["totals"]["available"].as_str().unwrap();
    let total_line = r.stdout.lines().find(|l| l.starts_with("Total")).unwrap();
    assert!(common::contains_number(total_line, &group(available)), "{total_line} vs {available}");

    // transactions: every row of the history, in each format.
    let (all, _) = server.all_transactions(&token, dependant, "limit=500").await;
    assert!(all.len() > 10);
    let r = run(&home, None, &["transactions", "--server", &url, "--id", dependant, "--format", "json"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut printed: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    for row in &mut printed {
        let hijri = row.as_object_mut().unwrap().remove("hijri_date").unwrap();
        assert!(hijri.as_str().unwrap().starts_with("14"), "a Hijri date: {row}");
    }
    assert_eq!(printed, all, "the API's rows, each with its Hijri date");

    let r = run(&home, None, &["transactions", "--server", &url, "--id", dependant, "--format", "csv"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (header, rows) = parse_csv(&r.stdout);
    let columns =
        "id,date,hijri_date,sector,service_code,service_en,service_ar,kind,amount,beneficiary_id,reference,status";
    assert_eq!(header.join(","), columns);
    assert_eq!(rows.len(), all.len());
    for (row, tx) in rows.iter().zip(&all) {
        let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].as_str();
        assert_eq!(cell("id"), tx["id"].to_string(), "{row:?}");
        for field in [
            "date",
            "sector",
            "service_code",
            "service_en",
            "service_ar",
            "kind",
            "beneficiary_id",
            "reference",
            "status",
        ] {
            assert_eq!(cell(field), tx[field].as_str().unwrap(), "{field} of {row:?}");
        }
        // A sign may say which way the money went; the figure is the API's.
        assert_eq!(cell("amount").trim_start_matches(['-', '+']), tx["amount"].as_str().unwrap(), "{row:?}");
        let day = chrono::NaiveDate::parse_from_str(cell("date"), "%Y-%m-%d").unwrap();
        assert_eq!(cell("hijri_date"), rasid::domain::HijriDate::from_gregorian(day).unwrap().to_string());
    }

    let filter = ["transactions", "--server", &url, "--id", dependant, "--sector", "passports", "--format", "json"];
    let r = run(&home, None, &filter, &[]).await;
    let printed: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let passports: Vec<&Value> = all.iter().filter(|t| t["sector"] == "passports").collect();
    assert_eq!(
        printed.iter().map(|t| &t["id"]).collect::<Vec<_>>(),
        passports.iter().map(|t| &t["id"]).collect::<Vec<_>>()
    );

    let r = run(&home, None, &["transactions", "--server", &url, "--id", dependant, "--from", "2026-01-01"], &[]).await;
    let rows: Vec<&str> = r.stdout.lines().skip(1).collect();
    let expected = all.iter().filter(|t| t["date"].as_str().unwrap() >= "2026-01-01").count();
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|l| l[..10] >= *"2026-01-01"), "{}", r.stdout);

    let r = run(&home, None, &["transactions", "--server", &url, "--id", dependant, "--format", "hledger"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut entries = journal_entries(&r.stdout);
    let mut expected: Vec<JournalEntry> = all
        .iter()
        .map(|t| JournalEntry {
            date: t["date"].as_str().unwrap().to_owned(),
            code: t["reference"].as_str().unwrap().to_owned(),
            amount: t["amount"].as_str().unwrap().to_owned(),
            accounts: match t["kind"].as_str().unwrap() {
                "payment" => vec![format!("assets:absher:{}", t["sector"].as_str().unwrap()), "assets:bank".into()],
                "usage" => vec![
                    format!("expenses:government:{}", t["sector"].as_str().unwrap()),
                    format!("assets:absher:{}", t["sector"].as_str().unwrap()),
                ],
                _ => vec!["assets:bank".into(), format!("assets:absher:{}", t["sector"].as_str().unwrap())],
            },
        })
        .collect();
    entries.sort();
    expected.sort();
    assert_eq!(entries, expected, "one journal entry per transaction, with its date, reference, amount and accounts");

    // Not mine: 4. Not an ID: 2. Usage: 2.
    let stranger = rasid::domain::IdNumber::from_serial(rasid::domain::PersonKind::Citizen, 424_242);
    let r = run(&home, None, &["transactions", "--server", &url, "--id", stranger.as_str()], &[]).await;
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let r = run(&home, None, &["transactions", "--server", &url, "--id", "1234567890"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--id 1234567890: "), "the flag named with its value: {}", r.stderr);
    let r = run(&home, None, &["transactions", "--server", &url], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&home, None, &["transactions", "--server", &url, "--id", dependant, "--sector", "boats"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);

    // The server ends the session after 10 idle minutes: 3, and the file goes.
    server.clock.advance(11 * 60);
    let r = run(&home, None, &["people", "--server", &url], &[]).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!home.session_file().exists());

    // Log in again and out: the token no longer works.
    assert_eq!(login(&home, &server, "abdullah01").await.code, 0);
    let token = saved_token(&home);
    // The token goes only to the server it came from, and stays until that server lets it go.
    let r = run(&home, None, &["logout", "--server", "http://127.0.0.1:1"], &[]).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(home.session_file().exists());
    let r = run(&home, None, &["logout", "--server", &url], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!home.session_file().exists());
    let (status, _) = server.get("/api/v1/me/people", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_replaces_a_linked_session_file_and_leaves_its_target_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
    let server = TestServer::start().await;
    let home = Home::new();
    let victim = home.dir.path().join("notes.txt");
    std::fs::write(&victim, "mine").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let state = home.session_file().parent().unwrap().to_owned();
    std::fs::create_dir_all(&state).unwrap();
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(&victim, home.session_file()).unwrap();

    let r = login(&home, &server, "abdullah01").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Compared, not printed: on failure the file would hold the token.
    assert!(std::fs::read_to_string(&victim).unwrap() == "mine", "the link's target was written");
    assert_eq!(mode(&victim), 0o644, "the link's target was chmodded");
    assert!(
        std::fs::symlink_metadata(home.session_file()).unwrap().is_file(),
        "the link is replaced by the token file"
    );
    assert_eq!(mode(&home.session_file()), 0o600);
    assert_eq!(mode(&state), 0o700, "the token's directory is its owner's only");
    let url = server.url("");
    let r = run(&home, None, &["people", "--server", &url], &[]).await;
    assert_eq!(r.code, 0, "the saved session works: {}", r.stderr);
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct JournalEntry {
    date: String,
    /// The transaction code, between parentheses after the date.
    code: String,
    /// The amount moved, without sign, grouping or commodity.
    amount: String,
    /// Account names, in the order posted.
    accounts: Vec<String>,
}

/// The entries of an hledger journal: a line that starts with a date, then its indented postings.
/// Directives and comments between them are skipped.
fn journal_entries(text: &str) -> Vec<JournalEntry> {
    let mut entries: Vec<JournalEntry> = vec![];
    let mut in_entry = false;
    for line in text.lines() {
        let starts_with_date = line.len() > 10 && chrono::NaiveDate::parse_from_str(&line[..10], "%Y-%m-%d").is_ok();
        if starts_with_date {
            let code = line.split_once('(').and_then(|(_, rest)| rest.split_once(')')).map(|(c, _)| c.to_owned());
            entries.push(JournalEntry {
                date: line[..10].to_owned(),
                code: code.unwrap_or_else(|| panic!("no code: {line}")),
                amount: String::new(),
                accounts: vec![],
            });
            in_entry = true;
        } else if in_entry && line.starts_with([' ', '\t']) && !line.trim().is_empty() && !line.trim().starts_with(';')
        {
            let entry = entries.last_mut().unwrap();
            let posting = line.trim().split(';').next().unwrap().trim();
            let (account, amount) = posting.split_once("  ").unwrap_or((posting, ""));
            entry.accounts.push(account.to_owned());
            let figure: String = amount.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            if entry.amount.is_empty() {
                entry.amount = figure;
            } else if !figure.is_empty() {
                assert_eq!(figure, entry.amount, "the postings of an entry move one amount: {line}");
            }
        } else {
            in_entry = false;
        }
    }
    entries
}

/// A CSV document's header and rows, read by the csv crate as a spreadsheet would.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

fn group(plain: &str) -> String {
    let money: rasid::domain::Money = plain.parse().unwrap();
    money.to_grouped()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_answers_and_missing_servers_have_their_exit_codes() {
    let server = TestServer::start().await;
    let url = server.url("");
    let home = Home::new();
    let r = run(
        &home,
        Some(&server),
        &["login", "--server", &url, "--username", "abdullah01"],
        &[("Password: ", Answer::Text("wrong-password")), ("Image code", Answer::ImageCode)],
    )
    .await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("Wrong username or password."), "{}", r.stderr);
    assert!(!home.session_file().exists());

    // A misread image code gets a new picture, a mistyped SMS code another try; the login goes on.
    let r = run(
        &home,
        Some(&server),
        &["login", "--server", &url, "--username", "rahul2026"],
        &[
            ("Password: ", Answer::Text(common::PASSWORD)),
            ("Image code", Answer::Text("zz")),
            ("Image code", Answer::ImageCode),
            ("SMS code: ", Answer::WrongSmsCode),
            ("SMS code: ", Answer::SmsCode),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("image code is wrong"), "{}", r.stderr);
    assert!(r.stderr.contains("Wrong code. 2 tries left."), "{}", r.stderr);

    // An image code misread every time is an authentication failure (3), not a usage error (2).
    let wrong = [
        ("Image code", Answer::WrongImageCode),
        ("Image code", Answer::WrongImageCode),
        ("Image code", Answer::WrongImageCode),
    ];
    let r = run(&home, Some(&server), &["balance", "--server", &url, "--id", "2717236737"], &wrong).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);

    // A day that is not YYYY-MM-DD is a usage error before anything is sent.
    for day in ["2025/01/01", "25-01-01", "2025-02-30"] {
        let r = run(&home, None, &["transactions", "--server", &url, "--id", "2495059764", "--from", day], &[]).await;
        assert_eq!(r.code, 2, "{day}: {}", r.stderr);
        assert!(r.stderr.contains("YYYY-MM-DD"), "{}", r.stderr);
    }
    let r = run(&home, None, &["people", "--server", "ftp://example.sa"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);

    // Nothing listens on port 1.
    let r = run(
        &home,
        None,
        &["login", "--server", "http://127.0.0.1:1", "--username", "x"],
        &[("Password: ", Answer::Text("x"))],
    )
    .await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("cannot be reached"), "{}", r.stderr);

    let r = run(&home, None, &["people"], &[]).await;
    assert_eq!(r.code, 2, "no server named: {}", r.stderr);
    assert!(r.stderr.contains("--server"), "{}", r.stderr);
}

fn config_run(home: &Home, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rasid"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home.dir.path())
        .env("XDG_CONFIG_HOME", home.dir.path().join("config"))
        .env("XDG_STATE_HOME", home.dir.path().join("state"))
        .env("LANG", "C.UTF-8");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn setting<'a>(report: &'a str, key: &str) -> &'a str {
    report.lines().find(|l| l.split_whitespace().next() == Some(key)).unwrap_or_else(|| panic!("{key}: {report}"))
}

fn write_config(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn rasid_config_shows_each_value_and_where_it_came_from() {
    let home = Home::new();
    let path = home.config_file();
    write_config(&path, "theme = \"light\"\ntimeout = 30\nlang = \"ar\"\nserver = \"https://rasid.example.sa\"\n");
    let out = config_run(&home, &["config", "--lang", "en"], &[("RASID_TIMEOUT", "20")]);
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.starts_with(&format!("config file: {}\n", path.display())), "{report}");
    assert!(setting(&report, "lang").ends_with("command line"), "{report}");
    assert!(setting(&report, "timeout").contains("20") && setting(&report, "timeout").ends_with("RASID_TIMEOUT"));
    assert!(setting(&report, "theme").contains("light") && setting(&report, "theme").ends_with("line 1"));
    assert!(setting(&report, "server").contains("https://rasid.example.sa"));
    assert!(setting(&report, "bidi").ends_with("default"));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));

    // A broken file: named by line and key, and the defaults are used.
    write_config(&path, "theme = \"light\"\ntimeout = 30s\n");
    let out = config_run(&home, &["config"], &[]);
    assert!(out.status.success(), "a broken file does not stop rasid");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("config.toml: line 2, key `timeout`"), "{stderr}");
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(setting(&report, "theme").contains("dark"), "{report}");
}

/// The lines a person reads on stderr, without the image code's picture.
fn words(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| !l.chars().all(|c| matches!(c, ' ' | '▀' | '▄' | '█'))).collect()
}

fn has_arabic(line: &str) -> bool {
    line.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_and_balance_speak_arabic_in_every_prompt_and_error_and_print_no_joiner() {
    let server = TestServer::start().await;
    let url = server.url("");
    let home = Home::new();
    let arabic_only = |r: &Run| {
        for line in words(&r.stderr) {
            assert!(has_arabic(line), "a line in another language: {line:?}\n{}", r.stderr);
        }
        // The joiner is the full-screen layout's: a file or a screen reader gets the letters as written.
        assert!(!r.stdout.contains('\u{200D}') && !r.stderr.contains('\u{200D}'), "{r:?}", r = (&r.stdout, &r.stderr));
    };

    let r = run(&home, None, &["people", "--server", &url, "--lang", "ar"], &[]).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    arabic_only(&r);
    let r = run(&home, None, &["balance", "--server", &url, "--lang", "ar", "--id", "1234567890"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("1234567890"), "{}", r.stderr);
    arabic_only(&r);

    assert_eq!(login(&home, &server, "abdullah01").await.code, 0);
    let r = run(&home, None, &["people", "--server", &url, "--lang", "ar"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("رقم الهوية أو الإقامة"), "{}", r.stdout);
    assert!(r.stdout.contains("ماريا سانتوس"), "{}", r.stdout);
    arabic_only(&r);

    // Scripts read JSON and CSV whatever the language: the API's own codes, English headers.
    let token = saved_token(&home);
    let (_, api) = server.get("/api/v1/me/people", Some(&token)).await;
    let r = run(&home, None, &["people", "--server", &url, "--lang", "ar", "--format", "json"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(serde_json::from_str::<Value>(&r.stdout).unwrap(), api);
    let r = run(&home, None, &["people", "--server", &url, "--lang", "ar", "--format", "csv"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (header, rows) = parse_csv(&r.stdout);
    assert_eq!(header, ["id_number", "kind", "relation", "name_en", "name_ar"]);
    let expected: Vec<Vec<String>> = api
        .as_array()
        .unwrap()
        .iter()
        .map(|p| header.iter().map(|h| p[h.as_str()].as_str().unwrap().to_owned()).collect())
        .collect();
    assert_eq!(rows, expected);

    // The image code misread three times: each prompt and each refusal in Arabic.
    let prompt = "رمز الصورة (الأرقام أعلاه): ";
    let wrong = [(prompt, Answer::Text("zz")), (prompt, Answer::Text("zz")), (prompt, Answer::Text("zz"))];
    let balance = ["balance", "--server", &url, "--lang", "ar", "--id", "1271497099"];
    let r = run(&home, Some(&server), &balance, &wrong).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stderr.matches(prompt).count(), 3, "{}", r.stderr);
    arabic_only(&r);

    let r = run(&home, Some(&server), &balance, &[(prompt, Answer::ImageCode)]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("نورة الحربي") && r.stdout.contains("الإجمالي"), "{}", r.stdout);
    arabic_only(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_everywhere_ends_the_sessions_of_every_device() {
    let server = TestServer::start().await;
    let url = server.url("");
    let (laptop, phone) = (Home::new(), Home::new());
    assert_eq!(login(&laptop, &server, "rahul2026").await.code, 0);
    assert_eq!(login(&phone, &server, "rahul2026").await.code, 0);
    let other = server.token("abdullah01").await;

    let r = run(&laptop, None, &["logout", "--server", &url, "--everywhere"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Logged out on every device."), "{}", r.stdout);
    assert!(!laptop.session_file().exists());
    let r = run(&phone, None, &["people", "--server", &url], &[]).await;
    assert_eq!(r.code, 3, "the phone's session ended too: {}", r.stderr);
    assert_eq!(
        server.get("/api/v1/me/people", Some(&other)).await.0,
        reqwest::StatusCode::OK,
        "another account's is kept"
    );
}

/// A logout the server cannot be told of keeps the token, so it can be tried again, and says so
/// (where the token is, and that deleting it forgets it here only).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_with_the_server_down_says_the_session_is_still_open_and_where_the_token_is() {
    let server = TestServer::start().await;
    let url = server.url("");
    let home = Home::new();
    assert_eq!(login(&home, &server, "rahul2026").await.code, 0);
    drop(server);
    for (lang, says) in [("en", "still open there"), ("ar", "ما زالت مفتوحة")] {
        let r = run(&home, None, &["logout", "--server", &url, "--lang", lang], &[]).await;
        assert_eq!(r.code, 5, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
        assert!(r.stderr.contains(&home.session_file().display().to_string()), "{}", r.stderr);
        assert!(home.session_file().exists(), "kept for the next try");
    }
}

/// The journal as strict checks read it (`hledger check -s ordereddates payees`,
/// `ledger --pedantic`; .ci/run runs both tools): entries in date order whatever
/// the sort, and every account, payee and commodity an entry names declared first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_declares_what_it_names_and_a_csv_sums_to_the_balance() {
    let server = TestServer::start().await;
    let url = server.url("");
    let home = Home::new();
    assert_eq!(login(&home, &server, "abdullah01").await.code, 0);
    let token = saved_token(&home);
    let (_, people) = server.get("/api/v1/me/people", Some(&token)).await;
    let dependant = people.as_array().unwrap().iter().find(|p| p["relation"] != "self").unwrap()["id_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let (all, _) = server.all_transactions(&token, &dependant, "limit=500").await;

    let r = run(&home, None, &["transactions", "--server", &url, "--id", &dependant, "--format", "hledger"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let declared = |directive: &str| -> Vec<&str> {
        r.stdout.lines().filter_map(|l| l.strip_prefix(directive)).map(str::trim).collect()
    };
    let (accounts, payees) = (declared("account "), declared("payee "));
    assert_eq!(declared("commodity "), ["SAR"]);
    let mut dates = vec![];
    for line in r.stdout.lines() {
        if dates.is_empty() && line.starts_with("    ") {
            continue; // the commodity's format
        }
        if line.starts_with(|c: char| c.is_ascii_digit()) {
            dates.push(&line[..10]);
            let payee = line.split_once(") ").unwrap().1.split(" | ").next().unwrap();
            assert!(payees.contains(&payee), "payee {payee:?} not declared: {payees:?}");
        } else if let Some(posting) = line.strip_prefix("    ") {
            let account = posting.split("  ").next().unwrap();
            assert!(accounts.contains(&account), "account {account:?} not declared: {accounts:?}");
            if let Some((_, amount)) = posting.split_once("  ") {
                assert!(amount.trim().ends_with(" SAR"), "{posting}");
            }
        }
    }
    assert_eq!(dates.len(), all.len(), "one entry per transaction");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "entries out of date order: {dates:?}");
    assert_ne!(dates.first(), dates.last(), "a history of one day proves no order");

    // The CSV amount column sums to what is available: payments add, uses and refunds take away.
    let r = run(&home, None, &["transactions", "--server", &url, "--id", &dependant, "--format", "csv"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let halalas = |text: &str| -> i64 {
        let (whole, cents) = text.trim_start_matches('-').split_once('.').unwrap();
        let value = whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
        if text.starts_with('-') { -value } else { value }
    };
    // Counted from the right: the service names before it may hold quoted commas.
    let sum: i64 = r.stdout.lines().skip(1).map(|l| halalas(l.rsplit(',').nth(3).unwrap())).sum();
    let (_, report) = server.inquire(&token, &dependant).await;
    assert_eq!(sum, halalas(report["totals"]["available"].as_str().unwrap()), "{}", r.stdout);
}

/// Every worker's row of the API's report, following its pages.
async fn api_workers(server: &TestServer, token: &str, query: &str) -> (Vec<Value>, Value) {
    let mut items = vec![];
    let mut path = format!("/api/v1/establishment/workers?limit=5&{query}");
    loop {
        let (status, body) = server.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        items.extend(body["items"].as_array().unwrap().iter().cloned());
        match body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/establishment/workers?limit=5&{query}&cursor={c}"),
            None => return (items, body["sums"].clone()),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_establishment_reports_match_the_api_in_every_format_and_both_languages() {
    let server = TestServer::start().await;
    let url = server.url("");
    let home = Home::new();
    assert_eq!(login(&home, &server, "fahadest01").await.code, 0);
    let token = saved_token(&home);

    // JSON: every worker once, in the server's order, with the sums over all of them.
    let r = run(&home, None, &["workers", "--server", &url, "--format", "json"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: Value = serde_json::from_str(&r.stdout).unwrap();
    let (api, sums) = api_workers(&server, &token, "").await;
    assert_eq!(json["items"].as_array().unwrap(), &api);
    assert_eq!(json["sums"], sums);
    assert_eq!(json["total_count"], api.len());

    // CSV of the refund candidates by name: English codes, exact amounts, nobody with nothing held.
    let r = run(
        &home,
        None,
        &["workers", "--server", &url, "--has-available", "--sort", "name", "--format", "csv", "--lang", "ar"],
        &[],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (head, rows) = parse_csv(&r.stdout);
    assert_eq!(head[0], "id_number");
    assert_eq!(head[12], "available");
    let (held, _) = api_workers(&server, &token, "has_available=true&sort=name").await;
    assert!(!held.is_empty() && held.len() < api.len(), "some workers hold money, some do not");
    let csv_ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let api_ids: Vec<&str> = held.iter().map(|w| w["id_number"].as_str().unwrap()).collect();
    assert_eq!(csv_ids, api_ids);
    for (row, w) in rows.iter().zip(&held) {
        assert_eq!(row[3], "resident");
        assert_eq!(row[12], w["totals"]["available"].as_str().unwrap());
        assert_ne!(row[12], "0.00");
    }

    // The table in Arabic names the worker in Arabic and ends with the sums.
    let one = &api[0];
    let q = one["name_en"].as_str().unwrap();
    let r = run(&home, None, &["workers", "--server", &url, "--q", q, "--lang", "ar"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(one["name_ar"].as_str().unwrap()), "{}", r.stdout);
    assert!(r.stdout.lines().last().unwrap().starts_with("الإجمالي"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{200D}'), "no joiner outside the app");

    // Renewals within 30 days: as many as the API's, soonest first, the fee and whether it is covered.
    let r = run(&home, None, &["renewals", "--server", &url, "--within-days", "30", "--format", "csv"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (head, rows) = parse_csv(&r.stdout);
    assert_eq!(
        head,
        [
            "id_number",
            "name_en",
            "name_ar",
            "document",
            "expires_on",
            "expires_on_hijri",
            "days_left",
            "fee",
            "sector",
            "available_in_sector",
            "covered"
        ]
    );
    let (_, page) = server.get("/api/v1/establishment/renewals?within_days=30&limit=500", Some(&token)).await;
    assert_eq!(rows.len() as u64, page["total_count"].as_u64().unwrap());
    assert!(!rows.is_empty());
    let days: Vec<i64> = rows.iter().map(|r| r[6].parse().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]) && days.iter().all(|d| *d <= 30), "{days:?}");
    assert!(days.iter().any(|d| *d < 0), "expired documents are listed too");
    let r = run(&home, None, &["renewals", "--server", &url, "--within-days", "30", "--lang", "ar"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("انتهت منذ"), "an expired document says so in Arabic: {}", r.stdout);
    assert!(r.stdout.starts_with("تاريخ الانتهاء"), "{}", r.stdout);

    // A worker's documents, as the API has them.
    let id = one["id_number"].as_str().unwrap();
    let r = run(&home, None, &["documents", "--server", &url, "--id", id, "--format", "json"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, docs) = server.get(&format!("/api/v1/people/{id}/documents"), Some(&token)).await;
    assert_eq!(serde_json::from_str::<Value>(&r.stdout).unwrap(), docs);
    let r = run(&home, None, &["documents", "--server", &url, "--id", id], &[]).await;
    assert!(
        r.stdout.contains("Iqama") && r.stdout.contains(docs[0]["expires_on_hijri"].as_str().unwrap()),
        "{}",
        r.stdout
    );

    // Exit codes as the other commands have them.
    let r = run(&home, None, &["renewals", "--server", &url, "--within-days", "400"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&home, None, &["documents", "--server", &url, "--id", "1000000000"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&home, None, &["documents", "--server", &url, "--id", "1058529940"], &[]).await;
    assert_eq!(r.code, 4, "not one of his people: {}", r.stderr);
    let r = run(&home, None, &["workers", "--server", "http://127.0.0.1:1"], &[]).await;
    assert_eq!(r.code, 3, "the session is for another server: {}", r.stderr);
    let other = Home::new();
    let r = run(&other, None, &["workers", "--server", &url], &[]).await;
    assert_eq!(r.code, 3, "not logged in: {}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(login(&other, &server, "abdullah01").await.code, 0);
    for args in [["workers", "--server", &url], ["renewals", "--server", &url]] {
        let r = run(&other, None, &args, &[]).await;
        assert_eq!(r.code, 4, "a user with no workers: {}", r.stderr);
        assert!(r.stderr.contains("this account has no workers"), "{}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        let r = run(&other, None, &[args[0], args[1], args[2], "--lang", "ar"], &[]).await;
        assert_eq!(r.code, 4);
        assert!(r.stderr.contains("لا عمّال لهذا الحساب"), "{}", r.stderr);
    }
    drop(server);
    let r = run(&home, None, &["workers", "--server", &url], &[]).await;
    assert_eq!(r.code, 5, "server down: {}", r.stderr);
}

/// A text search the server refuses as too broad: the command says how to narrow it with its own
/// flags, in the chosen language, not with the API's parameters in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_refused_as_too_broad_names_the_flags_that_narrow_it() {
    let server =
        TestServer::start_with(common::Options { workers: 40, scan_limit: 1000, ..common::Options::default() }).await;
    let url = server.url("");
    let home = Home::new();
    assert_eq!(login(&home, &server, "fahadest01").await.code, 0);
    for lang in ["en", "ar"] {
        let args = ["--lang", lang, "transactions", "--server", &url, "--id", "1400949291", "--q", "SADAD"];
        let r = run(&home, None, &args, &[]).await;
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(r.stderr.contains("--from") && r.stderr.contains("--sector"), "{}", r.stderr);
        assert!(!r.stderr.contains("from=") && !r.stderr.contains("`sector`"), "no API parameter: {}", r.stderr);
        if lang == "ar" {
            assert!(has_arabic(&r.stderr) && !r.stderr.contains("Text search"), "{}", r.stderr);
        }
    }
    // Narrowed as it says, the search runs.
    let args = ["transactions", "--server", &url, "--id", "1400949291", "--q", "SADAD", "--from", "2026-06-01"];
    let r = run(&home, None, &args, &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().count() > 1, "{}", r.stdout);
}

/// A command line clap refuses is said in Arabic when Arabic is asked for (on the line, or by the
/// settings), naming the flag or the value, with exit status 2 (before: clap's English whatever
/// the language). In English clap's own words stay; help is printed as asked.
#[test]
fn a_refused_command_line_is_said_in_the_language_asked_for() {
    let home = Home::new();
    let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let out = config_run(&home, &["--lang", "ar", "people", "--bogus"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let ar = said(&out);
    assert!(ar.contains("الخيار") && ar.contains("--bogus") && ar.contains("غير معروف"), "{ar}");
    assert!(ar.contains("rasid --help") && !ar.contains("unexpected argument"), "{ar}");

    let out = config_run(&home, &["people", "--timeout", "0"], &[("RASID_LANG", "ar")]);
    assert_eq!(out.status.code(), Some(2));
    let ar = said(&out);
    assert!(ar.contains("القيمة") && ar.contains("0") && ar.contains("--timeout"), "{ar}");
    assert!(ar.contains("عددًا صحيحًا من 1 إلى 600"), "rasid's own reason, in Arabic: {ar}");
    let out = config_run(&home, &["people", "--timeout", "0"], &[]);
    assert!(said(&out).contains("expected a whole number from 1 to 600, found `0`"), "{}", said(&out));

    // The reasons of rasid's own value parsers, each in Arabic.
    for (args, reason) in [
        (&["people", "--server", "ftp://x.sa"][..], "يلزم عنوان يبدأ بـ"),
        (&["people", "--server", "https://u:p@x.sa"], "فيه اسم مستخدم أو كلمة مرور"),
        (&["transactions", "--id", "1057830869", "--from", "2025-13-01"], "يقبل يومًا موجودًا في التقويم"),
        (&["transactions", "--id", "1057830869", "--from", "2025-02-30"], "يقبل يومًا موجودًا في التقويم"),
        (&["renewals", "--within-days", "400"], "عددًا صحيحًا من 1 إلى 366"),
    ] {
        let out = config_run(&home, &[&["--lang", "ar"], args].concat(), &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let ar = said(&out);
        assert!(ar.contains(reason) && ar.contains(args[args.len() - 1]), "{args:?}: {ar}");
    }

    let out = config_run(&home, &["--lang=ar", "--theme", "neon"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let ar = said(&out);
    assert!(
        ar.contains("neon") && ar.contains("--theme") && ar.contains("يقبل") && ar.contains("high-contrast"),
        "{ar}"
    );

    // A range that ends before it starts is said before any server is asked, in the language asked for.
    let backwards = ["--server", "http://127.0.0.1:9", "transactions", "--id", "1057830869"];
    let backwards = [&backwards[..], &["--from", "2026-01-01", "--to", "2025-01-01"]].concat();
    let out = config_run(&home, &[&["--lang", "ar"], &backwards[..]].concat(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let ar = said(&out);
    assert!(ar.contains("لا يوم بينهما") && ar.contains("2026-01-01") && !ar.contains("is after"), "{ar}");
    let out = config_run(&home, &backwards, &[]);
    assert!(said(&out).contains("--from (2026-01-01) is after --to (2025-01-01)"), "{}", said(&out));

    let out = config_run(&home, &["--lang", "ar", "peple"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let ar = said(&out);
    assert!(ar.contains("peple") && ar.contains("هل تقصد") && ar.contains("people"), "{ar}");

    let out = config_run(&home, &["people", "--bogus"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let en = said(&out);
    assert!(en.contains("unexpected argument '--bogus'") && !en.contains("الخيار"), "{en}");

    let out = config_run(&home, &["--lang", "ar", "--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}
