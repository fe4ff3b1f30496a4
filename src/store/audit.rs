//! The audit log (NEN 7513): who did what to which household, when, from where, on whose behalf.
//!
//! Rows are chained: each row's hash covers its own fields and the previous row's hash, and the
//! newest row's id and hash are kept in `meta.audit_head`. Changing, removing or inserting a row
//! breaks the chain, which [`verify`] reports. Rows are only ever appended, inside the same
//! transaction as the read or write they record.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Result;
use crate::auth::Session;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The kind of access recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Action {
    /// Looked at data.
    Read,
    /// Created something.
    Create,
    /// Changed something.
    Update,
    /// Ended or closed something (flags and households are never deleted).
    End,
    /// Exported data.
    Export,
    /// Searched.
    Search,
    /// Removed a record entered by mistake (an undo); the audit keeps its creation.
    Delete,
    /// Tried something the policy refused (the detail names the operation); nothing changed.
    Refused,
    /// Logged in, or tried to (the detail says how it went).
    Login,
    /// Erased personal data (AVG, after the retention period).
    Erase,
}

impl Action {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::End => "end",
            Action::Export => "export",
            Action::Search => "search",
            Action::Delete => "delete",
            Action::Refused => "refused",
            Action::Login => "login",
            Action::Erase => "erase",
        }
    }
}

/// Who is recorded: a logged-in user, or the system itself (set-up, demo generation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditActor {
    /// User id; `None` for the system.
    pub user_id: Option<i64>,
    /// Login name, or `systeem`.
    pub username: String,
    /// Role code at the time, or `systeem`.
    pub role: String,
    /// Workstation (host name).
    pub workstation: String,
    /// On whose behalf.
    pub on_behalf_of: Option<String>,
}

impl AuditActor {
    /// The system itself, acting from `workstation`.
    pub fn system(workstation: &str) -> AuditActor {
        AuditActor {
            user_id: None,
            username: "systeem".into(),
            role: "systeem".into(),
            workstation: workstation.to_string(),
            on_behalf_of: None,
        }
    }
}

impl From<&Session> for AuditActor {
    fn from(s: &Session) -> Self {
        AuditActor {
            user_id: Some(s.user_id),
            username: s.username.clone(),
            role: s.role.code().to_string(),
            workstation: s.workstation.clone(),
            on_behalf_of: s.on_behalf_of.clone(),
        }
    }
}

/// What happened, to what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// The kind of access.
    pub action: Action,
    /// The object type (`household`, `person`, `contact`, `user`, …).
    pub object: &'static str,
    /// The object's id.
    pub object_id: Option<i64>,
    /// The household concerned.
    pub household_id: Option<i64>,
    /// The person concerned.
    pub person_id: Option<i64>,
    /// A short description without client content (e.g. `dashboard`, `role=backoffice`).
    pub detail: Option<String>,
}

impl AuditEvent {
    /// An event on an object of a household.
    pub fn household(
        action: Action,
        object: &'static str,
        object_id: i64,
        household_id: i64,
    ) -> AuditEvent {
        AuditEvent {
            action,
            object,
            object_id: Some(object_id),
            household_id: Some(household_id),
            person_id: None,
            detail: None,
        }
    }

    /// Adds a detail text.
    pub fn with_detail(mut self, detail: impl Into<String>) -> AuditEvent {
        self.detail = Some(detail.into());
        self
    }

    /// Adds the person concerned.
    pub fn with_person(mut self, person_id: i64) -> AuditEvent {
        self.person_id = Some(person_id);
        self
    }
}

/// One stored audit row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    /// Row id (its place in the chain).
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// User id.
    pub user_id: Option<i64>,
    /// Login name.
    pub username: String,
    /// Role code.
    pub role: String,
    /// Action code.
    pub action: String,
    /// Object type.
    pub object: String,
    /// Object id.
    pub object_id: Option<i64>,
    /// Household.
    pub household_id: Option<i64>,
    /// Person.
    pub person_id: Option<i64>,
    /// Workstation.
    pub workstation: String,
    /// On whose behalf.
    pub on_behalf_of: Option<String>,
    /// Detail.
    pub detail: Option<String>,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

impl AuditRow {
    /// The hash this row should have, given its fields and `prev_hash`.
    pub fn computed_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |v: Option<&str>| match v {
            // Length-prefixed so that no two different rows serialise the same.
            Some(s) => h.update(format!("{}:{s};", s.len())),
            None => h.update("-;"),
        };
        field(Some(&self.prev_hash));
        field(Some(&self.id.to_string()));
        field(Some(&self.at));
        field(self.user_id.map(|v| v.to_string()).as_deref());
        field(Some(&self.username));
        field(Some(&self.role));
        field(Some(&self.action));
        field(Some(&self.object));
        field(self.object_id.map(|v| v.to_string()).as_deref());
        field(self.household_id.map(|v| v.to_string()).as_deref());
        field(self.person_id.map(|v| v.to_string()).as_deref());
        field(Some(&self.workstation));
        field(self.on_behalf_of.as_deref());
        field(self.detail.as_deref());
        hex::encode(h.finalize())
    }

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
}

