//! Render, update, ledger sums, ID parsing and the image code, measured with criterion.
//! `cargo bench --bench app`

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rasid::api::{BalanceReport, Secret, Transaction};
use rasid::config::Lang;
use rasid::domain::{Entry, IdNumber, Ledger, Money, Sector, TxKind};
use rasid::tui::app::{Model, Msg, Screen, update};
use rasid::tui::screens::results::{Held, PAGE_SIZE, ResultsScreen};
use rasid::tui::view::{ViewCache, draw};
use ratatui::{Terminal, backend::TestBackend};

const TOTAL: u64 = 1_000_000;

fn report() -> BalanceReport {
    serde_json::from_value(serde_json::json!({
        "subject": {"id_number": "1400949291", "name_ar": "فهد القحطاني", "name_en": "Fahad Al-Qahtani", "kind": "citizen"},
        "as_of": "2026-11-25T10:00:00+03:00",
        "balances": [
            {"sector": "passports", "paid": "1600.00", "used": "1400.00", "refunded": "0.00", "available": "200.00"},
            {"sector": "labour", "paid": "51.75", "used": "51.75", "refunded": "0.00", "available": "0.00"}
        ],
        "totals": {"paid": "1651.75", "used": "1451.75", "refunded": "0.00", "available": "200.00"}
    }))
    .expect("report")
}

fn tx(id: i64) -> Transaction {
    serde_json::from_value(serde_json::json!({
        "id": id, "date": "2024-03-01", "sector": "passports", "service_code": "iqama_renewal_3m",
        "service_ar": "تجديد الإقامة (3 أشهر)", "service_en": "Iqama renewal (3 months)", "kind": "usage",
        "amount": "163.00", "beneficiary_id": "2300000015", "reference": format!("SADAD-{id}"), "status": "settled"
    }))
    .expect("tx")
}

/// The results screen of a 1,000,000-row history with the pages around `selected` loaded.
fn model_at(lang: Lang, selected: usize) -> Model {
    let mut m = Model::new(lang, None, 1_795_590_000_000);
    m.size = (200, 60);
    let (mut r, _) = ResultsScreen::open(report(), Secret::new("t"));
    r.table.total = Some(TOTAL);
    let page = selected / PAGE_SIZE as usize;
    for p in page.saturating_sub(2)..=page + 2 {
        let rows = (0..PAGE_SIZE as i64).map(|i| tx(p as i64 * 100 + i)).collect();
        r.table.pages.insert(p * PAGE_SIZE as usize, Held { rows, next: None, prev: None });
    }
    r.table.selected = selected;
    r.table.offset = selected.saturating_sub(20);
    m.results = Some(r);
    m.screen = Screen::Results;
    m
}

fn render(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut cache = ViewCache::halfblocks();
    for (lang, suffix) in [(Lang::En, ""), (Lang::Ar, ", ar")] {
        for (name, selected) in [("top", 0), ("end", TOTAL as usize - 30)] {
            let model = model_at(lang, selected);
            c.bench_function(&format!("render results 200x60, 1M rows, {name}{suffix}"), |b| {
                b.iter(|| {
                    terminal.draw(|f| draw(f, &model, &mut cache)).expect("draw");
                })
            });
        }
    }
}

fn update_scroll(c: &mut Criterion) {
    let mut model = model_at(Lang::En, 500_000);
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
    c.bench_function("update: one row down and up", |b| {
        b.iter(|| {
            update(&mut model, Msg::Key(down));
            update(&mut model, Msg::Key(up));
        })
    });
}

fn domain(c: &mut Criterion) {
    let entries: Vec<Entry> = (0..10_000)
        .map(|i| Entry {
            sector: Sector::ALL[i % 5],
            kind: TxKind::ALL[i % 3],
            amount: Money::from_halalas(16_300 + i as i64),
        })
        .collect();
    c.bench_function("ledger sums over 10,000 rows", |b| b.iter(|| Ledger::from_entries(entries.iter().copied())));
    c.bench_function("parse an ID in Eastern Arabic digits", |b| b.iter(|| IdNumber::parse(" ١٠٥٧٨٣٠٨٦٩ ")));
}

fn image_code(c: &mut Criterion) {
    let mut rng = rand::rng();
    c.bench_function("draw and encode an image code", |b| b.iter(|| rasid::server::captcha::generate(&mut rng)));
}

criterion_group!(benches, render, update_scroll, domain, image_code);
criterion_main!(benches);
