//! Every screen drawn on a TestBackend at 80x24 and 120x40, and what a person reads there.

mod app_common;

use app_common::{key, now_ms, typed};
use crossterm::event::KeyCode;
use rand::SeedableRng;
use rasid::api::{
    BalanceReport, LinkedPerson, LoginChallenge, Person, Relation, Secret, ServiceNode, Session, Spending,
    SpendingPeriod, SpendingPoint, Transaction, TransactionPage,
};
use rasid::config::{Lang, Theme};
use rasid::domain::{Money, PersonKind};
use rasid::tui::app::Hit;
use rasid::tui::app::{CaptchaState, DemoInfo, Model, Msg, update};
use rasid::tui::screens::inquiry;
use rasid::tui::strings::T;
use rasid::tui::theme::ColorDepth;
use rasid::tui::view::{ViewCache, draw};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::{Terminal, backend::TestBackend};

/// The frame's cells and what the view recorded for the mouse.
fn draw_frame(model: &mut Model, width: u16, height: u16) -> (Buffer, ViewCache) {
    model.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut cache = ViewCache::halfblocks();
    terminal.draw(|f| draw(f, model, &mut cache)).unwrap();
    (terminal.backend().buffer().clone(), cache)
}

fn text_of(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol().to_owned()).collect::<String>().trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(model: &mut Model, width: u16, height: u16) -> String {
    // Text only: the image code's half blocks carry their picture in colours, so the lines below show its cells.
    text_of(&draw_frame(model, width, height).0)
}

fn demo_model() -> Model {
    let demo = DemoInfo {
        accounts: vec![
            ("abdullah01".into(), "1057830869".into()),
            ("rahul2026".into(), "2495059764".into()),
            ("fahadest01".into(), "1400949291".into()),
        ],
        password: "Rasid@2026".into(),
    };
    let mut m = Model::new(Lang::En, Some(demo), now_ms());
    let image = rasid::server::captcha::generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
    m.captcha = CaptchaState { id: Some("c1".into()), png: image.png, ..CaptchaState::default() };
    m
}

fn logged_in() -> Model {
    let mut m = demo_model();
    m.session = Some(Session {
        token: Secret::new("tok"),
        expires_in_s: 600,
        user: Person {
            id_number: "1057830869".into(),
            name_ar: "عبدالله الحربي".into(),
            name_en: "Abdullah Al-Harbi".into(),
            kind: PersonKind::Citizen,
        },
    });
    let tree: Vec<ServiceNode> =
        serde_json::to_value(rasid::server::services_tree()).and_then(serde_json::from_value).unwrap();
    update(&mut m, Msg::Services(Ok(tree)));
    let person = |id: &str, en: &str, ar: &str, relation| LinkedPerson {
        id_number: id.into(),
        name_ar: ar.into(),
        name_en: en.into(),
        kind: if id.starts_with('1') { PersonKind::Citizen } else { PersonKind::Resident },
        relation,
    };
    update(
        &mut m,
        Msg::People(Ok(vec![
            person("1057830869", "Abdullah Al-Harbi", "عبدالله الحربي", Relation::Own),
            person("1271497099", "Noura Al-Harbi", "نورة الحربي", Relation::Spouse),
            person("2134653555", "Maria Santos", "ماريا سانتوس", Relation::DomesticWorker),
        ])),
    );
    m.pending = 0;
    m.screen = rasid::tui::app::Screen::Services;
    m
}

fn report() -> BalanceReport {
    serde_json::from_value(serde_json::json!({
        "subject": {"id_number": "1057830869", "name_ar": "عبدالله الحربي", "name_en": "Abdullah Al-Harbi", "kind": "citizen"},
        "as_of": "2026-11-25T10:00:00+03:00",
        "balances": [
            {"sector": "passports", "paid": "1600.00", "used": "1400.00", "refunded": "0.00", "available": "200.00"},
            {"sector": "vehicles", "paid": "11300.00", "used": "11000.00", "refunded": "100.00", "available": "200.00"},
            {"sector": "driving_licence", "paid": "400.00", "used": "400.00", "refunded": "0.00", "available": "0.00"},
            {"sector": "sponsorees", "paid": "4200.00", "used": "4200.00", "refunded": "0.00", "available": "0.00"},
            {"sector": "labour", "paid": "51.75", "used": "51.75", "refunded": "0.00", "available": "0.00"}
        ],
        "totals": {"paid": "17551.75", "used": "17051.75", "refunded": "100.00", "available": "400.00"}
    }))
    .unwrap()
}

fn transactions() -> TransactionPage {
    let rows = [
        (
            "2026-11-05",
            "vehicles",
            "istimara_renewal_1y",
            "Istimara renewal, private car (1 year)",
            "payment",
            "100.00",
        ),
        (
            "2026-10-30",
            "passports",
            "exit_reentry_single",
            "Exit re-entry visa, single (2 months)",
            "payment",
            "200.00",
        ),
        ("2026-09-14", "sponsorees", "domestic_iqama_1y", "Domestic worker iqama renewal (1 year)", "usage", "600.00"),
        (
            "2026-09-12",
            "sponsorees",
            "domestic_iqama_1y",
            "Domestic worker iqama renewal (1 year)",
            "payment",
            "600.00",
        ),
        ("2026-03-02", "vehicles", "speeding_fine", "Speeding fine", "usage", "1250.00"),
        ("2026-03-01", "vehicles", "speeding_fine", "Speeding fine", "payment", "1250.00"),
        ("2025-02-10", "vehicles", "plate_replacement", "Plate replacement", "refund", "100.00"),
    ];
    let items: Vec<Transaction> = rows
        .iter()
        .enumerate()
        .map(|(i, (date, sector, code, en, kind, amount))| {
            serde_json::from_value(serde_json::json!({
                "id": 100 - i as i64, "date": date, "sector": sector, "service_code": code,
                "service_ar": rasid::domain::services::find(code).unwrap().title_ar,
                "service_en": en, "kind": kind, "amount": amount, "beneficiary_id": "1057830869",
                "reference": format!("SADAD-71010000{i:02}"), "status": "settled"
            }))
            .unwrap()
        })
        .collect();
    TransactionPage { total_count: items.len() as u64, items, next_cursor: None, prev_cursor: None, position: 0 }
}

