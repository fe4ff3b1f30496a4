//! What the finder returns.

use serde::Serialize;

/// One finder result: enough to tell households apart, nothing sensitive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HouseholdHit {
    /// Household id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Address on one line.
    pub address: String,
    /// Members' names, oldest first.
    pub members: Vec<String>,
    /// Whether support is ongoing.
    pub open: bool,
}
