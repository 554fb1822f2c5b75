//! The whole app: the real binary in a pseudo-terminal against a real server.

mod common;

use std::time::Duration;

use common::TestServer;
use common::pty::{CTRL_C, DOWN, ENTER, Pty, TAB};
use rasid::domain::Money;
use rasid::server::seed::NOURA;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

fn money(v: &Value) -> String {
    Money::parse(v.as_str().unwrap()).unwrap().to_grouped()
}

#[test]
fn log_in_inquire_for_a_dependant_and_see_what_the_api_says() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    let url = server.server.url();
    let mut app = Pty::spawn(&["--server", &url, "--image", "halfblocks", "--lang", "en"], 120, 40);

    app.wait_for("Log in to My Services", WAIT);
    app.wait_until("the image code", WAIT, |s| !s.contains("Loading the image code"));
    let (_, code) = log_in_as_abdullah(&mut app, &rt, &server, "A 4-digit code was sent by SMS to 05******01");

    app.wait_for("Query Available Funds", WAIT);
    app.wait_for("Abdullah Al-Harbi", WAIT);
    let seen = rt.block_on(server.captchas_issued());
    app.send(ENTER);
    app.wait_for("ID or iqama number", WAIT);
    app.wait_until("a new image code", WAIT, |s| !s.contains("Loading the image code"));
    let answer = rt.block_on(server.captcha_after(seen));
    app.type_text(NOURA);
    app.wait_for("Valid: citizen", WAIT);
    app.send(TAB);
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for("As of:", WAIT);
    // A frame is written top to bottom: once the totals row is there, the rows above it are too.
    let screen = app.wait_for("│Total", WAIT);
    assert!(screen.contains("Noura Al-Harbi  1271497099  ·  Citizen"), "{screen}");

    // What the API says for the same person, asked separately.
    let token = rt.block_on(server.token("abdullah01"));
    let (_, report) = rt.block_on(server.inquire(&token, NOURA));
    for b in report["balances"].as_array().unwrap() {
        let sector = rasid::domain::Sector::parse(b["sector"].as_str().unwrap()).unwrap();
        let title = rasid::present::format::sector(rasid::config::Lang::En, sector);
        let title = title.as_str();
        let line = screen.lines().find(|l| l.contains(title)).unwrap_or_else(|| panic!("{title} row:\n{screen}"));
        let line = line.replace('│', " ");
        let shown: Vec<&str> = line
            .split_whitespace()
            .filter(|w| w.contains('.') && w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .collect();
        let expected = [money(&b["paid"]), money(&b["used"]), money(&b["refunded"]), money(&b["available"])];
        assert_eq!(shown, expected, "{title}: {line}");
    }
    let total = screen.lines().find(|l| l.contains("│Total")).unwrap();
    assert!(total.contains(&money(&report["totals"]["available"])), "{total}");

    let (_, page) = rt.block_on(server.get(&format!("/api/v1/people/{NOURA}/transactions?limit=5"), Some(&token)));
    app.wait_for("Transactions · Sort: Date ↓", WAIT);
    // The footer under the table comes last in its frame.
    let screen = app.wait_for("1 of ", WAIT);
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with(" │20")).collect();
    assert!(rows.len() >= 5, "{screen}");
    for (row, tx) in rows.iter().zip(page["items"].as_array().unwrap()) {
        assert!(row.contains(tx["date"].as_str().unwrap()), "{row} vs {tx}");
        let sign = if tx["kind"] == "payment" { "+" } else { "-" };
        assert!(row.contains(&format!("{sign}{}", money(&tx["amount"]))), "{row} vs {tx}");
        assert!(row.contains(tx["service_en"].as_str().unwrap().get(..20).unwrap()), "{row} vs {tx}");
    }

    // The detail popup, then the pick list on the way back, then quit.
    app.send(DOWN);
    app.send(ENTER);
    app.wait_for("Reference: SADAD-", WAIT);
    app.send("\x1b");
    app.send(CTRL_C);
    let status = app.wait_exit(WAIT).expect("rasid exits on Ctrl-C");
    assert!(status.success(), "{status:?}");
    let raw = app.raw_text();
    assert!(raw.contains("\x1b[?1049l"), "the alternate screen is left");
    assert!(!raw.contains(common::PASSWORD), "the password never reaches the terminal");

    // The app's log after a whole session: written, and free of secrets.
    let log_dir = app.home().join("state").join("rasid");
    let log: String = std::fs::read_dir(&log_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", log_dir.display()))
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    assert!(!log.is_empty(), "the app logged something");
    assert!(!log.contains(common::PASSWORD), "the password is in the app's log");
    for number in [answer.as_str(), code.as_str()] {
        assert!(!common::contains_number(&log, number), "{number:?} is in the app's log:\n{log}");
    }
}