/// The query and the fetch whose answer the results screen waits for.
fn in_flight(m: &Model) -> (u64, u64) {
    let table = &m.results.as_ref().unwrap().table;
    (table.generation, table.loading.as_ref().map_or(0, |(n, _)| *n))
}

/// The first page asked for again, as a new query would: the fetch its answer must name.
fn fetch_first_again(m: &mut Model) -> (u64, u64) {
    let fetch = m.results.as_mut().unwrap().table.begin(rasid::tui::screens::results::Fetch::First);
    (m.results.as_ref().unwrap().table.generation, fetch)
}

fn on_results() -> Model {
    let mut m = logged_in();
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, Msg::Balance(Ok(report())));
    let (generation, fetch) = in_flight(&m);
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(transactions()) });
    let months = [
        "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
        "2026-10", "2026-11",
    ];
    let spent = [0, 100, 0, 1250, 0, 0, 0, 200, 0, 600, 200, 0];
    let series = months
        .iter()
        .zip(spent)
        .map(|(p, s)| SpendingPoint { period: (*p).into(), spent: Money::from_riyals(s) })
        .collect();
    update(&mut m, Msg::Spending { by: SpendingPeriod::Month, result: Ok(Spending { series }) });
    let hijri = vec![
        SpendingPoint { period: "1447-12".into(), spent: Money::from_riyals(600) },
        SpendingPoint { period: "1448-05".into(), spent: Money::from_riyals(200) },
    ];
    update(&mut m, Msg::Spending { by: SpendingPeriod::HijriMonth, result: Ok(Spending { series: hijri }) });
    m.pending = 0;
    m
}

#[test]
fn login_lists_the_demo_accounts_and_draws_the_image_code() {
    let mut m = demo_model();
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&mut m, w, h);
        assert!(screen.contains("Log in to My Services"));
        assert!(screen.contains("abdullah01  1057830869"));
        assert!(screen.contains("Rasid@2026"));
        assert!(screen.contains('▀') || screen.contains('▄'), "the image code is drawn in half blocks");
        insta::assert_snapshot!(format!("login_{w}x{h}"), screen);
    }
}

#[test]
fn login_masks_the_password_and_shows_errors() {
    let mut m = demo_model();
    typed(&mut m, "abdullah01");
    update(&mut m, key(KeyCode::Tab));
    typed(&mut m, "S3cret!pw");
    let err = rasid::client::ClientError::Api {
        code: rasid::api::ErrorCode::InvalidCredentials,
        message: String::new(),
        attempts_left: None,
        retry_after_s: None,
    };
    assert_eq!(m.login.password.value(), "S3cret!pw", "every key typed reaches the password");
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("•••••••••") && !screen.contains("••••••••••"), "one dot a character:\n{screen}");
    assert!(!screen.contains("S3cret"), "a password never reaches the screen");
    update(&mut m, Msg::LoginAnswer(Err(err)));
    m.pending = 0;
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("Wrong username or password."));
    assert!(!screen.contains("tries left"), "no count that only real accounts would have");
    insta::assert_snapshot!("login_wrong_password_80x24", screen);
}

#[test]
fn verification_code_shows_the_countdown_and_the_demo_sms() {
    let mut m = demo_model();
    let challenge =
        LoginChallenge { challenge_id: "ch".into(), masked_phone: "05******01".into(), otp_expires_in_s: 120 };
    update(&mut m, Msg::LoginAnswer(Ok(challenge)));
    let outbox = rasid::api::DevOutbox {
        sms: vec![rasid::api::DevSms {
            challenge_id: "ch".into(),
            masked_phone: "05******01".into(),
            code: "4821".into(),
            text: "Absher verification code: 4821. Do not share it.".into(),
        }],
        captchas: vec![],
    };
    update(&mut m, Msg::Outbox(Ok(outbox)));
    m.pending = 0;
    m.now_ms += 45_000;
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&mut m, w, h);
        assert!(screen.contains("The code expires in 75 s."));
        assert!(screen.contains("SMS (demo): Absher verification code: 4821"));
        insta::assert_snapshot!(format!("otp_{w}x{h}"), screen);
    }
}

#[test]
fn my_services_marks_what_this_client_does_not_offer() {
    let mut m = logged_in();
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&mut m, w, h);
        assert!(
            screen.contains("▶       • Query Available Funds") || screen.contains("▶     • Query Available Funds"),
            "{screen}"
        );
        assert!(screen.contains("Traffic Violations  (not available in this client)"));
        insta::assert_snapshot!(format!("services_{w}x{h}"), screen);
    }
    // While searching, the status line says how to stop, not how to log out.
    update(&mut m, key(KeyCode::Char('/')));
    let status = render(&mut m, 80, 24).lines().last().unwrap().to_owned();
    assert!(status.contains("Esc stop searching") && !status.contains("log out"), "{status}");
}

