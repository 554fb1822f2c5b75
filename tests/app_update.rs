//! `update` without a terminal: every screen transition and error path.

mod app_common;

use app_common::{api_error, ctrl, key, typed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rasid::api::{
    BalanceReport, Captcha, ErrorCode, LinkedPerson, LoginChallenge, Person, Relation, Secret, ServiceNode, Session,
    TransactionPage, TransactionsQuery, TxSort,
};
use rasid::client::ClientError;
use rasid::config::Lang;
use rasid::domain::PersonKind;
use rasid::present::export::Format;
use rasid::tui::app::{Cmd, DemoInfo, IDLE_TIMEOUT_MS, Model, Msg, NoticeKind, Screen, update};
use rasid::tui::screens::{inquiry, login};
use rasid::tui::strings::T;

const NOW: i64 = 1_795_600_000_000;

fn notice(model: &Model) -> String {
    model.notice.as_ref().map(|n| n.text(model.lang)).unwrap_or_default()
}

fn captcha_answer(model: &mut Model, id: &str) {
    let png = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode([0u8; 4])
    };
    let c = Captcha { captcha_id: id.into(), image_png_base64: png, width: 120, height: 40, expires_in_s: 120 };
    update(model, Msg::Captcha(Ok(c)));
}

fn demo() -> Option<DemoInfo> {
    Some(DemoInfo { accounts: vec![("abdullah01".into(), "1057830869".into())], password: "Rasid@2026".into() })
}

fn new_model() -> Model {
    let mut m = Model::new(Lang::En, demo(), NOW);
    let cmds = m.init();
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
    captcha_answer(&mut m, "c1");
    m
}

fn person(id: &str, relation: Relation) -> LinkedPerson {
    LinkedPerson {
        id_number: id.into(),
        name_ar: "نورة الحربي".into(),
        name_en: format!("P {id}"),
        kind: PersonKind::Citizen,
        relation,
    }
}

fn session() -> Session {
    Session {
        token: Secret::new("tok"),
        expires_in_s: 600,
        user: Person {
            id_number: "1057830869".into(),
            name_ar: "عبدالله الحربي".into(),
            name_en: "Abdullah".into(),
            kind: PersonKind::Citizen,
        },
    }
}

/// A model on the inquiry form, logged in, with people loaded and an image code shown.
fn on_inquiry() -> Model {
    let mut m = new_model();
    update(&mut m, Msg::OtpAnswer(Ok(session())));
    let tree: Vec<ServiceNode> = serde_json::from_value(serde_json::json!([
        {"key": "inquiries", "title_ar": "الاستعلامات", "title_en": "Inquiries", "children": [
            {"key": "traffic", "title_ar": "المخالفات المرورية", "title_en": "Traffic Violations", "available": false},
            {"key": "payments_balance", "title_ar": "الاستعلام عن الرصيد المتاح", "title_en": "Query Available Funds", "available": true, "action": "payments_balance"}
        ]}
    ]))
    .unwrap();
    update(&mut m, Msg::Services(Ok(tree)));
    update(&mut m, Msg::People(Ok(vec![person("1057830869", Relation::Own), person("1271497099", Relation::Spouse)])));
    let cmds = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.screen, Screen::Inquiry);
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
    captcha_answer(&mut m, "c2");
    m.pending = 0;
    m
}

fn report() -> BalanceReport {
    serde_json::from_value(serde_json::json!({
        "subject": {"id_number": "1271497099", "name_ar": "نورة", "name_en": "Noura", "kind": "citizen"},
        "as_of": "2026-11-25T10:00:00+03:00",
        "balances": [{"sector": "passports", "paid": "650.00", "used": "200.00", "refunded": "0.00", "available": "450.00"}],
        "totals": {"paid": "650.00", "used": "200.00", "refunded": "0.00", "available": "450.00"}
    }))
    .unwrap()
}

#[test]
fn login_fields_cycle_with_tab_and_enter_says_what_is_missing() {
    let mut m = new_model();
    assert_eq!(m.login.focus, login::Focus::Username);
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(m.login.focus, login::Focus::Password);
    update(&mut m, key(KeyCode::BackTab));
    update(&mut m, key(KeyCode::BackTab));
    assert_eq!(m.login.focus, login::Focus::Submit, "Shift-Tab wraps");
    let cmds = update(&mut m, key(KeyCode::Enter));
    assert!(cmds.is_empty());
    assert_eq!(m.login.focus, login::Focus::Username);
    assert_eq!(notice(&m), T::FieldRequired.get(Lang::En));
}

