//! SQL built at run time, the same text for both engines.

use std::fmt::{Display, Write};

use super::Engine;

/// A value bound to a placeholder.
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    Static(&'static str),
}

impl From<i64> for Arg {
    fn from(i: i64) -> Arg {
        Arg::Int(i)
    }
}

impl From<String> for Arg {
    fn from(t: String) -> Arg {
        Arg::Text(t)
    }
}

impl From<&'static str> for Arg {
    fn from(s: &'static str) -> Arg {
        Arg::Static(s)
    }
}

/// SQL written with numbered placeholders (`$1`, `$2`…), as both engines read them, and the values
/// in their order. Run it with `bind_all!` inside `on_pool!`.
pub(crate) struct Statement {
    pub(crate) sql: String,
    pub(crate) args: Vec<Arg>,
    engine: Engine,
}

impl Statement {
    pub(crate) fn new(engine: Engine, start: impl Display) -> Statement {
        let mut statement = Statement { sql: String::new(), args: Vec::new(), engine };
        statement.push(start);
        statement
    }

    pub(crate) fn engine(&self) -> Engine {
        self.engine
    }

    /// Text of the SQL itself: only this crate's fixed fragments, never a caller's value.
    pub(crate) fn push(&mut self, text: impl Display) -> &mut Self {
        let _ = write!(self.sql, "{text}");
        self
    }

    /// A placeholder for `value`, written into the SQL.
    pub(crate) fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        let placeholder = self.arg(value);
        self.sql.push_str(&placeholder);
        self
    }

    /// A placeholder for `value`, returned for the caller to write (once or more).
    pub(crate) fn arg(&mut self, value: impl Into<Arg>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    /// `column` where SQLite should not reach the rows through an index that the column leads
    /// (its unary `+`); PostgreSQL has no such hint and plans by its statistics.
    pub(crate) fn unindexed(&self, column: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!("+{column}"),
            Engine::Postgres => column.to_owned(),
        }
    }

    /// The rows of `FROM …` that follow, as one JSON array (text) of arrays of `columns`; `[]` when
    /// there are none.
    pub(crate) fn json_rows(&self, columns: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!("json_group_array(json_array({columns}))"),
            Engine::Postgres => format!("COALESCE(CAST(json_agg(json_build_array({columns})) AS TEXT), '[]')"),
        }
    }
}
