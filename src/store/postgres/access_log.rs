//! Reading the audit log back on PostgreSQL (see `sqlite::access_log`): a household's access
//! log for an inzageverzoek, and one user's trail for the privacy officer. Both reads are
//! themselves audited.

use super::audit::{self, Action, AuditActor, AuditEvent, AuditRow};
use super::users::user_id_by_name;
use super::{Result, Store, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::user::validate_username;
use crate::model::access_log::*;
use crate::store::shared::login::unknown_user;

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
            let rows = tx
                .query(
                    &format!(
                        "SELECT {} FROM audit_log WHERE user_id = $1 ORDER BY id",
                        audit::COLUMNS
                    ),
                    &[&id],
                )?
                .iter()
                .map(audit::from_row)
                .collect::<Result<Vec<_>>>()?;
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
pub(super) fn access_entries(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<AccessEntry>> {
    tx.query(
        "SELECT a.at, a.username, coalesce(u.display_name, a.username), a.role, a.action,
                a.object, a.detail, a.workstation, a.on_behalf_of
         FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id
         WHERE a.household_id = $1 ORDER BY a.id",
        &[&household_id],
    )?
    .iter()
    .map(|r| {
        Ok(AccessEntry {
            at: r.try_get(0)?,
            username: r.try_get(1)?,
            display_name: r.try_get(2)?,
            role: r.try_get(3)?,
            action: r.try_get(4)?,
            object: r.try_get(5)?,
            detail: r.try_get(6)?,
            workstation: r.try_get(7)?,
            on_behalf_of: r.try_get(8)?,
        })
    })
    .collect()
}
