//! Writing the filtered history to a file, a page at a time.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::api::{Secret, Transaction, TransactionsQuery};
use crate::client::Client;

use super::app::ExportFormat;
use super::format;

const CSV_HEADER: &str =
    "id,date,hijri_date,sector,service_code,service_en,service_ar,kind,amount,beneficiary_id,reference,status";

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

pub fn csv_line(tx: &Transaction) -> String {
    let status = serde_json::to_value(tx.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    [
        tx.id.to_string(),
        tx.date.clone(),
        format::hijri_short(&tx.date),
        tx.sector.code().to_owned(),
        tx.service_code.clone(),
        tx.service_en.clone(),
        tx.service_ar.clone(),
        tx.kind.as_str().to_owned(),
        tx.amount.to_plain(),
        tx.beneficiary_id.clone(),
        tx.reference.clone(),
        status,
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

/// Fetches every page matching `query` and writes them to `dir`; returns the path and the row count.
pub async fn export(
    client: &Client,
    token: &Secret,
    id_number: &str,
    mut query: TransactionsQuery,
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
    let mut out = std::io::BufWriter::new(file);
    let io = |e: std::io::Error| e.to_string();
    match format {
        ExportFormat::Csv => writeln!(out, "{CSV_HEADER}").map_err(io)?,
        ExportFormat::Json => write!(out, "[").map_err(io)?,
        ExportFormat::Hledger => {
            writeln!(out, "; rasid export of {id_number}\ncommodity 1,000.00 SAR\n").map_err(io)?
        }
    }
    let mut count = 0usize;
    loop {
        let page = client.transactions(token, id_number, &query).await.map_err(|e| e.to_string())?;
        for tx in &page.items {
            match format {
                ExportFormat::Csv => writeln!(out, "{}", csv_line(tx)).map_err(io)?,
                ExportFormat::Hledger => write!(out, "{}", journal_entry(tx)).map_err(io)?,
                ExportFormat::Json => {
                    let sep = if count == 0 { "\n" } else { ",\n" };
                    let json = serde_json::to_string(tx).map_err(|e| e.to_string())?;
                    write!(out, "{sep}{json}").map_err(io)?;
                }
            }
            count += 1;
        }
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => break,
        }
    }
    if format == ExportFormat::Json {
        writeln!(out, "\n]").map_err(io)?;
    }
    out.flush().map_err(io)?;
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
