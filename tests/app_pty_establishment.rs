//! The establishment's walk in the real binary, in a pseudo-terminal against a
//! real server: the owner opens the workers' report, a worker, jumps to a date in
//! the worker's history, and comes back.

mod common;

use std::time::Duration;

use common::TestServer;
use common::pty::{CTRL_C, DOWN, ENTER, Pty, TAB};
use rasid::domain::Money;
use rasid::domain::money::grouped;
use rasid::server::seed::FAHAD;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

fn money(v: &Value) -> String {
    Money::parse(v.as_str().unwrap()).unwrap().to_grouped()
}

#[test]
fn the_owner_opens_the_workers_report_then_a_worker_and_comes_back() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    let mut app = Pty::spawn(&["--server", &server.server.url(), "--image", "halfblocks", "--lang", "en"], 120, 40);
    app.wait_for("Log in to My Services", WAIT);
    app.wait_until("the image code", WAIT, |s| !s.contains("Loading the image code"));
    let answer = rt.block_on(server.captcha_after(0));
    app.type_text("fahadest01");
    app.send(TAB);
    app.type_text(common::PASSWORD);
    app.send(TAB);
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for("A 4-digit code was sent by SMS", WAIT);
    let code = rt.block_on(server.outbox()).sms.last().unwrap().code.clone();
    app.type_text(&code);
    app.send(ENTER);

    // My Services offers the report to the owner; a search finds it.
    app.wait_for("Renewals due", WAIT);
    app.send("/");
    app.type_text("Workers");
    app.send(ENTER);

    let token = rt.block_on(server.token("fahadest01"));
    let (_, report) = rt.block_on(server.get("/api/v1/establishment/workers?limit=100", Some(&token)));
    let count = report["total_count"].as_u64().unwrap();
    let sums = &report["sums"];
    let screen = app.wait_for(&format!("{count} workers"), WAIT);
    assert!(screen.contains(&format!("Available {}", money(&sums["available"]))), "{screen}");
    assert!(screen.contains(&format!("Paid {}", money(&sums["paid"]))), "{screen}");
    let items = report["items"].as_array().unwrap();
    let second = &items[1];
    let id = second["id_number"].as_str().unwrap();
    let screen = app.wait_for(id, WAIT);
    let row = screen.lines().find(|l| l.contains(id)).unwrap();
    assert!(row.contains(&money(&second["totals"]["available"])), "{row}");
    assert!(!screen.contains(FAHAD), "the owner is not his own worker: {screen}");

    // Enter on the second worker: the inquiry form with the ID filled in, then the results.
    app.send(DOWN);
    let seen = rt.block_on(server.captchas_issued());
    app.send(ENTER);
    app.wait_for("Valid: resident", WAIT);
    app.wait_until("a new image code", WAIT, |s| !s.contains("Loading the image code"));
    let answer = rt.block_on(server.captcha_after(seen));
    app.type_text(&answer);
    app.send(ENTER);
    app.wait_for("As of:", WAIT);
    let (_, docs) = rt.block_on(server.get(&format!("/api/v1/people/{id}/documents"), Some(&token)));
    let iqama = docs.as_array().unwrap().iter().find(|d| d["kind"] == "iqama").unwrap();
    let dates = format!("{} · {}", iqama["expires_on"].as_str().unwrap(), iqama["expires_on_hijri"].as_str().unwrap());
    let screen = app.wait_for(&dates, WAIT);
    assert!(screen.contains(&format!("{}  {id}", second["name_en"].as_str().unwrap())), "{screen}");

    // g and a day from the middle of the history: the table lands on the row the API's `at` finds.
    let (_, page) = rt.block_on(server.get(&format!("/api/v1/people/{id}/transactions?limit=200"), Some(&token)));
    let rows = page["items"].as_array().unwrap();
    assert!(rows.len() > 10, "a worker with a history to jump in: {page}");
    let day = rows[rows.len() / 2]["date"].as_str().unwrap()[..10].to_owned();
    let (_, landing) =
        rt.block_on(server.get(&format!("/api/v1/people/{id}/transactions?at={day}&limit=100"), Some(&token)));
    let position = landing["position"].as_u64().unwrap();
    assert!(position > 0, "the day is not the newest: {landing}");
    let total = grouped(landing["total_count"].as_u64().unwrap());
    app.send("g");
    app.wait_for("Go to date", WAIT);
    app.type_text(&day);
    app.send(ENTER);
    let screen = app.wait_for(&format!("row {} of {total}", grouped(position + 1)), WAIT);
    let landed = &landing["items"][0]["date"].as_str().unwrap()[..10];
    assert!(screen.lines().any(|l| l.contains(landed)), "the day the API lands on is on screen ({landed}): {screen}");

    // Esc: the report again, where it was.
    app.send("\x1b");
    let screen = app.wait_for(&format!("{count} workers"), WAIT);
    assert!(screen.contains("Workers' balances"), "{screen}");
    assert!(!screen.contains("As of:"), "{screen}");
    // The same worker is still selected: Enter fills their ID in again.
    app.send(ENTER);
    app.wait_for("Valid: resident", WAIT);
    app.wait_for(id, WAIT);
    app.send(CTRL_C);
    let status = app.wait_exit(WAIT).expect("rasid exits on Ctrl-C");
    assert!(status.success(), "{status:?}");
}