#[test]
fn the_inquiry_form_validates_and_offers_my_people() {
    let mut m = logged_in();
    update(&mut m, key(KeyCode::Enter));
    m.captcha = demo_model().captcha;
    m.pending = 0;
    typed(&mut m, "105783086");
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("9 of 10 digits."));
    insta::assert_snapshot!("inquiry_typing_80x24", screen);
    update(&mut m, key(KeyCode::Char('8')));
    assert!(render(&mut m, 80, 24).contains("check digit does not match"));
    m.inquiry.id_number.clear();
    update(&mut m, key(KeyCode::Down));
    assert_eq!(m.inquiry.picking, Some(0));
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&mut m, w, h);
        assert!(screen.contains("1271497099  Noura Al-Harbi  (Spouse)"));
        insta::assert_snapshot!(format!("inquiry_people_{w}x{h}"), screen);
    }
    assert_eq!(m.inquiry.focus, inquiry::Focus::IdNumber);
}

#[test]
fn results_show_balances_spending_and_transactions() {
    let mut m = on_results();
    let overview = render(&mut m, 80, 24);
    assert!(overview.contains("Abdullah Al-Harbi  1057830869  ·  Citizen"));
    assert!(overview.contains("As of: 15 Jumada al-Akhirah 1448 AH · 2026-11-25 10:00"));
    assert!(overview.contains("Vehicles deposit"));
    assert!(overview.contains("11,300.00"));
    assert!(overview.contains("17,551.75"));
    assert!(overview.contains("This Hijri year (1448)"));
    insta::assert_snapshot!("results_overview_80x24", overview);

    update(&mut m, key(KeyCode::Tab));
    let table = render(&mut m, 80, 24);
    assert!(table.contains("2026-03-02 Vehicles"));
    assert!(table.contains("-1,250.00"));
    assert!(table.contains("1 of 7"));
    insta::assert_snapshot!("results_transactions_80x24", table);

    let big = render(&mut m, 120, 40);
    assert!(big.contains("Spending by month") && big.contains("Transactions · Sort: Date ↓"), "both at 120x40");
    assert!(big.contains("2026-11-05 1448-05-25"), "a Hijri date column when wide");
    insta::assert_snapshot!("results_120x40", big);
}

#[test]
fn a_transaction_opens_in_a_popup() {
    let mut m = on_results();
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("Date: 2026-10-30  (19 Jumada al-Ula 1448 AH)"), "{screen}");
    assert!(screen.contains("Reference: SADAD-7101000001"));
    insta::assert_snapshot!("results_detail_80x24", screen);
}

#[test]
fn the_status_line_keeps_help_and_quit_when_the_screen_keys_do_not_fit() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_results();
        m.lang = lang;
        for (w, h) in [(80, 24), (100, 30), (120, 40)] {
            let screen = render(&mut m, w, h);
            let status = screen.lines().last().unwrap();
            let (help, quit) = match lang {
                Lang::En => ("? help".to_owned(), "Ctrl-C quit".to_owned()),
                Lang::Ar => (
                    rasid::tui::bidi::shape_and_reorder("? مساعدة", true),
                    rasid::tui::bidi::shape_and_reorder("Ctrl-C خروج", true),
                ),
            };
            assert!(status.contains(help.trim()) && status.contains(quit.trim()), "{lang:?} {w}x{h}: {status}");
        }
    }
}

#[test]
fn help_lists_the_keys_of_the_current_screen() {
    let mut m = on_results();
    update(&mut m, key(KeyCode::Char('?')));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("e: export the filtered rows (CSV, JSON or hledger journal)"));
    insta::assert_snapshot!("results_help_80x24", screen);
}

#[test]
fn the_help_scrolls_where_the_terminal_is_too_small_for_it() {
    use rasid::config::BidiMode;
    use rasid::tui::{keys, screens};
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_results();
        m.lang = lang;
        // The words in logical order, as the terminal is sent them.
        m.bidi = BidiMode::Terminal;
        render(&mut m, 50, 15);
        update(&mut m, key(KeyCode::Char('?')));
        let lines = keys::help_lines(lang, screens::key_table(m.screen));
        let (first, last) = (lines[0].replace('\u{200D}', ""), T::HelpClose.get(lang).to_owned());
        let shown = |m: &mut Model| render(m, 50, 15).replace('\u{200D}', "");
        let scrolls = format!("{} ↑↓", T::HelpTitle.get(lang));
        let top = shown(&mut m);
        assert!(top.contains(&first) && !top.contains(&last), "{lang:?}: the top of the help\n{top}");
        assert!(top.contains(&scrolls), "{lang:?}: the title says it scrolls\n{top}");
        update(&mut m, key(KeyCode::End));
        let end = shown(&mut m);
        assert!(end.contains(&last) && !end.contains(&first), "{lang:?}: the end of the help\n{end}");
        insta::assert_snapshot!(
            format!("help_scrolled_to_the_end_{}_50x15", if lang == Lang::En { "en" } else { "ar" }),
            end
        );
        update(&mut m, key(KeyCode::Down));
        assert_eq!(shown(&mut m), end, "{lang:?}: no further than the end");
        update(&mut m, Msg::Wheel(false));
        assert_ne!(shown(&mut m), end, "{lang:?}: the wheel scrolls it too");
        update(&mut m, key(KeyCode::Home));
        assert_eq!(shown(&mut m), top, "{lang:?}");
        update(&mut m, key(KeyCode::Esc));
        assert!(!m.help);
        // Where it all fits, nothing scrolls and the title says nothing of it.
        update(&mut m, key(KeyCode::Char('?')));
        let roomy = render(&mut m, 120, 40).replace('\u{200D}', "");
        assert!(roomy.contains(&first) && roomy.contains(&last) && !roomy.contains(&scrolls), "{lang:?}\n{roomy}");
    }
}

#[test]
fn a_tiny_terminal_says_so_instead_of_drawing_garbage() {
    let mut m = on_results();
    let screen = render(&mut m, 20, 5);
    assert!(screen.starts_with("Terminal too small"), "{screen}");
    insta::assert_snapshot!("too_small_20x5", screen);
    for (w, h) in [(1, 1), (50, 15), (49, 40), (300, 100)] {
        render(&mut m, w, h);
    }
}

