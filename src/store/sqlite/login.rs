//! Logging in, and the account settings that guard it: failed-login delays, passwords and
//! disabling accounts. Every failed or refused login and every change is audited.

use chrono::Duration;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, AuditActor};
use super::users::{DUMMY_HASH, parse_role, user_id_by_name};
use super::{Result, Store, StoreError, authorize};
use crate::auth::policy::Operation;
use crate::auth::{Session, password};
use crate::domain::Invalid;
use crate::domain::user::{check_new_password, validate_username};
pub use crate::store::shared::login::{FIRST_DELAY_SECONDS, FREE_ATTEMPTS, MAX_DELAY_SECONDS};
pub(crate) use crate::store::shared::login::{
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
    blocked_until: Option<String>,
}

fn account_actor(account: &Account, workstation: &str) -> AuditActor {
    AuditActor {
        user_id: Some(account.id),
        username: account.username.clone(),
        role: account.role.clone(),
        workstation: workstation.to_string(),
        on_behalf_of: None,
    }
}

impl Store {
    /// Checks a user's password and opens a session.
    ///
    /// Deciding whether a try may be checked, the check and counting a failure are one atomic
    /// step: one immediate transaction around the password check, so parallel guesses are
    /// checked one after the other and cannot slip past the count. After [`FREE_ATTEMPTS`]
    /// failures in a row the name waits [`login_delay`] before the next try is even checked
    /// ([`StoreError::LoginDelayed`] says how long). A name that is no account is counted and
    /// answered the same way, with a password check against a dummy hash (also while it
    /// waits), so neither the messages nor the time tell a guesser which names exist. A
    /// disabled account is told so ([`StoreError::AccountDisabled`]), but only after a correct
    /// password. Every failure and refusal writes an audit row; a successful login writes
    /// none, and resets the count (a login without earlier failures changes nothing).
    pub fn authenticate(
        &self,
        username: &str,
        password_text: &str,
        workstation: &str,
    ) -> Result<Session> {
        let now = self.clock().now();
        let name = username.trim().to_lowercase();
        // An encrypted file is opened by the first login: the password unseals the key.
        #[cfg(feature = "encryption")]
        self.unlock(&name, password_text)?;
        let outcome = self.write_shared(|tx| {
            let account = tx
                .query_row(
                    "SELECT id, username, role, team_id, password_hash, disabled, login_blocked_until,
                            failed_logins
                     FROM user WHERE username = ?1",
                    [&name],
                    |r| {
                        Ok((
                            Account {
                                id: r.get(0)?,
                                username: r.get(1)?,
                                role: r.get(2)?,
                                team_id: r.get(3)?,
                                hash: r.get(4)?,
                                disabled: r.get(5)?,
                                blocked_until: r.get(6)?,
                            },
                            r.get::<_, u32>(7)?,
                        ))
                    },
                )
                .optional()?;
            let (failures, blocked_until) = match &account {
                Some((a, failures)) => (*failures, a.blocked_until.clone()),
                None => tx
                    .query_row(
                        "SELECT failed_logins, blocked_until FROM login_attempt WHERE username = ?1",
                        [&name],
                        |r| Ok((r.get::<_, u32>(0)?, r.get::<_, Option<String>>(1)?)),
                    )
                    .optional()?
                    .unwrap_or((0, None)),
            };
            let (actor, id) = match &account {
                Some((a, _)) => (account_actor(a, workstation), Some(a.id)),
                None => (unknown_actor(workstation), None),
            };
            if let Some(wait_seconds) = blocked_for(blocked_until.as_deref(), now) {
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
            let hash = account.as_ref().map_or(DUMMY_HASH, |(a, _)| a.hash.as_str());
            let correct = password::verify_password(password_text, hash);
            match account {
                Some((account, failures)) if correct => {
                    if failures != 0 || account.blocked_until.is_some() {
                        tx.execute(
                            "UPDATE user SET failed_logins = 0, login_blocked_until = NULL
                             WHERE id = ?1",
                            [account.id],
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
                    Ok(Ok(account))
                }
                account => {
                    let failures = failures.saturating_add(1);
                    let delay = login_delay(failures);
                    let until = (delay > Duration::zero()).then(|| stamp(now + delay));
                    let detail = if account.is_some() {
                        tx.execute(
                            "UPDATE user SET failed_logins = ?1, last_failed_at = ?2,
                                    login_blocked_until = coalesce(?3, login_blocked_until)
                             WHERE username = ?4",
                            params![failures, stamp(now), until, name],
                        )?;
                        format!("mislukt: onjuist wachtwoord ({failures}e keer)")
                    } else {
                        tx.execute(
                            "INSERT INTO login_attempt (username, failed_logins, blocked_until)
                             VALUES (?1, ?2, ?3)
                             ON CONFLICT (username) DO UPDATE SET
                                 failed_logins = excluded.failed_logins,
                                 blocked_until = coalesce(excluded.blocked_until, blocked_until)",
                            params![name, failures, until],
                        )?;
                        format!("mislukt: onbekende gebruiker ({failures}e keer)")
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
        let account = outcome?;
        Ok(Session {
            user_id: account.id,
            username: account.username,
            role: parse_role(&account.role)?,
            team_id: account.team_id,
            workstation: workstation.to_string(),
            on_behalf_of: None,
        })
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
        let key_wrap = self.key_wrap()?;
        self.write(|tx| {
            let id = user_id_by_name(tx, &name)?.ok_or_else(|| unknown_user(&name))?;
            tx.execute(
                "UPDATE user SET password_hash = ?1, failed_logins = 0, login_blocked_until = NULL
                 WHERE id = ?2",
                params![hash, id],
            )?;
            audit::append(tx, now, &actor, &user_event(id, "wachtwoord gewijzigd"))?;
            // Only this user's entry in the key file changes; the database keeps its key.
            if let Some(wrap) = &key_wrap {
                wrap.wrap(&name, &hash)?;
            }
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
                tx.execute("UPDATE user SET disabled = 1 WHERE id = ?1", [id])?;
            } else {
                tx.execute(
                    "UPDATE user SET disabled = 0, failed_logins = 0, login_blocked_until = NULL
                     WHERE id = ?1",
                    [id],
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
