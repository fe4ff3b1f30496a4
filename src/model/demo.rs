//! Generated demo data, as the store inserts it.

use crate::domain::user::Role;
use chrono::NaiveDate;
use std::borrow::Cow;

/// A generated household with everything on its dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoHousehold {
    /// Label.
    pub label: String,
    /// Street.
    pub street: String,
    /// House number (canonical text).
    pub house_number: String,
    /// Postcode ("3563 AB").
    pub postcode: String,
    /// City.
    pub city: String,
    /// Team name.
    pub team: String,
    /// Regisseur's login name.
    pub regisseur: String,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Closed on, with reason.
    pub closed: Option<(NaiveDate, String)>,
    /// Members.
    pub members: Vec<DemoPerson>,
    /// ZRM assessments: member index, date, encoded scores.
    pub assessments: Vec<(usize, NaiveDate, String)>,
    /// Agreements.
    pub agreements: Vec<DemoAgreement>,
    /// Flags.
    pub flags: Vec<DemoFlag>,
    /// Contacts: date, kind, minutes, note.
    pub contacts: Vec<(NaiveDate, String, u32, Option<String>)>,
    /// Plan goals: text, zrm domain, status code.
    pub goals: Vec<(String, Option<String>, &'static str)>,
    /// Provisions.
    pub provisions: Vec<DemoProvision>,
}

/// A generated provision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoProvision {
    /// Member index.
    pub member: usize,
    /// Law code.
    pub law: &'static str,
    /// Category code.
    pub category: String,
    /// Product code.
    pub product: String,
    /// The provider (name, AGB), once assigned; created with a contract for the product when new.
    pub provider: Option<(&'static str, &'static str)>,
    /// Start.
    pub start_on: NaiveDate,
    /// End.
    pub end_on: Option<NaiveDate>,
    /// Volume.
    pub volume: u32,
    /// Unit code.
    pub unit: &'static str,
    /// Frequency code.
    pub frequency: &'static str,
    /// Financing code.
    pub financing: &'static str,
    /// Eigen bijdrage.
    pub eigen_bijdrage: bool,
    /// Status code.
    pub status: &'static str,
    /// Date of the beschikking, once decided.
    pub beschikking: Option<NaiveDate>,
    /// When it ended.
    pub ended_on: Option<NaiveDate>,
}

/// A generated flag: catalogue key, since, and when and why it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoFlag {
    /// Catalogue key.
    pub kind: String,
    /// Since.
    pub since: NaiveDate,
    /// End date and reason.
    pub ended: Option<(NaiveDate, String)>,
}

/// A generated member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoPerson {
    /// Name.
    pub name: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Role code.
    pub role: &'static str,
    /// BSN (valid elfproef), only for some.
    pub bsn: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// A generated agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAgreement {
    /// What.
    pub what: String,
    /// Who code.
    pub who: &'static str,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// Formal.
    pub formal: bool,
    /// Status code and status date.
    pub status: (&'static str, Option<NaiveDate>),
    /// Created on.
    pub created_on: NaiveDate,
}

/// A demo account: one of the named accounts, or a generated colleague.
#[derive(Clone, Debug)]
pub struct DemoUser {
    /// Login.
    pub username: Cow<'static, str>,
    /// Display name.
    pub display_name: Cow<'static, str>,
    /// Role.
    pub role: Role,
    /// Team.
    pub team: Option<Cow<'static, str>>,
    /// Phone.
    pub phone: Option<Cow<'static, str>>,
}
