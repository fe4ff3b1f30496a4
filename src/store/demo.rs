//! Bulk insertion of generated demo data (`keukentafel demo`). Only ever runs on a database
//! marked as demo; each batch is one immediate transaction with one audit row.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::codec::date_text;
use super::search::{index_columns, insert_index};
use super::users::{NewUser, PasswordRule, team_id_by_name};
use super::{DatabaseKind, Result, Store, StoreError};
use crate::domain::Invalid;
use crate::domain::user::Role;

/// A generated household with everything on its dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoHousehold {
    /// Label.
    pub label: String,
    /// Street.
    pub street: String,
    /// House number (canonical text).
    pub house_number: String,
    /// Postcode ("3563 AB").
    pub postcode: String,
    /// City.
    pub city: String,
    /// Team name.
    pub team: String,
    /// Regisseur's login name.
    pub regisseur: String,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Closed on, with reason.
    pub closed: Option<(NaiveDate, String)>,
    /// Members.
    pub members: Vec<DemoPerson>,
    /// ZRM assessments: member index, date, encoded scores.
    pub assessments: Vec<(usize, NaiveDate, String)>,
    /// Agreements.
    pub agreements: Vec<DemoAgreement>,
    /// Flags.
    pub flags: Vec<DemoFlag>,
    /// Contacts: date, kind, minutes, note.
    pub contacts: Vec<(NaiveDate, String, u32, Option<String>)>,
    /// Plan goals: text, zrm domain, status code.
    pub goals: Vec<(String, Option<String>, &'static str)>,
}

/// A generated flag: catalogue key, since, and when and why it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoFlag {
    /// Catalogue key.
    pub kind: String,
    /// Since.
    pub since: NaiveDate,
    /// End date and reason.
    pub ended: Option<(NaiveDate, String)>,
}

/// A generated member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoPerson {
    /// Name.
    pub name: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Role code.
    pub role: &'static str,
    /// BSN (valid elfproef), only for some.
    pub bsn: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// A generated agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAgreement {
    /// What.
    pub what: String,
    /// Who code.
    pub who: &'static str,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// Formal.
    pub formal: bool,
    /// Status code and status date.
    pub status: (&'static str, Option<NaiveDate>),
    /// Created on.
    pub created_on: NaiveDate,
}

/// A demo account.
#[derive(Clone, Debug)]
pub struct DemoUser {
    /// Login.
    pub username: &'static str,
    /// Display name.
    pub display_name: &'static str,
    /// Role.
    pub role: Role,
    /// Team.
    pub team: Option<&'static str>,
    /// Phone.
    pub phone: Option<&'static str>,
}

impl Store {
    /// Refuses unless this database is marked as demo.
    pub fn require_demo(&self) -> Result<()> {
        if self.kind()? == DatabaseKind::Demo {
            Ok(())
        } else {
            Err(StoreError::Invalid(Invalid::new(
                "database",
                format!(
                    "{} is geen demodatabase; `demo` voegt alleen gegevens toe aan een demodatabase.",
                    self.path().display()
                ),
                format!(
                    "{} is not a demo database; `demo` only adds data to a demo database.",
                    self.path().display()
                ),
            )))
        }
    }