/// Each screen state the Arabic snapshots cover.
fn arabic_states() -> Vec<(&'static str, Model)> {
    let mut otp = demo_model();
    let challenge =
        LoginChallenge { challenge_id: "ch".into(), masked_phone: "05******01".into(), otp_expires_in_s: 120 };
    update(&mut otp, Msg::LoginAnswer(Ok(challenge)));
    otp.pending = 0;
    let mut inquiry = logged_in();
    update(&mut inquiry, key(KeyCode::Enter));
    inquiry.captcha = demo_model().captcha;
    inquiry.pending = 0;
    typed(&mut inquiry, "1271497099");
    let mut people = logged_in();
    update(&mut people, key(KeyCode::Enter));
    people.captcha = demo_model().captcha;
    people.pending = 0;
    update(&mut people, key(KeyCode::Down));
    let mut table = on_results();
    update(&mut table, key(KeyCode::Tab));
    let mut detail = on_results();
    update(&mut detail, key(KeyCode::Tab));
    update(&mut detail, key(KeyCode::Enter));
    let mut help = on_results();
    update(&mut help, key(KeyCode::Char('?')));
    vec![
        ("login", demo_model()),
        ("otp", otp),
        ("services", logged_in()),
        ("inquiry", inquiry),
        ("inquiry_people", people),
        ("results", on_results()),
        ("results_transactions", table),
        ("results_detail", detail),
        ("results_help", help),
    ]
}

#[test]
fn every_screen_in_arabic_in_both_bidi_modes() {
    use rasid::config::BidiMode;
    for (name, mut m) in arabic_states() {
        m.lang = Lang::Ar;
        for (mode, mode_name) in [(BidiMode::App, "app"), (BidiMode::Terminal, "terminal")] {
            m.bidi = mode;
            for (w, h) in [(80, 24), (120, 40)] {
                let screen = render(&mut m, w, h);
                match mode {
                    // Joined letters in visual order; nothing left in logical order.
                    BidiMode::App => {
                        assert!(
                            screen.chars().any(|c| ('\u{FE70}'..='\u{FEFF}').contains(&c)),
                            "{name}: shaped\n{screen}"
                        );
                        assert!(!screen.contains("رصيد"), "{name}: no logical Arabic left\n{screen}");
                        // أُرسل keeps its damma, شهرًا its tanween.
                        let mark = match name {
                            "otp" => Some('\u{064F}'),
                            "results" => Some('\u{064B}'),
                            _ => None,
                        };
                        assert!(mark.is_none_or(|m| screen.contains(m)), "{name}: a diacritic was dropped\n{screen}");
                    }
                    BidiMode::Terminal => {
                        assert!(screen.contains("رصيد"), "{name}: logical text for the terminal");
                        // The joiner would keep the terminal from making the lam-alef ligature.
                        assert!(!screen.contains('\u{200D}'), "{name}: a joiner reached the terminal\n{screen}");
                        // The server's Arabic names, where a person reads them.
                        let arabic_name = match name {
                            "inquiry_people" => Some("نورة الحربي"),
                            "results_transactions" | "results_detail" => Some("تجديد رخصة السير"),
                            _ => None,
                        };
                        assert!(arabic_name.is_none_or(|n| screen.contains(n)), "{name}: no Arabic name\n{screen}");
                    }
                }
                insta::assert_snapshot!(format!("ar_{mode_name}_{name}_{w}x{h}"), screen);
            }
        }
    }
}

#[test]
fn arabic_mirrors_the_layout_and_keeps_numbers_left_to_right() {
    let mut m = on_results();
    m.lang = Lang::Ar;
    let screen = render(&mut m, 120, 40);
    let total = screen.lines().find(|l| l.contains("17,551.75")).expect("the totals row");
    // Columns run right to left: available (400.00) now comes first, paid (17,551.75) last.
    let available = total.find("400.00").unwrap();
    let paid = total.find("17,551.75").unwrap();
    assert!(available < paid, "{total}");
    assert!(total.trim_end().ends_with('│'), "{total}");
    // The subject's line reads right to left: the name on the right, then the ID, then the kind.
    let subject = &m.results.as_ref().unwrap().report.subject;
    let name = rasid::tui::bidi::shape_and_reorder(&subject.name_ar, true);
    let kind = rasid::tui::bidi::shape_and_reorder("مواطن", true);
    let id_line = screen
        .lines()
        .find(|l| l.contains(&name) && l.contains(&subject.id_number))
        .unwrap_or_else(|| panic!("{name} and {}:\n{screen}", subject.id_number));
    let id = id_line.find(&subject.id_number).unwrap();
    assert!(id_line.find(&kind).is_some_and(|k| k < id) && id < id_line.find(&name).unwrap(), "{id_line}");
    assert!(!screen.contains("9680387501"), "the ID keeps its digit order:\n{screen}");
    m.digits = rasid::config::Digits::ArabicIndic;
    let indic = render(&mut m, 120, 40);
    assert!(indic.contains("١٧٬٥٥١٫٧٥") || indic.contains("١٧,٥٥١.٧٥"), "Arabic-Indic digits:\n{indic}");
}

/// Rows of the screen where every cell of `text` is drawn in reverse video.
fn reversed_rows(buffer: &Buffer, text: &str) -> Vec<u16> {
    let screen = text_of(buffer);
    screen
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(text))
        .filter(|(y, line)| {
            let start = line[..line.find(text).unwrap()].chars().count() as u16;
            (start..start + text.chars().count() as u16)
                .all(|x| buffer[(x, *y as u16)].modifier.contains(Modifier::REVERSED))
        })
        .map(|(y, _)| y as u16)
        .collect()
}

