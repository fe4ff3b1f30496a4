//! Home: the households a user is regisseur of, and their agreements that are due.

use crate::domain::agreement::Actor;
use chrono::NaiveDate;
use serde::Serialize;

/// One of my households.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MyHousehold {
    /// Household id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Street and number.
    pub address: String,
    /// Open agreements.
    pub open_agreements: u32,
    /// The earliest due date of an open agreement.
    pub next_due: Option<NaiveDate>,
}

/// An agreement of one of my households that is overdue or due soon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueAgreement {
    /// Agreement id.
    pub id: i64,
    /// Household id.
    pub household_id: i64,
    /// Household label.
    pub label: String,
    /// What.
    pub what: String,
    /// Who.
    pub who: Actor,
    /// When.
    pub due_on: NaiveDate,
}

/// Everything home shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HomeData {
    /// My open households, most urgent (earliest next due) first, at most [`HOME_HOUSEHOLDS`].
    pub households: Vec<MyHousehold>,
    /// All my open households (the list may show fewer).
    pub household_total: u32,
    /// My open agreements due before `today + 7 days`, earliest first: at most
    /// `HOME_AGREEMENTS` due this week and as many overdue ones.
    pub agreements: Vec<DueAgreement>,
    /// All my open agreements due this week (the list may show fewer).
    pub week_total: u32,
    /// All my overdue open agreements (the list may show fewer).
    pub overdue_total: u32,
}
