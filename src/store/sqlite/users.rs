//! Users (medewerkers) and teams.

use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, StoreError, authorize};
use crate::auth::policy::Operation;
use crate::auth::{Session, password};
use crate::domain::Invalid;
use crate::domain::invalid::optional_text;
use crate::domain::phone::Phone;
use crate::domain::user::{
    Role, Team, User, check_new_password, validate_team_name, validate_username,
};
use crate::model::users::NewUser;
use crate::store::Missing;
pub(crate) use crate::store::shared::login::{DUMMY_HASH, PasswordRule, parse_role};

impl Store {
    /// Creates the first beheerder of a new database (`keukentafel init`), audited as the system.
    pub fn create_first_admin(
        &mut self,
        username: &str,
        password: &str,
        workstation: &str,
    ) -> Result<User> {
        let actor = AuditActor::system(workstation);
        let new = NewUser {
            username,
            display_name: "",
            role: Role::Beheerder,
            team: None,
            phone: None,
            password,
        };
        self.insert_user(&actor, &new, PasswordRule::Policy)
    }

    /// Creates a user; only a beheerder may.
    pub fn create_user(&mut self, session: &Session, new: &NewUser<'_>) -> Result<User> {
        authorize(session, Operation::ManageUsers, None)?;
        self.insert_user(&AuditActor::from(session), new, PasswordRule::Policy)
    }