#[test]
fn no_color_draws_no_colour_anywhere_and_selection_stays_visible() {
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut login = demo_model();
            login.lang = lang;
            login.colors = ColorDepth::None;
            login.error(T::ErrCaptcha);
            let mut results = on_results();
            results.lang = lang;
            results.colors = ColorDepth::None;
            update(&mut results, key(KeyCode::Tab));
            update(&mut results, key(KeyCode::Down));
            for (name, model) in [("login", &mut login), ("results", &mut results)] {
                let (buffer, _) = draw_frame(model, w, h);
                let coloured: Vec<_> = buffer
                    .content
                    .iter()
                    .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset || c.underline_color != Color::Reset)
                    .map(|c| (c.symbol().to_owned(), c.fg, c.bg))
                    .take(3)
                    .collect();
                assert!(coloured.is_empty(), "{name} {lang:?} {w}x{h}: coloured cells {coloured:?}");
                let screen = text_of(&buffer);
                if name == "login" {
                    // Half blocks need colours: without them the image code is drawn in ink blocks.
                    assert!(screen.contains('█'), "{screen}");
                    assert!(screen.contains('✗'), "an error is marked by a sign, not by red alone");
                    insta::assert_snapshot!(format!("login_no_color_{}_{w}x{h}", lang.code()), screen);
                } else {
                    // The second transaction (2026-10-30) is selected; the first is not.
                    assert_eq!(reversed_rows(&buffer, "2026-10-30").len(), 1, "selection in reverse video:\n{screen}");
                    assert!(reversed_rows(&buffer, "2026-11-05").is_empty(), "{screen}");
                }
            }
        }
    }
}

#[test]
fn the_light_theme_paints_every_cell_and_fits_the_terminal() {
    let paper = Color::Rgb(0xfa, 0xfa, 0xf7);
    for (depth, expected) in
        [(ColorDepth::TrueColor, paper), (ColorDepth::Ansi256, Color::Indexed(231)), (ColorDepth::Ansi16, Color::White)]
    {
        let mut m = on_results();
        m.theme = Theme::Light;
        m.colors = depth;
        let (buffer, _) = draw_frame(&mut m, 120, 40);
        let unpainted = buffer.content.iter().filter(|c| c.bg == Color::Reset || c.fg == Color::Reset).count();
        assert_eq!(unpainted, 0, "{depth:?}: every cell has the theme's colours");
        let paper_cells = buffer.content.iter().filter(|c| c.bg == expected).count();
        assert!(paper_cells > 120 * 40 * 3 / 4, "{depth:?}: mostly paper, {paper_cells} cells");
        if depth != ColorDepth::TrueColor {
            assert!(!buffer.content.iter().any(|c| matches!(c.fg, Color::Rgb(..)) || matches!(c.bg, Color::Rgb(..))));
        }
        if depth == ColorDepth::Ansi16 {
            assert!(
                !buffer.content.iter().any(|c| matches!(c.fg, Color::Indexed(_)) || matches!(c.bg, Color::Indexed(_)))
            );
        }
    }
}

#[test]
fn a_click_lands_on_the_row_or_field_drawn_under_it() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_results();
        m.lang = lang;
        let (buffer, cache) = draw_frame(&mut m, 120, 40);
        let screen = text_of(&buffer);
        let y = screen.lines().position(|l| l.contains("2026-09-14")).unwrap_or_else(|| panic!("{screen}")) as u16;
        let line = screen.lines().nth(usize::from(y)).unwrap();
        let x = line.chars().position(|c| c.is_ascii_digit()).unwrap() as u16;
        assert_eq!(cache.hit_at(x, y, 120), Some(Hit::Row(2)), "{lang:?}: the third transaction is drawn there");
        update(&mut m, Msg::Click(Hit::Row(2)));
        assert_eq!(m.results.as_ref().unwrap().table.selected, 2);
        update(&mut m, Msg::Click(Hit::Row(2)));
        assert!(m.results.as_ref().unwrap().detail, "a second click opens the row");
        update(&mut m, key(KeyCode::Esc));
        update(&mut m, Msg::Wheel(false));
        assert_eq!(m.results.as_ref().unwrap().table.selected, 0, "the wheel scrolls three rows, not past the top");
        update(&mut m, Msg::Wheel(true));
        assert_eq!(m.results.as_ref().unwrap().table.selected, 3);
    }
    // The ID field is 40 columns wide: on the left in English, on the right once Arabic mirrors the layout.
    for lang in [Lang::En, Lang::Ar] {
        let mut m = logged_in();
        update(&mut m, key(KeyCode::Enter));
        m.lang = Lang::En;
        let (english, _) = draw_frame(&mut m, 100, 30);
        let y = text_of(&english).lines().position(|l| l.contains("┌ID or iqama number")).unwrap() as u16 + 1;
        m.lang = lang;
        let (_, cache) = draw_frame(&mut m, 100, 30);
        let (inside, outside) = if lang == Lang::En { (5, 95) } else { (95, 5) };
        assert_eq!(cache.hit_at(inside, y, 100), Some(Hit::Focus(0)), "{lang:?}: the ID field is drawn there");
        assert_eq!(cache.hit_at(outside, y, 100), None, "{lang:?}: nothing is drawn there");
    }
    let mut m = demo_model();
    let (buffer, cache) = draw_frame(&mut m, 80, 24);
    let y = text_of(&buffer).lines().position(|l| l.contains("Password")).unwrap() as u16 + 1;
    let hit = cache.hit_at(10, y, 80).unwrap();
    update(&mut m, Msg::Click(hit));
    assert_eq!(m.login.focus, rasid::tui::screens::login::Focus::Password, "a click focuses the field");
}

