//! Writing a history out, a row at a time: as a table for reading, JSON, CSV
//! or an hledger journal; to stdout (the plain commands) or to a new file (the app).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::format;
use super::strings::T;
use crate::api::{Secret, Transaction, TransactionsQuery, TxSort};
use crate::client::Client;
use crate::config::Lang;
use crate::domain::{Sector, TxKind};
use crate::fsutil::NewFile;

/// How rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns, for reading.
    #[default]
    Table,
    /// The API's own objects; amounts are strings such as "650.00".
    Json,
    /// A header row, then one row per item; amounts are plain decimals.
    Csv,
    /// A plain-text accounting journal for hledger and ledger.
    Hledger,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Table, Format::Json, Format::Csv, Format::Hledger];

    /// The name `--format` takes, and an export file's extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Hledger => "hledger",
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Hledger => "journal",
            other => other.name(),
        }
    }
}

const CSV_HEADER: &str =
    "id,date,hijri_date,sector,service_code,service_en,service_ar,kind,amount,beneficiary_id,reference,status";

/// One CSV cell. A spreadsheet runs a cell that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return as a formula, so such text gets a leading
/// `'` (OWASP's advice on CSV injection); a plain number such as `-200.00` is
/// data and stays a number.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_decimal(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// `-200.00`, `+5`, `650`: an optional sign, digits, and optionally a point and more digits.
fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// The amount signed by what it does to the balance: a payment adds, a use
/// or a refund takes away; so the column sums to the change in what is available.
fn csv_amount(tx: &Transaction) -> String {
    match tx.kind {
        TxKind::Payment => tx.amount.to_plain(),
        TxKind::Usage | TxKind::Refund => format!("-{}", tx.amount.to_plain()),
    }
}

/// The byte-order mark an exported CSV file starts with: without it Excel
/// reads UTF-8 as the system's legacy code page, and the Arabic column is garbage.
pub(crate) const UTF8_BOM: &[u8] = "\u{FEFF}".as_bytes();

/// A JSON row: the API's transaction and its Hijri (Umm al-Qura) date.
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    #[serde(flatten)]
    tx: &'a Transaction,
    hijri_date: String,
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
        csv_amount(tx),
        tx.beneficiary_id.clone(),
        tx.reference.clone(),
        tx.status.code().to_owned(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

/// Server text made safe for its place inside a journal line: a line break
/// or other control character could start a line of its own (`include
/// /etc/passwd`, `account x`), `;` would start a comment, `|` would split the
/// payee from the note, and two spaces end an account name.
fn journal_text(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| match c {
            ';' => ',',
            '|' => '/',
            c if c.is_control() || c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The transaction code, between `(` and `)`: a `)` inside would end it early.
fn journal_code(text: &str) -> String {
    journal_text(text).replace('(', "[").replace(')', "]")
}

/// A tag's value, which ends at a comma: a comma (or a `name:`) inside would start another tag.
fn journal_tag(text: &str) -> String {
    journal_text(&text.replace([',', ':'], " "))
}

/// A journal entry starts a line with its date: anything else there could be a directive.
fn is_plain_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// The payee of a sector's entries: the journal declares all five up front,
/// so strict checks pass on a journal written a row at a time.
fn journal_payee(sector: Sector) -> String {
    format::sector_short(Lang::En, sector)
}

/// What `hledger check -s payees` and `ledger --pedantic` need declared before
/// the first entry: the commodity, every account and payee an entry can name,
/// and the tags.
fn journal_declarations(id_number: &str) -> String {
    let mut out = format!(
        "; rasid export of {}\ncommodity SAR\n    format 1,000.00 SAR\n\naccount assets:bank\n",
        journal_text(id_number)
    );
    for sector in Sector::ALL {
        out.push_str(&format!("account assets:absher:{0}\naccount expenses:government:{0}\n", sector.code()));
    }
    out.push('\n');
    for sector in Sector::ALL {
        out.push_str(&format!("payee {}\n", journal_payee(sector)));
    }
    out.push_str("\ntag kind\ntag beneficiary\ntag hijri\n\n");
    out
}

/// The query an export walks: a journal goes in date order (strict checks
/// refuse a date earlier than the one before it), whatever the screen's sort.
pub fn query_for(format: Format, mut query: TransactionsQuery) -> TransactionsQuery {
    if format == Format::Hledger {
        query.sort = Some(TxSort::DateAsc);
    }
    query
}

/// One transaction as an hledger journal entry: deposits sit in
/// `assets:absher:SECTOR` until a service (`expenses:government:SECTOR`)
/// uses them or the bank (`assets:bank`) takes them back. The payee is the
/// sector, the note the service. A date that is not `YYYY-MM-DD` is refused
/// rather than written at the start of a line.
pub fn journal_entry(tx: &Transaction) -> std::io::Result<String> {
    if !is_plain_date(&tx.date) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("transaction {}: the server sent a date that is not YYYY-MM-DD", tx.id),
        ));
    }
    let sector = tx.sector.code();
    let deposit = format!("assets:absher:{sector}");
    let (to, from) = match tx.kind {
        TxKind::Payment => (deposit, "assets:bank".to_owned()),
        TxKind::Usage => (format!("expenses:government:{sector}"), deposit),
        TxKind::Refund => ("assets:bank".to_owned(), deposit),
    };
    Ok(format!(
        "{date} ({reference}) {payee} | {service}  ; kind:{kind}, beneficiary:{beneficiary}, hijri:{hijri}\n    {to}  {amount} SAR\n    {from}\n\n",
        date = tx.date,
        reference = journal_code(&tx.reference),
        payee = journal_payee(tx.sector),
        service = journal_text(&tx.service_en),
        kind = tx.kind.as_str(),
        beneficiary = journal_tag(&tx.beneficiary_id),
        hijri = format::hijri_short(&tx.date),
        amount = tx.amount.to_plain(),
    ))
}