#[test]
fn login_sends_the_fields_and_spends_the_image_code() {
    let mut m = new_model();
    typed(&mut m, "abdullah01");
    update(&mut m, key(KeyCode::Tab));
    typed(&mut m, "S3cret!pw");
    update(&mut m, key(KeyCode::Tab));
    typed(&mut m, "4732");
    let cmds = update(&mut m, key(KeyCode::Enter));
    let [Cmd::Login(req)] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(req.username, "abdullah01");
    assert_eq!(req.password.expose(), "S3cret!pw");
    assert_eq!((req.captcha_id.as_str(), req.captcha_answer.expose()), ("c1", "4732"));
    assert!(m.captcha.id.is_none(), "an image code is used once");
    assert_eq!(m.pending, 1);
    assert!(!format!("{m:?}").contains("S3cret"), "the password never shows in Debug");
}

#[test]
fn every_login_error_gets_a_clear_message_and_a_new_image_code() {
    let cases = [
        (
            ClientError::Api {
                code: ErrorCode::InvalidCredentials,
                message: String::new(),
                attempts_left: Some(3),
                retry_after_s: None,
            },
            "Wrong username or password.",
        ),
        (
            ClientError::Api {
                code: ErrorCode::AccountLocked,
                message: String::new(),
                attempts_left: None,
                retry_after_s: Some(900),
            },
            "15 min",
        ),
        (api_error(ErrorCode::CaptchaInvalid), "image code is wrong"),
        (
            ClientError::Api {
                code: ErrorCode::RateLimited,
                message: String::new(),
                attempts_left: None,
                retry_after_s: Some(42),
            },
            "Wait 42 s",
        ),
        (ClientError::Unreachable, "cannot be reached"),
        (ClientError::Timeout, "did not answer in time"),
        (ClientError::BadResponse("x".into()), "not understood"),
        (ClientError::Certificate, "certificate could not be verified"),
        (ClientError::Redirected("https://elsewhere.example/login".into()), "https://elsewhere.example/login"),
    ];
    for (err, expected) in cases {
        let mut m = new_model();
        m.login.password.set("wrong");
        let cmds = update(&mut m, Msg::LoginAnswer(Err(err.clone())));
        assert_eq!(cmds, vec![Cmd::FetchCaptcha], "{err:?}");
        assert_eq!(m.screen, Screen::Login);
        assert!(notice(&m).contains(expected), "{err:?}: {}", notice(&m));
        assert!(!notice(&m).contains("tries left"), "a password try count is never shown: {}", notice(&m));
        assert_eq!(m.notice.as_ref().unwrap().kind, NoticeKind::Error);
    }
}

#[test]
fn password_accepted_goes_to_the_code_with_a_countdown() {
    let mut m = new_model();
    let challenge =
        LoginChallenge { challenge_id: "ch".into(), masked_phone: "05******01".into(), otp_expires_in_s: 120 };
    let cmds = update(&mut m, Msg::LoginAnswer(Ok(challenge)));
    assert_eq!(m.screen, Screen::Otp);
    assert_eq!(cmds, vec![Cmd::FetchOutbox], "the demo shows the simulated SMS");
    assert_eq!(m.otp.seconds_left(m.now_ms), 120);
    m.now_ms += 30_500;
    assert_eq!(m.otp.seconds_left(m.now_ms), 90);

    typed(&mut m, "12a");
    assert_eq!(m.otp.code.value(), "12", "letters are refused");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(notice(&m), T::OtpNeeds4.get(Lang::En));
    typed(&mut m, "٣٤");
    let cmds = update(&mut m, key(KeyCode::Enter));
    let [Cmd::VerifyOtp(req)] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(req.code.expose(), "1234", "Eastern Arabic digits are sent as ASCII");

    let err = ClientError::Api {
        code: ErrorCode::OtpInvalid,
        message: String::new(),
        attempts_left: Some(2),
        retry_after_s: None,
    };
    update(&mut m, Msg::OtpAnswer(Err(err)));
    assert_eq!(m.screen, Screen::Otp);
    assert!(notice(&m).contains("2 tries left"));
}

#[test]
fn the_last_wrong_code_ends_the_login_and_says_so() {
    let mut m = new_model();
    let challenge = LoginChallenge { challenge_id: "ch".into(), masked_phone: "05".into(), otp_expires_in_s: 120 };
    update(&mut m, Msg::LoginAnswer(Ok(challenge)));
    typed(&mut m, "1234");
    update(&mut m, key(KeyCode::Enter));
    let err = ClientError::Api {
        code: ErrorCode::OtpInvalid,
        message: String::new(),
        attempts_left: Some(0),
        retry_after_s: None,
    };
    let cmds = update(&mut m, Msg::OtpAnswer(Err(err)));
    assert_eq!(m.screen, Screen::Login, "the server takes no more codes for this login");
    assert_eq!(cmds, vec![Cmd::FetchCaptcha], "a new login needs a new image code");
    assert_eq!(notice(&m), T::ErrOtpLast.get(Lang::En));
    assert!(notice(&m).contains("Log in again") && !notice(&m).contains("0 tries"), "{}", notice(&m));
}

