//! Every change the dashboard can make to a household, and how to take it back.

use crate::domain::agreement::AgreementFields;
use crate::domain::contact::ContactFields;
use crate::domain::goal::GoalStatus;
use crate::domain::household::PersonFields;
use crate::domain::provision::ProvisionFields;
use crate::domain::zrm::Scores;
use crate::model::dashboard::Dashboard;
use chrono::NaiveDate;

/// A change to one household.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Record a contact (contactmoment).
    Contact(ContactFields),
    /// Add an agreement.
    AddAgreement(AgreementFields),
    /// Change an open agreement.
    EditAgreement {
        /// The agreement.
        id: i64,
        /// The version that was shown: refused when the agreement changed since.
        version: i64,
        /// Its new values.
        fields: AgreementFields,
    },
    /// Mark an open agreement done.
    CompleteAgreement {
        /// The agreement.
        id: i64,
        /// The date.
        on: NaiveDate,
    },
    /// Cancel an open agreement with a reason.
    CancelAgreement {
        /// The agreement.
        id: i64,
        /// The date.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Record a ZRM assessment of a member.
    Zrm {
        /// The member.
        person_id: i64,
        /// The date.
        on: NaiveDate,
        /// The scores.
        scores: Scores,
    },
    /// Set a flag of a catalogue kind.
    SetFlag {
        /// The catalogue key.
        kind: String,
        /// Since when.
        since: NaiveDate,
    },
    /// End an active flag with a reason (flags are never deleted).
    EndFlag {
        /// The flag.
        id: i64,
        /// The date.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Add a plan goal.
    AddGoal(GoalFields),
    /// Change a plan goal.
    EditGoal {
        /// The goal.
        id: i64,
        /// The version that was shown: refused when the goal changed since.
        version: i64,
        /// Its new values.
        fields: GoalFields,
    },
    /// Add a member.
    AddMember(PersonFields),
    /// Change a member.
    EditMember {
        /// The member.
        id: i64,
        /// The version that was shown: refused when the member changed since.
        version: i64,
        /// The new values.
        fields: PersonFields,
    },
    /// Close the household with a reason.
    Close {
        /// The date.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Reopen a closed household.
    Reopen,
    /// Make another user of the household's team its regisseur.
    Regisseur(i64),
    /// Request a provision for a member.
    RequestProvision(ProvisionFields),
    /// Undo an earlier change.
    Undo(Undo),
}

/// A plan goal's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalFields {
    /// The goal in plain language.
    pub goal: String,
    /// Optional ZRM domain key.
    pub zrm_domain: Option<String>,
    /// Status.
    pub status: GoalStatus,
}

/// How to take back one applied change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// Remove a contact recorded by mistake.
    RemoveContact(i64),
    /// Remove an agreement added by mistake.
    RemoveAgreement(i64),
    /// Put back an agreement's earlier values.
    RestoreAgreement {
        /// The agreement.
        id: i64,
        /// Its earlier values.
        fields: AgreementFields,
    },
    /// Make a done or cancelled agreement open again.
    ReopenAgreement(i64),
    /// Remove a ZRM assessment recorded by mistake.
    RemoveZrm(i64),
    /// Remove a flag set by mistake: it was never true, so it leaves no ended flag behind
    /// (which the figures would count); the audit log keeps both rows.
    RemoveFlag(i64),
    /// Make an ended flag active again.
    ReopenFlag(i64),
    /// Remove a goal added by mistake.
    RemoveGoal(i64),
    /// Put back a goal's earlier values.
    RestoreGoal {
        /// The goal.
        id: i64,
        /// Its earlier values.
        fields: GoalFields,
    },
    /// Remove a member added by mistake.
    RemoveMember(i64),
    /// Put back a member's earlier values.
    RestoreMember {
        /// The member.
        id: i64,
        /// The earlier values.
        fields: PersonFields,
    },
    /// Reopen a household closed by mistake.
    Reopen,
    /// Close a household again that was reopened by mistake.
    Close {
        /// The earlier closing date.
        on: NaiveDate,
        /// The earlier reason.
        reason: String,
    },
    /// Give the household back to its earlier regisseur.
    Regisseur(i64),
    /// Withdraw a provision requested by mistake (only while nobody decided on it).
    RemoveProvision(i64),
}

/// The result of [`Store::apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The household's dashboard after the change, read in the same transaction (`None` for a
    /// role that may not see it).
    pub dashboard: Option<Dashboard>,
    /// How to undo it (`None` for an undo).
    pub undo: Option<Undo>,
    /// The id of the record created or changed.
    pub record_id: i64,
}
