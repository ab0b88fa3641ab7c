//! A hand-written SQL statement that stays prepared on its connection (issue 17 point 4).
//!
//! `diesel::sql_query` marks its statement unsafe to cache, so every execution is parsed
//! and planned again: for the briefing's graph statement (`case::briefing::graaf`) the
//! planning took 5-10 ms of PostgreSQL CPU per request against 1-2 ms of execution. A
//! [`Voorbereid`] is the same text and text parameters, but diesel keeps it in the
//! connection's statement cache (keyed by its SQL text and bind types): PostgreSQL
//! prepares it once per pooled connection and, after its first executions, reuses one
//! generic plan; SQLite keeps the compiled statement. Only for statements whose text is
//! fixed (a few variants at most, e.g. one per search column): every distinct text is
//! one more cached statement per connection.
//!
//! The placeholders are diesel's own (`$1`.. on PostgreSQL, `?` on SQLite): the text comes
//! in parts, with one parameter between each two parts.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Text, Untyped};
use diesel::{QueryResult, RunQueryDsl};

/// A statement of `delen` with the text parameters `waarden` between them
/// (`delen[0] waarden[0] delen[1] ...`; `delen.len() == waarden.len() + 1`).
#[derive(Debug, Clone, Copy)]
pub struct Voorbereid<'a> {
    delen: &'a [String],
    waarden: &'a [&'a str],
}

impl<'a> Voorbereid<'a> {
    /// Panics when the parts and the parameters do not alternate (a programming error:
    /// the text is fixed in the code, never built from input).
    pub fn nieuw(delen: &'a [String], waarden: &'a [&'a str]) -> Self {
        assert_eq!(
            delen.len(),
            waarden.len() + 1,
            "one parameter between each two parts of the statement"
        );
        Voorbereid { delen, waarden }
    }
}

impl<DB> QueryFragment<DB> for Voorbereid<'_>
where
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        // Unlike `sql_query`, no `unsafe_to_cache_prepared`: the text is fixed, so the
        // statement cache may key it by its SQL.
        for (i, deel) in self.delen.iter().enumerate() {
            out.push_sql(deel);
            if let Some(w) = self.waarden.get(i) {
                out.push_bind_param::<Text, str>(w)?;
            }
        }
        Ok(())
    }
}

impl QueryId for Voorbereid<'_> {
    type QueryId = ();
    // The text is not known from the type: cached by its SQL instead.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Voorbereid<'_> {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Voorbereid<'_> {}