/// Writes transactions in one of the export formats, a row at a time. Nothing
/// is written before the first row or `finish`, so a failed first page leaves no output.
pub struct HistoryWriter<W: Write> {
    out: W,
    format: Format,
    /// The language of a table's headings and words.
    lang: Lang,
    id_number: String,
    started: bool,
    count: usize,
    /// The date of the journal's last entry.
    last_date: Option<String>,
}

impl<W: Write> HistoryWriter<W> {
    pub fn new(out: W, format: Format, lang: Lang, id_number: &str) -> Self {
        HistoryWriter { out, format, lang, id_number: id_number.to_owned(), started: false, count: 0, last_date: None }
    }

    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.started = true;
            match self.format {
                Format::Table => writeln!(self.out, "{}", table_header(self.lang))?,
                Format::Csv => writeln!(self.out, "{CSV_HEADER}")?,
                Format::Json => write!(self.out, "[")?,
                Format::Hledger => write!(self.out, "{}", journal_declarations(&self.id_number))?,
            }
        }
        Ok(())
    }

    pub fn write(&mut self, tx: &Transaction) -> std::io::Result<()> {
        self.start()?;
        match self.format {
            Format::Table => writeln!(self.out, "{}", table_row(self.lang, tx))?,
            Format::Csv => writeln!(self.out, "{}", csv_line(tx))?,
            Format::Hledger => {
                // The query asked for date order; a server that ignored it must not yield a journal the checks refuse.
                if self.last_date.as_deref().is_some_and(|last| tx.date.as_str() < last) {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("transaction {}: the server sent the history out of date order", tx.id),
                    ));
                }
                write!(self.out, "{}", journal_entry(tx)?)?;
                self.last_date = Some(tx.date.clone());
            }
            Format::Json => {
                let sep = if self.count == 0 { "\n" } else { ",\n" };
                let row = JsonRow { tx, hijri_date: format::hijri_short(&tx.date) };
                write!(self.out, "{sep}{}", serde_json::to_string(&row)?)?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Closes the document; returns how many transactions it holds.
    pub fn finish(mut self) -> std::io::Result<usize> {
        self.start()?;
        if self.format == Format::Json {
            writeln!(self.out, "{}]", if self.count == 0 { "" } else { "\n" })?;
        }
        self.out.flush()?;
        Ok(self.count)
    }
}

/// A table's fixed widths, so rows can stream out a page at a time; the service, last, is left ragged.
const TABLE_COLUMNS: [(T, usize); 6] =
    [(T::Date, 10), (T::Hijri, 10), (T::Sector, 16), (T::Kind, 8), (T::Amount, 13), (T::Reference, 18)];

/// Pads to `width` characters; amounts against the right edge so their decimal points line up.
fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(text.chars().count()));
    if right { format!("{fill}{text}") } else { format!("{text}{fill}") }
}