#[test]
fn an_expired_code_can_be_resent_and_a_dead_login_starts_over() {
    let mut m = new_model();
    let challenge = LoginChallenge { challenge_id: "ch".into(), masked_phone: "05".into(), otp_expires_in_s: 120 };
    update(&mut m, Msg::LoginAnswer(Ok(challenge)));
    assert!(update(&mut m, ctrl('r')).is_empty(), "no resend while the code is alive");
    m.now_ms += 121_000;
    typed(&mut m, "1234");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert!(notice(&m).contains("expired"));
    assert_eq!(update(&mut m, ctrl('r')), vec![Cmd::ResendOtp("ch".into())]);

    let cmds = update(&mut m, Msg::OtpAnswer(Err(api_error(ErrorCode::OtpExpired))));
    assert_eq!(m.screen, Screen::Login);
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
}

#[test]
fn verified_code_opens_my_services_and_loads_people() {
    let mut m = new_model();
    let cmds = update(&mut m, Msg::OtpAnswer(Ok(session())));
    assert_eq!(m.screen, Screen::Services);
    assert_eq!(cmds, vec![Cmd::FetchServices(Secret::new("tok")), Cmd::FetchPeople(Secret::new("tok"))]);
}

#[test]
fn services_move_over_leaves_search_and_refuse_what_is_not_offered() {
    let mut m = on_inquiry();
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Services);
    let visible = m.services.visible();
    assert_eq!(visible[m.services.selected].title_en, "Query Available Funds");
    update(&mut m, key(KeyCode::Char('k')));
    assert_eq!(m.services.visible()[m.services.selected].title_en, "Traffic Violations");
    update(&mut m, key(KeyCode::Char('k')));
    assert_eq!(m.services.visible()[m.services.selected].title_en, "Traffic Violations", "groups are not selectable");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(m.screen, Screen::Services);
    assert!(notice(&m).contains("not available"));

    update(&mut m, key(KeyCode::Char('/')));
    typed(&mut m, "funds");
    let visible = m.services.visible();
    assert_eq!(visible.len(), 1);
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.screen, Screen::Inquiry);

    // Back on My Services: the whole list, the opened service selected, and `/` starts afresh.
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Services);
    assert!(m.services.visible().len() > 1);
    assert_eq!(m.services.visible()[m.services.selected].title_en, "Query Available Funds");
    update(&mut m, key(KeyCode::Char('/')));
    assert_eq!(m.services.search.value(), "");
}

#[test]
fn esc_on_my_services_asks_before_logging_out() {
    let mut m = on_inquiry();
    update(&mut m, key(KeyCode::Esc));
    assert!(update(&mut m, key(KeyCode::Esc)).is_empty(), "one Esc does not log out");
    assert_eq!((m.screen, m.session.is_some()), (Screen::Services, true));
    assert_eq!(notice(&m), T::ConfirmLogout.get(Lang::En));
    update(&mut m, key(KeyCode::Char('j')));
    assert!(update(&mut m, key(KeyCode::Esc)).is_empty(), "another key between the two keeps the session");
    assert_eq!(m.screen, Screen::Services);
    let cmds = update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Login);
    assert!(m.session.is_none());
    assert!(cmds.contains(&Cmd::Logout(Secret::new("tok"))));
    assert_eq!(notice(&m), T::LoggedOut.get(Lang::En));
}

#[test]
fn the_id_field_validates_live() {
    let cases = [
        ("", "Enter a 10-digit"),
        ("105783", "6 of 10"),
        ("3057830869", "starts with 1"),
        ("1057830868", "check digit"),
        ("1057830869", "citizen"),
        ("٢١٣٤٦٥٣٥٥٥", "resident"),
    ];
    for (text, expected) in cases {
        let (_, message) = rasid::present::errors::id_feedback(Lang::En, text);
        assert!(message.contains(expected), "{text}: {message}");
    }
}

#[test]
fn an_invalid_id_is_explained_not_sent() {
    let mut m = on_inquiry();
    typed(&mut m, "1057830868");
    update(&mut m, key(KeyCode::Tab));
    typed(&mut m, "1234");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(m.inquiry.focus, inquiry::Focus::IdNumber);
    assert!(notice(&m).contains("check digit"));
}

#[test]
fn the_pick_list_fills_the_id_and_view_sends_the_inquiry() {
    let mut m = on_inquiry();
    update(&mut m, ctrl('p'));
    assert_eq!(m.inquiry.picking, Some(0));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.inquiry.id_number.value(), "1271497099");
    assert_eq!(m.inquiry.focus, inquiry::Focus::ImageCode);
    typed(&mut m, "4321");
    let cmds = update(&mut m, key(KeyCode::Enter));
    let [Cmd::Inquire(token, req)] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(token.expose(), "tok");
    assert_eq!(
        (req.id_number.as_str(), req.captcha_id.as_str(), req.captcha_answer.expose()),
        ("1271497099", "c2", "4321")
    );
}

