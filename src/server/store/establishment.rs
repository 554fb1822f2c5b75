//! The establishment's reports: every worker's money from the kept summaries,
//! and the workers' documents that run out.

use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;

use super::{Statement, Store, StoreError, StoreResult, bind_all, on_pool};
use crate::api::WorkerSort;

/// One worker's line of the report, as the page's JSON arrays carry it (in this field order).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkerRow {
    pub id_number: String,
    pub name_ar: String,
    pub name_en: String,
    pub kind: String,
    pub paid: i64,
    pub used: i64,
    pub refunded: i64,
    pub available: i64,
    pub available_passports: i64,
    pub available_vehicles: i64,
    pub available_driving_licence: i64,
    pub available_sponsorees: i64,
    pub available_labour: i64,
    pub last_payment_on: Option<String>,
    pub oldest_unused_on: Option<String>,
    pub iqama_expires_on: Option<String>,
    /// The value the page is sorted by, for the cursors.
    pub key: SortKey,
}

/// A sort's key: an amount in halalas, or text (a name, an ID, a day).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortKey {
    Int(i64),
    Text(String),
}

/// Where a page starts: after (or, walking back, before) this worker in the sort's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerBound {
    pub key: SortKey,
    pub id_number: String,
    pub backwards: bool,
}

#[derive(Debug, Clone, Default)]
pub struct WorkerFilter {
    pub has_available: bool,
    /// Text (lower case) to find in the names and the ID.
    pub text: Option<String>,
}

/// Sums over every worker that matches, in halalas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerSums {
    pub count: u64,
    pub paid: i64,
    pub used: i64,
    pub refunded: i64,
    pub available: i64,
}

/// A document due for renewal, with what the worker holds in each sector.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RenewalRow {
    pub id_number: String,
    pub name_ar: String,
    pub name_en: String,
    pub kind: String,
    pub number: String,
    pub expires_on: String,
    pub renewed_by: String,
    pub available_passports: i64,
    pub available_vehicles: i64,
    pub available_driving_licence: i64,
    pub available_sponsorees: i64,
    pub available_labour: i64,
}

/// The last document of the previous page: expiry, holder, kind, number.
pub type RenewalAfter = (String, String, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub id_number: String,
    pub kind: &'static str,
    pub number: String,
    pub expires_on: String,
    pub renewed_by: &'static str,
}

/// An owner's workers (the `user_people` rows marked `worker`, filtered by the caller) with their
/// money, and their names only where a filter or the sort reads them: 5,000 lookups saved.
fn workers_of(names: bool) -> &'static str {
    if names {
        "user_people up JOIN people p ON p.id_number = up.id_number \
         LEFT JOIN money_summaries s ON s.id_number = up.id_number"
    } else {
        "user_people up LEFT JOIN money_summaries s ON s.id_number = up.id_number"
    }
}

fn sort_key(sort: WorkerSort) -> (&'static str, bool) {
    match sort {
        WorkerSort::AvailableDesc => ("COALESCE(s.available, 0)", true),
        WorkerSort::AvailableAsc => ("COALESCE(s.available, 0)", false),
        WorkerSort::Name => ("LOWER(p.name_en)", false),
        WorkerSort::IdNumber => ("up.id_number", false),
        // Nothing held sorts last.
        WorkerSort::OldestUnused => ("COALESCE(s.oldest_unused_on, '9999-12-31')", false),
    }
}