#[test]
fn a_server_that_is_not_running_gets_a_clear_message_and_no_panic() {
    // A port nothing listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let mut app = Pty::spawn(&["--server", &url, "--image", "halfblocks"], 100, 30);
    let screen = app.wait_for("The server cannot be reached", WAIT);
    app.wait_for("No image code. Ctrl-R asks for one again.", WAIT);
    assert!(!screen.contains("Loading the image code"), "{screen}");
    app.send("\x12");
    app.wait_for("The server cannot be reached", WAIT);
    app.send(CTRL_C);
    let status = app.wait_exit(WAIT).expect("exits");
    assert!(status.success());
    assert!(!app.raw_text().contains("panicked"));
}

#[test]
fn the_embedded_demo_starts_with_no_setup() {
    let mut app = Pty::spawn(&["--image", "halfblocks", "--lang", "en"], 100, 30);
    let screen = app.wait_for("Demo accounts", WAIT);
    assert!(screen.contains("abdullah01  1057830869"));
    // A click on the password field moves the cursor into it.
    let label = screen.lines().position(|l| l.contains("┌Password")).unwrap() as u16;
    let username = screen.lines().position(|l| l.contains("┌Username")).unwrap() as u16;
    app.wait_until("the cursor in the username field first", WAIT, |_| app.cursor().0 == username + 1);
    app.click(10, label + 1);
    app.wait_until("the cursor in the password field", WAIT, |_| app.cursor().0 == label + 1);
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
    let raw = app.raw_text();
    assert!(raw.contains("\x1b[?1000h"), "the mouse is taken");
    assert!(raw.contains("\x1b[?1000l"), "and given back on exit");
}

#[test]
fn a_broken_config_file_is_named_and_the_app_starts_anyway() {
    let config = "lang = \"ar\"\ntheme = \"sepia\"\nmouse = false\n";
    let mut app = Pty::spawn_with_config(config, &["--image", "halfblocks", "--lang", "en"], 120, 30);
    // Waited for, not read off the first screen seen: a frame can be caught half written.
    let screen = app.wait_for("line 2, key `theme`", WAIT);
    assert!(screen.contains("Demo accounts"), "the app started anyway:\n{screen}");
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
    assert!(!app.raw_text().contains("\x1b[?1000h"), "the file's other keys still count: mouse = false");
}

#[test]
fn no_mouse_leaves_the_mouse_to_the_terminal() {
    let mut app = Pty::spawn(&["--image", "halfblocks", "--lang", "en", "--no-mouse"], 100, 30);
    app.wait_for("Demo accounts", WAIT);
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
    assert!(!app.raw_text().contains("\x1b[?1000h"), "no mouse reporting asked for");
}

/// `cargo install --path .` into a temporary root, started from an empty
/// directory: translations, migrations and demo data come from the binary.
#[test]
fn the_installed_binary_reaches_login_from_any_directory() {
    let root = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["install", "--quiet", "--offline", "--locked", "--debug", "--path", env!("CARGO_MANIFEST_DIR")])
        .arg("--root")
        .arg(root.path())
        .status()
        .expect("run cargo install");
    assert!(status.success(), "cargo install failed");
    let installed = root.path().join("bin").join("rasid");
    let mut app = Pty::spawn_program(&installed, &["--image", "halfblocks", "--lang", "ar"], 100, 30);
    assert!(!app.home().join("assets").exists() && !app.home().join("Cargo.toml").exists());
    app.wait_for(&visual("تسجيل الدخول إلى خدماتي"), WAIT);
    let screen = app.wait_for("abdullah01", WAIT);
    assert!(screen.contains("1057830869"), "the demo data is seeded from the binary:\n{screen}");
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
}