/// Every screen (and its typing mode) in both languages: the status line is the screen's key
/// table and the keys that work everywhere, and `?` lists every help line of the screen's table.
#[test]
fn the_status_line_and_the_help_show_the_key_table_of_each_screen() {
    use rasid::config::BidiMode;
    use rasid::tui::{keys, screens};
    let states = one_model_in_each_key_state();
    for lang in [Lang::En, Lang::Ar] {
        for state in &states {
            let mut m = Model { lang, bidi: BidiMode::Terminal, ..clone_of(state) };
            let table = screens::status_keys(&m);
            let status = render(&mut m, 200, 50).lines().last().unwrap().trim().to_owned();
            let global = keys::status_items(lang, screens::global_keys(&m)).join(" · ");
            let expected = format!("{}  ·  {global}", keys::status_items(lang, table).join(" · "));
            // The terminal gets the text without the layout's joiner.
            assert_eq!(status, expected.replace('\u{200D}', ""));

            update(&mut m, key(KeyCode::F(1)));
            let screen = render(&mut m, 200, 50);
            let lines = keys::help_lines(lang, screens::key_table(m.screen));
            assert!(!lines.is_empty());
            for line in lines {
                let line = line.replace('\u{200D}', "");
                assert!(screen.contains(&line), "{:?} {lang:?}: the help lacks {line:?}\n{screen}", m.screen);
            }
        }
    }
}

#[test]
fn the_help_key_the_status_line_offers_opens_the_help() {
    let mut on_submit = demo_model();
    on_submit.login.focus = rasid::tui::screens::login::Focus::Submit;
    let mut states = one_model_in_each_key_state();
    states.push(on_submit);
    for state in &states {
        let mut m = clone_of(state);
        let status = render(&mut m, 200, 50).lines().last().unwrap().to_owned();
        let (question, f1) = (status.contains("? help"), status.contains("F1 help"));
        assert!(question != f1, "{:?}: one help key in {status:?}", m.screen);
        let key_shown = if question { KeyCode::Char('?') } else { KeyCode::F(1) };
        update(&mut m, key(key_shown));
        assert!(m.help, "{:?}: {key_shown:?} is offered in {status:?} but opens no help", m.screen);
        if f1 {
            let mut typed = clone_of(state);
            update(&mut typed, key(KeyCode::Char('?')));
            assert!(!typed.help, "{:?}: ? is a character here, so the status line says F1", m.screen);
        }
    }
}

#[test]
fn cut_text_says_so_and_keeps_what_matters() {
    let path = "/home/someone/Downloads/rasid-1057830869-20261125-155315.csv";
    let mut m = on_results();
    update(&mut m, Msg::Exported(Ok((path.into(), 72))));
    let screen = render(&mut m, 55, 24);
    assert!(screen.replace('\n', "").contains(path), "the whole path, extension and all:\n{screen}");

    update(&mut m, key(KeyCode::Char('e')));
    let screen = render(&mut m, 50, 24);
    assert!(screen.contains("Esc = cancel"), "how to cancel the export:\n{screen}");

    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Tab));
    let screen = render(&mut m, 55, 24);
    assert!(screen.contains("Domesti…"), "a cut service name says so:\n{screen}");

    let mut services = logged_in();
    let screen = render(&mut services, 50, 24);
    for line in screen.lines().filter(|l| l.contains('(')) {
        assert!(line.contains(')') || line.ends_with('…'), "cut with no mark: {line:?}\n{screen}");
    }

    let mut inquiry = logged_in();
    update(&mut inquiry, key(KeyCode::Enter));
    let screen = render(&mut inquiry, 50, 24);
    let hint = T::PickHint.get(Lang::En);
    let start = &hint[..hint.len() / 2];
    assert!(!screen.contains(start) || screen.contains(hint), "the hint whole or not at all:\n{screen}");
}

#[test]
fn the_counter_groups_both_numbers_and_an_empty_history_is_not_called_filtered() {
    let mut m = on_results();
    // The first page again, as if the history had grown to 1,223 rows since.
    let (generation, fetch) = fetch_first_again(&mut m);
    let page = TransactionPage { total_count: 1223, ..transactions() };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(page) });
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::End));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("row 1,223 of 1,223"), "{screen}");

    let mut m = on_results();
    let (generation, fetch) = fetch_first_again(&mut m);
    let empty = TransactionPage { total_count: 0, items: vec![], next_cursor: None, prev_cursor: None, position: 0 };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(empty.clone()) });
    update(&mut m, key(KeyCode::Tab));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("No transactions yet.") && !screen.contains("match"), "{screen}");
    update(&mut m, key(KeyCode::Char('f')));
    let (generation, fetch) = in_flight(&m);
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(empty) });
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("No transactions match."), "with a sector filter on:\n{screen}");
}

/// A model like `m`, ready to be changed on its own.
fn clone_of(m: &Model) -> Model {
    let mut copy = Model::new(m.lang, m.demo.clone(), m.now_ms);
    copy.screen = m.screen;
    copy.session = m.session.clone();
    copy.captcha = m.captcha.clone();
    copy.login = m.login.clone();
    copy.otp = m.otp.clone();
    copy.services = m.services.clone();
    copy.inquiry = m.inquiry.clone();
    copy.results = m.results.clone();
    copy
}

#[test]
fn readme_lists_the_keys_of_the_key_tables() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = rasid::tui::screens::readme_key_table();
    assert!(readme.contains(&table), "README's key table is not tui/keys.rs's; it should read:\n{table}");
}

