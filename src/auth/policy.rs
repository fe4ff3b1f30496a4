//! The access policy: which role may do what, on which household. The store calls it before
//! every read or write, so no screen or command can bypass it.
//!
//! | operation | professional | backoffice | teamleider | beheerder |
//! |---|---|---|---|---|
//! | find households | own team | all | – | – |
//! | read household content | own team | – | – | – |
//! | read administrative data | own team | all | – | – |
//! | write household content | own team | – | – | – |
//! | write administrative data | own team | all | – | – |
//! | export a household (AVG) | own team | – | – | – |
//! | read a household's access log | own team | – | – | all |
//! | reassign the regisseur | own team | – | own team | – |
//! | aggregated figures | own team | all | own team | all |
//! | list users and teams | – | – | yes | yes |
//! | manage users and teams | – | – | – | yes |
//! | read a user's audit trail | – | – | – | yes |
//! | retention and erasure | – | – | – | yes |
//! | decide on provisions (beschikking, toewijzing, SVB, CAK) | – | all | – | – |
//! | manage providers and contracts | – | all | – | – |
//! | backup and restore the database | – | – | – | yes |
//! | import flags from municipal systems | – | all | – | – |
//!
//! "Own team": a household of another team does not exist for that user (not found, not even in
//! the finder). Every user may change their own password.

use super::Session;
use crate::domain::user::Role;

/// Something a user asks the store to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Find households (the finder, a BSN lookup).
    FindHouseholds,
    /// See a household's content: contacts and their notes, ZRM, agreements, flags, plan goals.
    ReadHousehold,
    /// See a household's administrative data: NAW, BSN, phone, consents, provisions, providers
    /// and contracts.
    ReadAdministration,
    /// Change a household's content or create one.
    WriteHousehold,
    /// Change a household's administrative data (members' NAW, BSN, phone; provisions).
    WriteAdministration,
    /// Export everything about one household (AVG inzage and portability).
    ExportHousehold,
    /// Read who accessed one household (the inzageverzoek).
    ReadAccessLog,
    /// Give a household another regisseur.
    ReassignRegisseur,
    /// Aggregated figures (never single households).
    ReadFigures,
    /// List users and teams.
    ListUsers,
    /// Create, change or disable users and teams; set another user's password.
    ManageUsers,
    /// Read one user's audit trail (privacy officer).
    ReadUserTrail,
    /// List households due for erasure and erase them.
    ManageRetention,
    /// Decide on provisions: beschikking, toewijzing, SVB and CAK administration, ending.
    DecideProvision,
    /// Register providers and their contracts.
    ManageProviders,
    /// Make a backup of the whole database or restore one over it.
    ManageDatabase,
    /// Set and end "dat"-flags on households from a municipal system's file (by BSN). The
    /// backoffice may, though it cannot set a flag by hand or read a household's content: the
    /// import writes only that a flag is on or ended, and reads nothing back.
    ImportFlags,
}

impl Operation {
    /// Every operation, in the order of the matrix.
    pub const ALL: [Operation; 17] = [
        Operation::FindHouseholds,
        Operation::ReadHousehold,
        Operation::ReadAdministration,
        Operation::WriteHousehold,
        Operation::WriteAdministration,
        Operation::ExportHousehold,
        Operation::ReadAccessLog,
        Operation::ReassignRegisseur,
        Operation::ReadFigures,
        Operation::ListUsers,
        Operation::ManageUsers,
        Operation::ReadUserTrail,
        Operation::ManageRetention,
        Operation::DecideProvision,
        Operation::ManageProviders,
        Operation::ManageDatabase,
        Operation::ImportFlags,
    ];

