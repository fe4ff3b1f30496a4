//! Every change the dashboard can make to a household, applied in one immediate transaction
//! together with its audit row and the fresh dashboard read. Each applied change also returns
//! how to undo it: the undo is itself a change (a correcting write), so the audit keeps both.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{Action, AuditEvent};
use super::codec::date_text;
use super::dashboard::{read_administration, read_dashboard};
use super::households::{insert_person, load_household};
use super::{Result, Store, StoreError};
use crate::auth::Session;
use crate::auth::policy::{self, Operation};
use crate::domain::Invalid;
use crate::domain::agreement::validate_cancel_reason;
use crate::domain::flag::validate_end_reason;
use crate::domain::goal::validate_goal;
use crate::domain::household::{HouseholdStatus, PersonFields, validate_close_reason};
use crate::domain::zrm::encode_scores;
use crate::model::changes::*;
use crate::store::Missing;
pub(crate) use crate::store::shared::records::{gone, not_open, operation};

impl Store {
    /// Applies `change` to a household: policy check, the write, one audit row and the fresh
    /// dashboard, all in one immediate transaction. Nothing is written when any step fails.
    pub fn apply(
        &mut self,
        session: &Session,
        household_id: i64,
        change: &Change,
    ) -> Result<Applied> {
        let user = session.user_id;
        let full = policy::role_allows(session.role, Operation::ReadHousehold);
        let administrative = policy::role_allows(session.role, Operation::ReadAdministration);
        self.household_access(session, household_id, operation(change), |tx, now| {
            let at = now.to_rfc3339();
            let w = Write {
                tx,
                household: household_id,
                user,
                at: &at,
            };
            let (record_id, undo, event) = w.change(change)?;
            // The fresh dashboard shows what the role may see, as `load_dashboard` does; a role
            // that may see neither (a teamleider handing a household over) gets nothing back.
            let dashboard = if full {
                Some(read_dashboard(tx, household_id)?)
            } else if administrative {
                Some(read_administration(tx, household_id)?)
            } else {
                None
            };
            let applied = Applied {
                dashboard,
                undo,
                record_id,
            };
            Ok((applied, event))
        })
    }
}

/// One change being written.
pub(super) struct Write<'a, 't> {
    pub(super) tx: &'a Transaction<'t>,
    pub(super) household: i64,
    pub(super) user: i64,
    pub(super) at: &'a str,
}

type Written = (i64, Option<Undo>, AuditEvent);

/// The records an edit names the version of.
#[derive(Clone, Copy, Debug)]
enum Versioned {
    Agreement,
    Goal,
    Person,
}

impl Write<'_, '_> {
    fn event(&self, action: Action, object: &'static str, id: i64) -> AuditEvent {
        AuditEvent::household(action, object, id, self.household)
    }

