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
    };
    let path = dir.join(format!("rasid-{id_number}-{stamp}.{ext}"));
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let io = |e: std::io::Error| e.to_string();
    match format {
        ExportFormat::Csv => writeln!(out, "{CSV_HEADER}").map_err(io)?,
        ExportFormat::Json => write!(out, "[").map_err(io)?,
    }
    let mut count = 0usize;
    loop {
        let page = client.transactions(token, id_number, &query).await.map_err(|e| e.to_string())?;
        for tx in &page.items {
            match format {
                ExportFormat::Csv => writeln!(out, "{}", csv_line(tx)).map_err(io)?,
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
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