/// `--digits arabic-indic` writes values (amounts, counts, dates) in ٠-٩ and
/// leaves alone what is not a number: a username, a key name, a reference, an
/// ID number, what the user typed.
#[test]
fn arabic_indic_digits_change_values_only() {
    use rasid::config::Digits;
    let mut login = demo_model();
    typed(&mut login, "abdullah01");
    let mut detail = on_results();
    update(&mut detail, key(KeyCode::Tab));
    update(&mut detail, key(KeyCode::Enter));
    let mut inquiry = logged_in();
    update(&mut inquiry, key(KeyCode::Enter));
    inquiry.pending = 0;
    typed(&mut inquiry, "1271497099");
    update(&mut inquiry, key(KeyCode::Tab));
    typed(&mut inquiry, "1680");
    let mut screens = vec![];
    for mut m in [login, on_results(), detail, inquiry] {
        m.lang = Lang::Ar;
        m.digits = Digits::ArabicIndic;
        screens.push(render(&mut m, 120, 40));
    }
    let [login, results, detail, inquiry] = &screens[..] else { unreachable!() };
    assert!(login.contains("abdullah01") && login.contains("F2"), "as typed, and the key's name:\n{login}");
    assert!(!login.contains('٠') && !login.contains('٢'), "nothing on the login screen is a value:\n{login}");
    for value in ["+١٠٠.٠٠", "٢٠٢٦-١١-٠٥", "١٧,٥٥١.٧٥", "١١/٢٦", "١.٢k", "١٠:٠٠"] {
        assert!(results.contains(value), "{value}: amounts, dates, times, counts:\n{results}");
    }
    assert!(results.contains("1057830869"), "the ID number:\n{results}");
    assert!(detail.contains("SADAD-7101000000") && detail.contains("1057830869"), "reference and ID:\n{detail}");
    assert!(inquiry.contains("1271497099") && inquiry.contains("1680"), "typed ID and image code:\n{inquiry}");
}

/// Login, the code screen, My Services (and searching it), the inquiry form, results (and filtering
/// them): every key table the status line can show.
fn one_model_in_each_key_state() -> Vec<Model> {
    let mut otp = demo_model();
    otp.screen = rasid::tui::app::Screen::Otp;
    let mut inquiry = logged_in();
    update(&mut inquiry, key(KeyCode::Enter));
    let mut searching = logged_in();
    update(&mut searching, key(KeyCode::Char('/')));
    let mut filtering = on_results();
    update(&mut filtering, key(KeyCode::Char('/')));
    let mut going_to = on_results();
    update(&mut going_to, key(KeyCode::Char('g')));
    vec![demo_model(), otp, logged_in(), searching, inquiry, on_results(), filtering, going_to]
}

/// 100 rows from 2025-03-01 back, three a day: a page from the middle of a long history.
fn page_at(position: u64, total: u64) -> TransactionPage {
    let base = transactions().items;
    let first = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let items = (0..100)
        .map(|i| Transaction {
            id: 900_000 - i as i64,
            date: (first - chrono::Days::new(i / 3)).format("%Y-%m-%d").to_string(),
            ..base[i as usize % base.len()].clone()
        })
        .collect();
    TransactionPage {
        items,
        next_cursor: Some("next".into()),
        prev_cursor: Some("prev".into()),
        total_count: total,
        position,
    }
}

/// After `g` and a day, the table is at the row the server placed the day on, says so, and its
/// scrollbar stands there; the field itself, while typed, says what it takes.
#[test]
fn a_jump_to_a_date_says_which_row_of_the_history_it_is_and_the_field_shows_what_it_takes() {
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut m = on_results();
            m.lang = lang;
            update(&mut m, key(KeyCode::Char('g')));
            typed(&mut m, "h1446-09-01");
            let field = render(&mut m, w, h);
            assert!(field.contains("h1446-09-01"), "{field}");
            insta::assert_snapshot!(format!("results_goto_field_{lang:?}_{w}x{h}"), field);

            update(&mut m, key(KeyCode::Enter));
            let (generation, fetch) = in_flight(&m);
            update(&mut m, Msg::Transactions { generation, fetch, result: Ok(page_at(812_344, 1_134_682)) });
            let jumped = render(&mut m, w, h);
            let counter = if lang == Lang::En { "row 812,345 of 1,134,682" } else { "812,345" };
            assert!(jumped.contains(counter), "{jumped}");
            assert!(jumped.contains("2025-03-01"), "{jumped}");
            insta::assert_snapshot!(format!("results_jump_{lang:?}_{w}x{h}"), jumped);
        }
    }
}

/// Rows of the screen that hold the image code's half blocks.
fn picture_rows(screen: &str) -> usize {
    screen.lines().filter(|l| l.contains('▀') || l.contains('▄')).count()
}

#[test]
fn login_and_inquiry_work_at_the_smallest_size_and_keep_what_was_typed_across_sizes() {
    let lang_name = |lang: Lang| if lang == Lang::En { "en" } else { "ar" };
    for lang in [Lang::En, Lang::Ar] {
        let mut m = demo_model();
        m.lang = lang;
        let typing = |m: &mut Model, text: &str| {
            for c in text.chars() {
                update(m, key(KeyCode::Char(c)));
            }
        };
        typing(&mut m, "abdullah01");
        update(&mut m, key(KeyCode::Tab));
        typing(&mut m, "Rasid@2026");
        update(&mut m, key(KeyCode::Tab));
        typing(&mut m, "4821");
        for (w, h) in [(50, 15), (80, 24), (50, 15), (120, 40), (50, 16)] {
            let screen = render(&mut m, w, h);
            for typed in ["abdullah01", "••••••••••", "4821"] {
                assert!(screen.contains(typed), "{lang:?} {w}x{h}: {typed} is not shown\n{screen}");
            }
            // As many rows of picture as at 80x24, where the image code is read.
            assert!(picture_rows(&screen) >= 8, "{lang:?} {w}x{h}: the image code is too small\n{screen}");
        }
        insta::assert_snapshot!(format!("login_{}_50x15", lang_name(lang)), render(&mut m, 50, 15));

        let mut m = logged_in();
        m.lang = lang;
        update(&mut m, key(KeyCode::Enter));
        m.captcha = demo_model().captcha;
        m.pending = 0;
        typing(&mut m, "1057830869");
        update(&mut m, key(KeyCode::Tab));
        typing(&mut m, "4821");
        for (w, h) in [(50, 15), (80, 24), (50, 15), (120, 40)] {
            let screen = render(&mut m, w, h);
            for typed in ["1057830869", "4821"] {
                assert!(screen.contains(typed), "{lang:?} {w}x{h}: {typed} is not shown\n{screen}");
            }
            assert!(picture_rows(&screen) >= 7, "{lang:?} {w}x{h}: the image code is too small\n{screen}");
            if lang == Lang::En {
                assert!(screen.contains("Valid: citizen"), "{w}x{h}\n{screen}");
            }
        }
        insta::assert_snapshot!(format!("inquiry_{}_50x15", lang_name(lang)), render(&mut m, 50, 15));
    }
}