#[test]
fn refused_inquiries_keep_the_form_and_fetch_a_new_image_code() {
    for (code, expected, focus) in [
        (ErrorCode::NotAuthorized, "only about yourself", inquiry::Focus::IdNumber),
        (ErrorCode::CaptchaInvalid, "image code", inquiry::Focus::ImageCode),
        (ErrorCode::NotFound, "No record", inquiry::Focus::IdNumber),
    ] {
        let mut m = on_inquiry();
        typed(&mut m, "1058529940");
        let cmds = update(&mut m, Msg::Balance(Err(api_error(code))));
        assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
        assert_eq!(m.screen, Screen::Inquiry);
        assert_eq!(m.inquiry.id_number.value(), "1058529940");
        assert_eq!(m.inquiry.focus, focus);
        assert!(notice(&m).contains(expected), "{code:?}: {}", notice(&m));
    }
}

#[test]
fn a_session_that_ended_returns_to_login_and_keeps_the_form() {
    let mut m = on_inquiry();
    typed(&mut m, "1271497099");
    let cmds = update(&mut m, Msg::Balance(Err(api_error(ErrorCode::Unauthenticated))));
    assert_eq!(m.screen, Screen::Login);
    assert!(m.session.is_none());
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
    assert_eq!(notice(&m), T::SessionRefused.get(Lang::En));
    assert_eq!(m.inquiry.id_number.value(), "1271497099", "what the user typed is kept");
}

#[test]
fn a_logout_leaves_nothing_of_the_person_for_whoever_logs_in_next() {
    let mut m = on_inquiry();
    m.login.username.set("abdullah01");
    typed(&mut m, "1271497099");
    update(&mut m, Msg::Balance(Ok(report())));
    assert_eq!(m.screen, Screen::Results);
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Services);
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!((m.screen, m.session.is_none()), (Screen::Login, true));
    assert_eq!(m.login.username.value(), "", "the last user's name");
    assert_eq!(m.login.focus, login::Focus::Username);
    assert_eq!(m.inquiry.id_number.value(), "", "the ID the last user asked about");
    assert!(m.inquiry.people.is_empty() && m.services.rows.is_empty() && m.results.is_none());
}

/// A session the server refuses may have ended by a restart or a logout elsewhere: the notice does
/// not claim idle minutes it cannot know of. The app's own idle count says so only when it ends one.
#[test]
fn a_session_the_server_refuses_is_not_said_to_have_idled_out() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_inquiry();
        m.lang = lang;
        update(&mut m, Msg::Balance(Err(api_error(ErrorCode::Unauthenticated))));
        assert_eq!(m.screen, Screen::Login);
        let said = notice(&m);
        assert_ne!(said, T::SessionEnded.get(lang), "{said}");
        let reasons: &[&str] = match lang {
            Lang::En => &["10 idle minutes", "logged out elsewhere", "server restarted"],
            Lang::Ar => &["10 دقائق دون نشاط", "سُجّل الخروج من جهاز آخر", "أُعيد تشغيل الخادم"],
        };
        for reason in reasons {
            assert!(said.contains(reason), "{said} names {reason}");
        }
    }
}

#[test]
fn ten_idle_minutes_end_the_session_without_a_call() {
    let mut m = on_inquiry();
    m.now_ms += IDLE_TIMEOUT_MS - 1000;
    assert!(update(&mut m, Msg::Tick).is_empty());
    assert_eq!(m.screen, Screen::Inquiry);
    m.now_ms += 2000;
    update(&mut m, Msg::Tick);
    assert_eq!(m.screen, Screen::Login);
    assert_eq!(notice(&m), T::SessionEnded.get(Lang::En));
}

