//! Which keys a role is offered: the status bar, help and the palette leave out what the role
//! may not do (no `w` for a professional, no `c a z f` for the backoffice, no `/` for a
//! teamleider), decided by the same policy the store enforces.

use super::keymap::Action;
use crate::auth::policy::{Operation, role_allows};
use crate::domain::user::Role;

/// What the store must allow for `action` to mean anything; `None` for keys every role has
/// (moving, help, back, lock, saving a form that is already open).
pub fn needs(action: Action) -> Option<&'static [Operation]> {
    use Operation::*;
    Some(match action {
        Action::Find => &[FindHouseholds],
        Action::Worklists
        | Action::Requests
        | Action::GrantRequest
        | Action::RefuseRequest
        | Action::ImportMessages => &[DecideProvision],
        Action::Providers | Action::NewProvider | Action::NewContract => &[ManageProviders],
        Action::Reports => &[ReadFigures],
        Action::NewHousehold
        | Action::Contact
        | Action::Agreement
        | Action::Done
        | Action::CancelAgreement
        | Action::Zrm
        | Action::Flag
        | Action::Goal
        | Action::CloseHousehold => &[WriteHousehold],
        Action::Together => &[ReadHousehold],
        Action::Plan => &[ExportHousehold],
        Action::Member | Action::Provision => &[WriteAdministration],
        Action::Edit | Action::Undo => &[WriteHousehold, WriteAdministration],
        Action::Regisseur => &[ReassignRegisseur],
        _ => return None,
    })
}

/// Whether `role` is offered `action` (before login everything the login screen has is).
pub fn offered(role: Option<Role>, action: Action) -> bool {
    match (role, needs(action)) {
        (Some(role), Some(ops)) => ops.iter().any(|op| role_allows(role, *op)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_is_offered_only_what_it_may_do() {
        let p = Some(Role::Professional);
        let b = Some(Role::Backoffice);
        let t = Some(Role::Teamleider);
        assert!(!offered(p, Action::Worklists), "no w for a professional");
        assert!(!offered(p, Action::Requests), "no v for a professional");
        assert!(offered(b, Action::Requests) && offered(b, Action::GrantRequest));
        assert!(offered(p, Action::Contact) && offered(p, Action::Find));
        for a in [
            Action::Contact,
            Action::Agreement,
            Action::Zrm,
            Action::Flag,
        ] {
            assert!(!offered(b, a), "no {a:?} for the backoffice");
        }
        assert!(offered(b, Action::Member) && offered(b, Action::Worklists));
        assert!(!offered(t, Action::Find), "no / for a teamleider");
        assert!(offered(t, Action::Reports) && offered(t, Action::Help));
    }
}