/// A search the server refuses as too broad, and a sort that fails: the rows stay under their
/// own sort, and the notice is there whole, wrapped, not cut at the table's edge.
#[test]
fn a_refused_search_and_a_failed_sort_leave_the_rows_and_say_so_whole() {
    use rasid::api::ErrorCode;
    use rasid::client::ClientError;
    let refusal = ClientError::Api {
        code: ErrorCode::BadRequest,
        message: "Text search (`q`) reads at most 100,000 transactions, and these filters leave 1,031,725 to read: \
                  add `from=2025-10-27` (or a later day), or a `sector` or `kind` that leaves fewer."
            .into(),
        attempts_left: None,
        retry_after_s: None,
    };
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut m = on_results();
            m.lang = lang;
            update(&mut m, key(KeyCode::Char('/')));
            typed(&mut m, "Bilal");
            update(&mut m, key(KeyCode::Enter));
            let (generation, fetch) = in_flight(&m);
            update(&mut m, Msg::Transactions { generation, fetch, result: Err(refusal.clone()) });
            let refused = render(&mut m, w, h);
            assert!(refused.contains("2026-03-02") && refused.contains("2025-02-10"), "the rows stay:\n{refused}");
            if lang == Lang::En {
                assert!(refused.contains("Sort: Date ↓"), "{refused}");
                assert!(refused.replace('\n', " ").contains("search runs within it."), "the notice's end:\n{refused}");
                assert!(!refused.contains("not understood"), "{refused}");
            }
            insta::assert_snapshot!(format!("results_search_too_broad_{lang:?}_{w}x{h}"), refused);

            update(&mut m, key(KeyCode::Char('s')));
            let (generation, fetch) = in_flight(&m);
            update(&mut m, Msg::Transactions { generation, fetch, result: Err(ClientError::Unreachable) });
            let failed = render(&mut m, w, h);
            assert!(failed.contains("2026-03-02") && failed.contains("2025-02-10"), "the rows stay:\n{failed}");
            if lang == Lang::En {
                assert!(failed.contains("Sort: Date ↓") && !failed.contains("Sort: Date ↑"), "{failed}");
                assert!(failed.replace('\n', " ").contains("then try again."), "the notice's end:\n{failed}");
            }
            insta::assert_snapshot!(format!("results_sort_failed_{lang:?}_{w}x{h}"), failed);
        }
    }
}

/// A notice already on screen reads in the new language after F2, its arguments kept: an
/// export's row count and file, and a failed call's reason.
#[test]
fn f2_rewords_the_notice_on_screen() {
    use rasid::client::ClientError;
    use rasid::config::BidiMode;
    use rasid::present::strings::{Arg, tr};
    let path = "/tmp/wd/rasid-workers-20261129-020611.csv";
    let exported = |lang| tr(lang, T::Exported, &[("n", Arg::Num(62)), ("path", Arg::Str(path))]);
    let unreachable = |lang| rasid::present::errors::describe_error(lang, &ClientError::Unreachable);
    let with_export = |lang| {
        let mut m = on_results();
        m.lang = lang;
        update(&mut m, Msg::Exported(Ok((path.into(), 62))));
        m
    };
    let with_failure = |lang| {
        let mut m = on_results();
        m.lang = lang;
        update(&mut m, key(KeyCode::Char('s')));
        let (generation, fetch) = in_flight(&m);
        update(&mut m, Msg::Transactions { generation, fetch, result: Err(ClientError::Unreachable) });
        m
    };
    // The first words of each wording, which the notice line holds whole at 80 columns.
    let opening = |text: String| text.split(' ').take(3).collect::<Vec<_>>().join(" ");
    for name in ["export_en_to_ar", "export_ar_to_en", "failure_en_to_ar", "failure_ar_to_en"] {
        let before = if name.contains("en_to") { Lang::En } else { Lang::Ar };
        let export = name.starts_with("export");
        let wording = |lang| if export { exported(lang) } else { unreachable(lang) };
        let make = || if export { with_export(before) } else { with_failure(before) };
        let mut terminal_bidi = make();
        terminal_bidi.bidi = BidiMode::Terminal;
        update(&mut terminal_bidi, key(KeyCode::F(2)));
        let after = terminal_bidi.lang;
        assert_ne!(before, after);
        for (w, h) in [(80, 24), (120, 40)] {
            // The terminal gets the letters in logical order, without the layout's joiner.
            let screen = render(&mut terminal_bidi, w, h).replace('\u{200D}', "");
            assert!(screen.contains(&opening(wording(after))), "{name} {w}x{h}: not re-worded\n{screen}");
            assert!(!screen.contains(&opening(wording(before))), "{name} {w}x{h}: the old wording stays\n{screen}");
        }
        let mut m = make();
        update(&mut m, key(KeyCode::F(2)));
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("f2_notice_{name}_{w}x{h}"), render(&mut m, w, h));
        }
    }
}
