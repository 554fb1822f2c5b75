//! The overview: balances per sector with their totals, what was spent
//! (all time, this Hijri year, the last 12 months), and spending by month.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{ResultsScreen, amount_line};
use crate::api::{Document, SpendingPoint};
use crate::domain::{DocumentKind, HijriDate, Money};
use crate::present::reports;
use crate::tui::app::{Model, Says};
use crate::tui::format;
use crate::tui::strings::{self, Arg, T, tr};
use crate::tui::widgets;

/// Balances per sector with the totals, the spend totals, and spending by month.
pub fn draw(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen) {
    let lang = model.lang;
    let [balances, lower] = Layout::vertical([Constraint::Length(9), Constraint::Min(3)]).areas(area);
    let t = &r.report.totals;
    let amounts = |m: [Money; 4]| m.map(|m| m.to_grouped());
    let mut lines: Vec<(String, String, [String; 4])> = r
        .report
        .balances
        .iter()
        .map(|b| {
            let sums = amounts([b.paid, b.used, b.refunded, b.available]);
            (format::sector(lang, b.sector), format::sector_short(lang, b.sector), sums)
        })
        .collect();
    let total = model.t(T::Total).to_owned();
    lines.push((total.clone(), total, amounts([t.paid, t.used, t.refunded, t.available])));
    let (widths, shown, sector_w) = balance_columns(model, balances.width.saturating_sub(2), &lines);

    let head =
        Row::new(std::iter::once(Cell::from(widgets::ellipsis(model.t(T::Sector), sector_w).into_owned())).chain(
            shown.iter().zip(&widths[1..]).map(|(&i, w)| {
                Cell::from(amount_line(model, widgets::ellipsis(model.t(AMOUNT_HEADS[i]), *w).into_owned()))
            }),
        ))
        .style(model.palette().emphasis);
    let full_names = lines.iter().all(|l| widgets::width(&l.0) <= sector_w);
    let last = lines.len() - 1;
    let rows: Vec<Row> = lines
        .into_iter()
        .enumerate()
        .map(|(n, (full, short, sums))| {
            let name = if full_names { full } else { widgets::ellipsis(&short, sector_w).into_owned() };
            let cells = std::iter::once(Cell::from(name))
                .chain(shown.iter().map(|&i| Cell::from(amount_line(model, sums[i].clone()))));
            let row = Row::new(cells.collect::<Vec<_>>());
            if n == last { row.style(model.palette().emphasis) } else { row }
        })
        .collect();
    let widths: Vec<Constraint> = widths.into_iter().map(Constraint::Length).collect();
    frame.render_widget(
        Table::new(rows, widths)
            .header(head)
            .block(Block::default().borders(Borders::ALL).title(model.t(T::Available))),
        balances,
    );

    let documents = r.documents.as_ref().filter(|d| d.as_ref().map_or(true, |d| !d.is_empty()));
    let today = format::riyadh_date(model.now_ms);
    let (hijri, last12, hijri_year) = spend_totals(r, today);
    let show = |m: Option<Money>| m.map_or_else(|| "…".to_owned(), |m| m.to_grouped());
    let year_label =
        tr(model.lang, T::SpentHijriYear, &[("y", Arg::Str(&hijri_year.map(|y| y.to_string()).unwrap_or_default()))]);
    let lines = vec![
        Line::from(Span::styled(model.t(T::SpentAllTime), model.palette().dim)),
        Line::from(t.used.to_grouped()),
        Line::from(Span::styled(year_label, model.palette().dim)),
        Line::from(show(hijri)),
        Line::from(Span::styled(model.t(T::SpentLast12), model.palette().dim)),
        Line::from(show(last12)),
    ];
    let spent_need =
        lines.iter().map(|l| l.width() as u16).chain([widgets::width(model.t(T::Spent))]).max().unwrap_or(0) + 2;
    let (totals, docs, chart) = lower_areas(lower, spent_need, documents.map(|d| documents_width(model, d)));
    if let Some(documents) = documents {
        draw_documents(frame, docs, model, documents);
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(model.t(T::Spent))),
        totals,
    );

    if chart.width < CHART_MIN_WIDTH || chart.height < CHART_MIN_HEIGHT {
        return;
    }
    let block = Block::default().borders(Borders::ALL).title(model.t(T::SpendingByMonth));
    let inner = block.inner(chart);
    frame.render_widget(block, chart);
    let Some(series) = &r.by_month else { return };
    if series.iter().all(|p| p.spent == Money::ZERO) {
        frame.render_widget(Paragraph::new(model.t(T::NoSpending)), inner);
        return;
    }
    let bar_width = 5u16;
    let fit = usize::from(inner.width / (bar_width + 1)).max(1);
    // The axis ends at this month even when the last spending was long ago.
    let mut series = series.clone();
    let this_month = today.format("%Y-%m").to_string();
    while let Some(next) = series.last().and_then(|p| next_month(&p.period)).filter(|n| *n <= this_month) {
        series.push(SpendingPoint { period: next, spent: Money::ZERO });
    }
    let shown = &series[series.len().saturating_sub(fit)..];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|p| {
            let riyals = u64::try_from(p.spent.halalas() / 100).unwrap_or(0);
            Bar::default().value(riyals).label(Line::from(month_label(&p.period))).text_value(format::compact(riyals))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_style(model.palette().accent),
        inner,
    );
}

