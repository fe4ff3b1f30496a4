//! Plan goals (doelen in het gezinsplan) and consents (toestemmingen).

use chrono::NaiveDate;
use serde::Serialize;

use super::invalid::{Invalid, required_text};

/// The state of a plan goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// Being worked on.
    Lopend,
    /// Achieved.
    Bereikt,
    /// Stopped without being achieved.
    Gestopt,
}

impl GoalStatus {
    /// Every status.
    pub const ALL: [GoalStatus; 3] = [GoalStatus::Lopend, GoalStatus::Bereikt, GoalStatus::Gestopt];

    /// Stored code and Dutch word.
    pub fn code(self) -> &'static str {
        match self {
            GoalStatus::Lopend => "lopend",
            GoalStatus::Bereikt => "bereikt",
            GoalStatus::Gestopt => "gestopt",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Result<GoalStatus, Invalid> {
        let w = s.trim().to_lowercase();
        GoalStatus::ALL
            .into_iter()
            .find(|g| g.code() == w)
            .ok_or_else(|| {
                Invalid::new(
                    "goal_status",
                    format!(
                        "Onbekende status '{}'. Kies uit: lopend, bereikt, gestopt.",
                        s.trim()
                    ),
                    format!(
                        "Unknown status '{}'. Choose one of: lopend, bereikt, gestopt.",
                        s.trim()
                    ),
                )
            })
    }
}

/// A goal in the household plan, in plain language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanGoal {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// The goal, in the household's words.
    pub goal: String,
    /// The ZRM domain it serves, if any.
    pub zrm_domain: Option<String>,
    /// Status.
    pub status: GoalStatus,
    /// Counts the changes to this goal (see [`crate::domain::agreement::Agreement::version`]).
    pub version: i64,
}

/// Validates a goal's text.
pub fn validate_goal(goal: &str) -> Result<String, Invalid> {
    required_text("goal", "Het doel", "The goal", goal, 200)
}

/// A consent (toestemming) for a purpose, e.g. sharing information with school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consent {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// The member who gave it, if one in particular.
    pub person_id: Option<i64>,
    /// What it is for.
    pub purpose: String,
    /// When given.
    pub given_on: NaiveDate,
    /// When withdrawn, if it was.
    pub withdrawn_on: Option<NaiveDate>,
}

/// Validates a consent's purpose.
pub fn validate_purpose(purpose: &str) -> Result<String, Invalid> {
    required_text(
        "purpose",
        "Het doel van de toestemming",
        "The purpose of the consent",
        purpose,
        200,
    )
}

/// Checks that a withdrawal does not predate the consent.
pub fn validate_withdrawal(given_on: NaiveDate, withdrawn_on: NaiveDate) -> Result<(), Invalid> {
    if withdrawn_on < given_on {
        return Err(Invalid::new(
            "withdrawn_on",
            "Intrekken kan niet vóór de datum waarop toestemming is gegeven.",
            "A consent cannot be withdrawn before it was given.",
        ));
    }
    Ok(())
}