#[test]
fn results_load_pages_sort_filter_and_export() {
    let mut m = on_inquiry();
    let cmds = update(&mut m, Msg::Balance(Ok(report())));
    assert_eq!(m.screen, Screen::Results);
    assert_eq!(cmds.len(), 4, "first page, two spending series and the documents: {cmds:?}");
    let Cmd::FetchTransactions { generation, fetch, query, .. } = &cmds[0] else { panic!("{cmds:?}") };
    assert_eq!(query.sort, Some(TxSort::DateDesc));
    let (generation, first) = (*generation, *fetch);

    let items: Vec<_> = (0..100)
        .map(|i| {
            serde_json::from_value(serde_json::json!({"id": 1000 - i, "date": "2026-01-01", "sector": "passports",
                "service_code": "exit_reentry_single", "service_ar": "تأشيرة خروج وعودة", "service_en": "Exit", "kind": "usage",
                "amount": "200.00", "beneficiary_id": "1271497099", "reference": "r", "status": "settled"}))
            .unwrap()
        })
        .collect();
    let page =
        TransactionPage { items, next_cursor: Some("next".into()), prev_cursor: None, total_count: 250, position: 0 };
    update(&mut m, Msg::Transactions { generation, fetch: first, result: Ok(page.clone()) });
    let r = m.results.as_ref().unwrap();
    assert_eq!((r.table.total, r.table.loaded_rows()), (Some(250), 100));

    // Scrolling near the end of the loaded rows asks for the next page with its cursor.
    let mut next = None;
    for _ in 0..20 {
        let cmds = update(&mut m, key(KeyCode::PageDown));
        next = cmds.into_iter().find_map(|c| match c {
            Cmd::FetchTransactions { query, .. } => Some(query.cursor),
            _ => None,
        });
        if next.is_some() {
            break;
        }
    }
    assert_eq!(next, Some(Some("next".into())));
    let selected = m.results.as_ref().unwrap().table.selected;
    assert!((70..100).contains(&selected), "fetched ahead, before the rows ran out: {selected}");

    // A changed sort starts over; a late page of the old query is dropped.
    let cmds = update(&mut m, key(KeyCode::Char('s')));
    let [Cmd::FetchTransactions { query, generation: g2, fetch: f2, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(query.sort, Some(TxSort::DateAsc));
    assert!(query.cursor.is_none());
    update(&mut m, Msg::Transactions { generation, fetch: first + 1, result: Ok(page.clone()) });
    assert_eq!(m.results.as_ref().unwrap().table.loaded_rows(), 0, "stale page ignored");
    update(&mut m, Msg::Transactions { generation: *g2, fetch: *f2, result: Ok(page) });

    let cmds = update(&mut m, key(KeyCode::Char('f')));
    let [Cmd::FetchTransactions { query, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(query.sector, Some(rasid::domain::Sector::Passports));

    update(&mut m, key(KeyCode::Char('/')));
    typed(&mut m, "re-entry");
    let cmds = update(&mut m, key(KeyCode::Enter));
    let [Cmd::FetchTransactions { query, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(query.q.as_deref(), Some("re-entry"));

    update(&mut m, key(KeyCode::Char('e')));
    let cmds = update(&mut m, key(KeyCode::Char('c')));
    let [Cmd::Export { export, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!((export.format, export.id_number.as_str()), (Format::Csv, "1271497099"));
    assert_eq!(export.query.q.as_deref(), Some("re-entry"), "the export keeps the filters");
    update(&mut m, Msg::Exported(Ok(("/tmp/x.csv".into(), 12))));
    assert!(notice(&m).contains("Wrote 12 rows to /tmp/x.csv"));

    // Esc lets go of the filters first, keeping the sort; only then does it leave the results.
    let cmds = update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Results);
    let [Cmd::FetchTransactions { query, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!((query.sector, query.q.as_deref(), query.from.as_deref()), (None, None, None));
    let cmds = update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Inquiry);
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
}

#[test]
fn global_keys_quit_switch_language_and_show_help() {
    let mut m = new_model();
    update(&mut m, Msg::Key(KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE)));
    assert_eq!(m.lang, Lang::Ar);
    typed(&mut m, "?");
    assert!(!m.help, "? is text while typing in a field");
    update(&mut m, key(KeyCode::F(1)));
    assert!(m.help);
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.help);
    update(&mut m, ctrl('c'));
    assert!(m.quit);
}

#[test]
fn a_quiet_screen_needs_no_redraw_when_time_passes() {
    let mut m = on_inquiry();
    assert_eq!(m.tick_interval_ms(), Some(1000), "the idle-session check still runs");
    assert!(!m.tick_shows(), "but nothing on screen moves");
    assert_eq!(update(&mut m, ctrl('r')), vec![Cmd::FetchCaptcha]);
    assert!(m.tick_shows(), "a call in flight shows the spinner");
    let mut otp = new_model();
    otp.screen = Screen::Otp;
    otp.pending = 0;
    assert!(otp.tick_shows(), "the code's countdown moves every second");
}

#[test]
fn smaller_defects_of_the_forms_are_gone() {
    // A notice speaks of the screen it was shown on, and leaves with it.
    let mut m = new_model();
    let challenge = LoginChallenge { challenge_id: "ch".into(), masked_phone: "05".into(), otp_expires_in_s: 120 };
    update(&mut m, Msg::LoginAnswer(Ok(challenge.clone())));
    typed(&mut m, "a");
    assert_eq!(notice(&m), T::CharNotAllowed.get(Lang::En));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!((m.screen, notice(&m)), (Screen::Login, String::new()), "no stale refusal after Esc");

    // Ctrl-R too early says when, without a copy of the countdown that would go stale.
    update(&mut m, Msg::LoginAnswer(Ok(challenge)));
    m.now_ms += 1_000;
    update(&mut m, ctrl('r'));
    assert_eq!(notice(&m), T::OtpResendLater.get(Lang::En));
    assert!(!notice(&m).chars().any(|c| c.is_ascii_digit()), "{}", notice(&m));

    // A lockout does not leave the password in its field.
    let mut m = new_model();
    typed(&mut m, "abdullah01");
    update(&mut m, key(KeyCode::Tab));
    typed(&mut m, "Wrong@2026");
    let locked = ClientError::Api {
        code: ErrorCode::AccountLocked,
        message: String::new(),
        attempts_left: None,
        retry_after_s: Some(900),
    };
    update(&mut m, Msg::LoginAnswer(Err(locked)));
    assert_eq!(m.login.password.value(), "", "the password is gone after the lockout");

    // An ID pasted in groups of digits is taken.
    let mut m = on_inquiry();
    update(&mut m, Msg::Paste("105 783 0869".into()));
    assert_eq!(m.inquiry.id_number.value(), "1057830869", "{}", notice(&m));
}

#[test]
fn an_image_code_that_ran_out_says_so() {
    let mut m = new_model();
    assert_eq!(m.tick_interval_ms(), Some(1000), "time is watched while an image code can run out");
    m.now_ms += 119_000;
    update(&mut m, Msg::Tick);
    assert!(m.captcha.id.is_some() && m.notice.is_none(), "still good");
    m.now_ms += 1_000;
    update(&mut m, Msg::Tick);
    assert_eq!(notice(&m), T::ImageCodeExpired.get(Lang::En));
    assert!(m.captcha.id.is_none() && m.captcha.expired, "the dead code is not offered for typing");
    assert_eq!(update(&mut m, ctrl('r')), vec![Cmd::FetchCaptcha]);
}

/// `n` rows from `first` on, as the server sends them (ids and dates going down).
fn rows_from(first: u64, n: u64) -> Vec<rasid::api::Transaction> {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    (first..first + n)
        .map(|i| {
            let date = (day - chrono::Days::new((i % 1000) / 3)).format("%Y-%m-%d").to_string();
            serde_json::from_value(serde_json::json!({"id": 2_000_000 - i as i64, "date": date, "sector": "passports",
                "service_code": "exit_reentry_single", "service_ar": "تأشيرة خروج وعودة", "service_en": "Exit",
                "kind": "usage", "amount": "200.00", "beneficiary_id": "1271497099", "reference": "r",
                "status": "settled"}))
            .unwrap()
        })
        .collect()
}

/// The one fetch of the history among `cmds`, and the message its answer `page` comes back in.
fn the_fetch(cmds: &[Cmd]) -> (TransactionsQuery, u64, u64) {
    let fetches: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::FetchTransactions { query, generation, fetch, .. } => Some((query.clone(), *generation, *fetch)),
            _ => None,
        })
        .collect();
    let [fetch] = fetches.as_slice() else { panic!("one fetch of the history: {cmds:?}") };
    fetch.clone()
}

#[test]
fn home_end_and_a_date_are_one_request_away_and_scrolling_up_from_a_jump_fetches_the_rows_above() {
    const TOTAL: u64 = 1_134_682;
    let mut m = on_inquiry();
    m.size = (120, 40);
    let (query, generation, fetch) = the_fetch(&update(&mut m, Msg::Balance(Ok(report()))));
    assert_eq!((query.cursor, query.at), (None, None));
    let first = TransactionPage {
        items: rows_from(0, 100),
        next_cursor: Some("after 99".into()),
        prev_cursor: None,
        total_count: TOTAL,
        position: 0,
    };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(first.clone()) });
    let table = |m: &Model| m.results.as_ref().unwrap().table.clone();

    // End: the reverse sort's first page, in one request; the selection is on the last row at once.
    let (query, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::End)));
    assert_eq!((query.sort, query.cursor.as_deref(), query.at.as_deref()), (Some(TxSort::DateAsc), None, None));
    assert_eq!(table(&m).selected, TOTAL as usize - 1);
    let mut oldest = rows_from(TOTAL - 100, 100);
    oldest.reverse();
    let reverse = TransactionPage {
        items: oldest,
        next_cursor: Some("reverse after 99".into()),
        prev_cursor: None,
        total_count: TOTAL,
        position: 0,
    };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(reverse) });
    let t = table(&m);
    assert_eq!(t.row(TOTAL as usize - 1).map(|r| r.id), Some(2_000_000 - (TOTAL as i64 - 1)), "the oldest row last");
    assert_eq!(t.row(TOTAL as usize - 100).map(|r| r.id), Some(2_000_000 - (TOTAL as i64 - 100)));
    // Up from there walks back with the reverse sort's next_cursor.
    let mut up = vec![];
    for _ in 0..80 {
        up.extend(update(&mut m, key(KeyCode::Up)));
    }
    let (query, ..) = the_fetch(&up);
    assert_eq!((query.sort, query.cursor.as_deref()), (Some(TxSort::DateDesc), Some("reverse after 99")));

    // Home: the first page again, in one request.
    let (query, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Home)));
    assert_eq!((query.sort, query.cursor.as_deref()), (Some(TxSort::DateDesc), None));
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(first) });
    assert_eq!((table(&m).selected, table(&m).row(0).map(|r| r.id)), (0, Some(2_000_000)));

    // g and a Hijri day in Eastern Arabic digits: the page from that day, one request.
    update(&mut m, key(KeyCode::Char('g')));
    assert!(update(&mut m, key(KeyCode::Esc)).is_empty());
    assert_eq!(m.screen, Screen::Results, "Esc closes the field first");
    update(&mut m, key(KeyCode::Char('g')));
    typed(&mut m, "2025-02-30");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(notice(&m), T::BadDate.get(Lang::En), "a day that does not exist is refused, saying why");
    for _ in 0..10 {
        update(&mut m, key(KeyCode::Backspace));
    }
    // Pasted, as a date copied from elsewhere would be.
    update(&mut m, Msg::Paste("h١٤٤٦-٠٩-٠١".into()));
    let (query, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Enter)));
    // 1 Ramadan 1446 is 2025-03-01.
    assert_eq!((query.at.as_deref(), query.cursor.as_deref()), (Some("2025-03-01"), None));
    let landing = TransactionPage {
        items: rows_from(812_344, 100),
        next_cursor: Some("after 812443".into()),
        prev_cursor: Some("before 812344".into()),
        total_count: TOTAL,
        position: 812_344,
    };
    let cmds = update(&mut m, Msg::Transactions { generation, fetch, result: Ok(landing) });
    let t = table(&m);
    assert_eq!((t.selected, t.offset), (812_344, 812_344), "the day's first row, at the top of the view");
    // The rows above are fetched by prev_cursor before the user gets there.
    let (query, generation, fetch) = the_fetch(&cmds);
    assert_eq!(query.cursor.as_deref(), Some("before 812344"));
    let above = TransactionPage {
        items: rows_from(812_244, 100),
        next_cursor: Some("after 812343".into()),
        prev_cursor: Some("before 812244".into()),
        total_count: TOTAL,
        position: 812_244,
    };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(above) });
    update(&mut m, key(KeyCode::Up));
    let t = table(&m);
    assert_eq!((t.selected, t.row(812_343).map(|r| r.id)), (812_343, Some(2_000_000 - 812_343)));

    // Going to a date needs the date order; the Hijri year filters by its days.
    update(&mut m, key(KeyCode::Char('s')));
    update(&mut m, key(KeyCode::Char('s')));
    assert!(update(&mut m, key(KeyCode::Char('g'))).is_empty());
    assert_eq!(notice(&m), T::GoToNeedsDateSort.get(Lang::En));
    let (query, ..) = the_fetch(&update(&mut m, key(KeyCode::Char('{'))));
    // 1448 AH: 2026-06-16 to 2027-06-05; today (2026-11-25) is in it.
    assert_eq!((query.from.as_deref(), query.to.as_deref()), (Some("2026-06-16"), Some("2027-06-05")));
}

