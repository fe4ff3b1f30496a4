//! The fridge plan's data: what one household's one-page plan may show.

use crate::domain::agreement::Actor;
use chrono::NaiveDate;
use serde::Serialize;

/// Scores from this level up count as "Wat gaat al goed".
pub const STRENGTH_FROM: u8 = 4;

/// Everything the fridge plan of one household may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanData {
    /// The household's id (not printed).
    pub household_id: i64,
    /// The household's name, e.g. "Fam. El Amrani".
    pub label: String,
    /// The day the plan was made.
    pub made_on: NaiveDate,
    /// "Waar werken we aan": the running plan goals, in the household's words.
    pub goals: Vec<String>,
    /// "Wie doet wat": the open agreements, by due date.
    pub tasks: Vec<PlanTask>,
    /// "Wat gaat al goed": per member, the domains scored 4 or 5 in their latest assessment,
    /// in the client's wording. `None` when the household does not want this on the plan.
    pub strengths: Option<Vec<MemberStrengths>>,
    /// "Je regisseur".
    pub regisseur: PlanContact,
    /// The next contact with the regisseur, when one is planned.
    pub next_contact: Option<NextContact>,
    /// Active flags by display name; printed only when the user asks for them.
    pub flags: Vec<String>,
}

/// One open agreement on the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanTask {
    /// What will be done.
    pub what: String,
    /// Who does it.
    pub who: Actor,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
}

/// One member's strong domains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberStrengths {
    /// The member's name.
    pub person: String,
    /// (domain in client wording, score) in catalogue order.
    pub domains: Vec<(String, u8)>,
}

/// The regisseur as the plan shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanContact {
    /// Name.
    pub name: String,
    /// Phone number, when known.
    pub phone: Option<String>,
}

/// The next planned contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextContact {
    /// The date.
    pub on: NaiveDate,
    /// What: a contact kind ("Huisbezoek") or the regisseur's own agreement.
    pub what: String,
}
