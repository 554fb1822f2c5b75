//! The SQL of each plan for a page of history.

use super::{After, PAGE_COLUMNS, Plan, TxFilter, Whose};
use crate::api::TxSort;
use crate::server::store::{Engine, Statement};

/// How many rows match: from the kept sums or counts, except for text, which the rows must be read
/// for (the caller has checked that they are few enough).
pub(super) fn push_count(qb: &mut Statement, id_number: &str, filter: &TxFilter) {
    if filter.text.is_some() {
        qb.push("SELECT COUNT(*) FROM transactions");
        filter.push_where(qb, Whose::Id(id_number));
        filter.push_day_restriction(qb, Whose::Id(id_number));
    } else if filter.kind.is_none() && !filter.has_range() {
        qb.push("SELECT CAST(COALESCE(SUM(tx_count), 0) AS BIGINT) FROM balances WHERE id_number = ");
        qb.push_bind(id_number.to_owned());
        if let Some(sector) = filter.sector {
            qb.push(" AND sector = ").push_bind(sector.code());
        }
    } else {
        qb.push("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM daily_counts");
        filter.push_counts_where(qb, Whose::Id(id_number), true);
    }
}

fn direction(sort: TxSort) -> (&'static str, &'static str) {
    match sort {
        TxSort::DateDesc | TxSort::AmountDesc => ("DESC", " < "),
        TxSort::DateAsc | TxSort::AmountAsc => ("ASC", " > "),
    }
}

/// Keeps rows after the cursor. `chosen_days`: the days are already chosen, so (on SQLite) the date
/// is named `+date` and the planner keeps to them instead of a range of the key. `whose`: with
/// `Whose::Linked` the cursor's values are read through a sub-SELECT, hidden from PostgreSQL's
/// planner as the ID is: a plan made for a deep cursor's date looks cheaper than the generic one,
/// so PostgreSQL planned every deep page again (about 75 µs of its 160 µs a request).
fn push_after(qb: &mut Statement, after: Option<&After>, op: &str, chosen_days: bool, whose: Whose<'_>) {
    let date_key = if chosen_days { qb.unindexed("date") } else { "date".to_owned() };
    let open = match whose {
        Whose::Linked => "(SELECT ",
        Whose::Id(_) => "(",
    };
    match after {
        Some(After::Date(date, id)) => {
            qb.push(format_args!(" AND ({date_key}, id)"))
                .push(op)
                .push(open)
                .push_bind(date.clone())
                .push(", ")
                .push_bind(*id)
                .push(")");
        }
        Some(After::Amount(amount, date, id)) => {
            qb.push(" AND (amount, date, id)")
                .push(op)
                .push(open)
                .push_bind(*amount)
                .push(", ")
                .push_bind(date.clone())
                .push(", ")
                .push_bind(*id)
                .push(")");
        }
        None => {}
    }
}

/// `Plan::Range` and `Plan::Candidates`: the matching rows in date order, from the cursor on.
pub(super) fn push_scan(
    qb: &mut Statement,
    whose: Whose<'_>,
    filter: &TxFilter,
    sort: TxSort,
    after: Option<&After>,
    limit: u32,
    plan: Plan,
) {
    let (direction, op) = self::direction(sort);
    qb.push(format_args!("SELECT {PAGE_COLUMNS} FROM transactions"));
    filter.push_where(qb, whose);
    let chosen_days = plan == Plan::Candidates && filter.names_kinds();
    if chosen_days {
        filter.push_day_restriction(qb, whose);
    }
    push_after(qb, after, op, chosen_days, whose);
    match sort {
        TxSort::DateDesc | TxSort::DateAsc => qb.push(format_args!(" ORDER BY date {direction}, id {direction}")),
        TxSort::AmountDesc | TxSort::AmountAsc => {
            qb.push(format_args!(" ORDER BY amount {direction}, date {direction}, id {direction}"))
        }
    };
    qb.push(format_args!(" LIMIT {limit}"));
}

