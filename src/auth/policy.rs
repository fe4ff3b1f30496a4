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
    /// See the aggregated steering figures (never single households).
    ReadReport,
    /// See only the provisions part of the steering figures.
    ReadProvisionReport,
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
            Operation::ReadReport => "stuurcijfers bekijken",
            Operation::ReadProvisionReport => "cijfers over voorzieningen bekijken",
        }
    }
}

/// Whether `role` may do `op` at all (before any team check).
pub fn role_allows(role: Role, op: Operation) -> bool {
    use Operation::*;
    match role {
        Role::Professional => matches!(
            op,
            ReadHousehold | WriteHousehold | FindHouseholds | ReadReport | ReadProvisionReport
        ),
        Role::Backoffice => matches!(op, FindHouseholds | ReadProvisionReport),
        Role::Teamleider => matches!(op, ListUsers | ReadReport | ReadProvisionReport),
        Role::Beheerder => matches!(
            op,
            ManageUsers | ListUsers | ReadReport | ReadProvisionReport
        ),
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

/// Which steering figures a session may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportScope {
    /// Every team, every section.
    AllTeams,
    /// One team, every section.
    Team(i64),
    /// Only the provisions figures, of one team or (`None`) of all teams.
    ProvisionsOnly(Option<i64>),
}

/// Decides the scope of a steering report asked for `requested_team` (`None`: no `--team`):
/// teamleider and professional see their own team; beheerder any team or all teams;
/// backoffice only the provisions figures. `None` means refused.
pub fn report_scope(session: &Session, requested_team: Option<i64>) -> Option<ReportScope> {
    match session.role {
        Role::Beheerder => Some(requested_team.map_or(ReportScope::AllTeams, ReportScope::Team)),
        Role::Teamleider | Role::Professional => {
            let own = session.team_id?;
            match requested_team {
                None => Some(ReportScope::Team(own)),
                Some(t) if t == own => Some(ReportScope::Team(own)),
                Some(_) => None,
            }
        }
        Role::Backoffice => Some(ReportScope::ProvisionsOnly(requested_team)),
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

    #[test]
    fn report_scope_follows_the_role() {
        let own = Some(1);
        let dirk = session(Role::Teamleider, own);
        assert_eq!(report_scope(&dirk, None), Some(ReportScope::Team(1)));
        assert_eq!(report_scope(&dirk, Some(1)), Some(ReportScope::Team(1)));
        assert_eq!(report_scope(&dirk, Some(2)), None);
        let anna = session(Role::Professional, own);
        assert_eq!(report_scope(&anna, Some(2)), None);
        let beheer = session(Role::Beheerder, None);
        assert_eq!(report_scope(&beheer, None), Some(ReportScope::AllTeams));
        assert_eq!(report_scope(&beheer, Some(2)), Some(ReportScope::Team(2)));
        let carla = session(Role::Backoffice, None);
        assert_eq!(
            report_scope(&carla, None),
            Some(ReportScope::ProvisionsOnly(None))
        );
        assert!(!role_allows(Role::Backoffice, Operation::ReadReport));
        assert!(role_allows(
            Role::Backoffice,
            Operation::ReadProvisionReport
        ));
    }
}
