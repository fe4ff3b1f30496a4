//! Reading the audit log back: a household's access log for an inzageverzoek ("who looked at
//! my file?"), worded so that a resident can read it, and one user's trail for the privacy
//! officer. Both reads are themselves audited.

use super::audit::{self, Action, AuditActor, AuditEvent, AuditRow};
use super::login::unknown_user;
use super::users::user_id_by_name;
use super::{Result, Store, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::user::validate_username;
use crate::model::access_log::*;

impl Store {
    /// Every access to one household, oldest first: who, when, in which role, what was looked
    /// at or changed. For an inzageverzoek; a professional of the household's team and a
    /// beheerder (privacy officer) may ask. The request is itself audited.
    pub fn household_access_log(
        &mut self,
        session: &Session,
        household_id: i64,
    ) -> Result<Vec<AccessEntry>> {
        self.household_access(session, household_id, Operation::ReadAccessLog, |tx, _| {
            let entries = access_entries(tx, household_id)?;
            let event = AuditEvent::household(Action::Read, "audit", household_id, household_id)
                .with_detail("inzageoverzicht");
            Ok((entries, event))
        })
    }

    /// One user's whole audit trail, oldest first; beheerder only (the privacy officer). The
    /// request is itself audited.
    pub fn user_trail(&mut self, session: &Session, username: &str) -> Result<Vec<AuditRow>> {
        authorize(session, Operation::ReadUserTrail, None)?;
        let name = validate_username(username)?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let id = user_id_by_name(tx, &name)?.ok_or_else(|| unknown_user(&name))?;
            let mut stmt = tx.prepare(&format!(
                "SELECT {} FROM audit_log WHERE user_id = ?1 ORDER BY id",
                audit::COLUMNS
            ))?;
            let rows = stmt
                .query_map([id], audit::from_sql)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Read,
                    object: "user",
                    object_id: Some(id),
                    household_id: None,
                    person_id: None,
                    detail: Some("auditspoor".into()),
                },
            )?;
            Ok(rows)
        })
    }
}

/// The access entries of one household, oldest first.
pub(crate) fn access_entries(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<AccessEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, a.username, coalesce(u.display_name, a.username), a.role, a.action,
                a.object, a.detail, a.workstation, a.on_behalf_of
         FROM audit_log a LEFT JOIN user u ON u.id = a.user_id
         WHERE a.household_id = ?1 ORDER BY a.id",
    )?;
    let rows = stmt
        .query_map([household_id], |r| {
            Ok(AccessEntry {
                at: r.get(0)?,
                username: r.get(1)?,
                display_name: r.get(2)?,
                role: r.get(3)?,
                action: r.get(4)?,
                object: r.get(5)?,
                detail: r.get(6)?,
                workstation: r.get(7)?,
                on_behalf_of: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