/// `Plan::DayWalk`: the days after the cursor's that hold rows of the sector and kind, walked in
/// order only until their kept counts reach the page, plus the cursor's own day (whose count also
/// holds rows already shown, so it is left out of the walk).
pub(super) fn push_day_walk(
    qb: &mut Statement,
    id_number: &str,
    filter: &TxFilter,
    sort: TxSort,
    after: Option<&After>,
    limit: u32,
) {
    let (direction, op) = self::direction(sort);
    let cursor_day = match after {
        Some(After::Date(date, _)) => Some(date),
        _ => None,
    };
    qb.push(format_args!("SELECT {PAGE_COLUMNS} FROM transactions"));
    filter.push_where(qb, Whose::Id(id_number));
    qb.push(" AND date IN (");
    if let Some(day) = cursor_day {
        qb.push("SELECT ").push_bind(day.clone()).push(" UNION ALL ");
    }
    qb.push(format_args!(
        "SELECT date FROM (SELECT date, SUM(n) OVER (ORDER BY date {direction} ROWS BETWEEN UNBOUNDED PRECEDING \
         AND 1 PRECEDING) AS before FROM (SELECT date, SUM(n) AS n FROM (SELECT date, n FROM daily_counts"
    ));
    filter.push_counts_where(qb, Whose::Id(id_number), true);
    if let Some(day) = cursor_day {
        qb.push(" AND date").push(op).push_bind(day.clone());
    }
    // Each kept count read stands for at least one matching row, so `limit` of them reach the page.
    qb.push(format_args!(
        " ORDER BY date {direction} LIMIT {limit}) AS kept GROUP BY date) AS days) AS walked \
         WHERE COALESCE(before, 0) < {limit})"
    ));
    push_after(qb, after, op, true, Whose::Id(id_number));
    qb.push(format_args!(" ORDER BY date {direction}, id {direction} LIMIT {limit}"));
}

/// `Plan::Runs`: the first `limit` keys after the cursor from the amount index's run of each
/// allowed sector and kind, merged in amount order, then their rows.
pub(super) fn push_runs(
    qb: &mut Statement,
    id_number: &str,
    filter: &TxFilter,
    sort: TxSort,
    after: Option<&After>,
    limit: u32,
) {
    let (direction, op) = self::direction(sort);
    qb.push(
        "SELECT t.id AS id, t.date AS date, t.sector AS sector, t.service_code AS service_code, t.kind AS kind, \
             t.amount AS amount, t.beneficiary_id AS beneficiary_id, t.reference AS reference FROM (",
    );
    for (i, (sector, kind)) in filter.runs().into_iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        // SQLite is told which index; PostgreSQL finds it by itself.
        let hint = match qb.engine() {
            Engine::Sqlite => " INDEXED BY transactions_by_sector_kind_amount_date",
            Engine::Postgres => "",
        };
        qb.push(format_args!(
            "SELECT date, id, amount FROM (SELECT date, id, amount FROM transactions{hint} WHERE id_number = "
        ));
        qb.push_bind(id_number.to_owned());
        qb.push(" AND sector = ").push_bind(sector.code());
        qb.push(" AND kind = ").push_bind(kind.as_str());
        filter.push_range(qb);
        push_after(qb, after, op, false, Whose::Id(id_number));
        qb.push(format_args!(
            " ORDER BY amount {direction}, date {direction}, id {direction} LIMIT {limit}) AS run{i}"
        ));
    }
    // SQLite's CROSS JOIN keeps the keys first: left to choose, SQLite read the person's whole history
    // and looked each row up among the keys. PostgreSQL's CROSS JOIN takes no ON.
    let join = match qb.engine() {
        Engine::Sqlite => "CROSS JOIN",
        Engine::Postgres => "JOIN",
    };
    qb.push(format_args!(" ORDER BY amount {direction}, date {direction}, id {direction} LIMIT {limit}) AS k"));
    qb.push(format_args!(" {join} transactions AS t ON t.id_number = ")).push_bind(id_number.to_owned());
    qb.push(" AND t.date = k.date AND t.id = k.id");
}
