//! The establishment's reports written out: every worker's money, the renewals
//! due and one person's documents; as a table for reading, or JSON and CSV that
//! keep the API's English codes whatever the language. The plain commands
//! write them to stdout, the app to a new file.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::export::{Format, UTF8_BOM, csv_field, name_part};
use super::format;
use super::strings::{Arg, T, tr};
use crate::api::{
    Document, RenewalDue, RenewalsPage, RenewalsQuery, Secret, Totals, WorkerMoney, WorkerSort, WorkersQuery,
    WorkersReport,
};
use crate::client::Client;
use crate::config::Lang;
use crate::domain::{DocumentKind, Money, Sector};
use crate::fsutil::NewFile;

/// "Iqama", "Passport"…
pub fn document_kind(lang: Lang, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Iqama => T::DocIqama.get(lang),
        DocumentKind::Passport => T::DocPassport.get(lang),
        DocumentKind::DrivingLicence => T::DocDrivingLicence.get(lang),
        DocumentKind::Istimara => T::DocIstimara.get(lang),
    }
}

/// "30 days left", "expires today", "expired 12 days ago".
pub fn days_left(lang: Lang, days: i64) -> String {
    match days {
        0 => T::ExpiresToday.get(lang).to_owned(),
        n if n > 0 => tr(lang, T::DaysLeftN, &[("n", Arg::Num(n))]),
        n => tr(lang, T::DaysExpiredN, &[("n", Arg::Num(n.saturating_neg()))]),
    }
}

/// The sort as a person reads it.
pub fn worker_sort(lang: Lang, sort: WorkerSort) -> &'static str {
    match sort {
        WorkerSort::AvailableDesc => T::SortAvailableDesc.get(lang),
        WorkerSort::AvailableAsc => T::SortAvailableAsc.get(lang),
        WorkerSort::Name => T::SortName.get(lang),
        WorkerSort::IdNumber => T::SortIdNumber.get(lang),
        WorkerSort::OldestUnused => T::SortOldestUnused.get(lang),
    }
}

pub fn yes_no(lang: Lang, yes: bool) -> &'static str {
    if yes { T::Yes.get(lang) } else { T::No.get(lang) }
}

/// Which report an export writes, with the filters on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    Workers(WorkersQuery),
    Renewals(RenewalsQuery),
}

/// What the app exports from a report screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportExport {
    pub report: Report,
    pub format: Format,
    pub lang: Lang,
}

/// The workers' report as written out: every matching worker and the sums.
#[derive(Serialize)]
struct WorkersOut<'a> {
    items: &'a [WorkerMoney],
    total_count: u64,
    sums: &'a Totals,
}

#[derive(Serialize)]
struct RenewalsOut<'a> {
    items: &'a [RenewalDue],
    total_count: u64,
}

const WORKERS_CSV: &str = "id_number,name_en,name_ar,kind,passports,vehicles,driving_licence,sponsorees,labour,\
paid,used,refunded,available,last_payment_on,oldest_unused_on,iqama_expires_on";
const RENEWALS_CSV: &str =
    "id_number,name_en,name_ar,document,expires_on,expires_on_hijri,days_left,fee,sector,available_in_sector,covered";
const DOCUMENTS_CSV: &str = "kind,number,expires_on,expires_on_hijri,days_left";

fn csv_row(out: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
    writeln!(out, "{}", cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","))
}

