//! Many `rasid serve` processes (the real binary) on one database.

mod common;

use std::time::{Duration, Instant};

use common::process::{self, ServeProcess};

/// SQLite takes one process: of three started together on a new file, one migrates, seeds and
/// serves; the others stop at once saying why (before: they crashed in a migration, "table
/// transaction_ids already exists", or served logouts up to 15 s late).
#[tokio::test(flavor = "multi_thread")]
async fn of_three_processes_on_one_sqlite_file_one_serves_and_the_others_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasid.db");
    let db = db.to_str().unwrap();
    let mut servers: Vec<ServeProcess> =
        (0..3).map(|_| ServeProcess::spawn(&["--dev", "--seed", "demo", "--db", db], false)).collect();
    let start = Instant::now();
    let mut refused = Vec::new();
    while refused.len() < 2 {
        for (i, server) in servers.iter_mut().enumerate() {
            if !refused.contains(&i) && server.child.try_wait().unwrap().is_some() {
                refused.push(i);
            }
        }
        assert!(start.elapsed() < Duration::from_secs(20), "two of three should have stopped");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for &i in &refused {
        let status = servers[i].child.wait().unwrap();
        assert!(!status.success(), "{status}");
        let said = servers[i].stderr();
        assert!(said.contains("is served by another rasid serve process"), "{said}");
        assert!(!said.contains("already exists") && !said.contains("panicked"), "{said}");
    }
    let serving = (0..3).find(|i| !refused.contains(i)).unwrap();
    let http = process::fresh_client();
    servers[serving].ready(&http, Duration::from_secs(30)).await;
    let token = process::login(&http, &servers[serving].base, "rahul2026").await;
    assert!(!token.is_empty());
}
