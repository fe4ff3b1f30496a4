//! The audit log in PostgreSQL: appending a row in the caller's transaction, and reading the
//! chain back for verification. The row, its hash and the walk are the backend-neutral half
//! ([`crate::store::audit`]), shared with SQLite.
//!
//! The chain head is serialised by [`CHAIN_LOCK`], a transaction-scoped advisory lock that
//! every writing transaction takes before its first statement (see [`super::Store::write`]):
//! two workstations saving at the same moment append one after the other, never both after
//! the same head.

use chrono::{DateTime, Utc};
use tokio_postgres::Row;

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

/// Appends one audit row inside `tx` (which holds [`CHAIN_LOCK`] and read the head right
/// after taking it) and returns its id. The row is sent with the transaction's next request or
/// its `COMMIT`: appending costs no round trip of its own.
pub(crate) fn append(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    actor: &AuditActor,
    event: &AuditEvent,
) -> Result<i64> {
    if tx.connected() != super::Connected::Owner {
        // A user's own role may not write the log: the server's function appends the row,
        // stamped with the connected role's account and the client address the server sees.
        append_by_server(tx, now, actor, event)?;
        return Ok(0);
    }
    let (last_id, prev_hash) = tx.head()?;
    let row = AuditRow::next(last_id, prev_hash, now, actor, event);
    let id = row.id;
    let hash = row.hash.clone();
    defer_insert(tx, row)?;
    tx.set_head(id, &hash);
    Ok(id)
}

/// The server's append (migration 5): it takes the chain's lock, reads the head, hashes and
/// stamps the row; what the caller gives is only the event, its moment and, on a unix socket,
/// the workstation's name.
const APPEND_BY_SERVER: &str = "SELECT kt_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

fn append_by_server(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    actor: &AuditActor,
    event: &AuditEvent,
) -> Result<()> {
    tx.defer(
        APPEND_BY_SERVER,
        vec![
            Box::new(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            Box::new(event.action.code()),
            Box::new(event.object),
            Box::new(event.object_id),
            Box::new(event.household_id),
            Box::new(event.person_id),
            Box::new(actor.workstation.clone()),
            Box::new(actor.on_behalf_of.clone()),
            Box::new(event.detail.clone()),
        ],
    )
}

/// [`append_by_server`] for many events in one statement, in their order.
pub(crate) fn append_all_by_server(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    actor: &AuditActor,
    events: &[AuditEvent],
) -> Result<()> {
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let actions: Vec<&str> = events.iter().map(|e| e.action.code()).collect();
    let objects: Vec<&str> = events.iter().map(|e| e.object).collect();
    let object_ids: Vec<Option<i64>> = events.iter().map(|e| e.object_id).collect();
    let households: Vec<Option<i64>> = events.iter().map(|e| e.household_id).collect();
    let persons: Vec<Option<i64>> = events.iter().map(|e| e.person_id).collect();
    let details: Vec<Option<String>> = events.iter().map(|e| e.detail.clone()).collect();
    tx.execute(
        "SELECT kt_audit_append($1, e.a, e.o, e.oid, e.h, e.p, $2, $3, e.d)
         FROM unnest($4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[])
              WITH ORDINALITY AS e(a, o, oid, h, p, d, n)
         ORDER BY e.n",
        &[
            &at,
            &actor.workstation,
            &actor.on_behalf_of,
            &actions,
            &objects,
            &object_ids,
            &households,
            &persons,
            &details,
        ],
    )?;
    Ok(())
}

/// The statement that writes one row and moves the head to it.
const INSERT: &str = "WITH appended AS (
         INSERT INTO audit_log (id, at, user_id, username, role, action, object, object_id,
                                household_id, person_id, workstation, on_behalf_of, detail,
                                prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     )
     INSERT INTO meta (key, value) VALUES ('audit_head', $16)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value";

fn defer_insert(tx: &mut Tx<'_>, row: AuditRow) -> Result<()> {
    let head = row.head_text();
    tx.defer(
        INSERT,
        vec![
            Box::new(row.id),
            Box::new(row.at),
            Box::new(row.user_id),
            Box::new(row.username),
            Box::new(row.role),
            Box::new(row.action),
            Box::new(row.object),
            Box::new(row.object_id),
            Box::new(row.household_id),
            Box::new(row.person_id),
            Box::new(row.workstation),
            Box::new(row.on_behalf_of),
            Box::new(row.detail),
            Box::new(row.prev_hash),
            Box::new(row.hash),
            Box::new(head),
        ],
    )
}

/// Walks the whole chain in id order (see [`ChainWalk`]), in the caller's transaction.
pub fn verify(tx: &mut Tx<'_>) -> Result<ChainReport> {
    let mut walk = ChainWalk::default();
    let mut report = None;
    tx.for_each_row(
        &format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"),
        |r| {
            report = walk.row(&from_row(&r)?);
            Ok(report.is_none())
        },
    )?;
    if let Some(report) = report {
        return Ok(report);
    }
    let head: Option<String> = tx
        .query_opt("SELECT value FROM meta WHERE key = 'audit_head'", &[])?
        .map(|r| r.try_get(0))
        .transpose()?;
    Ok(walk.finish(head.as_deref()))
}

/// The number of audit rows.
pub fn count(tx: &mut Tx<'_>) -> Result<i64> {
    Ok(tx
        .query_one("SELECT count(*) FROM audit_log", &[])?
        .try_get(0)?)
}
