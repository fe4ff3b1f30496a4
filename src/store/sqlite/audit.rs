//! The audit log in SQLite: appending a row in the caller's transaction, and reading the chain
//! back for verification. The row, its hash and the walk are the backend-neutral half
//! ([`crate::store::audit`]).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::anchor::{AnchorInput, AnchorRow, AnchorWalk};
use crate::store::Result;
pub use crate::store::audit::*;

pub(crate) fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        user_id: r.get(2)?,
        username: r.get(3)?,
        role: r.get(4)?,
        action: r.get(5)?,
        object: r.get(6)?,
        object_id: r.get(7)?,
        household_id: r.get(8)?,
        person_id: r.get(9)?,
        workstation: r.get(10)?,
        on_behalf_of: r.get(11)?,
        detail: r.get(12)?,
        prev_hash: r.get(13)?,
        hash: r.get(14)?,
    })
}

pub(crate) const COLUMNS: &str = "id, at, user_id, username, role, action, object, object_id, household_id, \
                       person_id, workstation, on_behalf_of, detail, prev_hash, hash";

fn head(tx: &Connection) -> Result<(i64, String)> {
    let row: Option<(i64, String)> = tx
        .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.unwrap_or((0, GENESIS.to_string())))
}

/// Appends one audit row inside `tx` and returns its id.
pub(crate) fn append(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    actor: &AuditActor,
    event: &AuditEvent,
) -> Result<i64> {
    let mut chain = Appender::start(tx)?;
    let id = chain.append(tx, now, actor, event)?;
    chain.finish(tx)?;
    Ok(id)
}

/// Appends many audit rows inside one transaction: the chain head is read once at the start
/// and stored once at the end, instead of once per row. [`Appender::finish`] must be called
/// before the transaction commits (the stored head would lag behind the log otherwise, which
/// `check` reports).
pub(crate) struct Appender {
    last_id: i64,
    prev_hash: String,
    /// The head to store: `None` until a row is appended.
    head: Option<String>,
}

impl Appender {
    /// Reads the current head of the chain.
    pub(crate) fn start(tx: &Transaction<'_>) -> Result<Appender> {
        let (last_id, prev_hash) = head(tx)?;
        Ok(Appender {
            last_id,
            prev_hash,
            head: None,
        })
    }

    /// Appends one row after the previous one and returns its id.
    pub(crate) fn append(
        &mut self,
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        actor: &AuditActor,
        event: &AuditEvent,
    ) -> Result<i64> {
        let row = AuditRow::next(
            self.last_id,
            std::mem::take(&mut self.prev_hash),
            now,
            actor,
            event,
        );
        // Prepared once per connection: a bulk action appends a row per provision.
        tx.prepare_cached(&format!(
            "INSERT INTO audit_log ({COLUMNS}, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, {}(?1, ?15))",
            super::anchor::MAC_FUNCTION
        ))?
        .execute(params![
            row.id,
            row.at,
            row.user_id,
            row.username,
            row.role,
            row.action,
            row.object,
            row.object_id,
            row.household_id,
            row.person_id,
            row.workstation,
            row.on_behalf_of,
            row.detail,
            row.prev_hash,
            row.hash
        ])?;
        self.head = Some(row.head_text());
        self.last_id = row.id;
        self.prev_hash = row.hash;
        Ok(row.id)
    }

    /// Stores the head beside the log.
    pub(crate) fn finish(self, tx: &Transaction<'_>) -> Result<()> {
        let Some(head) = self.head else {
            return Ok(());
        };
        tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute([head])?;
        Ok(())
    }
}

/// Walks the whole chain in id order (see [`ChainWalk`]), and checks each row against the
/// anchor outside the file (see [`super::anchor`]).
pub(crate) fn verify(conn: &Connection, anchor: AnchorInput) -> Result<(ChainReport, AnchorState)> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS}, mac FROM audit_log ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut walk = ChainWalk::default();
    let meta_kind: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'kind'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let mut anchored = AnchorWalk::new(anchor, meta_kind);
    let mut chain = None;
    while let Some(r) = rows.next()? {
        let row = from_sql(r)?;
        let mac: Option<String> = r.get(15)?;
        anchored.row(&AnchorRow {
            id: row.id,
            hash: &row.hash,
            mac: mac.as_deref(),
            detail: (row.id == 1 && row.object == "database" && row.action == "create")
                .then_some(row.detail.as_deref())
                .flatten(),
        });
        if chain.is_none() {
            chain = walk.row(&row);
        }
    }
    let chain = match chain {
        Some(report) => report,
        None => {
            let head: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
                    r.get(0)
                })
                .optional()?;
            walk.finish(head.as_deref())
        }
    };
    Ok((chain, anchored.finish()))
}

/// What [`verify`] reads, read without hashing: `PRAGMA integrity_check` and every audit row
/// in id order, each column fetched. The baseline `check` is measured against in the
/// benchmarks (its cost over this is the hashing); not for `check` itself. Returns the rows.
#[cfg(feature = "bench-baselines")]
pub fn read_log_baseline(conn: &Connection) -> Result<u64> {
    // With the page cache `check` has.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", super::CHECK_CACHE_KIB)?;
    let n = read_log(conn);
    conn.pragma_update(None, "cache_size", cache)?;
    n
}

#[cfg(feature = "bench-baselines")]
fn read_log(conn: &Connection) -> Result<u64> {
    let _: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS}, mac FROM audit_log ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let row = from_sql(r)?;
        let mac: Option<String> = r.get(15)?;
        std::hint::black_box((row, mac));
        n += 1;
    }
    Ok(n)
}

/// The number of audit rows (used by tests and `check`).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}