/// Typed into the focused field of the login form, one key at a time.
fn fill_login(m: &mut Model) {
    typed(m, "abdullah01");
    update(m, key(KeyCode::Tab));
    typed(m, "Rasid@2026");
    update(m, key(KeyCode::Tab));
}

#[test]
fn an_expired_image_code_leaves_no_digits_behind_on_login_or_the_inquiry_form() {
    // Digits typed after the code ran out: Enter asks for the new image and clears them, as a wrong code does.
    let mut m = new_model();
    fill_login(&mut m);
    m.now_ms += 121_000;
    update(&mut m, Msg::Tick);
    typed(&mut m, "3182");
    assert_eq!(m.login.image_code.value(), "3182");
    let cmds = update(&mut m, key(KeyCode::Enter));
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
    assert_eq!(notice(&m), T::ErrCaptcha.get(Lang::En));
    assert_eq!(m.login.image_code.value(), "", "the stale digits are not sent against the new image");
    assert_eq!(m.login.focus, login::Focus::ImageCode);
    assert_eq!(m.login.username.value(), "abdullah01", "the rest of the form stays");

    // Digits typed before it ran out go with it.
    let mut m = new_model();
    fill_login(&mut m);
    typed(&mut m, "31");
    m.now_ms += 121_000;
    update(&mut m, Msg::Tick);
    assert_eq!(m.login.image_code.value(), "");

    let mut m = on_inquiry();
    typed(&mut m, "1271497099");
    update(&mut m, key(KeyCode::Tab));
    typed(&mut m, "12");
    m.now_ms += 121_000;
    update(&mut m, Msg::Tick);
    assert_eq!(m.inquiry.image_code.value(), "");
    typed(&mut m, "124946");
    let cmds = update(&mut m, key(KeyCode::Enter));
    assert_eq!(cmds, vec![Cmd::FetchCaptcha]);
    assert_eq!(m.inquiry.image_code.value(), "", "the stale digits are not sent against the new image");
    assert_eq!(m.inquiry.focus, inquiry::Focus::ImageCode);
    assert_eq!(m.inquiry.id_number.value(), "1271497099");
}

