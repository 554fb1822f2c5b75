//! Transactions, the sums kept beside them, and the spending series.

use std::collections::{BTreeMap, HashMap};

use sqlx::{QueryBuilder, Row, Sqlite};

use super::Store;
use crate::api::TxSort;
use crate::domain::{Entry, Ledger, Money, Sector, SectorBalance, TxKind};

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

/// Deserialized from the page's JSON arrays, whose items come in this field order.
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
    Amount(i64, i64),
}

#[derive(Debug, Clone, Default)]
pub struct TxFilter {
    pub sector: Option<Sector>,
    pub kind: Option<TxKind>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// A LIKE pattern (already escaped, with `\` as escape) for reference and beneficiary.
    pub text_like: Option<String>,
    /// Service codes whose names match the text.
    pub text_codes: Vec<&'static str>,
}

impl TxFilter {
    fn is_sector_only(&self) -> bool {
        self.kind.is_none() && self.from.is_none() && self.to.is_none() && self.text_like.is_none()
    }

    fn push_where(&self, qb: &mut QueryBuilder<Sqlite>, id_number: &str) {
        qb.push(" WHERE id_number = ").push_bind(id_number.to_owned());
        if let Some(sector) = self.sector {
            qb.push(" AND sector = ").push_bind(sector.code());
        }
        if let Some(kind) = self.kind {
            qb.push(" AND kind = ").push_bind(kind.as_str());
        }
        if let Some(from) = &self.from {
            qb.push(" AND date >= ").push_bind(from.clone());
        }
        if let Some(to) = &self.to {
            qb.push(" AND date <= ").push_bind(to.clone());
        }
        if let Some(like) = &self.text_like {
            qb.push(" AND (reference LIKE ").push_bind(like.clone()).push(" ESCAPE '\\'");
            qb.push(" OR beneficiary_id LIKE ").push_bind(like.clone()).push(" ESCAPE '\\'");
            if !self.text_codes.is_empty() {
                qb.push(" OR service_code IN (");
                let mut list = qb.separated(", ");
                for code in &self.text_codes {
                    list.push_bind(*code);
                }
                list.push_unseparated(")");
            }
            qb.push(")");
        }
    }
}