/// The panel of spend totals keeps this width where there is room; a narrow screen gets the
/// width of its text.
const SPENT_WIDTH: u16 = 30;
/// Four months of bars (five cells and a gap each) inside a border: fewer says too little.
const CHART_MIN_WIDTH: u16 = 2 + 4 * 6;
/// A bar of two rows over its value and its month, inside a border.
const CHART_MIN_HEIGHT: u16 = 2 + 4;
/// The spend totals' six lines inside a border: the row the chart goes under when it is not beside.
const SPENT_HEIGHT: u16 = 8;
/// The documents' panel is never wider than this: the rest is the chart's.
const DOCUMENTS_MAX_WIDTH: u16 = 40;

/// Where the spend totals, the documents and the chart go in `lower`. The three side by side where
/// they fit; else the chart under the other two where it is tall enough; else no chart (a person
/// with no documents keeps it beside the totals). `docs_need` is the width the documents would
/// like, `None` when there are none.
fn lower_areas(lower: Rect, spent_need: u16, docs_need: Option<u16>) -> (Rect, Rect, Rect) {
    let side = |spent: u16, docs: u16| -> [Rect; 3] {
        Layout::horizontal([Constraint::Length(spent), Constraint::Length(docs), Constraint::Min(0)]).areas(lower)
    };
    let Some(docs_need) = docs_need else {
        let [totals, docs, chart] = side(SPENT_WIDTH.min(lower.width), 0);
        return (totals, docs, chart);
    };
    // Where there is room the panel keeps its width whatever the documents, so it does not move.
    let docs_need = if SPENT_WIDTH + DOCUMENTS_MAX_WIDTH + CHART_MIN_WIDTH <= lower.width {
        DOCUMENTS_MAX_WIDTH
    } else {
        docs_need.min(DOCUMENTS_MAX_WIDTH)
    };
    let spent = if SPENT_WIDTH + docs_need + CHART_MIN_WIDTH <= lower.width { SPENT_WIDTH } else { spent_need };
    // Beside the chart the documents may be shorter in their wording, down to the kind and the day.
    let docs_room = lower.width.saturating_sub(spent + CHART_MIN_WIDTH);
    if docs_room >= docs_need.min(DOCUMENTS_MIN_WIDTH) {
        let [totals, docs, chart] = side(spent, docs_need.min(docs_room));
        return (totals, docs, chart);
    }
    if lower.height >= SPENT_HEIGHT + CHART_MIN_HEIGHT && lower.width >= CHART_MIN_WIDTH {
        let [top, chart] = Layout::vertical([Constraint::Length(SPENT_HEIGHT), Constraint::Min(0)]).areas(lower);
        let [totals, docs] = Layout::horizontal([Constraint::Length(spent_need), Constraint::Min(0)]).areas(top);
        return (totals, docs, chart);
    }
    let [totals, docs] = Layout::horizontal([Constraint::Length(spent_need), Constraint::Min(0)]).areas(lower);
    (totals, docs, Rect { width: 0, height: 0, ..lower })
}

/// Below this the documents' lines say too little beside a chart: "Driving licence · 1200 d".
const DOCUMENTS_MIN_WIDTH: u16 = 2 + 24;

/// The width each document's two lines take in their longest wording, with the border.
fn documents_width(model: &Model, documents: &Result<Vec<Document>, Says>) -> u16 {
    match documents {
        Err(says) => widgets::width(&says.text(model.lang)) + 2,
        Ok(docs) => {
            let widest = docs
                .iter()
                .flat_map(|d| {
                    let (first, second) = document_lines(model, d, u16::MAX);
                    [widgets::width(&first), widgets::width(&second)]
                })
                .max()
                .unwrap_or(0);
            widest.max(widgets::width(model.t(T::Documents))) + 2
        }
    }
}

