//! Reading whole tables out of a database file, as text, for `keukentafel migrate` (which
//! copies a file to a server). Every value comes out as its stored text (numbers in decimal),
//! or `None` for NULL; the target casts each to its own column type.

use rusqlite::types::ValueRef;

use super::{Result, Store};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::store::audit::{Action, AuditActor, AuditEvent};

/// One table's rows: per row, per column, the value as text.
pub type TextRows = Vec<Vec<Option<String>>>;

impl Store {
    /// Every row of `table`, in id order, with the columns `columns` (names checked by the
    /// caller against the schema: they are never user input).
    pub(crate) fn table_as_text(
        &self,
        table: &str,
        columns: &[String],
        order_by: &str,
    ) -> Result<TextRows> {
        let sql = format!(
            "SELECT {} FROM \"{table}\" ORDER BY {order_by}",
            columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let width = columns.len();
        let rows = stmt.query_map([], |r| {
            (0..width)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => None,
                        ValueRef::Integer(n) => Some(n.to_string()),
                        ValueRef::Real(x) => Some(x.to_string()),
                        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(b) => Some(hex::encode(b)),
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The number of rows of `table`.
    pub(crate) fn table_count(&self, table: &str) -> Result<i64> {
        Ok(self
            .conn()
            .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })?)
    }

    /// The finder's index rows: household id, its folded label words and its other words.
    pub(crate) fn search_index_as_text(&self) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT rowid, label, terms FROM household_search ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Refuses unless `session` may copy the whole database (a beheerder), and records the
    /// copy as an export of the database in this file's audit log.
    pub(crate) fn record_database_copy(&mut self, session: &Session, target: &str) -> Result<()> {
        crate::store::authorize(session, Operation::ManageDatabase, None)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            super::audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Export,
                    object: "database",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("migrate --to {target}")),
                },
            )?;
            Ok(())
        })
    }
}
