//! The establishment's screens: `update` driven by keys and answers (no terminal),
//! and what a person reads on them, drawn on a TestBackend in both languages.

mod app_common;

use app_common::{api_error, ctrl, key, now_ms, typed};
use crossterm::event::KeyCode;
use rasid::api::{
    BalanceReport, Document, ErrorCode, LinkedPerson, Person, RenewalsPage, Secret, ServiceNode, Session, Spending,
    SpendingPeriod, SpendingPoint, WorkerSort, WorkersReport,
};
use rasid::config::{Digits, Lang};
use rasid::domain::PersonKind;
use rasid::present::export::Format;
use rasid::present::reports::Report;
use rasid::tui::app::{Cmd, Model, Msg, Screen, update};
use rasid::tui::screens::inquiry::Focus;
use rasid::tui::view::{ViewCache, draw};
use ratatui::{Terminal, backend::TestBackend};
use serde_json::json;

/// Real names of the kind an establishment's workers have, in both scripts.
const NAMES: [(&str, &str); 6] = [
    ("Mohammed Khan", "محمد خان"),
    ("Rajesh Kumar", "راجيش كومار"),
    ("Bilal Ahmed", "بلال أحمد"),
    ("Joseph Fernandes", "جوزيف فرنانديز"),
    ("Juan dela Cruz", "خوان ديلا كروز"),
    ("Abdul Rahim Miah", "عبد الرحيم مياه"),
];

fn person(id: &str, en: &str, ar: &str, relation: &str) -> LinkedPerson {
    serde_json::from_value(json!({"id_number": id, "name_en": en, "name_ar": ar,
        "kind": if id.starts_with('1') { "citizen" } else { "resident" }, "relation": relation}))
    .unwrap()
}