/// How an Arabic label reads on a screen rasid has shaped and reordered.
fn visual(text: &str) -> String {
    // Without the cells freed by ligatures: on the screen they join the border or gap beside the text.
    rasid::tui::bidi::shape_and_reorder(text, true).trim().to_owned()
}

#[test]
fn the_whole_walk_in_arabic_and_f2_is_remembered() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    let url = server.server.url();
    // Arabic from the file, so that F2's choice is the user's to keep.
    let mut app = Pty::spawn_with_config("lang = \"ar\"\n", &["--server", &url, "--image", "halfblocks"], 120, 40);

    app.wait_for(&visual("تسجيل الدخول إلى خدماتي"), WAIT);
    app.wait_until("the image code", WAIT, |s| !s.contains(&visual("جارٍ تحميل رمز الصورة…")));
    let answer = rt.block_on(server.captcha_after(0));
    app.type_text("rahul2026");
    app.send(TAB);
    app.type_text(common::PASSWORD);
    app.send(TAB);
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for(&visual("رمز التحقق"), WAIT);
    let code = rt.block_on(server.outbox()).sms.last().unwrap().code.clone();
    app.type_text(&code);
    app.send(ENTER);
    app.wait_for(&visual("الاستعلام عن رصيد مدفوعات الخدمات المتبقي"), WAIT);
    let seen = rt.block_on(server.captchas_issued());
    app.send(ENTER);
    app.wait_for(&visual("رقم الهوية أو الإقامة"), WAIT);
    app.wait_until("a new image code", WAIT, |s| !s.contains(&visual("جارٍ تحميل رمز الصورة…")));
    let answer = rt.block_on(server.captcha_after(seen));
    // Eastern Arabic digits, as people type them.
    app.type_text("٢٤٩٥٠٥٩٧٦٤");
    app.wait_for(&visual("صحيح: مقيم (إقامة)."), WAIT);
    app.send(TAB);
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for(&visual("بتاريخ:"), WAIT);
    let screen = app.wait_for(&format!("{}│", visual("الإجمالي")), WAIT);
    assert!(screen.contains(&visual("راهول مينون")), "{screen}");

    let token = rt.block_on(server.token("rahul2026"));
    let (_, report) = rt.block_on(server.inquire(&token, rasid::server::seed::RAHUL));
    let total = screen.lines().find(|l| l.contains(&visual("الإجمالي"))).expect("the totals row");
    let (paid, available) = (money(&report["totals"]["paid"]), money(&report["totals"]["available"]));
    let (p, a) = (total.find(&paid).expect("paid total"), total.rfind(&available).expect("available total"));
    assert!(a < p, "columns run right to left: {total}");
    assert!(total.trim_end().ends_with('│'));

    app.send("\x1bOQ");
    app.wait_for("As of:", WAIT);
    let config = app.home().join("config").join("rasid").join("config.toml");
    let deadline = std::time::Instant::now() + WAIT;
    while !std::fs::read_to_string(&config).is_ok_and(|t| t.contains("lang = \"en\"")) {
        assert!(std::time::Instant::now() < deadline, "F2's choice is written to {}", config.display());
        std::thread::sleep(Duration::from_millis(50));
    }
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
}

#[test]
fn f2_leaves_the_config_file_alone_when_the_language_was_given_for_this_run() {
    let config = "theme = \"dark\"  # mine\n";
    for (args, env) in [(&["--lang", "en"][..], &[][..]), (&[][..], &[("RASID_LANG", "en")][..])] {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("config").join("rasid").join("config.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, config).unwrap();
        let args = [&["--image", "halfblocks"][..], args].concat();
        let mut app = Pty::spawn_in_home(home, env, &args, 100, 30);
        app.wait_for("Demo accounts", WAIT);
        app.send("\x1bOQ");
        app.wait_for(&visual("تسجيل الدخول إلى خدماتي"), WAIT);
        // Time for a write to land, were one made.
        std::thread::sleep(Duration::from_millis(500));
        app.send(CTRL_C);
        assert!(app.wait_exit(WAIT).expect("exits").success());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), config, "{args:?} {env:?}: the file was rewritten");
    }
}

