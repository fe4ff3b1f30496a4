//! `keukentafel migrate --to postgres://…`: a whole database file copied into an empty
//! database on a server, in one transaction. Every table row for row with its ids, the audit
//! log with its hashes (so the chain verifies on the server as it did in the file), then the
//! counts of every table and the whole chain are checked inside that same transaction. Any
//! difference or failure rolls everything back: the target stays empty and the file is only
//! read (plus one audit row there that records the copy).

use std::sync::Arc;

use super::{Store, Tx, audit, migrations};
use crate::auth::Session;
use crate::clock::Clock;
use crate::store::audit::{Action, AuditActor, AuditEvent, ChainReport};
use crate::store::location::ServerUrl;
use crate::store::{BackendError, BackendErrorKind, Result, ServerProblem, StoreError, sqlite};

/// The tables in the order their references need: (name in the file, name on the server,
/// order of the rows).
const TABLES: &[(&str, &str, &str)] = &[
    ("meta", "meta", "key"),
    ("team", "team", "id"),
    ("user", "app_user", "id"),
    ("login_attempt", "login_attempt", "username"),
    ("household", "household", "id"),
    ("person", "person", "id"),
    ("zrm_assessment", "zrm_assessment", "id"),
    ("agreement", "agreement", "id"),
    ("flag", "flag", "id"),
    ("contact", "contact", "id"),
    ("plan_goal", "plan_goal", "id"),
    ("consent", "consent", "id"),
    ("provider", "provider", "id"),
    ("contract", "contract", "id"),
    ("outgoing_message", "outgoing_message", "id"),
    ("provision", "provision", "id"),
    ("incoming_message", "incoming_message", "id"),
    ("provider_request", "provider_request", "id"),
    ("provider_request_line", "provider_request_line", "id"),
    ("outgoing_answer", "outgoing_answer", "number"),
    ("audit_log", "audit_log", "id"),
];

/// Rows per INSERT statement.
const BATCH: usize = 1_000;

/// What a migration copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrateReport {
    /// Per table (its name in the file): the rows copied.
    pub tables: Vec<(String, i64)>,
    /// The audit chain as verified on the server.
    pub chain: ChainReport,
}

/// Copies the database file `source` (opened and logged in as a beheerder) to the empty
/// database at `target`.
pub fn migrate(
    source: &mut sqlite::Store,
    session: &Session,
    password: &str,
    target: &ServerUrl,
    clock: Arc<dyn Clock>,
) -> Result<MigrateReport> {
    crate::store::authorize(
        session,
        crate::auth::policy::Operation::ManageDatabase,
        None,
    )?;
    let store = Store::connect(target, clock)?;
    let contents = migrations::contents(&store)?;
    if contents != migrations::Contents::Empty {
        return Err(store.problem(ServerProblem::NotEmpty));
    }
    // The copy is an export of everything: the file's own log says who made it and where to.
    source.record_database_copy(session, &target.shown())?;
    let now = store.clock.now();
    let actor = AuditActor::from(session);
    let from = source.path().display().to_string();
    let report = store.write_new_schema(|tx| {
        migrations::apply_all(tx)?;
        let mut tables = Vec::new();
        for &(file_table, server_table, order) in TABLES {
            let columns = columns_of(tx, server_table)?;
            let rows = source.table_as_text(file_table, &columns, order)?;
            let copied = rows.len();
            copy_rows(tx, server_table, &columns, rows)?;
            let expected = source.table_count(file_table)?;
            let found: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {server_table}"), &[])?
                .try_get(0)?;
            if found != expected || i64::try_from(copied).ok() != Some(expected) {
                return Err(differs(format!(
                    "{file_table}: {expected} rijen in het bestand, {found} op de server"
                )));
            }
            tables.push((file_table.to_string(), found));
        }
        restart_identities(tx)?;
        copy_search_index(tx, source)?;
        // On the server the server checks passwords, with each user's own role (migration
        // 5): the file's hashes stay behind, and the beheerder who moves the database gets
        // their role with the password they just gave; the others get theirs from them.
        tx.execute(
            "UPDATE app_user SET password_hash = $1",
            &[&super::users::SERVER_CHECKS_PASSWORD],
        )?;
        let verifier = super::scram::verifier(password);
        tx.execute(
            "SELECT kt_role_create($1, $2, 'beheerder')",
            &[&session.username, &verifier],
        )?;
        let chain = audit::verify(tx)?;
        if chain.broken.is_some() {
            return Err(differs(format!(
                "de auditketen klopt niet op de server: {:?}",
                chain.broken
            )));
        }
        audit::append(
            tx,
            now,
            &actor,
            &AuditEvent {
                action: Action::Create,
                object: "database",
                object_id: None,
                household_id: None,
                person_id: None,
                detail: Some(format!("migrate from {from}")),
            },
        )?;
        Ok(MigrateReport { tables, chain })
    })?;
    // Statistics and the visibility map for what was just copied in, as after any bulk load:
    // without them the planner guesses and counts read every row's heap page until autovacuum
    // comes by.
    store.client_mut()?.batch_execute("VACUUM (ANALYZE)")?;
    Ok(report)
}