    /// What the operation is, in Dutch, for refusals.
    pub fn describe(self) -> &'static str {
        match self {
            Operation::FindHouseholds => "huishoudens zoeken",
            Operation::ReadHousehold => "de inhoud van een huishouden inzien",
            Operation::ReadAdministration => {
                "de administratieve gegevens van een huishouden inzien"
            }
            Operation::WriteHousehold => "een huishouden wijzigen",
            Operation::WriteAdministration => {
                "de administratieve gegevens van een huishouden wijzigen"
            }
            Operation::ExportHousehold => "de gegevens van een huishouden exporteren",
            Operation::ReadAccessLog => "het inzageoverzicht van een huishouden bekijken",
            Operation::ReassignRegisseur => "de regisseur van een huishouden wijzigen",
            Operation::ReadFigures => "stuurcijfers bekijken",
            Operation::ListUsers => "medewerkers bekijken",
            Operation::ManageUsers => "medewerkers en teams beheren",
            Operation::ReadUserTrail => "het auditspoor van een medewerker bekijken",
            Operation::ManageRetention => "bewaartermijnen beheren en huishoudens wissen",
            Operation::DecideProvision => "over voorzieningen beslissen",
            Operation::ManageProviders => "aanbieders en contracten beheren",
            Operation::ManageDatabase => "back-ups maken en terugzetten",
            Operation::ImportFlags => "signalen uit gemeentelijke systemen inlezen",
        }
    }

    /// What the operation is, in English.
    pub fn describe_en(self) -> &'static str {
        match self {
            Operation::FindHouseholds => "find households",
            Operation::ReadHousehold => "see a household's content",
            Operation::ReadAdministration => "see a household's administrative data",
            Operation::WriteHousehold => "change a household",
            Operation::WriteAdministration => "change a household's administrative data",
            Operation::ExportHousehold => "export a household's data",
            Operation::ReadAccessLog => "see a household's access log",
            Operation::ReassignRegisseur => "change a household's regisseur",
            Operation::ReadFigures => "see steering figures",
            Operation::ListUsers => "list users",
            Operation::ManageUsers => "manage users and teams",
            Operation::ReadUserTrail => "see a user's audit trail",
            Operation::ManageRetention => "manage retention and erase households",
            Operation::DecideProvision => "decide on provisions",
            Operation::ManageProviders => "manage providers and contracts",
            Operation::ManageDatabase => "make and restore backups",
            Operation::ImportFlags => "import flags from municipal systems",
        }
    }

    /// A short stable code, used in the audit log of refusals.
    pub fn code(self) -> &'static str {
        match self {
            Operation::FindHouseholds => "find",
            Operation::ReadHousehold => "read",
            Operation::ReadAdministration => "read_admin",
            Operation::WriteHousehold => "write",
            Operation::WriteAdministration => "write_admin",
            Operation::ExportHousehold => "export",
            Operation::ReadAccessLog => "access_log",
            Operation::ReassignRegisseur => "reassign",
            Operation::ReadFigures => "figures",
            Operation::ListUsers => "list_users",
            Operation::ManageUsers => "manage_users",
            Operation::ReadUserTrail => "user_trail",
            Operation::ManageRetention => "retention",
            Operation::DecideProvision => "decide_provision",
            Operation::ManageProviders => "providers",
            Operation::ManageDatabase => "database",
            Operation::ImportFlags => "import_flags",
        }
    }
}

/// How far a role's permission for an operation reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Not at all.
    None,
    /// Households of the user's own team only.
    OwnTeam,
    /// Everything.
    All,
}

/// The matrix: how far `role` may do `op`.
pub fn scope(role: Role, op: Operation) -> Scope {
    use Operation::*;
    match (role, op) {
        (
            Role::Professional,
            FindHouseholds | ReadHousehold | ReadAdministration | WriteHousehold
            | WriteAdministration | ExportHousehold | ReadAccessLog | ReassignRegisseur
            | ReadFigures,
        ) => Scope::OwnTeam,
        (
            Role::Backoffice,
            FindHouseholds | ReadAdministration | WriteAdministration | ReadFigures
            | DecideProvision | ManageProviders | ImportFlags,
        ) => Scope::All,
        (Role::Teamleider, ReassignRegisseur | ReadFigures) => Scope::OwnTeam,
        (Role::Teamleider, ListUsers) => Scope::All,
        (
            Role::Beheerder,
            ReadAccessLog | ReadFigures | ListUsers | ManageUsers | ReadUserTrail | ManageRetention
            | ManageDatabase,
        ) => Scope::All,
        _ => Scope::None,
    }
}

