//! Transactions, the sums kept beside them, and the spending series.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Column, Postgres, QueryBuilder, Row, Type};

use super::{Engine, Pool, Statement, Store, StoreError, StoreResult, bind_all, on_pool};

mod position;
mod sql;
use crate::api::TxSort;
use crate::domain::{Entry, Ledger, Money, Sector, SectorBalance, TxKind};
use sql::{push_count, push_day_walk, push_runs, push_scan};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransaction {
    pub id_number: String,
    pub date: String,
    pub sector: Sector,
    pub service_code: &'static str,
    pub kind: TxKind,
    pub amount: Money,
    pub beneficiary_id: String,
    pub reference: String,
}

/// Deserialized from the page's JSON arrays (SQLite), whose items come in this field order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct TxRow {
    pub id: i64,
    pub date: String,
    pub sector: Sector,
    pub service_code: String,
    pub kind: TxKind,
    pub amount: i64,
    pub beneficiary_id: String,
    pub reference: String,
}

/// Where a page starts: the sort key and id of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    Date(String, i64),
    /// Amount, then date and id: rows of one amount follow the history's order.
    Amount(i64, String, i64),
}

#[derive(Debug, Clone, Default)]
pub struct TxFilter {
    pub sector: Option<Sector>,
    pub kind: Option<TxKind>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Text to find in the reference and the beneficiary (and, through `text_codes`, the service).
    pub text: Option<String>,
    /// Service codes whose names match the text.
    pub text_codes: Vec<&'static str>,
}

/// The answer to a history request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryPage {
    /// The ID is not one of the user's people.
    NotLinked,
    /// A text search would read more rows than the store allows; nothing was read.
    TooBroad(TooBroad),
    Page {
        total_count: u64,
        rows: Vec<TxRow>,
    },
}

/// Why a text search was refused, and what would let it through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooBroad {
    /// Rows the search would read.
    pub rows: u64,
    /// The most a search may read.
    pub limit: u64,
    /// The earliest `from` that keeps the search within the limit, the other filters unchanged
    /// (`None` when even the last day alone holds too many).
    pub from: Option<String>,
}

/// Whose rows a statement reads.
#[derive(Debug, Clone, Copy)]
enum Whose<'a> {
    /// This ID, bound as a value.
    Id(&'a str),
    /// The ID in the `user_people` row the statement joins. PostgreSQL then cannot plan the page
    /// for the value: its custom plan costs what its generic plan does, so after five executions
    /// it keeps the generic one instead of planning every request again (for the largest history,
    /// a plan made for its value always looked the cheaper). A cursor's values are hidden from it
    /// likewise (`sql::push_after`).
    Linked,
}

impl Whose<'_> {
    fn push_where(self, qb: &mut Statement) {
        match self {
            Whose::Id(id_number) => qb.push(" WHERE id_number = ").push_bind(id_number.to_owned()),
            Whose::Linked => qb.push(" WHERE id_number = user_people.id_number"),
        };
    }
}

/// How a page's rows are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Date order with no sector or kind: a run of the clustered key, bounded by from/to.
    Range,
    /// Date order with a sector or kind: only the days whose kept counts say they hold matching
    /// rows, and only as many of them as the page needs.
    DayWalk,
    /// Every row that can match, read in date order and sorted here: a text search (its size
    /// checked against the limit first), or an amount sort over a date range small enough.
    Candidates,
    /// Amount order: the amount index's run of each allowed sector and kind, merged.
    Runs,
}

impl TxFilter {
    fn names_kinds(&self) -> bool {
        self.sector.is_some() || self.kind.is_some()
    }