#[cfg(unix)]
#[test]
fn the_app_state_directory_and_its_log_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut app = Pty::spawn(&["--image", "halfblocks", "--lang", "en"], 100, 30);
    app.wait_for("Demo accounts", WAIT);
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
    let dir = app.home().join("state").join("rasid");
    assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    let logs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(logs.iter().any(|p| p.file_name().unwrap().to_string_lossy().starts_with("rasid.log")), "{logs:?}");
    for log in &logs {
        assert_eq!(mode(log), 0o600, "{}", log.display());
    }
}

#[test]
fn the_app_keeps_the_last_7_days_of_its_log() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("state").join("rasid");
    std::fs::create_dir_all(&dir).unwrap();
    let today = chrono::Utc::now().date_naive();
    let name = |days_ago: u64| format!("rasid.log.{}", today - chrono::Days::new(days_ago));
    // Oldest first: the appender ages files by when they were made.
    for days_ago in (1..=10).rev() {
        std::fs::write(dir.join(name(days_ago)), "an older day\n").unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut app = Pty::spawn_in_home(home, &[], &["--image", "halfblocks", "--lang", "en"], 100, 30);
    app.wait_for("Demo accounts", WAIT);
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
    let mut logs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("rasid.log"))
        .collect();
    logs.sort();
    let mut expected: Vec<String> = (0..7).map(name).collect();
    expected.sort();
    assert_eq!(logs, expected, "today's log and the 6 days before it");
}

/// The text in the username field (the line under its label).
fn username_field(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let label = lines.iter().position(|l| l.contains("┌Username")).unwrap_or(0);
    let row = lines.get(label + 1).copied().unwrap_or_default();
    row.split('│').nth(1).unwrap_or_default().trim().to_owned()
}

#[test]
fn keys_typed_the_moment_the_app_starts_reach_the_username_field() {
    // A bare terminal: it answers none of the graphics questions the app asks (`--image auto`).
    let mut app = Pty::spawn(&["--lang", "en"], 100, 30);
    app.type_text("abdullah01");
    app.wait_for("Demo accounts", WAIT);
    app.wait_until("every key in the username field", WAIT, |s| username_field(s) == "abdullah01");

    // A terminal that answers like xterm (sixel, a 10x20 cell, status), with keys typed around its answers.
    let mut app = Pty::spawn(&["--lang", "en"], 100, 30);
    app.type_text("abd");
    let start = std::time::Instant::now();
    while !app.raw_text().contains("\x1b[5n") {
        assert!(start.elapsed() < WAIT, "the app asks the terminal about graphics");
        std::thread::sleep(Duration::from_millis(5));
    }
    app.send("ul\x1b[?62;4;22c");
    app.send("la\x1b[6;20;10t\x1b[0nh01");
    app.wait_for("Demo accounts", WAIT);
    app.wait_until("every key in the username field", WAIT, |s| username_field(s) == "abdullah01");
    app.send(CTRL_C);
    assert!(app.wait_exit(WAIT).expect("exits").success());
}