fn differs(detail: String) -> StoreError {
    StoreError::Backend(BackendError {
        kind: BackendErrorKind::Constraint,
        detail,
    })
}

/// The columns of a table on the server, with their types, in their order.
fn columns_of(tx: &mut Tx<'_>, table: &str) -> Result<Vec<String>> {
    let rows = tx.query(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1
         ORDER BY ordinal_position",
        &[&table],
    )?;
    rows.iter()
        .map(|r| Ok(r.try_get::<_, String>(0)?))
        .collect()
}

fn column_types(tx: &mut Tx<'_>, table: &str) -> Result<Vec<String>> {
    let rows = tx.query(
        "SELECT format_type(a.atttypid, a.atttypmod)
         FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum",
        &[&table],
    )?;
    rows.iter()
        .map(|r| Ok(r.try_get::<_, String>(0)?))
        .collect()
}

/// Inserts `rows` (text per column) into `table`, casting each column to its type, in
/// statements of [`BATCH`] rows.
fn copy_rows(
    tx: &mut Tx<'_>,
    table: &str,
    columns: &[String],
    rows: sqlite::copy_out::TextRows,
) -> Result<()> {
    let types = column_types(tx, table)?;
    let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let casts: Vec<String> = columns
        .iter()
        .zip(&types)
        .map(|(c, t)| format!("u.\"{c}\"::{t}"))
        .collect();
    let arrays: Vec<String> = (1..=columns.len())
        .map(|i| format!("${i}::text[]"))
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM unnest({}) AS u({})",
        names.join(", "),
        casts.join(", "),
        arrays.join(", "),
        names.join(", ")
    );
    for chunk in rows.chunks(BATCH) {
        let mut by_column: Vec<Vec<Option<String>>> =
            vec![Vec::with_capacity(chunk.len()); columns.len()];
        for row in chunk {
            for (i, value) in row.iter().enumerate() {
                if let Some(col) = by_column.get_mut(i) {
                    col.push(value.clone());
                }
            }
        }
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = by_column
            .iter()
            .map(|c| c as &(dyn postgres::types::ToSql + Sync))
            .collect();
        tx.execute(&sql, &params)?;
    }
    Ok(())
}

/// Moves every identity column past the highest copied id, so new rows on the server get
/// new ids.
fn restart_identities(tx: &mut Tx<'_>) -> Result<()> {
    let rows = tx.query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        &[],
    )?;
    for r in rows {
        let table: String = r.try_get(0)?;
        let column: String = r.try_get(1)?;
        tx.batch(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                           coalesce((SELECT max(\"{column}\") FROM {table}), 0) + 1, false)"
        ))?;
    }
    Ok(())
}

/// The finder's index: the file's folded words per household, as the server's tsvectors.
fn copy_search_index(tx: &mut Tx<'_>, source: &sqlite::Store) -> Result<()> {
    let entries = source.search_index_as_text()?;
    for chunk in entries.chunks(BATCH) {
        let ids: Vec<i64> = chunk.iter().map(|(id, _, _)| *id).collect();
        let labels: Vec<String> = chunk.iter().map(|(_, l, _)| words(l).join(" ")).collect();
        let all: Vec<String> = chunk
            .iter()
            .map(|(_, l, t)| {
                let mut w = words(l);
                w.extend(words(t));
                w.join(" ")
            })
            .collect();
        tx.execute(
            "INSERT INTO household_search (household_id, team_id, label_words, all_words)
             SELECT u.id, h.team_id,
                    array_to_tsvector(array_remove(string_to_array(u.label, ' '), '')),
                    array_to_tsvector(array_remove(string_to_array(u.all_words, ' '), ''))
             FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, label, all_words)
             JOIN household h ON h.id = u.id",
            &[&ids, &labels, &all],
        )?;
    }
    Ok(())
}

/// The words of folded index text, as the finder splits them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}
