//! Users (medewerkers) and teams on PostgreSQL (see `sqlite::users`).

use postgres::Row;

use super::audit::{self, Action, AuditActor, AuditEvent};
use super::{Result, Store, StoreError, Tx, authorize};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::invalid::optional_text;
use crate::domain::phone::Phone;
use crate::domain::user::{
    Role, Team, User, check_new_password, validate_team_name, validate_username,
};
use crate::model::users::NewUser;
use crate::store::Missing;
use crate::store::shared::login::{PasswordRule, parse_role};

/// What `app_user.password_hash` holds on a server: no hash, since the server checks the
/// password with the user's own role.
pub(crate) const SERVER_CHECKS_PASSWORD: &str = "!server";

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
        &self,
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
        // The server checks the password, with the user's own role (migration 5): the role
        // gets a SCRAM verifier made here, and `password_hash` only says so.
        let verifier = match rule {
            PasswordRule::DemoHash(verifier) => verifier.to_string(),
            PasswordRule::Policy => super::scram::verifier(new.password),
        };
        let hash = SERVER_CHECKS_PASSWORD;
        let display = display_name.unwrap_or_else(|| username.clone());
        let now = self.clock().now();
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
                Some(name) => match team_id_by_name(tx, name)? {
                    Some(id) => Some(id),
                    None => return Err(unknown_team(tx, name)),
                },
                None => None,
            };
            let id: i64 = tx
                .query_one(
                    "INSERT INTO app_user
                         (username, display_name, role, team_id, phone, password_hash, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[
                        &username,
                        &display,
                        &new.role.code(),
                        &team_id,
                        &phone,
                        &hash,
                        &now,
                    ],
                )?
                .try_get(0)?;
            tx.execute(
                "SELECT kt_role_create($1, $2, $3)",
                &[&username, &verifier, &new.role.code()],
            )?;
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
            load_user(tx, id)
        })
    }

    /// Creates a team; only a beheerder may.
    pub fn create_team(&mut self, session: &Session, name: &str) -> Result<Team> {
        authorize(session, Operation::ManageUsers, None)?;
        self.insert_team(&AuditActor::from(session), name)
    }

    pub(crate) fn insert_team(&self, actor: &AuditActor, name: &str) -> Result<Team> {
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
            let id: i64 = tx
                .query_one("INSERT INTO team (name) VALUES ($1) RETURNING id", &[&name])?
                .try_get(0)?;
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
        self.read(|tx| {
            tx.query(
                &format!("{USER_SELECT} ORDER BY lower(u.username) COLLATE \"C\", u.id"),
                &[],
            )?
            .iter()
            .map(user_from_row)
            .collect()
        })
    }

    /// The active colleagues of the session's own team who can be a household's regisseur
    /// (professionals and the teamleider), by name. Empty for users without a team.
    pub fn regisseur_candidates(&self, session: &Session) -> Result<Vec<User>> {
        let Some(team) = session.team_id else {
            return Ok(Vec::new());
        };
        self.read(|tx| {
            tx.query(
                &format!(
                    "{USER_SELECT} WHERE u.team_id = $1 AND NOT u.disabled
                     AND u.role IN ('professional', 'teamleider')
                     ORDER BY u.display_name COLLATE \"C\", u.id"
                ),
                &[&team],
            )?
            .iter()
            .map(user_from_row)
            .collect()
        })
    }

    /// The session's own user record.
    pub fn current_user(&self, session: &Session) -> Result<User> {
        self.single(|tx| load_user(tx, session.user_id))
    }

    /// Refuses unless the session may create and change users (a beheerder).
    pub fn may_manage_users(&self, session: &Session) -> Result<()> {
        authorize(session, Operation::ManageUsers, None)
    }

    /// Every team, by name; beheerder and teamleider only.
    pub fn list_teams(&self, session: &Session) -> Result<Vec<Team>> {
        authorize(session, Operation::ListUsers, None)?;
        self.read(team_list)
    }
}

/// Every team, by name (SQLite's `NOCASE` order).
fn team_list(tx: &mut Tx<'_>) -> Result<Vec<Team>> {
    tx.query(
        "SELECT id, name FROM team ORDER BY lower(name) COLLATE \"C\", id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(Team {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
        })
    })
    .collect()
}

fn unknown_team(tx: &mut Tx<'_>, name: &str) -> StoreError {
    let known: Vec<String> = team_list(tx)
        .map(|teams| teams.into_iter().map(|t| t.name).collect())
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

/// The id of team `name` (compared without regard to case, as SQLite's `NOCASE`).
pub(crate) fn team_id_by_name(tx: &mut Tx<'_>, name: &str) -> Result<Option<i64>> {
    tx.query_opt(
        "SELECT id FROM team WHERE lower(name) = lower($1)",
        &[&name],
    )?
    .map(|r| r.try_get::<_, i64>(0))
    .transpose()
    .map_err(Into::into)
}

/// The id of user `name` (compared without regard to case).
pub(crate) fn user_id_by_name(tx: &mut Tx<'_>, name: &str) -> Result<Option<i64>> {
    tx.query_opt(
        "SELECT id FROM app_user WHERE lower(username) = lower($1)",
        &[&name],
    )?
    .map(|r| r.try_get::<_, i64>(0))
    .transpose()
    .map_err(Into::into)
}

/// The columns [`user_row`] reads, of `app_user u LEFT JOIN team t`.
pub(crate) const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.role, u.team_id, t.name, u.phone, u.disabled";

/// Every user with their team's name, as [`user_from_row`] reads them.
pub(crate) const USER_SELECT: &str =
    "SELECT u.id, u.username, u.display_name, u.role, u.team_id, t.name, u.phone, u.disabled
     FROM app_user u LEFT JOIN team t ON t.id = u.team_id";

/// A user from eight columns of [`USER_COLUMNS`] starting at `at`.
pub(crate) fn user_row(r: &Row, at: usize) -> Result<User> {
    let role: String = r.try_get(at + 3)?;
    Ok(User {
        id: r.try_get(at)?,
        username: r.try_get(at + 1)?,
        display_name: r.try_get(at + 2)?,
        role: parse_role(&role)?,
        team_id: r.try_get(at + 4)?,
        team_name: r.try_get(at + 5)?,
        phone: r.try_get(at + 6)?,
        disabled: r.try_get(at + 7)?,
    })
}

/// A user from a row of [`USER_SELECT`].
pub(crate) fn user_from_row(r: &Row) -> Result<User> {
    user_row(r, 0)
}

/// The query of [`load_user`] (parameter: the user's id).
pub(crate) fn user_sql() -> String {
    format!("{USER_SELECT} WHERE u.id = $1")
}

/// User `id` with their team's name, or `NotFound`.
pub(crate) fn load_user(tx: &mut Tx<'_>, id: i64) -> Result<User> {
    match tx.query_opt(&user_sql(), &[&id])? {
        Some(r) => user_from_row(&r),
        None => Err(StoreError::NotFound(Missing::User(id))),
    }
}
