//! A user to be created.

use crate::domain::user::Role;

/// A user to be created.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    /// Login name (validated and lower-cased here).
    pub username: &'a str,
    /// Display name; the login name when empty.
    pub display_name: &'a str,
    /// Role.
    pub role: Role,
    /// Team name, for roles that need one.
    pub team: Option<&'a str>,
    /// Phone shown on plans.
    pub phone: Option<&'a str>,
    /// The initial password.
    pub password: &'a str,
}