pub(crate) const COLUMNS: &str = "id, at, user_id, username, role, action, object, object_id, household_id, \
                       person_id, workstation, on_behalf_of, detail, prev_hash, hash";

fn head(tx: &Connection) -> Result<(i64, String)> {
    let row: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
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
    let (last_id, prev_hash) = head(tx)?;
    let mut row = AuditRow {
        id: last_id + 1,
        at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        user_id: actor.user_id,
        username: actor.username.clone(),
        role: actor.role.clone(),
        action: event.action.code().to_string(),
        object: event.object.to_string(),
        object_id: event.object_id,
        household_id: event.household_id,
        person_id: event.person_id,
        workstation: actor.workstation.clone(),
        on_behalf_of: actor.on_behalf_of.clone(),
        detail: event.detail.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.computed_hash();
    tx.execute(
        &format!("INSERT INTO audit_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
        params![
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
        ],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{}:{}", row.id, row.hash)],
    )?;
    Ok(row.id)
}

/// The outcome of a full chain verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows checked.
    pub rows: u64,
    /// The first broken row and why, if any.
    pub broken: Option<BrokenRow>,
}

/// Where the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenRow {
    /// The row id (or the id expected where a row is missing).
    pub id: i64,
    /// What is wrong.
    pub kind: Break,
}

/// How the chain is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// A row with this id is missing.
    Missing,
    /// A row is not where its id says.
    OutOfPlace,
    /// The row's previous-hash does not match the row before it.
    NotLinked,
    /// The row's content does not match its hash.
    Changed,
    /// The newest row does not match the recorded head (the last rows were removed or replaced).
    HeadMismatch,
    /// The log is empty or its head record is gone, although the database has been used.
    Wiped,
}

impl BrokenRow {
    /// What is wrong, in `lang`.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let id = self.id;
        let nl = lang == crate::i18n::Lang::Nl;
        match (self.kind, nl) {
            (Break::Missing, true) => format!("auditregel {id} ontbreekt (verwijderd?)"),
            (Break::Missing, false) => format!("audit row {id} is missing (deleted?)"),
            (Break::OutOfPlace, true) => format!("auditregel {id} staat niet op zijn plaats"),
            (Break::OutOfPlace, false) => format!("audit row {id} is out of place"),
            (Break::NotLinked, true) => {
                format!("auditregel {id} sluit niet aan op de vorige (ingevoegd of verwijderd?)")
            }
            (Break::NotLinked, false) => {
                format!("audit row {id} does not link to the one before (inserted or deleted?)")
            }
            (Break::Changed, true) => format!("auditregel {id} is gewijzigd"),
            (Break::Changed, false) => format!("audit row {id} was changed"),
            (Break::HeadMismatch, true) => {
                format!("de laatste auditregel ({id}) ontbreekt of is vervangen")
            }
            (Break::HeadMismatch, false) => {
                format!("the last audit row ({id}) is missing or was replaced")
            }
            (Break::Wiped, true) => {
                format!("de auditlog is leeggemaakt of het begin ervan ontbreekt (auditregel {id})")
            }
            (Break::Wiped, false) => {
                format!("the audit log was emptied or its head record is gone (audit row {id})")
            }
        }
    }
}

/// Walks the whole chain in id order. Every database has at least one row (its creation), so
/// an empty log is reported as wiped.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_id = 1;
    let mut count = 0u64;
    let broken = |count: u64, id: i64, kind: Break| {
        Ok(ChainReport {
            rows: count,
            broken: Some(BrokenRow { id, kind }),
        })
    };
    while let Some(r) = rows.next()? {
        let row = AuditRow::from_sql(r)?;
        count += 1;
        if row.id > expected_id {
            return broken(count, expected_id, Break::Missing);
        }
        if row.id < expected_id {
            return broken(count, row.id, Break::OutOfPlace);
        }
        if row.prev_hash != expected_prev {
            return broken(count, row.id, Break::NotLinked);
        }
        if row.computed_hash() != row.hash {
            return broken(count, row.id, Break::Changed);
        }
        expected_prev = row.hash;
        expected_id += 1;
    }
    let head: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let last = format!("{}:{}", expected_id - 1, expected_prev);
    match head {
        None => broken(count, expected_id, Break::Wiped),
        Some(h) if h != last => {
            let id = h
                .split_once(':')
                .and_then(|(id, _)| id.parse::<i64>().ok())
                .unwrap_or(expected_id);
            broken(count, id, Break::HeadMismatch)
        }
        Some(_) => Ok(ChainReport {
            rows: count,
            broken: None,
        }),
    }
}

/// The number of audit rows (used by tests and `check`).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}