/// The results of `report()` with a first page of 100 rows out of 250 on screen.
fn on_results_with_rows() -> Model {
    let mut m = on_inquiry();
    let (_, generation, fetch) = the_fetch(&update(&mut m, Msg::Balance(Ok(report()))));
    let page = TransactionPage {
        items: rows_from(0, 100),
        next_cursor: Some("n".into()),
        prev_cursor: None,
        total_count: 250,
        position: 0,
    };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(page) });
    m.pending = 0;
    m
}

fn held(m: &Model) -> (Option<u64>, usize, TxSort, String) {
    let r = m.results.as_ref().unwrap();
    let (filters, table) = r.shown();
    assert_eq!((filters, table.total), (&r.filters, r.table.total), "nothing on its way");
    (table.total, table.loaded_rows(), filters.sort, filters.text.clone())
}

#[test]
fn a_failed_sort_leaves_the_rows_and_the_sort_on_screen_and_says_why() {
    let mut m = on_results_with_rows();
    let (_, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Char('s'))));
    let r = m.results.as_ref().unwrap();
    assert_eq!(r.shown().0.sort, TxSort::DateDesc, "until the new rows come, the old ones show under their sort");
    assert_eq!(r.shown().1.loaded_rows(), 100);
    update(&mut m, Msg::Transactions { generation, fetch, result: Err(ClientError::Unreachable) });
    assert_eq!(held(&m), (Some(250), 100, TxSort::DateDesc, String::new()), "the screen as it was");
    let n = m.notice.clone().unwrap();
    assert_eq!(
        (n.kind, n.text(Lang::En).as_str()),
        (NoticeKind::Error, rasid::tui::format::describe_error(Lang::En, &ClientError::Unreachable).as_str())
    );
    // The next sort is asked for from the one on screen, and its rows replace the old ones.
    let (query, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Char('s'))));
    assert_eq!(query.sort, Some(TxSort::DateAsc));
    let page =
        TransactionPage { items: rows_from(0, 7), next_cursor: None, prev_cursor: None, total_count: 7, position: 0 };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(page) });
    assert_eq!(held(&m), (Some(7), 7, TxSort::DateAsc, String::new()));
}