    pub(crate) fn insert_user(
        &mut self,
        actor: &AuditActor,
        new: &NewUser<'_>,
        rule: PasswordRule<'_>,
    ) -> Result<User> {
        let username = validate_username(new.username)?;
        if rule == PasswordRule::Policy {
            check_new_password(new.password)?;
        }
        let team_name = match (new.role.needs_team(), new.team) {
            (true, None) => {
                return Err(Invalid::new(
                    "team",
                    format!("Een {} hoort bij een team: geef --team op.", new.role),
                    format!("A {} belongs to a team: give --team.", new.role),
                )
                .into());
            }
            (true, Some(t)) => Some(validate_team_name(t)?),
            (false, Some(_)) => {
                return Err(Invalid::new(
                    "team",
                    format!("Een {} werkt voor alle teams; laat --team weg.", new.role),
                    format!("A {} works for all teams; leave out --team.", new.role),
                )
                .into());
            }
            (false, None) => None,
        };
        let phone = match new.phone.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(
                Phone::parse(p)
                    .map_err(|e| Invalid::from_error("phone", &e))?
                    .display(),
            ),
            None => None,
        };
        let display_name = optional_text(
            "display_name",
            "De naam",
            "The name",
            Some(new.display_name),
            60,
        )?;
        let hash = match rule {
            PasswordRule::DemoHash(hash) => hash.to_string(),
            PasswordRule::Policy => password::hash_password(new.password).map_err(|e| {
                Invalid::new(
                    "password",
                    format!("Wachtwoord versleutelen mislukt: {e}"),
                    e.clone(),
                )
            })?,
        };
        let display = display_name.unwrap_or_else(|| username.clone());
        let now = self.clock().now();
        // On an encrypted file the new user gets an entry in the key file too.
        let key_wrap = self.key_wrap()?;
        self.write(|tx| {
            if user_id_by_name(tx, &username)?.is_some() {
                return Err(Invalid::new(
                    "username",
                    format!("Er is al een medewerker '{username}'."),
                    format!("There is already a user '{username}'."),
                )
                .into());
            }
            let team_id = match &team_name {
                Some(name) => Some(team_id_by_name(tx, name)?.ok_or_else(|| unknown_team(tx, name))?),
                None => None,
            };
            tx.execute(
                "INSERT INTO user (username, display_name, role, team_id, phone, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![username, display, new.role.code(), team_id, phone, hash, now.to_rfc3339()],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                actor,
                &AuditEvent {
                    action: Action::Create,
                    object: "user",
                    object_id: Some(id),
                    household_id: None,
                    person_id: None,
                    detail: Some(format!("role={}", new.role.code())),
                },
            )?;
            if let Some(wrap) = &key_wrap {
                wrap.wrap(&username, &hash)?;
            }
            load_user(tx, id)
        })
    }

    /// Creates a team; only a beheerder may.
    pub fn create_team(&mut self, session: &Session, name: &str) -> Result<Team> {
        authorize(session, Operation::ManageUsers, None)?;
        self.insert_team(&AuditActor::from(session), name)
    }

    pub(crate) fn insert_team(&mut self, actor: &AuditActor, name: &str) -> Result<Team> {
        let name = validate_team_name(name)?;
        let now = self.clock().now();
        self.write(|tx| {
            if team_id_by_name(tx, &name)?.is_some() {
                return Err(Invalid::new(
                    "team",
                    format!("Team '{name}' bestaat al."),
                    format!("Team '{name}' already exists."),
                )
                .into());
            }
            tx.execute("INSERT INTO team (name) VALUES (?1)", [&name])?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                actor,
                &AuditEvent {
                    action: Action::Create,
                    object: "team",
                    object_id: Some(id),
                    household_id: None,
                    person_id: None,
                    detail: None,
                },
            )?;
            Ok(Team { id, name })
        })
    }

    /// Every user, by login name; beheerder and teamleider only.
    pub fn list_users(&self, session: &Session) -> Result<Vec<User>> {
        authorize(session, Operation::ListUsers, None)?;
        let mut stmt = self
            .conn()
            .prepare(&format!("{USER_SELECT} ORDER BY u.username"))?;
        let rows = stmt
            .query_map([], user_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_user).collect()
    }

    /// The active colleagues of the session's own team who can be a household's regisseur
    /// (professionals and the teamleider), by name. Empty for users without a team.
    pub fn regisseur_candidates(&self, session: &Session) -> Result<Vec<User>> {
        let Some(team) = session.team_id else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "{USER_SELECT} WHERE u.team_id = ?1 AND u.disabled = 0
             AND u.role IN ('professional', 'teamleider') ORDER BY u.display_name"
        ))?;
        let rows = stmt
            .query_map([team], user_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_user).collect()
    }

    /// The session's own user record.
    pub fn current_user(&self, session: &Session) -> Result<User> {
        load_user(self.conn(), session.user_id)
    }

    /// Refuses unless the session may create and change users (a beheerder).
    pub fn may_manage_users(&self, session: &Session) -> Result<()> {
        authorize(session, Operation::ManageUsers, None)
    }

    /// Every team, by name; beheerder and teamleider only.
    pub fn list_teams(&self, session: &Session) -> Result<Vec<Team>> {
        authorize(session, Operation::ListUsers, None)?;
        let mut stmt = self
            .conn()
            .prepare("SELECT id, name FROM team ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Team {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

fn unknown_team(tx: &Transaction<'_>, name: &str) -> StoreError {
    let known: Vec<String> = tx
        .prepare("SELECT name FROM team ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    let list = if known.is_empty() {
        "(nog geen teams)".to_string()
    } else {
        known.join(", ")
    };
    Invalid::new(
        "team",
        format!("Onbekend team '{name}'. Bestaande teams: {list}."),
        format!("Unknown team '{name}'. Existing teams: {list}."),
    )
    .into()
}

pub(crate) fn team_id_by_name(tx: &rusqlite::Connection, name: &str) -> Result<Option<i64>> {
    Ok(tx
        .query_row("SELECT id FROM team WHERE name = ?1", [name], |r| r.get(0))
        .optional()?)
}

pub(crate) fn user_id_by_name(tx: &rusqlite::Connection, name: &str) -> Result<Option<i64>> {
    Ok(tx
        .query_row("SELECT id FROM user WHERE username = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

const USER_SELECT: &str =
    "SELECT u.id, u.username, u.display_name, u.role, u.team_id, t.name, u.phone, u.disabled
                           FROM user u LEFT JOIN team t ON t.id = u.team_id";

type UserRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    bool,
);

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn finish_user(row: UserRow) -> Result<User> {
    let (id, username, display_name, role, team_id, team_name, phone, disabled) = row;
    Ok(User {
        id,
        username,
        display_name,
        role: parse_role(&role)?,
        team_id,
        team_name,
        phone,
        disabled,
    })
}

pub(crate) fn load_user(conn: &rusqlite::Connection, id: i64) -> Result<User> {
    let row = conn
        .prepare_cached(&format!("{USER_SELECT} WHERE u.id = ?1"))?
        .query_row([id], user_row)
        .optional()?
        .ok_or(StoreError::NotFound(Missing::User(id)))?;
    finish_user(row)
}