fn table_header(lang: Lang) -> String {
    let mut line: Vec<String> = TABLE_COLUMNS.iter().map(|(t, w)| pad(t.get(lang), *w, *t == T::Amount)).collect();
    line.push(T::Service.get(lang).to_owned());
    line.join("  ")
}

fn table_row(lang: Lang, tx: &Transaction) -> String {
    let cells = [
        tx.date.clone(),
        format::hijri_short(&tx.date),
        format::sector_short(lang, tx.sector),
        format::kind_label(lang, tx.kind).to_owned(),
        format::signed_amount(tx.kind, tx.amount),
        tx.reference.clone(),
    ];
    let mut line: Vec<String> =
        cells.iter().zip(TABLE_COLUMNS).map(|(cell, (t, w))| pad(cell, w, t == T::Amount)).collect();
    line.push(lang.pick(&tx.service_en, &tx.service_ar).to_owned());
    line.join("  ")
}

/// A file-name part from text that may come from the server: letters, digits and `-` only.
pub(crate) fn name_part(text: &str) -> String {
    let part: String = text.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(32).collect();
    if part.is_empty() { "unknown".to_owned() } else { part }
}

/// An export file's time stamp, `YYYYMMDD-HHMMSS`, in Riyadh time as the screen shows it.
pub fn file_stamp(now_ms: i64) -> String {
    let offset_ms = i64::from(crate::domain::hijri::RIYADH_UTC_OFFSET_S) * 1000;
    chrono::DateTime::from_timestamp_millis(now_ms.saturating_add(offset_ms))
        .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
        .unwrap_or_default()
}

/// What to export: whose history, which rows, written how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub id_number: String,
    pub query: TransactionsQuery,
    pub format: Format,
    pub lang: Lang,
}

