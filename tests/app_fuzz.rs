//! Long random sequences of keys, pastes, resizes and ticks on every screen:
//! nothing panics, in `update` or in drawing, and the model stays sound.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use rasid::api::{LinkedPerson, Person, Relation, Secret, Session, TransactionPage};
use rasid::config::{BidiMode, Lang};
use rasid::domain::PersonKind;
use rasid::tui::app::{DemoInfo, Model, Msg, Screen, update};
use rasid::tui::view::{ViewCache, draw};
use ratatui::{Terminal, backend::TestBackend};

#[derive(Debug, Clone)]
enum Input {
    Key(KeyCode, KeyModifiers),
    Paste(String),
    Resize(u16, u16),
    Tick(i64),
}

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        any::<char>().prop_map(KeyCode::Char),
        "[0-9a-z/?\\[\\]١٢٣ ]".prop_map(|s| KeyCode::Char(s.chars().next().unwrap_or('a'))),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Backspace),
        Just(KeyCode::Delete),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::F(1)),
        Just(KeyCode::F(2)),
    ]
}

fn input() -> impl Strategy<Value = Input> {
    let modifiers = prop_oneof![Just(KeyModifiers::NONE), Just(KeyModifiers::CONTROL), Just(KeyModifiers::SHIFT)];
    prop_oneof![
        8 => (key_code(), modifiers).prop_map(|(c, m)| Input::Key(c, m)),
        1 => "\\PC{0,300}".prop_map(Input::Paste),
        1 => (1u16..220, 1u16..70).prop_map(|(w, h)| Input::Resize(w, h)),
        1 => (0i64..700_000).prop_map(Input::Tick),
    ]
}

fn page(total: u64) -> TransactionPage {
    let items = (0..100)
        .map(|i| {
            serde_json::from_value(serde_json::json!({"id": 10_000 - i, "date": "2026-01-01", "sector": "labour",
                "service_code": "portal_iqama_renewal", "service_ar": "رسوم", "service_en": "Fee", "kind": "usage",
                "amount": "51.75", "beneficiary_id": "2300000015", "reference": "r", "status": "settled"}))
            .unwrap()
        })
        .collect();
    TransactionPage { items, next_cursor: Some("next".into()), total_count: total }
}

/// A model on `screen`, with what that screen needs loaded.
fn model_on(screen: Screen, lang: Lang) -> Model {
    let demo = DemoInfo { accounts: vec![("abdullah01".into(), "1057830869".into())], password: "x".into() };
    let mut m = Model::new(lang, Some(demo), 1_795_590_000_000);
    if screen == Screen::Login || screen == Screen::Otp {
        m.screen = screen;
        return m;
    }
    m.session = Some(Session {
        token: Secret::new("t"),
        expires_in_s: 600,
        user: Person {
            id_number: "1057830869".into(),
            name_ar: "ع".into(),
            name_en: "A".into(),
            kind: PersonKind::Citizen,
        },
    });
    m.services.rows = vec![];
    m.inquiry.people = vec![LinkedPerson {
        id_number: "1271497099".into(),
        name_ar: "نورة".into(),
        name_en: "Noura".into(),
        kind: PersonKind::Citizen,
        relation: Relation::Spouse,
    }];
    m.screen = screen;
    if screen == Screen::Results {
        let report = serde_json::from_value(serde_json::json!({
            "subject": {"id_number": "1271497099", "name_ar": "نورة", "name_en": "Noura", "kind": "citizen"},
            "as_of": "2026-11-25T10:00:00+03:00", "balances": [],
            "totals": {"paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"}
        }))
        .unwrap();
        update(&mut m, Msg::Balance(Ok(report)));
        let generation = m.results.as_ref().unwrap().table.generation;
        update(&mut m, Msg::Transactions { generation, page: 0, result: Ok(page(1_000_000)) });
    }
    m
}

fn check_invariants(m: &Model) {
    assert!(m.login.username.char_count() <= m.login.username.max_chars);
    assert!(m.login.password.char_count() <= m.login.password.max_chars);
    assert!(m.login.image_code.char_count() <= m.login.image_code.max_chars);
    assert!(m.otp.code.char_count() <= 4);
    assert!(m.inquiry.id_number.char_count() <= 10);
    assert!(m.inquiry.id_number.value().chars().all(|c| rasid::domain::id_number::digit_value(c).is_some()));
    if let Some(p) = m.inquiry.picking {
        assert!(p < m.inquiry.people.len().max(1));
    }
    if let Some(r) = &m.results {
        let t = &r.table;
        if let Some(total) = t.total {
            assert!(t.selected < (total as usize).max(1), "selection {} of {total}", t.selected);
        }
        assert!(t.offset <= t.selected, "the selected row is on screen");
        assert!(t.pages.len() <= 9, "the table holds pages near the view only");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_input_never_panics_and_keeps_the_model_sound(
        screen in prop_oneof![Just(Screen::Login), Just(Screen::Otp), Just(Screen::Services), Just(Screen::Inquiry), Just(Screen::Results)],
        arabic: bool,
        terminal_bidi: bool,
        inputs in prop::collection::vec(input(), 1..120),
    ) {
        let mut m = model_on(screen, if arabic { Lang::Ar } else { Lang::En });
        m.bidi = if terminal_bidi { BidiMode::Terminal } else { BidiMode::App };
        let mut cache = ViewCache::halfblocks();
        let (mut w, mut h) = (80u16, 24u16);
        for inp in inputs {
            let msg = match inp {
                Input::Key(c, mods) => Msg::Key(KeyEvent::new(c, mods)),
                Input::Paste(s) => Msg::Paste(s),
                Input::Resize(nw, nh) => {
                    (w, h) = (nw, nh);
                    Msg::Resize(nw, nh)
                }
                Input::Tick(ms) => {
                    m.now_ms += ms;
                    Msg::Tick
                }
            };
            let _ = update(&mut m, msg);
            m.quit = false;
            check_invariants(&m);
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| draw(f, &m, &mut cache)).unwrap();
        }
    }
}
