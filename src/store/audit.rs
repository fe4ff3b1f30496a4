//! The audit log (NEN 7513): who did what to which household, when, from where, on whose behalf.
//!
//! This is the backend-neutral half of the chain: the row, its hash, and the walk that verifies
//! a chain. Rows are chained: each row's hash covers its own fields and the previous row's hash,
//! and the newest row's id and hash are kept as the chain head. Changing, removing or inserting
//! a row breaks the chain, which [`ChainWalk`] reports. Each backend appends rows inside the same
//! transaction as the read or write they record, and feeds its rows to [`ChainWalk`] to verify.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

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
}

impl AuditRow {
    /// The row that follows the chain head (`last_id`, `prev_hash`), hashed.
    pub fn next(
        last_id: i64,
        prev_hash: String,
        now: DateTime<Utc>,
        actor: &AuditActor,
        event: &AuditEvent,
    ) -> AuditRow {
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
        row
    }

    /// The chain head as stored beside the log: `id:hash`.
    pub fn head_text(&self) -> String {
        format!("{}:{}", self.id, self.hash)
    }
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

/// Verifies a chain row by row, in id order: feed every row to [`ChainWalk::row`] until it
/// reports a break, then give the stored head to [`ChainWalk::finish`]. Every database has at
/// least one row (its creation), so an empty log is reported as wiped.
#[derive(Debug)]
pub struct ChainWalk {
    expected_prev: String,
    expected_id: i64,
    count: u64,
}

impl Default for ChainWalk {
    fn default() -> Self {
        ChainWalk {
            expected_prev: GENESIS.to_string(),
            expected_id: 1,
            count: 0,
        }
    }
}

impl ChainWalk {
    /// Checks the next row; `Some` with the report once the chain is broken.
    pub fn row(&mut self, row: &AuditRow) -> Option<ChainReport> {
        self.count += 1;
        let broken = |count: u64, id: i64, kind: Break| {
            Some(ChainReport {
                rows: count,
                broken: Some(BrokenRow { id, kind }),
            })
        };
        if row.id > self.expected_id {
            return broken(self.count, self.expected_id, Break::Missing);
        }
        if row.id < self.expected_id {
            return broken(self.count, row.id, Break::OutOfPlace);
        }
        if row.prev_hash != self.expected_prev {
            return broken(self.count, row.id, Break::NotLinked);
        }
        if row.computed_hash() != row.hash {
            return broken(self.count, row.id, Break::Changed);
        }
        self.expected_prev.clone_from(&row.hash);
        self.expected_id += 1;
        None
    }

    /// The report once every row was seen, compared with the stored head (`id:hash`).
    pub fn finish(self, head: Option<&str>) -> ChainReport {
        let last = format!("{}:{}", self.expected_id - 1, self.expected_prev);
        let broken = |id: i64, kind: Break| ChainReport {
            rows: self.count,
            broken: Some(BrokenRow { id, kind }),
        };
        match head {
            None => broken(self.expected_id, Break::Wiped),
            Some(h) if h != last => {
                let id = h
                    .split_once(':')
                    .and_then(|(id, _)| id.parse::<i64>().ok())
                    .unwrap_or(self.expected_id);
                broken(id, Break::HeadMismatch)
            }
            Some(_) => ChainReport {
                rows: self.count,
                broken: None,
            },
        }
    }
}

/// Whether the chain is anchored outside the database file (a key and a witness beside it, see
/// the SQLite backend's `anchor` module), and what that anchor finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorState {
    /// The database has no key file (made before the anchor existed): its chain is verified by
    /// its own hashes only, which a copy of the file could recompute.
    NotAnchored,
    /// Every row's MAC verifies and the log reaches the witness's newest head (`witnessed`,
    /// `None` for a file checked on its own, such as a backup).
    Anchored {
        /// The newest row id the witness records.
        witnessed: Option<i64>,
    },
    /// The anchor finds the log tampered with.
    Broken(AnchorBreak),
}

/// What the anchor finds wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorBreak {
    /// The rows are keyed but the key file is gone.
    KeyMissing,
    /// The first row is not the one the key or the witness knows: another file is in its place.
    Replaced,
    /// A row the witness has seen (this id or before its head) no longer carries a valid MAC.
    Rewritten(i64),
    /// Rows after the witness's head without a valid MAC: added without the key.
    ForgedTail(i64),
    /// The log ends before the head the witness recorded.
    Truncated {
        /// The newest row id the witness recorded.
        witnessed: i64,
        /// The last row in the log.
        last: i64,
    },
    /// The witness file is missing or does not start at the database's creation.
    WitnessMissing,
    /// `meta.kind` differs from the kind the database was made as (its first, keyed row).
    KindFlipped {
        /// The kind the database was made as.
        made: String,
        /// The kind in `meta`.
        meta: String,
    },
}

fn kind_nl(code: &str) -> &str {
    match code {
        "demo" => "demo",
        "production" => "productie",
        other => other,
    }
}

impl AnchorBreak {
    /// What is wrong, in `lang`.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let nl = lang == crate::i18n::Lang::Nl;
        match (self, nl) {
            (AnchorBreak::KeyMissing, true) => "de auditregels zijn met een sleutel vastgelegd, maar het sleutelbestand (.ketensleutel) ontbreekt; zet het terug uit de back-up".into(),
            (AnchorBreak::KeyMissing, false) => "the audit rows are keyed but the key file (.ketensleutel) is missing; put it back from the backup".into(),
            (AnchorBreak::Replaced, true) => "het databasebestand is vervangen: de eerste auditregel is niet met deze sleutel gemaakt of is een andere dan de getuige (.ketenkop) kent".into(),
            (AnchorBreak::Replaced, false) => "the database file was replaced: its first audit row was not made with this key or is not the one the witness (.ketenkop) knows".into(),
            (AnchorBreak::Rewritten(id), true) => format!("auditregel {id} is herschreven (de sleutelcode klopt niet meer)"),
            (AnchorBreak::Rewritten(id), false) => format!("audit row {id} was rewritten (its keyed code no longer matches)"),
            (AnchorBreak::ForgedTail(id), true) => format!("vervalste staart: auditregel {id} en verder zijn zonder de sleutel toegevoegd"),
            (AnchorBreak::ForgedTail(id), false) => format!("forged tail: audit row {id} onwards were added without the key"),
            (AnchorBreak::Truncated { witnessed, last }, true) => format!("de auditlog is ingekort: de getuige (.ketenkop) kent auditregel {witnessed}, de log houdt op bij {last}"),
            (AnchorBreak::Truncated { witnessed, last }, false) => format!("the audit log was truncated: the witness (.ketenkop) knows audit row {witnessed}, the log ends at {last}"),
            (AnchorBreak::WitnessMissing, true) => "het getuigebestand (.ketenkop) ontbreekt of is ingekort".into(),
            (AnchorBreak::WitnessMissing, false) => "the witness file (.ketenkop) is missing or was cut short".into(),
            (AnchorBreak::KindFlipped { made, meta }, true) => format!("het soort database is gewijzigd: gemaakt als {}, maar meta zegt {}", kind_nl(made), kind_nl(meta)),
            (AnchorBreak::KindFlipped { made, meta }, false) => format!("the kind of database was changed: made as {made}, but meta says {meta}"),
        }
    }
}