impl Store {
    /// Appends rows and updates the sums they feed, all in one database transaction.
    pub async fn insert_transactions(&self, rows: &[NewTransaction]) -> Result<(), sqlx::Error> {
        let mut balances: HashMap<(&str, Sector), (SectorBalance, i64)> = HashMap::new();
        let mut daily: HashMap<(&str, Sector, &str), i64> = HashMap::new();
        for r in rows {
            let entry = balances.entry((r.id_number.as_str(), r.sector)).or_default();
            entry.0.add(r.kind, r.amount);
            entry.1 += 1;
            if r.kind == TxKind::Usage {
                *daily.entry((r.id_number.as_str(), r.sector, r.date.as_str())).or_default() += r.amount.halalas();
            }
        }
        let mut tx = self.pool.begin().await?;
        let count = i64::try_from(rows.len()).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let first_id: i64 = sqlx::query_scalar("UPDATE transaction_ids SET next = next + ?1 RETURNING next - ?1")
            .bind(count)
            .fetch_one(&mut *tx)
            .await?;
        // Ids follow the order the rows came in; they are written in key order, so each person's part
        // of the table grows from one place instead of at random pages.
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| (&rows[a].id_number, &rows[a].date, a).cmp(&(&rows[b].id_number, &rows[b].date, b)));
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
                    .push_bind(first_id + i as i64)
                    .push_bind(r.sector.code())
                    .push_bind(r.service_code)
                    .push_bind(r.kind.as_str())
                    .push_bind(r.amount.halalas())
                    .push_bind(r.beneficiary_id.clone())
                    .push_bind(r.reference.clone());
            });
            qb.build().execute(&mut *tx).await?;
        }
        let balances: Vec<_> = balances.into_iter().collect();
        for chunk in balances.chunks(2000) {
            let mut qb = QueryBuilder::new("INSERT INTO balances (id_number, sector, paid, used, refunded, tx_count) ");
            qb.push_values(chunk, |mut b, ((id, sector), (bal, count))| {
                b.push_bind(id.to_string())
                    .push_bind(sector.code())
                    .push_bind(bal.paid.halalas())
                    .push_bind(bal.used.halalas())
                    .push_bind(bal.refunded.halalas())
                    .push_bind(*count);
            });
            qb.push(
                " ON CONFLICT (id_number, sector) DO UPDATE SET paid = paid + excluded.paid,
                  used = used + excluded.used, refunded = refunded + excluded.refunded,
                  tx_count = tx_count + excluded.tx_count",
            );
            qb.build().execute(&mut *tx).await?;
        }
        let daily: Vec<_> = daily.into_iter().collect();
        for chunk in daily.chunks(5000) {
            let mut qb = QueryBuilder::new("INSERT INTO daily_usage (id_number, sector, date, used) ");
            qb.push_values(chunk, |mut b, ((id, sector, date), used)| {
                b.push_bind(id.to_string()).push_bind(sector.code()).push_bind(date.to_string()).push_bind(*used);
            });
            qb.push(" ON CONFLICT (id_number, date, sector) DO UPDATE SET used = used + excluded.used");
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// The kept sums of one person.
    pub async fn balances(&self, id_number: &str) -> Result<Ledger, sqlx::Error> {
        let rows = sqlx::query("SELECT sector, paid, used, refunded FROM balances WHERE id_number = ?")
            .bind(id_number)
            .fetch_all(&self.pool)
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
    }

    /// The sums recomputed from every row: the check that the kept sums are right.
    pub async fn recompute_balances(&self, id_number: &str) -> Result<Ledger, sqlx::Error> {
        let rows =
            sqlx::query("SELECT sector, kind, SUM(amount) FROM transactions WHERE id_number = ? GROUP BY sector, kind")
                .bind(id_number)
                .fetch_all(&self.pool)
                .await?;
        let entries = rows.into_iter().filter_map(|r| {
            Some(Entry {
                sector: Sector::parse(r.get::<&str, _>(0))?,
                kind: TxKind::parse(r.get::<&str, _>(1))?,
                amount: Money::from_halalas(r.get(2)),
            })
        });
        Ok(Ledger::from_entries(entries))
    }

    /// A page of the rows matching the filter and how many match in all, if
    /// `id_number` is one of the user's people (`None` when it is not).
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
    pub async fn linked_page(
        &self,
        user_id: i64,
        id_number: &str,
        filter: &TxFilter,
        sort: TxSort,
        after: Option<&After>,
        limit: u32,
    ) -> Result<Option<(u64, Vec<TxRow>)>, sqlx::Error> {
        let mut qb = QueryBuilder::new("SELECT (");
        // The count: from the kept counts when only a sector narrows it.
        if filter.is_sector_only() {
            qb.push("SELECT COALESCE(SUM(tx_count), 0) FROM balances WHERE id_number = ");
            qb.push_bind(id_number.to_owned());
            if let Some(sector) = filter.sector {
                qb.push(" AND sector = ").push_bind(sector.code());
            }
        } else {
            qb.push("SELECT COUNT(*) FROM transactions");
            filter.push_where(&mut qb, id_number);
        }
        let (column, direction) = match sort {
            TxSort::DateDesc => ("date", "DESC"),
            TxSort::DateAsc => ("date", "ASC"),
            TxSort::AmountDesc => ("amount", "DESC"),
            TxSort::AmountAsc => ("amount", "ASC"),
        };
        let order = format!("{column} {direction}, id {direction}");
        qb.push(format_args!(
            "), (SELECT json_group_array(json_array(id, date, sector, service_code, kind, amount, beneficiary_id, \
             reference)) FROM (SELECT id, date, sector, service_code, kind, amount, beneficiary_id, \
             reference FROM transactions"
        ));
        filter.push_where(&mut qb, id_number);
        let op = if direction == "DESC" { " < " } else { " > " };
        match after {
            Some(After::Date(date, id)) => {
                qb.push(" AND (date, id)")
                    .push(op)
                    .push("(")
                    .push_bind(date.clone())
                    .push(", ")
                    .push_bind(*id)
                    .push(")");
            }
            Some(After::Amount(amount, id)) => {
                qb.push(" AND (amount, id)").push(op).push("(").push_bind(*amount).push(", ").push_bind(*id).push(")");
            }
            None => {}
        }
        qb.push(format_args!(" ORDER BY {order} LIMIT {limit}"));
        qb.push(")) FROM user_people WHERE user_id = ").push_bind(user_id);
        qb.push(" AND id_number = ").push_bind(id_number.to_owned());
        let Some((count, page)): Option<(i64, String)> = qb.build_query_as().fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let mut rows: Vec<TxRow> = serde_json::from_str(&page).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        match sort {
            TxSort::DateDesc => rows.sort_by(|a, b| (&b.date, b.id).cmp(&(&a.date, a.id))),
            TxSort::DateAsc => rows.sort_by(|a, b| (&a.date, a.id).cmp(&(&b.date, b.id))),
            TxSort::AmountDesc => rows.sort_by_key(|r| std::cmp::Reverse((r.amount, r.id))),
            TxSort::AmountAsc => rows.sort_by_key(|r| (r.amount, r.id)),
        }
        Ok(Some((u64::try_from(count).unwrap_or(0), rows)))
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
    ) -> Result<BTreeMap<String, Money>, sqlx::Error> {
        let mut qb = QueryBuilder::new(
            "SELECT json_group_array(json_array(date, used)) FROM (SELECT date, SUM(used) AS used FROM daily_usage \
             WHERE id_number = ",
        );
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
        qb.push(" GROUP BY date)");
        let (days,): (String,) = qb.build_query_as().fetch_one(&self.pool).await?;
        let days: Vec<(String, i64)> = serde_json::from_str(&days).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(days.into_iter().map(|(date, used)| (date, Money::from_halalas(used))).collect())
    }
}
