//! The audit log in PostgreSQL: appending a row in the caller's transaction, and reading the
//! chain back for verification. The row, its hash and the walk are the backend-neutral half
//! ([`crate::store::audit`]), shared with SQLite.
//!
//! The chain head is serialised by [`CHAIN_LOCK`], a transaction-scoped advisory lock that
//! every writing transaction takes before its first statement (see [`super::Store::write`]):
//! two workstations saving at the same moment append one after the other, never both after
//! the same head.

use chrono::{DateTime, Utc};
use postgres::{GenericClient, Row};

use super::Tx;

use crate::store::Result;
pub use crate::store::audit::*;

/// The advisory lock key of the audit chain's head ("KTAU").
pub const CHAIN_LOCK: i64 = 0x4B54_4155;

pub(crate) const COLUMNS: &str = "id, at, user_id, username, role, action, object, object_id, household_id, \
                       person_id, workstation, on_behalf_of, detail, prev_hash, hash";

pub(crate) fn from_row(r: &Row) -> Result<AuditRow> {
    Ok(AuditRow {
        id: r.try_get(0)?,
        at: r.try_get(1)?,
        user_id: r.try_get(2)?,
        username: r.try_get(3)?,
        role: r.try_get(4)?,
        action: r.try_get(5)?,
        object: r.try_get(6)?,
        object_id: r.try_get(7)?,
        household_id: r.try_get(8)?,
        person_id: r.try_get(9)?,
        workstation: r.try_get(10)?,
        on_behalf_of: r.try_get(11)?,
        detail: r.try_get(12)?,
        prev_hash: r.try_get(13)?,
        hash: r.try_get(14)?,
    })
}

/// Appends one audit row inside `tx` (which holds [`CHAIN_LOCK`]) and returns its id.
///
/// When this connection knows the head from its own last append, the row is hashed onto it
/// and inserted only if no row came after it meanwhile (from another workstation), in one
/// statement; otherwise the head is read first. Either way the row follows the real head: the
/// lock keeps everyone else from appending in between.
pub(crate) fn append(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    actor: &AuditActor,
    event: &AuditEvent,
) -> Result<i64> {
    if let Some((last_id, prev_hash)) = tx.cached_head() {
        let row = AuditRow::next(last_id, prev_hash, now, actor, event);
        if insert_after(tx, &row, last_id)? {
            tx.remember_head(row.id, &row.hash);
            return Ok(row.id);
        }
    }
    let (last_id, prev_hash) = match tx.query_opt(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
        &[],
    )? {
        Some(r) => (r.try_get::<_, i64>(0)?, r.try_get::<_, String>(1)?),
        None => (0, GENESIS.to_string()),
    };
    let row = AuditRow::next(last_id, prev_hash, now, actor, event);
    insert(tx, &row)?;
    tx.remember_head(row.id, &row.hash);
    Ok(row.id)
}

/// Inserts `row` and moves the head to it if the head is still `last_id`; whether it did.
fn insert_after(tx: &mut Tx<'_>, row: &AuditRow, last_id: i64) -> Result<bool> {
    let n = tx.execute(
        "WITH appended AS (
             INSERT INTO audit_log (id, at, user_id, username, role, action, object, object_id,
                                    household_id, person_id, workstation, on_behalf_of, detail,
                                    prev_hash, hash)
             SELECT $1::bigint, $2::text, $3::bigint, $4::text, $5::text, $6::text, $7::text,
                    $8::bigint, $9::bigint, $10::bigint, $11::text, $12::text, $13::text,
                    $14::text, $15::text
             WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE id > $17::bigint)
             RETURNING id
         )
         INSERT INTO meta (key, value) SELECT 'audit_head', $16::text FROM appended
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[
            &row.id,
            &row.at,
            &row.user_id,
            &row.username,
            &row.role,
            &row.action,
            &row.object,
            &row.object_id,
            &row.household_id,
            &row.person_id,
            &row.workstation,
            &row.on_behalf_of,
            &row.detail,
            &row.prev_hash,
            &row.hash,
            &row.head_text(),
            &last_id,
        ],
    )?;
    Ok(n == 1)
}

/// Writes one finished row and moves the head to it (also used by `migrate`, which copies
/// rows with their hashes).
pub(crate) fn insert(tx: &mut Tx<'_>, row: &AuditRow) -> Result<()> {
    tx.execute(
        &format!(
            "WITH appended AS (
                 INSERT INTO audit_log ({COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             )
             INSERT INTO meta (key, value) VALUES ('audit_head', $16)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        &[
            &row.id,
            &row.at,
            &row.user_id,
            &row.username,
            &row.role,
            &row.action,
            &row.object,
            &row.object_id,
            &row.household_id,
            &row.person_id,
            &row.workstation,
            &row.on_behalf_of,
            &row.detail,
            &row.prev_hash,
            &row.hash,
            &row.head_text(),
        ],
    )?;
    Ok(())
}

/// Walks the whole chain in id order (see [`ChainWalk`]), in the caller's transaction.
pub fn verify(tx: &mut impl GenericClient) -> Result<ChainReport> {
    let mut walk = ChainWalk::default();
    let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY id");
    let mut rows = tx.query_raw(sql.as_str(), std::iter::empty::<i64>())?;
    use postgres::fallible_iterator::FallibleIterator;
    while let Some(r) = rows.next()? {
        if let Some(report) = walk.row(&from_row(&r)?) {
            return Ok(report);
        }
    }
    drop(rows);
    let head: Option<String> = tx
        .query_opt("SELECT value FROM meta WHERE key = 'audit_head'", &[])?
        .map(|r| r.try_get(0))
        .transpose()?;
    Ok(walk.finish(head.as_deref()))
}

/// The number of audit rows.
pub fn count(tx: &mut impl GenericClient) -> Result<i64> {
    Ok(tx
        .query_one("SELECT count(*) FROM audit_log", &[])?
        .try_get(0)?)
}