    fn has_range(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// The (sector, kind) runs the filter allows.
    fn runs(&self) -> Vec<(Sector, TxKind)> {
        let sectors = Sector::ALL.into_iter().filter(|s| self.sector.is_none_or(|f| f == *s));
        sectors
            .flat_map(|s| TxKind::ALL.into_iter().filter(|k| self.kind.is_none_or(|f| f == *k)).map(move |k| (s, k)))
            .collect()
    }

    /// Sector and kind are compared with a unary `+`: the rows are reached through the date key,
    /// never through the amount index those columns lead.
    fn push_where(&self, qb: &mut Statement, whose: Whose<'_>) {
        whose.push_where(qb);
        if let Some(sector) = self.sector {
            let column = qb.unindexed("sector");
            qb.push(format_args!(" AND {column} = ")).push_bind(sector.code());
        }
        if let Some(kind) = self.kind {
            let column = qb.unindexed("kind");
            qb.push(format_args!(" AND {column} = ")).push_bind(kind.as_str());
        }
        self.push_range(qb);
        if let Some(text) = &self.text {
            // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's does not.
            let like_op = match qb.engine() {
                Engine::Sqlite => "LIKE",
                Engine::Postgres => "ILIKE",
            };
            let like = qb.arg(super::like_pattern(text));
            qb.push(format_args!(" AND (reference {like_op} {like} ESCAPE '\\'"));
            qb.push(format_args!(" OR beneficiary_id {like_op} {like} ESCAPE '\\'"));
            if !self.text_codes.is_empty() {
                qb.push(" OR service_code IN (");
                for (i, code) in self.text_codes.iter().enumerate() {
                    qb.push(if i == 0 { "" } else { ", " }).push_bind(*code);
                }
                qb.push(")");
            }
            qb.push(")");
        }
    }

    fn push_range(&self, qb: &mut Statement) {
        if let Some(from) = &self.from {
            qb.push(" AND date >= ").push_bind(from.clone());
        }
        if let Some(to) = &self.to {
            qb.push(" AND date <= ").push_bind(to.clone());
        }
    }

    /// The kept counts of the days in range, narrowed to the sector and kind when `kinds`.
    fn push_counts_where(&self, qb: &mut Statement, whose: Whose<'_>, kinds: bool) {
        whose.push_where(qb);
        if kinds {
            self.push_kinds(qb);
        }
        self.push_range(qb);
    }

    fn push_kinds(&self, qb: &mut Statement) {
        if let Some(sector) = self.sector {
            qb.push(" AND sector = ").push_bind(sector.code());
        }
        if let Some(kind) = self.kind {
            qb.push(" AND kind = ").push_bind(kind.as_str());
        }
    }

    /// One row a day in range with the day's rows of every sector and kind (`total`), for the
    /// days that hold a row of the filter's sector and kind: what a scan of the candidates reads.
    fn push_candidate_days(&self, qb: &mut Statement, whose: Whose<'_>) {
        qb.push("SELECT date, CAST(SUM(n) AS BIGINT) AS total FROM daily_counts");
        self.push_counts_where(qb, whose, false);
        qb.push(" GROUP BY date");
        if self.names_kinds() {
            qb.push(" HAVING MAX(CASE WHEN 1 = 1");
            self.push_kinds(qb);
            qb.push(" THEN 1 ELSE 0 END) = 1");
        }
    }

    /// Restricts a read of the history to the days that can hold a match.
    fn push_day_restriction(&self, qb: &mut Statement, whose: Whose<'_>) {
        if self.names_kinds() {
            qb.push(" AND date IN (SELECT date FROM daily_counts");
            self.push_counts_where(qb, whose, true);
            qb.push(")");
        }
    }
}

const PAGE_COLUMNS: &str = "id, date, sector, service_code, kind, amount, beneficiary_id, reference";

/// A page from PostgreSQL: the count, then a row of [`PAGE_COLUMNS`] each (one row of NULLs when
/// the page is empty); no row when the ID is not linked. Decoded by hand: sqlx's typed `get` checks
/// each value's type against its column's, on every row, which cost about a tenth of a page's CPU
/// in rasid. The columns' types are checked once a page instead, and sector and kind are parsed
/// without copying them.
fn pg_page(found: &[PgRow]) -> StoreResult<Option<(i64, Vec<TxRow>)>> {
    let Some(first) = found.first() else {
        return Ok(None);
    };
    let columns = first.columns();
    let int8 = |i: usize| columns.get(i).is_some_and(|c| <i64 as Type<Postgres>>::compatible(c.type_info()));
    let text = |i: usize| columns.get(i).is_some_and(|c| <&str as Type<Postgres>>::compatible(c.type_info()));
    if columns.len() != 9 || ![0, 1, 6].into_iter().all(int8) || ![2, 3, 4, 5, 7, 8].into_iter().all(text) {
        return Err(StoreError::Corrupt("a page's columns are not the ones asked for".to_owned()));
    }
    let count: i64 = first.try_get_unchecked(0)?;
    let mut rows = Vec::with_capacity(found.len());
    for row in found {
        let Some(id) = row.try_get_unchecked::<Option<i64>, _>(1)? else {
            continue;
        };
        let (sector, kind) = (row.try_get_unchecked::<&str, _>(3)?, row.try_get_unchecked::<&str, _>(5)?);
        let (Some(sector), Some(kind)) = (Sector::parse(sector), TxKind::parse(kind)) else {
            return Err(StoreError::Corrupt(format!("transaction {id}: sector {sector}, kind {kind}")));
        };
        rows.push(TxRow {
            id,
            date: row.try_get_unchecked(2)?,
            sector,
            service_code: row.try_get_unchecked(4)?,
            kind,
            amount: row.try_get_unchecked(6)?,
            beneficiary_id: row.try_get_unchecked(7)?,
            reference: row.try_get_unchecked(8)?,
        });
    }
    Ok(Some((count, rows)))
}

/// Writes new rows of history, `ids[i]` the id of `rows[i]`, in the order of `order`. The one part
/// of a batch where the engines differ: PostgreSQL takes the rows by COPY, which skips parsing and
/// binding 27,000 values a statement; SQLite by multi-row INSERTs.
trait WriteRows {
    async fn write_rows(&mut self, rows: &[NewTransaction], ids: &[i64], order: &[usize]) -> StoreResult<()>;
}

impl WriteRows for sqlx::SqliteConnection {
    async fn write_rows(&mut self, rows: &[NewTransaction], ids: &[i64], order: &[usize]) -> StoreResult<()> {
        // 9 values a row; SQLite allows 32766 bound values a statement.
        for chunk in order.chunks(3000) {
            let mut qb = QueryBuilder::new(
                "INSERT INTO transactions (id_number, date, id, sector, service_code, kind, amount, beneficiary_id, \
                 reference) ",
            );
            qb.push_values(chunk, |mut b, &i| {
                let r = &rows[i];
                b.push_bind(r.id_number.clone())
                    .push_bind(r.date.clone())
                    .push_bind(ids[i])
                    .push_bind(r.sector.code())
                    .push_bind(r.service_code)
                    .push_bind(r.kind.as_str())
                    .push_bind(r.amount.halalas())
                    .push_bind(r.beneficiary_id.clone())
                    .push_bind(r.reference.clone());
            });
            qb.build().execute(&mut *self).await?;
        }
        Ok(())
    }
}

impl WriteRows for sqlx::PgConnection {
    async fn write_rows(&mut self, rows: &[NewTransaction], ids: &[i64], order: &[usize]) -> StoreResult<()> {
        let mut copy = self
            .copy_in_raw(
                "COPY transactions (id_number, date, id, sector, service_code, kind, amount, beneficiary_id, \
                 reference) FROM STDIN",
            )
            .await?;
        match send_copy_rows(&mut copy, rows, ids, order).await {
            Ok(()) => copy.finish().await.map(drop).map_err(StoreError::from),
            Err(e) => {
                // Ends the COPY, so the connection is left fit to roll the transaction back.
                let _ = copy.abort(e.to_string()).await;
                Err(e.into())
            }
        }
    }
}

/// The rows in COPY's text format, sent 64 KB at a time.
async fn send_copy_rows(
    copy: &mut sqlx::postgres::PgCopyIn<&mut sqlx::PgConnection>,
    rows: &[NewTransaction],
    ids: &[i64],
    order: &[usize],
) -> Result<(), sqlx::Error> {
    let mut text = String::with_capacity(64 * 1024 + 256);
    for &i in order {
        let r = &rows[i];
        for field in [r.id_number.as_str(), &r.date] {
            push_copy_text(&mut text, field);
            text.push('\t');
        }
        let _ = write!(text, "{}\t", ids[i]);
        for field in [r.sector.code(), r.service_code, r.kind.as_str()] {
            push_copy_text(&mut text, field);
            text.push('\t');
        }
        let _ = write!(text, "{}\t", r.amount.halalas());
        push_copy_text(&mut text, &r.beneficiary_id);
        text.push('\t');
        push_copy_text(&mut text, &r.reference);
        text.push('\n');
        if text.len() >= 64 * 1024 {
            copy.send(text.as_bytes()).await?;
            text.clear();
        }
    }
    if !text.is_empty() {
        copy.send(text.as_bytes()).await?;
    }
    Ok(())
}

/// `value` as a field of COPY's text format: its backslashes, tabs and line ends escaped.
fn push_copy_text(text: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => text.push_str("\\\\"),
            '\t' => text.push_str("\\t"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            c => text.push(c),
        }
    }
}