fn day(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

/// Columns padded to their widest cell (in characters); `right` ones against their right edge.
pub fn write_table(out: &mut dyn Write, rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r.get(c).map_or(0, |s| s.chars().count())).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut cells = vec![];
        for (c, cell) in row.iter().enumerate() {
            let fill = " ".repeat(widths[c].saturating_sub(cell.chars().count()));
            cells.push(if right.contains(&c) { format!("{fill}{cell}") } else { format!("{cell}{fill}") });
        }
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

fn headings(lang: Lang, ts: &[T]) -> Vec<String> {
    ts.iter().map(|t| t.get(lang).to_owned()).collect()
}

pub fn write_workers(lang: Lang, report: &WorkersReport, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let all = WorkersOut { items: &report.items, total_count: report.total_count, sums: &report.sums };
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)
        }
        Format::Csv => {
            writeln!(out, "{WORKERS_CSV}")?;
            for w in &report.items {
                let mut cells = vec![w.id_number.clone(), w.name_en.clone(), w.name_ar.clone(), w.kind.as_str().into()];
                cells.extend(Sector::ALL.iter().map(|s| w.available.get(*s).to_plain()));
                let t = &w.totals;
                cells.extend([t.paid, t.used, t.refunded, t.available].map(Money::to_plain));
                cells.extend([day(&w.last_payment_on), day(&w.oldest_unused_on), day(&w.iqama_expires_on)]);
                csv_row(out, &cells)?;
            }
            Ok(())
        }
        Format::Table | Format::Hledger => {
            let mut rows = vec![headings(
                lang,
                &[T::IdNumber, T::Name, T::Available, T::Paid, T::Used, T::Refunded, T::LastPayment, T::IqamaExpires],
            )];
            for w in &report.items {
                let t = &w.totals;
                let mut row = vec![w.id_number.clone(), lang.pick(&w.name_en, &w.name_ar).to_owned()];
                row.extend([t.available, t.paid, t.used, t.refunded].map(Money::to_grouped));
                row.extend([day(&w.last_payment_on), day(&w.iqama_expires_on)]);
                rows.push(row);
            }
            let s = &report.sums;
            let count = tr(lang, T::WorkersCount, &[("n", Arg::Str(&format::grouped(report.total_count)))]);
            let mut total = vec![T::Total.get(lang).to_owned(), count];
            total.extend([s.available, s.paid, s.used, s.refunded].map(Money::to_grouped));
            total.extend([String::new(), String::new()]);
            rows.push(total);
            write_table(out, &rows, &[2, 3, 4, 5])
        }
    }
}

pub fn write_renewals(lang: Lang, page: &RenewalsPage, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let all = RenewalsOut { items: &page.items, total_count: page.total_count };
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)
        }
        Format::Csv => {
            writeln!(out, "{RENEWALS_CSV}")?;
            for r in &page.items {
                csv_row(
                    out,
                    &[
                        r.id_number.clone(),
                        r.name_en.clone(),
                        r.name_ar.clone(),
                        r.document.code().into(),
                        r.expires_on.clone(),
                        r.expires_on_hijri.clone(),
                        r.days_left.to_string(),
                        r.fee.to_plain(),
                        r.sector.code().into(),
                        r.available_in_sector.to_plain(),
                        r.covered.to_string(),
                    ],
                )?;
            }
            Ok(())
        }
        Format::Table | Format::Hledger => {
            let mut rows = vec![headings(
                lang,
                &[
                    T::Expires,
                    T::Hijri,
                    T::DaysLeft,
                    T::Document,
                    T::IdNumber,
                    T::Name,
                    T::Fee,
                    T::HeldInSector,
                    T::Covered,
                ],
            )];
            for r in &page.items {
                rows.push(vec![
                    r.expires_on.clone(),
                    r.expires_on_hijri.clone(),
                    days_left(lang, r.days_left),
                    document_kind(lang, r.document).to_owned(),
                    r.id_number.clone(),
                    lang.pick(&r.name_en, &r.name_ar).to_owned(),
                    r.fee.to_grouped(),
                    format!("{} {}", format::sector_short(lang, r.sector), r.available_in_sector.to_grouped()),
                    yes_no(lang, r.covered).to_owned(),
                ]);
            }
            write_table(out, &rows, &[6, 7])
        }
    }
}

pub fn write_documents(lang: Lang, docs: &[Document], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(docs)?),
        Format::Csv => {
            writeln!(out, "{DOCUMENTS_CSV}")?;
            for d in docs {
                let cells = [
                    d.kind.code().to_owned(),
                    d.number.clone(),
                    d.expires_on.clone(),
                    d.expires_on_hijri.clone(),
                    d.days_left.to_string(),
                ];
                csv_row(out, &cells)?;
            }
            Ok(())
        }
        // A table of headings alone would leave the reader wondering; JSON and CSV stay as they are.
        Format::Table | Format::Hledger if docs.is_empty() => writeln!(out, "{}", T::NoDocuments.get(lang)),
        Format::Table | Format::Hledger => {
            let mut rows = vec![headings(lang, &[T::Document, T::Number, T::Expires, T::Hijri, T::DaysLeft])];
            for d in docs {
                rows.push(vec![
                    document_kind(lang, d.kind).to_owned(),
                    d.number.clone(),
                    d.expires_on.clone(),
                    d.expires_on_hijri.clone(),
                    days_left(lang, d.days_left),
                ]);
            }
            write_table(out, &rows, &[])
        }
    }
}