#[test]
fn a_search_refused_as_too_broad_keeps_the_rows_says_how_to_narrow_it_and_a_year_narrows_it() {
    let mut m = on_results_with_rows();
    update(&mut m, key(KeyCode::Char('/')));
    typed(&mut m, "Bilal");
    let (query, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Enter)));
    assert_eq!(query.q.as_deref(), Some("Bilal"));
    let refusal = ClientError::Api {
        code: ErrorCode::BadRequest,
        message: "Text search (`q`) reads at most 100,000 transactions, and these filters leave 1,031,725 to read: add `from=2025-10-27` (or a later day), or a `sector` or `kind` that leaves fewer.".into(),
        attempts_left: None,
        retry_after_s: None,
    };
    update(&mut m, Msg::Transactions { generation, fetch, result: Err(refusal.clone()) });
    assert_eq!(held(&m), (Some(250), 100, TxSort::DateDesc, String::new()), "the rows that were on screen stay");
    let said = notice(&m);
    assert_ne!(said, T::ErrBadResponse.get(Lang::En));
    for words in ["\"Bilal\"", "too many", "[ ]", "{ }", " f"] {
        assert!(said.contains(words), "{said:?} says {words:?}");
    }
    assert!(!said.contains("from="), "no API parameter: {said}");

    // `/` brings the search back to be changed; Esc leaves it as it is.
    update(&mut m, key(KeyCode::Char('/')));
    assert_eq!(m.results.as_ref().unwrap().filter_edit.as_ref().unwrap().value(), "Bilal");
    update(&mut m, key(KeyCode::Esc));

    // A year, as the notice says, runs the search within it.
    let (query, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Char('['))));
    assert_eq!(query.q.as_deref(), Some("Bilal"));
    assert_eq!((query.from.as_deref(), query.to.as_deref()), (Some("2026-01-01"), Some("2026-12-31")));
    let page =
        TransactionPage { items: rows_from(0, 3), next_cursor: None, prev_cursor: None, total_count: 3, position: 0 };
    update(&mut m, Msg::Transactions { generation, fetch, result: Ok(page) });
    assert_eq!(held(&m), (Some(3), 3, TxSort::DateDesc, "Bilal".into()));

    // In Arabic it is said in Arabic, with the same keys.
    let mut m = on_results_with_rows();
    m.lang = Lang::Ar;
    update(&mut m, key(KeyCode::Char('/')));
    typed(&mut m, "بلال");
    let (_, generation, fetch) = the_fetch(&update(&mut m, key(KeyCode::Enter)));
    update(&mut m, Msg::Transactions { generation, fetch, result: Err(refusal) });
    // The app keeps lam and alef apart with a joiner, as on every Arabic line it lays out.
    let said = notice(&m).replace('\u{200d}', "");
    assert!(said.contains("بلال") && said.contains("سنة") && said.contains("[ ]") && said.contains("{ }"), "{said}");
    assert_eq!(held(&m).1, 100);
}
