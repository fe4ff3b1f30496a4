//! Users (medewerkers), teams and roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::invalid::{Invalid, required_text};

/// What a user may do. A user has exactly one role.
///
/// - `Professional`: a buurtteam professional (generalist) working with households of their own team.
/// - `Backoffice`: administrative work on provisions (voorzieningen), beschikkingen and toewijzingen.
/// - `Teamleider`: team lead; aggregated figures and regisseur assignment, no household content.
/// - `Beheerder`: administrator; users, teams, catalogues; no household content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Buurtteam professional.
    Professional,
    /// Backoffice.
    Backoffice,
    /// Teamleider (team lead).
    Teamleider,
    /// Beheerder (administrator).
    Beheerder,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 4] = [
        Role::Professional,
        Role::Backoffice,
        Role::Teamleider,
        Role::Beheerder,
    ];

    /// The code stored in the database and used on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Professional => "professional",
            Role::Backoffice => "backoffice",
            Role::Teamleider => "teamleider",
            Role::Beheerder => "beheerder",
        }
    }

    /// Whether users of this role belong to a team (and so must have one).
    pub fn needs_team(self) -> bool {
        matches!(self, Role::Professional | Role::Teamleider)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == wanted)
            .ok_or_else(|| {
                Invalid::new(
                    "role",
                    format!(
                        "Onbekende rol '{}'. Kies uit: professional, backoffice, teamleider, beheerder.",
                        s.trim()
                    ),
                    format!(
                        "Unknown role '{}'. Choose one of: professional, backoffice, teamleider, beheerder.",
                        s.trim()
                    ),
                )
            })
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password against the policy (at least [`MIN_PASSWORD_CHARS`] characters).
pub fn check_new_password(password: &str) -> Result<(), Invalid> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(Invalid::new(
            "password",
            format!("Het wachtwoord is te kort: {n} tekens, minstens {MIN_PASSWORD_CHARS}."),
            format!("The password is too short: {n} characters, at least {MIN_PASSWORD_CHARS}."),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(too_long_password());
    }
    Ok(())
}

/// The longest password accepted: longer input is refused before it is hashed.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// The refusal of a password longer than [`MAX_PASSWORD_CHARS`].
pub fn too_long_password() -> Invalid {
    Invalid::new(
        "password",
        format!(
            "Het wachtwoord is te lang: meer dan {MAX_PASSWORD_CHARS} tekens. Er is niets veranderd."
        ),
        format!(
            "The password is too long: more than {MAX_PASSWORD_CHARS} characters. Nothing was changed."
        ),
    )
}

/// Validates a login name: 2–32 characters, lower-case letters, digits, `.`, `-`, `_`;
/// returns it lower-cased.
pub fn validate_username(name: &str) -> Result<String, Invalid> {
    let name = name.trim().to_lowercase();
    let n = name.chars().count();
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if !(2..=32).contains(&n) || !ok_chars || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(Invalid::new(
            "username",
            format!(
                "Ongeldige gebruikersnaam '{name}': 2 tot 32 tekens, begint met een letter, alleen a-z, 0-9, punt, streepje of liggend streepje."
            ),
            format!(
                "Invalid user name '{name}': 2 to 32 characters, starting with a letter, only a-z, 0-9, dot, dash or underscore."
            ),
        ));
    }
    Ok(name)
}

/// Validates a team name (1–60 characters, trimmed).
pub fn validate_team_name(name: &str) -> Result<String, Invalid> {
    required_text("team", "Teamnaam", "Team name", name, 60)
}

/// A user as the rest of the app sees it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown to others ("Anna de Boer").
    pub display_name: String,
    /// The user's role.
    pub role: Role,
    /// The team, for roles that have one.
    pub team_id: Option<i64>,
    /// The team's name.
    pub team_name: Option<String>,
    /// Phone number shown on the plan ("Je regisseur").
    pub phone: Option<String>,
    /// A disabled user cannot log in.
    pub disabled: bool,
}

/// A team (buurtteam), usually one per wijk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Team {
    /// Database id.
    pub id: i64,
    /// Name, e.g. "Overvecht".
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_case_insensitively_and_reject_unknown_in_dutch() {
        assert_eq!("Backoffice".parse::<Role>(), Ok(Role::Backoffice));
        let err = "admin".parse::<Role>().unwrap_err();
        assert!(err.nl.contains("Onbekende rol 'admin'"), "{}", err.nl);
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(r));
        }
    }

    #[test]
    fn password_needs_ten_characters() {
        assert!(check_new_password("korter9ch").is_err());
        assert!(check_new_password("precies10!").is_ok());
        assert!(check_new_password("ééééééééé").is_err());
    }

    #[test]
    fn usernames_are_lowercased_and_restricted() {
        assert_eq!(validate_username(" Anna "), Ok("anna".to_string()));
        assert!(validate_username("a").is_err());
        assert!(validate_username("1anna").is_err());
        assert!(validate_username("an na").is_err());
    }
}
