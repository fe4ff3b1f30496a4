//! Logging in, and the account settings that guard it, on PostgreSQL (see `sqlite::login`):
//! failed-login delays, passwords and disabling accounts. Every failed or refused login and
//! every change is audited.

use chrono::Duration;

use super::audit::{self, AuditActor};
use super::scram;
use super::users::user_id_by_name;
use super::{Result, Store, StoreError, authorize};
use crate::auth::policy::Operation;
use crate::auth::{Session, password};
use crate::domain::Invalid;
use crate::domain::user::{check_new_password, validate_username};
use crate::store::api::Login;
use crate::store::shared::login::{DUMMY_HASH, parse_role};
use crate::store::shared::login::{login_delay, refused, unknown_user, user_event};
use postgres::error::SqlState;

/// A login's last step, as the user's own role: the count reset, and the account.
const LOGIN_DONE: &str = "SELECT d.user_id, d.disabled, u.username, u.role, u.team_id
     FROM kt_login_done($1, $2) d JOIN app_user u ON u.id = d.user_id";

impl Store {
    /// Checks a user's password and opens a session (see `sqlite::Store::authenticate`).
    ///
    /// Deciding whether a try may be checked, the check and counting a failure are one atomic
    /// step: one write transaction (holding the audit chain's lock) that also locks the
    /// account's row (`FOR UPDATE`) or the unknown name's `login_attempt` row, so parallel
    /// guesses from many workstations are checked one after the other and cannot slip past the
    /// count. A name that is no account is counted and answered exactly as an account is.
    pub fn authenticate(
        &self,
        username: &str,
        password_text: &str,
        workstation: &str,
    ) -> Result<Session> {
        self.authenticate_then(username, password_text, workstation, &[], |_, _, _| Ok(()))
            .map(|(session, ())| session)
    }

    /// Logs in and loads the user and their contact habits with the `COMMIT`: two round
    /// trips in all.
    pub fn login(&self, username: &str, password_text: &str, workstation: &str) -> Result<Login> {
        let window = i64::from(super::contacts::HABIT_WINDOW);
        let user_sql = super::users::user_sql();
        let ahead = [user_sql.as_str(), super::contacts::HABITS];
        let (session, (user, contact_habits)) = self.authenticate_then(
            username,
            password_text,
            workstation,
            &ahead,
            |tx, id, role| {
                // Only a professional records contacts (and only they are granted the table).
                let records_contacts = parse_role(role)? == crate::domain::user::Role::Professional;
                let mut rows = if records_contacts {
                    tx.queries_then_commit(&[
                        (&user_sql, &[&id]),
                        (super::contacts::HABITS, &[&id, &window]),
                    ])?
                } else {
                    let mut rows = tx.queries_then_commit(&[(&user_sql, &[&id])])?;
                    rows.push(Vec::new());
                    rows
                };
                let habits = rows.pop().unwrap_or_default();
                let user = rows.pop().unwrap_or_default();
                let user = match user.first() {
                    Some(r) => super::users::user_from_row(r)?,
                    None => return Err(StoreError::NotFound(crate::store::Missing::User(id))),
                };
                Ok((user, super::contacts::habits_rows(&habits)?))
            },
        )?;
        Ok(Login {
            session,
            user,
            contact_habits,
        })
    }

