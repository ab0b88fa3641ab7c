//! Several inserts as one statement on PostgreSQL (issue 17, h17seal): a change's rows
//! (e.g. a new melding, its identities, its first step and both logs' rows) are written
//! with one round trip instead of one per table, as data-modifying CTEs:
//!
//! ```sql
//! WITH d0 AS (INSERT INTO zorgmeldingen ...), d1 AS (INSERT INTO ...), ...
//! INSERT INTO verwerkingslog ...
//! ```
//!
//! PostgreSQL runs every part of such a statement, in one snapshot, whether or not the
//! main statement refers to it; foreign keys between the parts hold (their checks run at
//! the end of the statement, after every part inserted). A failing part fails the whole
//! statement, so the transaction fails as it would with separate statements. SQLite has
//! no data-modifying CTEs: callers write the same rows as separate statements there (no
//! network round trip to save).

use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};

/// Inserts collected to run as one PostgreSQL statement (`voer_uit`), in the order added.
#[derive(Default)]
pub struct Bundel<'a> {
    delen: Vec<Box<dyn QueryFragment<Pg> + 'a>>,
}

impl<'a> Bundel<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one statement: an `INSERT` without `RETURNING` (anything PostgreSQL takes as
    /// a data-modifying CTE works; a `SELECT` part would only be read, not run, if the
    /// main statement does not refer to it, so do not add one).
    pub fn voeg<Q: QueryFragment<Pg> + 'a>(&mut self, q: Q) {
        self.delen.push(Box::new(q));
    }

    /// Number of statements collected.
    pub fn len(&self) -> usize {
        self.delen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.delen.is_empty()
    }

    /// Run every collected statement as one (nothing when empty). Returns the rows the
    /// last one inserted (the CTE parts' counts are not reported by PostgreSQL).
    pub fn voer_uit(self, c: &mut PgConnection) -> QueryResult<usize> {
        if self.delen.is_empty() {
            return Ok(0);
        }
        self.execute(c)
    }
}

impl QueryId for Bundel<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Pg> for Bundel<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let Some((laatste, eerdere)) = self.delen.split_last() else {
            return Err(diesel::result::Error::QueryBuilderError(
                "een lege bundel".into(),
            ));
        };
        for (n, deel) in eerdere.iter().enumerate() {
            out.push_sql(if n == 0 { "WITH " } else { ", " });
            out.push_sql(&format!("d{n} AS ("));
            deel.walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        if !eerdere.is_empty() {
            out.push_sql(" ");
        }
        laatste.walk_ast(out.reborrow())
    }
}

impl RunQueryDsl<PgConnection> for Bundel<'_> {}
