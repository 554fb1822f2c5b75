//! Where a row stands in a filtered history in date order, without reading the rows before it.

use sqlx::AssertSqlSafe;

use super::{Store, StoreResult, TxFilter, Whose};
use crate::server::store::{Statement, bind_all, on_pool};

impl Store {
    /// How many matching rows come before the row (`date`, `id`) in date order, newest first when
    /// `descending`. The whole days before it come from the kept counts, its own day from a run of
    /// the date key. A text search cannot be counted from what is kept: its rows are counted, which
    /// costs no more than the count of all its rows that every page of it makes.
    pub async fn rows_before(
        &self,
        id_number: &str,
        filter: &TxFilter,
        descending: bool,
        date: &str,
        id: i64,
    ) -> StoreResult<u64> {
        let op = if descending { " > " } else { " < " };
        let mut qb = Statement::new(self.engine(), "SELECT (");
        if filter.text.is_some() {
            qb.push("SELECT COUNT(*) FROM transactions");
            filter.push_where(&mut qb, Whose::Id(id_number));
            filter.push_day_restriction(&mut qb, Whose::Id(id_number));
            qb.push(" AND (date, id)").push(op).push("(").push_bind(date.to_owned()).push(", ").push_bind(id);
            qb.push(")");
        } else {
            qb.push("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM daily_counts");
            filter.push_counts_where(&mut qb, Whose::Id(id_number), true);
            qb.push(" AND date").push(op).push_bind(date.to_owned());
            qb.push(") + (SELECT COUNT(*) FROM transactions");
            filter.push_where(&mut qb, Whose::Id(id_number));
            qb.push(" AND date = ").push_bind(date.to_owned()).push(" AND id").push(op).push_bind(id);
        }
        qb.push(")");
        let rows: i64 = on_pool!(self, |pool, Db| {
            let query = sqlx::query_scalar::<Db, i64>(AssertSqlSafe(qb.sql));
            bind_all!(query, qb.args).fetch_one(pool).await?
        });
        Ok(u64::try_from(rows).unwrap_or(0))
    }
}
