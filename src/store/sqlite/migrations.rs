//! Embedded, forward-only schema migrations tracked in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::{Result, StoreError};

/// The migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_privacy.sql"),
    include_str!("migrations/003_plan_settings.sql"),
    include_str!("migrations/005_provisions.sql"),
    include_str!("migrations/006_exchange.sql"),
    include_str!("migrations/007_messages.sql"),
    include_str!("migrations/008_autoincrement.sql"),
    include_str!("migrations/009_login_attempts.sql"),
    include_str!("migrations/010_lookup_indexes.sql"),
    include_str!("migrations/011_versions.sql"),
    include_str!("migrations/012_audit_mac.sql"),
    include_str!("migrations/013_worklist_pages.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The schema version of an open database.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a database written by a newer build.
pub fn check_not_newer(conn: &Connection, path: &Path) -> Result<()> {
    let found = version(conn)?;
    if found > LATEST {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: LATEST,
        });
    }
    Ok(())
}

/// Applies every migration the database lacks, each in its own immediate transaction.
/// Reopening an up-to-date database changes nothing. Foreign key enforcement is off while
/// migrations run (a table rebuild drops and renames a parent table, which enforcement would
/// refuse); every foreign key is checked before each migration commits instead.
pub fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    check_not_newer(conn, path)?;
    if version(conn)? >= LATEST {
        return Ok(());
    }
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = apply_pending(conn);
    if enforced {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    result
}

fn apply_pending(conn: &Connection) -> Result<()> {
    loop {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        // Read inside the write lock: another process may have migrated meanwhile.
        let current = version(&tx)?;
        let Some(sql) = usize::try_from(current)
            .ok()
            .and_then(|i| MIGRATIONS.get(i))
        else {
            return Ok(());
        };
        if !already_applied(&tx, sql)? {
            tx.execute_batch(sql)?;
        }
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(StoreError::Backend(crate::store::BackendError {
                kind: crate::store::BackendErrorKind::Constraint,
                detail: format!("migratie {}: verwijzing klopt niet in {table}", current + 1),
            }));
        }
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}

/// Whether a migration that only adds a column finds it there already: its first line says
/// `-- adds column: TABLE.COLUMN`. `ALTER TABLE … ADD COLUMN` cannot say `IF NOT EXISTS`, and a
/// migration run again (a database whose `user_version` was set back) must leave what it finds.
fn already_applied(conn: &Connection, sql: &str) -> Result<bool> {
    let Some((table, column)) = sql
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("-- adds column: "))
        .and_then(|l| l.trim().split_once('.'))
    else {
        return Ok(false);
    };
    let found: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
        (table, column),
        |r| r.get(0),
    )?;
    Ok(found > 0)
}
