//! Every change the dashboard can make to a household, applied on PostgreSQL in one
//! transaction together with its audit row and the fresh dashboard read; each applied change
//! also returns how to undo it (see `sqlite::changes`: the same changes, checks, audit rows
//! and undos).

use chrono::{DateTime, NaiveDate, Utc};

use super::audit::{Action, AuditEvent};
use super::dashboard::{read_administration, read_dashboard};
use super::households::{insert_person, load_household, load_person};
use super::{Result, Store, StoreError, Tx};
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
use crate::store::shared::records::{gone, operation};

impl Store {
    /// Applies `change` to a household: policy check, the write, one audit row and the fresh
    /// dashboard, all in one transaction. Nothing is written when any step fails.
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
            let (record_id, undo, event) = {
                let mut w = Write {
                    tx: &mut *tx,
                    household: household_id,
                    user,
                    at: now,
                };
                w.change(change)?
            };
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
    pub(super) tx: &'a mut Tx<'t>,
    pub(super) household: i64,
    pub(super) user: i64,
    pub(super) at: DateTime<Utc>,
}

type Written = (i64, Option<Undo>, AuditEvent);

/// The records an edit names the version of.
#[derive(Clone, Copy, Debug)]
enum Versioned {
    Agreement,
    Goal,
    Person,
}

/// The id a `RETURNING id` statement gave back.
fn returned(tx: &mut Tx<'_>, sql: &str, params: super::Params<'_>) -> Result<i64> {
    Ok(tx.query_one(sql, params)?.try_get(0)?)
}

impl Write<'_, '_> {
    fn event(&self, action: Action, object: &'static str, id: i64) -> AuditEvent {
        AuditEvent::household(action, object, id, self.household)
    }