    /// The personal login (issue 13): the server checks the password, with the user's own
    /// role. In one transaction on the connection the store has (the gate, the owner or the
    /// previous user), which holds the name's lock throughout:
    /// 1. `kt_login_begin` says whether the name must wait;
    /// 2. a new connection as `<database>_<name>` with the password: the server's SCRAM check;
    /// 3. a refusal is counted and audited by `kt_login_failed`; a success runs the last step
    ///    on the new connection (`kt_login_done` starts the count again and answers the
    ///    account), which then replaces the store's connection.
    ///
    /// So parallel guesses for one name are checked one after the other and cannot slip past
    /// the count, while parallel logins with the right password count nothing. A wrong
    /// password, an unknown name and a role that is no keukentafel account all get the same
    /// answer; a disabled account is told so only to whoever gave its right password.
    fn authenticate_then<T>(
        &self,
        username: &str,
        password_text: &str,
        workstation: &str,
        prepare: &[&str],
        on_success: impl FnOnce(&mut super::Tx<'_>, i64, &str) -> Result<T>,
    ) -> Result<(Session, T)> {
        let now = self.clock().now();
        let name = username.trim().to_lowercase();
        let role = validate_username(&name)
            .ok()
            .map(|name| Ok::<_, StoreError>(format!("{}_{name}", self.database_name()?)))
            .transpose()?;
        // Not the chain's lock: the last step's own transaction takes it on the new connection.
        let begin = Some("BEGIN ISOLATION LEVEL READ COMMITTED".to_string());
        let outcome = self.transaction(begin, false, |tx| {
            let row = tx.query_one(
                "SELECT wait_seconds, failures FROM kt_login_begin($1, $2, $3)",
                &[&name, &workstation, &now],
            )?;
            let wait: i64 = row.try_get(0)?;
            if wait > 0 {
                // A refusal takes as long as a check would.
                let _ = password::verify_password(password_text, DUMMY_HASH);
                return Ok(Err(StoreError::LoginDelayed {
                    wait_seconds: u64::try_from(wait).unwrap_or(0),
                }));
            }
            let connected = match &role {
                Some(role) => self.connect_as(role, password_text),
                None => Err(super::conn::ConnectError::Setup(refused())),
            };
            let mut client = match connected {
                Ok(client) => client,
                Err(e) => {
                    let disabled = match &e {
                        super::conn::ConnectError::Driver(e) => match e.code() {
                            // Told only after the right password.
                            Some(c) if *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => e
                                .as_db_error()
                                .is_some_and(|d| d.message().contains("not permitted to log in")),
                            Some(_) => false,
                            // No SQLSTATE: the server was not reached.
                            None => return Err(super::error::connect_error(&self.location, e)),
                        },
                        super::conn::ConnectError::Setup(_) => false,
                        super::conn::ConnectError::Runtime(e) => {
                            return Err(StoreError::Server {
                                location: self.location.clone(),
                                problem: crate::store::ServerProblem::Unreachable(e.to_string()),
                            });
                        }
                    };
                    let failures: i64 = tx
                        .query_one(
                            "SELECT kt_login_failed($1, $2, $3, $4)",
                            &[&name, &workstation, &now, &disabled],
                        )?
                        .try_get(0)?;
                    if disabled {
                        return Ok(Err(StoreError::AccountDisabled));
                    }
                    let delay = login_delay(u32::try_from(failures).unwrap_or(u32::MAX));
                    if delay > Duration::zero() {
                        return Ok(Err(StoreError::LoginDelayed {
                            wait_seconds: u64::try_from(delay.num_seconds()).unwrap_or(0),
                        }));
                    }
                    return Ok(Err(refused()));
                }
            };
            // The last step on the new connection; it becomes the store's only when it
            // succeeds.
            let prepared = std::cell::RefCell::new(std::collections::HashMap::new());
            let done = self.write_on(&mut client, &prepared, super::Connected::Personal, |tx| {
                let mut ahead = vec![LOGIN_DONE];
                ahead.extend_from_slice(prepare);
                tx.prepare_ahead(&ahead)?;
                let Some(account) = tx.query_opt(LOGIN_DONE, &[&workstation, &now])? else {
                    // A role of this server that is no keukentafel account.
                    return Ok(Err(refused()));
                };
                let id: i64 = account.try_get(0)?;
                if account.try_get::<_, bool>(1)? {
                    return Ok(Err(StoreError::AccountDisabled));
                }
                let account = (
                    id,
                    account.try_get::<_, String>(2)?,
                    account.try_get::<_, String>(3)?,
                    account.try_get::<_, Option<i64>>(4)?,
                );
                let loaded = on_success(tx, id, &account.2)?;
                Ok(Ok((account, loaded)))
            })?;
            Ok(done.map(|done| (client, prepared.into_inner(), done)))
        })?;
        let (client, prepared, ((id, username, role, team_id), loaded)) = outcome?;
        self.use_connection(client, prepared, super::Connected::Personal, Some(id))?;
        let session = Session {
            user_id: id,
            username,
            role: parse_role(&role)?,
            team_id,
            workstation: workstation.to_string(),
            on_behalf_of: None,
        };
        Ok((session, loaded))
    }

    /// Sets the password of user `username`: a user may change their own, a beheerder anyone's.
    /// The new password must meet the policy (at least 10 characters). Clears any login delay.
    pub fn set_password(
        &mut self,
        session: &Session,
        username: &str,
        new_password: &str,
    ) -> Result<()> {
        let name = validate_username(username)?;
        if name != session.username {
            authorize(session, Operation::ManageUsers, None)?;
        }
        check_new_password(new_password)?;
        // The role's password, as a verifier made here: the server never sees the password.
        let verifier = scram::verifier(new_password);
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let id = user_id_by_name(tx, &name)?.ok_or_else(|| unknown_user(&name))?;
            tx.execute("SELECT kt_role_password($1, $2)", &[&name, &verifier])?;
            audit::append(tx, now, &actor, &user_event(id, "wachtwoord gewijzigd"))?;
            Ok(())
        })
    }

    /// Disables (`true`) or enables (`false`) user `username`; a beheerder only, and never their
    /// own account. Enabling also clears a login delay.
    pub fn set_disabled(
        &mut self,
        session: &Session,
        username: &str,
        disabled: bool,
    ) -> Result<()> {
        authorize(session, Operation::ManageUsers, None)?;
        let name = validate_username(username)?;
        if disabled && name == session.username {
            return Err(Invalid::new(
                "username",
                "Je kunt je eigen account niet blokkeren; vraag een andere beheerder.",
                "You cannot disable your own account; ask another administrator.",
            )
            .into());
        }
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let id = user_id_by_name(tx, &name)?.ok_or_else(|| unknown_user(&name))?;
            if disabled {
                tx.execute("UPDATE app_user SET disabled = TRUE WHERE id = $1", &[&id])?;
            } else {
                tx.execute(
                    "UPDATE app_user SET disabled = FALSE, failed_logins = 0,
                            login_blocked_until = NULL
                     WHERE id = $1",
                    &[&id],
                )?;
            }
            tx.execute("SELECT kt_role_login($1, $2)", &[&name, &!disabled])?;
            let detail = if disabled {
                "geblokkeerd"
            } else {
                "vrijgegeven"
            };
            audit::append(tx, now, &actor, &user_event(id, detail))?;
            Ok(())
        })
    }
}