/// A worker's iqama number: 23000000NN with its Luhn check digit.
fn worker_id(n: usize) -> String {
    let body = format!("23{:07}", n);
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 =
        digits.iter().rev().enumerate().map(|(i, d)| if i % 2 == 0 { (d * 2) / 10 + (d * 2) % 10 } else { *d }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Logged in with the demo's tree and `people`, on My Services.
fn logged_in(lang: Lang, people: Vec<LinkedPerson>) -> Model {
    let mut m = Model::new(lang, None, now_ms());
    m.session = Some(Session {
        token: Secret::new("tok"),
        expires_in_s: 600,
        user: Person {
            id_number: "1400949291".into(),
            name_ar: "فهد القحطاني".into(),
            name_en: "Fahad Al-Qahtani".into(),
            kind: PersonKind::Citizen,
        },
    });
    m.screen = Screen::Services;
    let tree: Vec<ServiceNode> =
        serde_json::to_value(rasid::server::services_tree()).and_then(serde_json::from_value).unwrap();
    update(&mut m, Msg::Services(Ok(tree)));
    update(&mut m, Msg::People(Ok(people)));
    m.pending = 0;
    m
}

fn owner(lang: Lang) -> Model {
    let mut people = vec![person("1400949291", "Fahad Al-Qahtani", "فهد القحطاني", "self")];
    people.extend(NAMES.iter().enumerate().map(|(i, (en, ar))| person(&worker_id(i), en, ar, "worker")));
    logged_in(lang, people)
}

fn titles(m: &Model) -> Vec<String> {
    m.services.visible().iter().map(|r| r.title_en.clone()).collect()
}

/// Moves to the service titled `title` and opens it.
fn open_service(m: &mut Model, title: &str) -> Vec<Cmd> {
    let at = m.services.visible().iter().position(|r| r.title_en == title).unwrap();
    m.services.selected = at;
    update(m, key(KeyCode::Enter))
}

fn worker_json(n: usize) -> serde_json::Value {
    let (en, ar) = NAMES[n % NAMES.len()];
    let held = [12_345.75, 650.0, 0.0, 163.0, 51.75, 200.0][n % 6];
    json!({"id_number": worker_id(n), "name_en": en, "name_ar": ar, "kind": "resident",
        "available": {"passports": format!("{:.2}", held), "vehicles": "0.00", "driving_licence": "0.00",
            "sponsorees": if n.is_multiple_of(3) { "1500.00" } else { "0.00" }, "labour": "0.00"},
        "totals": {"paid": "20988.25", "used": "8642.50", "refunded": "0.00",
            "available": format!("{:.2}", held + if n.is_multiple_of(3) { 1500.0 } else { 0.0 })},
        "last_payment_on": "2026-10-19", "oldest_unused_on": "2026-03-02",
        "iqama_expires_on": format!("2027-0{}-1{}", 1 + n % 9, n % 10)})
}

fn workers_page(from: usize, count: usize, next: Option<&str>, total: u64) -> WorkersReport {
    serde_json::from_value(json!({
        "items": (from..from + count).map(worker_json).collect::<Vec<_>>(),
        "next_cursor": next, "prev_cursor": null, "total_count": total,
        "sums": {"paid": "104941250.00", "used": "43212500.00", "refunded": "1250.00", "available": "61727500.00"}
    }))
    .unwrap()
}

fn renewals_page() -> RenewalsPage {
    let row = |n: usize, doc: &str, on: &str, hijri: &str, days: i64, fee: &str, held: &str, covered: bool| {
        let (en, ar) = NAMES[n];
        json!({"id_number": worker_id(n), "name_en": en, "name_ar": ar, "document": doc, "expires_on": on,
            "expires_on_hijri": hijri, "days_left": days, "fee": fee, "sector": "passports",
            "available_in_sector": held, "covered": covered})
    };
    serde_json::from_value(json!({
        "items": [
            row(0, "iqama", "2026-09-28", "1448-04-17", -58, "163.00", "0.00", false),
            row(2, "iqama", "2026-11-24", "1448-06-14", -1, "650.00", "12345.75", true),
            row(1, "iqama", "2026-12-07", "1448-06-27", 12, "163.00", "163.00", true),
            row(3, "passport", "2027-01-20", "1448-08-11", 56, "300.00", "0.00", false),
            row(4, "iqama", "2027-02-22", "1448-09-14", 89, "163.00", "200.00", true),
        ],
        "next_cursor": null, "total_count": 5
    }))
    .unwrap()
}

fn documents() -> Vec<Document> {
    serde_json::from_value(json!([
        {"kind": "iqama", "number": worker_id(1), "expires_on": "2026-12-07", "expires_on_hijri": "1448-06-27", "days_left": 12},
        {"kind": "passport", "number": "P4471823", "expires_on": "2026-09-28", "expires_on_hijri": "1448-04-17", "days_left": -58},
    ]))
    .unwrap()
}

fn balance(n: usize) -> BalanceReport {
    let (en, ar) = NAMES[n];
    serde_json::from_value(json!({
        "subject": {"id_number": worker_id(n), "name_ar": ar, "name_en": en, "kind": "resident"},
        "as_of": "2026-11-25T10:00:00+03:00",
        "balances": [
            {"sector": "passports", "paid": "8124.00", "used": "7961.00", "refunded": "0.00", "available": "163.00"},
            {"sector": "vehicles", "paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"},
            {"sector": "driving_licence", "paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"},
            {"sector": "sponsorees", "paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"},
            {"sector": "labour", "paid": "51.75", "used": "0.00", "refunded": "0.00", "available": "51.75"}
        ],
        "totals": {"paid": "8175.75", "used": "7961.00", "refunded": "0.00", "available": "214.75"}
    }))
    .unwrap()
}

fn workers_generation(cmds: &[Cmd]) -> u64 {
    match cmds {
        [Cmd::FetchWorkers { generation, .. }] => *generation,
        other => panic!("expected one workers' fetch: {other:?}"),
    }
}

/// The owner on the workers' screen with its first page (100 of 250) in.
fn on_workers(lang: Lang) -> Model {
    let mut m = owner(lang);
    let cmds = open_service(&mut m, "Workers' balances");
    assert_eq!(m.screen, Screen::Workers);
    let generation = workers_generation(&cmds);
    update(&mut m, Msg::Workers { generation, result: Ok(workers_page(0, 100, Some("p2"), 250)) });
    m
}

#[test]
fn my_services_offers_the_reports_to_an_owner_of_workers_and_to_nobody_else() {
    let family = vec![
        person("1057830869", "Abdullah Al-Harbi", "عبدالله الحربي", "self"),
        person("2134653555", "Maria Santos", "ماريا سانتوس", "domestic_worker"),
    ];
    let m = logged_in(Lang::En, family);
    let shown = titles(&m);
    assert!(shown.iter().any(|t| t == "Query Available Funds"));
    assert!(
        !shown.iter().any(|t| t == "Workers' balances" || t == "Renewals due" || t == "Establishment"),
        "{shown:?}"
    );

    let m = owner(Lang::En);
    assert_eq!(titles(&m)[titles(&m).len() - 3..], ["Establishment", "Workers' balances", "Renewals due"]);

    // The people may arrive before the tree: the entries are there either way, once.
    let mut m = Model::new(Lang::En, None, now_ms());
    m.session = owner(Lang::En).session;
    update(&mut m, Msg::People(Ok(vec![person(&worker_id(0), "Mohammed Khan", "محمد خان", "worker")])));
    let tree: Vec<ServiceNode> =
        serde_json::to_value(rasid::server::services_tree()).and_then(serde_json::from_value).unwrap();
    update(&mut m, Msg::Services(Ok(tree)));
    assert_eq!(titles(&m).iter().filter(|t| *t == "Workers' balances").count(), 1);

    // A server that says otherwise (403) takes the entries and the screen away, with a reason.
    let mut m = owner(Lang::En);
    let cmds = open_service(&mut m, "Renewals due");
    let [Cmd::FetchRenewals { generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    update(&mut m, Msg::Renewals { generation: *generation, result: Err(api_error(ErrorCode::NotAuthorized)) });
    assert_eq!(m.screen, Screen::Services);
    assert!(!titles(&m).iter().any(|t| t == "Renewals due"));
    assert!(m.notice.is_some());
}

#[test]
fn the_workers_screen_sorts_searches_keeps_the_refund_candidates_and_pages_as_the_user_scrolls() {
    let mut m = owner(Lang::En);
    let cmds = open_service(&mut m, "Workers' balances");
    let [Cmd::FetchWorkers { query, generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(
        (query.sort, query.has_available, query.q.clone(), query.cursor.clone()),
        (Some(WorkerSort::AvailableDesc), None, None, None)
    );
    let first = *generation;
    update(&mut m, Msg::Workers { generation: first, result: Ok(workers_page(0, 100, Some("p2"), 250)) });
    let w = m.workers.as_ref().unwrap();
    assert_eq!((w.list.rows.len(), w.list.total), (100, Some(250)));
    assert_eq!(w.sums.as_ref().unwrap().available.to_plain(), "61727500.00");

    // Scrolling near the end of what is fetched asks for the next page, once.
    let cmds = update(&mut m, key(KeyCode::End));
    let [Cmd::FetchWorkers { query, generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!((query.cursor.as_deref(), *generation), (Some("p2"), first));
    assert!(update(&mut m, key(KeyCode::Down)).is_empty(), "the page is already asked for");
    update(&mut m, Msg::Workers { generation: first, result: Ok(workers_page(100, 100, Some("p3"), 250)) });
    assert_eq!(m.workers.as_ref().unwrap().list.rows.len(), 200);

    // Each sort is a new query; an answer to the old one is dropped.
    let cmds = update(&mut m, key(KeyCode::Char('s')));
    let [Cmd::FetchWorkers { query, generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(query.sort, Some(WorkerSort::AvailableAsc));
    let second = *generation;
    update(&mut m, Msg::Workers { generation: first, result: Ok(workers_page(200, 50, None, 250)) });
    assert!(m.workers.as_ref().unwrap().list.rows.is_empty(), "a late page of the old sort");
    let sorts: Vec<_> = (0..4)
        .map(|_| match update(&mut m, key(KeyCode::Char('s'))).as_slice() {
            [Cmd::FetchWorkers { query, .. }] => query.sort.unwrap(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sorts, [WorkerSort::Name, WorkerSort::IdNumber, WorkerSort::OldestUnused, WorkerSort::AvailableDesc]);
    assert!(second > first);

    // `/` searches by the server's `q`; `h` keeps the refund candidates.
    update(&mut m, key(KeyCode::Char('/')));
    assert!(typed(&mut m, "khan").is_empty());
    let generation = workers_generation(&update(&mut m, key(KeyCode::Enter)));
    let cmds = update(&mut m, key(KeyCode::Char('h')));
    let [Cmd::FetchWorkers { query, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!((query.q.as_deref(), query.has_available), (Some("khan"), Some(true)));
    assert!(generation < workers_generation(&cmds));

    // `e` exports what is shown, every page of it.
    update(&mut m, key(KeyCode::Char('e')));
    let cmds = update(&mut m, key(KeyCode::Char('c')));
    let [Cmd::ExportReport { export, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(export.format, Format::Csv);
    let Report::Workers(query) = &export.report else { panic!("{export:?}") };
    assert_eq!((query.q.as_deref(), query.has_available, query.cursor.clone()), (Some("khan"), Some(true), None));

    // Esc lets go of the search and the filter, then leaves for My Services.
    let cmds = update(&mut m, key(KeyCode::Esc));
    let [Cmd::FetchWorkers { query, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!((query.q.clone(), query.has_available), (None, None));
    assert!(update(&mut m, key(KeyCode::Esc)).is_empty());
    assert_eq!(m.screen, Screen::Services);
    assert!(m.workers.is_none());
}

#[test]
fn enter_on_a_worker_opens_their_results_and_esc_comes_back_to_the_report_where_it_was() {
    let mut m = on_workers(Lang::En);
    for _ in 0..1 {
        update(&mut m, key(KeyCode::Down));
    }
    let cmds = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.screen, Screen::Inquiry);
    assert_eq!(cmds, vec![Cmd::FetchCaptcha], "the results need an inquiry, and it an image code");
    assert_eq!(m.inquiry.id_number.value(), worker_id(1));
    assert_eq!(m.inquiry.focus, Focus::ImageCode);
    m.captcha.id = Some("c9".into());
    typed(&mut m, "4821");
    let cmds = update(&mut m, key(KeyCode::Enter));
    let [Cmd::Inquire(_, request)] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(request.id_number, worker_id(1));
    let cmds = update(&mut m, Msg::Balance(Ok(balance(1))));
    assert_eq!(m.screen, Screen::Results);
    assert!(cmds.contains(&Cmd::FetchDocuments { token: Secret::new("tok"), id_number: worker_id(1) }), "{cmds:?}");
    update(&mut m, Msg::Documents { id_number: worker_id(1), result: Ok(documents()) });
    assert_eq!(m.results.as_ref().unwrap().documents, Some(Ok(documents())));

    // Back to the report: the same rows, the same worker selected; nothing fetched again.
    let cmds = update(&mut m, key(KeyCode::Esc));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(m.screen, Screen::Workers);
    let w = m.workers.as_ref().unwrap();
    assert_eq!((w.list.rows.len(), w.list.selected), (100, 1));
    assert!(m.results.is_none());

    // From the inquiry form too.
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.screen, Screen::Inquiry);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Workers);
    // And an inquiry opened from My Services goes back there, as before.
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Services);
    open_service(&mut m, "Query Available Funds");
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Services);
}

#[test]
fn the_renewals_screen_looks_30_90_or_366_days_ahead_and_opens_a_person() {
    let mut m = owner(Lang::En);
    let cmds = open_service(&mut m, "Renewals due");
    let [Cmd::FetchRenewals { query, generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(query.within_days, Some(90));
    update(&mut m, Msg::Renewals { generation: *generation, result: Ok(renewals_page()) });
    let within: Vec<u32> = (0..3)
        .map(|_| match update(&mut m, key(KeyCode::Char('d'))).as_slice() {
            [Cmd::FetchRenewals { query, .. }] => query.within_days.unwrap(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(within, [366, 30, 90]);
    let generation = m.renewals.as_ref().unwrap().list.generation;
    update(&mut m, Msg::Renewals { generation, result: Ok(renewals_page()) });
    update(&mut m, key(KeyCode::Char('e')));
    let cmds = update(&mut m, key(KeyCode::Char('j')));
    let [Cmd::ExportReport { export, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(
        (export.format, &export.report),
        (Format::Json, &Report::Renewals(m.renewals.as_ref().unwrap().query(None, 100)))
    );
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.screen, m.inquiry.id_number.value().to_owned()), (Screen::Inquiry, worker_id(2)));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Renewals);
    assert_eq!(m.renewals.as_ref().unwrap().list.selected, 1);
}

// ---- What a person reads ----

fn render(model: &mut Model, width: u16, height: u16) -> String {
    model.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut cache = ViewCache::halfblocks();
    terminal.draw(|f| draw(f, model, &mut cache)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_owned()).collect::<String>().trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn lang_name(lang: Lang) -> &'static str {
    if lang == Lang::En { "en" } else { "ar" }
}

#[test]
fn the_workers_screen_in_both_languages() {
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut m = on_workers(lang);
            update(&mut m, key(KeyCode::Down));
            let screen = render(&mut m, w, h);
            insta::assert_snapshot!(format!("workers_{}_{w}x{h}", lang_name(lang)), screen);
        }
        let mut m = on_workers(lang);
        let generation = workers_generation(&update(&mut m, key(KeyCode::Char('h'))));
        let mut held = workers_page(0, 40, None, 40);
        held.items.retain(|w| w.totals.available != rasid::domain::Money::ZERO);
        update(&mut m, Msg::Workers { generation, result: Ok(held) });
        insta::assert_snapshot!(format!("workers_held_{}_80x24", lang_name(lang)), render(&mut m, 80, 24));
    }
}

#[test]
fn amounts_on_the_workers_screen_are_whole_or_absent_at_any_width() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_workers(lang);
        for width in [50, 55, 64, 80, 100, 130, 200] {
            let screen = render(&mut m, width, 30);
            for line in screen.lines() {
                // A cut amount would leave its tail: "345.75" without the "12,".
                for (tail, whole) in [("345.75", "12,345.75"), ("845.75", "13,845.75")] {
                    assert!(!line.contains(tail) || line.contains(whole), "{lang:?} {width}: {line}");
                }
            }
            assert!(screen.contains("13,845.75"), "{lang:?} {width}: the total held is never dropped\n{screen}");
        }
    }
}

#[test]
fn every_sum_of_the_workers_report_is_shown_from_80_columns_up() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_workers(lang);
        for (w, h) in [(80, 24), (100, 30), (130, 30), (200, 60)] {
            let screen = render(&mut m, w, h);
            let above_table: String = screen.lines().take_while(|l| !l.contains('┌')).collect::<Vec<_>>().join("\n");
            // Available, paid, used, refunded, each whole.
            for sum in ["61,727,500.00", "104,941,250.00", "43,212,500.00", "1,250.00"] {
                assert!(above_table.contains(sum), "{lang:?} {w}x{h}: {sum} is missing\n{screen}");
            }
            if lang == Lang::En {
                for label in ["Available", "Paid", "Used", "Refunded"] {
                    assert!(above_table.contains(label), "{w}x{h}: {label} is missing\n{screen}");
                }
            }
            // The table still starts at the top of what is left, and its last line shows.
            assert!(screen.lines().any(|l| l.contains('└')), "{lang:?} {w}x{h}: the table's end is cut\n{screen}");
        }
    }
}

#[test]
fn the_renewals_screen_in_both_languages() {
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut m = owner(lang);
            let cmds = open_service(&mut m, "Renewals due");
            let [Cmd::FetchRenewals { generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
            update(&mut m, Msg::Renewals { generation: *generation, result: Ok(renewals_page()) });
            let screen = render(&mut m, w, h);
            insta::assert_snapshot!(format!("renewals_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

fn on_renewals(lang: Lang) -> Model {
    let mut m = owner(lang);
    let cmds = open_service(&mut m, "Renewals due");
    let [Cmd::FetchRenewals { generation, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    update(&mut m, Msg::Renewals { generation: *generation, result: Ok(renewals_page()) });
    m
}

#[test]
fn every_renewal_row_says_whose_document_it_is_and_when_it_runs_out_at_any_width() {
    let page = renewals_page();
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_renewals(lang);
        for width in [50, 55, 60, 64, 70, 80, 100, 130, 200] {
            let screen = render(&mut m, width, 20);
            for d in &page.items {
                let line = screen.lines().find(|l| l.contains(&d.expires_on)).unwrap_or_else(|| {
                    panic!("{lang:?} {width}: no row for {}\n{screen}", d.expires_on);
                });
                assert!(line.contains(&d.id_number), "{lang:?} {width}: the ID is missing from {line}\n{screen}");
                // How long ago it ran out, as `rasid renewals` says it: "58 d ago" or "expired 58 days ago".
                let days = if d.days_left < 0 { format!("{} d", -d.days_left) } else { d.days_left.to_string() };
                let kind = if d.document == rasid::domain::DocumentKind::Passport { "Passport" } else { "Iqama" };
                if lang == Lang::En {
                    assert!(line.contains(&days) && line.contains(kind), "{width}: {line}\n{screen}");
                    assert!(d.days_left >= 0 || line.contains(" ago"), "{width}: {line}\n{screen}");
                } else if d.days_left == -58 {
                    assert!(line.contains(" 58 "), "{width}: {line}\n{screen}");
                }
            }
        }
        for (w, h) in [(50, 20), (60, 20)] {
            insta::assert_snapshot!(format!("renewals_{}_{w}x{h}", lang_name(lang)), render(&mut m, w, h));
        }
    }
}

/// Five documents as the establishment owner has them, not in expiry order; the soonest is the
/// istimara of 2027-02-07.
fn five_documents() -> Vec<Document> {
    [
        ("iqama", "2029-03-01"),
        ("istimara", "2027-06-24"),
        ("istimara", "2027-02-07"),
        ("passport", "2033-07-10"),
        ("driving_licence", "2030-03-10"),
    ]
    .map(|(kind, on)| document(kind, on))
    .into()
}

/// A document of `kind` running out `on` that day, seen on 2026-11-25.
fn document(kind: &str, on: &str) -> Document {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let day = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
    let h = rasid::domain::HijriDate::from_gregorian(day).unwrap();
    // A car's istimara is numbered by its plate's sequence, here made from the day; a passport has its own.
    let number = match kind {
        "istimara" => format!("49{}", &on.replace('-', "")[2..]),
        "passport" => "A00949291".to_owned(),
        _ => "2300000011".to_owned(),
    };
    serde_json::from_value(
        json!({"kind": kind, "number": number, "expires_on": on, "days_left": (day - today).num_days(),
        "expires_on_hijri": format!("{:04}-{:02}-{:02}", h.year, h.month, h.day)}),
    )
    .unwrap()
}

/// The first worker opened from the report and inquired about: their balance and `docs` arrived.
fn worker_results(lang: Lang, docs: Vec<Document>) -> Model {
    let mut m = on_workers(lang);
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    m.captcha.id = Some("c9".into());
    typed(&mut m, "4821");
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, Msg::Balance(Ok(balance(1))));
    update(&mut m, Msg::Documents { id_number: worker_id(1), result: Ok(docs) });
    m
}

/// The worker's results with `docs` and a year of spending by month, on the first tab.
fn results_with(lang: Lang, docs: Vec<Document>) -> Model {
    let mut m = worker_results(lang, docs);
    let spent = [0, 163, 0, 650, 0, 51, 0, 300, 0, 163, 0, 200];
    let series = (0..12)
        .map(|n| SpendingPoint {
            period: if n == 0 { "2025-12".into() } else { format!("2026-{n:02}") },
            spent: rasid::domain::Money::from_riyals(spent[n]),
        })
        .collect();
    update(&mut m, Msg::Spending { by: SpendingPeriod::Month, result: Ok(Spending { series }) });
    m.pending = 0;
    m
}

#[test]
fn the_documents_panel_puts_the_soonest_first_keeps_lines_whole_and_counts_the_rest() {
    let docs = five_documents();
    for lang in [Lang::En, Lang::Ar] {
        let mut m = results_with(lang, docs.clone());
        for (w, h) in [(50, 24), (80, 24), (100, 30), (200, 50)] {
            let screen = render(&mut m, w, h);
            // The soonest, with both its days, is always there.
            assert!(screen.contains("2027-02-07"), "{lang:?} {w}x{h}\n{screen}");
            let shown: Vec<&Document> = docs.iter().filter(|d| screen.contains(&d.expires_on)).collect();
            let mut by_expiry = docs.clone();
            by_expiry.sort_by(|a, b| a.expires_on.cmp(&b.expires_on));
            assert!(
                by_expiry.iter().take(shown.len()).all(|d| screen.contains(&d.expires_on)),
                "{lang:?} {w}x{h}: the soonest are the ones shown\n{screen}"
            );
            if lang == Lang::En {
                let more = format!("+{} more", docs.len() - shown.len());
                assert_eq!(screen.contains(&more), shown.len() < docs.len(), "{w}x{h}: {more}\n{screen}");
                // Each date under the line that says which document it is.
                let lines: Vec<&str> = screen.lines().collect();
                for d in &shown {
                    let at = lines.iter().position(|l| l.contains(&d.expires_on)).unwrap();
                    let kind = match d.kind {
                        rasid::domain::DocumentKind::Iqama => "Iqama",
                        rasid::domain::DocumentKind::Passport => "Passport",
                        rasid::domain::DocumentKind::DrivingLicence => "Driving licence",
                        rasid::domain::DocumentKind::Istimara => "Istimara",
                    };
                    assert!(lines[at - 1].contains(kind), "{w}x{h}: no {kind} above {}\n{screen}", d.expires_on);
                }
            }
            insta::assert_snapshot!(format!("results_five_documents_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

#[test]
fn d_lists_every_document_and_scrolls_a_list_longer_than_the_screen() {
    // An owner of four more cars: nine documents.
    let mut docs = five_documents();
    docs.extend(["2027-01-15", "2027-09-30", "2028-04-02", "2028-11-11"].map(|day| document("istimara", day)));
    let mut by_expiry: Vec<&str> = docs.iter().map(|d| d.expires_on.as_str()).collect();
    by_expiry.sort();
    for lang in [Lang::En, Lang::Ar] {
        // The title's "first–last/count", read from the right in Arabic.
        let range = |first: usize, last: usize| match lang {
            Lang::En => format!("{first}–{last}/9"),
            Lang::Ar => format!("{last}/9–{first}"),
        };
        let mut m = results_with(lang, docs.clone());
        let panel = render(&mut m, 80, 24);
        assert!(panel.contains("(d)"), "{lang:?}: the panel says how to see the rest\n{panel}");
        update(&mut m, key(KeyCode::Char('d')));
        let all = render(&mut m, 120, 40);
        assert!(by_expiry.iter().all(|day| all.contains(day)), "{lang:?}: all nine\n{all}");
        // Six istimaras, one a car: each says which car by its number.
        let istimaras: Vec<&Document> =
            docs.iter().filter(|d| d.kind == rasid::domain::DocumentKind::Istimara).collect();
        assert_eq!(istimaras.len(), 6);
        assert!(istimaras.iter().all(|d| all.contains(&d.number)), "{lang:?}: each car's number\n{all}");
        assert!(all.contains(&range(1, 9)), "{lang:?}\n{all}");
        insta::assert_snapshot!(format!("document_list_{}_120x40", lang_name(lang)), all);

        // At 80x24, nine documents at a time; at 60x15, five, the soonest first.
        let shows = |m: &mut Model, (w, h): (u16, u16), (first, last): (usize, usize), days: &[&str]| {
            let range = range(first, last);
            let screen = render(m, w, h);
            assert!(screen.contains(&range), "{lang:?}: {range}\n{screen}");
            for day in by_expiry.iter() {
                assert_eq!(screen.contains(day), days.contains(day), "{lang:?} {range}: {day}\n{screen}");
            }
            screen
        };
        let at_80 = shows(&mut m, (80, 24), (1, 9), &by_expiry);
        insta::assert_snapshot!(format!("document_list_{}_80x24", lang_name(lang)), at_80);
        let small = (60, 15);
        shows(&mut m, small, (1, 5), &by_expiry[..5]);
        update(&mut m, key(KeyCode::Down));
        shows(&mut m, small, (2, 6), &by_expiry[1..6]);
        update(&mut m, key(KeyCode::End));
        let end = shows(&mut m, small, (5, 9), &by_expiry[4..]);
        insta::assert_snapshot!(format!("document_list_{}_60x15_end", lang_name(lang)), end);
        update(&mut m, key(KeyCode::Down));
        shows(&mut m, small, (5, 9), &by_expiry[4..]);
        update(&mut m, key(KeyCode::PageUp));
        shows(&mut m, small, (1, 5), &by_expiry[..5]);
        update(&mut m, key(KeyCode::PageDown));
        shows(&mut m, small, (5, 9), &by_expiry[4..]);
        update(&mut m, key(KeyCode::Home));
        shows(&mut m, small, (1, 5), &by_expiry[..5]);

        // Esc closes the list, and the keys are the results' again; so does d.
        update(&mut m, key(KeyCode::Esc));
        assert_eq!(m.screen, Screen::Results);
        let closed = render(&mut m, 80, 24);
        assert!(!closed.contains("/9"), "{lang:?}\n{closed}");
        update(&mut m, key(KeyCode::Char('d')));
        update(&mut m, key(KeyCode::Char('d')));
        assert!(!render(&mut m, 80, 24).contains("/9"), "{lang:?}: d closes it too");
    }
}

#[test]
fn a_document_in_the_panel_says_which_way_its_days_count_at_any_width() {
    // Ran out 178 days before 2026-11-25; the other runs out in 74 days.
    let docs = vec![document("istimara", "2026-05-31"), document("istimara", "2027-02-07")];
    for lang in [Lang::En, Lang::Ar] {
        let mut m = results_with(lang, docs.clone());
        // The words in logical order, as the terminal is sent them.
        m.bidi = rasid::config::BidiMode::Terminal;
        for (w, h) in [(50, 24), (80, 24), (100, 30), (200, 50)] {
            let screen = render(&mut m, w, h).replace('\u{200D}', "");
            let said = |day: &str| {
                let lines: Vec<&str> = screen.lines().collect();
                let at = lines.iter().position(|l| l.contains(day)).unwrap_or_else(|| panic!("{day}\n{screen}"));
                lines[at - 1].to_owned()
            };
            let (gone, left) = (said("2026-05-31"), said("2027-02-07"));
            match lang {
                Lang::En => {
                    assert!(gone.contains("expired") || gone.contains(" ago"), "{w}x{h}: {gone}");
                    assert!(left.contains("74 d") || left.contains("74 days left"), "{w}x{h}: {left}");
                }
                Lang::Ar => {
                    assert!(["انتهت", "منتهية", "منذ"].iter().any(|word| gone.contains(word)), "{w}x{h}: {gone}");
                    assert!(left.contains("74"), "{w}x{h}: {left}");
                }
            }
            if w >= 80 {
                assert!(gone.contains("178"), "{lang:?} {w}x{h}: how long ago, where there is room: {gone}");
            }
        }
    }
}

#[test]
fn d_says_why_there_is_no_list_of_documents() {
    let said = |m: &Model| m.notice.as_ref().map(|n| n.text(Lang::En)).unwrap_or_default();
    let mut loading = worker_results(Lang::En, vec![]);
    loading.results.as_mut().unwrap().documents = None;
    update(&mut loading, key(KeyCode::Char('d')));
    assert_eq!(said(&loading), "Loading…");
    let mut none = worker_results(Lang::En, vec![]);
    update(&mut none, key(KeyCode::Char('d')));
    assert_eq!(said(&none), "No documents.");
    let mut failed = worker_results(Lang::En, vec![]);
    update(
        &mut failed,
        Msg::Documents { id_number: worker_id(1), result: Err(rasid::client::ClientError::Unreachable) },
    );
    update(&mut failed, key(KeyCode::Char('d')));
    assert!(said(&failed).contains("cannot be reached"), "{}", said(&failed));
    for m in [&loading, &none, &failed] {
        assert_eq!(m.results.as_ref().unwrap().documents_at, None);
    }
}

#[test]
fn the_spending_chart_is_shown_beside_the_documents_at_80x24_and_100x30() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = results_with(lang, five_documents());
        for (w, h) in [(80, 24), (100, 30), (200, 50)] {
            let screen = render(&mut m, w, h);
            // The axis's last month and a bar.
            assert!(screen.contains("11/26") && screen.contains('█'), "{lang:?} {w}x{h}\n{screen}");
            if lang == Lang::En {
                assert!(screen.contains("Spending by month"), "{w}x{h}\n{screen}");
            }
        }
    }
}

#[test]
fn the_results_show_the_documents_and_when_they_run_out_in_both_calendars() {
    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut m = worker_results(lang, documents());
            m.pending = 0;
            let screen = render(&mut m, w, h);
            assert!(screen.contains("2026-12-07") && screen.contains("1448-06-27"), "{screen}");
            insta::assert_snapshot!(format!("results_documents_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
    let mut m = on_workers(Lang::Ar);
    m.digits = Digits::ArabicIndic;
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains('٣') && !screen.contains("13,845.75"), "{screen}");
}

// ---- The pick list of a large establishment ----

/// The owner and 5,000 workers, on the inquiry form.
fn on_inquiry_with_5000_workers(lang: Lang) -> Model {
    let mut people = vec![person("1400949291", "Fahad Al-Qahtani", "فهد القحطاني", "self")];
    people.extend((0..5000).map(|i| {
        let (en, ar) = NAMES[i % NAMES.len()];
        person(&worker_id(i), en, ar, "worker")
    }));
    let mut m = logged_in(lang, people);
    open_service(&mut m, "Query Available Funds");
    assert_eq!(m.screen, Screen::Inquiry);
    m.pending = 0;
    m
}

/// Rows of the open pick list that name a person: "ID  name  (relation)".
fn pick_rows(screen: &str) -> Vec<String> {
    screen.lines().filter(|l| l.contains("(Worker)") || l.contains("(Self)")).map(str::to_owned).collect()
}

#[test]
fn typing_in_the_pick_list_narrows_it_by_name_or_id_and_enter_takes_the_one_found() {
    let mut m = on_inquiry_with_5000_workers(Lang::En);
    update(&mut m, ctrl('p'));
    assert!(render(&mut m, 80, 24).contains("· 5,001 of 5,001"));

    // A name, letters `j` and `k` among them: they narrow the list rather than move in it.
    typed(&mut m, "joseph");
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("· 833 of 5,001"), "{screen}");
    let rows = pick_rows(&screen);
    assert!(!rows.is_empty() && rows.iter().all(|r| r.contains("Joseph Fernandes")), "{screen}");
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.inquiry.picking, None);
    assert_eq!(m.inquiry.id_number.value(), worker_id(3), "the first Joseph is taken");
    assert_eq!(m.inquiry.focus, Focus::ImageCode);

    // ID digits in Eastern Arabic numerals; Backspace widens the list again.
    update(&mut m, ctrl('p'));
    typed(&mut m, "٢٣٠٠٠٤٩٩٩");
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("· 1 of 5,001"), "{screen}");
    assert_eq!(pick_rows(&screen).len(), 1, "{screen}");
    update(&mut m, key(KeyCode::Backspace));
    assert!(render(&mut m, 80, 24).contains("· 10 of 5,001"), "230004990x to 230004999x");
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.inquiry.id_number.value(), worker_id(4991));

    // The Arabic name, typed without its hamza, finds the Arabic and the English name alike.
    update(&mut m, ctrl('p'));
    typed(&mut m, "بلال احمد");
    assert!(render(&mut m, 80, 24).contains("· 833 of 5,001"));

    // Nothing matches: Enter takes no one; Esc lets go of the search, a second Esc closes the list.
    typed(&mut m, "?");
    let screen = render(&mut m, 80, 24);
    assert!(!m.help, "? is a character here");
    assert!(screen.contains("· 0 of 5,001") && screen.contains("No one matches."), "{screen}");
    update(&mut m, key(KeyCode::Enter));
    assert!(m.inquiry.picking.is_some());
    assert_eq!(m.inquiry.id_number.value(), worker_id(4991));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.inquiry.picking, Some(0));
    assert!(render(&mut m, 80, 24).contains("· 5,001 of 5,001"));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.inquiry.picking, None);
    assert_eq!(m.inquiry.id_number.value(), worker_id(4991), "closing takes no one");
}

#[test]
fn the_pick_list_with_a_search_in_both_languages() {
    for lang in [Lang::En, Lang::Ar] {
        let mut m = on_inquiry_with_5000_workers(lang);
        update(&mut m, ctrl('p'));
        typed(&mut m, if lang == Lang::En { "rajesh" } else { "راجيش" });
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&mut m, w, h);
            assert!(screen.contains("834"), "{lang:?} {w}x{h}: the count\n{screen}");
            insta::assert_snapshot!(format!("pick_list_search_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

/// A failed page of the workers' report and a failed fetch of a worker's documents read in the
/// language the screen is drawn in: F2 re-words them (before, they kept the words of the moment
/// they failed).
#[test]
fn f2_rewords_a_failed_page_and_a_failed_documents_panel() {
    use rasid::client::ClientError;
    use rasid::config::BidiMode;
    let said = |lang| rasid::present::errors::describe_error(lang, &ClientError::Unreachable);
    let opening = |text: String| text.split(' ').take(2).collect::<Vec<_>>().join(" ");
    for before in [Lang::En, Lang::Ar] {
        let mut failed_page = on_workers(before);
        let cmds = update(&mut failed_page, key(KeyCode::End));
        let generation = workers_generation(&cmds);
        update(&mut failed_page, Msg::Workers { generation, result: Err(ClientError::Unreachable) });
        let mut failed_documents = worker_results(before, vec![]);
        update(
            &mut failed_documents,
            Msg::Documents { id_number: worker_id(1), result: Err(ClientError::Unreachable) },
        );
        for (name, mut m) in [("workers", failed_page), ("documents", failed_documents)] {
            // The terminal gets the letters in logical order, without the layout's joiner.
            m.bidi = BidiMode::Terminal;
            let screen = render(&mut m, 200, 50).replace('\u{200D}', "");
            assert!(screen.contains(&opening(said(before))), "{name} {before:?}: the failure unsaid\n{screen}");
            update(&mut m, key(KeyCode::F(2)));
            let after = m.lang;
            assert_ne!(before, after);
            let screen = render(&mut m, 200, 50).replace('\u{200D}', "");
            assert!(screen.contains(&opening(said(after))), "{name} {before:?}: not re-worded\n{screen}");
            assert!(!screen.contains(&opening(said(before))), "{name} {before:?}: the old wording stays\n{screen}");
        }
    }
}