    fn change(&mut self, change: &Change) -> Result<Written> {
        let h = self.household;
        let user = self.user;
        let at = self.at;
        match change {
            Change::Contact(f) => {
                let minutes = i64::from(f.minutes);
                let id = returned(
                    self.tx,
                    "INSERT INTO contact (household_id, contact_on, kind, minutes, note, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[&h, &f.contact_on, &f.kind, &minutes, &f.note, &user, &at],
                )?;
                Ok((
                    id,
                    Some(Undo::RemoveContact(id)),
                    self.event(Action::Create, "contact", id),
                ))
            }
            Change::AddAgreement(f) => {
                let id = returned(
                    self.tx,
                    "INSERT INTO agreement (household_id, what, who, due_on, formal, zrm_domain, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[&h, &f.what, &f.who.code(), &f.due_on, &f.formal, &f.zrm_domain, &user, &at],
                )?;
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
                // The version and the fields before in one round trip; under the chain's lock
                // nobody else writes until this commits, so the update travels with the next.
                let row = self.versioned(
                    Versioned::Agreement,
                    *id,
                    *version,
                    super::agreements::AGREEMENT_FIELDS,
                )?;
                let before = super::agreements::agreement_fields_row(row.as_ref())?;
                self.defer_agreement_update(*id, fields)?;
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
                let scores = encode_scores(scores);
                // Only for a member of this household: the check is part of the insert.
                let id: i64 = self
                    .tx
                    .query_opt(
                        "INSERT INTO zrm_assessment (household_id, person_id, assessed_on, assessed_by, scores)
                         SELECT $1, $2, $3, $4, $5
                         WHERE EXISTS (SELECT 1 FROM person WHERE id = $2 AND household_id = $1)
                         RETURNING id",
                        &[&h, person_id, on, &user, &scores],
                    )?
                    .ok_or(StoreError::NotFound(Missing::Person(*person_id)))?
                    .try_get(0)?;
                let event = self
                    .event(Action::Create, "zrm", id)
                    .with_person(*person_id);
                Ok((id, Some(Undo::RemoveZrm(id)), event))
            }
            Change::SetFlag { kind, since } => {
                // Not while the same flag is on: the check is part of the insert.
                let inserted = self.tx.query_opt(
                    "INSERT INTO flag (household_id, kind, since, source, set_by)
                     SELECT $1, $2, $3, 'manual', $4
                     WHERE NOT EXISTS (SELECT 1 FROM flag
                                       WHERE household_id = $1 AND kind = $2 AND ended_on IS NULL)
                     RETURNING id",
                    &[&h, kind, since, &user],
                )?;
                let Some(inserted) = inserted else {
                    return Err(Invalid::new(
                        "flag",
                        "Dit signaal staat al aan.",
                        "This flag is already set.",
                    )
                    .into());
                };
                let id: i64 = inserted.try_get(0)?;
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
                let id = returned(
                    self.tx,
                    "INSERT INTO plan_goal (household_id, goal, zrm_domain, status, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &[&h, &goal, &g.zrm_domain, &g.status.code(), &user, &at],
                )?;
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
                let row =
                    self.versioned(Versioned::Goal, *id, *version, super::goals::GOAL_FIELDS)?;
                let before = super::goals::goal_fields_row(row.as_ref())?;
                self.defer_goal_update(*id, fields)?;
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
                let id = insert_person(self.tx, h, p)?;
                super::search::reindex(self.tx, h)?;
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
                if !matches!(load_household(self.tx, h)?.status, HouseholdStatus::Open) {
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
                let HouseholdStatus::Closed { on, reason } = load_household(self.tx, h)?.status
                else {
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
                // Of the household only its regisseur: a teamleider reads no more of it.
                let before: i64 = self
                    .tx
                    .query_one("SELECT regisseur_id FROM kt_household_place($1)", &[&h])?
                    .try_get(0)?;
                self.set_regisseur(*user_id)?;
                let event = self
                    .event(Action::Update, "household", h)
                    .with_detail("regisseur");
                Ok((h, Some(Undo::Regisseur(before)), event))
            }
            Change::RequestProvision(fields) => {
                let id = super::provision_rows::insert_provision(self.tx, h, user, at, fields)?;
                let event = self
                    .event(Action::Create, "provision", id)
                    .with_person(fields.person_id);
                Ok((id, Some(Undo::RemoveProvision(id)), event))
            }
            Change::Undo(undo) => self.undo(undo),
        }
    }

    /// Deletes record `id` of `table` in this household, as the undo of adding it.
    fn removed(&mut self, table: &'static str, object: &'static str, id: i64) -> Result<Written> {
        // The table names are fixed strings from `undo`, never user input.
        let sql = format!("DELETE FROM {table} WHERE id = $1 AND household_id = $2");
        if self.tx.execute(&sql, &[&id, &self.household])? == 0 {
            return Err(gone());
        }
        Ok((
            id,
            None,
            self.event(Action::Delete, object, id)
                .with_detail("ongedaan"),
        ))
    }

    /// Writes the correcting change for `undo`.
    fn undo(&mut self, undo: &Undo) -> Result<Written> {
        let h = self.household;
        match undo {
            Undo::RemoveContact(id) => self.removed("contact", "contact", *id),
            Undo::RemoveAgreement(id) => self.removed("agreement", "agreement", *id),
            Undo::RemoveZrm(id) => self.removed("zrm_assessment", "zrm", *id),
            Undo::RemoveGoal(id) => self.removed("plan_goal", "plan_goal", *id),
            Undo::RemoveProvision(id) => {
                let status: Option<String> = self
                    .tx
                    .query_opt(
                        "SELECT status FROM provision WHERE id = $1 AND household_id = $2",
                        &[id, &h],
                    )?
                    .map(|r| r.try_get(0))
                    .transpose()?;
                if status.as_deref() != Some("aangevraagd") {
                    return Err(Invalid::new(
                        "undo",
                        "Over deze voorziening is al beslist; intrekken kan niet meer.",
                        "This provision has been decided on; it can no longer be withdrawn.",
                    )
                    .into());
                }
                self.removed("provision", "provision", *id)
            }
            Undo::RemoveMember(id) => {
                let used: i64 = self
                    .tx
                    .query_one(
                        "SELECT (SELECT count(*) FROM zrm_assessment WHERE person_id = $1)
                              + (SELECT count(*) FROM consent WHERE person_id = $1)
                              + (SELECT count(*) FROM provision WHERE person_id = $1)",
                        &[id],
                    )?
                    .try_get(0)?;
                if used > 0 {
                    return Err(Invalid::new(
                        "undo",
                        "Dit gezinslid heeft al scores, toestemmingen of voorzieningen; toevoegen is niet meer ongedaan te maken.",
                        "This member already has scores, consents or provisions; adding cannot be undone any more.",
                    )
                    .into());
                }
                let written = self.removed("person", "person", *id)?;
                super::search::reindex(self.tx, h)?;
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
                let n = self.tx.execute(
                    "UPDATE agreement SET status = 'open', status_on = NULL, cancel_reason = NULL,
                            version = version + 1, changed_by = $3, changed_at = $4
                     WHERE id = $1 AND household_id = $2 AND status <> 'open'",
                    &[id, &h, &self.user, &self.at],
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
            Undo::RemoveFlag(id) => self.removed("flag", "flag", *id),
            Undo::ReopenFlag(id) => {
                let n = self.tx.execute(
                    "UPDATE flag SET ended_on = NULL, end_reason = NULL, ended_by = NULL
                     WHERE id = $1 AND household_id = $2 AND ended_on IS NOT NULL",
                    &[id, &h],
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

    fn require_member(&mut self, person_id: i64) -> Result<()> {
        let found = self.tx.query_opt(
            "SELECT 1 FROM person WHERE id = $1 AND household_id = $2",
            &[&person_id, &self.household],
        )?;
        if found.is_none() {
            return Err(StoreError::NotFound(Missing::Person(person_id)));
        }
        Ok(())
    }

    /// Refuses an edit made on version `shown` of a record a colleague changed since, and
    /// reads the record's row of `fields_sql` (parameters: its id and household) with the
    /// version, in one round trip.
    fn versioned(
        &mut self,
        record: Versioned,
        id: i64,
        shown: i64,
        fields_sql: &str,
    ) -> Result<Option<tokio_postgres::Row>> {
        let (sql, missing) = version_sql(record, id);
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&id, &self.household];
        let mut answers = self.tx.queries(&[(sql, &params), (fields_sql, &params)])?;
        let fields = answers.pop().and_then(|rows| rows.into_iter().next());
        let version = answers.pop().and_then(|rows| rows.into_iter().next());
        check_version_row(missing, shown, version.as_ref())?;
        Ok(fields)
    }

    /// Refuses an edit made on version `shown` of a record a colleague changed since.
    fn require_version(&mut self, record: Versioned, id: i64, shown: i64) -> Result<()> {
        let (sql, missing) = version_sql(record, id);
        let found = self.tx.query_opt(sql, &[&id, &self.household])?;
        check_version_row(missing, shown, found.as_ref())
    }
}

/// The query that reads a record's version and last change (parameters: its id and
/// household), and what is missing when it finds nothing.
fn version_sql(record: Versioned, id: i64) -> (&'static str, Missing) {
    match record {
        Versioned::Agreement => (
            "SELECT r.version, u.display_name, r.changed_at FROM agreement r
                 LEFT JOIN app_user u ON u.id = r.changed_by
                 WHERE r.id = $1 AND r.household_id = $2",
            Missing::Agreement(id),
        ),
        Versioned::Goal => (
            "SELECT r.version, u.display_name, r.changed_at FROM plan_goal r
                 LEFT JOIN app_user u ON u.id = r.changed_by
                 WHERE r.id = $1 AND r.household_id = $2",
            Missing::Goal(id),
        ),
        Versioned::Person => (
            "SELECT r.version, u.display_name, r.changed_at FROM person r
                 LEFT JOIN app_user u ON u.id = r.changed_by
                 WHERE r.id = $1 AND r.household_id = $2",
            Missing::Person(id),
        ),
    }
}

/// [`crate::store::conflict::check_version`] on the row of [`version_sql`].
fn check_version_row(
    missing: Missing,
    shown: i64,
    row: Option<&tokio_postgres::Row>,
) -> Result<()> {
    let found = match row {
        Some(r) => Some(crate::store::conflict::LastChange {
            version: r.try_get(0)?,
            by: r.try_get(1)?,
            at: r
                .try_get::<_, Option<DateTime<Utc>>>(2)?
                .map(|t| t.to_rfc3339()),
        }),
        None => None,
    };
    crate::store::conflict::check_version(missing, shown, found)
}

impl Write<'_, '_> {
    fn person_fields(&mut self, id: i64) -> Result<PersonFields> {
        self.require_member(id)?;
        let p = load_person(self.tx, id)?;
        Ok(PersonFields {
            name: p.name,
            birth_date: p.birth_date,
            role: p.role,
            bsn: p.bsn,
            phone: p.phone,
        })
    }

    fn write_person(&mut self, id: i64, f: &PersonFields) -> Result<()> {
        self.require_member(id)?;
        self.tx.execute(
            "UPDATE person SET name = $1, birth_date = $2, role = $3, bsn = $4, phone = $5,
                    version = version + 1, changed_by = $7, changed_at = $8
             WHERE id = $6",
            &[
                &f.name,
                &f.birth_date,
                &f.role.code(),
                &f.bsn.as_ref().map(|b| b.as_str()),
                &f.phone.as_ref().map(|p| p.as_str()),
                &id,
                &self.user,
                &self.at,
            ],
        )?;
        super::search::reindex(self.tx, self.household)
    }

    fn set_closed(&mut self, closed: Option<(NaiveDate, String)>) -> Result<()> {
        let (on, reason) = match closed {
            Some((on, reason)) => (Some(on), Some(reason)),
            None => (None, None),
        };
        self.tx.execute(
            "UPDATE household SET closed_on = $1, close_reason = $2 WHERE id = $3",
            &[&on, &reason, &self.household],
        )?;
        Ok(())
    }

    fn set_regisseur(&mut self, user_id: i64) -> Result<()> {
        let ok = self.tx.query_opt(
            "SELECT u.id FROM app_user u JOIN kt_household_place($2) h ON h.team_id = u.team_id
             WHERE u.id = $1 AND NOT u.disabled AND u.role IN ('professional', 'teamleider')",
            &[&user_id, &self.household],
        )?;
        if ok.is_none() {
            return Err(Invalid::new(
                "regisseur",
                "De regisseur moet een actieve medewerker van het team van dit huishouden zijn.",
                "The regisseur must be an active member of this household's team.",
            )
            .into());
        }
        // Through the server's function: a teamleider's connection reads no household.
        self.tx.query_one(
            "SELECT kt_set_regisseur($1, $2)",
            &[&self.household, &user_id],
        )?;
        Ok(())
    }
}