/// The money on a line as it reads: `1,600.00`, `-1,250.00`.
fn money_tokens(line: &str) -> Vec<String> {
    line.split(|c: char| !(c.is_ascii_digit() || ",.+-".contains(c)))
        .filter(|w| w.contains('.') && w.trim_start_matches(['+', '-']).starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

/// Logs in and asks for Abdullah's balance, at `cols`x24 in `lang`; ends on the overview.
fn walk_to_results(rt: &tokio::runtime::Runtime, server: &TestServer, lang: &str, cols: u16) -> Pty {
    let ar = lang == "ar";
    let say = |en: &str, ar_text: &str| if ar { visual(ar_text).trim().to_owned() } else { en.to_owned() };
    let mut app = Pty::spawn(&["--server", &server.server.url(), "--image", "halfblocks", "--lang", lang], cols, 24);
    let loading = say("Loading the image code", "جارٍ تحميل رمز الصورة…");
    app.wait_for(&say("Username", "اسم المستخدم"), WAIT);
    app.wait_until("the image code", WAIT, |s| !s.contains(&loading));
    // The masked phone, whichever way round it reads.
    log_in_as_abdullah(&mut app, rt, server, "******");
    app.wait_for(&say("Query Available", "الاستعلام"), WAIT);
    let seen = rt.block_on(server.captchas_issued());
    app.send(ENTER);
    app.wait_for(&say("ID or iqama", "رقم الهوية"), WAIT);
    app.wait_until("a new image code", WAIT, |s| !s.contains(&loading));
    let answer = rt.block_on(server.captcha_after(seen));
    app.type_text(rasid::server::seed::ABDULLAH);
    app.send(TAB);
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for(&say("Total", "الإجمالي"), WAIT);
    app
}

#[test]
fn amounts_are_whole_or_absent_on_narrow_terminals_in_both_languages() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    let token = rt.block_on(server.token("abdullah01"));
    let (_, report) = rt.block_on(server.inquire(&token, rasid::server::seed::ABDULLAH));
    let path = format!("/api/v1/people/{}/transactions?limit=50", rasid::server::seed::ABDULLAH);
    let (_, page) = rt.block_on(server.get(&path, Some(&token)));
    let items = page["items"].as_array().unwrap();
    let sums = |b: &Value| ["paid", "used", "refunded", "available"].map(|k| money(&b[k]));
    let mut expected: Vec<[String; 4]> = report["balances"].as_array().unwrap().iter().map(sums).collect();
    expected.push(sums(&report["totals"]));

    for lang in ["en", "ar"] {
        for cols in [50, 55] {
            let mut app = walk_to_results(&rt, &server, lang, cols);
            let screen = app.screen();
            let lines: Vec<&str> = screen.lines().collect();
            let top = lines.iter().position(|l| l.contains('┌')).unwrap();
            let bottom = top + lines[top..].iter().position(|l| l.contains('└')).unwrap();
            let rows = &lines[top + 2..bottom];
            assert_eq!(rows.len(), expected.len(), "every sector and the Total row, {lang} at {cols}:\n{screen}");
            for (row, sums) in rows.iter().zip(&expected) {
                let mut shown = money_tokens(row);
                if lang == "ar" {
                    shown.reverse();
                }
                let mut rest = sums.iter();
                for amount in &shown {
                    assert!(rest.any(|s| s == amount), "{amount} is not whole, {lang} at {cols}: {row}\n{screen}");
                }
                assert_eq!(shown.last(), sums.last(), "what is available, {lang} at {cols}: {row}\n{screen}");
            }

            app.send(TAB);
            let total = page["total_count"].as_u64().unwrap();
            let screen = app.wait_for(&say_rows(lang, total), WAIT);
            let dated: Vec<&str> = screen.lines().filter(|l| l.contains("│20") || l.contains(" 20")).collect();
            let dated: Vec<&str> = dated.into_iter().filter(|l| !money_tokens(l).is_empty()).collect();
            assert!(dated.len() >= 5, "{screen}");
            for (row, tx) in dated.iter().zip(items) {
                let sign = if tx["kind"] == "payment" { "+" } else { "-" };
                let amount = format!("{sign}{}", money(&tx["amount"]));
                assert!(row.contains(tx["date"].as_str().unwrap()), "{row} vs {tx}\n{screen}");
                assert_eq!(money_tokens(row), [amount], "{lang} at {cols}: {row}\n{screen}");
            }
            app.send(CTRL_C);
            assert!(app.wait_exit(WAIT).expect("exits").success());
        }
    }
}

/// The "1 of N" line under the transactions, as it reads on screen.
fn say_rows(lang: &str, total: u64) -> String {
    use rasid::present::strings::{Arg, T, tr};
    let lang = if lang == "ar" { rasid::config::Lang::Ar } else { rasid::config::Lang::En };
    let text =
        tr(lang, T::RowsOf, &[("shown", Arg::Str("1")), ("total", Arg::Str(&rasid::present::format::grouped(total)))]);
    if lang == rasid::config::Lang::Ar { visual(&text) } else { text }
}

/// Types abdullah01's login into the form on screen (the image code from the outbox), waits for
/// `code_sent` on the code screen, and types the SMS code. Returns the image code's answer and the SMS code.
fn log_in_as_abdullah(
    app: &mut Pty,
    rt: &tokio::runtime::Runtime,
    server: &TestServer,
    code_sent: &str,
) -> (String, String) {
    let answer = rt.block_on(server.captcha_after(0));
    app.type_text("abdullah01");
    app.send(TAB);
    app.type_text(common::PASSWORD);
    app.send(TAB);
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for(code_sent, WAIT);
    let code = rt.block_on(server.outbox()).sms.last().unwrap().code.clone();
    app.type_text(&code);
    app.send(ENTER);
    (answer, code)
}