/// Fetches every page of the report and writes it to a new owner-only file in
/// `dir`, `rasid-workers-STAMP.EXT` or `rasid-renewals-STAMP.EXT` (the next free
/// name when taken; nothing is overwritten). Returns the path and the row count.
pub async fn export(
    client: &Client,
    token: &Secret,
    export: &ReportExport,
    dir: &Path,
    stamp: &str,
) -> Result<(PathBuf, usize), String> {
    let mut body = vec![];
    let (name, count) = match &export.report {
        Report::Workers(query) => {
            let report = client.all_workers(token, query.clone()).await.map_err(|e| e.to_string())?;
            write_workers(export.lang, &report, export.format, &mut body).map_err(|e| e.to_string())?;
            ("workers", report.items.len())
        }
        Report::Renewals(query) => {
            let page = client.all_renewals(token, query.clone()).await.map_err(|e| e.to_string())?;
            write_renewals(export.lang, &page, export.format, &mut body).map_err(|e| e.to_string())?;
            ("renewals", page.items.len())
        }
    };
    let stem = format!("rasid-{name}-{}", name_part(stamp));
    let failed = |e: std::io::Error| format!("{}: {e}", dir.display());
    let mut file = NewFile::create(dir, &stem, export.format.extension()).map_err(failed)?;
    if export.format == Format::Csv {
        file.file().write_all(UTF8_BOM).map_err(failed)?;
    }
    file.file().write_all(&body).map_err(failed)?;
    let path = file.keep().map_err(failed)?;
    Ok((path, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(id: &str, available: &str) -> WorkerMoney {
        serde_json::from_value(serde_json::json!({
            "id_number": id, "name_ar": "راجيش كومار", "name_en": "=Rajesh Kumar", "kind": "resident",
            "available": {"passports": available, "vehicles": "0.00", "driving_licence": "0.00",
                          "sponsorees": "0.00", "labour": "0.00"},
            "totals": {"paid": "1250.75", "used": "650.00", "refunded": "0.00", "available": available},
            "last_payment_on": "2026-10-01", "oldest_unused_on": null, "iqama_expires_on": "2027-01-05"
        }))
        .unwrap()
    }

    #[test]
    fn the_workers_csv_keeps_codes_and_exact_amounts_and_the_table_the_sums() {
        let sums = Totals {
            paid: Money::parse("2501.50").unwrap(),
            used: Money::parse("1300.00").unwrap(),
            refunded: Money::default(),
            available: Money::parse("1201.50").unwrap(),
        };
        let report = WorkersReport {
            items: vec![worker("2000000008", "600.75"), worker("2000000016", "600.75")],
            next_cursor: None,
            prev_cursor: None,
            total_count: 2,
            sums,
        };
        let mut csv = vec![];
        write_workers(Lang::Ar, &report, Format::Csv, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(first[..5], ["2000000008", "'=Rajesh Kumar", "راجيش كومار", "resident", "600.75"]);
        assert_eq!(first[12], "600.75");
        let mut table = vec![];
        write_workers(Lang::En, &report, Format::Table, &mut table).unwrap();
        let table = String::from_utf8(table).unwrap();
        let last = table.lines().last().unwrap();
        assert!(last.starts_with("Total") && last.contains("2 workers") && last.contains("1,201.50"), "{last}");
    }

    #[test]
    fn no_documents_is_said_in_a_table_and_left_empty_in_json_and_csv() {
        let written = |lang, format| {
            let mut out = vec![];
            write_documents(lang, &[], format, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(written(Lang::En, Format::Table), "No documents.\n");
        assert_eq!(written(Lang::Ar, Format::Table), "لا وثائق.\n");
        assert_eq!(written(Lang::En, Format::Json).trim(), "[]");
        assert_eq!(written(Lang::En, Format::Csv).trim(), DOCUMENTS_CSV);
    }

    #[test]
    fn days_left_say_when_a_document_ran_out() {
        assert_eq!(days_left(Lang::En, 30), "30 days left");
        assert_eq!(days_left(Lang::En, 1), "1 day left");
        assert_eq!(days_left(Lang::En, 0), "expires today");
        assert_eq!(days_left(Lang::En, -12), "expired 12 days ago");
        assert_eq!(days_left(Lang::Ar, -2), "انتهت منذ يومين");
    }
}
