//! Logging in, and the account settings that guard it, on PostgreSQL (see `sqlite::login`):
//! failed-login delays, passwords and disabling accounts. Every failed or refused login and
//! every change is audited.

use chrono::{DateTime, Duration, Utc};

use super::audit::{self, AuditActor};
use super::users::user_id_by_name;
use super::{Result, Store, StoreError, authorize};
use crate::auth::policy::Operation;
use crate::auth::{Session, password};
use crate::domain::Invalid;
use crate::domain::user::{check_new_password, validate_username};
use crate::store::api::Login;
use crate::store::shared::login::{DUMMY_HASH, parse_role};
use crate::store::shared::login::{
    blocked_for, login_delay, login_event, refused, stamp, unknown_actor, unknown_user, user_event,
};

/// The stored account fields a login needs.
struct Account {
    id: i64,
    username: String,
    role: String,
    team_id: Option<i64>,
    hash: String,
    disabled: bool,
    blocked_until: Option<DateTime<Utc>>,
    failures: i64,
}

/// [`blocked_for`] on a stored moment (read back as SQLite stores it, to the millisecond).
fn wait_seconds(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<u64> {
    blocked_for(until.map(stamp).as_deref(), now)
}

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
        self.authenticate_then(username, password_text, workstation, |_, _| Ok(()))
            .map(|(session, ())| session)
    }

    /// Logs in and loads the user and their contact habits with the `COMMIT`: two round
    /// trips in all.
    pub fn login(&self, username: &str, password_text: &str, workstation: &str) -> Result<Login> {
        let window = i64::from(super::contacts::HABIT_WINDOW);
        let (session, (user, contact_habits)) =
            self.authenticate_then(username, password_text, workstation, |tx, id| {
                let user_sql = super::users::user_sql();
                let mut rows = tx.queries_then_commit(&[
                    (&user_sql, &[&id]),
                    (super::contacts::HABITS, &[&id, &window]),
                ])?;
                let habits = rows.pop().unwrap_or_default();
                let user = rows.pop().unwrap_or_default();
                let user = match user.first() {
                    Some(r) => super::users::user_from_row(r)?,
                    None => return Err(StoreError::NotFound(crate::store::Missing::User(id))),
                };
                Ok((user, super::contacts::habits_rows(&habits)?))
            })?;
        Ok(Login {
            session,
            user,
            contact_habits,
        })
    }

    fn authenticate_then<T>(
        &self,
        username: &str,
        password_text: &str,
        workstation: &str,
        on_success: impl FnOnce(&mut super::Tx<'_>, i64) -> Result<T>,
    ) -> Result<(Session, T)> {
        let now = self.clock().now();
        let name = username.trim().to_lowercase();
        let outcome = self.write(|tx| {
            // The account and, for a name that is none, its count of failures: one round
            // trip (with the transaction's opening), both rows locked.
            let name_param: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&name];
            let mut answers = tx.queries(&[
                (
                    "SELECT id, username, role, team_id, password_hash, disabled, login_blocked_until,
                            failed_logins
                     FROM app_user WHERE lower(username) = lower($1) FOR UPDATE",
                    &name_param,
                ),
                (
                    "SELECT failed_logins, blocked_until FROM login_attempt
                     WHERE username = $1 FOR UPDATE",
                    &name_param,
                ),
            ])?;
            let attempt = answers.pop().and_then(|rows| rows.into_iter().next());
            let account = match answers.pop().and_then(|rows| rows.into_iter().next()) {
                Some(r) => Some(Account {
                    id: r.try_get(0)?,
                    username: r.try_get(1)?,
                    role: r.try_get(2)?,
                    team_id: r.try_get(3)?,
                    hash: r.try_get(4)?,
                    disabled: r.try_get(5)?,
                    blocked_until: r.try_get(6)?,
                    failures: r.try_get(7)?,
                }),
                None => None,
            };
            let (failures, blocked_until) = match (&account, attempt) {
                (Some(a), _) => (a.failures, a.blocked_until),
                (None, Some(r)) => (r.try_get(0)?, r.try_get(1)?),
                (None, None) => (0, None),
            };
            let (actor, id) = match &account {
                Some(a) => (
                    AuditActor {
                        user_id: Some(a.id),
                        username: a.username.clone(),
                        role: a.role.clone(),
                        workstation: workstation.to_string(),
                        on_behalf_of: None,
                    },
                    Some(a.id),
                ),
                None => (unknown_actor(workstation), None),
            };
            if let Some(wait_seconds) = wait_seconds(blocked_until, now) {
                // A refusal takes as long as a check would.
                let _ = password::verify_password(password_text, DUMMY_HASH);
                audit::append(
                    tx,
                    now,
                    &actor,
                    &login_event(id, "geweigerd: wachttijd".into()),
                )?;
                return Ok(Err(StoreError::LoginDelayed { wait_seconds }));
            }
            let hash = account.as_ref().map_or(DUMMY_HASH, |a| a.hash.as_str());
            let correct = password::verify_password(password_text, hash);
            match account {
                Some(account) if correct => {
                    if account.failures != 0 || account.blocked_until.is_some() {
                        tx.defer(
                            "UPDATE app_user SET failed_logins = 0, login_blocked_until = NULL
                             WHERE id = $1",
                            vec![Box::new(account.id)],
                        )?;
                    }
                    if account.disabled {
                        audit::append(
                            tx,
                            now,
                            &actor,
                            &login_event(id, "geweigerd: account geblokkeerd".into()),
                        )?;
                        return Ok(Err(StoreError::AccountDisabled));
                    }
                    let loaded = on_success(tx, account.id)?;
                    Ok(Ok((account, loaded)))
                }
                account => {
                    let counted = u32::try_from(failures).unwrap_or(u32::MAX);
                    let counted = counted.saturating_add(1);
                    let delay = login_delay(counted);
                    let until = (delay > Duration::zero()).then(|| now + delay);
                    let stored = i64::from(counted);
                    let detail = match &account {
                        Some(account) => {
                            tx.defer(
                                "UPDATE app_user SET failed_logins = $1, last_failed_at = $2,
                                        login_blocked_until = coalesce($3, login_blocked_until)
                                 WHERE id = $4",
                                vec![
                                    Box::new(stored),
                                    Box::new(now),
                                    Box::new(until),
                                    Box::new(account.id),
                                ],
                            )?;
                            format!("mislukt: onjuist wachtwoord ({counted}e keer)")
                        }
                        None => {
                            tx.defer(
                                "INSERT INTO login_attempt (username, failed_logins, blocked_until)
                                 VALUES ($1, $2, $3)
                                 ON CONFLICT (username) DO UPDATE SET
                                     failed_logins = excluded.failed_logins,
                                     blocked_until = coalesce(excluded.blocked_until,
                                                              login_attempt.blocked_until)",
                                vec![Box::new(name.clone()), Box::new(stored), Box::new(until)],
                            )?;
                            format!("mislukt: onbekende gebruiker ({counted}e keer)")
                        }
                    };
                    audit::append(tx, now, &actor, &login_event(id, detail))?;
                    if delay > Duration::zero() {
                        return Ok(Err(StoreError::LoginDelayed {
                            wait_seconds: u64::try_from(delay.num_seconds()).unwrap_or(0),
                        }));
                    }
                    Ok(Err(refused()))
                }
            }
        })?;
        let (account, loaded) = outcome?;
        let session = Session {
            user_id: account.id,
            username: account.username,
            role: parse_role(&account.role)?,
            team_id: account.team_id,
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
        let hash = password::hash_password(new_password).map_err(|e| {
            Invalid::new(
                "password",
                format!("Wachtwoord versleutelen mislukt: {e}"),
                e.clone(),
            )
        })?;
        let now = self.clock().now();
        let actor = AuditActor::from(session);
        self.write(|tx| {
            let id = user_id_by_name(tx, &name)?.ok_or_else(|| unknown_user(&name))?;
            tx.execute(
                "UPDATE app_user SET password_hash = $1, failed_logins = 0,
                        login_blocked_until = NULL
                 WHERE id = $2",
                &[&hash, &id],
            )?;
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
