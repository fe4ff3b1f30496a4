//! How both backends name what a change is and what went wrong with it: the policy's
//! operation of a change, and the errors and audit events of a refused or missing record.

use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::provision::Provision;
use crate::model::changes::{Change, Undo};
use crate::model::imports::RowError;
use crate::store::audit::{Action, AuditEvent};
use crate::store::{Missing, StoreError};

/// What the policy calls a change: members are administrative data (backoffice may keep
/// them), the regisseur has its own operation, everything else is the household's content.
pub(crate) fn operation(change: &Change) -> Operation {
    match change {
        Change::AddMember(_)
        | Change::EditMember { .. }
        | Change::RequestProvision(_)
        | Change::Undo(
            Undo::RemoveMember(_) | Undo::RestoreMember { .. } | Undo::RemoveProvision(_),
        ) => Operation::WriteAdministration,
        Change::Regisseur(_) | Change::Undo(Undo::Regisseur(_)) => Operation::ReassignRegisseur,
        _ => Operation::WriteHousehold,
    }
}

pub(crate) fn gone() -> StoreError {
    Invalid::new(
        "undo",
        "Dit gegeven bestaat niet meer in dit huishouden.",
        "This record no longer exists in this household.",
    )
    .into()
}

pub(crate) fn not_open() -> StoreError {
    Invalid::new(
        "status",
        "Deze afspraak is niet meer open.",
        "This agreement is no longer open.",
    )
    .into()
}

pub(crate) fn not_found(household_id: i64) -> StoreError {
    StoreError::NotFound(Missing::Household(household_id))
}

/// The refusal of `op` for this session's role.
pub(crate) fn denied(session: &Session, op: Operation) -> StoreError {
    StoreError::Denied {
        role: session.role,
        refused: crate::store::Refused::Operation(op),
    }
}

/// The audit event of a refused operation on a household.
pub(crate) fn refused_event(op: Operation, household_id: i64) -> AuditEvent {
    AuditEvent::household(Action::Refused, "household", household_id, household_id)
        .with_detail(op.code())
}

/// Prefixes a refusal with the provision it is about.
pub(crate) fn named(e: StoreError, p: &Provision) -> StoreError {
    match e {
        StoreError::Invalid(i) => Invalid::new(
            i.field,
            format!("Voorziening {} (product {}): {}", p.id, p.product, i.nl),
            format!("Provision {} (product {}): {}", p.id, p.product, i.en),
        )
        .into(),
        other => other,
    }
}

pub(crate) fn refused(errors: &[RowError]) -> StoreError {
    let Some(first) = errors.first() else {
        return Invalid::new("import", "Niets ingelezen.", "Nothing imported.").into();
    };
    let more = errors.len() - 1;
    let (nl_more, en_more) = if more > 0 {
        (
            format!(" (en nog {more} rij(en))"),
            format!(" (and {more} more row(s))"),
        )
    } else {
        (String::new(), String::new())
    };
    Invalid::new(
        "import",
        format!(
            "Niets ingelezen: regel {}, kolom {}: {}{nl_more}",
            first.line, first.column, first.nl
        ),
        format!(
            "Nothing imported: line {}, column {}: {}{en_more}",
            first.line, first.column, first.en
        ),
    )
    .into()
}
