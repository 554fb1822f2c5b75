//! Writing the filtered history to a file, a page at a time.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::api::{Secret, Transaction, TransactionsQuery};
use crate::client::{Client, ClientError};

use super::app::ExportFormat;
use super::format;

const CSV_HEADER: &str =
    "id,date,hijri_date,sector,service_code,service_en,service_ar,kind,amount,beneficiary_id,reference,status";

pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

pub fn csv_line(tx: &Transaction) -> String {
    [
        tx.id.to_string(),
        tx.date.clone(),
        format::hijri_short(&tx.date),
        tx.sector.code().to_owned(),
        tx.service_code.clone(),
        tx.service_en.to_string(),
        tx.service_ar.to_string(),
        tx.kind.as_str().to_owned(),
        tx.amount.to_plain(),
        tx.beneficiary_id.clone(),
        tx.reference.clone(),
        tx.status.code().to_owned(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

fn journal_text(text: &str) -> String {
    // A journal line ends the description at ';' and two spaces separate amounts.
    text.replace(';', ",").replace("  ", " ")
}

/// One transaction as an hledger journal entry: deposits sit in
/// `assets:absher:SECTOR` until a service (`expenses:government:SECTOR`)
/// uses them or the bank (`assets:bank`) takes them back.
pub fn journal_entry(tx: &Transaction) -> String {
    use crate::domain::TxKind;
    let sector = tx.sector.code();
    let deposit = format!("assets:absher:{sector}");
    let (to, from) = match tx.kind {
        TxKind::Payment => (deposit, "assets:bank".to_owned()),
        TxKind::Usage => (format!("expenses:government:{sector}"), deposit),
        TxKind::Refund => ("assets:bank".to_owned(), deposit),
    };
    format!(
        "{date} ({reference}) {service}  ; kind:{kind}, beneficiary:{beneficiary}, hijri:{hijri}\n    {to}  {amount} SAR\n    {from}\n\n",
        date = tx.date,
        reference = journal_text(&tx.reference),
        service = journal_text(&tx.service_en),
        kind = tx.kind.as_str(),
        beneficiary = tx.beneficiary_id,
        hijri = format::hijri_short(&tx.date),
        amount = tx.amount.to_plain(),
    )
}

/// Writes transactions in one of the export formats, a row at a time. Nothing
/// is written before the first row or `finish`, so a failed first page leaves no output.
pub struct HistoryWriter<W: Write> {
    out: W,
    format: ExportFormat,
    id_number: String,
    started: bool,
    count: usize,
}

impl<W: Write> HistoryWriter<W> {
    pub fn new(out: W, format: ExportFormat, id_number: &str) -> Self {
        HistoryWriter { out, format, id_number: id_number.to_owned(), started: false, count: 0 }
    }

    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.started = true;
            match self.format {
                ExportFormat::Csv => writeln!(self.out, "{CSV_HEADER}")?,
                ExportFormat::Json => write!(self.out, "[")?,
                ExportFormat::Hledger => {
                    writeln!(self.out, "; rasid export of {}\ncommodity 1,000.00 SAR\n", self.id_number)?
                }
            }
        }
        Ok(())
    }

    pub fn write(&mut self, tx: &Transaction) -> std::io::Result<()> {
        self.start()?;
        match self.format {
            ExportFormat::Csv => writeln!(self.out, "{}", csv_line(tx))?,
            ExportFormat::Hledger => write!(self.out, "{}", journal_entry(tx))?,
            ExportFormat::Json => {
                let sep = if self.count == 0 { "\n" } else { ",\n" };
                write!(self.out, "{sep}{}", serde_json::to_string(tx)?)?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Closes the document; returns how many transactions it holds.
    pub fn finish(mut self) -> std::io::Result<usize> {
        self.start()?;
        if self.format == ExportFormat::Json {
            writeln!(self.out, "{}]", if self.count == 0 { "" } else { "\n" })?;
        }
        self.out.flush()?;
        Ok(self.count)
    }
}

#[derive(Debug)]
pub enum HistoryError {
    Client(ClientError),
    Io(std::io::Error),
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryError::Client(e) => e.fmt(f),
            HistoryError::Io(e) => e.fmt(f),
        }
    }
}

/// Walks every page matching `query` in order, handing each page's rows to
/// `each` (at least once, so a writer can start even when nothing matches).
pub async fn each_page(
    client: &Client,
    token: &Secret,
    id_number: &str,
    mut query: TransactionsQuery,
    mut each: impl FnMut(&[Transaction]) -> std::io::Result<()>,
) -> Result<(), HistoryError> {
    loop {
        let page = client.transactions(token, id_number, &query).await.map_err(HistoryError::Client)?;
        each(&page.items).map_err(HistoryError::Io)?;
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => return Ok(()),
        }
    }
}

/// Fetches every page matching `query` and writes them to `dir`; returns the path and the row count.
pub async fn export(
    client: &Client,
    token: &Secret,
    id_number: &str,
    query: TransactionsQuery,
    format: ExportFormat,
    dir: &Path,
    stamp: &str,
) -> Result<(PathBuf, usize), String> {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
        ExportFormat::Hledger => "journal",
    };
    let path = dir.join(format!("rasid-{id_number}-{stamp}.{ext}"));
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut writer = HistoryWriter::new(std::io::BufWriter::new(file), format, id_number);
    each_page(client, token, id_number, query, |items| items.iter().try_for_each(|tx| writer.write(tx)))
        .await
        .map_err(|e| e.to_string())?;
    let count = writer.finish().map_err(|e| e.to_string())?;
    Ok((path, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_entries_balance_and_name_the_accounts() {
        let tx: Transaction = serde_json::from_value(serde_json::json!({
            "id": 1, "date": "2026-11-25", "sector": "passports", "service_code": "exit_reentry_single",
            "service_ar": "", "service_en": "Exit re-entry visa; single", "kind": "usage", "amount": "200.00",
            "beneficiary_id": "2134653555", "reference": "SADAD-1", "status": "settled"
        }))
        .unwrap();
        assert_eq!(
            journal_entry(&tx),
            "2026-11-25 (SADAD-1) Exit re-entry visa, single  ; kind:usage, beneficiary:2134653555, hijri:1448-06-15\n    expenses:government:passports  200.00 SAR\n    assets:absher:passports\n\n"
        );
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
