//! The app's text search against a real server that refuses it as too broad, over real HTTP:
//! `update` driven by keys, its calls run by the app's own runtime.

mod app_common;

use app_common::key;
mod common;

use common::{Options, TestServer};
use crossterm::event::KeyCode;
use rasid::api::{BalanceReport, Session};
use rasid::client::{Client, DEFAULT_TIMEOUT};
use rasid::config::Lang;
use rasid::tui::app::{Cmd, Model, NoticeKind, Screen, update};
use rasid::tui::runtime::execute;
use rasid::tui::screens::results::ResultsScreen;

const FAHAD: &str = "1400949291";

/// Runs the calls `cmds` and every call their answers lead to, as the runtime would.
async fn settle(client: &Client, m: &mut Model, mut cmds: Vec<Cmd>) {
    while let Some(cmd) = cmds.pop() {
        let msg = execute(client, cmd).await;
        cmds.extend(update(m, msg));
    }
}

async fn press(client: &Client, m: &mut Model, keys: &str) {
    for c in keys.chars() {
        let code = if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) };
        let cmds = update(m, key(code));
        settle(client, m, cmds).await;
    }
}

/// The rows on screen: how many the table holds, of how many, and the search they were found by.
fn on_screen(m: &Model) -> (usize, Option<u64>, String) {
    let r = m.results.as_ref().unwrap();
    let (filters, table) = r.shown();
    (table.loaded_rows(), table.total, filters.text.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_the_server_refuses_as_too_broad_keeps_the_rows_and_a_year_narrows_it() {
    // The fees of 40 workers give the owner a few thousand rows; a search may read 1,000 here.
    let s = TestServer::start_with(Options { workers: 40, scan_limit: 1000, ..Options::default() }).await;
    let session: Session = s.login("fahadest01").await;
    let token = session.token.expose().to_owned();
    let (status, body) = s.inquire(&token, FAHAD).await;
    assert!(status.is_success(), "{body}");
    let report: BalanceReport = serde_json::from_value(body).unwrap();
    let (status, count) =
        s.get(&format!("/api/v1/people/{FAHAD}/transactions?limit=1&from=2026-01-01"), Some(&token)).await;
    let in_2026 = count["total_count"].as_u64().unwrap();
    assert!(status.is_success() && in_2026 <= 1000, "a search within 2026 reads {in_2026} rows");

    let client = Client::new(&s.url(""), DEFAULT_TIMEOUT, false).unwrap();
    for lang in [Lang::En, Lang::Ar] {
        let mut m = Model::new(lang, None, common::start_time() * 1000);
        m.session = Some(session.clone());
        let (results, cmds) = ResultsScreen::open(report.clone(), session.token.clone());
        m.results = Some(results);
        m.screen = Screen::Results;
        settle(&client, &mut m, cmds).await;
        let (held, total, _) = on_screen(&m);
        let everything = total.unwrap();
        assert!(held > 0 && everything > 1000, "{held} rows held of {everything}");

        press(&client, &mut m, "/SADAD\n").await;
        let notice = m.notice.clone().expect("a notice");
        assert_eq!(notice.kind, NoticeKind::Error);
        let said = notice.text(lang).replace('\u{200d}', "");
        assert!(said.contains("\"SADAD\"") && said.contains("[ ]") && said.contains("{ }"), "{said}");
        assert!(!said.contains("from=") && !said.contains("not understood"), "{said}");
        assert_eq!(on_screen(&m), (held, Some(everything), String::new()), "the rows on screen stay");

        // As the notice says: a year, and the search runs within it.
        press(&client, &mut m, "[").await;
        assert_eq!(m.notice, None, "{:?}", m.notice);
        let (found, total, text) = on_screen(&m);
        assert_eq!(text, "SADAD");
        assert_eq!(total, Some(in_2026), "every row of 2026 has a SADAD reference");
        assert!(found > 0);
    }
}