/// Fetches every page matching the export's query and writes them to a new
/// owner-only file in `dir`, `rasid-ID-STAMP.EXT` or, when that name is taken,
/// the next free `rasid-ID-STAMP-N.EXT`; nothing existing is overwritten or
/// followed, and a failed export leaves no file. Returns the path and the row count.
pub async fn export(
    client: &Client,
    token: &Secret,
    export: &Export,
    dir: &Path,
    stamp: &str,
) -> Result<(PathBuf, usize), String> {
    let id_number = export.id_number.as_str();
    let stem = format!("rasid-{}-{}", name_part(id_number), name_part(stamp));
    let mut file =
        NewFile::create(dir, &stem, export.format.extension()).map_err(|e| format!("{}: {e}", dir.display()))?;
    if export.format == Format::Csv {
        file.file().write_all(UTF8_BOM).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut writer = HistoryWriter::new(std::io::BufWriter::new(file.file()), export.format, export.lang, id_number);
    let query = query_for(export.format, export.query.clone());
    client
        .each_page(token, id_number, query, |items| items.iter().try_for_each(|tx| writer.write(tx)))
        .await
        .map_err(|e| e.to_string())?;
    let count = writer.finish().map_err(|e| e.to_string())?;
    let path = file.keep().map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok((path, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(fields: serde_json::Value) -> Transaction {
        let mut base = serde_json::json!({
            "id": 1, "date": "2026-11-25", "sector": "passports", "service_code": "exit_reentry_single",
            "service_ar": "", "service_en": "Exit re-entry visa; single", "kind": "usage", "amount": "200.00",
            "beneficiary_id": "2134653555", "reference": "SADAD-1", "status": "settled"
        });
        for (k, v) in fields.as_object().unwrap() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn journal_entries_balance_and_name_the_accounts() {
        assert_eq!(
            journal_entry(&tx(serde_json::json!({}))).unwrap(),
            "2026-11-25 (SADAD-1) Passports | Exit re-entry visa, single  ; kind:usage, beneficiary:2134653555, hijri:1448-06-15\n    expenses:government:passports  200.00 SAR\n    assets:absher:passports\n\n"
        );
    }

    #[test]
    fn server_text_cannot_start_a_journal_line_or_add_a_tag() {
        let hostile = tx(serde_json::json!({
            "service_en": "Visa\ninclude /etc/passwd\r\naccount x | note; comment\u{2028}alias a=b",
            "reference": "R) 2000-01-01 x\naccount y",
            "beneficiary_id": "2134653555, evil:1\n2000-01-01 * z",
        }));
        let entry = journal_entry(&hostile).unwrap();
        assert_eq!(
            entry,
            "2026-11-25 (R] 2000-01-01 x account y) Passports | Visa include /etc/passwd account x / note, comment alias a=b  \
             ; kind:usage, beneficiary:2134653555 evil 1 2000-01-01 * z, hijri:1448-06-15\n    \
             expenses:government:passports  200.00 SAR\n    assets:absher:passports\n\n"
        );
        let journal = String::from_utf8(writer_output(hostile)).unwrap();
        for line in journal.lines() {
            let declared = ["commodity SAR", "account ", "payee ", "tag "].iter().any(|d| line.starts_with(d));
            let own = line.is_empty()
                || line.starts_with("; ")
                || line.starts_with("    ")
                || line.starts_with("2026-11-25 ")
                || (declared && !line.contains("etc"));
            assert!(own, "a line the server's text started: {line:?}");
        }
        let bad_date = tx(serde_json::json!({"date": "include /etc/passwd"}));
        assert_eq!(journal_entry(&bad_date).unwrap_err().kind(), std::io::ErrorKind::InvalidData);
    }

    /// What a journal export of `tx` for a hostile ID number holds.
    fn writer_output(tx: Transaction) -> Vec<u8> {
        let mut out = vec![];
        let mut writer = HistoryWriter::new(&mut out, Format::Hledger, Lang::En, "1057830869\ninclude /etc/shadow");
        writer.write(&tx).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_journal_refuses_a_history_out_of_date_order() {
        let mut out = vec![];
        let mut writer = HistoryWriter::new(&mut out, Format::Hledger, Lang::En, "1057830869");
        writer.write(&tx(serde_json::json!({"date": "2026-11-25"}))).unwrap();
        let earlier = writer.write(&tx(serde_json::json!({"date": "2026-11-24"})));
        assert_eq!(earlier.unwrap_err().kind(), std::io::ErrorKind::InvalidData);
        let query = TransactionsQuery { sort: Some(TxSort::AmountDesc), ..Default::default() };
        assert_eq!(query_for(Format::Hledger, query.clone()).sort, Some(TxSort::DateAsc));
        assert_eq!(query_for(Format::Csv, query).sort, Some(TxSort::AmountDesc));
    }

    #[test]
    fn file_names_carry_riyadh_time() {
        // 2026-11-25 23:30:05 UTC is 02:30:05 the next day in Riyadh.
        let late = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(23, 30, 5).unwrap();
        assert_eq!(file_stamp(late.and_utc().timestamp_millis()), "20261126-023005");
    }

    #[test]
    fn csv_amounts_sum_to_the_balance_change_and_json_carries_the_hijri_date() {
        let rows = [("payment", "650.00"), ("usage", "200.00"), ("refund", "51.75")];
        let mut out = vec![];
        let mut writer = HistoryWriter::new(&mut out, Format::Csv, Lang::En, "1057830869");
        for (kind, amount) in rows {
            writer.write(&tx(serde_json::json!({"kind": kind, "amount": amount}))).unwrap();
        }
        writer.finish().unwrap();
        let csv = String::from_utf8(out).unwrap();
        let amounts: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(8).unwrap()).collect();
        assert_eq!(amounts, ["650.00", "-200.00", "-51.75"]);

        let mut out = vec![];
        let mut writer = HistoryWriter::new(&mut out, Format::Json, Lang::En, "1057830869");
        writer.write(&tx(serde_json::json!({}))).unwrap();
        writer.finish().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json[0]["hijri_date"], "1448-06-15");
        assert_eq!(json[0]["date"], "2026-11-25");
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_neutralised_and_a_number_is_not() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://evil.sa\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil.sa\"\",\"\"x\"\")\""
        );
        assert_eq!(csv_field("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(csv_field("\t=1"), "'\t=1");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("-"), "'-");
        for number in ["-200.00", "+5", "650.00", "51.75", "0"] {
            assert_eq!(csv_field(number), number);
        }
        let line = csv_line(&tx(serde_json::json!({"service_en": "=cmd()", "reference": "@x", "amount": "51.75"})));
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[5], "'=cmd()");
        assert_eq!(cells[8], "-51.75", "a use, signed, and still a number");
        assert_eq!(cells[10], "'@x");
    }
}