    /// Number of households.
    pub fn household_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM household", [], |r| r.get(0))?)
    }

    /// Creates the demo teams and accounts that do not exist yet (password `demo`).
    pub fn ensure_demo_accounts(
        &mut self,
        teams: &[&str],
        users: &[DemoUser],
        workstation: &str,
    ) -> Result<()> {
        self.require_demo()?;
        let actor = AuditActor::system(workstation);
        for team in teams {
            if team_id_by_name(self.conn(), team)?.is_none() {
                self.insert_team(&actor, team)?;
            }
        }
        for u in users {
            let exists: Option<i64> = self
                .conn()
                .query_row(
                    "SELECT id FROM user WHERE username = ?1",
                    [u.username],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                let new = NewUser {
                    username: u.username,
                    display_name: u.display_name,
                    role: u.role,
                    team: u.team,
                    phone: u.phone,
                    password: "demo",
                };
                self.insert_user(&actor, &new, PasswordRule::DemoOnly)?;
            }
        }
        Ok(())
    }

    /// Inserts a batch of generated households in one transaction.
    pub fn insert_demo_batch(&mut self, batch: &[DemoHousehold], workstation: &str) -> Result<()> {
        self.require_demo()?;
        let now = self.clock().now();
        let actor = AuditActor::system(workstation);
        self.write(|tx| {
            let mut teams: HashMap<String, i64> = HashMap::new();
            let mut users: HashMap<String, i64> = HashMap::new();
            {
                let mut s = tx.prepare("SELECT id, name FROM team")?;
                for row in s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
                    let (id, name) = row?;
                    teams.insert(name, id);
                }
                let mut s = tx.prepare("SELECT id, username FROM user")?;
                for row in s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
                    let (id, name) = row?;
                    users.insert(name, id);
                }
            }
            let missing = |what: &str| StoreError::NotFound(what.to_string());
            let mut ins_household = tx.prepare(
                "INSERT INTO household (label, street, house_number, postcode, city, team_id, regisseur_id, opened_on, closed_on, close_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut ins_person = tx.prepare(
                "INSERT INTO person (household_id, name, birth_date, role, bsn, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut ins_zrm = tx.prepare(
                "INSERT INTO zrm_assessment (household_id, person_id, assessed_on, assessed_by, scores) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut ins_agreement = tx.prepare(
                "INSERT INTO agreement (household_id, what, who, due_on, formal, status, status_on, cancel_reason, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut ins_flag = tx.prepare(
                "INSERT INTO flag (household_id, kind, since, source, set_by, ended_on, end_reason, ended_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut ins_contact = tx.prepare(
                "INSERT INTO contact (household_id, contact_on, kind, minutes, note, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut ins_goal = tx.prepare(
                "INSERT INTO plan_goal (household_id, goal, zrm_domain, status, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for h in batch {
                let team = *teams.get(&h.team).ok_or_else(|| missing(&h.team))?;
                let reg = *users.get(&h.regisseur).ok_or_else(|| missing(&h.regisseur))?;
                let (closed_on, reason) = match &h.closed {
                    Some((d, r)) => (Some(date_text(*d)), Some(r.as_str())),
                    None => (None, None),
                };
                ins_household.execute(params![
                    h.label,
                    h.street,
                    h.house_number,
                    h.postcode,
                    h.city,
                    team,
                    reg,
                    date_text(h.opened_on),
                    closed_on,
                    reason
                ])?;
                let hid = tx.last_insert_rowid();
                let mut person_ids = Vec::with_capacity(h.members.len());
                let mut people = Vec::with_capacity(h.members.len());
                for p in &h.members {
                    let birth = date_text(p.birth_date);
                    ins_person.execute(params![hid, p.name, birth, p.role, p.bsn, p.phone])?;
                    person_ids.push(tx.last_insert_rowid());
                    people.push((p.name.clone(), Some(birth)));
                }
                for (member, on, scores) in &h.assessments {
                    let pid = person_ids.get(*member).ok_or_else(|| missing("demo member"))?;
                    ins_zrm.execute(params![hid, pid, date_text(*on), reg, scores])?;
                }
                for a in &h.agreements {
                    let reason = (a.status.0 == "cancelled").then_some("niet meer nodig");
                    ins_agreement.execute(params![
                        hid,
                        a.what,
                        a.who,
                        a.due_on.map(date_text),
                        a.formal,
                        a.status.0,
                        a.status.1.map(date_text),
                        reason,
                        reg,
                        date_text(a.created_on)
                    ])?;
                }
                for DemoFlag { kind, since, ended } in &h.flags {
                    let (ended_on, end_reason, ended_by) = match ended {
                        Some((d, r)) => (Some(date_text(*d)), Some(r.as_str()), Some(reg)),
                        None => (None, None, None),
                    };
                    ins_flag.execute(params![hid, kind, date_text(*since), "manual", reg, ended_on, end_reason, ended_by])?;
                }
                for (on, kind, minutes, note) in &h.contacts {
                    ins_contact.execute(params![hid, date_text(*on), kind, minutes, note, reg, date_text(*on)])?;
                }
                for (goal, domain, status) in &h.goals {
                    ins_goal.execute(params![hid, goal, domain, status, reg, date_text(h.opened_on)])?;
                }
                insert_index(
                    tx,
                    hid,
                    &index_columns(&h.label, &h.street, &h.house_number, &h.postcode, &people),
                )?;
            }
            audit::append(
                tx,
                now,
                &actor,
                &AuditEvent {
                    action: Action::Create,
                    object: "demo",
                    object_id: None,
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("{} demohuishoudens", batch.len())),
                },
            )?;
            Ok(())
        })
    }
}
