//! Times End, Home and `g` to a date in the app against a live server: from the key to the
//! frame drawn with the rows it brought, through the app's own `update`, the real client and
//! the view (on a 200x60 TestBackend, so the terminal's own writing is left out).
//!
//!   TOKEN=$(python3 scripts/dev-login.py http://127.0.0.1:PORT fahadest01)
//!   cargo run --release --example bench_jump -- http://127.0.0.1:PORT "$TOKEN" [ID] [RUNS]

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rasid::api::{BalanceReport, Secret};
use rasid::client::Client;
use rasid::config::Lang;
use rasid::tui::app::{Cmd, Model, Msg, Screen, update};
use rasid::tui::screens::results::ResultsScreen;
use rasid::tui::view::{ViewCache, draw};
use ratatui::{Terminal, backend::TestBackend};

fn report(id: &str) -> BalanceReport {
    serde_json::from_value(serde_json::json!({
        "subject": {"id_number": id, "name_ar": "فهد القحطاني", "name_en": "Fahad Al-Qahtani", "kind": "citizen"},
        "as_of": "2026-11-25T10:00:00+03:00",
        "balances": [],
        "totals": {"paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"}
    }))
    .expect("report")
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

struct Bench {
    client: Client,
    model: Model,
    terminal: Terminal<TestBackend>,
    cache: ViewCache,
}

impl Bench {
    /// Runs the history fetches among `cmds` and feeds their answers back; the commands that follow.
    async fn run(&mut self, cmds: Vec<Cmd>) -> Vec<Cmd> {
        let mut next = vec![];
        for cmd in cmds {
            if let Cmd::FetchTransactions { token, id_number, query, generation, fetch } = cmd {
                let result = self.client.transactions(&token, &id_number, &query).await;
                if let Err(e) = &result {
                    eprintln!("fetch failed: {e}");
                }
                next.extend(update(&mut self.model, Msg::Transactions { generation, fetch, result }));
            }
        }
        next
    }

    /// Answers every fetch until the table wants none (outside the timed part).
    async fn settle(&mut self) {
        let mut cmds = vec![];
        loop {
            cmds = self.run(cmds).await;
            if cmds.is_empty() {
                break;
            }
        }
    }

    fn frame(&mut self) {
        let (model, cache) = (&self.model, &mut self.cache);
        self.terminal.draw(|f| draw(f, model, cache)).expect("draw");
    }

    /// From `keys` (the last one timed) to the frame drawn once the page it asked for has come.
    async fn time(&mut self, keys: &[Msg]) -> Duration {
        let (last, typed) = keys.split_last().expect("a key");
        for k in typed {
            let k = match k {
                Msg::Key(e) => Msg::Key(*e),
                _ => continue,
            };
            update(&mut self.model, k);
        }
        let Msg::Key(e) = last else { unreachable!() };
        let start = Instant::now();
        let cmds = update(&mut self.model, Msg::Key(*e));
        let follow = self.run(cmds).await;
        self.frame();
        let took = start.elapsed();
        self.run(follow).await;
        self.settle().await;
        took
    }
}

fn summary(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<28} p50 {:6.1} ms   p99 {:6.1} ms   max {:6.1} ms   ({} runs)",
        pick(0.5),
        pick(0.99),
        pick(1.0),
        ms.len()
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (base, token) = (args.get(1).expect("BASE_URL"), args.get(2).expect("TOKEN"));
    let id = args.get(3).map_or("1400949291", String::as_str);
    let runs: usize = args.get(4).and_then(|r| r.parse().ok()).unwrap_or(20);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::new(base, Duration::from_secs(10), false).expect("client");
    let mut model = Model::new(Lang::En, None, chrono::Utc::now().timestamp_millis());
    model.size = (200, 60);
    let (results, cmds) = ResultsScreen::open(report(id), Secret::new(token.clone()));
    model.results = Some(results);
    model.screen = Screen::Results;
    let terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut b = Bench { client, model, terminal, cache: ViewCache::halfblocks() };
    b.run(cmds).await;
    b.settle().await;
    let total = b.model.results.as_ref().and_then(|r| r.table.total).unwrap_or(0);
    println!("history of {total} rows at 200x60");

    let (mut end, mut home, mut goto) = (vec![], vec![], vec![]);
    for i in 0..runs {
        end.push(b.time(&[key(KeyCode::End)]).await.as_secs_f64() * 1000.0);
        home.push(b.time(&[key(KeyCode::Home)]).await.as_secs_f64() * 1000.0);
        // Days spread over ten years, Gregorian and Hijri by turns.
        let day = if i % 2 == 0 {
            format!("{:04}-{:02}-{:02}", 2016 + i % 11, 1 + (i * 5) % 12, 1 + (i * 7) % 28)
        } else {
            format!("h{:04}-{:02}-{:02}", 1437 + i % 11, 1 + (i * 5) % 12, 1 + (i * 7) % 29)
        };
        let mut keys = vec![key(KeyCode::Char('g'))];
        keys.extend(day.chars().map(|c| key(KeyCode::Char(c))));
        keys.push(key(KeyCode::Enter));
        goto.push(b.time(&keys).await.as_secs_f64() * 1000.0);
        let r = b.model.results.as_ref().expect("results");
        if r.table.row(r.table.selected).is_none() {
            eprintln!("g {day}: the selected row {} is not drawn", r.table.selected);
        }
    }
    summary("End -> last rows drawn", end);
    summary("Home -> first rows drawn", home);
    summary("g DAY Enter -> rows drawn", goto);
}