impl Store {
    /// Appends rows and updates the sums and counts they feed, all in one database transaction.
    pub async fn insert_transactions(&self, rows: &[NewTransaction]) -> StoreResult<()> {
        self.insert_transactions_deferring(rows, &[]).await
    }

    /// As [`Store::insert_transactions`], but the money summaries of the people in `deferred` are
    /// left to the caller, who refreshes them ([`Store::refresh_summaries`]) after its last batch: a
    /// person written in many batches (the seed's establishment owner, a million rows) would
    /// otherwise be summed again from all their rows after each. Until then readers see their old
    /// summary.
    pub async fn insert_transactions_deferring(&self, rows: &[NewTransaction], deferred: &[&str]) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            let mut balances: HashMap<(&str, Sector), (SectorBalance, i64)> = HashMap::new();
            // Keyed in each table's key order, so the upserts below walk their b-tree from one end to the other
            // rather than at random.
            let mut daily: BTreeMap<(&str, &str, &str), i64> = BTreeMap::new();
            let mut counts: BTreeMap<(&str, &str, &str, &str), i64> = BTreeMap::new();
            for r in rows {
                *counts
                    .entry((r.id_number.as_str(), r.date.as_str(), r.sector.code(), r.kind.as_str()))
                    .or_default() += 1;
                let entry = balances.entry((r.id_number.as_str(), r.sector)).or_default();
                entry.0.add(r.kind, r.amount);
                entry.1 += 1;
                if r.kind == TxKind::Usage {
                    *daily.entry((r.id_number.as_str(), r.date.as_str(), r.sector.code())).or_default() +=
                        r.amount.halalas();
                }
            }
            let sqlite = self.engine() == Engine::Sqlite;
            let mut conn = pool.acquire().await?;
            if sqlite {
                // A batch touches pages all over the table and its indexes: with SQLite's default 2 MB cache it
                // writes many of them out and reads them back before the batch ends.
                sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
            }
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            let count = i64::try_from(rows.len()).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let mut ids: Vec<i64> = if sqlite {
                let first: i64 = sqlx::query_scalar("UPDATE transaction_ids SET next = next + $1 RETURNING next - $1")
                    .bind(count)
                    .fetch_one(&mut *tx)
                    .await?;
                (first..first + count).collect()
            } else {
                // A sequence: writers on other instances never wait for this transaction to end.
                sqlx::query_scalar("SELECT nextval('transaction_ids') FROM generate_series(1, $1)")
                    .bind(count)
                    .fetch_all(&mut *tx)
                    .await?
            };
            ids.sort_unstable();
            // Ids follow the order the rows came in; they are written in key order, so each person's part
            // of the table grows from one place instead of at random pages.
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by(|&a, &b| (&rows[a].id_number, &rows[a].date, a).cmp(&(&rows[b].id_number, &rows[b].date, b)));
            WriteRows::write_rows(&mut *tx, rows, &ids, &order).await?;
            let balances: Vec<_> = balances.into_iter().collect();
            for chunk in balances.chunks(2000) {
                let mut qb =
                    QueryBuilder::new("INSERT INTO balances (id_number, sector, paid, used, refunded, tx_count) ");
                qb.push_values(chunk, |mut b, ((id, sector), (bal, count))| {
                    b.push_bind(id.to_string())
                        .push_bind(sector.code())
                        .push_bind(bal.paid.halalas())
                        .push_bind(bal.used.halalas())
                        .push_bind(bal.refunded.halalas())
                        .push_bind(*count);
                });
                qb.push(
                    " ON CONFLICT (id_number, sector) DO UPDATE SET paid = balances.paid + excluded.paid,
                  used = balances.used + excluded.used, refunded = balances.refunded + excluded.refunded,
                  tx_count = balances.tx_count + excluded.tx_count",
                );
                qb.build().execute(&mut *tx).await?;
            }
            let daily: Vec<_> = daily.into_iter().collect();
            for chunk in daily.chunks(5000) {
                let mut qb = QueryBuilder::new("INSERT INTO daily_usage (id_number, sector, date, used) ");
                qb.push_values(chunk, |mut b, ((id, date, sector), used)| {
                    b.push_bind(id.to_string()).push_bind(*sector).push_bind(date.to_string()).push_bind(*used);
                });
                qb.push(" ON CONFLICT (id_number, date, sector) DO UPDATE SET used = daily_usage.used + excluded.used");
                qb.build().execute(&mut *tx).await?;
            }
            let counts: Vec<_> = counts.into_iter().collect();
            for chunk in counts.chunks(5000) {
                let mut qb = QueryBuilder::new("INSERT INTO daily_counts (id_number, date, sector, kind, n) ");
                qb.push_values(chunk, |mut b, ((id, date, sector, kind), n)| {
                    b.push_bind(id.to_string())
                        .push_bind(date.to_string())
                        .push_bind(*sector)
                        .push_bind(*kind)
                        .push_bind(*n);
                });
                qb.push(" ON CONFLICT (id_number, date, sector, kind) DO UPDATE SET n = daily_counts.n + excluded.n");
                qb.build().execute(&mut *tx).await?;
            }
            // The establishment's report reads these people's money from their summaries: refreshed in the same
            // database transaction, so no reader sees rows without them.
            let people: Vec<String> = rows
                .iter()
                .filter(|r| !deferred.contains(&r.id_number.as_str()))
                .map(|r| r.id_number.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            super::establishment::refresh_summaries_in!(&mut *tx, &people);
            tx.commit().await?;
            if sqlite {
                // Back to the default, so the connection holds no more memory while it serves reads.
                sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
            }
            Ok(())
        })
    }

    /// The kept sums of one person.
    pub async fn balances(&self, id_number: &str) -> StoreResult<Ledger> {
        on_pool!(self, |pool, Db| {
            let rows = sqlx::query("SELECT sector, paid, used, refunded FROM balances WHERE id_number = $1")
                .bind(id_number)
                .fetch_all(pool)
                .await?;
            let mut ledger = Ledger::default();
            for r in rows {
                let Some(sector) = Sector::parse(r.get::<&str, _>(0)) else { continue };
                ledger.set(
                    sector,
                    SectorBalance {
                        paid: Money::from_halalas(r.get(1)),
                        used: Money::from_halalas(r.get(2)),
                        refunded: Money::from_halalas(r.get(3)),
                    },
                );
            }
            Ok(ledger)
        })
    }

    /// The sums recomputed from every row: the check that the kept sums are right.
    pub async fn recompute_balances(&self, id_number: &str) -> StoreResult<Ledger> {
        on_pool!(self, |pool, Db| {
            let rows =
            sqlx::query("SELECT sector, kind, CAST(SUM(amount) AS BIGINT) FROM transactions WHERE id_number = $1 GROUP BY sector, kind")
                .bind(id_number)
                .fetch_all(pool)
                .await?;
            let entries = rows.into_iter().filter_map(|r| {
                Some(Entry {
                    sector: Sector::parse(r.get::<&str, _>(0))?,
                    kind: TxKind::parse(r.get::<&str, _>(1))?,
                    amount: Money::from_halalas(r.get(2)),
                })
            });
            Ok(Ledger::from_entries(entries))
        })
    }

    /// A page of the rows matching the filter and how many match in all, if
    /// `id_number` is one of the user's people.
    ///
    /// One statement answers all three: sqlx runs each statement on the
    /// connection's own thread, and the hand-offs between threads cost more
    /// than the queries. For the same reason the page leaves SQLite as one JSON
    /// value rather than a row at a time. Pages start after the last key seen,
    /// without OFFSET, so the 10,000th page costs what the first does.
    ///
    /// Two things SQLite would otherwise redo on every request: an ORDER BY
    /// inside `json_group_array` sorts through a temporary b-tree, so the page
    /// is put in order here instead (one pass over rows already in order); and
    /// a bound LIMIT is a value the planner reads, so rebinding it makes SQLite
    /// parse and plan the statement again. The limit is written into the SQL.
    ///
    /// No filter makes a request read the whole history: totals come from the
    /// kept counts, date order with a sector or kind visits only the days that
    /// hold matching rows, amount order reads the amount index's run of each
    /// allowed sector and kind. Only text cannot be found from what is kept, so
    /// a text search first asks the kept counts how many rows it would read, and
    /// is refused (`TooBroad`) beyond the store's limit.
    pub async fn linked_page(
        &self,
        user_id: i64,
        id_number: &str,
        filter: &TxFilter,
        sort: TxSort,
        after: Option<&After>,
        limit: u32,
    ) -> StoreResult<HistoryPage> {
        let by_date = matches!(sort, TxSort::DateDesc | TxSort::DateAsc);
        let text = filter.text.is_some();
        // What reading every candidate would cost: the limit on text, and the choice between reading
        // a date range and the amount runs.
        let candidates = if text || (!by_date && filter.has_range()) {
            let Some(rows) = self.candidate_rows(user_id, id_number, filter).await? else {
                return Ok(HistoryPage::NotLinked);
            };
            if text && rows > self.scan_limit {
                return self.too_broad(id_number, filter, rows).await;
            }
            Some(rows)
        } else {
            None
        };
        let plan = match (by_date, filter.names_kinds()) {
            (true, false) => Plan::Range,
            (true, true) if text => Plan::Candidates,
            (true, true) => Plan::DayWalk,
            (false, _) if candidates.is_some_and(|rows| rows <= self.scan_limit) => Plan::Candidates,
            (false, _) => Plan::Runs,
        };

        let mut qb = Statement::new(self.engine(), "SELECT (");
        push_count(&mut qb, id_number, filter);
        // The one place the engines differ: SQLite's page leaves as one JSON value, PostgreSQL's as
        // rows (sqlx decodes them on this task; building JSON cost PostgreSQL more than the page),
        // each with the count, and one row of NULLs when the page is empty. No row: not linked.
        // PostgreSQL's plain date-ordered page reads the linked row's ID (see `Whose::Linked`).
        let whose = match self.engine() {
            Engine::Sqlite => {
                let json = qb.json_rows(PAGE_COLUMNS);
                qb.push(format_args!("), (SELECT {json} FROM ("));
                Whose::Id(id_number)
            }
            Engine::Postgres => {
                qb.push("), page.* FROM user_people LEFT JOIN LATERAL (");
                if plan == Plan::Range { Whose::Linked } else { Whose::Id(id_number) }
            }
        };
        match plan {
            Plan::Range | Plan::Candidates => push_scan(&mut qb, whose, filter, sort, after, limit, plan),
            Plan::DayWalk => push_day_walk(&mut qb, id_number, filter, sort, after, limit),
            Plan::Runs => push_runs(&mut qb, id_number, filter, sort, after, limit),
        }
        qb.push(match self.engine() {
            Engine::Sqlite => ") AS page) FROM user_people",
            Engine::Postgres => ") AS page ON TRUE",
        });
        qb.push(" WHERE user_people.user_id = ").push_bind(user_id);
        qb.push(" AND user_people.id_number = ").push_bind(id_number.to_owned());
        let (count, mut rows) = match &self.pool {
            Pool::Sqlite(pool) => {
                let query = sqlx::query_as::<sqlx::Sqlite, (i64, String)>(AssertSqlSafe(qb.sql));
                let Some((count, page)) = bind_all!(query, qb.args).fetch_optional(pool).await? else {
                    return Ok(HistoryPage::NotLinked);
                };
                let rows: Vec<TxRow> = serde_json::from_str(&page).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                (count, rows)
            }
            Pool::Postgres(connections) => {
                let query = sqlx::query::<Postgres>(AssertSqlSafe(qb.sql));
                let found = connections.fetch_page(bind_all!(query, qb.args)).await?;
                let Some(page) = pg_page(&found)? else {
                    return Ok(HistoryPage::NotLinked);
                };
                page
            }
        };
        match sort {
            TxSort::DateDesc => rows.sort_by(|a, b| (&b.date, b.id).cmp(&(&a.date, a.id))),
            TxSort::DateAsc => rows.sort_by(|a, b| (&a.date, a.id).cmp(&(&b.date, b.id))),
            TxSort::AmountDesc => rows.sort_by(|a, b| (b.amount, &b.date, b.id).cmp(&(a.amount, &a.date, a.id))),
            TxSort::AmountAsc => rows.sort_by(|a, b| (a.amount, &a.date, a.id).cmp(&(b.amount, &b.date, b.id))),
        }
        Ok(HistoryPage::Page { total_count: u64::try_from(count).unwrap_or(0), rows })
    }

    /// The rows a read of every candidate (all rows of the days that can hold a match, within the
    /// date range) would go through, from the kept counts; `None` when the ID is not linked.
    async fn candidate_rows(&self, user_id: i64, id_number: &str, filter: &TxFilter) -> StoreResult<Option<u64>> {
        on_pool!(self, |pool, Db| {
            let mut qb = Statement::new(self.engine(), "SELECT (SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) FROM (");
            filter.push_candidate_days(&mut qb, Whose::Id(id_number));
            qb.push(") AS days) FROM user_people WHERE user_id = ").push_bind(user_id);
            qb.push(" AND id_number = ").push_bind(id_number.to_owned());
            let query = sqlx::query_scalar::<Db, i64>(AssertSqlSafe(qb.sql));
            let rows = bind_all!(query, qb.args).fetch_optional(pool).await?;
            Ok(rows.map(|r| u64::try_from(r).unwrap_or(0)))
        })
    }

    /// The refusal of a text search reading `rows`, with the earliest `from` that would let it through.
    async fn too_broad(&self, id_number: &str, filter: &TxFilter, rows: u64) -> StoreResult<HistoryPage> {
        on_pool!(self, |pool, Db| {
            let mut qb = Statement::new(
                self.engine(),
                "SELECT MIN(date) FROM (SELECT date, SUM(total) OVER (ORDER BY date DESC) AS running FROM (",
            );
            filter.push_candidate_days(&mut qb, Whose::Id(id_number));
            qb.push(") AS days) AS runs WHERE running <= ")
                .push_bind(i64::try_from(self.scan_limit).unwrap_or(i64::MAX));
            let query = sqlx::query_scalar::<Db, Option<String>>(AssertSqlSafe(qb.sql));
            let from = bind_all!(query, qb.args).fetch_one(pool).await?;
            Ok(HistoryPage::TooBroad(TooBroad { rows, limit: self.scan_limit, from }))
        })
    }

    /// Usage per day in the range, oldest first: the spending series group it.
    /// The days leave SQLite as one JSON value, as a page does: thousands of
    /// rows crossing from the connection's thread one at a time cost more than
    /// the sums.
    pub async fn daily_usage(
        &self,
        id_number: &str,
        sector: Option<Sector>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> StoreResult<BTreeMap<String, Money>> {
        on_pool!(self, |pool, Db| {
            let mut qb = Statement::new(self.engine(), "SELECT ");
            let json = qb.json_rows("date, used");
            qb.push(format_args!(
                "{json} FROM (SELECT date, CAST(SUM(used) AS BIGINT) AS used FROM daily_usage WHERE id_number = "
            ));
            qb.push_bind(id_number.to_owned());
            if let Some(sector) = sector {
                qb.push(" AND sector = ").push_bind(sector.code());
            }
            if let Some(from) = from {
                qb.push(" AND date >= ").push_bind(from.to_owned());
            }
            if let Some(to) = to {
                qb.push(" AND date <= ").push_bind(to.to_owned());
            }
            qb.push(" GROUP BY date) AS days");
            let query = sqlx::query_scalar::<Db, String>(AssertSqlSafe(qb.sql));
            let days = bind_all!(query, qb.args).fetch_one(pool).await?;
            let days: Vec<(String, i64)> =
                serde_json::from_str(&days).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(days.into_iter().map(|(date, used)| (date, Money::from_halalas(used))).collect())
        })
    }
}
