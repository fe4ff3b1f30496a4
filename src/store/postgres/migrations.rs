//! Embedded, forward-only schema migrations for PostgreSQL, tracked in `schema_version`. The
//! same runner shape as SQLite's: each migration in its own transaction, under an advisory
//! lock so that two workstations opening a new version at once migrate it once.

use super::{Result, Store, Tx};
use crate::store::{ServerProblem, StoreError};

/// The migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_lookup_indexes.sql"),
    include_str!("migrations/003_report_indexes.sql"),
    include_str!("migrations/004_finder_team.sql"),
    include_str!("migrations/005_personal_logins.sql"),
    include_str!("migrations/006_worklist_pages.sql"),
    include_str!("migrations/007_server_figures.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The advisory lock key the migration runner holds ("KTMG").
const MIGRATION_LOCK: i64 = 0x4B54_4D47;

/// What a database holds before keukentafel opens it.
#[derive(Debug, PartialEq, Eq)]
pub enum Contents {
    /// No tables in its schema.
    Empty,
    /// A keukentafel schema of this version.
    Ours(i64),
    /// Tables that are not keukentafel's.
    Foreign,
}

/// What the database holds (in the connection's current schema).
pub fn contents(store: &Store) -> Result<Contents> {
    store.single(|tx| {
        let row = tx.query_one(
            "SELECT to_regclass('schema_version') IS NOT NULL,
                    (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema())",
            &[],
        )?;
        let ours: bool = row.try_get(0)?;
        let tables: i64 = row.try_get(1)?;
        if ours {
            return Ok(Contents::Ours(version(tx)?));
        }
        Ok(if tables == 0 {
            Contents::Empty
        } else {
            Contents::Foreign
        })
    })
}

/// Refuses a database written by a newer build.
pub fn check_not_newer(found: i64, location: &str) -> Result<()> {
    if found > LATEST {
        return Err(StoreError::Server {
            location: location.to_string(),
            problem: ServerProblem::TooNew {
                found,
                supported: LATEST,
            },
        });
    }
    Ok(())
}

/// Applies every migration the database lacks, each in its own transaction.
pub fn migrate(store: &Store, location: &str) -> Result<()> {
    loop {
        let done = store.transaction(Some("BEGIN".to_string()), false, |tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
            tx.batch(
                "CREATE TABLE IF NOT EXISTS schema_version (
                     version    BIGINT PRIMARY KEY,
                     applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                 )",
            )?;
            // Read inside the lock: another workstation may have migrated meanwhile.
            let current = version(tx)?;
            check_not_newer(current, location)?;
            let Some(sql) = usize::try_from(current)
                .ok()
                .and_then(|i| MIGRATIONS.get(i))
            else {
                return Ok(true);
            };
            tx.batch(sql)?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&(current + 1)],
            )?;
            Ok(false)
        })?;
        if done {
            return Ok(());
        }
    }
}

/// Creates the whole schema inside `tx` (for `migrate`, which fills it in the same
/// transaction).
pub(crate) fn apply_all(tx: &mut super::Tx<'_>) -> Result<()> {
    tx.batch(
        "CREATE TABLE schema_version (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        tx.batch(sql)?;
        let version = i64::try_from(i + 1).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )?;
    }
    Ok(())
}

/// The schema version of an open database.
pub fn version(tx: &mut Tx<'_>) -> Result<i64> {
    Ok(tx
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM schema_version",
            &[],
        )?
        .try_get(0)?)
}
