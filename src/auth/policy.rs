//! The access policy: which role may do what, on which household. The store calls it before
//! every read or write, so no screen or command can bypass it.

use super::Session;
use crate::domain::user::Role;

/// Something a user asks the store to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// See a household's content (members, ZRM, agreements, flags, goals, contacts).
    ReadHousehold,
    /// Change a household's content or create one.
    WriteHousehold,
    /// Find households.
    FindHouseholds,
    /// Create, change or disable users and teams.
    ManageUsers,
    /// List users.
    ListUsers,
    /// Make a backup of the whole database or restore one over it.
    ManageDatabase,
}

impl Operation {
    /// What the operation is, in Dutch, for refusals.
    pub fn describe(self) -> &'static str {
        match self {
            Operation::ReadHousehold => "een huishouden inzien",
            Operation::WriteHousehold => "een huishouden wijzigen",
            Operation::FindHouseholds => "huishoudens zoeken",
            Operation::ManageUsers => "medewerkers en teams beheren",
            Operation::ListUsers => "medewerkers bekijken",
            Operation::ManageDatabase => "back-ups maken en terugzetten",
        }
    }
}

/// Whether `role` may do `op` at all (before any team check).
pub fn role_allows(role: Role, op: Operation) -> bool {
    use Operation::*;
    match role {
        Role::Professional => matches!(op, ReadHousehold | WriteHousehold | FindHouseholds),
        Role::Backoffice => matches!(op, FindHouseholds),
        Role::Teamleider => matches!(op, ListUsers),
        Role::Beheerder => matches!(op, ManageUsers | ListUsers | ManageDatabase),
    }
}

/// Whether the session may do `op` on a household of `household_team`.
///
/// Professionals only work on households of their own team.
pub fn allows(session: &Session, op: Operation, household_team: Option<i64>) -> bool {
    if !role_allows(session.role, op) {
        return false;
    }
    match (session.role, household_team) {
        (Role::Professional, Some(team)) => session.team_id == Some(team),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(role: Role, team: Option<i64>) -> Session {
        Session {
            user_id: 1,
            username: "x".into(),
            role,
            team_id: team,
            workstation: "ws".into(),
            on_behalf_of: None,
        }
    }

    #[test]
    fn professionals_see_only_their_own_team() {
        let anna = session(Role::Professional, Some(1));
        assert!(allows(&anna, Operation::ReadHousehold, Some(1)));
        assert!(!allows(&anna, Operation::ReadHousehold, Some(2)));
        assert!(!allows(&anna, Operation::ManageUsers, None));
    }

    #[test]
    fn beheerder_manages_users_but_sees_no_household_content() {
        let beheer = session(Role::Beheerder, None);
        assert!(allows(&beheer, Operation::ManageUsers, None));
        assert!(!allows(&beheer, Operation::ReadHousehold, Some(1)));
    }
}