    fn change(&self, change: &Change) -> Result<Written> {
        let h = self.household;
        let tx = self.tx;
        match change {
            Change::Contact(f) => {
                tx.execute(
                    "INSERT INTO contact (household_id, contact_on, kind, minutes, note, recorded_by, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![h, date_text(f.contact_on), f.kind, f.minutes, f.note, self.user, self.at],
                )?;
                let id = tx.last_insert_rowid();
                Ok((
                    id,
                    Some(Undo::RemoveContact(id)),
                    self.event(Action::Create, "contact", id),
                ))
            }
            Change::AddAgreement(f) => {
                tx.execute(
                    "INSERT INTO agreement (household_id, what, who, due_on, formal, zrm_domain, created_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![h, f.what, f.who.code(), f.due_on.map(date_text), f.formal, f.zrm_domain, self.user, self.at],
                )?;
                let id = tx.last_insert_rowid();
                Ok((
                    id,
                    Some(Undo::RemoveAgreement(id)),
                    self.event(Action::Create, "agreement", id),
                ))
            }
            Change::EditAgreement {
                id,
                version,
                fields,
            } => {
                self.require_version(Versioned::Agreement, *id, *version)?;
                let before = self.agreement_fields(*id)?;
                self.write_agreement(*id, fields)?;
                let undo = Undo::RestoreAgreement {
                    id: *id,
                    fields: before,
                };
                Ok((
                    *id,
                    Some(undo),
                    self.event(Action::Update, "agreement", *id),
                ))
            }
            Change::CompleteAgreement { id, on } => {
                self.close_agreement(*id, "done", *on, None)?;
                let event = self
                    .event(Action::Update, "agreement", *id)
                    .with_detail("done");
                Ok((*id, Some(Undo::ReopenAgreement(*id)), event))
            }
            Change::CancelAgreement { id, on, reason } => {
                let reason = validate_cancel_reason(reason)?;
                self.close_agreement(*id, "cancelled", *on, Some(reason))?;
                let event = self
                    .event(Action::Update, "agreement", *id)
                    .with_detail("cancelled");
                Ok((*id, Some(Undo::ReopenAgreement(*id)), event))
            }
            Change::Zrm {
                person_id,
                on,
                scores,
            } => {
                self.require_member(*person_id)?;
                tx.execute(
                    "INSERT INTO zrm_assessment (household_id, person_id, assessed_on, assessed_by, scores)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![h, person_id, date_text(*on), self.user, encode_scores(scores)],
                )?;
                let id = tx.last_insert_rowid();
                let event = self
                    .event(Action::Create, "zrm", id)
                    .with_person(*person_id);
                Ok((id, Some(Undo::RemoveZrm(id)), event))
            }
            Change::SetFlag { kind, since } => {
                let active: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM flag WHERE household_id = ?1 AND kind = ?2 AND ended_on IS NULL",
                        params![h, kind],
                        |r| r.get(0),
                    )
                    .optional()?;
                if active.is_some() {
                    return Err(Invalid::new(
                        "flag",
                        "Dit signaal staat al aan.",
                        "This flag is already set.",
                    )
                    .into());
                }
                tx.execute(
                    "INSERT INTO flag (household_id, kind, since, source, set_by) VALUES (?1, ?2, ?3, 'manual', ?4)",
                    params![h, kind, date_text(*since), self.user],
                )?;
                let id = tx.last_insert_rowid();
                Ok((
                    id,
                    Some(Undo::RemoveFlag(id)),
                    self.event(Action::Create, "flag", id),
                ))
            }
            Change::EndFlag { id, on, reason } => {
                let reason = validate_end_reason(reason)?;
                self.end_flag(*id, *on, &reason)?;
                Ok((
                    *id,
                    Some(Undo::ReopenFlag(*id)),
                    self.event(Action::End, "flag", *id),
                ))
            }
            Change::AddGoal(g) => {
                let goal = validate_goal(&g.goal)?;
                tx.execute(
                    "INSERT INTO plan_goal (household_id, goal, zrm_domain, status, created_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![h, goal, g.zrm_domain, g.status.code(), self.user, self.at],
                )?;
                let id = tx.last_insert_rowid();
                Ok((
                    id,
                    Some(Undo::RemoveGoal(id)),
                    self.event(Action::Create, "plan_goal", id),
                ))
            }
            Change::EditGoal {
                id,
                version,
                fields,
            } => {
                self.require_version(Versioned::Goal, *id, *version)?;
                let before = self.goal_fields(*id)?;
                self.write_goal(*id, fields)?;
                let undo = Undo::RestoreGoal {
                    id: *id,
                    fields: before,
                };
                let event = self
                    .event(Action::Update, "plan_goal", *id)
                    .with_detail(fields.status.code());
                Ok((*id, Some(undo), event))
            }
            Change::AddMember(p) => {
                let id = insert_person(tx, h, p)?;
                super::search::reindex(tx, h)?;
                let event = self.event(Action::Create, "person", id).with_person(id);
                Ok((id, Some(Undo::RemoveMember(id)), event))
            }
            Change::EditMember {
                id,
                version,
                fields,
            } => {
                self.require_version(Versioned::Person, *id, *version)?;
                let before = self.person_fields(*id)?;
                self.write_person(*id, fields)?;
                let undo = Undo::RestoreMember {
                    id: *id,
                    fields: before,
                };
                let event = self.event(Action::Update, "person", *id).with_person(*id);
                Ok((*id, Some(undo), event))
            }
            Change::Close { on, reason } => {
                let reason = validate_close_reason(reason)?;
                if !matches!(load_household(tx, h)?.status, HouseholdStatus::Open) {
                    return Err(Invalid::new(
                        "household",
                        "Dit huishouden is al afgesloten.",
                        "This household is already closed.",
                    )
                    .into());
                }
                self.set_closed(Some((*on, reason)))?;
                Ok((
                    h,
                    Some(Undo::Reopen),
                    self.event(Action::End, "household", h),
                ))
            }
            Change::Reopen => {
                let HouseholdStatus::Closed { on, reason } = load_household(tx, h)?.status else {
                    return Err(Invalid::new(
                        "household",
                        "Dit huishouden is al open.",
                        "This household is already open.",
                    )
                    .into());
                };
                self.set_closed(None)?;
                let event = self
                    .event(Action::Update, "household", h)
                    .with_detail("heropend");
                Ok((h, Some(Undo::Close { on, reason }), event))
            }
            Change::Regisseur(user_id) => {
                let before = load_household(tx, h)?.regisseur_id;
                self.set_regisseur(*user_id)?;
                let event = self
                    .event(Action::Update, "household", h)
                    .with_detail("regisseur");
                Ok((h, Some(Undo::Regisseur(before)), event))
            }
            Change::RequestProvision(fields) => {
                let id = super::provisions::insert_provision(tx, h, self.user, self.at, fields)?;
                let event = self
                    .event(Action::Create, "provision", id)
                    .with_person(fields.person_id);
                Ok((id, Some(Undo::RemoveProvision(id)), event))
            }
            Change::Undo(undo) => self.undo(undo),
        }
    }

    /// Writes the correcting change for `undo`.
    fn undo(&self, undo: &Undo) -> Result<Written> {
        let tx = self.tx;
        let h = self.household;
        let removed = |table: &'static str, object: &'static str, id: i64| -> Result<Written> {
            // The table names are fixed strings from this function, never user input.
            let sql = format!("DELETE FROM {table} WHERE id = ?1 AND household_id = ?2");
            if tx.execute(&sql, params![id, h])? == 0 {
                return Err(gone());
            }
            Ok((
                id,
                None,
                self.event(Action::Delete, object, id)
                    .with_detail("ongedaan"),
            ))
        };
        match undo {
            Undo::RemoveContact(id) => removed("contact", "contact", *id),
            Undo::RemoveAgreement(id) => removed("agreement", "agreement", *id),
            Undo::RemoveZrm(id) => removed("zrm_assessment", "zrm", *id),
            Undo::RemoveGoal(id) => removed("plan_goal", "plan_goal", *id),
            Undo::RemoveProvision(id) => {
                let status: Option<String> = tx
                    .query_row(
                        "SELECT status FROM provision WHERE id = ?1 AND household_id = ?2",
                        params![id, h],
                        |r| r.get(0),
                    )
                    .optional()?;
                if status.as_deref() != Some("aangevraagd") {
                    return Err(Invalid::new(
                        "undo",
                        "Over deze voorziening is al beslist; intrekken kan niet meer.",
                        "This provision has been decided on; it can no longer be withdrawn.",
                    )
                    .into());
                }
                removed("provision", "provision", *id)
            }
            Undo::RemoveMember(id) => {
                let used: i64 = tx.query_row(
                    "SELECT (SELECT count(*) FROM zrm_assessment WHERE person_id = ?1)
                          + (SELECT count(*) FROM consent WHERE person_id = ?1)
                          + (SELECT count(*) FROM provision WHERE person_id = ?1)",
                    [id],
                    |r| r.get(0),
                )?;
                if used > 0 {
                    return Err(Invalid::new(
                        "undo",
                        "Dit gezinslid heeft al scores, toestemmingen of voorzieningen; toevoegen is niet meer ongedaan te maken.",
                        "This member already has scores, consents or provisions; adding cannot be undone any more.",
                    )
                    .into());
                }
                let written = removed("person", "person", *id)?;
                super::search::reindex(tx, h)?;
                Ok(written)
            }
            Undo::RestoreAgreement { id, fields } => {
                self.write_agreement(*id, fields)?;
                Ok((
                    *id,
                    None,
                    self.event(Action::Update, "agreement", *id)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::ReopenAgreement(id) => {
                let n = tx.execute(
                    "UPDATE agreement SET status = 'open', status_on = NULL, cancel_reason = NULL,
                            version = version + 1, changed_by = ?3, changed_at = ?4
                     WHERE id = ?1 AND household_id = ?2 AND status <> 'open'",
                    params![id, h, self.user, self.at],
                )?;
                if n == 0 {
                    return Err(gone());
                }
                Ok((
                    *id,
                    None,
                    self.event(Action::Update, "agreement", *id)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::RemoveFlag(id) => removed("flag", "flag", *id),
            Undo::ReopenFlag(id) => {
                let n = tx.execute(
                    "UPDATE flag SET ended_on = NULL, end_reason = NULL, ended_by = NULL
                     WHERE id = ?1 AND household_id = ?2 AND ended_on IS NOT NULL",
                    params![id, h],
                )?;
                if n == 0 {
                    return Err(gone());
                }
                Ok((
                    *id,
                    None,
                    self.event(Action::Update, "flag", *id)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::RestoreGoal { id, fields } => {
                self.write_goal(*id, fields)?;
                Ok((
                    *id,
                    None,
                    self.event(Action::Update, "plan_goal", *id)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::RestoreMember { id, fields } => {
                self.write_person(*id, fields)?;
                Ok((
                    *id,
                    None,
                    self.event(Action::Update, "person", *id)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::Reopen => {
                self.set_closed(None)?;
                Ok((
                    h,
                    None,
                    self.event(Action::Update, "household", h)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::Close { on, reason } => {
                self.set_closed(Some((*on, reason.clone())))?;
                Ok((
                    h,
                    None,
                    self.event(Action::End, "household", h)
                        .with_detail("ongedaan"),
                ))
            }
            Undo::Regisseur(user_id) => {
                self.set_regisseur(*user_id)?;
                Ok((
                    h,
                    None,
                    self.event(Action::Update, "household", h)
                        .with_detail("ongedaan"),
                ))
            }
        }
    }

    /// Refuses an edit made on version `shown` of a record a colleague changed since.
    fn require_version(&self, record: Versioned, id: i64, shown: i64) -> Result<()> {
        let sql = match record {
            Versioned::Agreement => {
                "SELECT r.version, u.display_name, r.changed_at FROM agreement r
                 LEFT JOIN user u ON u.id = r.changed_by WHERE r.id = ?1 AND r.household_id = ?2"
            }
            Versioned::Goal => {
                "SELECT r.version, u.display_name, r.changed_at FROM plan_goal r
                 LEFT JOIN user u ON u.id = r.changed_by WHERE r.id = ?1 AND r.household_id = ?2"
            }
            Versioned::Person => {
                "SELECT r.version, u.display_name, r.changed_at FROM person r
                 LEFT JOIN user u ON u.id = r.changed_by WHERE r.id = ?1 AND r.household_id = ?2"
            }
        };
        let found = self
            .tx
            .query_row(sql, params![id, self.household], |r| {
                Ok(crate::store::conflict::LastChange {
                    version: r.get(0)?,
                    by: r.get(1)?,
                    at: r.get(2)?,
                })
            })
            .optional()?;
        let missing = match record {
            Versioned::Agreement => Missing::Agreement(id),
            Versioned::Goal => Missing::Goal(id),
            Versioned::Person => Missing::Person(id),
        };
        crate::store::conflict::check_version(missing, shown, found)
    }

    fn require_member(&self, person_id: i64) -> Result<()> {
        let n: i64 = self.tx.query_row(
            "SELECT count(*) FROM person WHERE id = ?1 AND household_id = ?2",
            params![person_id, self.household],
            |r| r.get(0),
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(Missing::Person(person_id)));
        }
        Ok(())
    }

    fn person_fields(&self, id: i64) -> Result<PersonFields> {
        self.require_member(id)?;
        let p = super::households::load_person(self.tx, id)?;
        Ok(PersonFields {
            name: p.name,
            birth_date: p.birth_date,
            role: p.role,
            bsn: p.bsn,
            phone: p.phone,
        })
    }

    fn write_person(&self, id: i64, f: &PersonFields) -> Result<()> {
        self.require_member(id)?;
        self.tx.execute(
            "UPDATE person SET name = ?1, birth_date = ?2, role = ?3, bsn = ?4, phone = ?5,
                    version = version + 1, changed_by = ?7, changed_at = ?8
             WHERE id = ?6",
            params![
                f.name,
                f.birth_date.map(date_text),
                f.role.code(),
                f.bsn.as_ref().map(|b| b.as_str().to_string()),
                f.phone.as_ref().map(|p| p.as_str().to_string()),
                id,
                self.user,
                self.at
            ],
        )?;
        super::search::reindex(self.tx, self.household)
    }

    fn set_closed(&self, closed: Option<(NaiveDate, String)>) -> Result<()> {
        let (on, reason) = match closed {
            Some((on, reason)) => (Some(date_text(on)), Some(reason)),
            None => (None, None),
        };
        self.tx.execute(
            "UPDATE household SET closed_on = ?1, close_reason = ?2 WHERE id = ?3",
            params![on, reason, self.household],
        )?;
        Ok(())
    }

    fn set_regisseur(&self, user_id: i64) -> Result<()> {
        let ok: Option<i64> = self
            .tx
            .query_row(
                "SELECT u.id FROM user u JOIN household h ON h.team_id = u.team_id
                 WHERE u.id = ?1 AND h.id = ?2 AND u.disabled = 0 AND u.role IN ('professional', 'teamleider')",
                params![user_id, self.household],
                |r| r.get(0),
            )
            .optional()?;
        if ok.is_none() {
            return Err(Invalid::new(
                "regisseur",
                "De regisseur moet een actieve medewerker van het team van dit huishouden zijn.",
                "The regisseur must be an active member of this household's team.",
            )
            .into());
        }
        self.tx.execute(
            "UPDATE household SET regisseur_id = ?1 WHERE id = ?2",
            params![user_id, self.household],
        )?;
        Ok(())
    }
}
