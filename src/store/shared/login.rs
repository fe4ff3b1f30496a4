//! The rules of logging in that both backends apply alike: the delay after failed logins, the
//! audit events of logins and account changes, the answer that never tells an unknown name
//! from a wrong password, and how a role is read back.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use crate::domain::Invalid;
use crate::domain::user::Role;
use crate::store::audit::{Action, AuditActor, AuditEvent};
use crate::store::{Missing, Result, StoreError};

/// Failed logins in a row after which an account has to wait.
pub const FREE_ATTEMPTS: u32 = 5;

/// The wait after the [`FREE_ATTEMPTS`]th failure; it doubles with every further failure.
pub const FIRST_DELAY_SECONDS: i64 = 30;

/// The longest wait.
pub const MAX_DELAY_SECONDS: i64 = 60 * 60;

/// How long an account waits after `failures` failed logins in a row: nothing before
/// [`FREE_ATTEMPTS`], then 30 s, 1 min, 2 min, … up to an hour.
pub fn login_delay(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20);
    let seconds = FIRST_DELAY_SECONDS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_DELAY_SECONDS);
    Duration::seconds(seconds)
}

pub(crate) fn refused() -> StoreError {
    StoreError::Invalid(Invalid::new(
        "password",
        "Onbekende gebruiker of onjuist wachtwoord.",
        "Unknown user or wrong password.",
    ))
}

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn login_event(user_id: Option<i64>, detail: String) -> AuditEvent {
    AuditEvent {
        action: Action::Login,
        object: "user",
        object_id: user_id,
        household_id: None,
        person_id: None,
        detail: Some(detail),
    }
}

pub(crate) fn user_event(user_id: i64, detail: &str) -> AuditEvent {
    AuditEvent {
        action: Action::Update,
        object: "user",
        object_id: Some(user_id),
        household_id: None,
        person_id: None,
        detail: Some(detail.to_string()),
    }
}

pub(crate) fn blocked_for(until: Option<&str>, now: DateTime<Utc>) -> Option<u64> {
    let until = DateTime::parse_from_rfc3339(until?)
        .ok()?
        .with_timezone(&Utc);
    (until > now).then(|| {
        u64::try_from((until - now).num_milliseconds().max(0))
            .unwrap_or(0)
            .div_ceil(1000)
    })
}

pub(crate) fn unknown_actor(workstation: &str) -> AuditActor {
    AuditActor {
        user_id: None,
        username: "(onbekend)".into(),
        role: "-".into(),
        workstation: workstation.to_string(),
        on_behalf_of: None,
    }
}

pub(crate) fn unknown_user(name: &str) -> StoreError {
    StoreError::NotFound(Missing::Username(name.to_string()))
}

/// How a new user's password is checked and hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasswordRule<'a> {
    /// The real policy (at least 10 characters); hashed with its own salt.
    Policy,
    /// Demo accounts with the documented password `demo`: one hash made once is reused, since
    /// a salt protects nothing when the password is public.
    DemoHash(&'a str),
}

/// A valid argon2id hash of a random password, verified against for unknown users.
pub(crate) const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3b2mxVKt3cLmGvYwZt6bKpc4Y7s0zV1GLhN2cGzHqFQ";

pub(crate) fn parse_role(code: &str) -> Result<Role> {
    code.parse::<Role>()
        .map_err(|_| super::codec::corrupt("user", "role", code))
}

/// How many contacts to look back over for a user's habits.
pub const HABIT_WINDOW: u32 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_starts_at_the_fifth_failure_and_doubles_up_to_an_hour() {
        assert_eq!(login_delay(4), Duration::zero());
        assert_eq!(login_delay(5), Duration::seconds(30));
        assert_eq!(login_delay(6), Duration::seconds(60));
        assert_eq!(login_delay(7), Duration::seconds(120));
        assert_eq!(login_delay(40), Duration::seconds(MAX_DELAY_SECONDS));
    }
}