/// A document's two lines in `width` cells: its kind and the days left (or since it ran out),
/// then the day it runs out in Gregorian and Hijri. The wording shortens before the kind or the
/// Gregorian day is given up.
fn document_lines(model: &Model, d: &Document, width: u16) -> (String, String) {
    let lang = model.lang;
    let kind = strings::laid(reports::document_kind(lang, d.kind));
    let days = strings::laid_owned(reports::days_left(lang, d.days_left));
    let said = |key, n: i64| tr(lang, key, &[("n", Arg::Num(n))]);
    // Narrower and narrower: "expired 178 d ago", "178 d ago", "expired"; or "74 d left", then the
    // days alone (the date below says which way).
    let wordings = match d.days_left {
        0 => vec![days, model.t(T::Today).to_owned()],
        n if n < 0 => {
            vec![days, said(T::DocDaysExpiredShort, -n), said(T::DaysExpiredShort, -n), model.t(T::Expired).to_owned()]
        }
        n => vec![days, said(T::DocDaysLeftShort, n), said(T::DaysLeftShort, n)],
    };
    let first = wordings
        .into_iter()
        .map(|said| format!("{kind} · {said}"))
        .find(|l| widgets::width(l) <= width)
        .unwrap_or_else(|| widgets::ellipsis(&kind, width).into_owned());
    let dates = format!("{} · {}", d.expires_on, d.expires_on_hijri);
    // A car's istimara and a passport carry their number where it fits: an owner of three cars
    // has three istimaras. An iqama's or a licence's number is the holder's ID, in the header.
    let numbered =
        matches!(d.kind, DocumentKind::Istimara | DocumentKind::Passport).then(|| format!("{dates} · {}", d.number));
    let second = [numbered, Some(dates)]
        .into_iter()
        .flatten()
        .find(|l| widgets::width(l) <= width)
        .unwrap_or_else(|| d.expires_on.clone());
    (first, second)
}