/// Whether `role` may do `op` at all (before any team check).
pub fn role_allows(role: Role, op: Operation) -> bool {
    scope(role, op) != Scope::None
}

/// Whether the session may do `op` on a household (or team) `household_team`; `None` when
/// the operation concerns no one household.
pub fn allows(session: &Session, op: Operation, household_team: Option<i64>) -> bool {
    match (scope(session.role, op), household_team) {
        (Scope::None, _) => false,
        (Scope::OwnTeam, Some(team)) => session.team_id == Some(team),
        _ => true,
    }
}

/// Why an operation on a household is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The role may not do this at all: say so.
    Denied,
    /// The household is outside the user's team: for them it does not exist.
    Hidden,
}

/// Whether the session may do `op` on a household of `household_team`, and if not, how the
/// refusal is worded.
pub fn check(session: &Session, op: Operation, household_team: i64) -> Result<(), Refusal> {
    match scope(session.role, op) {
        Scope::None => Err(Refusal::Denied),
        Scope::OwnTeam if session.team_id != Some(household_team) => Err(Refusal::Hidden),
        _ => Ok(()),
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

/// Decides the scope of a steering report asked for `requested_team` (`None`: no `--team`),
/// from the matrix row "aggregated figures": own team for professional and teamleider (another
/// team is refused), every team for beheerder and backoffice, and backoffice only the
/// provisions figures. `None` means refused.
pub fn report_scope(session: &Session, requested_team: Option<i64>) -> Option<ReportScope> {
    match scope(session.role, Operation::ReadFigures) {
        Scope::None => None,
        Scope::OwnTeam => {
            let own = session.team_id?;
            match requested_team {
                None => Some(ReportScope::Team(own)),
                Some(t) if t == own => Some(ReportScope::Team(own)),
                Some(_) => None,
            }
        }
        Scope::All if session.role == Role::Backoffice => {
            Some(ReportScope::ProvisionsOnly(requested_team))
        }
        Scope::All => Some(requested_team.map_or(ReportScope::AllTeams, ReportScope::Team)),
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
        assert_eq!(
            check(&anna, Operation::ReadHousehold, 2),
            Err(Refusal::Hidden)
        );
        assert!(!allows(&anna, Operation::ManageUsers, None));
    }

    #[test]
    fn beheerder_manages_users_but_sees_no_household_content() {
        let beheer = session(Role::Beheerder, None);
        assert!(allows(&beheer, Operation::ManageUsers, None));
        assert!(!allows(&beheer, Operation::ReadHousehold, Some(1)));
        assert_eq!(
            check(&beheer, Operation::ReadAdministration, 1),
            Err(Refusal::Denied)
        );
    }

    #[test]
    fn backoffice_reads_administration_of_every_team_but_no_content() {
        let carla = session(Role::Backoffice, None);
        assert_eq!(check(&carla, Operation::ReadAdministration, 7), Ok(()));
        assert_eq!(
            check(&carla, Operation::ReadHousehold, 7),
            Err(Refusal::Denied)
        );
    }

    #[test]
    fn teamleider_reassigns_within_own_team_only() {
        let dirk = session(Role::Teamleider, Some(1));
        assert_eq!(check(&dirk, Operation::ReassignRegisseur, 1), Ok(()));
        assert_eq!(
            check(&dirk, Operation::ReassignRegisseur, 2),
            Err(Refusal::Hidden)
        );
        assert_eq!(
            check(&dirk, Operation::ReadHousehold, 1),
            Err(Refusal::Denied)
        );
    }

    #[test]
    fn every_operation_has_distinct_codes() {
        let mut codes: Vec<_> = Operation::ALL.iter().map(|o| o.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Operation::ALL.len());
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
    }
}
