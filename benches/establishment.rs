//! The workers' screen drawn with 5,000 workers in memory, measured with criterion.
//! `cargo bench --bench establishment`

use criterion::{Criterion, criterion_group, criterion_main};
use rasid::api::{Secret, WorkerMoney};
use rasid::config::Lang;
use rasid::tui::app::{Model, Screen};
use rasid::tui::screens::workers::WorkersScreen;
use rasid::tui::view::{ViewCache, draw};
use ratatui::{Terminal, backend::TestBackend};

const WORKERS: usize = 5_000;

fn worker(n: usize) -> WorkerMoney {
    serde_json::from_value(serde_json::json!({
        "id_number": format!("23{n:08}"), "name_en": format!("Mohammed Khan {n}"), "name_ar": format!("محمد خان {n}"),
        "kind": "resident",
        "available": {"passports": format!("{}.75", n * 7), "vehicles": "0.00", "driving_licence": "0.00",
            "sponsorees": "1500.00", "labour": "51.75"},
        "totals": {"paid": "20988.25", "used": "8642.50", "refunded": "0.00", "available": format!("{}.50", n * 7 + 1551)},
        "last_payment_on": "2026-10-19", "oldest_unused_on": "2026-03-02", "iqama_expires_on": "2027-01-20"
    }))
    .expect("worker")
}

/// The workers' screen with all 5,000 workers fetched and the selection at `selected`.
fn model(lang: Lang, selected: usize) -> Model {
    let mut m = Model::new(lang, None, 1_795_590_000_000);
    m.size = (200, 60);
    let mut w = WorkersScreen::new(Secret::new("t"));
    w.list.rows = (0..WORKERS).map(worker).collect();
    w.list.total = Some(WORKERS as u64);
    w.sums = Some(
        serde_json::from_value(serde_json::json!(
            {"paid": "104941250.00", "used": "43212500.00", "refunded": "1250.00", "available": "61727500.00"}
        ))
        .expect("sums"),
    );
    w.list.selected = selected;
    w.list.scroll_into_view(50);
    m.workers = Some(w);
    m.screen = Screen::Workers;
    m
}

fn render(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut cache = ViewCache::halfblocks();
    for (lang, name) in [(Lang::En, "en"), (Lang::Ar, "ar")] {
        for (place, selected) in [("top", 0), ("end", WORKERS - 1)] {
            let model = model(lang, selected);
            c.bench_function(&format!("render workers 200x60, 5,000 workers, {name}, {place}"), |b| {
                b.iter(|| {
                    terminal.draw(|f| draw(f, &model, &mut cache)).expect("draw");
                })
            });
        }
        // A page down each frame: every row is new to the frame before, as on PgDn.
        let mut paging = model(lang, 0);
        c.bench_function(&format!("render workers 200x60, 5,000 workers, {name}, a page down each frame"), |b| {
            b.iter(|| {
                if let Some(w) = paging.workers.as_mut() {
                    w.list.selected = (w.list.selected + 50) % WORKERS;
                    w.list.scroll_into_view(50);
                }
                terminal.draw(|f| draw(f, &paging, &mut cache)).expect("draw");
            })
        });
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