/// The documents, the one that runs out first at the top, each in two whole lines; those that do
/// not fit are counted on the last line rather than left out unsaid.
fn draw_documents(frame: &mut Frame, area: Rect, model: &Model, documents: &Result<Vec<Document>, Says>) {
    let block = Block::default().borders(Borders::ALL).title(model.t(T::Documents));
    let inner = block.inner(area);
    let lines: Vec<Line> = match documents {
        Err(says) => vec![Line::styled(says.text(model.lang), model.palette().error)],
        Ok(docs) => {
            let docs = by_expiry(docs);
            let rows = usize::from(inner.height);
            let shown = if docs.len() * 2 <= rows { docs.len() } else { rows.saturating_sub(1) / 2 };
            let mut lines = document_list_lines(model, &docs[..shown], inner.width);
            if shown < docs.len() {
                let more = tr(model.lang, T::MoreN, &[("n", Arg::Num((docs.len() - shown) as i64))]);
                lines.push(Line::styled(more, model.palette().accent));
            }
            lines
        }
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The documents, the one that runs out first at the top.
fn by_expiry(docs: &[Document]) -> Vec<&Document> {
    let mut docs: Vec<&Document> = docs.iter().collect();
    docs.sort_by(|a, b| a.expires_on.cmp(&b.expires_on));
    docs
}

/// Each document's two lines, a run-out one in the error colour.
fn document_list_lines(model: &Model, docs: &[&Document], width: u16) -> Vec<Line<'static>> {
    docs.iter()
        .flat_map(|d| {
            let (first, second) = document_lines(model, d, width);
            let style = if d.days_left < 0 { model.palette().error } else { model.palette().emphasis };
            [Line::styled(first, style), Line::styled(second, model.palette().dim)]
        })
        .collect()
}

/// The list `d` opens: every document, from the `at`th, over the screen; its title says which
/// are shown of how many.
pub fn draw_document_list(frame: &mut Frame, area: Rect, model: &Model, r: &ResultsScreen, at: usize) {
    let Some(Ok(docs)) = &r.documents else { return };
    let docs = by_expiry(docs);
    let popup = widgets::centered(area, DOCUMENT_LIST_WIDTH, (2 + 2 * docs.len()).try_into().unwrap_or(u16::MAX));
    let per_page = (usize::from(popup.height.saturating_sub(2)) / 2).max(1);
    let first = at.min(docs.len().saturating_sub(per_page));
    let last = (first + per_page).min(docs.len());
    let title = format!("{} {}–{}/{}", model.t(T::Documents), first + 1, last, docs.len());
    let block = Block::default().borders(Borders::ALL).title(title).style(Style::default());
    let lines = document_list_lines(model, &docs[first..last], block.inner(popup).width);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// The list of every document is at most this wide, room for each one's longest wording.
const DOCUMENT_LIST_WIDTH: u16 = 48;

const AMOUNT_HEADS: [T; 4] = [T::Paid, T::Used, T::Refunded, T::Available];

/// The balances table's column widths (the sector's first), which amount columns it shows, and the
/// sector column's width. An amount is shown whole or not at all: when the columns do not fit,
/// Refunded goes first, then Paid, then Used, and the sector names shorten.
fn balance_columns(model: &Model, inner: u16, lines: &[(String, String, [String; 4])]) -> (Vec<u16>, Vec<usize>, u16) {
    const SECTOR_MIN: u16 = 8;
    let amount_w: [u16; 4] = std::array::from_fn(|i| lines.iter().map(|l| widgets::width(&l.2[i])).max().unwrap_or(0));
    let needs: Vec<u16> = std::iter::once(SECTOR_MIN).chain(amount_w).collect();
    let keep = widgets::fit_columns(inner, &needs, &[3, 1, 2]);
    let shown: Vec<usize> = (0..4).filter(|i| keep[i + 1]).collect();
    let mut widths: Vec<u16> = shown.iter().map(|&i| amount_w[i]).collect();
    let taken = |widths: &[u16]| widths.iter().sum::<u16>() + widths.len() as u16;
    // Room left over widens amount columns to their heading, then to 12 cells if the sector
    // names still fit whole.
    let names_w = lines.iter().map(|l| widgets::width(&l.0)).max().unwrap_or(0).max(SECTOR_MIN);
    for (k, &i) in shown.iter().enumerate() {
        let spare = inner.saturating_sub(SECTOR_MIN + taken(&widths));
        widths[k] += widgets::width(model.t(AMOUNT_HEADS[i])).saturating_sub(widths[k]).min(spare);
    }
    for k in 0..widths.len() {
        let spare = inner.saturating_sub(names_w + taken(&widths));
        widths[k] += 12u16.saturating_sub(widths[k]).min(spare);
    }
    let sector_w = inner.saturating_sub(taken(&widths)).max(1);
    widths.insert(0, sector_w);
    (widths, shown, sector_w)
}

/// "2025-12" → "2026-01".
fn next_month(period: &str) -> Option<String> {
    let first = NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").ok()?;
    Some(first.checked_add_months(chrono::Months::new(1))?.format("%Y-%m").to_string())
}

/// "2025-11" → "11/25": month first, as the axis reads.
fn month_label(period: &str) -> String {
    match period.split_once('-') {
        Some((year, month)) => format!("{month}/{}", year.get(2..).unwrap_or(year)),
        None => period.to_owned(),
    }
}

/// Sums for the spend panel: this Hijri year and the last 12 Gregorian months (this one included).
pub fn spend_totals(r: &ResultsScreen, today: NaiveDate) -> (Option<Money>, Option<Money>, Option<i32>) {
    let hijri_year = HijriDate::from_gregorian(today).map(|h| h.year);
    let this_hijri = match (&r.by_hijri_month, hijri_year) {
        (Some(series), Some(y)) => {
            let prefix = format!("{y:04}-");
            Some(series.iter().filter(|p| p.period.starts_with(&prefix)).map(|p| p.spent).sum())
        }
        _ => None,
    };
    let first_month = today.with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(11)));
    let last12 = match (&r.by_month, first_month) {
        (Some(series), Some(start)) => {
            let from = start.format("%Y-%m").to_string();
            Some(series.iter().filter(|p| p.period >= from).map(|p| p.spent).sum())
        }
        _ => None,
    };
    (this_hijri, last12, hijri_year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{BalanceReport, Secret};

    #[test]
    fn spend_totals_use_the_hijri_year_and_twelve_months() {
        let (report_token, report) = (Secret::new("t"), sample_report());
        let (mut r, _) = ResultsScreen::open(report, report_token);
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let point = |period: &str, riyals| SpendingPoint { period: period.into(), spent: Money::from_riyals(riyals) };
        r.by_month = Some(vec![point("2025-11", 100), point("2025-12", 10), point("2026-11", 1)]);
        r.by_hijri_month = Some(vec![point("1447-12", 100), point("1448-01", 20), point("1448-06", 3)]);
        let (hijri, last12, year) = spend_totals(&r, today);
        assert_eq!(year, Some(1448));
        assert_eq!(hijri, Some(Money::from_riyals(23)));
        assert_eq!(last12, Some(Money::from_riyals(11)), "Dec 2025 to Nov 2026");
    }

    pub(crate) fn sample_report() -> BalanceReport {
        serde_json::from_value(serde_json::json!({
            "subject": {"id_number": "1057830869", "name_ar": "عبدالله الحربي", "name_en": "Abdullah Al-Harbi", "kind": "citizen"},
            "as_of": "2026-11-25T10:00:00+03:00",
            "balances": [],
            "totals": {"paid": "0.00", "used": "0.00", "refunded": "0.00", "available": "0.00"}
        }))
        .unwrap()
    }
}
