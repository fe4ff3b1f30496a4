//! The resident's rights under the AVG (GDPR): the household export, retention and erasure results.

use crate::domain::agreement::Agreement;
use crate::domain::contact::Contact;
use crate::domain::flag::Flag;
use crate::domain::goal::{Consent, PlanGoal};
use crate::domain::household::{Household, Person};
use crate::domain::zrm::Assessment;
use crate::model::access_log::AccessEntry;
use chrono::NaiveDate;
use serde::Serialize;

/// The format name and version written into every export.
pub const EXPORT_FORMAT: &str = "keukentafel-huishouden/1";

/// Everything stored about one household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HouseholdExport {
    /// [`EXPORT_FORMAT`].
    pub format: &'static str,
    /// When the export was made (RFC 3339, UTC).
    pub exported_at: String,
    /// Who made it (login name).
    pub exported_by: String,
    /// The household.
    pub household: Household,
    /// Its team.
    pub team: String,
    /// The regisseur's name.
    pub regisseur: String,
    /// Members.
    pub members: Vec<Person>,
    /// Every ZRM assessment.
    pub assessments: Vec<Assessment>,
    /// Every agreement.
    pub agreements: Vec<Agreement>,
    /// Every flag, also ended ones.
    pub flags: Vec<Flag>,
    /// Every plan goal.
    pub goals: Vec<PlanGoal>,
    /// Every contact, newest first.
    pub contacts: Vec<Contact>,
    /// Every consent.
    pub consents: Vec<Consent>,
    /// Every provision (voorziening), with its beschikking and toewijzing.
    pub provisions: Vec<crate::domain::provision::Provision>,
    /// Who accessed the household, up to this export.
    pub access_log: Vec<AccessEntry>,
}

/// A closed household due for erasure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueHousehold {
    /// Household id (the only identification: the list shows no content).
    pub id: i64,
    /// Team name.
    pub team: String,
    /// Closed on.
    pub closed_on: NaiveDate,
    /// Whether the longer youth-care period applies.
    pub youth_care: bool,
    /// The first day it was due.
    pub due_on: NaiveDate,
}

/// What an erasure removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// Household id.
    pub id: i64,
    /// Members whose name, birth date, BSN and phone were removed (their ids remain, as
    /// pseudonyms in the audit log and the figures).
    pub persons: usize,
    /// Free-text fields cleared (notes, agreements, goals, reasons, consent purposes).
    pub texts: usize,
}

/// The text that replaces erased free text.
pub const ERASED: &str = "(gewist)";