impl Store {
    /// Writes the documents, replacing any with the same holder, kind and number.
    pub async fn insert_documents(&self, docs: &[NewDocument]) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            for chunk in docs.chunks(1000) {
                let mut qb =
                    sqlx::QueryBuilder::new("INSERT INTO documents (id_number, kind, number, expires_on, renewed_by) ");
                qb.push_values(chunk, |mut b, d| {
                    b.push_bind(d.id_number.clone())
                        .push_bind(d.kind)
                        .push_bind(d.number.clone())
                        .push_bind(d.expires_on.clone())
                        .push_bind(d.renewed_by);
                });
                qb.push(
                    " ON CONFLICT (id_number, kind, number) DO UPDATE SET expires_on = excluded.expires_on, \
                 renewed_by = excluded.renewed_by",
                );
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await.map_err(StoreError::from)
        })
    }

    /// One person's documents: kind, number, expiry.
    pub async fn documents(&self, id_number: &str) -> StoreResult<Vec<(String, String, String)>> {
        on_pool!(self, |pool, Db| {
            sqlx::query_as("SELECT kind, number, expires_on FROM documents WHERE id_number = $1")
                .bind(id_number)
                .fetch_all(pool)
                .await
                .map_err(StoreError::from)
        })
    }

    /// Rebuilds the money summaries of these people from their kept sums and newest rows. Whoever
    /// writes transactions calls it for the people written, as the seed does.
    pub async fn refresh_summaries(&self, ids: &[String]) -> StoreResult<()> {
        on_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            refresh_summaries_in!(&mut *tx, ids);
            Ok(tx.commit().await?)
        })
    }

    /// A page of the owner's workers and the sums over all that match; `None` when the user has no
    /// workers. One statement answers all three, and the page leaves SQLite as one JSON value, as
    /// the history's pages do (each crossing from the connection's thread costs more than a row).
    pub async fn workers_page(
        &self,
        user_id: i64,
        filter: &WorkerFilter,
        sort: WorkerSort,
        bound: Option<&WorkerBound>,
        limit: u32,
    ) -> StoreResult<Option<(WorkerSums, Vec<WorkerRow>)>> {
        let mut s = Statement::new(self.engine(), "");
        let user = s.arg(user_id);
        let mut matching = format!(" WHERE up.user_id = {user} AND up.relation = 'worker'");
        if filter.has_available {
            matching.push_str(" AND COALESCE(s.available, 0) > 0");
        }
        if let Some(text) = &filter.text {
            let like = s.arg(super::like_pattern(text));
            matching.push_str(&format!(
                " AND (LOWER(p.name_en) LIKE {like} ESCAPE '\\' OR p.name_ar LIKE {like} ESCAPE '\\' \
                 OR up.id_number LIKE {like} ESCAPE '\\')"
            ));
        }
        let counted = workers_of(filter.text.is_some());
        let paged = workers_of(filter.text.is_some() || sort == WorkerSort::Name);
        let (key, descending) = sort_key(sort);
        let backwards = bound.is_some_and(|b| b.backwards);
        // Walking back reads the same order reversed, nearest first; the page is turned round below.
        let key_desc = descending != backwards;
        let mut after = String::new();
        if let Some(b) = bound {
            let value = match &b.key {
                SortKey::Int(i) => s.arg(*i),
                SortKey::Text(t) => s.arg(t.clone()),
            };
            let id = s.arg(b.id_number.clone());
            let (key_op, id_op) = (if key_desc { "<" } else { ">" }, if backwards { "<" } else { ">" });
            after = format!(" AND ({key} {key_op} {value} OR ({key} = {value} AND up.id_number {id_op} {id}))");
        }
        let (key_dir, id_dir) = (if key_desc { "DESC" } else { "ASC" }, if backwards { "DESC" } else { "ASC" });
        // The page is picked by its keys alone; names, money and the iqama are read for its rows only.
        let items = s.json_rows(
            "w.id_number, p.name_ar, p.name_en, p.kind, \
             COALESCE(s.paid, 0), COALESCE(s.used, 0), COALESCE(s.refunded, 0), COALESCE(s.available, 0), \
             COALESCE(s.available_passports, 0), COALESCE(s.available_vehicles, 0), \
             COALESCE(s.available_driving_licence, 0), COALESCE(s.available_sponsorees, 0), \
             COALESCE(s.available_labour, 0), s.last_payment_on, s.oldest_unused_on, \
             (SELECT MAX(d.expires_on) FROM documents d WHERE d.id_number = w.id_number AND d.kind = 'iqama'), \
             w.sort_key",
        );
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM user_people WHERE user_id = {user} AND relation = 'worker'), \
               m.n, m.paid, m.used, m.refunded, m.available, page.items \
             FROM (SELECT COUNT(*) AS n, CAST(COALESCE(SUM(s.paid), 0) AS BIGINT) AS paid, \
                     CAST(COALESCE(SUM(s.used), 0) AS BIGINT) AS used, \
                     CAST(COALESCE(SUM(s.refunded), 0) AS BIGINT) AS refunded, \
                     CAST(COALESCE(SUM(s.available), 0) AS BIGINT) AS available \
                   FROM {counted}{matching}) m, \
                  (SELECT {items} AS items \
                   FROM (SELECT up.id_number, {key} AS sort_key FROM {paged}{matching}{after} \
                         ORDER BY {key} {key_dir}, up.id_number {id_dir} LIMIT {limit}) w \
                   JOIN people p ON p.id_number = w.id_number \
                   LEFT JOIN money_summaries s ON s.id_number = w.id_number) page"
        );
        let row: (bool, i64, i64, i64, i64, i64, String) = on_pool!(self, |pool, Db| {
            let query = sqlx::query_as::<Db, (bool, i64, i64, i64, i64, i64, String)>(AssertSqlSafe(sql));
            bind_all!(query, s.args).fetch_one(pool).await?
        });
        let (allowed, count, paid, used, refunded, available, items) = row;
        if !allowed {
            return Ok(None);
        }
        let mut rows: Vec<WorkerRow> = serde_json::from_str(&items).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // Both engines compare text byte by byte, as Rust does (PostgreSQL's columns are COLLATE "C").
        rows.sort_by(|a, b| {
            let by_key = if descending { b.key.cmp(&a.key) } else { a.key.cmp(&b.key) };
            by_key.then_with(|| a.id_number.cmp(&b.id_number))
        });
        let sums = WorkerSums { count: u64::try_from(count).unwrap_or(0), paid, used, refunded, available };
        Ok(Some((sums, rows)))
    }

    /// The owner's workers' documents that run out on or before `until`, soonest first, and how many
    /// there are in all; `None` when the user has no workers.
    pub async fn renewals_page(
        &self,
        user_id: i64,
        until: &str,
        after: Option<&RenewalAfter>,
        limit: u32,
    ) -> StoreResult<Option<(u64, Vec<RenewalRow>)>> {
        let mut s = Statement::new(self.engine(), "");
        let user = s.arg(user_id);
        let until = s.arg(until.to_owned());
        let due = format!(
            "user_people up JOIN documents d ON d.id_number = up.id_number \
             WHERE up.user_id = {user} AND up.relation = 'worker' AND d.expires_on <= {until}"
        );
        let mut page_after = String::new();
        if let Some((expires_on, id_number, kind, number)) = after {
            let args = [expires_on, id_number, kind, number].map(|v| s.arg(v.clone()));
            page_after = format!(" AND (d.expires_on, d.id_number, d.kind, d.number) > ({})", args.join(", "));
        }
        let items = s.json_rows(
            "r.id_number, p.name_ar, p.name_en, r.kind, r.number, \
             r.expires_on, r.renewed_by, COALESCE(s.available_passports, 0), \
             COALESCE(s.available_vehicles, 0), COALESCE(s.available_driving_licence, 0), \
             COALESCE(s.available_sponsorees, 0), COALESCE(s.available_labour, 0)",
        );
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM user_people WHERE user_id = {user} AND relation = 'worker'), c.n, page.items \
             FROM (SELECT COUNT(*) AS n FROM {due}) c, \
                  (SELECT {items} AS items \
                   FROM (SELECT d.id_number, d.kind, d.number, d.expires_on, d.renewed_by FROM {due}{page_after} \
                         ORDER BY d.expires_on, d.id_number, d.kind, d.number LIMIT {limit}) r \
                   JOIN people p ON p.id_number = r.id_number \
                   LEFT JOIN money_summaries s ON s.id_number = r.id_number) page"
        );
        let (allowed, count, items): (bool, i64, String) = on_pool!(self, |pool, Db| {
            let query = sqlx::query_as::<Db, (bool, i64, String)>(AssertSqlSafe(sql));
            bind_all!(query, s.args).fetch_one(pool).await?
        });
        if !allowed {
            return Ok(None);
        }
        let mut rows: Vec<RenewalRow> = serde_json::from_str(&items).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        rows.sort_by(|a, b| {
            (&a.expires_on, &a.id_number, &a.kind, &a.number).cmp(&(&b.expires_on, &b.id_number, &b.kind, &b.number))
        });
        Ok(Some((u64::try_from(count).unwrap_or(0), rows)))
    }
}

/// Recomputes the kept money summaries of these people inside the caller's database transaction
/// (`$conn`, a connection of either engine), so they never disagree with the rows written beside
/// them. A macro so that it expands inside each engine's arm of `on_pool!`.
macro_rules! refresh_summaries_in {
    ($conn:expr, $ids:expr) => {{
        const COLUMNS: &str = "id_number, paid, used, refunded, available, available_passports, \
                 available_vehicles, available_driving_licence, available_sponsorees, available_labour, \
                 last_payment_on, oldest_unused_on";
        let ids: &[String] = $ids;
        for chunk in ids.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let list = list.join(", ");
            let delete = format!("DELETE FROM money_summaries WHERE id_number IN ({list})");
            let insert = format!(
                "INSERT INTO money_summaries ({COLUMNS}) SELECT {COLUMNS} FROM money_summary_sources \
                     WHERE id_number IN ({list})"
            );
            for sql in [delete, insert] {
                chunk
                    .iter()
                    .fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |q, id| q.bind(id))
                    .execute(&mut *$conn)
                    .await?;
            }
        }
    }};
}
pub(super) use refresh_summaries_in;
